"""The switch between the employees' and the residents' pension at retirement age (人社部发〔2014〕17号):
under 15 employee years the employee account moves to the residents' scheme and the years merge; 15
years or more, the residents' account moves to the employees' scheme and its years do not count;
months in both count once, as employee time, and their residents' personal contribution is refunded."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from conftest import EMPLOYER, TODAY, _office
from pypdf import PdfReader
from sqlalchemy import func, select
from stdnum.cn import ric

from desktop.core.errors import RefusedByRule
from desktop.core.ledger import Ledger
from desktop.core.month import Month
from desktop.core.store.models import Document, SchemeSwitch, Worker

D = Decimal
# the published crediting rates (resources/interest.csv); before 2016 none is entered, 2025 is unknown
RATES = {2016: D("0.0831"), 2017: D("0.0712"), 2018: D("0.0829"), 2019: D("0.0761"), 2020: D("0.0604"),
         2021: D("0.0669"), 2022: D("0.0612"), 2023: D("0.0397"), 2024: D("0.0262")}


@pytest.fixture
def day() -> list[dt.date]:
    """The ledger's today, settable by the test."""
    return [TODAY]


@pytest.fixture
def office(db_path: Path, day: list[dt.date]) -> Iterator[Ledger]:
    led = _office(Ledger.open(db_path, clock=lambda: day[0]))
    yield led
    led.close()


def citizen(ledger: Ledger, body: str, name: str) -> str:
    """A person with a hukou in Nanchang (the office's area); body: the first 17 digits."""
    return ledger.workers.register_citizen(body + ric.calc_check_digit(body + "0"), name, "360102", "rural").key


def pay(ledger: Ledger, key: str, first: str, last: str, wage: str = "6000") -> None:
    m, end = Month.parse(first), Month.parse(last)
    while m <= end:
        ledger.contributions.record(key, EMPLOYER, str(m), wage)
        m = m.add(1)


def rolled(credited: dict[int, D], through: int) -> D:
    """The individual account by hand: interest on last year's closing, half up to the fen."""
    balance = D("0.00")
    for year in range(min(credited), through + 1):
        interest = D("0.00")
        if year < through and year in RATES:
            interest = (balance * RATES[year]).quantize(D("0.01"), rounding=ROUND_HALF_UP)
        balance += interest + credited.get(year, D("0"))
    return balance


def count(ledger: Ledger, model: type) -> int:
    with ledger.read() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_twelve_employee_years_move_to_the_residents_scheme(office: Ledger) -> None:
    man = citizen(office, "36010219640315001", "王建国")  # born 1964-03-15: 60 on 2024-03-15
    pay(office, man, "2005-01", "2014-05")  # 113 months
    pay(office, man, "2016-02", "2018-08")  # 31 months: 144 employee months, 12 years
    office.residents.record(man, "resident_pension", 2014, "700")  # 2014-01..05 are employee months
    office.residents.record(man, "resident_pension", 2015, "500")
    office.residents.record(man, "resident_pension", 2018, "1000")  # 2018-01..08 are employee months
    office.residents.record(man, "resident_pension", 2019, "300")

    p = office.switches.plan(man)
    assert p.allowed and p.refusal == ""
    assert (p.direction, p.rule) == ("to_resident", "switch.to_resident")
    assert (p.retirement_on, p.reached) == (dt.date(2024, 3, 15), True)
    assert p.employee_months == 144 and p.resident_years == 4
    # 2014: 700.00 x 5 / 12 = 291.666... -> 291.67; 2018: 1000.00 x 8 / 12 = 666.666... -> 666.67
    assert [(y.year, y.overlap, y.refund) for y in p.refunds] == [(2014, 5, D("291.67")), (2018, 8, D("666.67"))]
    assert p.overlap_months == 13 and p.refund == D("958.34")
    # 144 employee months + the residents' months that are not employee time: 7 + 12 + 4 + 12
    assert p.counted_months == 144 + 35 == 179
    # the account: 11% of 6000 in 2005 (660.00 a month), 8% from 2006 (480.00), interest from 2016
    credited = {2005: 12 * D("660.00"), **{y: 12 * D("480.00") for y in range(2006, 2014)}, 2014: 5 * D("480.00"),
                2016: 11 * D("480.00"), 2017: 12 * D("480.00"), 2018: 8 * D("480.00")}
    assert rolled(credited, 2026) == D("120010.15")
    assert p.account_moved == D("120010.15")
    assert p.account_moved == D(office.records.view(man).money.account_fen).scaleb(-2)

    done = office.switches.decide(man, "刘敏")
    assert done.notice.startswith("OFF01-XJ2026") and done.plan == p
    shown = office.switches.show(man)
    assert shown is not None
    assert (shown.direction, shown.decided_on, shown.region, shown.counted_months, shown.overlap_months) == \
        ("to_resident", TODAY, "360100", 179, 13)
    assert (shown.account_moved, shown.refund, shown.notice, shown.decided_by) == \
        (D("120010.15"), D("958.34"), done.notice, "刘敏")
    assert shown.refunds == ((2014, 5, D("291.67")), (2018, 8, D("666.67")))

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(done.pdf)).pages)
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)  # amounts without their thousands separators
    assert "城乡养老保险制度衔接告知书" in text and done.notice in text
    assert "958.34" in text and "120010.15" in text and "291.67" in text and "666.67" in text
    assert "不得同时领取" in text
    assert office.documents.verify(done.code).valid
    assert [d.number for d in office.documents.list_for(man)] == [done.notice]


