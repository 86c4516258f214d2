"""Backups of a region on the team server: consistent snapshots kept as workbook files.

``dom-desk backups --db URL`` takes one now (``server.save_snapshot``: one REPEATABLE
READ read of the region) and keeps it in this computer's backups folder, named and
pruned as a file's backups are (``storage.backups``), so the same listing shows them.
``restore`` puts one back as the region: the region as it is is snapshotted first, then
the backup is published over it in one transaction (``server_admin.publish`` with
replace), so everyone connected sees either the old region or the restored one.

A region's backups are filed by server, database and region, not by login: two people
backing up North West from one computer see the same list.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import tempfile
from contextlib import closing
from datetime import datetime
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from dom_desk import paths, preferences
from dom_desk.errors import DamagedWorkbookError, DomDeskError, WorkbookError
from dom_desk.files import describe_os_error
from dom_desk.storage import backups, schema, server_admin
from dom_desk.storage.server import save_snapshot, server_failure
from dom_desk.storage.server_address import ServerAddress, region_schema, region_slug
from dom_desk.storage.server_workbook import open_server
from dom_desk.storage.sqlite_file import inspect_file, make_engine


def backup_key(address: ServerAddress) -> Path:
    """The stand-in path a region's backups are filed under (``paths.backup_dir``): the
    same on every call on this computer, whoever logs in."""
    server = re.sub(r"[^A-Za-z0-9.-]+", "_", f"{address.host}_{address.database}")
    slug = region_slug(address.region or "")
    if not slug:
        address.schema  # noqa: B018 - refuses, in words, a URL naming no region
    return paths.data_dir() / "servers" / server / f"{slug}{paths.WORKBOOK_SUFFIX}"


def list_region_backups(address: ServerAddress) -> backups.BackupList:
    """The region's backups on this computer, newest first (as ``backups.list_backups``)."""
    return backups.list_backups(backup_key(address))


def make_region_backup(
    address: ServerAddress, reason: str = "snapshot", keep: int | None = None
) -> Path:
    """A snapshot of the region now, in its backups folder; returns the file."""
    key = backup_key(address)
    folder = paths.backup_dir(key)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkbookError(describe_os_error(exc, folder)) from exc
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{key.stem}-{stamp}-{reason}{paths.WORKBOOK_SUFFIX}"
    # A name the listing never takes for a backup until it is whole and renamed.
    partial = folder / f".{target.name}.{os.getpid()}.snapshot"
    wb = open_server(address, read_only=True)
    try:
        save_snapshot(wb.engine, partial)
        with closing(sqlite3.connect(partial)) as copy:
            # As file backups: read without a -wal or -shm beside it.
            copy.execute("PRAGMA journal_mode = DELETE")
        with partial.open("rb+") as handle:
            os.fsync(handle.fileno())
        partial.replace(target)
    except DBAPIError as exc:
        failure = server_failure(exc, address, read_only=True)
        if failure is None:
            raise
        raise failure from exc
    except OSError as exc:
        raise WorkbookError(describe_os_error(exc, target)) from exc
    finally:
        wb.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{partial}{suffix}").unlink(missing_ok=True)
    backups.prune(key, keep if keep is not None else preferences.backups_keep())
    return target


def restore_region(address: ServerAddress, backup: Path) -> Path:
    """Puts ``backup`` back as the region at ``address``; returns the snapshot of the
    region as it was, taken first. A backup of another region is refused, as is a
    damaged one; an older one is upgraded on a copy before it is published."""
    backup = Path(backup)
    if not backup.is_file():
        raise WorkbookError(f"There is no backup at '{backup}'.")
    try:
        revision = inspect_file(backup)
    except DamagedWorkbookError as exc:
        raise DamagedWorkbookError(
            f"The backup '{backup.name}' is damaged, so nothing was restored; choose another."
        ) from exc
    if revision is None:
        raise WorkbookError(f"'{backup.name}' is empty, not a backup; nothing was restored.")
    held = server_admin.region_name_of(backup)
    wanted = address.schema
    if region_schema(held) != wanted:
        raise WorkbookError(
            f"'{backup.name}' is a backup of {held}, not of {address.region}, so nothing was "
            "restored."
        )
    safety = make_region_backup(address, "before-restore", keep=preferences.backups_keep() + 1)
    with tempfile.TemporaryDirectory(prefix="dom-desk-restore-") as folder:
        source = backup
        if revision != schema.head_revision():
            source = Path(folder) / backup.name
            shutil.copyfile(backup, source)
            engine = make_engine(source)
            try:
                schema.upgrade(engine)
            finally:
                engine.dispose()
        try:
            server_admin.publish(source, address, replace=True)
        except DomDeskError as exc:
            raise WorkbookError(
                f"{held} was not restored: {exc} The region is as it was, and was also "
                f"backed up first to '{safety}'."
            ) from exc
    return safety
