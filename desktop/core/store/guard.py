"""Keeping SQLite's locks on the office database while the window has it open.

SQLite coordinates processes with POSIX advisory locks, and POSIX drops every lock a process holds
on a file as soon as any code in that process closes any descriptor of it (sqlite.org, "How To
Corrupt An SQLite Database File", 2.2). Qt's file dialogs and `QMimeDatabase` open files to sniff
their content; a window doing that on the database file silently loses its locks. A second process
(the nightly `shebao backup`, a sync export) then believes it is the last user: when it closes, it
checkpoints and deletes the write-ahead log that the window still writes into, and the window's
later writes are lost.

The guard is a small process of its own that opens the database with SQLite, reads once (in WAL
mode a connection then holds a shared lock on the database file and on its -shm file for as long as
it is open) and waits. Nothing in it ever opens the file otherwise, so its locks cannot be lost: no
other process can be "the last user" while the window lives. It ends when its standard input closes,
which the kernel does when the window's process ends, however it ends. A frozen build has no
interpreter to give `-c`: there the guard is the window's own executable started with FROZEN_FLAG,
which its entry point hands to `serve_if_asked` before anything else (packaging/pyinstaller/).

`own_locks` reads /proc/locks (Linux) to see whether this process still holds its own locks, so a
loss is logged rather than unnoticed; `network_filesystem` names the file system type of a folder on
a network share, where SQLite's locks are not reliable at all.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

log = logging.getLogger(__name__)

# File system types on which SQLite's documentation says its locking cannot be trusted.
NETWORK_FILESYSTEMS = frozenset({
    "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "ncpfs", "9p", "afs", "ceph", "glusterfs",
    "fuse.glusterfs", "fuse.sshfs", "sshfs", "davfs", "fuse.davfs2", "fuse.rclone", "fuse.s3fs",
    "lustre", "gpfs", "ocfs2", "gfs2", "beegfs", "fuse.cephfs", "virtiofs",
})
READY = "ready"
# The guard's whole program: nothing but SQLite touches the file. It needs only the standard library,
# so it runs the same from a source checkout and from an installed copy.
GUARD_PROGRAM = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], timeout=30)
mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
if mode != "wal":
    print(f"journal mode {mode}, not wal", flush=True)
    sys.exit(1)
conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
conn.commit()  # the read ends; in WAL mode the shared locks stay while the connection is open
print("ready", flush=True)
sys.stdin.read()
conn.close()
"""
# The first argument that makes a frozen build's executable the guard (see serve_if_asked).
FROZEN_FLAG = "--database-lock-guard"


def guard_command(database: Path) -> list[str]:
    """The guard's command line: this interpreter running GUARD_PROGRAM, or in a frozen build
    (PyInstaller: no interpreter to run it) this executable with FROZEN_FLAG."""
    if getattr(sys, "frozen", False):
        return [sys.executable, FROZEN_FLAG, str(database)]
    return [sys.executable, "-c", GUARD_PROGRAM, str(database)]


def serve_if_asked(argv: list[str]) -> None:
    """For a frozen build's entry points, first thing: started as the guard (argv[1] is
    FROZEN_FLAG), run GUARD_PROGRAM on the database argv[2] and exit with its code; else return."""
    if argv[1:2] != [FROZEN_FLAG]:
        return
    sys.argv = [argv[0], *argv[2:]]
    program = compile(GUARD_PROGRAM, "<database lock guard>", "exec")
    exec(program, {"__name__": "__main__"})  # noqa: S102 - the same text `-c` runs
    raise SystemExit(0)


def _unescape(field: str) -> str:
    """A mountinfo path field with its octal escapes (\\040 for a space) decoded."""
    out, i = [], 0
    while i < len(field):
        if field[i] == "\\" and i + 3 < len(field) and field[i + 1:i + 4].isdigit():
            out.append(chr(int(field[i + 1:i + 4], 8)))
            i += 4
        else:
            out.append(field[i])
            i += 1
    return "".join(out)


def filesystem_type(folder: Path, mountinfo: str | None = None) -> str | None:
    """The file system type of the mount holding folder (Linux /proc/self/mountinfo), or None
    where that is not known (another system, no /proc)."""
    if mountinfo is None:
        try:
            mountinfo = Path("/proc/self/mountinfo").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    target = str(folder)
    best: tuple[int, str] | None = None
    for line in mountinfo.splitlines():
        left, sep, right = line.partition(" - ")
        fields, tail = left.split(), right.split()
        if not sep or len(fields) < 5 or not tail:
            continue
        point = _unescape(fields[4])
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and (best is None or len(point) >= best[0]):
            best = (len(point), tail[0])
    return best[1] if best else None


def network_filesystem(folder: Path, mountinfo: str | None = None) -> str | None:
    """The network file system type holding folder, or None when it is local (or not known)."""
    existing = folder
    if mountinfo is None:  # the folder may not exist yet: look at the one that will hold it
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
        existing = existing.resolve()
    kind = filesystem_type(existing, mountinfo)
    return kind if kind is not None and kind.lower() in NETWORK_FILESYSTEMS else None


def _lock_key(path: Path) -> str:
    st = os.stat(path)
    return f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"


def locks_held(path: Path, pid: int | None = None) -> int | None:
    """How many POSIX locks process pid (default: this one) holds on path, from /proc/locks;
    None where that cannot be read (not Linux, or the file is gone)."""
    try:
        key = _lock_key(path)
        lines = Path("/proc/locks").read_text(encoding="ascii", errors="replace").splitlines()
    except OSError:
        return None
    who = str(os.getpid() if pid is None else pid)
    count = 0
    for line in lines:
        parts = line.split()
        # "1: POSIX  ADVISORY  READ 1234 08:01:5678 128 128" ("->" marks a waiter after the number)
        if parts[1:2] == ["->"]:
            continue
        if len(parts) >= 6 and parts[1] == "POSIX" and parts[4] == who and parts[5] == key:
            count += 1
    return count


class LockGuard:
    """A process holding SQLite's shared locks on one database file (see the module's docstring)."""

    def __init__(self, database: Path) -> None:
        self.database = database
        self.process: subprocess.Popen[str] | None = None
        self.restarts = 0

    def start(self) -> None:
        """Start the guard and wait until it holds its locks."""
        self.process = subprocess.Popen(
            guard_command(self.database),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, start_new_session=True)
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        if line != READY:
            self.process.kill()
            self.process.wait()
            self.process = None
            raise RuntimeError(f"the database lock guard did not start: {line or 'no answer'}")

    @property
    def alive(self) -> bool:
        """Whether the guard process is running."""
        return self.process is not None and self.process.poll() is None

    def ensure(self) -> bool:
        """Start the guard again if it has ended; True when it had to (and it was logged)."""
        if self.alive:
            return False
        code = self.process.returncode if self.process is not None else None
        log.warning("database lock guard for %s had ended (exit %s): starting it again", self.database, code)
        self.restarts += 1
        self.start()
        return True

    def stop(self) -> None:
        """End the guard (after every connection of this process is closed)."""
        process, self.process = self.process, None
        if process is None:
            return
        assert process.stdin is not None
        try:
            process.stdin.close()
        except OSError:
            pass
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()
