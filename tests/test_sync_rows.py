"""Bulk paths of sync: rows encoded column by column, data turned into rows, data parsed.

Each quick path must give exactly what the one-record path gives, and refuse what it refuses.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from conftest import EMPLOYER
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from desktop.core import audit
from desktop.core.errors import IntegrityFailure
from desktop.core.ledger import Ledger
from desktop.core.store.models import Contribution, Employer, SchemeCode, Worker
from desktop.core.store.reading import select_rows
from desktop.core.sync.rows import BulkRows, insert_many, parse_data
from desktop.core.sync.tables import (
    TABLES,
    data_of_row,
    decode_data,
    encode_data,
    encode_rows,
    record_key,
)

SPEC = TABLES["contribution"]
WORKERS = {1: "510107198511113215", 2: "US:X1234567"}
EMPLOYERS = {7: "91360100MA35F7Q108"}


def row(worker: int = 1, month: int = 202401, scheme: str = "pension", **extra: Any) -> dict[str, Any]:
    r = {"worker_id": worker, "employer_id": 7, "region": "360100", "month": month, "scheme": scheme,
         "wage": 600000, "base": 600000, "employer_amount": 96000, "employee_amount": 48000,
         "account_amount": 48000, "kind": "regular", "status": "paid", "recorded_on": dt.date(2026, 11, 23),
         "batch_id": 3, "exemption_id": None}
    r.update(extra)
    return r


def one_by_one(rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    out = []
    for r in rows:
        data = data_of_row(SPEC, r, WORKERS[r["worker_id"]], EMPLOYERS[r["employer_id"]])
        out.append((record_key(SPEC, data), encode_data(SPEC, data)))
    return out


@pytest.mark.parametrize("rows", [
    [row(), row(2, 202402, "medical"), row(1, 202403, "unemployment", kind="back_payment")],
    [row(status="引号\"与\\反斜杠")],  # text that JSON must escape
    [row(recorded_on="2026-11-23")],  # a date already as text
    [row(wage=None)],  # an empty value: the row-by-row path
    [row(month=True)],  # not a plain int: the row-by-row path
    [],
])
def test_encode_rows_gives_the_text_of_one_record_at_a_time(rows: list[dict[str, Any]]) -> None:
    assert encode_rows(SPEC, rows, WORKERS, EMPLOYERS) == one_by_one(rows)


class _Keys:
    """Keys with every person and employer known (the BulkRows interface)."""

    def __init__(self) -> None:
        self.worker_id = {v: k for k, v in WORKERS.items()}
        self.employer_id = {v: k for k, v in EMPLOYERS.items()}

    def load_workers(self, keys: Any) -> None:
        pass

    def worker(self, key: str) -> int | None:
        return self.worker_id.get(key)

    def employer(self, key: str) -> int | None:
        return self.employer_id.get(key)


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_bulk_rows_values_for_each_dialect_without_a_server(dialect: str) -> None:
    """The row values (not SQL) BulkRows makes for a dialect, by name only, no server: column by
    column equal to row by row, a contribution line's region, scheme and day as the numbers SQLite
    keeps for them and as text and date objects for PostgreSQL's driver.
    `test_bulk_rows_written_to_a_real_database` writes them to real servers."""
    datas = [decode_data(SPEC, json.loads(text))
             for _k, text in one_by_one([row(), row(2, 202402, "medical")])]
    builder = BulkRows(SPEC, _Keys(), dialect)  # type: ignore[arg-type]
    quick = builder.rows(datas)
    slow = [builder._converted(d) for d in datas]
    assert quick == slow
    if dialect == "sqlite":  # region, scheme and day as the numbers SQLite keeps (models.Compact)
        assert quick[0][:5] == (1, 7, 360100, 202401, SchemeCode.NAMES.index("pension"))
        assert quick[0][-1] == dt.date(2026, 11, 23).toordinal()
    else:
        assert quick[0][:5] == (1, 7, "360100", 202401, "pension")
        assert quick[0][-1] == dt.date(2026, 11, 23)
    older = {k: v for k, v in datas[0].items() if k != "recorded_on"}  # a field missing: its default
    with pytest.raises(IntegrityFailure) as err:  # recorded_on may not be empty
        builder.rows([older])
    assert (err.value.key, err.value.field) == ("sync.damaged", "file")


@pytest.mark.parametrize("text", ['{"a":1} ', "[1,2", '"text"', "[" + ",".join(["1"] * 14) + "]", "", "null"])
def test_parse_data_refuses_what_is_not_one_record(text: str) -> None:
    with pytest.raises(IntegrityFailure) as info:
        parse_data(SPEC, text)
    assert info.value.key == "sync.damaged"


def test_parse_data_reads_arrays_and_the_first_versions_objects() -> None:
    assert parse_data(SPEC, '["w","e"]') == {"worker": "w", "employer": "e"}
    assert parse_data(SPEC, '{"worker":"w"}') == {"worker": "w"}


@pytest.mark.parametrize("style", ["qmark", "named", "numeric"])
def test_driver_rows_in_each_parameter_style(style: str) -> None:
    """insert_many and select_rows speak the driver's own parameter style (real SQLite, each style)."""
    engine = create_engine("sqlite://", paramstyle=style)
    with Session(engine) as s:
        s.connection().exec_driver_sql("CREATE TABLE sync_peer_t (code TEXT, seq INTEGER, note TEXT)")
        insert_many(s, "sync_peer_t", ("code", "seq", "note"), [("NC01", 1, "100%"), ("BJ01", 2, None)])
        conn = s.connection()
        assert select_rows(conn, "SELECT code, seq, note FROM sync_peer_t WHERE seq >= ? AND code <> ? ORDER BY seq",
                           (1, "XX")) == [("NC01", 1, "100%"), ("BJ01", 2, None)]
        assert select_rows(conn, "SELECT count(*) FROM sync_peer_t WHERE note LIKE '%\\%' ESCAPE '\\'") == [(1,)]
    engine.dispose()


