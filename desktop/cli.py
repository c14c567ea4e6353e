"""The `shebao` command line: a stable public interface over the same services as the window.

Global options --db, --json and --lang may stand before or after the subcommand.
Exit codes: 0 done, 2 invalid input, 3 refused by a rule, 4 conflict or integrity, 5 not allowed,
1 anything else.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from desktop import cli_flexible, cli_pension, cli_recovery, cli_security, cli_sync, cli_transfer
from desktop.core.clock import Clock
from desktop.core.errors import DatabaseDamaged, InvalidInput, ShebaoError
from desktop.core.ledger import Ledger
from desktop.core.messages import field_label
from desktop.core.money import fmt
from desktop.core.privacy import mask_id
from desktop.core.refdata import schemes
from desktop.core.regions import name_of

_T = {
    "zh": {"sex.M": "男", "sex.F": "女", "urban": "城镇", "rural": "农村", "done": "完成"},
    "en": {"sex.M": "male", "sex.F": "female", "urban": "urban", "rural": "rural", "done": "done"},
}


class FormsInvalid(InvalidInput):
    """One or more form files cannot be used."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("forms.invalid", None, problems="\n".join(problems))


@dataclass
class Globals:
    """The options every command accepts."""

    db: str | None
    json: bool
    lang: str


