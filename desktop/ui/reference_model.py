"""Editable tables of reference values (average wages, rates, base limits, crediting rates).

Each row shows a value with its region and effective period. Editing a row, or adding one, and
saving stores the office's own value through the reference service; stored values win over the
shipped ones for their region and period. Nothing is deleted: a later office value replaces.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from desktop.core.ledger import Ledger
from desktop.core.refdata import employee_schemes, schemes
from desktop.core.services.history import ReferenceValues
from desktop.ui import i18n

Index = QModelIndex | QPersistentModelIndex
EDITED_BG = QColor("#e3f2fd")

KINDS: dict[str, tuple[str, ...]] = {
    "wages": ("region", "year", "monthly", "source"),
    "rates": ("region", "scheme", "start", "end", "employer", "employee", "account", "risk_class",
              "source"),
    "limits": ("region", "start", "end", "floor", "ceiling", "source"),
    "interest": ("year", "rate", "source"),
}


@dataclass(frozen=True)
class ReferenceChange:
    """One edited or added row to store: its kind, its row number, its values as typed."""

    kind: str
    row: int
    values: tuple[tuple[str, str], ...]

    def get(self, key: str) -> str:
        """A value by column key ('' when absent)."""
        return dict(self.values).get(key, "").strip()


def apply_change(ledger: Ledger, change: ReferenceChange) -> None:
    """Store one row through the reference service (runs on the worker thread)."""
    g = change.get
    ref = ledger.reference
    if change.kind == "wages":
        ref.set_wage(g("region"), g("year"), g("monthly"))
    elif change.kind == "rates":
        ref.set_rate(g("region"), g("scheme"), g("start"), g("employer"), g("employee"),
                     end=g("end") or None, account=g("account") or None,
                     risk_class=g("risk_class") or None)
    elif change.kind == "limits":
        ref.set_limits(g("region"), g("start"), g("floor"), g("ceiling"), end=g("end") or None)
    elif change.kind == "interest":
        ref.set_interest(g("year"), g("rate"))
    else:
        raise ValueError(change.kind)


def _text(value: object) -> str:
    """A value as the table shows and edits it."""
    return "" if value is None else str(value)


def rows_of(values: ReferenceValues, kind: str) -> list[dict[str, str]]:
    """The rows of one kind as text, office values first."""
    items: tuple[Any, ...] = getattr(values, kind)
    return [{key: _text(getattr(item, key)) for key in KINDS[kind]} for item in items]


class ReferenceModel(QAbstractTableModel):
    """The rows of one kind of reference value; edited and new rows are kept until saved."""

    def __init__(self, kind: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.columns = KINDS[kind]
        self.rows: list[dict[str, str]] = []
        self.changed: set[int] = set()

    def set_rows(self, rows: list[dict[str, str]]) -> None:
        """Show freshly read values; forget unsaved edits."""
        self.beginResetModel()
        self.rows = rows
        self.changed.clear()
        self.endResetModel()

    def add_row(self, defaults: dict[str, str]) -> int:
        """Append a blank row for a new value; returns its number."""
        row = len(self.rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self.rows.append({key: defaults.get(key, "") for key in self.columns} | {"source": "new"})
        self.changed.add(row)
        self.endInsertRows()
        return row

    def changes(self) -> list[ReferenceChange]:
        """The edited and new rows, in table order."""
        return [ReferenceChange(self.kind, row, tuple((k, v) for k, v in self.rows[row].items()
                                                      if k != "source"))
                for row in sorted(self.changed)]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt override
        """How many values."""
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt override
        """The columns of this kind."""
        return 0 if parent.isValid() else len(self.columns)

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Every cell but the source is editable."""
        base = super().flags(index)
        if index.isValid() and self.columns[index.column()] != "source":
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A cell's text (scheme names and sources in words), or its edit value."""
        if not index.isValid():
            return None
        key = self.columns[index.column()]
        value = self.rows[index.row()].get(key, "")
        if role == Qt.ItemDataRole.EditRole:
            return value
        if role == Qt.ItemDataRole.DisplayRole:
            if key == "scheme" and value in schemes():
                return schemes()[value].name(i18n.lang())
            if key == "source":
                return self._source(value)
            return value
        shipped = value not in ("office", "new")
        if role == Qt.ItemDataRole.ToolTipRole and key == "source" and shipped:
            return value
        if role == Qt.ItemDataRole.BackgroundRole and index.row() in self.changed:
            return QBrush(EDITED_BG)
        if role == Qt.ItemDataRole.ForegroundRole and self.rows[index.row()]["source"] not in (
                "office", "new") and index.row() not in self.changed:
            return QBrush(QColor("#666666"))
        return None

    def _source(self, value: str) -> str:
        """Where a value comes from, in words."""
        if value == "office":
            return self.tr("本机构设定")
        if value == "new":
            return self.tr("未保存")
        if value == "shipped":
            return self.tr("内置")
        return self.tr("内置：{source}").format(source=value)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Change a cell; the row is stored on the next save."""
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        key = self.columns[index.column()]
        text = "" if value is None else str(value).strip()
        if self.rows[index.row()].get(key, "") == text:
            return False
        self.rows[index.row()][key] = text
        self.changed.add(index.row())
        row = index.row()
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))
        return True

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column titles, or row numbers down the side."""
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        titles = {
            "region": self.tr("地区代码"), "year": self.tr("年度"), "monthly": self.tr("上年度月平均工资"),
            "scheme": self.tr("险种"), "start": self.tr("起始月份"), "end": self.tr("截止月份"),
            "employer": self.tr("单位费率"), "employee": self.tr("个人费率"),
            "account": self.tr("记入个人账户比例"), "risk_class": self.tr("风险类别"),
            "floor": self.tr("基数下限比例"), "ceiling": self.tr("基数上限比例"),
            "rate": self.tr("记账利率"), "source": self.tr("来源"),
        }
        return titles[self.columns[section]]

    def retranslate(self) -> None:
        """Refresh after a language change."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self.rows) - 1, len(self.columns) - 1))


class SchemeDelegate(QStyledItemDelegate):
    """Choose a scheme from a list instead of typing its id."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: Index) -> QWidget:
        """A combo box of the employees' schemes."""
        combo = QComboBox(parent)
        for sid in employee_schemes():
            combo.addItem(schemes()[sid].name(i18n.lang()), sid)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        """Select the row's scheme."""
        assert isinstance(editor, QComboBox)
        found = editor.findData(index.data(Qt.ItemDataRole.EditRole))
        editor.setCurrentIndex(max(found, 0))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,
                     index: Index) -> None:
        """Store the chosen scheme's id."""
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
