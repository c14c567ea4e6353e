"""The office's signing key on a PKCS#11 token (a USB key), against a real SoftHSM2 token.

SoftHSM2 reads its configuration once, when its library is first loaded in a process, and sees only
the tokens that exist then: the session fixture makes every token these tests use first (in a
temporary token folder of its own), and the tests that need a token to disappear, or none at all,
run the program in a child process.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import EMPLOYER, TODAY
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from desktop import cli
from desktop.core import keys
from desktop.core.clock import Clock
from desktop.core.errors import InvalidInput, NotAllowed, RefusedByRule
from desktop.core.keystore import pkcs11 as token

PIN = "271828"
SO_PIN = "31415926"
LABEL = "SHEBAO-NC01"
OTHER_LABEL = "SPARE"
ROOT = Path(__file__).resolve().parent.parent
ID_1 = "510107198511113215"
MODULE_PATHS = ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
                "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so", "/usr/local/lib/softhsm/libsofthsm2.so")


def _softhsm_module() -> str | None:
    return next((p for p in MODULE_PATHS if Path(p).is_file()), None)


def _write_conf(folder: Path) -> Path:
    tokens = folder / "tokens"
    tokens.mkdir(parents=True, exist_ok=True)
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n"
                    "slots.removable = false\n", encoding="utf-8")
    return conf


def _init_token(conf: Path, label: str) -> None:
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", label, "--pin", PIN, "--so-pin", SO_PIN],
                   check=True, capture_output=True, env={**os.environ, "SOFTHSM2_CONF": str(conf)})


@pytest.fixture(scope="session")
def softhsm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """SoftHSM2's PKCS#11 library with two tokens, LABEL and OTHER_LABEL, in a token folder of this
    test session; yields the library's path."""
    module = _softhsm_module()
    if module is None or shutil.which("softhsm2-util") is None:
        pytest.skip("SoftHSM2 is not installed (Debian package softhsm2)")
    conf = _write_conf(tmp_path_factory.mktemp("softhsm"))
    for label in (LABEL, OTHER_LABEL):
        _init_token(conf, label)
    before = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    yield module
    token.close_all()
    if before is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = before


@pytest.fixture(autouse=True)
def _sessions_closed() -> Iterator[None]:
    yield
    token.close_all()
    token.set_pin_source(None)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, Any]:
    code = cli.main([*args, "--json"], clock=Clock(day=lambda: TODAY))
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else None


