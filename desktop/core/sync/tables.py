"""The records that travel between offices, each identified by a natural key, never a local id.

A change carries the record's whole state after the change ("data"): its columns, with references
to other records written as their natural keys (a person by ID number, or nationality and
passport; an employer by credit code). Money is whole fen, dates ISO text, so the data is the same
text at every office. Local-only columns (import batch, local exemption id) do not travel.

The data is a JSON array of the table's fields in the order of `TABLES` (half the size of an
object naming every field, so files, the change log and the import are that much lighter). Fields
are only ever appended, never reordered or removed: the shorter array of an older version leaves
the newer fields at their defaults. The first version (schema 0007, file format 1) wrote an
object by field name; such data is still read, and relayed as it came.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from desktop.core.store import line_store
from desktop.core.store.models import (
    BackPaymentDocument,
    Base,
    CarriedPeriod,
    Contribution,
    Employer,
    OpeningEntry,
    PensionDetermination,
    ResidentContribution,
    SchemeSwitch,
    TemporaryAccount,
    TransferCase,
    UnemploymentClaim,
    Worker,
)


@dataclass(frozen=True)
class Field:
    """A column that travels: its name in the data, its kind, and the value an older file lacks."""

    name: str
    kind: str  # str | int | money | date | datetime | bool | worker | employer
    default: Any = None


@dataclass(frozen=True)
class TableSpec:
    """One synced table: its model, apply order, fields and the fields forming its natural key."""

    name: str
    model: type[Base]
    rank: int
    fields: tuple[Field, ...]
    key_fields: tuple[str, ...]

    @cached_property
    def required(self) -> frozenset[str]:
        """The fields whose column may not be empty."""
        columns = self.model.__table__.c
        return frozenset(f.name for f in self.fields if not columns[self.column(f)].nullable)

    @cached_property
    def names(self) -> tuple[str, ...]:
        """The fields' names in order (the positions of the data array)."""
        return tuple(f.name for f in self.fields)

    def column(self, f: Field) -> str:
        """The model attribute a field is stored in."""
        return {"worker": "worker_id", "employer": "employer_id"}.get(f.kind, f.name)


def _f(spec: str) -> tuple[Field, ...]:
    out = []
    for item in spec.split():
        name, _, kind = item.partition(":")
        out.append(Field(name, kind or "str"))
    return tuple(out)


TABLES: dict[str, TableSpec] = {t.name: t for t in (
    TableSpec("employer", Employer, 0, _f("uscc name region risk_class:int created_at:datetime"), ("uscc",)),
    TableSpec("worker", Worker, 1, _f(
        "id_number ssn nationality passport name initials sex birth_date:date hukou_region hukou_type "
        "phone created_at:datetime insured_region pension_since:date retirement_group"), ("id_number",)),
    TableSpec("contribution", Contribution, 2, _f(
        "worker:worker employer:employer region month:int scheme wage:money base:money "
        "employer_amount:money employee_amount:money account_amount:money kind status recorded_on:date"),
        ("worker", "employer", "month", "scheme")),
    TableSpec("resident_contribution", ResidentContribution, 2, _f(
        "worker:worker scheme year:int region personal:money subsidy:money recorded_on:date"),
        ("worker", "scheme", "year")),
    TableSpec("transfer_case", TransferCase, 3, _f(
        "number worker:worker from_region to_region from_office to_office channel status temporary:bool "
        "applied_on:date letter_number letter_json settled_on:date table_number table_json account:money "
        "pooling:money total:money received_on:date received_amount:money due_on:date "
        "due_estimated:bool created_at:datetime") + (Field("kind", "str", "transfer"),), ("number",)),
    TableSpec("opening_entry", OpeningEntry, 2, _f(
        "worker:worker kind region first_month:int last_month:int months:int base:money balance:money document "
        "held_region entered_on:date entered_by created_at:datetime voided_on:date void_reason"),
        ("worker", "kind", "region", "first_month")),
    TableSpec("back_payment_document", BackPaymentDocument, 2, _f(
        "worker:worker paid_on:date kind issuer number issued_on:date entered_by created_at:datetime"),
        ("worker", "paid_on", "number")),
    TableSpec("carried_period", CarriedPeriod, 2, _f(
        "worker:worker scheme region first_month:int last_month:int months:int document entered_on:date "
        "entered_by created_at:datetime"), ("worker", "scheme", "region", "first_month")),
    TableSpec("unemployment_claim", UnemploymentClaim, 2, _f(
        "worker:worker claimed_on:date region insured_months:int benefit_months:int created_at:datetime"),
        ("worker", "claimed_on")),
    TableSpec("temporary_account", TemporaryAccount, 2, _f(
        "worker:worker region relationship_region opened_on:date first_month:int age:int age_limit:int "
        "opened_by created_at:datetime sealed_on:date sealed_to sealed_document"), ("worker", "region", "opened_on")),
    TableSpec("scheme_switch", SchemeSwitch, 2, _f(
        "worker:worker direction decided_on:date region retirement_on:date employee_months:int "
        "resident_years:int overlap_months:int counted_months:int account_moved:money refund:money "
        "refunds_json notice_number decided_by created_at:datetime"), ("worker",)),
    TableSpec("pension_determination", PensionDetermination, 2, _f(
        "worker:worker region starts_on:date first_month:int age_months:int months_counted:int "
        "transitional_months:int calc_base:money average_index indexed_wage:money basic:money "
        "account_balance:money divisor account_pension:money transitional:money total:money document_number "
        "decided_on:date requested_by decided_by created_at:datetime"), ("worker",)),
)}
SYNCED = frozenset(TABLES)


