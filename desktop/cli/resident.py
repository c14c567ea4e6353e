"""The residents' schemes: `shebao resident record|years|permits|switch`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop.cli.common import clerk, money
from desktop.cli.texts import WORKER, YEAR, zh_en
from desktop.core.ledger import Ledger


def add_parsers(sub: Any) -> None:
    """The `resident` group."""
    grp = sub.add_parser("resident", help=zh_en("城乡居民养老保险和居民医疗保险", "residents' schemes")
                         ).add_subparsers(dest="action", required=True)
    c = grp.add_parser("record", help=zh_en("记录一年的居民保险缴费", "record a year of a residents' scheme"))
    c.add_argument("--worker", required=True, help=WORKER)
    c.add_argument("--scheme", required=True, choices=["resident_pension", "resident_medical"],
                   help=zh_en("险种：resident_pension 城乡居民养老，resident_medical 居民医疗",
                              "scheme: resident_pension (residents' pension), resident_medical (residents' medical)"))
    c.add_argument("--year", required=True, help=YEAR)
    c.add_argument("--grade", required=True, help=zh_en("缴费档次：个人缴费金额，元",
                                                        "the contribution grade: the personal amount in yuan"))
    c.add_argument("--residence-permit", help=zh_en("在户籍地以外参加居民医疗保险（本机构允许时）：居住证号码",
                                                    "residents' medical outside the hukou place, where the office "
                                                    "allows it: the residence permit number"))
    c.set_defaults(handler=_record)
    c = grp.add_parser("years", help=zh_en("一人的居民保险各年度、其中的职工缴费月数和应退金额",
                                           "a person's residents' years, employee months in them and refunds due"))
    c.add_argument("--worker", required=True, help=WORKER)
    c.set_defaults(handler=_years)
    c = grp.add_parser("permits", help=zh_en("管理员：持本地居住证的人员可否参加居民医疗保险",
                                             "admin: whether local residence permit holders join the residents' "
                                             "medical scheme"))
    c.add_argument("--allow", choices=["yes", "no"], required=True, help=zh_en("yes 允许，no 不允许",
                                                                               "yes allow, no do not"))
    c.set_defaults(handler=_permits)
    c = grp.add_parser("switch", help=zh_en("达到领取年龄时城镇职工与城乡居民养老保险的制度衔接（人社部发〔2014〕17号）"
                                            "："
                                            "办理并写出告知书 PDF，或用 --plan 只查看",
                                            "the switch between the employees' and the residents' pension at "
                                            "retirement age (Ministry circular 2014 No. 17): decide it and write the "
                                            "notice PDF, or --plan"))
    c.add_argument("--worker", required=True, help=WORKER)
    c.add_argument("--plan", action="store_true", help=zh_en("只显示衔接将如何办理",
                                                             "only show what the switch would do"))
    c.add_argument("--pdf", help=zh_en("告知书保存到此文件（默认：编号.pdf）",
                                       "where to write the notice (default: NUMBER.pdf)"))
    c.set_defaults(handler=_switch)


def _resident_json(rr: Any) -> dict[str, Any]:
    return {"scheme": rr.scheme, "year": rr.year, "personal": money(rr.personal),
            "subsidy": money(rr.subsidy), "total": money(rr.total), "employee_months": rr.employee_months,
            "refund": money(rr.refund)}


def switch_json(p: Any) -> dict[str, Any]:
    """A scheme switch plan as the CLI's JSON (amounts as yuan text)."""
    return {"worker": p.worker, "direction": p.direction, "allowed": p.allowed, "rule": p.rule,
            "refusal": p.refusal or None, "retirement_date": p.retirement_on.isoformat(), "reached": p.reached,
            "employee_months": p.employee_months, "resident_years": p.resident_years,
            "overlap_months": p.overlap_months, "counted_months": p.counted_months,
            "account_moved": money(p.account_moved), "refund": money(p.refund),
            "refunds": [{"year": y.year, "months": y.overlap, "amount": money(y.refund)} for y in p.refunds],
            "notice": None}


def _record(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    return _resident_json(ledger.residents.record(a.worker, a.scheme, a.year, a.grade, a.residence_permit))


def _years(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    return {"years": [_resident_json(r) for r in ledger.residents.years(a.worker)]}


def _permits(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    ledger.residents.allow_residence_permit(a.allow == "yes")
    return {"residence_permit_holders": a.allow == "yes"}


def _switch(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    if a.plan:
        return switch_json(ledger.switches.plan(a.worker))
    with ledger.writing_file(a.pdf) as f:
        decided = ledger.switches.decide(a.worker, clerk())
        out = str(f.write(decided.pdf, None if a.pdf else Path(f"{decided.notice}.pdf")))
    return {**switch_json(decided.plan), "notice": decided.notice, "decided_on": decided.decided_on.isoformat(),
            "pdf": out, "verification_code": decided.code}
