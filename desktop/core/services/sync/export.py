"""Export: build a sealed sync file with every change the destination offices may not have yet.

This office's changes not sealed yet are signed into a new segment first; a file for one office or
for all carries the segments of every origin after what the destinations told us they have.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.core import audit_heads, keyhistory
from desktop.core.errors import InvalidInput, RefusedByRule
from desktop.core.keys import Signer, office_signer
from desktop.core.private import write_private
from desktop.core.progress import Progress, without_gc
from desktop.core.security import ADMIN, COUNTER
from desktop.core.services.office import load_office
from desktop.core.services.sync.bookkeeping import clocks, new_peer, ranges
from desktop.core.services.sync.results import ExportResult
from desktop.core.store.engine import SCHEMA_REVISION
from desktop.core.store.models import OfficeSetting, SyncFile, SyncPeer, SyncSegment, TrustedOffice
from desktop.core.sync import capture, container
from desktop.core.sync.container import Segment

if TYPE_CHECKING:
    from desktop.core.ledger import Ledger


class Exporter:
    """Write sync files (to a path, or into the outbox folder) and keep the outbox setting."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    @without_gc
    def export(self, out: str | os.PathLike[str], to: str | None = None, full: bool = False,
               progress: Progress | None = None) -> ExportResult:
        """Write a sync file with every change the destination(s) may not have yet.

        Without `to`, the file is for every trusted office (each can open it). `full` sends every
        change from the start (a snapshot to seed a new office or a reinstalled machine).
        A destination's "has" is only what it told us in its own files, so a lost file is sent
        again in the next one: nothing is lost, and the importer skips what it already has.
        """
        self._ledger.require(COUNTER)
        target = Path(out)
        if not target.parent.exists():
            raise InvalidInput("path.folder", "out", path=str(target.parent))
        with self._ledger.write() as s:
            office = load_office(s)
            capture.capture_baseline(self._ledger, s)
            sealed = self._seal(s, office.code, office_signer(office))
            trusted = {t.code: t for t in s.scalars(select(TrustedOffice))}
            if to is not None:
                if to.strip() not in trusted:
                    raise RefusedByRule("sync.unknown_office", "to", office=to)
                dests = [trusted[to.strip()]]
            else:
                dests = list(trusted.values())
            if not dests:
                raise RefusedByRule("sync.no_offices", "to")
            missing_key = [d.code for d in dests if not d.enc_public_key]
            if missing_key:
                raise RefusedByRule("sync.no_key", "to", office=", ".join(missing_key))
            peers = {p.code: p for p in s.scalars(select(SyncPeer))}
            has = {d.code: ({} if full or d.code not in peers else json.loads(peers[d.code].has_json))
                   for d in dests}
            origins = [o for (o,) in s.execute(select(SyncSegment.origin).distinct())]
            segments: list[Segment] = []
            for origin in sorted(origins):
                start = min(int(h.get(origin, 0)) for h in has.values())
                for seg in s.scalars(select(SyncSegment).where(
                        SyncSegment.origin == origin, SyncSegment.last_seq > start).order_by(SyncSegment.first_seq)):
                    if sealed is not None and (origin, seg.first_seq) == (sealed.origin, sealed.first):
                        segments.append(sealed)  # just sealed: its changes are in memory already
                        continue
                    rows = capture.changes(s, origin, seg.first_seq - 1, seg.last_seq)
                    segments.append(Segment(origin, seg.first_seq, seg.last_seq, seg.digest, seg.signature,
                                            seg.sealed_at, rows))
            vector = self._vector(s, office.code)
            now = self._ledger.now().replace(tzinfo=None)
            manifest = {
                "kind": "shebao-sync", "schema": SCHEMA_REVISION, "app_version": _app_version(),
                "sender": office.code, "sender_name": office.name, "sender_region": office.region,
                "to": sorted(d.code for d in dests), "created": now.isoformat(sep=" ", timespec="seconds"),
                "full": full, "has": vector,
                "ranges": ranges(segments),
                "counts": {"segments": len(segments), "changes": sum(len(x.changes) for x in segments)},
                # this office's audit head, and the heads it saw of each destination (audit_heads)
                **audit_heads.manifest_heads(s, (d.code for d in dests)),
                # the sender's key rotations and revocations, so a file signed with a new key is
                # accepted by offices that knew only the old one (covered by the file's signature)
                "announcements": keyhistory.announcements(keyhistory.load(s, office.code)),
                # and those of the other offices whose changes it relays (a hub's files)
                "origin_announcements": _relayed_announcements(s, office.code, segments),
            }
            if progress:
                progress(1, 3)
            raw = container.pack(manifest, segments,
                                 {d.code: str(d.enc_public_key) for d in dests}, office_signer(office))
            digest = hashlib.sha256(raw).hexdigest()
            tmp = target.with_name(target.name + ".part")
            write_private(tmp, raw)
            os.replace(tmp, target)
            for d in dests:
                peer = peers.get(d.code) or new_peer(s, d.code)
                peer.last_export_at = now
            n = sum(len(x.changes) for x in segments)
            s.add(SyncFile(sha256=digest, direction="out", peer=",".join(sorted(d.code for d in dests)),
                           changes=n, applied=0, at=now))
        if progress:
            progress(3, 3)
        return ExportResult(str(target), n, len(segments), digest, tuple(sorted(d.code for d in dests)), len(raw))

    def _vector(self, s: Session, own: str) -> dict[str, int]:
        vector = {p.code: p.applied_seq for p in s.scalars(select(SyncPeer)) if p.applied_seq}
        sealed = clocks(s)[2]
        if sealed:
            vector[own] = int(sealed)
        return vector

    def _seal(self, s: Session, origin: str, signer: Signer) -> Segment | None:
        """Sign this office's changes not sealed yet into a new segment (None: there were none)."""
        _lamport, own_seq, sealed = capture.lock_state(s)
        if own_seq <= sealed:
            return None
        changes = capture.changes(s, origin, sealed)
        at = self._ledger.now().replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
        seg = container.seal(origin, changes, signer, at)
        s.add(SyncSegment(origin=origin, first_seq=seg.first, last_seq=seg.last, digest=seg.digest,
                          signature=seg.signature, sealed_at=at))
        capture.mark_sealed(s, seg.last)
        return seg

    def outbox(self) -> str | None:
        """The folder `sync outbox` writes files into (None: not set)."""
        with self._ledger.read() as s:
            row = s.get(OfficeSetting, "sync.outbox")
            return row.value if row else None

    def set_outbox(self, folder: str | None) -> str | None:
        """Set (or with None/"" clear) the outbox folder; it must exist."""
        self._ledger.require(ADMIN)
        value = str(folder or "").strip()
        if value and not Path(value).is_dir():
            raise InvalidInput("path.folder", "outbox", path=value)
        with self._ledger.write() as s:
            row = s.get(OfficeSetting, "sync.outbox")
            if not value:
                if row is not None:
                    s.delete(row)
                return None
            if row is None:
                s.add(OfficeSetting(key="sync.outbox", value=value))
            else:
                row.value = value
        return value

    def export_to_outbox(self, folder: str | None = None) -> ExportResult:
        """Export for every trusted office into the outbox folder, named by office and time."""
        target = folder or self.outbox()
        if not target:
            raise InvalidInput("sync.no_outbox", "outbox")
        if not Path(target).is_dir():
            raise InvalidInput("path.folder", "outbox", path=target)
        code = self._ledger.office.get().code
        stamp = self._ledger.now().strftime("%Y%m%d-%H%M%S")
        return self.export(Path(target) / f"{code}-{stamp}.sync")


def _relayed_announcements(s: Session, own: str, segments: list[Segment]) -> dict[str, list[dict[str, object]]]:
    """The key announcements of each other origin of the segments (those that have any)."""
    found = {}
    for origin in sorted({seg.origin for seg in segments} - {own}):
        made = keyhistory.announcements(keyhistory.load(s, origin))
        if made:
            found[origin] = made
    return found


def _app_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("shebao-desk")
    except PackageNotFoundError:
        return "0"
