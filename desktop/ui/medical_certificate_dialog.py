"""At the old office: issue the medical insurance transfer certificate (基本医疗保险参保（合）凭证,
医保发〔2021〕43号) for the person shown, to the region the person moves to; the certificate is then
previewed like every other document."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QDialogButtonBox, QLabel, QWidget

from desktop.core import transfer_rules as tr
from desktop.core.errors import RefusedByRule
from desktop.core.ledger import Ledger
from desktop.core.month import parse_date
from desktop.core.regions import name_of
from desktop.core.services.workers import WorkerInfo
from desktop.ui.layout import ERROR_STYLE, FormDialog, short_message
from desktop.ui.operations import query
from desktop.ui.pickers import DateField, RegionPicker
from desktop.ui.pickers import check_region as check_picked
from desktop.ui.runner import Runner


@dataclass(frozen=True)
class MedicalCertificateInput:
    """What the clerk entered: the destination region and the application day (empty: today)."""

    to_region: str
    applied_on: str


def check_region(text: str) -> object:
    """A known region code of six digits."""
    return check_picked(text, "to_region")


def check_day(text: str) -> object:
    """A date YYYY-MM-DD, or nothing (today)."""
    return parse_date(text, "applied_on") if text.strip() else None


class MedicalCertificateDialog(FormDialog):
    """The region the person moves to and the application day; refusals keep the dialog open."""

    def __init__(self, ledger: Ledger, runner: Runner, worker: WorkerInfo, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.ledger, self.worker = ledger, worker
        self.region = RegionPicker()
        self.region.setObjectName("to_region")
        self.applied_on = DateField(optional=True, today=ledger.today)
        self.applied_on.setObjectName("applied_on")
        self.region_name = QLabel()
        self.region_name.setObjectName("region_name")
        self.rule = QLabel()
        self.rule.setWordWrap(True)
        self.add_field("to_region", self.region, check_region, live=False)
        self.add_field("applied_on", self.applied_on, check_day)
        self.refusal: RefusedByRule | None = None  # why any certificate would be refused for the person
        self.refusal_note = QLabel()
        self.refusal_note.setObjectName("refusal")
        self.refusal_note.setWordWrap(True)
        self.refusal_note.setStyleSheet(ERROR_STYLE)
        self.refusal_note.setVisible(False)
        self.body.insertWidget(0, self.refusal_note)
        self.body.addWidget(self.region_name)
        self.body.addWidget(self.rule)
        self.region.changed.connect(self._show_name)
        self.retranslate()
        self.region.setFocus()
        key = worker.key
        query(self, lambda: ledger.insured.can_issue_medical_certificate(key), runner) \
            .success(self._refusal_loaded).run()
        self.region.prepare(runner)

    def _refusal_loaded(self, refusal: RefusedByRule | None) -> None:
        """A rule refuses any certificate for the person: the action disabled, the reason shown."""
        self.refusal = refusal
        self._enable()

    def _enable(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(self.refusal is None)
        self.refusal_note.setVisible(self.refusal is not None)
        self.refusal_note.setText(short_message(self.refusal) if self.refusal is not None else "")

    def accept(self) -> None:
        """Not while a rule refuses the certificate (its reason is shown)."""
        if self.refusal is None:
            super().accept()

    def set_busy(self, busy: bool) -> None:
        """Disable the buttons while the certificate is made; then as the rules allow."""
        super().set_busy(busy)
        if not busy:
            self._enable()

    def _show_name(self, code: str) -> None:
        self.fields["to_region"].error.clear()
        name = name_of(code) if len(code) == 6 and code.isdigit() else ""
        self.region_name.setText(self.tr("转入地：{name}").format(name=name) if name and name != code else "")

    def collect(self) -> MedicalCertificateInput:
        """The entered values."""
        return MedicalCertificateInput(self.region.code(), self.applied_on.text().strip())

    def operation(self, data: Any) -> Callable[[], Any]:
        """Issue the certificate (runs on the worker)."""
        key = self.worker.key
        return lambda: self.ledger.insured.medical_certificate(key, data.to_region, data.applied_on or None)

    def retranslate(self) -> None:
        """Set every visible string in the interface language."""
        super().retranslate()
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("开具(&I)"))
        self.setWindowTitle(self.tr("开具医保转移凭证") + f" — {self.worker.name}")
        self.fields["to_region"].label.setText(self.tr("转入地区(&R)"))
        self.fields["applied_on"].label.setText(self.tr("申请日期(&D)"))
        self.applied_on.setPlaceholderText(self.tr("YYYY-MM-DD，空为今天"))
        rules = tr.rules()
        self.rule.setText(self.tr("医保发〔2021〕43号：转出地自申请之日起{old}个工作日内出具凭证，"
                                  "转入地自收到凭证之日起{new}个工作日内办结；缴费年限累计计算。").format(
            old=rules.medical_old_office_working_days, new=rules.medical_new_office_working_days))
        self._show_name(self.region.code())
        self._enable()
