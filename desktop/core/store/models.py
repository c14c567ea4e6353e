"""The database schema as SQLAlchemy 2 typed models. Money is stored as whole fen."""

from __future__ import annotations

import datetime as dt
from abc import abstractmethod
from collections.abc import Sequence
from decimal import Decimal
from types import MappingProxyType
from typing import Any, ClassVar

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

FEN_PER_YUAN = 100


class Money(TypeDecorator[Decimal]):
    """Decimal yuan in Python, an exact integer number of fen in the database."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> int | None:
        if value is None:
            return None
        return int(Decimal(value).scaleb(2).to_integral_exact())

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        if value is None:
            return None
        return Decimal(int(value)).scaleb(-2)

    def from_stored(self, values: Sequence[Any]) -> list[Decimal | None]:
        """A column of fen as the database gives them, as yuan (`process_result_value` of each)."""
        try:
            return [Decimal(int(v)).scaleb(-2) for v in values]
        except TypeError:  # none among them
            return [None if v is None else Decimal(int(v)).scaleb(-2) for v in values]


class Rate(TypeDecorator[Decimal]):
    """A Decimal fraction stored as its exact text."""

    impl = String(16)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        return str(Decimal(value).normalize())

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        if value is None:
            return None
        return Decimal(value)


class Compact(TypeDecorator[Any]):
    """A column SQLite keeps as a small whole number, other databases as their declared type; its
    values come back as they went in. Its declared type in SQLite is INTEGER, so that SQLite keeps
    the number as a number (a TEXT column would turn it back into text). Paths that write or read
    stored values through the driver use `to_stored` and `from_stored`, column by column (SQLite
    only)."""

    impl: Any = String(20)  # elsewhere
    cache_ok = True

    def load_dialect_impl(self, dialect: Any) -> Any:
        return dialect.type_descriptor(Integer() if dialect.name == "sqlite" else self.impl_instance)

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        if value is None or dialect.name != "sqlite":
            return value
        return self.to_stored([value])[0]

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        if value is None or dialect.name != "sqlite":
            return value
        return self.from_stored([value])[0]

    @abstractmethod
    def to_stored(self, values: Sequence[Any]) -> list[Any]:
        """Values as SQLite keeps them here (each kind of column says how)."""

    @abstractmethod
    def from_stored(self, values: Sequence[Any]) -> list[Any]:
        """Values as SQLite keeps them here, back as they went in (each kind of column says how)."""


def rows_from_stored(rows: Sequence[Sequence[Any]], compact: Sequence[tuple[int, Compact]]) -> list[tuple[Any, ...]]:
    """Rows read from SQLite through the driver with the columns at these places (kept small by
    these types) back as they went in, column by column."""
    if not rows or not compact:
        return [tuple(r) for r in rows]
    columns: list[Any] = list(zip(*rows, strict=True))
    for i, kind in compact:
        columns[i] = kind.from_stored(columns[i])
    return list(zip(*columns, strict=True))


class Coded(Compact):
    """Text from a short list fixed by the schema, kept in SQLite as its place in the list (one
    byte; the first two places take none). Text not in the list is kept as text, unless SQLite could
    take it for a number (then it is refused: it would read back as another value). A list only
    grows at its end: a stored place never changes its meaning (migration 0021 holds the lists as
    it fixed them)."""

    cache_ok = True  # (not inherited)

    NAMES: ClassVar[tuple[str, ...]] = ()
    CODES: ClassVar[dict[str, int]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.CODES = {name: i for i, name in enumerate(cls.NAMES)}

    def to_stored(self, values: Sequence[Any]) -> list[Any]:
        codes = list(map(self.CODES.get, values))
        if None not in codes:
            return codes
        out: list[Any] = []
        for value, code in zip(values, codes, strict=True):
            if code is None and value is not None and (not isinstance(value, str) or _numeric(value)):
                raise ValueError(f"{value!r} cannot be kept in a coded column")
            out.append(value if code is None else code)
        return out

    def from_stored(self, values: Sequence[Any]) -> list[Any]:
        names = self.NAMES
        try:
            return list(map(names.__getitem__, values))
        except TypeError:  # text kept as text, or none
            return [names[v] if type(v) is int else v for v in values]


def _numeric(text: str) -> bool:
    """Whether SQLite could take this text for a number in an INTEGER column (made of nothing but
    digits, signs, points, exponents and spaces)."""
    return text != "" and not text.strip("0123456789.eE+- ")


class SchemeCode(Coded):
    """A contribution line's scheme (resources/schemes.csv ids), in the order of their names, so
    that lines ordered by scheme are ordered as their names are (a scheme added later goes at the
    end, and orders after these)."""

    cache_ok = True  # (not inherited)

    NAMES = ("injury", "maternity", "medical", "pension", "resident_medical", "resident_pension",
             "unemployment")


class KindCode(Coded):
    """How a contribution line was paid."""

    cache_ok = True  # (not inherited)

    impl = String(12)
    NAMES = ("regular", "back_payment", "lump_sum", "flexible")


class StatusCode(Coded):
    """Whether a contribution line is paid."""

    cache_ok = True  # (not inherited)

    impl = String(8)
    NAMES = ("paid", "arrears", "exempt")


class RegionCode(Compact):
    """A six-digit region code, kept in SQLite as the number it spells (3 bytes instead of 6);
    anything else is kept as text."""

    cache_ok = True  # (not inherited)

    impl = String(6)

    def to_stored(self, values: Sequence[Any]) -> list[Any]:
        if all(type(v) is str and len(v) == 6 for v in values):
            joined = "".join(values)
            if joined.isascii() and joined.isdigit():
                return list(map(int, values))
        out: list[Any] = []
        for v in values:
            if isinstance(v, str) and len(v) == 6 and v.isascii() and v.isdigit():
                out.append(int(v))
            elif v is None or (isinstance(v, str) and not _numeric(v)):
                out.append(v)
            else:
                raise ValueError(f"{v!r} cannot be kept as a region code")
        return out

    def from_stored(self, values: Sequence[Any]) -> list[Any]:
        return [f"{v:06d}" if type(v) is int else v for v in values]


class Day(Compact):
    """A date, kept in SQLite as its day number (`date.toordinal`: 3 bytes instead of 10 of text);
    text SQLite kept before (ISO) still reads."""

    cache_ok = True  # (not inherited)

    impl = Date

    def to_stored(self, values: Sequence[Any]) -> list[Any]:
        try:
            return list(map(dt.date.toordinal, values))
        except TypeError:
            return [None if v is None else dt.date.toordinal(v) for v in values]

    def from_stored(self, values: Sequence[Any]) -> list[Any]:
        try:
            return list(map(dt.date.fromordinal, values))
        except TypeError:
            return [v if v is None else dt.date.fromordinal(v) if type(v) is int
                    else dt.date.fromisoformat(str(v)[:10]) for v in values]


def compact_columns(table: str) -> dict[str, Compact]:
    """The columns of a table kept small in SQLite, by name, with their types."""
    return {c.name: c.type for c in Base.metadata.tables[table].columns if isinstance(c.type, Compact)}


NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with stable constraint names (needed for migrations)."""

    metadata = MetaData(naming_convention=NAMING)


