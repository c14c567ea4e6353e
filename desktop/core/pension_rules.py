"""The pension at retirement as formulas (国发〔2005〕38号): parameters, the divisor table, the amounts.

Figures come from resources/pension.toml and resources/pension_divisors.csv, each with its source;
the province's calculation base (计发基数) and transitional coefficient are office data. Pure
functions on Decimal yuan; no database.

Every amount is rounded half up to the fen once, at the end of its formula:
- indexed wage = calculation base x average index;
- basic pension = (calculation base + indexed wage) / 2 x months / 12 x 1% (basic_rate_per_year);
- account pension = account balance / divisor;
- transitional pension = indexed wage x transitional months / 12 x the province's coefficient.
The average index is the mean over the months of (own base / average monthly wage of that year),
half up to index_places decimals; a divisor for an age with extra months that the office has not
entered is interpolated linearly between the whole ages, half up to divisor_places decimals.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from desktop.core.errors import RefusedByRule
from desktop.core.money import to_fen
from desktop.core.paths import resources_dir

PARAMS_FILE = "pension.toml"
DIVISORS_FILE = "pension_divisors.csv"
MONTHS_IN_YEAR = 12  # calendar fact


@dataclass(frozen=True)
class PensionParams:
    """The fixed figures of the formula and the defaults of an estimate (resources/pension.toml)."""

    basic_rate: Decimal
    index_places: int
    divisor_places: int
    transitional_kinds: tuple[str, ...]
    growth: Decimal
    base_ratio: Decimal
    base_ratio_range: tuple[Decimal, Decimal]
    flexible_rate: Decimal
    flexible_account_rate: Decimal
    flexible_ratios: tuple[Decimal, ...]
    sources: Mapping[str, str]


@lru_cache(maxsize=1)
def params() -> PensionParams:
    """The parameters as shipped."""
    with (resources_dir() / PARAMS_FILE).open("rb") as fh:
        data = tomllib.load(fh)

    def v(key: str) -> object:
        return data[key]["value"]

    lo, hi = (Decimal(str(x)) for x in data["base_ratio_range"]["value"])
    return PensionParams(
        Decimal(str(v("basic_rate_per_year"))), int(str(v("index_places"))), int(str(v("divisor_places"))),
        tuple(str(x) for x in data["transitional_kinds"]["value"]), Decimal(str(v("growth"))),
        Decimal(str(v("base_ratio"))), (lo, hi), Decimal(str(v("flexible_rate"))),
        Decimal(str(v("flexible_account_rate"))),
        tuple(Decimal(str(x)) for x in data["flexible_ratios"]["value"]),
        {k: str(t.get("source", "")) for k, t in data.items()})


@lru_cache(maxsize=1)
def divisor_table() -> dict[int, Decimal]:
    """The State Council 2005 divisor table: whole age -> months (resources/pension_divisors.csv)."""
    with (resources_dir() / DIVISORS_FILE).open(encoding="utf-8", newline="") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return {int(r["age"]): Decimal(r["months"]) for r in rows}


@dataclass(frozen=True, slots=True)
class Divisor:
    """A divisor and where it came from: office (the office's own month table), table, interpolated."""

    value: Decimal
    source: str

    @property
    def interpolated(self) -> bool:
        """Whether the value was interpolated between whole ages."""
        return self.source == "interpolated"


def divisor(age_months: int, own: Mapping[int, Decimal] | None = None) -> Divisor:
    """The divisor (计发月数) for a retirement age in months: the office's own value for that age if
    entered, else the table's for a whole age, else interpolated between the two whole ages around it
    (D(a) + (D(a+1) - D(a)) x months / 12, half up to divisor_places decimals)."""
    if own and age_months in own:
        return Divisor(own[age_months], "office")
    years, extra = divmod(age_months, MONTHS_IN_YEAR)
    table = divisor_table()
    if years not in table or (extra and years + 1 not in table):
        raise RefusedByRule("pension.divisor_age", "age", age=age_text(age_months), low=min(table), high=max(table))
    if not extra:
        return Divisor(table[years], "table")
    lo, hi = table[years], table[years + 1]
    value = lo + (hi - lo) * extra / MONTHS_IN_YEAR
    return Divisor(value.quantize(Decimal(1).scaleb(-params().divisor_places), ROUND_HALF_UP), "interpolated")


def age_text(age_months: int) -> str:
    """An age as forms print it (721 -> 60岁1个月)."""
    y, m = divmod(age_months, MONTHS_IN_YEAR)
    return f"{y}岁" + (f"{m}个月" if m else "")


def age_in_months(birth: dt.date, on: dt.date) -> int:
    """Whole months of age on a day (a month-end day counts a birthday that month lacks)."""
    months = (on.year - birth.year) * MONTHS_IN_YEAR + on.month - birth.month
    if on.day < birth.day and on.day < calendar.monthrange(on.year, on.month)[1]:
        months -= 1
    return months


def average_index(index_sum: Decimal, months: int) -> Decimal:
    """The mean index over the months, half up to index_places decimals (0 without months)."""
    if months <= 0:
        return Decimal(0).quantize(Decimal(1).scaleb(-params().index_places))
    return (index_sum / months).quantize(Decimal(1).scaleb(-params().index_places), ROUND_HALF_UP)


def indexed_wage(calc_base: Decimal, index: Decimal) -> Decimal:
    """本人指数化月平均缴费工资 = calculation base x average index, half up to the fen."""
    return to_fen(calc_base * index)


def basic_pension(calc_base: Decimal, indexed: Decimal, months: int) -> Decimal:
    """基础养老金 = (calculation base + indexed wage) / 2 x years x 1%, years = months / 12; half up
    to the fen once (computed as (base + indexed) x months x rate / 24)."""
    return to_fen((calc_base + indexed) * months * params().basic_rate / (2 * MONTHS_IN_YEAR))


def account_pension(balance: Decimal, div: Decimal) -> Decimal:
    """个人账户养老金 = balance / divisor, half up to the fen."""
    return to_fen(balance / div)


def transitional_pension(indexed: Decimal, months: int, coefficient: Decimal) -> Decimal:
    """过渡性养老金 = indexed wage x months / 12 x coefficient, half up to the fen once."""
    return to_fen(indexed * months * coefficient / MONTHS_IN_YEAR)


def grown(value: Decimal, growth: Decimal, years: int) -> Decimal:
    """A yuan figure grown by a yearly rate over whole years, half up to the fen once at the end."""
    return to_fen(value * (1 + growth) ** years)
