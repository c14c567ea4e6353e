"""Insured time across regions: `shebao insured medical|unemployment|carry|medical-certificate|claim|minimum`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop.core.ledger import Ledger


def add_parsers(sub: Any) -> None:
    """The `insured` group."""
    g = sub.add_parser("insured", help="medical years and unemployment time across regions"
                       ).add_subparsers(dest="action", required=True)
    for name, text in (("medical", "medical years in every region, and the retiree minimum here"),
                       ("unemployment", "unemployment time since the last claim, and the benefit months")):
        c = g.add_parser(name, help=text)
        c.add_argument("--worker", required=True)
        c.set_defaults(handler=_time)
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
    c.set_defaults(handler=_carry)
    c = g.add_parser("medical-certificate", help="at the old office: issue the medical transfer certificate "
                                                 "(基本医疗保险参保（合）凭证)")
    c.add_argument("--worker", required=True)
    c.add_argument("--to-region", required=True)
    c.add_argument("--applied-on", help="the day the person applied (default: today)")
    c.add_argument("--pdf", help="write the certificate to this file")
    c.set_defaults(handler=_medical_certificate)
    c = g.add_parser("claim", help="record a claim for unemployment benefit (the time then starts again)")
    c.add_argument("--worker", required=True)
    c.add_argument("--on", required=True)
    c.set_defaults(handler=_claim)
    c = g.add_parser("minimum", help="admin: the retiree minimum medical years here (office data)")
    c.add_argument("--men", required=True)
    c.add_argument("--women", required=True)
    c.set_defaults(handler=_minimum)


def _carry(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    r = ledger.insured.carry(a.worker, a.scheme, a.region, a.start, a.end, a.document or "", a.months,
                             a.certificate or "", a.issued_on, a.received_on)
    out: dict[str, Any] = {"scheme": a.scheme, "region": r.region, "from": str(r.first), "to": str(r.last),
                           "months": r.months}
    if r.certificate:
        out.update({k: v for k, v in r.as_json().items() if k not in ("worker", "scheme", "region")})
    return out


def _medical_certificate(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    c = ledger.insured.medical_certificate(a.worker, a.to_region, a.applied_on)
    if a.pdf:
        Path(a.pdf).write_bytes(c.pdf)
    return {"certificate_no": c.number, "to_region": c.to_region, "applied_on": c.applied_on.isoformat(),
            "due": c.due.isoformat(), "due_estimated": c.due_estimated, "months_here": c.months_here,
            "months": c.months, "years": str(c.years), "pdf": a.pdf}


def _claim(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    claim = ledger.insured.claim(a.worker, a.on)
    return {"claimed_on": claim.claimed_on.isoformat(), "insured_months": claim.insured_months,
            "benefit_months": claim.benefit_months}


def _minimum(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    men, women = ledger.insured.set_medical_minimum(a.men, a.women)
    return {"men_years": men, "women_years": women}


def _time(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    t = ledger.insured.medical(a.worker) if a.action == "medical" else ledger.insured.unemployment(a.worker)
    return {"scheme": t.scheme, "months": t.months, "years": str(t.years),
            "regions": [{"region": r.region, "months": r.months, "first_month": str(r.first),
                         "last_month": str(r.last), "carried": r.carried} for r in t.regions],
            "since": str(t.since) if t.since else None, "minimum_months": t.minimum_months,
            "meets_minimum": t.meets_minimum, "benefit_months": t.benefit_months}
