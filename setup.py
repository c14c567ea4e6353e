"""Build step that puts the repository's top-level data folders into the wheel.

`resources/` (reference data, translations) and `forms/` (the printable forms) stay at the top of
the repository, where offices and reviewers find them; a built wheel carries them as
`desktop/_data/resources` and `desktop/_data/forms`, which `desktop.core.paths` looks in first.
An editable install (`pip install -e .`) reads them from the checkout instead.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
DATA = ("resources", "forms")
# Pictures for the README, not needed to run.
SKIP = shutil.ignore_patterns("screenshots", "pages", "*.ts", "__pycache__")


class BuildWithData(build_py):
    """build_py, then the data folders copied under desktop/_data in the build tree."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib) / "desktop" / "_data"
        for name in DATA:
            shutil.rmtree(target / name, ignore_errors=True)
            shutil.copytree(ROOT / name, target / name, ignore=SKIP)


setup(cmdclass={"build_py": BuildWithData})
