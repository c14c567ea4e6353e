"""`shebao init`, `shebao demo`, `shebao office identity|trust` and `shebao forms check`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from desktop.cli import security
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
    c = sub.add_parser("init", help="create the database and this office's identity")
    c.add_argument("--office", required=True)
    c.add_argument("--office-name", required=True)
    c.add_argument("--region", required=True)
    c.set_defaults(handler=_init, before=_before_init, creates=True)

    c = sub.add_parser("demo", help="create a demo office with people and contributions")
    c.add_argument("--people", type=int, default=200)
    c.add_argument("--months", type=int, default=36)
    c.set_defaults(standalone=_demo)


def add_office_parsers(sub: Any) -> None:
    """`office identity` and `office trust`."""
    grp = sub.add_parser("office", help="office identity").add_subparsers(dest="action", required=True)
    c = grp.add_parser("identity")
    c.add_argument("--out", required=True)
    c.set_defaults(handler=_identity)
    c = grp.add_parser("trust")
    c.add_argument("file")
    c.set_defaults(handler=_trust)


def add_forms_parsers(sub: Any) -> None:
    """`forms check`."""
    grp = sub.add_parser("forms", help="the printable forms").add_subparsers(dest="action", required=True)
    grp.add_parser("check").set_defaults(standalone=_forms_check)


def _before_init(a: argparse.Namespace) -> None:
    security.check_first_admin()  # an unacceptable first administrator is refused before anything is created


def _init(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    o = ledger.office.init(a.office, a.office_name, a.region)
    admin = security.first_admin(ledger)
    return {"office": {"code": o.code, "name": o.name, "region": o.region,
                       "region_name": o.region_name, "fingerprint": o.fingerprint},
            **({"admin": admin} if admin else {})}


def _demo(db: str | None, a: argparse.Namespace, clock: Clock | None) -> dict[str, Any]:
    from desktop.core.demo import build_demo

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
