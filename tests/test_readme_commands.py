"""The README's command-line section runs as written: every command of its ```sh blocks, one after
another, from an empty folder outside the checkout (CI runs the same against the non-editable
install of the offline bundle, packaging/ci/bundle-smoke.sh)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("readme_commands", ROOT / "packaging/ci/readme_commands.py")
assert spec is not None and spec.loader is not None
readme_commands = importlib.util.module_from_spec(spec)
spec.loader.exec_module(readme_commands)


def test_the_section_holds_the_main_commands() -> None:
    lines = readme_commands.commands((ROOT / "README.md").read_text(encoding="utf-8"))
    named = {" ".join(line.split()[1:3]) for line in lines if line.startswith("shebao ")}
    for command in ("init --office", "worker register", "contrib record", "contrib import",
                    "account 510107198511113215", "print statement", "verify statement.pdf", "transfer plan",
                    "audit verify", "doctor --no-printers"):
        assert command in named


def test_every_command_of_the_section_runs(tmp_path: Path) -> None:
    work = tmp_path / "outside"
    work.mkdir()
    assert readme_commands.run(Path(sys.executable).parent, work) == 0
    assert (work / "statement.pdf").stat().st_size > 10_000
    assert len(list((work / "backups").glob("shebao-360100001-*.sbk"))) == 1
