"""Every key of the counter window: each is a menu action, no two share a key sequence, no two
menus or items share a mnemonic, a text box keeps its own editing keys, and each key, pressed with
the focus in the search box and elsewhere, does what its menu item does. The README's table lists
exactly these keys."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QGroupBox,
    QLabel,
    QMenu,
    QWidget,
)
from test_pension import wang
from test_ui_support import open_by_search, patient_waits, press_shortcut, private_settings, window

from desktop.core.ledger import Ledger
from desktop.ui import window as window_module
from desktop.ui.documents import DocumentPreviewDialog
from desktop.ui.employer_dialog import EmployerDialog
from desktop.ui.exemption_dialog import ExemptionDialog
from desktop.ui.flexible_dialog import FlexibleDialog
from desktop.ui.medical_certificate_dialog import MedicalCertificateDialog
from desktop.ui.opening_dialog import OpeningDialog
from desktop.ui.record_month_dialog import RecordMonthDialog
from desktop.ui.register_dialog import RegisterDialog
from desktop.ui.settings_dialog import SettingsDialog
from desktop.ui.switch_dialog import SwitchDialog
from desktop.ui.sync_dialog import SyncDialog
from desktop.ui.temporary_dialog import TemporaryDialog
from desktop.ui.transfer_dialog import TransferDialog
from desktop.ui.transfer_list_dialog import TransferListDialog
from desktop.ui.window import MainWindow

__all__ = ["patient_waits", "private_settings", "wang", "window"]

README = Path(__file__).resolve().parents[1] / "README.md"

# The editing keys of a text box (QLineEdit) on every platform: no window key may take one of them.
LINE_EDIT_KEYS = (QKeySequence.StandardKey.Cut, QKeySequence.StandardKey.Copy, QKeySequence.StandardKey.Paste,
                  QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo,
                  QKeySequence.StandardKey.SelectAll, QKeySequence.StandardKey.Delete,
                  QKeySequence.StandardKey.DeleteEndOfWord, QKeySequence.StandardKey.DeleteStartOfWord,
                  QKeySequence.StandardKey.DeleteEndOfLine, QKeySequence.StandardKey.MoveToNextWord,
                  QKeySequence.StandardKey.MoveToPreviousWord, QKeySequence.StandardKey.MoveToStartOfLine,
                  QKeySequence.StandardKey.MoveToEndOfLine, QKeySequence.StandardKey.SelectNextWord,
                  QKeySequence.StandardKey.SelectPreviousWord, QKeySequence.StandardKey.Backspace)
# Written out as well: what Windows and X11 bind that the test platform may not.
PLAIN_EDIT_KEYS = {"Ctrl+X", "Ctrl+C", "Ctrl+V", "Ctrl+Z", "Ctrl+Y", "Ctrl+Shift+Z", "Ctrl+A", "Ctrl+K",
                   "Ctrl+U", "Ctrl+W", "Ctrl+Ins", "Shift+Ins", "Shift+Del", "Ctrl+Del", "Ctrl+Backspace"}


def mnemonic(text: str) -> str | None:
    """The letter after a single & (&& is a literal ampersand)."""
    found = re.search(r"&(.)", text.replace("&&", ""))
    return found.group(1).upper() if found else None


def keyed_actions(win: MainWindow) -> list[QAction]:
    """Every action of the window with a key."""
    return [a for a in win.findChildren(QAction) if a.shortcuts()]


def keys_of(act: QAction) -> list[str]:
    return [k.toString() for k in act.shortcuts()]


def menu_of(win: MainWindow) -> dict[QAction, QMenu]:
    """Each menu action and the menu of the menu bar holding it."""
    found = {}
    for top in win.menuBar().actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            for act in menu.actions():
                found[act] = menu
    return found


def test_keys_are_menu_actions_unique_and_never_a_text_box_key(
        window: MainWindow, ledger: Ledger, wang: str, qtbot: Any) -> None:
    open_by_search(window, qtbot, "wjg", "王建国")  # the person page exists: its keys count too
    assert window.findChildren(QShortcut) == []  # every key is a QAction in a menu
    menus = menu_of(window)
    seen: dict[str, str] = {}
    editing = {k.toString() for sk in LINE_EDIT_KEYS for k in QKeySequence.keyBindings(sk)} | PLAIN_EDIT_KEYS
    for act in keyed_actions(window):
        assert act in menus, act.objectName()
        assert act.shortcutContext() == Qt.ShortcutContext.WindowShortcut
        for key in keys_of(act):
            assert key not in seen, f"{key}: {seen.get(key)} and {act.objectName()}"
            assert key not in editing, f"{key} ({act.objectName()}) is a text box's own key"
            seen[key] = act.objectName()
    assert len(seen) == 27 and {"Ctrl+P", "Ctrl+Shift+X", "Ctrl+M", "Ctrl+T", "Ctrl+F", "Esc"} <= set(seen)
    names = {a.objectName() for a in window.person_actions}
    for name in ("record", "flexible", "print_statement", "transfer_certificate", "exemption",
                 "medical_certificate", "estimate", "transfer", "temporary", "scheme_switch", "opening"):
        assert name in names
    assert all(menus[a] is window.person_menu for a in window.person_actions)


def test_no_two_menus_items_or_buttons_share_a_mnemonic(
        window: MainWindow, ledger: Ledger, wang: str, qtbot: Any) -> None:
    open_by_search(window, qtbot, "wjg", "王建国")
    bar = [mnemonic(a.text()) for a in window.menuBar().actions()]
    assert None not in bar and len(bar) == len(set(bar)), bar
    for top in window.menuBar().actions():
        menu = top.menu()
        assert isinstance(menu, QMenu)
        letters = [mnemonic(a.text()) for a in menu.actions() if not a.isSeparator()]
        letters = [x for x in letters if x]
        assert len(letters) == len(set(letters)), (top.text(), letters)
    for tab in range(window.page.tabs.count()):  # what shows at once: the menu bar, the search, the page
        window.page.tabs.setCurrentIndex(tab)
        letters = list(bar)
        for widget in window.findChildren(QWidget):
            if not widget.isVisible() or widget.window() is not window:
                continue
            if isinstance(widget, QAbstractButton) or (isinstance(widget, QLabel) and widget.buddy() is not None):
                letters.append(mnemonic(widget.text()))
            elif isinstance(widget, QGroupBox):
                letters.append(mnemonic(widget.title()))
        letters = [x for x in letters if x]
        duplicates = sorted({x for x in letters if letters.count(x) > 1})
        assert duplicates == [], (window.page.tabs.tabText(tab), duplicates)


def _dialog(kind: type) -> Callable[[MainWindow], bool]:
    return lambda win: isinstance(win.active_dialog, kind) and win.active_dialog.isVisible()


def _preview(kind: str) -> Callable[[MainWindow], bool]:
    def shown(win: MainWindow) -> bool:
        p = win.last_preview
        return isinstance(p, DocumentPreviewDialog) and p.isVisible() and p.draft is not None \
            and p.draft.kind == kind and p.issued is None
    return shown


def _tab(index: int) -> Callable[[MainWindow], bool]:
    return lambda win: win.page.tabs.currentIndex() == index


EFFECTS: dict[str, Callable[[MainWindow], bool]] = {
    "settings": _dialog(SettingsDialog), "transfers": _dialog(TransferListDialog), "sync": _dialog(SyncDialog),
    "register": _dialog(RegisterDialog), "employer": _dialog(EmployerDialog),
    "record": _dialog(RecordMonthDialog), "flexible": _dialog(FlexibleDialog),
    "print_statement": _preview("statement"), "transfer_certificate": _preview("transfer-certificate"),
    "exemption": _dialog(ExemptionDialog), "medical_certificate": _dialog(MedicalCertificateDialog),
    "estimate": _preview("pension-estimate"), "transfer": _dialog(TransferDialog),
    "temporary": _dialog(TemporaryDialog), "scheme_switch": _dialog(SwitchDialog),
    "opening": _dialog(OpeningDialog),
    **{f"section_{i + 1}": _tab(i) for i in range(7)},
}


def _press(widget: QWidget, key: QKeySequence, qtbot: Any) -> None:
    combo = key[0]
    qtbot.keyClick(widget, combo.key(), combo.keyboardModifiers())


def _close_dialogs(win: MainWindow, qtbot: Any) -> None:
    for dialog in (win.active_dialog, win.last_preview):
        if isinstance(dialog, QDialog) and dialog.isVisible():
            dialog.reject()
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None and not win.runner.busy)


@pytest.mark.parametrize("where", ["search", "elsewhere"])
def test_every_key_does_what_its_menu_item_does(
        window: MainWindow, ledger: Ledger, wang: str, qtbot: Any, monkeypatch: pytest.MonkeyPatch,
        where: str) -> None:
    opened: list[str] = []
    monkeypatch.setattr(window_module.files, "open_file_name",
                        lambda *args: opened.append("import") or "")  # no file dialog in a test
    open_by_search(window, qtbot, "wjg", "王建国")
    assert all(a.isEnabled() for a in window.person_actions)  # a supervisor's (no accounts yet)
    ledger_documents = len(ledger.documents.list_for(wang))
    quit_action = window.quit_action
    pressed = []
    for act in keyed_actions(window):
        name = act.objectName()
        if act is quit_action:
            continue
        for key in act.shortcuts():
            _close_dialogs(window, qtbot)
            window.page.tabs.setCurrentIndex(6 if name.startswith("section_") and name != "section_7" else 0)
            if where == "search":
                window.focus_search()
                target: QWidget = window.search.box
            else:
                target = window.search.view  # the list of people found
                target.setFocus()
            qtbot.waitUntil(lambda target=target: target.hasFocus())
            _press(target, key, qtbot)
            pressed.append(key.toString())
            if name == "import":
                qtbot.waitUntil(lambda: opened == ["import"])
                opened.clear()
            elif name == "search":
                qtbot.waitUntil(lambda: window.search.box.hasFocus())
            else:
                qtbot.waitUntil(lambda name=name: EFFECTS[name](window))
    _close_dialogs(window, qtbot)
    assert len(pressed) == 26 and "Ctrl+P" in pressed and "Esc" in pressed
    assert len(ledger.documents.list_for(wang)) == ledger_documents  # the previews numbered nothing
    window.focus_search()
    window.search.box.setText("abc")
    window.search.box.selectAll()
    press_shortcut(qtbot, window.search.box, Qt.Key.Key_X)
    assert window.search.box.text() == ""  # Ctrl+X still cuts in the text box
    press_shortcut(qtbot, window.search.box, Qt.Key.Key_V)
    assert window.search.box.text() == "abc"
    _press(window.search.box, quit_action.shortcuts()[0], qtbot)
    qtbot.waitUntil(lambda: not window.isVisible())


def test_person_keys_wait_for_a_person(window: MainWindow, qtbot: Any) -> None:
    assert not any(a.isEnabled() for a in window.person_actions)
    press_shortcut(qtbot, window.search.box, Qt.Key.Key_P)
    assert window.last_preview is None and window.active_dialog is None


def readme_keys() -> dict[str, str]:
    """The keys the README's table of window keys lists, each with its menu."""
    text = README.read_text(encoding="utf-8")
    start = text.index("### Keys of the counter window")
    end = text.index("\n#", start + 10)
    rows: dict[str, str] = {}
    for line in text[start:end].splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[0].startswith("`"):
            continue
        for key in re.findall(r"`([^`]+)`", cells[0]):
            assert key not in rows, key
            rows[key] = cells[2]
    return rows


def test_the_readme_lists_exactly_the_window_keys(window: MainWindow) -> None:
    listed = readme_keys()
    menus = menu_of(window)
    actual = {}
    for act in keyed_actions(window):
        title = menus[act].title().replace("&", "")
        for key in keys_of(act):
            actual[key] = title
    assert set(listed) == set(actual)
    for key, title in actual.items():
        assert title in listed[key], (key, title, listed[key])
