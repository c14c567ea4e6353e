"""A person's contribution record and pension individual account with interest by year."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, column, select, table

from desktop.core.money import ZERO, to_fen
from desktop.core.month import Month
from desktop.core.refdata import schemes, shipped_interest
from desktop.core.services.workers import WorkerInfo

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

    def statement(self, worker: str) -> Statement:
        """The person's months by scheme and region and the individual account by year.

        One indexed pass over the person's contribution lines, aggregated here: a person's lines
        lie scattered through a large table, so each extra query would visit them all again.
        """
        info = self._ledger.workers.get(worker)
        this_year = self._ledger.today().year
        lines = self._ledger.quick_rows("accounts.lines", _lines_query, {"w": info.id})
        resident = self._ledger.quick_rows("accounts.resident", _resident_query, {"w": info.id})
        overrides = {int(y): Decimal(r) for y, r in self._ledger.quick_rows("accounts.interest", _interest_query, {})}
        periods: dict[tuple[str, str, str], set[int]] = {}
        by_year: dict[int, tuple[set[int], int, int]] = {}
        for scheme, region, status, month, base, account in lines:
            periods.setdefault((scheme, region, status), set()).add(month)
            if scheme == "pension" and status == "paid":
                months, base_sum, account_sum = by_year.get(month // 100, (set(), 0, 0))
                months.add(month)
                by_year[month // 100] = (months, base_sum + int(base), account_sum + int(account))
        records: list[SchemeRecord] = []
        for sid in schemes():
            keys = [k for k in periods if k[0] == sid]
            if not keys:
                continue
            paid = sorted((k for k in keys if k[2] == "paid"), key=lambda k: min(periods[k]))
            regions = tuple(RegionPeriod(k[1], len(periods[k]), str(Month.from_int(min(periods[k]))),
                                         str(Month.from_int(max(periods[k])))) for k in paid)
            records.append(SchemeRecord(sid, sum(len(periods[k]) for k in paid),
                                        sum(len(periods[k]) for k in keys if k[2] == "arrears"), regions))
        counts = {y: len(m) for y, (m, _b, _a) in by_year.items()}
        sums = {y: (b, a) for y, (_m, b, a) in by_year.items()}
        received, opening = _received_tables(
            self._ledger.quick_rows("accounts.received", _received_query, {"w": info.id, "st": "received"}),
            {str(region) for _s, region, *_rest in lines}, counts, sums)
        if received:
            records = _with_received(records, received)
        credited = {y: (counts[y], Decimal(sums[y][0]).scaleb(-2), Decimal(sums[y][1]).scaleb(-2)) for y in sums}
        years, complete = roll_account(credited, lambda y: overrides.get(y, shipped_interest(y)), this_year,
                                       opening)
        balance = years[-1].closing if years else ZERO
        return Statement(info, tuple(records), tuple(years), balance, complete,
                         tuple((sch, int(y), Decimal(p).scaleb(-2), Decimal(sub).scaleb(-2))
                               for sch, y, p, sub in sorted(resident)))


_C = table("contribution", column("worker_id"), column("scheme"), column("region"), column("status"),
           column("month"), column("base"), column("account_amount"))
_R = table("resident_contribution", column("worker_id"), column("scheme"), column("year"),
           column("personal"), column("subsidy"))


def _lines_query() -> Any:
    return select(_C.c.scheme, _C.c.region, _C.c.status, _C.c.month, _C.c.base,
                  _C.c.account_amount).where(_C.c.worker_id == bindparam("w"))


def _resident_query() -> Any:
    return select(_R.c.scheme, _R.c.year, _R.c.personal, _R.c.subsidy).where(_R.c.worker_id == bindparam("w"))


_T = table("transfer_case", column("worker_id"), column("status"), column("from_region"), column("table_json"))


def _received_query() -> Any:
    return select(_T.c.from_region, _T.c.table_json).where(_T.c.worker_id == bindparam("w"),
                                                            _T.c.status == bindparam("st"))


def _received_tables(cases: list[tuple[Any, ...]], regions_here: set[str], counts: dict[int, int],
                     sums: dict[int, tuple[int, int]]) -> tuple[list[RegionPeriod], Decimal]:
    """Add the years of information tables received here on paper to the account (in place).

    A transfer received by sync brought the old region's contribution lines with it; one received
    on paper brought only its information table, whose rows (months, bases and money credited each
    year) stand in for those lines. A region with lines here is never counted twice. Returns the
    old regions' pension periods and the balance from before 1998 they carried.
    """
    from desktop.core.transfer_rules import pooling_key  # (transfer_rules builds on roll_account)

    pools_here = {pooling_key(r) for r in regions_here}
    periods: list[RegionPeriod] = []
    opening = ZERO
    for from_region, text in cases:
        if not text or pooling_key(str(from_region)) in pools_here:
            continue
        t = json.loads(text)
        years = []
        for r in t.get("rows", []):
            year, months, base, credited = int(r["year"]), int(r["months"]), int(r["base"]), int(r["credited"])
            if not months and not credited:
                continue
            years.append(year)
            counts[year] = counts.get(year, 0) + months
            b, a = sums.get(year, (0, 0))
            sums[year] = (b + base, a + credited)
        opening += Decimal(int(t.get("pre1998", 0))).scaleb(-2)
        if years:
            paid = int(t.get("months_paid") or sum(int(r["months"]) for r in t.get("rows", [])))
            periods.append(RegionPeriod(str(from_region), paid, str(t.get("period_from") or min(years)),
                                        str(t.get("period_to") or max(years))))
    return periods, opening


def _with_received(records: list[SchemeRecord], received: list[RegionPeriod]) -> list[SchemeRecord]:
    """The pension record with the old regions' periods first (they came before)."""
    extra = sum(p.months_paid for p in received)
    for i, r in enumerate(records):
        if r.scheme == "pension":
            records[i] = SchemeRecord(r.scheme, r.months_paid + extra, r.months_in_arrears,
                                      tuple(received) + r.regions)
            return records
    return [SchemeRecord("pension", extra, 0, tuple(received)), *records]


_I = table("interest_override", column("year"), column("rate"))


def _interest_query() -> Any:
    return select(_I.c.year, _I.c.rate)
