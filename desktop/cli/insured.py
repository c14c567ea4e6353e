"""Insured time across regions: `shebao insured medical|unemployment|carry|medical-certificate|claim|minimum`."""

from __future__ import annotations

import argparse
from typing import Any

from desktop.cli.texts import FROM_MONTH, TO_MONTH, WORKER, zh_en
from desktop.core.ledger import Ledger


def add_parsers(sub: Any) -> None:
    """The `insured` group."""
    g = sub.add_parser("insured", help=zh_en("跨地区的医疗保险缴费年限和失业保险缴费时间",
                                             "medical years and unemployment time across regions")
                       ).add_subparsers(dest="action", required=True)
    for name, text in (("medical", zh_en("各地的医疗保险缴费年限，及本地退休人员的最低缴费年限",
                                         "medical years in every region, and the retiree minimum here")),
                       ("unemployment", zh_en("上次领取失业保险金以来的缴费时间，及可领取月数",
                                              "unemployment time since the last claim, and the benefit months"))):
        c = g.add_parser(name, help=text)
        c.add_argument("--worker", required=True, help=WORKER)
        c.set_defaults(handler=_time)
    c = g.add_parser("carry", help=zh_en("录入其他地区凭证上的缴费时间",
                                         "type in insured time from another region's certificate"))
    c.add_argument("--worker", required=True, help=WORKER)
    c.add_argument("--scheme", required=True, choices=("medical", "unemployment"),
                   help=zh_en("险种：medical 医疗，unemployment 失业", "scheme: medical, unemployment"))
    c.add_argument("--region", required=True, help=zh_en("凭证所属地区：6位行政区划代码",
                                                         "the certificate's region: a 6-digit region code"))
    c.add_argument("--from", dest="start", required=True, help=FROM_MONTH)
    c.add_argument("--to", dest="end", required=True, help=TO_MONTH)
    c.add_argument("--months", help=zh_en("凭证所计月数少于起止之间月数时填写",
                                          "when the certificate counts fewer months than the span"))
    c.add_argument("--document", help=zh_en("凭证（未给 --certificate 时必填）",
                                            "the certificate (required unless --certificate is given)"))
    c.add_argument("--certificate", help=zh_en("医疗：转移凭证编号（在本地接收）",
                                               "medical: the transfer certificate's number (its receipt here)"))
    c.add_argument("--issued-on", help=zh_en("凭证出具日期，YYYY-MM-DD（与 --certificate 一起）",
                                             "the certificate's issue date, YYYY-MM-DD (with --certificate)"))
    c.add_argument("--received-on", help=zh_en("收到凭证的日期，YYYY-MM-DD（默认：今天）",
                                               "the day the certificate was received, YYYY-MM-DD (default: today)"))
    c.set_defaults(handler=_carry)
    c = g.add_parser("medical-certificate", help=zh_en("转出地：出具基本医疗保险参保（合）凭证",
                                                       "at the old office: issue the medical transfer certificate"))
    c.add_argument("--worker", required=True, help=WORKER)
    c.add_argument("--to-region", required=True, help=zh_en("转入地：6位行政区划代码",
                                                            "the new region: a 6-digit region code"))
    c.add_argument("--applied-on", help=zh_en("申请日期，YYYY-MM-DD（默认：今天）",
                                              "the day the person applied, YYYY-MM-DD (default: today)"))
    c.add_argument("--pdf", help=zh_en("凭证保存到此文件", "write the certificate to this file"))
    c.set_defaults(handler=_medical_certificate)
    c = g.add_parser("claim", help=zh_en("记录领取失业保险金（缴费时间从此重新计算）",
                                         "record a claim for unemployment benefit (the time then starts again)"))
    c.add_argument("--worker", required=True, help=WORKER)
    c.add_argument("--on", required=True, help=zh_en("领取日期，YYYY-MM-DD", "the day of the claim, YYYY-MM-DD"))
    c.set_defaults(handler=_claim)
    c = g.add_parser("minimum", help=zh_en("管理员：本地退休人员医疗保险最低缴费年限",
                                           "admin: the retiree minimum medical years here (office data)"))
    c.add_argument("--men", required=True, help=zh_en("男性，年", "men, in years"))
    c.add_argument("--women", required=True, help=zh_en("女性，年", "women, in years"))
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
    with ledger.writing_file(a.pdf) as f:
        c = ledger.insured.medical_certificate(a.worker, a.to_region, a.applied_on)
        if a.pdf:
            f.write(c.pdf)
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
