"""Flexible workers (灵活就业人员) paying the employees' pension alone, without an employer.

A run of months (a month, a quarter, a year) is paid at once on a base the person chooses: a ratio
of the province's previous-year all-urban average monthly wage, within the office's base limits
(国办发〔2019〕13号: 60% to 300%). The person pays the whole rate (reference data, scheme `flexible`
in resources/rates.csv: 20%, 8% of the base to the individual account, the rest to pooling).

The months are ordinary pension `Contribution` rows (kind "flexible", status paid), so the record,
the statement, transfers and sync read them like any other month. Their payer is one system
employer row, the same at every office (`FLEXIBLE_USCC`): a code no real credit code can be
(I is not in the credit code alphabet), so employer registration refuses it, and identical content
everywhere, so two offices creating it on their own converge without a sync conflict.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.core.calc import (
    MIN_CONTRIBUTION_AGE,
    base_at,
    first_contribution_month,
    rate_times_fen,
)
from desktop.core.csvsafe import refuse_formula
from desktop.core.errors import InvalidInput, InvalidRows, RefusedByRule, RowProblem, ShebaoError
from desktop.core.ids import clean
from desktop.core.money import fen_of, yuan_of
from desktop.core.month import Month
from desktop.core.refdata import Reference
from desktop.core.regions import NATIONAL, name_of, province_of
from desktop.core.security import ANY, COUNTER
from desktop.core.services.office import load_office
from desktop.core.services.workers import require_worker
from desktop.core.store import line_store
from desktop.core.store.models import Contribution, Employer, Worker
from desktop.core.strict import is_decimal_text

if TYPE_CHECKING:
    from desktop.core.ledger import Ledger

FLEXIBLE_USCC = "FLEXIBLE0000000000"  # reserved: never a valid unified social credit code
FLEXIBLE_NAME = "灵活就业人员（个人缴费）"
RATE_SCHEME = "flexible"  # the rates' scheme id in resources/rates.csv (office overridable)
KIND = "flexible"  # Contribution.kind of a month paid this way
SCHEME = "pension"  # the months are employees' pension months


@dataclass(frozen=True)
class FlexibleMonth:
    """One month as paid (or previewed): the base and where the money goes."""

    month: Month
    average_wage: Decimal  # the province's previous-year average monthly wage used
    base: Decimal
    amount: Decimal  # paid by the person
    individual_account: Decimal
    pooling: Decimal


@dataclass(frozen=True, slots=True)
class FlexibleRow:
    """One row of a flexible workers' payment file, with its line (header = line 1)."""

    line: int
    id_number: str
    name: str
    first: str
    last: str
    ratio: str


FLEXIBLE_COLUMNS = ("id_number", "name", "first", "last", "ratio")
FLEXIBLE_HEADERS = {"id_number": "id_number", "身份证号码": "id_number", "公民身份号码": "id_number",
                    "name": "name", "姓名": "name", "from": "first", "起始月份": "first", "缴费起始": "first",
                    "to": "last", "截止月份": "last", "缴费截止": "last", "ratio": "ratio",
                    "base_ratio": "ratio", "缴费基数比例": "ratio", "档次": "ratio"}


def flexible_rows(table: list[list[object]]) -> list[FlexibleRow]:
    """The rows of a payment file from its header row and data rows (blank rows skipped)."""
    from desktop.core.services.declaration import MAX_FIELD, MAX_PROBLEMS, cell_text

    if not table or not any(cell_text(c) for c in table[0]):
        raise InvalidInput("import.empty", "file")
    names = [cell_text(c).lstrip("\ufeff").strip().lower() for c in table[0]]
    mapped = [FLEXIBLE_HEADERS.get(n) for n in names]
    unknown = [str(table[0][i]).strip() for i, m in enumerate(mapped) if m is None and names[i]]
    if unknown:
        raise InvalidInput("import.unknown_columns", "header", columns=", ".join(unknown))
    missing = [c for c in FLEXIBLE_COLUMNS if c not in mapped and c != "last"]
    if missing:
        raise InvalidInput("import.missing_columns", "header", columns=", ".join(missing))
    out = []
    problems: list[RowProblem] = []
    for offset, raw in enumerate(table[1:], start=2):
        cells = [cell_text(c) for c in raw]
        if not any(cells):
            continue
        long = next((m for i, m in enumerate(mapped) if m and i < len(cells) and len(cells[i]) > MAX_FIELD), None)
        if long is not None:
            problems.append(RowProblem(offset, long, "import.field_long", {"limit": MAX_FIELD}))
            if len(problems) >= MAX_PROBLEMS:
                break
            continue
        values = {m: cells[i] if i < len(cells) else "" for i, m in enumerate(mapped) if m}
        out.append(FlexibleRow(offset, values["id_number"].upper().replace(" ", ""), values["name"],
                               values["first"], values.get("last", ""), values["ratio"]))
    if problems:
        raise InvalidRows(problems)
    if not out:
        raise InvalidInput("import.no_rows", "file")
    return out


