"""The program on whatever day it is run, and on the days that break date code (a leap day, the last
minute of a year). The first tests use the wall clock on purpose: `.ci/run` runs the whole suite again
with the system clock moved (2028-02-29 and 2031-12-31, see README), so they check the product in
years that no holiday calendar, crediting rate or average wage covers yet. Expected values come from
the data files and the calendar package directly, never from the code under test."""

from __future__ import annotations

import csv
import datetime as dt
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import chinese_calendar
import pytest
from conftest import EMPLOYER

from desktop import cli
from desktop.core.clock import Clock
from desktop.core.errors import InvalidInput, RefusedByRule
from desktop.core.ledger import Ledger

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
PERSON = "510107198511113215"  # a man born 1985-11-11, hukou Chengdu
REGION, PROVINCE = "360100", "360000"
LETTER = {"office_name": "北京市朝阳区社会保险事业管理中心", "bank_account_name": "北京市朝阳区社保中心",
          "bank": "中国工商银行北京朝阳支行", "bank_account": "0200001234567890123", "address": "北京市朝阳区",
          "phone": "010-12345678"}


def on_one_day(body: Callable[[Path], None], tmp_path: Path) -> None:
    """Run `body` on the wall clock; a run that straddles midnight is run once more, on the new day
    (the test's expectations are computed from the date it started on)."""
    for attempt in range(2):
        start = dt.date.today()
        folder = tmp_path / f"attempt{attempt}"
        folder.mkdir()
        body(folder)
        if dt.date.today() == start:
            return
    pytest.fail("the date changed twice during one short test")


def shipped_rate_years() -> set[int]:
    """Years resources/interest.csv gives a crediting rate for (read here, not through the program)."""
    with (RESOURCES / "interest.csv").open(encoding="utf-8") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return {int(r["year"]) for r in rows if r["rate"].strip()}


def calendar_knows(year: int) -> bool:
    """Whether the holiday package or resources/workdays.csv covers the year (read directly)."""
    if year in {day.year for day in chinese_calendar.holidays}:
        return True
    with (RESOURCES / "workdays.csv").open(encoding="utf-8") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return any(r["date"].startswith(f"{year}-") for r in rows)


def nth_workday(start: dt.date, n: int) -> dt.date:
    """The n-th working day after start, counted one day at a time (Monday to Friday where no
    calendar covers the year)."""
    day, counted = start, 0
    while counted < n:
        day += dt.timedelta(days=1)
        counted += chinese_calendar.is_workday(day) if calendar_knows(day.year) else day.weekday() < 5
    return day


def office(path: Path, clock: Any = None, wages_until: int | None = None) -> Ledger:
    led = Ledger.open(path, clock=clock)
    led.office.init("OFF01", "南昌市社保局", REGION)
    last = led.today().year if wages_until is None else wages_until
    for year in range(1998, last + 1):
        led.reference.set_wage(PROVINCE, year, "6000")
    led.employers.register(EMPLOYER, "南昌赣江机械制造有限公司", REGION, 2)
    led.workers.register_citizen(PERSON, "张三", "510107", "rural")
    return led


def test_a_month_recorded_today_needs_this_years_average_wage(tmp_path: Path) -> None:
    def body(folder: Path) -> None:
        today = dt.date.today()
        led = office(folder / "office.db", wages_until=today.year - 1)
        this_month = f"{today.year}-{today.month:02d}"
        with pytest.raises(RefusedByRule) as refused:
            led.contributions.record(PERSON, EMPLOYER, this_month, "9000")
        assert refused.value.key == "wage.missing" and refused.value.field == "month"
        assert f"{today.year}年使用的上年度月平均工资" in refused.value.message()
        with sqlite3.connect(folder / "office.db") as raw:  # nothing written by the refusal
            assert raw.execute("SELECT count(*) FROM contribution").fetchone() == (0,)
        led.reference.set_wage(PROVINCE, today.year, "6000")
        recorded = led.contributions.record(PERSON, EMPLOYER, this_month, "9000")
        assert str(recorded.month) == this_month and recorded.kind == "regular"
        # the month before last is already a back payment, whatever today is
        before_last = dt.date(today.year, today.month, 1) - dt.timedelta(days=1)
        before_last = before_last.replace(day=1) - dt.timedelta(days=1)
        older = led.contributions.record(PERSON, EMPLOYER, f"{before_last.year}-{before_last.month:02d}", "9000")
        assert older.kind == "back_payment"
        led.close()

    on_one_day(body, tmp_path)


