"""The counter window over a real office database, driven with qtbot."""

from __future__ import annotations

import os
from collections.abc import Iterator

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from conftest import EMPLOYER  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QInputMethodEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from desktop.core.ledger import Ledger  # noqa: E402
from desktop.ui.app import MainWindow  # noqa: E402


@pytest.fixture
def window(ledger: Ledger, person: str, qtbot: object) -> Iterator[MainWindow]:
    ledger.contributions.record(person, EMPLOYER, "2026-10", "8000")
    win = MainWindow(ledger)
    qtbot.addWidget(win)  # type: ignore[attr-defined]
    win.show()
    yield win
    win.runner.wait()


def test_search_has_focus_and_finds_by_pinyin_initials(window: MainWindow, qtbot: object) -> None:
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.search)  # type: ignore[attr-defined]
    qtbot.keyClicks(window.search, "zs")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: window.results.count() == 1, timeout=5000)  # type: ignore[attr-defined]
    assert "张三" in window.results.item(0).text()
    qtbot.keyClick(window.search, Qt.Key.Key_Return)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: "职工基本养老保险" in window.detail.toPlainText(), timeout=5000)  # type: ignore[attr-defined]
    assert "640.00" in window.detail.toPlainText()
    assert QApplication.focusWidget() is window.search


def test_chinese_name_typed_through_the_input_method(window: MainWindow, qtbot: object) -> None:
    window.search.setFocus()
    event = QInputMethodEvent()
    event.setCommitString("张")
    QApplication.sendEvent(window.search, event)
    assert window.search.text() == "张"
    qtbot.waitUntil(lambda: window.results.count() == 1, timeout=5000)  # type: ignore[attr-defined]
    assert "510107198511113215" in window.results.item(0).text()
