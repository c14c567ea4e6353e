"""Sign-in gives away nothing: an unknown account, a wrong password, a locked and a disabled account
get the same answer (text, exit code) after the same time; passwords must be hard to guess."""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
from pathlib import Path

import pytest
from conftest import TODAY
from test_cli import run
from test_security_support import CHEAP, PASSWORD

from desktop.core import security
from desktop.core.errors import InvalidInput, NotAllowed
from desktop.core.ledger import Ledger
from desktop.core.security import check_password

CASES = ("unknown", "wrong", "locked", "disabled")


def _refusal(ledger: Ledger, case: str) -> NotAllowed:
    name, password = {"unknown": ("nobody", PASSWORD), "wrong": ("clerk1", "wrong-password"),
                      "locked": ("locked1", PASSWORD), "disabled": ("gone1", PASSWORD)}[case]
    with pytest.raises(NotAllowed) as err:
        ledger.sign_in(name, password)
    assert err.value.key == "auth.refused"
    return err.value


def _staff(ledger: Ledger) -> None:
    """admin1 and clerk1 usable, locked1 locked by five wrong passwords, gone1 disabled."""
    ledger.users.create_first_admin("admin1", PASSWORD)
    ledger.sign_in("admin1", PASSWORD)
    for name in ("clerk1", "locked1", "gone1"):
        ledger.users.add(name, "clerk", PASSWORD, must_change=False)
    ledger.users.set_active("gone1", False)
    ledger.sign_out()
    for _ in range(security.MAX_FAILURES):
        with pytest.raises(NotAllowed) as err:
            ledger.sign_in("locked1", "wrong-password")
        assert err.value.key == "auth.refused"


def test_the_four_refusals_take_the_same_time_at_the_shipped_cost(ledger: Ledger) -> None:
    """The four cases take the same time, within 10%, at the shipped scrypt cost.

    The time taken is the CPU time of the signing-in thread (the scrypt verification, the SQL, the
    audit entry all run there): it is what the four cases must share, and unlike the wall clock it
    does not stop while other work holds the processor. It still moves with that work (scrypt is
    memory-hard, and a loaded machine's memory is slower), so each round runs the four cases back
    to back in a shuffled order and each case's time is taken relative to its round's mean; the
    medians of those relative times are compared, more rounds when noisy."""
    assert security.SCRYPT == security.ScryptCost(15, 8, 3)  # no test made hashing cheap here
    _staff(ledger)
    relative: dict[str, list[float]] = {c: [] for c in CASES}
    seconds: list[float] = []
    rng = random.Random(7)
    spread = 1.0
    medians: dict[str, float] = {}
    for _batch in range(6):
        for _ in range(6):
            order = list(CASES)
            rng.shuffle(order)
            took: dict[str, float] = {}
            for case in order:
                start = time.thread_time()
                _refusal(ledger, case)
                took[case] = time.thread_time() - start
            mean = statistics.fmean(took.values())
            for case, t in took.items():
                relative[case].append(t / mean)
            seconds += took.values()
        medians = {c: statistics.median(r) for c, r in relative.items()}
        spread = max(medians.values()) / min(medians.values()) - 1
        if spread <= 0.10:
            break
    assert spread <= 0.10, medians
    assert min(seconds) > 0.01  # each did a real scrypt verification


@pytest.fixture
def cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(security, "SCRYPT", CHEAP)


def test_the_four_refusals_say_the_same_and_the_lock_still_holds(ledger: Ledger, cheap: None) -> None:
    ledger.clock = dt.datetime(2026, 11, 23, 9, 0)
    _staff(ledger)
    refusals = {c: _refusal(ledger, c) for c in CASES}
    for lang in ("zh", "en"):
        assert len({r.message(lang) for r in refusals.values()}) == 1
    assert {r.key for r in refusals.values()} == {"auth.refused"}
    assert refusals["wrong"].message() == ("账号或密码不正确，或账号暂时不能登录（连续输错5次密码后须等待15分钟，"
                                           "或请管理员解锁；停用的账号不能登录）")
    assert ledger.actor is None  # the locked account's right password was refused
    ledger.sign_in("admin1", PASSWORD)
    users = {u.name: u for u in ledger.users.list()}
    assert users["locked1"].locked_until == dt.datetime(2026, 11, 23, 9, 15)
    assert not users["gone1"].active and users["clerk1"].locked_until is None
    events = [e.after for e in ledger.audit.search(table="user_account", limit=50) if e.row_id == "sign_in_failed"]
    assert [(e or {}).get("reason") for e in events[:4]] == ["disabled", "locked", "wrong password",
                                                               "unknown account"]
    assert [(e or {}).get("account") for e in events[:4]] == ["gone1", "locked1", "clerk1", None]


