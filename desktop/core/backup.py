"""The encrypted backup file: key file, format, encryption, verification; database dump and load.

File layout (format 1):

    b"SHEBAOBK" | header length (4 bytes, big-endian) | header (UTF-8 JSON) | chunks...
    chunk = length (4 bytes) | AES-256-GCM ciphertext with its 16-byte tag

The header names the format version, the key's fingerprint, the SHA-256 and size of the plaintext
(the database dump), the office, the schema revision and the audit head at backup time. The
plaintext is zlib-compressed, cut into 1 MiB chunks and each chunk encrypted with the nonce
`prefix (7 random bytes) | chunk number (4 bytes) | last-chunk flag (1 byte)` and the header as
associated data, so a changed header, a changed, dropped, reordered or appended chunk, or a cut-off
file is refused; after decryption the plaintext's SHA-256 must equal the header's.

The key is 32 random bytes in a small text file the office keeps (made on the first backup). The
database's own machine must not be the only place it is kept: without it no backup can be read.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import sqlite3
import struct
import subprocess
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy.engine import make_url

from desktop.core.errors import IntegrityFailure, InvalidInput, ShebaoError
from desktop.core.private import create_private, restrict
from desktop.core.progress import Progress

MAGIC = b"SHEBAOBK"
FORMAT = 1
CHUNK = 1 << 20
KEY_HEADER = "shebao-backup-key/1"


class BackupCancelled(ShebaoError):
    """The clerk cancelled a backup or restore; nothing was written."""

    exit_code = 1
    code = "cancelled"

    def __init__(self) -> None:
        super().__init__("backup.cancelled")


def default_key_path() -> Path:
    """SHEBAO_BACKUP_KEY, else backup.key in the user data directory."""
    env = os.environ.get("SHEBAO_BACKUP_KEY")
    if env:
        return Path(env)
    from platformdirs import user_data_dir

    return Path(user_data_dir("shebao-desk", appauthor=False)) / "backup.key"


def fingerprint(key: bytes) -> str:
    """A short, speakable fingerprint of a key (to compare with the one a backup names)."""
    digest = hashlib.sha256(b"shebao-backup-key\0" + key).hexdigest()[:16].upper()
    return "-".join(digest[i:i + 4] for i in range(0, 16, 4))


def load_key(path: Path) -> bytes:
    """Read a key file; refused naming the file when it is missing or not a key."""
    try:
        lines = path.read_text(encoding="ascii").split()
    except (OSError, UnicodeDecodeError):
        raise InvalidInput("backup.no_key", "key", path=str(path)) from None
    try:
        key = base64.b64decode(lines[1], validate=True) if lines[0] == KEY_HEADER else b""
    except (IndexError, ValueError):
        key = b""
    if len(key) != 32:
        raise InvalidInput("backup.bad_key", "key", path=str(path))
    return key


def load_or_create_key(path: Path) -> tuple[bytes, bool]:
    """The key in the file, or a new one written there (readable by its owner only)."""
    if path.exists():
        return load_key(path), False
    key = AESGCM.generate_key(bit_length=256)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(f"{KEY_HEADER}\n{base64.b64encode(key).decode()}\nfingerprint {fingerprint(key)}\n")
    return key, True


def _blocks(path: Path, size: int = CHUNK) -> Iterator[bytes]:
    with path.open("rb") as f:
        while block := f.read(size):
            yield block


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in blocks."""
    h = hashlib.sha256()
    for block in _blocks(path):
        h.update(block)
    return h.hexdigest()


def encrypt_file(plain: Path, out: Path, key: bytes, meta: dict[str, Any],
                 progress: Progress | None = None) -> dict[str, Any]:
    """Write plain as an encrypted backup at out (through out.partial), verify it, return its header."""
    size = plain.stat().st_size
    header = {"format": FORMAT, "cipher": "AES-256-GCM", "compression": "zlib", "chunk": CHUNK,
              "key_fingerprint": fingerprint(key), "plaintext_sha256": file_sha256(plain),
              "plaintext_size": size, "nonce_prefix": os.urandom(7).hex(), **meta}
    head = json.dumps(header, ensure_ascii=False, sort_keys=True).encode("utf-8")
    partial = out.with_name(out.name + ".partial")
    aead = AESGCM(key)
    prefix = bytes.fromhex(header["nonce_prefix"])
    try:
        with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as f:
            restrict(partial)
            f.write(MAGIC + struct.pack(">I", len(head)) + head)
            comp = zlib.compressobj(6)
            pending = b""
            index = done = 0
            for block in _blocks(plain):
                pending += comp.compress(block)
                while len(pending) >= CHUNK:
                    _write_chunk(f, aead, prefix, index, pending[:CHUNK], False, head)
                    pending, index = pending[CHUNK:], index + 1
                done += len(block)
                if progress and not progress(done, size * 2):
                    raise BackupCancelled()
            pending += comp.flush()
            while len(pending) > CHUNK:
                _write_chunk(f, aead, prefix, index, pending[:CHUNK], False, head)
                pending, index = pending[CHUNK:], index + 1
            _write_chunk(f, aead, prefix, index, pending, True, head)
            f.flush()
            os.fsync(f.fileno())
        decrypt_file(partial, key, None, lambda d, t: progress(size + d, size * 2) if progress else True)
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return header


