"""Certificates of coverage for workers posted abroad, and home certificates of workers posted here."""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from desktop.core.agreements import (
    EDITABLE,
    STILL_CONTRIBUTING_MONTHS,
    Agreement,
    check_posting,
    overlaps,
    require_agreement,
    shipped,
    with_overrides,
)
from desktop.core.csvsafe import SafeWriter, refuse_formula
from desktop.core.errors import Conflict, InvalidInput, RefusedByRule
from desktop.core.forms.render import DocumentData, render
from desktop.core.ids import clean, validate_country, validate_passport
from desktop.core.latin_names import latin_name
from desktop.core.month import Month, parse_date
from desktop.core.refdata import schemes
from desktop.core.regions import name_of
from desktop.core.security import ADMIN, COUNTER, SUPERVISE
from desktop.core.services.documents import forms, next_number, register
from desktop.core.services.office import contact_values, load_office
from desktop.core.services.workers import find_worker_row, require_worker
from desktop.core.store.models import (
    AgreementOverride,
    Contribution,
    CoverageCertificate,
    Employer,
    InboundExemption,
    Worker,
)

if TYPE_CHECKING:
    from desktop.core.ledger import Ledger

@dataclass(frozen=True)
class CertificateResult:
    """An issued certificate of coverage."""

    number: str
    country: str
    schemes: tuple[str, ...]
    valid_from: dt.date
    valid_to: dt.date
    extension: bool
    code: str
    pdf: bytes
    pages: int


@dataclass(frozen=True)
class CertificateInfo:
    """A certificate in the register."""

    number: str
    worker: str
    name: str
    country: str
    valid_from: dt.date
    valid_to: dt.date
    ended_on: dt.date | None
    withdrawn: bool
    self_employed: bool
    extension: bool
    issued_on: dt.date


def _end(c: CoverageCertificate) -> dt.date:
    return c.ended_on or c.valid_to


