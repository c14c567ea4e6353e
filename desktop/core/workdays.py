"""China's working days: the State Council holiday calendar with weekend make-up days (调休上班).

Two sources are combined. The chinese_calendar package carries the State Council General Office's
yearly holiday notices for the years it covers (2004-2026 in version 1.11). resources/workdays.csv
(columns date,kind,name,source; kind is `holiday` or `workday`) adds later years and corrections,
and the service layer may pass the office's own rows on top. A row wins over the package for its
date; among rows the later one wins.

A year is *known* when the package covers it or at least one row falls in it. In an unknown year
Monday to Friday are taken as working days, and any due date reached through such a year is marked
as an estimate.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import chinese_calendar

from desktop.core.paths import resources_dir

HOLIDAY = "holiday"
WORKDAY = "workday"
KINDS = (HOLIDAY, WORKDAY)
FILE_NAME = "workdays.csv"
_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class DueDate:
    """A date reached by counting working days; estimated when a year on the way is not known."""

    date: dt.date
    estimated: bool


def _as_date(day: dt.date) -> dt.date:
    return day.date() if isinstance(day, dt.datetime) else day


@lru_cache(maxsize=1)
def _builtin() -> tuple[frozenset[int], dict[dt.date, bool]]:
    """The package's covered years and its marked days (True = worked, False = day off)."""
    marks: dict[dt.date, bool] = {}
    for day in chinese_calendar.holidays:
        marks[_as_date(day)] = False
    for day in chinese_calendar.workdays:
        marks[_as_date(day)] = True
    if not marks:
        return frozenset(), marks
    first = min(marks).year
    last = max(marks).year
    return frozenset(range(first, last + 1)), marks


def builtin_years() -> frozenset[int]:
    """The years the chinese_calendar package covers."""
    return _builtin()[0]


def parse_rows(lines: Iterable[str], origin: str = FILE_NAME) -> list[tuple[dt.date, str]]:
    """The (date, kind) rows of a workdays CSV text; lines starting with # are skipped.

    A malformed row raises ValueError naming the origin and the line number.
    """
    numbered = [(no, line) for no, line in enumerate(lines, start=1) if not line.startswith("#")]
    if not numbered:
        return []
    reader = csv.DictReader(line for _, line in numbered)
    rows: list[tuple[dt.date, str]] = []
    for record in reader:
        line_no = numbered[min(reader.line_num, len(numbered)) - 1][0]
        raw_date = (record.get("date") or "").strip()
        kind = (record.get("kind") or "").strip()
        if not raw_date and not kind:
            continue
        try:
            day = dt.date.fromisoformat(raw_date)
        except ValueError:
            raise ValueError(
                f"{origin} line {line_no}: {raw_date!r} is not a date YYYY-MM-DD") from None
        if kind not in KINDS:
            raise ValueError(
                f"{origin} line {line_no}: kind {kind!r} is not one of {', '.join(KINDS)}")
        rows.append((day, kind))
    return rows


def read_rows(path: Path) -> list[tuple[dt.date, str]]:
    """The (date, kind) rows of a workdays CSV file; an absent file has none."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return parse_rows(fh, path.name)


def shipped_rows() -> list[tuple[dt.date, str]]:
    """The rows of resources/workdays.csv."""
    return read_rows(resources_dir() / FILE_NAME)


class WorkCalendar:
    """Working days from the built-in State Council calendar plus extra (date, kind) rows."""

    def __init__(self, extra: Iterable[tuple[dt.date, str]] = ()) -> None:
        years, builtin = _builtin()
        self._builtin_years = years
        self._marks: dict[dt.date, bool] = dict(builtin)
        self._row_years: set[int] = set()
        rows: list[tuple[dt.date, str]] = []
        for day, kind in extra:
            if kind not in KINDS:
                raise ValueError(f"kind {kind!r} is not one of {', '.join(KINDS)}")
            day = _as_date(day)
            rows.append((day, kind))
            self._marks[day] = kind == WORKDAY
            self._row_years.add(day.year)
        self._rows = tuple(rows)

    def with_rows(self, extra: Iterable[tuple[dt.date, str]]) -> WorkCalendar:
        """A new calendar with these rows laid over this one's."""
        return WorkCalendar([*self._rows, *extra])

    def known(self, year: int) -> bool:
        """Whether the year's holiday arrangement is known (built in, or any row in the year)."""
        return year in self._builtin_years or year in self._row_years

    def known_between(self, a: dt.date, b: dt.date) -> bool:
        """Whether every year from a's to b's (in either order) is known."""
        low, high = sorted((a.year, b.year))
        return all(self.known(y) for y in range(low, high + 1))

    def is_workday(self, day: dt.date) -> bool:
        """Whether people work on the day; in an unknown year Monday-Friday (an estimate)."""
        day = _as_date(day)
        mark = self._marks.get(day)
        if mark is not None:
            return mark
        return day.weekday() < 5

    def _days_after(self, start: dt.date) -> Iterator[dt.date]:
        day = start
        while True:
            day += _ONE_DAY
            yield day

    def add_workdays(self, start: dt.date, n: int) -> DueDate:
        """The n-th working day after start (start itself not counted); n = 0 gives start.

        The result is estimated when any year from start's to the result's is not known.
        A negative n raises ValueError: due dates only run forward.
        """
        if n < 0:
            raise ValueError("n must not be negative")
        start = _as_date(start)
        day = start
        if n:
            count = 0
            for day in self._days_after(start):
                if self.is_workday(day):
                    count += 1
                    if count == n:
                        break
        return DueDate(day, not self.known_between(start, day))

    def workdays_between(self, a: dt.date, b: dt.date) -> int:
        """Working days after a up to and including b.

        Zero when b is a; when b is before a, minus the working days after b up to and including a,
        so workdays_between(a, b) == -workdays_between(b, a). For every n >= 0,
        workdays_between(d, add_workdays(d, n).date) == n.
        """
        a = _as_date(a)
        b = _as_date(b)
        if b < a:
            return -self.workdays_between(b, a)
        count = 0
        day = a + _ONE_DAY
        while day <= b:
            if self.is_workday(day):
                count += 1
            day += _ONE_DAY
        return count


@lru_cache(maxsize=1)
def default_calendar() -> WorkCalendar:
    """The calendar from the built-in data and the shipped resources/workdays.csv (cached)."""
    return WorkCalendar(shipped_rows())
