"""The pension record by place at the counter: the person page lists every period (months paid here,
deemed years, months paid before 1998) with where it came from and the years per place; a supervisor
enters the history before the record began and the transfer plan's pension place follows; a clerk
cannot; a lump-sum back payment without its document is shown held back."""

from __future__ import annotations

from typing import Any

from conftest import EMPLOYER
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QTableWidget
from test_security_support import PERSON, as_, fast_hashing, staffed, staffed_template
from test_ui_support import (
    commit_text,
    open_by_search,
    patient_waits,
    press_shortcut,
    private_settings,
)

from desktop.core.ledger import Ledger
from desktop.ui import i18n
from desktop.ui.opening_dialog import OpeningDialog
from desktop.ui.transfer_dialog import TransferDialog
from desktop.ui.window import MainWindow

__all__ = ["fast_hashing", "patient_waits", "private_settings", "staffed", "staffed_template"]

DOCUMENT = "招工审批表 赣劳〔1990〕12号"


def _seven_years(ledger: Ledger) -> None:
    """PERSON pays here from 2019-12 (the template has 2026-01..11): 84 months, 7 years."""
    for year in range(2019, 2026):
        for month in range(12 if year == 2019 else 1, 13):
            ledger.contributions.record(PERSON, EMPLOYER, f"{year}-{month:02d}", "8000")


def _window(ledger: Ledger, qtbot: Any) -> MainWindow:
    win = MainWindow(ledger)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.office is not None)
    open_by_search(win, qtbot, PERSON, "张三")
    qtbot.waitUntil(lambda: win.page.record is not None and win.page.record.pension is not None)
    return win


def _close(win: MainWindow) -> None:
    for dialog in (win.nested_dialog, win.active_dialog):
        if dialog is not None:
            dialog.close()
    win.runner.wait()


def _rows(table: QTableWidget) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def _plan(win: MainWindow, qtbot: Any, region: str) -> TransferDialog:
    """The transfer dialog planning a move out to region, with its plan shown."""
    win.page.transfer_button.click()
    dialog = win.active_dialog
    assert isinstance(dialog, TransferDialog)
    qtbot.waitUntil(lambda: dialog.context is not None and dialog.direction == "out")
    qtbot.keyClicks(dialog.region, region)
    qtbot.waitUntil(lambda: dialog.preview is not None and dialog.preview.region == region)
    return dialog


def _open_history(win: MainWindow, qtbot: Any) -> OpeningDialog:
    assert win.page.opening_button.isVisible() and win.page.opening_button.isEnabled()
    press_shortcut(qtbot, win.search.box, Qt.Key.Key_H)
    qtbot.waitUntil(lambda: isinstance(win.active_dialog, OpeningDialog))
    dialog = win.active_dialog
    assert isinstance(dialog, OpeningDialog)
    qtbot.waitUntil(lambda: dialog.entries is not None)
    return dialog


def _type_period(qtbot: Any, dialog: OpeningDialog, first: str, last: str) -> None:
    for edit, text in ((dialog.first, first), (dialog.last, last)):
        edit.clear()
        qtbot.keyClicks(edit, text)


