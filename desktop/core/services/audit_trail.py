"""Reading the audit trail: verify its hash chain, search it by person, clerk and date."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from desktop.core.audit import GENESIS, entry_hash
from desktop.core.messages import render
from desktop.core.month import parse_date
from desktop.core.privacy import scrub
from desktop.core.security import AUDIT
from desktop.core.services.workers import require_worker
from desktop.core.store.models import AuditEntry, AuditHead

if TYPE_CHECKING:
    from desktop.core.ledger import Ledger

_COLUMNS = ("seq", "at", "actor", "role", "counter", "action", "table_name", "row_id", "worker_id",
            "before_json", "after_json", "note", "prev_hash", "hash")


@dataclass(frozen=True)
class AuditVerdict:
    """What walking the chain found: valid, how many entries, the first bad position and why."""

    valid: bool
    entries: int
    first_bad: int | None
    reason: str  # message key: audit.ok | audit.edited | audit.missing | audit.extra | audit.head ...
    head_seq: int
    head_hash: str

    def message(self, lang: str = "zh") -> str:
        """The finding in words."""
        return render(self.reason, lang, seq=self.first_bad, entries=self.entries)


@dataclass(frozen=True)
class AuditItem:
    """One entry of the trail as a search shows it."""

    seq: int
    at: dt.datetime
    actor: str
    role: str
    counter: str
    action: str
    table: str
    row_id: str | None
    worker_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    note: str

    def changes(self, limit: int = 300) -> str:
        """What changed in one line: `field: old → new` for updates, the values for the others."""
        if self.action == "update" and self.after is not None:
            before = self.before or {}
            text = "; ".join(f"{k}: {_short(before.get(k))} → {_short(v)}" for k, v in self.after.items())
        else:
            values = self.after if self.after is not None else (self.before or {})
            text = ", ".join(f"{k}={_short(v)}" for k, v in values.items() if v not in (None, ""))
        return text if len(text) <= limit else text[:limit - 1] + "…"


def _short(value: Any) -> str:
    text = "—" if value is None else str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _masked(text: str | None, reveal: bool) -> dict[str, Any] | None:
    if text is None:
        return None
    data: dict[str, Any] = json.loads(scrub(text) if not reveal else text)
    return data


class AuditService:
    """Verify and search the audit trail (supervisors and administrators)."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def verify(self, anchor: tuple[int, str] | None = None) -> AuditVerdict:
        """Walk the chain: each entry's hash, its link to the previous one, no gaps, the head.

        anchor: a (seq, hash) noted earlier outside the database (printed, or from a backup's
        header); the entry at seq must still have that hash, which also catches a rewritten chain.
        """
        self._ledger.require(AUDIT)
        with self._ledger.read() as s:
            head_row = s.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)).first()
            head = (int(head_row[0]), str(head_row[1])) if head_row else (0, GENESIS)
            cols = [getattr(AuditEntry, c) for c in _COLUMNS]
            stmt = select(*cols).order_by(AuditEntry.seq, AuditEntry.id).execution_options(yield_per=5000)
            prev, expected, count = GENESIS, 1, 0

            def bad(seq: int, reason: str) -> AuditVerdict:
                return AuditVerdict(False, count, seq, reason, head[0], head[1])

            for values in s.execute(stmt):
                row = dict(zip(_COLUMNS, values, strict=True))
                count += 1
                seq = int(row["seq"])
                if seq < expected:
                    return bad(seq, "audit.extra")
                if seq > expected:
                    return bad(expected, "audit.missing")
                if row["prev_hash"] != prev:
                    return bad(seq, "audit.link")
                if entry_hash(row, prev) != row["hash"]:
                    return bad(seq, "audit.edited")
                if anchor is not None and seq == anchor[0] and row["hash"] != anchor[1]:
                    return bad(seq, "audit.anchor")
                prev, expected = row["hash"], expected + 1
        last = expected - 1
        if head != (last, prev):
            return AuditVerdict(False, count, min(last + 1, head[0]) if head[0] > last else last,
                                "audit.head", head[0], head[1])
        if anchor is not None and anchor[0] > last:
            return AuditVerdict(False, count, last + 1, "audit.anchor", head[0], head[1])
        return AuditVerdict(True, count, None, "audit.ok", head[0], head[1])

    def head(self) -> tuple[int, str]:
        """The newest entry's sequence number and hash (to note down as an anchor)."""
        with self._ledger.read(checked=False) as s:
            row = s.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)).first()
            return (int(row[0]), str(row[1])) if row else (0, GENESIS)

    def search(self, person: str | None = None, clerk: str | None = None,
               start: dt.date | str | None = None, end: dt.date | str | None = None,
               table: str | None = None, limit: int = 200, reveal: bool = False) -> list[AuditItem]:
        """Entries newest first, by person (any of their numbers), clerk, date range and table.

        ID numbers and phones in the values are masked unless reveal is asked for.
        """
        self._ledger.require(AUDIT)
        first = _date(start, "from")
        last = _date(end, "to")
        with self._ledger.read() as s:
            q = select(AuditEntry).order_by(AuditEntry.seq.desc())
            if person:
                w = require_worker(s, person)
                q = q.where(AuditEntry.worker_id == w.id)
            if clerk:
                q = q.where(AuditEntry.actor == clerk.strip())
            if first is not None:
                q = q.where(AuditEntry.at >= dt.datetime.combine(first, dt.time()))
            if last is not None:
                q = q.where(AuditEntry.at < dt.datetime.combine(last + dt.timedelta(days=1), dt.time()))
            if table:
                q = q.where(AuditEntry.table_name == table)
            return [AuditItem(e.seq, e.at, e.actor, e.role, e.counter, e.action, e.table_name, e.row_id,
                              e.worker_id, _masked(e.before_json, reveal), _masked(e.after_json, reveal),
                              e.note if reveal else scrub(e.note))
                    for e in s.scalars(q.limit(max(1, min(limit, 10000))))]


def _date(value: dt.date | str | None, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    return parse_date(value, field)
