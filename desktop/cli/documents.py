"""Issued documents: `shebao print`, `shebao verify` and `shebao document list|void`."""

from __future__ import annotations

import argparse
from typing import Any

from desktop.cli import security
from desktop.cli.common import Verdict, clerk
from desktop.cli.texts import WORKER, zh_en
from desktop.core.errors import InvalidInput
from desktop.core.ledger import Ledger
from desktop.core.verification import short_code


def add_print_parsers(sub: Any) -> None:
    """`print` and `verify`."""
    c = sub.add_parser("print", help=zh_en("打印文书到 PDF 文件（已出具文书的重印标为副本）",
                                           "print a document to PDF (a reprint of an issued document is marked as a "
                                           "copy)"))
    c.add_argument("kind", choices=["statement", "transfer-certificate", "contact-letter",
                                    "information-table", "coverage-certificate", "scheme-switch-notice"],
                   help=zh_en("文书种类：statement 个人权益记录，transfer-certificate 参保缴费凭证，contact-letter "
                              "联系函，"
                              "information-table 信息表，coverage-certificate 参保证明（境外），"
                              "scheme-switch-notice 城乡养老保险制度衔接告知书",
                              "document kind: statement (a person's contribution record), transfer-certificate, "
                              "contact-letter, information-table, coverage-certificate, scheme-switch-notice"))
    c.add_argument("id", help=zh_en("statement：参保人；contact-letter、information-table：转移业务编号或文书编号；"
                                    "其余：文书编号",
                                    "statement: the person; contact-letter, information-table: case or document "
                                    "number; the others: the document number"))
    c.add_argument("--out", required=True, help=zh_en("PDF 保存到此文件", "save the PDF to this file"))
    c.add_argument("--preview", action="store_true",
                   help=zh_en("只写预览稿（标“预览 — 未编号”，无编号、无验证码，不登记）：statement、"
                              "transfer-certificate 的参保人",
                              "write a preview only (marked as such, no number, no code, nothing registered): "
                              "statement, or transfer-certificate for a person"))
    c.set_defaults(handler=_print)

    c = sub.add_parser("verify", help=zh_en("离线核验文书的验证码，或按登记簿核验文书编号和简码",
                                            "check a document's verification code offline, or its number and "
                                            "short code against the register"))
    c.add_argument("code", nargs="+", help=zh_en(
        "验证码，或本程序打印的 PDF 文件，或“文书编号 简码”（也可写作 编号/简码，如 NC01-ZM2026000001 ABCD-EFGH）",
        "the code, a PDF file this application printed, or \"NUMBER SHORTCODE\" (or NUMBER/SHORTCODE, e.g. "
        "NC01-ZM2026000001 ABCD-EFGH)"))
    c.set_defaults(handler=_verify)


def add_document_parsers(sub: Any) -> None:
    """`document list` and `document void`."""
    grp = sub.add_parser("document", help=zh_en("已出具文书登记簿", "the register of issued documents")).add_subparsers(
        dest="action", required=True)
    c = grp.add_parser("list", help=zh_en("一人的已出具文书", "the documents issued for a person"))
    c.add_argument("worker", help=WORKER)
    c.set_defaults(handler=_list)
    c = grp.add_parser("void", help=zh_en("作废一份文书（需主管审批）", "void a document (needs a supervisor)"))
    c.add_argument("number", help=zh_en("文书编号", "the document number"))
    c.add_argument("--reason", required=True, help=zh_en("作废原因", "why it is voided"))
    c.set_defaults(handler=_void)


def _print(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    if a.preview:
        if a.kind not in ("statement", "transfer-certificate"):
            raise InvalidInput("document.kind", "kind", value=a.kind, known="statement, transfer-certificate")
        with ledger.writing_file(a.out) as f:  # nothing registered: only the file
            draft = ledger.documents.draft(a.kind, a.id, clerk())
            f.write(draft.pdf)
        ledger.views.record(a.id, "print", f"{a.kind} preview")
        return {"pdf": a.out, "pages": draft.pages, "verification_code": None, "number": None,
                "copy": False, "preview": True}
    # The file and the register entry (or the reprint count) are one unit of work: no file, no entry.
    with ledger.writing_file(a.out) as f:
        if a.kind == "statement":
            issued = ledger.documents.issue("statement", a.id, clerk())
        elif a.kind in ("transfer-certificate", "coverage-certificate", "scheme-switch-notice"):
            issued = ledger.documents.reprint(a.id)
        else:
            issued = ledger.documents.reprint(ledger.transfers.document_number(a.kind, a.id))
        f.write(issued.pdf)
    return {"pdf": a.out, "pages": issued.pages, "verification_code": issued.code,
            "short_code": short_code(issued.code), "number": issued.number, "copy": issued.copy}


def _verify(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    v = ledger.documents.verify(" ".join(a.code), lang)
    result = {"valid": v.valid, "kind": v.kind, "number": v.number, "issued_by": v.issued_by,
              "person": v.person, "name": v.name, "date": v.date, "void": v.void, "revoked": v.revoked,
              "key_id": v.key_id, "reason": v.reason}
    if not v.valid:
        raise Verdict(result)
    return result


def _list(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    return {"documents": [{"kind": d.kind, "number": d.number, "issued_on": d.issued_on.isoformat(),
                           "prints": d.prints, "void": d.voided}
                          for d in ledger.documents.list_for(a.worker)]}


def _void(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    if ledger.approvals.needed():
        p = ledger.approvals.request_void(a.number, a.reason)
        return security.pending_json(p, lang, number=a.number, void=False)
    ledger.documents.void(a.number, a.reason)
    return {"number": a.number, "void": True}
