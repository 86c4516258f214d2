"""Rolling backups of a workbook, made with SQLite's online backup so each is consistent.

Backups live in the user's data folder (one folder per workbook), so a workbook on a
read-only share or a removable drive still gets them. Taken before a schema upgrade,
before each import and once a day on open; the oldest beyond the number kept are removed.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from dom_desk import paths, preferences
from dom_desk.errors import DamagedWorkbookError, WorkbookError
from dom_desk.files import describe_os_error, describe_os_reason
from dom_desk.storage.locking import WorkbookLock, open_here
from dom_desk.storage.sqlite_file import (
    SQLITE_HEADER,
    connect_read_only,
    inspect_file,
    storage_reason,
    writable,
)

log = logging.getLogger(__name__)

_NAME = re.compile(r"-(\d{8}-\d{6}-\d{6})-([a-z-]+)" + re.escape(paths.WORKBOOK_SUFFIX) + "$")


@dataclass(frozen=True)
class Backup:
    path: Path
    made: datetime
    reason: str
    size: int


class BackupList(list[Backup]):
    """Backups newest first, plus ``unusable``: a sentence for each file in the backups
    folder that is not offered (a half-written or unreadable one), for a dialog to show."""

    def __init__(self, found: list[Backup], unusable: list[str]) -> None:
        super().__init__(found)
        self.unusable = unusable


def _partial_name(target: Path) -> Path:
    # A leading dot and a suffix that is not ".domdesk": never matched as a backup.
    return target.with_name(f".{target.name}.{os.getpid()}.partial")


def _copy(source: Path, target: Path) -> None:
    """A consistent copy of ``source`` at ``target`` through SQLite's backup API, written
    under a temporary name and renamed into place once complete and on disk: a backup
    killed half-way is never listed."""
    partial = _partial_name(target)
    try:
        with closing(connect_read_only(source)) as src, closing(sqlite3.connect(partial)) as dst:
            src.backup(dst)
            # A backup is read, never written: in rollback mode, reading it (to list, check
            # or restore it) needs no -wal or -shm file, so none is left in the folder and
            # one on a full or read-only disk can still be read.
            dst.execute("PRAGMA journal_mode = DELETE")
        _settle(partial, target)
    except OSError as exc:
        raise WorkbookError(describe_os_error(exc, target)) from exc
    except sqlite3.Error as exc:
        raise WorkbookError(f"Could not copy '{source.name}': {exc}.") from exc
    finally:
        _remove_quietly(partial)


def _settle(partial: Path, target: Path) -> None:
    """Flushes ``partial`` to disk, then renames it to ``target`` in one step."""
    with partial.open("rb+") as handle:
        os.fsync(handle.fileno())
    partial.replace(target)


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
        partial = _partial_name(target)
        try:
            shutil.copyfile(workbook, partial)
            _settle(partial, target)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise WorkbookError(describe_os_error(exc, target)) from exc
    prune(workbook, keep if keep is not None else preferences.backups_keep())
    return target


def _unusable(file: Path) -> str | None:
    """Why a file named like a backup cannot be restored, or None when it looks whole.

    Cheap enough to run on every listing: the SQLite header, and a file size that is a
    whole number of the pages its header declares (a copy cut short is not).
    """
    try:
        with file.open("rb") as handle:
            head = handle.read(100)
        size = file.stat().st_size
    except OSError as exc:
        return f"'{file.name}' cannot be read ({exc.strerror or exc})"
    if len(head) < 100 or not head.startswith(SQLITE_HEADER):
        return f"'{file.name}' is incomplete or not a workbook"
    page = int.from_bytes(head[16:18], "big")
    page = 65536 if page == 1 else page
    pages = int.from_bytes(head[28:32], "big")
    if page < 512 or size % page or (pages and size < pages * page):
        return f"'{file.name}' is incomplete or damaged (cut short)"
    return None


def list_backups(workbook: Path) -> BackupList:
    """The workbook's backups, newest first; files in the folder that are half-written or
    unreadable are left out, logged, and described in the list's ``unusable``."""
    folder = paths.backup_dir(Path(workbook))
    found: list[Backup] = []
    unusable: list[str] = []
    if not folder.is_dir():
        return BackupList(found, unusable)
    for file in folder.iterdir():
        match = _NAME.search(file.name)
        if file.name.endswith(".partial") and file.is_file():
            unusable.append(f"'{file.name}' is a backup that was never finished")
        if not (match and file.is_file()):
            continue
        problem = _unusable(file)
        if problem is not None:
            unusable.append(problem)
            continue
        made = datetime.strptime(match.group(1), "%Y%m%d-%H%M%S-%f")
        found.append(Backup(file, made, match.group(2), file.stat().st_size))
    for problem in unusable:
        log.warning("Backup of %s not offered: %s", Path(workbook).name, problem)
    return BackupList(sorted(found, key=lambda b: b.made, reverse=True), unusable)


