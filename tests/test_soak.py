"""Soak: the window and two command-line processes on one office database at once.

The window (offscreen) records months, opens file dialogs and sniffs the database's folder, while
one process registers people and imports their declarations and another backs up and exports sync
files, each in a loop of separate command runs. Afterwards every write any of them acknowledged is
in the database, `integrity_check` and the audit chain pass, and every backup restores.

CI runs it for SHEBAO_SOAK_SECONDS (default 20); on demand: SHEBAO_SOAK_SECONDS=300 pytest tests/test_soak.py
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from conftest import EMPLOYER, TODAY, _office
from PySide6.QtCore import QMimeDatabase
from PySide6.QtTest import QTest
from sync_support import trust_all
from test_any_day import id_number

from desktop.core.ledger import Ledger
from desktop.core.store.guard import locks_held
from desktop.ui import files
from desktop.ui.runner import Runner
from desktop.ui.window import MainWindow

ROOT = Path(__file__).resolve().parents[1]
SECONDS = float(os.environ.get("SHEBAO_SOAK_SECONDS", "20"))


def lines(ack: Path, kind: str) -> list[str]:
    if not ack.exists():
        return []
    return [line.split(" ", 1)[1] for line in ack.read_text(encoding="utf-8").splitlines()
            if line.startswith(kind + " ")]


def test_window_and_two_processes_lose_nothing(tmp_path: Path, qtbot: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("SHEBAO_BACKUP_KEY", str(tmp_path / "backup.key"))
    db = tmp_path / "database" / "office.db"
    other = _office_b(tmp_path)
    ledger = _office(Ledger.open(db, clock=lambda: TODAY))
    trust_all(ledger, other)
    other.close()
    window_people = [id_number(f"5101071985{m:02d}11{n:03d}") for m in (1, 2) for n in range(100, 103)]
    for number in window_people:
        ledger.workers.register_citizen(number, "窗口", "510107", "rural")
    assert ledger.hold_locks()
    runner = Runner()
    win = MainWindow(ledger, runner)
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: win.office is not None)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    drivers = [subprocess.Popen([sys.executable, str(ROOT / "tests/soak_driver.py"), mode, str(db),
                                 str(tmp_path / f"{mode}.ack"), str(SECONDS), extra], cwd=ROOT, env=env,
                                stderr=subprocess.PIPE, text=True)
               for mode, extra in (("import", "1000"), ("backup", str(tmp_path / "out")))]
    (tmp_path / "out").mkdir()
    recorded: list[tuple[str, str]] = []
    months = [f"2026-{m:02d}" for m in range(1, 11)]
    deadline = time.monotonic() + SECONDS
    turn = 0
    while time.monotonic() < deadline:
        if turn < len(window_people) * len(months):  # the people registered before: a month each turn
            number = window_people[turn % len(window_people)]
            month = months[(turn // len(window_people)) % len(months)]
            register = False
        else:  # then someone new at the counter each turn, and their month
            number = id_number(f"5101071990{turn // 1000 % 12 + 1:02d}{turn // 100 % 10 + 10:02d}{turn % 1000:03d}")
            month, register = "2026-10", True
        turn += 1
        done: list[Any] = []

        def work(n: str = number, m: str = month, new: bool = register) -> None:
            if new:
                ledger.workers.register_citizen(n, "窗口", "510107", "rural")
            ledger.contributions.record(n, EMPLOYER, m, "6000")

        runner.run(work, lambda _result, error, done=done: done.append(error))
        qtbot.waitUntil(lambda done=done: bool(done), timeout=60000)
        assert done[0] is None, done[0]
        recorded.append((number, month))
        if turn % 5 == 0:  # what a clerk's file dialog does on the database's folder
            dialog = files.make_dialog(win, "另存为", db.parent)
            dialog.setDirectory(str(db.parent))
            dialog.show()
            QTest.qWait(300)
            dialog.close()
            dialog.deleteLater()
            for name in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
                QMimeDatabase().mimeTypeForFile(str(name))
        QTest.qWait(20)
    for proc in drivers:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    win.watch.stop()
    runner.wait()
    guard_locks = ledger.check_locks()["guard_locks"]
    ledger.close()
    ledger.release_locks()
    assert guard_locks and guard_locks > 0
    assert locks_held(db) == 0

    people = lines(tmp_path / "import.ack", "person")
    imported = lines(tmp_path / "import.ack", "month")
    backups = lines(tmp_path / "backup.ack", "backup")
    syncs = lines(tmp_path / "backup.ack", "sync")
    assert recorded and people and imported and backups and syncs, "a user did no work: the soak proves nothing"
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        have = {r[0] for r in conn.execute("SELECT id_number FROM worker")}
        paid = set(conn.execute("SELECT DISTINCT w.id_number, c.month FROM contribution c "
                                "JOIN worker w ON w.id = c.worker_id").fetchall())
    finally:
        conn.close()
    def stored_month(number: str, month: str) -> tuple[str, int]:
        return number, int(month.replace("-", ""))  # months are stored as YYYYMM

    assert set(people) <= have
    assert {stored_month(*m.split()) for m in imported} <= paid
    assert {stored_month(*r) for r in recorded} <= paid
    check = Ledger.open(db, clock=lambda: TODAY)
    try:
        verdict = check.audit.verify()
        assert verdict.valid, verdict
    finally:
        check.close()
    for n, backup in enumerate(backups):
        target = tmp_path / "restored" / f"{n}.db"
        restored = subprocess.run([sys.executable, "-m", "desktop.cli", "--db", str(target), "--json", "restore",
                                   backup], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
        assert restored.returncode == 0, restored.stderr
        conn = sqlite3.connect(target)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            conn.close()
    print(f"soak {SECONDS:.0f} s: window {len(recorded)} months, {len(people)} people and {len(imported)} "
          f"imported months, {len(backups)} backups (all restored), {len(syncs)} sync files")


def _office_b(tmp_path: Path) -> Ledger:
    """The other office the sync files are for."""
    led = Ledger.open(tmp_path / "bj" / "office.db", clock=lambda: TODAY)
    led.office.init("BJ01", "北京市朝阳区社保中心", "110105")
    return led