def test_a_transfer_plan_today_names_every_year_without_a_crediting_rate(tmp_path: Path) -> None:
    def body(folder: Path) -> None:
        today = dt.date.today()
        led = office(folder / "office.db")
        for month in ("2023-12", "2024-12"):  # money in the account since 2023: every later year earns interest
            led.contributions.record(PERSON, EMPLOYER, month, "9000")
        plan = led.transfers.plan(PERSON, "110105")
        missing = tuple(y for y in range(2024, today.year) if y not in shipped_rate_years())
        assert plan.years_without_interest == missing
        assert plan.months_counted == 2 and str(plan.pooling_fund) == "2160.00"  # 12% x 2 months x 9000.00
        led.close()

    on_one_day(body, tmp_path)


def test_a_contact_letter_today_has_a_due_date_marked_estimated_beyond_the_calendar(tmp_path: Path) -> None:
    def body(folder: Path) -> None:
        today = dt.date.today()
        led = office(folder / "office.db")
        step = led.transfers.request(PERSON, "110105", LETTER, channel="paper")
        case = step.case
        assert case.applied_on == today and case.due is not None
        # one office step: 15 working days (国办发〔2009〕66号 第八条), counted here one by one
        expected_estimated = not all(calendar_knows(y) for y in range(today.year, case.due.year + 1))
        assert case.due_estimated == expected_estimated
        assert case.due == nth_workday(today, 15)
        listed = [c for c in led.transfers.list() if c.number == case.number]
        assert [c.due_estimated for c in listed] == [expected_estimated]
        led.close()

    on_one_day(body, tmp_path)


def id_number(body17: str) -> str:
    """An identity number with its check character (GB 11643: ISO 7064 MOD 11-2), worked out here."""
    weights = [2 ** (17 - i) % 11 for i in range(17)]
    total = sum(int(d) * w for d, w in zip(body17, weights, strict=True))
    return body17 + "10X98765432"[total % 11]


def test_the_last_minute_of_a_year_and_the_first_of_the_next(tmp_path: Path) -> None:
    clock = Clock(at=dt.datetime(2031, 12, 31, 23, 59, 30))
    led = office(tmp_path / "office.db", clock=clock, wages_until=2032)
    led.contributions.record(PERSON, EMPLOYER, "2031-11", "9000")
    led.contributions.record(PERSON, EMPLOYER, "2031-12", "9000")
    with pytest.raises(InvalidInput) as future:  # January is not here yet
        led.contributions.record(PERSON, EMPLOYER, "2032-01", "9000")
    assert (future.value.key, future.value.field) == ("month.future", "month")
    first = led.documents.issue("statement", PERSON)
    assert first.number == "OFF01-ZM2031000001"
    clock.advance(dt.timedelta(minutes=1))  # 2032-01-01 00:00:30
    assert led.today() == dt.date(2032, 1, 1)
    assert led.contributions.record(PERSON, EMPLOYER, "2032-01", "9000").kind == "regular"
    assert led.contributions.record(PERSON, EMPLOYER, "2031-10", "9000").kind == "back_payment"
    second = led.documents.issue("statement", PERSON)
    assert second.number == "OFF01-ZM2032000001"  # numbering starts again in the new year
    assert sorted(d.number for d in led.documents.list_for(PERSON)) == [first.number, second.number]
    verdict = led.documents.verify(first.code)
    assert (verdict.valid, verdict.number) == (True, "OFF01-ZM2031000001")
    led.close()


def test_a_leap_day(tmp_path: Path) -> None:
    clock = Clock(at=dt.datetime(2028, 2, 29, 10, 0))
    led = office(tmp_path / "office.db", clock=clock)
    leapling = id_number("36010220120229123")  # born 2012-02-29: 16 today
    led.workers.register_citizen(leapling, "李小闰", "360102", "urban")
    with pytest.raises(InvalidInput) as young:
        led.contributions.record(leapling, EMPLOYER, "2028-01", "4000")
    assert (young.value.key, young.value.field) == ("contrib.before_birth", "month")
    assert led.contributions.record(leapling, EMPLOYER, "2028-02", "4000").kind == "regular"
    case = led.transfers.request(PERSON, "110105", LETTER, channel="paper").case
    assert case.applied_on == dt.date(2028, 2, 29)
    # 15 working days from the leap day, counted by hand: March 2028 begins on a Wednesday; with no
    # holiday calendar for 2028 (an estimate) the 15th weekday after Tue 29 Feb is Tue 21 Mar.
    if calendar_knows(2028):
        assert (case.due, case.due_estimated) == (nth_workday(dt.date(2028, 2, 29), 15), False)
    else:
        assert (case.due, case.due_estimated) == (dt.date(2028, 3, 21), True)
    led.close()


def test_the_command_line_takes_the_same_clock(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "cli.db")
    leap = Clock(at=dt.datetime(2028, 2, 29, 10, 0))
    office(Path(db), clock=leap).close()
    assert cli.main(["--db", db, "--json", "print", "statement", PERSON, "--out",
                     str(tmp_path / "s.pdf")], clock=leap) == 0
    out = capsys.readouterr().out
    assert '"OFF01-ZM2028000001"' in out