class ExemptionService:
    """Agreements at the counter: what they offer, certificates out, exemptions in, statistics."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def agreements(self) -> dict[str, Agreement]:
        """Every agreement with the office's corrections applied."""
        with self._ledger.read() as s:
            return self._agreements(s)

    def _agreements(self, s: Any) -> dict[str, Agreement]:
        return office_agreements(s)

    def agreement(self, country: str) -> Agreement:
        """What the agreement with a country offers; refused with the reason when there is none."""
        return require_agreement(self.agreements(), validate_country(country, "country"))

    def correct(self, country: str, field: str, value: str, reason: str, changed_by: str) -> Agreement:
        """Record an office correction of one agreement value (JSON text, e.g. 48 or "2016-10-18")."""
        self._ledger.require(ADMIN)
        changed_by = changed_by or self._ledger.actor_name()
        code = validate_country(country, "country")
        if field not in EDITABLE:
            raise InvalidInput("agreement.field", "field", value=field)
        if not reason.strip():
            raise InvalidInput("required", "reason")
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError:
            parsed = value
        current = self.agreement(code)
        try:
            with_overrides({code: current}, [(code, field, json.dumps(parsed))])
        except (TypeError, ValueError):
            raise InvalidInput("agreement.value", "value", value=value) from None
        with self._ledger.write() as s:
            s.add(AgreementOverride(country=code, field=field, value_json=json.dumps(parsed, ensure_ascii=False),
                                    reason=reason.strip()[:400], changed_by=changed_by or "-",
                                    changed_at=self._ledger.now()))
        return self.agreement(code)

    def corrections(self, country: str) -> list[tuple[str, str, str, str, dt.datetime]]:
        """(field, value, reason, by, when) of every correction of an agreement."""
        with self._ledger.read() as s:
            return [(r.field, r.value_json, r.reason, r.changed_by, r.changed_at) for r in s.scalars(
                select(AgreementOverride).where(AgreementOverride.country == country.upper())
                .order_by(AgreementOverride.id))]

    def issue(self, worker: str, country: str, employer: str, host_employer: str, start: object,
              end: object, extension: bool = False, self_employed: bool = False, special: bool = False,
              clerk: str = "", passport: str | None = None) -> CertificateResult:
        """Issue a certificate of coverage (or an extension) after every rule has been checked.

        Needs a supervisor; a clerk files `ledger.approvals.request_certificate` instead.
        """
        self._ledger.require(SUPERVISE)
        clerk = clerk or self._ledger.actor_name()
        code = validate_country(country, "country")
        first, last = parse_date(start, "from"), parse_date(end, "to")
        host = " ".join(host_employer.split())
        if not host:
            raise InvalidInput("required", "host_employer")
        refuse_formula(host, "host_employer")
        travel = validate_passport(passport) if passport else None
        today = self._ledger.today()
        with self._ledger.write() as s:
            office = load_office(s)
            a = require_agreement(self._agreements(s), code)
            w = require_worker(s, worker)
            e = s.scalars(select(Employer).where(Employer.uscc == clean(employer))).first()
            if e is None:
                raise InvalidInput("employer.unknown", "employer", value=clean(employer))
            mine = list(s.scalars(select(CoverageCertificate).where(
                CoverageCertificate.worker_id == w.id, CoverageCertificate.withdrawn_on.is_(None))))
            previous = None
            chain_start = None
            extensions = 0
            if extension:
                previous = next((c for c in mine if c.country == code
                                 and _end(c) == first - dt.timedelta(days=1)), None)
                if previous is None:
                    raise RefusedByRule("exemption.no_previous", "from", day=first.isoformat())
                chain_start, extensions = self._chain(s, previous)
            check_posting(a, first, last, self_employed, chain_start, extensions, special,
                          previous.valid_to if previous else None, today)
            for c in mine:
                if overlaps(c.valid_from, _end(c), first, last):
                    raise RefusedByRule("exemption.overlap", "from", number=c.number,
                                        start=c.valid_from.isoformat(), end=_end(c).isoformat())
            terms = a.terms_on(first)  # an earlier arrangement's, where one was in force then
            covered = terms.schemes_for(self_employed)
            self._check_insured(s, w, e, terms, covered, first, today)
            if not travel and not w.passport:  # the partner's institution identifies the person by it
                raise RefusedByRule("coverage.passport_required", "passport", name=w.name)
            number = next_number(s, office, "coverage-certificate", today)
            data = self._data(office, w, e, terms, host, first, last, covered, self_employed,
                              extension, number, today, clerk)
            if travel:
                data.values["person.passport"] = travel
            verification = register(s, "coverage-certificate", office, w, data, number, today,
                                    self._ledger.now())
            s.add(CoverageCertificate(number=number, worker_id=w.id, employer_id=e.id, country=code,
                                      host_employer=host[:200], schemes=",".join(covered),
                                      valid_from=first, valid_to=last, ended_on=None, withdrawn_on=None,
                                      withdraw_reason=None, self_employed=self_employed,
                                      extends_id=previous.id if previous else None, special=special,
                                      issued_on=today))
        out = render(forms()["coverage-certificate"], data, verification)
        return CertificateResult(number, code, covered, first, last, extension, verification, out.pdf, out.pages)

    def _chain(self, s: Any, cert: CoverageCertificate) -> tuple[dt.date, int]:
        """The first day of the posting a certificate belongs to, and how many extensions it has."""
        count = 0
        while cert.extends_id is not None:
            cert = s.get(CoverageCertificate, cert.extends_id)
            count += 1
        return cert.valid_from, count

    def _check_insured(self, s: Any, w: Worker, e: Employer, a: Agreement, covered: tuple[str, ...],
                       start: dt.date, today: dt.date) -> None:
        employee_schemes = [c for c in covered if schemes()[c].kind == "employee"]
        recent = Month.of(today).add(-STILL_CONTRIBUTING_MONTHS).as_int()
        missing = [scheme for scheme in employee_schemes if not s.scalar(
            select(func.count()).select_from(Contribution).where(
                Contribution.worker_id == w.id, Contribution.scheme == scheme,
                Contribution.status == "paid", Contribution.month >= recent))]
        if missing:  # named: the schemes without recent paid months, not every scheme covered
            raise RefusedByRule("exemption.not_insured", "worker",
                                schemes="、".join(schemes()[c].name_zh for c in missing),
                                months=STILL_CONTRIBUTING_MONTHS)
        if a.min_prior_employment_months:
            before = s.scalar(select(func.count(func.distinct(Contribution.month))).where(
                Contribution.worker_id == w.id, Contribution.employer_id == e.id,
                Contribution.status == "paid", Contribution.month < Month.of(start).as_int()))
            if (before or 0) < a.min_prior_employment_months:
                raise RefusedByRule("exemption.prior_employment", "employer",
                                    months=a.min_prior_employment_months, partner=a.partner_zh)

    def _data(self, office: Any, w: Worker, e: Employer, a: Agreement, host: str, first: dt.date,
              last: dt.date, covered: tuple[str, ...], self_employed: bool, extension: bool,
              number: str, today: dt.date, clerk: str) -> DocumentData:
        values = {
            "office.name": office.name, "office.code": office.code, "office.region": office.region,
            "office.region_name": name_of(office.region), "doc.number": number,
            "doc.date": today.isoformat(), "doc.kind_name": a.certificate_zh, "doc.clerk": clerk,
            "person.name": w.name, "person.sex": {"M": "男", "F": "女"}[w.sex],
            "person.sex_en": {"M": "Male", "F": "Female"}[w.sex],
            "person.birth_date": w.birth_date.isoformat(), "person.id_number": w.id_number or "—",
            "person.ssn": w.ssn, "person.hukou": name_of(w.hukou_region) if w.hukou_region else "—",
            "person.phone": w.phone or "—", "person.nationality": "中国 CN" if w.nationality == "CN" else w.nationality,
            "person.passport": w.passport or "—",
            "agreement.name_zh": a.name_zh, "agreement.name_en": a.name_en,
            "partner.name_zh": a.partner_zh, "partner.name_en": a.partner_en,
            "cert.name_zh": a.certificate_zh, "cert.name_partner": a.certificate_partner,
            "cert.from": first.isoformat(), "cert.to": last.isoformat(),
            "cert.kind_zh": "自雇人员" if self_employed else "派遣人员",
            "cert.kind_en": "self-employed person" if self_employed else "posted employee",
            "cert.extension": "延期 Extension" if extension else "",
            "employer.name": e.name, "employer.uscc": e.uscc, "host.name": host,
            "doc.essential": f"{a.country};{first.isoformat()}..{last.isoformat()};{','.join(covered)}",
            "person.name_latin": latin_name(w.name, w.nationality), **contact_values(office),
        }
        rows = [{"name_zh": schemes()[c].name_zh, "name_en": schemes()[c].name_en} for c in covered]
        return DocumentData(values, {"schemes": rows})

    def end_early(self, number: str, on: object) -> None:
        """Record that a posting ended before the certificate's last day."""
        self._ledger.require(COUNTER)
        day = parse_date(on, "to")
        with self._ledger.write() as s:
            c = self._get(s, number)
            if not c.valid_from <= day <= c.valid_to:
                raise InvalidInput("exemption.end_date", "to", start=c.valid_from.isoformat(),
                                   end=c.valid_to.isoformat())
            c.ended_on = day

    def withdraw(self, number: str, reason: str) -> None:
        """Withdraw a certificate: it never applied; its document is voided too (one transaction).

        Needs a supervisor, as voiding does.
        """
        self._ledger.require(SUPERVISE)
        if not reason.strip():
            raise InvalidInput("required", "reason")
        with self._ledger.write() as s:
            c = self._get(s, number)
            c.withdrawn_on = self._ledger.today()
            c.withdraw_reason = reason.strip()[:400]
            self._ledger.documents.void(number, reason)

    def _get(self, s: Any, number: str) -> CoverageCertificate:
        c = s.scalars(select(CoverageCertificate).where(CoverageCertificate.number == number.strip())).first()
        if c is None:
            raise InvalidInput("exemption.unknown", "certificate", value=number)
        if c.withdrawn_on is not None:
            raise Conflict("exemption.withdrawn", "certificate", number=c.number)
        return c  # type: ignore[no-any-return]

    def register_list(self, country: str | None = None, worker: str | None = None,
                      year: int | None = None) -> list[CertificateInfo]:
        """The register of issued certificates, newest first, optionally filtered."""
        with self._ledger.read() as s:
            q = select(CoverageCertificate, Worker).join(Worker, Worker.id == CoverageCertificate.worker_id)
            if country:
                q = q.where(CoverageCertificate.country == country.upper())
            if worker:
                w = find_worker_row(s, worker)
                q = q.where(CoverageCertificate.worker_id == (w.id if w else -1))
            if year:
                q = q.where(CoverageCertificate.issued_on >= dt.date(year, 1, 1),
                            CoverageCertificate.issued_on <= dt.date(year, 12, 31))
            return [CertificateInfo(c.number, w.id_number or w.ssn, w.name, c.country, c.valid_from,
                                    c.valid_to, c.ended_on, c.withdrawn_on is not None, c.self_employed,
                                    c.extends_id is not None, c.issued_on)
                    for c, w in s.execute(q.order_by(CoverageCertificate.id.desc()))]

    def statistics(self, year: int | None = None) -> list[dict[str, Any]]:
        """Certificates issued per year and country: employees, self-employed, total (withdrawn left out)."""
        out: dict[tuple[int, str], dict[str, Any]] = {}
        for c in self.register_list(year=year):
            if c.withdrawn:
                continue
            row = out.setdefault((c.issued_on.year, c.country), {
                "year": c.issued_on.year, "country": c.country, "employees": 0, "self_employed": 0, "total": 0})
            row["self_employed" if c.self_employed else "employees"] += 1
            row["total"] += 1
        return [out[k] for k in sorted(out)]

    def statistics_csv(self, year: int | None = None) -> str:
        """The statistics as CSV (UTF-8 with BOM, so spreadsheet programs open it in Chinese; cells
        made safe by desktop.core.csvsafe)."""
        buf = io.StringIO()
        writer = SafeWriter(buf, lineterminator="\r\n")
        writer.writerow(["年度", "国家", "协定国", "受雇人员", "自雇人员", "合计"])
        agreements = shipped()
        for r in self.statistics(year):
            writer.writerow([r["year"], r["country"], agreements[r["country"]].partner_zh,
                             r["employees"], r["self_employed"], r["total"]])
        return "\ufeff" + buf.getvalue()

    def statistics_document(self, year: int | None = None) -> bytes:
        """The statistics as a PDF table (no verification code: a report, not a certificate)."""
        with self._ledger.read() as s:
            office = load_office(s)
            values = {"office.name": office.name, "office.code": office.code,
                      "doc.date": self._ledger.today().isoformat(),
                      "report.scope": f"{year}年" if year else "全部年度",
                      "doc.clerk": self._ledger.actor_name() or "", **contact_values(s)}
        agreements = shipped()
        stats = self.statistics(year)
        rows = [{"year": str(r["year"]), "country": r["country"],
                 "partner": agreements[r["country"]].partner_zh, "employees": str(r["employees"]),
                 "self_employed": str(r["self_employed"]), "total": str(r["total"])}
                for r in stats]
        rows.append({"year": "合计", "country": "", "partner": f"{len({r['country'] for r in stats})}个国家",
                     **{k: str(sum(r[k] for r in stats)) for k in ("employees", "self_employed", "total")}})
        return render(forms()["exemption-statistics"], DocumentData(values, {"rows": rows})).pdf

    def record_inbound(self, worker: str, country: str, certificate: str, start: object, end: object) -> dict[str, Any]:
        """Record a foreign worker's home certificate; the listed schemes are not charged then."""
        self._ledger.require(COUNTER)
        code = validate_country(country, "country")
        first, last = parse_date(start, "from"), parse_date(end, "to")
        if last < first:
            raise InvalidInput("exemption.order", "to")
        number = " ".join(str(certificate).split())
        if not number:
            raise InvalidInput("required", "certificate")
        refuse_formula(number, "certificate")
        with self._ledger.write() as s:
            load_office(s)
            a = require_agreement(self._agreements(s), code)
            w = require_worker(s, worker)
            if w.nationality == "CN":
                raise RefusedByRule("exemption.citizen", "worker")
            if not a.in_force_on(first):
                since = a.first_in_force()
                raise RefusedByRule("agreement.not_in_force", "from", partner=a.partner_zh,
                                    since=since.isoformat() if since else "未生效")
            for other in s.scalars(select(InboundExemption).where(InboundExemption.worker_id == w.id)):
                if overlaps(other.valid_from, other.valid_to, first, last):
                    raise RefusedByRule("exemption.inbound_overlap", "from", certificate=other.certificate)
            # every scheme exempted on some day of the period; each month is exempted only from the
            # schemes of the terms in force then (see inbound_exemptions)
            wanted = {c for _a, _b, terms in a.periods(first, last) for c in terms.schemes}
            exempt = [c for c in a.schemes + tuple(sorted(wanted - set(a.schemes)))
                      if c in wanted and schemes()[c].kind == "employee"]
            s.add(InboundExemption(worker_id=w.id, country=code, certificate=number[:60],
                                   schemes=",".join(exempt), valid_from=first, valid_to=last,
                                   recorded_on=self._ledger.today()))
        return {"worker": w.id_number or w.ssn, "country": code, "certificate": number,
                "schemes_exempted": exempt, "valid_from": first.isoformat(), "valid_to": last.isoformat()}


