"""The sync file: a readable manifest, an encrypted compressed body, and the sender's signature.

Layout (all lengths big-endian):

    MAGIC (12 bytes) | header length (4) | header (UTF-8 JSON) | body length (8) | body | signature (64)

- The header is the manifest (format, schema revision and program version, sender, recipients,
  per-origin sequence ranges, counts, creation time, the sender's key announcements) plus, for
  each recipient office, the body key wrapped to that office: X25519 with a fresh key pair, HKDF-SHA256, AES-256-GCM.
- The body is zlib-compressed and encrypted with AES-256-GCM under a random key, the header as
  associated data (so no manifest value can be changed either). Inside (format 2): one line of
  JSON describing the sealed segments, each with the length of its changes, then each segment's
  changes as one JSON array (UTF-8), one after the other. Format 1 (the first version's files, still
  read) was one JSON document with the changes inside the segments.
- The signature is the sender's Ed25519 signature over everything before it. It is checked before
  anything is decrypted, so a damaged or forged file is refused without touching its content.

Each segment inside is signed by the office where its changes were made (its origin), so a
prefecture can relay it unchanged: whoever reads it checks the origin's own signature. The signed
digest is SHA-256 over the segment's changes as one JSON array ("sha256-list:" and the hash in
base64url); a digest in plain hex is the first version's, over the changes one line each.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from desktop.core.errors import IntegrityFailure
from desktop.core.keys import Signer, as_decryption_key, as_signer

MAGIC = b"SHEBAO-SYNC\n"
FORMAT = 2
FORMATS = (1, 2)  # the file formats this version reads
_HKDF_INFO = b"shebao-sync/1 body key"
_SEGMENT_CONTEXT = b"shebao-segment/1\n"


def b64(data: bytes) -> str:
    """Bytes as base64 text."""
    return base64.b64encode(data).decode()


def unb64(text: str) -> bytes:
    """Base64 text as bytes (a malformed value is a damaged file)."""
    try:
        return base64.b64decode(text.encode(), validate=True)
    except (ValueError, TypeError):
        raise IntegrityFailure("sync.damaged", "file") from None


# -- keys -----------------------------------------------------------------------------------

def new_encryption_key() -> tuple[str, str]:
    """A new X25519 key pair as (public, private) PEM text."""
    key = X25519PrivateKey.generate()
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return public, private


def load_verify_key(pem: str) -> Ed25519PublicKey:
    """An office's Ed25519 public key."""
    key = serialization.load_pem_public_key(pem.encode())
    assert isinstance(key, Ed25519PublicKey)
    return key


def _x_public(pem: str) -> X25519PublicKey:
    key = serialization.load_pem_public_key(pem.encode())
    if not isinstance(key, X25519PublicKey):
        raise ValueError("not an X25519 key")  # noqa: TRY004 - a bad key, as the loader's own errors
    return key


def _unwrap(entry: Mapping[str, Any], eph_pub: bytes, office: str, keys: list[X25519PrivateKey]) -> bytes:
    """The body key wrapped to this office, opened with whichever of its keys it was wrapped to."""
    for key in keys:
        kek = _wrap_key(key.exchange(X25519PublicKey.from_public_bytes(eph_pub)), eph_pub)
        try:
            return AESGCM(kek).decrypt(unb64(entry["nonce"]), unb64(entry["key"]), office.encode())
        except InvalidTag:
            continue
    raise InvalidTag


def _wrap_key(shared: bytes, salt: bytes) -> bytes:
    return HKDF(hashes.SHA256(), 32, salt, _HKDF_INFO).derive(shared)


# -- segments -------------------------------------------------------------------------------

Change = list[Any]  # [seq, lamport, tbl, key, base, data (JSON text), at]
_LIST_DIGEST = "sha256-list:"
_LINE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
# The types each field of a change may have (base is None for a record's first change).
_FIELD_TYPES: tuple[set[type], ...] = ({int}, {int}, {str}, {str}, {str, type(None)}, {str}, {str})


def changes_blob(changes: Sequence[Sequence[Any]]) -> bytes:
    """A segment's changes as they travel and are hashed: one JSON array, UTF-8.

    The same changes always give the same bytes, so an office relaying a segment from its own
    records sends exactly what the origin signed.
    """
    return _LINE.encode(changes).encode()


def list_digest(blob: bytes) -> str:
    """The digest of a segment's changes blob."""
    return _LIST_DIGEST + base64.urlsafe_b64encode(hashlib.sha256(blob).digest()).rstrip(b"=").decode()


