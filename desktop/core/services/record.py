"""A person's whole pension record at a pooling unit, read from the database, and its opening entries.

Which parts an office holds for a person (`gather`), with units as they are on the day asked:
- months paid in the unit, after the last month a transfer out of the unit took with it;
- the parts received into the unit since that transfer out (a case received by sync or typed in
  from paper; a registration change inside the unit brought on paper), each as its table states;
- opening entries held in the unit that no transfer out has taken yet.
Lump-sum back payments of 3 years or more without their document are held back (人社厅发〔2019〕94号).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlalchemy import column, select, table
from sqlalchemy.orm import Session

from desktop.core import audit
from desktop.core import pension_record as pr
from desktop.core import transfer_rules as tr
from desktop.core.errors import InvalidInput, RefusedByRule
from desktop.core.money import fen_text, parse_amount
from desktop.core.month import Month, parse_date
from desktop.core.refdata import Reference
from desktop.core.regions import validate_region
from desktop.core.security import ANY, SUPERVISE
from desktop.core.services.office import load_office
from desktop.core.services.workers import require_worker
from desktop.core.store.models import (
    BackPaymentDocument,
    Contribution,
    Day,
    KindCode,
    OfficeSetting,
    OpeningEntry,
    RegionCode,
    SchemeCode,
    StatusCode,
    TemporaryAccount,
    TransferCase,
    Worker,
)
from desktop.core.store.reading import typed_rows
from desktop.core.workdays import default_calendar

if TYPE_CHECKING:
    from desktop.core.ledger import Ledger

POOLING_SETTING = "pooling.provincial."  # + province code: the ISO date it pools as one unit
DOCUMENT_KINDS = {"court": ("法院", "court"), "audit": ("审计机关", "audit office"),
                  "inspection": ("劳动保障监察机构", "labour inspectorate"),
                  "arbitration": ("劳动人事争议仲裁委员会", "arbitration committee"),
                  "undertaking": ("转出地经办机构书面承诺（2016年前补缴）",
                                  "sending office's undertaking (before 2016)")}
FIRST_MONTH = Month(1950, 1)  # nothing in a pension record is older


def pooling_units(s: Session) -> tr.PoolingUnits:
    """The pooling units with the office's own provincial-pooling dates."""
    rows = s.scalars(select(OfficeSetting).where(OfficeSetting.key.like(f"{POOLING_SETTING}%")))
    return tr.PoolingUnits({r.key[len(POOLING_SETTING):]: dt.date.fromisoformat(r.value) for r in rows})


@dataclass(frozen=True, slots=True)
class OpeningInfo:
    """An opening entry as shown."""

    id: int
    kind: str
    region: str
    first: Month
    last: Month
    months: int
    base: Decimal | None
    balance: Decimal | None
    document: str
    entered_on: dt.date
    entered_by: str

    def period(self) -> pr.Period:
        """The entry as a period of the record."""
        return pr.Period(self.kind, self.region, self.first, self.last, self.months, self.document)


@dataclass(frozen=True, slots=True)
class HeldBack:
    """A lump-sum back payment of 3 years or more without its document: it does not move."""

    paid_on: dt.date
    months: tuple[Month, ...]
    base_fen: int
    account_fen: int
    notify_by: dt.date  # the person is told, with the reason, by this day (10 working days)


