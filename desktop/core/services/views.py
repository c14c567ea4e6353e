"""Who viewed a person's record: one row each time a page is opened, a record read, a statement
printed or a record exported, searchable by supervisors and administrators.

The log is a table of its own (`person_view`), not entries of the hash-chained audit trail: a look
is not a change, it happens far more often than changes, and every window watches the trail's head
to see others' changes, so a view there would make every open window reload. Recording one is one
insert, without the lock on the trail's head. Not synced: what one office's clerks looked at stays
with that office.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import insert, select

from desktop.core.errors import DatabaseDamaged, InvalidInput
from desktop.core.month import parse_date
from desktop.core.security import AUDIT
from desktop.core.services.workers import require_worker
from desktop.core.store.models import PersonView, Worker

if TYPE_CHECKING:
    from desktop.core.ledger import Ledger

WHATS = ("view", "print", "export")


@dataclass(frozen=True)
class PersonViewItem:
    """One look at a person's record, as a search shows it (the person's number unmasked only when
    asked for)."""

    at: dt.datetime
    actor: str
    role: str
    counter: str
    person: str
    name: str
    what: str
    detail: str


class ViewLogService:
    """Record and search who viewed, printed or exported a person's record."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def record(self, person: int | str, what: str = "view", detail: str = "") -> None:
        """Note that the signed-in account looked at the person (their id, or any of their numbers).

        A damaged database is never written to: there the look is not recorded."""
        if what not in WHATS:
            raise InvalidInput("view.what", "what", value=what, known=", ".join(WHATS))
        ledger = self._ledger
        if ledger.damage is not None:
            return
        worker_id = person if isinstance(person, int) else ledger.workers.get(person).id
        actor = ledger.actor
        try:
            with ledger.write(checked=False) as s:
                s.execute(insert(PersonView).values(
                    at=ledger.now().replace(tzinfo=None), actor=actor.name if actor else "-",
                    role=actor.role if actor else "", counter=ledger.counter, worker_id=worker_id,
                    what=what, detail=detail[:200]))
        except DatabaseDamaged:
            return

    def search(self, person: str | None = None, clerk: str | None = None,
               start: dt.date | str | None = None, end: dt.date | str | None = None,
               limit: int = 200, reveal: bool = False) -> list[PersonViewItem]:
        """Looks newest first, by person (any of their numbers), clerk and date range (supervisors
        and administrators). The person's number is masked unless reveal is asked for."""
        from desktop.core.privacy import mask_id

        self._ledger.require(AUDIT)
        first = parse_date(start, "from") if start not in (None, "") else None
        last = parse_date(end, "to") if end not in (None, "") else None
        with self._ledger.read() as s:
            q = select(PersonView, Worker.id_number, Worker.ssn, Worker.name).join(
                Worker, Worker.id == PersonView.worker_id).order_by(PersonView.at.desc(), PersonView.id.desc())
            if person:
                q = q.where(PersonView.worker_id == require_worker(s, person).id)
            if clerk:
                q = q.where(PersonView.actor == clerk.strip())
            if first is not None:
                q = q.where(PersonView.at >= dt.datetime.combine(first, dt.time()))
            if last is not None:
                q = q.where(PersonView.at < dt.datetime.combine(last + dt.timedelta(days=1), dt.time()))
            out = []
            for v, id_number, ssn, name in s.execute(q.limit(max(1, min(limit, 10000)))):
                key = str(id_number or ssn)
                out.append(PersonViewItem(v.at, v.actor, v.role, v.counter, key if reveal else mask_id(key),
                                          str(name), v.what, v.detail))
            return out
