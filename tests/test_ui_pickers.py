"""Pickers instead of typed codes: a region found by its name in characters, full pinyin or pinyin
initials and picked with Enter (the dialog's input is the 6-digit code), agreement countries in the
pinyin order of their Chinese names, dates picked in a calendar or typed; and the transfer-in request
disabled, with the rule's reason, for a person a rule refuses, before anything is typed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import EMPLOYER, TODAY
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from sync_support import EMP_BJ, EMP_NC, make_office, send, trust_all, uscc
from test_any_day import LETTER
from test_ui_support import commit_text, patient_waits, private_settings

from desktop.core import regions
from desktop.core.errors import RefusedByRule
from desktop.core.ledger import Ledger
from desktop.ui.coverage_register_dialog import CoverageRegisterDialog
from desktop.ui.exemption_dialog import ExemptionDialog
from desktop.ui.medical_certificate_dialog import MedicalCertificateDialog
from desktop.ui.pickers import DateField, RegionPicker
from desktop.ui.runner import Runner
from desktop.ui.transfer_dialog import TransferDialog

__all__ = ["patient_waits", "private_settings"]

PERSON = "510107198511113215"  # a man born 1985, hukou Chengdu, insured in Nanchang, moving to Beijing

# The agreement countries in the pinyin order of their Chinese names, written out by hand:
# dan mai, de guo, fa guo, fen lan, han guo, he lan, ji er ji si si tan, jia na da, lu sen bao,
# ri ben, rui shi, sai er wei ya, xi ban ya (character-code order would put 加拿大 second).
PINYIN_ORDER = ["丹麦  DK", "德国  DE", "法国  FR", "芬兰  FI", "韩国  KR", "荷兰  NL", "吉尔吉斯斯坦  KG",
                "加拿大  CA", "卢森堡  LU", "日本  JP", "瑞士  CH", "塞尔维亚  RS", "西班牙  ES"]


@pytest.fixture
def offices(sqlite_template: Path, tmp_path: Path) -> Iterator[tuple[Ledger, Ledger]]:
    """Nanchang (where the person worked two years) and Beijing Chaoyang (where he moves)."""
    a = make_office(sqlite_template, tmp_path, "NC01", "南昌市社保局", "360100", EMP_NC, "南昌赣江机械制造有限公司")
    b = make_office(sqlite_template, tmp_path, "BJ01", "北京市朝阳区社保中心", "110105", EMP_BJ, "北京朝阳科技有限公司")
    trust_all(a, b)
    key = a.workers.register_citizen(PERSON, "张三", "510107", "rural").key
    for month in range(1, 13):
        a.contributions.record(key, uscc(EMP_NC), f"2025-{month:02d}", "8000")
    send(a, b, tmp_path)
    yield a, b
    a.close()
    b.close()


@pytest.fixture
def runner() -> Iterator[Runner]:
    r = Runner()
    yield r
    r.wait()


def _shown(qtbot: Any, dialog: Any) -> None:
    """Shown and active, as at the counter (the region list follows the keyboard focus)."""
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    assert QApplication.activeWindow() is dialog


def _closed(dialog: Any, runner: Runner, qtbot: Any) -> None:
    """Closed once its reads are answered (a dialog made here, not by the window)."""
    runner.wait()
    qtbot.wait(50)
    dialog.close()


def _offered(picker: RegionPicker) -> list[str]:
    return [picker.matches.item(row).text() for row in range(picker.matches.rowCount())]


def _transfer_dialog(ledger: Ledger, runner: Runner, qtbot: Any) -> TransferDialog:
    dialog = TransferDialog(ledger, runner, ledger.workers.get(PERSON))
    _shown(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.context is not None and dialog.refusal_checked)
    return dialog


def test_the_core_finds_regions_by_characters_pinyin_and_initials() -> None:
    first = {q: regions.search(q)[0] for q in ("南昌", "南昌市", "nanchang", "ncs", "jxsncs", "3601")}
    assert {q: (m.code, m.name, m.full_name) for q, m in first.items()} == {
        q: ("360100", "南昌市", "江西省南昌市") for q in first}
    assert [m.code for m in regions.search("南昌")[:2]] == ["360100", "360121"]  # the city, then 南昌县
    assert regions.search("ncs")[1].code == "511300"  # 南充市 also reads n-c-s
    assert regions.find_exact("北京市朝阳区") == "110105" and regions.find_exact("朝阳区") is None
    assert regions.search("市辖区") == [] and regions.search("") == []
    # codes no longer in use only when asked for, after those in use
    assert [m.code for m in regions.search("赣州")][:2] == ["360700", "360702"]
    assert [(m.code, m.until) for m in regions.search("赣州", historic=True)[:3]] == [
        ("360700", None), ("362100", 1998), ("362101", 1998)]


def test_a_region_picked_by_name_gives_the_dialog_its_code(offices: tuple[Ledger, Ledger], runner: Runner,
                                                           qtbot: Any) -> None:
    _, b = offices
    dialog = _transfer_dialog(b, runner, qtbot)
    assert dialog.direction == "in" and dialog.refusal is None
    picker = dialog.region
    popup = picker.completer().popup()
    # Chinese characters, as an input method commits them
    commit_text(picker, "南昌")
    assert popup.isVisible()
    assert _offered(picker)[:2] == ["江西省南昌市 360100", "江西省南昌市南昌县 360121"]
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert picker.text() == "江西省南昌市 360100" and picker.code() == "360100"
    assert dialog.isVisible() and not popup.isVisible()  # Enter picked the region; nothing was requested
    assert dialog.region_name.text() == "江西省南昌市"
    assert dialog.collect().from_region == "360100"
    qtbot.waitUntil(lambda: dialog.preview is not None and dialog.preview.region == "360100")
    assert dialog.plan_values["months"].text().startswith("12 个月")
    # pinyin initials
    picker.clear()
    qtbot.keyClicks(picker, "ncs")
    assert _offered(picker)[:2] == ["江西省南昌市 360100", "四川省南充市 511300"]
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert picker.code() == "511300" and dialog.collect().from_region == "511300"
    assert dialog.region_name.text() == "四川省南充市"
    # full pinyin
    picker.clear()
    qtbot.keyClicks(picker, "nanchang")
    assert _offered(picker)[:2] == ["江西省南昌市 360100", "江西省南昌市南昌县 360121"]
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.collect().from_region == "360100"
    # the code typed as digits still works, with no list in the way of Enter
    picker.clear()
    qtbot.keyClicks(picker, "110105")
    assert not popup.isVisible() and picker.code() == "110105"
    assert dialog.region_name.text() == "北京市朝阳区"
    # a name typed in full is the region it names
    picker.clear()
    commit_text(picker, "江西省南昌市")
    qtbot.keyClick(popup, Qt.Key.Key_Escape)
    assert picker.code() == "360100" and dialog.collect().from_region == "360100"
    dialog.grab().save(str(Path("/tmp") / "picker_transfer.png"))
    _closed(dialog, runner, qtbot)


def test_the_transfer_in_request_is_disabled_with_the_reason_before_typing(
        offices: tuple[Ledger, Ledger], runner: Runner, qtbot: Any) -> None:
    _, b = offices
    save_of = lambda d: d.buttons.button(QDialogButtonBox.StandardButton.Save)  # noqa: E731
    accepted = _transfer_dialog(b, runner, qtbot)
    assert b.transfers.can_apply_in(PERSON) is None
    assert save_of(accepted).isEnabled() and not accepted.refusal_note.isVisible()
    _closed(accepted, runner, qtbot)
    case = b.transfers.request(PERSON, "360100", LETTER, channel="paper").case  # a case open here now
    refusal = b.transfers.can_apply_in(PERSON)
    assert isinstance(refusal, RefusedByRule) and refusal.key == "transfer.open_case"
    refused = _transfer_dialog(b, runner, qtbot)
    assert refused.region.text() == ""  # nothing typed: the reason is there already
    assert not save_of(refused).isEnabled() and refused.refusal_note.isVisible()
    assert refused.refusal_note.text() == f"不能申请转入：该参保人已有未办结的转移业务{case.number}，不能再申请"
    refused.direction_out.click()  # planning the move out is still possible
    assert not refused.refusal_note.isVisible()
    refused.direction_in.click()
    qtbot.keyClicks(refused.region, "360100")
    refused.accept()  # Enter does nothing either
    assert refused.isVisible() and not save_of(refused).isEnabled()
    assert [c.number for c in b.transfers.list(worker=PERSON)] == [case.number]
    refused.grab().save(str(Path("/tmp") / "picker_refused.png"))
    _closed(refused, runner, qtbot)


def test_countries_are_listed_in_the_pinyin_order_of_their_names(ledger: Ledger, person: str, runner: Runner,
                                                                qtbot: Any) -> None:
    dialog = ExemptionDialog(ledger, runner, ledger.workers.get(person), EMPLOYER)
    _shown(qtbot, dialog)
    assert [dialog.country.itemText(i) for i in range(dialog.country.count())] == PINYIN_ORDER
    register = CoverageRegisterDialog(ledger, runner)
    qtbot.addWidget(register)
    assert [register.country.itemText(i) for i in range(register.country.count())] == ["全部国家", *PINYIN_ORDER]
    assert register.country.value() is None
    # letters choose by pinyin, initials or code
    qtbot.keyClicks(dialog.country, "rb")
    assert dialog.country.currentText() == "日本  JP" and dialog.collect().country == "JP"
    dialog.country.typed = ""
    qtbot.keyClicks(dialog.country, "xiban")
    assert dialog.collect().country == "ES"
    dialog.country.typed = ""
    qtbot.keyClicks(dialog.country, "kr")
    assert dialog.country.value() == "KR"
    _closed(dialog, runner, qtbot)
    register.close()


def test_a_date_picked_in_the_calendar_and_a_date_typed(ledger: Ledger, person: str, runner: Runner,
                                                       qtbot: Any) -> None:
    dialog = ExemptionDialog(ledger, runner, ledger.workers.get(person), EMPLOYER)
    _shown(qtbot, dialog)
    start = dialog.start
    assert isinstance(start, DateField) and start.date() is None
    start.setFocus()
    qtbot.keyClick(start, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)  # the calendar opens
    assert start.calendar.isVisible()
    assert start.calendar.selectedDate() == QDate(TODAY.year, TODAY.month, TODAY.day)  # the ledger's today
    start.calendar.setSelectedDate(QDate(2027, 1, 1))
    focused = QApplication.focusWidget()
    assert focused is not None and start.calendar.isAncestorOf(focused)
    qtbot.keyClick(focused, Qt.Key.Key_Return)
    assert not start.calendar.isVisible()
    assert start.text() == "2027-01-01" and start.date() == dt.date(2027, 1, 1)
    qtbot.keyClicks(dialog.end, "2031-12-31")
    assert dialog.end.date() == dt.date(2031, 12, 31)
    data = dialog.collect()
    assert (data.start, data.end) == ("2027-01-01", "2031-12-31")
    dialog.end.clear()
    qtbot.keyClicks(dialog.end, "2031-13-01")
    assert dialog.end.date() is None and dialog.fields["to"].error.text() != ""
    # the calendar button opens at the date entered; Escape closes it and leaves the date
    start.calendar_action.trigger()
    assert start.calendar.selectedDate() == QDate(2027, 1, 1)
    qtbot.keyClick(start.calendar, Qt.Key.Key_Escape)
    assert not start.calendar.isVisible() and start.text() == "2027-01-01"
    dialog.close()


def test_an_optional_date_may_stay_empty(ledger: Ledger, person: str, runner: Runner, qtbot: Any) -> None:
    ledger.contributions.record(person, EMPLOYER, "2026-10", "8000")
    dialog = MedicalCertificateDialog(ledger, runner, ledger.workers.get(person))
    _shown(qtbot, dialog)
    runner.wait()
    qtbot.wait(50)
    assert dialog.refusal is None and dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
    assert dialog.applied_on.date() is None and dialog.validate("applied_on", show_empty=True)
    commit_text(dialog.region, "朝阳")  # a name not picked from the list (several regions are 朝阳区)
    qtbot.keyClick(dialog.region.completer().popup(), Qt.Key.Key_Escape)
    dialog.accept()
    assert dialog.isVisible() and dialog.fields["to_region"].error.text() == (
        "请从列表中选择地区（输入名称或拼音后用方向键和回车选择），或输入6位代码")
    dialog.region.clear()
    commit_text(dialog.region, "北京市朝阳区")
    assert dialog.collect().to_region == "110105" and dialog.collect().applied_on == ""
    assert dialog.region_name.text() == "转入地：北京市朝阳区"
    _closed(dialog, runner, qtbot)


def test_the_core_says_which_person_actions_a_rule_refuses_before_any_input(
        offices: tuple[Ledger, Ledger]) -> None:
    a, b = offices
    assert a.transfers.can_apply_in(PERSON) is None and b.transfers.can_apply_in(PERSON) is None
    seal = b.transfers.can_seal_temporary(PERSON)
    assert isinstance(seal, RefusedByRule) and (seal.key, seal.params["region"]) == ("temporary.none_open", "110105")
    gather = b.transfers.can_gather_temporary(PERSON)  # the relationship is in Nanchang
    assert isinstance(gather, RefusedByRule) and (gather.key, gather.params["region"]) == (
        "temporary.not_relationship", "360100")
    assert a.transfers.can_gather_temporary(PERSON) is None
    # what the queries say is what the actions do
    with pytest.raises(RefusedByRule) as refused:
        b.transfers.seal_temporary(PERSON, "310115")
    assert refused.value.key == "temporary.none_open"
    case = b.transfers.request(PERSON, "360100", LETTER, channel="paper").case
    opened = b.transfers.can_apply_in(PERSON)
    assert isinstance(opened, RefusedByRule) and (opened.key, opened.params["case"]) == ("transfer.open_case",
                                                                                          case.number)
    with pytest.raises(RefusedByRule) as again:
        b.transfers.request(PERSON, "360100", LETTER, channel="paper")
    assert again.value.key == "transfer.open_case"


def test_the_medical_certificate_is_disabled_for_a_person_with_nothing_paid_here(
        ledger: Ledger, person: str, runner: Runner, qtbot: Any) -> None:
    dialog = MedicalCertificateDialog(ledger, runner, ledger.workers.get(person))
    _shown(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.refusal is not None)
    assert dialog.region.text() == "" and not dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
    assert dialog.refusal_note.isVisible()
    assert dialog.refusal_note.text() == "此人在本统筹地区（360100）没有职工医疗保险实际缴费月份，不能出具医保转移凭证"
    _closed(dialog, runner, qtbot)


def test_a_flexible_payment_is_disabled_for_a_person_drawing_a_pension(
        ledger: Ledger, person: str, runner: Runner, qtbot: Any) -> None:
    from sqlalchemy import select

    from desktop.core.store.models import Worker
    from desktop.ui.flexible_dialog import FlexibleDialog

    with ledger.write() as s:
        s.scalars(select(Worker).where(Worker.id_number == person)).one().pension_since = dt.date(2026, 10, 1)
    dialog = FlexibleDialog(ledger, runner, ledger.workers.get(person))
    _shown(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.person_refused)  # the months proposed were checked at once
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
    assert "2026-10-01" in dialog.general_error.text()
    _closed(dialog, runner, qtbot)


def test_an_employer_registered_with_its_region_picked_by_initials(ledger: Ledger, runner: Runner,
                                                                   qtbot: Any) -> None:
    from desktop.core.ids import uscc_check_char
    from desktop.ui.employer_dialog import EmployerDialog

    dialog = EmployerDialog(ledger, runner)
    _shown(qtbot, dialog)
    code = "91360400MA35F9B3Y"
    code += uscc_check_char(code)
    qtbot.keyClicks(dialog.uscc, code)
    commit_text(dialog.employer_name, "九江港务有限公司")
    dialog.region.setFocus()
    qtbot.keyClicks(dialog.region, "jjs")
    assert _offered(dialog.region)[0] == "江西省九江市 360400"
    assert dialog.fields["region"].error.text() == ""  # a name being typed is not an error
    popup = dialog.region.completer().popup()
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.collect().region == "360400" and dialog.isVisible()
    qtbot.keyClick(dialog.region, Qt.Key.Key_Return)  # the list closed: Enter now saves
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert ledger.employers.get(code).region == "360400"
    _closed(dialog, runner, qtbot)


def test_the_history_before_the_record_may_name_a_region_no_longer_in_use(
        ledger: Ledger, person: str, runner: Runner, qtbot: Any) -> None:
    from desktop.ui.opening_dialog import OpeningDialog

    dialog = OpeningDialog(ledger, runner, ledger.workers.get(person))
    _shown(qtbot, dialog)
    commit_text(dialog.region, "赣州地区")
    assert _offered(dialog.region)[0] == "江西省赣州地区（至1998年） 362100"
    popup = dialog.region.completer().popup()
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.region.code() == "362100" and dialog.collect().region == "362100"
    assert dialog.region_name.text() == "江西省赣州地区"
    _closed(dialog, runner, qtbot)
