"""A person's contribution record and pension individual account with interest by year."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, column, distinct, func, select, table

from desktop.core.money import ZERO, to_fen, yuan_of
from desktop.core.month import Month
from desktop.core.refdata import schemes, shipped_interest
from desktop.core.services.workers import WorkerInfo
from desktop.core.store.models import RegionCode, SchemeCode, StatusCode

if TYPE_CHECKING:
    from desktop.core.ledger import Ledger


@dataclass(frozen=True)
class AccountYear:
    """One year of the individual account: interest on the opening balance, then new money."""

    year: int
    months: int
    base_total: Decimal
    opening: Decimal
    rate: Decimal | None
    interest: Decimal | None  # None: rate unknown, or the year is not over
    credited: Decimal
    closing: Decimal


@dataclass(frozen=True)
class RegionPeriod:
    """Months paid to one scheme in one region."""

    region: str
    months_paid: int
    first_month: str
    last_month: str


@dataclass(frozen=True)
class SchemeRecord:
    """A scheme's record for a person."""

    scheme: str
    months_paid: int
    months_in_arrears: int
    regions: tuple[RegionPeriod, ...]


@dataclass(frozen=True)
class Statement:
    """A person's contribution record (the basis of 参保缴费证明)."""

    worker: WorkerInfo
    schemes: tuple[SchemeRecord, ...]
    account_years: tuple[AccountYear, ...]
    individual_account_balance: Decimal
    interest_complete: bool
    resident_years: tuple[tuple[str, int, Decimal, Decimal], ...]
    # the pension record's deemed years and months before 1998: (kind, region, first, last, months)
    earlier: tuple[tuple[str, str, str, str, int], ...] = ()


def roll_account(
    credited_by_year: dict[int, tuple[int, Decimal, Decimal]], rate_of: Callable[[int], Decimal | None],
    through_year: int, opening: Decimal = ZERO,
) -> tuple[list[AccountYear], bool]:
    """Roll the individual account year by year to the end of through_year (the current year).

    Interest for year Y = opening balance (end of Y-1) x rate of Y, rounded to the fen, credited at
    year end; money credited during Y earns nothing in Y. The current year gets no interest yet.
    A past year with no known rate gets none and the result is marked incomplete.
    """
    if not credited_by_year:
        return [], True
    years: list[AccountYear] = []
    complete = True
    balance = opening
    for year in range(min(credited_by_year), through_year + 1):
        months, base_total, credited = credited_by_year.get(year, (0, ZERO, ZERO))
        rate = rate_of(year)
        interest: Decimal | None = None
        if year < through_year:
            if rate is None:
                complete = balance == ZERO and complete
            else:
                interest = to_fen(balance * rate)
        closing = balance + (interest or ZERO) + credited
        years.append(AccountYear(year, months, base_total, balance, rate, interest, credited, closing))
        balance = closing
    return years, complete


