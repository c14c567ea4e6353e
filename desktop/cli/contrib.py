"""Contributions: `shebao contrib record|import|template|correct|back-pay|close`."""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from desktop.cli import security
from desktop.cli.common import money
from desktop.cli.texts import EMPLOYER, FROM_MONTH, MONTH, PREVIEW, TO_MONTH, WORKER, zh_en
from desktop.core.clock import Clock
from desktop.core.errors import InvalidRows
from desktop.core.ledger import Ledger
from desktop.core.services.declaration import TEMPLATE_HEADER, write_error_list, write_template

SCHEMES = zh_en("险种，逗号分隔：pension 养老，medical 医疗，unemployment 失业，injury 工伤，maternity 生育"
                "（默认：全部职工险种）",
                "schemes, comma-separated: pension, medical, unemployment, injury, maternity "
                "(default: every employees' scheme)")


def add_parsers(sub: Any) -> None:
    """The `contrib` group."""
    grp = sub.add_parser("contrib", help=zh_en("缴费", "contributions")).add_subparsers(dest="action", required=True)
    c = grp.add_parser("record", help=zh_en("记录一人一个月的缴费：按基数上下限核定基数，"
                                            "计算各险种单位、个人和个人账户金额",
                                            "record one month of a person: the base after limits and, per scheme, "
                                            "the employer, employee and individual-account amounts"))
    c.add_argument("--worker", required=True, help=WORKER)
    c.add_argument("--employer", required=True, help=EMPLOYER)
    c.add_argument("--month", required=True, help=MONTH)
    c.add_argument("--wage", required=True, help=zh_en("缴费工资，元（如 7000 或 7000.50）",
                                                       "the month's wage in yuan (e.g. 7000 or 7000.50)"))
    c.add_argument("--schemes", help=SCHEMES)
    c.add_argument("--arrears", action="store_true", help=zh_en("已申报未缴费（欠费）；再次记录该月即为补缴",
                                                                "declared but not paid (arrears); recording the month "
                                                                "again pays it"))
    c.add_argument("--preview", action="store_true", help=PREVIEW)
    c.set_defaults(handler=_record)
    c = grp.add_parser("import", help=zh_en("导入用人单位申报文件：全部行成功或全部不导入，每个错误行都列出",
                                            "import an employer's declaration: all rows or none, every bad row "
                                            "reported with its line"))
    c.add_argument("file", help=zh_en("CSV（UTF-8 或 GBK）、XLSX 或 XLS 文件，表头 "
                                      "统一社会信用代码,身份证号码,姓名,所属期,缴费工资"
                                      "（或 employer_uscc,id_number,name,month,wage）；以 # 开头的行不导入",
                                      "a CSV (UTF-8 or GBK), XLSX or XLS file with the header employer_uscc,id_number,"
                                      "name,month,wage (or the Chinese headers); rows starting with # are notes"))
    c.add_argument("--errors-out", metavar="FILE",
                   help=zh_en("有错误行时把错误清单写到此文件：单位的原行加“原行号”和“错误原因”列；"
                              ".xlsx 结尾写 XLSX，否则写 CSV",
                              "when rows are bad, write them here as the employer's rows with their line number and "
                              "the reason added: XLSX if the name ends in .xlsx, CSV otherwise"))
    c.set_defaults(handler=_import)
    c = grp.add_parser("template", help=zh_en("保存单位申报模板（表头、示例行和填写说明）",
                                              "save the declaration template (header, example row, format help)"))
    c.add_argument("--out", required=True, metavar="FILE",
                   help=zh_en("模板文件：.csv 或 .xlsx", "the template file: .csv or .xlsx"))
    c.set_defaults(standalone=_template)
    c = grp.add_parser("correct", help=zh_en("更正已记录月份的缴费工资（需主管审批）",
                                             "correct a recorded month's wage (needs a supervisor)"))
    c.add_argument("--worker", required=True, help=WORKER)
    c.add_argument("--employer", required=True, help=EMPLOYER)
    c.add_argument("--month", required=True, help=MONTH)
    c.add_argument("--wage", required=True, help=zh_en("更正后的缴费工资，元", "the corrected wage in yuan"))
    c.add_argument("--reason", required=True, help=zh_en("更正原因", "why it is corrected"))
    c.set_defaults(handler=_correct)
    c = grp.add_parser("back-pay", help=zh_en("一次性补缴以往月份",
                                              "a lump-sum back payment of past months, in one go"))
    c.add_argument("--worker", required=True, help=WORKER)
    c.add_argument("--employer", required=True, help=EMPLOYER)
    c.add_argument("--from", dest="start", required=True, help=FROM_MONTH)
    c.add_argument("--to", dest="end", required=True, help=TO_MONTH)
    c.add_argument("--wage", required=True, help=zh_en("补缴月份的缴费工资，元",
                                                       "the monthly wage of those months in yuan"))
    c.add_argument("--schemes", default="pension", help=zh_en("险种，逗号分隔（默认 pension 养老）",
                                                              "schemes, comma-separated (default pension)"))
    c.set_defaults(handler=_back_pay)
    c = grp.add_parser("close", help=zh_en("把往年的缴费记录归入往年表（管理员；只改存放位置，记录不变）："
                                           "此后申报只改动当年的表，每日备份只检查和写出当年的部分。"
                                           "每组每日备份的第一份完整备份前会自动做",
                                           "keep the contribution rows of closed years in their own table (admin; "
                                           "where they are kept changes, not what they say): a declaration then "
                                           "changes only the open years, which is all a daily backup checks and "
                                           "writes. The first daily backup of a chain does it before its full copy"))
    c.add_argument("--before", dest="close_before", metavar="YYYY-MM",  # (`before`: a check before opening)
                   help=zh_en("归入此月以前的月份（默认：上个月）",
                              "the months before this one (default: last month)"))
    c.set_defaults(handler=_close)


