"""Pension transfer between pooling regions: the case from application to receipt, its documents.

Steps (国办发〔2009〕66号, each with 15 working days, 45 in all):
  1. old office: the contribution certificate (参保缴费凭证), `documents.issue("transfer-certificate")`;
  2.-3. new office: `request` opens the case and issues the contact letter (联系函);
  4. old office: `settle` issues the information table (信息表), records the funds out, closes the
     local relationship;
  5. new office: `receive` checks the money received against the table, continues the history.
Between offices the case travels as data in sync files; on paper, the old office types in a
letter that arrived by post (`enter_letter`) and the new office types in the table (`enter_table`),
both checked before anything is written. Every refusal says why and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import case, extract, func, select
from sqlalchemy.orm import Session

from desktop.core import pension_record as pr
from desktop.core import transfer_rules as tr
from desktop.core.csvsafe import csv_text
from desktop.core.errors import InvalidInput, RefusedByRule
from desktop.core.forms.render import DocumentData, render
from desktop.core.money import fen_of, fen_text, fmt, parse_amount, yuan_of
from desktop.core.month import Month, parse_date
from desktop.core.refdata import Reference
from desktop.core.regions import name_of, validate_region
from desktop.core.security import ANY, COUNTER, SUPERVISE
from desktop.core.services.documents import (
    KINDS,
    forms,
    next_number,
    numbers_under,
    person_values,
    register,
)
from desktop.core.services.office import contact_values, load_office, read_contact
from desktop.core.services.record import (
    HeldBack,
    HeldRecord,
    TemporaryInfo,
    TemporaryMoney,
    gather,
    home_region,
    opening_key,
    pooling_units,
    temporary_accounts,
)
from desktop.core.services.workers import require_worker
from desktop.core.store.models import Office, TemporaryAccount, TransferCase, TrustedOffice, Worker
from desktop.core.strict import is_digits

if TYPE_CHECKING:
    from desktop.core.ledger import Ledger

STATUSES = {"requested": ("已申请，待转出地办理", "requested, waiting for the old office"),
            "settled": ("已转出，待转入地接收", "settled, waiting for the new office"),
            "received": ("已办结", "done")}
LETTER_FIELDS = ("bank_account_name", "bank", "bank_account", "address", "phone")
_ROW_FIELDS = ("year", "months", "base", "credited", "interest", "closing")




@dataclass(frozen=True)
class Plan:
    """What a transfer would move, and where the pension would be paid (nothing written)."""

    worker: str
    from_region: str
    to_region: str
    months_counted: int
    individual_account: Decimal
    pooling_fund: Decimal
    total: Decimal
    temporary_account: bool
    temporary_rule: str
    place_region: str
    place_rule: str
    years_without_interest: tuple[int, ...] = ()  # past years whose crediting rate is not entered
    kind: str = "transfer"  # transfer | registration (inside one pooling unit) | temporary
    funds_move: bool = True
    periods: tuple[pr.Period, ...] = ()  # the whole record by place: received, deemed, pre-1998, own
    held_back: tuple[HeldBack, ...] = ()  # back payments of 3 years or more without their document
    place_years: tuple[tuple[str, Decimal], ...] = ()  # years counted by place for the pension place


@dataclass(frozen=True)
class CaseInfo:
    """A transfer case as a clerk sees it."""

    number: str
    worker: str
    name: str
    from_region: str
    to_region: str
    channel: str
    status: str
    applied_on: dt.date
    due: dt.date | None
    due_estimated: bool
    overdue: bool
    account: Decimal | None
    pooling: Decimal | None
    total: Decimal | None
    received_amount: Decimal | None
    rows: tuple[dict[str, Any], ...]
    rural: bool
    kind: str = "transfer"  # transfer | registration | temporary (an account opened here) | gather
    note: str = ""


@dataclass(frozen=True)
class TemporaryView:
    """A temporary account as the counter shows it; held here: its months and money so far."""

    info: TemporaryInfo
    months: int | None = None
    account: Decimal | None = None
    total: Decimal | None = None
    years_without_interest: tuple[int, ...] = ()


@dataclass(frozen=True)
class StepResult:
    """A step done: the case after it and the document it issued."""

    case: CaseInfo
    document_number: str | None
    pdf: bytes | None


_DIRECTIONS = {"in": "转入", "out": "转出"}
_GATHER_BASIS = ("根据《城镇企业职工基本养老保险关系转移接续暂行办法》（国办发〔2009〕66号）"
                 "第五条和人社部规〔2016〕5号，该参保人员基本养老保险关系在我地，请将其在贵地临时基本养老保险缴费账户中的单位和个人全部缴费本息"
                 "转移归集至我地。")


@dataclass(frozen=True)
class ReportLine:
    """Transfers of one direction in one month (month 0: the whole year)."""

    direction: str
    month: int
    people: int
    rural: int
    account: Decimal
    pooling: Decimal
    total: Decimal


@dataclass(frozen=True)
class TransferReport:
    """Transfers in and out of a year at this office."""

    year: int
    office: str
    office_name: str
    lines: tuple[ReportLine, ...]

    def as_json(self) -> dict[str, Any]:
        """The report as JSON (money as text)."""
        return {"year": self.year, "office": self.office,
                "lines": [{"direction": x.direction, "month": x.month or None, "people": x.people,
                           "rural_migrant_workers": x.rural, "individual_account": f"{x.account:.2f}",
                           "pooling_fund": f"{x.pooling:.2f}", "total": f"{x.total:.2f}"} for x in self.lines]}


class TransferService:
    """Plan, open, settle and receive pension transfers; the work list and the yearly report."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    # -- counter tools --------------------------------------------------------------------

    def plan(self, worker: str, to_region: str, on: object | None = None, from_region: str | None = None) -> Plan:
        """What would move if the person left from_region (default: this office's) for to_region, and who pays.

        The whole record held in from_region's pooling unit moves: months paid there, parts received
        there by any route, opening entries. From another region (at the new office, before the old
        one settles) the amounts are an estimate from what is known here; the old office's table
        decides. A move inside one pooling unit is a change of registration: no funds move.
        """
        self._ledger.require(ANY)
        target = validate_region(to_region, "to_region")
        day = parse_date(on, "on") if on not in (None, "") else self._ledger.today()
        with self._ledger.read() as s:
            office = load_office(s)
            source = validate_region(from_region, "from_region") if from_region else office.region
            w = require_worker(s, worker)
            held = gather(s, w, source, day)
            money = held.money(Reference(s).interest, day.year)
            decision = tr.needs_temporary_account(w.sex, w.birth_date, day, w.hukou_region or office.region,
                                                  source, target)
            inside = pooling_units(s).same(source, target, day)
            periods = held.periods
            place = pr.place_of(w.hukou_region or office.region, held.place_periods, target)
        kind = "registration" if inside else "temporary" if decision.temporary else "transfer"
        return Plan(_key(w), source, target, money.months_counted, yuan_of(money.account_fen) or Decimal(0),
                    yuan_of(money.pooling_fen) or Decimal(0), yuan_of(money.total_fen) or Decimal(0),
                    decision.temporary and not inside, decision.rule, place.region, place.rule,
                    money.years_without_interest(day.year), kind, kind == "transfer", periods,
                    () if inside else held.held_back,
                    tuple(sorted(place.years.items())))

    def _held_here(self, s: Session, w: Worker) -> tuple[str, HeldRecord]:
        held = gather(s, w, None, self._ledger.today(), in_transit=True)  # (where it is held)
        return held.region, held

    def pension_place(self, worker: str, on: object | None = None) -> tr.PlaceDecision:
        """Where the pension would be paid if claimed now (or with the record up to a day), and the rule."""
        self._ledger.require(ANY)
        day = parse_date(on, "on") if on not in (None, "") else None
        with self._ledger.read() as s:
            w = require_worker(s, worker)
            where, held = self._held_here(s, w)
            return pr.place_of(w.hukou_region or where, held.place_periods, where,
                               Month.of(day) if day is not None else None)

    def temporary(self, worker: str) -> list[TemporaryView]:
        """The person's temporary contribution accounts known here, each with its money where held here."""
        self._ledger.require(ANY)
        today = self._ledger.today()
        with self._ledger.read() as s:
            office = load_office(s)
            w = require_worker(s, worker)
            out = []
            for t in temporary_accounts(s, w):
                view = TemporaryView(t)
                if pooling_units(s).same(t.region, office.region, today) and t.state != "gathered":
                    held = gather(s, w, office.region, today)
                    if held.temporary:
                        money = held.temporary_money(Reference(s).interest, today.year)
                        view = TemporaryView(t, len({m.month for m in held.temporary}), yuan_of(money.account_fen),
                                             yuan_of(money.total_fen), money.money.years_without_interest(today.year))
                out.append(view)
            return out

    # -- the case -------------------------------------------------------------------------

    def request(self, worker: str, from_region: str, letter: dict[str, str] | None = None,
                channel: str = "sync", clerk: str = "", relationship: str | None = None) -> StepResult:
        """At the new office: open the case and issue the contact letter (联系函).

        From a region in this office's pooling unit (provincial pooling) nothing moves: the case is
        a change of registration, with no letter. By sync the record is here already and the case
        is done at once; on paper it is done when the old office's certificate is typed in
        (`enter_table`).
        A man of 50+ or a woman of 40+ from another province that is not the hukou province: the
        relationship stays where it is (relationship: its region, from the person's certificate;
        default where this office knows it to be, else from_region) and this office opens a
        temporary contribution account (case kind "temporary", done at once, no letter).
        """
        self._ledger.require(COUNTER)
        source = validate_region(from_region, "from_region")
        if channel not in ("sync", "paper"):
            raise InvalidInput("transfer.channel", "channel", value=channel)
        details = {k: str((letter or {}).get(k, "")).strip() for k in LETTER_FIELDS}
        today = self._ledger.today()
        with self._ledger.write() as s:
            office = load_office(s)
            if tr.pooling_key(source) == tr.pooling_key(office.region):
                raise InvalidInput("transfer.same_region", "from_region", region=source)
            w = require_worker(s, worker)
            self._check_open(s, w)
            inside = pooling_units(s).same(source, office.region, today)
            decision = tr.needs_temporary_account(w.sex, w.birth_date, today, w.hukou_region or office.region,
                                                  source, office.region)
            if decision.temporary and not inside:
                return self._open_temporary(s, office, w, source, channel, decision, relationship, today)
            due = tr.step_due(today)
            number = _case_number(s, office, today)
            peer = next((t.code for t in s.scalars(select(TrustedOffice))
                         if tr.pooling_key(t.region) == tr.pooling_key(source)), None)
            case = TransferCase(number=number, worker_id=w.id, from_region=source, to_region=office.region,
                                from_office=peer, to_office=office.code, channel=channel, status="requested",
                                temporary=False, applied_on=today, letter_number="",
                                letter_json=json.dumps(details, ensure_ascii=False, sort_keys=True),
                                due_on=due.date, due_estimated=due.estimated, created_at=self._ledger.now(),
                                kind="registration" if inside else "transfer")
            s.add(case)
            if inside:
                if channel == "sync":
                    case.status, case.settled_on, case.received_on = "received", today, today
                    case.due_on, case.due_estimated = None, False
                    w.insured_region = office.region
                s.flush()
                return StepResult(self._info(s, case), None, None)
            doc_no, pdf = self._issue_letter(s, office, w, case, details, today, clerk)
            case.letter_number = doc_no
            s.flush()
            return StepResult(self._info(s, case), doc_no, pdf)

    def _open_temporary(self, s: Session, office: Office, w: Worker, source: str, channel: str,
                        decision: tr.Decision, relationship: str | None, today: dt.date) -> StepResult:
        """Open a temporary contribution account here: the relationship stays where it is."""
        units = pooling_units(s)
        if relationship:
            where = validate_region(relationship, "relationship")
        elif w.insured_region and not units.same(w.insured_region, office.region, today):
            where = w.insured_region
        else:
            where = source
        if units.same(where, office.region, today):
            raise InvalidInput("transfer.same_region", "relationship", region=where)
        for t in temporary_accounts(s, w):
            if units.same(t.region, office.region, today) and t.state == "open":
                raise RefusedByRule("temporary.exists", "worker", region=t.region, opened=t.opened_on.isoformat())
        s.add(TemporaryAccount(worker_id=w.id, region=office.region, relationship_region=where, opened_on=today,
                               first_month=Month.of(today).as_int(), age=decision.age, age_limit=decision.age_limit,
                               opened_by=self._ledger.actor_name() or "—", created_at=self._ledger.now(),
                               sealed_on=None, sealed_to=None, sealed_document=None))
        note = (f"该参保人{decision.age}岁"
                f"（男{tr.rules().temporary_age_men}岁、女{tr.rules().temporary_age_women}岁及以上），"
                f"户籍在{name_of(w.hukou_region) if w.hukou_region else '—'}，转入地不在户籍省份：基本养老保险关系仍在"
                f"{name_of(where)}（{where}），本地自{Month.of(today)}起为其建立临时基本养老保险缴费账户，"
                f"单位和个人全部缴费记入该账户（国办发〔2009〕66号第五条、人社部规〔2016〕5号）。")
        case = TransferCase(number=_case_number(s, office, today), worker_id=w.id, from_region=source,
                            to_region=office.region, from_office=None, to_office=office.code, channel=channel,
                            status="received", temporary=True, applied_on=today, letter_number="",
                            letter_json="{}", settled_on=None, received_on=today, due_on=None, due_estimated=False,
                            table_json=json.dumps({"note": note}, ensure_ascii=False), created_at=self._ledger.now(),
                            kind="temporary")
        s.add(case)
        w.insured_region = where
        s.flush()
        return StepResult(self._info(s, case), None, None)

    def seal_temporary(self, worker: str, to_region: str, clerk: str = "") -> StepResult:
        """At the office holding an open temporary account, the person leaving for another province:
        the account is sealed (封存) where it is, and the certificate on leaving names it with its
        money (人社部规〔2016〕5号). Nothing moves until the person reaches pension conditions."""
        self._ledger.require(COUNTER)
        target = validate_region(to_region, "to_region")
        today = self._ledger.today()
        with self._ledger.write() as s:
            office = load_office(s)
            units = pooling_units(s)
            if units.same(target, office.region, today):
                raise InvalidInput("transfer.same_region", "to_region", region=target)
            w = require_worker(s, worker)
            row = self._open_here(s, w, office, units, today)
            if row is None:
                raise RefusedByRule("temporary.none_open", "worker", region=office.region)
            held = gather(s, w, office.region, today)
            money = held.temporary_money(Reference(s).interest, today.year)
            missing = money.money.years_without_interest(today.year)
            if missing:
                raise RefusedByRule("transfer.interest_unknown", "interest", years=tr.years_text(missing),
                                    year=missing[0])
            kind = "temporary-account"
            number = next_number(s, office, kind, today)
            row.sealed_on, row.sealed_to, row.sealed_document = today, target, number
            data = self._temporary_data(s, office, w, row, held, money, number, today, clerk)
            code = register(s, kind, office, w, data, number, today, self._ledger.now())
            case = TransferCase(number=_case_number(s, office, today), worker_id=w.id, from_region=office.region,
                                to_region=target, from_office=office.code, to_office="-", channel="paper",
                                status="received", temporary=True, applied_on=today, letter_number="",
                                letter_json="{}", settled_on=None, received_on=today, due_on=None,
                                due_estimated=False, table_number=number, created_at=self._ledger.now(),
                                table_json=json.dumps({"note": data.values["temp.note"]}, ensure_ascii=False),
                                kind="temporary")
            s.add(case)
            s.flush()
            return StepResult(self._info(s, case), number, render(forms()[kind], data, code).pdf)

    def _temporary_data(self, s: Session, office: Office, w: Worker, row: TemporaryAccount, held: HeldRecord,
                        money: TemporaryMoney, number: str, today: dt.date, clerk: str) -> DocumentData:
        months = sorted({m.month for m in held.temporary})
        per_year: dict[int, list[int]] = {}
        for m in tr.unique_months(held.temporary):
            acc = per_year.setdefault(m.month.year, [0, 0, 0])
            acc[0], acc[1], acc[2] = acc[0] + 1, acc[1] + m.base_fen, acc[2] + m.employer_fen + m.employee_fen

        rows = [{"year": str(y), "months": str(v[0]), "base": fen_text(v[1]), "paid": fen_text(v[2])}
                for y, v in sorted(per_year.items())]
        note = (f"该临时基本养老保险缴费账户于{today.isoformat()}封存，资金不转移；参保人员达到待遇领取条件时，"
                f"由基本养老保险关系所在地{name_of(row.relationship_region)}（{row.relationship_region}）"
                f"经办机构归集全部缴费本息（人社部规〔2016〕5号）。")
        values = {"office.name": office.name, "office.code": office.code, "office.region": office.region,
                  "office.region_name": name_of(office.region), "doc.number": number, "doc.date": today.isoformat(),
                  "doc.kind_name": KINDS["temporary-account"][1], **contact_values(office),
                  "doc.clerk": clerk or self._ledger.actor_name() or "—", **person_values(w),
                  "temp.region": row.region, "temp.region_name": name_of(row.region),
                  "temp.relationship": row.relationship_region,
                  "temp.relationship_name": name_of(row.relationship_region),
                  "temp.opened": row.opened_on.isoformat(),
                  "temp.first_month": str(months[0]) if months else "—",
                  "temp.last_month": str(months[-1]) if months else "—", "temp.months": str(len(months)),
                  "temp.sealed_on": today.isoformat(), "temp.to_region": row.sealed_to or "—",
                  "temp.to_region_name": name_of(row.sealed_to) if row.sealed_to else "—",
                  "temp.paid": fen_text(sum(v[2] for v in per_year.values())),
                  "temp.account": fen_text(money.account_fen), "temp.total": fen_text(money.total_fen),
                  "temp.note": note,
                  "doc.essential": f"temporary:{row.region};total:{fen_text(money.total_fen)}"}
        return DocumentData(values, {"rows": rows})

    @staticmethod
    def _open_here(s: Session, w: Worker, office: Office, units: tr.PoolingUnits,
                   today: dt.date) -> TemporaryAccount | None:
        """The person's temporary account held open in this office's pooling unit, if any."""
        row = next((t for t in s.scalars(select(TemporaryAccount).where(TemporaryAccount.worker_id == w.id))
                    if units.same(t.region, office.region, today) and t.sealed_on is None), None)
        info = next((t for t in temporary_accounts(s, w) if row is not None and t.opened_on == row.opened_on
                     and t.region == row.region), None)
        return row if row is not None and info is not None and info.state == "open" else None

    def can_seal_temporary(self, worker: str) -> RefusedByRule | None:
        """Why sealing (`seal_temporary`) would be refused whatever region is entered (no account
        open here), or None; returned, not raised, for disabling the action before typing."""
        self._ledger.require(ANY)
        today = self._ledger.today()
        with self._ledger.read() as s:
            office = load_office(s)
            if self._open_here(s, require_worker(s, worker), office, pooling_units(s), today) is None:
                return RefusedByRule("temporary.none_open", "worker", region=office.region)
        return None

    def can_gather_temporary(self, worker: str) -> RefusedByRule | None:
        """Why gathering (`gather_temporary`) would be refused whatever region is entered (the
        relationship is elsewhere, drawing a pension, a case open here), or None; returned, not raised."""
        self._ledger.require(ANY)
        today = self._ledger.today()
        with self._ledger.read() as s:
            office = load_office(s)
            w = require_worker(s, worker)
            where = home_region(s, w)
            if not pooling_units(s).same(where, office.region, today):
                return RefusedByRule("temporary.not_relationship", "worker", region=where)
            try:
                self._check_open(s, w)
            except RefusedByRule as refusal:
                return refusal
        return None

    def gather_temporary(self, worker: str, from_region: str, letter: dict[str, str] | None = None,
                         channel: str = "sync", approved: str = "", clerk: str = "") -> StepResult:
        """At the office holding the relationship: gather a temporary account held in from_region.

        When the person reaches pension conditions (the statutory retirement age of the person's
        group), or with an approved transfer (approved: the approval's reference), the relationship's
        office gathers every temporary account, all employer and employee money with interest
        (人社部规〔2016〕5号). The same steps as a transfer: contact letter, the holding office's
        information table (account type temporary), the money received checked against it.
        """
        self._ledger.require(COUNTER)
        source = validate_region(from_region, "from_region")
        if channel not in ("sync", "paper"):
            raise InvalidInput("transfer.channel", "channel", value=channel)
        details = {k: str((letter or {}).get(k, "")).strip() for k in LETTER_FIELDS}
        reason = str(approved or "").strip()
        today = self._ledger.today()
        with self._ledger.write() as s:
            office = load_office(s)
            units = pooling_units(s)
            if units.same(source, office.region, today):
                raise InvalidInput("transfer.same_region", "from_region", region=source)
            w = require_worker(s, worker)
            where = home_region(s, w)
            if not units.same(where, office.region, today):
                raise RefusedByRule("temporary.not_relationship", "worker", region=where)
            self._check_open(s, w)
            due_age = tr.retirement_date(tr.retirement_group(w.sex, w.retirement_group), w.birth_date)
            if today < due_age and not reason:
                raise RefusedByRule("temporary.not_yet", "worker", on=due_age.isoformat())
            known = [t for t in temporary_accounts(s, w) if units.same(t.region, source, today)]
            if known and all(t.state == "gathered" for t in known):
                raise RefusedByRule("temporary.gathered", "from_region", region=source, case=known[-1].gathered_by)
            due = tr.step_due(today)
            peer = next((t.code for t in s.scalars(select(TrustedOffice))
                         if tr.pooling_key(t.region) == tr.pooling_key(source)), None)
            details["approved"] = reason
            case = TransferCase(number=_case_number(s, office, today), worker_id=w.id, from_region=source,
                                to_region=office.region, from_office=peer, to_office=office.code, channel=channel,
                                status="requested", temporary=True, applied_on=today, letter_number="",
                                letter_json=json.dumps(details, ensure_ascii=False, sort_keys=True),
                                due_on=due.date, due_estimated=due.estimated, created_at=self._ledger.now(),
                                kind="gather")
            s.add(case)
            s.flush()
            doc_no, pdf = self._issue_letter(s, office, w, case, details, today, clerk)
            case.letter_number = doc_no
            s.flush()
            return StepResult(self._info(s, case), doc_no, pdf)

    def leave(self, worker: str, to_region: str, clerk: str = "") -> StepResult:
        """At the old office, a move inside the pooling unit on paper: the certificate on leaving.

        No funds and no contact letter: the table states the whole record, which the new office
        types in to continue it.
        """
        self._ledger.require(COUNTER)
        target = validate_region(to_region, "to_region")
        today = self._ledger.today()
        with self._ledger.write() as s:
            office = load_office(s)
            if tr.pooling_key(target) == tr.pooling_key(office.region):
                raise InvalidInput("transfer.same_region", "to_region", region=target)
            if not pooling_units(s).same(target, office.region, today):
                raise RefusedByRule("transfer.leave_not_inside", "to_region", region=target)
            w = require_worker(s, worker)
            self._check_open(s, w)
            case = TransferCase(number=_case_number(s, office, today), worker_id=w.id, from_region=office.region,
                                to_region=target, from_office=office.code, to_office="-", channel="paper",
                                status="requested", temporary=False, applied_on=today, letter_number="",
                                letter_json="{}", due_on=None, due_estimated=False, created_at=self._ledger.now(),
                                kind="registration")
            s.add(case)
            s.flush()
            return self._settle(s, office, case, today, clerk, False)

    def enter_letter(self, number: str, worker: str, to_region: str, to_office: str,
                     applied_on: object, letter: dict[str, str] | None = None, kind: str = "transfer") -> CaseInfo:
        """At the old office: type in a contact letter that arrived by post (the paper way).

        kind gather: the letter asks for the temporary account held here (all its money moves).
        """
        if kind not in ("transfer", "gather"):
            raise InvalidInput("transfer.letter_kind", "kind", value=kind)
        self._ledger.require(COUNTER)
        number = str(number).strip()
        if not number:
            raise InvalidInput("required", "case")
        target = validate_region(to_region, "to_region")
        day = parse_date(applied_on, "applied_on")
        details = {k: str((letter or {}).get(k, "")).strip() for k in LETTER_FIELDS}
        if not details["bank_account"]:
            raise InvalidInput("required", "bank_account")
        with self._ledger.write() as s:
            office = load_office(s)
            w = require_worker(s, worker)
            if s.scalars(select(TransferCase).where(TransferCase.number == number)).first() is not None:
                raise RefusedByRule("transfer.case_exists", "case", case=number)
            self._check_open(s, w)
            due = tr.step_due(day)
            case = TransferCase(number=number, worker_id=w.id, from_region=office.region, to_region=target,
                                from_office=office.code, to_office=str(to_office).strip() or "-", channel="paper",
                                status="requested", temporary=False, applied_on=day, letter_number=number,
                                letter_json=json.dumps(details, ensure_ascii=False, sort_keys=True),
                                due_on=due.date, due_estimated=due.estimated, created_at=self._ledger.now(),
                                kind=kind)
            s.add(case)
            s.flush()
            return self._info(s, case)

    def settle(self, number: str, clerk: str = "", without_interest: bool = False) -> StepResult:
        """At the old office: information table, funds out, local relationship closed.

        The whole record held in this pooling unit moves (months paid here, parts received by any
        route, opening entries), except lump-sum back payments of 3 years or more without their
        document: the table names them and the day by which the person is told.
        A past year whose crediting rate is not entered would move the account without that
        year's interest: refused, naming the years, until the rate is entered. Only a supervisor
        may settle anyway (`without_interest`, when the rate is not published yet and the person
        cannot wait); the table then says which years earned no interest and who decided.
        """
        self._ledger.require(SUPERVISE if without_interest else COUNTER)
        today = self._ledger.today()
        with self._ledger.write() as s:
            office = load_office(s)
            case = _case(s, number)
            units = pooling_units(s)
            if not units.same(case.from_region, office.region, today):
                raise RefusedByRule("transfer.not_ours", "case", case=case.number, region=case.from_region)
            if case.status != "requested":
                raise RefusedByRule("transfer.already_settled", "case", case=case.number,
                                    status=STATUSES[case.status][0])
            if units.same(case.from_region, case.to_region, today):
                case.kind = "registration"
            return self._settle(s, office, case, today, clerk, without_interest)

    def _settle(self, s: Session, office: Office, case: TransferCase, today: dt.date, clerk: str,
                without_interest: bool) -> StepResult:
        w = s.get(Worker, case.worker_id)
        assert w is not None
        if w.pension_since is not None:
            raise RefusedByRule("transfer.drawing_pension", "worker", since=w.pension_since.isoformat())
        held = gather(s, w, office.region, today)
        temp: TemporaryMoney | None = None
        if case.kind == "gather":
            if not held.temporary:
                raise RefusedByRule("temporary.none_here", "case", case=case.number, region=office.region)
            temp = held.temporary_money(Reference(s).interest, today.year)
            money = temp.money
            held = HeldRecord(held.region, held.unit, held.temporary, (), (), ())
        elif not (held.own or held.parts or held.opening):
            raise RefusedByRule("transfer.nothing_here", "worker", region=office.region)
        else:
            money = held.money(Reference(s).interest, today.year)
        missing = money.years_without_interest(today.year)
        if missing and not without_interest:
            raise RefusedByRule("transfer.interest_unknown", "interest", years=tr.years_text(missing),
                                year=missing[0])
        lines = temp.lines() if temp is not None else money.lines()
        table = _table_of(held, money, case.kind)
        notes = []
        if case.kind == "gather":
            table["account_type"] = "temporary"
            notes.append("注：临时基本养老保险缴费账户归集，转移单位和个人全部缴费本息；统筹基金转移额为单位缴费及其利息"
                         "（个人账户部分以外的全部金额）。")
        if case.kind == "registration":
            notes.append("注：同一统筹单位内转移，只办理参保登记变更，基金不转移；参保缴费记录由转入地接续。")
        for h in held.held_back:
            notes.append(f"注：{h.months[0]}至{h.months[-1]}于{h.paid_on.isoformat()}一次性补缴{len(h.months)}个月，"
                         f"未提供法院、审计、劳动保障监察或仲裁机构在补缴前作出的文书，相应缴费年限及资金不予转移"
                         f"（人社厅发〔2019〕94号），应于{h.notify_by.isoformat()}前书面告知本人。")
        if missing:
            notes.append(f"注：{tr.years_text(missing)}年记账利率未录入，该年个人账户未计利息"
                         f"（{self._ledger.actor_name() or '主管'}确认结算）。")
        if notes:
            table["note"] = "".join(notes)
        inside = case.kind == "registration"
        due = tr.step_due(today)
        case.status, case.settled_on = "settled", today
        case.account, case.pooling = yuan_of(lines.account_fen), yuan_of(lines.pooling_fen)
        case.total = yuan_of(lines.total_fen)
        case.table_json = json.dumps(table, ensure_ascii=False, sort_keys=True)
        case.due_on, case.due_estimated = (None, False) if inside else (due.date, due.estimated)
        w.insured_region = case.to_region
        doc_no, pdf = self._issue_table(s, office, w, case, table, lines, today, clerk)
        case.table_number = doc_no
        s.flush()
        return StepResult(self._info(s, case), doc_no, pdf)

    def enter_table(self, number: str, pre1998: object, to_last_year_end: object, this_year_principal: object,
                    account: object, pooling: object, total: object, rows: list[dict[str, object]],
                    table_number: str = "", months_paid: object | None = None,
                    periods: list[dict[str, object]] | None = None, settled_on: object | None = None) -> CaseInfo:
        """At the new office: type in an information table that arrived by post, checked first.

        The account line must be the sum of its three parts, the total the sum of account and
        pooling; the rows' credited money and interest must add up to the account line, and each
        row's year-end balance must follow from the one before. periods: the table's periods by
        place (kind paid/deemed/pre1998, region, first, last, months, source); without them each
        row's months count in the old region. settled_on: the table's date (default today): its
        year's balances are where this office's interest takes over.
        For a change of registration inside the pooling unit the typed certificate completes the
        case: nothing is received.
        """
        self._ledger.require(COUNTER)
        money = {name: fen_of(parse_amount(value, name)) for name, value in (
            ("pre1998", pre1998), ("to_last_year_end", to_last_year_end),
            ("this_year_principal", this_year_principal), ("account", account), ("pooling", pooling),
            ("total", total))}
        parsed = [_table_row(i, r) for i, r in enumerate(rows, 1)]
        typed_periods = [pr.Period.from_json(p) for p in periods or []]
        dated = parse_date(settled_on, "settled_on") if settled_on not in (None, "") else self._ledger.today()
        if dated > self._ledger.today():
            raise InvalidInput("date.future", "settled_on", value=dated.isoformat())
        lines = tr.InfoLines(money["pre1998"], money["to_last_year_end"], money["this_year_principal"],
                             money["account"], money["pooling"], money["total"])
        if lines.pre1998_fen + lines.to_last_year_end_fen + lines.this_year_principal_fen != lines.account_fen:
            raise InvalidInput("transfer.account_parts", "account")
        if lines.account_fen + lines.pooling_fen != lines.total_fen:
            raise InvalidInput("transfer.total_sum", "total")
        balance = lines.pre1998_fen
        for r in sorted(parsed, key=lambda r: r["year"]):
            balance += r["credited"] + r["interest"]
            if balance != r["closing"]:
                raise InvalidInput("transfer.row_balance", "rows", year=r["year"])
        if parsed and balance != lines.account_fen:
            raise InvalidInput("transfer.rows_total", "rows", rows=fmt(yuan_of(balance)),
                               account=fmt(yuan_of(lines.account_fen)))
        with self._ledger.write() as s:
            office = load_office(s)
            case = _case(s, number)
            if case.to_region != office.region:
                raise RefusedByRule("transfer.not_ours", "case", case=case.number, region=case.to_region)
            if case.status != "requested":
                raise RefusedByRule("transfer.already_settled", "case", case=case.number,
                                    status=STATUSES[case.status][0])
            table: dict[str, Any] = {
                "rows": parsed, "pre1998": lines.pre1998_fen, "to_last_year_end": lines.to_last_year_end_fen,
                "this_year_principal": lines.this_year_principal_fen, "entered": True,
                "account_type": "temporary" if case.kind == "gather" else "normal",
                "months_paid": int(str(months_paid)) if months_paid not in (None, "") else
                sum(int(r["months"]) for r in parsed)}
            if typed_periods:
                table["periods"] = [{**p.as_json(), "source": p.source or table_number or case.number}
                                    for p in typed_periods]
                paid = [p for p in typed_periods if p.kind == "paid"]
                if paid:
                    table["period_from"] = str(min(p.first for p in paid))
                    table["period_to"] = str(max(p.last for p in paid))
            case.status, case.settled_on = "settled", dated
            if case.kind == "registration":
                case.status, case.received_on, case.received_amount = "received", self._ledger.today(), Decimal(0)
                w = s.get(Worker, case.worker_id)
                assert w is not None
                w.insured_region = office.region
            case.account, case.pooling, case.total = (yuan_of(lines.account_fen), yuan_of(lines.pooling_fen),
                                                      yuan_of(lines.total_fen))
            case.table_number = str(table_number).strip() or None
            case.table_json = json.dumps(table, ensure_ascii=False, sort_keys=True)
            due = tr.step_due(self._ledger.today())
            case.due_on, case.due_estimated = (None, False) if case.status == "received" else (due.date, due.estimated)
            s.flush()
            return self._info(s, case)

    def receive(self, number: str, amount: object) -> CaseInfo:
        """At the new office: the money received must equal the table's total; then the case is done."""
        self._ledger.require(COUNTER)
        received = parse_amount(amount, "amount")
        with self._ledger.write() as s:
            office = load_office(s)
            case = _case(s, number)
            if case.to_region != office.region:
                raise RefusedByRule("transfer.not_ours", "case", case=case.number, region=case.to_region)
            if case.status == "received":
                raise RefusedByRule("transfer.already_received", "case", case=case.number)
            if case.status != "settled" or case.total is None:
                raise RefusedByRule("transfer.not_settled", "case", case=case.number)
            if case.kind == "registration":
                if received != 0:
                    raise RefusedByRule("transfer.registration_no_funds", "amount", case=case.number)
            elif received != case.total:
                raise RefusedByRule("transfer.amount_differs", "amount", expected=fmt(case.total),
                                    received=fmt(received))
            w = s.get(Worker, case.worker_id)
            assert w is not None
            case.status, case.received_on, case.received_amount = "received", self._ledger.today(), received
            case.due_on, case.due_estimated = None, False
            w.insured_region = office.region
            s.flush()
            return self._info(s, case)

    def can_apply_in(self, worker: str) -> RefusedByRule | None:
        """Why a request to transfer the person in (`request`) would be refused whatever region is
        entered (drawing a pension, a case still open here), or None: for disabling the action
        before anything is typed. The refusal is returned, not raised."""
        self._ledger.require(ANY)
        with self._ledger.read() as s:
            try:
                self._check_open(s, require_worker(s, worker))
            except RefusedByRule as refusal:
                return refusal
        return None

    def _check_open(self, s: Session, w: Worker) -> None:
        if w.pension_since is not None:
            raise RefusedByRule("transfer.drawing_pension", "worker", since=w.pension_since.isoformat())
        here = tr.pooling_key(load_office(s).region)
        for c in s.scalars(select(TransferCase).where(TransferCase.worker_id == w.id,
                                                      TransferCase.status != "received")):
            if _waits_here(c, here):
                raise RefusedByRule("transfer.open_case", "worker", case=c.number)

    # -- reading --------------------------------------------------------------------------

    def show(self, number: str) -> CaseInfo:
        """A case with its step, due date and whether it is overdue."""
        self._ledger.require(ANY)
        with self._ledger.read() as s:
            return self._info(s, _case(s, number))

    def list(self, status: str | None = None, overdue: bool = False, worker: str | None = None) -> list[CaseInfo]:
        """Cases here, overdue ones first, then by due date."""
        self._ledger.require(ANY)
        if status not in (None, "") and status not in STATUSES:
            raise InvalidInput("transfer.status", "status", value=status, known=", ".join(STATUSES))
        with self._ledger.read() as s:
            q = select(TransferCase)
            if status:
                q = q.where(TransferCase.status == status)
            if worker:
                q = q.where(TransferCase.worker_id == require_worker(s, worker).id)
            out = [self._info(s, c) for c in s.scalars(q)]
        if overdue:
            out = [c for c in out if c.overdue]
        return sorted(out, key=lambda c: (not c.overdue, c.due or dt.date.max, c.number))

    def _info(self, s: Session, c: TransferCase) -> CaseInfo:
        w = s.get(Worker, c.worker_id)
        assert w is not None
        table = json.loads(c.table_json) if c.table_json else {}
        here = tr.pooling_key(load_office(s).region)
        overdue = _waits_here(c, here) and c.due_on is not None and c.due_on < self._ledger.today()
        return CaseInfo(c.number, _key(w), w.name, c.from_region, c.to_region, c.channel, c.status,
                        c.applied_on, c.due_on, c.due_estimated, overdue, c.account, c.pooling, c.total,
                        c.received_amount, tuple(table.get("rows", [])), w.hukou_type == "rural",
                        c.kind or "transfer", str(table.get("note", "")))

    def document_number(self, kind: str, ident: str) -> str:
        """The number of a case's contact letter or information table (ident: case or document number)."""
        with self._ledger.read() as s:
            case = s.scalars(select(TransferCase).where(TransferCase.number == str(ident).strip())).first()
        if case is None:
            return str(ident).strip()
        number = case.letter_number if kind == "contact-letter" else case.table_number
        if not number:
            raise RefusedByRule("transfer.no_document", "id", case=case.number)
        return number

    # -- the yearly report ----------------------------------------------------------------

    def report(self, year: object) -> TransferReport:
        """Transfers in (received here) and out (settled here) in a year, by month, with totals."""
        self._ledger.require(ANY)
        text = str(year).strip()
        if not is_digits(text) or not 1990 <= int(text) <= 2999:
            raise InvalidInput("year.format", "year", value=text)
        y = int(text)
        first, last = dt.date(y, 1, 1), dt.date(y, 12, 31)
        with self._ledger.read() as s:
            office = load_office(s)
            here = tr.pooling_key(office.region)
            # Grouped in SQL by route, status, month settled and month received in the year, and
            # whether the person is a rural migrant worker; the few groups are then sorted into
            # in/out here by pooling region (a rule SQL does not know).
            tc = TransferCase
            settled_m = case((tc.settled_on.between(first, last), extract("month", tc.settled_on)), else_=None)
            received_m = case((tc.received_on.between(first, last), extract("month", tc.received_on)), else_=None)
            rural = case((Worker.hukou_type == "rural", 1), else_=0)
            groups = s.execute(
                select(tc.from_region, tc.to_region, tc.status, settled_m, received_m, rural, func.count(),
                       func.sum(tc.account), func.sum(tc.pooling), func.sum(tc.total))
                .join(Worker, Worker.id == tc.worker_id)
                .where(tc.settled_on.between(first, last) | tc.received_on.between(first, last))
                .where(tc.kind.notin_(("registration", "temporary")))
                .group_by(tc.from_region, tc.to_region, tc.status, settled_m, received_m, rural))
            cells: dict[tuple[str, int], list[Any]] = {}
            for src, dst, status, settled, received, is_rural, people, account, pooling, total in groups:
                moves = []
                if tr.pooling_key(dst) == here and status == "received" and received:
                    moves.append(("in", int(received)))
                if tr.pooling_key(src) == here and settled and status != "requested":
                    moves.append(("out", int(settled)))
                for direction, month in moves:
                    for key in ((direction, month), (direction, 0)):
                        c = cells.setdefault(key, [0, 0, Decimal(0), Decimal(0), Decimal(0)])
                        c[0] += people
                        c[1] += people if is_rural else 0
                        c[2] += account or 0
                        c[3] += pooling or 0
                        c[4] += total or 0
            lines = [ReportLine(d, m, *cells[(d, m)]) for d in ("in", "out") for m in range(13) if (d, m) in cells]
            return TransferReport(y, office.code, office.name, tuple(lines))

    def report_csv(self, report: TransferReport) -> str:
        """The report as CSV (UTF-8 with BOM when written, for spreadsheet programs; cells made
        safe by desktop.core.csvsafe, counts and amounts written as numbers)."""
        rows: list[list[object]] = [["方向", "月份", "人数", "其中农民工", "个人账户", "统筹基金", "合计金额"]]
        rows += [[_DIRECTIONS[line.direction], line.month or "全年", line.people, line.rural,
                  Decimal(fmt(line.account)), Decimal(fmt(line.pooling)), Decimal(fmt(line.total))]
                 for line in report.lines]
        return csv_text(rows, lineterminator="\n")

    def report_pdf(self, report: TransferReport) -> bytes:
        """The report as a PDF table (a report, not a certificate: no verification code)."""
        with self._ledger.read() as s:
            contact = contact_values(s)
        values = {"office.name": report.office_name, "office.code": report.office,
                  "doc.date": self._ledger.today().isoformat(), "report.scope": f"{report.year}年",
                  "doc.clerk": self._ledger.actor_name() or "", **contact}
        return render(forms()["transfer-report"], DocumentData(values, {"rows": report_rows(report)})).pdf

    # -- documents ------------------------------------------------------------------------

    def _common(self, office: Office, kind: str, number: str, today: dt.date, clerk: str,
                case: TransferCase) -> dict[str, str]:
        return {"office.name": office.name, "office.code": office.code, "office.region": office.region,
                "office.region_name": name_of(office.region), "doc.number": number,
                "doc.date": today.isoformat(), "doc.kind_name": KINDS[kind][1],
                "doc.clerk": clerk or self._ledger.actor_name() or "—", "case.number": case.number,
                "case.from_region": case.from_region, "case.from_region_name": name_of(case.from_region),
                "case.to_region": case.to_region, "case.to_region_name": name_of(case.to_region),
                **contact_values(office)}

    def _issue_letter(self, s: Session, office: Office, w: Worker, case: TransferCase,
                      details: dict[str, str], today: dt.date, clerk: str) -> tuple[str, bytes]:
        kind = "contact-letter"
        number = next_number(s, office, kind, today)
        peer = s.scalars(select(TrustedOffice).where(TrustedOffice.code == case.from_office)).first() \
            if case.from_office else None
        own = read_contact(s)  # the office's own details where the clerk left a line empty
        values = {**self._common(office, kind, number, today, clerk, case), **person_values(w),
                  "to.office_name": peer.name if peer else f"{name_of(case.from_region)}社会保险经办机构",
                  "letter.office_name": office.name, "letter.address": details["address"] or own.address or "—",
                  "letter.bank_account_name": details["bank_account_name"] or own.bank_account_name or office.name,
                  "letter.bank": details["bank"] or own.bank or "—",
                  "letter.bank_account": details["bank_account"] or own.bank_account or "—",
                  "letter.phone": details["phone"] or own.phone or "—",
                  "letter.basis": _GATHER_BASIS if case.kind == "gather" else
                  "根据《城镇企业职工基本养老保险关系转移接续暂行办法》（国办发〔2009〕66号），"
                  "请办理该参保人员的基本养老保险关系转移手续。",
                  "doc.essential": f"case:{case.number};from:{case.from_region};to:{case.to_region}"}
        data = DocumentData(values, {})
        code = register(s, kind, office, w, data, number, today, self._ledger.now())
        return number, render(forms()[kind], data, code).pdf

    def _issue_table(self, s: Session, office: Office, w: Worker, case: TransferCase, table: dict[str, Any],
                     lines: tr.InfoLines, today: dt.date, clerk: str) -> tuple[str, bytes]:
        kind = "information-table"
        number = next_number(s, office, kind, today)

        values = {**self._common(office, kind, number, today, clerk, case), **person_values(w),
                  "table.first_month": table["first_month"], "table.account_opened": table["first_month"],
                  "table.period_from": table["period_from"], "table.period_to": table["period_to"],
                  "table.months_paid": str(table["months_paid"]),
                  "table.account_type": ("普通账户" if table["account_type"] == "normal" else "临时缴费账户")
                  + ("（统筹单位内登记变更，基金不转移）" if table.get("kind") == "registration" else ""),
                  "money.pre1998": fen_text(lines.pre1998_fen),
                  "money.to_last_year_end": fen_text(lines.to_last_year_end_fen),
                  "money.this_year_principal": fen_text(lines.this_year_principal_fen),
                  "money.account": fen_text(lines.account_fen), "money.pooling": fen_text(lines.pooling_fen),
                  "money.total": fen_text(lines.total_fen), "table.note": str(table.get("note", "")),
                  "doc.essential": f"case:{case.number};total:{fen_text(lines.total_fen)}"}
        rows = [{"year": str(r["year"]), "base": fen_text(r["base"]), "months": str(r["months"]),
                 "employer_rate": r["employer_rate"], "account_rate": r["account_rate"],
                 "personal_rate": r["personal_rate"], "credited": fen_text(r["credited"]),
                 "interest": fen_text(r["interest"]), "closing": fen_text(r["closing"])} for r in table["rows"]]
        periods = [{"kind": pr.KIND_NAMES[p["kind"]][0], "region": p["region"], "region_name": name_of(p["region"]),
                    "first": p["first"], "last": p["last"], "months": str(p["months"]),
                    "source": p.get("source") or office.code} for p in table.get("periods", [])]
        data = DocumentData(values, {"rows": rows, "periods": periods})
        code = register(s, kind, office, w, data, number, today, self._ledger.now())
        return number, render(forms()[kind], data, code).pdf


