"""Audit heads held outside the trail: what peers and backups saw of it, so a replaced trail shows.

A trail can be rewritten whole (emptied and started again, or forged consistently): its own hashes
then agree with themselves. What it cannot rewrite is what others already saw. Every sync file
carries its sender's audit head (seq, hash) in the signed manifest, and the heads the sender has
seen of the destination office (`heads_seen`). Each office keeps the heads it has seen
(`audit_seen_head`) and the heads of its own trail that others say they saw (`audit_attested_head`);
`audit verify` checks that the chain still holds each attested head and each backup's head.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.core.audit import GENESIS
from desktop.core.store.models import AuditAttestedHead, AuditHead, AuditSeenHead

_HASH = re.compile(r"^[0-9a-f]{64}$")


def own_head(s: Session) -> tuple[int, str]:
    """This office's audit head (seq, hash) as the session sees it."""
    row = s.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)).first()
    return (int(row[0]), str(row[1])) if row else (0, GENESIS)


def as_head(value: Any) -> tuple[int, str] | None:
    """A {seq, hash} value of a manifest or header as (seq, hash); None when it is not one."""
    if not isinstance(value, Mapping):
        return None
    seq, digest = value.get("seq"), value.get("hash")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0 or not isinstance(digest, str) \
            or not _HASH.match(digest):
        return None
    return seq, digest


def head_json(head: tuple[int, str]) -> dict[str, Any]:
    """(seq, hash) as the {seq, hash} of a manifest or header."""
    return {"seq": head[0], "hash": head[1]}


def latest_seen(s: Session, office: str) -> tuple[int, str] | None:
    """The newest head of office's trail this office saw in its sync files (None: none yet)."""
    row = s.execute(select(AuditSeenHead.seq, AuditSeenHead.hash)
                    .where(AuditSeenHead.office_code == office, AuditSeenHead.source == "sync")
                    .order_by(AuditSeenHead.seq.desc(), AuditSeenHead.id.desc()).limit(1)).first()
    return (int(row[0]), str(row[1])) if row else None


def manifest_heads(s: Session, destinations: Iterable[str]) -> dict[str, Any]:
    """The manifest's additions: this office's head and the heads it saw of each destination."""
    seen = {code: head_json(h) for code in sorted(destinations) if (h := latest_seen(s, code)) is not None}
    return {"audit_head": head_json(own_head(s)), "heads_seen": seen}


def record_seen(s: Session, office: str, head: tuple[int, str], source: str, at: dt.datetime) -> None:
    """Keep a head of office's trail seen in a sync file or a backup (once)."""
    exists = s.execute(select(AuditSeenHead.id).where(
        AuditSeenHead.office_code == office, AuditSeenHead.seq == head[0], AuditSeenHead.hash == head[1],
        AuditSeenHead.source == source).limit(1)).first()
    if exists is None:
        s.add(AuditSeenHead(office_code=office, seq=head[0], hash=head[1], seen_at=at, source=source))


def receive(s: Session, manifest: Mapping[str, Any], own: str, at: dt.datetime) -> None:
    """From an imported sync file's (verified) manifest: the sender's head, and what it saw of ours."""
    sender = str(manifest.get("sender", ""))
    head = as_head(manifest.get("audit_head"))
    if head is not None and sender:
        record_seen(s, sender, head, "sync", at)
    seen = manifest.get("heads_seen")
    ours = as_head(seen.get(own)) if isinstance(seen, Mapping) else None
    if ours is None or not sender:
        return
    exists = s.execute(select(AuditAttestedHead.id).where(
        AuditAttestedHead.by_office == sender, AuditAttestedHead.seq == ours[0],
        AuditAttestedHead.hash == ours[1]).limit(1)).first()
    if exists is None:
        s.add(AuditAttestedHead(by_office=sender, seq=ours[0], hash=ours[1], received_at=at))


def backed_up(s: Session, own: str) -> list[tuple[str, int, str]]:
    """The heads this office's own backups held when they were made: (when, seq, hash)."""
    return [(f"{at:%Y-%m-%d %H:%M}", int(q), str(h)) for at, q, h in s.execute(
        select(AuditSeenHead.seen_at, AuditSeenHead.seq, AuditSeenHead.hash)
        .where(AuditSeenHead.office_code == own, AuditSeenHead.source == "backup")
        .order_by(AuditSeenHead.seq, AuditSeenHead.id))]


def peers_gone_back(s: Session, own: str) -> list[tuple[str, int, int]]:
    """Offices whose trail, as their sync files showed it, went back: (office, highest seq seen
    before, seq seen after it). Their trail was restored from a backup or replaced: ask them."""
    out: list[tuple[str, int, int]] = []
    highest: dict[str, int] = {}
    reported: set[str] = set()
    for office, seq in s.execute(select(AuditSeenHead.office_code, AuditSeenHead.seq)
                                 .where(AuditSeenHead.source == "sync", AuditSeenHead.office_code != own)
                                 .order_by(AuditSeenHead.id)):
        top = highest.get(office, 0)
        if seq < top and office not in reported:
            out.append((str(office), top, int(seq)))
            reported.add(office)
        highest[office] = max(top, int(seq))
    return out


def attested(s: Session) -> list[tuple[str, int, str]]:
    """Every head of this office's trail that another office says it saw: (office, seq, hash)."""
    return [(str(o), int(q), str(h)) for o, q, h in s.execute(
        select(AuditAttestedHead.by_office, AuditAttestedHead.seq, AuditAttestedHead.hash)
        .order_by(AuditAttestedHead.seq, AuditAttestedHead.id))]
