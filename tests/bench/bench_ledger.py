"""County-scale benchmark of the Ledger against plain sqlite3 doing the same work in the same run.

Run on demand (pytest does not collect tests/bench):

    cd /work/main && PYTHONPATH=. .venv/bin/python -m tests.bench.bench_ledger \
        [--people 100000] [--months 60] [--out result.json] [--tmpdir DIR] [--profile FILE.prof] [--postgres]

The machine is shared and noisy, so each operation is reported as a RATIO to plain sqlite3 doing
the same work on the same data in the same run (absolute times drift, ratios are what to quote):

* import: `ledger.contributions.import_file` of one declaration CSV per month (N rows each, months
  ending 2026-10, so 4 schemes: maternity is not collected after 2019) versus sqlite3
  `executemany` of exactly the rows the ledger wrote, as it stores them (SQLite: the person-month
  rows and side lines behind the lines' view, migration 0023; read back after each month, untimed), one
  transaction per month with the same PRAGMAs, into a copy of the database taken after setup
  (sqlite3 backup API: identical tables, indexes, people and employers, so foreign keys hold).
  Ledger month k and raw month k alternate, so both see the same machine conditions. Target <= 3x.
* lookup: 2000 random `ledger.workers.get(id_number)` versus `SELECT <the 11 columns get returns>
  FROM worker WHERE id_number=?` on one open connection to the same file; best of 3. Target <= 2x.
  `ledger.workers.find(...)` by ID prefix, name prefix and pinyin initials is shown for information.
* statement: `ledger.accounts.statement` of 20 people with 360 months (1996-11..2026-10; pension
  rates and base limits for 1996-11..1997-12 are set as office overrides because resources/ has
  none before 1998-01) versus sqlite3 running the person's look-up and the GROUP BY queries that
  give the same figures (interleaved call by call). Target: median < 10 ms.
* daily backups (`backups.daily`): the first (full), a quiet day's increment (a wage and 20 people
  registered) and the increment after one more month's declaration, each timed between two copies
  of the database file (`shutil.copyfile` after a WAL checkpoint, page cache to page cache, no
  fsync: the fastest a copy can be here). Target for the daily increments: within 2x. Reported
  with their sizes, the pages they hold and the time to check the three-file chain. The first,
  as in an office, keeps the rows of closed years apart before its copy (migration 0024: months
  before last month), so the increments check and write the open months' rows only, and take the
  closed table's pages from their parent unread while none of its rows is written (0025); the
  statement is measured again after it.
* open: from launching the window (`python -m desktop --db FILE`, offscreen) on the county
  database to the database open and the office loaded, so a search typed meanwhile answers (the
  check for damage runs beside from then on), versus a bare PySide6 window started the same way
  (tests/bench/bench_ui.py's measurement; --open-repeats runs of each, alternating, medians).
  Target <= 3x.
* bytes per person-month: the database (all tables, indexes, the sync log) after the imports,
  checkpointed, over people x months; extrapolated to 100,000 people x 360 months. Target <= 200.
* peak RSS (getrusage) and database size. Temporary files are deleted at the end.

--postgres measures the same on PostgreSQL, as a hub runs it: a throwaway server on loopback
(tests/pgserver.py: its own cluster in a temporary folder, with fsync, synchronous commit and
full-page writes off, for both sides alike). The plain side is psycopg `executemany` into a copy
made with CREATE DATABASE ... TEMPLATE after setup, and psycopg for the lookups and the statement
queries; bytes are every table of the office with its indexes and TOAST (pg_total_relation_size).
Backups are not measured there (a hub is backed up with pg_dump, `shebao backup` on PostgreSQL).

--profile FILE writes cProfile stats of the ledger imports only (view with `python -m pstats`).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import json
import os
import platform
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Self

import sqlalchemy
from sqlalchemy import insert

from desktop.core import backup as backup_format
from desktop.core import live_image
from desktop.core.demo import GIVEN, HUKOU, SURNAMES, citizen_id, demo_uscc
from desktop.core.ledger import Ledger
from desktop.core.month import Month
from desktop.core.services.workers import name_initials
from desktop.core.store import line_store
from desktop.core.store.models import Contribution, Worker
from tests.bench.office_keys import throwaway_keys

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 11, 23)
LAST = Month(2026, 10)
REGION = "360100"
PROVINCE = "360000"
EMPLOYERS = 50
LONG_PEOPLE = 20
LONG_MONTHS = 360
LOOKUPS = 2000
WORKER_COLS = ("id, id_number, ssn, name, sex, birth_date, hukou_region, hukou_type, nationality, "
               "passport, phone")  # what workers.get returns
Person = tuple[str, str, str, dt.date, str, str]  # id_number, name, sex, born, place, hukou_type


def months_ending(last: Month, count: int) -> list[Month]:
    """The count months ending with last, oldest first."""
    return [last.add(-i) for i in reversed(range(count))]


def make_people(rng: random.Random, count: int, years: tuple[int, int], seen: set[str]) -> list[Person]:
    """Made-up citizens with valid, distinct ID numbers born in the given years (inclusive)."""
    out: list[Person] = []
    while len(out) < count:
        female = rng.random() < 0.45
        born = dt.date(rng.randint(*years), rng.randint(1, 12), rng.randint(1, 28))
        place = rng.choice(HUKOU)
        number = citizen_id(rng, place, born, female)
        if number in seen:
            continue
        seen.add(number)
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        out.append((number, name, "F" if female else "M", born, place,
                    "urban" if place.startswith("3601") else "rural"))
    return out


def setup(ledger: Ledger, people: list[Person]) -> list[str]:
    """Office, wages, early-year overrides, employers via the services; people by bulk insert."""
    ledger.office.init("BENCH", "基准测试经办机构", REGION)
    for year in range(LAST.add(1 - LONG_MONTHS).year, LAST.year + 1):
        ledger.reference.set_wage(PROVINCE, year, "6000")
    ledger.reference.set_rate(PROVINCE, "pension", "1996-11", "0.20", "0.08", end="1997-12",
                              account="0.11")
    ledger.reference.set_limits(PROVINCE, "1996-11", "0.60", "3.00", end="1997-12")
    codes = []
    for i in range(1, EMPLOYERS + 1):
        codes.append(ledger.employers.register(demo_uscc(i), f"基准测试{i:02d}有限公司", REGION,
                                               (i - 1) % 8 + 1).uscc)
    initials: dict[str, str] = {}
    now = dt.datetime.now()
    rows = [{"id_number": n, "ssn": n, "nationality": "CN", "passport": None, "name": name,
             "initials": initials.get(name) or initials.setdefault(name, name_initials(name)),
             "sex": sex, "birth_date": born, "hukou_region": place, "hukou_type": kind,
             "phone": None, "created_at": now} for n, name, sex, born, place, kind in people]
    with ledger.engine.begin() as conn:
        conn.execute(insert(Worker.metadata.tables["worker"]), rows)
    return codes


def wage_text(base_fen: int, month: Month, first: Month) -> str:
    """A person's declared wage in yuan: 4% more each calendar year after the first month's."""
    fen = base_fen * 104 ** (month.year - first.year) // 100 ** (month.year - first.year)
    return f"{fen // 100}.{fen % 100:02d}"


def write_declaration(path: Path, people: list[Person], employer: Sequence[str],
                      wages: Sequence[int], months: list[Month], first: Month) -> Path:
    """A declaration CSV (employer_uscc,id_number,name,month,wage): every person, every month."""
    lines = ["employer_uscc,id_number,name,month,wage"]
    lines += [f"{employer[i]},{p[0]},{p[1]},{m},{wage_text(wages[i], m, first)}"
              for i, p in enumerate(people) for m in months]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def raw_connect(path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection in autocommit mode with the ledger's PRAGMAs."""
    con = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    for pragma in ("foreign_keys=ON", "journal_mode=WAL", "synchronous=NORMAL"):
        con.execute(f"PRAGMA {pragma}")
    return con


