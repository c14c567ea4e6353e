"""A flexible worker (灵活就业人员) pays the employees' pension alone for a run of months, on a ratio
of the province's average wage; the amount due is shown before saving."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QLabel, QWidget

from desktop.core.errors import RefusedByRule
from desktop.core.ledger import Ledger
from desktop.core.month import Month
from desktop.core.services.flexible import FlexiblePayment, parse_ratio
from desktop.core.services.workers import WorkerInfo
from desktop.ui.layout import FormDialog, line_edit
from desktop.ui.operations import query
from desktop.ui.record_month_dialog import check_month
from desktop.ui.runner import Runner

RATIOS = ("0.60", "1.00", "3.00")


@dataclass(frozen=True)
class FlexibleInput:
    """A run of months as entered: who, first and last month, the base ratio."""

    worker: str
    first: str
    last: str
    ratio: str


def check_ratio(text: str) -> None:
    """A base ratio such as 0.60."""
    parse_ratio(text)


class FlexibleDialog(FormDialog):
    """Pay months as a flexible worker: previews the base and the amount due as the clerk types."""

    def __init__(self, ledger: Ledger, runner: Runner, worker: WorkerInfo, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.ledger, self.worker = ledger, worker
        self._serial = 0
        self.preview_result: FlexiblePayment | None = None
        self.person_refused = False  # the preview says a rule refuses the person (the reason is shown)
        self.person = QLabel(f"{worker.name}  {worker.key}")
        self.person_label = QLabel()
        self.grid.addWidget(self.person_label, 0, 0)
        self.grid.addWidget(self.person, 0, 1, 1, 2)
        this_month = str(Month.of(ledger.today()))
        self.first = line_edit(10, 10)
        self.first.setText(this_month)
        self.last = line_edit(10, 10)
        self.last.setText(this_month)
        self.ratio = QComboBox()
        self.ratio.setEditable(True)
        self.ratio.addItems(list(RATIOS))
        self.add_field("from", self.first, check_month)
        self.add_field("to", self.last, check_month)
        self.add_field("ratio", self.ratio, check_ratio)
        self.preview = QLabel()
        self.preview.setObjectName("flexible_preview")
        self.preview.setWordWrap(True)
        self.body.addWidget(self.preview)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self.refresh_preview)
        for signal in (self.first.textChanged, self.last.textChanged, self.ratio.currentTextChanged):
            signal.connect(lambda *_: self._debounce.start())
        self.retranslate()
        self._debounce.start()
        self.ratio.setFocus()

    def accept(self) -> None:
        """Not while a rule refuses the person (its reason is shown)."""
        if not self.person_refused:
            super().accept()

    def set_busy(self, busy: bool) -> None:
        """Disable the buttons while the months are recorded; then as the rules allow."""
        super().set_busy(busy)
        if not busy:
            self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not self.person_refused)

    def collect(self) -> FlexibleInput:
        """The entered values."""
        return FlexibleInput(self.worker.key, self.first.text(), self.last.text(), self.ratio.currentText())

    def operation(self, data: Any) -> Callable[[], Any]:
        """Record the months."""
        return lambda: self.ledger.flexible.pay(data.worker, data.first, data.last, data.ratio)

    def refresh_preview(self) -> None:
        """Compute the months in the background once the fields make sense."""
        if not all(self.validate(n) for n in ("from", "to", "ratio")) or not self.ratio.currentText().strip():
            self._show_preview(None)
            return
        self._serial += 1
        serial = self._serial
        data = self.collect()
        query(self, lambda: self.ledger.flexible.pay(data.worker, data.first, data.last, data.ratio, preview=True),
              self.runner) \
            .success(lambda result: self._previewed(serial, result, None)) \
            .failure(lambda error: self._previewed(serial, None, error)).run()

    def _previewed(self, serial: int, result: Any, error: BaseException | None) -> None:
        """Show a preview unless the clerk has typed on since it was asked for."""
        if serial != self._serial:
            return
        # a rule that refuses the person whatever months are entered (drawing a pension): no payment
        self.person_refused = isinstance(error, RefusedByRule) and error.field == "worker"
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not self.person_refused)
        if error is not None:
            self._show_preview(None)
            self.show_error(error)
            return
        for name in ("from", "to", "ratio"):
            self.fields[name].error.clear()
        self.general_error.clear()
        self._show_preview(result)

    def _show_preview(self, result: FlexiblePayment | None) -> None:
        """The base and the amount due (or the hint when there is nothing to show)."""
        self.preview_result = result
        if result is None:
            self.preview.setText(self.tr("输入缴费月份和缴费基数比例后显示应缴金额"))
            return
        bases = "、".join(sorted({f"{m.base:,.2f}" for m in result.months}))
        self.preview.setText(self.tr(
            "共 {months} 个月，月缴费基数 {base}，由个人全额缴纳：应缴 {total} 元，"
            "其中记入个人账户 {account} 元").format(
            months=len(result.months), base=bases, total=f"{result.total:,.2f}",
            account=f"{result.individual_account:,.2f}"))

    def retranslate(self) -> None:
        """Set every visible string in the interface language."""
        super().retranslate()
        self.setWindowTitle(self.tr("灵活就业人员缴费"))
        self.person_label.setText(self.tr("参保人"))
        self.set_labels({"from": self.tr("起始月份(&F)"), "to": self.tr("截止月份(&T)"),
                         "ratio": self.tr("缴费基数比例(&R)")})
        self.first.setPlaceholderText(self.tr("如2026-01"))
        self.last.setPlaceholderText(self.tr("如2026-12"))
        self.ratio.setToolTip(self.tr("上年度全省全口径城镇单位就业人员月平均工资的倍数（0.60至3.00）"))
        self._show_preview(self.preview_result)
