"""Rows read typed at a driver's pace (`store.reading`): the rows and values SQLAlchemy's own read
gives, with the query's parameters bound as their columns' types bind them (a scheme or a status
kept as its place in a list, a region as its number, a day as its day number)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import EMPLOYER
from sqlalchemy import column, select, table

from desktop.core.ledger import Ledger
from desktop.core.store.models import Day, KindCode, RegionCode, SchemeCode, StatusCode
from desktop.core.store.reading import typed_batches, typed_rows

PERSON = "510107198511113215"
LINES = table("contribution", column("worker_id"), column("scheme", SchemeCode()), column("status", StatusCode()),
              column("region", RegionCode()), column("month"), column("base"), column("kind", KindCode()),
              column("recorded_on", Day()))


def _typed(rows: list[tuple[object, ...]]) -> list[list[tuple[type, object]]]:
    return [[(type(v), v) for v in r] for r in rows]


def test_rows_filtered_by_coded_columns_are_sqlalchemys_own(any_ledger: Ledger, tmp_path: Path) -> None:
    ledger = any_ledger
    ledger.workers.register_citizen(PERSON, "张三", "510107", "rural")
    path = tmp_path / "d.csv"
    path.write_text("employer_uscc,id_number,name,month,wage\n" + "".join(
        f"{EMPLOYER},{PERSON},张三,2026-{m:02d},7000.05\n" for m in range(1, 7)), encoding="utf-8")
    ledger.contributions.import_file(path)
    ledger.contributions.record(PERSON, EMPLOYER, "2025-12", "6500", arrears=True)
    c = LINES.c
    queries = {
        "pension paid": select(c.region, c.month, c.base, c.kind, c.recorded_on)
        .where(c.scheme == "pension", c.status == "paid").order_by(c.month),
        "arrears": select(c.scheme, c.month).where(c.status == "arrears").order_by(c.month, c.scheme),
        "region and day": select(c.month, c.scheme).where(c.region == "360100", c.recorded_on >= dt.date(2026, 1, 1))
        .order_by(c.month, c.scheme),
    }
    counts = {}
    with ledger.read() as s:
        for name, stmt in queries.items():
            expected = [tuple(r) for r in s.execute(stmt)]
            assert _typed([tuple(r) for r in typed_rows(s, stmt)]) == _typed(expected), name
            batches = list(typed_batches(s, stmt, size=4))
            assert all(len(b) <= 4 for b in batches), name
            assert _typed([tuple(r) for b in batches for r in b]) == _typed(expected), name
            counts[name] = len(expected)
    assert counts["pension paid"] == 6 and counts["arrears"] >= 4 and counts["region and day"] >= 28
