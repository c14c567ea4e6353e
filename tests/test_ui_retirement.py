"""The person page's retirement tab: the day, the minimum, the estimate with its scenarios and chart;
the clerk changes an assumption and prints the estimate sheet."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from test_pension import wang
from test_transfer_chain import pdf_text
from test_ui_support import open_by_search, patient_waits, press_shortcut, private_settings, window

from desktop.core.ledger import Ledger
from desktop.ui.documents import DocumentPreviewDialog
from desktop.ui.window import MainWindow

__all__ = ["patient_waits", "private_settings", "wang", "window"]


def test_a_clerk_reads_the_retirement_tab_changes_an_assumption_and_prints(
        window: MainWindow, ledger: Ledger, wang: str, qtbot: Any, tmp_path: Path) -> None:
    open_by_search(window, qtbot, wang, "王建国")
    page = window.page
    press_shortcut(qtbot, window, Qt.Key.Key_7)
    assert page.tabs.currentIndex() == 6 and page.tabs.tabText(6) == "退休"
    panel = page.retirement
    # born 1967-05-10: 28 birth months after 1965-01 -> 28 // 4 + 1 = 8 months: 60 and 8 months
    assert panel.day.text().startswith("法定退休日期：2028-01-10（60岁8个月，60岁退休年龄类别），未到达")
    # 156 deemed + 34 paid = 190 months, the 2028 minimum is still 15 years
    assert "2028年退休的最低缴费年限 15年0个月（180个月）；已有 190 个月，已满足" in panel.minimum.text()
    qtbot.waitUntil(lambda: panel.estimate is not None)
    first = panel.estimate
    assert panel.scenarios.rowCount() == 6
    names = [panel.scenarios.item(r, 0).text() for r in range(6)]
    assert names[:3] == ["在本地继续缴费", "转往外省继续缴费", "现在停止缴费"]
    assert panel.chart.paths and "测算，仅供参考" in panel.summary.text()
    # the defaults are shown; a higher base ratio gives a larger account pension
    assert panel.ratio.value() == float(first.base_ratio)
    panel.ratio.setFocus()
    panel.ratio.selectAll()
    qtbot.keyClicks(panel.ratio, "3")
    qtbot.keyClick(panel.ratio, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.estimate is not first and panel.estimate.base_ratio == Decimal("3.00"))
    assert panel.estimate.account_pension > first.account_pension
    assert panel.grab().save(str(tmp_path / "retirement_tab.png"))
    panel.print_button.click()
    qtbot.waitUntil(lambda: isinstance(window.last_preview, DocumentPreviewDialog))
    sheet = window.last_preview
    assert isinstance(sheet, DocumentPreviewDialog) and "未编号" in sheet.windowTitle()
    assert "预览 — 未编号" in pdf_text(sheet.pdf) and ledger.documents.list_for(wang) == []
    sheet.save_issued(tmp_path / "estimate.pdf")  # the number is taken when it is saved (or printed)
    qtbot.waitUntil(lambda: sheet.issued is not None)
    assert sheet.issued is not None and "CS2026" in sheet.windowTitle()
    assert "已出具养老金测算表" in window.status.text()
    # the sheet states the assumption the clerk set and the total shown, and its code verifies
    text = "".join(pdf_text(sheet.issued.pdf).split())
    assert "今后缴费基数为社会平均工资的300%" in text
    assert f"{panel.estimate.total:,.2f}".replace(",", "") in text.replace(",", "")
    verdict = ledger.documents.verify(sheet.issued.code)
    assert verdict.valid and verdict.kind == "pension-estimate" and verdict.number == sheet.issued.number
    sheet.close()
