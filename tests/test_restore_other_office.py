"""Restoring another office's backup turns this office into that one: refused unless confirmed a
second time with that office's code (CLI --other-office, the window: typed); the same office as before."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY
from sqlalchemy import text
from test_cli import run
from test_security_support import PASSWORD, as_, fast_hashing, staffed, staffed_template
from test_ui_support import private_settings

from desktop.core.errors import Conflict
from desktop.core.ledger import Ledger
from desktop.ui.restore_dialog import RestoreDialog
from desktop.ui.window import MainWindow

__all__ = ["fast_hashing", "private_settings", "staffed", "staffed_template"]


@pytest.fixture
def two_offices(staffed: Ledger, tmp_path: Path) -> Iterator[tuple[Ledger, Path, Path]]:
    """(this office OFF02 with its administrator boss signed in, OFF01's backup, the key)."""
    key = tmp_path / "office.key"
    file = as_(staffed, "admin1").backups.backup(tmp_path / "off01.sbk", key).file
    here = Ledger.open(tmp_path / "here.db", clock=lambda: TODAY)
    here.office.init("OFF02", "南昌县社保局", "360100")
    here.users.create_first_admin("boss", PASSWORD)
    here.sign_in("boss", PASSWORD)
    yield here, file, key
    here.close()


def test_another_offices_backup_needs_its_code_a_second_time(two_offices: tuple[Ledger, Path, Path]) -> None:
    here, file, key = two_offices
    for confirmation in (None, "OFF02", "OFF0", "off01"):
        with pytest.raises(Conflict) as err:
            here.backups.restore(file, key, force=True, other_office=confirmation)
        assert err.value.key == "restore.other_office" and err.value.field == "file"
    assert err.value.message() == (
        "文件：备份属于另一个经办机构：OFF01 南昌市社保局；本数据库是 OFF02 南昌县社保局。恢复后本数据库将变成"
        "OFF01 南昌市社保局的数据，本机构的数据被替换（先另存一份）。确要恢复，请再次确认：命令行加 "
        "--other-office OFF01，窗口中输入对方机构代码 OFF01")
    assert "this database is OFF02 南昌县社保局" in err.value.message("en")
    assert here.office.get().code == "OFF02" and here.actor is not None  # nothing happened
    done = here.backups.restore(file, key, force=True, other_office=" OFF01 ")
    assert done.office == "OFF01" and done.kept is not None and done.kept.exists()
    assert as_(here, "admin1").office.get().code == "OFF01"


def test_the_same_offices_backup_needs_force_only(staffed: Ledger, tmp_path: Path) -> None:
    key = tmp_path / "office.key"
    file = as_(staffed, "admin1").backups.backup(tmp_path / "off01.sbk", key).file
    assert staffed.backups.restore(file, key, force=True).office == "OFF01"


def test_the_command_line_needs_other_office(two_offices: tuple[Ledger, Path, Path], tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    here, file, key = two_offices
    db = str(here.engine.url.database)
    here.close()
    monkeypatch.delenv("SHEBAO_DB", raising=False)
    monkeypatch.setenv("SHEBAO_USER", "boss")
    monkeypatch.setenv("SHEBAO_PASSWORD", PASSWORD)
    code, data, _ = run(capsys, "--db", db, "--json", "--lang", "en", "restore", str(file), "--key", str(key),
                        "--force")
    assert code == 4 and data["error"]["key"] == "restore.other_office"
    assert "another office, OFF01 南昌市社保局; this database is OFF02 南昌县社保局" in data["error"]["message"]
    code, data, _ = run(capsys, "--db", db, "--json", "restore", str(file), "--key", str(key), "--force",
                        "--other-office", "OFF02")
    assert code == 4 and "--other-office OFF01" in data["error"]["message"]
    code, data, _ = run(capsys, "--db", db, "--json", "restore", str(file), "--key", str(key), "--force",
                        "--other-office", "OFF01")
    assert code == 0 and data["office"] == "OFF01" and data["kept"]


def _open_in_window(ledger: Ledger, file: Path, qtbot: Any) -> tuple[MainWindow, RestoreDialog]:
    """The window on ledger, with the restore dialog for file once it has read the file (what the
    backup is, or why it cannot be restored)."""
    win = MainWindow(ledger)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.office is not None)
    dialog = win.open_restore_file(str(file))
    assert isinstance(dialog, RestoreDialog)
    qtbot.waitUntil(lambda: dialog.about is not None or bool(dialog.error.text()))
    return win, dialog


def _restore_in_window(ledger: Ledger, file: Path, key: Path, qtbot: Any) -> tuple[MainWindow, RestoreDialog]:
    win, dialog = _open_in_window(ledger, file, qtbot)
    assert dialog.about is not None, dialog.error.text()
    dialog.key.setText(str(key))
    return win, dialog


def test_the_window_asks_for_the_other_offices_code(two_offices: tuple[Ledger, Path, Path], qtbot: Any) -> None:
    here, file, key = two_offices
    win, dialog = _restore_in_window(here, file, key, qtbot)
    assert dialog.warning.isVisible() and dialog.code.isVisible() and not dialog.ok_button.isEnabled()
    assert dialog.warning.text() == ("这是另一个经办机构的备份：OFF01 南昌市社保局；本数据库是 OFF02 南昌县社保局。"
                                     "恢复后本数据库将变成OFF01 南昌市社保局的数据。"
                                     "确要恢复，请输入对方机构代码 OFF01 再次确认。")
    assert dialog.code_label.text() == "对方机构代码(&C)" and dialog.code_label.buddy() is dialog.code
    qtbot.keyClicks(dialog.code, "OFF02")
    assert not dialog.ok_button.isEnabled()  # this office's code is not the confirmation
    dialog.grab().save("/tmp/restore_other_office.png")
    dialog.code.clear()
    qtbot.keyClicks(dialog.code, "OFF01")
    assert dialog.ok_button.isEnabled()
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: dialog.result_value is not None, timeout=30000)
    assert not dialog.isVisible() and here.actor is None and win._page is None
    assert as_(here, "admin1").office.get().code == "OFF01"
    win.close()
    win.runner.wait()


