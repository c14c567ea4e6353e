"""The form engine's printing rules: field formats, the seal's text, the 经办人 line, the QR code's
module size, and the short code typed from paper (verified against the register, and by the CLI)."""

from __future__ import annotations

import io
import json
import re
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from conftest import EMPLOYER, TODAY
from PIL import Image
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from test_form_goldens import golden_data

from desktop import cli
from desktop.core.clock import Clock
from desktop.core.forms.fonts import cjk_font
from desktop.core.forms.render import (
    MIN_MODULE_MM,
    SEAL_MIN_SIZE,
    DocumentData,
    place_qr,
    render,
    seal_lines,
)
from desktop.core.forms.spec import Element, FormFileError, format_value, load_form
from desktop.core.ledger import Ledger
from desktop.core.services.documents import DATA_PATHS, forms
from desktop.core.verification import normalise_short, short_code, split_short

HEAD = "[form]\nid='x'\nkind='statement'\nversion='1'\ntitle='t'\n"


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _form(tmp_path: Path, body: str) -> Any:
    path = tmp_path / "f.toml"
    path.write_text(HEAD + body, encoding="utf-8")
    return load_form(path, DATA_PATHS)


# 1. formats -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "fmt", "printed"), [
    (Decimal("1234567.8"), "money", "1,234,567.80"),
    (Decimal("1234567.89"), "money", "1,234,567.89"),
    (Decimal(0), "money", "0.00"),
    (Decimal("-1234.5"), "money", "-1,234.50"),
    (Decimal("999.99"), "money", "999.99"),
    (Decimal("12345678901.01"), "money", "12,345,678,901.01"),  # exact: no float on the way
    ("1234567.80", "money", "1,234,567.80"),
    ("1,234.5", "money", "1,234.50"),
    ("—", "money", "—"),
    ("", "money", ""),
    (0, "int", "0"),
    ("", "int", "0"),
    ("0", "int", "0"),
    ("142", "int", "142"),
    (Decimal(12), "int", "12"),
    ("12345.67", "auto", "12,345.67"),
    ("-0.50", "auto", "-0.50"),
    ("2026", "auto", "2026"),
    ("142", "auto", "142"),
    ("6.12%", "auto", "6.12%"),
    ("2026-11-23", "auto", "2026-11-23"),
    ("NC0791-ZM2026000123", "auto", "NC0791-ZM2026000123"),
    ("12345.67", "text", "12345.67"),
])
def test_format_value(value: Any, fmt: str, printed: str) -> None:
    assert format_value(value, fmt) == printed


def test_formats_on_fields_and_columns(tmp_path: Path) -> None:
    spec = _form(tmp_path, (
        "[[element]]\ntype='field'\ntext='余额：'\nvalue='{account.balance}'\nx=15\ny=20\nw=80\n"
        "[[element]]\ntype='field'\ntext='欠缴：'\nvalue='{account.note}'\nformat='int'\nx=15\ny=30\nw=80\n"
        "[[element]]\ntype='text'\ntext='原样：{person.ssn}'\nformat='text'\nx=15\ny=40\n"
        "[[element]]\ntype='table'\nsource='periods'\ny=60\ncolumns=["
        "{key='months', title='月数', width=20, format='int'}, {key='arrears', title='欠缴', width=20, format='int'},"
        "{key='region', title='金额', width=40, format='money'}]\n"))
    data = DocumentData({"account.balance": "1234567.80", "account.note": "", "person.ssn": "1234.50"},
                        {"periods": [{"months": "12", "arrears": "", "region": "5000"}]})
    text = _text(render(spec, data).pdf)
    assert "余额： 1,234,567.80" in text and "欠缴： 0" in text and "原样：1234.50" in text
    assert "12 0 5,000.00" in text


def test_an_unknown_format_names_its_line(tmp_path: Path) -> None:
    with pytest.raises(FormFileError) as err:
        _form(tmp_path, "[[element]]\ntype='text'\ntext='a'\nx=1\ny=2\nformat='euro'\n")
    assert err.value.line == 11 and "format must be one of auto, int, money, text" in err.value.reason


# 2. the seal and the 经办人 line ----------------------------------------------------------------

