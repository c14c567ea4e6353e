"""Pickers instead of typed codes: a region by its name (Chinese, pinyin or pinyin initials), an
agreement country from a list in pinyin order, a date from a calendar.

Each is keyboard-first and keeps working the way a clerk who knows the code types it: a region
picker still takes a 6-digit code, a date field still takes yyyy-MM-dd. The value a dialog reads is
the code (`code()`, `value()`), and `value_text()` is what the form's checks see.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from PySide6.QtCore import QDate, QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QIcon,
    QKeyEvent,
    QPainter,
    QPixmap,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import QCalendarWidget, QComboBox, QCompleter, QLineEdit, QWidget

from desktop.core import pinyin
from desktop.core.agreements import Agreement, in_pinyin_order
from desktop.core.errors import InvalidInput
from desktop.core.regions import find_exact, prepare_search, search, validate_region
from desktop.ui.operations import query
from desktop.ui.runner import Runner

_CODE = re.compile(r"^\d{6}$")
_NAMED_CODE = re.compile(r"^\S.*\s(\d{6})$")
CODE_ROLE = Qt.ItemDataRole.UserRole + 1


def _own_hint(edit: QLineEdit, hint: str) -> None:
    """Set the picker's own placeholder, unless a dialog has set another one."""
    own = edit.property("own_hint")
    if not edit.placeholderText() or edit.placeholderText() == own:
        edit.setPlaceholderText(hint)
    edit.setProperty("own_hint", hint)


def check_region(text: str, field: str = "region") -> str:
    """A region picker's value: a known 6-digit code; a name not picked from the list is refused
    as such (not as a malformed code)."""
    code = text.strip()
    if code and not code.isdigit():
        raise InvalidInput("region.not_picked", field)
    return validate_region(code, field)


def region_text(code: str, full_name: str) -> str:
    """What a region picker shows once a region is picked: its name with province, then its code."""
    return f"{full_name} {code}"


class RegionPicker(QLineEdit):
    """A pooling region chosen by name: type 南昌, nanchang or ncs, pick with the arrows and Enter.

    The value is the region's 6-digit code (`code()`); a code typed as digits is taken as it is
    (no list is offered for digits). `changed(code)` follows every change of the text.
    """

    changed = Signal(str)
    picked = Signal(str)

    def __init__(self, parent: QWidget | None = None, width_chars: int = 17, historic: bool = False) -> None:
        super().__init__(parent)
        self.historic = historic  # codes no longer in use are offered too (history before the record)
        self.setMaxLength(60)
        # wide enough for a county with its province and prefecture, or the hint, in Chinese
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * width_chars + 16)
        self.matches = QStandardItemModel(self)
        completer = QCompleter(self.matches, self)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setMaxVisibleItems(12)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.activated[str].connect(self._activated)  # type: ignore[index]  # the text overload
        self.setCompleter(completer)
        self.textEdited.connect(self._search)
        self.textChanged.connect(lambda _text: self.changed.emit(self.code()))
        self.retranslate()

    def retranslate(self) -> None:
        """The hint, in the interface language (unless the dialog gave its own)."""
        _own_hint(self, self.tr("地区名称、拼音首字母或6位代码"))
        self.setToolTip(self.tr("输入地区名称（如 南昌）、拼音（nanchang）或拼音首字母（ncs），"
                                "用方向键选择，回车确定；也可直接输入6位行政区划代码"))

    def changeEvent(self, event: QEvent) -> None:  # Qt override
        """Retranslate when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def prepare(self, runner: Runner) -> None:
        """Build the region index in the background, so the first letter typed finds at once."""
        query(self, prepare_search, runner).run()

    def _search(self, text: str) -> None:
        """Offer the regions matching what was typed (before the line edit opens its list)."""
        self.matches.clear()
        query = text.strip()
        if not query or query.isdigit() or _NAMED_CODE.match(query):
            return
        for match in search(query, limit=40, historic=self.historic):
            name = match.full_name if match.until is None else \
                self.tr("{name}（至{year}年）").format(name=match.full_name, year=match.until)
            item = QStandardItem(region_text(match.code, name))
            item.setData(match.code, CODE_ROLE)
            item.setEditable(False)
            self.matches.appendRow(item)

    def _activated(self, text: str) -> None:
        """A region chosen from the list (the line edit shows it once this returns)."""
        named = _NAMED_CODE.match(text.strip())
        if named:
            self.picked.emit(named.group(1))

    def typing_code(self) -> bool:
        """Whether digits are being typed (a code: checked as typed; a name is checked once picked)."""
        return self.text().strip().isdigit()

    def code(self) -> str:
        """The region's code: the one picked or typed; the text itself when it names no region
        (the form's check then says what is wrong)."""
        text = self.text().strip()
        if _CODE.match(text):
            return text
        named = _NAMED_CODE.match(text)
        if named:
            return named.group(1)
        return find_exact(text) or text if text else ""

    def value_text(self) -> str:
        """What the form's check reads: the code."""
        return self.code()

    def set_code(self, code: str) -> None:
        """Show a region by its code (its name too when the code is known)."""
        from desktop.core.regions import ever_valid, name_of

        self.setText(region_text(code, name_of(code)) if ever_valid(code) else code)


class CountryPicker(QComboBox):
    """An agreement country from a list in the pinyin order of the Chinese names; typing letters
    jumps to the country whose name's pinyin (or initials, or code) starts with them."""

    def __init__(self, agreements: dict[str, Agreement], parent: QWidget | None = None,
                 any_text: str | None = None) -> None:
        super().__init__(parent)
        self.typed = ""
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(1000)
        self._typing.timeout.connect(self._forget)
        if any_text is not None:
            self.addItem(any_text, None)
        for a in in_pinyin_order(agreements):
            self.addItem(f"{a.partner_zh}  {a.country}", a.country)

    def _forget(self) -> None:
        self.typed = ""

    def value(self) -> str | None:
        """The country code chosen (None: the 'any' line)."""
        data = self.currentData()
        return str(data) if data is not None else None

    def set_value(self, code: str | None) -> None:
        """Choose a country by its code."""
        index = self.findData(code)
        if index >= 0:
            self.setCurrentIndex(index)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        """Letters choose by pinyin (de -> 德国, rb -> 日本) or by code; other keys as a combo box."""
        text = event.text().lower()
        if len(text) == 1 and text.isascii() and text.isalpha() and not (
                event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)):
            self.typed += text
            self._typing.start()
            for index in range(self.count()):
                code = self.itemData(index)
                if code is None:
                    continue
                name = self.itemText(index).split()[0]
                if pinyin.full(name).startswith(self.typed) or pinyin.initials(name).startswith(self.typed) \
                        or str(code).lower().startswith(self.typed):
                    self.setCurrentIndex(index)
                    break
            event.accept()
            return
        super().keyPressEvent(event)


