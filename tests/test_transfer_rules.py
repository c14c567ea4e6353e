"""Transfers between pooling regions: worked examples computed by hand, and properties."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from math import floor

import pytest
from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core import transfer_rules as tr
from desktop.core.errors import InvalidInput
from desktop.core.month import Month
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
from desktop.core.workdays import WorkCalendar

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

_months = st.lists(
    st.builds(pm, st.sampled_from([SHENYANG, BEIJING, "440305"]),
              st.integers(1995, 2024).flatmap(lambda y: st.integers(1, 12).map(
                  lambda m: y * 100 + m)),
              st.integers(0, 5_000_000), st.integers(0, 500_000), st.integers(0, 1_000_000),
              st.integers(0, 500_000)),
    max_size=40)


@settings(max_examples=examples(60))
@given(_months)
def test_pooling_properties(months: list[PaidMonth]) -> None:
    result = pooling_transfer(months)
    assert result.total_fen == sum(y.pooling_fen for y in result.years)
    share = Fraction(str(rules().pooling_share))
    for y in result.years:
        assert y.pooling_fen == floor(Fraction(y.base_total_fen) * share + Fraction(1, 2))
        assert y.pooling_fen >= 0 and y.year >= 1998


@settings(max_examples=examples(40))
@given(_months, st.integers(0, 1_000_000),
       st.dictionaries(st.integers(1998, 2024), st.decimals("0", "0.1", places=4)))
def test_account_properties(months: list[PaidMonth], pre1998: int,
                            table: dict[int, Decimal]) -> None:
    result = account_transfer(months, table.get, 2024, pre1998)
    lines = information_lines(result, pooling_transfer(months))
    assert lines.check()
    assert min(result.to_last_year_end_fen, result.this_year_principal_fen,
               result.account_fen, lines.total_fen) >= 0
    assert all(y.closing_fen >= 0 and (y.interest_fen or 0) >= 0 for y in result.years)
    temp = temporary_account_total(months, table.get, 2024)
    assert temp >= 0


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
