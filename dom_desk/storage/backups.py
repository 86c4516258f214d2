"""Rolling backups of a workbook, made with SQLite's online backup so each is consistent.

Backups live in the user's data folder (one folder per workbook), so a workbook on a
read-only share or a removable drive still gets them. Taken before a schema upgrade,
before each import and once a day on open; the oldest beyond the number kept are removed.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from dom_desk import paths, preferences
from dom_desk.errors import WorkbookError
from dom_desk.files import describe_os_error

_NAME = re.compile(r"-(\d{8}-\d{6}-\d{6})-([a-z-]+)" + re.escape(paths.WORKBOOK_SUFFIX) + "$")


@dataclass(frozen=True)
class Backup:
    path: Path
    made: datetime
    reason: str
    size: int


def _copy(source: Path, target: Path) -> None:
    """A consistent copy of ``source`` at ``target`` through SQLite's backup API."""
    from dom_desk.storage.workbook import sqlite_uri

    partial = target.with_name(target.name + ".partial")
    try:
        with (
            closing(sqlite3.connect(sqlite_uri(source, read_only=True), uri=True)) as src,
            closing(sqlite3.connect(partial)) as dst,
        ):
            src.backup(dst)
        partial.replace(target)
    except OSError as exc:
        raise WorkbookError(describe_os_error(exc, target)) from exc
    except sqlite3.Error as exc:
        raise WorkbookError(f"Could not copy '{source.name}': {exc}.") from exc
    finally:
        partial.unlink(missing_ok=True)


def _backup_target(workbook: Path, reason: str) -> Path:
    folder = paths.backup_dir(workbook)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkbookError(describe_os_error(exc, folder)) from exc
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    return folder / f"{workbook.stem}-{stamp}-{reason}{paths.WORKBOOK_SUFFIX}"


def make_backup(
    workbook: Path, reason: str, keep: int | None = None, damaged_ok: bool = False
) -> Path:
    """Backs ``workbook`` up now; ``reason`` is a short tag ("before-import", "daily").

    ``damaged_ok``: a file SQLite cannot read is kept as it is, byte for byte, rather than
    refused (before a restore over it: the damaged file may still be wanted).
    """
    workbook = Path(workbook)
    target = _backup_target(workbook, reason)
    try:
        _copy(workbook, target)
    except WorkbookError:
        if not damaged_ok:
            raise
        try:
            shutil.copyfile(workbook, target)
        except OSError as exc:
            raise WorkbookError(describe_os_error(exc, target)) from exc
    prune(workbook, keep if keep is not None else preferences.backups_keep())
    return target


def list_backups(workbook: Path) -> list[Backup]:
    """The workbook's backups, newest first."""
    folder = paths.backup_dir(Path(workbook))
    found: list[Backup] = []
    if not folder.is_dir():
        return found
    for file in folder.iterdir():
        match = _NAME.search(file.name)
        if match and file.is_file():
            made = datetime.strptime(match.group(1), "%Y%m%d-%H%M%S-%f")
            found.append(Backup(file, made, match.group(2), file.stat().st_size))
    return sorted(found, key=lambda b: b.made, reverse=True)


def prune(workbook: Path, keep: int) -> None:
    for old in list_backups(workbook)[max(keep, 1) :]:
        old.path.unlink(missing_ok=True)


def daily_backup(workbook: Path, keep: int | None = None) -> Path | None:
    """A backup if none was made today (called on open)."""
    today = datetime.now().date()
    if any(b.made.date() == today for b in list_backups(workbook)):
        return None
    return make_backup(workbook, "daily", keep)


def restore(workbook: Path, backup: Path) -> Path:
    """Replaces the workbook's contents with ``backup``; the current file is backed up
    first (the returned path), so a restore can itself be undone.

    If another program has it open for editing, WorkbookInUse is raised, naming who; the
    editing lock is held meanwhile, so nobody opens it half-restored. A window should
    close the workbook first and reopen it after, to show the restored figures.
    """
    from dom_desk.storage.locking import WorkbookLock, open_here
    from dom_desk.storage.workbook import inspect_file

    workbook, backup = Path(workbook), Path(backup)
    if not workbook.is_file():
        raise WorkbookError(f"There is no workbook at '{workbook}'.")
    if not backup.is_file():
        raise WorkbookError(f"There is no backup at '{backup}'.")
    inspect_file(backup)  # refuses a damaged or foreign backup before anything changes
    if open_here(workbook):  # its open connections would be left on the old file
        raise WorkbookError(f"Close '{workbook.name}' in DOM Desk before restoring it.")
    lock = WorkbookLock(workbook)
    lock.acquire()
    try:
        # One more than usual, so the restored-over file is never the one pruned; a
        # damaged workbook (the usual reason to restore) is kept byte for byte.
        safety = make_backup(
            workbook, "before-restore", keep=preferences.backups_keep() + 1, damaged_ok=True
        )
        _replace_with(workbook, backup, safety)
    finally:
        lock.release()
    return safety


def _replace_with(workbook: Path, backup: Path, safety: Path) -> None:
    """Writes a consistent copy of ``backup`` beside ``workbook``, then renames it into
    place: the workbook is whole at every moment, even when it was damaged before."""
    from dom_desk.storage.workbook import sqlite_uri

    partial = workbook.with_name(f".{workbook.name}.restoring")
    try:
        partial.unlink(missing_ok=True)
        with (
            closing(sqlite3.connect(sqlite_uri(backup, read_only=True), uri=True)) as src,
            closing(sqlite3.connect(partial)) as dst,
        ):
            src.backup(dst)
        # The old file's write-ahead log belongs to the old contents.
        for side in ("-wal", "-shm"):
            Path(f"{workbook}{side}").unlink(missing_ok=True)
        partial.replace(workbook)
    except (OSError, sqlite3.Error) as exc:
        partial.unlink(missing_ok=True)
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise WorkbookError(
            f"Could not restore '{backup.name}' ({reason}); the workbook is as it was, and "
            f"was also backed up first to '{safety}'."
        ) from exc
