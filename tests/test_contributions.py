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


# Half a fen at the counter: every share is rounded half up to the fen on its own, a product landing
# exactly on half a fen goes up, one a hair below it goes down. Office 360100, 2026: average wage
# 6000.00, floor 60% = 3600.00, ceiling 300% = 18000.00 (conftest and resources/base_limits.csv).


def _stored(ledger: Ledger, person: str, month: str) -> object:
    """The month as the ledger stored it (read back through the history service)."""
    worker_id, keys = ledger.history.month_keys(person)
    rows = ledger.history.rows(worker_id, keys)
    return next(r for r in rows.values() if str(r.month) == month)


def test_shipped_rates_exactly_half_a_fen_round_up(ledger: Ledger, person: str) -> None:
    # resources/rates.csv from 2019-05: medical 6% + 2%, unemployment 0.5% + 0.5%
    m = ledger.contributions.record(person, EMPLOYER, "2026-01", "6000.25", "medical")
    # 6000.25 x 0.06 = 360.0150 -> 360.02 ; 6000.25 x 0.02 = 120.0050 -> 120.01
    assert (_line(m, "medical").employer, _line(m, "medical").employee) == (D("360.02"), D("120.01"))
    u = ledger.contributions.record(person, EMPLOYER, "2026-02", "6001.00", "unemployment")
    # 6001.00 x 0.005 = 30.005 -> 30.01 (both shares)
    assert (_line(u, "unemployment").employer, _line(u, "unemployment").employee) == (D("30.01"), D("30.01"))
    below = ledger.contributions.record(person, EMPLOYER, "2026-03", "6000.99", "unemployment")
    # 6000.99 x 0.005 = 30.00495 -> 30.00
    assert (_line(below, "unemployment").employer, _line(below, "unemployment").employee) == (D("30.00"),
                                                                                              D("30.00"))
    jan = _stored(ledger, person, "2026-01").cells["medical"]  # type: ignore[attr-defined]
    assert (jan.employer, jan.employee, jan.account) == (D("360.02"), D("120.01"), D("0.00"))
    mar = _stored(ledger, person, "2026-03").cells["unemployment"]  # type: ignore[attr-defined]
    assert (mar.employer, mar.employee) == (D("30.00"), D("30.00"))


def test_half_a_fen_up_and_a_hair_below_down_for_every_share(ledger: Ledger, person: str) -> None:
    """Pension rates set by the office so that a base of 10000.00 lands each share on x.xx5 in
    2026-01 and on x.xx4999999 in 2026-02."""
    ledger.reference.set_rate("360100", "pension", "2026-01", "0.1234565", "0.0123455", "2026-01",
                              account="0.0876545")
    ledger.reference.set_rate("360100", "pension", "2026-02", "0.12345649999", "0.01234549999", "2026-02",
                              account="0.08765449999")
    up = ledger.contributions.record(person, EMPLOYER, "2026-01", "10000.00", "pension")
    down = ledger.contributions.record(person, EMPLOYER, "2026-02", "10000.00", "pension")
    # 10000.00 x 0.1234565 = 1234.565 -> 1234.57 ; x 0.0123455 = 123.455 -> 123.46 ; x 0.0876545 = 876.545 -> 876.55
    p = _line(up, "pension")
    assert (p.employer, p.employee, p.individual_account) == (D("1234.57"), D("123.46"), D("876.55"))
    assert p.pooling == D("481.48")  # 1234.57 + 123.46 - 876.55
    # 10000.00 x 0.12345649999 = 1234.5649999 -> 1234.56 ; x 0.01234549999 = 123.4549999 -> 123.45 ;
    # x 0.08765449999 = 876.5449999 -> 876.54
    q = _line(down, "pension")
    assert (q.employer, q.employee, q.individual_account) == (D("1234.56"), D("123.45"), D("876.54"))
    for month, want in (("2026-01", (D("1234.57"), D("123.46"), D("876.55"))),
                        ("2026-02", (D("1234.56"), D("123.45"), D("876.54")))):
        cell = _stored(ledger, person, month).cells["pension"]  # type: ignore[attr-defined]
        assert (cell.employer, cell.employee, cell.account) == want