def damaged_advice(workbook: Path, error: DamagedWorkbookError) -> DamagedWorkbookError:
    """The refusal of a damaged workbook, naming the newest backup to restore."""
    kept = list_backups(workbook)
    if not kept:
        advice = "DOM Desk has no backup of it on this computer."
    else:
        advice = (
            f"Restore its newest backup, '{kept[0].path.name}' (dom-desk restore, or "
            "File > Restore a backup)."
        )
    refusal = DamagedWorkbookError(f"{error} {advice}")
    # For a window that offers the restore itself: the refusal without the advice.
    refusal.plain, refusal.newest = str(error), kept[0].path if kept else None
    return refusal


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
    workbook, backup = Path(workbook), Path(backup)
    if not workbook.is_file():
        raise WorkbookError(f"There is no workbook at '{workbook}'.")
    if not backup.is_file():
        raise WorkbookError(f"There is no backup at '{backup}'.")
    _check_restorable(workbook)
    try:
        inspect_file(backup)  # refuses a damaged or foreign backup before anything changes
    except DamagedWorkbookError as exc:
        raise DamagedWorkbookError(
            f"The backup '{backup.name}' is damaged, so nothing was restored; choose another."
        ) from exc
    if open_here(workbook):  # its open connections would be left on the old file
        raise WorkbookError(f"Close '{workbook.name}' in DOM Desk before restoring it.")
    lock = WorkbookLock(workbook)
    lock.acquire()
    sides = [Path(f"{workbook}{suffix}") for suffix in ("-wal", "-shm")]
    found = {side for side in sides if side.exists()}
    try:
        # One more than usual, so the restored-over file is never the one pruned; a
        # damaged workbook (the usual reason to restore) is kept byte for byte.
        try:
            safety = make_backup(
                workbook, "before-restore", keep=preferences.backups_keep() + 1, damaged_ok=True
            )
        except WorkbookError as exc:
            raise WorkbookError(
                f"'{workbook.name}' was not restored and nothing was changed, because it "
                f"could not be backed up first: {exc}"
            ) from exc
        _replace_with(workbook, backup, safety)
    except WorkbookError:
        # Reading the workbook for its safety copy made SQLite put an empty -wal and a -shm
        # beside it; nobody else has it open (the lock is ours), so they go again.
        for side in sides:
            made_here = side not in found and side.exists()
            if made_here and (side.name.endswith("-shm") or side.stat().st_size == 0):
                _remove_quietly(side)
        raise
    finally:
        lock.release()
    return safety


def _check_restorable(workbook: Path) -> None:
    """The check an edit makes before opening: a file marked read-only, or in a folder
    this user cannot write, is never replaced."""
    if not writable(workbook):
        raise WorkbookError(
            f"'{workbook.name}' is read-only, so it was not restored and nothing was changed."
        )
    if not writable(workbook.resolve().parent):
        raise WorkbookError(
            f"The folder of '{workbook.name}' cannot be written, so it was not restored "
            "and nothing was changed."
        )


def _replace_with(workbook: Path, backup: Path, safety: Path) -> None:
    """Writes a consistent copy of ``backup`` beside ``workbook``, then renames it into
    place: the workbook is whole at every moment, even when it was damaged before."""
    partial = workbook.with_name(f".{workbook.name}.restoring")
    try:
        partial.unlink(missing_ok=True)
        with closing(connect_read_only(backup)) as src, closing(sqlite3.connect(partial)) as dst:
            src.backup(dst)
        with partial.open("rb+") as handle:
            os.fsync(handle.fileno())
        # The old file's write-ahead log belongs to the old contents.
        for side in ("-wal", "-shm"):
            Path(f"{workbook}{side}").unlink(missing_ok=True)
        partial.replace(workbook)
    except (OSError, sqlite3.Error) as exc:
        _remove_quietly(partial)
        raise WorkbookError(
            f"Could not restore '{backup.name}' into '{workbook.name}': {_why(exc)}. The "
            f"workbook is as it was, and was also backed up first to '{safety}'."
        ) from exc


def _why(exc: OSError | sqlite3.Error) -> str:
    """What went wrong, in a DOM's words (SQLite's own words go to the log)."""
    log.warning("Restore failed: %s", exc)
    if isinstance(exc, OSError):
        return describe_os_reason(exc)
    return storage_reason(exc) or "the file could not be written"


def _remove_quietly(path: Path) -> None:
    """Removes a temporary file we made; one that cannot be removed is logged, not raised
    (the error being reported is the one that matters)."""
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("Could not remove %s: %s", path, exc)
