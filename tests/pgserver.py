"""A throwaway PostgreSQL server on loopback for the test session (standard library only)."""

from __future__ import annotations

import atexit
import contextlib
import os
import pathlib
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from types import TracebackType
from typing import Self
from urllib.parse import quote

DEFAULT_USER = "shebao"
SERVICE_USER = "postgres"


def _version_key(path: pathlib.Path) -> tuple[int, ...]:
    """Sort key for /usr/lib/postgresql/<version>/bin by numeric version."""
    return tuple(int(part) for part in re.findall(r"\d+", path.parent.name)) or (0,)


def find_pg_bin() -> pathlib.Path | None:
    """Return the directory holding initdb and pg_ctl: PATH first, then the newest Debian one."""
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl:
        real = pathlib.Path(initdb).resolve().parent
        if (real / "pg_ctl").exists():
            return real
        return pathlib.Path(initdb).parent
    candidates = [
        path
        for path in pathlib.Path("/usr/lib/postgresql").glob("*/bin")
        if (path / "initdb").exists() and (path / "pg_ctl").exists()
    ]
    return max(candidates, key=_version_key) if candidates else None


def find_psql(bin_dir: pathlib.Path | None) -> pathlib.Path:
    """Return the psql client beside the server binaries, else the system one."""
    options: list[pathlib.Path] = []
    if bin_dir is not None:
        options.append(bin_dir / "psql")
        postgres = bin_dir / "postgres"
        if postgres.exists():
            options.append(postgres.resolve().parent / "psql")
    options.append(pathlib.Path("/usr/bin/psql"))
    on_path = shutil.which("psql")
    if on_path:
        options.append(pathlib.Path(on_path))
    for option in options:
        if option.exists():
            return option
    raise RuntimeError("psql not found: install the PostgreSQL client (Debian: postgresql-client)")


