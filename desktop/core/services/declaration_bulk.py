"""A clean declaration recorded with set-based SQL on SQLite: the rows, line ids, change log and audit
proof that `ContributionService.import_rows` writes a row at a time, at a few times the cost of the
plain insert of the rows.

A county's month is 100,000 rows. Checked, computed, written, captured and proved one row at a time
in Python it took ten times the plain `executemany` of the rows it stores (README, Benchmarks). Here:

1. `plan`: each row's values are read (month and wage as numbers, the texts as read) with its
   base (the wage between the month's floor and ceiling, `calc.contribution_base`) and its first
   line's distance from the file's first line (the lines a row has that month), and go into a
   temporary table, with each month's and employer risk class's rates beside them (integer
   ratios, from the same `MonthCalculator`). A month in the future or without reference data, a
   wage that does not read, is not positive or is implausibly high, and a name that starts like a
   formula are found while the values are read: the file takes the row path, which reports each
   problem exactly as before (or records the file as before).
2. `write`: one INSERT ... SELECT (`line_store.insert_made`) computes each scheme's amounts in whole
   fen with the integer rounding of `calc.rate_times_fen` and writes every person-month row, the
   line ids one after another in file order as `line_store.insert` gives them. It writes only the
   rows the row path would write as they are: a person found by ID number under the same name, a
   citizen (a foreign national has home-country certificates), an employer known and not the
   system's, a month from the person's sixteenth year, a person-month with no lines as closed years
   or side lines; a person-month already in a row, or twice in the file, is refused by the rows'
   unique key. Any row left out or refused, and `Unclean` is raised: the caller rolls the
   transaction back and the file takes the row path (one statement instead of a query for such
   rows before the INSERT, which did the same joins again: a tenth of a county's month).
3. `proof_sql` and `Beside`: while the INSERT runs, a second connection in a second thread has
   SQLite write each person-month's proof text (`audit.group_text` of its lines, the text
   `audit.record_bulk` makes of them when it reads them back) from its own copy of the declared
   rows, and hashes them; `audit.record_proved` records them. The change log gets one run of
   changes kept by reference (`capture.capture_run`), as the row path's changes are stored.

The tests compare the two paths on the same files: the same rows, audit entry and change log.
PostgreSQL keeps the row path (its import is within 3x already).
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Self

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desktop.core.audit import (
    GROUPED,
    Proof,
    group_text,
    proof_columns,
    runs,
    stored_json_column,
)
from desktop.core.calc import MIN_CONTRIBUTION_AGE, implausible_wage, is_back_payment
from desktop.core.csvsafe import FORMULA_START
from desktop.core.errors import ShebaoError
from desktop.core.money import fen_of, parse_amount
from desktop.core.month import Month
from desktop.core.refdata import employee_schemes
from desktop.core.refdata import schemes as all_schemes
from desktop.core.services.declaration import DeclarationRow
from desktop.core.services.flexible import FLEXIBLE_USCC
from desktop.core.store import line_store
from desktop.core.store.models import Contribution, compact_columns
from desktop.core.sync import capture
from desktop.core.sync.tables import TABLES, row_keys, worker_key

if TYPE_CHECKING:
    from desktop.core.services.contributions import MonthCalculator

ROWS, RATES = "temp.declared_row", "temp.declared_rate"
# A wage as most files give it: yuan, and one or two decimals (anything else goes through
# `parse_amount`).
_WAGE = re.compile(r"([0-9]{1,9})(?:\.([0-9]{1,2}))?")
_MONEY = ("wage", "base", "employer_amount", "employee_amount", "account_amount")
_OWN_MONEY = {"employer_amount": "employer", "employee_amount": "employee", "account_amount": "account"}
_RATE_PARTS = ("employer", "employee", "account")
# A scheme's place in `RATES`: its line's distance from the row's id, and its rates as integer ratios.
_RATE_COLUMNS = tuple(f"{s}_{p}" for s in line_store.SLOTS
                      for p in ("offset", *(f"{part}_{x}" for part in _RATE_PARTS for x in ("num", "den"))))
# The columns of a line its proof text has (`audit.proof_columns`), each written by `proof_sql`; a
# line with any other goes the row path until `proof_sql` writes it too.
_PROVED = frozenset({"id", "worker_id", "employer_id", "region", "month", "scheme", "wage", "base", "employer_amount",
                     "employee_amount", "account_amount", "kind", "status", "recorded_on", "batch_id",
                     "exemption_id"})


@dataclass(frozen=True)
class Plan:
    """A declaration found clean by `plan`: its rows wait in the temporary table."""

    rows: int
    months: tuple[Month, ...]
    schemes: tuple[str, ...]  # the employees' schemes in line order
    lines: int  # lines the rows make
    first_key: str  # the change log's record key of the first line (the first row's first scheme)
    groups: str  # the lines each row makes, in file order (`audit.runs`): the proof's groups
    # what the temporary tables were given (the declared rows, the rates), for `Beside`'s own copy
    loaded: tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]] = field(repr=False, compare=False)


class Unclean(Exception):
    """A planned row `write` must not write (see the module): the file takes the row path, in a new
    transaction (this one has written rows)."""


def plan(session: Session, calc: MonthCalculator, rows: Sequence[DeclarationRow]) -> Plan | None:
    """Load the rows and read their values (see the module); None when the file must take the row
    path (the temporary tables are dropped then). Nothing outside the temporary tables is written."""
    conn = session.connection()
    schemes = tuple(employee_schemes())
    if (not rows or not line_store.in_rows(conn) or any(s not in line_store.SLOTS for s in schemes)
            or set(proof_columns(line_store.TABLE)) != _PROVED):
        return None
    read = _values(rows, calc, schemes)
    if read is None:
        return None
    values, months, lines, groups = read
    _create(conn)
    _load(conn, values, [])
    risks = [r for (r,) in conn.exec_driver_sql(
        f"SELECT DISTINCT e.risk_class FROM (SELECT DISTINCT uscc FROM {ROWS}) d "
        "JOIN employer e ON e.uscc = d.uscc")]
    rates = _rates(calc, months, risks, schemes) if risks else None  # (no employer known: the row path says so)
    if not rates:
        drop(conn)
        return None
    _load(conn, None, rates)
    number, _name, uscc, month, *_rest = values[0]  # (a citizen, found by ID number: it is their key)
    first = next(s for s in schemes if all_schemes()[s].collected_in(Month.from_int(month)))
    key = row_keys(TABLES[line_store.TABLE], [{"worker_id": 0, "employer_id": 0, "month": month, "scheme": first}],
                   {0: worker_key(number, "CN", None)}, {0: uscc})[0]
    return Plan(len(values), tuple(months), schemes, lines, key, groups, (values, rates))


def _values(rows: Sequence[DeclarationRow], calc: MonthCalculator, schemes: Sequence[str],
            ) -> tuple[list[tuple[Any, ...]], dict[Month, int], int, str] | None:
    """(ID number, name, employer code, month YYYYMM, wage and base in fen, the row's first
    line's distance from the file's first line) of each row; the months in order with their number of
    lines; the number of lines; the lines of each row in order (`audit.runs`). None when a month or a
    wage does not read, a month is after the current one or has no floor and ceiling, a wage is not
    positive or implausibly high, or a name starts like a formula (the row path says which)."""
    months: dict[str, int | None] = {}
    limits: dict[int, tuple[int, int, int]] = {}  # YYYYMM: floor, ceiling (fen), lines
    out: list[tuple[Any, ...]] = []
    starts = FORMULA_START
    at = 0
    sizes: list[int] = []
    for r in rows:
        month = months.get(r.month, 0)
        if month == 0:
            month = months[r.month] = _month(r.month)
        if month is None:
            return None
        limit = limits.get(month)
        if limit is None:
            found_limits = _limits(calc, month, schemes)
            if found_limits is None:
                return None
            limit = limits[month] = found_limits
        name = r.name
        if name[:1] in starts or name.lstrip()[:1] in starts:
            return None
        fen = wage_fen(r.wage)
        floor, ceiling, lines = limit
        if fen is None or fen <= 0 or implausible_wage(fen, ceiling):
            return None
        out.append((r.id_number, name, r.employer_uscc, month, fen,
                    floor if fen < floor else min(fen, ceiling), at))  # (`calc.contribution_base`)
        at += lines
        sizes.append(lines)
    return out, {Month.from_int(m): n for m, (_f, _c, n) in sorted(limits.items())}, at, runs(sizes)


def _limits(calc: MonthCalculator, number: int, schemes: Sequence[str]) -> tuple[int, int, int] | None:
    """A month's floor and ceiling (fen) and how many lines a row has that month (the employees'
    schemes collected then); None for a month after the current one or without reference data."""
    month = Month.from_int(number)
    if month > calc.current:
        return None
    try:
        floor, ceiling = calc.limits_fen(month)
    except ShebaoError:
        return None
    every = all_schemes()
    return floor, ceiling, sum(1 for s in schemes if every[s].collected_in(month))


def _month(text: str) -> int | None:
    try:
        return Month.parse(text, "month").as_int()
    except ShebaoError:
        return None


def wage_fen(text: str) -> int | None:
    """A declared wage in fen, as `parse_amount` reads it (most files' plain yuan and one or two
    decimals without it); None when it does not read."""
    found = _WAGE.fullmatch(text)
    if found is not None:
        yuan, cents = found.groups()
        return int(yuan) * 100 + (0 if cents is None else int(cents) * (10 if len(cents) == 1 else 1))
    try:
        return fen_of(parse_amount(text, "wage"))
    except ShebaoError:
        return None


def _create(conn: Connection) -> None:
    drop(conn)
    # (`at` the key: the rows are read in its order, which `write` keeps, without a sort)
    conn.exec_driver_sql(f"CREATE TABLE {ROWS} (id_number TEXT, name TEXT, uscc TEXT, month INTEGER, wage INTEGER, "
                         "base INTEGER, at INTEGER PRIMARY KEY)")
    places = ", ".join(f"{name} INTEGER" for name in _RATE_COLUMNS)
    conn.exec_driver_sql(f"CREATE TABLE {RATES} (month INTEGER, risk INTEGER, born_before TEXT, kind INTEGER, "
                         f"{places}, PRIMARY KEY (month, risk))")


def _load(conn: Connection, values: list[tuple[Any, ...]] | None, rates: list[tuple[Any, ...]]) -> None:
    """Fill the temporary tables of `_create`: the declared rows (None: given already), the rates."""
    if values is not None:
        conn.exec_driver_sql(f"INSERT INTO {ROWS} VALUES (?, ?, ?, ?, ?, ?, ?)", values)
    if rates:
        conn.exec_driver_sql(f"INSERT INTO {RATES} VALUES ({', '.join('?' * len(rates[0]))})", rates)


def drop(conn: Connection) -> None:
    """Drop the temporary tables of `plan` (when there are any)."""
    for name in (ROWS, RATES):
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {name}")


def _rates(calc: MonthCalculator, months: dict[Month, int], risks: Sequence[int | None],
           schemes: Sequence[str]) -> list[tuple[Any, ...]] | None:
    """A row of `RATES` for each month and risk class: the first birth day too young for the month,
    kind, and each scheme's place and rates (NULL: not collected that month); None when reference
    data is missing (the row path says what)."""
    kinds = compact_columns("contribution")["kind"]
    out: list[tuple[Any, ...]] = []
    for month, lines in months.items():
        young = Month(month.year - MIN_CONTRIBUTION_AGE, month.month).add(1).first_day()
        kind = kinds.to_stored(["back_payment" if is_back_payment(month, calc.current) else "regular"])[0]
        for risk in risks:
            if risk is None:
                return None
            try:
                collected = calc.rates(month, (), risk)  # (in line order)
            except ShebaoError:
                return None
            if [r.scheme for r in collected] != [s for s in schemes if s in {r.scheme for r in collected}] \
                    or len(collected) != lines:
                return None
            found = {r.scheme: (offset, r) for offset, r in enumerate(collected)}
            places: list[Any] = []
            for scheme in line_store.SLOTS:
                if scheme not in found:
                    places += [None] * 7
                    continue
                offset, rate = found[scheme]
                places += [offset, *rate.employer, *rate.employee, *(rate.account or (0, 1))]
            out.append((month.as_int(), risk, young.isoformat(), kind, *places))
    return out


def _source(region: str, today: dt.date, batch_id: int, checked: bool = True) -> tuple[str, tuple[Any, ...]]:
    """The query of the person-month rows to write, as `line_store.insert_made` takes it (each row's
    `at` and the columns of `line_store.ROW` after `id`), with its parameters: the rows the row
    path would write as they are (see the module; unless not `checked`: every declared row of a
    known person and employer), amounts in whole fen with the integer rounding of
    `calc.rate_times_fen`, in the order of `at`."""
    stored = compact_columns("contribution")
    paid = int(stored["status"].to_stored(["paid"])[0])
    rate_columns = ", ".join(f"r.{name}" for name in _RATE_COLUMNS)
    made = ["at", "worker_id", "employer_id", "month", "? AS region", "wage", "base", "kind",
            "? AS recorded_on", "? AS batch_id"]
    for s in line_store.SLOTS:
        made.append(f"{s}_offset")
        made += [f"(2 * base * {s}_{part}_num + {s}_{part}_den) / (2 * {s}_{part}_den) AS {s}_{part}"
                 for part in _RATE_PARTS]
        made += [f"CASE WHEN {s}_offset IS NULL THEN NULL ELSE {paid} END AS {s}_status", f"NULL AS {s}_exemption"]
    source = (
        f"SELECT {', '.join(made)} FROM (SELECT d.at AS at, w.id AS worker_id, e.id AS employer_id, "
        f"d.month AS month, d.wage AS wage, d.base AS base, r.kind AS kind, {rate_columns} "
        f"FROM {ROWS} d JOIN worker w ON w.id_number = d.id_number JOIN employer e ON e.uscc = d.uscc "
        f"JOIN {RATES} r ON r.month = d.month AND r.risk = e.risk_class" + (
            " WHERE w.name IS d.name AND w.nationality IS 'CN' AND e.uscc IS NOT ? "
            "AND typeof(w.birth_date) IS 'text' AND w.birth_date < r.born_before "
            f"AND NOT {line_store.recorded_sql('w.id', 'd.month', 'e.id')}" if checked else "") + ")")
    shares = (stored["region"].to_stored([region])[0], stored["recorded_on"].to_stored([today])[0], batch_id)
    return source, (*shares, FLEXIBLE_USCC) if checked else shares


def write(session: Session, planned: Plan, region: str, today: dt.date, batch_id: int, first: int) -> None:
    """Write the planned person-month rows (`line_store.insert_made`: the lines' ids one after another
    from `first`, the next free id, in file order) and queue the change log's run of them. Unclean
    when a row must take the row path (see the module): rows may have been written."""
    source, params = _source(region, today, batch_id)
    try:
        made = line_store.insert_made(session.connection(), source, params, planned.rows, planned.lines, first)
    except IntegrityError:  # a person-month recorded in a row already, or twice in the file
        raise Unclean() from None
    if made is None:
        raise Unclean()
    capture.capture_run(session, line_store.TABLE, first, planned.lines, planned.first_key)


def proof_sql(session: Session, planned: Plan, first: int, region: str, today: dt.date,
              batch_id: int) -> tuple[str, tuple[Any, ...]]:
    """The query of the planned rows' proof texts in id order, with its parameters, as they will be
    written from `first` on (`write`), from the declared rows (`_source`): each person-month
    row's lines as one group (`audit.GROUPED`), its `audit.group_text` (values as
    `audit.stored_json_column` writes them), written by SQLite's printf, one call a row."""
    conn = session.connection()
    dialect = conn.dialect
    types = {c.name: c.type for c in Contribution.__table__.columns}
    stored = compact_columns("contribution")

    def literal(name: str, value: Any) -> str:
        text = stored_json_column(types[name], dialect, [value], False)[0]
        return text.replace("%", "%%")

    kinds = sorted({code for (code,) in conn.exec_driver_sql(f"SELECT DISTINCT kind FROM {RATES}")})
    kind_case = "CASE kind " + " ".join(
        "WHEN {} THEN '{}'".format(int(code), stored_json_column(types["kind"], dialect, [code], False)[0]
                                   .replace("'", "''")) for code in kinds) + " END"
    fixed = {"region": literal("region", stored["region"].to_stored([region])[0]),
             "recorded_on": literal("recorded_on", stored["recorded_on"].to_stored([today])[0]),
             "batch_id": literal("batch_id", batch_id),
             "status": literal("status", stored["status"].to_stored(["paid"])[0]),
             "exemption_id": "null"}

    def piece(name: str, scheme: str | None) -> tuple[str, list[str]]:
        """A value's text in the format, and the printf arguments it takes."""
        if name in _MONEY:
            value = name if scheme is None else f"{scheme}_{_OWN_MONEY[name]}"
            return '"%d.%02d"', [f"{value} / 100", f"{value} % 100"]
        if name == "id":
            return "%d", [f"id + {scheme}_offset"]
        if name in ("worker_id", "employer_id", "month"):
            return "%d", [name]
        if name == "kind":
            return "%s", [kind_case]
        if name == "scheme":
            return literal("scheme", stored["scheme"].to_stored([scheme])[0]), []
        return fixed[name], []

    names = proof_columns(line_store.TABLE)
    shared = [n for n in names if n in GROUPED[line_store.TABLE]]
    own = [n for n in names if n not in GROUPED[line_store.TABLE]]
    combos = conn.exec_driver_sql(
        f"SELECT DISTINCT {', '.join(f'{x}_offset IS NOT NULL' for x in planned.schemes)} FROM {RATES}").all()
    formats: list[str] = []
    cases: list[str] = []
    for combo in combos:  # the schemes a row has (by its month): one format each
        present = [x for x, has in zip(planned.schemes, combo, strict=True) if has]
        parts = [piece(n, None) for n in shared] + [piece(n, x) for x in present for n in own]
        formats.append(group_text([text for text, _ in parts[:len(shared)]],
                                  [[text for text, _ in parts[len(shared):]]]) + "\n")
        call = f"printf(?, {', '.join(arg for _, args in parts for arg in args)})"
        when = " AND ".join(f"{x}_offset IS {'NOT ' if has else ''}NULL" for x, has in zip(planned.schemes, combo,
                                                                                            strict=True))
        cases.append(call if len(combos) == 1 else f"WHEN {when} THEN {call}")
    expression = cases[0] if len(combos) == 1 else f"CASE {' '.join(cases)} END"
    source, params = _source(region, today, batch_id, checked=False)  # (a row it would leave out: not written)
    return (f"SELECT {expression} FROM (SELECT ? + at AS id, * FROM ({source})) ORDER BY at",
            (*formats, first, *params))


