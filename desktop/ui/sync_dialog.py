"""Offline sync with other offices: export and import sync files, see what is missing, review
conflicting edits. Every database call and file runs on the runner; errors are shown, never raised."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QWidget,
)

from desktop.core.changes import NOTHING, Changes
from desktop.core.ledger import Ledger
from desktop.core.messages import field_label
from desktop.core.privacy import mask_id
from desktop.core.refdata import schemes
from desktop.core.services.office import OfficeInfo
from desktop.core.services.sync import ConflictInfo, ExportResult, Gap, ImportResult, PeerStatus
from desktop.core.sync.tables import TABLES
from desktop.ui import files, i18n
from desktop.ui.layout import Retranslating, error_label, hbox, heading, short_message, vbox
from desktop.ui.list_model import Index, ListTableModel
from desktop.ui.operations import op, query, task_op
from desktop.ui.runner import Runner, Task

SHOWN = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
WITH_PERSON = ("worker", "contribution", "resident_contribution")
HINT_STYLE = "color: #555;"


@dataclass(frozen=True)
class SyncState:
    """What the dialog shows, read in one go on the worker thread."""

    office: OfficeInfo
    peers: list[PeerStatus]
    pending: int
    gaps: list[Gap]
    conflicts: list[ConflictInfo]
    outbox: str | None


def load_state(ledger: Ledger) -> SyncState:
    """Read the sync state (worker thread)."""
    sync = ledger.sync
    return SyncState(ledger.office.get(), sync.peers(), sync.pending_changes(), sync.gaps(),
                     sync.conflicts(), sync.outbox())


def _when(value: dt.datetime | None, never: str) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else never


def origin_of(version: str) -> str:
    """The office code of a version id such as OFF02:17."""
    return version.rpartition(":")[0] or version


def mask_person(key: str) -> str:
    """A person's key with the number masked: an ID number, or nationality and passport."""
    nationality, sep, passport = key.partition(":")
    if sep:
        return f"{nationality}:{mask_id(passport)}"
    return mask_id(key)


def scheme_name(code: str, lang: str) -> str:
    """A scheme's name, or its code when unknown."""
    known = schemes().get(code)
    return known.name(lang) if known is not None else code


def shown_key(table: str, key: str, lang: str) -> str:
    """A record's key as a list shows it: the person's number masked, months and schemes in words."""
    parts = key.split("|")
    if table in WITH_PERSON:
        parts[0] = mask_person(parts[0])
    if table == "contribution" and len(parts) == 4:
        month = parts[2]
        if month.isdigit() and len(month) == 6:
            parts[2] = f"{month[:4]}-{month[4:]}"
        parts[3] = scheme_name(parts[3], lang)
    elif table == "resident_contribution" and len(parts) == 3:
        parts[1] = scheme_name(parts[1], lang)
    return " / ".join(parts)


class PeersModel(ListTableModel):
    """Trusted offices: code, name, last import, last export, changes applied, can receive."""

    column_count = 6

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A cell's text."""
        if not index.isValid() or role not in SHOWN:
            return None
        p: PeerStatus = self.rows[index.row()]
        never = self.tr("从未")
        return [p.code, p.name, _when(p.last_import, never), _when(p.last_export, never),
                str(p.applied_seq), self.tr("是") if p.can_receive else self.tr("否（需重新交换身份文件）")
                ][index.column()]

    def titles(self) -> list[str]:
        """Column titles."""
        return [self.tr("机构代码"), self.tr("机构名称"), self.tr("最近导入"), self.tr("最近导出"),
                self.tr("已应用其变更（条）"), self.tr("可接收加密文件")]


class GapsModel(ListTableModel):
    """Changes still missing: the office they come from and the range of change numbers."""

    column_count = 2

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.names: dict[str, str] = {}

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A cell's text."""
        if not index.isValid() or role not in SHOWN:
            return None
        g: Gap = self.rows[index.row()]
        if index.column() == 0:
            name = self.names.get(g.origin)
            return f"{g.origin} {name}" if name else g.origin
        return self.tr("第 {first}–{last} 条变更").format(first=g.first_missing, last=g.last_missing)

    def titles(self) -> list[str]:
        """Column titles."""
        return [self.tr("来源机构"), self.tr("缺少的变更")]


