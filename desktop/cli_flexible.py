"""The `shebao flexible pay` command: a flexible worker's employees' pension months, paid alone."""

from __future__ import annotations

import argparse
from typing import Any

from desktop.core.ledger import Ledger
from desktop.core.money import fmt
from desktop.core.services.flexible import FlexiblePayment


def add_parsers(sub: Any) -> None:
    """Add `shebao flexible ...` to the command line."""
    grp = sub.add_parser("flexible", help="flexible workers (灵活就业人员) paying the employees' pension alone"
                         ).add_subparsers(dest="action", required=True)
    c = grp.add_parser("pay", help="pay a run of months at once on RATIO x the province's previous-year "
                                   "average monthly wage (20%%: 8%% to the individual account)")
    c.add_argument("--worker", required=True)
    c.add_argument("--from", dest="start", required=True, help="YYYY-MM")
    c.add_argument("--to", dest="end", required=True, help="YYYY-MM")
    c.add_argument("--base-ratio", required=True, help="0.60 to 3.00 (the office's base limits)")
    c.add_argument("--preview", action="store_true", help="compute only, write nothing")


def payment_json(p: FlexiblePayment) -> dict[str, Any]:
    """A payment as the CLI's JSON (amounts as yuan text; base null when it changes with the year)."""
    return {"worker": p.worker,
            "months": [{"month": str(m.month), "average_wage": fmt(m.average_wage), "base": fmt(m.base),
                        "amount": fmt(m.amount), "individual_account": fmt(m.individual_account),
                        "pooling": fmt(m.pooling)} for m in p.months],
            "base": fmt(p.base) if p.base is not None else None, "ratio": str(p.ratio),
            "total": fmt(p.total), "individual_account": fmt(p.individual_account),
            "recorded": p.recorded}


def human_lines(result: dict[str, Any]) -> list[str]:
    """A payment for people at a terminal: one line a month, then the totals."""
    lines = [f"{result['worker']}  x{result['ratio']}" + ("" if result["recorded"] else "  (preview)")]
    for m in result["months"]:
        lines.append(f"  {m['month']}  base {m['base']} ({m['average_wage']} x {result['ratio']})  "
                     f"{m['amount']}  (account {m['individual_account']}, pooling {m['pooling']})")
    lines.append(f"  = {result['total']}  (account {result['individual_account']})")
    return lines


def dispatch(ledger: Ledger, a: argparse.Namespace) -> dict[str, Any] | None:
    """Run a flexible-worker command (None: not one)."""
    if a.command != "flexible":
        return None
    if a.action == "pay":
        return payment_json(ledger.flexible.pay(a.worker, a.start, a.end, a.base_ratio, preview=a.preview))
    return None