def lines_digest(origin: str, changes: Sequence[Sequence[Any]]) -> str:
    """The first version's digest: SHA-256 over the changes one JSON line each, origin first."""
    h = hashlib.sha256()
    for change in changes:
        h.update(_LINE.encode([origin, *change]).encode() + b"\n")
    return h.hexdigest()


def segment_message(origin: str, first: int, last: int, digest: str, sealed_at: str) -> bytes:
    """What the origin office signs for a segment."""
    return _SEGMENT_CONTEXT + json.dumps([origin, first, last, digest, sealed_at],
                                         separators=(",", ":")).encode()


@dataclass(frozen=True)
class Segment:
    """A run of one origin's changes (sequence first..last) with the origin's signature.

    `blob` is the changes as read from a file or made at sealing (None: made again when needed).
    """

    origin: str
    first: int
    last: int
    digest: str
    signature: str
    sealed_at: str
    changes: list[Change]
    blob: bytes | None = field(default=None, repr=False, compare=False)

    def meta(self) -> dict[str, Any]:
        """Everything but the changes."""
        return {"origin": self.origin, "first": self.first, "last": self.last, "digest": self.digest,
                "signature": self.signature, "sealed_at": self.sealed_at}

    def as_json(self) -> dict[str, Any]:
        """The segment as one JSON object (format 1, and held segments)."""
        return {**self.meta(), "changes": self.changes}

    def the_blob(self) -> bytes:
        """The changes blob (the one read or sealed, else made from the changes)."""
        return self.blob if self.blob is not None else changes_blob(self.changes)

    @classmethod
    def from_json(cls, d: Mapping[str, Any], blob: bytes | None = None) -> Segment:
        """A segment read from a file (shape checked; signatures are checked by `verify`)."""
        try:
            changes = d["changes"]
            if type(changes) is not list or set(map(type, changes)) - {list}:
                raise TypeError("changes")
            seg = cls(str(d["origin"]), int(d["first"]), int(d["last"]), str(d["digest"]),
                      str(d["signature"]), str(d["sealed_at"]), changes, blob)
        except (KeyError, TypeError, ValueError):
            raise IntegrityFailure("sync.damaged", "file") from None
        if seg.last - seg.first + 1 != len(changes) or not _well_formed(changes) or \
                list(map(_first, changes)) != list(range(seg.first, seg.last + 1)):
            raise IntegrityFailure("sync.segment_broken", "file", origin=seg.origin)
        return seg

    def verify(self, public_pem: str) -> None:
        """Refuse (IntegrityFailure) unless the digest matches and the origin signed it."""
        if self.digest.startswith(_LIST_DIGEST):
            found = list_digest(self.the_blob())
        else:
            found = lines_digest(self.origin, self.changes)
        if found != self.digest:
            raise IntegrityFailure("sync.segment_broken", "file", origin=self.origin)
        try:
            load_verify_key(public_pem).verify(
                unb64(self.signature),
                segment_message(self.origin, self.first, self.last, self.digest, self.sealed_at))
        except InvalidSignature:
            raise IntegrityFailure("sync.segment_signature", "file", origin=self.origin) from None


_first = itemgetter(0)


def _well_formed(changes: list[Any]) -> bool:
    """Every change has its seven fields, each of its type (checked field by field, in C)."""
    if set(map(len, changes)) - {7}:
        return False
    columns = list(zip(*changes, strict=True))
    # no changes at all: no columns, and nothing wrong with them
    return all(set(map(type, col)) <= allowed for col, allowed in zip(columns, _FIELD_TYPES, strict=False))


def seal(origin: str, changes: list[Change], signer: Signer | str, sealed_at: str, lines: bool = False) -> Segment:
    """Sign a run of this office's own changes (`lines`: with the first version's digest)."""
    first, last = int(changes[0][0]), int(changes[-1][0])
    blob = None if lines else changes_blob(changes)
    digest = lines_digest(origin, changes) if blob is None else list_digest(blob)
    signature = as_signer(signer).sign(segment_message(origin, first, last, digest, sealed_at))
    return Segment(origin, first, last, digest, b64(signature), sealed_at, changes, blob)


# -- the file -------------------------------------------------------------------------------