def ok(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    code, data = run(capsys, *args)
    assert code == 0, data
    return data


# --- the token itself -----------------------------------------------------------------------------


def test_generate_sign_verify_and_find_again(softhsm: str) -> None:
    signer = token.generate_key(softhsm, LABEL, PIN)
    assert isinstance(signer, keys.Signer)
    assert re.fullmatch(r"[0-9A-F]{16}", signer.key_id) and signer.key_id == keys.key_id(signer.public_pem)
    public = serialization.load_pem_public_key(signer.public_pem.encode())
    assert isinstance(public, Ed25519PublicKey)

    token.set_pin_source(lambda label: PIN if label == LABEL else None)
    data = "社保缴费证明 NC01-ZM2026000001".encode()
    signature = signer.sign(data)
    assert len(signature) == 64
    public.verify(signature, data)  # raises InvalidSignature if the token signed anything else
    assert signer.sign(b"x") != signer.sign(b"y")

    again = token.find_key(softhsm, LABEL, signer.key_id)
    assert again.public_pem == signer.public_pem and again.key_id == signer.key_id
    public.verify(again.sign(b"again"), b"again")
    assert token.public_key_present(softhsm, LABEL, signer.key_id)
    assert not token.public_key_present(softhsm, OTHER_LABEL, signer.key_id)
    assert token.token_labels(softhsm) == [LABEL, OTHER_LABEL]


def test_private_key_is_not_extractable(softhsm: str) -> None:
    import pkcs11
    from pkcs11 import Attribute, ObjectClass

    signer = token.generate_key(softhsm, LABEL, PIN)
    tok = pkcs11.lib(softhsm).get_token(token_label=LABEL)
    with tok.open(user_pin=PIN, rw=True) as session:  # read-write: a refused change is the token's, not the session's
        private = session.get_key(object_class=ObjectClass.PRIVATE_KEY, label=signer.key_id)
        assert private[Attribute.ID] == bytes.fromhex(signer.key_id)
        assert private[Attribute.SENSITIVE] is True and private[Attribute.EXTRACTABLE] is False
        assert private[Attribute.NEVER_EXTRACTABLE] is True and private[Attribute.ALWAYS_SENSITIVE] is True
        with pytest.raises(pkcs11.exceptions.AttributeSensitive):
            private[Attribute.VALUE]  # C_GetAttributeValue(CKA_VALUE) refused by the token
        with pytest.raises(pkcs11.exceptions.AttributeReadOnly):
            private[Attribute.EXTRACTABLE] = True  # and it cannot be made extractable afterwards


def test_refusals_of_the_token(softhsm: str, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as missing:
        token.load_module(str(tmp_path / "libvendor-p11.so"))
    assert missing.value.key == "token.module_missing" and missing.value.field == "token_module"
    not_a_module = tmp_path / "notes.so"
    not_a_module.write_bytes(b"\x7fELF not really")
    with pytest.raises(InvalidInput) as invalid:
        token.load_module(str(not_a_module))
    assert invalid.value.key == "token.module_invalid"

    with pytest.raises(RefusedByRule) as absent:
        token.find_token(softhsm, "SEAL-KEY")
    assert absent.value.key == "token.not_found"
    assert absent.value.message("en") == ('token label: no token labelled "SEAL-KEY" (present: SHEBAO-NC01、SPARE): '
                                          'plug it in, or check the label')

    with pytest.raises(NotAllowed) as wrong:
        token.generate_key(softhsm, LABEL, "000000")
    assert wrong.value.key == "token.pin_wrong" and wrong.value.exit_code == 5
    signer = token.generate_key(softhsm, LABEL, PIN)
    with pytest.raises(NotAllowed) as wrong_again:
        token.find_key(softhsm, LABEL, signer.key_id, "000000")
    assert wrong_again.value.key == "token.pin_wrong"

    with pytest.raises(NotAllowed) as needed:
        signer.sign(b"no PIN source")  # nothing installed to ask for the PIN
    assert needed.value.key == "token.pin_needed"

    with pytest.raises(RefusedByRule) as not_there:
        token.find_key(softhsm, OTHER_LABEL, signer.key_id, PIN)  # the right PIN, the wrong token
    assert not_there.value.key == "token.key_missing"
    assert signer.key_id in not_there.value.message("en")


def test_a_token_without_ed25519_is_named_with_what_it_has() -> None:
    seal_key = ["RSA_PKCS", "SHA256_RSA_PKCS", "0x80000001", "EC_KEY_PAIR_GEN"]  # an SM2 seal key, say
    with pytest.raises(RefusedByRule) as refused:
        token.check_ed25519("GMSEAL", seal_key)
    assert refused.value.key == "token.no_ed25519"
    assert refused.value.message("en") == (
        'token label: token "GMSEAL" cannot make Ed25519 signatures (its mechanisms: 0x80000001, '
        "EC_KEY_PAIR_GEN, RSA_PKCS, SHA256_RSA_PKCS); many seal tokens do SM2 or RSA only: the office then "
        "keeps its key in the file store")
    token.check_ed25519("SOFT", ["EC_EDWARDS_KEY_PAIR_GEN", "EDDSA", "RSA_PKCS"])  # enough


def test_softhsm_offers_ed25519(softhsm: str) -> None:
    names = token.mechanism_names(token.find_token(softhsm, LABEL))
    assert {"EC_EDWARDS_KEY_PAIR_GEN", "EDDSA"} <= set(names)


def test_a_locked_pin_is_its_own_refusal() -> None:
    from pkcs11 import exceptions

    # SoftHSM2 never locks a PIN, so the token's answer is given here as a token gives it
    refusal = token._translate(exceptions.PinLocked(), "SEAL")
    assert isinstance(refusal, NotAllowed) and refusal.key == "token.pin_locked" and refusal.exit_code == 5
    removed = token._translate(exceptions.DeviceRemoved(), "SEAL")
    assert isinstance(removed, RefusedByRule) and removed.key == "token.removed"


# --- an office that signs on the token ---------------------------------------------------------


def _office(capsys: pytest.CaptureFixture[str], db: str, code: str, name: str, region: str) -> None:
    ok(capsys, "--db", db, "init", "--office", code, "--office-name", name, "--region", region)
    ok(capsys, "--db", db, "wage", "set", "--region", region[:2] + "0000", "--year", "2026", "--monthly", "6000")


@pytest.fixture
def token_office(softhsm: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                 monkeypatch: pytest.MonkeyPatch) -> tuple[str, dict[str, Any]]:
    """Office NC01 (a CLI database) whose signing key was made on the token by `office keys token-init`."""
    for name in ("SHEBAO_DB", "SHEBAO_USER", "SHEBAO_PASSWORD", "SHEBAO_TOKEN_PIN", "SHEBAO_TOKEN_PIN_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    db = str(tmp_path / "nc01.db")
    _office(capsys, db, "NC01", "南昌市社保局", "360100")
    ok(capsys, "--db", db, "employer", "register", "--uscc", EMPLOYER, "--name", "赣江机械", "--risk-class", "2")
    pin_file = tmp_path / "pin.txt"
    pin_file.write_text(PIN + "\n", encoding="utf-8")
    status = ok(capsys, "--db", db, "office", "keys", "token-init", "--module", softhsm, "--token", LABEL,
                "--pin-file", str(pin_file))["token"]
    return db, status


def test_token_init_makes_the_token_key_current(token_office: tuple[str, dict[str, Any]], softhsm: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    db, status = token_office
    assert status["configured"] and status["module"] == softhsm and status["label"] == LABEL
    assert status["key_id"] == status["current_key_id"] and re.fullmatch(r"[0-9A-F]{16}", status["key_id"])
    assert status["module_found"] and status["token_present"] and status["key_present"] is True
    assert status["problem"] is None and status["tokens"] == [LABEL, OTHER_LABEL]
    again = ok(capsys, "--db", db, "office", "keys", "token-status")["token"]
    assert again == status
    identity = ok(capsys, "--db", db, "office", "identity", "--out", "nc01.json")
    public = json.loads(Path("nc01.json").read_text(encoding="utf-8"))["public_key"]
    assert identity["code"] == "NC01" and keys.key_id(public) == status["key_id"]


def test_an_office_on_the_token_issues_documents_and_sync_files(
        token_office: tuple[str, dict[str, Any]], tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    db, status = token_office
    monkeypatch.setenv("SHEBAO_TOKEN_PIN", PIN)
    ok(capsys, "--db", db, "worker", "register", "--id-number", ID_1, "--name", "张三", "--hukou-region", "510107",
       "--hukou-type", "rural")
    ok(capsys, "--db", db, "contrib", "record", "--worker", ID_1, "--employer", EMPLOYER, "--month", "2026-10",
       "--wage", "7000")
    printed = ok(capsys, "--db", db, "print", "statement", ID_1, "--out", "s.pdf")
    assert (tmp_path / "s.pdf").read_bytes().startswith(b"%PDF")
    monkeypatch.delenv("SHEBAO_TOKEN_PIN")  # verifying needs no token
    verdict = ok(capsys, "--db", db, "verify", printed["verification_code"])
    assert verdict["valid"] and verdict["kind"] == "statement" and verdict["number"] == printed["number"]
    assert verdict["issued_by"] == "NC01"
    from desktop.core import verification

    public = json.loads(Path(ok(capsys, "--db", db, "office", "identity", "--out", "nc01.json")["file"])
                        .read_text(encoding="utf-8"))["public_key"]
    assert verification.signature_valid(verification.decode(printed["verification_code"]), public)

    # a sync file sealed with the token key, opened by another office that trusts this one
    other = str(tmp_path / "bj01.db")
    _office(capsys, other, "BJ01", "北京市朝阳区社保中心", "110105")
    ok(capsys, "--db", other, "office", "identity", "--out", "bj01.json")
    ok(capsys, "--db", db, "office", "trust", "bj01.json")
    ok(capsys, "--db", other, "office", "trust", "nc01.json")
    code, data = run(capsys, "--db", db, "sync", "export", "--out", "a-to-b.sync", "--to", "BJ01")
    assert code == 5 and data["error"]["key"] == "token.pin_needed"  # sealing signs: the token is asked
    monkeypatch.setenv("SHEBAO_TOKEN_PIN", PIN)
    out = ok(capsys, "--db", db, "sync", "export", "--out", "a-to-b.sync", "--to", "BJ01")
    assert out["changes"] > 0
    monkeypatch.delenv("SHEBAO_TOKEN_PIN")
    applied = ok(capsys, "--db", other, "sync", "import", "a-to-b.sync")
    assert applied["sender"] == "NC01" and applied["applied"] == out["changes"] and applied["conflicts"] == 0
    assert ok(capsys, "--db", other, "worker", "show", ID_1)["worker"]["name"] == "张三"

    # the token key came in by a rotation: announced, the file key before it retired
    history = ok(capsys, "--db", db, "office", "keys", "history")["keys"]
    signs = [(k["key_id"] == status["key_id"], k["current"], k["retired_at"] is None) for k in history
             if k["purpose"] == "sign"]
    assert signs == [(False, False, False), (True, True, True)]
    # no private key at all in the database file (its WAL and journal too): the token's stays on the
    # token, the file key before it is in the key store
    assert _private_keys_in(Path(db)) == []
    with pytest.raises(ValueError, match="Could not deserialize"):  # the scan does find a key when there is one
        _private_keys_in_bytes(b"-----BEGIN PRIVATE KEY-----\\nAAAA\\n-----END PRIVATE KEY-----")


def _private_keys_in(db: Path) -> list[Ed25519PrivateKey]:
    """Every Ed25519 private key written in the database file or beside it, as PEM."""
    return _private_keys_in_bytes(b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*")))


def _private_keys_in_bytes(blobs: bytes) -> list[Ed25519PrivateKey]:
    found: list[Ed25519PrivateKey] = []
    for pem in re.findall(rb"-----BEGIN PRIVATE KEY-----[A-Za-z0-9+/=\\n\s]+?-----END PRIVATE KEY-----", blobs):
        key = serialization.load_pem_private_key(pem.replace(b"\\n", b"\n"), None)
        if isinstance(key, Ed25519PrivateKey):
            found.append(key)
    return found


def test_a_wrong_pin_is_refused_with_exit_code_5(token_office: tuple[str, dict[str, Any]], softhsm: str, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    db, _ = token_office
    ok(capsys, "--db", db, "worker", "register", "--id-number", ID_1, "--name", "张三", "--hukou-region", "510107",
       "--hukou-type", "rural")
    ok(capsys, "--db", db, "contrib", "record", "--worker", ID_1, "--employer", EMPLOYER, "--month", "2026-10",
       "--wage", "7000")
    monkeypatch.setenv("SHEBAO_TOKEN_PIN", "999999")
    code, data = run(capsys, "--db", db, "--lang", "en", "print", "statement", ID_1, "--out", "s.pdf")
    assert code == 5 and data["error"]["key"] == "token.pin_wrong" and data["error"]["code"] == "not_allowed"
    assert data["error"]["message"] == f'wrong PIN for token "{LABEL}" (repeated wrong PINs lock the token)'
    assert not (tmp_path / "s.pdf").exists()
    assert ok(capsys, "--db", db, "document", "list", ID_1)["documents"] == []  # nothing registered

    monkeypatch.delenv("SHEBAO_TOKEN_PIN")  # no PIN and no terminal to ask on
    code, data = run(capsys, "--db", db, "print", "statement", ID_1, "--out", "s.pdf")
    assert code == 5 and data["error"]["key"] == "token.pin_needed"

    code, data = run(capsys, "--db", db, "office", "keys", "token-init", "--module", str(tmp_path / "none.so"),
                     "--token", LABEL)
    assert code == 5 and data["error"]["key"] == "token.pin_needed"
    monkeypatch.setenv("SHEBAO_TOKEN_PIN", PIN)
    code, data = run(capsys, "--db", db, "office", "keys", "token-init", "--module", str(tmp_path / "none.so"),
                     "--token", LABEL)
    assert code == 2 and data["error"]["key"] == "token.module_missing" and data["error"]["field"] == "token_module"
    code, data = run(capsys, "--db", db, "office", "keys", "token-init", "--module", softhsm, "--token", "SEAL-KEY")
    assert code == 3 and data["error"]["key"] == "token.not_found"


def _child(script: str, conf: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOFTHSM2_CONF": str(conf), "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=120, check=False)


def test_token_absent_is_refused(token_office: tuple[str, dict[str, Any]], tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    """The USB key is not plugged in: SoftHSM2 with an empty token folder, in a child process."""
    db, _ = token_office
    ok(capsys, "--db", db, "worker", "register", "--id-number", ID_1, "--name", "张三", "--hukou-region", "510107",
       "--hukou-type", "rural")
    ok(capsys, "--db", db, "contrib", "record", "--worker", ID_1, "--employer", EMPLOYER, "--month", "2026-10",
       "--wage", "7000")
    empty = _write_conf(tmp_path / "unplugged")
    done = _child(f"""
        import datetime as dt, os
        from desktop import cli
        from desktop.core.clock import Clock
        os.environ["SHEBAO_TOKEN_PIN"] = {PIN!r}
        raise SystemExit(cli.main(["--db", {db!r}, "--json", "--lang", "en", "print", "statement", {ID_1!r},
                                   "--out", "s.pdf"], clock=Clock(day=lambda: dt.date(2026, 11, 23))))
        """, empty, tmp_path)
    assert done.returncode == 3, done.stderr
    error = json.loads(done.stdout)["error"]
    assert error["key"] == "token.not_found" and error["field"] == "token_label"
    assert error["message"] == f'token label: no token labelled "{LABEL}" (present: —): plug it in, or check the label'
    status = _child(f"""
        from desktop import cli
        raise SystemExit(cli.main(["--db", {db!r}, "--json", "office", "keys", "token-status"]))
        """, empty, tmp_path)
    assert status.returncode == 0, status.stderr
    shown = json.loads(status.stdout)["token"]
    assert shown["configured"] and not shown["token_present"] and shown["problem"] == "token.not_found"


def test_token_removed_mid_use_is_refused(softhsm: str, tmp_path: Path) -> None:
    """The USB key pulled out between two signatures (the token deleted under SoftHSM2), in a child
    process: the session that signed a moment ago finds its key gone with the token."""
    conf = _write_conf(tmp_path / "removable")
    _init_token(conf, "REMOVABLE")
    done = _child(f"""
        import json, subprocess
        from desktop.core.errors import ShebaoError
        from desktop.core.keystore import pkcs11 as token
        signer = token.generate_key({softhsm!r}, "REMOVABLE", {PIN!r})
        token.set_pin_source(lambda label: {PIN!r})
        first = len(signer.sign(b"before"))
        subprocess.run(["softhsm2-util", "--delete-token", "--token", "REMOVABLE"], check=True, capture_output=True)
        try:
            signer.sign(b"after")
        except ShebaoError as exc:
            print(json.dumps({{"first": first, "key": exc.key, "exit": exc.exit_code, "message": exc.message("en")}}))
        """, conf, tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "first": 64, "key": "token.removed", "exit": 3,
        "message": 'token "REMOVABLE" was removed or stopped answering while in use: plug it in again and retry'}


def test_token_status_of_an_office_without_a_token(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SHEBAO_DB", "SHEBAO_USER", "SHEBAO_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    db = str(tmp_path / "plain.db")
    _office(capsys, db, "NC02", "新建区社保局", "360112")
    shown = ok(capsys, "--db", db, "office", "keys", "token-status")["token"]
    assert shown["configured"] is False and shown["problem"] is None and shown["label"] == ""
    assert re.fullmatch(r"[0-9A-F]{16}", shown["current_key_id"])


# --- the window asks for the PIN ------------------------------------------------------------------


def _sign_in_thread(signer: token.TokenSigner, data: bytes) -> tuple[threading.Thread, dict[str, Any]]:
    """Sign on another thread, as the window's runner does."""
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["signature"] = signer.sign(data)
        except Exception as exc:  # noqa: BLE001 - handed to the test
            outcome["error"] = exc

    thread = threading.Thread(target=work)
    thread.start()
    return thread, outcome


def test_the_window_asks_for_the_pin_when_a_signature_needs_it(softhsm: str, qtbot: Any, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    from desktop.ui.token_pin import TokenPinPrompt

    signer = token.generate_key(softhsm, LABEL, PIN)
    prompt = TokenPinPrompt(None)
    prompt.install()
    thread, outcome = _sign_in_thread(signer, "参保缴费证明".encode())
    qtbot.waitUntil(lambda: prompt.dialog is not None and prompt.dialog.isVisible(), timeout=10_000)
    dialog = prompt.dialog
    assert dialog is not None and LABEL in dialog.intro.text() and dialog.pin_label.text() == "PIN(&P)"
    assert dialog.pin.echoMode() == dialog.pin.EchoMode.Password and dialog.pin.hasFocus()
    dialog.grab().save(str(tmp_path / "token_pin.png"))
    qtbot.keyClicks(dialog.pin, PIN)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: not thread.is_alive(), timeout=10_000)
    assert "error" not in outcome, outcome
    public = serialization.load_pem_public_key(signer.public_pem.encode())
    assert isinstance(public, Ed25519PublicKey)
    public.verify(outcome["signature"], "参保缴费证明".encode())
    assert prompt.dialog is None

    # the session stays open: the next signature asks nothing
    thread, outcome = _sign_in_thread(signer, b"again")
    thread.join(10)
    assert not thread.is_alive() and len(outcome["signature"]) == 64 and prompt.dialog is None


def test_a_cancelled_pin_refuses_the_signature(softhsm: str, qtbot: Any) -> None:
    from desktop.ui.token_pin import TokenPinPrompt

    signer = token.generate_key(softhsm, LABEL, PIN)
    prompt = TokenPinPrompt(None)
    prompt.install()
    thread, outcome = _sign_in_thread(signer, b"cancelled")
    qtbot.waitUntil(lambda: prompt.dialog is not None and prompt.dialog.isVisible(), timeout=10_000)
    assert prompt.dialog is not None
    prompt.dialog.reject()
    qtbot.waitUntil(lambda: not thread.is_alive(), timeout=10_000)
    assert isinstance(outcome["error"], NotAllowed) and outcome["error"].key == "token.pin_needed"
    assert prompt.pin_for(LABEL) is None  # on the GUI thread nothing is asked (it would wait for itself)


def test_closing_the_window_releases_a_signature_waiting_for_the_pin(softhsm: str, qtbot: Any) -> None:
    from desktop.ui.token_pin import TokenPinPrompt

    signer = token.generate_key(softhsm, LABEL, PIN)
    prompt = TokenPinPrompt(None)
    prompt.install()
    thread, outcome = _sign_in_thread(signer, b"closing")
    qtbot.waitUntil(lambda: prompt.dialog is not None and prompt.dialog.isVisible(), timeout=10_000)
    prompt.close()  # as app.main does when the event loop has ended
    thread.join(10)
    assert not thread.is_alive() and outcome["error"].key == "token.pin_needed"
    assert prompt.dialog is None and prompt.pin_for(LABEL) is None