def test_sixteen_employee_years_take_the_residents_account(office: Ledger) -> None:
    woman = citizen(office, "36010219720510002", "陈秀英")  # born 1972-05-10, a worker: 50 on 2022-05-10
    office.records.add_opening(woman, "pre1998", "360100", "1993-01", "1997-12", "档案 赣劳〔1993〕7号", base="500")
    pay(office, woman, "2010-06", "2021-05")  # 132 months: with 60 before 1998, 192 months, 16 years
    refused = office.switches.plan(woman)
    assert (refused.direction, refused.allowed, refused.refusal) == ("to_employee", False, "switch.no_resident_years")
    with pytest.raises(RefusedByRule) as err:
        office.switches.decide(woman)
    assert err.value.key == "switch.no_resident_years" and "192" in err.value.message("zh")

    office.residents.record(woman, "resident_pension", 2021, "1000")  # 2021-01..05 are employee months
    office.residents.record(woman, "resident_pension", 2022, "500")
    office.residents.record(woman, "resident_pension", 2023, "300")
    p = office.switches.plan(woman)
    assert p.allowed and (p.direction, p.rule) == ("to_employee", "switch.to_employee")
    assert p.retirement_on == dt.date(2022, 5, 10) and p.employee_months == 192 and p.resident_years == 3
    # the residents' years do not count; 2021: 1000.00 x 5 / 12 = 416.666... -> 416.67 refunded
    assert p.counted_months == 192
    assert [(y.year, y.overlap, y.refund) for y in p.refunds] == [(2021, 5, D("416.67"))]
    # what moves: personal + subsidy of every year less the refund: 1060 + 560 + 330 - 416.67
    assert p.account_moved == D("1533.33")
    done = office.switches.decide(woman)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(done.pdf)).pages)
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)  # amounts without their thousands separators
    assert "1533.33" in text and "416.67" in text and "不合并计算" in text


def test_refused_before_retirement_and_once_only(office: Ledger, day: list[dt.date]) -> None:
    man = citizen(office, "36010219660820001", "赵磊")  # born 1966-08: 60 and 5 months, 2027-01-20
    pay(office, man, "2010-01", "2011-12")
    office.residents.record(man, "resident_pension", 2015, "100")
    p = office.switches.plan(man)
    assert (p.allowed, p.reached, p.refusal, p.retirement_on) == \
        (False, False, "switch.before_retirement", dt.date(2027, 1, 20))
    before = (count(office, SchemeSwitch), count(office, Document))
    with pytest.raises(RefusedByRule) as err:
        office.switches.decide(man)
    assert err.value.key == "switch.before_retirement" and "2027-01-20" in err.value.message("zh")
    assert (count(office, SchemeSwitch), count(office, Document)) == before == (0, 0)
    assert office.switches.show(man) is None

    day[0] = dt.date(2027, 1, 20)  # the day itself counts
    first = office.switches.decide(man)
    # 24 employee months; 2015's residents' year has none of them: 24 + 12 counted, nothing refunded
    assert (first.plan.direction, first.plan.counted_months, first.plan.refund) == ("to_resident", 36, D("0.00"))
    assert first.notice.startswith("OFF01-XJ2027")
    after = (count(office, SchemeSwitch), count(office, Document))
    with pytest.raises(RefusedByRule) as again:
        office.switches.decide(man)
    assert again.value.key == "switch.done" and first.notice in again.value.message("zh")
    assert (count(office, SchemeSwitch), count(office, Document)) == after == (1, 1)
    assert office.switches.plan(man).refusal == "switch.done"


def test_no_double_pension_and_nothing_to_switch(office: Ledger) -> None:
    man = citizen(office, "36010219620101001", "孙强")
    pay(office, man, "2012-01", "2012-12")
    office.residents.record(man, "resident_pension", 2016, "200")
    with office.write() as s:
        s.scalars(select(Worker).where(Worker.id_number.like("360102196201010%"))).one().pension_since = \
            dt.date(2022, 2, 1)
    with pytest.raises(RefusedByRule) as err:
        office.switches.decide(man)
    assert err.value.key == "switch.drawing_pension" and "2022-02-01" in err.value.message("zh")
    assert count(office, SchemeSwitch) == 0

    only_resident = citizen(office, "36010219630202001", "钱勇")
    office.residents.record(only_resident, "resident_pension", 2017, "200")
    assert office.switches.plan(only_resident).refusal == "switch.no_employee_months"
