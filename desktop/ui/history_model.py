"""A person's contribution history as months x schemes: a lazy table model over row keys.

The model holds only the (month, employer) keys of the person's rows; the rows themselves are
read a page at a time on the runner when the view first asks for them (Anki's browser model), and
kept by key, so a row recorded or changed is read again alone (`refresh_rows`).

`HistoryExport` (the model's `export_bar`) saves the whole grid as an XLSX workbook
(desktop.core.services.history_xlsx), every month read on the runner, in the grid's order.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from desktop.core.month import Month
from desktop.ui import files, i18n
from desktop.ui.layout import ERROR_STYLE, Retranslating, hbox
from desktop.ui.operations import Query, query
from desktop.ui.runner import Runner

if TYPE_CHECKING:  # the core's storage is imported on the worker, so the window opens at once
    from desktop.core.ledger import Ledger
    from desktop.core.services.history import HistoryRow, RowKey, SchemeCell

EMPLOYEE_SCHEMES = ("pension", "medical", "unemployment", "injury", "maternity")

ARREARS_BG = QColor("#fde2e1")
ARREARS_FG = QColor("#a4161a")
BACK_PAYMENT_BG = QColor("#fff1cc")
Index = QModelIndex | QPersistentModelIndex
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def money(value: Any) -> str:
    """An amount with thousands separators and two decimals."""
    return f"{value:,.2f}"


class HistoryModel(QAbstractTableModel):
    """Months x schemes of one person; rows are filled on demand, a page per background call."""

    PAGE = 50
    FIXED = 3  # month, employer, base; then one column per scheme, then the status

    def __init__(self, runner: Runner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ledger: Ledger | None = None
        self.runner = runner
        self.schemes: list[str] = [s for s in EMPLOYEE_SCHEMES if s != "maternity"]
        self._worker_id = 0
        self._keys: list[RowKey] = []
        self._where: dict[RowKey, int] = {}  # a key's row
        self._rows: dict[RowKey, HistoryRow | None] = {}  # rows read (None: could not be read)
        self._pending: set[RowKey] = set()  # rows being read
        self._generation = 0

    def reset(self, worker_id: int, keys: list[RowKey]) -> None:
        """Show another person's history (keys newest first); nothing is read yet."""
        self.beginResetModel()
        self._generation += 1
        self._worker_id = worker_id
        self._keys = list(keys)
        self._where = {k: i for i, k in enumerate(self._keys)}
        self.schemes = self.schemes_for(self._keys)
        self._rows.clear()
        self._pending.clear()
        self.endResetModel()

    def refresh_rows(self, keys: list[RowKey]) -> None:
        """Read these rows again (the rest stay as read): a new key is inserted in its place (newest
        month first, then by employer), a known one is repainted once read."""
        for key in sorted(set(keys)):
            self._rows.pop(key, None)
            if key in self._where:
                continue
            at = next((i for i, k in enumerate(self._keys) if (-k[0], k[1]) > (-key[0], key[1])),
                      len(self._keys))
            self.beginInsertRows(QModelIndex(), at, at)
            self._keys.insert(at, key)
            self._where = {k: i for i, k in enumerate(self._keys)}
            self._pending.add(key)  # read below, not by the first paint
            self.endInsertRows()
        wanted = self.schemes_for(self._keys)
        if wanted != self.schemes:  # the months now span another scheme's years
            self.beginResetModel()
            self.schemes = wanted
            self.endResetModel()
        self._read(sorted(set(keys), key=lambda k: self._where[k]))
    @staticmethod
    def schemes_for(keys: list[RowKey]) -> list[str]:
        """The employees' schemes collected at some time in the span of the months shown."""
        from desktop.core.refdata import employee_schemes, schemes

        if not keys:
            return [sid for sid in employee_schemes() if schemes()[sid].collected_to is None]
        first, last = Month.from_int(keys[-1][0]), Month.from_int(keys[0][0])
        return [sid for sid in employee_schemes()
                if schemes()[sid].collected_from <= last
                and ((to := schemes()[sid].collected_to) is None or first <= to)]

    def loaded_rows(self) -> int:
        """How many rows have been read so far."""
        return sum(1 for key in self._keys if key in self._rows)

    def row_at(self, row: int) -> HistoryRow | None:
        """The row if it has been read."""
        return self._rows.get(self._keys[row]) if 0 <= row < len(self._keys) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt override
        """The number of months (a table: valid parents have no children)."""
        return 0 if parent.isValid() else len(self._keys)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt override
        """Month, employer, base, one column per scheme, status."""
        return 0 if parent.isValid() else self.FIXED + len(self.schemes) + 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A cell's text, colour, alignment or tooltip; asks for the row's page when not read."""
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if row >= len(self._keys):
            return None
        key = self._keys[row]
        if key not in self._rows:
            self._request(row)
            if role == Qt.ItemDataRole.DisplayRole:
                return str(Month.from_int(key[0])) if col == 0 else "…"
            return None
        item = self._rows[key]
        if item is None:
            return None
        cell = self._cell(item, col)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(item, col, cell)
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= 2:
            return int(RIGHT)
        if role == Qt.ItemDataRole.BackgroundRole:
            status = self._status(item, cell, col)
            if status == "arrears":
                return QBrush(ARREARS_BG)
            if status == "back_payment":
                return QBrush(BACK_PAYMENT_BG)
        if role == Qt.ItemDataRole.ForegroundRole and self._status(item, cell, col) == "arrears":
            return QBrush(ARREARS_FG)
        if role == Qt.ItemDataRole.ToolTipRole and cell is not None:
            return self.tr("单位 {employer}，个人 {employee}，记入个人账户 {account}").format(
                employer=money(cell.employer), employee=money(cell.employee),
                account=money(cell.account))
        return None

    def _cell(self, item: HistoryRow, col: int) -> SchemeCell | None:
        """The scheme cell under a column, if the column is a scheme's."""
        k = col - self.FIXED
        return item.cells.get(self.schemes[k]) if 0 <= k < len(self.schemes) else None

    def _status(self, item: HistoryRow, cell: SchemeCell | None, col: int) -> str:
        """arrears, back_payment or '' for colouring a cell."""
        if cell is not None:
            return "arrears" if cell.status == "arrears" else cell.kind
        if col == self.columnCount() - 1 or col < self.FIXED:
            return "arrears" if item.arrears else "back_payment" if item.back_payment else ""
        return ""

    def _text(self, item: HistoryRow, col: int, cell: SchemeCell | None) -> str:
        """A cell's text."""
        if col == 0:
            return str(item.month)
        if col == 1:
            return item.employer_name
        if col == 2:
            return money(item.base)
        if col == self.columnCount() - 1:
            return self.status_words()["arrears" if item.arrears else "back_payment" if item.back_payment
                                       else "paid"]
        if cell is None:
            return ""
        return money(cell.total)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column titles in the interface language."""
        if orientation != Qt.Orientation.Horizontal:
            return None
        k = section - self.FIXED
        if role == Qt.ItemDataRole.ToolTipRole and 0 <= k < len(self.schemes):
            from desktop.core.refdata import schemes

            return schemes()[self.schemes[k]].name(i18n.lang())
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        fixed = [self.tr("所属期"), self.tr("用人单位"), self.tr("缴费基数")]
        if section < self.FIXED:
            return fixed[section]
        if k < len(self.schemes):
            return self.short_names().get(self.schemes[k], self.schemes[k])
        return self.tr("状态")

    def status_words(self) -> dict[str, str]:
        """The status column's words by status (desktop.core.services.history_xlsx.STATUSES)."""
        return {"arrears": self.tr("欠缴"), "back_payment": self.tr("补缴"), "paid": self.tr("正常")}

    def titles(self) -> list[str]:
        """Every column title, as the header shows them."""
        return [str(self.headerData(c, Qt.Orientation.Horizontal)) for c in range(self.FIXED + len(self.schemes) + 1)]

    def export_bar(self) -> HistoryExport:
        """The "导出Excel" button with its note, for the page that shows this model."""
        return HistoryExport(self)

    def export(self, path: Path) -> Query[int]:
        """Write every month of the grid to an XLSX file on the runner (the op, to add callbacks to)."""
        from desktop.core.services.history_xlsx import write_months_xlsx

        ledger, worker_id, keys = self.ledger, self._worker_id, list(self._keys)
        titles, schemes, words = self.titles(), list(self.schemes), self.status_words()
        sheet = self.tr("缴费明细")
        assert ledger is not None

        def write() -> int:
            rows = ledger.history.rows(worker_id, keys)
            written = write_months_xlsx(path, titles, [rows[k] for k in keys if k in rows], schemes, words, sheet)
            ledger.views.record(worker_id, "export", "history xlsx")
            return written

        return query(self, write, self.runner)

    def short_names(self) -> dict[str, str]:
        """Short column titles of the employees' schemes."""
        return {"pension": self.tr("养老"), "medical": self.tr("医疗"), "unemployment": self.tr("失业"),
                "injury": self.tr("工伤"), "maternity": self.tr("生育")}

    def _request(self, row: int) -> None:
        """Read the rows of the page holding row that are neither read nor being read."""
        first = row // self.PAGE * self.PAGE
        self._read([k for k in self._keys[first:first + self.PAGE]
                    if k not in self._rows and k not in self._pending])

    def _read(self, keys: list[RowKey]) -> None:
        """Read these rows on the worker and repaint them."""
        worker_id, generation, ledger = self._worker_id, self._generation, self.ledger
        if not keys or ledger is None:
            return
        self._pending.update(keys)
        query(self, lambda: ledger.history.rows(worker_id, keys), self.runner) \
            .success(lambda result: self._filled(generation, keys, result)) \
            .failure(lambda _error: self._filled(generation, keys, None)).run()

    def _filled(self, generation: int, keys: list[RowKey], result: dict[RowKey, HistoryRow] | None) -> None:
        """Store rows read in the background and repaint them (a row that could not be read stays
        empty rather than being asked for again)."""
        if generation != self._generation:
            return  # another person is shown now
        self._pending.difference_update(keys)
        for key in keys:
            self._rows[key] = result.get(key) if result is not None else None
        rows = [self._where[k] for k in keys if k in self._where]
        if rows:
            self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), self.columnCount() - 1))

    def retranslate(self) -> None:
        """Refresh titles and status words after a language change."""
        if self.columnCount():
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)
        if self._keys:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._keys) - 1, self.columnCount() - 1))


