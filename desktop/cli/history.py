"""A person's whole pension record and its opening entries: `shebao history add|remove|show|document`."""

from __future__ import annotations

import argparse
from typing import Any

from desktop.cli.texts import FROM_MONTH, REASON, TO_MONTH, WORKER, zh_en
from desktop.core.ledger import Ledger
from desktop.core.services.record import DOCUMENT_KINDS


def add_parsers(sub: Any) -> None:
    """The `history` group."""
    h = sub.add_parser("history", help=zh_en("一人完整的养老保险记录及建账前历史",
                                             "a person's whole pension record and its opening entries")
                       ).add_subparsers(dest="action", required=True)
    c = h.add_parser("add", help=zh_en("主管：录入原纸质档案中的视同缴费年限或 1998 年前缴费月数",
                                       "supervisor: deemed years or months before 1998 from the old paper file"))
    c.add_argument("--worker", required=True, help=WORKER)
    c.add_argument("--kind", required=True, choices=("deemed", "pre1998"),
                   help=zh_en("种类：deemed 视同缴费年限，pre1998 1998 年前实际缴费",
                              "kind: deemed (deemed contribution years), pre1998 (months paid before 1998)"))
    c.add_argument("--region", required=True, help=zh_en("当时工作地：6位行政区划代码",
                                                         "where the person worked then: a 6-digit region code"))
    c.add_argument("--from", dest="start", required=True, help=FROM_MONTH)
    c.add_argument("--to", dest="end", required=True, help=TO_MONTH)
    c.add_argument("--base", help=zh_en("pre1998：这些月份的月平均缴费基数，元",
                                        "pre1998: the average monthly base of those months in yuan"))
    c.add_argument("--balance", help=zh_en("pre1998：1997-12-31 的个人账户余额，元",
                                           "pre1998: the individual account balance at 1997-12-31 in yuan"))
    c.add_argument("--document", help=zh_en("依据文件（必填）", "the document the entry comes from (required)"))
    c.set_defaults(handler=_add)
    c = h.add_parser("remove", help=zh_en("主管：撤回误录的建账前历史",
                                          "supervisor: take back an opening entry entered by mistake"))
    c.add_argument("--worker", required=True, help=WORKER)
    c.add_argument("--id", required=True, type=int, help=zh_en("该条目的编号（见 history show）",
                                                               "the entry's id (history show)"))
    c.add_argument("--reason", required=True, help=REASON)
    c.set_defaults(handler=_remove)
    c = h.add_parser("show", help=zh_en("按地区列出记录：缴费分段、建账前历史、暂不转移的月份、金额",
                                        "the record by place: periods, opening entries, held-back months, money"))
    c.add_argument("--worker", required=True, help=WORKER)
    c.add_argument("--region", help=zh_en("要查看的统筹地区，6位行政区划代码（默认：参保地）",
                                          "the pooling unit to read, a 6-digit region code (default: where the person "
                                          "is insured)"))
    c.set_defaults(handler=_show)
    c = h.add_parser("document", help=zh_en("主管：一次性补缴所依据的文书（人社厅发〔2019〕94号）",
                                            "supervisor: the document behind a lump-sum back payment (Ministry "
                                            "circular 2019 No. 94)"))
    c.add_argument("--worker", required=True, help=WORKER)
    c.add_argument("--paid-on", required=True, help=zh_en("补缴记录的日期，YYYY-MM-DD",
                                                          "the day the back payment was recorded, YYYY-MM-DD"))
    c.add_argument("--kind", required=True, choices=sorted(DOCUMENT_KINDS),
                   help=zh_en("出具机关种类：" + "，".join(f"{k} {v[0]}" for k, v in sorted(DOCUMENT_KINDS.items())),
                              "issuing body: " + ", ".join(f"{k} ({v[1]})" for k, v in sorted(DOCUMENT_KINDS.items()))))
    c.add_argument("--issuer", required=True, help=zh_en("出具机关名称", "the issuing body's name"))
    c.add_argument("--number", required=True, help=zh_en("文书文号", "the document's number"))
    c.add_argument("--issued-on", required=True, help=zh_en("文书日期，YYYY-MM-DD（须在补缴之前）",
                                                            "the document's date, YYYY-MM-DD (before the payment)"))
    c.set_defaults(handler=_document)


def _money(d: Any) -> str | None:
    return None if d is None else f"{d:.2f}"


def _add(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    e = ledger.records.add_opening(a.worker, a.kind, a.region, a.start, a.end, a.document or "",
                                   base=a.base, balance=a.balance)
    return {"id": e.id, "kind": e.kind, "region": e.region, "from": str(e.first), "to": str(e.last),
            "months": e.months, "base": _money(e.base), "balance": _money(e.balance), "document": e.document}


def _remove(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    ledger.records.remove_opening(a.worker, a.id, a.reason)
    return {"id": a.id, "removed": True}


def _document(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    ledger.records.add_back_payment_document(a.worker, a.paid_on, a.kind, a.issuer, a.number, a.issued_on)
    return {"worker": a.worker, "paid_on": a.paid_on, "kind": a.kind, "number": a.number}


def _show(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    out = ledger.records.view(a.worker, a.region).as_json()
    ledger.views.record(a.worker, "view", "history show")
    return out