class AccountService:
    """Statements of a person's contributions and individual account."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def _pension_record(self, info: WorkerInfo, this_year: int, overrides: dict[int, Decimal],
                        ) -> tuple[list[AccountYear], Decimal, bool, SchemeRecord | None,
                                   tuple[tuple[str, str, str, str, int], ...]]:
        """The pension record where the person is insured: its account by year and its periods.

        The same record a transfer would move (services.record.gather): months paid in the pooling
        unit, parts received by any route at their received values, opening entries.
        """
        from desktop.core.services.record import gather  # (it builds on this module)
        from desktop.core.store.models import Worker

        with self._ledger.read() as s:
            w = s.get(Worker, info.id)
            assert w is not None
            held = gather(s, w, None, self._ledger.today(), in_transit=True)  # (where it is held)
        money = held.money(lambda y: overrides.get(y, shipped_interest(y)), this_year)
        years = [AccountYear(y.year, y.months, yuan_of(y.base_total_fen), yuan_of(y.opening_fen),
                             y.interest_rate, None if y.interest_fen is None else yuan_of(y.interest_fen),
                             yuan_of(y.credited_fen), yuan_of(y.closing_fen))
                 for y in money.years]
        periods = [p for p in held.periods if p.kind == "paid"]
        pension = None
        if periods or held.held_back:
            by_region: dict[str, list[Any]] = {}
            for p in periods:
                acc = by_region.setdefault(p.region, [0, p.first, p.last])
                acc[0] += p.months
                acc[1], acc[2] = min(acc[1], p.first), max(acc[2], p.last)
            regions = tuple(RegionPeriod(r, n, str(a), str(b))
                            for r, (n, a, b) in sorted(by_region.items(), key=lambda x: x[1][1]))
            pension = SchemeRecord("pension", sum(r.months_paid for r in regions), 0, regions)
        earlier = tuple((p.kind, p.region, str(p.first), str(p.last), p.months)
                        for p in held.periods if p.kind != "paid")
        return years, ZERO if not years else yuan_of(money.account_fen), money.complete, pension, earlier

    def statement(self, worker: str) -> Statement:
        """The person's months by scheme and region and the individual account by year.

        One indexed pass over the person's contribution lines, counted by SQLite per scheme, region
        and status (a person's lines lie scattered through a large table, so each extra query
        would visit them all again; the rows themselves would cost more to carry out than to
        count). The pension record is the one a transfer would move (see `_pension_record`).
        """
        info = self._ledger.workers.get(worker)
        this_year = self._ledger.today().year
        periods = self._ledger.quick_rows("accounts.periods", _periods_query, {"w": info.id})
        resident = self._ledger.quick_rows("accounts.resident", _resident_query, {"w": info.id})
        overrides = {int(y): Decimal(r) for y, r in self._ledger.quick_rows("accounts.interest", _interest_query, {})}
        records: list[SchemeRecord] = []
        for sid in schemes():
            keys = [k for k in periods if k[0] == sid]
            if not keys:
                continue
            paid = sorted((k for k in keys if k[2] == "paid"), key=lambda k: (k[4], k[1]))  # first month, region
            regions = tuple(RegionPeriod(region, months, str(Month.from_int(first)), str(Month.from_int(last)))
                            for _s, region, _st, months, first, last in paid)
            records.append(SchemeRecord(sid, sum(k[3] for k in paid),
                                        sum(k[3] for k in keys if k[2] == "arrears"), regions))
        years, balance, complete, pension, earlier = self._pension_record(info, this_year, overrides)
        arrears = next((r.months_in_arrears for r in records if r.scheme == "pension"), 0)
        records = [r for r in records if r.scheme != "pension"]
        if pension is not None or arrears:
            pension = pension or SchemeRecord("pension", 0, 0, ())
            records.insert(0, SchemeRecord("pension", pension.months_paid, arrears, pension.regions))
        return Statement(info, tuple(records), tuple(years), balance, complete,
                         tuple((sch, int(y), yuan_of(p), yuan_of(sub))
                               for sch, y, p, sub in sorted(resident)), earlier)


_C = table("contribution", column("worker_id"), column("scheme", SchemeCode()), column("region", RegionCode()),
           column("status", StatusCode()), column("month"))
_R = table("resident_contribution", column("worker_id"), column("scheme"), column("year"),
           column("personal"), column("subsidy"))


def _periods_query() -> Any:
    """(scheme, region, status, months, first month, last month) of a person's lines."""
    c = _C.c
    return (select(c.scheme, c.region, c.status, func.count(distinct(c.month)), func.min(c.month), func.max(c.month))
            .where(c.worker_id == bindparam("w")).group_by(c.scheme, c.region, c.status))


def _resident_query() -> Any:
    return select(_R.c.scheme, _R.c.year, _R.c.personal, _R.c.subsidy).where(_R.c.worker_id == bindparam("w"))




_I = table("interest_override", column("year"), column("rate"))


def _interest_query() -> Any:
    return select(_I.c.year, _I.c.rate)
