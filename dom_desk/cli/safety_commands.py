"""Backups: list them, restore one.

For a region on the team server (``--db postgresql://…?region=…``) ``backups`` first
takes a snapshot of the region into this computer's backups folder, then lists them;
``restore`` puts one back as the region (``storage.server_backups``).
"""

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
        "restore",
        help="restore a backup (the current file, or server region, is backed up first)",
    )
    add_db(restore)
    restore.add_argument("backup", type=Path, help="a backup file, as listed by 'backups'")
    restore.set_defaults(handler=_restore)


def _keep(args: argparse.Namespace) -> None:
    if args.keep < 1:
        raise DomDeskError("--keep must be at least 1.")
    try:
        preferences.set_value("backups_keep", args.keep)
    except WriteError as exc:
        raise WorkbookError(
            f"The --keep setting was not saved, and no backup removed: {exc}"
        ) from exc


def _print_backups(found: backups.BackupList, name: str) -> None:
    if not found:
        print(f"No backups of '{name}' yet.")
    for backup in found:
        print(
            f"{backup.made:%d/%m/%Y %H:%M:%S}  {backup.reason:<15} {backup.size:>12,} bytes  "
            f"{backup.path}"
        )
    for note in found.unusable:  # half-written or unreadable: never offered for restore
        print(f"not offered: {note}", file=sys.stderr)


def _list_server(args: argparse.Namespace) -> int:
    from dom_desk.storage import server_backups
    from dom_desk.storage.server_address import parse_address

    address = parse_address(args.db)
    if args.keep is not None:
        _keep(args)
    made = server_backups.make_region_backup(address, keep=args.keep)
    print(f"Took a snapshot of {address.display}: {made}")
    if args.keep is not None:
        print(f"Keeping the {args.keep} newest backups of each workbook.")
    _print_backups(server_backups.list_region_backups(address), address.display)
    return 0


def _list(args: argparse.Namespace) -> int:
    if isinstance(args.db, str):
        return _list_server(args)
    if not args.db.exists():
        raise WorkbookError(f"There is no workbook at '{args.db}'.")
    if args.keep is not None:
        _keep(args)
        backups.prune(args.db, args.keep)
        print(f"Keeping the {args.keep} newest backups of each workbook.")
    _print_backups(backups.list_backups(args.db), args.db.name)
    return 0


def _restore_server(args: argparse.Namespace) -> int:
    from dom_desk.storage import server_backups
    from dom_desk.storage.server_address import parse_address

    address = parse_address(args.db)
    safety = server_backups.restore_region(address, args.backup)
    print(
        f"Restored '{args.backup.name}' as {address.display}. "
        f"The region as it was is kept at '{safety}'."
    )
    return 0


def _restore(args: argparse.Namespace) -> int:
    if isinstance(args.db, str):
        return _restore_server(args)
    holder = owner(args.db)
    if holder is not None:
        raise WorkbookInUse(args.db, holder)
    safety = backups.restore(args.db, args.backup)
    print(
        f"Restored '{args.backup.name}' into '{args.db.name}'. "
        f"The file as it was is kept at '{safety}'."
    )
    return 0
