"""Reading an employer's declaration file: CSV (UTF-8 or GBK), XLSX or XLS, header row required.

Columns: employer_uscc,id_number,name,month,wage (or the Chinese headers
统一社会信用代码,身份证号码,姓名,所属期,缴费工资). Parsing only splits and names the cells;
the contribution service checks every value and reports each bad row with its line. A row whose
first cell starts with `#` is a note (the template's example and format help) and is not read.

Also here, for the employer: the template to fill (`write_template`) and the list of bad rows as
the employer's own rows with the reason added (`write_error_list`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import warnings
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple, cast

from desktop.core.csvsafe import write_csv, write_sheet, write_xlsx
from desktop.core.errors import InvalidInput, InvalidRows, RowProblem
from desktop.core.messages import field_label
from desktop.core.outfile import check_target

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


NOTE = "#"
"""A row whose first cell starts with this is a note, not a declared month."""

FORMATS = (".csv", ".txt", ".xlsx", ".xls")
"""The file types a declaration may come in."""


class DeclarationRow(NamedTuple):
    """One data row of a declaration, with its line number in the file (header = line 1). (A named
    tuple: a county's month is 100,000 of them, made in a fraction of a dataclass's time.)"""

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
    if type(value) is str:  # every cell of a CSV file, most of a workbook's
        return value.strip()
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
    at_uscc, at_id, at_name, at_month, at_wage = (mapped.index(c) for c in COLUMNS)
    rows: list[DeclarationRow] = []
    problems: list[RowProblem] = []
    strip = str.strip
    for offset, raw in enumerate(table[1:], start=1):
        try:
            cells = list(map(strip, cast("list[str]", raw)))  # (every cell of a CSV file is text: `_cell` of each)
        except TypeError:
            cells = [_cell(c) for c in raw]
        if not any(cells) or cells[0].startswith(NOTE):
            continue
        line = first_line + offset
        if len(cells) != width:
            while len(cells) > width and cells[-1] == "":
                cells.pop()
        if len(cells) != width:
            problems.append(RowProblem(line, "", "import.cells",
                                       {"line": line, "found": len(cells), "expected": width}))
            if len(problems) >= MAX_PROBLEMS:  # a file of nothing but bad rows: the first ones say enough
                break
            continue
        if max(map(len, cells)) > MAX_FIELD:
            long = next((m for i, m in enumerate(mapped) if m and len(cells[i]) > MAX_FIELD), None)
            if long is not None:
                problems.append(RowProblem(line, long, "import.field_long", {"limit": MAX_FIELD}))
                continue
        rows.append(DeclarationRow(line, cells[at_uscc].upper().replace(" ", ""),
                                   cells[at_id].upper().replace(" ", ""), cells[at_name],
                                   cells[at_month], cells[at_wage]))
    if problems:
        raise InvalidRows(problems)
    if not rows:
        raise InvalidInput("import.no_rows", "file")
    return rows


def parse_csv_bytes(data: bytes) -> list[DeclarationRow]:
    """Declaration rows from the bytes of a CSV file."""
    return rows_from_table(_csv_table(data))


def parse_xlsx(path: Path) -> list[DeclarationRow]:
    """Declaration rows from the first sheet of an XLSX workbook."""
    return rows_from_table(_xlsx_table(path))


def cell_text(value: object) -> str:
    """A cell as text, the way declaration cells are read (dates as their month)."""
    return _cell(value)


# Limits: a file over them is refused before it is read whole -----------------------------------

MAX_ROWS = 100_000
"""Rows after the header a file may have (notes and blank rows count): a month of a county's
largest employer is far fewer."""

MAX_FIELD = 200
"""Characters a cell may have (a name, a number or a month is far shorter)."""

MAX_PROBLEMS = 1_000
"""Bad rows listed at most: after that many the file is refused without checking the rest."""

MAX_FILE_BYTES = 64 * 1024 * 1024
"""The size of a declaration file (100,000 rows of CSV are about 8 MB)."""

MAX_UNPACKED = 256 * 1024 * 1024
"""What the parts of an XLSX workbook may unpack to together (a small file may unpack to gigabytes)."""

_MAX_LINE = 4 * 1024
"""Characters a line of a CSV file may have (five cells of at most MAX_FIELD, with room to spare)."""


def _too_many_rows(rows: int) -> InvalidInput:
    return InvalidInput("import.too_many_rows", "file", rows=rows, limit=MAX_ROWS)


def _csv_table(data: bytes) -> list[list[object]]:
    """The rows of a CSV file's bytes; a line over _MAX_LINE, more than MAX_ROWS rows or bytes that
    are no CSV are refused with their line, before the rows are split into cells."""
    text = decode_csv(data)
    plain = text.replace("\r\n", "\n").replace("\r", "\n")  # for counting lines only
    lines = plain.count("\n") + 1
    if lines > MAX_ROWS + 2:
        raise _too_many_rows(lines - 1)
    split = plain.split("\n")
    if max(map(len, split)) > _MAX_LINE:
        number = next(i for i, line in enumerate(split, start=1) if len(line) > _MAX_LINE)
        raise InvalidRows([RowProblem(number, "", "import.line_long", {"line": number, "limit": _MAX_LINE})])
    if "\0" in text:
        line = plain[: plain.index("\0")].count("\n") + 1
        raise InvalidRows([RowProblem(line, "", "import.nul", {"line": line})])
    sample = text[:2048]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        table: list[list[object]] = [*reader]
    except csv.Error as exc:  # a quoted field over the csv module's limit
        raise InvalidInput("import.csv_damaged", "file", line=reader.line_num, reason=str(exc)) from None
    return table


def _read_bytes(file: Path) -> bytes:
    """The bytes of a file no larger than MAX_FILE_BYTES (checked before it is read)."""
    with file.open("rb") as fh:
        data = fh.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput("import.too_large", "file", limit=MAX_FILE_BYTES // (1024 * 1024))
    return data


def _xlsx_table(path: Path) -> list[list[object]]:
    """The first sheet of an XLSX workbook. The zip's parts are checked first (what they unpack to,
    the number of rows of the sheet, counted in its XML without parsing it), so a workbook over the
    limits is refused quickly; any damage openpyxl or zipfile meet is InvalidInput."""
    import zipfile

    from openpyxl import load_workbook

    if path.stat().st_size > MAX_FILE_BYTES:
        raise InvalidInput("import.too_large", "file", limit=MAX_FILE_BYTES // (1024 * 1024))
    try:
        with zipfile.ZipFile(path) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
                raise InvalidInput("import.too_large", "file", limit=MAX_FILE_BYTES // (1024 * 1024))
            for info in archive.infolist():
                if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                    rows = _count_rows(archive, info)
                    if rows > MAX_ROWS + 1:
                        raise _too_many_rows(rows - 1)
        with warnings.catch_warnings():  # openpyxl warns (on stderr) about what it skips in a damaged file
            warnings.simplefilter("ignore")
            book = load_workbook(path, read_only=True, data_only=True)
        try:
            if not book.worksheets:
                raise InvalidInput("import.unreadable", "file", reason="no sheet")
            table: list[list[object]] = []
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for row in book.worksheets[0].iter_rows(values_only=True):
                    table.append(list(row))
                    if len(table) > MAX_ROWS + 1:
                        raise _too_many_rows(len(table) - 1)
            return table
        finally:
            book.close()
    except InvalidInput:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl and zipfile raise many kinds for a damaged file
        raise InvalidInput("import.unreadable", "file", reason=type(exc).__name__) from None


def _count_rows(archive: object, info: object) -> int:
    """How many <row> elements a sheet's XML has, counted in chunks (bounded memory, no parsing)."""
    import re
    import zipfile

    assert isinstance(archive, zipfile.ZipFile) and isinstance(info, zipfile.ZipInfo)
    prefixed = re.compile(rb"<[A-Za-z_][\w.-]*:row[\s>/]")  # <x:row ...> in a namespaced sheet

    def rows_in(data: bytes) -> int:
        count = data.count(b"<row ") + data.count(b"<row>") + data.count(b"<row/")
        return count + (len(prefixed.findall(data)) if b":row" in data else 0)

    count = 0
    tail = b""
    with archive.open(info) as fh:
        while chunk := fh.read(1024 * 1024):
            data = tail + chunk
            # a tag cut at the chunk's end is counted in the next one: keep the last bytes back
            cut_at = max(0, len(data) - 64)
            cut_at = data.rfind(b"<", 0, cut_at + 1) if b"<" in data[cut_at:] else len(data)
            cut_at = max(cut_at, 0)
            count += rows_in(data[:cut_at])
            tail = data[cut_at:]
            if count > MAX_ROWS + 1:
                return count
    return count + rows_in(tail)