def _table_of(held: HeldRecord, money: pr.HeldMoney, kind: str) -> dict[str, Any]:
    """The information table's content for the whole record held here (amounts in fen)."""
    periods = held.periods
    paid = [p for p in periods if p.kind == "paid"]
    own = sorted(m.month for m in held.own)
    first = min((p.first for p in periods if p.kind in ("paid", "pre1998")), default=None)
    local_from = own[0] if own else min((p.first for p in paid), default=first)
    local_to = own[-1] if own else max((p.last for p in paid), default=first)
    counted = pr.months_by_place(periods)
    rows = [{"year": y.year, "months": y.months, "base": y.base_total_fen, "employer_rate": y.rates[0],
             "account_rate": y.rates[1], "personal_rate": y.rates[2], "credited": y.credited_fen,
             "interest": y.interest_fen or 0, "closing": y.closing_fen, "pooling": y.pooling_fen}
            for y in money.years]
    return {"first_month": str(first) if first else "—", "period_from": str(local_from) if local_from else "—",
            "period_to": str(local_to) if local_to else "—",
            "months_paid": sum(x.by_kind.get("paid", 0) + x.by_kind.get("pre1998", 0) for x in counted),
            "account_type": "normal", "kind": kind, "pre1998": money.pre1998_fen,
            "to_last_year_end": money.to_last_year_end_fen, "this_year_principal": money.this_year_principal_fen,
            "rows": rows, "periods": [p.as_json() for p in periods],
            "opening": [opening_key(e.kind, e.region, e.first.as_int()) for e in held.opening],
            "held_back": [{"paid_on": h.paid_on.isoformat(), "first": str(h.months[0]), "last": str(h.months[-1]),
                           "months": len(h.months), "notify_by": h.notify_by.isoformat()} for h in held.held_back]}


