"""Import: verify a sync file completely, then apply what is new in one transaction.

Import checks everything before it applies anything: the file's shape, the sender (trusted; its key
announcements against the keys trusted here, then its signature over the whole file), the body
(decrypted with this office's key), every segment (its origin trusted, its digest and the origin's
signature), and the manifest against the segments. Then one transaction applies the changes no one
applied here before, in per-origin sequence order. A segment that starts after a gap is kept (held)
until the missing changes arrive; it is never applied with a hole.

Concurrent edits of one record at two offices: the change with the higher (Lamport time, origin
code) wins at every office, whatever order the files arrive in; when neither edit had seen the
other, the losing one is kept in `sync_conflict` for a clerk to review, never dropped silently.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
from dataclasses import dataclass, field
from decimal import InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.exc import NoResultFound
from sqlalchemy.orm import Session

from desktop.core import audit, audit_heads, keyhistory
from desktop.core.errors import Conflict, IntegrityFailure, InvalidInput
from desktop.core.keys import office_decryption_keys
from desktop.core.private import write_private
from desktop.core.progress import Progress, without_gc
from desktop.core.security import COUNTER
from desktop.core.services.office import load_office
from desktop.core.services.sync.bookkeeping import (
    find_gaps,
    new_peer,
    own_missing,
    ranges,
    set_own_missing,
)
from desktop.core.services.sync.results import IGNORED_IN_CONFLICTS, ImportResult
from desktop.core.store import line_store
from desktop.core.store.engine import known_revisions
from desktop.core.store.models import (
    SyncConflict,
    SyncFile,
    SyncHeld,
    SyncPeer,
    SyncSegment,
    TrustedOffice,
)
from desktop.core.sync import capture, container
from desktop.core.sync.container import Segment
from desktop.core.sync.rows import BulkRows, insert_many, parse_data
from desktop.core.sync.stored import TABLE_CODES, key_hash
from desktop.core.sync.tables import (
    TABLES,
    Keys,
    MissingReference,
    dumps,
    find_local,
    local_row,
    record_key,
    values_of,
)

if TYPE_CHECKING:
    from desktop.core.ledger import Ledger

log = logging.getLogger("desktop.core.services.sync")  # the name it had before the split

FIRST_SYNC_SCHEMA = "0007"


@dataclass(slots=True)
class _Incoming:
    origin: str
    seq: int
    lamport: int
    tbl: str
    key: str
    base: str | None
    data: str
    at: str
    parsed: dict[str, Any] = field(default_factory=dict)
    khash: int | None = None  # key_hash(tbl, key), once the record's versions were looked up
    ref: int | None = None  # the row inserted from it whose data is exactly its data (kept by reference)

    @property
    def vid(self) -> str:
        return f"{self.origin}:{self.seq}"

    def named(self) -> bool | None:
        """Whether the key is the record key of the parsed data (None: not parsed)."""
        return record_key(TABLES[self.tbl], self.parsed) == self.key if self.parsed else None

    def row(self) -> tuple[Any, ...]:
        """The change with its origin, as `capture.store_applied` takes it (capture.CHANGE_COLUMNS)."""
        return (self.origin, self.seq, self.lamport, self.tbl, self.key, self.base, self.data, self.at)


def _version_id(v: tuple[int, str, int]) -> str:
    return f"{v[1]}:{v[2]}"


def _trusted_signers(history: list[keyhistory.KeyRecord], at: dt.datetime) -> list[str]:
    """The public keys an office's files and segments made at `at` may be signed with: its signing
    keys not revoked by then (a key revoked from a later moment still counts), the current one first."""
    return [k.public_key for k in keyhistory.signing_keys(history) if k.revoked_at is None or k.revoked_at > at]


def _sealed_at(seg: Segment) -> dt.datetime:
    """When a segment says it was sealed (unreadable: as late as can be, so only unrevoked keys count)."""
    try:
        return dt.datetime.fromisoformat(seg.sealed_at).replace(tzinfo=None)
    except ValueError:
        return dt.datetime.max


def _check_file_signature(opened: container.Opened, history: list[keyhistory.KeyRecord], now: dt.datetime) -> None:
    """Refuse unless one of the sender's signing keys not revoked now signed the file."""
    keys = _trusted_signers(history, now)
    for pem in keys[:-1]:
        try:
            container.check_signature(opened, pem)
        except IntegrityFailure:
            continue
        return
    container.check_signature(opened, keys[-1] if keys else history[0].public_key)


