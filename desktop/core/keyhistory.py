"""The public side of an office's keys over time: its key history and the announcements that
extend it.

An office's first keys are trusted as they were given (its identity, checked by phone). Every
later key comes with an announcement signed by the signing key current before it ("rotate": the new
signing and encryption keys, countersigned by the new signing key to show it is held), and a key can
be declared untrustworthy from a moment on by an announcement signed by the current key ("revoke").
Announcements travel in identities and in every sync file's manifest; `extend` checks a list of
them against the keys already trusted, without writing, and `save` records what it found.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.core.errors import IntegrityFailure
from desktop.core.keys import Signer, key_id
from desktop.core.store.models import OfficeKey, TrustedOffice

FORMAT = "shebao-key-announcement/1"
_CONTEXT = FORMAT.encode() + b"\n"
SIGN, ENCRYPT = "sign", "encrypt"


@dataclass(frozen=True)
class KeyRecord:
    """One key of an office's history (a row of `office_key`, or one about to be)."""

    key_id: str
    purpose: str
    public_key: str
    valid_from: dt.datetime
    retired_at: dt.datetime | None = None
    revoked_at: dt.datetime | None = None
    announcement: str | None = None
    signature: str | None = None
    countersignature: str | None = None
    revocation: str | None = None
    revocation_signature: str | None = None

    @property
    def current(self) -> bool:
        return self.retired_at is None


def canonical(body: dict[str, Any]) -> str:
    """An announcement's text as it is signed and stored."""
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _message(text: str) -> bytes:
    return _CONTEXT + text.encode()


def stamp(moment: dt.datetime) -> str:
    """A moment as announcements write it (to the microsecond when it has any)."""
    return moment.replace(tzinfo=None).isoformat(sep=" ")


def sign(body: dict[str, Any], signer: Signer, new_signer: Signer | None = None) -> dict[str, Any]:
    """An announcement as it travels: the body, the signature of the key before, and (rotate) the
    countersignature of the new signing key."""
    text = canonical(body)
    env: dict[str, Any] = {"announcement": body,
                           "signature": base64.b64encode(signer.sign(_message(text))).decode()}
    if new_signer is not None:
        env["countersignature"] = base64.b64encode(new_signer.sign(_message(text))).decode()
    return env


def current(records: Iterable[KeyRecord], purpose: str) -> KeyRecord | None:
    """The office's current key of the purpose."""
    return next((r for r in records if r.purpose == purpose and r.current), None)


def _refuse(key: str, office: str, **params: Any) -> IntegrityFailure:
    return IntegrityFailure(key, "file", office=office, **params)


def _verify(public_pem: str, text: str, signature: object) -> bool:
    try:
        key = serialization.load_pem_public_key(public_pem.encode())
        if not isinstance(key, Ed25519PublicKey) or not isinstance(signature, str):
            return False
        key.verify(base64.b64decode(signature.encode(), validate=True), _message(text))
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True


