"""Opening an office database (SQLite file or PostgreSQL URL), migrating older schemas first."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from desktop.core.backup import sqlite_copy
from desktop.core.clock import SYSTEM, Clock
from desktop.core.errors import (
    Conflict,
    DatabaseDamaged,
    IntegrityFailure,
    InvalidInput,
    ShebaoError,
)
from desktop.core.paths import database_file, database_target
from desktop.core.private import POSIX
from desktop.core.progress import Progress, StageNote
from desktop.core.store import revision
from desktop.core.store.guard import network_filesystem
from desktop.core.store.health import Health, check_sqlite, damage_of, is_corruption

log = logging.getLogger(__name__)

SCHEMA_REVISION = revision.SCHEMA_REVISION  # the newest migration (desktop/core/store/revision.py)
MIGRATIONS_DIR = Path(__file__).resolve().parents[1] / "migrations"
# How long a SQLite connection waits for another program's write to end before giving up ("database
# is locked"; the ledger reports it as a Conflict: another program holds the database, try again).
# SHEBAO_BUSY_SECONDS changes it (0.1 to 300 seconds).
BUSY_TIMEOUT_S = Decimal(10)
BUSY_RANGE = (Decimal("0.1"), Decimal(300))


def busy_seconds() -> Decimal:
    """The busy bound in force: SHEBAO_BUSY_SECONDS when set to a number, held to BUSY_RANGE; else
    BUSY_TIMEOUT_S."""
    raw = os.environ.get("SHEBAO_BUSY_SECONDS", "").strip()
    try:
        value = Decimal(raw) if raw else BUSY_TIMEOUT_S
    except ArithmeticError:
        return BUSY_TIMEOUT_S
    if not value.is_finite():
        return BUSY_TIMEOUT_S
    return min(max(value, BUSY_RANGE[0]), BUSY_RANGE[1])


def database_url(target: str | os.PathLike[str] | None) -> str:
    """The SQLAlchemy URL for a --db target: a URL as given, else a SQLite file path."""
    path = database_file(target)
    return f"sqlite:///{path}" if path is not None else database_target(target)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    # What is deleted or overwritten is zeroed in the file, not left in free pages (a private key
    # moved out of the database must not stay readable there).
    cur.execute("PRAGMA secure_delete=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute(f"PRAGMA busy_timeout={int(busy_seconds() * 1000)}")
    cur.close()


# A unique key another writer took first, by table: the message key and the field it concerns.
_TAKEN: dict[str, tuple[str, str | None]] = {
    "contribution": ("race.contribution", "month"),
    "contribution_month": ("race.contribution", "month"),
    "contribution_side": ("race.contribution", "month"),
    "contribution_closed": ("race.contribution", "month"),
    "resident_contribution": ("race.resident_year", "year"),
    "worker": ("race.worker", "worker"),
    "employer": ("race.employer", "employer"),
    "document": ("race.number", None),
    "coverage_certificate": ("race.number", None),
    "transfer_case": ("race.number", None),
    "user_account": ("race.user", "name"),
    "scheme_switch": ("race.decided", "worker"),
    "pension_determination": ("race.decided", "worker"),
    "sync_change": ("race.sync", None),
    "sync_segment": ("race.sync", None),
    "sync_held": ("race.sync", None),
}


def _unique_table(orig: object) -> str | None:
    """The table of a unique-key violation ("" when the driver does not say), None for anything else."""
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if state is not None:
        if state != "23505":
            return None
        diag = getattr(orig, "diag", None)
        return str(getattr(diag, "table_name", "") or "")
    text_ = str(orig)
    for marker in ("UNIQUE constraint failed: ", "PRIMARY KEY constraint failed: "):
        if text_.startswith(marker):
            return text_[len(marker):].split(".", 1)[0].strip()
    return None


def collision(exc: BaseException) -> ShebaoError | None:
    """What another writer caused, as a Conflict (exit 4): a unique key it took first, or a lock it
    held past the busy bound. None: the error is something else."""
    orig = getattr(exc, "orig", None) or exc
    if isinstance(exc, IntegrityError) or isinstance(orig, sqlite3.IntegrityError):
        table = _unique_table(orig)
        if table is None:
            return None
        key, field = _TAKEN.get(table, ("race.unique", None))
        return Conflict(key, field, table=table)
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if state in ("40001", "40P01", "55P03"):  # PostgreSQL: serialization, deadlock, lock not available
        return Conflict("race.changed")
    if isinstance(orig, sqlite3.OperationalError):
        message = str(orig).lower()
        if "database is locked" in message or "database table is locked" in message or "busy" in message:
            return Conflict("db.busy", None, seconds=f"{busy_seconds().normalize():f}")
    return None


def make_engine(url: str) -> Engine:
    """An engine for the URL; SQLite gets WAL, foreign keys and a busy timeout on every connection.

    SQL parameters are never put into error messages or logs (they hold ID numbers and wages).
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False}, hide_parameters=True)
        if database and database != ":memory:":
            event.listen(engine, "do_connect", _owner_only(Path(database)))
        event.listen(engine, "connect", _sqlite_pragmas)
        # The contribution lines are a view written through its triggers (migration 0023), and
        # SQLite counts no changed row for a statement on a view: the session's check that an
        # UPDATE matched its rows would fail every time. A write transaction holds the file's write
        # lock from its first read (`Ledger.write`), so no other writer can change or remove a row
        # between its reading and its writing, which is what the check is for.
        engine.dialect.supports_sane_rowcount = False
        engine.dialect.supports_sane_multi_rowcount = False
        return engine
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


