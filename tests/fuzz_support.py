"""The fuzz suite's tools: how many cases, byte mutations of small valid files, and the checks every
case must pass (a typed refusal or success, no traceback, nothing written when refused).

Cases per reader: SHEBAO_FUZZ_EXAMPLES when set, else 100,000 with SHEBAO_FUZZ=nightly, else 1,000.
The hypothesis profile of tests/conftest.py applies (CI: derandomized, no deadline).
"""

from __future__ import annotations

import contextlib
import io
import os
import sqlite3
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from desktop.core.errors import ShebaoError


def fuzz_examples() -> int:
    """Cases per reader (see the module's notes)."""
    given = os.environ.get("SHEBAO_FUZZ_EXAMPLES")
    if given:
        return int(given)
    return 100_000 if os.environ.get("SHEBAO_FUZZ") == "nightly" else 1_000


FUZZ = settings(max_examples=fuzz_examples(), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much, HealthCheck.large_base_example])

CORPUS = Path(__file__).parent / "corpus"

SPECIALS: tuple[bytes, ...] = (
    b"\x00", b"\xef\xbb\xbf", b"\xff\xfe", b"1e999999999999", b"-1e999999", b"NaN", b"Infinity",
    b"=cmd|' /C calc'!A0", b"+SUM(A1)", b"@x", b"-2", b"2026-08-32", b"2026-13", b"20260801",
    "٦٥٠٠".encode(), "６５００".encode(), b"6_500", b"9" * 5000, b"\xe4\xb8", "张三".encode("gbk"),
    b'"', b'""', b"\n", b"\r", b"\r\n", b"\t", b",", b"#", b" ", b"\xc0\xaf", b"A" * 300,
    b"<row>", b"</sheetData>", b"<c t=\"s\"><v>999999</v></c>", b"[[element]]", b"= [[[[[[",
)


OPS = ("flip", "insert", "delete", "cut", "grow", "special", "special")

Edit = tuple[str, int, int, bytes]
"""One change to a file: what, where (taken modulo the length, so any seed fits), how much, with what."""


def edits() -> st.SearchStrategy[list[Edit]]:
    """One to four changes, for any seed (a seed made by a fixture too)."""
    payload = st.one_of(st.binary(min_size=1, max_size=16), st.sampled_from(SPECIALS))
    edit = st.tuples(st.sampled_from(OPS), st.integers(0, 1 << 32), st.integers(1, 64), payload)
    return st.lists(edit, min_size=1, max_size=4)


def apply(seed: bytes, changes: list[Edit]) -> bytes:
    """The seed with the changes made: bits flipped, bytes inserted or removed, cut, grown by a
    repeated part, or a known-bad value put in."""
    data = bytearray(seed)
    for op, where, count, payload in changes:
        pos = where % (len(data) + 1)
        if op == "flip" and data:
            data[min(pos, len(data) - 1)] ^= 1 << (count % 8)
        elif op == "insert":
            data[pos:pos] = payload
        elif op == "delete":
            del data[pos:pos + count]
        elif op == "cut":
            del data[pos:]
        elif op == "grow":
            data[pos:pos] = bytes(data[pos:pos + count * 3]) * (count % 50 + 1)
        else:
            data[pos:pos + count % 9] = payload
    return bytes(data)


def mutated(seeds: list[bytes]) -> st.SearchStrategy[bytes]:
    """One of the seeds changed byte-wise (see apply)."""
    return st.builds(apply, st.sampled_from(seeds), edits())


@st.composite
def mutated_zip(draw: st.DrawFn, seed: bytes) -> bytes:
    """A zip file (an XLSX) either mutated as bytes (a bad CRC, a cut directory) or with one of its
    parts mutated and the archive rebuilt (valid zip, bad XML inside)."""
    if draw(st.booleans()):
        return draw(mutated([seed]))
    with zipfile.ZipFile(io.BytesIO(seed)) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    name = draw(st.sampled_from(sorted(parts)))
    if draw(st.integers(0, 9)) == 0:
        del parts[name]  # a missing part: no sheet, no workbook, no content types
    else:
        parts[name] = draw(mutated([parts[name]]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for part, data in parts.items():
            z.writestr(part, data)
    return out.getvalue()


class Watch:
    """What a case may not change: the SQLite database (its data_version, read through a read-only
    connection of its own) and the files in a folder."""

    def __init__(self, database: Path, folder: Path) -> None:
        self.folder = folder
        self._db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)

    def version(self) -> int:
        """Changes whenever another connection commits to the database."""
        return int(self._db.execute("PRAGMA data_version").fetchone()[0])

    def files(self) -> set[str]:
        """The names in the folder."""
        return {p.name for p in self.folder.iterdir()}

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    @contextlib.contextmanager
    def unchanged_unless_done(self, outcome: dict[str, Any]) -> Iterator[None]:
        """Around one case: when the case was refused (outcome["refused"]), the database and the
        folder are as they were."""
        before, files = self.version(), self.files()
        yield
        if outcome.get("refused"):
            assert self.version() == before, f"refused but the database changed: {outcome}"
            left = self.files() - files
            assert not left, f"refused but left files behind: {sorted(left)}"


def typed(call: Callable[[], object]) -> dict[str, Any]:
    """Run a service call: it returns or raises a typed ShebaoError (anything else fails the test,
    with its traceback). The error's message is rendered in both languages (it must not fail either)."""
    try:
        call()
    except ShebaoError as err:
        zh, en = err.message("zh"), err.message("en")
        for text in (zh, en):
            assert len(text) < 2_000, f"message too long ({len(text)}): {text[:200]}"
        return {"refused": True, "key": err.key, "message": zh}
    return {"refused": False}


def run_cli(argv: list[str], clock: Any = None) -> tuple[int, str, str]:
    """The `shebao` main function in this process: (exit code, stdout, stderr)."""
    from desktop import cli

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(argv, clock=clock)
        except SystemExit as exc:  # argparse's --help / --version and errors
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    return code, out.getvalue(), err.getvalue()


def fuzz_office(template: Path, folder: Path, office: str, employer: str, person: str) -> Any:
    """The one office a fuzz file's cases share, on a copy of the session's template database: wages
    for every year, an employer and a person registered (a Ledger; the caller closes it)."""
    import shutil

    from conftest import TODAY

    from desktop.core.ledger import Ledger

    db = folder / "office.db"
    shutil.copy(template, db)
    ledger = Ledger.open(db, clock=lambda: TODAY)
    ledger.office.init(office, "南昌市社保局", "360100")
    for year in range(1998, 2027):
        ledger.reference.set_wage("360000", year, "6000")
    ledger.employers.register(employer, "南昌赣江机械制造有限公司", "360100", 2)
    ledger.workers.register_citizen(person, "张三", "510107", "rural")
    return ledger
