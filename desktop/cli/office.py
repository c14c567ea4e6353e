"""`shebao init`, `shebao demo`, `shebao office identity|trust|contact|keys` and `shebao forms check`."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from desktop.cli import security, token
from desktop.cli.texts import zh_en
from desktop.core import keystore
from desktop.core.clock import Clock
from desktop.core.errors import InvalidInput
from desktop.core.ledger import Ledger


class FormsInvalid(InvalidInput):
    """One or more form files cannot be used."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("forms.invalid", None, problems="\n".join(problems))


def add_init_parsers(sub: Any) -> None:
    """`init` and `demo`."""
    c = sub.add_parser("init", help=zh_en("建立数据库和本经办机构的身份（密钥对）；设置了 SHEBAO_USER 和 "
                                          "SHEBAO_PASSWORD 时"
                                          "同时建立第一个管理员",
                                          "create the database and this office's identity (key pair); with SHEBAO_USER "
                                          "and SHEBAO_PASSWORD set, also the first administrator"))
    c.add_argument("--office", required=True, help=zh_en("经办机构代码", "the office's code"))
    c.add_argument("--office-name", required=True, help=zh_en("经办机构名称", "the office's name"))
    c.add_argument("--region", required=True, help=zh_en("统筹地区：6位行政区划代码",
                                                         "the pooling region: a 6-digit region code"))
    c.set_defaults(handler=_init, before=_before_init, creates=True)

    c = sub.add_parser("demo", help=zh_en("建立一个演示用经办机构，含参保人员和缴费记录",
                                          "create a demo office with people and contributions"))
    c.add_argument("--people", type=int, default=200, help=zh_en("人数（默认 200）", "how many people (default 200)"))
    c.add_argument("--months", type=int, default=36, help=zh_en("缴费月数（默认 36）",
                                                                "how many months of contributions "
                                                                "(default 36)"))
    c.set_defaults(standalone=_demo)


def add_office_parsers(sub: Any) -> None:
    """`office identity`, `office trust` and `office contact`."""
    grp = sub.add_parser("office", help=zh_en("经办机构身份：导出本机构的公开身份，信任其他机构；本机构联系方式",
                                              "office identity: export this office's, trust another's; "
                                              "its contact details")
                         ).add_subparsers(dest="action", required=True)
    c = grp.add_parser("identity", help=zh_en("导出本机构的公开身份（代码、名称、公钥），交给其他机构",
                                              "export this office's public identity (code, name, public key) for "
                                              "other offices"))
    c.add_argument("--out", required=True, help=zh_en("保存到此文件（JSON）", "save it to this file (JSON)"))
    c.set_defaults(handler=_identity)
    c = grp.add_parser("trust", help=zh_en("信任另一个经办机构：接受其同步文件和文书",
                                           "trust another office: accept its sync files and documents"))
    c.add_argument("file", help=zh_en("对方导出的身份文件（JSON）", "the identity file it exported (JSON)"))
    c.set_defaults(handler=_trust)
    c = grp.add_parser("contact", help=zh_en("本机构的地址、电话、邮政编码和银行账户（印在文书抬头和联系函上）；"
                                             "不带选项时显示，带选项时修改（需管理员），空值清除",
                                             "this office's address, phone, postcode and bank account (printed "
                                             "in every document's heading and on contact letters); shown without "
                                             "options, changed with them (administrator), an empty value clears"))
    for option, field, zh, en in (
            ("--address", "address", "地址", "the address"),
            ("--phone", "phone", "联系电话：数字，区号后可用连字符，如 0791-86123456",
             "the phone: digits, a hyphen after the area code, e.g. 0791-86123456"),
            ("--postcode", "postcode", "邮政编码：6位数字", "the postcode: 6 digits"),
            ("--bank", "bank", "开户银行", "the bank"),
            ("--bank-account", "bank_account", "银行账号：数字", "the bank account number: digits"),
            ("--bank-account-name", "bank_account_name", "开户名称（空白时联系函印本机构名称）",
             "the account name (blank: the office's name on contact letters)")):
        c.add_argument(option, dest=field, default=None, help=zh_en(zh, en))
    c.set_defaults(handler=_contact)
    c = grp.add_parser("idle", help=zh_en("窗口无人操作多少分钟后自动退出登录（默认 15，0 表示从不）；"
                                          "不带参数时显示，带参数时修改（需管理员）",
                                          "minutes without input after which the window signs out (default 15, "
                                          "0: never); shown without a value, changed with one (administrator)"))
    c.add_argument("minutes", nargs="?", help=zh_en("分钟数，0 到 1440", "minutes, 0 to 1440"))
    c.set_defaults(handler=_idle)
    add_keys_parsers(grp)


