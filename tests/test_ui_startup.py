"""Starting: first run, migration with a backup, `python -m desktop`, complete translations."""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import PySide6
import pytest
from conftest import TODAY
from PySide6.QtCore import Qt, QTimer, QTranslator
from PySide6.QtWidgets import QApplication
from schema_support import office_at
from sqlalchemy import text
from test_ui_support import patient_waits, private_settings, type_keys

from desktop.core.ledger import Ledger
from desktop.core.store.engine import _alembic_config
from desktop.core.store.health import CheckCancelled
from desktop.ui.app import Startup, main
from desktop.ui.office_dialog import OfficeDialog
from desktop.ui.progress import ProgressDialog
from desktop.ui.runner import Runner
from desktop.ui.window import MainWindow

__all__ = ["patient_waits", "private_settings"]

ROOT = Path(__file__).resolve().parents[1]


def opener(target: Any, progress: Any = None, steps: Any = None) -> Ledger:
    """Ledger.open with the tests' fixed date."""
    return Ledger.open(target, progress=progress, clock=lambda: TODAY, steps=steps)


def finish(startup: Startup, qtbot: Any) -> MainWindow:
    """Wait for the window with its office, and clean up with the test."""
    qtbot.waitUntil(lambda: startup.window is not None and startup.window.office is not None)
    win = startup.window
    assert win is not None
    qtbot.addWidget(win)
    return win


def test_first_run_asks_for_the_office(tmp_path: Path, qtbot: Any) -> None:
    target = tmp_path / "new-office.db"
    runner = Runner()
    startup = Startup(target, runner, ledger_factory=opener)
    startup.start()
    qtbot.waitUntil(lambda: isinstance(startup.dialog, OfficeDialog))
    dialog = startup.dialog
    qtbot.addWidget(dialog)
    assert str(target) in dialog.location.text()
    qtbot.keyClicks(dialog.code, "360100001")
    type_keys(dialog.office_name, "南昌市社会保险事业管理局")
    qtbot.keyClicks(dialog.region, "3601")
    assert dialog.fields["region"].error.text() == "应为6位数字"
    qtbot.keyClicks(dialog.region, "00")
    qtbot.keyClick(dialog.region, Qt.Key.Key_Return)
    win = finish(startup, qtbot)
    assert win.windowTitle() == "社保经办桌面 — 南昌市社会保险事业管理局"
    assert QApplication.focusWidget() is win.search.box
    assert startup.ledger is not None and startup.ledger.office.get().region == "360100"
    win.close()
    runner.wait()
    startup.ledger.close()
    assert startup.ledger.check_locks()["guarded"]  # the window held its locks in a guard process
    startup.ledger.release_locks()


def test_an_older_database_is_backed_up_then_migrated(tmp_path: Path, qtbot: Any) -> None:
    path = tmp_path / "office.db"
    office_at(path, "0002", "OLD01", "老数据库").dispose()
    runner = Runner()
    startup = Startup(path, runner, ledger_factory=opener)
    startup.start()
    win = finish(startup, qtbot)
    assert startup.stages == ["backup", "migrate"]
    assert len(list(tmp_path.glob("office.db.before-0002-*.bak"))) == 1
    assert win.office is not None and win.office.code == "OLD01"
    win.close()
    runner.wait()
    assert startup.ledger is not None
    startup.ledger.close()
    assert startup.ledger.check_locks()["guarded"]  # the window held its locks in a guard process
    startup.ledger.release_locks()


def test_a_named_step_shows_the_progress_dialog_at_once(qtbot: Any) -> None:
    dialog = ProgressDialog("正在打开数据库…", False, None)
    qtbot.addWidget(dialog)
    assert not dialog.isVisible()
    dialog.set_stage("正在升级数据库结构…")
    assert dialog.isVisible() and dialog.labelText() == "正在升级数据库结构…"
    dialog.finish()
    assert not dialog.isVisible()


def test_python_m_desktop_opens_the_window(ledger: Ledger, db_path: Path, qtbot: Any) -> None:
    shown: list[MainWindow] = []
    app = QApplication.instance()
    assert app is not None
    guard = QTimer()
    guard.setSingleShot(True)
    guard.timeout.connect(app.quit)
    guard.start(60000)

    def ready(win: MainWindow) -> None:
        """Close the window once it is usable."""
        shown.append(win)
        QTimer.singleShot(0, win.close)  # the last window closed ends app.exec()

    assert main(["--db", str(db_path)], on_ready=ready) == 0
    assert guard.isActive(), "the window did not close the application"
    guard.stop()  # a stray quit would end every later nested event loop at once
    assert shown and shown[0].office is not None and shown[0].office.code == "OFF01"