class Raw:
    """A plain driver connection, in autocommit mode, to the office's database: sqlite3 with the
    ledger's PRAGMAs for a file, psycopg for a PostgreSQL database (its conninfo); SQL is written
    with ? parameters for both."""

    def __init__(self, target: Path | str) -> None:
        self.pg = isinstance(target, str)
        if self.pg:
            import psycopg

            self.con: Any = psycopg.connect(str(target), autocommit=True)
        else:
            self.con = raw_connect(Path(target))

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.pg else sql

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.con.execute(self._sql(sql), params)

    def executemany(self, sql: str, rows: list[Any]) -> None:
        if self.pg:
            with self.con.cursor() as cur:
                cur.executemany(self._sql(sql), rows)
        else:
            self.con.executemany(sql, rows)

    def columns(self, table: str) -> list[str]:
        """The table's column names in their order."""
        if self.pg:
            return [r[0] for r in self.execute("SELECT column_name FROM information_schema.columns WHERE "
                                               "table_schema = 'public' AND table_name = ? ORDER BY ordinal_position",
                                               (table,))]
        return [r[1] for r in self.execute(f"PRAGMA table_info({table})")]

    def size(self) -> int:
        """Bytes the database takes: the SQLite file with its WAL (checkpointed first), or every
        PostgreSQL table of the office with its indexes and TOAST."""
        if self.pg:
            return int(self.execute(
                "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON "
                "n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'm')").fetchone()[0])
        self.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        (path,) = [r[2] for r in self.execute("PRAGMA database_list") if r[1] == "main"]
        return db_bytes(Path(path))

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def db_bytes(path: Path) -> int:
    """Size of a SQLite database with its WAL and shared-memory files."""
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists())


