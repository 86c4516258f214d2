"""Backups: list them, restore one."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dom_desk import preferences
from dom_desk.cli.workbook_commands import add_db
from dom_desk.errors import DomDeskError, WorkbookError
from dom_desk.files import WriteError
from dom_desk.storage import backups
from dom_desk.storage.locking import WorkbookInUse, owner


def register(commands: argparse._SubParsersAction, _exports: argparse._SubParsersAction) -> None:
    listing = commands.add_parser("backups", help="list a workbook's backups, newest first")
    add_db(listing)
    listing.add_argument(
        "--keep",
        type=int,
        metavar="N",
        help="from now on keep the N newest backups of each workbook",
    )
    listing.set_defaults(handler=_list)

    restore = commands.add_parser(
        "restore", help="restore a backup (the current file is backed up first)"
    )
    add_db(restore)
    restore.add_argument("backup", type=Path, help="a backup file, as listed by 'backups'")
    restore.set_defaults(handler=_restore)


def _list(args: argparse.Namespace) -> int:
    if not args.db.exists():
        raise WorkbookError(f"There is no workbook at '{args.db}'.")
    if args.keep is not None:
        if args.keep < 1:
            raise DomDeskError("--keep must be at least 1.")
        try:
            preferences.set_value("backups_keep", args.keep)
        except WriteError as exc:
            raise WorkbookError(
                f"The --keep setting was not saved, and no backup removed: {exc}"
            ) from exc
        backups.prune(args.db, args.keep)
        print(f"Keeping the {args.keep} newest backups of each workbook.")
    found = backups.list_backups(args.db)
    if not found:
        print(f"No backups of '{args.db.name}' yet.")
    for backup in found:
        print(
            f"{backup.made:%d/%m/%Y %H:%M:%S}  {backup.reason:<15} {backup.size:>12,} bytes  "
            f"{backup.path}"
        )
    for note in found.unusable:  # half-written or unreadable: never offered for restore
        print(f"not offered: {note}", file=sys.stderr)
    return 0


def _restore(args: argparse.Namespace) -> int:
    holder = owner(args.db)
    if holder is not None:
        raise WorkbookInUse(args.db, holder)
    safety = backups.restore(args.db, args.backup)
    print(
        f"Restored '{args.backup.name}' into '{args.db.name}'. "
        f"The file as it was is kept at '{safety}'."
    )
    return 0
