"""The command line's accounts, approvals, audit and backup commands, and signing in.

Once the office has accounts every command runs as SHEBAO_USER with SHEBAO_PASSWORD (or the first
line of the file SHEBAO_PASSWORD_FILE, for scheduled tasks) and is audited under that account.
Part of the `shebao` command line (desktop/cli/); no Qt here either.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from desktop.cli.common import Verdict
from desktop.cli.texts import FROM_DATE, NAME, REASON, TO_DATE, zh_en
from desktop.core.errors import InvalidInput, NotAllowed
from desktop.core.ledger import Ledger
from desktop.core.privacy import mask_id, mask_phone
from desktop.core.security import ROLES, check_name, check_password
from desktop.core.services.approvals import PendingInfo
from desktop.core.services.users import AccountInfo

ROLE = zh_en("角色：clerk 经办员，supervisor 主管，admin 管理员", "role: clerk, supervisor, admin")


def add_parsers(sub: Any) -> None:
    """The `user`, `audit` and `approvals` groups and `backup`."""
    grp = sub.add_parser("user", help=zh_en("账号（管理员）", "accounts (administrators)")
                         ).add_subparsers(dest="action", required=True)
    c = grp.add_parser("add", help=zh_en("新建账号；初始密码取自 SHEBAO_NEW_PASSWORD 或当场输入",
                                         "a new account; first password from SHEBAO_NEW_PASSWORD or a prompt"))
    c.add_argument("name", help=NAME)
    c.add_argument("--role", required=True, choices=list(ROLES), help=ROLE)
    c.set_defaults(handler=_user_add)
    grp.add_parser("list", help=zh_en("全部账号", "every account")).set_defaults(handler=_user_list)
    for action, text in (("unlock", zh_en("解除因密码错误造成的锁定", "unlock an account locked by wrong passwords")),
                         ("disable", zh_en("停用账号", "disable an account")),
                         ("enable", zh_en("启用账号", "enable an account"))):
        c = grp.add_parser(action, help=text)
        c.add_argument("name", help=NAME)
        c.set_defaults(handler=_user_unlock if action == "unlock" else _user_active)
    c = grp.add_parser("role", help=zh_en("更改账号的角色", "change an account's role"))
    c.add_argument("name", help=NAME)
    c.add_argument("--role", required=True, choices=list(ROLES), help=ROLE)
    c.set_defaults(handler=_user_role)
    c = grp.add_parser("passwd", help=zh_en("修改自己的密码，或（管理员）重设他人的密码",
                                            "change your password, or (admin) reset another account's"))
    c.add_argument("name", nargs="?", help=zh_en("要重设密码的账号（不填：自己）",
                                                 "the account to reset (none: yours)"))
    c.set_defaults(handler=_user_passwd)

    grp = sub.add_parser("audit", help=zh_en("审计记录",
                                             "the audit trail")).add_subparsers(dest="action", required=True)
    c = grp.add_parser("verify", help=zh_en("校验审计记录的哈希链", "check the hash chain"))
    c.add_argument("--expect", help=zh_en("先前记下的 序号:哈希（如来自备份或打印件）",
                                          "SEQ:HASH noted earlier (e.g. from a backup or a printout)"))
    c.add_argument("--backups", metavar="DIR", help=zh_en(
        "核对这些备份（文件夹或备份文件）中记下的链头（默认：每日备份所在的文件夹）",
        "check the heads held in these backups (a folder or a file; default: the daily backup folder)"))
    c.add_argument("--key", help=zh_en("备份密钥文件（默认同 backup 命令）",
                                       "the backup key file (default as for backup)"))
    c.add_argument("--no-rows", action="store_true", help=zh_en(
        "只校验哈希链和链头，不逐行核对业务数据", "check the chain and the heads only, not every ledger row"))
    c.set_defaults(handler=_audit_verify)
    c = grp.add_parser("search", help=zh_en("查询审计记录（最新的在前）", "search the audit trail (newest first)"))
    c.add_argument("--person", help=zh_en("参保人：身份证号码等", "the person: ID number etc."))
    c.add_argument("--clerk", help=zh_en("操作账号", "the account that acted"))
    c.add_argument("--from", dest="start", help=FROM_DATE)
    c.add_argument("--to", dest="end", help=TO_DATE)
    c.add_argument("--table", help=zh_en("数据表名（如 workers）", "the table's name (e.g. workers)"))
    c.add_argument("--limit", type=int, default=200, help=zh_en("最多列出几条（默认 200）",
                                                                "at most this many (default 200)"))
    c.add_argument("--reveal", action="store_true", help=zh_en("显示完整的身份证号码（不遮蔽）",
                                                               "show ID numbers unmasked"))
    c.set_defaults(handler=_audit_search)
    c = grp.add_parser("views", help=zh_en("谁查阅、打印或导出了参保人的记录（最新的在前；主管、管理员）",
                                           "who viewed, printed or exported a person's record (newest first; "
                                           "supervisors, administrators)"))
    c.add_argument("--person", help=zh_en("参保人：身份证号码等", "the person: ID number etc."))
    c.add_argument("--clerk", help=zh_en("查阅的账号", "the account that looked"))
    c.add_argument("--from", dest="start", help=FROM_DATE)
    c.add_argument("--to", dest="end", help=TO_DATE)
    c.add_argument("--limit", type=int, default=200, help=zh_en("最多列出几条（默认 200）",
                                                                "at most this many (default 200)"))
    c.add_argument("--reveal", action="store_true", help=zh_en("显示完整的身份证号码（不遮蔽）",
                                                               "show ID numbers unmasked"))
    c.set_defaults(handler=_audit_views)

    grp = sub.add_parser("approvals", help=zh_en("等待主管审批的申请",
                                                 "requests waiting for a supervisor")).add_subparsers(
        dest="action", required=True)
    c = grp.add_parser("list", help=zh_en("待审批的申请", "pending requests"))
    c.add_argument("--all", action="store_true", help=zh_en("也列出已处理的", "decided requests too"))
    c.set_defaults(handler=_approvals_list)
    c = grp.add_parser("approve", help=zh_en("批准一项申请并执行", "approve a request and carry it out"))
    c.add_argument("id", type=int, help=zh_en("申请编号", "the request's number"))
    c.add_argument("--out", help=zh_en("出具的证明 PDF 保存到此文件", "where to save an issued certificate's PDF"))
    c.set_defaults(handler=_approve)
    c = grp.add_parser("refuse", help=zh_en("拒绝一项申请", "refuse a request"))
    c.add_argument("id", type=int, help=zh_en("申请编号", "the request's number"))
    c.add_argument("--reason", required=True, help=REASON)
    c.set_defaults(handler=_refuse)

    c = sub.add_parser("backup", help=zh_en("本机构数据库的加密、经校验的备份",
                                            "an encrypted, verified backup of the office database"))
    where = c.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", help=c.text(zh_en("备份保存到此文件", "write the backup to this file")))
    where.add_argument("--daily", metavar="DIR", help=c.text(zh_en("在目录 DIR 中写出今天的备份，轮换较早的",
                                                                   "today's file in DIR, older ones rotated")))
    c.add_argument("--keep", type=int, default=14, help=zh_en("--daily：保留份数（默认 14）",
                                                              "--daily: how many files to keep (default 14)"))
    c.add_argument("--full-every", type=int, default=7, metavar="N",
                   help=zh_en("--daily：每 N 份做一次完整备份，其间只写改动的页（默认 7）",
                              "--daily: a full backup every N, only the changed pages in between (default 7)"))
    c.add_argument("--key", help=zh_en("备份密钥文件（默认：SHEBAO_BACKUP_KEY 或用户数据目录中的）",
                                       "key file (default SHEBAO_BACKUP_KEY or the user data folder)"))
    c.set_defaults(handler=_backup)


def _password_from_env() -> str | None:
    password = os.environ.get("SHEBAO_PASSWORD")
    path = os.environ.get("SHEBAO_PASSWORD_FILE")
    if password is None and path:
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except OSError:
            raise NotAllowed("auth.cli") from None
        password = lines[0] if lines else ""
    return password


def sign_in(ledger: Ledger, a: argparse.Namespace) -> None:
    """Sign in from SHEBAO_USER / SHEBAO_PASSWORD when the office has accounts (exit 5 if not)."""
    if not ledger.users.has_accounts():
        return
    name = os.environ.get("SHEBAO_USER", "").strip()
    password = _password_from_env()
    if not name or password is None:
        raise NotAllowed("auth.cli")
    account = ledger.sign_in(name, password)
    if account.must_change and not (a.command == "user" and a.action == "passwd" and not a.name):
        raise NotAllowed("password.must_change")


def check_backup(file: str, key_file: str | None) -> None:
    """Decrypt and check a whole backup file, with the backups it is built on; refused with the
    reason (exit 4) when damaged or when one is missing."""
    from desktop.core import backup as fmt

    key = fmt.load_key(Path(key_file) if key_file else fmt.default_key_path())
    fmt.read_chain(Path(file), key, None)


def first_admin(ledger: Ledger) -> dict[str, Any] | None:
    """After `init`: the first administrator from SHEBAO_USER / SHEBAO_PASSWORD, when both are set."""
    name = os.environ.get("SHEBAO_USER", "").strip()
    password = _password_from_env()
    if not name or not password or ledger.users.has_accounts():
        return None
    return user_json(ledger.users.create_first_admin(name, password))


def check_first_admin(office: tuple[str, ...] = ()) -> None:
    """Before `init` writes anything: the administrator's name and password are acceptable (the
    password not containing the office's code or name either)."""
    name = os.environ.get("SHEBAO_USER", "").strip()
    password = _password_from_env()
    if name and password:
        check_password(password, check_name(name), tuple(w for w in office if w))


