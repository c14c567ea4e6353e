"""`shebao doctor` and the window's 系统检查 page: is this installation fit to work, and if not,
what to do about each problem.

Each check gives a Finding: ok, a warning (works, but look at it) or a problem (something a clerk
will meet). Nothing here writes: the database is looked at through its own engine, never migrated
or created, so the doctor can run on a database this program cannot open.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop import __version__
from desktop.core.messages import render

OK, WARNING, PROBLEM = "ok", "warning", "problem"
# Below this much free space the daily backup (an unencrypted dump and its encrypted copy beside the
# database) cannot be written; below the soft figure, it soon cannot.
DISK_HARD = 200 * 1024 * 1024
DISK_SOFT = 1024 * 1024 * 1024
BACKUP_WARN_DAYS = 1
BACKUP_PROBLEM_DAYS = 7
# The clock may lag the newest audit entry by this much (two counters' clocks differ a little).
CLOCK_SLACK = dt.timedelta(minutes=10)
FIRST_YEAR = 2025  # a clock before the first release's year is certainly wrong

Printers = Callable[[], list[str] | None]
"""Lists the printers the window's toolkit sees (None: they could not be asked)."""


@dataclass(frozen=True)
class Finding:
    """One check's result; its detail and fix are message keys with their parameters."""

    check: str
    level: str
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    fix: str | None = None

    def detail(self, lang: str = "zh") -> str:
        """What was found, in the given language."""
        return render(self.key, lang, **self.params)

    def remedy(self, lang: str = "zh") -> str:
        """What to do about it ("" when nothing)."""
        return render(self.fix, lang, **self.params) if self.fix else ""

    def label(self, lang: str = "zh") -> str:
        """The check's name."""
        return render(f"doctor.check.{self.check}", lang)

    def to_json(self, lang: str = "zh") -> dict[str, Any]:
        """The finding as the command line's JSON."""
        return {"check": self.check, "name": self.label(lang), "level": self.level, "key": self.key,
                "detail": self.detail(lang), "fix": self.remedy(lang)}


def check_data() -> list[Finding]:
    """The data folders are there and every reference file in them reads."""
    from desktop.core import agreements, pension_rules, refdata, regions, transfer_rules, workdays
    from desktop.core.paths import DataMissing, forms_dir, resources_dir

    try:
        folder = resources_dir()
        forms = forms_dir()
    except DataMissing as missing:
        return [Finding("data", PROBLEM, missing.key, missing.params, "doctor.fix.reinstall")]
    found = [Finding("data", OK, "doctor.data.ok", {"resources": str(folder), "forms": str(forms)})]
    readers: Sequence[tuple[str, Callable[[], object]]] = (
        ("schemes.csv", refdata.schemes), ("regions.csv", lambda: regions.name_of("360100")),
        ("agreements.toml", agreements.shipped), ("transfer_rules.toml", transfer_rules.rules),
        ("pension.toml", pension_rules.params), ("workdays.csv", workdays.shipped_rows),
    )
    for name, read in readers:
        try:
            read()
        except Exception as exc:  # noqa: BLE001 - any failure to read a shipped file is this finding
            found.append(Finding("data", PROBLEM, "doctor.data.unreadable",
                                 {"file": name, "reason": str(exc)[:200]}, "doctor.fix.reinstall"))
    from desktop.core.services.documents import check_forms

    problems = check_forms()
    if problems:
        found.append(Finding("forms", PROBLEM, "doctor.forms.bad",
                             {"count": len(problems), "first": problems[0][:200]}, "doctor.fix.reinstall"))
    else:
        found.append(Finding("forms", OK, "doctor.forms.ok",
                             {"count": len(list(forms.glob("*.toml")))}))
    return found


def check_fonts() -> Finding:
    """A Chinese TrueType font that printing can embed."""
    from desktop.core.forms.fonts import FontMissing, cjk_font

    try:
        info = cjk_font()
    except FontMissing as missing:
        return Finding("fonts", PROBLEM, missing.key, missing.params, "doctor.fix.font")
    return Finding("fonts", OK, "doctor.fonts.ok", {"path": info.path})


def check_printers(printers: Printers | None) -> Finding:
    """The printers the window would offer (a PDF can always be saved)."""
    names = printers() if printers is not None else None
    if names is None:
        return Finding("printers", WARNING, "doctor.printers.unknown", {}, "doctor.fix.printers")
    if not names:
        return Finding("printers", WARNING, "doctor.printers.none", {}, "doctor.fix.printers")
    return Finding("printers", OK, "doctor.printers.ok", {"count": len(names), "names": "、".join(names[:5])})


