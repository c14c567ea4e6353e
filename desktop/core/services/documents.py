"""Issued documents: statements and certificates rendered from forms/, numbered, signed, verifiable."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from desktop.core import audit, keyhistory
from desktop.core.changes import NOTHING, Changes
from desktop.core.draft import DRAFT_NUMBER, Draft, mark_draft
from desktop.core.errors import Conflict, InvalidInput, RefusedByRule
from desktop.core.forms.render import DocumentData, render
from desktop.core.forms.spec import FormFileError, FormSpec, load_form
from desktop.core.keyhistory import KeyRecord
from desktop.core.keys import office_signer
from desktop.core.latin_names import latin_name
from desktop.core.money import fmt, yuan_of
from desktop.core.outfile import check_folder
from desktop.core.paths import forms_dir
from desktop.core.refdata import schemes
from desktop.core.regions import name_of
from desktop.core.security import COUNTER, SUPERVISE
from desktop.core.services.office import contact_values, load_office
from desktop.core.services.workers import find_worker_row, require_worker
from desktop.core.store.models import (
    Contribution,
    Document,
    Employer,
    Office,
    TrustedOffice,
    Worker,
)
from desktop.core.verification import (
    PREFIXES,
    BadCode,
    decode,
    make_code,
    normalise,
    normalise_short,
    short_code,
    signature_valid,
    split_short,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from desktop.core.ledger import Ledger
    from desktop.core.services.accounts import Statement

KINDS = {"statement": ("ZM", "参保缴费证明", "statement of contributions"),
         "transfer-certificate": ("PZ", "参保缴费凭证", "contribution certificate"),
         "coverage-certificate": ("CB", "参保证明", "certificate of coverage"),
         "exemption-statistics": ("TJ", "参保证明统计表", "certificates of coverage by year and country"),
         "contact-letter": ("LX", "基本养老保险关系转移接续联系函", "pension transfer contact letter"),
         "information-table": ("XX", "基本养老保险参保缴费信息表", "pension contribution information table"),
         "transfer-report": ("ZT", "养老保险关系转移接续情况统计表", "pension transfers in and out"),
         "temporary-account": ("LS", "临时基本养老保险缴费账户封存凭证", "temporary contribution account sealed"),
         "scheme-switch-notice": ("XJ", "城乡养老保险制度衔接告知书", "notice of the switch between pension schemes"),
         "medical-certificate": ("YB", "基本医疗保险参保（合）凭证", "medical insurance transfer certificate"),
         "pension-estimate": ("CS", "养老金测算表", "pension estimate (for reference only)"),
         "pension-determination": ("HD", "基本养老金核定表", "basic pension determination")}
ISSUED_HERE = ("statement", "transfer-certificate")  # the others are issued by their procedures
_COMMON = {"office.name", "office.code", "office.region", "office.region_name", "doc.number",
           "doc.date", "doc.kind_name", "doc.clerk", "page", "pages",
           "office.address", "office.phone", "office.postcode"}
_PERSON = {"person.name", "person.sex", "person.birth_date", "person.id_number", "person.ssn",
           "person.hukou", "person.phone", "person.nationality", "person.passport"}
# The statement's month-by-month detail: one row per month and employer, the amount of each scheme
# (employer and employee together; the pension's two parts apart), then a totals row.
MONTH_COLUMNS = ("month", "employer", "base", "pension_employer", "pension_employee", "medical",
                 "unemployment", "injury", "maternity", "status")
_YEARS = {"years[]"} | {f"years[].{k}" for k in ("year", "months", "base_total", "opening", "rate",
                                                  "interest", "credited", "closing")}
DATA_PATHS: dict[str, frozenset[str]] = {
    "temporary-account": frozenset(_COMMON | _PERSON | {f"temp.{k}" for k in (
        "region", "region_name", "relationship", "relationship_name", "opened", "first_month", "last_month",
        "months", "sealed_on", "to_region", "to_region_name", "paid", "account", "total", "note")}
        | {"rows[]"} | {f"rows[].{k}" for k in ("year", "months", "base", "paid")}),
    "medical-certificate": frozenset(_COMMON | _PERSON | {
        "cert.region", "cert.region_name", "cert.to_region", "cert.to_region_name", "cert.months_here",
        "cert.months", "cert.years", "cert.applied_on", "cert.due", "cert.due_note", "cert.new_office_note",
        "cert.basis", "periods[]", "periods[].first", "periods[].last", "periods[].months", "regions[]"}
        | {f"regions[].{k}" for k in ("region", "region_name", "first", "last", "months", "source")}),
    "transfer-report": frozenset(_COMMON | {"report.scope", "rows[]"} | {
        f"rows[].{k}" for k in ("direction", "month", "people", "rural", "account", "pooling", "total")}),
    "statement": frozenset(_COMMON | _PERSON | _YEARS | {"account.balance", "account.note"}
                           | {"periods[]"} | {f"periods[].{k}" for k in (
                               "scheme_name", "region", "region_name", "first_month", "last_month",
                               "months", "arrears")}
                           | {"employers[]", "employers[].name", "employers[].uscc", "employers[].first",
                              "employers[].last", "employers[].months", "months[]"}
                           | {f"months[].{k}" for k in MONTH_COLUMNS}),
    "exemption-statistics": frozenset(_COMMON | {"report.scope", "rows[]"} | {
        f"rows[].{k}" for k in ("year", "country", "partner", "employees", "self_employed", "total")}),
    "coverage-certificate": frozenset(_COMMON | _PERSON | {
        "agreement.name_zh", "agreement.name_en", "partner.name_zh", "partner.name_en",
        "cert.name_zh", "cert.name_partner", "cert.from", "cert.to", "cert.kind_zh", "cert.kind_en",
        "cert.extension", "person.sex_en", "person.name_latin", "employer.name", "employer.uscc", "host.name",
        "schemes[]", "schemes[].name_zh", "schemes[].name_en"}),
    "transfer-certificate": frozenset(_COMMON | _PERSON | _YEARS | {
        "account.balance", "cert.period_from", "cert.period_to", "cert.months_paid", "cert.region",
        "cert.region_name", "cert.last_employer"}),
    "contact-letter": frozenset(_COMMON | _PERSON | {
        "case.number", "case.from_region", "case.from_region_name", "case.to_region",
        "case.to_region_name", "to.office_name", "letter.office_name", "letter.address",
        "letter.bank_account_name", "letter.bank", "letter.bank_account", "letter.phone",
        "letter.basis"}),
    "information-table": frozenset(_COMMON | _PERSON | {
        "case.number", "case.from_region", "case.from_region_name", "case.to_region",
        "case.to_region_name", "table.first_month", "table.account_opened", "table.period_from",
        "table.period_to", "table.months_paid", "table.account_type", "table.note", "money.pre1998",
        "money.to_last_year_end", "money.this_year_principal", "money.account", "money.pooling",
        "money.total", "rows[]"} | {f"rows[].{k}" for k in (
            "year", "base", "months", "employer_rate", "account_rate", "personal_rate", "credited",
            "interest", "closing")} | {"periods[]"} | {f"periods[].{k}" for k in (
            "kind", "region", "region_name", "first", "last", "months", "source")}),
    "scheme-switch-notice": frozenset(_COMMON | _PERSON | {f"switch.{k}" for k in (
        "direction", "retirement_on", "employee_months", "resident_years", "overlap_months", "counted",
        "account_moved", "account_note", "refund")} | {"years[]"} | {f"years[].{k}" for k in (
            "year", "personal", "subsidy", "overlap", "refund")}),
    "pension-estimate": frozenset(_COMMON | _PERSON | {f"est.{k}" for k in (
        "region", "retirement_date", "statutory_date", "age", "months_counted", "record_months",
        "projected_months", "minimum_months", "calc_base", "calc_base_note", "average_index", "indexed_wage",
        "basic", "account_now", "account_balance", "divisor", "divisor_note", "account_pension",
        "transitional_months", "transitional_rate", "transitional", "total", "assumptions")}
        | {"scenarios[]", "notes[]", "notes[].text"} | {f"scenarios[].{k}" for k in (
            "label", "months", "basic", "account_pension", "transitional", "total", "cost")}),
    "pension-determination": frozenset(_COMMON | _PERSON | {f"det.{k}" for k in (
        "region", "starts_on", "first_month", "age", "months_counted", "transitional_months", "calc_base",
        "average_index", "indexed_wage", "basic", "account_balance", "divisor", "account_pension",
        "transitional", "total", "supervisor")}),
}


@lru_cache(maxsize=4)
def _forms(folder: str) -> dict[str, FormSpec]:
    latest: dict[str, FormSpec] = {}
    for path in sorted(Path(folder).glob("*.toml")):
        spec = load_form(path, DATA_PATHS)
        if spec.kind not in latest or spec.version > latest[spec.kind].version:
            latest[spec.kind] = spec
    return latest


def forms() -> dict[str, FormSpec]:
    """The newest form of each kind in forms/; a bad form file raises FormFileError naming its line."""
    return _forms(str(forms_dir()))


def check_forms(folder: Path | None = None) -> list[str]:
    """Every problem in every form file of the folder, as 'file:line: reason'."""
    problems = []
    for path in sorted((folder or forms_dir()).glob("*.toml")):
        try:
            load_form(path, DATA_PATHS)
        except FormFileError as err:
            problems.append(str(err))
    return problems


@dataclass(frozen=True)
class Issued:
    """A rendered document."""

    kind: str
    number: str
    code: str
    pdf: bytes
    pages: int
    copy: bool
    changes: Changes = field(default=NOTHING, compare=False, repr=False)  # the register's new entry


@dataclass(frozen=True)
class DocumentInfo:
    """A document in the register."""

    kind: str
    number: str
    issued_on: dt.date
    prints: int
    voided: bool


@dataclass(frozen=True)
class Verdict:
    """What `verify` found."""

    valid: bool
    kind: str | None
    number: str | None
    issued_by: str | None
    person: str | None
    name: str | None
    date: str | None
    reason: str
    void: bool = False
    revoked: bool = False  # signed with a key its office revoked before the document's date
    key_id: str | None = None  # the key that signed it (when found)


def _money(value: Decimal | None) -> str:
    return fmt(value) if value is not None else "—"


class DocumentService:
    """Issue, reprint, void and verify documents."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def issue(self, kind: str, worker: str, clerk: str = "") -> Issued:
        """Issue a new document of the kind for the person: numbered, signed, registered; noted in
        the log of who viewed whom as a print (in the same unit of work)."""
        spec, st, today, clerk = self._ready(kind, worker, clerk)
        with self._ledger.write() as s:
            office = load_office(s)
            w = self._person(s, kind, worker, st)
            number = next_number(s, office, kind, today)
            data = self._data(s, kind, office, w, st, number, today, clerk)
            code = register(s, kind, office, w, data, number, today, self._ledger.now())
            self._ledger.views.record(w.id, "print", kind)
        out = render(spec, data, code)
        return Issued(kind, number, code, out.pdf, out.pages, False,
                      Changes.of_documents(w.id_number or w.ssn, [number]))

    def draft(self, kind: str, worker: str, clerk: str = "") -> Draft:
        """What issue() would print now, to look at first: rendered the same way but marked 预览 —
        未编号, with no number and no verification code. Nothing is registered, no number is taken and
        no print is counted; issue() does that when the document is printed or saved. It is refused
        as the paper would be."""
        spec, st, today, clerk = self._ready(kind, worker, clerk)
        with self._ledger.read() as s:
            w = self._person(s, kind, worker, st)
            data = self._data(s, kind, load_office(s), w, st, DRAFT_NUMBER, today, clerk)
            key = w.id_number or w.ssn
        out = render(spec, data)
        return Draft(kind, key, mark_draft(out.pdf), out.pages)

    def _ready(self, kind: str, worker: str, clerk: str) -> tuple[FormSpec, Statement, dt.date, str]:
        """What issue() and draft() check and read first: the right, the kind, the person's statement
        (a statement is refused while a crediting rate is missing); returns the form, the statement,
        today and the clerk's name."""
        self._ledger.require(COUNTER)
        if kind not in ISSUED_HERE:
            raise InvalidInput("document.kind", "kind", value=kind, known=", ".join(ISSUED_HERE))
        st = self._ledger.accounts.statement(worker)
        today = self._ledger.today()
        if kind == "statement":
            refuse_missing_rates(st, today)
        return forms()[kind], st, today, clerk or self._ledger.actor_name()

    @staticmethod
    def _person(s: Session, kind: str, worker: str, st: Statement) -> Worker:
        """The person's row; a transfer certificate needs a pension record."""
        w = find_worker_row(s, worker)
        assert w is not None  # statement() already refused an unknown person
        if kind == "transfer-certificate" and not any(r.scheme == "pension" for r in st.schemes):
            raise RefusedByRule("document.no_pension", "worker")
        return w

    def reprint(self, number: str) -> Issued:
        """Print an issued document again, exactly as issued, marked as a copy (副本)."""
        self._ledger.require(COUNTER)
        with self._ledger.write() as s:
            doc = s.scalars(select(Document).where(Document.number == number.strip())).first()
            if doc is None:
                raise InvalidInput("document.unknown", "number", value=number)
            if doc.voided_on is not None:
                raise RefusedByRule("document.void", "number", number=doc.number, reason=doc.void_reason or "")
            doc.prints += 1
            stored = json.loads(doc.data_json)
            kind, code, form_version = doc.kind, doc.code, doc.form_version
        spec = self._form_version(kind, form_version)
        out = render(spec, DocumentData(stored["values"], stored["lists"]), code, copy=True)
        return Issued(kind, number, code, out.pdf, out.pages, True)

    def void(self, number: str, reason: str) -> None:
        """Record that a document is void; verify reports it from then on.

        Needs a supervisor; a clerk files `ledger.approvals.request_void` instead.
        """
        self._ledger.require(SUPERVISE)
        if not reason.strip():
            raise InvalidInput("required", "reason")
        with self._ledger.write() as s:
            doc = s.scalars(select(Document).where(Document.number == number.strip())).first()
            if doc is None:
                raise InvalidInput("document.unknown", "number", value=number)
            if doc.voided_on is not None:
                raise Conflict("document.void", "number", number=doc.number, reason=doc.void_reason or "")
            audit.note(s, f"void: {reason.strip()[:400]}")
            doc.voided_on = self._ledger.today()
            doc.void_reason = reason.strip()[:400]

    def list_for(self, worker: str) -> list[DocumentInfo]:
        """The documents issued for a person, newest first."""
        with self._ledger.read() as s:
            w = require_worker(s, worker)
            return [DocumentInfo(d.kind, d.number, d.issued_on, d.prints, d.voided_on is not None)
                    for d in s.scalars(select(Document).where(Document.worker_id == w.id)
                                       .order_by(Document.id.desc()))]

    def batch(self, kind: str, workers: Iterable[str], out_dir: Path, clerk: str = "",
              progress: Callable[[int, int], bool] | None = None) -> list[Path]:
        """Issue one document per person into out_dir, reporting progress; stops when told to.

        The folder is checked (made when missing) first; each document is registered in one unit of
        work with its file, so a failure leaves the ones before it whole and nothing of its own.
        """
        keys = list(workers)
        out_dir = check_folder(out_dir)
        written: list[Path] = []
        for i, key in enumerate(keys):
            if progress and not progress(i, len(keys)):
                break
            with self._ledger.writing_file(None) as f:
                issued = self.issue(kind, key, clerk)
                path = f.write(issued.pdf, out_dir / f"{issued.number}.pdf")
            written.append(path)
        if progress:
            progress(len(written), len(keys))
        return written

    def verify(self, text: str, lang: str = "zh") -> Verdict:
        """Check a verification code (or a PDF file carrying one) against trusted identities, or a
        document number with its short code ("NUMBER SHORTCODE", "NUMBER/SHORTCODE") against the
        register."""
        from desktop.core.messages import render as msg

        short = None if normalise(text).startswith(PREFIXES) else split_short(text)
        if short is not None:
            return self.verify_short(*short, lang=lang)
        code = _code_from(text)
        try:
            decoded = decode(code)
        except BadCode:
            return Verdict(False, None, None, None, None, None, None, msg("verify.malformed", lang))
        f = decoded.fields
        kind, number, office_code = f.get("k"), f.get("n"), f.get("o")
        def verdict(valid: bool, reason: str, void: bool = False, revoked: bool = False,
                    key: str | None = None) -> Verdict:
            return Verdict(valid, _opt(kind), _opt(number), _opt(office_code), _opt(f.get("p")),
                           _opt(f.get("m")), _opt(f.get("d")), reason, void, revoked, key)

        with self._ledger.read() as s:
            history = _issuer_keys(s, str(office_code))
            if history is None:
                return verdict(False, msg("verify.untrusted", lang, office=office_code))
            if decoded.key_id is not None:
                candidates = [k for k in history if k.key_id == decoded.key_id]
                if not candidates:
                    return verdict(False, msg("verify.unknown_key", lang, office=office_code,
                                              key_id=decoded.key_id))
            else:
                candidates = history
            key = next((k for k in candidates if signature_valid(decoded, k.public_key)), None)
            if key is None:
                return verdict(False, msg("verify.bad_signature", lang))
            doc = s.scalars(select(Document).where(Document.number == str(number))).first()
            if doc is not None and normalise(doc.code) != normalise(code):
                return verdict(False, msg("verify.not_registered", lang), key=key.key_id)
            if doc is not None and doc.voided_on is not None:
                return verdict(False, msg("verify.void", lang, date=doc.voided_on.isoformat(),
                                         reason=doc.void_reason or ""), void=True, key=key.key_id)
            if key.revoked_at is not None and _on_or_after(f.get("d"), key.revoked_at):
                return verdict(False, msg("verify.revoked", lang, key_id=key.key_id,
                                          date=key.revoked_at.date().isoformat()), revoked=True, key=key.key_id)
        return verdict(True, msg("verify.ok", lang), key=key.key_id)

    def verify_short(self, number: str, short: str, lang: str = "zh") -> Verdict:
        """Check a document number and its typed short code against this office's register."""
        from desktop.core.messages import render as msg

        number = number.strip()
        with self._ledger.read() as s:
            doc = s.scalars(select(Document).where(func.upper(Document.number) == number.upper())).first()
            if doc is None:
                return Verdict(False, None, number, None, None, None, None,
                               msg("verify.unknown_number", lang, number=number))
            try:
                f = decode(doc.code).fields
                expected = short_code(doc.code)
            except BadCode:
                return Verdict(False, doc.kind, doc.number, None, None, None, None, msg("verify.malformed", lang))
            if normalise_short(expected) != normalise_short(short):
                return Verdict(False, doc.kind, doc.number, None, None, None, None,
                               msg("verify.short_mismatch", lang, number=doc.number))
            found = (doc.kind, doc.number, _opt(f.get("o")), _opt(f.get("p")), _opt(f.get("m")), _opt(f.get("d")))
            if doc.voided_on is not None:
                return Verdict(False, *found, msg("verify.void", lang, date=doc.voided_on.isoformat(),
                                                   reason=doc.void_reason or ""), void=True)
        return Verdict(True, *found, msg("verify.short_ok", lang))

    def _form_version(self, kind: str, version: str) -> FormSpec:
        spec = forms()[kind]
        if spec.version == version:
            return spec
        for path in sorted(forms_dir().glob("*.toml")):
            older = load_form(path, DATA_PATHS)
            if older.kind == kind and older.version == version:
                return older
        return spec

    def _data(self, s: Any, kind: str, office: Office, w: Worker, st: Any, number: str,
              today: dt.date, clerk: str) -> DocumentData:
        values = {
            "office.name": office.name, "office.code": office.code, "office.region": office.region,
            "office.region_name": name_of(office.region), "doc.number": number,
            "doc.date": today.isoformat(), "doc.kind_name": KINDS[kind][1], "doc.clerk": clerk,
            **person_values(w), "account.balance": _money(st.individual_account_balance),
            **contact_values(s),
        }
        notes = []
        if st.account_years and st.account_years[-1].year == today.year:
            notes.append(f"{today.year}年利息于年末计入。")
        notes += _temporary_notes(s, w, office, today)
        values["account.note"] = "".join(notes)
        years = [{"year": str(y.year), "months": str(y.months), "base_total": _money(y.base_total),
                  "opening": _money(y.opening),
                  "rate": f"{y.rate * 100:.2f}%" if y.rate is not None
                  else "未设置" if y.year < today.year else "—",  # this year's rate comes after the year
                  "interest": _money(y.interest), "credited": _money(y.credited),
                  "closing": _money(y.closing)} for y in st.account_years]
        pension = next((r for r in st.schemes if r.scheme == "pension"), None)
        if kind == "statement":
            periods = []
            for r in st.schemes:
                for i, p in enumerate(r.regions):
                    periods.append({"scheme_name": schemes()[r.scheme].name_zh, "region": p.region,
                                    "region_name": f"{p.region} {name_of(p.region)}",
                                    "first_month": p.first_month, "last_month": p.last_month,
                                    "months": str(p.months_paid),
                                    "arrears": str(r.months_in_arrears) if i == 0 else "0"})
            names = {"deemed": "养老保险（视同缴费年限）", "pre1998": "养老保险（1998年前缴费）"}
            for kind_, region, first, last, months in st.earlier:
                periods.append({"scheme_name": names[kind_], "region": region,
                                "region_name": f"{region} {name_of(region)}", "first_month": first,
                                "last_month": last, "months": str(months), "arrears": "0"})
            employers, months = month_detail(s, w)
            values["doc.essential"] = (f"pension:{pension.months_paid if pension else 0};"
                                       f"balance:{values['account.balance']}")
            return DocumentData(values, {"periods": periods, "employers": employers, "months": months,
                                         "years": years})
        here = [p for p in (pension.regions if pension else ()) if p.region == office.region]
        last = s.execute(select(Employer.name).join(Contribution, Contribution.employer_id == Employer.id)
                         .where(Contribution.worker_id == w.id, Contribution.scheme == "pension")
                         .order_by(Contribution.month.desc()).limit(1)).scalar()
        values.update({
            "cert.period_from": here[0].first_month if here else "—",
            "cert.period_to": here[-1].last_month if here else "—",
            "cert.months_paid": str(sum(p.months_paid for p in here)),
            "cert.region": office.region, "cert.region_name": name_of(office.region),
            "cert.last_employer": last or "—",
        })
        values["doc.essential"] = (f"months:{values['cert.months_paid']};"
                                   f"{values['cert.period_from']}..{values['cert.period_to']}")
        return DocumentData(values, {"years": years})


