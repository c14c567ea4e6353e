"""Key rotation and revocation: a new key announced by the old one travels in identities and sync
files; documents name their key; a revoked key's later documents are reported."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from schema_support import change_log_of_0016
from sqlalchemy import select
from sync_support import EMP_BJ, EMP_NC, EMP_SH, TODAY, make_office, send, trust_all, uscc
from test_security_support import as_, fast_hashing, staffed, staffed_template

from desktop import cli
from desktop.core import keyhistory
from desktop.core.clock import Clock
from desktop.core.errors import Conflict, IntegrityFailure, InvalidInput, NotAllowed, RefusedByRule
from desktop.core.keys import KeySigner, key_id, office_signer
from desktop.core.ledger import Ledger
from desktop.core.services.office import load_office
from desktop.core.store.engine import make_engine
from desktop.core.store.models import AuditEntry, OfficeKey, TrustedOffice
from desktop.core.sync import capture, container
from desktop.core.verification import decode, make_code

__all__ = ["fast_hashing", "staffed", "staffed_template"]

PERSON = "510107198511113215"
DAY1, DAY2, DAY3 = dt.date(2026, 11, 10), dt.date(2026, 11, 20), dt.date(2026, 11, 23)


def _on(led: Ledger, day: dt.date) -> None:
    led.clock = Clock(day=lambda: day)


@pytest.fixture
def two(sqlite_template: Path, tmp_path: Path) -> Iterator[tuple[Ledger, Ledger]]:
    """Nanchang (issues documents) and Beijing, trusting each other; a person with a pension month
    at Nanchang."""
    a = make_office(sqlite_template, tmp_path, "NC01", "南昌市社保局", "360100", EMP_NC, "南昌某公司")
    b = make_office(sqlite_template, tmp_path, "BJ01", "北京市朝阳区社保局", "110105", EMP_BJ, "北京某公司")
    trust_all(a, b)
    a.workers.register_citizen(PERSON, "张三", "510107", "rural")
    a.contributions.record(PERSON, uscc(EMP_NC), "2026-10", "6000")
    yield a, b
    a.close()
    b.close()


def _issue(led: Ledger, day: dt.date) -> str:
    _on(led, day)
    code = led.documents.issue("transfer-certificate", PERSON).code
    _on(led, TODAY)
    return code


def _keys(led: Ledger, office: str) -> list[tuple[str, str, bool, bool]]:
    """(key id, purpose, retired, revoked) of an office's history as recorded at led."""
    with led.read() as s:
        rows = s.scalars(select(OfficeKey).where(OfficeKey.office_code == office)
                         .order_by(OfficeKey.valid_from, OfficeKey.purpose)).all()
        return [(r.key_id, r.purpose, r.retired_at is not None, r.revoked_at is not None) for r in rows]


def _signing_id(led: Ledger) -> str:
    with led.read() as s:
        return office_signer(load_office(s)).key_id


def test_a_new_office_records_its_first_keys(two: tuple[Ledger, Ledger]) -> None:
    a, b = two
    identity = a.office.identity()
    sign_id, enc_id = key_id(identity["public_key"]), key_id(identity["encryption_key"])
    assert sorted(_keys(a, "NC01")) == sorted([(sign_id, "sign", False, False), (enc_id, "encrypt", False, False)])
    assert {k[0] for k in _keys(b, "NC01")} == {sign_id, enc_id}  # trusting records them too
    assert identity["format"] == "shebao-office-identity/3" and identity["announcements"] == []
    assert [k["key_id"] for k in identity["keys"]] and {k["key_id"] for k in identity["keys"]} == {sign_id, enc_id}


def test_codes_name_their_key(two: tuple[Ledger, Ledger]) -> None:
    a, _b = two
    code = _issue(a, DAY1)
    assert code.startswith("SB2-")
    decoded = decode(code)
    assert decoded.key_id == _signing_id(a) and decoded.fields["o"] == "NC01"
    verdict = a.documents.verify(code)
    assert verdict.valid and verdict.key_id == _signing_id(a) and not verdict.revoked


