"""The `shebao` command line: JSON fields, exit codes, options before or after the command."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import EMPLOYER, TODAY

from desktop import cli
from desktop.core.clock import Clock


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, Any, str]:
    code = cli.main(list(args), clock=Clock(day=lambda: TODAY))
    out, err = capsys.readouterr()
    data = json.loads(out) if "--json" in args and out.strip() else out
    return code, data, err


@pytest.fixture
def office(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.delenv("SHEBAO_DB", raising=False)
    db = str(tmp_path / "cli.db")
    assert run(capsys, "--db", db, "init", "--office", "NC01", "--office-name", "南昌", "--region", "360100")[0] == 0
    assert run(capsys, "wage", "set", "--region", "360000", "--year", "2026", "--monthly", "6000", "--db", db)[0] == 0
    assert run(capsys, "--db", db, "employer", "register", "--uscc", EMPLOYER, "--name", "赣江机械",
               "--risk-class", "2")[0] == 0
    return db


def test_register_show_find_record_account(office: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, data, _ = run(capsys, "worker", "register", "--id-number", "510107198511113215", "--name", "张三",
                        "--hukou-region", "510107", "--hukou-type", "rural", "--db", office, "--json")
    assert code == 0
    assert data["worker"] == {**data["worker"], "id_number": "510107198511113215", "name": "张三", "sex": "M",
                              "birth_date": "1985-11-11", "hukou_region": "510107",
                              "hukou_type": "rural", "nationality": "CN"}
    code, data, _ = run(capsys, "--json", "--db", office, "contrib", "record", "--worker",
                        "510107198511113215", "--employer", EMPLOYER, "--month", "2026-10", "--wage", "2000")
    assert code == 0
    assert data["month"] == "2026-10" and data["base"] == "3600.00"
    pension = next(ln for ln in data["lines"] if ln["scheme"] == "pension")
    assert pension == {"scheme": "pension", "employer": "576.00", "employee": "288.00",
                       "individual_account": "288.00", "pooling": "576.00", "exempt": None}
    code, data, _ = run(capsys, "--json", "--db", office, "account", "510107198511113215")
    assert code == 0
    p = data["schemes"]["pension"]
    assert p["months_paid"] == 1 and p["individual_account_balance"] == "288.00"
    assert p["regions"] == [{"region": "360100", "months_paid": 1, "first_month": "2026-10",
                             "last_month": "2026-10"}]
    code, data, _ = run(capsys, "--db", office, "--json", "worker", "show", "510107198511113215")
    assert code == 0 and data["worker"]["name"] == "张三"
    code, data, _ = run(capsys, "--db", office, "--json", "worker", "find", "zs")
    assert [w["name"] for w in data["workers"]] == ["张三"]
    code, text, _ = run(capsys, "--db", office, "worker", "find", "张")
    assert "510107198511113215" in text


def test_exit_codes_and_error_json(office: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, data, err = run(capsys, "--db", office, "--json", "worker", "register", "--id-number",
                          "510107198511113214", "--name", "张三", "--hukou-region", "510107",
                          "--hukou-type", "rural")
    assert code == 2
    assert data["error"]["field"] == "id_number"
    assert data["error"]["message"] == "身份证号码：身份证号码校验位不符，请核对号码"
    assert "校验位不符" in err and "末位" not in err
    code, data, err = run(capsys, "--db", office, "--json", "--lang", "en", "worker", "register",
                          "--id-number", "510107198511113215", "--name", "张三", "--hukou-region",
                          "510107", "--hukou-type", "nomad")
    assert code == 2 and data["error"]["field"] == "hukou_type" and "urban" in data["error"]["message"]
    run(capsys, "--db", office, "worker", "register", "--id-number", "510107198511113215", "--name",
        "张三", "--hukou-region", "510107", "--hukou-type", "rural")
    code, data, _ = run(capsys, "--db", office, "--json", "worker", "register", "--id-number",
                        "510107198511113215", "--name", "张三", "--hukou-region", "510107",
                        "--hukou-type", "rural")
    assert code == 4 and data["error"]["code"] == "conflict"
    code, data, _ = run(capsys, "--db", office, "--json", "contrib", "record", "--worker",
                        "510107198511113215", "--employer", EMPLOYER, "--month", "2025-10", "--wage", "6000")
    assert code == 3 and "2025" in data["error"]["message"]  # no average wage for 2025
    code, data, _ = run(capsys, "--db", office, "--json", "--lang", "en", "contrib", "record", "--worker",
                        "510107198511113215", "--employer", EMPLOYER, "--month", "2026-10",
                        "--wage", "1800000.01")
    assert code == 2 and "100 times" in data["error"]["message"]


def test_import_refusal_lists_rows(office: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "--db", office, "worker", "register", "--id-number", "510107198511113215", "--name",
        "张三", "--hukou-region", "510107", "--hukou-type", "rural")
    path = tmp_path / "d.csv"
    path.write_text(f"employer_uscc,id_number,name,month,wage\n{EMPLOYER},510107198511113215,张三,2026-10,7000\n"
                    f"{EMPLOYER},510107198511113215,张三,2026-11,-5\n", encoding="utf-8")
    code, data, _ = run(capsys, "--db", office, "--json", "contrib", "import", str(path))
    assert code == 2
    assert data["error"]["rows"] == [{"line": 3, "field": "wage", "message": "必须大于零"}]
    path.write_text(f"employer_uscc,id_number,name,month,wage\n{EMPLOYER},510107198511113215,张三,2026-10,7000\n",
                    encoding="utf-8")
    code, data, _ = run(capsys, "--db", office, "--json", "contrib", "import", str(path))
    assert (code, data["rows"], data["recorded"]) == (0, 1, 1)


def test_foreign_national(office: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, data, _ = run(capsys, "--db", office, "--json", "worker", "register", "--nationality", "de",
                        "--passport", "C01X00T47", "--name", "Anna Schmidt", "--sex", "F",
                        "--birth-date", "1990-04-01")
    assert code == 0 and data["worker"]["nationality"] == "DE" and data["worker"]["id_number"] is None
    code, data, _ = run(capsys, "--db", office, "--json", "worker", "show", "C01X00T47")
    assert data["worker"]["name"] == "Anna Schmidt"


def test_console_script_and_env_db(office: str, tmp_path: Path) -> None:
    exe = shutil.which("shebao", path=str(Path(sys.executable).parent)) or shutil.which("shebao")
    cmd = [exe] if exe else [sys.executable, "-m", "desktop.cli"]
    env = {**os.environ, "SHEBAO_DB": office}
    proc = subprocess.run([*cmd, "worker", "find", "nobody", "--json"], capture_output=True, text=True,
                          env=env, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"workers": []}
    proc = subprocess.run([*cmd, "--json", "rate", "set", "--region", "360100", "--scheme", "medical",
                           "--from", "2026-01", "--employer", "1.5", "--employee", "0.02"],
                          capture_output=True, text=True, env=env, timeout=60, check=False)
    assert proc.returncode == 2 and json.loads(proc.stdout)["error"]["field"] == "employer_rate"
