"""Benchmark of the counter window on a county-sized office (on demand; pytest skips tests/bench).

    cd /work/main && PYTHONPATH=. .venv/bin/python -m tests.bench.bench_ui \\
        [--people 100000] [--repeats 7] [--queries 30] [--out result.json] [--tmpdir DIR]

* start: from launching `python -m desktop --db FILE` (on the database below) to (a) the window
  shown with the search box focused and taking keys, and (b) the database open and the office
  loaded, so a search typed in (a) answers; each as a RATIO to a bare PySide6 window (QApplication,
  one QMainWindow with a line edit shown) started the same way in the same run. Each is a fresh
  subprocess timed from spawn to the line it prints; the two alternate, `--repeats` times;
  medians. Target < 2x.
* search: search-as-you-type on N people (bulk Core insert, as bench_ledger does). In a fresh
  process the window is opened on the file; for each keystroke (ID numbers typed digit by digit,
  pinyin initials letter by letter, Chinese names character by character through the input
  method) the time from sending the key to the results being in the view and repainted. The next
  key is sent when the answer is shown (a clerk reads as they type). Target < 100 ms per keystroke.
* memory: resident set size of that process with the database open, the window shown and every
  search done (VmRSS now and peak); a bare PySide6 window's for comparison. Target < 300 MB.

Temporary files are deleted at the end; the user's settings are not touched (XDG_CONFIG_HOME).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tests.bench.office_keys import throwaway_keys

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 11, 23)

BARE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
box = QLineEdit()
window.setCentralWidget(box)
window.resize(1280, 780)
window.show()
box.setFocus()
def ready():
    print("READY", flush=True)
    window.close()
QTimer.singleShot(0, ready)
app.exec()
"""

APP = """
import sys
from PySide6.QtCore import QTimer
from desktop.ui import app as ui_app
query = sys.argv[2] if len(sys.argv) > 2 else ""
seen = set()
def mark(name, window):
    if name not in seen:
        seen.add(name)
        print(name, flush=True)
    if "READY" in seen and ("ANSWERED" in seen or not query):
        window.close()
original = ui_app.Startup.start
def start(self):
    original(self)
    window = self.window
    window.search.results_shown.connect(lambda _text, n: n and mark("ANSWERED", window))
    def shown():
        print("SHOWN", flush=True)
        if query:  # typed (scanned) as soon as the window takes keys
            window.search.box.setText(query)
    QTimer.singleShot(0, shown)
ui_app.Startup.start = start
sys.exit(ui_app.main(["--db", sys.argv[1]], on_ready=lambda window: mark("READY", window)))
"""


