"""Accounts: sign-in with lockout, first password changed by its owner, administration by admins."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.core import audit
from desktop.core.errors import Conflict, InvalidInput, NotAllowed, RefusedByRule
from desktop.core.security import (
    ADMIN,
    LOCK_MINUTES,
    MAX_FAILURES,
    Actor,
    check_name,
    check_password,
    check_role,
    dummy_hash,
    hash_password,
    needs_rehash,
    verify_password,
)
from desktop.core.store.models import Office, UserAccount

if TYPE_CHECKING:
    from desktop.core.ledger import Ledger


@dataclass(frozen=True)
class AccountInfo:
    """An account as shown to an administrator (never the password hash)."""

    name: str
    role: str
    active: bool
    must_change: bool
    locked_until: dt.datetime | None
    failed_attempts: int
    last_sign_in: dt.datetime | None
    created_at: dt.datetime


def account_info(u: UserAccount) -> AccountInfo:
    """The plain view of a stored account."""
    return AccountInfo(u.name, u.role, u.active, u.must_change, u.locked_until, u.failed_attempts,
                       u.last_sign_in, u.created_at)


def _refusal(u: UserAccount, right: bool, now: dt.datetime) -> str | None:
    """Why a known account may not sign in now (None: it may), for the audit trail only."""
    if not u.active:
        return "disabled"
    if u.locked_until is not None and u.locked_until > now:
        return "locked"
    return None if right else "wrong password"


def office_words(s: Session) -> tuple[str, ...]:
    """The office's code and name (none before the office is set up)."""
    office = s.scalars(select(Office)).first()
    return (office.code, office.name) if office is not None else ()


def _by_name(s: Session, name: str) -> UserAccount | None:
    return s.scalars(select(UserAccount).where(UserAccount.name == name.strip())).first()


