"""The switch between the employees' and the residents' pension at retirement age (城乡养老保险制度衔接).

Source: 人社部发〔2014〕17号 城乡养老保险制度衔接暂行办法 (from 2014-07-01), decided when the person
reaches the employee retirement age:
- 15 employee years or more (180 months, extended payment included): from the residents' scheme to
  the employees' (第五条). The residents' individual account moves; the residents' years do not count.
- under 15 years: from the employees' scheme to the residents' (第六条). The employee individual
  account moves, the employee years count as residents' years; the pooling part stays.
- a month in both schemes counts once, as employee time; the residents' personal contribution for it
  is refunded (第七条): a year's personal amount x overlapping months / 12, half up to the fen, per year.
- no double pension (第八条, 人社厅发〔2021〕77号): one switch per person, and a person drawing the
  employee pension does not move to the residents' scheme.

Employee months are the months of the pension record known here (paid, deemed, paid before 1998, in
any region; each month once). A received period that does not cover its span adds its months to the
total but to no year, so it cannot be matched with a residents' year.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.core import transfer_rules as tr
from desktop.core.errors import RefusedByRule
from desktop.core.forms.render import DocumentData, render
from desktop.core.money import fmt, yuan_of
from desktop.core.month import Month
from desktop.core.refdata import Reference
from desktop.core.regions import name_of
from desktop.core.security import ANY, COUNTER
from desktop.core.services.documents import KINDS, forms, next_number, person_values, register
from desktop.core.services.office import contact_values, load_office
from desktop.core.services.record import HeldRecord, gather
from desktop.core.services.residents import refund_for
from desktop.core.services.workers import require_worker
from desktop.core.store.models import Office, ResidentContribution, SchemeSwitch, Worker

if TYPE_CHECKING:
    from desktop.core.ledger import Ledger

TO_RESIDENT, TO_EMPLOYEE = "to_resident", "to_employee"
NOTICE = "scheme-switch-notice"
DIRECTION_NAMES = {TO_RESIDENT: ("从职工基本养老保险转入城乡居民基本养老保险",
                                 "employees' pension to residents' pension"),
                   TO_EMPLOYEE: ("从城乡居民基本养老保险转入职工基本养老保险",
                                 "residents' pension to employees' pension")}
_FEN = Decimal("0.01")


@dataclass(frozen=True)
class ResidentYear:
    """A residents' pension year: its amounts, the months of it that are employee time, the refund."""

    year: int
    personal: Decimal
    subsidy: Decimal
    overlap: int
    refund: Decimal


@dataclass(frozen=True)
class SwitchPlan:
    """What a switch would do for a person today, or why it is refused.

    account_moved: to_resident, the employee individual account of the record held here (with the
    interest known to this year); to_employee, the residents' contributions, personal and subsidy, of
    every year less the personal part refunded: the residents' fund adds its own interest to it.
    counted_months: to_resident, employee months plus the residents' months that are not employee
    time; to_employee, the employee months only. refusal: the rule's key when not allowed ("" else).
    """

    worker: str
    name: str
    retirement_on: dt.date
    reached: bool
    employee_months: int
    years: tuple[ResidentYear, ...]
    direction: str
    rule: str
    counted_months: int
    account_moved: Decimal
    refusal: str = ""
    refusal_params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def allowed(self) -> bool:
        """Whether the switch may be decided now."""
        return not self.refusal

    @property
    def resident_years(self) -> int:
        """How many residents' pension years are recorded."""
        return len(self.years)

    @property
    def overlap_months(self) -> int:
        """Months counted in both schemes (counted once, as employee time)."""
        return sum(y.overlap for y in self.years)

    @property
    def refunds(self) -> tuple[ResidentYear, ...]:
        """The residents' years with a refund (some of their months are employee time)."""
        return tuple(y for y in self.years if y.overlap)

    @property
    def refund(self) -> Decimal:
        """The residents' personal contributions refunded, all years together."""
        return sum((y.refund for y in self.years), Decimal("0.00"))

    def refused(self) -> RefusedByRule:
        """The refusal as the error a decision raises."""
        return RefusedByRule(self.refusal, "worker", **self.refusal_params)


@dataclass(frozen=True)
class SwitchResult:
    """A decided switch: the plan it carried out, the notice's number, verification code and PDF."""

    plan: SwitchPlan
    decided_on: dt.date
    notice: str
    code: str
    pdf: bytes


