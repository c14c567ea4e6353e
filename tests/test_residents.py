"""Residents' schemes: a yearly grade plus the government subsidy."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import EMPLOYER

from desktop.core.errors import Conflict, InvalidInput, RefusedByRule
from desktop.core.ledger import Ledger


def test_grade_and_subsidy(ledger: Ledger, person: str) -> None:
    r = ledger.residents.record(person, "resident_pension", 2024, "500")
    assert (r.personal, r.subsidy, r.total) == (Decimal("500.00"), Decimal("60.00"), Decimal("560.00"))
    low = ledger.residents.record(person, "resident_pension", 2023, "100")
    assert low.subsidy == Decimal("30.00")
    med = ledger.residents.record(person, "resident_medical", 2024, "400")
    assert med.subsidy == Decimal("670.00")
    st = ledger.accounts.statement(person)
    assert ("resident_pension", 2024, Decimal("500.00"), Decimal("60.00")) in st.resident_years
    with pytest.raises(Conflict):
        ledger.residents.record(person, "resident_pension", 2024, "500")


def test_refusals(ledger: Ledger, person: str) -> None:
    with pytest.raises(InvalidInput) as err:
        ledger.residents.record(person, "resident_pension", 2024, "550")
    assert err.value.field == "grade" and "2000" in err.value.message("zh")
    with pytest.raises(InvalidInput):
        ledger.residents.record(person, "pension", 2024, "500")
    with pytest.raises(RefusedByRule) as err2:
        ledger.residents.record(person, "resident_medical", 2020, "250")
    assert err2.value.key == "resident.no_grades"
    ledger.contributions.record(person, EMPLOYER, "2026-03", "6000")
    with pytest.raises(RefusedByRule) as err2:
        ledger.residents.record(person, "resident_pension", 2026, "500")
    assert err2.value.key == "resident.employee_overlap"
    with pytest.raises(InvalidInput):
        ledger.residents.record(person, "resident_pension", 2027, "500")
