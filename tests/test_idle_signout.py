"""Idle sign-out: the office's time without input (set by an administrator in the settings or with
`shebao office idle`), after which the window clears the people shown, signs out and asks again."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from pytestqt.exceptions import TimeoutError as QtBotTimeout
from test_cli import run
from test_security_support import PASSWORD, PERSON, as_, fast_hashing, staffed, staffed_template
from test_ui_support import open_by_search, private_settings

from desktop.core.errors import InvalidInput, NotAllowed
from desktop.core.ledger import Ledger
from desktop.ui.settings_dialog import SettingsDialog
from desktop.ui.signin_dialog import SignInDialog
from desktop.ui.window import MainWindow

__all__ = ["fast_hashing", "private_settings", "staffed", "staffed_template"]


def test_the_setting_is_the_administrators(staffed: Ledger) -> None:
    as_(staffed, "clerk1")
    assert staffed.office.idle_seconds() == Decimal(900)  # the default: 15 minutes
    with pytest.raises(NotAllowed) as err:
        staffed.office.set_idle("5")
    assert (err.value.key, err.value.params["needed"]) == ("role.refused", "系统管理员")
    as_(staffed, "admin1")
    for bad in ("-1", "1441", "abc", "NaN"):
        with pytest.raises(InvalidInput) as err:
            staffed.office.set_idle(bad)
        assert err.value.key == "idle.minutes"
    assert staffed.office.set_idle("0.05") == Decimal("3.000")
    assert staffed.office.set_idle(0) == 0
    assert as_(staffed, "clerk1").office.idle_seconds() == 0


def test_office_idle_on_the_command_line(staffed: Ledger, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    db = str(staffed.engine.url.database)
    staffed.close()
    monkeypatch.delenv("SHEBAO_DB", raising=False)
    monkeypatch.setenv("SHEBAO_PASSWORD", PASSWORD)
    monkeypatch.setenv("SHEBAO_USER", "clerk1")
    code, data, _ = run(capsys, "--db", db, "--json", "office", "idle")
    assert code == 0 and data == {"idle_minutes": "15", "idle_seconds": "900"}
    code, data, _ = run(capsys, "--db", db, "--json", "office", "idle", "5")
    assert code == 5
    monkeypatch.setenv("SHEBAO_USER", "admin1")
    code, data, _ = run(capsys, "--db", db, "--json", "office", "idle", "7.5")
    assert code == 0 and data == {"idle_minutes": "7.5", "idle_seconds": "450"}
    code, data, _ = run(capsys, "--db", db, "--json", "office", "idle", "2000")
    assert code == 2 and data["error"]["key"] == "idle.minutes"
    code, text, _ = run(capsys, "--db", db, "--lang", "en", "office", "idle")
    assert code == 0 and "idle sign-out (minutes): 7.5" in text


def _window(ledger: Ledger, qtbot: Any) -> MainWindow:
    win = MainWindow(ledger)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.office is not None)
    return win


def _sign_in(dialog: SignInDialog, qtbot: Any, name: str) -> None:
    qtbot.addWidget(dialog)
    dialog.user.clear()
    qtbot.keyClicks(dialog.user, name)
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)


def _open_at_the_counter(win: MainWindow, qtbot: Any) -> None:
    """Open the person by search while someone at the counter keeps pressing a key: however slow
    the machine, the short idle time cannot run out while the search and the page load."""
    keys = QTimer()
    keys.setInterval(300)
    keys.timeout.connect(lambda: qtbot.keyClick(win, Qt.Key.Key_Shift))
    keys.start()
    try:
        open_by_search(win, qtbot, PERSON, "张三")
    except QtBotTimeout as err:  # say what the window said
        raise AssertionError(f"search: {win.search.count.text()!r}, status: {win.status.text()!r}, "
                             f"signed out: {win.idle.dialog is not None}") from err
    finally:
        keys.stop()
    assert win.idle.dialog is None, win.status.text()


def test_the_window_signs_out_when_nobody_works_and_goes_on_after_a_sign_in(staffed: Ledger,
                                                                            qtbot: Any) -> None:
    as_(staffed, "admin1").office.set_idle("0.03")  # 1.8 seconds
    as_(staffed, "clerk1")
    win = _window(staffed, qtbot)
    _open_at_the_counter(win, qtbot)
    qtbot.waitUntil(lambda: win.idle.timer.isActive())
    assert win.idle.timer.interval() == 1800
    for _ in range(6):  # someone typing keeps the account signed in, past the idle time
        qtbot.wait(400)
        qtbot.keyClick(win.search.box, Qt.Key.Key_Shift)
    assert staffed.actor is not None and win.idle.dialog is None
    qtbot.waitUntil(lambda: win.idle.dialog is not None and win.idle.dialog.isVisible(), timeout=10000)
    assert staffed.actor is None
    assert win._page is None and win.search.model.rowCount() == 0 and win.search.box.text() == ""
    assert not win.settings_action.isEnabled() and not win.audit_action.isEnabled()
    assert win.status.text() == "无人操作的时间已到，已退出登录：请重新登录"
    win.grab().save(str(Path("/tmp") / "idle_signed_out.png"))
    dialog = win.idle.dialog
    _sign_in(dialog, qtbot, "sup1")  # another account goes on in the same window
    qtbot.waitUntil(lambda: staffed.actor is not None and win.audit_action.isEnabled(), timeout=10000)
    assert staffed.actor.name == "sup1" and win.idle.dialog is None
    _open_at_the_counter(win, qtbot)
    qtbot.waitUntil(lambda: win.idle.timer.isActive())
    win.close()
    win.runner.wait()


def test_no_sign_out_when_the_office_says_never(staffed: Ledger, qtbot: Any) -> None:
    as_(staffed, "admin1").office.set_idle("0")
    as_(staffed, "clerk1")
    win = _window(staffed, qtbot)
    qtbot.wait(300)
    assert not win.idle.timer.isActive() and staffed.actor is not None
    win.close()
    win.runner.wait()


def test_the_administrator_sets_it_in_the_settings(staffed: Ledger, qtbot: Any) -> None:
    as_(staffed, "admin1")
    win = _window(staffed, qtbot)
    qtbot.keyClick(win.search.box, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(win.active_dialog, SettingsDialog))
    dialog = win.active_dialog
    assert isinstance(dialog, SettingsDialog)
    qtbot.waitUntil(lambda: dialog.office is not None and not win.runner.busy)
    dialog.tabs.setCurrentIndex(1)
    assert dialog.idle.value() == 15 and dialog.idle_label.buddy() is dialog.idle
    dialog.idle.selectAll()
    qtbot.keyClicks(dialog.idle, "7")
    dialog.idle_save.click()
    qtbot.waitUntil(lambda: dialog.idle_status.text() == "已保存：下次登录起生效")
    assert staffed.office.idle_seconds() == Decimal(420)
    qtbot.wait(50)
    dialog.grab().save(str(Path("/tmp") / "settings_idle.png"))
    dialog.close()
    win.close()
    win.runner.wait()
