"""Previewing, printing, saving and batch printing documents in the window."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from conftest import EMPLOYER
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter

from desktop.core.ledger import Ledger
from desktop.ui.documents import BatchPrintDialog, DocumentPreviewDialog
from desktop.ui.runner import Runner


def test_preview_print_and_save(ledger: Ledger, person: str, qtbot: object, tmp_path: Path) -> None:
    ledger.contributions.record(person, EMPLOYER, "2026-10", "6000")
    issued = ledger.documents.issue("statement", person)
    dialog = DocumentPreviewDialog(issued)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.show()
    assert dialog.document.pageCount() == 1
    assert issued.number in dialog.windowTitle()
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert dialog.print_to(printer) == 1
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == 1
    dialog.save_to(tmp_path / "saved.pdf")
    assert (tmp_path / "saved.pdf").read_bytes() == issued.pdf
    copy = DocumentPreviewDialog(ledger.documents.reprint(issued.number))
    qtbot.addWidget(copy)  # type: ignore[attr-defined]
    assert "副本" in copy.windowTitle()


def test_batch_print_everyone(ledger: Ledger, person: str, qtbot: object, tmp_path: Path) -> None:
    ledger.workers.register_citizen("360102196503041013", "李四", "360102", "urban")
    runner = Runner()
    dialog = BatchPrintDialog(ledger, runner)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.folder.setText(str(tmp_path / "batch"))
    dialog.run_batch()
    assert "请填写" in dialog.error.text()
    dialog.everyone.setChecked(True)
    dialog.run_batch()
    assert not dialog.start.isEnabled()  # until the batch is over, with or without an error
    qtbot.waitUntil(dialog.start.isEnabled, timeout=20000)  # type: ignore[attr-defined]
    assert dialog.error.text() == ""
    assert len(dialog.written) == 2
    assert sorted(p.name for p in (tmp_path / "batch").iterdir()) == sorted(p.name for p in dialog.written)
    assert "2" in dialog.result_label.text()
    runner.wait()
