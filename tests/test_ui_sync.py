"""The sync dialog between two real SQLite offices: import, export, a file imported twice, a
conflict reviewed, refusals shown; the outbox folder in the settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sync_support import EMP_BJ, EMP_NC, make_office, send, trust_all, uscc
from test_security_support import add_staff, as_, fast_hashing
from test_ui_support import patient_waits, press_shortcut, private_settings, window

from desktop.core.ledger import Ledger
from desktop.ui.runner import Runner
from desktop.ui.settings_dialog import SettingsDialog
from desktop.ui.sync_dialog import SyncDialog
from desktop.ui.window import MainWindow

__all__ = ["fast_hashing", "patient_waits", "private_settings", "window"]
PERSON = "510107198511113215"


@pytest.fixture
def runner(qtbot: Any) -> Iterator[Runner]:
    """The background runner the dialogs use."""
    r = Runner()
    yield r
    r.wait()


@pytest.fixture
def offices(sqlite_template: Path, tmp_path: Path) -> Iterator[tuple[Ledger, Ledger]]:
    """Office A (Nanchang) with a person paying three months, and office B (Beijing); they trust
    each other."""
    a = make_office(sqlite_template, tmp_path, "OFF01", "南昌市社保局", "360100", EMP_NC, "南昌赣江机械制造有限公司")
    b = make_office(sqlite_template, tmp_path, "OFF02", "北京市朝阳区社保局", "110105", EMP_BJ, "北京朝阳科技有限公司")
    trust_all(a, b)
    a.workers.register_citizen(PERSON, "张三", "510107", "rural")
    for month in ("2026-01", "2026-02", "2026-03"):
        a.contributions.record(PERSON, uscc(EMP_NC), month, "8000")
    yield a, b
    a.close()
    b.close()


def open_dialog(ledger: Ledger, runner: Runner, qtbot: Any) -> SyncDialog:
    """The sync dialog over an office, shown, with its state read."""
    dialog = SyncDialog(ledger, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.state is not None and not runner.busy)
    return dialog


def finished(dialog: SyncDialog, runner: Runner) -> bool:
    """Whether the dialog's file work and the reading after it are over."""
    return not dialog.running and not runner.busy


def test_import_export_and_the_same_file_twice(offices: tuple[Ledger, Ledger], runner: Runner,
                                               tmp_path: Path, qtbot: Any) -> None:
    a, b = offices
    sent = a.sync.export(tmp_path / "a1.sync")
    assert sent.changes > 0
    dialog = open_dialog(b, runner, qtbot)
    assert dialog.peers.rowCount() == 1
    assert [dialog.peers.index(0, c).data() for c in (0, 1, 2, 3)] == ["OFF01", "南昌市社保局", "从未", "从未"]
    assert dialog.peers.index(0, 5).data() == "是"
    assert [dialog.to.itemText(i) for i in range(dialog.to.count())] == ["全部受信任机构", "OFF01 南昌市社保局"]

    dialog.import_file(tmp_path / "a1.sync")
    qtbot.waitUntil(lambda: finished(dialog, runner) and dialog.last_import is not None)
    assert dialog.error.text() == ""
    assert dialog.result_label.text().startswith(
        f"已导入 OFF01 南昌市社保局 的同步文件：已应用 {sent.changes} 条，已有 0 条，冲突 0 条，暂存 0 条。")
    assert f"SHA-256：{sent.sha256}" in dialog.result_label.text()
    qtbot.waitUntil(lambda: dialog.peers.index(0, 2).data() != "从未")
    assert dialog.peers.index(0, 2).data().startswith("2026-11-23 ")
    assert dialog.peers.index(0, 4).data() == str(sent.changes)
    assert b.workers.get(PERSON).name == "张三"
    assert dialog.records_changed

    dialog.import_file(tmp_path / "a1.sync")
    qtbot.waitUntil(lambda: finished(dialog, runner) and dialog.error.text() != "")
    assert "这个同步文件已于2026-11-23" in dialog.error.text()
    assert dialog.error.text().endswith("导入过，未作任何改动")
    assert dialog.isVisible() and dialog.result_label.text() == ""

    pending = b.sync.pending_changes()
    assert dialog.pending.text() == f"本机构 OFF02 有 {pending} 条变更尚未导出。"
    dialog.to.setCurrentIndex(dialog.to.findData("OFF01"))
    dialog.full.setChecked(True)
    dialog.export_file(tmp_path / "b1.sync")
    qtbot.waitUntil(lambda: finished(dialog, runner) and dialog.last_export is not None)
    result = dialog.last_export
    assert result is not None and result.to == ("OFF01",)
    assert dialog.error.text() == ""
    assert dialog.result_label.text() == (f"已导出 {result.changes} 条变更，发给 OFF01。\n"
                                    f"文件：{tmp_path / 'b1.sync'}\nSHA-256：{result.sha256}")
    qtbot.waitUntil(lambda: dialog.peers.index(0, 3).data() != "从未")
    assert dialog.pending.text() == "本机构 OFF02 的变更都已导出。"
    back = a.sync.import_file(tmp_path / "b1.sync")
    assert back.sender == "OFF02" and back.applied > 0


