"""``dom-desk fill-targets``: a year's targets filled in bulk, by guidance.

National targets take the national value, Regional Minimum ones are offered at the
floor (or last year's agreed value, when it is not below it), Locally Set ones copy
last year's or are left not yet set; a target with a value, and a locked agreement,
are left as they were. What was done is printed, provider by provider.
"""

from __future__ import annotations

import argparse

from dom_desk.cli.workbook_commands import add_db


def register(commands: argparse._SubParsersAction, _exports: argparse._SubParsersAction) -> None:
    fill = commands.add_parser(
        "fill-targets",
        help="fill a year's missing targets by guidance, for one provider or all",
        description="Creates the year's missing targets for every provider the measures "
        "apply to (or one, with --provider), in one transaction: National ones from the "
        "national value; Regional Minimum ones offered at the floor, or at last year's "
        "agreed value when it is not below the floor; Locally Set ones copied from last "
        "year, or left not yet set until negotiated. A target that has a value is never "
        "overwritten, an agreed or signed agreement is left alone, and running it again "
        "changes nothing.",
    )
    add_db(fill)
    fill.add_argument("--year", required=True, help="the financial year to fill (2009-10)")
    fill.add_argument("--provider", metavar="NAME", help="fill this provider's targets only")
    fill.add_argument(
        "--no-copy",
        dest="copy",
        action="store_false",
        help="do not copy last year's agreed targets (Regional Minimum ones get the floor)",
    )
    fill.set_defaults(handler=_fill_targets)


def _fill_targets(args: argparse.Namespace) -> int:
    from dom_desk.domain.periods import parse_year
    from dom_desk.domain.targets_bulk import fill_targets
    from dom_desk.domain.values import format_decimal
    from dom_desk.errors import ValidationError
    from dom_desk.storage.workbook import open_workbook

    try:
        parse_year(args.year)
    except ValidationError as exc:
        raise ValidationError(exc.reason, "--year") from None
    wb = open_workbook(args.db)
    try:
        done = fill_targets(wb, args.year, args.provider, args.copy)
    finally:
        wb.close()
    for fill in done.fills:
        value = f", {format_decimal(fill.value)}" if fill.value is not None else ""
        print(f"{fill.provider}, {fill.code}: {fill.outcome.value}{value} ({fill.why})")
    for refusal in done.refusals:
        print(refusal)
    if not done.fills and not done.refusals:
        print(f"No measure applies to {args.provider or 'any provider'} in {done.year}.")
    elif not done.changed:
        print(f"Nothing changed: every target for {done.year} that can be filled already is.")
    print(f"{done.year}: {done.summary()}.")
    return 0
