"""The second person: actions a clerk files for a supervisor's approval, and their approval.

A request is checked in full when it is filed (the action runs with every rule inside a transaction
that is rolled back), so a clerk learns of a refusal at once. A supervisor other than the requester
approves it, which performs the action and marks the request approved in one transaction, or
refuses it with a reason. What needs approval: voiding a document, correcting a recorded month,
issuing a certificate of coverage, determining a pension (settling a transfer will join when transfers
exist).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from desktop.core import audit
from desktop.core.errors import Conflict, InvalidInput, NotAllowed
from desktop.core.ids import clean
from desktop.core.messages import render
from desktop.core.month import Month
from desktop.core.privacy import mask_id
from desktop.core.security import ANY, COUNTER, SUPERVISE
from desktop.core.services.workers import find_worker_row
from desktop.core.store.models import Contribution, Document, Employer, PendingAction

if TYPE_CHECKING:
    import datetime as dt

    from desktop.core.ledger import Ledger

KINDS = ("document.void", "contribution.correct", "exemption.issue", "pension.determine")


@dataclass(frozen=True)
class PendingInfo:
    """A request for approval and what became of it."""

    id: int
    kind: str
    status: str  # pending | approved | refused
    params: dict[str, Any]
    requested_by: str
    requested_at: dt.datetime
    counter: str
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_note: str | None
    result: dict[str, Any] | None

    @property
    def pending(self) -> bool:
        """Whether it still waits for a supervisor."""
        return self.status == "pending"

    def describe(self, lang: str = "zh") -> str:
        """What is asked, for lists: the person's number masked."""
        shown = {k: v for k, v in self.params.items() if k != "worker"}
        shown["person"] = mask_id(str(self.params.get("worker", "")))
        return render(f"approval.{self.kind}", lang, **shown)


@dataclass(frozen=True)
class Approval:
    """An approved request and the result of the action it performed."""

    request: PendingInfo
    result: Any


def pending_info(p: PendingAction) -> PendingInfo:
    """The plain view of a stored request."""
    return PendingInfo(p.id, p.kind, p.status, json.loads(p.params_json), p.requested_by,
                       p.requested_at, p.counter, p.decided_by, p.decided_at, p.decision_note,
                       json.loads(p.result_json) if p.result_json else None)


