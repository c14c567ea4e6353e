"""Monthly contributions: one month at the counter, or an employer's declaration file.

Both paths share `MonthCalculator`, so a month costs the same whichever way it arrives.
Amounts are computed in whole fen with exact integer arithmetic (see calc.rate_times_fen).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import column, select, table
from sqlalchemy.orm import Session

from desktop.core import audit
from desktop.core.calc import (
    MIN_CONTRIBUTION_AGE,
    WAGE_CEILING_TIMES,
    Line,
    base_limits,
    contribution_base,
    first_contribution_month,
    implausible_wage,
    is_back_payment,
    rate_times_fen,
)
from desktop.core.changes import NOTHING, Changes, MonthRow
from desktop.core.csvsafe import refuse_formula
from desktop.core.errors import (
    Conflict,
    InvalidInput,
    InvalidRows,
    RefusedByRule,
    RowProblem,
    ShebaoError,
)
from desktop.core.ids import clean, is_foreign_ssn, parse_citizen_id, validate_uscc
from desktop.core.messages import render
from desktop.core.money import fen_of, fen_text, parse_amount, yuan_of
from desktop.core.month import Month
from desktop.core.progress import Progress, without_gc
from desktop.core.refdata import Reference, employee_schemes, schemes
from desktop.core.security import ADMIN, ANY, COUNTER, SUPERVISE
from desktop.core.services import declaration_bulk
from desktop.core.services.declaration import MAX_PROBLEMS, DeclarationRow, read_declaration
from desktop.core.services.flexible import FLEXIBLE_USCC
from desktop.core.services.office import load_office
from desktop.core.services.workers import require_worker
from desktop.core.store import line_store
from desktop.core.store.models import (
    Day,
    Employer,
    ImportBatch,
    KindCode,
    Office,
    RegionCode,
    SchemeCode,
    StatusCode,
    Worker,
)
from desktop.core.sync import capture
from desktop.core.sync.capture import insert_dicts
from desktop.core.sync.tables import worker_key

if TYPE_CHECKING:
    from desktop.core.ledger import Ledger
    from desktop.core.services.enrolment import EntryProposal

_CONTRIB = table(  # money as stored (fen); the columns SQLite keeps small with their types
    "contribution", column("worker_id"), column("employer_id"), column("region", RegionCode()),
    column("month"), column("scheme", SchemeCode()), column("wage"), column("base"),
    column("employer_amount"), column("employee_amount"), column("account_amount"),
    column("kind", KindCode()), column("status", StatusCode()), column("recorded_on", Day()), column("batch_id"),
    column("exemption_id"),
)
ComputedLine = tuple[str, int, int, int, int | None]  # scheme, employer, employee, account (fen), exemption
_CHUNK = 500
# Whether a clean declaration is recorded with set-based SQL (`declaration_bulk`) on SQLite; the tests
# turn it off to compare with the row path.
BULK = True
# What a declaration reads of each person and employer it names (rows, not ORM objects).
_PERSON = (Worker.id, Worker.id_number, Worker.ssn, Worker.name, Worker.birth_date, Worker.nationality,
           Worker.passport)
_PAYER = (Employer.id, Employer.uscc, Employer.risk_class)
# A declaration row checked and computed: the row, its person and employer (`_PERSON`, `_PAYER`
# rows), month, wage and base (fen), kind and lines.
_Planned = tuple[DeclarationRow, Any, Any, Month, int, int, str, list[ComputedLine]]


@dataclass(frozen=True)
class MonthResult:
    """A month as computed (and, unless previewed, recorded)."""

    month: Month
    wage: Decimal
    base: Decimal
    floor: Decimal
    ceiling: Decimal
    kind: str
    status: str
    lines: tuple[Line, ...]
    changes: Changes = field(default=NOTHING, compare=False, repr=False)  # what recording changed

    @property
    def clamped(self) -> str | None:
        """"floor" when the wage is below the floor (the base is the floor), "ceiling" when above
        the ceiling, None when the wage is the base."""
        if self.base > self.wage:
            return "floor"
        if self.base < self.wage:
            return "ceiling"
        return None


@dataclass(frozen=True)
class ClosedYears:
    """What `close_years` did: the months before `before` are kept with the closed years."""

    before: Month
    rows: int  # person-month rows moved now (0: none were left open, or a database without them)


@dataclass(frozen=True)
class ImportResult:
    """What a declaration import did."""

    rows: int
    recorded: int
    already_recorded: int
    lines: int
    months: tuple[str, ...] = field(default=())
    totals: tuple[SchemeTotal, ...] = field(default=())  # due for the months newly recorded, per scheme


@dataclass(frozen=True)
class SchemeTotal:
    """The money due for one scheme over the months an import recorded, in yuan (exact)."""

    scheme: str
    employer: Decimal
    employee: Decimal

    @property
    def total(self) -> Decimal:
        """Employer and employee parts together."""
        return self.employer + self.employee


@dataclass(frozen=True)
class _Rates:
    scheme: str
    employer: tuple[int, int]
    employee: tuple[int, int]
    account: tuple[int, int] | None


class MonthCalculator:
    """Computes months for one office region within one transaction, caching reference look-ups."""

    def __init__(self, ref: Reference, region: str, today: dt.date) -> None:
        self.ref = ref
        self.region = region
        self.today = today
        self.current = Month.of(today)
        self._limits: dict[Month, tuple[int, int]] = {}
        self._exempt: dict[int, list[tuple[int, dt.date, dt.date, frozenset[str], str]]] = {}
        self.notes: dict[int, str] = {}
        self._rates: dict[tuple[Month, tuple[str, ...], int | None], list[_Rates]] = {}

    def limits_fen(self, month: Month) -> tuple[int, int]:
        """Floor and ceiling in fen for the month; refused when the average wage is unknown."""
        hit = self._limits.get(month)
        if hit is not None:
            return hit
        wage = self.ref.average_wage(self.region, month.year)
        if wage is None:
            raise RefusedByRule("wage.missing", "month", region=self.region, year=month.year)
        lim = self.ref.limits(self.region, month)
        if lim is None:
            raise RefusedByRule("limits.missing", "month", region=self.region, month=str(month))
        floor, ceiling = base_limits(fen_of(wage[1]), lim.floor, lim.ceiling)
        self._limits[month] = (floor, ceiling)
        return floor, ceiling

    def rates(self, month: Month, wanted: tuple[str, ...], risk_class: int | None) -> list[_Rates]:
        """The rates of each scheme for the month; refused when a scheme has none."""
        key = (month, wanted, risk_class)
        hit = self._rates.get(key)
        if hit is not None:
            return hit
        out: list[_Rates] = []
        all_schemes = schemes()
        explicit = wanted != ()
        for sid in (wanted or tuple(employee_schemes())):
            scheme = all_schemes[sid]
            if not scheme.collected_in(month):
                if explicit:
                    raise RefusedByRule("scheme.not_in_force", "schemes", scheme=scheme.name_zh,
                                        month=str(month), note=scheme.note_zh or "-")
                continue
            if sid == "injury" and risk_class is None:
                raise RefusedByRule("employer.no_risk_class", "employer")
            row = self.ref.rate(self.region, sid, month, risk_class if sid == "injury" else None)
            if row is None:
                raise RefusedByRule("rate.missing", "month", region=self.region, month=str(month),
                                    scheme=scheme.name_zh)
            account = (row.account.as_integer_ratio() if (scheme.individual_account and row.account is not None)
                       else None)
            out.append(_Rates(sid, row.employer.as_integer_ratio(), row.employee.as_integer_ratio(), account))
        self._rates[key] = out
        return out

    def load_exemptions(self, session: Session, worker_ids: list[int]) -> None:
        """Read the home-country certificates of these people (foreign nationals) once."""
        from desktop.core.services.exemptions import inbound_exemptions

        found = inbound_exemptions(session, worker_ids)
        self._exempt.update(found)
        for items in found.values():
            for ex_id, _a, _b, _s, note in items:
                self.notes[ex_id] = note

    def _exempt_in(self, worker_id: int | None, month: Month) -> dict[str, int]:
        """scheme -> exemption id for the month (a month any day of which the certificate covers)."""
        items = self._exempt.get(worker_id or -1)
        if not items:
            return {}
        first = month.first_day()
        last = month.add(1).first_day() - dt.timedelta(days=1)
        return {scheme: ex_id for ex_id, start, end, covered, _n in items
                if start <= last and first <= end for scheme in covered}

    def compute(self, birth_date: dt.date, risk_class: int | None, month: Month,
                wage_fen: int, wanted: tuple[str, ...], worker_id: int | None = None,
                ) -> tuple[int, int, int, str, list[ComputedLine]]:
        """(base, floor, ceiling, kind, [(scheme, employer, employee, account, exemption)]) in fen.

        A scheme exempted by a recorded home-country certificate gets a zero line with its exemption.
        """
        if month > self.current:
            raise InvalidInput("month.future", "month", value=str(month), current=str(self.current))
        if month < first_contribution_month(birth_date):
            raise InvalidInput("contrib.before_birth", "month", month=str(month), age=MIN_CONTRIBUTION_AGE)
        if wage_fen <= 0:
            raise InvalidInput("amount.positive", "wage")
        floor, ceiling = self.limits_fen(month)
        if implausible_wage(wage_fen, ceiling):
            raise InvalidInput("amount.too_large", "wage", value=fen_text(wage_fen),
                               ceiling=fen_text(ceiling), times=WAGE_CEILING_TIMES)
        base = contribution_base(wage_fen, floor, ceiling)
        exempt = self._exempt_in(worker_id, month)
        lines: list[ComputedLine] = [
            (r.scheme, 0, 0, 0, exempt[r.scheme]) if r.scheme in exempt else
            (r.scheme, rate_times_fen(base, r.employer), rate_times_fen(base, r.employee),
             rate_times_fen(base, r.account) if r.account else 0, None)
            for r in self.rates(month, wanted, risk_class)
        ]
        kind = "back_payment" if is_back_payment(month, self.current) else "regular"
        return base, floor, ceiling, kind, lines



def parse_schemes(value: str | Sequence[str] | None) -> tuple[str, ...]:
    """Scheme ids from 'a,b' or a list; () means every employees' scheme collected that month."""
    if value in (None, "", ()):
        return ()
    items = value.split(",") if isinstance(value, str) else list(value)
    out: list[str] = []
    for item in (i.strip() for i in items):
        if not item:
            continue
        if item not in schemes():
            raise InvalidInput("scheme.unknown", "schemes", value=item, known=", ".join(employee_schemes()))
        if schemes()[item].kind != "employee":
            raise InvalidInput("scheme.not_employee", "schemes", value=item)
        if item not in out:
            out.append(item)
    return tuple(out)