def test_every_visible_string_has_an_english_translation(tmp_path: Path) -> None:
    tool = Path(PySide6.__path__[0])
    ts = tmp_path / "shebao_en.ts"
    ts.write_bytes((ROOT / "resources/i18n/shebao_en.ts").read_bytes())
    sources = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "desktop/ui").glob("*.py"))
    subprocess.run([str(tool / "lupdate"), "-no-obsolete", *sources, "-ts", str(ts)], cwd=ROOT,
                   capture_output=True, text=True, timeout=60, check=True)
    untranslated = [m.findtext("source") for m in ElementTree.parse(ts).iter("message")
                    if m.find("translation[@type='unfinished']") is not None]
    assert untranslated == [], (
        "strings without English: run pyside6-lupdate desktop/ui/*.py -ts "
        "resources/i18n/shebao_en.ts, translate them (pyside6-linguist), then pyside6-lrelease "
        "resources/i18n/shebao_en.ts")
    translator = QTranslator()
    assert translator.load(str(ROOT / "resources/i18n/shebao_en.qm"))
    stale = []
    for context in ElementTree.parse(ROOT / "resources/i18n/shebao_en.ts").iter("context"):
        name = context.findtext("name")
        for m in context.iter("message"):
            if m.get("numerus") != "yes" and translator.translate(
                    name, m.findtext("source"), None) != m.findtext("translation"):
                stale.append(m.findtext("source"))
    assert stale == [], "resources/i18n/shebao_en.qm is older than the .ts: run pyside6-lrelease"


@contextmanager
def held_check(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The start's check waits until the event is set, then runs for real (the time a county's
    database takes, in a test)."""
    from desktop.core import ledger as ledger_module

    release = threading.Event()
    real = ledger_module.check_sqlite

    def held(path: Path, full: bool = False, cancelled: Any = None) -> Any:
        while not release.wait(0.01):  # asking, as SQLite does while it reads, whether to stop
            if cancelled is not None and cancelled():
                raise CheckCancelled()
        return real(path, full, cancelled)

    monkeypatch.setattr(ledger_module, "check_sqlite", held)
    try:
        yield release
    finally:
        release.set()


def test_the_window_answers_while_the_check_runs(ledger: Ledger, person: str, db_path: Path, qtbot: Any,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The check reads every page (minutes on a county's years): the clerk searches meanwhile, the
    status bar says it runs, and its end takes the sign away."""
    ledger.close()
    with held_check(monkeypatch) as release:
        runner = Runner()
        startup = Startup(db_path, runner, ledger_factory=opener)
        startup.start()
        win = finish(startup, qtbot)
        assert startup.check is not None and startup.check.running and startup.health is None
        assert win.checking.isVisible() and win.checking_bar.isVisible()
        assert win.checking.text() == "正在检查数据库…" and win.status.text() == "就绪"
        type_keys(win.search.box, person[:10])
        qtbot.waitUntil(lambda: [p.id_number for p in win.search.model.people] == [person])
        assert startup.check.running and startup.health is None  # answered while the check still runs
        release.set()
        qtbot.waitUntil(lambda: startup.health is not None)
    assert startup.health.ok and startup.health.kind == "quick" and not startup.check.running
    assert not win.checking.isVisible() and not win.checking_bar.isVisible() and not win.read_only
    win.close()
    runner.wait()
    startup.ledger.close()
    startup.ledger.release_locks()


def test_a_number_typed_before_the_database_opens_is_answered_from_the_file(
        ledger: Ledger, person: str, db_path: Path, qtbot: Any) -> None:
    """Loading the ledger (SQLAlchemy, the models) takes most of the start: what the clerk types or
    scans meanwhile is answered from the file straight away, the same people the ledger finds,
    and the ledger answers from when it is open."""
    ledger.workers.register_citizen("360102196503041013", "李四", "360102", "urban")
    ledger.close()
    opening = threading.Event()

    def slow_opener(target: Any, progress: Any = None, steps: Any = None) -> Ledger:
        assert opening.wait(30)
        return opener(target, progress, steps)

    runner = Runner()
    startup = Startup(db_path, runner, ledger_factory=slow_opener)
    startup.start()
    win = startup.window
    assert win is not None and win.search.quick is not None
    qtbot.addWidget(win)
    type_keys(win.search.box, person[:12])
    qtbot.waitUntil(lambda: [p.id_number for p in win.search.model.people] == [person])
    assert startup.ledger is None and win.search.count.text() == "找到 1 人"
    win.search.box.clear()
    type_keys(win.search.box, "李")
    qtbot.waitUntil(lambda: [p.name for p in win.search.model.people] == ["李四"])
    opening.set()
    finish(startup, qtbot)
    assert win.search.quick is None  # the ledger answers now
    assert win.search.box.selectedText() == "李"  # the window took the focus back, the text selected
    type_keys(win.search.box, "李四")
    qtbot.waitUntil(lambda: win.search.shown_text == "李四" and win.search._in_flight is None)
    assert [p.name for p in win.search.model.people] == ["李四"]
    win.close()
    runner.wait()
    assert startup.ledger is not None
    startup.ledger.close()
    startup.ledger.release_locks()