def _calendar_icon() -> QIcon:
    """A small calendar drawn here (no icon files to ship)."""
    pixmap = QPixmap(16, 16)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setPen(QColor("#555"))
    painter.drawRect(1, 3, 13, 11)
    painter.fillRect(2, 4, 12, 3, QColor("#555"))
    for x in (4, 7, 10):
        for y in (9, 12):
            painter.fillRect(x, y - 1, 2, 2, QColor("#555"))
    painter.drawLine(4, 1, 4, 4)
    painter.drawLine(11, 1, 11, 4)
    painter.end()
    return QIcon(pixmap)


class DateField(QLineEdit):
    """A date typed as yyyy-MM-dd or picked in a calendar (the button at the end, Alt+Down or F4).

    `date()` is the datetime.date entered, or None when the field is empty (an optional date) or
    the text is not a date (the form's check says so).
    """

    picked = Signal(object)

    def __init__(self, parent: QWidget | None = None, optional: bool = False,
                 today: Callable[[], dt.date] | None = None) -> None:
        super().__init__(parent)
        self.optional = optional
        self.today = today  # the ledger's clock: where the calendar opens when no date is entered
        self.setMaxLength(10)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("0000-00-00") + 48)
        self.calendar_action = self.addAction(_calendar_icon(), QLineEdit.ActionPosition.TrailingPosition)
        self.calendar_action.triggered.connect(self.open_calendar)
        self.calendar = QCalendarWidget(self)
        self.calendar.setWindowFlags(Qt.WindowType.Popup)
        self.calendar.setGridVisible(True)
        self.calendar.setMinimumDate(QDate(1900, 1, 1))
        self.calendar.activated.connect(self._picked)
        self.calendar.clicked.connect(self._picked)
        self.calendar.installEventFilter(self)
        self.retranslate()

    def retranslate(self) -> None:
        """The hints, in the interface language (unless the dialog gave its own)."""
        _own_hint(self, self.tr("yyyy-MM-dd，可不填") if self.optional else "yyyy-MM-dd")
        self.calendar_action.setToolTip(self.tr("从日历选择（Alt+↓）"))

    def changeEvent(self, event: QEvent) -> None:  # Qt override
        """Retranslate when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def date(self) -> dt.date | None:
        """The date entered, or None (empty, or not a date)."""
        try:
            return dt.date.fromisoformat(self.text().strip())
        except ValueError:
            return None

    def set_date(self, day: dt.date | None) -> None:
        """Show a date (None: empty)."""
        self.setText(day.isoformat() if day is not None else "")

    def value_text(self) -> str:
        """What the form's check reads: the text typed or picked."""
        return self.text()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        """Alt+Down or F4 opens the calendar; everything else edits the text."""
        if event.key() == Qt.Key.Key_F4 or (event.key() == Qt.Key.Key_Down
                                            and event.modifiers() & Qt.KeyboardModifier.AltModifier):
            self.open_calendar()
            event.accept()
            return
        super().keyPressEvent(event)

    def open_calendar(self) -> None:
        """Show the calendar under the field at the date entered (the ledger's today when none)."""
        day = self.date() or (self.today() if self.today is not None else None)
        if day is not None:
            self.calendar.setSelectedDate(QDate(day.year, day.month, day.day))
        self.calendar.adjustSize()
        self.calendar.move(self.mapToGlobal(QPoint(0, self.height())))
        self.calendar.show()
        self.calendar.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        """Escape in the calendar closes it and returns to the field."""
        if watched is self.calendar and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape:
            self.calendar.hide()
            self.setFocus()
            return True
        return super().eventFilter(watched, event)

    def _picked(self, day: QDate) -> None:
        """A day chosen in the calendar: shown as typed (the form's live check runs), calendar closed."""
        self.calendar.hide()
        text = day.toString("yyyy-MM-dd")
        self.setText(text)
        self.textEdited.emit(text)
        self.setFocus()
        self.picked.emit(dt.date(day.year(), day.month(), day.day()))