def worker_key(id_number: str | None, nationality: str, passport: str | None) -> str:
    """A person's key at every office: the ID number, or nationality and passport for foreigners."""
    return id_number if id_number else f"{nationality}:{passport}"


def record_key(spec: TableSpec, data: Mapping[str, Any]) -> str:
    """The natural key of a record's data."""
    if spec.name == "worker":
        return worker_key(data.get("id_number"), str(data["nationality"]), data.get("passport"))
    return "|".join(str(data[k]) for k in spec.key_fields)


_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def encode_data(spec: TableSpec, data: Mapping[str, Any]) -> str:
    """A record's data as stored and sent: its fields' values as a JSON array, in field order."""
    return _COMPACT.encode([data.get(f.name) for f in spec.fields])


_QUOTE = json.encoder.encode_basestring  # the C function the encoder above uses for text


def _text_column(kind: str, values: Sequence[Any]) -> list[str] | None:
    """One field's values as JSON text, in one C-level pass (None: not of one plain type)."""
    types = set(map(type, values))
    if kind in ("int", "money") and types == {int}:
        return list(map(str, values))
    if kind == "date" and types == {dt.date}:
        return list(map(_QUOTE, map(dt.date.isoformat, values)))
    if kind in ("str", "worker", "employer", "date") and types == {str}:
        return list(map(_QUOTE, values))
    return None


def encode_rows(spec: TableSpec, rows: Sequence[Mapping[str, Any]], worker_keys: Mapping[int, str],
                employer_keys: Mapping[int, str]) -> list[tuple[str, str]]:
    """(key, data text) of many rows inserted in bulk, column by column (money already in fen).

    The same text `encode_data` gives each row's data (tested), at a fraction of the cost per row.
    """
    names = ["worker_id" if f.kind == "worker" else "employer_id" if f.kind == "employer" else f.name
             for f in spec.fields]
    return encode_columns(spec, {n: [r[n] for r in rows] for n in names}, worker_keys, employer_keys)


def encode_columns(spec: TableSpec, values: Mapping[str, Sequence[Any]], worker_keys: Mapping[int, str],
                   employer_keys: Mapping[int, str]) -> list[tuple[str, str]]:
    """`encode_rows` of rows given column by column: {column: its values, one a row}, the person
    and employer as worker_id and employer_id."""
    columns: list[list[Any]] = []
    for f in spec.fields:
        if f.kind == "worker":
            columns.append(list(map(worker_keys.__getitem__, values["worker_id"])))
        elif f.kind == "employer":
            columns.append(list(map(employer_keys.__getitem__, values["employer_id"])))
        else:
            columns.append(list(values[f.name]))
    count = len(columns[0]) if columns else 0
    texts = [_text_column(f.kind, col) for f, col in zip(spec.fields, columns, strict=True)]
    if not count or any(t is None for t in texts):  # an empty or unusual value: one row at a time
        rows = [dict(zip(values, row, strict=True)) for row in zip(*values.values(), strict=True)]
        out = []
        for r in rows:
            data = data_of_row(spec, r, worker_keys[int(r["worker_id"])],
                               employer_keys[int(r["employer_id"])] if r.get("employer_id") is not None else None)
            out.append((record_key(spec, data), encode_data(spec, data)))
        return out
    datas = list(map("[{}]".format, map(",".join, zip(*texts, strict=True))))
    by_name = {f.name: (f, col) for f, col in zip(spec.fields, columns, strict=True)}
    key_columns = [col if f.kind in ("str", "worker", "employer") else list(map(str, col))
                   for f, col in (by_name[k] for k in spec.key_fields)]
    keys = list(map("|".join, zip(*key_columns, strict=True)))
    return list(zip(keys, datas, strict=True))


