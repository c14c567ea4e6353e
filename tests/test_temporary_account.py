"""A temporary contribution account's whole life, by sync and on paper, to the fen.

A woman from Jiangxi (hukou in Nanchang) works there from 2012, goes to Hangzhou at 42 in 2016
(Zhejiang opens a temporary account: the relationship stays in Jiangxi), moves on to Fuzhou in 2020
(Zhejiang seals its account, Fujian opens another) and reaches the retirement age of women workers,
50, in June 2024; Nanchang then gathers both accounts, all employer and employee money with
interest (国办发〔2009〕66号 第五条, 人社部规〔2016〕5号). It runs once by sync and once on paper;
every amount is checked against a roll computed here from what was paid and the national crediting
rates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from stdnum.cn import ric
from sync_support import make_office, send, trust_all, uscc
from test_transfer_chain import BANK, NATIONAL, Offices, pdf_text, span, typed_from

from desktop.core.errors import InvalidInput, RefusedByRule
from desktop.core.ledger import Ledger
from desktop.core.month import Month
from desktop.core.services.declaration import DeclarationRow
from desktop.core.store.models import Contribution, TemporaryAccount, TransferCase, Worker

CENT = Decimal("0.01")
EMP = {"NC": "91360100MA35F7Q10", "HZ": "91330100MA2H3K4L5", "FZ": "91350100MA2Y3K4L9"}
OFFICES = {"NC": ("NC01", "南昌市社保局", "360100"), "HZ": ("HZ01", "杭州市社会保险管理服务中心", "330100"),
           "FZ": ("FZ01", "福州市社会保险中心", "350100")}
_BODY = "36010219740610024"  # a woman (even 17th digit): 50 on 2024-06-10
XU = _BODY + ric.calc_check_digit(_BODY + "0")
STINTS = {"NC": ("2012-01", "2016-06", "3000"), "HZ": ("2016-07", "2019-12", "5000"),
          "FZ": ("2020-01", "2024-05", "6000")}
EARLY_RATE = Decimal("0.0300")
TO_HZ, TO_FZ, GATHER = dt.date(2016, 7, 1), dt.date(2020, 1, 2), dt.date(2024, 7, 1)


@pytest.fixture(scope="module")
def office_files(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("temporary-offices")
    ledgers = {k: make_office(sqlite_template, folder, *v, EMP[k], f"{v[1]}测试单位") for k, v in OFFICES.items()}
    trust_all(*ledgers.values())
    for led in ledgers.values():
        for year in range(2012, 2016):  # before the national rates: the office's own (figures for the test)
            led.reference.set_interest(year, EARLY_RATE)
        led.close()
    return {k: folder / f"{v[0]}.db" for k, v in OFFICES.items()}


@pytest.fixture
def offices(office_files: dict[str, Path], tmp_path: Path) -> Iterator[Offices]:
    (tmp_path / "o").mkdir()
    o = Offices(office_files, tmp_path / "o")
    yield o
    o.close()


def paid(led: Ledger, region: str) -> dict[Month, tuple[Decimal, Decimal, Decimal]]:
    """What was paid: per month the base, all employer and employee money, the account credit."""
    with led.read() as s:
        w = s.scalars(select(Worker).where(Worker.id_number == XU)).one()
        rows = s.scalars(select(Contribution).where(Contribution.worker_id == w.id, Contribution.scheme == "pension",
                                                    Contribution.region == region))
        return {Month.from_int(r.month): (r.base, r.employer_amount + r.employee_amount, r.account_amount)
                for r in rows}


def by_hand(months: dict[Month, tuple[Decimal, Decimal, Decimal]], through: int) -> tuple[Decimal, Decimal]:
    """All money with interest, and the account part with interest, rolled to `through`.

    Interest for a year is the balance at the end of the year before times the national rate, half
    up to the fen; the year's new money and the year of gathering earn none.
    """
    out = []
    for pick in (1, 2):
        balance = Decimal(0)
        for year in range(min(m.year for m in months), through + 1):
            rate = Decimal(NATIONAL[year]) if year in NATIONAL else EARLY_RATE
            interest = Decimal(0) if year == through else (balance * rate).quantize(
                CENT, rounding=ROUND_HALF_UP)
            balance += interest + sum((v[pick] for m, v in months.items() if m.year == year), Decimal(0))
        out.append(balance)
    return out[0], out[1]


def declare(led: Ledger, office: str, worker: str, months: list[Month], wage: str) -> None:
    name = led.workers.get(worker).name
    rows = [DeclarationRow(i + 2, uscc(EMP[office]), worker, name, str(m), wage) for i, m in enumerate(months)]
    assert led.contributions.import_rows(rows, "decl.csv", f"{worker}-{office}-{months[0]}").recorded == len(rows)


def register(led: Ledger) -> None:
    try:
        led.workers.get(XU)
    except InvalidInput:
        led.workers.register_citizen(XU, "许秀英", "360102", "rural")


def life(o: Offices, route: str) -> dict[str, Any]:
    nc = o.at("NC", TO_HZ)
    register(nc)
    declare(nc, "NC", XU, span(*STINTS["NC"][:2]), STINTS["NC"][2])
    # Hangzhou, 2016: she is 42, Zhejiang is not her hukou province
    hz = o.at("HZ", TO_HZ)
    if route == "sync":
        send(nc, hz, o.folder)
    else:
        register(hz)
    plan = hz.transfers.plan(XU, "330100", from_region="360100")
    assert (plan.kind, plan.funds_move, plan.temporary_account, plan.temporary_rule) == (
        "temporary", False, True, "temporary.age_other_province")
    opened = hz.transfers.request(XU, "360100", letter=BANK, channel=route)
    assert (opened.case.kind, opened.case.status, opened.document_number) == ("temporary", "received", None)
    assert "临时基本养老保险缴费账户" in opened.case.note and "42岁" in opened.case.note
    # a second request while the account is open is refused, with the reason
    with pytest.raises(RefusedByRule) as err:
        hz.transfers.request(XU, "360100", channel=route)
    assert err.value.key == "temporary.exists"
    # Fuzhou, 2020: Zhejiang records her months, seals its account and gives her the certificate
    hz = o.at("HZ", TO_FZ)
    declare(hz, "HZ", XU, span(*STINTS["HZ"][:2]), STINTS["HZ"][2])
    hz_paid = paid(hz, "330100")
    # the months are the temporary account's, not a record Hangzhou could transfer
    assert hz.transfers.plan(XU, "350100").months_counted == 0
    hz_total, _ = by_hand(hz_paid, TO_FZ.year)
    statement = "".join(pdf_text(hz.documents.issue("statement", XU).pdf).split())
    assert f"另有临时基本养老保险缴费账户：330100浙江省杭州市，使用中，42个月，单位和个人全部缴费本息{hz_total:.2f}元" \
        in statement
    sealed = hz.transfers.seal_temporary(XU, "350100")
    page = pdf_text(sealed.pdf or b"")
    assert f"全部缴费本息： {hz_total:.2f}" in page.replace("：", "： ").replace("：  ", "： ")
    assert "基本养老保险关系所在地： 360100" in page.replace("：", "： ").replace("：  ", "： ")
    with pytest.raises(RefusedByRule) as err:
        hz.transfers.seal_temporary(XU, "350100")
    assert err.value.key == "temporary.none_open"
    fz = o.at("FZ", TO_FZ)
    if route == "sync":
        send(hz, fz, o.folder)
        fz.transfers.request(XU, "330100", channel="sync")  # the relationship is known: Nanchang's
    else:
        register(fz)
        fz.transfers.request(XU, "330100", channel="paper", relationship="360100")  # from the certificate
    fz = o.at("FZ", GATHER)
    declare(fz, "FZ", XU, span(*STINTS["FZ"][:2]), STINTS["FZ"][2])
    fz_paid = paid(fz, "350100")
    # before pension age the relationship's office may not gather (only an approved transfer)
    nc = o.at("NC", dt.date(2024, 6, 7))
    with pytest.raises(RefusedByRule) as err:
        nc.transfers.gather_temporary(XU, "330100", letter=BANK, channel=route)
    assert err.value.key == "temporary.not_yet" and err.value.params["on"] == "2024-06-10"
    # July 2024: she is 50; Nanchang gathers both accounts
    nc = o.at("NC", GATHER)
    moved = {}
    for key in ("HZ", "FZ"):
        region = OFFICES[key][2]
        holder = o.at(key, GATHER)
        if route == "sync":
            send(o.at("FZ", GATHER) if key == "HZ" else holder, nc, o.folder)
            letter = nc.transfers.gather_temporary(XU, region, letter=BANK)
            send(nc, holder, o.folder)
            table = holder.transfers.settle(letter.case.number)
            send(holder, nc, o.folder)
            done = nc.transfers.receive(letter.case.number, table.case.total)
        else:
            letter = nc.transfers.gather_temporary(XU, region, letter=BANK, channel="paper")
            assert "临时基本养老保险缴费账户" in pdf_text(letter.pdf or b"")
            holder.transfers.enter_letter(letter.case.number, XU, "360100", "NC01", GATHER, BANK, kind="gather")
            table = holder.transfers.settle(letter.case.number)
            typed = typed_from(table.pdf or b"")
            nc.transfers.enter_table(letter.case.number, typed["pre1998"], typed["to_last_year_end"],
                                     typed["this_year_principal"], typed["account"], typed["pooling"],
                                     typed["total"], typed["rows"], table_number=table.document_number or "",
                                     periods=typed["periods"])
            done = nc.transfers.receive(letter.case.number, typed["total"])
        assert "临时缴费账户" in pdf_text(table.pdf or b"")
        assert (done.kind, done.status) == ("gather", "received")
        moved[key] = (table.case.account, table.case.pooling, table.case.total)
        with pytest.raises(RefusedByRule) as err:  # gathered once
            holder.transfers.settle(letter.case.number)
        assert err.value.key == "transfer.already_settled"
    view = nc.records.view(XU)
    return {"moved": moved, "hz_paid": hz_paid, "fz_paid": fz_paid, "nc_paid": paid(nc, "360100"),
            "months": view.money.months_counted, "account": view.money.account_fen,
            "places": tuple((x.place, x.months) for x in view.places), "place": (view.place.region, view.place.rule),
            "temporary": [(t.info.region, t.info.state) for t in nc.transfers.temporary(XU)]}


def test_a_woman_of_42_from_jiangxi_gathers_two_temporary_accounts_to_the_fen(
        offices: Offices, office_files: dict[str, Path], tmp_path: Path) -> None:
    by_sync = life(offices, "sync")
    offices.close()
    (tmp_path / "paper").mkdir()
    paper = Offices(office_files, tmp_path / "paper")
    try:
        on_paper = life(paper, "paper")
    finally:
        paper.close()
    assert by_sync == on_paper  # the routes do not change a fen

    for key, months in (("HZ", by_sync["hz_paid"]), ("FZ", by_sync["fz_paid"])):
        total, account = by_hand(months, GATHER.year)
        assert by_sync["moved"][key] == (account, total - account, total), key
    assert len(by_sync["hz_paid"]) == 42 and len(by_sync["fz_paid"]) == 53
    # every month counts once, at Nanchang, where her pension is paid (the hukou province)
    assert by_sync["months"] == 54 + 42 + 53
    assert by_sync["places"] == (("360000", 54), ("330000", 42), ("350000", 53))
    assert by_sync["place"] == ("360100", "place.hukou")
    # Nanchang's record: its own account plus both accounts' individual-account parts
    _, nc_account = by_hand(by_sync["nc_paid"], GATHER.year)
    hz_acc = by_hand(by_sync["hz_paid"], 2024)[1]
    fz_acc = by_hand(by_sync["fz_paid"], 2024)[1]
    assert Decimal(by_sync["account"]).scaleb(-2) == nc_account + hz_acc + fz_acc
    assert sorted(by_sync["temporary"]) == [("330100", "gathered"), ("350100", "gathered")]


def test_a_temporary_account_is_gathered_only_by_the_relationship_office(offices: Offices) -> None:
    nc = offices.at("NC", TO_HZ)
    register(nc)
    declare(nc, "NC", XU, span("2015-01", "2016-06"), "3000")
    hz = offices.at("HZ", TO_HZ)
    send(nc, hz, offices.folder)
    hz.transfers.request(XU, "360100")
    hz = offices.at("HZ", dt.date(2017, 7, 3))
    declare(hz, "HZ", XU, span("2016-07", "2017-06"), "5000")
    fz = offices.at("FZ", GATHER)
    send(hz, fz, offices.folder)
    with pytest.raises(RefusedByRule) as err:
        fz.transfers.gather_temporary(XU, "330100")
    assert err.value.key == "temporary.not_relationship" and err.value.params["region"] == "360100"
    # an approved transfer gathers before pension age; nothing is written by a refusal
    nc = offices.at("NC", dt.date(2018, 3, 1))
    with nc.read() as s:
        before = s.scalar(select(TransferCase.id).order_by(TransferCase.id.desc()).limit(1))
    with pytest.raises(RefusedByRule) as err:
        nc.transfers.gather_temporary(XU, "330100")
    assert (err.value.key, err.value.params["on"]) == ("temporary.not_yet", "2024-06-10")
    with nc.read() as s:
        assert s.scalar(select(TransferCase.id).order_by(TransferCase.id.desc()).limit(1)) == before
    letter = nc.transfers.gather_temporary(XU, "330100", approved="赣人社函〔2018〕12号")
    assert letter.case.kind == "gather" and letter.case.status == "requested"
    with hz.read() as s:
        assert s.scalars(select(TemporaryAccount)).one().relationship_region == "360100"