def test_a_refused_export_says_why(offices: tuple[Ledger, Ledger], runner: Runner, tmp_path: Path,
                                   qtbot: Any) -> None:
    _a, b = offices
    dialog = open_dialog(b, runner, qtbot)
    dialog.export_file(tmp_path / "no-such-folder" / "b.sync")
    qtbot.waitUntil(lambda: finished(dialog, runner) and dialog.error.text() != "")
    assert str(tmp_path / "no-such-folder") in dialog.error.text()
    assert dialog.last_export is None and dialog.export_button.isEnabled()


def edit_phone_at_both(a: Ledger, b: Ledger, tmp_path: Path) -> Path:
    """B has A's records; both change the person's phone unaware of each other; B's file reaches
    A, and A's file (returned) is for B."""
    send(a, b, tmp_path, "seed.sync")
    a.workers.update(PERSON, phone="13800138000")
    b.workers.update(PERSON, phone="13900139000")
    send(b, a, tmp_path, "b-phone.sync")
    a.sync.export(tmp_path / "a-phone.sync", to="OFF02")
    return tmp_path / "a-phone.sync"


def test_a_conflict_is_shown_and_the_losing_edit_taken(offices: tuple[Ledger, Ledger], runner: Runner,
                                                        tmp_path: Path, qtbot: Any) -> None:
    a, b = offices
    path = edit_phone_at_both(a, b, tmp_path)
    dialog = open_dialog(b, runner, qtbot)
    assert dialog.conflicts.rowCount() == 0 and dialog.tabs.tabText(2) == "冲突(&C)"
    dialog.import_file(path)
    qtbot.waitUntil(lambda: finished(dialog, runner) and dialog.conflicts.rowCount() == 1)
    assert "冲突 1 条" in dialog.result_label.text() and "请在“冲突”页核对被覆盖的修改。" in dialog.result_label.text()
    assert dialog.tabs.tabText(2) == "冲突（1）(&C)"
    dialog.tabs.setCurrentIndex(2)
    row = [dialog.conflicts.index(0, c).data() for c in range(6)]
    assert row[1:5] == ["参保人", "510107********3215 张三", "OFF02", "OFF01"]
    assert row[5].startswith("2026-11-23 ")
    assert dialog.selected_conflict() is not None
    assert [[dialog.differences.index(r, c).data() for c in range(3)]
            for r in range(dialog.differences.rowCount())] == [["联系电话", "13900139000", "13800138000"]]
    assert b.workers.get(PERSON).phone == "13900139000"

    dialog.take_button.click()
    qtbot.waitUntil(lambda: finished(dialog, runner) and dialog.conflicts.rowCount() == 0)
    assert dialog.error.text() == ""
    text = dialog.result_label.text()
    assert text.startswith("冲突#") and text.endswith("：已改用落选的修改。")
    assert dialog.tabs.tabText(2) == "冲突(&C)"
    assert dialog.differences.rowCount() == 0 and not dialog.take_button.isEnabled()
    assert b.workers.get(PERSON).phone == "13800138000"
    assert b.sync.conflicts() == []


