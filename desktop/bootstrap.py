"""Install Shebao Desk's system packages and virtual environment, then run the demo or the tests."""

from __future__ import annotations

import glob
import hashlib
import importlib.util
import json
import math
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / ".shebao-installed"
DEMO_DB = VENV / "demo-office.db"
DEMO_PNG = VENV / "demo-office.png"  # the screen under Xvfb, a few seconds after the window shows
SCREENSHOT_AFTER = 4  # seconds
# The demo office's accounts (desktop/core/demo.py ACCOUNTS; tests/test_demo.py checks they agree).
# The demo office's keys: a key store beside the demo database, under a published passphrase (it is
# a made-up office; SHEBAO_KEY_DIR / SHEBAO_KEY_PASSPHRASE set beforehand win).
DEMO_KEYS = VENV / "demo-keys"
DEMO_KEY_PASSPHRASE = "Demo-Keys@0791"
DEMO_SIGN_IN = "sign in as clerk / Counter@0791 (the counter) or admin / Nanchang@0791 (accounts, reference data)"
IS_WINDOWS = os.name == "nt"

QT_PACKAGES = (
    "libglib2.0-0", "libgl1", "libegl1", "libxkbcommon0", "libfontconfig1", "libdbus-1-3",
    "libxkbcommon-x11-0", "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-shape0",
    "libxcb-render-util0", "libxcb-image0", "libxcb-randr0", "libxcb-xinerama0", "libxcb-xkb1",
)
BASE_PACKAGES = (*QT_PACKAGES, "fonts-wqy-microhei", "poppler-utils")
X_PACKAGES = ("xvfb", "xauth")
TEST_PACKAGES = ("faketime", "softhsm2")  # softhsm2: a PKCS#11 token for tests/test_pkcs11.py
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
                       with --at, under libfaketime with the system clock moved to that local time
  mutation [--ci | --module desktop.core.NAME ...] [--max-children N]
                       install with test extras, check the five planted faults are caught
                       (tests/mutation/planted.py), run mutmut over the configured modules (all, or
                       those named) and score them (tests/mutation/score.py; fails under 90% or on
                       a survivor not listed as equivalent); --ci: the job sized for CI
  bundle [--out DIR]   write an offline bundle: the project's wheel, every dependency's wheel for
                       this Python and platform, install.sh / install.bat (no network needed);
                       default DIR dist/shebao-desk-VERSION-bundle"""


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
    os.environ.setdefault("SHEBAO_KEY_DIR", str(DEMO_KEYS))
    os.environ.setdefault("SHEBAO_KEY_PASSPHRASE", DEMO_KEY_PASSPHRASE)
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
        return run_window([*command, "--picture", str(DEMO_PNG), "--picture-after", str(SCREENSHOT_AFTER)],
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


def run_mutation(args: list[str]) -> int:
    """Install with test extras, check the planted faults, run mutmut on the configured modules and
    score them; non-zero when either fails."""
    install("test")
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    planted = [str(venv_python()), "-m", "tests.mutation.planted"]
    say(f"running {shlex.join(['python', *planted[1:]])}")
    code = subprocess.run(planted, cwd=ROOT, env=env, check=False).returncode
    shutil.rmtree(ROOT / "mutants", ignore_errors=True)  # a fresh copy of the code, every run
    command = [str(venv_python()), "-m", "tests.mutation.score", "--run", *args]
    say(f"running {shlex.join(['python', *command[1:]])}")
    return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode or code


# The offline bundle (`bundle`): the project's wheel and every dependency's, for the interpreter and
# platform it is built on, with installers that use no network. The `postgres` extra goes in too:
# an office without internet cannot fetch it later.
BUNDLE_EXTRAS = "postgres"
BUNDLE_PROBE = """
import json, platform, sys, sysconfig
print(json.dumps({"python": "%d.%d" % sys.version_info[:2], "python_full": platform.python_version(),
                  "implementation": sys.implementation.name, "system": platform.system(),
                  "machine": platform.machine(), "platform": sysconfig.get_platform()}))
