"""Bilateral agreements: certificates of coverage out, exemptions in, corrections, statistics."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import EMPLOYER, EMPLOYER_2
from pypdf import PdfReader
from sqlalchemy import text

from desktop.core.agreements import add_months, last_allowed_day, shipped
from desktop.core.errors import Conflict, InvalidInput, RefusedByRule
from desktop.core.ledger import Ledger

D = Decimal
HOST = "Muster GmbH"
# Chinese schemes each agreement exempts, and its first posting period in months (domain.md table;
# Germany: the agreement's text, BGBl. 2002 II S. 82 art. 4, says the first 48 calendar months).
EXPECTED = {
    "DE": (("pension", "unemployment"), 48), "KR": (("pension", "resident_pension", "unemployment"), 60),
    "DK": (("pension",), 60), "FI": (("pension", "unemployment"), 60),
    "CA": (("pension", "resident_pension"), 72), "CH": (("pension", "resident_pension", "unemployment"), 72),
    "NL": (("pension", "unemployment"), 60), "FR": (("pension", "unemployment"), 60),
    "ES": (("pension", "unemployment"), 72), "LU": (("pension",), 60), "JP": (("pension",), 60),
    "RS": (("pension", "unemployment"), 60), "KG": (("pension", "resident_pension"), None),
}
IN_FORCE = {"DE": "2002-04-04", "KR": "2013-01-16", "DK": "2014-05-14", "FI": "2016-10-18",
            "CA": "2017-01-01", "CH": "2017-06-19", "NL": "2017-09-01", "FR": None, "ES": "2018-03-20",
            "LU": "2019-05-01", "JP": "2019-09-01", "RS": "2021-02-01", "KG": "2025-10-14"}
ISSUABLE = [c for c, (_s, months) in EXPECTED.items() if months and IN_FORCE[c]]


@pytest.fixture
def posted(ledger: Ledger, person: str) -> str:
    """The fixture person, paying into every employee scheme since 2026-01 (still contributing)."""
    for month in range(1, 12):
        ledger.contributions.record(person, EMPLOYER, f"2026-{month:02d}", "8000")
    return person


def test_the_thirteen_agreements_as_data() -> None:
    agreements = shipped()
    assert sorted(agreements) == sorted(EXPECTED)
    for country, (schemes, months) in EXPECTED.items():
        a = agreements[country]
        assert a.schemes == schemes, country
        assert a.first_posting_months == months, country
        assert (a.in_force.isoformat() if a.in_force else None) == IN_FORCE[country], country
        assert a.source and a.checked and a.certificate_zh and a.certificate_partner
    assert agreements["RS"].certificate_zh == "法律适用证明"
    assert "first_posting_months" in agreements["DE"].disputed
    assert agreements["JP"].family and not agreements["JP"].self_employed
    assert agreements["KR"].schemes_for(True) == ("pension",)


@pytest.mark.parametrize("country", ISSUABLE)
def test_first_posting_boundaries(ledger: Ledger, posted: str, country: str) -> None:
    schemes, months = EXPECTED[country]
    start = dt.date(2027, 1, 1)
    last = last_allowed_day(start, months)  # type: ignore[arg-type]
    with pytest.raises(RefusedByRule) as err:
        ledger.exemptions.issue(posted, country, EMPLOYER, HOST, start, last + dt.timedelta(days=1),
                                passport="EA1234567")
    assert err.value.key == "agreement.too_long" and last.isoformat() in err.value.message("zh")
    cert = ledger.exemptions.issue(posted, country, EMPLOYER, HOST, start, last, passport="EA1234567")
    assert cert.schemes == schemes and cert.valid_to == last


def test_boundary_arithmetic() -> None:
    assert last_allowed_day(dt.date(2027, 1, 1), 60) == dt.date(2031, 12, 31)
    assert last_allowed_day(dt.date(2027, 3, 15), 72) == dt.date(2033, 3, 14)
    assert last_allowed_day(dt.date(2027, 1, 31), 1) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2028, 2, 29), 12) == dt.date(2029, 2, 28)


def test_no_agreement_and_not_in_force(ledger: Ledger, posted: str) -> None:
    for country in ("US", "GB"):
        with pytest.raises(RefusedByRule) as err:
            ledger.exemptions.issue(posted, country, EMPLOYER, HOST, "2027-01-01", "2027-12-31", passport="EA1234567")
        assert err.value.key == "agreement.none" and country in err.value.message("en")
    with pytest.raises(RefusedByRule) as err:
        ledger.exemptions.issue(posted, "FR", EMPLOYER, HOST, "2027-01-01", "2027-12-31", passport="EA1234567")
    assert err.value.key == "agreement.not_in_force"
    with pytest.raises(RefusedByRule) as err:
        ledger.exemptions.issue(posted, "KG", EMPLOYER, HOST, "2025-06-01", "2025-12-31", passport="EA1234567")
    assert err.value.key == "agreement.not_in_force" and "2025-10-14" in err.value.message("zh")
    with pytest.raises(RefusedByRule) as err:  # in force, but no posting period recorded
        ledger.exemptions.issue(posted, "KG", EMPLOYER, HOST, "2027-01-01", "2027-12-31", passport="EA1234567")
    assert err.value.key == "agreement.no_period"
    with pytest.raises(InvalidInput) as err:
        ledger.exemptions.issue(posted, "Germany", EMPLOYER, HOST, "2027-01-01", "2027-12-31", passport="EA1234567")
    assert (err.value.key, err.value.field) == ("country.format", "country")


def test_not_insured_or_not_contributing(ledger: Ledger, person: str) -> None:
    with pytest.raises(RefusedByRule) as err:
        ledger.exemptions.issue(person, "DE", EMPLOYER, HOST, "2027-01-01", "2027-12-31", passport="EA1234567")
    assert err.value.key == "exemption.not_insured"
    ledger.contributions.record(person, EMPLOYER, "2025-01", "8000")  # long ago: not contributing now
    with pytest.raises(RefusedByRule) as err:
        ledger.exemptions.issue(person, "DE", EMPLOYER, HOST, "2027-01-01", "2027-12-31", passport="EA1234567")
    assert err.value.key == "exemption.not_insured"
    ledger.contributions.record(person, EMPLOYER, "2026-10", "8000", "pension")  # no unemployment
    with pytest.raises(RefusedByRule) as err:
        ledger.exemptions.issue(person, "DE", EMPLOYER, HOST, "2027-01-01", "2027-12-31", passport="EA1234567")
    assert err.value.key == "exemption.not_insured"
    # Germany's certificate covers pension and unemployment: only the scheme without months is named
    assert err.value.message("zh") == "参保人：此人未参加中国失业保险或近3个月没有缴费记录，不能出具参保证明"
    assert ledger.exemptions.issue(person, "JP", EMPLOYER, HOST, "2027-01-01", "2027-12-31",
                                   passport="EA1234567").schemes == ("pension",)


def test_self_employed_and_prior_employment(ledger: Ledger, posted: str) -> None:
    with pytest.raises(RefusedByRule) as err:
        ledger.exemptions.issue(posted, "JP", EMPLOYER, HOST, "2027-01-01", "2027-12-31", self_employed=True,
                                passport="EA1234567")
    assert err.value.key == "agreement.no_self_employed"
    kr = ledger.exemptions.issue(posted, "KR", EMPLOYER, HOST, "2027-01-01", "2027-12-31", self_employed=True,
                                 passport="EA1234567")
    assert kr.schemes == ("pension",)
    ledger.employers.register(EMPLOYER_2, "新单位", None, 1)
    with pytest.raises(RefusedByRule) as err:
        ledger.exemptions.issue(posted, "NL", EMPLOYER_2, HOST, "2028-01-01", "2028-12-31", passport="EA1234567")
    assert err.value.key == "exemption.prior_employment"


def test_overlap_extension_end_and_withdrawal(ledger: Ledger, posted: str) -> None:
    first = ledger.exemptions.issue(posted, "DE", EMPLOYER, HOST, "2027-01-01", "2030-12-31",
                                    passport="EA1234567")  # 48 months
    with pytest.raises(RefusedByRule) as err:
        ledger.exemptions.issue(posted, "JP", EMPLOYER, HOST, "2030-06-01", "2030-12-31", passport="EA1234567")
    assert err.value.key == "exemption.overlap" and first.number in err.value.message("zh")
    with pytest.raises(RefusedByRule) as err:  # an extension starts the day after the certificate it extends
        ledger.exemptions.issue(
            posted, "DE", EMPLOYER, HOST, "2031-01-02", "2033-12-31", extension=True, passport="EA1234567")
    assert err.value.key == "exemption.no_previous"
    with pytest.raises(RefusedByRule) as err:  # 96 months in all: the last day is 2034-12-31
        ledger.exemptions.issue(posted, "DE", EMPLOYER, HOST, "2031-01-01", "2035-01-01", extension=True,
                                passport="EA1234567")
    assert err.value.key == "agreement.total_too_long" and "2034-12-31" in err.value.message("zh")
    ext = ledger.exemptions.issue(posted, "DE", EMPLOYER, HOST, "2031-01-01", "2034-12-31", extension=True,
                                  passport="EA1234567")
    assert ext.extension
    listing = ledger.exemptions.register_list(worker=posted)
    assert [c.number for c in listing] == [ext.number, first.number] and listing[0].extension
    with pytest.raises(InvalidInput) as err:
        ledger.exemptions.end_early(ext.number, "2035-06-01")
    assert err.value.key == "exemption.end_date"
    ledger.exemptions.end_early(ext.number, "2033-06-30")
    assert ledger.exemptions.register_list(worker=posted)[0].ended_on == dt.date(2033, 6, 30)
    ledger.exemptions.withdraw(ext.number, "派遣取消")
    assert ledger.exemptions.register_list(worker=posted)[0].withdrawn
    verdict = ledger.documents.verify(ext.code)
    assert not verdict.valid and verdict.void
    with pytest.raises(Conflict) as err:
        ledger.exemptions.withdraw(ext.number, "again")
    assert err.value.key == "exemption.withdrawn"
    assert ledger.exemptions.issue(posted, "DE", EMPLOYER, HOST, "2031-01-01", "2033-12-31", extension=True,
                                   passport="EA1234567").valid_to == dt.date(2033, 12, 31)


def test_serbia_allows_one_extension_and_spain_wants_notice(ledger: Ledger, posted: str) -> None:
    rs = ledger.exemptions.issue(posted, "RS", EMPLOYER, HOST, "2026-12-01", "2031-11-30", passport="EA1234567")
    ext = ledger.exemptions.issue(posted, "RS", EMPLOYER, HOST, "2031-12-01", "2032-11-30", extension=True,
                                  passport="EA1234567")
    with pytest.raises(RefusedByRule) as err:
        ledger.exemptions.issue(posted, "RS", EMPLOYER, HOST, "2032-12-01", "2033-11-30", extension=True,
                                passport="EA1234567")
    assert err.value.key == "agreement.extensions_used" and rs.number != ext.number
    ledger.exemptions.withdraw(ext.number, "x")
    ledger.exemptions.withdraw(rs.number, "x")
    ledger.exemptions.issue(posted, "ES", EMPLOYER, HOST, "2021-02-01", "2027-01-31", passport="EA1234567")
    ledger.exemptions.correct("ES", "max_total_months", "120", "partner institution agreed", "测试员")
    with pytest.raises(RefusedByRule) as err:  # today 2026-11-23 is later than 3 months before 2027-01-31
        ledger.exemptions.issue(posted, "ES", EMPLOYER, HOST, "2027-02-01", "2028-01-31", extension=True,
                                passport="EA1234567")
    assert err.value.key == "agreement.late_extension" and "2026-10-31" in err.value.message("zh")


@pytest.mark.parametrize(("day", "accepted"), [
    (dt.date(2026, 10, 30), True), (dt.date(2026, 10, 31), True), (dt.date(2026, 11, 1), False)])
def test_the_spanish_extension_deadline_to_the_day(ledger: Ledger, posted: str, day: dt.date,
                                                    accepted: bool) -> None:
    """Spain wants an extension applied for at least 3 months before the posting ends: for a posting
    ending 2027-01-31 the last day to apply is 2026-10-31 (31 January less three months, by hand)."""
    ledger.exemptions.issue(posted, "ES", EMPLOYER, HOST, "2021-02-01", "2027-01-31", passport="EA1234567")
    ledger.exemptions.correct("ES", "max_total_months", "120", "partner institution agreed", "测试员")
    ledger.clock = day
    if accepted:
        ext = ledger.exemptions.issue(posted, "ES", EMPLOYER, HOST, "2027-02-01", "2028-01-31", extension=True,
                                      passport="EA1234567")
        assert ext.number.startswith("OFF01-")
        return
    with pytest.raises(RefusedByRule) as err:
        ledger.exemptions.issue(posted, "ES", EMPLOYER, HOST, "2027-02-01", "2028-01-31", extension=True,
                                passport="EA1234567")
    assert (err.value.key, err.value.field) == ("agreement.late_extension", "from")
    assert "最晚2026-10-31" in err.value.message("zh")


def test_office_corrections_are_recorded(ledger: Ledger, posted: str) -> None:
    with pytest.raises(RefusedByRule) as err:  # 48 months as shipped (the agreement's text)
        ledger.exemptions.issue(posted, "DE", EMPLOYER, HOST, "2027-01-01", "2031-12-31", passport="EA1234567")
    assert err.value.key == "agreement.too_long" and "48" in err.value.message("zh")
    changed = ledger.exemptions.correct("DE", "first_posting_months", "60", "provincial notice (60 months)", "李科长")
    assert changed.first_posting_months == 60
    german = ledger.exemptions.issue(posted, "DE", EMPLOYER, HOST, "2027-01-01", "2031-12-31", passport="EA1234567")
    assert german.valid_to == dt.date(2031, 12, 31)
    ledger.exemptions.withdraw(german.number, "测试：另行派遣")
    [(field, value, reason, by, _when)] = ledger.exemptions.corrections("DE")
    assert (field, value, reason, by) == ("first_posting_months", "60", "provincial notice (60 months)", "李科长")
    with pytest.raises(InvalidInput) as err:
        ledger.exemptions.correct("DE", "colour", "1", "x", "y")
    assert (err.value.key, err.value.field) == ("agreement.field", "field")
    ledger.exemptions.correct("KG", "first_posting_months", "36", "notice", "李科长")
    assert ledger.exemptions.issue(posted, "KG", EMPLOYER, HOST, "2027-01-01", "2029-12-31",
                                   passport="EA1234567").schemes == (
        "pension", "resident_pension")


def test_inbound_exemption_in_the_arithmetic(ledger: Ledger) -> None:
    f = ledger.workers.register_foreigner("DE", "C01X00T47", "Anna Schmidt", "F", "1990-04-01")
    ledger.exemptions.record_inbound(f.ssn, "DE", "DE-2026-4711", "2026-03-15", "2026-08-31")
    before = ledger.contributions.record(f.ssn, EMPLOYER, "2026-02", "10000")
    assert all(not ln.exempt for ln in before.lines)
    during = ledger.contributions.record(f.ssn, EMPLOYER, "2026-03", "10000")
    lines = {ln.scheme: ln for ln in during.lines}
    for scheme in ("pension", "unemployment"):
        assert (lines[scheme].employer, lines[scheme].employee) == (D("0.00"), D("0.00"))
        assert "DE-2026-4711" in lines[scheme].exempt
    assert lines["medical"].employer == D("600.00") and not lines["medical"].exempt
    assert lines["injury"].employer == D("40.00")
    after = ledger.contributions.record(f.ssn, EMPLOYER, "2026-09", "10000")
    assert {ln.scheme: ln.employer for ln in after.lines}["pension"] == D("1600.00")
    st = ledger.accounts.statement(f.ssn)
    pension = next(r for r in st.schemes if r.scheme == "pension")
    assert pension.months_paid == 2  # exempt months are not paid months
    with pytest.raises(RefusedByRule) as err:
        ledger.exemptions.record_inbound(f.ssn, "DE", "DE-2", "2026-08-01", "2026-12-31")
    assert err.value.key == "exemption.inbound_overlap"
    with pytest.raises(RefusedByRule) as err:
        ledger.exemptions.record_inbound(f.ssn, "US", "X", "2026-01-01", "2026-02-01")
    assert err.value.key == "agreement.none"


def test_inbound_exemption_in_a_declaration(ledger: Ledger, tmp_path: Path) -> None:
    f = ledger.workers.register_foreigner("KR", "M12345678", "KIM MINJUN", "M", "1988-02-03")
    ledger.workers.register_citizen("510107198511113215", "张三", "510107", "rural")
    ledger.exemptions.record_inbound(f.ssn, "KR", "KR-77", "2026-01-01", "2026-12-31")
    from desktop.core.services.declaration import DeclarationRow

    rows = [DeclarationRow(2, EMPLOYER, "510107198511113215", "张三", "2026-10", "8000"),
            DeclarationRow(3, EMPLOYER, f.ssn, "KIM MINJUN", "2026-10", "8000")]
    assert ledger.contributions.import_rows(rows).recorded == 2
    with ledger.read() as s:
        found = dict(s.execute(text(
            "SELECT scheme, status || ':' || employer_amount FROM contribution c JOIN worker w ON w.id = c.worker_id "
            "WHERE w.ssn = :ssn"), {"ssn": f.ssn}).all())
    assert found == {"pension": "exempt:0", "unemployment": "exempt:0", "medical": "paid:48000",
                     "injury": "paid:3200"}
    with pytest.raises(Conflict) as err:  # the month is recorded, exempt lines included
        ledger.contributions.record(f.ssn, EMPLOYER, "2026-10", "8000")
    assert err.value.key == "contrib.exists"


def test_a_citizen_cannot_be_exempted_inbound(ledger: Ledger, person: str) -> None:
    with pytest.raises(RefusedByRule) as err:
        ledger.exemptions.record_inbound(person, "DE", "X1", "2026-01-01", "2026-06-30")
    assert err.value.key == "exemption.citizen"


def test_certificate_pdf_is_bilingual_and_verifiable(ledger: Ledger, posted: str) -> None:
    cert = ledger.exemptions.issue(posted, "JP", EMPLOYER, HOST, "2027-01-01", "2031-12-31",
                                   clerk="王经办", passport="EA1234567")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(cert.pdf)).pages)
    for expected in ("参保证明", "Certificate of Coverage", "適用証明書", "日本", "Japan", "张三", "EA1234567",
                     "2031-12-31", "职工基本养老保险", "Basic Pension Insurance for Urban Employees", HOST):
        assert expected in text, expected
    assert ledger.documents.verify(cert.code).valid
    again = ledger.documents.reprint(cert.number)
    assert again.copy


def test_statistics_by_year_country_and_kind(ledger: Ledger, posted: str, tmp_path: Path) -> None:
    ledger.exemptions.issue(posted, "KR", EMPLOYER, HOST, "2027-01-01", "2027-12-31", self_employed=True,
                            passport="EA1234567")
    ledger.exemptions.issue(posted, "DE", EMPLOYER, HOST, "2028-01-01", "2028-12-31", passport="EA1234567")
    w = ledger.exemptions.issue(posted, "JP", EMPLOYER, HOST, "2029-01-01", "2029-12-31", passport="EA1234567")
    ledger.exemptions.withdraw(w.number, "cancelled")
    assert ledger.exemptions.statistics(2026) == [
        {"year": 2026, "country": "DE", "employees": 1, "self_employed": 0, "total": 1},
        {"year": 2026, "country": "KR", "employees": 0, "self_employed": 1, "total": 1}]
    csv_text = ledger.exemptions.statistics_csv()
    assert csv_text.startswith("\ufeff年度,国家,协定国") and "2026,KR,韩国,0,1,1" in csv_text
    pdf = ledger.exemptions.statistics_document(2026)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "韩国" in text and "德国" in text and "2026" in text


# -- an agreement in phases: Korea's interim exchange of notes (2003) before the 2013 agreement -------

def test_korea_before_the_agreement_pension_only(ledger: Ledger) -> None:
    """A Korean worker's home certificate from 2010: the 2003 interim arrangement, pension only."""
    kr = shipped()["KR"]
    assert [(p.start, p.until, p.schemes, p.time_limit) for p in kr.phases] == [
        (dt.date(2003, 5, 23), dt.date(2013, 1, 15), ("pension",), False)]
    f = ledger.workers.register_foreigner("KR", "M12345678", "KIM MINJUN", "M", "1978-02-03")
    with pytest.raises(RefusedByRule) as err:  # before 2003-05-23 nothing was in force
        ledger.exemptions.record_inbound(f.ssn, "KR", "KR-2002", "2002-01-01", "2002-12-31")
    assert err.value.key == "agreement.not_in_force" and "2003-05-23" in err.value.message("zh")
    done = ledger.exemptions.record_inbound(f.ssn, "KR", "KR-2010", "2010-03-01", "2010-12-31")
    assert done["schemes_exempted"] == ["pension"]
    month = {ln.scheme: ln for ln in ledger.contributions.record(f.ssn, EMPLOYER, "2010-05", "5000").lines}
    assert (month["pension"].employer, month["pension"].employee) == (D("0.00"), D("0.00"))
    assert "KR-2010" in month["pension"].exempt
    assert month["unemployment"].employer > 0 and not month["unemployment"].exempt  # charged then


