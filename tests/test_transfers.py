"""Pension transfers between two office databases: through sync files and on paper, the refusals,
due dates and the work list, where the pension is paid, the plan and the yearly report."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import chinese_calendar
import pytest
from pypdf import PdfReader
from sqlalchemy import select, text
from stdnum.cn import ric
from sync_support import EMP_BJ, EMP_NC, TODAY, make_office, send, trust_all, uscc

from desktop.core.errors import InvalidInput, NotAllowed, RefusedByRule, ShebaoError
from desktop.core.ledger import Ledger
from desktop.core.month import Month
from desktop.core.paths import resources_dir
from desktop.core.services.declaration import DeclarationRow
from desktop.core.services.transfers import StepResult
from desktop.core.store.models import TransferCase, Worker

EMP_SY = "91210100MA0P5K2X4"  # Shenyang
OFFICES = {"A": ("NC01", "南昌市社保局", "360100", EMP_NC, "南昌赣江机械制造有限公司"),
           "B": ("BJ01", "北京市朝阳区社保中心", "110105", EMP_BJ, "北京朝阳科技有限公司"),
           "L": ("SY01", "沈阳市社会保险事业服务中心", "210100", EMP_SY, "沈阳铁西机床有限公司")}
BANK = {"bank_account_name": "北京市朝阳区社保中心养老保险基金收入户", "bank": "中国工商银行北京朝阳支行",
        "bank_account": "0200 0012 3456 7890 123", "address": "北京市朝阳区工体北路1号", "phone": "010-65000000"}
CENT = Decimal("0.01")


def citizen(region: str, born: dt.date, seq: int = 1, female: bool = False) -> str:
    """A well-formed ID number: region, birth date, sequence (odd for men), check digit."""
    body = f"{region}{born:%Y%m%d}{seq * 2 + (0 if female else 1):03d}"
    return body + ric.calc_check_digit(body + "0")


def half_up(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


# The offices here enter 2025's crediting rate themselves (a figure for the tests, not the published
# one): the shipped table ends at 2024, and a settle needs every past year's rate.
RATE_2025 = Decimal("0.0250")


def crediting_rate(year: int) -> Decimal | None:
    """The crediting rate of a year as shipped in resources/interest.csv, or entered here (2025)."""
    with (resources_dir() / "interest.csv").open(encoding="utf-8") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        shipped = next((Decimal(r["rate"]) for r in rows if int(r["year"]) == year), None)
    return RATE_2025 if shipped is None and year == 2025 else shipped


def pdf_text(pdf: bytes) -> str:
    """The text of a printed document, amounts as a clerk types them (without thousands separators)."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)


def declare(led: Ledger, employer: str, worker: str, name: str, months: list[Month],
            wage: str | list[str]) -> None:
    """Record months through the declaration import (one transaction, fast)."""
    wages = [wage] * len(months) if isinstance(wage, str) else wage
    rows = [DeclarationRow(i + 2, uscc(employer), worker, name, str(m), w)
            for i, (m, w) in enumerate(zip(months, wages, strict=True))]
    assert led.contributions.import_rows(rows, "decl.csv", f"{worker}-{months[0]}").recorded == len(rows)


def span(first: str, last: str) -> list[Month]:
    out, m, end = [], Month.parse(first), Month.parse(last)
    while m <= end:
        out.append(m)
        m = m.add(1)
    return out


def state(led: Ledger) -> dict[str, Any]:
    """Every table's row count, and the transfer cases and people in full."""
    with led.read() as s:
        names = [r[0] for r in s.execute(text("SELECT name FROM sqlite_master WHERE type = 'table' "
                                              "AND name NOT LIKE 'sqlite_%' ORDER BY name"))]
        counts = {n: s.execute(text(f'SELECT count(*) FROM "{n}"')).scalar() for n in names}
        cases = [tuple(r) for r in s.execute(text("SELECT * FROM transfer_case ORDER BY id"))]
        people = [tuple(r) for r in s.execute(text("SELECT * FROM worker ORDER BY id"))]
    return {"counts": counts, "cases": cases, "people": people}


def insured_region(led: Ledger, worker: str) -> str | None:
    with led.read() as s:
        return s.scalar(select(Worker.insured_region).where(Worker.id_number == worker))


def case_row(led: Ledger, number: str) -> tuple[Any, ...]:
    """What both sides must agree on, read from the case row as stored."""
    with led.read() as s:
        c = s.scalars(select(TransferCase).where(TransferCase.number == number)).one()
        return (c.account, c.pooling, c.total, c.received_amount, c.status)


def refused(led: Ledger, error: type[ShebaoError], key: str, call: Any, *args: Any, **kwargs: Any) -> ShebaoError:
    """Call, expect the refusal with its key, and check that nothing at all was written."""
    before = state(led)
    with pytest.raises(error) as info:
        call(*args, **kwargs)
    assert info.value.key == key, info.value.key
    assert state(led) == before
    return info.value


# -- offices --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def office_files(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Nanchang, Beijing Chaoyang and Shenyang offices that trust each other, copied per test."""
    folder = tmp_path_factory.mktemp("transfer-offices")
    ledgers = {k: make_office(sqlite_template, folder, *v) for k, v in OFFICES.items()}
    trust_all(*ledgers.values())
    for led in ledgers.values():
        led.reference.set_interest(2025, RATE_2025)
        led.close()
    return {k: folder / f"{v[0]}.db" for k, v in OFFICES.items()}


