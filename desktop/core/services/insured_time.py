"""Medical and unemployment insured time that follows a person between regions.

Medical insurance (医保发〔2021〕43号): contribution years in every region add up; a retiree who has
the minimum years of the region where benefits are claimed needs pay no more (the minimum is the
office's data, by sex). Unemployment insurance (失业保险条例 第十七条): insured time adds up across
regions; the benefit lasts 12, 18 or 24 months by that time; after a claim the time is counted anew.

Time known here: months paid to the scheme in any region (this office's and those that arrived by
sync), and periods typed in from another region's certificate (`carry`). A month counts once however
many times it is known.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.core import transfer_rules as tr
from desktop.core.errors import Conflict, InvalidInput, RefusedByRule
from desktop.core.month import Month, parse_date
from desktop.core.regions import validate_region
from desktop.core.security import ADMIN, ANY, COUNTER
from desktop.core.services.office import load_office
from desktop.core.services.workers import require_worker
from desktop.core.store.models import (
    CarriedPeriod,
    Contribution,
    OfficeSetting,
    UnemploymentClaim,
    Worker,
)

if TYPE_CHECKING:
    from desktop.core.ledger import Ledger

SCHEMES = ("medical", "unemployment")
MINIMUM_SETTING = "medical.retiree_minimum_years."  # + M | F: whole years, office data


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


class InsuredTimeService:
    """Medical years and unemployment time across regions; carried periods and benefit claims."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def carry(self, worker: str, scheme: str, region: str, first: object, last: object, document: str,
              months: object | None = None) -> RegionTime:
        """Type in insured time from another region's certificate (months: fewer than the span if
        the certificate says so)."""
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
        doc = str(document or "").strip()
        if not doc:
            raise InvalidInput("required", "document")
        today = self._ledger.today()
        if end >= Month.of(today):
            raise InvalidInput("month.future", "to", value=str(end), current=str(Month.of(today)))
        with self._ledger.write() as s:
            w = require_worker(s, worker)
            if s.scalars(select(CarriedPeriod.id).where(
                    CarriedPeriod.worker_id == w.id, CarriedPeriod.scheme == scheme,
                    CarriedPeriod.region == place, CarriedPeriod.first_month == start.as_int())).first():
                raise Conflict("insured.carried_exists", "from", region=place, first=str(start))
            s.add(CarriedPeriod(worker_id=w.id, scheme=scheme, region=place, first_month=start.as_int(),
                                last_month=end.as_int(), months=n, document=doc[:400], entered_on=today,
                                entered_by=self._ledger.actor_name() or "—", created_at=self._ledger.now()))
        return RegionTime(place, n, start, end, True)

    def set_medical_minimum(self, men_years: object, women_years: object) -> tuple[int, int]:
        """The retiree minimum medical contribution years in this office's region (office data)."""
        self._ledger.require(ADMIN)
        values = []
        for name, value in (("men", men_years), ("women", women_years)):
            text = str(value).strip()
            if not text.isdigit() or not 0 < int(text) <= 50:
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
