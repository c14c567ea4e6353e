"""Replay the audit trail against the ledger: every row must be the last state the trail recorded.

One pass over the trail (in sequence order) builds, for every row of every audited table, what the
trail says it is now: the `after` of its insert with the updates' `after` values laid over it, or
-- for a row inserted in bulk -- the bulk entry's short hash of the row's snapshot followed by the
updates since. Then one pass per table over the current rows compares (the same snapshot as the
trail takes, `audit.row_snapshot`): a row with no entry, an entry whose row is gone without a
delete, or a value that differs is tampering, named by table, row and the first differing field.
A row inserted in bulk is taken back through its updates (their `before` values) to its state at
the insert, and every bulk entry's SHA-256 over its rows' snapshots must come out again. An entry
that proves its rows a group at a time (`audit.GROUPED`: a person-month's lines) has a short hash a
group: a changed row names its group's rows, and the rows must still agree in what the group shares.

Entries written before bulk entries named their rows cannot prove those rows: a row with no entry
in a table that has such an old bulk entry, or whose first entry is an update, is counted as "not
provable" (a number in the verdict), not as tampering -- up to as many rows as those old entries
inserted; rows beyond that (the newest ids) are reported as inserted outside the program.
"""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.core.audit import (
    NOT_AUDITED,
    REDACTED,
    SHORT,
    id_ranges,
    mapper_of,
    parse_ranges,
    parse_runs,
    plain,
    row_key,
)
from desktop.core.messages import field_label, render
from desktop.core.store.models import AuditEntry, Base

# program_release: which program versions opened the file, written as it opens (before any sign-in).
_IGNORED = NOT_AUDITED | {"alembic_version", "program_release"}
_AS_IS = frozenset({int, str, bool, float, type(None)})
_dumps = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


@dataclass(frozen=True)
class RowProblem:
    """One row that is not what the trail says: reason key, table, row id, field (or "")."""

    reason: str  # audit.row_changed | audit.row_unrecorded | audit.row_missing | audit.row_deleted | audit.bulk_changed
    table: str
    row: str
    field: str = ""

    @property
    def key(self) -> str:
        """The message key (a changed row of a bulk import names no field)."""
        return "audit.row_changed_bulk" if self.reason == "audit.row_changed" and not self.field else self.reason

    def message(self, lang: str = "zh") -> str:
        """The problem in words."""
        return render(self.key, lang, table=self.table, row=self.row,
                      field=field_label(self.field, lang) if self.field else "")


@dataclass(frozen=True)
class RowCheck:
    """What the replay found: rows compared, rows that cannot be proven (old trail), problems."""

    rows: int
    not_provable: int
    problems: tuple[RowProblem, ...]
    total_problems: int  # the rows they are of

    @property
    def valid(self) -> bool:
        return self.total_problems == 0


@dataclass(slots=True)
class _Row:
    state: dict[str, Any] | None = None  # the full state, when the trail holds it
    bulk: tuple[int, int] | None = None  # (bulk entry seq, index) when inserted in bulk
    updates: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)  # since the bulk
    deleted: dict[str, Any] | None = None  # the state the delete entry recorded
    unknown: bool = False  # first seen in an update or delete: its insert is not provable


@dataclass(slots=True)
class _Bulk:
    table: str
    ids: list[int]
    sha: str
    shorts: str
    columns: tuple[str, ...] | None  # the columns its snapshots had (None: all, as in the first version)
    shared: tuple[str, ...] | None = None  # proved a group at a time (`audit.GROUPED`): what the rows share
    sizes: list[int] = field(default_factory=list)  # the groups' sizes
    lines: dict[int, str] = field(default_factory=dict)  # the texts hashed, by row (or group) index
    # Of an entry of groups: each group's first row's index, the states of the rows of the groups
    # not complete yet (by group, then row index), the SHA-256 over the texts of the groups in order
    # so far and their number (a group's text is digested, and dropped, once those before it are).
    starts: list[int] = field(default_factory=list)
    states: dict[int, dict[int, dict[str, Any]]] = field(default_factory=dict)
    digest: Any = field(default_factory=hashlib.sha256)
    digested: int = 0


class _Found:
    def __init__(self, keep: int = 20) -> None:
        self.items: list[RowProblem] = []
        self.total = 0
        self._keep = keep

    def add(self, problem: RowProblem, rows: int = 1) -> None:
        """A problem of this many rows (a group of a bulk entry's rows is one problem)."""
        self.total += rows
        if len(self.items) < self._keep:
            self.items.append(problem)


def audited_tables() -> list[str]:
    """The tables whose rows the trail covers, in a fixed order."""
    return sorted(t for t in Base.metadata.tables if t not in _IGNORED and mapper_of(t) is not None)


