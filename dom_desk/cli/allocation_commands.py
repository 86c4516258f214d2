"""Allocation commands: ``dom-desk export allocations --db PATH --year 2009-10 -o FILE``."""

from __future__ import annotations

import argparse
from pathlib import Path

from dom_desk.cli.workbook_commands import add_db
from dom_desk.domain.money import format_pounds
from dom_desk.storage.workbook import open_workbook


def register(_commands: argparse._SubParsersAction, exports: argparse._SubParsersAction) -> None:
    export = exports.add_parser(
        "allocations", help="the envelope, allocations and totals of a year, as xlsx"
    )
    add_db(export)
    export.add_argument(
        "--year", metavar="YEAR", help="financial year, e.g. 2009-10 (default: the current year)"
    )
    export.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.xlsx")
    export.set_defaults(handler=_export)


def _export(args: argparse.Namespace) -> int:
    from dom_desk.exports.allocation_sheets import export_allocations

    wb = open_workbook(args.db, read_only=True)
    try:
        pos = export_allocations(wb, args.output, args.year)
    finally:
        wb.close()
    print(
        f"Wrote {len(pos.lines)} allocations for {pos.year} to {args.output} "
        f"(committed {format_pounds(pos.committed)} of an envelope of "
        f"{format_pounds(pos.envelope)})"
    )
    return 0
