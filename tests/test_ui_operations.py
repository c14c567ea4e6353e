"""Operations in the window: a recorded month refreshes only its history row and the account, and an
unexpected error is shown to the clerk and logged with its traceback, personal numbers masked."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import EMPLOYER
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from test_ui_support import open_by_search, patient_waits, private_settings, window

from desktop.core.ledger import Ledger
from desktop.ui.documents import DocumentPreviewDialog
from desktop.ui.operations import error_log_file
from desktop.ui.record_month_dialog import RecordMonthDialog
from desktop.ui.window import MainWindow

__all__ = ["patient_waits", "private_settings", "window"]

COUNTED = [("accounts", "statement"), ("history", "month_keys"), ("history", "rows"),
           ("documents", "list_for"), ("records", "view"), ("insured", "medical"),
           ("insured", "unemployment"), ("residents", "years"), ("retirement", "check")]


def _count(ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> dict[str, list[tuple[Any, ...]]]:
    """Wrap the real services the person page reads with counters of their calls (and arguments)."""
    calls: dict[str, list[tuple[Any, ...]]] = {}
    for service, method in COUNTED:
        target = getattr(ledger, service)
        real = getattr(target, method)
        name = f"{service}.{method}"
        calls[name] = []

        def counted(*args: Any, _real: Callable[..., Any] = real, _name: str = name, **kwargs: Any) -> Any:
            calls[_name].append(args)
            return _real(*args, **kwargs)

        monkeypatch.setattr(target, method, counted)
    return calls


def test_recording_a_month_reloads_only_its_row_and_the_account(
        window: MainWindow, ledger: Ledger, person: str, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    for month in ("2026-08", "2026-09"):
        ledger.contributions.record(person, EMPLOYER, month, "8000")
    qtbot.waitUntil(lambda: window._mark == ledger.change_mark())  # the watch has seen the months above
    open_by_search(window, qtbot, "zs", "张三")
    page, model = window.page, window.page.history_model
    page.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: model.loaded_rows() == 2)
    before = page.balance.text()
    assert "个人账户余额" in before
    qtbot.waitUntil(lambda: not window.runner.busy)
    employer_id = ledger.history.month_keys(person)[1][0][1]
    calls = _count(ledger, monkeypatch)

    dialog = window.record_month()
    assert isinstance(dialog, RecordMonthDialog)
    qtbot.waitUntil(lambda: dialog.employer.currentData() == EMPLOYER)
    assert dialog.month.text() == "2026-10"
    qtbot.keyClicks(dialog.wage, "8000")
    qtbot.keyClick(dialog.wage, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: model.rowCount() == 3 and model.loaded_rows() == 3)
    qtbot.waitUntil(lambda: page.balance.text() != before)
    qtbot.wait(window.WATCH_MS * 2)  # the change watch sees the window's own write and lets it be
    qtbot.waitUntil(lambda: not window.runner.busy)

    assert window.status.text() == "已记录 2026-10，缴费基数 8,000.00"
    assert [model.index(r, 0).data() for r in range(3)] == ["2026-10", "2026-09", "2026-08"]
    pension = model.schemes.index("pension") + model.FIXED
    assert model.index(0, pension).data() == "1,920.00"  # 16% + 8% of 8,000
    assert page.enrolments.item(0, 3).text() == "3"
    assert calls["history.rows"] == [(model._worker_id, [(202610, employer_id)])]  # the new row alone
    assert calls["accounts.statement"] == [(person,)]  # the account and enrolments
    for name in ("history.month_keys", "documents.list_for", "records.view", "insured.medical",
                 "insured.unemployment", "residents.years", "retirement.check"):
        assert calls[name] == [], name

    page.tabs.setCurrentIndex(4)  # the pension record follows the months: read when looked at
    qtbot.waitUntil(lambda: len(calls["records.view"]) == 1)
    assert calls["retirement.check"] == [] and calls["documents.list_for"] == []


def test_printing_a_statement_reloads_only_the_documents(
        window: MainWindow, ledger: Ledger, person: str, qtbot: Any, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    ledger.contributions.record(person, EMPLOYER, "2026-10", "8000")
    qtbot.waitUntil(lambda: window._mark == ledger.change_mark())  # the watch has seen the month above
    open_by_search(window, qtbot, "zs", "张三")
    calls = _count(ledger, monkeypatch)
    window.page.print_button.click()
    qtbot.waitUntil(lambda: isinstance(window.last_preview, DocumentPreviewDialog))
    preview = window.last_preview
    assert isinstance(preview, DocumentPreviewDialog)
    qtbot.waitUntil(lambda: not window.runner.busy)
    assert calls["documents.list_for"] == []  # the preview issued nothing
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    preview.print_issued(printer)  # printing issues it
    qtbot.waitUntil(lambda: window.page.record is not None and len(window.page.record.documents) == 1)
    qtbot.waitUntil(lambda: not window.runner.busy)
    assert len(calls["documents.list_for"]) == 1
    assert calls["history.month_keys"] == [] and calls["records.view"] == [] and calls["history.rows"] == []
    window.check_for_changes()  # the window's own write is not taken for someone else's
    qtbot.waitUntil(lambda: not window._watching and not window.runner.busy)
    assert window._mark == ledger.change_mark()
    assert len(calls["documents.list_for"]) == 1 and calls["records.view"] == []


def test_an_unexpected_error_is_shown_and_logged_without_the_id_number(
        window: MainWindow, ledger: Ledger, person: str, qtbot: Any, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    monkeypatch.setenv("SHEBAO_LOG_DIR", str(tmp_path / "logs"))
    open_by_search(window, qtbot, "zs", "张三")

    def broken(kind: str, worker: str, clerk: str = "") -> Any:
        raise RuntimeError(f"statement template lost for {worker}, phone 13812345678")

    monkeypatch.setattr(ledger.documents, "draft", broken)
    window.page.print_button.click()
    qtbot.waitUntil(lambda: "意外错误" in window.status.text())
    assert "RuntimeError" in window.status.text()
    log = error_log_file()
    assert log == tmp_path / "logs" / "shebao-desk.log"
    qtbot.waitUntil(log.exists)
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text
    assert "RuntimeError: statement template lost for 510107********3215" in text
    assert "in broken" in text  # the frame that raised
    assert person not in text and "13812345678" not in text
    assert "138****5678" in text


def test_an_expected_refusal_is_shown_but_not_logged(
        window: MainWindow, ledger: Ledger, person: str, qtbot: Any, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    monkeypatch.setenv("SHEBAO_LOG_DIR", str(tmp_path / "logs"))
    ledger.contributions.record(person, EMPLOYER, "2026-10", "5000")
    open_by_search(window, qtbot, "zs", "张三")
    dialog = window.record_month()
    assert isinstance(dialog, RecordMonthDialog)
    qtbot.waitUntil(lambda: dialog.proposal is not None and dialog.month.text() == "2026-11")
    ledger.contributions.record(person, EMPLOYER, "2026-11", "5000")  # another counter, meanwhile
    qtbot.keyClicks(dialog.wage, "5000")
    dialog.accept()
    qtbot.waitUntil(lambda: dialog.fields["month"].error.text() != "")
    assert "已记录" in dialog.fields["month"].error.text()
    assert dialog.isVisible()
    assert not error_log_file().exists()
