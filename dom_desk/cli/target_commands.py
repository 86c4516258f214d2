"""``dom-desk fill-targets``: a year's targets filled in bulk, by guidance; ``dom-desk
targets``: a year's targets as the SLA workspace shows them, as CSV.

National targets take the national value, Regional Minimum ones are offered at the
floor (or last year's agreed value, when it is not below it), Locally Set ones copy
last year's or are left not yet set; a target with a value, and a locked agreement,
are left as they were. What was done is printed, provider by provider.
"""

from __future__ import annotations

import argparse
import csv
import sys

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

    listing = commands.add_parser(
        "targets",
        help="print a year's targets, provider by provider, as CSV",
        description="Prints each provider's targets for the year as its SLA workspace "
        "shows them (the providers holding an agreement that year, or one): the measure, "
        "its guidance, the target (empty: not yet set), minimum level, floor and the "
        "target's basis (national, to negotiate, offered, agreed, in negotiation).",
    )
    add_db(listing)
    listing.add_argument("--year", required=True, help="the financial year (2009-10)")
    listing.add_argument("--provider", metavar="NAME", help="this provider's targets only")
    listing.set_defaults(handler=_targets)


TARGET_HEADINGS = (
    "provider",
    "agreement",
    "code",
    "guidance",
    "target",
    "minimum",
    "floor",
    "basis",
)


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


def _targets(args: argparse.Namespace) -> int:
    from dom_desk.domain import sla
    from dom_desk.domain.periods import parse_year
    from dom_desk.domain.values import format_decimal
    from dom_desk.errors import ValidationError
    from dom_desk.storage.workbook import open_workbook

    try:
        parse_year(args.year)
    except ValidationError as exc:
        raise ValidationError(exc.reason, "--year") from None
    wb = open_workbook(args.db, read_only=True)
    try:
        if args.provider:
            shown = [sla.workspace(wb, args.provider, args.year)]
        else:
            shown = [
                sla.workspace(wb, provider_id, args.year)
                for provider_id, _name in sla.providers_with_agreements(wb, args.year)
            ]
    finally:
        wb.close()
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(TARGET_HEADINGS)
    for ws in shown:
        for target in ws.targets:
            writer.writerow(
                (
                    ws.provider,
                    ws.agreement,
                    target.code,
                    target.guidance.label,
                    format_decimal(target.value) if target.value is not None else "",
                    format_decimal(target.minimum) if target.minimum is not None else "",
                    format_decimal(target.floor) if target.floor is not None else "",
                    target.basis,
                )
            )
    return 0