def bench_import(ledger: Ledger, src: Path | str, dst: Path | str, files: list[Path],
                 profiler: cProfile.Profile | None) -> dict[str, Any]:
    """Ledger import of each month file alternating with raw executemany of the same rows."""
    reader, raw = Raw(src), Raw(dst)
    led_times: list[float] = []
    raw_times: list[float] = []
    rows_total = 0
    # What the ledger wrote, as it keeps it: on PostgreSQL the lines; on SQLite the person-month rows
    # and side lines (the lines' view, migration 0023), with their ids, copied as they are stored.
    tables = ["contribution"] if reader.pg else ["contribution_month", "contribution_side"]
    inserts = {}
    for table in tables:
        names = [n for n in reader.columns(table) if n != "id" or not reader.pg]
        sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({','.join('?' * len(names))})"
        inserts[table] = (", ".join(names), sql)
    places = " + ".join(f"({s}_offset IS NOT NULL)" for s in line_store.SLOTS)
    # On SQLite, also the same lines into a table of lines as before 0023 (a row a line with its
    # unique key, in the raw copy): the baseline of the figures before the person-month rows.
    line_columns = [c.name for c in Contribution.__table__.columns]
    line_names = [n for n in line_columns if n != "id"]
    line_times: list[float] = []
    if not reader.pg:
        raw.execute(f"CREATE TABLE plain_lines ({', '.join(n + ' INTEGER' for n in line_columns)}, "
                    "PRIMARY KEY (id), UNIQUE (worker_id, month, scheme, employer_id))")
    for k, path in enumerate(files):
        marks = {t: reader.execute(f"SELECT coalesce(max(id), 0) FROM {t}").fetchone()[0] for t in tables}
        line_mark = None if reader.pg else reader.execute(line_store.LAST_ID_SQL).fetchone()[0]
        if profiler:
            profiler.enable()
        t0 = time.perf_counter()
        result = ledger.contributions.import_file(path)
        led_times.append(time.perf_counter() - t0)
        if profiler:
            profiler.disable()
        batch = reader.execute("SELECT id, sha256, filename, rows, recorded, created_at "
                               "FROM import_batch ORDER BY id DESC LIMIT 1").fetchone()
        rows = {t: reader.execute(f"SELECT {inserts[t][0]} FROM {t} WHERE id > ? ORDER BY id", (marks[t],)).fetchall()
                for t in tables}
        lines = len(rows["contribution"]) if reader.pg else (
            reader.execute(f"SELECT coalesce(sum({places}), 0) FROM contribution_month WHERE id > ?",
                           (marks["contribution_month"],)).fetchone()[0] + len(rows["contribution_side"]))
        assert lines == result.lines == 4 * result.rows, (lines, result)
        rows_total += lines
        t0 = time.perf_counter()
        raw.execute("BEGIN")
        raw.execute("INSERT INTO import_batch (id, sha256, filename, rows, recorded, created_at) "
                    "VALUES (?,?,?,?,?,?)", batch)
        for table in tables:
            raw.executemany(inserts[table][1], rows[table])
        raw.execute("COMMIT")
        raw_times.append(time.perf_counter() - t0)
        if not reader.pg:
            line_rows = sorted(reader.execute(line_store.after_sql(["id", *line_names]), {"m": line_mark}).fetchall())
            assert len(line_rows) == lines
            t0 = time.perf_counter()
            raw.execute("BEGIN")
            raw.executemany(f"INSERT INTO plain_lines ({', '.join(line_names)}) "
                            f"VALUES ({','.join('?' * len(line_names))})", [r[1:] for r in line_rows])
            raw.execute("COMMIT")
            line_times.append(time.perf_counter() - t0)
            del line_rows
        del rows
        if k % 10 == 9 or k == len(files) - 1:
            print(f"  month {k + 1}/{len(files)}: ledger {sum(led_times):.1f}s "
                  f"raw {sum(raw_times):.1f}s", file=sys.stderr, flush=True)
    sizes = []
    for con in (reader, raw):
        sizes.append(con.size())
        con.close()
    led, base = sum(led_times), sum(raw_times)
    return {"ledger_s": led, "raw_s": base, "ratio": led / base, "rows": rows_total,
            "ledger_rows_per_s": rows_total / led, "raw_rows_per_s": rows_total / base,
            "median_month_ratio": statistics.median(a / b for a, b in zip(led_times, raw_times, strict=True)),
            "first_month_ratio": led_times[0] / raw_times[0],
            "last_month_ratio": led_times[-1] / raw_times[-1],
            "ledger_db_bytes": sizes[0], "raw_db_bytes": sizes[1],
            **({"lines_s": sum(line_times), "lines_ratio": led / sum(line_times),
                "lines_first_month_ratio": led_times[0] / line_times[0],
                "lines_last_month_ratio": led_times[-1] / line_times[-1]} if line_times else {})}