def row_keys(spec: TableSpec, rows: Sequence[Mapping[str, Any]], worker_keys: Mapping[int, str],
             employer_keys: Mapping[int, str]) -> list[str]:
    """The record keys `encode_rows` gives the same rows, without making their data."""
    columns: list[list[str]] = []
    kinds = {f.name: f.kind for f in spec.fields}
    for name in spec.key_fields:
        kind = kinds[name]
        if kind == "worker":
            columns.append(list(map(worker_keys.__getitem__, (r["worker_id"] for r in rows))))
        elif kind == "employer":
            columns.append(list(map(employer_keys.__getitem__, (r["employer_id"] for r in rows))))
        elif kind == "str":
            columns.append([r[name] for r in rows])
        else:
            columns.append(list(map(str, (r[name] for r in rows))))
    return list(map("|".join, zip(*columns, strict=True)))


def decode_data(spec: TableSpec, value: Any) -> dict[str, Any]:
    """Parsed data (an array in field order, or the first version's object) by field name.

    Raises ValueError for anything else, or an array longer than the fields this version knows.
    """
    if type(value) is list:
        if len(value) > len(spec.fields):
            raise ValueError("more fields than known")
        return dict(zip(spec.names, value, strict=False))  # an older version: fewer fields
    if type(value) is dict:
        return value
    raise ValueError("not record data")


def dumps(data: Mapping[str, Any]) -> str:
    """A record's data as canonical JSON text (sorted keys, no spaces, UTF-8 characters kept)."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _plain(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "money":
        return int(Decimal(value).scaleb(2).to_integral_exact()) if isinstance(value, Decimal) else int(value)
    if kind == "date":
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    if kind == "datetime":
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else str(value)
    if kind == "bool":
        return bool(value)
    if kind == "int":
        return int(value)
    return value


def _stored(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "money":
        return Decimal(int(value)).scaleb(-2)
    if kind == "date":
        return dt.date.fromisoformat(value)
    if kind == "datetime":
        return dt.datetime.fromisoformat(value)
    if kind == "bool":
        return bool(value)
    if kind == "int":
        return int(value)
    return value


class Keys:
    """Translates local ids to natural keys and back, with a cache for one transaction."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.worker_key: dict[int, str] = {}
        self.worker_id: dict[str, int] = {}
        self.employer_key: dict[int, str] = {}
        self.employer_id: dict[str, int] = {}

    def of_worker(self, wid: int) -> str:
        """The key of a local person."""
        if wid not in self.worker_key:
            row = self.conn.execute(select(Worker.id_number, Worker.nationality, Worker.passport)
                                    .where(Worker.id == wid)).one()
            self.worker_key[wid] = worker_key(row[0], row[1], row[2])
        return self.worker_key[wid]

    def of_employer(self, eid: int) -> str:
        """The credit code of a local employer."""
        if eid not in self.employer_key:
            self.employer_key[eid] = str(self.conn.execute(
                select(Employer.uscc).where(Employer.id == eid)).scalar_one())
        return self.employer_key[eid]

    def load_workers(self, keys: Iterable[str]) -> None:
        """Look up the local ids of many people at once."""
        wanted = sorted({k for k in keys if k not in self.worker_id})
        citizens = [k for k in wanted if ":" not in k]
        for i in range(0, len(citizens), 500):
            for wid, number in self.conn.execute(select(Worker.id, Worker.id_number)
                                                 .where(Worker.id_number.in_(citizens[i:i + 500]))):
                self.worker_id[str(number)] = int(wid)
                self.worker_key[int(wid)] = str(number)
        for k in (k for k in wanted if ":" in k):
            nat, _, passport = k.partition(":")
            found = self.conn.execute(select(Worker.id).where(
                Worker.nationality == nat, Worker.passport == passport)).scalar()
            if found is not None:
                self.worker_id[k] = int(found)
                self.worker_key[int(found)] = k

    def worker(self, key: str) -> int | None:
        """The local id of a person by key (None: not known here)."""
        if key not in self.worker_id:
            self.load_workers([key])
        return self.worker_id.get(key)

    def employer(self, uscc: str) -> int | None:
        """The local id of an employer by credit code (None: not known here)."""
        if uscc not in self.employer_id:
            eid = self.conn.execute(select(Employer.id).where(Employer.uscc == uscc)).scalar()
            if eid is None:
                return None
            self.employer_id[uscc] = eid
            self.employer_key[eid] = uscc
        return self.employer_id[uscc]


def data_of(spec: TableSpec, obj: Any, keys: Keys) -> dict[str, Any]:
    """A local ORM row as change data."""
    out: dict[str, Any] = {}
    for f in spec.fields:
        if f.kind == "worker":
            out[f.name] = keys.of_worker(obj.worker_id)
        elif f.kind == "employer":
            out[f.name] = keys.of_employer(obj.employer_id)
        else:
            out[f.name] = _plain(f.kind, getattr(obj, f.name))
    return out


