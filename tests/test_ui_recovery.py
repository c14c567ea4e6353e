"""The window on a damaged database: the check when it opens, the damage dialog with the plan, a
read-only start whose writes are refused, and the restore with progress."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from recovery_support import (
    A_EMP,
    P1,
    P2,
    P3,
    Q1,
    Q2,
    Scene,
    build_scene,
    damage_newest_rows,
    damage_table,
    pension_months,
)
from sync_support import uscc
from test_ui_support import patient_waits, private_settings, type_keys

from desktop.core.errors import DatabaseDamaged
from desktop.core.ledger import Ledger
from desktop.ui.app import Startup
from desktop.ui.damage_dialog import DamageDialog
from desktop.ui.runner import Runner
from desktop.ui.window import MainWindow

__all__ = ["patient_waits", "private_settings"]


@pytest.fixture
def damaged(sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Scene]:
    """Office A with its history (recovery_support.build_scene), a contribution page damaged."""
    monkeypatch.setenv("SHEBAO_BACKUP_KEY", str(tmp_path / "backup.key"))
    scene = build_scene(sqlite_template, tmp_path)
    damage_table(scene.a_path, "contribution")
    yield scene
    scene.a.close()
    scene.b.close()


def _start(scene: Scene, qtbot: Any) -> tuple[Startup, Runner]:
    """The application started on A, opened without the check (the window runs it on the runner)."""
    runner = Runner()

    def opener(target: Any, progress: Any = None, steps: Any = None) -> Ledger:
        """Ledger.open with the scene's clock, leaving the check to the window."""
        scene.a = Ledger.open(target, progress=progress, clock=scene.clock, check=False, steps=steps)
        return scene.a

    startup = Startup(scene.a_path, runner, ledger_factory=opener)
    startup.start()
    assert startup.window is not None
    qtbot.addWidget(startup.window)
    qtbot.waitUntil(lambda: isinstance(startup.dialog, DamageDialog) and startup.health is not None)
    qtbot.addWidget(startup.dialog)
    return startup, runner


def _plan_shown(dialog: DamageDialog, qtbot: Any) -> str:
    qtbot.waitUntil(lambda: dialog.plan is not None and dialog.restore_button.isEnabled())
    return dialog.plan_text.text()


def test_the_plan_says_how_many_lost_changes_name_a_person_it_cannot_read(
        sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: Any) -> None:
    """A declaration after the backup, never sent, whose lines' page is what is damaged: its
    changes are counted, the people they name cannot be read and the plan says so."""
    monkeypatch.setenv("SHEBAO_BACKUP_KEY", str(tmp_path / "backup.key"))
    scene = build_scene(sqlite_template, tmp_path)
    led = Ledger.open(scene.a_path, clock=scene.clock)
    declaration = tmp_path / "d.csv"
    declaration.write_text(f"employer_uscc,id_number,name,month,wage\n{A_EMP},{P2},王五,2026-09,7000\n",
                           encoding="utf-8")
    led.contributions.import_file(declaration)
    led.close()
    damage_newest_rows(scene.a_path, "contribution")
    try:
        startup, runner = _start(scene, qtbot)
        dialog = startup.dialog
        text = _plan_shown(dialog, qtbot)
        assert "共 16 项" in text and "缴费记录（险种月） 12" in text and "涉及 2 人" in text
        assert "其中 4 项的人员无法读取（所在记录已损坏）" in text
        win = startup.window
        assert win is not None
        with qtbot.waitSignal(win.ready, timeout=20000):  # the start goes to its end before the test does
            qtbot.mouseClick(dialog.read_only_button, Qt.MouseButton.LeftButton)
        win.close()
        runner.wait()
    finally:
        scene.a.close()
        scene.b.close()


def test_the_check_at_start_shows_the_damage_and_the_plan_then_read_only(damaged: Scene, qtbot: Any) -> None:
    startup, runner = _start(damaged, qtbot)
    assert startup.health is not None and not startup.health.ok and startup.health.kind == "quick"
    dialog = startup.dialog
    assert dialog.isVisible() and dialog.windowTitle() == "数据库已损坏 — 社保经办桌面"
    assert dialog.title.text() == "数据库文件已损坏"
    assert "为免损坏扩大" in dialog.intro.text()
    assert dialog.problems.toPlainText().startswith("SQLite 报告：") and "page" in dialog.problems.toPlainText()
    text = _plan_shown(dialog, qtbot)
    assert damaged.newest_backup.name in text and "制作于 2026-11-23 09:00:00" in text
    assert "恢复后重新导入的同步文件（1 个）" in text and "b-2.sync" in text and "BJ01" in text
    assert "将会丢失" in text and "共 10 项" in text and "缴费记录（险种月） 8" in text
    assert "涉及 2 人" in text and "孙七" in text and "张三" in text
    assert "发往 BJ01 的 5 项修改不会丢失" in text and "shebao sync export --full --to NC01" in text
    assert dialog.restore_button.text() == "恢复(&R)" and dialog.read_only_button.text() == "只读打开(&O)"

    win = startup.window
    assert win is not None
    # (the window may have been working already when the check found the damage: it opens again)
    with qtbot.waitSignal(win.ready, timeout=20000):
        qtbot.mouseClick(dialog.read_only_button, Qt.MouseButton.LeftButton)
    assert win.office is not None and "只读（数据库已损坏）" in win.windowTitle()
    assert win.read_only
    assert "数据库已损坏，只读打开" in win.status.text()
    assert win.recovery_action.isEnabled() and win.recovery_action.text() == "从备份恢复(&R)…"
    # a write from the window is refused with the reason; nothing is stored
    employer = win.open_employer()
    employer.fields["uscc"].editor.setText(uscc("91360100MA35F8A2X"))
    employer.fields["name"].editor.setText("南昌新厂")
    employer.accept()
    qtbot.waitUntil(lambda: bool(employer.general_error.text()) or bool(employer.fields["uscc"].error.text()))
    shown = employer.general_error.text() or employer.fields["uscc"].error.text()
    assert "数据库文件已损坏" in shown and "从备份恢复" in shown
    employer.reject()
    # reads still work where SQLite can read
    assert startup.ledger is not None and startup.ledger.workers.get(Q1).name == "李四"
    win.close()
    runner.wait()


