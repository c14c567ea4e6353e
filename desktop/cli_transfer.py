"""The `shebao transfer ...`, `shebao history ...`, `shebao pooling set`, `shebao contrib back-pay`,
`shebao pension place` and `shebao report transfers` commands."""

from __future__ import annotations

import argparse
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from desktop import cli_pension
from desktop.core.errors import InvalidInput
from desktop.core.ledger import Ledger
from desktop.core.services.record import DOCUMENT_KINDS
from desktop.core.services.transfers import LETTER_FIELDS, STATUSES, CaseInfo, TemporaryView


def add_parsers(sub: Any, transfer: Any) -> None:
    """Add the transfer actions to the `transfer` group, and `pension`/`report` to the command line."""
    c = transfer.add_parser("plan", help="what a transfer would move and where the pension is paid (writes nothing)")
    c.add_argument("--worker", required=True)
    c.add_argument("--to-region", required=True)
    c.add_argument("--from-region", help="where the person leaves (default: this office's region; "
                                         "another region gives an estimate from the months recorded here)")
    c.add_argument("--on")
    c = transfer.add_parser("request", help="at the new office: open a case and its contact letter (联系函)")
    c.add_argument("--worker", required=True)
    c.add_argument("--from-region", required=True)
    c.add_argument("--paper", action="store_true", help="the old office is reached by post")
    for name in LETTER_FIELDS:
        c.add_argument(f"--{name.replace('_', '-')}")
    c.add_argument("--out", help="save the contact letter PDF here")
    c.add_argument("--relationship", help="a temporary account opened here: the region holding the pension "
                                          "relationship, from the person's certificate (default: as known here)")
    c = transfer.add_parser("seal", help="at the office holding an open temporary account, the person moving to "
                                         "another province: seal it (封存) and print its certificate")
    c.add_argument("--worker", required=True)
    c.add_argument("--to-region", required=True)
    c.add_argument("--out", help="save the certificate PDF here")
    c = transfer.add_parser("gather", help="at the office holding the relationship: gather a temporary account "
                                           "(at pension age, or an approved transfer); issues the contact letter")
    c.add_argument("--worker", required=True)
    c.add_argument("--from-region", required=True, help="where the temporary account is held")
    c.add_argument("--paper", action="store_true", help="the holding office is reached by post")
    c.add_argument("--approved", help="before pension age: the approval's reference (批准文号)")
    for name in LETTER_FIELDS:
        c.add_argument(f"--{name.replace('_', '-')}")
    c.add_argument("--out", help="save the contact letter PDF here")
    c = transfer.add_parser("temporary", help="a person's temporary contribution accounts known here")
    c.add_argument("--worker", required=True)
    c = transfer.add_parser("settle", help="at the old office: information table (信息表), funds out")
    c.add_argument("--case", required=True)
    c.add_argument("--out", help="save the information table PDF here")
    c.add_argument("--without-interest", action="store_true",
                   help="supervisor: settle although a past year's crediting rate is not entered "
                        "(that year earns no interest; the table says so)")
    c = transfer.add_parser("receive", help="at the new office: check the money received, continue the history")
    c.add_argument("--case", required=True)
    c.add_argument("--amount", help="the amount received (default: the table's total)")
    c = transfer.add_parser("show")
    c.add_argument("case")
    c = transfer.add_parser("list")
    c.add_argument("--status", choices=sorted(STATUSES))
    c.add_argument("--overdue", action="store_true")
    c.add_argument("--worker")
    c = transfer.add_parser("enter-letter", help="at the old office: type in a contact letter received by post")
    c.add_argument("--case", required=True)
    c.add_argument("--worker", required=True)
    c.add_argument("--to-region", required=True)
    c.add_argument("--to-office", default="-")
    c.add_argument("--applied-on", required=True)
    c.add_argument("--gather", action="store_true", help="the letter asks for the temporary account held here")
    for name in LETTER_FIELDS:
        c.add_argument(f"--{name.replace('_', '-')}")
    c = transfer.add_parser("enter-table", help="at the new office: type in an information table received by post")
    c.add_argument("--case", required=True)
    c.add_argument("--file", required=True, help="JSON: the six money lines, the yearly rows and the periods "
                                                 "(kind, region, first, last, months), the table's date (settled_on)")
    c = transfer.add_parser("leave", help="at the old office, a move inside the pooling unit on paper: "
                                          "the certificate on leaving (no funds, no contact letter)")
    c.add_argument("--worker", required=True)
    c.add_argument("--to-region", required=True)
    c.add_argument("--out", help="save the certificate (information table, no funds) PDF here")
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
    c = h.add_parser("remove", help="supervisor: take back an opening entry entered by mistake")
    c.add_argument("--worker", required=True)
    c.add_argument("--id", required=True, type=int, help="the entry's id (history show)")
    c.add_argument("--reason", required=True)
    c = h.add_parser("show", help="the record by place: periods, opening entries, held-back months, money")
    c.add_argument("--worker", required=True)
    c.add_argument("--region", help="the pooling unit to read (default: where the person is insured)")
    c = h.add_parser("document", help="supervisor: the document behind a lump-sum back payment (人社厅发〔2019〕94号)")
    c.add_argument("--worker", required=True)
    c.add_argument("--paid-on", required=True, help="the day the back payment was recorded")
    c.add_argument("--kind", required=True, choices=sorted(DOCUMENT_KINDS))
    c.add_argument("--issuer", required=True)
    c.add_argument("--number", required=True)
    c.add_argument("--issued-on", required=True, help="must be before the payment")
    g = sub.add_parser("insured", help="medical years and unemployment time across regions"
                       ).add_subparsers(dest="action", required=True)
    for name, text in (("medical", "medical years in every region, and the retiree minimum here"),
                       ("unemployment", "unemployment time since the last claim, and the benefit months")):
        c = g.add_parser(name, help=text)
        c.add_argument("--worker", required=True)
    c = g.add_parser("carry", help="type in insured time from another region's certificate")
    c.add_argument("--worker", required=True)
    c.add_argument("--scheme", required=True, choices=("medical", "unemployment"))
    c.add_argument("--region", required=True)
    c.add_argument("--from", dest="start", required=True, help="YYYY-MM")
    c.add_argument("--to", dest="end", required=True, help="YYYY-MM")
    c.add_argument("--months", help="when the certificate counts fewer months than the span")
    c.add_argument("--document", help="the certificate (required unless --certificate is given)")
    c.add_argument("--certificate", help="medical: the transfer certificate's number (its receipt here)")
    c.add_argument("--issued-on", help="the certificate's issue date (with --certificate)")
    c.add_argument("--received-on", help="the day the certificate was received (default: today)")
    c = g.add_parser("medical-certificate", help="at the old office: issue the medical transfer certificate "
                                                 "(基本医疗保险参保（合）凭证)")
    c.add_argument("--worker", required=True)
    c.add_argument("--to-region", required=True)
    c.add_argument("--applied-on", help="the day the person applied (default: today)")
    c.add_argument("--pdf", help="write the certificate to this file")
    c = g.add_parser("claim", help="record a claim for unemployment benefit (the time then starts again)")
    c.add_argument("--worker", required=True)
    c.add_argument("--on", required=True)
    c = g.add_parser("minimum", help="admin: the retiree minimum medical years here (office data)")
    c.add_argument("--men", required=True)
    c.add_argument("--women", required=True)
    g = sub.add_parser("pooling", help="pooling units").add_subparsers(dest="action", required=True)
    c = g.add_parser("set", help="admin: the day a province began pooling pensions as one unit")
    c.add_argument("--region", required=True, help="the province (XX0000) or any region in it")
    c.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD")
    c = sub.add_parser("pension", help="pension claims").add_subparsers(dest="action", required=True)
    p = c.add_parser("place", help="where the pension would be paid, and the rule that decided it")
    p.add_argument("--worker", required=True)
    p.add_argument("--on")
    cli_pension.add_pension_parsers(c)


