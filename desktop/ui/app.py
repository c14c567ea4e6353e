"""Starting the application: the Qt application and the counter window at once, then the office
database opened behind it on the runner (migrated after a backup, with progress shown; created
on first run). The window takes keys at once; a search typed meanwhile runs when the database is
open. The check for damage (SQLite's quick_check, which reads every page: minutes on a county's
years) runs on a thread of its own beside the work, shown in the status bar; damage found offers
the restore or a read-only start, at once if the clerk works already.

SIGINT (Ctrl+C in the terminal that started it) and SIGTERM end it as closing the window does, with
exit code 0. `--picture FILE` saves a picture of the screen a few seconds after the window shows
(the demo does this on a virtual screen nobody sees, Xvfb)."""

from __future__ import annotations

import argparse
import os
import signal
import socket
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal
from PySide6.QtGui import QFont, QPixmap
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop import __version__
from desktop.core.errors import DatabaseDamaged, ShebaoError
from desktop.core.store.health import CheckCancelled, Health
from desktop.ui import i18n
from desktop.ui.operations import query
from desktop.ui.runner import Runner
from desktop.ui.token_pin import TokenPinPrompt
from desktop.ui.window import MainWindow

if TYPE_CHECKING:
    from desktop.core.ledger import Ledger

__all__ = ["MainWindow", "Startup", "main", "make_app", "quit_on_signals", "save_screen"]

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


