"""``dom-desk national``: every region on the team server side by side (national HQ).

    dom-desk national summary --db postgresql://HOST/DB [--year 2009-10]
    dom-desk national targets|keydates|competitions --db URL [--year YEAR]
    dom-desk national plan --db URL --year 2009-10 -o national.pdf
    dom-desk national --db URL            (or: national window --db URL) the window

The URL names the server's database; with ``?region=NAME`` only that region is shown.
Each region's figures come from its own domain functions (``domain.national``), read
only: run these as a member of the server's read-only national role.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Collection, Sequence
from pathlib import Path

from dom_desk.domain.money import format_pounds
from dom_desk.domain.national import (
    TARGET_STATUSES,
    NationalPicture,
    national_picture,
    stage_when,
    summary_rows,
)
from dom_desk.domain.periods import format_date, parse_year
from dom_desk.domain.status import Status
from dom_desk.errors import ValidationError
from dom_desk.storage.server_address import is_server_url

WHATS = ("summary", "targets", "keydates", "competitions")


def _server(text: str) -> str:
    return text.strip()


def _options(parser: argparse.ArgumentParser, top: bool, year_required: bool = False) -> None:
    # Given before or after the subcommand; the subcommand's never hides the other's.
    default = None if top else argparse.SUPPRESS
    parser.add_argument(
        "--db",
        type=_server,
        default=default,
        metavar="URL",
        help="the team server: postgresql://HOST/DATABASE (add ?region=NAME for one region)",
    )
    parser.add_argument(
        "--year",
        default=default,
        required=year_required,
        metavar="YEAR",
        help="financial year, e.g. 2009-10 (default: the year most regions are working on)",
    )


def register(commands: argparse._SubParsersAction, _exports: argparse._SubParsersAction) -> None:
    national = commands.add_parser(
        "national",
        help="every region on the team server side by side (national HQ's view)",
        description="The regions on a team server side by side for a year: envelope and "
        "committed money, targets met / near / missed, key dates and competitions, each "
        "region's figures from its own workbook's functions. With no WHAT, opens the "
        "national window.",
    )
    _options(national, top=True)
    whats = national.add_subparsers(dest="national_what", metavar="WHAT")
    national.set_defaults(handler=_window)
    helps = {
        "summary": "envelope, committed money and headroom, targets and key dates by region",
        "targets": "targets met, near and missed by region (each region's matrix, year to date)",
        "keydates": "every region's key dates, overdue or due within 90 days, earliest first",
        "competitions": "every region's competitions, by expiry, with the next stage",
    }
    for what in WHATS:
        command = whats.add_parser(what, help=helps[what], description=helps[what].capitalize())
        _options(command, top=False)
        command.set_defaults(handler=_print, national_what=what)
    plan = whats.add_parser(
        "plan",
        help="write the national commissioning plan for a year as a PDF",
        description="Writes the national commissioning plan from the server: the regions "
        "side by side (money, targets, key dates, competitions), a few pages of A4.",
    )
    _options(plan, top=False)
    plan.add_argument(
        "-o", "--output", type=Path, required=True, metavar="FILE.pdf", help="the PDF to write"
    )
    plan.add_argument("--quiet", action="store_true", help="print nothing on success")
    plan.set_defaults(handler=_plan, national_what="plan")
    window = whats.add_parser("window", help="open the national window (read-only)")
    _options(window, top=False)
    window.set_defaults(handler=_window, national_what="window")


def _server_of(args: argparse.Namespace) -> str:
    db = getattr(args, "db", None)
    if not db:
        raise ValidationError("needs the team server's address, postgresql://HOST/DATABASE", "--db")
    if not is_server_url(db):
        raise ValidationError(
            f"'{db}' is a file: the national view reads a team server, postgresql://HOST/DATABASE",
            "--db",
        )
    return db


def _year_of(args: argparse.Namespace) -> str | None:
    year = getattr(args, "year", None)
    if year:
        try:
            parse_year(year)
        except ValidationError as exc:
            raise ValidationError(exc.reason, "--year") from exc
    return year or None


def columns(rows: Sequence[Sequence[str]], right: Collection[int] = ()) -> list[str]:
    """Rows as aligned text columns (``right``: the columns of figures)."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ).rstrip()
        for row in rows
    ]


