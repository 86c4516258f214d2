"""The lists a region starts from, from spreadsheets.

``dom-desk import-list KIND --template FILE.xlsx`` writes an empty template for KIND;
``dom-desk import-list KIND --db PATH [--dry-run] [--sheet S] [--year Y] FILE.xlsx``
imports one, KIND one of providers, services, measures, priorities, targets, envelope,
agreements, milestones, risks. The preview is printed row by row with every problem
named by its cell; a file with any problem writes nothing and exits non-zero.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dom_desk.cli.workbook_commands import workbook_location
from dom_desk.domain.values import counted
from dom_desk.errors import DomDeskError, ValidationError
from dom_desk.readers.list_sheets import ListKind

KINDS = tuple(kind.value for kind in ListKind)


def register(commands: argparse._SubParsersAction, _exports: argparse._SubParsersAction) -> None:
    imports = commands.add_parser(
        "import-list",
        help="import a list (providers, services, measures, ...) from xlsx, or write its template",
        description="Imports one of the lists a region starts from: every row is checked "
        "first, and nothing is stored unless the whole file is good. A row whose key "
        "(name, code, number, reference) is already in the workbook updates it where the "
        "file differs; importing the same file twice changes nothing. With --template, "
        "writes an empty template for the kind instead.",
    )
    imports.add_argument("what", choices=KINDS, metavar="KIND", help=", ".join(KINDS))
    imports.add_argument(
        "file",
        type=Path,
        metavar="FILE.xlsx",
        help="the spreadsheet to import (with --template: the template to write)",
    )
    imports.add_argument(
        "--db", type=workbook_location, metavar="PATH|URL", help="the region workbook"
    )
    imports.add_argument(
        "--template",
        action="store_true",
        help="write an empty template for KIND to FILE.xlsx instead of importing",
    )
    imports.add_argument("--sheet", help="the sheet to read (default: the first with a header row)")
    imports.add_argument(
        "--year", help="the financial year a per-year list is for (default: the current year)"
    )
    imports.add_argument(
        "--dry-run", action="store_true", help="check and preview only; write nothing"
    )
    imports.set_defaults(handler=_import_list)


def _template(kind: ListKind, path: Path) -> int:
    from dom_desk.exports.list_templates import write_list_template

    written = write_list_template(kind, path)
    print(f"Wrote the {kind.value} template {written}")
    return 0


def _import_list(args: argparse.Namespace) -> int:
    kind = ListKind(args.what)
    if args.template:
        if args.db is not None or args.dry_run:
            raise ValidationError(
                "a template is written, not imported: leave out --db", "--template"
            )
        return _template(kind, args.file)
    if args.db is None:
        raise ValidationError("name the workbook to import into", "--db")
    if args.year is not None:
        from dom_desk.domain.periods import parse_year

        try:
            parse_year(args.year)
        except ValidationError as exc:
            raise ValidationError(exc.reason, "--year") from None
    from dom_desk.domain.lists_import import RowStatus, import_list
    from dom_desk.storage.workbook import open_workbook

    wb = open_workbook(args.db, read_only=args.dry_run)
    try:
        try:
            preview, summary = import_list(wb, args.file, kind, args.dry_run, args.sheet, args.year)
        except ValidationError:
            if args.dry_run:
                raise
            # Show every problem, not just the first, before the one-line refusal.
            preview, _ = import_list(wb, args.file, kind, True, args.sheet, args.year)
            if not preview.errors:
                raise
            for error in preview.errors:
                print(error, file=sys.stderr)
            raise DomDeskError(
                f"{counted(len(preview.errors), 'problem')} in '{args.file.name}'; "
                "nothing was imported."
            ) from None
    finally:
        wb.close()
    shown = (RowStatus.NEW, RowStatus.UPDATE, RowStatus.ERROR)
    for row in preview.rows:
        if row.status in shown:
            name = (
                row.what
                or row.values.get("reference")
                or row.values.get("title")
                or row.values.get("description", "")
            )
            changed = f" ({', '.join(row.changed)})" if row.changed else ""
            print(f"row {row.number}: {row.status.value}: {str(name)[:70]}{changed}")
    for warning in preview.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for error in preview.errors:
        print(error, file=sys.stderr)
    print(preview.summary())
    if summary is not None:
        print(f"Imported: {summary.added} added, {summary.updated} updated.")
    return 1 if preview.errors else 0
