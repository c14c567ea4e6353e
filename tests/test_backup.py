"""Backups: consistent, encrypted, verified; restored whole into a fresh install; damage refused."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import EMPLOYER, TODAY
from pgserver import PostgresServer, create_database, drop_database
from recovery_support import damage_table
from sqlalchemy import inspect, text
from test_cli import run
from test_security_support import PASSWORD, PERSON, as_, fast_hashing, staffed, staffed_template

from desktop import cli
from desktop.core import backup as fmt
from desktop.core.clock import Clock
from desktop.core.errors import Conflict, IntegrityFailure, InvalidInput, NotAllowed
from desktop.core.ledger import Ledger
from desktop.core.store.engine import SCHEMA_REVISION

__all__ = ["fast_hashing", "staffed", "staffed_template"]


def _tables(led: Ledger) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with led.engine.connect() as conn:
        for name in sorted(inspect(conn).get_table_names()):
            out[name] = [tuple(r) for r in conn.execute(text(f"SELECT * FROM {name} ORDER BY 1"))]
    return out


@pytest.fixture
def backed_up(staffed: Ledger, tmp_path: Path) -> Iterator[tuple[Ledger, Path, Path]]:
    """The staffed office with a void and a correction, backed up by admin1: (ledger, file, key)."""
    as_(staffed, "sup1").documents.void("OFF01-ZM2026000001", "打印错误")
    staffed.contributions.correct(PERSON, EMPLOYER, "2026-10", "9100", "更正")
    key = tmp_path / "keys" / "office.key"
    result = as_(staffed, "admin1").backups.backup(tmp_path / "out" / "office.sbk", key)
    assert result.key_created and result.file.exists() and key.exists()
    yield staffed, result.file, key


def test_backup_and_restore_into_a_fresh_install(backed_up: tuple[Ledger, Path, Path], tmp_path: Path) -> None:
    source, file, key = backed_up
    header = source.backups.inspect(file)
    assert header["format"] == 3 and header["compression"] == "zstd" and header["office"] == "OFF01"
    assert header["schema"] == SCHEMA_REVISION
    assert header["kind"] == "full" and header["pages"] * header["page_size"] == header["plaintext_size"]
    assert header["key_fingerprint"] == fmt.fingerprint(fmt.load_key(key)) and header["dialect"] == "sqlite"
    assert header["audit_head"]["seq"] == source.audit.head()[0]
    raw = file.read_bytes()
    assert PERSON.encode() not in raw and "张三".encode() not in raw and b"SQLite format" not in raw
    expected = _tables(source)
    fresh = Ledger.open(tmp_path / "new" / "office.db", clock=lambda: TODAY)
    restored = fresh.backups.restore(file, key)
    assert restored.office == "OFF01" and restored.kept is None
    got = _tables(fresh)
    assert got.keys() == expected.keys()
    for name in expected:
        if name in ("audit_entry", "audit_head"):
            continue
        if name == "audit_seen_head":  # the source noted the head the backup holds after the copy
            assert got[name] == [] and [r[2:4] for r in expected[name]] == [
                (header["audit_head"]["seq"], header["audit_head"]["hash"])]
            continue
        assert got[name] == expected[name], name
    assert got["audit_entry"][:-1] == expected["audit_entry"]  # plus one entry: the restore itself
    assert json.loads(got["audit_entry"][-1][11])["file"] == "office.sbk"
    with pytest.raises(NotAllowed) as err:
        fresh.workers.get(PERSON)  # the restored office has accounts: sign in first
    assert err.value.key == "auth.required"
    assert as_(fresh, "sup1").audit.verify().valid
    assert fresh.workers.get(PERSON).name == "张三"
    assert [d.voided for d in fresh.documents.list_for(PERSON)] == [True]
    fresh.close()


def test_a_backup_is_a_consistent_snapshot(staffed: Ledger, tmp_path: Path) -> None:
    as_(staffed, "admin1")
    writer = sqlite3.connect(staffed.engine.url.database or "")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE employer SET name = '未提交的名称'")
    file = staffed.backups.backup(tmp_path / "b.sbk", tmp_path / "k.key").file
    writer.commit()
    writer.close()
    fresh = Ledger.open(tmp_path / "fresh.db")
    fresh.backups.restore(file, tmp_path / "k.key")
    with fresh.engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM employer")).scalar() == "南昌赣江机械制造有限公司"
    fresh.close()


def _expect_refused(file: Path, key: Path, target: Path, key_name: str,
                    cls: type[IntegrityFailure | InvalidInput] = IntegrityFailure) -> IntegrityFailure | InvalidInput:
    fresh = Ledger.open(target)
    before = _tables(fresh)
    with pytest.raises(cls) as err:
        fresh.backups.restore(file, key)
    assert err.value.key == key_name, err.value.message("en")
    assert _tables(fresh) == before  # nothing written
    fresh.close()
    return err.value


def test_damaged_backups_are_refused_with_the_reason(backed_up: tuple[Ledger, Path, Path], tmp_path: Path) -> None:
    _source, file, key = backed_up
    data = file.read_bytes()
    target = tmp_path / "target.db"
    flipped = tmp_path / "flipped.sbk"
    flipped.write_bytes(data[:-200] + bytes([data[-200] ^ 1]) + data[-199:])
    err = _expect_refused(flipped, key, target, "backup.damaged")
    assert err.message() == "文件：备份文件第1块校验失败：文件已损坏或被改动，拒绝恢复"
    cut = tmp_path / "cut.sbk"
    cut.write_bytes(data[:-100])
    assert "incomplete" in _expect_refused(cut, key, target, "backup.truncated").message("en")
    other_key = tmp_path / "other.key"
    fmt.load_or_create_key(other_key)
    err = _expect_refused(file, other_key, target, "backup.wrong_key")
    assert fmt.fingerprint(fmt.load_key(key)) in err.message()
    assert fmt.fingerprint(fmt.load_key(other_key)) in err.message()
    _header, head, start = fmt.read_header(file)
    edited = tmp_path / "edited.sbk"  # same length, another office code: the header is authenticated
    new_head = head.replace(b'"office": "OFF01"', b'"office": "OFF02"')
    edited.write_bytes(data[:12] + new_head + data[start:])
    _expect_refused(edited, key, target, "backup.damaged")
    newer = tmp_path / "newer.sbk"
    new_head = head.replace(b'"format": 3', b'"format": 9')
    newer.write_bytes(data[:12] + new_head + data[start:])
    assert "upgrade" in _expect_refused(newer, key, target, "backup.version").message("en")
    junk = tmp_path / "junk.sbk"
    junk.write_bytes(b"PK\x03\x04 not a backup at all")
    _expect_refused(junk, key, target, "backup.not_backup")
    _expect_refused(file, tmp_path / "missing.key", target, "backup.no_key", InvalidInput)


def _chunks(data: bytes, start: int) -> list[bytes]:
    out, pos = [], start
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        out.append(data[pos:pos + 4 + length])
        pos += 4 + length
    return out


def test_chunks_cannot_be_dropped_reordered_or_appended(staffed: Ledger, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fmt, "CHUNK", 4096)
    file = as_(staffed, "admin1").backups.backup(tmp_path / "b.sbk", tmp_path / "k.key").file
    key = fmt.load_key(tmp_path / "k.key")
    data = file.read_bytes()
    _h, _raw, start = fmt.read_header(file)
    chunks = _chunks(data, start)
    assert len(chunks) > 3
    fmt.decrypt_file(file, key, None)
    variants = {
        "swapped": chunks[1] + chunks[0] + b"".join(chunks[2:]),
        "dropped": chunks[0] + b"".join(chunks[2:]),
        "no_last": b"".join(chunks[:-1]),
        "appended": b"".join(chunks) + chunks[0],
    }
    expected = {"swapped": "backup.damaged", "dropped": "backup.damaged", "no_last": "backup.truncated",
                "appended": "backup.damaged"}
    for name, body in variants.items():
        bad = tmp_path / f"{name}.sbk"
        bad.write_bytes(data[:start] + body)
        with pytest.raises(IntegrityFailure) as err:
            fmt.decrypt_file(bad, key, None)
        assert err.value.key == expected[name], name


def test_restore_over_an_office_needs_force_and_an_administrator(backed_up: tuple[Ledger, Path, Path]) -> None:
    source, file, key = backed_up
    source.reference.set_wage("360000", 2027, "7000")  # a change after the backup
    as_(source, "sup1")
    with pytest.raises(NotAllowed) as err:
        source.backups.restore(file, key, force=True)
    assert (err.value.key, err.value.params["needed"]) == ("role.refused", "系统管理员")
    as_(source, "admin1")
    with pytest.raises(Conflict) as err:
        source.backups.restore(file, key)
    assert err.value.key == "restore.not_empty"
    restored = source.backups.restore(file, key, force=True)
    assert restored.kept is not None and restored.kept.exists() and source.actor is None
    kept = sqlite3.connect(restored.kept)
    assert kept.execute("SELECT count(*) FROM average_wage WHERE year = 2027").fetchone() == (1,)
    kept.close()
    with as_(source, "admin1").read() as s:
        assert s.execute(text("SELECT count(*) FROM average_wage WHERE year = 2027")).scalar() == 0
    assert as_(source, "sup1").audit.verify().valid


def test_daily_backups_are_named_by_date_and_rotated(staffed: Ledger, tmp_path: Path) -> None:
    folder = tmp_path / "daily"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")
    (folder / "shebao-OTHER-2026-01-01.sbk").write_bytes(b"another office's")
    as_(staffed, "admin1")
    removed: list[Path] = []
    for day in range(1, 6):  # every backup full: nothing older is needed by a newer one
        staffed.clock = dt.date(2026, 11, day)
        removed += staffed.backups.daily(folder, keep=3, key_file=tmp_path / "k.key", full_every=1).removed
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["notes.txt", "shebao-OFF01-2026-11-03.sbk", "shebao-OFF01-2026-11-04.sbk",
                     "shebao-OFF01-2026-11-05.sbk", "shebao-OTHER-2026-01-01.sbk"]
    assert sorted(p.name for p in removed) == ["shebao-OFF01-2026-11-01.sbk", "shebao-OFF01-2026-11-02.sbk"]
    again = staffed.backups.daily(folder, keep=3, key_file=tmp_path / "k.key")  # same day: replaced
    assert again.file.name == "shebao-OFF01-2026-11-05.sbk" and not again.removed and again.kind == "full"
    assert not any(p.name.endswith(".partial") for p in folder.iterdir())
    if os.name == "posix":
        assert (tmp_path / "k.key").stat().st_mode & 0o077 == 0


def _day(n: int) -> str:
    return f"shebao-OFF01-2026-11-{n:02d}.sbk"


def test_daily_increments_hold_only_changed_pages_and_restore_from_their_chain(staffed: Ledger,
                                                                               tmp_path: Path) -> None:
    folder, key = tmp_path / "daily", tmp_path / "k.key"
    as_(staffed, "admin1")
    states: dict[str, dict[str, list[tuple[Any, ...]]]] = {}
    results = []
    for day in range(1, 5):
        staffed.clock = dt.date(2026, 11, day)
        if day > 1:  # a day's work: a wage set, a worker registered (the file grows on day 3)
            staffed.reference.set_wage("360000", 2026 + day, f"{7000 + day}")
            if day == 3:
                for year in range(2100, 2300):
                    staffed.reference.set_wage("360100", year, f"{8000 + year}")
        states[_day(day)] = _tables(staffed)
        results.append(staffed.backups.daily(folder, key_file=key))
    assert [r.kind for r in results] == ["full", "increment", "increment", "increment"]
    assert [r.parent for r in results] == [None, _day(1), _day(2), _day(3)]
    full = fmt.read_header(results[0].file)[0]
    for r in results[1:]:
        h = fmt.read_header(r.file)[0]
        assert h["base"] == {"file": _day(1), "image_digest": full["image_digest"]}
        assert 0 < h["changed"] < h["pages"] / 4, (h["changed"], h["pages"])  # pages, not the file
        assert h["plaintext_size"] == h["changed"] * (4 + h["page_size"])
    assert results[1].size < results[0].size / 2 and results[3].size < results[0].size / 2
    third = fmt.read_header(results[2].file)[0]
    assert third["pages"] > fmt.read_header(results[1].file)[0]["pages"]  # grown on day 3
    assert [fmt.read_header(r.file)[0]["depth"] for r in results] == [0, 1, 2, 3]
    for day in (2, 3, 4):  # each day's backup brings back exactly that day's data
        fresh = Ledger.open(tmp_path / f"fresh{day}" / "office.db", clock=lambda: TODAY)
        fresh.backups.restore(folder / _day(day), key)
        got = _tables(fresh)
        for name, rows in states[_day(day)].items():
            if name not in ("audit_entry", "audit_head", "audit_seen_head"):
                assert got[name] == rows, (day, name)
        assert got["audit_entry"][:-1] == states[_day(day)]["audit_entry"]
        assert as_(fresh, "sup1").audit.verify().valid
        fresh.close()
    assert staffed.backups.check(folder / _day(4), key)["image_digest"] == results[3].sha256


def test_a_chain_with_a_missing_replaced_or_damaged_link_is_refused_by_name(staffed: Ledger,
                                                                           tmp_path: Path) -> None:
    folder, key = tmp_path / "daily", tmp_path / "k.key"
    as_(staffed, "admin1")
    for day in (1, 2, 3):
        staffed.clock = dt.date(2026, 11, day)
        staffed.reference.set_wage("360000", 2026 + day, "7000")
        staffed.backups.daily(folder, key_file=key)
    target = tmp_path / "target.db"
    second = (folder / _day(2)).read_bytes()
    (folder / _day(2)).unlink()
    err = _expect_refused(folder / _day(3), key, target, "backup.chain_missing")
    assert err.message() == (f"文件：备份{_day(3)}是增量备份，它所依据的备份{_day(2)}不在同一文件夹中："
                             "请把它放回后再恢复")
    with pytest.raises(IntegrityFailure) as refused:
        staffed.backups.check(folder / _day(3), key)
    assert refused.value.key == "backup.chain_missing"
    staffed.backups.backup(folder / _day(2), key)  # another backup under the missing one's name
    err = _expect_refused(folder / _day(3), key, target, "backup.chain_broken")
    assert _day(2) in err.message() and _day(3) in err.message()
    raw = bytearray(second)
    raw[-40] ^= 1
    (folder / _day(2)).write_bytes(bytes(raw))  # the right file, one bit flipped
    _expect_refused(folder / _day(3), key, target, "backup.damaged")
    (folder / _day(2)).write_bytes(second)
    fresh = Ledger.open(target)
    assert fresh.backups.restore(folder / _day(3), key).office == "OFF01"
    fresh.close()
    lone = fmt.read_header(folder / _day(3))[0]
    with (tmp_path / "sink").open("wb") as sink, pytest.raises(IntegrityFailure):
        fmt.decrypt_file(folder / _day(3), fmt.load_key(key), sink)  # an increment alone is no database
    assert lone["kind"] == "increment"


def test_an_increment_is_built_only_on_the_backup_it_knows(staffed: Ledger, tmp_path: Path) -> None:
    folder, key = tmp_path / "daily", tmp_path / "k.key"
    as_(staffed, "admin1")
    pages = Path(f"{staffed.engine.url.database}.backup-pages")

    def day(n: int, full_every: int = 7) -> str:
        staffed.clock = dt.date(2026, 11, n)
        staffed.reference.set_wage("360000", 2026 + n, "7000")
        return staffed.backups.daily(folder, key_file=key, full_every=full_every).kind

    assert day(1) == "full" and pages.exists() and day(2) == "increment"
    pages.unlink()  # the digests kept here are lost: full
    assert day(3) == "full" and day(4) == "increment"
    kept = bytearray(pages.read_bytes())
    kept[-1] ^= 1  # a group digest kept here is not one the backup names: every page is digested
    pages.write_bytes(bytes(kept))
    assert day(5) == "increment"
    assert staffed.backups.check(folder / _day(5), key)["changed"] >= 1
    kept = bytearray(pages.read_bytes())
    kept[12 + int.from_bytes(kept[8:12], "big")] ^= 1  # a page digest does not match the backup: full
    pages.write_bytes(bytes(kept))
    assert day(6) == "full"
    (folder / _day(6)).unlink()  # the backup they name is gone: full
    assert day(7) == "full"
    assert day(8, full_every=2) == "increment" and day(9, full_every=2) == "full"  # chains of two
    other = tmp_path / "elsewhere"
    staffed.clock = dt.date(2026, 11, 10)
    assert staffed.backups.daily(other, key_file=key).kind == "full"  # another folder
    assert staffed.backups.daily(other, key_file=tmp_path / "new.key").kind == "full"  # another key


def test_rotation_keeps_what_the_newest_backups_are_built_on(staffed: Ledger, tmp_path: Path) -> None:
    folder, key = tmp_path / "daily", tmp_path / "k.key"
    as_(staffed, "admin1")
    removed: list[str] = []
    kinds = []
    for n in range(1, 9):
        staffed.clock = dt.date(2026, 11, n)
        r = staffed.backups.daily(folder, keep=2, key_file=key, full_every=3)
        kinds.append(r.kind)
        removed += [p.name for p in r.removed]
    # fulls on days 1, 4, 7. Day 4 keeps 4 and 3, and 3 needs 2 and 1: nothing goes. Day 5 keeps 5
    # and 4 (a full): 3, 2, 1 go. Day 6 keeps 6, 5 and 4; day 7 keeps 7, 6, 5, 4; day 8 keeps 8, 7.
    assert kinds == ["full", "increment", "increment"] * 2 + ["full", "increment"]
    assert sorted(p.name for p in folder.iterdir()) == [_day(7), _day(8)]
    assert removed == [_day(3), _day(2), _day(1), _day(6), _day(5), _day(4)]
    staffed.clock = dt.date(2026, 11, 9)
    r = staffed.backups.daily(folder, keep=1, key_file=key, full_every=3)
    assert r.kind == "increment" and r.removed == ()  # day 9 is built on 8, 8 on 7: all kept
    staffed.clock = dt.date(2026, 11, 8)  # the clock went back a day: day 8 is what day 9 needs
    with pytest.raises(Conflict) as err:
        staffed.backups.daily(folder, keep=1, key_file=key)
    assert err.value.key == "backup.needed_by" and err.value.params["needed_by"] == _day(9)
    assert sorted(p.name for p in folder.iterdir()) == [_day(7), _day(8), _day(9)]


@pytest.mark.postgres
def test_postgresql_backup_and_restore(pg_server: PostgresServer, tmp_path: Path) -> None:
    from conftest import _office
    from test_security_support import add_staff

    source_url = create_database(pg_server, f"bk_src_{os.getpid()}", template="shebao_template")
    target_name = f"bk_dst_{os.getpid()}"
    target_url = create_database(pg_server, target_name)
    try:
        source = _office(Ledger.open(source_url, clock=lambda: TODAY))
        source.workers.register_citizen(PERSON, "张三", "510107", "rural")
        source.contributions.record(PERSON, EMPLOYER, "2026-10", "8000")
        add_staff(source)
        file = as_(source, "admin1").backups.backup(tmp_path / "pg.sbk", tmp_path / "k.key").file
        assert source.backups.inspect(file)["dialect"] == "postgresql"
        expected = _tables(source)
        source.close()
        fresh = Ledger.open(target_url, clock=lambda: TODAY)
        fresh.backups.restore(file, tmp_path / "k.key")
        got = _tables(fresh)
        for name in expected:
            if name not in ("audit_entry", "audit_head", "audit_seen_head"):  # (noted after the copy)
                assert got[name] == expected[name], name
        assert got["audit_entry"][:-1] == expected["audit_entry"]
        assert as_(fresh, "sup1").audit.verify().valid
        assert fresh.workers.get(PERSON).name == "张三"
        again = as_(fresh, "admin1").backups.restore(file, tmp_path / "k.key", force=True)
        assert again.kept is not None and fresh.backups.inspect(again.kept)["dialect"] == "postgresql"
        assert _tables(fresh)["worker"] == expected["worker"]
        sqlite_target = Ledger.open(tmp_path / "s.db")
        with pytest.raises(Conflict) as err:
            sqlite_target.backups.restore(file, tmp_path / "k.key")
        assert err.value.key == "backup.dialect"
        sqlite_target.close()
        fresh.close()
    finally:
        drop_database(pg_server, f"bk_src_{os.getpid()}")
        drop_database(pg_server, target_name)


def test_cli_backup_restore_and_a_damaged_file(staffed: Ledger, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    db = staffed.engine.url.database or ""
    staffed.close()
    monkeypatch.setenv("SHEBAO_BACKUP_KEY", str(tmp_path / "office.key"))
    monkeypatch.setenv("SHEBAO_USER", "clerk1")
    monkeypatch.setenv("SHEBAO_PASSWORD", PASSWORD)
    code, data, _ = run(capsys, "--db", db, "--json", "backup", "--out", str(tmp_path / "b.sbk"))
    assert code == 5 and not (tmp_path / "b.sbk").exists()
    monkeypatch.setenv("SHEBAO_USER", "admin1")
    code, data, _ = run(capsys, "--db", db, "--json", "backup", "--out", str(tmp_path / "b.sbk"))
    assert code == 0 and data["verified"] and data["key_created"] and data["key_file"] == str(tmp_path / "office.key")
    code, data, _ = run(capsys, "--db", db, "--json", "backup", "--daily", str(tmp_path / "daily"), "--keep", "2")
    assert code == 0 and Path(data["file"]).name.startswith("shebao-OFF01-") and Path(data["file"]).exists()
    assert (data["kind"], data["built_on"]) == ("full", None)
    first = Path(data["file"]).name
    code, data, _ = run(capsys, "--db", db, "--json", "backup", "--daily", str(tmp_path / "daily"), "--keep", "2",
                        "--full-every", "1")  # the same day again, full as asked
    assert code == 0 and (data["kind"], data["built_on"], Path(data["file"]).name) == ("full", None, first)
    code, data, _ = run(capsys, "--db", db, "--json", "backup", "--daily", str(tmp_path / "later"))
    assert code == 0 and data["kind"] == "full"
    first = Path(data["file"]).name
    code = cli.main(["--db", db, "--json", "backup", "--daily", str(tmp_path / "later")],
                    clock=Clock(day=lambda: TODAY + dt.timedelta(days=1)))
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and (data["kind"], data["built_on"]) == ("increment", first)
    (tmp_path / "later" / first).unlink()
    missing = tmp_path / "missing" / "office.db"
    code, data, err = run(capsys, "--db", str(missing), "--json", "restore", data["file"])
    assert code == 4 and data["error"]["key"] == "backup.chain_missing" and first in err and not missing.exists()
    new_db = tmp_path / "fresh" / "office.db"
    monkeypatch.delenv("SHEBAO_USER")
    code, data, _ = run(capsys, "--db", str(new_db), "--json", "restore", str(tmp_path / "b.sbk"))
    assert code == 0 and data["office"] == "OFF01"
    raw = bytearray((tmp_path / "b.sbk").read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    (tmp_path / "bad.sbk").write_bytes(bytes(raw))
    other = tmp_path / "other" / "office.db"
    code, data, err = run(capsys, "--db", str(other), "--json", "restore", str(tmp_path / "bad.sbk"))
    assert code == 4 and data["error"]["code"] == "integrity" and "拒绝恢复" in err
    assert not other.exists()  # refused before anything was created


def test_restore_in_the_window_while_its_lock_guard_holds_the_database(backed_up: tuple[Ledger, Path, Path]) -> None:
    source, file, key = backed_up
    source.reference.set_wage("360000", 2027, "7000")  # a change after the backup
    assert source.hold_locks()
    try:
        as_(source, "admin1")
        source.backups.restore(file, key, force=True)
        with as_(source, "admin1").read() as s:
            assert s.execute(text("SELECT count(*) FROM average_wage WHERE year = 2027")).scalar() == 0
        assert as_(source, "sup1").audit.verify().valid
        assert source.check_locks()["guard_locks"]
    finally:
        source.close()
        source.release_locks()
    database = source.engine.url.database
    assert database is not None
    conn = sqlite3.connect(database)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM average_wage WHERE year = 2027").fetchone()[0] == 0
    finally:
        conn.close()


def test_a_backup_of_the_first_format_still_restores(staffed: Ledger, tmp_path: Path) -> None:
    """Format 1 (written before increments): the database file whole, checked by its SHA-256."""
    as_(staffed, "admin1").reference.set_wage("360000", 2027, "7100")
    expected = _tables(staffed)
    dump = tmp_path / "dump.db"
    fmt.sqlite_copy(Path(staffed.engine.url.database or ""), dump)
    key = fmt.load_or_create_key(tmp_path / "k.key")[0]
    header = {"format": 1, "cipher": "AES-256-GCM", "compression": "zlib", "chunk": fmt.CHUNK,
              "key_fingerprint": fmt.fingerprint(key), "plaintext_sha256": fmt.file_sha256(dump),
              "plaintext_size": dump.stat().st_size, "nonce_prefix": os.urandom(7).hex(), "dialect": "sqlite",
              "office": "OFF01", "office_name": "南昌市社保局", "schema": SCHEMA_REVISION,
              "created": "2026-11-20T09:00:00", "audit_head": {"seq": 1, "hash": "0" * 64},
              "program": "shebao-desk"}
    old = tmp_path / "old.sbk"
    fmt._encrypt(iter([dump.read_bytes()]), old, key, header, lambda _p: None, None)
    assert fmt.kind_of(fmt.read_header(old)[0]) == "dump" and "kind" not in fmt.read_header(old)[0]
    assert staffed.backups.chain(old) == [old]
    assert staffed.backups.check(old, tmp_path / "k.key")["plaintext_sha256"] == header["plaintext_sha256"]
    fresh = Ledger.open(tmp_path / "fresh" / "office.db", clock=lambda: TODAY)
    fresh.backups.restore(old, tmp_path / "k.key")
    got = _tables(fresh)
    for name, rows in expected.items():
        if name not in ("audit_entry", "audit_head", "audit_seen_head"):
            assert got[name] == rows, name
    fresh.close()
    raw = bytearray(old.read_bytes())
    raw[-30] ^= 1
    (tmp_path / "old-bad.sbk").write_bytes(bytes(raw))
    _expect_refused(tmp_path / "old-bad.sbk", tmp_path / "k.key", tmp_path / "t.db", "backup.damaged")


def test_backups_of_the_second_format_still_restore_and_a_chain_may_change_format(
        staffed: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Format 2 (zlib) from before Zstandard: its full backup and an increment of its own format,
    and the first increment of format 3 made on a format 2 parent (an office that upgraded between
    two dailies), each restore to exactly what was backed up; a format 2 header that names
    Zstandard is refused."""
    folder, key = tmp_path / "daily", tmp_path / "k.key"
    as_(staffed, "admin1")
    states: dict[str, dict[str, list[tuple[Any, ...]]]] = {}
    monkeypatch.setattr(fmt, "FORMAT", 2)
    monkeypatch.setattr(fmt, "COMPRESSION", "zlib")
    for day in (1, 2, 3):
        if day == 3:
            monkeypatch.undo()  # the upgraded program: format 3, on the chain of format 2
        staffed.clock = dt.date(2026, 11, day)
        staffed.reference.set_wage("360000", 2030 + day, f"{8000 + day}")
        result = staffed.backups.daily(folder, key_file=key)
        header = fmt.read_header(result.file)[0]
        assert (header["format"], header["compression"], result.kind) == (
            (3, "zstd", "increment") if day == 3 else (2, "zlib", "full" if day == 1 else "increment"))
        states[result.file.name] = _tables(staffed)
    for name, state in states.items():
        fresh = Ledger.open(tmp_path / name / "office.db", clock=lambda: dt.date(2026, 11, 3))
        try:
            fresh.backups.restore(folder / name, key)
            got = _tables(fresh)
            for table, rows in state.items():
                if table not in ("audit_entry", "audit_head", "audit_seen_head"):
                    assert got[table] == rows, (name, table)
        finally:
            fresh.close()
    file = folder / _day(1)
    data = file.read_bytes()
    _header, head, start = fmt.read_header(file)
    mislabelled = tmp_path / "zstd-in-2.sbk"
    mislabelled.write_bytes(data[:12] + head.replace(b'"compression": "zlib"', b'"compression": "zstd"')
                            + data[start:])
    _expect_refused(mislabelled, key, tmp_path / "t.db", "backup.header")