def heading(picture: NationalPicture, what: str) -> str:
    shown = len(picture.with_figures)
    regions = f"{shown} region{'s' if shown != 1 else ''}"
    return f"{what}, {picture.year}, {picture.server}: {regions}"


def summary_lines(picture: NationalPicture) -> list[str]:
    rows = [
        [
            "Region",
            "Envelope",
            "Committed",
            "Headroom",
            "Met",
            "Near",
            "Missed",
            "Missing",
            "Key dates overdue",
            "Competitions",
        ]
    ]
    for r in summary_rows(picture):
        rows.append(
            [
                r.region,
                format_pounds(r.envelope) or "£0",
                format_pounds(r.committed) or "£0",
                (format_pounds(r.headroom) or "£0") + (" over" if r.over_envelope else ""),
                *(f"{r.count(s):,}" for s in TARGET_STATUSES),
                f"{r.overdue:,}",
                f"{r.competitions:,}",
            ]
        )
    return [heading(picture, "National summary"), *columns(rows, set(range(1, 10)))]


def target_lines(picture: NationalPicture) -> list[str]:
    rows = [["Region", "Met", "Near", "Missed", "Missing", "No target", "Share met", "Window"]]
    windows = {r.region: r.window for r in picture.with_figures}
    for r in summary_rows(picture):
        rows.append(
            [
                r.region,
                *(f"{r.count(s):,}" for s in (*TARGET_STATUSES, Status.NO_TARGET)),
                r.met_share,
                windows.get(r.region, ""),
            ]
        )
    return [heading(picture, "Targets"), *columns(rows, set(range(1, 7)))]


def keydate_lines(picture: NationalPicture) -> list[str]:
    found = picture.key_dates
    out = [heading(picture, "Key dates overdue or due within 90 days")]
    if not found:
        return [*out, "None."]
    rows = [
        [
            format_date(d.key.when),
            "overdue" if d.overdue else "",
            d.region,
            d.key.what + (f" ({d.key.text})" if d.key.text else ""),
        ]
        for d in found
    ]
    return [*out, *columns(rows)]


def competition_lines(picture: NationalPicture) -> list[str]:
    found = picture.competitions
    out = [heading(picture, "Competitions")]
    if not found:
        return [*out, "None."]
    rows = [["Region", "Subject", "Type", "Expiry", "Next stage", "When", "Service start"]]
    for c in found:
        nxt = c.next_stage
        rows.append(
            [
                c.region,
                c.row.subject,
                c.row.kind,
                c.row.expiry,
                nxt[0].label if nxt else "All done",
                stage_when(nxt[1], nxt[2]) if nxt else "",
                c.service_start,
            ]
        )
    return [*out, *columns(rows)]


PRINTERS = {
    "summary": summary_lines,
    "targets": target_lines,
    "keydates": keydate_lines,
    "competitions": competition_lines,
}


def _print(args: argparse.Namespace) -> int:
    picture = national_picture(_server_of(args), _year_of(args))
    print("\n".join(PRINTERS[args.national_what](picture)))
    for problem in picture.problems:
        print(f"dom-desk: note: {problem}", file=sys.stderr)
    return 0


def _plan(args: argparse.Namespace) -> int:
    from dom_desk.plan.national import write_national_plan

    year = _year_of(args)
    if year is None:
        raise ValidationError("needs the financial year, e.g. 2009-10", "--year")
    result = write_national_plan(_server_of(args), year, args.output)
    for problem in result.notes:
        print(f"dom-desk: note: {problem}", file=sys.stderr)
    if not args.quiet:
        print(
            f"Wrote the national commissioning plan for {year} ({result.regions} regions) "
            f"to {result.path}: {result.pages} pages."
        )
    return 0


def _window(args: argparse.Namespace) -> int:
    from dom_desk.ui.national_window import run_national

    return run_national(_server_of(args), _year_of(args))
