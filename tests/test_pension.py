"""The pension estimate (养老金测算): a hand-computed example to the fen, the divisor table, scenarios,
refusals, the printed sheet and the command line.

Every expected amount is worked out here with plain Decimal from the figures the test enters; the
code under test is never asked for an expected value.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from conftest import EMPLOYER, PROVINCE
from sqlalchemy import select
from stdnum.cn import ric
from test_cli import office, run
from test_transfer_chain import pdf_text

from desktop.core import pension_rules as rules
from desktop.core.errors import InvalidInput, RefusedByRule
from desktop.core.ledger import Ledger
from desktop.core.store.models import AverageWage, OfficeSetting, Worker

__all__ = ["office"]
CENT = Decimal("0.01")
_BODY = "36010219670510001"  # a man (odd 17th digit) born 1967-05-10
WANG = _BODY + ric.calc_check_digit(_BODY + "0")


def fen(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def _office_data(ledger: Ledger) -> None:
    """Average wages 2024 6000 (fixture), 2025 6400, 2026 7200; the 2026 calculation base 8000; the
    transitional coefficient 1.2%; the 2025 crediting rate 1.5% (figures for the test)."""
    ledger.reference.set_wage(PROVINCE, 2025, "6400")
    ledger.reference.set_wage(PROVINCE, 2026, "7200")
    ledger.reference.set_interest(2025, "0.015")
    ledger.pensions.set_base(PROVINCE, 2026, "8000")
    ledger.pensions.set_transitional(PROVINCE, "0.012")


@pytest.fixture
def wang(ledger: Ledger) -> str:
    """A man born 1967-05-10 (retires at 60y8m on 2028-01-10): deemed years 1985-01..1997-12 (156
    months), paid 2024-01..2025-12 on 8000 and 2026-01..2026-10 on 9000 at Nanchang."""
    _office_data(ledger)
    ledger.workers.register_citizen(WANG, "王建国", "360102", "urban")
    ledger.records.add_opening(WANG, "deemed", "360100", "1985-01", "1997-12", "赣劳人〔1998〕档案")
    for year, months, wage in ((2024, 12, "8000"), (2025, 12, "8000"), (2026, 10, "9000")):
        for m in range(1, months + 1):
            ledger.contributions.record(WANG, EMPLOYER, f"{year}-{m:02d}", wage, "pension")
    return WANG


def test_the_estimate_reproduces_a_hand_computed_example_to_the_fen(ledger: Ledger, wang: str) -> None:
    e = ledger.pensions.estimate(wang, growth="0.05", interest="0.02", base_ratio="1.0")
    g, r = Decimal("0.05"), Decimal("0.02")
    # retirement: births from 1965-01 retire 1 month later per 4 months: (1967-05 - 1965-01) = 28 months
    # -> 28 // 4 + 1 = 8 months -> 60 years 8 months: 2028-01-10
    assert e.retirement_date == dt.date(2028, 1, 10) and e.retirement_age_months == 728
    # months: 156 deemed + 34 paid + projected 2026-11 .. 2027-12 (14) = 204
    assert (e.record_months, e.projected_months, e.months_counted) == (190, 14, 204)
    # calculation base 2028 projected from 2026: 8000 x 1.05^2 = 8820.00
    base = fen(Decimal(8000) * (1 + g) ** 2)
    assert base == Decimal("8820.00") and e.calc_base == base and e.calc_base_projected
    # index: 2024 96000/6000 = 16; 2025 96000/6400 = 15; 2026 90000/7200 = 12.5; deemed 156 x 1.0;
    # projected 14 x 1.0 -> 213.5 / 204 = 1.04656... -> 1.0466 (4 decimals, half up)
    index = ((Decimal(16) + 15 + Decimal("12.5") + 156 + 14) / 204).quantize(Decimal("0.0001"), ROUND_HALF_UP)
    assert index == Decimal("1.0466") and e.average_index == index
    indexed = fen(base * index)  # 9231.01
    assert e.indexed_wage == indexed == Decimal("9231.01")
    # basic = (8820 + 9231.01) / 2 x 204/12 x 1%
    basic = fen((base + indexed) * 204 * Decimal("0.01") / 24)
    assert e.basic == basic == Decimal("1534.34")
    # the account: 8% of the base; 2024 12 x 640 = 7680; 2025 interest 7680 x 1.5% = 115.20, + 7680
    # -> 15475.20; 2026 so far 10 x 720 = 7200
    assert e.account_balance_now == Decimal("15475.20") + Decimal("7200.00")
    # projected: 2026 interest 15475.20 x 2% = 309.50 (309.504), + 7200 + 2 x (7200 x 8% = 576)
    b2026 = (Decimal("15475.20") + fen(Decimal("15475.20") * r) + Decimal("7200.00")
             + 2 * fen(Decimal(7200) * Decimal("0.08")))
    # 2027: wage 7200 x 1.05 = 7560; 12 x 604.80; interest on the 2026 closing
    w2027 = fen(Decimal(7200) * (1 + g))
    b2027 = b2026 + fen(b2026 * r) + 12 * fen(w2027 * Decimal("0.08"))
    # 2028: retiring in January, no month of interest, no contribution
    assert e.account_balance == b2027 == Decimal("31877.03")
    assert e.scenario("keep").balance_path == ((2026, b2026), (2027, b2027), (2028, b2027))
    # divisor at 60 years 8 months, interpolated: 139 + (132 - 139) x 8/12 = 134.333 -> 134.3
    assert (e.divisor, e.divisor_source) == (Decimal("134.3"), "interpolated")
    account = fen(b2027 / Decimal("134.3"))
    assert e.account_pension == account == Decimal("237.36")
    # transitional: 9231.01 x 156/12 x 1.2%
    transitional = fen(indexed * 156 * Decimal("0.012") / 12)
    assert e.transitional == transitional == Decimal("1440.04")
    assert e.total == basic + account + transitional == Decimal("3211.74")
    assert (e.growth, e.interest, e.base_ratio) == (g, r, Decimal("1.0"))
    assert any("插值" in n for n in e.notes) and any("按1.0计" in n for n in e.notes)
    assert any("2028年计发基数尚未录入" in n for n in e.notes)


def test_scenarios_side_by_side(ledger: Ledger, wang: str) -> None:
    e = ledger.pensions.estimate(wang, growth="0.05", interest="0.02")
    names = [s.name for s in e.scenarios]
    assert names == ["keep", "move", "stop", "flexible_60", "flexible_100", "flexible_300"]
    keep, move, stop = e.scenario("keep"), e.scenario("move"), e.scenario("stop")
    assert keep.total == e.total and keep.label == "在本地继续缴费"
    assert (move.total, move.months_counted) == (keep.total, keep.months_counted)
    # 14 months at the new place: under 10 years there; the 156 deemed + 34 months in Jiangxi (the
    # hukou province) make it the pension place again
    assert (move.place_region, move.place_rule) == ("360100", "place.previous_10_years")
    assert stop.months_counted == 190 and stop.qualifies and e.minimum_months == 180  # 2028: 15 years
    assert stop.total < e.scenario("flexible_60").total < e.scenario("flexible_100").total \
        < e.scenario("flexible_300").total
    # flexible at 100%: same base and account share as keep; pays all 20% alone: 7200 x 20%
    assert e.scenario("flexible_100").total == keep.total
    assert e.scenario("flexible_100").monthly_contribution == Decimal("1440.00")
    assert keep.monthly_contribution == Decimal("576.00")  # the employee's 8%


def test_a_young_person_stop_keep_flexible_300(ledger: Ledger) -> None:
    ledger.pensions.set_base(PROVINCE, 2026, "8000")
    young = "360102199501150015"
    young = young[:17] + ric.calc_check_digit(young[:17] + "0")
    ledger.workers.register_citizen(young, "李青", "360102", "urban")
    for m in range(1, 11):
        ledger.contributions.record(young, EMPLOYER, f"2026-{m:02d}", "6000", "pension")
    e = ledger.pensions.estimate(young)
    assert e.scenario("stop").total < e.scenario("keep").total < e.scenario("flexible_300").total
    assert e.growth == Decimal("0.03") and e.base_ratio == Decimal("1.0")
    assert e.interest == Decimal("0.0262")  # the latest crediting rate known (2024)


def test_divisor_table_whole_interpolated_and_the_offices_own(ledger: Ledger) -> None:
    assert ledger.pensions.divisor(60 * 12).value == Decimal(139)
    assert ledger.pensions.divisor(50 * 12).value == Decimal(195)
    assert ledger.pensions.divisor(63 * 12).value == Decimal(117)
    # 60y1m: 139 - 7/12 = 138.4167 -> 138.4 (Jinan publishes 138.4)
    d = ledger.pensions.divisor(60 * 12 + 1)
    assert (d.value, d.source, d.interpolated) == (Decimal("138.4"), "interpolated", True)
    # 55y6m: 170 + (164 - 170) x 6/12 = 167.0
    assert ledger.pensions.divisor(55 * 12 + 6).value == Decimal("167.0")
    ledger.pensions.set_divisor(60, 1, "138.5")
    d = ledger.pensions.divisor(60 * 12 + 1)
    assert (d.value, d.source) == (Decimal("138.5"), "office")
    with pytest.raises(RefusedByRule) as err:
        ledger.pensions.divisor(70 * 12 + 1)
    assert err.value.key == "pension.divisor_age"
    with pytest.raises(InvalidInput) as err:
        ledger.pensions.set_divisor(60, 12, "130")
    assert (err.value.key, err.value.params["age"]) == ("pension.divisor_age_input", "60/12")


def test_refusals_name_what_is_missing(ledger: Ledger, wang: str) -> None:
    with ledger.write() as s:  # the 2025 wage taken back
        s.delete(s.scalars(select(AverageWage).where(AverageWage.year == 2025)).one())
    with pytest.raises(RefusedByRule) as err:
        ledger.pensions.estimate(wang)
    assert err.value.key == "pension.no_average_wage" and err.value.params["year"] == 2025
    assert "2025" in err.value.message()
    ledger.reference.set_wage(PROVINCE, 2025, "6400")
    with ledger.write() as s:
        for row in s.scalars(select(OfficeSetting).where(OfficeSetting.key.like("pension.base.%"))):
            s.delete(row)
    with pytest.raises(RefusedByRule) as err:
        ledger.pensions.estimate(wang)
    assert err.value.key == "pension.no_calc_base"
    ledger.pensions.set_base(PROVINCE, 2026, "8000")
    with pytest.raises(RefusedByRule) as err:
        ledger.pensions.estimate(wang, retire_on="2024-01-01")
    assert err.value.key == "pension.start_range"
    with pytest.raises(InvalidInput) as err:
        ledger.pensions.estimate(wang, base_ratio="4")
    assert (err.value.key, err.value.field) == ("pension.base_ratio", "base_ratio")
    with ledger.write() as s:
        s.scalars(select(Worker).where(Worker.id_number == wang)).one().pension_since = dt.date(2026, 1, 1)
    with pytest.raises(RefusedByRule) as err:
        ledger.pensions.estimate(wang)
    assert err.value.key == "pension.drawing"


def test_the_estimate_sheet_is_printed_and_verifies(ledger: Ledger, wang: str) -> None:
    sheet = ledger.pensions.estimate_pdf(wang, growth="0.05", interest="0.02")
    text = "".join(pdf_text(sheet.pdf).split())
    for label in ("养老金测算表", "测算—仅供参考", "计发基数", "平均缴费指数", "基础养老金", "个人账户养老金",
                  "过渡性养老金", "不同情形对比", "在本地继续缴费", "即日起停止缴费", "测算假设", "插值", "验证码"):
        assert label in text, label
    for amount in ("1534.34", "237.36", "1440.04", "3211.74", "8820.00", "1.0466", "134.3"):
        assert amount in text, amount
    assert sheet.number.startswith("OFF01-CS2026")
    verdict = ledger.documents.verify(sheet.code)
    assert verdict.valid and verdict.kind == "pension-estimate" and verdict.number == sheet.number


def test_cli_pension_base_estimate(capsys: pytest.CaptureFixture[str], office: str, tmp_path: Path) -> None:
    db = office
    assert run(capsys, "--db", db, "wage", "set", "--region", "360000", "--year", "2025", "--monthly", "6000")[0] == 0
    code, data, _ = run(capsys, "--db", db, "--json", "pension", "base", "set", "--region", "360000",
                        "--year", "2026", "--monthly", "8000")
    assert code == 0 and data == {"region": "360000", "year": 2026, "monthly": "8000.00"}
    code, data, _ = run(capsys, "--db", db, "--json", "pension", "transitional", "set", "--region", "360100",
                        "--rate", "0.012")
    assert code == 0 and data["province"] == "360000" and data["rate"] == "0.012"
    assert run(capsys, "--db", db, "worker", "register", "--id-number", WANG, "--name", "王建国",
               "--hukou-region", "360102", "--hukou-type", "urban")[0] == 0
    for m in range(1, 11):
        assert run(capsys, "--db", db, "contrib", "record", "--worker", WANG, "--employer", EMPLOYER,
                   "--month", f"2026-{m:02d}", "--wage", "9000", "--schemes", "pension")[0] == 0
    pdf = tmp_path / "est.pdf"
    code, data, err = run(capsys, "--db", db, "--json", "pension", "estimate", "--worker", WANG, "--growth", "0.05",
                          "--interest", "0.02", "--pdf", str(pdf))
    assert code == 0, err
    for key in ("retirement_date", "months_counted", "indexed_wage", "basic", "account_balance", "divisor",
                "account_pension", "transitional", "total", "scenarios"):
        assert key in data, key
    assert data["retirement_date"] == "2028-01-10" and data["months_counted"] == 24
    assert [s["name"] for s in data["scenarios"]][:3] == ["keep", "move", "stop"]
    assert all(isinstance(s["total"], str) and "." in s["total"] for s in data["scenarios"])
    assert Decimal(data["total"]) == Decimal(data["basic"]) + Decimal(data["account_pension"]) \
        + Decimal(data["transitional"])
    assert pdf.exists() and data["verification_code"]
    code, data, _ = run(capsys, "--db", db, "--json", "pension", "estimate", "--worker", WANG, "--base-ratio", "5")
    assert code == 2 and data["error"]["field"] == "base_ratio"


def test_cli_pension_determine_refused_before_the_day(capsys: pytest.CaptureFixture[str], office: str) -> None:
    assert run(capsys, "--db", office, "worker", "register", "--id-number", WANG, "--name", "王建国",
               "--hukou-region", "360102", "--hukou-type", "urban")[0] == 0
    code, data, _ = run(capsys, "--db", office, "--json", "pension", "determine", "--worker", WANG)
    assert code == 3 and data["error"]["key"] == "pension.not_reached"
    assert "2028-01-10" in data["error"]["message"]


# -- the formulas one by one (desktop.core.pension_rules), at their edges ----------------------------


@pytest.mark.parametrize(("age_months", "value", "source"), [
    (40 * 12, "233", "table"),  # the youngest age in the table
    (40 * 12 + 1, "232.8", "interpolated"),  # 233 + (230 - 233) x 1/12 = 232.75 -> 232.8
    (40 * 12 + 3, "232.3", "interpolated"),  # 233 - 3 x 3/12 = 232.25 -> 232.3 (half up, not to even)
    (55 * 12 + 6, "167.0", "interpolated"),  # 170 + (164 - 170) x 6/12 = 167.0
    (60 * 12 - 1, "139.5", "interpolated"),  # 59y11m: 145 + (139 - 145) x 11/12 = 145 - 5.5 = 139.5
    (60 * 12, "139", "table"),
    (60 * 12 + 1, "138.4", "interpolated"),  # 139 - 7/12 = 138.4166... -> 138.4
    (69 * 12 + 11, "56.8", "interpolated"),  # 65 + (56 - 65) x 11/12 = 65 - 8.25 = 56.75 -> 56.8
    (70 * 12, "56", "table"),  # the oldest
])
def test_divisor_at_the_table_s_edges(age_months: int, value: str, source: str) -> None:
    d = rules.divisor(age_months)
    assert (d.value, str(d.value), d.source, d.interpolated) == (Decimal(value), value, source,
                                                                 source == "interpolated")


@pytest.mark.parametrize(("age_months", "age"), [
    (40 * 12 - 1, "39岁11个月"), (39 * 12, "39岁"), (70 * 12 + 1, "70岁1个月"), (71 * 12, "71岁")])
def test_divisor_outside_the_table_is_refused_naming_the_age(age_months: int, age: str) -> None:
    with pytest.raises(RefusedByRule) as err:
        rules.divisor(age_months)
    assert (err.value.key, err.value.field, err.value.params) == ("pension.divisor_age", "age",
                                                                  {"age": age, "low": 40, "high": 70})


def test_divisor_the_office_entered_for_an_age_comes_first() -> None:
    own = {60 * 12 + 1: Decimal("138.5")}
    assert rules.divisor(60 * 12 + 1, own) == rules.Divisor(Decimal("138.5"), "office")
    assert rules.divisor(60 * 12 + 1, own).interpolated is False
    # the ages the office did not enter: table and interpolation as without it
    assert rules.divisor(60 * 12 + 2, own) == rules.Divisor(Decimal("137.8"), "interpolated")  # 139 - 14/12
    assert rules.divisor(60 * 12, own) == rules.Divisor(Decimal(139), "table")
    assert rules.divisor(60 * 12 + 1, None) == rules.divisor(60 * 12 + 1, {}) \
        == rules.Divisor(Decimal("138.4"), "interpolated")


@pytest.mark.parametrize(("age_months", "text"), [
    (0, "0岁"), (11, "0岁11个月"), (720, "60岁"), (721, "60岁1个月"), (731, "60岁11个月"), (732, "61岁")])
def test_age_text(age_months: int, text: str) -> None:
    assert rules.age_text(age_months) == text


@pytest.mark.parametrize(("birth", "on", "months"), [
    # 60 years = 720 months on the 60th birthday: the day before, the day, the day after
    ("1967-05-10", "2027-05-09", 719), ("1967-05-10", "2027-05-10", 720), ("1967-05-10", "2027-05-11", 720),
    # the month before, of and after 60 years and 1 month
    ("1967-05-10", "2027-06-09", 720), ("1967-05-10", "2027-06-10", 721), ("1967-05-10", "2027-07-10", 722),
    # a birthday the month lacks (31st): counted on its last day, not the day before
    ("1966-08-31", "2026-02-27", 713), ("1966-08-31", "2026-02-28", 714), ("1966-08-31", "2026-03-01", 714),
    ("1966-08-31", "2026-04-30", 716), ("1966-08-31", "2026-04-29", 715),
    # born on 29 February: 28 February of a leap year is not the birthday, of a common year it is
    ("1964-02-29", "2024-02-28", 719), ("1964-02-29", "2024-02-29", 720), ("1964-02-29", "2025-02-28", 732),
    ("1990-01-01", "1990-01-01", 0), ("1990-01-01", "1990-01-31", 0), ("1990-01-01", "1990-02-01", 1),
])
def test_age_in_months_around_the_birthday(birth: str, on: str, months: int) -> None:
    assert rules.age_in_months(dt.date.fromisoformat(birth), dt.date.fromisoformat(on)) == months


@pytest.mark.parametrize(("index_sum", "months", "text"), [
    ("0", 0, "0.0000"), ("5", 0, "0.0000"),  # no months: 0 to 4 places
    ("1.23456", 1, "1.2346"),  # one month: the index itself, half up to 4 places
    ("4.0001", 2, "2.0001"),  # 2.00005: half a unit of the last place, up (to even would give 2.0000)
    ("4.00009998", 2, "2.0000"),  # 2.00004999: down
    ("213.5", 204, "1.0466"),  # 1.046568...
])
def test_average_index(index_sum: str, months: int, text: str) -> None:
    assert str(rules.average_index(Decimal(index_sum), months)) == text


@pytest.mark.parametrize(("base", "index", "expected"), [
    ("8820.00", "1.0466", "9231.01"),  # 9231.012
    ("1000.05", "0.5", "500.03"),  # 500.025: half a fen, up
    ("1000.04", "0.5", "500.02"),  # 500.02
    ("1000.0499", "0.5", "500.02"),  # 500.02495: just under half a fen
])
def test_indexed_wage(base: str, index: str, expected: str) -> None:
    assert str(rules.indexed_wage(Decimal(base), Decimal(index))) == expected


@pytest.mark.parametrize(("base", "indexed", "months", "expected"), [
    ("8820.00", "9231.01", 204, "1534.34"),  # 18051.01 x 204 x 1% / 24 = 1534.33585
    ("8000", "6000", 179, "1044.17"),  # 14000 x 179 x 1% / 24 = 25060 / 24 = 1044.1666...
    ("8000", "6000", 180, "1050.00"),  # 15 years: 14000 / 2 x 15 x 1% = 1050
    ("8000", "6000", 181, "1055.83"),  # 25340 / 24 = 1055.8333...
    ("500.50", "500.50", 12, "5.01"),  # 1001 x 12 x 1% / 24 = 5.005: half a fen, up
    ("500.50", "500.49", 12, "5.00"),  # 1000.99 / 200 = 5.00495
])
def test_basic_pension(base: str, indexed: str, months: int, expected: str) -> None:
    assert str(rules.basic_pension(Decimal(base), Decimal(indexed), months)) == expected


@pytest.mark.parametrize(("balance", "div", "expected"), [
    ("31877.03", "134.3", "237.36"),  # 237.3569...
    ("2001.00", "200", "10.01"),  # 10.005: half a fen, up
    ("2000.99", "200", "10.00"),  # 10.00495
    ("27800.00", "139", "200.00"),
])
def test_account_pension(balance: str, div: str, expected: str) -> None:
    assert str(rules.account_pension(Decimal(balance), Decimal(div))) == expected


@pytest.mark.parametrize(("indexed", "months", "coefficient", "expected"), [
    ("9231.01", 156, "0.012", "1440.04"),  # 9231.01 x 156 x 1.2% / 12 = 1440.03756
    ("1000.50", 12, "0.01", "10.01"),  # 10.005: half a fen, up
    ("1000.49", 12, "0.01", "10.00"),  # 10.0049
    ("6000", 24, "0.013", "156.00"),  # 6000 x 2 years x 1.3%
])
def test_transitional_pension(indexed: str, months: int, coefficient: str, expected: str) -> None:
    assert str(rules.transitional_pension(Decimal(indexed), months, Decimal(coefficient))) == expected


@pytest.mark.parametrize(("value", "growth", "years", "expected"), [
    ("8000", "0.05", 2, "8820.00"),  # 8000 x 1.05 x 1.05
    ("8000", "0.05", 0, "8000.00"),
    ("8000", "0.03", 3, "8741.82"),  # 8000 x 1.092727 = 8741.816
    ("100.10", "0.05", 1, "105.11"),  # 105.105: half a fen, up
    ("100.09", "0.05", 1, "105.09"),  # 105.0945
])
def test_grown(value: str, growth: str, years: int, expected: str) -> None:
    assert str(rules.grown(Decimal(value), Decimal(growth), years)) == expected


@pytest.mark.parametrize(("age_months", "value"), [
    (40 * 12 - 1, None), (40 * 12, "233"), (40 * 12 + 3, "232.3"), (69 * 12 + 11, "56.8"), (70 * 12, "56"),
    (70 * 12 + 1, None)])
def test_the_service_s_divisor_at_the_table_s_edges(ledger: Ledger, age_months: int, value: str | None) -> None:
    if value is None:
        with pytest.raises(RefusedByRule) as err:
            ledger.pensions.divisor(age_months)
        assert (err.value.key, err.value.params["low"], err.value.params["high"]) == ("pension.divisor_age", 40, 70)
    else:
        assert str(ledger.pensions.divisor(age_months).value) == value


@pytest.mark.parametrize(("retire_on", "age_months", "divisor", "source"), [
    # 王建国 born 1967-05-10 turns 61 on 2028-05-10: the day before, the day, the day after
    ("2028-05-09", 731, "132.6", "interpolated"),  # 60y11m: 139 + (132 - 139) x 11/12 = 132.583 -> 132.6
    ("2028-05-10", 732, "132", "table"),
    ("2028-05-11", 732, "132", "table"),
    ("2028-06-10", 733, "131.4", "interpolated"),  # 61y1m: 132 + (125 - 132) x 1/12 = 131.417 -> 131.4
    ("2027-05-10", 720, "139", "table"),  # 60: the earliest day of the flexible range
])
def test_the_estimate_s_age_and_divisor_around_a_birthday(ledger: Ledger, wang: str, retire_on: str,
                                                          age_months: int, divisor: str, source: str) -> None:
    e = ledger.pensions.estimate(wang, retire_on=retire_on, growth="0.05", interest="0.02")
    assert (e.retirement_date, e.retirement_age_months) == (dt.date.fromisoformat(retire_on), age_months)
    assert (str(e.divisor), e.divisor_source) == (divisor, source)


def test_the_estimate_a_day_before_sixty_is_refused(ledger: Ledger, wang: str) -> None:
    with pytest.raises(RefusedByRule) as err:  # 2027-05-09: 59 years 11 months, below the earliest 60
        ledger.pensions.estimate(wang, retire_on="2027-05-09")
    assert (err.value.key, err.value.params["earliest"]) == ("pension.start_range", "2027-05-10")


@pytest.mark.parametrize(("last", "months", "qualifies"), [
    ("2025-11", 179, False), ("2025-12", 180, True), ("2026-01", 181, True)])
def test_fifteen_years_at_179_180_181_months(ledger: Ledger, last: str, months: int, qualifies: bool) -> None:
    """王建国 retires 2028-01-10; the minimum of 2028 is 15 years = 180 months. 156 deemed months
    (1985-01..1997-12) and paid from 2024-01 to `last` (23, 24 or 25 months)."""
    _office_data(ledger)
    ledger.workers.register_citizen(WANG, "王建国", "360102", "urban")
    ledger.records.add_opening(WANG, "deemed", "360100", "1985-01", "1997-12", "赣劳人〔1998〕档案")
    year, month = 2024, 1
    while f"{year}-{month:02d}" <= last:
        ledger.contributions.record(WANG, EMPLOYER, f"{year}-{month:02d}", "8000", "pension")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    info = ledger.retirement.check(WANG)
    assert (info.minimum_months, info.months_counted, info.missing_months) == (180, months, max(180 - months, 0))
    stop = ledger.pensions.estimate(WANG, growth="0.05", interest="0.02").scenario("stop")
    assert (stop.months_counted, stop.qualifies) == (months, qualifies)
