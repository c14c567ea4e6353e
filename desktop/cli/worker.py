"""Employers and insured people: `shebao employer register`, `shebao worker register|show|find` and
`shebao account` (a person's contribution statement)."""

from __future__ import annotations

import argparse
from typing import Any

from desktop.cli import security
from desktop.cli.common import money, worker_json
from desktop.cli.texts import zh_en
from desktop.core.ledger import Ledger


def add_parsers(sub: Any) -> None:
    """`employer register` and `worker register|show|find`."""
    grp = sub.add_parser("employer", help=zh_en("用人单位", "employers")).add_subparsers(dest="action", required=True)
    c = grp.add_parser("register", help=zh_en("登记用人单位", "register an employer"))
    c.add_argument("--uscc", required=True, help=zh_en("统一社会信用代码（18位）",
                                                       "unified social credit code (18 characters)"))
    c.add_argument("--name", required=True, help=zh_en("单位名称", "the employer's name"))
    c.add_argument("--region", help=zh_en("所在地：6位行政区划代码（默认：本经办机构所在地）",
                                          "where it is: a 6-digit region code (default: this office's region)"))
    c.add_argument("--risk-class", help=zh_en("工伤保险行业风险类别，1 至 8",
                                              "industry risk class for injury insurance, 1 to 8"))
    c.set_defaults(handler=_employer)

    grp = sub.add_parser("worker", help=zh_en("参保人员",
                                              "insured people")).add_subparsers(dest="action", required=True)
    c = grp.add_parser("register", help=zh_en("登记参保人员：中国公民用 --id-number，"
                                              "外籍人员用 --nationality 和 --passport",
                                              "register a person: a Chinese citizen with --id-number, a foreign "
                                              "national with --nationality and --passport"))
    c.add_argument("--id-number", help=zh_en("公民身份号码（18位）；性别和出生日期由此得出",
                                             "citizen ID number (18 characters); sex and birth date come from it"))
    c.add_argument("--name", required=True, help=zh_en("姓名", "the person's name"))
    c.add_argument("--hukou-region", help=zh_en("户籍所在地：6位行政区划代码（公民必填）",
                                                "hukou place: a 6-digit region code (citizens: required)"))
    c.add_argument("--hukou-type", help=zh_en("户籍性质（公民必填）：urban 城镇，rural 农村",
                                              "hukou type (citizens: required): urban, rural"))
    c.add_argument("--phone", help=zh_en("联系电话", "phone number"))
    c.add_argument("--nationality", help=zh_en("外籍人员：国籍，ISO 3166 两位字母代码（如 DE）",
                                               "foreign national: nationality, ISO 3166 two-letter code (e.g. DE)"))
    c.add_argument("--passport", help=zh_en("外籍人员：护照号码", "foreign national: passport number"))
    c.add_argument("--sex", help=zh_en("外籍人员：性别，M 男，F 女", "foreign national: sex, M male, F female"))
    c.add_argument("--birth-date", help=zh_en("外籍人员：出生日期，YYYY-MM-DD",
                                              "foreign national: birth date, YYYY-MM-DD"))
    c.add_argument("--employer", help=zh_en("参保登记：用人单位统一社会信用代码（与 --start 同用）",
                                            "enrol: the employer's credit code (with --start)"))
    c.add_argument("--start", help=zh_en("参保登记：参保起始月份，YYYY-MM", "enrol: the first month insured, YYYY-MM"))
    c.add_argument("--schemes", help=zh_en("参保登记：险种，逗号分隔（pension,medical,unemployment,injury；"
                                           "默认：起始月份征缴的全部职工险种）",
                                           "enrol: schemes, comma-separated (pension,medical,unemployment,injury; "
                                           "default: every employees' scheme collected in the start month)"))
    c.add_argument("--retirement-group", choices=("60", "55", "50"),
                   help=zh_en("原退休年龄类别：60 男职工，55 女干部及女性灵活就业人员，50 女工人"
                              "（默认：男 60，女 50，女性灵活就业人员 55）",
                              "the original retirement age group: 60 men, 55 women cadres and women flexible workers, "
                              "50 women workers (default: men 60, women 50; women flexible workers 55)"))
    c.set_defaults(handler=_register)
    c = grp.add_parser("show", help=zh_en("查看一人：基本信息、参保险种和缴费月数",
                                          "one person: details, schemes and months paid"))
    c.add_argument("key", help=zh_en("身份证号码、护照号码或社会保障号码",
                                     "ID number, passport number or social security number"))
    c.set_defaults(handler=_show)
    c = grp.add_parser("find", help=zh_en("查找参保人员", "search for people"))
    c.add_argument("text", help=zh_en("身份证号码（或其开头）、姓名或姓名拼音首字母",
                                      "ID number (or its beginning), name, or pinyin initials of the name"))
    c.add_argument("--limit", type=int, default=50, help=zh_en("最多列出几人（默认 50）",
                                                               "at most this many (default 50)"))
    c.set_defaults(handler=_find)


