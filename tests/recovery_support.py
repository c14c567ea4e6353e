"""Damaging a real office database file, as a failing disk or a stray program would, and two
offices with a history around a backup to recover from."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sync_support import EMP_BJ, EMP_NC, make_office, trust_all, uscc

from desktop.core.clock import Clock
from desktop.core.ledger import Ledger

P1 = "510107198511113215"  # at A before the backup
P2 = "360102197806150019"  # registered at A after the backup, sent to B
P3 = "110105199003071239"  # registered at A after the backup, never sent
Q1 = "440305199201010012"  # B's people
Q2 = "320102198807070018"
A_EMP, B_EMP = uscc(EMP_NC), uscc(EMP_BJ)
SCHEMES_2026 = 4  # pension, medical, unemployment, injury (maternity merged into medical)


def settle(path: Path) -> None:
    """Fold the WAL into the file (every connection of the program must be closed first)."""
    con = sqlite3.connect(str(path))
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()


def stored_in(con: sqlite3.Connection, table: str) -> str:
    """The table that holds a table's rows: itself, or for the contribution lines kept as a view of
    person-month rows (migration 0023), the rows' table (their lines declared are there)."""
    kind = con.execute("SELECT type FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    return "contribution_month" if table == "contribution" and kind and kind[0] == "view" else table


def data_page(path: Path, table: str) -> tuple[int, int]:
    """(page number, page size) of the b-tree leaf page holding the most rows of a table."""
    con = sqlite3.connect(str(path))
    try:
        table = stored_in(con, table)
        size = int(con.execute("PRAGMA page_size").fetchone()[0])
        try:
            row = con.execute("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' "
                              "ORDER BY ncell DESC, pageno LIMIT 1", (table,)).fetchone()
        except sqlite3.OperationalError:  # a SQLite built without dbstat: the table's root page
            row = None
        if row is None:
            row = con.execute("SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = ?",
                              (table,)).fetchone()
        return int(row[0]), size
    finally:
        con.close()


def damage_table(path: Path, table: str, length: int = 256) -> int:
    """Overwrite `length` bytes in the middle of the rows of a b-tree page of the table (its cell
    content area, from the offset its header gives to the page's end: the middle of a page not full
    is free space, which no check reads); returns the page.

    The database must be closed (by every connection): the bytes are written straight into the file.
    """
    settle(path)
    page, size = data_page(path, table)
    with path.open("r+b") as f:
        header = (page - 1) * size + (100 if page == 1 else 0)
        f.seek(header + 5)
        content = int.from_bytes(f.read(2), "big") or 65536  # where the cells begin in the page
        start = max(content, min((content + size) // 2 - length // 2, size - length))
        f.seek((page - 1) * size + start)
        f.write(b"\xff" * min(length, size - start))  # within the page
    return page


def damage_newest_rows(path: Path, table: str, length: int = 256) -> int:
    """Overwrite the start (header and cell pointers) of the b-tree leaf page that holds the table's
    newest rows (the rightmost, where rows with the highest ids go; its middle may be free space);
    returns the page."""
    settle(path)
    con = sqlite3.connect(str(path))
    try:
        size = int(con.execute("PRAGMA page_size").fetchone()[0])
        page = int(con.execute("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' "
                               "ORDER BY path DESC LIMIT 1", (stored_in(con, table),)).fetchone()[0])
    finally:
        con.close()
    with path.open("r+b") as f:
        f.seek((page - 1) * size)
        f.write(b"\xff" * length)
    return page


def damage_header(path: Path) -> None:
    """Overwrite the file's first 100 bytes (the header): SQLite says "file is not a database"."""
    settle(path)
    with path.open("r+b") as f:
        f.write(b"this is not a SQLite header any more " * 3)


def counts(path: Path, *tables: str) -> dict[str, tuple[int, int]]:
    """(rows, highest id) of readable tables, through SQLite (to show that nothing was written); the
    change log has no row id: its highest sequence number."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {t: tuple(con.execute(f"SELECT count(*), coalesce(max({'seq' if t == 'sync_change' else 'rowid'}), 0) "
                                     f"FROM {t}").fetchone())
                for t in tables}
    finally:
        con.close()


@dataclass
class Scene:
    """Office A (damaged at the end) and office B, the folders, and what happened when."""

    a: Ledger
    b: Ledger
    a_path: Path
    clock: Clock
    backups: Path
    mail: Path
    older_backup: Path
    newest_backup: Path
    received: Path  # B's file to A after the backup


def months(led: Ledger, person: str, employer: str, which: range, year: int = 2026) -> None:
    """Record the person's months at the employer (wage 8000)."""
    for m in which:
        led.contributions.record(person, employer, f"{year}-{m:02d}", "8000")


def pension_months(led: Ledger, person: str) -> int:
    """How many months of pension the person has paid at this office."""
    st = led.accounts.statement(person)
    return next(s.months_paid for s in st.schemes if s.scheme == "pension")


def _send(src: Ledger, dst: Ledger, folder: Path, name: str) -> Path:
    path = folder / name
    src.sync.export(path, to=dst.office.get().code)
    dst.sync.import_file(path)
    return path


def build_scene(template: Path, folder: Path) -> Scene:
    """A and B exchange files; A is backed up on two days (the daily folder); then A sends a file
    (P1's July, P2), receives one from B (Q1's July, Q2), and records what it never sends (P1's
    August, P3 with August, a wage). A is closed, ready to be damaged. SHEBAO_BACKUP_KEY must
    name a key file in the test's folder."""
    clock = Clock(at=dt.datetime(2026, 11, 22, 9, 0))
    a = make_office(template, folder, "NC01", "南昌市社保局", "360100", EMP_NC, "南昌赣江机械")
    b = make_office(template, folder, "BJ01", "北京市朝阳区社保中心", "110105", EMP_BJ, "北京朝阳科技")
    a.clock = b.clock = clock
    trust_all(a, b)
    mail = folder / "mail"
    mail.mkdir()
    a.workers.register_citizen(P1, "张三", "510107", "rural")
    months(a, P1, A_EMP, range(1, 7))
    b.workers.register_citizen(Q1, "李四", "440305", "urban")
    months(b, Q1, B_EMP, range(1, 7))
    _send(a, b, mail, "a-1.sync")
    _send(b, a, mail, "b-1.sync")
    backups = folder / "backups"
    older = a.backups.daily(backups).file
    clock.advance(dt.timedelta(days=1))
    newest = a.backups.daily(backups).file
    clock.advance(dt.timedelta(minutes=5))
    months(a, P1, A_EMP, range(7, 8))
    a.workers.register_citizen(P2, "王五", "360102", "urban")
    _send(a, b, mail, "a-2.sync")
    clock.advance(dt.timedelta(minutes=5))
    months(b, Q1, B_EMP, range(7, 8))
    b.workers.register_citizen(Q2, "赵六", "320102", "urban")
    received = _send(b, a, mail, "b-2.sync")
    clock.advance(dt.timedelta(minutes=5))
    months(a, P1, A_EMP, range(8, 9))
    a.workers.register_citizen(P3, "孙七", "110105", "urban")
    months(a, P3, A_EMP, range(8, 9))
    a.reference.set_wage("360000", 2027, "6500")
    clock.advance(dt.timedelta(minutes=5))
    a_path = Path(str(a.engine.url.database))
    a.close()
    return Scene(a, b, a_path, clock, backups, mail, older, newest, received)
