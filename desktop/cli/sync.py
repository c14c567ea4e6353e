"""The `shebao sync` commands: export, import, outbox, status, conflicts and duplicate months."""

from __future__ import annotations

import argparse
from typing import Any

from desktop.cli.texts import zh_en
from desktop.core.ledger import Ledger


def add_parsers(sub: Any) -> None:
    """Add `shebao sync ...` to the command line."""
    grp = sub.add_parser("sync", help=zh_en("经办机构之间的离线数据交换", "offline exchange between offices")
                         ).add_subparsers(dest="action", required=True)
    c = grp.add_parser("export", help=zh_en("写出同步文件（不加 --to：给所有受信任的机构）",
                                            "write a sync file (without --to: for every trusted office)"))
    c.add_argument("--out", required=True, help=zh_en("同步文件保存到此", "write the sync file here"))
    c.add_argument("--to", help=zh_en("只给此经办机构（机构代码）", "only for this office (its code)"))
    c.add_argument("--full", action="store_true", help=zh_en("从头开始的全部变更（用于新机构）",
                                                             "every change from the start (seeds a new office)"))
    c.set_defaults(handler=_export)
    c = grp.add_parser("import", help=zh_en("校验同步文件并应用其中新的变更",
                                            "verify a sync file and apply what is new"))
    c.add_argument("file", help=zh_en("同步文件", "the sync file"))
    c.set_defaults(handler=_import)
    c = grp.add_parser("outbox", help=zh_en("写出到发送文件夹（供计划任务使用）",
                                            "export into the outbox folder (for a scheduled task)"))
    c.add_argument("--folder", help=zh_en("用此文件夹代替已保存的", "this folder instead of the saved one"))
    c.add_argument("--set", dest="set_folder", help=zh_en("保存发送文件夹（\"\" 清除）",
                                                          "save the outbox folder (\"\" clears it)"))
    c.set_defaults(handler=_outbox)
    grp.add_parser("status", help=zh_en("受信任的机构、最近的文件、缺少的变更",
                                        "trusted offices, last files, missing changes")).set_defaults(handler=_status)
    c = grp.add_parser("conflicts", help=zh_en("被其他机构的修改覆盖的修改",
                                               "edits that lost to another office's edit"))
    c.add_argument("--all", action="store_true", help=zh_en("也列出已复核的", "also those already reviewed"))
    c.set_defaults(handler=_conflicts)
    c = grp.add_parser("resolve", help=zh_en("复核一个冲突：保留胜出方或采用落选方",
                                             "review a conflict: keep the winner or take the loser"))
    c.add_argument("conflict", type=int, help=zh_en("冲突编号（见 sync conflicts）",
                                                    "the conflict's number (sync conflicts)"))
    c.add_argument("--take", required=True, choices=["winner", "loser"],
                   help=zh_en("采用哪一方：winner 胜出方（保持现状），loser 落选方",
                              "which side to keep: winner (as it is), loser (the other edit)"))
    c.set_defaults(handler=_resolve)
    c = grp.add_parser("duplicates", help=zh_en("在两地重复缴纳养老保险的月份",
                                                "months of pension paid in two regions"))
    c.add_argument("--worker", help=zh_en("只查此人（身份证号码等）", "only this person (ID number etc.)"))
    c.set_defaults(handler=_duplicates)


def _export_json(r: Any) -> dict[str, Any]:
    return {"file": r.file, "changes": r.changes, "segments": r.segments, "sha256": r.sha256,
            "to": list(r.to), "bytes": r.size}


def _conflict_json(c: Any) -> dict[str, Any]:
    return {"id": c.id, "table": c.table, "key": c.key, "winner": c.winner, "loser": c.loser,
            "differences": [{"field": f, "winner": w, "loser": x} for f, w, x in c.differences()],
            "detected_at": c.detected_at.isoformat(sep=" ", timespec="seconds"),
            "reviewed_by": c.reviewed_by, "resolution": c.resolution}


def _export(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    return _export_json(ledger.sync.export(a.out, to=a.to, full=a.full))


def _import(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    r = ledger.sync.import_file(a.file)
    return {"applied": r.applied, "already_applied": r.already_applied, "conflicts": r.conflicts,
            "held": r.held, "sender": r.sender, "sha256": r.sha256,
            "gaps": [{"origin": g.origin, "from": g.first_missing, "to": g.last_missing} for g in r.gaps]}


def _outbox(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    if a.set_folder is not None:
        return {"outbox": ledger.sync.set_outbox(a.set_folder)}
    return _export_json(ledger.sync.export_to_outbox(a.folder))


def _status(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    return {"offices": [{"code": p.code, "name": p.name, "applied_seq": p.applied_seq,
                         "last_import": (p.last_import.isoformat(sep=" ", timespec="seconds")
                                       if p.last_import else None),
                         "last_export": (p.last_export.isoformat(sep=" ", timespec="seconds")
                                       if p.last_export else None),
                         "can_receive": p.can_receive} for p in ledger.sync.peers()],
            "pending_changes": ledger.sync.pending_changes(),
            "gaps": [{"origin": g.origin, "from": g.first_missing, "to": g.last_missing}
                     for g in ledger.sync.gaps()],
            "open_conflicts": len(ledger.sync.conflicts()), "outbox": ledger.sync.outbox()}


def _conflicts(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    return {"conflicts": [_conflict_json(c) for c in ledger.sync.conflicts(include_reviewed=a.all)]}


def _resolve(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    return {"conflict": _conflict_json(ledger.sync.resolve(a.conflict, a.take))}


def _duplicates(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    return {"duplicates": [{"worker": k, "name": n, "month": f"{m // 100}-{m % 100:02d}", "regions": list(r)}
                           for k, n, m, r in ledger.sync.duplicate_months(a.worker)]}
