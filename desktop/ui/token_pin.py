"""The USB key's PIN asked for in the window when a signature needs it.

Signatures are made on the runner's worker thread (printing a document, exporting a sync file). When
the office signs on a USB key (PKCS#11) and no token session is open, the core asks its PIN source;
in the window that is `TokenPinPrompt.pin_for`, which shows `TokenPinDialog` on the GUI thread and
waits for the clerk's answer. The PIN goes to the token and stays in the core's memory with the
open session (desktop.core.keystore.pkcs11); the dialog forgets it when it closes.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QWidget

from desktop.ui.layout import Retranslating, heading, line_edit, vbox


class TokenPinDialog(Retranslating, QDialog):
    """The PIN of the USB key with this label."""

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.token_label = label
        self.title = heading(2)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.pin_label = QLabel()
        self.pin = line_edit(64, 16)
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_label.setBuddy(self.pin)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.setLayout(vbox(self.title, self.intro, self.pin_label, self.pin, self.buttons, margin=16, spacing=10))
        self.setMinimumWidth(400)
        self.retranslate()
        self.pin.setFocus()

    def retranslate(self) -> None:
        """Set every visible string in the interface language."""
        self.setWindowTitle(self.tr("USB Key PIN — 社保经办桌面"))
        self.title.setText(self.tr("请输入 USB Key 的 PIN"))
        self.intro.setText(self.tr("本机构的签名密钥在 USB Key“{label}”上。签名（出具文书、导出同步文件）需要其 PIN；"
                                   "多次输错会锁定 USB Key。").format(label=self.token_label))
        self.pin_label.setText(self.tr("PIN(&P)"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("确定(&O)"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))


class TokenPinPrompt(QObject):
    """The window's PIN source for USB keys: `install()` makes the core ask it."""

    _asked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._window = parent
        self._answered = threading.Event()
        self._answer: str | None = None
        self._closing = False
        self.dialog: TokenPinDialog | None = None
        self._asked.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def install(self) -> None:
        """Ask this prompt whenever a signature needs a USB key's PIN."""
        from desktop.core.keystore import pkcs11  # (loaded with the database, not at start)

        pkcs11.set_pin_source(self.pin_for)

    def close(self) -> None:
        """The window is closing: a signature still waiting gets no PIN (and is refused)."""
        self._closing = True
        self._answer = None
        self._answered.set()
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            try:
                dialog.reject()
            except RuntimeError:  # already deleted with the window
                pass

    def pin_for(self, label: str) -> str | None:
        """The PIN the clerk types (None: cancelled). Called on the worker thread; on the GUI thread
        itself nothing can be asked (it would wait for itself), so no PIN."""
        if self._closing or threading.current_thread() is threading.main_thread():  # the GUI thread
            return None
        self._answered.clear()
        self._answer = None
        self._asked.emit(label)
        while not self._answered.wait(0.2):
            if self._closing:
                return None
        return self._answer

    def _show(self, label: str) -> None:
        if self._closing:
            self._answered.set()
            return
        dialog = TokenPinDialog(label, self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._finished)
        self.dialog = dialog
        dialog.open()

    def _finished(self, result: int) -> None:
        dialog = self.dialog
        self.dialog = None
        if dialog is not None:
            self._answer = dialog.pin.text() if result == QDialog.DialogCode.Accepted and dialog.pin.text() else None
            dialog.pin.clear()
        self._answered.set()