def test_the_command_line_answers_alike(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch, cheap: None) -> None:
    db = str(tmp_path / "office.db")
    led = Ledger.open(db, clock=lambda: TODAY)
    led.office.init("NC01", "南昌", "360100")
    _staff(led)
    led.close()
    monkeypatch.delenv("SHEBAO_DB", raising=False)
    seen: dict[str, set[tuple[int, str]]] = {"zh": set(), "en": set()}
    for name, password in (("nobody", PASSWORD), ("clerk1", "wrong-password"), ("locked1", PASSWORD),
                           ("gone1", PASSWORD)):
        monkeypatch.setenv("SHEBAO_USER", name)
        monkeypatch.setenv("SHEBAO_PASSWORD", password)
        for lang in ("zh", "en"):
            code, data, _ = run(capsys, "--db", db, "--json", "--lang", lang, "worker", "find", "张")
            seen[lang].add((code, data["error"]["message"]))
            code, text, err = run(capsys, "--db", db, "--lang", lang, "worker", "find", "张")
            seen[lang].add((code, (text + err).strip().splitlines()[-1]))
    assert {code for lang in seen for code, _ in seen[lang]} == {5}
    assert len(seen["zh"]) == 1 and len(seen["en"]) == 1  # JSON and text: the same line for all four
    assert any("账号暂时不能登录" in m for _, m in seen["zh"])
    assert any("cannot sign in now" in m for _, m in seen["en"])


@pytest.mark.parametrize(("password", "reason"), [
    ("qwertyuiop", "password.common_like"), ("Passw0rd!", "password.common_like"),
    ("password123", "password.common_like"), ("P@ssword2026", "password.common_like"),
    ("Qwerty123!", "password.common_like"), ("1qaz2wsx3edc", "password.common_like"),
    ("zxcvbnm,./", "password.keyboard"), ("abcdefghijk", "password.sequence"),
    ("xyzxyzxyzxyz", "password.sequence"), ("woaini1314!", "password.common"),
    ("clerk1-Counter", "password.has_name"), ("NC01-Counter-9", "password.has_office"),
    ("12345678", "password.common_like"), ("19851111", "password.date"),
])
def test_weak_passwords_are_refused_naming_the_weakness(password: str, reason: str) -> None:
    with pytest.raises(InvalidInput) as err:
        check_password(password, "clerk1", ("NC01", "南昌市社保局"))
    assert err.value.key == reason and err.value.field == "password"
    assert err.value.message("en") and err.value.message("zh")


def test_the_passwords_the_demo_and_the_tests_use_are_strong() -> None:
    from desktop.core.demo import ACCOUNTS
    from desktop.core.pages import SUPERVISOR

    for name, _role, password in (*ACCOUNTS, SUPERVISOR):
        check_password(password, name, ("360100", "南昌市社会保险事业管理局"))
    for password in (PASSWORD, "First-pass-1", "Second-pass-2", "Third-pass-3", "Xiao-li-12345",
                     "Li-counter-77", "Admin-pass-2026", "Clerk-pass-2026", "Chief-pass-2026",
                     "Correct-Horse-42", "Supervise@0791", "First-Counter-31!"):
        check_password(password, "clerk1", ("NC01", "南昌"))


def test_every_way_to_set_a_password_checks_it(ledger: Ledger, cheap: None) -> None:
    with pytest.raises(InvalidInput) as err:
        ledger.users.create_first_admin("admin1", "Passw0rd!")
    assert err.value.key == "password.common_like"
    with pytest.raises(InvalidInput) as err:
        ledger.users.create_first_admin("admin1", "OFF01-admin-77")  # the office's code (conftest)
    assert err.value.key == "password.has_office"
    _staff(ledger)
    ledger.sign_in("admin1", PASSWORD)
    for call in (lambda: ledger.users.add("clerk9", "clerk", "qwertyuiop"),
                 lambda: ledger.users.reset_password("clerk1", "password123")):
        with pytest.raises(InvalidInput) as err:
            call()
        assert err.value.key == "password.common_like"
    ledger.sign_out()
    ledger.sign_in("clerk1", PASSWORD)
    with pytest.raises(InvalidInput) as err:
        ledger.users.change_password(PASSWORD, "Qwerty123!")
    assert err.value.key == "password.common_like"


def test_the_dummy_hash_costs_what_a_real_one_does_and_matches_nothing() -> None:
    """Made without hashing (so a fresh command-line process answers an unknown name no slower), at
    the shipped cost: verifying against it is one full scrypt."""
    assert security.dummy_hash().startswith("scrypt$15$8$3$")
    assert not security.needs_rehash(security.dummy_hash())
    assert not security.verify_password("", security.dummy_hash())
