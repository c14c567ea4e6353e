"""Retirement and pensions: `shebao retirement` (the day, the range, the minimum and what is
missing) and `shebao pension place|base|transitional|divisor|estimate|determine`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop.cli import security
from desktop.cli.texts import WORKER, zh_en
from desktop.core.ledger import Ledger
from desktop.core.money import fmt
from desktop.core.services.pension import Determination, Estimate

PROVINCE = zh_en("省份（XX0000）或省内任一地区：6位行政区划代码",
                 "the province (XX0000) or any region in it: a 6-digit code")


def add_retirement_parser(sub: Any) -> None:
    """Add `retirement` to the command line."""
    c = sub.add_parser("retirement", help=zh_en("何时可以退休（含 2025 年起的延迟）、该年的最低缴费月数和尚缺的月数",
                                                "when the person may retire (with the rise from 2025), the minimum "
                                                "contribution months of that year and what is missing"))
    c.add_argument("--worker", required=True, help=WORKER)
    c.add_argument("--on", help=zh_en("所问日期，YYYY-MM-DD（默认：今天）：是否已到法定退休日",
                                      "the day asked, YYYY-MM-DD (default today): whether the statutory day has come"))
    c.add_argument("--set-group", choices=("60", "55", "50"),
                   help=zh_en("先记录此人的原退休年龄类别：60 男职工，55 女干部及女性灵活就业人员，50 女工人",
                              "record the person's original retirement group first: 60 men, 55 women cadres and "
                              "flexible workers, 50 women workers"))
    c.set_defaults(handler=_retirement)


def add_parsers(sub: Any) -> None:
    """The `pension` group: the place, the office data, the estimate and the determination."""
    pension = sub.add_parser("pension", help=zh_en("养老金：领取地、测算、核定及省级参数", "pension claims")
                             ).add_subparsers(dest="action", required=True)
    p = pension.add_parser("place", help=zh_en("养老金在哪里领取，依据哪条规则",
                                               "where the pension would be paid, and the rule that decided it"))
    p.add_argument("--worker", required=True, help=WORKER)
    p.add_argument("--on", help=zh_en("申领日期，YYYY-MM-DD（默认：今天）",
                                      "the day of the claim, YYYY-MM-DD (default: today)"))
    p.set_defaults(handler=_place)
    c = pension.add_parser("base", help=zh_en("管理员：省里公布的计发基数",
                                              "admin: the province's published calculation base"))
    c.set_defaults(handler=_base)
    g = c.add_subparsers(dest="base_action", required=True)
    b = g.add_parser("set", help=zh_en("设置某年起领取养老金所用的计发基数",
                                       "the calculation base for pensions starting in YEAR"))
    b.add_argument("--region", required=True, help=PROVINCE)
    b.add_argument("--year", required=True, help=zh_en("开始领取养老金的年度，YYYY", "the year pensions start, YYYY"))
    b.add_argument("--monthly", required=True, help=zh_en("计发基数（月），元", "the monthly calculation base in yuan"))
    c = pension.add_parser("transitional", help=zh_en("管理员：省里的过渡性养老金计发系数",
                                                      "admin: the province's transitional-pension coefficient"))
    c.set_defaults(handler=_transitional)
    g = c.add_subparsers(dest="transitional_action", required=True)
    t = g.add_parser("set", help=zh_en("设置过渡性养老金计发系数（小数，如 0.012）",
                                       "set the coefficient as a fraction, e.g. 0.012"))
    t.add_argument("--region", required=True, help=PROVINCE)
    t.add_argument("--rate", required=True, help=zh_en("计发系数，小数（如 0.012 即 1.2%%）",
                                                       "the coefficient, a fraction (e.g. 0.012 for 1.2%%)"))
    t.add_argument("--with-pre1998", action="store_true",
                   help=zh_en("该省的过渡性养老金也计入 1998 年前的缴费月数",
                              "the province also counts months paid before 1998 in the transitional pension"))
    c = pension.add_parser("divisor", help=zh_en("管理员：省里某退休年龄（含延迟月数）的个人账户养老金计发月数",
                                                 "admin: the province's divisor for an age with extra months"))
    c.set_defaults(handler=_divisor)
    g = c.add_subparsers(dest="divisor_action", required=True)
    d = g.add_parser("set", help=zh_en("设置计发月数，例如 --age 60 --months 1 --value 138.4",
                                       "set a divisor, e.g. --age 60 --months 1 --value 138.4"))
    d.add_argument("--age", required=True, help=zh_en("退休年龄，整岁", "the retirement age in whole years"))
    d.add_argument("--months", required=True, help=zh_en("超过整岁的月数，0 至 11",
                                                         "months beyond the whole years, 0 to 11"))
    d.add_argument("--value", required=True, help=zh_en("计发月数（如 139）", "the divisor (e.g. 139)"))
    e = pension.add_parser("estimate", help=zh_en("养老金测算（供参考），含不同情形",
                                                  "the pension estimate (for reference) with its scenarios"))
    e.add_argument("--worker", required=True, help=WORKER)
    e.add_argument("--retire-on", help=zh_en("弹性范围内的退休日期，YYYY-MM-DD（默认：法定退休日）",
                                             "a day in the flexible range, YYYY-MM-DD (default the statutory day)"))
    e.add_argument("--growth", help=zh_en("平均工资和计发基数的年增长率，小数（如 0.03）",
                                          "yearly growth of the average wage and the calculation base (e.g. 0.03)"))
    e.add_argument("--interest", help=zh_en("今后各年的记账利率，小数（默认：最近已知的）",
                                            "the crediting rate from this year on, a fraction (default the latest "
                                            "known)"))
    e.add_argument("--base-ratio", help=zh_en("今后缴费基数占平均工资的比例，0.6 至 3.0",
                                              "future base as a share of the average wage (0.6 .. 3.0)"))
    e.add_argument("--move-to", help=zh_en("迁移情形的地区，6位行政区划代码（默认：外省）",
                                           "the region of the move scenario, a 6-digit code (default: another "
                                           "province)"))
    e.add_argument("--pdf", help=zh_en("养老金测算表保存到此文件", "print the estimate sheet to this file"))
    e.set_defaults(handler=_estimate)
    m = pension.add_parser("determine", help=zh_en("在领取地核定养老金（主管；经办员提交审批申请），"
                                                   "打印基本养老金核定表",
                                                   "the pension determination at the pension place (supervisor; a "
                                                   "clerk's call files a request), printed as the determination form"))
    m.add_argument("--worker", required=True, help=WORKER)
    m.add_argument("--starts-on", help=zh_en("弹性提前或延后的开始日期，YYYY-MM-DD（默认：法定退休日）",
                                             "a flexible early or late day in range, YYYY-MM-DD (default the "
                                             "statutory day)"))
    m.add_argument("--pdf", help=zh_en("核定表保存到此文件（默认：编号.pdf）",
                                       "the determination's file (default NUMBER.pdf)"))
    m.set_defaults(handler=_determine)


def estimate_json(e: Estimate) -> dict[str, Any]:
    """An estimate as the CLI's JSON (amounts as yuan text)."""
    return {"worker": e.worker, "region": e.region, "retirement_date": e.retirement_date.isoformat(),
            "retirement_age_months": e.retirement_age_months, "months_counted": e.months_counted,
            "record_months": e.record_months, "projected_months": e.projected_months,
            "minimum_months": e.minimum_months, "calc_base": fmt(e.calc_base), "calc_base_year": e.calc_base_year,
            "calc_base_projected": e.calc_base_projected, "average_index": str(e.average_index),
            "indexed_wage": fmt(e.indexed_wage), "basic": fmt(e.basic),
            "account_balance_now": fmt(e.account_balance_now),
            "account_balance": fmt(e.account_balance), "divisor": str(e.divisor), "divisor_source": e.divisor_source,
            "account_pension": fmt(e.account_pension), "transitional_months": e.transitional_months,
            "transitional": fmt(e.transitional), "total": fmt(e.total),
            "assumptions": {"growth": str(e.growth), "interest": str(e.interest), "base_ratio": str(e.base_ratio)},
            "notes": list(e.notes),
            "scenarios": [{"name": x.name, "label": x.label, "months_counted": x.months_counted,
                           "basic": fmt(x.basic), "account_pension": fmt(x.account_pension),
                           "transitional": fmt(x.transitional), "total": fmt(x.total),
                           "account_balance": fmt(x.account_balance), "qualifies": x.qualifies,
                           "monthly_contribution": fmt(x.monthly_contribution), "place_region": x.place_region,
                           "place_rule": x.place_rule or None,
                           "balance_path": [[y, fmt(b)] for y, b in x.balance_path]} for x in e.scenarios]}