def check_disk(folder: Path) -> Finding:
    """Free space where the database (and the dump a backup writes beside it) lives."""
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    free = shutil.disk_usage(probe).free
    mib = free // (1024 * 1024)
    if free < DISK_HARD:
        return Finding("disk", PROBLEM, "doctor.disk.low", {"mib": mib, "folder": str(folder)}, "doctor.fix.disk")
    if free < DISK_SOFT:
        return Finding("disk", WARNING, "doctor.disk.low", {"mib": mib, "folder": str(folder)}, "doctor.fix.disk")
    return Finding("disk", OK, "doctor.disk.ok", {"mib": mib, "folder": str(folder)})


def check_database(target: str | os.PathLike[str] | None, now: dt.datetime,
                   engine: Any = None) -> list[Finding]:
    """The database: there, undamaged, of this program's schema, with its keys, its backups and a
    clock that does not run behind it. `engine`: the open ledger's (the window's: a second engine
    on the same SQLite file would cost the process its locks when it closed)."""
    from desktop.core.store.engine import (
        SCHEMA_REVISION,
        current_revision,
        database_url,
        known_revisions,
        make_engine,
        sqlite_file,
        version_tuple,
    )
    from desktop.core.store.health import check_sqlite

    own = engine is None
    if own:
        engine = make_engine(database_url(target))
    try:
        path = sqlite_file(engine)
        where = str(path) if path is not None else engine.url.render_as_string(hide_password=True)
        found: list[Finding] = []
        if path is not None:
            found.append(check_disk(path.parent))
            if not path.exists():
                found.append(Finding("database", PROBLEM, "doctor.db.none", {"path": where}, "doctor.fix.init"))
                return found
            health = check_sqlite(path)
            if not health.ok:
                found.append(Finding("database", PROBLEM, "doctor.db.damaged",
                                     {"path": where, "reason": health.summary}, "doctor.fix.damaged"))
                return found
        try:
            revision = current_revision(engine)
        except Exception as exc:  # noqa: BLE001 - the server cannot be reached, or the file cannot be read
            found.append(Finding("database", PROBLEM, "doctor.db.unreadable",
                                 {"path": where, "reason": str(exc).splitlines()[0][:200]}, "doctor.fix.damaged"))
            return found
        found.append(Finding("database", OK, "doctor.db.ok", {"path": where}))
        if revision is None:
            found.append(Finding("schema", PROBLEM, "doctor.db.none", {"path": where}, "doctor.fix.init"))
            return found
        if revision == SCHEMA_REVISION:
            newest = _newest_program(engine)
            if newest is not None and version_tuple(newest) > version_tuple(__version__):
                found.append(Finding("schema", PROBLEM, "db.newer_program", {"found": newest, "ours": __version__},
                                     "doctor.fix.newer"))
                return found
            found.append(Finding("schema", OK, "doctor.schema.ok", {"revision": revision}))
        elif revision in known_revisions():
            found.append(Finding("schema", WARNING, "doctor.schema.older",
                                 {"revision": revision, "head": SCHEMA_REVISION}, "doctor.fix.older"))
            return found
        else:
            found.append(Finding("schema", PROBLEM, "doctor.schema.newer",
                                 {"revision": revision, "head": SCHEMA_REVISION}, "doctor.fix.newer"))
            return found
        found += _office_checks(engine, now)
        return found
    finally:
        if own:
            engine.dispose()


def _newest_program(engine: Any) -> str | None:
    """The newest program version that has opened the database."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from desktop.core.store.engine import version_tuple
    from desktop.core.store.models import ProgramRelease

    with Session(engine) as s:
        return max(s.scalars(select(ProgramRelease.version)), key=version_tuple, default=None)


def _office_checks(engine: Any, now: dt.datetime) -> list[Finding]:
    """The office's keys, its daily backups and the clock against the audit trail."""
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from desktop.core.services.backups import FOLDER_SETTING
    from desktop.core.store.models import AuditEntry, Office, OfficeSetting

    found: list[Finding] = []
    with Session(engine) as s:
        office = s.scalars(select(Office)).first()
        if office is None:
            return [Finding("keys", PROBLEM, "doctor.db.none", {"path": ""}, "doctor.fix.init")]
        found.append(key_finding(office))
        setting = s.get(OfficeSetting, FOLDER_SETTING)
        last_at = s.scalar(select(func.max(AuditEntry.at)))
        code, created = office.code, office.created_at.date()
    found.append(_backup_finding(setting.value if setting else None, code, now.date(), created))
    found.append(_clock_finding(now, last_at))
    return found