def test_rotate_then_issue_then_verify_here_and_at_a_trusting_office(two: tuple[Ledger, Ledger],
                                                                     tmp_path: Path) -> None:
    a, b = two
    old_doc = _issue(a, DAY1)
    k1, enc1 = _signing_id(a), key_id(a.office.identity()["encryption_key"])
    rotated = a.keys.rotate()
    k2 = _signing_id(a)
    assert rotated.previous == k1 and rotated.signing == k2 != k1
    assert a.office.identity()["public_key"] != b.office.identity()["public_key"]
    new_doc = _issue(a, DAY2)
    assert decode(new_doc).key_id == k2
    here_old, here_new = a.documents.verify(old_doc), a.documents.verify(new_doc)
    assert (here_old.valid, here_old.key_id, here_new.valid, here_new.key_id) == (True, k1, True, k2)
    with a.read() as s:  # the key history is audited; its rows do not travel as changes
        audited = s.execute(select(AuditEntry.action, AuditEntry.row_id, AuditEntry.note).where(
            AuditEntry.table_name == "office_key").order_by(AuditEntry.seq)).all()
        ours = {k1, enc1, k2, rotated.encryption}
        assert sorted((x.action, x.row_id) for x in audited if x.row_id in ours) == sorted([
            ("insert", k1), ("insert", enc1), ("update", k1), ("update", enc1), ("insert", k2),
            ("insert", rotated.encryption)])
        assert f"keys rotate: {k1} -> {k2}" in str(audited[-1].note)
        assert len(audited) == 6 + 2  # and Beijing's two keys, recorded when it was trusted
        assert "office_key" not in {c[3] for c in capture.every_change(s)}
    history = a.keys.history()
    assert [(k.key_id, k.purpose, k.current) for k in history if k.purpose == "sign"] == [(k1, "sign", False),
                                                                                          (k2, "sign", True)]
    assert len(history) == 4 and all(k.own for k in history)

    before = b.documents.verify(new_doc)  # Beijing has not heard of the new key yet
    assert not before.valid and k2 in before.reason and "NC01" in before.reason
    assert b.documents.verify(old_doc).valid
    result = send(a, b, tmp_path)  # signed with the new key: accepted through the announcement
    assert result.applied > 0  # type: ignore[attr-defined]
    after_new, after_old = b.documents.verify(new_doc), b.documents.verify(old_doc)
    assert (after_new.valid, after_new.key_id, after_old.valid, after_old.key_id) == (True, k2, True, k1)
    assert sorted(_keys(b, "NC01")) == sorted(_keys(a, "NC01"))
    with b.read() as s:
        trusted = s.scalars(select(TrustedOffice).where(TrustedOffice.code == "NC01")).one()
        assert key_id(trusted.public_key) == k2 and key_id(str(trusted.enc_public_key)) == rotated.encryption
    # Beijing's next file is encrypted to Nanchang's new key, and Nanchang opens it
    b.workers.register_citizen("360102198001011235", "李四", "110105", "urban")
    assert send(b, a, tmp_path).applied > 0  # type: ignore[attr-defined]
    # a second rotation: both announcements travel, and the file imports again
    a.keys.rotate()
    a.workers.register_citizen("440305199201010020", "王五", "360102", "urban")
    send(a, b, tmp_path)
    assert [k[2] for k in _keys(b, "NC01") if k[1] == "sign"] == [True, True, False]
    assert b.documents.verify(new_doc).valid and b.documents.verify(old_doc).valid


