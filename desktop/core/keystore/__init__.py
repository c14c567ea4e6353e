"""Where the office's private keys live: a key store, a directory outside the database.

The directory is `SHEBAO_KEY_DIR`, else `keys/` in the user data directory; it is made readable by
its owner only (0700) and every file in it too (0600), each written to a temporary file and renamed
into place. Each private key is one file `<key_id>.key` (JSON): its key id, its purpose (`sign` or
`encrypt`), the office it belongs to, the order it was kept in, and its PKCS#8 DER protected by the
store's backend:

- `file` (everywhere but Windows): AES-256-GCM (the key id as associated data) under a key derived
  with scrypt from a passphrase the administrator sets. `store.json` holds the salt, the scrypt
  parameters and a check value, so a wrong passphrase is told as such; the derived key is made once
  a process and kept in memory only.
- `dpapi` (Windows): the Windows data protection API for the account running the program; no
  passphrase (desktop/core/keystore/dpapi.py).

The passphrase comes from, in order: the value given to `give_passphrase` (the window's prompt, the
command line's `--key-passphrase-file`), the environment variable `SHEBAO_KEY_PASSPHRASE`. Without
one, anything that needs a private key is refused (`KeysLocked`); a wrong one is refused naming it.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from desktop.core.errors import IntegrityFailure, InvalidInput
from desktop.core.keystore import dpapi

STORE_FORMAT = "shebao-keystore/1"
KEY_FORMAT = "shebao-key/1"
STORE_FILE = "store.json"
KEY_SUFFIX = ".key"
# scrypt's cost as shipped: 32 MiB of memory and about a tenth of a second here, once a process.
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
MIN_PASSPHRASE = 12
PASSPHRASE_ENV = "SHEBAO_KEY_PASSPHRASE"
DIR_ENV = "SHEBAO_KEY_DIR"
SIGN, ENCRYPT = "sign", "encrypt"
FILE_BACKEND = "file"
_CHECK_TEXT = b"shebao key store"
_CHECK_AAD = b"store.json"

PrivateKey = Ed25519PrivateKey | X25519PrivateKey

_lock = threading.Lock()
_given: str | None = None  # the passphrase given in this process (window prompt, --key-passphrase-file)
# (salt, n, r, p) -> the key scrypt derived from the passphrase (the same for a copy of the store)
_derived: dict[tuple[str, int, int, int], bytes] = {}


class KeysLocked(InvalidInput):
    """A private key is needed and the key store has no passphrase to open it with."""

    def __init__(self) -> None:
        super().__init__("keys.locked", None)


class KeyMissing(IntegrityFailure):
    """The store has no file for a key the office uses (the key folder lost or not restored)."""

    def __init__(self, key_id: str, folder: Path) -> None:
        super().__init__("keys.missing", None, key_id=key_id, folder=str(folder))


class KeyDamaged(IntegrityFailure):
    """A key file or store.json that cannot be read as one."""

    def __init__(self, name: str) -> None:
        super().__init__("keys.damaged", None, file=name)


def default_dir() -> Path:
    """The key store's directory: SHEBAO_KEY_DIR, else `keys/` in the user data directory."""
    env = os.environ.get(DIR_ENV)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("shebao-desk", appauthor=False)) / "keys"


def choose_backend(platform: str | None = None) -> str:
    """The backend a new store uses on this platform: DPAPI on Windows, else the passphrase file."""
    return dpapi.NAME if dpapi.available(platform) else FILE_BACKEND


def give_passphrase(passphrase: str | None) -> None:
    """The passphrase this process uses from now on (None: back to the environment variable)."""
    global _given
    _given = passphrase


def passphrase_given() -> str | None:
    """The passphrase in force: the one given, else SHEBAO_KEY_PASSPHRASE (None: neither)."""
    return _given if _given is not None else (os.environ.get(PASSPHRASE_ENV) or None)


def forget() -> None:
    """Forget the passphrase given and every key derived in this process (the store locks again)."""
    global _given
    with _lock:
        _given = None
        _derived.clear()


