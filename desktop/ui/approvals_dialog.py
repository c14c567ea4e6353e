"""Requests waiting for a second person: a supervisor approves or refuses; a clerk sees their own."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QWidget,
)

from desktop.core.changes import Changes
from desktop.core.ledger import Ledger
from desktop.core.messages import render
from desktop.core.security import SUPERVISE
from desktop.core.services.approvals import Approval, PendingInfo
from desktop.ui import i18n
from desktop.ui.layout import Retranslating, error_label, hbox, heading, line_edit, vbox
from desktop.ui.list_model import Index, ListTableModel
from desktop.ui.operations import op, query
from desktop.ui.runner import Runner

COLUMNS = 7


class ApprovalsModel(ListTableModel):
    """Requests: number, what, details (numbers masked), who asked, where, when, status."""

    column_count = COLUMNS

    @property
    def requests(self) -> list[PendingInfo]:
        """The requests shown."""
        return self.rows

    def set_requests(self, requests: list[PendingInfo]) -> None:
        """Show another list."""
        self.set_rows(requests)

    def kind_name(self, kind: str) -> str:
        """What a request asks for, in words."""
        return {"document.void": self.tr("作废文书"), "contribution.correct": self.tr("更正缴费工资"),
                "exemption.issue": self.tr("出具参保证明")}.get(kind, kind)

    def status_name(self, p: PendingInfo) -> str:
        """Waiting, approved (by whom) or refused (by whom, why)."""
        if p.status == "approved":
            return self.tr("已批准（{by}）").format(by=p.decided_by or "")
        if p.status == "refused":
            return self.tr("已退回（{by}：{note}）").format(by=p.decided_by or "", note=p.decision_note or "")
        return self.tr("待审批")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A cell's text."""
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        p = self.requests[index.row()]
        return [f"#{p.id}", self.kind_name(p.kind), p.describe(i18n.lang()), p.requested_by, p.counter,
                p.requested_at.strftime("%Y-%m-%d %H:%M"), self.status_name(p)][index.column()]

    def titles(self) -> list[str]:
        """Column titles."""
        return [self.tr("编号"), self.tr("事项"), self.tr("内容"), self.tr("申请人"), self.tr("窗口"),
                self.tr("申请时间"), self.tr("状态")]


