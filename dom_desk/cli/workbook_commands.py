"""Commands on a workbook as a whole: new, demo, list, check."""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from dom_desk.domain.record_lists import LISTS, list_records
from dom_desk.domain.values import Kind, counted, format_value
from dom_desk.errors import DomDeskError
from dom_desk.storage.workbook import is_server_url, open_workbook


def workbook_location(text: str) -> Path | str:
    """A ``--db`` value: a workbook file's path, or a region's URL on the team server
    (``postgresql://HOST/DATABASE?region=north-west``), kept as typed."""
    return text.strip() if is_server_url(text) else Path(text)


def add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        type=workbook_location,
        required=True,
        metavar="PATH|URL",
        help="the region workbook: a .domdesk file or postgresql://HOST/DB?region=NAME",
    )


def register(commands: argparse._SubParsersAction, _exports: argparse._SubParsersAction) -> None:
    new = commands.add_parser(
        "new",
        help="make a new, empty workbook for a region",
        description="Makes a new workbook for one of the ten regions, as File > New does. "
        "It never replaces an existing file.",
    )
    new.add_argument("--region", required=True, metavar="NAME", help="e.g. 'Wales' or 'North East'")
    new.add_argument(
        "--year", metavar="YEAR", help="its first financial year, e.g. 2009-10 (default: this one)"
    )
    new.add_argument("path", type=Path)
    new.set_defaults(handler=_new)

    demo = commands.add_parser("demo", help="write a new demo workbook (North West, 2009-10)")
    demo.add_argument("path", type=Path)
    demo.set_defaults(handler=_demo)

    listing = commands.add_parser("list", help="print providers, measures or periods as CSV")
    listing.add_argument("what", choices=LISTS)
    add_db(listing)
    listing.set_defaults(handler=_list)

    check = commands.add_parser("check", help="check a workbook and report any problem")
    add_db(check)
    check.set_defaults(handler=_check)


def _new(args: argparse.Namespace) -> int:
    from datetime import date

    from dom_desk.domain.periods import parse_year, year_of
    from dom_desk.domain.region import create_region_workbook, region_named
    from dom_desk.errors import ValidationError

    name = region_named(args.region)
    first_year = args.year or year_of(date.today())
    try:
        parse_year(first_year)
    except ValidationError as exc:
        raise ValidationError(exc.reason, "--year") from exc
    wb = create_region_workbook(args.path, name, first_year)
    wb.close()
    print(f"Made a new {name} workbook, first year {first_year}, at {args.path}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from dom_desk.demo import write_demo

    path = write_demo(args.path)
    print(f"Wrote the demo region to {path}")
    return 0


def _csv_text(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "label"):
        return value.label  # type: ignore[attr-defined,no-any-return]
    if hasattr(value, "isoformat"):
        return format_value(Kind.DATE, value)
    return str(value)


def _list(args: argparse.Namespace) -> int:
    wb = open_workbook(args.db, read_only=True)
    try:
        fields, rows = list_records(wb, args.what)
    finally:
        wb.close()
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(fields)
    for row in rows:
        writer.writerow([_csv_text(value) for value in row])
    return 0


def _check_server(url: str) -> int:
    """The domain's checks of a region on the team server (its storage is the server's)."""
    from dom_desk.domain.attention import expiring_unreplaced
    from dom_desk.domain.check import check_region

    wb = open_workbook(url, read_only=True)
    try:
        problems = check_region(wb)
        warnings = [] if problems else expiring_unreplaced(wb)
        name = wb.name
    finally:
        wb.close()
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        raise DomDeskError(f"{counted(len(problems), 'problem')} found in {name} on the server.")
    print(
        f"{name}'s figures agree ({url}). The server checks its own storage, so there is "
        "no file to check here."
    )
    for warning in warnings:
        print(f"Warning: {warning}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from dom_desk.domain.check import check_file

    if isinstance(args.db, str):
        return _check_server(args.db)
    problems = check_file(args.db)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        raise DomDeskError(f"{counted(len(problems), 'problem')} found in '{args.db.name}'.")
    print(f"'{args.db.name}' is sound.")
    for warning in _commissioning_warnings(args.db):
        print(f"Warning: {warning}")
    return 0


def _commissioning_warnings(path: Path) -> list[str]:
    """What a sound book still needs acted on: agreements ending within 18 months with
    no competition or renewal under way."""
    from dom_desk.domain.attention import expiring_unreplaced
    from dom_desk.storage.workbook import open_workbook

    wb = open_workbook(path, read_only=True)
    try:
        return expiring_unreplaced(wb)
    finally:
        wb.close()
