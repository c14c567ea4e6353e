"""Office settings: reference values edited in tables, office identity, language."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from test_ui_support import patient_waits, press_shortcut, private_settings, window

from desktop.core.ledger import Ledger
from desktop.core.month import Month
from desktop.ui import i18n
from desktop.ui.settings_dialog import SettingsDialog
from desktop.ui.window import MainWindow

__all__ = ["patient_waits", "private_settings", "window"]


def open_settings(win: MainWindow, qtbot: Any) -> SettingsDialog:
    """Open the settings with Ctrl+, and wait for the values."""
    press_shortcut(qtbot, win.search.box, Qt.Key.Key_Comma)
    qtbot.waitUntil(lambda: isinstance(win.active_dialog, SettingsDialog))
    dialog = win.active_dialog
    assert isinstance(dialog, SettingsDialog)
    qtbot.waitUntil(lambda: dialog.models["wages"].rowCount() > 0)
    return dialog


def test_edit_an_average_wage_in_the_table(window: MainWindow, ledger: Ledger, qtbot: Any) -> None:
    dialog = open_settings(window, qtbot)
    model, view = dialog.models["wages"], dialog.views["wages"]
    assert model.rowCount() == 2026 - 1998 + 1
    assert [model.index(0, c).data() for c in range(4)] == ["360000", "2026", "6000.00", "本机构设定"]
    view.setFocus()
    view.setCurrentIndex(model.index(0, 2))
    qtbot.keyClicks(view, "6")
    editor = QApplication.focusWidget()
    assert editor is not view
    qtbot.keyClicks(editor, "543.21")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: model.index(0, 2).data() == "6543.21")  # committed after the key
    assert model.changed == {0}
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.reference_status.text() == "已保存 1 行")
    assert ledger.reference.lookup().average_wage("360100", 2026) == ("360000", Decimal("6543.21"))
    qtbot.waitUntil(lambda: not model.changed)


def test_add_a_rate_with_its_effective_dates_and_see_a_refused_row(
        window: MainWindow, ledger: Ledger, qtbot: Any) -> None:
    dialog = open_settings(window, qtbot)
    dialog.reference_tabs.setCurrentIndex(list(dialog.models).index("rates"))
    model = dialog.models["rates"]
    shipped = model.rowCount()
    assert model.index(0, model.columns.index("source")).data().startswith("内置")
    dialog.add_button.click()
    row = model.rowCount() - 1
    assert row == shipped
    assert model.index(row, 0).data() == "360100"
    assert model.index(row, 1).data() == "职工基本养老保险"
    values = {"start": "2027-01", "end": "2027-12", "employer": "1.5", "employee": "0.08"}
    for key, text in values.items():
        model.setData(model.index(row, model.columns.index(key)), text)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.reference_error.text() != "")
    assert dialog.reference_error.text() == f"第 {row + 1} 行：单位费率：1.5应在0到1之间"
    model.setData(model.index(row, model.columns.index("employer")), "0.15")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.reference_status.text() == "已保存 1 行")
    rate = ledger.reference.lookup().rate("360100", "pension", Month(2027, 6), None)
    assert rate is not None
    assert (rate.employer, rate.employee, rate.account, rate.source) == (
        Decimal("0.15"), Decimal("0.08"), Decimal("0.08"), "office")
    qtbot.waitUntil(lambda: model.index(0, model.columns.index("source")).data() == "本机构设定")


def test_office_identity_and_language(window: MainWindow, ledger: Ledger, qtbot: Any) -> None:
    dialog = open_settings(window, qtbot)
    office = ledger.office.get()
    assert dialog.office_values[0].text() == "OFF01"
    assert dialog.office_values[1].text() == "南昌市社保局"
    assert dialog.office_values[2].text() == f"{office.region_name}（360100）"
    assert dialog.office_values[3].text() == office.fingerprint
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    qtbot.waitUntil(lambda: dialog.windowTitle() == "Office settings")
    assert dialog.tabs.tabText(0) == "Rates and wages"
    assert dialog.models["wages"].index(0, 3).data() == "Set by the office"
    qtbot.waitUntil(lambda: window.file_menu.title() == "&File")
    assert i18n.settings().value("ui/language") == "en"
    assert window.language_actions["en"].isChecked()