def read_flexible(path: object) -> list[FlexibleRow]:
    """The rows of a .csv (UTF-8 or GBK) or .xlsx payment file."""
    from desktop.core.services.declaration import read_table

    return flexible_rows(read_table(path))


@dataclass(frozen=True)
class FlexiblePayment:
    """A run of months paid at once on one ratio, with the total due."""

    worker: str
    ratio: Decimal
    months: tuple[FlexibleMonth, ...]
    recorded: bool

    @property
    def total(self) -> Decimal:
        """What the person pays for all the months."""
        return sum((m.amount for m in self.months), Decimal("0.00"))

    @property
    def individual_account(self) -> Decimal:
        """What all the months credit to the individual account."""
        return sum((m.individual_account for m in self.months), Decimal("0.00"))

    @property
    def base(self) -> Decimal | None:
        """The monthly base when every month has the same one (None: it changes with the year)."""
        bases = {m.base for m in self.months}
        return bases.pop() if len(bases) == 1 else None


def parse_ratio(text: object, field: str = "ratio") -> Decimal:
    """A base ratio such as 0.60 or 3 (a multiple of the average wage)."""
    raw = str(text).strip()
    if not raw:
        raise InvalidInput("required", field)
    if not is_decimal_text(raw):
        raise InvalidInput("ratio.format", field, value=raw)
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise InvalidInput("ratio.format", field, value=raw) from None
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int) or exponent < -4 or value <= 0:
        raise InvalidInput("ratio.format", field, value=raw)
    return value


def is_flexible_payer(uscc: str) -> bool:
    """Whether a credit code is the flexible workers' system employer."""
    return clean(uscc) == FLEXIBLE_USCC


def flexible_employer(s: Session, now: dt.datetime) -> Employer:
    """The system employer of flexible workers, created when first needed (same content everywhere)."""
    e = s.scalars(select(Employer).where(Employer.uscc == FLEXIBLE_USCC)).first()
    if e is None:
        e = Employer(uscc=FLEXIBLE_USCC, name=FLEXIBLE_NAME, region=NATIONAL, risk_class=None,
                     created_at=now)
        s.add(e)
        s.flush()
    return e



def _ratio_text(value: Decimal) -> str:
    return f"{value:.2f}"