class Office(Base):
    """This database's office: its code, name, pooling region and signing key pair."""

    __tablename__ = "office"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    region: Mapped[str] = mapped_column(String(6))
    public_key: Mapped[str] = mapped_column(Text)
    private_key: Mapped[str | None] = mapped_column(Text)  # none: kept in the key store (desktop/core/keystore)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    enc_public_key: Mapped[str | None] = mapped_column(Text)  # X25519, for sync files sent here
    enc_private_key: Mapped[str | None] = mapped_column(Text)


class Employer(Base):
    """An employer (用人单位) by unified social credit code."""

    __tablename__ = "employer"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    region: Mapped[str] = mapped_column(String(6))
    risk_class: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Worker(Base):
    """An insured person: a citizen by ID number, or a foreign national by passport."""

    __tablename__ = "worker"
    __table_args__ = (UniqueConstraint("nationality", "passport"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    id_number: Mapped[str | None] = mapped_column(String(18), unique=True)
    ssn: Mapped[str] = mapped_column(String(20), unique=True)
    nationality: Mapped[str] = mapped_column(String(2))
    passport: Mapped[str | None] = mapped_column(String(20), index=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    initials: Mapped[str] = mapped_column(String(100), index=True)
    sex: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[dt.date] = mapped_column(Date)
    hukou_region: Mapped[str | None] = mapped_column(String(6))
    hukou_type: Mapped[str | None] = mapped_column(String(5))
    phone: Mapped[str | None] = mapped_column(String(30))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    # The pooling region holding the pension relationship (None: never moved; the collecting region).
    insured_region: Mapped[str | None] = mapped_column(String(6))
    pension_since: Mapped[dt.date | None] = mapped_column(Date)  # drawing a pension since
    # the original statutory retirement age group: 60 (men), 55 (women cadres, women flexible
    # workers), 50 (women workers); empty: men 60, women 50
    retirement_group: Mapped[str | None] = mapped_column(String(2))


class RateOverride(Base):
    """A contribution rate the office set for a region and period (overrides resources/rates.csv)."""

    __tablename__ = "rate_override"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region: Mapped[str] = mapped_column(String(6))
    scheme: Mapped[str] = mapped_column(String(20))
    from_month: Mapped[int] = mapped_column(Integer)
    to_month: Mapped[int | None] = mapped_column(Integer)
    employer: Mapped[Decimal] = mapped_column(Rate)
    employee: Mapped[Decimal] = mapped_column(Rate)
    account: Mapped[Decimal | None] = mapped_column(Rate)
    risk_class: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class LimitOverride(Base):
    """Base floor and ceiling ratios the office set for a region and period."""

    __tablename__ = "limit_override"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region: Mapped[str] = mapped_column(String(6))
    from_month: Mapped[int] = mapped_column(Integer)
    to_month: Mapped[int | None] = mapped_column(Integer)
    floor: Mapped[Decimal] = mapped_column(Rate)
    ceiling: Mapped[Decimal] = mapped_column(Rate)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class AverageWage(Base):
    """The previous-year average monthly wage used for base limits in a year, per region."""

    __tablename__ = "average_wage"
    __table_args__ = (UniqueConstraint("region", "year"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region: Mapped[str] = mapped_column(String(6))
    year: Mapped[int] = mapped_column(Integer)
    monthly: Mapped[Decimal] = mapped_column(Money)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class InterestOverride(Base):
    """An individual-account crediting rate the office set for a year."""

    __tablename__ = "interest_override"
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    rate: Mapped[Decimal] = mapped_column(Rate)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class ImportBatch(Base):
    """One imported employer declaration file."""

    __tablename__ = "import_batch"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(400))
    rows: Mapped[int] = mapped_column(Integer)
    recorded: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Contribution(Base):
    """One scheme's contribution of one person for one month, as collected by a region."""

    __tablename__ = "contribution"
    __table_args__ = (UniqueConstraint("worker_id", "month", "scheme", "employer_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"))
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"))
    region: Mapped[str] = mapped_column(RegionCode)
    month: Mapped[int] = mapped_column(Integer)
    scheme: Mapped[str] = mapped_column(SchemeCode)
    wage: Mapped[Decimal] = mapped_column(Money)
    base: Mapped[Decimal] = mapped_column(Money)
    employer_amount: Mapped[Decimal] = mapped_column(Money)
    employee_amount: Mapped[Decimal] = mapped_column(Money)
    account_amount: Mapped[Decimal] = mapped_column(Money)
    kind: Mapped[str] = mapped_column(KindCode)  # regular | back_payment | lump_sum (一次性补缴) | flexible
    status: Mapped[str] = mapped_column(StatusCode)  # paid | arrears | exempt
    recorded_on: Mapped[dt.date] = mapped_column(Day)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))
    exemption_id: Mapped[int | None] = mapped_column(Integer)  # inbound_exemption.id when status = exempt

    # The session knows a line by its id and its key: a line it changes is written with both in the
    # WHERE (found through the unique key whatever holds the lines), while the table's primary key,
    # and so the row id in the audit trail and the sync log, stays the id (`audit.row_key`).
    # (SQLite counts no deleted row of a view: `engine.make_engine`.)
    __mapper_args__ = MappingProxyType({"primary_key": (id, worker_id, employer_id, month, scheme),
                                        "confirm_deleted_rows": False})


class ResidentContribution(Base):
    """A yearly contribution to a residents' scheme: the chosen grade and the subsidy."""

    __tablename__ = "resident_contribution"
    __table_args__ = (UniqueConstraint("worker_id", "scheme", "year"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"))
    scheme: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    region: Mapped[str] = mapped_column(String(6))
    personal: Mapped[Decimal] = mapped_column(Money)
    subsidy: Mapped[Decimal] = mapped_column(Money)
    recorded_on: Mapped[dt.date] = mapped_column(Date)


class Document(Base):
    """An issued document: its number, what it states (for reprints) and its verification code."""

    __tablename__ = "document"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    number: Mapped[str] = mapped_column(String(40), unique=True)
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("worker.id"), index=True)
    form_id: Mapped[str] = mapped_column(String(60))
    form_version: Mapped[str] = mapped_column(String(20))
    issued_on: Mapped[dt.date] = mapped_column(Date)
    data_json: Mapped[str] = mapped_column(Text)
    code: Mapped[str] = mapped_column(Text)
    prints: Mapped[int] = mapped_column(Integer)
    voided_on: Mapped[dt.date | None] = mapped_column(Date)
    void_reason: Mapped[str | None] = mapped_column(String(400))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class TrustedOffice(Base):
    """Another office whose public identity this office trusts (documents, sync files)."""

    __tablename__ = "trusted_office"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    region: Mapped[str] = mapped_column(String(6))
    public_key: Mapped[str] = mapped_column(Text)
    trusted_at: Mapped[dt.datetime] = mapped_column(DateTime)
    enc_public_key: Mapped[str | None] = mapped_column(Text)


class OfficeKey(Base):
    """One public key of this office or of a trusted office, over time: when it became valid, when
    a newer key replaced it, and from when documents signed by it are not to be trusted. Every key
    after an office's first came with an announcement signed by the key before it."""

    __tablename__ = "office_key"
    key_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    office_code: Mapped[str] = mapped_column(String(20), index=True)
    purpose: Mapped[str] = mapped_column(String(8))  # sign | encrypt
    public_key: Mapped[str] = mapped_column(Text)
    valid_from: Mapped[dt.datetime] = mapped_column(DateTime)
    retired_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    announcement: Mapped[str | None] = mapped_column(Text)  # canonical JSON; None for a first key
    signature: Mapped[str | None] = mapped_column(Text)  # by the previous signing key (base64)
    countersignature: Mapped[str | None] = mapped_column(Text)  # by the new signing key (base64)
    revocation: Mapped[str | None] = mapped_column(Text)  # the revoke announcement (canonical JSON)
    revocation_signature: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class AgreementOverride(Base):
    """An office's correction of one value of an agreement, with who made it, when and why."""

    __tablename__ = "agreement_override"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    country: Mapped[str] = mapped_column(String(2), index=True)
    field: Mapped[str] = mapped_column(String(40))
    value_json: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(400))
    changed_by: Mapped[str] = mapped_column(String(100))
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime)


class CoverageCertificate(Base):
    """A certificate of coverage issued for a worker posted abroad (outbound)."""

    __tablename__ = "coverage_certificate"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"), index=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"))
    country: Mapped[str] = mapped_column(String(2))
    host_employer: Mapped[str] = mapped_column(String(200))
    schemes: Mapped[str] = mapped_column(String(200))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date] = mapped_column(Date)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    withdrawn_on: Mapped[dt.date | None] = mapped_column(Date)
    withdraw_reason: Mapped[str | None] = mapped_column(String(400))
    self_employed: Mapped[bool] = mapped_column(Boolean)
    extends_id: Mapped[int | None] = mapped_column(ForeignKey("coverage_certificate.id"))
    special: Mapped[bool] = mapped_column(Boolean)
    issued_on: Mapped[dt.date] = mapped_column(Date)


