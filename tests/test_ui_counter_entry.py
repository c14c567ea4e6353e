"""At the counter: recording a month offers the person's current employer and the next unrecorded
month, flags a month already recorded before Save, and names a clamped base; registration enrols
(参保登记: employer, start month, schemes) in the same step; mobile numbers are checked."""

from __future__ import annotations

from typing import Any

from conftest import EMPLOYER, EMPLOYER_2
from PySide6.QtWidgets import QDialogButtonBox
from test_ui_support import commit_text, open_by_search, patient_waits, private_settings, window

from desktop.core.ledger import Ledger
from desktop.core.month import Month
from desktop.ui.record_month_dialog import RecordMonthDialog
from desktop.ui.register_dialog import RegisterDialog
from desktop.ui.window import MainWindow

__all__ = ["patient_waits", "private_settings", "window"]

LI = "11010519491231002X"


def _two_employers(ledger: Ledger, person: str) -> None:
    """A (南昌赣江…, first in the list) then B (洪城…): the person's latest months are with B."""
    ledger.employers.register(EMPLOYER_2, "洪城物流有限公司", "360100", 1)
    assert [e.uscc for e in ledger.employers.list()][:2] == [EMPLOYER, EMPLOYER_2]
    ledger.contributions.record(person, EMPLOYER, "2026-06", "5000")
    ledger.contributions.record(person, EMPLOYER_2, "2026-07", "5000")
    ledger.contributions.record(person, EMPLOYER_2, "2026-08", "5000")


def _record_dialog(window: MainWindow, ledger: Ledger, person: str, qtbot: Any,
                   last_employer: str | None = None) -> RecordMonthDialog:
    """The dialog made as the window makes it, for a person, with a stale employer handed in."""
    dialog = RecordMonthDialog(ledger, window.runner, ledger.workers.get(person), last_employer, window)
    dialog.open()
    qtbot.waitUntil(lambda: dialog.proposal is not None)
    return dialog


def _save(dialog: RecordMonthDialog) -> Any:
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Save)


def test_the_current_employer_and_the_next_month_are_offered(
        window: MainWindow, ledger: Ledger, person: str, qtbot: Any) -> None:
    _two_employers(ledger, person)
    dialog = _record_dialog(window, ledger, person, qtbot, last_employer=EMPLOYER)
    assert dialog.employer.itemData(0) == EMPLOYER  # A is first in the list
    assert dialog.employer.currentData() == EMPLOYER_2
    assert dialog.month.text() == "2026-09"
    assert _save(dialog).isEnabled() and dialog.fields["month"].error.text() == ""
    dialog.close()


def test_the_window_offers_the_same(window: MainWindow, ledger: Ledger, person: str, qtbot: Any) -> None:
    _two_employers(ledger, person)
    open_by_search(window, qtbot, "zs", "张三")
    dialog = window.record_month()
    assert isinstance(dialog, RecordMonthDialog)
    qtbot.waitUntil(lambda: dialog.proposal is not None)
    assert (dialog.employer.currentData(), dialog.month.text()) == (EMPLOYER_2, "2026-09")
    dialog.close()


def test_a_recorded_month_is_flagged_before_save(
        window: MainWindow, ledger: Ledger, person: str, qtbot: Any) -> None:
    _two_employers(ledger, person)
    dialog = _record_dialog(window, ledger, person, qtbot)
    dialog.month.clear()
    qtbot.keyClicks(dialog.month, "2026-07")
    reason = f"2026-07已在单位{EMPLOYER_2}记录，请选择未记录的月份"
    assert dialog.fields["month"].error.text() == reason  # at once, before any wage or Save
    assert not _save(dialog).isEnabled() and _save(dialog).toolTip() == reason
    qtbot.keyClicks(dialog.wage, "5000")
    qtbot.wait(400)  # past the preview's pause: a month taken is not previewed, and stays named
    assert dialog.preview_result is None
    assert dialog.fields["month"].error.text() == reason and not _save(dialog).isEnabled()
    dialog.accept()  # Enter or a click would not save it either
    assert dialog.isVisible() and not window.runner.busy
    dialog.employer.setCurrentIndex(dialog.employer.findData(EMPLOYER))  # A has no 2026-07
    assert dialog.fields["month"].error.text() == "" and _save(dialog).isEnabled()
    dialog.employer.setCurrentIndex(dialog.employer.findData(EMPLOYER_2))
    assert not _save(dialog).isEnabled()
    dialog.month.clear()
    qtbot.keyClicks(dialog.month, "2026-09")
    assert dialog.fields["month"].error.text() == "" and _save(dialog).isEnabled() and _save(dialog).toolTip() == ""
    dialog.close()


def test_the_clamped_base_is_pointed_out_and_saved(
        window: MainWindow, ledger: Ledger, person: str, qtbot: Any) -> None:
    _two_employers(ledger, person)
    open_by_search(window, qtbot, "zs", "张三")
    dialog = window.record_month()
    assert isinstance(dialog, RecordMonthDialog)
    qtbot.waitUntil(lambda: dialog.proposal is not None)
    qtbot.keyClicks(dialog.wage, "20000")
    qtbot.waitUntil(lambda: dialog.preview_result is not None and dialog.preview_result.wage == 20000)
    assert dialog.wage_note.text() == "高于缴费基数上限 18,000.00，按上限 18,000.00 计"
    dialog.wage.clear()
    qtbot.keyClicks(dialog.wage, "2000")
    qtbot.waitUntil(lambda: dialog.wage_note.text() == "低于缴费基数下限 3,600.00，按下限 3,600.00 计")
    assert dialog.base_line.text() == "缴费基数 3,600.00（下限 3,600.00，上限 18,000.00），补缴"
    dialog.wage.clear()
    qtbot.keyClicks(dialog.wage, "5000")
    qtbot.waitUntil(lambda: dialog.preview_result is not None and dialog.preview_result.wage == 5000)
    assert dialog.wage_note.text() == ""
    dialog.wage.clear()
    qtbot.keyClicks(dialog.wage, "2000")
    qtbot.waitUntil(lambda: dialog.wage_note.text() != "")
    dialog.accept()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: window.status.text() == "已记录 2026-09，缴费基数 3,600.00")
    month = ledger.history.month_keys(person)[1][0]
    assert month[0] == 202609
    assert ledger.contributions.next_entry(person).month == Month(2026, 10)