class Offices:
    """Copies of the offices in one folder; the same file may be opened again with another clock."""

    def __init__(self, files: dict[str, Path], folder: Path) -> None:
        self.files, self.folder, self.opened = files, folder, []

    def path(self, which: str) -> Path:
        return self.folder / f"{which}.db"

    def open(self, which: str, clock: dt.date = TODAY) -> Ledger:
        path = self.path(which)
        if not path.exists():
            shutil.copy(self.files[which], path)
        led = Ledger.open(str(path), clock=lambda: clock)
        self.opened.append(led)
        return led

    def close(self) -> None:
        for led in self.opened:
            led.close()


@pytest.fixture
def offices(office_files: dict[str, Path], tmp_path: Path) -> Iterator[Offices]:
    o = Offices(office_files, tmp_path)
    yield o
    o.close()


# -- the case between two offices through sync files -----------------------------------------

WANG = citizen("360102", dt.date(1985, 3, 12))  # rural hukou in Nanchang


@dataclass
class SyncCase:
    a: Ledger
    b: Ledger
    number: str
    letter: StepResult
    table: StepResult
    plan_total: Decimal
    estimate: Any


@pytest.fixture(scope="module")
def synced(office_files: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[SyncCase]:
    """A Nanchang worker (2023-01..2024-12 at 6000) moved to Beijing Chaoyang through sync files."""
    o = Offices(office_files, tmp_path_factory.mktemp("synced"))
    a, b = o.open("A"), o.open("B")
    a.workers.register_citizen(WANG, "王五", "360102", "rural")
    declare(a, EMP_NC, WANG, "王五", span("2023-01", "2024-12"), "6000")
    plan_total = a.transfers.plan(WANG, "110105").total
    send(a, b, o.folder)
    letter = b.transfers.request(WANG, "360100", letter=BANK)
    estimate = b.transfers.plan(WANG, "110105", from_region="360100")
    send(b, a, o.folder)
    table = a.transfers.settle(letter.case.number)
    send(a, b, o.folder)
    b.transfers.receive(letter.case.number, table.case.total)
    send(b, a, o.folder)
    send(a, b, o.folder)
    yield SyncCase(a, b, letter.case.number, letter, table, plan_total, estimate)
    o.close()


def test_sync_case_both_offices_agree_to_the_fen(synced: SyncCase) -> None:
    a, b, number = synced.a, synced.b, synced.number
    assert number.startswith("BJ01-ZY2026")
    letter = pdf_text(synced.letter.pdf or b"")
    assert "基本养老保险关系转移接续联系函" in letter and number in letter
    assert synced.letter.document_number and synced.letter.document_number in letter
    assert "南昌市社保局" in letter and BANK["bank_account"] in letter and "中国工商银行北京朝阳支行" in letter

    # by hand: 8% of 6000.00 a month to the account, 12% of every base to the pooling fund
    credited = Decimal("6000.00") * Decimal("0.08") * 12
    assert credited == Decimal("5760.00")
    rate_2024 = crediting_rate(2024)
    assert rate_2024 == Decimal("0.0262")  # the published 2024 crediting rate
    interest_2024 = half_up(credited * rate_2024)  # on the 2023 closing; 2024's own money earns none
    balance = credited + interest_2024 + credited
    rate_2025 = crediting_rate(2025)  # entered by the office
    assert rate_2025 == RATE_2025
    balance += half_up(balance * rate_2025)
    # 2026 is the year of the transfer: no interest yet
    pooling = Decimal("6000.00") * 24 * Decimal("0.12")
    assert pooling == Decimal("17280.00")
    total = balance + pooling

    settled = synced.table.case
    assert (settled.account, settled.pooling, settled.total) == (balance, pooling, total)
    assert synced.plan_total == total
    # the new office's estimate, before the settle, from the months it knows for the old region:
    # the same, to the fen; once moved, the old region holds nothing more of him
    estimate = synced.estimate
    assert (estimate.from_region, estimate.months_counted, estimate.total) == ("360100", 24, total)
    gone = b.transfers.plan(WANG, "110105", from_region="360100")
    assert (gone.months_counted, gone.total, gone.periods) == (0, 0, ())
    table = pdf_text(synced.table.pdf or b"")
    assert "基本养老保险参保缴费信息表" in table and number in table
    for label, amount in (("1998年前个人缴费累计本息", Decimal(0)), ("1998年至上年末个人账户累计储存额", balance),
                          ("当年个人账户记账本金", Decimal(0)), ("个人账户转移额", balance),
                          ("统筹基金转移额", pooling), ("转移总额", total)):
        assert re.search(rf"{label} {amount:.2f}", table), label
    assert "实际缴费月数： 24" in table
    assert "2023 72000.00 12 16% 8% 8% 5760.00 0.00 5760.00" in table
    assert f"2024 72000.00 12 16% 8% 8% 5760.00 {interest_2024:.2f} {5760 * 2 + interest_2024:.2f}" in table

    expected = (balance, pooling, total, total, "received")
    assert case_row(a, number) == case_row(b, number) == expected
    assert insured_region(a, WANG) == insured_region(b, WANG) == "110105"
    at_a, at_b = a.transfers.show(number), b.transfers.show(number)
    assert at_a.rows == at_b.rows and [r["year"] for r in at_b.rows] == [2023, 2024, 2025, 2026]
    assert at_b.due is None and not at_b.overdue

    # the new office sees the whole history: A's months and the same individual account
    sa, sb = a.accounts.statement(WANG), b.accounts.statement(WANG)
    pension = next(r for r in sb.schemes if r.scheme == "pension")
    assert [(p.region, p.months_paid, p.first_month, p.last_month) for p in pension.regions] == [
        ("360100", 24, "2023-01", "2024-12")]
    assert sb.individual_account_balance == sa.individual_account_balance == balance
    assert [(y.year, y.closing) for y in sb.account_years] == [(y.year, y.closing) for y in sa.account_years]


def test_yearly_report_after_the_sync_case(synced: SyncCase) -> None:
    total, account, pooling = synced.table.case.total, synced.table.case.account, synced.table.case.pooling
    out = synced.a.transfers.report(2026)
    assert [(x.direction, x.month, x.people, x.rural, x.account, x.pooling, x.total) for x in out.lines] == [
        ("out", 0, 1, 1, account, pooling, total), ("out", 11, 1, 1, account, pooling, total)]
    into = synced.b.transfers.report(2026)
    assert [(x.direction, x.month, x.people, x.rural, x.total) for x in into.lines] == [
        ("in", 0, 1, 1, total), ("in", 11, 1, 1, total)]
    assert synced.a.transfers.report(2025).lines == ()
    assert synced.b.transfers.report("2026").as_json()["lines"][0] == {
        "direction": "in", "month": None, "people": 1, "rural_migrant_workers": 1,
        "individual_account": f"{account:.2f}", "pooling_fund": f"{pooling:.2f}", "total": f"{total:.2f}"}

    lines = synced.a.transfers.report_csv(out).splitlines()
    assert lines[0] == "方向,月份,人数,其中农民工,个人账户,统筹基金,合计金额"
    assert lines[1:] == [f"转出,全年,1,1,{account:.2f},{pooling:.2f},{total:.2f}",
                         f"转出,11,1,1,{account:.2f},{pooling:.2f},{total:.2f}"]
    assert synced.b.transfers.report_csv(into).splitlines()[1].startswith("转入,全年,1,1,")

    text_out = pdf_text(synced.a.transfers.report_pdf(out))
    assert "转出" in text_out and f"{total:.2f}" in text_out and "2026年" in text_out
    text_in = pdf_text(synced.b.transfers.report_pdf(into))
    assert "转入" in text_in and f"{total:.2f}" in text_in
    with pytest.raises(InvalidInput) as info:
        synced.a.transfers.report("26")
    assert info.value.key == "year.format"


# -- the same case on paper -------------------------------------------------------------------

_ROW = re.compile(r"^(\d{4}) (\d+\.\d\d) (\d+) (\S+) (\S+) (\S+) (\d+\.\d\d) (\d+\.\d\d) (\d+\.\d\d)$", re.MULTILINE)
_LINES = (("pre1998", "1998年前个人缴费累计本息"), ("to_last_year_end", "1998年至上年末个人账户累计储存额"),
          ("this_year_principal", "当年个人账户记账本金"), ("account", "个人账户转移额"),
          ("pooling", "统筹基金转移额"), ("total", "转移总额"))


def typed_from(pdf: bytes) -> tuple[dict[str, str], list[dict[str, str]]]:
    """What a clerk types in from a printed information table: the six money lines and the rows."""
    page = pdf_text(pdf)
    money = {}
    for key, label in _LINES:
        found = re.search(rf"(?<![\u4e00-\u9fff\d]){label} (\d+\.\d\d)", page)
        assert found, label
        money[key] = found.group(1)
    rows = [dict(zip(("year", "base", "months", "employer_rate", "account_rate", "personal_rate",
                      "credited", "interest", "closing"), m.groups(), strict=True)) for m in _ROW.finditer(page)]
    return money, rows


def test_paper_case_both_offices_agree_to_the_fen(offices: Offices) -> None:
    a, b = offices.open("A"), offices.open("B")
    for led in (a, b):  # the person is registered at both offices; they exchange no files
        led.workers.register_citizen(WANG, "王五", "360102", "rural")
    declare(a, EMP_NC, WANG, "王五", span("2023-01", "2024-12"), "6000")
    declare(a, EMP_NC, WANG, "王五", span("2026-01", "2026-03"), ["5000", "7000.05", "7000.07"])
    b_files = state(b)["counts"]["sync_file"]

    letter = b.transfers.request(WANG, "360100", letter=BANK, channel="paper")
    number = letter.case.number
    assert letter.case.channel == "paper" and number in pdf_text(letter.pdf or b"")
    opened = a.transfers.enter_letter(number, WANG, "110105", "BJ01", TODAY.isoformat(), BANK)
    assert (opened.number, opened.from_region, opened.to_region, opened.status) == (number, "360100", "110105",
                                                                                     "requested")
    table = a.transfers.settle(number)
    money, rows = typed_from(table.pdf or b"")
    assert [int(r["year"]) for r in rows] == [r["year"] for r in table.case.rows] == [2023, 2024, 2025, 2026]
    for typed, stored in zip(rows, table.case.rows, strict=True):
        assert Decimal(typed["closing"]) == Decimal(stored["closing"]).scaleb(-2)
        assert Decimal(typed["base"]) == Decimal(stored["base"]).scaleb(-2)
    assert money["this_year_principal"] == "1520.01"  # 400.00 + 560.00 + 560.01 (8% of each base)
    assert Decimal(money["total"]) == table.case.total

    entered = b.transfers.enter_table(number, money["pre1998"], money["to_last_year_end"],
                                      money["this_year_principal"], money["account"], money["pooling"],
                                      money["total"], rows, table_number=table.document_number or "")
    assert entered.status == "settled"
    with pytest.raises(RefusedByRule) as info:
        b.transfers.receive(number, Decimal(money["total"]) - CENT)
    assert info.value.key == "transfer.amount_differs"
    done = b.transfers.receive(number, money["total"])
    assert done.status == "received"

    settled = a.transfers.show(number)
    assert (settled.account, settled.pooling, settled.total) == (done.account, done.pooling, done.total)
    assert done.received_amount == settled.total and settled.status == "settled"
    assert [r["year"] for r in done.rows] == [r["year"] for r in settled.rows]
    assert [(r["credited"], r["interest"], r["closing"]) for r in done.rows] == [
        (r["credited"], r["interest"], r["closing"]) for r in settled.rows]
    assert insured_region(a, WANG) == insured_region(b, WANG) == "110105"
    assert state(b)["counts"]["sync_file"] == b_files == 0
    # B's statement now holds the years of the table it received: the same account, to the fen
    st_a, st_b = a.accounts.statement(WANG), b.accounts.statement(WANG)
    assert st_b.individual_account_balance == settled.account == st_a.individual_account_balance
    assert [(y.year, y.months, y.credited, y.closing) for y in st_b.account_years] == [
        (y.year, y.months, y.credited, y.closing) for y in st_a.account_years]
    [pension_b] = [r for r in st_b.schemes if r.scheme == "pension"]
    assert (pension_b.months_paid, [(p.region, p.months_paid) for p in pension_b.regions]) == (27, [("360100", 27)])
    # typed in without its periods: each row's months count in the old region, by year
    assert (pension_b.regions[0].first_month, pension_b.regions[0].last_month) == ("2023-01", "2026-12")


# -- refusals: the reason given, nothing written -----------------------------------------------

@pytest.fixture
def requested(offices: Offices) -> tuple[Ledger, Ledger, str]:
    """WANG's months at Nanchang known in Beijing; Beijing asked for him; Nanchang has the letter."""
    a, b = offices.open("A"), offices.open("B")
    a.workers.register_citizen(WANG, "王五", "360102", "rural")
    declare(a, EMP_NC, WANG, "王五", span("2024-01", "2024-12"), "6000")
    send(a, b, offices.folder)
    number = b.transfers.request(WANG, "360100", letter=BANK).case.number
    send(b, a, offices.folder)
    return a, b, number


def test_worker_drawing_a_pension_is_refused(requested: tuple[Ledger, Ledger, str], offices: Offices) -> None:
    a, b, number = requested
    with a.write() as s:
        s.scalars(select(Worker).where(Worker.id_number == WANG)).one().pension_since = dt.date(2026, 10, 1)
    err = refused(a, RefusedByRule, "transfer.drawing_pension", a.transfers.settle, number)
    assert "2026-10-01" in err.message()
    assert a.transfers.show(number).status == "requested"
    send(a, b, offices.folder)
    refused(b, RefusedByRule, "transfer.drawing_pension", b.transfers.request, WANG, "360100", BANK)


def test_settled_case_cannot_be_settled_again(requested: tuple[Ledger, Ledger, str]) -> None:
    a, _b, number = requested
    first = a.transfers.settle(number)
    err = refused(a, RefusedByRule, "transfer.already_settled", a.transfers.settle, number)
    assert number in err.message()
    assert a.transfers.show(number).total == first.case.total


def test_second_open_case_for_the_same_person_is_refused(requested: tuple[Ledger, Ledger, str],
                                                         offices: Offices) -> None:
    a, b, number = requested
    err = refused(b, RefusedByRule, "transfer.open_case", b.transfers.request, WANG, "360100", BANK)
    assert number in err.message()
    refused(a, RefusedByRule, "transfer.open_case", a.transfers.enter_letter, "BJ01-ZY2026999999", WANG,
            "110105", "BJ01", TODAY, BANK)
    refused(a, RefusedByRule, "transfer.case_exists", a.transfers.enter_letter, number, WANG,
            "110105", "BJ01", TODAY, BANK)
    refused(b, RefusedByRule, "transfer.not_settled", b.transfers.receive, number, "0.01")
    refused(b, RefusedByRule, "transfer.not_ours", b.transfers.settle, number)


def test_money_received_that_differs_from_the_table_is_refused(requested: tuple[Ledger, Ledger, str],
                                                               offices: Offices) -> None:
    a, b, number = requested
    total = a.transfers.settle(number).case.total
    assert total is not None
    send(a, b, offices.folder)
    for amount in (total - CENT, total + CENT, "0"):
        err = refused(b, RefusedByRule, "transfer.amount_differs", b.transfers.receive, number, amount)
        assert f"{total:.2f}" in err.message()
    assert b.transfers.show(number).status == "settled"
    assert b.transfers.receive(number, f"{total:.2f}").status == "received"
    refused(b, RefusedByRule, "transfer.already_received", b.transfers.receive, number, total)


def _table() -> tuple[dict[str, str], list[dict[str, str]]]:
    money = {"pre1998": "0.00", "to_last_year_end": "11670.91", "this_year_principal": "0.00",
             "account": "11670.91", "pooling": "17280.00", "total": "28950.91"}
    rows = [{"year": "2023", "base": "72000.00", "months": "12", "credited": "5760.00", "interest": "0.00",
             "closing": "5760.00"},
            {"year": "2024", "base": "72000.00", "months": "12", "credited": "5760.00", "interest": "150.91",
             "closing": "11670.91"},
            {"year": "2025", "base": "0.00", "months": "0", "credited": "0.00", "interest": "0.00",
             "closing": "11670.91"}]
    return money, rows


@pytest.mark.parametrize(("key", "money", "row"), [
    ("transfer.account_parts", {"account": "11670.92", "total": "28950.92"}, None),
    ("transfer.total_sum", {"total": "28950.90"}, None),
    ("transfer.row_balance", {}, (1, "interest", "150.90")),
    ("transfer.rows_total", {"to_last_year_end": "11670.90", "account": "11670.90", "total": "28950.90"}, None),
    ("amount.format", {"pooling": "17,280.0x"}, None),
    ("transfer.row_field", {}, (0, "closing", None)),
])
def test_typed_table_that_does_not_add_up_is_refused(offices: Offices, key: str, money: dict[str, str],
                                                     row: tuple[int, str, str | None] | None) -> None:
    b = offices.open("B")
    b.workers.register_citizen(WANG, "王五", "360102", "rural")
    number = b.transfers.request(WANG, "360100", BANK, channel="paper").case.number
    good, rows = _table()
    typed = {**good, **money}
    if row is not None:
        i, name, value = row
        if value is None:
            del rows[i][name]
        else:
            rows[i][name] = value
    refused(b, InvalidInput, key, b.transfers.enter_table, number, typed["pre1998"], typed["to_last_year_end"],
            typed["this_year_principal"], typed["account"], typed["pooling"], typed["total"], rows)
    assert b.transfers.show(number).status == "requested"
    good_money, good_rows = _table()
    assert b.transfers.enter_table(number, *good_money.values(), good_rows).total == Decimal("28950.91")


def test_request_from_own_pooling_region_is_refused(offices: Offices) -> None:
    b = offices.open("B")
    b.workers.register_citizen(WANG, "王五", "360102", "rural")
    for own in ("110105", "110108", "110000"):  # Beijing is one pooling region
        err = refused(b, InvalidInput, "transfer.same_region", b.transfers.request, WANG, own, BANK)
        assert own in err.message()
    refused(b, InvalidInput, "transfer.channel", b.transfers.request, WANG, "360100", BANK, channel="fax")
    refused(b, InvalidInput, "worker.unknown", b.transfers.request, citizen("360102", dt.date(1990, 1, 1)),
            "360100", BANK)


def test_temporary_account_on_both_sides_of_the_age_and_province_limits(offices: Offices) -> None:
    a, b = offices.open("A"), offices.open("B")
    people = {  # hukou in Sichuan unless said: moving from Nanchang (Jiangxi) to Beijing
        "man_50_today": citizen("510107", dt.date(1976, 11, 23), 1),
        "man_49": citizen("510107", dt.date(1976, 11, 24), 2),
        "woman_40_today": citizen("510107", dt.date(1986, 11, 23), 3, female=True),
        "woman_39": citizen("510107", dt.date(1986, 11, 24), 4, female=True),
        "man_58_beijing_hukou": citizen("110108", dt.date(1968, 5, 1), 5),
    }
    for label, key in people.items():
        hukou = "110108" if "beijing" in label else "510107"
        for led in (a, b):
            led.workers.register_citizen(key, label[:4], hukou, "rural")
        declare(a, EMP_NC, key, label[:4], span("2025-01", "2025-12"), "6000")

    plans = {label: a.transfers.plan(key, "110105") for label, key in people.items()}
    assert {k: (p.temporary_account, p.temporary_rule) for k, p in plans.items()} == {
        "man_50_today": (True, "temporary.age_other_province"), "man_49": (False, "normal.under_age"),
        "woman_40_today": (True, "temporary.age_other_province"), "woman_39": (False, "normal.under_age"),
        "man_58_beijing_hukou": (False, "normal.back_to_hukou_province")}
    # within one province (Nanchang to Jiujiang) no age limit applies
    within = a.transfers.plan(people["man_50_today"], "360400")
    assert (within.temporary_account, within.temporary_rule) == (False, "normal.within_province")
    # on the day before his 50th birthday he could still move
    assert not a.transfers.plan(people["man_50_today"], "110105", on="2026-11-22").temporary_account
    # a month before both birthdays neither; a month after both (and the day after) both
    for label in ("man_50_today", "woman_40_today"):
        assert [a.transfers.plan(people[label], "110105", on=day).temporary_account
                for day in ("2026-10-23", "2026-11-24", "2026-12-23")] == [False, True, True]

    for label in ("man_50_today", "woman_40_today"):  # the request opens a temporary account: no letter
        opened = b.transfers.request(people[label], "360100", BANK)
        age = 50 if label.startswith("man") else 40
        assert (opened.case.kind, opened.case.status, opened.document_number) == ("temporary", "received", None)
        assert f"{age}岁" in opened.case.note and "360100" in opened.case.note
        [acct] = b.transfers.temporary(people[label])
        assert (acct.info.region, acct.info.relationship_region, acct.info.age) == ("110105", "360100", age)
    for label in ("man_49", "woman_39", "man_58_beijing_hukou"):
        assert b.transfers.request(people[label], "360100", BANK).case.status == "requested"


# -- due dates and the work list ---------------------------------------------------------------

def working_days_later(start: dt.date, n: int) -> tuple[dt.date, bool]:
    """n working days after start by the State Council calendar; Monday to Friday beyond it."""
    day, counted, estimated = start, 0, False
    while counted < n:
        day += dt.timedelta(days=1)
        try:
            worked = chinese_calendar.is_workday(day)
        except NotImplementedError:
            worked, estimated = day.weekday() < 5, True
        counted += worked
    return day, estimated


def test_due_dates_overdue_first_and_estimated_beyond_the_calendar(offices: Offices) -> None:
    b = offices.open("B")
    first, second = WANG, citizen("360102", dt.date(1988, 6, 1), 7)
    for key in (first, second):
        b.workers.register_citizen(key, "王五", "360102", "rural")
    case = b.transfers.request(first, "360100", BANK).case
    due, estimated = working_days_later(TODAY, 15)
    assert (case.applied_on, case.due, case.due_estimated, estimated) == (TODAY, due, False, False)
    assert due == dt.date(2026, 12, 14) and not case.overdue

    december = offices.open("B", clock=dt.date(2026, 12, 20))
    late = december.transfers.request(second, "360100", BANK).case
    expected, estimated = working_days_later(dt.date(2026, 12, 20), 15)
    assert estimated and expected.year == 2027
    assert (late.due, late.due_estimated, late.overdue) == (expected, True, False)

    later = offices.open("B", clock=due + dt.timedelta(days=1))
    listed = later.transfers.list()
    assert [(c.number, c.overdue) for c in listed] == [(case.number, True), (late.number, False)]
    assert [c.number for c in later.transfers.list(overdue=True)] == [case.number]
    assert later.transfers.show(case.number).overdue
    assert not b.transfers.show(case.number).overdue and b.transfers.list(overdue=True) == []
    on_due_day = offices.open("B", clock=due)
    assert on_due_day.transfers.list(overdue=True) == []
    with pytest.raises(InvalidInput) as err:
        b.transfers.list(status="lost")
    assert (err.value.key, err.value.params["value"]) == ("transfer.status", "lost")


# -- where the pension is paid, through the database --------------------------------------------

def test_tonghe_worker_five_years_liaoning_then_beijing(offices: Offices) -> None:
    """The report's worker: rural hukou in Tonghe County (230128), 5 years in Liaoning, then Beijing."""
    shenyang, beijing = offices.open("L"), offices.open("B")
    worker = citizen("230128", dt.date(1982, 4, 16), 9)
    shenyang.workers.register_citizen(worker, "赵铁柱", "230128", "rural")
    declare(shenyang, EMP_SY, worker, "赵铁柱", span("2011-11", "2016-10"), "4000")
    send(shenyang, beijing, offices.folder)
    declare(beijing, EMP_BJ, worker, "赵铁柱", span("2016-12", "2026-10"), "9000")

    place = beijing.transfers.pension_place(worker)  # 9 years 11 months in Beijing
    assert (place.region, place.rule) == ("230128", "place.back_to_hukou")
    assert dict(place.months) == {"210000": 60, "110000": 119}  # by province (人社部规〔2016〕5号)
    assert dict(place.years) == {"210000": Decimal("5.00"), "110000": Decimal("9.91")}

    beijing.contributions.record(worker, uscc(EMP_BJ), "2016-11", "9000")
    place = beijing.transfers.pension_place(worker, on=TODAY)  # 10 years
    assert (place.region, place.rule) == ("110105", "place.current_10_years")
    assert dict(place.months) == {"210000": 60, "110000": 120}
    beijing.contributions.record(worker, uscc(EMP_BJ), "2026-11", "9000")
    place = beijing.transfers.pension_place(worker, on=TODAY)  # 10 years and a month
    assert (place.region, place.rule) == ("110105", "place.current_10_years")
    assert dict(place.years) == {"210000": Decimal("5.00"), "110000": Decimal("10.08")}  # 121 / 12 = 10.083..
    # asked at the old office, which knows only its own five years and sees him in Beijing
    assert shenyang.transfers.pension_place(worker).rule == "place.back_to_hukou"
    assert shenyang.transfers.plan(worker, "110105").place_rule == "place.back_to_hukou"


def test_place_is_the_hukou_place_when_the_relationship_is_there(offices: Offices) -> None:
    b = offices.open("B")
    worker = citizen("110108", dt.date(1990, 2, 2), 11)
    b.workers.register_citizen(worker, "钱多", "110108", "urban")
    declare(b, EMP_BJ, worker, "钱多", span("2026-01", "2026-06"), "9000")
    place = b.transfers.pension_place(worker)
    assert (place.region, place.rule) == ("110105", "place.hukou")


# -- the plan --------------------------------------------------------------------------------------

def test_plan_amounts_month_by_month_equal_the_settled_table(offices: Offices) -> None:
    a = offices.open("A")
    a.workers.register_citizen(WANG, "王五", "360102", "rural")
    # bases: 3600.00 (the floor, 60% of 6000), 6000.05, 6000.07, 18000.00 (the ceiling, 300%)
    wages = {"2025-11": "2000", "2025-12": "6000.05", "2026-01": "6000.07", "2026-02": "25000"}
    for month, wage in wages.items():
        a.contributions.record(WANG, uscc(EMP_NC), month, wage)
    bases = {"2025-11": Decimal("3600.00"), "2025-12": Decimal("6000.05"), "2026-01": Decimal("6000.07"),
             "2026-02": Decimal("18000.00")}
    account = {m: half_up(b * Decimal("0.08")) for m, b in bases.items()}
    assert account == {"2025-11": Decimal("288.00"), "2025-12": Decimal("480.00"),
                       "2026-01": Decimal("480.01"), "2026-02": Decimal("1440.00")}
    # the pooling share: 12% of the year's bases, rounded half up once per year
    pooling = half_up((bases["2025-11"] + bases["2025-12"]) * Decimal("0.12")) + half_up(
        (bases["2026-01"] + bases["2026-02"]) * Decimal("0.12"))
    assert pooling == Decimal("1152.01") + Decimal("2880.01")
    # no interest: the 2025 money earns none in 2025, and 2026 is the year of the transfer
    expected_account = sum(account.values(), Decimal(0))

    plan = a.transfers.plan(WANG, "110105")
    assert (plan.individual_account, plan.pooling_fund, plan.total) == (
        expected_account, pooling, expected_account + pooling)
    assert (plan.months_counted, plan.from_region, plan.to_region) == (4, "360100", "110105")
    assert (plan.place_region, plan.place_rule) == ("360102", "place.back_to_hukou")
    assert not plan.temporary_account

    before = state(a)
    a.transfers.plan(WANG, "310115", on="2026-11-30")
    assert state(a) == before  # a plan writes nothing

    a.transfers.enter_letter("BJ01-ZY2026000077", WANG, "110105", "BJ01", "2026-11-20", BANK)
    table = a.transfers.settle("BJ01-ZY2026000077")
    assert (table.case.account, table.case.pooling, table.case.total) == (
        plan.individual_account, plan.pooling_fund, plan.total)
    money, rows = typed_from(table.pdf or b"")
    assert money["this_year_principal"] == f"{account['2026-01'] + account['2026-02']:.2f}"
    assert money["to_last_year_end"] == f"{account['2025-11'] + account['2025-12']:.2f}"
    assert [(r["year"], r["months"], r["base"]) for r in rows] == [
        ("2025", "2", "9600.05"), ("2026", "2", "24000.07")]
    assert "实际缴费月数： 4" in pdf_text(table.pdf or b"")

    other = citizen("360102", dt.date(1991, 7, 7), 13)
    a.workers.register_citizen(other, "孙七", "360102", "urban")
    a.transfers.enter_letter("BJ01-ZY2026000078", other, "110105", "BJ01", TODAY, BANK)
    refused(a, RefusedByRule, "transfer.nothing_here", a.transfers.settle, "BJ01-ZY2026000078")


def test_settle_needs_every_past_years_crediting_rate(sqlite_template: Path, tmp_path: Path) -> None:
    """A past year without a crediting rate would move the account short of that year's interest:
    refused, naming the year; a supervisor may settle anyway, and the table says so."""
    a = make_office(sqlite_template, tmp_path, *OFFICES["A"])  # 2025's rate not entered here
    try:
        a.workers.register_citizen(WANG, "王五", "360102", "rural")
        declare(a, EMP_NC, WANG, "王五", span("2024-01", "2024-12"), "6000")
        plan = a.transfers.plan(WANG, "110105")
        assert plan.years_without_interest == (2025,)
        number = "BJ01-ZY2026000091"
        a.transfers.enter_letter(number, WANG, "110105", "BJ01", TODAY, BANK)
        err = refused(a, RefusedByRule, "transfer.interest_unknown", a.transfers.settle, number)
        assert "2025 年的记账利率尚未录入" in err.message("zh")
        assert "shebao interest set --year 2025" in err.message("en")

        a.users.add("admin1", "admin", "Admin-pass-2026", must_change=False)
        a.sign_in("admin1", "Admin-pass-2026")
        a.users.add("clerk1", "clerk", "Clerk-pass-2026", must_change=False)
        a.users.add("chief1", "supervisor", "Chief-pass-2026", must_change=False)
        a.sign_in("clerk1", "Clerk-pass-2026")
        with pytest.raises(NotAllowed) as err:
            a.transfers.settle(number, without_interest=True)
        assert (err.value.key, err.value.params["needed"]) == ("role.refused", "审核主管")  # settling without interest
        a.sign_in("chief1", "Chief-pass-2026")
        table = a.transfers.settle(number, without_interest=True)
        credited = Decimal("5760.00")  # 8% of 12 x 6000.00 in 2024; no interest in 2025
        assert table.case.account == credited and table.case.status == "settled"
        text = pdf_text(table.pdf or b"")
        assert "注：2025年记账利率未录入，该年个人账户未计利息（chief1确认结算）。" in text
        assert "2025 0.00 0 — — — 0.00 0.00 5760.00" in text

        # With the rate entered, the next person's transfer earns 2025's interest and carries no note.
        a.sign_in("admin1", "Admin-pass-2026")
        a.reference.set_interest(2025, RATE_2025)
        a.sign_in("clerk1", "Clerk-pass-2026")
        assert a.transfers.plan(WANG, "110105").years_without_interest == ()
    finally:
        a.close()


def _report_by_hand(cases: list[TransferCase], rural: dict[int, bool], here: str, year: int) -> list[tuple[Any, ...]]:
    """The yearly report computed case by case (what the grouped SQL must give)."""
    cells: dict[tuple[str, int], list[Any]] = {}
    for c in cases:
        moves = []
        if c.to_region[:4] == here and c.status == "received" and c.received_on and c.received_on.year == year:
            moves.append(("in", c.received_on.month))
        if c.from_region[:4] == here and c.status != "requested" and c.settled_on and c.settled_on.year == year:
            moves.append(("out", c.settled_on.month))
        for direction, month in moves:
            for key in ((direction, month), (direction, 0)):
                cell = cells.setdefault(key, [0, 0, Decimal(0), Decimal(0), Decimal(0)])
                cell[0] += 1
                cell[1] += rural[c.worker_id]
                cell[2] += c.account or 0
                cell[3] += c.pooling or 0
                cell[4] += c.total or 0
    return [(d, m, *cells[(d, m)]) for d in ("in", "out") for m in range(13) if (d, m) in cells]


def test_yearly_report_equals_the_cases_counted_one_by_one(offices: Offices) -> None:
    """Many cases in every state, route and month: the grouped report equals counting them one by one."""
    a = offices.open("A")
    people = {a.workers.register_citizen(citizen("360102", dt.date(1980 + i, 1 + i, 1 + i), i), f"工人{i}",
                                         "360102", "rural" if i % 3 else "urban").key: i % 3 != 0
              for i in range(1, 7)}
    rng = random.Random(20261123)
    regions = ["360100", "360102", "110105", "440106"]  # Nanchang (here, two districts), Beijing, Guangzhou
    cases: list[TransferCase] = []
    with a.write() as s:
        ids = {w.id_number: w.id for w in s.scalars(select(Worker))}
        for i in range(160):
            src, dst = rng.sample(regions, 2)
            status = rng.choice(["requested", "settled", "received"])
            settled = None if status == "requested" else dt.date(rng.choice([2025, 2026]), rng.randrange(1, 13), 1)
            received = dt.date(2026, rng.randrange(1, 13), rng.randrange(1, 28)) if status == "received" else None
            money = [Decimal(rng.randrange(0, 10**7)).scaleb(-2) for _ in range(2)]
            if rng.random() < 0.1:
                money = [None, None]  # a case with no amounts recorded
            case = TransferCase(
                number=f"T{i:04d}", worker_id=ids[rng.choice(list(people))], from_region=src, to_region=dst,
                to_office="X", channel="paper", status=status, temporary=False, applied_on=dt.date(2025, 1, 1),
                letter_number="", letter_json="{}", settled_on=settled, received_on=received,
                account=money[0], pooling=money[1],
                total=None if money[0] is None else money[0] + money[1], due_estimated=False,
                created_at=dt.datetime(2025, 1, 1))
            s.add(case)
            cases.append(case)
        s.flush()
        rural = {ids[k]: v for k, v in people.items()}
        expected = _report_by_hand(cases, rural, "3601", 2026)
    got = [(x.direction, x.month, x.people, x.rural, x.account, x.pooling, x.total)
           for x in a.transfers.report(2026).lines]
    assert got == expected
    assert {d for d, *_ in got} == {"in", "out"} and len(got) > 12


def test_pooling_part_from_1998_01_the_month_before_at_and_after(offices: Offices) -> None:
    """The 12% pooling part counts paid months from 1998-01 on; the months before are the pre-1998
    record (an opening entry up to 1997-12 at most) and move no pooling money."""
    sy = offices.open("L")
    worker = citizen("230128", dt.date(1960, 4, 16), 15)
    sy.workers.register_citizen(worker, "周一九", "230128", "rural")
    # the pre-1998 record may run to 1997-12, not into 1998-01
    refused(sy, InvalidInput, "record.pre1998_after", sy.records.add_opening, worker, "pre1998", "210100",
            "1997-01", "1998-01", "沈阳市个人账户对账单", base="500", balance="1000.00")
    sy.records.add_opening(worker, "pre1998", "210100", "1997-01", "1997-12", "沈阳市个人账户对账单",
                           base="500", balance="1000.00")
    # 1997-12 (the month before): in the opening entry, no pooling money
    assert sy.transfers.plan(worker, "110105").pooling_fund == Decimal("0.00")
    # 1998-01 (the month): base 5000.00 (between the floor 3600.00 and the ceiling 18000.00) x 12% = 600.00
    assert sy.contributions.record(worker, uscc(EMP_SY), "1998-01", "5000").base == Decimal("5000.00")
    assert sy.transfers.plan(worker, "110105").pooling_fund == Decimal("600.00")
    # 1998-02 (the month after): 5000.00 + 5000.00 = 10000.00 x 12% = 1200.00
    sy.contributions.record(worker, uscc(EMP_SY), "1998-02", "5000")
    plan = sy.transfers.plan(worker, "110105")
    assert (plan.pooling_fund, plan.months_counted) == (Decimal("1200.00"), 2)
