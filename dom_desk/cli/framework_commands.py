"""Commands on the published measure frameworks shipped with DOM Desk.

``dom-desk frameworks`` lists them; ``dom-desk import-framework --db PATH --year YEAR
NAME_OR_FILE`` adds one (shipped, by name or file stem, or a framework JSON file) to a
year of a workbook; a region's own framework spreadsheet (``FILE.xlsx``, laid out as the
``import-list measures`` template) imports the same way.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from dom_desk.cli.workbook_commands import add_db

if TYPE_CHECKING:
    pass

HEADINGS = ("name", "year", "measures", "file", "source")


def register(commands: argparse._SubParsersAction, _exports: argparse._SubParsersAction) -> None:
    frameworks = commands.add_parser(
        "frameworks",
        help="list the published measure frameworks shipped with DOM Desk, as CSV",
        description="Lists each framework shipped in resources/frameworks: its name, the "
        "financial year it applies to, how many measures it has, its file and the "
        "document it was transcribed from.",
    )
    frameworks.set_defaults(handler=_frameworks)

    imports = commands.add_parser(
        "import-framework",
        help="add a published measure framework's measures to a year of a workbook",
        description="Adds the framework's measures to the year in one transaction. A "
        "measure the workbook already has (by code) is updated only where the framework "
        "differs, and the fields changed are named; nothing is duplicated, and importing "
        "the same framework again changes nothing.",
    )
    add_db(imports)
    imports.add_argument(
        "--year", required=True, help="the financial year to add the measures to (2009-10)"
    )
    imports.add_argument(
        "framework",
        metavar="NAME_OR_FILE",
        help="a shipped framework's name or file stem (see dom-desk frameworks), "
        "a framework .json file, or a region's framework spreadsheet (.xlsx)",
    )
    imports.add_argument(
        "--sheet", help="for a spreadsheet: the sheet to read (default: the first with a header)"
    )
    imports.set_defaults(handler=_import_framework)


def _frameworks(_args: argparse.Namespace) -> int:
    from dom_desk.readers.frameworks import shipped_frameworks

    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(HEADINGS)
    for framework in shipped_frameworks():
        writer.writerow(
            (
                framework.name,
                framework.year,
                len(framework.measures),
                framework.path.stem,
                framework.source,
            )
        )
    return 0


def _import_framework(args: argparse.Namespace) -> int:
    from dom_desk.domain.framework_files import FrameworkProblems, framework_named, summary
    from dom_desk.domain.frameworks_import import import_framework
    from dom_desk.domain.measures import FIELD_NAMES
    from dom_desk.domain.periods import parse_year
    from dom_desk.domain.values import counted
    from dom_desk.errors import DomDeskError, ValidationError
    from dom_desk.storage.workbook import open_workbook

    try:
        parse_year(args.year)
    except ValidationError as exc:
        raise ValidationError(exc.reason, "--year") from None
    wb = open_workbook(args.db)
    try:
        try:
            framework = framework_named(wb, args.framework, args.year, args.sheet)
        except FrameworkProblems as exc:
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            raise DomDeskError(
                f"{counted(len(exc.problems), 'problem')} in '{Path(args.framework).name}'; "
                "nothing was imported."
            ) from None
        done = import_framework(wb, framework, args.year)
    finally:
        wb.close()
    if done.other_year:
        print(
            f"Note: {framework.name} was published for {done.framework_year}; "
            f"its measures were imported into {done.year} as asked."
        )
    if done.year_added:
        print(f"The workbook did not hold {done.year}: it was added.")
    for change in done.measures:
        if change.added:
            print(f"{change.code}: added")
        elif change.fields:
            words = ", ".join(FIELD_NAMES.get(f, f) for f in change.fields)
            print(f"{change.code}: updated {words}")
        if change.linked_year and not change.added:
            print(f"{change.code}: now applies in {done.year} as well")
    print(summary(framework, done))
    return 0
