"""Medical and unemployment insured time that follows a person between regions.

Medical insurance (医保发〔2021〕43号): contribution years in every region add up; a retiree who has
the minimum years of the region where benefits are claimed needs pay no more (the minimum is the
office's data, by sex). Unemployment insurance (失业保险条例 第十七条): insured time adds up across
regions; the benefit lasts 12, 18 or 24 months by that time; after a claim the time is counted anew.

Time known here: months paid to the scheme in any region (this office's and those that arrived by
sync), and periods typed in from another region's certificate (`carry`). A month counts once however
many times it is known.

A medical move (医保发〔2021〕43号): the old office issues the 基本医疗保险参保（合）凭证
(`medical_certificate`, a registered document: its stored values are the case) within 10 working days
of the application; the new office types the certificate in (`carry` with its number and issue date)
and completes within 5 working days of receiving it. A receipt is kept as an office setting
(RECEIPT_SETTING + number) with its dates, so a certificate is not received twice.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.core import transfer_rules as tr
from desktop.core.errors import Conflict, InvalidInput, RefusedByRule
from desktop.core.forms.render import DocumentData, render
from desktop.core.month import Month, parse_date
from desktop.core.regions import name_of, validate_region
from desktop.core.security import ADMIN, ANY, COUNTER
from desktop.core.services.documents import KINDS, forms, next_number, person_values, register
from desktop.core.services.office import contact_values, load_office
from desktop.core.services.workers import require_worker
from desktop.core.store.models import (
    CarriedPeriod,
    Contribution,
    Document,
    Office,
    OfficeSetting,
    UnemploymentClaim,
    Worker,
)
from desktop.core.strict import is_digits
from desktop.core.workdays import default_calendar

if TYPE_CHECKING:
    from desktop.core.ledger import Ledger

SCHEMES = ("medical", "unemployment")
MINIMUM_SETTING = "medical.retiree_minimum_years."  # + M | F: whole years, office data
# The longest certificate number accepted (the message states it as a parameter).
CERTIFICATE_NUMBER_MAX = 40
CERTIFICATE_KIND = "medical-certificate"
RECEIPT_SETTING = "medical.receipt."  # + certificate number: JSON of a certificate received here


@dataclass(frozen=True)
class RegionTime:
    """Months of one scheme known in one region."""

    region: str
    months: int
    first: Month
    last: Month
    carried: bool  # typed in from another region's certificate


@dataclass(frozen=True)
class InsuredTime:
    """A scheme's insured time across regions."""

    scheme: str
    regions: tuple[RegionTime, ...]
    months: int  # every month once
    since: Month | None  # unemployment: counted from this month (after the last claim)
    minimum_months: int | None  # medical: the retiree minimum for the person here (None: not entered)
    benefit_months: int  # unemployment: the longest benefit for the time counted

    @property
    def years(self) -> Decimal:
        """Months as years, cut to two decimals."""
        return (Decimal(self.months) / 12).quantize(Decimal("0.01"), rounding=ROUND_DOWN)

    @property
    def meets_minimum(self) -> bool | None:
        """Medical: whether the retiree minimum is met (None when the office has not entered it)."""
        return None if self.minimum_months is None else self.months >= self.minimum_months


