"""The office's reference data: `shebao wage|rate|limit|interest set` and `shebao pooling set`."""

from __future__ import annotations

import argparse
from typing import Any

from desktop.cli.common import money
from desktop.cli.texts import FROM_MONTH, REGION, YEAR, zh_en
from desktop.core.ledger import Ledger


def add_parsers(sub: Any) -> None:
    """`wage set`, `rate set`, `limit set` and `interest set`."""
    groups = (
        ("wage", zh_en("社会平均工资", "average wages"),
         zh_en("设置上年度全口径城镇单位就业人员月平均工资（用于该年的缴费基数上下限）",
               "set the previous-year average monthly wage used for the year's base limits")),
        ("rate", zh_en("缴费费率", "contribution rates"),
         zh_en("设置一个险种一段时间的费率（以小数表示，如 0.16）",
               "set a scheme's rates for a period (as fractions, e.g. 0.16)")),
        ("limit", zh_en("缴费基数上下限比例", "base limit ratios"),
         zh_en("设置缴费基数下限和上限占平均工资的比例（如历史上的 40%%）",
               "set the base floor and ceiling as ratios of the average wage (e.g. a historical 40%%)")),
        ("interest", zh_en("个人账户记账利率", "crediting rates"),
         zh_en("设置一年的养老保险个人账户记账利率", "set a year's pension individual-account crediting rate")))
    for name, group_help, set_help in groups:
        grp = sub.add_parser(name, help=group_help).add_subparsers(dest="action", required=True)
        c = grp.add_parser("set", help=set_help)
        if name == "wage":
            c.add_argument("--region", required=True, help=zh_en("省份或地区：6位行政区划代码（如 360000）",
                                                                 "province or region: a 6-digit region code "
                                                                 "(e.g. 360000)"))
            c.add_argument("--year", required=True, help=zh_en("使用该工资的年度，YYYY（工资为上一年度的）",
                                                               "the year it is used for, YYYY (the wage is the year "
                                                               "before's)"))
            c.add_argument("--monthly", required=True, help=zh_en("月平均工资，元", "the average monthly wage in yuan"))
            c.set_defaults(handler=_wage)
        elif name == "rate":
            c.add_argument("--region", required=True, help=REGION)
            c.add_argument("--scheme", required=True, help=zh_en(
                "险种：pension 养老，medical 医疗，unemployment 失业，injury 工伤，maternity 生育，"
                "flexible 灵活就业养老",
                "scheme: pension, medical, unemployment, injury, maternity, flexible (flexible workers' pension)"))
            c.add_argument("--from", dest="start", required=True, help=FROM_MONTH)
            c.add_argument("--to", dest="end", help=zh_en("截止月份，YYYY-MM（默认：一直有效）",
                                                          "last month, YYYY-MM (default: open)"))
            c.add_argument("--employer", required=True, help=zh_en("单位费率，小数（如 0.16）",
                                                                   "employer rate, a fraction (e.g. 0.16)"))
            c.add_argument("--employee", required=True, help=zh_en("个人费率，小数（如 0.08）",
                                                                   "employee rate, a fraction (e.g. 0.08)"))
            c.add_argument("--account", help=zh_en("计入个人账户的费率，小数（养老默认等于个人费率；flexible 必填）",
                                                   "the rate credited to the individual account, a fraction (pension: "
                                                   "default the employee rate; flexible: required)"))
            c.add_argument("--risk-class", help=zh_en("工伤：该费率适用的行业风险类别，1 至 8",
                                                      "injury: the industry risk class the rate is for, 1 to 8"))
            c.set_defaults(handler=_rate)
        elif name == "limit":
            c.add_argument("--region", required=True, help=REGION)
            c.add_argument("--from", dest="start", required=True, help=FROM_MONTH)
            c.add_argument("--to", dest="end", help=zh_en("截止月份，YYYY-MM（默认：一直有效）",
                                                          "last month, YYYY-MM (default: open)"))
            c.add_argument("--floor", required=True, help=zh_en("下限占平均工资的比例，小数（如 0.6）",
                                                                "floor as a ratio of the average wage (e.g. 0.6)"))
            c.add_argument("--ceiling", required=True, help=zh_en("上限占平均工资的比例，小数（如 3）",
                                                                  "ceiling as a ratio of the average wage (e.g. 3)"))
            c.set_defaults(handler=_limit)
        else:
            c.add_argument("--year", required=True, help=YEAR)
            c.add_argument("--rate", required=True, help=zh_en("记账利率，小数（如 0.0262 即 2.62%%）",
                                                               "the crediting rate, a fraction "
                                                               "(e.g. 0.0262 for 2.62%%)"))
            c.set_defaults(handler=_interest)


def add_pooling_parsers(sub: Any) -> None:
    """`pooling set`."""
    g = sub.add_parser("pooling", help=zh_en("统筹层次", "pooling units")).add_subparsers(dest="action", required=True)
    c = g.add_parser("set", help=zh_en("管理员：设置一个省开始养老保险省级统筹的日期",
                                       "admin: the day a province began pooling pensions as one unit"))
    c.add_argument("--region", required=True, help=zh_en("省份（XX0000）或省内任一地区：6位行政区划代码",
                                                         "the province (XX0000) or any region in it: a 6-digit code"))
    c.add_argument("--from", dest="start", required=True, help=zh_en("开始日期，YYYY-MM-DD",
                                                                     "the first day, YYYY-MM-DD"))
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
