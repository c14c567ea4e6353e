"""Flexible workers (灵活就业人员) paying the employees' pension alone: a year at 60% and at 300% of
the province average to the fen, rounding half up, refusals that write nothing, the system payer
that two offices create on their own, and a transfer by sync files moving the months exactly."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import EMPLOYER, PROVINCE
from sqlalchemy import select, text
from stdnum.cn import ric
from sync_support import EMP_BJ, EMP_NC, TODAY, make_office, send, trust_all

from desktop.core.errors import InvalidInput, InvalidRows, RefusedByRule, ShebaoError
from desktop.core.ledger import Ledger
from desktop.core.services.declaration import DeclarationRow
from desktop.core.services.flexible import FLEXIBLE_NAME, FLEXIBLE_USCC
from desktop.core.store.models import Contribution, Employer, Worker

D = Decimal


def citizen(region: str, born: dt.date, seq: int = 1) -> str:
    """A well-formed ID number of a man: region, birth date, odd sequence, check digit."""
    body = f"{region}{born:%Y%m%d}{seq * 2 + 1:03d}"
    return body + ric.calc_check_digit(body + "0")


def rows(led: Ledger, worker: str) -> list[tuple[Any, ...]]:
    """The person's stored months: month, payer, scheme, kind, status, base and the three amounts."""
    with led.read() as s:
        return [tuple(r) for r in s.execute(
            select(Contribution.month, Employer.uscc, Contribution.scheme, Contribution.kind,
                   Contribution.status, Contribution.base, Contribution.employer_amount,
                   Contribution.employee_amount, Contribution.account_amount)
            .join(Employer, Employer.id == Contribution.employer_id)
            .join(Worker, Worker.id == Contribution.worker_id)
            .where(Worker.id_number == worker).order_by(Contribution.month))]


def counts(led: Ledger) -> dict[str, int]:
    """Every table's row count."""
    with led.read() as s:
        names = [r[0] for r in s.execute(text("SELECT name FROM sqlite_master WHERE type = 'table' "
                                              "AND name NOT LIKE 'sqlite_%' ORDER BY name"))]
        return {n: int(s.execute(text(f'SELECT count(*) FROM "{n}"')).scalar() or 0) for n in names}


def refused(led: Ledger, error: type[ShebaoError], key: str, *args: Any) -> ShebaoError:
    """Pay, expect the refusal with its key, and check that nothing at all was written."""
    before = counts(led)
    with pytest.raises(error) as info:
        led.flexible.pay(*args)
    assert info.value.key == key, info.value.key
    assert counts(led) == before
    return info.value


# -- a year paid at once ------------------------------------------------------------------

def test_a_year_at_60_and_at_300_percent_to_the_fen(ledger: Ledger, person: str) -> None:
    # the province's previous-year all-urban average monthly wage used in 2025, as the office enters it
    ledger.reference.set_wage(PROVINCE, 2025, "7017.50")
    paid = ledger.flexible.pay(person, "2025-01", "2025-12", "0.60")
    # 7017.50 x 0.60 = 4210.50; 20% = 842.10 paid alone; 8% = 336.84 to the account; 12% = 505.26
    assert D("7017.50") * D("0.60") == D("4210.50")
    assert (paid.base, paid.ratio, paid.recorded) == (D("4210.50"), D("0.60"), True)
    assert [(str(m.month), m.base, m.amount, m.individual_account, m.pooling) for m in paid.months] == [
        (f"2025-{i:02d}", D("4210.50"), D("842.10"), D("336.84"), D("505.26")) for i in range(1, 13)]
    assert paid.total == D("842.10") * 12 == D("10105.20")
    assert paid.individual_account == D("336.84") * 12 == D("4042.08")
    assert rows(ledger, person) == [
        (202500 + i, FLEXIBLE_USCC, "pension", "flexible", "paid", D("4210.50"), D("0.00"), D("842.10"),
         D("336.84")) for i in range(1, 13)]

    other = ledger.workers.register_citizen(citizen("360102", dt.date(1980, 5, 6)), "李四", "360102", "urban").key
    high = ledger.flexible.pay(other, "2025-01", "2025-12", "3")
    # 7017.50 x 3 = 21052.50; 20% = 4210.50; 8% = 1684.20; 12% = 2526.30
    assert high.base == D("21052.50")
    assert {(m.amount, m.individual_account, m.pooling) for m in high.months} == {
        (D("4210.50"), D("1684.20"), D("2526.30"))}
    assert (high.total, high.individual_account) == (D("50526.00"), D("20210.40"))

    # the statement reads them like any other month: 12 months paid here, the account credited
    st = ledger.accounts.statement(person)
    pension = next(r for r in st.schemes if r.scheme == "pension")
    assert [(p.region, p.months_paid, p.first_month, p.last_month) for p in pension.regions] == [
        ("360100", 12, "2025-01", "2025-12")]
    assert st.individual_account_balance == D("4042.08")
    # one system payer row, created once
    with ledger.read() as s:
        payers = [(e.uscc, e.name, e.region, e.risk_class) for e in s.scalars(
            select(Employer).where(Employer.uscc == FLEXIBLE_USCC))]
    assert payers == [(FLEXIBLE_USCC, FLEXIBLE_NAME, "000000", None)]


