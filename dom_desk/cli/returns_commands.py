"""Provider returns from the command line: templates out, returns in, results out.

dom-desk template --db PATH --provider NAME --period PERIOD -o FILE.xlsx
dom-desk template --db PATH --all-providers --period PERIOD --out-dir DIR
dom-desk import --db PATH [--dry-run] [--accept-close-names] FILE_OR_FOLDER...
dom-desk import --db PATH [--correct SHEET!CELL=VALUE]... [--leave-out SHEET!ROW]... FILE
dom-desk export results --db PATH [--year YEAR] [--format csv|xlsx] -o FILE
dom-desk returns schedule --db PATH [--year YEAR]    every return of the year, due and state
dom-desk returns chase --db PATH [--year YEAR] [-o FILE.xlsx]   what to chase today
dom-desk returns due-rule --db PATH [N]             show or set the due rule (working days)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from dom_desk.cli.workbook_commands import add_db
from dom_desk.domain.values import counted
from dom_desk.errors import DomDeskError, ValidationError
from dom_desk.files import describe_os_error
from dom_desk.storage.workbook import open_workbook

if TYPE_CHECKING:
    from dom_desk.domain.returns_schedule import Schedule

#: Row notes printed per file; the preview in the window shows them all.
MAX_NOTES = 20


def register(commands: argparse._SubParsersAction, exports: argparse._SubParsersAction) -> None:
    template = commands.add_parser(
        "template",
        help="make provider return templates (xlsx) for a period",
        description="Make a return template for one provider, or one per provider.",
    )
    add_db(template)
    template.add_argument(
        "--period",
        required=True,
        help="2009-10 (a year), 'Q1 2009-10' or 2009-10-Q1 (a quarter), 'Oct 2009' or 2009-04 "
        "(a month)",
    )
    who = template.add_mutually_exclusive_group(required=True)
    who.add_argument("--provider", metavar="NAME", help="the provider, as registered")
    who.add_argument(
        "--all-providers", action="store_true", help="one template per provider (needs --out-dir)"
    )
    template.add_argument("-o", "--output", type=Path, metavar="FILE.xlsx")
    template.add_argument("--out-dir", type=Path, metavar="DIR")
    template.set_defaults(handler=_template)

    importer = commands.add_parser(
        "import",
        help="import provider returns (xlsx files or folders of them)",
        description="Import returns. Exit status 0 only when every file was imported "
        "(or, with --dry-run, would be); problems are listed one per line on stderr.",
    )
    add_db(importer)
    importer.add_argument("--dry-run", action="store_true", help="check everything, write nothing")
    importer.add_argument(
        "--accept-close-names",
        action="store_true",
        help="accept provider names that are close to a registered one",
    )
    importer.add_argument(
        "--correct",
        action="append",
        default=[],
        metavar="SHEET!CELL=VALUE",
        help="use VALUE for a figure of the return (Actual, Numerator or Denominator), "
        "checked as if typed there, e.g. Return!E7=12%%; repeatable; one file only",
    )
    importer.add_argument(
        "--leave-out",
        action="append",
        default=[],
        metavar="SHEET!ROW",
        help="do not import this row of the return, e.g. Return!7; repeatable; one file only",
    )
    importer.add_argument("files", nargs="+", type=Path, metavar="FILE")
    importer.set_defaults(handler=_import)

    results = exports.add_parser("results", help="current results with targets and status")
    add_db(results)
    results.add_argument("--year", help="only this financial year, e.g. 2009-10")
    results.add_argument(
        "--format",
        choices=("csv", "xlsx"),
        help="file format (default: from the file name, else csv)",
    )
    results.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    results.set_defaults(handler=_export_results)

    _register_schedule(commands)


def _register_schedule(commands: argparse._SubParsersAction) -> None:
    returns = commands.add_parser(
        "returns",
        help="the returns schedule: what is due when, received, late or missing",
        description="Each provider's monthly returns for the year with the date each is "
        "due (a rule the region sets, in working days after the month ends; weekends and "
        "England and Wales bank holidays are not counted) and its state on the workbook's "
        "date; the chase list; the due rule.",
    )
    verbs = returns.add_subparsers(dest="verb", metavar="VERB", required=True)

    listing = verbs.add_parser(
        "schedule",
        help="every provider's return for every month, with its due date and state",
        description="Every provider's return for every month of the year, by due date.",
    )
    add_db(listing)
    listing.add_argument("--year", help="financial year, e.g. 2009-10 (default: current)")
    listing.set_defaults(handler=_schedule)

    chase = verbs.add_parser(
        "chase",
        help="returns to chase: overdue ones, then those due within 14 days",
        description="Returns overdue (most working days late first), then those due "
        "within 14 days of the workbook's date; with -o, written to an Excel file.",
    )
    add_db(chase)
    chase.add_argument("--year", help="financial year, e.g. 2009-10 (default: current)")
    chase.add_argument("-o", "--output", type=Path, metavar="FILE.xlsx")
    chase.set_defaults(handler=_chase)

    rule = verbs.add_parser(
        "due-rule",
        help="show, or set, how many working days after the month ends returns are due",
        description="With no number, says the rule; with N (1 to 60), sets it.",
    )
    add_db(rule)
    rule.add_argument("days", nargs="?", metavar="N", help="working days, 1 to 60")
    rule.set_defaults(handler=_due_rule)


def _template(args: argparse.Namespace) -> int:
    from dom_desk.domain.periods import period_label
    from dom_desk.exports.template_files import (
        make_template,
        make_templates,
        template_file_name,
    )

    if args.all_providers and not args.out_dir:
        raise DomDeskError("--all-providers needs --out-dir DIR for the files.")
    if args.provider and not (args.output or args.out_dir):
        raise DomDeskError("Say where to write the template: -o FILE.xlsx or --out-dir DIR.")
    wb = open_workbook(args.db, read_only=True)
    try:
        if args.all_providers:
            batch = make_templates(wb, args.period, args.out_dir)
            for path in batch.written:
                print(f"Wrote {path}")
            for reason in batch.skipped:
                print(reason, file=sys.stderr)
            print(f"{counted(len(batch.written), 'template')} for {period_label(args.period)}.")
            return 0
        if args.output:
            target = args.output
        else:
            # As for --all-providers: the folder named is made if it is not there yet.
            try:
                args.out_dir.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DomDeskError(describe_os_error(exc, args.out_dir)) from exc
            target = args.out_dir / template_file_name(args.provider, args.period)
        print(f"Wrote {make_template(wb, args.provider, args.period, target)}")
        return 0
    finally:
        wb.close()


def _import(args: argparse.Namespace) -> int:
    from dom_desk.domain.returns import FileState, collect_files, import_files

    files = collect_files(args.files)
    if not files:
        raise DomDeskError("No spreadsheets found in " + ", ".join(map(str, args.files)) + ".")
    confirm = (lambda _preview: True) if args.accept_close_names else None
    decisions = _decisions(args, files)
    wb = open_workbook(args.db, read_only=args.dry_run)
    try:
        summary = import_files(
            wb, files, dry_run=args.dry_run, confirm=confirm, decisions=decisions
        )
    finally:
        wb.close()
    for preview in summary.files:
        if preview.state is not FileState.REFUSED:
            print(preview.summary(dry_run=args.dry_run))
        notes = [] if preview.state is FileState.DUPLICATE else preview.notes + preview.row_notes
        for note in notes[:MAX_NOTES]:
            print(f"  note: {note}")
        if len(notes) > MAX_NOTES:
            print(f"  ... and {len(notes) - MAX_NOTES} more notes")
        if preview.state is not FileState.DUPLICATE:
            for adjustment in preview.adjustments:
                print(f"  decided: {adjustment.describe()}")
    for problem in summary.problems():
        line = problem
        if problem.endswith("confirm the match to import it."):
            line = problem[:-1] + " (use --accept-close-names)."
        print(line, file=sys.stderr)
    print(summary.headline())
    return 0 if summary.ok else 1


def _decisions(args: argparse.Namespace, files: list[Path]) -> dict | None:
    """The --correct and --leave-out options as the one file's decisions."""
    from dom_desk.domain.returns_decisions import Decisions, parse_correction, parse_leave_out

    if not (args.correct or args.leave_out):
        return None
    if len(files) != 1:
        raise DomDeskError(
            f"--correct and --leave-out are about one return; name one file, not {len(files)}."
        )
    corrections = dict(parse_correction(text) for text in args.correct)
    left_out = frozenset(parse_leave_out(text) for text in args.leave_out)
    return {files[0]: Decisions(corrections, left_out)}