def bench_backup(ledger: Ledger, path: Path, tmp: Path, newcomers: list[Person], month_file: Path) -> dict[str, Any]:
    """Daily backups (day 1 full; day 2 a quiet day's increment; day 3 an increment after a month's
    declaration) against copying the database file, each timed between two copies."""
    folder, key, copy = tmp / "backups", tmp / "backup.key", tmp / "copy.sqlite"

    def copy_s() -> float:
        with ledger.engine.connect() as conn:  # the whole database in the file being copied
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        seconds = timed(lambda: shutil.copyfile(path, copy))
        copy.unlink()
        return seconds

    checks: dict[str, float] = {}  # the increment's quick checks: seconds by table
    real_check = live_image.quick_check

    def timed_check(still: live_image.Still, tables: set[str] | None) -> bool:
        t0 = time.perf_counter()
        try:
            return real_check(still, tables)
        finally:
            name = "(every table)" if tables is None else ", ".join(sorted(tables))
            checks[name] = checks.get(name, 0.0) + time.perf_counter() - t0

    def day(n: int) -> dict[str, Any]:
        ledger.clock = TODAY + dt.timedelta(days=n)
        before = copy_s()
        done: list[Any] = []
        checks.clear()
        live_image.quick_check = timed_check
        try:
            seconds = timed(lambda: done.append(ledger.backups.daily(folder, key_file=key)))
        finally:
            live_image.quick_check = real_check
        after = copy_s()
        header = ledger.backups.inspect(done[0].file)
        kept = backup_format.load_pages(path.with_name(path.name + ".backup-pages"))
        carried = live_image.Carried.from_json(kept[0].get("carried")) if kept else None
        return {"carried_pages": sum(b - a for a, b in carried.runs) * backup_format.GROUP if carried else 0,
                "kind": done[0].kind, "seconds": seconds, "copy_s": (before + after) / 2,
                "ratio": seconds / ((before + after) / 2), "bytes": done[0].size,
                "pages": header["pages"], "changed_pages": header.get("changed", header["pages"]),
                "db_bytes": header["pages"] * header["page_size"],
                "checks_s": dict(sorted(checks.items(), key=lambda kv: -kv[1]))}

    out = {"full": day(1)}
    with ledger.engine.connect() as conn:  # the rows of closed years the first daily backup moved (0024)
        out["closed_rows"] = conn.exec_driver_sql(f"SELECT count(*) FROM {line_store.CLOSED}").scalar_one()
        out["open_rows"] = conn.exec_driver_sql(f"SELECT count(*) FROM {line_store.MONTH}").scalar_one()
    ledger.reference.set_wage(PROVINCE, LAST.year + 1, "6100")
    for n, name, _sex, _born, place, kind in newcomers:
        ledger.workers.register_citizen(n, name, place, kind)
    out["quiet_day"] = day(2)
    t0 = time.perf_counter()
    out["import_day_rows"] = ledger.contributions.import_file(month_file).lines
    out["import_day_import_s"] = time.perf_counter() - t0
    out["import_day"] = day(3)
    newest = folder / f"shebao-BENCH-{(TODAY + dt.timedelta(days=3)).isoformat()}.sbk"
    out["chain_check_s"] = timed(lambda: ledger.backups.check(newest, key))
    shutil.rmtree(folder)
    return out


