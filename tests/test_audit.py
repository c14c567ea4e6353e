"""The audit trail: every change with who, where, before and after; the hash chain finds tampering."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import EMPLOYER, TODAY, _office
from sqlalchemy import insert, text, update
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

from desktop.core.audit import UnauditedChange, entry_hash
from desktop.core.errors import Conflict
from desktop.core.ledger import Ledger
from desktop.core.privacy import PersonalDataFilter, error_report, mask_id, scrub
from desktop.core.services.contributions import _CONTRIB
from desktop.core.store.models import AuditEntry, Contribution

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
    assert (v.valid, v.reason) == (False, "audit.head")


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