def add_back_pay_parser(contrib: Any) -> None:
    """Add `contrib back-pay` (a lump-sum back payment) to the `contrib` group."""
    c = contrib.add_parser("back-pay", help="a lump-sum back payment (一次性补缴) of past months, in one go")
    c.add_argument("--worker", required=True)
    c.add_argument("--employer", required=True)
    c.add_argument("--from", dest="start", required=True, help="YYYY-MM")
    c.add_argument("--to", dest="end", required=True, help="YYYY-MM")
    c.add_argument("--wage", required=True)
    c.add_argument("--schemes", default="pension")


def add_report_parser(report: Any) -> None:
    """Add `report transfers` to the `report` group."""
    p = report.add_parser("transfers", help="transfers in and out of a year, with people and amounts")
    p.add_argument("--year", required=True)
    p.add_argument("--csv")
    p.add_argument("--pdf")


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


def dispatch(ledger: Ledger, a: argparse.Namespace) -> dict[str, Any] | None:
    """Run a transfer command (None: not one of these)."""
    cmd, act = a.command, getattr(a, "action", None)
    if cmd == "pension" and act == "place":
        d = ledger.transfers.pension_place(a.worker, a.on)
        return {"region": d.region, "rule": d.rule,
                "years": {k: str(v) for k, v in d.years.items()}}
    if cmd == "report" and act == "transfers":
        rep = ledger.transfers.report(a.year)
        if a.csv:
            Path(a.csv).write_text(ledger.transfers.report_csv(rep), encoding="utf-8-sig")
        if a.pdf:
            Path(a.pdf).write_bytes(ledger.transfers.report_pdf(rep))
        return {**rep.as_json(), "csv": a.csv, "pdf": a.pdf}
    if cmd == "history":
        return _history(ledger, a)
    if cmd == "insured":
        return _insured(ledger, a)
    if cmd == "pooling" and act == "set":
        day = ledger.reference.set_provincial_pooling(a.region, a.start)
        return {"province": a.region[:2] + "0000", "provincial_from": day.isoformat()}
    if cmd == "contrib" and act == "back-pay":
        months = ledger.contributions.back_pay(a.worker, a.employer, a.start, a.end, a.wage, a.schemes)
        return {"months": len(months), "from": str(months[0].month), "to": str(months[-1].month),
                "kind": "lump_sum", "base": _money(months[0].base),
                "individual_account": _money(sum((ln.individual_account for m in months for ln in m.lines
                                                  if ln.scheme == "pension"), start=Decimal(0)))}
    if cmd != "transfer" or act == "certificate":
        return None
    if act == "plan":
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
    if act == "leave":
        r = ledger.transfers.leave(a.worker, a.to_region)
        return {**case_json(r.case), "certificate_no": r.document_number, "pdf": _save(r.pdf, a.out)}
    if act == "seal":
        r = ledger.transfers.seal_temporary(a.worker, a.to_region)
        return {**case_json(r.case), "certificate_no": r.document_number, "pdf": _save(r.pdf, a.out)}
    if act == "temporary":
        return {"worker": a.worker, "accounts": [temporary_json(t) for t in ledger.transfers.temporary(a.worker)]}
    letter = {k: getattr(a, k, None) or "" for k in LETTER_FIELDS}
    if act == "request":
        r = ledger.transfers.request(a.worker, a.from_region, letter, "paper" if a.paper else "sync",
                                     relationship=a.relationship)
        return {**case_json(r.case), "certificate_no": r.document_number, "pdf": _save(r.pdf, a.out)}
    if act == "gather":
        r = ledger.transfers.gather_temporary(a.worker, a.from_region, letter, "paper" if a.paper else "sync",
                                              a.approved or "")
        return {**case_json(r.case), "certificate_no": r.document_number, "pdf": _save(r.pdf, a.out)}
    if act == "settle":
        r = ledger.transfers.settle(a.case, without_interest=a.without_interest)
        return {**case_json(r.case), "certificate_no": r.document_number, "pdf": _save(r.pdf, a.out)}
    if act == "receive":
        amount = a.amount if a.amount is not None else ledger.transfers.show(a.case).total
        if amount is None:
            amount = "0"
        return case_json(ledger.transfers.receive(a.case, amount))
    if act == "show":
        return case_json(ledger.transfers.show(a.case))
    if act == "list":
        return {"cases": [case_json(c) for c in ledger.transfers.list(a.status, a.overdue, a.worker)]}
    if act == "enter-letter":
        return case_json(ledger.transfers.enter_letter(a.case, a.worker, a.to_region, a.to_office,
                                                       a.applied_on, letter, "gather" if a.gather else "transfer"))
    if act == "enter-table":
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
    return None


