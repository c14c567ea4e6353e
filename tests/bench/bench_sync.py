"""Sync export and import of 100,000 contribution changes against plain sqlite3 copying the same rows.

Run on demand (pytest does not collect tests/bench):

    cd /work/main && PYTHONPATH=. .venv/bin/python -m tests.bench.bench_sync \
        [--people 2000] [--months 10] [--rounds 3] [--out result.json] [--tmpdir DIR] [--profile DIR]

Office A (Nanchang) registers the people through the service and imports one declaration with
every person for every month of 2019 up to --months (before 2020 a person-month is five
contribution lines: pension, medical, unemployment, injury, maternity), so 2,000 people x 10 months
give 100,000 contribution changes, besides one change per person and one for the employer.

* export: `sync.export` of everything for office B (seal, sign, compress, encrypt, write);
* import: `sync.import_file` of that file into B, a fresh office that knows none of it (verify
  the file and every segment, decrypt, apply in one transaction);
* baseline: plain sqlite3 reads every row of A's contribution table and `executemany`-inserts it
  into an empty table of the same schema (same CREATE TABLE and indexes; no parent tables, so
  foreign keys are off) in a new file, with the ledger's PRAGMAs, in one transaction, committed.

Export and import run --rounds times (default 3; each round exports from a fresh copy of A and
imports into a fresh copy of B), the baseline before the first round and after every export and
every import, so all runs share the machine's conditions. The medians are reported, and the ratio
is (median export + median import) / median baseline. Target: within 5x.

Also reported: the file's size and bytes per change, the database sizes, and peak RSS; and, with
--months below 12, the next month: A declares it and B (the last round's, which has every earlier
month) imports A's file of it, where each incoming line is first looked for among B's lines (the
hub's every month), in changes a second against the first import's into an empty B.
--profile DIR writes export.prof and import.prof (cProfile, a separate run of each after the timed
ones, on a fresh copy of B) and prints their top functions by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import text

from desktop.core.ledger import Ledger
from desktop.core.store.engine import make_engine, migrate
from tests.bench.bench_ledger import db_bytes, git_commit, make_people, peak_rss_mb, raw_connect
from tests.bench.office_keys import throwaway_keys
from tests.sync_support import EMP_BJ, EMP_NC, TODAY, make_office, trust_all, uscc

SEED = 20261123
SCHEMES_BEFORE_2020 = 5


def build(tmp: Path, people_count: int, months: int) -> tuple[Ledger, Path, dict[str, Any]]:
    """Offices A and B trusting each other; A with its people and their declared months."""
    template = tmp / "template.db"
    engine = make_engine(f"sqlite:///{template}")
    migrate(engine)
    engine.dispose()
    a = make_office(template, tmp, "NC01", "南昌市社保局", "360100", EMP_NC, "南昌赣江机械制造有限公司")
    b = make_office(template, tmp, "BJ01", "北京市朝阳区社保中心", "110105", EMP_BJ, "北京朝阳科技有限公司")
    trust_all(a, b)
    b.close()
    rng = random.Random(SEED)
    people = make_people(rng, people_count, (1960, 1998), set())
    t0 = time.perf_counter()
    for number, name, _sex, _born, place, kind in people:
        a.workers.register_citizen(number, name, place, kind)
    register_s = time.perf_counter() - t0
    employer = uscc(EMP_NC)
    lines = ["employer_uscc,id_number,name,month,wage"]
    lines += [f"{employer},{p[0]},{p[1]},2019-{m:02d},{rng.randrange(3000, 30000)}"
              for p in people for m in range(1, months + 1)]
    declaration = tmp / "declaration.csv"
    declaration.write_text("\n".join(lines) + "\n", encoding="utf-8")
    t0 = time.perf_counter()
    done = a.contributions.import_file(declaration)
    declare_s = time.perf_counter() - t0
    assert done.lines == people_count * months * SCHEMES_BEFORE_2020, done
    return a, tmp / "BJ01.db", {"register_s": register_s, "declaration_import_s": declare_s,
                                "contribution_rows": done.lines,
                                "sample": [p[0] for p in rng.sample(people, 3)],
                                "people": [(p[0], p[1]) for p in people]}


def baseline(src: Path, dst: Path) -> tuple[float, int]:
    """Seconds plain sqlite3 takes to copy every contribution row into an empty table in a new file."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{dst}{suffix}").unlink(missing_ok=True)
    reader = sqlite3.connect(str(src))
    schema = [sql for (sql,) in reader.execute(
        "SELECT sql FROM sqlite_master WHERE tbl_name = 'contribution' AND sql IS NOT NULL "
        "ORDER BY type = 'index'")]
    names = [r[1] for r in reader.execute("PRAGMA table_info(contribution)")]
    con = raw_connect(dst)
    con.execute("PRAGMA foreign_keys=OFF")  # the parent tables are not in this file
    for sql in schema:
        con.execute(sql)
    cols, marks = ", ".join(names), ",".join("?" * len(names))
    t0 = time.perf_counter()
    rows = reader.execute(f"SELECT {cols} FROM contribution").fetchall()
    con.execute("BEGIN")
    con.executemany(f"INSERT INTO contribution ({cols}) VALUES ({marks})", rows)
    con.execute("COMMIT")
    seconds = time.perf_counter() - t0
    reader.close()
    con.close()
    return seconds, len(rows)


