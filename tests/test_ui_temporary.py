"""A temporary contribution account at the counter, between two real offices exchanging sync files.

A woman of 46 with hukou in Chengdu comes from Nanchang to Beijing: the transfer dialog says a
temporary account is opened instead of a transfer, and the request opens it; Beijing seals it with a
printed certificate when she moves on to Shanghai; Nanchang, which holds the relationship, is told
it may gather only at pension age, and gathers with an approval.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sync_support import EMP_BJ, EMP_NC, make_office, send, trust_all, uscc
from test_ui_support import (
    commit_text,
    open_by_search,
    patient_waits,
    press_shortcut,
    private_settings,
)

from desktop.core.ledger import Ledger
from desktop.ui.documents import DocumentPreviewDialog
from desktop.ui.temporary_dialog import TemporaryDialog
from desktop.ui.transfer_dialog import TransferDialog
from desktop.ui.window import MainWindow

__all__ = ["patient_waits", "private_settings"]

WOMAN = "510107198003034422"  # born 1980-03-03, hukou Chengdu: 46 on the test day


@pytest.fixture
def offices(sqlite_template: Path, tmp_path: Path) -> Iterator[tuple[Ledger, Ledger]]:
    a = make_office(sqlite_template, tmp_path, "NC01", "南昌市社保局", "360100", EMP_NC, "南昌赣江机械制造有限公司")
    b = make_office(sqlite_template, tmp_path, "BJ01", "北京市朝阳区社保中心", "110105", EMP_BJ, "北京朝阳科技有限公司")
    trust_all(a, b)
    key = a.workers.register_citizen(WOMAN, "李梅", "510107", "rural").key
    for month in range(1, 13):
        a.contributions.record(key, uscc(EMP_NC), f"2025-{month:02d}", "5000")
    send(a, b, tmp_path)
    yield a, b
    a.close()
    b.close()


def _window(ledger: Ledger, qtbot: Any) -> MainWindow:
    win = MainWindow(ledger)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.office is not None)
    return win


def _temporary_dialog(win: MainWindow, qtbot: Any) -> TemporaryDialog:
    press_shortcut(qtbot, win.page, Qt.Key.Key_L)
    qtbot.waitUntil(lambda: isinstance(win.active_dialog, TemporaryDialog))
    dialog = win.active_dialog
    assert isinstance(dialog, TemporaryDialog)
    qtbot.waitUntil(lambda: dialog.accounts is not None)
    return dialog


def test_a_clerk_opens_seals_and_gathers_a_temporary_account(offices: tuple[Ledger, Ledger], qtbot: Any,
                                                             tmp_path: Path) -> None:
    a, b = offices
    win_b = _window(b, qtbot)
    win_a = _window(a, qtbot)
    try:
        # -- Beijing: the plan says temporary account; the request opens it ----------------------------
        open_by_search(win_b, qtbot, WOMAN, "李梅")
        win_b.page.transfer_button.click()
        qtbot.waitUntil(lambda: isinstance(win_b.active_dialog, TransferDialog))
        dialog = win_b.active_dialog
        assert isinstance(dialog, TransferDialog)
        qtbot.waitUntil(lambda: dialog.context is not None)
        assert dialog.direction == "in"
        qtbot.keyClicks(dialog.region, "360100")
        qtbot.waitUntil(lambda: dialog.preview is not None and dialog.preview.region == "360100")
        values = {name: label.text() for name, label in dialog.plan_values.items()}
        assert values["kind"] == "临时基本养老保险缴费账户：养老保险关系不转移"
        assert values["temporary"].startswith("是：建立临时基本养老保险缴费账户")
        assert "不出具联系函" in dialog.plan_note.text()
        assert not dialog.letter["bank_account"].isEnabled() and not dialog.paper.isEnabled()
        save = dialog.buttons.buttons()[0]
        assert "建立临时缴费账户" in dialog.buttons.button(dialog.buttons.StandardButton.Save).text(), save.text()
        assert dialog.grab().save(str(Path("/tmp") / "temporary_plan.png"))
        qtbot.keyClick(dialog.region, Qt.Key.Key_Return)  # Enter opens the account: no letter needed
        qtbot.waitUntil(lambda: not dialog.isVisible())
        qtbot.waitUntil(lambda: "已建立临时基本养老保险缴费账户" in win_b.status.text())
        [acct] = b.transfers.temporary(WOMAN)
        assert (acct.info.region, acct.info.relationship_region, acct.info.state) == ("110105", "360100", "open")
        win_b.runner.wait()
        b.contributions.record(WOMAN, uscc(EMP_BJ), "2026-11", "9000")  # her first month here

        # -- Beijing: she leaves for Shanghai; the account is sealed with its certificate ----------------
        seal = _temporary_dialog(win_b, qtbot)
        assert "110105 北京市朝阳区" in seal.listing.text() and "使用中" in seal.listing.text()
        # 9,000 base: 16% employer and 8% employee, 2,160.00 in all, no interest in its first year
        assert "1个月，全部缴费本息 2,160.00 元（其中个人账户部分 720.00 元）" in seal.listing.text()
        assert seal.seal.isChecked() and not seal.approved.isEnabled()
        qtbot.keyClicks(seal.region, "310115")
        assert seal.region_name.text() == "上海市浦东新区"
        qtbot.keyClick(seal.region, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: isinstance(win_b.last_preview, DocumentPreviewDialog))
        cert = win_b.last_preview
        assert isinstance(cert, DocumentPreviewDialog) and "BJ01-LS2026" in cert.windowTitle()
        assert cert.document.pageCount() == 1
        cert.close()
        qtbot.waitUntil(lambda: "临时缴费账户已封存" in win_b.status.text())
        again = _temporary_dialog(win_b, qtbot)
        assert "封存（转往上海市浦东新区" in again.listing.text()
        # nothing open to seal any more: refused with the reason before anything is typed
        save_again = again.buttons.button(again.buttons.StandardButton.Save)
        qtbot.waitUntil(lambda: again.refusal_note.text() != "")
        assert again.region.text() == "" and not save_again.isEnabled()
        assert again.refusal_note.text().startswith("不能办理：")
        assert "没有未封存的临时基本养老保险缴费账户" in again.refusal_note.text()
        qtbot.keyClicks(again.region, "310115")
        again.accept()  # Enter does nothing either
        assert again.isVisible() and again.general_error.text() == ""
        again.gather.click()  # nor is the relationship here, to gather the accounts
        assert not save_again.isEnabled() and "养老保险关系" in again.refusal_note.text()
        again.reject()

        # -- Nanchang holds the relationship: gathers with an approval, not before pension age ---------
        open_by_search(win_a, qtbot, WOMAN, "李梅")
        gather = _temporary_dialog(win_a, qtbot)
        assert "没有该参保人的临时基本养老保险缴费账户记录" in gather.listing.text()  # not synced back yet
        qtbot.waitUntil(lambda: gather.refusal_note.isVisible())  # nothing to seal here
        gather.gather.click()
        save_gather = gather.buttons.button(gather.buttons.StandardButton.Save)
        assert save_gather.isEnabled() and not gather.refusal_note.isVisible()  # the relationship is here
        assert gather.approved.isEnabled() and gather.fields["region"].label.text() == "临时账户所在地(&R)"
        qtbot.keyClicks(gather.region, "110105")
        gather.accept()
        qtbot.waitUntil(lambda: gather.general_error.text() != "")
        assert "2032-11-03达到法定退休年龄" in gather.general_error.text() and gather.isVisible()
        assert a.transfers.list(worker=WOMAN) == []
        commit_text(gather.approved, "赣人社函〔2026〕8号")
        qtbot.keyClick(gather.region, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: isinstance(win_a.last_preview, DocumentPreviewDialog))
        letter = win_a.last_preview
        assert isinstance(letter, DocumentPreviewDialog) and "NC01-LX2026" in letter.windowTitle()
        letter.close()
        [case] = a.transfers.list(worker=WOMAN)
        assert (case.kind, case.from_region, case.to_region, case.status) == ("gather", "110105", "360100",
                                                                              "requested")
    finally:
        for win in (win_a, win_b):
            if win.active_dialog is not None:
                win.active_dialog.close()
            win.runner.wait()
