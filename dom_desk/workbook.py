"""A region workbook: one SQLite file, opened like a document.

Opening checks the file before writing a byte to it (is it SQLite, is it ours, is it
sound, is its schema one we know), takes a backup, then applies any pending Alembic
migrations. Every connection runs with WAL, foreign keys and a busy timeout.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from dom_desk import backups
from dom_desk.domain import audit
from dom_desk.errors import WorkbookError
from dom_desk.locking import WorkbookLock

if TYPE_CHECKING:
    from alembic.config import Config

#: ``PRAGMA application_id`` of every DOM Desk workbook ("DOMD").
APPLICATION_ID = 0x444F4D44
BUSY_TIMEOUT_MS = 5000
_SQLITE_HEADER = b"SQLite format 3\x00"
_MIGRATIONS = Path(__file__).parent / "migrations"


class WorkbookSession(Session):
    """Sessions of a workbook: every flush is written to the audit trail."""


audit.install(WorkbookSession)


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


def make_engine(path: Path, read_only: bool = False) -> Engine:
    """The one factory for workbook engines: tests and the app both come through here."""
    mode = "ro" if read_only else "rwc"
    engine = create_engine(
        f"sqlite:///file:{path.resolve()}?mode={mode}&uri=true",
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000},
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
    """
    name = path.name
    try:
        with path.open("rb") as handle:
            header = handle.read(len(_SQLITE_HEADER))
    except OSError as exc:
        raise WorkbookError(f"Cannot read '{name}': {exc.strerror}.") from exc
    if header != _SQLITE_HEADER:
        raise WorkbookError(f"'{name}' is not a DOM Desk workbook (it is not a SQLite database).")
    try:
        with closing(sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True)) as con:
            app_id = con.execute("PRAGMA application_id").fetchone()[0]
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
            if app_id != APPLICATION_ID and (app_id != 0 or tables):
                raise WorkbookError(
                    f"'{name}' is a SQLite database but not a DOM Desk workbook."
                )
            problems = [r[0] for r in con.execute("PRAGMA quick_check")]
            if problems != ["ok"]:
                raise WorkbookError(
                    f"'{name}' is damaged and was not opened ({problems[0]}). "
                    "Restore a backup, or run 'dom-desk check' for details."
                )
            if "alembic_version" not in tables:
                if tables:
                    raise WorkbookError(f"'{name}' is not a complete DOM Desk workbook.")
                return None
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise WorkbookError(f"'{name}' is damaged or not a workbook ({exc}).") from exc
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

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed if the block ends normally, rolled back otherwise."""
        self.check_still_there()
        try:
            with self._sessions.begin() as session:
                yield session
        except OperationalError as exc:
            raise _storage_error(exc, self.path) from exc

    def check_still_there(self) -> None:
        """Refuses to go on if the file was moved, deleted or its drive went away, so no
        edit is written into a file the user can no longer see."""
        if _identity(self.path) != self._identity:
            raise WorkbookError(
                f"'{self.path.name}' was moved, deleted or its drive is no longer "
                "available. Nothing more was written; use Save a copy to keep your work.")

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
            raise WorkbookError(f"Could not save a copy to '{target}': {exc}.") from exc

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


def _storage_error(exc: OperationalError, path: Path) -> Exception:
    """Turns SQLite's storage failures into one sentence; other errors pass through."""
    text = str(exc.orig).lower()
    if "disk is full" in text or "disk i/o" in text:
        reason = "the disk is full or failing" if "full" in text else "the disk failed"
    elif "readonly" in text or "read-only" in text:
        reason = "the file or its folder is read-only"
    elif "locked" in text or "busy" in text:
        reason = "another program kept the workbook busy for too long"
    else:
        return exc
    return WorkbookError(
        f"Could not save to '{path.name}': {reason}. Nothing from this change was "
        "written; your earlier work is safe. Try again, or use Save a copy elsewhere.")


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
    except Exception:
        engine.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        raise
    return Workbook(path, engine)


def open_workbook(path: Path, read_only: bool = False) -> Workbook:
    """Opens an existing workbook, upgrading its schema (after a backup) if it is older."""
    path = Path(path)
    if not path.exists():
        raise WorkbookError(f"There is no workbook at '{path}'.")
    if path.is_dir():
        raise WorkbookError(f"'{path}' is a folder, not a workbook.")
    revision = inspect_file(path)
    if revision is None:
        raise WorkbookError(f"'{path.name}' is an empty database, not a DOM Desk workbook.")
    if revision != head_revision():
        if read_only:
            raise WorkbookError(
                f"'{path.name}' needs upgrading before it can be opened read-only."
            )
        backups.make_backup(path, "before-upgrade")
        engine = make_engine(path)
        _upgrade(engine)
        return Workbook(path, engine)
    return Workbook(path, make_engine(path, read_only=read_only), read_only=read_only)


def copy_file(source: Path, target: Path) -> None:
    """Copies a closed workbook file (used by tests and the demo)."""
    shutil.copyfile(source, target)


def open_document(path: Path, read_only: bool = False) -> Workbook:
    """Opens a workbook for a window: takes the editing lock (raising WorkbookInUse,
    which names who has it) unless ``read_only``, and makes the daily backup."""
    path = Path(path)
    lock = None
    if not read_only:
        lock = WorkbookLock(path)
        if path.exists():
            lock.acquire()
    try:
        wb = open_workbook(path, read_only=read_only)
        if not read_only:
            backups.daily_backup(path)
    except Exception:
        if lock is not None:
            lock.release()
        raise
    wb.lock = lock
    return wb
