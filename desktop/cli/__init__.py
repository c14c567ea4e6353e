"""The `shebao` command line: a stable public interface over the same services as the window.

Global options --db, --json, --lang and --key-passphrase-file may stand before or after the subcommand.
Exit codes: 0 done, 2 invalid input, 3 refused by a rule, 4 conflict or integrity, 5 not allowed,
1 anything else.

One module a command group registers its sub-parsers, each with its handler
(`set_defaults(handler=...)`, see desktop.cli.common.Handler); running a command is one lookup of
that handler. A command may also set `before` (a check before the database is opened),
`standalone` (it opens no ledger here, or its own), `recovery` (it may run on a damaged database),
`signs_in=False` and `checks_on_open=False`. Output, errors and exit codes: desktop.cli.output.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from desktop import __version__
from desktop.cli import (
    contrib,
    doctor,
    documents,
    exemption,
    flexible,
    history,
    insured,
    office,
    pension,
    recovery,
    reference,
    reports,
    resident,
    security,
    sync,
    token,
    transfer,
    worker,
)
from desktop.cli.common import Handler
from desktop.cli.output import Globals, human, protect_logs, report, split_globals
from desktop.cli.texts import parser_class, zh_en
from desktop.core.clock import Clock
from desktop.core.errors import DatabaseDamaged
from desktop.core.keystore.pkcs11 import close_all as close_tokens
from desktop.core.ledger import Ledger

__all__ = ["Globals", "build_parser", "human", "main", "run", "split_globals"]


def build_parser(lang: str = "zh") -> argparse.ArgumentParser:
    """The argument parser, its help in `lang` (global options are handled by split_globals)."""
    p = parser_class(lang)(prog="shebao", description=zh_en("社保经办桌面：社会保险经办的命令行",
                                                            "Shebao Desk: the social insurance office's command line"))
    p.add_argument("--db", help=zh_en("SQLite 数据库文件或 SQLAlchemy 地址（默认：环境变量 SHEBAO_DB 或用户数据目录）",
                                      "SQLite file or SQLAlchemy URL (default: SHEBAO_DB or the user data dir)"))
    p.add_argument("--json", action="store_true", help=zh_en("结果以一个 JSON 对象输出（供程序读取）",
                                                             "print the result as one JSON object (for programs)"))
    p.add_argument("--lang", choices=["zh", "en"], help=zh_en("提示、帮助和输出的语言：zh 中文（默认），en 英文",
                                                              "language of help, messages and output: zh Chinese "
                                                              "(default), en English"))
    p.add_argument("--key-passphrase-file", metavar="FILE",
                   help=zh_en("从此文件读取机构密钥口令（文件仅本人可读；也可用环境变量 SHEBAO_KEY_PASSPHRASE）",
                              "read the office key passphrase from this file (readable by you only; "
                              "or SHEBAO_KEY_PASSPHRASE)"))
    p.add_argument("--version", action="version", version=f"shebao {__version__}",
                   help=zh_en("显示程序版本并退出", "show the program's version and exit"))
    sub = p.add_subparsers(dest="command", required=True)
    # In this order in `shebao --help`.
    office.add_init_parsers(sub)         # init, demo
    reference.add_parsers(sub)           # wage, rate, limit, interest
    worker.add_parsers(sub)              # employer, worker
    contrib.add_parsers(sub)             # contrib
    worker.add_account_parser(sub)       # account
    office.add_office_parsers(sub)       # office
    office.add_key_parsers(sub)          # key (rotate, revoke: the names cli.md gives)
    documents.add_print_parsers(sub)     # print, verify
    transfer.add_parsers(sub)            # transfer
    history.add_parsers(sub)             # history
    insured.add_parsers(sub)             # insured
    reference.add_pooling_parsers(sub)   # pooling
    pension.add_parsers(sub)             # pension
    documents.add_document_parsers(sub)  # document
    exemption.add_parsers(sub)           # exemption, agreement
    reports.add_parsers(sub)             # report
    office.add_forms_parsers(sub)        # forms
    resident.add_parsers(sub)            # resident
    security.add_parsers(sub)            # user, audit, approvals, backup
    recovery.add_restore_parser(sub)     # restore
    sync.add_parsers(sub)                # sync
    recovery.add_check_parser(sub)       # check
    pension.add_retirement_parser(sub)   # retirement
    flexible.add_parsers(sub)            # flexible
    doctor.add_parsers(sub)              # doctor
    return p


def run(g: Globals, a: argparse.Namespace, clock: Clock | None = None) -> dict[str, Any]:
    """Run one command; returns the JSON result (human output is derived from it). Every date
    the command uses comes from `clock` (the wall clock when None)."""
    standalone = getattr(a, "standalone", None)
    a.output_lang = g.lang
    if g.key_passphrase_file is not None:
        office.give_passphrase_file(g.key_passphrase_file)
    if standalone is not None:
        result: dict[str, Any] = standalone(g.db, a, clock)
        return result
    before = getattr(a, "before", None)
    if before is not None:  # e.g. a damaged backup or an unacceptable first administrator
        before(a)
    handler: Handler | None = getattr(a, "handler", None)
    if handler is None:
        raise SystemExit(2)
    recovering = bool(getattr(a, "recovery", False))
    signs_in = getattr(a, "signs_in", True)  # `check` reads no records: anyone may run it
    # `check` runs its own check; a restore checks first, whatever CHECK_ON_OPEN says.
    check = (recovering or None) if getattr(a, "checks_on_open", True) else False
    new_file = _new_sqlite_file(g.db) if getattr(a, "creates", False) else None
    ledger = Ledger.open(g.db, clock=clock, check=check)
    try:
        if signs_in:
            try:
                security.sign_in(ledger, a)
            except DatabaseDamaged:
                if not recovering:
                    raise  # the accounts cannot be read: only a restore goes on (the backup key decides)
        return handler(ledger, a, g.lang)
    except BaseException:
        if new_file is not None:  # a failed `init` leaves no empty database behind
            ledger.close()
            for leftover in (new_file, Path(f"{new_file}-wal"), Path(f"{new_file}-shm"), Path(f"{new_file}-journal")):
                leftover.unlink(missing_ok=True)
        raise
    finally:
        ledger.close()


def _new_sqlite_file(target: str | None) -> Path | None:
    """The SQLite file a command would create (None: it exists already, or it is not SQLite)."""
    from desktop.core.store.engine import database_url

    url = make_url(database_url(target))
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    path = Path(url.database)
    return None if path.exists() else path


_PARSERS: dict[str, argparse.ArgumentParser] = {}


def _parser(lang: str) -> argparse.ArgumentParser:
    """The parser in lang, built once per process (building it takes a tenth of a second; parsing
    leaves it as it was)."""
    if lang not in _PARSERS:
        _PARSERS[lang] = build_parser(lang)
    return _PARSERS[lang]


def main(argv: Sequence[str] | None = None, clock: Clock | None = None) -> int:
    """Entry point of the `shebao` console script (`clock` pins the date for embedding and tests)."""
    g, rest = split_globals(sys.argv[1:] if argv is None else argv)
    protect_logs()
    parser = _parser(g.lang)
    try:
        args = parser.parse_args(rest)
    except SystemExit as exc:
        return int(exc.code or 0)
    token.install_pin_source()  # a signature on a USB key asks SHEBAO_TOKEN_PIN or the terminal
    try:
        return report(g, lambda: run(g, args, clock))
    finally:
        close_tokens()  # the token's session ends with the command: logged out, the PIN forgotten


if __name__ == "__main__":
    raise SystemExit(main())
