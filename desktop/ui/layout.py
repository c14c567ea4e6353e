"""Small layout helpers and the base of every data-entry dialog (git-cola's qtutils in spirit)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.core.changes import Changes
from desktop.core.errors import ShebaoError
from desktop.core.messages import render
from desktop.ui import i18n
from desktop.ui.operations import OpResult, op
from desktop.ui.runner import Runner

ERROR_STYLE = "color: #b00020;"
Item = QWidget | QLayout | int


Box = TypeVar("Box", QHBoxLayout, QVBoxLayout)


def _fill(layout: Box, items: tuple[Item, ...], margin: int, spacing: int) -> Box:
    """Add widgets, layouts and stretches to a box layout, with its margins and spacing."""
    layout.setContentsMargins(margin, margin, margin, margin)
    layout.setSpacing(spacing)
    for item in items:
        if isinstance(item, int):
            layout.addStretch(item)
        elif isinstance(item, QLayout):
            layout.addLayout(item)
        else:
            layout.addWidget(item)
    return layout


def hbox(*items: Item, margin: int = 0, spacing: int = 8) -> QHBoxLayout:
    """A row of widgets and layouts; an int is a stretch."""
    return _fill(QHBoxLayout(), items, margin, spacing)


def vbox(*items: Item, margin: int = 0, spacing: int = 8) -> QVBoxLayout:
    """A column of widgets and layouts; an int is a stretch."""
    return _fill(QVBoxLayout(), items, margin, spacing)


def text_label(name: str, style: str = "") -> QLabel:
    """A wrapping label whose text can be selected (and copied), with an object name for tests."""
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if style:
        label.setStyleSheet(style)
    return label


def error_label() -> QLabel:
    """A red, wrapping label for what is wrong; empty when nothing is."""
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def heading(size_delta: float = 3, bold: bool = True) -> QLabel:
    """A label in a larger font, for titles and the person's name."""
    label = QLabel()
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() + size_delta)
    font.setBold(bold)
    label.setFont(font)
    return label


def line_edit(max_length: int = 100, width_chars: int = 0) -> QLineEdit:
    """A line editor of a given length limit and an optional width in characters."""
    edit = QLineEdit()
    edit.setMaxLength(max_length)
    if width_chars:
        edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance("0") * width_chars + 16)
    return edit


def editor_text(editor: QWidget) -> str:
    """The value of a line edit or of a combo box (its item data when it has any); a picker's
    (desktop/ui/pickers.py) value_text()."""
    value_text = getattr(editor, "value_text", None)
    if callable(value_text):
        return str(value_text())
    if isinstance(editor, QLineEdit):
        return editor.text()
    if isinstance(editor, QComboBox):
        data = editor.currentData()
        return str(data) if data is not None else editor.currentText()
    raise TypeError(type(editor).__name__)


def short_message(error: BaseException) -> str:
    """An error without its field name, for showing beside that field."""
    if isinstance(error, ShebaoError):
        return render(error.key, i18n.lang(), **error.params)
    return i18n.message(error)


if TYPE_CHECKING:
    _Widget = QWidget
else:
    _Widget = object