def test_a_revoked_keys_later_document_is_reported(two: tuple[Ledger, Ledger], tmp_path: Path) -> None:
    a, b = two
    before = _issue(a, DAY1)
    after = _issue(a, DAY2)
    k1 = _signing_id(a)
    a.keys.rotate()
    revoked = a.keys.revoke(k1, "2026-11-15", "签名密钥所在电脑被盗")
    assert (revoked.key_id, revoked.revoked_at) == (k1, dt.datetime(2026, 11, 15))
    later = a.documents.verify(after)
    assert (later.valid, later.revoked, later.key_id, later.void) == (False, True, k1, False)
    assert later.reason == ("签名密钥" + k1 + "已被出具机构吊销，自2026-11-15起以该密钥签署的文书不可信："
                            "此文书由已吊销的密钥签署")
    assert a.documents.verify(after, "en").reason.startswith("signed with a revoked key: the issuing office "
                                                            f"revoked key {k1} from 2026-11-15")
    earlier = a.documents.verify(before)
    assert (earlier.valid, earlier.revoked) == (True, False)
    # the revocation travels in the next sync file
    assert b.documents.verify(after).valid
    send(a, b, tmp_path)
    there = b.documents.verify(after)
    assert (there.valid, there.revoked, there.key_id) == (False, True, k1)
    assert b.documents.verify(before).valid
    assert sorted(_keys(b, "NC01")) == sorted(_keys(a, "NC01"))
    # documents signed by the new key are not touched
    newer = _issue(a, DAY3)
    assert a.documents.verify(newer).valid and b.documents.verify(newer).valid


def test_revocation_refusals(two: tuple[Ledger, Ledger]) -> None:
    a, _b = two
    k1 = _signing_id(a)
    with pytest.raises(RefusedByRule) as err:
        a.keys.revoke(k1, "2026-11-01")
    assert (err.value.key, err.value.field) == ("keys.revoke_current", "key_id")
    assert "office keys rotate" in err.value.message("zh") and "rotate first" in err.value.message("en")
    with pytest.raises(InvalidInput) as bad:
        a.keys.revoke("0123456789ABCDEF", "2026-11-01")
    assert bad.value.key == "keys.unknown"
    a.keys.rotate()
    with pytest.raises(InvalidInput) as bad:
        a.keys.revoke(k1, "2026-12-01")  # later than now
    assert bad.value.key == "keys.since_future"
    with pytest.raises(InvalidInput) as bad:
        a.keys.revoke(k1, "11/15/2026")
    assert (bad.value.key, bad.value.field) == ("date.format", "since")
    a.keys.revoke(k1.lower(), "2026-11-15")
    with pytest.raises(Conflict) as again:
        a.keys.revoke(k1, "2026-11-16")
    assert again.value.key == "keys.already_revoked"


def _rotation(office: str, signer: KeySigner, new: Ed25519PrivateKey | None = None) -> dict[str, Any]:
    new = new or Ed25519PrivateKey.generate()
    signing = KeySigner(new)
    enc = X25519PrivateKey.generate().public_key()
    from cryptography.hazmat.primitives import serialization

    enc_pem = enc.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    body = {"format": keyhistory.FORMAT, "kind": "rotate", "office": office, "signed_by": signer.key_id,
            "previous": signer.key_id,
            "keys": [{"key_id": signing.key_id, "purpose": "sign", "public_key": signing.public_pem},
                     {"key_id": key_id(enc_pem), "purpose": "encrypt", "public_key": enc_pem}],
            "valid_from": "2026-11-23 09:00:00", "made_at": "2026-11-23 09:00:00"}
    return keyhistory.sign(body, signer, signing)


