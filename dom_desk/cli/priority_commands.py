"""``dom-desk priorities``: a year's priorities and commissioning intentions, and rolling
them forward (with the year's plan text) to the next year.

``dom-desk priorities --db PATH [--year 2009-10]`` lists them in number order, each with
its rationale and the response expected from providers;
``dom-desk priorities --db PATH --roll-forward 2009-10`` copies them to 2010-11.
"""

from __future__ import annotations

import argparse
import textwrap

from dom_desk.cli.workbook_commands import add_db
from dom_desk.domain.values import counted
from dom_desk.storage.workbook import open_workbook

WIDTH = 88


def register(commands: argparse._SubParsersAction, _exports: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "priorities",
        help="list a year's priorities, or roll them forward to the next year",
        description="Lists a year's strategic priorities and commissioning intentions in "
        "the order the plan prints them (the workbook's current year unless --year names "
        "one). --roll-forward YEAR copies YEAR's priorities, and its plan text if it has "
        "its own, to the next year, which must have no priorities yet; open risks and "
        "milestones move to the copies of the priorities they threaten.",
    )
    add_db(command)
    which = command.add_mutually_exclusive_group()
    which.add_argument("--year", metavar="YEAR", help="financial year, written like 2009-10")
    which.add_argument(
        "--roll-forward",
        metavar="FROM_YEAR",
        help="copy FROM_YEAR's priorities and plan text to the next year",
    )
    command.set_defaults(handler=_priorities)


def _priorities(args: argparse.Namespace) -> int:
    from dom_desk.domain.periods import parse_year

    # A malformed year is refused before the workbook is opened.
    for label in (args.year, args.roll_forward):
        if label:
            parse_year(label)
    if args.roll_forward:
        return _roll_forward(args)
    from dom_desk.domain.priorities import priorities
    from dom_desk.domain.region import workbook_info

    wb = open_workbook(args.db, read_only=True)
    try:
        info = workbook_info(wb)
        year = args.year or info.current_year
        found = priorities(wb, year)
    finally:
        wb.close()
    if not found:
        print(f"{info.region_name} has no priorities for {year}.")
        return 0
    print(f"{info.region_name}: {counted(len(found), 'priority', 'priorities')} for {year}")
    for p in found:
        print()
        print(textwrap.fill(f"{p.number}. {p.title}", WIDTH, subsequent_indent="   "))
        for heading, text in (
            ("Rationale", p.rationale),
            ("Response expected from providers", p.provider_response),
        ):
            if text.strip():
                print(_indented(f"{heading}: {text}"))
    return 0


def _indented(text: str) -> str:
    """A field's text wrapped under its priority, keeping the DOM's own line breaks."""
    lines = text.splitlines() or [""]
    return "\n".join(
        textwrap.fill(line, WIDTH, initial_indent="   ", subsequent_indent="   ") or ""
        for line in lines
    )


def _roll_forward(args: argparse.Namespace) -> int:
    from dom_desk.domain.priorities import roll_forward

    wb = open_workbook(args.db)
    try:
        done = roll_forward(wb, args.roll_forward)
    finally:
        wb.close()
    named = [counted(len(done.priority_ids), "priority", "priorities")] if done.priority_ids else []
    if done.text_copied:
        named.append("the plan text")
    what = " and ".join(named)
    sentence = f"Rolled {what} forward from {done.from_year} to {done.to_year}"
    if done.year_created:
        sentence += ", a year new to the workbook"
    sentence += "."
    if done.text_kept:
        sentence += f" {done.to_year} keeps the plan text it already had."
    relinked = []
    if done.risks:
        relinked.append(counted(len(done.risks), "open risk"))
    if done.milestones:
        relinked.append(counted(len(done.milestones), "open milestone"))
    if relinked:
        one = len(done.risks) + len(done.milestones) == 1
        sentence += (
            f" {' and '.join(relinked)} now name{'s' if one else ''} the {done.to_year} priorities."
        )
    print(sentence)
    return 0