def _waits_here(c: TransferCase, here: str) -> bool:
    """Whether the case is still open as this office sees it.

    A settled case is done for the old office (the money is out); on paper it never hears of the
    receipt, so only the new office keeps it open until the money arrives.
    """
    if c.status == "received":
        return False
    return not (c.status == "settled" and tr.pooling_key(c.from_region) == here
                and tr.pooling_key(c.to_region) != here)


def _key(w: Worker) -> str:
    return w.id_number or w.ssn


def _case(s: Session, number: str) -> TransferCase:
    case = s.scalars(select(TransferCase).where(TransferCase.number == str(number).strip())).first()
    if case is None:
        raise InvalidInput("transfer.unknown", "case", value=number)
    return case


def _case_number(s: Session, office: Office, today: dt.date) -> str:
    prefix = f"{office.code}-ZY{today.year}"
    return f"{prefix}{numbers_under(s, TransferCase.number, prefix) + 1:06d}"


def _table_row(line: int, row: dict[str, object]) -> dict[str, Any]:
    try:
        out: dict[str, Any] = {"year": int(str(row["year"])), "months": int(str(row["months"]))}
        for name in ("base", "credited", "interest", "closing"):
            out[name] = fen_of(parse_amount(row[name], name))
    except KeyError as err:
        raise InvalidInput("transfer.row_field", "rows", line=line, name=str(err)) from None
    except ValueError:
        raise InvalidInput("transfer.row_field", "rows", line=line, name="year/months") from None
    for name in ("employer_rate", "account_rate", "personal_rate"):
        out[name] = str(row.get(name, "—"))
    return out


