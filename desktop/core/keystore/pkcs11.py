"""The office's signing key on a PKCS#11 token (a USB key), through the token's own library.

The private key is made on the token, marked sensitive and not extractable, and never leaves it:
this module asks the token to sign. The office settings `keys.token_module` (the library's path,
a .so or .dll), `keys.token_label` (the token's label) and `keys.token_key_id` (the key's
`keys.key_id`, also its label and CKA_ID on the token) say which key; with them present
`keys.office_signer` returns a `TokenSigner`.

The PIN is asked for by a PIN source the program installs (`set_pin_source`: the command line reads
SHEBAO_TOKEN_PIN or asks on a terminal) and kept in this process's memory only, for as long as the
token's session stays open (`close_all` ends it and logs out).

Every token problem is a typed error with a message key (`token.*`): the library missing, no token
with that label (naming those present), a wrong or locked PIN, the key not on the token, the token
removed while in use, and a token without Ed25519 (naming the mechanisms it has).

Needs the optional `token` extra (python-pkcs11); nothing here is imported until a token is used.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from desktop.core.errors import InvalidInput, NotAllowed, RefusedByRule, ShebaoError
from desktop.core.keys import key_id

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from desktop.core.store.models import Office

SETTING_MODULE = "keys.token_module"
SETTING_LABEL = "keys.token_label"
SETTING_KEY_ID = "keys.token_key_id"
SETTINGS = (SETTING_MODULE, SETTING_LABEL, SETTING_KEY_ID)

ED25519_OID = "1.3.101.112"
# What the office's signing key needs from a token: making an Ed25519 key pair and signing with it.
NEEDED_MECHANISMS = ("EC_EDWARDS_KEY_PAIR_GEN", "EDDSA")

PinSource = Callable[[str], "str | None"]
"""Given the token's label, its PIN (None: none can be had, e.g. no terminal to ask on)."""


@dataclass(frozen=True)
class TokenSettings:
    """Which token key signs for the office."""

    module: str
    label: str
    key_id: str


# --- errors -------------------------------------------------------------------------------------


def _library() -> Any:
    """The python-pkcs11 package (the optional `token` extra)."""
    try:
        import pkcs11
    except ImportError:
        raise RefusedByRule("token.library_missing") from None
    return pkcs11


def _translate(exc: BaseException, label: str) -> ShebaoError:
    """The typed error for a PKCS#11 failure while using the token `label`."""
    from pkcs11 import exceptions as e

    if isinstance(exc, e.PinIncorrect | e.PinInvalid | e.PinLenRange):
        return NotAllowed("token.pin_wrong", None, label=label)
    if isinstance(exc, e.PinLocked | e.PinExpired):
        return NotAllowed("token.pin_locked", None, label=label)
    if isinstance(exc, e.DeviceRemoved | e.TokenNotPresent | e.SessionClosed | e.SessionHandleInvalid
                  | e.ObjectHandleInvalid | e.KeyHandleInvalid | e.DeviceError | e.SlotIDInvalid
                  | e.TokenNotRecognised):
        return RefusedByRule("token.removed", None, label=label)
    if isinstance(exc, e.MechanismInvalid | e.FunctionNotSupported):
        return RefusedByRule("token.no_ed25519", None, label=label, mechanisms="—")
    return RefusedByRule("token.failed", None, label=label, error=type(exc).__name__)


# --- the module and its tokens ------------------------------------------------------------------


def load_module(path: str) -> Any:
    """The token's PKCS#11 library (a .so or .dll) loaded; refused when it is not there or is no
    PKCS#11 library."""
    lib = _library()
    if not path or not Path(path).is_file():
        raise InvalidInput("token.module_missing", "token_module", path=path)
    try:
        return lib.lib(path)
    except lib.PKCS11Error:
        raise InvalidInput("token.module_invalid", "token_module", path=path) from None