def split_globals(argv: Sequence[str]) -> tuple[Globals, list[str]]:
    """Take --db, --json and --lang out of argv wherever they stand."""
    rest: list[str] = []
    db = os.environ.get("SHEBAO_DB")
    as_json = False
    lang = "zh"
    args = list(argv)
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            rest.extend(args[i:])
            break
        if a == "--json":
            as_json = True
        elif a in ("--db", "--lang") and i + 1 < len(args):
            if a == "--db":
                db = args[i + 1]
            else:
                lang = args[i + 1]
            i += 1
        elif a.startswith("--db="):
            db = a[5:]
        elif a.startswith("--lang="):
            lang = a[7:]
        else:
            rest.append(a)
        i += 1
    if lang not in ("zh", "en"):
        lang = "zh"
    return Globals(db, as_json, lang), rest


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (global options are handled by split_globals)."""
    p = argparse.ArgumentParser(prog="shebao", description="社保经办桌面 Shebao Desk")
    p.add_argument("--db", help="SQLite file or SQLAlchemy URL (default: SHEBAO_DB or the user data dir)")
    p.add_argument("--json", action="store_true", help="print the result as one JSON object")
    p.add_argument("--lang", choices=["zh", "en"], help="language of messages (default zh)")
    sub = p.add_subparsers(dest="command", required=True)

    c = sub.add_parser("init", help="create the database and this office's identity")
    c.add_argument("--office", required=True)
    c.add_argument("--office-name", required=True)
    c.add_argument("--region", required=True)

    c = sub.add_parser("demo", help="create a demo office with people and contributions")
    c.add_argument("--people", type=int, default=200)
    c.add_argument("--months", type=int, default=36)

    for name, helptext in (("wage", "average wages"), ("rate", "contribution rates"),
                           ("limit", "base limit ratios"), ("interest", "crediting rates")):
        grp = sub.add_parser(name, help=helptext).add_subparsers(dest="action", required=True)
        c = grp.add_parser("set")
        if name == "wage":
            c.add_argument("--region", required=True)
            c.add_argument("--year", required=True)
            c.add_argument("--monthly", required=True)
        elif name == "rate":
            c.add_argument("--region", required=True)
            c.add_argument("--scheme", required=True)
            c.add_argument("--from", dest="start", required=True)
            c.add_argument("--to", dest="end")
            c.add_argument("--employer", required=True)
            c.add_argument("--employee", required=True)
            c.add_argument("--account")
            c.add_argument("--risk-class")
        elif name == "limit":
            c.add_argument("--region", required=True)
            c.add_argument("--from", dest="start", required=True)
            c.add_argument("--to", dest="end")
            c.add_argument("--floor", required=True)
            c.add_argument("--ceiling", required=True)
        else:
            c.add_argument("--year", required=True)
            c.add_argument("--rate", required=True)

    grp = sub.add_parser("employer", help="employers").add_subparsers(dest="action", required=True)
    c = grp.add_parser("register")
    c.add_argument("--uscc", required=True)
    c.add_argument("--name", required=True)
    c.add_argument("--region")
    c.add_argument("--risk-class")

    grp = sub.add_parser("worker", help="insured people").add_subparsers(dest="action", required=True)
    c = grp.add_parser("register")
    c.add_argument("--id-number")
    c.add_argument("--name", required=True)
    c.add_argument("--hukou-region")
    c.add_argument("--hukou-type")
    c.add_argument("--phone")
    c.add_argument("--nationality")
    c.add_argument("--passport")
    c.add_argument("--sex")
    c.add_argument("--birth-date")
    c.add_argument("--retirement-group", choices=("60", "55", "50"),
                   help="the original retirement age group (default: men 60, women 50; women flexible workers 55)")
    c = grp.add_parser("show")
    c.add_argument("key")
    c = grp.add_parser("find")
    c.add_argument("text")
    c.add_argument("--limit", type=int, default=50)

    grp = sub.add_parser("contrib", help="contributions").add_subparsers(dest="action", required=True)
    c = grp.add_parser("record")
    c.add_argument("--worker", required=True)
    c.add_argument("--employer", required=True)
    c.add_argument("--month", required=True)
    c.add_argument("--wage", required=True)
    c.add_argument("--schemes")
    c.add_argument("--arrears", action="store_true", help="declared but not paid")
    c.add_argument("--preview", action="store_true", help="compute only, write nothing")
    c = grp.add_parser("import")
    c.add_argument("file")
    cli_security.add_correct_parser(grp)
    cli_transfer.add_back_pay_parser(grp)

    c = sub.add_parser("account", help="a person's contribution statement and individual account")
    c.add_argument("worker")

    grp = sub.add_parser("office", help="office identity").add_subparsers(dest="action", required=True)
    c = grp.add_parser("identity")
    c.add_argument("--out", required=True)
    c = grp.add_parser("trust")
    c.add_argument("file")

    c = sub.add_parser("print", help="print a document to PDF")
    c.add_argument("kind", choices=["statement", "transfer-certificate", "contact-letter",
                                    "information-table", "coverage-certificate", "scheme-switch-notice"])
    c.add_argument("id")
    c.add_argument("--out", required=True)

    c = sub.add_parser("verify", help="check a document's verification code offline")
    c.add_argument("code", help="the code, or a PDF file this application printed")

    grp = sub.add_parser("transfer", help="pension transfers").add_subparsers(dest="action", required=True)
    c = grp.add_parser("certificate", help="the contribution certificate (参保缴费凭证) on leaving")
    c.add_argument("--worker", required=True)
    c.add_argument("--out")
    cli_transfer.add_parsers(sub, grp)

    grp = sub.add_parser("document", help="the register of issued documents").add_subparsers(
        dest="action", required=True)
    c = grp.add_parser("list")
    c.add_argument("worker")
    c = grp.add_parser("void")
    c.add_argument("number")
    c.add_argument("--reason", required=True)

    grp = sub.add_parser("exemption", help="certificates of coverage (bilateral agreements)").add_subparsers(
        dest="action", required=True)
    c = grp.add_parser("issue", help="certificate of coverage for a worker posted abroad")
    c.add_argument("--worker", required=True)
    c.add_argument("--country", required=True)
    c.add_argument("--employer", required=True)
    c.add_argument("--host-employer", required=True)
    c.add_argument("--from", dest="start", required=True)
    c.add_argument("--to", dest="end", required=True)
    c.add_argument("--extension", action="store_true", help="extend the certificate ending the day before --from")
    c.add_argument("--self-employed", action="store_true")
    c.add_argument("--special", action="store_true", help="special-case extension where the agreement has one")
    c.add_argument("--passport")
    c.add_argument("--out")
    c = grp.add_parser("inbound", help="record a foreign worker's home certificate")
    c.add_argument("--worker", required=True)
    c.add_argument("--country", required=True)
    c.add_argument("--certificate", required=True)
    c.add_argument("--from", dest="start", required=True)
    c.add_argument("--to", dest="end", required=True)
    c = grp.add_parser("end", help="record an early end of a posting")
    c.add_argument("number")
    c.add_argument("--on", required=True)
    c = grp.add_parser("withdraw", help="withdraw a certificate")
    c.add_argument("number")
    c.add_argument("--reason", required=True)
    c = grp.add_parser("list", help="the register of issued certificates")
    c.add_argument("--country")
    c.add_argument("--worker")
    c.add_argument("--year", type=int)

    grp = sub.add_parser("agreement", help="what each bilateral agreement offers").add_subparsers(
        dest="action", required=True)
    grp.add_parser("list")
    c = grp.add_parser("show")
    c.add_argument("country")
    c = grp.add_parser("set", help="correct one value of an agreement (recorded with who and when)")
    c.add_argument("--country", required=True)
    c.add_argument("--field", required=True)
    c.add_argument("--value", required=True)
    c.add_argument("--reason", required=True)

    grp = sub.add_parser("report", help="reports").add_subparsers(dest="action", required=True)
    cli_transfer.add_report_parser(grp)
    c = grp.add_parser("exemptions", help="certificates of coverage issued per year and country")
    c.add_argument("--year", type=int)
    c.add_argument("--csv")
    c.add_argument("--pdf")

    grp = sub.add_parser("forms", help="the printable forms").add_subparsers(dest="action", required=True)
    grp.add_parser("check")

    grp = sub.add_parser("resident", help="residents' schemes").add_subparsers(dest="action", required=True)
    c = grp.add_parser("record")
    c.add_argument("--worker", required=True)
    c.add_argument("--scheme", required=True, choices=["resident_pension", "resident_medical"])
    c.add_argument("--year", required=True)
    c.add_argument("--grade", required=True)
    c.add_argument("--residence-permit", help="residents' medical outside the hukou place, where the office allows it")
    c = grp.add_parser("years", help="a person's residents' years, employee months in them and refunds due")
    c.add_argument("--worker", required=True)
    c = grp.add_parser("permits", help="admin: whether local residence permit holders join the residents' "
                                       "medical scheme")
    c.add_argument("--allow", choices=["yes", "no"], required=True)
    c = grp.add_parser("switch", help="the switch between the employees' and the residents' pension at retirement "
                                      "age (人社部发〔2014〕17号): decide it and write the notice PDF, or --plan")
    c.add_argument("--worker", required=True)
    c.add_argument("--plan", action="store_true", help="only show what the switch would do")
    c.add_argument("--pdf", help="where to write the notice (default: NUMBER.pdf)")
    cli_security.add_parsers(sub)
    cli_sync.add_parsers(sub)
    cli_recovery.add_parsers(sub)
    cli_pension.add_parsers(sub)
    cli_flexible.add_parsers(sub)
    return p


def _worker_json(w: Any) -> dict[str, Any]:
    return {"id_number": w.id_number, "ssn": w.ssn, "name": w.name, "sex": w.sex,
            "birth_date": w.birth_date.isoformat(), "hukou_region": w.hukou_region,
            "hukou_type": w.hukou_type, "nationality": w.nationality, "passport": w.passport,
            "phone": w.phone}


def _money(d: Decimal) -> str:
    return fmt(d)


_LANG = ["zh"]


class _Verdict(Exception):
    """A verification that failed: the result is printed and the exit code is 4."""

    def __init__(self, result: dict[str, Any]) -> None:
        super().__init__(result["reason"])
        self.result = result


def _clerk() -> str:
    return os.environ.get("SHEBAO_USER", "")


def run(g: Globals, a: argparse.Namespace, clock: Clock | None = None) -> dict[str, Any]:
    """Run one command; returns the JSON result (human output is derived from it). Every date
    the command uses comes from `clock` (the wall clock when None)."""
    _LANG[0] = g.lang
    if a.command == "forms":
        from desktop.core.services.documents import check_forms

        problems = check_forms()
        if problems:
            raise FormsInvalid(problems)
        return {"forms": "ok"}
    if a.command == "demo":
        from desktop.core.demo import build_demo

        ledger = Ledger.open(g.db, clock=clock)
        cli_security.sign_in(ledger, a)
        return build_demo(ledger, people=a.people, months=a.months)
    if a.command == "restore":
        if bool(a.file) + a.plan + a.recover != 1:
            raise InvalidInput("restore.what", "file")
        if a.file:  # a damaged backup is refused before the target is even created
            cli_security.check_backup(a.file, a.key)
    if a.command == "init":  # so is an unacceptable first administrator
        cli_security.check_first_admin()
    recovering = cli_recovery.is_recovery(a)
    # `check` runs its own check; a restore checks first, whatever CHECK_ON_OPEN says.
    ledger = Ledger.open(g.db, clock=clock, check=False if a.command == "check" else (recovering or None))
    try:
        if a.command != "check":  # a check reads no records: anyone may run it
            try:
                cli_security.sign_in(ledger, a)
            except DatabaseDamaged:
                if not recovering:
                    raise  # the accounts cannot be read: only a restore goes on (the backup key decides)
        return _dispatch(ledger, a)
    finally:
        ledger.close()


def _dispatch(ledger: Ledger, a: argparse.Namespace) -> dict[str, Any]:
    cmd = a.command
    act = getattr(a, "action", None)
    if cmd == "init":
        o = ledger.office.init(a.office, a.office_name, a.region)
        admin = cli_security.first_admin(ledger)
        return {"office": {"code": o.code, "name": o.name, "region": o.region,
                           "region_name": o.region_name, "fingerprint": o.fingerprint},
                **({"admin": admin} if admin else {})}
    if cmd == "wage":
        region, year, monthly = ledger.reference.set_wage(a.region, a.year, a.monthly)
        return {"region": region, "year": year, "monthly": _money(monthly)}
    if cmd == "rate":
        r = ledger.reference.set_rate(a.region, a.scheme, a.start, a.employer, a.employee,
                                      a.end, a.account, a.risk_class)
        return {"region": r.region, "scheme": r.scheme, "from": r.start, "to": r.end,
                "employer": str(r.employer), "employee": str(r.employee),
                "account": str(r.account) if r.account is not None else None}
    if cmd == "limit":
        ledger.reference.set_limits(a.region, a.start, a.floor, a.ceiling, a.end)
        return {"region": a.region, "from": a.start, "floor": a.floor, "ceiling": a.ceiling}
    if cmd == "interest":
        ledger.reference.set_interest(a.year, a.rate)
        return {"year": int(a.year), "rate": a.rate}
    if cmd == "employer":
        e = ledger.employers.register(a.uscc, a.name, a.region, a.risk_class)
        return {"employer": {"uscc": e.uscc, "name": e.name, "region": e.region,
                             "risk_class": e.risk_class}}
    if cmd == "worker" and act == "register":
        if a.id_number:
            w = ledger.workers.register_citizen(a.id_number, a.name, a.hukou_region or "",
                                                a.hukou_type or "", a.phone)
        else:
            w = ledger.workers.register_foreigner(a.nationality or "", a.passport or "", a.name,
                                                  a.sex or "", a.birth_date or "", a.phone)
        if a.retirement_group:
            return {"worker": {**_worker_json(w),
                               "retirement_group": ledger.retirement.set_group(w.key, a.retirement_group)}}
        return {"worker": _worker_json(w)}
    if cmd == "worker" and act == "show":
        w = ledger.workers.get(a.key)
        st = ledger.accounts.statement(w.key)
        return {"worker": _worker_json(w),
                "enrolments": [{"scheme": r.scheme, "months_paid": r.months_paid,
                                "regions": [p.region for p in r.regions]} for r in st.schemes]}
    if cmd == "worker" and act == "find":
        found = [_worker_json(w) for w in ledger.workers.find(a.text, a.limit)]
        if ledger.guarded():  # a list: numbers masked; `worker show` opens the person
            found = [cli_security.masked_worker(w) for w in found]
        return {"workers": found}
    if cmd == "contrib" and act == "correct":
        if ledger.approvals.needed():
            p = ledger.approvals.request_correction(a.worker, a.employer, a.month, a.wage, a.reason)
            return cli_security.pending_json(p, _LANG[0], month=a.month)
        m = ledger.contributions.correct(a.worker, a.employer, a.month, a.wage, a.reason)
        return {"month": str(m.month), "wage": _money(m.wage), "base": _money(m.base), "status": "corrected",
                "lines": [{"scheme": ln.scheme, "employer": _money(ln.employer),
                           "employee": _money(ln.employee),
                           "individual_account": _money(ln.individual_account),
                           "pooling": _money(ln.pooling), "exempt": ln.exempt or None} for ln in m.lines]}
    if cmd == "contrib" and act == "record":
        m = ledger.contributions.record(a.worker, a.employer, a.month, a.wage, a.schemes,
                                        arrears=a.arrears, preview=a.preview)
        return {"month": str(m.month), "wage": _money(m.wage), "base": _money(m.base),
                "floor": _money(m.floor), "ceiling": _money(m.ceiling), "kind": m.kind,
                "status": m.status, "recorded": not a.preview,
                "lines": [{"scheme": ln.scheme, "employer": _money(ln.employer),
                           "employee": _money(ln.employee),
                           "individual_account": _money(ln.individual_account),
                           "pooling": _money(ln.pooling), "exempt": ln.exempt or None} for ln in m.lines]}
    if cmd == "contrib" and act == "import":
        imported = ledger.contributions.import_file(a.file)
        return {"rows": imported.rows, "recorded": imported.recorded, "already_recorded": imported.already_recorded,
                "lines": imported.lines, "months": list(imported.months)}
    if cmd == "account":
        return statement_json(ledger.accounts.statement(a.worker))
    if cmd == "office" and act == "identity":
        identity = ledger.office.identity()
        Path(a.out).write_text(json.dumps(identity, ensure_ascii=False, indent=2), encoding="utf-8")
        return {"file": a.out, "code": identity["code"], "fingerprint": identity["fingerprint"]}
    if cmd == "office" and act == "trust":
        try:
            data = json.loads(Path(a.file).read_text(encoding="utf-8"))
        except (OSError, ValueError, UnicodeDecodeError):
            raise InvalidInput("identity.format", "file") from None
        o = ledger.office.trust(data if isinstance(data, dict) else {})
        return {"trusted": {"code": o.code, "name": o.name, "region": o.region, "fingerprint": o.fingerprint}}
    if cmd == "print":
        if a.kind == "statement":
            issued = ledger.documents.issue("statement", a.id, _clerk())
        elif a.kind in ("transfer-certificate", "coverage-certificate", "scheme-switch-notice"):
            issued = ledger.documents.reprint(a.id)
        else:
            issued = ledger.documents.reprint(ledger.transfers.document_number(a.kind, a.id))
        Path(a.out).write_bytes(issued.pdf)
        return {"pdf": a.out, "pages": issued.pages, "verification_code": issued.code,
                "number": issued.number, "copy": issued.copy}
    if cmd == "verify":
        v = ledger.documents.verify(a.code, _LANG[0])
        result = {"valid": v.valid, "kind": v.kind, "number": v.number, "issued_by": v.issued_by,
                  "person": v.person, "name": v.name, "date": v.date, "void": v.void, "reason": v.reason}
        if not v.valid:
            raise _Verdict(result)
        return result
    if cmd == "transfer" and act == "certificate":
        issued = ledger.documents.issue("transfer-certificate", a.worker, _clerk())
        out = a.out or f"{issued.number}.pdf"
        Path(out).write_bytes(issued.pdf)
        return {"case": None, "certificate_no": issued.number, "status": "issued", "pdf": out,
                "verification_code": issued.code}
    if cmd == "exemption":
        return _exemption(ledger, a)
    if cmd == "agreement":
        if act == "list":
            return {"agreements": [agreement_json(x) for x in ledger.exemptions.agreements().values()]}
        if act == "set":
            changed = ledger.exemptions.correct(a.country, a.field, a.value, a.reason, _clerk())
            return {"agreement": agreement_json(changed)}
        return {"agreement": agreement_json(ledger.exemptions.agreement(a.country)),
                "corrections": [{"field": f, "value": v, "reason": r, "by": b, "at": t.isoformat(timespec="seconds")}
                                for f, v, r, b, t in ledger.exemptions.corrections(a.country)]}
    if cmd == "report" and act == "exemptions":
        if a.csv:
            Path(a.csv).write_text(ledger.exemptions.statistics_csv(a.year), encoding="utf-8")
        if a.pdf:
            Path(a.pdf).write_bytes(ledger.exemptions.statistics_document(a.year))
        return {"rows": ledger.exemptions.statistics(a.year), "csv": a.csv, "pdf": a.pdf}
    if cmd == "document" and act == "list":
        return {"documents": [{"kind": d.kind, "number": d.number, "issued_on": d.issued_on.isoformat(),
                               "prints": d.prints, "void": d.voided}
                              for d in ledger.documents.list_for(a.worker)]}
    if cmd == "document" and act == "void":
        if ledger.approvals.needed():
            p = ledger.approvals.request_void(a.number, a.reason)
            return cli_security.pending_json(p, _LANG[0], number=a.number, void=False)
        ledger.documents.void(a.number, a.reason)
        return {"number": a.number, "void": True}
    if cmd == "resident" and act == "permits":
        ledger.residents.allow_residence_permit(a.allow == "yes")
        return {"residence_permit_holders": a.allow == "yes"}
    if cmd == "resident" and act == "switch":
        if a.plan:
            return switch_json(ledger.switches.plan(a.worker))
        decided = ledger.switches.decide(a.worker, _clerk())
        out = a.pdf or f"{decided.notice}.pdf"
        Path(out).write_bytes(decided.pdf)
        return {**switch_json(decided.plan), "notice": decided.notice, "decided_on": decided.decided_on.isoformat(),
                "pdf": out, "verification_code": decided.code}
    if cmd == "resident" and act == "years":
        return {"years": [_resident_json(r) for r in ledger.residents.years(a.worker)]}
    if cmd == "resident":
        return _resident_json(ledger.residents.record(a.worker, a.scheme, a.year, a.grade, a.residence_permit))
    done = (cli_recovery.dispatch(ledger, a, _LANG[0]) or cli_security.dispatch(ledger, a, _LANG[0])
            or cli_sync.dispatch(ledger, a) or cli_transfer.dispatch(ledger, a)
            or cli_pension.dispatch(ledger, a, _LANG[0]) or cli_flexible.dispatch(ledger, a))
    if done is not None:
        return done
    raise SystemExit(2)


def _resident_json(rr: Any) -> dict[str, Any]:
    return {"scheme": rr.scheme, "year": rr.year, "personal": _money(rr.personal),
            "subsidy": _money(rr.subsidy), "total": _money(rr.total), "employee_months": rr.employee_months,
            "refund": _money(rr.refund)}


def switch_json(p: Any) -> dict[str, Any]:
    """A scheme switch plan as the CLI's JSON (amounts as yuan text)."""
    return {"worker": p.worker, "direction": p.direction, "allowed": p.allowed, "rule": p.rule,
            "refusal": p.refusal or None, "retirement_date": p.retirement_on.isoformat(), "reached": p.reached,
            "employee_months": p.employee_months, "resident_years": p.resident_years,
            "overlap_months": p.overlap_months, "counted_months": p.counted_months,
            "account_moved": _money(p.account_moved), "refund": _money(p.refund),
            "refunds": [{"year": y.year, "months": y.overlap, "amount": _money(y.refund)} for y in p.refunds],
            "notice": None}


