"""A sync import killed at a random moment (SIGKILL, like a power cut) leaves all of the file or none.

Office A (Nanchang) has 300 people with six months of contributions in every employee scheme; its
sync file for office B (Beijing) is imported with the command line (`shebao --db B --json sync
import FILE`, run as `python -c` with listeners that note when the import's transaction first
writes, starts COMMIT and finishes it) into fresh copies of B's database, each killed after a
random delay: half of them over the whole run measured once (start-up, checks, apply, commit,
exit), half after the run's own first write, over the time the transaction was open in the
measured run (a short part of the whole); where the machine's pace has changed since the measure
and fewer than three kills left none or all of the file, or came inside the transaction, trials
timed from their own first write or finished COMMIT make up the difference. Each copy
must then hold either none of A's changes or all of them (none whenever the kill came before
COMMIT, all whenever after), with an intact audit trail, and importing the same file again must
finish the job (or be refused as already imported, exit code 4) with the same figures as at A.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text
from sync_support import EMP_BJ, EMP_NC, TODAY, make_office, trust_all, uscc

from desktop.core.demo import HUKOU, citizen_id
from desktop.core.errors import Conflict
from desktop.core.ledger import Ledger

SEED = 20261123
TRIALS = 52
RUNNERS = 2  # trials run two at a time (each is mostly waiting for its subprocess)
TOP_UPS = 12  # trials at most, one at a time, to make up an outcome or phase the timed ones missed
PEOPLE = 300
MONTHS = [f"2019-{m:02d}" for m in range(1, 7)]  # before 2020: five schemes a month (maternity too)
SCHEMES_PER_MONTH = 5
ROOT = Path(__file__).resolve().parents[1]
A_CODE, B_CODE = "NC01", "BJ01"


@dataclass(frozen=True)
class Scenario:
    """B's database before the import, A's sync file for B, and what A holds."""

    folder: Path
    pristine: Path
    file: Path
    changes: int  # changes in the file (A's every change)
    own_seq: int  # A's last sequence number
    contributions: int
    people: frozenset[str]
    employer: str
    sample: dict[str, tuple[Decimal, int]]  # person -> (individual account balance, pension months)


@dataclass(frozen=True)
class State:
    """What of A's changes a database holds."""

    contributions: int
    people: int
    employer: int
    changes: int
    applied_seq: int
    files_in: int


@dataclass(frozen=True)
class Trial:
    """One killed import: when, how far it had got, and what was found after it."""

    index: int
    delay: float
    killed: bool
    phase: str  # before | during | commit | after (see PHASES)
    wal_bytes: int
    outcome: str  # none | all


PHASES = {
    "before": "before the import's first write (start-up, reading, checking, decrypting)",
    "during": "inside the write transaction, before COMMIT",
    "commit": "inside COMMIT",
    "after": "after COMMIT (closing down, or finished before the kill)",
}


def _phase(marks: dict[str, float]) -> str:
    if "committed" in marks:
        return "after"
    if "commit" in marks:
        return "commit"
    return "during" if "write" in marks else "before"


# The command line exactly as `python -m desktop.cli ...` runs it, with SQLAlchemy listeners that
# note (one line each, written before the next statement runs) the first write of the import's
# transaction, the start of its COMMIT and the end of it, so each kill can be placed precisely.
_PROBE = r"""
import os, sys, time
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
_out = open(os.environ["SHEBAO_CRASH_MARKS"], "a", buffering=1)
_seen = set()
def _mark(what):
    if what not in _seen:
        _seen.add(what)
        _out.write(f"{what} {time.monotonic():.6f}\n")
@event.listens_for(Engine, "before_cursor_execute")
def _write(conn, cursor, statement, parameters, context, executemany):
    if statement.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
        _mark("write")
@event.listens_for(Engine, "commit")
def _commit(conn):
    if "write" in _seen:
        _mark("commit")
@event.listens_for(Session, "after_commit")
def _committed(session):
    if "write" in _seen:
        _mark("committed")
from desktop.cli import main
sys.exit(main())
"""


