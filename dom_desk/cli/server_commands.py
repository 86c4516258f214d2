"""The team server: ``dom-desk server init|publish|status|upgrade|grant|revoke URL``.

Run by whoever looks after the server (the database's owner, with the right to create
roles); docs/TEAM_SERVER.md says how to set one up. The URL names the database
(``postgresql://admin@HOST/DATABASE``); a ``?region=`` in it is ignored except by
``grant``'s default.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from dom_desk.domain.values import counted
from dom_desk.errors import DomDeskError
from dom_desk.storage import server_admin
from dom_desk.storage.server_address import parse_address, region_slug


def register(commands: argparse._SubParsersAction, _exports: argparse._SubParsersAction) -> None:
    server = commands.add_parser(
        "server",
        help="set up and look after a team server (PostgreSQL)",
        description="Set up a PostgreSQL database as the team's DOM Desk server, put "
        "regions on it and see who is using it. See docs/TEAM_SERVER.md.",
    )
    jobs = server.add_subparsers(dest="server_command", metavar="JOB", required=True)

    init = jobs.add_parser(
        "init",
        help="make a database a DOM Desk server (safe to run again)",
        description="Creates the national schema, its catalog of regions and the group "
        "roles (read-only national, an editor role per region). Run again, it changes "
        "nothing unless something was missing.",
    )
    _add_url(init)
    init.set_defaults(handler=_init)

    publish = jobs.add_parser(
        "publish",
        help="upload a region's workbook file to the server",
        description="Uploads a .domdesk workbook as its region's schema, in one "
        "transaction. Refused if the server already holds that region, unless --replace.",
    )
    publish.add_argument("file", type=Path, metavar="FILE.domdesk")
    _add_url(publish)
    publish.add_argument(
        "--replace", action="store_true", help="overwrite the region if the server holds it"
    )
    publish.set_defaults(handler=_publish)

    status = jobs.add_parser(
        "status", help="the server's regions, their revisions, and who is connected"
    )
    _add_url(status)
    status.set_defaults(handler=_status)

    upgrade = jobs.add_parser(
        "upgrade",
        help="bring every region to this version's schema",
        description="Applies pending migrations to every region (editors cannot: they "
        "may not change a schema's shape), then grants the roles again.",
    )
    _add_url(upgrade)
    upgrade.set_defaults(handler=_upgrade)

    for name, verb in (("grant", "let a login"), ("revoke", "stop a login from")):
        job = jobs.add_parser(
            name,
            help=f"{verb} edit a region or read every region",
            description="The login must exist already (CREATE ROLE name LOGIN PASSWORD "
            "'...'); this puts it in, or takes it out of, a DOM Desk group role.",
        )
        _add_url(job)
        job.add_argument("user", metavar="USER", help="the PostgreSQL login, e.g. alice")
        which = job.add_mutually_exclusive_group(required=True)
        which.add_argument("--region", metavar="NAME", help="the region, e.g. 'North West'")
        which.add_argument(
            "--national", action="store_true", help="read-only, every region and the national view"
        )
        job.set_defaults(handler=_grant, revoke=name == "revoke")


def _add_url(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "url", metavar="URL", help="the server database: postgresql://USER@HOST[:PORT]/DATABASE"
    )


def _when(moment: datetime | None) -> str:
    """A UTC time as stored, shown in this computer's time the UK way."""
    if moment is None:
        return "unknown"
    local = moment.replace(tzinfo=UTC).astimezone() if moment.tzinfo is None else moment
    return f"{local:%d/%m/%Y %H:%M}"


def _init(args: argparse.Namespace) -> int:
    address = parse_address(args.url)
    outcome = server_admin.init_server(address)
    where = f"{address.host}/{address.database}"
    if not outcome.changed:
        print(
            f"{where} was already a DOM Desk server with every role and grant in place: "
            "nothing changed."
        )
        return 0
    print(f"{where} is a DOM Desk server: schema national, its catalog of regions and roles.")
    print(f"Read-only role (every region, the national view): {outcome.national_role}")
    for role in outcome.editor_roles:
        print(f"Editor role: {role}")
    print(
        "Publish a region with dom-desk server publish FILE.domdesk URL; each region gets "
        "its editor role then. Give people a login in a role: CREATE ROLE alice LOGIN "
        "PASSWORD '...' IN ROLE <role>, or dom-desk server grant URL alice --region NAME."
    )
    return 0


def _publish(args: argparse.Namespace) -> int:
    address = parse_address(args.url)
    if not args.file.is_file():
        raise DomDeskError(f"There is no workbook at '{args.file}'.")
    region = server_admin.publish(args.file, address, replace=args.replace)
    opened = address.with_region(region_slug(region)).for_recent()
    verb = "Replaced" if args.replace else "Published"
    print(f"{verb} {region} on {address.host}/{address.database}. Open it with {opened}")
    return 0


def _status(args: argparse.Namespace) -> int:
    address = parse_address(args.url)
    status = server_admin.server_status(address)
    print(f"DOM Desk server {status.where} (this version writes schema {status.head_revision})")
    print(f"Regions ({len(status.regions)}):" if status.regions else "Regions: none yet.")
    for region in status.regions:
        revision = region.revision or "none"
        if region.revision and region.revision < status.head_revision:
            revision += " (older: run dom-desk server upgrade)"
        elif region.revision and region.revision > status.head_revision:
            revision += " (newer than this DOM Desk)"
        print(
            f"  {region.name}: schema {region.schema_name} at {revision}, published "
            f"{_when(region.published_at)} by {region.published_by}"
        )
        if region.changed_at is None:
            changed = "no changes recorded"
        else:
            machine = f" on {region.changed_on}" if region.changed_on else ""
            changed = f"last change {_when(region.changed_at)} by {region.changed_by}{machine}"
        print(
            f"    {changed}; {counted(region.records, 'record')}, "
            f"{counted(region.audit_entries, 'audit entry', 'audit entries')}; "
            f"editors: role {region.editor_role}"
        )
    print(f"Read-only role: {status.national_role}")
    if status.connected:
        print(f"Connected ({len(status.connected)}):")
    else:
        print("Connected: nobody else.")
    for person in status.connected:
        since = f" since {_when(person.since)}" if person.since else ""
        machine = f" on {person.machine}" if person.machine else ""
        several = f" ({person.connections} connections)" if person.connections > 1 else ""
        print(f"  {person.user}{machine}{since}{several}")
    for stray in status.strays:
        print(
            f"Not a region: schema {stray} is not in the server's catalog (a publish made "
            "by hand or interrupted by an older version); nobody can open it. Publish the "
            "region with --replace to put it right, or drop the schema."
        )
    return 0


def _upgrade(args: argparse.Namespace) -> int:
    address = parse_address(args.url)
    done = server_admin.upgrade_regions(address)
    if not done:
        print("No regions on the server yet: nothing to upgrade.")
    for region, before, after in done:
        if before == after:
            print(f"{region} is at schema {after} already.")
        else:
            print(f"Upgraded {region} from schema {before} to {after}.")
    return 0


def _grant(args: argparse.Namespace) -> int:
    address = parse_address(args.url)
    region = None if args.national else args.region
    role, changed = server_admin.grant(address, args.user, region, revoke=args.revoke)
    what = "read every region" if region is None else f"edit {region}"
    if args.revoke:
        said = f"{args.user} may no longer {what}" if changed else f"{args.user} could not {what}"
    else:
        said = f"{args.user} may now {what}" if changed else f"{args.user} could already {what}"
    print(f"{said} (role {role}){'' if changed else '; nothing changed'}.")
    return 0
