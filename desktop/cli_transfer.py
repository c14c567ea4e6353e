"""The `shebao transfer ...`, `shebao pension place` and `shebao report transfers` commands."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from desktop.core.errors import InvalidInput
from desktop.core.ledger import Ledger
from desktop.core.services.transfers import LETTER_FIELDS, STATUSES, CaseInfo


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
    for name in LETTER_FIELDS:
        c.add_argument(f"--{name.replace('_', '-')}")
    c = transfer.add_parser("enter-table", help="at the new office: type in an information table received by post")
    c.add_argument("--case", required=True)
    c.add_argument("--file", required=True, help="JSON: the six money lines and the yearly rows")
    c = sub.add_parser("pension", help="pension claims").add_subparsers(dest="action", required=True)
    p = c.add_parser("place", help="where the pension would be paid, and the rule that decided it")
    p.add_argument("--worker", required=True)
    p.add_argument("--on")


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
            "total": _money(c.total), "received_amount": _money(c.received_amount)}


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
    if cmd != "transfer" or act == "certificate":
        return None
    if act == "plan":
        p = ledger.transfers.plan(a.worker, a.to_region, a.on, a.from_region)
        return {"worker": p.worker, "from_region": p.from_region, "to_region": p.to_region,
                "individual_account": _money(p.individual_account), "pooling_fund": _money(p.pooling_fund),
                "total": _money(p.total), "months_counted": p.months_counted,
                "temporary_account": p.temporary_account, "temporary_rule": p.temporary_rule,
                "payment_place": p.place_region, "rule": p.place_rule,
                "years_without_interest": list(p.years_without_interest)}
    letter = {k: getattr(a, k, None) or "" for k in LETTER_FIELDS}
    if act == "request":
        r = ledger.transfers.request(a.worker, a.from_region, letter, "paper" if a.paper else "sync")
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
                                                       a.applied_on, letter))
    if act == "enter-table":
        try:
            t = json.loads(Path(a.file).read_text(encoding="utf-8"))
            if not isinstance(t, dict):
                raise ValueError("not an object")
        except (OSError, ValueError):
            raise InvalidInput("file.unreadable", "file", path=a.file) from None
        return case_json(ledger.transfers.enter_table(
            a.case, t.get("pre1998", "0"), t.get("to_last_year_end", "0"), t.get("this_year_principal", "0"),
            t.get("account", "0"), t.get("pooling", "0"), t.get("total", "0"), list(t.get("rows", [])),
            str(t.get("table_number", "")), t.get("months_paid")))
    return None
