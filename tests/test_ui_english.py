"""The window and every dialog in English: no label, button, tab or column header is cut short; and
in Chinese no two things a dialog shows share an Alt key.

English words are longer than the Chinese they translate; a layout sized for Chinese elides them
("the individual accou…"). Each screen is opened on a small demo office, in English, at the size it
opens with, and every visible text is measured against the room it has.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTabBar,
    QTableView,
    QWidget,
)
from test_ui_support import WAIT, open_by_search, patient_waits, private_settings

from desktop.core.ledger import Ledger
from desktop.ui import i18n
from desktop.ui.window import MainWindow

__all__ = ["patient_waits", "private_settings"]

TODAY = dt.date(2026, 11, 23)
SUPERVISOR = ("zhuguan", "Supervise@0791")
SLACK = 2  # pixels: rounding between a size hint and the laid-out size


def cut_texts(root: QWidget) -> list[str]:
    """Every visible text under root that does not have the room it needs, described."""
    found: list[str] = []
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        if not widget.isVisible() or widget.width() <= 0:
            continue
        where = f"{type(widget).__name__} {widget.objectName() or ''}".strip()
        if isinstance(widget, QLabel) and widget.text() and not widget.wordWrap() \
                and widget.pixmap().isNull():
            if widget.width() + SLACK < widget.sizeHint().width():
                found.append(f"{where} label {widget.text()!r}: {widget.width()} < {widget.sizeHint().width()}")
        elif isinstance(widget, QAbstractButton) and widget.text():
            if widget.width() + SLACK < widget.sizeHint().width():
                found.append(f"{where} {widget.text()!r}: {widget.width()} < {widget.sizeHint().width()}")
        elif isinstance(widget, QGroupBox) and widget.title():
            need = widget.fontMetrics().horizontalAdvance(widget.title().replace("&", "")) + 16
            if widget.width() + SLACK < need:
                found.append(f"{where} title {widget.title()!r}: {widget.width()} < {need}")
        elif isinstance(widget, QComboBox) and widget.currentText():
            need = widget.fontMetrics().horizontalAdvance(widget.currentText()) + 24
            if widget.width() + SLACK < need:
                found.append(f"{where} {widget.currentText()!r}: {widget.width()} < {need}")
        elif isinstance(widget, QTabBar):
            for i in range(widget.count()):
                if widget.tabRect(i).width() + SLACK < widget.tabSizeHint(i).width():
                    found.append(f"tab {widget.tabText(i)!r}: {widget.tabRect(i).width()} "
                                 f"< {widget.tabSizeHint(i).width()}")
        elif isinstance(widget, QHeaderView) and widget.orientation() == Qt.Orientation.Horizontal:
            found.extend(_cut_headers(widget))
        elif isinstance(widget, QAbstractItemView):
            found.extend(_cut_cells(widget))
    return found


def _cut_headers(header: QHeaderView) -> list[str]:
    found = []
    model = header.model()
    if model is None:
        return found
    for i in range(header.count()):
        if header.isSectionHidden(i):
            continue
        text = model.headerData(i, Qt.Orientation.Horizontal)
        need = header.sectionSizeFromContents(i).width()
        if text and header.sectionSize(i) + SLACK < need:
            found.append(f"column {text!r}: {header.sectionSize(i)} < {need}")
    return found


def _cut_cells(view: QAbstractItemView) -> list[str]:
    """Cells whose text is elided (views that wrap text are left alone)."""
    found = []
    model = view.model()
    if model is None:
        return found
    wraps = isinstance(view, QTableView) and view.wordWrap()
    metrics = view.fontMetrics()
    rows = min(model.rowCount(), 30)
    for row in range(rows):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
            if isinstance(tip, str) and len(tip) >= len(str(model.data(index) or "")):
                continue  # the whole text is one hover away (a log's long details)
            rect = view.visualRect(index)
            if rect.width() <= 0:
                continue
            text = model.data(index)
            if not isinstance(text, str) or not text or "\n" in text:
                continue
            if wraps:  # wrapped text needs the height, not the width
                assert isinstance(view, QTableView)
                if view.rowHeight(row) + SLACK < view.sizeHintForRow(row):
                    found.append(f"row {row} {text!r}: {view.rowHeight(row)} < {view.sizeHintForRow(row)}")
                continue
            need = metrics.horizontalAdvance(text) + 8
            if rect.width() + SLACK < need:
                found.append(f"cell {text!r} (column {column}): {rect.width()} < {need}")
    return found


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo office, built once for this module."""
    from desktop.core.demo import ACCOUNTS, build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    ledger = Ledger.open(path, clock=lambda: TODAY)
    build_demo(ledger, people=12, months=14)
    admin = next(account for account in ACCOUNTS if account[1] == "admin")
    ledger.sign_in(admin[0], admin[2])
    ledger.users.add(SUPERVISOR[0], "supervisor", SUPERVISOR[1], must_change=False)
    ledger.close()
    return path