def _write_chunk(f: BinaryIO, aead: AESGCM, prefix: bytes, index: int, data: bytes, last: bool,
                 head: bytes) -> None:
    nonce = prefix + struct.pack(">I", index) + (b"\x01" if last else b"\x00")
    sealed = aead.encrypt(nonce, data, head)
    f.write(struct.pack(">I", len(sealed)) + sealed)


def read_header(path: Path) -> tuple[dict[str, Any], bytes, int]:
    """The header of a backup file, its raw bytes and where the chunks start; refused with the reason."""
    try:
        with path.open("rb") as f:
            start = f.read(12)
            if len(start) < 12 or start[:8] != MAGIC:
                raise IntegrityFailure("backup.not_backup", "file", path=path.name)
            (length,) = struct.unpack(">I", start[8:])
            head = f.read(length) if length < 1 << 20 else b""
    except OSError as exc:
        raise InvalidInput("backup.unreadable", "file", path=path.name, reason=exc.strerror or "") from None
    try:
        header = json.loads(head.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise IntegrityFailure("backup.header", "file") from None
    if not isinstance(header, dict):
        raise IntegrityFailure("backup.header", "file")
    if header.get("format") != FORMAT:
        raise IntegrityFailure("backup.version", "file", found=header.get("format"), known=FORMAT)
    return header, head, 12 + length


def authentic_header(path: Path, key: bytes) -> dict[str, Any]:
    """A backup's header once its first chunk decrypts with key (the header is that chunk's
    associated data, so a changed header is refused), without reading the rest of the file."""
    header, head, offset = read_header(path)
    if header.get("key_fingerprint") != fingerprint(key):
        raise IntegrityFailure("backup.wrong_key", "key", needed=header.get("key_fingerprint"),
                               given=fingerprint(key))
    prefix = bytes.fromhex(str(header.get("nonce_prefix", "")))
    with path.open("rb") as f:
        f.seek(offset)
        raw = f.read(4)
        (length,) = struct.unpack(">I", raw) if len(raw) == 4 else (0,)
        sealed = f.read(length) if 0 < length <= CHUNK + 16 else b""
    for flag in (b"\x00", b"\x01"):
        try:
            AESGCM(key).decrypt(prefix + struct.pack(">I", 0) + flag, sealed, head)
            return header
        except (InvalidTag, ValueError):
            continue
    raise IntegrityFailure("backup.damaged", "file", chunk=1)


def decrypt_file(path: Path, key: bytes, sink: BinaryIO | None,
                 progress: Progress | None = None) -> dict[str, Any]:
    """Decrypt and check a backup (into sink, or only checked); refused naming what is wrong."""
    header, head, offset = read_header(path)
    if header.get("key_fingerprint") != fingerprint(key):
        raise IntegrityFailure("backup.wrong_key", "key", needed=header.get("key_fingerprint"),
                               given=fingerprint(key))
    aead = AESGCM(key)
    try:  # the header is checked with the chunks (it is their associated data), but read first
        prefix = bytes.fromhex(str(header.get("nonce_prefix", "")))
        total = int(str(header.get("plaintext_size", 0)))
    except ValueError:
        raise IntegrityFailure("backup.header", "file") from None
    if len(prefix) != 7:
        raise IntegrityFailure("backup.header", "file")
    sha = hashlib.sha256()
    decomp = zlib.decompressobj()
    size = index = 0
    last = False
    with path.open("rb") as f:
        f.seek(offset)
        while not last:
            raw = f.read(4)
            if len(raw) < 4:
                raise IntegrityFailure("backup.truncated", "file", chunk=index + 1)
            (length,) = struct.unpack(">I", raw)
            sealed = f.read(length) if length <= CHUNK + 16 else b""
            if len(sealed) != length:
                raise IntegrityFailure("backup.truncated" if length <= CHUNK + 16 else "backup.damaged",
                                       "file", chunk=index + 1)
            data = None
            for flag in (b"\x00", b"\x01"):
                try:
                    data = aead.decrypt(prefix + struct.pack(">I", index) + flag, sealed, head)
                except InvalidTag:
                    continue
                last = flag == b"\x01"
                break
            if data is None:
                raise IntegrityFailure("backup.damaged", "file", chunk=index + 1)
            try:
                plain = decomp.decompress(data)
            except zlib.error:
                raise IntegrityFailure("backup.damaged", "file", chunk=index + 1) from None
            sha.update(plain)
            size += len(plain)
            if sink is not None:
                sink.write(plain)
            index += 1
            if progress and not progress(size, total):
                raise BackupCancelled()
        if f.read(1):
            raise IntegrityFailure("backup.damaged", "file", chunk=index + 1)
    rest = decomp.flush()
    sha.update(rest)
    if sink is not None:
        sink.write(rest)
    if sha.hexdigest() != header.get("plaintext_sha256") or size + len(rest) != total:
        raise IntegrityFailure("backup.checksum", "file")
    return header


# -- database dumps ----------------------------------------------------------------------------


def sqlite_copy(source: Path, target: Path, *, timeout: float = 5.0, pages: int = -1,
                step: Callable[[int, int, int], object] | None = None,
                then: Callable[[sqlite3.Connection], None] | None = None) -> None:
    """Copy one SQLite database onto another through the online backup API (consistent while the
    source is in use, WAL-safe on the target); `then` runs on the target before it is closed."""
    src = sqlite3.connect(str(source))
    try:
        create_private(target)  # a new copy is owner-only (an existing target keeps its mode)
        dst = sqlite3.connect(str(target), timeout=timeout)
        try:
            src.backup(dst, pages=pages, progress=step)
            if then is not None:
                then(dst)
        finally:
            dst.close()
    finally:
        src.close()


def sqlite_dump(database: Path, out: Path, progress: Progress | None = None) -> None:
    """A consistent copy of a live SQLite database (online backup API), checked and self-contained."""
    def step(_status: int, remaining: int, total: int) -> None:
        if progress and not progress(total - remaining, total * 3):
            raise BackupCancelled()

    def check(dst: sqlite3.Connection) -> None:
        dst.execute("PRAGMA journal_mode=DELETE")
        if dst.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise IntegrityFailure("backup.source_damaged", "db")

    sqlite_copy(database, out, pages=4096, step=step, then=check)


def sqlite_marks(dump: Path) -> dict[str, Any]:
    """Where a dump stands: its audit head and this office's sync clocks (for the backup header,
    so that a recovery knows exactly which entries and changes came after it)."""
    conn = sqlite3.connect(str(dump))
    try:
        head = conn.execute("SELECT seq, hash FROM audit_head WHERE id = 1").fetchone()
        sync = conn.execute("SELECT lamport, own_seq, sealed_seq FROM sync_state WHERE id = 1").fetchone()
    finally:
        conn.close()
    marks: dict[str, Any] = {"audit_head": {"seq": int(head[0]), "hash": str(head[1])} if head
                             else {"seq": 0, "hash": "0" * 64}}
    if sync:
        marks["sync"] = {"lamport": int(sync[0]), "own_seq": int(sync[1]), "sealed_seq": int(sync[2])}
    return marks


def sqlite_check(path: Path) -> str | None:
    """The schema revision of a restored SQLite file after an integrity check (refused if damaged)."""
    conn = sqlite3.connect(str(path))
    try:
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise IntegrityFailure("backup.checksum", "file")
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return str(row[0]) if row else None
    except sqlite3.DatabaseError:
        raise IntegrityFailure("backup.checksum", "file") from None
    finally:
        conn.close()


def sqlite_load(restored: Path, database: Path) -> None:
    """Copy a restored file into the live database through the backup API (WAL-safe)."""
    sqlite_copy(restored, database, timeout=30)


def pg_tool(name: str) -> Path:
    """pg_dump / pg_restore: SHEBAO_PG_BIN, PATH, then the newest /usr/lib/postgresql/*/bin."""
    env = os.environ.get("SHEBAO_PG_BIN")
    if env and (Path(env) / name).exists():
        return Path(env) / name
    found = shutil.which(name)
    if found:
        return Path(found)
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
                        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    if candidates:
        return candidates[-1]
    raise InvalidInput("backup.no_pg_tool", "db", tool=name)


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password is not None:
        env["PGPASSWORD"] = str(parsed.password)
    plain = parsed.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def pg_dump(url: str, out: Path) -> None:
    """pg_dump in its custom format: a consistent snapshot of the whole database."""
    dsn, env = _libpq(url)
    proc = subprocess.run([str(pg_tool("pg_dump")), "--format=custom", "--no-owner", "--no-privileges",
                           "--file", str(out), "--dbname", dsn], env=env, capture_output=True, text=True,
                          check=False)
    if proc.returncode != 0:
        raise IntegrityFailure("backup.pg_failed", "db", tool="pg_dump", reason=proc.stderr.strip()[-300:])


def pg_load(dump: Path, url: str) -> None:
    """pg_restore into the database in one transaction, replacing what is there."""
    dsn, env = _libpq(url)
    proc = subprocess.run([str(pg_tool("pg_restore")), "--clean", "--if-exists", "--no-owner",
                           "--no-privileges", "--single-transaction", "--exit-on-error",
                           "--dbname", dsn, str(dump)], env=env, capture_output=True, text=True,
                          check=False)
    if proc.returncode != 0:
        raise IntegrityFailure("backup.pg_failed", "db", tool="pg_restore", reason=proc.stderr.strip()[-300:])