def _verify_segment(seg: Segment, history: list[keyhistory.KeyRecord]) -> None:
    """Refuse unless one of the origin's trusted signing keys sealed the segment (a segment sealed
    before a rotation is relayed with the key it was sealed with, and counts while that key was not
    yet revoked when it was sealed)."""
    keys = _trusted_signers(history, _sealed_at(seg))
    for pem in keys[:-1]:
        try:
            seg.verify(pem)
        except IntegrityFailure as exc:
            if exc.key != "sync.segment_signature":
                raise
            continue
        return
    seg.verify(keys[-1] if keys else history[0].public_key)


class Importer:
    """Read sync files: verify, apply (last writer wins), hold segments after a gap."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    @without_gc
    def import_file(self, path: str | os.PathLike[str], progress: Progress | None = None) -> ImportResult:
        """Verify a sync file completely, then apply what is new in one transaction."""
        self._ledger.require(COUNTER)
        p = Path(path)
        try:
            raw = p.read_bytes()
        except OSError:
            raise InvalidInput("file.unreadable", "file", path=str(p)) from None
        digest = hashlib.sha256(raw).hexdigest()
        opened = container.open_file(raw)
        h = opened.header
        self._check_version(h)
        sender = str(h.get("sender", ""))
        with self._ledger.read() as s:
            office = load_office(s)
            trusted = {t.code: t for t in s.scalars(select(TrustedOffice))}
            seen = s.execute(select(SyncFile.at).where(SyncFile.sha256 == digest,
                                                       SyncFile.direction == "in")).scalar()
            histories = {code: keyhistory.history_or_first(s, code, t.public_key, t.enc_public_key, t.trusted_at)
                         for code, t in trusted.items()}
            histories[office.code] = keyhistory.history_or_first(s, office.code, office.public_key,
                                                                 office.enc_public_key, office.created_at)
        if sender == office.code:
            raise Conflict("sync.own_file", "file")
        if sender not in trusted:
            raise IntegrityFailure("sync.untrusted", "file", office=sender)
        # The sender's key announcements first (a file signed with its new key must be accepted),
        # each checked against the keys trusted here; recorded only once the whole file is checked.
        announced = h.get("announcements") or []
        if not isinstance(announced, list):
            raise IntegrityFailure("keys.announcement_format", "file", office=sender)
        before = dict(histories)
        histories[sender] = keyhistory.extend(before[sender], sender, announced)
        relayed = h.get("origin_announcements") or {}
        if not isinstance(relayed, dict):
            raise IntegrityFailure("keys.announcement_format", "file", office=sender)
        for origin, made in relayed.items():
            if origin in trusted and origin != sender:  # an office not trusted here stays untrusted
                histories[origin] = keyhistory.extend(histories[origin], origin, made if isinstance(made, list)
                                                       else [None])
        _check_file_signature(opened, histories[sender], self._ledger.now().replace(tzinfo=None))
        decryption_keys = office_decryption_keys(office)
        if not decryption_keys:
            raise IntegrityFailure("sync.not_for_us", "file", to=", ".join(map(str, h.get("to", []))))
        if seen is not None:
            raise Conflict("sync.already_imported", "file", when=seen.strftime("%Y-%m-%d %H:%M"))
        segments = container.decrypt(opened, office.code, decryption_keys)
        if progress:
            progress(1, 4)
        stated = h.get("counts")
        counts: dict[str, Any] = stated if isinstance(stated, dict) else {}
        if ranges(segments) != h.get("ranges") or counts.get("segments") != len(segments) or \
                counts.get("changes") != sum(len(x.changes) for x in segments):
            raise IntegrityFailure("sync.manifest", "file")
        for seg in segments:
            if seg.origin not in histories:
                raise IntegrityFailure("sync.untrusted_origin", "file", office=seg.origin)
            _verify_segment(seg, histories[seg.origin])
        if progress:
            progress(2, 4)
        changed = [code for code, history in histories.items() if history != before[code]]
        if changed:
            with self._ledger.write() as s:
                for code in changed:
                    keyhistory.save(s, code, histories[code], self._ledger.now())
        result = self._apply(segments, h, digest, office.code, p.name)
        self._keep_received(raw, sender, digest)
        if progress:
            progress(4, 4)
        return result

    def received_folder(self) -> Path | None:
        """Where every imported sync file is kept, beside a SQLite database (`office.db.sync-received`),
        so that a recovery from a backup can import them again. None on PostgreSQL: the server's
        own backups and replication are the hub's recovery, and its counters share no folder."""
        database = self._ledger.engine.url.database
        if self._ledger.engine.url.get_backend_name() == "sqlite" and database and database != ":memory:":
            db = Path(database)
            return db.with_name(f"{db.name}.sync-received")
        return None

    def _keep_received(self, raw: bytes, sender: str, digest: str) -> None:
        """Keep a copy of an imported file, named by sender, time and hash (it stays encrypted)."""
        folder = self.received_folder()
        if folder is None:
            return
        stamp = self._ledger.now().strftime("%Y%m%d-%H%M%S")
        target = folder / f"{sender}-{stamp}-{digest[:12]}.sync"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(target.name + ".part")
            write_private(tmp, raw)
            os.replace(tmp, target)
        except OSError as exc:  # the import itself is done; a recovery would name the file
            log.warning("could not keep a copy of the imported sync file: %s", exc)

    def _check_version(self, h: dict[str, Any]) -> None:
        fmt, schema = h.get("format"), str(h.get("schema", ""))
        known = known_revisions()
        if not isinstance(fmt, int) or fmt > container.FORMAT or (schema and schema not in known):
            raise IntegrityFailure("sync.newer", "file", version=str(h.get("app_version", "?")))
        if fmt not in container.FORMATS:
            raise IntegrityFailure("sync.not_ours", "file")
        if schema not in known or known.index(schema) < known.index(FIRST_SYNC_SCHEMA):
            raise IntegrityFailure("sync.not_ours", "file")
        if h.get("kind") != "shebao-sync":
            raise IntegrityFailure("sync.not_ours", "file")

    def _apply(self, segments: list[Segment], h: dict[str, Any], digest: str, own: str,
               name: str = "") -> ImportResult:
        now = self._ledger.now().replace(tzinfo=None)
        sender = str(h["sender"])
        with self._ledger.write() as s:
            capture.applying(s)
            audit.note(s, f"sync import from {sender}: {digest[:16]}" + (f" ({name})" if name else ""))
            _lamport, own_seq, _sealed = capture.lock_state(s)
            peers = {p.code: p for p in s.scalars(select(SyncPeer))}
            applied_to = {code: p.applied_seq for code, p in peers.items()}
            missing = own_missing(s)
            # Own changes lost in a restore come back like another office's, from the first missing.
            applied_to[own] = missing[0] - 1 if missing else own_seq
            held = {(x.origin, x.first_seq): x for x in s.scalars(select(SyncHeld))}
            pool: dict[str, dict[int, tuple[Segment, SyncHeld | None]]] = {}
            for seg in segments:
                if seg.origin == own and seg.last > own_seq:
                    raise IntegrityFailure("sync.own_ahead", "file", seq=seg.last, own=own_seq)
                pool.setdefault(seg.origin, {})[seg.first] = (seg, None)
            for (origin, first), row in held.items():
                if first not in pool.get(origin, {}):
                    pool.setdefault(origin, {})[first] = (Segment.from_json(json.loads(row.body)), row)
            incoming: list[_Incoming] = []
            already = newly_held = 0
            for origin, by_first in sorted(pool.items()):
                done = applied_to.get(origin, 0)
                limit = missing[1] if origin == own and missing else None  # own: only what was lost
                for first in sorted(by_first):
                    seg, held_row = by_first[first]
                    if seg.last <= done or (limit is not None and seg.first > limit):
                        if held_row is None:
                            already += len(seg.changes)
                        else:
                            s.delete(held_row)
                        continue
                    if seg.first > done + 1:
                        if held_row is None and (origin, seg.first) not in held:
                            s.add(SyncHeld(origin=origin, first_seq=seg.first, last_seq=seg.last,
                                           body=json.dumps(seg.as_json(), ensure_ascii=False), received_at=now))
                            newly_held += len(seg.changes)
                        continue
                    if held_row is None:
                        already += done - seg.first + 1
                    else:
                        s.delete(held_row)
                    # (each change's field types were checked when the segment was read)
                    fresh = seg.changes[done - seg.first + 1:]
                    if limit is not None:
                        fresh = fresh[:limit - done]
                    incoming.extend(_Incoming(origin, *c) for c in fresh)
                    done = seg.last if limit is None else min(seg.last, limit)
                    if (origin != own or missing) and s.execute(select(SyncSegment.id).where(
                            SyncSegment.origin == origin, SyncSegment.first_seq == seg.first)).first() is None:
                        s.add(SyncSegment(origin=origin, first_seq=seg.first, last_seq=seg.last,
                                          digest=seg.digest, signature=seg.signature, sealed_at=seg.sealed_at))
                applied_to[origin] = done
            told = {str(k): int(v) for k, v in dict(h.get("has", {})).items()}
            mine = json.loads(peers[sender].has_json or "{}") if sender in peers else {}
            if not incoming and not newly_held and segments and \
                    any(told.get(k, 0) < int(v) for k, v in mine.items()):
                raise Conflict("sync.nothing_new", "file")  # older than a file already read from the sender
            conflicts = self._apply_changes(s, incoming, now, digest)
            capture.store_applied(s, [c.row() for c in incoming], [c.named() for c in incoming],
                                  [c.khash for c in incoming], [c.ref for c in incoming])
            if missing:
                set_own_missing(s, (applied_to[own] + 1, missing[1]) if applied_to[own] < missing[1] else None)
            for origin, seq in applied_to.items():
                if origin == own:
                    continue
                peer = peers.get(origin) or new_peer(s, origin)
                peers[origin] = peer
                peer.applied_seq = seq
            sp = peers.get(sender) or new_peer(s, sender)
            sp.has_json = json.dumps({k: max(int(mine.get(k, 0)), told.get(k, 0)) for k in set(mine) | set(told)},
                                     sort_keys=True)
            sp.last_import_at = now
            s.add(SyncFile(sha256=digest, direction="in", peer=sender, changes=sum(len(x.changes) for x in segments),
                           applied=len(incoming), at=now))
            audit_heads.receive(s, h, own, now)
            s.flush()
            gaps = find_gaps(s, own)
        return ImportResult(sender, len(incoming), already, conflicts, newly_held, tuple(gaps), digest)

    def _apply_changes(self, s: Session, incoming: list[_Incoming], now: dt.datetime, digest: str) -> int:
        """Apply changes (last writer wins by Lamport time, then origin); returns conflicts recorded."""
        if not incoming:
            return 0
        conn = s.connection()
        keys = Keys(conn)
        incoming.sort(key=lambda c: (TABLES[c.tbl].rank if c.tbl in TABLES else 99, c.lamport, c.origin, c.seq))
        versions = self._versions(s, incoming)
        by_id: dict[str, _Incoming] = {}  # every change by version id, made at the first possible conflict
        replaced = {c.base for c in incoming if c.base}  # versions a later change in the file builds on
        unknown = {c.tbl for c in incoming} - TABLES.keys()
        if unknown:
            raise IntegrityFailure("sync.unknown_table", "file", table=", ".join(sorted(unknown)))
        for c in incoming:
            c.parsed = parse_data(TABLES[c.tbl], c.data)
        keys.load_workers({str(c.parsed["worker"]) for c in incoming if "worker" in c.parsed})
        worker_spec = TABLES["worker"]
        try:
            arriving = {record_key(worker_spec, c.parsed) for c in incoming if c.tbl == "worker"}
        except KeyError:
            raise IntegrityFailure("sync.damaged", "file") from None
        keys.load_workers(arriving)
        absent = arriving - keys.worker_id.keys()  # people not stored here before this import
        conflicts = 0
        # New contribution rows go in with one bulk INSERT at the end (the last winning state of
        # each). Which are new is decided once the people and employers (lower rank) are applied,
        # so the contributions of people arriving in the same file take the bulk path too.
        bulk: dict[tuple[str, str], dict[str, Any]] = {}
        bulk_change: dict[tuple[str, str], _Incoming] = {}  # the change each bulk row is made from
        new_contribs: set[tuple[str, str]] | None = None
        contribution_rank = TABLES["contribution"].rank
        # New rows of a rank are flushed together before the next rank (which refers to them).
        pending: dict[tuple[str, str], dict[str, Any]] = {}
        fresh: set[int] = set()  # ids of the people this import stores for the first time
        rank: int | None = None
        lane = False  # contributions all new: inserted without the loop
        try:
            for c in incoming:
                spec = TABLES[c.tbl]
                if spec.rank != rank:
                    self._flush_new(s, pending, keys, fresh, digest)
                    rank = spec.rank
                if new_contribs is None and spec.rank >= contribution_rank:
                    new_contribs = self._new_contributions(conn, keys, incoming, versions, fresh)
                    contribs = [x for x in incoming if x.tbl == "contribution"]
                    if len(new_contribs) == len(contribs):
                        # Every contribution is new here and comes once: no version to weigh, no
                        # conflict possible, so they skip the loop and go straight to the bulk insert.
                        bulk = {(x.tbl, x.key): x.parsed for x in contribs}
                        bulk_change = {(x.tbl, x.key): x for x in contribs}
                        lane = True
                if lane and c.tbl == "contribution":
                    continue
                record = (c.tbl, c.key)
                cur = versions.get(record)
                wins = cur is None or (c.lamport, c.origin) > (cur[0], cur[1])
                if cur is not None and not by_id:
                    by_id.update((x.vid, x) for x in incoming)
                if cur is not None and (wins or c.vid not in replaced) and not self._related(s, by_id, c, cur):
                    loser_id, winner_id = (_version_id(cur), c.vid) if wins else (c.vid, _version_id(cur))
                    loser = self._data_of(s, by_id, cur) if wins else c.parsed
                    winner = c.parsed if wins else self._data_of(s, by_id, cur)
                    if {k: v for k, v in loser.items() if k not in IGNORED_IN_CONFLICTS} != \
                            {k: v for k, v in winner.items() if k not in IGNORED_IN_CONFLICTS}:
                        s.add(SyncConflict(tbl=c.tbl, key=c.key, winner=winner_id, loser=loser_id,
                                           winner_data=dumps(winner), loser_data=dumps(loser), detected_at=now))
                        conflicts += 1
                if not wins:
                    continue
                versions[record] = (c.lamport, c.origin, c.seq)
                if new_contribs is not None and (record in new_contribs or record in bulk):
                    bulk[record] = c.parsed  # (only contribution keys are in either)
                    bulk_change[record] = c
                    continue
                self._upsert(s, conn, spec, c.parsed, keys, pending, absent)
            self._flush_new(s, pending, keys, fresh, digest)
            if bulk:
                builder = BulkRows(TABLES["contribution"], keys, conn.dialect.name)
                rows = builder.rows(bulk.values())
                mark = capture.row_mark(s, "contribution")
                insert_many(s, "contribution", builder.columns, rows)
                # each row's change kept by reference where the row gives its data back exactly
                changes = [bulk_change[k] for k in bulk]
                for c, ref in zip(changes, capture.referable(
                        s, "contribution", mark, builder.columns, rows, [c.data for c in changes],
                        keys.worker_key, keys.employer_key), strict=True):
                    c.ref = ref
        except MissingReference as err:
            raise IntegrityFailure("sync.missing_ref", "file", kind=err.kind, ref=err.key) from None
        if bulk:
            audit.record_bulk(self._ledger, s, "contribution", {"sync": digest, "rows_from_sync": len(bulk)})
        return conflicts

    def _new_contributions(self, conn: Any, keys: Keys, incoming: list[_Incoming],
                           versions: dict[tuple[str, str], tuple[int, str, int]],
                           fresh: set[int]) -> set[tuple[str, str]]:
        """Contribution keys with no version here and no local row: inserted in bulk.

        A person first stored by this import (fresh) has no rows yet: not looked up.
        """
        contribs = [c for c in incoming if c.tbl == "contribution" and (c.tbl, c.key) not in versions]
        persons: list[Any] = [c.parsed.get("worker") for c in contribs]
        try:
            keys.load_workers({str(p) for p in persons if p not in keys.worker_id})
            wids = list(map(keys.worker_id.get, persons))
        except TypeError:  # not a key at all
            raise IntegrityFailure("sync.damaged", "file") from None
        # A person first stored by this import has no rows yet: nothing to look up.
        new = {(c.tbl, c.key) for c, wid in zip(contribs, wids, strict=True) if wid in fresh}
        cands: dict[tuple[int, int, int, str], tuple[str, str]] = {}
        for c, wid in zip(contribs, wids, strict=True):
            if wid is None or wid in fresh:
                continue  # (a person not known here is refused when the record is stored)
            d = c.parsed
            eid = keys.employer(str(d.get("employer")))
            if eid is None:
                continue
            try:
                cands[(wid, eid, int(d["month"]), str(d["scheme"]))] = (c.tbl, c.key)
            except (KeyError, TypeError, ValueError):
                continue  # refused as damaged when it is stored
        found = line_store.ids_of(conn, list(cands))
        return new | {v for k, v in cands.items() if k not in found}

    def _upsert(self, s: Session, conn: Any, spec: Any, data: dict[str, Any], keys: Keys,
                pending: dict[tuple[str, str], dict[str, Any]], absent: set[str]) -> None:
        """Store a record's winning state: a new row (inserted in bulk with its rank), or an update."""
        try:
            key = record_key(spec, data)
            if (spec.name, key) in pending:
                pending[(spec.name, key)] = data  # new here, and changed again later in the file
                return
            if spec.name == "worker" and key in absent:  # looked up once for the whole file
                local = keys.worker_id.get(key)
            else:
                local = find_local(conn, spec, data, keys)
            if local is None:
                pending[(spec.name, key)] = data
                return
            values = values_of(spec, data, keys)
        except (KeyError, TypeError, ValueError, InvalidOperation):
            raise IntegrityFailure("sync.damaged", "file") from None
        obj = local_row(s, spec, local)
        for name, value in values.items():
            if getattr(obj, name) != value:
                setattr(obj, name, value)

    def _flush_new(self, s: Session, pending: dict[tuple[str, str], dict[str, Any]], keys: Keys,
                   fresh: set[int], digest: str) -> None:
        """Insert the new records of a rank in bulk and note the local ids of new people and employers."""
        if not pending:
            return
        s.flush()  # updates made so far go first
        by_table: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        for (tbl, key), data in pending.items():
            by_table.setdefault(tbl, []).append((key, data))
        dialect = s.connection().dialect.name
        for tbl, records in by_table.items():
            builder = BulkRows(TABLES[tbl], keys, dialect)
            insert_many(s, tbl, builder.columns, builder.rows(d for _k, d in records))
            audit.record_bulk(self._ledger, s, tbl, {"sync": digest, "new_records_from_sync": len(records)})
            if tbl == "worker":
                keys.load_workers(k for k, _d in records)
                fresh.update(keys.worker_id[k] for k, _d in records)
            elif tbl == "employer":
                for k, _d in records:
                    keys.employer(k)
        pending.clear()

    def _versions(self, s: Session, incoming: list[_Incoming]) -> dict[tuple[str, str], tuple[int, str, int]]:
        """The winning version of every record the changes touch, as stored here."""
        by_table: dict[str, dict[str, int]] = {}
        for c in incoming:
            if c.tbl in TABLE_CODES:  # (an unknown table is refused next)
                c.khash = key_hash(c.tbl, c.key)
                by_table.setdefault(c.tbl, {})[c.key] = c.khash
        return {(tbl, key): v for tbl, hashes in by_table.items()
                for key, v in capture.versions(s, tbl, list(hashes), hashes).items()}

    def _related(self, s: Session, by_id: dict[str, _Incoming], c: _Incoming, cur: tuple[int, str, int]) -> bool:
        """Whether one of the two versions had seen the other (so they do not conflict)."""
        cur_id = _version_id(cur)
        return self._descends(s, by_id, c.vid, cur_id) or self._descends(s, by_id, cur_id, c.vid)

    def _descends(self, s: Session, by_id: dict[str, _Incoming], child: str, ancestor: str) -> bool:
        node: str | None = child
        for _ in range(200):
            if node is None:
                return False
            if node == ancestor:
                return True
            node = self._base_of(s, by_id, node)
        return False

    def _base_of(self, s: Session, by_id: dict[str, _Incoming], vid: str) -> str | None:
        if vid in by_id:
            return by_id[vid].base
        origin, _, seq = vid.rpartition(":")
        row = capture.stored_change(s, origin, int(seq))
        return row[1] if row else None

    def _data_of(self, s: Session, by_id: dict[str, _Incoming], v: tuple[int, str, int]) -> dict[str, Any]:
        vid = _version_id(v)
        if vid in by_id:
            c = by_id[vid]
            return c.parsed or parse_data(TABLES[c.tbl], c.data)
        row = capture.stored_change(s, v[1], v[2])
        if row is None:
            raise NoResultFound(f"no change {vid} stored")
        return parse_data(TABLES[row[0]], row[2])