def test_a_supervisor_enters_deemed_years_and_the_pension_place_follows(staffed: Ledger, qtbot: Any) -> None:
    led = as_(staffed, "sup1")
    _seven_years(led)
    win = _window(led, qtbot)
    try:
        page = win.page
        press_shortcut(qtbot, win.search.box, Qt.Key.Key_5)
        assert page.tabs.currentIndex() == 4 and page.tabs.tabText(4) == "养老保险参保记录"
        assert _rows(page.pension_record.period_table) == [
            ["实际缴费", "360100 江西省南昌市", "2019-12 — 2026-11", "84", "本地缴费"]]
        assert _rows(page.pension_record.place_table) == [["360000 江西省", "84", "0", "0", "84", "7.00 年"]]
        assert page.pension_place.text().startswith("如现在申领，待遇领取地：510107 四川省成都市武侯区")
        assert not page.pension_record.held.isVisible()

        plan = _plan(win, qtbot, "110105")  # before: under 10 years everywhere, back to the hukou place
        assert plan.plan_values["kind"].text() == "转移：养老保险关系和资金一并转移"
        assert plan.plan_values["place"].text().startswith("510107 四川省成都市武侯区")
        assert "均不满10年" in plan.plan_values["place"].text()
        assert plan.plan_values["years"].text().startswith("北京市 0.00 年；江西省 7.00 年")
        assert not plan.opening_button.isHidden()  # a supervisor may enter the history from here too
        qtbot.keyClick(plan, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: not plan.isVisible())

        dialog = _open_history(win, qtbot)
        assert dialog.entries == () and dialog.entries_note.text() == "尚未录入建账前历史。"
        assert dialog.kind.currentData() == "deemed" and not dialog.base.isEnabled()
        assert dialog.fields["document"].label.text() == "依据文书(&D)"
        qtbot.keyClicks(dialog.region, "360100")
        assert dialog.region_name.text() == "江西省南昌市"
        _type_period(qtbot, dialog, "2020-01", "2020-12")  # months paid here already
        assert dialog.months.text() == "共 12 个月（1.00 年）"
        commit_text(dialog.document, DOCUMENT)
        qtbot.keyClick(dialog.document, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: dialog.fields["from"].error.text() != "")
        assert dialog.fields["from"].error.text() == "该期间与已有的360100 2019-12至2026-11重叠，同一个月不能记两次"
        assert dialog.isVisible() and led.records.view(PERSON).opening == ()

        dialog.kind.setFocus()
        qtbot.keyClick(dialog.kind, Qt.Key.Key_Down)  # months paid before 1998, with their base
        assert dialog.kind.currentData() == "pre1998" and dialog.base.isEnabled()
        _type_period(qtbot, dialog, "1996-01", "1998-06")
        qtbot.keyClicks(dialog.base, "800")
        qtbot.keyClick(dialog.base, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: dialog.fields["to"].error.text() != "")
        assert dialog.fields["to"].error.text() == "1998年前缴费应在1998-01之前结束，而不是1998-06"
        assert dialog.fields["from"].error.text() == ""
        assert dialog.isVisible() and led.records.view(PERSON).opening == ()

        dialog.kind.setFocus()
        qtbot.keyClick(dialog.kind, Qt.Key.Key_Up)  # deemed years after all: no base
        assert not dialog.base.isEnabled()
        _type_period(qtbot, dialog, "1990-01", "1992-12")
        assert dialog.months.text() == "共 36 个月（3.00 年）"
        qtbot.keyClick(dialog.last, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not dialog.isVisible())
        [entry] = led.records.view(PERSON).opening
        assert (entry.kind, entry.months, entry.base, entry.document, entry.entered_by) == (
            "deemed", 36, None, DOCUMENT, "sup1")

        qtbot.waitUntil(lambda: page.pension_record.period_table.rowCount() == 2)
        assert _rows(page.pension_record.period_table)[0] == [
            "视同缴费", "360100 江西省南昌市", "1990-01 — 1992-12", "36", f"建账录入（{DOCUMENT}）"]
        assert _rows(page.pension_record.place_table) == [["360000 江西省", "84", "36", "0", "120", "10.00 年"]]
        assert page.pension_place.text().startswith("如现在申领，待遇领取地：360100 江西省南昌市")
        assert "已录入视同缴费 1990-01至1992-12（36个月）" in win.status.text()

        plan = _plan(win, qtbot, "110105")  # after: 10 years in Jiangxi, the last place with 10 years
        assert plan.plan_values["place"].text().startswith("360100 江西省南昌市")
        assert "最近一个累计缴费满10年的参保地" in plan.plan_values["place"].text()
        assert plan.plan_values["years"].text().startswith("北京市 0.00 年；江西省 10.00 年")
        assert plan.plan_tabs.tabText(1) == "参保记录（按参保地）(&J)　2段"
        assert [r[:4] for r in _rows(plan.record.period_table)] == [
            ["视同缴费", "360100 江西省南昌市", "1990-01 — 1992-12", "36"],
            ["实际缴费", "360100 江西省南昌市", "2019-12 — 2026-11", "84"]]
        assert _rows(plan.record.place_table) == [["110000 北京市", "—", "—", "—", "0", "0.00 年"],
                                                   ["360000 江西省", "84", "36", "0", "120", "10.00 年"]]
        qtbot.keyClick(plan, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: not plan.isVisible())

        i18n.apply("en", remember=False)
        qtbot.waitUntil(lambda: page.tabs.tabText(4) == "Pension record")
        assert _rows(page.pension_record.period_table)[0][0::4] == ["deemed years",
                                                                   f"Entered from the file ({DOCUMENT})"]
        assert page.pension_record.place_table.horizontalHeaderItem(2).text() == "Deemed"
    finally:
        _close(win)


