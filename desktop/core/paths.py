"""Where the application finds its reference data and keeps the office database."""

from __future__ import annotations

import os
from pathlib import Path


def resources_dir() -> Path:
    """The resources/ folder (SHEBAO_RESOURCES overrides, for an office's edited copy)."""
    env = os.environ.get("SHEBAO_RESOURCES")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "resources"


def forms_dir() -> Path:
    """The forms/ folder with the official printable forms."""
    return Path(__file__).resolve().parents[2] / "forms"


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