def test_closing_during_the_check_stops_it(ledger: Ledger, db_path: Path, qtbot: Any,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Closing the window while the check runs ends it: the ledger closes on the runner, as at exit,
    and stops the check first; nothing is concluded of a check that did not finish."""
    ledger.close()
    with held_check(monkeypatch):
        runner = Runner()
        startup = Startup(db_path, runner, ledger_factory=opener)
        startup.start()
        win = finish(startup, qtbot)
        check = startup.check
        assert check is not None and check.running
        win.close()
        closed = startup.ledger
        assert closed is not None
        started = time.monotonic()
        runner.run(closed.close)
        runner.wait()
        assert time.monotonic() - started < 5
        check.worker.join(5)
        assert not check.running
        qtbot.wait(50)  # the check's end reaches the window: nothing shown, nothing concluded
        assert startup.health is None and closed.damage is None and not win.checking.isVisible()
        closed.release_locks()


def test_a_long_migration_shows_how_far_it_is(ledger: Ledger, person: str, db_path: Path, qtbot: Any,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """An office of the release before (schema 0016, its change log to be rebuilt) opens with the
    migration's progress in the window's dialog: the changes copied, then the index."""
    from alembic import command

    command.downgrade(_alembic_config(ledger.engine), "0016")
    with ledger.engine.connect() as conn:
        highest = conn.execute(text("SELECT max(id) FROM sync_change")).scalar_one()
    ledger.close()
    runner = Runner()
    seen: list[tuple[int, int]] = []
    shown: list[tuple[int, int]] = []

    def recording(target: Any, progress: Any = None, steps: Any = None) -> Ledger:
        def both(done: int, total: int) -> bool:
            seen.append((done, total))
            return bool(steps(done, total))
        return opener(target, progress, both)

    original = ProgressDialog.set_progress

    def set_progress(dialog: ProgressDialog, done: int, total: int) -> None:
        shown.append((done, total))
        original(dialog, done, total)

    monkeypatch.setattr(ProgressDialog, "set_progress", set_progress)
    startup = Startup(db_path, runner, ledger_factory=recording)
    startup.start()
    win = finish(startup, qtbot)
    total = highest + highest // 10
    assert startup.stages == ["backup", "migrate"]
    assert seen == [(0, total), (highest, total), (total, total)]
    assert shown and shown[-1] == (total, total)  # the dialog (shown at once for a named step) followed
    assert win.office is not None
    win.close()
    runner.wait()
    assert startup.ledger is not None
    startup.ledger.close()
    startup.ledger.release_locks()


def test_a_check_that_cannot_finish_says_so_and_the_work_goes_on(ledger: Ledger, db_path: Path, qtbot: Any,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite failing for another reason than damage (a disk that will not read) ends the check with
    its reason in the status bar: nothing is concluded, the window goes on working."""
    import sqlite3

    from desktop.core import ledger as ledger_module

    def failing(path: Path, full: bool = False, cancelled: Any = None) -> Any:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(ledger_module, "check_sqlite", failing)
    ledger.close()
    runner = Runner()
    startup = Startup(db_path, runner, ledger_factory=opener)
    startup.start()
    win = finish(startup, qtbot)
    qtbot.waitUntil(lambda: "数据库检查未能完成" in win.checking.text())
    assert win.checking.text() == "数据库检查未能完成：意外错误：OperationalError: disk I/O error"
    assert win.checking.isVisible() and not win.checking_bar.isVisible() and win.status.text() == "就绪"
    assert startup.health is None and not win.read_only and startup.ledger is not None
    assert startup.ledger.damage is None
    win.close()
    runner.wait()
    startup.ledger.close()
    startup.ledger.release_locks()
