"""Importing an employer's declaration from the window: progress, cancel, every bad row listed."""

from __future__ import annotations

import csv
import io
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import xlwt
from conftest import EMPLOYER
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from test_ui_support import patient_waits, press_shortcut, private_settings, window

from desktop.core.csvsafe import starts_like_formula, unquote
from desktop.core.ledger import Ledger
from desktop.ui import files, i18n
from desktop.ui.import_dialog import ImportDialog
from desktop.ui.window import MainWindow

__all__ = ["patient_waits", "private_settings", "window"]

HEADER = "统一社会信用代码,身份证号码,姓名,所属期,缴费工资"


def declaration(folder: Path, *rows: str) -> Path:
    """A declaration CSV as a spreadsheet program saves it (UTF-8 with BOM)."""
    path = folder / "decl.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8-sig")
    return path


def test_import_a_declaration_with_a_bad_row_and_see_it_listed(
        window: MainWindow, ledger: Ledger, person: str, qtbot: Any, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = declaration(tmp_path, f"{EMPLOYER},{person},张三,2026-09,7000",
                       f"{EMPLOYER},{person},李四,2026-10,7000",
                       f"{EMPLOYER},{person},张三,2026-1x,7000")
    monkeypatch.setattr(files, "open_file_name", lambda *a, **k: str(path))
    press_shortcut(qtbot, window.search.box, Qt.Key.Key_I)
    qtbot.waitUntil(lambda: isinstance(window.active_dialog, ImportDialog))
    dialog = window.active_dialog
    assert isinstance(dialog, ImportDialog)
    qtbot.waitUntil(lambda: not dialog.running)
    assert dialog.summary.text() == "申报文件有2行错误，全部未导入"
    model = dialog.problems
    assert model.rowCount() == 2
    assert [model.index(0, c).data() for c in range(3)] == ["3", "姓名", "姓名与登记的张三不符"]
    assert [model.index(1, c).data() for c in range(2)] == ["4", "所属期"]
    assert dialog.table.isVisible() and dialog.save_button.isVisible()
    assert ledger.history.month_keys(person)[1] == []
    target = tmp_path / "错误清单.csv"
    monkeypatch.setattr(files, "save_file_name", lambda *a, **k: str(target))
    dialog.save_button.click()
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == "原行号,统一社会信用代码,身份证号码,姓名,所属期,缴费工资,错误原因"
    assert lines[1] == f"3,{EMPLOYER},{person},李四,2026-10,7000,姓名：姓名与登记的张三不符"
    assert lines[2].startswith(f"4,{EMPLOYER},{person},张三,2026-1x,7000,所属期：2026-1x不是有效月份")
    assert dialog.summary.text() == "申报文件有2行错误，全部未导入"  # the key message stays
    assert dialog.note.text() == f"错误清单（2 行）已保存到 {target}"
    assert dialog.note.isVisible() and dialog.summary.isVisible()
    assert i18n.settings().value("import/folder") == str(tmp_path)


def test_saved_bad_rows_never_start_like_a_formula(
        window: MainWindow, ledger: Ledger, person: str, qtbot: Any, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = declaration(tmp_path, f"{EMPLOYER},{person},=1+1,2026-09,7000",
                       f"{EMPLOYER},{person},张三,@SUM(A1),7000",
                       f"{EMPLOYER},{person},张三,-1+1,7000",
                       f'{EMPLOYER},{person},张三,"=HYPERLINK(""http://x"",""y"")",7000')
    dialog = window.import_declaration(path)
    assert isinstance(dialog, ImportDialog)
    qtbot.waitUntil(lambda: not dialog.running)
    assert dialog.summary.text() == "申报文件有4行错误，全部未导入"
    assert [dialog.problems.index(0, c).data() for c in range(3)] == [
        "2", "姓名", "不能以 = + - @ 开头（电子表格程序会当作公式执行）"]
    target = tmp_path / "错误清单.csv"
    monkeypatch.setattr(files, "save_file_name", lambda *a, **k: str(target))
    dialog.save_button.click()
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"), newline="")))
    assert rows[0] == ["原行号", "统一社会信用代码", "身份证号码", "姓名", "所属期", "缴费工资", "错误原因"]
    assert [r[0] for r in rows[1:]] == ["2", "3", "4", "5"]
    assert [r[6].split("：")[0] for r in rows[1:]] == ["姓名", "所属期", "所属期", "所属期"]
    assert rows[1][3] == "'=1+1" and rows[2][4] == "'@SUM(A1)" and rows[3][4] == "'-1+1"
    assert rows[4][4] == "'=HYPERLINK(\"http://x\",\"y\")"
    for row in rows:
        assert all(not starts_like_formula(value) for value in row), row
    assert unquote(rows[4][4]) == '=HYPERLINK("http://x","y")'
    assert rows[4][6].startswith('所属期：=HYPERLINK("http://x","y")')
    dialog.reject()
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_a_good_declaration_is_recorded_and_summarised(
        window: MainWindow, ledger: Ledger, person: str, qtbot: Any, tmp_path: Path) -> None:
    path = declaration(tmp_path, f"{EMPLOYER},{person},张三,2026-09,7000",
                       f"{EMPLOYER},{person},张三,2026-10,7000")
    dialog = window.import_declaration(path)
    assert isinstance(dialog, ImportDialog)
    qtbot.waitUntil(lambda: not dialog.running)
    assert dialog.summary.text().startswith("已导入 2 行：新记录 2 人月（8 条险种明细）")
    assert not dialog.table.isVisible()
    assert dialog.totals_table.isVisible()
    totals = dialog.totals
    assert [totals.headerData(c, Qt.Orientation.Horizontal) for c in range(4)] == [
        "险种", "单位缴费", "个人缴费", "合计"]
    shown = [[totals.index(r, c).data() for c in range(4)] for r in range(totals.rowCount())]
    assert shown[0] == ["职工基本养老保险", "2,240.00", "1,120.00", "3,360.00"]  # 16% and 8% of 7,000, two months
    assert [r[0] for r in shown] == ["职工基本养老保险", "职工基本医疗保险", "失业保险", "工伤保险", "合计"]
    assert shown[-1][3] == f"{sum(Decimal(r[3].replace(',', '')) for r in shown[:-1]):,.2f}"
    assert ledger.history.month_keys(person)[1] == [(202610, 1), (202609, 1)]
    dialog.reject()
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_a_slow_import_shows_progress_and_can_be_cancelled(
        window: MainWindow, ledger: Ledger, person: str, qtbot: Any, tmp_path: Path,
        request: pytest.FixtureRequest) -> None:
    path = declaration(tmp_path, f"{EMPLOYER},{person},张三,2026-09,7000")
    gate = threading.Event()
    request.addfinalizer(gate.set)
    window.runner.run(lambda: gate.wait(10))  # the database is busy with something else
    window.runner.dialog_delay_ms = 200
    dialog = window.import_declaration(path)
    assert isinstance(dialog, ImportDialog)
    assert window.runner.active_task is not None
    assert window.runner.active_dialog is None  # nothing shown before half a second or so
    qtbot.waitUntil(lambda: window.runner.active_dialog is not None)
    progress = window.runner.active_dialog
    assert progress is not None and progress.isVisible()
    assert progress.labelText() == "正在导入 decl.csv…"
    dialog.reject()
    assert dialog.isVisible()  # not while it runs
    cancel = progress.findChild(QPushButton)
    assert cancel.text() == "取消"
    cancel.click()
    assert progress.labelText() == "正在取消…"
    gate.set()
    qtbot.waitUntil(lambda: not dialog.running)
    assert dialog.summary.text() == "已取消导入，未写入任何数据"
    assert window.runner.active_dialog is None
    assert ledger.history.month_keys(person)[1] == []


def test_the_template_saved_from_the_dialog_filled_imports(
        window: MainWindow, ledger: Ledger, person: str, qtbot: Any, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = declaration(tmp_path, f"{EMPLOYER},{person},张三,2026-1x,7000")
    dialog = window.import_declaration(path)
    assert isinstance(dialog, ImportDialog)
    qtbot.waitUntil(lambda: not dialog.running)
    assert dialog.template_button.text() == "保存模板(&T)…" and dialog.template_button.isVisible()
    template = tmp_path / "模板.xlsx"
    monkeypatch.setattr(files, "save_file_name", lambda *a, **k: str(template))
    dialog.template_button.click()
    assert dialog.note.text() == f"申报模板已保存到 {template}"
    assert dialog.summary.text() == "申报文件有1行错误，全部未导入"
    book = load_workbook(template)
    assert book.sheetnames == ["申报", "填写说明"]
    book["申报"]["A4"], book["申报"]["B4"] = EMPLOYER, person
    book["申报"]["C4"], book["申报"]["D4"], book["申报"]["E4"] = "张三", "2026-09", 7000
    book.save(template)
    dialog.reject()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    again = window.import_declaration(template)
    assert isinstance(again, ImportDialog)
    qtbot.waitUntil(lambda: not again.running)
    assert again.summary.text().startswith("已导入 1 行：新记录 1 人月")
    assert ledger.history.month_keys(person)[1] == [(202609, 1)]
    csv_template = tmp_path / "模板.csv"
    monkeypatch.setattr(files, "save_file_name", lambda *a, **k: str(csv_template))
    again.template_button.click()
    assert csv_template.read_text(encoding="utf-8-sig").splitlines()[0] == HEADER
    again.reject()
    qtbot.waitUntil(lambda: not again.isVisible())


def test_an_xls_declaration_from_the_window_and_its_error_list_as_a_workbook(
        window: MainWindow, ledger: Ledger, person: str, qtbot: Any, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("申报")
    for r, row in enumerate([HEADER.split(","), [EMPLOYER, person, "张三", "2026-09", 7000],
                             [EMPLOYER, person, "张三", "2026-10", "7千"]]):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    path = tmp_path / "decl.xls"
    book.save(str(path))
    dialog = window.import_declaration(path)
    assert isinstance(dialog, ImportDialog)
    qtbot.waitUntil(lambda: not dialog.running)
    assert dialog.summary.text() == "申报文件有1行错误，全部未导入"
    chosen: list[tuple[Any, ...]] = []
    target = tmp_path / "错误清单.xlsx"

    def save_file_name(*args: Any, **kwargs: Any) -> str:
        chosen.append(args)
        return str(target)

    monkeypatch.setattr(files, "save_file_name", save_file_name)
    dialog.save_button.click()
    assert Path(chosen[0][2]).name == "decl-错误清单.xlsx"  # a workbook's list is a workbook
    assert chosen[0][3].startswith("Excel 工作簿 (*.xlsx)")
    rows = [[c.value for c in row] for row in load_workbook(target).active.iter_rows()]  # type: ignore[union-attr]
    assert rows[0] == ["原行号", *HEADER.split(","), "错误原因"]
    assert rows[1][:6] == [3, EMPLOYER, person, "张三", "2026-10", "7千"]
    assert rows[1][6].startswith("缴费工资：")
    assert dialog.summary.text() == "申报文件有1行错误，全部未导入"
    dialog.reject()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    damaged = tmp_path / "damaged.xls"
    damaged.write_bytes(path.read_bytes()[:300])
    bad = window.import_declaration(damaged)
    assert isinstance(bad, ImportDialog)
    qtbot.waitUntil(lambda: not bad.running)
    assert bad.summary.text() == "文件：已损坏，或不是Excel 97-2003工作簿（.xls），无法读取"
    bad.reject()
    qtbot.waitUntil(lambda: not bad.isVisible())
    assert ledger.history.month_keys(person)[1] == []
