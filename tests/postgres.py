"""A private PostgreSQL server for the tests, started and stopped by the test session.

`start()` runs the operating system's PostgreSQL binaries (Debian's
/usr/lib/postgresql/N/bin, or `pg_ctl` on the PATH): `initdb` into a temporary folder,
`pg_ctl start` listening on 127.0.0.1 and a free port only (its Unix socket in that
folder too, nothing shared with a system server), trust authentication for the one
superuser it makes and for every other login but members of ``PASSWORD_GROUP``, who must
give their password (scram-sha-256), as on a team's server. `initdb` refuses to run as
root: when the tests run as root the server runs as the `postgres` operating-system user
(Debian's package makes it) or, failing that, `nobody`, through `runuser`.

With no binaries the tests that need a server are skipped, saying why; under CI=true
they fail instead, so CI cannot pass without having run them.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "dom_desk_test"
DATABASE = "dom_desk_test"
OLDEST_MAJOR = 15
#: Logins in this group must give a password: the tests of password prompts and .pgpass.
PASSWORD_GROUP = "password_users"


class NoPostgres(Exception):
    """No PostgreSQL server can be started here; the message says why."""


def find_bin_dir() -> Path | None:
    """The folder holding initdb and pg_ctl of PostgreSQL 15 or newer, or None."""
    candidates = []
    debian = Path("/usr/lib/postgresql")
    if debian.is_dir():
        majors = sorted((int(p.name) for p in debian.iterdir() if p.name.isdigit()), reverse=True)
        candidates += [debian / str(m) / "bin" for m in majors if m >= OLDEST_MAJOR]
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_user() -> str | None:
    """The operating-system user to run the server as, or None to run it as ourselves."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    raise NoPostgres("running as root and there is no 'postgres' or 'nobody' user for initdb")


@dataclass
class Server:
    """A running private server; `url` is a SQLAlchemy URL for its test database."""

    bin_dir: Path
    folder: Path
    port: int
    user: str | None

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, database: str = DATABASE) -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self.user is not None:
            command = ["runuser", "-u", self.user, "--", *command]
        return subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, cwd=self.folder
        )

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "stop", "-D", str(self.data), "-m", "fast", "-w")
        shutil.rmtree(self.folder, ignore_errors=True)


def start() -> Server:
    """Start a private server and create its test database; NoPostgres says why not."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise NoPostgres("psycopg is not installed: pip install 'psycopg[binary]'") from None
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise NoPostgres(
            f"no PostgreSQL {OLDEST_MAJOR}+ binaries (initdb, pg_ctl) in /usr/lib/postgresql "
            "or on the PATH: install the 'postgresql' package"
        )
    user = _server_user()
    folder = Path(tempfile.mkdtemp(prefix="dom-desk-pg-"))
    if user is not None:
        entry = pwd.getpwnam(user)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    server = Server(bin_dir, folder, _free_port(), user)
    try:
        done = server._run(
            "initdb", "-D", str(server.data), "-U", SUPERUSER, "--auth=trust",
            "--encoding=UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip
        if done.returncode != 0:
            raise NoPostgres(f"initdb failed: {done.stderr.strip() or done.stdout.strip()}")
        hba = server.data / "pg_hba.conf"
        rule = f"host all +{PASSWORD_GROUP} 127.0.0.1/32 scram-sha-256\n"
        hba.write_text(rule + hba.read_text())  # the first matching line decides
        options = (
            f"-c listen_addresses=127.0.0.1 -p {server.port} -k {folder} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        done = server._run(
            "pg_ctl", "start", "-D", str(server.data), "-w", "-t", "60",
            "-l", str(folder / "server.log"), "-o", options,
        )  # fmt: skip
        if done.returncode != 0:
            log = folder / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise NoPostgres(f"pg_ctl start failed: {done.stderr.strip()} {tail}".strip())
        _create_database(server)
    except BaseException:
        server.stop()
        raise
    return server


def _create_database(server: Server) -> None:
    import psycopg

    deadline = time.monotonic() + 30
    while True:
        try:
            with psycopg.connect(
                host="127.0.0.1", port=server.port, user=SUPERUSER, dbname="postgres",
                autocommit=True, connect_timeout=5,
            ) as conn:  # fmt: skip
                conn.execute(f'CREATE DATABASE "{DATABASE}"')
                conn.execute(f'CREATE ROLE "{PASSWORD_GROUP}" NOLOGIN')
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def copy_into(sqlite_path: Path, engine) -> dict[str, int]:
    """Copy a whole SQLite workbook into the PostgreSQL schema ``engine`` works in.

    ``create_all`` builds the models' schema there, then ``storage.transfer.copy_rows``
    copies every table's rows and sets each id sequence past every id used, as publishing
    a workbook to a team server does. One transaction; returns the rows copied per table.
    """
    import sqlalchemy as sa

    from dom_desk.models import Base
    from dom_desk.storage.transfer import copy_rows

    Base.metadata.create_all(engine)
    source = sa.create_engine(f"sqlite:///{sqlite_path}")
    try:
        with source.connect() as reading, engine.begin() as writing:
            return copy_rows(reading, writing)
    finally:
        source.dispose()
