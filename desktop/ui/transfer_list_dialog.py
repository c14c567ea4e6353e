"""The transfer work list (转移业务工作清单): every case with its step and due date, overdue ones
marked; here the old office settles (information table) and the new office confirms the money
received. The yearly report of transfers in and out, on screen and as CSV or PDF."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QWidget,
)

from desktop.core import transfer_rules as tr
from desktop.core.changes import Changes
from desktop.core.ledger import Ledger
from desktop.core.money import parse_amount
from desktop.core.outfile import write_whole
from desktop.core.regions import name_of
from desktop.core.security import SUPERVISE
from desktop.core.services.documents import Issued
from desktop.core.services.transfers import STATUSES, CaseInfo, StepResult, TransferReport
from desktop.ui import files, i18n
from desktop.ui.history_model import money
from desktop.ui.layout import FormDialog, Retranslating, error_label, hbox, line_edit, vbox
from desktop.ui.list_model import Index, ListTableModel
from desktop.ui.operations import op, query
from desktop.ui.person_page import read_only_table, set_row
from desktop.ui.runner import Runner

OVERDUE_FG = QColor("#b00020")
COLUMNS = 7
ALL, PENDING, OVERDUE = "all", "pending", "overdue"


def region_text(code: str) -> str:
    """A region as a clerk reads it: its code and its name."""
    name = name_of(code)
    return code if name == code else f"{code} {name}"


@dataclass(frozen=True)
class WorkList:
    """The office's region and the cases to show."""

    office_region: str
    cases: list[CaseInfo]


def load_cases(ledger: Ledger, shown: str) -> WorkList:
    """The cases for a filter: all, this office's next steps, or overdue (runs on the worker)."""
    region = ledger.office.get().region
    cases = ledger.transfers.list(overdue=shown == OVERDUE)
    if shown == PENDING:
        cases = [c for c in cases if can_settle(c, region) or can_receive(c, region)]
    return WorkList(region, cases)


def can_settle(case: CaseInfo, office_region: str) -> bool:
    """Whether settling (转出办理) is this office's next step for the case."""
    return case.status == "requested" and tr.pooling_key(case.from_region) == tr.pooling_key(office_region)


def can_receive(case: CaseInfo, office_region: str) -> bool:
    """Whether confirming the money (确认到账) is this office's next step for the case."""
    return case.status == "settled" and case.to_region == office_region


