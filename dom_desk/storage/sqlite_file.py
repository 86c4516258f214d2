"""The SQLite file under a workbook: how it is opened, checked and why it failed.

The lowest storage layer, used by ``workbook`` (open documents), ``backups`` (copies)
and ``domain.check`` (through ``file_checks``), so that none of them imports another to
reach SQLite and every connection is made the same way: WAL, foreign keys and the busy
timeout, with a storage failure named in a DOM's words rather than SQLite's.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool

from dom_desk.errors import DamagedWorkbookError, WorkbookError
from dom_desk.storage.schema import APPLICATION_ID, known_revisions

log = logging.getLogger(__name__)

#: How long a write waits for another connection's write to finish, in milliseconds.
BUSY_TIMEOUT_MS = 5000
SQLITE_HEADER = b"SQLite format 3\x00"


def writable(path: Path) -> bool:
    """Whether ``path`` may be written: its permission bits (so a file its owner marked
    read-only counts as read-only even for an administrator, and on Windows the
    read-only attribute) and the operating system's answer for this user."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    if path.is_file() and not mode & 0o200:
        return False
    return os.access(path, os.W_OK)


def sqlite_uri(path: Path, read_only: bool = False) -> str:
    """The URI SQLite opens ``path`` with (characters SQLite reads specially escaped).

    A read-only view of a file in a folder that cannot be written, closed cleanly (no
    ``-wal`` beside it), is opened immutable: SQLite could not otherwise create the
    shared-memory file it needs to read a WAL workbook, on a read-only share or CD.
    """
    resolved = path.resolve()
    text = str(resolved).replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    if not read_only:
        return f"file:{text}?mode=rwc"
    if not writable(resolved.parent) and not Path(f"{resolved}-wal").exists():
        return f"file:{text}?mode=ro&immutable=1"
    return f"file:{text}?mode=ro"


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A plain read-only connection (for copies and checks); close it when done."""
    return sqlite3.connect(sqlite_uri(path, read_only=True), uri=True)


_SQLITE_BUSY = 5  # exactly SQLITE_BUSY: another connection holds the write lock
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26
_RETRY_PAUSE_S = 0.02


class PatientCursor(sqlite3.Cursor):
    """Retries a statement refused with plain SQLITE_BUSY until the busy timeout is spent.

    Why: SQLite's busy handler waits only while a transaction takes its first lock. A
    transaction that has read and then writes while another connection writes (a
    deferred transaction upgrading to a write) is refused at once with SQLITE_BUSY,
    because waiting inside SQLite could deadlock two upgraders. The refused statement
    changed nothing and the transaction is still open, so it is safe to try it again: it
    succeeds once the other writer finishes, or fails with SQLITE_BUSY_SNAPSHOT (517, not
    retried: the other writer committed since we read, a conflict) if it changed the file.
    Transactions stay deferred, so readers never hold the write lock.
    """

    def execute(self, sql: str, parameters: object = (), /) -> sqlite3.Cursor:  # type: ignore[override]
        return _patiently(lambda: super(PatientCursor, self).execute(sql, parameters))

    def executemany(self, sql: str, seq_of_parameters: object, /) -> sqlite3.Cursor:  # type: ignore[override]
        return _patiently(lambda: super(PatientCursor, self).executemany(sql, seq_of_parameters))


def _patiently(run: Callable[[], sqlite3.Cursor]) -> sqlite3.Cursor:
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            return run()
        except sqlite3.OperationalError as exc:
            if error_code(exc) != _SQLITE_BUSY or time.monotonic() >= deadline:
                raise
        time.sleep(_RETRY_PAUSE_S)


class PatientConnection(sqlite3.Connection):
    """A connection whose cursors are ``PatientCursor``s (what SQLAlchemy executes on)."""

    def cursor(self, factory: type[sqlite3.Cursor] = PatientCursor) -> sqlite3.Cursor:  # type: ignore[override]
        return super().cursor(factory)


def make_engine(path: Path, read_only: bool = False) -> Engine:
    """The one factory for workbook engines: tests and the app both come through here.

    Connections are ``PatientConnection``s, so a write waits for a busy workbook for the
    whole busy timeout, also when its transaction has already read.
    """
    uri = sqlite_uri(path, read_only)
    engine = create_engine(
        "sqlite://",
        poolclass=QueuePool,
        creator=lambda: sqlite3.connect(
            uri,
            uri=True,
            timeout=BUSY_TIMEOUT_MS / 1000,
            check_same_thread=False,
            factory=PatientConnection,
        ),
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin (the documented
        # recipe for transactional DDL and savepoints on SQLite).
        dbapi_connection.isolation_level = None
        with closing(dbapi_connection.cursor()) as cursor:
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if not read_only:
                cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute("PRAGMA synchronous = NORMAL")

    @event.listens_for(engine, "begin")
    def _on_begin(connection: object) -> None:
        connection.exec_driver_sql("BEGIN")  # type: ignore[attr-defined]

    return engine


def damaged(name: str, details: object) -> DamagedWorkbookError:
    """The refusal of a damaged file: one sentence; SQLite's own words go to the log."""
    log.warning("'%s' is damaged: %s", name, details)
    return DamagedWorkbookError(
        f"'{name}' is damaged, so it was not opened and nothing was changed."
    )


