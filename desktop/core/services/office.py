"""The office's identity and its reference values (average wages, rates, limits, crediting rates)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from desktop.core import keyhistory
from desktop.core.csvsafe import refuse_formula
from desktop.core.errors import Conflict, IntegrityFailure, InvalidInput, RefusedByRule
from desktop.core.keys import (
    KeySigner,
    as_decryption_key,
    as_signer,
    keep_encryption_key,
    keep_new_keys,
    key_id,
)
from desktop.core.money import parse_amount, parse_rate
from desktop.core.month import Month, parse_date
from desktop.core.refdata import Reference, schemes
from desktop.core.regions import name_of, province_of, validate_region
from desktop.core.security import ADMIN
from desktop.core.store.models import (
    AverageWage,
    InterestOverride,
    LimitOverride,
    Office,
    OfficeSetting,
    RateOverride,
)
from desktop.core.strict import is_decimal_text, is_digits

if TYPE_CHECKING:
    from desktop.core.ledger import Ledger

IDENTITY_FORMAT = "shebao-office-identity/3"  # /3: with the key history and its announcements
IDENTITY_FORMATS = (IDENTITY_FORMAT, "shebao-office-identity/2", "shebao-office-identity/1")
_CODE_RE = re.compile(r"^[A-Za-z0-9]{1,20}$")


@dataclass(frozen=True)
class OfficeInfo:
    """This database's office."""

    code: str
    name: str
    region: str
    region_name: str
    fingerprint: str


IDLE_SETTING = "security.idle_seconds"
IDLE_DEFAULT_MINUTES = 15  # the window signs out after this long without input, unless set otherwise
IDLE_MOST_MINUTES = 24 * 60
CONTACT_SETTING = "office_contact."
CONTACT_FIELDS = ("address", "phone", "postcode", "bank_account_name", "bank", "bank_account")
_POSTCODE_RE = re.compile(r"^[0-9]{6}$")
_OFFICE_PHONE_RE = re.compile(r"^[0-9]+(-[0-9]+)*$")
_ACCOUNT_RE = re.compile(r"^[0-9]{6,32}$")


@dataclass(frozen=True)
class OfficeContact:
    """The office's address, phone, postcode and bank details, printed on its documents ("" when not set)."""

    address: str = ""
    phone: str = ""
    postcode: str = ""
    bank_account_name: str = ""
    bank: str = ""
    bank_account: str = ""


def read_contact(session: Session) -> OfficeContact:
    """The contact details stored in the office settings."""
    rows = {r.key: r.value for r in session.scalars(
        select(OfficeSetting).where(OfficeSetting.key.like(CONTACT_SETTING + "%")))}
    return OfficeContact(**{name: rows.get(CONTACT_SETTING + name, "") for name in CONTACT_FIELDS})


def contact_values(session: Session | Office) -> dict[str, str]:
    """The office.* contact fields every document's heading prints ("—" for one not set); given the
    session, or the office row read in it."""
    if isinstance(session, Office):
        found = Session.object_session(session)
        if found is None:
            return {"office.address": "—", "office.phone": "—", "office.postcode": "—"}
        session = found
    c = read_contact(session)
    return {"office.address": c.address or "—", "office.phone": c.phone or "—",
            "office.postcode": c.postcode or "—"}


def _check_contact(name: str, value: str) -> str:
    """One contact field checked and tidied ("" clears it)."""
    text = value.strip()
    if not text:
        return ""
    if name == "postcode" and not _POSTCODE_RE.match(text):
        raise InvalidInput("postcode.format", "postcode", value=text)
    if name == "phone" and (not _OFFICE_PHONE_RE.match(text) or sum(c.isdigit() for c in text) < 6):
        raise InvalidInput("office_phone.format", "phone", value=text)
    if name == "bank_account":
        text = text.replace(" ", "")
        if not _ACCOUNT_RE.match(text):
            raise InvalidInput("bank_account.format", "bank_account", value=value.strip())
    if name in ("address", "bank", "bank_account_name"):
        if len(text) > 200:
            raise InvalidInput("office.contact_too_long", name, most=200)
        refuse_formula(text, name)
    return text


def _fingerprint(public_pem: str) -> str:
    import hashlib

    digest = hashlib.sha256(public_pem.encode()).hexdigest()[:20].upper()
    return "-".join(digest[i:i + 4] for i in range(0, 20, 4))


@dataclass(frozen=True)
class StoredKeyInfo:
    """A private key the key store holds for this office."""

    key_id: str
    purpose: str  # sign | encrypt


