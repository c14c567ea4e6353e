"""The sync file's own checks (desktop/core/sync/container.py), on files made and damaged here.

No database: segments and files are built from a few literal changes with keys made for the test,
taken apart by hand as the layout in the module's docstring says (X25519 + HKDF-SHA256 +
AES-256-GCM, zlib, Ed25519), and damaged byte by byte. Expected digests were worked out with
`sha256sum` / `openssl dgst -sha256 -binary | base64` over the bytes written out in the test.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
import zlib
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from desktop.core.errors import IntegrityFailure
from desktop.core.sync import container
from desktop.core.sync.container import Segment

MAGIC = b"SHEBAO-SYNC\n"
CHANGES: list[list[Any]] = [
    [1, 1, "worker", "W1", None, "张三", "2026-11-23 10:00:00"],
    [2, 2, "contribution", "W1|202401", "NC01:1", "6000.00", "2026-11-23 10:00:01"],
]
BLOB = ('[[1,1,"worker","W1",null,"张三","2026-11-23 10:00:00"],'
        '[2,2,"contribution","W1|202401","NC01:1","6000.00","2026-11-23 10:00:01"]]').encode()
# printf '%s' BLOB | openssl dgst -sha256 -binary | base64 | tr '+/' '-_'  (one '=' of padding dropped)
LIST_DIGEST = "sha256-list:Q3Jf0dlpIA4Q6QQuGlZFbNEhObxI48kSTnWe_ALhBzk"
# printf the two lines ["NC01",<change>] each ending in \n | sha256sum
LINES_DIGEST = "933d8c358aaf52a2dfb8ebd2c5b3b2b247dbc31eefd2df029927d56a91b775de"
SEALED = "2026-11-23 10:00:02"


def _ed() -> tuple[str, str]:
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return private, public


def _x() -> tuple[X25519PrivateKey, str]:
    key = X25519PrivateKey.generate()
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return key, public


NC_SIGN, NC_VERIFY = _ed()  # the sender and origin NC01
BJ_SIGN, BJ_VERIFY = _ed()  # a second origin, BJ01
SH_KEY, SH_PUBLIC = _x()  # the recipient SH01
GZ_KEY, GZ_PUBLIC = _x()  # another recipient, GZ01
MANIFEST = {"sender": "NC01", "created": "2026-11-23 10:00:03", "name": "南昌市社保局"}


def _refused(info: pytest.ExceptionInfo[IntegrityFailure], key: str, **params: Any) -> None:
    assert (info.value.key, info.value.field, info.value.params) == (key, "file", params)


def _segments() -> list[Segment]:
    bj = [[7, 9, "employer", "E1", None, "北京", "2026-11-22 09:00:00"]]
    return [container.seal("NC01", [list(c) for c in CHANGES], NC_SIGN, SEALED),
            container.seal("BJ01", bj, BJ_SIGN, "2026-11-22 09:00:01")]


def _hand_open(raw: bytes, office: str, key: X25519PrivateKey) -> tuple[dict[str, Any], bytes, bytes]:
    """(header, header bytes, compressed plaintext) of a file, read by hand as the layout says."""
    assert raw[:12] == MAGIC
    (hlen,) = struct.unpack(">I", raw[12:16])
    header_bytes = raw[16:16 + hlen]
    (blen,) = struct.unpack(">Q", raw[16 + hlen:24 + hlen])
    body = raw[24 + hlen:24 + hlen + blen]
    assert len(raw) == 24 + hlen + blen + 64
    header = json.loads(header_bytes)
    entry = next(r for r in header["recipients"] if r["office"] == office)
    eph = base64.b64decode(entry["epk"])
    kek = HKDF(hashes.SHA256(), 32, eph, b"shebao-sync/1 body key").derive(
        key.exchange(X25519PublicKey.from_public_bytes(eph)))
    body_key = AESGCM(kek).decrypt(base64.b64decode(entry["nonce"]), base64.b64decode(entry["key"]),
                                   office.encode())
    compressed = AESGCM(body_key).decrypt(base64.b64decode(header["nonce"]), body, header_bytes)
    return header, header_bytes, compressed


def _hand_pack(header_extra: dict[str, Any], plain: bytes, to: dict[str, str], signer: str = NC_SIGN,
               key_nonce: bytes | None = None) -> bytes:
    """A sync file made by hand as the layout says (not with container.pack), signed by `signer`."""
    body_key = os.urandom(32)
    wrapped = []
    for code, pem in to.items():
        eph = X25519PrivateKey.generate()
        eph_pub = eph.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        peer = serialization.load_pem_public_key(pem.encode())
        assert isinstance(peer, X25519PublicKey)
        kek = HKDF(hashes.SHA256(), 32, eph_pub, b"shebao-sync/1 body key").derive(eph.exchange(peer))
        nonce = key_nonce or os.urandom(12)
        wrapped.append({"office": code, "epk": base64.b64encode(eph_pub).decode(),
                        "nonce": base64.b64encode(nonce).decode(),
                        "key": base64.b64encode(AESGCM(kek).encrypt(nonce, body_key, code.encode())).decode()})
    nonce = os.urandom(12)
    header = {**MANIFEST, "format": 2, "recipients": wrapped, "nonce": base64.b64encode(nonce).decode(),
              **header_extra}
    header_bytes = json.dumps(header).encode()
    body = AESGCM(body_key).encrypt(nonce, zlib.compress(plain), header_bytes)
    signed = MAGIC + struct.pack(">I", len(header_bytes)) + header_bytes + struct.pack(">Q", len(body)) + body
    private = serialization.load_pem_private_key(signer.encode(), None)
    assert isinstance(private, Ed25519PrivateKey)
    return signed + private.sign(signed)


def _plain(metas: list[dict[str, Any]], blobs: list[bytes], tail: bytes = b"") -> bytes:
    return json.dumps({"segments": metas}).encode() + b"\n" + b"".join(blobs) + tail


def _meta(seg: Segment, size: int) -> dict[str, Any]:
    return {"origin": seg.origin, "first": seg.first, "last": seg.last, "digest": seg.digest,
            "signature": seg.signature, "sealed_at": seg.sealed_at, "size": size}


# -- base64 and digests ------------------------------------------------------------------------

def test_base64_both_ways_and_malformed_text_is_a_damaged_file() -> None:
    assert container.b64(b"\x00\xffab") == "AP9hYg=="
    assert container.unb64("AP9hYg==") == b"\x00\xffab"
    for bad in ("AP9h$Yg==", "AP9hYg=", "AP9h Yg=="):  # a stray character, short padding, a space
        with pytest.raises(IntegrityFailure) as info:
            container.unb64(bad)
        _refused(info, "sync.damaged")


def test_changes_blob_and_both_digests_known_answers() -> None:
    assert container.changes_blob(CHANGES) == BLOB
    assert container.list_digest(BLOB) == LIST_DIGEST
    # printf '[]' | openssl dgst -sha256 -binary | base64 -> T1PN...uUU= (the '=' dropped)
    assert container.list_digest(b"[]") == "sha256-list:T1PNoYwrqgwDVLtfmj7L5e0Sq02OEbqHPC8RFhICuUU"
    assert container.lines_digest("NC01", CHANGES) == LINES_DIGEST
    assert container.segment_message("NC01", 1, 2, LIST_DIGEST, SEALED) == (
        b'shebao-segment/1\n["NC01",1,2,"' + LIST_DIGEST.encode() + b'","2026-11-23 10:00:02"]')
    assert container.segment_message("北京", 3, 3, "d", "s") == \
        b'shebao-segment/1\n["\\u5317\\u4eac",3,3,"d","s"]'  # ASCII JSON


# -- segments ----------------------------------------------------------------------------------

def _verify_key(pem: str) -> Any:
    return serialization.load_pem_public_key(pem.encode())


def test_seal_signs_the_list_digest_and_verify_accepts_it() -> None:
    seg = container.seal("NC01", CHANGES, NC_SIGN, SEALED)
    assert (seg.origin, seg.first, seg.last, seg.digest, seg.sealed_at) == ("NC01", 1, 2, LIST_DIGEST, SEALED)
    assert seg.blob == BLOB and seg.the_blob() == BLOB and seg.changes == CHANGES
    _verify_key(NC_VERIFY).verify(base64.b64decode(seg.signature), b'shebao-segment/1\n["NC01",1,2,"'
                                  + LIST_DIGEST.encode() + b'","2026-11-23 10:00:02"]')
    seg.verify(NC_VERIFY)
    assert seg.meta() == {"origin": "NC01", "first": 1, "last": 2, "digest": LIST_DIGEST,
                          "signature": seg.signature, "sealed_at": SEALED}
    assert seg.as_json() == {**seg.meta(), "changes": CHANGES}


def test_seal_of_three_changes_names_the_first_and_last() -> None:
    three = [[5, 1, "worker", "W", None, "x", "t"], [6, 1, "worker", "W", "b", "y", "t"],
             [7, 1, "worker", "W", "b", "z", "t"]]
    seg = container.seal("NC01", three, NC_SIGN, SEALED)
    assert (seg.first, seg.last) == (5, 7)
    seg.verify(NC_VERIFY)


def test_first_version_segments_use_the_lines_digest() -> None:
    seg = container.seal("NC01", CHANGES, NC_SIGN, SEALED, lines=True)
    assert (seg.digest, seg.blob) == (LINES_DIGEST, None)
    assert seg.the_blob() == BLOB  # made again from the changes
    seg.verify(NC_VERIFY)
    forged = Segment("NC01", 1, 2, LINES_DIGEST, seg.signature, SEALED, [CHANGES[0], [*CHANGES[1][:5], "6100.00",
                                                                                    CHANGES[1][6]]])
    with pytest.raises(IntegrityFailure) as info:
        forged.verify(NC_VERIFY)
    _refused(info, "sync.segment_broken", origin="NC01")


def test_the_blob_read_is_what_is_hashed_not_the_changes() -> None:
    """A segment read with a blob checks the blob it read (the bytes the origin signed)."""
    seg = container.seal("NC01", CHANGES, NC_SIGN, SEALED)
    other = Segment("NC01", 1, 2, LIST_DIGEST, seg.signature, SEALED, CHANGES, BLOB.replace(b"6000", b"6100"))
    assert other.the_blob() == BLOB.replace(b"6000", b"6100")
    with pytest.raises(IntegrityFailure) as info:
        other.verify(NC_VERIFY)
    _refused(info, "sync.segment_broken", origin="NC01")


def test_a_segment_signed_by_another_office_is_refused_naming_its_origin() -> None:
    seg = container.seal("NC01", CHANGES, BJ_SIGN, SEALED)
    with pytest.raises(IntegrityFailure) as info:
        seg.verify(NC_VERIFY)
    _refused(info, "sync.segment_signature", origin="NC01")
    for field, value in (("first", 2), ("last", 3), ("sealed_at", "2026-11-23 10:00:03")):
        moved = Segment(**{**seg.meta(), "signature": container.seal("NC01", CHANGES, NC_SIGN, SEALED).signature,
                           "changes": CHANGES, field: value})
        with pytest.raises(IntegrityFailure) as info:
            moved.verify(NC_VERIFY)  # the signature covers the range and the time too
        _refused(info, "sync.segment_signature", origin="NC01")
    bad_b64 = Segment("NC01", 1, 2, LIST_DIGEST, "not base64!", SEALED, CHANGES)
    with pytest.raises(IntegrityFailure) as info:
        bad_b64.verify(NC_VERIFY)
    _refused(info, "sync.damaged")


def _seg_json(**over: Any) -> dict[str, Any]:
    d: dict[str, Any] = {"origin": "NC01", "first": 1, "last": 2, "digest": LIST_DIGEST, "signature": "c2ln",
                         "sealed_at": SEALED, "changes": [list(c) for c in CHANGES]}
    d.update(over)
    return d


def test_from_json_reads_a_well_formed_segment() -> None:
    seg = Segment.from_json(_seg_json(first="1", last=2.0), BLOB)  # numbers as the file gave them
    assert (seg.origin, seg.first, seg.last, seg.digest, seg.signature, seg.sealed_at) == \
        ("NC01", 1, 2, LIST_DIGEST, "c2ln", SEALED)
    assert seg.changes == CHANGES and seg.blob == BLOB
    empty = Segment.from_json(_seg_json(first=5, last=4, changes=[]))  # no changes: nothing wrong with them
    assert (empty.first, empty.last, empty.changes, empty.blob) == (5, 4, [], None)


@pytest.mark.parametrize("over", [
    {"origin": KeyError}, {"first": KeyError}, {"last": KeyError}, {"digest": KeyError},
    {"signature": KeyError}, {"sealed_at": KeyError}, {"changes": KeyError},
    {"first": "one"}, {"last": None}, {"changes": "[]"}, {"changes": (tuple(CHANGES[0]), tuple(CHANGES[1]))},
    {"changes": [list(CHANGES[0]), tuple(CHANGES[1])]}, {"changes": [list(CHANGES[0]), "x"]},
], ids=lambda o: "-".join(f"{k}={v if v is not KeyError else 'missing'}" for k, v in o.items())[:40])
def test_from_json_refuses_a_damaged_shape(over: dict[str, Any]) -> None:
    d = _seg_json(**over)
    for k, v in over.items():
        if v is KeyError:
            del d[k]
    with pytest.raises(IntegrityFailure) as info:
        Segment.from_json(d)
    _refused(info, "sync.damaged")


def _change(i: int, value: Any, which: int = 1) -> list[list[Any]]:
    out = [list(c) for c in CHANGES]
    out[which][i] = value
    return out


@pytest.mark.parametrize("over", [
    {"last": 3}, {"last": 1}, {"first": 0}, {"first": 2},  # the range names 3 or 1 changes, not 2
    {"changes": [list(CHANGES[0])]},
    {"changes": [list(CHANGES[1]), list(CHANGES[0])]},  # 2 then 1
    {"changes": [list(CHANGES[0]), [3, *CHANGES[1][1:]]]},  # 1 then 3
    {"first": 2, "last": 3, "changes": [[2, *CHANGES[0][1:]], [2, *CHANGES[1][1:]]]},  # 2, 2 for 2..3
    {"changes": [list(CHANGES[0]), CHANGES[1][:6]]},  # six fields
    {"changes": [list(CHANGES[0]), [*CHANGES[1], "x"]]},  # eight fields
    {"changes": [list(CHANGES[0]), [CHANGES[1][0]]]},
    # 1.0 and True equal 1: only their type tells them from the sequence number 1
    {"changes": _change(0, "2")}, {"changes": _change(0, True, 0)}, {"changes": _change(0, 1.0, 0)},
    {"changes": _change(1, 2.0)},
    {"changes": _change(1, True)}, {"changes": _change(2, None)}, {"changes": _change(3, 4)},
    {"changes": _change(4, 1)}, {"changes": _change(5, None)}, {"changes": _change(6, None)},
    {"changes": _change(6, b"t")},
], ids=lambda o: json.dumps(o, ensure_ascii=True, default=str)[:60])
def test_from_json_refuses_a_broken_segment_naming_its_origin(over: dict[str, Any]) -> None:
    with pytest.raises(IntegrityFailure) as info:
        Segment.from_json(_seg_json(**over))
    _refused(info, "sync.segment_broken", origin="NC01")


def test_from_json_takes_every_allowed_type() -> None:
    """base may be text or empty; everything else has its one type (checked field by field)."""
    both = [[1, 1, "worker", "W1", None, "a", "t"], [2, 1, "worker", "W1", "NC01:1", "b", "t"]]
    assert Segment.from_json(_seg_json(changes=both)).changes == both


# -- the file ----------------------------------------------------------------------------------

def _pack(fmt: int = 2, segments: list[Segment] | None = None, to: dict[str, str] | None = None) -> bytes:
    return container.pack(dict(MANIFEST), _segments() if segments is None else segments,
                          {"SH01": SH_PUBLIC, "GZ01": GZ_PUBLIC} if to is None else to, NC_SIGN, fmt)


def test_a_packed_file_read_by_hand_as_the_layout_says() -> None:
    segments = _segments()
    raw = _pack(segments=segments)
    header, header_bytes, compressed = _hand_open(raw, "SH01", SH_KEY)
    _verify_key(NC_VERIFY).verify(raw[-64:], raw[:-64])  # the sender's signature over all before it
    # the header: compact key-sorted JSON in UTF-8, the manifest, the format, one entry a recipient
    assert header_bytes == json.dumps(header, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    assert "南昌市社保局".encode() in header_bytes
    assert {k: header[k] for k in MANIFEST} == MANIFEST and header["format"] == 2
    assert [r["office"] for r in header["recipients"]] == ["GZ01", "SH01"]  # sorted by code
    assert [sorted(r) for r in header["recipients"]] == [["epk", "key", "nonce", "office"]] * 2
    assert [len(base64.b64decode(r["nonce"])) for r in header["recipients"]] == [12, 12]
    assert len(base64.b64decode(header["nonce"])) == 12
    assert [len(base64.b64decode(r["epk"])) for r in header["recipients"]] == [32, 32]
    assert compressed[:2] == b"\x78\x9c"  # zlib at level 6 (the default level's header)
    plain = zlib.decompress(compressed)
    index, _, blobs = plain.partition(b"\n")
    metas = json.loads(index)["segments"]
    assert index == json.dumps({"segments": metas}, ensure_ascii=False, separators=(",", ":")).encode()
    assert metas == [{**s.meta(), "size": len(s.the_blob())} for s in segments]
    assert metas[0]["size"] == len(BLOB) == 131  # 54 + 1 + 74 + 2 brackets, counted in BLOB
    assert blobs == BLOB + segments[1].the_blob()
    _, _, other = _hand_open(raw, "GZ01", GZ_KEY)
    assert zlib.decompress(other) == plain


def test_a_first_version_file_read_by_hand() -> None:
    segments = _segments()
    header, _, compressed = _hand_open(_pack(1, segments), "SH01", SH_KEY)
    assert header["format"] == 1
    assert zlib.decompress(compressed) == json.dumps(
        {"segments": [s.as_json() for s in segments]}, ensure_ascii=False, separators=(",", ":")).encode()


def test_pack_refuses_a_recipient_key_that_is_not_x25519() -> None:
    with pytest.raises(ValueError, match="^not an X25519 key$"):
        _pack(to={"SH01": NC_VERIFY})


@pytest.mark.parametrize("fmt", [1, 2])
def test_open_check_and_decrypt_a_packed_file(fmt: int) -> None:
    segments = _segments()
    opened = container.open_file(_pack(fmt, segments))
    assert opened.header["sender"] == "NC01" and opened.header["format"] == fmt
    container.check_signature(opened, NC_VERIFY)
    pem = SH_KEY.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                               serialization.NoEncryption()).decode()
    for keys in (SH_KEY, pem, [GZ_KEY, SH_KEY], (SH_KEY,)):  # one key, its PEM, several (old first)
        got = container.decrypt(opened, "SH01", keys)  # type: ignore[arg-type]
        assert [(s.origin, s.first, s.last, s.digest, s.signature, s.sealed_at, s.changes) for s in got] == \
            [(s.origin, s.first, s.last, s.digest, s.signature, s.sealed_at, s.changes) for s in segments]
        assert [s.blob for s in got] == ([None, None] if fmt == 1 else [BLOB, segments[1].blob])
        got[0].verify(NC_VERIFY)
        got[1].verify(BJ_VERIFY)


def test_a_file_made_by_hand_is_read() -> None:
    segments = _segments()
    blobs = [BLOB, segments[1].the_blob()]
    raw = _hand_pack({}, _plain([_meta(s, len(b)) for s, b in zip(segments, blobs, strict=True)], blobs),
                     {"SH01": SH_PUBLIC})
    opened = container.open_file(raw)
    container.check_signature(opened, NC_VERIFY)
    got = container.decrypt(opened, "SH01", [GZ_KEY, SH_KEY])
    assert [(s.origin, s.first, s.last, s.changes) for s in got] == \
        [("NC01", 1, 2, CHANGES), ("BJ01", 7, 7, [[7, 9, "employer", "E1", None, "北京", "2026-11-22 09:00:00"]])]
    assert got[0].blob == BLOB
    one = _hand_pack({"format": 1}, json.dumps({"segments": [s.as_json() for s in segments]}).encode(),
                     {"SH01": SH_PUBLIC})
    first = container.decrypt(container.open_file(one), "SH01", SH_KEY)
    assert [(s.origin, s.changes) for s in first] == [("NC01", CHANGES), ("BJ01", segments[1].changes)]


def _sections(raw: bytes) -> dict[str, int]:
    """A byte in each part of a file: magic, lengths, the manifest's values, the body, the signature."""
    hlen = struct.unpack(">I", raw[12:16])[0]
    body = 24 + hlen
    blen = struct.unpack(">Q", raw[16 + hlen:body])[0]
    return {"magic": 0, "header-length": 15, "manifest-sender": raw.index(b'"sender":"NC01"') + 13,
            "manifest-created": raw.index(b'"created":"2026') + 14,
            "recipient-key": raw.index(b'"key":"') + 9,
            "body-nonce": raw.index(b'"nonce":"') + 10,  # keys sorted: the header's own comes first
            "body-length": 16 + hlen + 7, "body-start": body, "body-middle": body + blen // 2,
            "body-end": body + blen - 1, "signature-first": len(raw) - 64, "signature-last": len(raw) - 1}


