"""The office's reference data: `shebao wage|rate|limit|interest set` and `shebao pooling set`."""

from __future__ import annotations

import argparse
from typing import Any

from desktop.cli.common import money
from desktop.core.ledger import Ledger


def add_parsers(sub: Any) -> None:
    """`wage set`, `rate set`, `limit set` and `interest set`."""
    for name, helptext in (("wage", "average wages"), ("rate", "contribution rates"),
                           ("limit", "base limit ratios"), ("interest", "crediting rates")):
        grp = sub.add_parser(name, help=helptext).add_subparsers(dest="action", required=True)
        c = grp.add_parser("set")
        if name == "wage":
            c.add_argument("--region", required=True)
            c.add_argument("--year", required=True)
            c.add_argument("--monthly", required=True)
            c.set_defaults(handler=_wage)
        elif name == "rate":
            c.add_argument("--region", required=True)
            c.add_argument("--scheme", required=True)
            c.add_argument("--from", dest="start", required=True)
            c.add_argument("--to", dest="end")
            c.add_argument("--employer", required=True)
            c.add_argument("--employee", required=True)
            c.add_argument("--account")
            c.add_argument("--risk-class")
            c.set_defaults(handler=_rate)
        elif name == "limit":
            c.add_argument("--region", required=True)
            c.add_argument("--from", dest="start", required=True)
            c.add_argument("--to", dest="end")
            c.add_argument("--floor", required=True)
            c.add_argument("--ceiling", required=True)
            c.set_defaults(handler=_limit)
        else:
            c.add_argument("--year", required=True)
            c.add_argument("--rate", required=True)
            c.set_defaults(handler=_interest)


def add_pooling_parsers(sub: Any) -> None:
    """`pooling set`."""
    g = sub.add_parser("pooling", help="pooling units").add_subparsers(dest="action", required=True)
    c = g.add_parser("set", help="admin: the day a province began pooling pensions as one unit")
    c.add_argument("--region", required=True, help="the province (XX0000) or any region in it")
    c.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD")
    c.set_defaults(handler=_pooling)


def _wage(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    region, year, monthly = ledger.reference.set_wage(a.region, a.year, a.monthly)
    return {"region": region, "year": year, "monthly": money(monthly)}


def _rate(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    r = ledger.reference.set_rate(a.region, a.scheme, a.start, a.employer, a.employee,
                                  a.end, a.account, a.risk_class)
    return {"region": r.region, "scheme": r.scheme, "from": r.start, "to": r.end,
            "employer": str(r.employer), "employee": str(r.employee),
            "account": str(r.account) if r.account is not None else None}


def _limit(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    ledger.reference.set_limits(a.region, a.start, a.floor, a.ceiling, a.end)
    return {"region": a.region, "from": a.start, "floor": a.floor, "ceiling": a.ceiling}


def _interest(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    ledger.reference.set_interest(a.year, a.rate)
    return {"year": int(a.year), "rate": a.rate}


def _pooling(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    day = ledger.reference.set_provincial_pooling(a.region, a.start)
    return {"province": a.region[:2] + "0000", "provincial_from": day.isoformat()}
