#!/bin/sh
# Builds dist/shebao-desk_VERSION_ARCH.deb with dpkg-deb from the offline bundle
# (python3 -m desktop.bootstrap bundle), on the Debian release it is for (Debian 12: Python 3.11).
#
# usage: packaging/deb/build.sh
#   BUNDLE=DIR      use this bundle instead of building one (dist/shebao-desk-VERSION-bundle)
#   ARCH=arm64      the package architecture (default: this machine's); the bundle's wheels must
#                   be for it, so build on a machine of that architecture
#   PYTHON=...      the python3 the package is for (default /usr/bin/python3)
#   MAINTAINER=...  the Maintainer field
#
# Where the environment is made: at installation (postinst), not here. A virtual environment holds
# absolute paths: its interpreter link and pyvenv.cfg point at the python3 it was made with, and
# every console script's first line names the environment's own path. Made here, it would need
# this machine's python3 to be the target's and the staging tree to sit at /opt/shebao-desk (or
# every shebang and recorded path rewritten afterwards). Made by postinst, it is made by the target
# machine's own /usr/bin/python3 at its real path, from the wheels the package carries, with pip
# running from its own wheel and --no-index: no network, and neither python3-venv nor python3-pip
# needed. The price: about a minute at installation, and files dpkg does not list, which prerm and
# postrm remove (only /opt/shebao-desk/venv: never anything under /home).
set -eu
umask 022
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/packaging/deb"
PYTHON=${PYTHON:-/usr/bin/python3}
ARCH=${ARCH:-$(dpkg --print-architecture)}
MAINTAINER=${MAINTAINER:-Shebao Desk packaging <packaging@shebao-desk.invalid>}
BEGAN=$(date +%s)

say() {
    echo "[deb $(( $(date +%s) - BEGAN )) s] $*"
}

if [ -z "${BUNDLE:-}" ]; then
    VERSION=$(cd "$ROOT" && "$PYTHON" -c 'from desktop import __version__; print(__version__)')
    BUNDLE="$ROOT/dist/shebao-desk-$VERSION-bundle"
    say "building the bundle with $PYTHON"
    (cd "$ROOT" && "$PYTHON" -m desktop.bootstrap bundle --out "$BUNDLE")
fi
BUNDLE=$(cd "$BUNDLE" && pwd)

# What the bundle is for, and the package's dependencies that follow from it: its Python version
# (the environment's site-packages and compiled modules are for that one), and the newest glibc any
# of its manylinux wheels asks for.
FACTS=$("$PYTHON" - "$BUNDLE" "$ARCH" <<'PY'
import json, re, sys, zipfile
from pathlib import Path

bundle, arch = Path(sys.argv[1]), sys.argv[2]
meta = json.loads((bundle / "bundle.json").read_text(encoding="utf-8"))
here = "%d.%d" % sys.version_info[:2]
machines = {"amd64": "x86_64", "arm64": "aarch64"}
if meta["system"] != "Linux" or meta["machine"] != machines.get(arch, arch):
    sys.exit(f"the bundle is for {meta['system']} {meta['machine']}, not Linux {arch}: build it on such a machine")
if meta["python"] != here:
    sys.exit(f"the bundle is for Python {meta['python']}, {sys.executable} is {here}")
legacy = {"manylinux1": (2, 5), "manylinux2010": (2, 12), "manylinux2014": (2, 17)}
glibc = (2, 17)
unpacked = 0
for wheel in bundle.glob("wheels/*.whl"):
    with zipfile.ZipFile(wheel) as archive:
        unpacked += sum(info.file_size for info in archive.infolist())
    needs = []
    for tag in wheel.stem.split("-")[-1].split("."):
        match = re.match(r"manylinux_(\d+)_(\d+)_", tag)
        if match:
            needs.append((int(match[1]), int(match[2])))
        elif tag.split("_")[0] in legacy:
            needs.append(legacy[tag.split("_")[0]])
    if needs:
        glibc = max(glibc, min(needs))
major, minor = map(int, meta["python"].split("."))
print(meta["version"], meta["extras"], meta["python"], f"{major}.{minor + 1}", "%d.%d" % glibc,
      unpacked // 1024)
PY
)
set -- $FACTS
VERSION=$1 EXTRAS=$2 PY=$3 PY_NEXT=$4 GLIBC=$5 VENV_KB=$6
say "shebao-desk $VERSION for $ARCH: python3 >= $PY, << $PY_NEXT; libc6 >= $GLIBC"

STAGE=$(mktemp -d "${TMPDIR:-/tmp}/shebao-deb.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT
PKG="$STAGE/shebao-desk"
APP="$PKG/opt/shebao-desk"
mkdir -p "$PKG/DEBIAN" "$APP/wheels" "$PKG/usr/bin" "$PKG/usr/share/applications" \
    "$PKG/usr/share/icons/hicolor/scalable/apps" "$PKG/usr/share/icons/hicolor/256x256/apps" \
    "$PKG/usr/share/doc/shebao-desk"
cp "$BUNDLE"/wheels/*.whl "$APP/wheels/"
cp "$BUNDLE/bundle.json" "$APP/"
for name in shebao shebao-desk; do
    printf '#!/bin/sh\nexec /opt/shebao-desk/venv/bin/%s "$@"\n' "$name" > "$PKG/usr/bin/$name"
done
cp "$HERE/shebao-desk.desktop" "$PKG/usr/share/applications/"
cp "$ROOT/packaging/icons/shebao-desk.svg" "$PKG/usr/share/icons/hicolor/scalable/apps/"
cp "$ROOT/packaging/icons/shebao-desk.png" "$PKG/usr/share/icons/hicolor/256x256/apps/"
cp "$HERE/copyright" "$PKG/usr/share/doc/shebao-desk/"
cp "$BUNDLE/README.txt" "$PKG/usr/share/doc/shebao-desk/"

substitute() {
    sed -e "s|@VERSION@|$VERSION|g" -e "s|@EXTRAS@|$EXTRAS|g" -e "s|@ARCH@|$ARCH|g" \
        -e "s|@PYTHON@|$PY|g" -e "s|@PYTHON_NEXT@|$PY_NEXT|g" -e "s|@GLIBC@|$GLIBC|g" \
        -e "s|@MAINTAINER@|$MAINTAINER|g" -e "s|@INSTALLED_SIZE@|$SIZE|g" "$1"
}
# Installed-Size: the package's files and the environment postinst unpacks from the wheels.
SIZE=$(( $(du -sk "$PKG" | cut -f1) + VENV_KB ))
substitute "$HERE/control.in" > "$PKG/DEBIAN/control"
for script in preinst postinst prerm postrm; do
    substitute "$HERE/$script" > "$PKG/DEBIAN/$script"
done
find "$PKG" -type d -exec chmod 0755 {} +
find "$PKG" -type f -exec chmod 0644 {} +
chmod 0755 "$PKG/usr/bin/shebao" "$PKG/usr/bin/shebao-desk" \
    "$PKG/DEBIAN/preinst" "$PKG/DEBIAN/postinst" "$PKG/DEBIAN/prerm" "$PKG/DEBIAN/postrm"

mkdir -p "$ROOT/dist"
OUT="$ROOT/dist/shebao-desk_${VERSION}_${ARCH}.deb"
# gzip: the wheels inside are zip files already; xz would take minutes to gain a few per cent.
dpkg-deb --root-owner-group -Zgzip --build "$PKG" "$OUT" >/dev/null
say "built $OUT ($(( $(stat -c %s "$OUT") / 1048576 )) MiB)"