@dataclass(frozen=True)
class HeldRecord:
    """What an office holds of a person's pension record in one pooling unit."""

    region: str
    unit: str
    own: tuple[tr.PaidMonth, ...]
    parts: tuple[pr.ReceivedPart, ...]
    opening: tuple[OpeningInfo, ...]
    held_back: tuple[HeldBack, ...]
    elsewhere: tuple[pr.Period, ...] = ()  # months known here that this unit does not hold
    temporary: tuple[tr.PaidMonth, ...] = ()  # months in a temporary account held in the unit

    @property
    def place_periods(self) -> tuple[pr.Period, ...]:
        """The periods the pension-place rules count: the record's and every other month known here."""
        return self.periods + self.elsewhere

    @property
    def pre1998_fen(self) -> int:
        """The account balance at 1997-12-31 entered from the old file here."""
        return sum(int(e.balance.scaleb(2)) for e in self.opening if e.balance is not None)

    @cached_property
    def periods(self) -> tuple[pr.Period, ...]:
        """Every period of the record: received, opening entries, months paid here."""
        out = [p for part in self.parts for p in part.periods]
        out += [e.period() for e in self.opening]
        out += pr.runs(self.own)
        return tuple(sorted(out, key=lambda p: (p.first, p.region, p.kind)))

    def money(self, interest_of: Any, through_year: int) -> pr.HeldMoney:
        """The account and pooling part of the record."""
        return pr.held_money(self.own, self.parts, self.pre1998_fen, interest_of, through_year)

    @property
    def empty(self) -> bool:
        """Whether the unit holds nothing of the person."""
        return not (self.own or self.parts or self.opening or self.held_back or self.temporary)

    def temporary_money(self, interest_of: Any, through_year: int) -> TemporaryMoney:
        """The temporary account held in the unit: all employer and employee money with interest."""
        return temporary_money(self.temporary, interest_of, through_year)


@dataclass(frozen=True)
class TemporaryMoney:
    """A temporary account's money (国办发〔2009〕66号 第五条: 全部缴费本息), in fen.

    account: its individual-account part as a normal record would credit it (8% with interest);
    total: every employer and employee contribution with interest; rest: total less account. The
    information table of its gathering states account, rest (as the pooling line) and total.
    """

    money: pr.HeldMoney
    total_fen: int

    @property
    def account_fen(self) -> int:
        """The individual-account part."""
        return self.money.account_fen

    @property
    def rest_fen(self) -> int:
        """Everything else the account holds: the employer contributions and their interest."""
        return self.total_fen - self.money.account_fen

    def lines(self) -> tr.InfoLines:
        """The information table's six money lines."""
        m = self.money
        return tr.InfoLines(m.pre1998_fen, m.to_last_year_end_fen, m.this_year_principal_fen, m.account_fen,
                            self.rest_fen, self.total_fen)


def temporary_money(months: tuple[tr.PaidMonth, ...], interest_of: Any, through_year: int) -> TemporaryMoney:
    """The money of a temporary account's months."""
    return TemporaryMoney(pr.held_money(months, (), 0, interest_of, through_year),
                          tr.temporary_account_total(months, interest_of, through_year))


@dataclass(frozen=True, slots=True)
class TemporaryInfo:
    """A temporary account as known here, with its state: open, sealed or gathered."""

    region: str
    relationship_region: str
    opened_on: dt.date
    first_month: Month
    age: int
    age_limit: int
    sealed_on: dt.date | None
    sealed_to: str | None
    sealed_document: str | None
    gathered_by: str | None  # the case that gathers it

    @property
    def state(self) -> str:
        """open | sealed | gathered."""
        return "gathered" if self.gathered_by else "sealed" if self.sealed_on else "open"


def temporary_accounts(s: Session, w: Worker) -> list[TemporaryInfo]:
    """The person's temporary accounts known here (opened here or learnt by sync), oldest first."""
    gathers = [c for c in s.scalars(select(TransferCase).where(
        TransferCase.worker_id == w.id, TransferCase.kind == "gather")) if c.status in ("settled", "received")]
    out = []
    for t in s.scalars(select(TemporaryAccount).where(TemporaryAccount.worker_id == w.id)
                       .order_by(TemporaryAccount.opened_on, TemporaryAccount.id)):
        by = next((c.number for c in gathers if tr.pooling_key(c.from_region) == tr.pooling_key(t.region)
                   and (c.settled_on or t.opened_on) >= t.opened_on), None)
        out.append(TemporaryInfo(t.region, t.relationship_region, t.opened_on, Month.from_int(t.first_month),
                                 t.age, t.age_limit, t.sealed_on, t.sealed_to, t.sealed_document, by))
    # an account known only from the table of its gathering (typed in from paper)
    for c in gathers:
        if any(x.gathered_by == c.number for x in out):
            continue
        first = _table(c).get("period_from") or ""
        month = Month.parse(first) if first and first != "—" else Month.of(c.applied_on)
        out.append(TemporaryInfo(c.from_region, c.to_region, month.first_day(), month, 0, 0, None, None, None,
                                 c.number))
    return sorted(out, key=lambda t: (t.opened_on, t.region))


