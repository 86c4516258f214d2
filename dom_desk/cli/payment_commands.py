"""Payment by results and bonuses from the command line.

dom-desk payments --db PATH [--year Y]       what each rule's results earn, year to date
dom-desk payments --db PATH --agreement WORDS --rule proportional|banded|bonus
                  --fixed £ --variable £ --at-risk £ [--band THRESHOLD:PAID ...]
"""

from __future__ import annotations

import argparse

from dom_desk.cli.workbook_commands import add_db
from dom_desk.domain.money import format_pounds, parse_pounds
from dom_desk.errors import ValidationError
from dom_desk.storage.workbook import open_workbook

RULES = ("proportional", "banded", "bonus")


def register(commands: argparse._SubParsersAction, _exports: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "payments",
        help="payment by results and bonuses: money at risk and what results earn",
        description="Lists each agreement's fixed, variable and at-risk money and what its "
        "results earn so far in the year; with --agreement, sets that agreement's rule: "
        "proportional (the share of targets met), banded (bands of targets met) or bonus "
        "(bands of the weighted scorecard score, paid on top of the price).",
    )
    add_db(command)
    command.add_argument("--year", help="financial year, e.g. 2009-10 (default: current)")
    command.add_argument("--agreement", metavar="WORDS", help="set this agreement's rule")
    command.add_argument("--rule", choices=RULES)
    for name in ("--fixed", "--variable", "--at-risk"):
        command.add_argument(name, default="0", metavar="£")
    command.add_argument(
        "--band",
        action="append",
        default=[],
        metavar="THRESHOLD:PAID",
        help="from THRESHOLD%% of targets met (or score) pay PAID%% of the money at risk",
    )
    command.set_defaults(handler=_payments)


def _payments(args: argparse.Namespace) -> int:
    from dom_desk.domain import payments

    if args.agreement:
        return _set(args)
    wb = open_workbook(args.db, read_only=True)
    try:
        found = payments.payments(wb, args.year)
    finally:
        wb.close()
    if not found:
        print("No agreement has a payment-by-results or bonus rule yet.")
        return 0
    for p in found:
        print(f"{p.provider}: {p.agreement} ({p.kind.label.lower()})")
        print(
            f"    fixed {format_pounds(p.fixed)}, variable {format_pounds(p.variable)}, "
            f"at risk {format_pounds(p.at_risk)}"
        )
        share = "" if p.paid_share is None else f", paying {p.paid_share.normalize():f}%"
        print(
            f"    {p.basis}{share}: earned to date {format_pounds(p.earned_to_date)} "
            f"({p.months} months), {format_pounds(p.still_at_risk)} still at risk"
        )
    sums = payments.totals(found)
    print(
        f"In all: {format_pounds(sums.at_risk)} at risk, {format_pounds(sums.earned_to_date)} "
        f"earned to date, {format_pounds(sums.still_at_risk)} still at risk"
    )
    return 0


def _set(args: argparse.Namespace) -> int:
    from dom_desk.domain import payments
    from dom_desk.domain.kinds import PaymentRuleKind

    if not args.rule:
        raise ValidationError("say which rule: --rule proportional, banded or bonus", "--rule")
    kind = {
        "proportional": PaymentRuleKind.PROPORTIONAL,
        "banded": PaymentRuleKind.BANDED,
        "bonus": PaymentRuleKind.SCORECARD_BONUS,
    }[args.rule]
    money = {
        name: parse_pounds(getattr(args, name), f"--{name.replace('_', '-')}")
        for name in ("fixed", "variable", "at_risk")
    }
    bands = [band for text in args.band for band in payments.parse_bands(text)]
    wb = open_workbook(args.db)
    try:
        agreement = payments.find_agreement(wb, args.agreement)
        payments.set_rule(wb, agreement, kind, bands=bands, **money)
    finally:
        wb.close()
    print(f"Set the rule for '{args.agreement}': {kind.label.lower()}.")
    return 0
