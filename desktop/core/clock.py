"""Where "now" comes from: one clock per ledger, so every date the program writes or compares can be
pinned (tests, an office checking what a due date would be) and nothing reads the wall clock on its own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable


class Clock:
    """The wall clock in local time: `now()` is the moment, `today()` its date.

    `Clock(day=...)` pins the date to what a function returns (a test's "today") while the time of
    day keeps running, so entries written one after another still come out in order. `Clock(at=...)`
    pins the moment itself; `advance()` moves a pinned moment on.
    """

    def __init__(self, day: Callable[[], dt.date] | None = None,
                 at: dt.datetime | None = None) -> None:
        self._day = day
        self._at = at

    def now(self) -> dt.datetime:
        """The current local date and time, naive (as every timestamp in the database)."""
        if self._at is not None:
            return self._at
        moment = dt.datetime.now()
        if self._day is None:
            return moment
        return dt.datetime.combine(self._day(), moment.time())

    def today(self) -> dt.date:
        """The current local date."""
        if self._at is not None:
            return self._at.date()
        if self._day is not None:
            return self._day()
        return dt.date.today()

    def advance(self, delta: dt.timedelta) -> None:
        """Move a pinned moment on by `delta` (only for a clock made with `at`)."""
        if self._at is None:
            raise ValueError("only a clock pinned with at= can be advanced")
        self._at += delta


SYSTEM = Clock()

# What callers may pass where a clock is wanted.
ClockLike = Clock | Callable[[], dt.date] | dt.date | dt.datetime | None


def as_clock(value: ClockLike) -> Clock:
    """A Clock from what callers pass: a Clock, a function giving the date, a fixed date or moment,
    or None for the wall clock."""
    if value is None:
        return SYSTEM
    if isinstance(value, Clock):
        return value
    if isinstance(value, dt.datetime):
        return Clock(at=value)
    if isinstance(value, dt.date):
        fixed = value
        return Clock(day=lambda: fixed)
    return Clock(day=value)
