"""A person's contribution record and pension individual account with interest by year."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, func, literal_column, select, type_coerce

from desktop.core.errors import InvalidInput
from desktop.core.ids import clean
from desktop.core.money import ZERO, to_fen
from desktop.core.month import Month
from desktop.core.refdata import schemes
from desktop.core.services.workers import WorkerInfo, find_worker_row, worker_info
from desktop.core.store.models import Contribution, ResidentContribution

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
        """The person's months by scheme and region and the individual account by year."""
        ref = self._ledger.reference.lookup()
        this_year = self._ledger.today().year
        with self._ledger.read() as s:
            w = find_worker_row(s, worker)
            if w is None:
                raise InvalidInput("worker.unknown", "worker", value=clean(worker))
            c = Contribution
            per_region = s.execute(
                select(c.scheme, c.region, c.status, func.count(func.distinct(c.month)),
                       func.min(c.month), func.max(c.month))
                .where(c.worker_id == w.id).group_by(c.scheme, c.region, c.status)
            ).all()
            year_of = c.month // literal_column("100")
            pension_years = s.execute(
                select(year_of, func.count(func.distinct(c.month)),
                       func.sum(type_coerce(c.base, BigInteger)),
                       func.sum(type_coerce(c.account_amount, BigInteger)))
                .where(c.worker_id == w.id, c.scheme == "pension", c.status == "paid")
                .group_by(year_of)
            ).all()
            resident = s.execute(
                select(ResidentContribution.scheme, ResidentContribution.year,
                       ResidentContribution.personal, ResidentContribution.subsidy)
                .where(ResidentContribution.worker_id == w.id)
                .order_by(ResidentContribution.scheme, ResidentContribution.year)
            ).all()
            info = worker_info(w)
        records: list[SchemeRecord] = []
        for sid in schemes():
            rows = [r for r in per_region if r[0] == sid]
            if not rows:
                continue
            paid = [r for r in rows if r[2] == "paid"]
            regions = tuple(
                RegionPeriod(r[1], r[3], str(Month.from_int(r[4])), str(Month.from_int(r[5])))
                for r in sorted(paid, key=lambda r: r[4])
            )
            records.append(SchemeRecord(sid, sum(r[3] for r in paid),
                                        sum(r[3] for r in rows if r[2] == "arrears"), regions))
        credited = {int(y): (int(n), Decimal(int(b)).scaleb(-2), Decimal(int(a)).scaleb(-2))
                    for y, n, b, a in pension_years}
        years, complete = roll_account(credited, ref.interest, this_year)
        balance = years[-1].closing if years else ZERO
        return Statement(info, tuple(records), tuple(years), balance, complete,
                         tuple((r[0], int(r[1]), r[2], r[3]) for r in resident))
