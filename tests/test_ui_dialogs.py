"""Registering people and employers and recording a month, typed into the real dialogs."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import EMPLOYER
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from test_ui_support import (
    open_by_search,
    patient_waits,
    press_shortcut,
    private_settings,
    type_keys,
    window,
)

from desktop.core.ids import uscc_check_char
from desktop.core.ledger import Ledger
from desktop.ui.employer_dialog import EmployerDialog
from desktop.ui.foreigner_dialog import ForeignerDialog
from desktop.ui.record_month_dialog import RecordMonthDialog
from desktop.ui.register_dialog import RegisterDialog
from desktop.ui.window import MainWindow

__all__ = ["patient_waits", "private_settings", "window"]


def test_register_a_person_by_typing(window: MainWindow, ledger: Ledger, qtbot: Any) -> None:
    press_shortcut(qtbot, window.search.box, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: isinstance(window.active_dialog, RegisterDialog))
    dialog = window.active_dialog
    assert isinstance(dialog, RegisterDialog)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.id_number)
    qtbot.keyClicks(dialog.id_number, "510107198511113214")
    assert dialog.fields["id_number"].error.text() == "身份证号码校验位不符，请核对号码"
    assert dialog.sex.text() == "—"
    qtbot.keyClick(dialog.id_number, Qt.Key.Key_Backspace)
    qtbot.keyClicks(dialog.id_number, "5")
    assert dialog.fields["id_number"].error.text() == ""
    assert dialog.sex.text() == "男"
    assert dialog.birth_date.text() == "1985-11-11"
    assert dialog.hukou_region.text() == "510107"
    assert dialog.region_name.text() == "四川省成都市武侯区"
    qtbot.keyClick(dialog.id_number, Qt.Key.Key_Tab)
    type_keys(dialog.person_name, "李小梅")
    assert dialog.person_name.text() == "李小梅"
    dialog.hukou_type.setCurrentIndex(1)
    qtbot.keyClicks(dialog.phone, "12")
    assert dialog.fields["phone"].error.text() == ("联系电话12不是有效手机号码：应为11位数字，以1开头，"
                                                   "第二位为3至9")
    qtbot.keyClicks(dialog.phone, "3456789")
    assert dialog.fields["phone"].error.text().startswith("联系电话123456789不是有效手机号码")
    dialog.phone.clear()
    qtbot.keyClicks(dialog.phone, "13812345678")
    assert dialog.fields["phone"].error.text() == ""
    qtbot.keyClick(dialog.phone, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: window.page.person_name.text() == "李小梅")
    stored = ledger.workers.get("510107198511113215")
    assert (stored.name, stored.sex, stored.hukou_type, stored.phone) == (
        "李小梅", "M", "rural", "13812345678")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.search.box)


def test_register_refused_shows_the_reason_beside_the_field(
        window: MainWindow, person: str, qtbot: Any) -> None:
    dialog = window.open_register()
    assert isinstance(dialog, RegisterDialog)
    qtbot.keyClicks(dialog.id_number, person)
    type_keys(dialog.person_name, "张三")
    dialog.accept()
    qtbot.waitUntil(lambda: dialog.fields["id_number"].error.text() != "")
    assert dialog.fields["id_number"].error.text() == "此人已登记：张三（510107198511113215）"
    assert dialog.isVisible()


def test_register_checks_every_field_before_saving(window: MainWindow, qtbot: Any) -> None:
    dialog = window.open_register()
    assert isinstance(dialog, RegisterDialog)
    qtbot.waitUntil(lambda: dialog.employers is not None)  # the employers to enrol with, read on opening
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.fields["id_number"].error.text() == "不能为空"
    assert dialog.fields["name"].error.text() == "不能为空"
    assert dialog.fields["hukou_region"].error.text() == "不能为空"
    assert dialog.fields["phone"].error.text() == ""
    assert dialog.isVisible() and not window.runner.busy


def test_register_a_foreign_national(window: MainWindow, ledger: Ledger, qtbot: Any) -> None:
    dialog = window.open_foreigner()
    assert isinstance(dialog, ForeignerDialog)
    qtbot.keyClicks(dialog.nationality, "CN")
    assert dialog.fields["nationality"].error.text() == "中国公民请用身份证号码登记"
    dialog.nationality.clear()
    qtbot.keyClicks(dialog.nationality, "DE")
    qtbot.keyClicks(dialog.passport, "C01X00T47")
    qtbot.keyClicks(dialog.person_name, "Anna Schmidt")
    dialog.sex.setCurrentIndex(1)
    qtbot.keyClicks(dialog.birth_date, "1990-05-17")
    dialog.accept()
    qtbot.waitUntil(lambda: window.page.person_name.text() == "Anna Schmidt")
    found = ledger.workers.get("C01X00T47")
    assert found.ssn.startswith("F360100") and found.sex == "F"
    assert window.page.identity_labels[3].text() == "国籍"


def test_register_an_employer(window: MainWindow, ledger: Ledger, qtbot: Any) -> None:
    press_shortcut(qtbot, window.search.box, Qt.Key.Key_E)
    qtbot.waitUntil(lambda: isinstance(window.active_dialog, EmployerDialog))
    dialog = window.active_dialog
    assert isinstance(dialog, EmployerDialog)
    code = "91360100MA35F9B3Y"
    qtbot.keyClicks(dialog.uscc, code + "0")
    assert dialog.fields["uscc"].error.text().startswith("校验码错误")
    dialog.uscc.clear()
    qtbot.keyClicks(dialog.uscc, code + uscc_check_char(code))
    type_keys(dialog.employer_name, "江西洪城物流有限公司")
    dialog.risk_class.setCurrentIndex(3)
    qtbot.keyClick(dialog.employer_name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert "已登记用人单位 江西洪城物流有限公司" in window.status.text()
    stored = ledger.employers.get(code + uscc_check_char(code))
    assert (stored.name, stored.region, stored.risk_class) == ("江西洪城物流有限公司", "360100", 3)


def test_record_a_month_and_see_the_amounts(
        window: MainWindow, ledger: Ledger, person: str, qtbot: Any) -> None:
    ledger.contributions.record(person, EMPLOYER, "2026-09", "5000")
    open_by_search(window, qtbot, "zs", "张三")
    window.page.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: window.page.history_model.loaded_rows() == 1)
    press_shortcut(qtbot, window.search.box, Qt.Key.Key_M)
    qtbot.waitUntil(lambda: isinstance(window.active_dialog, RecordMonthDialog))
    dialog = window.active_dialog
    assert isinstance(dialog, RecordMonthDialog)
    qtbot.waitUntil(lambda: dialog.employer.currentData() == EMPLOYER)
    assert dialog.month.text() == "2026-10"
    qtbot.keyClicks(dialog.wage, "8000")
    qtbot.waitUntil(lambda: dialog.preview_result is not None)
    assert dialog.base_line.text() == "缴费基数 8,000.00（下限 3,600.00，上限 18,000.00），正常缴费"
    table = dialog.table
    rows = {table.item(r, 0).text(): [table.item(r, c).text() for c in range(1, 5)]
            for r in range(table.rowCount())}
    assert rows["职工基本养老保险"] == ["1,280.00", "640.00", "640.00", "1,920.00"]
    assert rows["职工基本医疗保险"] == ["480.00", "160.00", "0.00", "640.00"]
    assert "合计" in rows
    assert ledger.history.month_keys(person)[1] == [(202609, 1)]  # a preview stores nothing
    qtbot.keyClick(dialog.wage, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: "已记录 2026-10，缴费基数 8,000.00" in window.status.text())
    qtbot.waitUntil(lambda: window.page.history_model.rowCount() == 2)
    assert window.status.text() == "已记录 2026-10，缴费基数 8,000.00"
    pension = ledger.accounts.statement(person).schemes[0]
    assert pension.months_paid == 2


@pytest.mark.parametrize(("month", "wage", "field", "message"), [
    ("2027-01", "5000", "month", "2027-01晚于当前月份2026-11"),
    ("2026-10", "5000.123", "wage", "5000.123超过两位小数（金额精确到分）"),
])
def test_record_month_errors_beside_the_field(
        window: MainWindow, person: str, qtbot: Any, month: str, wage: str, field: str,
        message: str) -> None:
    open_by_search(window, qtbot, "zs", "张三")
    dialog = window.record_month()
    assert isinstance(dialog, RecordMonthDialog)
    qtbot.waitUntil(lambda: dialog.employer.count() == 1)
    dialog.month.clear()
    qtbot.keyClicks(dialog.month, month)
    qtbot.keyClicks(dialog.wage, wage)
    qtbot.waitUntil(lambda: dialog.fields[field].error.text() == message)
    assert dialog.preview_result is None
    dialog.accept()
    qtbot.waitUntil(lambda: not window.runner.busy)
    assert dialog.isVisible()


def test_a_month_already_recorded_is_refused_in_the_dialog(
        window: MainWindow, ledger: Ledger, person: str, qtbot: Any) -> None:
    ledger.contributions.record(person, EMPLOYER, "2026-10", "5000")
    open_by_search(window, qtbot, "zs", "张三")
    dialog = window.record_month()
    assert isinstance(dialog, RecordMonthDialog)
    qtbot.waitUntil(lambda: dialog.proposal is not None)
    assert dialog.month.text() == "2026-11"  # the next month, not one already recorded
    dialog.month.clear()
    qtbot.keyClicks(dialog.month, "2026-10")
    assert dialog.fields["month"].error.text() == f"2026-10已在单位{EMPLOYER}记录，请选择未记录的月份"
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
    qtbot.keyClicks(dialog.wage, "5000")
    dialog.accept()
    assert dialog.fields["month"].error.text() == f"2026-10已在单位{EMPLOYER}记录，请选择未记录的月份"
    assert dialog.isVisible() and not window.runner.busy
