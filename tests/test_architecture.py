"""The core never imports Qt and the layers import only downwards (import-linter's contracts in
pyproject.toml); ruff and mypy strict find nothing (their configuration there too)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _tool(name: str, *args: str, timeout: int) -> subprocess.CompletedProcess[str]:
    """Run a tool installed next to this interpreter from the repository root, on this checkout's
    `desktop` package (not some other one the environment has installed)."""
    exe = Path(sys.executable).parent / name
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([str(exe), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout,
                          check=False)


def test_import_contract_holds() -> None:
    proc = _tool("lint-imports", timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "3 kept, 0 broken" in proc.stdout


def test_ruff_finds_nothing() -> None:
    proc = _tool("ruff", "check", "--no-cache", ".", timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_strict_finds_nothing() -> None:
    """mypy strict over desktop/ (files in pyproject.toml); about 25 s without its cache, 1 s with."""
    proc = _tool("mypy", timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_no_pyside_import_in_core_source() -> None:
    offenders = [p for p in (ROOT / "desktop" / "core").rglob("*.py") if "PySide6" in p.read_text(encoding="utf-8")]
    assert offenders == []


WALL_CLOCK = re.compile(r"\b(?:date\.today|datetime\.now|datetime\.utcnow|datetime\.today|time\.time|time\.localtime"
                        r"|QDate\.currentDate|QDateTime\.currentDateTime)\s*\(")


def test_only_the_clock_module_reads_the_wall_clock() -> None:
    """Every date and time the program uses comes from the ledger's clock (desktop/core/clock.py);
    the bootstrap script, which installs and starts things, is not part of the program."""
    allowed = {ROOT / "desktop" / "core" / "clock.py", ROOT / "desktop" / "bootstrap.py"}
    found = [f"{p.relative_to(ROOT)}:{n}: {line.strip()}"
             for p in sorted((ROOT / "desktop").rglob("*.py")) if p not in allowed
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
             if WALL_CLOCK.search(line)]
    assert found == []
    assert WALL_CLOCK.search("x = dt.date.today()") and WALL_CLOCK.search("QDateTime.currentDateTime()")


FILE_SNIFFERS = re.compile(r"\b(?:QFileDialog|QMimeDatabase|QFileSystemModel|QFileIconProvider"
                           r"|QAbstractFileIconProvider)\b")


def test_only_the_files_module_shows_files() -> None:
    """Qt's file dialogs, models and icon providers open files to sniff them, which drops SQLite's
    locks when the file is the database: only desktop/ui/files.py, which never lets them, uses them.
    (The core imports no Qt at all: the tests above.)"""
    allowed = {ROOT / "desktop" / "ui" / "files.py"}
    found = [f"{p.relative_to(ROOT)}:{n}: {line.strip()}"
             for p in sorted((ROOT / "desktop" / "ui").rglob("*.py")) if p not in allowed
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
             if FILE_SNIFFERS.search(line)]
    assert found == []
