"""The encrypted backup file: key file, format, encryption, verification; database dump and load.

File layout (formats 1 to 3):

    b"SHEBAOBK" | header length (4 bytes, big-endian) | header (UTF-8 JSON) | chunks...
    chunk = length (4 bytes) | AES-256-GCM ciphertext with its 16-byte tag

The header names the format version, the key's fingerprint, the office, the schema revision and the
audit head at backup time. The plaintext is compressed as the header's `compression` says (format
3: Zstandard, level 1; formats 1 and 2: zlib, still read), cut into 1 MiB chunks and each chunk
encrypted with the nonce `prefix (7 random bytes) | chunk number (4 bytes) | last-chunk flag (1 byte)`
and the header as associated data, so a changed header, a changed, dropped, reordered or appended
chunk, or a cut-off file is refused.

Zstandard at level 1 packs a ledger's pages as tightly as zlib at level 1 at about four times the
speed (measured on a county database: 241 MB/s against 57, 36% of the size either way), and a daily
increment after a month's declaration writes hundreds of MB of changed pages.

What the plaintext is, by the header's `kind` (format 1 files are all of the first kind):

* `dump` (format 1, and PostgreSQL): a database dump, checked against the header's SHA-256 and size.
* `full`: a SQLite database image, `pages` pages of `page_size` bytes. The header's `image_digest`
  is the SHA-256 over the SHA-256 of every page (see `image_digest`), checked after decryption.
* `increment`: only the pages of an image that differ from its parent's image, each as its page
  number (4 bytes, big-endian) and its bytes, in page order. The header names the parent (`parent`:
  file name and image digest, in the same folder) and the chain's `full` base; the image is the
  parent's, cut or grown to `pages` pages, with these pages written over it. Restoring it reads the
  whole chain and checks every image digest on the way, from the page digests alone.

The key is 32 random bytes in a small text file the office keeps (made on the first backup). The
database's own machine must not be the only place it is kept: without it no backup can be read.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import struct
import subprocess
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy.engine import make_url

from desktop.core.errors import IntegrityFailure, InvalidInput, ShebaoError
from desktop.core.private import create_private, restrict
from desktop.core.progress import Progress

MAGIC = b"SHEBAOBK"
FORMAT = 3  # 3: Zstandard instead of zlib
FORMATS = (1, 2, 3)  # format 1 (dumps only) and format 2 (zlib) are still read
KINDS = ("dump", "full", "increment")
CHUNK = 1 << 20
COMPRESSION = "zstd"  # what a new backup is compressed with ("zlib": formats 1 and 2)
LEVEL = 1  # Zstandard's fastest regular level (zlib's, for the formats before 3)
DIGEST = 32  # bytes of a page digest (SHA-256)
Digests = bytes | bytearray  # page digests, concatenated
KEY_HEADER = "shebao-backup-key/1"


_COMPRESSIONS = {1: ("zlib",), 2: ("zlib",), 3: ("zstd", "zlib")}  # what each format may name


def _compressor(name: str) -> Any:
    """A streaming compressor (compress, flush) of the kind a header names."""
    if name == "zstd":
        import zstandard  # loaded by the first backup or restore, not at start

        return zstandard.ZstdCompressor(level=LEVEL).compressobj()
    return zlib.compressobj(LEVEL)


def _decompressor(name: str) -> tuple[Any, tuple[type[Exception], ...]]:
    """A streaming decompressor (decompress, flush, eof) of the kind a header names, with the
    errors it raises on data that is not what it wrote."""
    if name == "zstd":
        import zstandard

        return zstandard.ZstdDecompressor().decompressobj(), (zstandard.ZstdError,)
    return zlib.decompressobj(), (zlib.error,)


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


def _stream_header(key: bytes, meta: dict[str, Any], size: int) -> dict[str, Any]:
    return {"format": FORMAT, "cipher": "AES-256-GCM", "compression": COMPRESSION, "chunk": CHUNK,
            "key_fingerprint": fingerprint(key), "plaintext_size": size,
            "nonce_prefix": os.urandom(7).hex(), **meta}


def _encrypt(blocks: Iterable[bytes], out: Path, key: bytes, header: dict[str, Any],
             verify: Callable[[Path], object], progress: Progress | None) -> None:
    """Compress and encrypt the plaintext blocks into out (through out.partial); `verify` reads the
    written file back before it gets its name. Progress runs over twice the plaintext size."""
    size = int(header["plaintext_size"])
    head = json.dumps(header, ensure_ascii=False, sort_keys=True).encode("utf-8")
    partial = out.with_name(out.name + ".partial")
    aead = AESGCM(key)
    prefix = bytes.fromhex(header["nonce_prefix"])
    try:
        with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as f:
            restrict(partial)
            f.write(MAGIC + struct.pack(">I", len(head)) + head)
            comp = _compressor(str(header["compression"]))
            pending = b""
            index = done = 0
            for block in blocks:
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
        verify(partial)
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)


def _then(progress: Progress | None, offset: int, total: int) -> Progress | None:
    """A progress callback for a later stage: its (done, of) mapped into (offset + done, total)."""
    if progress is None:
        return None
    return lambda d, t: progress(offset + d * (total - offset) // max(t, 1), total)


def encrypt_file(plain: Path, out: Path, key: bytes, meta: dict[str, Any],
                 progress: Progress | None = None) -> dict[str, Any]:
    """Write a dump file (kind `dump`) as an encrypted backup at out, verified; return its header."""
    size = plain.stat().st_size
    header = _stream_header(key, {"kind": "dump", "plaintext_sha256": file_sha256(plain), **meta}, size)
    _encrypt(_blocks(plain), out, key, header,
             lambda partial: decrypt_file(partial, key, None, _then(progress, size, size * 2)), progress)
    return header


def encrypt_image(image: Path, out: Path, key: bytes, meta: dict[str, Any], page_size: int,
                  digests: Digests, progress: Progress | None = None) -> dict[str, Any]:
    """Write a whole SQLite image (kind `full`) as an encrypted backup, verified; its header."""
    size = image.stat().st_size
    pages = len(digests) // DIGEST
    if pages * page_size != size:
        raise IntegrityFailure("backup.checksum", "file")
    header = _stream_header(key, {"kind": "full", "page_size": page_size, "pages": pages,
                                  "image_digest": image_digest(page_size, digests), "depth": 0, **meta}, size)
    header["base"] = {"file": out.name, "image_digest": header["image_digest"]}
    _encrypt(_blocks(image, _aligned(page_size)), out, key, header,
             lambda partial: decrypt_file(partial, key, None, _then(progress, size, size * 2)), progress)
    return header


def changed_pages(parent: Digests, digests: Digests) -> list[int]:
    """The pages whose digest differs from the parent image's (pages past its end included)."""
    n = len(digests) // DIGEST
    known = len(parent) // DIGEST
    mv, pv = memoryview(digests), memoryview(parent)
    return [i for i in range(n) if i >= known or mv[i * DIGEST:(i + 1) * DIGEST] != pv[i * DIGEST:(i + 1) * DIGEST]]


