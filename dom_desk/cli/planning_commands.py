"""Key dates, competitions, contracts and risks from the command line.

``dom-desk keydates --db PATH`` lists what is overdue or due in 30, 90 and 180 days;
``dom-desk export keydates --db PATH -o FILE.xlsx|FILE.ics`` writes them out;
(``dom-desk import-list``, milestones and risks among the other lists, is in
``list_commands``);
``dom-desk vary --db PATH CONTRACT ...`` records a contract variation.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from dom_desk.cli.workbook_commands import add_db
from dom_desk.domain.periods import format_date, parse_date
from dom_desk.storage.workbook import open_workbook


def register(commands: argparse._SubParsersAction, exports: argparse._SubParsersAction) -> None:
    export = exports.add_parser(
        "keydates",
        help="key dates and the competitions timetable to .xlsx, or key dates to a calendar (.ics)",
    )
    add_db(export)
    export.add_argument(
        "-o", "--output", type=Path, required=True, metavar="FILE", help="FILE.xlsx or FILE.ics"
    )
    export.add_argument(
        "--include-done", action="store_true", help="calendar: also the dates already marked done"
    )
    export.set_defaults(handler=_export_keydates)

    listing = commands.add_parser(
        "keydates", help="what is overdue or due in the next 30, 90 and 180 days"
    )
    add_db(listing)
    listing.add_argument("--days", type=int, default=180, help="how far ahead (default 180)")
    listing.set_defaults(handler=_list_keydates)

    vary = commands.add_parser("vary", help="record a dated variation to a contract")
    add_db(vary)
    vary.add_argument("contract", help="the contract's reference or title")
    vary.add_argument("--effective", required=True, help="date it takes effect (31/03/2010)")
    change = vary.add_mutually_exclusive_group(required=True)
    change.add_argument(
        "--value-change", metavar="POUNDS", help="change to the annual value, e.g. 125000 or -50000"
    )
    change.add_argument("--new-end", metavar="DATE", help="the new end date")
    change.add_argument("--terms", action="store_true", help="a change of terms only")
    vary.add_argument("--description", default="", help="what changed and why")
    vary.set_defaults(handler=_vary)


def _export_keydates(args: argparse.Namespace) -> int:
    from dom_desk.exports import calendar_export

    wb = open_workbook(args.db, read_only=True)
    try:
        if args.output.suffix.lower() == ".ics":
            path = calendar_export.export_ics(wb, args.output, args.include_done)
        else:
            path = calendar_export.export_key_dates(wb, args.output)
    finally:
        wb.close()
    print(f"Wrote {path}")
    return 0


def _list_keydates(args: argparse.Namespace) -> int:
    from dom_desk.domain.planning_views import open_buckets

    wb = open_workbook(args.db, read_only=True)
    try:
        now, grouped = open_buckets(wb, args.days)
    finally:
        wb.close()
    print(f"Key dates as at {format_date(now)}")
    for bucket, keys in grouped.items():
        print(f"\n{bucket.value} ({len(keys)})")
        for key in keys:
            written = f"  [{key.text}]" if key.text else ""
            print(f"  {format_date(key.when)}  {key.what}{written}")
    return 0


def _vary(args: argparse.Namespace) -> int:
    from dom_desk.domain import contract_views
    from dom_desk.domain.kinds import VariationKind
    from dom_desk.domain.money import format_pounds, parse_pounds

    effective = parse_date(args.effective, "--effective")
    assert effective is not None
    wb = open_workbook(args.db)
    try:
        contract_id = contract_views.find_contract(wb, args.contract)
        if args.value_change is not None:
            kind, value_change, new_end = (
                VariationKind.VALUE,
                parse_pounds(args.value_change, "--value-change"),
                None,
            )
        elif args.new_end is not None:
            kind, value_change, new_end = (
                VariationKind.DURATION,
                None,
                parse_date(args.new_end, "--new-end"),
            )
        else:
            kind, value_change, new_end = VariationKind.TERMS, None, None
        after = contract_views.vary(
            wb, contract_id, kind, effective, args.description, value_change, new_end
        )
    finally:
        wb.close()
    print(
        f"'{after.title}' now: {format_pounds(after.value) or 'no value'} a year, "
        f"ending {format_date(after.end) or 'no end date'}"
    )
    return 0
