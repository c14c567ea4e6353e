"""The `shebao flexible pay|import|cost` commands: a flexible worker's employees' pension months, paid alone."""

from __future__ import annotations

import argparse
from decimal import Decimal
from typing import Any

from desktop.cli.texts import FROM_MONTH, PREVIEW, TO_MONTH, WORKER, zh_en
from desktop.core.ledger import Ledger
from desktop.core.money import fmt
from desktop.core.services.flexible import FlexiblePayment, read_flexible


def add_parsers(sub: Any) -> None:
    """Add `shebao flexible ...` to the command line."""
    grp = sub.add_parser("flexible", help=zh_en("灵活就业人员个人缴纳职工养老保险",
                                                "flexible workers paying the employees' pension alone")
                         ).add_subparsers(dest="action", required=True)
    c = grp.add_parser("pay", help=zh_en("按全省上年度平均工资乘以比例为基数，一次缴纳多个月"
                                         "（20%%，其中 8%% 记入个人账户）",
                                         "pay a run of months at once on RATIO x the province's previous-year "
                                         "average monthly wage (20%%: 8%% to the individual account)"))
    c.add_argument("--worker", required=True, help=WORKER)
    c.add_argument("--from", dest="start", required=True, help=FROM_MONTH)
    c.add_argument("--to", dest="end", required=True, help=TO_MONTH)
    c.add_argument("--base-ratio", required=True, help=zh_en("缴费基数比例，0.60 至 3.00（本机构的基数上下限）",
                                                             "0.60 to 3.00 (the office's base limits)"))
    c.add_argument("--preview", action="store_true", help=PREVIEW)
    c.set_defaults(handler=_pay)
    c = grp.add_parser("import", help=zh_en("导入灵活就业人员缴费文件（税务部门的清单）：列 "
                                            "身份证号码,姓名,起始月份,截止月份,"
                                            "缴费基数比例（或 id_number,name,from,to,ratio）；全部行成功或全部不导入",
                                            "a file of flexible workers' payments (the tax office's list): columns "
                                            "id_number,name,from,to,ratio (or the Chinese headers); all rows or none"))
    c.add_argument("file", help=zh_en("CSV 或 XLSX 文件", "a CSV or XLSX file"))
    c.set_defaults(handler=_import)
    c = grp.add_parser("cost", help=zh_en("灵活就业人员在本地一个月的缴费（默认：最低基数，本月）",
                                          "what a month costs a flexible worker here (default the lowest base, this "
                                          "month)"))
    c.add_argument("--base-ratio", help=zh_en("缴费基数比例，0.60 至 3.00（默认：最低）",
                                              "0.60 to 3.00 (default: the lowest)"))
    c.add_argument("--month", help=zh_en("所属期，YYYY-MM（默认：本月）", "the month, YYYY-MM (default: this month)"))
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


_WORDS = {"zh": {"preview": "（试算）", "base": "缴费基数", "account": "个人账户", "pooling": "统筹"},
          "en": {"preview": "(preview)", "base": "base", "account": "account", "pooling": "pooling"}}


def human_lines(result: dict[str, Any], lang: str = "zh") -> list[str]:
    """A payment for people at a terminal, in `lang`: one line a month, then the totals."""
    t = _WORDS["en" if lang == "en" else "zh"]
    lines = [f"{result['worker']}  x{result['ratio']}" + ("" if result["recorded"] else f"  {t['preview']}")]
    for m in result["months"]:
        lines.append(f"  {m['month']}  {t['base']} {m['base']} ({m['average_wage']} x {result['ratio']})  "
                     f"{m['amount']}  ({t['account']} {m['individual_account']}, {t['pooling']} {m['pooling']})")
    lines.append(f"  = {result['total']}  ({t['account']} {result['individual_account']})")
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
