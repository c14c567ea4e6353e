"""The employer's side of a declaration: the template, .xls files, the error list as the employer's
rows, and the money due per scheme after an import (service and `shebao contrib`)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import xlwt
from conftest import EMPLOYER, TODAY, examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from desktop import cli
from desktop.core.clock import Clock
from desktop.core.csvsafe import starts_like_formula
from desktop.core.errors import InvalidInput, InvalidRows
from desktop.core.ledger import Ledger
from desktop.core.services.declaration import (
    TEMPLATE_HEADER,
    read_declaration,
    write_error_list,
    write_template,
)

ID = "510107198511113215"


def _xls(path: Path, rows: list[list[object]]) -> Path:
    """A real Excel 97-2003 workbook (BIFF8) written by xlwt, as an old Excel saves it."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("申报")
    date_style = xlwt.easyxf(num_format_str="yyyy-mm")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write(r, c, value, date_style)
            else:
                sheet.write(r, c, value)
    book.save(str(path))
    return path


def _month_lines(ledger: Ledger, person: str) -> list[tuple[int, int]]:
    return ledger.history.month_keys(person)[1]


# The template ------------------------------------------------------------------------------------

def test_the_csv_template_filled_with_a_real_row_imports(ledger: Ledger, person: str, tmp_path: Path) -> None:
    path = tmp_path / "模板.csv"
    write_template(path)
    text = path.read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == ",".join(TEMPLATE_HEADER) == "统一社会信用代码,身份证号码,姓名,所属期,缴费工资"
    assert lines[1] == "#示例 91350100M000100Y43,11010519491231002X,张三,2026-09,7000.00"
    assert lines[2].startswith("# 说明：以 # 开头的行不导入") and "YYYY-MM" in lines[2] and "两位小数" in lines[2]
    with path.open("a", encoding="utf-8", newline="") as fh:
        fh.write(f"{EMPLOYER},{ID},张三,2026-09,7000.00\r\n")
    assert [(r.line, r.id_number, r.month, r.wage) for r in read_declaration(path)] == [
        (4, ID, "2026-09", "7000.00")]
    result = ledger.contributions.import_file(path)
    assert (result.rows, result.recorded, result.lines) == (1, 1, 4)
    assert _month_lines(ledger, person) == [(202609, 1)]


def test_the_xlsx_template_has_format_help_and_filled_imports(ledger: Ledger, person: str, tmp_path: Path) -> None:
    path = tmp_path / "模板.xlsx"
    write_template(path)
    book = load_workbook(path)
    assert book.sheetnames == ["申报", "填写说明"]
    sheet = book["申报"]
    assert [c.value for c in sheet[1]] == list(TEMPLATE_HEADER)
    assert [c.value for c in sheet[2]] == ["#示例 91350100M000100Y43", "11010519491231002X", "张三", "2026-09",
                                           "7000.00"]
    assert str(sheet["A3"].value).startswith("# 说明")
    # the identity number and the month stay text as typed; the wage is a number with two decimals
    assert (sheet["B4"].number_format, sheet["D4"].number_format, sheet["E4"].number_format) == ("@", "@", "0.00")
    help_rows = [[c.value for c in row] for row in book["填写说明"].iter_rows()]
    assert help_rows[0] == ["列名", "含义", "格式", "示例"]
    assert [r[0] for r in help_rows[1:]] == list(TEMPLATE_HEADER)
    assert help_rows[4][2] == "YYYY-MM 或 YYYYMM" and "两位小数" in help_rows[5][2]
    sheet["A4"], sheet["B4"], sheet["C4"], sheet["D4"], sheet["E4"] = EMPLOYER, ID, "张三", "2026-10", 7000.5
    book.save(path)
    result = ledger.contributions.import_file(path)
    assert (result.rows, result.recorded, result.months) == (1, 1, ("2026-10",))
    assert _month_lines(ledger, person) == [(202610, 1)]