@pytest.mark.parametrize("text", ["南昌市社会保险事业管理局（业务专用章）", "（盖章）",
                                  "中国（四川）自由贸易试验区成都片区社会保险事业管理局（业务专用章）"])
def test_seal_text_is_never_cut(text: str) -> None:
    font = cjk_font().name
    size, lines = seal_lines(text, font, 8.0, 36)
    assert "".join(lines) == text
    assert size >= SEAL_MIN_SIZE
    assert all(stringWidth(line, font, size) <= 32 * mm for line in lines)


def test_seal_wraps_after_the_office_name() -> None:
    size, lines = seal_lines("南昌市社会保险事业管理局（业务专用章）", cjk_font().name, 8.0, 36)
    assert (size, lines) == (SEAL_MIN_SIZE, ["南昌市社会保险事业管理局", "（业务专用章）"])
    long_name = "中国（四川）自由贸易试验区成都片区社会保险事业管理局（业务专用章）"
    _, lines = seal_lines(long_name, cjk_font().name, 8.0, 36)
    assert lines == ["中国（四川）自由贸", "易试验区成都片区社", "会保险事业管理局", "（业务专用章）"]  # even lines
    assert seal_lines("南昌市社保局（业务专用章）", cjk_font().name, 8.0, 40) == (7.5, ["南昌市社保局（业务专用章）"])


def test_printed_seal_and_signature(tmp_path: Path) -> None:
    spec = forms()["transfer-certificate"]
    data, code = golden_data(spec)
    values = {**data.values, "office.name": "中国（四川）自由贸易试验区成都片区社会保险事业管理局", "doc.clerk": "—"}
    text = _text(render(spec, DocumentData(values, data.lists), code).pdf)
    flat = re.sub(r"\s+", "", text)
    assert "中国（四川）自由贸易试验区成都片区社会保险事业管理局（业务专用章）" in flat and "…" not in text
    line = next(ln for ln in text.splitlines() if "经办人" in ln)
    assert "—" not in line  # nobody named: the line is left to sign on
    # the footer beside the grown QR code shrinks to stay on the page, whole
    assert "出具机构：中国（四川）自由贸易试验区成都片区社会保险事业管理局（NC0791）" in flat


# 4. the QR code's size ------------------------------------------------------------------------

def test_qr_modules_are_at_least_half_a_millimetre() -> None:
    _, code = golden_data(forms()["statement"])
    small = Element("qr", x=15, y=261, w=24)
    placed = place_qr(small, code)
    assert len(code) > 400 and placed.module_mm >= MIN_MODULE_MM
    assert placed.side == len(placed.matrix) * MIN_MODULE_MM and placed.side + placed.y <= 292
    roomy = place_qr(Element("qr", x=15, y=100, w=24), code)
    assert len(roomy.matrix) > len(placed.matrix)  # error correction M where there is room, L at the foot
    assert roomy.module_mm == MIN_MODULE_MM
    big = place_qr(Element("qr", x=15, y=100, w=60), code)
    assert big.side == 60  # a form may print it larger, never smaller


def test_issued_document_qr_measured_at_150_dpi(ledger: Ledger, person: str, tmp_path: Path) -> None:
    ledger.contributions.record(person, EMPLOYER, "2026-10", "6000")
    issued = ledger.documents.issue("statement", person, "王经办")
    pdf = tmp_path / "s.pdf"
    pdf.write_bytes(issued.pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", "-singlefile", str(pdf),
                    str(tmp_path / "s")], check=True)
    found = zxingcpp.read_barcodes(Image.open(tmp_path / "s.png"), formats=zxingcpp.BarcodeFormat.QRCode)
    assert [r.text for r in found] == [issued.code]
    pos = found[0].position
    modules = len(place_qr(Element("qr", x=15, y=261, w=24), issued.code).matrix)
    side_mm = (pos.top_right.x - pos.top_left.x) / 150 * 25.4
    assert side_mm / modules >= MIN_MODULE_MM * 0.95  # corners are module centres or edges: within a module
    flat = re.sub(r"\s+", "", _text(issued.pdf))
    assert f"简码核验：{issued.number}{short_code(issued.code)}" in flat


# 3. the short code ----------------------------------------------------------------------------

