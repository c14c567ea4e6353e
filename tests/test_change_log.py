"""The change log kept small (`desktop.core.sync.stored`, migration 0017): every change reads back
exactly as it travels, a record's versions are found by a digest of its key without ever taking
another record's, the migration moves a real office's log both ways without a byte changed, and a
change costs a bounded number of bytes in the database file."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import inspect, text
from sync_support import EMP_NC, employer_of, make_office, send, two

from desktop.core.ledger import Ledger
from desktop.core.store.engine import _alembic_config, migrate
from desktop.core.sync import capture, dictionary_2
from desktop.core.sync.stored import (
    DEFLATE_1,
    PLAIN,
    TABLE_CODES,
    ZSTD_2,
    DamagedChange,
    at_number,
    at_text,
    derived_key,
    key_hash,
    pack_data,
    stored_row,
    travelling,
    unpack_data,
)
from desktop.core.sync.tables import TABLES, decode_data, record_key

__all__ = ["two"]  # the fixture
ID_1, ID_2, ID_3 = "510107198511113215", "360102199003071543", "110105199003071239"
CONTRIB = ('["510107198511113215","91360100MA35F7Q10X","360100",202511,"pension",500000,500000,'
           '80000,40000,40000,"regular","paid","2026-11-23"]')
CONTRIB_KEY = "510107198511113215|91360100MA35F7Q10X|202511|pension"


def back(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """A stored row (stored.STORED_COLUMNS) read back as it travels, with its origin."""
    origin, seq, lamport, tbl, _khash, key, base, data, at_us, at = row
    return (origin, *travelling((seq, lamport, tbl, key, base, data, at_us, at)))


# -- the codec -------------------------------------------------------------------------------------


def test_a_contribution_change_is_kept_in_well_under_half_its_text() -> None:
    row = stored_row("NC01", 7, 3, "contribution", CONTRIB_KEY, None, CONTRIB, "2026-11-23 21:05:34.790193")
    origin, seq, lamport, tbl, khash, key, base, data, at_us, at = row
    assert (origin, seq, lamport, tbl, key, base, at) == ("NC01", 7, 3, 3, None, None, None)
    assert khash == key_hash("contribution", CONTRIB_KEY)
    assert data[0] == ZSTD_2 and len(data) < len(CONTRIB) * 0.45  # 131 bytes of text
    # 1970-01-01 to 2026-01-01: 56 years of 365 days and 14 leap days (1972-2024) = 20,454 days;
    # then January to October (304 days) and 22 days of November = 20,780 days; 21:05:34 is 75,934 s
    assert at_us == (20780 * 86400 + 75934) * 10**6 + 790193
    assert back(row) == ("NC01", 7, 3, "contribution", CONTRIB_KEY, None, CONTRIB, "2026-11-23 21:05:34.790193")


# What the codecs wrote for CONTRIB: data a release stored must read back for ever, so a codec's
# dictionary (stored.DICT_1, dictionary_2) or parameters changed under it turn this red.
CONTRIB_1 = bytes.fromhex(
    "018b5632353430343037b4b43035040263234353a08ca5a1b11950d8c0d7d1d8d4cd3cd0d0200228081152d2016a03aa4532da"
    "141c7c30ca024c9a2091586d36d33534d43532568a0500")
CONTRIB_2 = bytes.fromhex(
    "0220837501002342054f8ca496f6608150eea0b1030fb664d7c2b204414209fc4f5548406ec1bd0fe718eb32b64f95114613f9ff")


def test_data_every_codec_stored_reads_back() -> None:
    assert unpack_data(CONTRIB_1) == CONTRIB and CONTRIB_1[0] == DEFLATE_1
    assert unpack_data(CONTRIB_2) == CONTRIB and CONTRIB_2[0] == ZSTD_2
    # new data: codec 2 (the bytes may differ with another libzstd: only reading them back counts)
    assert pack_data(CONTRIB)[0] == ZSTD_2 and unpack_data(pack_data(CONTRIB)) == CONTRIB


def test_the_codec_2_dictionary_is_the_one_it_was_made_with() -> None:
    raw = base64.b64decode("".join(dictionary_2.DICTIONARY))
    assert len(raw) == 4096 and hashlib.sha256(raw).hexdigest() == dictionary_2.SHA256
    assert dictionary_2.SHA256 == "d91899a65dd5662068335e88617f642b96da246ad7a008041c4261e9ac7ad38c"


def test_a_change_is_read_in_any_thread() -> None:
    texts = [CONTRIB.replace("202511", str(202500 + m)) for m in range(1, 13)]
    with ThreadPoolExecutor(4) as pool:  # each thread makes its own compressor and decompressor
        packed = list(pool.map(pack_data, texts * 50))
        assert list(pool.map(unpack_data, packed)) == texts * 50


def test_text_that_no_codec_can_shrink_is_kept_plain() -> None:
    assert pack_data("[1]") == bytes((PLAIN,)) + b"[1]"
    assert unpack_data(pack_data("[1]")) == "[1]"
    assert pack_data("") == bytes((PLAIN,)) and unpack_data(bytes((PLAIN,))) == ""


@settings(max_examples=examples(300))
@given(st.text())
def test_any_data_text_reads_back_exactly(data: str) -> None:
    packed = pack_data(data)
    assert unpack_data(packed) == data and unpack_data(memoryview(packed)) == data
    assert len(packed) <= len(data.encode()) + 1


@settings(max_examples=examples(300))
@given(st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)))
def test_a_time_as_the_program_writes_it_is_a_number_that_gives_it_back(moment: dt.datetime) -> None:
    text_ = moment.isoformat(sep=" ", timespec="microseconds")
    number = at_number(text_)
    assert number is not None and at_text(number) == text_
    assert number == (moment - dt.datetime(1970, 1, 1)) // dt.timedelta(microseconds=1)


@pytest.mark.parametrize("at", ["2026-11-23T21:05:34.790193", "2026-11-23 21:05:34", "2026-11-23",
                                "2026-11-23 21:05:34.790193+08:00", "yesterday", ""])
def test_a_time_written_otherwise_is_kept_as_its_text(at: str) -> None:
    row = stored_row("BJ01", 1, 1, "contribution", CONTRIB_KEY, None, CONTRIB, at)
    assert row[8:] == (None, at)
    assert back(row)[-1] == at


def test_a_key_the_data_does_not_name_is_kept() -> None:
    other = "510107198511113215|91360100MA35F7Q10X|202512|pension"  # another month than the data's
    row = stored_row("BJ01", 1, 1, "contribution", other, "NC01:4", CONTRIB, "2026-11-23 00:00:00.000000")
    assert row[5] == other and row[4] == key_hash("contribution", other)
    assert back(row)[4:7] == (other, "NC01:4", CONTRIB)
    # and data of the first file format (an object by field name) names its record just the same
    data = json.dumps(dict(zip(TABLES["contribution"].names, json.loads(CONTRIB), strict=True)))
    assert derived_key("contribution", data) == CONTRIB_KEY
    assert stored_row("BJ01", 2, 1, "contribution", CONTRIB_KEY, None, data, "x")[5] is None


@settings(max_examples=examples(200))
@given(st.sampled_from(sorted(TABLE_CODES)), st.text(min_size=1), st.one_of(st.none(), st.text()),
       st.text(), st.text(), st.integers(1, 2**62), st.integers(0, 2**62))
def test_any_change_reads_back_as_it_came(table: str, key: str, base: str | None, data: str, at: str,
                                          seq: int, lamport: int) -> None:
    change = ("XX01", seq, lamport, table, key, base, data, at)
    assert back(stored_row(*change)) == change


_VALUE = st.one_of(st.none(), st.integers(), st.text(max_size=8), st.booleans())


@settings(max_examples=examples(300))
@given(st.sampled_from(sorted(TABLE_CODES)), st.data())
def test_the_key_read_from_data_is_the_record_key_of_its_fields(table: str, data: st.DataObject) -> None:
    spec = TABLES[table]
    values = data.draw(st.lists(_VALUE, max_size=len(spec.fields) + 1))
    text_ = json.dumps(values, ensure_ascii=False)
    try:
        expected: str | None = record_key(spec, decode_data(spec, values))
    except (KeyError, TypeError, ValueError):
        expected = None
    assert derived_key(table, text_) == expected


@pytest.mark.parametrize(("blob", "why"), [
    (bytes((3,)) + b"abc", "unknown codec 03"),
    (b"", "unknown codec none"),
    (CONTRIB_1[:-3], "truncated"),
    (CONTRIB_1 + b"\x00", "trailing"),
    (CONTRIB_2[:-3], "truncated"),
    (CONTRIB_2 + b"\x00", "trailing"),
    (bytes((ZSTD_2,)), "truncated"),
    (bytes((ZSTD_2,)) + b"\xff" * 20, "change data: zstd decompressor error"),
    (bytes((PLAIN,)) + b"\xff\xfe", "change data: 'utf-8' codec"),
])
def test_damaged_change_data_is_refused_by_name(blob: bytes, why: str) -> None:
    with pytest.raises(DamagedChange, match=why):
        unpack_data(blob)


def test_a_change_without_a_key_whose_data_names_no_record_is_damaged() -> None:
    row = list(stored_row("NC01", 1, 1, "contribution", CONTRIB_KEY, None, CONTRIB, "x"))
    row[7] = pack_data("[]")
    with pytest.raises(DamagedChange, match="contribution change without a key"):
        back(tuple(row))
    row[3] = 99
    with pytest.raises(DamagedChange, match="unknown table number 99"):
        back(tuple(row))
    with pytest.raises(DamagedChange, match="unknown table 'office_key'"):
        stored_row("NC01", 1, 1, "office_key", "k", None, "[]", "x")


# -- in a ledger -----------------------------------------------------------------------------------


def history(a: Ledger, b: Ledger, folder: Path) -> None:
    """Changes made at both offices and sent both ways, some records changed after they travelled."""
    for id_number, name in ((ID_1, "张三"), (ID_2, "李四")):
        key = a.workers.register_citizen(id_number, name, "360100", "rural").key
        for m in ("2025-01", "2025-02"):
            a.contributions.record(key, employer_of(a), m, "5000")
    send(a, b, folder, "a1.sync")
    key = b.workers.register_citizen(ID_3, "王五", "110105", "urban").key
    b.contributions.record(key, employer_of(b), "2025-03", "8000")
    b.workers.update(ID_1, name="张三丰")  # B changes A's record: its change is built on A's version
    send(b, a, folder, "b1.sync")
    a.workers.update(ID_2, name="李四光")
    send(a, b, folder, "a2.sync")


def test_a_records_versions_are_found_by_key_and_a_shared_digest_takes_nothing(two: Any, tmp_path: Path) -> None:
    a, b = two
    history(a, b, tmp_path)
    with a.read() as s:
        log = capture.every_change(s)
        mine = capture.versions(s, "worker", [ID_1, ID_2, ID_3, "999999999999999999"])
    by_record: dict[tuple[str, str], tuple[int, str, int]] = {}
    for origin, seq, lamport, tbl, key, _base, _data, _at in log:
        if tbl == "worker" and ((tbl, key) not in by_record or (lamport, origin) > by_record[(tbl, key)][:2]):
            by_record[(tbl, key)] = (lamport, origin, seq)
    assert mine == {k: by_record[("worker", k)] for k in (ID_1, ID_2, ID_3)}
    assert mine[ID_1][1] == "BJ01" and mine[ID_2][1] == "NC01" and mine[ID_3][1] == "BJ01"

    # a change of another record whose digest is the same as ID_1's (forged: two keys that share a
    # digest are not known), and later than every version of ID_1: it is not ID_1's version
    forged = list(stored_row("ZZ01", 1, 10**6, "worker", "ZZ:other", None, "[]", "x"))
    forged[4] = key_hash("worker", ID_1)
    with a.write() as s:
        s.execute(text("INSERT INTO sync_change (origin, seq, lamport, tbl, khash, key, base, data, at_us, at) "
                       "VALUES (:o, :s, :l, :t, :h, :k, :b, :d, :u, :a)"),
                  dict(zip("oslthkbdua", forged, strict=True)))
    with a.read() as s:
        assert capture.current_version(s, "worker", ID_1) == mine[ID_1]
        assert capture.versions(s, "worker", [ID_1]) == {ID_1: mine[ID_1]}
        assert ("ZZ01", 1, 10**6, "worker", "ZZ:other", None, "[]", "x") in capture.every_change(s)
    b.workers.update(ID_1, name="张三")  # and sync goes on past it
    assert send(b, a, tmp_path, "b2.sync").conflicts == 0
    assert a.workers.get(ID_1).name == "张三"


def test_every_stored_change_is_found_under_the_key_it_travels_with(two: Any, tmp_path: Path) -> None:
    """Changes made here keep no key (their data names the record) and their digest is taken from the
    key capture made: so the two must agree, for records saved one by one, a declaration's rows
    INSERTed in bulk and changes applied from another office."""
    a, b = two
    history(a, b, tmp_path)
    declaration = tmp_path / "declaration.csv"
    declaration.write_text("employer_uscc,id_number,name,month,wage\n"
                           + "".join(f"{employer_of(a)},{ID_2},李四光,2025-{m:02d},6543.21\n" for m in range(3, 13)),
                           encoding="utf-8")
    assert a.contributions.import_file(declaration).lines == 10 * 4
    with a.read() as s:
        log = capture.every_change(s)
        stored = {(o, q): (khash, kept) for o, q, khash, kept in s.execute(text(
            "SELECT origin, seq, khash, key FROM sync_change WHERE ref IS NULL"))}
        found = {(tbl, key): v for tbl in {r[3] for r in log}
                 for key, v in capture.versions(s, tbl, [r[4] for r in log if r[3] == tbl]).items()}
    assert len(log) > 60 and sum(1 for r in log if r[3] == "contribution" and r[0] == "NC01") == 56
    assert len(log) - len(stored) >= 40  # the declaration's lines kept by reference (in runs)
    latest: dict[tuple[str, str], tuple[int, str, int]] = {}
    for origin, seq, lamport, tbl, key, _b, _d, _at in log:
        if (origin, seq) in stored:  # the digest of a change kept with its data is its key's
            assert stored[(origin, seq)] == (key_hash(tbl, key), None)
        if (tbl, key) not in latest or (lamport, origin) > latest[(tbl, key)][:2]:
            latest[(tbl, key)] = (lamport, origin, seq)
    assert found == latest  # every record's latest change is found by the key it travels with


def old_log(led: Ledger) -> list[tuple[Any, ...]]:
    """The change log of schema 0016, as its columns hold it."""
    with led.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT origin, seq, lamport, tbl, key, base, data, at FROM sync_change ORDER BY origin, seq"))]


def test_the_migration_moves_the_log_both_ways_without_a_byte_changed(two: Any, tmp_path: Path) -> None:
    a, b = two
    history(a, b, tmp_path)
    with a.read() as s:
        before = capture.every_change(s)
    assert {r[0] for r in before} == {"NC01", "BJ01"} and any(r[5] for r in before)  # both origins, a base
    command.downgrade(_alembic_config(a.engine), "0016")
    assert old_log(a) == before  # the layout of schema 0016, every change as it travels
    command.upgrade(_alembic_config(a.engine), "head")
    with a.read() as s:
        assert capture.every_change(s) == before
        assert s.execute(text("SELECT count(*) FROM sync_change WHERE key IS NOT NULL OR at IS NOT NULL")).scalar() == 0
    indexes = {i["name"] for i in inspect(a.engine).get_indexes("sync_change")}
    assert indexes == {"ix_sync_change_khash", "ix_sync_change_ref"}
    assert inspect(a.engine).get_pk_constraint("sync_change")["constrained_columns"] == ["origin", "seq"]
    if a.engine.dialect.name == "sqlite":
        with a.engine.connect() as conn:
            assert "WITHOUT ROWID" in conn.execute(text(
                "SELECT sql FROM sqlite_master WHERE name = 'sync_change'")).scalar_one()
    a.workers.update(ID_1, name="张三")  # the office goes on: a change built on the migrated version
    assert send(a, b, tmp_path, "a3.sync").applied == 1 and b.workers.get(ID_1).name == "张三"


def test_the_migration_refuses_a_change_that_would_not_read_back(two: Any, tmp_path: Path) -> None:
    a, b = two
    history(a, b, tmp_path)
    command.downgrade(_alembic_config(a.engine), "0016")
    with a.engine.begin() as conn:
        conn.execute(text("UPDATE sync_change SET tbl = 'office_key' WHERE seq = 1 AND origin = 'NC01'"))
    before = old_log(a)
    with pytest.raises(DamagedChange, match="unknown table 'office_key'"):
        command.upgrade(_alembic_config(a.engine), "head")
    assert old_log(a) == before  # the migration's transaction wrote nothing
    indexes = {i["name"] for i in inspect(a.engine).get_indexes("sync_change")}
    assert "ix_sync_change_tbl_key" in indexes and "ix_sync_change_khash" not in indexes


def test_a_contribution_change_costs_at_most_150_bytes_of_the_file(sqlite_template: Path, tmp_path: Path) -> None:
    a = make_office(sqlite_template, tmp_path, "NC01", "南昌市社保局", "360100", EMP_NC, "南昌赣江机械制造有限公司")
    key = a.workers.register_citizen(ID_1, "张三", "360100", "rural").key
    people = [key] + [a.workers.register_citizen(n, "李四", "360100", "rural").key for n in (ID_2, ID_3)]
    for k in people:
        for year in (2021, 2022, 2023, 2024):
            for month in range(1, 13):
                a.contributions.record(k, employer_of(a), f"{year}-{month:02d}", "5000")
    a.close()
    con = sqlite3.connect(str(a.engine.url.database))
    try:
        changes = con.execute("SELECT count(*) FROM sync_change WHERE tbl = ?",
                              (TABLE_CODES["contribution"],)).fetchone()[0]
        assert changes == 3 * 48 * 4  # four schemes a month
        size = sum(con.execute("SELECT sum(pgsize) FROM dbstat WHERE name = ?", (n,)).fetchone()[0]
                   for n in ("sync_change", "ix_sync_change_khash"))
    finally:
        con.close()
    # about 135 (160 with codec 1; the change log of schema 0016 took about 370: 260 the row, 110
    # its two indexes)
    assert size / changes <= 150, size / changes


def test_the_migration_says_how_far_it_is(two: Any, tmp_path: Path) -> None:
    """A county's change log is tens of millions of changes: the rebuild reports the changes copied
    (by id) and the index after them, a tenth more, to the progress `migrate` is given."""
    a, b = two
    history(a, b, tmp_path)
    with a.read() as s:
        before = capture.every_change(s)
    command.downgrade(_alembic_config(a.engine), "0016")
    with a.engine.connect() as conn:
        highest = conn.execute(text("SELECT max(id) FROM sync_change")).scalar_one()
    assert highest >= len(before) > 20
    seen: list[tuple[int, int]] = []
    migrate(a.engine, steps=lambda done, total: seen.append((done, total)) is None)
    total = highest + highest // 10
    assert seen[:3] == [(0, total), (highest, total), (total, total)]
    lines = seen[3:]  # then, in SQLite, 0021's copy of the contribution lines and 0023's rows made of
    if a.engine.dialect.name == "sqlite":  # them, each from none to all
        runs: dict[int, list[int]] = {}
        for done, total in lines:
            runs.setdefault(total, []).append(done)
        assert len(runs) == 2 and all(d[0] == 0 and d[-1] == t > 0 and d == sorted(d) for t, d in runs.items())
    else:
        assert lines == []
    with a.read() as s:
        assert capture.every_change(s) == before