def add_account_parser(sub: Any) -> None:
    """`account WORKER`."""
    c = sub.add_parser("account", help=zh_en("个人权益记录：各险种、各地的缴费月数和基数，养老保险个人账户及各年利息",
                                             "a person's contribution statement: months and bases per scheme and "
                                             "region, the pension individual account with interest by year"))
    c.add_argument("worker", help=zh_en("参保人：身份证号码、护照号码或社会保障号码",
                                        "the person: ID number, passport number or social security number"))
    c.set_defaults(handler=_account)


def _employer(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    e = ledger.employers.register(a.uscc, a.name, a.region, a.risk_class)
    return {"employer": {"uscc": e.uscc, "name": e.name, "region": e.region,
                         "risk_class": e.risk_class}}


def _register(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    if a.id_number:
        w = ledger.workers.register_citizen(a.id_number, a.name, a.hukou_region or "",
                                            a.hukou_type or "", a.phone, a.employer, a.start, a.schemes)
    else:
        w = ledger.workers.register_foreigner(a.nationality or "", a.passport or "", a.name,
                                              a.sex or "", a.birth_date or "", a.phone,
                                              a.employer, a.start, a.schemes)
    out: dict[str, Any] = {"worker": worker_json(w)}
    if a.retirement_group:
        out["worker"]["retirement_group"] = ledger.retirement.set_group(w.key, a.retirement_group)
    if a.employer or a.start or a.schemes:
        e = ledger.workers.enrolment(w.key)
        if e is not None:
            out["enrolment"] = enrolment_json(e)
    return out


def enrolment_json(e: Any) -> dict[str, Any]:
    """An enrolment (参保登记) as the CLI's JSON."""
    return {"employer": e.employer_uscc, "employer_name": e.employer_name, "start": str(e.start),
            "schemes": list(e.schemes)}


def _show(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    w = ledger.workers.get(a.key)
    st = ledger.accounts.statement(w.key)
    ledger.views.record(w.id, "view", "worker show")
    out: dict[str, Any] = {"worker": worker_json(w),
                           "enrolments": [{"scheme": r.scheme, "months_paid": r.months_paid,
                                           "regions": [p.region for p in r.regions]} for r in st.schemes]}
    enrolled = ledger.workers.enrolment(w.key)
    if enrolled is not None:
        out["enrolment"] = enrolment_json(enrolled)
    return out


def _find(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    found = [worker_json(w) for w in ledger.workers.find(a.text, a.limit)]
    if ledger.guarded():  # a list: numbers masked; `worker show` opens the person
        found = [security.masked_worker(w) for w in found]
    return {"workers": found}


def _account(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    out = statement_json(ledger.accounts.statement(a.worker))
    ledger.views.record(a.worker, "view", "worker account")
    return out


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