def test_restore_from_the_damage_dialog_with_progress(damaged: Scene, qtbot: Any) -> None:
    startup, runner = _start(damaged, qtbot)
    dialog = startup.dialog
    _plan_shown(dialog, qtbot)
    runner.dialog_delay_ms = 0  # the progress dialog at once, as on a big office's restore
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.recovery is not None)
    assert dialog.title.text() == "已从备份恢复"
    text = dialog.plan_text.text()
    assert f"已恢复备份 {damaged.newest_backup.name}" in text and "已重新导入 b-2.sync" in text
    assert "请对方发送完整同步文件取回" in text
    assert dialog.continue_button.isVisible() and not dialog.restore_button.isVisible()
    qtbot.mouseClick(dialog.continue_button, Qt.MouseButton.LeftButton)
    win = startup.window
    assert win is not None
    qtbot.waitUntil(lambda: win.office is not None and win.status.text() == "就绪")
    led = startup.ledger
    assert led is not None and led.damage is None and not win.read_only
    assert not win.recovery_action.isEnabled() and "只读" not in win.windowTitle()
    assert pension_months(led, P1) == 6 and pension_months(led, Q1) == 7 and led.workers.get(Q2).name == "赵六"
    assert not led.workers.find(P3)
    assert QApplication.activeModalWidget() is None
    win.close()
    runner.wait()


def test_the_window_menu_opens_the_plan_again(damaged: Scene, qtbot: Any) -> None:
    scene = damaged
    scene.a = Ledger.open(scene.a_path, clock=scene.clock)
    win = MainWindow(scene.a)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.office is not None)
    assert win.read_only and win.recovery_action.isEnabled()
    win.recovery_action.trigger()
    dialog = win.active_dialog
    assert isinstance(dialog, DamageDialog)
    _plan_shown(dialog, qtbot)
    dialog.folder.setText(str(scene.mail))  # a folder with no backup: the daily folder still counts
    qtbot.mouseClick(dialog.find_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.plan is not None and dialog.plan.searched[0] == scene.mail.resolve())
    assert dialog.plan.backup is not None and dialog.plan.backup.file == scene.newest_backup
    dialog.reject()  # closing: read-only, as before
    assert not dialog.isVisible() and win.read_only
    win.close()
    win.runner.wait()


def test_damage_found_while_the_clerk_works_is_offered_at_once(damaged: Scene, qtbot: Any,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The check runs beside the work: the clerk finds a person before it ends; when it finds the
    damage, the damage dialog comes over the working window, writes are refused from then on, and
    the window opens again read-only."""
    from test_ui_startup import held_check

    with held_check(monkeypatch) as release:
        runner = Runner()

        def opener(target: Any, progress: Any = None, steps: Any = None) -> Ledger:
            damaged.a = Ledger.open(target, progress=progress, clock=damaged.clock, check=False,
                                    steps=steps)
            return damaged.a

        startup = Startup(damaged.a_path, runner, ledger_factory=opener)
        startup.start()
        win = startup.window
        assert win is not None
        qtbot.addWidget(win)
        qtbot.waitUntil(lambda: win.office is not None)
        assert not win.read_only and win.checking.isVisible() and startup.dialog is None
        type_keys(win.search.box, Q1[:12])
        qtbot.waitUntil(lambda: [p.id_number for p in win.search.model.people] == [Q1])
        release.set()
        qtbot.waitUntil(lambda: isinstance(startup.dialog, DamageDialog))
    dialog = startup.dialog
    qtbot.addWidget(dialog)
    assert dialog.isVisible() and not win.checking.isVisible()
    # the working window says so at once, behind the dialog
    assert win.read_only and "只读（数据库已损坏）" in win.windowTitle() and win.recovery_action.isEnabled()
    assert "数据库已损坏" in win.status.text()
    assert startup.health is not None and not startup.health.ok and startup.health.kind == "quick"
    assert dialog.problems.toPlainText().startswith("SQLite 报告：")
    led = startup.ledger
    assert led is not None and led.damage is not None
    with pytest.raises(DatabaseDamaged):
        led.employers.register(uscc("91360100MA35F8A2X"), "南昌新厂")
    _plan_shown(dialog, qtbot)
    with qtbot.waitSignal(win.ready, timeout=20000):  # the window opens again, read-only
        qtbot.mouseClick(dialog.read_only_button, Qt.MouseButton.LeftButton)
    assert "只读（数据库已损坏）" in win.windowTitle() and "只读打开" in win.status.text()
    assert win.read_only and win.recovery_action.isEnabled()
    qtbot.waitUntil(lambda: not runner.busy)  # the search typed before asked again, on the read-only ledger
    assert [p.id_number for p in win.search.model.people] == [Q1]
    win.close()
    runner.wait()
