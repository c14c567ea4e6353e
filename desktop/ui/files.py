"""The application's only file dialogs: they never open the office database file.

Qt's own file dialogs (and the platform's) find each listed file's icon and type with
`QMimeDatabase`, which opens the file to sniff its content. Opening and closing the SQLite database
file in this process drops every lock SQLite holds on it (see desktop/core/store/guard.py). These
dialogs are Qt's widget dialogs with an icon provider that looks only at names, never at content;
they hide the open databases' own files (the database, -wal, -shm, -journal); they never start in a
database's folder; and a chosen path inside one is refused with the reason.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFileInfo, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel
from PySide6.QtGui import QAbstractFileIconProvider
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QFileSystemModel,
    QMessageBox,
    QStyle,
    QWidget,
)

_SUFFIXES = ("", "-wal", "-shm", "-journal")
_databases: set[Path] = set()


def protect(database: Path) -> None:
    """Keep file dialogs away from this SQLite database file and its companions."""
    _databases.add(database.resolve())


def protected_files() -> set[str]:
    """Every file the dialogs hide."""
    return {str(db) + suffix for db in _databases for suffix in _SUFFIXES}


def in_database_folder(path: Path) -> bool:
    """Whether path is a protected database's folder or inside it."""
    resolved = path.expanduser().resolve()
    return any(resolved == db.parent or db.parent in resolved.parents for db in _databases)


def safe_start(folder: str | Path) -> str:
    """Where a dialog starts: the given folder unless it is a database's folder (then home)."""
    path = Path(folder).expanduser() if str(folder) else Path.home()
    if in_database_folder(path if path.is_dir() else path.parent):
        return str(Path.home() / path.name) if not path.is_dir() else str(Path.home())
    return str(path)


class NameOnlyIcons(QAbstractFileIconProvider):
    """Icons and type names from the file name alone: no file is opened to find them."""

    def icon(self, what: object) -> object:  # type: ignore[override]
        style = QApplication.style()
        folder = what.isDir() if isinstance(what, QFileInfo) else what in (
            QAbstractFileIconProvider.IconType.Folder, QAbstractFileIconProvider.IconType.Computer,
            QAbstractFileIconProvider.IconType.Drive, QAbstractFileIconProvider.IconType.Network)
        return style.standardIcon(QStyle.StandardPixmap.SP_DirIcon if folder else QStyle.StandardPixmap.SP_FileIcon)

    def type(self, info: QFileInfo) -> str:
        if info.isDir():
            return QApplication.translate("files", "文件夹")
        suffix = info.suffix().upper()
        return QApplication.translate("files", "{suffix} 文件").format(suffix=suffix) if suffix else \
            QApplication.translate("files", "文件")


class HideDatabases(QSortFilterProxyModel):
    """Leaves the open databases' own files out of the listing."""

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        if isinstance(model, QFileSystemModel):
            index = model.index(row, 0, parent)
            if model.filePath(index) in protected_files():
                return False
        return super().filterAcceptsRow(row, parent)


def make_dialog(parent: QWidget | None, title: str, start: str | Path, filters: str = "") -> QFileDialog:
    """A file dialog that never opens a file to show it (see the module's docstring)."""
    dialog = QFileDialog(parent, title, safe_start(start), filters)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setOption(QFileDialog.Option.DontUseCustomDirectoryIcons, True)
    icons = NameOnlyIcons()
    dialog.setIconProvider(icons)
    dialog.icons = icons  # type: ignore[attr-defined]  # the dialog does not own its provider
    dialog.setProxyModel(HideDatabases(dialog))
    return dialog


def _refuse_database_folder(parent: QWidget | None, chosen: str) -> bool:
    """Say why a path inside a database's folder is not taken; True when refused."""
    if chosen and in_database_folder(Path(chosen) if Path(chosen).is_dir() else Path(chosen).parent):
        QMessageBox.warning(parent, QApplication.translate("files", "不能使用此文件夹"), QApplication.translate(
            "files", "{path} 是数据库所在的文件夹，只存放数据库本身。请选择其他文件夹。").format(path=chosen))
        return True
    return False


def _run(dialog: QFileDialog) -> str:
    if dialog.exec() != QFileDialog.DialogCode.Accepted:
        return ""
    chosen = dialog.selectedFiles()
    return chosen[0] if chosen else ""


def open_file_name(parent: QWidget | None, title: str, folder: str | Path, filters: str) -> str:
    """An existing file to read, or "" when cancelled."""
    dialog = make_dialog(parent, title, folder, filters)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    chosen = _run(dialog)
    return "" if _refuse_database_folder(parent, chosen) else chosen


def save_file_name(parent: QWidget | None, title: str, suggested: str | Path, filters: str) -> str:
    """Where to write a file, or "" when cancelled (a database's folder is refused)."""
    dialog = make_dialog(parent, title, Path(suggested).parent if Path(suggested).parent != Path(".")
                         else Path.home(), filters)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.selectFile(Path(suggested).name)
    chosen = _run(dialog)
    return "" if _refuse_database_folder(parent, chosen) else chosen


def existing_directory(parent: QWidget | None, title: str, folder: str | Path) -> str:
    """A folder, or "" when cancelled (a database's folder is refused)."""
    dialog = make_dialog(parent, title, folder)
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    chosen = _run(dialog)
    return "" if _refuse_database_folder(parent, chosen) else chosen
