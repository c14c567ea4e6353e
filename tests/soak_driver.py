"""A second process using the office database in a loop, as the nightly jobs do (for test_soak.py).

    python tests/soak_driver.py import DB ACK SECONDS FIRST   register people, import their months
    python tests/soak_driver.py backup DB ACK SECONDS FOLDER  back up and export sync files

Each round is one `shebao` command line run (it opens and closes the database, as a separate run
would). A line is appended to ACK (and flushed to disk) only after the command reported success, so
ACK lists exactly the writes that were acknowledged.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest import EMPLOYER, TODAY
from test_any_day import id_number

from desktop import cli
from desktop.core.clock import Clock


def shebao(db: str, *args: str) -> int:
    """One command line run on the tests' fixed date; its output is dropped."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()) as err:
        code = cli.main(["--db", db, "--json", *args], clock=Clock(day=lambda: TODAY))
    if code != 0:
        print(f"shebao {' '.join(args[:2])}: exit {code}: {err.getvalue().strip()[:300]}", file=sys.stderr)
    return code


def acknowledge(ack: Path, line: str) -> None:
    with ack.open("a", encoding="utf-8") as f:
        f.write(line + "\n")
        f.flush()
        os.fsync(f.fileno())


def imports(db: str, ack: Path, deadline: float, first: int) -> None:
    n = first
    while time.monotonic() < deadline:
        people = []
        for _ in range(3):
            number = id_number(f"360102{1970 + n % 30:04d}0101{n % 1000:03d}")
            n += 1
            if shebao(db, "worker", "register", "--id-number", number, "--name", f"工{n}", "--hukou-region",
                      "360102", "--hukou-type", "urban") == 0:
                acknowledge(ack, f"person {number}")
                people.append((number, f"工{n}"))
        sheet = ack.with_name(f"declaration-{n}.csv")
        sheet.write_text("employer_uscc,id_number,name,month,wage\n" + "".join(
            f"{EMPLOYER},{number},{name},2026-09,5000\n" for number, name in people), encoding="utf-8")
        if people and shebao(db, "contrib", "import", str(sheet)) == 0:
            for number, _ in people:
                acknowledge(ack, f"month {number} 2026-09")


def backups(db: str, ack: Path, deadline: float, folder: Path) -> None:
    n = 0
    while time.monotonic() < deadline:
        n += 1
        out = folder / f"office-{n}.sbk"
        if shebao(db, "backup", "--out", str(out)) == 0:
            acknowledge(ack, f"backup {out}")
        sync = folder / f"office-{n}.sync"
        if shebao(db, "sync", "export", "--out", str(sync), "--to", "BJ01") == 0:
            acknowledge(ack, f"sync {sync}")
        time.sleep(1.5)  # a backup every couple of seconds is already far more than any office runs


if __name__ == "__main__":
    mode, database, ack_file, seconds, extra = sys.argv[1:6]
    end = time.monotonic() + float(seconds)
    if mode == "import":
        imports(database, Path(ack_file), end, int(extra))
    else:
        backups(database, Path(ack_file), end, Path(extra))
