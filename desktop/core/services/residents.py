"""Residents' schemes: a yearly contribution at a chosen grade, with the government subsidy.

Joined at the hukou place: the residents' pension only there; the residents' medical scheme also
with a local residence permit where the office allows it (an office setting). A residents' pension
year with some employee months is accepted: those months count once, as employee time, and the
residents' personal contribution for them is refunded, personal x months / 12, half up to the fen
(人社部发〔2014〕17号; the same arithmetic as transfer_rules.employee_to_resident).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.core.errors import Conflict, InvalidInput, RefusedByRule
from desktop.core.money import parse_amount
from desktop.core.refdata import Reference, schemes
from desktop.core.security import ADMIN, ANY, COUNTER
from desktop.core.services.office import _year, load_office
from desktop.core.services.workers import require_worker
from desktop.core.store.models import Contribution, OfficeSetting, ResidentContribution, Worker

if TYPE_CHECKING:
    from desktop.core.ledger import Ledger


RESIDENCE_PERMIT_SETTING = "resident.medical_residence_permit"  # "1": local residence permit holders join


@dataclass(frozen=True)
class ResidentResult:
    """A recorded residents' scheme year; employee_months: months of the year paid as an employee,
    whose residents' personal contribution is refunded (refund)."""

    scheme: str
    year: int
    personal: Decimal
    subsidy: Decimal
    employee_months: int = 0
    refund: Decimal = Decimal("0.00")

    @property
    def total(self) -> Decimal:
        """Personal amount and subsidy together."""
        return self.personal + self.subsidy


def refund_for(personal: Decimal, employee_months: int) -> Decimal:
    """The residents' personal contribution refunded for months that count as employee time."""
    return (personal * employee_months / 12).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _hukou_here(w: Worker, region: str) -> bool:
    """Whether the person's hukou is in the office's area (the same prefecture, or municipality)."""
    from desktop.core.transfer_rules import pooling_key

    return bool(w.hukou_region) and pooling_key(str(w.hukou_region)) == pooling_key(region)


class ResidentService:
    """Record yearly residents' scheme contributions."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def grades(self, scheme: str, year: int) -> list[Decimal]:
        """The personal amounts that may be chosen in the office's region for the year."""
        with self._ledger.read() as s:
            office = load_office(s)
            return [g.personal for g in Reference(s).grades(office.region, scheme, year)]

    def allow_residence_permit(self, allowed: bool) -> None:
        """Whether people with a local residence permit may join the residents' medical scheme here."""
        self._ledger.require(ADMIN)
        with self._ledger.write() as s:
            row = s.get(OfficeSetting, RESIDENCE_PERMIT_SETTING)
            if row is None:
                s.add(OfficeSetting(key=RESIDENCE_PERMIT_SETTING, value="1" if allowed else "0"))
            else:
                row.value = "1" if allowed else "0"

    def years(self, worker: str) -> list[ResidentResult]:
        """The person's residents' years, each with the employee months in it and the refund due."""
        self._ledger.require(ANY)
        with self._ledger.read() as s:
            w = require_worker(s, worker)
            out = []
            for r in s.scalars(select(ResidentContribution).where(ResidentContribution.worker_id == w.id)
                               .order_by(ResidentContribution.year, ResidentContribution.scheme)):
                months = _employee_months(s, w.id, r.year) if r.scheme == "resident_pension" else 0
                out.append(ResidentResult(r.scheme, r.year, r.personal, r.subsidy, months,
                                          refund_for(r.personal, months)))
            return out

    def record(self, worker: str, scheme: str, year: object, grade: object,
               residence_permit: str | None = None) -> ResidentResult:
        """Record a year's contribution at a grade; the subsidy comes from the grade table.

        Refused outside the hukou place (residents' medical: unless the office admits local residence
        permit holders and a permit number is given). A residents' pension year with employee months
        is accepted with the refund for them.
        """
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
            w = require_worker(s, worker)
            table = Reference(s).grades(office.region, scheme, y)
            if not table:
                raise RefusedByRule("resident.no_grades", "year", region=office.region, year=y,
                                    scheme=schemes()[scheme].name_zh)
            match = [g for g in table if g.personal == amount]
            if not match:
                raise InvalidInput("resident.grade", "grade", value=f"{amount:.2f}",
                                   region=office.region, year=y,
                                   grades=", ".join(f"{g.personal:.0f}" for g in table))
            if not _hukou_here(w, office.region):
                permit = str(residence_permit or "").strip()
                setting = s.get(OfficeSetting, RESIDENCE_PERMIT_SETTING)
                allowed = scheme == "resident_medical" and setting is not None and setting.value == "1"
                if not allowed:
                    raise RefusedByRule("resident.not_hukou" if w.hukou_region else "resident.no_hukou", "worker",
                                        scheme=schemes()[scheme].name_zh, hukou=w.hukou_region or "—",
                                        region=office.region)
                if not permit:
                    raise InvalidInput("required", "residence_permit")
            months = _employee_months(s, w.id, y) if scheme == "resident_pension" else 0
            if months >= 12:
                raise RefusedByRule("resident.whole_year_employee", "year", year=y)
            if s.scalars(select(ResidentContribution.id).where(
                    ResidentContribution.worker_id == w.id, ResidentContribution.scheme == scheme,
                    ResidentContribution.year == y)).first() is not None:
                raise Conflict("resident.exists", "year", year=y, scheme=schemes()[scheme].name_zh)
            s.add(ResidentContribution(worker_id=w.id, scheme=scheme, year=y, region=office.region,
                                       personal=amount, subsidy=match[0].subsidy,
                                       recorded_on=self._ledger.today()))
            return ResidentResult(scheme, y, amount, match[0].subsidy, months, refund_for(amount, months))


def _employee_months(s: Session, worker_id: int, year: int) -> int:
    """Months of the year paid to the employees' pension (any region known here)."""
    return int(s.scalar(select(func.count(func.distinct(Contribution.month))).where(
        Contribution.worker_id == worker_id, Contribution.scheme == "pension", Contribution.status == "paid",
        Contribution.month >= year * 100 + 1, Contribution.month <= year * 100 + 12)) or 0)
