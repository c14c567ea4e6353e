"""Accounts: password hashing and rules, signing in, lockout, first password, roles per action."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import EMPLOYER, EMPLOYER_2
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
from desktop.core.store.models import UserAccount

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
STATEMENT = "OFF01-ZM2026000001"


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


ACTIONS: dict[str, tuple[Action, frozenset[str]]] = {
    "worker.register": (lambda led, p: led.workers.register_citizen("36010219900101123X", "李四", "360102", "urban"),
                        security.COUNTER),
    "employer.register": (lambda led, p: led.employers.register(EMPLOYER_2, "新单位", "360100", 1), security.COUNTER),
    "contrib.record": (lambda led, p: led.contributions.record(p, EMPLOYER, "2025-11", "7000"), security.COUNTER),
    "contrib.preview": (lambda led, p: led.contributions.record(p, EMPLOYER, "2025-11", "7000", preview=True),
                        security.ANY),
    "contrib.import": (_declaration, security.COUNTER),
    "document.issue": (lambda led, p: led.documents.issue("statement", p), security.COUNTER),
    "document.reprint": (lambda led, p: led.documents.reprint(STATEMENT), security.COUNTER),
    "worker.register_foreigner": (lambda led, p: led.workers.register_foreigner("DE", "C01X00T47", "Anna", "F",
                                                                                "1990-01-01"),
                                  security.COUNTER),
    "request.void": (lambda led, p: led.approvals.request_void(STATEMENT, "打印错误"), security.COUNTER),
    "document.void": (lambda led, p: led.documents.void(STATEMENT, "打印错误"), security.SUPERVISE),
    "contrib.correct": (lambda led, p: led.contributions.correct(p, EMPLOYER, "2026-10", "9000", "工资申报有误"),
                        security.SUPERVISE),
    "exemption.issue": (lambda led, p: led.exemptions.issue(p, "DE", EMPLOYER, "Muster GmbH", "2026-12-01",
                                                            "2027-11-30", passport="EA1234567"), security.SUPERVISE),
    "approval.approve": (_request_then_approve, security.SUPERVISE),
    "wage.set": (lambda led, p: led.reference.set_wage("360000", 2027, "6500"), security.ADMIN),
    "rate.set": (lambda led, p: led.reference.set_rate("360100", "medical", "2027-01", "0.07", "0.02"),
                 security.ADMIN),
    "agreement.correct": (lambda led, p: led.exemptions.correct("DE", "first_posting_months", "48", "来函", "x"),
                          security.ADMIN),
    "office.trust": (lambda led, p: led.office.trust({"format": "x"}), security.ADMIN),
    "user.add": (lambda led, p: led.users.add("newbie", "clerk", PASSWORD), security.ADMIN),
    "user.unlock": (lambda led, p: led.users.unlock("clerk1"), security.ADMIN),
    "backup": (lambda led, p: led.backups.backup(Path(led.engine.url.database or "").with_name("b.sbk"),
                                                 Path(led.engine.url.database or "").with_name("k.key")),
               security.ADMIN),
    "audit.verify": (lambda led, p: led.audit.verify(), security.AUDIT),
    "audit.search": (lambda led, p: led.audit.search(person=p), security.AUDIT),
    "approvals.list": (lambda led, p: led.approvals.list(), security.ANY),
    "worker.read": (lambda led, p: led.accounts.statement(p), security.ANY),
}
ACCOUNT_OF = {"clerk": "clerk1", "supervisor": "sup1", "admin": "admin1"}


@pytest.mark.parametrize("role", ["clerk", "supervisor", "admin"])
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_roles_are_enforced_in_the_services(staffed: Ledger, action: str, role: str) -> None:
    call, allowed = ACTIONS[action]
    as_(staffed, ACCOUNT_OF[role])
    if role in allowed:
        try:
            call(staffed, PERSON)
        except InvalidInput as err:  # office.trust gets a bad identity on purpose: allowed, then checked
            assert action == "office.trust", err
    else:
        with pytest.raises(NotAllowed) as err:
            call(staffed, PERSON)
        assert err.value.key == "role.refused" and err.value.exit_code == 5
        assert "需要" in err.value.message() and "needs" in err.value.message("en")


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