def test_an_announcement_with_a_bad_signature_or_from_an_untrusted_key_is_refused() -> None:
    owner = KeySigner(Ed25519PrivateKey.generate())
    first = keyhistory.first_keys("NC01", owner.public_pem, None, dt.datetime(2026, 1, 1))
    good = _rotation("NC01", owner)
    assert [r.current for r in keyhistory.extend(first, "NC01", [good])] == [False, True, True]
    tampered = json.loads(json.dumps(good))
    tampered["announcement"]["valid_from"] = "2020-01-01 00:00:00"
    with pytest.raises(IntegrityFailure) as err:
        keyhistory.extend(first, "NC01", [tampered])
    assert (err.value.key, err.value.params["key_id"]) == ("keys.announcement_signature", owner.key_id)
    stranger = KeySigner(Ed25519PrivateKey.generate())
    with pytest.raises(IntegrityFailure) as err:
        keyhistory.extend(first, "NC01", [_rotation("NC01", stranger)])
    assert (err.value.key, err.value.params["key_id"]) == ("keys.announcement_untrusted", stranger.key_id)
    assert stranger.key_id in err.value.message("zh") and "NC01" in err.value.message("en")
    forged = _rotation("NC01", stranger)  # a stranger's signature under the owner's key id
    forged["announcement"]["signed_by"] = owner.key_id
    with pytest.raises(IntegrityFailure) as err:
        keyhistory.extend(first, "NC01", [forged])
    assert err.value.key == "keys.announcement_signature"
    no_counter = dict(good)
    del no_counter["countersignature"]
    with pytest.raises(IntegrityFailure) as err:
        keyhistory.extend(first, "NC01", [no_counter])
    assert err.value.key == "keys.announcement_signature"
    with pytest.raises(IntegrityFailure) as err:
        keyhistory.extend(first, "GZ01", [good])  # another office's announcement
    assert err.value.key == "keys.announcement_format"
    # the retired key cannot announce again once replaced
    after = keyhistory.extend(first, "NC01", [good])
    with pytest.raises(IntegrityFailure) as err:
        keyhistory.extend(after, "NC01", [_rotation("NC01", owner)])
    assert err.value.key == "keys.announcement_untrusted"


def _forged_file(a: Ledger, b: Ledger, tmp_path: Path, announcements: list[dict[str, Any]],
                 signer: KeySigner) -> Path:
    """A sync file from "NC01" to Beijing signed by the forger's key, with the announcements given."""
    real = tmp_path / "real.sync"
    a.sync.export(real, to="BJ01")
    header = container.open_file(real.read_bytes()).header
    manifest = {k: v for k, v in header.items() if k not in ("format", "recipients", "nonce")}
    manifest["announcements"] = announcements
    with b.read() as s:
        bj_enc = str(load_office(s).enc_public_key)
    path = tmp_path / "forged.sync"
    path.write_bytes(container.pack(manifest, [], {"BJ01": bj_enc}, signer))
    return path


def test_a_forged_rotation_in_a_sync_file_is_refused_and_nothing_recorded(two: tuple[Ledger, Ledger],
                                                                          tmp_path: Path) -> None:
    a, b = two
    before = _keys(b, "NC01")
    with a.read() as s:
        k1 = office_signer(load_office(s)).key_id
    forger = KeySigner(Ed25519PrivateKey.generate())
    forged = _rotation("NC01", forger, Ed25519PrivateKey.generate())
    forged["announcement"]["signed_by"] = k1  # claims to come from Nanchang's key
    new = forger  # the file is signed by a key the forger holds
    path = _forged_file(a, b, tmp_path, [forged], new)
    with pytest.raises(IntegrityFailure) as err:
        b.sync.import_file(path)
    assert (err.value.key, err.value.params["office"]) == ("keys.announcement_signature", "NC01")
    own_rotation = _rotation("NC01", forger)  # announced by a key Beijing never trusted
    with pytest.raises(IntegrityFailure) as err:
        b.sync.import_file(_forged_file(a, b, tmp_path, [own_rotation], forger))
    assert err.value.key == "keys.announcement_untrusted"
    with pytest.raises(IntegrityFailure) as err:  # no announcement, only the forger's signature
        b.sync.import_file(_forged_file(a, b, tmp_path, [], forger))
    assert err.value.key == "sync.bad_signature"
    assert _keys(b, "NC01") == before
    with b.read() as s:
        trusted = s.scalars(select(TrustedOffice).where(TrustedOffice.code == "NC01")).one()
        assert key_id(trusted.public_key) == k1
    assert b.sync.import_file(tmp_path / "real.sync").applied > 0  # the real file still imports


