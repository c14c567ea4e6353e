"""The second person: a clerk's request waits; another supervisor approves (performs) or refuses it."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import EMPLOYER
from sqlalchemy import select
from test_cli import run
from test_security_support import (
    PASSWORD,
    PERSON,
    as_,
    fast_hashing,
    posted,
    staffed,
    staffed_template,
)

from desktop.core.errors import Conflict, InvalidInput, NotAllowed, RefusedByRule
from desktop.core.ledger import Ledger
from desktop.core.store.models import Contribution, CoverageCertificate, Document

__all__ = ["fast_hashing", "posted", "staffed", "staffed_template"]
STATEMENT = "OFF01-ZM2026000001"


def _void_state(ledger: Ledger) -> tuple[Any, Any]:
    with ledger.read(checked=False) as s:
        doc = s.scalars(select(Document).where(Document.number == STATEMENT)).one()
        return doc.voided_on, doc.void_reason


def test_a_clerks_void_waits_for_a_supervisor(staffed: Ledger) -> None:
    p = as_(staffed, "clerk1").approvals.request_void(STATEMENT, "打印错误")
    assert p.pending and p.kind == "document.void" and p.requested_by == "clerk1"
    assert p.describe() == f"作废文书{STATEMENT}（原因：打印错误）"
    assert _void_state(staffed) == (None, None)
    assert [x.id for x in staffed.approvals.list()] == [p.id]
    assert as_(staffed, "clerk2").approvals.list() == []  # a clerk sees their own requests
    with pytest.raises(NotAllowed) as err:
        staffed.approvals.approve(p.id)
    assert err.value.key == "role.refused"
    done = as_(staffed, "sup1").approvals.approve(p.id)
    assert done.request.status == "approved" and done.request.decided_by == "sup1"
    assert _void_state(staffed) == (staffed.today(), "打印错误")
    with pytest.raises(Conflict) as again:
        staffed.approvals.approve(p.id)
    assert again.value.key == "approval.decided"
    entry = next(e for e in staffed.audit.search(table="document") if e.action == "update")
    assert (entry.actor, entry.role) == ("sup1", "supervisor")
    assert f"approval #{p.id} requested by clerk1" in entry.note and "void: 打印错误" in entry.note
    assert entry.before == {"voided_on": None, "void_reason": None}
    assert entry.after == {"voided_on": "2026-11-23", "void_reason": "打印错误"}


def test_nobody_approves_their_own_request(staffed: Ledger) -> None:
    p = as_(staffed, "sup1").approvals.request_void(STATEMENT, "重复出具")
    with pytest.raises(NotAllowed) as err:
        staffed.approvals.approve(p.id)
    assert err.value.key == "approval.own" and err.value.exit_code == 5
    assert _void_state(staffed) == (None, None)
    with pytest.raises(NotAllowed) as err:
        as_(staffed, "admin1").approvals.approve(p.id)
    assert (err.value.key, err.value.params["needed"]) == ("role.refused", "审核主管")  # not an approver
    assert as_(staffed, "sup2").approvals.approve(p.id).request.status == "approved"


def test_refusal_and_duplicates(staffed: Ledger) -> None:
    p = as_(staffed, "clerk1").approvals.request_void(STATEMENT, "打印错误")
    with pytest.raises(Conflict) as dup:
        as_(staffed, "clerk2").approvals.request_void(STATEMENT, "另一个原因")
    assert dup.value.key == "approval.duplicate" and f"#{p.id}" in dup.value.message()
    as_(staffed, "sup1")
    with pytest.raises(InvalidInput) as err:
        staffed.approvals.refuse(p.id, " ")
    assert (err.value.key, err.value.field) == ("required", "reason")
    refused = staffed.approvals.refuse(p.id, "原因不充分")
    assert (refused.status, refused.decision_note, refused.decided_by) == ("refused", "原因不充分", "sup1")
    with pytest.raises(Conflict) as err:
        staffed.approvals.approve(p.id)
    assert (err.value.key, err.value.params["status"]) == ("approval.decided", "refused")
    assert _void_state(staffed) == (None, None)
    assert as_(staffed, "clerk1").approvals.list(None)[0].status == "refused"


def test_a_request_is_checked_in_full_when_filed(staffed: Ledger) -> None:
    as_(staffed, "clerk1")
    with pytest.raises(InvalidInput) as err:
        staffed.approvals.request_void("OFF01-ZM2026999999", "x")
    assert err.value.key == "document.unknown"
    with pytest.raises(RefusedByRule) as rule:  # longer than Germany's first posting period
        staffed.approvals.request_certificate(PERSON, "DE", EMPLOYER, "Muster GmbH", "2026-12-01", "2032-11-30")
    assert rule.value.key == "agreement.too_long"
    with pytest.raises(InvalidInput) as same:
        staffed.approvals.request_correction(PERSON, EMPLOYER, "2026-10", "8000", "x")
    assert same.value.key == "contrib.same_wage"
    with pytest.raises(InvalidInput) as none:
        staffed.approvals.request_correction(PERSON, EMPLOYER, "2025-10", "9000", "x")
    assert none.value.key == "contrib.not_recorded"
    assert staffed.approvals.list(None) == []
    with staffed.read() as s:
        assert s.scalars(select(CoverageCertificate)).first() is None


def test_correcting_a_recorded_month(staffed: Ledger) -> None:
    p = as_(staffed, "clerk1").approvals.request_correction(PERSON, EMPLOYER, "2026-10", "9500", "工资申报有误")
    assert p.describe() == "更正张三（510107********3215）2026-10的缴费工资：8000.00 → 9500.00（原因：工资申报有误）"
    assert PERSON not in p.describe("en")
    with staffed.read() as s:
        wages = {c.wage for c in s.scalars(select(Contribution).where(Contribution.month == 202610))}
        assert wages == {Decimal("8000.00")}
    m = as_(staffed, "sup1").approvals.approve(p.id).result
    assert m.base == Decimal("9500.00")
    pension = next(ln for ln in m.lines if ln.scheme == "pension")
    assert (pension.employer, pension.employee) == (Decimal("1520.00"), Decimal("760.00"))
    with staffed.read() as s:
        rows = list(s.scalars(select(Contribution).where(Contribution.month == 202610)))
    assert len(rows) == 4 and {r.wage for r in rows} == {Decimal("9500.00")}
    assert staffed.accounts.statement(PERSON).individual_account_balance == Decimal(640 * 10 + 760)
    changes = [e for e in staffed.audit.search(person=PERSON, table="contribution") if e.action == "update"]
    assert len(changes) == 4 and all(e.actor == "sup1" and "工资申报有误" in e.note for e in changes)
    assert {e.before["wage"] for e in changes if e.before} == {"8000.00"}
    assert {e.after["base"] for e in changes if e.after} == {"9500.00"}


def test_a_certificate_of_coverage_on_approval(staffed: Ledger) -> None:
    p = as_(staffed, "clerk1").approvals.request_certificate(
        PERSON, "DE", EMPLOYER, "Muster GmbH", "2026-12-01", "2028-11-30", passport="EA1234567")
    assert p.describe() == "为张三（510107********3215）出具DE参保证明：2026-12-01至2028-11-30"
    with staffed.read() as s:
        assert s.scalars(select(CoverageCertificate)).first() is None
    done = as_(staffed, "sup2").approvals.approve(p.id)
    cert = done.result
    assert cert.number == "OFF01-CB2026000001" and cert.pdf.startswith(b"%PDF")
    assert done.request.result == {"certificate_no": cert.number, "verification_code": cert.code}
    assert staffed.documents.verify(cert.code).valid
    assert [c.number for c in staffed.exemptions.register_list()] == [cert.number]


def test_an_approval_that_no_longer_applies_changes_nothing(staffed: Ledger) -> None:
    p = as_(staffed, "clerk1").approvals.request_void(STATEMENT, "打印错误")
    as_(staffed, "sup1").documents.void(STATEMENT, "主管直接作废")
    with pytest.raises(Conflict) as err:
        as_(staffed, "sup2").approvals.approve(p.id)
    assert err.value.key == "document.void"
    assert staffed.approvals.get(p.id).pending
    assert _void_state(staffed)[1] == "主管直接作废"


def test_correct_in_open_mode(ledger: Ledger, posted: str) -> None:
    m = ledger.contributions.correct(posted, EMPLOYER, "2026-10", "2000", "录入错误")
    assert m.wage == Decimal(2000) and m.base == Decimal("3600.00")  # the floor
    with pytest.raises(InvalidInput) as err:
        ledger.contributions.correct(posted, EMPLOYER, "2026-10", "2500", " ")
    assert (err.value.key, err.value.field) == ("required", "reason")


def _env(monkeypatch: pytest.MonkeyPatch, user: str, password: str = PASSWORD) -> None:
    monkeypatch.setenv("SHEBAO_USER", user)
    monkeypatch.setenv("SHEBAO_PASSWORD", password)


def test_cli_clerk_requests_and_supervisor_approves(staffed: Ledger, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    db = staffed.engine.url.database or ""
    staffed.close()
    _env(monkeypatch, "clerk1")
    code, data, _ = run(capsys, "--db", db, "--json", "document", "void", STATEMENT, "--reason", "打印错误")
    assert code == 0 and data["status"] == "pending" and data["void"] is False
    void_id = data["approval"]
    code, data, _ = run(capsys, "--db", db, "--json", "exemption", "issue", "--worker", PERSON, "--country", "DE",
                        "--employer", EMPLOYER, "--host-employer", "Muster GmbH", "--from", "2026-12-01",
                        "--to", "2027-11-30", "--passport", "EA1234567")
    assert code == 0 and data["status"] == "pending" and data["certificate_no"] is None
    cert_id = data["approval"]
    code, data, _ = run(capsys, "--db", db, "--json", "contrib", "correct", "--worker", PERSON, "--employer",
                        EMPLOYER, "--month", "2026-09", "--wage", "8800", "--reason", "补报")
    assert code == 0 and data["status"] == "pending"
    code, data, _ = run(capsys, "--db", db, "--json", "approvals", "approve", str(void_id))
    assert code == 5 and data["error"]["code"] == "not_allowed"
    _env(monkeypatch, "sup1")
    code, data, _ = run(capsys, "--db", db, "--json", "approvals", "list")
    assert code == 0 and [r["id"] for r in data["requests"]] == [data["requests"][0]["id"], cert_id, void_id]
    assert all(PERSON not in json.dumps(r, ensure_ascii=False) for r in data["requests"])
    out = tmp_path / "cert.pdf"
    code, data, _ = run(capsys, "--db", db, "--json", "approvals", "approve", str(cert_id), "--out", str(out))
    assert code == 0 and data["request"]["status"] == "approved" and out.read_bytes().startswith(b"%PDF")
    code, data, _ = run(capsys, "--db", db, "--json", "approvals", "refuse", str(void_id), "--reason", "不予作废")
    assert code == 0 and data["request"]["status"] == "refused"
    code, data, _ = run(capsys, "--db", db, "--json", "document", "void", STATEMENT, "--reason", "主管作废")
    assert code == 0 and data == {"number": STATEMENT, "void": True}
    _env(monkeypatch, "clerk1")
    code, data, _ = run(capsys, "--db", db, "--json", "approvals", "list", "--all")
    assert {r["status"] for r in data["requests"]} == {"approved", "refused", "pending"}
