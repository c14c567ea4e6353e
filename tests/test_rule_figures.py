"""The figures of the rules live once (reference data or a named constant) and the messages that
state them take them as parameters, so a message can never say one figure while the code uses another."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.core import transfer_rules as tr
from desktop.core.agreements import STILL_CONTRIBUTING_MONTHS
from desktop.core.calc import (
    MIN_CONTRIBUTION_AGE,
    WAGE_CEILING_TIMES,
    first_contribution_month,
    implausible_wage,
    is_back_payment,
)
from desktop.core.messages import MESSAGES, render
from desktop.core.month import Month

# key -> the figures its text must not hold (they come in as parameters)
FIGURED = {
    "contrib.before_birth": ("16",),
    "amount.too_large": ("100",),
    "exemption.not_insured": ("3",),
    "transfer.temporary": ("50", "40"),
}


@pytest.mark.parametrize("key", sorted(FIGURED))
def test_the_message_takes_its_figures_as_parameters(key: str) -> None:
    for text in MESSAGES[key]:
        for figure in FIGURED[key]:
            assert figure not in text, (key, figure)


def test_the_temporary_account_message_states_the_ages_of_the_rules() -> None:
    r = tr.rules()
    for lang in ("zh", "en"):
        text = render("transfer.temporary", lang, age=52, **tr.temporary_ages())
        assert str(r.temporary_age_men) in text and str(r.temporary_age_women) in text


def test_the_other_messages_state_the_figures_the_code_uses() -> None:
    assert str(MIN_CONTRIBUTION_AGE) in render("contrib.before_birth", "en", month="2001-01", age=MIN_CONTRIBUTION_AGE)
    assert f"{WAGE_CEILING_TIMES} times" in render("amount.too_large", "en", value="1", ceiling="1",
                                                    times=WAGE_CEILING_TIMES)
    assert f"last {STILL_CONTRIBUTING_MONTHS} months" in render("exemption.not_insured", "en", schemes="x",
                                                                 months=STILL_CONTRIBUTING_MONTHS)


def test_contribution_rules() -> None:
    assert first_contribution_month(dt.date(1990, 5, 31)) == Month(1990 + MIN_CONTRIBUTION_AGE, 5)
    now = Month(2024, 6)
    assert not is_back_payment(Month(2024, 6), now)
    assert not is_back_payment(Month(2024, 5), now)
    assert is_back_payment(Month(2024, 4), now)
    assert not implausible_wage(WAGE_CEILING_TIMES * 100, 100)
    assert implausible_wage(WAGE_CEILING_TIMES * 100 + 1, 100)


def test_the_switch_messages_state_the_years_of_the_rules_file() -> None:
    """The scheme-switch messages take the 15 years from resources/transfer_rules.toml, not a literal."""
    from desktop.core import transfer_rules as tr
    from desktop.core.messages import MESSAGES, render

    years = tr.rules().resident_max_employee_years
    for key in ("switch.to_resident", "switch.to_employee", "switch.no_resident_years"):
        zh, en = MESSAGES[key]
        assert "{years}" in zh and "{years}" in en and "15" not in zh + en, key
        assert f"{years}年" in render(key, "zh", months=100, years=years)
