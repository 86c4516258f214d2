"""Acting on performance from the command line.

dom-desk actions list    --db PATH [--provider WORDS] [--open]
dom-desk actions suggest --db PATH                     targets missed two periods running
dom-desk actions accept  --db PATH N [--owner NAME]    N: the suggestion's number
dom-desk actions dismiss --db PATH N [--reason TEXT]
dom-desk actions open    --db PATH --provider WORDS --title TEXT [--measure CODE]
                         [--period CODE] [--owner NAME] [--due DATE]
dom-desk actions stage   --db PATH ID STAGE [--note TEXT] [--due DATE]
dom-desk actions note    --db PATH ID TEXT
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from dom_desk.cli.workbook_commands import add_db
from dom_desk.domain.periods import format_date, parse_date
from dom_desk.errors import ValidationError
from dom_desk.storage.workbook import Workbook, open_workbook

if TYPE_CHECKING:
    from dom_desk.domain.performance_actions import Suggestion


def register(commands: argparse._SubParsersAction, _exports: argparse._SubParsersAction) -> None:
    from dom_desk.domain.kinds import ActionStage

    command = commands.add_parser(
        "actions",
        help="performance actions: concerns, improvement plans, reviews, escalation",
        description="Actions a DOM takes on missed targets, from a concern raised to "
        "referral to competition, with owners, due dates and dated notes; and suggestions "
        "where a target was missed two periods running.",
    )
    verbs = command.add_subparsers(dest="verb", metavar="VERB", required=True)

    def verb(name: str, help_text: str) -> argparse.ArgumentParser:
        parser = verbs.add_parser(name, help=help_text, description=help_text)
        add_db(parser)
        return parser

    listing = verb("list", "actions, open ones first, by due date")
    listing.add_argument("--provider", metavar="WORDS")
    listing.add_argument("--open", action="store_true", help="leave out closed actions")
    listing.set_defaults(handler=_list)

    verb("suggest", "targets missed two periods running, with no action open").set_defaults(
        handler=_suggest
    )
    accept = verb("accept", "open an action for a suggestion")
    accept.add_argument("number", type=int, help="as `actions suggest` numbers them")
    accept.add_argument("--owner", default="")
    accept.set_defaults(handler=_accept)
    dismiss = verb("dismiss", "dismiss a suggestion: not suggested again for its period")
    dismiss.add_argument("number", type=int)
    dismiss.add_argument("--reason", default="")
    dismiss.set_defaults(handler=_dismiss)

    opening = verb("open", "open an action")
    opening.add_argument("--provider", required=True, metavar="WORDS")
    opening.add_argument("--title", required=True)
    opening.add_argument("--measure", metavar="CODE", help="e.g. 'KPI 3'")
    opening.add_argument(
        "--period", metavar="PERIOD", default="", help="e.g. 'Sep 2009' or 2009-09"
    )
    opening.add_argument("--owner", default="")
    opening.add_argument("--due", metavar="DD/MM/YYYY")
    opening.set_defaults(handler=_open)

    stage = verb("stage", "move an action to a stage")
    stage.add_argument("id", type=int)
    stage.add_argument("stage", help="; ".join(s.label for s in ActionStage))
    stage.add_argument("--note", default="")
    stage.add_argument("--due", metavar="DD/MM/YYYY")
    stage.set_defaults(handler=_stage)

    note = verb("note", "add a dated note to an action")
    note.add_argument("id", type=int)
    note.add_argument("text")
    note.set_defaults(handler=_note)


def _list(args: argparse.Namespace) -> int:
    from dom_desk.domain import performance_actions as pa
    from dom_desk.domain.region import working_day

    wb = open_workbook(args.db, read_only=True)
    try:
        provider = pa.find_provider(wb, args.provider) if args.provider else None
        found = pa.actions(wb, provider, open_only=args.open)
        on = working_day(wb)
    finally:
        wb.close()
    if not found:
        print("No actions.")
        return 0
    for a in found:
        due = (
            f", due {format_date(a.due)}" + (" (overdue)" if a.overdue(on) else "") if a.due else ""
        )
        about = " ".join(x for x in (a.measure, a.period) if x)
        print(f"#{a.id} {a.provider}{f' ({about})' if about else ''}: {a.title}")
        print(f"    {a.stage.label}{due}; owner {a.owner or 'not named'}")
        for n in a.notes:
            print(f"    {format_date(n.written)} {n.text}")
    return 0


def _suggest(args: argparse.Namespace) -> int:
    from dom_desk.domain import performance_actions as pa

    wb = open_workbook(args.db, read_only=True)
    try:
        found = pa.suggestions(wb)
    finally:
        wb.close()
    if not found:
        print("No target was missed two periods running without an action open.")
    for number, s in enumerate(found, start=1):
        print(f"{number}. {s.text}")
    return 0


def _suggestion(wb: Workbook, number: int) -> Suggestion:
    from dom_desk.domain import performance_actions as pa

    found = pa.suggestions(wb)
    if not 1 <= number <= len(found):
        raise ValidationError(
            f"There are {len(found)} suggestions; run `dom-desk actions suggest` to see them",
            "N",
        )
    return found[number - 1]


def _accept(args: argparse.Namespace) -> int:
    from dom_desk.domain import performance_actions as pa

    wb = open_workbook(args.db)
    try:
        chosen = _suggestion(wb, args.number)
        action = pa.accept_suggestion(wb, chosen, owner=args.owner)
    finally:
        wb.close()
    print(f"Opened action #{action}: {chosen.text}.")
    return 0


def _dismiss(args: argparse.Namespace) -> int:
    from dom_desk.domain import performance_actions as pa

    wb = open_workbook(args.db)
    try:
        chosen = _suggestion(wb, args.number)
        pa.dismiss_suggestion(wb, chosen, args.reason)
    finally:
        wb.close()
    print(f"Dismissed: {chosen.text}.")
    return 0


def _open(args: argparse.Namespace) -> int:
    from dom_desk.domain import performance_actions as pa

    wb = open_workbook(args.db)
    try:
        provider = pa.find_provider(wb, args.provider)
        measure = pa.find_measure(wb, args.measure) if args.measure else None
        action = pa.open_action(
            wb,
            provider,
            args.title,
            measure_id=measure,
            period_code=args.period,
            owner=args.owner,
            due=parse_date(args.due or "", "--due"),
        )
    finally:
        wb.close()
    print(f"Opened action #{action}.")
    return 0


def _stage(args: argparse.Namespace) -> int:
    from dom_desk.domain import performance_actions as pa
    from dom_desk.domain.kinds import ActionStage

    try:
        stage = ActionStage(ActionStage.from_label(args.stage))
    except ValueError:
        choices = "; ".join(s.label for s in ActionStage)
        raise ValidationError(f"'{args.stage}' is not a stage ({choices})", "STAGE") from None
    wb = open_workbook(args.db)
    try:
        before = pa.advance(wb, args.id, stage, args.note, parse_date(args.due or "", "--due"))
    finally:
        wb.close()
    print(f"Action #{args.id}: {before.label} → {stage.label}.")
    return 0


def _note(args: argparse.Namespace) -> int:
    from dom_desk.domain import performance_actions as pa

    wb = open_workbook(args.db)
    try:
        pa.add_note(wb, args.id, args.text)
    finally:
        wb.close()
    print(f"Noted on action #{args.id}.")
    return 0