def test_the_base_is_rounded_half_up_to_the_fen(ledger: Ledger, person: str) -> None:
    # 8% or 20% of a base in whole fen never ends in exactly half a fen (b x 8/100 and b x 20/100 fen
    # have fractions in steps of 0.04 and 0.2), so the half fen is in the base itself:
    # 6543.10 x 0.65 = 4253.015 -> 4253.02 (half up); 20% = 850.604 -> 850.60; 8% = 340.2416 -> 340.24
    ledger.reference.set_wage(PROVINCE, 2024, "6543.10")
    assert D("6543.10") * D("0.65") == D("4253.015")
    preview = ledger.flexible.pay(person, "2024-03", "2024-05", "0.65", preview=True)
    assert not preview.recorded and rows(ledger, person) == []
    paid = ledger.flexible.pay(person, "2024-03", "2024-05", "0.65")
    assert paid.months == preview.months
    assert [(m.base, m.amount, m.individual_account, m.pooling) for m in paid.months] == [
        (D("4253.02"), D("850.60"), D("340.24"), D("510.36"))] * 3
    # 6000 x 0.605 = 3630.00 in the month paid from another year's wage (2023: 6000 as set)
    again = ledger.flexible.pay(person, "2023-12", "2023-12", "0.605")
    assert (again.base, again.total) == (D("3630.00"), D("726.00"))  # 3630 x 20% = 726.00


# -- refusals ---------------------------------------------------------------------------------

def test_refusals_write_nothing(ledger: Ledger, person: str) -> None:
    err = refused(ledger, InvalidInput, "flexible.ratio_range", person, "2025-01", "2025-03", "0.59")
    assert err.field == "ratio" and "0.60" in err.message() and "3.00" in err.message()
    refused(ledger, InvalidInput, "flexible.ratio_range", person, "2025-01", "2025-03", "3.01")
    refused(ledger, InvalidInput, "ratio.format", person, "2025-01", "2025-03", "six")
    err = refused(ledger, InvalidInput, "month.future", person, "2026-11", "2026-12", "1")
    assert "2026-12" in err.message()
    refused(ledger, InvalidInput, "month.order", person, "2025-03", "2025-01", "1")
    refused(ledger, InvalidInput, "worker.unknown", "110101199001011237", "2025-01", "2025-01", "1")
    # a month an employer paid: the whole run is refused, no month of it written
    ledger.contributions.record(person, EMPLOYER, "2025-06", "8000")
    err = refused(ledger, RefusedByRule, "flexible.month_paid", person, "2025-01", "2025-12", "1")
    assert "2025-06" in err.message() and EMPLOYER in err.message()
    # a month already paid as a flexible worker
    ledger.flexible.pay(person, "2025-07", "2025-09", "1")
    refused(ledger, RefusedByRule, "flexible.month_paid", person, "2025-09", "2025-10", "1")
    # drawing a pension
    with ledger.write() as s:
        s.scalars(select(Worker).where(Worker.id_number == person)).one().pension_since = dt.date(2026, 10, 1)
    err = refused(ledger, RefusedByRule, "flexible.drawing_pension", person, "2025-10", "2025-10", "1")
    assert "2026-10-01" in err.message()


