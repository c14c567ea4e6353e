"""Issued documents: `shebao print`, `shebao verify` and `shebao document list|void`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop.cli import security
from desktop.cli.common import Verdict, clerk
from desktop.core.ledger import Ledger


def add_print_parsers(sub: Any) -> None:
    """`print` and `verify`."""
    c = sub.add_parser("print", help="print a document to PDF")
    c.add_argument("kind", choices=["statement", "transfer-certificate", "contact-letter",
                                    "information-table", "coverage-certificate", "scheme-switch-notice"])
    c.add_argument("id")
    c.add_argument("--out", required=True)
    c.set_defaults(handler=_print)

    c = sub.add_parser("verify", help="check a document's verification code offline")
    c.add_argument("code", help="the code, or a PDF file this application printed")
    c.set_defaults(handler=_verify)


def add_document_parsers(sub: Any) -> None:
    """`document list` and `document void`."""
    grp = sub.add_parser("document", help="the register of issued documents").add_subparsers(
        dest="action", required=True)
    c = grp.add_parser("list")
    c.add_argument("worker")
    c.set_defaults(handler=_list)
    c = grp.add_parser("void")
    c.add_argument("number")
    c.add_argument("--reason", required=True)
    c.set_defaults(handler=_void)


def _print(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    if a.kind == "statement":
        issued = ledger.documents.issue("statement", a.id, clerk())
    elif a.kind in ("transfer-certificate", "coverage-certificate", "scheme-switch-notice"):
        issued = ledger.documents.reprint(a.id)
    else:
        issued = ledger.documents.reprint(ledger.transfers.document_number(a.kind, a.id))
    Path(a.out).write_bytes(issued.pdf)
    return {"pdf": a.out, "pages": issued.pages, "verification_code": issued.code,
            "number": issued.number, "copy": issued.copy}


def _verify(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    v = ledger.documents.verify(a.code, lang)
    result = {"valid": v.valid, "kind": v.kind, "number": v.number, "issued_by": v.issued_by,
              "person": v.person, "name": v.name, "date": v.date, "void": v.void, "reason": v.reason}
    if not v.valid:
        raise Verdict(result)
    return result


def _list(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    return {"documents": [{"kind": d.kind, "number": d.number, "issued_on": d.issued_on.isoformat(),
                           "prints": d.prints, "void": d.voided}
                          for d in ledger.documents.list_for(a.worker)]}


def _void(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    if ledger.approvals.needed():
        p = ledger.approvals.request_void(a.number, a.reason)
        return security.pending_json(p, lang, number=a.number, void=False)
    ledger.documents.void(a.number, a.reason)
    return {"number": a.number, "void": True}