"""
BUNDLE_INSTALL_SH = r"""#!/bin/sh
# Installs Shebao Desk @VERSION@ from the wheels beside this script, with no network: a virtual
# environment in PREFIX, `pip install --no-index` from ./wheels, and `shebao`, `shebao-desk` linked
# into BIN. The office's data is not here but in ~/.local/share/shebao-desk/ (kept on --uninstall).
set -eu
VERSION='@VERSION@'
EXTRAS='@EXTRAS@'
BUILT_PYTHON='@PYTHON@'
BUILT_MACHINE='@MACHINE@'
BUILT_SYSTEM='@SYSTEM@'
BUILT_IMPLEMENTATION='@IMPLEMENTATION@'
HERE=$(cd "$(dirname "$0")" && pwd)
MARK=.shebao-desk-bundle
if [ "$(id -u)" = 0 ]; then
    PREFIX=/opt/shebao-desk; BIN=/usr/local/bin
else
    PREFIX="$HOME/.local/share/shebao-desk/app"; BIN="$HOME/.local/bin"
fi
PYTHON=python3
UNINSTALL=

usage() {
    echo "usage: sh install.sh [--prefix DIR] [--bin DIR] [--python PYTHON] [--uninstall]"
    echo "  --prefix DIR     the application's environment (now $PREFIX)"
    echo "  --bin DIR        where shebao and shebao-desk are linked (now $BIN)"
    echo "  --python PYTHON  Python $BUILT_PYTHON to make it with (now $PYTHON)"
    echo "  --uninstall      remove the environment and the links; the office's data stays"
}

value() {
    [ $# -ge 2 ] || { echo "install.sh: $1 needs a value" >&2; exit 2; }
    printf '%s' "$2"
}

while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) PREFIX=$(value "$@"); shift 2 ;;
        --prefix=*) PREFIX=${1#*=}; shift ;;
        --bin) BIN=$(value "$@"); shift 2 ;;
        --bin=*) BIN=${1#*=}; shift ;;
        --python) PYTHON=$(value "$@"); shift 2 ;;
        --python=*) PYTHON=${1#*=}; shift ;;
        --uninstall) UNINSTALL=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "install.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done

unlink_commands() {
    for name in shebao shebao-desk; do
        if [ -L "$BIN/$name" ] && [ "$(readlink "$BIN/$name")" = "$PREFIX/bin/$name" ]; then
            rm -f "$BIN/$name"
        fi
    done
}

if [ -n "$UNINSTALL" ]; then
    if [ ! -f "$PREFIX/$MARK" ]; then
        echo "install.sh: $PREFIX is not a Shebao Desk installation made by this script" >&2
        exit 2
    fi
    unlink_commands
    rm -rf "$PREFIX"
    echo "已删除 $PREFIX。办公数据（数据库、日志）保留在 ~/.local/share/shebao-desk/。"
    echo "Removed $PREFIX. The office's data (database, logs) stays in ~/.local/share/shebao-desk/."
    exit 0
fi

if [ "$(uname -s)" != "$BUILT_SYSTEM" ]; then
    echo "本安装包是为 $BUILT_SYSTEM 制作的，不能在 $(uname -s) 上安装。" >&2
    echo "This bundle was built for $BUILT_SYSTEM and cannot be installed on $(uname -s):" \
         "build it on a machine like this one (python3 -m desktop.bootstrap bundle)." >&2
    exit 3
fi
if ! command -v "$PYTHON" >/dev/null 2>&1; then
    echo "未找到 $PYTHON。请安装 Python $BUILT_PYTHON，或用 --python 指定。" >&2
    echo "$PYTHON not found: install Python $BUILT_PYTHON or name it with --python." >&2
    exit 3
fi
PROBE='import platform, sys
v = sys.version_info
print("%d.%d %s %s" % (v[0], v[1], platform.machine(), sys.implementation.name))'
FOUND=$("$PYTHON" -c "$PROBE" 2>/dev/null || echo "unknown")
WANTED="$BUILT_PYTHON $BUILT_MACHINE $BUILT_IMPLEMENTATION"
if [ "$FOUND" != "$WANTED" ]; then
    echo "本安装包是为 Python $BUILT_PYTHON（$BUILT_MACHINE，$BUILT_IMPLEMENTATION）制作的，" \
         "而 $PYTHON 是：$FOUND。未安装任何内容。" >&2
    echo "This bundle was built for Python $BUILT_PYTHON on $BUILT_MACHINE ($BUILT_IMPLEMENTATION);" \
         "$PYTHON is: $FOUND. Nothing was installed." >&2
    echo "Name a Python $BUILT_PYTHON with --python, or build the bundle on a machine like this one:" \
         "python3 -m desktop.bootstrap bundle" >&2
    exit 3
