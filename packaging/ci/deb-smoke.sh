#!/bin/sh
# CI: build the .deb, install it with apt, run the smoke test as an ordinary user (a temporary
# account, removed at the end), remove the package with apt, and check that /opt/shebao-desk and
# the commands are gone and the user's data is still there (after remove and after purge).
# Needs root. usage: packaging/ci/deb-smoke.sh   (BUNDLE=DIR reuses a bundle already built)
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BEGAN=$(date +%s)
SMOKE_USER=shebao-smoke
say() {
    echo "[deb-smoke $(( $(date +%s) - BEGAN )) s] $*"
}
if [ "$(id -u)" != 0 ]; then
    echo "deb-smoke.sh installs a package: run it as root" >&2
    exit 2
fi
if dpkg-query -W -f '${db:Status-Abbrev}' shebao-desk 2>/dev/null | grep -q '^i'; then
    echo "deb-smoke.sh: shebao-desk is installed already; this test removes it at the end, so it stops here" >&2
    exit 2
fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/shebao-deb-smoke.XXXXXX")
chmod 0755 "$TMP"
USER_MADE=
cleanup() {
    if [ -n "$USER_MADE" ]; then userdel "$SMOKE_USER" 2>/dev/null || true; fi
    rm -rf "$TMP"
}
trap cleanup EXIT

say "building the package"
sh "$ROOT/packaging/deb/build.sh"
VERSION=$(cd "$ROOT" && python3 -c 'from desktop import __version__; print(__version__)')
DEB="$ROOT/dist/shebao-desk_${VERSION}_$(dpkg --print-architecture).deb"
# apt's download sandbox user reads the file from a world-readable place
cp "$DEB" "$TMP/"
chmod 0644 "$TMP/$(basename "$DEB")"

say "apt-get install $(basename "$DEB")"
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$TMP/$(basename "$DEB")"
[ -x /opt/shebao-desk/venv/bin/shebao ] || { echo "deb-smoke: no /opt/shebao-desk/venv/bin/shebao"; exit 1; }
command -v desktop-file-validate >/dev/null && desktop-file-validate /usr/share/applications/shebao-desk.desktop

# The smoke test as an ordinary user with a home in the temporary folder; as root with HOME there
# when no account can be made.
HOME_DIR="$TMP/home"
SMOKE="$TMP/smoke.sh"
cp "$ROOT/packaging/ci/smoke.sh" "$SMOKE"
chmod 0755 "$SMOKE"
if ! id "$SMOKE_USER" >/dev/null 2>&1 && useradd --home-dir "$HOME_DIR" --create-home --shell /bin/sh \
        --comment "Shebao Desk smoke test" "$SMOKE_USER" 2>/dev/null; then
    USER_MADE=1
    say "the smoke test as user $SMOKE_USER"
    runuser -u "$SMOKE_USER" -- env -i HOME="$HOME_DIR" PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 \
        TMPDIR="$HOME_DIR" sh "$SMOKE" /usr/bin/shebao /usr/bin/shebao-desk "$HOME_DIR/deb-window.png"
else
    say "the smoke test as root, HOME=$HOME_DIR"
    mkdir -p "$HOME_DIR"
    env HOME="$HOME_DIR" sh "$SMOKE" /usr/bin/shebao /usr/bin/shebao-desk "$HOME_DIR/deb-window.png"
fi
mkdir -p "$ROOT/dist/smoke"
cp "$HOME_DIR/deb-window.png" "$ROOT/dist/smoke/deb-window.png"
DATA="$HOME_DIR/.local/share/shebao-desk/database/office.db"
[ -f "$DATA" ] || { echo "deb-smoke: the smoke test left no $DATA"; exit 1; }

say "apt-get remove shebao-desk"
DEBIAN_FRONTEND=noninteractive apt-get remove -y -q shebao-desk
for gone in /opt/shebao-desk /usr/bin/shebao /usr/bin/shebao-desk /usr/share/applications/shebao-desk.desktop; do
    [ ! -e "$gone" ] || { echo "deb-smoke: $gone is still there after removal"; exit 1; }
done
[ -f "$DATA" ] || { echo "deb-smoke: removing the package removed $DATA"; exit 1; }
say "removed: /opt/shebao-desk gone, $DATA kept"
DEBIAN_FRONTEND=noninteractive apt-get purge -y -q shebao-desk >/dev/null
[ -f "$DATA" ] || { echo "deb-smoke: purging the package removed $DATA"; exit 1; }
say "passed: built, installed with apt, smoke test passed, removed and purged, data kept;" \
    "screenshot dist/smoke/deb-window.png"
