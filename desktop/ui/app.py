"""The counter window: find a person as you type, see their record. Chinese first, keyboard first."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.cli import human, statement_json
from desktop.core.errors import ShebaoError
from desktop.core.ledger import Ledger
from desktop.ui.runner import Runner


class MainWindow(QMainWindow):
    """Search box with focus, results list, and the chosen person's contribution record."""

    def __init__(self, ledger: Ledger) -> None:
        super().__init__()
        self.ledger = ledger
        self.runner = Runner(self)
        self._query_serial = 0
        office = ledger.office.get()
        self.setWindowTitle(self.tr("社保经办桌面") + f" — {office.name}（{office.region_name}）")
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("身份证号码、姓名或拼音首字母，回车打开"))
        self.search.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.status = QLabel(self.tr("就绪"))
        left = QWidget()
        lay = QVBoxLayout(left)
        lay.addWidget(QLabel(self.tr("查找参保人")))
        lay.addWidget(self.search)
        lay.addWidget(self.results)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.detail)
        split.setStretchFactor(1, 2)
        central = QWidget()
        root = QVBoxLayout(central)
        root.addWidget(split, 1)
        bar = QHBoxLayout()
        bar.addWidget(self.status)
        root.addLayout(bar)
        self.setCentralWidget(central)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(120)
        self._debounce.timeout.connect(self._run_search)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self._open_first)
        self.results.itemActivated.connect(self._open_item)
        QShortcut(QKeySequence("Ctrl+F"), self, activated=self.focus_search)
        QShortcut(QKeySequence("Escape"), self, activated=self.focus_search)
        settings = QSettings("ShebaoDesk", "ShebaoDesk")
        geometry = settings.value("main/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1000, 640)
        self.focus_search()

    def focus_search(self) -> None:
        """Put the cursor in the search box, text selected, ready for the next person."""
        self.search.setFocus()
        self.search.selectAll()

    def _run_search(self) -> None:
        text = self.search.text()
        self._query_serial += 1
        serial = self._query_serial
        self.runner.run(lambda: self.ledger.workers.find(text, 50),
                        lambda result, error: self._show_results(serial, result, error))

    def _show_results(self, serial: int, result: Any, error: BaseException | None) -> None:
        if serial != self._query_serial:
            return  # an older keystroke's answer
        if error is not None:
            self._show_error(error)
            return
        self.results.clear()
        for w in result:
            item = QListWidgetItem(f"{w.name}    {w.key}    {w.birth_date.isoformat()}")
            item.setData(Qt.ItemDataRole.UserRole, w.key)
            self.results.addItem(item)
        self.status.setText(self.tr("找到 %n 人", "", len(result)))
        if result:
            self.results.setCurrentRow(0)

    def _open_first(self) -> None:
        if self._debounce.isActive():
            self._debounce.stop()
            self._run_search()
            QTimer.singleShot(150, self._open_first)
            return
        item = self.results.currentItem() or self.results.item(0)
        if item is not None:
            self._open_item(item)

    def _open_item(self, item: QListWidgetItem) -> None:
        key = item.data(Qt.ItemDataRole.UserRole)
        self.runner.run(lambda: self.ledger.accounts.statement(key), self._show_statement)

    def _show_statement(self, result: Any, error: BaseException | None) -> None:
        if error is not None:
            self._show_error(error)
            return
        self.detail.setPlainText(human(statement_json(result), "zh"))
        self.status.setText(self.tr("已打开 ") + result.worker.name)
        self.focus_search()

    def _show_error(self, error: BaseException) -> None:
        message = error.message("zh") if isinstance(error, ShebaoError) else str(error)
        QMessageBox.warning(self, self.tr("无法完成"), message)

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        self.runner.wait()
        QSettings("ShebaoDesk", "ShebaoDesk").setValue("main/geometry", self.saveGeometry())
        super().closeEvent(event)


def main(argv: list[str] | None = None) -> int:
    """Open the window on the office database (--db, SHEBAO_DB or the default)."""
    parser = argparse.ArgumentParser(prog="python -m desktop")
    parser.add_argument("--db")
    args, qt_args = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    app.setFont(QFont(["Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans CJK SC"], 11))
    try:
        ledger = Ledger.open(args.db)
        window = MainWindow(ledger)
    except ShebaoError as err:
        QMessageBox.critical(None, "社保经办桌面", err.message("zh"))
        return err.exit_code
    window.show()
    return int(app.exec())
