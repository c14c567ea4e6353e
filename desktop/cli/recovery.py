"""The command line's database check, restore and recovery: `shebao check [--full]`,
`shebao restore FILE`, `shebao restore --plan` and `shebao restore --recover` (part of the `shebao`
command line, desktop/cli/; no Qt here)."""

from __future__ import annotations

import argparse
from typing import Any

from desktop.cli import security
from desktop.cli.common import Verdict
from desktop.cli.texts import zh_en
from desktop.core.errors import DatabaseDamaged, InvalidInput
from desktop.core.ledger import Ledger
from desktop.core.messages import render
from desktop.core.privacy import mask_id
from desktop.core.services.recovery import (
    BackupFound,
    Lost,
    RecoveryPlan,
    RecoveryResult,
    SentAway,
    SyncFileToImport,
    kind_name,
)
from desktop.core.store.health import Health


def add_check_parser(sub: Any) -> None:
    """`shebao check`: it reads no records, so anyone may run it, and it runs its own check."""
    c = sub.add_parser("check", help=zh_en("检查数据库文件是否损坏（SQLite quick_check）；损坏时退出码为 4",
                                           "check the database file for damage (SQLite quick_check); exit 4 when "
                                           "damaged"))
    c.add_argument("--full", action="store_true", help=zh_en("完整检查（integrity_check：较慢，也检查索引）",
                                                             "the full check (integrity_check: slower, also indexes)"))
    c.set_defaults(handler=_check, recovery=True, signs_in=False, checks_on_open=False)


def add_restore_parser(sub: Any) -> None:
    """`shebao restore FILE` and its recovery options --plan / --recover / --from."""
    c = sub.add_parser("restore", help=zh_en("把备份恢复到本数据库（或从损坏中恢复：--plan、--recover）",
                                             "restore a backup into this database (or recover: --plan, --recover)"))
    c.add_argument("file", nargs="?", help=zh_en("备份文件（与 --plan、--recover 三选一）",
                                                 "the backup file (or --plan, or --recover)"))
    c.add_argument("--key", help=zh_en("备份密钥文件（默认：SHEBAO_BACKUP_KEY 或用户数据目录中的）",
                                       "key file (default SHEBAO_BACKUP_KEY or the user data folder)"))
    c.add_argument("--force", action="store_true", help=zh_en("覆盖已有机构的数据（先保留一份副本）",
                                                              "replace an office's data (a copy is kept)"))
    c.add_argument("--other-office", metavar="CODE",
                   help=zh_en("恢复另一经办机构的备份时再次确认：该机构的代码（本数据库将变成该机构的数据）",
                              "restoring another office's backup: its code, as a second confirmation "
                              "(this database becomes that office's)"))
    c.add_argument("--plan", action="store_true",
                   help=zh_en("显示恢复将从哪里恢复什么，以及会丢失什么",
                              "show what a recovery would restore from where, and what would be lost"))
    c.add_argument("--recover", action="store_true",
                   help=zh_en("恢复最新的备份，再导入此后收到的同步文件",
                              "restore the newest backup, then import the sync files received since"))
    c.add_argument("--from", dest="folders", action="append", default=[], metavar="FOLDER",
                   help=zh_en("也在此目录中查找备份和同步文件（可重复）",
                              "also look for backups and sync files here (may be repeated)"))
    c.set_defaults(handler=_restore, before=_before_restore, recovery=True)


def health_json(h: Health) -> dict[str, Any]:
    """A check's result as JSON: {"ok", "kind", "problems"}."""
    return {"ok": h.ok, "kind": h.kind, "problems": list(h.problems)}


def _masking(ledger: Ledger) -> bool:
    try:
        return ledger.guarded()
    except DatabaseDamaged:
        return True  # the accounts cannot be read: mask, as for an office that has them


def _backup_json(b: BackupFound | None) -> dict[str, Any] | None:
    if b is None:
        return None
    return {"file": str(b.file), "created": b.created, "office": b.office, "schema": b.schema,
            "size": b.size, "key_fingerprint": b.key_fingerprint}


