"""Provider returns from the command line: templates out, returns in, results out.

dom-desk template --db PATH --provider NAME --period PERIOD -o FILE.xlsx
dom-desk template --db PATH --all-providers --period PERIOD --out-dir DIR
dom-desk import --db PATH [--dry-run] [--accept-close-names] FILE_OR_FOLDER...
dom-desk export results --db PATH [--year YEAR] [--format csv|xlsx] -o FILE
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dom_desk.cli.workbook_commands import add_db
from dom_desk.domain.values import counted
from dom_desk.errors import DomDeskError
from dom_desk.files import describe_os_error
from dom_desk.storage.workbook import open_workbook

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
        "--period", required=True, help="2009-10 (year), 2009-10-Q1 (quarter) or 2009-04 (month)"
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
    wb = open_workbook(args.db, read_only=args.dry_run)
    try:
        summary = import_files(wb, files, dry_run=args.dry_run, confirm=confirm)
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
    for problem in summary.problems():
        line = problem
        if problem.endswith("confirm the match to import it."):
            line = problem[:-1] + " (use --accept-close-names)."
        print(line, file=sys.stderr)
    print(summary.headline())
    return 0 if summary.ok else 1


def _export_results(args: argparse.Namespace) -> int:
    from dom_desk.exports.results_export import export_results

    wb = open_workbook(args.db, read_only=True)
    try:
        count = export_results(wb, args.output, args.year, args.format)
    finally:
        wb.close()
    print(f"Wrote {count:,} results to {args.output}")
    return 0
