"""Recording months: base limits, rates by date and class, refusals, arrears and back-payments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from conftest import EMPLOYER, EMPLOYER_2, PROVINCE

from desktop.core.errors import Conflict, InvalidInput, RefusedByRule
from desktop.core.ledger import Ledger

D = Decimal


def _line(result: object, scheme: str) -> object:
    return next(ln for ln in result.lines if ln.scheme == scheme)  # type: ignore[attr-defined]


def test_base_is_clamped_to_60_and_300_percent(ledger: Ledger, person: str) -> None:
    low = ledger.contributions.record(person, EMPLOYER, "2026-01", "2000", preview=True)
    assert (low.floor, low.ceiling, low.base) == (D("3600.00"), D("18000.00"), D("3600.00"))
    high = ledger.contributions.record(person, EMPLOYER, "2026-01", "50000", preview=True)
    assert high.base == D("18000.00")
    mid = ledger.contributions.record(person, EMPLOYER, "2026-01", "6543.21", preview=True)
    assert mid.base == D("6543.21")
    assert _line(mid, "pension").employer == D("1046.91")  # 6543.21 x 16% = 1046.9136
    assert _line(mid, "medical").employee == D("130.86")  # 6543.21 x 2% = 130.8642


def test_pension_employer_rate_changed_in_may_2019(ledger: Ledger, person: str) -> None:
    april = ledger.contributions.record(person, EMPLOYER, "2019-04", "6000", preview=True)
    may = ledger.contributions.record(person, EMPLOYER, "2019-05", "6000", preview=True)
    assert _line(april, "pension").employer == D("1200.00")
    assert _line(may, "pension").employer == D("960.00")
    assert _line(april, "pension").individual_account == D("480.00")


def test_before_2006_eleven_percent_went_to_the_account(ledger: Ledger, person: str) -> None:
    m = ledger.contributions.record(person, EMPLOYER, "2005-06", "6000", preview=True)
    line = _line(m, "pension")
    assert (line.employee, line.individual_account) == (D("480.00"), D("660.00"))
    assert line.pooling == D("1200.00") + D("480.00") - D("660.00")


def test_injury_rate_follows_the_employers_risk_class(ledger: Ledger, person: str) -> None:
    ledger.employers.register(EMPLOYER_2, "江西红谷建筑工程有限公司", None, 8)
    class2 = ledger.contributions.record(person, EMPLOYER, "2026-01", "10000", preview=True)
    class8 = ledger.contributions.record(person, EMPLOYER_2, "2026-01", "10000", preview=True)
    assert _line(class2, "injury").employer == D("40.00")
    assert _line(class8, "injury").employer == D("190.00")
    assert _line(class8, "injury").employee == D("0.00")


def test_maternity_is_collected_until_its_merger(ledger: Ledger, person: str) -> None:
    m2019 = ledger.contributions.record(person, EMPLOYER, "2019-12", "6000", preview=True)
    m2020 = ledger.contributions.record(person, EMPLOYER, "2020-01", "6000", preview=True)
    assert "maternity" in [ln.scheme for ln in m2019.lines]
    assert "maternity" not in [ln.scheme for ln in m2020.lines]
    with pytest.raises(RefusedByRule) as err:
        ledger.contributions.record(person, EMPLOYER, "2021-03", "6000", "maternity")
    assert err.value.key == "scheme.not_in_force" and "并入" in err.value.message("zh")


def test_office_rate_overrides_the_shipped_one(ledger: Ledger, person: str) -> None:
    ledger.reference.set_rate("360100", "medical", "2026-01", "0.075", "0.02")
    m = ledger.contributions.record(person, EMPLOYER, "2026-02", "6000", "medical", preview=True)
    assert _line(m, "medical").employer == D("450.00")
    older = ledger.contributions.record(person, EMPLOYER, "2025-12", "6000", "medical", preview=True)
    assert _line(older, "medical").employer == D("360.00")


def test_missing_wage_or_rate_is_refused_not_guessed(ledger: Ledger) -> None:
    from stdnum.cn import ric

    person = "36010219650304101" + ric.calc_check_digit("36010219650304101" + "0")
    ledger.workers.register_citizen(person, "李四", "360102", "urban")
    ledger.reference.set_rate("360100", "injury", "1990-01", "0.01", "0", "2003-12", risk_class=2)
    with pytest.raises(RefusedByRule) as err:
        ledger.contributions.record(person, EMPLOYER, "1997-06", "6000")
    assert err.value.key == "wage.missing" and "1997" in err.value.message("zh")
    ledger.reference.set_wage(PROVINCE, 1997, "500")
    with pytest.raises(RefusedByRule) as err:
        ledger.contributions.record(person, EMPLOYER, "1997-06", "600", "pension")
    assert err.value.key == "limits.missing"
    ledger.reference.set_limits("360000", "1995-01", "0.4", "3", "1999-12")
    assert ledger.contributions.record(person, EMPLOYER, "1999-06", "100", "medical",
                                       preview=True).base == D("2400.00")  # 40% of 6000
    with pytest.raises(RefusedByRule) as err:
        ledger.contributions.record(person, EMPLOYER, "1997-06", "600", "pension")
    assert err.value.key == "rate.missing"


@pytest.mark.parametrize(
    ("wage", "key"),
    [("0", "amount.positive"), ("-100", "amount.positive"), ("1800000.01", "amount.too_large"),
     ("12.345", "amount.fen"), ("abc", "amount.format")],
)
def test_bad_wages(ledger: Ledger, person: str, wage: str, key: str) -> None:
    with pytest.raises(InvalidInput) as err:
        ledger.contributions.record(person, EMPLOYER, "2026-01", wage)
    assert err.value.key == key and err.value.field == "wage"


def test_month_refusals(ledger: Ledger, person: str) -> None:
    with pytest.raises(InvalidInput) as err:
        ledger.contributions.record(person, EMPLOYER, "2026-12", "6000")
    assert err.value.key == "month.future"
    with pytest.raises(InvalidInput) as err:
        ledger.contributions.record(person, EMPLOYER, "2001-06", "6000")
    assert err.value.key == "contrib.before_birth"
    with pytest.raises(InvalidInput) as err:
        ledger.contributions.record(person, "91360100MA35F7Q10X", "2026-01", "6000")
    assert (err.value.key, err.value.field) == ("uscc.checksum", "employer")
    with pytest.raises(InvalidInput) as err:
        ledger.contributions.record(person, EMPLOYER, "2026-01", "6000", "pension,nope")
    assert err.value.key == "scheme.unknown"


@pytest.mark.parametrize(("today", "month", "kind"), [
    (dt.date(2026, 11, 23), "2026-11", "regular"), (dt.date(2026, 11, 23), "2026-10", "regular"),
    (dt.date(2026, 11, 23), "2026-09", "back_payment"),
    (dt.date(2027, 1, 1), "2026-12", "regular"), (dt.date(2027, 1, 1), "2026-11", "back_payment"),
    (dt.date(2026, 11, 30), "2026-10", "regular"), (dt.date(2026, 12, 1), "2026-10", "back_payment"),
])
def test_back_payment_begins_two_months_before_the_current_one(ledger: Ledger, person: str, today: dt.date,
                                                               month: str, kind: str) -> None:
    """This month and last month are regular; the month before last and older are back payments
    (补缴), on either side of a month's and a year's end."""
    ledger.clock = today
    assert ledger.contributions.record(person, EMPLOYER, month, "6000").kind == kind


def test_regular_back_payment_and_arrears(ledger: Ledger, person: str) -> None:
    assert ledger.contributions.record(person, EMPLOYER, "2026-10", "6000").kind == "regular"
    assert ledger.contributions.record(person, EMPLOYER, "2026-11", "6000").kind == "regular"
    back = ledger.contributions.record(person, EMPLOYER, "2025-03", "6000")
    assert back.kind == "back_payment" and back.status == "paid"
    owed = ledger.contributions.record(person, EMPLOYER, "2026-09", "6000", arrears=True)
    assert owed.status == "arrears"
    st = ledger.accounts.statement(person)
    pension = st.schemes[0]
    assert (pension.months_paid, pension.months_in_arrears) == (3, 1)
    with pytest.raises(Conflict) as err:
        ledger.contributions.record(person, EMPLOYER, "2026-09", "6000", arrears=True)
    assert (err.value.key, err.value.params["month"]) == ("contrib.exists", "2026-09")
    paid = ledger.contributions.record(person, EMPLOYER, "2026-09", "6000")
    assert paid.status == "paid"
    st = ledger.accounts.statement(person)
    assert (st.schemes[0].months_paid, st.schemes[0].months_in_arrears) == (4, 0)
    with pytest.raises(Conflict) as err:
        ledger.contributions.record(person, EMPLOYER, "2026-09", "6000")
    assert (err.value.key, err.value.params["month"]) == ("contrib.exists", "2026-09")


def test_foreign_national_contributes_too(ledger: Ledger) -> None:
    f = ledger.workers.register_foreigner("KR", "M12345678", "KIM MINJUN", "M", "1988-02-03")
    m = ledger.contributions.record(f.ssn, EMPLOYER, "2026-10", "9000")
    assert _line(m, "pension").individual_account == D("720.00")
