"""One office database used by the window, the command line and a second window at once.

The hazard (sqlite.org, "How To Corrupt An SQLite Database File", 2.2): when anything in a process
opens and closes the database file, the process loses its POSIX locks on it. Qt's mime sniffing does
that. Another process then takes itself for the last user, checkpoints and deletes the write-ahead
log the window still writes into, and the window's next writes are lost.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from conftest import EMPLOYER, TODAY, _office
from PySide6.QtCore import QMimeDatabase
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QFileSystemModel

from desktop.core.errors import InvalidInput
from desktop.core.ledger import Ledger
from desktop.core.store.guard import (
    FROZEN_FLAG,
    LockGuard,
    filesystem_type,
    locks_held,
    network_filesystem,
)
from desktop.ui import files
from desktop.ui.runner import Runner
from desktop.ui.window import MainWindow

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "desktop.cli"]


def cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command line in a process of its own, as the nightly jobs run it."""
    return subprocess.run([*CLI, "--db", str(db), "--json", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=True)


def register(db: Path, number: str, name: str) -> None:
    cli(db, "worker", "register", "--id-number", number, "--name", name, "--hukou-region", "360102",
        "--hukou-type", "urban")


def wal_deleted_under(ledger: Ledger) -> bool:
    """Whether this process still writes into a -wal file that is no longer on disk."""
    fd_dir = Path("/proc/self/fd")
    for fd in fd_dir.iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.endswith("-wal (deleted)"):
            return True
    return False


def stored(db: Path) -> tuple[str, set[str], int]:
    """integrity_check, the ID numbers of the people, and the contribution months, read afresh."""
    conn = sqlite3.connect(db)
    try:
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        people = {row[0] for row in conn.execute("SELECT id_number FROM worker")}
        months = conn.execute("SELECT count(DISTINCT month) FROM contribution").fetchone()[0]
    finally:
        conn.close()
    return check, people, months


@pytest.mark.parametrize("guarded", [False, True], ids=["without the guard", "with the guard"])
def test_mime_sniffing_the_database_loses_no_write(db_path: Path, qtbot: Any, guarded: bool) -> None:
    window = _office(Ledger.open(db_path, clock=lambda: TODAY))
    if guarded:
        assert window.hold_locks()
    first = window.workers.register_citizen("510107198511113215", "张三", "510107", "rural").key
    window.workers.all_keys()  # a read: the window now holds its shared lock
    assert locks_held(db_path) and locks_held(db_path) > 0
    # What Qt's file dialogs do to show the folder's files: open each, sniff, close it.
    assert QMimeDatabase().mimeTypeForFile(str(db_path)).name() == "application/vnd.sqlite3"
    for companion in ("-wal", "-shm"):
        QMimeDatabase().mimeTypeForFile(str(db_path) + companion)
    assert locks_held(db_path) == 0, "the sniff no longer drops this process's locks: the test shows nothing"
    register(db_path, "360102196503041013", "李四")  # a second process writes, then closes
    try:
        window.contributions.record(first, EMPLOYER, "2026-10", "6000")
        lost_wal = wal_deleted_under(window)
        register(db_path, "360102196208150014", "王五")  # and another process writes again
    finally:
        window.close()
        window.release_locks()
    check, people, months = stored(db_path)
    if not guarded:
        # The hazard, reproduced: another process took itself for the last user and deleted the
        # write-ahead log under the window, which went on writing into the deleted file. (In this
        # short sequence SQLite still recovered the window's pages on its own last close; with more
        # processes interleaved the office lost writes and the file, as reported.)
        assert lost_wal
        return
    assert not lost_wal
    assert check == "ok"
    assert people == {"510107198511113215", "360102196503041013", "360102196208150014"}
    assert months == 1


def test_the_guard_keeps_the_office_lock_and_comes_back(ledger: Ledger, db_path: Path, person: str) -> None:
    assert ledger.hold_locks()
    try:
        state = ledger.check_locks()
        assert state["guarded"] and state["guard_locks"] and state["guard_locks"] > 0
        assert ledger.guard_process is not None
        ledger.guard_process.kill()
        ledger.guard_process.wait()
        ledger.contributions.record(person, EMPLOYER, "2026-10", "6000")  # a write starts it again
        state = ledger.check_locks()
        assert state["guarded"] and state["guard_restarts"] == 1 and state["guard_locks"]
    finally:
        ledger.release_locks()
    assert ledger.check_locks()["guarded"] is False


def test_the_guard_ends_with_the_window_process(db_path: Path, tmp_path: Path) -> None:
    script = ("import sys, time\nfrom desktop.core.ledger import Ledger\n"
              f"led = Ledger.open({str(db_path)!r})\nled.hold_locks()\n"
              "print(led.guard_process.pid, flush=True)\ntime.sleep(60)\n")
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    guard_pid = int(proc.stdout.readline())
    proc.kill()  # the window's process dies without closing anything
    proc.wait()
    for _ in range(100):
        if not Path(f"/proc/{guard_pid}").exists() or "Z" in Path(f"/proc/{guard_pid}/stat").read_text().split()[2]:
            break
        QTest.qWait(50)
    else:
        pytest.fail("the lock guard outlived the window's process")


def test_a_frozen_build_starts_the_guard_as_its_own_executable(db_path: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """PyInstaller's executables take no `-c`: the guard is the executable again, with FROZEN_FLAG,
    and its entry point (serve_if_asked, first thing) runs the guard's program."""
    entry = tmp_path / "shebao-desk"  # stands in for the frozen executable and its entry script
    code = ("import sys; from desktop.core.store.guard import serve_if_asked; serve_if_asked(sys.argv); "
            "sys.exit(3)")
    entry.write_text(f'#!/bin/sh\nPYTHONPATH={str(ROOT)!r} exec {sys.executable!r} -c {code!r} "$@"\n')
    entry.chmod(0o755)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(entry))
    guard = LockGuard(db_path)
    guard.start()  # waits for its "ready"
    try:
        assert guard.process is not None and guard.process.args[1:] == [FROZEN_FLAG, str(db_path)]
        assert locks_held(db_path, guard.process.pid), "the frozen guard holds no lock"
    finally:
        process = guard.process
        guard.stop()
    assert process is not None and process.returncode == 0  # the guard's program ran, not the entry's rest


def listed(dialog: QFileDialog, folder: Path) -> set[str]:
    """The names a file dialog shows for folder."""
    proxy = dialog.proxyModel()
    source = dialog.findChild(QFileSystemModel)
    assert proxy is not None and source is not None
    parent = proxy.mapFromSource(source.index(str(folder)))
    return {str(proxy.index(row, 0, parent).data()) for row in range(proxy.rowCount(parent))}


def test_the_file_dialogs_never_open_the_database(db_path: Path, qtbot: Any, tmp_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("SELECT count(*) FROM worker").fetchone()
    try:
        assert locks_held(db_path) == 1
        (db_path.parent / "report.pdf").write_bytes(b"%PDF-1.4\n")
        files.protect(db_path)
        ours = files.make_dialog(None, "x", db_path.parent)
        qtbot.addWidget(ours)
        ours.setDirectory(str(db_path.parent))  # a clerk browses there after all
        ours.setViewMode(QFileDialog.ViewMode.Detail)
        ours.show()
        QTest.qWait(1500)
        names = listed(ours, db_path.parent)
        assert "report.pdf" in names and db_path.name not in names
        assert locks_held(db_path) == 1, "the dialog opened the database file"
        ours.close()
        # Qt's own dialog on the same folder does open it: the check above can fail.
        stock = QFileDialog(None, "x", str(db_path.parent))
        qtbot.addWidget(stock)
        stock.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        stock.setViewMode(QFileDialog.ViewMode.Detail)
        stock.show()
        qtbot.waitUntil(lambda: locks_held(db_path) == 0, timeout=10000)
        stock.close()
    finally:
        conn.close()
    assert files.safe_start(db_path.parent) == str(Path.home())
    assert files.safe_start(db_path.parent / "x.pdf") == str(Path.home() / "x.pdf")
    assert files.in_database_folder(db_path.parent / "sub") and not files.in_database_folder(tmp_path.parent)


def test_a_person_registered_by_the_command_line_appears_in_the_open_window(
        ledger: Ledger, db_path: Path, person: str, qtbot: Any) -> None:
    runner = Runner()
    win = MainWindow(ledger, runner)
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: win.office is not None)
    win.open_person(person)
    qtbot.waitUntil(lambda: win._page is not None and win._page.worker is not None)
    win.search.box.setText("3601021965")  # nobody yet
    qtbot.waitUntil(lambda: win.search.shown_text == "3601021965")
    assert win.search.model.rowCount() == 0
    with qtbot.waitSignal(win.changed_elsewhere, timeout=20000):
        register(db_path, "360102196503041013", "李四")
    qtbot.waitUntil(lambda: win.search.model.rowCount() == 1, timeout=10000)
    assert win.search.model.people[0].name == "李四"
    # A month recorded in a second window for the person shown appears without reopening it.
    other = Ledger.open(db_path, clock=lambda: TODAY)
    try:
        other.contributions.record(person, EMPLOYER, "2026-10", "6000")
    finally:
        other.close()
    qtbot.waitUntil(lambda: "2026-10" in page_text(win), timeout=20000)
    win.watch.stop()
    runner.wait()


def page_text(win: MainWindow) -> str:
    """Every cell of the person page's history table, as text."""
    model = win.page.history_model
    return " ".join(str(model.index(r, c).data()) for r in range(model.rowCount())
                    for c in range(model.columnCount()))


MOUNTINFO = """\
22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
40 22 0:35 / /srv/office rw,relatime shared:20 - nfs4 fileserver:/export/office rw,vers=4.2
41 22 0:36 / /mnt/share\\040two rw,relatime shared:21 - cifs //nas/counter rw
42 40 8:2 / /srv/office/local rw,relatime shared:22 - ext4 /dev/sda2 rw
"""


def test_a_network_share_is_named() -> None:
    assert filesystem_type(Path("/srv/office/db"), MOUNTINFO) == "nfs4"
    assert filesystem_type(Path("/srv/office/local/db"), MOUNTINFO) == "ext4"
    assert filesystem_type(Path("/srv/officer"), MOUNTINFO) == "ext4"
    assert filesystem_type(Path("/mnt/share two/x"), MOUNTINFO) == "cifs"
    assert network_filesystem(Path("/mnt/share two/x"), MOUNTINFO) == "cifs"
    assert network_filesystem(Path("/srv/office/local"), MOUNTINFO) is None
    assert network_filesystem(Path("/tmp")) is None  # this machine's own disk


def test_a_database_on_a_network_share_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.core.store import engine

    monkeypatch.setattr(engine, "network_filesystem", lambda folder: "nfs4" if folder == tmp_path else None)
    with pytest.raises(InvalidInput) as refused:
        Ledger.open(tmp_path / "office.db")
    assert refused.value.key == "db.network" and "nfs4" in str(refused.value.params)
    assert not (tmp_path / "office.db").exists()


def test_the_program_itself_never_opens_the_database_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Python's audit hook sees every open() of Python code (ours and the libraries'); SQLite's own
    opens happen in C and are not seen. A whole working day runs under it: opening, registering,
    recording, a statement, a backup and its check, a sync file out and in, a daily backup."""
    monkeypatch.setenv("SHEBAO_BACKUP_KEY", str(tmp_path / "backup.key"))
    db = tmp_path / "database" / "office.db"
    watched = {str(db) + suffix for suffix in ("", "-wal", "-shm", "-journal")}
    opened: list[str] = []

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event == "open" and args and isinstance(args[0], str | bytes | os.PathLike):
            name = os.fsdecode(args[0])
            if name in watched or os.path.abspath(name) in watched:
                opened.append(f"{event} {name}")

    sys.addaudithook(hook)  # hooks cannot be removed: it only records, and only these paths
    other = Ledger.open(tmp_path / "bj" / "office.db", clock=lambda: TODAY)
    other.office.init("BJ01", "北京市朝阳区社保中心", "110105")
    led = _office(Ledger.open(db, clock=lambda: TODAY))
    try:
        from sync_support import trust_all

        trust_all(led, other)
        assert led.hold_locks()
        key = led.workers.register_citizen("510107198511113215", "张三", "510107", "rural").key
        led.contributions.record(key, EMPLOYER, "2026-10", "6000")
        led.documents.issue("statement", key)
        backup = led.backups.backup(tmp_path / "b.sbk").file
        led.backups.check(backup)
        led.backups.daily(tmp_path / "daily")
        led.sync.export(tmp_path / "out.sync", to="BJ01")
        other.sync.export(tmp_path / "back.sync", to="OFF01")
        led.sync.import_file(tmp_path / "back.sync")
        led.check_locks()
        led.change_mark()
    finally:
        led.close()
        led.release_locks()
        other.close()
    assert opened == []
