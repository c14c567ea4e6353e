"""Residents' schemes: a yearly contribution at a chosen grade, with the government subsidy."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select

from desktop.core.errors import Conflict, InvalidInput, RefusedByRule
from desktop.core.ids import clean
from desktop.core.money import parse_amount
from desktop.core.refdata import Reference, schemes
from desktop.core.security import COUNTER
from desktop.core.services.office import _year, load_office
from desktop.core.services.workers import find_worker_row
from desktop.core.store.models import Contribution, ResidentContribution

if TYPE_CHECKING:
    from desktop.core.ledger import Ledger


@dataclass(frozen=True)
class ResidentResult:
    """A recorded residents' scheme year."""

    scheme: str
    year: int
    personal: Decimal
    subsidy: Decimal

    @property
    def total(self) -> Decimal:
        """Personal amount and subsidy together."""
        return self.personal + self.subsidy


class ResidentService:
    """Record yearly residents' scheme contributions."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def grades(self, scheme: str, year: int) -> list[Decimal]:
        """The personal amounts that may be chosen in the office's region for the year."""
        with self._ledger.read() as s:
            office = load_office(s)
            return [g.personal for g in Reference(s).grades(office.region, scheme, year)]

    def record(self, worker: str, scheme: str, year: object, grade: object) -> ResidentResult:
        """Record a year's contribution at a grade; the subsidy comes from the grade table."""
        self._ledger.require(COUNTER)
        if scheme not in schemes():
            raise InvalidInput("scheme.unknown", "scheme", value=scheme,
                               known="resident_pension, resident_medical")
        if schemes()[scheme].kind != "resident":
            raise InvalidInput("scheme.not_resident", "scheme", value=scheme)
        y = _year(year)
        if y > self._ledger.today().year:
            raise InvalidInput("year.format", "year", value=y)
        amount = parse_amount(grade, "grade")
        with self._ledger.write() as s:
            office = load_office(s)
            w = find_worker_row(s, worker)
            if w is None:
                raise InvalidInput("worker.unknown", "worker", value=clean(worker))
            table = Reference(s).grades(office.region, scheme, y)
            if not table:
                raise RefusedByRule("resident.no_grades", "year", region=office.region, year=y,
                                    scheme=schemes()[scheme].name_zh)
            match = [g for g in table if g.personal == amount]
            if not match:
                raise InvalidInput("resident.grade", "grade", value=f"{amount:.2f}",
                                   region=office.region, year=y,
                                   grades=", ".join(f"{g.personal:.0f}" for g in table))
            if scheme == "resident_pension":
                overlap = s.scalars(select(Contribution.id).where(
                    Contribution.worker_id == w.id, Contribution.scheme == "pension",
                    Contribution.status == "paid", Contribution.month >= y * 100,
                    Contribution.month <= y * 100 + 12)).first()
                if overlap is not None:
                    raise RefusedByRule("resident.employee_overlap", "year", year=y)
            if s.scalars(select(ResidentContribution.id).where(
                    ResidentContribution.worker_id == w.id, ResidentContribution.scheme == scheme,
                    ResidentContribution.year == y)).first() is not None:
                raise Conflict("resident.exists", "year", year=y, scheme=schemes()[scheme].name_zh)
            s.add(ResidentContribution(worker_id=w.id, scheme=scheme, year=y, region=office.region,
                                       personal=amount, subsidy=match[0].subsidy,
                                       recorded_on=self._ledger.today()))
            return ResidentResult(scheme, y, amount, match[0].subsidy)