def test_no_average_wage_names_the_province_and_year(db_path: Path) -> None:
    led = Ledger.open(db_path, clock=lambda: TODAY)
    try:
        led.office.init("OFF01", "南昌市社保局", "360100")
        led.reference.set_wage("360000", 2025, "7000")
        w = led.workers.register_citizen("510107198511113215", "张三", "510107", "rural").key
        err = refused(led, RefusedByRule, "flexible.no_average_wage", w, "2024-12", "2025-01", "1")
        assert "江西省" in err.message() and "360000" in err.message() and "2024" in err.message()
        assert err.message("en").startswith("from month: 江西省 (360000) has no")
    finally:
        led.close()


def test_the_system_payer_is_no_employer(ledger: Ledger, person: str) -> None:
    with pytest.raises(InvalidInput) as info:
        ledger.employers.register(FLEXIBLE_USCC, "冒用", None, 1)
    assert info.value.key.startswith("uscc.")
    ledger.flexible.pay(person, "2025-01", "2025-01", "1")
    with pytest.raises(InvalidInput) as info:
        ledger.contributions.record(person, FLEXIBLE_USCC, "2025-02", "6000")
    assert info.value.key == "flexible.system_employer"
    with pytest.raises(InvalidInput) as info:
        ledger.contributions.correct(person, FLEXIBLE_USCC, "2025-01", "7000", "typo")
    assert info.value.key == "flexible.system_employer"
    bad = [DeclarationRow(2, FLEXIBLE_USCC, person, "张三", "2025-03", "6000")]
    with pytest.raises(InvalidRows) as rows_info:
        ledger.contributions.import_rows(bad, "decl.csv", "x")
    assert [(r.line, r.key) for r in rows_info.value.rows] == [(2, "flexible.system_employer")]


def test_the_office_overrides_the_flexible_rate(ledger: Ledger, person: str) -> None:
    ledger.reference.set_rate("360000", "flexible", "2025-01", "0", "0.18", account="0.08")
    paid = ledger.flexible.pay(person, "2025-01", "2025-01", "1")
    # 6000 x 18% = 1080.00 paid; 8% = 480.00 to the account; the rest 600.00 to pooling
    assert (paid.total, paid.individual_account, paid.months[0].pooling) == (D("1080.00"), D("480.00"), D("600.00"))
    with pytest.raises(InvalidInput) as err:
        ledger.reference.set_rate("360000", "flexible", "2025-01", "0", "0.18")
    assert (err.value.key, err.value.field) == ("required", "rate")


# -- two offices ----------------------------------------------------------------------------

BANK = {"bank_account_name": "北京市朝阳区社保中心养老保险基金收入户", "bank": "中国工商银行北京朝阳支行",
        "bank_account": "0200 0012 3456 7890 123", "address": "北京市朝阳区工体北路1号", "phone": "010-65000000"}
RATE_2025 = D("0.0250")  # entered by the offices (the shipped table ends at 2024)


def half_up(amount: Decimal) -> Decimal:
    return amount.quantize(D("0.01"), rounding="ROUND_HALF_UP")


