"""The window asks an administrator for the key store's passphrase when nothing else gives it; a
wrong one is said and asked again; cancelling leaves the office working, without its keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import KEY_PASSPHRASE
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit
from test_ui_startup import finish, opener
from test_ui_support import private_settings

from desktop.core import keystore
from desktop.core.ledger import Ledger
from desktop.ui.app import Startup
from desktop.ui.key_dialog import KeyPassphraseDialog
from desktop.ui.office_dialog import OfficeDialog
from desktop.ui.runner import Runner

__all__ = ["private_settings"]

SHOTS = Path("/tmp/shebao-key-dialog")


def lock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHEBAO_KEY_PASSPHRASE", raising=False)
    keystore.forget()


def test_a_wrong_passphrase_is_said_and_the_right_one_unlocks(ledger: Ledger, person: str, qtbot: Any,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    lock(monkeypatch)
    assert ledger.office.keys_locked() == "locked"
    runner = Runner()
    dialog = KeyPassphraseDialog(ledger, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.passphrase.echoMode() == QLineEdit.EchoMode.Password
    assert dialog.passphrase_label.text() == "密钥口令(&K)" and dialog.passphrase_label.buddy() is dialog.passphrase
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "稍后(&L)"
    assert not dialog.again.isVisible()
    qtbot.keyClicks(dialog.passphrase, "not the passphrase")
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.error.text() != "")
    assert dialog.error.text() == "密钥口令：口令不正确，不能打开密钥库"
    assert dialog.isVisible() and dialog.passphrase.text() == ""
    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(SHOTS / "unlock-wrong.png"))
    with qtbot.waitSignal(dialog.unlocked, timeout=20000):
        qtbot.keyClicks(dialog.passphrase, KEY_PASSPHRASE)
        qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert ledger.office.keys_locked() is None
    runner.wait()


def test_an_administrator_who_cancels_works_on_without_the_keys(
        ledger: Ledger, db_path: Path, person: str, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    ledger.close()
    lock(monkeypatch)
    runner = Runner()
    startup = Startup(db_path, runner, ledger_factory=opener)
    startup.start()
    win = finish(startup, qtbot)
    qtbot.waitUntil(lambda: isinstance(startup.dialog, KeyPassphraseDialog) and startup.dialog.isVisible())
    dialog = startup.dialog
    assert dialog.title.text() == "解锁机构密钥"
    dialog.grab().save(str(SHOTS / "unlock.png")) if SHOTS.is_dir() else None
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert win.office is not None and win.office.code == "OFF01"
    led = startup.ledger
    assert led is not None
    with pytest.raises(keystore.KeysLocked) as info:
        led.documents.issue("statement", person)
    assert info.value.key == "keys.locked"
    win.close()
    runner.wait()
    led.close()
    led.release_locks()


def test_a_new_office_asks_for_the_new_passphrase_twice(tmp_path: Path, qtbot: Any,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    lock(monkeypatch)
    monkeypatch.setenv("SHEBAO_KEY_DIR", str(tmp_path / "keys"))  # no key store yet
    runner = Runner()
    startup = Startup(tmp_path / "new.db", runner, ledger_factory=opener)
    startup.start()
    qtbot.waitUntil(lambda: isinstance(startup.dialog, KeyPassphraseDialog))
    dialog = startup.dialog
    qtbot.addWidget(dialog)
    assert dialog.new_store and dialog.title.text() == "设置密钥口令" and dialog.again.isVisible()
    qtbot.keyClicks(dialog.passphrase, "new office passphrase")
    qtbot.keyClicks(dialog.again, "new office passphrasf")
    qtbot.keyClick(dialog.again, Qt.Key.Key_Return)
    assert dialog.error.text() == "两次输入的新口令不一致"
    qtbot.keyClicks(dialog.again, "new office passphrase")
    qtbot.keyClick(dialog.again, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(startup.dialog, OfficeDialog))
    assert keystore.passphrase_given() == "new office passphrase"
    office = startup.dialog
    qtbot.addWidget(office)
    assert startup.window is not None
    qtbot.addWidget(startup.window)
    office.reject()
    startup.window.close()
    runner.wait()
    assert startup.ledger is not None
    startup.ledger.close()
    startup.ledger.release_locks()
