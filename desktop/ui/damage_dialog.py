"""When the office database is damaged: what is wrong, the recovery plan (the newest backup, the
sync files received since, what would be lost), and the choice: 恢复 (restore, with progress) or
只读打开 (open read-only: every write is refused with the reason)."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from desktop.core.errors import DatabaseDamaged
from desktop.core.ledger import Ledger
from desktop.core.privacy import mask_id
from desktop.core.services.recovery import RecoveryPlan, RecoveryResult, kind_name
from desktop.core.store.health import Health
from desktop.ui import files, i18n
from desktop.ui.layout import Retranslating, error_label, hbox, heading, line_edit, vbox
from desktop.ui.operations import query, task_op
from desktop.ui.runner import Runner, Task

SHOWN_PROBLEMS = 20
SHOWN_PEOPLE = 30


class DamageDialog(Retranslating, QDialog):
    """The damage found and the recovery plan; 恢复 restores, 只读打开 goes on without writing.

    Emits restored(RecoveryResult) once the restore is done and the clerk continues, read_only()
    when the clerk opens the damaged database read-only (closing the dialog does the same).
    """

    restored = Signal(object)
    read_only = Signal()

    def __init__(self, ledger: Ledger, runner: Runner, health: Health | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger, self.runner, self.health = ledger, runner, health
        self.plan: RecoveryPlan | None = None
        self.recovery: RecoveryResult | None = None
        self.masked = True
        self._finding = False
        self.title = heading(3)
        self.title.setStyleSheet("color: #b00020;")
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.problems = QPlainTextEdit()
        self.problems.setObjectName("damage_problems")
        self.problems.setReadOnly(True)
        self.problems.setMaximumHeight(90)
        self.folder_label = QLabel()
        self.folder = line_edit(400, 40)
        self.folder.setObjectName("backup_folder")
        self.folder_label.setBuddy(self.folder)
        self.folder.returnPressed.connect(self.find_plan)
        self.browse_button = QPushButton()
        self.browse_button.clicked.connect(self.browse)
        self.find_button = QPushButton()
        self.find_button.clicked.connect(self.find_plan)
        self.plan_text = QLabel()
        self.plan_text.setObjectName("recovery_plan")
        self.plan_text.setWordWrap(True)
        self.plan_text.setTextFormat(Qt.TextFormat.RichText)
        self.plan_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.plan_text.setMinimumHeight(160)
        self.plan_text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.error = error_label()
        self.error.setObjectName("recovery_error")
        self.restore_button = QPushButton()
        self.restore_button.setObjectName("restore")
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.restore)
        self.read_only_button = QPushButton()
        self.read_only_button.setObjectName("read_only")
        self.read_only_button.clicked.connect(self.open_read_only)
        self.continue_button = QPushButton()
        self.continue_button.setObjectName("continue")
        self.continue_button.hide()
        self.continue_button.clicked.connect(self._continue)
        self.setLayout(vbox(self.title, self.intro, self.problems,
                            hbox(self.folder_label, self.folder, self.browse_button, self.find_button),
                            self.plan_text, self.error,
                            hbox(1, self.restore_button, self.read_only_button, self.continue_button),
                            margin=16, spacing=10))
        self.setMinimumWidth(720)
        self.retranslate()
        self.read_only_button.setFocus()
        self.find_plan()

    # -- the plan ---------------------------------------------------------------------------

    def folders(self) -> list[str]:
        """The folder typed or chosen, if any (the office's daily backup folder is always searched)."""
        text = self.folder.text().strip()
        return [text] if text else []

    def browse(self) -> None:
        """Choose the folder that holds the backups."""
        start = self.folder.text().strip() or str(Path.home())
        chosen = files.existing_directory(self, self.tr("选择存放备份的文件夹"), start)
        if chosen:
            self.folder.setText(chosen)
            self.find_plan()

    def find_plan(self) -> None:
        """Look for the backup and the sync files in the background and show the plan."""
        if self._finding:
            return
        self._finding = True
        self.error.clear()
        self.restore_button.setEnabled(False)
        self.plan_text.setText(self.tr("正在查找备份和同步文件…"))
        ledger, folders = self.ledger, self.folders()

        def plan() -> tuple[RecoveryPlan, bool]:
            """The plan, and whether ID numbers are to be masked."""
            found = ledger.recovery.plan(folders)
            try:
                masked = ledger.guarded()
            except DatabaseDamaged:  # the accounts cannot be read: mask, as with accounts
                masked = True
            return found, masked

        query(self, plan, self.runner).success(self._planned).failure(self._not_planned).run()

    def _not_planned(self, error: BaseException) -> None:
        self._finding = False
        self.plan_text.clear()
        self.error.setText(i18n.message(error))

    def _planned(self, result: tuple[RecoveryPlan, bool]) -> None:
        self._finding = False
        self.plan, self.masked = result
        if not self.folder.text().strip() and self.plan.searched:
            self.folder.setText(str(self.plan.searched[0]))
        self.plan_text.setText(self.describe(self.plan))
        self.restore_button.setEnabled(self.plan.backup is not None and self.plan.key_ok)

    def describe(self, plan: RecoveryPlan) -> str:
        """The plan in words (rich text)."""
        e = html.escape
        parts: list[str] = []
        if plan.backup is None:
            none = self.tr("没有找到本机构的备份：请在上面选择存放备份的文件夹。")
            parts.append(f"<p><b>{e(none)}</b></p>")
        else:
            b = plan.backup
            head = self.tr("从备份恢复")
            made = self.tr("制作于 {when}").format(when=b.created.replace("T", " "))
            parts.append(f"<p><b>{e(head)}</b>：{e(b.file.name)}　{e(made)}<br>"
                         f"<span style='color:#555'>{e(str(b.file.parent))}</span></p>")
            if not plan.key_ok:
                no_key = self.tr("找不到与此备份相符的备份密钥：{key}").format(key=plan.key_file)
                parts.append(f"<p style='color:#b00020'>{e(no_key)}</p>")
        files = plan.sync_files
        if files:
            items = []
            for f in files:
                name = f.name or (f.path.name if f.path else f.sha256[:12])
                line = f"{e(f.sender)}　{e(f.received)}　{e(name)}"
                if f.changes:
                    line += "　" + e(self.tr("（{n} 项变更）").format(n=f.changes))
                if f.path is None:
                    line += f"　<span style='color:#b00020'>{e(self.tr('未找到此文件'))}</span>"
                items.append(f"<li>{line}</li>")
            head = self.tr("恢复后重新导入的同步文件（{n} 个）").format(n=len(files))
            parts.append(f"<p><b>{e(head)}</b></p><ul>{''.join(items)}</ul>")
        else:
            parts.append(f"<p>{e(self.tr('备份之后没有收到同步文件。'))}</p>")
        if not plan.records_readable:
            unread = self.tr("同步文件的导入记录已无法读取：以上是在保存的同步文件中找到的、备份之后制作的文件。")
            parts.append(f"<p style='color:#555'>{e(unread)}</p>")
        parts.append(self._lost_html(plan))
        if plan.sent is not None:
            sent = self.tr("备份之后本机构已通过同步文件发往 {offices} 的 {n} 项修改不会丢失："
                           "恢复后请对方发送完整同步文件（shebao sync export --full --to {office}），导入即可取回。")
            parts.append("<p>" + e(sent.format(offices="、".join(plan.sent.offices) or "-", n=plan.sent.count,
                                               office=plan.office or "")) + "</p>")
        return "".join(parts)

    def _lost_html(self, plan: RecoveryPlan) -> str:
        e = html.escape
        lost = plan.lost
        title = e(self.tr("将会丢失：备份之后在本机记录、没有通过同步文件发出的修改"))
        if not lost.known:
            unknown = self.tr("无法得知（数据库中的相关记录已无法读取：{reason}）").format(reason=lost.reason)
            return f"<p><b>{title}</b><br><span style='color:#b00020'>{e(unknown)}</span></p>"
        if not lost.kinds:
            text = f"<p><b>{title}</b><br>{e(self.tr('无。'))}</p>"
        else:
            kinds = "、".join(f"{kind_name(k, i18n.lang())} {n}" for k, n in lost.kinds)
            total = self.tr("共 {n} 项：{kinds}").format(n=lost.total, kinds=kinds)
            text = f"<p><b>{title}</b><br><span style='color:#b00020'>{e(total)}</span>"
            if lost.people_count:
                people = "、".join(f"{name or '?'}（{mask_id(key) if self.masked else key}）"
                                  for key, name in lost.people[:SHOWN_PEOPLE])
                who = self.tr("涉及 {n} 人：{people}").format(n=lost.people_count, people=people)
                if lost.people_count > SHOWN_PEOPLE:
                    who += self.tr("等")
                text += "<br>" + e(who)
            if lost.unnamed:
                unnamed = self.tr("其中 {n} 项的人员无法读取（所在记录已损坏）").format(n=lost.unnamed)
                text += "<br>" + e(unnamed)
            text += "</p>"
        if lost.partly:
            partly = self.tr("审计记录已无法读取，其他种类的修改无法得知：{reason}").format(reason=lost.partly)
            text += f"<p style='color:#b00020'>{e(partly)}</p>"
        return text

    # -- the choices ------------------------------------------------------------------------

    def restore(self) -> None:
        """Restore the backup and import the files again, with progress; the outcome is shown."""
        if self.plan is None or self.plan.backup is None:
            return
        self.error.clear()
        self.restore_button.setEnabled(False)
        self.read_only_button.setEnabled(False)
        ledger, folders = self.ledger, self.folders()
        labels = {"restore": self.tr("正在从备份恢复…"), "import": self.tr("正在重新导入同步文件…")}

        def run(task: Task) -> RecoveryResult:
            """The recovery, reporting its steps."""
            return ledger.recovery.recover(folders, progress=task.progress,
                                           stage=lambda key: task.stage(labels.get(key, key)))

        task_op(self, run, self.tr("正在从备份恢复…"), cancellable=False, runner=self.runner, ledger=ledger) \
            .success(self._restored).failure(self._not_restored).run(initiator=self)

    def _not_restored(self, error: BaseException) -> None:
        self.error.setText(i18n.message(error))
        self.read_only_button.setEnabled(True)
        self.restore_button.setEnabled(self.plan is not None and self.plan.backup is not None)

    def _restored(self, result: RecoveryResult) -> None:
        self.recovery = result
        self.plan_text.setText(self.outcome(result))
        self.title.setText(self.tr("已从备份恢复"))
        self.title.setStyleSheet("color: #1b5e20;")
        self.restore_button.hide()
        self.read_only_button.hide()
        self.continue_button.show()
        self.continue_button.setDefault(True)
        self.continue_button.setFocus()

    def outcome(self, r: RecoveryResult) -> str:
        """What the restore did (rich text)."""
        e = html.escape
        done = self.tr("已恢复备份 {file}（制作于 {when}）。").format(
            file=r.restored.file.name, when=r.restored.created.replace("T", " "))
        parts = [f"<p>{e(done)}</p>"]
        if r.restored.kept is not None:
            kept = self.tr("损坏的数据库另存为 {path}").format(path=r.restored.kept)
            parts.append(f"<p style='color:#555'>{e(kept)}</p>")
        for item in r.imported:
            name = item.file.name or (item.file.path.name if item.file.path else "")
            if item.error is None:
                line = self.tr("已重新导入 {name}：{n} 项变更").format(name=name, n=item.applied)
                parts.append(f"<p>{e(line)}</p>")
            else:
                line = self.tr("{name} 未导入：{reason}").format(name=name, reason=item.error.message(i18n.lang()))
                parts.append(f"<p style='color:#b00020'>{e(line)}</p>")
        if r.not_signed_in:
            line = self.tr("恢复后的数据中没有您的账号，同步文件尚未导入："
                           "请以恢复后的账号登录后在 文件 → 同步 中导入。")
            parts.append(f"<p style='color:#b00020'>{e(line)}</p>")
        missing = r.plan.missing_files
        if missing:
            line = self.tr("有 {n} 个同步文件未找到：请向发件机构索取完整同步文件。").format(n=len(missing))
            parts.append(f"<p style='color:#b00020'>{e(line)}</p>")
        if r.own_missing is not None:
            line = self.tr("本机构已发出的修改（序号 {first}–{last}）请对方发送完整同步文件取回。").format(
                first=r.own_missing[0], last=r.own_missing[1])
            parts.append(f"<p>{e(line)}</p>")
        return "".join(parts)

    def open_read_only(self) -> None:
        """Go on with the damaged database: reads where SQLite can, every write refused."""
        self.read_only.emit()
        super().accept()

    def _continue(self) -> None:
        self.restored.emit(self.recovery)
        super().accept()

    def reject(self) -> None:
        """Closing the dialog: read-only, unless the restore is done (then it goes on)."""
        if self.recovery is not None:
            self._continue()
            return
        if not self.read_only_button.isEnabled():
            return  # restoring: wait for it
        self.read_only.emit()
        super().reject()

    def retranslate(self) -> None:
        """Set every visible string in the interface language."""
        self.setWindowTitle(self.tr("数据库已损坏 — 社保经办桌面"))
        if self.recovery is None:
            self.title.setText(self.tr("数据库文件已损坏"))
        self.intro.setText(self.tr(
            "检查发现数据库文件有损坏。为免损坏扩大，本程序不再向其写入任何数据。"
            "可以从最近的备份恢复，再重新导入此后收到的同步文件；也可以只读打开，查看仍能读出的数据。"))
        problems = self.health.problems if self.health is not None else ()
        text = "\n".join(problems[:SHOWN_PROBLEMS])
        if len(problems) > SHOWN_PROBLEMS:
            text += "\n" + self.tr("……另有 {n} 处").format(n=len(problems) - SHOWN_PROBLEMS)
        self.problems.setPlainText(self.tr("SQLite 报告：") + "\n" + text)
        self.folder_label.setText(self.tr("备份文件夹(&F)"))
        self.browse_button.setText(self.tr("选择…"))
        self.find_button.setText(self.tr("重新查找"))
        self.restore_button.setText(self.tr("恢复(&R)"))
        self.read_only_button.setText(self.tr("只读打开(&O)"))
        self.continue_button.setText(self.tr("继续(&C)"))
        if self.recovery is not None:
            self.plan_text.setText(self.outcome(self.recovery))
        elif self.plan is not None:
            self.plan_text.setText(self.describe(self.plan))
