#!/bin/sh
# CI: build the offline bundle, install it into a temporary prefix with every package index
# unreachable, run the smoke test, uninstall, and check the office's data is still there.
# usage: packaging/ci/bundle-smoke.sh   (from anywhere; the screenshot lands in dist/smoke/)
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BEGAN=$(date +%s)
VERSION=$(cd "$ROOT" && python3 -c 'from desktop import __version__; print(__version__)')
BUNDLE="$ROOT/dist/shebao-desk-$VERSION-bundle"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/shebao-bundle-smoke.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

say() {
    echo "[bundle-smoke $(( $(date +%s) - BEGAN )) s] $*"
}

say "building the bundle"
(cd "$ROOT" && python3 -m desktop.bootstrap bundle --out "$BUNDLE")

say "installing it with no index: PIP_NO_INDEX, indexes at an unreachable address, no pip configuration"
env -u PIP_FIND_LINKS PIP_NO_INDEX=1 PIP_INDEX_URL=http://127.0.0.1:9/ \
    PIP_EXTRA_INDEX_URL=http://127.0.0.1:9/ PIP_CONFIG_FILE=/dev/null \
    sh "$BUNDLE/install.sh" --prefix "$TMP/app" --bin "$TMP/bin"

say "the smoke test"
HOME="$TMP/home" sh "$ROOT/packaging/ci/smoke.sh" "$TMP/bin/shebao" "$TMP/bin/shebao-desk" \
    "$ROOT/dist/smoke/bundle-window.png"

say "every command of the README's command-line section, with the installed shebao, outside the checkout"
python3 "$ROOT/packaging/ci/readme_commands.py" "$TMP/bin"

say "uninstalling"
sh "$BUNDLE/install.sh" --uninstall --prefix "$TMP/app" --bin "$TMP/bin"
[ ! -e "$TMP/app" ] || { echo "bundle-smoke: $TMP/app is still there"; exit 1; }
[ ! -e "$TMP/bin/shebao" ] || { echo "bundle-smoke: $TMP/bin/shebao is still there"; exit 1; }
[ -f "$TMP/home/.local/share/shebao-desk/database/office.db" ] \
    || { echo "bundle-smoke: the office database went with the application"; exit 1; }
say "passed: installed with no index, smoke test passed, removed, data kept;" \
    "screenshot dist/smoke/bundle-window.png"
