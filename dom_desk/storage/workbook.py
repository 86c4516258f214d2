"""A region workbook: one SQLite file, opened like a document.

Opening checks the file before writing a byte to it (is it SQLite, is it ours, is it
sound, is its schema one we know), takes a backup, then applies any pending Alembic
migrations. Every connection runs with WAL, foreign keys and a busy timeout.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError

from dom_desk.errors import (
    ConflictError,
    DamagedWorkbookError,
    DomDeskError,
    ReadOnlyLocationError,
    StorageError,
    WorkbookError,
)
from dom_desk.storage import backups, schema
from dom_desk.storage.locking import WorkbookLock
from dom_desk.storage.schema import APPLICATION_ID, head_revision, known_revisions
from dom_desk.storage.server_address import is_server_url
from dom_desk.storage.sqlite_file import (
    BUSY_SNAPSHOT,
    BUSY_TIMEOUT_MS,
    error_chain,
    error_code,
    inspect_file,
    make_engine,
    sqlite_uri,
    storage_reason,
    writable,
)
from dom_desk.storage.workbook_base import Workbook, WorkbookSession

__all__ = [
    "APPLICATION_ID",
    "BUSY_TIMEOUT_MS",
    "FileWorkbook",
    "Workbook",
    "WorkbookSession",
    "copy_file",
    "create_workbook",
    "head_revision",
    "is_server_url",
    "inspect_file",
    "known_revisions",
    "make_engine",
    "open_document",
    "open_workbook",
    "sqlite_uri",
]

log = logging.getLogger(__name__)


class FileWorkbook(Workbook):
    """A region workbook in one SQLite file."""

    def __init__(self, path: Path, engine: Engine, read_only: bool = False) -> None:
        super().__init__(path, engine, read_only)
        self._identity = _identity(path)

    def _failure(
        self, exc: BaseException, touched: Sequence[tuple[str, int | None]] = ()
    ) -> DomDeskError | None:
        return _failure(exc, self)

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
            reason = storage_reason(exc) or str(exc)
            raise WorkbookError(f"Could not save a copy to '{target}': {reason}.") from exc


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_dev, stat.st_ino)


def _failure(exc: BaseException, wb: Workbook) -> DomDeskError | None:
    """Turns a failed write into one sentence the user can act on; None for a fault."""
    name = wb.path.name
    for item in error_chain(exc):
        if isinstance(item, StaleDataError) or error_code(item) == BUSY_SNAPSHOT:
            return ConflictError(
                f"Someone else saved a change to '{name}' after you read it, so this change "
                "was not saved (it would have overwritten theirs). Reload to see the latest "
                "figures, then make the change again."
            )
    reason = storage_reason(exc)
    if reason is None:
        return None
    if wb.read_only and reason.endswith("read-only"):
        return WorkbookError(f"'{name}' is open read-only, so the change was not saved.")
    return StorageError(
        f"Could not save to '{name}': {reason}. Nothing from this change was written; "
        "your earlier work is safe. Try again, or use Save a copy to keep it elsewhere."
    )


def _setting_up_failed(exc: Exception, path: Path) -> Exception:
    reason = storage_reason(exc)
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
        schema.initialise(engine)
    except Exception as exc:
        engine.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        failure = _setting_up_failed(exc, path)
        if failure is exc:
            raise
        raise failure from exc
    return FileWorkbook(path, engine)


def _check_writable(path: Path) -> None:
    if not (writable(path) and writable(path.resolve().parent)):
        raise ReadOnlyLocationError(
            f"'{path.name}' (or its folder) cannot be written here, so it can only be opened "
            "read-only. To edit it, copy it to a folder you can write to."
        )


def open_workbook(path: Path | str, read_only: bool = False) -> Workbook:
    """Opens an existing workbook, upgrading its schema (after a backup) if it is older.

    Opened for writing, it holds the editing lock until closed: a second program that
    wants to write (a window, ``dom-desk import``) is refused with WorkbookInUse naming
    who has it, instead of changing figures under the first one's feet. A
    ``postgresql://`` URL opens a region on the team server instead (no lock: many edit).
    """
    if is_server_url(path):
        from dom_desk.storage.server_workbook import open_server

        return open_server(str(path), read_only=read_only)
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
    try:
        revision = inspect_file(path)
    except DamagedWorkbookError as exc:
        raise backups.damaged_advice(path, exc) from exc
    if revision is None:
        raise WorkbookError(f"'{path.name}' is an empty database, not a DOM Desk workbook.")
    if revision != head_revision():
        if read_only:
            raise WorkbookError(f"'{path.name}' needs upgrading before it can be opened read-only.")
        backups.make_backup(path, "before-upgrade")
        engine = make_engine(path)
        try:
            schema.upgrade(engine)
        except Exception as exc:
            engine.dispose()
            failure = _setting_up_failed(exc, path)
            if failure is exc:
                raise
            raise failure from exc
        return FileWorkbook(path, engine)
    return FileWorkbook(path, make_engine(path, read_only=read_only), read_only=read_only)


def copy_file(source: Path, target: Path) -> None:
    """Copies a closed workbook file (used by tests and the demo)."""
    shutil.copyfile(source, target)


def open_document(path: Path | str, read_only: bool = False) -> Workbook:
    """Opens a workbook for a window: with the editing lock (raising WorkbookInUse, which
    names who has it) unless ``read_only``, and the daily backup (a server region is
    backed up by whoever runs the server: ``dom-desk backups URL``)."""
    wb = open_workbook(path, read_only=read_only)
    if not read_only and not wb.is_server:
        try:
            backups.daily_backup(wb.path)
        except Exception:
            wb.close()
            raise
    return wb