def report_rows(report: TransferReport) -> list[dict[str, str]]:
    """The printed report's rows: each direction's months, then its 全年 line (0 when there were none:
    transfers in and out are both always shown), then the 合计 of both directions."""
    def row(direction: str, month: str, people: int, rural: int, account: Decimal, pooling: Decimal,
            total: Decimal) -> dict[str, str]:
        return {"direction": direction, "month": month, "people": str(people), "rural": str(rural),
                "account": fmt(account), "pooling": fmt(pooling), "total": fmt(total)}

    rows = []
    zero = Decimal(0)
    for direction in ("in", "out"):
        lines = [x for x in report.lines if x.direction == direction]
        rows += [row(_DIRECTIONS[direction], f"{x.month}月", x.people, x.rural, x.account, x.pooling, x.total)
                 for x in lines if x.month]
        year = next((x for x in lines if not x.month), None)
        rows.append(row(_DIRECTIONS[direction], "全年", *((year.people, year.rural, year.account, year.pooling,
                                                         year.total) if year else (0, 0, zero, zero, zero))))
    years = [x for x in report.lines if not x.month]
    rows.append(row("合计", "转入＋转出", sum(x.people for x in years), sum(x.rural for x in years),
                    sum((x.account for x in years), zero), sum((x.pooling for x in years), zero),
                    sum((x.total for x in years), zero)))
    return rows
