"""The office's keys over time: rotate to a new key pair announced by the old key, revoke a key
from a moment on, list the history of this office's keys and of the offices it trusts.

Where private keys are kept is `desktop.core.keys`' business: this service makes new ones, has the
current signer sign the announcement, and hands them to `keys.keep_new_keys`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import select

from desktop.core import audit, keyhistory
from desktop.core.errors import Conflict, InvalidInput, RefusedByRule
from desktop.core.keys import (
    KeySigner,
    Signer,
    keep_encryption_key,
    keep_new_keys,
    key_id,
    office_signer,
)
from desktop.core.security import ADMIN
from desktop.core.services.office import load_office
from desktop.core.store.models import OfficeKey

if TYPE_CHECKING:
    from desktop.core.keystore.pkcs11 import TokenSigner
    from desktop.core.ledger import Ledger


@dataclass(frozen=True)
class KeyInfo:
    """One key of an office's history."""

    key_id: str
    office: str
    purpose: str  # sign | encrypt
    valid_from: dt.datetime
    retired_at: dt.datetime | None
    revoked_at: dt.datetime | None
    own: bool  # this office's key (else a trusted office's)

    @property
    def current(self) -> bool:
        return self.retired_at is None


@dataclass(frozen=True)
class Rotated:
    """A rotation done: the keys before and the new ones, and the announcement other offices get."""

    previous: str
    signing: str
    encryption: str
    valid_from: dt.datetime
    announcement: dict[str, Any]


@dataclass(frozen=True)
class Revoked:
    """A revocation done."""

    key_id: str
    revoked_at: dt.datetime
    signed_by: str
    announcement: dict[str, Any]


