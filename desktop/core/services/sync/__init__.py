"""Offline sync between offices: export sealed files, import them safely, relay, conflicts to review.

`SyncService` (the ledger's `sync`) is the one door; behind it each part has one job:

- `export`: build a sealed sync file (seal this office's new changes, pick every origin's segments
  the destinations may lack, encrypt for them), and the outbox folder;
- `apply`: verify a file completely, then apply what is new in one transaction (last writer wins,
  losing concurrent edits kept as conflicts), holding segments that start after a gap;
- `review`: peers, gaps, conflicts and their resolution, months paid twice, this office's clocks;
- `bookkeeping`: what those share (peers, gaps, own changes lost in a restore, the clocks);
- `results`: what the service returns.

Change capture (`desktop.core.sync.capture`) owns `sync_state` and `sync_change`; the parts reach
them only through its public calls. See README "Sync between offices" for who owns what.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.core.progress import Progress
from desktop.core.services.sync.apply import FIRST_SYNC_SCHEMA, Importer
from desktop.core.services.sync.bookkeeping import OWN_MISSING
from desktop.core.services.sync.export import Exporter
from desktop.core.services.sync.results import (
    ConflictInfo,
    ExportResult,
    Gap,
    ImportResult,
    PeerStatus,
)
from desktop.core.services.sync.review import Review

if TYPE_CHECKING:
    from desktop.core.ledger import Ledger

__all__ = ["FIRST_SYNC_SCHEMA", "OWN_MISSING", "ConflictInfo", "ExportResult", "Gap", "ImportResult",
           "PeerStatus", "Progress", "SyncService"]


class SyncService:
    """Export and import sync files; peers, gaps and conflicts."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger
        self._export = Exporter(ledger)
        self._import = Importer(ledger)
        self._review = Review(ledger)

    # -- export ---------------------------------------------------------------------------

    def export(self, out: str | os.PathLike[str], to: str | None = None, full: bool = False,
               progress: Progress | None = None) -> ExportResult:
        """Write a sync file with every change the destination(s) may not have yet (see `Exporter.export`)."""
        return self._export.export(out, to, full, progress)

    def outbox(self) -> str | None:
        """The folder `sync outbox` writes files into (None: not set)."""
        return self._export.outbox()

    def set_outbox(self, folder: str | None) -> str | None:
        """Set (or with None/"" clear) the outbox folder; it must exist."""
        return self._export.set_outbox(folder)

    def export_to_outbox(self, folder: str | None = None) -> ExportResult:
        """Export for every trusted office into the outbox folder, named by office and time."""
        return self._export.export_to_outbox(folder)

    # -- import ---------------------------------------------------------------------------

    def import_file(self, path: str | os.PathLike[str], progress: Progress | None = None) -> ImportResult:
        """Verify a sync file completely, then apply what is new in one transaction."""
        return self._import.import_file(path, progress)

    def received_folder(self) -> Path | None:
        """Where every imported sync file is kept (see `Importer.received_folder`); None on PostgreSQL."""
        return self._import.received_folder()

    # -- review ---------------------------------------------------------------------------

    def gaps(self) -> list[Gap]:
        """Changes still missing while later ones are held."""
        return self._review.gaps()

    def peers(self) -> list[PeerStatus]:
        """Every trusted office with what was last exchanged with it."""
        return self._review.peers()

    def conflicts(self, include_reviewed: bool = False) -> list[ConflictInfo]:
        """Losing edits, newest first (only those not reviewed yet unless asked)."""
        return self._review.conflicts(include_reviewed)

    def resolve(self, conflict_id: int, take: str) -> ConflictInfo:
        """Review a conflict: keep the winning edit, or take the losing one (a new edit here)."""
        return self._review.resolve(conflict_id, take)

    def duplicate_months(self, worker: str | None = None) -> list[tuple[str, str, int, tuple[str, ...]]]:
        """Months of pension paid in two or more regions for one person: (key, name, month, regions)."""
        return self._review.duplicate_months(worker)

    def state_now(self) -> tuple[int, int] | None:
        """(Lamport time, last change sent out) of this office, or None when it cannot be read."""
        return self._review.state_now()

    def after_restore(self, lamport: int, sealed: int) -> tuple[int, int] | None:
        """After a restore: renumber this office's next changes and note its own changes the
        restored data lacks (see `Review.after_restore`)."""
        return self._review.after_restore(lamport, sealed)

    def pending_changes(self) -> int:
        """This office's changes not yet in any exported file."""
        return self._review.pending_changes()
