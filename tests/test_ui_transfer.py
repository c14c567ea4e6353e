"""A pension transfer at the counter, between two real offices exchanging sync files: the request
at the new office with its contact letter, settling at the old office with the information table,
the money confirmed at the new office, the work list's overdue marks and the yearly report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from conftest import TODAY
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont
from sync_support import EMP_BJ, EMP_NC, make_office, send, trust_all, uscc
from test_any_day import LETTER, calendar_knows, nth_workday
from test_ui_support import commit_text, open_by_search, patient_waits, private_settings

from desktop.core.ledger import Ledger
from desktop.ui.documents import DocumentPreviewDialog
from desktop.ui.runner import Runner
from desktop.ui.transfer_dialog import TransferDialog
from desktop.ui.transfer_list_dialog import OVERDUE_FG, ReceiveDialog, TransferListDialog
from desktop.ui.window import MainWindow

__all__ = ["patient_waits", "private_settings"]

PERSON = "510107198511113215"  # a man born 1985, hukou Chengdu (Sichuan), rural
SHOTS = Path("/tmp")


class Offices:
    """Nanchang (A, where the person worked) and Beijing Chaoyang (B, where the person moves)."""

    def __init__(self, template: Path, folder: Path) -> None:
        self.folder = folder
        self.a = make_office(template, folder, "NC01", "南昌市社保局", "360100", EMP_NC, "南昌赣江机械制造有限公司")
        self.b = make_office(template, folder, "BJ01", "北京市朝阳区社保中心", "110105", EMP_BJ, "北京朝阳科技有限公司")
        trust_all(self.a, self.b)
        self.opened: list[Ledger] = [self.a, self.b]

    def later(self, which: Ledger, day: dt.date) -> Ledger:
        """The same office database read on a later day."""
        code = which.office.get().code
        led = Ledger.open(str(self.folder / f"{code}.db"), clock=lambda: day)
        self.opened.append(led)
        return led

    def send(self, src: Ledger, dst: Ledger) -> None:
        send(src, dst, self.folder)


@pytest.fixture
def offices(sqlite_template: Path, tmp_path: Path) -> Iterator[Offices]:
    o = Offices(sqlite_template, tmp_path)
    key = o.a.workers.register_citizen(PERSON, "张三", "510107", "rural").key
    for year in (2024, 2025):
        for month in range(1, 13):
            o.a.contributions.record(key, uscc(EMP_NC), f"{year}-{month:02d}", "8000")
    o.send(o.a, o.b)
    yield o
    for led in o.opened:
        led.close()


def _window(ledger: Ledger, qtbot: Any) -> MainWindow:
    win = MainWindow(ledger)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.office is not None)
    return win


def _close(*wins: MainWindow) -> None:
    for win in wins:
        if win.active_dialog is not None:
            win.active_dialog.close()
        win.runner.wait()


def _open_transfer(win: MainWindow, qtbot: Any) -> TransferDialog:
    open_by_search(win, qtbot, PERSON, "张三")
    assert win.page.transfer_button.isEnabled() and win.page.transfer_button.isVisible()
    win.page.transfer_button.click()
    qtbot.waitUntil(lambda: isinstance(win.active_dialog, TransferDialog))
    dialog = win.active_dialog
    assert isinstance(dialog, TransferDialog)
    qtbot.waitUntil(lambda: dialog.context is not None)
    return dialog


def _list(win: MainWindow, qtbot: Any) -> TransferListDialog:
    win.transfers_action.trigger()
    dialog = win.active_dialog
    assert isinstance(dialog, TransferListDialog)
    qtbot.waitUntil(lambda: dialog.loaded)
    return dialog


def _row(dialog: TransferListDialog, number: str) -> list[str]:
    row = next(i for i, c in enumerate(dialog.model.cases) if c.number == number)
    return [dialog.model.index(row, col).data() for col in range(dialog.model.columnCount())]


def test_the_old_office_sees_what_would_move(offices: Offices, qtbot: Any) -> None:
    win = _window(offices.a, qtbot)
    try:
        dialog = _open_transfer(win, qtbot)
        assert dialog.direction == "out"  # every month paid is here: planning the move out
        assert dialog.fields["region"].label.text() == "转入地(&R)"
        assert not dialog.letter["bank_account"].isEnabled()
        qtbot.keyClicks(dialog.region, "110105")
        assert dialog.region_name.text() == "北京市朝阳区"
        qtbot.waitUntil(lambda: dialog.preview is not None)
        values = {name: label.text() for name, label in dialog.plan_values.items()}
        assert values["account"] == "15,360.00 元"  # 8% of 8,000 for 24 months
        assert values["pooling"] == "23,040.00 元"  # 12% of 8,000 for 24 months
        assert values["total"] == "38,400.00 元"
        assert values["months"].startswith("24 个月")
        assert values["temporary"].startswith("否") and "男未满50周岁、女未满40周岁" in values["temporary"]
        assert values["place"].startswith("510107 四川省成都市武侯区")
        assert "均不满10年" in values["place"] and "第六条" in values["place"]
        assert "2025 年的记账利率尚未录入" in dialog.plan_note.text()  # so 2025 earns nothing yet: said
        plan = offices.a.transfers.plan(PERSON, "110105")
        assert plan.total.to_eng_string() == "38400.00" and plan.years_without_interest == (2025,)
        dialog.direction_in.click()  # the other way round: the region typed is where money comes from
        assert dialog.fields["region"].label.text() == "转出地(&R)"
        qtbot.waitUntil(lambda: dialog.preview is not None and dialog.preview.direction == "in")
        assert "同一统筹地区" not in dialog.plan_note.text()
        dialog.region.clear()
        qtbot.keyClicks(dialog.region, "360102")  # a district of Nanchang: the same pooling region
        qtbot.waitUntil(lambda: dialog.preview is not None and dialog.preview.region == "360102")
        assert "与本机构属于同一统筹地区" in dialog.plan_note.text()
        dialog.region.clear()
        qtbot.keyClicks(dialog.region, "999999")
        assert "不是已知的行政区划代码" in dialog.fields["region"].error.text()
        assert dialog.region_name.text() == "" and dialog.preview is None
        dialog.direction_out.click()
        dialog.region.setText("110105")
        qtbot.waitUntil(lambda: dialog.preview is not None and dialog.preview.direction == "out")
        dialog.resize(dialog.sizeHint().expandedTo(dialog.size()))
        qtbot.wait(100)
        assert dialog.grab().save(str(SHOTS / "transfer_dialog_out.png"))
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: not dialog.isVisible())
    finally:
        _close(win)


def test_a_dialog_deleted_right_after_its_plan_leaves_no_timer_behind(offices: Offices, qtbot: Any) -> None:
    """Showing a plan fits the dialog's height a moment later; when the dialog is deleted first,
    that pending fit must die with it (a timer outliving it would call into a deleted object)."""
    runner = Runner()
    worker = offices.a.workers.get(PERSON)
    dialog = TransferDialog(offices.a, runner, worker)  # not given to qtbot: the test deletes it
    dialog.show()
    qtbot.waitUntil(lambda: dialog.context is not None)
    dialog.region.setText("110105")
    qtbot.waitUntil(lambda: dialog.preview is not None)
    runner.wait()
    fit_timers = [t for t in dialog.findChildren(QTimer) if t.isActive()]
    dialog._show_preview(dialog.preview)  # the fit is pending again
    assert len([t for t in dialog.findChildren(QTimer) if t.isActive()]) == len(fit_timers) + 1
    dialog.hide()
    shiboken6.delete(dialog)
    qtbot.wait(50)  # a stray timer would fire here, and pytest-qt would fail the test with its error
    assert not shiboken6.isValid(dialog)


def test_the_work_list_marks_a_due_date_beyond_the_holiday_calendar(offices: Offices, qtbot: Any) -> None:
    """On the wall clock, whatever day the suite runs: a due date that reaches a year no holiday
    calendar covers is shown with （估算）, one inside the calendar without it."""
    led = Ledger.open(str(offices.folder / "BJ01.db"))  # the real clock, not the tests' pinned day
    offices.opened.append(led)
    case = led.transfers.request(PERSON, "360100", LETTER, channel="paper").case
    assert case.due == nth_workday(case.applied_on, 15)
    estimated = not all(calendar_knows(y) for y in range(case.applied_on.year, case.due.year + 1))
    win = _window(led, qtbot)
    try:
        dialog = _list(win, qtbot)
        due = _row(dialog, case.number)[[dialog.model.headerData(c, Qt.Orientation.Horizontal)
                                         for c in range(dialog.model.columnCount())].index("办理时限")]
        assert due == case.due.isoformat() + ("（估算）" if estimated else "")
        dialog.close()
    finally:
        _close(win)


def test_a_case_from_request_to_receipt(offices: Offices, qtbot: Any, tmp_path: Path) -> None:
    a, b = offices.a, offices.b
    win_b = _window(b, qtbot)
    win_a = _window(a, qtbot)
    try:
        # -- at the new office (B): the request and its contact letter --------------------------------
        dialog = _open_transfer(win_b, qtbot)
        assert dialog.direction == "in" and dialog.fields["region"].label.text() == "转出地(&R)"
        qtbot.keyClicks(dialog.region, "110105")  # its own region: refused by the core, nothing closes
        qtbot.waitUntil(lambda: dialog.preview is not None)
        assert "与本机构属于同一统筹地区" in dialog.plan_note.text()
        qtbot.keyClicks(dialog.letter["bank_account"], "0200 0012 0920 0123 456")
        commit_text(dialog.letter["bank"], "中国工商银行北京朝阳支行")
        commit_text(dialog.letter["address"], "北京市朝阳区工体北路1号")
        qtbot.keyClicks(dialog.letter["phone"], "010-12345678")
        qtbot.keyClick(dialog.letter["phone"], Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: dialog.fields["region"].error.text() != "")
        assert "转出地110105与本机构属于同一统筹地区" in dialog.fields["region"].error.text()
        assert dialog.isVisible() and b.transfers.list() == []
        dialog.region.clear()
        qtbot.keyClicks(dialog.region, "360100")
        assert dialog.region_name.text() == "江西省南昌市"
        qtbot.waitUntil(lambda: dialog.preview is not None and dialog.preview.region == "360100")
        values = {name: label.text() for name, label in dialog.plan_values.items()}
        assert values["months"].startswith("24 个月")  # A's months, as synced to B
        # an estimate from A's months as synced here (no 2025 interest: not entered at B either)
        assert values["total"] == "38,400.00 元" and "测算" in dialog.plan_note.text()
        assert "以转出地出具的参保缴费信息表为准" in dialog.plan_note.text()
        assert values["temporary"].startswith("否") and "正常转移" in values["temporary"]
        assert "四川省成都市武侯区" in values["place"]
        dialog.letter["bank"].clear()
        dialog.accept()  # the bank is needed on the letter
        assert dialog.fields["bank"].error.text() == "不能为空" and dialog.isVisible()
        commit_text(dialog.letter["bank"], "中国工商银行北京朝阳支行")
        commit_text(dialog.letter["bank_account_name"], "北京市朝阳区社会保险基金收入户")
        qtbot.wait(50)
        dialog.resize(dialog.sizeHint().expandedTo(dialog.size()))
        assert dialog.grab().save(str(SHOTS / "transfer_dialog.png"))
        qtbot.keyClick(dialog.letter["phone"], Qt.Key.Key_Return)  # Enter requests
        qtbot.waitUntil(lambda: isinstance(win_b.last_preview, DocumentPreviewDialog))
        letter = win_b.last_preview
        assert isinstance(letter, DocumentPreviewDialog)
        assert "BJ01-LX2026" in letter.windowTitle() and letter.document.pageCount() == 1
        assert not dialog.isVisible()
        [case] = b.transfers.list()
        assert (case.from_region, case.to_region, case.status) == ("360100", "110105", "requested")
        letter.close()
        qtbot.waitUntil(lambda: win_b.page.record is not None and any(
            d.kind == "contact-letter" for d in win_b.page.record.documents))
        assert case.number in win_b.status.text()
        again = _open_transfer(win_b, qtbot)  # a second request while the case is open: refused
        assert again.letter["bank_account"].text() == "0200 0012 0920 0123 456"  # remembered
        # before anything is typed: the request disabled, the rule's reason shown
        qtbot.waitUntil(lambda: again.refusal_checked)
        assert again.region.text() == "" and not again.buttons.button(again.buttons.StandardButton.Save).isEnabled()
        assert f"已有未办结的转移业务{case.number}" in again.refusal_note.text()
        qtbot.keyClicks(again.region, "360100")
        again.accept()  # Enter does nothing: no second case
        assert again.isVisible() and len(b.transfers.list()) == 1
        again.reject()

        # -- at the old office (A): settle, the information table -----------------------------------
        offices.send(b, a)
        work_a = _list(win_a, qtbot)
        assert work_a.select_case(case.number)
        assert _row(work_a, case.number)[2:5] == ["360100 江西省南昌市", "110105 北京市朝阳区", "已申请，待转出地办理"]
        assert work_a.settle_button.isEnabled() and not work_a.receive_button.isEnabled()
        work_a.show_filter.setCurrentIndex(1)  # this office's next steps
        qtbot.waitUntil(lambda: work_a.loaded and len(work_a.model.cases) == 1)
        work_a.table.setFocus()
        # 2025's crediting rate is not entered: refused with the reason; a supervisor (open mode
        # here) is offered to settle without it, and declines.
        offered: list[str] = []
        work_a.confirm_without_interest = lambda years: offered.append(years) is not None  # type: ignore[method-assign]
        qtbot.keyClick(work_a.table, Qt.Key.Key_Return)  # Enter settles the selected case
        qtbot.waitUntil(lambda: work_a.error.text() != "")
        assert offered == ["2025"] and "2025 年的记账利率尚未录入" in work_a.error.text()
        assert a.transfers.show(case.number).status == "requested"
        a.reference.set_interest(2025, "0.025")  # the published rate, entered in the settings
        qtbot.waitUntil(lambda: work_a.loaded and work_a.settle_button.isEnabled())
        work_a.table.setFocus()
        qtbot.keyClick(work_a.table, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: isinstance(work_a.last_preview, DocumentPreviewDialog))
        table = work_a.last_preview
        assert isinstance(table, DocumentPreviewDialog) and "NC01-XX2026" in table.windowTitle()
        table.close()
        qtbot.waitUntil(lambda: work_a.loaded and work_a.model.cases == [])  # nothing left to do here
        work_a.show_filter.setCurrentIndex(0)
        qtbot.waitUntil(lambda: work_a.loaded and len(work_a.model.cases) == 1)
        work_a.table.selectRow(0)
        assert _row(work_a, case.number)[4:] == ["已转出，待转入地接收", "2026-12-14", "38,592.00"]
        assert not work_a.settle_button.isEnabled() and "等待对方经办机构办理" in work_a.details.text()
        work_a.tabs.setCurrentIndex(1)
        qtbot.waitUntil(lambda: work_a.report_table.rowCount() == 2)
        assert [work_a.report_table.item(1, c).text() for c in range(7)] == [
            "转出", "11月", "1", "1", "15,552.00", "23,040.00", "38,592.00"]
        assert work_a.report_table.item(0, 1).text() == "全年"  # the year first, as in the CSV and PDF
        assert work_a.report_table.item(0, 1).font().bold()
        qtbot.keyClick(work_a, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: not work_a.isVisible())

        # -- at the new office (B): overdue on a later day, then the money confirmed ------------------
        offices.send(a, b)
        late = offices.later(b, dt.date(2027, 2, 1))
        runner = Runner()
        overdue = TransferListDialog(late, runner)
        qtbot.addWidget(overdue)
        overdue.show()
        qtbot.waitUntil(lambda: overdue.loaded and len(overdue.model.cases) == 1)
        index = overdue.model.index(0, 5)
        assert index.data() == "2026-12-14　已超期"
        assert index.data(Qt.ItemDataRole.ForegroundRole) == OVERDUE_FG
        font = overdue.model.index(0, 0).data(Qt.ItemDataRole.FontRole)
        assert isinstance(font, QFont) and font.bold()
        assert overdue.summary.text() == "共 1 件，其中超期 1 件"
        overdue.show_filter.setCurrentIndex(2)
        qtbot.waitUntil(lambda: overdue.loaded and len(overdue.model.cases) == 1)
        overdue.table.clearSelection()  # the red of an overdue row, not the selection's colour
        qtbot.wait(100)
        assert overdue.grab().save(str(SHOTS / "transfer_list.png"))
        overdue.close()
        runner.wait()

        work_b = _list(win_b, qtbot)
        assert work_b.select_case(case.number)
        assert work_b.receive_button.isEnabled() and not work_b.settle_button.isEnabled()
        assert not _row(work_b, case.number)[5].endswith("已超期")
        work_b.receive_button.click()
        receive = work_b.active_dialog
        assert isinstance(receive, ReceiveDialog) and "38,592.00" in receive.about.text()
        qtbot.keyClicks(receive.amount, "38000")
        qtbot.keyClick(receive.amount, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: receive.fields["amount"].error.text() != "")
        assert "到账金额38000.00元与信息表转移总额38592.00元不符" in receive.fields["amount"].error.text()
        assert receive.isVisible() and b.transfers.show(case.number).status == "settled"
        receive.amount.clear()
        qtbot.keyClicks(receive.amount, "38,592.00")
        qtbot.keyClick(receive.amount, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not receive.isVisible())
        qtbot.waitUntil(lambda: work_b.loaded and _row(work_b, case.number)[4] == "已办结")
        assert "已办结" in work_b.status.text() and _row(work_b, case.number)[5] == "—"
        assert b.transfers.show(case.number).received_amount == Decimal("38592.00")

        # -- the yearly report at B: the transfer in, on screen and exported ------------------------
        work_b.tabs.setCurrentIndex(1)
        qtbot.waitUntil(lambda: work_b.report_table.rowCount() == 2)
        assert [work_b.report_table.item(1, c).text() for c in range(7)] == [
            "转入", "11月", "1", "1", "15,552.00", "23,040.00", "38,592.00"]
        work_b.save_report("csv", tmp_path / "transfers.csv")
        work_b.save_report("pdf", tmp_path / "transfers.pdf")
        qtbot.waitUntil(lambda: (tmp_path / "transfers.pdf").exists() and "已导出" in work_b.status.text()
                        and str(tmp_path / "transfers.pdf") in work_b.status.text())
        csv = (tmp_path / "transfers.csv").read_text(encoding="utf-8-sig").splitlines()
        assert csv[1:] == ["转入,全年,1,1,15552.00,23040.00,38592.00", "转入,11,1,1,15552.00,23040.00,38592.00"]
        assert (tmp_path / "transfers.pdf").read_bytes().startswith(b"%PDF")
        work_b.resize(1100, 520)
        qtbot.wait(100)
        assert work_b.grab().save(str(SHOTS / "transfer_report.png"))
        work_b.year.setValue(2025)
        qtbot.waitUntil(lambda: work_b.report is not None and work_b.report.year == 2025)
        assert work_b.report_table.rowCount() == 0 and "2025年没有" in work_b.report_note.text()
    finally:
        _close(win_a, win_b)


def test_the_report_from_the_menu_and_english(offices: Offices, qtbot: Any) -> None:
    from desktop.ui import i18n

    win = _window(offices.b, qtbot)
    try:
        win.transfer_report_action.trigger()
        dialog = win.active_dialog
        assert isinstance(dialog, TransferListDialog) and dialog.tabs.currentIndex() == 1
        qtbot.waitUntil(lambda: dialog.report is not None)
        assert dialog.report_note.text() == "2026年没有转入或转出的转移业务。"
        i18n.apply("en", remember=False)
        qtbot.waitUntil(lambda: dialog.windowTitle() == "Transfer work list")
        assert dialog.model.headerData(4, Qt.Orientation.Horizontal) == "Status"
        assert dialog.report_note.text() == "No transfers in or out in 2026."
        assert win.transfers_action.text() == "&Transfer work list…"
    finally:
        _close(win)


def test_the_open_work_list_shows_a_case_requested_at_another_counter(offices: Offices, qtbot: Any) -> None:
    win = _window(offices.b, qtbot)
    try:
        dialog = _list(win, qtbot)
        assert dialog.model.cases == []
        second = offices.later(offices.b, TODAY)  # the second counter: its own connection to the file
        case = second.transfers.request(PERSON, "360100", LETTER, channel="paper").case
        qtbot.waitUntil(lambda: [c.number for c in dialog.model.cases] == [case.number], timeout=20000)
        dialog.close()
    finally:
        win.watch.stop()
        _close(win)
