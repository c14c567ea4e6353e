"""The history before the record began (建账前历史), entered by a supervisor from the old paper file:
deemed contribution years (视同缴费年限) and months paid before the individual account began in 1998
(1998年前缴费, with their average monthly base and the account balance at 1997-12-31)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from desktop.core import transfer_rules as tr
from desktop.core.errors import InvalidInput, ShebaoError
from desktop.core.ledger import Ledger
from desktop.core.money import parse_amount
from desktop.core.month import Month
from desktop.core.regions import name_of, validate_region
from desktop.core.services.record import OpeningInfo
from desktop.core.services.workers import WorkerInfo
from desktop.ui.history_model import money
from desktop.ui.layout import FormDialog, heading, line_edit
from desktop.ui.operations import query
from desktop.ui.pickers import RegionPicker, check_region
from desktop.ui.record_panel import RecordPanel, fill_row, fit_rows, region_text, small_table
from desktop.ui.register_dialog import required
from desktop.ui.runner import Runner

DEEMED, PRE1998 = "deemed", "pre1998"


@dataclass(frozen=True)
class OpeningInput:
    """An entry as typed: base and balance only for months paid before 1998."""

    kind: str
    region: str
    first: str
    last: str
    base: str | None
    balance: str | None
    document: str


class OpeningDialog(FormDialog):
    """Enter one period of the history before the record began; the entries made so far are listed.

    succeeded(OpeningInfo) is emitted once the entry is stored; a refusal is shown beside the field
    it names and nothing is written.
    """

    def __init__(self, ledger: Ledger, runner: Runner, worker: WorkerInfo,
                 parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.ledger, self.worker = ledger, worker
        self.entries: tuple[OpeningInfo, ...] | None = None  # None until read
        self.person = heading(2)
        self.body.insertWidget(0, self.person)
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        self.kind.addItem("", DEEMED)
        self.kind.addItem("", PRE1998)
        self.region = RegionPicker(historic=True)  # the history may name a region since renamed or merged
        self.region.setObjectName("region")
        self.region_name = QLabel()
        self.region_name.setObjectName("region_name")
        self.first = line_edit(10, 10)
        self.first.setObjectName("from")
        self.last = line_edit(10, 10)
        self.last.setObjectName("to")
        self.months = QLabel()
        self.months.setObjectName("months")
        self.base = line_edit(16, 12)
        self.base.setObjectName("base")
        self.balance = line_edit(16, 12)
        self.balance.setObjectName("balance")
        self.document = line_edit(200, 36)
        self.document.setObjectName("document")
        self.add_field("kind", self.kind)
        self.add_field("region", self.region, lambda text: check_region(text, "region"), live=False)
        self.grid.addWidget(self.region_name, self.grid.rowCount(), 1, 1, 2)
        self.add_field("from", self.first, lambda text: Month.parse(text, "from"))
        self.add_field("to", self.last, self._check_last)
        self.grid.addWidget(self.months, self.grid.rowCount(), 1, 1, 2)
        self.add_field("base", self.base, self._check_base)
        self.add_field("balance", self.balance, self._check_balance)
        self.add_field("document", self.document, required("document"))
        self.entries_title = heading(1)
        self.entries_table = small_table(8)
        self.entries_table.setObjectName("entries")
        self.entries_note = QLabel()
        self.entries_note.setObjectName("entries_note")
        self.entries_note.setStyleSheet("color: #666;")
        self.entries_note.setWordWrap(True)
        self.body.addWidget(self.entries_title)
        self.body.addWidget(self.entries_table)
        self.body.addWidget(self.entries_note)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.region.changed.connect(self._show_region_name)
        self.first.textChanged.connect(self._count)
        self.last.textChanged.connect(self._count)
        self.retranslate()
        self._kind_changed()
        self.resize(900, self.sizeHint().height())
        self.kind.setFocus()
        self.reload()
        self.region.prepare(runner)

    # -- the entries so far ---------------------------------------------------------------------

    def reload(self) -> None:
        """Read the person's entries in the background."""
        ledger, key = self.ledger, self.worker.key
        query(self, lambda: ledger.records.view(key).opening, self.runner).success(self._entries_loaded).run()

    def refresh_from_database(self) -> None:
        """List the entries again (another counter may have added one)."""
        self.reload()

    def _entries_loaded(self, result: Any) -> None:
        self.entries = tuple(result)
        self._fill_entries()

    def _fill_entries(self) -> None:
        entries = self.entries or ()
        table = self.entries_table
        table.setRowCount(len(entries))
        for row, e in enumerate(entries):
            fill_row(table, row, [
                RecordPanel.kind_name(e.kind), region_text(e.region), f"{e.first} — {e.last}", str(e.months),
                money(e.base) if e.base is not None else "—", money(e.balance) if e.balance is not None else "—",
                f"{e.entered_by} {e.entered_on.isoformat()}", e.document],
                right=(3, 4, 5), tips={7: e.document})
        fit_rows(table, 1, 5)
        table.setVisible(bool(entries))
        if self.entries is None:
            self.entries_note.setText(self.tr("正在读取…"))
        elif not entries:
            self.entries_note.setText(self.tr("尚未录入建账前历史。"))
        self.entries_note.setVisible(not entries)

    # -- the fields ---------------------------------------------------------------------------

    @property
    def pre1998(self) -> bool:
        """Whether months paid before 1998 are entered (else deemed years)."""
        return bool(self.kind.currentData() == PRE1998)

    def _kind_changed(self) -> None:
        """Base and balance belong to months paid before 1998 only."""
        for name in ("base", "balance"):
            field = self.fields[name]
            field.editor.setEnabled(self.pre1998)
            field.label.setEnabled(self.pre1998)
            field.error.clear()
        self.retranslate()

    def _show_region_name(self, text: str) -> None:
        """Name the region picked, or as its code is typed."""
        self.fields["region"].error.clear()
        try:
            code = validate_region(text, "region")
        except ShebaoError:
            self.region_name.clear()
            return
        self.region_name.setText(name_of(code))

    def _period(self) -> tuple[Month, Month] | None:
        try:
            first, last = Month.parse(self.first.text(), "from"), Month.parse(self.last.text(), "to")
        except ShebaoError:
            return None
        return (first, last) if first <= last else None

    def _count(self) -> None:
        """Say how many months the period covers as it is typed."""
        period = self._period()
        if period is None:
            self.months.clear()
            return
        first, last = period
        n = last.index() - first.index() + 1
        self.months.setText(self.tr("共 {months} 个月（{years} 年）").format(
            months=n, years=f"{n / tr.MONTHS_IN_YEAR:.2f}"))

    def _check_last(self, text: str) -> None:
        last = Month.parse(text, "to")
        try:
            first = Month.parse(self.first.text(), "from")
        except ShebaoError:
            return
        if last < first:
            raise InvalidInput("month.order", "to")

    def _check_base(self, text: str) -> None:
        if not self.pre1998:
            return
        if parse_amount(text, "base") <= 0:
            raise InvalidInput("amount.positive", "base")

    def _check_balance(self, text: str) -> None:
        if self.pre1998 and text.strip():
            parse_amount(text, "balance")

    def collect(self) -> OpeningInput:
        """The entered values."""
        pre = self.pre1998
        return OpeningInput(str(self.kind.currentData()), self.region.code(), self.first.text().strip(),
                            self.last.text().strip(), self.base.text().strip() if pre else None,
                            (self.balance.text().strip() or None) if pre else None, self.document.text().strip())

    def operation(self, data: Any) -> Callable[[], Any]:
        """Store the entry (a supervisor's step)."""
        ledger, key = self.ledger, self.worker.key
        return lambda: ledger.records.add_opening(key, data.kind, data.region, data.first, data.last,
                                                  data.document, base=data.base, balance=data.balance)

    def retranslate(self) -> None:
        """Set every visible string in the interface language."""
        super().retranslate()
        self.setWindowTitle(self.tr("建账前历史（视同缴费、1998年前缴费）") + f" — {self.worker.name}")
        self.person.setText(f"{self.worker.name}　{self.worker.key}")
        self.kind.setItemText(0, self.tr("视同缴费年限（无缴费基数、无账户余额）"))
        self.kind.setItemText(1, self.tr("1998年前缴费（有月平均缴费基数）"))
        self.set_labels({"kind": self.tr("种类(&K)"), "region": self.tr("当时所在地区(&R)"),
                         "from": self.tr("起始月份(&F)"), "to": self.tr("截止月份(&T)"),
                         "base": self.tr("月平均缴费基数(&B)"),
                         "balance": self.tr("1997年末账户余额(&L)"), "document": self.tr("依据文书(&D)")})
        self.first.setPlaceholderText(self.tr("如1990-01"))
        self.last.setPlaceholderText(self.tr("如1997-12"))
        self.base.setPlaceholderText(self.tr("元，精确到分") if self.pre1998 else self.tr("视同缴费不填"))
        self.balance.setPlaceholderText(self.tr("元，可不填") if self.pre1998 else self.tr("视同缴费不填"))
        self.document.setPlaceholderText(self.tr("档案材料名称和编号，如 招工审批表 赣劳〔1990〕12号"))
        self.entries_title.setText(self.tr("已录入的建账前历史"))
        self.entries_table.setHorizontalHeaderLabels([
            self.tr("种类"), self.tr("地区"), self.tr("期间"), self.tr("月数"), self.tr("月均基数"),
            self.tr("1997年末余额"), self.tr("录入"), self.tr("依据文书")])
        self._count()
        self._fill_entries()