def first_daily(staffed: Ledger, tmp_path: Path) -> tuple[Path, Path, Path, Path, bytes]:
    """admin1's first daily backup (2026-11-01): the folder, key, database, the page digests kept
    beside it and their bytes."""
    folder, key = tmp_path / "daily", tmp_path / "k.key"
    as_(staffed, "admin1")
    staffed.clock = dt.date(2026, 11, 1)
    staffed.backups.daily(folder, key_file=key)
    database = Path(staffed.engine.url.database or "")
    pages = Path(f"{database}.backup-pages")
    return folder, key, database, pages, pages.read_bytes()


def test_a_damaged_database_is_not_backed_up_on_an_increment_day(staffed: Ledger, tmp_path: Path) -> None:
    folder, key, database, pages, kept = first_daily(staffed, tmp_path)
    staffed.close()
    damage_table(database, "audit_entry")
    led = Ledger.open(database, clock=lambda: dt.date(2026, 11, 2), check=False)  # as a county-sized file
    try:
        as_(led, "admin1")
        with pytest.raises(IntegrityFailure) as err:
            led.backups.daily(folder, key_file=key)
        assert err.value.key == "backup.source_damaged", err.value.key
        assert sorted(p.name for p in folder.iterdir()) == [_day(1)] and pages.read_bytes() == kept
    finally:
        led.close()


