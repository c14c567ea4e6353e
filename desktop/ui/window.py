"""The counter window: find a person, see their record, act on it. Chinese first, keyboard first."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QProgressBar,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from desktop.ui import files, i18n
from desktop.ui.idle import IdleSignOut
from desktop.ui.layout import Retranslating, heading, vbox
from desktop.ui.operations import Applied, query
from desktop.ui.runner import Runner
from desktop.ui.search import SearchPanel

if TYPE_CHECKING:  # the core's storage is imported on the worker while the window opens
    from desktop.core.ledger import Ledger
    from desktop.core.services.contributions import MonthResult
    from desktop.core.services.office import OfficeInfo
    from desktop.core.services.workers import WorkerInfo
    from desktop.ui.documents import DocumentPreviewDialog
    from desktop.ui.layout import FormDialog
    from desktop.ui.person_page import PersonPage

log = logging.getLogger(__name__)


Message = str | Callable[[], str]

Dialog = TypeVar("Dialog", bound="FormDialog")


class MainWindow(Retranslating, QMainWindow):
    """Search box (focused at start and after every task), results, and the person page."""

    ready = Signal()
    person_shown = Signal(str)
    changed_elsewhere = Signal()  # another window, the command line or a sync import changed data
    database_restored = Signal(object)  # a damaged database was restored from its backup (File menu)
    WATCH_MS = 1500  # how often the window asks whether the database changed

    def __init__(self, ledger: Ledger | None = None, runner: Runner | None = None) -> None:
        super().__init__()
        self.ledger: Ledger | None = None
        self.runner = runner or Runner(self)
        self.office: OfficeInfo | None = None
        self.active_dialog: QDialog | None = None
        self.last_preview: QDialog | None = None
        self.nested_dialog: QDialog | None = None  # a dialog opened over the active one
        self.search = SearchPanel(self.runner)
        self._page: PersonPage | None = None  # made when the first person is opened
        self._saved_tab = 0
        self._mark: int | None = None  # the database's change mark the window last showed
        self._watching = False
        self._lock_loss_logged = False
        self.watch = QTimer(self)
        self.watch.setInterval(self.WATCH_MS)
        self.watch.timeout.connect(self.check_for_changes)
        self.idle = IdleSignOut(self)
        self.welcome_title = heading(4)
        self.welcome = QLabel()
        self.welcome.setWordWrap(True)
        self.welcome.setStyleSheet("color: #555;")
        welcome_page = QWidget()
        welcome_page.setLayout(vbox(1, self.welcome_title, self.welcome, 2, margin=40))
        self.stack = QStackedWidget()
        self.stack.addWidget(welcome_page)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left.setLayout(vbox(self.search, margin=8))
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([380, 900])
        self.setCentralWidget(self.splitter)
        self.status = QLabel()
        self.status.setObjectName("status")
        self._status: Callable[[], str] | None = None
        self.statusBar().addWidget(self.status, 1)
        self.checking = QLabel()  # the start's database check, running beside the work
        self.checking.setObjectName("checking")
        self.checking_bar = QProgressBar()
        self.checking_bar.setRange(0, 0)  # SQLite says nothing of how far it is
        self.checking_bar.setMaximumWidth(90)
        self.checking_bar.setMaximumHeight(12)
        self.checking_bar.setTextVisible(False)
        self.statusBar().addPermanentWidget(self.checking)
        self.statusBar().addPermanentWidget(self.checking_bar)
        self._checking_text: Callable[[], str] = lambda: ""
        self.show_checking(False)
        self.office_label = QLabel()
        self.statusBar().addPermanentWidget(self.office_label)
        self._build_menus()
        self.search.open_requested.connect(self.open_person)
        self.runner.changes_made.connect(self._changes_made)
        self._restore()
        self.retranslate()
        self._enable_ledger_actions(False)
        self.focus_search()
        if ledger is not None:
            self.attach(ledger)

    @property
    def page(self) -> PersonPage:
        """The person page (made on first use, so the window opens sooner)."""
        if self._page is None:
            from desktop.ui.person_page import PersonPage

            self._page = PersonPage(self.runner)
            self._page.history_model.ledger = self.ledger
            self._page.record_requested.connect(self.record_month)
            self._page.exemption_requested.connect(self.open_exemption)
            self._page.print_requested.connect(self.print_statement)
            self._page.transfer_requested.connect(self.open_transfer)
            self._page.temporary_requested.connect(self.open_temporary)
            self._page.opening_requested.connect(self.open_opening)
            self._page.switch_requested.connect(self.open_switch)
            self._page.insured.medical_certificate_requested.connect(self.open_medical_certificate)
            self._page.flexible_requested.connect(self.open_flexible)
            self._page.retirement.print_requested.connect(self.print_estimate)
            self._page.tabs.setCurrentIndex(self._saved_tab)
            self.stack.addWidget(self._page)
        return self._page

    def _tab(self, index: int) -> None:
        """Show a section of the person page, when a person is open."""
        if self._page is not None and self._page.worker is not None:
            self._page.tabs.setCurrentIndex(index)

    def _enable_person_actions(self) -> None:
        """The 参保人 menu's actions: enabled while a person is shown (the history before the record
        began: for supervisors only)."""
        shown = self._page is not None and self._page.worker is not None \
            and self.stack.currentWidget() is self._page and self.ledger is not None
        for act in self.person_actions:
            act.setEnabled(shown)
        self.opening_action.setEnabled(shown and self.supervisor)

    def attach(self, ledger: Ledger) -> None:
        """Work on this (open) ledger: load the office, then enable everything."""
        self.ledger = ledger
        if self._page is not None:
            self._page.history_model.ledger = ledger
        from desktop.core.store.engine import sqlite_file

        database = sqlite_file(ledger.engine)
        if database is not None:
            files.protect(database)
        self._mark = None
        self.recovery_action.setEnabled(ledger.damage is not None)
        query(self, ledger.office.get).success(self._office_loaded).run()
        self.runner.run(ledger.change_mark, self._first_mark, look=True)

    @property
    def read_only(self) -> bool:
        """Whether the database is damaged (then nothing is written; File → 从备份恢复)."""
        return self.ledger is not None and self.ledger.damage is not None

    def damage_found(self) -> None:
        """Damage became known while the window works (the start's check runs beside the work): the
        title, the status line and File → 从备份恢复 say so; the ledger refuses every write."""
        self.recovery_action.setEnabled(self.read_only)
        if self.read_only:
            self.show_status(self._damage_status, error=True)
        self.retranslate()

    def _damage_status(self) -> str:
        return self.tr("数据库已损坏，只读打开：任何修改都不会保存。请选 文件 → 从备份恢复…")

    def open_recovery(self) -> QDialog | None:
        """The damage found and the recovery plan; restore from the newest backup."""
        from desktop.ui.damage_dialog import DamageDialog

        ledger = self.need_ledger()
        if ledger.damage is None:
            return None
        dialog = DamageDialog(ledger, self.runner, ledger.damage, self)
        dialog.restored.connect(self._recovered)
        return self._open_dialog(dialog)

    def _recovered(self, result: Any) -> None:
        """Restored: everything waits for the restored office (signing in again when it asks)."""
        self.recovery_action.setEnabled(False)
        self._enable_ledger_actions(False)
        self.show_status(lambda: self.tr("已从备份恢复"))
        self.retranslate()
        self.database_restored.emit(result)

    @property
    def supervisor(self) -> bool:
        """Whether the one signed in may take a supervisor's steps (anyone while the office has no
        accounts: the core decides then)."""
        from desktop.core.security import SUPERVISE

        actor = self.ledger.actor if self.ledger is not None else None
        return actor is None or actor.role in SUPERVISE

    def need_ledger(self) -> Ledger:
        """The open ledger (the actions that need it are disabled until it is open)."""
        if self.ledger is None:
            raise RuntimeError("the office database is still opening")
        return self.ledger

    def _enable_ledger_actions(self, enabled: bool) -> None:
        """Enable the actions that need the open database."""
        for act in (self.import_action, self.settings_action, self.batch_action, self.coverage_action,
                    self.transfers_action, self.transfer_report_action,
                    self.approvals_action, self.sync_action,
                    self.audit_action, self.register_action, self.doctor_action, self.restore_file_action,
                    self.foreigner_action, self.employer_action):
            act.setEnabled(enabled)
        if not enabled:
            for act in self.person_actions:
                act.setEnabled(False)

    def _build_menus(self) -> None:
        """Menus and their keyboard shortcuts (texts are set in retranslate)."""
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.register_menu = bar.addMenu("")
        self.person_menu = bar.addMenu("")
        self.view_menu = bar.addMenu("")
        self.language_menu = bar.addMenu("")
        self.help_menu = bar.addMenu("")

        def action(menu: Any, slot: Any, shortcut: str | tuple[str, ...] | None = None, name: str = "") -> QAction:
            """A menu action calling slot, with optional shortcuts that work wherever the focus is in
            the window (none of them is a standard editing key, so a text box keeps its own)."""
            act = QAction(self)
            act.setObjectName(name)
            if shortcut:
                keys = (shortcut,) if isinstance(shortcut, str) else shortcut
                act.setShortcuts([QKeySequence(k) for k in keys])
                act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            act.triggered.connect(lambda _checked=False: slot())
            menu.addAction(act)
            self.addAction(act)  # the keys work whether or not the menu bar shows
            return act

        self.import_action = action(self.file_menu, self.choose_import_file, "Ctrl+I", "import")
        self.settings_action = action(self.file_menu, self.open_settings, "Ctrl+,", "settings")
        self.batch_action = action(self.file_menu, self.open_batch_print, None, "batch_print")
        self.coverage_action = action(self.file_menu, self.open_coverage_register, None, "coverage_register")
        self.transfers_action = action(self.file_menu, self.open_transfers, "Ctrl+Shift+T", "transfers")
        self.transfer_report_action = action(self.file_menu, lambda: self.open_transfers(report=True), None,
                                             "transfer_report")
        self.approvals_action = action(self.file_menu, self.open_approvals, None, "approvals")
        self.audit_action = action(self.file_menu, self.open_audit, None, "audit")
        self.sync_action = action(self.file_menu, self.open_sync, "Ctrl+Shift+S", "sync")
        self.recovery_action = action(self.file_menu, self.open_recovery, None, "recovery")
        self.recovery_action.setEnabled(False)
        self.restore_file_action = action(self.file_menu, lambda: self.open_restore_file(), None, "restore_file")
        self.file_menu.addSeparator()
        self.quit_action = action(self.file_menu, self.close, "Ctrl+Q", "quit")
        self.register_action = action(self.register_menu, self.open_register, "Ctrl+N", "register")
        self.foreigner_action = action(self.register_menu, self.open_foreigner, None, "foreigner")
        self.employer_action = action(self.register_menu, self.open_employer, "Ctrl+E", "employer")
        # the person shown: every action of the person page, enabled while a person is shown
        menu = self.person_menu
        self.record_action = action(menu, self.record_month, "Ctrl+M", "record")
        self.flexible_action = action(menu, self.open_flexible, "Ctrl+G", "flexible")
        menu.addSeparator()
        self.statement_action = action(menu, self.print_statement, "Ctrl+P", "print_statement")
        self.transfer_certificate_action = action(menu, self.print_transfer_certificate, "Ctrl+Shift+P",
                                                  "transfer_certificate")
        self.exemption_action = action(menu, self.open_exemption, "Ctrl+Shift+X", "exemption")
        self.medical_certificate_action = action(menu, self.open_medical_certificate, "Ctrl+Shift+M",
                                                 "medical_certificate")
        self.estimate_action = action(menu, self.print_estimate_shown, "Ctrl+Shift+E", "estimate")
        menu.addSeparator()
        self.transfer_action = action(menu, self.open_transfer, "Ctrl+T", "transfer")
        self.temporary_action = action(menu, self.open_temporary, "Ctrl+L", "temporary")
        self.switch_action = action(menu, self.open_switch, "Ctrl+J", "scheme_switch")
        self.opening_action = action(menu, self.open_opening, "Ctrl+H", "opening")
        self.person_actions = (self.record_action, self.flexible_action, self.statement_action,
                               self.transfer_certificate_action, self.exemption_action,
                               self.medical_certificate_action, self.estimate_action, self.transfer_action,
                               self.temporary_action, self.switch_action, self.opening_action)
        for act in self.person_actions:
            act.setEnabled(False)
        self.search_action = action(self.view_menu, self.focus_search, ("Ctrl+F", "Escape"), "search")
        self.view_menu.addSeparator()
        self.section_actions = tuple(action(self.view_menu, lambda i=i: self._tab(i), f"Ctrl+{i + 1}",
                                            f"section_{i + 1}") for i in range(7))
        self.doctor_action = action(self.help_menu, self.open_doctor, None, "doctor")
        self.about_action = action(self.help_menu, self.open_about, None, "about")
        self.languages = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code, name in i18n.LANGUAGES.items():
            act = QAction(name, self, checkable=True)
            act.setObjectName(f"language_{code}")
            act.triggered.connect(lambda _checked=False, c=code: self.set_language(c))
            self.languages.addAction(act)
            self.language_menu.addAction(act)
            self.language_actions[code] = act

    def _office_loaded(self, result: Any) -> None:
        """The database is open: enable everything and search what was typed meanwhile."""
        self.office = result
        assert self.ledger is not None
        self.search.attach(self.ledger)
        self._enable_ledger_actions(True)
        self.recovery_action.setEnabled(self.read_only)  # (damage may have been found since attach)
        if self.read_only:
            self.show_status(self._damage_status, error=True)
        else:
            self.show_status(lambda: self.tr("就绪"))
        self.retranslate()
        if QApplication.activeModalWidget() is None:
            self.focus_search()
        self.watch.start()
        self.idle.configure()
        self.ready.emit()

    # -- changes made elsewhere ---------------------------------------------------------------

    def _first_mark(self, result: Any, error: BaseException | None) -> None:
        """Remember the database's change mark as the window first shows it."""
        if error is None and self._mark is None:
            self._mark = int(result)

    def check_for_changes(self) -> None:
        """Ask (on the worker, when it is idle) whether anyone changed the database."""
        ledger = self.ledger
        if ledger is None or self._watching or self.runner.busy:
            return
        self._watching = True
        self.runner.run(lambda: (ledger.change_mark(), ledger.check_locks()), self._mark_read, look=True)

    def _mark_read(self, result: Any, error: BaseException | None) -> None:
        """Refresh what is shown when the change mark moved since the last look."""
        self._watching = False
        if error is not None:
            log.warning("could not check the database for changes: %s", error)
            return
        mark, locks = result
        if locks.get("own_locks") == 0 and locks.get("guarded") and not self._lock_loss_logged:
            self._lock_loss_logged = True
            log.warning("this window lost its own SQLite locks on the database; the lock guard "
                        "(pid %s) still holds the office's", locks.get("guard_pid"))
        if self._mark is None:
            self._mark = mark
        elif mark != self._mark:
            self._mark = mark
            self.refresh_from_database()

    def refresh_from_database(self) -> None:
        """Show the database as it is now: the search results, the person shown and the open
        list or register, without moving the clerk's cursor."""
        self.search.refresh()
        if self._page is not None and self._page.worker is not None and self.stack.currentWidget() is self._page:
            ledger = self.need_ledger()
            key = self._page.worker.key
            from desktop.ui.person_page import load_person

            query(self, lambda: load_person(ledger, key)).success(self._person_refreshed) \
                .failure(lambda _error: None).run()  # the page stays as it was; the next look tries again
        dialog = self.active_dialog
        reload = getattr(dialog, "refresh_from_database", None) if dialog is not None and dialog.isVisible() \
            else None
        if callable(reload):
            reload()
        self.changed_elsewhere.emit()

    def _person_refreshed(self, result: Any) -> None:
        """Show the person again as stored now (nothing else changes: focus, status, tab)."""
        if self._page is not None and self._page.worker is not None \
                and result.statement.worker.key == self._page.worker.key:
            self.page.set_supervisor(self.supervisor)
            self.page.show_person(result)
            self._enable_person_actions()

    def _changes_made(self, applied: Applied) -> None:
        """A write made here succeeded: take its change marks as seen, and let each view refresh
        what it shows of the changes."""
        mark = self._mark
        for before, after in applied.written:  # the marks moved by this window's own write
            if mark is None or before != mark:
                break  # someone else wrote in between: the next look refreshes everything
            mark = after
        self._mark = mark
        changes = applied.changes
        if changes.everything or (changes.people and not changes.months) or changes.employers:
            self.search.refresh()
        if self._page is not None and self._page.worker is not None:
            self._page.apply_changes(changes)
        dialog = self.active_dialog
        apply = getattr(dialog, "apply_changes", None)
        if dialog is not None and dialog is not applied.initiator and dialog.isVisible() and callable(apply):
            apply(changes)

    def focus_search(self) -> None:
        """Put the cursor in the search box, text selected, ready for the next person."""
        self.activateWindow()
        self.search.focus()

    def show_checking(self, running: bool) -> None:
        """Show (or hide) that the database is being checked for damage while the clerk works."""
        self._checking_text = lambda: self.tr("正在检查数据库…")
        self.checking.setText(self._checking_text())
        self.checking.setStyleSheet("")
        self.checking.setVisible(running)
        self.checking_bar.setVisible(running)

    def check_failed(self, why: Message) -> None:
        """The check ended without an answer (not damage: SQLite could not finish it): say why, in
        the status bar's corner, where the clerk's own messages do not replace it."""
        self._checking_text = why if callable(why) else (lambda: str(why))
        self.checking.setText(self._checking_text())
        self.checking.setStyleSheet("color: #b00020;")
        self.checking.setVisible(True)
        self.checking_bar.setVisible(False)

    def show_status(self, text: Message, error: bool = False) -> None:
        """A one-line message at the bottom of the window (a function of no arguments is asked
        again for its text when the language changes)."""
        self._status = text if callable(text) else (lambda: str(text))
        self.status.setStyleSheet("color: #b00020;" if error else "")
        self.status.setText(self._status())

    def open_person(self, key: str, status: Message | None = None, focus: bool = True,
                    viewed: bool = True) -> None:
        """Read a person's record in the background and show it; status says what was done; focus:
        the search box gets the cursor afterwards (not while a dialog stays open over the window);
        viewed: noted in the log of who viewed whom (not when the page shown is only read again)."""
        ledger = self.ledger
        if ledger is None:
            return
        from desktop.ui.person_page import load_person

        self.show_status(lambda: self.tr("正在打开…"))
        query(self, lambda: load_person(ledger, key, viewed)) \
            .success(lambda result: self._person_loaded(result, status, focus)) \
            .failure(lambda error: self._person_failed(error, focus)).run()

    def _written(self, key: str, status: Message | None = None, focus: bool = True) -> None:
        """A write about a person succeeded: the page shows them again on the changes the write
        reported; say what was done (a person not shown is opened)."""
        if self._page is None or self._page.worker is None or self._page.worker.key != key:
            self.open_person(key, status, focus)
            return
        name = self._page.worker.name
        self.show_status(status or (lambda: self.tr("已打开 {name}").format(name=name)))
        if focus:
            self.focus_search()

    def forget_people(self) -> None:
        """Before an idle sign-out: close the dialogs, drop the person page and the search results,
        so that nothing of anyone's record stays on the screen; nothing works until a sign-in."""
        self.watch.stop()
        for dialog in (self.nested_dialog, self.active_dialog, self.last_preview):
            if dialog is not None:
                dialog.close()
        self.nested_dialog = self.active_dialog = self.last_preview = None
        self.search.box.clear()
        self.search.model.set_people([])
        if self._page is not None:
            self.stack.setCurrentIndex(0)
            self.stack.removeWidget(self._page)
            self._page.deleteLater()
            self._page = None
        self._enable_ledger_actions(False)
        self.show_status(lambda: self.tr("无人操作的时间已到，已退出登录：请重新登录"))

    def _person_failed(self, error: BaseException, focus: bool) -> None:
        """Say why the person could not be read, then return to the search box."""
        self.show_status(lambda: i18n.message(error), error=True)
        if focus:
            self.focus_search()

    def _person_loaded(self, result: Any, status: Message | None = None, focus: bool = True) -> None:
        """Show a person read in the background, then return to the search box."""
        statement = result.statement
        self.page.set_supervisor(self.supervisor)
        self.page.show_person(result)
        self.stack.setCurrentWidget(self.page)
        self._enable_person_actions()
        name = statement.worker.name
        self.show_status(status or (lambda: self.tr("已打开 {name}").format(name=name)))
        if focus:
            self.focus_search()
        self.person_shown.emit(statement.worker.key)

    def _open_dialog(self, dialog: QDialog) -> QDialog:
        """Open a dialog window-modal; the search box gets the focus when it closes."""
        self.active_dialog = dialog
        dialog.finished.connect(lambda _code: self.focus_search())
        dialog.open()
        return dialog

    def open_register(self) -> QDialog:
        """Register a citizen; the new person is opened."""
        from desktop.ui.register_dialog import RegisterDialog

        dialog = RegisterDialog(self.need_ledger(), self.runner, self)
        dialog.succeeded.connect(lambda w: self.open_person(w.key))
        return self._open_dialog(dialog)

    def open_foreigner(self) -> QDialog:
        """Register a foreign national; the new person is opened."""
        from desktop.ui.foreigner_dialog import ForeignerDialog

        dialog = ForeignerDialog(self.need_ledger(), self.runner, self)
        dialog.succeeded.connect(lambda w: self.open_person(w.key))
        return self._open_dialog(dialog)

    def open_employer(self) -> QDialog:
        """Register an employer."""
        from desktop.ui.employer_dialog import EmployerDialog

        dialog = EmployerDialog(self.need_ledger(), self.runner, self)
        dialog.succeeded.connect(lambda e: self.show_status(
            lambda: self.tr("已登记用人单位 {name}").format(name=e.name)))
        return self._open_dialog(dialog)

    def record_month(self) -> QDialog | None:
        """Record a month for the person shown."""
        from desktop.ui.record_month_dialog import RecordMonthDialog

        if self._page is None or self._page.worker is None \
                or self.stack.currentWidget() is not self._page:
            return None
        worker = self._page.worker
        dialog = RecordMonthDialog(self.need_ledger(), self.runner, worker,
                                   self.page.last_employer(), self)
        dialog.succeeded.connect(self._recorded)
        return self._open_dialog(dialog)

    def _person_dialog(self, make: Callable[[Ledger, WorkerInfo], Dialog],
                       done: Callable[[str, Any], None]) -> Dialog | None:
        """Open a dialog about the person shown (none when nobody is); done(key, result) once its
        write succeeded."""
        if self._page is None or self._page.worker is None:
            return None
        worker = self._page.worker
        dialog = make(self.need_ledger(), worker)
        dialog.succeeded.connect(lambda result: done(worker.key, result))
        self._open_dialog(dialog)
        return dialog

    def open_exemption(self) -> QDialog | None:
        """Issue a certificate of coverage for the person shown, then preview it."""
        from desktop.ui.exemption_dialog import ExemptionDialog

        return self._person_dialog(lambda ledger, worker: ExemptionDialog(
            ledger, self.runner, worker, self.page.last_employer(), self), self._certificate_done)

    def _certificate_done(self, key: str, result: Any) -> None:
        """Preview an issued certificate, or say that the request waits for a supervisor."""
        from desktop.core.services.documents import Issued

        if hasattr(result, "pdf"):
            self.preview(Issued("coverage-certificate", result.number, result.code, result.pdf,
                                result.pages, False))
            self._written(key)
        else:
            self._written(key, lambda: self.tr("已提交审批申请 {id}，等待审核主管批准").format(id=result.id))

    def print_statement(self) -> None:
        """Preview the person's contribution statement (a draft: nothing is numbered or registered);
        it is issued when printed or saved from the preview."""
        if self._page is None or self._page.worker is None:
            return
        ledger, worker = self.need_ledger(), self._page.worker
        key = worker.key
        self.show_status(lambda: self.tr("正在生成参保缴费证明预览…"))
        query(self, lambda: ledger.documents.draft("statement", key)) \
            .success(lambda draft: self._statement_drafted(worker.name, draft)).run()

    def _statement_drafted(self, name: str, draft: Any) -> None:
        """Show the statement's preview; printing or saving it issues it."""
        ledger, key = self.need_ledger(), draft.worker
        self.show_status(lambda: self.tr("已打开 {name}").format(name=name))
        self.preview(draft, lambda: ledger.documents.issue("statement", key))

    def print_transfer_certificate(self) -> None:
        """Preview the contribution certificate on leaving (参保缴费凭证, a draft); it is issued when
        printed or saved."""
        if self._page is None or self._page.worker is None:
            return
        ledger, key = self.need_ledger(), self._page.worker.key
        self.show_status(lambda: self.tr("正在生成参保缴费凭证预览…"))
        query(self, lambda: ledger.documents.draft("transfer-certificate", key)) \
            .success(lambda draft: self.preview(
                draft, lambda: ledger.documents.issue("transfer-certificate", key))).run()

    def print_estimate_shown(self) -> None:
        """The pension estimate sheet with the retirement tab's assumptions (the defaults until the
        estimate has been read there)."""
        if self._page is None or self._page.worker is None:
            return
        panel = self._page.retirement
        self.print_estimate(panel.assumptions() if panel.estimate is not None else {})

    def print_estimate(self, params: dict[str, Any]) -> None:
        """Preview the pension estimate sheet with the assumptions of the retirement tab (a draft);
        it is numbered when printed or saved."""
        if self._page is None or self._page.worker is None:
            return
        ledger, key = self.need_ledger(), self._page.worker.key
        self.show_status(lambda: self.tr("正在生成养老金测算表预览…"))
        query(self, lambda: ledger.pensions.estimate_draft(key, **params)) \
            .success(lambda draft: self._estimate_drafted(key, params, draft)).run()

    def _estimate_drafted(self, key: str, params: dict[str, Any], draft: Any) -> None:
        from desktop.core.changes import Changes
        from desktop.core.services.documents import Issued

        ledger = self.need_ledger()

        def issue() -> Issued:
            sheet = ledger.pensions.estimate_pdf(key, **params)
            return Issued("pension-estimate", sheet.number, sheet.code, sheet.pdf, draft.pages, False,
                          Changes.of_documents(key, [sheet.number]))

        self.show_status(lambda: self.tr("养老金测算表预览：打印或另存为PDF时编号"))
        dialog = self.preview(draft, issue)
        dialog.issued_now.connect(lambda issued: self.show_status(
            lambda: self.tr("已出具养老金测算表 {number}").format(number=issued.number)))

    def preview(self, document: Any, issue: Callable[[], Any] | None = None) -> DocumentPreviewDialog:
        """Show a document in the print preview: an issued one, or a draft with the call that issues
        it when it is printed or saved."""
        from desktop.ui.documents import DocumentPreviewDialog

        dialog = DocumentPreviewDialog(document, self, issue, self.ledger, self.runner)
        self.last_preview = dialog
        self._open_dialog(dialog)
        return dialog

    def open_approvals(self) -> QDialog:
        """A supervisor's list of requests waiting for a second person; an approved certificate
        is previewed."""
        from desktop.ui.approvals_dialog import ApprovalsDialog

        dialog = ApprovalsDialog(self.need_ledger(), self.runner, self)
        dialog.approved.connect(self._approved)
        return self._open_dialog(dialog)

    def _approved(self, pending: Any) -> None:
        from desktop.core.services.documents import Issued

        r = getattr(pending, "result", None)
        if r is not None and hasattr(r, "pdf"):
            self.preview(Issued("coverage-certificate", r.number, r.code, r.pdf, r.pages, False))

    def open_coverage_register(self) -> QDialog:
        """The register of certificates of coverage and the statistics by year and country."""
        from desktop.ui.coverage_register_dialog import CoverageRegisterDialog

        return self._open_dialog(CoverageRegisterDialog(self.need_ledger(), self.runner, self))

    def open_transfer(self) -> QDialog | None:
        """Plan a pension transfer for the person shown and request it; the contact letter is previewed."""
        from desktop.ui.transfer_dialog import TransferDialog

        dialog = self._person_dialog(lambda ledger, worker: TransferDialog(
            ledger, self.runner, worker, self, history=self.supervisor), self._transfer_requested)
        if dialog is not None:
            dialog.opening_requested.connect(lambda: self.open_opening(dialog))
        return dialog

    def open_temporary(self) -> QDialog | None:
        """The person's temporary contribution accounts: seal the one held here, gather one held elsewhere."""
        from desktop.ui.temporary_dialog import TemporaryDialog

        return self._person_dialog(lambda ledger, worker: TemporaryDialog(ledger, self.runner, worker, self),
                                   self._temporary_done)

    def _temporary_done(self, key: str, result: Any) -> None:
        from desktop.core.services.documents import Issued

        number = result.document_number
        if result.case.kind == "gather":
            self._written(key, lambda: self.tr("已申请归集临时缴费账户，转移业务编号 {case}").format(
                case=result.case.number))
            kind = "contact-letter"
        else:
            self._written(key, lambda: self.tr("临时缴费账户已封存，凭证编号 {number}").format(number=number))
            kind = "temporary-account"
        if result.pdf is not None and number:
            self.preview(Issued(kind, number, "", result.pdf, 0, False))

    def open_flexible(self) -> QDialog | None:
        """A flexible worker pays months of the employees' pension; the person is shown again."""
        from desktop.ui.flexible_dialog import FlexibleDialog

        return self._person_dialog(lambda ledger, worker: FlexibleDialog(ledger, self.runner, worker, self),
                                   lambda key, r: self._written(key, lambda: self.tr(
                                       "已记录灵活就业缴费 {months} 个月，共 {total} 元").format(
                                       months=len(r.months), total=f"{r.total:,.2f}")))

    def open_switch(self) -> QDialog | None:
        """The switch between the employees' and the residents' pension for the person shown; the
        notice is previewed once it is decided."""
        from desktop.ui.switch_dialog import SwitchDialog

        return self._person_dialog(lambda ledger, worker: SwitchDialog(ledger, self.runner, worker, self),
                                   self._switch_decided)

    def _switch_decided(self, key: str, result: Any) -> None:
        from desktop.core.services.documents import Issued
        from desktop.core.services.scheme_switch import NOTICE

        number = result.notice
        self._written(key, lambda: self.tr("已办理城乡养老保险制度衔接，告知书编号 {number}").format(number=number))
        self.preview(Issued(NOTICE, number, result.code, result.pdf, 0, False))

    def open_medical_certificate(self) -> QDialog | None:
        """Issue the medical transfer certificate for the person shown; it is previewed."""
        from desktop.ui.medical_certificate_dialog import MedicalCertificateDialog

        return self._person_dialog(
            lambda ledger, worker: MedicalCertificateDialog(ledger, self.runner, worker, self),
            self._medical_certificate_done)

    def _medical_certificate_done(self, key: str, cert: Any) -> None:
        from desktop.core.services.documents import Issued

        self.preview(Issued("medical-certificate", cert.number, cert.code, cert.pdf, cert.pages, False))
        self._written(key, lambda: self.tr("已开具医保转移凭证 {number}，转出地办结时限{due}").format(
            number=cert.number, due=cert.due.isoformat()), focus=False)

    def open_opening(self, over: QDialog | None = None) -> QDialog | None:
        """A supervisor enters the history before the record began (deemed years, months before
        1998) for the person shown; over: the transfer dialog it is opened from, which stays open."""
        from desktop.ui.opening_dialog import OpeningDialog

        if self._page is None or self._page.worker is None or not self.supervisor:
            return None
        worker = self._page.worker
        dialog = OpeningDialog(self.need_ledger(), self.runner, worker, over or self)
        dialog.succeeded.connect(lambda entry: self._opening_saved(worker.key, entry, over))
        if over is None:
            return self._open_dialog(dialog)
        self.nested_dialog = dialog
        dialog.open()
        return dialog

    def _opening_saved(self, key: str, entry: Any, over: QDialog | None) -> None:
        """Show the record with the new entry, in the page and in the transfer plan it came from."""
        from desktop.ui.record_panel import RecordPanel

        kind, first, last, months = entry.kind, entry.first, entry.last, entry.months
        self._written(key, lambda: self.tr("已录入{kind} {first}至{last}（{months}个月）").format(
            kind=RecordPanel.kind_name(kind), first=first, last=last, months=months), focus=over is None)
        reload = getattr(over, "refresh_from_database", None)  # from the page, no plan can be open
        if over is not None and over.isVisible() and callable(reload):
            reload()

    def _transfer_requested(self, key: str, result: Any) -> None:
        from desktop.core.services.documents import Issued

        number = result.case.number
        if result.case.kind == "registration":
            self._written(key, lambda: self.tr(
                "已办理统筹单位内登记变更（资金不转移），业务编号 {case}").format(case=number))
            return
        if result.case.kind == "temporary":
            self._written(key, lambda: self.tr(
                "已建立临时基本养老保险缴费账户（养老保险关系不转移），业务编号 {case}").format(case=number))
            return
        self._written(key, lambda: self.tr("已申请转入，转移业务编号 {case}").format(case=number))
        if result.pdf is not None and result.document_number:
            self.preview(Issued("contact-letter", result.document_number, "", result.pdf, 0, False))

    def open_transfers(self, report: bool = False) -> QDialog:
        """The transfer work list (settle, confirm the money received) and the yearly report."""
        from desktop.ui.transfer_list_dialog import TransferListDialog

        dialog = TransferListDialog(self.need_ledger(), self.runner, self)
        if report:
            dialog.tabs.setCurrentIndex(1)
        return self._open_dialog(dialog)

    def open_doctor(self) -> QDialog:
        """系统检查: data, fonts, printers, database, keys, disk, backups, clock."""
        from desktop.ui.doctor_dialog import DoctorDialog

        return self._open_dialog(DoctorDialog(self.need_ledger(), self.runner, self))

    def open_about(self) -> QDialog:
        """The program's version and its database schema."""
        from desktop.ui.doctor_dialog import AboutBox

        box = AboutBox(self)
        box.open()
        return box

    def open_audit(self) -> QDialog:
        """The audit trail with its chain check (supervisors and administrators)."""
        from desktop.ui.audit_dialog import AuditDialog

        return self._open_dialog(AuditDialog(self.need_ledger(), self.runner, self))

    def open_restore_file(self, file: str | None = None) -> QDialog | None:
        """Replace this database by a chosen backup (administrators); another office's backup asks
        for that office's code as a second confirmation."""
        from desktop.ui.restore_dialog import RestoreDialog

        ledger = self.need_ledger()
        chosen = file or files.open_file_name(self, self.tr("选择备份文件"), Path.home(),
                                              self.tr("备份文件 (*.sbk)"))
        if not chosen:
            return None
        dialog = RestoreDialog(ledger, self.runner, chosen, self)
        dialog.restored.connect(self._restored_from_file)
        return self._open_dialog(dialog)

    def _restored_from_file(self, result: Any) -> None:
        """Another database now: nothing of the old one stays shown; sign in again."""
        self.active_dialog = None
        self.idle.stop()
        self.forget_people()
        self._recovered(result)

    def open_sync(self) -> QDialog:
        """Export and import sync files, missing changes, conflicts to review."""
        from desktop.ui.sync_dialog import SyncDialog

        dialog = SyncDialog(self.need_ledger(), self.runner, self)
        self._open_dialog(dialog)
        dialog.finished.connect(lambda _code: self._refresh_after_sync(dialog))
        return dialog

    def _refresh_after_sync(self, dialog: Any) -> None:
        """Refresh the person shown when an import or a resolved conflict changed records."""
        if dialog.records_changed and self._page is not None and self._page.worker is not None:
            self.open_person(self._page.worker.key, viewed=False)

    def open_batch_print(self) -> QDialog:
        """Print statements for many people with progress."""
        from desktop.ui.documents import BatchPrintDialog

        return self._open_dialog(BatchPrintDialog(self.need_ledger(), self.runner, self))

    def _recorded(self, result: MonthResult) -> None:
        """Say what was stored (the page refreshed the month's row and the account on the changes
        the recording reported) and return to the search box."""
        self.show_status(lambda: self.tr("已记录 {month}，缴费基数 {base}").format(
            month=result.month, base=f"{result.base:,.2f}"))

    def choose_import_file(self) -> QDialog | None:
        """Pick a declaration file and import it."""
        folder = str(i18n.settings().value("import/folder", str(Path.home())))
        name = files.open_file_name(self, self.tr("选择单位申报文件"), folder,
                                    self.tr("申报文件 (*.csv *.xlsx *.xls *.txt)"))
        if not name:
            self.focus_search()
            return None
        i18n.settings().setValue("import/folder", str(Path(name).parent))
        return self.import_declaration(Path(name))

    def import_declaration(self, path: Path) -> QDialog:
        """Import a declaration with progress and cancel; the result lists every bad row."""
        from desktop.ui.import_dialog import ImportDialog, ImportRequest

        dialog = ImportDialog(self.need_ledger(), self.runner, ImportRequest(path), self)
        self._open_dialog(dialog)
        dialog.finished.connect(lambda _code: self._refresh_after_import(dialog))
        dialog.start()
        return dialog

    def _refresh_after_import(self, dialog: Any) -> None:
        """Refresh the person shown after a declaration was imported."""
        if dialog.result_value is not None and self._page is not None \
                and self._page.worker is not None:
            self.open_person(self._page.worker.key, viewed=False)

    def open_settings(self) -> QDialog:
        """Reference values, office identity and language."""
        from desktop.ui.settings_dialog import SettingsDialog

        return self._open_dialog(SettingsDialog(self.need_ledger(), self.runner, self))

    def set_language(self, code: str) -> None:
        """Switch the interface language now."""
        i18n.apply(code)

    def retranslate(self) -> None:
        """Set every visible string in the interface language."""
        title = self.tr("社保经办桌面")
        if self.office is not None:
            title += f" — {self.office.name}"
            self.office_label.setText(self.tr("经办机构 {code}　统筹区 {region}").format(
                code=self.office.code, region=self.office.region_name))
        if self.read_only:
            title += " — " + self.tr("只读（数据库已损坏）")
        self.setWindowTitle(title)
        self.checking.setText(self._checking_text())
        self.checking.setToolTip(self.tr("SQLite 的快速检查（quick_check）读遍数据库的每一页；检查期间可照常工作，"
                                         "发现损坏时会提示"))
        self.file_menu.setTitle(self.tr("文件(&F)"))
        self.register_menu.setTitle(self.tr("登记(&R)"))
        self.person_menu.setTitle(self.tr("参保人(&P)"))
        self.language_menu.setTitle(self.tr("语言(&L)"))
        self.help_menu.setTitle(self.tr("帮助(&H)"))
        self.doctor_action.setText(self.tr("系统检查(&D)…"))
        self.about_action.setText(self.tr("关于社保经办桌面(&A)"))
        self.import_action.setText(self.tr("导入单位申报(&I)…"))
        self.settings_action.setText(self.tr("机构设置(&S)…"))
        self.batch_action.setText(self.tr("批量打印参保缴费证明(&B)…"))
        self.coverage_action.setText(self.tr("参保证明登记簿与统计(&G)…"))
        self.transfers_action.setText(self.tr("转移业务工作清单(&T)…"))
        self.transfer_report_action.setText(self.tr("转移业务年度统计(&N)…"))
        self.approvals_action.setText(self.tr("审批申请(&A)…"))
        self.audit_action.setText(self.tr("审计记录(&U)…"))
        self.sync_action.setText(self.tr("同步(&Y)…"))
        self.recovery_action.setText(self.tr("从备份恢复(&R)…"))
        self.restore_file_action.setText(self.tr("从备份文件恢复（管理员）(&O)…"))
        self.quit_action.setText(self.tr("退出(&Q)"))
        self.register_action.setText(self.tr("登记参保人(&P)…"))
        self.foreigner_action.setText(self.tr("登记外籍人员(&F)…"))
        self.employer_action.setText(self.tr("登记用人单位(&E)…"))
        self.view_menu.setTitle(self.tr("查看(&V)"))
        self.record_action.setText(self.tr("记录缴费(&M)…"))
        self.flexible_action.setText(self.tr("灵活就业缴费(&G)…"))
        self.statement_action.setText(self.tr("打印参保缴费证明(&D)…"))
        self.transfer_certificate_action.setText(self.tr("出具参保缴费凭证（转出）(&C)…"))
        self.exemption_action.setText(self.tr("出具双边协定参保证明(&X)…"))
        self.medical_certificate_action.setText(self.tr("开具医保转移凭证(&Y)…"))
        self.estimate_action.setText(self.tr("打印养老金测算表(&E)…"))
        self.transfer_action.setText(self.tr("发起转移(&T)…"))
        self.temporary_action.setText(self.tr("临时缴费账户(&L)…"))
        self.switch_action.setText(self.tr("制度衔接(&J)…"))
        self.opening_action.setText(self.tr("建账前历史（审核主管）(&K)…"))
        self.search_action.setText(self.tr("查找参保人(&S)"))
        for i, (act, text) in enumerate(zip(self.section_actions, (
                self.tr("参保情况"), self.tr("缴费记录"), self.tr("个人账户"), self.tr("已出具文书"),
                self.tr("养老保险参保记录"), self.tr("医疗·失业·居民"), self.tr("退休")), strict=True)):
            act.setText(f"{text}(&{i + 1})")
        self.language_actions[i18n.lang()].setChecked(True)
        self.welcome_title.setText(self.tr("请查找参保人"))
        self.welcome.setText(self.tr(
            "在左侧输入身份证号码、姓名或拼音首字母（也可刷身份证或扫码），按回车打开。\n\n"
            "Ctrl+F 查找　Ctrl+N 登记参保人　Ctrl+E 登记用人单位　Ctrl+M 记录缴费　Ctrl+P 打印参保缴费证明　"
            "Ctrl+I 导入单位申报　Ctrl+1…7 切换参保人页面　Esc 回到查找框\n"
            "其余操作及快捷键见“参保人”“查看”等菜单。"))
        if self._status is None:
            self.show_status(lambda: self.tr("就绪") if self.office else self.tr("正在打开数据库…"))
        else:
            self.status.setText(self._status())

    def _restore(self) -> None:
        """Restore geometry, layout and the person page's tab from the settings."""
        settings = i18n.settings()
        geometry = settings.value("main/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 780)
        state = settings.value("main/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        splitter = settings.value("main/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)
        tab = settings.value("person/tab", 0)
        self._saved_tab = int(str(tab)) if str(tab).isdigit() else 0

    def save_state(self) -> None:
        """Remember geometry, layout and the person page's tab."""
        settings = i18n.settings()
        settings.setValue("main/geometry", self.saveGeometry())
        settings.setValue("main/state", self.saveState())
        settings.setValue("main/splitter", self.splitter.saveState())
        if self._page is not None:
            settings.setValue("person/tab", self._page.tabs.currentIndex())

    def closeEvent(self, event: QCloseEvent) -> None:
        """Remember the window's state and let queued work finish."""
        self.watch.stop()
        self.idle.stop()
        self.save_state()
        self.runner.wait()
        super().closeEvent(event)