def test_a_template_is_csv_or_xlsx(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as err:
        write_template(tmp_path / "模板.xls")
    assert (err.value.key, err.value.field) == ("import.template_format", "out")
    with pytest.raises(InvalidInput) as err:
        write_template(tmp_path / "no-such-folder" / "模板.csv")
    assert err.value.key == "out.no_folder"


# .xls ------------------------------------------------------------------------------------------

def test_an_xls_declaration_records_its_rows(ledger: Ledger, person: str, tmp_path: Path) -> None:
    path = _xls(tmp_path / "decl.xls", [
        list(TEMPLATE_HEADER),
        [EMPLOYER, ID, "张三", "2026-09", 7000],
        [EMPLOYER, ID, "张三", dt.date(2026, 10, 1), 7000.5],  # a month typed as a date cell
        ["#示例", "", "", "", ""],
        ["", "", "", "", ""],
    ])
    rows = read_declaration(path)
    assert [(r.line, r.month, r.wage) for r in rows] == [(2, "2026-09", "7000"), (3, "2026-10", "7000.5")]
    result = ledger.contributions.import_file(path)
    assert (result.rows, result.recorded, result.lines, result.months) == (2, 2, 8, ("2026-09", "2026-10"))
    assert _month_lines(ledger, person) == [(202610, 1), (202609, 1)]


@pytest.mark.parametrize("content", [
    b"",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,  # an OLE2 signature and nothing behind it
    b"not a workbook at all",
    b"PK\x03\x04 an xlsx renamed to .xls",
])
def test_a_damaged_xls_is_refused_clearly(ledger: Ledger, tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.xls"
    path.write_bytes(content)
    with pytest.raises(InvalidInput) as err:
        ledger.contributions.import_file(path)
    assert (err.value.key, err.value.field) == ("import.xls_damaged", "file")


def test_a_truncated_xls_is_refused_clearly(ledger: Ledger, person: str, tmp_path: Path) -> None:
    good = _xls(tmp_path / "good.xls", [list(TEMPLATE_HEADER), [EMPLOYER, ID, "张三", "2026-09", 7000]])
    data = good.read_bytes()
    bad = tmp_path / "bad.xls"
    bad.write_bytes(data[: len(data) // 2])
    with pytest.raises(InvalidInput) as err:
        ledger.contributions.import_file(bad)
    assert err.value.key == "import.xls_damaged"
    assert _month_lines(ledger, person) == []


# The error list as the employer's rows -----------------------------------------------------------

def _bad_rows(tmp_path: Path, suffix: str) -> Path:
    rows: list[list[object]] = [
        list(TEMPLATE_HEADER),
        [EMPLOYER, ID, "张三", "2026-09", "7000"],
        [EMPLOYER, ID, "=1+1", "2026-10", "7000"],
        [EMPLOYER, ID, "张三", "2026-1x", "7000"],
        [EMPLOYER, ID, "张三", "2026-11", "-5"],
    ]
    if suffix == ".csv":
        path = tmp_path / "decl.csv"
        path.write_text("\n".join(",".join(str(c) for c in r) for r in rows) + "\n", encoding="utf-8-sig")
        return path
    if suffix == ".xls":
        return _xls(tmp_path / "decl.xls", rows)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            sheet.cell(r, c).value = value
            sheet.cell(r, c).data_type = "s"  # the employer's "=1+1" as text, not a formula
    path = tmp_path / "decl.xlsx"
    book.save(path)
    return path


EXPECTED_REASONS = [
    (3, "姓名：不能以 = + - @ 开头（电子表格程序会当作公式执行）"),
    (4, "所属期：2026-1x不是有效月份"),
    (5, "缴费工资：必须大于零"),
]


def _refusal(ledger: Ledger, path: Path) -> InvalidRows:
    with pytest.raises(InvalidRows) as err:
        ledger.contributions.import_file(path)
    assert err.value.key == "import.bad_rows"
    return err.value


def test_the_error_list_is_the_employers_rows_with_a_reason_csv(ledger: Ledger, person: str,
                                                                 tmp_path: Path) -> None:
    source = _bad_rows(tmp_path, ".csv")
    refusal = _refusal(ledger, source)
    out = tmp_path / "错误清单.csv"
    assert write_error_list(source, refusal.rows, out) == 3
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"), newline="")))
    assert rows[0] == ["原行号", *TEMPLATE_HEADER, "错误原因"]
    assert rows[1] == ["3", EMPLOYER, ID, "'=1+1", "2026-10", "7000", EXPECTED_REASONS[0][1]]
    assert rows[2][:-1] == ["4", EMPLOYER, ID, "张三", "2026-1x", "7000"]
    assert rows[2][-1].startswith(EXPECTED_REASONS[1][1])
    assert rows[3] == ["5", EMPLOYER, ID, "张三", "2026-11", "'-5", EXPECTED_REASONS[2][1]]
    for row in rows:
        assert all(not starts_like_formula(value) for value in row), row


@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
def test_the_error_list_of_a_workbook_is_a_workbook(ledger: Ledger, person: str, tmp_path: Path,
                                                    suffix: str) -> None:
    source = _bad_rows(tmp_path, suffix)
    refusal = _refusal(ledger, source)
    out = tmp_path / "错误清单.xlsx"
    assert write_error_list(source, refusal.rows, out) == 3
    sheet = load_workbook(out).active
    assert sheet is not None
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["原行号", *TEMPLATE_HEADER, "错误原因"]
    assert [r[0] for r in rows[1:]] == [3, 4, 5]
    assert rows[1][1:6] == [EMPLOYER, ID, "=1+1", "2026-10", "7000"]  # exactly as the employer wrote it
    assert sheet["D2"].data_type == "s" and sheet["D2"].quotePrefix  # shown as text, never run
    assert rows[3][5] == "-5" and sheet["F4"].data_type == "s"
    assert [(r[0], r[6]) for r in rows[1:]][::2] == [EXPECTED_REASONS[0], EXPECTED_REASONS[2]]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


# Money due per scheme ----------------------------------------------------------------------------

def test_an_import_reports_the_money_due_per_scheme(ledger: Ledger, person: str, tmp_path: Path) -> None:
    path = tmp_path / "decl.csv"
    path.write_text(f"{','.join(TEMPLATE_HEADER)}\n{EMPLOYER},{ID},张三,2026-09,7000\n"
                    f"{EMPLOYER},{ID},张三,2026-10,7000.55\n", encoding="utf-8")
    result = ledger.contributions.import_file(path)
    totals = {t.scheme: (t.employer, t.employee, t.total) for t in result.totals}
    worker_id, keys = ledger.history.month_keys(person)
    expected: dict[str, list[Decimal]] = {}
    for row in ledger.history.rows(worker_id, keys).values():
        for scheme, cell in row.cells.items():
            sums = expected.setdefault(scheme, [Decimal(0), Decimal(0)])
            sums[0] += cell.employer
            sums[1] += cell.employee
    assert totals == {k: (er, ee, er + ee) for k, (er, ee) in expected.items()}
    assert totals["pension"] == (Decimal("2240.09"), Decimal("1120.04"), Decimal("3360.13"))
    assert list(totals) == ["pension", "medical", "unemployment", "injury"]
    again = ledger.contributions.import_file(path)
    assert again.recorded == 0 and again.totals == ()  # nothing new is due


# The command line ------------------------------------------------------------------------------

def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, Any, str]:
    code = cli.main(list(args), clock=Clock(day=lambda: TODAY))
    out, err = capsys.readouterr()
    data = json.loads(out) if "--json" in args and out.strip() else out
    return code, data, err


def test_cli_template_import_totals_and_error_list(ledger: Ledger, person: str, db_path: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    ledger.close()
    db = str(db_path)
    template = tmp_path / "模板.xlsx"
    code, data, _ = run(capsys, "--json", "contrib", "template", "--out", str(template))
    assert (code, data) == (0, {"template": str(template), "columns": list(TEMPLATE_HEADER)})
    code, _, err = run(capsys, "--json", "contrib", "template", "--out", str(tmp_path / "t.txt"))
    assert code == 2 and "模板只能保存为.csv或.xlsx" in err
    book = load_workbook(template)
    book["申报"].append([EMPLOYER, ID, "张三", "2026-09", 7000])
    book.save(template)
    code, data, _ = run(capsys, "--db", db, "--json", "contrib", "import", str(template))
    assert code == 0
    assert (data["rows"], data["recorded"], data["already_recorded"], data["lines"], data["months"]) == (
        1, 1, 0, 4, ["2026-09"])
    assert data["totals"]["pension"] == {"employer": "1120.00", "employee": "560.00", "total": "1680.00"}
    assert list(data["totals"]) == ["pension", "medical", "unemployment", "injury"]
    bad = _bad_rows(tmp_path, ".xls")
    out = tmp_path / "错误清单.xlsx"
    code, data, err = run(capsys, "--db", db, "--json", "contrib", "import", str(bad), "--errors-out", str(out))
    assert code == 2 and data["error"]["code"] == "invalid_input"
    assert [r["line"] for r in data["error"]["rows"]] == [3, 4, 5]
    assert f"错误清单（3行）已写入 {out}" in err
    rows = [[c.value for c in r] for r in load_workbook(out).active.iter_rows()]  # type: ignore[union-attr]
    assert rows[0][0] == "原行号" and [r[0] for r in rows[1:]] == [3, 4, 5]
    damaged = tmp_path / "damaged.xls"
    damaged.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1garbage")
    code, data, err = run(capsys, "--db", db, "--json", "contrib", "import", str(damaged))
    assert code == 2 and data["error"]["message"] == "文件：已损坏，或不是Excel 97-2003工作簿（.xls），无法读取"
    assert "Traceback" not in err


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)), min_size=1,
                max_size=8),
       st.integers(min_value=0))
def test_a_damaged_xls_is_a_refusal_never_a_crash(tmp_path_factory: pytest.TempPathFactory,
                                                 flips: list[tuple[int, int]], cut: int) -> None:
    folder = tmp_path_factory.mktemp("xls")
    good = _xls(folder / "good.xls", [list(TEMPLATE_HEADER), [EMPLOYER, ID, "张三", "2026-09", 7000],
                                      [EMPLOYER, ID, "张三", dt.date(2026, 10, 1), 7000.5]])
    data = bytearray(good.read_bytes())
    for at, value in flips:
        data[at % len(data)] = value
    bad = folder / "bad.xls"
    bad.write_bytes(bytes(data[: max(1, cut % (len(data) + 1))]))
    try:
        rows = read_declaration(bad)
    except InvalidInput as err:
        assert err.key in ("import.xls_damaged", "import.unknown_columns", "import.missing_columns",
                           "import.duplicate_columns", "import.empty", "import.no_rows")
        return
    except InvalidRows:
        return
    assert all(r.line >= 2 for r in rows)
