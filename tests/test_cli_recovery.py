"""`shebao check` and `shebao restore --plan / --recover` on a real damaged database: JSON and exit codes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from recovery_support import (
    P1,
    P3,
    Q1,
    SCHEMES_2026,
    Scene,
    build_scene,
    damage_table,
    pension_months,
)

from desktop import cli
from desktop.core.ledger import Ledger


@pytest.fixture
def scene(sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Scene]:
    """Offices A (closed) and B with their history; see recovery_support.build_scene."""
    for name in ("SHEBAO_DB", "SHEBAO_USER", "SHEBAO_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SHEBAO_BACKUP_KEY", str(tmp_path / "backup.key"))
    built = build_scene(sqlite_template, tmp_path)
    yield built
    built.a.close()
    built.b.close()


def run(scene: Scene, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, Any, str]:
    code = cli.main(["--db", str(scene.a_path), *args], clock=scene.clock)
    out, err = capsys.readouterr()
    data = json.loads(out) if "--json" in args and out.strip() else out
    return code, data, err


def test_check_ok_and_damaged(scene: Scene, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(scene, capsys, "check", "--json")[:2] == (0, {"ok": True, "kind": "quick", "problems": []})
    assert run(scene, capsys, "check", "--full", "--json")[:2] == (0, {"ok": True, "kind": "full", "problems": []})
    page = damage_table(scene.a_path, "contribution")
    code, data, err = run(scene, capsys, "check", "--json")
    assert code == 4 and data["ok"] is False and data["kind"] == "quick"
    assert any(f"page {page}" in p for p in data["problems"])
    assert "数据库文件已损坏" in err and "shebao restore --plan" in err
    code, data, _ = run(scene, capsys, "check", "--full", "--json")
    assert code == 4 and data["kind"] == "full" and data["problems"]
    code, out, err = run(scene, capsys, "--lang", "en", "check")
    assert code == 4 and out == "" and "the database file is damaged" in err


def test_writes_refused_with_exit_4(scene: Scene, capsys: pytest.CaptureFixture[str]) -> None:
    damage_table(scene.a_path, "contribution")
    code, data, err = run(scene, capsys, "wage", "set", "--region", "360000", "--year", "2028",
                          "--monthly", "7000", "--json")
    assert code == 4 and data["error"]["code"] == "damaged"
    assert "shebao restore --recover" in data["error"]["message"] and "已损坏" in err
    code, data, _ = run(scene, capsys, "worker", "find", Q1, "--json")  # reads go on where SQLite can
    assert code == 0 and [w["name"] for w in data["workers"]] == ["李四"]
    code, data, _ = run(scene, capsys, "worker", "show", P1, "--json")  # not through the damaged page
    assert code == 4 and data["error"]["code"] == "damaged"


def test_plan_then_recover(scene: Scene, capsys: pytest.CaptureFixture[str]) -> None:
    damage_table(scene.a_path, "contribution")
    code, plan, _ = run(scene, capsys, "restore", "--plan", "--json")
    assert code == 0 and plan["damaged"] is True and plan["problems"]
    assert plan["backup"]["file"] == str(scene.newest_backup) and plan["key_ok"] is True
    assert [b["file"] for b in plan["older_backups"]] == [str(scene.older_backup)]
    assert [(f["sender"], f["name"], f["found"]) for f in plan["sync_files"]] == [("BJ01", "b-2.sync", True)]
    lost = plan["lost"]
    assert lost["known"] is True and lost["total"] == 2 * SCHEMES_2026 + 2
    assert {k["kind"]: k["count"] for k in lost["kinds"]} == \
        {"contribution": 2 * SCHEMES_2026, "worker": 1, "average_wage": 1}
    assert [p["id"] for p in lost["people"]] == [P3, P1]  # no accounts here: numbers unmasked
    assert lost["unnamed"] == 0  # every lost change names its person (see test_recovery for one that cannot)
    assert plan["sent"]["offices"] == ["BJ01"] and plan["sent"]["changes"] == SCHEMES_2026 + 1
    other = scene.mail / "elsewhere"
    other.mkdir()
    code, plan, _ = run(scene, capsys, "restore", "--plan", "--from", str(other), "--json")
    assert code == 0 and plan["searched"] == [str(other.resolve()), str(scene.backups.resolve())]

    assert run(scene, capsys, "restore", "--plan", "--recover", "--json")[0] == 2
    assert run(scene, capsys, "restore", "--json")[0] == 2
    code, done, _ = run(scene, capsys, "restore", "--recover", "--json")
    assert code == 0 and done["restored"]["file"] == str(scene.newest_backup)
    assert [(i["name"], i["error"]) for i in done["imported"]] == [("b-2.sync", None)]
    assert done["own_missing"] == {"first": 27, "last": 31} and done["not_imported"] == []
    assert run(scene, capsys, "check", "--json")[:2] == (0, {"ok": True, "kind": "quick", "problems": []})
    led = Ledger.open(scene.a_path, clock=scene.clock)
    try:
        assert pension_months(led, P1) == 6 and pension_months(led, Q1) == 7
    finally:
        led.close()
    # a second recovery of a healthy database needs --force
    code, data, _ = run(scene, capsys, "restore", "--recover", "--json")
    assert code == 4 and "--force" in data["error"]["message"]
