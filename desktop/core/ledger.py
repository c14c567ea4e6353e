"""The Ledger: one facade over an office database, holding every service (like Anki's Collection)."""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from desktop.core.store.engine import Progress, open_engine


class Ledger:
    """An open office database and its services: office, reference, employers, workers,
    contributions, accounts, residents."""

    def __init__(self, engine: Engine, clock: Callable[[], dt.date] = dt.date.today) -> None:
        from desktop.core.services.accounts import AccountService
        from desktop.core.services.contributions import ContributionService
        from desktop.core.services.documents import DocumentService
        from desktop.core.services.employers import EmployerService
        from desktop.core.services.exemptions import ExemptionService
        from desktop.core.services.history import HistoryService
        from desktop.core.services.office import OfficeService, ReferenceService
        from desktop.core.services.residents import ResidentService
        from desktop.core.services.workers import WorkerService

        self.engine = engine
        self.clock = clock
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._local = threading.local()
        self._compiled: dict[str, tuple[str, tuple[str, ...] | None]] = {}
        self._compile_lock = threading.Lock()
        self.office = OfficeService(self)
        self.reference = ReferenceService(self)
        self.employers = EmployerService(self)
        self.workers = WorkerService(self)
        self.contributions = ContributionService(self)
        self.accounts = AccountService(self)
        self.residents = ResidentService(self)
        self.documents = DocumentService(self)
        self.exemptions = ExemptionService(self)
        self.history = HistoryService(self)

    @classmethod
    def open(
        cls, target: str | os.PathLike[str] | None = None, progress: Progress | None = None,
        clock: Callable[[], dt.date] = dt.date.today,
    ) -> Ledger:
        """Open (create, migrate) the database named by --db / SHEBAO_DB / the default path."""
        return cls(open_engine(target, progress), clock)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading."""
        with self._sessions() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session in one transaction: committed when the block ends, rolled back on error."""
        with self._sessions() as session, session.begin():
            yield session

    def quick_rows(self, name: str, build: Callable[[], Any], params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Rows of a small, hot, read-only query (compiled once) on this thread's own connection.

        For look-ups that run on every keystroke or every scanned card: it skips the session and
        statement machinery, so it costs little more than the driver itself. Values come back as
        the driver gives them (no type processing); callers convert.
        """
        compiled = self._compiled.get(name)
        if compiled is None:
            with self._compile_lock:
                c = build().compile(dialect=self.engine.dialect)
                compiled = (str(c), tuple(c.positiontup) if c.positional and c.positiontup else None)
                self._compiled[name] = compiled
        sql, order = compiled
        conn = getattr(self._local, "driver", None)
        if conn is None:
            self._local.conn = self.engine.raw_connection()
            conn = self._local.driver = self._local.conn.driver_connection
        cur = conn.cursor()
        try:
            cur.execute(sql, tuple(params[k] for k in order) if order is not None else dict(params))
            rows: list[tuple[Any, ...]] = cur.fetchall()
        finally:
            cur.close()
            conn.rollback()
        return rows

    def today(self) -> dt.date:
        """Today by the ledger's clock (tests set it)."""
        return self.clock()

    def close(self) -> None:
        """Release the database connections."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = self._local.driver = None
        self.engine.dispose()
