"""One background runner: database work runs off the GUI thread, results come back by signal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Signals(QObject):
    done = Signal(object, object)  # (result, error)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], signals: _Signals) -> None:
        super().__init__()
        self.fn = fn
        self.signals = signals

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # noqa: BLE001 - handed to the GUI thread to show
            self.signals.done.emit(None, exc)
        else:
            self.signals.done.emit(result, None)


class Runner(QObject):
    """Runs one database call at a time on a single worker thread (Anki's CollectionOp idea)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._keep: set[_Signals] = set()

    def run(self, fn: Callable[[], Any], on_done: Callable[[Any, BaseException | None], None]) -> None:
        """Run fn on the worker; on_done(result, error) runs on the GUI thread."""
        signals = _Signals()
        self._keep.add(signals)

        def finished(result: Any, error: Any) -> None:
            self._keep.discard(signals)
            on_done(result, error)

        signals.done.connect(finished)
        self.pool.start(_Job(fn, signals))

    def wait(self) -> None:
        """Block until queued work is done (used when closing)."""
        self.pool.waitForDone()
