"""A read-only table over a list held in memory: one row per item, a fixed number of columns."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex

Index = QModelIndex | QPersistentModelIndex


class ListTableModel(QAbstractTableModel):
    """Holds `rows`; subclasses set `column_count` and give `data` and the headers."""

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