def test_flexible_months_sync_and_transfer_exactly(sqlite_template: Path, tmp_path: Path) -> None:
    a = make_office(sqlite_template, tmp_path, "NC01", "南昌市社保局", "360100", EMP_NC, "南昌赣江机械制造有限公司")
    b = make_office(sqlite_template, tmp_path, "BJ01", "北京市朝阳区社保中心", "110105", EMP_BJ, "北京朝阳科技有限公司")
    try:
        trust_all(a, b)
        for led in (a, b):
            led.reference.set_interest(2025, RATE_2025)
        a.reference.set_wage("360000", 2025, "7017.50")
        wang = citizen("360102", dt.date(1985, 3, 12))
        a.workers.register_citizen(wang, "王五", "360102", "rural")
        a.flexible.pay(wang, "2024-01", "2024-12", "0.60")  # 6000 x 0.60 = 3600.00
        a.flexible.pay(wang, "2025-01", "2025-12", "0.60")  # 7017.50 x 0.60 = 4210.50
        # Beijing creates the system payer on its own, for its own flexible worker
        zhao = citizen("110105", dt.date(1990, 1, 2))
        b.workers.register_citizen(zhao, "赵六", "110105", "urban")
        b.flexible.pay(zhao, "2026-01", "2026-10", "1")
        plan_total = a.transfers.plan(wang, "110105").total

        first = send(a, b, tmp_path)
        back = send(b, a, tmp_path)
        assert first.conflicts == back.conflicts == 0  # type: ignore[attr-defined]
        assert a.sync.conflicts() == [] and b.sync.conflicts() == []
        payer = []
        for led in (a, b):
            with led.read() as s:
                payer.append([(e.uscc, e.name, e.region, e.risk_class) for e in s.scalars(
                    select(Employer).where(Employer.uscc == FLEXIBLE_USCC))])
        assert payer[0] == payer[1] == [(FLEXIBLE_USCC, FLEXIBLE_NAME, "000000", None)]
        # the months arrived as they were recorded (the sync file is the way they reach Beijing)
        assert rows(b, wang) == rows(a, wang) and len(rows(b, wang)) == 24

        letter = b.transfers.request(wang, "360100", letter=BANK)
        send(b, a, tmp_path)
        table = a.transfers.settle(letter.case.number)
        send(a, b, tmp_path)
        b.transfers.receive(letter.case.number, table.case.total)
        send(b, a, tmp_path)

        # by hand: 8% to the account, 12% of every base to the pooling fund
        credited_2024 = D("3600.00") * D("0.08") * 12
        assert credited_2024 == D("3456.00")
        interest_2025 = half_up(credited_2024 * RATE_2025)  # on the 2024 closing; 2025's money earns none
        assert interest_2025 == D("86.40")
        credited_2025 = D("336.84") * 12
        balance = credited_2024 + interest_2025 + credited_2025  # 2026 (the transfer year): no interest yet
        assert balance == D("7584.48")
        pooling = D("3600.00") * 12 * D("0.12") + D("4210.50") * 12 * D("0.12")
        assert pooling == D("5184.00") + D("6063.12") == D("11247.12")
        total = balance + pooling
        case = table.case
        assert (case.account, case.pooling, case.total) == (balance, pooling, total)
        assert plan_total == total
        assert b.transfers.show(letter.case.number).status == "received"
        assert b.accounts.statement(wang).individual_account_balance == balance
        assert a.sync.conflicts() == [] and b.sync.conflicts() == []
    finally:
        a.close()
        b.close()


# -- command line -----------------------------------------------------------------------------

