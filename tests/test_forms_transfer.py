"""The pension transfer forms: the contact letter (联系函) and the information table (信息表)."""

from __future__ import annotations

import io
import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from desktop.core.forms.render import DocumentData, render
from desktop.core.forms.spec import FormSpec, format_value
from desktop.core.services.documents import DATA_PATHS, KINDS, check_forms, forms

CODE = "SB1-" + "-".join(["ABCDE"] * 56)
TRANSFER_KINDS = ("contact-letter", "information-table")
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_.]*)\}")


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _embedded_fonts(pdf: bytes, tmp_path: Path) -> list[str]:
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


def _used(spec: FormSpec) -> set[str]:
    """Every data path the form shows: placeholders in its texts and its table columns."""
    used: set[str] = set()
    for el in spec.elements:
        for text in (el.text, el.text_en, el.value):
            used.update(_PLACEHOLDER.findall(text))
        if el.type == "table":
            used.add(el.source + "[]")
            used.update(f"{el.source}[].{col.key}" for col in el.columns)
    return used


_PERSON = {"person.name": "张三", "person.sex": "男", "person.birth_date": "1972-03-14",
           "person.id_number": "510107197203143219", "person.ssn": "510107197203143219",
           "person.hukou": "四川省成都市武侯区（农村）", "person.phone": "13800000000",
           "person.nationality": "中国", "person.passport": "—"}
_CASE = {"case.number": "ZY2026000317", "case.from_region": "360100", "case.from_region_name": "江西省南昌市",
         "case.to_region": "440100", "case.to_region_name": "广东省广州市"}


def letter_data() -> DocumentData:
    """A contact letter from the Guangzhou office (receiving) to the Nanchang office (the old one)."""
    values = {**_PERSON, **_CASE,
              "office.name": "广州市社会保险基金管理中心", "office.code": "GZ0020", "office.region": "440100",
              "office.region_name": "广东省广州市", "doc.number": "GZ0020-LX2026000042",
              "doc.date": "2026-11-23", "doc.kind_name": KINDS["contact-letter"][1], "doc.clerk": "李经办",
              "to.office_name": "南昌市社会保险事业管理局",
              "letter.office_name": "广州市社会保险基金管理中心",
              "letter.address": "广州市天河区天河北路123号社保大厦5楼",
              "letter.bank_account_name": "广州市社会保险基金管理中心企业职工基本养老保险基金收入户",
              "letter.bank": "中国工商银行广州天河支行", "letter.bank_account": "3602 0012 0920 0123 456",
              "letter.phone": "020-12345678",
              "letter.basis": "《城镇企业职工基本养老保险关系转移接续暂行办法》（国办发〔2009〕66号）"}
    return DocumentData(values, {})