class Retranslating(_Widget):
    """A widget that sets its strings again when the interface language changes: put it before
    the Qt class (`class Dialog(Retranslating, QDialog)`) and give `retranslate()`."""

    def retranslate(self) -> None:
        """Set every visible string in the interface language (the widget's own)."""

    def changeEvent(self, event: QEvent) -> None:  # Qt override
        """Retranslate when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


@dataclass
class Field:
    """One labelled input of a form with the line that says what is wrong with it."""

    name: str
    label: QLabel
    editor: QWidget
    error: QLabel
    check: Callable[[str], object] | None


class FormDialog(Retranslating, QDialog):
    """Labelled fields, each with its error beside it; accept() runs the operation on the runner
    and closes only when it succeeded (Anki's find_and_replace pattern)."""

    succeeded = Signal(object)

    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.fields: dict[str, Field] = {}
        self.result_value: Any = None
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(8)
        self.grid.setColumnStretch(2, 1)
        self.general_error = error_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.body = vbox(self.grid)
        self.setLayout(vbox(self.body, self.general_error, self.buttons, margin=16, spacing=12))
        self.setMinimumWidth(680)

    def add_field(self, name: str, editor: QWidget, check: Callable[[str], object] | None = None,
                  live: bool = True) -> Field:
        """Add a row: label, editor, error; check(text) raises ShebaoError when text is wrong."""
        row = self.grid.rowCount()
        label = QLabel()
        label.setBuddy(editor)
        error = error_label()
        error.setObjectName(f"error_{name}")
        error.setMinimumWidth(220)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        self.grid.addWidget(label, row, 0, right)
        self.grid.addWidget(editor, row, 1)
        self.grid.addWidget(error, row, 2)
        field = Field(name, label, editor, error, check)
        self.fields[name] = field
        if live and check is not None and isinstance(editor, QLineEdit):
            editor.textEdited.connect(lambda _text, n=name: self.validate(n))
        return field

    def set_labels(self, labels: dict[str, str]) -> None:
        """Set the fields' labels (by field name), in the interface language."""
        for name, text in labels.items():
            self.fields[name].label.setText(text)

    def validate(self, name: str, show_empty: bool = False) -> bool:
        """Run the field's check on its text and show or clear its error."""
        field = self.fields[name]
        text = editor_text(field.editor)
        if field.check is None or (not text.strip() and not show_empty):
            field.error.clear()
            return True
        try:
            field.check(text)
        except ShebaoError as err:
            field.error.setText(short_message(err))
            return False
        field.error.clear()
        return True

    def validate_all(self) -> bool:
        """Check every field, showing each problem; True when all are fine."""
        results = [self.validate(name, show_empty=True) for name in self.fields]
        return all(results)

    def clear_errors(self) -> None:
        """Remove every error message."""
        for field in self.fields.values():
            field.error.clear()
        self.general_error.clear()

    def show_error(self, error: BaseException) -> None:
        """Show an error beside the field it names, or in the dialog's one error line."""
        name = getattr(error, "field", None)
        if isinstance(name, str) and name in self.fields:
            self.fields[name].error.setText(short_message(error))
            self.fields[name].editor.setFocus()
        else:
            self.general_error.setText(i18n.message(error))

    def collect(self) -> object:
        """The form's input as a frozen dataclass (subclasses)."""
        raise NotImplementedError

    def operation(self, data: Any) -> Callable[[], Any]:
        """The service call for the input (subclasses); it runs on the worker thread."""
        raise NotImplementedError

    def changed(self, data: Any, result: Any) -> Changes:
        """What the operation changed, when its result does not say (subclasses narrow it): the
        person of a dialog about one person (its `worker`), otherwise anything may have."""
        worker = getattr(self, "worker", None)
        key = getattr(worker, "key", None)
        return Changes.of_people([key]) if isinstance(key, str) else Changes.all()

    def accept(self) -> None:
        """Validate, run the operation in the background (the window hears what it changed), close
        only when it succeeded."""
        if self.runner_busy_here():
            return
        self.clear_errors()
        if not self.validate_all():
            self.focus_first_error()
            return
        self.run_operation(self.collect())

    def run_operation(self, data: Any, progress: str | None = None) -> None:
        """Run the operation on the input as a write: busy meanwhile (with a progress dialog saying
        `progress` when it takes long), close on success, the refusal shown beside its field."""
        write, changed = self.operation(data), self.changed

        def reported() -> Any:
            result = write()
            if isinstance(getattr(result, "changes", None), Changes) or isinstance(result, OpResult):
                return result
            return OpResult(result, changed(data, result))

        self.set_busy(True)
        write_op = op(self, reported, self.runner, getattr(self, "ledger", None))
        if progress is not None:
            write_op.progress(progress)
        write_op.success(self._succeeded).failure(self._refused).run(initiator=self)

    def runner_busy_here(self) -> bool:
        """Whether this dialog is already saving."""
        return not self.buttons.isEnabled()

    def set_busy(self, busy: bool) -> None:
        """Disable the buttons while the operation runs."""
        self.buttons.setEnabled(not busy)

    def focus_first_error(self) -> None:
        """Put the cursor in the first field that has an error."""
        for field in self.fields.values():
            if field.error.text():
                field.editor.setFocus()
                return

    def _succeeded(self, result: Any) -> None:
        """Done: hand the result over and close."""
        self.set_busy(False)
        self.result_value = result
        self.succeeded.emit(result)
        super().accept()

    def _refused(self, error: BaseException) -> None:
        """Not done: say why beside the field concerned; the dialog stays open."""
        self.set_busy(False)
        self.show_error(error)

    def retranslate(self) -> None:
        """Set every visible string in the interface language (subclasses extend)."""
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        save.setText(self.tr("保存(&S)"))
        cancel.setText(self.tr("取消"))
