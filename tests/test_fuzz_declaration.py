"""Fuzz: declaration files (CSV, XLSX, XLS) given to the contribution import.

Every case is a small valid declaration changed byte-wise (or, for XLSX, a part inside the zip
changed and the zip rebuilt), or a file of tests/corpus/declaration/. A case passes when the import
records the file or refuses it with a typed error (InvalidInput...), and a refusal leaves the
database and the folder as they were. See tests/fuzz_support.py for the number of cases.
"""

from __future__ import annotations

import io
import json
import time
import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import xlwt
from conftest import EMPLOYER, TODAY
from fuzz_support import CORPUS, FUZZ, Watch, fuzz_office, mutated, mutated_zip, run_cli, typed
from hypothesis import given
from openpyxl import Workbook

from desktop.core.clock import Clock
from desktop.core.errors import InvalidInput
from desktop.core.ledger import Ledger
from desktop.core.services.declaration import MAX_ROWS, read_table
from desktop.core.services.flexible import read_flexible

ID = "510107198511113215"
HEADER = ["统一社会信用代码", "身份证号码", "姓名", "所属期", "缴费工资"]
ROWS = [[EMPLOYER, ID, "张三", "2026-09", "7000.00"],
        [EMPLOYER, ID, "张三", "2026-10", "7000.50"],
        [EMPLOYER, "11010519491231002X", "李四", "2026-10", "6500"]]


def _csv(rows: list[list[str]], encoding: str = "utf-8-sig") -> bytes:
    return "\r\n".join(",".join(r) for r in rows).encode(encoding) + b"\r\n"


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xls(rows: list[list[object]]) -> bytes:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("申报")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def office(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Ledger, Watch, Path]]:
    """One office for every case of this file: a person registered, a folder for the files."""
    folder = tmp_path_factory.mktemp("fuzz-declaration")
    db = folder / "office.db"
    ledger = fuzz_office(sqlite_template, folder, "OFF01", EMPLOYER, ID)
    files = folder / "in"
    files.mkdir()
    watch = Watch(db, files)
    yield ledger, watch, files
    watch.close()
    ledger.close()


def _import(office: tuple[Ledger, Watch, Path], name: str, data: bytes) -> dict[str, object]:
    ledger, watch, files = office
    path = files / name
    path.write_bytes(data)
    outcome: dict[str, object] = {}
    try:
        with watch.unchanged_unless_done(outcome):
            outcome.update(typed(lambda: ledger.contributions.import_file(path)))
    finally:
        path.unlink()
    return outcome


CSV_SEEDS = [_csv([HEADER, *ROWS]), _csv([HEADER, *ROWS], "gb18030"),
             _csv([["employer_uscc", "id_number", "name", "month", "wage"], *ROWS]).replace(b",", b"\t")]


@FUZZ
@given(data=mutated(CSV_SEEDS))
def test_csv(office: tuple[Ledger, Watch, Path], data: bytes) -> None:
    _import(office, "申报.csv", data)


@FUZZ
@given(data=mutated_zip(_xlsx([HEADER, *ROWS])))
def test_xlsx(office: tuple[Ledger, Watch, Path], data: bytes) -> None:
    _import(office, "申报.xlsx", data)


@FUZZ
@given(data=mutated([_xls([HEADER, *ROWS])]))
def test_xls(office: tuple[Ledger, Watch, Path], data: bytes) -> None:
    _import(office, "申报.xls", data)


FLEXIBLE_SEEDS = [_csv([["身份证号码", "姓名", "起始月份", "截止月份", "缴费基数比例"],
                       [ID, "张三", "2026-01", "2026-06", "0.60"], [ID, "张三", "2026-07", "", "1"]])]


@FUZZ
@given(data=mutated(FLEXIBLE_SEEDS))
def test_flexible_payment_csv(office: tuple[Ledger, Watch, Path], data: bytes) -> None:
    """A flexible worker's payment file (read by the same reader, checked by its own rows)."""
    ledger, watch, files = office
    path = files / "灵活就业.csv"
    path.write_bytes(data)
    outcome: dict[str, object] = {}
    try:
        with watch.unchanged_unless_done(outcome):
            outcome.update(typed(lambda: ledger.flexible.import_rows(read_flexible(path))))
    finally:
        path.unlink()


