"""Documents in the window: preview a PDF (QtPdf), print it with the system dialog, save it, and
print many statements at once with progress and cancel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from desktop.core.errors import ShebaoError
from desktop.core.ledger import Ledger
from desktop.core.outfile import write_whole
from desktop.core.services.documents import Issued
from desktop.ui import files, i18n
from desktop.ui.layout import error_label, hbox, short_message, vbox
from desktop.ui.operations import task_op
from desktop.ui.runner import Runner, Task


class DocumentPreviewDialog(QDialog):
    """Shows an issued document as it will print; print, save as PDF, or close."""

    def __init__(self, issued: Issued, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.issued = issued
        self.setWindowTitle(self.tr("打印预览") + f" — {issued.number}" + (self.tr("（副本）") if issued.copy else ""))
        self._bytes = QByteArray(issued.pdf)
        self._buffer = QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.info = QLabel(self.tr("共 %n 页", "", self.document.pageCount()) + "    "
                           + self.tr("验证码已打印在每页底部"))
        self.print_button = QPushButton(self.tr("打印(&P)…"))
        self.save_button = QPushButton(self.tr("另存为PDF(&S)…"))
        self.close_button = QPushButton(self.tr("关闭"))
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self._print)
        self.save_button.clicked.connect(self._save)
        self.close_button.clicked.connect(self.reject)
        self.setLayout(vbox(self.view, hbox(self.info, 1, self.print_button, self.save_button,
                                            self.close_button), margin=10))
        self.resize(760, 900)

    def print_to(self, printer: QPrinter) -> int:
        """Draw every page on the printer at its resolution; returns the pages printed."""
        painter = QPainter()
        if not painter.begin(printer):
            return 0
        try:
            for page in range(self.document.pageCount()):
                if page:
                    printer.newPage()
                rect = painter.viewport()
                size = self.document.pagePointSize(page).toSize()
                scale = min(rect.width() / max(1, size.width()), rect.height() / max(1, size.height()))
                target = QSize(int(size.width() * scale), int(size.height() * scale))
                image = self.document.render(page, target)
                painter.drawImage(0, 0, image)
        finally:
            painter.end()
        return self.document.pageCount()

    def save_to(self, path: str | Path) -> None:
        """Write the PDF exactly as issued, whole or not at all (InvalidInput: a place it cannot go)."""
        write_whole(path, self.issued.pdf)

    def _print(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.issued.number)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def _save(self) -> None:
        path = files.save_file_name(self, self.tr("另存为PDF"), f"{self.issued.number}.pdf",
                                    self.tr("PDF 文件 (*.pdf)"))
        if path:
            try:
                self.save_to(path)
            except ShebaoError as err:
                QMessageBox.warning(self, self.tr("另存为PDF"), i18n.message(err))


class BatchPrintDialog(QDialog):
    """Issue a statement for many people into a folder, with progress and cancel."""

    def __init__(self, ledger: Ledger, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger, self.runner = ledger, runner
        self.setWindowTitle(self.tr("批量打印参保缴费证明"))
        self.everyone = QCheckBox(self.tr("全部参保人(&A)"))
        self.keys = QPlainTextEdit()
        self.keys.setPlaceholderText(self.tr("每行一个身份证号码或社会保障号码"))
        self.folder = QLineEdit(str(Path.home() / "shebao-print"))
        browse = QPushButton(self.tr("选择(&B)…"))
        browse.clicked.connect(self._browse)
        self.start = QPushButton(self.tr("开始(&S)"))
        self.start.setDefault(True)
        self.start.clicked.connect(self.run_batch)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.reject)
        self.error = error_label()
        self.result_label = QLabel()
        self.everyone.toggled.connect(lambda on: self.keys.setEnabled(not on))
        self.setLayout(vbox(self.everyone, self.keys, hbox(QLabel(self.tr("保存到：")), self.folder, browse),
                            self.error, self.result_label, hbox(1, self.start, close), margin=10))
        self.written: list[Path] = []
        self.resize(520, 420)

    def _browse(self) -> None:
        path = files.existing_directory(self, self.tr("保存到"), self.folder.text())
        if path:
            self.folder.setText(path)

    def run_batch(self) -> None:
        """Issue the statements on the runner; the progress dialog offers cancel."""
        self.error.clear()
        folder = Path(self.folder.text().strip())
        typed = [k.strip() for k in self.keys.toPlainText().splitlines() if k.strip()]
        everyone = self.everyone.isChecked()
        if not everyone and not typed:
            self.error.setText(self.tr("请填写参保人，或选择全部参保人"))
            return
        self.start.setEnabled(False)

        def work(task: Task) -> list[Path]:
            keys = self.ledger.workers.all_keys() if everyone else typed
            return self.ledger.documents.batch("statement", keys, folder, progress=task.progress)

        task_op(self, work, self.tr("正在打印参保缴费证明…"), runner=self.runner, ledger=self.ledger) \
            .success(self._done).failure(self._not_done).run(initiator=self)

    def _not_done(self, error: BaseException) -> None:
        self.start.setEnabled(True)
        self.error.setText(short_message(error))

    def _done(self, result: list[Path]) -> None:
        self.start.setEnabled(True)
        self.written = list(result)
        self.result_label.setText(self.tr("已生成 %n 份，保存在 ", "", len(self.written)) + self.folder.text())
