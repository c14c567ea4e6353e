"""参保登记 and the counter's next entry: the employer, start month and schemes a person is enrolled
in, and what the counter offers when it records the person's next month.

An enrolment is written with the person's registration, in the same transaction
(`WorkerService.register_citizen(..., employer=, start=, schemes=)`). The person's current employer is
the employer of their latest recorded month, or of their enrolment when it starts later.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.core.calc import MIN_CONTRIBUTION_AGE, first_contribution_month
from desktop.core.errors import Conflict, InvalidInput, RefusedByRule
from desktop.core.ids import clean, validate_uscc
from desktop.core.month import Month
from desktop.core.refdata import employee_schemes, schemes
from desktop.core.services.contributions import parse_schemes
from desktop.core.services.flexible import FLEXIBLE_USCC
from desktop.core.store.models import Contribution, Employer, Enrolment, Worker


@dataclass(frozen=True)
class EnrolmentRequest:
    """An enrolment as asked for, checked as far as it can be without the database."""

    employer: str
    start: Month
    schemes: tuple[str, ...]  # () means the default: every employees' scheme collected from start


@dataclass(frozen=True)
class EnrolmentInfo:
    """A person's enrolment: with which employer, from which month, in which schemes."""

    employer_uscc: str
    employer_name: str
    start: Month
    schemes: tuple[str, ...]


@dataclass(frozen=True)
class EntryProposal:
    """What the counter offers for the next month of a person: their current employer (None when
    they have neither a recorded month nor an enrolment), the next unrecorded month, the months
    already recorded (credit code, YYYYMM), paid and in arrears, and their enrolment."""

    employer: str | None
    month: Month
    paid: frozenset[tuple[str, int]]
    arrears: frozenset[tuple[str, int]]
    enrolled: EnrolmentInfo | None = None

    def check_month(self, employer: str, month: Month, arrears: bool = False) -> None:
        """Refuse a month already recorded at the employer (the rule `contributions.record` applies
        on saving: a month in arrears may still be paid, not declared unpaid again)."""
        key = (clean(employer), month.as_int())
        if key in self.paid or (arrears and key in self.arrears):
            raise Conflict("entry.month_recorded", "month", month=str(month), employer=key[0])


def enrolment_request(employer: str | None, start: object | None,
                      schemes_wanted: str | Sequence[str] | None, today: dt.date) -> EnrolmentRequest | None:
    """The enrolment asked for, or None when none is (no employer, start or schemes given).

    An employer and a start month go together; the start is not after the current month.
    """
    given_schemes = schemes_wanted not in (None, "", ())
    if employer in (None, "") and start in (None, "") and not given_schemes:
        return None
    if employer in (None, "") or not str(employer).strip():
        raise InvalidInput("enrol.incomplete", "employer")
    if start in (None, "") or not str(start).strip():
        raise InvalidInput("enrol.incomplete", "start")
    month = Month.parse(start, "start")
    current = Month.of(today)
    if month > current:
        raise InvalidInput("month.future", "start", value=str(month), current=str(current))
    wanted = parse_schemes(schemes_wanted)
    for sid in wanted:
        scheme = schemes()[sid]
        if not scheme.collected_in(month):
            raise RefusedByRule("scheme.not_in_force", "schemes", scheme=scheme.name_zh,
                                month=str(month), note=scheme.note_zh or "-")
    return EnrolmentRequest(clean(employer), month, wanted)


def default_schemes(start: Month, risk_class: int | None) -> tuple[str, ...]:
    """The employees' schemes an enrolment from `start` covers unless others are chosen: every one
    collected that month (injury only with an employer whose risk class is set)."""
    return tuple(sid for sid in employee_schemes()
                 if schemes()[sid].collected_in(start) and (sid != "injury" or risk_class is not None))


def enrol(s: Session, w: Worker, request: EnrolmentRequest, today: dt.date, now: dt.datetime) -> EnrolmentInfo:
    """Write the enrolment in the caller's transaction (a refusal rolls back the registration too)."""
    e = s.scalars(select(Employer).where(Employer.uscc == request.employer)).first()
    if e is None:
        validate_uscc(request.employer, "employer")
        raise InvalidInput("employer.unknown", "employer", value=request.employer)
    if e.uscc == FLEXIBLE_USCC:
        raise InvalidInput("flexible.system_employer", "employer", value=e.uscc)
    if request.start < first_contribution_month(w.birth_date):
        raise InvalidInput("contrib.before_birth", "start", month=str(request.start), age=MIN_CONTRIBUTION_AGE)
    chosen = request.schemes or default_schemes(request.start, e.risk_class)
    if "injury" in chosen and e.risk_class is None:
        raise RefusedByRule("employer.no_risk_class", "schemes")
    if not chosen:
        raise InvalidInput("required", "schemes")
    s.add(Enrolment(worker_id=w.id, employer_id=e.id, start_month=request.start.as_int(),
                    schemes=",".join(chosen), recorded_on=today, created_at=now))
    s.flush()
    return EnrolmentInfo(e.uscc, e.name, request.start, chosen)


def current_enrolment(s: Session, worker_id: int) -> EnrolmentInfo | None:
    """The person's newest enrolment (by start month), or None."""
    row = s.execute(select(Enrolment, Employer).join(Employer, Employer.id == Enrolment.employer_id)
                    .where(Enrolment.worker_id == worker_id)
                    .order_by(Enrolment.start_month.desc(), Enrolment.id.desc()).limit(1)).first()
    if row is None:
        return None
    en, e = row
    return EnrolmentInfo(e.uscc, e.name, Month.from_int(en.start_month), tuple(en.schemes.split(",")))


def enrolled_schemes(s: Session, worker_id: int, employer: str, month: Month) -> tuple[str, ...]:
    """The schemes of the person's current enrolment when it is at this employer and the month is not
    before its start, else () (every employees' scheme collected that month)."""
    enrolled = current_enrolment(s, worker_id)
    if enrolled is None or enrolled.employer_uscc != employer or month < enrolled.start:
        return ()
    return enrolled.schemes


def propose_entry(s: Session, w: Worker, today: dt.date) -> EntryProposal:
    """The person's current employer and the next month to record there (see the module)."""
    rows = s.execute(select(Employer.uscc, Contribution.month, Contribution.status, Contribution.id)
                     .join(Employer, Employer.id == Contribution.employer_id)
                     .where(Contribution.worker_id == w.id, Employer.uscc != FLEXIBLE_USCC)).all()
    paid = frozenset((u, m) for u, m, st, _i in rows if st != "arrears")
    arrears = frozenset((u, m) for u, m, st, _i in rows if st == "arrears")
    latest = max(rows, key=lambda r: (r[1], r[3]), default=None)
    enrolled = current_enrolment(s, w.id)
    employer: str | None
    if enrolled is not None and (latest is None or enrolled.start.as_int() > latest[1]):
        employer, month = enrolled.employer_uscc, enrolled.start
    elif latest is not None:
        employer, month = latest[0], Month.from_int(latest[1]).add(1)
    else:
        employer, month = None, Month.of(today).add(-1)
    while employer is not None and (employer, month.as_int()) in paid:
        month = month.add(1)
    month = min(month, Month.of(today))  # never a month still to come (the dialog says when it is taken)
    return EntryProposal(employer, month, paid, arrears, enrolled)
