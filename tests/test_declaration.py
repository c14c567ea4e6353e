"""Employer declarations: CSV in UTF-8 and GBK, XLSX, Chinese headers, all rows or none."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from conftest import EMPLOYER, examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import text

from desktop.core.errors import InvalidInput, InvalidRows
from desktop.core.ledger import Ledger
from desktop.core.services.declaration import parse_csv_bytes

OTHER = "36010219650304101"


def _other_id() -> str:
    from stdnum.cn import ric

    return OTHER + ric.calc_check_digit(OTHER + "0")


@pytest.fixture
def two_people(ledger: Ledger) -> tuple[str, str]:
    a = ledger.workers.register_citizen("510107198511113215", "张三", "510107", "rural").key
    b = ledger.workers.register_citizen(_other_id(), "李四", "360102", "urban").key
    return a, b


def _csv(tmp_path: Path, rows: list[str], encoding: str = "utf-8",
         header: str = "employer_uscc,id_number,name,month,wage") -> Path:
    path = tmp_path / "decl.csv"
    path.write_bytes(("\n".join([header, *rows]) + "\n").encode(encoding))
    return path


def _count(ledger: Ledger) -> int:
    with ledger.read() as s:
        return int(s.execute(text("SELECT count(*) FROM contribution")).scalar() or 0)


def test_gbk_with_chinese_headers_imports_every_row(ledger: Ledger, two_people: tuple[str, str],
                                                    tmp_path: Path) -> None:
    a, b = two_people
    rows = [f"{EMPLOYER},{a},张三,2026-0{m},7000" for m in (7, 8, 9)] + [f"{EMPLOYER},{b},李四,202609,5000.50"]
    path = _csv(tmp_path, rows, "gbk", "统一社会信用代码,身份证号码,姓名,所属期,缴费工资")
    result = ledger.contributions.import_file(path)
    assert (result.rows, result.recorded, result.lines) == (4, 4, 16)
    assert _count(ledger) == 16
    again = ledger.contributions.import_file(path)
    assert (again.recorded, again.already_recorded) == (0, 4)
    assert _count(ledger) == 16


def test_an_import_runs_with_the_garbage_collector_paused_and_restores_it(
        ledger: Ledger, two_people: tuple[str, str], tmp_path: Path) -> None:
    """The bulk step pauses the cyclic collector (its passes over the objects the rows make cost
    time and free nothing) and turns it back on after, also when the file is refused."""
    a, _b = two_people
    seen: list[bool] = []

    def progress(_done: int, _total: int) -> bool:
        seen.append(gc.isenabled())
        return True

    path = _csv(tmp_path, [f"{EMPLOYER},{a},张三,2026-0{m},7000" for m in (7, 8, 9)])
    assert ledger.contributions.import_file(path, progress=progress).recorded == 3
    assert seen and not any(seen) and gc.isenabled()
    with pytest.raises(InvalidRows):
        ledger.contributions.import_file(_csv(tmp_path, [f"{EMPLOYER},{a},王五,2026-10,7000"]))
    assert gc.isenabled()
    gc.disable()  # a caller that paused it itself keeps it paused
    try:
        ledger.contributions.import_file(_csv(tmp_path, [f"{EMPLOYER},{a},张三,2026-10,7000"]))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_utf8_bom_and_xlsx(ledger: Ledger, two_people: tuple[str, str], tmp_path: Path) -> None:
    a, b = two_people
    path = tmp_path / "decl.csv"
    path.write_bytes("\ufeffemployer_uscc,id_number,name,month,wage\n".encode()
                     + f"{EMPLOYER},{a},张三,2026-10,7000\n".encode())
    assert ledger.contributions.import_file(path).recorded == 1
    book = Workbook()
    sheet = book.active
    sheet.append(["统一社会信用代码", "身份证号码", "姓名", "所属期", "缴费工资"])
    sheet.append([EMPLOYER, b, "李四", "2026-10", 5321.5])
    sheet.append([None, None, None, None, None])
    xlsx = tmp_path / "decl.xlsx"
    book.save(xlsx)
    assert ledger.contributions.import_file(xlsx).recorded == 1
    with ledger.read() as s:
        assert s.execute(text("SELECT wage FROM contribution WHERE worker_id = 2 LIMIT 1")).scalar() == 532150


def test_bad_rows_are_all_reported_and_nothing_is_written(ledger: Ledger, two_people: tuple[str, str],
                                                          tmp_path: Path) -> None:
    a, b = two_people
    rows = [
        f"{EMPLOYER},{a},张三,2026-10,7000",            # line 2 fine
        f"{EMPLOYER},510107198511113214,张三,2026-10,7000",  # 3 bad check character
        f"{EMPLOYER},{b},王五,2026-10,7000",            # 4 name mismatch
        f"{EMPLOYER},{b},李四,2026-13,7000",            # 5 bad month
        f"{EMPLOYER},{b},李四,2026-09,0",               # 6 zero wage
        f"91110000600037341L,{b},李四,2026-08,7000",    # 7 unknown employer
        f"{EMPLOYER},{a},张三,2026-10,7100",            # 8 repeats line 2
        f"{EMPLOYER},{b},李四,2027-01,7000",            # 9 future
        f"{EMPLOYER},{b},李四,2026-07,7000,extra",      # 10 too many cells
    ]
    with pytest.raises(InvalidRows) as err:
        ledger.contributions.import_file(_csv(tmp_path, rows))
    assert [r.line for r in err.value.rows] == [10]
    rows.pop()
    with pytest.raises(InvalidRows) as err:
        ledger.contributions.import_file(_csv(tmp_path, rows))
    found = {r.line: (r.field, r.key) for r in err.value.rows}
    assert found == {
        3: ("id_number", "id.checksum"), 4: ("name", "worker.name_mismatch"),
        5: ("month", "month.format"), 6: ("wage", "amount.positive"),
        7: ("employer_uscc", "employer.unknown"), 8: ("month", "contrib.duplicate_row"),
        9: ("month", "month.future"),
    }
    payload = err.value.to_json("en")
    assert payload["rows"][0] == {"line": 3, "field": "id_number",
                                  "message": "the ID number's check character does not match: check the number"}
    assert _count(ledger) == 0


def test_a_different_wage_for_a_recorded_month_is_refused(ledger: Ledger, two_people: tuple[str, str],
                                                          tmp_path: Path) -> None:
    a, _ = two_people
    ledger.contributions.import_file(_csv(tmp_path, [f"{EMPLOYER},{a},张三,2026-10,7000"]))
    with pytest.raises(InvalidRows) as err:
        ledger.contributions.import_file(_csv(tmp_path, [f"{EMPLOYER},{a},张三,2026-10,7500"]))
    assert err.value.rows[0].key == "contrib.exists_other"
    assert _count(ledger) == 4


@pytest.mark.parametrize(
    ("content", "key"),
    [
        (b"", "import.empty"),
        (b"employer_uscc,id_number,name,month\n1,2,3,4\n", "import.missing_columns"),
        (b"employer_uscc,id_number,name,month,wage,bonus\n", "import.unknown_columns"),
        (b"employer_uscc,id_number,name,month,wage\n", "import.no_rows"),
        (b"employer_uscc,id_number,name,month,wage\n\xff\xfe\xfa\n", "import.encoding"),
        (b"wage,wage,id_number,name,month,employer_uscc\n", "import.duplicate_columns"),
    ],
)
def test_file_level_refusals(ledger: Ledger, tmp_path: Path, content: bytes, key: str) -> None:
    path = tmp_path / "decl.csv"
    path.write_bytes(content)
    with pytest.raises(InvalidInput) as err:
        ledger.contributions.import_file(path)
    assert err.value.key == key
    assert err.value.message("zh") and err.value.message("en")


def test_undecodable_bytes_name_the_line() -> None:
    data = b"employer_uscc,id_number,name,month,wage\n" + b"a,b,c,d,e\n" + b"\x81\x20\xff,x,y,z,w\n"
    with pytest.raises(InvalidInput) as err:
        parse_csv_bytes(data)
    assert (err.value.key, err.value.params["line"]) == ("import.encoding", 3)


def test_other_file_types_and_damaged_xlsx(ledger: Ledger, tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    with pytest.raises(InvalidInput) as err:
        ledger.contributions.import_file(tmp_path / "a.pdf")
    assert err.value.key == "import.format"
    (tmp_path / "b.xlsx").write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(InvalidInput) as err:
        ledger.contributions.import_file(tmp_path / "b.xlsx")
    assert err.value.key == "import.unreadable"


@settings(max_examples=examples(300), suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_parser_never_crashes_on_arbitrary_bytes(data: bytes) -> None:
    try:
        rows = parse_csv_bytes(data)
    except (InvalidInput, InvalidRows):
        return
    assert all(r.line >= 2 for r in rows)


cell = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
               max_size=12)


@settings(max_examples=examples(200))
@given(st.lists(st.tuples(cell, cell, cell, cell, cell), min_size=1, max_size=8),
       st.sampled_from(["utf-8", "gb18030"]))
def test_parser_round_trips_written_csv(rows: list[tuple[str, ...]], encoding: str) -> None:
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["employer_uscc", "id_number", "name", "month", "wage"])
    writer.writerows(rows)
    try:
        parsed = parse_csv_bytes(buf.getvalue().encode(encoding))
    except InvalidInput as err:
        assert err.key == "import.no_rows"
        assert all(not any(c.strip() for c in r) or r[0].strip().startswith("#") for r in rows)
        return
    except InvalidRows:
        return  # a cell with a line break or stray quote can change the cell count; reported per line
    assert len(parsed) <= len(rows)
    for r in parsed:
        assert r.name in {row[2].strip() for row in rows}