def new_password(name: str) -> str:
    """A new password from SHEBAO_NEW_PASSWORD, else typed twice at a terminal."""
    given = os.environ.get("SHEBAO_NEW_PASSWORD")
    if given is not None:
        return given
    if not sys.stdin.isatty():
        raise InvalidInput("password.missing", "password")
    first = getpass.getpass(f"{name} 新密码 new password: ")
    if getpass.getpass("再输入一次 again: ") != first:
        raise InvalidInput("password.mismatch", "password")
    return first


def user_json(u: AccountInfo) -> dict[str, Any]:
    """An account as JSON."""
    return {"name": u.name, "role": u.role, "active": u.active, "must_change": u.must_change,
            "locked_until": u.locked_until.isoformat(timespec="seconds") if u.locked_until else None,
            "last_sign_in": u.last_sign_in.isoformat(timespec="seconds") if u.last_sign_in else None}


def request_json(p: PendingInfo, lang: str) -> dict[str, Any]:
    """A request for approval as JSON (the person's number masked)."""
    return {"id": p.id, "kind": p.kind, "status": p.status, "summary": p.describe(lang),
            "requested_by": p.requested_by, "requested_at": p.requested_at.isoformat(timespec="seconds"),
            "counter": p.counter, "decided_by": p.decided_by,
            "decided_at": p.decided_at.isoformat(timespec="seconds") if p.decided_at else None,
            "note": p.decision_note, "result": p.result}


