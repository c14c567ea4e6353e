"""The demo office looks like a real one, and `bootstrap demo` under Xvfb pictures its screen and ends
cleanly on Ctrl+C."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from desktop import bootstrap
from desktop.cli import main as cli_main
from desktop.core.calc import is_back_payment
from desktop.core.clock import Clock
from desktop.core.demo import ACCOUNTS, build_demo
from desktop.core.ledger import Ledger
from desktop.core.month import Month
from desktop.core.store.models import Contribution

AT = dt.datetime(2026, 11, 23, 10, 0)
CLERK = next((name, password) for name, role, password in ACCOUNTS if role == "clerk")
ADMIN = next((name, password) for name, role, password in ACCOUNTS if role == "admin")
SCHEMES_A_MONTH = 4  # pension, medical (with maternity), unemployment, injury in 2023-2026


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Ledger, dict[str, Any]]]:
    """The demo office as `shebao demo` makes it (200 people, 36 months), on 2026-11-23."""
    ledger = Ledger.open(tmp_path_factory.mktemp("demo") / "demo.db", clock=Clock(at=AT))
    result = build_demo(ledger)
    ledger.sign_in(*CLERK)
    yield ledger, result
    ledger.close()


def kinds(ledger: Ledger) -> dict[tuple[str, str], int]:
    with ledger.read() as s:
        rows = s.execute(select(Contribution.kind, Contribution.status, func.count())
                         .group_by(Contribution.kind, Contribution.status))
        return {(kind, status): count for kind, status, count in rows}


def test_months_are_paid_on_time_but_for_a_few(demo: tuple[Ledger, dict[str, Any]]) -> None:
    ledger, result = demo
    assert result["people"] == 200 and result["employers"] == 5 and result["declarations"] == 36
    # one person's 3 months declared half a year late, and another's 2 months of arrears paid late
    assert result["back_payment_months"] == 5
    assert result["back_payment_lines"] == 5 * SCHEMES_A_MONTH
    # 3 + 1 months declared in time and not paid (still open)
    assert result["arrears_months"] == 4
    assert result["arrears_lines"] == 4 * SCHEMES_A_MONTH
    found = kinds(ledger)
    assert found == {("back_payment", "paid"): 20, ("regular", "arrears"): 16,
                     ("regular", "paid"): result["lines"] - 36}
    assert result["on_time_months"] == result["months_recorded"] - 9
    assert found[("regular", "paid")] / result["lines"] > 0.99


def test_each_month_is_recorded_when_it_is_due(demo: tuple[Ledger, dict[str, Any]]) -> None:
    ledger, _result = demo
    with ledger.read() as s:
        rows = s.execute(select(Contribution.month, Contribution.recorded_on, Contribution.kind).distinct()).all()
    assert rows
    for month, recorded_on, kind in rows:
        late = is_back_payment(Month.from_int(month), Month.of(recorded_on))
        assert late == (kind == "back_payment"), (month, recorded_on, kind)
        assert recorded_on < AT.date()
    months = {month for month, _on, _kind in rows}
    assert min(months) == 202311 and max(months) == 202610  # 36 months, up to last month


def test_an_open_transfer_case_and_a_certificate_of_coverage(demo: tuple[Ledger, dict[str, Any]]) -> None:
    ledger, result = demo
    cases = ledger.transfers.list()
    assert [c.number for c in cases] == [result["transfer_case"]] and result["transfer_cases"] == 1
    case = cases[0]
    assert (case.status, case.kind, case.channel) == ("requested", "transfer", "paper")
    assert (case.from_region, case.to_region, case.applied_on) == ("440300", "360100", AT.date())
    assert not case.overdue and case.due is not None and case.due > AT.date()
    certificates = ledger.exemptions.register_list()
    assert [c.number for c in certificates] == [result["certificate"]] and result["certificates"] == 1
    cert = certificates[0]
    assert cert.country == "DE" and not cert.withdrawn
    assert cert.issued_on < AT.date() <= cert.valid_to and cert.valid_from == dt.date(2026, 11, 1)


def test_two_accounts_sign_in_with_the_printed_passwords(demo: tuple[Ledger, dict[str, Any]]) -> None:
    ledger, result = demo
    assert result["accounts"] == [{"name": n, "role": r, "password": p} for n, r, p in ACCOUNTS]
    ledger.sign_out()
    try:
        ledger.sign_in(*ADMIN)
        users = {u.name: (u.role, u.active, u.must_change) for u in ledger.users.list()}
        assert users == {ADMIN[0]: ("admin", True, False), CLERK[0]: ("clerk", True, False)}
        verdict = ledger.audit.verify(None)
        assert verdict.valid and verdict.entries > 0
    finally:
        ledger.sign_out()
        ledger.sign_in(*CLERK)
    for name, _role, password in ACCOUNTS:  # the bootstrap tells them to whoever opens the window
        assert f"{name} / {password}" in bootstrap.DEMO_SIGN_IN


def test_the_same_day_gives_the_same_office(tmp_path: Path) -> None:
    def office(path: Path) -> tuple[dict[str, Any], list[tuple[Any, ...]]]:
        ledger = Ledger.open(path, clock=Clock(at=dt.datetime(2027, 3, 1, 0, 5)))  # the 1st, just after midnight
        try:
            result = build_demo(ledger, people=30, months=12)
            ledger.sign_in(*CLERK)
            with ledger.read() as s:
                rows = s.execute(select(Contribution.worker_id, Contribution.month, Contribution.scheme,
                                        Contribution.base, Contribution.kind, Contribution.status,
                                        Contribution.recorded_on).order_by(Contribution.id)).all()
            return result, [tuple(r) for r in rows]
        finally:
            ledger.close()

    first, second = office(tmp_path / "a.db"), office(tmp_path / "b.db")
    assert first == second
    result, rows = first
    assert result["back_payment_months"] == 5 and result["arrears_months"] == 4
    assert result["certificates"] == 1 and result["transfer_cases"] == 1
    assert all(on < dt.date(2027, 3, 1) for *_rest, on in rows)


# `bootstrap demo` without its install step, on a small demo database, the picture after 1 s.
FAKE_BOOTSTRAP = """
import sys
from pathlib import Path
from desktop import bootstrap
bootstrap.install = lambda mode: None
bootstrap.venv_python = lambda: Path(sys.executable)
bootstrap.DEMO_DB = Path(sys.argv[1])
bootstrap.DEMO_PNG = Path(sys.argv[2])
bootstrap.SCREENSHOT_AFTER = 1
sys.exit(bootstrap.main(["demo"]))
"""


def children(pid: int) -> dict[int, str]:
    """The processes whose parent is pid, with their command lines (Linux /proc)."""
    out = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            out[int(entry.name)] = command
    return out


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def colours(path: Path) -> int:
    """How many different colours a grid of the picture's pixels has (a blank picture has one)."""
    from PySide6.QtGui import QImage

    image = QImage(str(path))
    assert not image.isNull() and (image.width(), image.height()) == (1280, 800)
    return len({image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)})


