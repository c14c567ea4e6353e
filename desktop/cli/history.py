"""A person's whole pension record and its opening entries: `shebao history add|remove|show|document`."""

from __future__ import annotations

import argparse
from typing import Any

from desktop.core.ledger import Ledger
from desktop.core.services.record import DOCUMENT_KINDS


def add_parsers(sub: Any) -> None:
    """The `history` group."""
    h = sub.add_parser("history", help="a person's whole pension record and its opening entries (建账前历史)"
                       ).add_subparsers(dest="action", required=True)
    c = h.add_parser("add", help="supervisor: deemed years or months before 1998 from the old paper file")
    c.add_argument("--worker", required=True)
    c.add_argument("--kind", required=True, choices=("deemed", "pre1998"))
    c.add_argument("--region", required=True, help="where the person worked then")
    c.add_argument("--from", dest="start", required=True, help="YYYY-MM")
    c.add_argument("--to", dest="end", required=True, help="YYYY-MM")
    c.add_argument("--base", help="pre1998: the average monthly base of those months")
    c.add_argument("--balance", help="pre1998: the individual account balance at 1997-12-31")
    c.add_argument("--document", help="the document the entry comes from (required)")
    c.set_defaults(handler=_add)
    c = h.add_parser("remove", help="supervisor: take back an opening entry entered by mistake")
    c.add_argument("--worker", required=True)
    c.add_argument("--id", required=True, type=int, help="the entry's id (history show)")
    c.add_argument("--reason", required=True)
    c.set_defaults(handler=_remove)
    c = h.add_parser("show", help="the record by place: periods, opening entries, held-back months, money")
    c.add_argument("--worker", required=True)
    c.add_argument("--region", help="the pooling unit to read (default: where the person is insured)")
    c.set_defaults(handler=_show)
    c = h.add_parser("document", help="supervisor: the document behind a lump-sum back payment (人社厅发〔2019〕94号)")
    c.add_argument("--worker", required=True)
    c.add_argument("--paid-on", required=True, help="the day the back payment was recorded")
    c.add_argument("--kind", required=True, choices=sorted(DOCUMENT_KINDS))
    c.add_argument("--issuer", required=True)
    c.add_argument("--number", required=True)
    c.add_argument("--issued-on", required=True, help="must be before the payment")
    c.set_defaults(handler=_document)


def _money(d: Any) -> str | None:
    return None if d is None else f"{d:.2f}"


def _add(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    e = ledger.records.add_opening(a.worker, a.kind, a.region, a.start, a.end, a.document or "",
                                   base=a.base, balance=a.balance)
    return {"id": e.id, "kind": e.kind, "region": e.region, "from": str(e.first), "to": str(e.last),
            "months": e.months, "base": _money(e.base), "balance": _money(e.balance), "document": e.document}


def _remove(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    ledger.records.remove_opening(a.worker, a.id, a.reason)
    return {"id": a.id, "removed": True}


def _document(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    ledger.records.add_back_payment_document(a.worker, a.paid_on, a.kind, a.issuer, a.number, a.issued_on)
    return {"worker": a.worker, "paid_on": a.paid_on, "kind": a.kind, "number": a.number}


def _show(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    return ledger.records.view(a.worker, a.region).as_json()