def timed(fn: Callable[[], None]) -> float:
    """Seconds one call of fn takes."""
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def bench_lookup(ledger: Ledger, path: Path | str, keys: list[str]) -> dict[str, Any]:
    """workers.get versus an indexed raw SELECT of the same columns, alternating, best of 3."""
    con = Raw(path)
    sql = f"SELECT {WORKER_COLS} FROM worker WHERE id_number=?"

    def led() -> None:
        for key in keys:
            ledger.workers.get(key)

    def raw() -> None:
        for key in keys:
            assert con.execute(sql, (key,)).fetchone() is not None

    rounds = [(timed(led), timed(raw)) for _ in range(3)]
    led_s, raw_s = min(r[0] for r in rounds), min(r[1] for r in rounds)
    con.close()
    return {"lookups": len(keys), "ledger_us": led_s / len(keys) * 1e6,
            "raw_us": raw_s / len(keys) * 1e6, "ratio": led_s / raw_s}


def bench_find(ledger: Ledger, people: list[Person], rng: random.Random) -> dict[str, Any]:
    """Mean time of workers.find by ID-number prefix, name prefix and pinyin initials."""
    sample = rng.sample(people, 100)
    queries = {"id_prefix_10": [p[0][:10] for p in sample], "name_prefix": [p[1][:2] for p in sample],
               "initials": [name_initials(p[1])[:2] for p in sample]}
    out: dict[str, Any] = {}
    for label, qs in queries.items():
        found = 0
        t0 = time.perf_counter()
        for q in qs:
            found += len(ledger.workers.find(q))
        out[label + "_ms"] = (time.perf_counter() - t0) / len(qs) * 1e3
        out[label + "_mean_hits"] = found / len(qs)
    return out


def raw_statement(con: Raw, key: str) -> tuple[list[Any], ...]:
    """The statement's queries in plain SQL: the person, months by scheme/region, pension years."""
    wid = con.execute(f"SELECT {WORKER_COLS} FROM worker WHERE id_number=?", (key,)).fetchone()[0]
    per_region = con.execute(
        "SELECT scheme, region, status, count(DISTINCT month), min(month), max(month) "
        "FROM contribution WHERE worker_id=? GROUP BY scheme, region, status", (wid,)).fetchall()
    years = con.execute(
        "SELECT month / 100, count(DISTINCT month), sum(base), sum(account_amount) FROM contribution "
        "WHERE worker_id=? AND scheme='pension' AND status='paid' GROUP BY month / 100",
        (wid,)).fetchall()
    resident = con.execute("SELECT scheme, year, personal, subsidy FROM resident_contribution "
                           "WHERE worker_id=? ORDER BY scheme, year", (wid,)).fetchall()
    return per_region, years, resident


def bench_statement(ledger: Ledger, path: Path | str, keys: list[str], repeats: int = 10) -> dict[str, Any]:
    """Median and p95 of accounts.statement over repeats versus the raw aggregate queries."""
    con = Raw(path)
    first = ledger.accounts.statement(keys[0])
    pension = next(r for r in first.schemes if r.scheme == "pension")
    led: list[float] = []
    raw: list[float] = []
    for _ in range(repeats):
        for key in keys:
            t0 = time.perf_counter()
            ledger.accounts.statement(key)
            led.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            raw_statement(con, key)
            raw.append(time.perf_counter() - t0)
    con.close()
    q = statistics.quantiles
    return {"calls": len(led), "pension_months": pension.months_paid,
            "account_years": len(first.account_years),
            "ledger_median_ms": statistics.median(led) * 1e3,
            "ledger_p95_ms": q(led, n=20)[-1] * 1e3,
            "raw_median_ms": statistics.median(raw) * 1e3, "raw_p95_ms": q(raw, n=20)[-1] * 1e3,
            "ratio": statistics.median(led) / statistics.median(raw)}


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def git_commit() -> str:
    """The commit measured; '+dirty' when tracked files in desktop/core or resources/ changed."""
    def git(*a: str) -> str:
        return subprocess.run(["git", *a], check=False, capture_output=True, text=True,
                              cwd=ROOT).stdout.strip()
    dirty = git("status", "--porcelain", "--untracked-files=no", "desktop/core", "resources")
    return git("rev-parse", "--short", "HEAD") + ("+dirty" if dirty else "")


