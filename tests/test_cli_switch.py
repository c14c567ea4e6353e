"""`shebao resident switch`: the plan as JSON, the decision with its notice PDF, a refusal's exit code."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import EMPLOYER, TODAY
from pypdf import PdfReader

from desktop import cli
from desktop.core.clock import Clock

MAN = "36010219640315001X"  # born 1964-03-15, hukou in Nanchang: 60 on 2024-03-15


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, Any]:
    code = cli.main([*args, "--json"], clock=Clock(day=lambda: TODAY))
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else None


@pytest.fixture
def office(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.delenv("SHEBAO_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    db = str(tmp_path / "cli.db")
    steps = [["init", "--office", "NC01", "--office-name", "南昌", "--region", "360100"],
             *(["wage", "set", "--region", "360000", "--year", str(y), "--monthly", "6000"] for y in (2019, 2020)),
             ["employer", "register", "--uscc", EMPLOYER, "--name", "赣江机械", "--risk-class", "2"],
             ["worker", "register", "--id-number", MAN, "--name", "王建国", "--hukou-region", "360102",
              "--hukou-type", "rural"],
             *(["contrib", "record", "--worker", MAN, "--employer", EMPLOYER, "--month", f"2020-0{m}",
                "--wage", "6000"] for m in range(1, 6)),
             ["resident", "record", "--worker", MAN, "--scheme", "resident_pension", "--year", "2020",
              "--grade", "700"],
             ["resident", "record", "--worker", MAN, "--scheme", "resident_pension", "--year", "2021",
              "--grade", "100"]]
    for args in steps:
        assert run(capsys, "--db", db, *args)[0] == 0, args
    return db


def test_plan_decide_and_refuse_again(office: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, plan = run(capsys, "--db", office, "resident", "switch", "--worker", MAN, "--plan")
    assert code == 0
    # 5 employee months in 2020 (480.00 a month to the account); 2020's residents' year refunds
    # 700.00 x 5 / 12 = 291.666... -> 291.67; counted: 5 + 7 + 12 residents' months not employee time.
    # Account: 2400.00, then interest 2021 6.69% 160.56, 2022 6.12% 156.71, 2023 3.97% 107.88,
    # 2024 2.62% 74.02, 2025 unknown: 2899.17
    assert plan == {"worker": MAN, "direction": "to_resident", "allowed": True, "rule": "switch.to_resident",
                    "refusal": None, "retirement_date": "2024-03-15", "reached": True, "employee_months": 5,
                    "resident_years": 2, "overlap_months": 5, "counted_months": 24, "account_moved": "2899.17",
                    "refund": "291.67", "refunds": [{"year": 2020, "months": 5, "amount": "291.67"}], "notice": None}

    code, done = run(capsys, "--db", office, "resident", "switch", "--worker", MAN, "--pdf", "notice.pdf")
    assert code == 0 and done["notice"].startswith("NC01-XJ2026") and done["pdf"] == "notice.pdf"
    assert {k: done[k] for k in plan if k != "notice"} == {k: v for k, v in plan.items() if k != "notice"}
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO((tmp_path / "notice.pdf").read_bytes())).pages)
    assert "291.67" in text and done["notice"] in text
    assert run(capsys, "--db", office, "verify", done["verification_code"])[1]["valid"] is True

    code, again = run(capsys, "--db", office, "resident", "switch", "--worker", MAN)
    assert code == 3 and again["error"]["key"] == "switch.done" and done["notice"] in again["error"]["message"]
    code, refused = run(capsys, "--db", office, "resident", "switch", "--worker", MAN, "--plan")
    assert code == 0 and (refused["allowed"], refused["refusal"]) == (False, "switch.done")
    docs = run(capsys, "--db", office, "document", "list", MAN)[1]["documents"]
    assert [d["number"] for d in docs] == [done["notice"]]
    code, copy = run(capsys, "--db", office, "print", "scheme-switch-notice", done["notice"], "--out", "copy.pdf")
    assert code == 0 and copy["copy"] is True and copy["verification_code"] == done["verification_code"]
