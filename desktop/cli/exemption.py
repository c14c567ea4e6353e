"""Certificates of coverage under the bilateral agreements: `shebao exemption ...` and
`shebao agreement list|show|set`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop.cli import security
from desktop.cli.common import clerk
from desktop.cli.texts import COUNTRY, EMPLOYER, FROM_DATE, REASON, TO_DATE, WORKER, zh_en
from desktop.core.ledger import Ledger
from desktop.core.privacy import mask_id


def add_parsers(sub: Any) -> None:
    """The `exemption` and `agreement` groups."""
    grp = sub.add_parser("exemption", help=zh_en("双边社会保险协定的参保证明（免缴）",
                                                 "certificates of coverage (bilateral agreements)")).add_subparsers(
        dest="action", required=True)
    c = grp.add_parser("issue", help=zh_en("为派往境外工作的人员出具参保证明",
                                           "certificate of coverage for a worker posted abroad"))
    c.add_argument("--worker", required=True, help=WORKER)
    c.add_argument("--country", required=True, help=COUNTRY)
    c.add_argument("--employer", required=True, help=EMPLOYER)
    c.add_argument("--host-employer", required=True, help=zh_en("境外工作单位名称", "the host employer's name abroad"))
    c.add_argument("--from", dest="start", required=True, help=FROM_DATE)
    c.add_argument("--to", dest="end", required=True, help=TO_DATE)
    c.add_argument("--extension", action="store_true", help=zh_en("延期：接续于 --from 前一天到期的证明",
                                                                  "extend the certificate ending the day before "
                                                                  "--from"))
    c.add_argument("--self-employed", action="store_true", help=zh_en("自雇人员", "the person is self-employed"))
    c.add_argument("--special", action="store_true", help=zh_en("协定有特殊延期条款时按特殊情形延期",
                                                                "special-case extension where the agreement has one"))
    c.add_argument("--passport", help=zh_en("护照号码（印在证明上；参保人未登记护照号码时必填）",
                                            "passport number (printed on the certificate; required when the "
                                            "person has none registered)"))
    c.add_argument("--out", help=zh_en("PDF 保存到此文件（默认：证明编号.pdf）",
                                       "save the PDF to this file (default: NUMBER.pdf)"))
    c.set_defaults(handler=_issue)
    c = grp.add_parser("inbound", help=zh_en("登记外籍人员本国的参保证明",
                                             "record a foreign worker's home certificate"))
    c.add_argument("--worker", required=True, help=WORKER)
    c.add_argument("--country", required=True, help=COUNTRY)
    c.add_argument("--certificate", required=True, help=zh_en("证明编号", "the certificate's number"))
    c.add_argument("--from", dest="start", required=True, help=FROM_DATE)
    c.add_argument("--to", dest="end", required=True, help=TO_DATE)
    c.set_defaults(handler=_inbound)
    c = grp.add_parser("end", help=zh_en("登记派遣提前结束", "record an early end of a posting"))
    c.add_argument("number", help=zh_en("证明编号", "the certificate's number"))
    c.add_argument("--on", required=True, help=zh_en("结束日期，YYYY-MM-DD", "the last day, YYYY-MM-DD"))
    c.set_defaults(handler=_end)
    c = grp.add_parser("withdraw", help=zh_en("撤回一份证明", "withdraw a certificate"))
    c.add_argument("number", help=zh_en("证明编号", "the certificate's number"))
    c.add_argument("--reason", required=True, help=REASON)
    c.set_defaults(handler=_withdraw)
    c = grp.add_parser("list", help=zh_en("已出具证明登记簿", "the register of issued certificates"))
    c.add_argument("--country", help=zh_en("只列此国家：ISO 3166 两位字母代码",
                                           "only this country: ISO 3166 two-letter code"))
    c.add_argument("--worker", help=zh_en("只列此人的", "only this person's"))
    c.add_argument("--year", type=int, help=zh_en("只列此年度出具的，YYYY", "only those issued in this year, YYYY"))
    c.set_defaults(handler=_list)

    grp = sub.add_parser("agreement", help=zh_en("各双边协定的内容",
                                                 "what each bilateral agreement offers")).add_subparsers(
        dest="action", required=True)
    grp.add_parser("list", help=zh_en("全部协定", "every agreement")).set_defaults(handler=_agreements)
    c = grp.add_parser("show", help=zh_en("一个协定及其更正记录", "one agreement and its corrections"))
    c.add_argument("country", help=COUNTRY)
    c.set_defaults(handler=_agreement)
    c = grp.add_parser("set", help=zh_en("更正协定的一项内容（记录更正人和时间）",
                                         "correct one value of an agreement (recorded with who and when)"))
    c.add_argument("--country", required=True, help=COUNTRY)
    c.add_argument("--field", required=True, help=zh_en("项目名，如 first_posting_months",
                                                        "the field, e.g. first_posting_months"))
    c.add_argument("--value", required=True, help=zh_en("新值，JSON 文本（如 48 或 \"2016-10-18\"）",
                                                        "the new value as JSON text (e.g. 48 or \"2016-10-18\")"))
    c.add_argument("--reason", required=True, help=REASON)
    c.set_defaults(handler=_correct)


def agreement_json(x: Any) -> dict[str, Any]:
    """An agreement as the CLI's JSON."""
    return {"country": x.country, "partner": x.partner_zh, "partner_en": x.partner_en, "name": x.name_zh,
            "in_force": x.in_force.isoformat() if x.in_force else None, "schemes_exempted": list(x.schemes),
            "partner_schemes": x.partner_schemes, "first_posting_months": x.first_posting_months,
            "extendable": x.extendable, "max_total_months": x.max_total_months,
            "employees": x.employees, "self_employed": x.self_employed, "family": x.family,
            "certificate": x.certificate_zh, "certificate_partner": x.certificate_partner,
            "source": x.source, "checked": x.checked, "disputed": list(x.disputed), "note": x.note}