@dataclass(frozen=True)
class KeyStatus:
    """Where the office's private keys are (`shebao office keys status`)."""

    folder: str
    backend: str  # file (passphrase) | dpapi (Windows)
    signing_key: str
    encryption_key: str | None
    stored: tuple[StoredKeyInfo, ...]
    unlocked: bool
    in_database: bool


@dataclass(frozen=True)
class KeysMoved:
    """What `move_out` did: the key ids moved into the store (none: nothing was left to move) and
    whether the database file was scrubbed afterwards."""

    moved: tuple[str, ...]
    folder: str
    scrubbed: bool
    rotated_to: str | None = None  # the new signing key that replaced the exposed one
    revoked: str | None = None  # the exposed signing key, revoked from the next day


def scrub_database(engine: Any) -> bool:
    """After secrets were taken out of a SQLite file: VACUUM (rebuilds it, no old page left) and
    empty its WAL (checkpoint TRUNCATE). False when another connection kept it from finishing, or
    the database is not a SQLite file. PostgreSQL: the office table is rewritten (VACUUM FULL)."""
    from desktop.core.store.engine import sqlite_file

    backend = engine.url.get_backend_name()
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            if backend == "postgresql":
                conn.exec_driver_sql("VACUUM FULL office")
                return True
            if sqlite_file(engine) is None:
                return False
            conn.exec_driver_sql("VACUUM")
            busy = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()
            return busy is not None and int(busy[0]) == 0
    except DBAPIError:
        return False


def _key_json(r: keyhistory.KeyRecord) -> dict[str, Any]:
    """One key of the history as an identity lists it."""
    def moment(value: dt.datetime | None) -> str | None:
        return None if value is None else keyhistory.stamp(value)

    return {"key_id": r.key_id, "purpose": r.purpose, "public_key": r.public_key,
            "valid_from": moment(r.valid_from), "retired_at": moment(r.retired_at),
            "revoked_at": moment(r.revoked_at)}


def _first_of(identity: dict[str, Any], code: str, public: str, enc: str | None, announced: list[Any],
              now: dt.datetime) -> list[keyhistory.KeyRecord]:
    """The first keys of an office trusted here for the first time: those its identity lists that no
    announcement introduced (the chain of announcements must lead from them to its current keys),
    else its current keys."""
    listed = identity.get("keys")
    if not isinstance(listed, list) or not announced:
        return keyhistory.first_keys(code, public, enc, now)
    bodies = [a["announcement"] for a in announced if isinstance(a, dict) and isinstance(a.get("announcement"), dict)]
    introduced = {str(k.get("key_id")) for b in bodies if isinstance(b.get("keys"), list)
                  for k in b["keys"] if isinstance(k, dict)}
    firsts = [k for k in listed if isinstance(k, dict) and str(k.get("key_id")) not in introduced]
    sign = [k for k in firsts if k.get("purpose") == keyhistory.SIGN]
    crypt = [k for k in firsts if k.get("purpose") == keyhistory.ENCRYPT]
    if len(sign) != 1 or len(crypt) > 1:
        raise InvalidInput("identity.format", "file")
    try:
        since = dt.datetime.fromisoformat(str(sign[0].get("valid_from"))).replace(tzinfo=None)
        return keyhistory.first_keys(code, str(sign[0]["public_key"]),
                                     str(crypt[0]["public_key"]) if crypt else None, since)
    except (KeyError, ValueError):
        raise InvalidInput("identity.format", "file") from None


def load_office(session: Session) -> Office:
    """The office row; refused when the database was never initialised."""
    office = session.scalars(select(Office)).first()
    if office is None:
        raise RefusedByRule("office.missing")
    return office