class Beside:
    """The proof of the planned rows (`proof_sql`), made on a connection of its own in a thread of
    its own while `write` runs: SQLite gives up Python's lock for its statements, so the INSERT on
    one core and the proof's printf and hashes on the other take the time of the INSERT, not of
    both (a third of a county's month). The connection reads the rows as they were before the
    INSERT (the writer's transaction holds the write lock from its start: nothing else can have
    changed them) and keeps its own copy of the declared rows and rates in its temporary tables."""

    def __init__(self, engine: Engine, planned: Plan, query: tuple[str, tuple[Any, ...]]) -> None:
        self._stop = threading.Event()
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="declaration-proof")
        self._done = self._pool.submit(self._prove, engine, planned, query)

    def _prove(self, engine: Engine, planned: Plan, query: tuple[str, tuple[Any, ...]]) -> Proof:
        proof = Proof()
        with engine.connect() as conn:
            _create(conn)
            try:
                _load(conn, *planned.loaded)
                result = conn.exec_driver_sql(*query)
                while not self._stop.is_set() and (rows := result.fetchmany(20_000)):
                    proof.add_block("".join([text for (text,) in rows]).encode("utf-8"))
                result.close()
            finally:
                conn.rollback()
                drop(conn)
                conn.commit()
        return proof

    def proof(self) -> Proof:
        """The proof (what the thread raised, raised here)."""
        return self._done.result()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()  # (left early: the thread stops at its next batch)
        self._pool.shutdown(wait=True)


def line_ids(first: int, lines: int) -> str:
    """The written lines' ids as the audit entry names them (`audit.id_ranges` of the one range)."""
    return str(first) if lines == 1 else f"{first}-{first + lines - 1}"
