"""The audit trail in the window: whether its hash chain is intact, and a search by person, clerk
and date (ID numbers and phones masked, as in every list) of the changes and, on a second tab, of
who viewed, printed or exported a person's record."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QWidget,
)

from desktop.core.ledger import Ledger
from desktop.core.services.audit_trail import AuditItem, AuditVerdict
from desktop.core.services.views import PersonViewItem
from desktop.ui import i18n
from desktop.ui.layout import ERROR_STYLE, Retranslating, error_label, hbox, line_edit, vbox
from desktop.ui.list_model import Index, ListTableModel
from desktop.ui.operations import query
from desktop.ui.runner import Runner

COLUMNS = 7
OK_STYLE = "color: #1b5e20;"


@dataclass(frozen=True)
class AuditQuery:
    """What to look for: a person's number, a clerk, a date range (YYYY-MM-DD, either may be empty)."""

    person: str
    clerk: str
    start: str
    end: str


class AuditModel(ListTableModel):
    """Entries of the trail: number, time, clerk, counter, action, table, what changed."""

    column_count = COLUMNS

    @property
    def items(self) -> list[AuditItem]:
        """The items shown."""
        return self.rows

    def set_items(self, items: list[AuditItem]) -> None:
        """Show another list."""
        self.set_rows(items)

    def action_name(self, action: str) -> str:
        """An entry's kind in words."""
        return {"insert": self.tr("新增"), "update": self.tr("修改"), "delete": self.tr("删除"),
                "bulk_insert": self.tr("批量新增"), "event": self.tr("事件")}.get(action, action)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A cell's text."""
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        e = self.items[index.row()]
        changes = e.changes(4000 if role == Qt.ItemDataRole.ToolTipRole else 1000)
        if e.note:
            changes += f"  [{e.note}]"
        return [str(e.seq), e.at.strftime("%Y-%m-%d %H:%M:%S"), e.actor, e.counter,
                self.action_name(e.action), e.table, changes][index.column()]

    def titles(self) -> list[str]:
        """Column titles."""
        return [self.tr("序号"), self.tr("时间"), self.tr("经办人"), self.tr("窗口"), self.tr("操作"),
                self.tr("数据表"), self.tr("变更内容")]


class ViewsModel(ListTableModel):
    """Looks at people's records: time, clerk, role, counter, person, name, how, what."""

    column_count = 7

    @property
    def items(self) -> list[PersonViewItem]:
        """The items shown."""
        return self.rows

    def set_items(self, items: list[PersonViewItem]) -> None:
        """Show another list."""
        self.set_rows(items)

    def what_name(self, what: str) -> str:
        """How the record was looked at, in words."""
        return {"view": self.tr("查看"), "print": self.tr("打印"), "export": self.tr("导出")}.get(what, what)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A cell's text."""
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        v = self.items[index.row()]
        return [v.at.strftime("%Y-%m-%d %H:%M:%S"), v.actor, v.counter, v.person, v.name,
                self.what_name(v.what), v.detail][index.column()]

    def titles(self) -> list[str]:
        """Column titles."""
        return [self.tr("时间"), self.tr("经办人"), self.tr("窗口"), self.tr("参保人"), self.tr("姓名"),
                self.tr("方式"), self.tr("内容")]


def _table(model: ListTableModel, stretch: int) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


