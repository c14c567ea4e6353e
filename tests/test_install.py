"""What an installation needs and says about itself: its data folders (reported when missing, never
read as empty), `--version`, `shebao doctor` with each problem and its fix, and a failed `init` that
leaves nothing behind."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sqlite3
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY

from desktop import __version__, cli
from desktop.core import doctor
from desktop.core.clock import Clock
from desktop.core.paths import DataMissing, forms_dir, resources_dir

ROOT = Path(__file__).resolve().parents[1]
ID = "510107198511113215"


def run(capsys: pytest.CaptureFixture[str], *args: str, day: dt.date = TODAY) -> tuple[int, Any, str]:
    code = cli.main(list(args), clock=Clock(day=lambda: day))
    out, err = capsys.readouterr()
    return code, json.loads(out) if "--json" in args and out.strip() else out, err


def init(capsys: pytest.CaptureFixture[str], db: str) -> None:
    assert run(capsys, "--db", db, "init", "--office", "NC01", "--office-name", "南昌", "--region", "360100")[0] == 0


def checks(data: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """check -> (level, key) of a doctor result (the last finding of each check)."""
    return {c["check"]: (c["level"], c["key"]) for c in data["checks"]}


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SHEBAO_DB", "SHEBAO_RESOURCES", "SHEBAO_FORMS", "SHEBAO_USER", "SHEBAO_PASSWORD"):
        monkeypatch.delenv(name, raising=False)


def test_one_version_everywhere(capsys: pytest.CaptureFixture[str]) -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)
    assert run(capsys, "--version")[:2] == (0, f"shebao {__version__}\n")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "desktop.__version__"}
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(r"^## (\S+)", changelog, re.MULTILINE).group(1) == __version__  # type: ignore[union-attr]
    releases = tomllib.loads((ROOT / "packaging/releases.toml").read_text(encoding="utf-8"))
    assert releases["release"][0] == {**releases["release"][0], "version": "0.1.0"}
    window = subprocess.run([sys.executable, "-m", "desktop", "--version"], capture_output=True, text=True,
                            timeout=60, check=True)
    assert window.stdout == f"shebao-desk {__version__}\n"


def test_a_missing_data_folder_is_reported_not_read_as_empty(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert (resources_dir() / "schemes.csv").is_file() and (forms_dir() / "statement.v2026-1.toml").is_file()
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("SHEBAO_FORMS", str(empty))
    with pytest.raises(DataMissing) as caught:
        forms_dir()
    assert caught.value.key == "data.missing" and str(empty) in caught.value.message("en")
    code, out, err = run(capsys, "forms", "check")
    assert code == 1 and out == ""
    assert "找不到程序的数据文件夹 forms" in err and "SHEBAO_FORMS" in err and str(empty) in err
    code, out, err = run(capsys, "--lang", "en", "--json", "forms", "check")
    assert code == 1 and out["error"]["key"] == "data.missing" and "forms is missing" in out["error"]["message"]


def test_a_failed_init_leaves_no_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "office.db"
    code, _, err = run(capsys, "--db", str(db), "init", "--office", "NC01", "--office-name", "南昌",
                       "--region", "999999")
    assert code == 2 and "999999" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == []
    init(capsys, str(db))  # and the office can then be made
    code, _, err = run(capsys, "--db", str(db), "init", "--office", "NC02", "--office-name", "另一个",
                       "--region", "360100")
    assert code != 0 and db.exists()  # a failed second init does not remove the office's database
    assert run(capsys, "--db", str(db), "--json", "worker", "find", "张")[0] == 0


def test_doctor_on_a_new_office_then_with_backups_and_a_wrong_clock(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "office.db")
    code, data, _ = run(capsys, "--db", db, "--json", "doctor", "--no-printers")
    assert code == 4 and checks(data)["database"] == ("problem", "doctor.db.none")
    assert "shebao init" in next(c["fix"] for c in data["checks"] if c["check"] == "database")
    assert not Path(db).exists()  # the doctor creates nothing
    init(capsys, db)
    code, data, _ = run(capsys, "--db", db, "--json", "doctor", "--no-printers")
    found = checks(data)
    assert code == 0 and data["status"] == "warning"
    assert found == {"data": ("ok", "doctor.data.ok"), "forms": ("ok", "doctor.forms.ok"),
                     "fonts": ("ok", "doctor.fonts.ok"), "disk": found["disk"],
                     "database": ("ok", "doctor.db.ok"), "schema": ("ok", "doctor.schema.ok"),
                     "keys": ("ok", "doctor.keys.store_ok"), "backup": ("warning", "doctor.backup.never"),
                     "clock": ("ok", "doctor.clock.ok")}
    assert found["disk"][1] in ("doctor.disk.ok", "doctor.disk.low")
    # a week and a day later with no backup yet: a problem, with its fix in the text output
    later = TODAY + dt.timedelta(days=doctor.BACKUP_PROBLEM_DAYS + 1)
    code, out, err = run(capsys, "--db", db, "doctor", "--no-printers", day=later)
    assert code == 4 and out == "" and "从未做过每日备份" in err and "shebao backup --daily" in err
    folder = tmp_path / "backups"
    assert run(capsys, "--db", db, "backup", "--daily", str(folder))[0] == 0
    code, data, _ = run(capsys, "--db", db, "--json", "doctor", "--no-printers")
    assert code == 0 and checks(data)["backup"] == ("ok", "doctor.backup.ok")
    day = TODAY + dt.timedelta(days=doctor.BACKUP_WARN_DAYS + 1)  # two days old: look at it
    code, data, _ = run(capsys, "--db", db, "--json", "doctor", "--no-printers", day=day)
    assert code == 0 and checks(data)["backup"] == ("warning", "doctor.backup.old")
    day = TODAY + dt.timedelta(days=doctor.BACKUP_PROBLEM_DAYS)  # a week: still a warning
    assert checks(run(capsys, "--db", db, "--json", "doctor", "--no-printers", day=day)[1])["backup"][0] == "warning"
    day = TODAY + dt.timedelta(days=doctor.BACKUP_PROBLEM_DAYS + 1)
    code, data, _ = run(capsys, "--db", db, "--json", "--lang", "en", "doctor", "--no-printers", day=day)
    assert code == 4 and checks(data)["backup"] == ("problem", "doctor.backup.old")
    assert f"{doctor.BACKUP_PROBLEM_DAYS + 1} days old" in next(c["detail"] for c in data["checks"]
                                                                  if c["check"] == "backup")
    # the clock a day behind the newest audit entry
    code, data, _ = run(capsys, "--db", db, "--json", "doctor", "--no-printers", day=TODAY - dt.timedelta(days=1))
    assert code == 4 and checks(data)["clock"] == ("problem", "doctor.clock.behind")


def test_doctor_finds_a_newer_schema_a_damaged_file_and_bad_keys(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "office.db"
    init(capsys, str(db))
    for key_file in Path(os.environ["SHEBAO_KEY_DIR"]).glob("*.key"):
        key_file.write_text("not a key", encoding="utf-8")
    code, data, _ = run(capsys, "--db", str(db), "--json", "doctor", "--no-printers")
    assert code == 4 and checks(data)["keys"] == ("problem", "doctor.keys.store_bad")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    code, data, _ = run(capsys, "--db", str(db), "--json", "doctor", "--no-printers")
    assert code == 4 and checks(data)["schema"] == ("problem", "doctor.schema.newer")
    assert "keys" not in checks(data)  # nothing more is read from a database of another version
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x07" * 8192)
    code, data, _ = run(capsys, "--db", str(damaged), "--json", "doctor", "--no-printers")
    assert code == 4 and checks(data)["database"] == ("problem", "doctor.db.damaged")
    assert "restore --plan" in next(c["fix"] for c in data["checks"] if c["check"] == "database")


def test_doctor_asks_the_window_program_for_the_printers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "office.db")
    init(capsys, db)
    code, data, _ = run(capsys, "--db", db, "--json", "doctor")
    assert code == 0
    printers = next(c for c in data["checks"] if c["check"] == "printers")
    # a test machine has no printer: the window program answered (an empty list), it was not unknown
    assert printers["key"] in ("doctor.printers.none", "doctor.printers.ok")
    code, text, _ = run(capsys, "--db", db, "doctor")
    assert code == 0 and "✓ 数据库：正常：" in text and "! 备份：注意：从未做过每日备份" in text