class CaseModel(ListTableModel):
    """Cases: number, name, from, to, status, due date, amount; overdue rows red and bold."""

    column_count = COLUMNS

    @property
    def cases(self) -> list[CaseInfo]:
        """The cases shown."""
        return self.rows

    def status_name(self, case: CaseInfo) -> str:
        """The case's step in the interface language."""
        names = STATUSES.get(case.status, (case.status, case.status))
        return names[1] if i18n.lang() == "en" else names[0]

    def due_text(self, case: CaseInfo) -> str:
        """The due date, marked when estimated (beyond the holiday calendar) or overdue."""
        if case.due is None:
            return "—"
        text = case.due.isoformat()
        if case.due_estimated:
            text += self.tr("（估算）")
        if case.overdue:
            text += self.tr("　已超期")
        return text

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A cell's text, colour, weight and alignment."""
        if not index.isValid():
            return None
        c, col = self.cases[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if role == Qt.ItemDataRole.ToolTipRole and col == 4:
                return self.tr("纸质办理") if c.channel == "paper" else self.tr("同步文件办理")
            return [c.number, c.name, region_text(c.from_region), region_text(c.to_region), self.status_name(c),
                    self.due_text(c), money(c.total) if c.total is not None else "—"][col]
        if role == Qt.ItemDataRole.ForegroundRole and c.overdue:
            return OVERDUE_FG
        if role == Qt.ItemDataRole.FontRole and c.overdue:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 6:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def titles(self) -> list[str]:
        """Column titles."""
        return [self.tr("编号"), self.tr("姓名"), self.tr("转出地"), self.tr("转入地"), self.tr("状态"),
                self.tr("办理时限"), self.tr("金额")]


class ReceiveDialog(FormDialog):
    """Confirm the money received for a settled case: it must equal the information table's total."""

    def __init__(self, ledger: Ledger, runner: Runner, case: CaseInfo, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.ledger, self.case = ledger, case
        self.setMinimumWidth(560)
        self.about = QLabel()
        self.about.setWordWrap(True)
        self.body.insertWidget(0, self.about)
        self.amount = line_edit(20, 14)
        self.amount.setObjectName("amount")
        self.add_field("amount", self.amount, lambda text: parse_amount(text, "amount"))
        self.retranslate()
        self.amount.setFocus()

    def collect(self) -> str:
        """The amount as typed."""
        return self.amount.text().strip()

    def operation(self, data: Any) -> Callable[[], Any]:
        """Receive the case against the amount."""
        ledger, number = self.ledger, self.case.number
        return lambda: ledger.transfers.receive(number, data)

    def changed(self, data: Any, result: Any) -> Changes:
        """The case received and its person."""
        return Changes(people=frozenset({self.case.worker}), cases=frozenset({self.case.number}))

    def retranslate(self) -> None:
        """Set every visible string in the interface language."""
        super().retranslate()
        c = self.case
        self.setWindowTitle(self.tr("确认到账") + f" — {c.number}")
        total = money(c.total) if c.total is not None else "—"
        self.about.setText(self.tr("{name}（{worker}）自{source}转入。信息表转移总额：{total} 元。\n"
                                   "请按银行到账通知输入实际到账金额，与信息表一致方可办结。").format(
            name=c.name, worker=c.worker, source=region_text(c.from_region), total=total))
        self.fields["amount"].label.setText(self.tr("到账金额(&A)"))
        self.amount.setPlaceholderText(self.tr("元"))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("确认到账(&S)"))


class TransferListDialog(Retranslating, QDialog):
    """The work list and the yearly report. changed() is emitted after a case moved on."""

    changed = Signal()

    def __init__(self, ledger: Ledger, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger, self.runner = ledger, runner
        self.office_region = ""
        self.loaded = False
        self.report: TransferReport | None = None
        self.last_preview: QDialog | None = None
        self.active_dialog: QDialog | None = None
        self.tabs = QTabWidget()
        self.show_filter = QComboBox()
        self.show_filter.setObjectName("show_filter")
        for value in (ALL, PENDING, OVERDUE):
            self.show_filter.addItem("", value)
        self.show_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.filter_label = QLabel()
        self.filter_label.setBuddy(self.show_filter)
        self.model = CaseModel(self)
        self.table = QTableView()
        self.table.setObjectName("cases")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setMinimumSectionSize(64)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.details = QLabel()
        self.details.setObjectName("case_details")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.settle_button = QPushButton()
        self.settle_button.setObjectName("settle")
        self.receive_button = QPushButton()
        self.receive_button.setObjectName("receive")
        self.refresh_button = QPushButton()
        self.settle_button.clicked.connect(self.settle_selected)
        self.receive_button.clicked.connect(self.receive_selected)
        self.refresh_button.clicked.connect(self.reload)
        self.summary = QLabel()
        self.summary.setObjectName("cases_summary")
        work = QWidget()
        work.setLayout(vbox(hbox(self.filter_label, self.show_filter, 1, self.summary), self.table,
                            self.details, hbox(self.settle_button, self.receive_button, 1, self.refresh_button),
                            margin=8))
        self.year = QSpinBox()
        self.year.setObjectName("report_year")
        self.year.setRange(1990, 2999)
        self.year.setValue(ledger.today().year)
        self.year_label = QLabel()
        self.year_label.setBuddy(self.year)
        self.year.valueChanged.connect(lambda _v: self.load_report())
        self.report_table = read_only_table(7)
        self.report_table.setObjectName("report")
        self.csv_button = QPushButton()
        self.pdf_button = QPushButton()
        self.csv_button.clicked.connect(lambda: self.save_report("csv"))
        self.pdf_button.clicked.connect(lambda: self.save_report("pdf"))
        self.report_note = QLabel()
        self.report_note.setWordWrap(True)
        self.report_note.setStyleSheet("color: #555;")
        stats = QWidget()
        stats.setLayout(vbox(hbox(self.year_label, self.year, 1), self.report_table, self.report_note,
                             hbox(self.csv_button, self.pdf_button, 1), margin=8))
        self.tabs.addTab(work, "")
        self.tabs.addTab(stats, "")
        self.status = QLabel()
        self.status.setObjectName("transfer_status")
        self.status.setWordWrap(True)
        self.error = error_label()
        self.error.setObjectName("transfer_error")
        self.close_button = QPushButton()
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        self.setLayout(vbox(self.tabs, self.status, self.error, hbox(1, self.close_button), margin=10))
        self.resize(1100, 600)
        self.retranslate()
        self._update_buttons()
        self.reload()
        self.load_report()
        self.table.setFocus()

    # -- the work list --------------------------------------------------------------------------

    def selected(self) -> CaseInfo | None:
        """The case in the selected row."""
        return self.model.selected(self.table)  # type: ignore[no-any-return]

    def select_case(self, number: str) -> bool:
        """Select the row of a case; False when it is not shown."""
        return self.model.select(self.table, lambda c: c.number == number)

    def refresh_from_database(self) -> None:
        """The database changed elsewhere (the window noticed): read it again."""
        self.reload()

    def reload(self) -> None:
        """Read the cases for the filter again in the background."""
        self.loaded = False
        ledger, shown = self.ledger, self.show_filter.currentData()
        query(self, lambda: load_cases(ledger, shown), self.runner).success(self._loaded).run()

    def show_error(self, error: BaseException) -> None:
        """Say why reading or a step failed (operations show their failures here)."""
        self.error.setText(i18n.message(error))

    def _loaded(self, result: Any) -> None:
        before = self.selected()
        self.office_region = result.office_region
        self.model.set_rows(result.cases)
        if not (before and self.select_case(before.number)) and result.cases:
            self.table.selectRow(0)
        overdue = sum(1 for c in result.cases if c.overdue)
        self.summary.setText(self.tr("共 {count} 件，其中超期 {overdue} 件").format(
            count=len(result.cases), overdue=overdue))
        self._update_buttons()
        self.loaded = True

    def _update_buttons(self) -> None:
        """Offer the step that is this office's for the selected case; Enter does it."""
        c = self.selected()
        settle = c is not None and can_settle(c, self.office_region)
        receive = c is not None and can_receive(c, self.office_region)
        self.settle_button.setEnabled(settle)
        self.receive_button.setEnabled(receive)
        self.settle_button.setDefault(settle)
        self.receive_button.setDefault(receive)
        if c is None:
            self.details.setText(self.tr("请选择一件转移业务。") if self.model.cases else self.tr("没有转移业务。"))
            return
        channel = self.tr("纸质") if c.channel == "paper" else self.tr("同步文件")
        text = self.tr("{name}　{worker}　申请日期 {applied}　办理方式：{channel}").format(
            name=c.name, worker=c.worker, applied=c.applied_on.isoformat(), channel=channel)
        if c.total is not None:
            text += "\n" + self.tr("个人账户 {account} 元　统筹基金 {pooling} 元　合计 {total} 元").format(
                account=money(c.account or 0), pooling=money(c.pooling or 0), total=money(c.total))
        if c.received_amount is not None:
            text += "　" + self.tr("已到账 {amount} 元").format(amount=money(c.received_amount))
        if settle:
            text += "\n" + self.tr("下一步：本机构转出办理，出具参保缴费信息表。")
        elif receive:
            text += "\n" + self.tr("下一步：资金到账后本机构确认到账。")
        elif c.status != "received":
            text += "\n" + self.tr("等待对方经办机构办理。")
        self.details.setText(text)

    def _busy(self, busy: bool) -> None:
        for button in (self.settle_button, self.receive_button, self.refresh_button):
            button.setEnabled(not busy)
        if not busy:
            self._update_buttons()

    def settle_selected(self, without_interest: bool = False) -> None:
        """Settle the selected case: information table, funds out; then preview the table."""
        c = self.selected()
        if c is None or not self.settle_button.isEnabled():
            return
        self.error.clear()
        self.status.clear()
        self._busy(True)
        ledger, number = self.ledger, c.number
        op(self, lambda: ledger.transfers.settle(number, without_interest=without_interest), self.runner, ledger) \
            .reports(Changes(people=frozenset({c.worker}), cases=frozenset({number}))) \
            .progress(self.tr("正在出具参保缴费信息表…")) \
            .success(self._settled).failure(self._not_settled).run(initiator=self)

    def confirm_without_interest(self, years: str) -> bool:
        """A supervisor's explicit yes to settle without the interest of years whose rate is missing."""
        answer = QMessageBox.warning(
            self, self.tr("记账利率未录入"),
            self.tr("{years} 年的记账利率尚未录入，个人账户将不计该年利息转出，信息表上会注明。\n"
                    "仅在利率尚未公布、参保人不能等待时这样办理。确认转出吗？").format(years=years),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _not_settled(self, error: BaseException) -> None:
        """Say why; a supervisor may settle without the interest of years whose rate is missing."""
        self._busy(False)
        self.show_error(error)
        actor = self.ledger.actor
        if getattr(error, "key", "") == "transfer.interest_unknown" and (
                actor is None or actor.role in SUPERVISE) and \
                self.confirm_without_interest(str(getattr(error, "params", {}).get("years", ""))):
            self.error.clear()
            self.settle_selected(without_interest=True)
            return
        self.reload()

    def _settled(self, result: StepResult) -> None:
        self._busy(False)
        self.status.setText(self.tr("已转出办理 {case}，信息表 {number}，转移总额 {total} 元").format(
            case=result.case.number, number=result.document_number or "",
            total=money(result.case.total or 0)))
        if result.pdf is not None and result.document_number:
            self.preview(Issued("information-table", result.document_number, "", result.pdf, 0, False))
        self.changed.emit()
        self.reload()
        self.load_report()

    def preview(self, issued: Issued) -> QDialog:
        """Show an issued document in the print preview."""
        from desktop.ui.documents import DocumentPreviewDialog

        dialog = DocumentPreviewDialog(issued, self)
        self.last_preview = dialog
        dialog.open()
        return dialog

    def receive_selected(self) -> QDialog | None:
        """Ask the amount received for the selected case and confirm it."""
        c = self.selected()
        if c is None or not self.receive_button.isEnabled():
            return None
        self.error.clear()
        self.status.clear()
        dialog = ReceiveDialog(self.ledger, self.runner, c, self)
        dialog.succeeded.connect(self._received)
        self.active_dialog = dialog
        dialog.open()
        return dialog

    def _received(self, result: Any) -> None:
        assert isinstance(result, CaseInfo)
        self.status.setText(self.tr("已确认到账 {amount} 元，转移业务 {case} 已办结").format(
            amount=money(result.received_amount or 0), case=result.number))
        self.changed.emit()
        self.reload()
        self.load_report()

    # -- the yearly report ----------------------------------------------------------------------

    def load_report(self) -> None:
        """Read the report of the year chosen in the background."""
        ledger, year = self.ledger, self.year.value()
        query(self, lambda: ledger.transfers.report(year), self.runner).success(self._report_loaded).run()

    def _report_loaded(self, result: Any) -> None:
        self.report = result
        self._fill_report()

    def _fill_report(self) -> None:
        rep = self.report
        lines = rep.lines if rep is not None else ()
        self.report_table.setRowCount(len(lines))
        for row, line in enumerate(lines):
            direction = self.tr("转入") if line.direction == "in" else self.tr("转出")
            month = self.tr("{month}月").format(month=line.month) if line.month else self.tr("全年")
            set_row(self.report_table, row, [direction, month, str(line.people), str(line.rural),
                                             money(line.account), money(line.pooling), money(line.total)], 2)
            if not line.month:
                for col in range(7):
                    item = self.report_table.item(row, col)
                    if item is None:
                        continue
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
        if rep is not None and not lines:
            self.report_note.setText(self.tr("{year}年没有转入或转出的转移业务。").format(year=rep.year))
        else:
            self.report_note.setText(self.tr("转入按确认到账日期、转出按转出办理日期统计；“其中农民工”为农村户籍人员。"))

    def save_report(self, kind: str, path: str | Path | None = None) -> None:
        """Save the report of the year chosen as CSV (UTF-8 with BOM) or PDF; path skips the file dialog."""
        year = self.year.value()
        if path is None:
            name = self.tr("转移业务统计{year}").format(year=year) + f".{kind}"
            filters = self.tr("CSV 文件 (*.csv)") if kind == "csv" else self.tr("PDF 文件 (*.pdf)")
            chosen = files.save_file_name(self, self.tr("导出统计"), name, filters)
            if not chosen:
                return
            path = chosen
        target, ledger = Path(path), self.ledger

        def write() -> Path:
            rep = ledger.transfers.report(year)
            if kind == "csv":
                target.write_text(ledger.transfers.report_csv(rep), encoding="utf-8-sig")
            else:
                write_whole(target, ledger.transfers.report_pdf(rep))
            return target

        self.error.clear()
        op(self, write, self.runner, ledger).progress(self.tr("正在导出统计…")) \
            .success(self._saved).failure(self._not_saved).run()

    def _not_saved(self, error: BaseException) -> None:
        self.error.setText(i18n.message(error) if not isinstance(error, OSError) else
                           self.tr("无法写入文件：{reason}").format(reason=error))

    def _saved(self, result: Path) -> None:
        self.status.setText(self.tr("已导出：{path}").format(path=result))

    # -- language -------------------------------------------------------------------------------

    def retranslate(self) -> None:
        """Set every visible string in the interface language."""
        self.setWindowTitle(self.tr("转移业务工作清单"))
        self.tabs.setTabText(0, self.tr("工作清单(&W)"))
        self.tabs.setTabText(1, self.tr("年度统计(&T)"))
        self.filter_label.setText(self.tr("显示(&V)："))
        self.show_filter.setItemText(0, self.tr("全部"))
        self.show_filter.setItemText(1, self.tr("待本机构办理"))
        self.show_filter.setItemText(2, self.tr("超期"))
        self.settle_button.setText(self.tr("转出办理(&O)"))
        self.settle_button.setToolTip(self.tr("本机构为转出地：出具参保缴费信息表，转出资金"))
        self.receive_button.setText(self.tr("确认到账(&R)"))
        self.receive_button.setToolTip(self.tr("本机构为转入地：核对到账金额，办结转移"))
        self.refresh_button.setText(self.tr("刷新(&F)"))
        self.close_button.setText(self.tr("关闭"))
        self.year_label.setText(self.tr("年度(&Y)："))
        self.report_table.setHorizontalHeaderLabels([
            self.tr("方向"), self.tr("月份"), self.tr("人数"), self.tr("其中农民工"), self.tr("个人账户"),
            self.tr("统筹基金"), self.tr("合计金额")])
        self.csv_button.setText(self.tr("导出CSV(&C)…"))
        self.pdf_button.setText(self.tr("导出PDF(&P)…"))
        self.model.retranslate()
        self._fill_report()
        self._update_buttons()
