"""Shared fixtures: a real SQLite file per test (copied from a migrated template) and, for the
storage tests, a real PostgreSQL database per test on a loopback server."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import settings

sys.path.insert(0, str(Path(__file__).parent))

# Property tests: "ci" (the default) draws the same examples on every run and has no deadline (the
# machine is shared; timing is not what they test); SHEBAO_HYPOTHESIS=thorough draws ten times as
# many, at random, for a run on demand.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("thorough", derandomize=False, deadline=None, print_blob=True, max_examples=1000)
HYPOTHESIS_PROFILE = os.environ.get("SHEBAO_HYPOTHESIS", "ci")
settings.load_profile(HYPOTHESIS_PROFILE)


def examples(n: int) -> int:
    """How many examples a property test draws: n in CI, ten times n in the thorough profile."""
    return n * 10 if HYPOTHESIS_PROFILE == "thorough" else n

from pgserver import PostgresServer, create_database, drop_database  # noqa: E402

from desktop.core.ledger import Ledger  # noqa: E402
from desktop.core.store.engine import make_engine, migrate  # noqa: E402

TODAY = dt.date(2026, 11, 23)
REGION = "360100"
PROVINCE = "360000"

_counter = itertools.count()


def _uscc(body17: str) -> str:
    from desktop.core.ids import uscc_check_char

    return body17 + uscc_check_char(body17)


EMPLOYER = _uscc("91360100MA35F7Q10")
EMPLOYER_2 = _uscc("91360100MA35F8A2X")


KEY_PASSPHRASE = "test key passphrase 2026"


def _key_dir_from(monkeypatch: pytest.MonkeyPatch, folder: Path, *seeds: Path) -> Path:
    """Point SHEBAO_KEY_DIR at `folder`, first given a copy of the stores `seeds` (the first one's
    store.json; they share its salt, see session_key_store)."""
    from desktop.core import keystore

    folder.mkdir(mode=0o700)
    for seed in seeds:
        if seed.is_dir():
            for file in seed.iterdir():
                if not (folder / file.name).exists():
                    shutil.copy2(file, folder / file.name)
    monkeypatch.setenv("SHEBAO_KEY_DIR", str(folder))
    monkeypatch.setenv("SHEBAO_KEY_PASSPHRASE", KEY_PASSPHRASE)
    keystore.give_passphrase(None)
    return folder


@pytest.fixture(scope="session", autouse=True)
def session_key_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The key store of offices made once per test process (session fixtures set it while they make
    them: see `keys_in`); every module's store starts as a copy of it. It is set up here, so every
    copy has the same salt and the passphrase is turned into a key once per test process (scrypt
    takes most of a second)."""
    from desktop.core import keystore

    with pytest.MonkeyPatch.context() as mp:
        folder = _key_dir_from(mp, tmp_path_factory.mktemp("keys-session") / "store")
        keystore.KeyStore(folder).create()
        yield folder


@pytest.fixture(scope="module", autouse=True)
def module_key_store(session_key_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The key store of offices a module's fixtures make (a copy of the session's)."""
    with pytest.MonkeyPatch.context() as mp:
        yield _key_dir_from(mp, tmp_path_factory.mktemp("keys-module") / "store", session_key_store)


@pytest.fixture(autouse=True)
def key_store(module_key_store: Path, session_key_store: Path, tmp_path_factory: pytest.TempPathFactory,
              monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test keeps its office keys in a key store of its own (a copy of its module's, so the
    offices its module's fixtures made still sign), opened with KEY_PASSPHRASE from the environment
    (a command line run in a subprocess has it too)."""
    from desktop.core import keystore

    # the session's too: an office a session fixture made after this module's store was copied
    yield _key_dir_from(monkeypatch, tmp_path_factory.mktemp("keys") / "store", module_key_store,
                        session_key_store)
    keystore.give_passphrase(None)


@contextmanager
def keys_in(folder: Path) -> Iterator[None]:
    """Make offices with their keys in `folder` (a session fixture: the session's key store)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SHEBAO_KEY_DIR", str(folder))
        yield


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty, migrated SQLite database file, made once per test process."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture
def db_path(sqlite_template: Path, tmp_path: Path) -> Path:
    """A fresh migrated SQLite file for this test."""
    path = tmp_path / "office.db"
    shutil.copy(sqlite_template, path)
    return path


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """One loopback PostgreSQL server per test process, with a migrated template database."""
    try:
        server = PostgresServer().start()
    except Exception as exc:  # noqa: BLE001 - any failure to start is reported the same way
        if os.environ.get("SHEBAO_TEST_POSTGRES") == "required":
            pytest.fail(f"PostgreSQL could not start: {exc}", pytrace=False)
        pytest.skip(f"PostgreSQL not available: {exc}")
    url = create_database(server, "shebao_template")
    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_target(request: pytest.FixtureRequest, db_path: Path) -> Iterator[str]:
    """A fresh database for this test: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        yield str(db_path)
        return
    server: PostgresServer = request.getfixturevalue("pg_server")
    name = f"t_{os.getpid()}_{next(_counter)}"
    url = create_database(server, name, template="shebao_template")
    yield url
    drop_database(server, name)


def _office(ledger: Ledger) -> Ledger:
    ledger.office.init("OFF01", "南昌市社保局", REGION)
    for year in range(1998, 2027):
        ledger.reference.set_wage(PROVINCE, year, "6000")
    ledger.employers.register(EMPLOYER, "南昌赣江机械制造有限公司", REGION, 2)
    return ledger


@pytest.fixture
def ledger(db_path: Path) -> Iterator[Ledger]:
    """An office ledger on SQLite: office 360100, wage 6000 a month every year, one employer."""
    led = _office(Ledger.open(db_path, clock=lambda: TODAY))
    yield led
    led.close()


@pytest.fixture
def any_ledger(db_target: str) -> Iterator[Ledger]:
    """The same office ledger on SQLite and on PostgreSQL."""
    led = _office(Ledger.open(db_target, clock=lambda: TODAY))
    yield led
    led.close()


@pytest.fixture
def person(ledger: Ledger) -> str:
    """A registered citizen (man born 1985-11-11, hukou Chengdu Wuhou) on the SQLite ledger."""
    return ledger.workers.register_citizen("510107198511113215", "张三", "510107", "rural").key


@pytest.fixture(autouse=True)
def _no_qt_leftovers(request: pytest.FixtureRequest) -> Iterator[None]:
    """A window test leaves nothing behind: after qtbot has closed its widgets, the posted events and
    due timers are run here, and any exception they raise (a timer firing on a deleted dialog) or any
    top-level widget still shown fails this test instead of a later one."""
    if "qtbot" not in request.fixturenames:
        yield
        return
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    request.getfixturevalue("qtbot")  # set up first, so torn down (widgets closed) before the check
    yield
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    raised: list[BaseException] = []
    hook = sys.excepthook
    sys.excepthook = lambda _type, value, _tb: raised.append(value)
    try:
        for _ in range(3):
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            app.processEvents()
    finally:
        sys.excepthook = hook
    shown = sorted(type(w).__name__ for w in app.topLevelWidgets() if w.isVisible())
    for widget in app.topLevelWidgets():
        if widget.isVisible():
            widget.close()
    assert not raised, f"Qt raised after the test ended: {raised!r}"
    assert not shown, f"widgets still shown after the test: {', '.join(shown)}"
