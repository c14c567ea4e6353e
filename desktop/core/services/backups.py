"""Backups of the office database: consistent, encrypted, verified; daily with rotation; restore.

SQLite: the online backup API copies the live database (WAL included) while counters keep working.
PostgreSQL: pg_dump's custom format (a consistent snapshot), restored with pg_restore. Either way the
dump is encrypted into the backup file (desktop/core/backup.py), read back and checked before the
file gets its final name. A restore checks the file completely before it touches the database.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from desktop.core import audit, audit_heads, live_image
from desktop.core import backup as fmt
from desktop.core.errors import (
    Conflict,
    DatabaseDamaged,
    IntegrityFailure,
    InvalidInput,
    ShebaoError,
)
from desktop.core.progress import Progress
from desktop.core.security import ADMIN
from desktop.core.store import line_store
from desktop.core.store.engine import (
    SCHEMA_REVISION,
    backup_sqlite_file,
    busy_seconds,
    known_revisions,
    migrate,
)
from desktop.core.store.health import check_sqlite, is_corruption
from desktop.core.store.models import Office, OfficeSetting, SyncState, UserAccount

if TYPE_CHECKING:
    from desktop.core.ledger import Ledger

DAILY_RE = re.compile(r"^shebao-(?P<office>[A-Za-z0-9]+)-(?P<date>\d{4}-\d{2}-\d{2})\.sbk$")
FOLDER_SETTING = "backup.folder"  # where `backup --daily` last wrote (a recovery looks there)


@dataclass(frozen=True)
class BackupResult:
    """A written and verified backup file."""

    file: Path
    size: int
    sha256: str
    key_file: Path
    key_fingerprint: str
    key_created: bool
    removed: tuple[Path, ...] = ()
    kind: str = "full"  # full | increment (SQLite), dump (PostgreSQL)
    parent: str | None = None  # an increment: the backup it is built on (same folder)


@dataclass(frozen=True)
class RestoreResult:
    """What a restore brought back."""

    file: Path
    office: str | None
    created: str
    schema: str
    kept: Path | None  # the copy of the database kept before it was replaced (--force)
    # this office's own sync changes that went out in files after the backup: (first, last), to
    # be received back from the offices that have them (SyncService.after_restore)
    own_missing: tuple[int, int] | None = None


class BackupService:
    """Back up and restore the office database (administrators)."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    @property
    def dialect(self) -> str:
        """sqlite or postgresql."""
        return str(self._ledger.engine.url.get_backend_name())

    def _sqlite_path(self) -> Path:
        database = self._ledger.engine.url.database
        if not database or database == ":memory:":
            raise InvalidInput("backup.memory", "db")
        return Path(database)

    def _work_dir(self) -> Path | None:
        """Where unencrypted dumps may be written for a moment: beside a SQLite file, else temp."""
        return self._sqlite_path().parent if self.dialect == "sqlite" else None

    def backup(self, out: str | Path, key_file: str | Path | None = None,
               progress: Progress | None = None) -> BackupResult:
        """Write an encrypted, verified backup to out (the key file is made on first use): the whole
        database, standing alone."""
        self._ledger.require(ADMIN)
        target = Path(out)
        if target.is_dir():
            raise InvalidInput("backup.is_dir", "out", path=str(target))
        return self._write(target, key_file, progress, None)

    def _write(self, target: Path, key_file: str | Path | None, progress: Progress | None,
               chain: tuple[Path, int] | None) -> BackupResult:
        """Write one backup; with chain (folder, full_every), an increment on the newest daily backup
        in that folder when its page digests are kept here and it is not the base of a full chain."""
        key_path = Path(key_file) if key_file else fmt.default_key_path()
        key, created = fmt.load_or_create_key(key_path)
        with self._ledger.read() as s:
            office_row = s.execute(select(Office.code, Office.name)).first()
            office = office_row[0] if office_row else None
            sync = s.execute(select(SyncState.lamport, SyncState.own_seq, SyncState.sealed_seq)
                             .where(SyncState.id == 1)).first()
        head = self._ledger.audit.head()
        meta: dict[str, Any] = {
            "dialect": self.dialect, "office": office, "office_name": office_row[1] if office_row else None,
            "schema": SCHEMA_REVISION,
            "created": self._ledger.now().isoformat(timespec="seconds"),
            "audit_head": {"seq": head[0], "hash": head[1]}, "program": "shebao-desk"}
        if sync is not None:
            meta["sync"] = {"lamport": int(sync[0]), "own_seq": int(sync[1]), "sealed_seq": int(sync[2])}
        target.parent.mkdir(parents=True, exist_ok=True)
        # The unencrypted dump stays beside the database (never on the backup medium).
        with tempfile.TemporaryDirectory(prefix="shebao-backup-", dir=self._work_dir()) as tmp:
            dump = Path(tmp) / "dump"
            if self.dialect == "sqlite":
                parent = self._parent(target, key, office, chain) if chain else None
                if chain and parent is None:
                    self._close_years()
                live = self._live_increment(target, key, meta, parent, progress) if parent else None
                carried: live_image.Carried | None = None
                if live is not None:
                    header, page_size, digests, groups, carried = live
                else:
                    page_size, digests, groups = fmt.sqlite_dump(self._sqlite_path(), dump, progress,
                                                                 thorough=parent is None, groups=bool(chain))
                    meta.update(fmt.sqlite_marks(dump))  # exactly where the copy stands
                    if chain:  # what the next increment trusts of the group digests kept here
                        meta.update(group_pages=fmt.GROUP, group_digest=fmt.groups_digest(groups))
                    rest = _after_dump(progress)
                    if parent is not None and parent[0]["page_size"] == page_size:
                        changed = fmt.changed_pages(parent[1], digests)
                        header = fmt.encrypt_increment(dump, target, key, meta, page_size, digests, changed,
                                                       parent[0], rest)
                    else:
                        header = fmt.encrypt_image(dump, target, key, meta, page_size, digests, rest)
                if chain:  # what the next daily backup is built on (this one, whatever its kind)
                    fmt.save_pages(self._pages_file(), {"file": target.name, "folder": str(chain[0].resolve()),
                                                        "office": office, "page_size": page_size,
                                                        "image_digest": header["image_digest"],
                                                        **({"carried": carried.to_json()} if carried else {})},
                                   digests, groups)
            else:
                fmt.pg_dump(str(self._ledger.engine.url.render_as_string(hide_password=False)), dump)
                header = fmt.encrypt_file(dump, target, key, meta, progress)
        self._note_head(office, header.get("audit_head"))
        return BackupResult(target, target.stat().st_size, _digest(header), key_path, fmt.fingerprint(key),
                            created, kind=fmt.kind_of(header),
                            parent=str(header["parent"]["file"]) if fmt.kind_of(header) == "increment" else None)

    def _close_years(self) -> None:
        """Before a chain's full copy: the rows of closed years kept apart (`close_years`), so that
        their pages go into the full copy and the increments after it check and write the open
        years only. A database known to be damaged is copied as it is (the copy says what is wrong)."""
        try:
            self._ledger.contributions.close_years()
        except DatabaseDamaged:
            pass

    def _live_increment(self, target: Path, key: bytes, meta: dict[str, Any],
                        parent: tuple[dict[str, Any], bytes, bytes | None], progress: Progress | None,
                        ) -> tuple[dict[str, Any], int, bytearray, bytearray, live_image.Carried | None] | None:
        """An increment on parent read straight from the live database held still (desktop/core/
        live_image.py): its header, page size, page digests, group digests and what it took from
        the parent unread (`_carried`); None when the database cannot be held still (the caller
        copies it instead). The tables holding the changed pages get SQLite's quick check (every
        table when a page is not found in one), each table's beginning as soon as the digest finds
        one of its pages changed, beside the digest and the writing and reading back of the pages;
        the file gets its name once the check is done."""
        with live_image.held_still(self._sqlite_path(), float(busy_seconds())) as still:
            if still is None or still.page_size != parent[0]["page_size"]:
                return None

            def step(done: int, total: int) -> None:
                if progress and not progress(done, total * 3):
                    raise fmt.BackupCancelled()

            meta = {**meta, **fmt.marks_of(still.conn)}  # exactly where the held database stands
            starts = live_image.roots(still)  # (read before the connection becomes the checker's)
            carried = self._carried(still, starts, meta, parent)
            if carried is not None:  # (the next increment checks what it takes again by this)
                meta["carried_digest"] = carried.digest()
            checker = live_image.Checker(still)
            try:
                with ThreadPoolExecutor(1, thread_name_prefix="backup-trees") as walker:  # beside the digests
                    trees = walker.submit(live_image.tree_pages, still, [  # (a carried page is no changed one)
                        s for s in starts if carried is None or s[1] != line_store.CARRIED])
                    placed: list[live_image.Placer] = []

                    def found(pages: list[int]) -> None:  # a table's check begins with its first changed page
                        if not placed:
                            placed.append(live_image.Placer(still, trees.result()))
                        checker.check(placed[0].place(pages))

                    digests, groups, changed = live_image.digest_pages(
                        still, parent[1], parent[2], step, found,
                        None if carried is None else carried.marks(-(-still.pages // fmt.GROUP)))
                    if placed and placed[0].tables() is None:  # a changed page no b-tree holds
                        checker.check_all()
                meta = {**meta, "group_pages": fmt.GROUP, "group_digest": fmt.groups_digest(groups)}

                def checked_then_release() -> None:
                    fine = checker.result()
                    still.release()
                    if not fine:
                        raise IntegrityFailure("backup.source_damaged", "db")
                    if progress and not progress(1, 1):  # (the bar waited short of its end)
                        raise fmt.BackupCancelled()

                def writing(done: int, total: int) -> bool:  # a third to 19/20: the check may go on
                    return progress is None or progress(20 * total + 37 * done, 60 * max(total, 1))

                header = fmt.encrypt_increment(lambda number: still.page(number + 1), target, key, meta,
                                               still.page_size, digests, changed, parent[0],
                                               writing if progress else None, before_keep=checked_then_release)
            finally:
                checker.stop()
            return header, still.page_size, digests, groups, carried

    @staticmethod
    def _carried(still: live_image.Still, starts: list[tuple[int, str]], meta: dict[str, Any],
                 parent: tuple[dict[str, Any], bytes, bytes | None]) -> live_image.Carried | None:
        """The groups of pages this increment takes from its parent unread (`live_image.
        carried_groups`): the closed years' table, when the parent noted the same count of its
        writes (migration 0025) and the file is not one whose pages SQLite moves (auto-vacuum)."""
        writes = meta.get("closed_writes")
        if writes is None or parent[0].get("closed_writes") != writes or parent[2] is None \
                or still.conn.execute("PRAGMA auto_vacuum").fetchone()[0] != 0:
            return None
        known = live_image.Carried.from_json(parent[0].get("carried"))  # what the parent carried
        if known is not None and known.digest() != parent[0].get("carried_digest"):
            known = None  # kept beside the database, not what the parent's header names: walk afresh
        return live_image.carried_groups(still, starts, line_store.CARRIED, writes, parent[1], parent[2], known)

    def _pages_file(self) -> Path:
        """The page digests of the newest daily backup, kept beside the database."""
        database = self._sqlite_path()
        return database.with_name(database.name + ".backup-pages")

    def _parent(self, target: Path, key: bytes, office: str | None,
                chain: tuple[Path, int]) -> tuple[dict[str, Any], bytes, bytes | None] | None:
        """The daily backup the next one can be an increment of, with its page digests (its header
        with `file` its name): the one whose digests are kept here, when it is still in the folder as
        it was made, is not the file being replaced and its chain is shorter than full_every."""
        folder, full_every = chain
        kept = fmt.load_pages(self._pages_file())
        if kept is None:
            return None
        info, digests, groups = kept
        name = info.get("file")
        if not isinstance(name, str) or name != Path(name).name or name == target.name \
                or info.get("folder") != str(folder.resolve()) or info.get("office") != office:
            return None
        try:
            header = fmt.authentic_header(folder / name, key)
            page_size, depth = int(info.get("page_size", 0)), int(header.get("depth", 0))
        except (ShebaoError, OSError, TypeError, ValueError):
            return None
        if fmt.kind_of(header) not in ("full", "increment") or header.get("office") != office \
                or header.get("image_digest") != info.get("image_digest") \
                or fmt.image_digest(page_size, digests) != header.get("image_digest") \
                or depth + 1 >= full_every:
            return None
        if groups is not None and (header.get("group_pages") != fmt.GROUP
                                   or header.get("group_digest") != fmt.groups_digest(groups)):
            groups = None  # kept beside the database, not the ones the backup names: digest every page
        # (what it took from its parent unread, as kept here: `_carried` trusts it by the header's digest)
        return {**header, "file": name, "carried": info.get("carried")}, digests, groups

    def daily(self, folder: str | Path, keep: int = 14, key_file: str | Path | None = None,
              progress: Progress | None = None, full_every: int = 7) -> BackupResult:
        """Today's backup `shebao-OFFICE-YYYY-MM-DD.sbk` in folder; only the newest `keep` are kept,
        with the older ones they are built on.

        SQLite: a full backup, then increments (only the pages changed since the day before) until
        full_every backups make a chain; restoring an increment reads its chain from the folder.
        Before a full backup the rows of closed months are kept apart (`close_years`), so that the
        increments after it check and write the open months' rows only, and take the closed
        table's pages from their parent unread while none of its rows is written.
        For the Windows task scheduler or cron; running it twice a day replaces that day's file
        (with a full backup: an increment cannot be built on the file it replaces).
        """
        if keep < 1:
            raise InvalidInput("backup.keep", "keep")
        if full_every < 1:
            raise InvalidInput("backup.full_every", "full_every")
        self._ledger.require(ADMIN)
        with self._ledger.read() as s:
            office = s.scalars(select(Office.code)).first() or "office"
        base = Path(folder)
        base.mkdir(parents=True, exist_ok=True)
        name = f"shebao-{office}-{self._ledger.today().isoformat()}.sbk"
        ours = self._ours(base, office)
        for other, parent in ours.items():
            if parent == name:
                raise Conflict("backup.needed_by", "file", file=name, needed_by=other)
        self._remember_folder(base)  # before the copy, so that the copy knows it too
        result = self._write(base / name, key_file, progress, (base, full_every))
        ours[name] = result.parent
        newest = sorted(ours, reverse=True)
        needed = set(newest[:keep])
        for kept in newest[:keep]:
            parent = ours.get(kept)
            while parent and parent not in needed and parent in ours:
                needed.add(parent)
                parent = ours[parent]
        removed = []
        for old in newest[keep:]:
            if old not in needed:
                (base / old).unlink()
                removed.append(base / old)
        return BackupResult(result.file, result.size, result.sha256, result.key_file, result.key_fingerprint,
                            result.key_created, tuple(removed), result.kind, result.parent)

    @staticmethod
    def _ours(folder: Path, office: str) -> dict[str, str | None]:
        """This office's daily backups in folder: name -> the name of the backup it is built on."""
        out: dict[str, str | None] = {}
        for p in folder.iterdir():
            m = DAILY_RE.match(p.name)
            if not m or m.group("office") != office:
                continue
            try:
                header = fmt.read_header(p)[0]
            except ShebaoError:
                out[p.name] = None
                continue
            parent = header.get("parent") if fmt.kind_of(header) == "increment" else None
            out[p.name] = str(parent.get("file")) if isinstance(parent, dict) else None
        return out

    def _note_head(self, office: str | None, value: Any) -> None:
        """Keep the audit head a backup holds (audit verify checks the chain still has it)."""
        head = audit_heads.as_head(value)
        if office is None or head is None:
            return
        try:
            with self._ledger.write(checked=False) as s:
                audit_heads.record_seen(s, office, head, "backup", self._ledger.now().replace(tzinfo=None))
        except (DatabaseDamaged, Conflict):  # a backup of a damaged or busy database is still a backup
            pass

    def _remember_folder(self, folder: Path) -> None:
        """Note where the daily backups go, so that a recovery finds them (written when it changes)."""
        value = str(folder.resolve())
        with self._ledger.write() as s:
            row = s.get(OfficeSetting, FOLDER_SETTING)
            if row is None:
                s.add(OfficeSetting(key=FOLDER_SETTING, value=value))
            elif row.value != value:
                row.value = value

    def folder(self) -> Path | None:
        """The folder the daily backups go to, as last used (None: never, or it cannot be read)."""
        try:
            with self._ledger.read(checked=False) as s:
                row = s.get(OfficeSetting, FOLDER_SETTING)
                return Path(row.value) if row else None
        except DatabaseDamaged:
            return None

    def inspect(self, file: str | Path) -> dict[str, Any]:
        """A backup's header (no key needed): when, which office, schema, key fingerprint."""
        return fmt.read_header(Path(file))[0]

    def chain(self, file: str | Path) -> list[Path]:
        """The backup files a restore of file reads, oldest first (file alone unless it is an
        increment); refused naming the first one missing or replaced (headers only, no key)."""
        return [p for p, _h in fmt.chain_of(Path(file))]

    def check(self, file: str | Path, key_file: str | Path | None = None,
              progress: Progress | None = None) -> dict[str, Any]:
        """Decrypt and check a backup completely (with the backups it is built on) without restoring it."""
        key = fmt.load_key(Path(key_file) if key_file else fmt.default_key_path())
        return fmt.read_chain(Path(file), key, None, progress)

    def restore(self, file: str | Path, key_file: str | Path | None = None, force: bool = False,
                progress: Progress | None = None, other_office: str | None = None) -> RestoreResult:
        """Replace this database by a backup, after checking the whole file.

        Into a fresh install (no office yet) anyone may restore; over an office's data only an
        administrator with force=True, and the current data is kept first (SQLite: a copy beside
        the file, like before a migration; PostgreSQL: an encrypted backup beside the restored one).
        A backup of another office would turn this office into that one: it is refused unless
        other_office repeats the backup's office code (a second confirmation beside force).
        Afterwards nobody is signed in: the restored accounts apply.

        Over a damaged database: what can be read of it decides as above; when its accounts cannot
        be read, nobody can be checked and the backup key is what authorises the restore. A file
        SQLite cannot open at all is set aside under another name instead of copied. This office's
        sync numbering goes on after the last change it ever sent (SyncService.after_restore).
        """
        path = Path(file)
        key = fmt.load_key(Path(key_file) if key_file else fmt.default_key_path())
        header = fmt.read_header(path)[0]
        if header.get("dialect") != self.dialect:
            raise Conflict("backup.dialect", "file", found=header.get("dialect"), here=self.dialect)
        if str(header.get("schema")) not in known_revisions():
            raise IntegrityFailure("db.newer", "file", found=header.get("schema"))
        readable = True
        try:
            with self._ledger.read(checked=False) as s:
                here = s.execute(select(Office.code, Office.name)).first()
                existing = str(here[0]) if here else None
                accounts = s.execute(select(UserAccount.id).limit(1)).first() is not None
        except DatabaseDamaged:
            readable, existing, accounts, here = False, "?", False, None
        if readable and (accounts or existing is not None):
            self._ledger.require(ADMIN)
        if existing is not None and not force:
            raise Conflict("restore.not_empty", "db", office=existing)
        theirs = header.get("office")
        if here is not None and theirs and theirs != existing \
                and (other_office or "").strip() != str(theirs):
            named = " ".join(str(p) for p in (theirs, header.get("office_name")) if p)
            raise Conflict("restore.other_office", "file", theirs=named, code=theirs,
                           here=f"{existing} {here[1]}")
        # (lamport, last change sent) of the data being replaced, when it is this office's
        before = self._ledger.sync.state_now() if existing == header.get("office") else None
        restorer = self._ledger.actor
        damaged = self._ledger.damage is not None
        # the head of the trail being replaced: heads peers saw of it are not on the restored trail
        replaced = self._ledger.audit.head() if readable else None
        kept: Path | None = None
        now = self._ledger.now()
        stamp = now.strftime("%Y%m%d-%H%M%S")
        if existing is not None and self.dialect != "sqlite":  # the current data, kept encrypted
            kept = self.backup(path.with_name(f"{path.stem}.before-restore-{stamp}.sbk"), key_file).file
        with tempfile.TemporaryDirectory(prefix="shebao-restore-", dir=self._work_dir()) as tmp:
            dump = Path(tmp) / "dump"
            fmt.read_chain(path, key, dump, progress)
            if self.dialect == "sqlite":
                fmt.sqlite_check(dump)
                database = self._sqlite_path()
                self._ledger.close()
                if existing is not None:
                    kept = _keep_sqlite(database, now, damaged)
                fmt.sqlite_load(dump, database)
                if damaged:
                    health = check_sqlite(database)
                    if not health.ok:
                        raise IntegrityFailure("backup.checksum", "file")
            else:
                self._ledger.close()
                fmt.pg_load(dump, self._ledger.engine.url.render_as_string(hide_password=False))
        self._ledger.clear_damage()
        migrate(self._ledger.engine, clock=self._ledger.clock)
        self._ledger.sign_out()
        self._ledger.reset_guard()
        with self._ledger.write(checked=False) as s:
            audit.act_as(s, restorer)
            audit.record_event(self._ledger, s, "backup", "restored", {
                "file": path.name, "created": header.get("created"), "sha256": _digest(header),
                "restored_at": self._ledger.now().isoformat(timespec="seconds"),
                "restored_head": header.get("audit_head"),
                "replaced_head": {"seq": replaced[0], "hash": replaced[1]} if replaced else None})
        missing = self._ledger.sync.after_restore(*before) if before is not None else None
        return RestoreResult(path, header.get("office"), str(header.get("created")),
                             str(header.get("schema")), kept, missing)


def _keep_sqlite(database: Path, at: dt.datetime, damaged: bool) -> Path:
    """Keep the data a restore replaces: a copy through SQLite's backup API (damaged pages are
    copied as they are). A file SQLite cannot open as a database at all cannot be copied that way;
    it is renamed out of the way with its WAL (nothing opens it), its shared-memory file removed."""
    try:
        return backup_sqlite_file(database, "restore", at)
    except sqlite3.DatabaseError as exc:
        if not (damaged and is_corruption(exc)):
            raise
    stamp = at.strftime("%Y%m%d-%H%M%S")
    aside = database.with_name(f"{database.name}.damaged-{stamp}")
    database.with_name(f"{database.name}.before-restore-{stamp}.bak").unlink(missing_ok=True)
    os.replace(database, aside)
    wal = Path(f"{database}-wal")
    if wal.exists():
        os.replace(wal, Path(f"{aside}-wal"))
    Path(f"{database}-shm").unlink(missing_ok=True)
    return aside


def _digest(header: dict[str, Any]) -> str:
    """What a backup's content is checked against: a dump's SHA-256, an image's digest."""
    return str(header.get("plaintext_sha256") or header.get("image_digest"))


def _after_dump(progress: Progress | None) -> Progress | None:
    """Progress of writing and reading back, as the last two thirds (the dump was the first)."""
    if progress is None:
        return None
    return lambda done, total: progress(total + 2 * done, 3 * max(total, 1))
