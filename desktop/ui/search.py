"""Find a person as you type: ID number (typed or scanned), name, or pinyin initials."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QEvent,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QLineEdit, QTableView, QWidget

from desktop.ui import i18n
from desktop.ui.layout import Retranslating, vbox
from desktop.ui.list_model import Index, ListTableModel
from desktop.ui.operations import query
from desktop.ui.runner import Runner

if TYPE_CHECKING:
    from desktop.core.ledger import Ledger
    from desktop.core.quick_search import QuickSearch
    from desktop.core.services.workers import WorkerInfo

LIMIT = 50
FULL_NUMBER = re.compile(r"^([0-9]{17}[0-9X]|F[0-9]{14}[0-9X])$")


def find_people(ledger: Ledger, text: str) -> list[WorkerInfo]:
    """The search behind the box (worker thread): a number's beginning in number order (fast at
    the first digit), anything else (name, pinyin initials, passport) by the ledger's search."""
    return ledger.workers.search_box(text, LIMIT)


class SearchModel(ListTableModel):
    """At most LIMIT people found by the last search."""

    column_count = 4

    @property
    def people(self) -> list[WorkerInfo]:
        """The people shown."""
        return self.rows

    def set_people(self, people: list[WorkerInfo]) -> None:
        """Show another list."""
        self.set_rows(people)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A cell's text."""
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        w = self.people[index.row()]
        col = index.column()
        if col == 0:
            return w.name
        if col == 1:
            return w.key
        if col == 2:
            return self.tr("男") if w.sex == "M" else self.tr("女")
        return w.birth_date.isoformat()

    def titles(self) -> list[str]:
        """Column titles."""
        return [self.tr("姓名"), self.tr("证件号码"), self.tr("性别"), self.tr("出生日期")]


class SearchPanel(Retranslating, QWidget):
    """The search box and its results; the newest keystroke wins, older answers are dropped."""

    open_requested = Signal(str)
    results_shown = Signal(str, int)

    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger: Ledger | None = None
        self.quick: QuickSearch | None = None  # the file read straight away until the ledger opens
        self.runner = runner
        self.title = QLabel()
        self.box = QLineEdit()
        self.box.setObjectName("search")
        self.box.setClearButtonEnabled(True)
        self.box.setMaxLength(60)
        self.model = SearchModel(self)
        self.view = QTableView()
        self.view.setObjectName("results")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setTabKeyNavigation(False)
        self.count = QLabel()
        self.count.setStyleSheet("color: #555;")
        self.setLayout(vbox(self.title, self.box, self.view, self.count, spacing=6))
        self.shown_text: str | None = ""
        self._in_flight: str | None = None
        self._open_when_ready = False
        self.box.textChanged.connect(self._text_changed)
        self.box.returnPressed.connect(self.open_current)
        self.box.installEventFilter(self)
        self.view.activated.connect(lambda index: self._open_row(index.row()))
        self.retranslate()

    def attach_quick(self, quick: QuickSearch) -> None:
        """Until the ledger is attached, answer from the database file straight away (the first
        searches after start: `desktop/core/quick_search.py`)."""
        self.quick = quick
        if self.ledger is None and self._in_flight is None and self.text():
            self._start(self.text())

    def attach(self, ledger: Ledger) -> None:
        """Search this ledger; whatever was typed while it opened is searched now."""
        self.ledger = ledger
        if self.quick is not None:
            self.quick.close()
            self.quick = None
        if self._in_flight is None and self.text():
            self._start(self.text())

    def refresh(self) -> None:
        """Search the current text again (the database changed); a running search is answered
        for the newest text anyway."""
        if self._in_flight is None and self.text():
            self._start(self.text())

    def text(self) -> str:
        """The search text, trimmed."""
        return self.box.text().strip()

    def _text_changed(self, _text: str) -> None:
        """Search at once unless a search is running (its answer starts the next one)."""
        if self._in_flight is None:
            self._start(self.text())

    def _start(self, text: str) -> None:
        """Run a search for text on the worker."""
        if not text:
            self._in_flight = None
            self._show(text, [])
            return
        ledger = self.ledger
        if ledger is None:  # still opening: the quick search answers, else attach() searches
            found = self.quick.find(text, LIMIT) if self.quick is not None else None
            if found is not None:
                self._show(text, found)
            return
        self._in_flight = text
        query(self, lambda: find_people(ledger, text), self.runner) \
            .success(lambda result: self._answered(text, result, None)) \
            .failure(lambda error: self._answered(text, None, error)).run()

    def _answered(self, text: str, result: Any, error: BaseException | None) -> None:
        """Show an answer if it is for the current text, else search the current text."""
        self._in_flight = None
        current = self.text()
        if text != current:
            self._start(current)  # the clerk typed on: only the newest text matters
            return
        self._show(text, [] if error is not None else result)
        if error is not None:
            self.count.setText(i18n.message(error))

    def _show(self, text: str, people: list[WorkerInfo]) -> None:
        """Put people in the list, select the first (or, for the same text again, the person that
        was selected), and open it if Enter was waiting."""
        rows = self.view.selectionModel().selectedRows() if self.view.selectionModel() else []
        was = self.model.people[rows[0].row()].key if rows and text == self.shown_text \
            and rows[0].row() < len(self.model.people) else None
        self.model.set_people(people)
        self.shown_text = text
        if people:
            keys = [p.key for p in people]
            self.view.selectRow(keys.index(was) if was in keys else 0)
        self._show_count()
        self.results_shown.emit(text, len(people))
        if self._open_when_ready:
            self._open_when_ready = False
            self.open_current()

    def _show_count(self) -> None:
        """Say how many were found, or what Enter does."""
        n = self.model.rowCount()
        if not self.shown_text:
            self.count.setText(self.tr("回车打开所选人员；Esc 回到查找框"))
        elif n >= LIMIT:
            self.count.setText(self.tr("仅显示前 %n 人，请输入更多", "", n))
        else:
            self.count.setText(self.tr("找到 %n 人", "", n))

    def open_current(self) -> None:
        """Enter: open the selected person (a complete ID number opens directly)."""
        text = self.text().upper()
        if self.ledger is None:
            self._open_when_ready = True
            return
        if FULL_NUMBER.match(text):
            self._open_when_ready = False
            self.open_requested.emit(text)
            return
        if self.shown_text != self.text() or self._in_flight is not None:
            self._open_when_ready = True
            return
        rows = self.view.selectionModel().selectedRows()
        self._open_row(rows[0].row() if rows else 0)

    def _open_row(self, row: int) -> None:
        """Ask for the person on a row to be opened."""
        if 0 <= row < len(self.model.people):
            self.open_requested.emit(self.model.people[row].key)

    def focus(self) -> None:
        """Put the cursor in the search box with its text selected, ready for the next person."""
        self.box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.box.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Up and Down in the search box move through the results."""
        if watched is self.box and isinstance(event, QKeyEvent) \
                and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.model.people:
                rows = self.view.selectionModel().selectedRows()
                row = rows[0].row() if rows else -1
                row += 1 if key == Qt.Key.Key_Down else -1
                self.view.selectRow(max(0, min(row, len(self.model.people) - 1)))
                return True
        return super().eventFilter(watched, event)

    def retranslate(self) -> None:
        """Set every visible string in the interface language."""
        self.title.setText(self.tr("查找参保人(&S)"))
        self.title.setBuddy(self.box)
        self.box.setPlaceholderText(self.tr("身份证号码、姓名或拼音首字母，回车打开"))
        self.model.retranslate()
        self._show_count()
