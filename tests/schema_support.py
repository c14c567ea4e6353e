"""Databases of an older schema made with this version's code: the change log in either layout.

A test that makes an office at an older revision (to see what opening it does) writes its records
with this version's services, which keep the change log as the newest schema does. Around those
writes the log is turned into the newest layout and back, by the migration that changed it
(0017), so the database is one the older version could have made, its change records included.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType

from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import Engine

from desktop.core.store.engine import MIGRATIONS_DIR


def _migration(name: str) -> ModuleType:
    path = MIGRATIONS_DIR / "versions" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"migration_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(engine: Engine, step: str) -> None:
    module = _migration("0017_small_change_log")
    with engine.begin() as conn, Operations.context(MigrationContext.configure(conn)):
        getattr(module, step)()


@contextmanager
def newest_change_log(engine: Engine) -> Iterator[None]:
    """Within: the change log of a database older than 0017 in the newest layout; after: back."""
    _run(engine, "upgrade")
    try:
        yield
    finally:
        _run(engine, "downgrade")