def agreement_json(x: Any) -> dict[str, Any]:
    """An agreement as the CLI's JSON."""
    return {"country": x.country, "partner": x.partner_zh, "partner_en": x.partner_en, "name": x.name_zh,
            "in_force": x.in_force.isoformat() if x.in_force else None, "schemes_exempted": list(x.schemes),
            "partner_schemes": x.partner_schemes, "first_posting_months": x.first_posting_months,
            "extendable": x.extendable, "max_total_months": x.max_total_months,
            "employees": x.employees, "self_employed": x.self_employed, "family": x.family,
            "certificate": x.certificate_zh, "certificate_partner": x.certificate_partner,
            "source": x.source, "checked": x.checked, "disputed": list(x.disputed), "note": x.note}


def _exemption(ledger: Ledger, a: argparse.Namespace) -> dict[str, Any]:
    act = a.action
    if act == "issue" and ledger.approvals.needed():
        p = ledger.approvals.request_certificate(a.worker, a.country, a.employer, a.host_employer, a.start,
                                                 a.end, a.extension, a.self_employed, a.special, a.passport)
        return cli_security.pending_json(p, _LANG[0], certificate_no=None)
    if act == "issue":
        r = ledger.exemptions.issue(a.worker, a.country, a.employer, a.host_employer, a.start, a.end,
                                    a.extension, a.self_employed, a.special, _clerk(), a.passport)
        out = a.out or f"{r.number}.pdf"
        Path(out).write_bytes(r.pdf)
        return {"certificate_no": r.number, "country": r.country, "schemes_exempted": list(r.schemes),
                "valid_from": r.valid_from.isoformat(), "valid_to": r.valid_to.isoformat(),
                "extension": r.extension, "pdf": out, "verification_code": r.code}
    if act == "inbound":
        return ledger.exemptions.record_inbound(a.worker, a.country, a.certificate, a.start, a.end)
    if act == "end":
        ledger.exemptions.end_early(a.number, a.on)
        return {"certificate_no": a.number, "ended_on": a.on}
    if act == "withdraw":
        ledger.exemptions.withdraw(a.number, a.reason)
        return {"certificate_no": a.number, "withdrawn": True}
    masked = ledger.guarded()  # a list: numbers masked once the office has accounts
    return {"certificates": [
        {"certificate_no": c.number, "worker": mask_id(c.worker) if masked else c.worker, "name": c.name,
         "country": c.country,
         "valid_from": c.valid_from.isoformat(), "valid_to": c.valid_to.isoformat(),
         "ended_on": c.ended_on.isoformat() if c.ended_on else None, "withdrawn": c.withdrawn,
         "self_employed": c.self_employed, "extension": c.extension, "issued_on": c.issued_on.isoformat()}
        for c in ledger.exemptions.register_list(a.country, a.worker, a.year)]}


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
            entry["individual_account_balance"] = _money(st.individual_account_balance)
            entry["interest_complete"] = st.interest_complete
            entry["years"] = [{"year": y.year, "months": y.months, "base_total": _money(y.base_total),
                               "opening": _money(y.opening),
                               "rate": str(y.rate) if y.rate is not None else None,
                               "interest": _money(y.interest) if y.interest is not None else None,
                               "credited": _money(y.credited), "closing": _money(y.closing)}
                              for y in st.account_years]
        out[r.scheme] = entry
    resident = [{"scheme": s, "year": y, "personal": _money(p), "subsidy": _money(sub)}
                for s, y, p, sub in st.resident_years]
    return {"worker": _worker_json(st.worker), "schemes": out, "resident": resident}


