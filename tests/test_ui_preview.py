"""Previewing a document in the window takes no number: the statement (Ctrl+P) and the pension
estimate are drafts until the clerk prints or saves them; then exactly one document is registered,
and the file printed or saved is the issued one, which verifies."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import EMPLOYER
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from test_document_drafts import pdf_text
from test_ui_support import open_by_search, patient_waits, private_settings, window

from desktop.core.ledger import Ledger
from desktop.ui import documents
from desktop.ui.documents import DocumentPreviewDialog
from desktop.ui.window import MainWindow

__all__ = ["patient_waits", "private_settings", "window"]

FIRST = "OFF01-ZM2026000001"


def _preview(window: MainWindow, ledger: Ledger, person: str, qtbot: Any) -> DocumentPreviewDialog:
    ledger.contributions.record(person, EMPLOYER, "2026-10", "8000")
    open_by_search(window, qtbot, "zs", "张三")
    window.print_statement()
    qtbot.waitUntil(lambda: isinstance(window.last_preview, DocumentPreviewDialog))
    preview = window.last_preview
    assert isinstance(preview, DocumentPreviewDialog)
    qtbot.waitUntil(lambda: not window.runner.busy)
    return preview


def _pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def test_the_preview_takes_no_number_and_printing_issues_one(
        window: MainWindow, ledger: Ledger, person: str, qtbot: Any, tmp_path: Path) -> None:
    preview = _preview(window, ledger, person, qtbot)
    assert preview.issued is None and preview.draft is not None
    assert preview.windowTitle() == "打印预览 — 预览稿，未编号"
    assert "打印或另存为PDF时才编号" in preview.info.text()
    assert "编号：预览 — 未编号" in pdf_text(preview.pdf)
    assert ledger.documents.list_for(person) == []  # nothing registered, no print counted
    preview.grab().save(str(tmp_path / "preview.png"))
    printed = tmp_path / "printed.pdf"
    preview.print_issued(_pdf_printer(printed))
    qtbot.waitUntil(lambda: preview.issued is not None and printed.exists())
    assert preview.issued is not None and preview.issued.number == FIRST  # the number the preview left free
    assert FIRST in preview.windowTitle()
    [doc] = ledger.documents.list_for(person)
    assert (doc.number, doc.prints) == (FIRST, 1)
    assert len(PdfReader(printed).pages) == 1
    assert "编号：" + FIRST in pdf_text(preview.issued.pdf)
    assert ledger.documents.verify(preview.issued.code).valid
    qtbot.waitUntil(lambda: window.page.record is not None and len(window.page.record.documents) == 1)
    preview.print_issued(_pdf_printer(tmp_path / "again.pdf"))  # the same document, not a second one
    assert (tmp_path / "again.pdf").exists() and len(ledger.documents.list_for(person)) == 1
    preview.close()


def test_saving_the_preview_registers_one_document_whose_file_verifies(
        window: MainWindow, ledger: Ledger, person: str, qtbot: Any, tmp_path: Path) -> None:
    preview = _preview(window, ledger, person, qtbot)
    target = tmp_path / "statement.pdf"
    preview.save_issued(target)
    qtbot.waitUntil(lambda: preview.issued is not None and target.exists())
    assert target.read_bytes() == preview.pdf
    verdict = ledger.documents.verify(str(target))
    assert verdict.valid and verdict.number == FIRST and verdict.kind == "statement"
    assert [d.number for d in ledger.documents.list_for(person)] == [FIRST]
    preview.close()


def test_a_place_that_cannot_be_written_takes_no_number(
        window: MainWindow, ledger: Ledger, person: str, qtbot: Any, tmp_path: Path) -> None:
    preview = _preview(window, ledger, person, qtbot)
    preview.save_issued(tmp_path / "missing" / "statement.pdf")
    qtbot.waitUntil(lambda: not preview.busy)
    assert preview.issued is None and "missing不存在" in preview.info.text()
    assert ledger.documents.list_for(person) == []
    preview.close()


def test_closing_the_preview_registers_nothing(
        window: MainWindow, ledger: Ledger, person: str, qtbot: Any) -> None:
    preview = _preview(window, ledger, person, qtbot)
    preview.reject()
    qtbot.waitUntil(lambda: not window.runner.busy)
    assert ledger.documents.list_for(person) == []
    assert ledger.documents.issue("statement", person).number == FIRST


def test_cancelling_the_print_or_save_dialog_registers_nothing(
        window: MainWindow, ledger: Ledger, person: str, qtbot: Any, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    preview = _preview(window, ledger, person, qtbot)
    monkeypatch.setattr(preview, "choose_printer", lambda: None)  # the print dialog cancelled
    monkeypatch.setattr(documents.files, "save_file_name", lambda *args: "")  # the file dialog cancelled
    preview.print_button.click()
    preview.save_button.click()
    qtbot.waitUntil(lambda: not window.runner.busy)
    assert preview.issued is None and ledger.documents.list_for(person) == []
    printed = tmp_path / "printed.pdf"
    monkeypatch.setattr(preview, "choose_printer", lambda: _pdf_printer(printed))  # accepted
    preview.print_button.click()
    qtbot.waitUntil(lambda: preview.issued is not None and printed.exists())
    assert [d.number for d in ledger.documents.list_for(person)] == [FIRST]
    preview.close()


def test_the_estimate_and_the_certificate_on_leaving_are_previewed_without_a_number(
        window: MainWindow, ledger: Ledger, person: str, qtbot: Any, tmp_path: Path) -> None:
    ledger.contributions.record(person, EMPLOYER, "2026-10", "8000")
    open_by_search(window, qtbot, "zs", "张三")
    window.print_transfer_certificate()
    qtbot.waitUntil(lambda: isinstance(window.last_preview, DocumentPreviewDialog)
                    and window.last_preview.draft is not None)
    preview = window.last_preview
    assert isinstance(preview, DocumentPreviewDialog) and preview.draft is not None
    assert preview.draft.kind == "transfer-certificate" and "预览 — 未编号" in pdf_text(preview.pdf)
    qtbot.waitUntil(lambda: not window.runner.busy)
    assert ledger.documents.list_for(person) == []
    preview.save_issued(tmp_path / "certificate.pdf")
    qtbot.waitUntil(lambda: preview.issued is not None)
    assert preview.issued is not None and preview.issued.number == "OFF01-PZ2026000001"
    assert ledger.documents.verify(str(tmp_path / "certificate.pdf")).valid
    preview.close()
