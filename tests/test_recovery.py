"""A damaged office database on a real SQLite file: found by the check, never written to, and
recovered from the newest backup and the sync files received since, with what is lost named."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from recovery_support import (
    A_EMP,
    P1,
    P2,
    P3,
    Q1,
    Q2,
    SCHEMES_2026,
    Scene,
    build_scene,
    counts,
    damage_header,
    damage_newest_rows,
    damage_table,
    months,
    pension_months,
)
from sqlalchemy import text
from sync_support import EMP_NC, make_office
from test_security_support import PASSWORD, fast_hashing, staffed, staffed_template

from desktop.core import backup as fmt
from desktop.core.errors import Conflict, DatabaseDamaged, InvalidInput, NotAllowed, RefusedByRule
from desktop.core.ledger import Ledger
from desktop.core.store.health import CheckCancelled, Health, check_sqlite
from desktop.core.store.models import OfficeSetting
from desktop.core.sync import capture

__all__ = ["fast_hashing", "staffed", "staffed_template"]
WRITTEN = ("audit_entry", "sync_change", "sync_file", "office_setting", "average_wage", "worker")

@pytest.fixture
def scene(sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Scene]:
    """Offices A (closed, to be damaged) and B; see recovery_support.build_scene."""
    monkeypatch.setenv("SHEBAO_BACKUP_KEY", str(tmp_path / "backup.key"))
    built = build_scene(sqlite_template, tmp_path)
    yield built
    built.a.close()
    built.b.close()


def _reopen(scene: Scene, check: bool | None = None) -> Ledger:
    scene.a = Ledger.open(scene.a_path, clock=scene.clock, check=check)
    return scene.a


def test_the_check_finds_a_damaged_page_and_every_write_is_refused(scene: Scene) -> None:
    assert check_sqlite(scene.a_path).ok
    page = damage_table(scene.a_path, "contribution")
    health = check_sqlite(scene.a_path)
    assert not health.ok and health.kind == "quick"
    assert any(f"page {page}" in p for p in health.problems), health.problems
    full = check_sqlite(scene.a_path, full=True)
    assert not full.ok and full.kind == "full"

    led = _reopen(scene)  # the quick check runs when the ledger opens
    assert led.damage is not None and not led.damage.ok
    before = counts(scene.a_path, *WRITTEN)
    with pytest.raises(DatabaseDamaged) as refused:
        led.reference.set_wage("360000", 2028, "7000")
    assert refused.value.key == "db.damaged" and f"page {page}" in refused.value.params["problem"]
    message = refused.value.message()
    assert "已损坏" in message and f"page {page}" in message
    assert "shebao restore --plan" in message and "文件 → 从备份恢复" in message
    assert "shebao restore --plan" in refused.value.message("en") and refused.value.exit_code == 4
    with pytest.raises(DatabaseDamaged) as refused:
        led.workers.register_citizen("440305199201010020", "周八", "440305", "urban")
    assert (refused.value.key, refused.value.params) == ("db.damaged", {"problem": health.problems[0]})
    with pytest.raises(DatabaseDamaged) as refused:
        led.contributions.record(P1, A_EMP, "2026-09", "8000")
    assert (refused.value.key, refused.value.params) == ("db.damaged", {"problem": health.problems[0]})
    assert counts(scene.a_path, *WRITTEN) == before
    # what SQLite can still read is read: the person, the office, the import register
    assert led.workers.get(P1).name == "张三" and led.office.get().code == "NC01"
    assert len(led.sync.peers()) == 1


def test_damage_met_in_the_middle_of_a_write_rolls_it_back_and_refuses_the_next(scene: Scene) -> None:
    damage_table(scene.a_path, "contribution")
    led = _reopen(scene, check=False)  # not checked: the damage is met while working
    assert led.damage is None
    before = counts(scene.a_path, *WRITTEN)
    with pytest.raises(DatabaseDamaged) as refused, led.write() as s:
        s.add(OfficeSetting(key="test.partial", value="written before the damage was met"))
        s.flush()
        s.execute(text("SELECT sum(wage) FROM contribution")).scalar()  # reads the damaged page
    assert (refused.value.key, refused.value.params) == ("db.damaged", {"problem": "database disk image is malformed"})
    assert led.damage is not None and not led.damage.ok
    with pytest.raises(DatabaseDamaged) as refused:
        led.reference.set_wage("360000", 2028, "7000")  # nothing touches the damaged page here
    assert (refused.value.key, refused.value.params) == ("db.damaged", {"problem": "database disk image is malformed"})
    assert counts(scene.a_path, *WRITTEN) == before
    with led.read() as s:
        assert s.get(OfficeSetting, "test.partial") is None


def test_the_plan_names_the_backup_the_files_since_and_exactly_what_is_lost(scene: Scene) -> None:
    damage_table(scene.a_path, "contribution")
    led = _reopen(scene)
    plan = led.recovery.plan()  # the daily folder is known from the settings
    assert plan.health is not None and not plan.health.ok
    assert plan.searched == (scene.backups.resolve(),)
    assert plan.backup is not None and plan.backup.file == scene.newest_backup
    assert [b.file for b in plan.older] == [scene.older_backup] and plan.key_ok
    assert plan.backup.created == "2026-11-23T09:00:00"
    # the file from B after the backup (kept when it was imported), not the one before
    assert plan.records_readable
    assert [(f.sender, f.name) for f in plan.sync_files] == [("BJ01", "b-2.sync")]
    kept = plan.sync_files[0].path
    assert kept is not None and kept.parent == led.sync.received_folder()
    assert kept.read_bytes() == scene.received.read_bytes()
    # lost: P1's August, P3 with August, the wage; not what went to B or came from B
    lost = plan.lost
    assert lost.known and not lost.partly
    assert dict(lost.kinds) == {"contribution": 2 * SCHEMES_2026, "worker": 1, "average_wage": 1}
    assert lost.people == ((P3, "孙七"), (P1, "张三")) and lost.people_count == 2
    assert plan.sent is not None and plan.sent.offices == ("BJ01",)
    assert dict(plan.sent.kinds) == {"contribution": SCHEMES_2026, "worker": 1}


def test_lost_declared_lines_on_a_damaged_page_are_counted_their_people_unnamed(scene: Scene,
                                                                              tmp_path: Path) -> None:
    """The change of a declared line is kept by reference to the line: when the line's page is what
    is damaged, the plan still counts every lost change by kind from the change log, and says how
    many of them name a person it cannot read (never a person guessed)."""
    led = _reopen(scene)
    declaration = tmp_path / "d.csv"
    declaration.write_text("employer_uscc,id_number,name,month,wage\n"
                           f"{A_EMP},{P2},王五,2026-09,7000\n{A_EMP},{P2},王五,2026-10,7000\n", encoding="utf-8")
    assert led.contributions.import_file(declaration).lines == 2 * SCHEMES_2026
    led.close()
    damage_newest_rows(scene.a_path, "contribution")
    led = _reopen(scene)
    with pytest.raises(DatabaseDamaged), led.read(checked=False) as s:  # the lines cannot be read,
        capture.own_changes(s, "NC01")  # nor can the data of their changes
    lost = led.recovery.plan().lost
    assert lost.known and not lost.partly
    # the declaration's batch row as the audit trail tells it: inserted, then its count of lines set
    assert dict(lost.kinds) == {"contribution": 4 * SCHEMES_2026, "worker": 1, "average_wage": 1, "import_batch": 2}
    assert lost.people == ((P3, "孙七"), (P1, "张三")) and lost.unnamed == 2 * SCHEMES_2026


def test_the_plan_offers_an_increment_only_with_the_backup_it_is_built_on(scene: Scene) -> None:
    assert fmt.read_header(scene.newest_backup)[0]["parent"]["file"] == scene.older_backup.name
    damage_table(scene.a_path, "contribution")
    led = _reopen(scene)
    aside = scene.older_backup.with_name("elsewhere.bak")
    scene.older_backup.rename(aside)  # the full backup the newest one is built on is gone
    plan = led.recovery.plan()
    assert plan.backup is None and plan.older == ()
    aside.rename(scene.older_backup)
    plan = led.recovery.plan()
    assert plan.backup is not None and plan.backup.file == scene.newest_backup
    assert [b.file for b in plan.older] == [scene.older_backup]


def test_restore_and_reimport_bring_back_what_backup_and_files_hold(scene: Scene) -> None:
    damage_table(scene.a_path, "contribution")
    led = _reopen(scene)
    done = led.recovery.recover()
    assert done.restored.file == scene.newest_backup and done.restored.kept is not None
    assert [(i.file.name, i.error) for i in done.imported] == [("b-2.sync", None)]
    assert done.imported[0].applied > 0 and not done.not_signed_in
    assert led.damage is None and led.check().ok
    # the backup and B's file: P1 up to June, B's people with July
    assert led.workers.get(Q2).name == "赵六"
    assert pension_months(led, Q1) == 7
    assert pension_months(led, P1) == 6
    with pytest.raises(InvalidInput) as err:  # P3 was never sent anywhere: lost
        led.workers.get(P3)
    assert (err.value.key, err.value.params["value"]) == ("worker.unknown", P3)
    # A's own July and P2 went to B: they come back in a full file from B, numbered as before
    assert done.own_missing == (27, 31)
    assert [(g.origin, g.first_missing, g.last_missing) for g in led.sync.gaps()] == \
        [("NC01", *done.own_missing)]
    full = scene.mail / "b-full.sync"
    scene.b.sync.export(full, to="NC01", full=True)
    back = led.sync.import_file(full)
    assert back.applied >= SCHEMES_2026 + 1
    assert pension_months(led, P1) == 7 and led.workers.get(P2).name == "王五"
    assert led.sync.gaps() == []
    # the office goes on: its next change reaches B (not taken there for one it already has)
    months(led, P1, A_EMP, range(9, 10))
    led.sync.export(scene.mail / "a-3.sync", to="BJ01")
    assert scene.b.sync.import_file(scene.mail / "a-3.sync").applied == SCHEMES_2026
    assert pension_months(scene.b, P1) == 8


def test_a_file_that_is_not_a_database_any_more(scene: Scene) -> None:
    damage_header(scene.a_path)
    health = check_sqlite(scene.a_path)
    assert not health.ok and health.problems == ("file is not a database",)
    led = _reopen(scene)
    assert led.damage is not None and led.damage.problems == ("file is not a database",)
    with pytest.raises(DatabaseDamaged) as refused:
        led.workers.get(P1)
    assert (refused.value.key, refused.value.params) == ("db.damaged", {"problem": "file is not a database"})
    with pytest.raises(DatabaseDamaged) as refused:
        led.reference.set_wage("360000", 2028, "7000")
    assert (refused.value.key, refused.value.params) == ("db.damaged", {"problem": "file is not a database"})
    plan = led.recovery.plan([scene.backups])
    assert plan.backup is not None and plan.backup.file == scene.newest_backup
    assert not plan.lost.known and "not a database" in plan.lost.reason
    # the register cannot be read: the kept files made after the backup, from their manifests
    assert not plan.records_readable
    assert [(f.sender, f.path is not None) for f in plan.sync_files] == [("BJ01", True)]
    done = led.recovery.recover([scene.backups])
    assert done.restored.kept is not None and done.restored.kept.name.startswith("NC01.db.damaged-")
    assert done.restored.kept.exists()
    assert [i.error for i in done.imported] == [None]
    assert led.check().ok and pension_months(led, Q1) == 7
    # B's manifest said how far it held A's changes: the numbering goes on after them
    assert done.own_missing == (27, 31)


def test_a_healthy_database_is_replaced_only_when_asked(scene: Scene) -> None:
    led = _reopen(scene)
    assert led.damage is None
    plan = led.recovery.plan()
    assert plan.health is None and plan.backup is not None
    with pytest.raises(Conflict) as err:
        led.recovery.recover()
    assert (err.value.key, err.value.field) == ("db.healthy", "db")
    assert pension_months(led, P1) == 8
    led.recovery.recover(force=True)
    assert pension_months(led, P1) == 6


def test_no_backup_folder_known(sqlite_template: Path, tmp_path: Path) -> None:
    led = make_office(sqlite_template, tmp_path, "NC01", "南昌市社保局", "360100", EMP_NC, "南昌赣江机械")
    try:
        plan = led.recovery.plan()
        assert plan.backup is None and plan.searched == ()
        with pytest.raises(RefusedByRule) as err:
            led.recovery.recover(force=True)
        assert err.value.key == "recovery.nowhere"
        with pytest.raises(RefusedByRule) as err:
            led.recovery.recover([tmp_path], force=True)
        assert err.value.key == "recovery.no_backup" and str(tmp_path) in err.value.message()
    finally:
        led.close()


def test_postgresql_reports_ok(any_ledger: Ledger) -> None:
    assert any_ledger.check().ok and any_ledger.check(full=True).kind == "full"


def test_signing_in_on_a_damaged_database_writes_nothing(staffed: Ledger) -> None:
    path = Path(str(staffed.engine.url.database))
    staffed.close()
    damage_table(path, "contribution")
    led = Ledger.open(path, clock=staffed.clock)
    try:
        before = counts(path, "audit_entry", "user_account")
        with pytest.raises(NotAllowed) as err:
            led.sign_in("clerk1", "wrong password!")
        assert err.value.key == "auth.refused"
        assert led.sign_in("clerk1", PASSWORD).name == "clerk1"
        assert counts(path, "audit_entry", "user_account") == before
        with pytest.raises(DatabaseDamaged) as err:
            led.workers.register_citizen(P3, "孙七", "110105", "urban")
        assert err.value.key == "db.damaged" and "invalid page number" in err.value.params["problem"]
        led.sign_in("admin1", PASSWORD)
        assert led.recovery.plan().backup is None  # no backup folder known, nothing written
        assert counts(path, "audit_entry", "user_account") == before
    finally:
        led.close()



def _big(path: Path) -> None:
    """Pages enough for a check to take a while (a table of the test's own, beside the office's)."""
    con = sqlite3.connect(path)
    with con:
        con.execute("CREATE TABLE filler (n INTEGER PRIMARY KEY, text TEXT)")
        con.executemany("INSERT INTO filler (text) VALUES (?)", ((f"{i:06d}" * 40,) for i in range(40000)))
    con.close()


def test_closing_the_ledger_stops_a_check_running_beside(db_path: Path) -> None:
    """The window checks at start on a thread of its own while the clerk works; a restore (which
    closes the ledger before it replaces the file) and the exit close it: the check stops first."""
    _big(db_path)
    led = Ledger.open(db_path, check=False)
    asked = threading.Event()

    def slowly() -> bool:  # SQLite asks every 20,000 steps: each answer takes a while here
        asked.set()
        time.sleep(0.05)
        return False

    ended: list[BaseException | Health] = []

    def check() -> None:
        try:
            ended.append(led.check(cancelled=slowly))
        except CheckCancelled as exc:
            ended.append(exc)

    beside = threading.Thread(target=check)
    beside.start()
    assert asked.wait(30)
    started = time.monotonic()
    led.close()  # returns once the check has stopped
    assert time.monotonic() - started < 5
    beside.join(5)
    assert not beside.is_alive()
    assert len(ended) == 1 and isinstance(ended[0], CheckCancelled)
    assert led.damage is None
    # the same check left alone runs to its end, and a ledger with no check running closes at once
    led = Ledger.open(db_path, check=False)
    assert led.check().ok
    led.close()
