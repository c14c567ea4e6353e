"""The office's private keys live in a key store outside the database: the database file holds none
(scanned after init, after issuing documents and after an old database's keys are moved out);
nothing the clerk's account can read forges a document; the passphrase guards the store."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import stat
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import EMPLOYER, KEY_PASSPHRASE, TODAY
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from schema_support import newest_change_log
from sqlalchemy import select

from desktop import cli
from desktop.core import audit, keystore
from desktop.core.errors import IntegrityFailure, InvalidInput
from desktop.core.keys import KeySigner, key_id, office_decryption_keys, office_signer
from desktop.core.ledger import Ledger
from desktop.core.messages import render
from desktop.core.services.office import load_office
from desktop.core.store.engine import _alembic_config, make_engine
from desktop.core.store.models import AuditEntry, Office
from desktop.core.verification import decode, make_code

PEM = serialization.Encoding.PEM
PKCS8 = serialization.PrivateFormat.PKCS8
RAW = serialization.Encoding.Raw
PEM_RE = rb"-----BEGIN [A-Z ]*PRIVATE KEY-----.+?-----END [A-Z ]*PRIVATE KEY-----"


def raw_private(key: Ed25519PrivateKey | X25519PrivateKey) -> bytes:
    return key.private_bytes(RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption())


def pem_private(key: Ed25519PrivateKey | X25519PrivateKey) -> str:
    return key.private_bytes(PEM, PKCS8, serialization.NoEncryption()).decode()


def pem_public(key: Ed25519PrivateKey | X25519PrivateKey) -> str:
    return key.public_key().public_bytes(PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def database_bytes(path: Path) -> bytes:
    """The database file and its WAL, as they are on disk."""
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())


def office_keys(ledger: Ledger) -> tuple[Ed25519PrivateKey, X25519PrivateKey]:
    with ledger.read() as s:
        o = load_office(s)
        signer = office_signer(o)
        decryption = office_decryption_keys(o)
    assert isinstance(signer, KeySigner)
    return signer.private_key, decryption[0]


def issue_statement(ledger: Ledger, person: str) -> str:
    for month in ("2026-01", "2026-02", "2026-03"):
        ledger.contributions.record(person, EMPLOYER, month, "8000")
    return ledger.documents.issue("statement", person).code


def lock(monkeypatch: pytest.MonkeyPatch) -> None:
    """No passphrase anywhere, and nothing derived from one remembered."""
    monkeypatch.delenv("SHEBAO_KEY_PASSPHRASE", raising=False)
    keystore.forget()


# -- the shipped settings and the backend ----------------------------------------------------------

def test_shipped_scrypt_cost_and_passphrase_length() -> None:
    assert (keystore.SCRYPT_N, keystore.SCRYPT_R, keystore.SCRYPT_P) == (32768, 8, 1)
    assert keystore.MIN_PASSPHRASE == 12


def test_backend_is_dpapi_on_windows_and_the_passphrase_file_elsewhere(tmp_path: Path) -> None:
    assert keystore.choose_backend("win32") == "dpapi"
    assert keystore.choose_backend("linux") == "file"
    assert keystore.choose_backend("darwin") == "file"
    assert keystore.KeyStore(tmp_path / "w", platform="win32").backend == "dpapi"
    assert keystore.KeyStore(tmp_path / "l", platform="linux").backend == "file"


@pytest.mark.skipif(sys.platform != "win32", reason="DPAPI exists on Windows only")
def test_dpapi_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # pragma: no cover
    lock(monkeypatch)
    store = keystore.KeyStore(tmp_path / "keys")
    key = Ed25519PrivateKey.generate()
    kid = store.put(key, "OFF01")
    assert store.backend == "dpapi" and store.unlocked()
    assert raw_private(store.signing_key(kid)) == raw_private(key)


# -- a new office ------------------------------------------------------------------------------------

def test_a_new_office_keeps_its_keys_in_the_store_owner_only(ledger: Ledger, db_path: Path,
                                                              key_store: Path) -> None:
    with ledger.read() as s:
        o = load_office(s)
        assert o.private_key is None and o.enc_private_key is None
        ids = {key_id(o.public_key), key_id(str(o.enc_public_key))}
    assert {"store.json", *(f"{i}.key" for i in ids)} <= {p.name for p in key_store.iterdir()}
    assert stat.S_IMODE(key_store.stat().st_mode) == 0o700
    for file in key_store.iterdir():
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file
    meta = json.loads((key_store / "store.json").read_text())
    assert meta["backend"] == "file" and meta["kdf"]["n"] == 32768
    for i in ids:
        data = json.loads((key_store / f"{i}.key").read_text())
        assert data["office"] == "OFF01" and data["key_id"] == i and data["protection"] == "aes-256-gcm"
        assert "PRIVATE KEY" not in json.dumps(data)


def test_the_database_holds_no_private_key_after_init_and_documents(ledger: Ledger, db_path: Path,
                                                                   person: str) -> None:
    code = issue_statement(ledger, person)
    signing, encryption = office_keys(ledger)
    for data in (database_bytes(db_path),):
        assert b"PRIVATE KEY" not in data
        for raw in (raw_private(signing), raw_private(encryption)):
            assert raw not in data
            assert base64.b64encode(raw) not in data
    assert ledger.documents.verify(code).valid


def test_a_new_offices_trail_holds_no_private_key(ledger: Ledger) -> None:
    with ledger.read() as s:
        entries = list(s.scalars(select(AuditEntry).where(AuditEntry.table_name == "office")))
    assert entries
    for e in entries:
        assert "PRIVATE KEY" not in (e.after_json or "") + (e.before_json or "")
        after = json.loads(e.after_json or "{}")
        assert after.get("private_key") in (None, "***") and after.get("enc_private_key") in (None, "***")
    assert ("office", "enc_private_key") in audit.REDACTED


# -- what the clerk's account can read ---------------------------------------------------------------

def test_nothing_readable_without_the_passphrase_forges_a_document(
        ledger: Ledger, db_path: Path, person: str, key_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code = issue_statement(ledger, person)
    lock(monkeypatch)
    found: list[Ed25519PrivateKey | X25519PrivateKey] = []
    files = [p for folder in (db_path.parent, key_store) for p in folder.rglob("*") if p.is_file()]
    assert any(p.suffix == ".key" for p in files) and db_path in files
    for file in files:
        data = file.read_bytes()
        for pem in re.findall(PEM_RE, data, re.DOTALL):
            found.append(serialization.load_pem_private_key(pem, None))  # type: ignore[arg-type]
        if file.suffix == ".key":
            for value in json.loads(data).values():
                try:
                    blob = base64.b64decode(str(value), validate=True)
                    found.append(serialization.load_der_private_key(blob, None))  # type: ignore[arg-type]
                except ValueError:
                    pass
    assert found == []
    store = keystore.open_store()
    for entry in store.entries():
        with pytest.raises(keystore.KeysLocked) as info:
            store.private_key(entry.key_id)
        assert info.value.key == "keys.locked"
    # a code signed with any key the clerk can make does not verify
    own = KeySigner(Ed25519PrivateKey.generate())
    forged = make_code(decode(code).fields, own)  # naming its own key: not one of the office's
    verdict = ledger.documents.verify(forged)
    assert not verdict.valid and verdict.reason == render("verify.unknown_key", "zh", office=verdict.issued_by,
                                                          key_id=own.key_id)
    forged = make_code(decode(code).fields, own, version=1)  # the first codes name no key
    verdict = ledger.documents.verify(forged)
    assert not verdict.valid and verdict.reason == render("verify.bad_signature", "zh")

    class Claiming:  # a key that claims to be the office's
        key_id, public_pem = decode(code).key_id, own.public_pem

        def sign(self, data: bytes) -> bytes:
            return own.sign(data)

    forged = make_code(decode(code).fields, Claiming())
    verdict = ledger.documents.verify(forged)
    assert not verdict.valid and verdict.reason == render("verify.bad_signature", "zh")
    # and nothing is issued while the keys are locked
    with pytest.raises(keystore.KeysLocked) as info:
        ledger.documents.issue("statement", person)
    assert info.value.key == "keys.locked" and info.value.exit_code == 2
    assert "机构密钥未解锁" in info.value.message("zh")


def test_a_wrong_passphrase_is_refused_by_name(ledger: Ledger, person: str, monkeypatch: pytest.MonkeyPatch) -> None:
    lock(monkeypatch)
    monkeypatch.setenv("SHEBAO_KEY_PASSPHRASE", "not the passphrase at all")
    with pytest.raises(InvalidInput) as info:
        ledger.documents.issue("statement", person)
    assert info.value.key == "keys.passphrase_wrong" and info.value.field == "key_passphrase"
    with pytest.raises(InvalidInput) as info:
        keystore.open_store().unlock("another wrong one")
    assert info.value.key == "keys.passphrase_wrong"
    assert not keystore.open_store().unlocked()


def test_a_new_store_needs_a_long_passphrase(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHEBAO_KEY_DIR", str(tmp_path / "keys"))
    monkeypatch.setenv("SHEBAO_KEY_PASSPHRASE", "eleven char")
    keystore.forget()
    led = Ledger.open(tmp_path / "office.db", clock=lambda: TODAY)
    with pytest.raises(InvalidInput) as info:
        led.office.init("OFF01", "南昌市社保局", "360100")
    assert info.value.key == "keys.passphrase_short" and info.value.params == {"least": 12}
    lock(monkeypatch)
    with pytest.raises(keystore.KeysLocked) as locked:
        led.office.init("OFF01", "南昌市社保局", "360100")
    assert locked.value.key == "keys.locked"
    assert not led.office.exists()
    led.close()


def test_changing_the_passphrase_keeps_the_keys_working(ledger: Ledger, person: str, key_store: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    before = {p.name: p.read_bytes() for p in key_store.iterdir()}
    new = "a brand new passphrase"
    with pytest.raises(InvalidInput) as info:
        ledger.office.change_key_passphrase("wrong old passphrase", new)
    assert info.value.key == "keys.passphrase_wrong"
    with pytest.raises(InvalidInput) as info:
        ledger.office.change_key_passphrase(KEY_PASSPHRASE, "short")
    assert info.value.key == "keys.passphrase_short"
    kept = len(list(key_store.glob("*.key")))  # this office's two, and those the session's offices left
    assert kept >= 2 and ledger.office.change_key_passphrase(KEY_PASSPHRASE, new) == kept
    assert not (key_store / ".previous").exists()  # the copies of the old files, kept until the change is done
    after = {p.name: p.read_bytes() for p in key_store.iterdir()}
    assert set(after) == set(before) and all(after[n] != before[n] for n in before)
    for file in key_store.iterdir():
        assert stat.S_IMODE(file.stat().st_mode) == 0o600
    lock(monkeypatch)
    monkeypatch.setenv("SHEBAO_KEY_PASSPHRASE", KEY_PASSPHRASE)
    with pytest.raises(InvalidInput) as info:
        ledger.documents.issue("statement", person)
    assert info.value.key == "keys.passphrase_wrong"  # the old passphrase no longer opens the store
    keystore.forget()
    monkeypatch.setenv("SHEBAO_KEY_PASSPHRASE", new)
    code = issue_statement(ledger, person)
    assert ledger.documents.verify(code).valid


def test_sync_between_two_offices_with_their_keys_in_the_store(sqlite_template: Path, tmp_path: Path) -> None:
    from sync_support import EMP_BJ, EMP_NC, make_office, send, trust_all, uscc

    a = make_office(sqlite_template, tmp_path, "NC01", "南昌市社保局", "360100", EMP_NC, "南昌单位")
    b = make_office(sqlite_template, tmp_path, "BJ01", "北京市朝阳区社保局", "110105", EMP_BJ, "北京单位")
    trust_all(a, b)
    a.workers.register_citizen("510107198511113215", "张三", "510107", "rural")
    a.contributions.record("510107198511113215", uscc(EMP_NC), "2026-01", "8000")
    result = send(a, b, tmp_path)
    assert result.applied > 0  # type: ignore[attr-defined]
    assert b.workers.get("510107198511113215").name == "张三"
    for led in (a, b):
        assert b"PRIVATE KEY" not in database_bytes(Path(str(led.engine.url.database)))
        led.close()


# -- an old database: keys in the row, moved out ------------------------------------------------------

OLD_REDACTED = frozenset({("user_account", "password_hash"), ("office", "private_key")})


def old_database(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Ed25519PrivateKey, X25519PrivateKey]:
    """A database at revision 0012 whose office row holds both private keys as PEM text and whose
    audit entry 1 copied the encryption key (as that version did)."""
    from alembic import command

    engine = make_engine(f"sqlite:///{path}")
    command.upgrade(_alembic_config(engine), "0012")
    signing, encryption = Ed25519PrivateKey.generate(), X25519PrivateKey.generate()
    with monkeypatch.context() as mp, newest_change_log(engine):
        mp.setattr(audit, "REDACTED", OLD_REDACTED)
        led = Ledger(engine, clock=lambda: TODAY)
        with led.write() as s:
            s.add(Office(code="OLD01", name="老机构", region="360100", public_key=pem_public(signing),
                         private_key=pem_private(signing), enc_public_key=pem_public(encryption),
                         enc_private_key=pem_private(encryption), created_at=led.now()))
        led.employers.register(EMPLOYER, "南昌赣江机械制造有限公司", "360100", 2)
        led.reference.set_wage("360000", 2026, "6000")
        led.close()
    return signing, encryption


def test_an_old_database_s_keys_move_out_when_it_is_opened_with_the_passphrase(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key_store: Path) -> None:
    path = tmp_path / "office.db"
    signing, encryption = old_database(path, monkeypatch)
    before = database_bytes(path)
    assert pem_private(signing).splitlines()[1].encode() in before
    led = Ledger.open(path, clock=lambda: TODAY)  # migrates (a copy first), then moves the keys out
    backups = list(tmp_path.glob("office.db.before-0012-*.bak"))
    assert len(backups) == 1 and pem_private(signing).splitlines()[1].encode() in backups[0].read_bytes()
    with led.read() as s:
        o = load_office(s)
        assert o.private_key is None and o.enc_private_key is None
    after = database_bytes(path)
    assert pem_private(signing).splitlines()[1].encode() not in after
    assert raw_private(signing) not in after and raw_private(encryption) not in after
    # what is left: the old encryption key the old version copied into audit entry 1 (exposed before;
    # the rotation replaces it), no other
    with led.read() as s:
        held = [e.seq for e in s.scalars(select(AuditEntry)) if "PRIVATE KEY" in (e.after_json or "")]
    assert held == [1]
    # (that entry's page may be in the file and in the WAL, after the rotation's writes)
    assert set(re.findall(rb"BEGIN PRIVATE KEY-----\\n([A-Za-z0-9+/=]+)", after)) == {
        pem_private(encryption).splitlines()[1].encode()}
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
    assert led.audit.verify().valid
    # the store holds the moved keys and the new pair that replaced them at once (they were exposed)
    stored = {e.key_id for e in keystore.open_store().entries(office="OLD01")}
    assert len(stored) == 4 and {key_id(pem_public(signing)), key_id(pem_public(encryption))} < stored
    led.workers.register_citizen("510107198511113215", "张三", "510107", "rural")
    code = issue_statement(led, "510107198511113215")
    assert led.documents.verify(code).valid and decode(code).fields["o"] == "OLD01"
    with led.read() as s:
        signer = office_signer(load_office(s))
        assert signer.key_id in stored and signer.key_id != key_id(pem_public(signing))
        assert decode(code).key_id == signer.key_id
    old_key = next(k for k in led.keys.history() if k.key_id == key_id(pem_public(signing)))
    assert old_key.revoked_at == dt.datetime.combine(TODAY + dt.timedelta(days=1), dt.time())
    led.close()


def test_without_the_passphrase_the_keys_stay_until_office_keys_move(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "office.db"
    signing, _ = old_database(path, monkeypatch)
    lock(monkeypatch)
    monkeypatch.setenv("SHEBAO_KEY_DIR", str(tmp_path / "keys"))  # no store yet: the move sets it up
    monkeypatch.delenv("SHEBAO_USER", raising=False)
    db = str(path)

    def run(*args: str) -> tuple[int, Any]:
        code = cli.main(["--db", db, "--json", *args])
        out = capsys.readouterr().out
        return code, json.loads(out) if out.strip() else None

    code, data = run("office", "keys", "status")
    assert code == 0 and data["key_store"]["in_database"] is True and data["key_store"]["stored"] == []
    code, data = run("doctor", "--no-printers")
    keys = next(c for c in data["checks"] if c["check"] == "keys")
    assert (keys["level"], keys["key"]) == ("problem", "doctor.keys.in_db")
    assert "shebao office keys move" in keys["fix"]
    code, data = run("office", "keys", "move")
    assert code == 2 and data["error"]["key"] == "keys.locked"
    secret = tmp_path / "passphrase.txt"
    secret.write_text("the administrator's passphrase\n", encoding="utf-8")
    code, data = run("office", "keys", "move", "--key-passphrase-file", str(secret))
    assert code == 0 and data["key_store"]["scrubbed"] is True
    assert data["key_store"]["moved"] == [key_id(pem_public(signing)), data["key_store"]["moved"][1]]
    assert data["key_store"]["revoked"] == key_id(pem_public(signing)) != data["key_store"]["rotated_to"]
    assert pem_private(signing).splitlines()[1].encode() not in database_bytes(path)
    code, data = run("--key-passphrase-file", str(secret), "office", "keys", "status")
    assert data["key_store"]["in_database"] is False and data["key_store"]["unlocked"] is True
    # the two moved and the pair that replaced them (the moved ones were exposed)
    assert sorted(k["purpose"] for k in data["key_store"]["stored"]) == ["encrypt", "encrypt", "sign", "sign"]
    assert data["key_store"]["signing_key"] != key_id(pem_public(signing))
    code, data = run("--key-passphrase-file", str(secret), "doctor", "--no-printers")
    keys = next(c for c in data["checks"] if c["check"] == "keys")
    assert (keys["level"], keys["key"]) == ("ok", "doctor.keys.store_ok")
    keystore.forget()
    code, data = run("doctor", "--no-printers")
    keys = next(c for c in data["checks"] if c["check"] == "keys")
    assert (keys["level"], keys["key"]) == ("warning", "doctor.keys.locked")
    code, data = run("audit", "verify")
    assert code == 0 and data["valid"] is True


def test_doctor_finds_a_key_missing_from_the_store(ledger: Ledger, db_path: Path, key_store: Path,
                                                  capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHEBAO_USER", raising=False)
    with ledger.read() as s:
        signing = key_id(load_office(s).public_key)
    (key_store / f"{signing}.key").unlink()
    assert cli.main(["--db", str(db_path), "--json", "doctor", "--no-printers"]) == 4
    data = json.loads(capsys.readouterr().out)
    keys = next(c for c in data["checks"] if c["check"] == "keys")
    assert (keys["level"], keys["key"]) == ("problem", "doctor.keys.store_bad")
    assert signing in keys["detail"]
    with pytest.raises(IntegrityFailure) as info, ledger.read() as s:
        office_signer(load_office(s))
    assert info.value.key == "keys.missing"


def test_the_passphrase_file_must_be_readable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["--db", str(tmp_path / "o.db"), "--json", "--key-passphrase-file", str(tmp_path / "none"),
                     "office", "keys", "status"])
    assert code == 2
    assert json.loads(capsys.readouterr().out)["error"]["key"] == "keys.passphrase_file"