def key_finding(office: Any) -> Finding:
    """Where the office's private keys are: still in the database (a problem: `office keys move`),
    or in the key store, which holds both and opens with the passphrase in force (locked without
    one: a warning, nothing checked)."""
    from desktop.core import keystore
    from desktop.core.errors import ShebaoError
    from desktop.core.keys import key_id
    from desktop.core.messages import Bilingual

    if office.private_key or office.enc_private_key:
        return Finding("keys", PROBLEM, "doctor.keys.in_db", {"office": office.code}, "doctor.fix.keys_move")
    store = keystore.open_store()
    params = {"office": office.code, "folder": str(store.path)}
    wanted = [key_id(office.public_key)] + ([key_id(office.enc_public_key)] if office.enc_public_key else [])
    try:
        missing = [kid for kid in wanted if not store.has(kid)]
        if missing:
            raise keystore.KeyMissing(missing[0], store.path)
        if not store.unlocked() and keystore.passphrase_given() is None:
            return Finding("keys", WARNING, "doctor.keys.locked", params, "doctor.fix.keys_unlock")
        signing = store.signing_key(wanted[0])
        if signing.public_key().public_bytes(*_pem()) != office.public_key.encode():
            raise keystore.KeyDamaged(f"{wanted[0]}.key")
        for kid in wanted[1:]:
            store.decryption_key(kid)
    except ShebaoError as exc:
        problem = Bilingual(exc.message("zh"), exc.message("en"))
        return Finding("keys", PROBLEM, "doctor.keys.store_bad", {**params, "problem": problem},
                       "doctor.fix.keys_store")
    return Finding("keys", OK, "doctor.keys.store_ok", {**params, "backend": store.backend})


def _pem() -> tuple[Any, Any]:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return Encoding.PEM, PublicFormat.SubjectPublicKeyInfo


def _backup_finding(folder: str | None, office: str, today: dt.date, created: dt.date) -> Finding:
    """How old the newest daily backup in the remembered folder is (an office with none is a
    problem once it is older than a week)."""
    from desktop.core.services.backups import DAILY_RE

    if folder is None:
        level = PROBLEM if (today - created).days > BACKUP_PROBLEM_DAYS else WARNING
        return Finding("backup", level, "doctor.backup.never", {}, "doctor.fix.backup")
    days: list[dt.date] = []
    try:
        for entry in Path(folder).iterdir():
            m = DAILY_RE.match(entry.name)
            if m and m.group("office") == office:
                days.append(dt.date.fromisoformat(m.group("date")))
    except OSError:
        return Finding("backup", PROBLEM, "doctor.backup.folder", {"folder": folder}, "doctor.fix.backup")
    if not days:
        return Finding("backup", PROBLEM, "doctor.backup.none", {"folder": folder}, "doctor.fix.backup")
    newest = max(days)
    age = (today - newest).days
    params = {"folder": folder, "date": newest.isoformat(), "days": age}
    if age > BACKUP_PROBLEM_DAYS:
        return Finding("backup", PROBLEM, "doctor.backup.old", params, "doctor.fix.backup")
    if age > BACKUP_WARN_DAYS:
        return Finding("backup", WARNING, "doctor.backup.old", params, "doctor.fix.backup")
    return Finding("backup", OK, "doctor.backup.ok", params)


def _clock_finding(now: dt.datetime, last: dt.datetime | None) -> Finding:
    """The clock is not before the newest audit entry, nor before the program existed, and the
    holiday calendar knows this year (else due dates are estimates)."""
    from desktop.core.workdays import default_calendar

    params = {"now": now.isoformat(sep=" ", timespec="minutes"),
              "last": last.isoformat(sep=" ", timespec="minutes") if last else ""}
    if now.year < FIRST_YEAR or (last is not None and now < last - CLOCK_SLACK):
        return Finding("clock", PROBLEM, "doctor.clock.behind", params, "doctor.fix.clock")
    if not default_calendar().known(now.year):
        return Finding("clock", WARNING, "doctor.clock.calendar", {**params, "year": now.year},
                       "doctor.fix.calendar")
    return Finding("clock", OK, "doctor.clock.ok", params)


def examine(target: str | os.PathLike[str] | None, now: dt.datetime,
            printers: Printers | None | bool = None, engine: Any = None) -> list[Finding]:
    """Every check, in the order they are shown (`printers` False: that check left out)."""
    found = check_data()
    found.append(check_fonts())
    if printers is not False:
        found.append(check_printers(printers if callable(printers) else None))
    found += check_database(target, now, engine)
    return found


def worst(findings: Sequence[Finding]) -> str:
    """The worst level among the findings."""
    levels = {f.level for f in findings}
    return PROBLEM if PROBLEM in levels else WARNING if WARNING in levels else OK



def report_lines(checks: Sequence[dict[str, Any]], lang: str = "zh") -> list[str]:
    """Findings as JSON (Finding.to_json) turned into text for a terminal: one line each, the fix
    indented under a warning or a problem."""
    marks = {OK: "✓", WARNING: "!", PROBLEM: "✗"}
    sep = "：" if lang == "zh" else ": "
    lines = []
    for c in checks:
        lines.append(f"{marks[c['level']]} {c['name']}{sep}{render('doctor.level.' + c['level'], lang)}{sep}"
                     f"{c['detail']}")
        if c["fix"] and c["level"] != OK:
            lines.append("    " + render("doctor.fix", lang, fix=c["fix"]))
    return lines