def determination_json(d: Determination) -> dict[str, Any]:
    """A determination as the CLI's JSON (amounts as yuan text)."""
    return {"worker": d.worker, "region": d.region, "starts_on": d.starts_on.isoformat(),
            "first_month": str(d.first_month), "age_months": d.age_months, "months_counted": d.months_counted,
            "transitional_months": d.transitional_months, "calc_base": fmt(d.calc_base),
            "average_index": str(d.average_index), "indexed_wage": fmt(d.indexed_wage), "basic": fmt(d.basic),
            "account_balance": fmt(d.account_balance), "divisor": str(d.divisor),
            "account_pension": fmt(d.account_pension), "transitional": fmt(d.transitional), "total": fmt(d.total),
            "number": d.number, "decided_on": d.decided_on.isoformat(), "decided_by": d.decided_by,
            "status": "determined"}


def _retirement(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    if a.set_group:
        ledger.retirement.set_group(a.worker, a.set_group)
    return ledger.retirement.check(a.worker, a.on).as_json()


def _place(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    d = ledger.transfers.pension_place(a.worker, a.on)
    return {"region": d.region, "rule": d.rule,
            "years": {k: str(v) for k, v in d.years.items()}}


def _base(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    region, year, amount = ledger.pensions.set_base(a.region, a.year, a.monthly)
    return {"region": region, "year": year, "monthly": fmt(amount)}


def _transitional(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    province, rate, pre1998 = ledger.pensions.set_transitional(a.region, a.rate, a.with_pre1998)
    return {"province": province, "rate": str(rate), "pre1998": pre1998}


def _divisor(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    age, value = ledger.pensions.set_divisor(a.age, a.months, a.value)
    return {"age_months": age, "divisor": str(value)}


def _estimate(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    if a.pdf:
        with ledger.writing_file(a.pdf) as f:
            sheet = ledger.pensions.estimate_pdf(a.worker, a.retire_on, a.growth, a.interest, a.base_ratio,
                                                 a.move_to)
            f.write(sheet.pdf)
        return {**estimate_json(sheet.estimate), "number": sheet.number, "pdf": a.pdf,
                "verification_code": sheet.code}
    return estimate_json(ledger.pensions.estimate(a.worker, a.retire_on, a.growth, a.interest, a.base_ratio,
                                                  a.move_to))


def _determine(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    if ledger.approvals.needed():
        p = ledger.approvals.request_determination(a.worker, a.starts_on)
        return security.pending_json(p, lang, number=None)
    with ledger.writing_file(a.pdf) as f:
        d = ledger.pensions.determine(a.worker, a.starts_on)
        out = str(f.write(d.pdf, None if a.pdf else Path(f"{d.number}.pdf")))
    return {**determination_json(d), "pdf": out, "verification_code": d.code}
