"""The audit trail: every change with who, where, before and after; the hash chain finds tampering."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import EMPLOYER, TODAY, _office
from sqlalchemy import Integer, Table, delete, event, insert, select, text, update
from sqlalchemy.orm import Session
from test_cli import run
from test_security_support import (
    PASSWORD,
    PERSON,
    add_staff,
    as_,
    fast_hashing,
    staffed,
    staffed_template,
)

from desktop.core import audit
from desktop.core.audit import UnauditedChange, entry_hash
from desktop.core.errors import Conflict
from desktop.core.ledger import Ledger
from desktop.core.privacy import PersonalDataFilter, error_report, mask_id, scrub
from desktop.core.security import Actor
from desktop.core.services import contributions
from desktop.core.services.contributions import _CONTRIB
from desktop.core.store import line_store
from desktop.core.store.engine import make_engine, migrate
from desktop.core.store.models import (
    AuditEntry,
    AverageWage,
    Contribution,
    LimitOverride,
    Office,
    OfficeSetting,
    SyncPeer,
    UserAccount,
)
from desktop.core.store.reading import typed_batches
from desktop.core.sync.rows import insert_many

__all__ = ["fast_hashing", "staffed", "staffed_template"]
ENTRY_COLS = ("seq", "at", "actor", "role", "counter", "action", "table_name", "row_id", "worker_id",
              "before_json", "after_json", "note")


@pytest.fixture
def trail(db_target: str) -> Iterator[Ledger]:
    """An office on SQLite and PostgreSQL with some history: people, months, a correction, accounts."""
    led = _office(Ledger.open(db_target, clock=lambda: TODAY))
    led.workers.register_citizen(PERSON, "张三", "510107", "rural")
    for month in (9, 10):
        led.contributions.record(PERSON, EMPLOYER, f"2026-{month:02d}", "8000")
    led.contributions.correct(PERSON, EMPLOYER, "2026-10", "8800", "录入错误")
    add_staff(led)
    as_(led, "sup1")
    yield led
    led.close()


def _sql(led: Ledger, statement: str, **params: object) -> list[tuple[object, ...]]:
    with led.engine.begin() as conn:
        result = conn.execute(text(statement), params)
        return [tuple(r) for r in result] if result.returns_rows else []


def test_every_change_says_who_where_when_before_and_after(staffed: Ledger) -> None:
    staffed.counter = "窗口3"
    staffed.clock = dt.datetime(2026, 11, 23, 10, 30)
    as_(staffed, "clerk1").workers.register_citizen("36010219900101123X", "李四", "360102", "urban", "13812345678")
    entry = as_(staffed, "sup1").audit.search(clerk="clerk1", table="worker", reveal=True)[0]
    assert (entry.action, entry.actor, entry.role, entry.counter) == ("insert", "clerk1", "clerk", "窗口3")
    assert entry.at == dt.datetime(2026, 11, 23, 10, 30) and entry.before is None
    assert entry.after is not None
    assert entry.after["id_number"] == "36010219900101123X" and entry.after["phone"] == "13812345678"
    masked = staffed.audit.search(clerk="clerk1", table="worker")[0]  # lists mask ID numbers and phones
    assert masked.after is not None
    assert masked.after["id_number"] == "360102********123X" and masked.after["phone"] == "138****5678"
    before = len(staffed.audit.search(table="contribution", limit=1000))
    with pytest.raises(Conflict) as err:  # a refused change writes no audit entry either
        as_(staffed, "clerk1").contributions.record(PERSON, EMPLOYER, "2026-10", "9000")
    assert err.value.key == "contrib.exists"
    assert len(as_(staffed, "sup1").audit.search(table="contribution", limit=1000)) == before


def test_search_by_person_clerk_and_date(staffed: Ledger) -> None:
    staffed.clock = dt.datetime(2026, 11, 24, 9, 0)
    as_(staffed, "clerk2").contributions.record(PERSON, EMPLOYER, "2025-12", "7000")
    as_(staffed, "sup1")
    by_person = staffed.audit.search(person=PERSON)
    assert {e.table for e in by_person} == {"worker", "contribution", "document"}
    assert {e.actor for e in by_person} == {"-", "clerk2"}
    assert [e.worker_id for e in by_person] == [by_person[0].worker_id] * len(by_person)
    on_24th = staffed.audit.search(start="2026-11-24", end="2026-11-24")
    assert {e.actor for e in on_24th} == {"clerk2", "sup1"} and len(on_24th) == 6  # 2 sign-ins, 4 lines
    assert all(e.actor == "clerk2" for e in staffed.audit.search(clerk="clerk2"))
    assert staffed.audit.search(end="2026-11-22") == []


def test_the_chain_is_valid_on_both_databases(trail: Ledger) -> None:
    v = trail.audit.verify()
    assert v.valid and v.first_bad is None and v.entries > 20 and v.head_seq == v.entries
    assert trail.audit.verify((5, _sql(trail, "SELECT hash FROM audit_entry WHERE seq = 5")[0][0])).valid


def _count(led: Ledger) -> int:
    return int(_sql(led, "SELECT max(seq) FROM audit_entry")[0][0])


def test_an_edited_entry_is_found(trail: Ledger) -> None:
    seq = _sql(trail, "SELECT min(seq) FROM audit_entry WHERE after_json LIKE '%8800%'")[0][0]
    _sql(trail, "UPDATE audit_entry SET after_json = replace(after_json, '8800', '9900') WHERE seq = :s", s=seq)
    v = trail.audit.verify()
    assert (v.valid, v.first_bad, v.reason) == (False, seq, "audit.edited")
    assert v.message() == f"第{seq}条审计记录被改动（哈希不符）"


def test_a_deleted_entry_is_found(trail: Ledger) -> None:
    _sql(trail, "DELETE FROM audit_entry WHERE seq = 7")
    v = trail.audit.verify()
    assert (v.valid, v.first_bad, v.reason, v.entries) == (False, 7, "audit.missing", 7)


def test_a_removed_last_entry_is_found(trail: Ledger) -> None:
    last = _count(trail)
    _sql(trail, "DELETE FROM audit_entry WHERE seq = :s", s=last)
    v = trail.audit.verify()
    assert (v.valid, v.first_bad, v.reason) == (False, last, "audit.head")


def _entry(trail: Ledger, seq: int) -> dict[str, object]:
    row = _sql(trail, f"SELECT {', '.join(ENTRY_COLS)}, prev_hash, hash FROM audit_entry WHERE seq = :s", s=seq)[0]
    return dict(zip((*ENTRY_COLS, "prev_hash", "hash"), row, strict=True))


def _forge(trail: Ledger, seq: int, prev_hash: str) -> dict[str, object]:
    forged: dict[str, object] = {"seq": seq, "at": dt.datetime(2026, 11, 23, 3, 0), "actor": "sup1",
                                 "role": "supervisor", "counter": "x", "action": "delete",
                                 "table_name": "contribution", "row_id": "1", "worker_id": 1,
                                 "before_json": "{}", "after_json": None, "note": "", "prev_hash": prev_hash}
    forged["hash"] = entry_hash(forged, prev_hash)
    with trail.engine.begin() as conn:
        conn.execute(insert(AuditEntry.__table__), forged)
    return forged


def test_an_inserted_entry_is_found(trail: Ledger) -> None:
    last = _count(trail)
    with trail.engine.begin() as conn:  # make room after entry 10, as a forger would
        for seq in range(last, 10, -1):
            conn.execute(text("UPDATE audit_entry SET seq = :n WHERE seq = :s"), {"n": seq + 1, "s": seq})
    _forge(trail, 11, str(_entry(trail, 10)["hash"]))  # correctly chained to entry 10
    v = trail.audit.verify()
    assert (v.valid, v.first_bad, v.reason) == (False, 12, "audit.link")


def test_an_entry_appended_without_moving_the_head_is_found(trail: Ledger) -> None:
    last = _count(trail)
    _forge(trail, last + 1, str(_entry(trail, last)["hash"]))
    v = trail.audit.verify()
    assert (v.valid, v.first_bad, v.reason) == (False, last + 1, "audit.head")  # the appended one


def test_reordered_entries_are_found(trail: Ledger) -> None:
    with trail.engine.begin() as conn:
        conn.execute(text("UPDATE audit_entry SET seq = -1 WHERE seq = 8"))
        conn.execute(text("UPDATE audit_entry SET seq = 8 WHERE seq = 9"))
        conn.execute(text("UPDATE audit_entry SET seq = 9 WHERE seq = -1"))
    v = trail.audit.verify()
    assert (v.valid, v.first_bad, v.reason) == (False, 8, "audit.link")


def test_a_rewritten_chain_is_found_with_an_anchor(trail: Ledger) -> None:
    anchor = (3, str(_entry(trail, 3)["hash"]))
    last = _count(trail)
    prev = str(_entry(trail, 1)["prev_hash"])
    with trail.engine.begin() as conn:  # change entry 2 and recompute every hash after it, head too
        for seq in range(1, last + 1):
            row = _entry(trail, seq)
            if seq == 2:
                row["counter"] = "forged"
            row["hash"] = entry_hash(row, prev)
            conn.execute(text("UPDATE audit_entry SET counter = :c, prev_hash = :p, hash = :h WHERE seq = :s"),
                         {"c": row["counter"], "p": prev, "h": row["hash"], "s": seq})
            prev = str(row["hash"])
        conn.execute(text("UPDATE audit_head SET hash = :h"), {"h": prev})
    assert trail.audit.verify().valid  # a chain alone cannot show a complete rewrite...
    v = trail.audit.verify(anchor)  # ...a hash noted down earlier can
    assert (v.valid, v.first_bad, v.reason) == (False, 3, "audit.anchor")


def test_the_import_is_one_entry_with_its_row_count_and_file_hash(ledger: Ledger, tmp_path: Path) -> None:
    ledger.workers.register_citizen(PERSON, "张三", "510107", "rural")
    lines = "".join(f"{EMPLOYER},{PERSON},张三,2026-{m:02d},7000\n" for m in range(1, 11))
    path = tmp_path / "d.csv"
    path.write_text("employer_uscc,id_number,name,month,wage\n" + lines, encoding="utf-8")
    before = _count(ledger)
    ledger.contributions.import_file(path)
    new = _sql(ledger, "SELECT action, table_name, after_json FROM audit_entry WHERE seq > :s ORDER BY seq", s=before)
    assert [(a, t) for a, t, _ in new] == [("insert", "import_batch"), ("bulk_insert", "contribution"),
                                           ("update", "import_batch")]
    bulk = json.loads(str(new[1][2]))
    assert bulk["rows"] == 40 and bulk["people_months"] == 10 and bulk["file"] == "d.csv"
    assert bulk["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


def _declare(ledger: Ledger, tmp_path: Path, lines: list[tuple[str, str, int, str]]) -> Path:
    """Import a declaration of these (ID number, name, month of 2026, wage) rows; its file."""
    path = tmp_path / "d.csv"
    path.write_text("employer_uscc,id_number,name,month,wage\n" + "".join(
        f"{EMPLOYER},{number},{name},2026-{m:02d},{wage}\n" for number, name, m, wage in lines), encoding="utf-8")
    ledger.contributions.import_file(path)
    return path


def _mapped(s: Session) -> Iterator[tuple[str, Any, list[str], list[Any]]]:
    """(table, its one-column key, attribute names, columns) of every mapped table the trail can
    prove in bulk (`audit._single_key`)."""
    for mapper in Contribution.registry.mappers:
        table = str(mapper.local_table.name)
        key = audit._single_key(table)
        if key is not None:
            yield table, key, [a.key for a in mapper.column_attrs], [a.columns[0] for a in mapper.column_attrs]


def test_the_bulk_proof_reads_rows_typed_as_sqlalchemy_does(ledger: Ledger, tmp_path: Path) -> None:
    """The proof reads SQLite's rows through the driver and types them column by column
    (`store.reading.typed_batches`): every value, of every mapped table with rows here (money, dates, times,
    text, numbers, empty columns), is the one SQLAlchemy's own read gives, of the same type."""
    ledger.workers.register_citizen(PERSON, "张三", "510107", "rural")
    _declare(ledger, tmp_path, [(PERSON, "张三", m, "7000.05") for m in range(1, 4)])
    checked = 0
    with ledger.read() as s:
        for _table, key, _names, columns in _mapped(s):
            stmt = select(*columns).where(key > 0).order_by(key)
            expected = [tuple(r) for r in s.execute(stmt)]
            got = [tuple(r) for batch in typed_batches(s, stmt) for r in batch]
            assert [[(type(v), v) for v in r] for r in got] == [[(type(v), v) for v in r] for r in expected]
            checked += len(expected)
    assert checked > 12  # the lines, the person, the employer, the office's rows


