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
from fuzz_support import CORPUS, FUZZ, Watch, mutated, typed
from hypothesis import given
from reportlab.pdfgen import canvas
from sync_support import EMP_BJ, EMP_NC, make_office, trust_all

from desktop.core.forms.spec import FormFileError, load_form
from desktop.core.ledger import Ledger
from desktop.core.services.documents import DATA_PATHS

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def offices(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[tuple[Ledger, Watch, Path, dict[str, bytes]]]:
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


Offices = tuple[Ledger, Watch, Path, dict[str, bytes]]


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


@pytest.fixture(scope="module")
def seeds(offices: tuple[Ledger, Watch, Path, dict[str, bytes]]) -> dict[str, bytes]:
    return offices[3]


SYNC_SEED: list[bytes] = []


@FUZZ
@given(data=mutated([b"\0"]))
def test_sync_file(offices: tuple[Ledger, Watch, Path, dict[str, bytes]], data: bytes) -> None:
    _case(offices, "in.sync", _spliced(offices[3]["sync"], data), "sync")


@FUZZ
@given(data=mutated([b"\0"]))
def test_backup(offices: tuple[Ledger, Watch, Path, dict[str, bytes]], data: bytes) -> None:
    spliced = _spliced(offices[3]["backup"], data)
    _case(offices, "in.sbk", spliced, "inspect")
    _case(offices, "in.sbk", spliced, "check")


@FUZZ
@given(data=mutated([b"\0"]))
def test_pdf_verify(offices: tuple[Ledger, Watch, Path, dict[str, bytes]], data: bytes) -> None:
    _case(offices, "in.pdf", _spliced(offices[3]["pdf"], data), "verify")


def _spliced(seed: bytes, change: bytes) -> bytes:
    """The seed (made by a fixture, so not known to the strategy) changed by the drawn bytes: they
    replace a part of it at a place they decide, or cut it there when they are a single byte."""
    if not change:
        return seed
    at = int.from_bytes(change[:4].ljust(4, b"\0"), "big") % (len(seed) + 1)
    if len(change) == 1:
        return seed[:at]
    return seed[:at] + change[4:] + seed[at + max(0, len(change) - 4) // 2:]


@pytest.mark.parametrize("reader", ["sync", "backup", "pdf"])
def test_corpus(offices: tuple[Ledger, Watch, Path, dict[str, bytes]], reader: str) -> None:
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


@FUZZ
@given(data=mutated(FORM_SEEDS))
def test_form_toml(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    _load(_form_dir(tmp_path_factory), data)


_FORM_DIR: list[Path] = []


def _form_dir(factory: pytest.TempPathFactory) -> Path:
    if not _FORM_DIR:
        _FORM_DIR.append(factory.mktemp("fuzz-forms"))
    return _FORM_DIR[0]


@pytest.mark.parametrize("path", sorted((CORPUS / "forms").iterdir()), ids=lambda p: p.name)
def test_form_corpus(tmp_path: Path, path: Path) -> None:
    with pytest.raises(FormFileError):
        load_form(shutil.copy(path, tmp_path / "form.toml"), DATA_PATHS)