def pending_json(p: PendingInfo, lang: str, **extra: Any) -> dict[str, Any]:
    """What a clerk's command returns when it filed a request instead of acting."""
    from desktop.core.messages import render

    return {**extra, "status": "pending", "approval": p.id,
            "message": render("approval.filed", lang, id=p.id), "request": request_json(p, lang)}


def masked_worker(w: dict[str, Any]) -> dict[str, Any]:
    """A person in a list with their numbers and phone masked."""
    return {**w, "id_number": mask_id(w["id_number"]) or None, "ssn": mask_id(w["ssn"]),
            "passport": mask_id(w["passport"]) or None, "phone": mask_phone(w["phone"]) or None}


def _user_add(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    return {"user": user_json(ledger.users.add(a.name, a.role, new_password(a.name)))}


def _user_list(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    return {"users": [user_json(u) for u in ledger.users.list()]}


def _user_passwd(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    users = ledger.users
    if a.name:
        return {"user": user_json(users.reset_password(a.name, new_password(a.name)))}
    actor = ledger.actor
    if actor is None:
        raise NotAllowed("auth.cli")
    current = _password_from_env() or ""
    return {"user": user_json(users.change_password(current, new_password(actor.name)))}


def _user_role(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    return {"user": user_json(ledger.users.set_role(a.name, a.role))}


def _user_unlock(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    return {"user": user_json(ledger.users.unlock(a.name))}


def _user_active(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    return {"user": user_json(ledger.users.set_active(a.name, a.action == "enable"))}


def _audit_verify(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    anchor = None
    if a.expect:
        seq, _, digest = a.expect.partition(":")
        if not seq.strip().isdigit() or len(digest.strip()) != 64:
            raise InvalidInput("audit.anchor_format", "anchor")
        anchor = (int(seq), digest.strip().lower())
    v = ledger.audit.verify(anchor, a.backups, a.key, rows=not a.no_rows)
    result = {"valid": v.valid, "entries": v.entries, "first_bad": v.first_bad,
              "reason": v.message(lang), "head": {"seq": v.head_seq, "hash": v.head_hash},
              "rows_checked": v.rows, "rows_not_provable": v.not_provable,
              "rows_differing": v.row_problem_count,
              "row_problems": [{"table": p.table, "row": p.row, "field": p.field, "problem": p.message(lang)}
                               for p in v.row_problems],
              "heads_checked": v.heads, "backups_checked": list(v.backups),
              "backups_unchecked": list(v.backups_unchecked),
              "peers_gone_back": [{"office": o, "seq_before": b, "seq_after": a} for o, b, a in v.peers_gone_back]}
    if not v.valid:
        raise Verdict(result, v.message(lang))
    return result


def _audit_search(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    items = ledger.audit.search(a.person, a.clerk, a.start, a.end, a.table, a.limit, a.reveal)
    return {"entries": [{"seq": e.seq, "at": e.at.isoformat(sep=" ", timespec="seconds"),
                         "actor": e.actor, "role": e.role, "counter": e.counter,
                         "action": e.action, "table": e.table, "row_id": e.row_id,
                         "before": e.before, "after": e.after, "note": e.note} for e in items]}


def _audit_views(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    items = ledger.views.search(a.person, a.clerk, a.start, a.end, a.limit, a.reveal)
    return {"views": [{"at": v.at.isoformat(sep=" ", timespec="seconds"), "actor": v.actor, "role": v.role,
                       "counter": v.counter, "person": v.person, "name": v.name, "what": v.what,
                       "detail": v.detail} for v in items]}


def _approvals_list(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    return {"requests": [request_json(p, lang) for p in ledger.approvals.list(None if a.all else "pending")]}


def _refuse(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    return {"request": request_json(ledger.approvals.refuse(a.id, a.reason), lang)}


def _approve(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    with ledger.writing_file(a.out) as f:  # an approved document is registered with its file
        done = ledger.approvals.approve(a.id)
        out: dict[str, Any] = {"request": request_json(done.request, lang), "pdf": None}
        pdf = getattr(done.result, "pdf", None)
        if isinstance(pdf, bytes):
            out["pdf"] = str(f.write(pdf, None if a.out else Path(f"{done.result.number}.pdf")))
    return out


def _backup(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    r = (ledger.backups.daily(a.daily, a.keep, a.key, full_every=a.full_every) if a.daily
         else ledger.backups.backup(a.out, a.key))
    return {"file": str(r.file), "size": r.size, "sha256": r.sha256, "verified": True,
            "kind": r.kind, "built_on": r.parent,
            "key_file": str(r.key_file), "key_fingerprint": r.key_fingerprint,
            "key_created": r.key_created, "removed": [str(p) for p in r.removed]}


def restore_file(ledger: Ledger, a: argparse.Namespace) -> dict[str, Any]:
    """`restore FILE`: a backup restored into this database."""
    rr = ledger.backups.restore(a.file, a.key, a.force, other_office=a.other_office)
    return {"restored": str(rr.file), "office": rr.office, "created": rr.created,
            "schema": rr.schema, "kept": str(rr.kept) if rr.kept else None}
