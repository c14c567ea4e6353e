"""The Ledger: one facade over an office database, holding every service (like Anki's Collection)."""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast, overload

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from desktop.core.clock import Clock, ClockLike, as_clock
from desktop.core.errors import DatabaseDamaged, NotAllowed
from desktop.core.messages import role_names
from desktop.core.outfile import StagedFile, check_target
from desktop.core.progress import Progress, StageNote
from desktop.core.security import ROLES, Actor, counter_name
from desktop.core.store.engine import collision, open_checked, sqlite_file
from desktop.core.store.guard import LockGuard, locks_held
from desktop.core.store.health import (
    FULL,
    QUICK,
    Cancelled,
    Health,
    check_sqlite,
    damage_of,
    is_corruption,
)
from desktop.core.store.models import AuditHead, Compact, UserAccount, rows_from_stored

if TYPE_CHECKING:
    from desktop.core.services.accounts import AccountService
    from desktop.core.services.approvals import ApprovalService
    from desktop.core.services.audit_trail import AuditService
    from desktop.core.services.backups import BackupService
    from desktop.core.services.contributions import ContributionService
    from desktop.core.services.documents import DocumentService
    from desktop.core.services.employers import EmployerService
    from desktop.core.services.exemptions import ExemptionService
    from desktop.core.services.flexible import FlexibleService
    from desktop.core.services.history import HistoryService
    from desktop.core.services.insured_time import InsuredTimeService
    from desktop.core.services.keys import KeyService
    from desktop.core.services.office import KeysMoved, OfficeService, ReferenceService
    from desktop.core.services.pension import PensionService
    from desktop.core.services.record import RecordService
    from desktop.core.services.recovery import RecoveryService
    from desktop.core.services.residents import ResidentService
    from desktop.core.services.retirement import RetirementService
    from desktop.core.services.scheme_switch import SchemeSwitchService
    from desktop.core.services.sync import SyncService
    from desktop.core.services.transfers import TransferService
    from desktop.core.services.users import AccountInfo, UserService
    from desktop.core.services.views import ViewLogService
    from desktop.core.services.workers import WorkerService

log = logging.getLogger(__name__)
_GUARD_TTL = 2.0  # seconds an "office has no accounts" answer is trusted for reads
# Ledger.open runs SQLite's quick_check before anything else on a SQLite file up to this size
# (the command line; the window opens without it and runs it on the runner with progress). It
# reads every page, about 3.3 s a GB here: 0.04 s for the demo office, 0.74 s at 236 MiB, 8.1 s
# for a county office of 2.4 GB, where every command would wait that long (README, "When the
# database is damaged"). Bigger files are checked by the window, `shebao check` and a restore.
CHECK_ON_OPEN_BYTES = 64 * 2**20


_S = TypeVar("_S")


class _Service(Generic[_S]):
    """One of a ledger's services, made (its module imported) the first time it is used, then kept
    in the ledger like an attribute set in __init__; two threads asking at once get the same one."""

    def __init__(self, module: str, name: str) -> None:
        """module: the service's module in desktop.core.services; name: its class."""
        self.module, self.name, self.attr = module, name, name

    def __set_name__(self, owner: type, attr: str) -> None:
        self.attr = attr

    @overload
    def __get__(self, ledger: None, owner: type | None = None) -> _Service[_S]: ...

    @overload
    def __get__(self, ledger: Ledger, owner: type | None = None) -> _S: ...

    def __get__(self, ledger: Ledger | None, owner: type | None = None) -> _Service[_S] | _S:
        if ledger is None:
            return self
        with ledger._making:
            made = ledger.__dict__.get(self.attr)
            if made is None:
                made = getattr(importlib.import_module(f"desktop.core.services.{self.module}"), self.name)(ledger)
                ledger.__dict__[self.attr] = made  # found there from now on, before this
        return cast(_S, made)


