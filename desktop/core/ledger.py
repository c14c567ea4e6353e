"""The Ledger: one facade over an office database, holding every service (like Anki's Collection)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from desktop.core.store.engine import Progress, open_engine


class Ledger:
    """An open office database and its services: office, reference, employers, workers,
    contributions, accounts, residents."""

    def __init__(self, engine: Engine, clock: Callable[[], dt.date] = dt.date.today) -> None:
        from desktop.core.services.accounts import AccountService
        from desktop.core.services.contributions import ContributionService
        from desktop.core.services.employers import EmployerService
        from desktop.core.services.office import OfficeService, ReferenceService
        from desktop.core.services.residents import ResidentService
        from desktop.core.services.workers import WorkerService

        self.engine = engine
        self.clock = clock
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self.office = OfficeService(self)
        self.reference = ReferenceService(self)
        self.employers = EmployerService(self)
        self.workers = WorkerService(self)
        self.contributions = ContributionService(self)
        self.accounts = AccountService(self)
        self.residents = ResidentService(self)

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

    def today(self) -> dt.date:
        """Today by the ledger's clock (tests set it)."""
        return self.clock()

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()
