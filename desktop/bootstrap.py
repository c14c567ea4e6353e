"""Install Shebao Desk's system packages and virtual environment, then run the demo or the tests."""

from __future__ import annotations

import glob
import hashlib
import importlib.util
import math
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / ".shebao-installed"
DEMO_DB = VENV / "demo-office.db"
DEMO_PNG = VENV / "demo-office.png"  # the screen under Xvfb, a few seconds after the window shows
SCREENSHOT_AFTER = 4  # seconds
# The demo office's accounts (desktop/core/demo.py ACCOUNTS; tests/test_demo.py checks they agree).
DEMO_SIGN_IN = "sign in as clerk / Counter@0791 (the counter) or admin / Nanchang@0791 (accounts, reference data)"
IS_WINDOWS = os.name == "nt"

QT_PACKAGES = (
    "libglib2.0-0", "libgl1", "libegl1", "libxkbcommon0", "libfontconfig1", "libdbus-1-3",
    "libxkbcommon-x11-0", "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-shape0",
    "libxcb-render-util0", "libxcb-image0", "libxcb-randr0", "libxcb-xinerama0", "libxcb-xkb1",
)
BASE_PACKAGES = (*QT_PACKAGES, "fonts-wqy-microhei", "poppler-utils")
X_PACKAGES = ("xvfb", "xauth")
TEST_PACKAGES = ("faketime",)
# libfaketime builds that run the suite at another date, tried in this order: the one the PyPI
# package `libfaketime` (a test extra) carries, then Debian's. Debian 12's 0.9.10 breaks Python
# 3.11's time.sleep (EINVAL with the monotonic clock left alone, a hang otherwise; libfaketime
# upstream issue 426), so each candidate is checked before it is used.
#
# With glibc 2.30 and later libfaketime by default "fixes" pthread_cond_timedwait on the monotonic
# clock by rebasing the deadline, even though that clock is not faked here: every such timed wait
# then returns at once. Python's GIL and Qt's wait conditions use those waits; a worker thread next
# to a Qt event loop ran 250 to 500 times slower, and window tests waiting on it timed out.
# FAKETIME_FORCE_MONOTONIC_FIX=0 passes the deadline through unchanged, and the check below times a
# real 50 ms wait on a monotonic condition variable to prove it.
FAKETIME_CHECK = """
import ctypes, datetime, time
time.sleep(0.01)
libc = ctypes.CDLL(None)
class TS(ctypes.Structure):
    _fields_ = [("s", ctypes.c_long), ("ns", ctypes.c_long)]
attr, cond, mutex = (ctypes.create_string_buffer(128) for _ in range(3))
libc.pthread_condattr_init(attr)
libc.pthread_condattr_setclock(attr, time.CLOCK_MONOTONIC)
libc.pthread_cond_init(cond, attr)
libc.pthread_mutex_init(mutex, None)
libc.pthread_mutex_lock(mutex)
end = time.clock_gettime(time.CLOCK_MONOTONIC) + 0.05
start = time.monotonic()
libc.pthread_cond_timedwait(cond, mutex, ctypes.byref(TS(int(end), int(end % 1 * 1e9))))
waited = time.monotonic() - start
if not 0.04 <= waited < 2:
    raise SystemExit(f"a 50 ms timed wait took {waited * 1000:.0f} ms")
print(datetime.datetime.now().isoformat(sep=" ", timespec="seconds"))
"""
DEBIAN_FAKETIME = ("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
                   "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1")
USAGE = """usage: python3 -m desktop.bootstrap COMMAND
  install [--test]     install system packages and .venv (with --test: test extras too)
  demo                 install, create the demo office database and open the window on it
  test [--at "YYYY-MM-DD HH:MM"] [PYTEST ARGS]
                       install with test extras and PostgreSQL, run the whole test suite;
                       with --at, under libfaketime with the system clock moved to that local time"""


def say(message: str) -> None:
    """Print one progress line."""
    print(f"[bootstrap] {message}", flush=True)


def venv_python() -> Path:
    """Path of the virtual environment's interpreter."""
    return VENV / ("Scripts/python.exe" if IS_WINDOWS else "bin/python")


def is_headless() -> bool:
    """True on Linux without an X11 or Wayland display."""
    return sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )


def postgres_present() -> bool:
    """True when initdb and pg_ctl are on PATH or in a Debian PostgreSQL bin directory."""
    if shutil.which("initdb") and shutil.which("pg_ctl"):
        return True
    return any(
        os.path.exists(f"{path}/initdb") and os.path.exists(f"{path}/pg_ctl")
        for path in glob.glob("/usr/lib/postgresql/*/bin")
    )


