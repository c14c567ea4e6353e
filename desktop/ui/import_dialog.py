"""Import an employer's declaration file with progress and cancel, then show every bad row (and
save them as the employer's own rows with the reason added), or the money due per scheme; the
template to fill is saved from here too."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QWidget,
)

from desktop.core.errors import InvalidRows, RowProblem, ShebaoError
from desktop.core.ledger import Ledger
from desktop.core.messages import field_label
from desktop.core.refdata import schemes
from desktop.core.services.contributions import ImportCancelled, ImportResult, SchemeTotal
from desktop.core.services.declaration import write_error_list, write_template
from desktop.ui import files, i18n
from desktop.ui.history_model import RIGHT, money
from desktop.ui.layout import ERROR_STYLE, Retranslating, heading, vbox
from desktop.ui.list_model import Index, ListTableModel
from desktop.ui.operations import task_op
from desktop.ui.runner import Runner, Task


@dataclass(frozen=True)
class ImportRequest:
    """The declaration file to import."""

    path: Path


class ProblemModel(ListTableModel):
    """The bad rows of a refused declaration: line, field, reason."""

    column_count = 3

    def order(self, rows: list[Any]) -> list[Any]:
        """By line in the file."""
        return sorted(rows, key=lambda r: r.line)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A cell's text."""
        shown = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
        if not index.isValid() or role not in shown:
            return None
        problem = self.rows[index.row()]
        lang = i18n.lang()
        return [str(problem.line), field_label(problem.field, lang) if problem.field else "",
                problem.message(lang)][index.column()]

    def titles(self) -> list[str]:
        """Column titles."""
        return [self.tr("行号"), self.tr("字段"), self.tr("错误原因")]