def token_labels(module: str) -> list[str]:
    """The labels of the tokens present (plugged in) for this library."""
    lib = load_module(module)
    from pkcs11 import exceptions as e

    try:
        labels = [str(slot.get_token().label).strip() for slot in lib.get_slots(token_present=True)]
        return sorted(label for label in labels if label)  # a blank one: an uninitialised token
    except e.PKCS11Error:  # a token pulled out while being listed; SoftHSM after a token is deleted
        return []


def find_token(module: str, label: str) -> Any:
    """The token with this label; refused naming the labels present when there is none."""
    lib = load_module(module)
    from pkcs11 import exceptions as e

    try:
        return lib.get_token(token_label=label)
    except e.MultipleTokensReturned:
        raise RefusedByRule("token.ambiguous", "token_label", label=label) from None
    except e.PKCS11Error:  # none with that label (NoSuchToken), or the slots could not be read
        present = token_labels(module)
        raise RefusedByRule("token.not_found", "token_label", label=label,
                            present="、".join(present) if present else "—") from None


def mechanism_names(token: Any) -> list[str]:
    """The names of the mechanisms a token offers (hexadecimal for those without a name)."""
    names = []
    for m in token.slot.get_mechanisms():
        name = getattr(m, "name", None)
        names.append(str(name) if name else f"0x{int(m):08X}")
    return sorted(names)


def check_ed25519(label: str, mechanisms: Iterable[str]) -> None:
    """Refused when the token cannot make and use an Ed25519 key (e.g. one made for SM2 or RSA
    seals only), naming what it has."""
    have = set(mechanisms)
    if not all(m in have for m in NEEDED_MECHANISMS):
        shown = sorted(have)
        listed = ", ".join(shown[:20]) + (f" … (+{len(shown) - 20})" if len(shown) > 20 else "")
        raise RefusedByRule("token.no_ed25519", "token_label", label=label, mechanisms=listed or "—")


# --- sessions: one logged-in session per token, the PIN in memory ----------------------------------


@dataclass
class _Open:
    pin: str
    session: Any


_lock = threading.RLock()
_open: dict[tuple[str, str], _Open] = {}
_pin_source: PinSource | None = None


def set_pin_source(source: PinSource | None) -> None:
    """Install how a token's PIN is asked for when a signature needs it (None: no way to ask)."""
    global _pin_source
    _pin_source = source


def _pin_for(label: str) -> str:
    pin = _pin_source(label) if _pin_source is not None else None
    if not pin:
        raise NotAllowed("token.pin_needed", None, label=label)
    return pin


def _close(entry: _Open) -> None:
    from pkcs11 import exceptions as e

    try:
        entry.session.close()  # the token's last session closed: logged out
    except e.PKCS11Error:
        pass


def close_all() -> None:
    """Close every token session this process opened (logging out, forgetting the PINs)."""
    with _lock:
        for entry in _open.values():
            _close(entry)
        _open.clear()


def _session(module: str, label: str, pin: str | None = None, rw: bool = False) -> Any:
    """A logged-in session on the token (reused while the PIN is the same)."""
    with _lock:
        entry = _open.get((module, label))
        if entry is not None and (pin is None or pin == entry.pin) and not rw:
            return entry.session
        if entry is not None:
            _close(entry)
            del _open[(module, label)]
        token = find_token(module, label)
        given = pin if pin is not None else _pin_for(label)
        lib = _library()
        try:
            session = token.open(user_pin=given, rw=rw)
        except lib.PKCS11Error as exc:
            raise _translate(exc, label) from None
        _open[(module, label)] = _Open(given, session)
        return session


def _forget(module: str, label: str) -> None:
    with _lock:
        entry = _open.pop((module, label), None)
        if entry is not None:
            _close(entry)


# --- keys ---------------------------------------------------------------------------------------