fi

if [ -e "$PREFIX" ] && [ ! -f "$PREFIX/$MARK" ] && [ -n "$(ls -A "$PREFIX" 2>/dev/null)" ]; then
    echo "install.sh: $PREFIX exists and is not a Shebao Desk installation made by this script;" \
         "choose another --prefix" >&2
    exit 2
fi
began=$(date +%s)
rm -rf "$PREFIX"
echo "installing Shebao Desk $VERSION into $PREFIX (no network)"
"$PYTHON" -m venv --without-pip "$PREFIX"
# pip itself runs from its wheel in the bundle: no python3-venv or python3-pip needed. Only this
# folder is looked in: pip's configuration files and PIP_FIND_LINKS are left out.
PIP_WHEEL=$(ls "$HERE"/wheels/pip-*.whl | tail -n 1)
if ! env -u PIP_FIND_LINKS PIP_CONFIG_FILE=/dev/null PIP_NO_INDEX=1 \
        "$PREFIX/bin/python" "$PIP_WHEEL/pip" install --no-index --find-links "$HERE/wheels" \
        --no-cache-dir --disable-pip-version-check --quiet \
        pip "shebao-desk[$EXTRAS]==$VERSION"; then
    rm -rf "$PREFIX"
    echo "install.sh: pip could not install from $HERE/wheels; nothing was installed" >&2
    exit 1
fi
printf 'shebao-desk %s from %s\n' "$VERSION" "$HERE" > "$PREFIX/$MARK"
mkdir -p "$BIN"
for name in shebao shebao-desk; do
    ln -sf "$PREFIX/bin/$name" "$BIN/$name"
done
echo "已安装（$(( $(date +%s) - began )) 秒）：$BIN/shebao，$BIN/shebao-desk。请运行 shebao doctor 检查。"
echo "Installed in $(( $(date +%s) - began )) s: $BIN/shebao and $BIN/shebao-desk. Check with: shebao doctor"
case ":$PATH:" in
    *":$BIN:"*) ;;
    *) echo "$BIN is not on PATH: add it, or run $BIN/shebao" ;;
esac
"""
BUNDLE_INSTALL_PS1 = r"""# Installs Shebao Desk @VERSION@ from the wheels beside this script, with no network: a virtual
# environment in -Prefix, pip install --no-index from .\wheels, and a Start-menu shortcut.
# The office's data is not here but in %LOCALAPPDATA%\shebao-desk\ (kept by -Uninstall).
param(
    [string]$Prefix = "$env:LOCALAPPDATA\Programs\shebao-desk",
    [string]$Python = "",
    [switch]$Uninstall
)
$ErrorActionPreference = "Stop"
$Here = Split-Path -Parent $MyInvocation.MyCommand.Path
$Meta = Get-Content -Raw -Encoding UTF8 (Join-Path $Here "bundle.json") | ConvertFrom-Json
$Mark = Join-Path $Prefix ".shebao-desk-bundle"
$Shortcut = Join-Path ([Environment]::GetFolderPath("Programs")) "社保经办桌面.lnk"

if ($Uninstall) {
    if (-not (Test-Path $Mark)) { Write-Host "$Prefix is not a Shebao Desk installation made by this script"; exit 2 }
    Remove-Item -Recurse -Force $Prefix
    if (Test-Path $Shortcut) { Remove-Item -Force $Shortcut }
    Write-Host "已删除 $Prefix。办公数据保留在 $env:LOCALAPPDATA\shebao-desk\。"
    Write-Host "Removed $Prefix. The office's data stays in $env:LOCALAPPDATA\shebao-desk\."
    exit 0
}
if ($Meta.system -ne "Windows") {
    Write-Host "本安装包是为 $($Meta.system) 制作的，不能在 Windows 上安装：请在 Windows 上制作安装包。"
    Write-Host ("This bundle was built on $($Meta.system) and holds its wheels, not Windows ones: " +
                "build the bundle on Windows (py -m desktop.bootstrap bundle).")
    exit 3
}
$PyArgs = @()
if (-not $Python) {
    if (Get-Command py -ErrorAction SilentlyContinue) { $Python = "py"; $PyArgs = @("-$($Meta.python)") }
    else { $Python = "python" }
}
$Probe = ("import platform, sys; v = sys.version_info; " +
          "print('%d.%d %s %s' % (v[0], v[1], platform.machine(), sys.implementation.name))")