def home_region(s: Session, w: Worker) -> str:
    """Where the person's pension relationship is: set by the last transfer, else the region of the
    latest pension month paid, else this office's region."""
    if w.insured_region:
        return w.insured_region
    last = s.scalars(select(Contribution.region).where(
        Contribution.worker_id == w.id, Contribution.scheme == "pension", Contribution.status == "paid")
        .order_by(Contribution.month.desc(), Contribution.id.desc()).limit(1)).first()
    return str(last) if last else load_office(s).region


def _opening_info(e: OpeningEntry) -> OpeningInfo:
    return OpeningInfo(e.id, e.kind, e.region, Month.from_int(e.first_month), Month.from_int(e.last_month),
                       e.months, e.base, e.balance, e.document, e.entered_on, e.entered_by)


def _table(c: TransferCase) -> dict[str, Any]:
    return json.loads(c.table_json) if c.table_json else {}


def opening_key(kind: str, region: str, first: int) -> str:
    """How a settled table names an opening entry it took with it."""
    return f"{kind}:{region}:{first}"


def gather(s: Session, w: Worker, region: str | None, today: dt.date, in_transit: bool = False) -> HeldRecord:
    """The person's record held in region's pooling unit, as this database knows it; region None:
    where the person's pension relationship is (`home_region`, found from the same read of the
    person's paid pension months: one query fewer, a round trip on a server). The record names the
    region it was gathered for.

    in_transit: also count cases settled into the unit whose money has not been received yet (a
    statement shows where the record is going; a settle moves only what has arrived).
    """
    units = pooling_units(s)
    col = _LINES.c  # money as stored, whole fen
    rows = typed_rows(s, select(col.region, col.month, col.base, col.account_amount, col.employer_amount,
                                col.employee_amount, col.kind, col.recorded_on)
                      .where(col.worker_id == w.id, col.scheme == "pension", col.status == "paid")
                      .order_by(col.month, col.id))  # (the last: the latest month paid, as home_region finds it)
    if region is None:
        region = w.insured_region or (str(rows[-1][0]) if rows else load_office(s).region)
    unit = units.unit(region, today)

    seen: dict[str, str] = {}

    def unit_of(r: str) -> str:
        found = seen.get(r)
        if found is None:
            found = seen[r] = units.unit(r, today)
        return found

    cases = list(s.scalars(select(TransferCase).where(TransferCase.worker_id == w.id).order_by(TransferCase.id)))
    outs = [c for c in cases if c.status in ("settled", "received") and c.settled_on is not None
            and c.kind != "temporary" and unit_of(c.from_region) == unit and unit_of(c.to_region) != unit]
    last_out = max(outs, key=lambda c: (c.settled_on, c.id)) if outs else None
    cutoff: Month | None = None
    moved_opening: set[str] = set()
    kept_back: set[dt.date] = set()  # lump sums the last transfer out left here
    for c in outs:
        t = _table(c)
        moved_opening.update(t.get("opening", []))
        if c is last_out:
            if t.get("period_to") and t["period_to"] != "—":
                cutoff = Month.parse(str(t["period_to"]))
            kept_back = {dt.date.fromisoformat(h["paid_on"]) for h in t.get("held_back", [])}
    if last_out is not None and cutoff is None:
        cutoff = Month.of(last_out.settled_on or today)
    cut = cutoff.as_int() if cutoff is not None else None

    mine = [r for r in rows if unit_of(str(r[0])) == unit
            and (cut is None or r[1] > cut or (r[6] == "lump_sum" and _day(r[7]) in kept_back))]
    # months paid into a temporary account held in the unit are not the record's: they are
    # gathered whole, by the office holding the relationship, when the person reaches pension age
    temp_from = [Month.from_int(t.first_month).as_int() for t in s.scalars(select(TemporaryAccount).where(
        TemporaryAccount.worker_id == w.id)) if unit_of(t.region) == unit]
    first_temp = min(temp_from) if temp_from else None
    in_temp = [r for r in mine if first_temp is not None and r[1] >= first_temp]
    mine = [r for r in mine if first_temp is None or r[1] < first_temp]
    temporary = tuple(tr.PaidMonth.stored(r[0], Month.from_int(r[1]), r[2], r[3], r[4], r[5]) for r in in_temp)
    held_back, kept = _held_back(s, w, mine)
    taken = {(str(r[0]), int(r[1])) for r in mine}
    elsewhere = tuple(replace(p, source="elsewhere") for p in pr.runs(
        tr.PaidMonth.stored(r[0], Month.from_int(r[1]), 0, 0, 0, 0) for r in rows
        if (str(r[0]), int(r[1])) not in taken))
    own = tuple(tr.PaidMonth.stored(r[0], Month.from_int(r[1]), r[2], r[3], r[4], r[5]) for r in kept)
    own_regions = {tr.pooling_key(str(r[0])) for r in mine}

    parts: list[pr.ReceivedPart] = []
    for c in cases:
        if unit_of(c.to_region) != unit or c is last_out or c.kind == "temporary":
            continue
        arrived = c.status == "received" or (in_transit and c.status == "settled")
        if not arrived or not c.table_json:
            continue
        inside = unit_of(c.from_region) == unit
        if inside and tr.pooling_key(c.from_region) in own_regions:
            continue  # a move inside the unit whose months are here already
        if not inside and last_out is not None and last_out.settled_on is not None \
                and (c.received_on or c.settled_on or today) < last_out.settled_on:
            continue  # it went out again with the last transfer
        year = (c.settled_on or today).year
        parts.append(pr.part_from_table(c.number, c.from_region, year, _table(c), funds=not inside))

    entries = s.scalars(select(OpeningEntry).where(OpeningEntry.worker_id == w.id).order_by(OpeningEntry.id))
    opening = tuple(_opening_info(e) for e in entries if unit_of(e.held_region) == unit and e.voided_on is None
                    and opening_key(e.kind, e.region, e.first_month) not in moved_opening)
    return HeldRecord(region, unit, own, tuple(parts), opening, held_back, elsewhere, temporary)


