"""The pension determination (待遇核定) at the pension place, with real office databases and sync files.

The woman of tests/test_temporary_account.py: Nanchang 2012-01..2016-06, a temporary account in
Hangzhou 2016-07..2019-12 (sealed), another in Fuzhou 2020-01..2024-05; she reaches 50 on
2024-06-10. Nanchang (her hukou province) refuses to determine while an account is not gathered,
gathers both by transfer (their months and money come from two other provinces), refuses again
while her 149 months are under the minimum, and after her deemed years (1992-01..1997-12) are
entered determines the pension: a clerk files it, a supervisor approves. Expected amounts are
worked out here from what was paid, with plain Decimal.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sync_support import send
from test_security_support import add_staff, as_, fast_hashing
from test_temporary_account import (
    GATHER,
    OFFICES,
    STINTS,
    TO_FZ,
    TO_HZ,
    XU,
    Offices,
    by_hand,
    declare,
    office_files,
    offices,
    paid,
    register,
)
from test_transfer_chain import BANK, pdf_text, span

from desktop.core.errors import NotAllowed, RefusedByRule
from desktop.core.ledger import Ledger
from desktop.core.store.models import Document, PensionDetermination, Worker

__all__ = ["fast_hashing", "office_files", "offices"]
CENT = Decimal("0.01")


def fen(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def _nothing_written(nc: Ledger) -> None:
    with nc.read(checked=False) as s:
        assert s.scalar(select(func.count()).select_from(PensionDetermination)) == 0
        assert s.scalar(select(func.count()).select_from(Document).where(
            Document.kind == "pension-determination")) == 0
        assert s.scalars(select(Worker).where(Worker.id_number == XU)).one().pension_since is None


def test_determination_at_the_pension_place_after_gathering(offices: Offices, fast_hashing: None) -> None:
    o = offices
    nc = o.at("NC", TO_HZ)
    register(nc)
    declare(nc, "NC", XU, span(*STINTS["NC"][:2]), STINTS["NC"][2])
    hz = o.at("HZ", TO_HZ)
    send(nc, hz, o.folder)
    hz.transfers.request(XU, "360100", letter=BANK)
    hz = o.at("HZ", TO_FZ)
    declare(hz, "HZ", XU, span(*STINTS["HZ"][:2]), STINTS["HZ"][2])
    hz.transfers.seal_temporary(XU, "350100")
    fz = o.at("FZ", TO_FZ)
    send(hz, fz, o.folder)
    fz.transfers.request(XU, "330100", channel="sync")
    fz = o.at("FZ", GATHER)
    declare(fz, "FZ", XU, span(*STINTS["FZ"][:2]), STINTS["FZ"][2])
    nc = o.at("NC", GATHER)
    send(o.at("FZ", GATHER), nc, o.folder)
    nc = o.at("NC", GATHER)
    nc.pensions.set_base("360000", 2024, "7000")
    nc.pensions.set_transitional("360000", "0.012")
    # refused while a temporary account is not gathered
    with pytest.raises(RefusedByRule) as err:
        nc.pensions.determine(XU)
    assert err.value.key == "pension.temporary_open" and err.value.params["region"] == "330100"
    _nothing_written(nc)
    for key in ("HZ", "FZ"):
        region = OFFICES[key][2]
        holder = o.at(key, GATHER)
        send(o.at("FZ", GATHER) if key == "HZ" else holder, nc, o.folder)
        letter = nc.transfers.gather_temporary(XU, region, letter=BANK)
        send(nc, holder, o.folder)
        table = holder.transfers.settle(letter.case.number)
        send(holder, nc, o.folder)
        nc.transfers.receive(letter.case.number, table.case.total)
    # 54 + 42 + 53 = 149 months: under the 180 of 2024
    with pytest.raises(RefusedByRule) as err:
        nc.pensions.determine(XU)
    assert err.value.key == "pension.minimum" and (err.value.params["months"], err.value.params["need"]) == (149, 180)
    _nothing_written(nc)
    nc.records.add_opening(XU, "deemed", "360100", "1992-01", "1997-12", "赣劳人〔1998〕档案")
    # by hand: every month indexed with Jiangxi's average wage (6000 every year in these offices)
    paid_at = {"NC": paid(nc, "360100"), "HZ": paid(o.at("HZ", GATHER), "330100"),
               "FZ": paid(o.at("FZ", GATHER), "350100")}
    bases = [v[0] for months in paid_at.values() for v in months.values()]
    assert len(bases) == 149
    index = ((sum(b / Decimal(6000) for b in bases) + 72) / 221).quantize(Decimal("0.0001"), ROUND_HALF_UP)
    indexed = fen(Decimal(7000) * index)
    basic = fen((Decimal(7000) + indexed) * 221 * Decimal("0.01") / 24)  # (base + indexed) / 2 x 221/12 x 1%
    # the account: Nanchang's own and both temporary accounts' individual-account parts, rolled to 2024
    balance = sum((by_hand(months, 2024)[1] for months in paid_at.values()), Decimal(0))
    account = fen(balance / 195)  # 50 years: 195
    transitional = fen(indexed * 72 * Decimal("0.012") / 12)

    add_staff(nc)
    clerk = as_(nc, "clerk1")
    with pytest.raises(NotAllowed) as err:
        clerk.pensions.determine(XU)
    assert (err.value.key, err.value.params["needed"]) == ("role.refused", "审核主管")  # a clerk only requests it
    p = clerk.approvals.request_determination(XU)
    assert p.pending and p.kind == "pension.determine"
    _nothing_written(nc)
    done = as_(nc, "sup1").approvals.approve(p.id)
    d = done.result

    assert (d.months_counted, d.transitional_months, d.age_months) == (221, 72, 600)
    assert (d.average_index, d.indexed_wage, d.basic) == (index, indexed, basic)
    assert (d.account_balance, d.divisor, d.account_pension) == (balance, Decimal(195), account)
    assert d.transitional == transitional and d.total == basic + account + transitional
    assert (d.requested_by, d.decided_by, str(d.first_month)) == ("clerk1", "sup1", "2024-07")

    text = "".join(pdf_text(d.pdf).split())
    for label in ("基本养老金核定表", "待遇领取地", "计发基数", "平均缴费指数", "基础养老金", "个人账户养老金",
                  "过渡性养老金", "月基本养老金合计", "审核人", "验证码", "许秀英"):
        assert label in text, label
    for amount in (f"{basic:.2f}", f"{account:.2f}", f"{transitional:.2f}", f"{d.total:.2f}", str(index)):
        assert amount in text, amount
    sup = as_(nc, "sup1")
    verdict = sup.documents.verify(d.code)
    assert verdict.valid and verdict.kind == "pension-determination" and verdict.number == d.number
    shown = sup.pensions.show(XU)
    assert shown is not None and (shown.total, shown.number) == (d.total, d.number)
    with sup.read() as s:
        assert s.scalars(select(Worker).where(Worker.id_number == XU)).one().pension_since == d.starts_on
    # drawing a pension: a later transfer, a second determination and an estimate are refused
    with pytest.raises(RefusedByRule) as err:
        sup.transfers.request(XU, "330100")
    assert err.value.key == "transfer.drawing_pension"
    with pytest.raises(RefusedByRule) as err:
        sup.pensions.determine(XU)
    assert err.value.key == "pension.drawing"
    with pytest.raises(RefusedByRule) as err:
        sup.pensions.estimate(XU)
    assert err.value.key == "pension.drawing"


def test_determination_refused_before_the_day_and_outside_the_range(offices: Offices, tmp_path: Path) -> None:
    nc = offices.at("NC", TO_HZ)
    register(nc)
    with pytest.raises(RefusedByRule) as err:
        nc.pensions.determine(XU)
    assert err.value.key == "pension.not_reached" and err.value.params["date"] == "2024-06-10"
    with pytest.raises(RefusedByRule) as err:
        nc.pensions.determine(XU, "2020-01-01")
    assert err.value.key == "pension.start_range"
