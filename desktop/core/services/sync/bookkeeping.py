"""Sync bookkeeping shared by export, apply and review: clocks, peers, gaps, own changes lost in a restore."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.exc import NoResultFound
from sqlalchemy.orm import Session

from desktop.core.services.sync.results import Gap
from desktop.core.store.models import OfficeSetting, SyncHeld, SyncPeer
from desktop.core.sync import capture
from desktop.core.sync.container import Segment

# This office's own changes it sent out but lost in a restore: "first-last", to be received back.
OWN_MISSING = "sync.own_missing"


def clocks(s: Session) -> tuple[int, int, int]:
    """(lamport, own_seq, sealed_seq) of this office, unlocked (sync_state always has its row)."""
    found = capture.clocks(s)
    if found is None:
        raise NoResultFound("sync_state has no row")
    return found


def own_missing(s: Session) -> tuple[int, int] | None:
    """The range of this office's own changes it lost in a restore and awaits back, or None."""
    row = s.get(OfficeSetting, OWN_MISSING)
    if row is None:
        return None
    first, _, last = row.value.partition("-")
    return int(first), int(last)


def set_own_missing(s: Session, missing: tuple[int, int] | None) -> None:
    """Note (or with None clear) the range of own changes awaited back."""
    row = s.get(OfficeSetting, OWN_MISSING)
    if missing is None:
        if row is not None:
            s.delete(row)
        return
    value = f"{missing[0]}-{missing[1]}"
    if row is None:
        s.add(OfficeSetting(key=OWN_MISSING, value=value))
    else:
        row.value = value


def ranges(segments: Iterable[Segment]) -> dict[str, list[int]]:
    """The first and last sequence number of each origin's changes in the segments (a file's manifest)."""
    out: dict[str, list[int]] = {}
    for seg in segments:
        r = out.setdefault(seg.origin, [seg.first, seg.last])
        r[0], r[1] = min(r[0], seg.first), max(r[1], seg.last)
    return out


def new_peer(s: Session, code: str) -> SyncPeer:
    """A new peer row for an office (nothing exchanged with it yet)."""
    peer = SyncPeer(code=code, applied_seq=0, has_json="{}")
    s.add(peer)
    return peer


def find_gaps(s: Session, own: str) -> list[Gap]:
    """Changes still missing while later ones are held (own: this office's code)."""
    applied = {p.code: p.applied_seq for p in s.scalars(select(SyncPeer))}
    gaps: list[Gap] = []
    missing = own_missing(s)
    if missing:
        gaps.append(Gap(own, *missing))
    done: dict[str, int] = {}
    for row in s.scalars(select(SyncHeld).order_by(SyncHeld.origin, SyncHeld.first_seq)):
        start = done.get(row.origin, applied.get(row.origin, 0))
        if row.first_seq > start + 1:
            gaps.append(Gap(row.origin, start + 1, row.first_seq - 1))
        done[row.origin] = row.last_seq
    return gaps
