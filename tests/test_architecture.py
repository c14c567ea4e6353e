"""The core never imports Qt: checked by import-linter's contract in pyproject.toml."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contract_holds() -> None:
    exe = Path(sys.executable).parent / "lint-imports"
    proc = subprocess.run([str(exe)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 kept, 0 broken" in proc.stdout


def test_no_pyside_import_in_core_source() -> None:
    offenders = [p for p in (ROOT / "desktop" / "core").rglob("*.py") if "PySide6" in p.read_text(encoding="utf-8")]
    assert offenders == []
