"""How long SQLite's quick_check and integrity_check take on a county-scale office database.

Run on demand (pytest does not collect tests/bench):

    cd /work/main && PYTHONPATH=. .venv/bin/python -m tests.bench.bench_check \
        --db /big/disk/check.sqlite [--people 100000] [--months 12] [--repeats 3] [--out result.json]

When --db does not exist it is built first with the ledger benchmark's helpers (office, 50
employers, --people people by bulk insert, one declaration per month imported through the ledger,
so every line has its change record), which takes minutes; an existing file is reused as it is.

Measured on that file, each --repeats times, alternating:

* open: `Ledger.open` (engine, pragmas, schema revision) and closing it, without any check;
* quick: `PRAGMA quick_check` on a fresh SQLite connection (what runs when the window opens);
* full: `PRAGMA integrity_check` on a fresh SQLite connection (`shebao check --full`).

The file is in the page cache after the first pass (the machine gives no way to drop it without
root), so the first pass is reported apart from the later ones: the first is closest to a cold
start after the counter PC booted, the others to an office that opens the program again.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from desktop.core.ledger import Ledger
from tests.bench.bench_ledger import (
    LAST,
    TODAY,
    db_bytes,
    make_people,
    months_ending,
    setup,
    write_declaration,
)
from tests.bench.office_keys import throwaway_keys


def build(path: Path, people_count: int, months: int) -> None:
    """An office with people_count people declared every month for `months` months."""
    rng = random.Random(20261123)
    ledger = Ledger.open(path, clock=lambda: TODAY, check=False)
    people = make_people(rng, people_count, (1960, 2000), set())
    codes = setup(ledger, people)
    employer = [rng.choice(codes) for _ in people]
    wages = [rng.randrange(260000, 1600000) for _ in people]
    chosen = months_ending(LAST, months)
    with tempfile.TemporaryDirectory(prefix="shebao-bench-check-", dir=path.parent) as tmp:
        for k, month in enumerate(chosen):
            t0 = time.perf_counter()
            decl = write_declaration(Path(tmp) / f"decl-{month}.csv", people, employer, wages,
                                     [month], chosen[0])
            ledger.contributions.import_file(decl)
            decl.unlink()
            print(f"  month {k + 1}/{months} imported in {time.perf_counter() - t0:.1f} s",
                  file=sys.stderr, flush=True)
    with ledger.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    ledger.close()


def pragma(path: Path, name: str) -> tuple[float, str]:
    """Seconds a check takes on a fresh connection, and its first line."""
    t0 = time.perf_counter()
    con = sqlite3.connect(str(path))
    try:
        first = con.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        con.close()
    return time.perf_counter() - t0, str(first)


def open_close(path: Path) -> float:
    """Seconds Ledger.open and close take, without a check."""
    t0 = time.perf_counter()
    ledger = Ledger.open(path, clock=lambda: TODAY, check=False)
    ledger.close()
    return time.perf_counter() - t0


def run(path: Path, repeats: int) -> dict[str, Any]:
    """Time open, quick_check and integrity_check on the file."""
    con = sqlite3.connect(str(path))
    try:
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("worker", "contribution", "sync_change", "audit_entry")}
        page_size = con.execute("PRAGMA page_size").fetchone()[0]
        pages = con.execute("PRAGMA page_count").fetchone()[0]
    finally:
        con.close()
    times: dict[str, list[float]] = {"open": [], "quick": [], "full": []}
    verdicts = set()
    for _ in range(repeats):
        times["open"].append(open_close(path))
        for kind, name in (("quick", "quick_check"), ("full", "integrity_check")):
            seconds, first = pragma(path, name)
            times[kind].append(seconds)
            verdicts.add(first)
    return {"file": str(path), "bytes": db_bytes(path), "page_size": page_size, "pages": pages,
            "rows": counts, "repeats": repeats, "verdicts": sorted(verdicts),
            "sqlite": sqlite3.sqlite_version, "measured": dt.date.today().isoformat(),
            **{f"{k}_first_s": v[0] for k, v in times.items()},
            **{f"{k}_later_median_s": statistics.median(v[1:]) if len(v) > 1 else v[0]
               for k, v in times.items()}}


def report(r: dict[str, Any]) -> str:
    """The figures as a few lines."""
    rows = r["rows"]
    lines = [(f"{r['file']}: {r['bytes'] / 2**20:,.0f} MiB ({r['pages']:,} pages of {r['page_size']} bytes); "
              f"{rows['worker']:,} people, {rows['contribution']:,} contribution lines, "
              f"{rows['sync_change']:,} change records; SQLite {r['sqlite']}")]
    for kind, label in (("open", "Ledger.open + close (no check)"), ("quick", "PRAGMA quick_check"),
                        ("full", "PRAGMA integrity_check")):
        lines.append(f"  {label:32} first {r[kind + '_first_s']:8.2f} s   "
                     f"later median {r[kind + '_later_median_s']:8.2f} s")
    lines.append(f"  verdicts: {', '.join(r['verdicts'])}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Build the database if needed, time the checks, print (and save) the figures."""
    parser = argparse.ArgumentParser(prog="python -m tests.bench.bench_check", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, required=True, help="the database to check (built if missing)")
    parser.add_argument("--people", type=int, default=100000)
    parser.add_argument("--months", type=int, default=12, help="1..82, ending 2026-10")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    args = parser.parse_args(argv)
    throwaway_keys(args.db.with_name(args.db.name + ".bench"))  # the office's keys, beside the file
    if not args.db.exists():
        t0 = time.perf_counter()
        build(args.db, args.people, args.months)
        print(f"built in {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    result = run(args.db, max(1, args.repeats))
    print(report(result))
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
