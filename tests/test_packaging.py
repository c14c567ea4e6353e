"""The offline bundle's installer and the Debian package's files, checked without building either
(packaging/ci/bundle-smoke.sh and deb-smoke.sh build, install and remove them for real)."""

from __future__ import annotations

import platform
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from desktop import bootstrap
from desktop.core.forms import fonts

ROOT = Path(__file__).resolve().parent.parent
DEB = ROOT / "packaging" / "deb"
needs_sh = pytest.mark.skipif(sys.platform == "win32", reason="install.sh is a POSIX shell script")


def bundle_meta(**changes: str) -> dict[str, str]:
    """bundle.json as `bundle` writes it for this interpreter, with `changes`."""
    meta = {"version": "0.2.0", "extras": "postgres", "python": f"{sys.version_info[0]}.{sys.version_info[1]}",
            "python_full": platform.python_version(), "implementation": sys.implementation.name,
            "system": platform.system(), "machine": platform.machine(),
            "platform": sysconfig.get_platform(), "built": "2026-11-23T00:00:00+00:00"}
    return {**meta, **changes}


def write_bundle(folder: Path, **changes: str) -> Path:
    """A bundle without wheels in `folder`; its install.sh."""
    (folder / "wheels").mkdir(parents=True)
    bootstrap.write_bundle_files(folder, bundle_meta(**changes))
    return folder / "install.sh"


def run_install(script: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """install.sh with `args`, the running interpreter as its Python."""
    return subprocess.run(["sh", str(script), "--python", sys.executable, *args],
                          capture_output=True, text=True, timeout=60, check=False)


@needs_sh
def test_install_sh_refuses_another_python_version_and_installs_nothing(tmp_path: Path) -> None:
    script = write_bundle(tmp_path / "bundle", python="3.99")
    done = run_install(script, "--prefix", str(tmp_path / "app"), "--bin", str(tmp_path / "bin"))
    assert done.returncode == 3, done.stderr
    assert "built for Python 3.99" in done.stderr and "Nothing was installed" in done.stderr
    assert "未安装任何内容" in done.stderr
    assert not (tmp_path / "app").exists() and not (tmp_path / "bin").exists()


@needs_sh
def test_install_sh_refuses_another_machine(tmp_path: Path) -> None:
    script = write_bundle(tmp_path / "bundle", machine="sparc64")
    done = run_install(script, "--prefix", str(tmp_path / "app"))
    assert done.returncode == 3 and "sparc64" in done.stderr


@needs_sh
def test_install_sh_never_replaces_a_folder_it_did_not_make(tmp_path: Path) -> None:
    script = write_bundle(tmp_path / "bundle")
    prefix = tmp_path / "app"
    prefix.mkdir()
    (prefix / "office.db").write_text("kept", encoding="utf-8")
    done = run_install(script, "--prefix", str(prefix), "--bin", str(tmp_path / "bin"))
    assert done.returncode == 2 and "not a Shebao Desk installation" in done.stderr
    uninstalled = run_install(script, "--uninstall", "--prefix", str(prefix))
    assert uninstalled.returncode == 2
    assert (prefix / "office.db").read_text(encoding="utf-8") == "kept"


def test_bundle_files_record_what_the_bundle_is_for(tmp_path: Path) -> None:
    write_bundle(tmp_path, python="3.11", machine="x86_64")
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["README.txt", "bundle.json", "install.bat", "install.ps1", "install.sh", "wheels"]
    script = (tmp_path / "install.sh").read_text(encoding="utf-8")
    assert "BUILT_PYTHON='3.11'" in script and "BUILT_MACHINE='x86_64'" in script
    assert "@" not in script.replace("$@", "").replace('"$@"', "")
    assert "--no-index" in script and "--no-index" in (tmp_path / "install.ps1").read_text(encoding="utf-8-sig")
    readme = (tmp_path / "README.txt").read_text(encoding="utf-8")
    assert "Python 3.11" in readme and "built on Windows" in readme and "在 Windows 上制作" in readme


def control_depends() -> list[str]:
    """The Depends field of packaging/deb/control.in, one alternative group an item."""
    text = (DEB / "control.in").read_text(encoding="utf-8")
    field = text.split("\nDepends:", 1)[1]
    lines = [field.split("\n", 1)[0]]
    for line in field.split("\n")[1:]:
        if not line.startswith(" "):
            break
        lines.append(line)
    return [item.strip() for item in " ".join(lines).split(",") if item.strip()]


def test_the_package_depends_on_a_truetype_cjk_font_reportlab_can_embed() -> None:
    depends = control_depends()
    assert "fonts-wqy-microhei | fonts-wqy-zenhei" in depends
    # the two fonts are the ones desktop/core/forms/fonts.py looks for on Linux (Noto CJK is CFF
    # outlines, which reportlab cannot embed: not an alternative)
    paths = [path for path, _index in fonts.CANDIDATES]
    assert "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc" in paths
    assert "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc" in paths


def test_the_package_depends_on_the_qt_libraries_the_bootstrap_installs() -> None:
    depends = control_depends()
    assert [name for name in bootstrap.QT_PACKAGES if name not in depends] == []
    assert "python3 (>= @PYTHON@)" in depends and "python3 (<< @PYTHON_NEXT@)" in depends


def test_the_menu_entry_and_its_icon() -> None:
    entry = (DEB / "shebao-desk.desktop").read_text(encoding="utf-8").splitlines()
    assert "Name=社保经办桌面" in entry and "Name[en]=Shebao Desk" in entry
    assert "Exec=shebao-desk" in entry and "Icon=shebao-desk" in entry
    for suffix in ("svg", "png", "ico"):
        assert (ROOT / "packaging" / "icons" / f"shebao-desk.{suffix}").is_file()


def test_removal_touches_only_the_application_folder() -> None:
    for name in ("preinst", "prerm", "postrm"):
        code = [line for line in (DEB / name).read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.lstrip().startswith("#")]
        removals = [line for line in code if line.split()[0] in ("rm", "rmdir")]
        assert all("/opt/shebao-desk" in line for line in removals), name
        assert not any("home" in line.lower() or ".local" in line for line in code), name
    postinst = (DEB / "postinst").read_text(encoding="utf-8")
    assert "--no-index" in postinst and "PIP_CONFIG_FILE=/dev/null" in postinst