class ConflictsModel(ListTableModel):
    """Open conflicts: number, kind of record, record (numbers masked), winning and losing office,
    when found."""

    column_count = 6

    def kind_name(self, table: str) -> str:
        """A kind of record in words."""
        return {"worker": self.tr("参保人"), "employer": self.tr("用人单位"),
                "contribution": self.tr("缴费记录"), "resident_contribution": self.tr("城乡居民缴费"),
                "transfer_case": self.tr("转移接续")}.get(table, table)

    def record(self, c: ConflictInfo) -> str:
        """The record's key, with the person's name when the data has it."""
        text = shown_key(c.table, c.key, i18n.lang())
        name = c.winner_data.get("name") if c.table == "worker" else None
        return f"{text} {name}" if name else text

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A cell's text."""
        if not index.isValid() or role not in SHOWN:
            return None
        c: ConflictInfo = self.rows[index.row()]
        return [f"#{c.id}", self.kind_name(c.table), self.record(c), origin_of(c.winner),
                origin_of(c.loser), c.detected_at.strftime("%Y-%m-%d %H:%M")][index.column()]

    def titles(self) -> list[str]:
        """Column titles."""
        return [self.tr("编号"), self.tr("记录类型"), self.tr("记录"), self.tr("胜出方"),
                self.tr("落选方"), self.tr("发现时间")]


class DifferencesModel(ListTableModel):
    """The fields in which the two edits of a conflict differ: field, winning value, losing value."""

    column_count = 3

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.table = ""

    def show_conflict(self, c: ConflictInfo | None) -> None:
        """Show the differences of a conflict (none: empty)."""
        self.table = c.table if c is not None else ""
        self.set_rows(c.differences() if c is not None else [])

    def value(self, name: str, value: Any) -> str:
        """A stored value in words: money in yuan, yes or no, schemes by name."""
        if value is None or value == "":
            return self.tr("（空）")
        spec = TABLES.get(self.table)
        kind = next((f.kind for f in spec.fields if f.name == name), "str") if spec else "str"
        if kind == "money" and isinstance(value, int):
            return f"{Decimal(value).scaleb(-2):,.2f}"
        if kind == "bool" or isinstance(value, bool):
            return self.tr("是") if value else self.tr("否")
        if name == "scheme":
            return scheme_name(str(value), i18n.lang())
        return str(value)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A cell's text."""
        if not index.isValid() or role not in SHOWN:
            return None
        name, winner, loser = self.rows[index.row()]
        if index.column() == 0:
            return field_label(name, i18n.lang())
        return self.value(name, winner if index.column() == 1 else loser)

    def titles(self) -> list[str]:
        """Column titles."""
        return [self.tr("字段"), self.tr("胜出的值"), self.tr("落选的值")]