def encrypt_increment(image: Path | Callable[[int], bytes], out: Path, key: bytes, meta: dict[str, Any],
                      page_size: int, digests: Digests, changed: Sequence[int], parent: dict[str, Any],
                      progress: Progress | None = None,
                      before_keep: Callable[[], object] | None = None) -> dict[str, Any]:
    """Write the pages of image that changed since the parent backup (kind `increment`), verified:
    each page read back must have the digest the image's digest was made from. Its header.

    image: an image file, or what reads page n (0-based) of one (the live database held still:
    `live_image`). `parent` is the parent file's header (its name given as `file`). before_keep
    runs once the file is written and read back, before it gets its name (it may refuse it by
    raising: nothing is kept)."""
    pages = len(digests) // DIGEST
    if isinstance(image, Path) and pages * page_size != image.stat().st_size:
        raise IntegrityFailure("backup.checksum", "file")
    size = len(changed) * (4 + page_size)
    header = _stream_header(key, {
        "kind": "increment", "page_size": page_size, "pages": pages,
        "image_digest": image_digest(page_size, digests), "changed": len(changed),
        "parent": {"file": parent["file"], "image_digest": parent["image_digest"]},
        "base": parent["base"], "depth": int(parent["depth"]) + 1, **meta}, size)

    def blocks() -> Iterator[bytes]:
        if not isinstance(image, Path):
            yield from pages_of(image)
            return
        with image.open("rb") as f:
            def read(number: int) -> bytes:
                f.seek(number * page_size)
                return f.read(page_size)

            yield from pages_of(read)

    def pages_of(read: Callable[[int], bytes]) -> Iterator[bytes]:
        batch: list[bytes] = []
        for number in changed:
            page = read(number)
            if len(page) != page_size:
                raise IntegrityFailure("backup.checksum", "file")
            batch.append(struct.pack(">I", number) + page)
            if len(batch) == 256:
                yield b"".join(batch)
                batch = []
        if batch:
            yield b"".join(batch)

    def verify(partial: Path) -> None:
        seen = 0
        for number, page in _records(partial, key, page_size, pages, _then(progress, size, size * 2)):
            if hashlib.sha256(page).digest() != digests[number * DIGEST:(number + 1) * DIGEST]:
                raise IntegrityFailure("backup.checksum", "file")
            seen += 1
        if seen != len(changed):
            raise IntegrityFailure("backup.checksum", "file")
        if before_keep is not None:
            before_keep()

    _encrypt(blocks(), out, key, header, verify, progress)
    return header


