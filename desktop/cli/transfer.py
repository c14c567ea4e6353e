"""Pension transfers between offices: `shebao transfer ...` (certificate, plan, request, seal, gather,
temporary, settle, receive, show, list, enter-letter, enter-table, leave)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from desktop.cli.common import clerk
from desktop.core.errors import InvalidInput
from desktop.core.ledger import Ledger
from desktop.core.services.transfers import LETTER_FIELDS, STATUSES, CaseInfo, TemporaryView


def add_parsers(sub: Any) -> None:
    """The `transfer` group."""
    transfer = sub.add_parser("transfer", help="pension transfers").add_subparsers(dest="action", required=True)
    c = transfer.add_parser("certificate", help="the contribution certificate (参保缴费凭证) on leaving")
    c.add_argument("--worker", required=True)
    c.add_argument("--out")
    c.set_defaults(handler=_certificate)
    c = transfer.add_parser("plan", help="what a transfer would move and where the pension is paid (writes nothing)")
    c.add_argument("--worker", required=True)
    c.add_argument("--to-region", required=True)
    c.add_argument("--from-region", help="where the person leaves (default: this office's region; "
                                         "another region gives an estimate from the months recorded here)")
    c.add_argument("--on")
    c.set_defaults(handler=_plan)
    c = transfer.add_parser("request", help="at the new office: open a case and its contact letter (联系函)")
    c.add_argument("--worker", required=True)
    c.add_argument("--from-region", required=True)
    c.add_argument("--paper", action="store_true", help="the old office is reached by post")
    for name in LETTER_FIELDS:
        c.add_argument(f"--{name.replace('_', '-')}")
    c.add_argument("--out", help="save the contact letter PDF here")
    c.add_argument("--relationship", help="a temporary account opened here: the region holding the pension "
                                          "relationship, from the person's certificate (default: as known here)")
    c.set_defaults(handler=_request)
    c = transfer.add_parser("seal", help="at the office holding an open temporary account, the person moving to "
                                         "another province: seal it (封存) and print its certificate")
    c.add_argument("--worker", required=True)
    c.add_argument("--to-region", required=True)
    c.add_argument("--out", help="save the certificate PDF here")
    c.set_defaults(handler=_seal)
    c = transfer.add_parser("gather", help="at the office holding the relationship: gather a temporary account "
                                           "(at pension age, or an approved transfer); issues the contact letter")
    c.add_argument("--worker", required=True)
    c.add_argument("--from-region", required=True, help="where the temporary account is held")
    c.add_argument("--paper", action="store_true", help="the holding office is reached by post")
    c.add_argument("--approved", help="before pension age: the approval's reference (批准文号)")
    for name in LETTER_FIELDS:
        c.add_argument(f"--{name.replace('_', '-')}")
    c.add_argument("--out", help="save the contact letter PDF here")
    c.set_defaults(handler=_gather)
    c = transfer.add_parser("temporary", help="a person's temporary contribution accounts known here")
    c.add_argument("--worker", required=True)
    c.set_defaults(handler=_temporary)
    c = transfer.add_parser("settle", help="at the old office: information table (信息表), funds out")
    c.add_argument("--case", required=True)
    c.add_argument("--out", help="save the information table PDF here")
    c.add_argument("--without-interest", action="store_true",
                   help="supervisor: settle although a past year's crediting rate is not entered "
                        "(that year earns no interest; the table says so)")
    c.set_defaults(handler=_settle)
    c = transfer.add_parser("receive", help="at the new office: check the money received, continue the history")
    c.add_argument("--case", required=True)
    c.add_argument("--amount", help="the amount received (default: the table's total)")
    c.set_defaults(handler=_receive)
    c = transfer.add_parser("show")
    c.add_argument("case")
    c.set_defaults(handler=_show)
    c = transfer.add_parser("list")
    c.add_argument("--status", choices=sorted(STATUSES))
    c.add_argument("--overdue", action="store_true")
    c.add_argument("--worker")
    c.set_defaults(handler=_list)
    c = transfer.add_parser("enter-letter", help="at the old office: type in a contact letter received by post")
    c.add_argument("--case", required=True)
    c.add_argument("--worker", required=True)
    c.add_argument("--to-region", required=True)
    c.add_argument("--to-office", default="-")
    c.add_argument("--applied-on", required=True)
    c.add_argument("--gather", action="store_true", help="the letter asks for the temporary account held here")
    for name in LETTER_FIELDS:
        c.add_argument(f"--{name.replace('_', '-')}")
    c.set_defaults(handler=_enter_letter)
    c = transfer.add_parser("enter-table", help="at the new office: type in an information table received by post")
    c.add_argument("--case", required=True)
    c.add_argument("--file", required=True, help="JSON: the six money lines, the yearly rows and the periods "
                                                 "(kind, region, first, last, months), the table's date (settled_on)")
    c.set_defaults(handler=_enter_table)
    c = transfer.add_parser("leave", help="at the old office, a move inside the pooling unit on paper: "
                                          "the certificate on leaving (no funds, no contact letter)")
    c.add_argument("--worker", required=True)
    c.add_argument("--to-region", required=True)
    c.add_argument("--out", help="save the certificate (information table, no funds) PDF here")
    c.set_defaults(handler=_leave)


def _money(d: Any) -> str | None:
    return None if d is None else f"{d:.2f}"


def case_json(c: CaseInfo) -> dict[str, Any]:
    """A case as JSON."""
    return {"case": c.number, "worker": c.worker, "name": c.name, "from_region": c.from_region,
            "to_region": c.to_region, "channel": c.channel, "status": c.status,
            "status_name": STATUSES[c.status][0], "applied_on": c.applied_on.isoformat(),
            "due": c.due.isoformat() if c.due else None, "due_estimated": c.due_estimated,
            "overdue": c.overdue, "individual_account": _money(c.account), "pooling_fund": _money(c.pooling),
            "total": _money(c.total), "received_amount": _money(c.received_amount), "kind": c.kind,
            "note": c.note or None}


def temporary_json(t: TemporaryView) -> dict[str, Any]:
    """A temporary account as JSON: where, its state, and its money where held here."""
    i = t.info
    return {"region": i.region, "relationship_region": i.relationship_region, "opened_on": i.opened_on.isoformat(),
            "first_month": str(i.first_month), "state": i.state,
            "sealed_on": i.sealed_on.isoformat() if i.sealed_on else None, "sealed_to": i.sealed_to,
            "certificate_no": i.sealed_document, "gathered_by": i.gathered_by, "months": t.months,
            "individual_account": _money(t.account), "total": _money(t.total),
            "years_without_interest": list(t.years_without_interest)}


def _save(pdf: bytes | None, out: str | None) -> str | None:
    if pdf is None or not out:
        return None
    Path(out).write_bytes(pdf)
    return out


def _certificate(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    issued = ledger.documents.issue("transfer-certificate", a.worker, clerk())
    out = a.out or f"{issued.number}.pdf"
    Path(out).write_bytes(issued.pdf)
    return {"case": None, "certificate_no": issued.number, "status": "issued", "pdf": out,
            "verification_code": issued.code}


def _letter(a: argparse.Namespace) -> dict[str, str]:
    return {k: getattr(a, k, None) or "" for k in LETTER_FIELDS}


def _plan(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    p = ledger.transfers.plan(a.worker, a.to_region, a.on, a.from_region)
    return {"worker": p.worker, "from_region": p.from_region, "to_region": p.to_region,
            "individual_account": _money(p.individual_account), "pooling_fund": _money(p.pooling_fund),
            "total": _money(p.total), "months_counted": p.months_counted,
            "temporary_account": p.temporary_account, "temporary_rule": p.temporary_rule,
            "payment_place": p.place_region, "rule": p.place_rule,
            "years_without_interest": list(p.years_without_interest), "kind": p.kind,
            "funds_move": p.funds_move, "periods": [{**x.as_json(), "received": x.received} for x in p.periods],
            "place_years": {k: str(v) for k, v in p.place_years},
            "held_back": [{"paid_on": h.paid_on.isoformat(), "months": len(h.months), "first": str(h.months[0]),
                           "last": str(h.months[-1]), "notify_by": h.notify_by.isoformat()} for h in p.held_back]}


def _leave(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    r = ledger.transfers.leave(a.worker, a.to_region)
    return {**case_json(r.case), "certificate_no": r.document_number, "pdf": _save(r.pdf, a.out)}


def _seal(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    r = ledger.transfers.seal_temporary(a.worker, a.to_region)
    return {**case_json(r.case), "certificate_no": r.document_number, "pdf": _save(r.pdf, a.out)}


def _temporary(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    return {"worker": a.worker, "accounts": [temporary_json(t) for t in ledger.transfers.temporary(a.worker)]}


def _request(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    r = ledger.transfers.request(a.worker, a.from_region, _letter(a), "paper" if a.paper else "sync",
                                 relationship=a.relationship)
    return {**case_json(r.case), "certificate_no": r.document_number, "pdf": _save(r.pdf, a.out)}


def _gather(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    r = ledger.transfers.gather_temporary(a.worker, a.from_region, _letter(a), "paper" if a.paper else "sync",
                                          a.approved or "")
    return {**case_json(r.case), "certificate_no": r.document_number, "pdf": _save(r.pdf, a.out)}


def _settle(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    r = ledger.transfers.settle(a.case, without_interest=a.without_interest)
    return {**case_json(r.case), "certificate_no": r.document_number, "pdf": _save(r.pdf, a.out)}


def _receive(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    amount = a.amount if a.amount is not None else ledger.transfers.show(a.case).total
    if amount is None:
        amount = "0"
    return case_json(ledger.transfers.receive(a.case, amount))


def _show(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    return case_json(ledger.transfers.show(a.case))


def _list(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    return {"cases": [case_json(c) for c in ledger.transfers.list(a.status, a.overdue, a.worker)]}


def _enter_letter(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    return case_json(ledger.transfers.enter_letter(a.case, a.worker, a.to_region, a.to_office,
                                                   a.applied_on, _letter(a), "gather" if a.gather else "transfer"))


def _enter_table(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    try:
        t = json.loads(Path(a.file).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise InvalidInput("file.unreadable", "file", path=a.file) from None
    if not isinstance(t, dict):
        raise InvalidInput("file.unreadable", "file", path=a.file)
    return case_json(ledger.transfers.enter_table(
        a.case, t.get("pre1998", "0"), t.get("to_last_year_end", "0"), t.get("this_year_principal", "0"),
        t.get("account", "0"), t.get("pooling", "0"), t.get("total", "0"), list(t.get("rows", [])),
        str(t.get("table_number", "")), t.get("months_paid"), list(t.get("periods", [])), t.get("settled_on")))
