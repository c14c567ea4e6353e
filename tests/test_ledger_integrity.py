"""The ledger cannot be edited unseen: `audit verify` replays the trail against every row, and checks
the heads peers and backups saw of the trail, so a row changed, added or removed with sqlite3, an
emptied trail and a consistently forged trail are each found. Files are made owner-only."""

from __future__ import annotations

import json
import sqlite3
import stat
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import EMPLOYER
from sqlalchemy import text
from sync_support import EMP_BJ, EMP_NC, TODAY, make_office, trust_all, uscc
from test_cli import run

from desktop.core.audit import entry_hash, parse_ranges
from desktop.core.ledger import Ledger
from desktop.core.sync import container

ID_1 = "510107198511113215"
ID_2 = "110105199003071239"
ID_3 = "360102197806150019"
NC = uscc(EMP_NC)
COLS = ("seq", "at", "actor", "role", "counter", "action", "table_name", "row_id", "worker_id",
        "before_json", "after_json", "note")


class Offices:
    """Two offices (NC01, BJ01) on real SQLite files that trust each other; tampering closes an
    office, changes its file with sqlite3 (outside the program) and opens it again."""

    def __init__(self, template: Path, folder: Path) -> None:
        self.folder = folder
        self.a = make_office(template, folder, "NC01", "南昌市社保局", "360100", EMP_NC, "南昌赣江机械制造有限公司")
        self.b = make_office(template, folder, "BJ01", "北京市朝阳区社保中心", "110105", EMP_BJ, "北京朝阳科技有限公司")
        trust_all(self.a, self.b)
        self.key = folder / "backup.key"
        self.files = 0

    def tamper(self, *statements: str) -> Ledger:
        path = Path(str(self.a.engine.url.database))
        self.a.close()
        conn = sqlite3.connect(path)
        try:
            for sql in statements:
                conn.execute(sql)
            conn.commit()
        finally:
            conn.close()
        self.a = Ledger.open(str(path), clock=lambda: TODAY)
        return self.a

    def send(self, src: Ledger, dst: Ledger) -> Path:
        self.files += 1
        path = self.folder / f"{self.files}.sync"
        src.sync.export(path, to=dst.office.get().code)
        dst.sync.import_file(path)
        return path

    def close(self) -> None:
        self.a.close()
        self.b.close()


@pytest.fixture
def two(sqlite_template: Path, tmp_path: Path) -> Iterator[Offices]:
    o = Offices(sqlite_template, tmp_path)
    yield o
    o.close()


def _declaration(folder: Path, people: list[str], months: range, name: str = "d.csv") -> Path:
    lines = "".join(f"{NC},{p},张三,2026-{m:02d},7000\n" for p in people for m in months)
    path = folder / name
    path.write_text("employer_uscc,id_number,name,month,wage\n" + lines, encoding="utf-8")
    return path


def _day(o: Offices) -> None:
    """A normal working day at NC01: people, months at the counter, a declaration, a correction, a
    document issued and voided, sync both ways."""
    a = o.a
    for p in (ID_1, ID_2):
        a.workers.register_citizen(p, "张三", "510107", "rural")
    a.contributions.record(ID_1, NC, "2026-09", "8000")
    a.contributions.record(ID_1, NC, "2026-10", "8000")
    a.contributions.import_file(_declaration(o.folder, [ID_2], range(1, 7)))
    a.contributions.correct(ID_1, NC, "2026-10", "8800", "录入错误")
    a.contributions.correct(ID_2, NC, "2026-03", "7500", "单位申报有误")  # a row inserted in bulk
    o.send(a, o.b)
    o.b.workers.register_citizen(ID_3, "李四", "110105", "urban")
    o.send(o.b, a)  # B tells A the head of A's trail it saw


def _verdict(led: Ledger, **kw: object) -> tuple[bool, str, dict[str, object]]:
    v = led.audit.verify(**kw)  # type: ignore[arg-type]
    return v.valid, v.reason, v.params


def _row(led: Ledger, sql: str) -> tuple[object, ...]:
    with led.engine.connect() as conn:
        return tuple(conn.exec_driver_sql(sql).one())