class InboundExemption(Base):
    """A foreign worker's home-country certificate: listed schemes are not charged in the period."""

    __tablename__ = "inbound_exemption"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"), index=True)
    country: Mapped[str] = mapped_column(String(2))
    certificate: Mapped[str] = mapped_column(String(60))
    schemes: Mapped[str] = mapped_column(String(200))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date] = mapped_column(Date)
    recorded_on: Mapped[dt.date] = mapped_column(Date)


class UserAccount(Base):
    """A clerk, supervisor or administrator who signs in; the password only as a scrypt hash."""

    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    role: Mapped[str] = mapped_column(String(12))  # clerk | supervisor | admin
    password_hash: Mapped[str] = mapped_column(String(200))
    must_change: Mapped[bool] = mapped_column(Boolean)
    active: Mapped[bool] = mapped_column(Boolean)
    failed_attempts: Mapped[int] = mapped_column(Integer)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_sign_in: Mapped[dt.datetime | None] = mapped_column(DateTime)
    password_changed_at: Mapped[dt.datetime] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class PersonView(Base):
    """Who looked at a person's record, when, where and how (view, print, export): the log the
    personal information protection law expects. Not in the hash-chained audit trail and not synced
    (README, "Who viewed a record")."""

    __tablename__ = "person_view"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    actor: Mapped[str] = mapped_column(String(60), index=True)
    role: Mapped[str] = mapped_column(String(12))
    counter: Mapped[str] = mapped_column(String(100))
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"), index=True)
    what: Mapped[str] = mapped_column(String(12))  # view | print | export
    detail: Mapped[str] = mapped_column(String(200))  # which page, document or file kind


