"""Offices for sync tests: real SQLite files (or PostgreSQL) that trust each other."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.ledger import Ledger

TODAY = dt.date(2026, 11, 23)
# Credit codes of employers in the three regions (check characters computed by validate_uscc).
EMP_NC = "91360100MA35F7Q10"  # Nanchang
EMP_BJ = "91110105MA01ABCD1"  # Beijing Chaoyang
EMP_SH = "91310115MA1K3XYP9"  # Shanghai Pudong


def uscc(body17: str) -> str:
    """A credit code with its check character."""
    from stdnum.cn import uscc as std

    return body17 + std.calc_check_digit(body17)


def make_office(template: Path, folder: Path, code: str, name: str, region: str, employer: str,
                employer_name: str, target: str | None = None) -> Ledger:
    """A new office database (a copy of the migrated template, or a given URL) with one employer."""
    if target is None:
        path = folder / f"{code}.db"
        shutil.copy(template, path)
        target = str(path)
    led = Ledger.open(target, clock=lambda: TODAY)
    led.office.init(code, name, region)
    province = region[:2] + "0000"
    for year in range(1998, 2027):
        led.reference.set_wage(province, year, "6000")
    led.employers.register(uscc(employer), employer_name, region, 2)
    return led


def trust_all(*ledgers: Ledger) -> None:
    """Every office trusts every other (identity files exchanged)."""
    ids = [led.office.identity() for led in ledgers]
    for led in ledgers:
        own = led.office.get().code
        for identity in ids:
            if identity["code"] != own:
                led.office.trust(identity)


def send(src: Ledger, dst: Ledger, folder: Path, name: str | None = None) -> object:
    """Export from src for dst and import it there; returns the import result."""
    code = dst.office.get().code
    path = folder / (name or f"{src.office.get().code}-to-{code}-{src.sync.pending_changes()}.sync")
    src.sync.export(path, to=code)
    return dst.sync.import_file(path)


@pytest.fixture
def two(sqlite_template: Path, tmp_path: Path, db_target: str) -> Iterator[tuple[Ledger, Ledger]]:
    """Office A (on SQLite, then on PostgreSQL) and office B, trusting each other (a test module
    takes it by importing it)."""
    a = make_office(sqlite_template, tmp_path, "NC01", "南昌市社保局", "360100", EMP_NC, "南昌赣江机械制造有限公司",
                    target=db_target)
    b = make_office(sqlite_template, tmp_path, "BJ01", "北京市朝阳区社保中心", "110105", EMP_BJ, "北京朝阳科技有限公司")
    trust_all(a, b)
    yield a, b
    a.close()
    b.close()


def employer_of(led: Ledger) -> str:
    """The credit code of the office's (first) employer."""
    return led.employers.list()[0].uscc
