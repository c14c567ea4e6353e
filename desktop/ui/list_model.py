"""A read-only table over a list held in memory: one row per item, a fixed number of columns."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QTableView

Index = QModelIndex | QPersistentModelIndex


class ListTableModel(QAbstractTableModel):
    """Holds `rows`; subclasses set `column_count` and give `data` and `titles` (the headers)."""

    column_count = 0

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Any] = []

    def set_rows(self, rows: Iterable[Any]) -> None:
        """Show another list (in `order`)."""
        self.beginResetModel()
        self.rows = self.order(list(rows))
        self.endResetModel()

    def order(self, rows: list[Any]) -> list[Any]:
        """The order rows are shown in (as given, unless a subclass sorts)."""
        return rows

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt override
        """How many rows (a flat table: none under a valid parent)."""
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt override
        """How many columns."""
        return 0 if parent.isValid() else self.column_count

    def titles(self) -> list[str]:
        """The column titles in the interface language (subclasses)."""
        return []

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column titles."""
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        titles = self.titles()
        return titles[section] if 0 <= section < len(titles) else None

    def retranslate(self) -> None:
        """Refresh the titles and the cells after a language change."""
        if self.column_count:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.column_count - 1)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, self.column_count - 1))

    def selected(self, view: QTableView) -> Any:
        """The item in the view's selected row (None when no row is selected)."""
        rows = view.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    def select(self, view: QTableView, match: Callable[[Any], bool]) -> bool:
        """Select the first row whose item matches; False when none is shown."""
        for row, item in enumerate(self.rows):
            if match(item):
                view.selectRow(row)
                return True
        return False