def test_bulk_rows_written_to_a_real_database(any_ledger: Ledger) -> None:
    """On a real SQLite file and the real loopback PostgreSQL server: the rows BulkRows makes for the
    connection's own dialect go in with insert_many, are recorded in the trail, and read back as the
    values the data named."""
    led = any_ledger
    led.workers.register_citizen(WORKERS[1], "张三", "510107", "rural")
    with led.read() as s:
        worker = s.scalars(select(Worker.id).where(Worker.id_number == WORKERS[1])).one()
        employer = s.scalars(select(Employer.id).where(Employer.uscc == EMPLOYER)).one()
    keys = _Keys()
    keys.worker_id, keys.employer_id = {WORKERS[1]: worker}, {EMPLOYER: employer}
    datas = [decode_data(SPEC, json.loads(data_text)) for data_text in (
        encode_data(SPEC, data_of_row(SPEC, row(month=m, batch_id=None), WORKERS[1], EMPLOYER))
        for m in (202401, 202402))]
    with led.write() as s:
        conn = s.connection()
        builder = BulkRows(SPEC, keys, conn.dialect.name)  # type: ignore[arg-type]
        insert_many(s, "contribution", builder.columns, builder.rows(datas))
        audit.record_bulk(led, s, "contribution", {"test": "bulk rows"})
    with led.read() as s:
        got = [(c.worker_id, c.employer_id, c.region, c.month, c.scheme, c.wage, c.account_amount, c.kind,
                c.status, c.recorded_on, c.batch_id)
               for c in s.scalars(select(Contribution).order_by(Contribution.month))]
    # the data in fen: 600000 fen = 6000.00 yuan wage, 48000 fen = 480.00 yuan to the account
    assert got == [(worker, employer, "360100", month, "pension", Decimal("6000.00"), Decimal("480.00"),
                    "regular", "paid", dt.date(2026, 11, 23), None) for month in (202401, 202402)]
    assert led.audit.verify().valid