def child_env(tmp: Path) -> dict[str, str]:
    """Offscreen Qt, this checkout on the path, settings in a temporary folder."""
    env = dict(os.environ)
    path = [str(ROOT), *[p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]]
    env.update({"QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": os.pathsep.join(path),
                "XDG_CONFIG_HOME": str(tmp / "config"),
                # byte-code cached as in an installed program (and as PySide6's own is), kept in
                # the run's folder: a shell that forbids writing it would time compiling instead
                "PYTHONPYCACHEPREFIX": str(tmp / "pycache")})
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def time_to_ready(code: str, args: list[str], env: dict[str, str],
                  until: tuple[str, ...] = ("READY",)) -> dict[str, float]:
    """Seconds from spawning a Python process running code to each line it prints (SHOWN, READY,
    ANSWERED), read until every mark in `until` is seen."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, env=env, cwd=ROOT)
    assert proc.stdout is not None
    marks: dict[str, float] = {}
    for line in proc.stdout:
        marks[line.split()[0]] = time.perf_counter() - t0
        if all(mark in marks for mark in until):
            break
    else:
        raise RuntimeError(f"no {' and '.join(until)} line (exit {proc.wait()})")
    proc.wait(timeout=60)
    return marks


def build_database(path: Path, people: int) -> list[tuple[str, str]]:
    """An office with `people` citizens inserted in bulk; returns (id_number, name) of each."""
    from desktop.core.ledger import Ledger
    from tests.bench.bench_ledger import make_people, setup

    rng = random.Random(20261123)
    ledger = Ledger.open(path, clock=lambda: TODAY)
    persons = make_people(rng, people, (1960, 2004), set())
    setup(ledger, persons)
    ledger.close()
    return [(p[0], p[1]) for p in persons]


def bench_start(db: Path, repeats: int, env: dict[str, str], query: str | None = None) -> dict[str, Any]:
    """Median seconds to a usable window: the application versus a bare PySide6 window. With a
    query (a person's ID number, as scanned), also to its first answer: typed as soon as the window
    takes keys, answered by whatever can answer first."""
    args, until = ([str(db), query], ("READY", "ANSWERED")) if query else ([str(db)], ("READY",))
    time_to_ready(APP, args, env, until)  # warm the file cache and byte-code once
    time_to_ready(BARE, [], env)
    app_s: list[float] = []
    shown_s: list[float] = []
    bare_s: list[float] = []
    answer_s: list[float] = []
    for _ in range(repeats):
        bare_s.append(time_to_ready(BARE, [], env)["READY"])
        marks = time_to_ready(APP, args, env, until)
        shown_s.append(marks["SHOWN"])
        app_s.append(marks["READY"])
        if query:
            answer_s.append(marks["ANSWERED"])
    app_med, shown_med = statistics.median(app_s), statistics.median(shown_s)
    bare_med = statistics.median(bare_s)
    out = {"repeats": repeats, "app_median_s": app_med, "shown_median_s": shown_med,
           "bare_median_s": bare_med, "ratio": app_med / bare_med,
           "shown_ratio": shown_med / bare_med, "app_s": app_s, "shown_s": shown_s,
           "bare_s": bare_s}
    if query:
        answer_med = statistics.median(answer_s)
        out.update(answer_median_s=answer_med, answer_ratio=answer_med / bare_med, answer_s=answer_s)
    return out


def keystrokes(people: list[tuple[str, str]], count: int, rng: random.Random) -> list[list[str]]:
    """Query sequences as typed: ID numbers digit by digit, initials, Chinese names."""
    from desktop.core.services.workers import name_initials

    sample = rng.sample(people, count)
    out: list[list[str]] = []
    for number, _name in sample[: count // 3]:
        out.append(list(number))
    for _number, name in sample[count // 3: 2 * count // 3]:
        out.append(list(name_initials(name)))
    for _number, name in sample[2 * count // 3:]:
        out.append(list(name))
    return out


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident set size of this process in MiB, from /proc (Linux)."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def search_child(db: Path, queries_file: Path) -> dict[str, Any]:
    """In this (fresh) process: open the window on db and time every keystroke of the queries.

    Driven from the application's own event loop (app.exec), as a clerk's keys arrive.
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, Qt, QTimer
    from PySide6.QtGui import QInputMethodEvent, QKeyEvent
    from PySide6.QtWidgets import QApplication

    from desktop.core.ledger import Ledger
    from desktop.ui.app import make_app
    from desktop.ui.window import MainWindow

    app = make_app()
    ledger = Ledger.open(db, clock=lambda: TODAY)
    window = MainWindow(ledger)
    window.show()
    box = window.search.box
    queries: list[list[str]] = json.loads(queries_file.read_text(encoding="utf-8"))
    plan = [(q, i) for q in queries for i in range(len(q) + 1)]  # i == 0: clear the box first
    kinds: dict[str, list[float]] = {"id": [], "initials": [], "name": []}
    hits: list[int] = []
    state: dict[str, Any] = {"step": -1, "t0": 0.0, "waiting": None}

    def kind_of(keys: list[str]) -> str:
        """Which kind of query a key sequence is."""
        return "id" if keys[0].isdigit() else "initials" if keys[0].isascii() else "name"

    def next_step() -> None:
        """Send the next key (or clear the box before a new query)."""
        state["step"] += 1
        if state["step"] >= len(plan):
            app.quit()
            return
        keys, i = plan[state["step"]]
        if i == 0:
            state["waiting"] = ""
            box.clear()
            if window.search.shown_text == "" and not window.search._in_flight:
                QTimer.singleShot(0, next_step)
            return
        ch = keys[i - 1]
        state["waiting"] = "".join(keys[:i])
        state["t0"] = time.perf_counter()
        if ch.isascii():
            QApplication.sendEvent(box, QKeyEvent(QEvent.Type.KeyPress, ord(ch.upper()),
                                                  Qt.KeyboardModifier.NoModifier, ch))
        else:
            event = QInputMethodEvent()
            event.setCommitString(ch)
            QApplication.sendEvent(box, event)

    def shown(text: str, count: int) -> None:
        """Record a keystroke's time once its results are shown, then go on."""
        if text != state["waiting"]:
            return
        state["waiting"] = None
        keys, i = plan[state["step"]]
        if i > 0:
            window.search.view.viewport().repaint()
            kinds[kind_of(keys)].append(time.perf_counter() - state["t0"])
            hits.append(count)
        QTimer.singleShot(0, next_step)

    window.search.results_shown.connect(shown)
    window.ready.connect(lambda: (box.setFocus(), QTimer.singleShot(0, next_step)))
    app.exec()
    now, peak = rss_mb()
    all_ms = sorted(1000 * t for ts in kinds.values() for t in ts)
    result: dict[str, Any] = {
        "keystrokes": len(all_ms), "median_ms": statistics.median(all_ms),
        "p95_ms": all_ms[int(0.95 * (len(all_ms) - 1))], "max_ms": all_ms[-1],
        "mean_hits": statistics.mean(hits), "rss_mb": now, "peak_rss_mb": peak,
    }
    for kind, ts in kinds.items():
        ms = sorted(1000 * t for t in ts)
        result[kind] = {"keystrokes": len(ms), "median_ms": statistics.median(ms),
                        "p95_ms": ms[int(0.95 * (len(ms) - 1))], "max_ms": ms[-1]}
    window.close()
    ledger.close()
    return result


BARE_RSS = BARE.replace('print("READY", flush=True)', """
    fields = dict(l.split(':', 1) for l in open('/proc/self/status').read().splitlines())
    print('READY', int(fields['VmRSS'].split()[0]) / 1024, flush=True)""")


def bare_rss_mb(env: dict[str, str]) -> float:
    """Resident set size of a bare PySide6 window, in MiB."""
    out = subprocess.run([sys.executable, "-c", BARE_RSS], capture_output=True, text=True, env=env,
                         timeout=60, check=False).stdout
    return float(next(line for line in out.splitlines() if line.startswith("READY")).split()[1])


def run(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    """Build the database, then measure start, search and memory in fresh processes."""
    env = child_env(tmp)
    db = tmp / "office.db"
    t0 = time.perf_counter()
    people = build_database(db, args.people)
    setup_s = time.perf_counter() - t0
    print(f"setup: {setup_s:.1f}s ({args.people} people)", file=sys.stderr, flush=True)
    from PySide6.QtCore import qVersion

    result: dict[str, Any] = {"people": args.people, "setup_s": setup_s,
                              "python": platform.python_version(), "pyside": qVersion(),
                              "machine": f"{platform.machine()} x{os.cpu_count()}"}
    result["start"] = bench_start(db, args.repeats, env, people[0][0])
    start = result["start"]
    print(f"start: shown {start['shown_ratio']:.2f}x, first answer {start['answer_ratio']:.2f}x, "
          f"ready {start['ratio']:.2f}x", file=sys.stderr, flush=True)
    queries = tmp / "queries.json"
    queries.write_text(json.dumps(keystrokes(people, args.queries, random.Random(7)),
                                  ensure_ascii=False), encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "tests.bench.bench_ui", "--child-search", str(db),
                          str(queries)], capture_output=True, text=True, env=env, cwd=ROOT,
                         timeout=1800, check=False)  # it may die at exit: see report()
    lines = [ln for ln in out.stdout.splitlines() if ln.startswith("{")]
    if not lines:
        raise RuntimeError(out.stderr)
    result["search"] = json.loads(lines[-1])
    fatal = [ln for ln in out.stderr.splitlines() if ln.startswith("Fatal Python error")]
    result["search_child_exit"] = {"code": out.returncode, "fatal": fatal[0] if fatal else None}
    result["bare_rss_mb"] = bare_rss_mb(env)
    s = result["search"]
    result["targets"] = {"window_shown_under_2x": result["start"]["shown_ratio"] < 2,
                         "database_ready_under_2x": result["start"]["ratio"] < 2,
                         "keystroke_p95_under_100ms": s["p95_ms"] < 100,
                         "rss_under_300mb": s["peak_rss_mb"] < 300}
    return result


def report(r: dict[str, Any]) -> str:
    """A compact table of the results."""
    st, s = r["start"], r["search"]
    lines = [
        (f"start, bare PySide6 window: {st['bare_median_s'] * 1000:.0f} ms "
         f"(median of {st['repeats']})"),
        (f"  window shown, search box focused: {st['shown_median_s'] * 1000:.0f} ms -> "
         f"{st['shown_ratio']:.2f}x (target < 2x)"),
        (f"  an ID number scanned at once answered: {st['answer_median_s'] * 1000:.0f} ms -> "
         f"{st['answer_ratio']:.2f}x"),
        (f"  database open, office loaded: {st['app_median_s'] * 1000:.0f} ms -> "
         f"{st['ratio']:.2f}x"),
        (f"search as you type on {r['people']:,} people: median {s['median_ms']:.1f} ms, "
         f"p95 {s['p95_ms']:.1f} ms, max {s['max_ms']:.1f} ms over {s['keystrokes']} keystrokes "
         "(target < 100 ms)"),
    ]
    for kind, title in (("id", "ID number digit by digit"), ("initials", "pinyin initials"),
                        ("name", "Chinese name via input method")):
        k = s[kind]
        lines.append(f"  {title}: median {k['median_ms']:.1f} ms, p95 {k['p95_ms']:.1f} ms, "
                     f"max {k['max_ms']:.1f} ms ({k['keystrokes']} keys)")
    lines.append(f"memory with the database open: {s['rss_mb']:.0f} MiB now, "
                 f"{s['peak_rss_mb']:.0f} MiB peak (target < 300 MB); bare PySide6 window "
                 f"{r['bare_rss_mb']:.0f} MiB")
    crash = r.get("search_child_exit", {})
    if crash.get("code"):
        lines.append(f"WARNING: the measuring process exited with {crash['code']} after reporting: "
                     f"{crash.get('fatal') or 'see stderr'}")
    lines.append(f"Python {r['python']}, PySide6 {r['pyside']}, {r['machine']}; "
                 f"setup {r['setup_s']:.1f} s")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, run in a temporary directory, print and save the results."""
    parser = argparse.ArgumentParser(prog="python -m tests.bench.bench_ui", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=100000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--queries", type=int, default=30)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--tmpdir", type=Path)
    parser.add_argument("--child-search", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_search:
        print(json.dumps(search_child(*args.child_search)))
        return 0
    with tempfile.TemporaryDirectory(prefix="shebao-bench-ui-", dir=args.tmpdir) as tmp:
        throwaway_keys(Path(tmp))
        result = run(args, Path(tmp))
    print(report(result))
    if args.out:
        text = json.dumps(result, indent=2, ensure_ascii=False) + "\n"
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
