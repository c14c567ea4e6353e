"""帮助 > 系统检查 and 关于 in the window: the doctor's checks on the open ledger's own engine."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QApplication, QMessageBox
from test_ui_support import patient_waits, private_settings, window

from desktop import __version__
from desktop.core.store.engine import SCHEMA_REVISION
from desktop.ui.doctor_dialog import AboutBox, DoctorDialog
from desktop.ui.window import MainWindow

__all__ = ["patient_waits", "private_settings", "window"]


def test_the_installation_check_lists_every_check_with_its_fix(window: MainWindow, qtbot: Any) -> None:
    assert window.help_menu.title() == "帮助(&H)"
    assert [a.objectName() for a in window.help_menu.actions()] == ["doctor", "about"]
    window.doctor_action.trigger()
    dialog = window.active_dialog
    assert isinstance(dialog, DoctorDialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() > 0)
    rows = {dialog.table.item(r, 0).text(): (dialog.table.item(r, 1).text(), dialog.table.item(r, 3).text())
            for r in range(dialog.table.rowCount())}
    assert set(rows) == {"数据文件", "表单", "字体", "打印机", "磁盘空间", "数据库", "结构版本", "密钥", "备份", "时钟"}
    assert rows["数据库"] == ("正常", "") and rows["结构版本"] == ("正常", "") and rows["密钥"] == ("正常", "")
    assert rows["备份"][0] == "注意" and "shebao backup --daily" in rows["备份"][1]
    assert dialog.summary.text().endswith("处需注意")
    window.set_language("en")
    qtbot.waitUntil(lambda: dialog.table.horizontalHeaderItem(3).text() == "What to do")
    assert dialog.table.item(0, 0).text() == "data files" and dialog.windowTitle() == "Installation check"
    window.set_language("zh")
    qtbot.waitUntil(lambda: dialog.table.item(0, 0).text() == "数据文件")
    dialog.close()


def test_the_about_box_names_the_version_and_schema(window: MainWindow, qtbot: Any) -> None:
    window.about_action.trigger()
    box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, AboutBox) and w.isVisible())
    assert __version__ in box.text() and SCHEMA_REVISION in box.text()
    box.button(QMessageBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: not box.isVisible())
