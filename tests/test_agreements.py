"""Bilateral agreements: certificates of coverage out, exemptions in, corrections, statistics."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import EMPLOYER, EMPLOYER_2
from pypdf import PdfReader
from sqlalchemy import select

from desktop.core.agreements import (
    EDITABLE,
    Agreement,
    Phase,
    _date,
    _from_dict,
    add_months,
    check_posting,
    in_pinyin_order,
    last_allowed_day,
    overlaps,
    require_agreement,
    shipped,
    with_overrides,
)
from desktop.core.errors import Conflict, InvalidInput, RefusedByRule
from desktop.core.ledger import Ledger
from desktop.core.store.models import Contribution, Worker

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


# The last day of a first posting that starts on 2027-01-01, by hand: N months after 2027-01-01 is
# 1 January of 2027 + N/12, and the posting ends the day before, 31 December of the year before that.
#   48 months: 2027 + 4 = 2031-01-01 -> last day 2030-12-31
#   60 months: 2027 + 5 = 2032-01-01 -> last day 2031-12-31
#   72 months: 2027 + 6 = 2033-01-01 -> last day 2032-12-31
FIRST_LAST_DAY = {48: dt.date(2030, 12, 31), 60: dt.date(2031, 12, 31), 72: dt.date(2032, 12, 31)}
# ... and the day after it, the first day refused: 1 January of 2027 + N/12.
FIRST_REFUSED = {48: dt.date(2031, 1, 1), 60: dt.date(2032, 1, 1), 72: dt.date(2033, 1, 1)}


@pytest.mark.parametrize("country", ISSUABLE)
def test_first_posting_boundaries(ledger: Ledger, posted: str, country: str) -> None:
    schemes, months = EXPECTED[country]
    assert months is not None
    start = dt.date(2027, 1, 1)
    last, refused = FIRST_LAST_DAY[months], FIRST_REFUSED[months]
    with pytest.raises(RefusedByRule) as err:
        ledger.exemptions.issue(posted, country, EMPLOYER, HOST, start, refused, passport="EA1234567")
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
        found = {scheme: f"{status}:{amount}" for scheme, status, amount in s.execute(
            select(Contribution.scheme, Contribution.status, Contribution.employer_amount)
            .join(Worker, Worker.id == Contribution.worker_id).where(Worker.ssn == f.ssn))}
    assert found == {"pension": "exempt:0.00", "unemployment": "exempt:0.00", "medical": "paid:480.00",
                     "injury": "paid:32.00"}
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


# -- the pure rules, day by day -----------------------------------------------------------------------

DAY = dt.date


@pytest.mark.parametrize(("start", "months", "expected"), [
    # the same day N months on; the month index runs over year ends in both directions
    (DAY(2027, 1, 15), 1, DAY(2027, 2, 15)),
    (DAY(2027, 12, 15), 1, DAY(2028, 1, 15)),    # December + 1 -> January of the next year
    (DAY(2027, 11, 15), 2, DAY(2028, 1, 15)),
    (DAY(2027, 1, 15), -1, DAY(2026, 12, 15)),   # January - 1 -> December of the year before
    (DAY(2027, 1, 15), 0, DAY(2027, 1, 15)),
    (DAY(2027, 1, 15), 12, DAY(2028, 1, 15)),
    (DAY(2027, 1, 15), 11, DAY(2027, 12, 15)),   # still the same year (index 2027*12+11, month 12)
    (DAY(2027, 1, 15), 13, DAY(2028, 2, 15)),
    # a shorter month: its last day
    (DAY(2027, 1, 31), 1, DAY(2027, 2, 28)),     # 2027 is not a leap year
    (DAY(2028, 1, 31), 1, DAY(2028, 2, 29)),     # 2028 is
    (DAY(2027, 1, 28), 1, DAY(2027, 2, 28)),     # 28 exists in February: unchanged
    (DAY(2027, 3, 31), 1, DAY(2027, 4, 30)),
    (DAY(2027, 3, 31), -1, DAY(2027, 2, 28)),
    (DAY(2027, 11, 30), 3, DAY(2028, 2, 29)),    # over the year end onto a leap day
    (DAY(2028, 2, 29), 12, DAY(2029, 2, 28)),    # from a leap day to a year without one
    (DAY(2028, 2, 29), 48, DAY(2032, 2, 29)),    # four years on: leap again
    (DAY(2027, 1, 31), -3, DAY(2026, 10, 31)),   # the Spanish notice: 31 January less three months
])
def test_add_months_by_hand(start: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize(("start", "months", "expected"), [
    # the day before the same day N months later
    (DAY(2027, 1, 1), 48, DAY(2030, 12, 31)),     # 2031-01-01 less one day: over the year end
    (DAY(2027, 1, 1), 1, DAY(2027, 1, 31)),       # 2027-02-01 less one day: over the month end
    (DAY(2027, 1, 2), 1, DAY(2027, 2, 1)),        # 2027-02-02 less one day
    (DAY(2027, 1, 28), 1, DAY(2027, 2, 27)),      # 2027-02-28 exists: the day before it
    (DAY(2028, 1, 28), 1, DAY(2028, 2, 27)),      # 2028-02-28 exists: the day before it
    (DAY(2028, 1, 29), 1, DAY(2028, 2, 28)),      # 2028-02-29 exists (leap): the day before it
    (DAY(2028, 1, 30), 1, DAY(2028, 2, 29)),      # no 30 February: February's last day, the leap day
    (DAY(2027, 1, 29), 1, DAY(2027, 2, 28)),      # no 29 February 2027: February's last day
    (DAY(2027, 1, 31), 1, DAY(2027, 2, 28)),
    (DAY(2028, 2, 29), 60, DAY(2033, 2, 28)),     # no 29 February 2033: 28 February
    (DAY(2028, 2, 29), 48, DAY(2032, 2, 28)),     # 2032-02-29 exists: the day before it
    (DAY(2027, 3, 1), 12, DAY(2028, 2, 29)),      # 2028-03-01 less one day is the leap day
    (DAY(2026, 3, 1), 12, DAY(2027, 2, 28)),      # 2027-03-01 less one day
])
def test_last_allowed_day_by_hand(start: dt.date, months: int, expected: dt.date) -> None:
    assert last_allowed_day(start, months) == expected


def _terms(**changes: object) -> Agreement:
    """An agreement written out in full for the pure rule tests (changes on top)."""
    base = Agreement(
        country="XX", partner_zh="测试国", partner_en="Testland", name_zh="测试协定", name_en="Test Agreement",
        in_force=DAY(2020, 3, 10), schemes=("pension", "unemployment"), partner_schemes="all",
        first_posting_months=60, extendable=True, max_total_months=96, special_extra_months=24,
        max_extensions=2, extension_notice_months=3, min_prior_employment_months=0, employees=True,
        self_employed=True, self_employed_schemes=("pension",), family=False, certificate_zh="参保证明",
        certificate_partner="Certificate", signed=DAY(2019, 1, 1), source="text", checked="2026",
        disputed=(), note="")
    return dataclasses.replace(base, **changes)


TODAY = DAY(2026, 11, 23)  # the fixture ledger's day


def _refusal(a: Agreement, start: dt.date, end: dt.date, *, self_employed: bool = False,
             chain: dt.date | None = None, extensions: int = 0, special: bool = False,
             previous_end: dt.date | None = None, today: dt.date = TODAY) -> RefusedByRule | None:
    """The refusal check_posting raises, or None when it lets the posting pass."""
    try:
        check_posting(a, start, end, self_employed, chain, extensions, special, previous_end, today)
    except RefusedByRule as e:
        return e
    return None


def _why(e: RefusedByRule | None) -> tuple[str, str | None, dict[str, object]] | None:
    return None if e is None else (e.key, e.field, e.params)


def test_partner_names() -> None:
    a = _terms()
    assert (a.partner(), a.partner("zh"), a.partner("en")) == ("测试国", "测试国", "Testland")


def test_in_force_on_the_day_before_the_day_and_after() -> None:
    a = _terms()  # in force 2020-03-10
    assert [a.in_force_on(d) for d in (DAY(2020, 3, 9), DAY(2020, 3, 10), DAY(2020, 3, 11))] == [
        False, True, True]
    never = _terms(in_force=None)
    assert not never.in_force_on(DAY(2030, 1, 1))
    assert never.first_in_force() is None


KOREA_PHASE = ("韩国临时措施", "Korea interim notes", ("pension",))


def _phased(**changes: object) -> Agreement:
    """An agreement in force 2013-01-16 with an arrangement 2003-05-23..2013-01-15 before it (like Korea)."""
    phase = Phase(DAY(2003, 5, 23), DAY(2013, 1, 15), KOREA_PHASE[0], KOREA_PHASE[1], KOREA_PHASE[2],
                  time_limit=False, self_employed=False, source="notes")
    return _terms(**{"in_force": DAY(2013, 1, 16), "phases": (phase,), **changes})


def test_phase_days_around_both_ends() -> None:
    a = _phased()
    assert a.first_in_force() == DAY(2003, 5, 23)  # the earlier of the phase's start and 2013-01-16
    assert _phased(in_force=None).first_in_force() == DAY(2003, 5, 23)
    assert _terms().first_in_force() == DAY(2020, 3, 10)
    for day, in_force in [(DAY(2003, 5, 22), False), (DAY(2003, 5, 23), True), (DAY(2003, 5, 24), True),
                          (DAY(2013, 1, 15), True), (DAY(2013, 1, 16), True), (DAY(2013, 1, 17), True)]:
        assert a.in_force_on(day) is in_force, day
    # the phase's own terms on its first and last day, the agreement's from 2013-01-16
    for day in (DAY(2003, 5, 23), DAY(2013, 1, 15)):
        t = a.terms_on(day)
        assert (t.name_zh, t.name_en, t.in_force, t.schemes, t.self_employed, t.self_employed_schemes) == (
            "韩国临时措施", "Korea interim notes", DAY(2003, 5, 23), ("pension",), False, None)
        assert (t.first_posting_months, t.extendable, t.max_total_months, t.no_time_limit, t.phase_until,
                t.phases) == (None, False, None, True, DAY(2013, 1, 15), ())
        assert (t.country, t.partner_zh, t.special_extra_months) == ("XX", "测试国", 24)  # the rest kept
    assert a.terms_on(DAY(2013, 1, 16)) is a
    assert a.terms_on(DAY(2003, 5, 22)) is a  # nothing in force: the agreement's terms as they stand
    # a phase with a time limit keeps it
    limited = dataclasses.replace(a, phases=(dataclasses.replace(a.phases[0], time_limit=True),))
    assert limited.terms_on(DAY(2010, 1, 1)).no_time_limit is False


def test_a_corrected_in_force_day_inside_a_phase_ends_the_phase_that_day() -> None:
    # an office moves the agreement's date back to 2013-01-10: from that day the agreement applies
    a = _phased(in_force=DAY(2013, 1, 10))
    assert a.terms_on(DAY(2013, 1, 9)).name_zh == "韩国临时措施"
    assert a.terms_on(DAY(2013, 1, 10)) is a
    assert a.terms_on(DAY(2013, 1, 11)) is a


def test_periods_cut_where_the_terms_change() -> None:
    a = _phased()
    names = lambda parts: [(s, e, t.name_zh) for s, e, t in parts]  # noqa: E731
    # from before anything was in force to after the agreement: the days before 2003-05-23 are left out
    assert names(a.periods(DAY(2003, 1, 1), DAY(2014, 12, 31))) == [
        (DAY(2003, 5, 23), DAY(2013, 1, 15), "韩国临时措施"), (DAY(2013, 1, 16), DAY(2014, 12, 31), "测试协定")]
    # first on a cut: no empty part before it
    assert names(a.periods(DAY(2013, 1, 16), DAY(2013, 12, 31))) == [
        (DAY(2013, 1, 16), DAY(2013, 12, 31), "测试协定")]
    assert names(a.periods(DAY(2003, 5, 23), DAY(2003, 12, 31))) == [
        (DAY(2003, 5, 23), DAY(2003, 12, 31), "韩国临时措施")]
    # last on the cut, the day before it, the day after it
    assert names(a.periods(DAY(2012, 1, 1), DAY(2013, 1, 16))) == [
        (DAY(2012, 1, 1), DAY(2013, 1, 15), "韩国临时措施"), (DAY(2013, 1, 16), DAY(2013, 1, 16), "测试协定")]
    assert names(a.periods(DAY(2012, 1, 1), DAY(2013, 1, 15))) == [
        (DAY(2012, 1, 1), DAY(2013, 1, 15), "韩国临时措施")]
    assert names(a.periods(DAY(2012, 1, 1), DAY(2013, 1, 17))) == [
        (DAY(2012, 1, 1), DAY(2013, 1, 15), "韩国临时措施"), (DAY(2013, 1, 16), DAY(2013, 1, 17), "测试协定")]
    # the first phase day as the last day: one day under the phase
    assert names(a.periods(DAY(2003, 5, 1), DAY(2003, 5, 23))) == [
        (DAY(2003, 5, 23), DAY(2003, 5, 23), "韩国临时措施")]
    assert a.periods(DAY(2003, 5, 1), DAY(2003, 5, 22)) == []
    # a gap between a phase and the agreement: 2013-01-16..2013-01-31 is left out
    gap = _phased(in_force=DAY(2013, 2, 1))
    assert names(gap.periods(DAY(2013, 1, 1), DAY(2013, 2, 28))) == [
        (DAY(2013, 1, 1), DAY(2013, 1, 15), "韩国临时措施"), (DAY(2013, 2, 1), DAY(2013, 2, 28), "测试协定")]
    # no phases and no date: nothing; no phases: one part
    assert _terms(in_force=None).periods(DAY(2020, 1, 1), DAY(2020, 12, 31)) == []
    assert names(_terms().periods(DAY(2020, 1, 1), DAY(2020, 12, 31))) == [
        (DAY(2020, 3, 10), DAY(2020, 12, 31), "测试协定")]


def test_schemes_for_employees_and_self_employed() -> None:
    a = _terms()
    assert a.schemes_for(False) == ("pension", "unemployment")
    assert a.schemes_for(True) == ("pension",)
    assert _terms(self_employed_schemes=None).schemes_for(True) == ("pension", "unemployment")


def test_editable_values() -> None:
    assert EDITABLE == {
        "partner_zh", "partner_en", "name_zh", "name_en", "in_force", "schemes", "partner_schemes",
        "first_posting_months", "extendable", "max_total_months", "special_extra_months", "max_extensions",
        "extension_notice_months", "min_prior_employment_months", "employees", "self_employed",
        "self_employed_schemes", "family", "certificate_zh", "certificate_partner", "signed", "source",
        "checked", "disputed", "note"}


def test_dates_from_text() -> None:
    assert _date(None) is None
    assert _date("") is None
    assert _date("2016-10-18") == DAY(2016, 10, 18)
    assert _date(DAY(2016, 10, 18)) == DAY(2016, 10, 18)
    # TOML gives a date-time for `in_force = 2016-10-18T00:00:00`: taken as it is, not read back from text
    assert _date(dt.datetime(2016, 10, 18, 0, 0)) == dt.datetime(2016, 10, 18, 0, 0)


MINIMAL = {"country": "ZZ", "partner_zh": "某国", "partner_en": "Someland", "name_zh": "某协定", "name_en": "Some"}


def test_an_agreement_from_its_fewest_values() -> None:
    a = _from_dict(dict(MINIMAL))
    assert a == Agreement(
        country="ZZ", partner_zh="某国", partner_en="Someland", name_zh="某协定", name_en="Some", in_force=None,
        schemes=(), partner_schemes="", first_posting_months=None, extendable=False, max_total_months=None,
        special_extra_months=0, max_extensions=None, extension_notice_months=0, min_prior_employment_months=0,
        employees=True, self_employed=False, self_employed_schemes=None, family=False, certificate_zh="参保证明",
        certificate_partner="", signed=None, source="", checked="", disputed=(), note="", phases=())
    assert _from_dict({**MINIMAL, "self_employed_schemes": []}).self_employed_schemes is None


def test_an_agreement_from_every_value() -> None:
    a = _from_dict({
        **MINIMAL, "in_force": "2020-03-10", "schemes": ["pension"], "partner_schemes": "AHV",
        "first_posting_months": 60, "extendable": True, "max_total_months": 96, "special_extra_months": 24,
        "max_extensions": 1, "extension_notice_months": 3, "min_prior_employment_months": 2,
        "employees": False, "self_employed": True, "self_employed_schemes": ["pension"], "family": True,
        "certificate_zh": "法律适用证明", "certificate_partner": "A1", "signed": "2019-01-02", "source": "law",
        "checked": 2026, "disputed": ["signed"], "note": "n",
        "phase": [{"from": "2003-05-23", "until": "2013-01-15", "name_zh": "临时", "name_en": "Interim",
                   "schemes": ["pension"], "time_limit": False, "self_employed": True, "source": "notes"},
                  {"from": DAY(2001, 1, 1), "until": "2002-12-31", "name_zh": "更早", "name_en": "Earlier",
                   "schemes": []}],
    })
    assert a == Agreement(
        country="ZZ", partner_zh="某国", partner_en="Someland", name_zh="某协定", name_en="Some",
        in_force=DAY(2020, 3, 10), schemes=("pension",), partner_schemes="AHV", first_posting_months=60,
        extendable=True, max_total_months=96, special_extra_months=24, max_extensions=1,
        extension_notice_months=3, min_prior_employment_months=2, employees=False, self_employed=True,
        self_employed_schemes=("pension",), family=True, certificate_zh="法律适用证明", certificate_partner="A1",
        signed=DAY(2019, 1, 2), source="law", checked="2026", disputed=("signed",), note="n",
        phases=(Phase(DAY(2003, 5, 23), DAY(2013, 1, 15), "临时", "Interim", ("pension",), False, True, "notes"),
                Phase(DAY(2001, 1, 1), DAY(2002, 12, 31), "更早", "Earlier", (), True, False, "")))


@pytest.mark.parametrize("missing", ["from", "until"])
def test_a_phase_without_its_days(missing: str) -> None:
    phase = {"from": "2003-05-23", "until": "2013-01-15", "name_zh": "临时", "name_en": "Interim",
             "schemes": ["pension"], missing: ""}
    with pytest.raises(ValueError, match=r"^agreements\.toml: a phase needs its from and until days$"):
        _from_dict({**MINIMAL, "phase": [phase]})


def test_overrides_applied_in_order() -> None:
    base = {"XX": _terms(), "YY": _terms(country="YY")}
    out = with_overrides(base, [
        ("XX", "in_force", '"2021-04-01"'), ("XX", "signed", '""'), ("XX", "schemes", '["pension"]'),
        ("XX", "disputed", '["signed"]'), ("XX", "self_employed_schemes", "null"),
        ("XX", "first_posting_months", "48"), ("XX", "first_posting_months", "36"),
        ("YY", "self_employed_schemes", '["pension", "unemployment"]'),
        ("ZZ", "note", '"no such agreement"'), ("XX", "country", '"DE"'), ("XX", "phases", "[]"),
        ("XX", "no_time_limit", "true"), ("XX", "phase_until", '"2020-01-01"'),
        ("XX", "note", '"after the skipped ones"'),
    ])
    xx, yy = out["XX"], out["YY"]
    assert (xx.in_force, xx.signed, xx.schemes, xx.disputed, xx.self_employed_schemes) == (
        DAY(2021, 4, 1), None, ("pension",), ("signed",), None)
    assert xx.first_posting_months == 36  # the later correction wins
    assert xx.note == "after the skipped ones"  # a skipped correction does not stop the ones after it
    assert (xx.country, xx.no_time_limit, xx.phase_until) == ("XX", False, None)  # not editable: kept
    assert yy.self_employed_schemes == ("pension", "unemployment") and yy.schemes == ("pension", "unemployment")
    assert sorted(out) == ["XX", "YY"]
    assert base["XX"].first_posting_months == 60  # the base is left alone


def test_require_agreement() -> None:
    a = _terms()
    assert require_agreement({"XX": a}, "XX") is a
    with pytest.raises(RefusedByRule) as err:
        require_agreement({"XX": a}, "US")
    assert _why(err.value) == ("agreement.none", "country", {"country": "US"})


def test_overlaps_to_the_day() -> None:
    a = (DAY(2027, 1, 1), DAY(2027, 12, 31))
    assert overlaps(*a, DAY(2027, 12, 31), DAY(2028, 6, 30))          # shares 31 December
    assert not overlaps(*a, DAY(2028, 1, 1), DAY(2028, 6, 30))        # the day after: none
    assert overlaps(*a, DAY(2026, 6, 1), DAY(2027, 1, 1))             # shares 1 January
    assert not overlaps(*a, DAY(2026, 6, 1), DAY(2026, 12, 31))       # the day before: none
    assert overlaps(*a, DAY(2027, 5, 1), DAY(2027, 5, 1))             # inside
    assert overlaps(DAY(2027, 5, 1), DAY(2027, 5, 1), *a)


def test_agreements_in_pinyin_order() -> None:
    # dan mai, de guo, fa guo, fen lan, han guo, he lan, ji er ji si si tan, jia na da, lu sen bao,
    # ri ben, rui shi, sai er wei ya, xi ban ya
    assert [a.country for a in in_pinyin_order(shipped())] == [
        "DK", "DE", "FR", "FI", "KR", "NL", "KG", "CA", "LU", "JP", "CH", "RS", "ES"]


# check_posting, each rule with the day before, the day and the day after its boundary. _terms(): in
# force 2020-03-10, first posting 60 months, 96 in all (+24 special), 2 extensions, 3 months' notice.

def test_posting_order_and_in_force() -> None:
    a = _terms()
    assert _why(_refusal(a, DAY(2027, 1, 2), DAY(2027, 1, 1))) == ("exemption.order", "to", {})
    assert _refusal(a, DAY(2027, 1, 1), DAY(2027, 1, 1)) is None  # one day
    assert _why(_refusal(a, DAY(2020, 3, 9), DAY(2020, 12, 31))) == (
        "agreement.not_in_force", "from", {"partner": "测试国", "since": "2020-03-10"})
    assert _refusal(a, DAY(2020, 3, 10), DAY(2020, 12, 31)) is None
    assert _why(_refusal(_terms(in_force=None), DAY(2027, 1, 1), DAY(2027, 2, 1))) == (
        "agreement.not_in_force", "from", {"partner": "测试国", "since": "未生效"})


def test_posting_under_a_phase_ends_with_it() -> None:
    a = _phased()  # the phase: 2003-05-23..2013-01-15, no time limit, employees only
    assert _refusal(a, DAY(2005, 1, 1), DAY(2013, 1, 14)) is None
    assert _refusal(a, DAY(2005, 1, 1), DAY(2013, 1, 15)) is None  # 8 years: no limit
    assert _why(_refusal(a, DAY(2005, 1, 1), DAY(2013, 1, 16))) == (
        "agreement.phase_ends", "to", {"name": "韩国临时措施", "last": "2013-01-15"})
    assert _why(_refusal(a, DAY(2005, 1, 1), DAY(2006, 1, 1), chain=DAY(2000, 1, 1))) == (
        "agreement.no_extension", "from", {"partner": "测试国"})
    assert _why(_refusal(a, DAY(2005, 1, 1), DAY(2006, 1, 1), self_employed=True)) == (
        "agreement.no_self_employed", "worker", {"partner": "测试国"})


def test_posting_who_is_covered() -> None:
    assert _refusal(_terms(), DAY(2027, 1, 1), DAY(2027, 12, 31), self_employed=True) is None
    assert _why(_refusal(_terms(self_employed=False), DAY(2027, 1, 1), DAY(2027, 12, 31), self_employed=True)) == (
        "agreement.no_self_employed", "worker", {"partner": "测试国"})
    assert _why(_refusal(_terms(employees=False), DAY(2027, 1, 1), DAY(2027, 12, 31))) == (
        "agreement.no_employees", "worker", {"partner": "测试国"})
    assert _refusal(_terms(employees=False), DAY(2027, 1, 1), DAY(2027, 12, 31), self_employed=True) is None
    assert _refusal(_terms(self_employed=False), DAY(2027, 1, 1), DAY(2027, 12, 31)) is None
    assert _why(_refusal(_terms(first_posting_months=None), DAY(2027, 1, 1), DAY(2027, 12, 31))) == (
        "agreement.no_period", "country", {"partner": "测试国"})


@pytest.mark.parametrize(("end", "refused"), [
    (DAY(2031, 12, 31), False), (DAY(2032, 1, 30), False), (DAY(2032, 1, 31), False), (DAY(2032, 2, 1), True),
    (DAY(2032, 2, 29), True)])  # a month before the last day and a month after it too
def test_first_posting_of_sixty_months_to_the_day(end: dt.date, refused: bool) -> None:
    # 2027-02-01 + 60 months = 2032-02-01; the last day is the day before: 2032-01-31 (over a month end)
    why = _why(_refusal(_terms(), DAY(2027, 2, 1), end))
    assert why == (("agreement.too_long", "to", {"partner": "测试国", "months": 60, "last": "2032-01-31"})
                   if refused else None)


@pytest.mark.parametrize(("end", "refused"), [
    (DAY(2033, 2, 27), False), (DAY(2033, 2, 28), False), (DAY(2033, 3, 1), True)])
def test_first_posting_from_a_leap_day(end: dt.date, refused: bool) -> None:
    # 2028-02-29 + 60 months: 2033 has no 29 February, so the posting may run to 2033-02-28
    why = _why(_refusal(_terms(), DAY(2028, 2, 29), end))
    assert why == (("agreement.too_long", "to", {"partner": "测试国", "months": 60, "last": "2033-02-28"})
                   if refused else None)


def test_extensions_which_agreements_allow() -> None:
    ext = {"chain": DAY(2027, 1, 1), "previous_end": DAY(2031, 12, 31), "today": DAY(2031, 6, 1)}
    assert _refusal(_terms(), DAY(2032, 1, 1), DAY(2032, 12, 31), **ext) is None
    assert _why(_refusal(_terms(extendable=False), DAY(2032, 1, 1), DAY(2032, 12, 31), **ext)) == (
        "agreement.no_extension", "from", {"partner": "测试国"})
    assert _why(_refusal(_terms(max_total_months=None), DAY(2032, 1, 1), DAY(2032, 12, 31), **ext)) == (
        "agreement.no_maximum", "to", {"partner": "测试国"})
    # two extensions allowed: the first (0 so far) and the second (1 so far) pass, a third is refused
    for so_far, why in [(0, None), (1, None), (2, ("agreement.extensions_used", "from",
                                                   {"partner": "测试国", "count": 2})), (3, "refused")]:
        got = _why(_refusal(_terms(), DAY(2032, 1, 1), DAY(2032, 12, 31), extensions=so_far, **ext))
        assert (got is not None if why == "refused" else got == why), so_far
    # no limit on their number: any count passes
    assert _refusal(_terms(max_extensions=None), DAY(2032, 1, 1), DAY(2032, 12, 31), extensions=9,
                    **ext) is None


@pytest.mark.parametrize(("today", "refused"), [
    (DAY(2031, 8, 30), False), (DAY(2031, 9, 29), False), (DAY(2031, 9, 30), False), (DAY(2031, 10, 1), True),
    (DAY(2031, 10, 30), True)])  # a month before the deadline and a month after it too
def test_extension_notice_to_the_day(today: dt.date, refused: bool) -> None:
    # a certificate ending 2031-12-31; three months' notice: 31 December less 3 months = 2031-09-30
    why = _why(_refusal(_terms(), DAY(2032, 1, 1), DAY(2032, 12, 31), chain=DAY(2027, 1, 1),
                        previous_end=DAY(2031, 12, 31), today=today))
    assert why == (("agreement.late_extension", "from", {"partner": "测试国", "months": 3,
                                                         "deadline": "2031-09-30"}) if refused else None)


@pytest.mark.parametrize(("today", "refused"), [
    (DAY(2031, 11, 29), False), (DAY(2031, 11, 30), False), (DAY(2031, 12, 1), True)])
def test_extension_notice_of_one_month_from_a_month_end(today: dt.date, refused: bool) -> None:
    # 31 December less one month: November has no 31st, so the deadline is 2031-11-30
    why = _why(_refusal(_terms(extension_notice_months=1), DAY(2032, 1, 1), DAY(2032, 12, 31),
                        chain=DAY(2027, 1, 1), previous_end=DAY(2031, 12, 31), today=today))
    assert why == (("agreement.late_extension", "from", {"partner": "测试国", "months": 1,
                                                         "deadline": "2031-11-30"}) if refused else None)


def test_no_notice_wanted_or_no_previous_certificate() -> None:
    late = DAY(2031, 12, 31)  # the last day of the certificate extended
    assert _refusal(_terms(extension_notice_months=0), DAY(2032, 1, 1), DAY(2032, 12, 31), chain=DAY(2027, 1, 1),
                    previous_end=DAY(2031, 12, 31), today=late) is None
    assert _refusal(_terms(), DAY(2032, 1, 1), DAY(2032, 12, 31), chain=DAY(2027, 1, 1), previous_end=None,
                    today=late) is None


@pytest.mark.parametrize(("end", "special", "refused"), [
    # 96 months from 2027-01-01: 2035-01-01, the last day 2034-12-31 (over a year end)
    (DAY(2034, 12, 30), False, False), (DAY(2034, 12, 31), False, False), (DAY(2035, 1, 1), False, True),
    (DAY(2034, 11, 30), False, False), (DAY(2035, 1, 31), False, True),  # a month before and after
    # special: 96 + 24 = 120 months: 2037-01-01, the last day 2036-12-31
    (DAY(2036, 12, 30), True, False), (DAY(2036, 12, 31), True, False), (DAY(2037, 1, 1), True, True),
])
def test_total_posting_to_the_day(end: dt.date, special: bool, refused: bool) -> None:
    why = _why(_refusal(_terms(), DAY(2032, 1, 1), end, chain=DAY(2027, 1, 1), special=special,
                        previous_end=DAY(2031, 12, 31), today=DAY(2031, 6, 1)))
    months, last = (120, "2036-12-31") if special else (96, "2034-12-31")
    assert why == (("agreement.total_too_long", "to", {"partner": "测试国", "months": months, "last": last})
                   if refused else None)


# -- the same boundaries through the service (a real ledger; today is 2026-11-23) ----------------------

@pytest.mark.parametrize(("end", "refused"), [
    (dt.date(2032, 2, 27), False), (dt.date(2032, 2, 28), False), (dt.date(2032, 2, 29), True)])
def test_a_german_posting_from_a_leap_day(ledger: Ledger, posted: str, end: dt.date, refused: bool) -> None:
    # 2028-02-29 + 48 months = 2032-02-29 (a leap year again): the last day is the day before, 2032-02-28
    if refused:
        with pytest.raises(RefusedByRule) as err:
            ledger.exemptions.issue(posted, "DE", EMPLOYER, HOST, "2028-02-29", end, passport="EA1234567")
        assert (err.value.key, err.value.field) == ("agreement.too_long", "to")
        assert err.value.params == {"partner": "德国", "months": 48, "last": "2032-02-28"}
        return
    cert = ledger.exemptions.issue(posted, "DE", EMPLOYER, HOST, "2028-02-29", end, passport="EA1234567")
    assert (cert.valid_from, cert.valid_to) == (dt.date(2028, 2, 29), end)


@pytest.mark.parametrize(("end", "refused"), [
    (dt.date(2032, 1, 29), False), (dt.date(2032, 1, 30), False), (dt.date(2032, 1, 31), True)])
def test_a_japanese_posting_from_a_month_end(ledger: Ledger, posted: str, end: dt.date, refused: bool) -> None:
    # 2027-01-31 + 60 months = 2032-01-31: the last day is 2032-01-30
    if refused:
        with pytest.raises(RefusedByRule) as err:
            ledger.exemptions.issue(posted, "JP", EMPLOYER, HOST, "2027-01-31", end, passport="EA1234567")
        assert (err.value.key, err.value.params["last"]) == ("agreement.too_long", "2032-01-30")
        return
    assert ledger.exemptions.issue(posted, "JP", EMPLOYER, HOST, "2027-01-31", end,
                                   passport="EA1234567").valid_to == end


@pytest.mark.parametrize(("end", "special", "refused"), [
    # 120 months from 2027-01-01: 2037-01-01, the last day 2036-12-31; special: 120 + 36 = 156 months,
    # 2027 + 13 = 2040-01-01, the last day 2039-12-31
    (dt.date(2036, 12, 31), False, False), (dt.date(2037, 1, 1), False, True),
    (dt.date(2039, 12, 30), True, False), (dt.date(2039, 12, 31), True, False), (dt.date(2040, 1, 1), True, True)])
def test_a_korean_extension_with_and_without_the_special_months(ledger: Ledger, posted: str, end: dt.date,
                                                                 special: bool, refused: bool) -> None:
    ledger.exemptions.issue(posted, "KR", EMPLOYER, HOST, "2027-01-01", "2031-12-31", passport="EA1234567")
    if refused:
        with pytest.raises(RefusedByRule) as err:
            ledger.exemptions.issue(posted, "KR", EMPLOYER, HOST, "2032-01-01", end, extension=True,
                                    special=special, passport="EA1234567")
        assert (err.value.key, err.value.field) == ("agreement.total_too_long", "to")
        assert err.value.params == {"partner": "韩国", "months": 156 if special else 120,
                                    "last": "2039-12-31" if special else "2036-12-31"}
        return
    ext = ledger.exemptions.issue(posted, "KR", EMPLOYER, HOST, "2032-01-01", end, extension=True,
                                  special=special, passport="EA1234567")
    assert ext.extension and ext.valid_to == end


@pytest.mark.parametrize(("paid", "accepted"), [("2026-07", False), ("2026-08", True), ("2026-09", True)])
def test_still_contributing_to_the_month(ledger: Ledger, person: str, paid: str, accepted: bool) -> None:
    # today 2026-11-23: a paid month within 3 months before, 2026-11 less 3 = 2026-08 at the earliest
    ledger.contributions.record(person, EMPLOYER, paid, "8000")
    if accepted:
        assert ledger.exemptions.issue(person, "JP", EMPLOYER, HOST, "2027-01-01", "2027-12-31",
                                       passport="EA1234567").schemes == ("pension",)
        return
    with pytest.raises(RefusedByRule) as err:
        ledger.exemptions.issue(person, "JP", EMPLOYER, HOST, "2027-01-01", "2027-12-31", passport="EA1234567")
    assert (err.value.key, err.value.field, err.value.params["months"]) == ("exemption.not_insured", "worker", 3)
