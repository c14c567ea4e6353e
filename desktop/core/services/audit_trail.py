"""Reading the audit trail: verify it (its hash chain, the ledger's rows against it, the heads others
saw of it), search it by person, clerk and date."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from desktop.core import audit_heads
from desktop.core import backup as fmt
from desktop.core.audit import GENESIS, entry_hash
from desktop.core.audit_replay import RowProblem, replay
from desktop.core.errors import ShebaoError
from desktop.core.messages import field_label, render
from desktop.core.month import parse_date
from desktop.core.privacy import scrub
from desktop.core.security import AUDIT
from desktop.core.services.workers import require_worker
from desktop.core.store.models import AuditEntry, AuditHead, Office

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
    params: dict[str, Any] = field(default_factory=dict)  # of the reason: table, row, field, office, file
    rows: int = 0  # ledger rows compared with the trail
    not_provable: int = 0  # rows the trail cannot prove (bulk entries from before rows were named)
    row_problems: tuple[RowProblem, ...] = ()  # the first rows found differing (up to 20)
    row_problem_count: int = 0
    heads: int = 0  # heads noted outside the trail (by peers, in backups) that were checked
    backups: tuple[str, ...] = ()  # backup files whose head was checked
    backups_unchecked: tuple[str, ...] = ()  # backup files of this office that could not be read
    # other offices whose trail went back between two of their sync files (office, before, after):
    # restored from a backup, or replaced; not a finding about this office's trail
    peers_gone_back: tuple[tuple[str, int, int], ...] = ()

    def message(self, lang: str = "zh") -> str:
        """The finding in words."""
        params = dict(self.params)
        if "field" in params:
            params["field"] = field_label(str(params["field"]), lang)
        key = "audit.ok_all" if self.reason == "audit.ok" and self.rows else self.reason
        return render(key, lang, seq=self.first_bad, entries=self.entries, rows=self.rows,
                      heads=self.heads, **params)


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

    def verify(self, anchor: tuple[int, str] | None = None,
               backups: str | Path | Sequence[str | Path] | None = None,
               key_file: str | Path | None = None, rows: bool = True) -> AuditVerdict:
        """Walk the chain: each entry's hash, its link to the previous one, no gaps, the head; then
        the heads others saw of it; then every ledger row against the trail.

        anchor: a (seq, hash) noted earlier outside the database (printed, or from a backup's
        header); the entry at seq must still have that hash, which also catches a rewritten chain.
        The chain must also hold every head another office attested in its sync files, and the head
        in each of this office's backups: backups, a folder or files (default: the folder the daily
        backups go to), their headers authenticated with the backup key (key_file or the default).
        rows: replay the trail against the ledger's rows (desktop/core/audit_replay.py).
        """
        self._ledger.require(AUDIT)
        files = self._backup_files(backups)
        with self._ledger.read() as s:
            office = s.scalars(select(Office.code)).first()
            noted = [(by, q, h, "attested") for by, q, h in audit_heads.attested(s)]
            if office is not None:  # the heads of backups made here (the files may be gone since)
                noted += [(f"({when})", q, h, "backup") for when, q, h in audit_heads.backed_up(s, office)]
            checked, unchecked = self._backup_heads(files, office, key_file, noted)
            wanted = {q for _by, q, _h, _src in noted}
            found: dict[int, str] = {}
            restores: list[tuple[int, int]] = []
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
                if seq in wanted:
                    found[seq] = str(row["hash"])
                if row["action"] == "event" and row["table_name"] == "backup" and row["row_id"] == "restored":
                    restores.append(_restore_span(row["after_json"]))
                prev, expected = row["hash"], expected + 1
            last = expected - 1
            if head != (last, prev):
                return AuditVerdict(False, count, min(last + 1, head[0]) if head[0] > last else last,
                                    "audit.head", head[0], head[1])
            if anchor is not None and anchor[0] > last:
                return AuditVerdict(False, count, last + 1, "audit.anchor", head[0], head[1])
            base = AuditVerdict(True, count, None, "audit.ok", head[0], head[1], heads=len(noted),
                                backups=checked, backups_unchecked=unchecked,
                                peers_gone_back=tuple(audit_heads.peers_gone_back(s, office or "")))
            for by, q, h, source in noted:
                if any(first < q <= last for first, last in restores):
                    continue  # a head of a trail a restore replaced (recorded in the trail)
                if q > 0 and found.get(q) != h:
                    key = "audit.attested" if source == "attested" else "audit.backup_head"
                    return replace(base, valid=False, first_bad=q, reason=key, params={"office": by, "file": by})
            check = replay(s) if rows else None
        if check is None:
            return base
        base = replace(base, rows=check.rows, not_provable=check.not_provable, row_problems=check.problems,
                       row_problem_count=check.total_problems)
        if check.problems:
            p = check.problems[0]
            return replace(base, valid=False, reason=p.key,
                           params={"table": p.table, "row": p.row, "field": p.field})
        return base

    def _backup_files(self, backups: str | Path | Sequence[str | Path] | None) -> list[Path]:
        """The backup files to check: the given files, the *.sbk in a given folder, or in the folder
        the daily backups go to."""
        if backups is None:
            folder = self._ledger.backups.folder()
            given: list[Path] = [folder] if folder is not None else []
        elif isinstance(backups, (str, Path)):
            given = [Path(backups)]
        else:
            given = [Path(b) for b in backups]
        files: list[Path] = []
        for p in given:
            if p.is_dir():
                files.extend(sorted(p.glob("*.sbk")))
            elif p.exists():
                files.append(p)
        return files

    def _backup_heads(self, files: list[Path], office: str | None, key_file: str | Path | None,
                      noted: list[tuple[str, int, str, str]]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Add each backup's audit head (authenticated header) of this office to noted; the files
        checked and those that could not be read (no key, damaged)."""
        if not files:
            return (), ()
        key: bytes | None
        try:
            key = fmt.load_key(Path(key_file) if key_file else fmt.default_key_path())
        except ShebaoError:
            key = None
        checked: list[str] = []
        unchecked: list[str] = []
        for path in files:
            try:
                header = fmt.read_header(path)[0]
                if header.get("office") != office:
                    continue  # another office's backup in the same folder
                if key is None:
                    unchecked.append(path.name)
                    continue
                header = fmt.authentic_header(path, key)
            except ShebaoError:
                unchecked.append(path.name)
                continue
            head = audit_heads.as_head(header.get("audit_head"))
            if head is not None:
                noted.append((path.name, head[0], head[1], "backup"))
                checked.append(path.name)
        return tuple(checked), tuple(unchecked)

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


def _restore_span(after: str | None) -> tuple[int, int]:
    """(seq restored to, seq of the trail replaced) of a restore entry: heads between were lost."""
    data = json.loads(after or "{}")
    restored = audit_heads.as_head(data.get("restored_head"))
    replaced = audit_heads.as_head(data.get("replaced_head"))
    if restored is None or replaced is None:
        return (0, 0)
    return (restored[0], replaced[0])


def _date(value: dt.date | str | None, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    return parse_date(value, field)
