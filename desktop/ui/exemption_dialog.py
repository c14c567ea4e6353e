"""Issue a certificate of coverage (参保证明) for the person shown, with what the agreement offers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QCheckBox, QLabel, QWidget

from desktop.core.agreements import Agreement
from desktop.core.errors import InvalidInput, RefusedByRule
from desktop.core.ids import validate_uscc
from desktop.core.ledger import Ledger
from desktop.core.services.workers import WorkerInfo
from desktop.ui.layout import FormDialog, line_edit
from desktop.ui.pickers import CountryPicker, DateField
from desktop.ui.register_dialog import required
from desktop.ui.runner import Runner


@dataclass(frozen=True)
class ExemptionInput:
    """What the clerk entered for a certificate of coverage."""

    country: str
    employer: str
    host_employer: str
    start: str
    end: str
    extension: bool
    self_employed: bool
    passport: str | None


def a_date(field: str) -> Callable[[str], object]:
    """A check that the text is a date YYYY-MM-DD."""
    def check(text: str) -> object:
        try:
            return dt.date.fromisoformat(text.strip())
        except ValueError:
            raise InvalidInput("date.format", field, value=text) from None
    return check


def offer(a: Agreement, lang: str = "zh") -> str:
    """One paragraph on what the agreement offers, for the clerk at the counter."""
    from desktop.core.refdata import schemes

    names = "、".join(schemes()[s].name_zh for s in a.schemes)
    period = f"首次派遣最长{a.first_posting_months}个月" if a.first_posting_months else "派遣期限未记录"
    ext = ("，可延期" + (f"至共{a.max_total_months}个月" if a.max_total_months else "（须双方同意）")) \
        if a.extendable else "，无延期规定"
    who = "受雇人员" + ("、自雇人员" if a.self_employed else "") + ("（随行家属亦免缴）" if a.family else "")
    since = f"{a.in_force.isoformat()}生效" if a.in_force else "尚未生效"
    labels = {"first_posting_months": "首次派遣期限", "certificate_partner": "外方证明名称",
              "in_force": "生效日期", "extendable": "延期规定", "max_total_months": "最长派遣期限"}
    disputed = f"  待核实：{'、'.join(labels.get(f, f) for f in a.disputed)}" if a.disputed else ""
    return f"{a.partner_zh}：{since}；免缴{names}；{period}{ext}；适用{who}。{disputed}"


class ExemptionDialog(FormDialog):
    """Certificate of coverage for a worker posted abroad; every refusal names its rule."""

    def __init__(self, ledger: Ledger, runner: Runner, worker: WorkerInfo, employer: str | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.ledger, self.worker = ledger, worker
        self.agreements = ledger.exemptions.agreements()
        self.country = CountryPicker(self.agreements)
        self.employer = line_edit(22, 20)
        self.employer.setText(employer or "")
        self.host = line_edit(200)
        self.start = DateField(today=ledger.today)
        self.end = DateField(today=ledger.today)
        self.passport = line_edit(20, 14)
        self.extension = QCheckBox()
        self.self_employed = QCheckBox()
        self.help = QLabel()
        self.help.setWordWrap(True)
        self.help.setObjectName("agreement_help")
        self.add_field("country", self.country)
        self.add_field("employer", self.employer, validate_uscc)
        self.add_field("host_employer", self.host, required("host_employer"))
        self.add_field("from", self.start, a_date("from"))
        self.add_field("to", self.end, a_date("to"))
        self.passport.setText(worker.passport or "")
        self.add_field("passport", self.passport, self._passport_given)
        self.body.addWidget(self.extension)
        self.body.addWidget(self.self_employed)
        self.body.addWidget(self.help)
        self.country.currentIndexChanged.connect(self._show_offer)
        self.retranslate()
        self._show_offer()
        self.country.setFocus()

    def _passport_given(self, text: str) -> None:
        """A certificate of coverage names the person's passport: refused without one."""
        if not text.strip():
            raise RefusedByRule("coverage.passport_required", "passport", name=self.worker.name)

    def _show_offer(self) -> None:
        code = self.country.currentData()
        if code in self.agreements:
            self.help.setText(offer(self.agreements[code]))

    def collect(self) -> ExemptionInput:
        """The entered values."""
        return ExemptionInput(str(self.country.currentData()), self.employer.text(), self.host.text(),
                              self.start.text().strip(), self.end.text().strip(),
                              self.extension.isChecked(), self.self_employed.isChecked(),
                              self.passport.text().strip() or None)

    def operation(self, data: Any) -> Callable[[], Any]:
        """Issue the certificate (a clerk files a request for a supervisor once accounts exist)."""
        key = self.worker.key

        def issue() -> Any:
            if self.ledger.approvals.needed():
                return self.ledger.approvals.request_certificate(
                    key, data.country, data.employer, data.host_employer, data.start, data.end,
                    extension=data.extension, self_employed=data.self_employed, passport=data.passport)
            return self.ledger.exemptions.issue(key, data.country, data.employer, data.host_employer,
                                                data.start, data.end, data.extension,
                                                data.self_employed, passport=data.passport)
        return issue

    def retranslate(self) -> None:
        """Set every visible string in the interface language."""
        super().retranslate()
        self.setWindowTitle(self.tr("出具参保证明（双边协定）") + f" — {self.worker.name}")
        self.set_labels({"country": self.tr("派往国家(&C)"), "employer": self.tr("派出单位信用代码(&U)"),
                         "host_employer": self.tr("境外工作单位(&H)"), "from": self.tr("起始日期(&F)"),
                         "to": self.tr("截止日期(&T)"), "passport": self.tr("护照号码(&P)")})
        self.extension.setText(self.tr("延期申请（接续截止于起始日前一天的证明）(&E)"))
        self.self_employed.setText(self.tr("自雇人员(&Z)"))
