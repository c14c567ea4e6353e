"""Pure contribution arithmetic: base limits, the base, and each scheme's amounts, to the fen."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from desktop.core.money import ZERO, to_fen


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


def base_limits(average_monthly: Decimal, floor_ratio: Decimal, ceiling_ratio: Decimal) -> tuple[Decimal, Decimal]:
    """The base floor and ceiling in yuan from the average wage and the ratios (60% / 300%)."""
    return to_fen(average_monthly * floor_ratio), to_fen(average_monthly * ceiling_ratio)


def contribution_base(wage: Decimal, floor: Decimal, ceiling: Decimal) -> Decimal:
    """The wage clamped to the floor and ceiling."""
    if wage < floor:
        return floor
    if wage > ceiling:
        return ceiling
    return wage


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