def _xls_table(data: bytes) -> list[list[object]]:
    """The first sheet of an Excel 97-2003 workbook, dates as dates (xlrd)."""
    import xlrd

    try:
        # xlrd writes its warnings about a damaged file to stdout (where --json output goes)
        book = xlrd.open_workbook(file_contents=data, on_demand=True, logfile=io.StringIO())
        try:
            sheet = book.sheet_by_index(0)
            if sheet.nrows > MAX_ROWS + 1:
                raise _too_many_rows(sheet.nrows - 1)
            table: list[list[object]] = []
            for r in range(sheet.nrows):
                row: list[object] = []
                for c in range(sheet.ncols):
                    cell = sheet.cell(r, c)
                    if cell.ctype == xlrd.XL_CELL_DATE:
                        row.append(xlrd.xldate_as_datetime(cell.value, book.datemode))
                    elif cell.ctype == xlrd.XL_CELL_ERROR:
                        row.append(xlrd.error_text_from_code.get(cell.value, "#ERROR"))
                    elif isinstance(cell.value, float) and cell.value.is_integer():
                        row.append(int(cell.value))  # BIFF keeps every number as a double: 7000, not 7000.0
                    elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                        row.append(bool(cell.value))
                    else:
                        row.append(cell.value)
                table.append(row)
            return table
        finally:
            book.release_resources()
    except InvalidInput:
        raise
    except Exception:  # noqa: BLE001 - xlrd raises many kinds (XLRDError, struct.error, IndexError...) for a damaged file
        raise InvalidInput("import.xls_damaged", "file") from None