class OfficeService:
    """Create and read the office identity."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def init(self, code: str, name: str, region: str) -> OfficeInfo:
        """Give a new database its office identity and a fresh Ed25519 key pair."""
        self._ledger.require(ADMIN)
        code = code.strip()
        if not _CODE_RE.match(code):
            raise InvalidInput("office.code", "office")
        name = name.strip()
        if not name:
            raise InvalidInput("required", "office_name")
        refuse_formula(name, "office_name")
        region = validate_region(region, "region")
        with self._ledger.write() as s:
            existing = s.scalars(select(Office)).first()
            if existing is not None:
                raise Conflict("office.exists", "office", code=existing.code, name=existing.name)
            office = Office(code=code, name=name, region=region, created_at=self._ledger.now())
            keep_new_keys(office, Ed25519PrivateKey.generate(), X25519PrivateKey.generate())
            s.add(office)
            keyhistory.save(s, code, keyhistory.first_keys(code, office.public_key, office.enc_public_key,
                                                           self._ledger.now()), self._ledger.now())
        return self.get()

    def get(self) -> OfficeInfo:
        """The office of this database."""
        with self._ledger.read() as s:
            o = load_office(s)
            return OfficeInfo(o.code, o.name, o.region, name_of(o.region),
                              _fingerprint(o.public_key + (o.enc_public_key or "")))

    # -- the private keys: where they are kept ----------------------------------------------------

    def key_status(self) -> KeyStatus:
        """Where the office's private keys are: the key store's folder and backend, the current key
        ids, the keys it holds for this office, whether it opens now, and whether any private key is
        still in the database. Reads only; no passphrase needed."""
        from desktop.core import keystore
        with self._ledger.read() as s:
            o = load_office(s)
            code, public, enc_public = o.code, o.public_key, o.enc_public_key
            in_db = bool(o.private_key or o.enc_private_key)
        store = keystore.open_store()
        stored = store.entries(office=code)
        return KeyStatus(str(store.path), store.backend, key_id(public),
                         key_id(enc_public) if enc_public else None,
                         tuple(StoredKeyInfo(e.key_id, e.purpose) for e in stored),
                         store.unlocked(), in_db)

    def move_out(self, passphrase: str | None = None) -> KeysMoved:
        """Move the private keys still in the office row into the key store (`shebao office keys
        move`; an administrator). See `take_keys_out`."""
        self._ledger.require(ADMIN)
        return self.take_keys_out(passphrase)

    def take_keys_out(self, passphrase: str | None = None) -> KeysMoved:
        """The step after migration 0013, without a role check (the ledger runs it when a database is
        opened with the key store's passphrase at hand): the private keys in the office row go to the
        key store, both columns are emptied in one transaction, then the file is scrubbed (VACUUM,
        the WAL emptied; every connection zeroes what it deletes). Nothing to move: nothing done.
        Refused (KeysLocked, a wrong or short passphrase) before anything changes."""
        from desktop.core import keystore

        if passphrase is not None:
            keystore.give_passphrase(passphrase)
        store = keystore.open_store()
        moved: list[str] = []
        with self._ledger.write(checked=False) as s:
            o = load_office(s)
            if not (o.private_key or o.enc_private_key):
                return KeysMoved((), str(store.path), False)
            if store.exists():
                store.unlock()  # a wrong passphrase is refused here, before any file is written
            try:
                signer = as_signer(o.private_key) if o.private_key else None
                decrypter = as_decryption_key(o.enc_private_key) if o.enc_private_key else None
            except (ValueError, TypeError):
                raise IntegrityFailure("keys.row_bad", None, office=o.code) from None
            if isinstance(signer, KeySigner):
                moved.append(store.put(signer.private_key, o.code))
            if decrypter is not None:
                moved.append(store.put(decrypter, o.code))
            o.private_key = None
            o.enc_private_key = None
        # the keys moved were readable by anyone with a copy of the file: they are replaced by new
        # ones at once and the old signing key is revoked from the next day; then the file is
        # scrubbed, so that no page of it (nor of its WAL) still holds them
        rotated, _revoked = self._ledger.keys.replace_exposed()
        return KeysMoved(tuple(moved), str(store.path), scrub_database(self._ledger.engine),
                         rotated_to=rotated.signing, revoked=rotated.previous)

    def keys_locked(self) -> str | None:
        """Whether the window should ask an administrator for the key store's passphrase: "new" (no
        store yet: the passphrase to set it up with), "locked" (a store nothing here opens yet), None
        (no need: DPAPI, the passphrase in SHEBAO_KEY_PASSPHRASE or already given, or no office)."""
        from desktop.core import keystore

        store = keystore.open_store()
        if store.backend != keystore.FILE_BACKEND or keystore.passphrase_given() is not None:
            return None
        if not store.exists():
            return "new"
        return None if store.unlocked() else "locked"

    def unlock_keys(self, passphrase: str) -> KeysMoved:
        """An administrator gives the key store's passphrase (the window's prompt): it must open the
        store (or, for a store still to be set up, be long enough); it is kept for this process, and
        keys still in the database are then moved out (`take_keys_out`)."""
        from desktop.core import keystore

        self._ledger.require(ADMIN)
        store = keystore.open_store()
        if store.exists():
            store.unlock(passphrase)
        else:
            keystore.check_new_passphrase(passphrase)
        keystore.give_passphrase(passphrase)
        if not self.exists():
            return KeysMoved((), str(store.path), False)
        return self.take_keys_out()

    def change_key_passphrase(self, old: str | None, new: str | None) -> int:
        """Re-encrypt every key in the key store under a new passphrase (an administrator; the old one
        must open it, the new one has at least 12 characters); returns how many keys."""
        from desktop.core import keystore

        self._ledger.require(ADMIN)
        return keystore.open_store().change_passphrase(old, new)

    def identity(self) -> dict[str, Any]:
        """This office's public identity, to give to other offices (no private key).

        It carries the signing key (documents, sync files), the key sync files are encrypted to,
        and (format /3) the office's key history with the announcements that made each later key
        (an office that trusts an earlier identity accepts the new keys through them); an office
        set up before sync existed gets its encryption key pair now.
        """
        with self._ledger.read() as s:
            o = load_office(s)
            if o.enc_public_key is None:  # made once; a write only then
                with self._ledger.write() as w:
                    o = load_office(w)
                    if o.enc_public_key is None:
                        keep_encryption_key(o, X25519PrivateKey.generate())
                        now = self._ledger.now()
                        keyhistory.save(w, o.code, keyhistory.first_keys(o.code, o.public_key, o.enc_public_key,
                                                                         now)[1:], now)
            enc = str(o.enc_public_key)
            history = keyhistory.history_or_first(s, o.code, o.public_key, enc, o.created_at)
            return {"format": IDENTITY_FORMAT, "code": o.code, "name": o.name,
                    "region": o.region, "public_key": o.public_key, "encryption_key": enc,
                    "fingerprint": _fingerprint(o.public_key + enc),
                    "keys": [_key_json(r) for r in history],
                    "announcements": keyhistory.announcements(history)}

    def trust(self, identity: dict[str, Any]) -> OfficeInfo:
        """Trust another office's public identity (after checking its fingerprint by phone).

        An office already trusted keeps the keys it had unless the identity shows, by announcements
        signed by a key trusted here, that they were replaced; otherwise it is refused."""
        self._ledger.require(ADMIN)
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        from desktop.core.store.models import TrustedOffice

        try:
            key = serialization.load_pem_public_key(str(identity["public_key"]).encode())
            code, name = str(identity["code"]), str(identity["name"])
            region = validate_region(identity["region"], "region")
        except (KeyError, ValueError, TypeError):
            raise InvalidInput("identity.format", "file") from None
        refuse_formula(name.strip(), "office_name")
        if identity.get("format") not in IDENTITY_FORMATS or not isinstance(key, Ed25519PublicKey):
            raise InvalidInput("identity.format", "file")
        enc = identity.get("encryption_key")
        if enc is not None:
            try:
                enc_key = serialization.load_pem_public_key(str(enc).encode())
            except ValueError:
                raise InvalidInput("identity.format", "file") from None
            if not isinstance(enc_key, X25519PublicKey):
                raise InvalidInput("identity.format", "file")
        public = str(identity["public_key"])
        announced = identity.get("announcements") or []
        if not isinstance(announced, list):
            raise InvalidInput("identity.format", "file")
        with self._ledger.write() as s:
            own = load_office(s)
            if own.code == code:
                raise Conflict("identity.own", "file")
            now = self._ledger.now()
            row = s.scalars(select(TrustedOffice).where(TrustedOffice.code == code)).first()
            known = keyhistory.load(s, code)
            if row is not None and not known:
                known = keyhistory.first_keys(code, row.public_key, row.enc_public_key, row.trusted_at)
            if not known:
                known = _first_of(identity, code, public, str(enc) if enc else None, announced, now)
            history = keyhistory.extend(known, code, announced)
            signing = keyhistory.current(history, keyhistory.SIGN)
            if signing is None or signing.public_key != public:
                raise RefusedByRule("identity.key_not_announced", "file", office=code, key_id=key_id(public))
            encryption = keyhistory.current(history, keyhistory.ENCRYPT)
            if enc and (encryption is None or encryption.public_key != str(enc)):
                if encryption is not None and any(r.announcement for r in history):
                    raise RefusedByRule("identity.key_not_announced", "file", office=code, key_id=key_id(str(enc)))
                history = [replace(r, retired_at=now) if r.purpose == keyhistory.ENCRYPT and r.current else r
                           for r in history] + keyhistory.first_keys(code, public, str(enc), now)[1:]
            if row is None:
                s.add(TrustedOffice(code=code, name=name, region=region, public_key=public, trusted_at=now,
                                    enc_public_key=str(enc) if enc else None))
                s.flush()
            else:
                row.name, row.region, row.public_key = name, region, public
                row.enc_public_key = str(enc) if enc else row.enc_public_key
            keyhistory.save(s, code, history, now)
        return OfficeInfo(code, name, region, name_of(region), _fingerprint(public + (str(enc) if enc else "")))

    def contact(self) -> OfficeContact:
        """The office's address, phone, postcode and bank details (from its settings)."""
        with self._ledger.read() as s:
            return read_contact(s)

    def set_contact(self, address: str | None = None, phone: str | None = None,
                    postcode: str | None = None, bank_account_name: str | None = None,
                    bank: str | None = None, bank_account: str | None = None) -> OfficeContact:
        """Change the contact details given (None: unchanged, "": cleared); needs an administrator.

        Postcode: 6 digits; phone: digits and hyphens (e.g. 0791-86123456); bank account: digits.
        """
        self._ledger.require(ADMIN)
        given = {"address": address, "phone": phone, "postcode": postcode,
                 "bank_account_name": bank_account_name, "bank": bank, "bank_account": bank_account}
        checked = {name: _check_contact(name, str(value)) for name, value in given.items() if value is not None}
        with self._ledger.write() as s:
            load_office(s)
            for name, value in checked.items():
                row = s.get(OfficeSetting, CONTACT_SETTING + name)
                if row is None:
                    if value:
                        s.add(OfficeSetting(key=CONTACT_SETTING + name, value=value))
                elif value:
                    row.value = value
                else:
                    s.delete(row)
        return self.contact()

    def idle_seconds(self) -> Decimal:
        """Seconds without key or mouse input after which the window signs out (0: never); the
        default is IDLE_DEFAULT_MINUTES. Asked by any account (the window, after signing in)."""
        with self._ledger.read(checked=False) as s:
            row = s.get(OfficeSetting, IDLE_SETTING)
            return Decimal(row.value) if row is not None else Decimal(IDLE_DEFAULT_MINUTES * 60)

    def set_idle(self, minutes: object) -> Decimal:
        """Set the idle sign-out time in minutes, 0 (never) to IDLE_MOST_MINUTES, fractions allowed
        (stored in seconds, to the millisecond); needs an administrator. Returns the seconds."""
        self._ledger.require(ADMIN)
        try:
            value = Decimal(str(minutes).strip())
        except ArithmeticError:
            raise InvalidInput("idle.minutes", "idle", most=IDLE_MOST_MINUTES) from None
        if not value.is_finite() or not 0 <= value <= IDLE_MOST_MINUTES:
            raise InvalidInput("idle.minutes", "idle", most=IDLE_MOST_MINUTES)
        seconds = (value * 60).quantize(Decimal("0.001"))
        with self._ledger.write() as s:
            load_office(s)
            row = s.get(OfficeSetting, IDLE_SETTING)
            if row is None:
                s.add(OfficeSetting(key=IDLE_SETTING, value=str(seconds)))
            else:
                row.value = str(seconds)
        return seconds

    def exists(self) -> bool:
        """Whether the database has been initialised (asked before anyone signs in)."""
        with self._ledger.read(checked=False) as s:
            return s.scalars(select(Office)).first() is not None


