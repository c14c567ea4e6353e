"""What the sync service returns: files written and read, gaps, peers, conflicts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

IGNORED_IN_CONFLICTS = frozenset({"created_at", "initials"})  # fields a conflict does not weigh


@dataclass(frozen=True)
class ExportResult:
    """A sync file written."""

    file: str
    changes: int
    segments: int
    sha256: str
    to: tuple[str, ...]
    size: int


@dataclass(frozen=True)
class Gap:
    """Changes of an origin that have not arrived, while later ones wait (held)."""

    origin: str
    first_missing: int
    last_missing: int


@dataclass(frozen=True)
class ImportResult:
    """What an import did."""

    sender: str
    applied: int
    already_applied: int
    conflicts: int
    held: int
    gaps: tuple[Gap, ...]
    sha256: str


@dataclass(frozen=True)
class PeerStatus:
    """Sync state with one other office."""

    code: str
    name: str
    applied_seq: int
    last_import: dt.datetime | None
    last_export: dt.datetime | None
    can_receive: bool


@dataclass(frozen=True)
class ConflictInfo:
    """A losing edit kept for review."""

    id: int
    table: str
    key: str
    winner: str
    loser: str
    winner_data: dict[str, Any]
    loser_data: dict[str, Any]
    detected_at: dt.datetime
    reviewed_by: str | None
    resolution: str | None

    def differences(self) -> list[tuple[str, Any, Any]]:
        """(field, winning value, losing value) for every field that differs."""
        names = sorted(set(self.winner_data) | set(self.loser_data))
        return [(n, self.winner_data.get(n), self.loser_data.get(n)) for n in names
                if self.winner_data.get(n) != self.loser_data.get(n) and n not in IGNORED_IN_CONFLICTS]