class UserService:
    """Sign in and out, change one's password; administrators add, unlock, reset and disable."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def office_words(self) -> tuple[str, ...]:
        """The office's code and name, which no password may contain; needs no sign-in."""
        with self._ledger.read(checked=False) as s:
            return office_words(s)

    def has_accounts(self) -> bool:
        """Whether the office has any account (then signing in is required); needs no sign-in."""
        return self._ledger.guarded(fresh=True)

    def sign_in(self, name: str, password: str) -> AccountInfo:
        """Check the password; five wrong ones in a row lock the account for 15 minutes.

        An unknown account, a wrong password, a locked and a disabled account get the same answer
        ("auth.refused") after the same work, so that neither the text nor the time tells which
        account names exist or which are locked: one scrypt verification at the current cost
        (against a hash no password matches for an unknown name), one more failure counted on a
        known account and one "sign_in_failed" event in the audit trail, naming the reason for the
        administrator (who also sees a lock in `user list`).
        """
        ledger = self._ledger
        if ledger.damage is not None:
            return self._sign_in_damaged(name, password)
        failed: str | None = None
        actor: Actor | None = None
        info: AccountInfo | None = None
        with ledger.write(checked=False) as s:
            now = ledger.now()
            u = _by_name(s, name)
            right = verify_password(password, u.password_hash if u is not None else dummy_hash())
            if u is None:
                failed = "unknown account"
            else:
                failed = _refusal(u, right, now)
            if failed is not None:
                audit.record_event(ledger, s, "user_account", "sign_in_failed",
                                   {"account": u.name if u is not None else None, "reason": failed})
                if u is not None:
                    audit.note(s, "sign_in_failed")
                    u.failed_attempts += 1
                    if failed == "wrong password" and u.failed_attempts >= MAX_FAILURES:
                        u.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
            elif u is not None:
                actor = Actor(u.id, u.name, u.role, u.must_change)
                audit.act_as(s, actor)
                audit.note(s, "sign_in")
                u.failed_attempts = 0
                u.locked_until = None
                u.last_sign_in = now
                if needs_rehash(u.password_hash):
                    u.password_hash = hash_password(password)
                info = account_info(u)
        if failed is not None:
            raise NotAllowed("auth.refused", minutes=LOCK_MINUTES, failures=MAX_FAILURES)
        assert actor is not None and info is not None
        ledger.actor = actor
        ledger.mark_guarded()
        return info

    def _sign_in_damaged(self, name: str, password: str) -> AccountInfo:
        """Sign in on a damaged database, which is never written: the password and the lock are
        checked as stored (with the same work and answer as `sign_in`), but neither a failure nor
        the sign-in is recorded (so an administrator can still restore it). A sign-in that cannot
        be read is refused with the damage."""
        ledger = self._ledger
        with ledger.read(checked=False) as s:
            u = _by_name(s, name)
            right = verify_password(password, u.password_hash if u is not None else dummy_hash())
            if u is None or _refusal(u, right, ledger.now()) is not None:
                raise NotAllowed("auth.refused", minutes=LOCK_MINUTES, failures=MAX_FAILURES)
            actor = Actor(u.id, u.name, u.role, u.must_change)
            info = account_info(u)
        ledger.actor = actor
        ledger.mark_guarded()
        return info

    def add(self, name: str, role: str, password: str, must_change: bool = True) -> AccountInfo:
        """A new account; its owner must change this first password at the first sign-in.

        The office's first account must be an administrator (else nobody could manage accounts).
        """
        self._ledger.require(ADMIN)
        clean = check_name(name)
        kind = check_role(role)
        check_password(password, clean, self.office_words())
        hashed = hash_password(password)
        with self._ledger.write() as s:
            if s.scalar(select(func.count()).select_from(UserAccount)) == 0 and kind != "admin":
                raise RefusedByRule("user.first_admin", "role")
            if _by_name(s, clean) is not None:
                raise Conflict("user.exists", "user", name=clean)
            now = self._ledger.now()
            u = UserAccount(name=clean, role=kind, password_hash=hashed, must_change=must_change,
                            active=True, failed_attempts=0, locked_until=None, last_sign_in=None,
                            password_changed_at=now, created_at=now)
            s.add(u)
            s.flush()
            info = account_info(u)
        self._ledger.mark_guarded()
        return info

    def create_first_admin(self, name: str, password: str) -> AccountInfo:
        """The office's first administrator (shebao init with SHEBAO_USER / SHEBAO_PASSWORD)."""
        if self.has_accounts():
            raise Conflict("user.not_first", "user")
        return self.add(name, "admin", password, must_change=False)

    def list(self) -> list[AccountInfo]:
        """Every account, by name."""
        self._ledger.require(ADMIN)
        with self._ledger.read() as s:
            return [account_info(u) for u in s.scalars(select(UserAccount).order_by(UserAccount.name))]

    def change_password(self, old: str, new: str) -> AccountInfo:
        """The signed-in account changes its own password (required after a first or reset one)."""
        actor = self._ledger.actor
        if actor is None:
            raise NotAllowed("auth.required")
        check_password(new, actor.name, self.office_words())
        if new == old:
            raise InvalidInput("password.same", "password")
        with self._ledger.write(checked=False) as s:
            u = s.get(UserAccount, actor.id)
            if u is None or not u.active:
                raise NotAllowed("auth.disabled")
            if not verify_password(old, u.password_hash):
                raise InvalidInput("password.wrong_old", "password")
            audit.note(s, "password_changed")
            u.password_hash = hash_password(new)
            u.must_change = False
            u.password_changed_at = self._ledger.now()
            info = account_info(u)
        self._ledger.actor = Actor(actor.id, actor.name, actor.role, False)
        return info

    def reset_password(self, name: str, password: str) -> AccountInfo:
        """An administrator sets a new first password; the owner must change it at next sign-in."""
        self._ledger.require(ADMIN)
        with self._ledger.write() as s:
            u = self._get(s, name)
            check_password(password, u.name, office_words(s))
            audit.note(s, "password_reset")
            u.password_hash = hash_password(password)
            u.must_change = True
            u.failed_attempts = 0
            u.locked_until = None
            u.password_changed_at = self._ledger.now()
            return account_info(u)

    def unlock(self, name: str) -> AccountInfo:
        """Lift a lock after repeated wrong passwords."""
        self._ledger.require(ADMIN)
        with self._ledger.write() as s:
            u = self._get(s, name)
            u.failed_attempts = 0
            u.locked_until = None
            return account_info(u)

    def set_active(self, name: str, active: bool) -> AccountInfo:
        """Disable (or enable again) an account; accounts are never deleted, for the audit trail."""
        self._ledger.require(ADMIN)
        with self._ledger.write() as s:
            u = self._get(s, name)
            if not active:
                self._keep_an_admin(s, u)
            u.active = active
            return account_info(u)

    def set_role(self, name: str, role: str) -> AccountInfo:
        """Give an account another role."""
        self._ledger.require(ADMIN)
        kind = check_role(role)
        with self._ledger.write() as s:
            u = self._get(s, name)
            if kind != "admin":
                self._keep_an_admin(s, u)
            u.role = kind
            return account_info(u)

    def _keep_an_admin(self, s: Session, u: UserAccount) -> None:
        actor = self._ledger.actor
        if actor is not None and actor.id == u.id:
            raise RefusedByRule("user.self", "user")
        if u.role == "admin" and s.scalar(select(func.count()).select_from(UserAccount).where(
                UserAccount.role == "admin", UserAccount.active.is_(True), UserAccount.id != u.id)) == 0:
            raise RefusedByRule("user.last_admin", "user")

    def _get(self, s: Session, name: str) -> UserAccount:
        u = _by_name(s, name)
        if u is None:
            raise InvalidInput("user.unknown", "user", value=name.strip())
        return u