def test_a_flipped_byte_in_each_part_of_the_file_is_refused() -> None:
    raw = _pack()
    opened = container.open_file(raw)
    container.check_signature(opened, NC_VERIFY)
    expected = {"magic": "sync.not_ours", "header-length": "sync.truncated", "body-length": "sync.truncated"}
    for part, pos in _sections(raw).items():
        bad = bytearray(raw)
        bad[pos] ^= 0x01
        with pytest.raises(IntegrityFailure) as info:
            container.check_signature(container.open_file(bytes(bad)), NC_VERIFY)
        if part in expected:
            _refused(info, expected[part])
        else:  # the signature covers everything before it: nothing else is read
            _refused(info, "sync.bad_signature", office="NC01" if part != "manifest-sender" else "NC00")


def test_a_flipped_byte_signed_again_is_still_refused_by_the_encryption() -> None:
    """A sender that signs a file damaged after encryption: the header is the body's associated data
    and the body its ciphertext, so decryption refuses either."""
    raw = _pack()
    sections = _sections(raw)
    for part in ("manifest-created", "body-start", "body-middle", "body-end", "body-nonce"):
        bad = bytearray(raw[:-64])
        bad[sections[part]] ^= 0x01
        private = serialization.load_pem_private_key(NC_SIGN.encode(), None)
        assert isinstance(private, Ed25519PrivateKey)
        opened = container.open_file(bytes(bad) + private.sign(bytes(bad)))
        container.check_signature(opened, NC_VERIFY)
        with pytest.raises(IntegrityFailure) as info:
            container.decrypt(opened, "SH01", SH_KEY)
        _refused(info, "sync.damaged")


