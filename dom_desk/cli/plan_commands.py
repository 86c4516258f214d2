"""``dom-desk plan``: the regional commissioning plan as a PDF (or, written to a .html
file, as the accessible HTML page), and its template."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dom_desk.cli.workbook_commands import add_db
from dom_desk.storage.workbook import open_workbook


def register(commands: argparse._SubParsersAction, _exports: argparse._SubParsersAction) -> None:
    plan = commands.add_parser(
        "plan",
        help="write the regional commissioning plan for a year as a PDF or an HTML page",
        description="Writes the plan with the region's plan template: a PDF, or, when the "
        "output ends in .html, the same plan as one self-contained, accessible HTML page. A "
        "draft carries a DRAFT marking and the next draft version (0.1, 0.2 ...); --final "
        "marks the plan final (1.0, 2.0 ...). Every export is recorded in the workbook.",
    )
    add_db(plan)
    plan.add_argument(
        "--year", required=True, metavar="YEAR", help="financial year, written like 2009-10"
    )
    plan.add_argument("--final", action="store_true", help="mark this version final")
    plan.add_argument(
        "--reason",
        default="",
        metavar="TEXT",
        help="reason for issue, for the version control table",
    )
    plan.add_argument(
        "--issued-by",
        metavar="NAME",
        help="who issues the plan, for its cover, version table and foreword; kept in the "
        "workbook for later exports (and the plan dialog)",
    )
    plan.add_argument(
        "--role",
        metavar="ROLE",
        help="the issuer's role, kept likewise (the region's DOM title until set; "
        "--role '' goes back to it)",
    )
    plan.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="FILE.pdf|FILE.html",
        help="the file to write: .pdf for the PDF, .html for the accessible HTML page",
    )
    plan.add_argument("--quiet", action="store_true", help="print nothing on success")
    plan.set_defaults(handler=_plan)


def _plan(args: argparse.Namespace) -> int:
    from dom_desk.domain.periods import parse_year
    from dom_desk.plan.html_export import export_plan_file, is_html

    parse_year(args.year)  # a malformed year is refused before the workbook is opened
    wb = open_workbook(args.db)
    try:
        if args.issued_by is not None or args.role is not None:
            from dom_desk.domain.region import issued_by, set_issued_by

            kept = issued_by(wb)
            set_issued_by(
                wb,
                kept.name if args.issued_by is None else args.issued_by,
                kept.role if args.role is None else args.role,
            )
        result = export_plan_file(wb, args.year, args.output, final=args.final, reason=args.reason)
    finally:
        wb.close()
    for note in result.notes:
        print(f"dom-desk: note: {note}", file=sys.stderr)
    if not args.quiet:
        kind = "final" if result.final else "draft"
        what = "an HTML page" if is_html(args.output) else f"{result.pages} pages"
        print(
            f"Wrote version {result.version} ({kind}) of the {args.year} plan to "
            f"{result.path}: {what}, SHA-256 {result.sha256}."
        )
    return 0
