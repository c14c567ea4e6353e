"""Pension transfers at scale: the information table for a 35-year history, the yearly report over
100,000 cases, each against plain sqlite3 (and plain reportlab) doing the same work in the same run.

Run on demand (pytest does not collect tests/bench):

    cd /work/main && PYTHONPATH=. .venv/bin/python -m tests.bench.bench_transfers \
        [--histories 9] [--cases 100000] [--out result.json] [--tmpdir DIR]

The machine is shared and noisy, so each operation is reported as a RATIO to the raw work measured
in the same run, calls interleaved (absolute times are for information):

* settle: `ledger.transfers.settle` of a case whose person has 420 paid months at this office
  (1991-11..2026-10, wages +4% a year; pension rate and base limits before 1998 set as office
  overrides as resources/ has none; months before 1998 do not count for the pooling line and
  give no pre-1998 balance here). One case per person, median over --histories people. It reads
  the months, rolls the account with interest, writes the case, numbers, signs and registers the
  information table and renders it. Raw: one sqlite3 SELECT of the same person's paid pension
  rows, the per-year sums in Python, and the same number of table rows drawn as text lines with
  plain reportlab (same CJK font, same page count, no QR code, nothing written).
* report: `ledger.transfers.report(2026)` over --cases transfer_case rows (every case dated in
  2026: the worst case, all rows fall in the year), one distinct person each, inserted with
  sqlite3 `executemany` (bench setup only). Raw: one SQL GROUP BY per direction over the same
  rows, on one open connection. Both results are compared line by line. Median of 5.
* memory: resident set size before each timed part and its peak during it (the peak is reset
  first through /proc/self/clear_refs, so setup data does not count), the process peak (getrusage),
  and the database size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import io
import json
import platform
import random
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import insert

from desktop.core.demo import demo_uscc
from desktop.core.forms.fonts import cjk_font
from desktop.core.ledger import Ledger
from desktop.core.month import Month
from desktop.core.store.models import Worker
from tests.bench.bench_ledger import (
    db_bytes,
    git_commit,
    make_people,
    months_ending,
    raw_connect,
    wage_text,
)
from tests.bench.office_keys import throwaway_keys

TODAY = dt.date(2026, 11, 23)
YEAR = 2026
LAST = Month(2026, 10)
HISTORY_MONTHS = 420
REGION = "360100"
PROVINCE = "360000"
OTHER_REGIONS = ("110105", "310115", "440106", "510107", "420102", "330106", "230128", "210102")


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _status_mb(field: str) -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def reset_peak() -> float | None:
    """Collect garbage, reset the peak RSS (Linux: clear_refs 5) and return the current RSS in MiB."""
    gc.collect()
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return None
    return _status_mb("VmRSS")


def peak_since_reset() -> float | None:
    """The peak RSS in MiB since `reset_peak` (None where the kernel cannot reset it)."""
    return _status_mb("VmHWM")


def open_office(path: Path, first_year: int) -> tuple[Ledger, str]:
    """An office at Nanchang with wages from first_year, pre-1998 overrides and one employer."""
    ledger = Ledger.open(path, clock=lambda: TODAY)
    ledger.office.init("BENCH", "基准测试经办机构", REGION)
    for year in range(first_year, YEAR + 1):
        ledger.reference.set_wage(PROVINCE, year, "6000")
    if first_year < 1998:
        start = f"{first_year}-01"
        ledger.reference.set_rate(PROVINCE, "pension", start, "0.20", "0.08", end="1997-12", account="0.11")
        ledger.reference.set_limits(PROVINCE, start, "0.60", "3.00", end="1997-12")
    code = ledger.employers.register(demo_uscc(1), "基准测试第一有限公司", REGION, 2).uscc
    return ledger, code


# -- settle with a 35-year information table ---------------------------------------------------

def raw_settle(con: sqlite3.Connection, worker_id: int, font: str, pages: int) -> bytes:
    """The same person's paid pension rows, summed by year, drawn as a table with plain reportlab."""
    rows = con.execute("SELECT month, base, account_amount, employer_amount, employee_amount FROM contribution "
                       "WHERE worker_id = ? AND scheme = 'pension' AND status = 'paid' ORDER BY month",
                       (worker_id,)).fetchall()
    years: dict[int, list[int]] = {}
    for month, base, account, employer, employee in rows:
        y = years.setdefault(month // 100, [0, 0, 0, 0, 0])
        y[0] += 1
        y[1] += base
        y[2] += account
        y[3] += employer
        y[4] += employee
    balance = 0
    lines = []
    for year, (n, base, account, employer, employee) in sorted(years.items()):
        balance += account
        pooling = base * 12 // 100 if year >= 1998 else 0
        lines.append(f"{year} {base / 100:.2f} {n} {employer * 100 // max(base, 1)}% "
                     f"{account * 100 // max(base, 1)}% {employee * 100 // max(base, 1)}% {account / 100:.2f} "
                     f"0.00 {balance / 100:.2f} {pooling / 100:.2f}")
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1, initialFontName=font)
    per_page = -(-len(lines) // pages)
    for p in range(pages):
        c.setFont(font, 16)
        c.drawCentredString(105 * mm, 280 * mm, "基本养老保险参保缴费信息表")
        c.setFont(font, 8)
        for i, line in enumerate(lines[p * per_page:(p + 1) * per_page]):
            c.drawString(15 * mm, (260 - i * 5) * mm, line)
        c.showPage()
    c.save()
    return buf.getvalue()


def bench_settle(tmp: Path, histories: int, rng: random.Random) -> dict[str, Any]:
    path = tmp / "history.sqlite"
    months = months_ending(LAST, HISTORY_MONTHS)
    ledger, employer = open_office(path, months[0].year)
    people = make_people(rng, histories, (1966, 1972), set())
    keys = []
    for number, name, _sex, _born, place, kind in people:
        keys.append(ledger.workers.register_citizen(number, name, place, kind).key)
    decl = tmp / "history.csv"
    lines = ["employer_uscc,id_number,name,month,wage"]
    for number, name, *_ in people:
        start = rng.randrange(300000, 600000)
        lines += [f"{employer},{number},{name},{m},{wage_text(start, m, months[0])}" for m in months]
    decl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    t0 = time.perf_counter()
    imported = ledger.contributions.import_file(decl)
    import_s = time.perf_counter() - t0
    # A settle needs every past year's crediting rate: the shipped ones cover 2016-2024 (national
    # rates); the years before, and 2025, are the office's to enter. A figure for the benchmark:
    for year in [*range(1998, 2016), 2025]:
        ledger.reference.set_interest(year, "0.025")
    cases = []
    for i, key in enumerate(keys):
        case = f"GZ01-ZY2026{i + 1:06d}"
        ledger.transfers.enter_letter(case, key, "440106", "GZ01", TODAY, {"bank_account": "3602001209200123456"})
        cases.append(case)
    ids = {key: ledger.workers.get(key).id for key in keys}
    con = raw_connect(path)
    font = cjk_font().name
    led_times: list[float] = []
    raw_times: list[float] = []
    pages = rows = 0
    total = Decimal(0)
    rss_start = reset_peak()
    for key, case in zip(keys, cases, strict=True):
        t0 = time.perf_counter()
        done = ledger.transfers.settle(case)
        led_times.append(time.perf_counter() - t0)
        pages = len(PdfReader(io.BytesIO(done.pdf or b"")).pages)
        rows = len(done.case.rows)
        total = done.case.total or Decimal(0)
        t0 = time.perf_counter()
        raw_settle(con, ids[key], font, pages)
        raw_times.append(time.perf_counter() - t0)
    rss_peak = peak_since_reset()
    con.close()
    ledger.close()
    led, raw = statistics.median(led_times), statistics.median(raw_times)
    return {"rss_start_mb": rss_start, "rss_peak_mb": rss_peak, "people": histories, "months_each": HISTORY_MONTHS,
            "first_month": str(months[0]),
            "last_month": str(months[-1]), "import_rows": imported.rows, "import_s": import_s,
            "table_rows": rows, "pdf_pages": pages, "last_total": f"{total:.2f}",
            "ledger_median_ms": led * 1e3, "ledger_max_ms": max(led_times) * 1e3,
            "raw_median_ms": raw * 1e3, "ratio": led / raw, "peak_rss_mb": peak_rss_mb()}


# -- the yearly report over many cases --------------------------------------------------------

def random_day(rng: random.Random, year: int) -> dt.date:
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))