def refuse_missing_rates(st: Any, today: dt.date) -> None:
    """A statement is refused while a past year's crediting rate is missing: an official paper never
    carries a note that interest was left out, so the rate is entered first."""
    if st.interest_complete:
        return
    missing = [y.year for y in st.account_years if y.rate is None and y.year < today.year and y.opening]
    missing = missing or [y.year for y in st.account_years if y.rate is None and y.year < today.year]
    if missing:
        raise RefusedByRule("statement.interest_missing", "interest",
                            years="、".join(str(y) for y in missing), year=missing[0])


_STATUS = {"paid": "已缴", "arrears": "欠缴", "exempt": "免缴"}
_SCHEME_COLUMNS = {"medical": "medical", "unemployment": "unemployment", "injury": "injury",
                   "maternity": "maternity"}


def month_detail(s: Any, w: Worker) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The person's employers (name, code, first and last month, months) and one row per month and
    employer with the base and each scheme's amount, then a 合计 row of the amounts."""
    rows = s.execute(select(Contribution, Employer.name, Employer.uscc)
                     .join(Employer, Employer.id == Contribution.employer_id)
                     .where(Contribution.worker_id == w.id)
                     .order_by(Contribution.month, Contribution.employer_id, Contribution.scheme)).all()
    by_key: dict[tuple[int, int], dict[str, Any]] = {}
    employers: dict[int, dict[str, Any]] = {}
    for c, name, uscc in rows:
        row = by_key.setdefault((c.month, c.employer_id), {
            "month": _month_text(c.month), "employer": name, "base": None, "status": set(),
            **{k: Decimal(0) for k in MONTH_COLUMNS[3:9]}})
        if c.scheme == "pension":
            row["pension_employer"] += c.employer_amount
            row["pension_employee"] += c.employee_amount
            row["base"] = c.base
        elif c.scheme in _SCHEME_COLUMNS:
            row[_SCHEME_COLUMNS[c.scheme]] += c.employer_amount + c.employee_amount
        if row["base"] is None:
            row["base"] = c.base
        row["status"].add("补缴" if c.status == "paid" and c.kind in ("back_payment", "lump_sum")
                          else _STATUS.get(c.status, c.status))
        e = employers.setdefault(c.employer_id, {"name": name, "uscc": uscc, "months": set()})
        e["months"].add(c.month)
    out = []
    totals = {k: Decimal(0) for k in MONTH_COLUMNS[3:9]}
    for row in by_key.values():
        for k in totals:
            totals[k] += row[k]
        out.append({"month": row["month"], "employer": row["employer"], "base": _money(row["base"]),
                    **{k: _money(row[k]) for k in totals}, "status": "、".join(sorted(row["status"]))})
    if out:
        out.append({"month": "合计", "employer": f"{len({r['month'] for r in out})}个月", "base": "",
                    **{k: _money(v) for k, v in totals.items()}, "status": ""})
    listed = [{"name": e["name"], "uscc": e["uscc"], "first": _month_text(min(e["months"])),
               "last": _month_text(max(e["months"])), "months": str(len(e["months"]))}
              for e in sorted(employers.values(), key=lambda e: (min(e["months"]), e["name"]))]
    return listed, out


