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

from desktop.core import audit


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