def pack(manifest: dict[str, Any], segments: Sequence[Segment], recipients: Mapping[str, str],
         signer: Signer | str, fmt: int = FORMAT) -> bytes:
    """Build a sync file for the recipients ({office code: X25519 public PEM}).

    `fmt` 1 writes the first version's layout (to test that files from it are still read).
    """
    body_key = AESGCM.generate_key(256)
    wrapped = []
    for code, pem in sorted(recipients.items()):
        eph = X25519PrivateKey.generate()
        eph_pub = eph.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        kek = _wrap_key(eph.exchange(_x_public(pem)), eph_pub)
        nonce = os.urandom(12)
        wrapped.append({"office": code, "epk": b64(eph_pub), "nonce": b64(nonce),
                        "key": b64(AESGCM(kek).encrypt(nonce, body_key, code.encode()))})
    nonce = os.urandom(12)
    header = {**manifest, "format": fmt, "recipients": wrapped, "nonce": b64(nonce)}
    header_bytes = json.dumps(header, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    if fmt == 1:
        plain = json.dumps({"segments": [s.as_json() for s in segments]}, ensure_ascii=False,
                           separators=(",", ":")).encode()
    else:
        blobs = [s.the_blob() for s in segments]
        index = [{**s.meta(), "size": len(b)} for s, b in zip(segments, blobs, strict=True)]
        plain = b"".join([json.dumps({"segments": index}, ensure_ascii=False, separators=(",", ":")).encode(),
                          b"\n", *blobs])
    body = AESGCM(body_key).encrypt(nonce, zlib.compress(plain, 6), header_bytes)
    signed = MAGIC + struct.pack(">I", len(header_bytes)) + header_bytes + struct.pack(">Q", len(body)) + body
    return signed + as_signer(signer).sign(signed)


@dataclass(frozen=True)
class Opened:
    """A sync file split into its parts (nothing checked yet but the shape)."""

    header: dict[str, Any]
    header_bytes: bytes
    body: bytes
    signed: bytes
    signature: bytes


def open_file(raw: bytes) -> Opened:
    """Split a file; refuse what is not a sync file or is cut short."""
    if not raw.startswith(MAGIC):
        raise IntegrityFailure("sync.not_ours", "file")
    try:
        pos = len(MAGIC)
        (hlen,) = struct.unpack_from(">I", raw, pos)
        pos += 4
        header_bytes = raw[pos:pos + hlen]
        pos += hlen
        (blen,) = struct.unpack_from(">Q", raw, pos)
        pos += 8
        body = raw[pos:pos + blen]
        pos += blen
        signature = raw[pos:]
        if len(header_bytes) != hlen or len(body) != blen or len(signature) != 64:
            raise IntegrityFailure("sync.truncated", "file")
        header = json.loads(header_bytes.decode())
    except (struct.error, ValueError, UnicodeDecodeError):
        raise IntegrityFailure("sync.truncated", "file") from None
    if not isinstance(header, dict):
        raise IntegrityFailure("sync.truncated", "file")
    return Opened(header, header_bytes, body, raw[:pos], signature)


def check_signature(opened: Opened, sender_pem: str) -> None:
    """Refuse unless the sender's signature covers the file exactly."""
    try:
        load_verify_key(sender_pem).verify(opened.signature, opened.signed)
    except InvalidSignature:
        raise IntegrityFailure("sync.bad_signature", "file", office=str(opened.header.get("sender"))) from None


def decrypt(opened: Opened, office: str,
            keys: X25519PrivateKey | str | Sequence[X25519PrivateKey]) -> list[Segment]:
    """Unwrap the body key with this office's X25519 key (given several, the one the file was
    encrypted to) and read the segments."""
    entry = next((r for r in opened.header.get("recipients", []) if r.get("office") == office), None)
    if entry is None:
        raise IntegrityFailure("sync.not_for_us", "file",
                               to=", ".join(str(r.get("office")) for r in opened.header.get("recipients", [])))
    try:
        eph_pub = unb64(entry["epk"])
        mine = [as_decryption_key(keys)] if isinstance(keys, (str, X25519PrivateKey)) else list(keys)
        body_key = _unwrap(entry, eph_pub, office, mine)
        plain = zlib.decompress(AESGCM(body_key).decrypt(unb64(opened.header["nonce"]), opened.body,
                                                         opened.header_bytes))
        if opened.header.get("format") == 1:
            data = json.loads(plain.decode())
            return [Segment.from_json(s) for s in data["segments"]]
        end = plain.index(b"\n")
        segments, pos = [], end + 1
        for meta in json.loads(plain[:end].decode())["segments"]:
            size = int(meta["size"])
            blob = plain[pos:pos + size]
            if size < 0 or len(blob) != size:
                raise ValueError("segment size")
            pos += size
            segments.append(Segment.from_json({**meta, "changes": json.loads(blob.decode())}, blob))
        if pos != len(plain):
            raise ValueError("trailing bytes")
        return segments
    except (InvalidTag, ValueError, KeyError, TypeError, zlib.error, UnicodeDecodeError):
        raise IntegrityFailure("sync.damaged", "file") from None
