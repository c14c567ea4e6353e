"""Recovering a damaged office database: the newest backup, the sync files received since, and
what would be lost; then the restore and the files imported again, in the order they came.

The plan reads what it can of the damaged database, part by part (a damaged page spoils only the
tables on it): the office, where the daily backups go, the import register of received sync files
(`sync_file`), this office's own change log (`sync_change`) and the audit trail. What cannot be read
is said to be unknown, never guessed.

What would be lost: every change recorded here after the backup was made that no sync file
carries. The backup header says where the copy stood (its audit sequence number and this office's
last change number; older backups only their time). This office's own changes that went out in a
sync file are not lost: the offices they were sent to hold them and send them back (a full file),
and the numbering goes on after them. Changes that arrived in sync files come back when those
files are imported again (kept in `SyncService.received_folder`, or found in a folder given).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import struct
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from desktop.core import backup as fmt
from desktop.core.audit import NOT_AUDITED
from desktop.core.errors import Conflict, DatabaseDamaged, RefusedByRule, ShebaoError
from desktop.core.progress import Progress, StageNote
from desktop.core.security import ADMIN, Actor
from desktop.core.services.backups import RestoreResult
from desktop.core.store.health import Health
from desktop.core.store.models import (
    AuditEntry,
    Office,
    SyncFile,
    SyncState,
    UserAccount,
    Worker,
)
from desktop.core.sync import capture
from desktop.core.sync.container import MAGIC as SYNC_MAGIC
from desktop.core.sync.rows import parse_data
from desktop.core.sync.stored import DamagedChange
from desktop.core.sync.tables import SYNCED, TABLES

if TYPE_CHECKING:
    from desktop.core.ledger import Ledger

PEOPLE_LIMIT = 200  # people named in a plan (the count is always whole)
_SIGN_IN_NOTES = frozenset({"sign_in", "sign_in_failed"})  # bookkeeping of signing in, not data
_IMPORT_NOTE = re.compile(r"^sync import from (?P<sender>\S+): (?P<sha>[0-9a-f]{16})(?: \((?P<name>.*)\))?")

KIND_NAMES: dict[str, tuple[str, str]] = {
    "worker": ("参保人登记信息", "people (registration)"),
    "employer": ("用人单位", "employers"),
    "contribution": ("缴费记录（险种月）", "contribution lines (scheme-months)"),
    "resident_contribution": ("居民保险缴费", "residents' contributions"),
    "transfer_case": ("转移业务", "transfer cases"),
    "document": ("出具的文书", "documents issued"),
    "coverage_certificate": ("参保证明", "certificates of coverage"),
    "inbound_exemption": ("外方参保证明", "home certificates of foreign workers"),
    "import_batch": ("单位申报导入", "declaration imports"),
    "user_account": ("账号", "accounts"),
    "pending_action": ("审批申请", "approval requests"),
    "average_wage": ("月平均工资", "average wages"),
    "rate_override": ("费率", "rates"),
    "limit_override": ("缴费基数上下限", "base limits"),
    "interest_override": ("记账利率", "crediting rates"),
    "agreement_override": ("协定更正", "agreement corrections"),
    "trusted_office": ("受信任的经办机构", "trusted offices"),
    "office_setting": ("机构设置", "office settings"),
    "office": ("经办机构信息", "office identity"),
    "office_key": ("密钥历史（本机构及受信任机构）", "key history (this office and trusted offices)"),
    "sync_conflict": ("同步冲突处理", "sync conflict reviews"),
}


def kind_name(kind: str, lang: str = "zh") -> str:
    """What a kind of record is called, for people."""
    pair = KIND_NAMES.get(kind, (kind, kind))
    return pair[1] if lang == "en" else pair[0]


@dataclass(frozen=True)
class BackupFound:
    """A backup file of this office and where its copy stands."""

    file: Path
    office: str | None
    created: str
    schema: str
    size: int
    key_fingerprint: str
    audit_seq: int | None
    own_seq: int | None  # this office's last own change in it (None: a backup older than that mark)

    @property
    def created_at(self) -> dt.datetime:
        """When the backup was made (the backing-up office's clock)."""
        return _when(self.created) or dt.datetime.min


@dataclass(frozen=True)
class SyncFileToImport:
    """A sync file received after the backup, to be imported again; path None: not found."""

    sha256: str
    sender: str
    received: str  # when it was imported here (ISO), or, known only from its manifest, made
    changes: int
    path: Path | None
    name: str | None  # the name it had when imported, from the audit trail


@dataclass(frozen=True)
class Lost:
    """Changes made here after the backup that no sync file carries."""

    known: bool
    reason: str = ""  # why it cannot be known (SQLite's words)
    kinds: tuple[tuple[str, int], ...] = ()  # (kind, count)
    people: tuple[tuple[str, str], ...] = ()  # (person's key, name), at most PEOPLE_LIMIT
    people_count: int = 0
    partly: str = ""  # a part that could not be read while the rest could
    unnamed: int = 0  # changes counted whose person cannot be read (their rows are damaged)

    @property
    def total(self) -> int:
        """How many changes in all."""
        return sum(n for _k, n in self.kinds)


@dataclass(frozen=True)
class SentAway:
    """This office's own changes after the backup that went out in sync files (not lost)."""

    first: int
    last: int
    count: int
    offices: tuple[str, ...]
    kinds: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class RecoveryPlan:
    """What a restore would bring back from where, and what would be lost."""

    health: Health | None  # the damage found (None: the database passed its check or was not checked)
    office: str | None
    searched: tuple[Path, ...]
    backup: BackupFound | None
    older: tuple[BackupFound, ...]
    key_file: Path
    key_ok: bool
    sync_files: tuple[SyncFileToImport, ...]
    records_readable: bool  # the register of received files could be read
    lost: Lost
    sent: SentAway | None
    sealed: int | None  # the last own change that ever went out (None: unknown)
    lamport: int | None

    @property
    def missing_files(self) -> tuple[SyncFileToImport, ...]:
        """Received files that were not found: their changes come back only when they are."""
        return tuple(f for f in self.sync_files if f.path is None)


@dataclass(frozen=True)
class Reimported:
    """One sync file imported again, or why it was refused."""

    file: SyncFileToImport
    applied: int = 0
    error: ShebaoError | None = None


@dataclass(frozen=True)
class RecoveryResult:
    """What a recovery did."""

    plan: RecoveryPlan
    restored: RestoreResult
    imported: tuple[Reimported, ...]
    not_signed_in: bool  # the restored data has no account of the restorer: files left to import
    own_missing: tuple[int, int] | None


def _when(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(str(text)).replace(tzinfo=None)
    except ValueError:
        return None


def read_sync_manifest(path: Path) -> dict[str, Any] | None:
    """The readable manifest at the start of a sync file (None: not a sync file)."""
    try:
        with path.open("rb") as f:
            start = f.read(len(SYNC_MAGIC) + 4)
            if len(start) < len(SYNC_MAGIC) + 4 or not start.startswith(SYNC_MAGIC):
                return None
            (length,) = struct.unpack(">I", start[len(SYNC_MAGIC):])
            head = json.loads(f.read(min(length, 1 << 22)).decode("utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    return head if isinstance(head, dict) else None


def _sha256(path: Path) -> str | None:
    try:
        return fmt.file_sha256(path)
    except OSError:
        return None


class RecoveryService:
    """Plan a recovery from backup and sync files, and carry it out (administrators)."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def _read(self, what: Callable[[Any], Any]) -> tuple[Any, str]:
        """what(session) on the damaged database: (result, "") or (None, SQLite's words)."""
        try:
            with self._ledger.read(checked=False) as s:
                return what(s), ""
        except DatabaseDamaged as err:
            return None, str(err.params.get("problem", ""))
        except DamagedChange as err:  # a change log row whose bytes do not read back
            return None, str(err)

    def _require_admin(self) -> None:
        """Administrators only, as far as the accounts can be read."""
        try:
            self._ledger.require(ADMIN)
        except DatabaseDamaged:
            pass  # nobody can be checked: the backup key is what authorises a restore

    # -- the plan ---------------------------------------------------------------------------

    def plan(self, folders: Sequence[str | Path] = (), key_file: str | Path | None = None) -> RecoveryPlan:
        """The newest backup, the sync files received since, and what would be lost."""
        self._require_admin()
        led = self._ledger
        office, _ = self._read(lambda s: s.scalars(select(Office.code)).first())
        searched = _unique([Path(f) for f in folders] + [p for p in [led.backups.folder()] if p])
        found = self._backups(searched, office)
        backup = found[0] if found else None
        key_path = Path(key_file) if key_file else fmt.default_key_path()
        key_ok = False
        if backup is not None:
            try:
                key_ok = fmt.fingerprint(fmt.load_key(key_path)) == backup.key_fingerprint
            except ShebaoError:
                key_ok = False
        own = office or (backup.office if backup else None)
        state, _ = self._read(lambda s: s.execute(select(SyncState.lamport, SyncState.sealed_seq)
                                                  .where(SyncState.id == 1)).first())
        files, readable = self._received(backup, own, searched)
        sealed = int(state[1]) if state else None
        told = [int(m.get("has", {}).get(own, 0)) for m in self._manifests(files) if own]
        if told and (sealed is None or max(told) > sealed):
            sealed = max(told)  # the offices that sent these files held our changes up to here
        lost, sent = self._lost(backup, own, state)
        return RecoveryPlan(led.damage, office, tuple(searched), backup, tuple(found[1:]), key_path, key_ok,
                            tuple(files), readable, lost, sent, sealed, int(state[0]) if state else None)

    def _backups(self, folders: Iterable[Path], office: str | None) -> list[BackupFound]:
        """This office's backups (.sbk) in the folders that can be restored (an increment with its chain),
        newest first (headers only; no key needed)."""
        dialect = self._ledger.backups.dialect
        out: list[BackupFound] = []
        for folder in folders:
            try:
                files = sorted(p for p in folder.iterdir() if p.suffix == ".sbk" and p.is_file())
            except OSError:
                continue
            for path in files:
                try:
                    header = fmt.read_header(path)[0]
                    if fmt.kind_of(header) == "increment":
                        fmt.chain_of(path)  # an increment without the backups it is built on cannot be restored
                except ShebaoError:
                    continue
                if header.get("dialect") != dialect or (office and header.get("office") != office):
                    continue
                head = header.get("audit_head")
                sync = header.get("sync")
                out.append(BackupFound(
                    path, header.get("office"), str(header.get("created", "")), str(header.get("schema", "")),
                    path.stat().st_size, str(header.get("key_fingerprint", "")),
                    int(head["seq"]) if isinstance(head, dict) and "seq" in head else None,
                    int(sync["own_seq"]) if isinstance(sync, dict) and "own_seq" in sync else None))
        return sorted(out, key=lambda b: (b.created_at, b.file.name), reverse=True)

    def _received(self, backup: BackupFound | None, own: str | None,
                  folders: Sequence[Path]) -> tuple[list[SyncFileToImport], bool]:
        """The files received after the backup, in the order they were imported, with where each is.

        From the import register when it can be read; else every sync file found for this office
        made after the backup (importing one that was already in the backup changes nothing)."""
        since = backup.created_at if backup else dt.datetime.min
        kept = self._ledger.sync.received_folder()
        where = _unique([*([kept] if kept else []), *folders])
        by_sha: dict[str, Path] = {}
        manifests: dict[Path, dict[str, Any]] = {}
        for folder in where:
            try:
                candidates = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix == ".sync")
            except OSError:
                continue
            for path in candidates:
                head = read_sync_manifest(path)
                if head is None:
                    continue
                manifests[path] = head
                digest = _sha256(path)
                if digest:
                    by_sha.setdefault(digest, path)

        def register(s: Any) -> list[tuple[str, str, dt.datetime, int]]:
            rows = s.execute(select(SyncFile.sha256, SyncFile.peer, SyncFile.at, SyncFile.changes)
                             .where(SyncFile.direction == "in", SyncFile.at >= since)
                             .order_by(SyncFile.at, SyncFile.id)).all()
            return [(str(r[0]), str(r[1]), r[2], int(r[3])) for r in rows]

        records, _problem = self._read(register)
        if records is not None:
            names = self._import_names(backup)
            return [SyncFileToImport(sha, peer, at.isoformat(sep=" ", timespec="seconds"), n, by_sha.get(sha),
                                     names.get(sha[:16])) for sha, peer, at, n in records], True
        out: list[SyncFileToImport] = []
        for path, head in manifests.items():
            made = _when(str(head.get("created", "")))
            to = head.get("to", [])
            if own and (head.get("sender") == own or (isinstance(to, list) and own not in to)):
                continue
            if made is None or made < since:
                continue
            counts = head.get("counts") if isinstance(head.get("counts"), dict) else {}
            digest = next((d for d, p in by_sha.items() if p == path), "")
            out.append(SyncFileToImport(digest, str(head.get("sender", "")), made.isoformat(sep=" "),
                                        int(counts.get("changes", 0)) if counts else 0, path, path.name))
        return sorted(out, key=lambda f: (f.received, f.sender)), False

    def _import_names(self, backup: BackupFound | None) -> dict[str, str]:
        """The names files had when they were imported (from the audit notes), by hash prefix."""
        after = backup.audit_seq if backup and backup.audit_seq is not None else 0

        def notes(s: Any) -> list[str]:
            return [str(n) for (n,) in s.execute(
                select(AuditEntry.note).distinct().where(AuditEntry.seq > after,
                                                         AuditEntry.note.like("sync import from %")))]

        found, _ = self._read(notes)
        out: dict[str, str] = {}
        for note in found or []:
            m = _IMPORT_NOTE.match(note)
            if m and m.group("name"):
                out[m.group("sha")] = m.group("name")
        return out

    def _manifests(self, files: Iterable[SyncFileToImport]) -> list[dict[str, Any]]:
        out = []
        for f in files:
            head = read_sync_manifest(f.path) if f.path else None
            if head and isinstance(head.get("has"), dict):
                out.append(head)
        return out

    def _lost(self, backup: BackupFound | None, own: str | None,
              state: Any) -> tuple[Lost, SentAway | None]:
        """This office's changes after the backup that no sync file carries, and those sent out."""
        if backup is None:
            return Lost(False, "no backup"), None
        sealed = int(state[1]) if state else None
        kinds: dict[str, int] = {}
        people: dict[str, str] = {}
        sent_kinds: dict[str, int] = {}
        sent_seqs: list[int] = []
        partly = ""

        since = backup.created_at if backup.own_seq is None else None  # an older backup: by time

        def own_changes(s: Any) -> list[tuple[int, str, str | None, str | None]]:
            return [(int(seq), str(tbl), str(key), str(data)) for seq, _lamport, tbl, key, _base, data, _at
                    in capture.own_changes(s, own or "", backup.own_seq, since)]

        def as_kept(s: Any) -> list[tuple[int, str, str | None, str | None]]:
            return capture.own_changes_kept(s, own or "", backup.own_seq, since)

        changes, problem = self._read(own_changes)
        if changes is None:  # the rows of changes kept by reference may be what cannot be read
            changes, _ = self._read(as_kept)
        if changes is None or sealed is None:
            return Lost(False, problem or "sync_state"), None
        unnamed = 0
        for seq, tbl, key, data in changes:
            if seq <= sealed:
                sent_seqs.append(seq)
                sent_kinds[tbl] = sent_kinds.get(tbl, 0) + 1
                continue
            kinds[tbl] = kinds.get(tbl, 0) + 1
            if key is None or data is None:
                unnamed += 1
                continue
            person = _person_of(tbl, key, data)
            if person:
                people.setdefault(person[0], person[1])

        after = backup.audit_seq
        if after is None:
            partly = "audit_head"
        else:
            def audited(s: Any) -> list[tuple[str, str, int | None, str]]:
                q = select(AuditEntry.table_name, AuditEntry.action, AuditEntry.worker_id, AuditEntry.note) \
                    .where(AuditEntry.seq > after,
                           AuditEntry.action.in_(("insert", "update", "delete", "bulk_insert")))
                return [(str(r[0]), str(r[1]), r[2], str(r[3] or "")) for r in s.execute(q)]

            entries, problem = self._read(audited)
            if entries is None:
                partly = problem or "audit_entry"
            else:
                ids: set[int] = set()
                for table, _action, wid, note in entries:
                    if table in SYNCED or table in NOT_AUDITED or note in _SIGN_IN_NOTES \
                            or note.startswith(("sync import from", "sign_in")):
                        continue
                    kinds[table] = kinds.get(table, 0) + 1
                    if wid is not None:
                        ids.add(int(wid))
                for key, name in self._people(ids):
                    people.setdefault(key, name)
        named = self._names(people)
        ordered = sorted(named.items())
        lost = Lost(True, "", tuple(sorted(kinds.items())), tuple(ordered[:PEOPLE_LIMIT]), len(ordered), partly,
                    unnamed)
        sent = None
        if sent_seqs:
            offices = self._sent_to(backup)
            sent = SentAway(min(sent_seqs), max(sent_seqs), len(sent_seqs), offices, tuple(sorted(sent_kinds.items())))
        return lost, sent

    def _people(self, ids: set[int]) -> list[tuple[str, str]]:
        if not ids:
            return []

        def rows(s: Any) -> list[tuple[str, str]]:
            found = s.execute(select(Worker.id_number, Worker.nationality, Worker.passport, Worker.name)
                              .where(Worker.id.in_(sorted(ids)))).all()
            return [(r[0] or f"{r[1]}:{r[2]}", str(r[3])) for r in found]

        found, _ = self._read(rows)
        if found is None:
            return [(f"#{i}", "") for i in sorted(ids)]
        return list(found)

    def _names(self, people: dict[str, str]) -> dict[str, str]:
        """Fill in the names of people known only by their key, from what can be read."""
        unnamed = [k for k, v in people.items() if not v]
        if unnamed:
            def rows(s: Any) -> dict[str, str]:
                return {str(r[0]): str(r[1]) for r in s.execute(
                    select(Worker.id_number, Worker.name).where(Worker.id_number.in_(unnamed)))}

            found, _ = self._read(rows)
            for key, name in (found or {}).items():
                people[key] = name
        return people

    def _sent_to(self, backup: BackupFound) -> tuple[str, ...]:
        def rows(s: Any) -> list[str]:
            return [str(p) for (p,) in s.execute(select(SyncFile.peer).where(
                SyncFile.direction == "out", SyncFile.at >= backup.created_at))]

        found, _ = self._read(rows)
        return tuple(sorted({code for peers in found or [] for code in peers.split(",") if code}))

    # -- carrying it out ----------------------------------------------------------------------

    def recover(self, folders: Sequence[str | Path] = (), key_file: str | Path | None = None,
                force: bool = False, progress: Progress | None = None,
                stage: StageNote | None = None, other_office: str | None = None) -> RecoveryResult:
        """Restore the plan's backup, then import the received files found, in their order.

        A database that passed its check is replaced only with force. The restorer goes on as the
        same account in the restored data when it has it (active, same role); otherwise the files
        are left for someone who can sign in there (`not_signed_in`). A file refused on import is
        reported and the others still go in. This office's numbering goes on after the last own
        change that went out (SyncService.after_restore). A backup of another office needs
        other_office, as in BackupService.restore.
        """
        plan = self.plan(folders, key_file)
        led = self._ledger
        if plan.backup is None:
            if not plan.searched:
                raise RefusedByRule("recovery.nowhere", "db")
            raise RefusedByRule("recovery.no_backup", "db", folders=", ".join(str(p) for p in plan.searched))
        if led.damage is None and not force:
            raise Conflict("db.healthy", "db")
        restorer = led.actor
        if stage:
            stage("restore")
        restored = led.backups.restore(plan.backup.file, key_file, force=True, progress=progress,
                                       other_office=other_office)
        missing = restored.own_missing
        if plan.sealed is not None:
            missing = led.sync.after_restore(plan.lamport or 0, plan.sealed) or missing
        signed = self._resume(restorer)
        done: list[Reimported] = []
        todo = [f for f in plan.sync_files if f.path is not None]
        if stage and todo:
            stage("import")
        for i, f in enumerate(todo):
            if not signed:
                break
            assert f.path is not None
            try:
                r = led.sync.import_file(f.path)
                done.append(Reimported(f, r.applied))
            except ShebaoError as err:
                done.append(Reimported(f, 0, err))
            if progress:
                progress(i + 1, len(todo))
        return RecoveryResult(plan, restored, tuple(done), not signed and bool(todo), missing)

    def _resume(self, restorer: Actor | None) -> bool:
        """Act as the restorer in the restored data (same name, active, same role); True when it
        can import (or the restored office has no accounts)."""
        led = self._ledger
        if not led.users.has_accounts():
            return True
        if restorer is None:
            return False
        with led.read(checked=False) as s:
            row = s.execute(select(UserAccount.id, UserAccount.role, UserAccount.active)
                            .where(UserAccount.name == restorer.name)).first()
        if row is None or not row[2] or row[1] != restorer.role:
            return False
        led.actor = Actor(int(row[0]), restorer.name, str(row[1]), False)
        return True


def _person_of(tbl: str, key: str, data: str) -> tuple[str, str] | None:
    """(person's key, name if the data says it) of a change, or None for an employer."""
    if tbl == "worker":
        try:
            parsed = parse_data(TABLES[tbl], data)
        except (ValueError, KeyError, TypeError):
            return key, ""
        return key, str(parsed.get("name") or "")
    if tbl in ("contribution", "resident_contribution"):
        return key.split("|", 1)[0], ""
    if tbl == "transfer_case":
        try:
            parsed = parse_data(TABLES[tbl], data)
        except (ValueError, KeyError, TypeError):
            return None
        return (str(parsed["worker"]), "") if parsed.get("worker") else None
    return None


def _unique(paths: Iterable[Path]) -> list[Path]:
    out: list[Path] = []
    seen: set[str] = set()
    for p in paths:
        key = str(p.expanduser().resolve())
        if key not in seen:
            seen.add(key)
            out.append(Path(key))
    return out