def add_keys_parsers(grp: Any) -> None:
    """`office keys status|move|passphrase|token-init|token-status|rotate|revoke|history`."""
    keys = grp.add_parser("keys", help=zh_en("本机构的密钥：存放处（密钥库或 USB Key）、移出数据库、口令、"
                                                      "轮换、吊销、历史",
                                            "this office's keys: where they are kept (key store or USB key), "
                                            "moving them out of the database, passphrase, rotate, revoke, history")
                          ).add_subparsers(dest="keys_action", required=True)
    keys.add_parser("status", help=zh_en("密钥库的位置、保护方式、密钥编号、是否已解锁，数据库中是否仍有私钥",
                                         "the key store's folder, protection, key ids, whether it is unlocked, "
                                         "whether any private key is still in the database")
                    ).set_defaults(handler=_keys_status)
    keys.add_parser("move", help=zh_en("把仍在数据库中的私钥移入密钥库并清除数据库中的残留（需管理员和密钥口令）",
                                       "move private keys still in the database to the key store and scrub the "
                                       "database file (administrator, key passphrase)")
                    ).set_defaults(handler=_keys_move)
    c = keys.add_parser("passphrase", help=zh_en("更改密钥口令：用新口令重新加密每个密钥文件（需管理员）",
                                                 "change the key passphrase: every key file encrypted again "
                                                 "under the new one (administrator)"))
    c.add_argument("--old-file", help=zh_en("从此文件读取原口令（默认：--key-passphrase-file、SHEBAO_KEY_PASSPHRASE "
                                            "或在终端输入）",
                                            "read the old passphrase from this file (default: "
                                            "--key-passphrase-file, SHEBAO_KEY_PASSPHRASE or typed)"))
    c.add_argument("--new-file", help=zh_en("从此文件读取新口令（默认：SHEBAO_KEY_NEW_PASSPHRASE 或在终端输入两次），"
                                            "至少12个字符",
                                            "read the new passphrase from this file (default: "
                                            "SHEBAO_KEY_NEW_PASSPHRASE or typed twice); 12 characters or more"))
    c.set_defaults(handler=_keys_passphrase)
    token.add_token_parsers(keys)
    c = keys.add_parser("rotate", help=zh_en("轮换密钥（需管理员）：生成新的签名和加密密钥，由旧签名密钥签署公告；"
                                             "同步文件把公告带给信任本机构的机构，旧文书仍可核验",
                                             "rotate the keys (administrator): new signing and encryption keys, "
                                             "announced signed by the old signing key; sync files carry the "
                                             "announcement to trusting offices, old documents still verify"))
    c.set_defaults(handler=_keys_rotate)
    c = keys.add_parser("revoke", help=zh_en("吊销本机构的一个旧密钥（需管理员）：自指定时间起由它签署的文书核验为"
                                             "“以已吊销的密钥签署”；当前密钥须先轮换",
                                             "revoke one of this office's earlier keys (administrator): documents "
                                             "it signed from the given time verify as signed with a revoked key; "
                                             "rotate the current key first"))
    _revoke_arguments(c, "--from", "DATETIME")
    c.set_defaults(handler=_keys_revoke)
    c = keys.add_parser("history", help=zh_en("密钥历史：本机构（或指定机构）各密钥的启用、停用和吊销时间",
                                              "key history: when each key of this office (or the office "
                                              "given) was valid, retired and revoked"))
    c.add_argument("--office", default=None,
                   help=zh_en("经办机构代码（默认本机构；* 为全部已知机构）",
                              "an office code (default this office; * for every office known here)"))
    c.set_defaults(handler=_keys_history)


