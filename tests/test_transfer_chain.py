"""One worker's whole life of moves: four offices, paper and sync mixed, and the record by province.

The chain: Shenyang (deemed years in Dalian, months before 1998 and 5 years paid) -> Beijing ->
Hangzhou -> Nanchang, the hukou province. It runs twice with the routes swapped (paper, sync,
paper / sync, paper, sync); every amount is checked against a roll computed here month by month
from what the person paid and the crediting rate of whichever office held the record that year.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from stdnum.cn import ric
from sync_support import make_office, send, trust_all, uscc

from desktop.core.errors import InvalidInput, RefusedByRule
from desktop.core.ledger import Ledger
from desktop.core.month import Month
from desktop.core.services.declaration import DeclarationRow

CENT = Decimal("0.01")
EMP = {"SY": "91210100MA0P5K2X4", "BJ": "91110105MA01ABCD1", "HZ": "91330100MA2H3K4L5", "NC": "91360100MA35F7Q10",
       "SZ": "91440300MA5F6G7H8", "GZ": "91440100MA5J6K7L8", "GA": "91360700MA39P8Q7R"}
OFFICES = {"SY": ("SY01", "沈阳市社会保险事业服务中心", "210100"), "BJ": ("BJ01", "北京市朝阳区社保中心", "110105"),
           "HZ": ("HZ01", "杭州市社会保险管理服务中心", "330100"), "NC": ("NC01", "南昌市社保局", "360100"),
           "SZ": ("SZ01", "深圳市社会保险基金管理局", "440300"), "GZ": ("GZ01", "广州市社会保险基金管理中心", "440100"),
           "GA": ("GA01", "赣州市社会保险服务中心", "360700")}
BANK = {"bank_account_name": "基金收入户", "bank": "中国工商银行", "bank_account": "1202 0000 0000 0001",
        "address": "—", "phone": "—"}
# Crediting rates each office entered for the years before the national rates (2016) and for
# 2025 (figures for the test). Beijing's differ from Shenyang's on purpose: years received from
# Shenyang keep Shenyang's money and are never recomputed at Beijing's rates.
OWN_RATES = {"SY": Decimal("0.0300"), "BJ": Decimal("0.0400"), "HZ": Decimal("0.0200"), "NC": Decimal("0.0350"),
             "SZ": Decimal("0.0300"), "GZ": Decimal("0.0300"), "GA": Decimal("0.0300")}
NATIONAL = {2016: "0.0831", 2017: "0.0712", 2018: "0.0829", 2019: "0.0761", 2020: "0.0604", 2021: "0.0669",
            2022: "0.0612", 2023: "0.0397", 2024: "0.0262"}  # resources/interest.csv (人社厅发 notices)
RATE_2025 = Decimal("0.0250")


def citizen(region: str, born: dt.date, seq: int = 1) -> str:
    body = f"{region}{born:%Y%m%d}{seq * 2 + 1:03d}"
    return body + ric.calc_check_digit(body + "0")


LIU = citizen("360102", dt.date(1975, 6, 1))  # rural hukou in Nanchang, a man: 51 in 2026
# The person's life, by hand: where the record sat each year, and every month paid.
DALIAN_DEEMED = ("210200", "1993-01", "1995-12")  # worked at a state enterprise in Dalian: 36 months
PRE_1998 = ("210100", "1996-01", "1997-12", "800.00", "1234.56")  # 24 months paid, balance at 1997-12-31
STINTS = [("SY", "2008-03", "2013-02", "4000"), ("BJ", "2013-03", "2018-01", "9000"),
          ("HZ", "2018-02", "2023-02", "7000"), ("NC", "2023-03", "2026-10", "6000")]
MOVES = [("SY", "BJ", dt.date(2013, 3, 15)), ("BJ", "HZ", dt.date(2018, 2, 12)), ("HZ", "NC", dt.date(2023, 3, 1))]
END = dt.date(2026, 11, 23)


def span(first: str, last: str) -> list[Month]:
    out, m = [], Month.parse(first)
    while m <= Month.parse(last):
        out.append(m)
        m = m.add(1)
    return out


def holder(year: int) -> str:
    """The office holding the record at the end of a year (the year's interest is computed there)."""
    place = "SY"
    for _src, dst, day in MOVES:
        if day.year <= year:
            place = dst
    return place


def rate(year: int) -> Decimal:
    if year == 2025:
        return RATE_2025
    if year in NATIONAL:
        return Decimal(NATIONAL[year])
    return OWN_RATES[holder(year)]


def by_hand(through: dt.date) -> tuple[Decimal, Decimal, dict[int, Decimal]]:
    """The account, the pooling part and the year-end balances if the record moved on `through`.

    Each month puts 8% of its base in the account; interest for a year is the balance at the end of
    the year before times that year's rate, half up to the fen; the year of the move earns none yet.
    The pooling part is 12% of every base since 1998.
    """
    credited: dict[int, Decimal] = {}
    bases = Decimal(0)
    for _office, first, last, base in STINTS:
        for m in span(first, last):
            if m >= Month.of(through):  # paid before the move (or before the day asked)
                continue
            credited[m.year] = credited.get(m.year, Decimal(0)) + Decimal(base) * Decimal("0.08")
            bases += Decimal(base)
    balance = Decimal(PRE_1998[4])
    closing: dict[int, Decimal] = {}
    for year in range(1998, through.year + 1):
        interest = Decimal(0) if year == through.year else \
            (balance * rate(year)).quantize(CENT, rounding=ROUND_HALF_UP)
        balance += interest + credited.get(year, Decimal(0))
        closing[year] = balance
    return balance, bases * Decimal("0.12"), closing


# -- offices ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def office_files(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("chain-offices")
    ledgers = {k: make_office(sqlite_template, folder, *v, EMP[k], f"{v[1]}测试单位") for k, v in OFFICES.items()}
    trust_all(*ledgers.values())
    for k, led in ledgers.items():
        for year in range(1998, 2016):
            led.reference.set_interest(year, OWN_RATES[k])
        led.reference.set_interest(2025, RATE_2025)
        led.close()
    return {k: folder / f"{v[0]}.db" for k, v in OFFICES.items()}


class Offices:
    """Copies of the offices; each is opened with the clock of the step at hand."""

    def __init__(self, files: dict[str, Path], folder: Path) -> None:
        self.files, self.folder, self.open_now = files, folder, {}

    def at(self, which: str, day: dt.date) -> Ledger:
        old = self.open_now.pop(which, None)
        if old is not None:
            old.close()
        path = self.folder / f"{which}.db"
        if not path.exists():
            shutil.copy(self.files[which], path)
        led = Ledger.open(str(path), clock=lambda: day)
        self.open_now[which] = led
        return led

    def close(self) -> None:
        for led in self.open_now.values():
            led.close()


@pytest.fixture
def offices(office_files: dict[str, Path], tmp_path: Path) -> Iterator[Offices]:
    o = Offices(office_files, tmp_path)
    yield o
    o.close()


def declare(led: Ledger, office: str, worker: str, months: list[Month], wage: str) -> None:
    name = led.workers.get(worker).name
    rows = [DeclarationRow(i + 2, uscc(EMP[office]), worker, name, str(m), wage) for i, m in enumerate(months)]
    assert led.contributions.import_rows(rows, "decl.csv", f"{worker}-{office}-{months[0]}").recorded == len(rows)


def pdf_text(pdf: bytes) -> str:
    """The text of a printed document, amounts as a clerk types them (without thousands separators)."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)


_ROW = re.compile(r"^(\d{4}) (\d+\.\d\d) (\d+) (\S+) (\S+) (\S+) (\d+\.\d\d) (\d+\.\d\d) (\d+\.\d\d)$", re.MULTILINE)
_PERIOD = re.compile(r"^(实际缴费|视同缴费|1998年前缴费) (\d{6}) \S+ (\d{4}-\d\d) (\d{4}-\d\d) (\d+)", re.MULTILINE)
_KINDS = {"实际缴费": "paid", "视同缴费": "deemed", "1998年前缴费": "pre1998"}
_LINES = (("pre1998", "1998年前个人缴费累计本息"), ("to_last_year_end", "1998年至上年末个人账户累计储存额"),
          ("this_year_principal", "当年个人账户记账本金"), ("account", "个人账户转移额"),
          ("pooling", "统筹基金转移额"), ("total", "转移总额"))


def typed_from(pdf: bytes) -> dict[str, Any]:
    """What a clerk types in from a printed information table: money lines, years and periods."""
    page = pdf_text(pdf)
    money = {}
    for key, label in _LINES:
        found = re.search(rf"(?<![\u4e00-\u9fff\d]){label} (\d+\.\d\d)", page)
        assert found, label
        money[key] = found.group(1)
    rows = [dict(zip(("year", "base", "months", "employer_rate", "account_rate", "personal_rate",
                      "credited", "interest", "closing"), m.groups(), strict=True)) for m in _ROW.finditer(page)]
    periods = [{"kind": _KINDS[m.group(1)], "region": m.group(2), "first": m.group(3), "last": m.group(4),
                "months": m.group(5)} for m in _PERIOD.finditer(page)]
    return {**money, "rows": rows, "periods": periods}


# -- the chain ------------------------------------------------------------------------------------

@dataclass
class Step:
    """What one move did, as both offices and the paper record it."""

    moved: tuple[Decimal | None, Decimal | None, Decimal | None]
    plan: tuple[Decimal, Decimal, Decimal, str, str, str]
    place_after: tuple[str, str]
    statement_after: tuple[Decimal, tuple[tuple[int, Decimal], ...]]
    regions_after: tuple[tuple[str, int, str, str], ...]


@dataclass
class Chain:
    steps: list[Step] = field(default_factory=list)
    final: dict[str, Any] = field(default_factory=dict)


def move(o: Offices, src: str, dst: str, day: dt.date, route: str) -> Step:
    old, new = o.at(src, day), o.at(dst, day)
    to_region, from_region = OFFICES[dst][2], OFFICES[src][2]
    plan = old.transfers.plan(LIU, to_region)
    assert (plan.kind, plan.funds_move) == ("transfer", True)
    if route == "sync":
        send(old, new, o.folder)
        letter = new.transfers.request(LIU, from_region, letter=BANK)
        send(new, old, o.folder)
        table = old.transfers.settle(letter.case.number)
        send(old, new, o.folder)
        done = new.transfers.receive(letter.case.number, table.case.total)
        send(new, old, o.folder)
    else:
        try:
            new.workers.get(LIU)
        except InvalidInput:
            new.workers.register_citizen(LIU, "刘建国", "360102", "rural")
        letter = new.transfers.request(LIU, from_region, letter=BANK, channel="paper")
        old.transfers.enter_letter(letter.case.number, LIU, to_region, OFFICES[dst][0], day, BANK)
        table = old.transfers.settle(letter.case.number)
        typed = typed_from(table.pdf or b"")
        new.transfers.enter_table(letter.case.number, typed["pre1998"], typed["to_last_year_end"],
                                  typed["this_year_principal"], typed["account"], typed["pooling"], typed["total"],
                                  typed["rows"], table_number=table.document_number or "", periods=typed["periods"])
        done = new.transfers.receive(letter.case.number, typed["total"])
    assert done.status == "received"
    place = new.transfers.pension_place(LIU)
    st = new.accounts.statement(LIU)
    [pension] = [r for r in st.schemes if r.scheme == "pension"]
    # the old office's statement shows the same record, now where the person is
    st_old = old.accounts.statement(LIU)
    assert st_old.individual_account_balance == st.individual_account_balance
    return Step((table.case.account, table.case.pooling, table.case.total),
                (plan.individual_account, plan.pooling_fund, plan.total, plan.place_region, plan.place_rule, plan.kind),
                (place.region, place.rule),
                (st.individual_account_balance, tuple((y.year, y.closing) for y in st.account_years)),
                tuple((p.region, p.months_paid, p.first_month, p.last_month) for p in pension.regions))


def run_chain(o: Offices, routes: tuple[str, str, str]) -> Chain:
    sy = o.at("SY", MOVES[0][2])
    sy.workers.register_citizen(LIU, "刘建国", "360102", "rural")
    sy.records.add_opening(LIU, "deemed", DALIAN_DEEMED[0], DALIAN_DEEMED[1], DALIAN_DEEMED[2],
                           "大连市劳动局 1996年 职工档案 视同缴费年限认定表")
    sy.records.add_opening(LIU, "pre1998", PRE_1998[0], PRE_1998[1], PRE_1998[2], "沈阳市个人账户对账单（1997年）",
                           base=PRE_1998[3], balance=PRE_1998[4])
    chain = Chain()
    for (office, first, last, wage), (src, dst, day), route in zip(STINTS, MOVES, routes, strict=False):
        declare(o.at(office, day), office, LIU, span(first, last), wage)  # the months before leaving
        chain.steps.append(move(o, src, dst, day, route))
    nc = o.at("NC", END)
    declare(nc, "NC", LIU, span(*STINTS[3][1:3]), STINTS[3][3])
    st = nc.accounts.statement(LIU)
    view = nc.records.view(LIU)
    place = nc.transfers.pension_place(LIU)
    plan = nc.transfers.plan(LIU, "110105")  # were he to leave again: everything moves once more
    printed = pdf_text(nc.documents.issue("statement", LIU).pdf)
    chain.final = {"balance": st.individual_account_balance,
                   "years": tuple((y.year, y.closing) for y in st.account_years),
                   "places": tuple((x.place, x.months, tuple(sorted(x.by_kind.items()))) for x in view.places),
                   "periods": tuple((p.kind, p.region, str(p.first), str(p.last), p.months) for p in view.periods),
                   "place": (place.region, place.rule), "plan": (plan.individual_account, plan.pooling_fund),
                   "months_counted": plan.months_counted,
                   "printed": [line for line in printed.splitlines() if line.startswith("养老保险")]}
    return chain


def test_four_offices_on_paper_and_by_sync_end_with_the_same_money(offices: Offices, tmp_path: Path,
                                                                   office_files: dict[str, Path]) -> None:
    first = run_chain(offices, ("paper", "sync", "paper"))
    offices.close()
    again = Offices(office_files, tmp_path / "swapped")
    (tmp_path / "swapped").mkdir()
    try:
        second = run_chain(again, ("sync", "paper", "sync"))
    finally:
        again.close()
    assert first == second  # the routes do not change a fen

    # each settle moved the whole record as it stood, to the fen
    for step, (_src, _dst, day) in zip(first.steps, MOVES, strict=True):
        account, pooling, _closing = by_hand(day)
        assert step.moved == (account, pooling, account + pooling), day
        assert step.plan[:3] == step.moved
        assert step.statement_after[0] == account
    # the pension place at each step: Dalian's deemed years, the years before 1998 and five
    # years in Shenyang make ten in Liaoning; back in the hukou province that place pays
    assert [s.plan[3:5] for s in first.steps] == [("210100", "place.previous_10_years")] * 2 + [
        ("360100", "place.hukou")]  # the last plan: moving into the hukou province
    assert [s.place_after for s in first.steps] == [("210100", "place.previous_10_years")] * 2 + [
        ("360100", "place.hukou")]

    # the last office: every year's balance as the holder of that year computed it
    balance, pooling, closing = by_hand(END)
    assert first.final["balance"] == balance
    assert dict(first.final["years"]) == {y: closing[y] for y in range(1998, END.year + 1)}
    assert first.final["plan"] == (balance, pooling)
    assert first.final["place"] == ("360100", "place.hukou")
    # no month counted twice or lost: by province, by kind
    assert first.final["places"] == (
        ("210000", 120, (("deemed", 36), ("paid", 60), ("pre1998", 24))),
        ("110000", 59, (("paid", 59),)), ("330000", 61, (("paid", 61),)), ("360000", 44, (("paid", 44),)))
    assert first.final["months_counted"] == 60 + 59 + 61 + 44
    assert first.final["periods"] == (
        ("deemed", "210200", "1993-01", "1995-12", 36), ("pre1998", "210100", "1996-01", "1997-12", 24),
        ("paid", "210100", "2008-03", "2013-02", 60), ("paid", "110105", "2013-03", "2018-01", 59),
        ("paid", "330100", "2018-02", "2023-02", 61), ("paid", "360100", "2023-03", "2026-10", 44))
    # the printed statement (参保缴费证明) shows the deemed years and the months before 1998 too
    assert [" ".join(line.split()[:4]) for line in first.final["printed"] if "（" in line.split()[0]] == [
        "养老保险（视同缴费年限） 210200 辽宁省大连市 1993-01", "养老保险（1998年前缴费） 210100 辽宁省沈阳市 1996-01"]
    # the statement at each step lists the paid periods so far, oldest first
    assert first.steps[-1].regions_after == (("210100", 60, "2008-03", "2013-02"), ("110105", 59, "2013-03", "2018-01"),
                                             ("330100", 61, "2018-02", "2023-02"))


# -- pooling units: inside a province, before and after its provincial-pooling date --------------

WU = citizen("360102", dt.date(1990, 8, 8), 3)


def test_move_inside_a_province_after_its_pooling_date_is_a_registration(offices: Offices) -> None:
    day = dt.date(2026, 6, 1)
    nc, ga = offices.at("NC", day), offices.at("GA", day)
    nc.workers.register_citizen(WU, "吴小明", "360102", "rural")
    declare(nc, "NC", WU, span("2020-01", "2026-05"), "6000")
    plan = nc.transfers.plan(WU, "360702")
    assert (plan.kind, plan.funds_move) == ("registration", False)
    send(nc, ga, offices.folder)
    step = ga.transfers.request(WU, "360100")  # by sync: no letter, nothing to wait for
    assert (step.document_number, step.pdf) == (None, None)
    assert (step.case.kind, step.case.status) == ("registration", "received")
    declare(ga, "GA", WU, span("2026-06", "2026-06"), "5000")
    # the record continues at Ganzhou: Nanchang's months and Ganzhou's, one account, no funds moved
    view = ga.records.view(WU)
    assert [(p.region, p.first, p.last) for p in view.periods] == [
        ("360100", Month(2020, 1), Month(2026, 5)), ("360700", Month(2026, 6), Month(2026, 6))]
    assert [(x.place, x.months) for x in view.places] == [("360000", 78)]
    assert ga.transfers.report(2026).lines == ()
    send(ga, nc, offices.folder)
    assert nc.transfers.show(step.case.number).status == "received"
    assert nc.transfers.report(2026).lines == ()


def test_the_same_move_before_the_pooling_date_is_a_fund_transfer(offices: Offices) -> None:
    day = dt.date(2026, 6, 1)
    for which in ("NC", "GA"):
        offices.at(which, day).reference.set_provincial_pooling("360000", "2027-01-01")
    nc, ga = offices.at("NC", day), offices.at("GA", day)
    nc.workers.register_citizen(WU, "吴小明", "360102", "rural")
    declare(nc, "NC", WU, span("2025-01", "2026-05"), "6000")
    plan = nc.transfers.plan(WU, "360702")
    assert (plan.kind, plan.funds_move) == ("transfer", True)
    assert plan.pooling_fund == Decimal(6000) * 17 * Decimal("0.12")
    send(nc, ga, offices.folder)
    letter = ga.transfers.request(WU, "360100", letter=BANK)
    assert letter.case.kind == "transfer" and letter.pdf and letter.case.status == "requested"
    send(ga, nc, offices.folder)
    table = nc.transfers.settle(letter.case.number)
    assert table.case.total == plan.total
    send(nc, ga, offices.folder)
    assert ga.transfers.receive(letter.case.number, plan.total).status == "received"
    assert [x.direction for x in ga.transfers.report(2026).lines] == ["in", "in"]


def test_a_registration_on_paper_continues_with_the_certificate(offices: Offices) -> None:
    day = dt.date(2026, 6, 1)
    nc, ga = offices.at("NC", day), offices.at("GA", day)
    for led in (nc, ga):
        led.workers.register_citizen(WU, "吴小明", "360102", "rural")
    declare(nc, "NC", WU, span("2024-01", "2026-05"), "6000")
    with pytest.raises(RefusedByRule) as info:
        nc.transfers.leave(WU, "110105")
    assert info.value.key == "transfer.leave_not_inside"
    cert = nc.transfers.leave(WU, "360702")
    assert (cert.case.kind, cert.case.status) == ("registration", "settled")
    text = pdf_text(cert.pdf or b"")
    assert "基金不转移" in text and "360100" in text
    case = ga.transfers.request(WU, "360100", channel="paper")
    assert case.pdf is None and case.case.status == "requested"
    typed = typed_from(cert.pdf or b"")
    done = ga.transfers.enter_table(case.case.number, typed["pre1998"], typed["to_last_year_end"],
                                    typed["this_year_principal"], typed["account"], typed["pooling"],
                                    typed["total"], typed["rows"], periods=typed["periods"])
    assert (done.status, done.received_amount) == ("received", Decimal(0))
    assert ga.records.view(WU).money.account_fen == nc.records.view(WU).money.account_fen > 0
    assert ga.transfers.report(2026).lines == () and nc.transfers.report(2026).lines == ()


def test_shenzhen_six_and_guangzhou_five_years_are_eleven_in_guangdong(offices: Offices) -> None:
    day = dt.date(2026, 11, 2)
    sz, gz = offices.at("SZ", day), offices.at("GZ", day)
    sz.workers.register_citizen(WU, "吴小明", "360102", "rural")
    declare(sz, "SZ", WU, span("2015-01", "2020-12"), "6000")  # 72 months
    send(sz, gz, offices.folder)
    moved = gz.transfers.request(WU, "440300")
    assert moved.case.kind == "registration"
    declare(gz, "GZ", WU, span("2021-01", "2025-12"), "6000")  # 60 months
    place = gz.transfers.pension_place(WU)
    assert dict(place.months) == {"440000": 132}
    assert (place.region, place.rule) == ("440100", "place.current_10_years")


# -- opening entries, pre-1998 money and lump-sum back payments ----------------------------------

ZHAO = citizen("360102", dt.date(1982, 3, 3), 5)


def test_deemed_years_decide_the_pension_place(offices: Offices) -> None:
    day = dt.date(2026, 3, 2)
    bj = offices.at("BJ", day)
    bj.workers.register_citizen(ZHAO, "赵大成", "360102", "urban")
    declare(bj, "BJ", ZHAO, span("2019-01", "2026-01"), "9000")  # 85 months in Beijing
    plan = bj.transfers.plan(ZHAO, "330100")
    assert (plan.place_region, plan.place_rule) == ("360102", "place.back_to_hukou")
    bj.records.add_opening(ZHAO, "deemed", "110108", "1993-01", "1995-12", "北京市海淀区 档案 视同缴费认定")
    plan = bj.transfers.plan(ZHAO, "330100")
    assert (plan.place_region, plan.place_rule) == ("110105", "place.previous_10_years")
    assert dict(plan.place_years)["110000"] == Decimal("10.08")
    with pytest.raises(RefusedByRule) as info:  # the same months cannot be entered twice
        bj.records.add_opening(ZHAO, "deemed", "110108", "1995-06", "1996-06", "重复")
    assert info.value.key == "record.overlap"
    with pytest.raises(RefusedByRule) as info:  # nor deemed years where months were paid
        bj.records.add_opening(ZHAO, "deemed", "330100", "2018-12", "2019-02", "重复")
    assert info.value.key == "record.overlap"
    with pytest.raises(InvalidInput) as bad:
        bj.records.add_opening(ZHAO, "pre1998", "110108", "1996-01", "1998-06", "档案", base="500")
    assert (bad.value.key, bad.value.field) == ("record.pre1998_after", "to")


def test_a_pre_1998_balance_moves_with_its_interest(offices: Offices) -> None:
    day = dt.date(2026, 3, 2)
    bj, hz = offices.at("BJ", day), offices.at("HZ", day)
    bj.workers.register_citizen(ZHAO, "赵大成", "360102", "urban")
    declare(bj, "BJ", ZHAO, span("2025-01", "2025-12"), "9000")
    before = bj.transfers.plan(ZHAO, "330100")
    entry = bj.records.add_opening(ZHAO, "pre1998", "110105", "1995-01", "1997-12", "北京市个人账户对账单",
                                   base="700", balance="2000.00")
    after = bj.transfers.plan(ZHAO, "330100")
    grown = Decimal("2000.00")
    for year in range(1998, 2026):  # Beijing's own rate to 2015, then the national ones
        r = RATE_2025 if year == 2025 else Decimal(NATIONAL[year]) if year in NATIONAL else OWN_RATES["BJ"]
        grown += (grown * r).quantize(CENT, rounding=ROUND_HALF_UP)
    # the earlier balance grew at the rates of each year, and 2025's money earned nothing in 2025
    assert after.individual_account - before.individual_account == grown
    assert after.pooling_fund == before.pooling_fund  # no pooling part for months before 1998
    send(bj, hz, offices.folder)
    letter = hz.transfers.request(ZHAO, "110105", letter=BANK)
    send(hz, bj, offices.folder)
    table = bj.transfers.settle(letter.case.number)
    assert table.case.account == after.individual_account
    with pytest.raises(RefusedByRule) as moved:  # it left with the table: corrected where it is now
        bj.records.remove_opening(ZHAO, entry.id, "录入错误")
    assert moved.value.key == "record.entry_moved"
    assert "1998年前个人缴费累计本息 2000.00" in pdf_text(table.pdf or b"")
    send(bj, hz, offices.folder)
    hz.transfers.receive(letter.case.number, table.case.total)
    view = hz.records.view(ZHAO)
    assert view.money.pre1998_fen == 200000
    assert [(p.kind, p.months) for p in view.periods] == [("pre1998", 36), ("paid", 12)]


def test_a_lump_sum_of_three_years_moves_only_with_its_document(offices: Offices) -> None:
    day = dt.date(2026, 3, 2)
    bj = offices.at("BJ", day)
    bj.workers.register_citizen(ZHAO, "赵大成", "360102", "urban")
    declare(bj, "BJ", ZHAO, span("2025-01", "2026-02"), "9000")
    bj.contributions.back_pay(ZHAO, uscc(EMP["BJ"]), "2020-01", "2022-12", "9000")  # 36 months at once
    plan = bj.transfers.plan(ZHAO, "330100")
    [held] = plan.held_back
    assert (len(held.months), held.paid_on) == (36, day)
    assert held.notify_by == dt.date(2026, 3, 16)  # 10 working days
    assert plan.months_counted == 14
    assert plan.pooling_fund == Decimal(9000) * 14 * Decimal("0.12")
    with pytest.raises(RefusedByRule) as info:  # a document made after the payment does not count
        bj.records.add_back_payment_document(ZHAO, day, "court", "北京市朝阳区人民法院", "(2026)京0105民初1号",
                                             "2026-03-05")
    assert info.value.key == "record.document_after"
    bj.records.add_back_payment_document(ZHAO, day, "arbitration", "北京市朝阳区劳动人事争议仲裁委员会",
                                         "京朝劳人仲字〔2025〕第88号", "2025-12-20")
    plan = bj.transfers.plan(ZHAO, "330100")
    assert plan.held_back == () and plan.months_counted == 50
    assert plan.pooling_fund == Decimal(9000) * 50 * Decimal("0.12")
    hz = offices.at("HZ", day)  # and with its document the lump sum moves
    send(bj, hz, offices.folder)
    letter = hz.transfers.request(ZHAO, "110105", letter=BANK)
    send(hz, bj, offices.folder)
    table = bj.transfers.settle(letter.case.number)
    assert (table.case.account, table.case.pooling) == (plan.individual_account, plan.pooling_fund)
    assert "不予转移" not in pdf_text(table.pdf or b"")
    send(bj, hz, offices.folder)
    hz.transfers.receive(letter.case.number, table.case.total)
    assert [(p.first, p.last) for p in hz.records.view(ZHAO).periods] == [
        (Month(2020, 1), Month(2022, 12)), (Month(2025, 1), Month(2026, 2))]


def test_held_back_months_are_named_on_the_table(offices: Offices) -> None:
    day = dt.date(2026, 3, 2)
    bj, hz = offices.at("BJ", day), offices.at("HZ", day)
    bj.workers.register_citizen(ZHAO, "赵大成", "360102", "urban")
    declare(bj, "BJ", ZHAO, span("2025-01", "2026-02"), "9000")
    bj.contributions.back_pay(ZHAO, uscc(EMP["BJ"]), "2019-01", "2022-12", "9000")
    send(bj, hz, offices.folder)
    letter = hz.transfers.request(ZHAO, "110105", letter=BANK)
    send(hz, bj, offices.folder)
    table = bj.transfers.settle(letter.case.number)
    assert table.case.pooling == Decimal(9000) * 14 * Decimal("0.12")
    text = pdf_text(table.pdf or b"")
    assert "2019-01至2022-12" in text and "不予转移" in text and "2026-03-16" in text
    # the held-back months stay here: a later document lets them follow
    assert [len(h.months) for h in bj.records.view(ZHAO, "110105").held_back] == [48]
