"""Accounts: password hashing and rules, signing in, lockout, first password, roles per action."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import EMPLOYER, EMPLOYER_2
from sqlalchemy import select
from test_security_support import (
    PASSWORD,
    PERSON,
    add_staff,
    as_,
    fast_hashing,
    staffed,
    staffed_template,
)

from desktop.core import security
from desktop.core.errors import InvalidInput, NotAllowed, RefusedByRule
from desktop.core.ledger import Ledger
from desktop.core.security import ScryptCost, hash_password, needs_rehash, verify_password
from desktop.core.store.models import (
    AgreementOverride,
    AverageWage,
    CoverageCertificate,
    Document,
    Employer,
    RateOverride,
    UserAccount,
)

__all__ = ["fast_hashing", "staffed", "staffed_template"]


def test_the_shipped_scrypt_cost_is_the_documented_one() -> None:
    """Read in a fresh process, where no test has made hashing cheap: N = 2**15, r = 8, p = 3
    (README, accounts), at least 32 MiB of memory per hash."""
    probe = ("from desktop.core import security as s; h = s.hash_password('Counter-2026!'); "
             "print(h.split('$')[:4], (s.SCRYPT.log2_n, s.SCRYPT.r, s.SCRYPT.p))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parent.parent).stdout.strip()
    assert out == "['scrypt', '15', '8', '3'] (15, 8, 3)"  # memory 128 B x N x r = 32 MiB


def test_passwords_are_hashed_with_scrypt_and_the_documented_parameters(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(security, "SCRYPT", ScryptCost(15, 8, 3))
    stored = hash_password("Counter-2026!")
    kind, log2_n, r, p, salt, key = stored.split("$")
    assert (kind, log2_n, r, p) == ("scrypt", "15", "8", "3")
    assert "Counter" not in stored and len(salt) == 24 and len(key) == 44
    assert verify_password("Counter-2026!", stored) and not verify_password("counter-2026!", stored)
    assert hash_password("Counter-2026!") != stored  # salted
    assert not needs_rehash(stored)
    assert needs_rehash(hash_password("Counter-2026!", ScryptCost(4, 8, 1)))
    assert security.SCRYPT.memory() > 32 * 1024 * 1024


@pytest.mark.parametrize(("password", "key"), [
    ("", "required"), ("Ab1-xyz", "password.short"), ("88888888", "password.common"),
    ("aaaaaaaaaaaa", "password.common"), ("li.ming-2026", "password.has_name")])
def test_password_rules(ledger: Ledger, password: str, key: str) -> None:
    with pytest.raises(InvalidInput) as err:
        ledger.users.add("li.ming", "admin", password)
    assert (err.value.key, err.value.field) == (key, "password")
    assert not ledger.users.has_accounts()


def test_open_mode_until_the_first_account(ledger: Ledger, person: str) -> None:
    assert not ledger.users.has_accounts() and ledger.actor is None
    assert ledger.workers.get(person).name == "张三"
    with pytest.raises(RefusedByRule) as err:
        ledger.users.add("clerk1", "clerk", PASSWORD)
    assert err.value.key == "user.first_admin" and "管理员" in err.value.message()
    ledger.users.add("admin1", "admin", PASSWORD)
    assert ledger.users.has_accounts()
    for call in (lambda: ledger.workers.get(person), lambda: ledger.workers.find("张"),
                 lambda: ledger.accounts.statement(person), lambda: ledger.office.get(),
                 lambda: ledger.employers.register(EMPLOYER_2, "新单位")):
        with pytest.raises(NotAllowed) as refused:
            call()
        assert refused.value.exit_code == 5 and refused.value.key == "auth.required"
    assert ledger.office.exists()  # asked by the window before anyone signs in


def test_a_second_ledger_sees_the_accounts_in_its_next_write(db_path: Path, ledger: Ledger) -> None:
    other = Ledger.open(db_path)
    assert not other.guarded()
    ledger.users.create_first_admin("admin1", PASSWORD)
    with pytest.raises(NotAllowed) as err:
        other.employers.register(EMPLOYER_2, "新单位")
    assert err.value.key == "auth.required"
    other.close()


def test_sign_in_wrong_password_and_lockout(ledger: Ledger) -> None:
    add_staff(ledger)
    start = dt.datetime(2026, 11, 23, 9, 0)
    ledger.clock = start
    for attempt in range(1, 5):
        with pytest.raises(NotAllowed) as err:
            ledger.sign_in("clerk1", "wrong-password")
        assert err.value.key == "auth.refused", attempt
    with pytest.raises(NotAllowed) as err:
        ledger.sign_in("nobody", "wrong-password")
    assert err.value.key == "auth.refused"  # unknown names look the same
    with pytest.raises(NotAllowed) as err:
        ledger.sign_in("clerk1", "wrong-password")
    assert err.value.key == "auth.refused" and "09:15" not in err.value.message()
    with pytest.raises(NotAllowed) as err:
        ledger.sign_in("clerk1", PASSWORD)  # the right password does not help while locked
    assert err.value.key == "auth.refused"
    assert ledger.actor is None
    ledger.clock = start + dt.timedelta(minutes=16)
    assert ledger.sign_in("clerk1", PASSWORD).failed_attempts == 0
    assert ledger.actor is not None and ledger.actor.name == "clerk1"
    ledger.sign_out()
    for _ in range(5):
        with pytest.raises(NotAllowed) as err:
            ledger.sign_in("clerk1", "wrong-password")
        assert err.value.key == "auth.refused"
    as_(ledger, "admin1")
    locked = {u.name: u for u in ledger.users.list()}["clerk1"]
    assert locked.locked_until == start + dt.timedelta(minutes=31)
    assert ledger.users.unlock("clerk1").locked_until is None
    assert getattr(as_(ledger, "clerk1").actor, "name", None) == "clerk1"
    failures = [e for e in as_(ledger, "sup1").audit.search(table="user_account", limit=500)
                if e.row_id == "sign_in_failed"]
    assert len(failures) == 12 and {e.actor for e in failures} == {"-"}
    reasons = [(e.after or {}).get("reason") for e in reversed(failures)]
    assert reasons == ["wrong password"] * 4 + ["unknown account", "wrong password", "locked"] \
        + ["wrong password"] * 5
    assert {(e.after or {}).get("account") for e in failures} == {"clerk1", None}


def test_first_password_must_be_changed(ledger: Ledger, person: str) -> None:
    add_staff(ledger)
    as_(ledger, "admin1").users.add("wang.fang", "clerk", "First-pass-1")
    account = ledger.sign_in("wang.fang", "First-pass-1")
    assert account.must_change
    with pytest.raises(NotAllowed) as err:
        ledger.workers.get(person)
    assert err.value.key == "password.must_change"
    with pytest.raises(NotAllowed) as err:
        ledger.employers.register(EMPLOYER_2, "新单位")
    assert err.value.key == "password.must_change"
    with pytest.raises(InvalidInput) as bad:
        ledger.users.change_password("not-the-old-one", "Second-pass-2")
    assert bad.value.key == "password.wrong_old"
    with pytest.raises(InvalidInput) as bad:
        ledger.users.change_password("First-pass-1", "First-pass-1")
    assert bad.value.key == "password.same"
    assert not ledger.users.change_password("First-pass-1", "Second-pass-2").must_change
    assert ledger.workers.get(person).name == "张三"
    ledger.sign_out()
    with pytest.raises(NotAllowed) as err:
        ledger.sign_in("wang.fang", "First-pass-1")
    assert err.value.key == "auth.refused"  # the old password no longer signs in
    assert not ledger.sign_in("wang.fang", "Second-pass-2").must_change
    as_(ledger, "admin1").users.reset_password("wang.fang", "Third-pass-3")
    assert ledger.sign_in("wang.fang", "Third-pass-3").must_change


def test_the_hash_is_never_in_the_audit_trail(ledger: Ledger) -> None:
    add_staff(ledger)
    with ledger.read(checked=False) as s:
        hashes = [u.password_hash for u in s.query(UserAccount)]
    for entry in as_(ledger, "sup1").audit.search(table="user_account", limit=500, reveal=True):
        text = repr(entry.before) + repr(entry.after)
        assert not any(h in text for h in hashes)
    created = [e for e in ledger.audit.search(table="user_account", limit=500) if e.action == "insert"]
    assert sorted((e.after or {}).get("name") for e in created) == ["admin1", "clerk1", "clerk2", "sup1", "sup2"]
    assert all(e.after and e.after["password_hash"] == "***" for e in created)


def test_disabled_accounts_and_the_last_administrator(ledger: Ledger, person: str) -> None:
    add_staff(ledger)
    clerk = Ledger.open(ledger.engine.url.database or "")
    clerk.sign_in("clerk1", PASSWORD)
    as_(ledger, "admin1")
    with pytest.raises(RefusedByRule) as err:
        ledger.users.set_active("admin1", False)
    assert err.value.key == "user.self"
    ledger.users.set_active("clerk1", False)
    with pytest.raises(NotAllowed) as refused:  # already signed in elsewhere: the next write is refused
        clerk.employers.register(EMPLOYER_2, "新单位")
    assert refused.value.key == "auth.disabled" and clerk.actor is None
    with pytest.raises(NotAllowed) as err:
        clerk.sign_in("clerk1", PASSWORD)
    assert err.value.key == "auth.refused"  # a disabled account is refused like any other
    clerk.close()
    ledger.users.add("admin2", "admin", PASSWORD, must_change=False)
    as_(ledger, "admin2").users.set_role("admin1", "supervisor")
    with pytest.raises(RefusedByRule) as err:
        as_(ledger, "admin2").users.set_active("admin2", False)
    assert err.value.key == "user.self"
    ledger.users.set_role("admin1", "admin")
    as_(ledger, "admin1").users.set_active("admin2", False)
    with pytest.raises(RefusedByRule) as err:  # admin1, the last active administrator, is the only one who could
        ledger.users.set_role("admin1", "clerk")
    assert err.value.key == "user.self"  # demote it, and nobody demotes their own account


# -- who may do what -------------------------------------------------------------------------

Action = Callable[[Ledger, str], Any]
Check = Callable[[Ledger, Any], None]
STATEMENT = "OFF01-ZM2026000001"
# Who may do what, written out here (not read from desktop.core.security): the README's table of roles.
COUNTER = frozenset({"clerk", "supervisor"})
SUPERVISE = frozenset({"supervisor"})
ADMIN = frozenset({"admin"})
AUDIT = frozenset({"supervisor", "admin"})
ANY = frozenset({"clerk", "supervisor", "admin"})
# The role names a refusal gives: the refused account's own, and the ones the action needs (in the
# order clerk, supervisor, admin), in Chinese and in English.
ROLE_ZH_EN = {"clerk": ("经办员", "clerk"), "supervisor": ("审核主管", "supervisor"),
              "admin": ("系统管理员", "administrator")}
NEEDED = {COUNTER: ("经办员、审核主管", "clerk, supervisor"), SUPERVISE: ("审核主管", "supervisor"),
          ADMIN: ("系统管理员", "administrator"), AUDIT: ("审核主管、系统管理员", "supervisor, administrator")}


def test_the_role_sets_are_the_documented_ones() -> None:
    assert security.ROLES == ("clerk", "supervisor", "admin")
    assert (security.COUNTER, security.SUPERVISE, security.ADMIN, security.AUDIT, security.ANY) \
        == (COUNTER, SUPERVISE, ADMIN, AUDIT, ANY)


def _declaration(ledger: Ledger, person: str) -> Any:
    path = Path(ledger.engine.url.database or "").with_name("d.csv")
    path.write_text(f"employer_uscc,id_number,name,month,wage\n{EMPLOYER},{person},张三,2025-12,7000\n",
                    encoding="utf-8")
    return ledger.contributions.import_file(path)


def _request_then_approve(ledger: Ledger, person: str) -> Any:
    name = ledger.actor.name if ledger.actor else ""
    as_(ledger, "clerk2")
    p = ledger.approvals.request_void(STATEMENT, "打印错误")
    return as_(ledger, name).approvals.approve(p.id)


def _lock_then_unlock(ledger: Ledger, person: str) -> Any:
    """clerk2 locked by five wrong passwords, then unlocked by the account the test signed in."""
    name = ledger.actor.name if ledger.actor else ""
    ledger.sign_out()
    for _ in range(5):
        with pytest.raises(NotAllowed):
            ledger.sign_in("clerk2", "wrong-password")
    return as_(ledger, name).users.unlock("clerk2")


def _backup_files(ledger: Ledger) -> tuple[Path, Path]:
    db = Path(ledger.engine.url.database or "")
    return db.with_name("b.sbk"), db.with_name("k.key")


def _rows(ledger: Ledger, model: Any, *where: Any) -> list[Any]:
    with ledger.read(checked=False) as s:
        rows = list(s.scalars(select(model).where(*where)))
        s.expunge_all()
        return rows


def _months_paid(ledger: Ledger, scheme: str = "pension") -> int:
    return {r.scheme: r.months_paid for r in ledger.accounts.statement(PERSON).schemes}[scheme]


def _pension_line(result: Any) -> tuple[Decimal, Decimal]:
    line = {x.scheme: x for x in result.lines}["pension"]
    return line.employer, line.employee


def _voided(ledger: Ledger, number: str) -> bool:
    return {d.number: d.voided for d in ledger.documents.list_for(PERSON)}[number]


ACTIONS: dict[str, tuple[Action, frozenset[str]]] = {
    "worker.register": (lambda led, p: led.workers.register_citizen("36010219900101123X", "李四", "360102", "urban"),
                        COUNTER),
    "employer.register": (lambda led, p: led.employers.register(EMPLOYER_2, "新单位", "360100", 1), COUNTER),
    "contrib.record": (lambda led, p: led.contributions.record(p, EMPLOYER, "2025-11", "7000"), COUNTER),
    "contrib.preview": (lambda led, p: led.contributions.record(p, EMPLOYER, "2025-11", "7000", preview=True), ANY),
    "contrib.import": (_declaration, COUNTER),
    "document.issue": (lambda led, p: led.documents.issue("statement", p), COUNTER),
    "document.reprint": (lambda led, p: led.documents.reprint(STATEMENT), COUNTER),
    "worker.register_foreigner": (lambda led, p: led.workers.register_foreigner("DE", "C01X00T47", "Anna", "F",
                                                                                "1990-01-01"), COUNTER),
    "request.void": (lambda led, p: led.approvals.request_void(STATEMENT, "打印错误"), COUNTER),
    "document.void": (lambda led, p: led.documents.void(STATEMENT, "打印错误"), SUPERVISE),
    "contrib.correct": (lambda led, p: led.contributions.correct(p, EMPLOYER, "2026-10", "9000", "工资申报有误"),
                        SUPERVISE),
    "exemption.issue": (lambda led, p: led.exemptions.issue(p, "DE", EMPLOYER, "Muster GmbH", "2026-12-01",
                                                            "2027-11-30", passport="EA1234567"), SUPERVISE),
    "approval.approve": (_request_then_approve, SUPERVISE),
    "wage.set": (lambda led, p: led.reference.set_wage("360000", 2027, "6500"), ADMIN),
    "rate.set": (lambda led, p: led.reference.set_rate("360100", "medical", "2027-01", "0.07", "0.02"), ADMIN),
    "agreement.correct": (lambda led, p: led.exemptions.correct("DE", "first_posting_months", "60", "来函", "x"),
                          ADMIN),
    "office.trust": (lambda led, p: led.office.trust({"format": "x"}), ADMIN),
    "user.add": (lambda led, p: led.users.add("newbie", "clerk", PASSWORD), ADMIN),
    "user.unlock": (_lock_then_unlock, ADMIN),
    "backup": (lambda led, p: led.backups.backup(*_backup_files(led)), ADMIN),
    "audit.verify": (lambda led, p: led.audit.verify(), AUDIT),
    "audit.search": (lambda led, p: led.audit.search(person=p), AUDIT),
    "approvals.list": (lambda led, p: led.approvals.list(), ANY),
    "worker.read": (lambda led, p: led.accounts.statement(p), ANY),
}
ACCOUNT_OF = {"clerk": "clerk1", "supervisor": "sup1", "admin": "admin1"}


def _check_worker(led: Ledger, r: Any) -> None:
    assert (r.id_number, r.name, r.sex, r.birth_date, r.hukou_region, r.hukou_type) \
        == ("36010219900101123X", "李四", "M", dt.date(1990, 1, 1), "360102", "urban")
    assert led.workers.get("36010219900101123X").name == "李四"  # the row is there


def _check_employer(led: Ledger, r: Any) -> None:
    assert (r.uscc, r.name, r.region, r.risk_class) == (EMPLOYER_2, "新单位", "360100", 1)
    assert [e.name for e in _rows(led, Employer, Employer.uscc == EMPLOYER_2)] == ["新单位"]


def _check_record(led: Ledger, r: Any) -> None:
    # 7000 x 16% = 1120.00 (employer), 7000 x 8% = 560.00 (employee); a back payment for 2025-11
    assert (str(r.month), r.wage, r.kind, _pension_line(r)) \
        == ("2025-11", Decimal("7000.00"), "back_payment", (Decimal("1120.00"), Decimal("560.00")))
    assert _months_paid(led) == 12  # 2026-01..11 and now 2025-11


def _check_preview(led: Ledger, r: Any) -> None:
    assert (str(r.month), r.wage, _pension_line(r)) == ("2025-11", Decimal("7000.00"),
                                                         (Decimal("1120.00"), Decimal("560.00")))
    assert _months_paid(led) == 11  # a preview writes nothing


def _check_import(led: Ledger, r: Any) -> None:
    assert (r.rows, r.recorded, r.already_recorded, r.months) == (1, 1, 0, ("2025-12",))
    pension = {t.scheme: (t.employer, t.employee) for t in r.totals}["pension"]
    assert pension == (Decimal("1120.00"), Decimal("560.00"))  # 7000 x 16%, 7000 x 8%
    assert _months_paid(led) == 12


def _check_issue(led: Ledger, r: Any) -> None:
    assert (r.kind, r.number, r.pdf[:5]) == ("statement", "OFF01-ZM2026000002", b"%PDF-")
    assert [(d.number, d.prints) for d in led.documents.list_for(PERSON)] \
        == [("OFF01-ZM2026000002", 1), (STATEMENT, 1)]


def _check_reprint(led: Ledger, r: Any) -> None:
    assert (r.kind, r.number, r.pdf[:5]) == ("statement", STATEMENT, b"%PDF-")
    assert [(d.number, d.prints) for d in led.documents.list_for(PERSON)] == [(STATEMENT, 2)]


def _check_foreigner(led: Ledger, r: Any) -> None:
    assert (r.id_number, r.name, r.sex, r.birth_date, r.nationality, r.passport) \
        == (None, "Anna", "F", dt.date(1990, 1, 1), "DE", "C01X00T47")
    assert led.workers.get(r.ssn).passport == "C01X00T47"


def _check_request(led: Ledger, r: Any) -> None:
    name = led.actor.name if led.actor else ""
    assert (r.kind, r.status, r.params, r.requested_by) \
        == ("document.void", "pending", {"number": STATEMENT, "reason": "打印错误"}, name)
    assert [p.id for p in led.approvals.list()] == [r.id]
    assert not _voided(led, STATEMENT)  # only asked for


def _check_void(led: Ledger, r: Any) -> None:
    assert r is None and _voided(led, STATEMENT)
    doc = _rows(led, Document, Document.number == STATEMENT)[0]
    assert (doc.voided_on, doc.void_reason) == (led.today(), "打印错误")


def _check_correct(led: Ledger, r: Any) -> None:
    # 9000 x 16% = 1440.00, 9000 x 8% = 720.00 (was 8000: 1280.00, 640.00)
    assert (str(r.month), r.wage, _pension_line(r)) == ("2026-10", Decimal("9000.00"),
                                                         (Decimal("1440.00"), Decimal("720.00")))


def _check_exemption(led: Ledger, r: Any) -> None:
    assert (r.number, r.country, r.valid_from, r.valid_to, r.extension) \
        == ("OFF01-CB2026000001", "DE", dt.date(2026, 12, 1), dt.date(2027, 11, 30), False)
    assert [c.number for c in _rows(led, CoverageCertificate)] == ["OFF01-CB2026000001"]


def _check_approve(led: Ledger, r: Any) -> None:
    assert (r.request.status, r.request.requested_by, r.request.decided_by) == ("approved", "clerk2", "sup1")
    assert r.request.result == {"number": STATEMENT, "void": True} and _voided(led, STATEMENT)


def _check_wage(led: Ledger, r: Any) -> None:
    assert r == ("360000", 2027, Decimal("6500.00"))
    assert [w.monthly for w in _rows(led, AverageWage, AverageWage.region == "360000", AverageWage.year == 2027)] \
        == [Decimal("6500.00")]


def _check_rate(led: Ledger, r: Any) -> None:
    assert (r.region, r.scheme, r.start, r.end, r.employer, r.employee) \
        == ("360100", "medical", "2027-01", None, Decimal("0.07"), Decimal("0.02"))
    rows = _rows(led, RateOverride, RateOverride.region == "360100", RateOverride.scheme == "medical")
    assert [(o.from_month, o.employer, o.employee) for o in rows] == [(202701, Decimal("0.07"),
                                                                        Decimal("0.02"))]


def _check_agreement(led: Ledger, r: Any) -> None:
    assert r.first_posting_months == 60  # the shipped 48, corrected
    rows = _rows(led, AgreementOverride, AgreementOverride.country == "DE")
    assert [(o.field, o.value_json, o.reason) for o in rows] == [("first_posting_months", "60", "来函")]


def _check_user(led: Ledger, r: Any) -> None:
    assert (r.name, r.role, r.active, r.must_change, r.failed_attempts) == ("newbie", "clerk", True, True, 0)
    assert {u.name: u.role for u in led.users.list()}["newbie"] == "clerk"


def _check_unlock(led: Ledger, r: Any) -> None:
    assert (r.name, r.locked_until, r.failed_attempts) == ("clerk2", None, 0)
    assert as_(led, "clerk2").actor is not None  # no longer locked


def _check_backup(led: Ledger, r: Any) -> None:
    backup, key = _backup_files(led)
    assert (r.file, r.key_file, r.key_created) == (backup, key, True)
    assert backup.stat().st_size == r.size > 0 and key.exists()
    header = led.backups.check(backup, key)  # decrypted whole with the key written beside it
    assert header["image_digest"] == r.sha256 and header["kind"] == "full"


def _check_verify(led: Ledger, r: Any) -> None:
    assert (r.valid, r.reason, r.first_bad) == (True, "audit.ok", None) and r.entries > 0


def _check_search(led: Ledger, r: Any) -> None:
    worker = led.workers.get(PERSON).id
    assert r and {e.worker_id for e in r} == {worker}
    assert ("insert", "document") in {(e.action, e.table) for e in r}  # the statement issued at setup


def _check_approvals(led: Ledger, r: Any) -> None:
    assert r == []  # nothing asked for in the staffed office


def _check_statement(led: Ledger, r: Any) -> None:
    # 11 months at 8000: 11 x 8000 x 8% = 7040.00 in the individual account
    assert (r.worker.name, r.individual_account_balance) == ("张三", Decimal("7040.00"))


CHECKS: dict[str, Check] = {
    "worker.register": _check_worker, "employer.register": _check_employer, "contrib.record": _check_record,
    "contrib.preview": _check_preview, "contrib.import": _check_import, "document.issue": _check_issue,
    "document.reprint": _check_reprint, "worker.register_foreigner": _check_foreigner,
    "request.void": _check_request, "document.void": _check_void, "contrib.correct": _check_correct,
    "exemption.issue": _check_exemption, "approval.approve": _check_approve, "wage.set": _check_wage,
    "rate.set": _check_rate, "agreement.correct": _check_agreement, "user.add": _check_user,
    "user.unlock": _check_unlock, "backup": _check_backup, "audit.verify": _check_verify,
    "audit.search": _check_search, "approvals.list": _check_approvals, "worker.read": _check_statement,
}


@pytest.mark.parametrize("role", ["clerk", "supervisor", "admin"])
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_roles_are_enforced_in_the_services(staffed: Ledger, action: str, role: str) -> None:
    call, allowed = ACTIONS[action]
    as_(staffed, ACCOUNT_OF[role])
    if role in allowed:
        if action == "office.trust":  # a bad identity on purpose: let through the role check, then refused
            with pytest.raises(InvalidInput) as bad:
                call(staffed, PERSON)
            assert bad.value.key == "identity.format"
            return
        CHECKS[action](staffed, call(staffed, PERSON))
    else:
        with pytest.raises(NotAllowed) as err:
            call(staffed, PERSON)
        assert (err.value.key, err.value.exit_code) == ("role.refused", 5)
        own, needed = ROLE_ZH_EN[role], NEEDED[allowed]
        assert err.value.message() == f"当前账号的角色（{own[0]}）无权执行此操作，需要：{needed[0]}"
        assert err.value.message("en") == f"your role ({own[1]}) may not do this; it needs: {needed[1]}"


# -- the command line ------------------------------------------------------------------------


def test_cli_init_creates_the_first_administrator_and_then_everyone_signs_in(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from test_cli import run

    monkeypatch.delenv("SHEBAO_DB", raising=False)
    db = str(tmp_path / "cli.db")
    monkeypatch.setenv("SHEBAO_USER", "boss")
    monkeypatch.setenv("SHEBAO_PASSWORD", "short")
    code, data, _ = run(capsys, "--db", db, "--json", "init", "--office", "NC01", "--office-name", "南昌",
                        "--region", "360100")
    assert code == 2 and data["error"]["field"] == "password" and not Path(db).exists()
    monkeypatch.setenv("SHEBAO_PASSWORD", PASSWORD)
    code, data, _ = run(capsys, "--db", db, "--json", "init", "--office", "NC01", "--office-name", "南昌",
                        "--region", "360100")
    assert code == 0 and data["admin"] == {**data["admin"], "name": "boss", "role": "admin", "must_change": False}
    monkeypatch.delenv("SHEBAO_USER")
    code, data, err = run(capsys, "--db", db, "--json", "worker", "find", "张")
    assert code == 5 and "SHEBAO_USER" in err
    monkeypatch.setenv("SHEBAO_USER", "boss")
    monkeypatch.setenv("SHEBAO_PASSWORD", "wrong-password")
    code, data, _ = run(capsys, "--db", db, "--json", "--lang", "en", "worker", "find", "张")
    assert code == 5 and data["error"]["message"].startswith("wrong account name or password, or the account")
    monkeypatch.setenv("SHEBAO_PASSWORD", PASSWORD)
    monkeypatch.setenv("SHEBAO_NEW_PASSWORD", "Xiao-li-12345")
    code, data, _ = run(capsys, "--db", db, "--json", "user", "add", "xiaoli", "--role", "clerk")
    assert code == 0 and data["user"]["must_change"] is True
    code, data, _ = run(capsys, "--db", db, "--json", "wage", "set", "--region", "360000", "--year", "2026",
                        "--monthly", "6000")
    assert code == 0
    monkeypatch.setenv("SHEBAO_USER", "xiaoli")
    monkeypatch.setenv("SHEBAO_PASSWORD", "Xiao-li-12345")
    code, data, _ = run(capsys, "--db", db, "--json", "employer", "register", "--uscc", EMPLOYER, "--name", "赣江")
    assert code == 5 and "shebao user passwd" in data["error"]["message"]
    monkeypatch.setenv("SHEBAO_NEW_PASSWORD", "Li-counter-77")
    code, data, _ = run(capsys, "--db", db, "--json", "user", "passwd")
    assert code == 0 and data["user"]["must_change"] is False
    password_file = tmp_path / "pw.txt"  # for scheduled tasks: the password in a file only they read
    password_file.write_text("Li-counter-77\n", encoding="utf-8")
    monkeypatch.delenv("SHEBAO_PASSWORD")
    monkeypatch.setenv("SHEBAO_PASSWORD_FILE", str(password_file))
    code, data, _ = run(capsys, "--db", db, "--json", "employer", "register", "--uscc", EMPLOYER, "--name", "赣江")
    assert code == 0
    code, data, err = run(capsys, "--db", db, "--json", "wage", "set", "--region", "360000", "--year", "2025",
                          "--monthly", "6000")
    assert code == 5 and "系统管理员" in err and data["error"]["code"] == "not_allowed"
    code, data, _ = run(capsys, "--db", db, "--json", "user", "list")
    assert code == 5
    monkeypatch.delenv("SHEBAO_PASSWORD_FILE")
    monkeypatch.setenv("SHEBAO_USER", "boss")
    monkeypatch.setenv("SHEBAO_PASSWORD", PASSWORD)
    code, data, _ = run(capsys, "--db", db, "--json", "user", "list")
    assert code == 0 and [(u["name"], u["role"]) for u in data["users"]] == [("boss", "admin"), ("xiaoli", "clerk")]
    code, data, _ = run(capsys, "--db", db, "--json", "audit", "search", "--clerk", "xiaoli")
    assert code == 0 and any(e["table"] == "employer" and e["action"] == "insert" for e in data["entries"])


# -- the building blocks: scrypt, stored hashes, names, roles, password rules, lockout -------------

# RFC 7914 section 12, scrypt test vectors (64-byte outputs; PBKDF2 gives the first 32 bytes alone
# for dkLen 32): P="password", S="NaCl", N=1024, r=8, p=16 and P="", S="", N=16, r=1, p=1.
RFC_KEY_NACL = "/bq+HJ00cgB4VucZDQHp/nxq18vII3gw53N2Y0s3MWI="  # fd ba be 1c 9d 34 72 00 ... 4b 37 31 62
RFC_KEY_EMPTY = "d9ZXYjhleyA7GcpCwYoEl/FrSETjB0ro39/6P+3iFEI="  # 77 d6 57 62 38 65 7b 20 ... fe de 21 44 42
NACL_STORED = f"scrypt$10$8$16$TmFDbA==${RFC_KEY_NACL}"  # "TmFDbA==" is base64 of b"NaCl"


def test_hash_password_is_scrypt_as_rfc_7914_computes_it(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[object] = []

    def salt(n: object) -> bytes:
        asked.append(n)
        return b"NaCl"

    monkeypatch.setattr(security.os, "urandom", salt)
    assert hash_password("password", ScryptCost(10, 8, 16)) == NACL_STORED
    assert asked == [16]  # a 16-byte salt asked for
    assert verify_password("password", NACL_STORED)
    assert not verify_password("Password", NACL_STORED) and not verify_password("password ", NACL_STORED)
    assert verify_password("", f"scrypt$4$1$1$${RFC_KEY_EMPTY}")  # the empty password and salt
    assert not verify_password("x", f"scrypt$4$1$1$${RFC_KEY_EMPTY}")


def test_hash_password_uses_the_cost_given_else_the_current_one() -> None:
    # the current cost is the cheap one in tests (fast_hashing): N=2**4, r=8, p=1
    assert hash_password("Counter-2026!").split("$")[:4] == ["scrypt", "4", "8", "1"]
    given = hash_password("Counter-2026!", ScryptCost(5, 2, 3))
    assert given.split("$")[:4] == ["scrypt", "5", "2", "3"] and verify_password("Counter-2026!", given)
    chinese = hash_password("社保-密码-2026")
    assert verify_password("社保-密码-2026", chinese) and not verify_password("社保-密码-2025", chinese)


@pytest.mark.parametrize("stored", [
    f"bcrypt$10$8$16$TmFDbA==${RFC_KEY_NACL}",  # another scheme
    f"scrypt$10$8$16$TmFDbA==${RFC_KEY_NACL}$x",  # seven parts
    "scrypt$10$8$16$TmFDbA==",  # five parts
    f"scrypt$ten$8$16$TmFDbA==${RFC_KEY_NACL}",  # a cost that is no number
    f"scrypt$10$8$16$TmFDbA=${RFC_KEY_NACL}",  # bad base64 (binascii.Error is a ValueError)
    "", "password",
])
def test_a_stored_hash_that_cannot_be_read_matches_nothing_and_is_replaced(stored: str) -> None:
    assert verify_password("password", stored) is False
    assert needs_rehash(stored) is True


@pytest.mark.parametrize(("cost", "weaker"), [
    ("14$8$3", True), ("15$8$2", True), ("15$7$3", True), ("15$8$3", False), ("15$8$4", False),
    ("15$9$1", False), ("16$1$1", False),  # compared as (log2 N, r, p) in that order
])
def test_needs_rehash_compares_with_the_current_cost(monkeypatch: pytest.MonkeyPatch, cost: str,
                                                     weaker: bool) -> None:
    monkeypatch.setattr(security, "SCRYPT", ScryptCost(15, 8, 3))
    assert needs_rehash(f"scrypt${cost}$TmFDbA==${RFC_KEY_NACL}") is weaker


def test_scrypt_memory_is_openssls_figure() -> None:
    # 128 x r x (N + 2) + 128 x r x p: 128 x 8 x 32770 = 33,556,480; + 128 x 8 x 3 = 3,072
    assert ScryptCost(15, 8, 3).memory() == 33_559_552
    # 128 x 8 x 18 = 18,432; + 128 x 8 x 1 = 1,024
    assert ScryptCost(4, 8, 1).memory() == 19_456
    # 128 x 2 x 34 = 8,704; + 128 x 2 x 5 = 1,280
    assert ScryptCost(5, 2, 5).memory() == 9_984


def test_scrypt_is_given_the_cost_s_own_memory_need_and_one_mib_more(monkeypatch: pytest.MonkeyPatch) -> None:
    """The memory limit handed to OpenSSL bounds what a stored hash can make the program allocate:
    the cost's need (OpenSSL refuses one byte less) plus 1 MiB, never OpenSSL's default or more."""
    seen: list[dict[str, object]] = []
    real = hashlib.scrypt

    def spy(password: bytes, **kw: Any) -> bytes:
        seen.append(kw)
        return real(password, **kw)

    monkeypatch.setattr(security.hashlib, "scrypt", spy)
    assert verify_password("password", NACL_STORED)
    # N = 2**10, r = 8, p = 16: 128 x 8 x 1026 = 1,050,624; + 128 x 8 x 16 = 16,384; + 1,048,576
    assert seen == [{"salt": b"NaCl", "n": 1024, "r": 8, "p": 16, "dklen": 32, "maxmem": 2_115_584}]


def test_burn_time_does_one_scrypt_at_the_current_cost(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, bytes, ScryptCost]] = []
    real = security._scrypt

    def spy(password: str, salt: bytes, cost: ScryptCost) -> bytes:
        calls.append((password, salt, cost))
        return real(password, salt, cost)

    monkeypatch.setattr(security, "_scrypt", spy)
    assert security.burn_time("any-password") is None
    assert calls == [("any-password", b"\0" * 16, ScryptCost(4, 8, 1))]


def test_the_dummy_hash_is_at_the_current_cost_with_a_16_byte_salt_and_a_32_byte_key() -> None:
    kind, log2_n, r, p, salt, key = security.dummy_hash().split("$")
    assert (kind, log2_n, r, p) == ("scrypt", "4", "8", "1")
    assert (len(base64.b64decode(salt)), len(base64.b64decode(key))) == (16, 32)
    assert security.dummy_hash() == security.dummy_hash()  # made once per process


@pytest.mark.parametrize(("name", "clean"), [
    ("li.ming", "li.ming"), ("  wang_fang-2 ", "wang_fang-2"), ("李明", "李明"), ("ab", "ab"),
    ("a" * 60, "a" * 60)])
def test_account_names_that_are_taken(name: str, clean: str) -> None:
    assert security.check_name(name) == clean


@pytest.mark.parametrize(("name", "key"), [
    ("", "required"), ("   ", "required"), ("a", "user.name_format"), ("a" * 61, "user.name_format"),
    ("li ming", "user.name_format"), ("li@ming", "user.name_format"), ("=cmd", "text.formula"),
    ("+li", "text.formula")])
def test_account_names_that_are_refused(name: str, key: str) -> None:
    with pytest.raises(InvalidInput) as err:
        security.check_name(name)
    assert (err.value.key, err.value.field) == (key, "user")


def test_roles_are_checked_and_named() -> None:
    assert [security.check_role(r) for r in (" Admin ", "CLERK", "supervisor")] == ["admin", "clerk", "supervisor"]
    with pytest.raises(InvalidInput) as err:
        security.check_role(" boss ")
    assert (err.value.key, err.value.field) == ("role.unknown", "role")
    assert err.value.params == {"value": " boss ", "known": "clerk, supervisor, admin"}


def test_password_length_seven_is_short_eight_is_judged_on_strength() -> None:
    with pytest.raises(InvalidInput) as err:
        security.check_password("Kp7#vQ2", "clerk1")  # 7 characters
    assert (err.value.key, err.value.field, err.value.params) == ("password.short", "password", {"minimum": 8})
    with pytest.raises(InvalidInput) as err:  # 8 random characters: zxcvbn's 10**8 guesses, score 2
        security.check_password("Kp7#vQ2m", "clerk1")
    assert (err.value.key, err.value.field) == ("password.weak", "password")
    security.check_password("Kp7#vQ2mz", "clerk1")  # 9: 10**9 guesses, score 3 (the least taken)
    security.check_password("Kp7#vQ2mzR4!", "clerk1")  # score 4


def test_passwords_of_any_length_are_judged() -> None:
    """zxcvbn itself refuses more than 72 characters (ValueError); only the first 72 are estimated."""
    for length in (72, 73, 100, 101, 300):
        security.check_password(("Correct-Horse-Battery-Staple-" * 11)[:length], "clerk1")


@pytest.mark.parametrize(("password", "name", "office", "key"), [
    ("wang.fang", "wang.fang", (), "password.has_name"),  # the name itself (9 characters)
    ("WANG.FANG", "Wang.Fang", (), "password.has_name"),
    ("wang.fang-Qx7#pLm2vR9", "wang.fang", (), "password.has_name"),  # contains it
    ("Ming-Qx7#pLm2vR9", "ming", (), "password.has_name"),  # a name of 4 characters counts
    ("NC01-Qx7#pLm2vR9", "clerk1", ("NC01",), "password.has_office"),  # an office word of 4
    ("nc01-Qx7#pLm2vR9", "clerk1", (" NC01 ",), "password.has_office"),
    ("nanchangshishebaoju1", "clerk1", ("NC01", "南昌市社保局"), "password.has_office"),  # its pinyin
    ("qxz12345", "qxz", (), "password.has_name"),  # zxcvbn finds a name of 3 characters
    ("abababab", "clerk1", (), "password.common"),  # 2 different characters
    ("abcabcab", "clerk1", (), "password.sequence"),  # 3: judged by zxcvbn
    ("WoAiNi1314", "clerk1", (), "password.common"),
    ("5201314!", "clerk1", (), "password.common"),  # without its punctuation
    ("shebao2026!", "clerk1", (), "password.common"),  # without its punctuation and trailing digits
    ("5201314-Qx7#pLm2vR9", "clerk1", (), None),  # a common word inside a strong password
    ("Min-Qx7#pLm2vR9", "min", (), None),  # a name of 3 characters inside a strong one
    ("NC1-Qx7#pLm2vR9", "clerk1", ("NC1",), None),  # an office word of 3 characters
    ("nc01-Qx7#pLm2vR9", "clerk1", ("NC001",), None),
])
def test_password_rules_at_their_edges(password: str, name: str, office: tuple[str, ...], key: str | None) -> None:
    if key is None:
        security.check_password(password, name, office)
        return
    with pytest.raises(InvalidInput) as err:
        security.check_password(password, name, office)
    assert (err.value.key, err.value.field) == (key, "password")


def test_the_office_name_as_one_pinyin_word() -> None:
    assert security._pinyin(["NC01", "南昌市社保局", "赣州"]) == ["nanchangshishebaoju", "ganzhou"]
    assert security._pinyin(["NC01", "Office"]) == []


@pytest.mark.parametrize(("sequence", "name", "key"), [
    ([{"pattern": "dictionary", "dictionary_name": "user_inputs", "matched_word": "bob"}], "Bob",
     "password.has_name"),
    ([{"pattern": "dictionary", "dictionary_name": "user_inputs", "matched_word": "nanchang"}], "bob",
     "password.has_office"),
    ([{"pattern": "dictionary", "dictionary_name": "user_inputs"}], "", "password.has_name"),  # no word: ""
    ([{"pattern": "dictionary", "dictionary_name": "user_inputs"}], "bob", "password.has_office"),
    ([{"pattern": "dictionary", "dictionary_name": "passwords", "matched_word": "bob"}], "bob",
     "password.common_like"),
    ([{"pattern": "dictionary", "dictionary_name": "english_wikipedia"}, {"pattern": "spatial"}], "bob",
     "password.keyboard"),  # an ordinary word is not the weakness: the next part is
    ([{"pattern": "spatial"}], "bob", "password.keyboard"),
    ([{"pattern": "sequence"}], "bob", "password.sequence"),
    ([{"pattern": "repeat"}], "bob", "password.sequence"),
    ([{"pattern": "date"}], "bob", "password.date"),
    ([{"pattern": "regex"}], "bob", "password.date"),
    ([{"pattern": "bruteforce"}, {"pattern": "date"}], "bob", "password.date"),
    ([{"pattern": "bruteforce"}], "bob", "password.weak"),
    ([], "bob", "password.weak"),
])
def test_the_weakness_named_is_the_first_guessable_part(sequence: list[dict[str, object]], name: str,
                                                        key: str) -> None:
    assert security._weakness(sequence, name) == key


def test_the_counter_is_named_by_the_environment_else_the_host(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(security.socket, "gethostname", lambda: "host-7")
    monkeypatch.setenv("SHEBAO_COUNTER", "窗口3")
    assert security.counter_name() == "窗口3"
    monkeypatch.setenv("SHEBAO_COUNTER", "c" * 101)
    assert security.counter_name() == "c" * 100  # at most 100 characters
    monkeypatch.setenv("SHEBAO_COUNTER", "")
    assert security.counter_name() == "host-7"
    monkeypatch.delenv("SHEBAO_COUNTER")
    assert security.counter_name() == "host-7"
    monkeypatch.setattr(security.socket, "gethostname", lambda: "")
    assert security.counter_name() == "-"


def test_lockout_after_five_wrong_passwords_in_a_row_for_fifteen_minutes(ledger: Ledger) -> None:
    add_staff(ledger)
    start = dt.datetime(2026, 11, 23, 9, 0)
    ledger.clock = start
    for _ in range(4):  # four: not locked, the right password still signs in
        with pytest.raises(NotAllowed):
            ledger.sign_in("clerk1", "wrong-password")
    assert ledger.sign_in("clerk1", PASSWORD).failed_attempts == 0  # ... and starts the count again
    ledger.sign_out()
    for _ in range(4):
        with pytest.raises(NotAllowed):
            ledger.sign_in("clerk1", "wrong-password")
    with pytest.raises(NotAllowed) as err:  # the fifth in a row locks, until 09:15
        ledger.sign_in("clerk1", "wrong-password")
    assert (err.value.key, err.value.params) == ("auth.refused", {"minutes": 15, "failures": 5})
    ledger.clock = start + dt.timedelta(minutes=15, seconds=-1)  # 09:14:59: still locked
    with pytest.raises(NotAllowed) as err:
        ledger.sign_in("clerk1", PASSWORD)
    assert err.value.key == "auth.refused"
    ledger.clock = start + dt.timedelta(minutes=15)  # 09:15:00: the lock is over
    assert ledger.sign_in("clerk1", PASSWORD).locked_until is None
    ledger.sign_out()
    ledger.clock = start + dt.timedelta(minutes=15, seconds=1)
    assert ledger.sign_in("clerk1", PASSWORD).failed_attempts == 0


def test_a_passphrase_longer_than_zxcvbn_takes_is_a_password_like_any(ledger: Ledger) -> None:
    phrase = ("Correct-Horse-Battery-Staple-" * 3)[:80]  # 80 characters: more than zxcvbn's 72
    ledger.users.create_first_admin("admin1", phrase)
    assert ledger.sign_in("admin1", phrase).name == "admin1"
    ledger.sign_out()
    with pytest.raises(NotAllowed) as err:
        ledger.sign_in("admin1", phrase[:79])
    assert err.value.key == "auth.refused"