def test_a_working_day_verifies(two: Offices) -> None:
    _day(two)
    v = two.a.audit.verify()
    assert (v.valid, v.reason, v.not_provable, v.row_problem_count) == (True, "audit.ok", 0, 0)
    assert v.heads == 1  # BJ01's attestation of NC01's head
    contributions = _row(two.a, "SELECT count(*) FROM contribution")[0]
    assert isinstance(contributions, int) and v.rows > contributions > 24
    assert v.message("en").startswith(f"the audit trail is intact: {v.entries} entries; {v.rows} ledger rows match")
    assert two.b.audit.verify().valid
    # the manifest (signed with the file) carries the sender's head and what it saw of the destination's
    seen_of_b = two.b.audit.head()
    path = two.send(two.a, two.b)
    header = container.open_file(path.read_bytes()).header
    assert header["audit_head"] == {"seq": two.a.audit.head()[0], "hash": two.a.audit.head()[1]}
    assert header["heads_seen"] == {"BJ01": {"seq": seen_of_b[0], "hash": seen_of_b[1]}}


def test_a_wage_multiplied_with_sqlite3_is_found_naming_the_row(two: Offices) -> None:
    _day(two)
    first = _row(two.a, "SELECT min(id) FROM contribution")[0]
    a = two.tamper("UPDATE contribution SET wage = wage * 10")
    v = a.audit.verify()
    assert (v.valid, v.reason, v.params) == (False, "audit.row_changed",
                                            {"table": "contribution", "row": str(first), "field": "wage"})
    assert v.message() == f"contribution表第{first}行与审计记录不符（字段缴费工资），数据被绕过程序改动"
    assert v.row_problem_count == _row(a, "SELECT count(*) FROM contribution")[0]


def test_a_row_of_a_bulk_import_changed_is_found(two: Offices) -> None:
    _day(two)
    # a row the declaration inserted and nobody corrected, and the one corrected since
    plain, corrected = (_row(two.a, "SELECT c.id FROM contribution c JOIN worker w ON w.id = c.worker_id "
                                    f"WHERE w.id_number = '{ID_2}' AND c.month = {m} ORDER BY c.id LIMIT 1")[0]
                        for m in (202601, 202603))
    # the entry proves a person-month's lines together (one short hash), so it names them together
    month = "{}-{}".format(*_row(two.a, "SELECT min(c.id), max(c.id) FROM contribution c JOIN worker w "
                                        f"ON w.id = c.worker_id WHERE w.id_number = '{ID_2}' AND c.month = 202601"))
    assert month == f"{plain}-{int(str(plain)) + 3}"
    a = two.tamper(f"UPDATE contribution SET base = base + 1 WHERE id = {plain}")
    assert _verdict(a) == (False, "audit.row_changed_bulk",
                           {"table": "contribution", "row": month, "field": ""})
    v = a.audit.verify()
    assert v.row_problem_count == 4 + 1  # the four lines, and the entry's SHA-256 over all
    assert v.message("en") == \
        f"row {month} of contribution differs from what its bulk import recorded: changed outside the program"
    a = two.tamper(f"UPDATE contribution SET base = base - 1 WHERE id = {plain}",
                   f"UPDATE contribution SET employee_amount = employee_amount + 1 WHERE id = {plain} + 2")
    assert _verdict(a) == (False, "audit.row_changed_bulk",
                           {"table": "contribution", "row": month, "field": ""})
    a = two.tamper(f"UPDATE contribution SET employee_amount = employee_amount - 1 WHERE id = {plain} + 2",
                   f"UPDATE contribution SET wage = 750000 WHERE id = {corrected}")  # as corrected: fine
    assert _verdict(a)[:2] == (True, "audit.ok")
    a = two.tamper(f"UPDATE contribution SET wage = 700000 WHERE id = {corrected}")
    assert _verdict(a) == (False, "audit.row_changed",
                           {"table": "contribution", "row": str(corrected), "field": "wage"})


def test_a_deleted_row_is_found(two: Offices) -> None:
    _day(two)
    last = _row(two.a, "SELECT max(id) FROM contribution")[0]
    a = two.tamper(f"DELETE FROM contribution WHERE id = {last}")
    assert _verdict(a) == (False, "audit.row_missing", {"table": "contribution", "row": str(last), "field": ""})


def test_an_inserted_row_is_found(two: Offices) -> None:
    _day(two)
    new = int(_row(two.a, "SELECT max(id) FROM contribution")[0]) + 1  # type: ignore[call-overload]
    a = two.tamper("INSERT INTO contribution (worker_id, employer_id, region, month, scheme, wage, base, "
                   "employer_amount, employee_amount, account_amount, kind, status, recorded_on) "
                   "SELECT worker_id, employer_id, region, 202611, scheme, wage, base, employer_amount, "
                   f"employee_amount, account_amount, kind, status, recorded_on FROM contribution WHERE id = {new - 1}")
    assert _verdict(a) == (False, "audit.row_unrecorded", {"table": "contribution", "row": str(new), "field": ""})