def test_identity_3_carries_the_chain_of_announcements(two: tuple[Ledger, Ledger], sqlite_template: Path,
                                                       tmp_path: Path) -> None:
    a, b = two
    old_doc = _issue(a, DAY1)
    k1 = _signing_id(a)
    stale = a.office.identity()
    a.keys.rotate()
    a.keys.revoke(k1, "2026-11-15")
    identity = a.office.identity()
    assert len(identity["keys"]) == 4 and [e["announcement"]["kind"] for e in identity["announcements"]] == \
        ["rotate", "revoke"]
    assert [k["revoked_at"] for k in identity["keys"] if k["key_id"] == k1] == ["2026-11-15 00:00:00"]
    b.office.trust(identity)  # the new key, through the chain from the key Beijing trusted
    assert sorted(_keys(b, "NC01")) == sorted(_keys(a, "NC01"))
    assert b.documents.verify(_issue(a, DAY3)).valid
    assert b.documents.verify(old_doc).valid  # dated before the revocation
    with pytest.raises(RefusedByRule) as err:  # an older identity: its key is no longer current
        b.office.trust(stale)
    assert (err.value.key, err.value.params["key_id"]) == ("identity.key_not_announced", k1)
    # a third office trusting Nanchang for the first time takes the whole history
    c = make_office(sqlite_template, tmp_path, "SH01", "上海市浦东新区社保局", "310115", EMP_SH, "上海某公司")
    try:
        c.office.trust(identity)
        assert sorted(_keys(c, "NC01")) == sorted(_keys(a, "NC01"))
        assert c.documents.verify(old_doc).valid
        assert c.documents.verify(_issue(a, DAY2)).valid
    finally:
        c.close()


def test_a_changed_key_without_announcements_is_refused(two: tuple[Ledger, Ledger]) -> None:
    a, b = two
    k1 = _signing_id(a)
    a.keys.rotate()
    bare = {k: v for k, v in a.office.identity().items() if k not in ("keys", "announcements")}
    bare["format"] = "shebao-office-identity/2"
    with pytest.raises(RefusedByRule) as err:
        b.office.trust(bare)
    assert (err.value.key, err.value.params["office"]) == ("identity.key_not_announced", "NC01")
    assert err.value.params["key_id"] == _signing_id(a)
    with pytest.raises(InvalidInput) as malformed:
        b.office.trust(dict(bare, format="shebao-office-identity/3", announcements="not a list"))
    assert malformed.value.key == "identity.format"
    # an impostor's identity under Nanchang's code, with its own "rotation"
    impostor = KeySigner(Ed25519PrivateKey.generate())
    fake = dict(bare, public_key=impostor.public_pem, format="shebao-office-identity/3",
                announcements=[_rotation("NC01", impostor)])
    with pytest.raises(IntegrityFailure) as bad:
        b.office.trust(fake)
    assert bad.value.key == "keys.announcement_untrusted"
    with b.read() as s:
        assert key_id(s.scalars(select(TrustedOffice).where(TrustedOffice.code == "NC01")).one().public_key) == k1


def test_sb1_codes_still_verify(two: tuple[Ledger, Ledger], tmp_path: Path) -> None:
    a, b = two
    with a.read() as s:
        signer = office_signer(load_office(s))
    fields = {"k": "statement", "n": "NC01-ZM2026999999", "o": "NC01", "d": "2026-11-20", "p": PERSON, "m": "张三",
              "x": ""}
    code = make_code(fields, signer, version=1)
    assert code.startswith("SB1-") and decode(code).key_id is None
    assert a.documents.verify(code).valid and b.documents.verify(code).valid
    a.keys.rotate()
    send(a, b, tmp_path)
    for led in (a, b):
        verdict = led.documents.verify(code)
        assert (verdict.valid, verdict.key_id) == (True, signer.key_id)
    a.keys.revoke(signer.key_id, "2026-11-20")
    verdict = a.documents.verify(code)
    assert (verdict.valid, verdict.revoked) == (False, True)
    stranger = make_code(fields, KeySigner(Ed25519PrivateKey.generate()), version=1)
    assert a.documents.verify(stranger).reason == "签名不符：验证码内容被改动或不是该机构出具"


