#!/bin/sh
# The installation smoke test, shared by bundle-smoke.sh and deb-smoke.sh.
# usage: smoke.sh SHEBAO SHEBAO_DESK [SCREENSHOT_COPY]
# Runs the installed commands from an empty temporary folder, on the default database (in the user
# data directory under $HOME, which the caller chooses): versions, init, a person registered, a
# statement printed (its PDF must hold the name), `shebao doctor` (exit 0, warnings allowed; it also
# starts the window program to list the printers), and the window under a
# fresh Xvfb pictured to a PNG, copied to SCREENSHOT_COPY when given. Exit 0 when all passed.
set -eu
SHEBAO=$1
DESK=$2
COPY=${3:-}
NAME=张三
ID=510107198511113215
START=$(date +%s.%N)

step() {
    printf '[smoke %6.1f s] %s\n' "$(awk -v a="$START" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')" "$*"
}

fail() {
    step "FAILED: $*"
    exit 1
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/shebao-smoke.XXXXXX")
XVFB=
cleanup() {
    if [ -n "$XVFB" ]; then kill "$XVFB" 2>/dev/null || true; wait "$XVFB" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
cd "$WORK"
unset SHEBAO_DB SHEBAO_RESOURCES SHEBAO_FORMS SHEBAO_FONT QT_QPA_PLATFORM SHEBAO_KEY_DIR
export LANG=C.UTF-8
# the key store's passphrase, as an office's nightly script gives it (the keys go under $HOME)
export SHEBAO_KEY_PASSPHRASE="smoke-test passphrase"

step "in $WORK as $(id -un), HOME=$HOME"
"$SHEBAO" --version || fail "shebao --version"
"$DESK" --version || fail "shebao-desk --version"
step "shebao init"
"$SHEBAO" init --office 360100001 --office-name 南昌市社会保险事业管理局 --region 360100 >/dev/null \
    || fail "shebao init"
step "shebao worker register"
"$SHEBAO" worker register --id-number "$ID" --name "$NAME" --hukou-region 510107 --hukou-type rural \
    || fail "shebao worker register"
step "shebao print statement"
"$SHEBAO" print statement "$ID" --out x.pdf >/dev/null || fail "shebao print statement"
pdftotext x.pdf - | grep -q "$NAME" || fail "the statement's PDF does not hold $NAME"
step "the statement holds $NAME"
if ! "$SHEBAO" doctor; then
    fail "shebao doctor found a problem"
fi
step "shebao doctor: no problem"

number=99
while [ -e "/tmp/.X$number-lock" ] || [ -e "/tmp/.X11-unix/X$number" ]; do number=$((number + 1)); done
Xvfb ":$number" -screen 0 1280x800x24 -nolisten tcp >"$WORK/xvfb.log" 2>&1 &
XVFB=$!
tries=0
until [ -e "/tmp/.X11-unix/X$number" ]; do
    tries=$((tries + 1))
    [ "$tries" -le 100 ] && kill -0 "$XVFB" 2>/dev/null || fail "Xvfb :$number did not start: $(cat "$WORK/xvfb.log")"
    sleep 0.1
done
step "Xvfb :$number started"
DISPLAY=":$number" timeout 120 "$DESK" --screenshot win.png || fail "shebao-desk --screenshot"
[ -f win.png ] || fail "no win.png"
size=$(wc -c < win.png)
[ "$size" -gt 20000 ] || fail "win.png is only $size bytes"
step "window pictured: win.png, $size bytes"
if [ -n "$COPY" ]; then
    mkdir -p "$(dirname "$COPY")"
    cp win.png "$COPY"
    step "screenshot copied to $COPY"
fi
step "smoke test passed"
