"""Pension transfers between offices: `shebao transfer ...` (certificate, plan, request, seal, gather,
temporary, settle, receive, show, list, enter-letter, enter-table, leave)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from desktop.cli.common import clerk
from desktop.cli.texts import CASE, ON_DATE, WORKER, zh_en
from desktop.core.errors import InvalidInput
from desktop.core.ledger import Ledger
from desktop.core.outfile import StagedFile
from desktop.core.services.transfers import LETTER_FIELDS, STATUSES, CaseInfo, TemporaryView

LETTER_HELP = {
    "bank_account_name": zh_en("联系函：转入地收款账户的开户名称", "contact letter: the receiving account's name"),
    "bank": zh_en("联系函：开户银行", "contact letter: the bank"),
    "bank_account": zh_en("联系函：银行账号", "contact letter: the bank account number"),
    "address": zh_en("联系函：经办机构地址", "contact letter: the office's address"),
    "phone": zh_en("联系函：联系电话", "contact letter: the office's phone"),
}
TO_REGION = zh_en("转入地：6位行政区划代码", "where the person goes: a 6-digit region code")


def _letter_options(c: Any) -> None:
    for name in LETTER_FIELDS:
        c.add_argument(f"--{name.replace('_', '-')}", help=LETTER_HELP[name])


def add_parsers(sub: Any) -> None:
    """The `transfer` group."""
    transfer = sub.add_parser("transfer", help=zh_en("养老保险关系转移接续", "pension transfers")
                              ).add_subparsers(dest="action", required=True)
    c = transfer.add_parser("certificate", help=zh_en("离开参保地时出具参保缴费凭证",
                                                      "the contribution certificate on leaving"))
    c.add_argument("--worker", required=True, help=WORKER)
    c.add_argument("--out", help=zh_en("PDF 保存到此文件（默认：凭证编号.pdf）",
                                       "save the PDF to this file (default: NUMBER.pdf)"))
    c.set_defaults(handler=_certificate)
    c = transfer.add_parser("plan", help=zh_en("转移将转移多少资金、养老金在哪里领取（不写入）",
                                               "what a transfer would move and where the pension is paid (writes "
                                               "nothing)"))
    c.add_argument("--worker", required=True, help=WORKER)
    c.add_argument("--to-region", required=True, help=TO_REGION)
    c.add_argument("--from-region", help=zh_en("转出地：6位行政区划代码（默认：本机构所在地；"
                                               "其他地区则按本地记录的月份估算）",
                                               "where the person leaves, a 6-digit region code (default: this office's "
                                               "region; another region gives an estimate from the months recorded "
                                               "here)"))
    c.add_argument("--on", help=ON_DATE)
    c.set_defaults(handler=_plan)
    c = transfer.add_parser("request", help=zh_en("转入地：受理转移申请，出具联系函",
                                                  "at the new office: open a case and its contact letter"))
    c.add_argument("--worker", required=True, help=WORKER)
    c.add_argument("--from-region", required=True, help=zh_en("转出地：6位行政区划代码",
                                                              "the old region: a 6-digit region code"))
    c.add_argument("--paper", action="store_true", help=zh_en("与转出地通过邮寄往来",
                                                              "the old office is reached by post"))
    _letter_options(c)
    c.add_argument("--out", help=zh_en("联系函 PDF 保存到此文件", "save the contact letter PDF here"))
    c.add_argument("--relationship", help=zh_en("在本地开设临时账户时：参保凭证上的基本养老保险关系所在地，"
                                                "6位行政区划代码"
                                                "（默认：按本地所知）",
                                                "a temporary account opened here: the region holding the pension "
                                                "relationship, from the person's certificate (default: as known here)"))
    c.set_defaults(handler=_request)
    c = transfer.add_parser("seal", help=zh_en("持有临时缴费账户的机构，参保人转往外省：封存该账户并出具凭证",
                                               "at the office holding an open temporary account, the person moving to "
                                               "another province: seal it and print its certificate"))
    c.add_argument("--worker", required=True, help=WORKER)
    c.add_argument("--to-region", required=True, help=TO_REGION)
    c.add_argument("--out", help=zh_en("凭证 PDF 保存到此文件", "save the certificate PDF here"))
    c.set_defaults(handler=_seal)
    c = transfer.add_parser("gather", help=zh_en("关系所在地：归集临时缴费账户（达到领取年龄或经批准转移），出具联系函",
                                                 "at the office holding the relationship: gather a temporary account "
                                                 "(at pension age, or an approved transfer); issues the contact "
                                                 "letter"))
    c.add_argument("--worker", required=True, help=WORKER)
    c.add_argument("--from-region", required=True, help=zh_en("临时账户所在地：6位行政区划代码",
                                                              "where the temporary account is held: a 6-digit region "
                                                              "code"))
    c.add_argument("--paper", action="store_true", help=zh_en("与该地通过邮寄往来",
                                                              "the holding office is reached by post"))
    c.add_argument("--approved", help=zh_en("未到领取年龄时：批准文号", "before pension age: the approval's reference"))
    _letter_options(c)
    c.add_argument("--out", help=zh_en("联系函 PDF 保存到此文件", "save the contact letter PDF here"))
    c.set_defaults(handler=_gather)
    c = transfer.add_parser("temporary", help=zh_en("本地所知的一人的临时缴费账户",
                                                    "a person's temporary contribution accounts known here"))
    c.add_argument("--worker", required=True, help=WORKER)
    c.set_defaults(handler=_temporary)
    c = transfer.add_parser("settle", help=zh_en("转出地：出具信息表，转出资金",
                                                 "at the old office: information table, funds out"))
    c.add_argument("--case", required=True, help=CASE)
    c.add_argument("--out", help=zh_en("信息表 PDF 保存到此文件", "save the information table PDF here"))
    c.add_argument("--without-interest", action="store_true",
                   help=zh_en("主管：以往年度记账利率未录入时也办理（该年不计利息，信息表注明）",
                              "supervisor: settle although a past year's crediting rate is not entered "
                              "(that year earns no interest; the table says so)"))
    c.set_defaults(handler=_settle)
    c = transfer.add_parser("receive", help=zh_en("转入地：核对到账金额，接续记录",
                                                  "at the new office: check the money received, continue the history"))
    c.add_argument("--case", required=True, help=CASE)
    c.add_argument("--amount", help=zh_en("到账金额，元（默认：信息表合计）",
                                          "the amount received in yuan (default: the table's total)"))
    c.set_defaults(handler=_receive)
    c = transfer.add_parser("show", help=zh_en("一件转移业务：所处步骤、按工作日计算的办理期限、是否逾期",
                                               "a case with its step, the working-day due date and whether it is "
                                               "overdue"))
    c.add_argument("case", help=CASE)
    c.set_defaults(handler=_show)
    c = transfer.add_parser("list", help=zh_en("转移业务列表", "the list of cases"))
    c.add_argument("--status", choices=sorted(STATUSES),
                   help=zh_en("只列此状态：" + "，".join(f"{k} {v[0]}" for k, v in sorted(STATUSES.items())),
                              "only this status: " + ", ".join(f"{k} ({v[1]})" for k, v in sorted(STATUSES.items()))))
    c.add_argument("--overdue", action="store_true", help=zh_en("只列逾期的", "only overdue cases"))
    c.add_argument("--worker", help=zh_en("只列此人的（身份证号码等）", "only this person's (ID number etc.)"))
    c.set_defaults(handler=_list)
    c = transfer.add_parser("enter-letter", help=zh_en("转出地：录入邮寄收到的联系函",
                                                       "at the old office: type in a contact letter received by post"))
    c.add_argument("--case", required=True, help=zh_en("联系函上的转移业务编号", "the case number on the letter"))
    c.add_argument("--worker", required=True, help=WORKER)
    c.add_argument("--to-region", required=True, help=TO_REGION)
    c.add_argument("--to-office", default="-", help=zh_en("转入地经办机构代码", "the new office's code"))
    c.add_argument("--applied-on", required=True, help=zh_en("申请日期，YYYY-MM-DD",
                                                             "the application date, YYYY-MM-DD"))
    c.add_argument("--gather", action="store_true", help=zh_en("联系函要求归集本地的临时账户",
                                                               "the letter asks for the temporary account held here"))
    _letter_options(c)
    c.set_defaults(handler=_enter_letter)
    c = transfer.add_parser("enter-table", help=zh_en("转入地：录入邮寄收到的信息表",
                                                      "at the new office: type in an information table received by "
                                                      "post"))
    c.add_argument("--case", required=True, help=CASE)
    c.add_argument("--file", required=True, help=zh_en("JSON 文件：六项金额、各年明细、缴费分段（kind, region, first, "
                                                       "last, "
                                                       "months）和信息表日期（settled_on）",
                                                       "JSON: the six money lines, the yearly rows and the periods "
                                                       "(kind, region, first, last, months), the table's date "
                                                       "(settled_on)"))
    c.set_defaults(handler=_enter_table)
    c = transfer.add_parser("leave", help=zh_en("转出地，统筹区内以纸质办理的转移："
                                                "出具离开时的凭证（不转资金，无联系函）",
                                                "at the old office, a move inside the pooling unit on paper: "
                                                "the certificate on leaving (no funds, no contact letter)"))
    c.add_argument("--worker", required=True, help=WORKER)
    c.add_argument("--to-region", required=True, help=TO_REGION)
    c.add_argument("--out", help=zh_en("凭证（不含资金的信息表）PDF 保存到此文件",
                                       "save the certificate (information table, no funds) PDF here"))
    c.set_defaults(handler=_leave)


def _money(d: Any) -> str | None:
    return None if d is None else f"{d:.2f}"


def case_json(c: CaseInfo) -> dict[str, Any]:
    """A case as JSON."""
    return {"case": c.number, "worker": c.worker, "name": c.name, "from_region": c.from_region,
            "to_region": c.to_region, "channel": c.channel, "status": c.status,
            "status_name": STATUSES[c.status][0], "applied_on": c.applied_on.isoformat(),
            "due": c.due.isoformat() if c.due else None, "due_estimated": c.due_estimated,
            "overdue": c.overdue, "individual_account": _money(c.account), "pooling_fund": _money(c.pooling),
            "total": _money(c.total), "received_amount": _money(c.received_amount), "kind": c.kind,
            "note": c.note or None}


def temporary_json(t: TemporaryView) -> dict[str, Any]:
    """A temporary account as JSON: where, its state, and its money where held here."""
    i = t.info
    return {"region": i.region, "relationship_region": i.relationship_region, "opened_on": i.opened_on.isoformat(),
            "first_month": str(i.first_month), "state": i.state,
            "sealed_on": i.sealed_on.isoformat() if i.sealed_on else None, "sealed_to": i.sealed_to,
            "certificate_no": i.sealed_document, "gathered_by": i.gathered_by, "months": t.months,
            "individual_account": _money(t.account), "total": _money(t.total),
            "years_without_interest": list(t.years_without_interest)}


def _save(f: StagedFile, pdf: bytes | None, out: str | None) -> str | None:
    """Stage the PDF for --out (placed when the unit of work around it commits)."""
    if pdf is None or not out:
        return None
    f.write(pdf)
    return out


def _certificate(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    with ledger.writing_file(a.out) as f:
        issued = ledger.documents.issue("transfer-certificate", a.worker, clerk())
        out = str(f.write(issued.pdf, None if a.out else Path(f"{issued.number}.pdf")))
    return {"case": None, "certificate_no": issued.number, "status": "issued", "pdf": out,
            "verification_code": issued.code}


def _letter(a: argparse.Namespace) -> dict[str, str]:
    return {k: getattr(a, k, None) or "" for k in LETTER_FIELDS}


def _plan(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    p = ledger.transfers.plan(a.worker, a.to_region, a.on, a.from_region)
    return {"worker": p.worker, "from_region": p.from_region, "to_region": p.to_region,
            "individual_account": _money(p.individual_account), "pooling_fund": _money(p.pooling_fund),
            "total": _money(p.total), "months_counted": p.months_counted,
            "temporary_account": p.temporary_account, "temporary_rule": p.temporary_rule,
            "payment_place": p.place_region, "rule": p.place_rule,
            "years_without_interest": list(p.years_without_interest), "kind": p.kind,
            "funds_move": p.funds_move, "periods": [{**x.as_json(), "received": x.received} for x in p.periods],
            "place_years": {k: str(v) for k, v in p.place_years},
            "held_back": [{"paid_on": h.paid_on.isoformat(), "months": len(h.months), "first": str(h.months[0]),
                           "last": str(h.months[-1]), "notify_by": h.notify_by.isoformat()} for h in p.held_back]}


def _leave(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    with ledger.writing_file(a.out) as f:
        r = ledger.transfers.leave(a.worker, a.to_region)
        return {**case_json(r.case), "certificate_no": r.document_number, "pdf": _save(f, r.pdf, a.out)}


def _seal(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    with ledger.writing_file(a.out) as f:
        r = ledger.transfers.seal_temporary(a.worker, a.to_region)
        return {**case_json(r.case), "certificate_no": r.document_number, "pdf": _save(f, r.pdf, a.out)}


def _temporary(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    return {"worker": a.worker, "accounts": [temporary_json(t) for t in ledger.transfers.temporary(a.worker)]}


def _request(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    with ledger.writing_file(a.out) as f:
        r = ledger.transfers.request(a.worker, a.from_region, _letter(a), "paper" if a.paper else "sync",
                                     relationship=a.relationship)
        return {**case_json(r.case), "certificate_no": r.document_number, "pdf": _save(f, r.pdf, a.out)}


def _gather(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    with ledger.writing_file(a.out) as f:
        r = ledger.transfers.gather_temporary(a.worker, a.from_region, _letter(a), "paper" if a.paper else "sync",
                                              a.approved or "")
        return {**case_json(r.case), "certificate_no": r.document_number, "pdf": _save(f, r.pdf, a.out)}


def _settle(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    with ledger.writing_file(a.out) as f:
        r = ledger.transfers.settle(a.case, without_interest=a.without_interest)
        return {**case_json(r.case), "certificate_no": r.document_number, "pdf": _save(f, r.pdf, a.out)}


def _receive(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    amount = a.amount if a.amount is not None else ledger.transfers.show(a.case).total
    if amount is None:
        amount = "0"
    return case_json(ledger.transfers.receive(a.case, amount))


def _show(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    return case_json(ledger.transfers.show(a.case))


def _list(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    return {"cases": [case_json(c) for c in ledger.transfers.list(a.status, a.overdue, a.worker)]}


def _enter_letter(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    return case_json(ledger.transfers.enter_letter(a.case, a.worker, a.to_region, a.to_office,
                                                   a.applied_on, _letter(a), "gather" if a.gather else "transfer"))


def _enter_table(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    try:
        t = json.loads(Path(a.file).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise InvalidInput("file.unreadable", "file", path=a.file) from None
    if not isinstance(t, dict):
        raise InvalidInput("file.unreadable", "file", path=a.file)
    return case_json(ledger.transfers.enter_table(
        a.case, t.get("pre1998", "0"), t.get("to_last_year_end", "0"), t.get("this_year_principal", "0"),
        t.get("account", "0"), t.get("pooling", "0"), t.get("total", "0"), list(t.get("rows", [])),
        str(t.get("table_number", "")), t.get("months_paid"), list(t.get("periods", [])), t.get("settled_on")))