def _month_text(value: int) -> str:
    from desktop.core.month import Month

    return str(Month.from_int(value))


def person_values(w: Worker) -> dict[str, str]:
    """A person's fields as the forms print them (person.*)."""
    hukou = (f"{name_of(w.hukou_region)}（{'城镇' if w.hukou_type == 'urban' else '农村'}）"
             if w.hukou_region else w.nationality)
    return {"person.name": w.name, "person.sex": {"M": "男", "F": "女"}.get(w.sex, w.sex),
            "person.birth_date": w.birth_date.isoformat(), "person.id_number": w.id_number or "—",
            "person.ssn": w.ssn, "person.hukou": hukou, "person.phone": w.phone or "—",
            "person.nationality": w.nationality, "person.passport": w.passport or "—",
            "person.name_latin": latin_name(w.name, w.nationality)}


def numbers_under(s: Any, column: Any, prefix: str) -> int:
    """How many numbers in a unique number column begin with the prefix and go on with digits.

    SQLite compares text byte by byte, so they are a range of the column's index (a LIKE reads the
    whole index, and with the kind asked too, every document's row with its whole data). A
    PostgreSQL database may order text by its locale's collation, where ':' need not follow the
    digits: there the numbers are matched as before."""
    wanted: tuple[Any, ...]
    if s.connection().dialect.name == "sqlite":
        wanted = (column >= prefix, column < prefix + ":")
    else:
        wanted = (column.startswith(prefix, autoescape=True),)
    return int(s.scalar(select(func.count()).where(*wanted)) or 0)