@pytest.mark.parametrize("which", [0, 1])
def test_a_changed_segment_in_a_signed_file_is_refused_naming_its_origin(which: int) -> None:
    """Each segment: one byte of its changes changed before the file was sealed and signed."""
    segments = _segments()
    seg = segments[which]
    blob = seg.the_blob().replace(b"20", b"21", 1)
    forged = Segment(seg.origin, seg.first, seg.last, seg.digest, seg.signature, seg.sealed_at,
                     json.loads(blob), blob)
    segments[which] = forged
    got = container.decrypt(container.open_file(_pack(segments=segments)), "SH01", SH_KEY)
    got[1 - which].verify([NC_VERIFY, BJ_VERIFY][1 - which])
    with pytest.raises(IntegrityFailure) as info:
        got[which].verify([NC_VERIFY, BJ_VERIFY][which])
    _refused(info, "sync.segment_broken", origin=["NC01", "BJ01"][which])


def test_the_signature_names_the_sender_of_the_header() -> None:
    opened = container.open_file(_pack())
    with pytest.raises(IntegrityFailure) as info:
        container.check_signature(opened, BJ_VERIFY)  # not the sender's key
    _refused(info, "sync.bad_signature", office="NC01")
    plain = container.open_file(_hand_pack({"sender": None}, _plain([], []), {"SH01": SH_PUBLIC}))
    with pytest.raises(IntegrityFailure) as info:
        container.check_signature(plain, BJ_VERIFY)
    _refused(info, "sync.bad_signature", office="None")