def test_daily_refuses_a_chain_length_below_one(staffed: Ledger, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as err:
        as_(staffed, "admin1").backups.daily(tmp_path / "daily", key_file=tmp_path / "k.key", full_every=0)
    assert err.value.key == "backup.full_every"
    assert err.value.message() == "完整备份间隔（份）：必须至少为1：每隔几份备份做一次完整备份"
    assert not (tmp_path / "daily").exists()


def test_a_dump_is_written_without_waiting_for_the_disk_and_a_restore_with(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A backup's dump is a working copy removed once encrypted (the encrypted file is synced to the
    disk): SQLite writes it with synchronous=OFF. A copy that stays (a restore, the copy kept before
    a migration) is written as SQLite's default, waiting for the disk."""
    source = tmp_path / "source.sqlite"
    with sqlite3.connect(source) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE t (x)")
        conn.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(1000)])
    conn.close()
    modes: list[tuple[bool, int]] = []
    real_copy = fmt.sqlite_copy

    def copy(*args: Any, **kwargs: Any) -> None:
        def then(dst: sqlite3.Connection) -> None:
            modes.append((kwargs.get("durable", True), dst.execute("PRAGMA synchronous").fetchone()[0]))
            if given is not None:
                given(dst)
        given = kwargs.pop("then", None)
        real_copy(*args, then=then, **kwargs)

    monkeypatch.setattr(fmt, "sqlite_copy", copy)
    page_size, digests, groups = fmt.sqlite_dump(source, tmp_path / "dump")
    fmt.sqlite_copy(source, tmp_path / "kept.sqlite")
    assert modes == [(False, 0), (True, 2)]  # OFF for the dump, FULL otherwise
    assert (digests, groups) == fmt.file_digests(tmp_path / "dump", page_size)
    assert digests == fmt.file_page_digests(tmp_path / "dump", page_size)
    assert len(groups) == -(-len(digests) // (32 * fmt.GROUP)) * 32
    with sqlite3.connect(tmp_path / "dump") as dump:
        assert dump.execute("SELECT count(*), sum(x) FROM t").fetchone() == (1000, 499500)
        assert dump.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    dump.close()
