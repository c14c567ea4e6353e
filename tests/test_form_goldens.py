"""Every form file in forms/, rendered with fixed representative data: compared with its golden
image (tests/golden/<file stem>.png), every value it shows read back with pdftotext, and its QR code
read by zxing-cpp from a 150 dpi image of the page.

The data is built from the paths the form's kind provides (DATA_PATHS), so a new form or a new
version is picked up without a change here: known fields get realistic values, the others a value
made from the field's name. SHEBAO_UPDATE_GOLDENS=1 writes the images anew (look at them).
"""

from __future__ import annotations

import math
import os
import re
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image, ImageChops

from desktop.core.forms.render import MIN_MODULE_MM, DocumentData, make_room, place_qr, render
from desktop.core.forms.spec import FormSpec, fill, format_value, load_form
from desktop.core.paths import forms_dir
from desktop.core.services.documents import DATA_PATHS, KINDS
from desktop.core.verification import make_code, short_code

GOLDEN = Path(__file__).parent / "golden"
FORM_FILES = sorted(forms_dir().glob("*.toml"))
TODAY = "2026-11-23"
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_.]*)\}")

# A fixed Ed25519 key: signatures are deterministic, so the code (and so the image) is too.
KEY_PEM = Ed25519PrivateKey.from_private_bytes(bytes(range(32))).private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()

KNOWN = {
    "office.name": "南昌市社会保险事业管理局", "office.code": "NC0791", "office.region": "360100",
    "office.region_name": "江西省南昌市", "doc.date": TODAY, "doc.clerk": "王经办",
    "person.name": "张三", "person.sex": "男", "person.birth_date": "1985-11-11",
    "person.id_number": "510107198511113215", "person.ssn": "510107198511113215",
    "person.hukou": "四川省成都市武侯区（农村）", "person.phone": "13800000000", "person.nationality": "中国 CN",
    "person.passport": "EA1234567", "person.sex_en": "Male",
    "agreement.name_zh": "中华人民共和国和日本国社会保障协定",
    "agreement.name_en": "Agreement between China and Japan on Social Security",
    "partner.name_zh": "日本", "partner.name_en": "Japan", "cert.name_zh": "参保证明",
    "cert.name_partner": "適用証明書",
    "cert.kind_zh": "派遣人员", "cert.kind_en": "posted employee", "employer.name": "南昌赣江机械制造有限公司",
    "employer.uscc": "91360100MA35F7Q108", "host.name": "Muster KK, Tokyo", "case.number": "ZY2026000317",
    "to.office_name": "广州市社会保险基金管理中心", "letter.office_name": "南昌市社会保险事业管理局",
    "letter.address": "南昌市红谷滩区丰和中大道1号", "letter.bank": "中国工商银行南昌分行",
    "letter.bank_account_name": "南昌市社会保险事业管理局养老保险基金收入户",
    "letter.bank_account": "1502 0012 0920 0123 456", "letter.phone": "0791-86543210",
    "letter.basis": "《城镇企业职工基本养老保险关系转移接续暂行办法》",
    "schemes[].name_zh": "职工基本养老保险", "schemes[].name_en": "Basic Pension Insurance",
    "periods[].scheme_name": "职工基本养老保险", "notes[].text": "测算假定缴费基数不变。",
    "account.note": "2026年利息于年末计入。", "report.scope": "2026年",
    "cert.last_employer": "南昌赣江机械制造有限公司",
}
_MONEY = ("balance", "total", "paid", "account", "pooling", "base", "interest", "credited", "closing",
          "opening", "basic", "pension", "refund", "personal", "subsidy", "cost", "principal", "pre1998",
          "wage", "transitional", "to_last_year_end", "due")
_TEXT = ("type", "kind", "note", "source", "basis", "scope", "direction", "label", "assumptions",
         "relationship", "supervisor", "extension")
_COUNT = ("months", "arrears", "people", "employees", "self_employed", "age", "rural", "years", "overlap", "counted")


def _value(path: str, n: int) -> str:
    """A representative value for a data path: known, or made from its name (short, distinct)."""
    if path in KNOWN:
        return KNOWN[path]
    leaf = path.rsplit(".", 1)[-1]
    if leaf.endswith("region_name") or leaf == "country":
        return "江西省南昌市" if leaf != "country" else "日本"
    if leaf.endswith("region") or leaf == "partner":
        return "360100" if leaf != "partner" else "JP"
    if leaf == "year":
        return str(2015 + n % 12)
    if any(word in leaf for word in _TEXT):
        return f"值{n}"
    if "opened" in leaf:
        return "2012-03"
    if "date" in leaf or leaf.endswith("_on") or leaf in ("from", "to"):
        return f"2026-0{1 + n % 9}-1{n % 10}"
    if "month" in leaf and "months" not in leaf or leaf in ("first", "last", "period_from", "period_to"):
        return f"20{10 + n % 16}-{1 + n % 12:02d}"
    if "rate" in leaf and "note" not in leaf:
        return f"{8 + n % 9}%"
    if any(word in leaf for word in _COUNT):
        return str(12 + n)
    if any(word in leaf for word in _MONEY):
        return f"{1000 + n * 1234}.{n % 100:02d}"
    return f"值{n}"