class StartCheck(QObject):
    """SQLite's quick_check of the office database on a thread of its own, beside the clerk's work
    (it reads every page: about 3 s a GB, minutes for a county's years). `finished(health, error)`
    comes on the GUI thread; closing the ledger stops it (`Ledger.stop_checks`: CheckCancelled)."""

    finished = Signal(object, object)

    def __init__(self, ledger: Ledger, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.worker = threading.Thread(target=self._run, name="start-check", daemon=True)

    def start(self) -> None:
        self.worker.start()

    def _run(self) -> None:
        try:
            health = self.ledger.check()
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread, which says what it was
            self.finished.emit(None, exc)
            return
        self.finished.emit(health, None)

    @property
    def running(self) -> bool:
        return self.worker.is_alive()


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
        self.pin_prompt: TokenPinPrompt | None = None
        self.dialog: Any = None
        self.stages: list[str] = []
        self.health: Health | None = None  # the startup check's finding (None: not known yet, or stopped)
        self.check: StartCheck | None = None
        self._attached = False  # the window works on the ledger
        self._damage_offered = False  # the damage dialog has been shown for the damage known
        self._restore_connected = False

    def start(self) -> None:
        """Open (back up, migrate) the database in the background and show the window meanwhile."""
        labels = {"backup": self.tr("正在备份数据库（升级前的副本）…"),
                  "migrate": self.tr("正在升级数据库结构…"),
                  "compact": self.tr("正在收回升级后空出的磁盘空间…")}
        factory = self.ledger_factory

        def open_ledger(task: Any) -> Ledger:
            """Open the ledger, reporting backup and migration steps."""
            def progress(stage: str) -> None:
                """Show a named step of opening."""
                self.stages.append(stage)
                task.stage(labels.get(stage, stage))

            if factory is not None:
                ledger = factory(self.target, progress=progress, steps=task.progress)
            else:
                from desktop.core.ledger import Ledger

                # the check for damage runs beside the work, once the database is open (`_opened`)
                ledger = Ledger.open(self.target, progress=progress, check=False, steps=task.progress)
            if ledger.damage is None:
                ledger.hold_locks()  # before any file dialog can make this process lose its own
            from desktop.core.keystore import pkcs11  # noqa: F401 - loaded here, not before the window shows

            return ledger

        from desktop.core.quick_search import QuickSearch

        quick = QuickSearch.open(self.target)  # a search typed before the ledger opens: from the file
        task = self.runner.run_task(open_ledger, self._opened, self.tr("正在打开数据库…"),
                                    cancellable=False, quiet=True)
        self.window = MainWindow(None, self.runner)
        if quick is not None:
            self.window.search.attach_quick(quick)
        self.pin_prompt = TokenPinPrompt(self.window)  # a signature on a USB key asks its PIN here,
        # from when the database is open (`_opened`: nothing is signed before)
        self.window.ready.connect(lambda: self.window_ready.emit(self.window))
        task.dialog_parent = self.window  # a backup or migration is shown over the window
        self.window.show()
        self.window.focus_search()

    def _opened(self, ledger: Ledger | None, error: BaseException | None) -> None:
        """The database is open: on to signing in, with the check for damage running beside (the
        window's status bar shows it; damage found is offered as when the file would not open)."""
        if self.pin_prompt is not None:
            self.pin_prompt.install()
        if error is not None:
            self._fail(error)
            return
        assert ledger is not None  # no error: the open task returned it
        self.ledger = ledger
        if ledger.damage is None:  # (SQLite refused it while opening, "not a database": known already)
            self.check = StartCheck(ledger, self)
            self.check.finished.connect(self._checked_beside)
            if self.window is not None:
                self.window.show_checking(True)
            self.check.start()
        else:
            self.health = ledger.damage
        self._ask_accounts()

    def _checked_beside(self, health: Health | None, error: BaseException | None) -> None:
        """The start's check ended: damage found is offered now if the window works already (else
        when signed in); stopped (the ledger closed for a restore or at exit) means nothing."""
        if self.window is not None:
            self.window.show_checking(False)
        if isinstance(error, CheckCancelled):
            return
        if error is not None:
            if self.window is not None:
                self.window.check_failed(lambda: self.tr("数据库检查未能完成：") + i18n.message(error))
            return
        assert health is not None
        self.health = health
        if not health.ok and self._attached:
            if self.window is not None:
                self.window.damage_found()
            if not self._damage_offered:
                self._offer_damage()

    def _ask_accounts(self) -> None:
        assert self.ledger is not None
        # the accounts cannot be read: nobody can sign in
        query(self, self.ledger.users.has_accounts, self.runner).success(self._accounts_checked) \
            .failure(self._unless_damaged(self._signed_in)).run()

    def _unless_damaged(self, then: Callable[[], None]) -> Callable[[BaseException], None]:
        """A failure handler: a damaged database goes on with `then`, any other error stops."""

        def failed(error: BaseException) -> None:
            if isinstance(error, DatabaseDamaged):
                then()
            else:
                self._fail(error)

        return failed

    def _accounts_checked(self, has_accounts: bool) -> None:
        """Once the office has accounts, nobody works without signing in first."""
        assert self.ledger is not None
        if not has_accounts or self.ledger.actor is not None:
            self._signed_in()
            return
        from desktop.ui.signin_dialog import SignInDialog

        self.dialog = SignInDialog(self.ledger, self.runner, self.window)
        self.dialog.signed_in.connect(lambda _account: self._signed_in())
        self.dialog.rejected.connect(lambda: self.failed.emit(5))
        self.dialog.open()

    def _signed_in(self) -> None:
        """Signed in (or no accounts): a damaged database first asks what to do."""
        assert self.ledger is not None
        if self.ledger.damage is not None:
            self._offer_damage()
            return
        self._look_for_office()

    def _offer_damage(self) -> None:
        """The damage dialog: restore from a backup, or work read-only (the window opens again on the
        ledger, read-only)."""
        from desktop.ui.damage_dialog import DamageDialog

        assert self.ledger is not None and self.ledger.damage is not None
        self._damage_offered = True
        self.dialog = DamageDialog(self.ledger, self.runner, self.ledger.damage, self.window)
        self.dialog.restored.connect(lambda _result: self._restored())
        self.dialog.read_only.connect(self._look_for_office)
        self.dialog.open()

    def _restored(self) -> None:
        """Restored: the restored data's accounts apply (the restorer goes on when it has one);
        the sound database's locks are now held by a guard, as on a normal start."""
        ledger = self.ledger
        assert ledger is not None
        self._damage_offered = False
        query(self, lambda: ledger.hold_locks() if ledger.damage is None else False, self.runner) \
            .failure(lambda _error: None).run()
        self._ask_accounts()

    def _look_for_office(self) -> None:
        assert self.ledger is not None
        # opened read-only, and not even the office reads: the window shows the damage
        query(self, self.ledger.office.exists, self.runner).success(self._checked) \
            .failure(self._unless_damaged(self._show_window)).run()

    def _checked(self, exists: bool) -> None:
        """Attach the database to the window, asking for the office first on a new one (and, before
        its first keys are made, for the passphrase of a key store still to be set up)."""
        if exists:
            self._show_window()
            return
        assert self.ledger is not None
        query(self, self.ledger.office.keys_locked, self.runner).success(self._before_office) \
            .failure(lambda _error: self._ask_office()).run()

    def _before_office(self, state: str | None) -> None:
        if state != "new":
            self._ask_office()
            return
        from desktop.ui.key_dialog import KeyPassphraseDialog

        assert self.ledger is not None
        self.dialog = KeyPassphraseDialog(self.ledger, self.runner, True, self.window)
        self.dialog.finished.connect(lambda _result: self._ask_office())
        self.dialog.open()

    def _ask_office(self) -> None:
        from desktop.core.store.engine import database_url
        from desktop.ui.office_dialog import OfficeDialog

        assert self.ledger is not None
        self.dialog = OfficeDialog(self.ledger, self.runner, database_url(self.target), self.window)
        self.dialog.succeeded.connect(lambda _office: self._show_window())
        self.dialog.rejected.connect(lambda: self.failed.emit(1))
        self.dialog.open()

    def _show_window(self) -> None:
        """Let the window work on the open database (again after a restore from its menu)."""
        assert self.ledger is not None and self.window is not None
        if not self._restore_connected:
            self.window.database_restored.connect(lambda _result: self._restored())
            self._restore_connected = True
        self.window.attach(self.ledger)
        self._attached = True
        if self.ledger.damage is not None and not self._damage_offered:  # found while signing in
            self._offer_damage()
            return
        self._ask_key_passphrase()

    def _ask_key_passphrase(self) -> None:
        """An administrator (or anyone, before the office has accounts) is asked for the key store's
        passphrase when nothing else gives it; anyone else works without the office's keys."""
        from desktop.core.security import ADMIN

        ledger = self.ledger
        assert ledger is not None
        if ledger.damage is not None or (ledger.actor is not None and ledger.actor.role not in ADMIN):
            return
        query(self, ledger.office.keys_locked, self.runner).success(self._keys_known) \
            .failure(lambda _error: None).run()

    def _keys_known(self, state: str | None) -> None:
        if state is None:
            return
        from desktop.ui.key_dialog import KeyPassphraseDialog

        assert self.ledger is not None
        self.dialog = KeyPassphraseDialog(self.ledger, self.runner, state == "new", self.window)
        self.dialog.open()

    def _fail(self, error: BaseException) -> None:
        """Say why the database could not be opened and end the application."""
        QMessageBox.critical(self.window, self.tr("社保经办桌面"), i18n.message(error))
        self.failed.emit(error.exit_code if isinstance(error, ShebaoError) else 1)


def list_printers(qt_args: list[str]) -> int:
    """Print the printer names Qt sees, one JSON list on one line."""
    import json

    from PySide6.QtGui import QGuiApplication
    from PySide6.QtPrintSupport import QPrinterInfo

    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0], *qt_args])
    print(json.dumps([str(n) for n in QPrinterInfo.availablePrinterNames()], ensure_ascii=False))
    del app
    return 0


