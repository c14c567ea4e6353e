"""Record one month of contributions for a person, with the base and amounts shown before saving.

The core proposes the entry (`contributions.next_entry`): the person's current employer (of their
latest recorded month, or of their enrolment) and the next unrecorded month; a month already recorded
there is named beside the month field at once, and Save is disabled with that reason. The schemes
recorded are the core's choice (the enrolment's at the enrolled employer)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from desktop.core.errors import InvalidInput, ShebaoError
from desktop.core.ledger import Ledger
from desktop.core.money import parse_amount
from desktop.core.month import Month
from desktop.core.refdata import schemes
from desktop.core.services.contributions import MonthResult
from desktop.core.services.enrolment import EntryProposal
from desktop.core.services.flexible import FLEXIBLE_USCC
from desktop.core.services.workers import WorkerInfo
from desktop.ui import i18n
from desktop.ui.layout import (
    FormDialog,
    editor_text,
    error_label,
    line_edit,
    short_message,
    text_label,
)
from desktop.ui.operations import query
from desktop.ui.runner import Runner


@dataclass(frozen=True)
class MonthInput:
    """One month as entered: who, where, which month, the wage, and whether it is unpaid."""

    worker: str
    employer: str
    month: str
    wage: str
    arrears: bool


def check_month(text: str) -> None:
    """A month as YYYY-MM."""
    Month.parse(text, "month")


def check_wage(text: str) -> None:
    """A positive amount in yuan, exact to the fen."""
    if parse_amount(text, "wage") <= 0:
        raise InvalidInput("amount.positive", "wage")


def check_employer(text: str) -> None:
    """An employer must be chosen."""
    if not text.strip():
        raise InvalidInput("required", "employer")


class RecordMonthDialog(FormDialog):
    """Record a month at the counter: previews base and amounts per scheme as the clerk types."""

    def __init__(self, ledger: Ledger, runner: Runner, worker: WorkerInfo,
                 last_employer: str | None = None, parent: QWidget | None = None) -> None:
        """`last_employer` is used only when the core knows no current employer for the person."""
        super().__init__(runner, parent)
        self.ledger = ledger
        self.worker = worker
        self._last_employer = last_employer
        self.proposal: EntryProposal | None = None
        self._taken = ""  # why Save is disabled (a month already recorded), or ""
        self._serial = 0
        self._preview_marked: set[str] = set()  # fields whose error a preview showed
        self.preview_result: MonthResult | None = None
        self.person = QLabel(f"{worker.name}  {worker.key}")
        self.person_label = QLabel()
        self.grid.addWidget(self.person_label, 0, 0, Qt.AlignmentFlag.AlignRight)
        self.grid.addWidget(self.person, 0, 1, 1, 2)
        self.employer = QComboBox()
        self.employer.setMinimumContentsLength(36)
        self.employer.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.month = line_edit(10, 10)
        self.month.setText(str(Month.of(ledger.today()).add(-1)))
        self.wage = line_edit(16, 12)
        self.arrears = QCheckBox()
        self.add_field("employer", self.employer, check_employer)
        self.add_field("month", self.month, self._check_month)
        self.add_field("wage", self.wage, check_wage)
        self.wage_note = text_label("wage_note")
        self.wage_note.setWordWrap(True)
        self.grid.addWidget(self.wage_note, self.grid.rowCount(), 1, 1, 2)
        self.grid.addWidget(self.arrears, self.grid.rowCount(), 1, 1, 2)
        self.base_line = QLabel()
        self.base_line.setObjectName("preview_base")
        self.base_line.setWordWrap(True)
        self.preview_error = error_label()
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("preview_table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()  # the scheme's name takes the room the amounts leave
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(190)
        self.body.addWidget(self.base_line)
        self.body.addWidget(self.table)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self.refresh_preview)
        for signal in (self.month.textChanged, self.wage.textChanged,
                       self.employer.currentIndexChanged, self.arrears.toggled):
            signal.connect(lambda *_: self._debounce.start())
        for signal in (self.month.textChanged, self.employer.currentIndexChanged, self.arrears.toggled):
            signal.connect(lambda *_: self._check_taken())
        self.retranslate()
        key = worker.key
        query(self, lambda: (ledger.employers.list(), ledger.contributions.next_entry(key)), self.runner) \
            .success(self._fill_employers).run()
        self.wage.setFocus()

    def _fill_employers(self, result: Any) -> None:
        """Offer the registered employers; preselect the person's current one (as the core proposes it,
        whatever the list's order) and propose the next unrecorded month. With no current employer
        nothing is preselected, unless there is only one to choose."""
        employers, proposal = result
        self.proposal = proposal
        self.employer.blockSignals(True)
        for e in employers:
            if e.uscc != FLEXIBLE_USCC:
                self.employer.addItem(f"{e.name}（{e.uscc}）", e.uscc)
        current = proposal.employer or self._last_employer
        index = self.employer.findData(current) if current else -1
        if index < 0 and self.employer.count() > 1:
            index = -1
        elif index < 0:
            index = 0
        self.employer.setCurrentIndex(index)
        self.employer.blockSignals(False)
        self.employer.updateGeometry()
        layout = self.layout()
        if layout is not None:
            layout.activate()
        if self.width() < self.sizeHint().width():  # the longest employer's name shown whole
            self.resize(self.sizeHint().width(), self.height())
        if proposal.employer is not None and not self.month.isModified():
            self.month.setText(str(proposal.month))
        self._check_taken()
        self._debounce.start()

    def _check_month(self, text: str) -> None:
        """A month as YYYY-MM, not already recorded at the chosen employer."""
        month = Month.parse(text, "month")
        data = self.employer.currentData()
        if self.proposal is not None and data:
            self.proposal.check_month(str(data), month, self.arrears.isChecked())

    def _check_taken(self) -> None:
        """Say at once when the month is already recorded at the employer, and disable Save with why."""
        reason = ""
        if self.proposal is not None and self.month.text().strip():
            try:
                self._check_month(self.month.text())
            except ShebaoError as error:
                if error.key == "entry.month_recorded":
                    reason = short_message(error)
        if reason or self._taken:
            self.fields["month"].error.setText(reason)
        self._taken = reason
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(not reason)
        save.setToolTip(reason)

    def collect(self) -> MonthInput:
        """The entered values."""
        data = self.employer.currentData()
        return MonthInput(self.worker.key, str(data) if data else "", self.month.text(),
                          self.wage.text(), self.arrears.isChecked())

    def operation(self, data: Any) -> Callable[[], Any]:
        """Record the month."""
        return lambda: self.ledger.contributions.record(
            data.worker, data.employer, data.month, data.wage, arrears=data.arrears)

    def refresh_preview(self) -> None:
        """Compute base and amounts in the background once the month and wage make sense."""
        if not all(self._checks_out(n) for n in ("month", "wage")) or not self.wage.text().strip() \
                or self.employer.currentData() is None:
            self._show_preview(None)
            return
        self._serial += 1
        serial = self._serial
        data = self.collect()
        query(self, lambda: self.ledger.contributions.record(data.worker, data.employer, data.month, data.wage,
                                                             arrears=data.arrears, preview=True), self.runner) \
            .success(lambda result: self._previewed(serial, result, None)) \
            .failure(lambda error: self._previewed(serial, None, error)).run()

    def _checks_out(self, name: str) -> bool:
        """Whether a field's text passes its check (its error line is left as it is: typing
        updates it, and a refusal of saving shown there stays)."""
        field = self.fields[name]
        text = editor_text(field.editor)
        if field.check is None or not text.strip():
            return True
        try:
            field.check(text)
        except ShebaoError:
            return False
        return True

    def _previewed(self, serial: int, result: Any, error: BaseException | None) -> None:
        """Show a preview unless the clerk has typed on since it was asked for."""
        if serial != self._serial:
            return
        if error is not None:
            self._show_preview(None)
            self.show_error(error)
            name = getattr(error, "field", None)
            if isinstance(name, str) and name in self.fields:
                self._preview_marked.add(name)
            return
        for name in self._preview_marked:  # a refusal of saving stays until the clerk types
            self.fields[name].error.clear()
        self._preview_marked.clear()
        if self._taken:
            self.fields["month"].error.setText(self._taken)
        self._show_preview(result)

    def _show_preview(self, result: MonthResult | None) -> None:
        """Fill the base line and the amounts table (or the hint when there is nothing to show)."""
        self.preview_result = result
        self.table.setRowCount(0)
        self.wage_note.setText(self._clamp_note(result))
        if result is None:
            self.base_line.setText(self.tr("输入缴费工资后显示缴费基数和各险种金额"))
            return
        kind = self.tr("补缴") if result.kind == "back_payment" else self.tr("正常缴费")
        self.base_line.setText(self.tr("缴费基数 {base}（下限 {floor}，上限 {ceiling}），{kind}").format(
            base=f"{result.base:,.2f}", floor=f"{result.floor:,.2f}",
            ceiling=f"{result.ceiling:,.2f}", kind=kind))
        lang = i18n.lang()
        total = [Decimal(0)] * 4
        for line in result.lines:
            values = (line.employer, line.employee, line.individual_account, line.total)
            self._add_row(schemes()[line.scheme].name(lang), values)
            total = [a + b for a, b in zip(total, values, strict=True)]
        self._add_row(self.tr("合计"), tuple(total), bold=True)

    def _clamp_note(self, result: MonthResult | None) -> str:
        """Beside the wage: that it is below the floor or above the ceiling, and the base it counts as."""
        if result is None or result.clamped is None:
            return ""
        if result.clamped == "floor":
            return self.tr("低于缴费基数下限 {floor}，按下限 {base} 计").format(
                floor=f"{result.floor:,.2f}", base=f"{result.base:,.2f}")
        return self.tr("高于缴费基数上限 {ceiling}，按上限 {base} 计").format(
            ceiling=f"{result.ceiling:,.2f}", base=f"{result.base:,.2f}")

    def _add_row(self, title: str, values: tuple[Decimal, ...], bold: bool = False) -> None:
        """Append one scheme's amounts to the table."""
        row = self.table.rowCount()
        self.table.insertRow(row)
        for col, text in enumerate((title, *(f"{v:,.2f}" for v in values))):
            item = QTableWidgetItem(text)
            if col:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if bold:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.table.setItem(row, col, item)

    def retranslate(self) -> None:
        """Set every visible string in the interface language."""
        super().retranslate()
        self.setWindowTitle(self.tr("记录缴费"))
        self.person_label.setText(self.tr("参保人"))
        self.set_labels({"employer": self.tr("用人单位(&E)"), "month": self.tr("所属期(&M)"),
                         "wage": self.tr("缴费工资(&W)")})
        self.arrears.setText(self.tr("仅申报未缴费（记为欠缴）(&A)"))
        self.month.setPlaceholderText(self.tr("如2026-10"))
        self.wage.setPlaceholderText(self.tr("元，精确到分"))
        self.table.setHorizontalHeaderLabels([self.tr("险种"), self.tr("单位缴费"), self.tr("个人缴费"),
                                              self.tr("记入个人账户"), self.tr("小计")])
        self._show_preview(self.preview_result)