def next_number(s: Any, office: Office, kind: str, today: dt.date) -> str:
    """The next document number of the kind this year: OFFICE-PREFIXYYYYNNNNNN (each kind has a
    prefix of its own, so the prefix alone finds the kind's numbers)."""
    prefix = f"{office.code}-{KINDS[kind][0]}{today.year}"
    return f"{prefix}{numbers_under(s, Document.number, prefix) + 1:06d}"


def register(s: Any, kind: str, office: Office, w: Worker, data: DocumentData, number: str,
             today: dt.date, created_at: dt.datetime) -> str:
    """Sign a document's essential fields and add it to the register; returns its code."""
    spec = forms()[kind]
    fields = {"k": kind, "n": number, "o": office.code, "d": today.isoformat(),
              "p": w.id_number or w.ssn, "m": w.name, "x": data.values.get("doc.essential", "")}
    code = make_code(fields, office_signer(office))
    s.add(Document(kind=kind, number=number, worker_id=w.id, form_id=spec.id,
                   form_version=spec.version, issued_on=today,
                   data_json=json.dumps({"values": data.values, "lists": data.lists}, ensure_ascii=False),
                   code=code, prints=1, voided_on=None, void_reason=None, created_at=created_at))
    return code


def _temporary_notes(s: Any, w: Worker, office: Office, today: dt.date) -> list[str]:
    """The person's temporary accounts not yet gathered, each in a sentence (with its money when
    held here): they are outside the individual account shown above."""
    from desktop.core.refdata import Reference
    from desktop.core.services.record import gather, pooling_units, temporary_accounts

    out = []
    units = pooling_units(s)
    for t in temporary_accounts(s, w):
        if t.state == "gathered":
            continue
        state = f"{t.sealed_on.isoformat()}封存" if t.sealed_on else "使用中"
        text = f"另有临时基本养老保险缴费账户：{t.region} {name_of(t.region)}，{state}"
        if units.same(t.region, office.region, today):
            held = gather(s, w, office.region, today)
            if held.temporary:
                money = held.temporary_money(Reference(s).interest, today.year)
                text += (f"，{len({m.month for m in held.temporary})}个月，"
                         f"单位和个人全部缴费本息{fmt(yuan_of(money.total_fen))}元")
        out.append(text + f"，待养老保险关系所在地{t.relationship_region}归集。")
    return out