@dataclass(frozen=True)
class RateInfo:
    """A rate as set by the office."""

    region: str
    scheme: str
    start: str
    end: str | None
    employer: Decimal
    employee: Decimal
    account: Decimal | None


class ReferenceService:
    """The office's own reference values, which override the shipped ones."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def lookup(self) -> Reference:
        """A reference snapshot for read-only use outside a write transaction."""
        with self._ledger.read() as s:
            return Reference(s)

    def set_wage(self, region: str, year: object, monthly: object) -> tuple[str, int, Decimal]:
        """Set the previous-year average monthly wage used for base limits in the year."""
        self._ledger.require(ADMIN)
        region = validate_region(region, "region")
        y = _year(year)
        amount = parse_amount(monthly, "monthly")
        if amount <= 0:
            raise InvalidInput("amount.positive", "monthly")
        with self._ledger.write() as s:
            row = s.scalars(select(AverageWage).where(
                AverageWage.region == region, AverageWage.year == y)).first()
            if row is None:
                s.add(AverageWage(region=region, year=y, monthly=amount, created_at=self._ledger.now()))
            else:
                row.monthly = amount
        return region, y, amount

    def set_rate(
        self, region: str, scheme: str, start: object, employer: object, employee: object,
        end: object | None = None, account: object | None = None, risk_class: object | None = None,
    ) -> RateInfo:
        """Set a scheme's rates for a region from a month (optionally to a month)."""
        self._ledger.require(ADMIN)
        region = validate_region(region, "region")
        if scheme != "flexible" and (scheme not in schemes() or schemes()[scheme].kind != "employee"):
            raise InvalidInput("scheme.unknown", "scheme", value=scheme,
                               known=", ".join(s for s in schemes() if schemes()[s].kind == "employee"))
        first = Month.parse(start, "from")
        last = Month.parse(end, "to") if end not in (None, "") else None
        if last is not None and last < first:
            raise InvalidInput("month.order", "to")
        er = parse_rate(employer, "employer_rate")
        ee = parse_rate(employee, "employee_rate")
        acc = parse_rate(account, "rate") if account not in (None, "") else None
        if scheme == "pension" and acc is None:
            acc = ee
        if scheme == "flexible" and acc is None:  # the person's rate is not all credited
            raise InvalidInput("required", "rate")
        rc = _risk_class(risk_class) if risk_class not in (None, "") else None
        with self._ledger.write() as s:
            s.add(RateOverride(region=region, scheme=scheme, from_month=first.as_int(),
                               to_month=last.as_int() if last else None, employer=er, employee=ee,
                               account=acc, risk_class=rc, created_at=self._ledger.now()))
        return RateInfo(region, scheme, str(first), str(last) if last else None, er, ee, acc)

    def set_limits(self, region: str, start: object, floor: object, ceiling: object,
                   end: object | None = None) -> None:
        """Set the base floor and ceiling ratios for a region from a month."""
        self._ledger.require(ADMIN)
        region = validate_region(region, "region")
        first = Month.parse(start, "from")
        last = Month.parse(end, "to") if end not in (None, "") else None
        lo = _ratio(floor, "floor")
        hi = _ratio(ceiling, "ceiling")
        with self._ledger.write() as s:
            s.add(LimitOverride(region=region, from_month=first.as_int(),
                                to_month=last.as_int() if last else None, floor=lo, ceiling=hi,
                                created_at=self._ledger.now()))

    def set_provincial_pooling(self, province: str, since: object) -> dt.date:
        """The day a province began pooling pensions as one unit (default: rules().provincial_pooling_by).

        Before it, the prefectures pool separately and a move between them is a fund transfer;
        from it, a move inside the province is a change of registration.
        """
        from desktop.core.services.record import POOLING_SETTING
        self._ledger.require(ADMIN)
        code = province_of(validate_region(province, "region"))
        day = parse_date(since, "from")
        with self._ledger.write() as s:
            row = s.get(OfficeSetting, POOLING_SETTING + code)
            if row is None:
                s.add(OfficeSetting(key=POOLING_SETTING + code, value=day.isoformat()))
            else:
                row.value = day.isoformat()
        return day

    def set_interest(self, year: object, rate: object) -> None:
        """Set the individual-account crediting rate of a year."""
        self._ledger.require(ADMIN)
        y = _year(year)
        r = parse_rate(rate, "rate")
        with self._ledger.write() as s:
            row = s.get(InterestOverride, y)
            if row is None:
                s.add(InterestOverride(year=y, rate=r, created_at=self._ledger.now()))
            else:
                row.rate = r


def _year(value: object) -> int:
    text = str(value).strip()
    if not is_digits(text) or not 1950 <= int(text) <= 2999:
        raise InvalidInput("year.format", "year", value=text)
    return int(text)


def _ratio(value: object, field: str) -> Decimal:
    from decimal import InvalidOperation

    if not is_decimal_text(str(value).strip()):
        raise InvalidInput("ratio.format", field, value=value)
    try:
        r = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidInput("ratio.format", field, value=value) from None
    if not r.is_finite() or r <= 0 or r > 10:
        raise InvalidInput("ratio.format", field, value=value)
    return r


def _risk_class(value: object) -> int:
    text = str(value).strip()
    if not is_digits(text) or not 1 <= int(text) <= 8:
        raise InvalidInput("risk_class.range", "risk_class")
    return int(text)