@dataclass(frozen=True)
class Carried(RegionTime):
    """A carried period as typed in; with a certificate number, the receipt of a medical transfer
    certificate and the new office's due date (None for unemployment: no time limit is set)."""

    certificate: str = ""
    issued_on: dt.date | None = None
    received_on: dt.date | None = None
    due: dt.date | None = None  # the new office: received_on + 5 working days
    due_estimated: bool = False
    old_office_due: dt.date | None = None  # when the certificate is registered here
    worker: str = ""
    scheme: str = "medical"

    def as_json(self) -> dict[str, object]:
        """The receipt as stored and as the CLI prints it."""
        def day(d: dt.date | None) -> str | None:
            return d.isoformat() if d else None
        return {"worker": self.worker, "scheme": self.scheme, "region": self.region, "from": str(self.first),
                "to": str(self.last), "months": self.months, "certificate": self.certificate,
                "issued_on": day(self.issued_on), "received_on": day(self.received_on), "due": day(self.due),
                "due_estimated": self.due_estimated, "old_office_due": day(self.old_office_due)}

    @classmethod
    def from_json(cls, d: dict[str, object]) -> Carried:
        """A stored receipt."""
        def day(v: object) -> dt.date | None:
            return dt.date.fromisoformat(str(v)) if v else None
        return cls(str(d["region"]), int(str(d["months"])), Month.parse(d["from"]), Month.parse(d["to"]), True,
                   str(d["certificate"]), day(d["issued_on"]), day(d["received_on"]), day(d["due"]),
                   bool(d["due_estimated"]), day(d["old_office_due"]), str(d["worker"]), str(d["scheme"]))


@dataclass(frozen=True)
class MedicalCertificate:
    """A medical transfer certificate issued here (its document's stored values); pdf only when issued now."""

    number: str
    issued_on: dt.date
    to_region: str
    applied_on: dt.date
    due: dt.date  # the old office: applied_on + 10 working days
    due_estimated: bool
    months_here: int
    months: int  # cumulative medical months known here, each month once
    voided: bool
    code: str
    pdf: bytes = b""
    pages: int = 0

    @property
    def years(self) -> Decimal:
        """Cumulative months as years, cut to two decimals."""
        return (Decimal(self.months) / 12).quantize(Decimal("0.01"), rounding=ROUND_DOWN)


