"""``dom-desk envelope --db PATH [--year Y]``: the year's envelope as its budget table
prints it, with each group's subtotal and the printed-total notes and warnings."""

from __future__ import annotations

import argparse

from dom_desk.cli.workbook_commands import add_db
from dom_desk.domain.allocations import EnvelopeTable, RowKind, envelope_table
from dom_desk.domain.money import format_pounds
from dom_desk.storage.workbook import open_workbook

INDENT = "  "


def register(commands: argparse._SubParsersAction, _exports: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "envelope",
        help="print the year's envelope as a budget table: groups, subtotals, printed totals",
    )
    add_db(command)
    command.add_argument(
        "--year", metavar="YEAR", help="financial year, e.g. 2009-10 (default: the current year)"
    )
    command.set_defaults(handler=_envelope)


def table_lines(table: EnvelopeTable) -> list[str]:
    """The table as text: names indented by level, amounts right-aligned."""
    rows: list[tuple[str, str, str]] = []
    for row in table.rows:
        name = INDENT * row.depth + row.label
        if row.kind is RowKind.GROUP:
            rows.append((name, "", ""))
        elif row.kind is RowKind.TOTAL:
            printed = ""
            if row.printed is not None:
                printed = f"printed {format_pounds(row.printed.printed)}"
            rows.append((name, format_pounds(row.amount), printed))
        else:
            source = f"({row.funding_source})" if row.funding_source != row.label else ""
            rows.append((name, format_pounds(row.amount), source))
    rows.append(("Envelope", format_pounds(table.total), ""))
    width = max(len(r[0]) for r in rows)
    figures = max(len(r[1]) for r in rows)
    return [f"{n:<{width}}  {a:>{figures}}  {x}".rstrip() for n, a, x in rows]


def _envelope(args: argparse.Namespace) -> int:
    wb = open_workbook(args.db, read_only=True)
    try:
        table = envelope_table(wb, args.year)
    finally:
        wb.close()
    if not table.rows:
        print(f"The {table.year} envelope has no lines.")
        return 0
    print(f"The {table.year} envelope")
    for line in table_lines(table):
        print(line)
    for sentence in (*table.notes, *table.warnings):
        print(sentence)
    return 0