def _issue(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    if ledger.approvals.needed():
        p = ledger.approvals.request_certificate(a.worker, a.country, a.employer, a.host_employer, a.start,
                                                 a.end, a.extension, a.self_employed, a.special, a.passport)
        return security.pending_json(p, lang, certificate_no=None)
    with ledger.writing_file(a.out) as f:
        r = ledger.exemptions.issue(a.worker, a.country, a.employer, a.host_employer, a.start, a.end,
                                    a.extension, a.self_employed, a.special, clerk(), a.passport)
        out = str(f.write(r.pdf, None if a.out else Path(f"{r.number}.pdf")))
    return {"certificate_no": r.number, "country": r.country, "schemes_exempted": list(r.schemes),
            "valid_from": r.valid_from.isoformat(), "valid_to": r.valid_to.isoformat(),
            "extension": r.extension, "pdf": out, "verification_code": r.code}


def _inbound(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    return ledger.exemptions.record_inbound(a.worker, a.country, a.certificate, a.start, a.end)


def _end(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    ledger.exemptions.end_early(a.number, a.on)
    return {"certificate_no": a.number, "ended_on": a.on}


def _withdraw(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    ledger.exemptions.withdraw(a.number, a.reason)
    return {"certificate_no": a.number, "withdrawn": True}


def _list(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    masked = ledger.guarded()  # a list: numbers masked once the office has accounts
    return {"certificates": [
        {"certificate_no": c.number, "worker": mask_id(c.worker) if masked else c.worker, "name": c.name,
         "country": c.country,
         "valid_from": c.valid_from.isoformat(), "valid_to": c.valid_to.isoformat(),
         "ended_on": c.ended_on.isoformat() if c.ended_on else None, "withdrawn": c.withdrawn,
         "self_employed": c.self_employed, "extension": c.extension, "issued_on": c.issued_on.isoformat()}
        for c in ledger.exemptions.register_list(a.country, a.worker, a.year)]}


def _agreements(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    return {"agreements": [agreement_json(x) for x in ledger.exemptions.agreements().values()]}


def _correct(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    changed = ledger.exemptions.correct(a.country, a.field, a.value, a.reason, clerk())
    return {"agreement": agreement_json(changed)}


def _agreement(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    return {"agreement": agreement_json(ledger.exemptions.agreement(a.country)),
            "corrections": [{"field": f, "value": v, "reason": r, "by": b, "at": t.isoformat(timespec="seconds")}
                            for f, v, r, b, t in ledger.exemptions.corrections(a.country)]}
