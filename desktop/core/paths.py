"""Where the application finds its reference data and keeps the office database.

The data folders `resources/` and `forms/` are found, in this order: the environment variable
(SHEBAO_RESOURCES, SHEBAO_FORMS: an office's edited copy); `desktop/_data/` inside the installed
package (a wheel, a .deb or a frozen build carries them there); the top of a source checkout. A
folder found nowhere is reported as such (DataMissing), never read as empty.
"""

from __future__ import annotations

import os
from pathlib import Path

from desktop.core.errors import ShebaoError

PACKAGE = Path(__file__).resolve().parents[1]
CHECKOUT = PACKAGE.parent
# A file each folder must hold: a folder without it is not the application's data.
MARKERS = {"resources": "schemes.csv", "forms": "statement.v2026-1.toml"}


class DataMissing(ShebaoError):
    """The application's data folder is not where it should be (a broken or partial install)."""

    exit_code = 1

    def __init__(self, name: str, tried: list[Path]) -> None:
        super().__init__("data.missing", None, folder=name, folder_env=name.upper(),
                         tried="; ".join(str(p) for p in tried))


def data_candidates(name: str) -> list[Path]:
    """The places looked in for the data folder `name`, in order."""
    env = os.environ.get(f"SHEBAO_{name.upper()}")
    if env:
        return [Path(env)]
    return [PACKAGE / "_data" / name, CHECKOUT / name]


def data_dir(name: str) -> Path:
    """The data folder `name` (resources or forms); DataMissing when none of the places has it."""
    tried = data_candidates(name)
    for path in tried:
        if (path / MARKERS[name]).is_file():
            return path
    raise DataMissing(name, tried)


def resources_dir() -> Path:
    """The resources/ folder (SHEBAO_RESOURCES overrides, for an office's edited copy)."""
    return data_dir("resources")


def forms_dir() -> Path:
    """The forms/ folder with the official printable forms (SHEBAO_FORMS overrides)."""
    return data_dir("forms")


def default_database() -> Path:
    """The office database, in a folder of its own in the user data directory (`database/`):
    file dialogs never start there, and nothing else is kept beside it. A database from before that
    folder existed (directly in the data directory) is still used where it is."""
    from platformdirs import user_data_dir

    data = Path(user_data_dir("shebao-desk", appauthor=False))
    legacy = data / "office.db"
    return legacy if legacy.exists() else data / "database" / "office.db"


def log_dir() -> Path:
    """Where the window writes its log of unexpected errors: `logs/` in the user data directory,
    beside the database's folder (SHEBAO_LOG_DIR overrides)."""
    env = os.environ.get("SHEBAO_LOG_DIR")
    if env:
        return Path(env)
    from platformdirs import user_data_dir

    return Path(user_data_dir("shebao-desk", appauthor=False)) / "logs"


def database_target(target: str | os.PathLike[str] | None) -> str:
    """A --db target as given, else SHEBAO_DB, else the default database."""
    if target is None or str(target) == "":
        return os.environ.get("SHEBAO_DB") or str(default_database())
    return str(target)


def database_file(target: str | os.PathLike[str] | None) -> Path | None:
    """The SQLite file a --db target names (see database_target); None for a database URL."""
    raw = database_target(target)
    return None if "://" in raw else Path(raw).expanduser().resolve()
