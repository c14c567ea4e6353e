"""Employers and insured people: `shebao employer register`, `shebao worker register|show|find` and
`shebao account` (a person's contribution statement)."""

from __future__ import annotations

import argparse
from typing import Any

from desktop.cli import security
from desktop.cli.common import money, worker_json
from desktop.core.ledger import Ledger


def add_parsers(sub: Any) -> None:
    """`employer register` and `worker register|show|find`."""
    grp = sub.add_parser("employer", help="employers").add_subparsers(dest="action", required=True)
    c = grp.add_parser("register")
    c.add_argument("--uscc", required=True)
    c.add_argument("--name", required=True)
    c.add_argument("--region")
    c.add_argument("--risk-class")
    c.set_defaults(handler=_employer)

    grp = sub.add_parser("worker", help="insured people").add_subparsers(dest="action", required=True)
    c = grp.add_parser("register")
    c.add_argument("--id-number")
    c.add_argument("--name", required=True)
    c.add_argument("--hukou-region")
    c.add_argument("--hukou-type")
    c.add_argument("--phone")
    c.add_argument("--nationality")
    c.add_argument("--passport")
    c.add_argument("--sex")
    c.add_argument("--birth-date")
    c.add_argument("--retirement-group", choices=("60", "55", "50"),
                   help="the original retirement age group (default: men 60, women 50; women flexible workers 55)")
    c.set_defaults(handler=_register)
    c = grp.add_parser("show")
    c.add_argument("key")
    c.set_defaults(handler=_show)
    c = grp.add_parser("find")
    c.add_argument("text")
    c.add_argument("--limit", type=int, default=50)
    c.set_defaults(handler=_find)


def add_account_parser(sub: Any) -> None:
    """`account WORKER`."""
    c = sub.add_parser("account", help="a person's contribution statement and individual account")
    c.add_argument("worker")
    c.set_defaults(handler=_account)


def _employer(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    e = ledger.employers.register(a.uscc, a.name, a.region, a.risk_class)
    return {"employer": {"uscc": e.uscc, "name": e.name, "region": e.region,
                         "risk_class": e.risk_class}}


def _register(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    if a.id_number:
        w = ledger.workers.register_citizen(a.id_number, a.name, a.hukou_region or "",
                                            a.hukou_type or "", a.phone)
    else:
        w = ledger.workers.register_foreigner(a.nationality or "", a.passport or "", a.name,
                                              a.sex or "", a.birth_date or "", a.phone)
    if a.retirement_group:
        return {"worker": {**worker_json(w),
                           "retirement_group": ledger.retirement.set_group(w.key, a.retirement_group)}}
    return {"worker": worker_json(w)}


def _show(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    w = ledger.workers.get(a.key)
    st = ledger.accounts.statement(w.key)
    return {"worker": worker_json(w),
            "enrolments": [{"scheme": r.scheme, "months_paid": r.months_paid,
                            "regions": [p.region for p in r.regions]} for r in st.schemes]}


def _find(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    found = [worker_json(w) for w in ledger.workers.find(a.text, a.limit)]
    if ledger.guarded():  # a list: numbers masked; `worker show` opens the person
        found = [security.masked_worker(w) for w in found]
    return {"workers": found}


def _account(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    return statement_json(ledger.accounts.statement(a.worker))


def statement_json(st: Any) -> dict[str, Any]:
    """The account statement as the CLI's JSON."""
    out: dict[str, Any] = {}
    for r in st.schemes:
        entry: dict[str, Any] = {
            "months_paid": r.months_paid, "months_in_arrears": r.months_in_arrears,
            "regions": [{"region": p.region, "months_paid": p.months_paid,
                         "first_month": p.first_month, "last_month": p.last_month}
                        for p in r.regions]}
        if r.scheme == "pension":
            entry["earlier"] = [{"kind": k, "region": reg, "first_month": a, "last_month": b, "months": n}
                                for k, reg, a, b, n in st.earlier]
            entry["individual_account_balance"] = money(st.individual_account_balance)
            entry["interest_complete"] = st.interest_complete
            entry["years"] = [{"year": y.year, "months": y.months, "base_total": money(y.base_total),
                               "opening": money(y.opening),
                               "rate": str(y.rate) if y.rate is not None else None,
                               "interest": money(y.interest) if y.interest is not None else None,
                               "credited": money(y.credited), "closing": money(y.closing)}
                              for y in st.account_years]
        out[r.scheme] = entry
    resident = [{"scheme": s, "year": y, "personal": money(p), "subsidy": money(sub)}
                for s, y, p, sub in st.resident_years]
    return {"worker": worker_json(st.worker), "schemes": out, "resident": resident}