class ContributionService:
    """Record months of contributions, one at a time or from a declaration."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def record(self, worker: str, employer: str, month: object, wage: object,
               schemes_wanted: str | Sequence[str] | None = None, arrears: bool = False,
               preview: bool = False) -> MonthResult:
        """Record (or with preview=True only compute) one month for one person at one employer.

        A month already recorded is a conflict; a month recorded as arrears is paid by recording it.
        Without schemes, a month from the start of the person's enrolment (参保登记) at this employer
        is recorded in the enrolled schemes, any other in every employees' scheme collected then.
        """
        from desktop.core.services.enrolment import enrolled_schemes

        self._ledger.require(ANY if preview else COUNTER)
        m = Month.parse(month, "month")
        wage_amount = parse_amount(wage, "wage")
        wanted = parse_schemes(schemes_wanted)
        today = self._ledger.today()
        with self._ledger.write() as s:
            office, w, e, calc = _prepare(s, worker, employer, today)
            wanted = wanted or enrolled_schemes(s, w.id, e.uscc, m)
            return _record_month(s, office.region, w, e, calc, m, wage_amount, wanted, arrears, preview, today)

    def next_entry(self, worker: str) -> EntryProposal:
        """What the counter offers for the person's next month: their current employer (of the latest
        recorded month, or of their enrolment when it starts later), the next unrecorded month there,
        and the months already recorded (to say at once that a month is taken)."""
        from desktop.core.services.enrolment import propose_entry

        today = self._ledger.today()
        with self._ledger.read() as s:
            return propose_entry(s, require_worker(s, worker), today)

    def back_pay(self, worker: str, employer: str, first: object, last: object, wage: object,
                 schemes_wanted: str | Sequence[str] | None = "pension") -> list[MonthResult]:
        """A lump-sum back payment (一次性补缴) of the months first..last, all in one transaction.

        The months are marked as one lump sum: one of 3 years or more moves with a transfer only
        with its document (人社厅发〔2019〕94号; `records.add_back_payment_document`).
        """
        self._ledger.require(COUNTER)
        start, end = Month.parse(first, "from"), Month.parse(last, "to")
        if end < start:
            raise InvalidInput("month.order", "to")
        wage_amount = parse_amount(wage, "wage")
        wanted = parse_schemes(schemes_wanted)
        today = self._ledger.today()
        if end >= Month.of(today):
            raise InvalidInput("contrib.lump_sum_current", "to", value=str(end))
        with self._ledger.write() as s:
            office, w, e, calc = _prepare(s, worker, employer, today)
            out = []
            m = start
            while m <= end:
                out.append(_record_month(s, office.region, w, e, calc, m, wage_amount, wanted, False, False, today,
                                         lump_sum=True))
                m = m.add(1)
            return out

    def correct(self, worker: str, employer: str, month: object, wage: object, reason: str) -> MonthResult:
        """Correct the wage of a recorded month: base and every line are computed again.

        Needs a supervisor (a clerk files `ledger.approvals.request_correction`); the recorded
        schemes, status and exemptions stay; the reason goes into the audit trail.
        """
        self._ledger.require(SUPERVISE)
        m = Month.parse(month, "month")
        wage_amount = parse_amount(wage, "wage")
        if not reason.strip():
            raise InvalidInput("required", "reason")
        today = self._ledger.today()
        with self._ledger.write() as s:
            load_office(s)
            w = require_worker(s, worker)
            e = s.scalars(select(Employer).where(Employer.uscc == clean(employer))).first()
            if e is None:
                raise InvalidInput("employer.unknown", "employer", value=clean(employer))
            if e.uscc == FLEXIBLE_USCC:
                raise InvalidInput("flexible.system_employer", "employer", value=e.uscc)
            rows = line_store.of_month(s, w.id, e.id, m.as_int())
            if not rows:
                raise InvalidInput("contrib.not_recorded", "month", month=str(m), employer=e.uscc)
            first = next(iter(rows.values()))
            if first.wage == wage_amount:
                raise InvalidInput("contrib.same_wage", "wage", wage=f"{wage_amount:.2f}")
            calc = MonthCalculator(Reference(s), first.region, today)
            if w.nationality != "CN":
                calc.load_exemptions(s, [w.id])
            order = tuple(sid for sid in schemes() if sid in rows)
            base, floor, ceiling, _kind, lines = calc.compute(
                w.birth_date, e.risk_class, m, fen_of(wage_amount), order, w.id)
            audit.note(s, f"correction: {reason.strip()[:400]}")
            for sid, er, ee, acc, ex in lines:
                row = rows[sid]
                row.wage, row.base = wage_amount, yuan_of(base)
                row.employer_amount, row.employee_amount, row.account_amount = yuan_of(er), yuan_of(ee), yuan_of(acc)
                row.exemption_id = ex
                if ex:
                    row.status = "exempt"
                elif row.status == "exempt":
                    row.status = "paid"
            kind, status = first.kind, first.status
            changed = Changes.of_months([MonthRow(_key_of(w), m.as_int(), e.id)])
            return MonthResult(m, wage_amount, yuan_of(base), yuan_of(floor), yuan_of(ceiling), kind, status,
                               tuple(Line(sid, yuan_of(er), yuan_of(ee), yuan_of(acc),
                                          calc.notes.get(ex, "") if ex else "")
                                     for sid, er, ee, acc, ex in lines), changed)

    @without_gc
    def import_file(self, path: str | Path, progress: Progress | None = None) -> ImportResult:
        """Import an employer's declaration: every row or none; bad rows listed with their lines.
        (The collector is paused while the file is read too: its passes over the rows being made
        took a third of the reading of a county's month.)"""
        p = Path(path)
        rows = read_declaration(p)
        digest = hashlib.sha256(p.read_bytes()).hexdigest()
        return self.import_rows(rows, p.name, digest, progress)

    @without_gc
    def import_rows(self, rows: list[DeclarationRow], filename: str = "", digest: str = "",
                    progress: Progress | None = None) -> ImportResult:
        """Validate and record parsed declaration rows in one transaction.

        The rows go in with bulk INSERTs (fast); the audit trail gets one entry for the batch with
        its row count and the file's SHA-256, besides the entry for the import_batch row.
        """
        self._ledger.require(COUNTER)
        if BULK and not self._ledger.in_write() and self._ledger.engine.dialect.name == "sqlite":
            # (SQLite only, in a transaction of its own: one it would join may hold more)
            done = self._import_planned(rows, filename, digest, progress)
            if done is not None:
                return done
        today = self._ledger.today()
        problems: list[RowProblem] = []
        with self._ledger.write() as s:
            office = load_office(s)
            calc = MonthCalculator(Reference(s), office.region, today)
            keys = {r.id_number for r in rows}
            workers = _load_by(s, _PERSON, Worker.id_number, keys)
            foreign = keys - workers.keys()  # foreign nationals are declared by social security number
            if foreign:
                workers.update(_load_by(s, _PERSON, Worker.ssn, foreign))
            employers = _load_by(s, _PAYER, Employer.uscc, {r.employer_uscc for r in rows})
            calc.load_exemptions(s, [w.id for w in workers.values() if w.nationality != "CN"])
            planned: list[_Planned] = []
            seen: dict[tuple[str, str, Month], int] = {}
            month_cache: dict[str, Month] = {}
            total = len(rows)
            for i, row in enumerate(rows):
                if progress and i % 5000 == 0 and not progress(i, total * 2):
                    raise ImportCancelled()
                try:
                    planned.append(_check_row(row, workers, employers, calc, seen, month_cache))
                except ShebaoError as err:
                    problems.append(RowProblem(row.line, err.field or "", err.key, err.params))
                    if len(problems) >= MAX_PROBLEMS:  # the first thousand bad rows say enough
                        break
            if problems:
                raise InvalidRows(problems)
            existing = _existing(s, [p[1].id for p in planned], {p[3].as_int() for p in planned})
            batch = ImportBatch(sha256=digest, filename=filename[:400], rows=total, recorded=0,
                                created_at=self._ledger.now())
            s.add(batch)
            s.flush()
            inserts: list[dict[str, object]] = []
            worker_keys = {w.id: worker_key(w.id_number, w.nationality, w.passport) for w in workers.values()}
            employer_keys = {e.id: e.uscc for e in employers.values()}
            recorded = already = 0
            region, batch_id = office.region, batch.id  # (read once: ORM attributes cost a call each)
            for i, (row, w, e, m, wage, base, kind, lines) in enumerate(planned):
                wid, eid, month = key = (w.id, e.id, m.as_int())
                old = existing.get(key)
                if old is not None:
                    if old != wage:
                        problems.append(RowProblem(row.line, "wage", "contrib.exists_other",
                                                   {"month": str(m), "wage": fen_text(old)}))
                    already += 1
                    continue
                recorded += 1
                for sid, er, ee, acc, ex in lines:
                    inserts.append({
                        "worker_id": wid, "employer_id": eid, "region": region,
                        "month": month, "scheme": sid, "wage": wage, "base": base,
                        "employer_amount": er, "employee_amount": ee, "account_amount": acc,
                        "kind": kind, "status": "exempt" if ex else "paid", "recorded_on": today,
                        "batch_id": batch_id, "exemption_id": ex,
                    })
                if len(inserts) >= 20000:
                    insert_dicts(s, "contribution", inserts)
                    capture.capture_rows(s, "contribution", inserts, worker_keys, employer_keys)
                    inserts.clear()
                    if progress and not progress(total + i, total * 2):
                        raise ImportCancelled()
            if problems:
                raise InvalidRows(problems)
            if inserts:
                insert_dicts(s, "contribution", inserts)
                capture.capture_rows(s, "contribution", inserts, worker_keys, employer_keys)
            audit.record_bulk(self._ledger, s, "contribution",
                              {"batch": batch.id, "file": filename[:400], "sha256": digest,
                               "people_months": recorded})
            batch.recorded = recorded
            new = [p for p in planned if (p[1].id, p[2].id, p[3].as_int()) not in existing]
            n_lines = sum(len(p[7]) for p in new)
            if progress:
                progress(total * 2, total * 2)
            return ImportResult(total, recorded, already, n_lines,
                                tuple(sorted({str(p[3]) for p in planned})), _totals(new))

    def _import_planned(self, rows: list[DeclarationRow], filename: str, digest: str,
                        progress: Progress | None) -> ImportResult | None:
        """`import_rows` with set-based SQL (`declaration_bulk`) in a transaction of its own; None when
        the file must take the row path (nothing is written then: a row `write` found unclean rolls
        the transaction back, the temporary tables with it)."""
        if progress and not progress(0, len(rows) * 2):
            raise ImportCancelled()
        try:
            with self._ledger.write() as s:
                office = load_office(s)
                today = self._ledger.today()
                planned = declaration_bulk.plan(s, MonthCalculator(Reference(s), office.region, today), rows)
                if planned is None:
                    return None
                result = self._record_planned(s, planned, office.region, today, filename, digest, progress)
                declaration_bulk.drop(s.connection())
                return result
        except declaration_bulk.Unclean:
            return None

    def _record_planned(self, s: Session, planned: declaration_bulk.Plan, region: str, today: dt.date,
                        filename: str, digest: str, progress: Progress | None) -> ImportResult:
        """`import_rows` of a declaration `declaration_bulk.plan` found clean: the same rows, ids,
        audit entries and change log, written with set-based SQL."""
        total = planned.rows * 2
        batch = ImportBatch(sha256=digest, filename=filename[:400], rows=planned.rows, recorded=0,
                            created_at=self._ledger.now())
        s.add(batch)
        s.flush()
        if progress and not progress(planned.rows, total):
            raise ImportCancelled()
        first = line_store.next_id(s.connection())
        query = declaration_bulk.proof_sql(s, planned, first, region, today, batch.id)
        with declaration_bulk.Beside(self._ledger.engine, planned, query) as beside:
            declaration_bulk.write(s, planned, region, today, batch.id, first)
            if progress and not progress(planned.rows * 3 // 2, total):
                raise ImportCancelled()
            proof = beside.proof()
        proved = audit.record_proved(self._ledger, s, line_store.TABLE,
                                     {"batch": batch.id, "file": filename[:400], "sha256": digest,
                                      "people_months": planned.rows},
                                     declaration_bulk.line_ids(first, planned.lines), proof, planned.groups)
        if proved != planned.lines:
            raise RuntimeError(f"a declaration written in bulk proved {proved} lines of {planned.lines}")
        batch.recorded = planned.rows
        sums = line_store.made_since(s.connection(), first, [
            f"count({x}_offset), coalesce(sum({x}_employer), 0), coalesce(sum({x}_employee), 0)"
            for x in planned.schemes]).one()
        totals = tuple(SchemeTotal(x, yuan_of(int(sums[3 * i + 1])), yuan_of(int(sums[3 * i + 2])))
                       for i, x in enumerate(planned.schemes) if sums[3 * i])
        if progress:
            progress(total, total)
        return ImportResult(planned.rows, planned.rows, 0, planned.lines, tuple(str(m) for m in planned.months),
                            totals)

    def close_years(self, before: object = None) -> ClosedYears:
        """Keep the person-month rows of the months before `before` (YYYY-MM; default: last month,
        so that this month's and last month's declarations find their rows open) with the closed
        years (`line_store.close_months`): nothing a statement, a transfer or a sync file reads
        changes, and a month's declaration no longer changes the table they are in, so a daily
        backup after it checks and writes only the open months, and carries the closed table's
        pages from the backup before it unread (migration 0025). A later line of a closed
        person-month is a side line; a change of a closed line is written where it is (the next
        increment then reads and checks the closed table too). The first daily backup of a chain
        does this before its full copy (`Backups.daily`)."""
        self._ledger.require(ADMIN)
        this_month = Month.of(self._ledger.today())
        cut = this_month.add(-1) if before is None else Month.parse(before, "before")
        if cut > this_month:
            raise InvalidInput("close.future", "before", value=str(cut), now=str(this_month))
        with self._ledger.write() as s:
            moved = line_store.close_months(s.connection(), cut.as_int())
        return ClosedYears(cut, moved)


def _totals(planned: list[_Planned]) -> tuple[SchemeTotal, ...]:
    """Employer and employee amounts per scheme over the planned months, schemes in their order."""
    sums: dict[str, list[int]] = {}
    for p in planned:
        for sid, er, ee, _acc, _ex in p[7]:
            part = sums.setdefault(sid, [0, 0])
            part[0] += er
            part[1] += ee
    order = list(schemes())
    return tuple(SchemeTotal(sid, yuan_of(er), yuan_of(ee))
                 for sid, (er, ee) in sorted(sums.items(), key=lambda kv: (
                     order.index(kv[0]) if kv[0] in order else len(order), kv[0])))


class ImportCancelled(ShebaoError):
    """The clerk cancelled an import; nothing was written."""

    exit_code = 1
    code = "cancelled"

    def __init__(self) -> None:
        super().__init__("import.cancelled")


def _load_by(session: Session, columns: tuple[Any, ...], col: Any, keys: set[str]) -> dict[str, Any]:
    """The rows of columns (`_PERSON`, `_PAYER`) whose col is one of keys, by that key: plain rows,
    not ORM objects (a declaration reads each person's few columns once a row)."""
    out: dict[str, Any] = {}
    items = sorted(k for k in keys if k)
    at = [c.key for c in columns].index(col.key)
    for i in range(0, len(items), _CHUNK):
        for row in session.execute(select(*columns).where(col.in_(items[i:i + _CHUNK]))):
            out[row[at]] = row
    return out


def _existing(session: Session, worker_ids: list[int], months: set[int]) -> dict[tuple[int, int, int], int]:
    """Wages (fen) already recorded per (worker, employer, month) for the given people and months."""
    out: dict[tuple[int, int, int], int] = {}
    ids = sorted(set(worker_ids))
    c = _CONTRIB.c
    for i in range(0, len(ids), _CHUNK):
        stmt = (select(c.worker_id, c.employer_id, c.month, c.wage)
                .where(c.worker_id.in_(ids[i:i + _CHUNK]), c.month.in_(sorted(months))))
        for wid, eid, month, wage in session.execute(stmt):
            out[(wid, eid, month)] = int(wage)
    return out


def _check_row(row: DeclarationRow, workers: dict[str, Any], employers: dict[str, Any],
               calc: MonthCalculator, seen: dict[tuple[str, str, Month], int],
               month_cache: dict[str, Month]) -> _Planned:
    refuse_formula(row.name, "name")  # before anything else: this row's reason is the formula
    e = employers.get(row.employer_uscc)
    if e is None:
        validate_uscc(row.employer_uscc, "employer_uscc")
        raise InvalidInput("employer.unknown", "employer_uscc", value=row.employer_uscc)
    w = workers.get(row.id_number)
    if w is None:
        if not is_foreign_ssn(row.id_number):
            parse_citizen_id(row.id_number, "id_number", today=calc.today)
        raise InvalidInput("worker.unknown", "id_number", value=row.id_number)
    if e.uscc == FLEXIBLE_USCC:
        raise InvalidInput("flexible.system_employer", "employer_uscc", value=e.uscc)
    if not row.name.strip():  # a blank name is refused, not taken as "any name"
        raise InvalidInput("required", "name")
    if row.name != w.name:
        raise InvalidInput("worker.name_mismatch", "name", registered=w.name)
    m = month_cache.get(row.month)
    if m is None:
        m = Month.parse(row.month, "month")
        month_cache[row.month] = m
    wage = fen_of(parse_amount(row.wage, "wage"))
    key = (row.id_number, row.employer_uscc, m)
    other = seen.get(key)
    if other is not None:
        raise InvalidInput("contrib.duplicate_row", "month", other=other)
    seen[key] = row.line
    base, _floor, _ceiling, kind, lines = calc.compute(w.birth_date, e.risk_class, m, wage, (), w.id)
    return row, w, e, m, wage, base, kind, lines


def describe(result: MonthResult, lang: str = "zh") -> str:
    """A one-line summary of a recorded month for messages."""
    return render("contrib.recorded", lang, month=str(result.month), base=f"{result.base:.2f}")


def _prepare(s: Session, worker: str, employer: str, today: dt.date,
             ) -> tuple[Office, Worker, Employer, MonthCalculator]:
    """The office, the person, the employer (each refused by name when unknown) and a calculator that
    knows the person's inbound exemptions."""
    office = load_office(s)
    w = require_worker(s, worker)
    e = s.scalars(select(Employer).where(Employer.uscc == clean(employer))).first()
    if e is None:
        validate_uscc(employer, "employer")
        raise InvalidInput("employer.unknown", "employer", value=clean(employer))
    if e.uscc == FLEXIBLE_USCC:
        raise InvalidInput("flexible.system_employer", "employer", value=e.uscc)
    calc = MonthCalculator(Reference(s), office.region, today)
    if w.nationality != "CN":
        calc.load_exemptions(s, [w.id])
    return office, w, e, calc


def _record_month(s: Session, region: str, w: Worker, e: Employer, calc: MonthCalculator, m: Month,
                  wage_amount: Decimal, wanted: tuple[str, ...], arrears: bool, preview: bool, today: dt.date,
                  lump_sum: bool = False) -> MonthResult:
    """Compute one month and (unless preview) record it in the session; see `record`."""
    base, floor, ceiling, kind, lines = calc.compute(w.birth_date, e.risk_class, m, fen_of(wage_amount), wanted, w.id)
    if lump_sum:
        kind = "lump_sum"
    status = "arrears" if arrears else "paid"
    if not preview:
        existing = line_store.of_month(s, w.id, e.id, m.as_int())
        for sid, _er, _ee, _acc, _ex in lines:
            old = existing.get(sid)
            if old is not None and not (old.status == "arrears" and not arrears):
                raise Conflict("contrib.exists", "month", month=str(m),
                               scheme=schemes()[sid].name_zh, employer=e.uscc)
        for sid, er, ee, acc, ex in lines:
            values = {"wage": wage_amount, "base": yuan_of(base), "employer_amount": yuan_of(er),
                      "employee_amount": yuan_of(ee), "account_amount": yuan_of(acc),
                      "recorded_on": today, "status": "exempt" if ex else status,
                      "exemption_id": ex}
            old = existing.get(sid)
            if old is not None:  # an arrears month being paid: changed in place (audited)
                old.kind = kind if lump_sum else "back_payment" if m < Month.of(today) else kind
                for name, value in values.items():
                    setattr(old, name, value)
            else:
                line_store.add(s, worker_id=w.id, employer_id=e.id, region=region, month=m.as_int(), scheme=sid,
                          kind=kind, batch_id=None, **values)
    changed = NOTHING if preview else Changes.of_months([MonthRow(_key_of(w), m.as_int(), e.id)])
    return MonthResult(m, wage_amount, yuan_of(base), yuan_of(floor), yuan_of(ceiling), kind,
                       status, tuple(Line(sid, yuan_of(er), yuan_of(ee), yuan_of(acc),
                                          calc.notes.get(ex, "") if ex else "")
                                     for sid, er, ee, acc, ex in lines), changed)


def _key_of(w: Worker) -> str:
    """The person's key as the window knows it (`WorkerInfo.key`)."""
    return w.id_number or w.ssn