def _cli(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-c", _PROBE, "--db", str(db), "--json", "--lang", "en", *args]


def _marks(path: Path, t0: float) -> dict[str, float]:
    """The marks a run wrote: seconds after its start."""
    if not path.exists():
        return {}
    out = {}
    for line in path.read_text().splitlines():
        what, _, at = line.partition(" ")
        if at:
            out[what] = float(at) - t0
    return out


def _env(marks: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SHEBAO_DB", "SHEBAO_USER", "SHEBAO_DEBUG")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env["SHEBAO_CRASH_MARKS"] = str(marks)
    return env


def _copy_pristine(sc: Scenario, target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        stale = Path(f"{target}{suffix}")
        stale.unlink(missing_ok=True)
        src = Path(f"{sc.pristine}{suffix}")
        if src.exists():
            shutil.copyfile(src, stale)


def _people(rng: random.Random, count: int) -> list[tuple[str, str, str, str]]:
    out: dict[str, tuple[str, str, str, str]] = {}
    while len(out) < count:
        born = dt.date(rng.randrange(1966, 1996), rng.randrange(1, 13), rng.randrange(1, 29))
        place = rng.choice(HUKOU)
        number = citizen_id(rng, place, born, rng.random() < 0.45)
        out.setdefault(number, (number, f"测试{len(out):03d}", place,
                                "urban" if place.startswith("3601") else "rural"))
    return list(out.values())


@pytest.fixture(scope="module")
def scenario(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scenario]:
    folder = tmp_path_factory.mktemp("sync-crash")
    a = make_office(sqlite_template, folder, A_CODE, "南昌市社保局", "360100", EMP_NC,
                    "南昌赣江机械制造有限公司")
    b = make_office(sqlite_template, folder, B_CODE, "北京市朝阳区社保中心", "110105", EMP_BJ,
                    "北京朝阳科技有限公司")
    trust_all(a, b)
    rng = random.Random(SEED)
    people = _people(rng, PEOPLE)
    for number, name, place, kind in people:
        a.workers.register_citizen(number, name, place, kind)
    employer = uscc(EMP_NC)
    lines = ["employer_uscc,id_number,name,month,wage"]
    lines += [f"{employer},{number},{name},{month},{rng.randrange(3000, 30000)}"
              for number, name, _p, _k in people for month in MONTHS]
    declaration = folder / "declaration.csv"
    declaration.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = a.contributions.import_file(declaration)
    assert done.lines == PEOPLE * len(MONTHS) * SCHEMES_PER_MONTH
    file = folder / "NC01-to-BJ01.sync"
    exported = a.sync.export(file, to=B_CODE)
    with a.read() as s:
        contributions = int(s.execute(text("SELECT count(*) FROM contribution")).scalar_one())
        own_seq = int(s.execute(text("SELECT own_seq FROM sync_state WHERE id = 1")).scalar_one())
    sample = {number: _pension(a, number) for number, *_rest in rng.sample(people, 3)}
    assert contributions == done.lines and exported.changes == own_seq == PEOPLE + 1 + contributions
    a.close()
    b.close()  # the last connection checkpoints B's WAL into the file
    yield Scenario(folder, folder / f"{B_CODE}.db", file, exported.changes, own_seq, contributions,
                   frozenset(p[0] for p in people), employer, sample)


def _pension(led: Ledger, number: str) -> tuple[Decimal, int]:
    st = led.accounts.statement(number)
    return st.individual_account_balance, next(r for r in st.schemes if r.scheme == "pension").months_paid


def _state(led: Ledger, sc: Scenario) -> State:
    """What of A's changes the database holds."""
    with led.read() as s:
        def one(sql: str, **params: object) -> int:
            return int(s.execute(text(sql), params).scalar() or 0)

        ids = {str(r[0]) for r in s.execute(text("SELECT id_number FROM worker"))}
        return State(
            contributions=one("SELECT count(*) FROM contribution"),
            people=len(ids & sc.people),
            employer=one("SELECT count(*) FROM employer WHERE uscc = :u", u=sc.employer),
            changes=one("SELECT sum(coalesce(run, 1)) FROM sync_change WHERE origin = :o", o=A_CODE),  # (a run: many)
            applied_seq=one("SELECT applied_seq FROM sync_peer WHERE code = :o", o=A_CODE),
            files_in=one("SELECT count(*) FROM sync_file WHERE direction = 'in'"),
        )


def _measure(sc: Scenario) -> tuple[float, dict[str, float]]:
    """Seconds a whole import takes here, run two at once as the trials are (the slower one),
    and when its transaction wrote first, began COMMIT and finished it."""
    def one(i: int) -> tuple[float, dict[str, float]]:
        db, marks = sc.folder / f"measure-{i}.db", sc.folder / f"measure-{i}.marks"
        _copy_pristine(sc, db)
        t0 = time.monotonic()
        proc = subprocess.run(_cli(db, "sync", "import", str(sc.file)), check=False, capture_output=True,
                              text=True, env=_env(marks), timeout=300)
        seconds = time.monotonic() - t0
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout)["applied"] == sc.changes
        return seconds, _marks(marks, t0)

    with ThreadPoolExecutor(RUNNERS) as pool:
        return max(pool.map(one, range(RUNNERS)), key=lambda run: run[0])


def _trial(sc: Scenario, index: int, delay: float, after: str | None = None) -> Trial:
    """One import killed `delay` seconds after its start, or after its own mark `after` ("write":
    the transaction's first write; "committed": COMMIT finished)."""
    db, marks = sc.folder / f"trial-{index:03d}.db", sc.folder / f"trial-{index:03d}.marks"
    _copy_pristine(sc, db)
    t0 = time.monotonic()
    proc = subprocess.Popen(_cli(db, "sync", "import", str(sc.file)), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=_env(marks))
    if after is not None:  # wait for the mark (the run's own timing, not a measured one)
        while proc.poll() is None and after not in _marks(marks, t0):
            time.sleep(0.002)
        delay += time.monotonic() - t0
    try:
        proc.wait(timeout=max(0.0, delay - (time.monotonic() - t0)))
        killed = False
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        killed = True
    phase = _phase(_marks(marks, t0))
    wal = Path(f"{db}-wal")
    wal_bytes = wal.stat().st_size if wal.exists() else 0
    where = (f"trial {index} (seed {SEED}, kill after {delay:.3f}s, "
             f"{'killed' if killed else 'finished'} {phase})")

    none = State(0, 0, 0, 0, 0, 0)
    every = State(sc.contributions, len(sc.people), 1, sc.changes, sc.own_seq, 1)
    led = Ledger.open(db, clock=lambda: TODAY)
    try:
        state = _state(led, sc)
        assert state in (none, every), f"{where}: part of the file is in the database: {state}"
        assert led.audit.verify().valid, f"{where}: the audit trail does not verify after the kill"
        outcome = "none" if state == none else "all"
        if phase in ("before", "during"):
            assert outcome == "none", f"{where}: changes present without a COMMIT"
        elif phase == "after":
            assert outcome == "all", f"{where}: a committed import is missing"
        # The clerk imports the same file again.
        if outcome == "none":
            again = led.sync.import_file(sc.file)
            assert (again.applied, again.already_applied) == (sc.changes, 0), f"{where}: {again}"
        else:
            with pytest.raises(Conflict) as refused:
                led.sync.import_file(sc.file)
            assert refused.value.exit_code == 4, where
            assert refused.value.key in ("sync.already_imported", "sync.nothing_new"), where
        assert _state(led, sc) == every, f"{where}: after the second import"
        assert led.audit.verify().valid, f"{where}: the audit trail does not verify after the second import"
        with led.read() as s:
            count = int(s.execute(text("SELECT count(*) FROM contribution")).scalar_one())
        assert (count, {n: _pension(led, n) for n in sc.sample}) == (sc.contributions, sc.sample), \
            f"{where}: figures differ from A's"
    finally:
        led.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return Trial(index, delay, killed, phase, wal_bytes, outcome)


def test_killed_import_applies_all_or_nothing(scenario: Scenario) -> None:
    duration, marks = _measure(scenario)
    rng = random.Random(SEED)
    first, last = marks["write"], marks["committed"]
    span = 1.1 * (last - first)
    # Odd trials: a delay over the whole run. Even ones: a delay after the run's own first write,
    # over the time the measured transaction was open (and a little beyond).
    delays = [rng.uniform(0, 1.2 * duration) if i % 2 else rng.uniform(0, span) for i in range(TRIALS)]
    with ThreadPoolExecutor(RUNNERS) as pool:
        trials = list(pool.map(lambda i: _trial(scenario, i, delays[i], after="write" if i % 2 == 0 else None),
                               range(TRIALS)))
    # A machine slower or faster now than when the run was measured moves the kills towards one
    # end: trials timed from each run's own marks then make up what is missing (a kill within
    # 50 ms of the first write lands inside the transaction, one after COMMIT must keep it all).
    top_ups = 0
    while top_ups < TOP_UPS:
        outcomes = Counter(t.outcome for t in trials)
        short = [want for want, have in (("committed", outcomes["all"]), ("write", outcomes["none"]),
                                         ("write", Counter(t.phase for t in trials)["during"])) if have < 3]
        if not short:
            break
        trials.append(_trial(scenario, TRIALS + top_ups, rng.uniform(0, 0.05), after=short[0]))
        top_ups += 1
    phases = Counter(t.phase for t in trials)
    outcomes = Counter(t.outcome for t in trials)
    by_phase = Counter((t.phase, t.outcome) for t in trials)
    timeline = ", ".join(f"{k} {v:.2f}s" for k, v in sorted(marks.items(), key=lambda kv: kv[1]))
    summary = (f"seed {SEED}; {TRIALS} trials and {top_ups} made up; import {duration:.2f}s ({timeline}); kills over "
               f"0..{1.2 * duration:.2f}s, or 0..{span:.2f}s after the first write; killed "
               + ", ".join(f"{p} {phases[p]} (none {by_phase[p, 'none']}, all {by_phase[p, 'all']})"
                           for p in PHASES)
               + f"; outcomes: none applied {outcomes['none']}, all applied {outcomes['all']}; "
               f"finished before the kill {sum(not t.killed for t in trials)}; WAL bytes left by kills "
               f"inside the transaction: {sorted({t.wal_bytes for t in trials if t.phase == 'during'})}")
    print(summary)
    assert outcomes["none"] >= 3 and outcomes["all"] >= 3, f"both outcomes expected: {summary}"
    assert phases["during"] >= 3, f"too few kills inside the import's transaction: {summary}"
