"""Disinvestment and reinvestment decisions from the command line.

dom-desk decisions --db PATH [--year Y]
dom-desk decisions --db PATH --from WORDS --to WORDS --amount £ --reason TEXT
                   [--action ID] [--on DD/MM/YYYY] [--year Y]

dom-desk decisions --db PATH --accept ID

A decision drafts a scenario holding the move; accepting it (here, or in the window's
Scenarios tab) moves the money, with the scenario's checks for stale and locked figures.
"""

from __future__ import annotations

import argparse

from dom_desk.cli.workbook_commands import add_db
from dom_desk.domain.money import format_pounds, parse_pounds
from dom_desk.errors import ValidationError
from dom_desk.storage.workbook import open_workbook


def register(commands: argparse._SubParsersAction, _exports: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "decisions",
        help="disinvestment and reinvestment: decisions moving money between allocations",
        description="Lists the decisions to move money from one allocation to another and "
        "whether each is applied; with --from, --to, --amount and --reason, records one "
        "and drafts the scenario that carries it (accepting that scenario moves the money).",
    )
    add_db(command)
    command.add_argument("--year", help="financial year, e.g. 2009-10 (default: current)")
    command.add_argument("--from", dest="source", metavar="WORDS", help="allocation money leaves")
    command.add_argument("--to", dest="target", metavar="WORDS", help="allocation money goes to")
    command.add_argument("--amount", metavar="£")
    command.add_argument("--reason", metavar="TEXT")
    command.add_argument("--action", type=int, metavar="ID", help="the action behind it")
    command.add_argument("--on", metavar="DD/MM/YYYY", help="the day decided (default: today)")
    command.add_argument(
        "--accept", type=int, metavar="ID", help="accept decision ID's scenario: move the money"
    )
    command.set_defaults(handler=_decisions)


def _decisions(args: argparse.Namespace) -> int:
    from dom_desk.domain import resource_decisions as rd

    if args.accept is not None:
        return _accept(args)
    if args.source or args.target:
        return _decide(args)
    wb = open_workbook(args.db, read_only=True)
    try:
        found = rd.decisions(wb, args.year)
    finally:
        wb.close()
    if not found:
        print("No decision to move money has been recorded.")
        return 0
    for d in found:
        print(f"#{d.id} {d.decided:%d/%m/%Y}  {d.summary}")
        print(f"    {d.state}" + (f" (scenario '{d.scenario}')" if d.scenario else ""))
        print(f"    Why: {d.reason}" + (f"  [{d.behind}]" if d.behind else ""))
    return 0


def _decide(args: argparse.Namespace) -> int:
    from dom_desk.domain import resource_decisions as rd
    from dom_desk.domain.periods import parse_date

    for value, option in ((args.source, "--from"), (args.target, "--to")):
        if not value:
            raise ValidationError("name both allocations: --from WORDS --to WORDS", option)
    if not args.amount:
        raise ValidationError("say how much moves: --amount £", "--amount")
    amount = parse_pounds(args.amount, "--amount")
    on = parse_date(args.on, "--on") if args.on else None
    wb = open_workbook(args.db)
    try:
        source = rd.find_allocation(wb, args.source, args.year)
        target = rd.find_allocation(wb, args.target, args.year)
        decision = rd.decide(wb, source, target, amount, args.reason or "", on, args.action)
        (made,) = [d for d in rd.decisions(wb) if d.id == decision]
    finally:
        wb.close()
    print(f"Recorded: {made.summary} ({format_pounds(amount)}).")
    print(f"Accept scenario '{made.scenario}' to move the money.")
    return 0


def _accept(args: argparse.Namespace) -> int:
    from dom_desk.domain import resource_decisions as rd

    wb = open_workbook(args.db)
    try:
        applied = rd.apply(wb, args.accept)
    finally:
        wb.close()
    print(f"Applied: {applied.summary}.")
    return 0
