"""From the person page: issue a certificate of coverage and preview it; print a statement."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import EMPLOYER
from test_ui_support import open_by_search, patient_waits, private_settings, window

from desktop.core.ledger import Ledger
from desktop.ui.coverage_register_dialog import CoverageRegisterDialog
from desktop.ui.documents import DocumentPreviewDialog
from desktop.ui.exemption_dialog import ExemptionDialog
from desktop.ui.window import MainWindow

__all__ = ["patient_waits", "private_settings", "window"]


def _posted(ledger: Ledger, person: str) -> None:
    for month in range(8, 12):
        ledger.contributions.record(person, EMPLOYER, f"2026-{month:02d}", "8000")


def test_issue_a_certificate_from_the_person_page_and_preview_it(
        window: MainWindow, ledger: Ledger, person: str, qtbot: Any) -> None:
    _posted(ledger, person)
    open_by_search(window, qtbot, "510107198511113215", "张三")
    assert window.page.exemption_button.isEnabled() and window.page.exemption_button.isVisible()
    assert window.page.print_button.isVisible()
    window.page.exemption_button.click()
    qtbot.waitUntil(lambda: isinstance(window.active_dialog, ExemptionDialog))
    dialog = window.active_dialog
    assert isinstance(dialog, ExemptionDialog)
    assert dialog.country.findData("US") == -1  # no agreement: not offered
    dialog.country.setCurrentIndex(dialog.country.findData("JP"))
    assert "日本" in dialog.help.text() and "60" in dialog.help.text()
    dialog.employer.clear()
    qtbot.keyClicks(dialog.employer, EMPLOYER)
    qtbot.keyClicks(dialog.host, "Muster KK")
    qtbot.keyClicks(dialog.start, "2027-01-01")
    qtbot.keyClicks(dialog.passport, "EA1234567")  # the person has none registered
    qtbot.keyClicks(dialog.end, "2032-01-01")  # one day too long: refused, naming the last day
    dialog.accept()
    qtbot.waitUntil(lambda: dialog.fields["to"].error.text() != "", timeout=20000)
    assert "2031-12-31" in dialog.fields["to"].error.text()
    assert dialog.isVisible()
    dialog.end.setText("2031-12-31")
    dialog.accept()
    qtbot.waitUntil(lambda: isinstance(window.last_preview, DocumentPreviewDialog), timeout=20000)
    preview = window.last_preview
    assert isinstance(preview, DocumentPreviewDialog)
    assert preview.document.pageCount() == 1 and "CB2026" in preview.windowTitle()
    [cert] = ledger.exemptions.register_list(worker=person)
    assert cert.country == "JP" and cert.number in preview.windowTitle()
    assert ledger.documents.verify(preview.issued.code).valid


def test_print_a_statement_from_the_person_page(
        window: MainWindow, ledger: Ledger, person: str, qtbot: Any, tmp_path: Path) -> None:
    _posted(ledger, person)
    open_by_search(window, qtbot, "510107198511113215", "张三")
    window.page.print_button.click()
    qtbot.waitUntil(lambda: isinstance(window.last_preview, DocumentPreviewDialog), timeout=20000)
    preview = window.last_preview
    assert isinstance(preview, DocumentPreviewDialog)
    assert "未编号" in preview.windowTitle() and ledger.documents.list_for(person) == []  # a preview only
    preview.save_issued(tmp_path / "statement.pdf")  # saving issues it
    qtbot.waitUntil(lambda: preview.issued is not None, timeout=20000)
    assert "ZM2026" in preview.windowTitle()
    qtbot.waitUntil(lambda: window.page.record is not None and len(window.page.record.documents) == 1,
                    timeout=20000)


def test_register_and_statistics_on_screen(
        window: MainWindow, ledger: Ledger, person: str, qtbot: Any, tmp_path: Path) -> None:
    _posted(ledger, person)
    ledger.exemptions.issue(person, "KR", EMPLOYER, "Hanil Co.", "2027-01-01", "2027-12-31", self_employed=True,
                            passport="EA1234567")
    ledger.exemptions.issue(person, "DE", EMPLOYER, "Muster GmbH", "2028-01-01", "2028-12-31", passport="EA1234567")
    window.coverage_action.trigger()
    dialog = window.active_dialog
    assert isinstance(dialog, CoverageRegisterDialog)
    qtbot.waitUntil(lambda: dialog.loaded and dialog.register.rowCount() == 2, timeout=20000)
    assert dialog.register.item(0, 2).text() == "德国"
    assert {dialog.stats.item(r, 1).text() for r in range(dialog.stats.rowCount())} == {"德国", "韩国"}
    dialog.country.setCurrentIndex(dialog.country.findData("KR"))
    qtbot.waitUntil(lambda: dialog.register.rowCount() == 1 and dialog.stats.rowCount() == 1, timeout=20000)
    assert dialog.stats.item(0, 3).text() == "1"  # self-employed
    dialog.save_csv(tmp_path / "s.csv")
    dialog.save_pdf(tmp_path / "s.pdf")
    assert "韩国" in (tmp_path / "s.csv").read_text(encoding="utf-8")
    assert (tmp_path / "s.pdf").read_bytes().startswith(b"%PDF")