def test_short_code_and_its_typed_forms() -> None:
    _, code = golden_data(forms()["statement"])
    short = short_code(code)
    assert re.fullmatch(r"[A-Z2-7]{4}-[A-Z2-7]{4}", short) and short == short_code(code.lower())
    assert split_short(f"NC0791-ZM2026000123 {short}") == ("NC0791-ZM2026000123", short.replace("-", ""))
    assert split_short(f" nc0791-zm2026000123/{short.lower().replace('-', '')} ") == (
        "NC0791-ZM2026000123", short.replace("-", ""))
    assert split_short("NC0791-ZM2026000123") is None and split_short(code) is None
    assert split_short("NC0791-ZM2026000123 ABCD-EFG") is None
    assert normalise_short("abc0-1b8d") == "ABCOIBBD"


def test_verify_by_number_and_short_code(ledger: Ledger, person: str) -> None:
    ledger.contributions.record(person, EMPLOYER, "2026-10", "6000")
    issued = ledger.documents.issue("statement", person)
    short = short_code(issued.code)
    for typed in (f"{issued.number} {short}", f"{issued.number}/{short.lower()}",
                  f"{issued.number.lower()}  {short.replace('-', ' ')}"):
        ok = ledger.documents.verify(typed)
        assert ok.valid, typed
        assert (ok.kind, ok.number, ok.name, ok.issued_by, ok.date) == ("statement", issued.number, "张三",
                                                                       "OFF01", "2026-11-23")
        assert ok.reason == "验证通过：编号和简码与本机构登记的文书相符"
    wrong = "AAAA-AAAA" if short != "AAAA-AAAA" else "BBBB-BBBB"
    bad = ledger.documents.verify(f"{issued.number} {wrong}", "en")
    assert not bad.valid and not bad.void and bad.name is None
    assert bad.reason == f"the short code does not match document {issued.number} in the register"
    unknown = ledger.documents.verify(f"OFF01-ZM2026999999 {short}")
    assert not unknown.valid and unknown.kind is None
    assert unknown.reason == "本机构文书登记簿中没有编号为OFF01-ZM2026999999的文书"
    assert ledger.documents.verify(issued.code).valid  # the full code as before
    ledger.documents.void(issued.number, "打印错误")
    void = ledger.documents.verify(f"{issued.number} {short}")
    assert not void.valid and void.void and "打印错误" in void.reason


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, Any]:
    code = cli.main([*args, "--json"], clock=Clock(day=lambda: TODAY))
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else None


def test_cli_verify_by_number_and_short_code(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHEBAO_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    db = str(tmp_path / "cli.db")
    for args in (["init", "--office", "NC01", "--office-name", "南昌", "--region", "360100"],
                 ["wage", "set", "--region", "360000", "--year", "2026", "--monthly", "6000"],
                 ["employer", "register", "--uscc", EMPLOYER, "--name", "赣江机械", "--risk-class", "2"],
                 ["worker", "register", "--id-number", "510107198511113215", "--name", "张三",
                  "--hukou-region", "510107", "--hukou-type", "rural"],
                 ["contrib", "record", "--worker", "510107198511113215", "--employer", EMPLOYER,
                  "--month", "2026-10", "--wage", "7000"]):
        assert _run(capsys, "--db", db, *args)[0] == 0
    code, data = _run(capsys, "--db", db, "print", "statement", "510107198511113215", "--out", "s.pdf")
    assert code == 0
    short = short_code(data["verification_code"])
    assert data["short_code"] == short  # printed with the number beside the QR code
    code, verdict = _run(capsys, "--db", db, "verify", data["number"], short)
    assert code == 0 and verdict["valid"] and verdict["number"] == data["number"] and verdict["name"] == "张三"
    code, verdict = _run(capsys, "--db", db, "verify", f"{data['number']}/{short}")
    assert code == 0 and verdict["valid"]
    code, verdict = _run(capsys, "--db", db, "--lang", "en", "verify", data["number"], "AAAA-AAAB")
    assert code == 4 and not verdict["valid"] and "does not match" in verdict["reason"]
    code, verdict = _run(capsys, "--db", db, "--lang", "en", "verify", "NC01-ZM2026000099", short)
    assert code == 4 and not verdict["valid"] and "no document numbered NC01-ZM2026000099" in verdict["reason"]
    code, verdict = _run(capsys, "--db", db, "verify", data["verification_code"])
    assert code == 0 and verdict["valid"]