def read_table(path: object) -> list[list[object]]:
    """The header row and data rows of a .csv (UTF-8 or GBK), .xlsx or .xls file's first sheet,
    within the limits above."""
    file = Path(str(path))
    suffix = file.suffix.lower()
    if suffix not in FORMATS:
        raise InvalidInput("import.format", "file", suffix=suffix or "(none)")
    try:
        if suffix == ".xls":
            return _xls_table(_read_bytes(file))
        if suffix != ".xlsx":
            return _csv_table(_read_bytes(file))
        return _xlsx_table(file)
    except OSError as exc:
        raise InvalidInput("import.unreadable", "file", reason=exc.strerror or str(exc)) from None


def read_declaration(path: Path) -> list[DeclarationRow]:
    """Declaration rows from a .csv, .xlsx or .xls file."""
    return rows_from_table(read_table(path))


# The template an employer fills in --------------------------------------------------------------

TEMPLATE_HEADER = ("统一社会信用代码", "身份证号码", "姓名", "所属期", "缴费工资")
"""The template's header: the Chinese column names the reader takes, in the order of COLUMNS."""

TEMPLATE_EXAMPLE = ("#示例 91350100M000100Y43", "11010519491231002X", "张三", "2026-09", "7000.00")
"""The example row: marked by the leading #, so it is never imported even if left in."""

TEMPLATE_NOTE = ("# 说明：以 # 开头的行不导入，可删除。每人每月一行；所属期写 YYYY-MM（如 2026-09）；"
                 "缴费工资以元为单位，最多两位小数，不写千位分隔符；外籍人员在身份证号码列填社会保障号码。")

TEMPLATE_HELP = (
    ("列名", "含义", "格式", "示例"),
    ("统一社会信用代码", "用人单位的统一社会信用代码", "18位数字或大写字母", "91350100M000100Y43"),
    ("身份证号码", "职工的公民身份号码；外籍人员填社会保障号码", "18位，末位可为X；请按文本录入，勿转为数字",
     "11010519491231002X"),
    ("姓名", "职工姓名，与登记的姓名一致", "文字", "张三"),
    ("所属期", "费款所属期（缴费月份）", "YYYY-MM 或 YYYYMM", "2026-09"),
    ("缴费工资", "该月的缴费工资，按缴费基数上下限核定", "以元为单位的数字，最多两位小数，不带千位分隔符", "7000.00"),
)
"""The format help: what each column means, its format and an example."""