def fresh_copy(pristine: Path, target: Path) -> Path:
    """A copy of a closed office database (its WAL is checkpointed on close)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(pristine, target)
    return target


def top(prof: cProfile.Profile, limit: int = 25) -> list[tuple[str, int, float, float]]:
    """(function, calls, own seconds, cumulative seconds) by cumulative time."""
    stats = pstats.Stats(prof, stream=io.StringIO())
    rows = []
    for (file, line, name), (_cc, calls, tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append((f"{Path(file).name}:{line}({name})" if line else name, calls, tt, ct))
    rows.sort(key=lambda r: r[3], reverse=True)
    return rows[:limit]


def run(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    """Build the offices, time export, import and the baseline, and return the results."""
    commit = git_commit()
    t0 = time.perf_counter()
    a, pristine_b, setup = build(tmp, args.people, args.months)
    setup["setup_s"] = time.perf_counter() - t0
    print(f"setup: {setup['setup_s']:.1f}s", file=sys.stderr, flush=True)
    a_path = tmp / "NC01.db"
    a.close()  # checkpointed: a copy before anything is sealed, for each export
    pristine_a = shutil.copyfile(a_path, tmp / "NC01-pristine.db")
    raw_path = tmp / "raw.db"
    base: list[float] = []
    s, copied = baseline(a_path, raw_path)
    base.append(s)
    exports: list[float] = []
    imports: list[float] = []
    out = tmp / "a.sync"
    for round_ in range(args.rounds):
        # Each round exports from a fresh copy of A (an export seals A's changes) into a fresh B.
        a = Ledger.open(fresh_copy(pristine_a, tmp / "A-timed.db"), clock=lambda: TODAY)
        t0 = time.perf_counter()
        exported = a.sync.export(out, to="BJ01")
        exports.append(time.perf_counter() - t0)
        print(f"round {round_ + 1}: export {exports[-1]:.2f}s, {exported.changes} changes",
              file=sys.stderr, flush=True)
        if round_ == 0:
            with a.read() as sess:
                by_table = dict(sess.execute(text(
                    "SELECT tbl, sum(coalesce(run, 1)) FROM sync_change WHERE origin = 'NC01' GROUP BY tbl")).all())
            expected = {k: a.accounts.statement(k).individual_account_balance for k in setup["sample"]}
        a.close()
        base.append(baseline(pristine_a, raw_path)[0])

        b = Ledger.open(fresh_copy(pristine_b, tmp / "B-timed.db"), clock=lambda: TODAY)
        t0 = time.perf_counter()
        imported = b.sync.import_file(out)
        imports.append(time.perf_counter() - t0)
        print(f"round {round_ + 1}: import {imports[-1]:.2f}s, {imported.applied} applied",
              file=sys.stderr, flush=True)
        assert imported.applied == exported.changes, imported
        with b.read() as sess:
            contributions_b = int(sess.execute(text("SELECT count(*) FROM contribution")).scalar_one())
        got = {k: b.accounts.statement(k).individual_account_balance for k in setup["sample"]}
        assert contributions_b == copied and got == expected, (contributions_b, copied, got, expected)
        b.close()
        base.append(baseline(pristine_a, raw_path)[0])
    people = setup.pop("people")
    following = next_month(tmp, people, args.months + 1) if args.months < 12 else {}
    rss = peak_rss_mb()

    profiles: dict[str, Any] = {}
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
        a2 = Ledger.open(fresh_copy(pristine_a, tmp / "A-profiled.db"), clock=lambda: TODAY)
        prof = cProfile.Profile()
        prof.enable()
        a2.sync.export(tmp / "a-profiled.sync", to="BJ01")
        prof.disable()
        a2.close()
        prof.dump_stats(args.profile / "export.prof")
        profiles["export"] = top(prof)
        b = Ledger.open(fresh_copy(pristine_b, tmp / "B-profiled.db"), clock=lambda: TODAY)
        prof = cProfile.Profile()
        prof.enable()
        b.sync.import_file(out)
        prof.disable()
        b.close()
        prof.dump_stats(args.profile / "import.prof")
        profiles["import"] = top(prof)
    baseline_s = statistics.median(base)
    export_s, import_s = statistics.median(exports), statistics.median(imports)
    size = exported.size
    return {
        "commit": commit, "people": args.people, "months": args.months, **setup,
        "changes": exported.changes, "changes_by_table": by_table, "segments": exported.segments,
        "rounds": args.rounds, "export_runs_s": exports, "import_runs_s": imports,
        "export_s": export_s, "import_s": import_s, "baseline_s": baseline_s, "baseline_runs_s": base,
        "baseline_rows": copied, "ratio": (export_s + import_s) / baseline_s,
        "export_ratio": export_s / baseline_s, "import_ratio": import_s / baseline_s,
        "file_bytes": size, "bytes_per_change": size / exported.changes,
        "a_db_bytes": db_bytes(a_path), "raw_db_bytes": db_bytes(raw_path),
        "peak_rss_mb": rss, "within_5x": (export_s + import_s) / baseline_s <= 5,
        "profiles": profiles, "next_month": following,
    }


def next_month(tmp: Path, people: list[tuple[str, str]], month: int) -> dict[str, Any]:
    """A declares the next month, and B (the last round's, which has every earlier month of these
    people) imports A's file of it: each incoming line is looked for among B's lines first."""
    a = Ledger.open(tmp / "A-timed.db", clock=lambda: TODAY)
    b = Ledger.open(tmp / "B-timed.db", clock=lambda: TODAY)
    back = tmp / "back.sync"  # B's file to A says what B has: A's next file holds only the new
    b.sync.export(back, to="NC01")
    a.sync.import_file(back)
    rng = random.Random(SEED + month)
    declaration = tmp / "next.csv"
    declaration.write_text("employer_uscc,id_number,name,month,wage\n" + "".join(
        f"{uscc(EMP_NC)},{n},{name},2019-{month:02d},{rng.randrange(3000, 30000)}\n" for n, name in people),
        encoding="utf-8")
    lines = a.contributions.import_file(declaration).lines
    out = tmp / "next.sync"
    exported = a.sync.export(out, to="BJ01")
    with b.read() as sess:
        before = int(sess.execute(text("SELECT count(*) FROM contribution")).scalar_one())
    t0 = time.perf_counter()
    imported = b.sync.import_file(out)
    seconds = time.perf_counter() - t0
    assert imported.applied == exported.changes == lines, (imported, exported, lines)
    a.close()
    b.close()
    print(f"next month: import {seconds:.2f}s, {imported.applied} applied onto {before} lines",
          file=sys.stderr, flush=True)
    return {"changes": exported.changes, "lines_before": before, "import_s": seconds,
            "changes_per_s": exported.changes / seconds}


def report(r: dict[str, Any]) -> str:
    """A compact table of the results."""
    n = r["changes"]
    rows = [
        ("operation", "seconds", "changes/s", "ratio to baseline", "runs (s)"),
        (f"export ({n:,} changes, {r['segments']} segment; median of {r['rounds']})", f"{r['export_s']:.2f}",
         f"{n / r['export_s']:,.0f}", f"{r['export_ratio']:.2f}x",
         "runs " + " / ".join(f"{x:.2f}" for x in r["export_runs_s"])),
        (f"import (verify, decrypt, apply, commit; median of {r['rounds']})", f"{r['import_s']:.2f}",
         f"{n / r['import_s']:,.0f}", f"{r['import_ratio']:.2f}x",
         "runs " + " / ".join(f"{x:.2f}" for x in r["import_runs_s"])),
        ("export + import", f"{r['export_s'] + r['import_s']:.2f}", "",
         f"{r['ratio']:.2f}x", "target <= 5x"),
        (f"baseline: sqlite3 copy of {r['baseline_rows']:,} rows (median of {len(r['baseline_runs_s'])})",
         f"{r['baseline_s']:.2f}",
         f"{r['baseline_rows'] / r['baseline_s']:,.0f}", "1.00x",
         "runs " + " / ".join(f"{x:.2f}" for x in r["baseline_runs_s"])),
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    tables = ", ".join(f"{k} {v:,}" for k, v in sorted(r["changes_by_table"].items()))
    lines.append(f"changes: {n:,} ({tables}); file {r['file_bytes']:,} bytes = "
                 f"{r['bytes_per_change']:.1f} bytes/change; peak RSS {r['peak_rss_mb']:.0f} MiB")
    lines.append(f"setup {r['setup_s']:.1f} s (registering {r['people']:,} people {r['register_s']:.1f} s, "
                 f"declaration {r['declaration_import_s']:.1f} s); A's database "
                 f"{r['a_db_bytes'] / 2**20:.0f} MiB, baseline file {r['raw_db_bytes'] / 2**20:.0f} MiB; "
                 f"commit {r['commit']}")
    if r.get("next_month"):
        x = r["next_month"]
        lines.append(f"the next month into B, which has the earlier ones ({x['lines_before']:,} lines): import "
                     f"{x['import_s']:.2f} s for {x['changes']:,} changes, {x['changes_per_s']:,.0f} changes/s "
                     f"(the first import into an empty B: {n / r['import_s']:,.0f} changes/s)")
    for name, rows_ in r["profiles"].items():
        lines.append(f"\nprofile of {name} (cumulative seconds, own seconds, calls):")
        lines += [f"  {ct:7.2f} {tt:7.2f} {calls:8d}  {where}" for where, calls, tt, ct in rows_]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, run the benchmark in a temporary directory, print and save the results."""
    parser = argparse.ArgumentParser(prog="python -m tests.bench.bench_sync", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--months", type=int, default=10, help="1..12 (months of 2019)")
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    parser.add_argument("--tmpdir", type=Path, help="where the temporary databases go")
    parser.add_argument("--rounds", type=int, default=3,
                        help="export/import rounds (medians are reported; baselines run between them)")
    parser.add_argument("--profile", type=Path, help="write export.prof and import.prof here")
    args = parser.parse_args(argv)
    if not 1 <= args.months <= 12:
        parser.error("--months must be 1..12 (months of 2019, five schemes each)")
    with tempfile.TemporaryDirectory(prefix="shebao-bench-sync-", dir=args.tmpdir) as tmp:
        throwaway_keys(Path(tmp))
        result = run(args, Path(tmp))
    print(report(result))
    if args.out:
        args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
