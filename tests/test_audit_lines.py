"""A bulk proof writes its rows' lines without building their dicts (`audit.lines_of`): the text
must be what `audit.row_line(audit.row_snapshot(...))` writes, and what `audit verify` recomputes,
byte for byte, for every kind of stored value."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Integer, String
from sqlalchemy.dialects import sqlite

from desktop.core import audit
from desktop.core.store.models import Day, Money, RegionCode, SchemeCode, StatusCode
from desktop.core.store.reading import column_reader


class Count(int):
    """An int of another type (as an IntEnum would be)."""


VALUES = st.one_of(
    st.integers(-5, 5).map(Count),
    st.none(), st.booleans(), st.integers(-2**63, 2**63 - 1), st.text(),
    st.text(alphabet=st.sampled_from('"\\/\n\t\x00\x1f\x7f\u2028é张三𠀀')),
    st.decimals(allow_nan=False, allow_infinity=False), st.decimals(places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from([Decimal("NaN"), Decimal("-0"), Decimal("1E+3"), Decimal("0.00"), Decimal("-0.05")]),
    st.dates(), st.datetimes(), st.datetimes(timezones=st.just(dt.timezone(dt.timedelta(hours=8)))),
    st.binary(max_size=8), st.floats(allow_nan=False, allow_infinity=False))
NAMES = st.lists(st.from_regex(r"[a-z_]{1,12}", fullmatch=True), min_size=1, max_size=12, unique=True)


@given(NAMES, st.data())
def test_a_line_is_the_row_snapshot_as_json(names: list[str], data: Any) -> None:
    values = [data.draw(VALUES) for _ in names]
    for table in ("contribution", "user_account"):  # user_account hides password_hash
        keys = [*names, "password_hash"]
        row = [*values, data.draw(VALUES)]
        expected = audit.row_line(audit.row_snapshot(table, keys, row))
        assert audit.lines_of(table, keys, [row]) == [expected]


def test_known_lines_by_hand() -> None:
    def make(row: list[Any]) -> str:
        return audit.lines_of("user_account", ["name", "password_hash", "amount", "born", "at", "note", "n"], [row])[0]

    assert make(["张三", "scrypt$x", Decimal("3170.49"), dt.date(1985, 11, 11),
                 dt.datetime(2026, 11, 23, 9, 0, 1, 5), 'a"b\\c\n', 7]) == (
        '{"amount":"3170.49","at":"2026-11-23 09:00:01.000005","born":"1985-11-11","n":7,'
        '"name":"张三","note":"a\\"b\\\\c\\n","password_hash":"***"}')
    assert make([None, None, None, None, None, None, True]) == (
        '{"amount":null,"at":null,"born":null,"n":true,"name":null,"note":null,"password_hash":null}')
    assert json.loads(make(["x", "h", Decimal("-0.05"), None, None, "", -1]))["amount"] == "-0.05"


def test_a_key_with_a_percent_sign_is_written_as_it_is() -> None:
    """The line's keys go into a %-template: a key with "%" in it is written as it is."""
    keys = ["rate_%", "%s", "a%%b", "n"]
    row = [Decimal("0.16"), "x", None, 1]
    line = audit.lines_of("contribution", keys, [row])[0]
    assert line == audit.row_line(audit.row_snapshot("contribution", keys, row))
    assert json.loads(line) == {"rate_%": "0.16", "%s": "x", "a%%b": None, "n": 1}


COLUMN_KINDS = st.sampled_from([
    st.text(alphabet=st.sampled_from('"\\/\n\x00\x7f\u2028é张三𠀀a%')), st.integers(-2**63, 2**63 - 1),
    st.decimals(places=2, allow_nan=False, allow_infinity=False), st.dates(), st.none(), st.datetimes(),
    st.booleans(), st.integers(-5, 5).map(Count), VALUES])


@given(NAMES, st.data())
def test_lines_made_column_by_column_are_the_lines_made_row_by_row(names: list[str], data: Any) -> None:
    """`audit.lines_of` (the bulk proof's path: a column of one type at a time) writes each row's
    line as its snapshot is written alone, for columns of one type, of none, and of mixed types."""
    keys = [*names, "password_hash"]
    kinds = [data.draw(COLUMN_KINDS) for _ in keys]
    rows = data.draw(st.lists(st.tuples(*kinds), max_size=6))
    for table in ("contribution", "user_account"):
        assert audit.lines_of(table, keys, rows) == [audit.row_line(audit.row_snapshot(table, keys, row))
                                                     for row in rows]


