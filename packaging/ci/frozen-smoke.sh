#!/usr/bin/env bash
# The frozen build (packaging/pyinstaller/shebao-desk.spec) made on Linux and tried as an installed
# copy: proves that a frozen build finds its data, migrations, fonts, Qt plugins and translations.
#
#   bash packaging/ci/frozen-smoke.sh
#
# 1. copies the checkout's files (tracked and untracked, not ignored) to a temporary folder, makes a
#    virtual environment there, installs the copy with the postgres extra and PyInstaller, and
#    builds the spec: nothing is written into the checkout;
# 2. moves the built folder to a temporary folder of its own and removes the copy and the virtual
#    environment; every program then runs from another empty folder, with an empty HOME and a
#    cleared environment, so nothing of the checkout or of a Python installation can be used;
# 3. shebao --version, init, worker register, print statement (pdftotext finds the name), doctor
#    (exit 0; the printers listed by the frozen shebao-desk, the data folders inside the build),
#    then shebao-desk --screenshot offscreen in Chinese and in English: the picture is written, the
#    window's database lock guard runs (the executable again, holding its locks) and the
#    translation files are loaded (mapped into the window's process); nothing was written into
#    the build's folder meanwhile (installed in Program Files, it is read-only);
# 4. removes everything it made, and prints how long each step took.
#
# SHEBAO_FROZEN_DIST=dist/shebao-desk tries a folder built before instead of building one.
#
# Needs python3 (3.11 or newer, with its shared library: pyenv builds have it, Debian's python3 with
# the package libpython3.11), objdump and objcopy (binutils, installed here with apt-get when missing
# and run as root) and pdftotext (poppler-utils, which `python3 -m desktop.bootstrap test` installs).
# PYTHON names another interpreter.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PYTHON=${PYTHON:-python3}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/shebao-frozen-build.XXXXXX")
PLACE=$(mktemp -d "${TMPDIR:-/tmp}/shebao-frozen-app.XXXXXX")
trap 'rm -rf "$WORK" "$PLACE"' EXIT
START=$(date +%s)
STEP=$START

say() { echo "== frozen: $*"; }
fail() { echo "== frozen: FAILED: $*" >&2; exit 1; }
took() {  # the time since the last step
    local now
    now=$(date +%s)
    say "$1: $((now - STEP)) s"
    STEP=$now
}

# -- tools ------------------------------------------------------------------------------------------
if ! command -v objdump >/dev/null || ! command -v objcopy >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "apt-get install binutils (PyInstaller reads and writes executables with it)"
        apt-get update -q >/dev/null || true
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q binutils >/dev/null
    else
        fail "PyInstaller needs objdump and objcopy: apt-get install binutils"
    fi
fi
command -v pdftotext >/dev/null || fail "pdftotext is missing: apt-get install poppler-utils"

# -- build ------------------------------------------------------------------------------------------
build() {  # the spec built from a copy of the checkout, into $WORK/dist/shebao-desk
    mkdir "$WORK/src"
    if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard \
            | xargs -0 -r sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh \
            | tar --null -T - -cf -) | tar -xf - -C "$WORK/src"
    else
        (cd "$ROOT" && tar --exclude=./.venv --exclude=./build --exclude=./dist -cf - .) | tar -xf - -C "$WORK/src"
    fi
    "$PYTHON" -m venv "$WORK/venv"
    if ! "$WORK/venv/bin/python" -m pip install -q --disable-pip-version-check \
            "$WORK/src[postgres]" "pyinstaller>=6.10,<7" >"$WORK/pip.log" 2>&1; then
        tail -n 40 "$WORK/pip.log"
        fail "pip install .[postgres] pyinstaller"
    fi
    took "virtual environment with the application and PyInstaller"

    say "pyinstaller packaging/pyinstaller/shebao-desk.spec"
    if ! (cd "$WORK" && PYINSTALLER_CONFIG_DIR="$WORK/pyinstaller-cache" "$WORK/venv/bin/pyinstaller" \
            --noconfirm --clean --log-level WARN --distpath "$WORK/dist" --workpath "$WORK/build" \
            "$WORK/src/packaging/pyinstaller/shebao-desk.spec" >"$WORK/build.log" 2>&1); then
        tail -n 60 "$WORK/build.log"
        fail "the frozen build did not finish"
    fi
    took "frozen build"
}

VERSION=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$ROOT/desktop/__init__.py")
[ -n "$VERSION" ] || fail "no __version__ in desktop/__init__.py"
if [ -n "${SHEBAO_FROZEN_DIST:-}" ]; then  # a folder built before: only tried (to work on this script)
    say "trying $SHEBAO_FROZEN_DIST, not building"
    mkdir -p "$WORK/dist"
    cp -a "$SHEBAO_FROZEN_DIST" "$WORK/dist/shebao-desk"
else
    build
fi