def _demo_window(demo_file: Path, tmp_path: Path, qtbot: Any, lang: str) -> Iterator[MainWindow]:
    """The counter window in lang over a copy of the demo office, a supervisor signed in (who may
    open every dialog)."""
    path = tmp_path / "office.db"
    shutil.copy(demo_file, path)
    ledger = Ledger.open(path, clock=lambda: TODAY)
    ledger.sign_in(*SUPERVISOR)
    i18n.apply(lang, remember=False)
    win = MainWindow(ledger)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitUntil(lambda: win.office is not None, timeout=WAIT)
    yield win
    if win.active_dialog is not None:
        win.active_dialog.close()
    win.runner.wait()
    ledger.close()
    i18n.apply("zh", remember=False)  # the next test starts in Chinese


@pytest.fixture
def english_window(demo_file: Path, tmp_path: Path, qtbot: Any) -> Iterator[MainWindow]:
    """The counter window in English over a copy of the demo office."""
    yield from _demo_window(demo_file, tmp_path, qtbot, "en")


@pytest.fixture
def chinese_window(demo_file: Path, tmp_path: Path, qtbot: Any) -> Iterator[MainWindow]:
    """The counter window in Chinese over a copy of the demo office."""
    yield from _demo_window(demo_file, tmp_path, qtbot, "zh")


def _settle(qtbot: Any) -> None:
    qtbot.wait(150)
    QApplication.processEvents()


def _open_someone(win: MainWindow, qtbot: Any) -> None:
    person = max(win.need_ledger().workers.find("3", 20),
                 key=lambda w: len(win.need_ledger().history.month_keys(w.key)[1]))
    open_by_search(win, qtbot, person.id_number or person.key, person.name)


def test_the_person_page_in_english_cuts_no_text(english_window: MainWindow, qtbot: Any) -> None:
    win = english_window
    _open_someone(win, qtbot)
    problems = []
    for tab in range(win.page.tabs.count()):
        win.page.tabs.setCurrentIndex(tab)
        _settle(qtbot)
        qtbot.wait(300)
        problems += [f"tab {win.page.tabs.tabText(tab)!r}: {p}" for p in cut_texts(win)]
    assert problems == [], "\n".join(problems)


DIALOGS: dict[str, Callable[[MainWindow], Any]] = {
    "register": lambda w: w.open_register(),
    "foreigner": lambda w: w.open_foreigner(),
    "employer": lambda w: w.open_employer(),
    "record": lambda w: w.record_month(),
    "exemption": lambda w: w.open_exemption(),
    "transfer": lambda w: w.open_transfer(),
    "temporary": lambda w: w.open_temporary(),
    "flexible": lambda w: w.open_flexible(),
    "switch": lambda w: w.open_switch(),
    "medical_certificate": lambda w: w.open_medical_certificate(),
    "opening": lambda w: w.open_opening(),
    "coverage_register": lambda w: w.open_coverage_register(),
    "transfers": lambda w: w.open_transfers(),
    "transfer_report": lambda w: w.open_transfers(report=True),
    "doctor": lambda w: w.open_doctor(),
    "audit": lambda w: w.open_audit(),
    "sync": lambda w: w.open_sync(),
    "batch_print": lambda w: w.open_batch_print(),
    "settings": lambda w: w.open_settings(),
    "approvals": lambda w: w.open_approvals(),
    "about": lambda w: w.open_about(),
}


@pytest.mark.parametrize("name", sorted(DIALOGS))
def test_each_dialog_in_english_cuts_no_text(name: str, english_window: MainWindow, qtbot: Any) -> None:
    win = english_window
    _open_someone(win, qtbot)
    dialog = DIALOGS[name](win)
    assert dialog is not None, f"{name} did not open"
    qtbot.waitUntil(dialog.isVisible)
    _settle(qtbot)
    qtbot.wait(500)  # background answers fill lists and labels
    problems = cut_texts(dialog)
    dialog.close()
    assert problems == [], "\n".join(problems)


def mnemonics(root: QWidget) -> list[str]:
    """The Alt letters of what root shows at once: buttons, labels with a buddy, group boxes, tabs."""
    letters = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        if isinstance(widget, QAbstractButton) or (isinstance(widget, QLabel) and widget.buddy() is not None):
            text = widget.text()
        elif isinstance(widget, QGroupBox):
            text = widget.title()
        elif isinstance(widget, QTabBar):
            text = "".join(widget.tabText(i) for i in range(widget.count()))
        else:
            continue
        letters += [m.upper() for m in re.findall(r"&([^&\s])", text.replace("&&", ""))]
    return letters


@pytest.mark.parametrize("name", sorted(DIALOGS))
def test_no_two_things_in_a_dialog_share_an_alt_key(name: str, chinese_window: MainWindow, qtbot: Any) -> None:
    win = chinese_window
    _open_someone(win, qtbot)
    dialog = DIALOGS[name](win)
    assert dialog is not None, f"{name} did not open"
    qtbot.waitUntil(dialog.isVisible)
    _settle(qtbot)
    letters = mnemonics(dialog)
    dialog.close()
    assert sorted({x for x in letters if letters.count(x) > 1}) == [], letters
