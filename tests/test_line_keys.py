"""Contribution lines found by their keys (person, employer, month, scheme), as a sync file names
them: the ids of exactly the keys that are here, found through the lines' unique index, never by
reading every line (a row-value IN of the keys did, on SQLite: seconds a chunk on a county)."""

from __future__ import annotations

from typing import Any

from conftest import EMPLOYER, EMPLOYER_2, REGION
from sqlalchemy import event, select

from desktop.core.ledger import Ledger
from desktop.core.store import line_store
from desktop.core.store.models import Contribution, Employer, Worker

PEOPLE = ("510107198511113215", "360102196503041013", "110105199003071239")


def _lines(ledger: Ledger) -> tuple[dict[tuple[int, int, int, str], int], dict[str, int], dict[str, int]]:
    with ledger.engine.connect() as conn:
        c = Contribution
        lines = {(w, e, m, s): i for i, w, e, m, s in conn.execute(
            select(c.id, c.worker_id, c.employer_id, c.month, c.scheme))}
        workers = {n: i for n, i in conn.execute(select(Worker.id_number, Worker.id))}
        employers = {u: i for u, i in conn.execute(select(Employer.uscc, Employer.id))}
    return lines, workers, employers


def test_the_ids_of_the_keys_that_are_here_and_none_other(any_ledger: Ledger) -> None:
    ledger = any_ledger
    ledger.employers.register(EMPLOYER_2, "南昌第二机械厂", REGION, 1)
    for i, (number, name) in enumerate(zip(PEOPLE, ("张三", "李四", "王芳"), strict=True)):
        ledger.workers.register_citizen(number, name, number[:6], "urban")
        for month in ("2026-01", "2026-02", "2026-03")[: i + 1]:
            ledger.contributions.record(number, EMPLOYER, month, "8000")
    ledger.contributions.record(PEOPLE[2], EMPLOYER_2, "2026-02", "5000")  # two employers in one month
    lines, workers, employers = _lines(ledger)
    assert len(lines) == 6 * 4 + 4
    one, two, three = (workers[n] for n in PEOPLE)
    e1, e2 = employers[EMPLOYER], employers[EMPLOYER_2]
    absent = [(one, e1, 202602, "pension"),  # a month the person has not
              (two, e2, 202601, "pension"),  # another employer
              (three, e1, 202602, "maternity"),  # a scheme not collected
              (three + 1000, e1, 202601, "pension"),  # nobody
              (one, e1, 202601, "nothing")]
    wanted = list(lines) + absent
    with ledger.engine.connect() as conn:
        assert line_store.ids_of(conn, wanted) == lines
        some = [k for k in lines if k[0] == three and k[2] == 202602] + absent[:2]
        assert line_store.ids_of(conn, some) == {k: lines[k] for k in some if k in lines}
        assert line_store.ids_of(conn, []) == {}


def test_lines_are_found_through_the_unique_index(ledger: Ledger) -> None:
    """Every query the look-up sends is planned as a search of the unique index, on a table with
    lines of many people (SQLite's plan without statistics, as in an office that never analysed)."""
    for number, name in zip(PEOPLE, ("张三", "李四", "王芳"), strict=True):
        ledger.workers.register_citizen(number, name, number[:6], "urban")
        ledger.contributions.record(number, EMPLOYER, "2026-01", "8000")
    lines, _workers, _employers = _lines(ledger)
    sent: list[tuple[str, Any]] = []
    with ledger.engine.connect() as conn:
        rows = line_store.in_rows(conn)
        event.listen(conn, "before_cursor_execute", lambda _c, _cur, sql, params, *_a: sent.append((sql, params)))
        assert line_store.ids_of(conn, list(lines)) == lines
        raw = conn.connection.driver_connection  # (the plans asked of the driver are not sent through it)
        plans = [" | ".join(r[3] for r in raw.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall())
                 for sql, params in sent]
    # (SQLite: the lines are a view of person-month rows and side lines, each searched by its key;
    # the view's own result is read as it is made, "SCAN contribution" of its co-routine)
    searched = ("SEARCH contribution_month USING", "SEARCH contribution_side USING") if rows else (
        "SEARCH contribution USING",)
    scans = ("SCAN contribution_month", "SCAN contribution_side") if rows else ("SCAN contribution",)
    assert plans and all(all(s in p for s in searched) and not any(s in p for s in scans) for p in plans), plans