class AuditDialog(Retranslating, QDialog):
    """Checks the chain when opened (red when an entry was edited, deleted, inserted or moved) and
    searches the trail. Supervisors and administrators only: the core refuses others."""

    def __init__(self, ledger: Ledger, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger, self.runner = ledger, runner
        self.verdict: AuditVerdict | None = None
        self.banner = QLabel()
        self.banner.setObjectName("audit_banner")
        self.banner.setWordWrap(True)
        self.verify_button = QPushButton()
        self.verify_button.clicked.connect(self.verify)
        self.person, self.clerk = line_edit(20, 20), line_edit(60, 10)
        self.start, self.end = line_edit(10, 11), line_edit(10, 11)
        self.labels = [QLabel() for _ in range(4)]
        for label, editor in zip(self.labels, (self.person, self.clerk, self.start, self.end), strict=True):
            label.setBuddy(editor)
            editor.returnPressed.connect(self.search)
        self.search_button = QPushButton()
        self.search_button.clicked.connect(self.search)
        self.model = AuditModel(self)
        self.table = _table(self.model, COLUMNS - 1)
        self.views_model = ViewsModel(self)
        self.views_table = _table(self.views_model, ViewsModel.column_count - 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.table, "")
        self.tabs.addTab(self.views_table, "")
        self.error = error_label()
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.reject)
        fields: list[Any] = []
        for label, editor in zip(self.labels, (self.person, self.clerk, self.start, self.end), strict=True):
            fields += [label, editor]
        self.setLayout(vbox(hbox(self.banner, 1, self.verify_button), hbox(*fields, self.search_button, 1),
                            self.tabs, self.error, hbox(1, self.close_button), margin=12))
        self.resize(1100, 600)
        self.retranslate()
        self.verify()
        self.search()

    def collect(self) -> AuditQuery:
        """The search fields."""
        return AuditQuery(self.person.text().strip(), self.clerk.text().strip(), self.start.text().strip(),
                          self.end.text().strip())

    def verify(self) -> None:
        """Walk the chain in the background and show the finding."""
        self.verify_button.setEnabled(False)
        self.banner.setText(self.tr("正在核验审计记录…"))
        self.banner.setStyleSheet("")
        query(self, self.ledger.audit.verify, self.runner).success(self._verified) \
            .failure(self._not_verified).run()

    def _not_verified(self, error: BaseException) -> None:
        self.verify_button.setEnabled(True)
        self.banner.setText(i18n.message(error))
        self.banner.setStyleSheet(ERROR_STYLE)

    def _verified(self, verdict: AuditVerdict) -> None:
        self.verify_button.setEnabled(True)
        self.verdict = verdict
        self._show_verdict()

    def _show_verdict(self) -> None:
        v = self.verdict
        if v is None:
            return
        if v.valid:
            self.banner.setText(v.message(i18n.lang()))
            self.banner.setStyleSheet(OK_STYLE)
        else:
            if v.first_bad is None or v.reason in ("audit.attested", "audit.backup_head"):
                # a ledger row that differs from the trail, or a trail replaced as a whole
                text = self.tr("核验未通过：{reason}。请立即报告主管，并从备份核对。")
            else:
                text = self.tr("审计记录被改动：{reason}。请立即报告主管，并从备份核对。")
            self.banner.setText(text.format(reason=v.message(i18n.lang())))
            self.banner.setStyleSheet(ERROR_STYLE + " font-weight: bold;")

    def search(self) -> None:
        """Run the search in the background (newest entries first)."""
        q = self.collect()
        self.error.clear()
        query(self, lambda: self.ledger.audit.search(q.person or None, q.clerk or None, q.start or None,
                                                     q.end or None, limit=1000), self.runner) \
            .success(self.model.set_items).run()
        query(self, lambda: self.ledger.views.search(q.person or None, q.clerk or None, q.start or None,
                                                     q.end or None, limit=1000), self.runner) \
            .success(self.views_model.set_items).run()

    def show_error(self, error: BaseException) -> None:
        """Say why the search failed."""
        self.error.setText(i18n.message(error))

    def retranslate(self) -> None:
        """Set every visible string in the interface language."""
        self.setWindowTitle(self.tr("审计记录"))
        self.verify_button.setText(self.tr("重新核验(&V)"))
        for label, text in zip(self.labels, (self.tr("参保人(&P)"), self.tr("经办人(&C)"), self.tr("从(&F)"),
                                             self.tr("至(&T)")), strict=True):
            label.setText(text)
        self.person.setPlaceholderText(self.tr("身份证号码"))
        self.start.setPlaceholderText(self.ledger.today().replace(day=1).isoformat())
        self.end.setPlaceholderText(self.tr("年-月-日"))
        self.search_button.setText(self.tr("查询(&Q)"))
        self.close_button.setText(self.tr("关闭"))
        self.tabs.setTabText(0, self.tr("修改记录(&1)"))
        self.tabs.setTabText(1, self.tr("查阅记录(&2)"))
        self.model.retranslate()
        self.views_model.retranslate()
        self._show_verdict()
