"""Contributions: `shebao contrib record|import|correct|back-pay`."""

from __future__ import annotations

import argparse
from decimal import Decimal
from typing import Any

from desktop.cli import security
from desktop.cli.common import money
from desktop.core.ledger import Ledger


def add_parsers(sub: Any) -> None:
    """The `contrib` group."""
    grp = sub.add_parser("contrib", help="contributions").add_subparsers(dest="action", required=True)
    c = grp.add_parser("record")
    c.add_argument("--worker", required=True)
    c.add_argument("--employer", required=True)
    c.add_argument("--month", required=True)
    c.add_argument("--wage", required=True)
    c.add_argument("--schemes")
    c.add_argument("--arrears", action="store_true", help="declared but not paid")
    c.add_argument("--preview", action="store_true", help="compute only, write nothing")
    c.set_defaults(handler=_record)
    c = grp.add_parser("import")
    c.add_argument("file")
    c.set_defaults(handler=_import)
    c = grp.add_parser("correct", help="correct a recorded month's wage (needs a supervisor)")
    c.add_argument("--worker", required=True)
    c.add_argument("--employer", required=True)
    c.add_argument("--month", required=True)
    c.add_argument("--wage", required=True)
    c.add_argument("--reason", required=True)
    c.set_defaults(handler=_correct)
    c = grp.add_parser("back-pay", help="a lump-sum back payment (一次性补缴) of past months, in one go")
    c.add_argument("--worker", required=True)
    c.add_argument("--employer", required=True)
    c.add_argument("--from", dest="start", required=True, help="YYYY-MM")
    c.add_argument("--to", dest="end", required=True, help="YYYY-MM")
    c.add_argument("--wage", required=True)
    c.add_argument("--schemes", default="pension")
    c.set_defaults(handler=_back_pay)


def _lines(m: Any) -> list[dict[str, Any]]:
    return [{"scheme": ln.scheme, "employer": money(ln.employer), "employee": money(ln.employee),
             "individual_account": money(ln.individual_account),
             "pooling": money(ln.pooling), "exempt": ln.exempt or None} for ln in m.lines]


def _record(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    m = ledger.contributions.record(a.worker, a.employer, a.month, a.wage, a.schemes,
                                    arrears=a.arrears, preview=a.preview)
    return {"month": str(m.month), "wage": money(m.wage), "base": money(m.base),
            "floor": money(m.floor), "ceiling": money(m.ceiling), "kind": m.kind,
            "status": m.status, "recorded": not a.preview, "lines": _lines(m)}


def _import(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    imported = ledger.contributions.import_file(a.file)
    return {"rows": imported.rows, "recorded": imported.recorded, "already_recorded": imported.already_recorded,
            "lines": imported.lines, "months": list(imported.months)}


def _correct(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    if ledger.approvals.needed():
        p = ledger.approvals.request_correction(a.worker, a.employer, a.month, a.wage, a.reason)
        return security.pending_json(p, lang, month=a.month)
    m = ledger.contributions.correct(a.worker, a.employer, a.month, a.wage, a.reason)
    return {"month": str(m.month), "wage": money(m.wage), "base": money(m.base), "status": "corrected",
            "lines": _lines(m)}


def _amount(d: Any) -> str | None:
    return None if d is None else f"{d:.2f}"


def _back_pay(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    months = ledger.contributions.back_pay(a.worker, a.employer, a.start, a.end, a.wage, a.schemes)
    return {"months": len(months), "from": str(months[0].month), "to": str(months[-1].month),
            "kind": "lump_sum", "base": _amount(months[0].base),
            "individual_account": _amount(sum((ln.individual_account for m in months for ln in m.lines
                                               if ln.scheme == "pension"), start=Decimal(0)))}
