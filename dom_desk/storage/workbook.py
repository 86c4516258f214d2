"""A region workbook: one SQLite file, opened like a document.

Opening checks the file before writing a byte to it (is it SQLite, is it ours, is it
sound, is its schema one we know), takes a backup, then applies any pending Alembic
migrations. Every connection runs with WAL, foreign keys and a busy timeout.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.pool import QueuePool

from dom_desk.errors import (
    ConflictError,
    DamagedWorkbookError,
    DomDeskError,
    ReadOnlyLocationError,
    StorageError,
    WorkbookError,
)
from dom_desk.storage import audit, backups
from dom_desk.storage.locking import WorkbookLock

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

#: ``PRAGMA application_id`` of every DOM Desk workbook ("DOMD").
APPLICATION_ID = 0x444F4D44
BUSY_TIMEOUT_MS = 5000
_SQLITE_HEADER = b"SQLite format 3\x00"
_MIGRATIONS = Path(__file__).parent.parent / "migrations"


class WorkbookSession(Session):
    """Sessions of a workbook: every flush is written to the audit trail."""


audit.install(WorkbookSession)


@event.listens_for(WorkbookSession, "after_flush")
def _mark_flushed(session: Session, _context: object) -> None:
    session.info["wrote"] = True


@event.listens_for(WorkbookSession, "do_orm_execute")
def _mark_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info["wrote"] = True


@event.listens_for(WorkbookSession, "before_commit")
def _backup_before_import(session: Session) -> None:
    """An import is backed up before it is committed. Taken from another connection, the
    backup holds the workbook as last committed: as it was before this import."""
    wb = session.info.get("workbook")
    if (
        wb is None
        or wb.read_only
        or session.in_nested_transaction()
        or audit.IMPORT not in session.info.get("actions", ())
    ):
        return  # also fired for each savepoint (one per imported file): not those
    try:
        backups.make_backup(wb.path, "before-import")
    except WorkbookError as exc:
        # Not a StorageError: the workbook itself is fine, only the backup folder is not,
        # so the window must not offer to rescue the workbook.
        raise WorkbookError(
            f"Could not back up '{wb.path.name}' before the import, so nothing was imported: {exc}"
        ) from exc


def _alembic_config() -> Config:
    from alembic.config import Config  # alembic is slow to import: only when migrating

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return config


def known_revisions() -> list[str]:
    """Schema revisions this version knows, oldest first.

    Read from the migration file names (``0002_commissioning_workspace.py`` is revision
    ``0002``; the history is linear), so opening a current file never imports Alembic.
    """
    return sorted(p.name.split("_", 1)[0] for p in (_MIGRATIONS / "versions").glob("[0-9]*_*.py"))


def head_revision() -> str:
    """The schema revision this version of DOM Desk writes."""
    return known_revisions()[-1]


def _writable(path: Path) -> bool:
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
    if not _writable(resolved.parent) and not Path(f"{resolved}-wal").exists():
        return f"file:{text}?mode=ro&immutable=1"
    return f"file:{text}?mode=ro"


def make_engine(path: Path, read_only: bool = False) -> Engine:
    """The one factory for workbook engines: tests and the app both come through here."""
    uri = sqlite_uri(path, read_only)
    engine = create_engine(
        "sqlite://",
        poolclass=QueuePool,
        creator=lambda: sqlite3.connect(
            uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
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


def inspect_file(path: Path) -> str | None:
    """Checks an existing file without changing it; returns its schema revision.

    Returns None for an empty SQLite database (a new file). Raises WorkbookError,
    naming the file, for anything that is not a sound DOM Desk workbook we can open.
    A refused file is left as it was found, with no SQLite side files beside it.
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
            header = handle.read(len(_SQLITE_HEADER))
    except OSError as exc:
        raise WorkbookError(f"Cannot read '{name}': {exc.strerror}.") from exc
    if header != _SQLITE_HEADER:
        raise WorkbookError(f"'{name}' is not a DOM Desk workbook (it is not a SQLite database).")
    try:
        with closing(sqlite3.connect(sqlite_uri(path, read_only=True), uri=True)) as con:
            app_id = con.execute("PRAGMA application_id").fetchone()[0]
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
            if app_id != APPLICATION_ID and (app_id != 0 or tables):
                raise WorkbookError(f"'{name}' is a SQLite database but not a DOM Desk workbook.")
            problems = [r[0] for r in con.execute("PRAGMA quick_check")]
            if problems != ["ok"]:
                raise DamagedWorkbookError(
                    f"'{name}' is damaged and was not opened ({problems[0]}). "
                    "Restore a backup, or run 'dom-desk check' for details."
                )
            if "alembic_version" not in tables:
                if tables:
                    raise WorkbookError(f"'{name}' is not a complete DOM Desk workbook.")
                return None
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise DamagedWorkbookError(
            f"'{name}' is damaged and was not opened ({exc}). Restore a backup, or run "
            "'dom-desk check' for details."
        ) from exc
    revision = row[0] if row else None
    if revision not in known_revisions():
        raise WorkbookError(
            f"'{name}' was written by a newer version of DOM Desk (schema {revision}). "
            "Install the latest DOM Desk to open it."
        )
    return revision