def _write_chunk(f: BinaryIO, aead: AESGCM, prefix: bytes, index: int, data: bytes, last: bool,
                 head: bytes) -> None:
    nonce = prefix + struct.pack(">I", index) + (b"\x01" if last else b"\x00")
    sealed = aead.encrypt(nonce, data, head)
    f.write(struct.pack(">I", len(sealed)) + sealed)


def kind_of(header: dict[str, Any]) -> str:
    """dump, full or increment (a format 1 file is a dump)."""
    return "dump" if header.get("format") == 1 else str(header.get("kind"))


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
    if header.get("format") not in FORMATS:
        raise IntegrityFailure("backup.version", "file", found=header.get("format"), known=FORMAT)
    if header["format"] >= 2 and header.get("kind") not in KINDS:
        raise IntegrityFailure("backup.header", "file")
    if header.get("compression", "zlib") not in _COMPRESSIONS[header["format"]]:
        raise IntegrityFailure("backup.header", "file")
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


def _plaintext(path: Path, key: bytes, progress: Progress | None) -> Iterator[bytes]:
    """The decrypted, decompressed plaintext of a backup in pieces, every chunk checked; refused
    naming what is wrong (the total size is checked after the last piece)."""
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
    decomp, broken = _decompressor(str(header.get("compression", "zlib")))
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
            except broken:
                raise IntegrityFailure("backup.damaged", "file", chunk=index + 1) from None
            size += len(plain)
            if size > total:
                raise IntegrityFailure("backup.checksum", "file")
            yield plain
            index += 1
            if progress and not progress(size, total):
                raise BackupCancelled()
        if f.read(1):
            raise IntegrityFailure("backup.damaged", "file", chunk=index + 1)
    try:
        rest = decomp.flush()
    except broken:
        raise IntegrityFailure("backup.checksum", "file") from None
    if rest:
        yield rest
    if size + len(rest) != total or not decomp.eof:
        raise IntegrityFailure("backup.checksum", "file")


def decrypt_file(path: Path, key: bytes, sink: BinaryIO | None,
                 progress: Progress | None = None) -> dict[str, Any]:
    """Decrypt and check a backup (into sink, or only checked); refused naming what is wrong.

    A dump or a full image is checked whole; an increment alone only in its form (its image is
    checked with its chain: `read_chain`), and cannot be written to a sink."""
    header = read_header(path)[0]
    kind = kind_of(header)
    if kind == "increment":
        if sink is not None:
            raise IntegrityFailure("backup.header", "file")
        for _ in _records(path, key, _page_size(header), _pages(header), progress):
            pass
        return header
    if kind == "full":
        digests = _image_into(path, key, header, sink, progress)
        if image_digest(_page_size(header), digests) != header.get("image_digest"):
            raise IntegrityFailure("backup.checksum", "file")
        return header
    sha = hashlib.sha256()
    for plain in _plaintext(path, key, progress):
        sha.update(plain)
        if sink is not None:
            sink.write(plain)
    if sha.hexdigest() != header.get("plaintext_sha256"):
        raise IntegrityFailure("backup.checksum", "file")
    return header