def add_key_parsers(sub: Any) -> None:
    """`shebao key rotate` and `shebao key revoke KEY_ID --on DATE`: the names of the public command
    line for `office keys rotate|revoke` (same work, same output)."""
    grp = sub.add_parser("key", help=zh_en("本机构密钥的轮换与吊销（同 office keys rotate|revoke）",
                                           "rotate and revoke this office's keys (as office keys rotate|revoke)")
                         ).add_subparsers(dest="key_action", required=True)
    grp.add_parser("rotate", help=zh_en("轮换密钥（需管理员），同 office keys rotate",
                                        "rotate the keys (administrator), as office keys rotate")
                   ).set_defaults(handler=_keys_rotate)
    c = grp.add_parser("revoke", help=zh_en("吊销本机构的一个旧密钥（需管理员），同 office keys revoke",
                                            "revoke one of this office's earlier keys (administrator), as "
                                            "office keys revoke"))
    _revoke_arguments(c, "--on", "DATE")
    c.set_defaults(handler=_keys_revoke)


def _revoke_arguments(c: Any, option: str, metavar: str) -> None:
    """KEY_ID, the moment it is revoked from (`--from` under office keys, `--on` under key) and the reason."""
    c.add_argument("key_id", metavar="KEY_ID", help=zh_en("密钥编号（16位十六进制，见 office keys history）",
                                                          "the key id (16 hex digits, see office keys history)"))
    c.add_argument(option, dest="since", required=True, metavar=metavar,
                   help=zh_en("吊销起始时间：YYYY-MM-DD 或 YYYY-MM-DD HH:MM（该日及以后的文书不可信）",
                              "revoked from: YYYY-MM-DD or YYYY-MM-DD HH:MM (documents dated that day or "
                              "later are not to be trusted)"))
    c.add_argument("--reason", default="", help=zh_en("吊销原因（随公告发出）",
                                                      "why it is revoked (sent with the announcement)"))


def add_forms_parsers(sub: Any) -> None:
    """`forms check`."""
    grp = sub.add_parser("forms", help=zh_en("可打印的表单",
                                             "the printable forms")).add_subparsers(dest="action", required=True)
    grp.add_parser("check", help=zh_en("检查表单文件能否使用", "check that the form files can be used")
                   ).set_defaults(standalone=_forms_check)


def _before_init(a: argparse.Namespace) -> None:
    # an unacceptable first administrator is refused before anything is created
    security.check_first_admin((a.office, a.office_name))
    new_store_passphrase()


def read_passphrase_file(path: str, field: str = "key_passphrase_file") -> str:
    """A passphrase kept in a file (its first line, without the line end)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise InvalidInput("keys.passphrase_file", field, file=path) from None
    return text.splitlines()[0] if text.strip() else ""


def give_passphrase_file(path: str) -> None:
    """The global option --key-passphrase-file: the key store's passphrase for this run."""
    keystore.give_passphrase(read_passphrase_file(path))


def _typed_twice(prompt: str) -> str:
    first = getpass.getpass(prompt)
    if getpass.getpass("再输入一次 again: ") != first:
        raise InvalidInput("keys.passphrase_differ", "new_key_passphrase")
    return first


def new_store_passphrase() -> None:
    """Before a command makes the office's first keys: a key store still to be set up needs a
    passphrase of 12 characters or more (given, or typed twice at a terminal)."""
    store = keystore.open_store()
    if store.exists() or store.backend != keystore.FILE_BACKEND:
        return
    given = keystore.passphrase_given()
    if given is None and sys.stdin.isatty():
        given = _typed_twice("新密钥口令 new key passphrase: ")
        keystore.give_passphrase(given)
    keystore.check_new_passphrase(given)


