"""Pure contribution arithmetic: base limits, the base, and each scheme's amounts, to the fen."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from desktop.core.money import ZERO, to_fen
from desktop.core.month import Month

# No month of contributions before the person turns 16: 劳动法 第十五条 (禁止用人单位招用未满十六周岁的
# 未成年人) and 社会保险法 第十条/第二十三条 (employees are insured from employment).
MIN_CONTRIBUTION_AGE = 16
# A month recorded later than the month after it is a back payment (补缴): the contribution for a
# month is due by the end of the next one (社会保险费征缴暂行条例 第十条: 按月申报, 按月缴纳).
DUE_MONTHS_AFTER = 1
# A wage over this many times the base ceiling is taken for a typing error (an extra zero or two)
# and refused: the office's check of the figure typed, not a rule of law.
WAGE_CEILING_TIMES = 100


def first_contribution_month(birth_date: dt.date) -> Month:
    """The first month a person may contribute for: the month they turn MIN_CONTRIBUTION_AGE."""
    return Month(birth_date.year + MIN_CONTRIBUTION_AGE, birth_date.month)


def is_back_payment(month: Month, current: Month) -> bool:
    """Whether a month recorded in `current` is paid late (after its due month has passed)."""
    return month < current.add(-DUE_MONTHS_AFTER)


def implausible_wage(wage_fen: int, ceiling_fen: int) -> bool:
    """Whether a wage is so far over the base ceiling that it must be a typing error."""
    return wage_fen > WAGE_CEILING_TIMES * ceiling_fen


@dataclass(frozen=True, slots=True)
class Line:
    """One scheme's amounts for one month."""

    scheme: str
    employer: Decimal
    employee: Decimal
    individual_account: Decimal
    exempt: str = ""  # why the line is zero (an agreement exemption), when it is

    @property
    def pooling(self) -> Decimal:
        """What goes to the pooling fund: everything not credited to the individual account."""
        return self.employer + self.employee - self.individual_account

    @property
    def total(self) -> Decimal:
        """Employer and employee amounts together."""
        return self.employer + self.employee


def base_at(average_monthly_fen: int, ratio: Decimal) -> int:
    """A base in fen at a ratio of the average monthly wage (in fen), rounded half up to the fen."""
    return rate_times_fen(average_monthly_fen, ratio.as_integer_ratio())


def base_limits(average_monthly_fen: int, floor_ratio: Decimal, ceiling_ratio: Decimal) -> tuple[int, int]:
    """The base floor and ceiling in fen from the average wage (fen) and the ratios (60% / 300%)."""
    return base_at(average_monthly_fen, floor_ratio), base_at(average_monthly_fen, ceiling_ratio)


def contribution_base(wage_fen: int, floor_fen: int, ceiling_fen: int) -> int:
    """The wage clamped to the floor and ceiling (all in fen)."""
    if wage_fen < floor_fen:
        return floor_fen
    if wage_fen > ceiling_fen:
        return ceiling_fen
    return wage_fen


def scheme_line(
    scheme: str, base: Decimal, employer_rate: Decimal, employee_rate: Decimal,
    account_rate: Decimal | None,
) -> Line:
    """Amounts for one scheme: each share rounded half up to the fen on its own."""
    account = to_fen(base * account_rate) if account_rate is not None else ZERO
    return Line(scheme, to_fen(base * employer_rate), to_fen(base * employee_rate), account)


def rate_times_fen(base_fen: int, rate: tuple[int, int]) -> int:
    """base x rate rounded half up to the fen, in exact integers (rate as numerator, denominator).

    Equal to to_fen(base * rate) for non-negative bases; used on the bulk import path where
    Decimal contexts would cost more than the database insert itself.
    """
    num, den = rate
    return (2 * base_fen * num + den) // (2 * den)