def test_the_two_proofs_write_the_same_lines(ledger: Ledger, tmp_path: Path) -> None:
    """A bulk insert's proof is written from the driver's values on SQLite (`_stored_proof`) and
    from the typed rows elsewhere (`_typed_proof`): both give the same ids and the same value texts,
    for every mapped table with rows here (money with fen, days, codes, texts, empty columns, the
    lines through their view, and secrets shown as "***"), and each row's texts make its line."""
    ledger.workers.register_citizen(PERSON, "张三", "510107", "rural")
    _declare(ledger, tmp_path, [(PERSON, "张三", m, f"{7000 + m}.05") for m in range(1, 4)])
    add_staff(ledger)
    as_(ledger, "sup1")
    proved: dict[str, list[tuple[int, str]]] = {}
    with ledger.read() as s:
        for table, key, names, columns in _mapped(s):
            if not isinstance(key.type, Integer):  # (a bulk entry's ids are numbers)
                continue
            stmt = (line_store.after(s.connection(), 0, columns) if table == line_store.TABLE
                    else select(*columns).where(key > 0).order_by(key))
            pk = names.index(key.key)
            ways = [[(i, texts) for ids, columns in proof(s, table, names, stmt, pk)
                     for i, texts in zip(ids, zip(*columns, strict=True), strict=True)]
                    for proof in (audit._typed_proof, audit._stored_proof)]
            assert ways[0] == ways[1], table
            rows = {values[names.index(key.key)]: values for values in
                    s.execute(select(*columns).order_by(key)).all()}
            for i, texts in ways[0]:
                line = "{" + ",".join(f"{json.dumps(n)}:{t}" for n, t in sorted(zip(names, texts, strict=True))) + "}"
                assert line == audit.row_line(audit.row_snapshot(table, names, rows[i])), (table, i)
            if ways[0]:
                proved[table] = ways[0]
    assert len(proved["contribution"]) == 12 and [i for i, _ in proved["contribution"]] == list(range(1, 13))
    assert all(texts[names.index("password_hash")] == '"***"' for _, texts in proved["user_account"]
               for names in [audit.proof_columns("user_account")])
    assert {"worker", "employer", "office", "import_batch"} <= proved.keys()