def template_rows() -> list[tuple[str, ...]]:
    """The rows of the CSV template: header, the marked example, the note."""
    return [TEMPLATE_HEADER, TEMPLATE_EXAMPLE, (TEMPLATE_NOTE,)]


def write_template(path: Path) -> None:
    """The declaration template to path: CSV (UTF-8 with BOM) or XLSX by the file's name.

    The XLSX has the header, the marked example and the note on its first sheet (identity and
    month columns formatted as text, so a spreadsheet program keeps the 18 digits and the month
    as typed) and a second sheet 填写说明 with each column's meaning, format and an example."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise InvalidInput("import.template_format", "out", suffix=suffix or "(none)")
    check_target(path)
    try:
        if suffix == ".csv":
            write_csv(path, template_rows())
            return
        _write_template_xlsx(path)
    except OSError as exc:
        raise InvalidInput("out.write", "out", path=str(path), reason=exc.strerror or str(exc)) from None


def _write_template_xlsx(path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "申报"
    write_sheet(sheet, template_rows())
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in sheet[2]:
        cell.font = Font(italic=True, color="808080")
    sheet["A3"].font = Font(italic=True, color="808080")
    for letter, width, fmt in (("A", 26, "@"), ("B", 22, "@"), ("C", 12, "@"), ("D", 10, "@"), ("E", 12, "0.00")):
        sheet.column_dimensions[letter].width = width
        for row in range(4, 1004):
            sheet[f"{letter}{row}"].number_format = fmt
    sheet.freeze_panes = "A2"
    help_sheet = book.create_sheet("填写说明")
    write_sheet(help_sheet, TEMPLATE_HELP)
    for cell in help_sheet[1]:
        cell.font = bold
    for letter, width in (("A", 18), ("B", 40), ("C", 44), ("D", 22)):
        help_sheet.column_dimensions[letter].width = width
    for row in help_sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    book.save(path)


# The bad rows, as the employer's own rows -------------------------------------------------------

ERROR_LINE = "原行号"
ERROR_REASON = "错误原因"


def error_table(table: list[list[object]], problems: list[RowProblem],
                lang: str = "zh") -> list[list[object]]:
    """The bad rows as the employer sent them: 原行号, the employer's columns as they came (their
    header as it was), 错误原因 (each problem as "field: reason", several joined by "；")."""
    header = list(table[0]) if table else []
    width = max([len(header), *(len(table[p.line - 1]) for p in problems if 0 < p.line <= len(table))])
    header += [""] * (width - len(header))
    reasons: dict[int, list[str]] = {}
    for p in problems:
        reason = p.message(lang)
        reasons.setdefault(p.line, []).append(f"{field_label(p.field, lang)}：{reason}" if p.field else reason)
    out: list[list[object]] = [[ERROR_LINE, *header, ERROR_REASON]]
    for line in sorted(reasons):
        raw = list(table[line - 1]) if 0 < line <= len(table) else []
        out.append([line, *raw, *([None] * (width - len(raw))), "；".join(reasons[line])])
    return out


def write_error_list(source: Path, problems: list[RowProblem], path: Path, lang: str = "zh") -> int:
    """The bad rows of the declaration `source` to path as the employer's rows with the reason
    added: XLSX when path ends in .xlsx, CSV (UTF-8 with BOM) otherwise. Every text cell is made
    formula-safe (desktop.core.csvsafe). Returns the number of rows written."""
    check_target(path)
    rows = error_table(read_table(source), problems, lang)
    try:
        if path.suffix.lower() == ".xlsx":
            write_xlsx(path, {"错误清单": rows})
        else:
            write_csv(path, rows)
    except OSError as exc:
        raise InvalidInput("out.write", "out", path=str(path), reason=exc.strerror or str(exc)) from None
    return len(rows) - 1