def public_pem_from_point(point: bytes) -> str:
    """The PEM public key of an Ed25519 CKA_EC_POINT: a DER OCTET STRING around the 32 raw bytes
    (PKCS#11 3.0, SoftHSM), or the raw bytes as some tokens give them."""
    raw = point[2:] if len(point) == 34 and point[:2] == b"\x04\x20" else point
    if len(raw) != 32:
        raise RefusedByRule("token.key_invalid", None, length=len(point))
    return Ed25519PublicKey.from_public_bytes(raw).public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


class TokenSigner:
    """An Ed25519 private key kept on a PKCS#11 token: it signs there (a `keys.Signer`)."""

    def __init__(self, module: str, label: str, key: str, public_pem: str) -> None:
        self.module = module
        self.label = label
        self._id = key
        self._public = public_pem

    @property
    def key_id(self) -> str:
        return self._id

    @property
    def public_pem(self) -> str:
        return self._public

    def sign(self, data: bytes) -> bytes:
        """The 64-byte Ed25519 signature, made by the token (its PIN asked for when no session is
        open). Refused when the token was removed or the key is gone from it."""
        lib = _library()
        from pkcs11 import Mechanism

        session = _session(self.module, self.label)
        try:
            private = _private_key(session, self._id, self.label)
            signature = bytes(private.sign(data, mechanism=Mechanism.EDDSA))
        except ShebaoError as exc:
            _forget(self.module, self.label)
            if exc.key == "token.key_missing" and self.label not in token_labels(self.module):
                raise RefusedByRule("token.removed", None, label=self.label) from None  # pulled out mid-use
            raise
        except lib.PKCS11Error as exc:
            _forget(self.module, self.label)
            raise _translate(exc, self.label) from None
        if len(signature) != 64:
            raise RefusedByRule("token.failed", None, label=self.label, error=f"signature of {len(signature)} bytes")
        return signature


def _private_key(session: Any, key: str, label: str) -> Any:
    from pkcs11 import ObjectClass
    from pkcs11 import exceptions as e

    try:
        return session.get_key(object_class=ObjectClass.PRIVATE_KEY, label=key)
    except (e.NoSuchKey, e.MultipleObjectsReturned):
        raise RefusedByRule("token.key_missing", None, label=label, key_id=key) from None


@contextlib.contextmanager
def _token_errors(module: str, label: str) -> Iterator[None]:
    """Work on a token's session: any refusal or token error ends the session (its PIN forgotten),
    and a token error becomes the typed refusal that names it."""
    lib = _library()
    try:
        yield
    except ShebaoError:
        _forget(module, label)
        raise
    except lib.PKCS11Error as exc:
        _forget(module, label)
        raise _translate(exc, label) from None


def generate_key(module: str, label: str, pin: str) -> TokenSigner:
    """A new Ed25519 key pair made on the token: the private half sensitive and not extractable,
    both labelled with the key's key_id (and that as their CKA_ID)."""
    from pkcs11 import Attribute, KeyType, Mechanism
    from pkcs11.util.ec import encode_named_curve_parameters

    token = find_token(module, label)
    check_ed25519(label, mechanism_names(token))
    session = _session(module, label, pin, rw=True)
    with _token_errors(module, label):
        public, private = session.generate_keypair(
            KeyType.EC_EDWARDS, 0, mechanism=Mechanism.EC_EDWARDS_KEY_PAIR_GEN, store=True,
            label="shebao-new",
            public_template={Attribute.EC_PARAMS: encode_named_curve_parameters(ED25519_OID),
                             Attribute.VERIFY: True},
            private_template={Attribute.SENSITIVE: True, Attribute.EXTRACTABLE: False,
                              Attribute.SIGN: True, Attribute.PRIVATE: True})
        pem = public_pem_from_point(bytes(public[Attribute.EC_POINT]))
        kid = key_id(pem)
        for obj in (public, private):
            obj[Attribute.LABEL] = kid
            obj[Attribute.ID] = bytes.fromhex(kid)
    _forget(module, label)  # the read-write session ends; signing opens its own
    return TokenSigner(module, label, kid, pem)