def _file_json(f: SyncFileToImport) -> dict[str, Any]:
    return {"sender": f.sender, "received": f.received, "sha256": f.sha256, "changes": f.changes,
            "file": str(f.path) if f.path else None, "name": f.name, "found": f.path is not None}


def _kinds(kinds: tuple[tuple[str, int], ...], lang: str) -> list[dict[str, Any]]:
    return [{"kind": k, "name": kind_name(k, lang), "count": n} for k, n in kinds]


def _lost_json(lost: Lost, masked: bool, lang: str) -> dict[str, Any]:
    if not lost.known:
        return {"known": False, "reason": render("recovery.unknown", lang, reason=lost.reason),
                "total": None, "kinds": [], "people": [], "people_count": None}
    return {"known": True, "reason": None, "total": lost.total, "kinds": _kinds(lost.kinds, lang),
            "people": [{"id": mask_id(k) if masked else k, "name": n} for k, n in lost.people],
            "people_count": lost.people_count, "unnamed": lost.unnamed,
            "unreadable": render("recovery.unknown", lang, reason=lost.partly) if lost.partly else None}


def _sent_json(sent: SentAway | None, lang: str) -> dict[str, Any] | None:
    if sent is None:
        return None
    return {"first": sent.first, "last": sent.last, "changes": sent.count, "offices": list(sent.offices),
            "kinds": _kinds(sent.kinds, lang)}


def plan_json(p: RecoveryPlan, masked: bool, lang: str) -> dict[str, Any]:
    """A recovery plan as JSON."""
    return {
        "damaged": p.health is not None and not p.health.ok,
        "problems": list(p.health.problems) if p.health else [],
        "office": p.office,
        "searched": [str(f) for f in p.searched],
        "backup": _backup_json(p.backup),
        "older_backups": [_backup_json(b) for b in p.older],
        "key_file": str(p.key_file), "key_ok": p.key_ok,
        "sync_files": [_file_json(f) for f in p.sync_files],
        "import_records_readable": p.records_readable,
        "missing_files": len(p.missing_files),
        "lost": _lost_json(p.lost, masked, lang),
        "sent": _sent_json(p.sent, lang),
    }


def result_json(r: RecoveryResult, masked: bool, lang: str) -> dict[str, Any]:
    """What a recovery did, as JSON."""
    return {
        "restored": {"file": str(r.restored.file), "created": r.restored.created, "office": r.restored.office,
                     "kept": str(r.restored.kept) if r.restored.kept else None},
        "imported": [{**_file_json(i.file), "applied": i.applied,
                      "error": i.error.message(lang) if i.error else None} for i in r.imported],
        "not_imported": [_file_json(f) for f in r.plan.sync_files
                         if f.path is None or (r.not_signed_in and f.path is not None)],
        "not_signed_in": r.not_signed_in,
        "own_missing": {"first": r.own_missing[0], "last": r.own_missing[1]} if r.own_missing else None,
        "lost": _lost_json(r.plan.lost, masked, lang),
        "sent": _sent_json(r.plan.sent, lang),
    }


def _before_restore(a: argparse.Namespace) -> None:
    if bool(a.file) + a.plan + a.recover != 1:
        raise InvalidInput("restore.what", "file")
    if a.file:  # a damaged backup is refused before the target is even created
        security.check_backup(a.file, a.key)


def _check(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    h = ledger.check(full=a.full)
    result = health_json(h)
    if not h.ok:
        reason = DatabaseDamaged(h.summary).message(lang)
        raise Verdict({**result, "reason": "\n".join([reason, *h.problems])})
    return result


def _restore(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    if a.file:
        return security.restore_file(ledger, a)
    if a.plan:
        return plan_json(ledger.recovery.plan(a.folders, a.key), _masking(ledger), lang)
    done = ledger.recovery.recover(a.folders, a.key, force=a.force, other_office=a.other_office)
    return result_json(done, _masking(ledger), lang)