class AuditEntry(Base):
    """One change in the audit trail: who, when, where, what before and after; hash-chained."""

    __tablename__ = "audit_entry"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    actor: Mapped[str] = mapped_column(String(60), index=True)
    role: Mapped[str] = mapped_column(String(12))
    counter: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(20))  # insert | update | delete | bulk_insert | event
    table_name: Mapped[str] = mapped_column(String(60))
    row_id: Mapped[str | None] = mapped_column(String(40))
    worker_id: Mapped[int | None] = mapped_column(Integer, index=True)
    before_json: Mapped[str | None] = mapped_column(Text)
    after_json: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The newest entry of the audit chain (one row), so that a removed last entry is noticed."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))


class AuditSeenHead(Base):
    """An audit head of another office (or of this one, in a backup) as this office saw it: the
    sender's head in each sync file it imported, the head in each backup it checked."""

    __tablename__ = "audit_seen_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    office_code: Mapped[str] = mapped_column(String(20), index=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
    seen_at: Mapped[dt.datetime] = mapped_column(DateTime)
    source: Mapped[str] = mapped_column(String(10))  # sync | backup


class AuditAttestedHead(Base):
    """A head of THIS office's audit trail that another office says it saw (from its sync files):
    our chain must still hold that entry with that hash."""

    __tablename__ = "audit_attested_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    by_office: Mapped[str] = mapped_column(String(20), index=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[dt.datetime] = mapped_column(DateTime)


