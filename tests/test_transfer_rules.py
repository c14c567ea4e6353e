"""Transfers between pooling regions: worked examples computed by hand, and properties."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable
from dataclasses import fields, replace
from decimal import Decimal
from fractions import Fraction
from math import floor
from typing import Any

import pytest
from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core import transfer_rules as tr
from desktop.core.errors import InvalidInput
from desktop.core.month import Month
from desktop.core.paths import resources_dir
from desktop.core.transfer_rules import (
    PaidMonth,
    account_transfer,
    age_on,
    duplicate_months,
    employee_to_resident,
    information_lines,
    medical_years,
    needs_temporary_account,
    parse_rules,
    pension_place,
    pooling_key,
    pooling_transfer,
    province,
    rules,
    step_due,
    temporary_account_total,
    unemployment_benefit_months,
    years_text,
)
from desktop.core.workdays import DueDate, WorkCalendar

M = Month.from_int
D = dt.date
TONGHE = "230128"  # 通河县, Harbin, Heilongjiang
SHENYANG = "210100"
BEIJING = "110105"  # 朝阳区


def pm(region: str, month: int, base: int, account: int = 0, employer: int = 0,
       employee: int = 0) -> PaidMonth:
    return PaidMonth(region, M(month), base, account, employer, employee)


def run(region: str, first: int, count: int, base: int, **kw: int) -> list[PaidMonth]:
    start = M(first)
    return [PaidMonth(region, start.add(i), base, kw.get("account", 0), kw.get("employer", 0),
                      kw.get("employee", 0)) for i in range(count)]


def rates(table: dict[int, str]) -> Callable[[int], Decimal | None]:
    return lambda year: Decimal(table[year]) if year in table else None


# --- parameters and places -------------------------------------------------------------------


def test_parameters_come_with_sources() -> None:
    r = rules()
    assert r.pooling_share == Decimal("0.12")
    assert r.pooling_from == M(199801)
    assert (r.temporary_age_men, r.temporary_age_women) == (50, 40)
    assert r.pension_place_years == 10 and r.resident_max_employee_years == 15
    assert r.unemployment_steps == ((1, 12), (5, 18), (10, 24))
    assert r.step_working_days == 15
    assert all(r.sources[name] for name in r.sources)
    assert "66号" in r.sources["pooling_share"]
    with pytest.raises(ValueError, match=r"^transfer_rules.toml: \[pooling_share\] needs a value and a source$"):
        parse_rules({"pooling_share": {"value": "0.12"}})


def test_pooling_keys() -> None:
    assert pooling_key(TONGHE) == "230100"
    assert pooling_key("230102") == "230100"
    assert pooling_key(BEIJING) == "110000"
    assert pooling_key("120101") == "120000"
    assert pooling_key("310115") == "310000"
    assert pooling_key("500101") == "500000"
    assert pooling_key("440305") == "440300"
    assert province(TONGHE) == "230000"
    with pytest.raises(InvalidInput) as err:
        pooling_key("23012")
    assert (err.value.key, err.value.field) == ("region.format", "region")


# --- pooling fund ----------------------------------------------------------------------------


def test_pooling_full_year() -> None:
    # 12 months x base 6000.00 = 72000.00 x 12% = 8640.00
    result = pooling_transfer(run(SHENYANG, 201501, 12, 600000))
    assert [(y.year, y.months, y.base_total_fen, y.pooling_fen) for y in result.years] == [
        (2015, 12, 7200000, 864000)]
    assert result.total_fen == 864000


def test_pooling_starts_in_january_1998() -> None:
    # 1997-12 is before the start and ignored; 1998-01: 5000.00 x 12% = 600.00
    result = pooling_transfer([pm(SHENYANG, 199712, 500000), pm(SHENYANG, 199801, 500000)])
    assert [(y.year, y.months, y.pooling_fen) for y in result.years] == [(1998, 1, 60000)]
    assert result.total_fen == 60000


def test_pooling_half_year_and_by_year() -> None:
    # 2020-07..12: 6 x 4567.89 = 27407.34 x 12% = 3288.8808 -> 3288.88
    # 2021-01..03: 3 x 5000.00 = 15000.00 x 12% = 1800.00; total 5088.88
    months = run(SHENYANG, 202007, 6, 456789) + run(SHENYANG, 202101, 3, 500000)
    result = pooling_transfer(months)
    assert [(y.year, y.months, y.base_total_fen, y.pooling_fen) for y in result.years] == [
        (2020, 6, 2740734, 328888), (2021, 3, 1500000, 180000)]
    assert result.total_fen == 508888


def test_pooling_rounds_the_year_not_the_month() -> None:
    # 2 x 3333.37 = 6666.74 x 12% = 800.0088 -> 800.01
    # (month by month it would be 400.0044 -> 400.00, twice = 800.00)
    result = pooling_transfer(run(SHENYANG, 201903, 2, 333337))
    assert result.total_fen == 80001


def test_pooling_repeats_and_since() -> None:
    # The same month twice in the same pooling region (two Beijing districts) counts once, the
    # first: 3000.00 x 12% = 360.00.
    dup = [pm(BEIJING, 201905, 300000), pm("110108", 201905, 900000)]
    assert pooling_transfer(dup).total_fen == 36000
    # since 2016-07: 2016-07..12 only: 6 x 5000.00 = 30000.00 x 12% = 3600.00
    months = run(SHENYANG, 201601, 12, 500000)
    assert pooling_transfer(months, since=M(201607)).total_fen == 360000
    # since before 1998 still starts in 1998
    assert pooling_transfer([pm(SHENYANG, 199706, 100000)], since=M(199501)).total_fen == 0
    with pytest.raises(InvalidInput) as err:
        pm(SHENYANG, 201901, -1)
    assert (err.value.key, err.value.field) == ("amount.format", "base_fen")


# --- individual account ----------------------------------------------------------------------


def test_account_transfer_by_year() -> None:
    # base 5000.00, 8% to the account = 400.00 a month
    months = (run(SHENYANG, 201601, 12, 500000, account=40000)
              + run(SHENYANG, 201701, 12, 500000, account=40000)
              + run(SHENYANG, 201801, 6, 500000, account=40000))
    result = account_transfer(months, rates({2016: "0.0831", 2017: "0.0712"}), 2018)
    # 2016: opening 0, interest 0, credited 4800.00 -> 4800.00
    # 2017: interest 4800.00 x 7.12% = 341.76; + 4800.00 -> 9941.76
    # 2018 (this year): no interest yet; credited 6 x 400.00 = 2400.00 -> 12341.76
    assert [(y.year, y.credited_fen, y.interest_fen, y.closing_fen) for y in result.years] == [
        (2016, 480000, 0, 480000), (2017, 480000, 34176, 994176), (2018, 240000, None, 1234176)]
    assert result.years[0].account_rate == Decimal("0.0800")
    assert (result.pre1998_fen, result.to_last_year_end_fen, result.this_year_principal_fen,
            result.account_fen) == (0, 994176, 240000, 1234176)
    assert result.complete


def test_account_transfer_with_balance_before_1998() -> None:
    # Base 500.00: employer 20% = 100.00, person 8% = 40.00, account 40.00 a month.
    months = [pm(SHENYANG, 199706, 50000, 3000, 10000, 4000)]  # before 1998: in the given balance
    months += run(SHENYANG, 199901, 12, 50000, account=4000, employer=10000, employee=4000)
    months += run(SHENYANG, 200001, 3, 50000, account=4000, employer=10000, employee=4000)
    result = account_transfer(months, rates({1998: "0.05", 1999: "0.04"}), 2000, 100000)
    # 1998: 1000.00 + 1000.00 x 5% = 50.00 -> 1050.00
    # 1999: 1050.00 x 4% = 42.00 -> 1092.00 + 12 x 40.00 = 480.00 -> 1572.00
    # 2000: + 3 x 40.00 = 120.00 -> 1692.00
    assert [(y.year, y.interest_fen, y.closing_fen) for y in result.years] == [
        (1998, 5000, 105000), (1999, 4200, 157200), (2000, None, 169200)]
    row = result.years[1]
    assert (row.months, row.base_total_fen, row.employer_rate, row.personal_rate,
            row.account_rate) == (12, 600000, Decimal("0.2000"), Decimal("0.0800"),
                                  Decimal("0.0800"))
    # Lines: before 1998 1000.00; 1998..1999 1572.00 - 1000.00 = 572.00; this year 120.00
    assert (result.pre1998_fen, result.to_last_year_end_fen, result.this_year_principal_fen,
            result.account_fen) == (100000, 57200, 12000, 169200)
    # Pooling: 1999: 6000.00 x 12% = 720.00; 2000: 1500.00 x 12% = 180.00; total 900.00
    lines = information_lines(result, pooling_transfer(months))
    assert (lines.account_fen, lines.pooling_fen, lines.total_fen) == (169200, 90000, 259200)
    assert lines.check()
    assert not replace(lines, to_last_year_end_fen=57201).check()
    assert not replace(lines, total_fen=1).check()


def test_account_transfer_edges() -> None:
    months = run(SHENYANG, 201601, 12, 500000, account=40000) + run(SHENYANG, 201701, 1, 500000)
    assert not account_transfer(months, rates({}), 2018).complete
    with pytest.raises(InvalidInput) as err:
        account_transfer(run(SHENYANG, 201901, 1, 500000), rates({}), 2018)
    assert (err.value.key, err.value.params) == ("month.future", {"value": "2019-01", "current": "2018-12"})
    empty = account_transfer([], rates({}), 2024)
    assert (empty.account_fen, empty.years) == (0, ())


def test_temporary_account_moves_everything() -> None:
    # 2019-03..12: base 4000.00, employer 16% = 640.00 + person 8% = 320.00 = 960.00 a month
    # 2019: 10 x 960.00 = 9600.00; 2020: interest 9600.00 x 6.04% = 579.84, + 2 x 960.00 = 1920.00
    # -> 12099.84; 2021 (this year): nothing new, no interest yet.
    months = (run("440300", 201903, 10, 400000, employer=64000, employee=32000)
              + run("440300", 202001, 2, 400000, employer=64000, employee=32000))
    assert temporary_account_total(months, rates({2020: "0.0604"}), 2021) == 1209984
    assert temporary_account_total([], rates({}), 2021) == 0


# --- temporary account decision --------------------------------------------------------------


def test_man_turns_fifty() -> None:
    born = D(1975, 6, 15)
    before = needs_temporary_account("M", born, D(2025, 6, 14), TONGHE, SHENYANG, BEIJING)
    assert (before.temporary, before.rule, before.age) == (False, "normal.under_age", 49)
    on = needs_temporary_account("M", born, D(2025, 6, 15), TONGHE, SHENYANG, BEIJING)
    assert (on.temporary, on.rule, on.age) == (True, "temporary.age_other_province", 50)
    assert on.params()["limit"] == 50 and on.to_province == "110000"


def test_woman_turns_forty() -> None:
    born = D(1985, 3, 1)
    at39 = needs_temporary_account("F", born, D(2025, 2, 28), TONGHE, SHENYANG, BEIJING)
    assert (at39.temporary, at39.age) == (False, 39)
    at40 = needs_temporary_account("F", born, D(2025, 3, 1), TONGHE, SHENYANG, BEIJING)
    assert (at40.temporary, at40.rule, at40.age_limit) == (True, "temporary.age_other_province", 40)


def test_province_limits() -> None:
    born, on = D(1970, 1, 1), D(2025, 5, 1)  # a man of 55
    back = needs_temporary_account("M", born, on, TONGHE, BEIJING, "230102")
    assert (back.temporary, back.rule) == (False, "normal.back_to_hukou_province")
    inside = needs_temporary_account("M", born, on, TONGHE, "230100", "230200")
    assert (inside.temporary, inside.rule) == (False, "normal.back_to_hukou_province")
    elsewhere = needs_temporary_account("M", born, on, TONGHE, SHENYANG, "210200")
    assert (elsewhere.temporary, elsewhere.rule) == (False, "normal.within_province")
    other = needs_temporary_account("M", born, on, TONGHE, "230100", "210200")
    assert other.temporary
    approved = needs_temporary_account("M", born, on, TONGHE, SHENYANG, BEIJING, approved=True)
    assert (approved.temporary, approved.rule) == (False, "normal.approved")


def test_age_and_bad_input() -> None:
    assert age_on(D(1976, 2, 29), D(2026, 2, 28)) == 49
    assert age_on(D(1976, 2, 29), D(2026, 3, 1)) == 50
    with pytest.raises(InvalidInput) as err:
        needs_temporary_account("X", D(1970, 1, 1), D(2025, 1, 1), TONGHE, SHENYANG, BEIJING)
    assert (err.value.key, err.value.field) == ("sex.format", "sex")
    with pytest.raises(InvalidInput) as err:
        needs_temporary_account("M", D(2026, 1, 1), D(2025, 1, 1), TONGHE, SHENYANG, BEIJING)
    assert (err.value.key, err.value.field) == ("id.birth_future", "birth_date")


# --- where the pension is paid ---------------------------------------------------------------


def test_tonghe_worker_ten_years_in_beijing() -> None:
    # 5 years in Liaoning, then 10 full years (120 months) in Beijing: Beijing pays.
    d = pension_place(TONGHE, [(SHENYANG, 60), (BEIJING, 120)], BEIJING)
    assert (d.region, d.rule) == (BEIJING, "place.current_10_years")
    # places are provinces (人社部规〔2016〕5号): Shenyang's years count for Liaoning, 210000
    assert d.years == {"210000": Decimal("5.00"), "110000": Decimal("10.00")}


def test_tonghe_worker_one_month_short() -> None:
    # 119 months in Beijing, 60 in Liaoning: no place with 10 years -> back to Tonghe.
    d = pension_place(TONGHE, [(SHENYANG, 60), (BEIJING, 119)], BEIJING)
    assert (d.region, d.rule) == (TONGHE, "place.back_to_hukou")
    assert d.years["110000"] == Decimal("9.91") and d.months["110000"] == 119


def test_tonghe_worker_ten_years_in_liaoning() -> None:
    d = pension_place(TONGHE, [(SHENYANG, 120), (BEIJING, 36)], BEIJING)
    assert (d.region, d.rule) == (SHENYANG, "place.previous_10_years")


def test_current_place_in_the_hukou_prefecture() -> None:
    d = pension_place(TONGHE, [(SHENYANG, 60), ("230102", 24)], "230102")
    assert (d.region, d.rule) == ("230102", "place.hukou")
    # Elsewhere in the hukou province (Qiqihar) also counts: the measures define the hukou place
    # as the province.
    d = pension_place(TONGHE, [(BEIJING, 60), ("230200", 12)], "230200")
    assert (d.region, d.rule) == ("230200", "place.hukou")


def test_visits_add_up_and_the_latest_ten_year_place_wins() -> None:
    # Shenyang 72 + 48 = 120 months over two visits; Dalian 12; Beijing 24 + 36 = 60.
    history = [(SHENYANG, 72), (BEIJING, 24), ("210200", 12), (SHENYANG, 48), (BEIJING, 36)]
    d = pension_place(TONGHE, history, BEIJING)
    assert (d.region, d.rule, d.months["110000"]) == (SHENYANG, "place.previous_10_years", 60)
    # Shanghai 120 then Shenzhen 130 then Beijing 12: the latest one with 10 years is Shenzhen.
    d = pension_place(TONGHE, [("310115", 120), ("440305", 130), (BEIJING, 12)], BEIJING)
    assert (d.region, d.rule) == ("440305", "place.previous_10_years")


def test_deemed_years_count_where_the_person_worked() -> None:
    history = [(SHENYANG, 84), (BEIJING, 60)]
    assert pension_place(TONGHE, history, BEIJING).rule == "place.back_to_hukou"
    # 36 deemed months in Shenyang: 84 + 36 = 120.
    d = pension_place(TONGHE, history, BEIJING, deemed={SHENYANG: 36})
    assert (d.region, d.rule) == (SHENYANG, "place.previous_10_years")
    d = pension_place(TONGHE, history, BEIJING, deemed={"110101": 60})
    assert (d.region, d.rule) == (BEIJING, "place.current_10_years")
    # A place known only from deemed years is the earliest.
    d = pension_place(TONGHE, [(SHENYANG, 12), (BEIJING, 12)], BEIJING, deemed={"440305": 120})
    assert (d.region, d.rule) == ("440305", "place.previous_10_years")


# --- employees' -> residents' scheme ---------------------------------------------------------


def test_employee_to_resident_refused() -> None:
    months = [M(201001).add(i) for i in range(60)]
    early = employee_to_resident(False, months, {}, 100000)
    assert (early.allowed, early.rule, early.account_moved_fen) == (
        False, "resident.before_retirement", 0)
    fifteen = [M(200001).add(i) for i in range(180)]
    full = employee_to_resident(True, fifteen, {}, 100000)
    assert (full.allowed, full.rule) == (False, "resident.15_years_or_more")
    assert employee_to_resident(True, fifteen[:179], {}, 100000).allowed


def test_employee_to_resident_overlap_refund() -> None:
    # Employee 2010-01..2017-04 (88 months); residents' 2017 personal 500.00, 2018 personal 1000.00
    # 2017: 4 months overlap -> refund 500.00 x 4 / 12 = 166.666.. -> 166.67; 8 resident months
    # 2018: no overlap, 12 resident months. Merged: 88 + 8 + 12 = 108 months.
    months = [M(201001).add(i) for i in range(88)]
    result = employee_to_resident(True, months, {2017: 50000, 2018: 100000}, 2345678)
    assert (result.allowed, result.rule) == (True, "resident.allowed")
    assert (result.account_moved_fen, result.merged_months, result.overlap_months,
            result.refund_fen) == (2345678, 108, 4, 16667)
    assert result.refunds == {2017: 16667}
    # 100.00 x 1 / 12 = 8.333.. -> 8.33; 100.00 x 6 / 12 = 50.00; repeated months count once
    one = employee_to_resident(True, [M(201501), M(201501)], {2015: 10000}, 0)
    assert (one.refund_fen, one.overlap_months, one.merged_months) == (833, 1, 12)
    half = employee_to_resident(True, [M(201601).add(i) for i in range(6)], {2016: 10000}, 0)
    assert half.refund_fen == 5000


# --- medical, unemployment, duplicates, deadlines --------------------------------------------


def test_medical_and_unemployment() -> None:
    assert medical_years({"110000": 30, "210100": 50}) == 80
    # Under 1 year none; 1-<5 years 12; 5-<10 18; 10+ 24 (Regulations art. 17).
    expected = {0: 0, 11: 0, 12: 12, 59: 12, 60: 18, 119: 18, 120: 24, 300: 24}
    assert {n: unemployment_benefit_months(n) for n in expected} == expected
    with pytest.raises(InvalidInput) as err:
        unemployment_benefit_months(-1)
    assert (err.value.key, err.value.params) == ("amount.format", {"value": "-1"})


def test_duplicate_months() -> None:
    rows = [(SHENYANG, M(201905)), (BEIJING, M(201905)), ("110108", M(201906)),
            (BEIJING, M(201906)), (SHENYANG, M(201904)), ("440305", M(201904)),
            (SHENYANG, M(201903))]
    assert duplicate_months(rows) == [(M(201904), ("210100", "440300")),
                                      (M(201905), ("110000", "210100"))]


def test_step_due_uses_working_days() -> None:
    # 15 working days from Friday 20 September 2024, across National Day: 16 October.
    assert step_due(D(2024, 9, 20)).date == D(2024, 10, 16)
    due = step_due(D(2024, 9, 20), 3, WorkCalendar())
    assert due == WorkCalendar().add_workdays(D(2024, 9, 20), 45)


# --- properties ------------------------------------------------------------------------------
# The expected figures below come from a model written here from the measures, not from the code:
# 国办发〔2009〕66号 第四条第（二）项 moves 12/100 of every year's base sum from 1998-01 on, each
# year half up to the fen; the same month twice in one pooling region counts once (the first row).
# Shenyang (210100) pools as 210100, Beijing 朝阳区 as the municipality 110000, Shenzhen 440305 as
# 440300: written out, not asked of pooling_key.

SHARE = Fraction(12, 100)  # 12%, written out
FIRST_POOLING_MONTH = 199801  # 1998-01: months before it move nothing from the pooling fund
POOL_OF = {SHENYANG: "210100", BEIJING: "110000", "440305": "440300"}

_months = st.lists(
    st.builds(pm, st.sampled_from([SHENYANG, BEIJING, "440305"]),
              st.integers(1995, 2024).flatmap(lambda y: st.integers(1, 12).map(
                  lambda m: y * 100 + m)),
              st.integers(0, 5_000_000), st.integers(0, 500_000), st.integers(0, 1_000_000),
              st.integers(0, 500_000)),
    max_size=40)


def _first_rows(months: list[PaidMonth]) -> list[PaidMonth]:
    """The rows kept: the first of each (pooling region, month), by the literal table above."""
    seen: set[tuple[str, int]] = set()
    out = []
    for m in months:
        key = (POOL_OF[m.region], m.month.year * 100 + m.month.month)
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out


def _half_up(x: Fraction) -> int:
    return floor(x + Fraction(1, 2))


def _model_pooling(months: list[PaidMonth]) -> dict[int, tuple[int, int, int]]:
    """{year: (months, base sum, base sum x 12% half up)} from 1998-01 on."""
    by_year: dict[int, tuple[int, int]] = {}
    for m in _first_rows(months):
        if m.month.year * 100 + m.month.month >= FIRST_POOLING_MONTH:
            n, base = by_year.get(m.month.year, (0, 0))
            by_year[m.month.year] = (n + 1, base + m.base_fen)
    return {y: (n, base, _half_up(base * SHARE)) for y, (n, base) in by_year.items()}


@settings(max_examples=examples(60))
@given(_months)
def test_pooling_properties(months: list[PaidMonth]) -> None:
    result = pooling_transfer(months)
    model = _model_pooling(months)
    assert [(y.year, y.months, y.base_total_fen, y.pooling_fen) for y in result.years] == [
        (year, *model[year]) for year in sorted(model)]
    assert result.total_fen == sum(p for _, _, p in model.values())
    assert all(y.year >= 1998 for y in result.years)


def _model_account(months: list[PaidMonth], pre1998: int, table: dict[int, Decimal],
                   this_year: int) -> tuple[int, int, int, int]:
    """(pre-1998, 1998..last year end less pre-1998, this year's principal, account) by hand:
    the year's interest is the previous year end x the year's rate, half up to the fen, none for
    this year or a year without a rate; the year's new money earns nothing that year."""
    credited: dict[int, int] = {}
    for m in _first_rows(months):
        if m.month.year >= 1998:
            credited[m.month.year] = credited.get(m.month.year, 0) + m.account_fen
    if not credited and not pre1998:
        return 0, 0, 0, 0
    first = 1998 if pre1998 else min(credited)
    balance = pre1998
    last_year_end = pre1998
    for year in range(first, this_year + 1):
        if year < this_year and year in table:
            balance += _half_up(Fraction(balance) * Fraction(table[year]))
        balance += credited.get(year, 0)
        if year < this_year:
            last_year_end = balance
    principal = credited.get(this_year, 0)
    return pre1998, last_year_end - pre1998, principal, last_year_end + principal


@settings(max_examples=examples(40))
@given(_months, st.integers(0, 1_000_000),
       st.dictionaries(st.integers(1998, 2024), st.decimals("0", "0.1", places=4)))
def test_account_properties(months: list[PaidMonth], pre1998: int,
                            table: dict[int, Decimal]) -> None:
    result = account_transfer(months, table.get, 2024, pre1998)
    lines = information_lines(result, pooling_transfer(months))
    pre, to_last, principal, account = _model_account(months, pre1998, table, 2024)
    pooling = sum(p for _, _, p in _model_pooling(months).values())
    assert (lines.pre1998_fen, lines.to_last_year_end_fen, lines.this_year_principal_fen,
            lines.account_fen, lines.pooling_fen, lines.total_fen) == (
        pre, to_last, principal, account, pooling, account + pooling)
    assert all(y.closing_fen >= 0 and (y.interest_fen or 0) >= 0 for y in result.years)


def _model_temporary(months: list[PaidMonth], table: dict[int, Decimal], this_year: int) -> int:
    """A temporary account by hand: every month kept (no 1998 cut), employer + employee money,
    interest as in the account model; the balance at the end of this year."""
    paid: dict[int, int] = {}
    for m in _first_rows(months):
        paid[m.month.year] = paid.get(m.month.year, 0) + m.employer_fen + m.employee_fen
    if not paid:
        return 0
    balance = 0
    for year in range(min(paid), this_year + 1):
        if year < this_year and year in table:
            balance += _half_up(Fraction(balance) * Fraction(table[year]))
        balance += paid.get(year, 0)
    return balance


@settings(max_examples=examples(40))
@given(_months, st.dictionaries(st.integers(1995, 2024), st.decimals("0", "0.1", places=4)))
def test_temporary_account_properties(months: list[PaidMonth], table: dict[int, Decimal]) -> None:
    assert temporary_account_total(months, table.get, 2024) == _model_temporary(months, table, 2024)


def test_years_text_runs_as_ranges() -> None:
    assert years_text([2025]) == "2025"
    assert years_text([2001, 1999, 2000, 2025, 2003]) == "1999-2001, 2003, 2025"
    assert years_text([]) == ""


@settings(max_examples=examples(40))
@given(_months, st.integers(0, 1_000_000),
       st.dictionaries(st.integers(1998, 2024), st.decimals("0", "0.1", places=4)),
       st.integers(1999, 2024).flatmap(lambda y: st.integers(1, 12).map(lambda m: M(y * 100 + m))))
def test_the_held_record_moves_what_the_rules_say_whatever_the_route(
        months: list[PaidMonth], pre1998: int, table: dict[int, Decimal], split: Month) -> None:
    """The settle reads pension_record.held_money: it equals the rules above for one office's months,
    and a part received as its table (settled in the split month) continues to the same fen."""
    from desktop.core.pension_record import ReceivedPart, ReceivedYear, held_money

    whole = held_money(months, [], pre1998, table.get, 2024)
    account, pooling = account_transfer(months, table.get, 2024, pre1998), pooling_transfer(months)
    assert (whole.pre1998_fen, whole.to_last_year_end_fen, whole.this_year_principal_fen, whole.account_fen) == (
        account.pre1998_fen, account.to_last_year_end_fen, account.this_year_principal_fen, account.account_fen)
    assert [(y.year, y.credited_fen, y.interest_fen, y.closing_fen) for y in whole.years] == [
        (y.year, y.credited_fen, y.interest_fen, y.closing_fen) for y in account.years]
    assert whole.pooling_fen == pooling.total_fen

    early = [m for m in months if m.month < split]
    before = held_money(early, [], pre1998, table.get, split.year)
    part = ReceivedPart("case", SHENYANG, split.year, before.pre1998_fen, before.to_last_year_end_fen,
                        before.this_year_principal_fen,
                        tuple(ReceivedYear(y.year, y.months, y.base_total_fen, y.credited_fen, y.interest_fen or 0,
                                           y.closing_fen) for y in before.years), ())
    after = held_money([m for m in months if m.month >= split], [part] if before.years else [], 0, table.get, 2024)
    assert (after.account_fen, after.pooling_fen) == (whole.account_fen, whole.pooling_fen)
    assert [(y.year, y.closing_fen) for y in after.years if y.year >= split.year] == [
        (y.year, y.closing_fen) for y in whole.years if y.year >= split.year]


@pytest.mark.parametrize(("sex", "group", "born", "expected"), [
    ("M", None, "1964-12-15", "2024-12-15"),   # before the rise: 60
    ("M", None, "1965-01-31", "2025-02-28"),   # first month delayed: 60 and 1 month, month end
    ("M", None, "1965-04-10", "2025-05-10"),   # births 1965-01..04 share the 1-month delay
    ("M", None, "1965-05-10", "2025-07-10"),   # 2 months
    ("M", None, "1976-09-01", "2039-09-01"),   # 63 reached
    ("M", "55", "1980-01-01", "2043-01-01"),   # capped at 63; a man is never in a women's group
    ("F", None, "1975-02-28", "2025-03-28"),   # women workers 50: 1 month per 2 birth months
    ("F", "50", "1984-11-03", "2039-11-03"),   # 55 reached
    ("F", "55", "1969-12-20", "2024-12-20"),   # women cadres before the rise: 55
    ("F", "55", "1971-05-05", "2026-10-05"),   # 16 birth months in: 5 months
])
def test_retirement_date_follows_the_2024_decision_table(sex: str, group: str | None, born: str,
                                                         expected: str) -> None:
    """Figures from the decision's annex (men 1965-01 -> 60y1m, 1976-09 -> 63; women 50 1984-11 -> 55)."""
    g = tr.retirement_group(sex, group)
    assert tr.retirement_date(g, dt.date.fromisoformat(born)) == dt.date.fromisoformat(expected)


def test_retirement_group_refuses_an_unknown_code() -> None:
    with pytest.raises(InvalidInput) as err:
        tr.retirement_group("F", "45")
    assert err.value.key == "retirement.group"


# --- the parameters file, read table by table --------------------------------------------------


def _rules_doc() -> dict[str, Any]:
    with (resources_dir() / "transfer_rules.toml").open("rb") as fh:
        return tomllib.load(fh)


def test_parse_rules_reads_every_table_as_written() -> None:
    doc = _rules_doc()
    r = parse_rules(doc)
    assert r == rules()
    assert (r.pooling_share, r.pooling_from) == (Decimal("0.12"), Month(1998, 1))
    assert (r.temporary_age_men, r.temporary_age_women, r.temporary_cross_province_only) == (50, 40, True)
    assert (r.hukou_level, r.place_level) == ("province", "province")
    assert (r.pension_place_years, r.resident_max_employee_years) == (10, 15)
    assert r.unemployment_steps == ((1, 12), (5, 18), (10, 24))
    assert (r.step_working_days, r.medical_old_office_working_days,
            r.medical_new_office_working_days) == (15, 10, 5)
    assert r.municipalities == ("11", "12", "31", "50")
    assert r.provincial_pooling_by == D(2021, 1, 1)
    assert (r.back_payment_document_years, r.back_payment_notice_working_days) == (3, 10)
    assert dict(r.retirement_groups) == {
        "male": tr.RetirementGroup(60, Month(1965, 1), 4, 36),
        "female55": tr.RetirementGroup(55, Month(1970, 1), 4, 36),
        "female50": tr.RetirementGroup(50, Month(1975, 1), 2, 60)}
    assert dict(r.minimum_months) == {"base": 180, "from_year": 2030, "step": 6, "cap": 240}
    assert dict(r.flexible_retirement_months) == {"early": 36, "late": 36}
    # every table's source is kept, word for word, under the table's name
    names = {f.name for f in fields(tr.TransferRules)} - {"sources"}
    assert dict(r.sources) == {name: doc[name]["source"] for name in names}
    assert len(r.sources) == 20


def test_parse_rules_sorts_the_unemployment_steps() -> None:
    doc = _rules_doc()
    doc["unemployment_steps"] = {"value": [{"min_years": 10, "months": 24},
                                           {"min_years": 1, "months": 12},
                                           {"min_years": 5, "months": 18}], "source": "test"}
    assert parse_rules(doc).unemployment_steps == ((1, 12), (5, 18), (10, 24))


@pytest.mark.parametrize("table", [
    None,                                   # the table is missing
    "1998-01",                              # a bare value, not a table
    {"source": "66号"},                      # no value
    {"value": "1998-01"},                   # no source
    {"value": "1998-01", "source": ""},     # an empty source
])
def test_parse_rules_wants_a_value_and_a_source(table: object) -> None:
    doc = _rules_doc()
    if table is None:
        del doc["pooling_from"]
    else:
        doc["pooling_from"] = table
    with pytest.raises(ValueError) as err:
        parse_rules(doc)
    assert str(err.value) == "transfer_rules.toml: [pooling_from] needs a value and a source"


@pytest.mark.parametrize("name", ["hukou_level", "place_level"])
def test_parse_rules_levels(name: str) -> None:
    doc = _rules_doc()
    doc[name] = {"value": "pooling", "source": "test"}
    assert getattr(parse_rules(doc), name) == "pooling"
    doc[name] = {"value": "county", "source": "test"}
    with pytest.raises(ValueError) as err:
        parse_rules(doc)
    assert str(err.value) == f"transfer_rules.toml: {name} must be province or pooling"


def test_temporary_ages_for_the_messages() -> None:
    assert tr.temporary_ages() == {"men": 50, "women": 40}


# --- region codes, places and pooling units ------------------------------------------------------


@pytest.mark.parametrize("code", ["23012", "2301280", "23012a", "", " 23012"])
def test_a_region_is_six_digits(code: str) -> None:
    with pytest.raises(InvalidInput) as err:
        province(code)
    assert (err.value.key, err.value.field) == ("region.format", "region")
    with pytest.raises(InvalidInput) as err:
        pooling_key(code)
    assert (err.value.key, err.value.field) == ("region.format", "region")


def test_place_key_by_province_or_by_pooling_region(monkeypatch: pytest.MonkeyPatch) -> None:
    assert tr.place_key(SHENYANG) == "210000" and tr.place_key("210203") == "210000"
    assert tr.place_key(BEIJING) == "110000"
    pooled = replace(rules(), place_level="pooling")
    monkeypatch.setattr(tr, "rules", lambda: pooled)
    assert tr.place_key(SHENYANG) == "210100" and tr.place_key("210203") == "210200"
    assert tr.place_key(BEIJING) == "110000"
    # Shenyang 60 + Dalian 60 months: a place each, neither with 10 years -> back to the hukou place
    d = pension_place(TONGHE, [(SHENYANG, 60), ("210203", 60), (BEIJING, 12)], BEIJING)
    assert (d.region, d.rule) == (TONGHE, "place.back_to_hukou")
    assert dict(d.months) == {"210100": 60, "210200": 60, "110000": 12}


def test_place_by_province_adds_the_prefectures() -> None:
    # Shenyang 60 + Dalian 60 = 120 months in Liaoning: 10 years, Dalian the last code seen there
    d = pension_place(TONGHE, [(SHENYANG, 60), ("210203", 60), (BEIJING, 12)], BEIJING)
    assert (d.region, d.rule) == ("210203", "place.previous_10_years")
    assert dict(d.months) == {"210000": 120, "110000": 12}


def test_hukou_compared_by_pooling_region(monkeypatch: pytest.MonkeyPatch) -> None:
    pooled = replace(rules(), hukou_level="pooling")
    monkeypatch.setattr(tr, "rules", lambda: pooled)
    # Qiqihar (230200) is not the hukou pooling region Harbin (230100): 12 months there and 60 in
    # Beijing, no place with 10 years -> back to Tonghe
    d = pension_place(TONGHE, [(BEIJING, 60), ("230200", 12)], "230200")
    assert (d.region, d.rule) == (TONGHE, "place.back_to_hukou")
    # Harbin's own district is the hukou pooling region
    d = pension_place(TONGHE, [(BEIJING, 60), ("230102", 12)], "230102")
    assert (d.region, d.rule) == ("230102", "place.hukou")


def test_pooling_units_on_the_day_before_the_day_and_after() -> None:
    units = tr.PoolingUnits({"210000": D(2015, 1, 1)})
    assert units.since("210000") == D(2015, 1, 1)
    assert units.since("440000") == D(2021, 1, 1)  # rules().provincial_pooling_by
    assert [units.unit(SHENYANG, d) for d in (D(2014, 12, 31), D(2015, 1, 1), D(2015, 1, 2))] == [
        "210100", "210000", "210000"]
    assert [units.unit("440305", d) for d in (D(2020, 12, 31), D(2021, 1, 1), D(2021, 1, 2))] == [
        "440300", "440000", "440000"]
    # the municipalities are one unit throughout
    assert units.unit(BEIJING, D(1999, 1, 1)) == "110000"
    assert units.unit("500101", D(1999, 1, 1)) == "500000"
    # Shenyang and Dalian: two units the day before Liaoning pools, one from that day
    assert [units.same(SHENYANG, "210203", d) for d in (D(2014, 12, 31), D(2015, 1, 1),
                                                        D(2015, 1, 2))] == [False, True, True]
    assert units.same("440305", "440106", D(2020, 12, 31)) is False
    assert units.same("440305", "440106", D(2021, 1, 1)) is True
    assert units.same(SHENYANG, "440305", D(2022, 1, 1)) is False
    default = tr.PoolingUnits()
    assert default.provincial == {}
    assert default.unit(SHENYANG, D(2020, 12, 31)) == "210100"
    assert default.unit(SHENYANG, D(2021, 1, 1)) == "210000"
    with pytest.raises(InvalidInput) as err:
        default.unit("21010", D(2021, 1, 1))
    assert err.value.key == "region.format"


# --- paid months --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["base_fen", "account_fen", "employer_fen", "employee_fen"])
def test_a_paid_month_refuses_a_negative_amount(name: str) -> None:
    amounts = {"base_fen": 0, "account_fen": 0, "employer_fen": 0, "employee_fen": 0}
    assert PaidMonth(SHENYANG, M(201901), **amounts).base_fen == 0  # zero is an amount
    amounts[name] = -1
    with pytest.raises(InvalidInput) as err:
        PaidMonth(SHENYANG, M(201901), **amounts)
    assert (err.value.key, err.value.field, err.value.params) == ("amount.format", name, {"value": "-1"})


def test_a_paid_month_refuses_a_bad_region() -> None:
    with pytest.raises(InvalidInput) as err:
        PaidMonth("21010", M(201901), 1, 0, 0, 0)
    assert (err.value.key, err.value.field) == ("region.format", "region")


def test_a_stored_month_is_taken_as_it_was_recorded() -> None:
    m = PaidMonth.stored("21010", M(201901), -5, 11, 22, 33)
    assert (m.region, m.month, m.base_fen, m.account_fen, m.employer_fen, m.employee_fen) == (
        "21010", M(201901), -5, 11, 22, 33)
    assert type(m) is PaidMonth


# --- pooling fund: the 1998-01 start, since, rounding, repeats --------------------------------


@pytest.mark.parametrize(("month", "expected"), [
    (199712, []),                             # the month before 1998-01: nothing moves
    (199801, [(1998, 1, 500000, 60000)]),     # 1998-01: 5000.00 x 12% = 600.00
    (199802, [(1998, 1, 500000, 60000)]),     # the month after, alike
])
def test_pooling_month_before_at_and_after_1998_01(month: int, expected: list[tuple[int, ...]]) -> None:
    result = pooling_transfer([pm(SHENYANG, month, 500000)])
    assert [(y.year, y.months, y.base_total_fen, y.pooling_fen) for y in result.years] == expected
    assert result.total_fen == sum(e[3] for e in expected)


def test_pooling_has_no_cut_at_2010() -> None:
    # The measures took effect 2010-01-01, but the pooling part counts every month from 1998-01:
    # 2009-12: 5000.00 x 12% = 600.00; 2010-01..02: 10000.00 x 12% = 1200.00; total 1800.00
    result = pooling_transfer([pm(SHENYANG, 200912, 500000), pm(SHENYANG, 201001, 500000),
                               pm(SHENYANG, 201002, 500000)])
    assert [(y.year, y.months, y.base_total_fen, y.pooling_fen) for y in result.years] == [
        (2009, 1, 500000, 60000), (2010, 2, 1000000, 120000)]
    assert result.total_fen == 180000


def test_pooling_since_the_month_before_at_and_after() -> None:
    months = [pm(SHENYANG, 201606, 100000), pm(SHENYANG, 201607, 200000), pm(SHENYANG, 201608, 400000)]
    # since 2016-07: 2000.00 + 4000.00 = 6000.00 x 12% = 720.00
    assert [(y.months, y.base_total_fen, y.pooling_fen)
            for y in pooling_transfer(months, since=M(201607)).years] == [(2, 600000, 72000)]
    # since 2016-06: 7000.00 x 12% = 840.00; since 2016-08: 4000.00 x 12% = 480.00
    assert pooling_transfer(months, since=M(201606)).total_fen == 84000
    assert pooling_transfer(months, since=M(201608)).total_fen == 48000
    # since None: from 1998-01, all three
    assert pooling_transfer(months, since=None).total_fen == 84000
    # since 1997-06 is moved up to 1998-01: 1997-12 still out, 1998-01 in (3000.00 x 12% = 360.00)
    early = [pm(SHENYANG, 199712, 100000), pm(SHENYANG, 199801, 300000)]
    assert pooling_transfer(early, since=M(199706)).total_fen == 36000


def test_pooling_rounds_the_year_half_up() -> None:
    # 12% of a whole number of fen ends in .00, .04, ... .96 of a fen: never exactly half.
    # 4567.21 x 12% = 548.0652 -> 548.07 (0.52 fen, up); 4567.29 x 12% = 548.0748 -> 548.07 (0.48, down)
    assert pooling_transfer([pm(SHENYANG, 201901, 456721)]).total_fen == 54807
    assert pooling_transfer([pm(SHENYANG, 201901, 456729)]).total_fen == 54807
    # 0.21 x 12% = 0.0252 -> 0.03; 0.29 x 12% = 0.0348 -> 0.03
    assert pooling_transfer([pm(SHENYANG, 201901, 21)]).total_fen == 3
    assert pooling_transfer([pm(SHENYANG, 201901, 29)]).total_fen == 3


def test_pooling_same_month_in_two_pooling_regions_counts_twice() -> None:
    # Shenyang and Beijing both paid for 2019-05: 1000.00 + 2000.00 = 3000.00 x 12% = 360.00
    result = pooling_transfer([pm(SHENYANG, 201905, 100000), pm(BEIJING, 201905, 200000)])
    assert [(y.year, y.months, y.base_total_fen, y.pooling_fen) for y in result.years] == [
        (2019, 2, 300000, 36000)]
    # and the first row of a repeat in one region is the one kept: 1000.00 x 12% = 120.00
    kept = tr.unique_months([pm(BEIJING, 201905, 100000, account=1), pm("110108", 201905, 900000, account=2),
                             pm(SHENYANG, 201905, 5)])
    assert [(m.region, m.base_fen, m.account_fen) for m in kept] == [(BEIJING, 100000, 1), (SHENYANG, 5, 0)]


# --- individual account: rows, lines, the 1998 cut and this year ---------------------------------


def test_account_rows_carry_every_column() -> None:
    # 1999-01..02: base 500.00, employer 100.00, employee 40.00, account 40.00 a month.
    months = run(SHENYANG, 199901, 2, 50000, account=4000, employer=10000, employee=4000)
    result = account_transfer(months, rates({1999: "0.04", 2000: "0.05"}), 2000)
    # 1999: opening 0, no interest on nothing (0 x 4% = 0), credited 80.00 -> 80.00
    # 2000: this year: no interest yet, nothing new -> 80.00
    assert result.years == (
        tr.AccountYearRow(1999, 2, 100000, 20000, 8000, Decimal("0.2000"), Decimal("0.0800"),
                          Decimal("0.0800"), 0, 8000, Decimal("0.04"), 0, 8000),
        tr.AccountYearRow(2000, 0, 0, 0, 0, None, None, None, 8000, 0, Decimal("0.05"), None, 8000))
    assert (result.pre1998_fen, result.to_last_year_end_fen, result.this_year_principal_fen,
            result.account_fen, result.complete) == (0, 8000, 0, 8000, True)


def test_account_rates_are_rounded_half_up_to_four_places() -> None:
    # base 10,000,000.00: employer 1,000,500.00 = 0.10005 -> 0.1001 (half up);
    # employee 1,000,499.99 = 0.100049999 -> 0.1000; account 800,000.00 = 0.0800
    months = [pm(SHENYANG, 202001, 1_000_000_000, 80_000_000, 100_050_000, 100_049_999)]
    row = account_transfer(months, rates({}), 2020).years[0]
    assert (row.employer_rate, row.personal_rate, row.account_rate) == (
        Decimal("0.1001"), Decimal("0.1000"), Decimal("0.0800"))


@pytest.mark.parametrize(("month", "credited"), [(199712, 0), (199801, 4000), (199802, 4000)])
def test_account_month_before_at_and_after_1998_01(month: int, credited: int) -> None:
    # before 1998-01 a month is in the given pre-1998 balance, not counted again
    result = account_transfer([pm(SHENYANG, month, 50000, account=4000)], rates({}), 1998)
    assert result.account_fen == credited
    assert [(y.year, y.months, y.credited_fen) for y in result.years] == (
        [(1998, 1, credited)] if credited else [])


def test_account_with_only_a_pre1998_balance_starts_in_1998() -> None:
    # 1998: 1000.00 + 1000.00 x 5% = 50.00 -> 1050.00; 1999: 1050.00 x 4% = 42.00 -> 1092.00;
    # 2000: + 2 x 40.00 = 80.00 -> 1172.00 (this year, no interest yet)
    months = run(SHENYANG, 200001, 2, 50000, account=4000)
    result = account_transfer(months, rates({1998: "0.05", 1999: "0.04"}), 2000, 100000)
    assert result.years == (
        tr.AccountYearRow(1998, 0, 0, 0, 0, None, None, None, 100000, 0, Decimal("0.05"), 5000, 105000),
        tr.AccountYearRow(1999, 0, 0, 0, 0, None, None, None, 105000, 0, Decimal("0.04"), 4200, 109200),
        tr.AccountYearRow(2000, 2, 100000, 0, 0, Decimal("0.0000"), Decimal("0.0000"), Decimal("0.0800"),
                          109200, 8000, None, None, 117200))
    # lines: 1000.00; 1092.00 - 1000.00 = 92.00; 80.00; 1172.00
    assert (result.pre1998_fen, result.to_last_year_end_fen, result.this_year_principal_fen,
            result.account_fen) == (100000, 9200, 8000, 117200)
    # moved in 1998 itself: nothing past, the balance as given
    alone = account_transfer([], rates({}), 1998, 100000)
    assert [(y.year, y.opening_fen, y.interest_fen, y.closing_fen) for y in alone.years] == [
        (1998, 100000, None, 100000)]
    assert (alone.to_last_year_end_fen, alone.this_year_principal_fen, alone.account_fen) == (0, 0, 100000)


def test_account_last_year_end_is_the_last_past_year() -> None:
    # 100.00 credited in each of 2015, 2016, 2017; no rates known: year ends 100.00, 200.00,
    # 300.00; moved in 2018 with nothing new: 300.00 to last year end, none this year
    months = [pm(SHENYANG, 201501, 50000, 10000), pm(SHENYANG, 201601, 50000, 10000),
              pm(SHENYANG, 201701, 50000, 10000)]
    result = account_transfer(months, rates({}), 2018)
    assert [y.closing_fen for y in result.years] == [10000, 20000, 30000, 30000]
    assert (result.to_last_year_end_fen, result.this_year_principal_fen, result.account_fen) == (30000, 0, 30000)


def test_account_moved_in_its_first_year() -> None:
    # everything in through_year: no past year end, the lines are 0 / 0 / 80.00 / 80.00
    result = account_transfer(run(SHENYANG, 202401, 2, 50000, account=4000), rates({}), 2024)
    assert (result.pre1998_fen, result.to_last_year_end_fen, result.this_year_principal_fen,
            result.account_fen) == (0, 0, 8000, 8000)


def test_account_refuses_a_negative_pre1998_balance() -> None:
    with pytest.raises(InvalidInput) as err:
        account_transfer([], rates({}), 2024, -1)
    assert (err.value.key, err.value.field, err.value.params) == ("amount.format", "amount", {"value": "-1"})


@pytest.mark.parametrize("func", [
    lambda months: account_transfer(months, rates({}), 2018),
    lambda months: temporary_account_total(months, rates({}), 2018),
])
def test_no_month_after_the_year_of_the_move(func: Callable[[list[PaidMonth]], object]) -> None:
    func([pm(SHENYANG, 201811, 50000), pm(SHENYANG, 201812, 50000)])  # the year's last month: fine
    with pytest.raises(InvalidInput) as err:
        func([pm(SHENYANG, 201812, 50000), pm(SHENYANG, 201901, 50000)])
    assert (err.value.key, err.value.field, err.value.params) == (
        "month.future", "month", {"value": "2019-01", "current": "2018-12"})


def test_years_without_interest() -> None:
    # 2015 empty start; 2016 credited 4800.00; no rates known: 2017 held 4800.00 without interest;
    # 2018 is the year of the move (no interest expected yet); 2016 opened at 0.
    months = run(SHENYANG, 201601, 12, 500000, account=40000)
    account = account_transfer(months, rates({}), 2018)
    assert tr.years_without_interest(account, 2018) == (2017,)
    assert not account.complete
    known = account_transfer(months, rates({2017: "0.0712"}), 2018)
    assert tr.years_without_interest(known, 2018) == ()
    assert known.complete


def test_years_text_more() -> None:
    assert years_text([1999, 2001]) == "1999, 2001"
    assert years_text([2000, 2000, 2001]) == "2000-2001"
    assert years_text([2003, 2002, 2001, 2000]) == "2000-2003"


# --- temporary account ------------------------------------------------------------------------


def test_temporary_account_keeps_months_before_1998_and_drops_repeats() -> None:
    # 1997-12: employer 10.00 + employee 4.00 = 14.00; 1998: no rate known, the year of the move
    months = [pm(SHENYANG, 199712, 0, employer=1000, employee=400)]
    assert temporary_account_total(months, rates({}), 1998) == 1400
    # the same 2020-01 in two Beijing districts counts once, the first: 1.00 + 0.50 = 1.50
    dup = [pm(BEIJING, 202001, 0, employer=100, employee=50), pm("110108", 202001, 0, employer=999, employee=999)]
    assert temporary_account_total(dup, rates({}), 2020) == 150
    # 2018: 12 x (100.00 + 50.00) = 1800.00; 2019: 1800.00 x 10% = 180.00 -> 1980.00; 2020 (move)
    year = run(SHENYANG, 201801, 12, 0, employer=10000, employee=5000)
    assert temporary_account_total(year, rates({2019: "0.10", 2020: "0.50"}), 2020) == 198000
    # money in each year: 2018-12 150.00; 2019: 150.00 x 10% = 15.00, + 150.00 -> 315.00;
    # 2020 (the move): + 150.00 -> 465.00
    each = [pm(SHENYANG, m, 0, employer=10000, employee=5000) for m in (201812, 201912, 202012)]
    assert temporary_account_total(each, rates({2019: "0.10"}), 2020) == 46500


# --- information table lines ---------------------------------------------------------------------


def test_information_lines_add_up_to_the_known_amounts() -> None:
    # account: 1000.00 before 1998; 572.00 to last year end; 120.00 this year -> 1692.00
    # pooling: 1999: 12 x 500.00 = 6000.00 x 12% = 720.00; 2000: 3 x 500.00 = 1500.00 x 12% = 180.00
    months = run(SHENYANG, 199901, 12, 50000, account=4000) + run(SHENYANG, 200001, 3, 50000, account=4000)
    account = account_transfer(months, rates({1998: "0.05", 1999: "0.04"}), 2000, 100000)
    lines = information_lines(account, pooling_transfer(months))
    # total = 1692.00 + 900.00 = 2592.00
    assert lines == tr.InfoLines(100000, 57200, 12000, 169200, 90000, 259200)
    assert lines.check() is True
    assert replace(lines, pre1998_fen=99999).check() is False
    assert replace(lines, this_year_principal_fen=12001).check() is False
    assert replace(lines, account_fen=169201).check() is False
    assert replace(lines, pooling_fen=90001).check() is False


# --- temporary account decision: the age limits, day and month around the birthday -------------


@pytest.mark.parametrize(("on", "age", "temporary"), [
    (D(2025, 5, 15), 49, False),   # the month before the 50th birthday
    (D(2025, 6, 14), 49, False),   # the day before
    (D(2025, 6, 15), 50, True),    # the birthday
    (D(2025, 6, 16), 50, True),    # the day after
    (D(2025, 7, 15), 50, True),    # the month after
])
def test_man_around_his_fiftieth_birthday(on: dt.date, age: int, temporary: bool) -> None:
    d = needs_temporary_account("M", D(1975, 6, 15), on, TONGHE, SHENYANG, BEIJING)
    rule = "temporary.age_other_province" if temporary else "normal.under_age"
    assert (d.temporary, d.rule, d.age, d.age_limit, d.hukou_province, d.to_province) == (
        temporary, rule, age, 50, "230000", "110000")
    assert d.params() == {"age": age, "limit": 50, "hukou_province": "230000", "to_province": "110000"}


@pytest.mark.parametrize(("on", "age", "temporary"), [
    (D(2025, 2, 10), 39, False),   # the month before the 40th birthday
    (D(2025, 3, 9), 39, False),    # the day before
    (D(2025, 3, 10), 40, True),    # the birthday
    (D(2025, 3, 11), 40, True),    # the day after
    (D(2025, 4, 10), 40, True),    # the month after
])
def test_woman_around_her_fortieth_birthday(on: dt.date, age: int, temporary: bool) -> None:
    d = needs_temporary_account("F", D(1985, 3, 10), on, TONGHE, SHENYANG, BEIJING)
    assert (d.temporary, d.age, d.age_limit) == (temporary, age, 40)


def test_the_limit_follows_the_sex() -> None:
    # a man of 45 is under his limit of 50; a woman of 45 is over hers of 40
    man = needs_temporary_account("M", D(1980, 1, 1), D(2025, 1, 1), TONGHE, SHENYANG, BEIJING)
    assert (man.temporary, man.rule, man.age, man.age_limit) == (False, "normal.under_age", 45, 50)
    woman = needs_temporary_account("F", D(1980, 1, 1), D(2025, 1, 1), TONGHE, SHENYANG, BEIJING)
    assert (woman.temporary, woman.rule, woman.age, woman.age_limit) == (
        True, "temporary.age_other_province", 45, 40)


def test_the_order_of_the_exceptions() -> None:
    born, on = D(1970, 1, 1), D(2025, 5, 1)  # a man of 55
    # back to the hukou province, approved too: the hukou rule is named
    back = needs_temporary_account("M", born, on, TONGHE, BEIJING, "230102", approved=True)
    assert (back.temporary, back.rule, back.hukou_province, back.to_province) == (
        False, "normal.back_to_hukou_province", "230000", "230000")
    # approved inside another province: the approval is named
    inside = needs_temporary_account("M", born, on, TONGHE, SHENYANG, "210200", approved=True)
    assert (inside.temporary, inside.rule) == (False, "normal.approved")
    # under age inside another province: the province rule comes first
    young = needs_temporary_account("M", D(1990, 1, 1), on, TONGHE, SHENYANG, "210200")
    assert (young.temporary, young.rule, young.age) == (False, "normal.within_province", 35)


def test_moves_inside_a_province_count_when_the_rule_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    every_move = replace(rules(), temporary_cross_province_only=False)
    monkeypatch.setattr(tr, "rules", lambda: every_move)
    d = needs_temporary_account("M", D(1970, 1, 1), D(2025, 5, 1), TONGHE, SHENYANG, "210200")
    assert (d.temporary, d.rule) == (True, "temporary.age_other_province")


def test_temporary_decision_bad_input() -> None:
    with pytest.raises(InvalidInput) as err:
        needs_temporary_account("X", D(1970, 1, 1), D(2025, 1, 1), TONGHE, SHENYANG, BEIJING)
    assert (err.value.key, err.value.field) == ("sex.format", "sex")
    with pytest.raises(InvalidInput) as err:
        needs_temporary_account("M", D(2025, 1, 2), D(2025, 1, 1), TONGHE, SHENYANG, BEIJING)
    assert (err.value.key, err.value.field, err.value.params) == (
        "id.birth_future", "birth_date", {"value": "2025-01-02"})
    # born on the day of the move: age 0, not refused
    d = needs_temporary_account("F", D(2025, 1, 1), D(2025, 1, 1), TONGHE, SHENYANG, BEIJING)
    assert (d.temporary, d.age) == (False, 0)


def test_age_on_the_day_before_the_birthday_and_after() -> None:
    born = D(1975, 6, 15)
    assert [age_on(born, d) for d in (D(2025, 5, 15), D(2025, 6, 14), D(2025, 6, 15), D(2025, 6, 16),
                                      D(2025, 7, 15), D(2025, 12, 31), D(2026, 1, 1))] == [
        49, 49, 50, 50, 50, 50, 50]
    assert age_on(born, born) == 0
    assert age_on(D(1976, 2, 29), D(2026, 2, 28)) == 49  # 29 February: from 1 March
    assert age_on(D(1976, 2, 29), D(2028, 2, 29)) == 52


# --- where the pension is paid: the 10-year boundary -------------------------------------------


@pytest.mark.parametrize(("months", "region", "rule"), [
    (119, TONGHE, "place.back_to_hukou"),       # 9 years 11 months
    (120, BEIJING, "place.current_10_years"),   # 10 years
    (121, BEIJING, "place.current_10_years"),   # 10 years 1 month
])
def test_ten_years_at_the_current_place(months: int, region: str, rule: str) -> None:
    d = pension_place(TONGHE, [(SHENYANG, 12), (BEIJING, months)], BEIJING)
    assert (d.region, d.rule, d.months["110000"]) == (region, rule, months)


@pytest.mark.parametrize(("months", "region", "rule", "years"), [
    (119, TONGHE, "place.back_to_hukou", Decimal("9.91")),        # 119 / 12 = 9.9166.. -> 9.91
    (120, SHENYANG, "place.previous_10_years", Decimal("10.00")),
    (121, SHENYANG, "place.previous_10_years", Decimal("10.08")),  # 121 / 12 = 10.0833.. -> 10.08
    (125, SHENYANG, "place.previous_10_years", Decimal("10.41")),  # 125 / 12 = 10.4166.. -> 10.41
    (131, SHENYANG, "place.previous_10_years", Decimal("10.91")),  # 131 / 12 = 10.9166.. -> 10.91
])
def test_ten_years_at_a_previous_place(months: int, region: str, rule: str, years: Decimal) -> None:
    d = pension_place(TONGHE, [(SHENYANG, months), (BEIJING, 12)], BEIJING)
    assert (d.region, d.rule, d.years["210000"], d.years["110000"]) == (region, rule, years, Decimal("1.00"))


def test_the_current_place_with_no_months_yet() -> None:
    d = pension_place(TONGHE, [(SHENYANG, 60)], BEIJING)
    assert (d.region, d.rule) == (TONGHE, "place.back_to_hukou")
    assert dict(d.months) == {"210000": 60, "110000": 0}
    assert dict(d.years) == {"210000": Decimal("5.00"), "110000": Decimal("0.00")}


def test_the_hukou_place_pays_whatever_the_years_elsewhere() -> None:
    d = pension_place(TONGHE, [(SHENYANG, 200), ("230102", 1)], "230102")
    assert (d.region, d.rule) == ("230102", "place.hukou")


def test_deemed_months_only_with_no_paid_history() -> None:
    # 120 deemed months in Shenyang, nothing paid yet: Liaoning has 10 years
    d = pension_place(TONGHE, [], BEIJING, deemed={SHENYANG: 120})
    assert (d.region, d.rule) == (SHENYANG, "place.previous_10_years")
    assert dict(d.months) == {"210000": 120, "110000": 0}


def test_deemed_months_in_two_codes_of_one_province_keep_the_first_code() -> None:
    # Shenzhen 60 + Guangzhou 60 deemed = 120 in Guangdong; no paid month there: the first code
    d = pension_place(TONGHE, [(SHENYANG, 12), (BEIJING, 12)], BEIJING, deemed={"440305": 60, "440106": 60})
    assert (d.region, d.rule, d.months["440000"]) == ("440305", "place.previous_10_years", 120)
    # paid months there later: the last paid code
    d = pension_place(TONGHE, [("440106", 1), (BEIJING, 12)], BEIJING, deemed={"440305": 119})
    assert (d.region, d.rule, d.months["440000"]) == ("440106", "place.previous_10_years", 120)


def test_a_deemed_place_also_paid_later_takes_its_paid_position() -> None:
    # Guangdong 120 paid first, then Liaoning 12 paid + 120 deemed, then Beijing: Liaoning is the
    # latest place with 10 years, though its deemed months came first.
    d = pension_place(TONGHE, [("440305", 120), (SHENYANG, 12), (BEIJING, 12)], BEIJING,
                      deemed={SHENYANG: 120})
    assert (d.region, d.rule, d.months["210000"]) == (SHENYANG, "place.previous_10_years", 132)


def test_pension_place_bad_input() -> None:
    with pytest.raises(InvalidInput) as err:
        pension_place("23012", [(SHENYANG, 12)], BEIJING)
    assert (err.value.key, err.value.field) == ("region.format", "hukou_region")
    with pytest.raises(InvalidInput) as err:
        pension_place(TONGHE, [(SHENYANG, -1)], BEIJING)
    assert (err.value.key, err.value.field) == ("amount.format", "month")
    with pytest.raises(InvalidInput) as err:
        pension_place(TONGHE, [(SHENYANG, 1)], BEIJING, deemed={SHENYANG: -1})
    assert (err.value.key, err.value.field) == ("amount.format", "month")
    # zero months is a number of months
    assert pension_place(TONGHE, [(SHENYANG, 0)], BEIJING, deemed={SHENYANG: 0}).months["210000"] == 0


# --- employees' -> residents' scheme: the 15-year boundary and the refunds ----------------------


@pytest.mark.parametrize(("count", "allowed", "rule"), [
    (179, True, "resident.allowed"),            # 14 years 11 months
    (180, False, "resident.15_years_or_more"),  # 15 years
    (181, False, "resident.15_years_or_more"),  # 15 years 1 month
])
def test_employee_to_resident_around_fifteen_years(count: int, allowed: bool, rule: str) -> None:
    months = [M(200001).add(i) for i in range(count)]
    r = employee_to_resident(True, months, {}, 100000)
    assert (r.allowed, r.rule, r.employee_months) == (allowed, rule, count)
    if allowed:
        assert (r.account_moved_fen, r.merged_months, r.overlap_months, r.refund_fen) == (100000, 179, 0, 0)
    else:
        assert (r.account_moved_fen, r.merged_months, r.overlap_months, r.refund_fen, dict(r.refunds)) == (
            0, 0, 0, 0, {})


def test_employee_to_resident_before_retirement_whatever_the_years() -> None:
    for count in (12, 180):
        r = employee_to_resident(False, [M(200001).add(i) for i in range(count)], {2000: 100}, 100000)
        assert (r.allowed, r.rule, r.account_moved_fen, r.merged_months, r.overlap_months,
                r.refund_fen, r.employee_months, dict(r.refunds)) == (
            False, "resident.before_retirement", 0, 0, 0, 0, count, {})


def test_employee_to_resident_refunds_half_a_fen_up() -> None:
    # 0.06 x 1 / 12 = 0.005 -> 0.01 (half up); 0.05 x 1 / 12 = 0.00416.. -> 0.00;
    # 0.07 x 1 / 12 = 0.00583.. -> 0.01
    r = employee_to_resident(True, [M(201501), M(201601), M(201701)], {2015: 6, 2016: 5, 2017: 7}, 0)
    assert dict(r.refunds) == {2015: 1, 2016: 0, 2017: 1}
    assert (r.refund_fen, r.overlap_months, r.merged_months) == (2, 3, 36)
    # 0.18 x 1 / 12 = 0.015 -> 0.02 (half up)
    assert employee_to_resident(True, [M(201501)], {2015: 18}, 0).refunds == {2015: 2}
    # 0.30 x 1 / 12 = 0.025 -> 0.03 (half up; half-even would give 0.02)
    assert employee_to_resident(True, [M(201501)], {2015: 30}, 0).refunds == {2015: 3}


def test_employee_to_resident_years_without_overlap_and_bad_amounts() -> None:
    # employee 2014-11..2015-02 (4 months); residents' 2013 (no overlap, 12 months) and 2015
    # (2 overlapping months, 10 resident months): merged 4 + 12 + 10 = 26; refund 1200.00 x 2 / 12 = 200.00
    months = [M(201411), M(201412), M(201501), M(201502)]
    r = employee_to_resident(True, months, {2015: 120000, 2013: 50000}, 999)
    assert (r.allowed, r.account_moved_fen, r.merged_months, r.overlap_months, r.refund_fen,
            r.employee_months, dict(r.refunds)) == (True, 999, 26, 2, 20000, 4, {2015: 20000})
    with pytest.raises(InvalidInput) as err:
        employee_to_resident(True, months, {}, -1)
    assert (err.value.key, err.value.field) == ("amount.format", "amount")
    with pytest.raises(InvalidInput) as err:
        employee_to_resident(True, months, {2015: -1}, 0)
    assert (err.value.key, err.value.field) == ("amount.format", "amount")


# --- medical, unemployment, duplicates, office steps -------------------------------------------


def test_medical_years_more() -> None:
    assert medical_years({}) == 0
    assert medical_years({"110000": 0}) == 0
    with pytest.raises(InvalidInput) as err:
        medical_years({"110000": 3, "210100": -1})
    assert (err.value.key, err.value.field) == ("amount.format", "month")


@pytest.mark.parametrize(("paid", "months"), [
    (0, 0), (11, 0), (12, 12), (13, 12),      # 1 year: the month before, at, after
    (59, 12), (60, 18), (61, 18),             # 5 years
    (119, 18), (120, 24), (121, 24),          # 10 years
])
def test_unemployment_around_each_step(paid: int, months: int) -> None:
    assert unemployment_benefit_months(paid) == months


def test_unemployment_refuses_negative_months() -> None:
    with pytest.raises(InvalidInput) as err:
        unemployment_benefit_months(-1)
    assert (err.value.key, err.value.field, err.value.params) == ("amount.format", "month", {"value": "-1"})


def test_duplicate_months_more() -> None:
    assert duplicate_months([]) == []
    # the same pooling region twice (two Beijing districts) is no duplicate; three regions are
    rows = [(BEIJING, M(201905)), ("110108", M(201905)), ("440305", M(201906)), (SHENYANG, M(201906)),
            (BEIJING, M(201906))]
    assert duplicate_months(rows) == [(M(201906), ("110000", "210100", "440300"))]


def test_step_due_asks_the_calendar_for_fifteen_working_days_a_step() -> None:
    asked: list[object] = []

    class Recording(WorkCalendar):
        def add_workdays(self, start: dt.date, n: int) -> DueDate:
            asked.append(n)
            return DueDate(start, False)

    for steps in (1, 2, 3):
        step_due(D(2025, 3, 3), steps, Recording())
    assert asked == [15, 30, 45]  # 1 x 15, 2 x 15, 3 x 15: whole days
    assert all(type(n) is int for n in asked)


def test_step_due_counts_fifteen_working_days_per_step() -> None:
    # From Monday 2025-03-03, weekends off: 4..7 (4), 10..14 (9), 17..21 (14), 24 (15)
    assert step_due(D(2025, 3, 3), 1, WorkCalendar()).date == D(2025, 3, 24)
    # the calendar given is the one used: with 2025-03-10 a holiday, the 15th day is the 25th
    holiday = WorkCalendar([(D(2025, 3, 10), "holiday")])
    assert step_due(D(2025, 3, 3), 1, holiday).date == D(2025, 3, 25)
    # two steps, 30 days: ... 24 (15), 25..28 (19), 31 (20), Apr 1..3 (23); 4..6 Qingming off;
    # 7..11 (28), 14, 15 (30)
    assert step_due(D(2025, 3, 3), 2, WorkCalendar()).date == D(2025, 4, 15)
    # the default: one step on the shipped calendar
    assert step_due(D(2025, 3, 3)).date == D(2025, 3, 24)


# --- retirement: groups, the rise from 2025, flexible range, minimum months ---------------------


def test_retirement_group_by_sex_and_stored_group() -> None:
    assert [tr.retirement_group("M", g) for g in (None, "", "60", "55", "50")] == ["male"] * 5
    assert [tr.retirement_group("F", g) for g in (None, "", "60", "55", "50")] == [
        "female50", "female50", "female50", "female55", "female50"]
    with pytest.raises(InvalidInput) as err:
        tr.retirement_group("X", None)
    assert (err.value.key, err.value.field) == ("sex.format", "sex")
    with pytest.raises(InvalidInput) as err:
        tr.retirement_group("M", "65")
    assert (err.value.key, err.value.field, err.value.params) == (
        "retirement.group", "retirement_group", {"value": "65"})


@pytest.mark.parametrize(("group", "born", "expected"), [
    # men 60: the first delayed birth month 1965-01; the month before, it, the month after
    ("male", D(1964, 12, 10), D(2024, 12, 10)),   # 60
    ("male", D(1965, 1, 10), D(2025, 2, 10)),     # 0 // 4 + 1 = 1 month
    ("male", D(1965, 2, 10), D(2025, 3, 10)),     # 1 // 4 + 1 = 1
    ("male", D(1965, 4, 10), D(2025, 5, 10)),     # 3 // 4 + 1 = 1
    ("male", D(1965, 5, 10), D(2025, 7, 10)),     # 4 // 4 + 1 = 2
    # the cap of 36 months: 1976-08 is 139 months in: 139 // 4 + 1 = 35; 1976-09: 140 // 4 + 1 = 36;
    # 1976-10: 141 // 4 + 1 = 36; 1977-01: 144 // 4 + 1 = 37 -> 36
    ("male", D(1976, 8, 1), D(2039, 7, 1)),
    ("male", D(1976, 9, 1), D(2039, 9, 1)),
    ("male", D(1976, 10, 1), D(2039, 10, 1)),
    ("male", D(1977, 1, 1), D(2040, 1, 1)),
    # women 55 from 1970-01
    ("female55", D(1969, 12, 20), D(2024, 12, 20)),
    ("female55", D(1970, 1, 20), D(2025, 2, 20)),
    ("female55", D(1970, 2, 20), D(2025, 3, 20)),
    # women 50 from 1975-01, 1 month per 2 birth months, cap 60: 1984-11 is 118 months in:
    # 118 // 2 + 1 = 60; 1984-10: 117 // 2 + 1 = 59; 1984-12: 119 // 2 + 1 = 60;
    # 1985-01: 120 // 2 + 1 = 61 -> 60
    ("female50", D(1974, 12, 3), D(2024, 12, 3)),
    ("female50", D(1975, 1, 3), D(2025, 2, 3)),
    ("female50", D(1975, 2, 3), D(2025, 3, 3)),
    ("female50", D(1975, 3, 3), D(2025, 5, 3)),    # 2 // 2 + 1 = 2
    ("female50", D(1984, 10, 3), D(2039, 9, 3)),   # 50y + 59 months
    ("female50", D(1984, 11, 3), D(2039, 11, 3)),  # 55
    ("female50", D(1984, 12, 3), D(2039, 12, 3)),
    ("female50", D(1985, 1, 3), D(2040, 1, 3)),
])
def test_retirement_date_around_the_first_delayed_month_and_the_cap(
        group: str, born: dt.date, expected: dt.date) -> None:
    assert tr.retirement_date(group, born) == expected


def test_retirement_date_on_a_month_end_birthday() -> None:
    # born 1965-01-31: 60 years and 1 month -> 2025-02, which has 28 days
    assert tr.retirement_date("male", D(1965, 1, 31)) == D(2025, 2, 28)
    # born 1976-02-29, women 50: 13 // 2 + 1 = 7 months -> 2026-09-29
    assert tr.retirement_date("female50", D(1976, 2, 29)) == D(2026, 9, 29)


@pytest.mark.parametrize("func", [tr.retirement_date, tr.original_retirement_date])
def test_retirement_refuses_an_unknown_group(func: Callable[[str, dt.date], dt.date]) -> None:
    with pytest.raises(InvalidInput) as err:
        func("female45", D(1980, 1, 1))
    assert (err.value.key, err.value.field, err.value.params) == (
        "retirement.group", "group", {"value": "female45"})


def test_original_retirement_date() -> None:
    assert tr.original_retirement_date("male", D(1970, 5, 31)) == D(2030, 5, 31)
    assert tr.original_retirement_date("female55", D(1972, 2, 29)) == D(2027, 2, 28)
    assert tr.original_retirement_date("female50", D(1984, 11, 3)) == D(2034, 11, 3)


def test_add_months_across_year_ends_and_month_ends() -> None:
    add = tr._add_months
    assert add(D(2024, 12, 15), 1) == D(2025, 1, 15)
    assert add(D(2025, 1, 15), -1) == D(2024, 12, 15)
    assert add(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add(D(2023, 1, 31), 1) == D(2023, 2, 28)
    assert add(D(2024, 3, 31), -1) == D(2024, 2, 29)
    assert add(D(2024, 5, 31), 1) == D(2024, 6, 30)
    assert add(D(2024, 11, 30), 0) == D(2024, 11, 30)
    assert add(D(2024, 11, 30), 13) == D(2025, 12, 30)


def test_flexible_range() -> None:
    # man born 1970-05-10: 64 months after 1965-01: 64 // 4 + 1 = 17 months -> 61y5m = 2031-10-10;
    # earliest: 36 months before = 2028-10-10, but not before 60 = 2030-05-10; latest 2034-10-10
    assert tr.flexible_range("male", D(1970, 5, 10)) == (D(2030, 5, 10), D(2034, 10, 10))
    # woman (50) born 1984-11-03: statutory 55 = 2039-11-03; 36 months before = 2036-11-03 is
    # after 50 = 2034-11-03; latest 2042-11-03
    assert tr.flexible_range("female50", D(1984, 11, 3)) == (D(2036, 11, 3), D(2042, 11, 3))


@pytest.mark.parametrize(("year", "months"), [
    (2029, 180), (2030, 186), (2031, 192),   # from 2030: 180 + 6 x (year - 2030 + 1)
    (2038, 234), (2039, 240), (2040, 240),   # 180 + 6 x 10 = 240, the cap; 2040: 246 -> 240
])
def test_minimum_months_around_2030_and_the_cap(year: int, months: int) -> None:
    assert tr.minimum_months(year) == months
