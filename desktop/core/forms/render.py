"""Drawing a loaded form with its data onto A4 pages: data in, PDF bytes out."""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from functools import lru_cache

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from desktop.core.forms.fonts import cjk_font
from desktop.core.forms.spec import PAGE_H, PAGE_W, Column, Element, FormSpec, fill, format_value
from desktop.core.verification import BadCode, short_code

MIN_MODULE_MM = 0.5  # the smallest QR module a phone reads from paper
PRINT_EDGE_MM = 5.0  # printers leave this much of the page's edge blank
SEAL_MIN_SIZE = 7.0  # seal text shrinks to this size (points), then wraps


@dataclass(frozen=True)
class DocumentData:
    """What a document says: text values by path, and the rows of its lists."""

    values: dict[str, str]
    lists: dict[str, list[dict[str, str]]]


@dataclass(frozen=True)
class Rendered:
    """A rendered document."""

    pdf: bytes
    pages: int


def _y(top_mm: float) -> float:
    return float((PAGE_H - top_mm) * mm)


SHRINK_AT_MOST = 0.85  # a text is shrunk to 85% of its size at most to fit its width, then wrapped


class _Pen:
    """Text drawing that shrinks a string to fit its width rather than overflow."""

    def __init__(self, canvas: Canvas, font: str, base_size: float) -> None:
        self.c, self.font, self.base = canvas, font, base_size

    def text(self, x_mm: float, y_mm: float, text: str, size: float = 0, align: str = "left",
             width_mm: float = 0, bold: bool = False) -> None:
        size = size or self.base
        if width_mm:
            limit = width_mm * mm
            while size > 5 and stringWidth(text, self.font, size) > limit:
                size -= 0.5
            while text and stringWidth(text, self.font, size) > limit:
                text = text[:-2] + "…"
        x = x_mm * mm
        width = stringWidth(text, self.font, size)
        if align == "center":
            x += (width_mm * mm - width) / 2
        elif align == "right":
            x += width_mm * mm - width
        obj = self.c.beginText(x, _y(y_mm))
        obj.setFont(self.font, size)
        if bold:  # fill and stroke (the embedded font has one weight), without leaking to later text
            self.c.saveState()
            obj.setTextRenderMode(2)
        obj.textOut(text)
        self.c.drawText(obj)
        if bold:
            self.c.restoreState()


Op = tuple[str, int, int, int, float]  # ("table", index, first row, end row, top) / ("after", 0, 0, 0, top)


def render(spec: FormSpec, data: DocumentData, code: str = "", copy: bool = False) -> Rendered:
    """Render the form with the data; code is the verification code, copy marks a reprint."""
    font = cjk_font().name
    tables = spec.tables
    rows = [data.lists.get(t.source, []) for t in tables]
    layout = paginate(spec, [len(r) for r in rows])
    pages = len(layout)
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1, initialFontName=font, initialFontSize=spec.font_size)
    c.setTitle(f"{spec.title} {data.values.get('doc.number', '')}")
    c.setAuthor(data.values.get("office.name", ""))
    c.setCreator("Shebao Desk")
    c.setSubject(spec.id + " " + spec.version)
    if code:
        c.setKeywords("shebao-verification:" + code)
    pen = _Pen(c, font, spec.font_size)
    elements = make_room(spec.elements, code)
    for page_no, ops in enumerate(layout, start=1):
        values = {**data.values, "page": str(page_no), "pages": str(pages)}
        below: tuple[Element, float] | None = None  # a code block drawn, and its last line
        for el in elements:
            if el.type != "table" and not el.after_table and (el.every_page or page_no == 1):
                bottom = _draw(c, pen, spec, el, values, code, _clear_of(below, el, spec))
                if bottom is not None:
                    below = (el, bottom)
        for op, index, first, end, top in ops:
            if op == "table":
                if first == 0 and tables[index].text:
                    pen.text(tables[index].x, top - 2.5, fill(tables[index].text, values),
                             spec.font_size, bold=True)
                _draw_table(c, pen, spec, tables[index], rows[index][first:end], top)
            else:
                below = None
                for el in elements:
                    if el.after_table:
                        bottom = _draw(c, pen, spec, el, values, code, top + _clear_of(below, el, spec, top))
                        if bottom is not None:
                            below = (el, bottom)
        if copy:
            _copy_mark(c, font)
        c.showPage()
    c.save()
    return Rendered(buf.getvalue(), pages)


