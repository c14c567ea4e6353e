"""Medical years and unemployment time across regions: paid here, known by sync, carried on paper."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import EMPLOYER
from stdnum.cn import ric
from sync_support import EMP_BJ, EMP_NC, make_office, send, trust_all, uscc

from desktop.core.errors import Conflict, InvalidInput, RefusedByRule
from desktop.core.ledger import Ledger
from desktop.core.month import Month
from desktop.core.services.declaration import DeclarationRow


def citizen(region: str, born: dt.date, seq: int = 1) -> str:
    body = f"{region}{born:%Y%m%d}{seq * 2 + 1:03d}"
    return body + ric.calc_check_digit(body + "0")


def declare(led: Ledger, employer: str, worker: str, first: str, last: str) -> None:
    months, m = [], Month.parse(first)
    while m <= Month.parse(last):
        months.append(m)
        m = m.add(1)
    name = led.workers.get(worker).name
    rows = [DeclarationRow(i + 2, employer, worker, name, str(x), "6000") for i, x in enumerate(months)]
    assert led.contributions.import_rows(rows, "d.csv", f"{worker}{first}").recorded == len(rows)


def test_medical_years_add_up_over_three_regions(sqlite_template: Path, tmp_path: Path) -> None:
    nc = make_office(sqlite_template, tmp_path, "NC01", "南昌市社保局", "360100", EMP_NC, "南昌赣江机械")
    bj = make_office(sqlite_template, tmp_path, "BJ01", "北京市朝阳区社保中心", "110105", EMP_BJ, "北京朝阳科技")
    try:
        trust_all(nc, bj)
        man = citizen("360102", dt.date(1975, 5, 5))
        bj.workers.register_citizen(man, "周强", "360102", "rural")
        declare(bj, uscc(EMP_BJ), man, "2015-01", "2019-12")  # 60 months in Beijing
        send(bj, nc, tmp_path)  # Nanchang knows them by sync
        declare(nc, uscc(EMP_NC), man, "2020-01", "2026-10")  # 82 months here
        # Shanghai's certificate, typed in: 2005-01..2014-12, 120 months
        nc.insured.carry(man, "medical", "310115", "2005-01", "2014-12", "上海市医保转移凭证 沪医保转〔2015〕1号")
        # Beijing's certificate repeats months already known by sync: they count once
        nc.insured.carry(man, "medical", "110105", "2015-01", "2016-12", "北京市医保参保凭证")
        med = nc.insured.medical(man)
        assert [(r.region, r.months, r.carried) for r in med.regions] == [
            ("310115", 120, True), ("110105", 60, False), ("110105", 24, True), ("360100", 82, False)]
        assert med.months == 120 + 60 + 82 and med.years == Decimal("21.83")
        assert med.minimum_months is None and med.meets_minimum is None  # the office has not entered it
        nc.insured.set_medical_minimum(25, 20)
        med = nc.insured.medical(man)
        assert (med.minimum_months, med.meets_minimum) == (300, False)
        nc.insured.carry(man, "medical", "310115", "1996-01", "2004-12", "上海市医保转移凭证（续）")
        assert (nc.insured.medical(man).months, nc.insured.medical(man).meets_minimum) == (370, True)
        with pytest.raises(Conflict) as err:
            nc.insured.carry(man, "medical", "310115", "1996-01", "2004-12", "重复")
        assert (err.value.key, err.value.params["first"]) == ("insured.carried_exists", "1996-01")
        with pytest.raises(InvalidInput) as err:
            nc.insured.carry(man, "medical", "310115", "1990-01", "1990-12", " ")
        assert (err.value.key, err.value.field) == ("required", "document")
        send(nc, bj, tmp_path)  # the carried periods travel with the person
        assert bj.insured.medical(man).months == 370
    finally:
        nc.close()
        bj.close()


def test_an_unemployment_claim_starts_the_time_again(ledger: Ledger, person: str) -> None:
    declare(ledger, EMPLOYER, person, "2018-01", "2022-12")  # 60 months here
    ledger.insured.carry(person, "unemployment", "420100", "2014-01", "2017-12", "武汉市失业保险缴费证明")
    before = ledger.insured.unemployment(person)
    assert (before.months, before.benefit_months, before.since) == (108, 18, None)  # 9 years: 18 months
    claim = ledger.insured.claim(person, "2023-02-01")
    assert (claim.insured_months, claim.benefit_months) == (108, 18)
    after = ledger.insured.unemployment(person)
    assert (after.months, after.benefit_months, after.since) == (0, 0, Month(2023, 3))
    with pytest.raises(RefusedByRule) as err:  # under a year since the last claim
        ledger.insured.claim(person, "2023-06-01")
    assert err.value.key == "insured.too_short"
    declare(ledger, EMPLOYER, person, "2024-01", "2026-10")  # 34 months after the claim
    again = ledger.insured.unemployment(person)
    assert (again.months, again.benefit_months) == (34, 12)
    with pytest.raises(RefusedByRule) as err:
        ledger.insured.claim(person, "2022-12-31")
    assert err.value.key == "insured.claim_order"