def wanted_packages(mode: str) -> list[str]:
    """Debian packages the given mode needs."""
    packages = list(BASE_PACKAGES)
    if importlib.util.find_spec("venv") is None or importlib.util.find_spec("ensurepip") is None:
        packages += ["python3-venv", "python3-pip"]
    if mode == "test" or (mode == "demo" and is_headless()):
        packages += X_PACKAGES
    if mode == "test":
        packages += TEST_PACKAGES
    if mode == "test" and not postgres_present():
        packages.append("postgresql")
    return packages


def missing_packages(packages: list[str]) -> list[str]:
    """Packages among `packages` that dpkg does not show as installed (one dpkg-query call)."""
    proc = subprocess.run(
        ["dpkg-query", "-W", "-f=${Package}\t${db:Status-Abbrev}\n", *packages],
        capture_output=True, text=True, check=False,
    )
    installed = set()
    for line in proc.stdout.splitlines():
        name, _, status = line.partition("\t")
        if status.startswith("ii"):
            installed.add(name.split(":")[0])
    return [package for package in packages if package not in installed]


def run_apt(command: list[str]) -> bool:
    """Run one non-interactive apt-get command; True when it succeeded."""
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    return subprocess.run(command, env=env, stdin=subprocess.DEVNULL, check=False).returncode == 0


def install_system_packages(mode: str) -> None:
    """Install the missing Debian packages through apt-get (as root, or via sudo)."""
    if IS_WINDOWS or not shutil.which("apt-get"):
        say("no apt-get here: skipping system packages (install Qt's runtime libraries yourself)")
        return
    missing = missing_packages(wanted_packages(mode))
    if not missing:
        say("system packages: all present")
        return
    update = ["apt-get", "update", "-q"]
    install = ["apt-get", "install", "-y", "-q", *missing]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        prefix: list[str] = []
    elif shutil.which("sudo"):
        prefix = ["sudo", "env", "DEBIAN_FRONTEND=noninteractive"]
    else:
        say("not root and no sudo: as root, run")
        say(f"  DEBIAN_FRONTEND=noninteractive {shlex.join(update)} && {shlex.join(install)}")
        return
    say(f"apt-get install {' '.join(missing)}")
    began = time.monotonic()
    if not run_apt([*prefix, *update]):
        say("apt-get update failed; trying the install anyway")
    if not run_apt([*prefix, *install]):
        say(f"apt-get install failed; run it yourself: {shlex.join(install)}")
        return
    say(f"system packages installed in {time.monotonic() - began:.0f} s")


def stamp_line(extras: str) -> str:
    """The stamp recording that pyproject.toml's current content is installed with `extras`."""
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    return f"{digest} {extras}"


def read_stamp() -> list[str]:
    """Lines of the stamp file, or none."""
    try:
        return STAMP.read_text(encoding="utf-8").split("\n")
    except OSError:
        return []


def create_venv() -> None:
    """Create .venv with the running interpreter when it has no working interpreter."""
    python = venv_python()
    if python.exists():
        return
    if sys.version_info < (3, 11):  # noqa: UP036
        say(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}")
        sys.exit(1)
    say(f"creating {VENV.name} with Python {sys.version.split()[0]}")
    if subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=False).returncode != 0:
        say("could not create the virtual environment (Debian: apt-get install python3-venv)")
        sys.exit(1)


def install_python_packages(extras: str) -> None:
    """pip-install the project in editable mode with `extras`, unless the stamp says it is done."""
    create_venv()
    line = stamp_line(extras)
    lines = read_stamp()
    if line in lines:
        say(f"Python packages [{extras}]: up to date")
        return
    python = str(venv_python())
    pip_check = [python, "-m", "pip", "--version"]
    if subprocess.run(pip_check, capture_output=True, check=False).returncode != 0:
        subprocess.run([python, "-m", "ensurepip", "--upgrade"], check=False)
    say(f"pip install -e .[{extras}] (first time takes a few minutes)")
    began = time.monotonic()
    command = [
        python, "-m", "pip", "install", "-q", "--disable-pip-version-check", "-e", f".[{extras}]",
    ]
    if subprocess.run(command, cwd=ROOT, check=False).returncode != 0:
        say("pip install failed")
        sys.exit(1)
    digest = line.split()[0]
    kept = [old for old in lines if old.startswith(digest + " ") and old != line]
    STAMP.write_text("\n".join([*kept, line]) + "\n", encoding="utf-8")
    say(f"Python packages installed in {time.monotonic() - began:.0f} s")