def test_an_emptied_trail_is_found_through_a_peer_and_a_backup(two: Offices) -> None:
    _day(two)
    backup = two.a.backups.backup(two.folder / "backups" / "a.sbk", two.key).file
    seen = two.a.audit.head()
    # empty the trail; the program starts a fresh chain
    a = two.tamper("DELETE FROM audit_entry", "DELETE FROM audit_head")
    a.workers.register_citizen("440106199203045679", "王五", "440106", "urban")
    assert a.audit.head()[0] == 1
    v = a.audit.verify(backups=[])  # the heads noted here: the peer's, then the backup's
    assert (v.valid, v.reason, v.params["office"], v.heads) == (False, "audit.attested", "BJ01", 2)
    a = two.tamper("DELETE FROM audit_attested_head")
    v = a.audit.verify(backups=[])
    assert (v.valid, v.reason, v.first_bad) == (False, "audit.backup_head", seen[0])
    assert str(v.params["file"]).startswith("(2026-11-23")  # when the backup was made
    # a thorough forger empties those too
    a = two.tamper("DELETE FROM audit_seen_head")
    # verify alone still finds the rows the fresh trail never recorded
    assert _verdict(a)[:2] == (False, "audit.row_unrecorded")
    # the backup's head is not on the fresh chain
    v = a.audit.verify(backups=two.folder / "backups", key_file=two.key)
    assert (v.valid, v.reason, v.first_bad, v.params["file"], v.backups) == (
        False, "audit.backup_head", seen[0], "a.sbk", ("a.sbk",))
    assert backup.name == "a.sbk"
    # the next file from BJ01 says which head of NC01 it saw
    two.b.workers.register_citizen("310115198807082342", "赵六", "310115", "urban")
    two.send(two.b, a)
    v = a.audit.verify()
    assert (v.valid, v.reason, v.params["office"]) == (False, "audit.attested", "BJ01")
    assert v.first_bad is not None and v.first_bad > 1
    assert v.message("en") == (f"BJ01 saw entry {v.first_bad} of this office's trail, which the trail no "
                               "longer holds (it was replaced or cut)")
    # and BJ01, given NC01's next file, sees NC01's trail go back
    assert two.b.audit.verify().peers_gone_back == ()
    two.send(a, two.b)
    v = two.b.audit.verify()
    office, before, after = v.peers_gone_back[0]
    assert v.valid and len(v.peers_gone_back) == 1 and (office, after) == ("NC01", a.audit.head()[0]) and before > 50


def _forge(led: Ledger, contribution: int) -> list[str]:
    """Statements that change a contribution's wage and rewrite the trail to match: every hash
    recomputed from the first entry that changes, the head too (a consistent forged chain)."""
    with led.engine.connect() as conn:
        rows = [dict(zip((*COLS, "prev_hash", "hash"), r, strict=True)) for r in conn.exec_driver_sql(
            f"SELECT {', '.join(COLS)}, prev_hash, hash FROM audit_entry ORDER BY seq")]
    out = [f"UPDATE contribution SET wage = wage * 10 WHERE id = {contribution}"]
    prev = rows[0]["prev_hash"]
    for row in rows:
        if row["table_name"] == "contribution" and row["row_id"] == str(contribution):
            for side in ("before_json", "after_json"):
                if row[side] and '"wage"' in str(row[side]):
                    data = json.loads(str(row[side]))
                    data["wage"] = str(Decimal(data["wage"]) * 10)
                    row[side] = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        row["prev_hash"] = prev
        row["hash"] = entry_hash(row, str(prev))
        prev = row["hash"]
        before = "NULL" if row["before_json"] is None else "'" + str(row["before_json"]).replace("'", "''") + "'"
        after = "NULL" if row["after_json"] is None else "'" + str(row["after_json"]).replace("'", "''") + "'"
        out.append(f"UPDATE audit_entry SET before_json = {before}, after_json = {after}, "
                   f"prev_hash = '{row['prev_hash']}', hash = '{row['hash']}' WHERE seq = {row['seq']}")
    out.append(f"UPDATE audit_head SET hash = '{prev}'")
    return out