$Found = (& $Python @PyArgs -c $Probe 2>$null | Out-String).Trim()
$Wanted = "$($Meta.python) $($Meta.machine) $($Meta.implementation)"
if ($Found -ne $Wanted) {
    Write-Host "本安装包是为 Python $($Meta.python)（$($Meta.machine)）制作的，而 $Python 是：$Found。未安装任何内容。"
    Write-Host ("This bundle was built for Python $($Meta.python) on $($Meta.machine); $Python is: $Found. " +
                "Nothing was installed. Install Python $($Meta.python) or name it with -Python.")
    exit 3
}
if ((Test-Path $Prefix) -and -not (Test-Path $Mark)) {
    Write-Host "$Prefix exists and is not a Shebao Desk installation made by this script: choose another -Prefix"
    exit 2
}
if (Test-Path $Prefix) { Remove-Item -Recurse -Force $Prefix }
Write-Host "installing Shebao Desk $($Meta.version) into $Prefix (no network)"
& $Python @PyArgs -m venv --without-pip $Prefix
if ($LASTEXITCODE -ne 0) { exit 1 }
$PipWheel = (Get-ChildItem (Join-Path $Here "wheels\pip-*.whl") | Select-Object -Last 1).FullName
$env:PIP_CONFIG_FILE = "nul"
$env:PIP_NO_INDEX = "1"
Remove-Item Env:PIP_FIND_LINKS -ErrorAction SilentlyContinue
$PipArgs = @("install", "--no-index", "--find-links", (Join-Path $Here "wheels"), "--no-cache-dir",
             "--disable-pip-version-check", "--quiet", "pip", "shebao-desk[$($Meta.extras)]==$($Meta.version)")
& (Join-Path $Prefix "Scripts\python.exe") "$PipWheel\pip" @PipArgs
if ($LASTEXITCODE -ne 0) {
    Remove-Item -Recurse -Force $Prefix
    Write-Host "pip could not install from the bundle; nothing was installed"
    exit 1
}
Set-Content -Path $Mark -Value "shebao-desk $($Meta.version) from $Here"
$Link = (New-Object -ComObject WScript.Shell).CreateShortcut($Shortcut)
$Link.TargetPath = Join-Path $Prefix "Scripts\shebao-desk.exe"
$Link.Save()
Write-Host "已安装：开始菜单「社保经办桌面」；命令行 $Prefix\Scripts\shebao.exe doctor"
Write-Host "Installed: Start menu 社保经办桌面; command line $Prefix\Scripts\shebao.exe doctor"
"""
BUNDLE_INSTALL_BAT = "@echo off\r\npowershell -NoProfile -ExecutionPolicy Bypass -File \"%~dp0install.ps1\" %*\r\n"
BUNDLE_README = """社保经办桌面 Shebao Desk @VERSION@ — 离线安装包 / offline bundle
为 Python @PYTHON@（@SYSTEM@，@MACHINE@）制作 / built for Python @PYTHON@ on @SYSTEM@ @MACHINE@ (@PLATFORM@)

【中文】
本文件夹包含社保经办桌面及其全部依赖（wheels/），安装时无需联网。

Linux：
  sh install.sh                       普通用户：装到 ~/.local/share/shebao-desk/app，命令链接到 ~/.local/bin
  sudo sh install.sh                  root：装到 /opt/shebao-desk，命令链接到 /usr/local/bin
  sh install.sh --prefix 目录 --bin 目录 --python python3.11
  shebao doctor                       检查安装（0 表示没有问题）
  sh install.sh --uninstall           卸载（数据保留）
  需要：Python @PYTHON@（python3 -m venv 可用即可，不需要 pip），Qt 运行库，中文字体
  fonts-wqy-microhei 或 fonts-wqy-zenhei（Debian/统信 UOS/麒麟：apt-get install）。
  Python 版本不符时安装脚本会拒绝并说明原因。