class TotalsModel(ListTableModel):
    """The money due per scheme after an import: scheme, employer part, employee part, total; the
    last row adds them up."""

    column_count = 4

    def set_totals(self, totals: tuple[SchemeTotal, ...]) -> None:
        """Show these totals and their sum (nothing when there are none)."""
        rows: list[Any] = list(totals)
        if totals:
            rows.append(SchemeTotal("", sum((t.employer for t in totals), start=Decimal(0)),
                                    sum((t.employee for t in totals), start=Decimal(0))))
        self.set_rows(rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A cell's text (amounts with thousands separators), amounts aligned right."""
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(RIGHT)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        total: SchemeTotal = self.rows[index.row()]
        if index.column() == 0:
            known = schemes().get(total.scheme)
            return self.tr("合计") if not total.scheme else known.name(i18n.lang()) if known else total.scheme
        return money([total.employer, total.employee, total.total][index.column() - 1])

    def titles(self) -> list[str]:
        """Column titles."""
        return [self.tr("险种"), self.tr("单位缴费"), self.tr("个人缴费"), self.tr("合计")]


def write_problems(source: Path, path: Path, rows: list[RowProblem]) -> int:
    """The bad rows for the employer: their own rows from `source` with 原行号 in front and
    错误原因 added; XLSX when path ends in .xlsx, otherwise CSV in UTF-8 with BOM (Excel opens it).

    A cell of the employer's file or a reason quoting one ("=1+1不是有效月份") is written
    formula-safe (desktop.core.csvsafe), so none is read as a formula."""
    return write_error_list(source, rows, path)


class ImportDialog(Retranslating, QDialog):
    """Runs one import on the runner (progress after half a second, cancel), lists the result."""

    def __init__(self, ledger: Ledger, runner: Runner, request: ImportRequest,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.runner = runner
        self.request = request
        self.result_value: ImportResult | None = None
        self.error: BaseException | None = None
        self.running = False
        self.title = heading(2)
        self.file = QLabel(request.path.name)
        self.file.setToolTip(str(request.path))
        self.file.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.file.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setObjectName("import_summary")
        self.summary.setWordWrap(True)
        self.problems = ProblemModel(self)
        self.table = QTableView()
        self.table.setObjectName("problems")
        self.table.setModel(self.problems)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        for column in (0, 1):
            self.table.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.hide()
        self.totals = TotalsModel(self)
        self.totals_table = QTableView()
        self.totals_table.setObjectName("totals")
        self.totals_table.setModel(self.totals)
        self.totals_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.totals_table.verticalHeader().hide()
        self.totals_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.totals_table.hide()
        self.totals_caption = QLabel()
        self.totals_caption.setObjectName("totals_caption")
        self.totals_caption.hide()
        self.note = QLabel()
        self.note.setObjectName("import_note")
        self.note.setWordWrap(True)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.template_button = QPushButton()
        self.template_button.setObjectName("save_template")
        self.template_button.clicked.connect(self.choose_template)
        self.save_button = QPushButton()
        self.save_button.setObjectName("save_problems")
        self.save_button.clicked.connect(self.choose_save)
        self.save_button.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.template_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)
        layout = vbox(self.title, self.file, self.summary, self.table, self.totals_caption, self.totals_table,
                      self.note, 1,
                      self.buttons, margin=16, spacing=10)
        layout.setStretchFactor(self.table, 100)  # the bad rows take the room; otherwise the space is below
        self.setLayout(layout)
        self.resize(760, 460)
        self.retranslate()

    def start(self) -> Task:
        """Begin the import in the background."""
        self.running = True
        self.buttons.setEnabled(False)
        path = self.request.path
        self._show_state()
        ledger = self.ledger
        task = task_op(self, lambda task: ledger.contributions.import_file(path, progress=task.progress),
                       self.tr("正在导入 {name}…").format(name=path.name), runner=self.runner, ledger=ledger) \
            .success(lambda result: self._done(result, None)).failure(lambda error: self._done(None, error)) \
            .run(initiator=self)
        assert task is not None  # a write with progress has its task
        return task

    def _done(self, result: Any, error: BaseException | None) -> None:
        """Keep the result or error and show it."""
        self.running = False
        self.buttons.setEnabled(True)
        self.result_value, self.error = result, error
        self.problems.set_rows(error.rows if isinstance(error, InvalidRows) else [])
        self.totals.set_totals(result.totals if isinstance(result, ImportResult) else ())
        view = self.totals_table
        view.setFixedHeight(view.horizontalHeader().sizeHint().height() + 2 * view.frameWidth()
                            + sum(view.rowHeight(r) for r in range(self.totals.rowCount())))
        self.note.clear()
        self._show_state()

    def _show_state(self) -> None:
        """Show what the import is doing or did."""
        error, result = self.error, self.result_value
        bad = isinstance(error, InvalidRows)
        self.table.setVisible(bad)
        self.save_button.setVisible(bad)
        self.totals_table.setVisible(self.totals.rowCount() > 0)
        self.totals_caption.setVisible(self.totals.rowCount() > 0)
        self.summary.setStyleSheet(ERROR_STYLE if error is not None and not isinstance(
            error, ImportCancelled) else "")
        if self.running:
            self.summary.setText(self.tr("正在导入，请稍候…"))
        elif error is not None:
            self.summary.setText(i18n.message(error))
        elif result is not None:
            self.summary.setText(self.tr(
                "已导入 {rows} 行：新记录 {recorded} 人月（{lines} 条险种明细），"
                "{already} 人月此前已记录、未重复记录。所属期：{months}。").format(
                    rows=result.rows, recorded=result.recorded, lines=result.lines,
                    already=result.already_recorded, months="、".join(result.months)))

    def reject(self) -> None:
        """Close, but not while the import runs (cancel it in the progress dialog)."""
        if not self.running:
            super().reject()

    def _folder(self) -> Path:
        return Path(str(i18n.settings().value("import/folder", str(self.request.path.parent))))

    def choose_save(self) -> None:
        """Ask where to save the list of bad rows (XLSX for a workbook, CSV for a CSV), then save it."""
        workbook = self.request.path.suffix.lower() in (".xlsx", ".xls")
        suffix = ".xlsx" if workbook else ".csv"
        suggested = str(self._folder() / (self.request.path.stem + "-错误清单" + suffix))
        kinds = [self.tr("Excel 工作簿 (*.xlsx)"), self.tr("CSV 文件 (*.csv)")]
        name = files.save_file_name(self, self.tr("保存错误清单"), suggested,
                                    ";;".join(kinds if workbook else kinds[::-1]))
        if name:
            self.save_problems(Path(name))

    def save_problems(self, path: Path) -> None:
        """Write the bad rows to path for the employer; the import's message stays, a note below
        says where the list went."""
        try:
            count = write_problems(self.request.path, path, self.problems.rows)
        except ShebaoError as exc:
            self._say(i18n.message(exc), error=True)
            return
        self._say(self.tr("错误清单（{count} 行）已保存到 {path}").format(count=count, path=path))

    def choose_template(self) -> None:
        """Ask where to save the declaration template (CSV or XLSX by the name), then save it."""
        suggested = str(self._folder() / (self.tr("单位申报模板") + ".xlsx"))
        name = files.save_file_name(self, self.tr("保存申报模板"), suggested,
                                    ";;".join([self.tr("Excel 工作簿 (*.xlsx)"), self.tr("CSV 文件 (*.csv)")]))
        if name:
            path = Path(name)
            self.save_template(path if path.suffix.lower() in (".csv", ".xlsx")
                               else path.with_name(path.name + ".xlsx"))

    def save_template(self, path: Path) -> None:
        """Write the template to path; a note says where."""
        try:
            write_template(path)
        except ShebaoError as exc:
            self._say(i18n.message(exc), error=True)
            return
        self._say(self.tr("申报模板已保存到 {path}").format(path=path))

    def _say(self, text: str, error: bool = False) -> None:
        self.note.setStyleSheet(ERROR_STYLE if error else "")
        self.note.setText(text)

    def retranslate(self) -> None:
        """Set every visible string in the interface language."""
        self.setWindowTitle(self.tr("导入单位申报"))
        self.title.setText(self.tr("单位申报导入结果"))
        self.save_button.setText(self.tr("保存错误清单(&S)…"))
        self.template_button.setText(self.tr("保存模板(&T)…"))
        self.template_button.setToolTip(self.tr("保存空白的单位申报模板（CSV或Excel），含示例行和填写说明"))
        self.totals_caption.setText(self.tr("本次新记录月份的应缴金额（元）："))
        self.totals.retranslate()
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(self.tr("关闭"))
        self.problems.retranslate()
        self._show_state()
