"""Starting the application: the Qt application and the counter window at once, then the office
database opened behind it on the runner (migrated after a backup, with progress shown; created
on first run). The window takes keys at once; a search typed meanwhile runs when the database is
open."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.core.errors import ShebaoError
from desktop.ui import i18n
from desktop.ui.runner import Runner
from desktop.ui.window import MainWindow

if TYPE_CHECKING:
    from desktop.core.ledger import Ledger

__all__ = ["MainWindow", "Startup", "main", "make_app"]

FONT_FAMILIES = ["Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans CJK SC", "PingFang SC"]


def make_app(argv: list[str] | None = None) -> QApplication:
    """The Qt application with its names, a CJK font and the saved language."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv or [sys.argv[0]])
    app.setOrganizationName("ShebaoDesk")
    app.setApplicationName("ShebaoDesk")
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSizeF(10.5)
    app.setFont(font)
    i18n.apply(i18n.saved_language(), remember=False)
    return app


class Startup(QObject):
    """Opens the database on the runner, asks for the office on first run, then shows the window."""

    window_ready = Signal(object)
    failed = Signal(int)

    def __init__(self, target: str | os.PathLike[str] | None, runner: Runner,
                 ledger_factory: Callable[..., Ledger] | None = None) -> None:
        super().__init__()
        self.target = target
        self.runner = runner
        self.ledger_factory = ledger_factory
        self.ledger: Ledger | None = None
        self.window: MainWindow | None = None
        self.dialog: Any = None
        self.stages: list[str] = []

    def start(self) -> None:
        """Open (back up, migrate) the database in the background and show the window meanwhile."""
        labels = {"backup": self.tr("正在备份数据库（升级前的副本）…"),
                  "migrate": self.tr("正在升级数据库结构…")}
        factory = self.ledger_factory

        def open_ledger(task: Any) -> Ledger:
            """Open the ledger, reporting backup and migration steps."""
            def progress(stage: str) -> None:
                """Show a named step of opening."""
                self.stages.append(stage)
                task.stage(labels.get(stage, stage))

            if factory is not None:
                ledger = factory(self.target, progress=progress)
            else:
                from desktop.core.ledger import Ledger

                ledger = Ledger.open(self.target, progress=progress)
            ledger.hold_locks()  # before any file dialog can make this process lose its own
            return ledger

        task = self.runner.run_task(open_ledger, self._opened, self.tr("正在打开数据库…"),
                                    cancellable=False, quiet=True)
        self.window = MainWindow(None, self.runner)
        self.window.ready.connect(lambda: self.window_ready.emit(self.window))
        task.dialog_parent = self.window  # a backup or migration is shown over the window
        self.window.show()
        self.window.focus_search()

    def _opened(self, ledger: Any, error: BaseException | None) -> None:
        """The database is open: check that it has an office."""
        if error is not None:
            self._fail(error)
            return
        self.ledger = ledger
        self.runner.run(ledger.users.has_accounts, self._accounts_checked)

    def _accounts_checked(self, has_accounts: Any, error: BaseException | None) -> None:
        """Once the office has accounts, nobody works without signing in first."""
        if error is not None:
            self._fail(error)
            return
        assert self.ledger is not None
        if not has_accounts:
            self.runner.run(self.ledger.office.exists, self._checked)
            return
        from desktop.ui.signin_dialog import SignInDialog

        ledger = self.ledger
        self.dialog = SignInDialog(ledger, self.runner, self.window)
        self.dialog.signed_in.connect(lambda _account: self.runner.run(ledger.office.exists, self._checked))
        self.dialog.rejected.connect(lambda: self.failed.emit(5))
        self.dialog.open()

    def _checked(self, exists: Any, error: BaseException | None) -> None:
        """Attach the database to the window, asking for the office first on a new one."""
        if error is not None:
            self._fail(error)
            return
        if exists:
            self._show_window()
            return
        from desktop.core.store.engine import database_url
        from desktop.ui.office_dialog import OfficeDialog

        assert self.ledger is not None
        self.dialog = OfficeDialog(self.ledger, self.runner, database_url(self.target), self.window)
        self.dialog.succeeded.connect(lambda _office: self._show_window())
        self.dialog.rejected.connect(lambda: self.failed.emit(1))
        self.dialog.open()

    def _show_window(self) -> None:
        """Let the window work on the open database."""
        assert self.ledger is not None and self.window is not None
        self.window.attach(self.ledger)

    def _fail(self, error: BaseException) -> None:
        """Say why the database could not be opened and end the application."""
        QMessageBox.critical(self.window, self.tr("社保经办桌面"), i18n.message(error))
        self.failed.emit(error.exit_code if isinstance(error, ShebaoError) else 1)


def main(argv: list[str] | None = None,
         on_ready: Callable[[MainWindow], None] | None = None) -> int:
    """Open the window on the office database (--db, SHEBAO_DB or the default)."""
    parser = argparse.ArgumentParser(prog="python -m desktop")
    parser.add_argument("--db", help="SQLite file or database URL")
    parser.add_argument("--lang", choices=sorted(i18n.LANGUAGES), help="interface language")
    args, qt_args = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    app = make_app([sys.argv[0], *qt_args])
    if args.lang:
        i18n.apply(args.lang)
    runner = Runner()
    startup = Startup(Path(args.db).expanduser() if args.db and "://" not in args.db else args.db,
                      runner)
    exit_code = [0]

    def failed(code: int) -> None:
        """Remember the exit code and leave the event loop."""
        exit_code[0] = code
        app.exit(code)

    startup.failed.connect(failed)
    if on_ready is not None:
        startup.window_ready.connect(on_ready)
    startup.start()
    code = app.exec()
    if startup.ledger is not None:
        runner.run(startup.ledger.close)  # on the worker, so its own connection is closed too
    runner.wait()
    if startup.ledger is not None:
        startup.ledger.release_locks()  # last: after every connection of this process is closed
    return exit_code[0] or int(code)
