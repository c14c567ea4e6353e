"""Signing the window out after the office's idle time without key or mouse input: what was shown of
people is cleared, the account is signed out and the sign-in dialog asks again (the same or another
account goes on in the same window)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from desktop.ui.operations import query

if TYPE_CHECKING:
    from desktop.ui.signin_dialog import SignInDialog
    from desktop.ui.window import MainWindow

# What counts as someone at the counter: keys, mouse buttons and movement, the wheel, touch.
INPUT = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                   QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.InputMethod})


class IdleSignOut(QObject):
    """Watches the application's input (an event filter on it, installed while a timeout is set) and
    signs the window out when its timer runs out. The time is the office's setting, read after every
    sign-in (`OfficeService.idle_seconds`; 0: never)."""

    signed_out = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.sign_out)
        self.dialog: SignInDialog | None = None
        self._filtering = False

    def configure(self) -> None:
        """Read the office's idle time for the account now signed in and start watching (nothing
        to watch while nobody is signed in: an office without accounts, a damaged database)."""
        ledger = self.window.ledger
        if ledger is None or ledger.actor is None:
            self.stop()
            return
        query(self.window, ledger.office.idle_seconds, self.window.runner).success(self._start) \
            .failure(lambda _error: self.stop()).run()

    def _start(self, seconds: Decimal) -> None:
        ms = int(seconds * 1000)
        ledger = self.window.ledger
        if ms <= 0 or ledger is None or ledger.actor is None:
            self.stop()
            return
        self.timer.setInterval(ms)
        app = QApplication.instance()
        if not self._filtering and app is not None:
            app.installEventFilter(self)
            self._filtering = True
        self.timer.start()

    def stop(self) -> None:
        """Stop watching (the window closes, or nobody is signed in)."""
        self.timer.stop()
        app = QApplication.instance()
        if self._filtering and app is not None:
            app.removeEventFilter(self)
        self._filtering = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Any input starts the time again; nothing is taken away from the widget it is for."""
        if event.type() in INPUT and self.timer.isActive():
            self.timer.start()
        return False

    def sign_out(self) -> None:
        """Clear the people shown, sign out (on the runner, after work already queued) and ask
        for a sign-in again."""
        window = self.window
        ledger = window.ledger
        self.stop()
        if ledger is None or ledger.actor is None:
            return
        window.forget_people()
        window.runner.run(ledger.sign_out, self._signed_out)

    def _signed_out(self, _result: Any, _error: BaseException | None) -> None:
        from desktop.ui.signin_dialog import SignInDialog

        window = self.window
        ledger = window.ledger
        self.signed_out.emit()
        if ledger is None:
            return
        self.dialog = SignInDialog(ledger, window.runner, window)
        self.dialog.signed_in.connect(lambda _account: self._signed_in())
        self.dialog.rejected.connect(window.close)
        self.dialog.open()

    def _signed_in(self) -> None:
        """Signed in again (the same or another account): the window works for it."""
        ledger = self.window.ledger
        self.dialog = None
        if ledger is not None:
            self.window.attach(ledger)
