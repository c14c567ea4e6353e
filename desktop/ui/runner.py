"""One background runner: every database call and slow task runs on a single worker thread.

Results come back to the GUI thread by a queued signal. A long task (`run_task`) gets a `Task`
handle to report progress and to see a cancel request; a progress dialog appears when the task is
still running after about half a second (Anki's `progress.py`), and its cancel button is checked by
the service at its next progress report.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from desktop.ui.progress import ProgressDialog

Done = Callable[[Any, BaseException | None], None]


class Task(QObject):
    """A running task's handle: the worker reports progress through it and sees cancel requests."""

    progressed = Signal(int, int)
    staged = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self._cancel = threading.Event()
        self.dialog_parent: QWidget | None = None  # the window its progress dialog belongs to

    def progress(self, done: int, total: int) -> bool:
        """Report progress (from the worker); False once the clerk asked to cancel."""
        self.progressed.emit(int(done), int(total))
        return not self._cancel.is_set()

    def stage(self, text: str) -> None:
        """Report a named step (from the worker), e.g. backing up before a migration."""
        self.staged.emit(text)

    def cancel(self) -> None:
        """Ask the task to stop at its next progress report."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        """Whether cancelling was asked for."""
        return self._cancel.is_set()


class _Signals(QObject):
    """Tells the GUI thread that a job finished. Only the job's number crosses threads: Python
    objects in queued cross-thread signals have crashed the binding (a result is collected from
    the runner's table instead)."""

    done = Signal(int)


class _Job(QRunnable):
    """A function run on the worker thread; the runner holds it until its result is collected."""

    def __init__(self, job_id: int, fn: Callable[[], Any], signals: _Signals,
                 results: dict[int, tuple[Any, BaseException | None]], lock: threading.Lock) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.job_id = job_id
        self.fn = fn
        self.signals = signals
        self.results = results
        self.lock = lock

    def run(self) -> None:
        """Run the function; leave its result or error for the GUI thread."""
        try:
            outcome: tuple[Any, BaseException | None] = (self.fn(), None)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread to show
            outcome = (None, exc)
        with self.lock:
            self.results[self.job_id] = outcome
        self.signals.done.emit(self.job_id)


class _TaskView:
    """A task's progress dialog, made the first time it is to be shown (it usually never is)."""

    def __init__(self, task: Task, label: str, cancellable: bool) -> None:
        self.task = task
        self.label = label
        self.cancellable = cancellable
        self.dialog: ProgressDialog | None = None
        self.last: tuple[int, int] | None = None
        self.finished = False

    def show(self) -> None:
        """Make and show the dialog unless the task is over."""
        if self.finished:
            return
        if self.dialog is None:
            from desktop.ui.progress import ProgressDialog

            self.dialog = ProgressDialog(self.label, self.cancellable, self.task.dialog_parent)
            self.dialog.canceled.connect(self.task.cancel)
            self.dialog.canceled.connect(self.dialog.show_cancelling)
            if self.last is not None:
                self.dialog.set_progress(*self.last)
        self.dialog.show_now()

    def progress(self, done: int, total: int) -> None:
        """Remember and show done out of total."""
        self.last = (done, total)
        if self.dialog is not None:
            self.dialog.set_progress(done, total)

    def stage(self, text: str) -> None:
        """Show a named step at once."""
        self.label = text
        self.show()
        if self.dialog is not None:
            self.dialog.set_stage(text)

    def finish(self) -> None:
        """Close the dialog for good."""
        self.finished = True
        if self.dialog is not None:
            self.dialog.finish()


class Runner(QObject):
    """Runs one call at a time on one long-lived worker thread (Anki's CollectionOp/QueryOp).

    It is also where every view hears of the writes made through it: `changes_made` carries an
    `operations.Applied` (what changed, who asked) after each successful operation (operations.op).
    """

    changes_made = Signal(object)

    def __init__(self, parent: QObject | None = None, dialog_delay_ms: int = 500) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.pool.setExpiryTimeout(-1)  # one thread for good: thread-local connections stay valid
        self.dialog_delay_ms = dialog_delay_ms
        self._ids = itertools.count(1)
        self._callbacks: dict[int, Done | None] = {}
        self._signals = _Signals()
        self._signals.done.connect(self._finished, Qt.ConnectionType.QueuedConnection)
        self._jobs: dict[int, _Job] = {}
        self._looks: set[int] = set()  # jobs that only look (the window's change watch): not "busy"
        self._results: dict[int, tuple[Any, BaseException | None]] = {}
        self._lock = threading.Lock()
        self.active_task: Task | None = None
        self._active_view: _TaskView | None = None

    @property
    def busy(self) -> bool:
        """Whether any job is queued or running (a background look, see run(), does not count)."""
        return any(job_id not in self._looks for job_id in self._callbacks)

    def run(self, fn: Callable[[], Any], on_done: Done | None = None, look: bool = False) -> None:
        """Run fn on the worker; on_done(result, error) runs afterwards on the GUI thread.

        look: a read the window makes on its own (whether the database changed); it queues like
        any job but does not make the runner busy, which means "the clerk's work is running"."""
        job_id = next(self._ids)
        self._callbacks[job_id] = on_done
        if look:
            self._looks.add(job_id)
        job = _Job(job_id, fn, self._signals, self._results, self._lock)
        self._jobs[job_id] = job
        self.pool.start(job)

    def run_task(self, fn: Callable[[Task], Any], on_done: Done | None, label: str,
                 parent: QWidget | None = None, cancellable: bool = True,
                 quiet: bool = False) -> Task:
        """Run fn(task) on the worker with a delayed progress dialog and cooperative cancel.

        The dialog is made only when it is to be shown: after dialog_delay_ms, or at once when
        the task reports a named step. quiet: never for mere slowness, only for a named step.
        """
        task = Task()
        task.dialog_parent = parent
        view = _TaskView(task, label, cancellable)
        task.progressed.connect(view.progress)
        task.staged.connect(view.stage)
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.timeout.connect(view.show)
        if not quiet:
            timer.start(self.dialog_delay_ms)
        self.active_task, self._active_view = task, view

        def finished(result: Any, error: BaseException | None) -> None:
            """Close the progress dialog, then hand over the result."""
            timer.stop()
            view.finish()
            self.active_task = self._active_view = None
            if on_done is not None:
                on_done(result, error)

        self.run(lambda: fn(task), finished)
        return task

    @property
    def active_dialog(self) -> ProgressDialog | None:
        """The progress dialog of the running task, once it has been shown."""
        return self._active_view.dialog if self._active_view is not None else None

    @Slot(int)
    def _finished(self, job_id: int) -> None:
        """Call a finished job's callback on the GUI thread."""
        with self._lock:
            result, error = self._results.pop(job_id, (None, None))
        self._jobs.pop(job_id, None)
        self._looks.discard(job_id)
        callback = self._callbacks.pop(job_id, None)
        if callback is not None:
            callback(result, error)

    def wait(self) -> None:
        """Block until queued work is done (used when closing)."""
        self.pool.waitForDone()
