"""Importing an employer's declaration from the window: progress, cancel, every bad row listed."""

from __future__ import annotations

import csv
import io
import threading
from pathlib import Path
from typing import Any

import pytest
from conftest import EMPLOYER
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from test_ui_support import patient_waits, private_settings, window

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
    qtbot.keyClick(window.search.box, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
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
    assert lines[0] == "行号,字段,错误原因"
    assert lines[1] == "3,姓名,姓名与登记的张三不符"
    assert lines[2].startswith("4,所属期,2026-1x不是有效月份")
    assert "错误清单已保存到" in dialog.summary.text()
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
    assert rows[0] == ["行号", "字段", "错误原因"]
    assert [r[:2] for r in rows[1:]] == [["2", "姓名"], ["3", "所属期"], ["4", "所属期"], ["5", "所属期"]]
    assert rows[2][2].startswith("'@SUM(A1)") and rows[3][2].startswith("'-1+1")
    assert rows[4][2].startswith("'=HYPERLINK(")
    for row in rows:
        assert all(not starts_like_formula(value) for value in row), row
    assert unquote(rows[4][2]).startswith('=HYPERLINK("http://x","y")')
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