def _table(model: ListTableModel, name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    return view


def _hint() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(HINT_STYLE)
    return label


class SyncDialog(Retranslating, QDialog):
    """Trusted offices with export and import, missing changes, and conflicts to review.

    records_changed tells the window to refresh the person it shows once the dialog closes (after an
    import; a resolved conflict reports its changes as it is resolved).
    """

    def __init__(self, ledger: Ledger, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger, self.runner = ledger, runner
        self.state: SyncState | None = None
        self.running = False
        self.loading = False
        self.records_changed = False
        self.last_export: ExportResult | None = None
        self.last_import: ImportResult | None = None
        self.title = heading(2)
        self.tabs = QTabWidget()

        self.pending = QLabel()
        self.pending.setObjectName("sync_pending")
        self.outbox = _hint()
        self.peers = PeersModel(self)
        self.peers_view = _table(self.peers, "sync_peers")
        self.peers_view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.peers_view.horizontalHeader().setStretchLastSection(False)
        self.to_label = QLabel()
        self.to = QComboBox()
        self.to.setObjectName("sync_to")
        self.to.setMinimumContentsLength(16)
        self.to.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.to.addItem("", None)
        self.to_label.setBuddy(self.to)
        self.full = QCheckBox()
        self.full.setObjectName("sync_full")
        self.export_button = QPushButton()
        self.export_button.setObjectName("sync_export")
        self.export_button.clicked.connect(lambda: self.export_file())
        self.import_button = QPushButton()
        self.import_button.setObjectName("sync_import")
        self.import_button.clicked.connect(lambda: self.import_file())
        self.result_label = QLabel()
        self.result_label.setObjectName("sync_result")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        offices_page = QWidget()
        offices_page.setLayout(vbox(
            self.pending, self.peers_view,
            hbox(self.to_label, self.to, self.full, 1, self.import_button, self.export_button),
            self.result_label, self.outbox, margin=8))

        self.gaps = GapsModel(self)
        self.gaps_view = _table(self.gaps, "sync_gaps")
        self.gaps_hint = _hint()
        gaps_page = QWidget()
        gaps_page.setLayout(vbox(self.gaps_hint, self.gaps_view, margin=8))

        self.conflicts = ConflictsModel(self)
        self.conflicts_view = _table(self.conflicts, "sync_conflicts")
        self.conflicts_view.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.conflicts_view.horizontalHeader().setStretchLastSection(False)
        self.conflicts_view.selectionModel().selectionChanged.connect(lambda *_: self._conflict_selected())
        self.differences = DifferencesModel(self)
        self.differences_view = _table(self.differences, "sync_differences")
        self.differences_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.differences_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.conflict_hint = _hint()
        self.keep_button = QPushButton()
        self.keep_button.setObjectName("sync_keep")
        self.keep_button.clicked.connect(lambda: self.resolve_selected("winner"))
        self.take_button = QPushButton()
        self.take_button.setObjectName("sync_take")
        self.take_button.clicked.connect(lambda: self.resolve_selected("loser"))
        conflicts_page = QWidget()
        conflicts_page.setLayout(vbox(self.conflicts_view, self.conflict_hint, self.differences_view,
                                      hbox(1, self.keep_button, self.take_button), margin=8))

        self.tabs.addTab(offices_page, "")
        self.tabs.addTab(gaps_page, "")
        self.tabs.addTab(conflicts_page, "")
        self.error = error_label()
        self.error.setObjectName("sync_error")
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.reload)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.reject)
        for button in (self.export_button, self.import_button, self.keep_button, self.take_button,
                       self.refresh_button, self.close_button):
            button.setAutoDefault(False)
        self.setLayout(vbox(self.title, self.tabs, self.error,
                            hbox(self.refresh_button, 1, self.close_button), margin=12))
        self.resize(960, 600)
        self.retranslate()
        self._update_buttons()
        self.reload()

    # -- reading ---------------------------------------------------------------------------

    def reload(self) -> None:
        """Read offices, pending changes, gaps and conflicts again in the background."""
        self.loading = True
        self.refresh_button.setEnabled(False)
        query(self, lambda: load_state(self.ledger), self.runner).success(self._loaded) \
            .failure(self._not_loaded).run()

    def _not_loaded(self, error: BaseException) -> None:
        self.loading = False
        self.refresh_button.setEnabled(not self.running)
        self.error.setText(short_message(error))

    def _loaded(self, result: SyncState) -> None:
        self.loading = False
        self.refresh_button.setEnabled(not self.running)
        selected = self.selected_conflict()
        self.state = result
        self.peers.set_rows(result.peers)
        self.gaps.names = {p.code: p.name for p in result.peers}
        self.gaps.set_rows(result.gaps)
        self.conflicts.set_rows(result.conflicts)
        self._fill_targets()
        if not (selected is not None and self.select_conflict(selected.id)) and result.conflicts:
            self.conflicts_view.selectRow(0)
        self._conflict_selected()
        self._show_state()

    def _fill_targets(self) -> None:
        """Offer every trusted office as a destination, keeping the one chosen."""
        assert self.state is not None
        chosen = self.to.currentData()
        self.to.blockSignals(True)
        while self.to.count() > 1:
            self.to.removeItem(1)
        for p in self.state.peers:
            self.to.addItem(f"{p.code} {p.name}", p.code)
        self.to.setCurrentIndex(max(self.to.findData(chosen), 0) if chosen is not None else 0)
        self.to.blockSignals(False)

    def _show_state(self) -> None:
        """Counts, hints and tab titles for what was read."""
        s = self.state
        gaps = len(s.gaps) if s else 0
        conflicts = len(s.conflicts) if s else 0
        self.tabs.setTabText(0, self.tr("机构(&O)"))
        self.tabs.setTabText(1, self.tr("待补缺口（{count}）(&G)").format(count=gaps) if gaps
                             else self.tr("待补缺口(&G)"))
        self.tabs.setTabText(2, self.tr("冲突（{count}）(&C)").format(count=conflicts) if conflicts
                             else self.tr("冲突(&C)"))
        if s is None:
            self.pending.setText(self.tr("正在读取…"))
            return
        self.pending.setText(self.tr("本机构 {code} 有 {count} 条变更尚未导出。").format(
            code=s.office.code, count=s.pending) if s.pending
            else self.tr("本机构 {code} 的变更都已导出。").format(code=s.office.code))
        self.outbox.setText(self.tr(
            "同步发件文件夹：{folder}（计划任务运行 shebao sync outbox 会把发给全部受信任机构的文件写到这里）"
        ).format(folder=s.outbox) if s.outbox else self.tr(
            "尚未设置同步发件文件夹（机构设置 → 同步）。"))
        self.gaps_hint.setText(self.tr(
            "这些变更还没有收到，其后的变更已暂存、暂不应用。请向来源机构索取包含这些变更的同步文件"
            "（或完整快照），导入后暂存的变更随之应用。") if gaps else self.tr("没有缺少的变更。"))

    # -- export and import -----------------------------------------------------------------

    def _folder(self) -> str:
        return str(i18n.settings().value("sync/folder", str(Path.home())))

    def suggested_name(self) -> str:
        """A file name for an export: this office, the destination, the time."""
        own = self.state.office.code if self.state else "shebao"
        to = self.to.currentData()
        stamp = self.ledger.now().strftime("%Y%m%d-%H%M%S")
        return f"{own}-{to}-{stamp}.sync" if to else f"{own}-{stamp}.sync"

    def export_file(self, path: str | Path | None = None) -> Task | None:
        """Write a sync file for the chosen office (or every trusted office); asks where unless
        given a path."""
        if self.running:
            return None
        if path is None:
            name = files.save_file_name(
                self, self.tr("保存同步文件"), str(Path(self._folder()) / self.suggested_name()),
                self.tr("同步文件 (*.sync)"))
            if not name:
                return None
            path = name
        target = Path(path)
        i18n.settings().setValue("sync/folder", str(target.parent))
        to = self.to.currentData()
        full = self.full.isChecked()
        self._start()
        ledger = self.ledger
        return task_op(self, lambda task: ledger.sync.export(target, to=to, full=full, progress=task.progress),
                       self.tr("正在导出同步文件…"), cancellable=False, runner=self.runner, ledger=ledger) \
            .success(self._exported).failure(self._failed).run(initiator=self)

    def _failed(self, error: BaseException) -> None:
        """An export or import refused: say why."""
        self._stop()
        self.error.setText(short_message(error))

    def _exported(self, result: ExportResult) -> None:
        self._stop()
        self.last_export = result
        self.result_label.setText(self.tr(
            "已导出 {changes} 条变更，发给 {to}。\n文件：{file}\nSHA-256：{sha}").format(
                changes=result.changes, to="、".join(result.to), file=result.file, sha=result.sha256))
        self.reload()

    def import_file(self, path: str | Path | None = None) -> Task | None:
        """Verify and import a sync file; asks which unless given a path."""
        if self.running:
            return None
        if path is None:
            name = files.open_file_name(
                self, self.tr("选择同步文件"), self._folder(),
                self.tr("同步文件 (*.sync);;所有文件 (*)"))
            if not name:
                return None
            path = name
        source = Path(path)
        i18n.settings().setValue("sync/folder", str(source.parent))
        self._start()
        ledger = self.ledger
        return task_op(self, lambda task: ledger.sync.import_file(source, progress=task.progress),
                       self.tr("正在导入 {name}…").format(name=source.name), cancellable=False,
                       runner=self.runner, ledger=ledger) \
            .success(self._imported).failure(self._failed).run(initiator=self)

    def _imported(self, result: ImportResult) -> None:
        self._stop()
        self.last_import = result
        names = {p.code: p.name for p in self.state.peers} if self.state else {}
        sender = f"{result.sender} {names[result.sender]}" if names.get(result.sender) else result.sender
        lines = [self.tr("已导入 {sender} 的同步文件：已应用 {applied} 条，已有 {already} 条，"
                         "冲突 {conflicts} 条，暂存 {held} 条。").format(
            sender=sender, applied=result.applied, already=result.already_applied,
            conflicts=result.conflicts, held=result.held)]
        for g in result.gaps:
            lines.append(self.tr("缺少 {origin} 的第 {first}–{last} 条变更，已暂存后续文件。").format(
                origin=g.origin, first=g.first_missing, last=g.last_missing))
        if result.conflicts:
            lines.append(self.tr("请在“冲突”页核对被覆盖的修改。"))
        lines.append(self.tr("SHA-256：{sha}").format(sha=result.sha256))
        self.result_label.setText("\n".join(lines))
        if result.applied:
            self.records_changed = True
        self.reload()

    def _start(self) -> None:
        self.running = True
        self.error.clear()
        self.result_label.setText(self.tr("正在处理，请稍候…"))
        self._update_buttons()

    def _stop(self) -> None:
        self.running = False
        self.result_label.clear()
        self._update_buttons()

    # -- conflicts -------------------------------------------------------------------------

    def selected_conflict(self) -> ConflictInfo | None:
        """The conflict in the selected row."""
        return self.conflicts.selected(self.conflicts_view)  # type: ignore[no-any-return]

    def select_conflict(self, conflict_id: int) -> bool:
        """Select the row of a conflict; False when it is not shown."""
        return self.conflicts.select(self.conflicts_view, lambda c: c.id == conflict_id)

    def _conflict_selected(self) -> None:
        c = self.selected_conflict()
        self.differences.show_conflict(c)
        if c is None:
            self.conflict_hint.setText(self.tr("没有待处理的冲突。") if not self.conflicts.rows
                                       else self.tr("请选择一条冲突。"))
        else:
            self.conflict_hint.setText(self.tr(
                "两个机构在互不知情时修改了同一记录。现行数据采用 {winner} 的修改；{loser} 的修改"
                "落选，保存在此待核对。改用落选的修改会把它作为本机构的新修改，下次同步时发给其他机构。"
            ).format(winner=origin_of(c.winner), loser=origin_of(c.loser)))
        self._update_buttons()

    def resolve_selected(self, take: str) -> None:
        """Keep the winning edit ("winner") or take the losing one ("loser") for the selected conflict."""
        c = self.selected_conflict()
        if c is None or self.running:
            return
        self._start()
        # taking the losing edit changes a record (of a kind the conflict names): refresh it all
        op(self, lambda: self.ledger.sync.resolve(c.id, take), self.runner, self.ledger) \
            .reports(Changes.all() if take == "loser" else NOTHING) \
            .success(self._resolved).failure(self._not_resolved).run(initiator=self)

    def _not_resolved(self, error: BaseException) -> None:
        self._stop()
        self.error.setText(short_message(error))
        self.reload()

    def _resolved(self, result: ConflictInfo) -> None:
        self._stop()
        if result.resolution == "loser":
            self.result_label.setText(self.tr("冲突#{id}：已改用落选的修改。").format(id=result.id))
        else:
            self.result_label.setText(self.tr("冲突#{id}：已保留胜出的修改。").format(id=result.id))
        self.reload()

    def _update_buttons(self) -> None:
        has_conflict = self.selected_conflict() is not None
        for button in (self.export_button, self.import_button):
            button.setEnabled(not self.running)
        for button in (self.keep_button, self.take_button):
            button.setEnabled(has_conflict and not self.running)
        self.refresh_button.setEnabled(not self.running and not self.loading)

    # -- window ----------------------------------------------------------------------------

    def reject(self) -> None:
        """Close, but not while a file is being exported or imported."""
        if not self.running:
            super().reject()

    def retranslate(self) -> None:
        """Set every visible string in the interface language."""
        self.setWindowTitle(self.tr("同步"))
        self.title.setText(self.tr("与其他经办机构同步"))
        self.to_label.setText(self.tr("发给(&T)"))
        plain = self.to_label.text().replace("&", "")  # room for a last glyph wider than its advance
        self.to_label.setMinimumWidth(self.to_label.fontMetrics().boundingRect(plain).width() + 4)
        self.to.setItemText(0, self.tr("全部受信任机构"))
        self.full.setText(self.tr("完整快照(&F)"))
        self.full.setToolTip(self.tr("发送本机构已有的全部变更，用于新建或重装的机构"))
        self.export_button.setText(self.tr("导出(&E)…"))
        self.import_button.setText(self.tr("导入(&I)…"))
        self.keep_button.setText(self.tr("保留胜出的修改(&K)"))
        self.take_button.setText(self.tr("改用落选的修改(&L)"))
        self.refresh_button.setText(self.tr("刷新(&R)"))
        self.close_button.setText(self.tr("关闭"))
        for model in (self.peers, self.gaps, self.conflicts, self.differences):
            model.retranslate()
        self._show_state()
        if self.state is not None:
            self._conflict_selected()
