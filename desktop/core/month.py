"""A calendar month as a small value type, stored as the integer YYYYMM."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from desktop.core.errors import InvalidInput

_MONTH_RE = re.compile(r"^\s*([0-9]{4})\s*[-/.年]?\s*([0-9]{1,2})\s*月?\s*$")  # ASCII digits only
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


def parse_date(value: object, field: str) -> dt.date:
    """A day given as a date or ISO text; a clear refusal naming the field otherwise."""
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        raise InvalidInput("required", field)
    if not _DATE_RE.fullmatch(text):  # YYYY-MM-DD in ASCII digits only (fromisoformat takes 20260801, 2026-W01-1)
        raise InvalidInput("date.format", field, value=text)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput("date.format", field, value=text) from None


@dataclass(frozen=True, order=True, slots=True)
class Month:
    """A month of a year; ordering and arithmetic by month, never by day."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not (1 <= self.month <= 12) or not (1900 <= self.year <= 2999):
            raise ValueError(f"not a month: {self.year}-{self.month}")

    @classmethod
    def parse(cls, text: object, field: str = "month") -> Month:
        """Parse YYYY-MM (also YYYYMM, YYYY/MM, YYYY年MM月, or a date/datetime's month)."""
        if isinstance(text, (dt.date, dt.datetime)):
            return cls(text.year, text.month)
        raw = str(text).strip()
        if not raw:
            raise InvalidInput("required", field)
        match = _MONTH_RE.match(raw)
        if match is None and len(raw) >= 10 and raw[4] == "-" and raw[7] == "-":
            day = raw[:10]  # a date (or a date and time) gives its month, when it is a real date
            if not _DATE_RE.fullmatch(day) or not (len(raw) == 10 or raw[10] in " T"):
                raise InvalidInput("month.format", field, value=raw)
            try:
                dt.date.fromisoformat(day)
            except ValueError:
                raise InvalidInput("month.format", field, value=raw) from None
            match = _MONTH_RE.match(raw[:7])
        if match is None:
            raise InvalidInput("month.format", field, value=raw)
        try:
            return cls(int(match.group(1)), int(match.group(2)))
        except ValueError:
            raise InvalidInput("month.format", field, value=raw) from None

    @classmethod
    def from_int(cls, value: int) -> Month:
        """The month from its stored form YYYYMM."""
        return cls(value // 100, value % 100)

    @classmethod
    def of(cls, day: dt.date) -> Month:
        """The month a date falls in."""
        return cls(day.year, day.month)

    def as_int(self) -> int:
        """The stored form YYYYMM."""
        return self.year * 100 + self.month

    def index(self) -> int:
        """A running count of months, for differences."""
        return self.year * 12 + self.month - 1

    def add(self, months: int) -> Month:
        """The month that many months later (or earlier when negative)."""
        i = self.index() + months
        return Month(i // 12, i % 12 + 1)

    def first_day(self) -> dt.date:
        """The first day of the month."""
        return dt.date(self.year, self.month, 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def months_between(first: Month, last: Month) -> int:
    """How many months from first to last, both included."""
    return last.index() - first.index() + 1
