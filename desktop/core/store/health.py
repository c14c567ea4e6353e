"""Is the office database damaged? SQLite's own checks, and telling damage from other errors.

`check_sqlite` runs `PRAGMA quick_check` (every b-tree page read and checked, indexes not compared
with their tables) or, for a full check, `PRAGMA integrity_check` (also every index against its
table, UNIQUE and NOT NULL), on a SQLite connection of its own: nothing but SQLite opens the file.
A file SQLite cannot open as a database at all ("file is not a database") is damage too.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

QUICK = "quick"
FULL = "full"
PROBLEM_LIMIT = 100  # SQLite stops listing problems after this many
_CORRUPT, _NOTADB = 11, 26  # SQLITE_CORRUPT, SQLITE_NOTADB (primary result codes)
_WORDS = ("malformed", "not a database", "database corruption", "database disk image")

Cancelled = Callable[[], bool]


@dataclass(frozen=True)
class Health:
    """What a check of the database found: ok, which check (quick, full, or the error met while
    opening or reading: "open"), and SQLite's own words for each problem."""

    ok: bool
    kind: str
    problems: tuple[str, ...] = ()

    @property
    def summary(self) -> str:
        """The first problem in one short line (for messages)."""
        if not self.problems:
            return ""
        first = self.problems[0]
        return first if len(first) <= 120 else first[:119] + "…"


OK_QUICK = Health(True, QUICK)


class CheckCancelled(Exception):
    """The check was cancelled before it finished (nothing is known)."""


def is_corruption(exc: BaseException) -> bool:
    """Whether an error (sqlite3's, or SQLAlchemy's wrapping it) says the file is damaged."""
    orig = getattr(exc, "orig", exc)
    if not isinstance(orig, sqlite3.DatabaseError):
        return False
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(code, int) and code & 0xFF in (_CORRUPT, _NOTADB):
        return True
    text = str(orig).lower()
    return any(w in text for w in _WORDS)


def damage_of(exc: BaseException, kind: str = "open") -> Health:
    """The damage an error reports, as a failed check of that kind."""
    orig = getattr(exc, "orig", exc)
    return Health(False, kind, (str(orig),))


def _problems(rows: list[tuple[object, ...]]) -> tuple[str, ...]:
    """SQLite's report as one problem a line ("ok" alone means none)."""
    out: list[str] = []
    for (text, *_rest) in rows:
        for line in str(text).splitlines():
            line = line.strip()
            if line and line != "ok" and not line.startswith("*** in database"):
                out.append(line)
    return tuple(out)


def check_sqlite(path: Path, full: bool = False, cancelled: Cancelled | None = None) -> Health:
    """quick_check (or integrity_check when full) of a SQLite file, on a read-only connection.

    A missing file is not damage (a new office is made there). cancelled() is asked every few
    thousand SQLite steps; when it says yes the check stops with CheckCancelled.
    """
    kind = FULL if full else QUICK
    if not path.exists():
        return Health(True, kind)
    from urllib.request import pathname2url  # (http and email come with it: not at start)

    uri = f"file:{pathname2url(str(path))}?mode=ro"
    try:
        con = sqlite3.connect(uri, uri=True, check_same_thread=False)
    except sqlite3.DatabaseError as exc:
        if is_corruption(exc):
            return damage_of(exc, kind)
        raise
    try:
        con.execute("PRAGMA busy_timeout=10000")
        if cancelled is not None:
            con.set_progress_handler(lambda: 1 if cancelled() else 0, 20000)
        pragma = "integrity_check" if full else "quick_check"
        try:
            rows = con.execute(f"PRAGMA {pragma}({PROBLEM_LIMIT})").fetchall()
        except sqlite3.OperationalError as exc:
            if cancelled is not None and "interrupt" in str(exc).lower():
                raise CheckCancelled() from None
            if is_corruption(exc):
                return damage_of(exc, kind)
            raise
        except sqlite3.DatabaseError as exc:
            if is_corruption(exc):
                return damage_of(exc, kind)
            raise
    finally:
        con.close()
    problems = _problems(rows)
    return Health(not problems, kind, problems)