def test_korea_certificate_across_the_agreement_date(ledger: Ledger) -> None:
    f = ledger.workers.register_foreigner("KR", "M87654321", "LEE JIHO", "F", "1985-07-07")
    done = ledger.exemptions.record_inbound(f.ssn, "KR", "KR-2012", "2012-06-01", "2014-06-30")
    assert done["schemes_exempted"] == ["pension", "unemployment"]
    before = {ln.scheme: ln for ln in ledger.contributions.record(f.ssn, EMPLOYER, "2012-10", "5000").lines}
    after = {ln.scheme: ln for ln in ledger.contributions.record(f.ssn, EMPLOYER, "2014-03", "5000").lines}
    assert before["pension"].exempt and not before["unemployment"].exempt
    assert after["pension"].exempt and after["unemployment"].exempt  # the 2013 agreement adds unemployment
    g = ledger.workers.register_foreigner("KR", "M11112222", "PARK SEO", "M", "1990-01-01")
    later = ledger.exemptions.record_inbound(g.ssn, "KR", "KR-2014", "2014-01-01", "2014-12-31")
    assert later["schemes_exempted"] == ["pension", "unemployment"]


def test_posting_to_korea_under_the_interim_arrangement(ledger: Ledger, posted: str) -> None:
    """A certificate for a posting that began in 2010: pension only, no time limit, until 2013-01-15."""
    with pytest.raises(RefusedByRule) as err:
        ledger.exemptions.issue(posted, "KR", EMPLOYER, HOST, "2005-01-01", "2013-06-30", passport="EA1234567")
    assert err.value.key == "agreement.phase_ends" and "2013-01-15" in err.value.message("zh")
    cert = ledger.exemptions.issue(posted, "KR", EMPLOYER, HOST, "2005-01-01", "2013-01-15",
                                   passport="EA1234567")  # 8 years: no limit
    assert cert.schemes == ("pension",)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(cert.pdf)).pages)
    assert "互免养老保险缴费临时措施" in text
    now = ledger.exemptions.issue(posted, "KR", EMPLOYER, HOST, "2027-01-01", "2031-12-31", passport="EA1234567")
    assert now.schemes == ("pension", "resident_pension", "unemployment")