def test_a_clerk_may_not_resolve_a_conflict(offices: tuple[Ledger, Ledger], runner: Runner,
                                            tmp_path: Path, qtbot: Any) -> None:
    a, b = offices
    path = edit_phone_at_both(a, b, tmp_path)
    b.sync.import_file(path)
    add_staff(b)
    as_(b, "clerk1")
    dialog = open_dialog(b, runner, qtbot)
    assert dialog.conflicts.rowCount() == 1
    dialog.keep_button.click()
    qtbot.waitUntil(lambda: finished(dialog, runner) and dialog.error.text() != "")
    assert "无权执行此操作" in dialog.error.text() and "审核主管" in dialog.error.text()
    assert dialog.conflicts.rowCount() == 1
    assert b.workers.get(PERSON).phone == "13900139000"


def test_the_menu_opens_sync_and_an_office_with_no_partner_is_told_so(
        window: MainWindow, tmp_path: Path, qtbot: Any) -> None:
    assert window.sync_action.text() == "同步(&Y)…"
    press_shortcut(qtbot, window.search.box, Qt.Key.Key_S,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: isinstance(window.active_dialog, SyncDialog))
    dialog = window.active_dialog
    assert isinstance(dialog, SyncDialog)
    qtbot.waitUntil(lambda: dialog.state is not None and not window.runner.busy)
    assert dialog.peers.rowCount() == 0
    assert dialog.outbox.text() == "尚未设置同步发件文件夹（机构设置 → 同步）。"
    dialog.export_file(tmp_path / "x.sync")
    qtbot.waitUntil(lambda: finished(dialog, window.runner) and dialog.error.text() != "")
    assert dialog.error.text() == "还没有受信任的经办机构，无处可发"
    assert not (tmp_path / "x.sync").exists()


def test_the_outbox_folder_is_set_in_the_settings(window: MainWindow, ledger: Ledger, tmp_path: Path,
                                                  qtbot: Any) -> None:
    window.open_settings()
    dialog = window.active_dialog
    assert isinstance(dialog, SettingsDialog)
    qtbot.waitUntil(lambda: dialog.office is not None)
    assert dialog.tabs.tabText(3) == "同步" and dialog.outbox.text() == ""
    dialog.tabs.setCurrentIndex(3)
    dialog.choose_outbox(str(tmp_path / "missing"))
    qtbot.waitUntil(lambda: dialog.outbox_error.text() != "")
    assert str(tmp_path / "missing") in dialog.outbox_error.text()
    folder = tmp_path / "outbox"
    folder.mkdir()
    dialog.choose_outbox(str(folder))
    qtbot.waitUntil(lambda: dialog.outbox_status.text() == "已保存同步发件文件夹")
    assert dialog.outbox.text() == str(folder) and dialog.outbox_error.text() == ""
    assert ledger.sync.outbox() == str(folder)
    dialog.outbox_clear.click()
    qtbot.waitUntil(lambda: dialog.outbox_status.text() == "已清除同步发件文件夹")
    assert ledger.sync.outbox() is None and dialog.outbox.text() == ""


def test_only_an_administrator_sets_the_outbox(offices: tuple[Ledger, Ledger], runner: Runner,
                                               tmp_path: Path, qtbot: Any) -> None:
    _a, b = offices
    add_staff(b)
    as_(b, "clerk1")
    dialog = SettingsDialog(b, runner)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.office is not None or dialog.reference_error.text() != "")
    dialog.choose_outbox(str(tmp_path))
    qtbot.waitUntil(lambda: dialog.outbox_error.text() != "")
    assert "无权执行此操作" in dialog.outbox_error.text() and "系统管理员" in dialog.outbox_error.text()
    assert b.sync.outbox() is None
    as_(b, "admin1")
    dialog.choose_outbox(str(tmp_path))
    qtbot.waitUntil(lambda: dialog.outbox_status.text() == "已保存同步发件文件夹")
    assert b.sync.outbox() == str(tmp_path)