def test_a_consistently_forged_trail_is_found_through_a_peer_and_a_backup(two: Offices) -> None:
    _day(two)
    two.a.backups.backup(two.folder / "backups" / "a.sbk", two.key)
    first = _row(two.a, "SELECT min(id) FROM contribution")[0]
    a = two.tamper(*_forge(two.a, int(first)))  # type: ignore[call-overload]
    # the chain and the rows agree with each other now: only heads noted elsewhere can tell
    v = a.audit.verify(backups=[])
    assert (v.valid, v.reason, v.params["office"]) == (False, "audit.attested", "BJ01")
    a = two.tamper("DELETE FROM audit_attested_head", "DELETE FROM audit_seen_head")
    assert a.audit.verify(backups=[]).valid  # a forger who also wipes the heads noted here...
    v = a.audit.verify(backups=two.folder / "backups", key_file=two.key)
    assert (v.valid, v.reason, v.params["file"]) == (False, "audit.backup_head", "a.sbk")  # ...not the backups
    two.b.workers.register_citizen("310115198807082342", "赵六", "310115", "urban")
    two.send(two.b, a)
    v = a.audit.verify(backups=[])
    assert (v.valid, v.reason, v.params["office"]) == (False, "audit.attested", "BJ01")  # ...nor the peers


def test_a_restore_does_not_count_as_a_replaced_trail(two: Offices) -> None:
    _day(two)
    backup = two.a.backups.backup(two.folder / "a.sbk", two.key).file
    backup_head = two.a.audit.head()
    two.a.contributions.record(ID_1, NC, "2026-11", "8000")
    two.send(two.a, two.b)
    two.b.workers.register_citizen("310115198807082342", "赵六", "310115", "urban")
    two.send(two.b, two.a)  # B has seen NC01's trail after the backup
    two.a.backups.restore(backup, two.key, force=True)
    two.b.workers.register_citizen("440106199203045679", "王五", "440106", "urban")
    two.send(two.b, two.a)  # B attests the head it saw before the restore
    with two.a.read() as s:
        attested = s.execute(text("SELECT max(seq) FROM audit_attested_head")).scalar_one()
    assert attested > backup_head[0]  # not on the restored trail: the restore entry accounts for it
    v = two.a.audit.verify(backups=[])
    assert (v.valid, v.reason) == (True, "audit.ok")


def test_files_are_owner_only(two: Offices, sqlite_template: Path, tmp_path: Path) -> None:
    def mode(p: Path) -> int:
        return stat.S_IMODE(p.stat().st_mode)

    fresh = Ledger.open(str(tmp_path / "new" / "office.db"), clock=lambda: TODAY)
    try:
        fresh.office.init("GZ01", "广州市社保局", "440100")
        db = tmp_path / "new" / "office.db"
        assert {p.name: mode(p) for p in db.parent.iterdir()} == {
            "office.db": 0o600, "office.db-wal": 0o600, "office.db-shm": 0o600}
    finally:
        fresh.close()
    _day(two)
    backup = two.a.backups.backup(two.folder / "a.sbk", two.key).file
    sent = two.send(two.a, two.b)
    received = list(Path(f"{two.b.engine.url.database}.sync-received").iterdir())
    kept = two.a.backups.restore(backup, two.key, force=True).kept
    assert kept is not None
    assert [mode(p) for p in (backup, sent, *received, kept, two.key)] == [0o600] * (4 + len(received))


def test_cli_audit_verify_reports_rows_heads_and_backups(two: Offices, capsys: pytest.CaptureFixture[str]) -> None:
    _day(two)
    two.a.backups.backup(two.folder / "backups" / "a.sbk", two.key)
    db = str(two.a.engine.url.database)
    args = ("--db", db, "--json", "audit", "verify", "--backups", str(two.folder / "backups"), "--key", str(two.key))
    code, data, _ = run(capsys, *args)
    assert code == 0 and data["valid"] and data["rows_differing"] == 0 and data["rows_not_provable"] == 0
    assert data["rows_checked"] > 50 and data["heads_checked"] == 3 and data["backups_checked"] == ["a.sbk"]
    first = _row(two.a, "SELECT min(id) FROM contribution")[0]
    two.tamper("UPDATE contribution SET wage = wage * 10")
    code, data, err = run(capsys, *args)
    lines = _row(two.a, "SELECT count(*) FROM contribution")[0]
    # every line is named once: a line the trail holds whole by itself, a person-month's lines
    # proved together by a bulk entry as one problem
    assert code == 4 and not data["valid"] and data["rows_differing"] == lines
    assert sum(len(parse_ranges(p["row"])) for p in data["row_problems"]) == lines
    assert any("-" in p["row"] for p in data["row_problems"])
    assert data["row_problems"][0] == {
        "table": "contribution", "row": str(first), "field": "wage",
        "problem": f"contribution表第{first}行与审计记录不符（字段缴费工资），数据被绕过程序改动"}
    code, text_out, err = run(capsys, "--db", db, "audit", "verify", "--no-rows", "--lang", "en")
    assert code == 0 and "heads checked (peers, backups)" in text_out
    code, text_out, err = run(capsys, "--db", db, "audit", "verify", "--lang", "en")
    assert code == 4 and f"row {first} of contribution differs from the audit trail (field wage)" in err


