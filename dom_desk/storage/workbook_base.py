"""What every open workbook is, a file or a region on the team server: sessions.

``Workbook.session()`` is the one way the domain reads and writes: one transaction,
committed if the block ends normally and rolled back otherwise, every flush written to
the audit trail, and a failure of the storage underneath turned into an error in words.
``workbook.FileWorkbook`` and ``server_workbook.ServerWorkbook`` say what differs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, event
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from dom_desk.errors import DomDeskError, StorageError, WorkbookError
from dom_desk.storage import audit, backups

if TYPE_CHECKING:
    from dom_desk.storage.locking import WorkbookLock


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
        or wb.is_server  # one transaction on the server; its backups are the server's
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


class Workbook:
    """An open region workbook. Use ``session()`` for every read and write.

    ``name`` is how messages name it, ``location`` how Open Recent remembers it (a path,
    or a server URL without its password) and ``path`` its file (for a server region, a
    path made of its name, so code naming a workbook by ``path.name`` still reads well).
    """

    #: Whether it is a region on the team server rather than a file.
    is_server = False

    def __init__(
        self, path: Path, engine: Engine, read_only: bool = False, location: str = ""
    ) -> None:
        self.path = path
        self.name = path.name
        self.location = location or str(path)
        self.engine = engine
        self.read_only = read_only
        self.lock: WorkbookLock | None = None
        self._sessions = sessionmaker(engine, class_=WorkbookSession, expire_on_commit=False)
        #: Called with the error each time a read or write fails for a storage reason
        #: (disk full, file gone, drive away, server lost), after nothing was written:
        #: the window uses it to offer to save a copy elsewhere.
        self.storage_failed: list[Callable[[StorageError], None]] = []

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed if the block ends normally, rolled back otherwise."""
        session: Session | None = None
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
            touched = session.info.get("touched", ()) if session is not None else ()
            translated = self._failure(exc, touched)
            if translated is None:
                raise
            if isinstance(translated, StorageError):
                self._tell_storage_failed(translated)
            raise translated from exc

    def _failure(
        self, exc: BaseException, touched: Sequence[tuple[str, int | None]] = ()
    ) -> DomDeskError | None:
        """``exc`` in words, or None for a fault; ``touched`` names the records the
        transaction had changed, as (table, id), for a conflict to name them."""
        return None

    def _checkpoint(self) -> None:
        """After a write is committed (a file copies its WAL in)."""

    def check_still_there(self) -> None:
        """Before each transaction: refuses to go on if the storage is gone."""

    def _tell_storage_failed(self, error: StorageError) -> None:
        for listener in self.storage_failed:
            listener(error)

    def save_copy(self, target: Path) -> None:
        """Writes a consistent copy of the workbook to the file ``target``."""
        raise NotImplementedError

    def change_mark(self) -> int:
        """A number that changes whenever anyone commits a change (see ServerWorkbook)."""
        return 0

    def close(self) -> None:
        self.engine.dispose()
        if self.lock is not None:
            self.lock.release()
            self.lock = None