def find_key(module: str, label: str, key: str, pin: str | None = None) -> TokenSigner:
    """The signer of the key with this key_id on the token (the PIN from the PIN source when not
    given); refused when the key is not there."""
    from pkcs11 import Attribute, ObjectClass
    from pkcs11 import exceptions as e

    session = _session(module, label, pin)
    with _token_errors(module, label):
        _private_key(session, key, label)
        try:
            public = session.get_key(object_class=ObjectClass.PUBLIC_KEY, label=key)
        except (e.NoSuchKey, e.MultipleObjectsReturned):
            raise RefusedByRule("token.key_missing", None, label=label, key_id=key) from None
        pem = public_pem_from_point(bytes(public[Attribute.EC_POINT]))
    if key_id(pem) != key:
        raise RefusedByRule("token.key_missing", None, label=label, key_id=key)
    return TokenSigner(module, label, key, pem)


# --- the office's settings ----------------------------------------------------------------------


def read_settings(session: Session) -> TokenSettings | None:
    """The office's token settings (None: the office signs with a key kept elsewhere)."""
    from sqlalchemy import select

    from desktop.core.store.models import OfficeSetting

    rows = {r.key: r.value for r in session.scalars(select(OfficeSetting).where(OfficeSetting.key.in_(SETTINGS)))}
    if not all(rows.get(k) for k in SETTINGS):
        return None
    return TokenSettings(rows[SETTING_MODULE], rows[SETTING_LABEL], rows[SETTING_KEY_ID])


def office_token_signer(office: Office) -> TokenSigner | None:
    """The office's signer on its token, when its settings name one (None otherwise)."""
    from sqlalchemy.orm import Session

    session = Session.object_session(office)
    settings = read_settings(session) if session is not None else None
    if settings is None:
        return None
    signer = find_key(settings.module, settings.label, settings.key_id)
    if signer.public_pem.strip() != office.public_key.strip():
        raise RefusedByRule("token.key_not_current", None, label=settings.label, key_id=settings.key_id)
    return signer


def use_token_key(office: Office, signer: TokenSigner) -> None:
    """Make the token key the office's current signing key: the office row's public key becomes
    the token key's and the settings name it. Called inside a write transaction (the office row
    read in it); announcing the change to trusted offices is the caller's business."""
    from sqlalchemy.orm import Session

    from desktop.core.store.models import OfficeSetting

    session = Session.object_session(office)
    if session is None:
        raise ValueError("the office row is not in a session")
    office.public_key = signer.public_pem
    for name, value in ((SETTING_MODULE, signer.module), (SETTING_LABEL, signer.label),
                        (SETTING_KEY_ID, signer.key_id)):
        row = session.get(OfficeSetting, name)
        if row is None:
            session.add(OfficeSetting(key=name, value=value))
        else:
            row.value = value


def forget_token_key(office: Office) -> None:
    """Remove the token settings (the office's signing key is kept elsewhere again); inside a write
    transaction, by whoever makes another key current."""
    from sqlalchemy.orm import Session

    from desktop.core.store.models import OfficeSetting

    session = Session.object_session(office)
    if session is None:
        raise ValueError("the office row is not in a session")
    for name in SETTINGS:
        row = session.get(OfficeSetting, name)
        if row is not None:
            session.delete(row)


def public_key_present(module: str, label: str, key: str) -> bool:
    """Whether the token holds the public half of this key (seen without logging in)."""
    lib = _library()
    from pkcs11 import ObjectClass

    token = find_token(module, label)
    try:
        with token.open() as session:
            return any(True for _ in session.get_objects({lib.Attribute.CLASS: ObjectClass.PUBLIC_KEY,
                                                          lib.Attribute.LABEL: key}))
    except lib.PKCS11Error as exc:
        raise _translate(exc, label) from None
