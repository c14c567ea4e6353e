"""The progress dialog of a long task (made by the runner only when it is to be shown)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QWidget


class ProgressDialog(QProgressDialog):
    """The progress of one long task; shown only when the task takes a while."""

    def __init__(self, label: str, cancellable: bool, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("请稍候"))
        self.setLabelText(label)
        self.setRange(0, 0)
        self.setMinimumDuration(2**30)  # shown by the runner's own timer, never by Qt's guess
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(360)
        self._cancellable = cancellable
        self._finished = False
        if self._cancellable:
            self.setCancelButtonText(self.tr("取消"))
        else:
            self.setCancelButton(None)

    def set_progress(self, done: int, total: int) -> None:
        """Show done out of total."""
        if total > 0:
            self.setRange(0, total)
            self.setValue(min(done, total))

    def set_stage(self, text: str) -> None:
        """Show a named step at once."""
        self.setLabelText(text)
        self.show_now()

    def show_cancelling(self) -> None:
        """Say the cancel request was heard while the task winds down."""
        if not self._finished:
            self.setLabelText(self.tr("正在取消…"))
            self.show()

    def show_now(self) -> None:
        """Show the dialog unless the task is already over."""
        if not self._finished:
            self.show()

    def finish(self) -> None:
        """Close for good."""
        self._finished = True
        self.hide()
        self.deleteLater()
