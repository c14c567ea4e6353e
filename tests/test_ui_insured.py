"""Medical years, unemployment time and the residents' years at the counter: the person page's sixth
tab shows each region's months (paid here or carried from another region's certificate), the retiree
minimum medical years here, the time counted since the last unemployment claim with the longest
benefit, and the residents' pension refund for employee months; it follows a month recorded at
another counter. The medical transfer certificate is issued from the tab, with its due date."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from conftest import EMPLOYER, TODAY
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QTableWidget
from stdnum.cn import ric
from test_ui_support import open_by_search, patient_waits, press_shortcut, private_settings

from desktop.core.ledger import Ledger
from desktop.ui.documents import DocumentPreviewDialog
from desktop.ui.medical_certificate_dialog import MedicalCertificateDialog
from desktop.ui.window import MainWindow

__all__ = ["patient_waits", "private_settings"]

SHANGHAI = "上海市医保转移凭证 沪医保转〔2015〕1号"


def _local(ledger: Ledger) -> str:
    """A man whose hukou is in Nanchang, the office's own area (he may join the residents' pension here)."""
    body = "36010219800808001"
    return ledger.workers.register_citizen(body + ric.calc_check_digit(body + "0"), "李四", "360102", "rural").key


def _rows(table: QTableWidget) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def _close(win: MainWindow) -> None:
    win.watch.stop()
    for dialog in (win.nested_dialog, win.active_dialog):
        if dialog is not None:
            dialog.close()
    win.runner.wait()


def test_medical_unemployment_and_residents_years_follow_the_database(
        ledger: Ledger, db_path: Path, qtbot: Any) -> None:
    worker = _local(ledger)
    # unemployment time from Wuhan's certificate, 2015-01..2019-12 (60 months), used by a claim in 2020
    ledger.insured.carry(worker, "unemployment", "420100", "2015-01", "2019-12", "武汉市失业保险缴费证明")
    ledger.insured.claim(worker, "2020-03-10")  # counted again from 2020-04
    # medical time from Shanghai's certificate: 2005-01..2014-12, 120 months
    ledger.insured.carry(worker, "medical", "310115", "2005-01", "2014-12", SHANGHAI)
    ledger.insured.set_medical_minimum(25, 20)  # men 25 years: 300 months
    for year, month in [(2024, m) for m in range(6, 13)] + [(2025, m) for m in range(1, 6)]:
        ledger.contributions.record(worker, EMPLOYER, f"{year}-{month:02d}", "6000")  # 12 months here
    ledger.residents.record(worker, "resident_pension", 2024, "500")  # 2024-06..12 are employee months

    win = MainWindow(ledger)
    qtbot.addWidget(win)
    win.show()
    try:
        qtbot.waitUntil(lambda: win.office is not None)
        open_by_search(win, qtbot, worker, "李四")
        page = win.page
        panel = page.insured
        qtbot.waitUntil(lambda: page.record is not None and page.record.medical is not None)
        press_shortcut(qtbot, win.search.box, Qt.Key.Key_6)
        assert page.tabs.currentIndex() == 5 and page.tabs.tabText(5) == "医疗·失业·居民"
        assert panel.isVisible() and panel.medical_title.text() == "医疗保险累计缴费年限"

        # medical: 120 carried + 12 here = 132 months, 11.00 years; 300 - 132 = 168 months short
        assert _rows(panel.medical_table) == [
            ["310115 上海市浦东新区", "2005-01 — 2014-12", "120", "转入凭证"],
            ["360100 江西省南昌市", "2024-06 — 2025-05", "12", "本地缴费"]]
        assert panel.medical_total.text() == "累计缴费 132 个月（11.00 年）"
        assert panel.medical_minimum.text() == "退休时需累计满25年：尚差168个月"
        # unemployment: Wuhan's 60 months went into the 2020 claim; 12 months here since: 12 months' benefit
        assert _rows(panel.unemployment_table) == [["360100 江西省南昌市", "2024-06 — 2025-05", "12", "本地缴费"]]
        assert panel.unemployment_total.text() == \
            "计算缴费时间 12 个月（1.00 年），自2020-04起（上次领取失业保险金后重新计算）"
        assert panel.unemployment_benefit.text() == "可领取失业保险金最长12个月"
        # residents' pension 2024 at 500 yuan: 7 employee months, 500 x 7 / 12 = 291.666... -> 291.67
        assert _rows(panel.residents_table) == [["城乡居民养老保险", "2024", "500.00", "60.00", "7", "291.67"]]
        refund = panel.residents_table.item(0, 5)
        assert refund.foreground().color().name() == "#b00020"
        assert "人社部发〔2014〕17号" in refund.toolTip() and "按月退还" in refund.toolTip()
        assert panel.refund_note.isVisible()

        # Another counter records 2024-05: the open tab follows on the window's change watch.
        other = Ledger.open(db_path, clock=lambda: TODAY)
        try:
            other.contributions.record(worker, EMPLOYER, "2024-05", "6000")
        finally:
            other.close()
        qtbot.waitUntil(lambda: panel.medical_total.text() == "累计缴费 133 个月（11.08 年）")
        assert page.tabs.currentIndex() == 5
        assert _rows(panel.medical_table)[1] == ["360100 江西省南昌市", "2024-05 — 2025-05", "13", "本地缴费"]
        assert panel.medical_minimum.text() == "退休时需累计满25年：尚差167个月"
        assert panel.unemployment_total.text().startswith("计算缴费时间 13 个月（1.08 年）")
        # 8 employee months in 2024 now: 500 x 8 / 12 = 333.33
        assert _rows(panel.residents_table) == [["城乡居民养老保险", "2024", "500.00", "60.00", "8", "333.33"]]

        win.language_actions["en"].trigger()
        qtbot.waitUntil(lambda: page.tabs.tabText(5) == "Medical · unemployment · residents")
        assert panel.medical_minimum.text() == "25 years needed at retirement: 167 months short"
        assert panel.unemployment_benefit.text() == "Unemployment benefit for up to 12 months"
        assert panel.medical_table.item(0, 3).text() == "Certificate (carried in)"
        win.language_actions["zh"].trigger()
        qtbot.waitUntil(lambda: page.tabs.tabText(5) == "医疗·失业·居民")
    finally:
        _close(win)


def test_without_the_office_minimum_or_enough_unemployment_time(ledger: Ledger, qtbot: Any) -> None:
    worker = _local(ledger)
    for month in range(1, 7):
        ledger.contributions.record(worker, EMPLOYER, f"2026-{month:02d}", "6000")  # 6 months
    win = MainWindow(ledger)
    qtbot.addWidget(win)
    win.show()
    try:
        qtbot.waitUntil(lambda: win.office is not None)
        open_by_search(win, qtbot, worker, "李四")
        page = win.page
        qtbot.waitUntil(lambda: page.record is not None and page.record.medical is not None)
        press_shortcut(qtbot, win.search.box, Qt.Key.Key_6)
        panel = page.insured
        assert panel.medical_total.text() == "累计缴费 6 个月（0.50 年）"
        assert panel.medical_minimum.text() == "本地区退休最低缴费年限未设置（shebao insured minimum）"
        assert panel.unemployment_total.text() == "计算缴费时间 6 个月（0.50 年）"
        assert panel.unemployment_benefit.text() == "不满1年，不能领取失业保险金"
        assert not panel.residents_table.isVisible()
        assert panel.residents_empty.isVisible() and panel.residents_empty.text() == "没有城乡居民保险缴费记录。"
        assert not panel.refund_note.isVisible()
    finally:
        _close(win)


def test_issue_the_medical_transfer_certificate_from_the_tab(ledger: Ledger, qtbot: Any) -> None:
    worker = _local(ledger)
    ledger.insured.carry(worker, "medical", "310115", "2005-01", "2014-12", SHANGHAI)  # 120 months
    for month in range(1, 13):
        ledger.contributions.record(worker, EMPLOYER, f"2025-{month:02d}", "6000")  # 12 months here
    win = MainWindow(ledger)
    qtbot.addWidget(win)
    win.show()
    try:
        qtbot.waitUntil(lambda: win.office is not None)
        open_by_search(win, qtbot, worker, "李四")
        page = win.page
        panel = page.insured
        qtbot.waitUntil(lambda: page.record is not None and page.record.medical is not None)
        press_shortcut(qtbot, win.search.box, Qt.Key.Key_6)
        button = panel.medical_certificate_button
        assert button.isVisible() and button.text() == "开具医保转移凭证"
        assert not panel.medical_moves.isVisible()
        button.click()
        qtbot.waitUntil(lambda: isinstance(win.active_dialog, MedicalCertificateDialog))
        dialog = win.active_dialog
        assert isinstance(dialog, MedicalCertificateDialog)
        assert dialog.fields["to_region"].label.text() == "转入地区(&R)"
        assert "10个工作日" in dialog.rule.text() and "5个工作日" in dialog.rule.text()
        save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
        # a Nanchang district is the office's own pooling region: refused, the dialog stays open
        qtbot.keyClicks(dialog.region, "360102")
        save.click()
        qtbot.waitUntil(lambda: dialog.fields["to_region"].error.text() != "")
        assert "同一医保统筹地区" in dialog.fields["to_region"].error.text() and dialog.isVisible()
        dialog.region.clear()
        qtbot.keyClicks(dialog.region, "110105")
        assert dialog.region_name.text() == "转入地：北京市朝阳区"
        qtbot.keyClicks(dialog.applied_on, "2026-09-28")
        save.click()
        qtbot.waitUntil(lambda: isinstance(win.active_dialog, DocumentPreviewDialog))
        preview = win.active_dialog
        assert isinstance(preview, DocumentPreviewDialog)
        issued = preview.issued
        assert issued.kind == "medical-certificate" and issued.number == "OFF01-YB2026000001"
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(issued.pdf)).pages)
        # 120 carried + 12 here = 132 months (11.00 years); 2026-09-28 + 10 working days over National Day
        assert "132 个月（11.00 年）" in text and "本地实际缴费月数： 12" in text and "2026-10-16" in text
        assert not dialog.isVisible()
        qtbot.waitUntil(lambda: panel.medical_moves.isVisible())
        assert panel.medical_moves.text() == (
            "已开具医保转移凭证 OFF01-YB2026000001，转往110105 北京市朝阳区：转出地办结时限2026-10-16，"
            "转入地收到后5个工作日内办结")
        assert [c.number for c in ledger.insured.medical_certificates(worker)] == ["OFF01-YB2026000001"]
    finally:
        _close(win)
