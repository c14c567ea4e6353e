"""A flexible worker pays at the counter: from the person page (Ctrl+G) the clerk enters the months
and the base ratio, sees the amount due, saves; an error shows beside its field and nothing is written."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from conftest import PROVINCE
from PySide6.QtCore import Qt
from test_ui_support import open_by_search, patient_waits, press_shortcut, private_settings, window

from desktop.core.ledger import Ledger
from desktop.ui.flexible_dialog import FlexibleDialog
from desktop.ui.window import MainWindow

__all__ = ["patient_waits", "private_settings", "window"]


def _dialog(win: MainWindow, qtbot: Any) -> FlexibleDialog:
    press_shortcut(qtbot, win.search.box, Qt.Key.Key_G)
    qtbot.waitUntil(lambda: isinstance(win.active_dialog, FlexibleDialog))
    dialog = win.active_dialog
    assert isinstance(dialog, FlexibleDialog)
    return dialog


def _type(qtbot: Any, widget: Any, text: str) -> None:
    widget.clear()
    qtbot.keyClicks(widget, text)


def test_a_flexible_worker_pays_a_year_at_the_counter(ledger: Ledger, person: str, window: MainWindow,
                                                      qtbot: Any) -> None:
    ledger.reference.set_wage(PROVINCE, 2025, "7017.50")
    open_by_search(window, qtbot, person, "张三")
    assert window.page.flexible_button.text() == "灵活就业缴费(&G)"
    dialog = _dialog(window, qtbot)
    assert dialog.windowTitle() == "灵活就业人员缴费"
    assert [dialog.ratio.itemText(i) for i in range(dialog.ratio.count())] == ["0.60", "1.00", "3.00"]
    _type(qtbot, dialog.first, "2025-01")
    _type(qtbot, dialog.last, "2025-12")
    # 7017.50 x 0.60 = 4210.50 a month; 20% = 842.10, 12 months 10,105.20; 8% = 336.84, 4,042.08
    qtbot.waitUntil(lambda: dialog.preview_result is not None and len(dialog.preview_result.months) == 12)
    assert dialog.preview.text() == ("共 12 个月，月缴费基数 4,210.50，由个人全额缴纳：应缴 10,105.20 元，"
                                     "其中记入个人账户 4,042.08 元")

    # a ratio above the ceiling: the error beside the ratio, the preview gone
    dialog.ratio.lineEdit().clear()
    qtbot.keyClicks(dialog.ratio.lineEdit(), "3.5")
    qtbot.waitUntil(lambda: dialog.fields["ratio"].error.text() != "")
    assert "0.60至3.00" in dialog.fields["ratio"].error.text()
    qtbot.waitUntil(lambda: dialog.preview_result is None)
    qtbot.keyClick(dialog.ratio.lineEdit(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.buttons.isEnabled())
    assert dialog.isVisible() and ledger.accounts.statement(person).individual_account_balance == Decimal(0)

    dialog.ratio.setCurrentIndex(0)  # back to 0.60
    qtbot.waitUntil(lambda: dialog.preview_result is not None)
    assert dialog.fields["ratio"].error.text() == ""
    qtbot.keyClick(dialog.ratio, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert ledger.accounts.statement(person).individual_account_balance == Decimal("4042.08")
    qtbot.waitUntil(lambda: "已记录灵活就业缴费 12 个月，共 10,105.20 元" in window.status.text())

    # the same months again: refused beside the first month, nothing written
    again = _dialog(window, qtbot)
    _type(qtbot, again.first, "2025-06")
    _type(qtbot, again.last, "2025-06")
    qtbot.waitUntil(lambda: "2025-06已有职工基本养老保险缴费记录" in again.fields["from"].error.text())
    again.close()
