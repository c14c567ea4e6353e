"""Signing in at the window, a first password changed, a clerk's request approved by a supervisor."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import select
from test_security_support import PASSWORD, as_, fast_hashing, staffed, staffed_template
from test_ui_support import commit_text, private_settings

from desktop.core.ledger import Ledger
from desktop.core.store.models import Document
from desktop.ui.approvals_dialog import ApprovalsDialog
from desktop.ui.audit_dialog import AuditDialog
from desktop.ui.runner import Runner
from desktop.ui.signin_dialog import SignInDialog

__all__ = ["fast_hashing", "private_settings", "staffed", "staffed_template"]
STATEMENT = "OFF01-ZM2026000001"


@pytest.fixture
def runner(qtbot: Any) -> Iterator[Runner]:
    """The background runner the dialogs use."""
    r = Runner()
    yield r
    r.wait()


REFUSED = "账号或密码不正确，或账号暂时不能登录（连续输错5次密码后须等待15分钟，或请管理员解锁；停用的账号不能登录）"


def sign_in(ledger: Ledger, runner: Runner, qtbot: Any, name: str, password: str = PASSWORD) -> SignInDialog:
    """Open the sign-in dialog, type the account and password, press Enter, wait until it is done."""
    dialog = SignInDialog(ledger, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.user.clear()
    qtbot.keyClicks(dialog.user, name)
    qtbot.keyClicks(dialog.password, password)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.buttons.isEnabled() and not runner.busy, timeout=30000)
    return dialog


def test_sign_in_wrong_then_right_password(staffed: Ledger, runner: Runner, qtbot: Any) -> None:
    dialog = sign_in(staffed, runner, qtbot, "clerk1", "not-my-password")
    assert dialog.isVisible() and dialog.error.text() == REFUSED
    assert dialog.password.text() == "" and staffed.actor is None
    assert dialog.password.echoMode() == dialog.password.EchoMode.Password
    with qtbot.waitSignal(dialog.signed_in, timeout=5000) as signal:
        qtbot.keyClicks(dialog.password, PASSWORD)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert signal.args[0].name == "clerk1" and signal.args[0].role == "clerk"
    assert not dialog.isVisible() and staffed.actor is not None and staffed.actor.name == "clerk1"
    again = SignInDialog(staffed, runner)  # the account name is remembered at this counter
    qtbot.addWidget(again)
    assert again.user.text() == "clerk1"


def test_a_locked_account_says_no_more_than_a_wrong_password(staffed: Ledger, runner: Runner, qtbot: Any) -> None:
    for _ in range(4):
        assert sign_in(staffed, runner, qtbot, "clerk2", "wrong-password").error.text() == REFUSED
    dialog = sign_in(staffed, runner, qtbot, "clerk2", "wrong-password")
    assert dialog.error.text() == REFUSED and "管理员解锁" in dialog.error.text()
    assert sign_in(staffed, runner, qtbot, "clerk2").error.text() == REFUSED  # locked: the right one fails
    assert sign_in(staffed, runner, qtbot, "nobody").error.text() == REFUSED
    assert staffed.actor is None


def test_the_first_password_must_be_changed(staffed: Ledger, runner: Runner, qtbot: Any) -> None:
    as_(staffed, "admin1").users.add("wang.fang", "clerk", "First-pass-1")
    staffed.sign_out()
    dialog = sign_in(staffed, runner, qtbot, "wang.fang", "First-pass-1")
    assert dialog.changing and dialog.isVisible() and dialog.title.text() == "修改密码"
    qtbot.keyClicks(dialog.new_password, "Second-pass-2")
    qtbot.keyClicks(dialog.again, "Second-pass-3")
    qtbot.keyClick(dialog.again, Qt.Key.Key_Return)
    assert dialog.error.text() == "两次输入的新密码不一致" and not runner.busy
    dialog.new_password.clear()
    qtbot.keyClicks(dialog.new_password, "short")
    qtbot.keyClicks(dialog.again, "short")
    qtbot.keyClick(dialog.again, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.error.text() != "", timeout=30000)
    assert dialog.error.text() == "密码：至少8个字符"
    assert staffed.actor is not None and staffed.actor.must_change
    with qtbot.waitSignal(dialog.signed_in, timeout=5000):
        qtbot.keyClicks(dialog.new_password, "Second-pass-2")
        qtbot.keyClicks(dialog.again, "Second-pass-2")
        qtbot.keyClick(dialog.again, Qt.Key.Key_Return)
    assert not dialog.isVisible() and not staffed.actor.must_change
    staffed.sign_out()
    assert not staffed.sign_in("wang.fang", "Second-pass-2").must_change


def test_cancelling_the_change_signs_out(staffed: Ledger, runner: Runner, qtbot: Any) -> None:
    as_(staffed, "admin1").users.add("wang.fang", "clerk", "First-pass-1")
    staffed.sign_out()
    dialog = sign_in(staffed, runner, qtbot, "wang.fang", "First-pass-1")
    assert dialog.changing
    dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    qtbot.waitUntil(lambda: not runner.busy, timeout=30000)
    assert staffed.actor is None and not dialog.isVisible()


def _voided(ledger: Ledger) -> bool:
    with ledger.read(checked=False) as s:
        return s.scalars(select(Document.voided_on).where(Document.number == STATEMENT)).one() is not None


def open_approvals(ledger: Ledger, runner: Runner, qtbot: Any) -> ApprovalsDialog:
    """The approvals dialog, shown, with its list loaded."""
    dialog = ApprovalsDialog(ledger, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not runner.busy, timeout=30000)
    return dialog


def test_a_clerks_request_waits_then_a_supervisor_approves(staffed: Ledger, runner: Runner, qtbot: Any) -> None:
    sign_in(staffed, runner, qtbot, "clerk1")
    request = staffed.approvals.request_void(STATEMENT, "打印错误")  # as the document view will
    mine = open_approvals(staffed, runner, qtbot)
    assert mine.title.text() == "我提交的申请" and not mine.approve_button.isVisible()
    assert mine.model.rowCount() == 1
    cells = [mine.model.index(0, c).data() for c in range(7)]
    assert cells[0] == f"#{request.id}" and cells[1] == "作废文书" and cells[3] == "clerk1"
    assert cells[2] == f"作废文书{STATEMENT}（原因：打印错误）" and cells[6] == "待审批"
    mine.close()
    assert not _voided(staffed)

    sign_in(staffed, runner, qtbot, "sup1")
    dialog = open_approvals(staffed, runner, qtbot)
    assert dialog.title.text() == "待审批的申请" and dialog.approve_button.isVisible()
    assert not dialog.approve_button.isEnabled()  # nothing selected yet
    assert dialog.select_request(request.id) and dialog.approve_button.isEnabled()
    with qtbot.waitSignal(dialog.approved, timeout=5000) as signal:
        qtbot.mouseClick(dialog.approve_button, Qt.MouseButton.LeftButton)
    assert signal.args[0].request.decided_by == "sup1"
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 0 and not runner.busy, timeout=30000)
    assert dialog.status.text() == f"已批准申请#{request.id}：作废文书{STATEMENT}（原因：打印错误）"
    assert _voided(staffed)
    dialog.show_all.setCurrentIndex(1)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1 and not runner.busy, timeout=30000)
    assert dialog.model.index(0, 6).data() == "已批准（sup1）"


def test_a_supervisor_cannot_approve_their_own_request(staffed: Ledger, runner: Runner, qtbot: Any) -> None:
    sign_in(staffed, runner, qtbot, "sup1")
    request = staffed.approvals.request_void(STATEMENT, "重复出具")
    dialog = open_approvals(staffed, runner, qtbot)
    assert dialog.select_request(request.id)
    assert not dialog.approve_button.isEnabled() and dialog.refuse_button.isEnabled()
    assert dialog.approve_button.toolTip() == "不能批准自己提交的申请，须由另一位主管批准"
    dialog.close()
    sign_in(staffed, runner, qtbot, "sup2")
    other = open_approvals(staffed, runner, qtbot)
    assert other.select_request(request.id) and other.approve_button.isEnabled()


def test_a_supervisor_refuses_with_a_reason(staffed: Ledger, runner: Runner, qtbot: Any) -> None:
    request = as_(staffed, "clerk1").approvals.request_void(STATEMENT, "打印错误")
    sign_in(staffed, runner, qtbot, "sup2")
    dialog = open_approvals(staffed, runner, qtbot)
    assert dialog.select_request(request.id)
    dialog.refuse_button.click()
    assert dialog.error.text() == "请填写退回原因" and not runner.busy
    commit_text(dialog.reason, "原因不充分")
    dialog.refuse_button.click()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 0 and not runner.busy, timeout=30000)
    assert dialog.status.text() == f"已退回申请#{request.id}"
    assert staffed.approvals.get(request.id).decision_note == "原因不充分" and not _voided(staffed)


def open_audit(ledger: Ledger, runner: Runner, qtbot: Any) -> AuditDialog:
    """The audit dialog, shown, with the chain checked and the newest entries listed."""
    dialog = AuditDialog(ledger, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.verdict is not None and not runner.busy, timeout=30000)
    return dialog


def test_the_window_shows_the_audit_trail_and_tampering(staffed: Ledger, runner: Runner, qtbot: Any) -> None:
    as_(staffed, "clerk2").contributions.record("510107198511113215", "91360100MA35F7Q108", "2025-12", "7000")
    sign_in(staffed, runner, qtbot, "sup1")
    dialog = open_audit(staffed, runner, qtbot)
    assert dialog.banner.text().startswith("审计记录完整，共") and "1b5e20" in dialog.banner.styleSheet()
    qtbot.keyClicks(dialog.clerk, "clerk2")
    qtbot.keyClick(dialog.clerk, Qt.Key.Key_Return)
    # the sign-in and four lines
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 5 and not runner.busy, timeout=30000)
    cells = [dialog.model.index(1, c).data() for c in range(7)]
    assert cells[2:6] == ["clerk2", staffed.counter, "新增", "contribution"]
    assert "month=202512" in cells[6] and "wage=7000.00" in cells[6]
    with staffed.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE audit_entry SET after_json = replace(after_json, '7000.00', '700.00')")
    dialog.verify_button.click()
    qtbot.waitUntil(lambda: dialog.verify_button.isEnabled() and not runner.busy, timeout=30000)
    assert dialog.verdict is not None and not dialog.verdict.valid
    assert dialog.banner.text().startswith("审计记录被改动：第") and "b00020" in dialog.banner.styleSheet()


def test_a_clerk_cannot_read_the_audit_trail(staffed: Ledger, runner: Runner, qtbot: Any) -> None:
    sign_in(staffed, runner, qtbot, "clerk1")
    dialog = AuditDialog(staffed, runner)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not runner.busy and dialog.verify_button.isEnabled(), timeout=30000)
    assert "无权" in dialog.banner.text() and dialog.model.rowCount() == 0 and "无权" in dialog.error.text()