def case_rows(rng: random.Random, worker_ids: list[int]) -> list[tuple[Any, ...]]:
    """Transfer cases dated in YEAR: half into this office, half out, in every step."""
    now = dt.datetime(2026, 11, 23, 9, 0).isoformat(sep=" ")
    out: list[tuple[Any, ...]] = []
    for i, wid in enumerate(worker_ids):
        incoming = i % 2 == 0
        other = rng.choice(OTHER_REGIONS)
        src, dst = (other, REGION) if incoming else (REGION, other)
        applied = random_day(rng, YEAR)
        step = rng.random()
        status = "received" if step < 0.75 else "settled" if step < 0.9 else "requested"
        account = rng.randrange(100000, 20000000)
        pooling = rng.randrange(100000, 30000000)
        end = dt.date(YEAR, 12, 31)
        settled = min(applied + dt.timedelta(days=rng.randrange(1, 25)), end) if status != "requested" else None
        received = min(settled + dt.timedelta(days=rng.randrange(1, 25)), end) if settled and status == "received" \
            else None
        money = (account, pooling, account + pooling) if settled else (None, None, None)
        out.append((f"X{i:07d}", wid, src, dst, "OFF" if incoming else "BENCH", "BENCH" if incoming else "OFF",
                    "sync", status, 0, applied.isoformat(), f"L{i:07d}", "{}",
                    settled.isoformat() if settled else None, f"T{i:07d}" if settled else None,
                    "{}" if settled else None, *money, received.isoformat() if received else None,
                    money[2] if received else None, None if received else applied.isoformat(), 0, now))
    return out