def test_open_file_splits_the_parts() -> None:
    raw = _pack()
    hlen = struct.unpack(">I", raw[12:16])[0]
    opened = container.open_file(raw)
    assert opened.header_bytes == raw[16:16 + hlen]
    assert opened.body == raw[24 + hlen:-64]
    assert (opened.signed, opened.signature) == (raw[:-64], raw[-64:])
    assert opened.header == json.loads(raw[16:16 + hlen])


def test_cut_or_padded_files_are_truncated() -> None:
    raw = _pack()
    hlen = struct.unpack(">I", raw[12:16])[0]
    for cut in (12, 14, 16, 16 + hlen // 2, 16 + hlen, 16 + hlen + 4, 24 + hlen, len(raw) - 64, len(raw) - 1):
        with pytest.raises(IntegrityFailure) as info:
            container.open_file(raw[:cut])
        _refused(info, "sync.truncated")
    with pytest.raises(IntegrityFailure) as info:
        container.open_file(raw + b"\x00")  # 65 bytes where the signature is
    _refused(info, "sync.truncated")
    with pytest.raises(IntegrityFailure) as info:
        container.open_file(b"SHEBAO-SYNC")
    _refused(info, "sync.not_ours")


@pytest.mark.parametrize(("header", "key"), [
    (b"[1,2]", "sync.truncated"), (b'"text"', "sync.truncated"), (b"{nope", "sync.truncated"),
    (b'{"a":"\xff"}', "sync.truncated"), (b"{}", None), (b'{"\xe5\x8d\x97":1}', None),
])
def test_a_header_that_is_not_a_json_object(header: bytes, key: str | None) -> None:
    raw = MAGIC + struct.pack(">I", len(header)) + header + struct.pack(">Q", 3) + b"abc" + b"s" * 64
    if key is None:
        opened = container.open_file(raw)
        assert opened.header == json.loads(header) and opened.body == b"abc" and opened.signature == b"s" * 64
        assert opened.signed == raw[:-64]
        return
    with pytest.raises(IntegrityFailure) as info:
        container.open_file(raw)
    _refused(info, key)


def test_a_file_for_other_offices_names_them() -> None:
    opened = container.open_file(_pack(to={"SH01": SH_PUBLIC, "BJ01": GZ_PUBLIC}))
    with pytest.raises(IntegrityFailure) as info:
        container.decrypt(opened, "GZ01", GZ_KEY)
    _refused(info, "sync.not_for_us", to="BJ01, SH01")
    nobody = container.open_file(_hand_pack({"recipients": []}, _plain([], []), {}))
    with pytest.raises(IntegrityFailure) as info:
        container.decrypt(nobody, "SH01", SH_KEY)
    _refused(info, "sync.not_for_us", to="")
    none = container.open_file(_hand_pack({}, _plain([], []), {}))
    del none.header["recipients"]
    with pytest.raises(IntegrityFailure) as info:
        container.decrypt(none, "SH01", SH_KEY)
    _refused(info, "sync.not_for_us", to="")


def test_a_key_the_file_was_not_encrypted_to_is_refused() -> None:
    opened = container.open_file(_pack(to={"SH01": SH_PUBLIC}))
    for keys in (GZ_KEY, [GZ_KEY], []):
        with pytest.raises(IntegrityFailure) as info:
            container.decrypt(opened, "SH01", keys)  # type: ignore[arg-type]
        _refused(info, "sync.damaged")


def test_a_body_key_wrapped_for_another_office_code_is_refused() -> None:
    """The office code is the wrapped key's associated data: the entry relabelled for SH01 fails."""
    opened = container.open_file(_pack(to={"GZ01": SH_PUBLIC}))
    opened.header["recipients"][0]["office"] = "SH01"
    with pytest.raises(IntegrityFailure) as info:
        container.decrypt(opened, "SH01", SH_KEY)
    _refused(info, "sync.damaged")


def _bodies() -> dict[str, bytes]:
    segments = _segments()
    b1, b2 = BLOB, segments[1].the_blob()
    m1, m2 = _meta(segments[0], len(b1)), _meta(segments[1], len(b2))
    return {
        "size-short": _plain([{**m1, "size": len(b1) - 1}, {**m2, "size": len(b2) + 1}], [b1, b2]),
        "size-long": _plain([m1, {**m2, "size": len(b2) + 1}], [b1, b2]),
        "size-negative": _plain([m1, {**m2, "size": -1}], [b1, b2]),
        "size-missing": _plain([m1, {k: v for k, v in m2.items() if k != "size"}], [b1, b2]),
        "size-text": _plain([m1, {**m2, "size": "x"}], [b1, b2]),
        "trailing": _plain([m1, m2], [b1, b2], b" "),
        "no-index-line": json.dumps({"segments": [m1]}).encode() + b1,
        "index-not-json": b"{segments\n" + b1,
        "no-segments": _plain([], []).replace(b"segments", b"segment"),
        "blob-not-json": _plain([{**m1, "size": 4}], [b"[[1,"]),
        "blob-not-utf8": _plain([{**m1, "size": 2}], [b"\xff\xfe"]),
        "segment-shape": _plain([{**m1, "first": "x"}], [b1]),
    }


@pytest.mark.parametrize("body", sorted(_bodies()))
def test_a_signed_body_that_does_not_add_up_is_damaged(body: str) -> None:
    opened = container.open_file(_hand_pack({}, _bodies()[body], {"SH01": SH_PUBLIC}))
    container.check_signature(opened, NC_VERIFY)
    with pytest.raises(IntegrityFailure) as info:
        container.decrypt(opened, "SH01", SH_KEY)
    _refused(info, "sync.damaged")


def test_an_empty_body_or_one_without_its_nonce_is_damaged() -> None:
    raw = _hand_pack({}, b"", {"SH01": SH_PUBLIC})  # nothing inside: no index line
    with pytest.raises(IntegrityFailure) as info:
        container.decrypt(container.open_file(raw), "SH01", SH_KEY)
    _refused(info, "sync.damaged")
    opened = container.open_file(_pack(to={"SH01": SH_PUBLIC}))
    del opened.header["nonce"]
    with pytest.raises(IntegrityFailure) as info:
        container.decrypt(opened, "SH01", SH_KEY)
    _refused(info, "sync.damaged")


def test_an_empty_file_decrypts_to_no_segments() -> None:
    opened = container.open_file(_pack(segments=[], to={"SH01": SH_PUBLIC}))
    assert container.decrypt(opened, "SH01", SH_KEY) == []
    hand = container.open_file(_hand_pack({}, b'{"segments":[]}\n', {"SH01": SH_PUBLIC}))
    assert container.decrypt(hand, "SH01", SH_KEY) == []


def test_new_encryption_key_is_an_x25519_pair() -> None:
    public, private = container.new_encryption_key()
    assert public.startswith("-----BEGIN PUBLIC KEY-----\n") and private.startswith("-----BEGIN PRIVATE KEY-----\n")
    key = serialization.load_pem_private_key(private.encode(), None)
    assert isinstance(key, X25519PrivateKey)
    assert key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo).decode() == public
    opened = container.open_file(_pack(to={"SH01": public}))
    assert len(container.decrypt(opened, "SH01", private)) == 2


def test_load_verify_key_reads_an_ed25519_public_key() -> None:
    key = container.load_verify_key(NC_VERIFY)
    private = serialization.load_pem_private_key(NC_SIGN.encode(), None)
    assert isinstance(private, Ed25519PrivateKey)
    key.verify(private.sign(b"x"), b"x")
    assert hashlib.sha256(key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)).digest() == \
        hashlib.sha256(private.public_key().public_bytes(serialization.Encoding.Raw,
                                                         serialization.PublicFormat.Raw)).digest()
