"""Typed operations on the runner: writes that broadcast what they changed, reads that only read.

    op(self, lambda: ledger.contributions.record(...)).success(self._recorded).run(initiator=self)
    query(self, lambda: ledger.accounts.statement(key)).success(self._show).run()

The function runs on the runner's worker thread; `success(result)` or `failure(error)` runs on the
GUI thread afterwards (Anki's `CollectionOp` and `QueryOp`). Without a failure callback the error is
shown where the parent shows errors: a form dialog beside the field or in its error line, the window
in its status line. An error that is not a `ShebaoError` is a bug: whoever handles it, it is also
written with its traceback to the error log (personal numbers masked).

After a write succeeds, the runner's `changes_made` signal carries an `Applied`: the `Changes` the
service reported (a result's `changes` attribute, or an `OpResult`), who asked, and the change marks
the write moved, so the window knows the move was its own. Each view then refreshes what it shows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from desktop.core.changes import NOTHING, Changes
from desktop.core.errors import ShebaoError
from desktop.ui import i18n
from desktop.ui.runner import Runner, Task

if TYPE_CHECKING:
    from desktop.core.ledger import Ledger

T = TypeVar("T")
log = logging.getLogger("desktop.ui")

LOG_NAME = "shebao-desk.log"
LOG_BYTES = 1_000_000
LOG_BACKUPS = 5


@dataclass(frozen=True)
class OpResult(Generic[T]):
    """A result and what producing it changed, for a service whose result cannot carry them."""

    result: T
    changes: Changes


@dataclass(frozen=True)
class Applied:
    """A successful write as the views hear of it."""

    changes: Changes
    initiator: object | None = None  # the view that asked (it may have refreshed itself already)
    written: tuple[tuple[int, int], ...] = ()  # change marks moved: (before, after) per transaction


def changes_of(result: Any, unsaid: Changes = NOTHING) -> Changes:
    """What a service's result says it changed (`unsaid` when it does not say)."""
    changes = getattr(result, "changes", None)
    return changes if isinstance(changes, Changes) else unsaid


# -- the error log ------------------------------------------------------------------------------


def error_log_file() -> Path:
    """The rotating log file of unexpected errors (in the user data folder)."""
    from desktop.core.paths import log_dir

    return log_dir() / LOG_NAME


def _log_handler() -> RotatingFileHandler:
    """The file handler on the `desktop.ui` logger, made (or moved to the current folder) on use."""
    path = error_log_file()
    for handler in log.handlers:
        if isinstance(handler, RotatingFileHandler):
            if Path(handler.baseFilename) == path.resolve():
                return handler
            log.removeHandler(handler)
            handler.close()
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8",
                                  delay=True)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.WARNING)
    log.addHandler(handler)
    if log.level == logging.NOTSET or log.level > logging.WARNING:
        log.setLevel(logging.WARNING)
    from desktop.core.privacy import protect_logging

    protect_logging(log)  # ID and phone numbers are masked before the handler writes
    return handler


def log_unexpected(error: BaseException, what: str = "") -> None:
    """Write an unexpected error with its traceback to the error log."""
    handler = _log_handler()
    log.error("unexpected error%s: %s", f" in {what}" if what else "", f"{type(error).__name__}: {error}",
              exc_info=(type(error), error, error.__traceback__))
    handler.flush()


def show_failure(parent: QObject | None, error: BaseException) -> None:
    """Show an error where the parent shows errors: a form dialog's field or error line, the
    window's status line (looked for up the parents)."""
    target: QObject | None = parent
    while target is not None:
        show_error = getattr(target, "show_error", None)
        if callable(show_error):
            show_error(error)
            return
        show_status = getattr(target, "show_status", None)
        if callable(show_status):
            show_status(lambda: i18n.message(error), error=True)
            return
        target = target.parent()
    log.warning("an error with nowhere to show it: %s", i18n.message(error))


def _found(parent: QObject | None, name: str, kind: type | None = None) -> Any:
    """The first attribute `name` up the parent chain (of the given type)."""
    target = parent
    while target is not None:
        value = getattr(target, name, None)
        if value is not None and (kind is None or isinstance(value, kind)):
            return value
        target = target.parent()
    return None


# -- operations ---------------------------------------------------------------------------------


