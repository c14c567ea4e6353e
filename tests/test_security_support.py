"""Fixtures the account, approval, audit and backup tests share: cheap hashing and an office staff."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import EMPLOYER, TODAY, _office, keys_in

from desktop.core import security
from desktop.core.ledger import Ledger

PASSWORD = "Counter-2026!"
PERSON = "510107198511113215"
CHEAP = security.ScryptCost(4, 8, 1)
STAFF = (("clerk1", "clerk"), ("clerk2", "clerk"), ("sup1", "supervisor"), ("sup2", "supervisor"))


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """scrypt with N=2**4 so that tests sign in quickly (one test checks the real parameters)."""
    monkeypatch.setattr(security, "SCRYPT", CHEAP)
    yield


def add_staff(ledger: Ledger) -> None:
    """An administrator `admin1`, clerks `clerk1`, `clerk2`, supervisors `sup1`, `sup2`; nobody signed in."""
    ledger.users.create_first_admin("admin1", PASSWORD)
    ledger.sign_in("admin1", PASSWORD)
    for name, role in STAFF:
        ledger.users.add(name, role, PASSWORD, must_change=False)
    ledger.sign_out()


def as_(ledger: Ledger, name: str) -> Ledger:
    """The ledger signed in as name (with the test password)."""
    ledger.sign_out()
    ledger.sign_in(name, PASSWORD)
    return ledger


@pytest.fixture
def posted(ledger: Ledger, person: str) -> str:
    """The fixture person paying every employee scheme from 2026-01 to 2026-11 (open mode)."""
    for month in range(1, 12):
        ledger.contributions.record(person, EMPLOYER, f"2026-{month:02d}", "8000")
    return person


@pytest.fixture(scope="session")
def staffed_template(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory,
                     session_key_store: Path) -> Path:
    """Made once per test process: the office, PERSON paying 2026-01..11, a statement, the staff
    (its keys in the session's key store)."""
    path = tmp_path_factory.mktemp("staffed") / "staffed.db"
    shutil.copy(sqlite_template, path)
    real, security.SCRYPT = security.SCRYPT, CHEAP
    try:
        with keys_in(session_key_store):
            led = _office(Ledger.open(path, clock=lambda: TODAY))
            led.workers.register_citizen(PERSON, "张三", "510107", "rural")
            for month in range(1, 12):
                led.contributions.record(PERSON, EMPLOYER, f"2026-{month:02d}", "8000")
            led.documents.issue("statement", PERSON, "setup")
            add_staff(led)
        with led.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        led.close()
    finally:
        security.SCRYPT = real
    return path


@pytest.fixture
def staffed(staffed_template: Path, tmp_path: Path) -> Iterator[Ledger]:
    """A copy of the staffed office (see staffed_template), nobody signed in."""
    path = tmp_path / "office.db"
    shutil.copy(staffed_template, path)
    led = Ledger.open(path, clock=lambda: TODAY)
    yield led
    led.close()
