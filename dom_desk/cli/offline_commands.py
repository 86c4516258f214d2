"""Working offline: ``checkout URL REGION FILE``, ``checkin FILE`` and ``conflicts FILE``.

``checkin`` merges the laptop's file with the server three ways; while a conflict has no
choice (``--yours KEY`` / ``--theirs KEY``, KEY as ``conflicts`` prints it) nothing is
written: it prints them side by side and exits 1. ``--dry-run`` says what would happen.
A password comes from the URL, PostgreSQL's ``.pgpass`` or ``PGPASSWORD``, or a prompt.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from dom_desk.errors import DomDeskError, ValidationError

T = TypeVar("T")


def register(commands: argparse._SubParsersAction, _exports: argparse._SubParsersAction) -> None:
    out = commands.add_parser(
        "checkout",
        help="take a region off the team server into a workbook file to work on offline",
        description="Writes the region as an ordinary workbook (with the base it came "
        "from, for the check-in's three-way merge). REGION may be '-' when the URL has "
        "?region=.",
    )
    out.add_argument("url", metavar="URL", help="postgresql://HOST/DATABASE[?region=NAME]")
    out.add_argument("region", metavar="REGION", help="e.g. north-west or 'North West'")
    out.add_argument("path", type=Path, metavar="FILE", help="the new .domdesk file")
    out.set_defaults(handler=_checkout)

    back = commands.add_parser(
        "checkin",
        help="bring an offline copy's changes back to the team server (three-way merge)",
        description="Merges the file's changes since check-out with the server's in one "
        "transaction. Conflicts are never decided by guess: choose each with --yours KEY "
        "or --theirs KEY, or nothing is written. Afterwards the file holds the server's "
        "latest figures and can go on being used offline.",
    )
    back.add_argument("path", type=Path, metavar="FILE")
    back.add_argument(
        "--yours", action="append", default=[], metavar="KEY", help="keep your side of KEY"
    )
    back.add_argument(
        "--theirs", action="append", default=[], metavar="KEY", help="keep the server's side"
    )
    back.add_argument("--dry-run", action="store_true", help="say what would happen; write nothing")
    back.set_defaults(handler=_checkin)

    conflicts = commands.add_parser(
        "conflicts", help="list what a check-in of an offline copy would need you to decide"
    )
    conflicts.add_argument("path", type=Path, metavar="FILE")
    conflicts.set_defaults(handler=_conflicts)


def _with_password(run: Callable[[str | None], T]) -> T:
    """``run(None)``; if the server wants a password and someone is at the keyboard, asks
    once and tries again."""
    from dom_desk.storage.server import ServerLoginError

    try:
        return run(None)
    except ServerLoginError as exc:
        if not sys.stdin.isatty():
            raise
        password = getpass.getpass(f"{exc} Password: ")
        if not password:
            raise
        return run(password)


def _checkout(args: argparse.Namespace) -> int:
    from dom_desk.domain.offline import checkout
    from dom_desk.storage.server_address import parse_address, region_slug

    address = parse_address(args.url)
    region = args.region.strip()
    if region and region != "-":
        address = address.with_region(region_slug(region))
    elif not address.region:
        raise ValidationError("name the region (e.g. north-west)", "REGION")
    url = _url_with_password(args.url, address)
    copy = _with_password(lambda password: checkout(url, args.path, password))
    print(
        f"Checked out {copy.region} from {copy.server} to {args.path}: work on it offline, "
        f"then run dom-desk checkin {args.path}"
    )
    return 0


def _url_with_password(typed: str, address) -> str:  # noqa: ANN001 - a ServerAddress
    """The address as a URL, keeping a password typed in the URL (never stored)."""
    url = address.display
    if address.has_password:
        password = address.url.password
        user = address.url.username or ""
        url = url.replace(f"//{user}@", f"//{user}:{password}@", 1)
    return url


def _choices(args: argparse.Namespace) -> dict[str, str]:
    chosen: dict[str, str] = {}
    for side in ("yours", "theirs"):
        for key in getattr(args, side):
            if chosen.get(key, side) != side:
                raise ValidationError(f"{key} is given both --yours and --theirs", f"--{side}")
            chosen[key] = side
    return chosen


def _print_conflicts(conflicts: Sequence) -> None:
    for number, c in enumerate(conflicts, 1):
        when = f"{c.theirs_at:%d/%m/%Y %H:%M}" if c.theirs_at else ""
        who = ", ".join(part for part in (c.theirs_by, when) if part)
        print(f"{number}. {c.record} · {c.field} ({c.kind})")
        print(f"   base:   {c.base or '(none)'}")
        print(f"   yours:  {c.yours or '(none)'}")
        print(f"   theirs: {c.theirs or '(none)'}" + (f"  [{who}]" if who else ""))
        if c.note:
            print(f"   note:   {c.note}")
        print(f"   key:    {c.key}")


def _print_unused(unused: Sequence[str]) -> None:
    for key in unused:
        print(
            f"dom-desk: {key} is not a conflict now (the server's side may have changed "
            "since it was shown); see the list.",
            file=sys.stderr,
        )


def _conflicts(args: argparse.Namespace) -> int:
    from dom_desk.domain.offline import plan_checkin

    plan = _with_password(lambda password: plan_checkin(args.path, password))
    _print_conflicts(plan.conflicts)
    print(plan.summary())
    return 1 if plan.conflicts else 0


def _checkin(args: argparse.Namespace) -> int:
    from dom_desk.domain.offline import checkin, plan_checkin

    choices = _choices(args)
    if args.dry_run:
        plan = _with_password(lambda password: plan_checkin(args.path, password, choices))
        _print_unused(plan.unused_choices)
        _print_conflicts(plan.conflicts)
        print(plan.summary() + " (Dry run: nothing was written.)")
        return 1 if plan.conflicts else 0
    result = _with_password(lambda password: checkin(args.path, choices, password))
    _print_unused(result.unused_choices)
    if result.conflicts:
        _print_conflicts(result.conflicts)
        print(
            "Choose each with --yours KEY or --theirs KEY and run checkin again.",
            file=sys.stderr,
        )
        raise DomDeskError(result.message)
    print(f"{result.message} ({result.seconds:.1f} s)")
    return 0