def _screenshot_then_quit(out: Path, then: Callable[[MainWindow], None] | None
                          ) -> Callable[[MainWindow], None]:
    """Once the window is ready: let it paint, save its picture to `out`, close it (the exit code
    is 0 when the picture was written)."""

    def ready(window: MainWindow) -> None:
        if then is not None:
            then(window)
        timer = QTimer(window)
        timer.setSingleShot(True)

        def shoot() -> None:
            out.parent.mkdir(parents=True, exist_ok=True)
            saved = window.grab().save(str(out), "PNG")
            print(f"{out}" if saved else f"could not write {out}", file=sys.stderr)
            QApplication.exit(0 if saved else 1)

        timer.timeout.connect(shoot)
        timer.start(800)

    return ready


@contextmanager
def quit_on_signals(app: QApplication) -> Iterator[None]:
    """While inside: SIGINT and SIGTERM leave the event loop (exit code 0), so the database is closed
    and its lock guard ended as when the window is closed, with no traceback.

    `exit`, not `quit`: quit would first close every window, and a sign-in dialog closed so ends
    the program with its own exit code. Python runs a signal's handler only between bytecodes, and
    Qt's loop runs none while it waits: the signal's byte on the wake-up socket wakes the loop, whose
    Python slot then lets it run.
    Outside the main thread (where signals cannot be caught) nothing changes.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read)

    def drain() -> None:
        """Empty the wake-up socket (the handler itself has run by now)."""
        try:
            while reader.recv(64):
                pass
        except OSError:
            pass

    notifier.activated.connect(drain)
    previous_fd = signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
    previous = {number: signal.signal(number, lambda _number, _frame: app.exit(0))
                for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        signal.set_wakeup_fd(previous_fd)
        notifier.setEnabled(False)
        notifier.deleteLater()
        reader.close()
        writer.close()


def save_screen(window: QWidget, path: Path) -> bool:
    """Save what the screen shows (the window and any dialog over it) as a PNG, written whole or not at
    all; on a platform with no screen to grab (offscreen) the window alone. False when it failed."""
    screen = window.screen()
    picture = screen.grabWindow(0) if screen is not None else QPixmap()
    if picture.isNull():
        picture = window.grab()
    part = path.with_name(path.name + ".part")
    if not picture.save(str(part), "PNG"):
        return False
    os.replace(part, path)
    return True


def screenshot_later(window: QWidget, path: Path, seconds: float) -> QTimer:
    """A timer of the window's that saves the screen to path once, seconds after it starts."""
    timer = QTimer(window)
    timer.setSingleShot(True)
    timer.timeout.connect(lambda: save_screen(window, path))
    timer.start(max(0, int(seconds * 1000)))
    return timer