def _export_results(args: argparse.Namespace) -> int:
    from dom_desk.exports.results_export import export_results

    wb = open_workbook(args.db, read_only=True)
    try:
        count = export_results(wb, args.output, args.year, args.format)
    finally:
        wb.close()
    print(f"Wrote {count:,} results to {args.output}")
    return 0


# -- the returns schedule ---------------------------------------------------------------


def _read_schedule(args: argparse.Namespace) -> Schedule:
    from dom_desk.domain.returns_schedule import schedule

    wb = open_workbook(args.db, read_only=True)
    try:
        return schedule(wb, args.year)
    finally:
        wb.close()


def _rule_words(days: int) -> str:
    return (
        f"due {counted(days, 'working day')} after the month ends "
        "(weekends and England and Wales bank holidays not counted)"
    )


def _table(headers: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    """Plain text columns, figures right-aligned."""
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        parts = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return ("  " + "  ".join(parts)).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *map(line, rows)]


def _late(days: int) -> str:
    return str(days) if days else ""


def _schedule(args: argparse.Namespace) -> int:
    from dom_desk.domain.periods import format_date
    from dom_desk.domain.returns_schedule import ReturnState

    found = _read_schedule(args)
    providers = len({r.provider_id for r in found.rows})
    print(
        f"Returns schedule {found.year} as at {format_date(found.on)}: "
        f"{counted(providers, 'provider')} owe returns, {_rule_words(found.due_days)}."
    )
    if not found.rows:
        print("No provider owes returns this year (none has an agreement and measures it reports).")
        return 0
    rows = [
        [
            r.period_label,
            r.provider_name,
            format_date(r.due),
            format_date(r.received_on),
            str(r.state),
            _late(r.days_late),
        ]
        for r in found.rows
    ]
    headers = ["Month", "Provider", "Due", "Received", "State", "Working days late"]
    for text in _table(headers, rows, {5}):
        print(text)
    states = [r.state for r in found.rows]
    print(
        "Totals: "
        + "; ".join(f"{s.value} {states.count(s):,}" for s in ReturnState if s in states)
        + "."
    )
    return 0


