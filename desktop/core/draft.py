"""A document looked at before it is issued: drawn from its form like the real one, but without a
number or a verification code, and stamped as a preview on every page so that no one mistakes a
printout of it for an official paper. Nothing about it is registered: the number is taken when the
document is issued (printed or saved)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from desktop.core.forms.fonts import cjk_font

DRAFT_NUMBER = "预览 — 未编号"  # printed where the document number goes
DRAFT_MARK = "预览 未编号 DRAFT"  # across every page
DRAFT_LINE = "预览 — 未编号，无验证码：打印或另存为PDF时编号并生成验证码。Preview — not numbered, no verification code."


@dataclass(frozen=True)
class Draft:
    """A rendered preview of a document: nothing registered, no number, no code."""

    kind: str
    worker: str  # the person's key (ID number, or social security number)
    pdf: bytes
    pages: int
    number: str = DRAFT_NUMBER


def _overlay(pages: int) -> bytes:
    """One A4 page per document page with the preview mark: across the page, and a line at the top
    and at the bottom (where the verification code is printed on an issued document)."""
    font = cjk_font().name
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1)
    width, height = A4
    for _ in range(pages):
        c.saveState()
        c.setFillGray(0.5)
        c.setFillAlpha(0.25)  # the text under it stays readable
        c.setFont(font, 48)
        c.translate(width / 2, height / 2)
        c.rotate(35)
        c.drawCentredString(0, 0, DRAFT_MARK)
        c.restoreState()
        c.setFillColorRGB(0.7, 0, 0)
        c.setFont(font, 8)
        c.drawCentredString(width / 2, height - 8 * mm, DRAFT_LINE)
        c.drawCentredString(width / 2, 4 * mm, DRAFT_LINE)
        c.showPage()
    c.save()
    return buf.getvalue()


def mark_draft(pdf: bytes) -> bytes:
    """The PDF with the preview mark on every page (and no verification code in its metadata)."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(pdf))
    marks = PdfReader(io.BytesIO(_overlay(len(reader.pages))))
    writer = PdfWriter()
    for page, mark in zip(reader.pages, marks.pages, strict=True):
        writer.add_page(page).merge_page(mark)
    meta = reader.metadata
    title = str(meta.get("/Title", "")) if meta is not None else ""
    writer.add_metadata({"/Title": title or DRAFT_NUMBER, "/Creator": "Shebao Desk",
                         "/Subject": "preview"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