class _Call(Generic[T]):
    """What an operation and a query share: the function, the callbacks, the runner."""

    def __init__(self, parent: QObject | None, fn: Callable[[], T], runner: Runner | None = None) -> None:
        self.parent = parent
        self.fn = fn
        self.name: str = getattr(fn, "__qualname__", "")  # in the error log
        runner = runner or _found(parent, "runner", Runner)
        if runner is None:
            raise RuntimeError("an operation needs a runner: pass one or a parent that has it")
        self.runner: Runner = runner
        self._success: Callable[[T], Any] | None = None
        self._failure: Callable[[BaseException], Any] | None = None

    def success(self, callback: Callable[[T], Any]) -> _Call[T]:
        """Call back with the result on the GUI thread."""
        self._success = callback
        return self

    def failure(self, callback: Callable[[BaseException], Any]) -> _Call[T]:
        """Handle the error instead of showing it (an unexpected one is logged all the same)."""
        self._failure = callback
        return self

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, ShebaoError):
            log_unexpected(error, self.name)
        if self._failure is not None:
            self._failure(error)
        else:
            show_failure(self.parent, error)


class Op(_Call[T]):
    """A write: on success the runner broadcasts the changes the result reports."""

    def __init__(self, parent: QObject | None, fn: Callable[[], T], runner: Runner | None = None,
                 ledger: Ledger | None = None) -> None:
        super().__init__(parent, fn, runner)
        self.ledger = ledger if ledger is not None else _found(parent, "ledger")
        self._label: str | None = None
        self._cancellable = False
        self._with_task: Callable[[Task], T] | None = None  # a long write that reports progress
        self._changes = NOTHING

    def reports(self, changes: Changes) -> Op[T]:
        """What the write changed when its result does not say (a service that reports nothing)."""
        self._changes = changes
        return self

    def progress(self, label: str) -> Op[T]:
        """Show a progress dialog (after a moment, over the parent) saying what is being done; the
        write cannot be cancelled."""
        self._label = label
        return self

    def success(self, callback: Callable[[T], Any]) -> Op[T]:
        """Call back with the result (an `OpResult`'s inner result) on the GUI thread."""
        super().success(callback)
        return self

    def failure(self, callback: Callable[[BaseException], Any]) -> Op[T]:
        """Handle the error instead of showing it (an unexpected one is logged all the same)."""
        super().failure(callback)
        return self

    def run(self, initiator: object | None = None) -> Task | None:
        """Queue the write on the runner (a write with progress: its task's handle)."""
        fn, with_task, ledger = self.fn, self._with_task, self.ledger
        take = getattr(ledger, "take_written", None)

        def job(task: Task | None = None) -> tuple[Any, tuple[tuple[int, int], ...]]:
            if callable(take):
                take()  # forget writes made by calls that do not report theirs
            result = with_task(task) if with_task is not None and task is not None else fn()
            return result, tuple(take()) if callable(take) else ()

        def done(value: Any, error: BaseException | None) -> None:
            if error is not None:
                self._failed(error)
                return
            result, written = value
            changes = changes_of(result, self._changes)
            if isinstance(result, OpResult):
                result = result.result
            if changes:
                self.runner.changes_made.emit(Applied(changes, initiator, written))
            if self._success is not None:
                self._success(result)

        if self._label is None:
            self.runner.run(job, done)
            return None
        window = self.parent if isinstance(self.parent, QWidget) else None
        return self.runner.run_task(job, done, self._label, window, cancellable=self._cancellable)


class Query(_Call[T]):
    """A read: nothing is broadcast."""

    def success(self, callback: Callable[[T], Any]) -> Query[T]:
        """Call back with the result on the GUI thread."""
        super().success(callback)
        return self

    def failure(self, callback: Callable[[BaseException], Any]) -> Query[T]:
        """Handle the error instead of showing it (an unexpected one is logged all the same)."""
        super().failure(callback)
        return self

    def run(self) -> None:
        """Queue the read on the runner."""

        def done(result: Any, error: BaseException | None) -> None:
            if error is not None:
                self._failed(error)
            elif self._success is not None:
                self._success(result)

        self.runner.run(self.fn, done)


def op(parent: QObject | None, fn: Callable[[], T], runner: Runner | None = None,
       ledger: Ledger | None = None) -> Op[T]:
    """A write through a service; the runner and ledger are found up the parent's chain if not given."""
    return Op(parent, fn, runner, ledger)


def task_op(parent: QObject | None, fn: Callable[[Task], T], label: str, cancellable: bool = True,
            runner: Runner | None = None, ledger: Ledger | None = None) -> Op[T]:
    """A long write that reports its progress through a `Task` (and sees a cancel request): a
    progress dialog saying `label` shows when it takes more than a moment."""

    def untasked() -> T:
        raise RuntimeError("a task operation runs only with its task")

    write = Op(parent, untasked, runner, ledger)
    write._with_task, write._label, write._cancellable = fn, label, cancellable
    write.name = getattr(fn, "__qualname__", "")
    return write


def query(parent: QObject | None, fn: Callable[[], T], runner: Runner | None = None) -> Query[T]:
    """A read through a service."""
    return Query(parent, fn, runner)