@dataclass(frozen=True)
class QrPlacement:
    """Where a QR code is drawn: its matrix, top-left corner and side (mm)."""

    matrix: tuple[tuple[bool, ...], ...]
    x: float
    y: float
    side: float

    @property
    def module_mm(self) -> float:
        return self.side / len(self.matrix)


def place_qr(el: Element, code: str) -> QrPlacement:
    """The QR code of an element at no less than MIN_MODULE_MM a module, whatever the form says:
    error correction M when that size fits above the printer's edge, else L; moved up when even L
    would run off the printable page."""
    room = PAGE_H - PRINT_EDGE_MM - el.y
    matrix = qr_matrix(code, "m")
    if len(matrix) * MIN_MODULE_MM > max(room, el.w):
        matrix = qr_matrix(code, "l")
    side = max(el.w, len(matrix) * MIN_MODULE_MM)
    y = min(el.y, PAGE_H - PRINT_EDGE_MM - side)
    return QrPlacement(matrix, el.x, y, side)


def make_room(elements: tuple[Element, ...], code: str) -> tuple[Element, ...]:
    """The elements with those beside a QR code moved right by as much as the code grew beyond the
    width its form gives it (and narrowed to stay on the page)."""
    if not code:
        return elements
    out = list(elements)
    for qr in elements:
        if qr.type != "qr":
            continue
        placed = place_qr(qr, code)
        grow = placed.side - qr.w
        if grow <= 0:
            continue
        for i, el in enumerate(out):
            beside = (el.type in ("text", "code", "field") and el.after_table == qr.after_table
                      and el.every_page == qr.every_page and el.x >= qr.x + qr.w - 0.01
                      and placed.y - 1 <= el.y <= placed.y + placed.side + 1)
            if beside:
                x = el.x + grow
                room = PAGE_W - 10 - x  # a line without a width gets one: it shrinks rather than run off
                w = min(el.w, room) if el.w else (room if el.type == "text" else 0.0)
                out[i] = replace(el, x=x, w=w)
    return tuple(out)


def _header_height(spec: FormSpec, table: Element) -> float:
    return table.row_height * (2 if spec.bilingual and any(c.title_en for c in table.columns) else 1)


def _after_height(spec: FormSpec) -> float:
    return max((el.y + max(el.h, el.w if el.type in ("qr", "seal") else 0, 5) for el in spec.elements
                if el.after_table), default=0.0)


