"""Relay through a prefecture office on PostgreSQL between two offices that never meet (SQLite):
a change keeps its origin and signature, and is applied once whatever the route."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pgserver import PostgresServer, create_database, drop_database
from sqlalchemy import select, text
from sync_support import EMP_NC, EMP_SH, TODAY, make_office, trust_all, uscc

from desktop.core.errors import RefusedByRule
from desktop.core.ledger import Ledger
from desktop.core.services.sync import ImportResult
from desktop.core.store.models import Contribution, Employer, Worker
from desktop.core.sync import capture

pytestmark = pytest.mark.postgres

ID_A = "510107198511113215"
ID_C = "110105199003071239"
EMP_HUB = "91360700MA35ABCD1"
_names = itertools.count()


@pytest.fixture
def hub_url(pg_server: PostgresServer) -> Iterator[str]:
    name = f"hub_{os.getpid()}_{next(_names)}"
    yield create_database(pg_server, name, template="shebao_template")
    drop_database(pg_server, name)


@pytest.fixture
def three(sqlite_template: Path, tmp_path: Path, hub_url: str) -> Iterator[tuple[Ledger, Ledger, Ledger]]:
    """Office A (Nanchang), the Ganzhou prefecture hub on PostgreSQL, office C (Shanghai)."""
    hub = make_office(sqlite_template, tmp_path, "GZ00", "赣州市社保局", "360700", EMP_HUB, "赣州稀土有限公司",
                      target=hub_url)
    a = make_office(sqlite_template, tmp_path, "NC01", "南昌市社保局", "360100", EMP_NC, "南昌赣江机械制造有限公司")
    c = make_office(sqlite_template, tmp_path, "SH01", "上海市浦东新区社保中心", "310115", EMP_SH,
                    "上海浦东贸易有限公司")
    trust_all(a, hub, c)
    try:
        yield a, hub, c
    finally:
        for led in (a, hub, c):
            led.close()


def move(src: Ledger, dst: Ledger, folder: Path, name: str) -> ImportResult:
    path = folder / name
    src.sync.export(path, to=dst.office.get().code)
    return dst.sync.import_file(path)


def rows(led: Ledger, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    with led.read() as s:
        return [tuple(r) for r in s.execute(text(sql), params)]


def log(led: Ledger, origin: str | None = None) -> list[tuple[Any, ...]]:
    """The stored changes (of one origin), as they travel with their origin."""
    with led.read() as s:
        return [r for r in capture.every_change(s) if origin is None or r[0] == origin]


def contributions(led: Ledger, id_number: str) -> list[tuple[Any, ...]]:
    """A person's lines as SQLAlchemy reads them (SQLite keeps some columns as numbers, PostgreSQL as text)."""
    c = Contribution
    with led.read() as s:
        return sorted(tuple(r) for r in s.execute(
            select(Employer.uscc, c.region, c.month, c.scheme, c.base, c.account_amount, c.status)
            .join(Worker, Worker.id == c.worker_id).join(Employer, Employer.id == c.employer_id)
            .where(Worker.id_number == id_number)))


def segments(led: Ledger, origin: str) -> list[tuple[Any, ...]]:
    return rows(led, "SELECT first_seq, last_seq, digest, signature, sealed_at FROM sync_segment "
                     "WHERE origin = :o ORDER BY first_seq", o=origin)


def test_relay_through_the_hub_keeps_origin_and_signature(three: tuple[Ledger, Ledger, Ledger],
                                                          tmp_path: Path) -> None:
    a, hub, c = three
    assert hub.engine.url.get_backend_name() == "postgresql"
    a.workers.register_citizen(ID_A, "张三", "510107", "rural")
    for m in ("2025-01", "2025-02", "2025-03"):
        a.contributions.record(ID_A, uscc(EMP_NC), m, "5000")
    c.workers.register_citizen(ID_C, "李四", "110105", "urban")
    c.contributions.record(ID_C, uscc(EMP_SH), "2025-01", "8000")

    assert move(a, hub, tmp_path, "a-hub.sync").applied == 2 + 3 * 4
    r = move(hub, c, tmp_path, "hub-c.sync")
    assert r.sender == "GZ00" and r.applied == 1 + 2 + 3 * 4 and r.conflicts == 0  # the hub's employer too
    assert move(c, hub, tmp_path, "c-hub.sync").applied == 2 + 4
    assert move(hub, a, tmp_path, "hub-a.sync").applied == 1 + 2 + 4

    for led in (a, hub, c):
        assert contributions(led, ID_A) == contributions(a, ID_A)
        assert contributions(led, ID_C) == contributions(c, ID_C)
        assert led.workers.get(ID_A).name == "张三" and led.workers.get(ID_C).name == "李四"
    # at C every change of A's person is A's own: origin, sequence, Lamport time and data unchanged
    a_changes = log(a, "NC01")
    assert a_changes and all(len(r) == 8 and r[0] == "NC01" for r in a_changes)
    for led in (hub, c):
        assert log(led, "NC01") == a_changes
        assert segments(led, "NC01") == segments(a, "NC01")  # A's signature travels with its changes
    assert {r[0] for r in log(c) if r[4].startswith(ID_A)} == {"NC01"}
    assert {r[0] for r in log(a) if r[4].startswith(ID_C)} == {"SH01"}
    assert segments(a, "SH01") == segments(c, "SH01")
    for led in (a, hub, c):
        assert led.audit.verify().valid
        assert led.sync.gaps() == []


