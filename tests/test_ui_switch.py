"""The switch between the employees' and the residents' pension at the counter: from the person page
(Ctrl+J) the clerk sees the plan (direction, years counted, months in both schemes and the refund by
year, the account that moves), confirms, and the notice is previewed; a second switch is refused."""

from __future__ import annotations

from typing import Any

from conftest import EMPLOYER
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QTableWidget
from stdnum.cn import ric
from test_ui_support import open_by_search, patient_waits, press_shortcut, private_settings

from desktop.core.ledger import Ledger
from desktop.ui.documents import DocumentPreviewDialog
from desktop.ui.switch_dialog import SwitchDialog
from desktop.ui.window import MainWindow

__all__ = ["patient_waits", "private_settings"]


def _rows(table: QTableWidget) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def _close(win: MainWindow) -> None:
    win.watch.stop()
    for dialog in (win.nested_dialog, win.active_dialog):
        if dialog is not None:
            dialog.close()
    win.runner.wait()


def _switch_dialog(win: MainWindow, qtbot: Any) -> SwitchDialog:
    press_shortcut(qtbot, win.search.box, Qt.Key.Key_J)
    qtbot.waitUntil(lambda: isinstance(win.active_dialog, SwitchDialog))
    dialog = win.active_dialog
    assert isinstance(dialog, SwitchDialog)
    qtbot.waitUntil(lambda: dialog.view is not None or dialog.problem is not None)
    assert dialog.problem is None, dialog.problem
    return dialog


def test_a_clerk_decides_the_switch_and_gets_the_notice(ledger: Ledger, qtbot: Any) -> None:
    body = "36010219640315001"  # a man born 1964-03-15, hukou in Nanchang: 60 on 2024-03-15
    man = ledger.workers.register_citizen(body + ric.calc_check_digit(body + "0"), "王建国", "360102", "rural").key
    for month in range(1, 6):
        ledger.contributions.record(man, EMPLOYER, f"2020-{month:02d}", "6000")  # 5 employee months
    ledger.residents.record(man, "resident_pension", 2020, "700")  # 2020-01..05 are employee months
    ledger.residents.record(man, "resident_pension", 2021, "100")

    win = MainWindow(ledger)
    qtbot.addWidget(win)
    win.show()
    try:
        qtbot.waitUntil(lambda: win.office is not None)
        open_by_search(win, qtbot, man, "王建国")
        assert win.page.switch_button.text() == "制度衔接(&J)"
        dialog = _switch_dialog(win, qtbot)
        assert dialog.windowTitle() == "城乡养老保险制度衔接 — 王建国"
        values = {name: label.text() for name, label in dialog.values.items()}
        assert values["direction"] == "从职工养老保险转入城乡居民养老保险"
        assert values["rule"].startswith("职工养老保险缴费不足15年（5个月）")
        assert values["retirement"] == "2024-03-15（已达到）"
        assert values["employee"] == "5 个月（0年5个月）"
        assert values["residents"] == "2 年" and values["overlap"] == "5 个月"
        # 5 employee months + 7 residents' months of 2020 + 12 of 2021
        assert values["counted"] == "24 个月（2年0个月）"
        # 2400.00 credited in 2020, interest 2021..2024 at 6.69%, 6.12%, 3.97%, 2.62%: 2899.17
        assert values["account"] == "2,899.17 元"
        # 700.00 x 5 / 12 = 291.666... -> 291.67
        assert values["refund"] == "291.67 元"
        assert _rows(dialog.years_table) == [["2020", "700.00", "60.00", "5", "291.67"],
                                             ["2021", "100.00", "30.00", "0", "0.00"]]
        assert not dialog.refusal.isVisible()
        confirm = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
        assert confirm.text() == "确认办理(&S)" and confirm.isEnabled()

        qtbot.mouseClick(confirm, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: isinstance(win.last_preview, DocumentPreviewDialog))
        preview = win.last_preview
        assert isinstance(preview, DocumentPreviewDialog)
        shown = ledger.switches.show(man)
        assert shown is not None and shown.direction == "to_resident" and shown.notice == preview.issued.number
        assert preview.document.pageCount() == 1
        qtbot.waitUntil(lambda: "告知书编号 " + shown.notice in win.status.text())
        preview.close()

        again = _switch_dialog(win, qtbot)
        assert again.refusal.isVisible() and "每人只能办理一次" in again.refusal.text()
        assert shown.notice in again.note.text()
        assert not again.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
        again.accept()  # Enter does nothing when the plan is refused
        assert again.isVisible()
        again.close()
    finally:
        _close(win)