def human(result: dict[str, Any], lang: str) -> str:
    """A readable rendering of a JSON result for people at a terminal."""
    t = _T[lang]
    lines: list[str] = []
    if "ratio" in result and "months" in result:
        lines += cli_flexible.human_lines(result)
    elif isinstance(result.get("worker"), dict) and "schemes" not in result:
        w = result["worker"]
        lines.append(f"{w['name']}  {w['id_number'] or w['ssn']}  {t['sex.' + w['sex']]}  {w['birth_date']}"
                     + (f"  {name_of(w['hukou_region'])} {t[w['hukou_type']]}" if w["hukou_region"] else
                        f"  {w['nationality']} {w['passport']}"))
        for e in result.get("enrolments", []):
            lines.append(f"  {schemes()[e['scheme']].name(lang)}: {e['months_paid']}")
    elif "workers" in result:
        for w in result["workers"]:
            lines.append(f"{w['id_number'] or w['ssn']}  {w['name']}  {w['birth_date']}")
    elif "lines" in result and "base" in result:
        lines.append(f"{result['month']}  base {result['base']}  ({result['floor']} .. {result['ceiling']})"
                     f"  {result['kind']} {result['status']}")
        for ln in result["lines"]:
            lines.append(f"  {schemes()[ln['scheme']].name(lang)}: {ln['employer']} + {ln['employee']}"
                         f"  (account {ln['individual_account']}, pooling {ln['pooling']})")
    elif "schemes" in result and isinstance(result.get("worker"), dict):
        w = result["worker"]
        lines.append(f"{w['name']}  {w['id_number'] or w['ssn']}")
        for sid, e in result["schemes"].items():
            lines.append(f"  {schemes()[sid].name(lang)}: {e['months_paid']}")
            for p in e["regions"]:
                lines.append(f"    {p['region']} {name_of(p['region'])}: {p['months_paid']}"
                             f"  {p['first_month']} .. {p['last_month']}")
            for y in e.get("years", []):
                lines.append(f"    {y['year']}: {y['opening']} + {y['interest'] or '-'} + {y['credited']}"
                             f" = {y['closing']}")
            if "individual_account_balance" in e:
                lines.append(f"    = {e['individual_account_balance']}")
    else:
        lines.append(json.dumps(result, ensure_ascii=False))
    return "\n".join(lines)


