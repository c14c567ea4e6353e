"""系统检查 (the installation check) in the window: the same checks as `shebao doctor`, run on the
open ledger's own engine (a second connection to the SQLite file would cost this process its locks
when it closed), with the printers Qt sees; each problem with its fix. And the About box."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from desktop import __version__
from desktop.core.doctor import OK, PROBLEM, WARNING, Finding, examine, worst
from desktop.core.ledger import Ledger
from desktop.core.messages import render
from desktop.core.store.engine import SCHEMA_REVISION
from desktop.ui import i18n
from desktop.ui.layout import Retranslating, hbox, heading, vbox
from desktop.ui.operations import query
from desktop.ui.runner import Runner

COLOURS = {OK: "#1b5e20", WARNING: "#8a5a00", PROBLEM: "#b00020"}


def printer_names() -> list[str]:
    """The printers Qt sees (on the GUI thread)."""
    return [str(name) for name in QPrinterInfo.availablePrinterNames()]


class DoctorDialog(Retranslating, QDialog):
    """A table of the checks: 检查项, 结果, 说明, 处理办法; 重新检查 runs them again."""

    def __init__(self, ledger: Ledger, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("doctor_dialog")
        self.ledger, self.runner = ledger, runner
        self.findings: list[Finding] = []
        self.title = heading(3)
        self.summary = QLabel()
        self.summary.setObjectName("doctor_summary")
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("doctor_table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.again_button = QPushButton()
        self.again_button.setObjectName("doctor_again")
        self.again_button.clicked.connect(self.run_checks)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.accept)
        self.setLayout(vbox(self.title, self.summary, self.table,
                            hbox(1, self.again_button, self.close_button), margin=16))
        self.resize(980, 480)
        self.retranslate()
        self.run_checks()

    def retranslate(self) -> None:
        """Texts in the interface language; the findings are shown again in it."""
        self.setWindowTitle(self.tr("系统检查"))
        self.title.setText(self.tr("系统检查"))
        self.table.setHorizontalHeaderLabels([self.tr("检查项"), self.tr("结果"), self.tr("说明"),
                                              self.tr("处理办法")])
        self.again_button.setText(self.tr("重新检查(&R)"))
        self.close_button.setText(self.tr("关闭"))
        self.show_findings(self.findings)

    def run_checks(self) -> None:
        """Run every check on the runner (the printers are asked here, on the GUI thread)."""
        names = printer_names()
        ledger = self.ledger
        self.again_button.setEnabled(False)
        self.summary.setText(self.tr("正在检查…"))
        query(self, lambda: examine(None, ledger.now(), lambda: names, ledger.engine), self.runner) \
            .success(self._checked).run()

    def _checked(self, findings: Any) -> None:
        self.again_button.setEnabled(True)
        self.show_findings(list(findings))

    def show_findings(self, findings: list[Finding]) -> None:
        """Fill the table."""
        self.findings = findings
        if not findings:
            return
        lang = i18n.lang()
        self.table.setRowCount(len(findings))
        for row, f in enumerate(findings):
            level = render(f"doctor.level.{f.level}", lang)  # the same words as `shebao doctor`
            cells = (f.label(lang), level, f.detail(lang), f.remedy(lang) if f.level != OK else "")
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if col == 1:
                    item.setForeground(QBrush(QColor(COLOURS[f.level])))
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, col, item)
        self.table.resizeRowsToContents()
        state = worst(findings)
        problems = sum(f.level == PROBLEM for f in findings)
        warnings = sum(f.level == WARNING for f in findings)
        self.summary.setStyleSheet(f"color: {COLOURS[state]};")
        self.summary.setText(self.tr("一切正常") if state == OK else
                             self.tr("{problems} 个问题，{warnings} 处需注意").format(
                                 problems=problems, warnings=warnings))


class AboutBox(QMessageBox):
    """The About box: the program, its version and its database schema (opened, not run modally)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("about_box")
        self.setIcon(QMessageBox.Icon.Information)
        self.setWindowTitle(self.tr("关于社保经办桌面"))
        self.setText(self.tr("<b>社保经办桌面 Shebao Desk</b><br>版本 {version}（数据库结构 {schema}）<br>"
                             "社会保险经办机构离线桌面程序").format(version=__version__, schema=SCHEMA_REVISION))
        self.setStandardButtons(QMessageBox.StandardButton.Ok)