class HistoryExport(Retranslating, QWidget):
    """A button that saves the months grid as an XLSX file, and a note of what it did."""

    def __init__(self, model: HistoryModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.button = QPushButton()
        self.button.setObjectName("export_history")
        self.button.clicked.connect(self.choose)
        self.note = QLabel()
        self.note.setObjectName("export_note")
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setLayout(hbox(self.note, self.button, margin=0))
        model.modelReset.connect(self._another_person)
        model.rowsInserted.connect(self._enable)
        self._enable()
        self.retranslate()

    def _another_person(self) -> None:
        """A note about the grid shown before goes."""
        self.note.clear()
        self._enable()

    def _enable(self) -> None:
        """Enabled when there is a month to export."""
        self.button.setEnabled(self.model.rowCount() > 0)

    def choose(self) -> None:
        """Ask where to save the grid, then save it."""
        if self.model.ledger is None or self.model.rowCount() == 0:
            return
        folder = str(i18n.settings().value("export/folder", str(Path.home())))
        name = files.save_file_name(self, self.tr("导出缴费明细"), str(Path(folder) / (self.tr("缴费明细") + ".xlsx")),
                                    self.tr("Excel 工作簿 (*.xlsx)"))
        if name:
            path = Path(name) if name.lower().endswith(".xlsx") else Path(name + ".xlsx")
            i18n.settings().setValue("export/folder", str(path.parent))
            self.save(path)

    def save(self, path: Path) -> None:
        """Write the grid to path in the background; the note says how it went."""
        self.note.setStyleSheet("")
        self.note.setText(self.tr("正在导出…"))
        self.model.export(path).success(self._saved(path)).failure(self._failed).run()

    def _saved(self, path: Path) -> Any:
        def done(count: int) -> None:
            self.note.setStyleSheet("")
            self.note.setText(self.tr("已导出 {count} 个月到 {path}").format(count=count, path=path))
        return done

    def _failed(self, error: BaseException) -> None:
        self.note.setStyleSheet(ERROR_STYLE)
        self.note.setText(i18n.message(error))

    def retranslate(self) -> None:
        """Set every visible string in the interface language."""
        self.button.setText(self.tr("导出Excel(&E)…"))
        self.button.setToolTip(self.tr("把缴费明细（全部月份）保存为Excel工作簿"))