def test_account_before_2006_half_a_fen(ledger: Ledger, person: str) -> None:
    # resources/rates.csv 1998-01..2005-12: pension 20% + 8%, 11% of the base to the account
    up = ledger.contributions.record(person, EMPLOYER, "2005-06", "6000.50", "pension")
    # 6000.50 x 0.11 = 660.0550 -> 660.06 ; x 0.20 = 1200.10 ; x 0.08 = 480.04
    p = _line(up, "pension")
    assert (p.employer, p.employee, p.individual_account) == (D("1200.10"), D("480.04"), D("660.06"))
    down = ledger.contributions.record(person, EMPLOYER, "2005-07", "6000.49", "pension")
    # 6000.49 x 0.11 = 660.0539 -> 660.05 ; x 0.20 = 1200.098 -> 1200.10 ; x 0.08 = 480.0392 -> 480.04
    q = _line(down, "pension")
    assert (q.employer, q.employee, q.individual_account) == (D("1200.10"), D("480.04"), D("660.05"))


@pytest.mark.parametrize(("wage", "base", "clamped", "pension_employer"), [
    ("3599.99", D("3600.00"), "floor", D("576.00")),  # 3600.00 x 0.16 = 576.00
    ("3600.00", D("3600.00"), None, D("576.00")),
    ("3600.01", D("3600.01"), None, D("576.00")),  # 3600.01 x 0.16 = 576.0016 -> 576.00
    ("17999.99", D("17999.99"), None, D("2880.00")),  # 17999.99 x 0.16 = 2879.9984 -> 2880.00
    ("18000.00", D("18000.00"), None, D("2880.00")),
    ("18000.01", D("18000.00"), "ceiling", D("2880.00")),
])
def test_wage_a_fen_around_the_base_limits(ledger: Ledger, person: str, wage: str, base: Decimal,
                                           clamped: str | None, pension_employer: Decimal) -> None:
    m = ledger.contributions.record(person, EMPLOYER, "2026-01", wage, "pension")
    assert (m.floor, m.ceiling, m.wage, m.base, m.clamped) == (D("3600.00"), D("18000.00"), D(wage), base,
                                                               clamped)
    assert _line(m, "pension").employer == pension_employer
    row = _stored(ledger, person, "2026-01")
    assert (row.wage, row.base) == (D(wage), base)  # type: ignore[attr-defined]


def test_base_limits_half_a_fen(ledger: Ledger, person: str) -> None:
    """Limits the office sets that land on half a fen: average 6000.10, floor 55%, ceiling 255%."""
    ledger.reference.set_wage(PROVINCE, 2026, "6000.10")
    ledger.reference.set_limits("360000", "2026-01", "0.55", "2.55", "2026-01")
    ledger.reference.set_limits("360000", "2026-02", "0.5499999999", "2.5499999999", "2026-02")
    up = ledger.contributions.record(person, EMPLOYER, "2026-01", "100", "pension", preview=True)
    # 6000.10 x 0.55 = 3300.055 -> 3300.06 ; 6000.10 x 2.55 = 15300.255 -> 15300.26
    assert (up.floor, up.ceiling, up.base) == (D("3300.06"), D("15300.26"), D("3300.06"))
    down = ledger.contributions.record(person, EMPLOYER, "2026-02", "100", "pension", preview=True)
    # 6000.10 x 0.5499999999 = 3300.05499939999 -> 3300.05 ; x 2.5499999999 = 15300.25499939999 -> 15300.25
    assert (down.floor, down.ceiling, down.base) == (D("3300.05"), D("15300.25"), D("3300.05"))
    top = ledger.contributions.record(person, EMPLOYER, "2026-01", "15300.27", "pension", preview=True)
    assert (top.base, top.clamped) == (D("15300.26"), "ceiling")