def test_an_sb2_code_naming_a_key_never_the_issuers_is_invalid(two: tuple[Ledger, Ledger]) -> None:
    a, _b = two
    stranger = KeySigner(Ed25519PrivateKey.generate())
    fields = {"k": "statement", "n": "NC01-ZM2026999998", "o": "NC01", "d": "2026-11-20", "p": PERSON, "m": "张三",
              "x": ""}
    verdict = a.documents.verify(make_code(fields, stranger))
    assert not verdict.valid and not verdict.revoked
    assert verdict.reason == f"出具机构NC01没有编号为{stranger.key_id}的密钥：验证码不是该机构出具"


def test_a_file_encrypted_to_the_old_key_still_opens_after_rotation(two: tuple[Ledger, Ledger],
                                                                    tmp_path: Path) -> None:
    a, b = two
    b.workers.register_citizen("360102198001011235", "李四", "110105", "urban")
    path = tmp_path / "in-flight.sync"
    b.sync.export(path, to="NC01")  # encrypted to Nanchang's key before the rotation
    a.keys.rotate()
    assert a.sync.import_file(path).applied > 0


def test_cli_rotate_revoke_history_and_verify(two: tuple[Ledger, Ledger], tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    a, _b = two
    for name in ("SHEBAO_DB", "SHEBAO_USER", "SHEBAO_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    db = str(a.engine.url.database)
    doc = _issue(a, DAY2)
    k1 = _signing_id(a)

    def run(*args: str) -> tuple[int, dict[str, Any], str]:
        code = cli.main(["--db", db, "--json", *args], clock=Clock(day=lambda: TODAY))
        out, err = capsys.readouterr()
        return code, (json.loads(out) if out.strip() else {}), err

    code, out, err = run("office", "keys", "revoke", k1, "--from", "2026-11-15")
    assert code == 3 and "office keys rotate" in err and k1 in err
    code, out, _ = run("office", "keys", "rotate")
    assert code == 0 and out["rotated"]["previous"] == k1
    k2 = out["rotated"]["signing_key"]
    code, out, _ = run("office", "keys", "revoke", k1, "--from", "2026-11-15", "--reason", "电脑被盗")
    assert code == 0 and out["revoked"] == {"key_id": k1, "revoked_at": "2026-11-15 00:00:00", "signed_by": k2}
    code, out, _ = run("office", "keys", "history")
    signs = [(k["key_id"], k["current"], k["revoked_at"]) for k in out["keys"] if k["purpose"] == "sign"]
    assert signs == [(k1, False, "2026-11-15 00:00:00"), (k2, True, None)]
    code, out, _ = run("verify", doc)
    assert code == 4 and (out["valid"], out["revoked"], out["key_id"]) == (False, True, k1)
    code = cli.main(["--db", db, "verify", doc], clock=Clock(day=lambda: TODAY))
    text = capsys.readouterr()
    assert code == 4 and "已吊销" in text.out + text.err and "自2026-11-15起" in text.out + text.err
    code = cli.main(["--db", db, "office", "keys", "history", "--lang", "en"], clock=Clock(day=lambda: TODAY))
    text = capsys.readouterr()
    assert code == 0 and "key id" in text.out and "revoked from" in text.out


def test_the_public_names_key_rotate_and_key_revoke_on(two: tuple[Ledger, Ledger],
                                                       capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """cli.md names them `shebao key rotate` and `shebao key revoke KEY_ID --on DATE`: the same work
    and output as `office keys rotate|revoke`."""
    a, _b = two
    for name in ("SHEBAO_DB", "SHEBAO_USER", "SHEBAO_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    db = str(a.engine.url.database)
    doc = _issue(a, DAY2)
    k1 = _signing_id(a)

    def run(*args: str) -> tuple[int, dict[str, Any]]:
        code = cli.main(["--db", db, "--json", *args], clock=Clock(day=lambda: TODAY))
        out, _err = capsys.readouterr()
        return code, (json.loads(out) if out.strip() else {})

    code, out = run("key", "rotate")
    assert code == 0 and out["rotated"]["previous"] == k1 and out["rotated"]["signing_key"] != k1
    code, out = run("key", "revoke", k1, "--on", "2026-11-15")
    assert code == 0 and out["revoked"]["key_id"] == k1 and out["revoked"]["revoked_at"] == "2026-11-15 00:00:00"
    code, out = run("verify", doc)
    assert code == 4 and (out["valid"], out["revoked"]) == (False, True)


def test_the_migration_fills_the_history_from_the_office_and_trusted_offices(two: tuple[Ledger, Ledger],
                                                                             tmp_path: Path) -> None:
    import shutil
    import sqlite3

    a, _b = two
    identity = a.office.identity()
    with a.read() as s:
        bj = s.scalars(select(TrustedOffice).where(TrustedOffice.code == "BJ01")).one()
        bj_keys = {key_id(bj.public_key), key_id(str(bj.enc_public_key))}
    path = tmp_path / "at-0012.db"
    a.close()  # all written to the file
    shutil.copy(str(a.engine.url.database), path)
    engine = make_engine(f"sqlite:///{path}")
    change_log_of_0016(engine)  # and the change log as it was kept then
    engine.dispose()
    with sqlite3.connect(path) as db:  # as a database of the schema 0012: no key history (nor what later
        for table in ("office_key", "audit_seen_head", "audit_attested_head", "person_view"):  # migrations add)
            db.execute(f"DROP TABLE {table}")
        db.execute("CREATE INDEX ix_contribution_region_month ON contribution (region, month)")  # (0019 drops it)
        db.execute("CREATE INDEX ix_contribution_employer_month ON contribution (employer_id, month)")  # (0022)
        db.execute("UPDATE alembic_version SET version_num = '0012'")
    old = Ledger.open(path, clock=lambda: TODAY)
    try:
        rows = {(k.key_id, k.office, k.purpose, k.current, k.revoked_at) for k in old.keys.history("*")}
        assert rows == {(key_id(identity["public_key"]), "NC01", "sign", True, None),
                        (key_id(identity["encryption_key"]), "NC01", "encrypt", True, None),
                        *((k, "BJ01", p, True, None) for k, p in zip(
                            [key_id(bj.public_key), key_id(str(bj.enc_public_key))], ["sign", "encrypt"],
                            strict=True))}
        assert {k.key_id for k in old.keys.history("BJ01")} == bj_keys
        old.keys.rotate()  # and the office can rotate from there
        assert len(old.keys.history()) == 4
    finally:
        old.close()


@pytest.mark.parametrize("account", ["clerk1", "sup1"])
def test_only_an_administrator_rotates_and_revokes(staffed: Ledger, account: str) -> None:
    as_(staffed, account)
    before = [k.key_id for k in staffed.keys.history()]
    for call in (lambda: staffed.keys.rotate(), lambda: staffed.keys.revoke(before[0], "2026-11-01")):
        with pytest.raises(NotAllowed) as err:
            call()
        assert err.value.key == "role.refused"
    assert [k.key_id for k in staffed.keys.history()] == before  # anyone may read it
    as_(staffed, "admin1")
    assert staffed.keys.rotate().previous in before


def test_a_relaying_office_carries_the_origins_announcements(two: tuple[Ledger, Ledger], sqlite_template: Path,
                                                            tmp_path: Path) -> None:
    a, b = two
    c = make_office(sqlite_template, tmp_path, "SH01", "上海市浦东新区社保局", "310115", EMP_SH, "上海某公司")
    try:
        trust_all(a, b, c)
        rotated = a.keys.rotate()
        doc = _issue(a, DAY2)
        send(a, b, tmp_path)  # Beijing relays Nanchang's changes, sealed with its new key, to Shanghai
        assert not c.documents.verify(doc).valid
        assert send(b, c, tmp_path).applied > 0  # type: ignore[attr-defined]
        assert rotated.signing in {k[0] for k in _keys(c, "NC01")}
        assert c.documents.verify(doc).valid
    finally:
        c.close()