def _pct(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"


def table_data(first_year: int = 1992, last_year: int = 2026) -> DocumentData:
    """An information table from the Nanchang office: one row per year, money lines that add up."""
    rows: list[dict[str, str]] = []
    balance = pre1998 = to_last_year_end = this_year = Decimal(0)
    pooling = Decimal(0)
    months_paid = 0
    for year in range(first_year, last_year + 1):
        base = (Decimal(300) * Decimal("1.08") ** (year - 1992)).quantize(Decimal(1))
        months = 10 if year == last_year else 12
        account_rate = Decimal("0.11") if year < 2006 else Decimal("0.08")
        personal_rate = min(Decimal("0.03") + Decimal("0.01") * max(0, (year - 1996) // 2), Decimal("0.08"))
        employer_rate = Decimal("0.20") if year < 2019 else Decimal("0.16")
        credited = (base * months * account_rate).quantize(Decimal("0.01"))
        interest = Decimal(0) if year == last_year else (balance * Decimal("0.04")).quantize(Decimal("0.01"))
        balance += credited + interest
        rows.append({"year": str(year), "base": f"{base:.2f}", "months": str(months),
                     "employer_rate": _pct(employer_rate), "account_rate": _pct(account_rate),
                     "personal_rate": _pct(personal_rate), "credited": f"{credited:.2f}",
                     "interest": f"{interest:.2f}", "closing": f"{balance:.2f}"})
        months_paid += months
        if year == 1997:
            pre1998 = balance
        if year >= 1998:
            pooling += (base * months * Decimal("0.12")).quantize(Decimal("0.01"))
        if year == last_year - 1:
            to_last_year_end = balance - pre1998
        if year == last_year:
            this_year = credited
    account = pre1998 + to_last_year_end + this_year
    values = {**_PERSON, **_CASE,
              "office.name": "南昌市社会保险事业管理局", "office.code": "NC0791", "office.region": "360100",
              "office.region_name": "江西省南昌市", "doc.number": "NC0791-XX2026000007",
              "doc.date": "2026-11-23", "doc.kind_name": KINDS["information-table"][1], "doc.clerk": "王经办",
              "table.first_month": f"{first_year}-01", "table.account_opened": f"{max(first_year, 1996)}-01",
              "table.period_from": f"{first_year}-01", "table.period_to": f"{last_year}-10",
              "table.months_paid": str(months_paid), "table.account_type": "普通账户",
              "money.pre1998": f"{pre1998:.2f}", "money.to_last_year_end": f"{to_last_year_end:.2f}",
              "money.this_year_principal": f"{this_year:.2f}", "money.account": f"{account:.2f}",
              "money.pooling": f"{pooling:.2f}", "money.total": f"{account + pooling:.2f}"}
    periods = [{"kind": "视同缴费", "region": "440100", "region_name": "广东省广州市", "first": "1990-01",
                "last": f"{first_year - 1}-12", "months": str((first_year - 1990) * 12),
                "source": "穗档案〔1998〕12号"},
               {"kind": "实际缴费", "region": "360100", "region_name": "江西省南昌市", "first": f"{first_year}-01",
                "last": f"{last_year}-10", "months": str(months_paid), "source": "NC0791"}]
    return DocumentData(values, {"rows": rows, "periods": periods})


def test_transfer_forms_load_with_their_kinds() -> None:
    assert check_forms() == []
    shipped = forms()
    assert set(TRANSFER_KINDS) <= set(shipped)
    assert KINDS["contact-letter"][:2] == ("LX", "基本养老保险关系转移接续联系函")
    assert KINDS["information-table"][:2] == ("XX", "基本养老保险参保缴费信息表")
    for kind in TRANSFER_KINDS:
        spec = shipped[kind]
        # information-table 2026.2: the periods table; 2026.3 and contact-letter 2026.2: the office's
        # address, postcode and phone in the heading
        version = "2026.3" if kind == "information-table" else "2026.2"
        assert spec.kind == kind and spec.version == version and spec.data_paths == DATA_PATHS[kind]
        assert spec.title == KINDS[kind][1]
    assert [t.source for t in shipped["information-table"].tables] == ["rows", "periods"]
    assert shipped["contact-letter"].tables == ()


@pytest.mark.parametrize("kind", TRANSFER_KINDS)
def test_forms_show_every_field_of_their_kind(kind: str) -> None:
    # the person's birth date, phone, nationality and passport belong to other documents
    unused = {"person.birth_date", "person.phone", "person.nationality", "person.passport",
              "doc.kind_name", "office.region", "office.region_name"}
    assert DATA_PATHS[kind] - unused <= _used(forms()[kind])


def test_contact_letter_reads_back(tmp_path: Path) -> None:
    data = letter_data()
    out = render(forms()["contact-letter"], data, CODE)
    reader = PdfReader(io.BytesIO(out.pdf))
    assert out.pages == len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    fonts_used = _embedded_fonts(out.pdf, tmp_path)
    assert fonts_used and all(" yes yes " in line for line in fonts_used)  # embedded subsets
    text = _pages(out.pdf)[0]
    for expected in ("基本养老保险关系转移接续联系函", "南昌市社会保险事业管理局", "360100", "江西省南昌市",
                     "张三", "男", "510107197203143219", "四川省成都市武侯区", "ZY2026000317",
                     "GZ0020-LX2026000042", "广州市天河区天河北路123号社保大厦5楼", "开户名称",
                     "企业职工基本养老保险基金收入户", "开户银行", "中国工商银行广州天河支行", "银行账号",
                     "3602 0012 0920 0123 456", "020-12345678", "440100", "广东省广州市",
                     "国办发〔2009〕66号", "李经办", "2026-11-23", "业务专用章", "第 1 页 / 共 1 页"):
        assert expected in text, expected
    assert reader.metadata["/Keywords"] == "shebao-verification:" + CODE
    found = zxingcpp.read_barcodes(_png(out.pdf, tmp_path, dpi=150), formats=zxingcpp.BarcodeFormat.QRCode)
    assert [r.text for r in found] == [CODE]


def test_information_table_reads_back(tmp_path: Path) -> None:
    data = table_data(2018, 2026)
    out = render(forms()["information-table"], data, CODE)
    reader = PdfReader(io.BytesIO(out.pdf))
    # nine years and two periods: the periods table and the office's seal go on to a second page
    assert out.pages == len(reader.pages) == 2
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    fonts_used = _embedded_fonts(out.pdf, tmp_path)
    assert fonts_used and all(" yes yes " in line for line in fonts_used)
    text = "\n".join(_pages(out.pdf))
    for period in data.lists["periods"]:  # what the next office types in: one line per period
        assert " ".join(period[k] for k in ("kind", "region", "region_name", "first", "last", "months")) in text
    v = data.values
    for expected in ("基本养老保险参保缴费信息表", "NC0791-XX2026000007", "ZY2026000317", "张三",
                     "510107197203143219", "首次参保缴费时间", "2018-01", "个人账户建立时间",
                     "本地参保缴费起止时间", "2026-10", "实际缴费月数", v["table.months_paid"], "普通账户",
                     "1998年前个人缴费累计本息", "1998年至上年末个人账户累计储存额", "当年个人账户记账本金",
                     "个人账户转移额", "统筹基金转移额", "转移总额", *(format_value(v[f"money.{k}"]) for k in (
                         "to_last_year_end", "this_year_principal", "account", "pooling", "total")),
                     "360100 江西省南昌市", "440100 广东省广州市", "南昌市社会保险事业管理局",
                     "王经办", "出具日期：2026-11-23", "业务专用章"):
        assert expected in text, expected
    assert Decimal(v["money.total"]) == Decimal(v["money.account"]) + Decimal(v["money.pooling"])


def test_information_table_with_35_years_runs_over_pages_with_its_header() -> None:
    data = table_data(1992, 2026)
    assert len(data.lists["rows"]) == 35
    out = render(forms()["information-table"], data, CODE)
    pages = _pages(out.pdf)
    assert out.pages == len(pages) >= 2
    header = ("年度", "缴费基数", "缴费月数", "单位缴费比例", "记入个人账户比例", "个人缴费比例",
              "当年记账金额", "当年记账利息", "年末累计储存额")
    for n, page in enumerate(pages, start=1):
        assert all(title in page for title in header), n  # the header repeated on every page
        assert f"第 {n} 页 / 共 {out.pages} 页" in page
    assert "转移总额" in pages[0] and "转移总额" not in pages[1]  # the money lines once, on page 1
    assert "记入个人账户比例" in pages[1] and "1998年前个人缴费累计本息" not in pages[1]
    all_text = "\n".join(pages)
    for row in data.lists["rows"]:  # each year once, in order, with its year-end balance (amounts grouped)
        line = f"{row['year']} {format_value(row['base'])} {row['months']} "
        assert all_text.count(line) == 1, line
        assert format_value(row["closing"]) in all_text
    years = [int(y) for y in re.findall(r"^(\d{4}) [\d,]+\.\d\d \d+ ", all_text, re.MULTILINE)]
    assert years == list(range(1992, 2027))
    assert "1992 " in pages[0] and "2026 " in pages[-1]
    assert "王经办" in pages[-1] and "王经办" not in pages[0]  # the closing block after the table
