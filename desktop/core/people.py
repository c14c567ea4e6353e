"""An insured person as the window and the command line show them, and what a search for people
asks of the `worker` table, in order: one plan, run by the ledger through SQLAlchemy
(`WorkerService.search_box`, `find`; `HistoryService.find_by_number`) and, while the ledger is still loading
after start, straight through sqlite3 (`desktop/core/quick_search.py`). Light on purpose: nothing
here loads SQLAlchemy."""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

INFO_COLUMNS = ("id", "id_number", "ssn", "name", "sex", "birth_date", "hukou_region", "hukou_type",
                "nationality", "passport", "phone")
NUMBER_PREFIX = re.compile(r"^([0-9]{1,17}[0-9X]?|F[0-9]{1,14}[0-9X]?)$")  # what the search box takes for a number


class WorkerInfo(NamedTuple):
    """An insured person as the CLI and the window show them (immutable; cheap to build)."""

    id: int
    id_number: str | None
    ssn: str
    name: str
    sex: str
    birth_date: dt.date
    hukou_region: str | None
    hukou_type: str | None
    nationality: str
    passport: str | None
    phone: str | None

    @property
    def key(self) -> str:
        """The number a clerk knows the person by."""
        return self.id_number or self.ssn


def info_from_row(row: tuple[object, ...]) -> WorkerInfo:
    """A person from a row of INFO_COLUMNS (a birth date read as text is made a date)."""
    born = row[5]
    if isinstance(born, str):
        born = dt.date.fromisoformat(born[:10])
    return WorkerInfo(row[0], row[1], row[2], row[3], row[4], born, row[6], row[7],  # type: ignore[arg-type]
                      row[8], row[9], row[10])  # type: ignore[arg-type]


def clean(text: object) -> str:
    """Upper-case the text and drop spaces and dashes (as typed or scanned)."""
    return re.sub(r"[\s\-]", "", str(text)).upper()


class Lookup(NamedTuple):
    """One look-up of a search: rows whose `column` starts with (`prefix`), equals (`equal`) or
    contains (`contains`) value, in the order of `order`, at most the search's limit."""

    column: str
    kind: str  # prefix | equal | contains
    value: str
    order: str


def after(prefix: str) -> str:
    """The first text after every text starting with prefix (its last character's next)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def number_plan(prefix: str) -> list[Lookup]:
    """People whose ID number or social security number starts with prefix, in number order (the
    database walks its index and stops at the limit: the first digit typed costs as little as the
    last)."""
    number = clean(prefix)
    if not number:
        return []
    return [Lookup(column, "prefix", number, column) for column in ("id_number", "ssn")]


def find_plan(text: str) -> list[Lookup]:
    """A search by ID number (or its beginning), passport number, pinyin initials or name, by name;
    for Chinese text, names containing it last."""
    q = " ".join(str(text).split())
    if not q:
        return []
    number = clean(q)
    plan: list[Lookup] = []
    if re.fullmatch(r"[0-9]{1,17}[0-9X]?", number) or re.fullmatch(r"F[0-9]*", number):
        plan += [Lookup("id_number", "prefix", number, "name"), Lookup("ssn", "prefix", number, "name")]
    if re.fullmatch(r"[A-Za-z0-9]{5,20}", q):
        plan.append(Lookup("passport", "equal", number, "name"))
    if q.isascii() and q.isalpha():
        plan.append(Lookup("initials", "prefix", q.lower().replace(" ", ""), "name"))
    plan.append(Lookup("name", "prefix", q, "name"))
    if not q.isascii():
        plan.append(Lookup("name", "contains", q, "name"))
    return plan


def box_plan(text: str) -> list[Lookup]:
    """What the window's search box asks for text: a number's beginning in number order, anything
    else (name, pinyin initials, passport) as `find_plan`."""
    return number_plan(text) if NUMBER_PREFIX.match(clean(text)) else find_plan(text)


def like_pattern(value: str) -> str:
    """A LIKE pattern for `contains value`, with '/' as the escape character."""
    escaped = value.replace("/", "//").replace("%", "/%").replace("_", "/_")
    return f"%{escaped}%"