def run(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    """Build the databases, run every measurement and return the results."""
    commit = git_commit()  # before the code can change under a long run
    rng = random.Random(20261123)
    months = months_ending(LAST, args.months)
    t0 = time.perf_counter()
    ledger_path, _raw_path = tmp / "ledger.sqlite", tmp / "raw.sqlite"
    server = None
    if args.postgres:
        from tests.pgserver import PostgresServer, create_database

        server = PostgresServer().start()
        ledger = Ledger.open(create_database(server, "ledger"), clock=lambda: TODAY)
    else:
        ledger = Ledger.open(ledger_path, clock=lambda: TODAY)
    try:
        return measure(args, tmp, ledger, server, commit, rng, months, t0)
    finally:
        ledger.close()
        if server is not None:
            server.stop()


def measure(args: argparse.Namespace, tmp: Path, ledger: Ledger, server: Any, commit: str, rng: random.Random,
            months: list[Month], t0: float) -> dict[str, Any]:
    """The measurements of `run` on the ledger it opened (server: the PostgreSQL server, or None)."""
    ledger_path, raw_path = tmp / "ledger.sqlite", tmp / "raw.sqlite"
    seen: set[str] = set()
    people = make_people(rng, args.people, (1960, 2000), seen)
    veterans = make_people(rng, LONG_PEOPLE, (1960, 1975), seen)
    codes = setup(ledger, people + veterans)
    employer = [rng.choice(codes) for _ in people]
    wages = [rng.randrange(260000, 1600000) for _ in people]
    files = [write_declaration(tmp / f"decl-{m}.csv", people, employer, wages, [m], months[0])
             for m in months]
    long_months = months_ending(LAST, LONG_MONTHS)
    long_file = write_declaration(tmp / "veterans.csv", veterans, [codes[0]] * LONG_PEOPLE,
                                  [rng.randrange(300000, 900000) for _ in veterans], long_months,
                                  long_months[0])
    ledger.engine.dispose()
    led_target: Path | str = ledger_path
    raw_target: Path | str = raw_path
    if server is not None:
        from tests.pgserver import create_database

        create_database(server, "raw", template="ledger")
        led_target, raw_target = server.dsn("ledger"), server.dsn("raw")
    else:
        with sqlite3.connect(str(ledger_path)) as src, sqlite3.connect(str(raw_path)) as dst:
            src.backup(dst)
    setup_s = time.perf_counter() - t0
    print(f"setup: {setup_s:.1f}s ({args.people} people, {len(files)} month files written)",
          file=sys.stderr, flush=True)
    profiler = cProfile.Profile() if args.profile else None
    result: dict[str, Any] = {
        "people": args.people, "months": args.months, "first_month": str(months[0]),
        "last_month": str(months[-1]), "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version, "sqlalchemy": sqlalchemy.__version__,
        "machine": f"{platform.machine()} x{os.cpu_count()}", "setup_s": setup_s,
        "commit": commit, "database": "postgresql" if server is not None else "sqlite",
    }
    if server is not None:
        with Raw(led_target) as con:
            result["postgresql"] = con.execute("SHOW server_version").fetchone()[0]
    result["import"] = bench_import(ledger, led_target, raw_target, files, profiler)
    if profiler:
        profiler.dump_stats(args.profile)
    for f in files:
        f.unlink()
    t0 = time.perf_counter()
    done = ledger.contributions.import_file(long_file)
    result["long_import"] = {"rows": done.rows, "lines": done.lines,
                             "seconds": time.perf_counter() - t0}
    keys = [p[0] for p in rng.sample(people, min(LOOKUPS, len(people)))]
    result["lookup"] = bench_lookup(ledger, led_target, keys)
    result["find"] = bench_find(ledger, people, rng)
    result["statement"] = bench_statement(ledger, led_target, [p[0] for p in veterans])
    if server is None:
        newcomers = make_people(rng, 20, (1980, 2000), seen)
        next_month = write_declaration(tmp / "decl-next.csv", people, employer, wages, [LAST.add(1)], months[0])
        result["backup"] = bench_backup(ledger, ledger_path, tmp, newcomers, next_month)
        # the statement again, the rows of closed years now kept in their own table (0024)
        result["statement_closed"] = bench_statement(ledger, led_target, [p[0] for p in veterans])
    ledger.engine.dispose()
    result["peak_rss_mb"] = peak_rss_mb()
    with Raw(led_target) as con:
        result["db_bytes"] = con.size()
    if server is None and args.open_repeats:
        ledger.close()  # the window opens the county database in a process of its own
        result["open"] = bench_open(ledger_path, tmp, args.open_repeats, people[len(people) // 2][0])
    person_months = args.people * args.months
    result["bytes_per_person_month"] = result["import"]["ledger_db_bytes"] / person_months
    result["county_30_years_gb"] = result["bytes_per_person_month"] * 100_000 * 360 / 1e9
    result["targets"] = {"bytes_per_person_month_at_most_200": result["bytes_per_person_month"] <= 200,
                         "daily_backup_within_2x_copy": "backup" in result and all(
                             result["backup"][d]["ratio"] <= 2 for d in ("quiet_day", "import_day")),
                         "import_within_3x": result["import"]["ratio"] <= 3,
                         "lookup_within_2x": result["lookup"]["ratio"] <= 2,
                         "statement_under_10ms": all(result[k]["ledger_median_ms"] < 10 for k in (
                             "statement", "statement_closed") if k in result),
                         "open_to_first_answer_within_3x": "open" in result and result["open"]["answer_ratio"] <= 3}
    return result


def bench_open(path: Path, tmp: Path, repeats: int, query: str) -> dict[str, Any]:
    """From launching the window on the county database to the first answer of a person's ID
    number scanned as soon as the window takes keys, and to the database open and the office loaded
    (the check for damage runs beside from then), against a bare PySide6 window started the same
    way: bench_ui's measurement, on this database."""
    from tests.bench.bench_ui import bench_start, child_env

    return bench_start(path, repeats, child_env(tmp), query)


def report(r: dict[str, Any]) -> str:
    """A compact table of the results."""
    imp, look, st, fnd = r["import"], r["lookup"], r["statement"], r["find"]
    rows = [
        ("operation", "ledger", "raw psycopg" if r["database"] == "postgresql" else "raw sqlite3", "ratio",
         "target"),
        (f"import {r['months']} x {r['people']} ({imp['rows']:,} rows)", f"{imp['ledger_s']:.1f} s",
         f"{imp['raw_s']:.1f} s", f"{imp['ratio']:.2f}x", "<= 3x"),
        ("  rows/s", f"{imp['ledger_rows_per_s']:,.0f}", f"{imp['raw_rows_per_s']:,.0f}",
         f"med/month {imp['median_month_ratio']:.2f}x", ""),
        ("  first and last month", "", "", f"{imp['first_month_ratio']:.2f}x, {imp['last_month_ratio']:.2f}x",
         "<= 3x"),
        *([("  against the lines into a table of lines (before 0023)", "", f"{imp['lines_s']:.1f} s",
            (f"{imp['lines_ratio']:.2f}x; {imp['lines_first_month_ratio']:.2f}x, "
             f"{imp['lines_last_month_ratio']:.2f}x"), "info")] if "lines_s" in imp else []),
        (f"workers.get x{look['lookups']}", f"{look['ledger_us']:.0f} us", f"{look['raw_us']:.0f} us",
         f"{look['ratio']:.2f}x", "<= 2x"),
        (f"statement median ({st['pension_months']} months)", f"{st['ledger_median_ms']:.2f} ms",
         f"{st['raw_median_ms']:.2f} ms", f"{st['ratio']:.2f}x", "< 10 ms"),
        ("statement p95", f"{st['ledger_p95_ms']:.2f} ms", f"{st['raw_p95_ms']:.2f} ms", "", ""),
        *[("statement median, closed years kept apart", f"{c['ledger_median_ms']:.2f} ms",
           f"{c['raw_median_ms']:.2f} ms", f"{c['ratio']:.2f}x", "< 10 ms")
          for c in ([r["statement_closed"]] if "statement_closed" in r else [])],
        *[(f"daily backup, {label} ({b['kind']}, {b['changed_pages']:,} of {b['pages']:,} pages)",
           f"{b['seconds']:.2f} s", f"{b['copy_s']:.2f} s (file copy)", f"{b['ratio']:.2f}x",
           "<= 2x" if name != "full" else "info")
          for name, label in (("full", "first"), ("quiet_day", "a quiet day"),
                              ("import_day", "after a month's declaration"))
          for b in ([r["backup"][name]] if "backup" in r else [])],
        ("bytes per person-month (all schemes, indexes, sync log)", f"{r['bytes_per_person_month']:.0f}",
         "", f"30 years x 100,000: {r['county_30_years_gb']:.1f} GB", "<= 200"),
        *[("start to the first answer (an ID number scanned at once)",
           f"{o['answer_median_s'] * 1e3:.0f} ms", f"{o['bare_median_s'] * 1e3:.0f} ms (bare window)",
           f"{o['answer_ratio']:.2f}x", "<= 3x") for o in ([r["open"]] if "open" in r else [])],
        *[("  start to the database open and the office loaded", f"{o['app_median_s'] * 1e3:.0f} ms", "",
           f"{o['ratio']:.2f}x", "info") for o in ([r["open"]] if "open" in r else [])],
        ("workers.find id prefix / name / initials",
         f"{fnd['id_prefix_10_ms']:.1f} / {fnd['name_prefix_ms']:.1f} / {fnd['initials_ms']:.1f} ms",
         "", "", "info"),
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.append(f"setup {r['setup_s']:.1f} s; long import {r['long_import']['lines']} lines in "
                 f"{r['long_import']['seconds']:.2f} s; peak RSS {r['peak_rss_mb']:.0f} MiB; "
                 f"db {r['db_bytes'] / 2**20:.0f} MiB at the end; after the imports "
                 f"{imp['ledger_db_bytes'] / 2**20:.0f} MiB (raw copy {imp['raw_db_bytes'] / 2**20:.0f} MiB)")
    if "backup" in r:
        bk = r["backup"]
        lines.append(f"backup sizes: full {bk['full']['bytes'] / 2**20:.1f} MiB of a "
                     f"{bk['full']['db_bytes'] / 2**20:.0f} MiB database; "
                     f"quiet day {bk['quiet_day']['bytes'] / 2**10:.0f} KiB; after "
                     f"{bk['import_day_rows']:,} lines {bk['import_day']['bytes'] / 2**20:.1f} MiB; "
                     f"checking the 3-file chain {bk['chain_check_s']:.2f} s")
        for name, label in (("quiet_day", "a quiet day"), ("import_day", "after a declaration")):
            checked = "; ".join(f"{t} {v:.2f} s" for t, v in bk[name].get("checks_s", {}).items())
            lines.append(f"the increment of {label} checked: {checked or 'nothing'}; took "
                         f"{bk[name].get('carried_pages', 0):,} pages of the closed table from its parent unread")
        lines.append(f"closed years: the first backup kept {bk['closed_rows']:,} person-month rows apart, "
                     f"{bk['open_rows']:,} open; the next month's import after it {bk['import_day_import_s']:.1f} s")
    else:
        lines.append("backups: not measured on PostgreSQL (the hub is backed up with pg_dump)")
    engine = f"PostgreSQL {r['postgresql']}" if r["database"] == "postgresql" else f"SQLite {r['sqlite']}"
    lines.append(f"commit {r['commit']}; Python {r['python']}, {engine}, "
                 f"SQLAlchemy {r['sqlalchemy']}, {r['machine']}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, run the benchmark in a temporary directory, print and save the results."""
    parser = argparse.ArgumentParser(prog="python -m tests.bench.bench_ledger", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=100000)
    parser.add_argument("--months", type=int, default=60, help="1..82, ending 2026-10")
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    parser.add_argument("--tmpdir", type=Path, help="where the temporary databases go")
    parser.add_argument("--profile", type=Path, help="cProfile the ledger imports into this file")
    parser.add_argument("--open-repeats", type=int, default=5,
                        help="times the window is started on the database (0: not measured)")
    parser.add_argument("--postgres", action="store_true",
                        help="the office on a throwaway PostgreSQL server on loopback (tests/pgserver.py)")
    args = parser.parse_args(argv)
    if not 1 <= args.months <= 82:
        parser.error("--months must be 1..82 so every month is after 2019 (four schemes)")
    if args.people < 100:
        parser.error("--people must be at least 100")
    with tempfile.TemporaryDirectory(prefix="shebao-bench-", dir=args.tmpdir) as tmp:
        throwaway_keys(Path(tmp))
        result = run(args, Path(tmp))
    print(report(result))
    if args.out:
        args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