_INSERT = ("INSERT INTO transfer_case (number, worker_id, from_region, to_region, from_office, to_office, "
           "channel, status, \"temporary\", applied_on, letter_number, letter_json, settled_on, table_number, "
           "table_json, account, pooling, total, received_on, received_amount, due_on, due_estimated, "
           "created_at) VALUES (" + ",".join("?" * 23) + ")")

_RAW_REPORT = """
SELECT 'in', CAST(substr(c.received_on, 6, 2) AS INTEGER) AS m, count(*), sum(w.hukou_type = 'rural'),
       sum(c.account), sum(c.pooling), sum(c.total)
  FROM transfer_case c JOIN worker w ON w.id = c.worker_id
 WHERE c.status = 'received' AND c.received_on BETWEEN :first AND :last AND substr(c.to_region, 1, 4) = :key
 GROUP BY m
UNION ALL
SELECT 'out', CAST(substr(c.settled_on, 6, 2) AS INTEGER) AS m, count(*), sum(w.hukou_type = 'rural'),
       sum(c.account), sum(c.pooling), sum(c.total)
  FROM transfer_case c JOIN worker w ON w.id = c.worker_id
 WHERE c.status != 'requested' AND c.settled_on BETWEEN :first AND :last AND substr(c.from_region, 1, 4) = :key
 GROUP BY m
"""


def raw_report(con: sqlite3.Connection) -> list[tuple[str, int, int, int, int, int, int]]:
    """The same lines as TransferService.report, money in fen: months from SQL, the year summed here."""
    rows = con.execute(_RAW_REPORT, {"first": f"{YEAR}-01-01", "last": f"{YEAR}-12-31",
                                     "key": REGION[:4]}).fetchall()
    lines = []
    for direction in ("in", "out"):
        months = sorted((r for r in rows if r[0] == direction), key=lambda r: r[1])
        if months:
            lines.append((direction, 0, *(sum(r[i] for r in months) for i in range(2, 7))))
            lines.extend(months)
    return lines


