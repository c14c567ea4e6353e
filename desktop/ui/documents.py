"""Documents in the window: preview a PDF (QtPdf), print it with the system dialog, save it, and
print many statements at once with progress and cancel."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Signal
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from desktop.core.draft import Draft
from desktop.core.errors import ShebaoError
from desktop.core.ledger import Ledger
from desktop.core.outfile import write_whole
from desktop.core.services.documents import Issued
from desktop.ui import files
from desktop.ui.layout import error_label, hbox, short_message, vbox
from desktop.ui.operations import op, task_op
from desktop.ui.runner import Runner, Task

Issue = Callable[[], Issued]  # issues a previewed document (on the worker): numbered, signed, registered


class DocumentPreviewDialog(QDialog):
    """Shows a document as it will print; print, save as PDF, or close.

    Given an issued document, printing and saving use it as it is. Given a draft (a preview: no
    number, no code, nothing registered) and `issue`, the document is issued only when the clerk
    prints (after the print dialog is accepted) or saves (after a file name is chosen); the issued
    PDF, with its number and code, is then shown, printed or saved. Closing the preview issues nothing.
    """

    issued_now = Signal(object)  # the Issued document, once a draft was issued here

    def __init__(self, document: Issued | Draft, parent: QWidget | None = None, issue: Issue | None = None,
                 ledger: Ledger | None = None, runner: Runner | None = None) -> None:
        super().__init__(parent)
        self.issued: Issued | None = document if isinstance(document, Issued) else None
        self.draft: Draft | None = document if isinstance(document, Draft) else None
        if self.draft is not None and (issue is None or ledger is None):
            raise ValueError("a draft is previewed with the ledger and the call that issues it")
        self.issue, self.ledger, self.runner = issue, ledger, runner
        self.busy = False  # the document is being issued
        self._bytes = QByteArray()
        self._buffer: QBuffer | None = None
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.info = QLabel()
        self.info.setObjectName("preview_info")
        self.print_button = QPushButton(self.tr("打印(&P)…"))
        self.save_button = QPushButton(self.tr("另存为PDF(&S)…"))
        self.close_button = QPushButton(self.tr("关闭"))
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self._print)
        self.save_button.clicked.connect(self._save)
        self.close_button.clicked.connect(self.reject)
        self.setLayout(vbox(self.view, hbox(self.info, 1, self.print_button, self.save_button,
                                            self.close_button), margin=10))
        self._load(document.pdf)
        self._describe()
        self.resize(760, 900)

    def _load(self, pdf: bytes) -> None:
        """Show these PDF bytes."""
        self.document.close()
        self._bytes = QByteArray(pdf)
        old, self._buffer = self._buffer, QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        if old is not None:
            old.deleteLater()

    def _describe(self) -> None:
        """The title and the line under the pages: the number, or that this is an unnumbered preview."""
        issued = self.issued
        if issued is not None:
            self.setWindowTitle(self.tr("打印预览") + f" — {issued.number}"
                                + (self.tr("（副本）") if issued.copy else ""))
            self.info.setText(self.tr("共 %n 页", "", self.document.pageCount()) + "    "
                              + self.tr("验证码已打印在每页底部"))
            self.info.setStyleSheet("")
        else:
            self.setWindowTitle(self.tr("打印预览") + " — " + self.tr("预览稿，未编号"))
            self.info.setText(self.tr("共 %n 页", "", self.document.pageCount()) + "    "
                              + self.tr("预览稿未编号：打印或另存为PDF时才编号并生成验证码"))
            self.info.setStyleSheet("color: #8a5a00;")

    @property
    def pdf(self) -> bytes:
        """The PDF shown: the issued document once there is one, else the draft."""
        return self.issued.pdf if self.issued is not None else self.draft.pdf if self.draft is not None else b""

    def print_to(self, printer: QPrinter) -> int:
        """Draw every page shown on the printer at its resolution; returns the pages printed."""
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
        """Write the issued PDF exactly as issued, whole or not at all (InvalidInput: a place it cannot go)."""
        if self.issued is None:
            raise RuntimeError("a preview is saved with save_issued: it is issued first")
        write_whole(path, self.issued.pdf)

    def print_issued(self, printer: QPrinter) -> None:
        """Print on an accepted printer: a draft is issued first (on the worker), then the issued
        document is printed; an issued one is printed at once."""
        if self.issued is not None:
            self.print_to(printer)
            return
        self._issuing(self._issue_fn(None), lambda: self.print_to(printer))

    def save_issued(self, path: str | Path) -> None:
        """Save to a chosen file: a draft is issued and written in one unit of work (no file, no
        number); an issued one is written at once."""
        if self.issued is not None:
            try:
                self.save_to(path)
            except ShebaoError as err:
                self.show_error(err)
            return
        self._issuing(self._issue_fn(Path(path)), lambda: None)

    def _issue_fn(self, path: Path | None) -> Issue:
        """The call that issues the draft; when saving, the file is written in the same unit of
        work as the register entry (the target is checked before any number is taken)."""
        issue, ledger = self.issue, self.ledger
        assert issue is not None and ledger is not None

        def issue_into() -> Issued:
            with ledger.writing_file(path) as f:
                issued = issue()
                if path is not None:
                    f.write(issued.pdf)
            return issued

        return issue_into

    def _issuing(self, fn: Issue, then: Callable[[], Any]) -> None:
        if self.busy:
            return
        self.busy = True
        self._enable(False)
        self.info.setText(self.tr("正在出具…"))
        op(self, fn, self.runner, self.ledger).success(lambda issued: self._issued(issued, then)) \
            .failure(self._not_issued).run(initiator=self)

    def _issued(self, issued: Issued, then: Callable[[], Any]) -> None:
        """Show the issued document (its number and code), then print or say where it was saved."""
        self.busy = False
        self.issued = issued
        self._load(issued.pdf)
        self._describe()
        self._enable(True)
        then()
        self.issued_now.emit(issued)

    def _not_issued(self, error: BaseException) -> None:
        self.busy = False
        self._enable(True)
        self.show_error(error)

    def _enable(self, on: bool) -> None:
        for button in (self.print_button, self.save_button, self.close_button):
            button.setEnabled(on)

    def show_error(self, error: BaseException) -> None:
        """Say why the document could not be issued, printed or saved."""
        self.info.setText(short_message(error))
        self.info.setStyleSheet("color: #b00020;")

    def choose_printer(self) -> QPrinter | None:
        """The system print dialog: the printer chosen, or None when the clerk cancels."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.issued.number if self.issued is not None else self.tr("预览稿，未编号"))
        dialog = QPrintDialog(printer, self)
        return printer if dialog.exec() == QDialog.DialogCode.Accepted else None

    def _print(self) -> None:
        printer = self.choose_printer()
        if printer is not None:  # cancelled: nothing is issued
            self.print_issued(printer)

    def _save(self) -> None:
        name = f"{self.issued.number}.pdf" if self.issued is not None else f"{self.draft_name()}.pdf"
        path = files.save_file_name(self, self.tr("另存为PDF"), name, self.tr("PDF 文件 (*.pdf)"))
        if path:
            self.save_issued(path)

    def draft_name(self) -> str:
        """A file name for a draft before it has a number: its kind and the person."""
        draft = self.draft
        return f"{draft.kind}-{draft.worker}" if draft is not None else "document"


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