def _moment(value: object, office: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(str(value)).replace(tzinfo=None)
    except ValueError:
        raise _refuse("keys.announcement_format", office) from None


def _new_key(entry: object, office: str) -> tuple[str, str, str]:
    """(key_id, purpose, public PEM) of one announced key, checked."""
    if not isinstance(entry, dict):
        raise _refuse("keys.announcement_format", office)
    purpose, pem, kid = entry.get("purpose"), str(entry.get("public_key", "")), entry.get("key_id")
    try:
        key = serialization.load_pem_public_key(pem.encode())
    except ValueError:
        raise _refuse("keys.announcement_format", office) from None
    wanted = Ed25519PublicKey if purpose == SIGN else X25519PublicKey if purpose == ENCRYPT else None
    if wanted is None or not isinstance(key, wanted) or kid != key_id(pem):
        raise _refuse("keys.announcement_format", office)
    return str(kid), str(purpose), pem


def extend(records: Sequence[KeyRecord], office: str, announcements: Iterable[object]) -> list[KeyRecord]:
    """The office's key history after the announcements, each checked against the keys trusted
    before it; IntegrityFailure naming why for one that cannot be trusted (nothing is written: the
    caller saves the result once everything else is checked too). Announcements already recorded
    are passed over; one signed by a key another of them introduces waits for it, whatever the
    order given."""
    keys = {r.key_id: r for r in records}
    order = [r.key_id for r in records]
    waiting = list(announcements)
    while waiting:
        later: list[tuple[object, IntegrityFailure]] = []
        for env in waiting:
            try:
                _apply(keys, order, office, env)
            except IntegrityFailure as refused:
                if refused.key not in _MAY_WAIT:
                    raise
                later.append((env, refused))
        if len(later) == len(waiting):
            raise later[0][1]
        waiting = [env for env, _e in later]
    return [keys[k] for k in order]


_MAY_WAIT = frozenset({"keys.announcement_untrusted", "keys.revoke_unknown"})


def _apply(keys: dict[str, KeyRecord], order: list[str], office: str, env: object) -> None:
    """Check one announcement against the keys so far and add what it says to them."""
    body = env.get("announcement") if isinstance(env, dict) else None
    if not isinstance(env, dict) or not isinstance(body, dict) or body.get("format") != FORMAT \
            or body.get("office") != office or body.get("kind") not in ("rotate", "revoke"):
        raise _refuse("keys.announcement_format", office)
    text = canonical(body)
    if body["kind"] == "rotate":
        entries = body.get("keys")
        if not isinstance(entries, list) or not entries:
            raise _refuse("keys.announcement_format", office)
        new = [_new_key(e, office) for e in entries]
        if all(kid in keys for kid, _p, _pem in new):
            return
    else:
        target = keys.get(str(body.get("key_id")))
        since = _moment(body.get("revoked_at"), office)
        if target is not None and target.revoked_at == since and target.revocation is not None:
            return
    by = str(body.get("signed_by", ""))
    signer = keys.get(by)
    if signer is None or signer.purpose != SIGN or not signer.current:
        raise _refuse("keys.announcement_untrusted", office, key_id=by)
    if signer.revoked_at is not None:
        raise _refuse("keys.announcement_revoked", office, key_id=by)
    if not _verify(signer.public_key, text, env.get("signature")):
        raise _refuse("keys.announcement_signature", office, key_id=by)
    if body["kind"] == "rotate":
        valid_from = _moment(body.get("valid_from"), office)
        new_sign = [pem for _k, p, pem in new if p == SIGN]
        if len(new_sign) != 1 or not _verify(new_sign[0], text, env.get("countersignature")):
            raise _refuse("keys.announcement_signature", office, key_id=by)
        for kid, purpose, _pem in new:
            if kid in keys:
                raise _refuse("keys.announcement_format", office)
            old = current(keys.values(), purpose)
            if old is not None:
                keys[old.key_id] = replace(old, retired_at=valid_from)
        for kid, purpose, pem in new:
            keys[kid] = KeyRecord(kid, purpose, pem, valid_from, announcement=text,
                                  signature=str(env["signature"]),
                                  countersignature=str(env["countersignature"]))
            order.append(kid)
        return
    if target is None:
        raise _refuse("keys.revoke_unknown", office, key_id=str(body.get("key_id")))
    if target.key_id == by:
        raise _refuse("keys.announcement_format", office)
    keys[target.key_id] = replace(target, revoked_at=since, revocation=text,
                                  revocation_signature=str(env["signature"]))


def announcements(records: Iterable[KeyRecord]) -> list[dict[str, Any]]:
    """The announcements behind a key history, oldest first, as they travel."""
    found: dict[str, dict[str, Any]] = {}
    for r in records:
        if r.announcement is not None and r.announcement not in found:
            env = {"announcement": json.loads(r.announcement), "signature": r.signature}
            if r.countersignature is not None:
                env["countersignature"] = r.countersignature
            found[r.announcement] = env
        if r.revocation is not None and r.revocation not in found:
            found[r.revocation] = {"announcement": json.loads(r.revocation), "signature": r.revocation_signature}
    # oldest first, a rotation before a revocation made in the same second (extend takes any order)
    return sorted(found.values(), key=lambda e: (str(e["announcement"].get("made_at", "")),
                                                 e["announcement"].get("kind") != "rotate"))


# -- the table -------------------------------------------------------------------------------

_COLUMNS = ("purpose", "public_key", "valid_from", "retired_at", "revoked_at", "announcement", "signature",
            "countersignature", "revocation", "revocation_signature")


def load(s: Session, office: str) -> list[KeyRecord]:
    """An office's key history, oldest first."""
    rows = s.scalars(select(OfficeKey).where(OfficeKey.office_code == office)
                     .order_by(OfficeKey.valid_from, OfficeKey.created_at, OfficeKey.purpose))
    return [KeyRecord(r.key_id, **{c: getattr(r, c) for c in _COLUMNS}) for r in rows]


def first_keys(office: str, sign_pem: str, encrypt_pem: str | None, since: dt.datetime) -> list[KeyRecord]:
    """An office's keys as first given (no announcement before them)."""
    out = [KeyRecord(key_id(sign_pem), SIGN, sign_pem, since)]
    if encrypt_pem:
        out.append(KeyRecord(key_id(encrypt_pem), ENCRYPT, encrypt_pem, since))
    return out


def save(s: Session, office: str, records: Iterable[KeyRecord], now: dt.datetime) -> None:
    """Record an office's key history (new keys added, changed ones updated) and make a trusted
    office's current public keys follow it."""
    records = list(records)
    for r in records:
        row = s.get(OfficeKey, r.key_id)
        if row is None:
            s.add(OfficeKey(key_id=r.key_id, office_code=office, created_at=now,
                            **{c: getattr(r, c) for c in _COLUMNS}))
        elif row.office_code != office:
            raise _refuse("keys.announcement_format", office)
        else:
            for c in _COLUMNS:
                if getattr(row, c) != getattr(r, c):
                    setattr(row, c, getattr(r, c))
    trusted = s.scalars(select(TrustedOffice).where(TrustedOffice.code == office)).first()
    if trusted is not None:
        signing, encryption = current(records, SIGN), current(records, ENCRYPT)
        if signing is not None and trusted.public_key != signing.public_key:
            trusted.public_key = signing.public_key
        if encryption is not None and trusted.enc_public_key != encryption.public_key:
            trusted.enc_public_key = encryption.public_key


def history_or_first(s: Session, office: str, sign_pem: str, encrypt_pem: str | None,
                     since: dt.datetime) -> list[KeyRecord]:
    """An office's recorded history, or (none recorded) its current keys as its first."""
    return load(s, office) or first_keys(office, sign_pem, encrypt_pem, since)


def signing_keys(records: Iterable[KeyRecord]) -> list[KeyRecord]:
    """The signing keys of a history, the current one first."""
    signs = [r for r in records if r.purpose == SIGN]
    return sorted(signs, key=lambda r: (not r.current, -(r.valid_from.timestamp())))