def _init(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    o = ledger.office.init(a.office, a.office_name, a.region)
    admin = security.first_admin(ledger)
    return {"office": {"code": o.code, "name": o.name, "region": o.region,
                       "region_name": o.region_name, "fingerprint": o.fingerprint},
            **({"admin": admin} if admin else {})}


def _demo(db: str | None, a: argparse.Namespace, clock: Clock | None) -> dict[str, Any]:
    from desktop.core.demo import build_demo

    new_store_passphrase()
    ledger = Ledger.open(db, clock=clock)
    security.sign_in(ledger, a)
    return build_demo(ledger, people=a.people, months=a.months)


def _forms_check(db: str | None, a: argparse.Namespace, clock: Clock | None) -> dict[str, Any]:
    from desktop.core.services.documents import check_forms

    problems = check_forms()
    if problems:
        raise FormsInvalid(problems)
    return {"forms": "ok"}


def _identity(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    identity = ledger.office.identity()
    Path(a.out).write_text(json.dumps(identity, ensure_ascii=False, indent=2), encoding="utf-8")
    return {"file": a.out, "code": identity["code"], "fingerprint": identity["fingerprint"]}


def _trust(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    try:
        data = json.loads(Path(a.file).read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        raise InvalidInput("identity.format", "file") from None
    o = ledger.office.trust(data if isinstance(data, dict) else {})
    return {"trusted": {"code": o.code, "name": o.name, "region": o.region, "fingerprint": o.fingerprint}}


def _idle(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    seconds = ledger.office.set_idle(a.minutes) if a.minutes is not None else ledger.office.idle_seconds()
    return {"idle_minutes": format((seconds / 60).quantize(Decimal("0.01")).normalize(), "f"),
            "idle_seconds": format(seconds.normalize(), "f")}


def _contact(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    from dataclasses import asdict

    from desktop.core.services.office import CONTACT_FIELDS

    given = {name: getattr(a, name) for name in CONTACT_FIELDS if getattr(a, name) is not None}
    contact = ledger.office.set_contact(**given) if given else ledger.office.contact()
    return {"contact": asdict(contact)}


def _keys_status(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    st = ledger.office.key_status()
    return {"key_store": {"folder": st.folder, "backend": st.backend, "unlocked": st.unlocked,
                          "signing_key": st.signing_key, "encryption_key": st.encryption_key,
                          "in_database": st.in_database,
                          "stored": [{"key_id": k.key_id, "purpose": k.purpose} for k in st.stored]}}


def _keys_move(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    done = ledger.office.move_out()
    if not done.moved and ledger.keys_moved_on_open is not None:  # moved as the database was opened
        done = ledger.keys_moved_on_open
    return {"key_store": {"folder": done.folder, "moved": list(done.moved), "scrubbed": done.scrubbed,
                          "rotated_to": done.rotated_to, "revoked": done.revoked}}


def _keys_passphrase(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    old = read_passphrase_file(a.old_file, "old_file") if a.old_file else keystore.passphrase_given()
    if old is None and sys.stdin.isatty():
        old = getpass.getpass("原密钥口令 old key passphrase: ")
    if old is None:
        raise keystore.KeysLocked
    new = read_passphrase_file(a.new_file, "new_file") if a.new_file else os.environ.get("SHEBAO_KEY_NEW_PASSPHRASE")
    if new is None and sys.stdin.isatty():
        new = _typed_twice("新密钥口令 new key passphrase: ")
    if new is None:
        raise InvalidInput("keys.new_missing", "new_key_passphrase")
    count = ledger.office.change_key_passphrase(old, new)
    return {"key_store": {"folder": str(keystore.open_store().path), "keys_reencrypted": count}}


def _moment(value: Any) -> str | None:
    return None if value is None else value.isoformat(sep=" ", timespec="seconds")


def _keys_rotate(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    r = ledger.keys.rotate()
    return {"rotated": {"previous": r.previous, "signing_key": r.signing, "encryption_key": r.encryption,
                        "valid_from": _moment(r.valid_from)}}


def _keys_revoke(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    r = ledger.keys.revoke(a.key_id, a.since, a.reason)
    return {"revoked": {"key_id": r.key_id, "revoked_at": _moment(r.revoked_at), "signed_by": r.signed_by}}


def _keys_history(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    return {"keys": [{"key_id": k.key_id, "office": k.office, "purpose": k.purpose,
                      "valid_from": _moment(k.valid_from), "retired_at": _moment(k.retired_at),
                      "revoked_at": _moment(k.revoked_at), "current": k.current}
                     for k in ledger.keys.history(a.office)]}
