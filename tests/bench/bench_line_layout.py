"""Contribution lines kept as one row a person-month behind a view: what writing through it costs.

Run on demand (pytest does not collect tests/bench):

    cd /work/main && PYTHONPATH=. .venv/bin/python -m tests.bench.bench_line_layout [--people 20000] [--months 12]

Three SQLite files in one run, each given the same declaration lines month by month (four schemes
a person, ids one after another as a declaration gives them):

* plain: the lines as the application keeps them today, a row a line with the unique key
  (person, month, scheme, employer); the baseline of every ratio;
* view: a table of one row a person-month and employer (`pm`: its row id the month's first line
  id, each scheme's amounts and status in columns with the line's distance from the row id), a
  side table for a line that does not fit a row, and a view named `contribution` that gives the
  lines back (one `UNION ALL` branch a scheme and the side table), written through the view's
  INSTEAD OF triggers;
* wide: the same `pm` table written directly, a row a person-month (what a bulk insert would do).

Reported: inserting the lines (a line's time and the ratio to plain), changing a line by its id
alone and by its id with its key (what the session's UPDATE of a line sends, `models.Contribution`),
and the file's bytes a person-month. The prototype triggers change a line's own columns (status,
amounts); a change of what the lines of a row share (wage, base, region, kind, day, batch) is not
written here: a line so changed would leave its row for the side table.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

# Schemes as stored (models.SchemeCode) and a short column prefix each: pension, medical,
# unemployment, injury, maternity.
SCHEMES = {"p": 3, "m": 2, "u": 6, "i": 0, "t": 1}
DECLARED = ("p", "m", "u", "i")  # a declaration's four schemes
LINE = ("id", "worker_id", "employer_id", "region", "month", "scheme", "wage", "base", "employer_amount",
        "employee_amount", "account_amount", "kind", "status", "recorded_on", "batch_id", "exemption_id")
SLOT = ("off", "er", "ee", "acc", "st", "ex")  # a scheme's columns in a person-month row
SHARED = ("region", "wage", "base", "kind", "recorded_on", "batch_id")


def connect(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(str(path), isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    return con


def plain_schema(con: sqlite3.Connection) -> None:
    con.execute(f"CREATE TABLE contribution ({_columns(LINE)})")
    con.execute("CREATE UNIQUE INDEX contribution_key ON contribution (worker_id, month, scheme, employer_id)")


def _columns(names: Sequence[str]) -> str:
    """Column definitions: the id the row id, the rest integers."""
    return ", ".join(n + (" INTEGER PRIMARY KEY" if n == "id" else " INT") for n in names)


def _per_scheme(of: str, fmt: str) -> str:
    """A CASE over the scheme of OLD or NEW, one branch a scheme (`{s}`: its column prefix)."""
    cases = " ".join(f"WHEN {code} THEN {fmt.format(s=s)}" for s, code in SCHEMES.items())
    return f"CASE {of}.scheme {cases} END"


def view_schema(con: sqlite3.Connection) -> None:
    slots = ", ".join(f"{s}_{c} INT" for s in SCHEMES for c in SLOT)
    con.execute("CREATE TABLE pm (id INTEGER PRIMARY KEY, worker_id INT NOT NULL, employer_id INT NOT NULL, "
                f"month INT NOT NULL, {', '.join(n + ' INT' for n in SHARED)}, {slots})")
    con.execute("CREATE UNIQUE INDEX pm_key ON pm (worker_id, month, employer_id)")
    con.execute(f"CREATE TABLE side ({_columns(LINE)})")
    con.execute("CREATE UNIQUE INDEX side_key ON side (worker_id, month, scheme, employer_id)")
    branches = [
        f"SELECT id + {s}_off AS id, worker_id, employer_id, region, month, {code} AS scheme, wage, base, "
        f"{s}_er AS employer_amount, {s}_ee AS employee_amount, {s}_acc AS account_amount, kind, "
        f"{s}_st AS status, recorded_on, batch_id, {s}_ex AS exemption_id FROM pm WHERE {s}_off IS NOT NULL"
        for s, code in SCHEMES.items()]
    branches.append(f"SELECT {', '.join(LINE)} FROM side")
    con.execute("CREATE VIEW contribution AS " + " UNION ALL ".join(branches))
    key = "worker_id = NEW.worker_id AND month = NEW.month AND employer_id = NEW.employer_id"
    values = {"off": "NEW.id - id", "er": "NEW.employer_amount", "ee": "NEW.employee_amount",
              "acc": "NEW.account_amount", "st": "NEW.status", "ex": "NEW.exemption_id"}
    fill = ", ".join(f"{s}_{c} = CASE WHEN NEW.scheme = {code} THEN {values[c]} ELSE {s}_{c} END"
                     for s, code in SCHEMES.items() for c in SLOT)
    same = " AND ".join(f"{n} IS NEW.{n}" for n in SHARED)
    first = {"off": "0", **{c: v for c, v in values.items() if c != "off"}}
    new_slots = ", ".join(f"CASE WHEN NEW.scheme = {code} THEN {first[c]} END"
                          for _s, code in SCHEMES.items() for c in SLOT)
    slot_names = ", ".join(f"{s}_{c}" for s in SCHEMES for c in SLOT)
    new_line = ", ".join(f"NEW.{n}" for n in LINE)
    # A line joins its person-month's row when it shares the row's values, its scheme's place is
    # free and its id is within 7 of the row's; a new person-month makes a row; else the side table.
    con.execute(f"""CREATE TRIGGER contribution_insert INSTEAD OF INSERT ON contribution BEGIN
      UPDATE pm SET {fill} WHERE {key} AND {_per_scheme("NEW", "{s}_off IS NULL")} AND {same}
        AND NEW.id - id BETWEEN 1 AND 7 AND NOT EXISTS (SELECT 1 FROM side WHERE side.worker_id = NEW.worker_id
        AND side.month = NEW.month AND side.scheme = NEW.scheme AND side.employer_id = NEW.employer_id);
      INSERT INTO pm (id, worker_id, employer_id, month, {', '.join(SHARED)}, {slot_names})
        SELECT NEW.id, NEW.worker_id, NEW.employer_id, NEW.month, {', '.join('NEW.' + n for n in SHARED)}, {new_slots}
        WHERE NEW.scheme IN ({', '.join(map(str, SCHEMES.values()))}) AND NOT EXISTS (SELECT 1 FROM pm WHERE {key});
      INSERT INTO side SELECT {new_line}
        WHERE NOT EXISTS (SELECT 1 FROM pm WHERE {key} AND {_per_scheme("NEW", "{s}_off")} = NEW.id - pm.id);
    END""")
    old_key = "worker_id = OLD.worker_id AND month = OLD.month AND employer_id = OLD.employer_id"
    own = {"er": "employer_amount", "ee": "employee_amount", "acc": "account_amount", "st": "status",
           "ex": "exemption_id"}
    change = ", ".join(f"{s}_{c} = CASE WHEN OLD.scheme = {code} AND id + {s}_off = OLD.id THEN NEW.{n} "
                       f"ELSE {s}_{c} END" for s, code in SCHEMES.items() for c, n in own.items())
    con.execute(f"""CREATE TRIGGER contribution_update INSTEAD OF UPDATE ON contribution BEGIN
      SELECT RAISE(ABORT, 'a line keeps its id and key, and its row''s shared values in this prototype')
        WHERE NEW.id IS NOT OLD.id OR NEW.worker_id IS NOT OLD.worker_id OR NEW.month IS NOT OLD.month
          OR NEW.employer_id IS NOT OLD.employer_id OR NEW.scheme IS NOT OLD.scheme
          OR {" OR ".join(f"NEW.{n} IS NOT OLD.{n}" for n in SHARED)};
      UPDATE side SET {", ".join(f"{n} = NEW.{n}" for n in own.values())} WHERE id = OLD.id;
      UPDATE pm SET {change} WHERE {old_key} AND id BETWEEN OLD.id - 7 AND OLD.id;
    END""")


def declaration(people: int, months: int) -> list[tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]]:
    """Each month's lines (LINE order) and the same as person-month rows (`pm` columns)."""
    out = []
    line_id = 0
    rng = random.Random(1)
    wages = [rng.randrange(260000, 1600000) for _ in range(people)]
    for k in range(months):
        month = 202001 + (k // 12) * 100 + k % 12
        lines, rows = [], []
        for w in range(1, people + 1):
            wage = wages[w - 1]
            amounts = {"p": (wage * 16 // 100, wage * 8 // 100, wage * 8 // 100),
                       "m": (wage * 8 // 100, wage * 2 // 100, 0),
                       "u": (wage * 5 // 1000, wage * 5 // 1000, 0), "i": (wage * 4 // 1000, 0, 0)}
            first = line_id + 1
            for s in DECLARED:
                line_id += 1
                er, ee, acc = amounts[s]
                lines.append((line_id, w, 1, 360100, month, SCHEMES[s], wage, wage, er, ee, acc, 0, 0, 20000 + k,
                              k + 1, None))
            slots: list[Any] = []
            for off, s in enumerate(SCHEMES):
                slots.extend((off, *amounts[s], 0, None) if s in DECLARED else (None,) * len(SLOT))
            rows.append((first, w, 1, month, 360100, wage, wage, 0, 20000 + k, k + 1, *slots))
        out.append((lines, rows))
    return out


def file_bytes(con: sqlite3.Connection, path: Path) -> int:
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path.stat().st_size


def with_key(line: tuple[Any, ...]) -> tuple[Any, ...]:
    """A line's id and key as `UPDATE ... WHERE id = ? AND worker_id = ? AND month = ? AND
    employer_id = ? AND scheme = ?` takes them."""
    return line[0], line[1], line[4], line[2], line[5]


def timed_each(con: sqlite3.Connection, sql: str, params: Callable[[tuple[Any, ...]], Sequence[Any]],
               sample: list[tuple[Any, ...]]) -> float:
    """Seconds a statement, run once for each line of the sample in one transaction."""
    con.execute("BEGIN")
    t0 = time.perf_counter()
    for line in sample:
        con.execute(sql, params(line)).fetchall()
    seconds = (time.perf_counter() - t0) / len(sample)
    con.execute("COMMIT")
    return seconds


def run(people: int, months: int, tmp: Path) -> dict[str, Any]:
    paths = {name: tmp / f"{name}.sqlite" for name in ("plain", "view", "wide")}
    cons = {name: connect(path) for name, path in paths.items()}
    plain_schema(cons["plain"])
    view_schema(cons["view"])
    view_schema(cons["wide"])
    data = declaration(people, months)
    line_sql = f"INSERT INTO contribution VALUES ({', '.join('?' * len(LINE))})"
    width = len(data[0][1][0])
    row_sql = f"INSERT INTO pm VALUES ({', '.join('?' * width)})"
    seconds = {name: 0.0 for name in cons}
    for lines, rows in data:
        for name, sql, batch in (("plain", line_sql, lines), ("view", line_sql, lines), ("wide", row_sql, rows)):
            con = cons[name]
            t0 = time.perf_counter()
            con.execute("BEGIN")
            con.executemany(sql, batch)
            con.execute("COMMIT")
            seconds[name] += time.perf_counter() - t0
    n_lines = sum(len(lines) for lines, _rows in data)
    every = "SELECT * FROM contribution ORDER BY id"
    assert cons["view"].execute(every).fetchall() == cons["plain"].execute(every).fetchall() == \
        cons["wide"].execute(every).fetchall(), "the view does not give the same lines back"
    assert cons["view"].execute("SELECT count(*) FROM side").fetchone()[0] == 0
    rng = random.Random(2)
    all_lines = [line for lines, _rows in data for line in lines]
    by_id = "UPDATE contribution SET status = 1 WHERE id = ?"
    by_key = ("UPDATE contribution SET status = 2 WHERE id = ? AND worker_id = ? AND month = ? "
              "AND employer_id = ? AND scheme = ?")
    many, other = rng.sample(all_lines, 300), rng.sample(all_lines, 300)
    few = many[:3]  # (each a scan of the view)
    changes = {"by_id_plain_us": timed_each(cons["plain"], by_id, lambda line: (line[0],), many) * 1e6,
               "by_id_view_ms": timed_each(cons["view"], by_id, lambda line: (line[0],), few) * 1e3}
    timed_each(cons["view"], by_key.replace("status = 2", "status = 1"), with_key, many[3:])  # the same lines
    changes["by_id_and_key_plain_us"] = timed_each(cons["plain"], by_key, with_key, other) * 1e6
    changes["by_id_and_key_view_us"] = timed_each(cons["view"], by_key, with_key, other) * 1e6
    changed = "SELECT id, status FROM contribution WHERE status <> 0 ORDER BY id"
    assert cons["view"].execute(changed).fetchall() == cons["plain"].execute(changed).fetchall()
    person_months = people * months
    out = {"people": people, "months": months, "lines": n_lines, "sqlite": sqlite3.sqlite_version,
           "insert_us_a_line": {name: s / n_lines * 1e6 for name, s in seconds.items()},
           "insert_ratio": {name: s / seconds["plain"] for name, s in seconds.items()},
           "change": changes,
           "bytes_per_person_month": {name: file_bytes(cons[name], paths[name]) / person_months for name in cons}}
    for con in cons.values():
        con.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=20000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="line-layout-") as tmp:
        result = run(args.people, args.months, Path(tmp))
    ins, ratio, ch, size = (result[k] for k in ("insert_us_a_line", "insert_ratio", "change", "bytes_per_person_month"))
    print(f"{result['lines']:,} lines ({args.people:,} people x {args.months} months), SQLite {result['sqlite']}")
    for name in ("plain", "view", "wide"):
        print(f"  insert {name:5s} {ins[name]:6.2f} us a line  {ratio[name]:5.2f}x plain  "
              f"{size[name]:7.1f} bytes a person-month")
    print(f"  change a line by id:         plain {ch['by_id_plain_us']:6.1f} us   view {ch['by_id_view_ms']:8.1f} ms")
    print(f"  change a line by id and key: plain {ch['by_id_and_key_plain_us']:6.1f} us   "
          f"view {ch['by_id_and_key_view_us']:8.1f} us")
    if args.out:
        args.out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
