"""No half operations: a failed print leaves no document, a race on a unique key or a database held
past the busy bound ends in exit 4 with its reason, and a closed stdout is no error."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import EMPLOYER, TODAY

from desktop import cli
from desktop.core.clock import Clock

ROOT = Path(__file__).resolve().parents[1]
PERSON = "510107198511113215"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, Any, str]:
    code = cli.main([*args, "--json"], clock=Clock(day=lambda: TODAY))
    captured = capsys.readouterr()
    return code, json.loads(captured.out) if captured.out.strip() else None, captured.err


def shebao(db: str, *args: str, env: dict[str, str] | None = None,
           stdout: int | None = subprocess.PIPE) -> subprocess.Popen[str]:
    """The command line in a process of its own."""
    return subprocess.Popen([sys.executable, "-m", "desktop.cli", "--db", db, "--lang", "en", *args],
                            cwd=ROOT, stdout=stdout, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {}), "PYTHONPATH": str(ROOT)})


@pytest.fixture
def office(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.delenv("SHEBAO_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    db = str(tmp_path / "half.db")
    for args in (["init", "--office", "NC01", "--office-name", "南昌", "--region", "360100"],
                 ["wage", "set", "--region", "360000", "--year", "2026", "--monthly", "6000"],
                 ["employer", "register", "--uscc", EMPLOYER, "--name", "赣江机械", "--risk-class", "2"],
                 ["worker", "register", "--id-number", PERSON, "--name", "张三",
                  "--hukou-region", "510107", "--hukou-type", "rural"],
                 ["contrib", "record", "--worker", PERSON, "--employer", EMPLOYER,
                  "--month", "2026-10", "--wage", "7000"]):
        assert run(capsys, "--db", db, *args)[0] == 0
    return db


def _documents(db: str) -> list[str]:
    with sqlite3.connect(db) as con:
        return [r[0] for r in con.execute("SELECT number FROM document ORDER BY id")]


def _read_only_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    if os.access(folder, os.W_OK):
        folder.chmod(0o755)
        pytest.skip("this user may write anywhere (root): a read-only folder cannot fail")
    return folder


@pytest.mark.parametrize("where", ["missing", "folder", "read_only"])
def test_a_failed_print_leaves_no_document(office: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           where: str) -> None:
    if where == "missing":
        out, reason = tmp_path / "missing" / "folder" / "x.pdf", "does not exist"
    elif where == "folder":
        (tmp_path / "prints").mkdir()
        out, reason = tmp_path / "prints", "is a folder"
    else:
        out, reason = _read_only_folder(tmp_path) / "x.pdf", "may not write"
    try:
        code, data, err = run(capsys, "--db", office, "--lang", "en", "print", "statement", PERSON,
                              "--out", str(out))
        assert code == 2, err
        assert data["error"]["field"] == "out" and reason in data["error"]["message"]
        assert err.startswith("output file: ") and "Traceback" not in err
        assert not (out.exists() and out.is_file())
        assert list(out.parent.glob("*.part")) == [] if out.parent.is_dir() else True
        code, listed, _ = run(capsys, "--db", office, "document", "list", PERSON)
        assert code == 0 and listed["documents"] == []
        assert _documents(office) == []
        # The number was not used up: the next good print gets the first number of the year.
        code, printed, _ = run(capsys, "--db", office, "print", "statement", PERSON, "--out", "good.pdf")
        assert code == 0 and printed["number"] == "NC01-ZM2026000001"
        assert (tmp_path / "good.pdf").read_bytes().startswith(b"%PDF")
        assert _documents(office) == ["NC01-ZM2026000001"]
    finally:
        if where == "read_only":
            out.parent.chmod(0o755)


def test_a_file_that_cannot_be_placed_takes_the_document_back(
        office: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure after the number is taken and the PDF is written (here: the rename) rolls back."""
    def refuse(_src: Any, _dst: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("desktop.core.outfile.os.replace", refuse)
    code, data, _ = run(capsys, "--db", office, "--lang", "en", "print", "statement", PERSON, "--out", "s.pdf")
    assert code == 2 and "No space left" in data["error"]["message"]
    assert not (tmp_path / "s.pdf").exists() and list(tmp_path.glob("*.part")) == []
    assert _documents(office) == []


def test_batch_print_into_a_file_is_refused_before_any_number(
        office: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from desktop.core.errors import InvalidInput
    from desktop.core.ledger import Ledger

    (tmp_path / "plain").write_text("not a folder")
    ledger = Ledger.open(office, clock=Clock(day=lambda: TODAY))
    try:
        with pytest.raises(InvalidInput) as refused:
            ledger.documents.batch("statement", [PERSON], tmp_path / "plain")
        assert (refused.value.key, refused.value.field) == ("out.not_a_folder", "out")
        written = ledger.documents.batch("statement", [PERSON], tmp_path / "batch")
        assert [p.name for p in written] == ["NC01-ZM2026000001.pdf"]
    finally:
        ledger.close()
    assert _documents(office) == ["NC01-ZM2026000001"]


RACES = 10


def test_two_processes_recording_the_same_month(office: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Two counters record the same month for the same person at once (different wages, so the
    second is never a repeat): one wins, the other exits 4 saying so; never 1, never a traceback."""
    people = []
    for i in range(RACES):
        number = f"51010719851111{100 + i:03d}"
        number += _check_digit(number)
        assert run(capsys, "--db", office, "worker", "register", "--id-number", number, "--name", "李四",
                   "--hukou-region", "510107", "--hukou-type", "rural")[0] == 0, number
        people.append(number)
    for number in people:
        racers = [shebao(office, "--json", "contrib", "record", "--worker", number, "--employer", EMPLOYER,
                         "--month", "2026-09", "--wage", wage) for wage in ("7000", "7100")]
        results = [(p.wait(120), *p.communicate()) for p in racers]
        codes = sorted(code for code, _, _ in results)
        assert codes == [0, 4], results
        loser = next((out, err) for code, out, err in results if code == 4)
        assert "Traceback" not in loser[1] and "IntegrityError" not in loser[1]
        assert "recorded" in loser[1], loser
        assert json.loads(loser[0])["error"]["code"] == "conflict"
    with sqlite3.connect(office) as con:
        rows = con.execute("SELECT count(DISTINCT worker_id) FROM contribution").fetchone()
    assert rows[0] == RACES + 1  # each raced person once, and the office's first person


def _check_digit(body17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(c) * w for c, w in zip(body17, weights, strict=True)) % 11]


def test_a_writer_held_past_the_busy_bound(office: str) -> None:
    """Another program holds the write lock: the write waits the bound, then exits 4 and says so."""
    holder = sqlite3.connect(office, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        p = shebao(office, "--json", "contrib", "record", "--worker", PERSON, "--employer", EMPLOYER,
                   "--month", "2026-08", "--wage", "7000", env={"SHEBAO_BUSY_SECONDS": "1"})
        out, err = p.communicate(timeout=120)
        assert p.returncode == 4, (out, err)
        assert "another program" in err and "1 seconds" in err and "Traceback" not in err
        assert json.loads(out)["error"]["key"] == "db.busy"
        assert time.monotonic() - started < 60
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with sqlite3.connect(office) as con:
        assert con.execute("SELECT count(DISTINCT month) FROM contribution").fetchone()[0] == 1  # 2026-10 only


def test_a_reader_that_closes_the_pipe_early(office: str) -> None:
    """`shebao ... | head -c 1`: the reader goes away; no traceback, the exit code of the work."""
    r, w = os.pipe()
    os.close(r)  # the reader is gone before a byte is written
    try:
        p = subprocess.Popen([sys.executable, "-m", "desktop.cli", "--db", office, "worker", "find", "张"],
                             cwd=ROOT, stdout=w, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    finally:
        os.close(w)
    _, err = p.communicate(timeout=120)
    assert p.returncode == 0, err
    assert err == ""


def test_a_reader_that_stops_after_a_byte(office: str) -> None:
    head = subprocess.run(
        f"{sys.executable} -m desktop.cli --db {office} --json worker find 张 | head -c 1",
        check=False, shell=True, cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert head.stdout == "{" and "Traceback" not in head.stderr and "BrokenPipe" not in head.stderr


def test_a_unique_key_taken_first_is_a_conflict(office: str) -> None:
    """What a writer that lost a race on a unique key meets, whatever the call site: exit 4, the reason."""
    from sqlalchemy import text

    from desktop.core.errors import Conflict
    from desktop.core.ledger import Ledger

    ledger = Ledger.open(office, clock=Clock(day=lambda: TODAY))
    try:
        with pytest.raises(Conflict) as lost, ledger.write() as s:
            s.execute(text("INSERT INTO contribution SELECT * FROM contribution LIMIT 1"))
        assert lost.value.exit_code == 4 and lost.value.key == "race.contribution"
        assert "another counter" in lost.value.message("en") and lost.value.field == "month"
    finally:
        ledger.close()


def test_a_postgres_unique_violation_names_its_table() -> None:
    from sqlalchemy.exc import IntegrityError

    from desktop.core.store.engine import collision

    class Diag:
        table_name = "worker"

    class Orig(Exception):
        sqlstate, diag = "23505", Diag()

    found = collision(IntegrityError("INSERT ...", {}, Orig("duplicate key value")))
    assert found is not None and found.exit_code == 4 and found.key == "race.worker"
    assert collision(IntegrityError("INSERT ...", {}, type("FK", (Exception,), {"sqlstate": "23503"})())) is None