@pytest.mark.parametrize("path", sorted((CORPUS / "declaration").iterdir()), ids=lambda p: p.name)
def test_corpus(office: tuple[Ledger, Watch, Path], path: Path) -> None:
    outcome = _import(office, path.name, path.read_bytes())
    assert outcome["refused"], path.name


def test_a_big_xlsx_is_refused_quickly_in_bounded_memory(tmp_path: Path) -> None:
    """300,000 rows in a small XLSX (the sheet XML compresses well) are refused from the row count
    in the XML, before openpyxl reads any row."""
    row = (f'<row r="{{}}"><c t="inlineStr"><is><t>{EMPLOYER}</t></is></c><c t="inlineStr"><is><t>{ID}'
           '</t></is></c><c t="inlineStr"><is><t>x</t></is></c><c t="inlineStr"><is><t>2026-10</t></is></c>'
           '<c><v>6500</v></c></row>')
    seed = _xlsx([HEADER])
    with zipfile.ZipFile(io.BytesIO(seed)) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    body = "".join(row.format(n) for n in range(2, 300_002))
    sheet = sheet.replace("</sheetData>", body + "</sheetData>").replace('<dimension ref="A1:E1"/>', "")
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    path = tmp_path / "big.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    start = time.perf_counter()
    with pytest.raises(InvalidInput) as err:
        read_table(path)
    seconds = time.perf_counter() - start
    tracemalloc.start()
    with pytest.raises(InvalidInput) as again:
        read_table(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert err.value.key == again.value.key == "import.too_many_rows"
    assert err.value.params["limit"] == MAX_ROWS
    assert seconds < 3, seconds
    assert peak < 32 * 1024 * 1024, peak
    print(f"{path.stat().st_size // 1024} KiB XLSX of 300,000 rows refused in {seconds:.2f} s, peak {peak >> 20} MiB")


def test_strict_values_in_rows(office: tuple[Ledger, Watch, Path]) -> None:
    """The values once read wrongly are refused, each with its line and field."""
    rows = [HEADER,
            [EMPLOYER, ID, "张三", "2026-09", "1e999999999999"],
            [EMPLOYER, ID, "张三", "2026-08-32", "7000"],
            [EMPLOYER, ID, "张三", "2026-07", "٦٥٠٠"],
            [EMPLOYER, ID, "张三", "2026-06", "6_500"],
            [EMPLOYER, ID, "", "2026-05", "7000"],
            [EMPLOYER, ID, "=1+2", "2026-04", "7000"]]
    ledger, _, files = office
    path = files / "strict.csv"
    path.write_bytes("\n".join(",".join(r) for r in rows).encode())
    from desktop.core.errors import InvalidRows

    with pytest.raises(InvalidRows) as err:
        ledger.contributions.import_file(path)
    path.unlink()
    found = [(p.line, p.field, p.key) for p in err.value.rows]
    assert found == [(2, "wage", "amount.format"), (3, "month", "month.format"), (4, "wage", "amount.format"),
                     (5, "wage", "amount.format"), (6, "name", "required"), (7, "name", "text.formula")]
    path.write_bytes("\n".join(",".join(r) for r in [HEADER, [EMPLOYER, ID, "张三", "2026-03", "9" * 300]]).encode())
    with pytest.raises(InvalidRows) as err:  # a cell over the limit: refused while the file is read
        ledger.contributions.import_file(path)
    path.unlink()
    assert [(p.line, p.field, p.key) for p in err.value.rows] == [(2, "wage", "import.field_long")]


def test_corpus_through_the_command_line(office: tuple[Ledger, Watch, Path]) -> None:
    """`shebao --json contrib import FILE` on every bad file: exit 2, one JSON object on stdout (no
    library's warnings mixed in), the reason on stderr, the database as it was."""
    _, watch, files = office
    db = files.parent / "office.db"
    for path in sorted((CORPUS / "declaration").iterdir()):
        before = watch.version()
        code, out, err = run_cli(["--db", str(db), "--json", "contrib", "import", str(path)],
                                 clock=Clock(day=lambda: TODAY))
        assert code == 2, (path.name, code, err)
        error = json.loads(out)["error"]
        assert error["code"] == "invalid_input" and error["key"], path.name
        assert "Traceback" not in err and "Warning" not in err, (path.name, err)
        assert len(out) < 60_000, (path.name, len(out))
        assert watch.version() == before, path.name
