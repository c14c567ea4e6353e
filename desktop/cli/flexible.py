"""The `shebao flexible pay|import|cost` commands: a flexible worker's employees' pension months, paid alone."""

from __future__ import annotations

import argparse
from decimal import Decimal
from typing import Any

from desktop.core.ledger import Ledger
from desktop.core.money import fmt
from desktop.core.services.flexible import FlexiblePayment, read_flexible


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
    c.set_defaults(handler=_pay)
    c = grp.add_parser("import", help="a file of flexible workers' payments (the tax office's list): columns "
                                      "id_number,name,from,to,ratio "
                                      "(or 身份证号码,姓名,起始月份,截止月份,缴费基数比例); all rows or none")
    c.add_argument("file")
    c.set_defaults(handler=_import)
    c = grp.add_parser("cost", help="what a month costs a flexible worker here (default the lowest base, this month)")
    c.add_argument("--base-ratio")
    c.add_argument("--month")
    c.set_defaults(handler=_cost)


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


def _pay(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    return payment_json(ledger.flexible.pay(a.worker, a.start, a.end, a.base_ratio, preview=a.preview))


def _import(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    done = ledger.flexible.import_rows(read_flexible(a.file))
    return {"file": a.file, "rows": len(done), "months": sum(len(p.months) for p in done),
            "total": fmt(sum((p.total for p in done), Decimal(0))),
            "payments": [payment_json(p) for p in done]}


def _cost(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    m = ledger.flexible.month_cost(a.base_ratio, a.month)
    return {"month": str(m.month), "average_wage": fmt(m.average_wage), "base": fmt(m.base),
            "amount": fmt(m.amount), "individual_account": fmt(m.individual_account)}