def parse_moment(value: object, field: str) -> dt.datetime:
    """A moment given as a datetime, a date (its start) or ISO text (YYYY-MM-DD[ HH:MM[:SS]])."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    try:
        return dt.datetime.fromisoformat(str(value).strip()).replace(tzinfo=None)
    except ValueError:
        raise InvalidInput("date.format", field, value=value) from None


def _pem(key: Ed25519PrivateKey | X25519PrivateKey) -> str:
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo).decode()


class KeyService:
    """Rotate and revoke this office's keys; list the key history."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def rotate(self) -> Rotated:
        """Make a new signing and encryption key pair, announce them signed by the current signing
        key (and countersigned by the new one), keep them and retire the old ones. Documents signed
        before stay verifiable; sync files carry the announcement to every trusting office."""
        self._ledger.require(ADMIN)
        with self._ledger.write() as s:
            return self._rotate(s, "keys rotate")

    def replace_exposed(self) -> tuple[Rotated, Revoked]:
        """After the private keys left the database (migration 0013 and the move that follows it):
        anyone with a copy of the old file could read them, so they are replaced by new keys at once
        and the old signing key is revoked from the next day on (a document it signs later verifies
        as signed with a revoked key; the day of the move is left alone, so that today's documents
        stay valid). No role check: it runs where the keys are moved, as the database is opened."""
        with self._ledger.write(checked=False) as s:
            rotated = self._rotate(s, "keys rotate: the keys were kept in the database file")
            tomorrow = dt.datetime.combine(self._ledger.now().date() + dt.timedelta(days=1), dt.time())
            revoked = self._revoke(s, rotated.previous, tomorrow,
                                   "kept in the database file before the key store", future=True)
        return rotated, revoked

    def rotate_to_token(self, token: TokenSigner) -> Rotated:
        """A rotation whose new signing key is on a USB key (`office keys token-init`): announced
        signed by the current key and countersigned by the token's, so trusting offices follow."""
        self._ledger.require(ADMIN)
        with self._ledger.write() as s:
            return self._rotate(s, "keys rotate to a USB key", token)

    def _rotate(self, s: Any, note: str, token: TokenSigner | None = None) -> Rotated:
        """`rotate` in the caller's transaction (`token`: the new signing key is that USB key's)."""
        from desktop.core.keystore.pkcs11 import forget_token_key, use_token_key

        office = load_office(s)
        now = self._ledger.now()
        history = keyhistory.history_or_first(s, office.code, office.public_key, office.enc_public_key,
                                              office.created_at)
        signer = office_signer(office)
        signing, encryption = Ed25519PrivateKey.generate(), X25519PrivateKey.generate()
        new_signer: Signer = token if token is not None else KeySigner(signing)
        new_keys = [{"key_id": new_signer.key_id, "purpose": keyhistory.SIGN, "public_key": new_signer.public_pem},
                    {"key_id": key_id(_pem(encryption)), "purpose": keyhistory.ENCRYPT,
                     "public_key": _pem(encryption)}]
        body = {"format": keyhistory.FORMAT, "kind": "rotate", "office": office.code,
                "signed_by": signer.key_id, "previous": signer.key_id, "keys": new_keys,
                "valid_from": keyhistory.stamp(now), "made_at": keyhistory.stamp(now)}
        envelope = keyhistory.sign(body, signer, new_signer)
        updated = keyhistory.extend(history, office.code, [envelope])
        audit.note(s, f"{note}: {signer.key_id} -> {new_keys[0]['key_id']}")
        if token is None:
            forget_token_key(office)
            keep_new_keys(office, signing, encryption)
        else:
            keep_encryption_key(office, encryption)
            use_token_key(office, token)
        keyhistory.save(s, office.code, updated, now)
        return Rotated(signer.key_id, str(new_keys[0]["key_id"]), str(new_keys[1]["key_id"]), now, envelope)

    def revoke(self, key: str, since: object, reason: str = "") -> Revoked:
        """Declare one of this office's earlier keys untrustworthy from `since` on (a document dated
        that day or later and signed by it verifies as signed with a revoked key). The current
        key cannot revoke itself: rotate first."""
        self._ledger.require(ADMIN)
        moment = parse_moment(since, "since")
        with self._ledger.write() as s:
            return self._revoke(s, key, moment, reason)

    def _revoke(self, s: Any, key: str, moment: dt.datetime, reason: str, future: bool = False) -> Revoked:
        """`revoke` in the caller's transaction (`future`: a moment still to come is allowed)."""
        wanted = key.strip().upper()
        reason = reason.strip()[:400]
        office = load_office(s)
        now = self._ledger.now()
        history = keyhistory.history_or_first(s, office.code, office.public_key, office.enc_public_key,
                                              office.created_at)
        target = next((r for r in history if r.key_id == wanted), None)
        if target is None:
            raise InvalidInput("keys.unknown", "key_id", key_id=wanted)
        signer = office_signer(office)
        if target.current or target.key_id == signer.key_id:
            raise RefusedByRule("keys.revoke_current", "key_id", key_id=wanted)
        if target.revoked_at is not None:
            raise Conflict("keys.already_revoked", "key_id", key_id=wanted,
                           date=keyhistory.stamp(target.revoked_at))
        if moment > now and not future:
            raise InvalidInput("keys.since_future", "since")
        body = {"format": keyhistory.FORMAT, "kind": "revoke", "office": office.code,
                "signed_by": signer.key_id, "key_id": wanted, "revoked_at": keyhistory.stamp(moment),
                "reason": reason, "made_at": keyhistory.stamp(now)}
        envelope = keyhistory.sign(body, signer)
        updated = keyhistory.extend(history, office.code, [envelope])
        audit.note(s, f"keys revoke {wanted} from {keyhistory.stamp(moment)}: {reason}"[:400])
        keyhistory.save(s, office.code, updated, now)
        return Revoked(wanted, moment, signer.key_id, envelope)

    def history(self, office: str | None = None) -> list[KeyInfo]:
        """The keys of this office (or of the office given, this one or a trusted one), oldest
        first; with office "*", of every office known here, this one first."""
        with self._ledger.read() as s:
            own = load_office(s).code
            query = select(OfficeKey)
            if office != "*":
                query = query.where(OfficeKey.office_code == (office or own).strip())
            rows = s.scalars(query.order_by(OfficeKey.valid_from, OfficeKey.created_at, OfficeKey.purpose)).all()
            found = [KeyInfo(r.key_id, r.office_code, r.purpose, r.valid_from, r.retired_at, r.revoked_at,
                             r.office_code == own) for r in rows]
        return sorted(found, key=lambda k: not k.own)
