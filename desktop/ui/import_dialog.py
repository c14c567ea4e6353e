"""Import an employer's declaration file with progress and cancel, then show every bad row."""

from __future__ import annotations

from dataclasses import dataclass
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

from desktop.core.csvsafe import write_csv
from desktop.core.errors import InvalidRows, RowProblem
from desktop.core.ledger import Ledger
from desktop.core.messages import field_label
from desktop.core.services.contributions import ImportCancelled, ImportResult
from desktop.ui import files, i18n
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


def write_problems(path: Path, rows: list[RowProblem]) -> None:
    """The bad rows as CSV for the employer: UTF-8 with BOM (Excel opens it), in Chinese.

    A reason can quote a cell of the employer's file as it came ("=1+1不是有效月份"); every cell
    goes through desktop.core.csvsafe, so none is read as a formula."""
    header: list[object] = ["行号", "字段", "错误原因"]
    write_csv(path, [header, *([r.line, field_label(r.field, "zh") if r.field else "", r.message("zh")]
                               for r in sorted(rows, key=lambda r: r.line))])


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
        self.save_button = QPushButton()
        self.save_button.setObjectName("save_problems")
        self.save_button.clicked.connect(self.choose_save)
        self.save_button.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)
        self.setLayout(vbox(self.title, self.file, self.summary, self.table, self.buttons,
                            margin=16, spacing=10))
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
        self._show_state()

    def _show_state(self) -> None:
        """Show what the import is doing or did."""
        error, result = self.error, self.result_value
        bad = isinstance(error, InvalidRows)
        self.table.setVisible(bad)
        self.save_button.setVisible(bad)
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

    def choose_save(self) -> None:
        """Ask where to save the list of bad rows, then save it."""
        folder = str(i18n.settings().value("import/folder", str(self.request.path.parent)))
        suggested = str(Path(folder) / (self.request.path.stem + "-错误清单.csv"))
        name = files.save_file_name(self, self.tr("保存错误清单"), suggested, self.tr("CSV 文件 (*.csv)"))
        if name:
            self.save_problems(Path(name))

    def save_problems(self, path: Path) -> None:
        """Write the bad rows to path for the employer."""
        try:
            write_problems(path, self.problems.rows)
        except OSError as exc:
            self.summary.setText(self.tr("无法保存：{reason}").format(reason=exc.strerror or exc))
            return
        self.summary.setText(self.tr("错误清单已保存到 {path}").format(path=path))

    def retranslate(self) -> None:
        """Set every visible string in the interface language."""
        self.setWindowTitle(self.tr("导入单位申报"))
        self.title.setText(self.tr("单位申报导入结果"))
        self.save_button.setText(self.tr("保存错误清单(&S)…"))
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(self.tr("关闭"))
        self.problems.retranslate()
        self._show_state()