def _lines(m: Any) -> list[dict[str, Any]]:
    return [{"scheme": ln.scheme, "employer": money(ln.employer), "employee": money(ln.employee),
             "individual_account": money(ln.individual_account),
             "pooling": money(ln.pooling), "exempt": ln.exempt or None} for ln in m.lines]


def _record(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    m = ledger.contributions.record(a.worker, a.employer, a.month, a.wage, a.schemes,
                                    arrears=a.arrears, preview=a.preview)
    return {"month": str(m.month), "wage": money(m.wage), "base": money(m.base),
            "floor": money(m.floor), "ceiling": money(m.ceiling), "kind": m.kind,
            "status": m.status, "recorded": not a.preview, "lines": _lines(m)}


def _import(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    try:
        imported = ledger.contributions.import_file(a.file)
    except InvalidRows as bad:
        if a.errors_out:
            out = Path(a.errors_out)
            count = write_error_list(Path(a.file), bad.rows, out)
            print(f"the {count} bad rows were written to {out}" if lang == "en"
                  else f"错误清单（{count}行）已写入 {out}", file=sys.stderr)
        raise
    return {"rows": imported.rows, "recorded": imported.recorded, "already_recorded": imported.already_recorded,
            "lines": imported.lines, "months": list(imported.months),
            "totals": {t.scheme: {"employer": money(t.employer), "employee": money(t.employee),
                                  "total": money(t.total)} for t in imported.totals}}


def _template(db: str | None, a: argparse.Namespace, clock: Clock | None) -> dict[str, Any]:
    out = Path(a.out)
    write_template(out)
    return {"template": str(out), "columns": list(TEMPLATE_HEADER)}


def _correct(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    if ledger.approvals.needed():
        p = ledger.approvals.request_correction(a.worker, a.employer, a.month, a.wage, a.reason)
        return security.pending_json(p, lang, month=a.month)
    m = ledger.contributions.correct(a.worker, a.employer, a.month, a.wage, a.reason)
    return {"month": str(m.month), "wage": money(m.wage), "base": money(m.base), "status": "corrected",
            "lines": _lines(m)}


def _amount(d: Any) -> str | None:
    return None if d is None else f"{d:.2f}"


def _back_pay(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    months = ledger.contributions.back_pay(a.worker, a.employer, a.start, a.end, a.wage, a.schemes)
    return {"months": len(months), "from": str(months[0].month), "to": str(months[-1].month),
            "kind": "lump_sum", "base": _amount(months[0].base),
            "individual_account": _amount(sum((ln.individual_account for m in months for ln in m.lines
                                               if ln.scheme == "pension"), start=Decimal(0)))}


def _close(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    closed = ledger.contributions.close_years(a.close_before)
    return {"before": str(closed.before), "rows_moved": closed.rows}