def bench_report(tmp: Path, cases: int, rng: random.Random) -> dict[str, Any]:
    path = tmp / "cases.sqlite"
    ledger, _employer = open_office(path, 1998)
    t0 = time.perf_counter()
    people = make_people(rng, cases, (1960, 2000), set())
    now = dt.datetime.now()
    with ledger.engine.begin() as conn:
        conn.execute(insert(Worker.metadata.tables["worker"]), [
            {"id_number": n, "ssn": n, "nationality": "CN", "passport": None, "name": name, "initials": "",
             "sex": sex, "birth_date": born, "hukou_region": place, "hukou_type": kind, "phone": None,
             "created_at": now} for n, name, sex, born, place, kind in people])
    con = raw_connect(path)
    ids = [r[0] for r in con.execute("SELECT id FROM worker ORDER BY id")]
    con.execute("BEGIN")
    con.executemany(_INSERT, case_rows(rng, ids))
    con.execute("COMMIT")
    setup_s = time.perf_counter() - t0
    del people, ids
    rss_before = reset_peak()
    led_times: list[float] = []
    raw_times: list[float] = []
    report = None
    raw: list[tuple[str, int, int, int, int, int, int]] = []
    for _ in range(5):
        t0 = time.perf_counter()
        report = ledger.transfers.report(YEAR)
        led_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        raw = raw_report(con)
        raw_times.append(time.perf_counter() - t0)
    assert report is not None
    rss_report = peak_since_reset()
    mine = [(x.direction, x.month, x.people, x.rural, int(x.account * 100), int(x.pooling * 100),
             int(x.total * 100)) for x in report.lines]
    assert mine == raw, "the report and the raw GROUP BY differ"
    t0 = time.perf_counter()
    pdf = ledger.transfers.report_pdf(report)
    pdf_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    ledger.transfers.report_csv(report)
    csv_s = time.perf_counter() - t0
    in_year = sum(x.people for x in report.lines if x.month == 0)
    con.close()
    ledger.close()
    led, base = statistics.median(led_times), statistics.median(raw_times)
    return {"cases": cases, "counted_in_year": in_year, "lines": len(report.lines), "setup_s": setup_s,
            "ledger_median_ms": led * 1e3, "raw_median_ms": base * 1e3, "ratio": led / base,
            "pdf_ms": pdf_s * 1e3, "pdf_pages": len(PdfReader(io.BytesIO(pdf)).pages), "csv_ms": csv_s * 1e3,
            "rss_before_mb": rss_before, "rss_peak_mb": rss_report, "process_peak_rss_mb": peak_rss_mb(),
            "db_bytes": db_bytes(path)}


def mb(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f} MiB"


def summary(r: dict[str, Any]) -> str:
    s, p = r["settle"], r["report"]
    return "\n".join([
        (f"settle, {s['months_each']} months ({s['first_month']}..{s['last_month']}), {s['table_rows']} "
         f"table rows, {s['pdf_pages']} page(s): median {s['ledger_median_ms']:.1f} ms "
         f"(max {s['ledger_max_ms']:.1f}) vs raw {s['raw_median_ms']:.1f} ms = {s['ratio']:.2f}x over "
         f"{s['people']} cases; RSS {mb(s['rss_start_mb'])} -> peak {mb(s['rss_peak_mb'])} while settling"),
        (f"report {YEAR} over {p['cases']:,} cases ({p['counted_in_year']:,} in the year, {p['lines']} lines): "
         f"median {p['ledger_median_ms']:.0f} ms vs raw GROUP BY {p['raw_median_ms']:.0f} ms = "
         f"{p['ratio']:.2f}x; PDF {p['pdf_ms']:.0f} ms ({p['pdf_pages']} page), CSV {p['csv_ms']:.2f} ms"),
        (f"  RSS {mb(p['rss_before_mb'])} before the reports, peak {mb(p['rss_peak_mb'])} during them "
         f"(process peak with setup {p['process_peak_rss_mb']:.0f} MiB); db {p['db_bytes'] / 2**20:.0f} MiB; "
         f"setup {p['setup_s']:.1f} s"),
        f"commit {r['commit']}; Python {r['python']}, SQLite {r['sqlite']}, SQLAlchemy {r['sqlalchemy']}",
    ])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.bench_transfers", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--histories", type=int, default=9, help="people with a 35-year history (cases settled)")
    parser.add_argument("--cases", type=int, default=100000, help="transfer cases for the yearly report")
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    parser.add_argument("--tmpdir", type=Path, help="where the temporary databases go")
    args = parser.parse_args(argv)
    if args.histories < 1 or args.cases < 10:
        parser.error("--histories must be at least 1 and --cases at least 10")
    rng = random.Random(20261123)
    result: dict[str, Any] = {"commit": git_commit(), "python": platform.python_version(),
                              "sqlite": sqlite3.sqlite_version, "sqlalchemy": sqlalchemy.__version__}
    with tempfile.TemporaryDirectory(prefix="shebao-bench-", dir=args.tmpdir) as tmp:
        throwaway_keys(Path(tmp))
        result["settle"] = bench_settle(Path(tmp), args.histories, rng)
        print(f"settle done: {result['settle']['ledger_median_ms']:.1f} ms", file=sys.stderr, flush=True)
        result["report"] = bench_report(Path(tmp), args.cases, rng)
    print(summary(result))
    if args.out:
        args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