def _page_size(header: dict[str, Any]) -> int:
    size = header.get("page_size")
    if not isinstance(size, int) or size < 512 or size > 65536 or size & (size - 1):
        raise IntegrityFailure("backup.header", "file")
    return size


def _pages(header: dict[str, Any]) -> int:
    pages = header.get("pages")
    if not isinstance(pages, int) or pages < 1:
        raise IntegrityFailure("backup.header", "file")
    return pages


def _image_into(path: Path, key: bytes, header: dict[str, Any], sink: BinaryIO | None,
                progress: Progress | None) -> bytearray:
    """A full image decrypted (into sink when given); its page digests."""
    page_size = _page_size(header)
    pages = PageDigests(page_size)
    for plain in _plaintext(path, key, progress):
        pages.update(plain)
        if sink is not None:
            sink.write(plain)
    digests = pages.finish()
    if len(digests) // DIGEST != _pages(header):
        raise IntegrityFailure("backup.checksum", "file")
    return digests


def _records(path: Path, key: bytes, page_size: int, pages: int,
             progress: Progress | None) -> Iterator[tuple[int, bytes]]:
    """An increment's pages (number, bytes), in strictly rising order below `pages`."""
    record = 4 + page_size
    buffer = b""
    previous = -1
    for plain in _plaintext(path, key, progress):
        buffer = buffer + plain if buffer else plain
        whole = len(buffer) - len(buffer) % record
        for at in range(0, whole, record):
            (number,) = struct.unpack_from(">I", buffer, at)
            if number <= previous or number >= pages:
                raise IntegrityFailure("backup.checksum", "file")
            previous = number
            yield number, buffer[at + 4:at + record]
        buffer = buffer[whole:]
    if buffer:
        raise IntegrityFailure("backup.checksum", "file")


def chain_of(path: Path) -> list[tuple[Path, dict[str, Any]]]:
    """A backup and the backups it is built on (found by name in its folder), base first; refused
    naming the first one missing or not the one its child was made from."""
    header = read_header(path)[0]
    chain = [(path, header)]
    seen = {path.name}
    while kind_of(header) == "increment":
        parent = header.get("parent")
        if not isinstance(parent, dict):
            raise IntegrityFailure("backup.header", "file")
        name = parent.get("file")
        if not isinstance(name, str) or not name or name != Path(name).name or name in seen:
            raise IntegrityFailure("backup.header", "file")
        seen.add(name)
        found = path.parent / name
        if not found.is_file():
            raise IntegrityFailure("backup.chain_missing", "file", file=chain[-1][0].name, missing=name)
        above = read_header(found)[0]
        if kind_of(above) == "dump" or above.get("image_digest") != parent.get("image_digest") \
                or above.get("office") != header.get("office"):
            raise IntegrityFailure("backup.chain_broken", "file", file=chain[-1][0].name, missing=name)
        chain.append((found, above))
        header = above
    chain.reverse()
    return chain


