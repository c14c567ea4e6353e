"""The key store's passphrase, asked of an administrator after signing in when nothing else gives
it (SHEBAO_KEY_PASSPHRASE), or before the office's first keys are made. Cancelling is allowed: the
office works, and issuing a document or a sync file is refused until the keys are unlocked."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QWidget

from desktop.core.ledger import Ledger
from desktop.core.messages import render
from desktop.core.services.office import KeysMoved
from desktop.ui import i18n
from desktop.ui.layout import Retranslating, error_label, heading, vbox
from desktop.ui.operations import op
from desktop.ui.runner import Runner
from desktop.ui.signin_dialog import _grid, password_edit


class KeyPassphraseDialog(Retranslating, QDialog):
    """The passphrase (twice when it sets up a new key store); emits unlocked(KeysMoved)."""

    unlocked = Signal(object)

    def __init__(self, ledger: Ledger, runner: Runner, new_store: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger, self.runner, self.new_store = ledger, runner, new_store
        self.title = heading(2)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.passphrase, self.again = password_edit(), password_edit()
        self.passphrase_label, self.again_label = QLabel(), QLabel()
        rows = [(self.passphrase_label, self.passphrase)]
        if new_store:
            rows.append((self.again_label, self.again))
        self.error = error_label()
        self.error.setObjectName("key_error")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.setLayout(vbox(self.title, self.intro, _grid(*rows), self.error, self.buttons, margin=16, spacing=12))
        self.setMinimumWidth(460)
        self.retranslate()
        self.passphrase.setFocus()

    def accept(self) -> None:
        """Check the passphrase on the runner (a wrong one is said here and asked again)."""
        if not self.buttons.isEnabled():
            return
        self.error.clear()
        text = self.passphrase.text()
        if self.new_store and text != self.again.text():
            self.error.setText(render("keys.passphrase_differ", i18n.lang()))
            self.again.clear()
            self.again.setFocus()
            return
        self.buttons.setEnabled(False)
        op(self, lambda: self.ledger.office.unlock_keys(text), self.runner, self.ledger) \
            .success(self._done).failure(self._refused).run(initiator=self)

    def _refused(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(i18n.message(error))
        self.passphrase.clear()
        self.again.clear()
        self.passphrase.setFocus()

    def _done(self, moved: KeysMoved) -> None:
        self.buttons.setEnabled(True)
        self.passphrase.clear()
        self.again.clear()
        self.unlocked.emit(moved)
        super().accept()

    def retranslate(self) -> None:
        """Set every visible string in the interface language."""
        self.setWindowTitle(self.tr("机构密钥 — 社保经办桌面"))
        self.title.setText(self.tr("设置密钥口令") if self.new_store else self.tr("解锁机构密钥"))
        self.intro.setText(self.tr("本机构的签名和加密私钥将保存在密钥库中，由此口令加密（至少12个字符）。"
                                   "请牢记并妥善保管：忘记口令将无法再出具文书和同步文件。")
                           if self.new_store else
                           self.tr("出具文书和同步文件需要本机构的私钥。请输入密钥口令；"
                                   "选择“稍后”也可继续办理其他业务。"))
        self.passphrase_label.setText(self.tr("密钥口令(&K)"))
        self.again_label.setText(self.tr("再次输入(&A)"))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("设置(&S)") if self.new_store else self.tr("解锁(&U)"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("稍后(&L)"))

