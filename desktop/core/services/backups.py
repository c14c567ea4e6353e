"""Backups of the office database: consistent, encrypted, verified; daily with rotation; restore.

SQLite: the online backup API copies the live database (WAL included) while counters keep working.
PostgreSQL: pg_dump's custom format (a consistent snapshot), restored with pg_restore. Either way the
dump is encrypted into the backup file (desktop/core/backup.py), read back and checked before the
file gets its final name. A restore checks the file completely before it touches the database.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from desktop.core import audit
from desktop.core import backup as fmt
from desktop.core.errors import Conflict, IntegrityFailure, InvalidInput
from desktop.core.security import ADMIN
from desktop.core.store.engine import SCHEMA_REVISION, backup_sqlite_file, known_revisions, migrate
from desktop.core.store.models import Office, UserAccount

if TYPE_CHECKING:
    from desktop.core.ledger import Ledger

DAILY_RE = re.compile(r"^shebao-(?P<office>[A-Za-z0-9]+)-(?P<date>\d{4}-\d{2}-\d{2})\.sbk$")


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


@dataclass(frozen=True)
class RestoreResult:
    """What a restore brought back."""

    file: Path
    office: str | None
    created: str
    schema: str
    kept: Path | None  # the copy of the database kept before it was replaced (--force)


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
               progress: fmt.Progress | None = None) -> BackupResult:
        """Write an encrypted, verified backup to out (the key file is made on first use)."""
        self._ledger.require(ADMIN)
        target = Path(out)
        if target.is_dir():
            raise InvalidInput("backup.is_dir", "out", path=str(target))
        key_path = Path(key_file) if key_file else fmt.default_key_path()
        key, created = fmt.load_or_create_key(key_path)
        with self._ledger.read() as s:
            office = s.scalars(select(Office.code)).first()
        head = self._ledger.audit.head()
        meta = {"dialect": self.dialect, "office": office, "schema": SCHEMA_REVISION,
                "created": self._ledger.now().isoformat(timespec="seconds"),
                "audit_head": {"seq": head[0], "hash": head[1]}, "program": "shebao-desk"}
        target.parent.mkdir(parents=True, exist_ok=True)
        # The unencrypted dump stays beside the database (never on the backup medium).
        with tempfile.TemporaryDirectory(prefix="shebao-backup-", dir=self._work_dir()) as tmp:
            dump = Path(tmp) / "dump"
            if self.dialect == "sqlite":
                fmt.sqlite_dump(self._sqlite_path(), dump, progress)
            else:
                fmt.pg_dump(str(self._ledger.engine.url.render_as_string(hide_password=False)), dump)
            header = fmt.encrypt_file(dump, target, key, meta, progress)
        return BackupResult(target, target.stat().st_size, str(header["plaintext_sha256"]), key_path,
                            fmt.fingerprint(key), created)

    def daily(self, folder: str | Path, keep: int = 14, key_file: str | Path | None = None,
              progress: fmt.Progress | None = None) -> BackupResult:
        """Today's backup `shebao-OFFICE-YYYY-MM-DD.sbk` in folder; only the newest `keep` are kept.

        For the Windows task scheduler or cron; running it twice a day replaces that day's file.
        """
        if keep < 1:
            raise InvalidInput("backup.keep", "keep")
        self._ledger.require(ADMIN)
        with self._ledger.read() as s:
            office = s.scalars(select(Office.code)).first() or "office"
        base = Path(folder)
        base.mkdir(parents=True, exist_ok=True)
        name = f"shebao-{office}-{self._ledger.today().isoformat()}.sbk"
        result = self.backup(base / name, key_file, progress)
        ours = sorted((p for p in base.iterdir()
                       if (m := DAILY_RE.match(p.name)) and m.group("office") == office),
                      key=lambda p: p.name, reverse=True)
        removed = []
        for old in ours[keep:]:
            old.unlink()
            removed.append(old)
        return BackupResult(result.file, result.size, result.sha256, result.key_file,
                            result.key_fingerprint, result.key_created, tuple(removed))

    def inspect(self, file: str | Path) -> dict[str, Any]:
        """A backup's header (no key needed): when, which office, schema, key fingerprint."""
        return fmt.read_header(Path(file))[0]

    def check(self, file: str | Path, key_file: str | Path | None = None,
              progress: fmt.Progress | None = None) -> dict[str, Any]:
        """Decrypt and check a backup completely without restoring it."""
        key = fmt.load_key(Path(key_file) if key_file else fmt.default_key_path())
        return fmt.decrypt_file(Path(file), key, None, progress)

    def restore(self, file: str | Path, key_file: str | Path | None = None, force: bool = False,
                progress: fmt.Progress | None = None) -> RestoreResult:
        """Replace this database by a backup, after checking the whole file.

        Into a fresh install (no office yet) anyone may restore; over an office's data only an
        administrator with force=True, and the current data is kept first (SQLite: a copy beside
        the file, like before a migration; PostgreSQL: an encrypted backup beside the restored one).
        Afterwards nobody is signed in: the restored accounts apply.
        """
        path = Path(file)
        key = fmt.load_key(Path(key_file) if key_file else fmt.default_key_path())
        header = fmt.read_header(path)[0]
        if header.get("dialect") != self.dialect:
            raise Conflict("backup.dialect", "file", found=header.get("dialect"), here=self.dialect)
        if str(header.get("schema")) not in known_revisions():
            raise IntegrityFailure("db.newer", "file", found=header.get("schema"))
        with self._ledger.read(checked=False) as s:
            existing = s.scalars(select(Office.code)).first()
            accounts = s.execute(select(UserAccount.id).limit(1)).first() is not None
        if accounts or existing is not None:
            self._ledger.require(ADMIN)
        if existing is not None and not force:
            raise Conflict("restore.not_empty", "db", office=existing)
        restorer = self._ledger.actor
        kept: Path | None = None
        stamp = self._ledger.now().strftime("%Y%m%d-%H%M%S")
        if existing is not None and self.dialect != "sqlite":  # the current data, kept encrypted
            kept = self.backup(path.with_name(f"{path.stem}.before-restore-{stamp}.sbk"), key_file).file
        with tempfile.TemporaryDirectory(prefix="shebao-restore-", dir=self._work_dir()) as tmp:
            dump = Path(tmp) / "dump"
            with dump.open("wb") as sink:
                fmt.decrypt_file(path, key, sink, progress)
            if self.dialect == "sqlite":
                fmt.sqlite_check(dump)
                database = self._sqlite_path()
                self._ledger.close()
                if existing is not None:
                    kept = backup_sqlite_file(database, "restore", self._ledger.now())
                fmt.sqlite_load(dump, database)
            else:
                self._ledger.close()
                fmt.pg_load(dump, self._ledger.engine.url.render_as_string(hide_password=False))
        migrate(self._ledger.engine, clock=self._ledger.clock)
        self._ledger.sign_out()
        self._ledger.reset_guard()
        with self._ledger.write(checked=False) as s:
            audit.act_as(s, restorer)
            audit.record_event(self._ledger, s, "backup", "restored", {
                "file": path.name, "created": header.get("created"), "sha256": header.get("plaintext_sha256"),
                "restored_at": self._ledger.now().isoformat(timespec="seconds")})
        return RestoreResult(path, header.get("office"), str(header.get("created")),
                             str(header.get("schema")), kept)
