"""Cells of the CSV files the program writes, safe to open in a spreadsheet program.

A spreadsheet program reads a cell whose text starts with `=`, `+`, `-` or `@` as a formula, and
a leading tab or carriage return can hide one (the OWASP "CSV injection" guidance). Every CSV
the program writes goes through `cell` (or `SafeWriter` / `csv_text`, which use it):

- a text cell whose first character is one of `= + - @`, tab or CR is written with a single
  quote `'` in front, so the program shows it as text; so is one whose first character after
  leading white space is one of them (some programs trim the spaces before they look);
- a text cell that already starts with quotes followed by such a character gets one more quote,
  so `unquote` gives back exactly the value written (and nothing is ever left looking like a
  formula);
- separators, quotes and line breaks inside a cell are the csv module's quoting;
- numbers passed as numbers (`int`, finite `Decimal` or `float`, never `bool`) are written as
  they are: the text of a Python number is a plain number ("-12.50" is minus twelve fifty to a
  spreadsheet program, never a formula), so a negative amount stays a number. A number that
  arrives as text is treated as text and gets the quote when it starts with `-` or `+`.

Names a clerk types in (people, employers, offices, host employers, accounts) are refused when they
start like a formula (`refuse_formula`), so they never need the quote in the first place.

XLSX files (`write_xlsx`, `write_sheet`) need the same care: openpyxl stores any string starting
with "=" as a formula, so every text cell is set as a string (data_type "s"), with `quotePrefix`
when it starts like a formula (the program shows it as text and keeps the value exactly as it
was, with no quote added); numbers, dates and times are written as they are.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from desktop.core.errors import InvalidInput

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_START = frozenset("=+-@\t\r")
"""The first characters a spreadsheet program may read as the start of a formula (OWASP)."""

QUOTE = "'"


def starts_like_formula(text: str) -> bool:
    """Whether text starts with = + - @, tab or CR, at once or after leading white space."""
    return text[:1] in FORMULA_START or text.lstrip()[:1] in FORMULA_START


def _needs_quote(text: str) -> bool:
    return starts_like_formula(text.lstrip(QUOTE))


def safe_text(text: str) -> str:
    """Text as a cell: with a quote in front when it starts like a formula (see the module)."""
    return QUOTE + text if _needs_quote(text) else text


def unquote(text: str) -> str:
    """The value `safe_text` was given, from the cell it wrote (for reading such a file back)."""
    if text.startswith(QUOTE) and _needs_quote(text[1:]):
        return text[1:]
    return text


def cell(value: object) -> str | int | float | Decimal:
    """A value as a safe CSV cell: numbers stay numbers, everything else is text made safe."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    if isinstance(value, Decimal) and value.is_finite():
        return format(value, "f")  # never exponent notation, and no leading character but - or a digit
    if value is None:
        return ""
    return safe_text(str(value))


class SafeWriter:
    """A csv.writer whose every cell goes through `cell`."""

    def __init__(self, fh: IO[str], **fmtparams: Any) -> None:
        self._writer = csv.writer(fh, **fmtparams)

    def writerow(self, row: Iterable[object]) -> None:
        """Write one row of safe cells."""
        self._writer.writerow([cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        """Write rows of safe cells."""
        for row in rows:
            self.writerow(row)


def csv_text(rows: Iterable[Iterable[object]], lineterminator: str = "\r\n") -> str:
    """Rows as CSV text with safe cells."""
    buf = io.StringIO()
    SafeWriter(buf, lineterminator=lineterminator).writerows(rows)
    return buf.getvalue()


def write_csv(path: Path, rows: Iterable[Iterable[object]], encoding: str = "utf-8-sig",
              lineterminator: str = "\r\n") -> None:
    """Rows to a CSV file with safe cells (UTF-8 with BOM by default, so spreadsheet programs
    open Chinese text)."""
    with path.open("w", encoding=encoding, newline="") as fh:
        SafeWriter(fh, lineterminator=lineterminator).writerows(rows)


def refuse_formula(text: str, field: str) -> str:
    """Text a clerk typed (a name), refused with InvalidInput naming the field when it starts
    like a formula; the text itself otherwise."""
    if starts_like_formula(text):
        raise InvalidInput("text.formula", field)
    return text


def _kept_as_is(value: object) -> bool:
    """A finite number (never bool), a date or a time: written to an XLSX cell as it is."""
    import datetime as dt

    if isinstance(value, bool):
        return False
    if isinstance(value, int | dt.date | dt.time):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, Decimal) and value.is_finite()


def write_sheet(sheet: Worksheet, rows: Iterable[Iterable[object]]) -> None:
    """Rows appended to an openpyxl sheet with safe cells: text always a string cell (quote-prefixed
    when it starts like a formula; characters XLSX cannot hold dropped), numbers, dates as they are."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    start = sheet.max_row + 1 if sheet.max_row > 1 or sheet.cell(1, 1).value is not None else 1
    for r, row in enumerate(rows, start=start):
        for c, value in enumerate(row, start=1):
            if value is None:
                continue
            target = sheet.cell(r, c)
            if _kept_as_is(value):
                target.value = value
            else:
                text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
                target.value = text
                target.data_type = "s"
                if starts_like_formula(text):
                    target.quotePrefix = True


def write_xlsx(path: Path, sheets: dict[str, Iterable[Iterable[object]]]) -> None:
    """An XLSX workbook with one sheet per name, rows written by `write_sheet`."""
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    assert first is not None
    for i, (name, rows) in enumerate(sheets.items()):
        sheet = first if i == 0 else book.create_sheet()
        sheet.title = name
        write_sheet(sheet, rows)
    book.save(path)