def run_demo(tmp: Path, db: Path, stop: str) -> tuple[int, str, Path]:
    """Run the demo under its own Xvfb until the picture is written, then stop it as `stop` says:
    "ctrl-c" (SIGINT to the bootstrap's process group, as a terminal does) or "term-window" (SIGTERM
    to the window alone). The exit code, the output, and the picture."""
    picture = tmp / f"{stop}.png"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env.update(PYTHONPATH=str(bootstrap.ROOT), XDG_CONFIG_HOME=str(tmp / "config"),
               XDG_DATA_HOME=str(tmp / "data"), XDG_CACHE_HOME=str(tmp / "cache"))
    process = subprocess.Popen([sys.executable, "-c", FAKE_BOOTSTRAP, str(db), str(picture)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while not picture.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert picture.exists(), "no picture of the screen"
        started = children(process.pid)
        xvfb = [pid for pid, command in started.items() if command.startswith("Xvfb")]
        window = [pid for pid, command in started.items() if "-m desktop " in command]
        assert len(xvfb) == 1 and len(window) == 1, started
        if stop == "ctrl-c":
            os.killpg(process.pid, signal.SIGINT)
        else:
            os.kill(window[0], signal.SIGTERM)
        out, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert not alive(xvfb[0]) and not alive(window[0])
    return process.returncode, out.decode(errors="replace"), picture


@pytest.mark.skipif(shutil.which("Xvfb") is None or not sys.platform.startswith("linux"), reason="needs Xvfb")
def test_bootstrap_demo_under_xvfb_pictures_the_screen_and_ends_cleanly(tmp_path: Path) -> None:
    db = tmp_path / "demo-office.db"
    assert cli_main(["demo", "--db", str(db), "--people", "20", "--months", "12"],
                    clock=Clock(at=AT)) == 0
    code, out, picture = run_demo(tmp_path, db, "ctrl-c")
    assert code == 0, out
    assert "Traceback" not in out and "KeyboardInterrupt" not in out
    assert "x11vnc -display :" in out and f"a picture of the screen: {picture}" in out
    assert colours(picture) > 10  # the window and its sign-in dialog, not a black screen
    # SIGTERM to the window alone once ended the demo with 241 (the window's -15 passed to sys.exit)
    code, out, picture = run_demo(tmp_path, db, "term-window")
    assert code == 0, out
    assert "Traceback" not in out
