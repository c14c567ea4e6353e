"""Helpers and fixtures the UI tests share: typing any text, private settings, an open window."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.exceptions import TimeoutError as WaitTimeout

from desktop.core.ledger import Ledger
from desktop.ui import i18n
from desktop.ui.window import MainWindow

WAIT = 20000  # ms: generous, so a busy shared machine slows the tests instead of failing them


def type_keys(widget: QWidget, text: str) -> None:
    """Type any text (Chinese too) as key presses; qtbot.keyClicks must only get ASCII."""
    widget.setFocus()
    for char in text:
        if char in "\r\n":
            key, char = int(Qt.Key.Key_Return), "\r"
        else:
            key = ord(char.upper()) if char.isascii() and char.isprintable() else 0
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(widget, event)


def commit_text(widget: QWidget, text: str) -> None:
    """Enter text the way a Chinese input method commits it."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def press_shortcut(qtbot: Any, widget: QWidget, key: Qt.Key,
                   modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.ControlModifier) -> None:
    """Press a window's shortcut on widget once its window is the active one again: a shortcut only
    reaches the active window, and the window becomes active again some events after a dialog closes
    (a clerk's next key comes after that too)."""
    window = widget.window()
    try:
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    except WaitTimeout as timeout:  # say which window has the keys instead
        raise AssertionError(f"{window!r} is not the active window: {QApplication.activeWindow()!r} is") \
            from timeout
    qtbot.keyClick(widget, key, modifier)


@pytest.fixture(autouse=True)
def private_settings(tmp_path: Path) -> Iterator[Path]:
    """Settings in the test's own folder; Chinese again afterwards."""
    folder = tmp_path / "settings"
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    yield folder
    if QApplication.instance() is not None:
        i18n.apply("zh", remember=False)


@pytest.fixture(autouse=True)
def patient_waits(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """qtbot.waitUntil waits up to WAIT unless told otherwise (a busy machine is not a failure)."""
    original = qtbot.waitUntil
    monkeypatch.setattr(qtbot, "waitUntil",
                        lambda callback, *, timeout=WAIT: original(callback, timeout=timeout))


@pytest.fixture
def window(ledger: Ledger, qtbot: Any) -> Iterator[MainWindow]:
    """The counter window over the test's office database, shown, with the office loaded."""
    win = MainWindow(ledger)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.office is not None)
    yield win
    if win.active_dialog is not None:
        win.active_dialog.close()
    win.runner.wait()


def open_by_search(win: MainWindow, qtbot: Any, text: str, name: str) -> None:
    """Search for text, wait for name among the results, press Enter, wait for the page."""
    win.search.box.clear()
    qtbot.keyClicks(win.search.box, text)
    qtbot.waitUntil(lambda: any(w.name == name for w in win.search.model.people))
    qtbot.keyClick(win.search.box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.page.worker is not None and win.page.worker.name == name)
