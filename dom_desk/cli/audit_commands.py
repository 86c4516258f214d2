"""The audit trail: ``dom-desk audit --db PATH [--limit N] [--filter TEXT]`` prints CSV."""

from __future__ import annotations

import argparse
import csv
import sys

from dom_desk.cli.workbook_commands import add_db
from dom_desk.errors import DomDeskError
from dom_desk.storage.workbook import open_workbook


def register(commands: argparse._SubParsersAction, _exports: argparse._SubParsersAction) -> None:
    audit = commands.add_parser(
        "audit", help="print the audit trail (who changed what, when), newest first, as CSV"
    )
    add_db(audit)
    audit.add_argument("--limit", type=int, metavar="N", help="print only the N newest entries")
    audit.add_argument(
        "--filter",
        default="",
        metavar="TEXT",
        help="only entries whose shown text contains TEXT (any case), "
        "e.g. a provider's name, a field or '£1,250'",
    )
    audit.set_defaults(handler=_audit)


def _audit(args: argparse.Namespace) -> int:
    from dom_desk.domain.audit_trail import HEADINGS, read_entries

    if args.limit is not None and args.limit < 1:
        raise DomDeskError("--limit must be at least 1.")
    wb = open_workbook(args.db, read_only=True)
    try:
        lines = read_entries(wb, text=args.filter, limit=args.limit)
    finally:
        wb.close()
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(HEADINGS)
    writer.writerows(line.texts() for line in lines)
    return 0
