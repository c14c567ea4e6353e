"""Verification codes: an issuing office's Ed25519 signature over a document's essential fields.

The code carries the fields and the signature, so any office that trusts the issuer can check it
offline, from the printed text or the QR code. Layout before encoding: one byte giving the length of
the fields (compact JSON, UTF-8), the fields, the 64-byte signature, then zero bytes to a multiple of
five, so that the Base32 text has no unused bits and changing any character changes the bytes.
Printed as "SB2-" and groups of five characters.

Version 2 ("SB2") names its key: after the fields come the signing key's id (8 bytes, `keys.key_id`),
and the signature covers the key id and the fields, so an office that has rotated its key can say
which key made a code. Version 1 ("SB1", no key id; the signature covers the fields) is still read.

Beside it each page carries a short code that can be typed: the document number and eight Base32
characters of the SHA-256 of the signature (ABCD-EFGH). It is checked against the issuing office's
register of documents, not offline.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from desktop.core.keys import Signer, as_signer

PREFIX = "SB2"
PREFIXES = ("SB1", "SB2")  # the versions read (a code starts with one of them)
KEY_ID_BYTES = 8
SIGNATURE_BYTES = 64
SHORT_CHARS = 8
_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_TYPED = str.maketrans({"0": "O", "1": "I", "8": "B"})  # digits read for letters not in Base32
_SHORT_TAIL = re.compile(r"^(?P<number>.+?)\s*[/\s]\s*(?P<short>[A-Za-z0-9]{4}[-\s]?[A-Za-z0-9]{4})\s*$")


@dataclass(frozen=True)
class Decoded:
    """The fields and signature read from a code (not yet checked)."""

    fields: dict[str, Any]
    message: bytes  # what was signed
    signature: bytes
    key_id: str | None = None  # the signing key's id (None: an SB1 code, which does not say)


class BadCode(ValueError):
    """The text is not a verification code of this application."""


def _canonical(fields: dict[str, Any]) -> bytes:
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def make_code(fields: dict[str, Any], signer: Signer | str, version: int = 2) -> str:
    """Sign the fields with the office's signing key and encode them as a printable code
    (`version` 1 writes the first version's code, to test that such codes still verify)."""
    key = as_signer(signer)
    message = _canonical(fields)
    if len(message) > 255:
        raise ValueError("document fields too long for a verification code")
    kid = bytes.fromhex(key.key_id) if version == 2 else b""
    raw = bytes([len(message)]) + message + kid + key.sign(kid + message)
    raw += b"\0" * (-len(raw) % 5)
    text = base64.b32encode(raw).decode()
    return PREFIXES[version - 1] + "-" + "-".join(text[i:i + 5] for i in range(0, len(text), 5))


def normalise(code: str) -> str:
    """The code without spaces, dashes and line breaks, upper case."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def decode(code: str) -> Decoded:
    """Split a code into fields and signature; BadCode when it is not well formed."""
    text = normalise(code)
    version = text[:len(PREFIX)]
    if version not in PREFIXES:
        raise BadCode("prefix")
    body = text[len(PREFIX):]
    if len(body) % 8:
        raise BadCode("length")
    try:
        raw = base64.b32decode(body)
    except (binascii.Error, ValueError):
        raise BadCode("characters") from None
    if not raw:
        raise BadCode("empty")
    n = raw[0]
    message = raw[1:1 + n]
    kid = raw[1 + n:1 + n + KEY_ID_BYTES] if version == "SB2" else b""
    start = 1 + n + len(kid)
    signature = raw[start:start + SIGNATURE_BYTES]
    padding = raw[start + SIGNATURE_BYTES:]
    if (version == "SB2" and len(kid) != KEY_ID_BYTES) or len(message) != n or \
            len(signature) != SIGNATURE_BYTES or padding != b"\0" * len(padding) or len(padding) > 4:
        raise BadCode("layout")
    try:
        fields = json.loads(message.decode())
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BadCode("fields") from None
    if not isinstance(fields, dict) or _canonical(fields) != message:
        raise BadCode("fields")
    return Decoded(fields, kid + message, signature, kid.hex().upper() if kid else None)


def signature_valid(decoded: Decoded, public_pem: str) -> bool:
    """Whether the signature was made by the key whose public half is given."""
    key = serialization.load_pem_public_key(public_pem.encode())
    assert isinstance(key, Ed25519PublicKey)
    try:
        key.verify(decoded.signature, decoded.message)
    except InvalidSignature:
        return False
    return True


def short_code(code: str) -> str:
    """The typed short code of a verification code: 8 Base32 characters of the SHA-256 of its
    signature, as ABCD-EFGH; BadCode when the code is not well formed."""
    digest = hashlib.sha256(decode(code).signature).digest()
    text = base64.b32encode(digest[:5]).decode()  # 5 bytes are exactly 8 characters
    return text[:4] + "-" + text[4:SHORT_CHARS]


def normalise_short(text: str) -> str:
    """A typed short code upper case, without spaces and dashes, with 0/1/8 read as O/I/B."""
    return "".join(ch for ch in text.upper().translate(_TYPED) if ch.isalnum())


def split_short(text: str) -> tuple[str, str] | None:
    """(number, short code) from "NUMBER SHORTCODE" or "NUMBER/SHORTCODE"; None for anything else
    (a full code, a file name)."""
    match = _SHORT_TAIL.match(text.strip())
    if match is None:
        return None
    short = normalise_short(match.group("short"))
    if len(short) != SHORT_CHARS or any(ch not in _B32 for ch in short):
        return None
    return match.group("number").strip().upper(), short