def _issuer_keys(s: Session, office: str) -> list[KeyRecord] | None:
    """The signing keys of an issuing office this office knows (its own or a trusted office's),
    the current one first; None for an office not trusted here."""
    own = s.scalars(select(Office)).first()
    if own is not None and own.code == office:
        sign_pem, since = own.public_key, own.created_at
    else:
        t = s.scalars(select(TrustedOffice).where(TrustedOffice.code == office)).first()
        if t is None:
            return None
        sign_pem, since = t.public_key, t.trusted_at
    return keyhistory.signing_keys(keyhistory.history_or_first(s, office, sign_pem, None, since))


def _on_or_after(day: object, moment: dt.datetime) -> bool:
    """Whether a document's date (ISO text) is on or after the day of the moment (a date that cannot
    be read counts as after: it cannot be shown to come before)."""
    try:
        return dt.date.fromisoformat(str(day)) >= moment.date()
    except ValueError:
        return True


def _opt(value: object) -> str | None:
    return None if value is None else str(value)


MAX_PDF_BYTES = 64 * 1024 * 1024
"""The largest PDF file whose verification code is read (a document is a few hundred KB)."""


def _code_from(text: str) -> str:
    """The code itself, or the code a PDF file carries in its metadata."""
    path = Path(text)
    if text.lower().endswith(".pdf") and path.is_file():
        from pypdf import PdfReader

        if path.stat().st_size > MAX_PDF_BYTES:
            raise InvalidInput("import.too_large", "file", limit=MAX_PDF_BYTES // (1024 * 1024))
        try:
            meta = PdfReader(path).metadata
            keywords = meta.get("/Keywords", "") if meta is not None else ""
        except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds (and RecursionError) for a damaged file
            raise InvalidInput("verify.pdf_damaged", "file", reason=type(exc).__name__) from None
        prefix = "shebao-verification:"
        return str(keywords)[len(prefix):] if str(keywords).startswith(prefix) else ""
    return text