def test_cli_flexible_pay(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                          monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from desktop import cli
    from desktop.core.clock import Clock

    monkeypatch.delenv("SHEBAO_DB", raising=False)
    db = str(tmp_path / "cli.db")

    def run(*args: str) -> tuple[int, Any]:
        code = cli.main(["--db", db, "--json", *args], clock=Clock(day=lambda: TODAY))
        out = capsys.readouterr().out
        return code, json.loads(out) if out.strip() else None

    assert run("init", "--office", "NC01", "--office-name", "南昌", "--region", "360100")[0] == 0
    assert run("wage", "set", "--region", "360000", "--year", "2026", "--monthly", "7017.50")[0] == 0
    assert run("worker", "register", "--id-number", "510107198511113215", "--name", "张三",
               "--hukou-region", "510107", "--hukou-type", "rural")[0] == 0
    args = ("flexible", "pay", "--worker", "510107198511113215", "--from", "2026-01", "--to", "2026-03",
            "--base-ratio", "0.60")
    code, data = run(*args, "--preview")
    # 7017.50 x 0.60 = 4210.50; 20% = 842.10 a month, 3 months 2526.30; 8% = 336.84, 3 months 1010.52
    month = {"average_wage": "7017.50", "base": "4210.50", "amount": "842.10",
             "individual_account": "336.84", "pooling": "505.26"}
    assert code == 0
    assert data == {"worker": "510107198511113215",
                    "months": [{"month": f"2026-0{i}", **month} for i in (1, 2, 3)],
                    "base": "4210.50", "ratio": "0.60", "total": "2526.30", "individual_account": "1010.52",
                    "recorded": False}
    code, data = run(*args)
    assert code == 0 and data["recorded"] is True and data["total"] == "2526.30"
    code, data = run("account", "510107198511113215")
    assert data["schemes"]["pension"]["individual_account_balance"] == "1010.52"
    code, data = run(*args)  # the months are paid now
    assert code != 0 and data["error"]["key"] == "flexible.month_paid"
    code, data = run("flexible", "pay", "--worker", "510107198511113215", "--from", "2026-04", "--to", "2026-04",
                     "--base-ratio", "3.5")
    assert code != 0 and data["error"]["key"] == "flexible.ratio_range" and data["error"]["field"] == "ratio"
    code = cli.main(["--db", db, *args[:-1], "1", "--preview"], clock=Clock(day=lambda: TODAY))
    assert code != 0 and "2026-01已有职工基本养老保险缴费记录" in capsys.readouterr().err
    code = cli.main(["--db", db, "flexible", "pay", "--worker", "510107198511113215", "--from", "2026-04",
                     "--to", "2026-04", "--base-ratio", "1", "--preview"], clock=Clock(day=lambda: TODAY))
    assert code == 0 and "7017.50" in capsys.readouterr().out


# -- the tax office's list of payments ------------------------------------------------------------

def test_a_payment_file_is_imported_whole_or_not_at_all(ledger: Ledger, person: str, tmp_path: Path) -> None:
    ledger.reference.set_wage(PROVINCE, 2025, "7017.50")
    other = ledger.workers.register_citizen(citizen("360102", dt.date(1980, 5, 6)), "李四", "360102", "urban").key
    bad = tmp_path / "flex.csv"
    bad.write_text("身份证号码,姓名,起始月份,截止月份,缴费基数比例\n"
                   f"{person},张三,2025-01,2025-03,0.60\n"
                   f"{other},李四,2025-01,2025-12,3.5\n"  # above 300%
                   f"{person},张三,2025-03,2025-03,1.00\n", encoding="gbk")  # March twice
    before = counts(ledger)
    from desktop.core.services.flexible import read_flexible

    with pytest.raises(InvalidRows) as err:
        ledger.flexible.import_rows(read_flexible(bad))
    assert [(r.line, r.field, r.key) for r in err.value.rows] == [
        (3, "ratio", "flexible.ratio_range"), (4, "from", "flexible.twice_in_file")]
    assert counts(ledger) == before
    good = tmp_path / "flex.xlsx"
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id_number", "name", "from", "to", "ratio"])
    sheet.append([person, "张三", "2025-01", "2025-03", "0.60"])
    sheet.append([other, "李四", "2025-01", "2025-12", "3"])
    book.save(good)
    done = ledger.flexible.import_rows(read_flexible(good))
    # 7017.50 x 0.60 = 4210.50 -> 842.10 a month, 3 months; x 3 = 21052.50 -> 4210.50 a month, 12
    assert [(p.worker, len(p.months), p.total) for p in done] == [
        (person, 3, D("2526.30")), (other, 12, D("50526.00"))]
    assert len(rows(ledger, person)) == 3 and len(rows(ledger, other)) == 12
    # what a month costs at the lowest base the office allows (60%), for extended payment
    cost = ledger.flexible.month_cost(month="2025-06")
    assert (cost.base, cost.amount) == (D("4210.50"), D("842.10"))