class PendingAction(Base):
    """An action a clerk asked for that waits for a supervisor's approval (or refusal)."""

    __tablename__ = "pending_action"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    target: Mapped[str] = mapped_column(String(120))
    params_json: Mapped[str] = mapped_column(Text)
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("worker.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), index=True)  # pending | approved | refused
    requested_by: Mapped[str] = mapped_column(String(60))
    requested_at: Mapped[dt.datetime] = mapped_column(DateTime)
    counter: Mapped[str] = mapped_column(String(100))
    decided_by: Mapped[str | None] = mapped_column(String(60))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    decision_note: Mapped[str | None] = mapped_column(String(400))
    result_json: Mapped[str | None] = mapped_column(Text)


class SyncState(Base):
    """This office's sync clocks (one row): Lamport clock, own change sequence, sealed up to."""

    __tablename__ = "sync_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lamport: Mapped[int] = mapped_column(BigInteger)
    own_seq: Mapped[int] = mapped_column(BigInteger)
    sealed_seq: Mapped[int] = mapped_column(BigInteger)
    baseline_done: Mapped[bool] = mapped_column(Boolean)


class SyncChange(Base):
    """One change of one record, made here or at another office: the record's state after it.

    Kept small (see `desktop.core.sync.stored`): the table as a number, the key only when the data
    does not name it, the data compressed (`stored.pack_data`), the time as a number; found by a
    digest of table and key. The change of a contribution line inserted in bulk (a declaration, or
    another office's new lines) keeps no data until the line changes, only its row id (`ref`): the
    row is the data. Such changes one after another, of rows one after another, are one row of the
    log (a run: `run` changes from `seq`, of the rows from `ref`), found by their rows' ids.
    """

    __tablename__ = "sync_change"
    __table_args__ = (Index("ix_sync_change_khash", "khash"),
                      Index("ix_sync_change_ref", "tbl", "ref", sqlite_where=text("ref IS NOT NULL"),
                            postgresql_where=text("ref IS NOT NULL")),
                      {"sqlite_with_rowid": False})
    origin: Mapped[str] = mapped_column(String(20), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    lamport: Mapped[int] = mapped_column(BigInteger)
    tbl: Mapped[int] = mapped_column(SmallInteger)  # stored.TABLE_CODES
    khash: Mapped[int] = mapped_column(BigInteger)  # stored.key_hash(table, key)
    key: Mapped[str | None] = mapped_column(String(200))  # only when the data does not name it
    base: Mapped[str | None] = mapped_column(String(40))  # "origin:seq" of the version it replaced
    data: Mapped[bytes] = mapped_column(LargeBinary)  # stored.pack_data
    at_us: Mapped[int | None] = mapped_column(BigInteger)  # microseconds since 1970, or
    at: Mapped[str | None] = mapped_column(String(40))  # the time's text when no number gives it back
    ref: Mapped[int | None] = mapped_column(BigInteger)  # the row that holds the data (data then empty)
    run: Mapped[int | None] = mapped_column(Integer)  # with ref: changes seq.. of rows ref.., this many


class SyncSegment(Base):
    """A run of one origin's changes sealed with its signature (kept to relay them unchanged)."""

    __tablename__ = "sync_segment"
    __table_args__ = (UniqueConstraint("origin", "first_seq"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    origin: Mapped[str] = mapped_column(String(20))
    first_seq: Mapped[int] = mapped_column(BigInteger)
    last_seq: Mapped[int] = mapped_column(BigInteger)
    digest: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(128))
    sealed_at: Mapped[str] = mapped_column(String(26))


class SyncPeer(Base):
    """What is known of another office: changes applied from it, what it has of ours, last files."""

    __tablename__ = "sync_peer"
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    applied_seq: Mapped[int] = mapped_column(BigInteger)
    has_json: Mapped[str] = mapped_column(Text)  # {origin: seq} the office has (told or sent)
    last_import_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_export_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class SyncHeld(Base):
    """A verified segment that arrived before the changes preceding it: applied when the gap fills."""

    __tablename__ = "sync_held"
    __table_args__ = (UniqueConstraint("origin", "first_seq"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    origin: Mapped[str] = mapped_column(String(20))
    first_seq: Mapped[int] = mapped_column(BigInteger)
    last_seq: Mapped[int] = mapped_column(BigInteger)
    body: Mapped[str] = mapped_column(Text)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime)


class SyncConflict(Base):
    """Two edits of one record made at two offices between syncs: the losing one, for review."""

    __tablename__ = "sync_conflict"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tbl: Mapped[str] = mapped_column(String(30))
    key: Mapped[str] = mapped_column(String(200))
    winner: Mapped[str] = mapped_column(String(40))
    loser: Mapped[str] = mapped_column(String(40))
    winner_data: Mapped[str] = mapped_column(Text)
    loser_data: Mapped[str] = mapped_column(Text)
    detected_at: Mapped[dt.datetime] = mapped_column(DateTime)
    reviewed_by: Mapped[str | None] = mapped_column(String(60))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    resolution: Mapped[str | None] = mapped_column(String(20))


class SyncFile(Base):
    """A sync file made or read here (the register behind "last sync per office")."""

    __tablename__ = "sync_file"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    direction: Mapped[str] = mapped_column(String(3))  # in | out
    peer: Mapped[str] = mapped_column(String(200))
    changes: Mapped[int] = mapped_column(Integer)
    applied: Mapped[int] = mapped_column(Integer)
    at: Mapped[dt.datetime] = mapped_column(DateTime)


class ProgramRelease(Base):
    """Each version of the program that has opened this database, and when it first did: a version
    older than the newest here refuses the database (a downgrade), whatever the schema says."""

    __tablename__ = "program_release"
    version: Mapped[str] = mapped_column(String(20), primary_key=True)
    first_opened: Mapped[dt.datetime] = mapped_column(DateTime)


class OfficeSetting(Base):
    """A setting of this office's installation (e.g. the sync outbox folder)."""

    __tablename__ = "office_setting"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class TransferCase(Base):
    """A pension transfer between pooling regions, from application to receipt."""

    __tablename__ = "transfer_case"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"), index=True)
    from_region: Mapped[str] = mapped_column(String(6))
    to_region: Mapped[str] = mapped_column(String(6))
    from_office: Mapped[str | None] = mapped_column(String(20))
    to_office: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(8))  # sync | paper
    status: Mapped[str] = mapped_column(String(12), index=True)  # requested | settled | received
    temporary: Mapped[bool] = mapped_column(Boolean)
    applied_on: Mapped[dt.date] = mapped_column(Date)
    letter_number: Mapped[str] = mapped_column(String(40))
    letter_json: Mapped[str] = mapped_column(Text)
    settled_on: Mapped[dt.date | None] = mapped_column(Date)
    table_number: Mapped[str | None] = mapped_column(String(40))
    table_json: Mapped[str | None] = mapped_column(Text)
    account: Mapped[Decimal | None] = mapped_column(Money)
    pooling: Mapped[Decimal | None] = mapped_column(Money)
    total: Mapped[Decimal | None] = mapped_column(Money)
    received_on: Mapped[dt.date | None] = mapped_column(Date)
    received_amount: Mapped[Decimal | None] = mapped_column(Money)
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    due_estimated: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    # transfer: funds move between pooling units | registration: a move inside one pooling unit
    kind: Mapped[str] = mapped_column(String(12), default="transfer", server_default="transfer")


class OpeningEntry(Base):
    """A period from the person's old paper file (建账前历史), entered with the document it comes from.

    kind deemed: deemed contribution years (视同缴费年限) where the person worked then; kind pre1998:
    months actually paid before the individual account (from 1992 or the local start) with their
    average monthly base, and optionally the account balance at 1997-12-31. held_region: the office
    region that holds the entry (it moves with the person's record when a transfer is settled).
    """

    __tablename__ = "opening_entry"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # deemed | pre1998
    region: Mapped[str] = mapped_column(String(6))
    first_month: Mapped[int] = mapped_column(Integer)
    last_month: Mapped[int] = mapped_column(Integer)
    months: Mapped[int] = mapped_column(Integer)
    base: Mapped[Decimal | None] = mapped_column(Money)
    balance: Mapped[Decimal | None] = mapped_column(Money)
    document: Mapped[str] = mapped_column(String(400))
    held_region: Mapped[str] = mapped_column(String(6))
    entered_on: Mapped[dt.date] = mapped_column(Date)
    entered_by: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    voided_on: Mapped[dt.date | None] = mapped_column(Date)  # taken back, entered by mistake (kept: it travels)
    void_reason: Mapped[str | None] = mapped_column(String(400))


class CarriedPeriod(Base):
    """Medical or unemployment insured time from another region, typed in from its certificate
    (医保发〔2021〕43号 for medical insurance; 失业保险条例 for unemployment insurance)."""

    __tablename__ = "carried_period"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"), index=True)
    scheme: Mapped[str] = mapped_column(String(20))  # medical | unemployment
    region: Mapped[str] = mapped_column(String(6))
    first_month: Mapped[int] = mapped_column(Integer)
    last_month: Mapped[int] = mapped_column(Integer)
    months: Mapped[int] = mapped_column(Integer)
    document: Mapped[str] = mapped_column(String(400))
    entered_on: Mapped[dt.date] = mapped_column(Date)
    entered_by: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class UnemploymentClaim(Base):
    """A claim for unemployment benefit: the insured time before it no longer counts for the next one
    (失业保险条例 第十七条: 重新就业后再次失业的，缴费时间重新计算)."""

    __tablename__ = "unemployment_claim"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"), index=True)
    claimed_on: Mapped[dt.date] = mapped_column(Date)
    region: Mapped[str] = mapped_column(String(6))
    insured_months: Mapped[int] = mapped_column(Integer)
    benefit_months: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class BackPaymentDocument(Base):
    """The document behind a lump-sum back payment of three years or more (人社厅发〔2019〕94号).

    paid_on: the day the back payment was recorded; the document must be dated before it.
    """

    __tablename__ = "back_payment_document"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"), index=True)
    paid_on: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(12))  # court | audit | inspection | arbitration | undertaking
    issuer: Mapped[str] = mapped_column(String(200))
    number: Mapped[str] = mapped_column(String(100))
    issued_on: Mapped[dt.date] = mapped_column(Date)
    entered_by: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class TemporaryAccount(Base):
    """A temporary pension contribution account (临时基本养老保险缴费账户) held at region.

    Opened for a man of 50+ or a woman of 40+ whose new insured place is outside the hukou province
    (国办发〔2009〕66号 第五条, 人社部规〔2016〕5号): the relationship stays at relationship_region;
    every month paid here from first_month goes in whole (employer and employee, with interest).
    Sealed (封存) where it is on the next cross-province move; gathered by the office holding the
    relationship when the person reaches pension conditions (a transfer case of kind "gather").
    """

    __tablename__ = "temporary_account"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"), index=True)
    region: Mapped[str] = mapped_column(String(6))
    relationship_region: Mapped[str] = mapped_column(String(6))
    opened_on: Mapped[dt.date] = mapped_column(Date)
    first_month: Mapped[int] = mapped_column(Integer)
    age: Mapped[int] = mapped_column(Integer)
    age_limit: Mapped[int] = mapped_column(Integer)
    opened_by: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    sealed_on: Mapped[dt.date | None] = mapped_column(Date)
    sealed_to: Mapped[str | None] = mapped_column(String(6))  # the region the person left for
    sealed_document: Mapped[str | None] = mapped_column(String(40))


class SchemeSwitch(Base):
    """A move between the employees' and the residents' pension at retirement age (人社部发〔2014〕17号).

    direction to_resident: under 15 employee years; the individual account moves, the years merge.
    to_employee: 15 years or more; the residents' account moves, its years do not count. Overlapping
    months count once, as employee time; the residents' personal contribution for them is refunded
    (refund, per year in refunds_json). One per person: no double pension.
    """

    __tablename__ = "scheme_switch"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"), unique=True)
    direction: Mapped[str] = mapped_column(String(12))  # to_resident | to_employee
    decided_on: Mapped[dt.date] = mapped_column(Date)
    region: Mapped[str] = mapped_column(String(6))
    retirement_on: Mapped[dt.date] = mapped_column(Date)
    employee_months: Mapped[int] = mapped_column(Integer)
    resident_years: Mapped[int] = mapped_column(Integer)
    overlap_months: Mapped[int] = mapped_column(Integer)
    counted_months: Mapped[int] = mapped_column(Integer)
    account_moved: Mapped[Decimal] = mapped_column(Money)
    refund: Mapped[Decimal] = mapped_column(Money)
    refunds_json: Mapped[str] = mapped_column(Text)
    notice_number: Mapped[str | None] = mapped_column(String(40))
    decided_by: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class PensionDetermination(Base):
    """A person's basic pension as determined at the pension place (基本养老金核定, 国发〔2005〕38号).

    The first monthly pension by component on the record as held on the day decided; average_index
    and divisor as printed (text, exact). One per person: the person draws a pension from starts_on.
    """

    __tablename__ = "pension_determination"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"), unique=True)
    region: Mapped[str] = mapped_column(String(6))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    first_month: Mapped[int] = mapped_column(Integer)  # YYYYMM of the first monthly payment
    age_months: Mapped[int] = mapped_column(Integer)
    months_counted: Mapped[int] = mapped_column(Integer)
    transitional_months: Mapped[int] = mapped_column(Integer)
    calc_base: Mapped[Decimal] = mapped_column(Money)
    average_index: Mapped[str] = mapped_column(String(12))
    indexed_wage: Mapped[Decimal] = mapped_column(Money)
    basic: Mapped[Decimal] = mapped_column(Money)
    account_balance: Mapped[Decimal] = mapped_column(Money)
    divisor: Mapped[str] = mapped_column(String(12))
    account_pension: Mapped[Decimal] = mapped_column(Money)
    transitional: Mapped[Decimal] = mapped_column(Money)
    total: Mapped[Decimal] = mapped_column(Money)
    document_number: Mapped[str | None] = mapped_column(String(40))
    decided_on: Mapped[dt.date] = mapped_column(Date)
    requested_by: Mapped[str] = mapped_column(String(60))
    decided_by: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Enrolment(Base):
    """参保登记: a person enrolled with an employer from a month in the listed employees' schemes.

    Written with the person's registration (one transaction); the newest row is where the person is
    insured now, which the counter offers when the next month is recorded. Kept at this office (the
    months recorded are what travels between offices)."""

    __tablename__ = "enrolment"
    __table_args__ = (UniqueConstraint("worker_id", "employer_id", "start_month"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker.id"), index=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"))
    start_month: Mapped[int] = mapped_column(Integer)  # YYYYMM
    schemes: Mapped[str] = mapped_column(String(200))  # scheme ids, comma-separated
    recorded_on: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