Windows：
  安装包必须在 Windows 上制作（py -m desktop.bootstrap bundle），其中才是 Windows 的 wheel。
  双击 install.bat，或在 PowerShell 中运行 .\\install.ps1 [-Prefix 目录] [-Python 路径] [-Uninstall]。
  装到 %LOCALAPPDATA%\\Programs\\shebao-desk，并在开始菜单添加「社保经办桌面」。

数据：办公数据库在用户数据目录（Linux ~/.local/share/shebao-desk/database/office.db，Windows
%LOCALAPPDATA%\\shebao-desk\\database\\office.db），不在程序目录中。卸载或重新安装都不会删除数据。
完整性：SHA256SUMS 列出每个文件的校验值（Linux：sha256sum -c SHA256SUMS）。

[English]
This folder holds Shebao Desk and every dependency (wheels/); installing needs no network.

Linux:
  sh install.sh                       as a user: into ~/.local/share/shebao-desk/app, commands in ~/.local/bin
  sudo sh install.sh                  as root: into /opt/shebao-desk, commands in /usr/local/bin
  sh install.sh --prefix DIR --bin DIR --python python3.11
  shebao doctor                       checks the installation (exit 0: no problem)
  sh install.sh --uninstall           removes it (the data stays)
  Needs Python @PYTHON@ (python3 -m venv; pip is not needed), Qt's runtime libraries and a Chinese
  TrueType font, fonts-wqy-microhei or fonts-wqy-zenhei (Debian, UOS, Kylin: apt-get install).
  With another Python version install.sh refuses and says why.

Windows:
  The bundle must be built on Windows (py -m desktop.bootstrap bundle) to hold Windows wheels.
  Run install.bat, or in PowerShell .\\install.ps1 [-Prefix DIR] [-Python PATH] [-Uninstall].
  It installs into %LOCALAPPDATA%\\Programs\\shebao-desk with a Start-menu entry 社保经办桌面.

Data: the office database is in the user data directory (Linux ~/.local/share/shebao-desk/database/
office.db, Windows %LOCALAPPDATA%\\shebao-desk\\database\\office.db), never in the program's folder.
Uninstalling or reinstalling leaves it alone.
Integrity: SHA256SUMS lists every file's checksum (Linux: sha256sum -c SHA256SUMS).
"""


def fill(template: str, meta: dict[str, str]) -> str:
    """`template` with each @KEY@ replaced by meta["key"]."""
    for key, value in meta.items():
        template = template.replace(f"@{key.upper()}@", value)
    return template


def bundle_pip() -> list[str]:
    """The pip that builds the bundle: the running interpreter's, else the one in .venv (made with
    the running interpreter when missing). The bundle is for that interpreter's Python version."""
    if importlib.util.find_spec("pip") is not None:
        return [sys.executable, "-m", "pip"]
    create_venv()
    python = str(venv_python())
    if subprocess.run([python, "-m", "pip", "--version"], capture_output=True, check=False).returncode != 0:
        subprocess.run([python, "-m", "ensurepip", "--upgrade"], check=False)
    return [python, "-m", "pip"]


def bundle_target(python: str) -> dict[str, str]:
    """What the bundle is built for: `python`'s version, implementation, system and machine."""
    out = subprocess.run([python, "-c", BUNDLE_PROBE], capture_output=True, text=True, check=True)
    target: dict[str, str] = json.loads(out.stdout)
    return target


def source_copy_ignore(directory: str, names: list[str]) -> list[str]:
    """What the wheel's source copy leaves out: the checkout's own folders and caches."""
    skipped = {"__pycache__"}
    if Path(directory).resolve() == ROOT:
        skipped |= {name for name in names if name.startswith(".")} | {"build", "dist", "tmp", "mutants"}
        skipped |= {name for name in names if name.endswith(".egg-info")}
    return [name for name in names if name in skipped]


def build_project_wheel(pip: list[str], wheels: Path) -> Path:
    """Build the project's wheel into `wheels` from a clean copy of the checkout (no stale build/)."""
    with tempfile.TemporaryDirectory(prefix="shebao-wheel-") as tmp:
        source = Path(tmp) / "shebao-desk"
        shutil.copytree(ROOT, source, ignore=source_copy_ignore)
        command = [*pip, "wheel", "-q", "--disable-pip-version-check", "--no-deps",
                   "--wheel-dir", str(wheels), str(source)]
        if subprocess.run(command, check=False).returncode != 0:
            raise SystemExit("building the project's wheel failed")
    built = sorted(wheels.glob("shebao_desk-*.whl"))
    if len(built) != 1:
        raise SystemExit(f"expected one shebao_desk wheel in {wheels}, found {len(built)}")
    return built[0]


