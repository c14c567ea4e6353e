"""The switch between the employees' and the residents' pension at retirement age (城乡养老保险制度衔接,
人社部发〔2014〕17号) for the person shown: the direction and its rule, the years counted, the months in
both schemes with the residents' personal contribution refunded by year, the account that moves; the
clerk confirms, the switch is recorded once and the notice (告知书) is previewed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QGridLayout, QLabel, QWidget

from desktop.core import transfer_rules as tr
from desktop.core.ledger import Ledger
from desktop.core.messages import render
from desktop.core.services.scheme_switch import TO_EMPLOYEE, SwitchPlan, SwitchRecord
from desktop.core.services.workers import WorkerInfo
from desktop.ui import i18n
from desktop.ui.history_model import money
from desktop.ui.layout import ERROR_STYLE, FormDialog, heading
from desktop.ui.operations import query
from desktop.ui.record_panel import fill_row, fit_rows, small_table
from desktop.ui.runner import Runner

NOTE_STYLE = "color: #666;"


@dataclass(frozen=True)
class SwitchView:
    """What the dialog shows: today's plan and the switch already recorded, if any."""

    plan: SwitchPlan
    recorded: SwitchRecord | None


def load_switch(ledger: Ledger, key: str) -> SwitchView:
    """The plan and the recorded switch (runs on the worker)."""
    return SwitchView(ledger.switches.plan(key), ledger.switches.show(key))