class InsuredTimeService:
    """Medical years and unemployment time across regions; carried periods and benefit claims."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def carry(self, worker: str, scheme: str, region: str, first: object, last: object, document: str,
              months: object | None = None, certificate: str = "", issued_on: object | None = None,
              received_on: object | None = None) -> Carried:
        """Type in insured time from another region's certificate (months: fewer than the span if
        the certificate says so).

        With the certificate's number and issue date this is the receipt of a medical transfer
        certificate: the new office's due date is the receipt day (today unless given) plus 5 working
        days. A certificate registered here is checked: the same person, a medical certificate, not void.
        """
        self._ledger.require(COUNTER)
        if scheme not in SCHEMES:
            raise InvalidInput("record.kind", "scheme", value=scheme, known=", ".join(SCHEMES))
        place = validate_region(region, "region")
        start, end = Month.parse(first, "from"), Month.parse(last, "to")
        if end < start:
            raise InvalidInput("month.order", "to")
        span = end.index() - start.index() + 1
        try:
            n = span if months in (None, "") else int(str(months).strip())
        except ValueError:
            raise InvalidInput("record.months", "months", months=months, span=span) from None
        if not 0 < n <= span:
            raise InvalidInput("record.months", "months", months=n, span=span)
        today = self._ledger.today()
        number = str(certificate or "").strip()
        issued = received = None
        if number or issued_on not in (None, ""):
            if not number:
                raise InvalidInput("required", "certificate")
            if len(number) > CERTIFICATE_NUMBER_MAX:
                raise InvalidInput("insured.certificate_format", "certificate", value=number[:CERTIFICATE_NUMBER_MAX],
                                   most=CERTIFICATE_NUMBER_MAX)
            if issued_on in (None, ""):
                raise InvalidInput("required", "issued_on")
            issued = parse_date(issued_on, "issued_on")
            received = today if received_on in (None, "") else parse_date(received_on, "received_on")
            for name, day in (("issued_on", issued), ("received_on", received)):
                if day > today:
                    raise InvalidInput("date.future", name, value=day.isoformat())
            if received < issued:
                raise InvalidInput("insured.received_before_issue", "received_on",
                                   received=received.isoformat(), issued=issued.isoformat())
        doc = str(document or "").strip()
        if not doc and number:
            doc = f"{KINDS[CERTIFICATE_KIND][1]} {number}（{issued}出具）"
        if not doc:
            raise InvalidInput("required", "document")
        if end >= Month.of(today):
            raise InvalidInput("month.future", "to", value=str(end), current=str(Month.of(today)))
        with self._ledger.write() as s:
            w = require_worker(s, worker)
            old_due = None
            if number:
                if s.get(OfficeSetting, RECEIPT_SETTING + number) is not None:
                    raise Conflict("insured.certificate_received", "certificate", number=number)
                old_due = _check_registered(s, w, number, issued)
            if s.scalars(select(CarriedPeriod.id).where(
                    CarriedPeriod.worker_id == w.id, CarriedPeriod.scheme == scheme,
                    CarriedPeriod.region == place, CarriedPeriod.first_month == start.as_int())).first():
                raise Conflict("insured.carried_exists", "from", region=place, first=str(start))
            s.add(CarriedPeriod(worker_id=w.id, scheme=scheme, region=place, first_month=start.as_int(),
                                last_month=end.as_int(), months=n, document=doc[:400], entered_on=today,
                                entered_by=self._ledger.actor_name() or "—", created_at=self._ledger.now()))
            if issued is None or received is None:
                return Carried(place, n, start, end, True)
            due = default_calendar().add_workdays(received, tr.rules().medical_new_office_working_days) \
                if scheme == "medical" else None
            out = Carried(place, n, start, end, True, number, issued, received, due.date if due else None,
                          bool(due and due.estimated), old_due, w.id_number or w.ssn, scheme)
            s.add(OfficeSetting(key=RECEIPT_SETTING + number, value=json.dumps(out.as_json(), ensure_ascii=False)))
        return out

    def medical_receipts(self, worker: str) -> list[Carried]:
        """The medical certificates received here for a person (typed in with their number), newest first."""
        self._ledger.require(ANY)
        with self._ledger.read() as s:
            w = require_worker(s, worker)
            key = w.id_number or w.ssn
            rows = s.scalars(select(OfficeSetting).where(OfficeSetting.key.like(RECEIPT_SETTING + "%")))
            found = [Carried.from_json(json.loads(r.value)) for r in rows]
        return sorted((c for c in found if c.worker == key and c.scheme == "medical"),
                      key=lambda c: (c.received_on, c.certificate), reverse=True)

    def can_issue_medical_certificate(self, worker: str) -> RefusedByRule | None:
        """Why `medical_certificate` would be refused whatever region and day are entered (no
        medical month paid here), or None; returned, not raised, for disabling the action before typing."""
        self._ledger.require(ANY)
        with self._ledger.read() as s:
            office = load_office(s)
            if not _paid_here(s, require_worker(s, worker), office.region):
                return RefusedByRule("insured.medical_nothing_here", "worker", region=office.region)
        return None

    def medical_certificate(self, worker: str, to_region: str, applied_on: object | None = None,
                            clerk: str = "") -> MedicalCertificate:
        """At the old office: issue the 基本医疗保险参保（合）凭证 for a person moving to to_region.

        It states the months paid here by month range, the cumulative medical months known here (its
        own, known by sync and carried in; each month once), the application day and the old office's
        due date (the application day plus 10 working days, 医保发〔2021〕43号), and the new office's
        5 working days from receipt. Refused for a region in this office's pooling region and for a
        person with no medical month paid here.
        """
        self._ledger.require(COUNTER)
        target = validate_region(to_region, "to_region")
        today = self._ledger.today()
        applied = today if applied_on in (None, "") else parse_date(applied_on, "applied_on")
        if applied > today:
            raise InvalidInput("date.future", "applied_on", value=applied.isoformat())
        clerk = clerk or self._ledger.actor_name() or "—"
        with self._ledger.write() as s:
            office = load_office(s)
            if tr.pooling_key(target) == tr.pooling_key(office.region):
                raise RefusedByRule("insured.medical_same_region", "to_region", region=target)
            w = require_worker(s, worker)
            periods = _paid_here(s, w, office.region)
            if not periods:
                raise RefusedByRule("insured.medical_nothing_here", "worker", region=office.region)
            regions, months = _time(s, w, "medical", None)
            due = default_calendar().add_workdays(applied, tr.rules().medical_old_office_working_days)
            number = next_number(s, office, CERTIFICATE_KIND, today)
            data = _certificate_data(office, w, number, today, clerk, target, applied, due.date, due.estimated,
                                     periods, regions, months)
            code = register(s, CERTIFICATE_KIND, office, w, data, number, today, self._ledger.now())
        out = render(forms()[CERTIFICATE_KIND], data, code)
        return _certificate(data.values, number, today, False, code, out.pdf, out.pages)

    def medical_certificates(self, worker: str | None = None) -> list[MedicalCertificate]:
        """The medical transfer certificates issued here (for one person, or all), newest first."""
        self._ledger.require(ANY)
        with self._ledger.read() as s:
            query = select(Document).where(Document.kind == CERTIFICATE_KIND).order_by(Document.id.desc())
            if worker is not None:
                w = require_worker(s, worker)
                query = query.where(Document.worker_id == w.id)
            return [_certificate(json.loads(d.data_json)["values"], d.number, d.issued_on, d.voided_on is not None,
                                 d.code) for d in s.scalars(query)]

    def set_medical_minimum(self, men_years: object, women_years: object) -> tuple[int, int]:
        """The retiree minimum medical contribution years in this office's region (office data)."""
        self._ledger.require(ADMIN)
        values = []
        for name, value in (("men", men_years), ("women", women_years)):
            text = str(value).strip()
            if not is_digits(text) or not 0 < int(text) <= 50:
                raise InvalidInput("year.format", name, value=text)
            values.append(int(text))
        with self._ledger.write() as s:
            for sex, years in zip(("M", "F"), values, strict=True):
                row = s.get(OfficeSetting, MINIMUM_SETTING + sex)
                if row is None:
                    s.add(OfficeSetting(key=MINIMUM_SETTING + sex, value=str(years)))
                else:
                    row.value = str(years)
        return values[0], values[1]

    def medical(self, worker: str) -> InsuredTime:
        """Medical contribution time in every region, and whether the retiree minimum here is met."""
        self._ledger.require(ANY)
        with self._ledger.read() as s:
            w = require_worker(s, worker)
            regions, months = _time(s, w, "medical", None)
            row = s.get(OfficeSetting, MINIMUM_SETTING + w.sex)
            minimum = int(row.value) * 12 if row is not None else None
        return InsuredTime("medical", regions, months, None, minimum, 0)

    def unemployment(self, worker: str) -> InsuredTime:
        """Unemployment insured time since the last claim, and the longest benefit for it."""
        self._ledger.require(ANY)
        with self._ledger.read() as s:
            w = require_worker(s, worker)
            since = _since(s, w)
            regions, months = _time(s, w, "unemployment", since)
        return InsuredTime("unemployment", regions, months, since, None, tr.unemployment_benefit_months(months))

    def claim(self, worker: str, on: object) -> UnemploymentClaimInfo:
        """Record a claim for unemployment benefit: its duration from the time counted so far; the time
        then starts again (a year of insured time at the least, 失业保险条例 第十四条)."""
        self._ledger.require(COUNTER)
        day = parse_date(on, "on")
        if day > self._ledger.today():
            raise InvalidInput("date.future", "on", value=day.isoformat())
        with self._ledger.write() as s:
            office = load_office(s)
            w = require_worker(s, worker)
            since = _since(s, w)
            if since is not None and Month.of(day) < since:
                raise RefusedByRule("insured.claim_order", "on", since=str(since))
            _regions, months = _time(s, w, "unemployment", since, until=Month.of(day))
            benefit = tr.unemployment_benefit_months(months)
            if not benefit:
                raise RefusedByRule("insured.too_short", "worker", months=months)
            s.add(UnemploymentClaim(worker_id=w.id, claimed_on=day, region=office.region, insured_months=months,
                                    benefit_months=benefit, created_at=self._ledger.now()))
        return UnemploymentClaimInfo(day, months, benefit)


