"""Reference data: schemes, rates, base limits, average wages, crediting rates, resident grades.

Shipped values come from resources/*.csv (each row with its source); the office's own values are
stored in the database and win. Lookups go from the region itself to its prefecture, province and
the national default (000000). Nothing is guessed: a missing value is reported by the caller.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.core.month import Month
from desktop.core.paths import resources_dir
from desktop.core.regions import fallback_chain
from desktop.core.store.models import AverageWage, InterestOverride, LimitOverride, RateOverride


@dataclass(frozen=True, slots=True)
class Scheme:
    """An insurance scheme and the months it is collected separately."""

    id: str
    kind: str  # employee | resident
    name_zh: str
    name_en: str
    individual_account: bool
    collected_from: Month
    collected_to: Month | None
    note_zh: str
    note_en: str

    def name(self, lang: str = "zh") -> str:
        """The scheme's name in the language."""
        return self.name_en if lang == "en" else self.name_zh

    def collected_in(self, month: Month) -> bool:
        """Whether the scheme is collected separately in the month."""
        return self.collected_from <= month and (self.collected_to is None or month <= self.collected_to)


@dataclass(frozen=True, slots=True)
class RateRow:
    """Rates in force for a scheme in a region and period."""

    region: str
    scheme: str
    start: Month
    end: Month | None
    employer: Decimal
    employee: Decimal
    account: Decimal | None
    risk_class: int | None
    source: str

    def covers(self, month: Month) -> bool:
        """Whether the month falls in the row's period."""
        return self.start <= month and (self.end is None or month <= self.end)


@dataclass(frozen=True, slots=True)
class Limits:
    """Base floor and ceiling as ratios of the average wage."""

    floor: Decimal
    ceiling: Decimal
    source: str


@dataclass(frozen=True, slots=True)
class Grade:
    """A residents' scheme grade: the person's yearly amount and the subsidy with it."""

    personal: Decimal
    subsidy: Decimal


def _rows(name: str) -> Iterator[dict[str, str]]:
    path = resources_dir() / name
    with path.open(encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(line for line in fh if not line.startswith("#"))


def _month_or_none(text: str) -> Month | None:
    return Month.parse(text) if text else None


@lru_cache(maxsize=1)
def schemes() -> dict[str, Scheme]:
    """Every scheme by id, in the order of resources/schemes.csv."""
    out: dict[str, Scheme] = {}
    for r in _rows("schemes.csv"):
        out[r["id"]] = Scheme(
            r["id"], r["kind"], r["name_zh"], r["name_en"], r["individual_account"] == "yes",
            Month.parse(r["collected_from"]), _month_or_none(r["collected_to"]),
            r["note_zh"], r["note_en"],
        )
    return out


def employee_schemes() -> list[str]:
    """The ids of the employees' schemes."""
    return [s.id for s in schemes().values() if s.kind == "employee"]


@lru_cache(maxsize=1)
def _shipped_rates() -> tuple[RateRow, ...]:
    return tuple(
        RateRow(
            r["region"], r["scheme"], Month.parse(r["from"]), _month_or_none(r["to"]),
            Decimal(r["employer"]), Decimal(r["employee"]),
            Decimal(r["account"]) if r["account"] else None,
            int(r["risk_class"]) if r["risk_class"] else None, r["source"],
        )
        for r in _rows("rates.csv")
    )


@lru_cache(maxsize=1)
def _shipped_limits() -> tuple[tuple[str, Month, Month | None, Limits], ...]:
    return tuple(
        (r["region"], Month.parse(r["from"]), _month_or_none(r["to"]),
         Limits(Decimal(r["floor"]), Decimal(r["ceiling"]), r["source"]))
        for r in _rows("base_limits.csv")
    )


@lru_cache(maxsize=1)
def _shipped_wages() -> dict[tuple[str, int], Decimal]:
    return {(r["region"], int(r["year"])): Decimal(r["monthly"]) for r in _rows("average_wages.csv")}


@lru_cache(maxsize=1)
def _shipped_interest() -> dict[int, Decimal]:
    return {int(r["year"]): Decimal(r["rate"]) for r in _rows("interest.csv")}


def shipped_interest(year: int) -> Decimal | None:
    """The shipped crediting rate of a year (resources/interest.csv), or None."""
    return _shipped_interest().get(year)


@lru_cache(maxsize=1)
def _shipped_grades() -> tuple[tuple[str, str, int, int | None, Grade], ...]:
    return tuple(
        (r["region"], r["scheme"], int(r["from_year"]),
         int(r["to_year"]) if r["to_year"] else None,
         Grade(Decimal(r["grade"]), Decimal(r["subsidy"])))
        for r in _rows("resident_grades.csv")
    )


class Reference:
    """Reference lookups for one database session, office overrides first.

    The office's override tables are read once per instance: make a new one after changing them.
    """

    def __init__(self, session: Session) -> None:
        self._rates = [
            RateRow(o.region, o.scheme, Month.from_int(o.from_month),
                    Month.from_int(o.to_month) if o.to_month else None,
                    o.employer, o.employee, o.account, o.risk_class, "office")
            for o in session.scalars(select(RateOverride).order_by(RateOverride.id.desc()))
        ]
        self._limits = [
            (o.region, Month.from_int(o.from_month),
             Month.from_int(o.to_month) if o.to_month else None,
             Limits(o.floor, o.ceiling, "office"))
            for o in session.scalars(select(LimitOverride).order_by(LimitOverride.id.desc()))
        ]
        self._wages = {(w.region, w.year): w.monthly for w in session.scalars(select(AverageWage))}
        self._interest = {i.year: i.rate for i in session.scalars(select(InterestOverride))}
        self._rate_cache: dict[tuple[str, str, Month, int | None], RateRow | None] = {}

    def rate(self, region: str, scheme: str, month: Month, risk_class: int | None) -> RateRow | None:
        """The rate row in force, or None. Injury rates are by the employer's risk class."""
        key = (region, scheme, month, risk_class)
        if key in self._rate_cache:
            return self._rate_cache[key]
        found: RateRow | None = None
        for code in fallback_chain(region):
            for rows in (self._rates, _shipped_rates()):
                for row in rows:
                    if (row.region == code and row.scheme == scheme and row.covers(month)
                            and (row.risk_class is None or row.risk_class == risk_class)):
                        found = row
                        break
                if found:
                    break
            if found:
                break
        self._rate_cache[key] = found
        return found

    def limits(self, region: str, month: Month) -> Limits | None:
        """Base floor and ceiling ratios in force."""
        for code in fallback_chain(region):
            for rows in (self._limits, _shipped_limits()):
                for reg, start, end, lim in rows:
                    if reg == code and start <= month and (end is None or month <= end):
                        return lim
        return None

    def average_wage(self, region: str, year: int) -> tuple[str, Decimal] | None:
        """The previous-year average monthly wage used in the year, with the region it was set for."""
        for code in fallback_chain(region):
            for table in (self._wages, _shipped_wages()):
                if (code, year) in table:
                    return code, table[(code, year)]
        return None

    def interest(self, year: int) -> Decimal | None:
        """The individual-account crediting rate of the year, or None when unknown."""
        if year in self._interest:
            return self._interest[year]
        return _shipped_interest().get(year)

    def grades(self, region: str, scheme: str, year: int) -> list[Grade]:
        """The residents' scheme grades in force for the region and year."""
        for code in fallback_chain(region):
            found = [g for reg, sch, start, end, g in _shipped_grades()
                     if reg == code and sch == scheme and start <= year
                     and (end is None or year <= end)]
            if found:
                return found
        return []