def _owner_only(path: Path) -> Any:
    """How a connection is made: to a database file that does not exist yet, with the process's
    umask at 077 for that moment, so that SQLite creates it (and, with its mode, its -wal and -shm)
    owner-only. Python never opens the file itself (an open and close from this process would drop
    the POSIX locks SQLite holds on it), and nothing is made until something connects (the doctor
    looks without connecting)."""
    def do_connect(dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
        if not POSIX or path.exists():
            return None  # the usual connect
        old = os.umask(0o077)
        try:
            return dialect.connect(*cargs, **cparams)
        finally:
            os.umask(old)
    return do_connect


def sqlite_file(engine: Engine) -> Path | None:
    """The file of a SQLite engine (None: PostgreSQL, or SQLite in memory)."""
    database = engine.url.database
    if engine.url.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    return Path(database)


def current_revision(engine: Engine) -> str | None:
    """The schema revision stored in the database, or None for an empty database."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _alembic_config(engine: Engine, steps: Progress | None = None) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    cfg.attributes["steps"] = steps
    return cfg


def migration_steps() -> Progress:
    """Inside a migration: where it reports how far it is (done, total), when it rewrites enough
    rows for that to matter; what `migrate` was given, or nothing (also when the migration's
    functions run outside Alembic's environment, as some tests run them)."""
    from alembic import context

    config = getattr(context, "config", None)  # (set only while Alembic runs migrations)
    steps = config.attributes.get("steps") if config is not None else None
    return steps if steps is not None else (lambda _done, _total: True)


def known_revisions() -> list[str]:
    """Every revision the migration scripts know, oldest first (read once per process: loading the
    scripts takes a tenth of a second, and every sync file and backup checked asks)."""
    return list(_known_revisions())


@functools.cache
def _known_revisions() -> tuple[str, ...]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(MIGRATIONS_DIR))
    return tuple(rev.revision for rev in reversed(list(script.walk_revisions())))


def backup_sqlite_file(database: Path, revision: str, at: dt.datetime) -> Path:
    """Copy a SQLite database consistently (online backup API) beside itself before migrating;
    the copy's name carries the moment `at`."""
    stamp = at.strftime("%Y%m%d-%H%M%S")
    target = database.with_name(f"{database.name}.before-{revision}-{stamp}.bak")
    sqlite_copy(database, target)
    return target


def migrate(engine: Engine, progress: StageNote | None = None, clock: Clock = SYSTEM,
            steps: Progress | None = None) -> Path | None:
    """Bring the schema to SCHEMA_REVISION; an older SQLite file is backed up first (named by
    `clock`'s time). steps: how far a migration that rewrites a large table is (done, total; its
    answer is not asked: a migration is not stopped half-way).

    Returns the backup path when one was made. A database newer than this program is refused.
    """
    found = current_revision(engine)
    if found == SCHEMA_REVISION:
        return None
    if found is not None and found not in known_revisions():
        raise IntegrityFailure("db.newer", "db", found=found)
    backup: Path | None = None
    if found is not None and engine.url.get_backend_name() == "sqlite" and engine.url.database:
        if progress:
            progress("backup")
        backup = backup_sqlite_file(Path(engine.url.database), found, clock.now())
        log.info("database backed up before migration to %s", backup)
    if progress:
        progress("migrate")
    from alembic import command

    command.upgrade(_alembic_config(engine, steps), "head")
    if found is not None:
        give_back_free_pages(engine, progress)
    return backup


FREE_SHARE = 0.25  # the share of a SQLite file in free pages from which a migration gives them back


def give_back_free_pages(engine: Engine, progress: StageNote | None = None) -> bool:
    """After a migration: when a quarter or more of a SQLite file is free pages (a large table made
    again leaves the old one's pages free, and the file as large as both), VACUUM rebuilds the file
    without them. Nothing is done to a file mostly in use, or to one another program holds (its
    free pages stay, and new rows fill them before the file grows); a failure (a full disk) leaves
    the file as it was. True when the file was rebuilt."""
    if sqlite_file(engine) is None:
        return False
    with engine.connect() as conn:
        pages = int(conn.exec_driver_sql("PRAGMA page_count").scalar_one())
        free = int(conn.exec_driver_sql("PRAGMA freelist_count").scalar_one())
    if not pages or free < pages * FREE_SHARE:
        return False
    if progress:
        progress("compact")
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM")
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    except DBAPIError as err:
        log.warning("the free pages of %s were not given back: %s", engine.url.database, err)
        return False
    log.info("%s: %d of %d pages were free and are given back", engine.url.database, free, pages)
    return True


def version_tuple(version: str) -> tuple[int, ...]:
    """"0.2.0" as (0, 2, 0); a part that is not a number counts as 0."""
    return tuple(int(part) if part.isdigit() else 0 for part in version.split("."))


def note_program_version(engine: Engine, clock: Clock = SYSTEM) -> None:
    """Refuse a database a newer version of the program has opened (a downgrade: its data may
    mean things this version does not know); else note this version the first time it opens it."""
    from desktop import __version__

    with engine.begin() as conn:
        seen = [str(v) for v in conn.execute(text("SELECT version FROM program_release")).scalars()]
        newest = max(seen, key=version_tuple, default=None)
        if newest is not None and version_tuple(newest) > version_tuple(__version__):
            raise IntegrityFailure("db.newer_program", "db", found=newest, ours=__version__)
        if __version__ not in seen:
            conn.execute(text("INSERT INTO program_release (version, first_opened) VALUES (:v, :at) "
                              "ON CONFLICT DO NOTHING"),
                         {"v": __version__, "at": clock.now().replace(microsecond=0)})


def refuse_network_share(url: str) -> None:
    """Refuse a SQLite file on a network file system (its locks are not reliable there)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        share = network_filesystem(Path(parsed.database).parent)
        if share is not None:
            raise InvalidInput("db.network", "db", fs=share, path=parsed.database)


def open_engine(
    target: str | os.PathLike[str] | None, progress: StageNote | None = None, clock: Clock = SYSTEM,
    steps: Progress | None = None,
) -> Engine:
    """Open (creating if needed) and migrate the office database named by --db / SHEBAO_DB; a file
    SQLite finds damaged while migrating is refused (the Ledger opens it read-only instead)."""
    engine, damage = open_checked(target, progress, clock, check=False, steps=steps)
    if damage is not None:
        engine.dispose()
        raise DatabaseDamaged(damage.summary)
    return engine


def sqlite_bytes(path: Path) -> int:
    """The size of a SQLite database with its WAL (from the directory, without opening them). Another
    process closing the database removes its WAL at any moment: a file gone counts as empty."""
    total = 0
    for part in (path, Path(f"{path}-wal")):
        try:
            total += part.stat().st_size
        except FileNotFoundError:
            pass
    return total


def open_checked(
    target: str | os.PathLike[str] | None, progress: StageNote | None = None, clock: Clock = SYSTEM,
    check: bool | int = False, steps: Progress | None = None,
) -> tuple[Engine, Health | None]:
    """Open (creating if needed) and migrate the office database; a damaged SQLite file is still
    opened, not migrated, and its damage returned: what quick_check found, or the error SQLite gave
    while opening it ("file is not a database", "database disk image is malformed").

    check: True / False, or a size in bytes: checked when the file is at most that big.
    steps: how far a long migration is (`migrate`).
    """
    url = database_url(target)
    refuse_network_share(url)
    try:
        engine = make_engine(url)
    except OperationalError as exc:
        raise InvalidInput("db.open", "db", reason=str(exc.orig)) from None
    path = sqlite_file(engine)
    if path is not None and not isinstance(check, bool):
        check = sqlite_bytes(path) <= check
    if check and path is not None:
        health = check_sqlite(path)
        if not health.ok:
            return engine, health
    try:
        migrate(engine, progress, clock, steps)
        note_program_version(engine, clock)
    except DBAPIError as exc:
        if is_corruption(exc):
            return engine, damage_of(exc)
        if isinstance(exc, OperationalError):
            raise InvalidInput("db.open", "db", reason=str(exc.orig)) from None
        raise
    return engine, None