def _free_port() -> int:
    """Ask the kernel for a free TCP port on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _running_as_root() -> bool:
    """True when this process runs as root on a POSIX system."""
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _ensure_service_user() -> tuple[int, int]:
    """Return uid and gid of the postgres system user, creating it when missing."""
    import pwd

    try:
        entry = pwd.getpwnam(SERVICE_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--user-group", SERVICE_USER], check=True)
        entry = pwd.getpwnam(SERVICE_USER)
    return entry.pw_uid, entry.pw_gid


def _quote_value(value: str) -> str:
    """Quote a value for a libpq connection string."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _quote_ident(name: str) -> str:
    """Quote an SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


class PostgresServer:
    """A private PostgreSQL cluster in a temporary directory, listening on 127.0.0.1 only."""

    def __init__(self, user: str = DEFAULT_USER, bin_dir: pathlib.Path | None = None) -> None:
        """Prepare, without starting, a server whose superuser is `user`."""
        self.user = user
        self.bin_dir = bin_dir
        self.port = 0
        self.base_dir: pathlib.Path | None = None
        self.start_seconds = 0.0
        self._as_root = _running_as_root()
        self._registered = False

    @property
    def data_dir(self) -> pathlib.Path:
        """The cluster's data directory."""
        if self.base_dir is None:
            raise RuntimeError("the PostgreSQL server has not been started")
        return self.base_dir / "data"

    @property
    def log_file(self) -> pathlib.Path:
        """The server's log file."""
        return self.data_dir.parent / "server.log"

    @property
    def running(self) -> bool:
        """True between a successful start() and stop()."""
        return self.base_dir is not None and self.port != 0

    @property
    def url(self) -> str:
        """SQLAlchemy URL of the maintenance database `postgres`."""
        return self.admin_url("postgres")

    def admin_url(self, dbname: str = "postgres") -> str:
        """SQLAlchemy URL of database `dbname` as the superuser."""
        return (
            f"postgresql+psycopg://{quote(self.user, safe='')}@127.0.0.1:{self.port}"
            f"/{quote(dbname, safe='')}"
        )

    def dsn(self, dbname: str = "postgres") -> str:
        """libpq connection string of database `dbname` (for psycopg.connect)."""
        return (
            f"host=127.0.0.1 port={self.port} user={_quote_value(self.user)}"
            f" dbname={_quote_value(dbname)}"
        )

    def _run(self, args: list[str], check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run a server tool, as the postgres user when this process is root."""
        if self._as_root:
            args = ["runuser", "-u", SERVICE_USER, "--", *args]
        proc = subprocess.run(
            args,
            cwd=self.base_dir,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
        )
        if check and proc.returncode != 0:
            raise RuntimeError(
                f"{shlex.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
            )
        return proc

    def _make_base_dir(self) -> pathlib.Path:
        """Create the temporary directory, owned by the postgres user when running as root."""
        if self._as_root:
            uid, gid = _ensure_service_user()
            parent = "/tmp" if os.path.isdir("/tmp") else None
            base = pathlib.Path(tempfile.mkdtemp(prefix="shebao-pg-", dir=parent))
            for ancestor in base.parents:
                if not os.stat(ancestor).st_mode & 0o001:
                    shutil.rmtree(base, ignore_errors=True)
                    raise RuntimeError(f"{ancestor} is not traversable by the postgres user")
            os.chown(base, uid, gid)
            os.chmod(base, 0o700)
            return base
        return pathlib.Path(tempfile.mkdtemp(prefix="shebao-pg-"))

    def start(self, attempts: int = 3) -> Self:
        """Initialise the cluster and start the server; return self."""
        if self.running:
            return self
        began = time.monotonic()
        if self.bin_dir is None:
            self.bin_dir = find_pg_bin()
        if self.bin_dir is None:
            raise RuntimeError("PostgreSQL server binaries (initdb, pg_ctl) not found")
        self.base_dir = self._make_base_dir()
        if not self._registered:
            atexit.register(self.stop)
            self._registered = True
        try:
            self._run([
                str(self.bin_dir / "initdb"), "-D", str(self.data_dir), "-A", "trust",
                "-U", self.user, "--encoding", "UTF8", "--locale", "C", "--no-sync",
            ])
            self._launch(attempts)
        except BaseException:
            self.stop()
            raise
        self.start_seconds = time.monotonic() - began
        return self

    def _launch(self, attempts: int) -> None:
        """Start the postmaster on a free port, retrying when another process took the port."""
        assert self.bin_dir is not None and self.base_dir is not None
        error = ""
        for _ in range(attempts):
            port = _free_port()
            options = (
                f"-c listen_addresses=127.0.0.1 -p {port} -c fsync=off"
                " -c synchronous_commit=off -c full_page_writes=off"
            )
            if os.name != "nt":
                options += f" -k {shlex.quote(str(self.base_dir))}"
            proc = self._run([
                str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-l", str(self.log_file),
                "-w", "-t", "60", "-o", options, "start",
            ], check=False)
            if proc.returncode == 0:
                self.port = port
                return
            error = f"{proc.stdout}\n{proc.stderr}\n{self._log_tail()}"
        raise RuntimeError(f"pg_ctl could not start PostgreSQL:\n{error}")

    def _log_tail(self, lines: int = 20) -> str:
        """Return the last lines of the server log, if readable."""
        with contextlib.suppress(OSError):
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        return ""

    def stop(self) -> None:
        """Stop the server immediately and remove its directory; safe to call twice."""
        base = self.base_dir
        if base is None:
            return
        try:
            if self.bin_dir is not None and (base / "data" / "postmaster.pid").exists():
                self._run([
                    str(self.bin_dir / "pg_ctl"), "-D", str(base / "data"),
                    "-m", "immediate", "-w", "stop",
                ], check=False)
        finally:
            self.base_dir = None
            self.port = 0
            shutil.rmtree(base, ignore_errors=True)

    def __enter__(self) -> Self:
        """Start the server on entering a with block."""
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop the server on leaving a with block."""
        self.stop()


def psql(server: PostgresServer, sql: str, dbname: str = "postgres") -> str:
    """Run SQL through psql as the superuser and return its unaligned output."""
    if not server.running:
        raise RuntimeError("the PostgreSQL server is not running")
    args = [
        str(find_psql(server.bin_dir)), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
        "-h", "127.0.0.1", "-p", str(server.port), "-U", server.user, "-d", dbname, "-c", sql,
    ]
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    proc = subprocess.run(
        args, capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(f"psql failed ({proc.returncode}): {proc.stderr.strip()}")
    return proc.stdout


def create_database(server: PostgresServer, name: str, template: str | None = None) -> str:
    """Create database `name` (optionally copied from `template`) and return its URL."""
    sql = f"CREATE DATABASE {_quote_ident(name)}"
    if template is not None:
        sql += f" TEMPLATE {_quote_ident(template)}"
    psql(server, sql)
    return server.admin_url(name)


def drop_database(server: PostgresServer, name: str) -> None:
    """Drop database `name` if it exists, closing its connections."""
    psql(server, f"DROP DATABASE IF EXISTS {_quote_ident(name)} WITH (FORCE)")


def main() -> int:
    """Start a server, print its URL and version, create and drop a database, stop it."""
    with PostgresServer() as server:
        print(f"started in {server.start_seconds:.2f} s: {server.url}")
        print(psql(server, "SELECT version()").strip())
        print("created", create_database(server, "smoke"))
        drop_database(server, "smoke")
    return 0


if __name__ == "__main__":
    sys.exit(main())
