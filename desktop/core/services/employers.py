"""Employers (用人单位) by unified social credit code."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from desktop.core.csvsafe import refuse_formula
from desktop.core.errors import Conflict, InvalidInput
from desktop.core.ids import clean, validate_uscc
from desktop.core.regions import validate_region
from desktop.core.security import COUNTER
from desktop.core.services.office import _risk_class, load_office
from desktop.core.store.models import Employer

if TYPE_CHECKING:
    from desktop.core.ledger import Ledger


@dataclass(frozen=True)
class EmployerInfo:
    """An employer as shown to the clerk."""

    uscc: str
    name: str
    region: str
    risk_class: int | None


def employer_info(e: Employer) -> EmployerInfo:
    """The plain view of a stored employer."""
    return EmployerInfo(e.uscc, e.name, e.region, e.risk_class)


class EmployerService:
    """Register and look up employers."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def register(self, uscc: str, name: str, region: str | None = None,
                 risk_class: object | None = None) -> EmployerInfo:
        """Register an employer; a second registration of the same code is refused."""
        self._ledger.require(COUNTER)
        code = validate_uscc(uscc, "uscc")
        name = name.strip()
        if not name:
            raise InvalidInput("required", "name")
        refuse_formula(name, "name")
        reg = validate_region(region, "region") if region not in (None, "") else None
        rc = _risk_class(risk_class) if risk_class not in (None, "") else None
        with self._ledger.write() as s:
            office = load_office(s)
            existing = s.scalars(select(Employer).where(Employer.uscc == code)).first()
            if existing is not None:
                raise Conflict("employer.exists", "uscc", name=existing.name)
            e = Employer(uscc=code, name=name, region=reg or office.region, risk_class=rc,
                         created_at=self._ledger.now())
            s.add(e)
            s.flush()
            return employer_info(e)

    def get(self, uscc: str) -> EmployerInfo:
        """An employer by credit code."""
        code = clean(uscc)
        with self._ledger.read() as s:
            e = s.scalars(select(Employer).where(Employer.uscc == code)).first()
            if e is None:
                raise InvalidInput("employer.unknown", "employer", value=code)
            return employer_info(e)

    def list(self) -> list[EmployerInfo]:
        """Every employer, by name."""
        with self._ledger.read() as s:
            return [employer_info(e) for e in s.scalars(select(Employer).order_by(Employer.name))]
