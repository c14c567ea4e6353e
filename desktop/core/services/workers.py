"""Insured people: registration, look-up by any of their numbers, and search."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from desktop.core import people
from desktop.core.csvsafe import refuse_formula
from desktop.core.errors import Conflict, InvalidInput
from desktop.core.ids import (
    clean,
    foreign_ssn,
    parse_citizen_id,
    validate_country,
    validate_passport,
)
from desktop.core.month import parse_date
from desktop.core.people import INFO_COLUMNS, Lookup, after, box_plan, find_plan, info_from_row
from desktop.core.regions import validate_region
from desktop.core.security import COUNTER
from desktop.core.services.office import load_office
from desktop.core.store.models import Worker

if TYPE_CHECKING:
    from desktop.core.ledger import Ledger
    from desktop.core.services.enrolment import EnrolmentInfo

_MOBILE_RE = re.compile(r"1[3-9][0-9]{9}")  # a mainland mobile number: 11 digits, 1 then 3..9
_LANDLINE_RE = re.compile(r"0[1-9][0-9]{8,10}")  # area code (with its 0) and number: 10 to 12 digits
_INTERNATIONAL_RE = re.compile(r"\+[1-9][0-9]{6,14}")  # E.164
WorkerInfo = people.WorkerInfo  # where the services and the window have it from
_NAME_BAD = re.compile(r"[\x00-\x1f<>{}\[\]\\/|@#$%^*=+;:\"?!~`]")


def worker_info(w: Worker) -> WorkerInfo:
    """The plain view of a stored person."""
    return WorkerInfo(w.id, w.id_number, w.ssn, w.name, w.sex, w.birth_date, w.hukou_region,
                      w.hukou_type, w.nationality, w.passport, w.phone)


def name_initials(name: str) -> str:
    """Lower-case initials of a name: pinyin initials for Chinese (张三 -> zs), word initials otherwise."""
    from pypinyin import Style, lazy_pinyin

    if name.isascii():
        return "".join(part[0] for part in re.split(r"[\s\-\.]+", name.lower()) if part)
    letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")
    return "".join(letters).lower()


def _name(text: str) -> str:
    name = " ".join(str(text).split())
    if not name:
        raise InvalidInput("required", "name")
    refuse_formula(name, "name")
    if _NAME_BAD.search(name) or len(name) > 100:
        raise InvalidInput("name.format", "name")
    return name


def check_phone(text: str | None) -> str | None:
    """A contact number as typed (trimmed), or None when empty: a mobile number is 11 ASCII digits,
    1 then 3 to 9; a landline has its area code (0...); a number abroad starts with +country code.
    Spaces and dashes between digits are allowed."""
    if text in (None, ""):
        return None
    phone = str(text).strip()
    if not phone:
        return None
    if not phone.isascii():
        raise InvalidInput("phone.ascii", "phone", value=phone)
    digits = re.sub(r"(?<=[0-9])[\- ](?=[0-9])", "", phone)
    if digits.startswith("+86"):
        digits = digits[3:].lstrip(" -")
    elif digits.startswith("+"):
        if not _INTERNATIONAL_RE.fullmatch(digits):
            raise InvalidInput("phone.format", "phone", value=phone)
        return phone
    if digits.startswith("1"):
        if not _MOBILE_RE.fullmatch(digits):
            raise InvalidInput("phone.mobile", "phone", value=phone)
    elif not _LANDLINE_RE.fullmatch(digits):
        raise InvalidInput("phone.format", "phone", value=phone)
    if len(phone) > 30:
        raise InvalidInput("phone.format", "phone", value=phone)
    return phone



def require_worker(session: Session, key: str, field: str = "worker") -> Worker:
    """A person by any of their numbers, or the refusal naming the number given (as `field`)."""
    w = find_worker_row(session, key)
    if w is None:
        raise InvalidInput("worker.unknown", field, value=clean(key))
    return w


def find_worker_row(session: Session, key: str) -> Worker | None:
    """A person by ID number, social security number or passport number (each an indexed look-up)."""
    k = clean(key)
    for col in (Worker.id_number, Worker.ssn, Worker.passport):
        w = session.scalars(select(Worker).where(col == k)).first()
        if w is not None:
            return w
    return None


_INFO_COLS = (Worker.id, Worker.id_number, Worker.ssn, Worker.name, Worker.sex, Worker.birth_date,
              Worker.hukou_region, Worker.hukou_type, Worker.nationality, Worker.passport, Worker.phone)


def _by_column(col: Any) -> Callable[[], Any]:
    return lambda: select(*_INFO_COLS).where(col == bindparam("k"))


_GET_QUERIES = tuple((f"worker.get.{c.key}", _by_column(c))
                     for c in (Worker.id_number, Worker.ssn, Worker.passport))


def run_plan(session: Session, plan: list[Lookup], limit: int) -> list[WorkerInfo]:
    """The people a search plan finds (desktop/core/people.py), each once, at most limit: each
    look-up's rows in its order, until the limit is reached. The columns a person is shown by are
    read, as the quick search reads them, not whole ORM objects (it runs on every keystroke)."""
    found: dict[int, WorkerInfo] = {}
    for look in plan:
        column = getattr(Worker, look.column)
        if look.kind == "prefix":
            condition = (column >= look.value) & (column < after(look.value))
        elif look.kind == "equal":
            condition = column == look.value
        else:
            condition = column.contains(look.value, autoescape=True)
        for row in session.execute(select(*_INFO).where(condition).order_by(getattr(Worker, look.order))
                                   .limit(limit)):
            found.setdefault(row[0], info_from_row(tuple(row)))
        if len(found) >= limit:
            break
    return list(found.values())[:limit]


_INFO = tuple(getattr(Worker, name) for name in INFO_COLUMNS)


class WorkerService:
    """Register, fetch and search insured people."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def register_citizen(self, id_number: str, name: str, hukou_region: str, hukou_type: str,
                         phone: str | None = None, employer: str | None = None, start: object | None = None,
                         schemes: str | Sequence[str] | None = None) -> WorkerInfo:
        """Register a Chinese citizen; sex and birth date come from the ID number.

        With an employer (credit code) and a start month (and optionally the schemes, default every
        employees' scheme collected then) the person is enrolled too (参保登记), in the same
        transaction: a refused enrolment registers nobody. `enrolment(key)` reads it back.
        """
        from desktop.core.services.enrolment import enrol, enrolment_request

        self._ledger.require(COUNTER)
        enrolling = enrolment_request(employer, start, schemes, self._ledger.today())
        cid = parse_citizen_id(id_number, "id_number", today=self._ledger.today())
        clean_name = _name(name)
        region = validate_region(hukou_region, "hukou_region")
        kind = str(hukou_type).strip().lower()
        if kind not in ("urban", "rural"):
            raise InvalidInput("hukou_type.format", "hukou_type")
        tel = check_phone(phone)
        with self._ledger.write() as s:
            load_office(s)
            existing = s.scalars(select(Worker).where(Worker.id_number == cid.number)).first()
            if existing is not None:
                raise Conflict("worker.exists", "id_number", name=existing.name, number=existing.ssn)
            w = Worker(id_number=cid.number, ssn=cid.number, nationality="CN", passport=None,
                       name=clean_name, initials=name_initials(clean_name), sex=cid.sex,
                       birth_date=cid.birth_date, hukou_region=region, hukou_type=kind,
                       phone=tel, created_at=self._ledger.now())
            s.add(w)
            s.flush()
            if enrolling is not None:
                enrol(s, w, enrolling, self._ledger.today(), self._ledger.now())
            return worker_info(w)

    def register_foreigner(self, nationality: str, passport: str, name: str, sex: str,
                           birth_date: object, phone: str | None = None, employer: str | None = None,
                           start: object | None = None, schemes: str | Sequence[str] | None = None) -> WorkerInfo:
        """Register a foreign national and assign a social security number; enrolled as
        `register_citizen` enrols when an employer and a start month are given."""
        from desktop.core.services.enrolment import enrol, enrolment_request

        self._ledger.require(COUNTER)
        enrolling = enrolment_request(employer, start, schemes, self._ledger.today())
        country = validate_country(nationality)
        number = validate_passport(passport)
        clean_name = _name(name)
        sx = str(sex).strip().upper()
        if sx not in ("M", "F"):
            raise InvalidInput("sex.format", "sex")
        born = parse_date(birth_date, "birth_date")
        if born > self._ledger.today() or born.year < 1880:
            raise InvalidInput("id.birth_future", "birth_date", value=born.isoformat())
        tel = check_phone(phone)
        with self._ledger.write() as s:
            office = load_office(s)
            existing = s.scalars(select(Worker).where(
                Worker.nationality == country, Worker.passport == number)).first()
            if existing is not None:
                raise Conflict("worker.exists", "passport", name=existing.name, number=existing.ssn)
            serial = (s.scalar(select(func.count()).select_from(Worker).where(
                Worker.nationality != "CN")) or 0) + 1
            ssn = foreign_ssn(office.region, serial)
            while s.scalars(select(Worker.id).where(Worker.ssn == ssn)).first() is not None:
                serial += 1
                ssn = foreign_ssn(office.region, serial)
            w = Worker(id_number=None, ssn=ssn, nationality=country, passport=number,
                       name=clean_name, initials=name_initials(clean_name), sex=sx,
                       birth_date=born, hukou_region=None, hukou_type=None, phone=tel,
                       created_at=self._ledger.now())
            s.add(w)
            s.flush()
            if enrolling is not None:
                enrol(s, w, enrolling, self._ledger.today(), self._ledger.now())
            return worker_info(w)

    def update(self, key: str, name: str | None = None, phone: str | None = None,
               hukou_region: str | None = None, hukou_type: str | None = None) -> WorkerInfo:
        """Change a person's name, phone or hukou (only the values given); the ID number stays."""
        self._ledger.require(COUNTER)
        values: dict[str, object] = {}
        if name is not None:
            values["name"] = _name(name)
            values["initials"] = name_initials(str(values["name"]))
        if phone is not None:
            values["phone"] = check_phone(phone)
        if hukou_region is not None:
            values["hukou_region"] = validate_region(hukou_region, "hukou_region")
        if hukou_type is not None:
            kind = str(hukou_type).strip().lower()
            if kind not in ("urban", "rural"):
                raise InvalidInput("hukou_type.format", "hukou_type")
            values["hukou_type"] = kind
        with self._ledger.write() as s:
            w = require_worker(s, key)
            for attr, value in values.items():
                setattr(w, attr, value)
            s.flush()
            return worker_info(w)

    def enrolment(self, key: str) -> EnrolmentInfo | None:
        """The person's current enrolment (参保登记: employer, start month, schemes), or None."""
        from desktop.core.services.enrolment import current_enrolment

        with self._ledger.read() as s:
            return current_enrolment(s, require_worker(s, key).id)

    def get(self, key: str) -> WorkerInfo:
        """A person by ID number, social security number or passport number (the hot look-up of
        a scanned ID card: indexed, compiled once, no session)."""
        k = key if key.isalnum() and key.isupper() or key.isdigit() else clean(key)
        params = {"k": k}
        for name, build in _GET_QUERIES:
            rows = self._ledger.quick_rows(name, build, params)
            if rows:
                return info_from_row(rows[0])
        raise InvalidInput("worker.unknown", "worker", value=k)

    def all_keys(self) -> list[str]:
        """The number of every registered person (ID number, or social security number), by name."""
        with self._ledger.read() as s:
            return [r[0] or r[1] for r in s.execute(
                select(Worker.id_number, Worker.ssn).order_by(Worker.name, Worker.id))]

    def find(self, text: str, limit: int = 50) -> list[WorkerInfo]:
        """Search by ID number (or its beginning), name, or pinyin initials (`people.find_plan`)."""
        return self.search(find_plan(text), limit)

    def search_box(self, text: str, limit: int = 50) -> list[WorkerInfo]:
        """What the window's search box finds for text (`people.box_plan`: a number's beginning in
        number order, anything else as `find`); the quick search before the ledger opens runs the
        same plan."""
        return self.search(box_plan(text), limit)

    def search(self, plan: list[Lookup], limit: int = 50) -> list[WorkerInfo]:
        """The people a search plan finds (`run_plan`); none for an empty plan."""
        if not plan:
            return []
        with self._ledger.read() as s:
            return run_plan(s, plan, limit)