def prepare_bundle_dir(out: Path) -> None:
    """Empty `out` for a new bundle; refuse a folder that holds something else."""
    if out.exists() and any(out.iterdir()):
        if not (out / "bundle.json").is_file():
            raise SystemExit(f"{out} exists and is not a bundle: choose another --out")
        shutil.rmtree(out)
    (out / "wheels").mkdir(parents=True, exist_ok=True)


def write_checksums(out: Path) -> None:
    """SHA256SUMS: every file of the bundle, in `sha256sum -c` format."""
    lines = []
    for path in sorted(p for p in out.rglob("*") if p.is_file() and p.name != "SHA256SUMS"):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        lines.append(f"{digest}  {path.relative_to(out).as_posix()}")
    (out / "SHA256SUMS").write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_bundle_files(out: Path, meta: dict[str, str]) -> None:
    """The installers, the README and bundle.json beside the wheels."""
    (out / "bundle.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    script = out / "install.sh"
    script.write_text(fill(BUNDLE_INSTALL_SH, meta), encoding="utf-8", newline="\n")
    script.chmod(0o755)
    # Windows PowerShell 5 reads a script without a byte-order mark in the ANSI code page
    (out / "install.ps1").write_text(fill(BUNDLE_INSTALL_PS1, meta), encoding="utf-8-sig", newline="\r\n")
    (out / "install.bat").write_text(BUNDLE_INSTALL_BAT, encoding="ascii", newline="")
    (out / "README.txt").write_text(fill(BUNDLE_README, meta), encoding="utf-8",
                                    newline="\r\n" if meta["system"] == "Windows" else "\n")


def build_bundle(out: Path | None) -> int:
    """Write the offline bundle into `out` (default dist/shebao-desk-VERSION-bundle)."""
    from datetime import UTC, datetime

    from desktop import __version__

    began = time.monotonic()
    out = (out or ROOT / "dist" / f"shebao-desk-{__version__}-bundle").resolve()
    pip = bundle_pip()
    target = bundle_target(pip[0])
    say(f"bundle for Python {target['python_full']} on {target['platform']} into {out}")
    prepare_bundle_dir(out)
    wheels = out / "wheels"
    wheel = build_project_wheel(pip, wheels)
    version = wheel.name.split("-")[1]
    say(f"built {wheel.name} in {time.monotonic() - began:.1f} s")
    step = time.monotonic()
    command = [*pip, "download", "-q", "--disable-pip-version-check", "--only-binary=:all:",
               "--dest", str(wheels), f"{wheel}[{BUNDLE_EXTRAS}]", "pip"]
    if subprocess.run(command, check=False).returncode != 0:
        raise SystemExit("pip download failed: every dependency must exist as a wheel for this Python")
    count = len(list(wheels.glob("*.whl")))
    size = sum(p.stat().st_size for p in wheels.glob("*.whl")) / 2**20
    say(f"downloaded the dependencies in {time.monotonic() - step:.1f} s: {count} wheels, {size:.0f} MiB")
    meta = {"version": version, "extras": BUNDLE_EXTRAS, **target,
            "built": datetime.now(UTC).isoformat(timespec="seconds")}
    write_bundle_files(out, meta)
    write_checksums(out)
    say(f"bundle done in {time.monotonic() - began:.1f} s: {out}")
    say(f"install with: sh {out / 'install.sh'}" if not IS_WINDOWS else f"install with: {out / 'install.bat'}")
    return 0


def run_bundle(args: list[str]) -> int:
    """`bundle [--out DIR]`."""
    out: Path | None = None
    items = iter(args)
    for arg in items:
        if arg == "--out":
            value = next(items, None)
            if value is None:
                raise SystemExit("--out needs a folder")
            out = Path(value)
        elif arg.startswith("--out="):
            out = Path(arg[len("--out="):])
        else:
            print(USAGE, file=sys.stderr)
            return 2
    return build_bundle(out)


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
    if command == "mutation":
        return run_mutation(rest)
    if command == "bundle":
        return run_bundle(rest)
    print(USAGE, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
