"""The medical insurance transfer certificate (基本医疗保险参保（合）凭证, 医保发〔2021〕43号) and its
receipt: the old office states the months paid here and the cumulative months it knows and has 10
working days from the application; the new office types the certificate in and has 5 working days
from receiving it. Due dates follow the State Council 2026 holiday calendar (国办发明电〔2025〕7号,
carried by the chinese_calendar package): 中秋节 9-25..9-27 off; 国庆节 10-01..10-07 off with Sunday
9-20 and Saturday 10-10 worked."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import EMPLOYER, TODAY
from pypdf import PdfReader
from sqlalchemy import func, select

from desktop import cli
from desktop.core.clock import Clock
from desktop.core.errors import Conflict, InvalidInput, RefusedByRule
from desktop.core.ledger import Ledger
from desktop.core.store.models import CarriedPeriod, Document, OfficeSetting

SHANGHAI = "上海市医保转移凭证 沪医保转〔2015〕1号"
WUHAN = "武汉市医保参保凭证 武医保〔2019〕8号"


def pdf_text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def pay(ledger: Ledger, worker: str, first: tuple[int, int], last: tuple[int, int], schemes: str | None = None) -> int:
    """Record every month from first to last here (all schemes unless given); returns how many."""
    (y, m), n = first, 0
    while (y, m) <= last:
        if schemes is None:
            ledger.contributions.record(worker, EMPLOYER, f"{y}-{m:02d}", "6000")
        else:
            ledger.contributions.record(worker, EMPLOYER, f"{y}-{m:02d}", "6000", schemes)
        n += 1
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return n


def three_regions(ledger: Ledger, person: str) -> None:
    """Paid here 2023-01..2023-12 and 2025-03..2025-08 (12 + 6 = 18 months); Shanghai's certificate
    2010-01..2014-12 (60 months); Wuhan's 2015-01..2019-06, a span of 54 months of which the
    certificate counts 48."""
    assert pay(ledger, person, (2023, 1), (2023, 12)) == 12
    assert pay(ledger, person, (2025, 3), (2025, 8)) == 6
    ledger.insured.carry(person, "medical", "310115", "2010-01", "2014-12", SHANGHAI)
    ledger.insured.carry(person, "medical", "420100", "2015-01", "2019-06", WUHAN, months=48)


def stored(ledger: Ledger) -> tuple[int, int, int]:
    """Documents, carried periods and receipts in the database."""
    with ledger.read() as s:
        return (s.scalar(select(func.count()).select_from(Document)) or 0,
                s.scalar(select(func.count()).select_from(CarriedPeriod)) or 0,
                s.scalar(select(func.count()).select_from(OfficeSetting)
                         .where(OfficeSetting.key.like("medical.receipt.%"))) or 0)


def test_certificate_sums_three_regions_and_is_due_after_national_day(ledger: Ledger, person: str) -> None:
    three_regions(ledger, person)
    # applied Monday 2026-09-28; working days after it: 9-29 (1), 9-30 (2), [10-01..10-07 National Day],
    # 10-08 (3), 10-09 (4), Saturday 10-10 worked (5), 10-12 (6), 10-13 (7), 10-14 (8), 10-15 (9),
    # 10-16 (10). Monday to Friday alone would have given 10-12.
    cert = ledger.insured.medical_certificate(person, "110105", "2026-09-28", clerk="李经办")
    assert cert.number == "OFF01-YB2026000001" and cert.issued_on == TODAY
    assert (cert.to_region, cert.applied_on, cert.due, cert.due_estimated) == (
        "110105", dt.date(2026, 9, 28), dt.date(2026, 10, 16), False)
    # 18 here + 60 from Shanghai + 48 from Wuhan = 126 months = 10.50 years
    assert (cert.months_here, cert.months, cert.years) == (18, 126, Decimal("10.50"))
    assert cert.pages == 1
    text = pdf_text(cert.pdf)
    for part in ("基本医疗保险参保（合）凭证", "OFF01-YB2026000001", "张三", "110105（北京市朝阳区）",
                 "360100（江西省南昌市）", "本地实际缴费月数： 18", "126 个月（10.50 年）", "2026-09-28",
                 "转出地办结时限： 2026-10-16", "收到本凭证之日起5个工作日内", "李经办",
                 "2023-01 2023-12 12", "2025-03 2025-08 6", "310115 上海市浦东新区 2010-01 2014-12 60 转入凭证",
                 "420100 湖北省武汉市 2015-01 2019-06 48 转入凭证", "360100 江西省南昌市 2023-01 2025-08 18 本地缴费"):
        assert part in text, part
    # the case is the registered document: listed, verifiable, reprinted as issued
    assert ledger.insured.medical_certificates(person) == [
        ledger.insured.medical_certificates()[0]]
    listed = ledger.insured.medical_certificates(person)[0]
    assert (listed.number, listed.due, listed.months, listed.pdf) == (cert.number, cert.due, 126, b"")
    assert [(d.kind, d.number) for d in ledger.documents.list_for(person)] == [("medical-certificate", cert.number)]
    verdict = ledger.documents.verify(cert.code)
    assert verdict.valid
    assert (verdict.kind, verdict.number, verdict.name) == ("medical-certificate", cert.number, "张三")
    copy = ledger.documents.reprint(cert.number)
    assert copy.copy and "126 个月（10.50 年）" in pdf_text(copy.pdf)


@pytest.mark.parametrize(("applied", "due"), [
    # Monday 9-28: see above
    ("2026-09-28", "2026-10-16"),
    # Friday 9-18: Sunday 9-20 worked (1), 9-21 (2), 9-22 (3), 9-23 (4), 9-24 (5), [9-25..9-27 中秋节],
    # 9-28 (6), 9-29 (7), 9-30 (8), [10-01..10-07], 10-08 (9), 10-09 (10)
    ("2026-09-18", "2026-10-09"),
    # Thursday 9-24: 9-28 (1), 9-29 (2), 9-30 (3), 10-08 (4), 10-09 (5), 10-10 (6), 10-12 (7), 10-13 (8),
    # 10-14 (9), 10-15 (10)
    ("2026-09-24", "2026-10-15"),
])
def test_old_office_due_date_over_the_autumn_holidays(ledger: Ledger, person: str, applied: str, due: str) -> None:
    pay(ledger, person, (2026, 1), (2026, 3))
    cert = ledger.insured.medical_certificate(person, "440300", applied)
    assert cert.due == dt.date.fromisoformat(due) and not cert.due_estimated
    assert f"转出地办结时限： {due}" in pdf_text(cert.pdf)


def test_refusals_write_nothing(ledger: Ledger, person: str) -> None:
    ledger.insured.carry(person, "medical", "310115", "2010-01", "2014-12", SHANGHAI)
    pay(ledger, person, (2024, 1), (2024, 6), "pension")  # pension only: no medical month paid here
    before = stored(ledger)
    with pytest.raises(RefusedByRule) as refused:
        ledger.insured.medical_certificate(person, "110105", "2026-09-28")
    assert (refused.value.key, refused.value.field) == ("insured.medical_nothing_here", "worker")
    pay(ledger, person, (2025, 1), (2025, 2))
    with pytest.raises(RefusedByRule) as refused:  # a Nanchang district: the office's own pooling region
        ledger.insured.medical_certificate(person, "360102", "2026-09-28")
    assert (refused.value.key, refused.value.field) == ("insured.medical_same_region", "to_region")
    for region, key in (("990100", "region.unknown"), ("11010", "region.format")):
        with pytest.raises(InvalidInput) as invalid:
            ledger.insured.medical_certificate(person, region)
        assert (invalid.value.key, invalid.value.field) == (key, "to_region")
    with pytest.raises(InvalidInput) as invalid:
        ledger.insured.medical_certificate(person, "110105", "2026-11-24")  # after today
    assert (invalid.value.key, invalid.value.field) == ("date.future", "applied_on")
    with pytest.raises(InvalidInput) as invalid:
        ledger.insured.medical_certificate("510107198511110000", "110105")
    assert invalid.value.key in ("worker.unknown", "id.checksum")
    assert stored(ledger) == before
    assert ledger.insured.medical_certificates(person) == [] and ledger.documents.list_for(person) == []


def test_receipt_at_the_new_office_and_its_due_date(ledger: Ledger, person: str) -> None:
    # Shanghai's certificate, issued Wednesday 2026-09-30 and received the same day: 10-08 (1), 10-09 (2),
    # Saturday 10-10 worked (3), 10-12 (4), 10-13 (5)
    got = ledger.insured.carry(person, "medical", "310115", "2010-01", "2014-12", "", certificate="SH01-YB2026000042",
                               issued_on="2026-09-30", received_on="2026-09-30")
    assert (got.region, got.months, got.certificate, got.issued_on, got.received_on, got.due, got.old_office_due) == (
        "310115", 60, "SH01-YB2026000042", dt.date(2026, 9, 30), dt.date(2026, 9, 30), dt.date(2026, 10, 13), None)
    assert ledger.insured.medical(person).months == 60
    # received today, Monday 2026-11-23: 11-24 (1), 11-25 (2), 11-26 (3), 11-27 (4), 11-30 (5)
    later = ledger.insured.carry(person, "medical", "420100", "2015-01", "2019-06", WUHAN, 48,
                                 "WH01-YB2026000007", "2026-11-20")
    assert (later.received_on, later.due) == (TODAY, dt.date(2026, 11, 30))
    assert [(r.certificate, r.due) for r in ledger.insured.medical_receipts(person)] == [
        ("WH01-YB2026000007", dt.date(2026, 11, 30)), ("SH01-YB2026000042", dt.date(2026, 10, 13))]
    # an unemployment certificate may carry a number too; no time limit is set for it
    jobless = ledger.insured.carry(person, "unemployment", "420100", "2015-01", "2019-06", "", None,
                                   "WH01-SY2026000001", "2026-11-20")
    assert (jobless.certificate, jobless.due) == ("WH01-SY2026000001", None)
    assert len(ledger.insured.medical_receipts(person)) == 2
    before = stored(ledger)
    with pytest.raises(Conflict) as conflict:  # the same certificate twice
        ledger.insured.carry(person, "medical", "310115", "2005-01", "2009-12", "", certificate="SH01-YB2026000042",
                             issued_on="2026-09-30")
    assert (conflict.value.key, conflict.value.field) == ("insured.certificate_received", "certificate")
    for kwargs, key, field in (
            ({"certificate": "X1", "issued_on": "2026-11-20", "received_on": "2026-11-19"},
             "insured.received_before_issue", "received_on"),
            ({"certificate": "X1"}, "required", "issued_on"),
            ({"issued_on": "2026-11-20"}, "required", "certificate"),
            ({"certificate": "X1", "issued_on": "2026-11-24"}, "date.future", "issued_on")):
        with pytest.raises(InvalidInput) as invalid:
            ledger.insured.carry(person, "medical", "440300", "2000-01", "2000-12", "", **kwargs)
        assert (invalid.value.key, invalid.value.field) == (key, field)
    assert stored(ledger) == before


def test_a_certificate_issued_here_is_checked_by_number(ledger: Ledger, person: str) -> None:
    other = ledger.workers.register_citizen("360102198503121012", "王五", "360102", "rural").key
    pay(ledger, person, (2024, 1), (2024, 12))
    cert = ledger.insured.medical_certificate(person, "110105", "2026-11-20")
    # 2026-11-20 (Friday) + 10 working days: 11-23, 24, 25, 26, 27, 30, 12-01, 02, 03, 04
    assert cert.due == dt.date(2026, 12, 4)
    with pytest.raises(RefusedByRule) as refused:
        ledger.insured.carry(other, "medical", "360100", "2024-01", "2024-12", "", certificate=cert.number,
                             issued_on=TODAY.isoformat())
    assert refused.value.key == "insured.certificate_other"
    with pytest.raises(RefusedByRule) as refused:
        ledger.insured.carry(person, "medical", "360100", "2024-01", "2024-12", "", certificate=cert.number,
                             issued_on="2026-11-20")
    assert (refused.value.key, refused.value.field) == ("insured.certificate_date", "issued_on")
    got = ledger.insured.carry(person, "medical", "310115", "2010-01", "2010-12", "", certificate=cert.number,
                               issued_on=TODAY.isoformat())
    # both due dates: the old office's from the registered certificate, the new office's from today
    assert (got.old_office_due, got.due) == (dt.date(2026, 12, 4), dt.date(2026, 11, 30))
    ledger.documents.void(cert.number, "错开")
    second = ledger.insured.medical_certificate(person, "110105")
    ledger.documents.void(second.number, "错开")
    with pytest.raises(RefusedByRule) as refused:
        ledger.insured.carry(person, "medical", "310115", "2011-01", "2011-12", "", certificate=second.number,
                             issued_on=TODAY.isoformat())
    assert refused.value.key == "document.void"
    assert ledger.insured.medical_certificates(person)[0].voided


def test_cli_issue_and_receive(ledger: Ledger, person: str, db_path: Path, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    three_regions(ledger, person)
    capsys.readouterr()
    pdf = tmp_path / "medical.pdf"

    def run(*args: str) -> tuple[int, Any]:
        code = cli.main(["--db", str(db_path), "--json", *args], clock=Clock(day=lambda: TODAY))
        out = capsys.readouterr().out
        return code, json.loads(out) if out.strip() else None

    code, data = run("insured", "medical-certificate", "--worker", person, "--to-region", "110105",
                     "--applied-on", "2026-09-28", "--pdf", str(pdf))
    assert code == 0, data
    assert data == {"certificate_no": "OFF01-YB2026000001", "to_region": "110105", "applied_on": "2026-09-28",
                    "due": "2026-10-16", "due_estimated": False, "months_here": 18, "months": 126,
                    "years": "10.50", "pdf": str(pdf)}
    text = pdf_text(pdf.read_bytes())
    assert "126 个月（10.50 年）" in text and "2026-10-16" in text
    code, data = run("insured", "medical-certificate", "--worker", person, "--to-region", "360102")
    assert code == 3 and data["error"]["field"] == "to_region"
    code, data = run("insured", "carry", "--worker", person, "--scheme", "medical", "--region", "440300",
                     "--from", "2020-01", "--to", "2020-12", "--certificate", "SZ01-YB2026000003",
                     "--issued-on", "2026-09-30", "--received-on", "2026-09-30")
    assert code == 0, data
    assert (data["months"], data["certificate"], data["issued_on"], data["due"], data["old_office_due"]) == (
        12, "SZ01-YB2026000003", "2026-09-30", "2026-10-13", None)
    code, data = run("insured", "carry", "--worker", person, "--scheme", "medical", "--region", "440300",
                     "--from", "2021-01", "--to", "2021-12", "--document", "深圳市医保凭证")
    assert code == 0 and "due" not in data  # without a certificate number: as before
    code, data = run("insured", "medical", "--worker", person)
    assert data["months"] == 126 + 24