def _history(ledger: Ledger, a: argparse.Namespace) -> dict[str, Any]:
    if a.action == "add":
        e = ledger.records.add_opening(a.worker, a.kind, a.region, a.start, a.end, a.document or "",
                                       base=a.base, balance=a.balance)
        return {"id": e.id, "kind": e.kind, "region": e.region, "from": str(e.first), "to": str(e.last),
                "months": e.months, "base": _money(e.base), "balance": _money(e.balance), "document": e.document}
    if a.action == "remove":
        ledger.records.remove_opening(a.worker, a.id, a.reason)
        return {"id": a.id, "removed": True}
    if a.action == "document":
        ledger.records.add_back_payment_document(a.worker, a.paid_on, a.kind, a.issuer, a.number, a.issued_on)
        return {"worker": a.worker, "paid_on": a.paid_on, "kind": a.kind, "number": a.number}
    return ledger.records.view(a.worker, a.region).as_json()


def _insured(ledger: Ledger, a: argparse.Namespace) -> dict[str, Any]:
    if a.action == "carry":
        r = ledger.insured.carry(a.worker, a.scheme, a.region, a.start, a.end, a.document or "", a.months,
                                 a.certificate or "", a.issued_on, a.received_on)
        out: dict[str, Any] = {"scheme": a.scheme, "region": r.region, "from": str(r.first), "to": str(r.last),
                               "months": r.months}
        if r.certificate:
            out.update({k: v for k, v in r.as_json().items() if k not in ("worker", "scheme", "region")})
        return out
    if a.action == "medical-certificate":
        c = ledger.insured.medical_certificate(a.worker, a.to_region, a.applied_on)
        if a.pdf:
            Path(a.pdf).write_bytes(c.pdf)
        return {"certificate_no": c.number, "to_region": c.to_region, "applied_on": c.applied_on.isoformat(),
                "due": c.due.isoformat(), "due_estimated": c.due_estimated, "months_here": c.months_here,
                "months": c.months, "years": str(c.years), "pdf": a.pdf}
    if a.action == "claim":
        claim = ledger.insured.claim(a.worker, a.on)
        return {"claimed_on": claim.claimed_on.isoformat(), "insured_months": claim.insured_months,
                "benefit_months": claim.benefit_months}
    if a.action == "minimum":
        men, women = ledger.insured.set_medical_minimum(a.men, a.women)
        return {"men_years": men, "women_years": women}
    t = ledger.insured.medical(a.worker) if a.action == "medical" else ledger.insured.unemployment(a.worker)
    return {"scheme": t.scheme, "months": t.months, "years": str(t.years),
            "regions": [{"region": r.region, "months": r.months, "first_month": str(r.first),
                         "last_month": str(r.last), "carried": r.carried} for r in t.regions],
            "since": str(t.since) if t.since else None, "minimum_months": t.minimum_months,
            "meets_minimum": t.meets_minimum, "benefit_months": t.benefit_months}