def _unreadable(name: str, exc: sqlite3.DatabaseError) -> WorkbookError:
    """Damage only when SQLite says the file is corrupt or not a database; a file that
    cannot be read for a storage reason (a full disk where SQLite must make its shared
    memory file) is not damaged, and must never be called so (a DOM would restore it)."""
    code = error_code(exc)
    if code is None or code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return damaged(name, exc)
    log.warning("Could not read '%s': %s", name, exc)
    reason = storage_reason(exc) or "SQLite could not read it"
    return WorkbookError(f"Could not open '{name}': {reason}. Nothing was changed.")


def inspect_file(path: Path) -> str | None:
    """Checks an existing file without changing it; returns its schema revision.

    Returns None for an empty SQLite database (a new file). Raises WorkbookError,
    naming the file, for anything that is not a sound DOM Desk workbook we can open
    (DamagedWorkbookError for damage). A refused file is left as it was found, with no
    SQLite side files beside it.
    """
    sidecars = [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm")]
    found = {p for p in sidecars if p.exists()}
    try:
        return _inspect(path)
    except WorkbookError:
        # Reading a WAL-mode file makes SQLite create its -wal and -shm files; those we
        # made (and that hold nothing) go again, so a refused file is left untouched.
        for side in sidecars:
            if (
                side not in found
                and side.exists()
                and (side.name.endswith("-shm") or side.stat().st_size == 0)
            ):
                side.unlink(missing_ok=True)
        raise


def _inspect(path: Path) -> str | None:
    name = path.name
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise WorkbookError(f"Cannot read '{name}': {exc.strerror}.") from exc
    if header != SQLITE_HEADER:
        raise WorkbookError(f"'{name}' is not a DOM Desk workbook (it is not a SQLite database).")
    try:
        with closing(connect_read_only(path)) as con:
            app_id = con.execute("PRAGMA application_id").fetchone()[0]
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
            if app_id != APPLICATION_ID and (app_id != 0 or tables):
                raise WorkbookError(f"'{name}' is a SQLite database but not a DOM Desk workbook.")
            problems = [r[0] for r in con.execute("PRAGMA quick_check")]
            if problems != ["ok"]:
                raise damaged(name, "; ".join(problems))
            if "alembic_version" not in tables:
                if tables:
                    raise WorkbookError(f"'{name}' is not a complete DOM Desk workbook.")
                return None
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise _unreadable(name, exc) from exc
    revision = row[0] if row else None
    if revision not in known_revisions():
        raise WorkbookError(
            f"'{name}' was written by a newer version of DOM Desk (schema {revision}). "
            "Install the latest DOM Desk to open it."
        )
    return revision


#: SQLite's primary result codes for storage failures, in a DOM's words.
_STORAGE_REASONS = {
    13: "the disk is full",  # SQLITE_FULL
    10: "the disk could not be written (it may be full, failing or disconnected)",  # IOERR
    8: "the file or its folder is read-only",  # SQLITE_READONLY
    14: "the file or its folder can no longer be reached",  # SQLITE_CANTOPEN
    5: "another program kept the workbook busy for too long",  # SQLITE_BUSY
    6: "another program kept the workbook busy for too long",  # SQLITE_LOCKED
    11: "the file is damaged",  # SQLITE_CORRUPT
    26: "the file is damaged",  # SQLITE_NOTADB
}
#: SQLITE_BUSY_SNAPSHOT: another connection committed since this one read.
BUSY_SNAPSHOT = 517


def error_chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception, what caused it and what it interrupted: SQLite's real failure
    (a full disk) is often the context of a later one (a savepoint that is gone)."""
    seen: set[int] = set()
    queue: list[BaseException | None] = [exc]
    while queue:
        item = queue.pop(0)
        if item is None or id(item) in seen:
            continue
        seen.add(id(item))
        yield item
        queue += [getattr(item, "orig", None), item.__cause__, item.__context__]


def error_code(exc: BaseException) -> int | None:
    """SQLite's extended result code carried by ``exc``, if it carries one."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code if isinstance(code, int) else None


def storage_reason(exc: BaseException) -> str | None:
    """Why storage failed, in a DOM's words, or None when ``exc`` is not a storage failure."""
    for item in error_chain(exc):
        code = error_code(item)
        if code is not None and code & 0xFF in _STORAGE_REASONS:
            return _STORAGE_REASONS[code & 0xFF]
    return None
