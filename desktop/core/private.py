"""Files only their owner may read: the office database (and its -wal/-shm), backups, copies, sync files.

They hold ID numbers, wages and the audit trail. A file is made with mode 0600 from the start (never
written first and restricted after). SQLite gives its -wal and -shm files the mode of the database
file, so a database file made here keeps them private too. On Windows the mode bits mean little (the
data folder is per user and NTFS permissions apply): nothing is changed there.
"""

from __future__ import annotations

import os
from pathlib import Path

OWNER_ONLY = 0o600
POSIX = os.name != "nt"


def create_private(path: Path) -> bool:
    """Make path as an empty owner-only file when it does not exist (True: made now). An existing
    file is not opened at all (a database another connection holds: opening and closing it would
    drop that connection's POSIX locks)."""
    if path.exists():
        return False
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY)
    except FileExistsError:
        return False
    os.close(fd)
    restrict(path)  # (whatever the umask)
    return True


def restrict(path: Path) -> None:
    """Make an existing file owner-only (not on Windows)."""
    if POSIX:
        os.chmod(path, OWNER_ONLY)


def write_private(path: Path, data: bytes) -> None:
    """Write data to path as an owner-only file (replacing what was there)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, OWNER_ONLY)
    with os.fdopen(fd, "wb") as f:
        restrict(path)  # a file that existed keeps its mode through O_CREAT
        f.write(data)