def _value(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class SwitchDialog(FormDialog):
    """Show the switch as planned today and decide it; a refusal is shown and nothing is written.

    succeeded(SwitchResult) is emitted once the switch is recorded and its notice issued.
    """

    ROWS = ("direction", "rule", "retirement", "employee", "residents", "overlap", "counted", "account", "refund")

    def __init__(self, ledger: Ledger, runner: Runner, worker: WorkerInfo, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.ledger, self.worker = ledger, worker
        self.view: SwitchView | None = None
        self.problem: BaseException | None = None
        self.person = heading(2)
        self.body.insertWidget(0, self.person)
        self.facts = QGridLayout()
        self.facts.setHorizontalSpacing(12)
        self.facts.setColumnStretch(1, 1)
        self.captions: dict[str, QLabel] = {}
        self.values: dict[str, QLabel] = {}
        for row, name in enumerate(self.ROWS):
            caption = QLabel()
            caption.setStyleSheet("color: #555;")
            self.captions[name] = caption
            self.values[name] = _value(name)
            self.facts.addWidget(caption, row, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            self.facts.addWidget(self.values[name], row, 1)
        self.body.addLayout(self.facts)
        self.years_title = heading(1)
        self.years_table = small_table(5)
        self.years_table.setObjectName("resident_years")
        self.note = _value("note")
        self.note.setStyleSheet(NOTE_STYLE)
        self.refusal = _value("refusal")
        self.refusal.setStyleSheet(ERROR_STYLE)
        self.body.addWidget(self.years_title)
        self.body.addWidget(self.years_table)
        self.body.addWidget(self.note)
        self.body.addWidget(self.refusal)
        self.confirm_button.setEnabled(False)
        self.retranslate()
        self.resize(760, self.sizeHint().height())
        self.reload()

    @property
    def confirm_button(self) -> Any:
        """The button that decides the switch."""
        return self.buttons.button(QDialogButtonBox.StandardButton.Save)

    def reload(self) -> None:
        """Read the plan in the background."""
        ledger, key = self.ledger, self.worker.key
        query(self, lambda: load_switch(ledger, key), self.runner) \
            .success(self._loaded).failure(self._not_planned).run()

    def refresh_from_database(self) -> None:
        """Read the plan again (another counter may have recorded something)."""
        self.reload()

    def _loaded(self, result: Any) -> None:
        self.view, self.problem = result, None
        self._fill()

    def _not_planned(self, error: BaseException) -> None:
        """The plan cannot be read or made: say why in its place."""
        self.view, self.problem = None, error
        self._fill()

    @property
    def allowed(self) -> bool:
        """Whether the switch may be decided as shown."""
        return self.view is not None and self.view.plan.allowed

    def set_busy(self, busy: bool) -> None:
        """Disable the buttons while deciding; confirm only when the plan allows it."""
        super().set_busy(busy)
        self.confirm_button.setEnabled(not busy and self.allowed)

    def _months(self, months: int) -> str:
        years, rest = divmod(months, 12)
        return self.tr("{months} 个月（{years}年{rest}个月）").format(months=months, years=years, rest=rest)

    def _fill(self) -> None:
        self.confirm_button.setEnabled(self.allowed)
        view = self.view
        if view is None:
            for label in self.values.values():
                label.clear()
            self.years_table.setRowCount(0)
            self.years_table.setVisible(False)
            self.note.setText(self.tr("正在读取…") if self.problem is None else "")
            self.refusal.setText(i18n.message(self.problem) if self.problem is not None else "")
            self.refusal.setVisible(self.problem is not None)
            return
        p = view.plan
        lang = i18n.lang()
        to_employee = p.direction == TO_EMPLOYEE
        self.values["direction"].setText(
            self.tr("从城乡居民养老保险转入职工养老保险") if to_employee
            else self.tr("从职工养老保险转入城乡居民养老保险"))
        self.values["rule"].setText(render(p.rule, lang, months=p.employee_months,
                                           years=tr.rules().resident_max_employee_years))
        reached = self.tr("已达到") if p.reached else self.tr("未达到")
        self.values["retirement"].setText(f"{p.retirement_on.isoformat()}（{reached}）")
        self.values["employee"].setText(self._months(p.employee_months))
        self.values["residents"].setText(self.tr("{years} 年").format(years=p.resident_years))
        self.values["overlap"].setText(self.tr("{months} 个月").format(months=p.overlap_months))
        counted = self._months(p.counted_months)
        if to_employee:
            counted += self.tr("，城乡居民养老保险缴费年限不合并计算")
        self.values["counted"].setText(counted)
        self.values["account"].setText(self.tr("{amount} 元").format(amount=money(p.account_moved)))
        self.values["refund"].setText(self.tr("{amount} 元").format(amount=money(p.refund)))
        table = self.years_table
        table.setRowCount(len(p.years))
        for row, y in enumerate(p.years):
            fill_row(table, row, [str(y.year), money(y.personal), money(y.subsidy), str(y.overlap), money(y.refund)],
                     right=(0, 1, 2, 3, 4))
        fit_rows(table, 1, 8)
        table.setVisible(bool(p.years))
        notes = [self.tr("城乡居民养老保险的利息由其基金另计。") if to_employee
                 else self.tr("个人账户储存额含至本年度已知的记账利息；统筹基金不转移。"),
                 self.tr("重复缴费月份只计算职工养老保险缴费年限，居民个人缴费按月退还（个人缴费×月数÷12）。")]
        if view.recorded is not None:
            notes.insert(0, self.tr("已于{date}办理，告知书编号 {number}").format(
                date=view.recorded.decided_on.isoformat(), number=view.recorded.notice or "—"))
        self.note.setText("\n".join(notes))
        self.refusal.setText("" if p.allowed else i18n.message(p.refused()))
        self.refusal.setVisible(not p.allowed)

    def accept(self) -> None:
        """Decide, when the plan shown allows it."""
        if self.allowed:
            super().accept()

    def collect(self) -> object:
        """Nothing is typed: the plan shown is decided."""
        return self.worker.key

    def operation(self, data: Any) -> Callable[[], Any]:
        """Decide the switch and issue the notice (a counter step)."""
        ledger, key = self.ledger, str(data)
        return lambda: ledger.switches.decide(key)

    def show_error(self, error: BaseException) -> None:
        """A refusal at decision time (the plan changed meanwhile): show it and read the plan again."""
        super().show_error(error)
        self.reload()

    def retranslate(self) -> None:
        """Set every visible string in the interface language."""
        super().retranslate()
        self.setWindowTitle(self.tr("城乡养老保险制度衔接") + f" — {self.worker.name}")
        self.person.setText(f"{self.worker.name}　{self.worker.key}")
        self.confirm_button.setText(self.tr("确认办理(&S)"))
        captions = {"direction": self.tr("衔接方向"), "rule": self.tr("适用规定"),
                    "retirement": self.tr("法定退休年龄日期"), "employee": self.tr("职工养老保险缴费"),
                    "residents": self.tr("城乡居民养老保险缴费"), "overlap": self.tr("重复缴费月数"),
                    "counted": self.tr("计算的缴费年限"), "account": self.tr("转移个人账户储存额"),
                    "refund": self.tr("退还居民个人缴费合计")}
        for name, text in captions.items():
            self.captions[name].setText(text)
        self.years_title.setText(self.tr("城乡居民养老保险缴费及退还（按年度）"))
        self.years_table.setHorizontalHeaderLabels([
            self.tr("年度"), self.tr("个人缴费"), self.tr("政府补贴"), self.tr("重复缴费月数"),
            self.tr("退还个人缴费")])
        self._fill()