@dataclass(frozen=True)
class SwitchRecord:
    """A switch as stored."""

    direction: str
    decided_on: dt.date
    region: str
    retirement_on: dt.date
    employee_months: int
    resident_years: int
    overlap_months: int
    counted_months: int
    account_moved: Decimal
    refund: Decimal
    refunds: tuple[tuple[int, int, Decimal], ...]  # year, overlapping months, amount
    notice: str
    decided_by: str


def _months(held: HeldRecord) -> tuple[set[Month], int]:
    """The employee months known here, each once, and the months of periods not known month by month."""
    known: set[Month] = set()
    loose = 0
    for p in held.place_periods:
        found = p.month_set()
        if found is None:
            loose += p.months
        else:
            known |= found
    return known, loose


def _plan(s: Session, w: Worker, today: dt.date) -> SwitchPlan:
    group = tr.retirement_group(w.sex, w.retirement_group)
    retire_on = tr.retirement_date(group, w.birth_date)
    held = gather(s, w, None, today)  # (where it is held)
    known, loose = _months(held)
    employee = len(known) + loose
    rows = s.scalars(select(ResidentContribution).where(
        ResidentContribution.worker_id == w.id, ResidentContribution.scheme == "resident_pension")
        .order_by(ResidentContribution.year)).all()
    years = []
    for r in rows:
        overlap = min(sum(1 for m in known if m.year == r.year), tr.MONTHS_IN_YEAR)
        years.append(ResidentYear(r.year, r.personal, r.subsidy, overlap, refund_for(r.personal, overlap)))
    need = tr.rules().resident_max_employee_years * tr.MONTHS_IN_YEAR
    direction = TO_EMPLOYEE if employee >= need else TO_RESIDENT
    refunded = sum((y.refund for y in years), Decimal("0.00"))
    if direction == TO_RESIDENT:
        account = yuan_of(held.money(Reference(s).interest, today.year).account_fen)
        counted = employee + sum(tr.MONTHS_IN_YEAR - y.overlap for y in years)
    else:
        account = sum((y.personal + y.subsidy for y in years), Decimal("0.00")) - refunded
        counted = employee
    reached = today >= retire_on
    refusal = ""
    params: dict[str, object] = {}
    done = s.scalars(select(SchemeSwitch).where(SchemeSwitch.worker_id == w.id)).first()
    if done is not None:
        refusal, params = "switch.done", {"date": done.decided_on.isoformat(), "number": done.notice_number or "—"}
    elif not reached:
        refusal, params = "switch.before_retirement", {"date": retire_on.isoformat()}
    elif direction == TO_RESIDENT and w.pension_since is not None:
        refusal, params = "switch.drawing_pension", {"since": w.pension_since.isoformat()}
    elif direction == TO_RESIDENT and not employee:
        refusal, params = "switch.no_employee_months", {}
    elif direction == TO_EMPLOYEE and not years:
        refusal, params = "switch.no_resident_years", {"months": employee,
                                                       "years": tr.rules().resident_max_employee_years}
    rule = "switch.to_employee" if direction == TO_EMPLOYEE else "switch.to_resident"
    return SwitchPlan(w.id_number or w.ssn, w.name, retire_on, reached, employee, tuple(years), direction, rule,
                      counted, account.quantize(_FEN), refusal, MappingProxyType(params))


def _record(row: SchemeSwitch) -> SwitchRecord:
    refunds = tuple((int(r["year"]), int(r["months"]), Decimal(str(r["amount"])))
                    for r in json.loads(row.refunds_json or "[]"))
    return SwitchRecord(row.direction, row.decided_on, row.region, row.retirement_on, row.employee_months,
                        row.resident_years, row.overlap_months, row.counted_months, row.account_moved, row.refund,
                        refunds, row.notice_number or "", row.decided_by)


def years_text(months: int) -> str:
    """Months as years and months, as the notice prints them (13 -> 1年1个月)."""
    y, m = divmod(months, tr.MONTHS_IN_YEAR)
    return f"{y}年" + (f"{m}个月" if m else "") if y else f"{m}个月"


