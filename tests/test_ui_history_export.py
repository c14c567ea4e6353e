"""The person page's months grid saved as an Excel workbook: the file read back equals the grid."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import EMPLOYER
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from test_ui_support import open_by_search, patient_waits, private_settings, window

from desktop.core.ledger import Ledger
from desktop.ui import files, i18n
from desktop.ui.history_model import HistoryExport
from desktop.ui.window import MainWindow

__all__ = ["patient_waits", "private_settings", "window"]


def _shown(value: object) -> str:
    """A cell of the workbook as the grid writes it."""
    if value is None:
        return ""
    if isinstance(value, int | float):
        return f"{value:,.2f}"
    return str(value)


def test_the_months_grid_exported_to_xlsx_equals_the_grid(
        window: MainWindow, ledger: Ledger, person: str, qtbot: Any, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    for month in ("2024-01", "2024-02", "2026-10"):
        ledger.contributions.record(person, EMPLOYER, month, "7000")
    ledger.contributions.record(person, EMPLOYER, "2026-09", "7000.55")
    ledger.contributions.record(person, EMPLOYER, "2026-11", "7000", arrears=True)
    open_by_search(window, qtbot, "zs", "张三")
    page = window.page
    page.tabs.setCurrentIndex(1)
    bar = page.findChild(HistoryExport)
    assert isinstance(bar, HistoryExport)
    assert bar.button.isVisible() and bar.button.isEnabled()
    assert bar.button.text() == "导出Excel(&E)…"
    model = page.history_model
    target = tmp_path / "张三缴费明细.xlsx"
    monkeypatch.setattr(files, "save_file_name", lambda *a, **k: str(target))
    bar.button.click()
    qtbot.waitUntil(lambda: bar.note.text().startswith("已导出"))
    assert bar.note.text() == f"已导出 5 个月到 {target}"
    assert i18n.settings().value("export/folder") == str(tmp_path)
    qtbot.waitUntil(lambda: model.loaded_rows() == 5)
    grid = [[str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(model.columnCount())]]
    grid += [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]
    book = load_workbook(target)
    sheet = book.active
    assert sheet is not None and sheet.title == "缴费明细"
    cells = [[_shown(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    cells[0] = [str(v) for v in next(sheet.iter_rows(values_only=True))]
    assert cells == grid
    assert grid[0] == ["所属期", "用人单位", "缴费基数", "养老", "医疗", "失业", "工伤", "状态"]
    assert grid[1][0] == "2026-11" and grid[1][-1] == "欠缴"
    assert grid[2][:4] == ["2026-10", "南昌赣江机械制造有限公司", "7,000.00", "1,680.00"]
    assert grid[3][3] == "1,680.13"  # 16% and 8% of 7,000.55, each to the fen
    assert [row[-1] for row in grid[1:]] == ["欠缴", "正常", "补缴", "补缴", "补缴"]  # 2026-09 recorded late
    assert sheet["C3"].number_format == "#,##0.00" and sheet["D3"].data_type == "n"
    assert sheet.freeze_panes == "A2"
    looks = [(v.actor, v.what, v.detail) for v in ledger.views.search()]  # open mode: no account
    assert looks == [("-", "export", "history xlsx"), ("-", "view", "person page")]


def test_export_is_off_without_months(window: MainWindow, person: str, qtbot: Any) -> None:
    open_by_search(window, qtbot, "zs", "张三")
    bar = window.page.findChild(HistoryExport)
    assert isinstance(bar, HistoryExport)
    assert not bar.button.isEnabled()
