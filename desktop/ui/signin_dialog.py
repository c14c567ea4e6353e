"""Signing in at the counter, and the forced change of a first (or reset) password."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QWidget,
)

from desktop.core.ledger import Ledger
from desktop.core.messages import render
from desktop.core.services.users import AccountInfo
from desktop.ui import i18n
from desktop.ui.layout import Retranslating, error_label, heading, line_edit, vbox
from desktop.ui.operations import op
from desktop.ui.runner import Runner

_LAST_USER = "signin/last_user"


@dataclass(frozen=True)
class SignInInput:
    """What the clerk typed to sign in."""

    name: str
    password: str


def _grid(*rows: tuple[QLabel, QWidget]) -> QGridLayout:
    grid = QGridLayout()
    grid.setHorizontalSpacing(10)
    grid.setVerticalSpacing(8)
    for row, (label, editor) in enumerate(rows):
        label.setBuddy(editor)
        grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(editor, row, 1)
    return grid


def password_edit() -> QLineEdit:
    """A line edit that shows dots, for passwords."""
    edit = line_edit(128, 20)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class SignInDialog(Retranslating, QDialog):
    """Account and password; then, when the password must be changed, the new one twice.

    Emits signed_in(AccountInfo) and closes only when the account may work (its password changed
    if that was required). Cancelling on the second page signs the account out again.
    """

    signed_in = Signal(object)

    def __init__(self, ledger: Ledger, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger, self.runner = ledger, runner
        self.account: AccountInfo | None = None
        self._typed = ""
        self.title = heading(2)
        self.user = line_edit(60, 20)
        self.password = password_edit()
        self.user_label, self.password_label = QLabel(), QLabel()
        first = QWidget()
        first.setLayout(_grid((self.user_label, self.user), (self.password_label, self.password)))
        self.change_intro = QLabel()
        self.change_intro.setWordWrap(True)
        self.new_password, self.again = password_edit(), password_edit()
        self.new_label, self.again_label = QLabel(), QLabel()
        second = QWidget()
        second.setLayout(vbox(self.change_intro, _grid((self.new_label, self.new_password),
                                                       (self.again_label, self.again))))
        self.pages = QStackedWidget()
        self.pages.addWidget(first)
        self.pages.addWidget(second)
        self.error = error_label()
        self.error.setObjectName("signin_error")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.setLayout(vbox(self.title, self.pages, self.error, self.buttons, margin=16, spacing=12))
        self.setMinimumWidth(420)
        last = i18n.settings().value(_LAST_USER, "")
        self.user.setText(str(last or ""))
        self.retranslate()
        (self.password if self.user.text() else self.user).setFocus()

    @property
    def changing(self) -> bool:
        """Whether the dialog asks for a new password."""
        return self.pages.currentIndex() == 1

    def collect(self) -> SignInInput:
        """The typed account and password."""
        return SignInInput(self.user.text().strip(), self.password.text())

    def accept(self) -> None:
        """Sign in (first page) or change the password (second page) on the runner."""
        if not self.buttons.isEnabled():
            return
        self.error.clear()
        if self.changing:
            self._change()
            return
        data = self.collect()
        if not data.name:
            self.error.setText(self.tr("请输入账号"))
            self.user.setFocus()
            return
        self._typed = data.password
        self.buttons.setEnabled(False)
        op(self, lambda: self.ledger.sign_in(data.name, data.password), self.runner, self.ledger) \
            .success(self._signed_in).failure(self._not_signed_in).run(initiator=self)

    def _not_signed_in(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.password.clear()
        self._typed = ""
        self.error.setText(i18n.message(error))
        self.password.setFocus()

    def _signed_in(self, account: AccountInfo) -> None:
        self.buttons.setEnabled(True)
        self.password.clear()
        self.account = account
        i18n.settings().setValue(_LAST_USER, account.name)
        if account.must_change:
            self.pages.setCurrentIndex(1)
            self.retranslate()
            self.new_password.setFocus()
            return
        self._done()

    def _change(self) -> None:
        new, again = self.new_password.text(), self.again.text()
        if new != again:
            self.error.setText(render("password.mismatch", i18n.lang()))
            self.again.clear()
            self.again.setFocus()
            return
        old = self._typed
        self.buttons.setEnabled(False)
        op(self, lambda: self.ledger.users.change_password(old, new), self.runner, self.ledger) \
            .success(self._changed).failure(self._not_changed).run(initiator=self)

    def _not_changed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(i18n.message(error))
        self.new_password.clear()
        self.again.clear()
        self.new_password.setFocus()

    def _changed(self, account: AccountInfo) -> None:
        self.buttons.setEnabled(True)
        self.account = account
        self._done()

    def _done(self) -> None:
        self._typed = ""
        assert self.account is not None
        self.signed_in.emit(self.account)
        super().accept()

    def reject(self) -> None:
        """Close without signing in; an account that still must change its password is signed out."""
        self._typed = ""
        if self.changing:
            op(self, self.ledger.sign_out, self.runner, self.ledger).failure(lambda _error: None).run()
        super().reject()

    def retranslate(self) -> None:
        """Set every visible string in the interface language."""
        self.setWindowTitle(self.tr("登录 — 社保经办桌面"))
        self.title.setText(self.tr("修改密码") if self.changing else self.tr("请登录"))
        self.user_label.setText(self.tr("账号(&U)"))
        self.password_label.setText(self.tr("密码(&P)"))
        self.change_intro.setText(self.tr("这是首次登录，或密码已被管理员重置。请设置只有您知道的新密码"
                                          "（至少8个字符，不含账号名）。"))
        self.new_label.setText(self.tr("新密码(&N)"))
        self.again_label.setText(self.tr("再次输入(&A)"))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("修改并登录(&S)") if self.changing else self.tr("登录(&S)"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
