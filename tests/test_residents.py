"""Residents' schemes: a yearly grade plus the government subsidy, joined at the hukou place; a
residents' pension year with employee months counts them once and refunds their share."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import EMPLOYER
from stdnum.cn import ric

from desktop.core.errors import Conflict, InvalidInput, RefusedByRule
from desktop.core.ledger import Ledger


@pytest.fixture
def local(ledger: Ledger) -> str:
    """A person whose hukou is in Nanchang, the office's own area."""
    body = "36010219800808001"
    return ledger.workers.register_citizen(body + ric.calc_check_digit(body + "0"), "李四", "360102", "rural").key


def test_grade_and_subsidy(ledger: Ledger, local: str) -> None:
    r = ledger.residents.record(local, "resident_pension", 2024, "500")
    assert (r.personal, r.subsidy, r.total) == (Decimal("500.00"), Decimal("60.00"), Decimal("560.00"))
    assert (r.employee_months, r.refund) == (0, Decimal("0.00"))
    low = ledger.residents.record(local, "resident_pension", 2023, "100")
    assert low.subsidy == Decimal("30.00")
    med = ledger.residents.record(local, "resident_medical", 2024, "400")
    assert med.subsidy == Decimal("670.00")
    st = ledger.accounts.statement(local)
    assert ("resident_pension", 2024, Decimal("500.00"), Decimal("60.00")) in st.resident_years
    with pytest.raises(Conflict) as err:
        ledger.residents.record(local, "resident_pension", 2024, "500")
    assert (err.value.key, err.value.params["year"]) == ("resident.exists", 2024)


def test_refusals(ledger: Ledger, local: str) -> None:
    with pytest.raises(InvalidInput) as err:
        ledger.residents.record(local, "resident_pension", 2024, "550")
    assert (err.value.key, err.value.field) == ("resident.grade", "grade") and "2000" in err.value.message("zh")
    with pytest.raises(InvalidInput) as err:
        ledger.residents.record(local, "pension", 2024, "500")
    assert (err.value.key, err.value.field) == ("scheme.not_resident", "scheme")
    with pytest.raises(RefusedByRule) as err2:
        ledger.residents.record(local, "resident_medical", 2020, "250")
    assert err2.value.key == "resident.no_grades"
    with pytest.raises(InvalidInput) as err:
        ledger.residents.record(local, "resident_pension", 2027, "500")
    assert (err.value.key, err.value.field) == ("year.format", "year")  # a year still to come


def test_joined_only_at_the_hukou_place(ledger: Ledger, person: str) -> None:
    """The fixture person's hukou is in Chengdu; this office is Nanchang's."""
    with pytest.raises(RefusedByRule) as err:
        ledger.residents.record(person, "resident_pension", 2024, "500")
    assert (err.value.key, err.value.field) == ("resident.not_hukou", "worker")
    assert "510107" in err.value.message("zh") and "360100" in err.value.message("zh")
    with pytest.raises(RefusedByRule) as err:  # the medical scheme too, unless the office admits residence permits
        ledger.residents.record(person, "resident_medical", 2024, "400")
    assert (err.value.key, err.value.params["scheme"]) == ("resident.not_hukou", "城乡居民基本医疗保险")
    ledger.residents.allow_residence_permit(True)
    with pytest.raises(InvalidInput) as missing:
        ledger.residents.record(person, "resident_medical", 2024, "400")
    assert (missing.value.key, missing.value.field) == ("required", "residence_permit")
    assert ledger.residents.record(person, "resident_medical", 2024, "400",
                                   residence_permit="赣居字360100123").subsidy == Decimal("670.00")
    with pytest.raises(RefusedByRule) as err:  # the residents' pension stays at the hukou place
        ledger.residents.record(person, "resident_pension", 2024, "500", residence_permit="赣居字360100123")
    assert (err.value.key, err.value.params["scheme"]) == ("resident.not_hukou", "城乡居民基本养老保险")
    f = ledger.workers.register_foreigner("DE", "C01X00T47", "Anna Schmidt", "F", "1990-04-01")
    with pytest.raises(RefusedByRule) as err3:
        ledger.residents.record(f.ssn, "resident_pension", 2024, "500")
    assert err3.value.key == "resident.no_hukou"


def test_a_year_with_employee_months_refunds_their_share(ledger: Ledger, local: str) -> None:
    for month in ("2025-03", "2025-04", "2025-05", "2025-06", "2025-07", "2025-08", "2025-09"):
        ledger.contributions.record(local, EMPLOYER, month, "6000")
    r = ledger.residents.record(local, "resident_pension", 2025, "1000")
    # 7 of the year's 12 months are employee time: 1000.00 x 7 / 12 = 583.333... -> 583.33
    assert (r.employee_months, r.refund) == (7, Decimal("583.33"))
    ledger.residents.record(local, "resident_pension", 2024, "300")
    ledger.contributions.record(local, EMPLOYER, "2024-12", "6000")  # a later employee month in 2024
    years = {(y.scheme, y.year): (y.employee_months, y.refund) for y in ledger.residents.years(local)}
    assert years == {("resident_pension", 2024): (1, Decimal("25.00")),  # 300.00 / 12
                     ("resident_pension", 2025): (7, Decimal("583.33"))}