class Ledger:
    """An open office database and its services: office, reference, employers, workers,
    contributions, flexible workers' months, accounts, residents, documents, exemptions, users,
    approvals, audit, backups, sync, transfers, recovery, retirement, pensions.

    While the office has no accounts ("open mode") every call runs as before, unsigned. Once one
    exists, every call needs a signed-in `actor` (`sign_in`), and each service checks its role.
    """

    # The services, each made (its module imported) when first used: opening an office imports only
    # what its first screen needs.
    office: _Service[OfficeService] = _Service("office", "OfficeService")
    reference: _Service[ReferenceService] = _Service("office", "ReferenceService")
    employers: _Service[EmployerService] = _Service("employers", "EmployerService")
    workers: _Service[WorkerService] = _Service("workers", "WorkerService")
    contributions: _Service[ContributionService] = _Service("contributions", "ContributionService")
    flexible: _Service[FlexibleService] = _Service("flexible", "FlexibleService")
    accounts: _Service[AccountService] = _Service("accounts", "AccountService")
    records: _Service[RecordService] = _Service("record", "RecordService")
    retirement: _Service[RetirementService] = _Service("retirement", "RetirementService")
    pensions: _Service[PensionService] = _Service("pension", "PensionService")
    insured: _Service[InsuredTimeService] = _Service("insured_time", "InsuredTimeService")
    residents: _Service[ResidentService] = _Service("residents", "ResidentService")
    switches: _Service[SchemeSwitchService] = _Service("scheme_switch", "SchemeSwitchService")
    documents: _Service[DocumentService] = _Service("documents", "DocumentService")
    exemptions: _Service[ExemptionService] = _Service("exemptions", "ExemptionService")
    history: _Service[HistoryService] = _Service("history", "HistoryService")
    users: _Service[UserService] = _Service("users", "UserService")
    approvals: _Service[ApprovalService] = _Service("approvals", "ApprovalService")
    audit: _Service[AuditService] = _Service("audit_trail", "AuditService")
    backups: _Service[BackupService] = _Service("backups", "BackupService")
    sync: _Service[SyncService] = _Service("sync", "SyncService")
    transfers: _Service[TransferService] = _Service("transfers", "TransferService")
    recovery: _Service[RecoveryService] = _Service("recovery", "RecoveryService")
    views: _Service[ViewLogService] = _Service("views", "ViewLogService")
    keys: _Service[KeyService] = _Service("keys", "KeyService")

    def __init__(self, engine: Engine, clock: ClockLike = None, damage: Health | None = None) -> None:
        from desktop.core import audit
        from desktop.core.sync import capture

        self.engine = engine
        self._clock = as_clock(clock)
        self.damage: Health | None = damage  # what a check found wrong: then nothing is written
        self.actor: Actor | None = None
        self.keys_moved_on_open: KeysMoved | None = None  # what `keys_out_if_unlocked` did when opened
        self.counter = counter_name()
        self._guarded: tuple[bool, float] = (False, 0.0)
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        audit.install(self, self._sessions)
        capture.install(self, self._sessions)
        self._local = threading.local()
        # PostgreSQL look-ups run without a transaction around each (`quick_rows`)
        self._autocommit_lookups = engine.dialect.name == "postgresql"
        self._compiled: dict[str, tuple[str, tuple[str, ...] | None, tuple[tuple[int, Compact], ...]]] = {}
        self._compile_lock = threading.Lock()
        self._lock_guard: LockGuard | None = None
        self._checks: set[threading.Event] = set()  # the stop flags of the checks running now
        self._checks_done = threading.Condition()
        self._making = threading.RLock()  # services are made on first use (`_Service`)

    @classmethod
    def open(
        cls, target: str | os.PathLike[str] | None = None, progress: StageNote | None = None,
        clock: ClockLike = None, check: bool | None = None, steps: Progress | None = None,
    ) -> Ledger:
        """Open (create, migrate) the database named by --db / SHEBAO_DB / the default path.

        check: run SQLite's quick_check first (default: when the file is at most
        CHECK_ON_OPEN_BYTES). A damaged file is opened all the same, without migrating it, and the
        ledger refuses every write (`damage`). steps: how far a long migration is (done, total).
        """
        chosen = as_clock(clock)
        engine, damage = open_checked(target, progress, chosen,
                                      check if check is not None else CHECK_ON_OPEN_BYTES, steps)
        ledger = cls(engine, chosen, damage)
        if damage is None:
            ledger.keys_out_if_unlocked()
        return ledger

    def keys_out_if_unlocked(self) -> bool:
        """Move private keys still in the office row to the key store when it can be opened without
        asking (DPAPI, or a passphrase given or in SHEBAO_KEY_PASSPHRASE): `office.take_keys_out`.
        True when keys were moved. A store that refuses (a wrong passphrase) leaves them where they
        are, for `shebao doctor` to report and `shebao office keys move` to do."""
        from desktop.core import keystore
        from desktop.core.errors import ShebaoError
        from desktop.core.store.models import Office

        try:
            with self._sessions() as s:
                row = s.execute(select(Office.private_key, Office.enc_private_key)).first()
        except (DBAPIError, sqlite3.Error):
            return False
        if row is None or not (row[0] or row[1]):
            return False
        store = keystore.open_store()
        if store.backend == keystore.FILE_BACKEND and keystore.passphrase_given() is None and not store.unlocked():
            return False
        try:
            self.keys_moved_on_open = self.office.take_keys_out()
            return bool(self.keys_moved_on_open.moved)
        except ShebaoError as exc:
            log.warning("office keys left in the database: %s", exc.message("en"))
            return False

    # -- damage ---------------------------------------------------------------------------

    def check(self, full: bool = False, cancelled: Cancelled | None = None) -> Health:
        """SQLite's quick_check (integrity_check when full); damage found stops every write.

        PostgreSQL: always ok. The server keeps its own data consistent (WAL, checksums when the
        cluster has them) and has no cheap page check to offer; its damage shows as errors.

        A check may run on a thread of its own beside the work (the window checks so at start):
        closing the ledger, which a restore does before it replaces the file, stops it first
        (CheckCancelled in its thread).
        """
        path = sqlite_file(self.engine)
        if path is None:
            return Health(True, FULL if full else QUICK)
        stop = threading.Event()
        with self._checks_done:
            self._checks.add(stop)
        try:
            health = check_sqlite(path, full,
                                  lambda: stop.is_set() or (cancelled is not None and cancelled()))
        finally:
            with self._checks_done:
                self._checks.discard(stop)
                self._checks_done.notify_all()
        if not health.ok:
            self.mark_damaged(health)
        return health

    def stop_checks(self) -> None:
        """Stop the checks running on other threads and wait until they have (SQLite asks whether to
        go on every few thousand steps: milliseconds)."""
        with self._checks_done:
            for stop in self._checks:
                stop.set()
            self._checks_done.wait_for(lambda: not self._checks)

    def mark_damaged(self, health: Health) -> None:
        """Note damage: from now on every write is refused (DatabaseDamaged)."""
        if self.damage is None or self.damage.ok:
            self.damage = health

    def clear_damage(self) -> None:
        """Forget the damage (a backup replaced the file and its check passed)."""
        self.damage = None

    def _refuse_if_damaged(self) -> None:
        if self.damage is not None:
            raise DatabaseDamaged(self.damage.summary)

    @contextmanager
    def _noting_damage(self) -> Iterator[None]:
        """Turn SQLite's "malformed" / "not a database" into DatabaseDamaged, and remember it."""
        try:
            yield
        except (DBAPIError, sqlite3.DatabaseError) as exc:
            if not is_corruption(exc):
                raise
            self.mark_damaged(damage_of(exc, "read"))
            raise DatabaseDamaged(damage_of(exc).summary) from None

    @contextmanager
    def _naming_collisions(self) -> Iterator[None]:
        """Turn what another writer caused into a Conflict (exit 4) saying what was already there:
        a unique key taken first (a month recorded, a person registered, a document number), or
        the database held past the busy bound."""
        try:
            yield
        except (DBAPIError, sqlite3.Error) as exc:
            found = collision(exc)
            if found is None:
                raise
            raise found from None

    # -- who acts --------------------------------------------------------------------------

    def sign_in(self, name: str, password: str) -> AccountInfo:
        """Sign in as an account; from then on every call acts (and is audited) as it."""
        return self.users.sign_in(name, password)

    def actor_name(self) -> str:
        """The signed-in account's name, or "" in open mode."""
        return self.actor.name if self.actor else ""

    def sign_out(self) -> None:
        """Forget the signed-in account."""
        self.actor = None

    def guarded(self, fresh: bool = False) -> bool:
        """Whether the office has accounts (then every call needs a signed-in actor)."""
        known, when = self._guarded
        if known or (not fresh and time.monotonic() - when < _GUARD_TTL):
            return known
        with self._noting_damage(), self._sessions() as s:
            found = s.execute(select(UserAccount.id).limit(1)).first() is not None
        self._guarded = (found, time.monotonic())
        return found

    def mark_guarded(self) -> None:
        """Note that the office now has accounts (accounts are never deleted, only disabled)."""
        self._guarded = (True, time.monotonic())

    def reset_guard(self) -> None:
        """Forget what is known about accounts (after a restore replaced the database)."""
        self._guarded = (False, 0.0)

    def require(self, roles: frozenset[str]) -> None:
        """Refuse (NotAllowed) unless open mode, or the signed-in account has one of the roles."""
        if getattr(self._local, "elevated", False):
            return
        actor = self.actor
        if actor is None:
            if self.guarded():
                raise NotAllowed("auth.required")
            return
        if actor.must_change:
            raise NotAllowed("password.must_change")
        if actor.role not in roles:
            raise NotAllowed("role.refused", role=role_names([actor.role]),
                             needed=role_names([r for r in ROLES if r in roles]))

    def _check_reader(self) -> None:
        actor = self.actor
        if actor is None:
            if self.guarded():
                raise NotAllowed("auth.required")
        elif actor.must_change:
            raise NotAllowed("password.must_change")

    def _check_writer(self, session: Session) -> None:
        """Inside the transaction: the actor still exists, is active, and has the role it had."""
        actor = self.actor
        if actor is None:
            if session.execute(select(UserAccount.id).limit(1)).first() is not None:
                self.mark_guarded()
                raise NotAllowed("auth.required")
            return
        row = session.execute(select(UserAccount.role, UserAccount.active)
                              .where(UserAccount.id == actor.id)).first()
        if row is None or not row[1]:
            self.actor = None
            raise NotAllowed("auth.disabled")
        if row[0] != actor.role:
            self.actor = Actor(actor.id, actor.name, str(row[0]), actor.must_change)

    # -- sessions ---------------------------------------------------------------------------

    def in_write(self) -> bool:
        """Whether a write is open on this thread (a write now would join it)."""
        return getattr(self._local, "session", None) is not None

    @contextmanager
    def read(self, checked: bool = True) -> Iterator[Session]:
        """A session for reading (inside a write on this thread: that write's session)."""
        current: Session | None = getattr(self._local, "session", None)
        if current is not None:
            yield current
            return
        with self._naming_collisions(), self._noting_damage():
            if checked:
                self._check_reader()
            with self._sessions() as session:
                yield session

    @contextmanager
    def write(self, checked: bool = True) -> Iterator[Session]:
        """A session in one transaction: committed when the block ends, rolled back on error.

        A write inside a write on the same thread joins the outer transaction, so an approval and
        the action it approves commit together. Inside `dry_run` the outermost write rolls back.
        Once the database is known to be damaged every write is refused (DatabaseDamaged), and
        damage met during a write rolls it back whole and refuses the next ones too.
        """
        current: Session | None = getattr(self._local, "session", None)
        if current is not None:
            yield current
            return
        self._refuse_if_damaged()
        if self._lock_guard is not None:
            self._lock_guard.ensure()
        session = self._sessions()
        self._local.session = session
        try:
            with self._naming_collisions(), self._noting_damage():
                try:
                    session.begin()
                    self._begin_immediate(session)
                    if checked:
                        self._check_writer(session)
                    yield session
                    if getattr(self._local, "dry", False):
                        session.rollback()
                    else:
                        session.commit()
                        self._note_written(session)
                except BaseException:
                    session.rollback()
                    raise
        finally:
            self._local.session = None
            session.close()

    def _begin_immediate(self, session: Session) -> None:
        """SQLite: take the write lock when the unit of work starts, not at its first change.

        Two counters writing at once then run one after the other (the second waits up to the busy
        bound), and the second sees what the first wrote: the same month recorded twice is refused
        by the service's own check, not by a unique key in the middle of a commit.
        """
        if self.engine.url.get_backend_name() == "sqlite":
            session.connection().exec_driver_sql("BEGIN IMMEDIATE")

    @contextmanager
    def writing_file(self, path: str | os.PathLike[str] | None, field: str = "out") -> Iterator[StagedFile]:
        """One unit of work that writes a file: the target is checked first (InvalidInput naming
        `field`), the bytes given to the staged file go to a temporary file beside it, and it is
        renamed into place just before the transaction commits. A failure anywhere removes the file
        and rolls the transaction back, so a document is registered only with its file written.

        path None: no file, or one named only later (by a document's number: `StagedFile.write` is
        then given it, and a place it cannot be written still rolls the whole unit back).
        """
        target = check_target(path, field) if path is not None else None
        staged = StagedFile(target, field)
        try:
            with self.write():
                yield staged
                staged.place()
        except BaseException:
            staged.discard()
            raise

    def _note_written(self, session: Session) -> None:
        """Remember the audit sequence numbers a committed transaction of this thread took."""
        from desktop.core import audit

        taken = audit.take_range(session)
        if taken is not None:
            written: list[tuple[int, int]] = getattr(self._local, "written", None) or []
            self._local.written = [*written[-63:], taken]

    def take_written(self) -> list[tuple[int, int]]:
        """The change marks (see `change_mark`) this thread's writes moved since it last asked:
        (mark before, mark after) per committed transaction, oldest first. A window adopts the
        marks of its own writes, so it does not mistake them for someone else's."""
        written: list[tuple[int, int]] = getattr(self._local, "written", None) or []
        self._local.written = []
        return written

    @contextmanager
    def dry_run(self, elevated: bool = False) -> Iterator[None]:
        """Run service calls with every check but write nothing (the outermost write rolls back).

        elevated: skip role checks for the calls inside (a clerk's request is checked as the
        supervisor's action would be, without being performed).
        """
        if self.in_write():
            raise RuntimeError("dry_run inside a write")
        self._local.dry, self._local.elevated = True, elevated
        try:
            yield
        finally:
            self._local.dry = self._local.elevated = False

    @contextmanager
    def elevated(self) -> Iterator[None]:
        """Skip role checks for the calls inside (an approved action performed for its requester)."""
        before = getattr(self._local, "elevated", False)
        self._local.elevated = True
        try:
            yield
        finally:
            self._local.elevated = before

    def quick_rows(self, name: str, build: Callable[[], Any], params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Rows of a small, hot, read-only query (compiled once) on this thread's own connection.

        For look-ups that run on every keystroke or every scanned card: it skips the session and
        statement machinery, so it costs little more than the driver itself. Values come back as
        the driver gives them (no type processing); callers convert. Only the columns SQLite keeps
        small (`models.Compact`) come back as they went in, column by column. Parameters are given
        as the driver takes them.
        """
        compiled = self._compiled.get(name)
        if compiled is None:
            with self._compile_lock:
                stmt = build()
                c = stmt.compile(dialect=self.engine.dialect)
                compact = tuple((i, col.type) for i, col in enumerate(stmt.selected_columns)
                                if isinstance(col.type, Compact)) if self.engine.dialect.name == "sqlite" else ()
                compiled = (str(c), tuple(c.positiontup) if c.positional and c.positiontup else None, compact)
                self._compiled[name] = compiled
        sql, order, compact = compiled
        if self.actor is None or self.actor.must_change:
            self._check_reader()
        conn = getattr(self._local, "driver", None)
        if conn is None:
            with self._noting_damage():
                self._local.conn = self.engine.raw_connection()
                conn = self._local.conn.driver_connection
                if self._autocommit_lookups:
                    # One statement a look-up, so no transaction around it: on a server a BEGIN and
                    # a ROLLBACK are each a round trip (they tripled a look-up's time). In this mode
                    # the connection is this thread's alone: it never goes back to the pool.
                    self._local.conn.detach()
                    conn.rollback()
                    conn.autocommit = True
            self._local.driver = conn
        cur = conn.cursor()
        try:
            with self._noting_damage():
                cur.execute(sql, tuple(params[k] for k in order) if order is not None else dict(params))
                rows: list[tuple[Any, ...]] = cur.fetchall()
        finally:
            cur.close()
            if not self._autocommit_lookups:
                conn.rollback()
        return rows_from_stored(rows, compact) if compact else rows

    @property
    def clock(self) -> Clock:
        """The ledger's clock: every date and timestamp the services write or compare."""
        return self._clock

    @clock.setter
    def clock(self, value: ClockLike) -> None:
        self._clock = as_clock(value)

    def today(self) -> dt.date:
        """Today by the ledger's clock (tests pin it)."""
        return self._clock.today()

    def now(self) -> dt.datetime:
        """The moment by the ledger's clock, local and naive (tests pin it)."""
        return self._clock.now()

    # -- other users of the database ------------------------------------------------------------

    def hold_locks(self) -> bool:
        """Keep this SQLite database's locks in a guard process while it is open here (the window
        does this: Qt may open the file and so drop this process's own locks; see store/guard.py).
        False for PostgreSQL and in-memory databases, which need none."""
        path = sqlite_file(self.engine)
        if path is None or self._lock_guard is not None:
            return False
        guard = LockGuard(path)
        guard.start()
        self._lock_guard = guard
        return True

    @property
    def guard_process(self) -> Any:
        """The lock guard's process (a subprocess.Popen), when there is one."""
        return self._lock_guard.process if self._lock_guard is not None else None

    def release_locks(self) -> None:
        """End the guard (after close(), when nothing here uses the database any more)."""
        guard, self._lock_guard = self._lock_guard, None
        if guard is not None:
            guard.stop()

    def check_locks(self) -> dict[str, Any]:
        """Start the guard again if it ended; then whether it holds its locks and whether this
        process still holds its own (None where that cannot be seen: PostgreSQL, no guard, not
        Linux)."""
        path = sqlite_file(self.engine)
        guard = self._lock_guard
        if guard is not None:
            guard.ensure()
        return {
            "guarded": guard is not None and guard.alive,
            "guard_pid": guard.process.pid if guard and guard.process else None,
            "guard_locks": locks_held(path, guard.process.pid) if path and guard and guard.process else None,
            "own_locks": locks_held(path) if path else None,
            "guard_restarts": guard.restarts if guard else 0,
        }

    def change_mark(self) -> int:
        """A number that grows with every change committed to the database by anyone (the audit
        trail's head), so a window can see that another window or the command line changed data."""
        with self._sessions() as s:
            return int(s.execute(select(AuditHead.seq)).scalar() or 0)

    def close(self) -> None:
        """Release the database connections (a check running on another thread is stopped first)."""
        self.stop_checks()
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = self._local.driver = None
        self.engine.dispose()
