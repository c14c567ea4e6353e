"""What each printed document says, read back from the PDF: the issuing office's contact details in
every heading, the statement's employers and months with their totals, the refusal of a statement
while a crediting rate is missing, Latin names and a required passport on certificates of coverage,
totals rows and 负责人/制表人 on the reports; and the office's contact settings (core and CLI)."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import EMPLOYER, EMPLOYER_2, TODAY
from pypdf import PdfReader
from sqlalchemy import select

from desktop import cli
from desktop.core.clock import Clock
from desktop.core.errors import InvalidInput, RefusedByRule
from desktop.core.latin_names import latin_name
from desktop.core.ledger import Ledger
from desktop.core.services.office import OfficeContact
from desktop.core.services.transfers import ReportLine, TransferReport
from desktop.core.store.models import AuditEntry

ADDRESS = "江西省南昌市红谷滩区丰和中大道1000号"
HEADING = f"地址：{ADDRESS}　邮政编码：330038　联系电话：0791-86123456"


def pages(pdf: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


def text(pdf: bytes) -> str:
    return "\n".join(pages(pdf))


def with_contact(ledger: Ledger) -> Ledger:
    ledger.office.set_contact(address=ADDRESS, phone="0791-86123456", postcode="330038",
                              bank="中国建设银行南昌红谷滩支行", bank_account="3605 0110 0123 0000 0123")
    return ledger


# -- the office's contact details --------------------------------------------------------------


def test_contact_details_are_kept_checked_and_audited(ledger: Ledger) -> None:
    assert ledger.office.contact() == OfficeContact()
    stored = with_contact(ledger).office.contact()
    assert stored == OfficeContact(ADDRESS, "0791-86123456", "330038", "", "中国建设银行南昌红谷滩支行",
                                   "36050110012300000123")  # spaces in the account number dropped
    for field, value, key in (("postcode", "33003", "postcode.format"),
                              ("postcode", "３３００３８", "postcode.format"),
                              ("phone", "0791 86123456", "office_phone.format"),
                              ("phone", "12-3", "office_phone.format"),
                              ("bank_account", "6222-0110", "bank_account.format"),
                              ("address", "=HYPERLINK(1)", "text.formula")):
        with pytest.raises(InvalidInput) as err:
            ledger.office.set_contact(**{field: value})
        assert (err.value.key, err.value.field) == (key, field)
    assert ledger.office.contact() == stored  # nothing changed by a refused call
    after = ledger.office.set_contact(bank="", phone="0791-1234567")  # "" clears, None keeps
    assert (after.bank, after.phone, after.address) == ("", "0791-1234567", ADDRESS)
    with ledger.read() as s:
        changed = {(e.action, json.loads(e.after_json or "{}").get("key")) for e in s.scalars(
            select(AuditEntry).where(AuditEntry.table_name == "office_setting"))}
    assert ("insert", "office_contact.postcode") in changed and ("delete", None) in changed


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, Any, str]:
    code = cli.main([*args], clock=Clock(day=lambda: TODAY))
    captured = capsys.readouterr()
    out = captured.out
    return code, json.loads(out) if "--json" in args and out.strip() else out, captured.err


def test_cli_shows_and_sets_the_contact(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHEBAO_DB", raising=False)
    db = str(tmp_path / "c.db")
    assert run(capsys, "--db", db, "init", "--office", "NC01", "--office-name", "南昌", "--region", "360100")[0] == 0
    code, data, _ = run(capsys, "--db", db, "--json", "office", "contact", "--address", ADDRESS, "--phone",
                        "0791-86123456", "--postcode", "330038", "--bank", "建设银行", "--bank-account",
                        "36050110012300000123", "--bank-account-name", "南昌市社会保险基金收入户")
    assert code == 0 and data == {"contact": {
        "address": ADDRESS, "phone": "0791-86123456", "postcode": "330038",
        "bank_account_name": "南昌市社会保险基金收入户", "bank": "建设银行", "bank_account": "36050110012300000123"}}
    code, shown, _ = run(capsys, "--db", db, "office", "contact")
    assert code == 0 and f"地址：{ADDRESS}" in shown and "邮政编码：330038" in shown and "开户银行：建设银行" in shown
    code, _, err = run(capsys, "--db", db, "office", "contact", "--postcode", "3300")
    assert code == 2 and "3300不是有效邮政编码（6位数字）" in err
    code, _, err = run(capsys, "--db", db, "--lang", "en", "office", "contact", "--bank-account", "12ab")
    assert code == 2 and "not a valid bank account number" in err
    assert run(capsys, "--db", db, "--json", "office", "contact")[1]["contact"]["postcode"] == "330038"


# -- the statement ---------------------------------------------------------------------------------


@pytest.fixture
def worked(ledger: Ledger, person: str) -> str:
    """张三: 2026-01..05 at the first employer, 2026-06..10 at the second (wage 7000; October unpaid)."""
    with_contact(ledger)
    ledger.employers.register(EMPLOYER_2, "南昌洪城电子科技股份有限公司", "360100", 1)
    for m in range(1, 10):
        ledger.contributions.record(person, EMPLOYER if m < 6 else EMPLOYER_2, f"2026-{m:02d}", "7000")
    ledger.contributions.record(person, EMPLOYER_2, "2026-10", "7000", arrears=True)
    return person


def test_statement_names_the_office_the_employers_and_every_month(ledger: Ledger, worked: str) -> None:
    issued = ledger.documents.issue("statement", worked, "王经办")
    all_text = text(issued.pdf)
    first = pages(issued.pdf)[0]
    assert "出具机构：南昌市社保局（OFF01）" in first and HEADING in first
    assert "未计利息" not in all_text and "未设置" not in all_text
    # periods: months paid and the one month in arrears
    assert "职工基本养老保险 360100 江西省南昌市 2026-01 2026-09 9 1" in all_text
    assert "失业保险 360100 江西省南昌市 2026-01 2026-09 9 1" in all_text
    assert f"南昌赣江机械制造有限公司 {EMPLOYER} 2026-01 2026-05 5" in all_text
    assert f"南昌洪城电子科技股份有限公司 {EMPLOYER_2} 2026-06 2026-10 5" in all_text
    # each month with its base and amounts, read from the ledger and written out here by hand
    expected: dict[str, list[Decimal]] = {}
    for c in ledger_rows(ledger, worked):
        amounts = expected.setdefault(c["month"], [Decimal(0)] * 6)
        index = {"pension": None, "medical": 2, "unemployment": 3, "injury": 4, "maternity": 5}[c["scheme"]]
        if index is None:
            amounts[0] += c["employer"]
            amounts[1] += c["employee"]
        else:
            amounts[index] += c["employer"] + c["employee"]
    assert sorted(expected) == [f"2026-{m:02d}" for m in range(1, 11)]
    for month, amounts in expected.items():
        employer = "南昌赣江机械制造有限公司" if month < "2026-06" else "南昌洪城电子科技股份有限公司"
        status = "欠缴" if month == "2026-10" else "补缴"  # recorded in November: paid late
        line = f"{month} {employer} 7,000.00 " + " ".join(f"{a:,.2f}" for a in amounts) + f" {status}"
        assert line in all_text, line
    totals = [sum((a[i] for a in expected.values()), Decimal(0)) for i in range(6)]
    assert totals[0] == Decimal("11200.00") and totals[1] == Decimal("5600.00")  # 16% and 8% of 7000, 10 months
    assert "合计 10个月 " + " ".join(f"{t:,.2f}" for t in totals) in all_text  # amounts grouped by thousands


def ledger_rows(ledger: Ledger, worker: str) -> list[dict[str, Any]]:
    from desktop.core.store.models import Contribution, Worker

    with ledger.read() as s:
        wid = s.scalars(select(Worker.id).where(Worker.id_number == worker)).one()
        return [{"month": f"{c.month // 100}-{c.month % 100:02d}",
                 "scheme": c.scheme, "employer": c.employer_amount, "employee": c.employee_amount}
                for c in s.scalars(select(Contribution).where(Contribution.worker_id == wid))]


def test_statement_is_refused_while_a_crediting_rate_is_missing(ledger: Ledger, person: str) -> None:
    for year in (2024, 2025, 2026):
        ledger.contributions.record(person, EMPLOYER, f"{year}-03", "6000")
    with pytest.raises(RefusedByRule) as err:  # 2025's rate is not shipped: it must be entered
        ledger.documents.issue("statement", person)
    assert err.value.key == "statement.interest_missing" and err.value.field == "interest"
    assert "2025年的个人账户记账利率尚未录入" in err.value.message("zh")
    assert "shebao interest set --year 2025" in err.value.message("zh")
    assert "the crediting rate of 2025 is not entered" in err.value.message("en")
    assert ledger.documents.list_for(person) == []  # no number taken
    with pytest.raises(RefusedByRule) as preview:  # the preview is refused as the paper would be
        ledger.documents.draft("statement", person)
    assert preview.value.key == "statement.interest_missing"
    ledger.reference.set_interest(2025, "0.0262")
    issued = ledger.documents.issue("statement", person)
    page = text(issued.pdf)
    assert "2025 1 6,000.00" in page and "2.62%" in page and "未计利息" not in page
    assert "职工基本养老保险 360100 江西省南昌市 2024-03 2026-03 3 0" in page  # no arrears: 0, not blank


def test_cli_print_statement_names_the_missing_year(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHEBAO_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    db = str(tmp_path / "s.db")
    for args in (["init", "--office", "NC01", "--office-name", "南昌", "--region", "360100"],
                 ["wage", "set", "--region", "360000", "--year", "2024", "--monthly", "6000"],
                 ["wage", "set", "--region", "360000", "--year", "2026", "--monthly", "6000"],
                 ["employer", "register", "--uscc", EMPLOYER, "--name", "赣江机械", "--risk-class", "2"],
                 ["worker", "register", "--id-number", "510107198511113215", "--name", "张三",
                  "--hukou-region", "510107", "--hukou-type", "rural"],
                 ["contrib", "record", "--worker", "510107198511113215", "--employer", EMPLOYER,
                  "--month", "2024-10", "--wage", "7000"]):
        assert run(capsys, "--db", db, *args)[0] == 0, args
    code, _, err = run(capsys, "--db", db, "print", "statement", "510107198511113215", "--out", "s.pdf")
    assert code == 3 and "2025年的个人账户记账利率尚未录入" in err and "--year 2025" in err
    assert not (tmp_path / "s.pdf").exists()
    assert run(capsys, "--db", db, "interest", "set", "--year", "2025", "--rate", "0.0262")[0] == 0
    assert run(capsys, "--db", db, "print", "statement", "510107198511113215", "--out", "s.pdf")[0] == 0


# -- the certificate on leaving and the other documents with a heading ------------------------------


def test_transfer_certificate_gives_the_issuing_offices_address(ledger: Ledger, worked: str) -> None:
    issued = ledger.documents.issue("transfer-certificate", worked, "王经办")
    first = pages(issued.pdf)[0]
    assert "基本养老保险参保缴费凭证" in first and "出具机构：南昌市社保局（OFF01）" in first and HEADING in first


def test_an_office_without_contact_details_prints_dashes(ledger: Ledger, person: str) -> None:
    ledger.contributions.record(person, EMPLOYER, "2026-10", "7000")
    issued = ledger.documents.issue("transfer-certificate", person)
    assert "地址：—　邮政编码：—　联系电话：—" in text(issued.pdf)


# -- certificates of coverage ------------------------------------------------------------------


@pytest.mark.parametrize(("name", "latin"), [("张三", "ZHANG SAN"), ("欧阳小明", "OUYANG XIAOMING"),
                                              ("吕布", "LYU BU"), ("单雄信", "SHAN XIONGXIN"),
                                              ("曾国藩", "ZENG GUOFAN")])
def test_latin_names_follow_the_passport_spelling(name: str, latin: str) -> None:
    assert latin_name(name) == latin
    assert latin_name("Anna Schmidt", "DE") == "Anna Schmidt"


def test_certificate_of_coverage_needs_a_passport_and_prints_the_latin_name(ledger: Ledger, person: str) -> None:
    with_contact(ledger)
    for month in range(1, 11):
        ledger.contributions.record(person, EMPLOYER, f"2026-{month:02d}", "7000")
    with pytest.raises(RefusedByRule) as err:
        ledger.exemptions.issue(person, "JP", EMPLOYER, "Muster KK", "2027-01-01", "2027-12-31")
    assert (err.value.key, err.value.field) == ("coverage.passport_required", "passport")
    assert "张三没有登记护照号码，不能出具参保证明" in err.value.message("zh")
    assert ledger.exemptions.register_list() == []
    cert = ledger.exemptions.issue(person, "JP", EMPLOYER, "Muster KK", "2027-01-01", "2027-12-31",
                                   passport="EA1234567")
    page = text(cert.pdf)
    assert "张三　ZHANG SAN" in page and "EA1234567" in page
    assert f"地址 Address：{ADDRESS}　邮政编码 Postcode：330038　电话 Tel.：0791-86123456" in page


def test_cli_refuses_a_certificate_of_coverage_without_a_passport(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHEBAO_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    db = str(tmp_path / "e.db")
    for args in (["init", "--office", "NC01", "--office-name", "南昌", "--region", "360100"],
                 ["wage", "set", "--region", "360000", "--year", "2026", "--monthly", "6000"],
                 ["employer", "register", "--uscc", EMPLOYER, "--name", "赣江机械", "--risk-class", "2"],
                 ["worker", "register", "--id-number", "510107198511113215", "--name", "张三",
                  "--hukou-region", "510107", "--hukou-type", "rural"],
                 ["contrib", "record", "--worker", "510107198511113215", "--employer", EMPLOYER,
                  "--month", "2026-10", "--wage", "7000"]):
        assert run(capsys, "--db", db, *args)[0] == 0, args
    issue = ["--db", db, "exemption", "issue", "--worker", "510107198511113215", "--country", "JP",
             "--employer", EMPLOYER, "--host-employer", "Muster KK", "--from", "2027-01-01", "--to", "2027-12-31"]
    code, _, err = run(capsys, *issue)
    assert code == 3 and "张三没有登记护照号码，不能出具参保证明" in err and "--passport" in err
    code, _, _ = run(capsys, "--json", *issue, "--passport", "EA1234567", "--out", "c.pdf")
    assert code == 0 and "张三　ZHANG SAN" in text((tmp_path / "c.pdf").read_bytes())


def test_a_foreign_nationals_name_stays_as_registered(ledger: Ledger) -> None:
    from desktop.core.services.documents import person_values
    from desktop.core.store.models import Worker

    key = ledger.workers.register_foreigner("DE", "C01X00T47", "Anna Schmidt", "F", "1990-04-02").key
    with ledger.read() as s:
        w = s.scalars(select(Worker).where(Worker.ssn == key)).one()
        assert person_values(w)["person.name_latin"] == "Anna Schmidt"


# -- reports -----------------------------------------------------------------------------------


def test_transfer_report_shows_both_directions_a_total_and_who_signs(ledger: Ledger) -> None:
    with_contact(ledger)
    lines = (ReportLine("in", 0, 2, 1, Decimal("1000.10"), Decimal("2000.20"), Decimal("3000.30")),
             ReportLine("in", 3, 2, 1, Decimal("1000.10"), Decimal("2000.20"), Decimal("3000.30")),
             ReportLine("out", 0, 1, 0, Decimal("500.05"), Decimal("700.07"), Decimal("1200.12")),
             ReportLine("out", 7, 1, 0, Decimal("500.05"), Decimal("700.07"), Decimal("1200.12")))
    page = text(ledger.transfers.report_pdf(TransferReport(2026, "OFF01", "南昌市社保局", lines)))
    assert HEADING in page
    assert "转入 3月 2 1 1,000.10 2,000.20 3,000.30" in page and "转入 全年 2 1 1,000.10 2,000.20 3,000.30" in page
    assert "转出 7月 1 0 500.05 700.07 1,200.12" in page and "转出 全年 1 0 500.05 700.07 1,200.12" in page
    people, rural = 2 + 1, 1 + 0
    account = Decimal("1000.10") + Decimal("500.05")
    pooling = Decimal("2000.20") + Decimal("700.07")
    total = Decimal("3000.30") + Decimal("1200.12")
    assert f"合计 转入＋转出 {people} {rural} {account:,} {pooling:,} {total:,}" in page
    assert "负责人：" in page and "制表人：" in page
    # a year with no transfers in still prints the transfers in, as 0
    only_out = text(ledger.transfers.report_pdf(TransferReport(2026, "OFF01", "南昌市社保局", lines[2:])))
    assert "转入 全年 0 0 0.00 0.00 0.00" in only_out


def test_exemption_statistics_have_a_total_row(ledger: Ledger, person: str) -> None:
    for month in range(1, 11):
        ledger.contributions.record(person, EMPLOYER, f"2026-{month:02d}", "7000")
    ledger.exemptions.issue(person, "JP", EMPLOYER, "Muster KK", "2027-01-01", "2027-12-31", passport="EA1234567")
    ledger.exemptions.issue(person, "KR", EMPLOYER, "Muster Co", "2028-01-01", "2028-12-31", passport="EA1234567")
    page = text(ledger.exemptions.statistics_document(2026))
    assert "2026 JP 日本 1 0 1" in page and "2026 KR 韩国 1 0 1" in page
    assert "合计 2个国家 2 0 2" in page and "负责人：" in page and "制表人：" in page


def test_every_form_kind_has_a_heading_with_the_office_contact() -> None:
    from desktop.core.services.documents import forms

    for kind, spec in forms().items():
        texts = " ".join(e.text for e in spec.elements)
        assert "{office.address}" in texts and "{office.postcode}" in texts and "{office.phone}" in texts, kind
        assert spec.version >= "2026.2", kind