class ApprovalService:
    """File requests (clerks), list them, approve or refuse them (supervisors)."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def needed(self) -> bool:
        """Whether the signed-in account must file a request instead of acting (a clerk)."""
        actor = self._ledger.actor
        return actor is not None and actor.role not in SUPERVISE

    def request_void(self, number: str, reason: str) -> PendingInfo:
        """Ask for a document to be voided."""
        self._ledger.require(COUNTER)
        with self._ledger.dry_run(elevated=True):
            self._ledger.documents.void(number, reason)
        with self._ledger.read() as s:
            doc = s.scalars(select(Document).where(Document.number == number.strip())).first()
            worker_id = doc.worker_id if doc is not None else None
        return self._file("document.void", number.strip(), worker_id,
                          {"number": number.strip(), "reason": reason.strip()})

    def request_correction(self, worker: str, employer: str, month: object, wage: object,
                           reason: str) -> PendingInfo:
        """Ask for a recorded month's wage to be corrected (its lines are recomputed)."""
        self._ledger.require(COUNTER)
        with self._ledger.dry_run(elevated=True):
            new = self._ledger.contributions.correct(worker, employer, month, wage, reason)
        m = Month.parse(month, "month")
        with self._ledger.read() as s:
            w = find_worker_row(s, worker)
            assert w is not None  # correct() refused an unknown person
            old = s.scalar(select(Contribution.wage).join(Employer, Employer.id == Contribution.employer_id)
                           .where(Contribution.worker_id == w.id, Employer.uscc == clean(employer),
                                  Contribution.month == m.as_int()).limit(1))
            key, name, wid = w.id_number or w.ssn, w.name, w.id
        return self._file("contribution.correct", f"{key}/{clean(employer)}/{m}", wid, {
            "worker": key, "name": name, "employer": clean(employer), "month": str(m),
            "old": f"{old:.2f}" if old is not None else "", "wage": f"{new.wage:.2f}",
            "reason": reason.strip()})

    def request_certificate(self, worker: str, country: str, employer: str, host_employer: str,
                            start: object, end: object, extension: bool = False,
                            self_employed: bool = False, special: bool = False,
                            passport: str | None = None) -> PendingInfo:
        """Ask for a certificate of coverage (checked against every rule now, issued on approval)."""
        self._ledger.require(COUNTER)
        clerk = self._ledger.actor.name if self._ledger.actor else ""
        with self._ledger.dry_run(elevated=True):
            cert = self._ledger.exemptions.issue(worker, country, employer, host_employer, start, end,
                                                 extension, self_employed, special, clerk, passport)
        with self._ledger.read() as s:
            w = find_worker_row(s, worker)
            assert w is not None
            key, name, wid = w.id_number or w.ssn, w.name, w.id
        return self._file("exemption.issue", f"{key}/{cert.country}/{cert.valid_from}", wid, {
            "worker": key, "name": name, "country": cert.country, "employer": clean(employer),
            "host_employer": host_employer.strip(), "start": cert.valid_from.isoformat(),
            "end": cert.valid_to.isoformat(), "extension": extension, "self_employed": self_employed,
            "special": special, "passport": passport})

    def request_determination(self, worker: str, starts_on: object | None = None) -> PendingInfo:
        """Ask for a pension to be determined (checked against every rule now, decided on approval)."""
        self._ledger.require(COUNTER)
        with self._ledger.dry_run(elevated=True):
            d = self._ledger.pensions.determine(worker, starts_on)
        with self._ledger.read() as s:
            w = find_worker_row(s, worker)
            assert w is not None
            key, name, wid = w.id_number or w.ssn, w.name, w.id
        return self._file("pension.determine", key, wid, {
            "worker": key, "name": name, "starts_on": d.starts_on.isoformat(), "total": f"{d.total:.2f}"})

    def _file(self, kind: str, target: str, worker_id: int | None, params: dict[str, Any]) -> PendingInfo:
        actor = self._ledger.actor
        with self._ledger.write() as s:
            dup = s.scalars(select(PendingAction).where(
                PendingAction.kind == kind, PendingAction.target == target[:120],
                PendingAction.status == "pending")).first()
            if dup is not None:
                raise Conflict("approval.duplicate", None, id=dup.id, by=dup.requested_by)
            p = PendingAction(kind=kind, target=target[:120], worker_id=worker_id,
                              params_json=json.dumps(params, ensure_ascii=False), status="pending",
                              requested_by=actor.name if actor else "-", requested_at=self._ledger.now(),
                              counter=self._ledger.counter, decided_by=None, decided_at=None,
                              decision_note=None, result_json=None)
            s.add(p)
            s.flush()
            return pending_info(p)

    def list(self, status: str | None = "pending") -> list[PendingInfo]:
        """Requests, newest first: a supervisor (or administrator) sees all, a clerk their own."""
        self._ledger.require(ANY)
        actor = self._ledger.actor
        with self._ledger.read() as s:
            q = select(PendingAction).order_by(PendingAction.id.desc())
            if status:
                q = q.where(PendingAction.status == status)
            if actor is not None and actor.role == "clerk":
                q = q.where(PendingAction.requested_by == actor.name)
            return [pending_info(p) for p in s.scalars(q.limit(500))]

    def get(self, request_id: int) -> PendingInfo:
        """One request."""
        self._ledger.require(ANY)
        with self._ledger.read() as s:
            return pending_info(self._load(s, request_id))

    def approve(self, request_id: int) -> Approval:
        """Perform a request and mark it approved, in one transaction; never one's own request."""
        self._ledger.require(SUPERVISE)
        actor = self._ledger.actor
        with self._ledger.write() as s:
            p = self._load(s, request_id, lock=True)
            if actor is not None and p.requested_by == actor.name:
                raise NotAllowed("approval.own")
            p.status = "approved"
            p.decided_by = actor.name if actor else "-"
            p.decided_at = self._ledger.now()
            audit.note(s, f"approval #{p.id} requested by {p.requested_by} at {p.counter}")
            result, summary = self._perform(p.kind, json.loads(p.params_json), p.requested_by)
            p.result_json = json.dumps(summary, ensure_ascii=False)
            info = pending_info(p)
        return Approval(info, result)

    def refuse(self, request_id: int, reason: str) -> PendingInfo:
        """Refuse a request with a reason (the requester sees it); nothing is performed."""
        self._ledger.require(SUPERVISE)
        if not reason.strip():
            raise InvalidInput("required", "reason")
        actor = self._ledger.actor
        with self._ledger.write() as s:
            p = self._load(s, request_id, lock=True)
            p.status = "refused"
            p.decided_by = actor.name if actor else "-"
            p.decided_at = self._ledger.now()
            p.decision_note = reason.strip()[:400]
            return pending_info(p)

    def _load(self, s: Any, request_id: int, lock: bool = False) -> PendingAction:
        p = s.get(PendingAction, int(request_id), with_for_update=lock or None)
        if p is None:
            raise InvalidInput("approval.unknown", "approval", value=request_id)
        if lock and p.status != "pending":
            raise Conflict("approval.decided", "approval", id=p.id, status=p.status, by=p.decided_by or "")
        return p  # type: ignore[no-any-return]

    def _perform(self, kind: str, a: dict[str, Any], requested_by: str) -> tuple[Any, dict[str, Any]]:
        actions: dict[str, Callable[[], tuple[Any, dict[str, Any]]]] = {
            "document.void": lambda: self._void(a),
            "contribution.correct": lambda: self._correct(a),
            "exemption.issue": lambda: self._issue(a, requested_by),
            "pension.determine": lambda: self._determine(a, requested_by),
        }
        return actions[kind]()

    def _void(self, a: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        self._ledger.documents.void(a["number"], a["reason"])
        return None, {"number": a["number"], "void": True}

    def _correct(self, a: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        m = self._ledger.contributions.correct(a["worker"], a["employer"], a["month"], a["wage"], a["reason"])
        return m, {"month": str(m.month), "wage": f"{m.wage:.2f}", "base": f"{m.base:.2f}"}

    def _issue(self, a: dict[str, Any], clerk: str) -> tuple[Any, dict[str, Any]]:
        c = self._ledger.exemptions.issue(a["worker"], a["country"], a["employer"], a["host_employer"],
                                          a["start"], a["end"], a["extension"], a["self_employed"],
                                          a["special"], clerk, a["passport"])
        return c, {"certificate_no": c.number, "verification_code": c.code}

    def _determine(self, a: dict[str, Any], clerk: str) -> tuple[Any, dict[str, Any]]:
        d = self._ledger.pensions.determine(a["worker"], a["starts_on"], clerk)
        return d, {"number": d.number, "verification_code": d.code, "total": f"{d.total:.2f}",
                   "starts_on": d.starts_on.isoformat()}