def _protect_logs() -> None:
    """Warnings go to stderr with ID numbers and phones masked."""
    import logging

    from desktop.core.privacy import protect_logging

    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setLevel(logging.WARNING)
        root.addHandler(handler)
    protect_logging(root)


def main(argv: Sequence[str] | None = None, clock: Clock | None = None) -> int:
    """Entry point of the `shebao` console script (`clock` pins the date for embedding and tests)."""
    g, rest = split_globals(sys.argv[1:] if argv is None else argv)
    _protect_logs()
    parser = build_parser()
    try:
        args = parser.parse_args(rest)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        result = run(g, args, clock)
    except ShebaoError as err:
        print(err.message(g.lang), file=sys.stderr)
        for row in getattr(err, "rows", [])[:200]:
            label = field_label(row.field, g.lang) if row.field else ""
            print(f"  {row.line}: {label}{'：' if label and g.lang == 'zh' else ': ' if label else ''}"
                  f"{row.message(g.lang)}", file=sys.stderr)
        if g.json:
            print(json.dumps({"error": err.to_json(g.lang)}, ensure_ascii=False))
        return err.exit_code
    except (_Verdict, cli_security.Failed, cli_recovery.Damaged) as bad:
        print(bad.result["reason"], file=sys.stderr)
        if g.json:
            print(json.dumps(bad.result, ensure_ascii=False))
        return 4
    except KeyboardInterrupt:
        return 1
    except Exception as exc:  # reported without personal data (SHEBAO_DEBUG=1 re-raises)
        if os.environ.get("SHEBAO_DEBUG"):
            raise
        from desktop.core.privacy import error_report

        print(error_report(exc), file=sys.stderr)
        return 1
    if g.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(human(result, g.lang))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
