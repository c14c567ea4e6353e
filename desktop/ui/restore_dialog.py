"""Restoring a chosen backup file over this office's database (administrators): what the backup is,
and, for another office's backup, a second confirmation in which the clerk types that office's code."""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QWidget

from desktop.core.ledger import Ledger
from desktop.core.services.backups import RestoreResult
from desktop.ui import i18n
from desktop.ui.layout import Retranslating, error_label, hbox, line_edit, vbox
from desktop.ui.operations import query, task_op
from desktop.ui.runner import Runner


@dataclass(frozen=True)
class BackupAbout:
    """The backup's header and this database's office, read before anything is asked."""

    created: str
    code: str  # the backup's office ("" when it does not say)
    name: str
    here_code: str
    here_name: str
    built_on: tuple[str, ...] = ()  # an increment: the earlier backups it is read with, oldest first

    @property
    def other_office(self) -> bool:
        """Whether restoring it would turn this office into another one."""
        return bool(self.code) and self.code != self.here_code


def read_about(ledger: Ledger, file: str) -> BackupAbout:
    """The backup's office and date and this office (runs on the worker)."""
    header = ledger.backups.inspect(file)
    chain = ledger.backups.chain(file)  # refused here, naming it, when one it needs is missing
    here = ledger.office.get()
    return BackupAbout(str(header.get("created", "")).replace("T", " "), str(header.get("office") or ""),
                       str(header.get("office_name") or ""), here.code, here.name,
                       tuple(p.name for p in chain[:-1]))


class RestoreDialog(Retranslating, QDialog):
    """Says which backup replaces this database (the current data is kept first); another office's
    backup is restored only once its office code is typed. Emits `restored` when done."""

    restored = Signal(object)

    def __init__(self, ledger: Ledger, runner: Runner, file: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger, self.runner, self.file = ledger, runner, file
        self.about: BackupAbout | None = None
        self.result_value: RestoreResult | None = None
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b00020; font-weight: bold;")
        self.warning.hide()
        self.code_label = QLabel()
        self.code = line_edit(20, 12)
        self.code.setObjectName("other_office_code")
        self.code_label.setBuddy(self.code)
        self.code.textChanged.connect(lambda _text: self._enable())
        self.code_row = QWidget()
        self.code_row.setLayout(hbox(self.code_label, self.code, 1, margin=0))
        self.code_row.hide()
        self.key_label = QLabel()
        self.key = QLineEdit()
        self.key.setObjectName("backup_key")
        self.key_label.setBuddy(self.key)
        from desktop.core.backup import default_key_path

        self.key.setText(str(default_key_path()))
        self.error = error_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.setLayout(vbox(self.text, self.warning, self.code_row, hbox(self.key_label, self.key),
                            self.error, self.buttons, margin=16, spacing=10))
        self.resize(640, 300)
        self.retranslate()
        self._enable()
        query(self, lambda: read_about(ledger, file), runner).success(self._read).failure(self._failed).run()

    @property
    def ok_button(self) -> Any:
        """The button that restores."""
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def _read(self, about: BackupAbout) -> None:
        self.about = about
        self._show()
        if about.other_office:
            self.code.setFocus()
        self._enable()

    def _failed(self, error: BaseException) -> None:
        self.error.setText(i18n.message(error))

    def _enable(self) -> None:
        about = self.about
        ready = about is not None and (not about.other_office or self.code.text().strip() == about.code)
        self.ok_button.setEnabled(ready)

    def _show(self) -> None:
        about = self.about
        if about is None:
            self.text.setText(self.tr("正在读取备份文件…"))
            return
        theirs = f"{about.code} {about.name}".strip() or "?"
        here = f"{about.here_code} {about.here_name}"
        e = html.escape
        what = self.tr("用备份文件 {file} 替换本数据库的全部数据（备份制作于 {when}，"
                       "经办机构 {office}）。现有数据会先另存一份；恢复后须重新登录。")
        text = "<p>" + e(what.format(file=Path(self.file).name, when=about.created, office=theirs)) + "</p>"
        if about.built_on:
            text += "<p>" + e(self.tr("这是增量备份，将与同一文件夹中它所依据的 {n} 份备份一起读取：{files}。").format(
                n=len(about.built_on), files="、".join(about.built_on))) + "</p>"
        self.text.setText(text)
        self.warning.setVisible(about.other_office)
        self.code_row.setVisible(about.other_office)
        if about.other_office:
            self.warning.setText(self.tr("这是另一个经办机构的备份：{theirs}；本数据库是 {here}。恢复后本数据库将变成"
                                         "{theirs}的数据。确要恢复，请输入对方机构代码 {code} 再次确认。").format(
                theirs=theirs, here=here, code=about.code))

    def accept(self) -> None:
        """Restore (with progress); close only when it succeeded."""
        about = self.about
        if about is None or not self.ok_button.isEnabled():
            return
        self.error.clear()
        self.ok_button.setEnabled(False)
        ledger, file, key = self.ledger, self.file, self.key.text().strip() or None
        other = self.code.text().strip() if about.other_office else None

        def run(task: Any) -> RestoreResult:
            """The restore, reporting its progress."""
            return ledger.backups.restore(file, key, force=True, progress=task.progress, other_office=other)

        task_op(self, run, self.tr("正在从备份恢复…"), cancellable=False, runner=self.runner, ledger=ledger) \
            .success(self._restored).failure(self._not_restored).run(initiator=self)

    def _restored(self, result: RestoreResult) -> None:
        self.result_value = result
        self.restored.emit(result)
        super().accept()

    def _not_restored(self, error: BaseException) -> None:
        self.error.setText(i18n.message(error))
        self._enable()

    def retranslate(self) -> None:
        """Set every visible string in the interface language."""
        self.setWindowTitle(self.tr("从备份文件恢复"))
        self.code_label.setText(self.tr("对方机构代码(&C)"))
        self.key_label.setText(self.tr("备份密钥文件(&K)"))
        self.ok_button.setText(self.tr("恢复(&R)"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self._show()