def _first_difference(current: dict[str, Any], recorded: dict[str, Any], order: list[str]) -> str | None:
    """The first column whose value differs. Only columns both have are compared: a column a
    migration added since the entry, or dropped, is not a change."""
    for name in order:
        if name in recorded and current[name] != recorded[name]:
            return name
    return None


def _entries(s: Session) -> Iterator[tuple[int, str, str, str | None, str | None, str | None]]:
    stmt = (select(AuditEntry.seq, AuditEntry.action, AuditEntry.table_name, AuditEntry.row_id,
                   AuditEntry.before_json, AuditEntry.after_json)
            .where(AuditEntry.action.in_(("insert", "update", "delete", "bulk_insert")))
            .order_by(AuditEntry.seq).execution_options(yield_per=5000))
    for seq, action, table, row_id, before, after in s.execute(stmt):
        yield int(seq), str(action), str(table), row_id, before, after


def replay(s: Session) -> RowCheck:
    """Compare every audited row with the last state the trail recorded for it (see the module)."""
    tables = set(audited_tables())
    rows: dict[str, dict[str, _Row]] = {t: {} for t in tables}
    bulks: dict[int, _Bulk] = {}
    old_bulk: dict[str, int] = {}  # rows inserted by old-style bulk entries, by table
    found = _Found()
    for seq, action, table, row_id, before_text, after_text in _entries(s):
        if table not in tables:
            continue
        known = rows[table]
        if action == "bulk_insert":
            after = json.loads(after_text or "{}")
            if "ids" not in after:
                rows_in = after.get("rows")
                old_bulk[table] = old_bulk.get(table, 0) + (rows_in if isinstance(rows_in, int) else 0)
                continue
            ids = parse_ranges(str(after["ids"]))
            cols = after.get("columns")
            shared = after.get("shared")
            bulk = bulks[seq] = _Bulk(table, ids, str(after.get("rows_sha256", "")),
                                      str(after.get("row_hashes", "")), tuple(str(cols).split(",")) if cols else None)
            if shared is not None:
                bulk.shared = tuple(filter(None, str(shared).split(",")))
                bulk.sizes = parse_runs(str(after.get("groups", "")))
                bulk.starts = [0, *accumulate(bulk.sizes)]
                if bulk.starts[-1] != len(ids) or len(bulk.shorts) != len(bulk.sizes) * SHORT \
                        or bulk.columns is None or not set(bulk.shared) <= set(bulk.columns):
                    found.add(RowProblem("audit.bulk_changed", table, str(seq)))  # (its rows: not proved)
                    bulk.sizes = []
            for i, bid in enumerate(ids):
                known[str(bid)] = _Row(bulk=(seq, i))
            continue
        key = str(row_id)
        if action == "insert":
            known[key] = _Row(state=json.loads(after_text or "{}"))
            continue
        row = known.get(key)
        if row is None:
            row = known[key] = _Row(unknown=True)
        if action == "update":
            after = json.loads(after_text or "{}")
            if row.state is not None:
                row.state.update(after)
            elif row.bulk is not None:
                row.updates.append((json.loads(before_text or "{}"), after))
        else:  # delete
            row.deleted = json.loads(before_text or "{}")
    compared = unprovable = 0
    for table in sorted(tables):
        known = rows.pop(table)
        mapper = mapper_of(table)
        assert mapper is not None
        attrs = list(mapper.column_attrs)
        names = [a.key for a in attrs]
        by_id = row_key(mapper)
        keys = [names.index(mapper.get_property_by_column(c).key) for c in by_id]
        hidden = [k for t, k in REDACTED if t == table]  # as the trail's snapshots have them
        stmt = select(*(a.columns[0] for a in attrs)).order_by(*by_id).execution_options(yield_per=5000)
        for values in s.execute(stmt):
            rid = ",".join(str(values[i]) for i in keys)
            compared += 1
            row = known.pop(rid, None)
            if row is None:
                if old_bulk.get(table, 0) > 0:  # (more rows than the old entries inserted: found)
                    old_bulk[table] -= 1
                    unprovable += 1
                else:
                    found.add(RowProblem("audit.row_unrecorded", table, rid))
                continue
            if row.deleted is not None:
                found.add(RowProblem("audit.row_deleted", table, rid))
                continue
            current = {k: v if type(v) in _AS_IS else plain(v) for k, v in zip(names, values, strict=True)}
            for name in hidden:
                if current.get(name) is not None:
                    current[name] = "***"
            if row.state is not None:
                diff = _first_difference(current, row.state, names)
                if diff is not None:
                    found.add(RowProblem("audit.row_changed", table, rid, diff))
            elif row.bulk is not None:
                problem = _back_to_bulk(table, rid, current, row, bulks, names, found)
                if isinstance(problem, RowProblem):
                    found.add(problem)
                elif problem is not None:  # "not provable"
                    unprovable += 1
            else:
                old_bulk[table] = old_bulk.get(table, 0) - 1
                unprovable += 1
        for rid, row in known.items():
            if row.deleted is None:
                found.add(RowProblem("audit.row_missing", table, rid))
            elif row.bulk is not None:
                _back_to_bulk(table, rid, row.deleted, row, bulks, names, found)
        for bseq, bulk in bulks.items():
            if bulk.table != table:
                continue
            if bulk.shared is not None:  # (its groups checked and digested as their rows came)
                if bulk.sizes and bulk.digested == len(bulk.sizes) and bulk.digest.hexdigest() != bulk.sha:
                    found.add(RowProblem("audit.bulk_changed", table, str(bseq)))
                continue
            if len(bulk.lines) != len(bulk.ids):
                continue
            digest = hashlib.sha256()
            for i in range(len(bulk.ids)):
                digest.update(bulk.lines[i].encode("utf-8") + b"\n")
            if digest.hexdigest() != bulk.sha:
                found.add(RowProblem("audit.bulk_changed", table, str(bseq)))
    return RowCheck(compared, unprovable, tuple(found.items), found.total)


