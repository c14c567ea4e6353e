"""When a person may retire: the statutory day with the rise from 2025, the flexible range, the
minimum contribution months of the retirement year, and the months the record has."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import EMPLOYER, TODAY
from stdnum.cn import ric

from desktop import cli
from desktop.core import transfer_rules as tr
from desktop.core.clock import Clock
from desktop.core.errors import InvalidInput
from desktop.core.ledger import Ledger
from desktop.core.month import Month
from desktop.core.services.declaration import DeclarationRow


def person(region: str, born: dt.date, female: bool, seq: int = 1) -> str:
    body = f"{region}{born:%Y%m%d}{seq * 2 + (0 if female else 1):03d}"
    return body + ric.calc_check_digit(body + "0")


# The decision's annex, by hand: delay = floor(birth months since the group's first / step) + 1.
@pytest.mark.parametrize(("group", "born", "day", "age_months"), [
    ("male", "1964-12-01", "2024-12-01", 720),  # the last month before the rise: 60
    ("male", "1965-01-01", "2025-02-01", 721),  # 0 // 4 + 1 = 1 month
    ("male", "1976-09-01", "2039-09-01", 756),  # 140 // 4 + 1 = 36: 63
    ("female55", "1969-12-01", "2024-12-01", 660),
    ("female55", "1970-01-01", "2025-02-01", 661),  # 0 // 4 + 1
    ("female50", "1974-12-01", "2024-12-01", 600),
    ("female50", "1975-01-01", "2025-02-01", 601),  # 0 // 2 + 1
    ("female50", "1984-11-01", "2039-11-01", 660),  # 118 // 2 + 1 = 60: 55
])
def test_retirement_day_at_the_edges_of_the_reform(group: str, born: str, day: str, age_months: int) -> None:
    b = dt.date.fromisoformat(born)
    d = tr.retirement_date(group, b)
    assert d == dt.date.fromisoformat(day)
    assert (d.year - b.year) * 12 + d.month - b.month == age_months


@pytest.mark.parametrize(("year", "months"), [(2029, 180), (2030, 186), (2031, 192), (2035, 216), (2038, 234),
                                              (2039, 240), (2050, 240)])
def test_minimum_months_rise_by_six_a_year_from_2030(year: int, months: int) -> None:
    # 15 years until 2029; 2030 15.5 ... 2035 18 (15 + 6 x 0.5) ... 2039 and later 20
    assert tr.minimum_months(year) == months


def test_the_flexible_range_never_goes_below_the_original_age() -> None:
    # a man born 1965-01: statutory 2025-02 (60 and 1 month); 3 years earlier would be 57: the floor is 60
    assert tr.flexible_range("male", dt.date(1965, 1, 15)) == (dt.date(2025, 1, 15), dt.date(2028, 2, 15))
    # a man born 1980-05: statutory 63 (2043-05); earliest 60 (2040-05), latest 66 (2046-05)
    assert tr.flexible_range("male", dt.date(1980, 5, 5)) == (dt.date(2040, 5, 5), dt.date(2046, 5, 5))
    # a woman worker born 1979-07: 55 months since 1975-01 -> 55 // 2 + 1 = 28 months: 52y4m = 2031-11;
    # earliest: 28 - 36 < 0 so her original 50 (2029-07); latest 2034-11
    assert tr.retirement_date("female50", dt.date(1979, 7, 9)) == dt.date(2031, 11, 9)
    assert tr.flexible_range("female50", dt.date(1979, 7, 9)) == (dt.date(2029, 7, 9), dt.date(2034, 11, 9))


def _declare(led: Ledger, worker: str, first: str, last: str) -> int:
    months, m = [], Month.parse(first)
    while m <= Month.parse(last):
        months.append(m)
        m = m.add(1)
    name = led.workers.get(worker).name
    rows = [DeclarationRow(i + 2, EMPLOYER, worker, name, str(x), "6000") for i, x in enumerate(months)]
    assert led.contributions.import_rows(rows, "d.csv", f"{worker}{first}").recorded == len(rows)
    return len(rows)


def test_the_record_against_the_minimum(ledger: Ledger) -> None:
    woman = person("360102", dt.date(1972, 3, 8), female=True)
    ledger.workers.register_citizen(woman, "王桂兰", "360102", "rural")
    paid = _declare(ledger, woman, "2015-01", "2025-12")  # 132 months
    ledger.records.add_opening(woman, "deemed", "210200", "1992-01", "1994-12", "大连市劳动局 视同缴费年限认定表")
    info = ledger.retirement.check(woman)
    # a woman worker (group 50) born 1972-03: before the rise, 50 on 2022-03-08; retirement year 2022: 180
    assert (info.group, info.retirement_date, info.retirement_age_months) == ("50", dt.date(2022, 3, 8), 600)
    assert info.reached and info.minimum_months == 180
    assert info.months_counted == paid + 36 == 168 and info.missing_months == 12
    # extended payment as a flexible worker at the lowest base: 60% of the 6000 average = 3600, 20% = 720
    # a month, 12 months = 8640.00 (today's figures)
    assert (info.monthly_cost, info.extended_cost) == (Decimal("720.00"), Decimal("8640.00"))
    # as a cadre (group 55) she retires in 2027-03 + delay: 1972-03 is 26 birth months after 1970-01,
    # 26 // 4 + 1 = 7 months: 2027-10-08, not reached on the test day
    assert ledger.retirement.set_group(woman, "55") == "55"
    later = ledger.retirement.check(woman)
    assert (later.retirement_date, later.reached, later.minimum_months) == (dt.date(2027, 10, 8), False, 180)
    assert ledger.retirement.check(woman, "2027-10-08").reached
    with pytest.raises(InvalidInput) as err:
        ledger.retirement.set_group(woman, "45")
    assert err.value.key == "retirement.group"


def test_retirement_command(db_path: Path, ledger: Ledger, capsys: pytest.CaptureFixture[str]) -> None:
    man = person("360102", dt.date(1976, 9, 20), female=False)
    ledger.workers.register_citizen(man, "刘建国", "360102", "rural")
    _declare(ledger, man, "2001-01", "2020-12")  # 240 months
    ledger.close()

    def run(*args: str) -> tuple[int, dict[str, Any]]:
        code = cli.main(["--db", str(db_path), "--json", *args], clock=Clock(day=lambda: TODAY))
        out, _err = capsys.readouterr()
        return code, json.loads(out)

    code, out = run("retirement", "--worker", man)
    assert code == 0
    # born 1976-09: 63 on 2039-09-20, the year's minimum 20 years; earliest 60, latest 66
    assert out == {"worker": man, "retirement_group": "60", "retirement_date": "2039-09-20",
                   "retirement_age_months": 756, "retirement_age": "63岁0个月", "earliest_date": "2036-09-20",
                   "latest_date": "2042-09-20", "minimum_months": 240, "months_counted": 240,
                   "missing_months": 0, "reached": False, "extended_monthly": "720.00", "extended_cost": "0.00",
                   "extended_basis": out["extended_basis"]}
    assert out["extended_basis"].startswith("2026-11，缴费基数3600.00元")
    code, out = run("retirement", "--worker", man, "--on", "2039-09-20")
    assert code == 0 and out["reached"] is True
    code = cli.main(["--db", str(db_path), "retirement", "--worker", man], clock=Clock(day=lambda: TODAY))
    text, _err = capsys.readouterr()
    assert code == 0 and "2039-09-20" in text  # for people at a terminal too
    woman = person("360102", dt.date(1984, 11, 2), female=True, seq=2)
    code, out = run("worker", "register", "--id-number", woman, "--name", "李红", "--hukou-region", "360102",
                    "--hukou-type", "rural", "--retirement-group", "55")
    assert code == 0 and out["worker"]["retirement_group"] == "55"
    code, out = run("retirement", "--worker", woman)
    # group 55, born 1984-11: 178 birth months after 1970-01, 178 // 4 + 1 = 45, capped at 36: 58 in 2042-11
    assert (out["retirement_date"], out["minimum_months"], out["missing_months"]) == ("2042-11-02", 240, 240)