def read_chain(path: Path, key: bytes, target: Path | None,
               progress: Progress | None = None) -> dict[str, Any]:
    """Check a backup whole, with every backup it is built on, and write its database to target
    when given; the backup's header. Every image digest on the way is checked (from the page
    digests: nothing more is read), so a wrong or damaged link is refused by name."""
    chain = chain_of(path)
    if len(chain) == 1:
        if target is None:
            return decrypt_file(path, key, None, progress)
        with os.fdopen(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as sink:
            return decrypt_file(path, key, sink, progress)
    sizes = [int(h.get("plaintext_size", 0)) for _p, h in chain]
    total = sum(sizes) or 1
    base_path, base = chain[0]
    if kind_of(base) != "full":
        raise IntegrityFailure("backup.chain_broken", "file", file=chain[1][0].name, missing=base_path.name)
    page_size = _page_size(base)
    fd = os.open(target, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600) if target is not None else None
    with os.fdopen(fd, "r+b") if fd is not None else contextlib.nullcontext() as sink:
        digests = _image_into(base_path, key, base, sink, _then_at(progress, 0, total))
        if image_digest(page_size, digests) != base.get("image_digest"):
            raise IntegrityFailure("backup.checksum", "file")
        for step in range(1, len(chain)):
            file, header = chain[step]
            if _page_size(header) != page_size:
                raise IntegrityFailure("backup.chain_broken", "file", file=file.name, missing=base_path.name)
            pages = _pages(header)
            old = len(digests) // DIGEST
            del digests[pages * DIGEST:]
            digests.extend(bytes(DIGEST) * (pages - old))
            grown = set(range(old, pages))
            for number, page in _records(file, key, page_size, pages, _then_at(progress, sum(sizes[:step]), total)):
                digests[number * DIGEST:(number + 1) * DIGEST] = hashlib.sha256(page).digest()
                grown.discard(number)
                if sink is not None:
                    sink.seek(number * page_size)
                    sink.write(page)
            if grown or image_digest(page_size, digests) != header.get("image_digest"):
                raise IntegrityFailure("backup.chain_broken", "file", file=file.name, missing=chain[step - 1][0].name)
            if sink is not None:
                sink.truncate(pages * page_size)
        if sink is not None:
            sink.flush()
            os.fsync(sink.fileno())
    return chain[-1][1]


def _then_at(progress: Progress | None, offset: int, total: int) -> Progress | None:
    if progress is None:
        return None
    return lambda d, _t: progress(offset + d, total)


# -- page digests --------------------------------------------------------------------------------


GROUP = 16  # pages per group digest: what a daily increment reads to find the groups that changed


def digest_block(data: bytes | memoryview, page_size: int, first: int, parent: Digests | None = None,
                 parent_groups: Digests | None = None, groups: bool = True) -> tuple[bytes, bytes, list[int]]:
    """The page digests and group digests of whole pages, the first of them page `first` (a
    multiple of GROUP), and which of them differ from the parent image's (None: no parent, none
    listed). With the parent's group digests, a group whose bytes are the parent's keeps the
    parent's page digests: only the pages of groups that changed are digested one by one.
    groups=False: no group digests (b"")."""
    view = memoryview(data)
    count = len(view) // page_size
    span = GROUP * page_size
    sha = hashlib.sha256
    grouped = b"".join([sha(view[i:i + span]).digest() for i in range(0, count * page_size, span)]) \
        if groups else b""
    if parent is None:
        return b"".join([sha(view[i:i + page_size]).digest() for i in range(0, count * page_size, page_size)]), \
            grouped, []
    known = len(parent) // DIGEST
    g0 = first // GROUP
    old_groups = parent_groups[g0 * DIGEST:g0 * DIGEST + len(grouped)] if parent_groups is not None and groups \
        else b""
    if old_groups and old_groups == grouped and first + count <= known:
        return bytes(parent[first * DIGEST:(first + count) * DIGEST]), grouped, []
    out: list[bytes] = []
    changed: list[int] = []
    for g in range(0, count, GROUP):
        end = min(g + GROUP, count)
        at = g // GROUP * DIGEST
        if old_groups[at:at + DIGEST] == grouped[at:at + DIGEST] and len(old_groups) >= at + DIGEST \
                and first + end <= known:
            out.append(bytes(parent[(first + g) * DIGEST:(first + end) * DIGEST]))
            continue
        for n in range(g, end):
            digest = sha(view[n * page_size:(n + 1) * page_size]).digest()
            out.append(digest)
            number = first + n
            if number >= known or parent[number * DIGEST:(number + 1) * DIGEST] != digest:
                changed.append(number)
    return b"".join(out), grouped, changed


def groups_digest(groups: Digests) -> str:
    """The digest of an image's group digests (named in the backup's header, so that the next
    increment can trust the group digests kept beside the database)."""
    return hashlib.sha256(b"shebao-groups\0%d\0" % GROUP + bytes(groups)).hexdigest()


class PageDigests:
    """The SHA-256 of every page of an image given in pieces, concatenated (and, with groups, of
    every GROUP pages: `groups`)."""

    def __init__(self, page_size: int, groups: bool = False) -> None:
        self.page_size = page_size
        self.digests = bytearray()
        self.groups = bytearray()
        self._with_groups = groups
        self._rest = b""

    def update(self, data: bytes) -> None:
        buf = self._rest + data if self._rest else data
        span = GROUP * self.page_size
        whole = len(buf) - len(buf) % span
        if whole:
            self._add(memoryview(buf)[:whole])
        self._rest = bytes(buf[whole:])

    def _add(self, view: memoryview) -> None:
        pages, groups, _ = digest_block(view, self.page_size, len(self.digests) // DIGEST,
                                        groups=self._with_groups)
        self.digests += pages
        self.groups += groups

    def finish(self) -> bytearray:
        if len(self._rest) % self.page_size:
            raise IntegrityFailure("backup.checksum", "file")
        if self._rest:
            self._add(memoryview(self._rest))
            self._rest = b""
        return self.digests


def image_digest(page_size: int, digests: Digests) -> str:
    """The digest of an image: SHA-256 over its page size and the SHA-256 of each page in order."""
    return hashlib.sha256(b"shebao-image\0%d\0" % page_size + bytes(digests)).hexdigest()


def _aligned(page_size: int) -> int:
    return max(CHUNK // page_size, 1) * page_size


def file_page_digests(path: Path, page_size: int) -> bytearray:
    """The page digests of a file (read in blocks of whole pages)."""
    return file_digests(path, page_size, groups=False)[0]


def file_digests(path: Path, page_size: int, groups: bool = True) -> tuple[bytearray, bytearray]:
    """The page digests and group digests of a file."""
    pages = PageDigests(page_size, groups)
    for block in _blocks(path, _aligned(page_size)):
        pages.update(block)
    return pages.finish(), pages.groups


def sqlite_page_size(path: Path) -> int:
    """The page size a SQLite file states in its header (bytes 16-17; 1 means 65536)."""
    with path.open("rb") as f:
        head = f.read(100)
    if len(head) < 100 or not head.startswith(b"SQLite format 3\0"):
        raise IntegrityFailure("backup.source_damaged", "db")
    (size,) = struct.unpack(">H", head[16:18])
    return 65536 if size == 1 else size


PAGES_MAGIC = b"SHEBAOPG"


def save_pages(path: Path, info: dict[str, Any], digests: Digests, groups: Digests | None = None) -> None:
    """Keep the page digests (and group digests) of the newest daily backup beside the database
    (the next daily backup writes only the pages whose digest changed). Written whole or not at all."""
    if groups:
        info = {**info, "group_pages": GROUP, "page_count": len(digests) // DIGEST}
    head = json.dumps(info, ensure_ascii=False, sort_keys=True).encode("utf-8")
    partial = path.with_name(path.name + ".partial")
    with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as f:
        f.write(PAGES_MAGIC + struct.pack(">I", len(head)) + head + bytes(digests) + bytes(groups or b""))
        f.flush()
        os.fsync(f.fileno())
    os.replace(partial, path)


def load_pages(path: Path) -> tuple[dict[str, Any], bytes, bytes | None] | None:
    """What save_pages kept: its facts, page digests and group digests (None when it kept none or
    they do not fit the pages). None: nothing, or not readable as such (the next backup is full)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if not data.startswith(PAGES_MAGIC) or len(data) < 12:
        return None
    (length,) = struct.unpack(">I", data[8:12])
    try:
        info = json.loads(data[12:12 + length].decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    digests = data[12 + length:]
    if not isinstance(info, dict) or len(digests) % DIGEST or not digests:
        return None
    count = info.get("page_count")
    if info.get("group_pages") is None or not isinstance(count, int):
        return info, digests, None
    if info.get("group_pages") != GROUP or count < 1 \
            or len(digests) != count * DIGEST + -(-count // GROUP) * DIGEST:
        return None
    return info, digests[:count * DIGEST], digests[count * DIGEST:]


# -- database dumps ----------------------------------------------------------------------------


def sqlite_copy(source: Path, target: Path, *, timeout: float = 5.0, pages: int = -1,
                step: Callable[[int, int, int], object] | None = None,
                then: Callable[[sqlite3.Connection], None] | None = None, durable: bool = True) -> None:
    """Copy one SQLite database onto another through the online backup API (consistent while the
    source is in use, WAL-safe on the target); `then` runs on the target before it is closed.

    durable=False: the target is a working copy that nothing keeps after a crash (a backup's dump,
    removed once encrypted): SQLite does not wait for the disk while writing it (synchronous=OFF),
    which took a third of a daily backup's time."""
    src = sqlite3.connect(str(source))
    try:
        create_private(target)  # a new copy is owner-only (an existing target keeps its mode)
        dst = sqlite3.connect(str(target), timeout=timeout)
        try:
            if not durable:
                dst.execute("PRAGMA synchronous=OFF")
            src.backup(dst, pages=pages, progress=step)
            if then is not None:
                then(dst)
        finally:
            dst.close()
    finally:
        src.close()


def sqlite_dump(database: Path, out: Path, progress: Progress | None = None,
                thorough: bool = True, groups: bool = True) -> tuple[int, bytearray, bytearray]:
    """A consistent copy of a live SQLite database (online backup API), self-contained and checked;
    its page size, page digests and group digests (none with groups=False: no increment follows).

    thorough: SQLite's integrity check; else its quick check (every page and the structure of every
    b-tree, without matching each index to its table). The check runs on one core while the page
    digests are made on the other (both leave Python's lock while they work)."""
    def step(_status: int, remaining: int, total: int) -> None:
        if progress and not progress(total - remaining, total * 3):
            raise BackupCancelled()

    def alone(dst: sqlite3.Connection) -> None:
        dst.execute("PRAGMA journal_mode=DELETE")

    sqlite_copy(database, out, pages=4096, step=step, then=alone, durable=False)
    page_size = sqlite_page_size(out)
    with ThreadPoolExecutor(1, thread_name_prefix="backup-check") as pool:
        checked = pool.submit(_check_dump, out, thorough)
        digests, grouped = file_digests(out, page_size, groups)
        checked.result()
    return page_size, digests, grouped


def _check_dump(dump: Path, thorough: bool) -> None:
    conn = sqlite3.connect(str(dump))
    try:
        check = "integrity_check" if thorough else "quick_check"
        if conn.execute(f"PRAGMA {check}").fetchone()[0] != "ok":
            raise IntegrityFailure("backup.source_damaged", "db")
    except sqlite3.DatabaseError:
        raise IntegrityFailure("backup.source_damaged", "db") from None
    finally:
        conn.close()


def sqlite_marks(dump: Path) -> dict[str, Any]:
    """Where a dump stands: its audit head and this office's sync clocks (for the backup header,
    so that a recovery knows exactly which entries and changes came after it)."""
    conn = sqlite3.connect(str(dump))
    try:
        return marks_of(conn)
    finally:
        conn.close()


def marks_of(conn: sqlite3.Connection) -> dict[str, Any]:
    """sqlite_marks of the database a connection reads (in its transaction when one is open)."""
    head = conn.execute("SELECT seq, hash FROM audit_head WHERE id = 1").fetchone()
    sync = conn.execute("SELECT lamport, own_seq, sealed_seq FROM sync_state WHERE id = 1").fetchone()
    marks: dict[str, Any] = {"audit_head": {"seq": int(head[0]), "hash": str(head[1])} if head
                             else {"seq": 0, "hash": "0" * 64}}
    if sync:
        marks["sync"] = {"lamport": int(sync[0]), "own_seq": int(sync[1]), "sealed_seq": int(sync[2])}
    writes = closed_writes(conn)
    if writes is not None:
        marks["closed_writes"] = writes
    return marks


def closed_writes(conn: sqlite3.Connection) -> int | None:
    """How many rows were ever written to the closed years' table (migration 0025), as the
    connection reads it; None on a database without the count."""
    try:
        row = conn.execute("SELECT writes FROM contribution_closed_writes WHERE id = 1").fetchone()
    except sqlite3.OperationalError:  # an older schema
        return None
    return int(row[0]) if row else None


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
