"""Run every command of the README's command-line section ("## The command line": its ```sh blocks)
with the `shebao` found in a given folder, from a new empty folder outside the checkout.

    python3 packaging/ci/readme_commands.py BIN_DIR

CI runs it against the non-editable install of the offline bundle (packaging/ci/bundle-smoke.sh);
tests/test_readme_commands.py runs it against the development environment, so the README's
commands stay true. Exit code: the shell's (the first command that fails stops it, named on stderr).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECTION = "## The command line"
# The walkthrough is written for its day: it records 2026-10 and 2026-11 and enters 2026's figures.
# Under a clock moved by libfaketime (the suite's other dates) it runs on that day, since from 2028 on
# a statement also needs the crediting rates of 2027 onwards, which it cannot know.
WALKTHROUGH_CLOCK = "@2026-12-05 10:00:00"


def section_blocks(readme: str) -> list[str]:
    """The ```sh blocks of the command-line section, in order."""
    start = readme.index(SECTION)
    end = readme.find("\n## ", start + len(SECTION))
    text = readme[start:end if end >= 0 else None]
    return re.findall(r"^```sh\n(.*?)^```", text, re.MULTILINE | re.DOTALL)


def commands(readme: str) -> list[str]:
    """The command lines of those blocks (comments and blank lines left out)."""
    out = []
    for block in section_blocks(readme):
        for line in block.splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                out.append(line)
    return out


def run(bin_dir: Path, work: Path | None = None) -> int:
    """Run the commands in `work` (a new temporary folder when None) with `bin_dir` first on PATH and
    a database of their own; returns the shell's exit code."""
    lines = commands((ROOT / "README.md").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="shebao-readme-") as tmp:
        folder = work or Path(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith("SHEBAO_")}
        env.update(PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", SHEBAO_DB=str(folder / "office.db"),
                   HOME=str(folder / "home"), PYTHONPATH="")
        if "FAKETIME" in env:
            env["FAKETIME"] = WALKTHROUGH_CLOCK
        script = "set -euo pipefail\nset -x\n" + "\n".join(lines) + "\n"
        done = subprocess.run(["bash", "-c", script], cwd=folder, env=env, stdin=subprocess.DEVNULL,
                              timeout=600, check=False)
        print(f"readme commands: {len(lines)} run with {bin_dir / 'shebao'}: "
              f"{'all passed' if done.returncode == 0 else f'failed (exit {done.returncode})'}", file=sys.stderr)
        return done.returncode


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    raise SystemExit(run(Path(sys.argv[1]).resolve()))
