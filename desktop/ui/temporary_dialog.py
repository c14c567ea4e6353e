"""The person's temporary contribution accounts (临时基本养老保险缴费账户) and their two steps at the
counter: sealing the account held here when the person moves to another province (a printed
certificate), and, at the office holding the pension relationship, gathering an account held
elsewhere at pension age or with an approved transfer (a contact letter, then the usual table and
money). Opening one is the transfer request itself (the transfer dialog says when the rule applies).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialogButtonBox,
    QLabel,
    QRadioButton,
    QWidget,
)

from desktop.core.errors import RefusedByRule
from desktop.core.ledger import Ledger
from desktop.core.regions import name_of
from desktop.core.services.transfers import LETTER_FIELDS, TemporaryView
from desktop.core.services.workers import WorkerInfo
from desktop.ui import i18n
from desktop.ui.history_model import money
from desktop.ui.layout import ERROR_STYLE, FormDialog, heading, line_edit, short_message, vbox
from desktop.ui.operations import query
from desktop.ui.pickers import RegionPicker, check_region
from desktop.ui.runner import Runner
from desktop.ui.transfer_dialog import SETTINGS_KEY

SEAL, GATHER = "seal", "gather"


@dataclass(frozen=True)
class TemporaryInput:
    """The step chosen and what it needs."""

    action: str
    region: str
    paper: bool
    approved: str


class TemporaryDialog(FormDialog):
    """List the temporary accounts known here; seal the one held here, or gather one held elsewhere.

    succeeded(StepResult) is emitted with the certificate (seal) or the contact letter (gather).
    """

    def __init__(self, ledger: Ledger, runner: Runner, worker: WorkerInfo, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.ledger, self.worker = ledger, worker
        self.accounts: list[TemporaryView] | None = None
        self.person = heading(2)
        self.listing = QLabel()
        self.listing.setObjectName("accounts")
        self.listing.setWordWrap(True)
        self.body.insertWidget(0, self.person)
        self.body.insertWidget(1, self.listing)
        self.seal = QRadioButton()
        self.seal.setObjectName("seal")
        self.gather = QRadioButton()
        self.gather.setObjectName("gather")
        self.action_group = QButtonGroup(self)
        self.action_group.addButton(self.seal)
        self.action_group.addButton(self.gather)
        self.seal.setChecked(True)
        self.body.insertLayout(2, vbox(self.seal, self.gather))  # one under the other: long in English
        self.refusals: dict[str, RefusedByRule | None] = {}  # by action: why any request would be refused
        self.refusal_note = QLabel()
        self.refusal_note.setObjectName("refusal")
        self.refusal_note.setWordWrap(True)
        self.refusal_note.setStyleSheet(ERROR_STYLE)
        self.refusal_note.setVisible(False)
        self.body.insertWidget(3, self.refusal_note)
        self.region = RegionPicker()
        self.region.setObjectName("region")
        self.add_field("region", self.region, lambda text: check_region(text, "region"), live=False)
        self.region_name = QLabel()
        self.region_name.setObjectName("region_name")
        self.grid.addWidget(self.region_name, self.grid.rowCount(), 1, 1, 2)
        self.approved = line_edit(100, 30)
        self.approved.setObjectName("approved")
        self.add_field("approved", self.approved)
        self.paper = QCheckBox()
        self.paper.setObjectName("paper")
        self.grid.addWidget(self.paper, self.grid.rowCount(), 1, 1, 2)
        self.region.changed.connect(self._region_typed)
        self.seal.toggled.connect(self._action_changed)
        self.retranslate()
        self._action_changed()
        self.region.setFocus()
        self.reload()
        self.region.prepare(runner)

    @property
    def action(self) -> str:
        """SEAL: the account held here, the person leaving; GATHER: an account held elsewhere."""
        return SEAL if self.seal.isChecked() else GATHER

    def reload(self) -> None:
        """Read the person's temporary accounts again, in the background."""
        ledger, key = self.ledger, self.worker.key
        query(self, lambda: ledger.transfers.temporary(key), self.runner).success(self._loaded) \
            .failure(lambda error: self.general_error.setText(i18n.message(error))).run()
        query(self, lambda: {SEAL: ledger.transfers.can_seal_temporary(key),
                             GATHER: ledger.transfers.can_gather_temporary(key)}, self.runner) \
            .success(self._refusals_loaded).run()

    def _refusals_loaded(self, refusals: dict[str, RefusedByRule | None]) -> None:
        self.refusals = refusals
        self._enable_action()

    def _enable_action(self) -> None:
        """The chosen action disabled, with the reason, when a rule refuses it for this person."""
        refusal = self.refusals.get(self.action)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(refusal is None)
        self.refusal_note.setVisible(refusal is not None)
        self.refusal_note.setText(self.tr("不能办理：{reason}").format(reason=short_message(refusal))
                                  if refusal is not None else "")

    def _loaded(self, result: Any) -> None:
        self.accounts = list(result)
        self._fill()

    def account_text(self, t: TemporaryView) -> str:
        """One account in words: where, the relationship, its state, and its money where held here."""
        i = t.info
        state = {"open": self.tr("使用中"),
                 "sealed": self.tr("{on}封存（转往{to}，凭证{number}）").format(
                     on=i.sealed_on.isoformat() if i.sealed_on else "—", to=name_of(i.sealed_to or ""),
                     number=i.sealed_document or "—"),
                 "gathered": self.tr("已归集（业务{case}）").format(case=i.gathered_by or "—")}[i.state]
        text = self.tr("{region} {name}：{opened}建立，养老保险关系在{relationship} {rname}；{state}").format(
            region=i.region, name=name_of(i.region), opened=i.opened_on.isoformat(),
            relationship=i.relationship_region, rname=name_of(i.relationship_region), state=state)
        if t.total is not None:
            text += self.tr("；{months}个月，全部缴费本息 {total} 元（其中个人账户部分 {account} 元）").format(
                months=t.months, total=money(t.total), account=money(t.account))
        return text

    def _fill(self) -> None:
        if self.accounts is None:
            self.listing.setText(self.tr("正在读取…"))
        elif not self.accounts:
            self.listing.setText(self.tr("本机构没有该参保人的临时基本养老保险缴费账户记录。"))
        else:
            self.listing.setText("\n".join(self.account_text(t) for t in self.accounts))

    def _region_typed(self, code: str) -> None:
        self.fields["region"].error.clear()
        self.general_error.clear()
        whole = len(code) == 6 and code.isdigit()
        self.region_name.setText(name_of(code) if whole and self.validate("region") else "")

    def _action_changed(self) -> None:
        gather = self.action == GATHER
        for widget in (self.approved, self.fields["approved"].label, self.paper):
            widget.setEnabled(gather)
        self.retranslate()
        self._enable_action()

    def accept(self) -> None:
        """Not while a rule refuses the chosen action (its reason is shown)."""
        if self.refusals.get(self.action) is not None:
            return
        super().accept()

    def set_busy(self, busy: bool) -> None:
        """Disable the buttons while the request runs; then the action as the rules allow."""
        super().set_busy(busy)
        if not busy:
            self._enable_action()

    def collect(self) -> TemporaryInput:
        """The entered values."""
        return TemporaryInput(self.action, self.region.code(), self.paper.isChecked(),
                              self.approved.text().strip())

    def operation(self, data: Any) -> Callable[[], Any]:
        """Seal the account held here, or ask for one held elsewhere (the letter carries the bank
        details last entered in the transfer dialog)."""
        ledger, key = self.ledger, self.worker.key
        if data.action == SEAL:
            return lambda: ledger.transfers.seal_temporary(key, data.region)
        saved = i18n.settings()
        letter = {name: str(saved.value(SETTINGS_KEY + name, "") or "") for name in LETTER_FIELDS}
        channel = "paper" if data.paper else "sync"
        return lambda: ledger.transfers.gather_temporary(key, data.region, letter, channel, data.approved)

    def show_error(self, error: BaseException) -> None:
        """A region refused is shown beside the region; everything else in the error line."""
        if getattr(error, "field", None) in ("from_region", "to_region", "region"):
            self.fields["region"].error.setText(i18n.message(error))
            self.region.setFocus()
            return
        super().show_error(error)

    def retranslate(self) -> None:
        """Set every visible string in the interface language."""
        super().retranslate()
        self.setWindowTitle(self.tr("临时基本养老保险缴费账户") + f" — {self.worker.name}")
        self.person.setText(f"{self.worker.name}　{self.worker.key}")
        self.seal.setText(self.tr("封存本地账户：参保人转往外省(&F)"))
        self.gather.setText(self.tr("归集外地账户：本机构为养老保险关系所在地(&G)"))
        seal = self.action == SEAL
        self.fields["region"].label.setText(self.tr("转往地区(&R)") if seal else self.tr("临时账户所在地(&R)"))
        self.fields["approved"].label.setText(self.tr("批准文号(&A)"))
        self.approved.setPlaceholderText(self.tr("未达到待遇领取条件时，经批准转移的文号"))
        self.paper.setText(self.tr("纸质办理（联系函邮寄，不经同步文件）(&Z)"))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(
            self.tr("封存并出具凭证(&S)") if seal else self.tr("申请归集并出具联系函(&S)"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("关闭"))
        self._fill()
        self._enable_action()