def data_of_row(spec: TableSpec, row: Mapping[str, Any], worker: str, employer: str | None) -> dict[str, Any]:
    """A row as inserted in bulk (money already in fen) as change data."""
    out: dict[str, Any] = {}
    for f in spec.fields:
        if f.kind == "worker":
            out[f.name] = worker
        elif f.kind == "employer":
            out[f.name] = employer
        else:
            out[f.name] = _plain(f.kind, row[f.name])
    return out


class MissingReference(LookupError):
    """Change data names a person or employer this office does not know."""

    def __init__(self, kind: str, key: str) -> None:
        super().__init__(f"{kind} {key}")
        self.kind, self.key = kind, key


# The JSON types a field's value may have as it travels (None aside).
_PLAIN_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,), "int": (int,), "money": (int,), "date": (str,), "datetime": (str,), "bool": (bool,),
    "worker": (str,), "employer": (str,)}


def checked(spec: TableSpec, f: Field, value: Any) -> Any:
    """A field's value as it travels, checked: its JSON type, a real date or time, and present
    unless its column may be empty. Raises ValueError naming the field otherwise."""
    if value is None:
        if f.name in spec.required:
            raise ValueError(f"{spec.name}.{f.name}: missing")
        return None
    if type(value) not in _PLAIN_TYPES[f.kind]:
        raise ValueError(f"{spec.name}.{f.name}: {type(value).__name__} where {f.kind} is expected")
    if f.kind == "date":
        dt.date.fromisoformat(value)
    elif f.kind == "datetime":
        dt.datetime.fromisoformat(value)
    return value


def values_of(spec: TableSpec, data: Mapping[str, Any], keys: Keys) -> dict[str, Any]:
    """Change data as model attribute values for this office (references resolved to local ids).

    A field the data lacks (a file from an older version) takes the field's default. A value of
    the wrong kind raises ValueError (see `checked`).
    """
    out: dict[str, Any] = {}
    for f in spec.fields:
        value = checked(spec, f, data.get(f.name, f.default))
        if f.kind == "worker":
            wid = keys.worker(str(value))
            if wid is None:
                raise MissingReference("worker", str(value))
            out["worker_id"] = wid
        elif f.kind == "employer":
            eid = keys.employer(str(value))
            if eid is None:
                raise MissingReference("employer", str(value))
            out["employer_id"] = eid
        else:
            out[f.name] = _stored(f.kind, value)
    return out


def local_row(s: Session, spec: TableSpec, local: int) -> Any:
    """The row of a local id loaded to be changed in the session (a contribution line through
    `line_store`, which alone finds lines by id), or None."""
    if spec.name == line_store.TABLE:
        return line_store.get(s, local)
    return s.get(spec.model, local)


def find_local(conn: Connection, spec: TableSpec, data: Mapping[str, Any], keys: Keys) -> int | None:
    """The local row id of the record the data is about, or None."""
    m: Any = spec.model
    if spec.name == "employer":
        return keys.employer(str(data["uscc"]))
    if spec.name == "worker":
        return keys.worker(record_key(spec, data))
    if spec.name == "transfer_case":
        return conn.execute(select(m.id).where(m.number == data["number"])).scalar()
    wid = keys.worker(str(data["worker"]))
    if wid is None:
        return None
    if spec.name == "opening_entry":
        return conn.execute(select(m.id).where(
            m.worker_id == wid, m.kind == data["kind"], m.region == data["region"],
            m.first_month == int(data["first_month"]))).scalar()
    if spec.name == "carried_period":
        return conn.execute(select(m.id).where(
            m.worker_id == wid, m.scheme == data["scheme"], m.region == data["region"],
            m.first_month == int(data["first_month"]))).scalar()
    if spec.name == "unemployment_claim":
        return conn.execute(select(m.id).where(
            m.worker_id == wid, m.claimed_on == dt.date.fromisoformat(str(data["claimed_on"])))).scalar()
    if spec.name == "temporary_account":
        return conn.execute(select(m.id).where(
            m.worker_id == wid, m.region == data["region"],
            m.opened_on == dt.date.fromisoformat(str(data["opened_on"])))).scalar()
    if spec.name in ("scheme_switch", "pension_determination"):
        return conn.execute(select(m.id).where(m.worker_id == wid)).scalar()
    if spec.name == "back_payment_document":
        return conn.execute(select(m.id).where(
            m.worker_id == wid, m.paid_on == dt.date.fromisoformat(str(data["paid_on"])),
            m.number == data["number"])).scalar()
    if spec.name == line_store.TABLE:
        eid = keys.employer(str(data["employer"]))
        if eid is None:
            return None
        return line_store.id_of(conn, wid, eid, int(data["month"]), str(data["scheme"]))
    return conn.execute(select(m.id).where(m.worker_id == wid, m.scheme == data["scheme"],
                                           m.year == int(data["year"]))).scalar()