def test_a_change_arriving_by_two_routes_is_applied_once(three: tuple[Ledger, Ledger, Ledger],
                                                         tmp_path: Path) -> None:
    a, hub, c = three
    a.workers.register_citizen(ID_A, "张三", "510107", "rural")
    a.contributions.record(ID_A, uscc(EMP_NC), "2025-01", "5000")
    move(a, hub, tmp_path, "1-a-hub.sync")

    direct = move(a, c, tmp_path, "2-a-c.sync")  # once directly
    assert direct.applied == 2 + 4
    via_hub = move(hub, c, tmp_path, "3-hub-c.sync")  # and again through the hub
    assert via_hub.applied == 1 and via_hub.already_applied == 2 + 4  # only the hub's own employer
    counted = rows(c, "SELECT count(*) FROM worker WHERE id_number = :n", n=ID_A)
    assert counted == [(1,)] and len(contributions(c, ID_A)) == 4
    assert len(log(c, "NC01")) == len({r[1] for r in log(c, "NC01")}) == 6

    a.workers.update(ID_A, phone="13800000001")  # the other way round: the hub first, then directly
    move(a, hub, tmp_path, "4-a-hub.sync")
    first = move(hub, c, tmp_path, "5-hub-c.sync")
    assert first.applied == 1
    second = move(a, c, tmp_path, "6-a-c.sync")
    assert second.applied == 0 and second.already_applied == 1 + 2 + 4
    assert c.workers.get(ID_A).phone == "13800000001"
    assert len(log(c, "NC01")) == len({r[1] for r in log(c, "NC01")}) == 7
    assert c.sync.conflicts() == [] and hub.sync.conflicts() == []

    move(c, hub, tmp_path, "7-c-hub.sync")  # C's acknowledgement reaches A through the hub only
    back = move(hub, a, tmp_path, "8-hub-a.sync")
    assert back.applied == 2  # the employers of the hub and of C; A's own changes are not applied again
    assert len(log(a, "NC01")) == 7
    assert a.sync.gaps() == hub.sync.gaps() == c.sync.gaps() == []


def test_the_hub_seeds_a_new_office_with_a_full_file(three: tuple[Ledger, Ledger, Ledger],
                                                     tmp_path: Path) -> None:
    a, hub, c = three
    a.workers.register_citizen(ID_A, "张三", "510107", "rural")
    a.contributions.record(ID_A, uscc(EMP_NC), "2025-01", "5000")
    move(a, hub, tmp_path, "a-hub.sync")
    path = tmp_path / "full.sync"
    hub.sync.export(path, to="SH01", full=True)
    r = c.sync.import_file(path)
    assert r.applied == 1 + 2 + 4 and r.held == 0  # the hub's employer, A's employer, person, months and r.gaps == ()
    assert contributions(c, ID_A) == contributions(a, ID_A)


def test_a_transfer_settled_at_the_hub_and_its_yearly_report(three: tuple[Ledger, Ledger, Ledger]) -> None:
    """On PostgreSQL too: a settle that needs every past year's crediting rate, then the grouped report."""
    _a, hub, _c = three
    # Ganzhou to Nanchang is inside Jiangxi: a fund transfer only while the prefectures pool apart
    hub.reference.set_provincial_pooling("360000", "2027-01-01")
    hub.workers.register_citizen(ID_A, "张三", "510107", "rural")
    for month in range(1, 13):
        hub.contributions.record(ID_A, uscc(EMP_HUB), f"2024-{month:02d}", "6000")
    number = "NC01-ZY2026000001"
    hub.transfers.enter_letter(number, ID_A, "360100", "NC01", TODAY, {"bank_account": "3602001209200123456"})
    with pytest.raises(RefusedByRule) as refused:
        hub.transfers.settle(number)
    assert refused.value.key == "transfer.interest_unknown" and "2025" in refused.value.message("en")
    hub.reference.set_interest(2025, "0.025")
    done = hub.transfers.settle(number).case
    # 8% of 12 x 6000.00 credited in 2024, 2.5% interest on it in 2025; 12% of every base pooled
    assert (done.account, done.pooling) == (Decimal("5904.00"), Decimal("8640.00"))
    report = hub.transfers.report(2026)
    assert [(x.direction, x.month, x.people, x.rural, x.total) for x in report.lines] == [
        ("out", 0, 1, 1, done.total), ("out", 11, 1, 1, done.total)]