def _chase(args: argparse.Namespace) -> int:
    from dom_desk.domain.periods import format_date
    from dom_desk.domain.returns_schedule import ReturnState

    if args.output is not None and args.output.suffix.lower() != ".xlsx":
        raise ValidationError("the chase list is written as .xlsx", str(args.output))
    found = _read_schedule(args)
    chase = found.chase()
    overdue = sum(1 for r in chase if r.state is ReturnState.OVERDUE)
    print(
        f"Returns to chase as at {format_date(found.on)} ({found.year}): {overdue:,} overdue, "
        f"{len(chase) - overdue:,} due within 14 days."
    )
    if chase:
        rows = [
            [
                str(r.state),
                r.provider_name,
                r.period_label,
                format_date(r.due),
                _late(r.days_late),
            ]
            for r in chase
        ]
        headers = ["State", "Provider", "Month", "Due", "Working days late"]
        for text in _table(headers, rows, {4}):
            print(text)
    else:
        print("Nothing to chase.")
    if args.output is not None:
        from dom_desk.exports.chase_export import export_chase

        path = export_chase(chase, found.on, args.output)
        print(f"Wrote {counted(len(chase), 'return')} to chase to {path}")
    return 0


def _due_rule(args: argparse.Namespace) -> int:
    from dom_desk.domain.returns_schedule import due_rule, set_due_rule

    wb = open_workbook(args.db, read_only=args.days is None)
    try:
        if args.days is None:
            print(f"Returns are {_rule_words(due_rule(wb))}.")
            return 0
        set_due_rule(wb, args.days)
        print(f"Returns are now {_rule_words(due_rule(wb))}.")
        return 0
    finally:
        wb.close()