_LINES = table("contribution", column("id"), column("worker_id"), column("scheme", SchemeCode()),
               column("status", StatusCode()),
               column("region", RegionCode()), column("month"), column("base"), column("account_amount"),
               column("employer_amount"), column("employee_amount"), column("kind", KindCode()),
               column("recorded_on", Day()))


def _day(value: Any) -> dt.date:
    """A date column read through the lightweight table (text in SQLite, a date elsewhere)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _held_back(s: Session, w: Worker, rows: list[Any]) -> tuple[tuple[HeldBack, ...], list[Any]]:
    """Split off the lump-sum back payments of 3 years or more that lack their document."""
    lumps: dict[dt.date, list[Any]] = {}
    for r in rows:
        if r[6] == "lump_sum":
            lumps.setdefault(_day(r[7]), []).append(r)
    if not lumps:
        return (), rows  # (no lump sum: no document to look for)
    need = tr.rules().back_payment_document_years * tr.MONTHS_IN_YEAR
    documented = {d.paid_on for d in s.scalars(select(BackPaymentDocument).where(
        BackPaymentDocument.worker_id == w.id)) if d.issued_on < d.paid_on}
    out: list[HeldBack] = []
    dropped: set[tuple[int, str]] = set()
    cal = default_calendar()
    for paid_on, lump in sorted(lumps.items()):
        months = sorted({Month.from_int(int(r[1])) for r in lump})
        if len(months) < need or paid_on in documented:
            continue
        dropped.update((int(r[1]), str(r[0])) for r in lump)
        notify = cal.add_workdays(paid_on, tr.rules().back_payment_notice_working_days).date
        out.append(HeldBack(paid_on, tuple(months), sum(r[2] for r in lump), sum(r[3] for r in lump), notify))
    return tuple(out), [r for r in rows if (int(r[1]), str(r[0])) not in dropped]


@dataclass(frozen=True)
class RecordView:
    """The whole record as the counter shows it: periods by place, money, the pension place."""

    worker: str
    region: str
    unit: str
    periods: tuple[pr.Period, ...]
    places: tuple[pr.PlaceMonths, ...]
    opening: tuple[OpeningInfo, ...]
    held_back: tuple[HeldBack, ...]
    money: pr.HeldMoney
    place: tr.PlaceDecision

    def as_json(self) -> dict[str, Any]:
        """The record as JSON (money as yuan text)."""
        return {"worker": self.worker, "region": self.region, "pooling_unit": self.unit,
                "periods": [{**p.as_json(), "received": p.received} for p in self.periods],
                "places": [{"place": x.place, "months": x.months, "by_kind": dict(x.by_kind),
                            "last_region": x.last_region} for x in self.places],
                "opening": [{"id": e.id, "kind": e.kind, "region": e.region, "from": str(e.first), "to": str(e.last),
                             "months": e.months, "base": None if e.base is None else f"{e.base:.2f}",
                             "balance": None if e.balance is None else f"{e.balance:.2f}", "document": e.document}
                            for e in self.opening],
                "held_back": [{"paid_on": h.paid_on.isoformat(), "months": len(h.months),
                               "first": str(h.months[0]), "last": str(h.months[-1]),
                               "notify_by": h.notify_by.isoformat()}
                              for h in self.held_back],
                "individual_account": fen_text(self.money.account_fen),
                "pooling_fund": fen_text(self.money.pooling_fen),
                "pre1998": fen_text(self.money.pre1998_fen), "months_counted": self.money.months_counted,
                "pension_place": {"region": self.place.region, "rule": self.place.rule}}


class RecordService:
    """Read a person's whole record; enter opening entries and back-payment documents."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def view(self, worker: str, region: str | None = None) -> RecordView:
        """The record where the person is insured (or at region), with money to this year."""
        self._ledger.require(ANY)
        today = self._ledger.today()
        with self._ledger.read() as s:
            w = require_worker(s, worker)
            where = validate_region(region, "region") if region else home_region(s, w)
            held = gather(s, w, where, today, in_transit=True)
            money = held.money(Reference(s).interest, today.year)
            periods = held.periods
            place = pr.place_of(w.hukou_region or where, held.place_periods, where)
            key = w.id_number or w.ssn
        return RecordView(key, where, held.unit, periods, tuple(pr.months_by_place(held.place_periods)), held.opening,
                          held.held_back, money, place)

    def add_opening(self, worker: str, kind: str, region: str, first: object, last: object,
                    document: str, base: object | None = None, balance: object | None = None) -> OpeningInfo:
        """Enter a period from the old paper file (a supervisor's step, with the document it comes from).

        deemed: deemed contribution years where the person then worked. pre1998: months paid
        before the individual account began (1998), with their average monthly base; balance: the
        account at 1997-12-31 (entered once for the person).
        """
        self._ledger.require(SUPERVISE)
        if kind not in ("deemed", "pre1998"):
            raise InvalidInput("record.kind", "kind", value=kind, known="deemed, pre1998")
        place = validate_region(region, "region")
        start, end = Month.parse(first, "from"), Month.parse(last, "to")
        if end < start:
            raise InvalidInput("month.order", "to")
        if start < FIRST_MONTH:
            raise InvalidInput("record.too_early", "from", value=str(start), first=str(FIRST_MONTH))
        cut = tr.rules().pooling_from
        if kind == "pre1998" and end >= cut:
            raise InvalidInput("record.pre1998_after", "to", value=str(end), cut=str(cut))
        doc = str(document or "").strip()
        if not doc:
            raise InvalidInput("required", "document")
        amount = parse_amount(base, "base") if base not in (None, "") else None
        money = parse_amount(balance, "balance") if balance not in (None, "") else None
        if kind == "deemed" and (amount is not None or money is not None):
            raise InvalidInput("record.deemed_money", "base" if amount is not None else "balance")
        if kind == "pre1998" and amount is None:
            raise InvalidInput("required", "base")
        today = self._ledger.today()
        if start > Month.of(today):
            raise InvalidInput("month.future", "from", value=str(start), current=str(Month.of(today)))
        with self._ledger.write() as s:
            office = load_office(s)
            w = require_worker(s, worker)
            if w.pension_since is not None:
                raise RefusedByRule("transfer.drawing_pension", "worker", since=w.pension_since.isoformat())
            held = gather(s, w, office.region, today)
            new = pr.Period(kind, place, start, end, end.index() - start.index() + 1, doc)
            clash = next((p for p in held.place_periods if _overlaps(p, new)), None)
            if clash is not None:
                raise RefusedByRule("record.overlap", "from", first=str(clash.first), last=str(clash.last),
                                    region=clash.region)
            if money is not None and (held.pre1998_fen or any(p.pre1998_fen for p in held.parts)):
                raise RefusedByRule("record.balance_twice", "balance")
            values = {"last_month": end.as_int(), "months": new.months, "base": amount, "balance": money,
                      "document": doc, "held_region": office.region, "entered_on": today,
                      "entered_by": self._ledger.actor_name() or "—", "voided_on": None, "void_reason": None}
            # an entry taken back earlier with the same kind, place and first month is the same record
            # between offices (its sync key): it is entered again in place
            e = s.scalars(select(OpeningEntry).where(
                OpeningEntry.worker_id == w.id, OpeningEntry.kind == kind, OpeningEntry.region == place,
                OpeningEntry.first_month == start.as_int())).first()
            if e is None:
                e = OpeningEntry(worker_id=w.id, kind=kind, region=place, first_month=start.as_int(),
                                 created_at=self._ledger.now(), **values)
                s.add(e)
            else:
                for name, value in values.items():
                    setattr(e, name, value)
            s.flush()
            return _opening_info(e)

    def remove_opening(self, worker: str, entry_id: int, reason: str) -> None:
        """Take back an opening entry entered by mistake (a supervisor, with the reason): it is kept,
        marked void, so the change reaches other offices; it no longer counts anywhere.

        Only while this office still holds it: an entry a transfer has taken is part of the table
        the next office received, and is corrected there.
        """
        self._ledger.require(SUPERVISE)
        why = str(reason or "").strip()
        if not why:
            raise InvalidInput("required", "reason")
        with self._ledger.write() as s:
            office = load_office(s)
            w = require_worker(s, worker)
            e = s.get(OpeningEntry, int(entry_id))
            if e is None or e.worker_id != w.id:
                raise InvalidInput("record.no_entry", "id", value=entry_id)
            if e.voided_on is not None:
                raise RefusedByRule("record.entry_void", "id", value=entry_id, on=e.voided_on.isoformat())
            held = gather(s, w, office.region, self._ledger.today())
            if all(x.id != e.id for x in held.opening):
                raise RefusedByRule("record.entry_moved", "id", value=entry_id)
            audit.note(s, f"opening entry taken back: {why[:400]}")
            e.voided_on, e.void_reason = self._ledger.today(), why[:400]

    def add_back_payment_document(self, worker: str, paid_on: object, kind: str, issuer: str, number: str,
                                  issued_on: object) -> None:
        """The document behind a lump-sum back payment: from a court, audit office, labour inspectorate
        or arbitration committee, dated before the payment (人社厅发〔2019〕94号)."""
        self._ledger.require(SUPERVISE)
        if kind not in DOCUMENT_KINDS:
            raise InvalidInput("record.document_kind", "kind", value=kind, known=", ".join(DOCUMENT_KINDS))
        paid, issued = parse_date(paid_on, "paid_on"), parse_date(issued_on, "issued_on")
        if issued >= paid:
            raise RefusedByRule("record.document_after", "issued_on", issued=issued.isoformat(),
                                paid=paid.isoformat())
        who, no = str(issuer or "").strip(), str(number or "").strip()
        if not who:
            raise InvalidInput("required", "issuer")
        if not no:
            raise InvalidInput("required", "number")
        with self._ledger.write() as s:
            w = require_worker(s, worker)
            found = s.scalars(select(Contribution.id).where(
                Contribution.worker_id == w.id, Contribution.kind == "back_payment",
                Contribution.recorded_on == paid)).first()
            if found is None:
                raise RefusedByRule("record.no_back_payment", "paid_on", paid=paid.isoformat())
            s.add(BackPaymentDocument(worker_id=w.id, paid_on=paid, kind=kind, issuer=who, number=no,
                                      issued_on=issued, entered_by=self._ledger.actor_name() or "—",
                                      created_at=self._ledger.now()))


def _overlaps(a: pr.Period, b: pr.Period) -> bool:
    return a.first <= b.last and b.first <= a.last
