"""A preview (draft) of a document takes no number, registers nothing and carries no valid code;
the number is taken only when the document is issued."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from conftest import EMPLOYER
from pypdf import PdfReader
from test_cli_documents import office, run
from test_pension import wang

from desktop.core.draft import DRAFT_NUMBER, Draft
from desktop.core.errors import InvalidInput
from desktop.core.ledger import Ledger

__all__ = ["office", "wang"]


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF as pdftotext reads it (layout kept)."""
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode("utf-8")


def count(ledger: Ledger, person: str) -> int:
    return len(ledger.documents.list_for(person))


def test_a_draft_registers_nothing_and_the_next_issue_takes_the_first_number(
        ledger: Ledger, person: str) -> None:
    ledger.contributions.record(person, EMPLOYER, "2026-10", "6000")
    draft = ledger.documents.draft("statement", person)
    assert isinstance(draft, Draft)
    assert (draft.kind, draft.worker, draft.pages, draft.number) == ("statement", person, 1, DRAFT_NUMBER)
    assert count(ledger, person) == 0
    text = pdf_text(draft.pdf)
    assert "编号：预览 — 未编号" in text
    assert "预览 — 未编号，无验证码" in text and "验证码：SB" not in text
    meta = PdfReader(io.BytesIO(draft.pdf)).metadata
    assert meta is not None and "/Keywords" not in meta  # no code for verify to read
    assert "张三" in text and "510107198511113215" in text
    again = ledger.documents.draft("statement", person)  # a second look takes nothing either
    assert again.pdf == draft.pdf and count(ledger, person) == 0
    issued = ledger.documents.issue("statement", person)
    assert issued.number == "OFF01-ZM2026000001"
    assert count(ledger, person) == 1
    [doc] = ledger.documents.list_for(person)
    assert doc.prints == 1


def test_a_draft_of_an_unknown_kind_is_refused(ledger: Ledger, person: str) -> None:
    with pytest.raises(InvalidInput) as err:
        ledger.documents.draft("coverage-certificate", person)
    assert err.value.key == "document.kind"


def test_the_command_line_writes_a_preview_without_a_number(
        office: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    worker = "510107198511113215"
    code, data = run(capsys, "--db", office, "print", "statement", worker, "--preview", "--out", "p.pdf")
    assert code == 0 and data["preview"] and data["number"] is None and data["verification_code"] is None
    assert "预览 — 未编号" in pdf_text((tmp_path / "p.pdf").read_bytes())
    code, verdict = run(capsys, "--db", office, "verify", str(tmp_path / "p.pdf"))
    assert code == 4 and not verdict["valid"]
    code, listed = run(capsys, "--db", office, "document", "list", worker)
    assert code == 0 and listed["documents"] == []
    code, data = run(capsys, "--db", office, "print", "statement", worker, "--out", "s.pdf")
    assert code == 0 and data["number"] == "NC01-ZM2026000001"


def test_an_estimate_draft_registers_nothing(ledger: Ledger, wang: str) -> None:
    draft = ledger.pensions.estimate_draft(wang, growth="0.05", interest="0.02", base_ratio="1.0")
    assert (draft.kind, draft.worker) == ("pension-estimate", wang)
    text = pdf_text(draft.pdf)
    assert "预览 — 未编号" in text and "王建国" in text
    assert ledger.documents.list_for(wang) == []
    sheet = ledger.pensions.estimate_pdf(wang, growth="0.05", interest="0.02", base_ratio="1.0")
    assert sheet.number == "OFF01-CS2026000001"
    assert [d.number for d in ledger.documents.list_for(wang)] == [sheet.number]
