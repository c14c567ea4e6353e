"""A person's months grid (month, employer, base, each scheme's amount, status) as an XLSX file.

The same values the person page's grid shows, from the same `HistoryRow`s: amounts are numbers
(exact Decimal, shown with thousands separators and two decimals), the header and the status words
are given by the caller in the interface language. Text cells are written formula-safe
(desktop.core.csvsafe.write_sheet).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path

from desktop.core.csvsafe import write_sheet
from desktop.core.errors import InvalidInput
from desktop.core.outfile import check_target
from desktop.core.services.history import HistoryRow

STATUSES = ("arrears", "back_payment", "paid")
"""A row's status as the grid's last column names it: declared but unpaid, paid late, paid."""

AMOUNT_FORMAT = "#,##0.00"


def row_status(row: HistoryRow) -> str:
    """arrears, back_payment or paid (in that precedence, as the grid shows it)."""
    if row.arrears:
        return "arrears"
    return "back_payment" if row.back_payment else "paid"


def grid_values(row: HistoryRow, schemes: Sequence[str]) -> list[object]:
    """One row of the grid as values: month, employer, base, each scheme's total (None where the
    month has no such scheme), status."""
    totals: list[object] = [cell.total if (cell := row.cells.get(s)) is not None else None for s in schemes]
    return [str(row.month), row.employer_name, row.base, *totals, row_status(row)]


def write_months_xlsx(path: Path, titles: Sequence[str], rows: Sequence[HistoryRow], schemes: Sequence[str],
                      statuses: Mapping[str, str], sheet_title: str = "缴费明细") -> int:
    """The grid to an XLSX file: the header `titles`, then one row per HistoryRow in the order
    given, the status in the words of `statuses`. Returns the number of months written."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    if len(titles) != len(schemes) + 4:
        raise ValueError("one title per column: month, employer, base, each scheme, status")
    target = check_target(path)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = sheet_title[:31]
    body: list[list[object]] = []
    for row in rows:
        values = grid_values(row, schemes)
        values[-1] = statuses.get(str(values[-1]), str(values[-1]))
        body.append(values)
    write_sheet(sheet, [list(titles), *body])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r in range(2, len(body) + 2):
        for c in range(3, len(schemes) + 4):
            cell = sheet.cell(r, c)
            if isinstance(cell.value, int | Decimal):
                cell.number_format = AMOUNT_FORMAT
    widths = [10, 30, 14, *([12] * len(schemes)), 8]
    for i, width in enumerate(widths):
        sheet.column_dimensions[sheet.cell(1, i + 1).column_letter].width = width
    sheet.freeze_panes = "A2"
    try:
        book.save(target)
    except OSError as exc:
        raise InvalidInput("out.write", "out", path=str(target), reason=exc.strerror or str(exc)) from None
    return len(body)