class Workbook:
    """An open region workbook. Use ``session()`` for every read and write."""

    def __init__(self, path: Path, engine: Engine, read_only: bool = False) -> None:
        self.path = path
        self.engine = engine
        self.read_only = read_only
        self.lock: WorkbookLock | None = None
        self._identity = _identity(path)
        self._sessions = sessionmaker(engine, class_=WorkbookSession, expire_on_commit=False)
        #: Called with the error each time a read or write fails for a storage reason
        #: (disk full, file gone, drive away), after nothing was written: the window
        #: uses it to offer to save a copy elsewhere.
        self.storage_failed: list[Callable[[StorageError], None]] = []

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed if the block ends normally, rolled back otherwise."""
        try:
            self.check_still_there()
            with self._sessions.begin() as session:
                session.info["workbook"] = self
                yield session
            if session.info.get("wrote"):
                self._checkpoint()
        except StorageError as exc:
            self._tell_storage_failed(exc)
            raise
        except DomDeskError:
            raise
        except Exception as exc:
            translated = _failure(exc, self)
            if translated is None:
                raise
            if isinstance(translated, StorageError):
                self._tell_storage_failed(translated)
            raise translated from exc

    def _checkpoint(self) -> None:
        """Copies committed pages from the -wal file into the workbook itself, so the
        .domdesk file alone holds every edit (someone copying it while it is open gets
        them all). Passive: it never waits for readers; what it cannot copy now is
        copied at the next write or on close, and the edit is safe in the WAL either way.
        """
        try:
            with self.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
        except (OperationalError, sqlite3.Error):
            log.warning("Could not checkpoint %s; its edits stay in the -wal file", self.path)

    def _tell_storage_failed(self, error: StorageError) -> None:
        for listener in self.storage_failed:
            listener(error)

    def check_still_there(self) -> None:
        """Refuses to go on if the file was moved, deleted or its drive went away, so no
        edit is written into a file the user can no longer see."""
        if _identity(self.path) != self._identity:
            raise StorageError(
                f"'{self.path.name}' was moved, deleted or its drive is no longer "
                "available. Nothing more was written; use Save a copy to keep your work."
            )

    def save_copy(self, target: Path) -> None:
        """Writes a consistent copy of the workbook to ``target`` (Save a copy)."""
        target = Path(target)
        if target.resolve() == self.path.resolve():
            raise WorkbookError("Choose a different file name for the copy.")
        partial = target.with_name(target.name + ".partial")
        try:
            with closing(sqlite3.connect(partial)) as copy:
                raw = self.engine.raw_connection()
                try:
                    raw.driver_connection.backup(copy)  # type: ignore[union-attr]
                finally:
                    raw.close()
            partial.replace(target)
        except (OSError, sqlite3.Error) as exc:
            partial.unlink(missing_ok=True)
            reason = _reason(exc) or str(exc)
            raise WorkbookError(f"Could not save a copy to '{target}': {reason}.") from exc

    def close(self) -> None:
        self.engine.dispose()
        if self.lock is not None:
            self.lock.release()
            self.lock = None


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_dev, stat.st_ino)


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
_BUSY_SNAPSHOT = 517  # SQLITE_BUSY_SNAPSHOT: another connection committed since we read


def _chain(exc: BaseException) -> Iterator[BaseException]:
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


def _code(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return code if isinstance(code, int) else None


def _reason(exc: BaseException) -> str | None:
    for item in _chain(exc):
        code = _code(item)
        if code is not None and code & 0xFF in _STORAGE_REASONS:
            return _STORAGE_REASONS[code & 0xFF]
    return None


def _failure(exc: BaseException, wb: Workbook) -> DomDeskError | None:
    """Turns a failed write into one sentence the user can act on; None for a fault."""
    name = wb.path.name
    for item in _chain(exc):
        if isinstance(item, StaleDataError) or _code(item) == _BUSY_SNAPSHOT:
            return ConflictError(
                f"Someone else saved a change to '{name}' after you read it, so this change "
                "was not saved (it would have overwritten theirs). Reload to see the latest "
                "figures, then make the change again."
            )
    reason = _reason(exc)
    if reason is None:
        return None
    if wb.read_only and reason.endswith("read-only"):
        return WorkbookError(f"'{name}' is open read-only, so the change was not saved.")
    return StorageError(
        f"Could not save to '{name}': {reason}. Nothing from this change was written; "
        "your earlier work is safe. Try again, or use Save a copy to keep it elsewhere."
    )


def _initialise(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
        from alembic import command

        config = _alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _upgrade(engine: Engine) -> None:
    with engine.connect() as connection:
        from alembic import command

        config = _alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        connection.commit()


def _setting_up_failed(exc: Exception, path: Path) -> Exception:
    reason = _reason(exc)
    if reason is None:
        return exc
    return StorageError(f"Could not write '{path.name}': {reason}.")


def create_workbook(path: Path) -> Workbook:
    """Creates an empty workbook at ``path``; refuses to replace an existing file."""
    path = Path(path)
    if path.exists():
        raise WorkbookError(f"'{path.name}' already exists; choose another name.")
    if not path.parent.is_dir():
        raise WorkbookError(f"The folder '{path.parent}' does not exist.")
    engine = make_engine(path)
    try:
        _initialise(engine)
    except Exception as exc:
        engine.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        failure = _setting_up_failed(exc, path)
        if failure is exc:
            raise
        raise failure from exc
    return Workbook(path, engine)


def _check_writable(path: Path) -> None:
    if not (_writable(path) and _writable(path.resolve().parent)):
        raise ReadOnlyLocationError(
            f"'{path.name}' (or its folder) cannot be written here, so it can only be opened "
            "read-only. To edit it, copy it to a folder you can write to."
        )


def open_workbook(path: Path, read_only: bool = False) -> Workbook:
    """Opens an existing workbook, upgrading its schema (after a backup) if it is older.

    Opened for writing, it holds the editing lock until closed: a second program that
    wants to write (a window, ``dom-desk import``) is refused with WorkbookInUse naming
    who has it, instead of changing figures under the first one's feet.
    """
    path = Path(path)
    if not path.exists():
        raise WorkbookError(f"There is no workbook at '{path}'.")
    if path.is_dir():
        raise WorkbookError(f"'{path}' is a folder, not a workbook.")
    lock = None
    if not read_only:
        _check_writable(path)
        lock = WorkbookLock(path)
        lock.acquire()
    try:
        wb = _open(path, read_only)
    except Exception:
        if lock is not None:
            lock.release()
        raise
    wb.lock = lock
    return wb


def _open(path: Path, read_only: bool) -> Workbook:
    revision = inspect_file(path)
    if revision is None:
        raise WorkbookError(f"'{path.name}' is an empty database, not a DOM Desk workbook.")
    if revision != head_revision():
        if read_only:
            raise WorkbookError(f"'{path.name}' needs upgrading before it can be opened read-only.")
        backups.make_backup(path, "before-upgrade")
        engine = make_engine(path)
        try:
            _upgrade(engine)
        except Exception as exc:
            engine.dispose()
            failure = _setting_up_failed(exc, path)
            if failure is exc:
                raise
            raise failure from exc
        return Workbook(path, engine)
    return Workbook(path, make_engine(path, read_only=read_only), read_only=read_only)


def copy_file(source: Path, target: Path) -> None:
    """Copies a closed workbook file (used by tests and the demo)."""
    shutil.copyfile(source, target)


def open_document(path: Path, read_only: bool = False) -> Workbook:
    """Opens a workbook for a window: with the editing lock (raising WorkbookInUse, which
    names who has it) unless ``read_only``, and the daily backup."""
    wb = open_workbook(path, read_only=read_only)
    if not read_only:
        try:
            backups.daily_backup(wb.path)
        except Exception:
            wb.close()
            raise
    return wb
