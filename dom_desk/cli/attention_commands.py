"""What should I chase today? The Overview's attention list on the command line.

dom-desk attention --db PATH [--year YEAR]

One line each, most urgent first: the severity word, the date and how far off it is,
and what needs attention; the same list, in the same order, as the window's Overview.
"""

from __future__ import annotations

import argparse
import textwrap

from dom_desk.cli.workbook_commands import add_db
from dom_desk.domain.attention import Attention, Source, attention, chase_summary
from dom_desk.domain.periods import format_date
from dom_desk.storage.workbook import open_workbook


def register(commands: argparse._SubParsersAction, _exports: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "attention",
        help="what needs attention now, most urgent first (what to chase today)",
        description="Returns overdue or due within 14 days, targets missed (twice running "
        "first), performance actions overdue or due within 14 days, negotiations, "
        "competition stages, milestones and contract decisions overdue or due within 30 "
        "days, agreements ending within 18 months with nothing "
        "under way, the envelope over or nearly used, and imports to check; most urgent "
        "first, judged on the workbook's date.",
    )
    add_db(command)
    command.add_argument("--year", help="financial year, e.g. 2009-10 (default: current)")
    command.set_defaults(handler=_print)


def lines(found: Attention) -> list[str]:
    """The list as printed: a heading sentence, then one line per item (a grouped line
    followed by every name it stands for, indented)."""
    out = [f"{found.region}, {found.year}: {chase_summary(found)}"]
    if not found.items:
        return out
    word = max(len(item.severity.value) for item in found.items)
    words = max(len(item.when_words) for item in found.items)
    for item in found.items:
        when = format_date(item.when) if item.when else ""
        how_far = item.when_words if item.when else ""
        prefix = f"{item.severity.value:<{word}}  {when:<10}  {how_far:<{words}}"
        out.append(f"{prefix}  {item.text}")
        if item.source is Source.RETURNS and item.detail:
            # A name is never split across lines: its spaces are held until wrapped.
            names = ", ".join(n.replace(" ", "\u00a0") for n in item.detail.splitlines())
            wrapped = textwrap.wrap(
                names, width=100, initial_indent="    ", subsequent_indent="    "
            )
            out += [line.replace("\u00a0", " ") for line in wrapped]
    return out


def _print(args: argparse.Namespace) -> int:
    wb = open_workbook(args.db, read_only=True)
    try:
        found = attention(wb, args.year)
    finally:
        wb.close()
    print("\n".join(lines(found)))
    return 0
