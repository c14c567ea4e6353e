"""Starting the application on an office that has accounts: nothing is shown before signing in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from test_security_support import PASSWORD, fast_hashing, staffed, staffed_template
from test_ui_startup import opener
from test_ui_support import private_settings

from desktop.core.ledger import Ledger
from desktop.ui.app import Startup
from desktop.ui.runner import Runner
from desktop.ui.signin_dialog import SignInDialog

__all__ = ["fast_hashing", "private_settings", "staffed", "staffed_template"]


def test_the_window_opens_with_a_sign_in(staffed: Ledger, qtbot: Any) -> None:
    path = Path(str(staffed.engine.url.database))
    staffed.close()
    runner = Runner()
    startup = Startup(path, runner, ledger_factory=opener)
    startup.start()
    qtbot.waitUntil(lambda: isinstance(startup.dialog, SignInDialog), timeout=20000)
    win = startup.window
    assert win is not None
    qtbot.addWidget(win)
    assert win.office is None  # the office is not shown before a successful sign-in
    dialog = startup.dialog
    qtbot.addWidget(dialog)
    dialog.user.clear()
    qtbot.keyClicks(dialog.user, "sup1")
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.office is not None, timeout=30000)
    assert startup.ledger is not None and startup.ledger.actor is not None
    assert startup.ledger.actor.name == "sup1"
    assert win.approvals_action.isEnabled() and win.audit_action.isEnabled()
    win.close()
    runner.wait()
    startup.ledger.close()
    assert startup.ledger.check_locks()["guarded"]  # the window held its locks in a guard process
    startup.ledger.release_locks()
