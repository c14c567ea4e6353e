"""The form engine: form files checked at load, PDFs read back, rendered and compared."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from conftest import EMPLOYER, TODAY, _office
from pgserver import PostgresServer, drop_database, psql
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import event

from desktop.core.errors import RefusedByRule
from desktop.core.forms import fonts
from desktop.core.forms.spec import FormFileError, load_form
from desktop.core.ledger import Ledger
from desktop.core.services.documents import DATA_PATHS, KINDS, check_forms, forms, numbers_under
from desktop.core.store.engine import make_engine, migrate
from desktop.core.store.models import Document
from desktop.core.verification import normalise

B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def _pdf_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _pdffonts(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "f.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return out.splitlines()[2:]


def _png(pdf: bytes, tmp_path: Path, dpi: int = 50, page: int = 1) -> Image.Image:
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png",
                    "-singlefile", str(path), str(tmp_path / "r")], check=True)
    return Image.open(tmp_path / "r.png").convert("RGB")


@pytest.fixture
def long_history(ledger: Ledger, person: str) -> str:
    """The fixture person with pension months in 2002..2026 (25 account years), every past year's
    crediting rate known (rates before 2016 and 2025's are not shipped: the office enters them)."""
    for year in [*range(2002, 2016), 2025]:
        ledger.reference.set_interest(year, "0.025")
    for year in range(2002, 2027):
        ledger.contributions.record(person, EMPLOYER, f"{year}-03", "5000", "pension,medical")
    return person


def test_shipped_forms_load() -> None:
    assert check_forms() == []
    assert set(forms()) == {"statement", "transfer-certificate", "coverage-certificate", "exemption-statistics",
                            "transfer-report",
                            "contact-letter", "information-table", "temporary-account",
                            "scheme-switch-notice", "medical-certificate", "pension-estimate",
                            "pension-determination"}


BAD_FORMS = [
    ("[form]\nid='x'\nkind='statement'\nversion='1'\ntitle='t'\n[[element]]\ntype='circle'\nx=1\n",
     7, "unknown element type"),
    ("[form]\nid='x'\nkind='statement'\nversion='1'\ntitle='t'\n[[element]]\ntype='text'\nx=1\ny=2\ntext='{person.salary}'\n",
     10, "{person.salary}"),
    (("[form]\nid='x'\nkind='statement'\nversion='1'\ntitle='t'\n[[element]]\ntype='text'\ntext='a'\n"
      "x = 1\ncolour='red'\n"), 10, "unknown key 'colour'"),
    (("[form]\nid='x'\nkind='statement'\nversion='1'\ntitle='t'\n[[element]]\ntype='text'\ntext='a'\n"
      "[[element]]\ntype='table'\nsource='periods'\ny=50\ncolumns=[{key='months', title='m', width=250}]\n"),
     13, "run off the page"),
    (("[form]\nid='x'\nkind='statement'\nversion='1'\ntitle='t'\n[[element]]\ntype='table'\nsource='people'\n"
      "columns=[{key='name', title='n', width=20}]\n"), 8, "not a list"),
    ("[form]\nid='x'\nkind='letter'\nversion='1'\ntitle='t'\n", 1, "unknown document kind"),
    ("[form]\nid='x'\nkind='statement'\nversion='1'\ntitle='t'\n[[element]]\ntype='text'\ntext='a'\nx=1\ny=2\nafter_table=true\n",
     6, "no table"),
    ("[form]\nid = 'x'\nkind = \n", 3, "not valid TOML"),
    ("[form]\nid='x'\nkind='statement'\nversion='1'\ntitle='t'\n[[element]]\ntype='text'\ntext='a'\nx=1\ny=400\n",
     10, "'y' must be a number"),
]


@pytest.mark.parametrize(("text", "line", "reason"), BAD_FORMS)
def test_bad_form_files_name_file_line_and_reason(tmp_path: Path, text: str, line: int, reason: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormFileError) as err:
        load_form(path, DATA_PATHS)
    assert err.value.line == line, str(err.value)
    assert reason in err.value.reason
    assert str(err.value).startswith(f"bad.toml:{line}: ")
    assert check_forms(tmp_path) == [str(err.value)]


def test_statement_reads_back(ledger: Ledger, long_history: str, tmp_path: Path) -> None:
    issued = ledger.documents.issue("statement", long_history, "王经办")
    reader = PdfReader(io.BytesIO(issued.pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    fonts_used = _pdffonts(issued.pdf, tmp_path)
    assert fonts_used and all(" yes yes " in line for line in fonts_used)  # embedded subsets
    text = "\n".join(_pdf_text(issued.pdf))
    for expected in ("参保缴费证明", "张三", "510107198511113215", issued.number, "职工基本养老保险",
                     "职工基本医疗保险", "王经办", "南昌市社保局", "2026-11-23"):
        assert expected in text, expected
    assert reader.metadata["/Keywords"] == "shebao-verification:" + issued.code
    assert issued.number == "OFF01-ZM2026000001"


def test_table_continues_over_pages_with_its_header(ledger: Ledger, long_history: str) -> None:
    issued = ledger.documents.issue("statement", long_history)
    pages = _pdf_text(issued.pdf)
    # page 1: periods, employers, the months begin; page 2: the months end, the years; page 3: the
    # closing lines and the seal
    assert issued.pages == len(pages) == 3
    for page in pages[:2]:
        assert "年月 缴费单位 缴费基数 养老单位 养老个人 医疗 失业 工伤 生育 状态" in page  # header repeated
    assert "年度 月数 缴费基数合计 上年末余额 记账利率 本年利息 本年记账 年末余额" in pages[1]
    for page in pages:
        assert "第" in page and f"共 {issued.pages} 页" in page
    years = [y for y in range(2002, 2027) if any(f"\n{y} " in p or p.startswith(f"{y} ") for p in pages)]
    assert years == list(range(2002, 2027))
    all_text = "".join(pages)
    assert all(all_text.count(f"{y} 1 ") == 1 for y in range(2002, 2027))  # each year once
    assert all(all_text.count(f"{y}-03 南昌赣江机械制造有限公司") == 1 for y in range(2002, 2027))  # each month once
    assert "特此证明" in pages[-1] and "特此证明" not in pages[0]


def test_qr_payload_equals_the_printed_code(ledger: Ledger, long_history: str, tmp_path: Path) -> None:
    issued = ledger.documents.issue("transfer-certificate", long_history)
    found = zxingcpp.read_barcodes(_png(issued.pdf, tmp_path, dpi=150), formats=zxingcpp.BarcodeFormat.QRCode)
    assert [r.text for r in found] == [issued.code]
    printed = "".join(_pdf_text(issued.pdf)).replace("\n", "")
    assert normalise(issued.code) in normalise(printed)


def test_verify_accepts_the_code_and_refuses_every_altered_character(ledger: Ledger, person: str) -> None:
    ledger.contributions.record(person, EMPLOYER, "2026-10", "6000")
    issued = ledger.documents.issue("statement", person)
    ok = ledger.documents.verify(issued.code)
    assert ok.valid and ok.number == issued.number and ok.name == "张三" and ok.kind == "statement"
    assert ledger.documents.verify(issued.code.lower().replace("-", " ")).valid
    body = normalise(issued.code)[3:]
    for i, ch in enumerate(body):
        other = B32[(B32.index(ch) + 7) % 32]
        altered = "SB1" + body[:i] + other + body[i + 1:]
        verdict = ledger.documents.verify(altered, "en")
        assert not verdict.valid, i
    assert not ledger.documents.verify("SB1" + body[:-8]).valid
    assert not ledger.documents.verify("hello").valid


def test_copies_and_voiding(ledger: Ledger, person: str, tmp_path: Path) -> None:
    ledger.contributions.record(person, EMPLOYER, "2026-10", "6000")
    issued = ledger.documents.issue("transfer-certificate", person)
    assert "副本" not in "".join(_pdf_text(issued.pdf))
    again = ledger.documents.reprint(issued.number)
    assert again.copy and again.code == issued.code and "副本" in "".join(_pdf_text(again.pdf))
    assert [d.prints for d in ledger.documents.list_for(person)] == [2]
    ledger.documents.void(issued.number, "信息有误，重新出具")
    verdict = ledger.documents.verify(issued.code)
    assert not verdict.valid and verdict.void and "信息有误" in verdict.reason
    with pytest.raises(RefusedByRule) as err:  # refused with the reason, and no print counted
        ledger.documents.reprint(issued.number)
    assert (err.value.key, err.value.field) == ("document.void", "number")
    assert issued.number in err.value.message("zh") and "信息有误，重新出具" in err.value.message("zh")
    assert [d.prints for d in ledger.documents.list_for(person)] == [2]


def test_another_offices_code_needs_trust(ledger: Ledger, person: str, tmp_path: Path) -> None:
    other = Ledger.open(tmp_path / "other.db", clock=lambda: TODAY)
    other.office.init("GZ01", "广州市社保局", "440100")
    other.reference.set_wage("440000", 2026, "9000")
    other.employers.register(EMPLOYER, "广州某公司", "440100", 1)
    other.workers.register_citizen("510107198511113215", "张三", "510107", "rural")
    other.contributions.record("510107198511113215", EMPLOYER, "2026-10", "9000")
    code = other.documents.issue("transfer-certificate", "510107198511113215").code
    first = ledger.documents.verify(code)
    assert not first.valid and "GZ01" in first.reason
    ledger.office.trust(other.office.identity())
    assert ledger.documents.verify(code).valid
    other.close()


def test_certificate_needs_a_pension_record(ledger: Ledger, person: str) -> None:
    with pytest.raises(RefusedByRule) as err:
        ledger.documents.issue("transfer-certificate", person)
    assert (err.value.key, err.value.field) == ("document.no_pension", "worker")
    assert "养老" in err.value.message("zh")


def test_batch_with_progress_and_cancel(ledger: Ledger, person: str, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    paths = ledger.documents.batch("statement", [person] * 3, tmp_path / "out",
                                   progress=lambda d, t: seen.append((d, t)) or True)
    assert len(paths) == 3 and all(p.read_bytes().startswith(b"%PDF") for p in paths)
    assert seen[-1] == (3, 3)
    stopped = ledger.documents.batch("statement", [person] * 5, tmp_path / "out2",
                                     progress=lambda d, t: d < 2)
    assert len(stopped) == 2


def test_missing_font_names_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    fonts.cjk_font.cache_clear()
    monkeypatch.setattr(fonts, "CANDIDATES", (("/nonexistent/simsun.ttc", 0),))
    monkeypatch.setenv("SHEBAO_FONT", "/nonexistent/custom.ttf")
    try:
        with pytest.raises(fonts.FontMissing) as err:
            fonts.cjk_font()
        assert err.value.key == "font.missing"
        assert err.value.params == {"tried": "/nonexistent/custom.ttf; /nonexistent/simsun.ttc"}
        assert "fonts-wqy-microhei" in err.value.message("zh") and "SHEBAO_FONT" in err.value.message("en")
        assert "/nonexistent/custom.ttf" in err.value.message("en")
    finally:
        monkeypatch.undo()
        fonts.cjk_font.cache_clear()


def test_numbers_go_on_per_kind_and_year_on_the_index(ledger: Ledger, person: str) -> None:
    """Each kind has a prefix of its own; a new number counts the kind's numbers of the year on the
    number's index, never reading the documents' rows (which carry their whole data)."""
    prefixes = [p for p, _zh, _en in KINDS.values()]
    assert len(set(prefixes)) == len(prefixes)
    ledger.contributions.record(person, EMPLOYER, "2026-10", "6000")
    first = ledger.documents.issue("transfer-certificate", person)
    statement = ledger.documents.issue("statement", person)
    said: list[tuple[str, object]] = []

    def heard(_conn: object, _cursor: object, sql: str, params: object, *_rest: object) -> None:
        if "document" in sql and "count(" in sql:
            said.append((sql, params))

    event.listen(ledger.engine, "before_cursor_execute", heard)
    try:
        second = ledger.documents.issue("transfer-certificate", person)
    finally:
        event.remove(ledger.engine, "before_cursor_execute", heard)
    assert (first.number, statement.number, second.number) == (
        "OFF01-PZ2026000001", "OFF01-ZM2026000001", "OFF01-PZ2026000002")
    assert said
    with ledger.read() as s:
        for sql, params in said:
            plan = s.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params).all()  # type: ignore[arg-type]
            assert all(str(step[-1]).startswith("SEARCH") and "COVERING INDEX" in str(step[-1])
                       for step in plan), plan
        # another year's or another office's numbers are not counted
        assert numbers_under(s, Document.number, "OFF01-PZ2025") == 0
        assert numbers_under(s, Document.number, "OFF01-PZ2026") == 2
        assert numbers_under(s, Document.number, "OFF0-PZ2026") == 0


def test_numbers_go_on_on_a_hub_whose_text_follows_a_locale(pg_server: PostgresServer) -> None:
    """A PostgreSQL database may order text by a locale (here ICU's zh-CN), where ':' comes before
    the digits: a range up to the prefix and ':' would find no number there, and every new document
    would take the first number again. The numbers still go on."""
    name = "t_numbers_zh"
    psql(pg_server, f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu "
                    "ICU_LOCALE 'zh-CN' LOCALE 'C.utf8'")
    url = pg_server.admin_url(name)
    try:
        engine = make_engine(url)
        migrate(engine)
        with engine.connect() as conn:  # the collation this test is about
            assert conn.exec_driver_sql("SELECT 'OFF01-PZ2026:' < 'OFF01-PZ2026000001'").scalar() is True
        engine.dispose()
        hub = _office(Ledger.open(url, clock=lambda: TODAY))
        try:
            person = hub.workers.register_citizen("510107198511113215", "张三", "510107", "rural").key
            hub.contributions.record(person, EMPLOYER, "2026-10", "6000")
            numbers = [hub.documents.issue("transfer-certificate", person).number for _ in range(2)]
        finally:
            hub.close()
        assert numbers == ["OFF01-PZ2026000001", "OFF01-PZ2026000002"]
    finally:
        drop_database(pg_server, name)