@dataclass(frozen=True)
class UnemploymentClaimInfo:
    """A recorded claim: the insured months it used and the benefit months."""

    claimed_on: dt.date
    insured_months: int
    benefit_months: int


def _since(s: Session, w: Worker) -> Month | None:
    last = s.scalars(select(UnemploymentClaim.claimed_on).where(UnemploymentClaim.worker_id == w.id)
                     .order_by(UnemploymentClaim.claimed_on.desc())).first()
    return Month.of(last).add(1) if last is not None else None


def _time(s: Session, w: Worker, scheme: str, since: Month | None,
          until: Month | None = None) -> tuple[tuple[RegionTime, ...], int]:
    """Months of a scheme by region (paid here or known by sync, and carried), and all months once."""
    by_region: dict[tuple[str, bool], set[int]] = {}
    extra: dict[tuple[str, bool], int] = {}
    span: dict[tuple[str, bool], tuple[int, int]] = {}

    def keep(month: int) -> bool:
        m = Month.from_int(month)
        return (since is None or m >= since) and (until is None or m <= until)

    for region, month in s.execute(select(Contribution.region, Contribution.month).where(
            Contribution.worker_id == w.id, Contribution.scheme == scheme, Contribution.status == "paid")):
        if keep(int(month)):
            by_region.setdefault((str(region), False), set()).add(Month.from_int(int(month)).index())
    for c in s.scalars(select(CarriedPeriod).where(CarriedPeriod.worker_id == w.id, CarriedPeriod.scheme == scheme)):
        first, last = Month.from_int(c.first_month), Month.from_int(c.last_month)
        key = (c.region, True)
        if c.months == last.index() - first.index() + 1:
            found = {first.add(i).index() for i in range(c.months) if keep(first.add(i).as_int())}
            if found:
                by_region.setdefault(key, set()).update(found)
        elif keep(c.first_month):
            extra[key] = extra.get(key, 0) + c.months
            lo, hi = span.get(key, (first.index(), last.index()))
            span[key] = (min(lo, first.index()), max(hi, last.index()))
    every: set[int] = set()
    out = []
    def order(k: tuple[str, bool]) -> tuple[int, bool]:
        found = by_region.get(k)
        return (min(found) if found else span[k][0], k[1])

    for key in sorted(set(by_region) | set(extra), key=order):
        found = by_region.get(key, set())
        every |= found
        lo = min(found) if found else span[key][0]
        hi = max(found) if found else span[key][1]
        out.append(RegionTime(key[0], len(found) + extra.get(key, 0), Month(lo // 12, lo % 12 + 1),
                              Month(hi // 12, hi % 12 + 1), key[1]))
    return tuple(out), len(every) + sum(extra.values())


def _paid_here(s: Session, w: Worker, region: str) -> list[tuple[Month, Month, int]]:
    """Medical months paid in this office's pooling region, as runs of consecutive months."""
    here = tr.pooling_key(region)
    months = sorted({Month.from_int(int(m)).index() for r, m in s.execute(
        select(Contribution.region, Contribution.month).where(
            Contribution.worker_id == w.id, Contribution.scheme == "medical", Contribution.status == "paid"))
        if tr.pooling_key(str(r)) == here})
    runs: list[list[int]] = []
    for i in months:
        if runs and runs[-1][1] == i - 1:
            runs[-1][1] = i
        else:
            runs.append([i, i])
    return [(Month(a // 12, a % 12 + 1), Month(b // 12, b % 12 + 1), b - a + 1) for a, b in runs]


def _certificate_data(office: Office, w: Worker, number: str, today: dt.date, clerk: str, target: str,
                      applied: dt.date, due: dt.date, estimated: bool, periods: list[tuple[Month, Month, int]],
                      regions: tuple[RegionTime, ...], months: int) -> DocumentData:
    here = sum(n for _a, _b, n in periods)
    new_days = tr.rules().medical_new_office_working_days
    years = (Decimal(months) / 12).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    values = {
        "office.name": office.name, "office.code": office.code, "office.region": office.region,
        "office.region_name": name_of(office.region), "doc.number": number, "doc.date": today.isoformat(),
        **contact_values(office), "doc.kind_name": KINDS[CERTIFICATE_KIND][1], "doc.clerk": clerk, **person_values(w),
        "cert.region": office.region, "cert.region_name": name_of(office.region), "cert.to_region": target,
        "cert.to_region_name": name_of(target), "cert.months_here": str(here), "cert.months": str(months),
        "cert.years": f"{years:.2f}", "cert.applied_on": applied.isoformat(), "cert.due": due.isoformat(),
        "cert.due_note": "（预计：节假日安排未公布）" if estimated else "",
        "cert.due_estimated": "1" if estimated else "",
        "cert.new_office_note": f"转入地经办机构应自收到本凭证之日起{new_days}个工作日内办结转移接续手续。",
        "cert.basis": "依据《基本医疗保险关系转移接续暂行办法》（医保发〔2021〕43号），参保人员的职工基本医疗保险"
                      "缴费年限累计计算。本凭证由参保人妥善保管，在转入地申请转移接续时出具。",
        "doc.essential": f"to:{target};months:{months};here:{here};due:{due.isoformat()}",
    }
    here_key = tr.pooling_key(office.region)
    def source(r: RegionTime) -> str:
        if r.carried:
            return "转入凭证"
        return "本地缴费" if tr.pooling_key(r.region) == here_key else "其他参保地（数据同步）"
    rows = [{"region": r.region, "region_name": name_of(r.region), "first": str(r.first), "last": str(r.last),
             "months": str(r.months), "source": source(r)} for r in regions]
    lines = [{"first": str(a), "last": str(b), "months": str(n)} for a, b, n in periods]
    return DocumentData(values, {"periods": lines, "regions": rows})


def _certificate(v: dict[str, str], number: str, issued_on: dt.date, voided: bool, code: str,
                 pdf: bytes = b"", pages: int = 0) -> MedicalCertificate:
    return MedicalCertificate(number, issued_on, v["cert.to_region"], dt.date.fromisoformat(v["cert.applied_on"]),
                              dt.date.fromisoformat(v["cert.due"]), bool(v.get("cert.due_estimated")),
                              int(v["cert.months_here"]), int(v["cert.months"]), voided, code, pdf, pages)


def _check_registered(s: Session, w: Worker, number: str, issued: dt.date | None) -> dt.date | None:
    """A certificate number registered here must be this person's medical certificate, not void, of
    that date; returns its old-office due date (None when the number is not registered here)."""
    doc = s.scalars(select(Document).where(Document.number == number)).first()
    if doc is None:
        return None
    if doc.kind != CERTIFICATE_KIND or doc.worker_id != w.id:
        raise RefusedByRule("insured.certificate_other", "certificate", number=number)
    if doc.voided_on is not None:
        raise RefusedByRule("document.void", "certificate", number=number, reason=doc.void_reason or "")
    if issued is not None and doc.issued_on != issued:
        raise RefusedByRule("insured.certificate_date", "issued_on", number=number,
                            date=doc.issued_on.isoformat())
    return dt.date.fromisoformat(json.loads(doc.data_json)["values"]["cert.due"])