class ApprovalsDialog(Retranslating, QDialog):
    """The list of requests; a supervisor approves (which performs the action) or refuses with a
    reason, never their own; a clerk sees their own requests and what became of them.

    Emits approved(Approval) after an approval, so the window can show an issued certificate.
    """

    approved = Signal(object)

    def __init__(self, ledger: Ledger, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger, self.runner = ledger, runner
        actor = ledger.actor
        self.supervisor = actor is None or actor.role in SUPERVISE
        self.me = actor.name if actor else None
        self.title = heading(2)
        self.show_all = QComboBox()
        self.show_all.addItem("", "pending")
        self.show_all.addItem("", None)
        self.show_all.currentIndexChanged.connect(lambda _i: self.reload())
        self.model = ApprovalsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.reason: QLineEdit = line_edit(400, 24)
        self.approve_button = QPushButton()
        self.refuse_button = QPushButton()
        self.refresh_button = QPushButton()
        self.close_button = QPushButton()
        self.approve_button.clicked.connect(self.approve_selected)
        self.refuse_button.clicked.connect(self.refuse_selected)
        self.refresh_button.clicked.connect(self.reload)
        self.close_button.clicked.connect(self.reject)
        self.status = QLabel()
        self.status.setObjectName("approvals_status")
        self.error = error_label()
        for widget in (self.reason, self.approve_button, self.refuse_button):
            widget.setVisible(self.supervisor)
        self.setLayout(vbox(hbox(self.title, 1, self.show_all), self.table, self.status, self.error,
                            hbox(self.reason, self.refuse_button, self.approve_button, 1,
                                 self.refresh_button, self.close_button), margin=12))
        self.resize(980, 480)
        self.retranslate()
        self._update_buttons()
        self.reload()

    def selected(self) -> PendingInfo | None:
        """The request in the selected row."""
        return self.model.selected(self.table)  # type: ignore[no-any-return]

    def select_request(self, request_id: int) -> bool:
        """Select the row of a request; False when it is not shown."""
        return self.model.select(self.table, lambda p: p.id == request_id)

    def refresh_from_database(self) -> None:
        """The database changed elsewhere (the window noticed): read it again."""
        self.reload()

    def reload(self) -> None:
        """Read the list again in the background."""
        status = self.show_all.currentData()
        query(self, lambda: self.ledger.approvals.list(status), self.runner).success(self._loaded).run()

    def show_error(self, error: BaseException) -> None:
        """Say why reading or deciding failed (operations show their failures here)."""
        self.error.setText(i18n.message(error))

    def _loaded(self, requests: list[PendingInfo]) -> None:
        self.model.set_requests(requests)
        self._update_buttons()

    def _update_buttons(self) -> None:
        p = self.selected()
        waiting = p is not None and p.pending and self.supervisor
        own = p is not None and self.me is not None and p.requested_by == self.me
        self.approve_button.setEnabled(waiting and not own)
        self.refuse_button.setEnabled(waiting)
        self.approve_button.setToolTip(render("approval.own", i18n.lang()) if waiting and own else "")

    def approve_selected(self) -> None:
        """Approve (and so perform) the selected request."""
        p = self.selected()
        if p is None or not self.approve_button.isEnabled():
            return
        self.error.clear()
        self._busy(True)
        ledger = self.ledger
        # what an approved request did varies (a certificate, a change of record): refresh it all
        op(self, lambda: ledger.approvals.approve(p.id), self.runner, ledger).reports(Changes.all()) \
            .success(self._approved).failure(self._not_approved).run(initiator=self)

    def _not_approved(self, error: BaseException) -> None:
        self._busy(False)
        self.show_error(error)
        self.reload()

    def _approved(self, result: Approval) -> None:
        self._busy(False)
        self.status.setText(self.tr("已批准申请#{id}：{what}").format(
            id=result.request.id, what=result.request.describe(i18n.lang())))
        self.approved.emit(result)
        self.reload()

    def refuse_selected(self) -> None:
        """Refuse the selected request with the reason typed beside the button."""
        p = self.selected()
        if p is None or not self.refuse_button.isEnabled():
            return
        reason = self.reason.text().strip()
        if not reason:
            self.error.setText(self.tr("请填写退回原因"))
            self.reason.setFocus()
            return
        self.error.clear()
        self._busy(True)
        op(self, lambda: self.ledger.approvals.refuse(p.id, reason), self.runner, self.ledger) \
            .success(self._refused).failure(self._not_refused).run(initiator=self)

    def _not_refused(self, error: BaseException) -> None:
        self._busy(False)
        self.show_error(error)

    def _refused(self, result: PendingInfo) -> None:
        self._busy(False)
        self.reason.clear()
        self.status.setText(self.tr("已退回申请#{id}").format(id=result.id))
        self.reload()

    def _busy(self, busy: bool) -> None:
        for button in (self.approve_button, self.refuse_button, self.refresh_button):
            button.setEnabled(not busy)
        if not busy:
            self._update_buttons()

    def retranslate(self) -> None:
        """Set every visible string in the interface language."""
        self.setWindowTitle(self.tr("审批申请"))
        self.title.setText(self.tr("待审批的申请") if self.supervisor else self.tr("我提交的申请"))
        self.show_all.setItemText(0, self.tr("只看待审批"))
        self.show_all.setItemText(1, self.tr("全部"))
        self.reason.setPlaceholderText(self.tr("退回原因"))
        self.approve_button.setText(self.tr("批准(&A)"))
        self.refuse_button.setText(self.tr("退回(&R)"))
        self.refresh_button.setText(self.tr("刷新(&F)"))
        self.close_button.setText(self.tr("关闭"))
        self.model.retranslate()
