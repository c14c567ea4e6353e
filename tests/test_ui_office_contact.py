"""The office's contact details in the settings dialog, the transfer letter filled from them, a
certificate of coverage refused without a passport and a statement refused while a crediting rate
is missing, each as the clerk sees it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import EMPLOYER
from PySide6.QtCore import Qt
from test_ui_settings import open_settings
from test_ui_support import commit_text, open_by_search, patient_waits, private_settings, window

from desktop.core.ledger import Ledger
from desktop.core.services.office import OfficeContact
from desktop.ui import i18n
from desktop.ui.exemption_dialog import ExemptionDialog
from desktop.ui.runner import Runner
from desktop.ui.transfer_dialog import SETTINGS_KEY, TransferDialog
from desktop.ui.window import MainWindow

__all__ = ["patient_waits", "private_settings", "window"]

ADDRESS = "江西省南昌市红谷滩区丰和中大道1000号"
SHOTS = Path("/tmp")


def test_contact_details_in_the_settings_dialog(window: MainWindow, ledger: Ledger, qtbot: Any) -> None:
    ledger.office.set_contact(bank="中国建设银行南昌分行")
    dialog = open_settings(window, qtbot)
    qtbot.waitUntil(lambda: dialog.contact["bank"].text() == "中国建设银行南昌分行")
    dialog.tabs.setCurrentIndex(1)
    assert dialog.contact_labels["postcode"].text() == "邮政编码(&Z)"
    assert dialog.contact_labels["postcode"].buddy() is dialog.contact["postcode"]
    commit_text(dialog.contact["address"], ADDRESS)
    qtbot.keyClicks(dialog.contact["phone"], "0791-86123456")
    qtbot.keyClicks(dialog.contact["postcode"], "33003")  # one digit short
    qtbot.keyClicks(dialog.contact["bank_account"], "36050110012300000123")
    dialog.contact_save.click()
    qtbot.waitUntil(lambda: dialog.contact_error.text() != "")
    assert "33003不是有效邮政编码（6位数字）" in dialog.contact_error.text()
    assert dialog.contact["postcode"].hasFocus()
    assert ledger.office.contact() == OfficeContact(bank="中国建设银行南昌分行")  # nothing stored
    qtbot.keyClicks(dialog.contact["postcode"], "330038")  # typed over the selection
    dialog.contact_save.click()
    qtbot.waitUntil(lambda: dialog.contact_status.text() == "已保存联系方式")
    assert dialog.contact_error.text() == ""
    assert ledger.office.contact() == OfficeContact(ADDRESS, "0791-86123456", "330038", "",
                                                    "中国建设银行南昌分行", "36050110012300000123")
    qtbot.wait(50)
    assert dialog.grab().save(str(SHOTS / "settings_contact.png"))


def test_the_transfer_letter_takes_the_offices_details_where_empty(ledger: Ledger, person: str, qtbot: Any) -> None:
    ledger.office.set_contact(address=ADDRESS, phone="0791-86123456", postcode="330038", bank="建设银行",
                              bank_account="36050110012300000123", bank_account_name="南昌市社会保险基金收入户")
    i18n.settings().setValue(SETTINGS_KEY + "phone", "0791-88888888")  # typed for the last letter: kept
    runner = Runner()
    dialog = TransferDialog(ledger, runner, ledger.workers.get(person))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.letter["bank"].text() == "建设银行")
    assert {name: edit.text() for name, edit in dialog.letter.items()} == {
        "bank_account_name": "南昌市社会保险基金收入户", "bank": "建设银行", "bank_account": "36050110012300000123",
        "address": ADDRESS, "phone": "0791-88888888"}
    qtbot.waitUntil(lambda: dialog.context is not None)
    runner.wait()
    qtbot.wait(50)
    assert dialog.grab().save(str(SHOTS / "transfer_letter_prefilled.png"))
    dialog.close()


def test_a_certificate_of_coverage_without_a_passport_is_refused_on_screen(
        window: MainWindow, ledger: Ledger, person: str, qtbot: Any) -> None:
    for month in range(8, 12):
        ledger.contributions.record(person, EMPLOYER, f"2026-{month:02d}", "8000")
    open_by_search(window, qtbot, "510107198511113215", "张三")
    window.page.exemption_button.click()
    qtbot.waitUntil(lambda: isinstance(window.active_dialog, ExemptionDialog))
    dialog = window.active_dialog
    assert isinstance(dialog, ExemptionDialog)
    dialog.country.setCurrentIndex(dialog.country.findData("JP"))
    dialog.employer.setText(EMPLOYER)
    qtbot.keyClicks(dialog.host, "Muster KK")
    qtbot.keyClicks(dialog.start, "2027-01-01")
    qtbot.keyClicks(dialog.end, "2027-12-31")
    qtbot.keyClick(dialog.end, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.fields["passport"].error.text() != "")
    assert "没有登记护照号码" in dialog.fields["passport"].error.text()
    assert dialog.isVisible() and ledger.exemptions.register_list() == []
    qtbot.keyClicks(dialog.passport, "EA1234567")
    qtbot.keyClick(dialog.passport, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(ledger.exemptions.register_list()) == 1, timeout=20000)


def test_a_statement_refused_for_a_missing_rate_says_which_year(
        window: MainWindow, ledger: Ledger, person: str, qtbot: Any) -> None:
    for year in (2024, 2025, 2026):
        ledger.contributions.record(person, EMPLOYER, f"{year}-03", "6000")
    open_by_search(window, qtbot, "510107198511113215", "张三")
    window.page.print_button.click()
    qtbot.waitUntil(lambda: "2025年的个人账户记账利率尚未录入" in window.status.text(), timeout=20000)
    assert "shebao interest set --year 2025" in window.status.text()
    assert ledger.documents.list_for(person) == []