def _register(window: MainWindow, qtbot: Any) -> RegisterDialog:
    dialog = window.open_register()
    assert isinstance(dialog, RegisterDialog)
    qtbot.waitUntil(lambda: dialog.chosen_employer is not None and dialog.employers is not None)
    qtbot.keyClicks(dialog.id_number, LI)
    commit_text(dialog.person_name, "李四")
    return dialog


def test_registration_enrols_and_the_first_month_is_offered(
        window: MainWindow, ledger: Ledger, qtbot: Any) -> None:
    ledger.employers.register(EMPLOYER_2, "洪城物流有限公司", "360100")  # no injury risk class
    dialog = _register(window, qtbot)
    assert dialog.start.text() == "2026-11"
    assert dialog.chosen_schemes() == ("pension", "medical", "unemployment", "injury")
    assert not dialog.scheme_boxes["maternity"].isEnabled()  # merged into medical from 2020
    qtbot.keyClicks(dialog.phone, "13912345678")
    qtbot.keyClicks(dialog.employer, EMPLOYER_2)
    dialog.employer.completer().popup().hide()
    assert dialog.employer_name.text() == "洪城物流有限公司"
    assert not dialog.scheme_boxes["injury"].isEnabled()
    assert dialog.chosen_schemes() == ("pension", "medical", "unemployment")
    dialog.scheme_boxes["unemployment"].setChecked(False)
    dialog.start.clear()
    qtbot.keyClicks(dialog.start, "2026-10")
    assert dialog.chosen_schemes() == ("pension", "medical")  # the clerk's choice stays
    dialog.accept()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: window.page.worker is not None and window.page.worker.name == "李四")
    enrolled = ledger.workers.enrolment(LI)
    assert enrolled is not None
    assert (enrolled.employer_uscc, enrolled.start, enrolled.schemes) == (
        EMPLOYER_2, Month(2026, 10), ("pension", "medical"))
    record = window.record_month()
    assert isinstance(record, RecordMonthDialog)
    qtbot.waitUntil(lambda: record.proposal is not None)
    assert (record.employer.currentData(), record.month.text()) == (EMPLOYER_2, "2026-10")
    assert record.employer.itemData(0) == EMPLOYER  # not simply the first in the list
    qtbot.keyClicks(record.wage, "6000")
    qtbot.waitUntil(lambda: record.preview_result is not None)
    assert [ln.scheme for ln in record.preview_result.lines] == ["pension", "medical"]  # as enrolled
    record.accept()
    qtbot.waitUntil(lambda: not record.isVisible())
    qtbot.waitUntil(lambda: window.status.text() == "已记录 2026-10，缴费基数 6,000.00")
    assert [s.scheme for s in ledger.accounts.statement(LI).schemes] == ["pension", "medical"]


def test_an_employer_found_by_name(window: MainWindow, ledger: Ledger, qtbot: Any) -> None:
    dialog = _register(window, qtbot)
    commit_text(dialog.employer, "赣江机械")
    dialog.employer.completer().popup().hide()
    assert dialog.chosen_employer() is not None and dialog.employer_name.text() == "南昌赣江机械制造有限公司"
    dialog.accept()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    enrolled = ledger.workers.enrolment(LI)
    assert enrolled is not None and (enrolled.employer_uscc, enrolled.start) == (EMPLOYER, Month(2026, 11))
    assert enrolled.schemes == ("pension", "medical", "unemployment", "injury")


def test_an_unknown_employer_or_no_scheme_is_refused_and_nobody_registered(
        window: MainWindow, ledger: Ledger, qtbot: Any) -> None:
    dialog = _register(window, qtbot)
    qtbot.keyClicks(dialog.employer, "nobody")
    dialog.employer.completer().popup().hide()
    assert dialog.fields["employer"].error.text() == "未登记的用人单位nobody"
    dialog.employer.clear()
    qtbot.keyClicks(dialog.employer, EMPLOYER)
    dialog.employer.completer().popup().hide()
    for box in dialog.scheme_boxes.values():
        box.setChecked(False)
    dialog.accept()
    assert dialog.schemes_error.text() == "不能为空" and dialog.isVisible()
    assert not window.runner.busy and ledger.workers.find("李四") == []
    dialog.close()


def test_a_ten_digit_mobile_is_refused(window: MainWindow, ledger: Ledger, qtbot: Any) -> None:
    dialog = _register(window, qtbot)
    qtbot.keyClicks(dialog.phone, "1381234567")
    message = "联系电话1381234567不是有效手机号码：应为11位数字，以1开头，第二位为3至9"
    assert dialog.fields["phone"].error.text() == message
    dialog.accept()
    assert dialog.fields["phone"].error.text() == message and dialog.isVisible()
    assert not window.runner.busy and ledger.workers.find("李四") == []
    dialog.close()