def test_the_window_restores_the_same_offices_backup_without_a_code(staffed: Ledger, tmp_path: Path,
                                                                    qtbot: Any) -> None:
    key = tmp_path / "office.key"
    file = as_(staffed, "admin1").backups.backup(tmp_path / "off01.sbk", key).file
    win, dialog = _restore_in_window(staffed, file, key, qtbot)
    assert not dialog.warning.isVisible() and not dialog.code.isVisible() and dialog.ok_button.isEnabled()
    assert "off01.sbk" in dialog.text.text() and "OFF01" in dialog.text.text()
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: dialog.result_value is not None, timeout=30000)
    assert dialog.result_value.office == "OFF01" and dialog.result_value.kept is not None
    win.close()
    win.runner.wait()


def test_the_window_names_the_chain_of_an_increment_and_a_missing_link(staffed: Ledger, tmp_path: Path,
                                                                        qtbot: Any) -> None:
    key, folder = tmp_path / "office.key", tmp_path / "daily"
    as_(staffed, "admin1")
    for day in (1, 2, 3):
        staffed.clock = dt.date(2026, 11, day)
        staffed.reference.set_wage("360000", 2026 + day, "7000")
        staffed.backups.daily(folder, key_file=key)
    names = [f"shebao-OFF01-2026-11-0{day}.sbk" for day in (1, 2, 3)]
    (folder / names[1]).rename(tmp_path / names[1])  # the middle one is not in the folder
    win, dialog = _open_in_window(staffed, folder / names[2], qtbot)
    assert dialog.error.text() == (f"文件：备份{names[2]}是增量备份，它所依据的备份{names[1]}不在同一文件夹中："
                                   "请把它放回后再恢复")
    assert dialog.about is None and not dialog.ok_button.isEnabled()
    dialog.reject()
    (tmp_path / names[1]).rename(folder / names[1])
    dialog = win.open_restore_file(str(folder / names[2]))
    assert isinstance(dialog, RestoreDialog)
    qtbot.waitUntil(lambda: dialog.about is not None)
    assert dialog.about.built_on == (names[0], names[1])
    assert (f"这是增量备份，将与同一文件夹中它所依据的 2 份备份一起读取：{names[0]}、{names[1]}。"
            in dialog.text.text())
    dialog.key.setText(str(key))
    assert dialog.ok_button.isEnabled()
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: dialog.result_value is not None, timeout=30000)
    assert dialog.result_value.office == "OFF01"
    with as_(staffed, "admin1").read() as s:
        assert s.execute(text("SELECT count(*) FROM average_wage WHERE year = 2029")).scalar() == 1
    win.close()
    win.runner.wait()