def paginate(spec: FormSpec, row_counts: list[int]) -> list[list[Op]]:
    """What goes on each page: table slices (header repeated on every page) and the closing block."""
    bottom = PAGE_H - spec.margin_bottom
    pages: list[list[Op]] = [[]]
    cursor = 0.0
    for index, table in enumerate(spec.tables):
        header = _header_height(spec, table)
        top = table.y if index == 0 else cursor + table.y
        row, n = 0, row_counts[index]
        while True:
            if top + header + (table.row_height if n else 0) > bottom:
                pages.append([])
                top = spec.margin_top
            fits = int((bottom - top - header) // table.row_height)
            end = min(n, row + fits)
            pages[-1].append(("table", index, row, end, top))
            cursor = top + header + (end - row) * table.row_height
            if end >= n:
                break
            row = end
            pages.append([])
            top = spec.margin_top
    if any(el.after_table for el in spec.elements):
        if cursor + _after_height(spec) > bottom:
            pages.append([])
            cursor = spec.margin_top
        pages[-1].append(("after", 0, 0, 0, cursor))
    return pages


def _clear_of(below: tuple[Element, float] | None, el: Element, spec: FormSpec, dy: float = 0.0) -> float:
    """How far down a text must move to start below a verification code drawn above it in the same
    column: a long code wraps onto more lines than its form left room for, and is never overprinted."""
    if below is None or el.type != "text":
        return 0.0
    code_el, last = below
    if el.x < code_el.x - 0.01 or el.y <= code_el.y:
        return 0.0
    wanted = last + (el.size or spec.font_size) * 0.42 + 0.3
    return max(0.0, wanted - (el.y + dy))


def _draw(c: Canvas, pen: _Pen, spec: FormSpec, el: Element, values: dict[str, str], code: str,
          dy: float) -> float | None:
    """Draw one element dy mm lower than its form says; a verification code returns where its last
    line is (mm from the top), so what follows can keep clear of it."""
    y = el.y + dy
    size = el.size or spec.font_size
    if el.type == "text":
        lines = wrap_text(fill(el.text, values, el.format), pen.font, size, el.w)
        for n, line in enumerate(lines):
            pen.text(el.x, y + n * size * 0.42, line, size, el.align, el.w, el.bold)
        if spec.bilingual and el.text_en:
            pen.text(el.x, y + size * 0.45, fill(el.text_en, values, el.format), size * 0.7, el.align, el.w)
    elif el.type == "field":
        label = fill(el.text, values)
        if spec.bilingual and el.text_en:
            pen.text(el.x, y + size * 0.42, fill(el.text_en, values), size * 0.65, "left", el.h or 0)
        pen.text(el.x, y, label, size)
        lx = el.x + (stringWidth(label, pen.font, size) / mm) + 1.5
        width = max(10.0, el.w - (lx - el.x)) if el.w else 0
        pen.text(lx, y, fill(el.value, values, el.format), size, el.align, width)
        if el.w:
            c.setLineWidth(0.3)
            c.line(lx * mm, _y(y + 1.2), (el.x + el.w) * mm, _y(y + 1.2))
    elif el.type == "line":
        c.setLineWidth(0.6)
        c.line(el.x * mm, _y(y), (el.x + el.w) * mm, _y(y))
    elif el.type == "box":
        c.setLineWidth(0.5)
        c.rect(el.x * mm, _y(y + el.h), el.w * mm, el.h * mm)
    elif el.type == "seal":
        c.saveState()
        c.setDash(2, 2)
        c.setStrokeGray(0.55)
        r = el.w / 2
        c.circle((el.x + r) * mm, _y(y + r), r * mm)
        c.setFillGray(0.55)
        text_size, lines = seal_lines(fill(el.text or "（盖章）", values), pen.font, size * 0.8, el.w)
        step = text_size * 0.3528 * 1.25  # points to mm, with line spacing
        first = y + r + text_size * 0.3528 * 0.35 - step * (len(lines) - 1) / 2
        for n, line in enumerate(lines):
            pen.text(el.x, first + n * step, line, text_size, "center", el.w)
        c.restoreState()
    elif el.type == "signature":
        label = fill(el.text, values)
        pen.text(el.x, y, label, size)
        lx = el.x + stringWidth(label, pen.font, size) / mm + 1
        c.setLineWidth(0.3)
        c.line(lx * mm, _y(y + 1.2), (el.x + (el.w or 50)) * mm, _y(y + 1.2))
        name = fill(el.value, values).strip()
        if name.strip("—–-－ "):  # a placeholder dash for "nobody named" leaves the line to sign on
            pen.text(lx + 1, y, name, size)
    elif el.type == "qr" and code:
        placed = place_qr(replace(el, y=y), code)
        draw_qr(c, placed.matrix, placed.x * mm, _y(placed.y + placed.side), placed.side * mm)
    elif el.type == "code" and code:
        number = values.get("doc.number", "")
        try:
            short = short_code(code)
        except BadCode:
            short = ""
        if number and short:
            label = "简码核验 Short code：" if spec.bilingual else "简码核验："
            pen.text(el.x, y, f"{label}{number} {short}", size + 2, bold=True)
            y += (size + 2) * 0.3528 + 1.2
        width = min(el.w or 150, PAGE_W - 10 - el.x) * mm
        line, lines = fill(el.text, values), []
        for group in code.split("-"):
            piece = group if line.endswith(("：", ":")) or not line else "-" + group
            if stringWidth(line + piece, pen.font, size) > width:
                lines.append(line + "-")
                piece = group
                line = ""
            line += piece
        lines.append(line)
        for n, text in enumerate(lines):
            pen.text(el.x, y + n * size * 0.42, text, size)
        return y + (len(lines) - 1) * size * 0.42
    return None


def wrap_text(text: str, font: str, size: float, width_mm: float) -> list[str]:
    """A line of text as the lines it is printed on: one line where it fits (a little shrinking is
    the pen's), else wrapped at the width, between words where there are spaces, so a long note is
    never shrunk past reading or cut."""
    limit = width_mm * mm
    if not width_mm or stringWidth(text, font, size * SHRINK_AT_MOST) <= limit:
        return [text]
    lines: list[str] = []
    line = ""
    for char in text:
        if line and stringWidth(line + char, font, size) > limit:
            cut = line.rfind(" ")
            if 0 < cut and line[:cut].strip():
                lines.append(line[:cut])
                line = line[cut + 1:]
            else:
                lines.append(line)
                line = ""
        line += char
    lines.append(line)
    return [x for x in lines if x.strip()]


def seal_lines(text: str, font: str, size: float, width_mm: float) -> tuple[float, list[str]]:
    """The seal's text whole: one line shrunk down to SEAL_MIN_SIZE, else wrapped at that size
    (before the last opening bracket when it can) on lines that fit inside the circle."""
    limit = (width_mm - 4) * mm
    while size > SEAL_MIN_SIZE and stringWidth(text, font, size) > limit:
        size = max(SEAL_MIN_SIZE, size - 0.5)
    if stringWidth(text, font, size) <= limit:
        return size, [text]
    cut = text.rfind("（")  # the office's name, then （业务专用章）
    parts = [text[:cut], text[cut:]] if cut > 0 else [text]
    lines: list[str] = []
    for part in filter(None, parts):
        count = 1  # the fewest lines of about equal length that fit (no short last line)
        while True:
            step = -(-len(part) // count)
            chunks = [part[i:i + step] for i in range(0, len(part), step)]
            if all(stringWidth(chunk, font, size) <= limit for chunk in chunks) or step == 1:
                break
            count += 1
        lines += chunks
    return size, lines


@lru_cache(maxsize=64)
def qr_matrix(code: str, error: str = "m") -> tuple[tuple[bool, ...], ...]:
    """The QR modules of a code at the error correction given, not raised (the quiet zone is left
    to the page)."""
    made = segno.make(code, error=error, micro=False, boost_error=False)
    return tuple(tuple(bool(v) for v in row) for row in made.matrix)


def draw_qr(c: Canvas, matrix: tuple[tuple[bool, ...], ...], x: float, y: float, side: float) -> None:
    """Draw the dark modules, one rectangle per horizontal run, with (x, y) the lower-left corner."""
    n = len(matrix)
    cell = side / n
    c.saveState()
    c.setFillGray(0)
    for r, row in enumerate(matrix):
        start = None
        for col in range(n + 1):
            dark = col < n and row[col]
            if dark and start is None:
                start = col
            elif not dark and start is not None:
                c.rect(x + start * cell, y + (n - 1 - r) * cell, (col - start) * cell, cell, stroke=0, fill=1)
                start = None
    c.restoreState()


def _draw_table(c: Canvas, pen: _Pen, spec: FormSpec, table: Element, rows: list[dict[str, str]],
                top: float) -> None:
    x0 = table.x
    widths = [col.width for col in table.columns]
    header = _header_height(spec, table)
    total_w = sum(widths)
    c.setLineWidth(0.4)
    c.setFillGray(0.92)
    c.rect(x0 * mm, _y(top + header), total_w * mm, header * mm, fill=1, stroke=1)
    c.setFillGray(0)
    x = x0
    size = spec.font_size * 0.9
    for col in table.columns:
        ty = top + table.row_height * 0.68
        pen.text(x + 1, ty, col.title, size, "center", col.width - 2)
        if header > table.row_height:
            pen.text(x + 1, ty + table.row_height, col.title_en, size * 0.75, "center", col.width - 2)
        x += col.width
    y = top + header
    for row in rows:
        x = x0
        for col in table.columns:
            _cell(pen, col, format_value(row.get(col.key, ""), col.format), x, y + table.row_height * 0.68, size)
            x += col.width
        y += table.row_height
        c.line(x0 * mm, _y(y), (x0 + total_w) * mm, _y(y))
    x = x0
    for w in [0.0, *widths]:
        x += w
        c.line(x * mm, _y(top), x * mm, _y(y))
    c.rect(x0 * mm, _y(y), total_w * mm, (y - top) * mm)


def _cell(pen: _Pen, col: Column, text: str, x: float, y: float, size: float) -> None:
    pen.text(x + 1, y, text, size, col.align, col.width - 2)


def _copy_mark(c: Canvas, font: str) -> None:
    c.saveState()
    c.setFillGray(0.82)
    c.setFont(font, 60)
    c.translate(105 * mm, 150 * mm)
    c.rotate(35)
    c.drawCentredString(0, 0, "副本 COPY")
    c.restoreState()
    c.setFont(font, 11)
    c.drawRightString(200 * mm, _y(10), "副本 COPY")