def golden_data(spec: FormSpec) -> tuple[DocumentData, str]:
    """The document's data and its verification code (signed with the fixed key)."""
    kind = spec.kind
    number = f"NC0791-{KINDS[kind][0]}2026000123"
    paths = sorted(DATA_PATHS[kind])
    values = {p: _value(p, i) for i, p in enumerate(paths) if "[]" not in p}
    values.update({"doc.number": number, "doc.kind_name": KINDS[kind][1]})
    lists: dict[str, list[dict[str, str]]] = {}
    for source in sorted(p[:-2] for p in paths if p.endswith("[]")):
        keys = [p.split("[].", 1)[1] for p in paths if p.startswith(source + "[].")]
        lists[source] = [{k: _value(f"{source}[].{k}", i * 7 + j) for j, k in enumerate(keys)} for i in range(3)]
    fields = {"k": kind, "n": number, "o": "NC0791", "d": TODAY, "p": values.get("person.id_number", ""),
              "m": values.get("person.name", ""),
              "x": "months:142;2015-01..2026-10;balance:12345.67"}
    return DocumentData(values, lists), make_code(fields, KEY_PEM)


def _shown(spec: FormSpec, data: DocumentData) -> list[str]:
    """Every value the form shows (formatted as printed), from its placeholders and table columns."""
    out = []
    for el in spec.elements:
        texts = [el.text, el.value] + ([el.text_en] if spec.bilingual else [])
        for text in texts:
            out += [format_value(data.values.get(p, ""), el.format) for p in _PLACEHOLDER.findall(text)
                    if p not in ("page", "pages")]
        if el.type == "table":
            for row in data.lists.get(el.source, []):
                out += [format_value(row.get(col.key, ""), col.format) for col in el.columns]
    return [v for v in out if v.strip()]


def _pdf(pdf: bytes, tmp_path: Path) -> Path:
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf)
    return path


def _png(path: Path, dpi: int) -> Image.Image:
    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", "1", "-l", "1", "-png", "-singlefile", str(path),
                    str(path.with_suffix(f".{dpi}"))], check=True)
    return Image.open(path.with_suffix(f".{dpi}.png")).convert("RGB")


@pytest.fixture(params=FORM_FILES, ids=[p.stem for p in FORM_FILES])
def form(request: pytest.FixtureRequest) -> FormSpec:
    return load_form(request.param, DATA_PATHS)


def test_every_form_file_has_its_golden_test() -> None:
    assert len(FORM_FILES) >= 13
    stems = {p.stem for p in FORM_FILES}
    if os.environ.get("SHEBAO_UPDATE_GOLDENS") != "1":
        assert {p.stem for p in GOLDEN.glob("*.png")} == stems  # no stale goldens, none missing


def test_golden_rendering(form: FormSpec, tmp_path: Path) -> None:
    data, code = golden_data(form)
    image = _png(_pdf(render(form, data, code).pdf, tmp_path), 50)
    golden = GOLDEN / f"{form.path.stem}.png"
    if os.environ.get("SHEBAO_UPDATE_GOLDENS") == "1":
        image.save(golden)
    if not golden.is_file():
        pytest.fail(f"no golden image {golden.name}: write it with SHEBAO_UPDATE_GOLDENS=1 and look at it")
    reference = Image.open(golden).convert("RGB")
    assert image.size == reference.size
    diff = ImageChops.difference(image.convert("L"), reference.convert("L"))
    changed = sum(diff.point(lambda v: 1 if v > 64 else 0).histogram()[1:])
    assert changed / (image.size[0] * image.size[1]) < 0.003, f"{changed} pixels differ from {golden.name}"


def test_every_field_reads_back(form: FormSpec, tmp_path: Path) -> None:
    data, code = golden_data(form)
    path = _pdf(render(form, data, code).pdf, tmp_path)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = re.sub(r"\s+", "", text)
    heading = max((el for el in form.elements if el.type == "text"), key=lambda el: el.size)
    assert re.sub(r"\s+", "", fill(heading.text, data.values, heading.format)) in flat  # the title as printed
    missing = [v for v in _shown(form, data) if re.sub(r"\s+", "", v) not in flat]
    assert missing == []
    if any(el.type == "code" for el in form.elements):
        assert f"{data.values['doc.number']}{short_code(code)}" in flat  # the short code beside the QR


def test_qr_code_decodes_at_150_dpi(form: FormSpec, tmp_path: Path) -> None:
    qrs = [el for el in form.elements if el.type == "qr"]
    data, code = golden_data(form)
    found = zxingcpp.read_barcodes(_png(_pdf(render(form, data, code).pdf, tmp_path), 150),
                                   formats=zxingcpp.BarcodeFormat.QRCode)
    if not qrs:  # a yearly statistics table is signed by 负责人 and 制表人, not with a code
        assert form.kind in ("transfer-report", "exemption-statistics"), form.path.name
        assert not any(el.type == "code" for el in form.elements) and found == []
        return
    assert [r.text for r in found] == [code]
    placed = place_qr(qrs[0], code)
    assert placed.module_mm >= MIN_MODULE_MM
    # measured on the image: the symbol's side in pixels at 150 dpi, over its modules
    pos = found[0].position
    side_px = math.dist((pos.top_left.x, pos.top_left.y), (pos.top_right.x, pos.top_right.y))
    assert side_px / 150 * 25.4 / len(placed.matrix) >= MIN_MODULE_MM * 0.95
    # the elements beside it moved clear of it, and the whole code stays on the printable page
    for el in make_room(form.elements, code):
        if el.type == "code":
            assert el.x >= placed.x + placed.side
    assert placed.y + placed.side <= 297 - 5
