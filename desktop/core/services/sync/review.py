"""Review: peers, gaps, conflicts and their resolution, months paid twice, this office's clocks."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from desktop.core.errors import Conflict, DatabaseDamaged, InvalidInput, RefusedByRule
from desktop.core.security import SUPERVISE
from desktop.core.services.office import load_office
from desktop.core.services.sync.bookkeeping import clocks, find_gaps, own_missing, set_own_missing
from desktop.core.services.sync.results import IGNORED_IN_CONFLICTS, ConflictInfo, Gap, PeerStatus
from desktop.core.store.models import Contribution, SyncConflict, SyncPeer, TrustedOffice, Worker
from desktop.core.sync import capture
from desktop.core.sync.tables import TABLES, Keys, find_local, local_row, values_of

if TYPE_CHECKING:
    from desktop.core.ledger import Ledger


class Review:
    """What sync left to look at, and this office's sync clocks (status, restore)."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def gaps(self) -> list[Gap]:
        """Changes still missing while later ones are held."""
        with self._ledger.read() as s:
            return find_gaps(s, load_office(s).code)

    def peers(self) -> list[PeerStatus]:
        """Every trusted office with what was last exchanged with it."""
        with self._ledger.read() as s:
            peers = {p.code: p for p in s.scalars(select(SyncPeer))}
            out = []
            for t in s.scalars(select(TrustedOffice).order_by(TrustedOffice.code)):
                p = peers.get(t.code)
                out.append(PeerStatus(t.code, t.name, p.applied_seq if p else 0,
                                      p.last_import_at if p else None, p.last_export_at if p else None,
                                      bool(t.enc_public_key)))
            return out

    def conflicts(self, include_reviewed: bool = False) -> list[ConflictInfo]:
        """Losing edits, newest first (only those not reviewed yet unless asked)."""
        with self._ledger.read() as s:
            q = select(SyncConflict).order_by(SyncConflict.id.desc())
            if not include_reviewed:
                q = q.where(SyncConflict.reviewed_at.is_(None))
            return [ConflictInfo(c.id, c.tbl, c.key, c.winner, c.loser, json.loads(c.winner_data),
                                 json.loads(c.loser_data), c.detected_at, c.reviewed_by, c.resolution)
                    for c in s.scalars(q)]

    def resolve(self, conflict_id: int, take: str) -> ConflictInfo:
        """Review a conflict: keep the winning edit, or take the losing one (a new edit here).

        Taking the losing edit writes it as this office's newest change, which then wins
        everywhere in the next sync.
        """
        self._ledger.require(SUPERVISE)
        if take not in ("winner", "loser"):
            raise InvalidInput("sync.take", "take", value=take)
        with self._ledger.write() as s:
            c = s.get(SyncConflict, conflict_id)
            if c is None:
                raise InvalidInput("sync.conflict_unknown", "conflict", value=conflict_id)
            if c.reviewed_at is not None:
                raise Conflict("sync.conflict_reviewed", "conflict", by=c.reviewed_by or "-")
            if take == "loser":
                spec = TABLES[c.tbl]
                keys = Keys(s.connection())
                data = json.loads(c.loser_data)
                values = values_of(spec, data, keys)
                local = find_local(s.connection(), spec, data, keys)
                obj = local_row(s, spec, local) if local is not None else None
                if obj is None:
                    raise RefusedByRule("sync.conflict_gone", "conflict")
                for name, value in values.items():
                    if name not in IGNORED_IN_CONFLICTS and getattr(obj, name) != value:
                        setattr(obj, name, value)
            c.reviewed_by = self._ledger.actor_name() or "-"
            c.reviewed_at = self._ledger.now().replace(tzinfo=None)
            c.resolution = take
            return ConflictInfo(c.id, c.tbl, c.key, c.winner, c.loser, json.loads(c.winner_data),
                                json.loads(c.loser_data), c.detected_at, c.reviewed_by, c.resolution)

    def duplicate_months(self, worker: str | None = None) -> list[tuple[str, str, int, tuple[str, ...]]]:
        """Months of pension paid in two or more regions for one person: (key, name, month, regions)."""
        with self._ledger.read() as s:
            c = Contribution
            q = (select(c.worker_id, c.month).where(c.scheme == "pension", c.status == "paid")
                 .group_by(c.worker_id, c.month).having(func.count(func.distinct(c.region)) > 1))
            if worker is not None:
                w = self._ledger.workers.get(worker)
                q = q.where(c.worker_id == w.id)
            dup = s.execute(q.order_by(c.worker_id, c.month)).all()
            out = []
            keys = Keys(s.connection())
            for wid, month in dup:
                regions = tuple(sorted(r for (r,) in s.execute(select(c.region).distinct().where(
                    c.worker_id == wid, c.month == month, c.scheme == "pension", c.status == "paid"))))
                name = s.execute(select(Worker.name).where(Worker.id == wid)).scalar_one()
                out.append((keys.of_worker(wid), name, int(month), regions))
            return out

    def state_now(self) -> tuple[int, int] | None:
        """(Lamport time, last change sent out) of this office, or None when it cannot be read."""
        try:
            with self._ledger.read(checked=False) as s:
                row = capture.clocks(s)
        except DatabaseDamaged:
            return None
        return (row[0], row[2]) if row else None

    def after_restore(self, lamport: int, sealed: int) -> tuple[int, int] | None:
        """After a restore: number this office's next changes after `sealed`, the last it had sent
        out before (other offices hold those numbers), and its clock at least at `lamport`.

        Returns the range of its own changes the restored data lacks (sent after the backup was
        made), or None. They are received back from an office that has them (a full file,
        `sync export --full --to` this office); `sync status` shows them as missing meanwhile.
        """
        with self._ledger.write(checked=False) as s:
            now_lamport, own_seq, _sealed = capture.lock_state(s)
            missing: tuple[int, int] | None = None
            if sealed > own_seq:
                missing = (own_seq + 1, sealed)
                known = own_missing(s)
                if known:
                    missing = (min(known[0], missing[0]), sealed)
                set_own_missing(s, missing)
            capture.move_clocks(s, lamport=lamport if lamport > now_lamport else None,
                                own_seq=sealed if missing else None, sealed_seq=sealed if missing else None)
            return missing

    def pending_changes(self) -> int:
        """This office's changes not yet in any exported file."""
        with self._ledger.read() as s:
            _lamport, own_seq, sealed = clocks(s)
            return own_seq - sealed