def _to_group(bulk: _Bulk, index: int, state: dict[str, Any], found: _Found) -> None:
    """A row of an entry proved a group at a time (`audit.GROUPED`), taken back to its insert: once
    its group's rows are all here, they must share what the group shares, and the group's text
    (`audit.group_text`) must give its short hash; otherwise the group's rows are named (by their id
    ranges: the short hash locates no row within the group). The group's text then goes into the
    entry's SHA-256 (in the groups' order: a text waits for those before it)."""
    if not bulk.sizes or bulk.shared is None or bulk.columns is None:
        return  # (a damaged entry: named once, when it was read)
    g = bisect_right(bulk.starts, index) - 1
    rows = bulk.states.setdefault(g, {})
    rows[index] = state
    if len(rows) < bulk.sizes[g]:
        return
    del bulk.states[g]
    states = [rows[i] for i in range(bulk.starts[g], bulk.starts[g + 1])]
    shared = bulk.shared
    values = [states[0][c] for c in shared]
    text = _dumps([*values, *(state[c] for state in states for c in bulk.columns if c not in shared)])
    alike = all([state[c] for c in shared] == values for state in states)
    if not alike or hashlib.sha256(text.encode("utf-8")).hexdigest()[:SHORT] != bulk.shorts[g * SHORT:(g + 1) * SHORT]:
        found.add(RowProblem("audit.row_changed", bulk.table,
                             id_ranges(bulk.ids[bulk.starts[g]:bulk.starts[g + 1]])), len(states))
    bulk.lines[g] = text
    while bulk.digested in bulk.lines:
        bulk.digest.update(bulk.lines.pop(bulk.digested).encode("utf-8") + b"\n")
        bulk.digested += 1


def _back_to_bulk(table: str, rid: str, state: dict[str, Any], row: _Row, bulks: dict[int, _Bulk],
                  order: list[str], found: _Found) -> RowProblem | str | None:
    """Take a bulk-inserted row back through its updates to its state at the insert and check it
    against the bulk entry's short hash (kept for the entry's SHA-256 over all its rows).

    Returns the problem, None, or "not provable" when a column the entry hashed is gone (dropped
    by a migration since)."""
    assert row.bulk is not None
    seq, index = row.bulk
    bulk = bulks[seq]
    if row.updates or bulk.columns is not None:
        state = dict(state)
    for before, after in reversed(row.updates):
        for name in order:
            if name in after and name in state and state[name] != after[name]:
                return RowProblem("audit.row_changed", table, rid, name)
        state.update(before)
    if bulk.columns is not None and state.keys() != set(bulk.columns):
        if not state.keys() >= set(bulk.columns):
            return "not provable"
        state = {c: state[c] for c in bulk.columns}  # (a column added since is not in the hash)
    if bulk.shared is not None:  # checked with its group's other rows
        _to_group(bulk, index, state, found)
        return None
    line = _dumps(state)  # (the values are plain already: the same text as audit.row_line)
    bulk.lines[index] = line
    short = bulk.shorts[index * SHORT:(index + 1) * SHORT]
    if hashlib.sha256(line.encode("utf-8")).hexdigest()[:SHORT] != short:
        return RowProblem("audit.row_changed", table, rid, "")
    return None