# -- install: the built folder alone, away from the checkout ----------------------------------------
APP="$PLACE/shebao-desk"
mv "$WORK/dist/shebao-desk" "$APP"
rm -rf "$WORK"
SIZE=$(du -sm "$APP" | cut -f1)
say "installed in $APP: ${SIZE} MiB, $(find "$APP" -type f | wc -l) files"
took "install (the build moved, the rest removed)"
RUN="$PLACE/run"
mkdir -p "$RUN/home" "$RUN/tmp"
touch "$RUN/installed"  # nothing may be written into the build's folder later (Program Files)
cd "$RUN"

# the programs run with nothing from this shell: no PYTHONPATH, no SHEBAO_*, no virtual environment;
# only the key store's passphrase, as an office's nightly script gives it
CLEAN=(env -i HOME="$RUN/home" TMPDIR="$RUN/tmp" PATH=/usr/bin:/bin LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen
       SHEBAO_KEY_PASSPHRASE="smoke-test passphrase")
frozen() { "${CLEAN[@]}" "$@"; }
SHEBAO=("$APP/shebao")
DESK=("$APP/shebao-desk")

# -- the command line -------------------------------------------------------------------------------
[ "$(frozen "${SHEBAO[@]}" --version)" = "shebao $VERSION" ] || fail "shebao --version"
[ "$(frozen "${DESK[@]}" --version)" = "shebao-desk $VERSION" ] || fail "shebao-desk --version"
frozen "${SHEBAO[@]}" init --office 360100001 --office-name 南昌市社保局 --region 360100 \
    || fail "shebao init (the migrations from the build)"
frozen "${SHEBAO[@]}" worker register --id-number 510107198511113215 --name 张三 --hukou-region 510107 \
    --hukou-type rural || fail "shebao worker register"
frozen "${SHEBAO[@]}" print statement 510107198511113215 --out x.pdf >/dev/null || fail "shebao print statement"
pdftotext x.pdf - | grep -q 张三 || fail "the printed statement does not show 张三 (the CJK font)"
took "command line: init, register, print"

frozen "${SHEBAO[@]}" doctor || fail "shebao doctor (exit $?)"
frozen "${SHEBAO[@]}" --json doctor >doctor.json || fail "shebao --json doctor"
grep -q '"doctor.printers.unknown"' doctor.json && fail "doctor could not ask the frozen shebao-desk for the printers"
grep -q "$APP/_internal/desktop/_data/resources" doctor.json || fail "the data folders are not the build's own"
took "shebao doctor"

# -- the window -------------------------------------------------------------------------------------
children() {  # the processes whose parent is $1 (read with the shell's own read: no process each)
    local stat line fields
    for stat in /proc/[0-9]*/stat; do
        read -r line <"$stat" 2>/dev/null || continue
        read -r -a fields <<<"${line##*) }"  # after the command name: state, parent, ...
        [ "${fields[1]}" = "$1" ] && { stat=${stat%/stat}; echo "${stat#/proc/}"; }
    done
    return 0
}

window() {  # window PICTURE TRANSLATION-FILE [ARGS...]: the screenshot, the guard, the translation
    local picture=$1 qm=$2 pid child guard="" held="" loaded="" code=0
    shift 2
    "${CLEAN[@]}" "${DESK[@]}" "$@" --screenshot "$picture" >"$picture.log" 2>&1 &
    pid=$!  # env, which becomes shebao-desk
    while kill -0 "$pid" 2>/dev/null; do
        [ -z "$loaded" ] && grep -q "/$qm\$" "/proc/$pid/maps" 2>/dev/null && loaded=yes
        if [ -z "$held" ]; then
            for child in $(children "$pid"); do
                if tr '\0' ' ' <"/proc/$child/cmdline" 2>/dev/null | grep -q -- "--database-lock-guard "; then
                    guard=$child
                    grep -Eq "POSIX +ADVISORY +(READ|WRITE) +$child " /proc/locks && held=yes
                fi
            done
        fi
        sleep 0.05
    done
    wait "$pid" || code=$?
    [ "$code" = 0 ] || { cat "$picture.log"; fail "shebao-desk $* --screenshot ended with $code"; }
    [ -s "$picture" ] && [ "$(head -c 4 "$picture" | tail -c 3)" = PNG ] || fail "$picture is not a PNG"
    [ "$(stat -c %s "$picture")" -gt 20000 ] || fail "$picture is too small to show the window"
    [ -n "$loaded" ] || fail "$qm was not loaded by the window"
    [ -n "$guard" ] || fail "the window started no database lock guard"
    [ -n "$held" ] || fail "the lock guard (process $guard) held no lock on the database"
    [ ! -e "/proc/$guard" ] || fail "the lock guard outlived the window"
    say "$picture: $(stat -c %s "$picture") bytes; lock guard $guard held its locks; $qm loaded"
}

window win.png qtbase_zh_CN.qm
window win-en.png shebao_en.qm --lang en
cmp -s win.png win-en.png && fail "the English window looks like the Chinese one"
took "shebao-desk --screenshot, in Chinese and in English"

written=$(find "$APP" -newer "$RUN/installed" | head -n 5)
[ -z "$written" ] || fail "the programs wrote into their own folder: $written"

cd /
rm -rf "$PLACE"
say "passed: $VERSION, ${SIZE} MiB, $(($(date +%s) - START)) s in all"