STORED_KINDS = [
    (Money(), st.integers(-10**30, 10**30)), (Money(), st.integers(0, 10**7)),
    (Day(), st.integers(1, 800_000)), (Day(), st.sampled_from(["2026-12-07", "1999-01-31"])),
    (RegionCode(), st.sampled_from([360100, 110000, "36010A", "360"])),
    (SchemeCode(), st.integers(0, 6)), (StatusCode(), st.sampled_from([0, 1, 2, "paid", "other"])),
    (Integer(), st.integers(-2**63, 2**63 - 1)), (String(), st.text(alphabet=st.sampled_from('"\\é张a'))),
]


@given(st.sampled_from(STORED_KINDS), st.data())
def test_a_column_written_from_its_stored_values_is_the_typed_column(kind_values: Any, data: Any) -> None:
    """`audit.stored_json_column` (the bulk proof on SQLite: money straight from its fen, a column of
    few distinct values typed once a value) writes what `json_value` writes of each typed value."""
    kind, values = kind_values
    dialect = sqlite.dialect()
    stored = data.draw(st.lists(st.one_of(values, st.none()) if data.draw(st.booleans()) else values,
                                min_size=1, max_size=40))
    if data.draw(st.booleans()):  # few distinct values
        stored = [stored[i % 2 if len(stored) > 1 else 0] for i in range(len(stored) * 5)]
    reader = column_reader(kind, dialect)
    typed = reader(stored) if reader is not None else stored
    expected = [audit.json_value(v) for v in typed]
    assert audit.stored_json_column(kind, dialect, stored, False) == expected
    assert audit.stored_json_column(kind, dialect, stored, True) == [
        '"***"' if v is not None else "null" for v in typed]


def test_money_from_fen_by_hand() -> None:
    dialect = sqlite.dialect()
    assert audit.stored_json_column(Money(), dialect, [0, 5, 100, 1398544, 10**25], False) == [
        '"0.00"', '"0.05"', '"1.00"', '"13985.44"', '"100000000000000000000000.00"']
    assert audit.stored_json_column(Money(), dialect, [-5, 7], False) == ['"-0.05"', '"0.07"']


class _Seen:
    """Kinds of column whose `from_stored` notes every column it is given (what `column_reader`
    hands `stored_json_column`'s general path)."""

    def __init__(self) -> None:
        self.columns: list[list[Any]] = []

    def kind(self, base: type[Any]) -> Any:
        """A kind of column like base whose `from_stored` notes its column first."""
        seen = self

        def from_stored(kind: Any, values: Any) -> list[Any]:
            seen.columns.append(list(values))
            return base.from_stored(kind, values)

        return type(f"Seen{base.__name__}", (base,), {"cache_ok": True, "from_stored": from_stored})()


def test_money_in_whole_fen_is_written_without_its_decimals() -> None:
    """A money column of whole, non-negative fen below 10**26 (every amount a ledger keeps) is
    written from the fen: its type never makes the Decimals. Anything else goes through the type."""
    dialect = sqlite.dialect()
    seen = _Seen()
    money = seen.kind(Money)
    for fen in ([0], [0, 5, 100, 1398544], [10**26 - 1, 0]):
        assert audit.stored_json_column(money, dialect, fen, False) == [
            audit.json_value(v) for v in Money().from_stored(fen)]
    assert seen.columns == []
    for fen in ([-5, 7], [10**26, 1], [None, 100], []):
        assert audit.stored_json_column(money, dialect, fen, False) == [
            audit.json_value(v) for v in Money().from_stored(fen)]
    assert seen.columns == [[-5, 7], [10**26, 1], [None, 100], []]


def test_a_column_of_few_values_is_typed_once_a_value() -> None:
    """A column of one type, int or text, with at most a quarter as many distinct values as rows
    (a declaration's day, region, status) is typed once a distinct value; any other column (more
    distinct values, mixed types, another type) is typed whole."""
    dialect = sqlite.dialect()
    day = 739_000
    cases: list[tuple[list[Any], list[Any] | None]] = [  # (the column, its distinct values if typed once a value)
        ([day, day + 1] * 4, [day, day + 1]),  # 8 rows, 2 distinct: 2 x 4 <= 8
        ([day] * 4, [day]),  # 4 rows, 1 distinct
        ([day, day + 1, day + 2] * 2 + [day, day + 1], None),  # 8 rows, 3 distinct: 12 > 8
        ([day, day + 1] * 3 + [day + 2], None),  # 7 rows, 3 distinct
        ([day, None] + [day] * 6, None),  # two types: an int first
        ([None] + [day] * 7, None),  # two types: None first
        (["2026-12-07", "1999-01-31"] * 4, ["1999-01-31", "2026-12-07"]),  # text kept before, few values
    ]
    for stored, once in cases:
        seen = _Seen()
        kind = seen.kind(Day)
        assert audit.stored_json_column(kind, dialect, stored, False) == [
            audit.json_value(v) for v in Day().from_stored(stored)]
        assert len(seen.columns) == 1, stored
        typed = seen.columns[0]
        assert (typed if once is None else sorted(typed)) == (stored if once is None else once), stored
