"""Fuzz: the files an office receives besides declarations: sync files (import), backups (inspect
and check), PDFs given to `verify`, and form files (TOML). Each case is a small valid file changed
byte-wise or a file of tests/corpus/<reader>/; a case passes with success or a typed refusal
(ShebaoError; FormFileError for a form) and, when refused, nothing written.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fuzz_support import CORPUS, FUZZ, Edit, Watch, apply, edits, mutated, run_cli, typed
from hypothesis import given
from reportlab.pdfgen import canvas
from sync_support import EMP_BJ, EMP_NC, TODAY, make_office, trust_all

from desktop.core.clock import Clock
from desktop.core.forms.spec import FormFileError, load_form
from desktop.core.ledger import Ledger
from desktop.core.services.documents import DATA_PATHS

ROOT = Path(__file__).parent.parent
Offices = tuple[Ledger, Watch, Path, dict[str, bytes]]
"""The receiving office, the watch on it, the folder of the files, the seeds of each reader."""


@pytest.fixture(scope="module")
def offices(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[Offices]:
    """Nanchang sends Beijing a sync file; Nanchang writes a backup; the seeds of every reader."""
    folder = tmp_path_factory.mktemp("fuzz-files")
    nc = make_office(sqlite_template, folder, "NC01", "南昌", "360100", EMP_NC, "赣江机械")
    bj = make_office(sqlite_template, folder, "BJ01", "北京", "110105", EMP_BJ, "朝阳机械")
    trust_all(nc, bj)
    nc.workers.register_citizen("510107198511113215", "张三", "510107", "rural")
    seeds: dict[str, bytes] = {}
    nc.sync.export(folder / "seed.sync", to="BJ01")
    seeds["sync"] = (folder / "seed.sync").read_bytes()
    key = folder / "backup.key"
    nc.backups.backup(folder / "seed.sbk", key)
    seeds["backup"] = (folder / "seed.sbk").read_bytes()
    pdf = io.BytesIO()
    page = canvas.Canvas(pdf)
    page.setKeywords("shebao-verification:SB1-AAAAA-BBBBB")
    page.drawString(100, 700, "shebao")
    page.save()
    seeds["pdf"] = pdf.getvalue()
    files = folder / "in"
    files.mkdir()
    watch = Watch(folder / "BJ01.db", files)
    yield bj, watch, files, seeds
    watch.close()
    nc.close()
    bj.close()


def _case(offices: Offices, name: str, data: bytes, call: str) -> dict[str, object]:
    ledger, watch, files, _ = offices
    path = files / name
    path.write_bytes(data)
    key = files.parent / "backup.key"
    calls = {"sync": lambda: ledger.sync.import_file(path),
             "check": lambda: ledger.backups.check(path, key),
             "inspect": lambda: ledger.backups.inspect(path),
             "verify": lambda: ledger.documents.verify(str(path))}
    outcome: dict[str, object] = {}
    try:
        with watch.unchanged_unless_done(outcome):
            outcome.update(typed(calls[call]))
    finally:
        path.unlink()
    return outcome


@FUZZ
@given(changes=edits())
def test_sync_file(offices: Offices, changes: list[Edit]) -> None:
    _case(offices, "in.sync", apply(offices[3]["sync"], changes), "sync")


@FUZZ
@given(changes=edits())
def test_backup(offices: Offices, changes: list[Edit]) -> None:
    data = apply(offices[3]["backup"], changes)
    _case(offices, "in.sbk", data, "inspect")
    _case(offices, "in.sbk", data, "check")


@FUZZ
@given(changes=edits())
def test_pdf_verify(offices: Offices, changes: list[Edit]) -> None:
    _case(offices, "in.pdf", apply(offices[3]["pdf"], changes), "verify")


@pytest.mark.parametrize("reader", ["sync", "backup", "pdf"])
def test_corpus(offices: Offices, reader: str) -> None:
    call = {"sync": "sync", "backup": "check", "pdf": "verify"}[reader]
    for path in sorted((CORPUS / reader).iterdir()):
        outcome = _case(offices, path.name, path.read_bytes(), call)
        assert outcome["refused"] or call == "verify", path.name


FORM_SEEDS = [p.read_bytes() for p in sorted((ROOT / "forms").glob("*.toml"))[:4]]


def _load(tmp: Path, data: bytes) -> None:
    path = tmp / "form.toml"
    path.write_bytes(data)
    try:
        load_form(path, DATA_PATHS)
    except FormFileError as err:
        assert err.line >= 1 and len(str(err)) < 5_000
    finally:
        path.unlink()


@pytest.fixture(scope="module")
def form_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-forms")


@FUZZ
@given(data=mutated(FORM_SEEDS))
def test_form_toml(form_dir: Path, data: bytes) -> None:
    _load(form_dir, data)


# Each bad form file of the corpus, the line and the start of the reason it is refused for.
FORM_CORPUS_REASONS = {
    "align-is-a-table.toml": (16, "align must be left, center or right, not {'a': 1}"),
    "bom-and-nul.toml": (1, "not valid TOML: Invalid statement (at line 1, column 1)"),
    "empty.toml": (1, "missing the [form] table"),
    "latin1.toml": (1, "cannot read the file: 'utf-8' codec can't decode byte 0xe9 in position 6"),
    "nan-width.toml": (16, "'w' must be a number from 0 to 210"),
    "nested-deep.toml": (1, "not valid TOML: nested too deep"),
    "not-toml.toml": (1, "not valid TOML: Expected ']' at the end of a table declaration"),
    "type-is-a-list.toml": (16, "unknown element type ['x']"),
    "wrong-types.toml": (5, "'font_size' must be a number from 5 to 30"),
}


@pytest.mark.parametrize("path", sorted((CORPUS / "forms").iterdir()), ids=lambda p: p.name)
def test_form_corpus(tmp_path: Path, path: Path) -> None:
    with pytest.raises(FormFileError) as err:
        load_form(shutil.copy(path, tmp_path / "form.toml"), DATA_PATHS)
    line, reason = FORM_CORPUS_REASONS[path.name]
    assert err.value.line == line and err.value.reason.startswith(reason), str(err.value)


@pytest.mark.parametrize("reader", ["sync", "backup"])
def test_corpus_through_the_command_line(offices: Offices, reader: str) -> None:
    """`shebao sync import FILE` and `shebao restore FILE --force` on every bad file: exit 2 or 4, the
    reason, no traceback, the database and its folder as they were (no copy made before a restore)."""
    _, watch, files, _ = offices
    folder = files.parent
    db, key = folder / "BJ01.db", folder / "backup.key"
    for path in sorted((CORPUS / reader).iterdir()):
        command = (["sync", "import", str(path)] if reader == "sync"
                   else ["restore", str(path), "--key", str(key), "--force"])
        before, names = watch.version(), sorted(p.name for p in folder.iterdir())
        code, _, err = run_cli(["--db", str(db), *command], clock=Clock(day=lambda: TODAY))
        assert code in (2, 4), (path.name, code, err)
        assert err.strip() and "Traceback" not in err and len(err) < 1_000, (path.name, err)
        assert watch.version() == before, path.name
        assert sorted(p.name for p in folder.iterdir()) == names, path.name