def test_rows_are_replayed_on_both_databases(any_ledger: Ledger, tmp_path: Path) -> None:
    led = any_ledger
    led.workers.register_citizen(ID_1, "张三", "510107", "rural")
    led.contributions.record(ID_1, EMPLOYER, "2026-10", "8000")
    path = tmp_path / "d.csv"
    path.write_text("employer_uscc,id_number,name,month,wage\n" +
                    "".join(f"{EMPLOYER},{ID_1},张三,2026-{m:02d},7000\n" for m in range(1, 10)), encoding="utf-8")
    led.contributions.import_file(path)
    led.contributions.correct(ID_1, EMPLOYER, "2026-02", "7100", "录入错误")
    v = led.audit.verify(backups=[])
    assert (v.valid, v.not_provable, v.row_problem_count) == (True, 0, 0) and v.rows > 40
    with led.engine.begin() as conn:  # another connection, outside the program's sessions
        target, last = conn.exec_driver_sql("SELECT min(id), max(id) FROM contribution WHERE month = 202605").one()
        conn.exec_driver_sql(f"UPDATE contribution SET wage = wage * 10 WHERE id = {target}")
    v = led.audit.verify(backups=[])
    assert (v.valid, v.reason, v.params) == (False, "audit.row_changed_bulk",
                                            {"table": "contribution", "row": f"{target}-{last}", "field": ""})


def test_the_audit_window_shows_a_changed_row(two: Offices, qtbot: Any, tmp_path: Path) -> None:
    from desktop.ui.audit_dialog import AuditDialog
    from desktop.ui.runner import Runner

    _day(two)
    first = _row(two.a, "SELECT min(id) FROM contribution")[0]
    a = two.tamper("UPDATE contribution SET wage = wage * 10")
    runner = Runner()
    try:
        dialog = AuditDialog(a, runner)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: dialog.verdict is not None and not runner.busy, timeout=30000)
        assert dialog.banner.text() == (f"核验未通过：contribution表第{first}行与审计记录不符（字段缴费工资），"
                                        "数据被绕过程序改动。请立即报告主管，并从备份核对。")
        assert "b00020" in dialog.banner.styleSheet()
        dialog.grab().save(str(tmp_path / "audit.png"))
    finally:
        runner.wait()


def test_rows_of_an_old_style_bulk_entry_are_counted_not_provable(ledger: Ledger, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.core import audit
    from desktop.core.services import contributions

    ledger.workers.register_citizen(ID_1, "张三", "510107", "rural")
    path = tmp_path / "d.csv"
    path.write_text("employer_uscc,id_number,name,month,wage\n" +
                    "".join(f"{EMPLOYER},{ID_1},张三,2026-{m:02d},7000\n" for m in range(1, 4)), encoding="utf-8")
    with monkeypatch.context() as m:  # the program before bulk entries named their rows (the row path)
        m.setattr(audit, "_bulk_rows", lambda _s, _t: {})
        m.setattr(contributions, "BULK", False)
        ledger.contributions.import_file(path)
    ledger.contributions.correct(ID_1, EMPLOYER, "2026-02", "7100", "录入错误")
    rows = _row(ledger, "SELECT count(*) FROM contribution")[0]
    v = ledger.audit.verify(backups=[])
    assert (v.valid, v.reason, v.not_provable, v.row_problem_count) == (True, "audit.ok", rows, 0)
    assert rows == 12
    with ledger.engine.begin() as conn:  # one row more than the old entry inserted
        conn.exec_driver_sql("INSERT INTO contribution (worker_id, employer_id, region, month, scheme, wage, "
                             "base, employer_amount, employee_amount, account_amount, kind, status, recorded_on) "
                             "SELECT worker_id, employer_id, region, 202611, scheme, wage, base, employer_amount, "
                             "employee_amount, account_amount, kind, status, recorded_on FROM contribution "
                             "WHERE id = 1")
    v = ledger.audit.verify(backups=[])
    assert (v.valid, v.reason, v.params["row"], v.not_provable) == (False, "audit.row_unrecorded", "13", 12)
