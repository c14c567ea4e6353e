"""Read-only queries for the window: a person's months x schemes, and the reference values in use.

The contribution history is read in two steps so a table can stay lazy: first the keys of the
person's rows (month and employer, newest first), then the rows of a page of keys on demand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select

from desktop.core.month import Month
from desktop.core.people import number_plan
from desktop.core.refdata import (
    RateRow,
    _shipped_interest,
    _shipped_limits,
    _shipped_rates,
    _shipped_wages,
)
from desktop.core.services.workers import WorkerInfo, require_worker
from desktop.core.store.models import (
    AverageWage,
    Contribution,
    Employer,
    InterestOverride,
    LimitOverride,
    RateOverride,
)

if TYPE_CHECKING:
    from desktop.core.ledger import Ledger

RowKey = tuple[int, int]  # (month as YYYYMM, employer id)


@dataclass(frozen=True, slots=True)
class SchemeCell:
    """One scheme's amounts in one month of a person's history."""

    employer: Decimal
    employee: Decimal
    account: Decimal
    kind: str  # regular | back_payment | lump_sum
    status: str  # paid | arrears

    @property
    def total(self) -> Decimal:
        """Employer and employee amounts together."""
        return self.employer + self.employee


@dataclass(frozen=True)
class HistoryRow:
    """One month at one employer: the base and each scheme's cell."""

    month: Month
    employer_uscc: str
    employer_name: str
    wage: Decimal
    base: Decimal
    cells: dict[str, SchemeCell] = field(default_factory=dict)

    @property
    def arrears(self) -> bool:
        """Whether any scheme of the month is declared but unpaid."""
        return any(c.status == "arrears" for c in self.cells.values())

    @property
    def back_payment(self) -> bool:
        """Whether the month was paid late (a back-payment)."""
        return any(c.kind in ("back_payment", "lump_sum") for c in self.cells.values())


@dataclass(frozen=True, slots=True)
class WageValue:
    """A previous-year average monthly wage in use for a region and year."""

    region: str
    year: int
    monthly: Decimal
    source: str  # "office" or the shipped source text


@dataclass(frozen=True, slots=True)
class LimitValue:
    """Base floor and ceiling ratios for a region and period."""

    region: str
    start: Month
    end: Month | None
    floor: Decimal
    ceiling: Decimal
    source: str


@dataclass(frozen=True, slots=True)
class InterestValue:
    """An individual-account crediting rate of a year."""

    year: int
    rate: Decimal
    source: str


@dataclass(frozen=True)
class ReferenceValues:
    """The office's own reference values (newest first) followed by the shipped ones."""

    wages: tuple[WageValue, ...]
    rates: tuple[RateRow, ...]
    limits: tuple[LimitValue, ...]
    interest: tuple[InterestValue, ...]


def _month_or_none(value: int | None) -> Month | None:
    """A stored month, or None."""
    return Month.from_int(value) if value else None


class HistoryService:
    """Read-only views of a person's contributions and of the reference values."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def month_keys(self, worker: str) -> tuple[int, list[RowKey]]:
        """The person's row id and the (month, employer) keys of their history, newest first."""
        c = Contribution
        with self._ledger.read() as s:
            w = require_worker(s, worker)
            keys = s.execute(
                select(c.month, c.employer_id).where(c.worker_id == w.id).distinct()
                .order_by(c.month.desc(), c.employer_id)
            ).all()
            return w.id, [(int(m), int(e)) for m, e in keys]

    def rows(self, worker_id: int, keys: Sequence[RowKey]) -> dict[RowKey, HistoryRow]:
        """The history rows of the given keys (one query over their span of months)."""
        if not keys:
            return {}
        wanted = set(keys)
        c = Contribution
        stmt = (
            select(c.month, c.employer_id, Employer.uscc, Employer.name, c.scheme, c.wage, c.base,
                   c.employer_amount, c.employee_amount, c.account_amount, c.kind, c.status)
            .join(Employer, Employer.id == c.employer_id)
            .where(c.worker_id == worker_id, c.month >= min(k[0] for k in wanted),
                   c.month <= max(k[0] for k in wanted))
        )
        out: dict[RowKey, HistoryRow] = {}
        with self._ledger.read() as s:
            for (month, eid, uscc, name, scheme, wage, base, er, ee, acc, kind,
                 status) in s.execute(stmt):
                key = (int(month), int(eid))
                if key not in wanted:
                    continue
                row = out.get(key)
                if row is None:
                    row = out[key] = HistoryRow(Month.from_int(int(month)), uscc, name, wage, base)
                row.cells[scheme] = SchemeCell(er, ee, acc, kind, status)
        return out

    def find_by_number(self, prefix: str, limit: int = 50) -> list[WorkerInfo]:
        """People whose ID number or social security number starts with prefix, in number order
        (`people.number_plan`)."""
        return self._ledger.workers.search(number_plan(prefix), limit)

    def reference_values(self) -> ReferenceValues:
        """Average wages, rates, base limits and crediting rates: the office's, then the shipped."""
        with self._ledger.read() as s:
            wages = [WageValue(w.region, w.year, w.monthly, "office")
                     for w in s.scalars(select(AverageWage).order_by(AverageWage.region,
                                                                     AverageWage.year.desc()))]
            rates = [RateRow(o.region, o.scheme, Month.from_int(o.from_month),
                             _month_or_none(o.to_month), o.employer, o.employee, o.account,
                             o.risk_class, "office")
                     for o in s.scalars(select(RateOverride).order_by(RateOverride.id.desc()))]
            limits = [LimitValue(o.region, Month.from_int(o.from_month), _month_or_none(o.to_month),
                                 o.floor, o.ceiling, "office")
                      for o in s.scalars(select(LimitOverride).order_by(LimitOverride.id.desc()))]
            interest = [InterestValue(i.year, i.rate, "office")
                        for i in s.scalars(select(InterestOverride)
                                           .order_by(InterestOverride.year.desc()))]
        wages += [WageValue(region, year, monthly, "shipped")
                  for (region, year), monthly in sorted(_shipped_wages().items(),
                                                        key=lambda kv: (kv[0][0], -kv[0][1]))]
        rates += list(_shipped_rates())
        limits += [LimitValue(region, start, end, lim.floor, lim.ceiling, lim.source)
                   for region, start, end, lim in _shipped_limits()]
        interest += [InterestValue(year, rate, "shipped")
                     for year, rate in sorted(_shipped_interest().items(), reverse=True)]
        return ReferenceValues(tuple(wages), tuple(rates), tuple(limits), tuple(interest))
