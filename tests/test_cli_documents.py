"""`shebao print`, `verify`, `transfer certificate`, `document`, `office identity/trust`, `forms check`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import EMPLOYER, TODAY

from desktop import cli
from desktop.core.clock import Clock


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, Any]:
    code = cli.main([*args, "--json"], clock=Clock(day=lambda: TODAY))
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else None


@pytest.fixture
def office(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.delenv("SHEBAO_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    db = str(tmp_path / "cli.db")
    for args in (["init", "--office", "NC01", "--office-name", "南昌", "--region", "360100"],
                 ["wage", "set", "--region", "360000", "--year", "2026", "--monthly", "6000"],
                 ["employer", "register", "--uscc", EMPLOYER, "--name", "赣江机械", "--risk-class", "2"],
                 ["worker", "register", "--id-number", "510107198511113215", "--name", "张三",
                  "--hukou-region", "510107", "--hukou-type", "rural"],
                 ["contrib", "record", "--worker", "510107198511113215", "--employer", EMPLOYER,
                  "--month", "2026-10", "--wage", "7000"]):
        assert run(capsys, "--db", db, *args)[0] == 0
    return db


def test_print_verify_void(office: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, data = run(capsys, "--db", office, "print", "statement", "510107198511113215", "--out", "s.pdf")
    assert code == 0 and data["pages"] == 1 and data["pdf"] == "s.pdf"
    assert (tmp_path / "s.pdf").read_bytes().startswith(b"%PDF")
    code, verdict = run(capsys, "--db", office, "verify", data["verification_code"])
    assert code == 0 and verdict["valid"] and verdict["kind"] == "statement"
    assert verdict["number"] == data["number"] and verdict["issued_by"] == "NC01"
    code, verdict = run(capsys, "--db", office, "verify", str(tmp_path / "s.pdf"))
    assert code == 0 and verdict["valid"]
    code, verdict = run(capsys, "--db", office, "--lang", "en", "verify", "SB1-AAAAA-AAAAA")
    assert code == 4 and not verdict["valid"] and "not a valid" in verdict["reason"]
    code, _ = run(capsys, "--db", office, "document", "void", data["number"], "--reason", "打印错误")
    assert code == 0
    code, verdict = run(capsys, "--db", office, "verify", data["verification_code"])
    assert code == 4 and verdict["void"] and "打印错误" in verdict["reason"]


def test_transfer_certificate_and_reprint(office: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, data = run(capsys, "--db", office, "transfer", "certificate", "--worker", "510107198511113215")
    assert code == 0 and data["status"] == "issued" and data["certificate_no"] == "NC01-PZ2026000001"
    assert Path(data["pdf"]).is_file()
    code, again = run(capsys, "--db", office, "print", "transfer-certificate", data["certificate_no"], "--out", "c.pdf")
    assert code == 0 and again["copy"] and again["verification_code"] == data["verification_code"]
    code, listing = run(capsys, "--db", office, "document", "list", "510107198511113215")
    assert listing["documents"][0]["prints"] == 2
    code, err = run(capsys, "--db", office, "print", "contact-letter", "X", "--out", "x.pdf")
    assert code == 2 and err["error"]["field"] == "number"  # neither a case nor a document number
    code, err = run(capsys, "--db", office, "print", "transfer-certificate", "NC01-PZ2026999999", "--out", "x.pdf")
    assert code == 2 and err["error"]["field"] == "number"


def test_identity_and_trust(office: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = str(tmp_path / "other.db")
    assert run(capsys, "--db", other, "init", "--office", "GZ01", "--office-name", "广州", "--region", "440100")[0] == 0
    code, data = run(capsys, "--db", other, "office", "identity", "--out", "gz.json")
    assert code == 0 and len(data["fingerprint"]) == 24
    code, data = run(capsys, "--db", office, "office", "trust", "gz.json")
    assert code == 0 and data["trusted"]["code"] == "GZ01"
    (tmp_path / "junk.json").write_text("{\"format\": 1}", encoding="utf-8")
    code, err = run(capsys, "--db", office, "office", "trust", "junk.json")
    assert code == 2 and err["error"]["field"] == "file"
    code, err = run(capsys, "--db", office, "office", "identity", "--out", "own.json")
    code, err = run(capsys, "--db", office, "office", "trust", "own.json")
    assert code == 4


def test_forms_check(office: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--db", office, "forms", "check") == (0, {"forms": "ok"})
