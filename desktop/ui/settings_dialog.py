"""Office settings: reference values by region and period, the office's identity, the language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QWidget,
)

from desktop.core.changes import Changes
from desktop.core.ledger import Ledger
from desktop.core.month import Month
from desktop.core.services.office import (
    CONTACT_FIELDS,
    IDLE_MOST_MINUTES,
    OfficeContact,
    OfficeInfo,
)
from desktop.ui import files, i18n
from desktop.ui.layout import Retranslating, error_label, hbox, short_message, vbox
from desktop.ui.operations import op, query
from desktop.ui.reference_model import (
    KINDS,
    ReferenceChange,
    ReferenceModel,
    SchemeDelegate,
    apply_change,
    rows_of,
)
from desktop.ui.runner import Runner

Saved = tuple[int, ReferenceChange | None, BaseException | None]


def save_changes(ledger: Ledger, changes: list[ReferenceChange]) -> Saved:
    """Store rows one by one (worker thread); stops at the first refused row and says which."""
    done = 0
    for change in changes:
        try:
            apply_change(ledger, change)
        except Exception as exc:  # noqa: BLE001 - reported beside the table with the row number
            return done, change, exc
        done += 1
    return done, None, None


class SettingsDialog(Retranslating, QDialog):
    """Reference values in editable tables with effective dates; office identity; language."""

    language_chosen = Signal(str)

    def __init__(self, ledger: Ledger, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.runner = runner
        self.office: OfficeInfo | None = None
        self.tabs = QTabWidget()
        self.reference_tabs = QTabWidget()
        self.models: dict[str, ReferenceModel] = {}
        self.views: dict[str, QTableView] = {}
        for kind in KINDS:
            model = ReferenceModel(kind, self)
            view = QTableView()
            view.setObjectName(f"reference_{kind}")
            view.setModel(model)
            view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
            view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                 | QAbstractItemView.EditTrigger.EditKeyPressed
                                 | QAbstractItemView.EditTrigger.AnyKeyPressed)
            view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            view.horizontalHeader().setStretchLastSection(True)
            if "scheme" in model.columns:
                view.setItemDelegateForColumn(model.columns.index("scheme"), SchemeDelegate(view))
            self.models[kind] = model
            self.views[kind] = view
            self.reference_tabs.addTab(view, "")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")
        self.add_button = QPushButton()
        self.add_button.clicked.connect(self.add_row)
        self.save_button = QPushButton()
        self.save_button.setObjectName("save_reference")
        self.save_button.clicked.connect(self.save)
        self.reference_error = error_label()
        self.reference_status = QLabel()
        reference_page = QWidget()
        buttons = hbox(self.add_button, self.save_button, self.reference_status, 1)
        reference_page.setLayout(vbox(self.hint, self.reference_tabs, buttons,
                                      self.reference_error, margin=8))
        self.office_form = QFormLayout()
        self.office_labels = [QLabel() for _ in range(4)]
        self.office_values = [QLabel() for _ in range(4)]
        for label, value in zip(self.office_labels, self.office_values, strict=True):
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.office_form.addRow(label, value)
        self.office_values[3].setObjectName("fingerprint")
        self.contact_title = QLabel()
        self.contact_title.setStyleSheet("font-weight: bold;")
        self.contact_form = QFormLayout()
        self.contact: dict[str, QLineEdit] = {}
        self.contact_labels: dict[str, QLabel] = {}
        for name in CONTACT_FIELDS:
            edit = QLineEdit()
            edit.setObjectName("contact_" + name)
            edit.setMaxLength(200 if name in ("address", "bank", "bank_account_name") else 40)
            label = QLabel()
            label.setBuddy(edit)
            self.contact[name], self.contact_labels[name] = edit, label
            self.contact_form.addRow(label, edit)
        self.contact_save = QPushButton()
        self.contact_save.setObjectName("save_contact")
        self.contact_save.clicked.connect(self.save_contact)
        self.contact_status = QLabel()
        self.contact_status.setObjectName("contact_status")
        self.contact_error = error_label()
        self.contact_error.setObjectName("contact_error")
        self.contact_hint = QLabel()
        self.contact_hint.setWordWrap(True)
        self.contact_hint.setStyleSheet("color: #555;")
        self.idle_label = QLabel()
        self.idle = QSpinBox()
        self.idle.setObjectName("idle_minutes")
        self.idle.setRange(0, IDLE_MOST_MINUTES)
        self.idle_label.setBuddy(self.idle)
        self.idle_save = QPushButton()
        self.idle_save.setObjectName("save_idle")
        self.idle_save.clicked.connect(self.save_idle)
        self.idle_status = QLabel()
        self.idle_status.setObjectName("idle_status")
        self.idle_error = error_label()
        self.idle_error.setObjectName("idle_error")
        office_page = QWidget()
        office_page.setLayout(vbox(self.office_form, self.contact_title, self.contact_form, self.contact_hint,
                                   hbox(self.contact_save, self.contact_status, 1), self.contact_error,
                                   hbox(self.idle_label, self.idle, self.idle_save, self.idle_status, 1),
                                   self.idle_error, 1, margin=16))
        self.language_label = QLabel()
        self.language = QComboBox()
        self.language.setObjectName("language")
        for code, name in i18n.LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(self.language.findData(i18n.lang()), 0))
        self.language.currentIndexChanged.connect(self._language_changed)
        self.language_label.setBuddy(self.language)
        language_page = QWidget()
        language_page.setLayout(vbox(hbox(self.language_label, self.language, 1), 1, margin=16))
        self.outbox_label = QLabel()
        self.outbox = QLineEdit()
        self.outbox.setObjectName("sync_outbox")
        self.outbox.setReadOnly(True)
        self.outbox_label.setBuddy(self.outbox)
        self.outbox_button = QPushButton()
        self.outbox_button.setObjectName("choose_outbox")
        self.outbox_button.clicked.connect(lambda: self.choose_outbox())
        self.outbox_clear = QPushButton()
        self.outbox_clear.setObjectName("clear_outbox")
        self.outbox_clear.clicked.connect(lambda: self.choose_outbox(""))
        self.outbox_hint = QLabel()
        self.outbox_hint.setWordWrap(True)
        self.outbox_hint.setStyleSheet("color: #555;")
        self.outbox_status = QLabel()
        self.outbox_status.setObjectName("outbox_status")
        self.outbox_error = error_label()
        self.outbox_error.setObjectName("outbox_error")
        sync_page = QWidget()
        sync_page.setLayout(vbox(hbox(self.outbox_label, self.outbox, self.outbox_button, self.outbox_clear),
                                 self.outbox_hint, self.outbox_status, self.outbox_error, 1, margin=16))
        self.tabs.addTab(reference_page, "")
        self.tabs.addTab(office_page, "")
        self.tabs.addTab(language_page, "")
        self.tabs.addTab(sync_page, "")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        self.setLayout(vbox(self.tabs, self.buttons, margin=12))
        self.resize(980, 600)
        self.retranslate()
        self.reload()

    def reload(self) -> None:
        """Read the office and the reference values in the background."""
        ledger = self.ledger
        query(self, lambda: (ledger.office.get(), ledger.history.reference_values(), ledger.sync.outbox(),
                             ledger.office.contact(), ledger.office.idle_seconds()),
              self.runner).success(self._loaded).failure(self._show_reference_error).run()

    def _show_reference_error(self, error: BaseException) -> None:
        self.reference_error.setText(i18n.message(error))

    def _loaded(self, result: Any) -> None:
        """Show the office and the reference values read in the background."""
        self.office, values, outbox, contact, idle = result
        self.idle.setValue(int((idle / 60).to_integral_value()))
        for kind, model in self.models.items():
            model.set_rows(rows_of(values, kind))
        self._show_office()
        self.outbox.setText(outbox or "")
        self._show_contact(contact)

    def _show_contact(self, contact: OfficeContact) -> None:
        """Fill the contact fields with what is stored."""
        for name, edit in self.contact.items():
            edit.setText(getattr(contact, name))

    def save_contact(self) -> None:
        """Store the office's contact details (an administrator's change; each field checked by the core)."""
        values = {name: edit.text().strip() for name, edit in self.contact.items()}
        self.contact_error.clear()
        self.contact_status.clear()
        self.contact_save.setEnabled(False)
        ledger = self.ledger
        op(self, lambda: ledger.office.set_contact(**values), self.runner, ledger) \
            .success(self._contact_saved).failure(self._contact_refused).run(initiator=self)

    def _contact_saved(self, result: Any) -> None:
        self.contact_save.setEnabled(True)
        self._show_contact(result)
        self.contact_status.setText(self.tr("已保存联系方式"))

    def _contact_refused(self, error: BaseException) -> None:
        """Say which field was refused and why, and put the cursor there."""
        self.contact_save.setEnabled(True)
        self.contact_error.setText(i18n.message(error))
        edit = self.contact.get(str(getattr(error, "field", "") or ""))
        if edit is not None:
            edit.setFocus()
            edit.selectAll()

    def save_idle(self) -> None:
        """Store the idle sign-out time (an administrator's change); it applies at the next sign-in."""
        minutes = self.idle.value()
        self.idle_error.clear()
        self.idle_status.clear()
        self.idle_save.setEnabled(False)
        ledger = self.ledger
        op(self, lambda: ledger.office.set_idle(minutes), self.runner, ledger) \
            .success(self._idle_saved).failure(self._idle_refused).run(initiator=self)

    def _idle_saved(self, _seconds: Any) -> None:
        self.idle_save.setEnabled(True)
        self.idle_status.setText(self.tr("已保存：下次登录起生效") if self.idle.value()
                                 else self.tr("已保存：不再自动退出登录"))

    def _idle_refused(self, error: BaseException) -> None:
        self.idle_save.setEnabled(True)
        self.idle_error.setText(i18n.message(error))

    def _show_office(self) -> None:
        """Fill the office identity labels."""
        o = self.office
        if o is None:
            return
        for label, text in zip(self.office_values,
                               (o.code, o.name, f"{o.region_name}（{o.region}）", o.fingerprint),
                               strict=True):
            label.setText(text)

    def current_kind(self) -> str:
        """The kind of value on the visible tab."""
        return list(KINDS)[self.reference_tabs.currentIndex()]

    def add_row(self) -> None:
        """Add a blank row on the visible tab, prefilled with sensible defaults, and edit it."""
        kind = self.current_kind()
        today = self.ledger.today()
        region = self.office.region if self.office else ""
        defaults = {"region": region, "year": str(today.year), "start": str(Month(today.year, 1)),
                    "scheme": "pension"}
        row = self.models[kind].add_row(defaults)
        view = self.views[kind]
        column = 0 if kind == "interest" else 1
        view.setCurrentIndex(self.models[kind].index(row, column))
        view.scrollToBottom()
        view.setFocus()

    def save(self) -> None:
        """Store every edited or new row; on a refused row, say which row and why."""
        changes = [c for model in self.models.values() for c in model.changes()]
        self.reference_error.clear()
        if not changes:
            self.reference_status.setText(self.tr("没有需要保存的更改"))
            return
        self.save_button.setEnabled(False)
        ledger, tables = self.ledger, frozenset(c.kind for c in changes)
        op(self, lambda: save_changes(ledger, changes), self.runner, ledger).reports(Changes(reference=tables)) \
            .success(self._saved).failure(self._not_saved).run(initiator=self)

    def _not_saved(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        self._show_reference_error(error)

    def _saved(self, result: Any) -> None:
        """Report what was stored, or which row was refused and why."""
        self.save_button.setEnabled(True)
        done, failed, problem = result
        if failed is not None and problem is not None:
            kind_index = list(KINDS).index(failed.kind)
            self.reference_tabs.setCurrentIndex(kind_index)
            self.views[failed.kind].selectRow(failed.row)
            self.reference_error.setText(self.tr("第 {row} 行：{message}").format(
                row=failed.row + 1, message=i18n.message(problem)))
            self.reference_status.setText(self.tr("已保存 {count} 行").format(count=done))
            return
        self.reference_status.setText(self.tr("已保存 {count} 行").format(count=done))
        self.reload()

    def choose_outbox(self, folder: str | None = None) -> None:
        """Ask for the sync outbox folder (unless given; "" clears it), then store it."""
        if folder is None:
            start = self.outbox.text() or str(Path.home())
            folder = files.existing_directory(self, self.tr("选择同步发件文件夹"), start)
            if not folder:
                return
        self.outbox_error.clear()
        self.outbox_status.clear()
        self.outbox_button.setEnabled(False)
        self.outbox_clear.setEnabled(False)
        op(self, lambda: self.ledger.sync.set_outbox(folder), self.runner, self.ledger) \
            .success(self._outbox_saved).failure(self._outbox_refused).run(initiator=self)

    def _outbox_refused(self, error: BaseException) -> None:
        """Say why the folder was refused."""
        self._outbox_ready()
        self.outbox_error.setText(short_message(error))

    def _outbox_saved(self, result: Any) -> None:
        """Show the folder stored."""
        self._outbox_ready()
        self.outbox.setText(result or "")
        self.outbox_status.setText(self.tr("已保存同步发件文件夹") if result
                                   else self.tr("已清除同步发件文件夹"))

    def _outbox_ready(self) -> None:
        self.outbox_button.setEnabled(True)
        self.outbox_clear.setEnabled(True)

    def _language_changed(self, _index: int) -> None:
        """Switch the interface language when another one is chosen."""
        code = str(self.language.currentData())
        if code != i18n.lang():
            i18n.apply(code)
            self.language_chosen.emit(code)

    def retranslate(self) -> None:
        """Set every visible string in the interface language."""
        self.setWindowTitle(self.tr("机构设置"))
        for i, text in enumerate([self.tr("费率与工资"), self.tr("本机构"), self.tr("语言"),
                                  self.tr("同步")]):
            self.tabs.setTabText(i, text)
        for i, text in enumerate([self.tr("社会平均工资"), self.tr("费率"), self.tr("基数上下限"),
                                  self.tr("记账利率")]):
            self.reference_tabs.setTabText(i, text)
        self.hint.setText(self.tr(
            "按地区和起止月份设定；本机构设定的值优先于内置值。修改或新增后按“保存更改”，"
            "比例和费率写小数（如 0.16 表示 16%）。"))
        self.add_button.setText(self.tr("新增一行(&A)"))
        self.save_button.setText(self.tr("保存更改(&S)"))
        for label, text in zip(self.office_labels, [self.tr("经办机构代码"), self.tr("经办机构名称"),
                                                    self.tr("统筹区"), self.tr("密钥指纹")], strict=True):
            label.setText(text)
        self.contact_title.setText(self.tr("联系方式与银行账户（印在各类文书抬头和联系函上）"))
        for name, text in (("address", self.tr("地址(&D)")), ("phone", self.tr("联系电话(&P)")),
                           ("postcode", self.tr("邮政编码(&Z)")), ("bank_account_name", self.tr("开户名称(&N)")),
                           ("bank", self.tr("开户银行(&K)")), ("bank_account", self.tr("银行账号(&U)"))):
            self.contact_labels[name].setText(text)
        self.contact["phone"].setPlaceholderText(self.tr("如 0791-86123456"))
        self.contact["postcode"].setPlaceholderText(self.tr("6位数字"))
        self.contact["bank_account_name"].setPlaceholderText(self.tr("空白时为本机构名称"))
        self.contact_hint.setText(self.tr(
            "办理转入时，联系函的开户名称、银行、账号、地址和电话默认取这里的值。只有管理员可以修改。"))
        self.contact_save.setText(self.tr("保存联系方式(&C)"))
        self.idle_label.setText(self.tr("无人操作时自动退出登录(&I)"))
        self.idle.setSuffix(self.tr(" 分钟"))
        self.idle.setSpecialValueText(self.tr("从不"))
        self.idle_save.setText(self.tr("保存(&G)"))
        self.idle.setToolTip(self.tr("窗口在这段时间内没有键盘和鼠标操作时退出登录，清除屏幕上的参保人信息；"
                                     "0 表示从不。只有管理员可以修改。"))
        self.language_label.setText(self.tr("界面语言(&L)"))
        self.outbox_label.setText(self.tr("同步发件文件夹(&O)"))
        self.outbox.setPlaceholderText(self.tr("未设置"))
        self.outbox_button.setText(self.tr("浏览(&B)…"))
        self.outbox_clear.setText(self.tr("清除"))
        self.outbox_hint.setText(self.tr(
            "计划任务运行 shebao sync outbox 时，会把发给全部受信任机构的同步文件写到这个文件夹"
            "（文件名为机构代码和时间）。只有管理员可以修改。"))
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        for model in self.models.values():
            model.retranslate()
        self.language.blockSignals(True)
        self.language.setCurrentIndex(max(self.language.findData(i18n.lang()), 0))
        self.language.blockSignals(False)