def main(argv: list[str] | None = None,
         on_ready: Callable[[MainWindow], None] | None = None) -> int:
    """Open the window on the office database (--db, SHEBAO_DB or the default)."""
    parser = argparse.ArgumentParser(prog="python -m desktop")
    parser.add_argument("--db", help="SQLite file or database URL")
    parser.add_argument("--lang", choices=sorted(i18n.LANGUAGES), help="interface language")
    parser.add_argument("--version", action="version", version=f"shebao-desk {__version__}")
    parser.add_argument("--printers", action="store_true",
                        help="print the printers Qt sees as a JSON list and exit (for shebao doctor)")
    parser.add_argument("--screenshot", metavar="FILE.png",
                        help="open the window, save a picture of it to FILE.png once it is ready, and exit "
                             "(for installation checks)")
    parser.add_argument("--picture", metavar="PNG", type=Path,
                        help="save a picture of the screen a few seconds after the window shows, and go on")
    parser.add_argument("--picture-after", metavar="SECONDS", type=float, default=3.0)
    args, qt_args = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    if args.printers:
        return list_printers(qt_args)
    if args.screenshot:
        on_ready = _screenshot_then_quit(Path(args.screenshot), on_ready)
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
    if args.picture is not None and startup.window is not None:
        screenshot_later(startup.window, args.picture.expanduser(), args.picture_after)
    with quit_on_signals(app):
        code = app.exec()
    if startup.pin_prompt is not None:
        startup.pin_prompt.close()  # a signature waiting for a USB key's PIN gets none
    if startup.ledger is not None:
        runner.run(startup.ledger.close)  # on the worker, so its own connection is closed too
    runner.wait()
    tokens = sys.modules.get("desktop.core.keystore.pkcs11")  # (not loaded: no session to close)
    if tokens is not None:
        tokens.close_all()  # USB key sessions closed: logged out, the PIN forgotten
    if startup.ledger is not None:
        startup.ledger.release_locks()  # last: after every connection of this process is closed
    return exit_code[0] or int(code)
