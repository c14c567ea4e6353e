"""The office's private keys as the rest of the program sees them: something that signs, and
something that opens sync files encrypted to this office.

Callers never read private key material themselves: they ask for the office's signer
(`office_signer`) or its decryption keys (`office_decryption_keys`) and pass those on. Where the
keys are kept is this module's business alone.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

if TYPE_CHECKING:
    from desktop.core.store.models import Office


@runtime_checkable
class Signer(Protocol):
    """An Ed25519 signing key, wherever it is kept (a file, the system's store, a USB token)."""

    @property
    def key_id(self) -> str: ...

    @property
    def public_pem(self) -> str: ...

    def sign(self, data: bytes) -> bytes:
        """The 64-byte Ed25519 signature of the data."""
        ...


def key_id(public_pem: str) -> str:
    """A public key's short name: the first 16 hex digits (upper case) of the SHA-256 of its raw
    32 bytes. Printed in codes and listed by `office keys`."""
    key = serialization.load_pem_public_key(public_pem.encode())
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16].upper()


class KeySigner:
    """A signer over a private key held in this process's memory."""

    def __init__(self, key: Ed25519PrivateKey) -> None:
        self._key = key
        self._public = key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
        self._id = key_id(self._public)

    @property
    def key_id(self) -> str:
        return self._id

    @property
    def public_pem(self) -> str:
        return self._public

    def public_key(self) -> Ed25519PublicKey:
        return self._key.public_key()

    @property
    def private_key(self) -> Ed25519PrivateKey:
        """The key itself (to keep it in the key store)."""
        return self._key

    def sign(self, data: bytes) -> bytes:
        return self._key.sign(data)


def as_signer(key: Signer | str) -> Signer:
    """A signer, given one or a PEM private key."""
    if isinstance(key, str):
        loaded = serialization.load_pem_private_key(key.encode(), None)
        if not isinstance(loaded, Ed25519PrivateKey):
            raise ValueError("not an Ed25519 private key")  # noqa: TRY004 - a bad key, as the loader's own errors
        return KeySigner(loaded)
    return key


def as_decryption_key(key: X25519PrivateKey | str) -> X25519PrivateKey:
    """An X25519 private key, given one or its PEM text."""
    if isinstance(key, str):
        loaded = serialization.load_pem_private_key(key.encode(), None)
        if not isinstance(loaded, X25519PrivateKey):
            raise ValueError("not an X25519 private key")  # noqa: TRY004 - a bad key, as the loader's own errors
        return loaded
    return key


def office_signer(office: Office) -> Signer:
    """The office's current signing key: on a USB key (PKCS#11) when the office's settings name one,
    else from the key store (desktop/core/keystore) by the id of the office's public key. A database
    from before the key store still holds it in its row until `shebao office keys move` takes it
    out: then it is used from there."""
    from desktop.core.keystore.pkcs11 import office_token_signer

    token = office_token_signer(office)
    if token is not None:
        return token
    if office.private_key:
        return as_signer(office.private_key)
    from desktop.core.keystore import open_store

    return KeySigner(open_store().signing_key(key_id(office.public_key)))


def office_decryption_keys(office: Office) -> list[X25519PrivateKey]:
    """The keys sync files to this office may be encrypted to, the current one first, then the
    office's older ones still in the key store, newest first (none for an office set up before sync
    existed that never made one)."""
    from desktop.core.keystore import ENCRYPT, open_store

    store = open_store()
    found: list[X25519PrivateKey] = []
    current = key_id(office.enc_public_key) if office.enc_public_key else None
    if office.enc_private_key:
        found.append(as_decryption_key(office.enc_private_key))
    elif current is not None:
        found.append(store.decryption_key(current))
    for entry in store.entries(office=office.code, purpose=ENCRYPT):
        if entry.key_id != current:
            found.append(store.decryption_key(entry.key_id))
    return found


def keep_new_keys(office: Office, signing: Ed25519PrivateKey, encryption: X25519PrivateKey) -> None:
    """Keep the office's new private keys where its keys are kept (the key store, under the
    office's code) and make them its current keys: the office row's public keys follow, and its row
    holds no private key. Called inside the write transaction that announces them; the caller has
    already signed whatever the previous key must sign. Refused (keystore.KeysLocked) before
    anything changes when the store cannot be opened."""
    from desktop.core.keystore import open_store

    open_store().put(signing, office.code)
    keep_encryption_key(office, encryption)
    office.public_key = signing.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    office.private_key = None


def keep_encryption_key(office: Office, encryption: X25519PrivateKey) -> None:
    """Keep a new sync decryption key in the key store and make it the office's current one (an
    office set up before sync existed makes its first one so)."""
    from desktop.core.keystore import open_store

    open_store().put(encryption, office.code)
    office.enc_public_key = encryption.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    office.enc_private_key = None
