"""Money and months: exact to the fen, months by month."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.core.calc import base_at, base_limits, contribution_base, rate_times_fen, scheme_line
from desktop.core.errors import InvalidInput
from desktop.core.money import fen_of, fen_text, parse_amount, to_fen, yuan_of
from desktop.core.month import Month, months_between

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999999.99"), places=2)
rates = st.decimals(min_value=Decimal(0), max_value=Decimal(1), places=4)


@given(amounts, rates)
def test_integer_path_equals_decimal_half_up(base: Decimal, rate: Decimal) -> None:
    assert Decimal(rate_times_fen(fen_of(base), rate.as_integer_ratio())).scaleb(-2) == to_fen(base * rate)


def test_half_up_at_the_fen() -> None:
    assert to_fen(Decimal("0.005")) == Decimal("0.01")
    assert rate_times_fen(5, Decimal("0.1").as_integer_ratio()) == 1  # 0.05 fen -> 0.5 -> up
    assert rate_times_fen(125, Decimal("0.02").as_integer_ratio()) == 3  # 2.5 fen -> 3


@given(amounts, amounts, amounts)
def test_base_is_clamped(wage: Decimal, a: Decimal, b: Decimal) -> None:
    floor, ceiling = fen_of(min(a, b)), fen_of(max(a, b))
    base = contribution_base(fen_of(wage), floor, ceiling)
    assert floor <= base <= ceiling
    if floor <= fen_of(wage) <= ceiling:
        assert base == fen_of(wage)


@given(amounts, rates, rates)
def test_base_limits_are_the_ratios_of_the_average_half_up(average: Decimal, a: Decimal, b: Decimal) -> None:
    floor_ratio, ceiling_ratio = min(a, b), max(a, b)
    floor, ceiling = base_limits(fen_of(average), floor_ratio, ceiling_ratio)
    assert yuan_of(floor) == to_fen(average * floor_ratio)
    assert yuan_of(ceiling) == to_fen(average * ceiling_ratio)
    assert floor <= ceiling
    assert base_at(fen_of(average), floor_ratio) == floor


@given(amounts, rates, rates)
def test_pooling_is_the_rest(base: Decimal, er: Decimal, ee: Decimal) -> None:
    line = scheme_line("pension", base, er, ee, ee)
    assert line.pooling == line.employer
    assert line.total == line.employer + line.employee


@given(amounts)
def test_parse_amount_round_trips(value: Decimal) -> None:
    assert parse_amount(str(value)) == value
    assert parse_amount(f"¥{value:,}") == value


@pytest.mark.parametrize(("text", "key"), [("12.345", "amount.fen"), ("abc", "amount.format"), ("", "required"),
                                           ("NaN", "amount.format"), ("Infinity", "amount.format"),
                                           ("1e400000", "amount.format")])
def test_parse_amount_refuses(text: str, key: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_amount(text, "wage")
    assert (err.value.key, err.value.field) == (key, "wage")


@given(st.integers(1950, 2100), st.integers(1, 12), st.integers(-600, 600))
def test_month_arithmetic(year: int, month: int, delta: int) -> None:
    m = Month(year, month)
    later = m.add(delta)
    assert later.index() - m.index() == delta
    assert Month.parse(str(later)) == later
    assert Month.from_int(later.as_int()) == later
    if delta >= 0:
        assert months_between(m, later) == delta + 1


@pytest.mark.parametrize("text", ["2025-3", "202503", "2025/03", "2025年3月", "2025-03-01"])
def test_month_forms(text: str) -> None:
    assert Month.parse(text) == Month(2025, 3)


@pytest.mark.parametrize(("text", "key"), [("2025-13", "month.format"), ("25-03", "month.format"),
                                           ("March", "month.format"), ("2025-00", "month.format"), ("", "required")])
def test_month_refusals(text: str, key: str) -> None:
    with pytest.raises(InvalidInput) as err:
        Month.parse(text)
    assert (err.value.key, err.value.field) == (key, "month")


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_fen_and_yuan_round_trip(fen: int) -> None:
    assert fen_of(yuan_of(fen)) == fen
    assert fen_text(fen) == f"{yuan_of(fen):.2f}" == f"{to_fen(yuan_of(fen)):.2f}"