def test_a_declarations_proof_on_sqlite_reads_its_lines_by_id_as_stored(ledger: Ledger, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """On SQLite the proof of a declaration's lines reads the lines written after the mark through
    their ids (searches of the person-month rows and side lines, no scan of every line) and writes
    each from the values as stored, column by column, not from rows typed one by one (`lines_of`,
    the other databases' path, which makes an object of every value). The entry proves the lines.
    (The row path's proof: a clean file is written and proved with set-based SQL, test_declaration_bulk.)"""
    monkeypatch.setattr(contributions, "BULK", False)
    people = ((PERSON, "张三"), ("11010519491231002X", "李四"))
    for number, name in people:
        ledger.workers.register_citizen(number, name, number[:6], "rural")
    typed: list[object] = []
    real = audit.lines_of
    monkeypatch.setattr(audit, "lines_of", lambda *args: typed.append(args) or real(*args))
    sent: list[tuple[str, object]] = []

    def note(_conn: object, _cursor: object, sql: str, params: object, _context: object, many: bool) -> None:
        if not many and sql.lstrip().upper().startswith("SELECT") and "contribution" in sql:
            sent.append((sql, params))

    event.listen(ledger.engine, "before_cursor_execute", note)
    lines = [(number, name, m, f"{7000 + m}.05") for number, name in people for m in range(1, 4)]
    try:
        _declare(ledger, tmp_path, lines)
    finally:
        event.remove(ledger.engine, "before_cursor_execute", note)
    assert typed == []
    with ledger.engine.connect() as conn:
        raw = conn.connection.driver_connection  # (the plans asked of the driver are not sent through it)
        plans = [" | ".join(r[3] for r in raw.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall())
                 for sql, params in sent]
    scans = [p for p in plans if re.search(r"SCAN (contribution_month|contribution_side|m|s)\b", p)]
    assert plans and not scans, scans  # (SCAN of the view or a subquery: its rows read as they are made)
    proof = [p for (sql, _), p in zip(sent, plans, strict=True) if "account_amount" in sql]
    assert len(proof) == 1 and "SEARCH m USING INTEGER PRIMARY KEY (rowid>?)" in proof[0], proof
    bulk = json.loads(str(_sql(ledger, "SELECT after_json FROM audit_entry WHERE action = 'bulk_insert'")[0][0]))
    assert bulk["rows"] == 24
    assert ledger.audit.verify().valid


def test_a_change_cannot_bypass_the_trail(ledger: Ledger) -> None:
    ledger.workers.register_citizen(PERSON, "张三", "510107", "rural")
    row = {"worker_id": 1, "employer_id": 1, "region": "360100", "month": 202610, "scheme": "pension",
           "wage": 1, "base": 1, "employer_amount": 1, "employee_amount": 1, "account_amount": 1,
           "kind": "regular", "status": "paid", "recorded_on": TODAY, "batch_id": None, "exemption_id": None}
    with pytest.raises(UnauditedChange, match=r"^bulk INSERT not recorded in the audit trail: \{'contribution': 1\}"), \
            ledger.write() as s:
        s.execute(insert(_CONTRIB), [row])
    with pytest.raises(UnauditedChange, match="^bulk UPDATE/DELETE of contribution bypasses the audit trail"), \
            ledger.write() as s:
        s.execute(update(Contribution).values(wage=0))
    assert _sql(ledger, "SELECT count(*) FROM contribution") == [(0,)]
    assert ledger.audit.verify().valid


def test_open_mode_changes_are_audited_too(ledger: Ledger) -> None:
    entries = _sql(ledger, "SELECT actor, role, action, table_name FROM audit_entry ORDER BY seq")
    assert entries[0] == ("-", "", "insert", "office")
    assert [e[3] for e in entries].count("average_wage") == 29


def test_masking_and_logs(caplog: pytest.LogCaptureFixture) -> None:
    assert mask_id("510107198511113215") == "510107********3215"
    assert mask_id("F360100000015") == "F36010***0015"
    assert scrub("查询510107198511113215，电话13812345678，单位91360100MA35F7Q108") == \
        "查询510107********3215，电话138****5678，单位91360100MA35F7Q108"
    logger = logging.getLogger("shebao.test")
    logger.addFilter(PersonalDataFilter())
    with caplog.at_level(logging.INFO, logger="shebao.test"):
        logger.info("opened %s", "510107198511113215")
    assert "510107198511113215" not in caplog.text and "510107********3215" in caplog.text
    assert error_report(ValueError("bad 510107198511113215")) == "ValueError: bad 510107********3215"


def test_database_errors_carry_no_parameters(ledger: Ledger) -> None:
    from sqlalchemy.exc import IntegrityError

    ledger.workers.register_citizen(PERSON, "张三", "510107", "rural")
    with pytest.raises(IntegrityError, match="UNIQUE constraint failed: worker.ssn") as err, \
            ledger.engine.begin() as conn:
        conn.execute(text("INSERT INTO worker (id_number, ssn, nationality, name, initials, sex, birth_date,"
                          " created_at) VALUES (:n, :n, 'CN', '张三', 'zs', 'M', '1985-11-11', '2026-01-01')"),
                     {"n": PERSON})
    assert PERSON not in str(err.value)


def test_cli_masks_lists_once_there_are_accounts(staffed: Ledger, capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    db = staffed.engine.url.database or ""
    staffed.close()
    monkeypatch.setenv("SHEBAO_USER", "clerk1")
    monkeypatch.setenv("SHEBAO_PASSWORD", PASSWORD)
    code, data, _ = run(capsys, "--db", db, "--json", "worker", "find", "张")
    assert code == 0 and data["workers"][0]["id_number"] == "510107********3215"
    code, data, _ = run(capsys, "--db", db, "--json", "worker", "show", PERSON)
    assert code == 0 and data["worker"]["id_number"] == PERSON  # opening the person shows it


def test_cli_audit_verify(staffed: Ledger, capsys: pytest.CaptureFixture[str],
                          monkeypatch: pytest.MonkeyPatch) -> None:
    db = staffed.engine.url.database or ""
    monkeypatch.setenv("SHEBAO_USER", "admin1")
    monkeypatch.setenv("SHEBAO_PASSWORD", PASSWORD)
    code, data, _ = run(capsys, "--db", db, "--json", "audit", "verify")
    assert code == 0 and data["valid"] and data["first_bad"] is None and data["entries"] == data["head"]["seq"]
    head = f"{data['head']['seq']}:{data['head']['hash']}"
    code, data, _ = run(capsys, "--db", db, "--json", "audit", "verify", "--expect", head)
    assert code == 0 and data["valid"]
    _sql(staffed, "UPDATE audit_entry SET actor = 'sup2' WHERE seq = 4")
    code, data, err = run(capsys, "--db", db, "--json", "audit", "verify")
    assert code == 4 and {k: data[k] for k in ("valid", "first_bad")} == {"valid": False, "first_bad": 4}
    assert "第4条审计记录被改动" in err
    code, data, _ = run(capsys, "--db", db, "--json", "audit", "search", "--clerk", "admin1", "--limit", "2")
    assert code == 0 and len(data["entries"]) == 2
    monkeypatch.setenv("SHEBAO_USER", "clerk1")
    code, data, _ = run(capsys, "--db", db, "--json", "audit", "verify")
    assert code == 5


# -- the trail's own functions (desktop/core/audit.py) --------------------------------------------

def test_values_as_json_text() -> None:
    assert audit.plain(Decimal("6000.10")) == "6000.10"
    assert audit.plain(dt.datetime(2026, 11, 23, 10, 30, 5)) == "2026-11-23 10:30:05"
    assert audit.plain(dt.date(2026, 11, 23)) == "2026-11-23"
    assert audit.plain(b"\x00\xff") == "00ff"
    assert (audit.plain(5), audit.plain(None), audit.plain("张三"), audit.plain(True)) == (5, None, "张三", True)
    assert audit.to_json(None) is None
    assert audit.to_json({}) == "{}"
    assert audit.to_json({"b": Decimal("1.50"), "a": "张三", "c": None, "d": dt.date(2026, 1, 2)}) == \
        '{"a":"张三","b":"1.50","c":null,"d":"2026-01-02"}'


def test_an_entry_hash_covers_its_fields_in_order_then_the_previous_hash() -> None:
    row = {"seq": 7, "at": dt.datetime(2026, 11, 23, 10, 30), "actor": "sup1", "role": "supervisor",
           "counter": "窗口3", "action": "update", "table_name": "worker", "row_id": "1", "worker_id": 1,
           "before_json": '{"name":"张三"}', "after_json": '{"name":"李四"}', "note": "改名"}
    prev = "a" * 64
    text_ = ('[7,"2026-11-23 10:30:00.000000","sup1","supervisor","窗口3","update","worker","1",1,'
             '"{\\"name\\":\\"张三\\"}","{\\"name\\":\\"李四\\"}","改名","' + prev + '"]')
    assert audit.canonical(row, prev) == text_.encode("utf-8")
    # printf '%s' <the text above> | sha256sum
    assert audit.entry_hash(row, prev) == "3c3305ba67ca96c3060eb060ed8b5ad07c93ccc0afa70e08e766f7c30c43a907"
    as_text = {**row, "at": "2026-11-23 10:30:00"}  # a time already as text is taken as it is
    assert audit.canonical(as_text, "b").startswith(b'[7,"2026-11-23 10:30:00","sup1"')
    assert audit.canonical(as_text, "b").endswith(b'"\xe6\x94\xb9\xe5\x90\x8d","b"]')


@pytest.mark.parametrize(("ids", "text_"), [
    ([], ""), ([5], "5"), ([1, 2], "1-2"), ([1, 3], "1,3"), ([1, 2, 3, 5, 7, 8], "1-3,5,7-8"),
    ([4, 6, 7, 8, 9, 11], "4,6-9,11"), ([30, 31, 32, 100], "30-32,100"),
])
def test_ids_as_ranges_and_back(ids: list[int], text_: str) -> None:
    assert audit.id_ranges(ids) == text_
    assert audit.parse_ranges(text_) == ids


def test_parse_ranges_skips_empty_parts() -> None:
    assert audit.parse_ranges(",2,,4-5,") == [2, 4, 5]
    assert audit.parse_ranges("9-9") == [9]


def test_row_snapshots_hide_secrets_but_not_their_absence() -> None:
    assert audit.row_snapshot("user_account", ["id", "name", "password_hash"], [1, "clerk1", "scrypt$1"]) == \
        {"id": 1, "name": "clerk1", "password_hash": "***"}
    assert audit.row_snapshot("office", ["private_key", "enc_private_key", "public_key"], [None, "k", "p"]) == \
        {"private_key": None, "enc_private_key": "***", "public_key": "p"}
    assert audit.row_snapshot("worker", ["password_hash"], ["x"]) == {"password_hash": "x"}  # only those tables
    with pytest.raises(ValueError, match="zip"):
        audit.row_snapshot("worker", ["id", "name"], [1])
    assert audit.row_line({"b": 1, "a": "张"}) == '{"a":"张","b":1}'
    assert audit.row_line({}) == "{}"


def test_mapper_of_a_table() -> None:
    mapper = audit.mapper_of("office_setting")
    assert mapper is not None and mapper.class_ is OfficeSetting
    assert audit.mapper_of("no_such_table") is None


def _entries(led: Ledger, after: int) -> list[tuple[object, ...]]:
    return _sql(led, "SELECT seq, actor, role, counter, action, table_name, row_id, worker_id, before_json, "
                     "after_json, note FROM audit_entry WHERE seq > :s ORDER BY seq", s=after)


def test_inserts_updates_and_deletes_each_one_entry_with_its_note(ledger: Ledger) -> None:
    ledger.counter = "窗口1"
    head = _count(ledger)
    with ledger.write() as s:
        audit.note(s, "第一")
        audit.note(s, "第二")
        s.add(OfficeSetting(key="outbox", value="D:/发件"))
    with ledger.write() as s:  # the note was the last transaction's only
        s.get_one(OfficeSetting, "outbox").value = "E:/out"
    with ledger.write() as s:
        s.get_one(OfficeSetting, "outbox").value = "E:/out"  # the same value: no change, no entry
    with ledger.write() as s:
        s.delete(s.get_one(OfficeSetting, "outbox"))
    assert _entries(ledger, head) == [
        (head + 1, "-", "", "窗口1", "insert", "office_setting", "outbox", None, None,
         '{"key":"outbox","value":"D:/发件"}', "第一; 第二"),
        (head + 2, "-", "", "窗口1", "update", "office_setting", "outbox", None, '{"value":"D:/发件"}',
         '{"value":"E:/out"}', ""),
        (head + 3, "-", "", "窗口1", "delete", "office_setting", "outbox", None,
         '{"key":"outbox","value":"E:/out"}', None, ""),
    ]
    assert ledger.take_written()[-3:] == [(head, head + 1), (head + 1, head + 2), (head + 2, head + 3)]
    assert ledger.audit.verify().valid


def test_a_long_note_is_cut_at_2000_characters(ledger: Ledger) -> None:
    head = _count(ledger)
    with ledger.write() as s:
        audit.note(s, "甲" * 1998)
        audit.note(s, "乙丙")  # "甲"*1998 + "; " = 2000 characters: the second note is cut off whole
        s.add(OfficeSetting(key="a", value="1"))
    with ledger.write() as s:
        audit.note(s, "丁" * 2001)
        s.add(OfficeSetting(key="b", value="2"))
    notes = [str(e[10]) for e in _entries(ledger, head)]
    assert notes == ["甲" * 1998 + "; ", "丁" * 2000]


def test_a_savepoint_keeps_the_transactions_note_and_entries(ledger: Ledger) -> None:
    head = _count(ledger)
    with ledger.write() as s:
        audit.note(s, "外层")
        with s.begin_nested():
            s.add(OfficeSetting(key="a", value="1"))
        s.add(OfficeSetting(key="b", value="2"))
    with ledger.write() as s:
        s.add(OfficeSetting(key="c", value="3"))
    assert [(e[6], e[10]) for e in _entries(ledger, head)] == [("a", "外层"), ("b", "外层"), ("c", "")]


def test_secrets_changed_are_hidden_in_the_trail(ledger: Ledger) -> None:
    head = _count(ledger)
    with ledger.write() as s:
        office = s.scalars(select(Office)).one()
        assert office.private_key is None  # kept in the key store
        office.private_key = "-----BEGIN PRIVATE KEY-----"
    with ledger.write() as s:
        s.scalars(select(Office)).one().private_key = None
    assert [(e[4], e[8], e[9]) for e in _entries(ledger, head)] == [
        ("update", '{"private_key":null}', '{"private_key":"***"}'),
        ("update", '{"private_key":"***"}', '{"private_key":null}')]


def test_entries_name_the_person_they_concern(ledger: Ledger) -> None:
    head = _count(ledger)
    ledger.workers.register_citizen(PERSON, "张三", "510107", "rural")
    ledger.contributions.record(PERSON, EMPLOYER, "2026-10", "8000")
    entries = _entries(ledger, head)
    worker_id = _sql(ledger, "SELECT id FROM worker WHERE id_number = :n", n=PERSON)[0][0]
    worker_entry = next(e for e in entries if e[5] == "worker")
    assert (worker_entry[4], worker_entry[6], worker_entry[7]) == ("insert", str(worker_id), worker_id)
    assert [e[7] for e in entries if e[5] == "contribution"] == [worker_id] * 4  # four schemes


def test_an_event_entry(ledger: Ledger) -> None:
    head = _count(ledger)
    with ledger.write() as s:
        audit.act_as(s, Actor(9, "clerk9", "clerk"))
        audit.record_event(ledger, s, "backup", "x" * 39 + "yz", worker_id=3)
        audit.record_event(ledger, s, "backup", "restored", {"file": "b.shebak", "rows": 2})
    assert _entries(ledger, head) == [
        (head + 1, "clerk9", "clerk", ledger.counter, "event", "backup", "x" * 39 + "y", 3, None, "{}", ""),
        (head + 2, "clerk9", "clerk", ledger.counter, "event", "backup", "restored", None, None,
         '{"file":"b.shebak","rows":2}', "")]
    with ledger.write() as s:  # the account acted as was the last transaction's only
        audit.record_event(ledger, s, "backup", "again")
    assert _entries(ledger, head + 2)[0][1:3] == ("-", "")


AW: Table = AverageWage.__table__  # type: ignore[assignment]
LIMIT: Table = LimitOverride.__table__  # type: ignore[assignment]
AT = dt.datetime(2026, 11, 23, 9, 0)


def _wage(year: int, monthly: str) -> dict[str, object]:
    return {"region": "360000", "year": year, "monthly": Decimal(monthly), "created_at": AT}


def test_a_bulk_entry_names_its_rows_and_proves_each(ledger: Ledger) -> None:
    """29 wages (ids 1-29) are there: a bulk INSERT of a list of 2 (30, 31), an ORM insert (32), a
    bulk INSERT of one row (33), and an ORM insert elsewhere whose row id reads "33" too, in one
    transaction: the bulk entry names rows 30, 31 and 33 and hashes their snapshots."""
    assert _sql(ledger, "SELECT max(id), count(*) FROM average_wage") == [(29, 29)]
    head = _count(ledger)
    with ledger.write() as s:
        s.execute(insert(AW), [_wage(2030, "6100"), _wage(2031, "6200.5")])
        s.add(AverageWage(region="360000", year=2032, monthly=Decimal("6400.00"), created_at=AT))
        s.flush()
        s.execute(insert(AW), _wage(2033, "6300.01"))
        s.add(OfficeSetting(key="33", value="x"))
        s.flush()
        audit.record_bulk(ledger, s, "average_wage", {"file": "w.csv"}, worker_id=None)
    entries = _entries(ledger, head)
    assert [(e[4], e[5], e[6], e[7], e[8]) for e in entries] == [
        ("insert", "average_wage", "32", None, None), ("insert", "office_setting", "33", None, None),
        ("bulk_insert", "average_wage", None, None, None)]
    lines = [f'{{"created_at":"2026-11-23 09:00:00","id":{i},"monthly":"{m}","region":"360000","year":{y}}}'
             for i, m, y in ((30, "6100.00", 2030), (31, "6200.50", 2031), (33, "6300.01", 2033))]
    assert json.loads(str(entries[2][9])) == {
        "rows": 3, "file": "w.csv", "ids": "30-31,33", "columns": "id,region,year,monthly,created_at",
        "rows_sha256": hashlib.sha256("".join(line + "\n" for line in lines).encode()).hexdigest(),
        "row_hashes": "".join(hashlib.sha256(line.encode()).hexdigest()[:8] for line in lines)}
    assert ledger.audit.verify().valid


def test_a_declarations_entry_proves_a_person_month_at_a_time(ledger: Ledger, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A declaration's lines are proved a person-month at a time (`audit.GROUPED`): a text of the
    month's shared values and then each line's own, one short hash each, the groups' sizes given.
    An entry written before, a line at a time, still proves its lines and names the one changed."""
    ledger.workers.register_citizen(PERSON, "张三", "510107", "rural")
    head = _count(ledger)
    _declare(ledger, tmp_path, [(PERSON, "张三", m, f"{7000 + m}.05") for m in (1, 2)])
    [entry] = [e for e in _entries(ledger, head) if e[4] == "bulk_insert"]
    after = json.loads(str(entry[9]))
    names = after["columns"].split(",")
    shared = after["shared"].split(",")
    assert (after["rows"], after["ids"], after["groups"], len(after["row_hashes"])) == (8, "1-8", "4*2", 16)
    assert shared == [n for n in names if n in {"worker_id", "employer_id", "region", "month", "wage", "base",
                                                "kind", "recorded_on", "batch_id"}]
    with ledger.read() as s:
        rows = s.execute(select(*(Contribution.__table__.c[n] for n in names)).order_by(text("id"))).all()
    lines = [json.loads(audit.row_line(audit.row_snapshot("contribution", names, row))) for row in rows]
    own = [n for n in names if n not in shared]
    texts = [json.dumps([*(group[0][n] for n in shared), *(line[n] for line in group for n in own)],
                        ensure_ascii=False, separators=(",", ":")) for group in (lines[:4], lines[4:])]
    assert texts[0].startswith('[1,1,"360100",202601,"7001.05","7001.05","back_payment","2026-11-23",1,1,"pension",')
    assert after["rows_sha256"] == hashlib.sha256("".join(t + "\n" for t in texts).encode()).hexdigest()
    assert after["row_hashes"] == "".join(hashlib.sha256(t.encode()).hexdigest()[:8] for t in texts)
    assert ledger.audit.verify().valid

    monkeypatch.setattr(audit, "GROUPED", {})  # as written before the groups
    monkeypatch.setattr(contributions, "BULK", False)
    head = _count(ledger)
    _declare(ledger, tmp_path, [(PERSON, "张三", 3, "7003.05")])
    [entry] = [e for e in _entries(ledger, head) if e[4] == "bulk_insert"]
    assert {"shared", "groups"}.isdisjoint(json.loads(str(entry[9])))
    monkeypatch.undo()
    assert ledger.audit.verify().valid
    with ledger.engine.begin() as conn:  # outside the program: the old entry's second line, the first month's
        conn.exec_driver_sql("UPDATE contribution_month SET medical_employee = medical_employee + 1 "
                                       "WHERE month IN (202601, 202603)")
    v = ledger.audit.verify()
    assert [(p.reason, p.row) for p in v.row_problems[:2]] == [("audit.row_changed", "1-4"),
                                                               ("audit.row_changed", "10")]
    assert v.row_problem_count == 4 + 1 + 2  # the lines, each entry's SHA-256 over all


def test_a_person_month_group_with_a_line_deleted_or_an_entry_out_of_shape(ledger: Ledger, tmp_path: Path) -> None:
    """The replay of an entry of groups (`audit_replay._to_group`): a line deleted outside the program
    is named as missing, and its group is not checked (nor the entry's SHA-256, which needs every
    group); an entry whose groups do not add up to its ids names itself, not its rows."""
    from desktop.core.audit_replay import replay

    ledger.workers.register_citizen(PERSON, "张三", "510107", "rural")
    _declare(ledger, tmp_path, [(PERSON, "张三", m, "7000") for m in (1, 2, 3)])
    with ledger.read() as s:
        assert replay(s).valid
    with ledger.engine.begin() as conn:  # the medical line of February, outside the program
        conn.exec_driver_sql("UPDATE contribution_month SET medical_offset = NULL, medical_employer = NULL, "
                             "medical_employee = NULL, medical_account = NULL, medical_status = NULL "
                             "WHERE month = 202602")
    with ledger.read() as s:
        check = replay(s)
    assert [(p.reason, p.row) for p in check.problems] == [("audit.row_missing", "6")]
    assert check.total_problems == 1
    with ledger.engine.begin() as conn:  # the groups' sizes written short of the ids
        conn.exec_driver_sql("UPDATE audit_entry SET after_json = replace(after_json, '\"groups\":\"4*3\"', "
                             "'\"groups\":\"4*2\"') WHERE action = 'bulk_insert'")
    with ledger.read() as s:
        check = replay(s)
    seq = _sql(ledger, "SELECT seq FROM audit_entry WHERE action = 'bulk_insert'")[0][0]
    assert [(p.reason, p.row) for p in check.problems] == [("audit.bulk_changed", str(seq)),
                                                           ("audit.row_missing", "6")]


def test_a_bulk_entry_for_a_table_the_models_do_not_map(ledger: Ledger) -> None:
    """Rows put with insert_many into a table of no model are counted; there is no row to name."""
    head = _count(ledger)
    with ledger.write() as s:
        s.connection().exec_driver_sql("CREATE TABLE scratch (id INTEGER PRIMARY KEY, note TEXT)")
        insert_many(s, "scratch", ("id", "note"), [(1, "a"), (2, "b")])
        audit.record_bulk(ledger, s, "scratch", {"file": "s.csv"})
    assert [(e[4], e[5], e[9]) for e in _entries(ledger, head)] == [
        ("bulk_insert", "scratch", '{"file":"s.csv","rows":2}')]


def test_a_bulk_entry_into_an_empty_table_and_one_with_nothing_inserted(ledger: Ledger) -> None:
    assert _sql(ledger, "SELECT count(*) FROM limit_override") == [(0,)]
    head = _count(ledger)
    row = {"region": "360100", "from_month": 202601, "to_month": None, "floor": Decimal("0.6"),
           "ceiling": Decimal(3), "created_at": AT}
    with ledger.write() as s:
        s.execute(insert(LIMIT), [row, {**row, "from_month": 202701}])
        audit.record_bulk(ledger, s, "limit_override", {}, worker_id=5)
        audit.record_bulk(ledger, s, "limit_override", {"again": True})  # nothing since: no rows
    entries = _entries(ledger, head)
    assert [e[7] for e in entries] == [5, None]
    first = json.loads(str(entries[0][9]))
    assert (first["rows"], first["ids"], first["columns"], len(first["row_hashes"])) == \
        (2, "1-2", "id,region,from_month,to_month,floor,ceiling,created_at", 16)
    assert json.loads(str(entries[1][9])) == {"rows": 0, "again": True}
    with ledger.write() as s:  # a transaction that inserted nothing at all (a declaration all recorded before)
        audit.record_bulk(ledger, s, "contribution", {"file": "again.xlsx"})
    assert [(e[4], e[5], e[9]) for e in _entries(ledger, head)[2:]] == [
        ("bulk_insert", "contribution", '{"file":"again.xlsx","rows":0}')]


def test_a_bulk_row_with_a_secret_is_proved_as_the_trail_shows_it(ledger: Ledger) -> None:
    """A row INSERTed in bulk into a table with a secret column: its short hash is over the snapshot
    with the secret as "***", as `audit verify` recomputes it, and the secret is in no entry."""
    head = _count(ledger)
    secret = "scrypt$16384$8$1$c2FsdA$aGFzaA"
    with ledger.write() as s:
        s.execute(insert(UserAccount.__table__), {
            "name": "bulk1", "role": "clerk", "password_hash": secret, "must_change": True, "active": False,
            "failed_attempts": 0, "password_changed_at": AT, "created_at": AT})
        audit.record_bulk(ledger, s, "user_account", {"file": "staff.csv"})
    [entry] = _entries(ledger, head)
    after = json.loads(str(entry[9]))
    assert (entry[4], after["rows"], after["ids"]) == ("bulk_insert", 1, "1")
    assert secret not in str(entry[9])
    names = after["columns"].split(",")
    with ledger.read() as s:
        row = s.execute(select(*(UserAccount.__table__.c[n] for n in names))).one()
    shown = audit.row_line(audit.row_snapshot("user_account", names, row)).encode("utf-8")
    assert after["row_hashes"] == hashlib.sha256(shown).hexdigest()[:8]
    assert '"password_hash":"***"' in shown.decode("utf-8")
    assert ledger.audit.verify().valid


def test_bulk_changes_the_trail_cannot_see_are_refused(ledger: Ledger) -> None:
    with pytest.raises(UnauditedChange, match=r"^bulk UPDATE/DELETE of office_setting bypasses the audit "
                                              r"trail; change ORM objects$"), ledger.write() as s:
        s.execute(delete(OfficeSetting))
    with pytest.raises(UnauditedChange, match=r"^bulk INSERT not recorded in the audit trail: "
                                              r"\{'average_wage': 3\}$"), ledger.write() as s:
        s.execute(insert(AW), [_wage(2030, "1"), _wage(2031, "1")])
        s.execute(insert(AW), _wage(2032, "1"))
    head = _count(ledger)
    with ledger.write() as s:  # sync bookkeeping is not audited: no entry, nothing to record
        s.execute(insert(SyncPeer.__table__), {"code": "BJ01", "applied_seq": 0, "has_json": "{}"})
        s.execute(update(SyncPeer.__table__).values(applied_seq=1))
    assert _count(ledger) == head
    assert _sql(ledger, "SELECT code, applied_seq FROM sync_peer") == [("BJ01", 1)]


def test_the_first_entry_starts_the_chain_and_the_head(db_path: Path) -> None:
    led = Ledger.open(db_path, clock=lambda: AT)
    try:
        assert _sql(led, "SELECT count(*) FROM audit_entry") == [(0,)]
        assert _sql(led, "SELECT id, seq, hash FROM audit_head") == [(1, 0, "0" * 64)]
        _sql(led, "DELETE FROM audit_head")  # no entries yet: the first write makes the head again
        with led.write() as s:
            s.add(OfficeSetting(key="a", value="1"))
            s.add(OfficeSetting(key="b", value="2"))
        rows = _sql(led, "SELECT seq, at, prev_hash, hash FROM audit_entry ORDER BY seq")
        assert [(r[0], str(r[1])[:10], r[2]) for r in rows] == [
            (1, "2026-11-23", "0" * 64), (2, "2026-11-23", rows[0][3])]
        assert rows[0][1] == rows[1][1]  # one moment for the transaction
        assert _sql(led, "SELECT id, seq, hash FROM audit_head") == [(1, 2, rows[1][3])]
        assert led.take_written() == [(0, 2)]
        assert led.audit.verify().valid
    finally:
        led.close()


def test_a_missing_head_with_entries_refuses_to_write(ledger: Ledger) -> None:
    _sql(ledger, "DELETE FROM audit_head")
    head = _count(ledger)
    with pytest.raises(UnauditedChange, match="^the audit head is missing: run shebao audit verify$"), \
            ledger.write() as s:
        s.add(OfficeSetting(key="a", value="1"))
    assert _count(ledger) == head


def test_a_migration_chains_its_rows(ledger: Ledger, db_path: Path) -> None:
    head = _count(ledger)
    rows = [("k1", {"key": "k1", "value": "一"}), ("k2", {"key": "k2", "value": Decimal("2.50")})]
    with ledger.engine.begin() as conn:  # the rows, as a migration inserts them with SQL, then the trail
        conn.execute(text("INSERT INTO office_setting (key, value) VALUES ('k1', '一'), ('k2', '2.50')"))
        audit.chain_migrated(conn, "office_setting", rows, "migration 0099: test")
        audit.chain_migrated(conn, "office_setting", [], "nothing")
    got = _entries(ledger, head)
    assert got == [
        (head + 1, "-", "", "migration", "insert", "office_setting", "k1", None, None,
         '{"key":"k1","value":"一"}', "migration 0099: test"),
        (head + 2, "-", "", "migration", "insert", "office_setting", "k2", None, None,
         '{"key":"k2","value":"2.50"}', "migration 0099: test")]
    at = _sql(ledger, "SELECT at FROM audit_entry WHERE seq = :s", s=head + 1)[0][0]
    assert str(at)[19:] in ("", ".000000")  # whole seconds
    assert _sql(ledger, "SELECT seq FROM audit_head") == [(head + 2,)]
    assert ledger.audit.verify().valid
    ledger.close()
    empty = make_engine(f"sqlite:///{db_path}.empty")
    try:
        migrate(empty)
        with empty.begin() as conn:  # a database without a trail yet: nothing to chain to
            conn.execute(text("DELETE FROM audit_head"))
            audit.chain_migrated(conn, "office_setting", rows, "m")
            assert conn.execute(text("SELECT count(*) FROM audit_entry")).scalar_one() == 0
    finally:
        empty.dispose()


def test_take_range_once(ledger: Ledger) -> None:
    head = _count(ledger)
    ledger.take_written()  # the fixture's own writes
    with ledger.write() as s:
        s.add(OfficeSetting(key="a", value="1"))
    assert ledger.take_written() == [(head, head + 1)]
    assert ledger.take_written() == []
    with ledger.write() as s:
        assert audit.take_range(s) is None


def test_rows_the_trail_does_not_cover_are_skipped_not_the_rest_of_the_flush(ledger: Ledger) -> None:
    """Sync bookkeeping first, then an audited row, in one flush (inserted, then deleted)."""
    head = _count(ledger)
    with ledger.write() as s:
        s.add(SyncPeer(code="BJ01", applied_seq=0, has_json="{}"))
        s.add(OfficeSetting(key="outbox", value="D:/out"))
    with ledger.write() as s:
        s.delete(s.get_one(SyncPeer, "BJ01"))
        s.delete(s.get_one(OfficeSetting, "outbox"))
    assert [(e[4], e[5], e[6]) for e in _entries(ledger, head)] == [
        ("insert", "office_setting", "outbox"), ("delete", "office_setting", "outbox")]


def test_objects_touched_without_a_change_do_not_hide_the_changed_one(ledger: Ledger) -> None:
    """Forty settings, loaded first so that one flush carries them all: the even ones given their own
    value again, the odd ones a new value. One entry per odd setting, whichever order the session
    lists its touched objects in."""
    with ledger.write() as s:
        for i in range(40):
            s.add(OfficeSetting(key=f"k{i:02d}", value="same"))
    head = _count(ledger)
    with ledger.write() as s:
        settings = {o.key: o for o in s.scalars(select(OfficeSetting).where(OfficeSetting.key.like("k%")))}
        assert len(settings) == 40
        for i in range(40):
            settings[f"k{i:02d}"].value = "new" if i % 2 else "same"
        assert len(s.dirty) == 40  # all touched, in one flush at the commit
    entries = _entries(ledger, head)
    assert sorted((e[4], e[6], e[8], e[9]) for e in entries) == [
        ("update", f"k{i:02d}", '{"value":"same"}', '{"value":"new"}') for i in range(1, 40, 2)]


def test_a_deleted_account_leaves_no_password_hash_in_the_trail(staffed: Ledger) -> None:
    as_(staffed, "admin1")
    [stored_hash] = [h for (h,) in _sql(staffed, "SELECT password_hash FROM user_account WHERE name = 'clerk2'")]
    assert len(str(stored_hash)) > 40
    head = _count(staffed)
    with staffed.write() as s:
        s.delete(s.scalars(select(UserAccount).where(UserAccount.name == "clerk2")).one())
    [entry] = _entries(staffed, head)
    assert (entry[4], entry[5]) == ("delete", "user_account")
    before = json.loads(str(entry[8]))
    assert before["name"] == "clerk2" and before["password_hash"] == "***"
    assert str(stored_hash) not in str(entry[8])


def test_a_value_set_without_being_read_is_recorded(ledger: Ledger) -> None:
    """An attribute the session never loaded (expired) and then set: its history has no old value;
    the update is still one entry with the new value."""
    with ledger.write() as s:
        s.add(OfficeSetting(key="outbox", value="D:/out"))
    head = _count(ledger)
    with ledger.write() as s:
        setting = s.get_one(OfficeSetting, "outbox")
        s.expire(setting, ["value"])
        setting.value = "E:/out"
    [entry] = _entries(ledger, head)
    assert (entry[4], entry[6], json.loads(str(entry[9]))) == ("update", "outbox", {"value": "E:/out"})
    assert ledger.audit.verify().valid


def test_a_session_that_commits_twice_starts_the_second_transaction_afresh(ledger: Ledger) -> None:
    """The trail is on the ledger's sessionmaker: a session of it that commits, then writes again,
    carries neither the note nor the account of its first transaction into the second."""
    head = _count(ledger)
    with ledger._sessions() as s:
        audit.note(s, "第一笔")
        audit.act_as(s, Actor(9, "clerk9", "clerk"))
        s.add(OfficeSetting(key="a", value="1"))
        s.commit()
        s.add(OfficeSetting(key="b", value="2"))
        s.commit()
    assert [(e[1], e[2], e[6], e[10]) for e in _entries(ledger, head)] == [
        ("clerk9", "clerk", "a", "第一笔"), ("-", "", "b", "")]