def inbound_exemptions(s: Any, worker_ids: list[int]
                       ) -> dict[int, list[tuple[int, dt.date, dt.date, frozenset[str], str]]]:
    """For the given people: (id, from, to, schemes, note) of each home certificate recorded."""
    out: dict[int, list[tuple[int, dt.date, dt.date, frozenset[str], str]]] = {}
    if not worker_ids:
        return out
    agreements: dict[str, Agreement] | None = None
    for chunk in range(0, len(worker_ids), 500):
        for ex in s.scalars(select(InboundExemption).where(
                InboundExemption.worker_id.in_(worker_ids[chunk:chunk + 500]))):
            note = f"{ex.country}协定免缴（证明{ex.certificate}）"
            recorded = frozenset(ex.schemes.split(","))
            if agreements is None:
                agreements = office_agreements(s)
            a = agreements.get(ex.country)
            parts = a.periods(ex.valid_from, ex.valid_to) if a is not None and a.phases else \
                [(ex.valid_from, ex.valid_to, None)]
            for start, end, terms in parts:  # the schemes of the terms in force on each day
                covered = recorded if terms is None else recorded & frozenset(terms.schemes)
                out.setdefault(ex.worker_id, []).append((ex.id, start, end, covered, note))
    return out


def office_agreements(s: Any) -> dict[str, Agreement]:
    """Every agreement with this office's corrections applied."""
    rows = s.execute(select(AgreementOverride.country, AgreementOverride.field, AgreementOverride.value_json)
                     .order_by(AgreementOverride.id)).all()
    return with_overrides(shipped(), [tuple(r) for r in rows])
