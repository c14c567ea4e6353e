"""Five faults once planted in a copy of the code that the suite let through: each must now turn it red.

    python -m tests.mutation.planted [--fault NAME ...]

Each fault is put, alone, into a fresh copy of the working tree (the text it replaces must occur
exactly once, so a fault that no longer fits the code is reported, not skipped), and the test files
that guard it run there; the fault counts as caught only when they fail. The same files run first
on the unchanged copy and must pass, so a broken copy cannot pass for a caught fault. Exit 0 when
every fault is caught, 1 when one is not, 2 when one can no longer be planted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.mutation.score import COPY_SKIPS

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Fault:
    """A small wrong change: where, the text replaced, the wrong text, and the tests that must fail."""

    name: str
    what: str
    path: str
    original: str
    planted: str
    tests: tuple[str, ...]


FAULTS = (
    Fault("manifest-unchecked", "the sync manifest check removed: a file whose manifest disagrees with its "
          "segments imports", "desktop/core/services/sync/apply.py",
          '            raise IntegrityFailure("sync.manifest", "file")\n', "            pass\n",
          ("tests/test_sync.py",)),
    Fault("back-payment-month", "the back-payment boundary moved by one month", "desktop/core/calc.py",
          "return month < current.add(-DUE_MONTHS_AFTER)", "return month < current.add(-DUE_MONTHS_AFTER - 1)",
          ("tests/test_contributions.py",)),
    Fault("late-extension-day", "the late-extension deadline moved by one day", "desktop/core/agreements.py",
          "        if today > deadline:\n", "        if today > deadline + dt.timedelta(days=1):\n",
          ("tests/test_agreements.py",)),
    Fault("scrypt-cost", "the shipped scrypt cost lowered from (15, 8, 3) to (10, 8, 1)", "desktop/core/security.py",
          "SCRYPT = ScryptCost(15, 8, 3)", "SCRYPT = ScryptCost(10, 8, 1)", ("tests/test_security.py",)),
    Fault("void-reprint-crash", "reprinting a voided document crashes with AttributeError instead of refusing",
          "desktop/core/services/documents.py",
          'raise RefusedByRule("document.void", "number", number=doc.number, reason=doc.void_reason or "")',
          'raise RefusedByRule("document.void", "number", number=doc.number, reason=doc.void_cause or "")',
          ("tests/test_forms.py",)),
)


def pytest(copy: Path, tests: Sequence[str]) -> tuple[int, float]:
    """Run the given test files in the copy; pytest's exit code and the seconds it took."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1")
    env.pop("SHEBAO_TEST_POSTGRES", None)
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
                           "-m", "not postgres", *tests], cwd=copy, env=env, capture_output=True,
                          text=True, check=False)
    return done.returncode, time.perf_counter() - t0


def plant(copy: Path, fault: Fault) -> None:
    """Put the fault into the copy; ValueError when its text is not found exactly once."""
    path = copy / fault.path
    text = path.read_text(encoding="utf-8")
    found = text.count(fault.original)
    if found != 1:
        raise ValueError(f"{fault.name}: the text to replace occurs {found} times in {fault.path}")
    path.write_text(text.replace(fault.original, fault.planted), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Check the unchanged copy passes, then each fault alone turns its tests red."""
    parser = argparse.ArgumentParser(prog="python -m tests.mutation.planted", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fault", action="append", choices=[f.name for f in FAULTS])
    args = parser.parse_args(argv)
    faults = [f for f in FAULTS if not args.fault or f.name in args.fault]
    with tempfile.TemporaryDirectory(prefix="shebao-planted-") as tmp:
        clean = Path(tmp) / "clean"
        shutil.copytree(ROOT, clean, ignore=shutil.ignore_patterns(*COPY_SKIPS))
        code, seconds = pytest(clean, sorted({t for f in faults for t in f.tests}))
        print(f"unchanged copy: exit {code} in {seconds:.0f} s", flush=True)
        if code != 0:
            print("the unchanged copy does not pass: nothing can be concluded")
            return 2
        missed, unplaced = [], []
        for fault in faults:
            copy = Path(tmp) / fault.name
            shutil.copytree(clean, copy)
            try:
                plant(copy, fault)
            except ValueError as e:
                print(f"CANNOT PLANT {e}")
                unplaced.append(fault.name)
                continue
            code, seconds = pytest(copy, fault.tests)
            caught = code == 1
            print(f"{'caught' if caught else 'MISSED'} {fault.name} ({fault.what}): "
                  f"{' '.join(fault.tests)} exit {code} in {seconds:.0f} s", flush=True)
            if not caught:
                missed.append(fault.name)
            shutil.rmtree(copy)
    return 2 if unplaced else 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
