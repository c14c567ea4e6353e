"""A daily increment read straight from the live SQLite file, without copying the database first.

The dump route (`backup.sqlite_dump`) copies the whole database through the online backup API,
checks the copy and digests every page of it: for a county's 2 GB file about eight seconds to find
a hundred changed pages, most of it copying and checking pages that did not change. Here the live
file is held still instead, for as long as the increment takes to write:

1. a write transaction is opened (`BEGIN IMMEDIATE`; other writers wait, within their busy bound)
   and the WAL is checkpointed (PASSIVE) from a second connection. When every frame is then in the
   main file, a third connection begins a read transaction and the write transaction ends: writers
   go on, into the WAL, and no checkpoint writes into the main file while that read is open (none
   passes a reader's snapshot), so the file's first `page_count` pages stay the database as the
   read sees it until the increment is written. When the frames are not all in the file (a reader
   still on an older snapshot), or the database is not in WAL mode, or a writer goes on past the
   bound, `held_still` gives None and the caller copies the database as before;
2. the file is read in blocks on two threads (SHA-256 leaves Python's lock while it works) and
   each group of 16 pages is digested whole (a quarter of the time of digesting its pages one by
   one); only the groups whose digest is not the parent backup's are digested page by page, and
   their pages compared with the parent's. The pages of the closed years' table are not read at
   all while none of its rows was written since the parent (`carried_groups`, migration 0025);
3. the b-trees that hold the changed pages are found by walking the interior pages of every b-tree
   from the schema's root pages (leaves are not read: SQLite's b-trees are balanced, so an interior
   page one of whose children is a leaf has only leaves below it) and the freelist's trunk pages.
   SQLite's quick check runs on the tables those pages belong to, with their indexes, on a thread
   of its own: a table's check begins as soon as a block of the file shows one of its pages
   changed (`Placer`, `Checker`), so the check of the largest table goes on beside the digest of
   the rest and the writing of the increment. A changed page the walk does not reach (an overflow
   page of a long row, a pointer-map page) makes it a quick check of the whole database, as on the
   dump route.

The file is read through a descriptor opened once per file and kept until the process ends: on
POSIX, closing any descriptor of a database file drops every lock the process holds on it, SQLite's
own included. Where there is no `os.pread` (Windows, whose locks belong to the handle that took
them), each block is read through a file opened and closed for it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import queue
import sqlite3
import struct
import threading
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.core.backup import DIGEST, GROUP, digest_block
from desktop.core.errors import IntegrityFailure

BLOCK = 8 << 20  # bytes read and digested at a time by one thread
THREADS = 2
INTERIOR = (2, 5)  # b-tree page types: interior index, interior table

_kept: dict[tuple[int, int], int] = {}
_kept_lock = threading.Lock()


def _descriptor(path: Path) -> int:
    """A read-only descriptor of the file, opened on first use and never closed (see above)."""
    st = os.stat(path)
    key = (st.st_dev, st.st_ino)  # a kept descriptor keeps its inode: the number is not reused
    with _kept_lock:
        fd = _kept.get(key)
        if fd is None:
            fd = _kept[key] = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        return fd


def read_at(path: Path, offset: int, size: int) -> bytes:
    """size bytes of the file from offset (fewer only at its end)."""
    if hasattr(os, "pread"):
        fd = _descriptor(path)
        parts = []
        while size > 0:
            part = os.pread(fd, size, offset)
            if not part:
                break
            parts.append(part)
            offset, size = offset + len(part), size - len(part)
        return parts[0] if len(parts) == 1 else b"".join(parts)
    with path.open("rb") as f:  # pragma: no cover - Windows
        f.seek(offset)
        return f.read(size)


@dataclass
class Still:
    """A SQLite database held still: every page committed before `conn`'s read transaction began
    is in the main file, whose first `pages` pages are the database as that transaction reads it;
    no checkpoint writes into the file while the transaction is open."""

    path: Path
    conn: sqlite3.Connection
    page_size: int
    pages: int
    reserved: int = 0  # bytes SQLite keeps unused at the end of each page (its header, byte 20)

    def page(self, number: int) -> bytes:
        """Page `number` (1-based, as SQLite counts)."""
        return read_at(self.path, (number - 1) * self.page_size, self.page_size)

    def release(self) -> None:
        """End the read transaction: checkpoints may write into the file again."""
        if self.conn.in_transaction:
            self.conn.rollback()


@contextlib.contextmanager
def held_still(path: Path, timeout: float) -> Iterator[Still | None]:
    """The database at path held still (see the module's text), or None when it cannot be: not in
    WAL mode, another writer still writing after `timeout` seconds, or the WAL not wholly
    checkpointed. Writers wait only for the checkpoint; from then on the read transaction of the
    Still's connection keeps every later change in the WAL."""
    writer = sqlite3.connect(str(path), timeout=timeout, isolation_level=None)
    reader: sqlite3.Connection | None = None
    try:
        if str(writer.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
            yield None
            return
        try:
            writer.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:  # a writer kept on past the bound: copied instead, beside it
            yield None
            return
        other = sqlite3.connect(str(path), timeout=timeout, isolation_level=None)
        try:
            _busy, log, done = other.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        finally:
            other.close()  # not the last connection: SQLite leaves the WAL as it is
        reader = sqlite3.connect(str(path), timeout=timeout, isolation_level=None, check_same_thread=False)
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM sqlite_schema").fetchone()  # the read begins: its snapshot
        page_size = int(reader.execute("PRAGMA page_size").fetchone()[0])
        pages = int(reader.execute("PRAGMA page_count").fetchone()[0])
        writer.rollback()  # writers go on, into the WAL: no checkpoint passes the reader's snapshot
        if log < 0 or done != log or os.stat(path).st_size < pages * page_size:
            yield None
            return
        reserved = read_at(path, 20, 1)
        yield Still(path, reader, page_size, pages, reserved[0] if reserved else 0)
    finally:
        if writer.in_transaction:
            writer.rollback()
        writer.close()
        if reader is not None:
            if reader.in_transaction:
                reader.rollback()
            reader.close()


def _digest_read(still: Still, parent: bytes, groups: bytes | None, start: int,
                 end: int) -> tuple[bytes, bytes, list[int]]:
    """backup.digest_block of pages start..end-1 (0-based, as the backup counts) read from the file."""
    size = still.page_size
    data = read_at(still.path, start * size, (end - start) * size)
    if len(data) != (end - start) * size:
        raise IntegrityFailure("backup.source_damaged", "db")
    return digest_block(data, size, start, parent, groups)


def _digest_block(still: Still, parent: bytes, groups: bytes | None, start: int, end: int,
                  carried: bytes | bytearray | None = None) -> tuple[bytes, bytes, list[int]]:
    """_digest_read of pages start..end-1, but the groups marked in carried (one byte a group, see
    carried_groups) take the parent's page and group digests without being read."""
    if carried is None or groups is None:
        return _digest_read(still, parent, groups, start, end)

    def taken(page: int) -> bool:
        return page // GROUP < len(carried) and carried[page // GROUP] == 1

    pages, grouped, changed = [], [], []
    at = start  # (a multiple of GROUP, as every block's start is)
    while at < end:
        carry, stop = taken(at), at
        while stop < end and taken(stop) == carry:
            stop = min(stop + GROUP, end)
        if carry:  # whole groups only (carried_groups marks no group past the parent's end)
            pages.append(parent[at * DIGEST:stop * DIGEST])
            grouped.append(groups[at // GROUP * DIGEST:stop // GROUP * DIGEST])
        else:
            block, block_groups, moved = _digest_read(still, parent, groups, at, stop)
            pages.append(block)
            grouped.append(block_groups)
            changed += moved
        at = stop
    return b"".join(pages), b"".join(grouped), changed


def digest_pages(still: Still, parent: bytes, groups: bytes | None,
                 progress: Callable[[int, int], object] | None = None,
                 found: Callable[[list[int]], object] | None = None,
                 carried: bytes | bytearray | None = None) -> tuple[bytearray, bytearray, list[int]]:
    """The page digests and group digests of the held database and the pages (0-based) whose
    digest differs from the parent's (pages past the parent's end included). With the parent's
    group digests only the groups that changed are digested page by page, and the groups marked
    in carried (`carried_groups`) are not read at all. found(pages) is given each block's changed
    pages as soon as they are known, block by block in order; progress(done, of) is called after
    each block. Either may raise to stop (the blocks not begun are not read)."""
    per_block = max(BLOCK // (still.page_size * GROUP), 1) * GROUP
    ranges = [(s, min(s + per_block, still.pages)) for s in range(0, still.pages, per_block)]
    digests, grouped = bytearray(), bytearray()
    changed: list[int] = []
    pool = ThreadPoolExecutor(THREADS, thread_name_prefix="backup-pages")
    try:
        futures = [pool.submit(_digest_block, still, parent, groups, s, e, carried) for s, e in ranges]
        for (_s, end), future in zip(ranges, futures, strict=True):
            block, block_groups, moved = future.result()
            digests += block
            grouped += block_groups
            changed += moved
            if found is not None and moved:
                found(moved)
            if progress is not None:
                progress(end, still.pages)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return digests, grouped, changed


Trees = list[tuple[str, "array[int]"]]  # (table, the pages of one of its b-trees) for every b-tree


def roots(still: Still) -> list[tuple[int, str]]:
    """The root page of every b-tree with the table it belongs to (an index's is its table's)."""
    return [(1, "sqlite_schema")] + [
        (int(root), str(table)) for root, table in still.conn.execute(
            "SELECT rootpage, tbl_name FROM sqlite_schema WHERE rootpage > 0 ORDER BY rootpage")]


def tree_pages(still: Still, starts: list[tuple[int, str]]) -> Trees:
    """The pages of every b-tree reached from its root through interior pages (the overflow pages
    of long rows are not among them). Reads only the interior pages and one child of each."""
    out: Trees = []
    for root, table in starts:
        pages = array("I", (root,))
        for children in _interior_children(still, root):
            pages.extend(children)
        out.append((table, pages))
    return out


@dataclass(frozen=True)
class Carried:
    """What an increment took from its parent unread (`carried_groups`): the groups of pages of a
    table none of whose rows was written since (`writes`: the table's count of writes, migration
    0025), found from its b-trees' roots and interior pages. Kept beside the database with the
    page digests, its digest named in the backup's header, so the next increment checks it
    instead of walking the b-trees again."""

    writes: int
    roots: tuple[int, ...]  # the b-trees' root pages
    interior: tuple[int, ...]  # their interior pages (roots included)
    runs: tuple[tuple[int, int], ...]  # the carried groups: [first, end) runs, rising

    def marks(self, count: int) -> bytearray:
        """One byte a group of the count (1: carried)."""
        out = bytearray(count)
        for first, end in self.runs:
            out[first:min(end, count)] = b"\1" * (min(end, count) - first)
        return out

    def to_json(self) -> dict[str, Any]:
        return {"writes": self.writes, "roots": list(self.roots), "interior": list(self.interior),
                "runs": [list(r) for r in self.runs]}

    @staticmethod
    def from_json(data: object) -> Carried | None:
        """The Carried a to_json gave (None: not one)."""
        if not isinstance(data, dict):
            return None
        try:
            return Carried(int(data["writes"]), tuple(int(x) for x in data["roots"]),
                           tuple(int(x) for x in data["interior"]),
                           tuple((int(a), int(b)) for a, b in data["runs"]))
        except (KeyError, TypeError, ValueError):
            return None

    def digest(self) -> str:
        return hashlib.sha256(json.dumps(self.to_json(), sort_keys=True).encode("ascii")).hexdigest()


def carried_groups(still: Still, starts: list[tuple[int, str]], table: str, writes: int, parent: bytes,
                   groups: bytes, known: Carried | None = None) -> Carried | None:
    """The groups of pages an increment may take from its parent unread, when no row of `table`
    was written since the parent was made (the caller has compared the table's count of writes,
    migration 0025): the groups every page of which is a page of one of the table's b-trees. A
    b-tree whose rows were not written has the same pages with the same bytes; its root and
    interior pages, which say which pages those are, are read and digested here and must be the
    parent's, page for page (else None: the file is digested whole). `known`, what the parent
    carried, is taken again when its roots and interior pages are still the parent's (no walk of
    the leaves). A leaf of the table that changed all the same (the disk, not SQLite) keeps the
    parent's copy in the increment; the next full backup copies and checks the file whole."""
    known_pages = min(len(parent) // DIGEST, len(groups) // DIGEST * GROUP, still.pages)
    sha = hashlib.sha256

    def same(number: int, page: bytes | None = None) -> bool:
        return 1 <= number <= known_pages and sha(still.page(number) if page is None else page).digest() \
            == parent[(number - 1) * DIGEST:number * DIGEST]

    roots = tuple(sorted(root for root, name in starts if name == table))
    if known is not None and known.writes == writes and known.roots == roots \
            and all(end <= known_pages // GROUP for _first, end in known.runs) \
            and all(same(number) for number in known.interior):
        return known
    interior: list[int] = []
    mine = bytearray(still.pages + 1)  # SQLite's page number -> 1: a page of the table's b-trees
    for root in roots:
        if not same(root):  # (a root that is a leaf is checked here)
            return None
        interior.append(root)
        mine[root] = 1
        for number, page, children in _interior_pages(still, root):
            if number != root:
                if not same(number, page):
                    return None
                interior.append(number)
            for child in children:
                mine[child] = 1
    runs: list[tuple[int, int]] = []
    whole = b"\1" * GROUP
    for g in range(known_pages // GROUP):
        if mine[g * GROUP + 1:g * GROUP + 1 + GROUP] == whole:
            if runs and runs[-1][1] == g:
                runs[-1] = (runs[-1][0], g + 1)
            else:
                runs.append((g, g + 1))
    return Carried(writes, roots, tuple(interior), tuple(runs))


class Placer:
    """Places changed pages in the tables whose b-trees hold them (from tree_pages), block by
    block as the digest finds them, so that each table's check can begin as soon as one of its
    pages is known to have changed."""

    def __init__(self, still: Still, trees: Trees) -> None:
        self._still = still
        self._names: list[str] = []
        index: dict[str, int] = {}
        owner = array("H", [_NOBODY]) * (still.pages + 1)  # SQLite's page number -> table's index
        for table, pages in trees:
            at = index.setdefault(table, len(self._names))
            if at == len(self._names):
                self._names.append(table)
            for number in pages:
                if 1 <= number <= still.pages and owner[number] == _NOBODY:
                    owner[number] = at
        self._owner = owner
        self._placed: dict[str, list[int]] = {}
        self._unplaced: list[int] = []

    def place(self, changed: Iterable[int]) -> list[str]:
        """Place changed pages (0-based); the tables met for the first time."""
        new: list[str] = []
        owner, limit = self._owner, len(self._owner)
        for n in changed:
            at = owner[n + 1] if n + 1 < limit else _NOBODY
            if at == _NOBODY:
                self._unplaced.append(n + 1)
                continue
            table = self._names[at]
            pages = self._placed.get(table)
            if pages is None:
                pages = self._placed[table] = []
                new.append(table)
            pages.append(n + 1)
        return new

    def tables(self) -> set[str] | None:
        """Every table holding a page placed so far; None when a changed page is in no b-tree and
        not free.

        A long row's overflow pages are found from the changed pages of the b-trees: a row written
        since the parent is on a changed page, and its overflow chain is followed from there (the
        trees with the fewest changed pages first, and only until every changed page is placed)."""
        tables = set(self._placed)
        missing = set(self._unplaced)
        if missing:
            missing -= set(_free_pages(self._still))
        if not missing:
            return tables
        for _table, numbers in sorted(self._placed.items(), key=lambda item: len(item[1])):
            for number in sorted(numbers):
                missing -= set(_overflow_pages(self._still, number))
                if not missing:
                    return tables
        return None


_NOBODY = 0xFFFF  # a page no b-tree reaches (free, overflow, pointer map, or past the walk)


def owners(still: Still, changed: Sequence[int], trees: Trees) -> set[str] | None:
    """The tables whose b-trees (the table's or one of its indexes', from tree_pages) hold the
    changed pages (0-based); None when a changed page is in no b-tree and not free (`Placer`)."""
    placer = Placer(still, trees)
    placer.place(changed)
    return placer.tables()


def _varint(data: bytes, at: int) -> tuple[int, int]:
    """A SQLite varint at `at`: its value and where it ends."""
    value = 0
    for i in range(8):
        byte = data[at + i]
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, at + i + 1
    return (value << 8) | data[at + 8], at + 9


def _overflow_pages(still: Still, number: int) -> list[int]:
    """The overflow pages of the cells on b-tree page `number` (leaves and interior index pages):
    every page of every cell's overflow chain."""
    page = still.page(number)
    head = 100 if number == 1 else 0
    if len(page) < head + 8 or page[head] not in (2, 10, 13):
        return []
    kind = page[head]
    usable = still.page_size - still.reserved
    most = usable - 35 if kind == 13 else (usable - 12) * 64 // 255 - 23
    least = (usable - 12) * 32 // 255 - 23
    (count,) = struct.unpack_from(">H", page, head + 3)
    start = head + (12 if kind == 2 else 8)
    out: list[int] = []
    try:
        for (offset,) in struct.iter_unpack(">H", page[start:start + 2 * count]):
            at = offset + (4 if kind == 2 else 0)
            size, at = _varint(page, at)
            if size <= most:
                continue
            if kind == 13:
                _rowid, at = _varint(page, at)
            local = least + (size - least) % (usable - 4)
            if local > most:
                local = least
            (chain,) = struct.unpack_from(">I", page, at + local)
            seen: set[int] = set()
            while 1 <= chain <= still.pages and chain not in seen:
                seen.add(chain)
                out.append(chain)
                (chain,) = struct.unpack_from(">I", still.page(chain), 0)
    except (IndexError, struct.error):  # a damaged page: what was found so far (the check says the rest)
        pass
    return out


_child = struct.Struct(">I").unpack_from


def _interior_children(still: Still, root: int) -> Iterator[set[int]]:
    """The children of every interior page of the b-tree at root (its interior pages and leaves);
    a page that is not a b-tree page ends the walk of its branch (the quick check reports it)."""
    for _number, _page, children in _interior_pages(still, root):
        yield children


def _interior_pages(still: Still, root: int) -> Iterator[tuple[int, bytes, set[int]]]:
    """Every interior page of the b-tree at root (its number and bytes) with its children not seen
    before (see _interior_children); a root that is a leaf gives nothing."""
    stack, seen = [root], {root}
    while stack:
        number = stack.pop()
        page = still.page(number)
        head = 100 if number == 1 else 0
        if len(page) < head + 12 or page[head] not in INTERIOR:
            continue
        (count,) = struct.unpack_from(">H", page, head + 3)
        (right,) = struct.unpack_from(">I", page, head + 8)
        if head + 12 + 2 * count > len(page):
            continue
        offsets = struct.unpack_from(f">{count}H", page, head + 12)
        if offsets and max(offsets) + 4 > len(page):
            offsets = tuple(o for o in offsets if o + 4 <= len(page))
        children = {_child(page, o)[0] for o in offsets}
        children.add(right)
        children -= seen
        if children and (min(children) < 1 or max(children) > still.pages):
            children = {c for c in children if 1 <= c <= still.pages}
        seen |= children
        yield number, page, children
        if children:
            below = still.page(next(iter(children)))  # every child is at the same depth
            if below and below[0] in INTERIOR:
                stack.extend(children)


def _free_pages(still: Still) -> list[int]:
    """The freelist's trunk and leaf pages."""
    header = still.page(1)
    (trunk,) = struct.unpack_from(">I", header, 32)
    out: list[int] = []
    seen: set[int] = set()
    while 1 <= trunk <= still.pages and trunk not in seen:
        seen.add(trunk)
        out.append(trunk)
        page = still.page(trunk)
        nxt, count = struct.unpack_from(">II", page, 0)
        count = min(count, (len(page) - 8) // 4)
        out += struct.unpack_from(f">{count}I", page, 8)
        trunk = nxt
    return out


def quick_check(still: Still, tables: set[str] | None) -> bool:
    """SQLite's quick check of the named tables with their indexes (None: the whole database), on
    the held database: True when it finds nothing wrong."""
    try:
        if tables is None:
            return bool(still.conn.execute("PRAGMA quick_check").fetchone()[0] == "ok")
        for table in sorted(tables):
            quoted = table.replace('"', '""')
            if still.conn.execute(f'PRAGMA quick_check("{quoted}")').fetchone()[0] != "ok":
                return False
        return True
    except (sqlite3.DatabaseError, MemoryError):  # a damaged cell can ask SQLite for any amount
        return False


_EVERY = object()  # Checker: the whole database
_END = object()  # Checker: no more tables


class Checker:
    """SQLite's quick check of the held database, table by table as the changed pages are placed,
    on a thread of its own (SQLite leaves Python's lock while it reads): the check of the largest
    table begins while the rest of the file is still being digested. The Still's connection is the
    checker's from its start; `result` ends it."""

    def __init__(self, still: Still) -> None:
        self._still = still
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="backup-check")
        self._done = self._pool.submit(self._run)

    def _run(self) -> bool:
        checked: set[str] = set()
        while (item := self._queue.get()) is not _END:
            if item is _EVERY:
                return quick_check(self._still, None)
            if isinstance(item, str) and item not in checked:
                checked.add(item)
                if not quick_check(self._still, {item}):
                    return False
        return True

    def check(self, tables: Iterable[str]) -> None:
        """Check these tables with their indexes (each once, in the order given)."""
        for table in tables:
            self._queue.put(table)

    def check_all(self) -> None:
        """Check the whole database (the tables named so far again with it)."""
        self._queue.put(_EVERY)

    def result(self) -> bool:
        """Once every table is named: True when the checks found nothing wrong."""
        self._queue.put(_END)
        return self._done.result()

    def stop(self) -> None:
        """End the check early (an error or a cancel): SQLite is interrupted, the thread joined."""
        self._queue.put(_END)
        self._still.conn.interrupt()
        self._pool.shutdown(wait=True)