def test_the_open_plan_follows_an_entry_and_shows_what_is_held_back(staffed: Ledger, qtbot: Any) -> None:
    led = as_(staffed, "sup1")
    led.contributions.back_pay(PERSON, EMPLOYER, "2010-01", "2012-12", "5000")  # 36 months at once, no document
    win = _window(led, qtbot)
    try:
        page = win.page
        page.tabs.setCurrentIndex(4)
        held = page.pension_record.held
        assert held.isVisible() and "b00020" in held.styleSheet()
        assert held.text().startswith("一次性补缴2010-01至2012-12共36个月"
                                      "（2026-11-23缴纳，记入个人账户14,400.00元）暂不计入")
        assert "人社厅发〔2019〕94号" in held.text() and "须在2026-12-07前书面告知本人原因" in held.text()
        assert _rows(page.pension_record.period_table) == [
            ["实际缴费", "360100 江西省南昌市", "2026-01 — 2026-11", "11", "本地缴费"]]

        plan = _plan(win, qtbot, "360400")  # Jiujiang: the same province, one pooling unit
        values = plan.plan_values
        assert values["kind"].text() == "统筹单位内登记变更，资金不转移"
        assert values["account"].text() == values["total"].text() == "资金不转移"
        assert "统筹单位内的参保登记变更" in plan.plan_note.text() and "资金不转移" in plan.plan_note.text()
        plan.region.clear()
        qtbot.keyClicks(plan.region, "110105")
        qtbot.waitUntil(lambda: plan.preview is not None and plan.preview.region == "110105")
        assert values["kind"].text() == "转移：养老保险关系和资金一并转移"
        assert values["held_back"].isVisible() and "一次性补缴2010-01至2012-12共36个月" in values["held_back"].text()
        assert values["years"].text().startswith("北京市 0.00 年；江西省 0.91 年")

        plan.plan_tabs.setCurrentIndex(1)
        plan.opening_button.click()  # entered from the plan: the plan stays open and follows
        qtbot.waitUntil(lambda: isinstance(win.nested_dialog, OpeningDialog))
        history = win.nested_dialog
        assert isinstance(history, OpeningDialog) and win.active_dialog is plan
        qtbot.waitUntil(lambda: history.entries is not None)
        history.kind.setCurrentIndex(1)
        qtbot.keyClicks(history.region, "360102")
        _type_period(qtbot, history, "1995-01", "1997-12")
        qtbot.keyClicks(history.base, "600")
        qtbot.keyClicks(history.balance, "1,234.56")
        history.accept()  # the document is needed
        assert history.fields["document"].error.text() == "不能为空" and history.isVisible()
        commit_text(history.document, "职工养老保险手册 第0012号")
        qtbot.keyClick(history.document, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not history.isVisible())
        qtbot.waitUntil(lambda: plan.record.period_table.rowCount() == 2)
        assert _rows(plan.record.period_table)[0] == [
            "1998年前缴费", "360102 江西省南昌市东湖区", "1995-01 — 1997-12", "36",
            "建账录入（职工养老保险手册 第0012号）"]
        assert values["years"].text().startswith("北京市 0.00 年；江西省 3.91 年")
        assert plan.isVisible()
        qtbot.waitUntil(lambda: "其中1998年前 1,234.56 元" in page.pension_money.text())
        assert page.pension_record.period_table.rowCount() == 2
        qtbot.keyClick(plan, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: not plan.isVisible())
    finally:
        _close(win)


def test_moving_in_from_the_same_province_is_a_registration_change(staffed: Ledger, qtbot: Any) -> None:
    led = as_(staffed, "clerk1")
    win = _window(led, qtbot)
    try:
        win.page.transfer_button.click()
        dialog = win.active_dialog
        assert isinstance(dialog, TransferDialog)
        qtbot.waitUntil(lambda: dialog.context is not None)
        dialog.direction_in.click()
        qtbot.keyClicks(dialog.region, "360400")
        qtbot.waitUntil(lambda: dialog.preview is not None and dialog.preview.direction == "in")
        assert dialog.registration and dialog.request_title.text() == "统筹单位内登记变更（不出具联系函，资金不转移）"
        assert not dialog.letter["bank"].isEnabled() and not dialog.paper.isEnabled()
        save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
        assert save.text() == "办理登记变更(&S)" and save.isEnabled()
        qtbot.keyClick(dialog.region, Qt.Key.Key_Return)  # no bank needed: no letter
        qtbot.waitUntil(lambda: not dialog.isVisible())
        [case] = led.transfers.list()
        assert (case.kind, case.status, case.from_region) == ("registration", "received", "360400")
        qtbot.waitUntil(lambda: "已办理统筹单位内登记变更（资金不转移），业务编号" in win.status.text())
        assert win.last_preview is None  # no contact letter
    finally:
        _close(win)


def test_a_clerk_cannot_enter_the_history(staffed: Ledger, qtbot: Any) -> None:
    led = as_(staffed, "clerk1")
    win = _window(led, qtbot)
    try:
        page = win.page
        assert page.opening_button.isHidden() and not page.opening_button.isEnabled()
        assert page.pension_record.period_table.rowCount() == 1  # the record itself is for everyone
        press_shortcut(qtbot, win.search.box, Qt.Key.Key_H)
        assert win.open_opening() is None and win.active_dialog is None
        press_shortcut(qtbot, win.search.box, Qt.Key.Key_T)  # the page's keys work
        plan = win.active_dialog
        assert isinstance(plan, TransferDialog) and plan.opening_button.isHidden()
        plan.close()
    finally:
        _close(win)