class SchemeSwitchService:
    """Plan, decide and show a person's switch between the employees' and the residents' pension."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def plan(self, worker: str) -> SwitchPlan:
        """What the switch would do today, with the refusal when it is not allowed."""
        self._ledger.require(ANY)
        today = self._ledger.today()
        with self._ledger.read() as s:
            return _plan(s, require_worker(s, worker), today)

    def show(self, worker: str) -> SwitchRecord | None:
        """The person's recorded switch, or None."""
        self._ledger.require(ANY)
        with self._ledger.read() as s:
            w = require_worker(s, worker)
            row = s.scalars(select(SchemeSwitch).where(SchemeSwitch.worker_id == w.id)).first()
            return _record(row) if row is not None else None

    def decide(self, worker: str, clerk: str = "") -> SwitchResult:
        """Decide the switch as planned: record it (once per person) and issue the notice
        (城乡养老保险制度衔接告知书). A refusal writes nothing."""
        self._ledger.require(COUNTER)
        clerk = clerk or self._ledger.actor_name() or "—"
        today = self._ledger.today()
        with self._ledger.write() as s:
            office = load_office(s)
            w = require_worker(s, worker)
            p = _plan(s, w, today)
            if not p.allowed:
                raise p.refused()
            number = next_number(s, office, NOTICE, today)
            refunds: list[dict[str, object]] = [{"year": y.year, "months": y.overlap, "amount": fmt(y.refund)}
                                                for y in p.refunds]
            s.add(SchemeSwitch(worker_id=w.id, direction=p.direction, decided_on=today, region=office.region,
                               retirement_on=p.retirement_on, employee_months=p.employee_months,
                               resident_years=p.resident_years, overlap_months=p.overlap_months,
                               counted_months=p.counted_months, account_moved=p.account_moved, refund=p.refund,
                               refunds_json=json.dumps(refunds), notice_number=number, decided_by=clerk[:60],
                               created_at=self._ledger.now()))
            data = notice_data(office, w, p, number, today, clerk)
            code = register(s, NOTICE, office, w, data, number, today, self._ledger.now())
            pdf = render(forms()[NOTICE], data, code).pdf
        return SwitchResult(p, today, number, code, pdf)


def notice_data(office: Office, w: Worker, p: SwitchPlan, number: str, today: dt.date, clerk: str) -> DocumentData:
    """The notice's values: the decision, the years counted, the refunds by year, the account moved."""
    to_resident = p.direction == TO_RESIDENT
    if to_resident:
        counted = (f"职工养老保险缴费年限{years_text(p.employee_months)}合并计算为城乡居民养老保险缴费年限，"
                   f"合计{years_text(p.counted_months)}（{p.counted_months}个月）")
        account = "职工养老保险个人账户全部储存额（含本年度已知记账利息）转入城乡居民养老保险个人账户；统筹基金不转移"
    else:
        counted = (f"城乡居民养老保险缴费年限不合并计算，职工养老保险缴费年限"
                   f"{years_text(p.counted_months)}（{p.counted_months}个月）")
        account = ("城乡居民养老保险个人缴费和补助（扣除退还部分）并入职工养老保险个人账户，"
                   "利息由城乡居民养老保险基金另计")
    values = {
        "office.name": office.name, "office.code": office.code, "office.region": office.region,
        "office.region_name": name_of(office.region), "doc.number": number, "doc.date": today.isoformat(),
        "doc.kind_name": KINDS[NOTICE][1], "doc.clerk": clerk, **person_values(w), **contact_values(office),
        "switch.direction": DIRECTION_NAMES[p.direction][0], "switch.retirement_on": p.retirement_on.isoformat(),
        "switch.employee_months": f"{p.employee_months}个月（{years_text(p.employee_months)}）",
        "switch.resident_years": f"{p.resident_years}年", "switch.overlap_months": f"{p.overlap_months}个月",
        "switch.counted": counted, "switch.account_moved": fmt(p.account_moved), "switch.account_note": account,
        "switch.refund": fmt(p.refund),
        "doc.essential": f"{p.direction};months:{p.counted_months};refund:{fmt(p.refund)};"
                         f"account:{fmt(p.account_moved)}"}
    years = [{"year": str(y.year), "personal": fmt(y.personal), "subsidy": fmt(y.subsidy),
              "overlap": str(y.overlap), "refund": fmt(y.refund)} for y in p.years]
    return DocumentData(values, {"years": years})