def check_new_passphrase(passphrase: str | None, field: str = "key_passphrase") -> str:
    """A passphrase acceptable for a new store or a change: at least MIN_PASSPHRASE characters."""
    if passphrase is None or passphrase == "":
        raise KeysLocked
    if len(passphrase) < MIN_PASSPHRASE:
        raise InvalidInput("keys.passphrase_short", field, least=MIN_PASSPHRASE)
    return passphrase


@dataclass(frozen=True)
class StoredKey:
    """A private key file's public facts (read without unlocking)."""

    key_id: str
    purpose: str
    office: str
    order: int


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(text: Any) -> bytes:
    return base64.b64decode(str(text), validate=True)


def write_private(path: Path, data: bytes) -> None:
    """Write a file readable by its owner only: a temporary file beside it (0600), then renamed."""
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if os.name != "nt":
            os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _derive(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def _der(key: PrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def public_pem(key: PrivateKey) -> str:
    """The PEM of a private key's public half."""
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo).decode()


class KeyStore:
    """One key store directory (see the module's description)."""

    def __init__(self, path: Path | None = None, platform: str | None = None) -> None:
        self.path = (path if path is not None else default_dir()).expanduser().absolute()
        self._platform = platform

    # -- what is there ------------------------------------------------------------------------

    def exists(self) -> bool:
        """Whether the store has been set up (its store.json written)."""
        return (self.path / STORE_FILE).is_file()

    def _meta(self) -> dict[str, Any]:
        try:
            data = json.loads((self.path / STORE_FILE).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, UnicodeDecodeError):
            raise KeyDamaged(STORE_FILE) from None
        if not isinstance(data, dict) or data.get("format") != STORE_FORMAT:
            raise KeyDamaged(STORE_FILE)
        return data

    @property
    def backend(self) -> str:
        """`file` or `dpapi`: the one the store was made with, else the one it would be made with."""
        meta = self._meta()
        return str(meta.get("backend") or choose_backend(self._platform))

    def entries(self, office: str | None = None, purpose: str | None = None) -> list[StoredKey]:
        """The keys kept, newest first (of an office, of a purpose, when given)."""
        found: list[StoredKey] = []
        if not self.path.is_dir():
            return found
        for file in self.path.glob(f"*{KEY_SUFFIX}"):
            data = self._read_key_file(file)
            entry = StoredKey(str(data["key_id"]), str(data["purpose"]), str(data["office"]), int(data["order"]))
            if (office is None or entry.office == office) and (purpose is None or entry.purpose == purpose):
                found.append(entry)
        return sorted(found, key=lambda e: -e.order)

    def has(self, key_id: str) -> bool:
        """Whether the store holds a file for the key."""
        return (self.path / f"{key_id}{KEY_SUFFIX}").is_file()

    def _read_key_file(self, file: Path) -> dict[str, Any]:
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError, UnicodeDecodeError):
            raise KeyDamaged(file.name) from None
        if not isinstance(data, dict) or data.get("format") != KEY_FORMAT \
                or data.get("key_id") != file.name[:-len(KEY_SUFFIX)] \
                or data.get("purpose") not in (SIGN, ENCRYPT) or not isinstance(data.get("order"), int):
            raise KeyDamaged(file.name)
        return data

    # -- unlocking ----------------------------------------------------------------------------

    def _key(self, passphrase: str | None = None) -> bytes:
        """The file backend's key (derived once a process, from the passphrase in force)."""
        meta = self._meta()
        if not meta:
            raise KeysLocked
        try:
            kdf = meta["kdf"]
            salt = _unb64(kdf["salt"])
            n, r, p = int(kdf["n"]), int(kdf["r"]), int(kdf["p"])
            check = _unb64(meta["check"])
        except (KeyError, TypeError, ValueError):
            raise KeyDamaged(STORE_FILE) from None
        slot = (salt.hex(), n, r, p)
        with _lock:
            if passphrase is None and slot in _derived:
                return _derived[slot]
        chosen = passphrase if passphrase is not None else passphrase_given()
        if not chosen:
            raise KeysLocked
        key = _derive(chosen, salt, n, r, p)
        try:
            AESGCM(key).decrypt(check[:12], check[12:], _CHECK_AAD)
        except InvalidTag:
            raise InvalidInput("keys.passphrase_wrong", "key_passphrase") from None
        with _lock:
            _derived[slot] = key
        return key

    def unlocked(self) -> bool:
        """Whether a private key can be read now without asking anyone: DPAPI, or the passphrase
        already used or in force opens the store (a wrong one counts as locked)."""
        if self.backend == dpapi.NAME:
            return True
        try:
            self._key()
        except (KeysLocked, InvalidInput):
            return False
        return True

    def unlock(self, passphrase: str | None = None) -> None:
        """Open the store with the passphrase given (else the one in force); refused when there is
        none (KeysLocked) or it is wrong (InvalidInput keys.passphrase_wrong)."""
        if self.backend == FILE_BACKEND:
            self._key(passphrase)

    def create(self) -> None:
        """Set the store up: the directory (0700) and store.json (for the file backend: a new salt
        and the check value under the passphrase in force, which must be long enough). A key kept
        in a store not yet set up sets it up first."""
        self.path.mkdir(parents=True, exist_ok=True, mode=0o700)
        if os.name != "nt":
            os.chmod(self.path, 0o700)
        backend = choose_backend(self._platform)
        meta: dict[str, Any] = {"format": STORE_FORMAT, "backend": backend}
        if backend == FILE_BACKEND:
            meta.update(self._sealed_meta(check_new_passphrase(passphrase_given())))
        write_private(self.path / STORE_FILE, json.dumps(meta, indent=2).encode())

    def _sealed_meta(self, passphrase: str) -> dict[str, Any]:
        """A new salt, the scrypt parameters and the check value for a passphrase (the derived key
        is remembered for this process)."""
        salt = secrets.token_bytes(16)
        key = _derive(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
        nonce = secrets.token_bytes(12)
        with _lock:
            _derived[(salt.hex(), SCRYPT_N, SCRYPT_R, SCRYPT_P)] = key
        return {"kdf": {"name": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P, "salt": _b64(salt)},
                "check": _b64(nonce + AESGCM(key).encrypt(nonce, _CHECK_TEXT, _CHECK_AAD))}

    # -- keys ---------------------------------------------------------------------------------

    def _seal(self, key_id: str, der: bytes, backend: str, key: bytes | None) -> dict[str, str]:
        if backend == dpapi.NAME:
            return {"protection": dpapi.NAME, "blob": _b64(dpapi.protect(der, key_id))}
        assert key is not None
        nonce = secrets.token_bytes(12)
        return {"protection": "aes-256-gcm", "nonce": _b64(nonce),
                "ciphertext": _b64(AESGCM(key).encrypt(nonce, der, key_id.encode()))}

    def put(self, private: PrivateKey, office: str) -> str:
        """Keep a private key for an office (its purpose follows from its type); returns its key id.
        A key kept already is left as it is."""
        from desktop.core.keys import key_id as make_id

        if not self.exists():
            self.create()
        kid = make_id(public_pem(private))
        if self.has(kid):
            return kid
        backend = self.backend
        key = self._key() if backend == FILE_BACKEND else None
        order = max((e.order for e in self.entries()), default=0) + 1
        purpose = SIGN if isinstance(private, Ed25519PrivateKey) else ENCRYPT
        data = {"format": KEY_FORMAT, "key_id": kid, "purpose": purpose, "office": office, "order": order,
                **self._seal(kid, _der(private), backend, key)}
        write_private(self.path / f"{kid}{KEY_SUFFIX}", json.dumps(data, indent=2).encode())
        return kid

    def private_key(self, key_id: str) -> PrivateKey:
        """The private key with this id, opened (KeysLocked, a wrong passphrase, KeyMissing)."""
        file = self.path / f"{key_id}{KEY_SUFFIX}"
        if not file.is_file():
            raise KeyMissing(key_id, self.path)
        data = self._read_key_file(file)
        try:
            if data.get("protection") == dpapi.NAME:
                der = dpapi.unprotect(_unb64(data["blob"]), key_id)
            else:
                key = self._key()
                der = AESGCM(key).decrypt(_unb64(data["nonce"]), _unb64(data["ciphertext"]), key_id.encode())
            loaded = serialization.load_der_private_key(der, None)
        except (KeyError, ValueError, TypeError, InvalidTag):
            raise KeyDamaged(file.name) from None
        if not isinstance(loaded, (Ed25519PrivateKey, X25519PrivateKey)):
            raise KeyDamaged(file.name)
        from desktop.core.keys import key_id as make_id

        if make_id(public_pem(loaded)) != key_id:
            raise KeyDamaged(file.name)
        return loaded

    def signing_key(self, key_id: str) -> Ed25519PrivateKey:
        """The Ed25519 key with this id."""
        key = self.private_key(key_id)
        if not isinstance(key, Ed25519PrivateKey):
            raise KeyDamaged(f"{key_id}{KEY_SUFFIX}")
        return key

    def decryption_key(self, key_id: str) -> X25519PrivateKey:
        """The X25519 key with this id."""
        key = self.private_key(key_id)
        if not isinstance(key, X25519PrivateKey):
            raise KeyDamaged(f"{key_id}{KEY_SUFFIX}")
        return key

    def change_passphrase(self, old: str | None, new: str | None) -> int:
        """Re-encrypt every key file under a new passphrase (the old one must open the store);
        returns how many keys. Every new file is written before any is put in place, and the old
        files are copied to `.previous/` first: a change cut short (power lost between the renames)
        leaves them there to be put back (under the old passphrase); a finished one removes them."""
        if self.backend != FILE_BACKEND:
            raise InvalidInput("keys.no_passphrase", None, backend=self.backend)
        if not old:
            raise KeysLocked
        self._key(old)
        new = check_new_passphrase(new, "new_key_passphrase")
        keys = {e.key_id: self.private_key(e.key_id) for e in self.entries()}
        old_meta = self._meta()
        meta = {**old_meta, **self._sealed_meta(new)}
        derived = _derived[(_unb64(meta["kdf"]["salt"]).hex(), SCRYPT_N, SCRYPT_R, SCRYPT_P)]
        previous = self.path / ".previous"
        shutil.rmtree(previous, ignore_errors=True)
        previous.mkdir(mode=0o700)
        for file in [self.path / STORE_FILE, *(self.path / f"{kid}{KEY_SUFFIX}" for kid in keys)]:
            shutil.copy2(file, previous / file.name)
        staged: list[tuple[Path, Path]] = []
        try:
            for kid, private in keys.items():
                file = self.path / f"{kid}{KEY_SUFFIX}"
                data = {**self._read_key_file(file), **self._seal(kid, _der(private), FILE_BACKEND, derived)}
                temp = self.path / f".{kid}.new"
                write_private(temp, json.dumps(data, indent=2).encode())
                staged.append((temp, file))
            for temp, file in staged:
                os.replace(temp, file)
            staged = []
            write_private(self.path / STORE_FILE, json.dumps(meta, indent=2).encode())
        finally:
            for temp, _file in staged:
                temp.unlink(missing_ok=True)
        shutil.rmtree(previous)
        give_passphrase(new)
        return len(keys)


def open_store(path: Path | None = None) -> KeyStore:
    """The key store in force (SHEBAO_KEY_DIR, else the user data directory's `keys/`)."""
    return KeyStore(path)


__all__ = [
    "ENCRYPT", "FILE_BACKEND", "MIN_PASSPHRASE", "SCRYPT_N", "SCRYPT_P", "SCRYPT_R", "SIGN", "KeyDamaged", "KeyMissing",
    "KeyStore", "KeysLocked", "StoredKey", "check_new_passphrase", "choose_backend", "default_dir",
    "forget", "give_passphrase", "open_store", "passphrase_given", "public_pem", "write_private",
]