class FlexibleService:
    """Record the employees' pension months a flexible worker pays alone."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def pay(self, worker: str, first: object, last: object, ratio: object,
            preview: bool = False) -> FlexiblePayment:
        """Pay (or with preview=True only compute) the months first..last on ratio x the province's
        average wage, all in one transaction: every month or none."""
        self._ledger.require(ANY if preview else COUNTER)
        start, end = Month.parse(first, "from"), Month.parse(last, "to")
        if end < start:
            raise InvalidInput("month.order", "to")
        r = parse_ratio(ratio)
        today = self._ledger.today()
        current = Month.of(today)
        if end > current:
            raise InvalidInput("month.future", "to", value=str(end), current=str(current))
        months = []
        m = start
        while m <= end:
            months.append(m)
            m = m.add(1)
        with self._ledger.write() as s:
            office = load_office(s)
            w = require_worker(s, worker)
            if w.pension_since is not None:
                raise RefusedByRule("flexible.drawing_pension", "worker", since=w.pension_since.isoformat())
            out = [self._month(Reference(s), office.region, w, m, r) for m in months]
            self._check_unpaid(s, w, start, end)
            if not preview:
                e = flexible_employer(s, self._ledger.now())
                for fm in out:
                    line_store.add(
                        s, worker_id=w.id, employer_id=e.id, region=office.region, month=fm.month.as_int(),
                        scheme=SCHEME, wage=fm.base, base=fm.base, employer_amount=Decimal("0.00"),
                        employee_amount=fm.amount, account_amount=fm.individual_account, kind=KIND,
                        status="paid", recorded_on=today, batch_id=None, exemption_id=None)
            key = w.id_number or w.ssn
            return FlexiblePayment(key, r, tuple(out), not preview)

    def month_cost(self, ratio: object | None = None, month: object | None = None) -> FlexibleMonth:
        """What one month costs a flexible worker here (default: the lowest base the office allows, the
        current month): for extended payment and the counter's questions. Nothing is written."""
        self._ledger.require(ANY)
        m = Month.parse(month, "month") if month not in (None, "") else Month.of(self._ledger.today())
        with self._ledger.read() as s:
            office = load_office(s)
            ref = Reference(s)
            if ratio in (None, ""):
                lim = ref.limits(office.region, m)
                if lim is None:
                    raise RefusedByRule("limits.missing", "month", region=office.region, month=str(m))
                r = lim.floor
            else:
                r = parse_ratio(ratio)
            return self._cost(ref, office.region, m, r)

    def import_rows(self, rows: list[FlexibleRow]) -> list[FlexiblePayment]:
        """Record a file of flexible workers' payments (the tax office's collection list, one run of
        months per row) in one transaction: every row is checked first, each bad one reported with its
        line and field, and nothing is written unless all are good."""
        self._ledger.require(COUNTER)
        current = Month.of(self._ledger.today())
        problems: list[RowProblem] = []
        planned: list[tuple[int, Worker, list[FlexibleMonth], Decimal]] = []
        seen: dict[tuple[int, int], int] = {}
        with self._ledger.write() as s:
            office = load_office(s)
            ref = Reference(s)
            for row in rows:
                try:
                    refuse_formula(row.name.strip(), "name")
                    start, end = Month.parse(row.first, "from"), Month.parse(row.last or row.first, "to")
                    if end < start:
                        raise InvalidInput("month.order", "to")
                    if end > current:
                        raise InvalidInput("month.future", "to", value=str(end), current=str(current))
                    r = parse_ratio(row.ratio)
                    w = require_worker(s, row.id_number, "id_number")
                    if not row.name.strip():  # a blank name is refused, not taken as "any name"
                        raise InvalidInput("required", "name")
                    if row.name.strip() != w.name:
                        raise InvalidInput("worker.name_mismatch", "name", registered=w.name)
                    if w.pension_since is not None:
                        raise RefusedByRule("flexible.drawing_pension", "id_number",
                                            since=w.pension_since.isoformat())
                    months = []
                    m = start
                    while m <= end:
                        months.append(self._month(ref, office.region, w, m, r))
                        m = m.add(1)
                    self._check_unpaid(s, w, start, end)
                    for fm in months:
                        earlier = seen.setdefault((w.id, fm.month.as_int()), row.line)
                        if earlier != row.line:
                            raise InvalidInput("flexible.twice_in_file", "from", month=str(fm.month), line=earlier)
                    planned.append((row.line, w, months, r))
                except ShebaoError as err:
                    problems.append(RowProblem(row.line, err.field or "", err.key, err.params))
            if problems:
                raise InvalidRows(problems)
            e = flexible_employer(s, self._ledger.now())
            out = []
            for _line, w, months, r in planned:
                for fm in months:
                    line_store.add(
                        s, worker_id=w.id, employer_id=e.id, region=office.region, month=fm.month.as_int(),
                        scheme=SCHEME, wage=fm.base, base=fm.base, employer_amount=Decimal("0.00"),
                        employee_amount=fm.amount, account_amount=fm.individual_account, kind=KIND,
                        status="paid", recorded_on=self._ledger.today(), batch_id=None, exemption_id=None)
                out.append(FlexiblePayment(w.id_number or w.ssn, r, tuple(months), True))
            return out

    def _month(self, ref: Reference, region: str, w: Worker, m: Month, ratio: Decimal) -> FlexibleMonth:
        """One month's base and amounts in exact fen; refused by name when something is missing."""
        if m < first_contribution_month(w.birth_date):
            raise InvalidInput("contrib.before_birth", "from", month=str(m), age=MIN_CONTRIBUTION_AGE)
        return self._cost(ref, region, m, ratio)

    def _cost(self, ref: Reference, region: str, m: Month, ratio: Decimal) -> FlexibleMonth:
        """A month's base and amounts at the ratio, in exact fen."""
        lim = ref.limits(region, m)
        if lim is None:
            raise RefusedByRule("limits.missing", "from", region=region, month=str(m))
        if not lim.floor <= ratio <= lim.ceiling:
            raise InvalidInput("flexible.ratio_range", "ratio", value=str(ratio), month=str(m),
                               floor=_ratio_text(lim.floor), ceiling=_ratio_text(lim.ceiling))
        province = province_of(region)
        wage = ref.average_wage(province, m.year)
        if wage is None:
            raise RefusedByRule("flexible.no_average_wage", "from", region=province,
                                name=name_of(province), year=m.year)
        row = ref.rate(region, RATE_SCHEME, m, None)
        if row is None or row.account is None:
            raise RefusedByRule("rate.missing", "from", region=region, month=str(m),
                                scheme=FLEXIBLE_NAME)
        base = base_at(fen_of(wage[1]), ratio)
        amount = rate_times_fen(base, row.employee.as_integer_ratio())  # no employer share
        account = rate_times_fen(base, row.account.as_integer_ratio())
        return FlexibleMonth(m, wage[1], yuan_of(base), yuan_of(amount), yuan_of(account), yuan_of(amount - account))

    def _check_unpaid(self, s: Session, w: Worker, start: Month, end: Month) -> None:
        """Refuse when a pension month of the run is already recorded here, by any payer."""
        found = s.execute(
            select(Contribution.month, Employer.name, Employer.uscc)
            .join(Employer, Employer.id == Contribution.employer_id)
            .where(Contribution.worker_id == w.id, Contribution.scheme == SCHEME,
                   Contribution.month >= start.as_int(), Contribution.month <= end.as_int())
            .order_by(Contribution.month)).first()
        if found is not None:
            raise RefusedByRule("flexible.month_paid", "from", month=str(Month.from_int(found[0])),
                                employer=f"{found[1]}（{found[2]}）")