def install(mode: str) -> None:
    """The whole install step for `mode` (install, demo or test)."""
    began = time.monotonic()
    install_system_packages(mode)
    install_python_packages("test" if mode == "test" else "postgres")
    say(f"install step done in {time.monotonic() - began:.1f} s")


def start_xvfb() -> subprocess.Popen[bytes] | None:
    """Start Xvfb on the first free display from :99 and point DISPLAY at it.

    It runs in a session of its own, so a Ctrl+C in the terminal does not take the screen away
    from under the window; `stop_xvfb` ends it after the window."""
    if not shutil.which("Xvfb"):
        say("no display and no Xvfb (apt-get install xvfb): Qt will probably fail to start")
        return None
    number = 99
    while os.path.exists(f"/tmp/.X{number}-lock") or os.path.exists(f"/tmp/.X11-unix/X{number}"):
        number += 1
    process = subprocess.Popen(
        ["Xvfb", f":{number}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    deadline = time.monotonic() + 10
    while not os.path.exists(f"/tmp/.X11-unix/X{number}") and time.monotonic() < deadline:
        if process.poll() is not None:
            say("Xvfb exited at once")
            return None
        time.sleep(0.1)
    os.environ["DISPLAY"] = f":{number}"
    say(f"no display found: started Xvfb :{number}, a virtual screen nobody sees; the window opens there")
    say(f"to see it: a picture of that screen is written to {DEMO_PNG} {SCREENSHOT_AFTER} s after the window shows")
    say("to use it: run the demo on a desktop or through `ssh -X` (then there is a display), or watch the")
    say(f"  virtual screen with VNC: `x11vnc -display :{number} -localhost` (apt-get install x11vnc) and a")
    say("  VNC viewer on port 5900 through an SSH tunnel")
    return process


def stop_xvfb(process: subprocess.Popen[bytes]) -> None:
    """End the Xvfb that start_xvfb started."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def create_demo_database() -> None:
    """Create the demo office database unless it already exists."""
    if DEMO_DB.exists():
        say(f"demo database: {DEMO_DB} (exists)")
        return
    say(f"creating the demo office database {DEMO_DB}")
    command = [str(venv_python()), "-m", "desktop.cli", "demo", "--db", str(DEMO_DB)]
    code = subprocess.run(command, cwd=ROOT, check=False).returncode
    if code != 0:
        for leftover in (DEMO_DB, Path(f"{DEMO_DB}-wal"), Path(f"{DEMO_DB}-shm")):
            leftover.unlink(missing_ok=True)
        say(f"creating the demo database failed ({code})")
        sys.exit(code)


def run_demo() -> int:
    """Install, create the demo database and open the application window on it."""
    install("demo")
    create_demo_database()
    xvfb = start_xvfb() if is_headless() else None
    python = str(venv_python())
    command = [python, "-m", "desktop", "--db", str(DEMO_DB)]
    say(f"opening Shebao Desk: {DEMO_SIGN_IN}")
    say("Ctrl+C here closes the window and ends the demo")
    if xvfb is None and not IS_WINDOWS:
        os.chdir(ROOT)
        os.execv(python, command)  # the window itself ends cleanly on Ctrl+C
    if xvfb is None:
        return run_window(command)
    DEMO_PNG.unlink(missing_ok=True)
    try:
        return run_window([*command, "--screenshot", str(DEMO_PNG), "--screenshot-after", str(SCREENSHOT_AFTER)],
                          DEMO_PNG)
    finally:
        stop_xvfb(xvfb)


def run_window(command: list[str], picture: Path | None = None) -> int:
    """Run the window until it ends, and its exit code as a shell would give it (128 + N when signal
    N ended it: never a negative number, which the exit status would wrap to 256 - N, as 241 for
    SIGTERM). Ctrl+C or SIGTERM here is passed on to the window, which closes as if closed by
    hand (exit code 0); one that does not end within 20 s is killed. When the window is to save a
    picture of the screen, its path is named once written."""
    window = subprocess.Popen(command, cwd=ROOT, start_new_session=not IS_WINDOWS)
    asked: list[int] = []

    def pass_on(number: int, _frame: object) -> None:
        asked.append(number)
        if not IS_WINDOWS and window.poll() is None:  # on Windows the console has told the window
            window.send_signal(number)

    previous = {number: signal.signal(number, pass_on) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        code = wait_for_window(window, asked, picture)
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    if code < 0:
        say(f"the window was ended by signal {-code}")
        return 128 - code
    if asked:
        say(f"the window is closed (exit code {code})")
    return code


def wait_for_window(window: subprocess.Popen[bytes], asked: list[int], picture: Path | None) -> int:
    """Wait for the window, saying when the screen's picture is written; kill it 20 s after it was
    asked to close and has not."""
    pictured = picture is None
    deadline: float | None = None
    while True:
        try:
            return window.wait(timeout=0.2)
        except subprocess.TimeoutExpired:
            pass
        if not pictured and picture is not None and picture.exists():
            pictured = True
            say(f"a picture of the screen: {picture}")
        if asked and deadline is None:
            deadline = time.monotonic() + 20
            say("closing the window")
        if deadline is not None and time.monotonic() > deadline:
            say("the window did not close in 20 s: killing it")
            window.kill()


def sets_workers(args: list[str]) -> bool:
    """True when the pytest arguments already choose xdist workers or disable xdist."""
    for arg in args:
        if arg in ("-n", "--numprocesses", "no:xdist", "-pno:xdist"):
            return True
        if arg.startswith("--numprocesses=") or (arg.startswith("-n") and arg[2:].isalnum()):
            return True
    return False


def split_at(args: list[str]) -> tuple[str | None, list[str]]:
    """The --at value (or None) and the remaining pytest arguments."""
    rest: list[str] = []
    at: str | None = None
    items = iter(args)
    for arg in items:
        if arg == "--at":
            at = next(items, None)
            if at is None:
                raise SystemExit("--at needs a local date and time, e.g. --at '2028-02-29 10:00'")
        elif arg.startswith("--at="):
            at = arg[len("--at="):]
        else:
            rest.append(arg)
    return at, rest


def faketime_candidates() -> list[str]:
    """libfaketime shared libraries present here, in the order they are tried."""
    found: list[str] = []
    probe = ("import importlib.util, pathlib; spec = importlib.util.find_spec('libfaketime'); "
             "print(pathlib.Path(spec.origin).parent / 'vendor/libfaketime/src/libfaketime.so.1' "
             "if spec and spec.origin else '')")
    out = subprocess.run([str(venv_python()), "-c", probe], capture_output=True, text=True, check=False)
    path = out.stdout.strip()
    if path and os.path.exists(path):
        found.append(path)
    found += [path for path in DEBIAN_FAKETIME if os.path.exists(path)]
    return found


def faketime_env(at: str) -> dict[str, str]:
    """Environment entries that move the clock of every process started with them to local time
    `at` (all processes share one shifted timeline; the monotonic clock and timers stay real)."""
    from datetime import datetime

    for layout in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"):
        try:
            target = datetime.strptime(at, layout)
            break
        except ValueError:
            continue
    else:
        raise SystemExit(f"--at {at!r}: expected a local date and time as YYYY-MM-DD HH:MM")
    offset = math.ceil(time.mktime(target.timetuple()) - time.time())
    for library in faketime_candidates():
        env = {"LD_PRELOAD": library, "FAKETIME": f"{offset:+d}", "FAKETIME_DONT_FAKE_MONOTONIC": "1",
               "FAKETIME_FORCE_MONOTONIC_FIX": "0"}
        try:
            check = subprocess.run([str(venv_python()), "-c", FAKETIME_CHECK], env={**os.environ, **env},
                                   capture_output=True, text=True, timeout=30, check=False)
        except subprocess.TimeoutExpired:
            say(f"libfaketime {library} hangs Python's timed waits here: skipped")
            continue
        if check.returncode == 0:
            say(f"libfaketime {library}: the clock reads {check.stdout.strip()} (offset {offset:+d} s)")
            return env
        why = (check.stderr.strip().splitlines() or ["no reason given"])[-1]
        say(f"libfaketime {library} breaks Python's sleeps or timed waits here ({why}): skipped")
    raise SystemExit("no working libfaketime: install the test extras (pip package libfaketime)")


def run_tests(args: list[str]) -> int:
    """Install with test extras and run the whole test suite; return pytest's exit code."""
    install("test")
    at, args = split_at(args)
    env = dict(os.environ)
    if at is not None:
        env.update(faketime_env(at))
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.setdefault("SHEBAO_TEST_POSTGRES", "required")
    command = [str(venv_python()), "-m", "pytest"]
    if not sets_workers(args):
        command += ["-n", "2"]
    command += args
    shifted = f" at {at} local time (libfaketime)" if at is not None else ""
    say(f"running {shlex.join(['python', *command[1:]])}{shifted}")
    code = subprocess.run(command, cwd=ROOT, env=env, check=False).returncode
    if code == 5:
        say("pytest collected no tests: failing")
        return 1
    return code


def main(argv: list[str]) -> int:
    """Dispatch the command line."""
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(USAGE)
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    if command == "install":
        install("test" if "--test" in rest else "install")
        return 0
    if command == "demo":
        return run_demo()
    if command == "test":
        return run_tests(rest)
    print(USAGE, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
