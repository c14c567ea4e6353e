"""Reading an employer's declaration file: CSV (UTF-8 or GBK) or XLSX, header row required.

Columns: employer_uscc,id_number,name,month,wage (or the Chinese headers
统一社会信用代码,身份证号码,姓名,所属期,缴费工资). Parsing only splits and names the cells;
the contribution service checks every value and reports each bad row with its line.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from desktop.core.errors import InvalidInput, InvalidRows, RowProblem

COLUMNS = ("employer_uscc", "id_number", "name", "month", "wage")
HEADER_ALIASES: dict[str, str] = {
    "employer_uscc": "employer_uscc",
    "id_number": "id_number",
    "name": "name",
    "month": "month",
    "wage": "wage",
    "统一社会信用代码": "employer_uscc",
    "单位统一社会信用代码": "employer_uscc",
    "身份证号码": "id_number",
    "公民身份号码": "id_number",
    "身份证号": "id_number",
    "姓名": "name",
    "所属期": "month",
    "费款所属期": "month",
    "缴费工资": "wage",
    "申报工资": "wage",
}


@dataclass(frozen=True, slots=True)
class DeclarationRow:
    """One data row of a declaration, with its line number in the file (header = line 1)."""

    line: int
    employer_uscc: str
    id_number: str
    name: str
    month: str
    wage: str


def decode_csv(data: bytes) -> str:
    """Text of a CSV file in UTF-8 (with or without BOM) or GBK/GB18030; otherwise InvalidInput."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InvalidInput("import.encoding", "file", line=line) from None


def _header_map(header: list[str]) -> list[str | None]:
    names = [h.strip().lstrip("\ufeff").strip().lower() for h in header]
    mapped = [HEADER_ALIASES.get(n) for n in names]
    unknown = [header[i].strip() for i, m in enumerate(mapped) if m is None and names[i]]
    if unknown:
        raise InvalidInput("import.unknown_columns", "header", columns=", ".join(unknown))
    dupes = sorted({m for m in mapped if m and mapped.count(m) > 1})
    if dupes:
        raise InvalidInput("import.duplicate_columns", "header", columns=", ".join(dupes))
    missing = [c for c in COLUMNS if c not in mapped]
    if missing:
        raise InvalidInput("import.missing_columns", "header", columns=", ".join(missing))
    return mapped


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) >= 1e6 else format(Decimal(repr(value)), "f")
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.year:04d}-{value.month:02d}"
    return str(value).strip()


def rows_from_table(table: list[list[object]], first_line: int = 1) -> list[DeclarationRow]:
    """Declaration rows from a header row and data rows; blank rows are skipped."""
    if not table or not any(_cell(c) for c in table[0]):
        raise InvalidInput("import.empty", "file")
    mapped = _header_map([_cell(c) for c in table[0]])
    width = len(mapped)
    rows: list[DeclarationRow] = []
    problems: list[RowProblem] = []
    for offset, raw in enumerate(table[1:], start=1):
        cells = [_cell(c) for c in raw]
        if not any(cells):
            continue
        line = first_line + offset
        while len(cells) > width and cells[-1] == "":
            cells.pop()
        if len(cells) != width:
            problems.append(RowProblem(line, "", "import.cells",
                                       {"line": line, "found": len(cells), "expected": width}))
            continue
        values = {m: cells[i] for i, m in enumerate(mapped) if m}
        rows.append(DeclarationRow(line, values["employer_uscc"].upper().replace(" ", ""),
                                   values["id_number"].upper().replace(" ", ""), values["name"],
                                   values["month"], values["wage"]))
    if problems:
        raise InvalidRows(problems)
    if not rows:
        raise InvalidInput("import.no_rows", "file")
    return rows


def parse_csv_bytes(data: bytes) -> list[DeclarationRow]:
    """Declaration rows from the bytes of a CSV file."""
    text = decode_csv(data)
    sample = text[:2048]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    table: list[list[object]] = [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    return rows_from_table(table)


def parse_xlsx(path: Path) -> list[DeclarationRow]:
    """Declaration rows from the first sheet of an XLSX workbook."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise InvalidInput("import.unreadable", "file", reason=type(exc).__name__) from None
    try:
        sheet = book.worksheets[0]
        table = [list(r) for r in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    return rows_from_table(table)


def cell_text(value: object) -> str:
    """A cell as text, the way declaration cells are read (dates as their month)."""
    return _cell(value)


def read_table(path: object) -> list[list[object]]:
    """The header row and data rows of a .csv (UTF-8 or GBK) or .xlsx file's first sheet."""
    from openpyxl import load_workbook

    file = Path(str(path))
    suffix = file.suffix.lower()
    if suffix not in (".csv", ".txt", ".xlsx"):
        raise InvalidInput("import.format", "file", suffix=suffix or "(none)")
    try:
        if suffix != ".xlsx":
            text = decode_csv(file.read_bytes())
            sample = text[:2048]
            delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
            return [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
        try:
            book = load_workbook(file, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
            raise InvalidInput("import.unreadable", "file", reason=type(exc).__name__) from None
        try:
            return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
        finally:
            book.close()
    except OSError as exc:
        raise InvalidInput("import.unreadable", "file", reason=exc.strerror or str(exc)) from None


def read_declaration(path: Path) -> list[DeclarationRow]:
    """Declaration rows from a .csv or .xlsx file."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".txt", ".xlsx"):
        raise InvalidInput("import.format", "file", suffix=suffix or "(none)")
    try:
        if suffix == ".xlsx":
            return parse_xlsx(path)
        return parse_csv_bytes(path.read_bytes())
    except OSError as exc:
        raise InvalidInput("import.unreadable", "file", reason=exc.strerror or str(exc)) from None
