"""Setting up a team server and putting regions on it (``dom-desk server …``).

``init_server`` makes a database a DOM Desk server: the ``national`` schema with its
catalog of regions, and the group roles (``server_roles``). ``publish`` uploads a
region's workbook file into a schema of its own in ONE transaction: the schema, its
tables (Alembic run on that transaction's connection), its rows, its catalog entry and
its grants commit together, so a publish that is refused, fails or is killed leaves
nothing behind, and ``--replace`` leaves the old region whole until the new one is in.
``server_status`` is what ``dom-desk server status`` prints; ``upgrade_regions`` migrates
every region (editors cannot: they have no CREATE); ``grant`` puts a login in a group.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import NoReturn, TypeVar

from sqlalchemy import Connection, Engine, create_engine, delete, insert, inspect, select, text
from sqlalchemy.exc import DBAPIError

from dom_desk.errors import DomDeskError, WorkbookError
from dom_desk.models import Base
from dom_desk.storage import audit, schema, server_roles
from dom_desk.storage.national_views import drop_views, refresh_views
from dom_desk.storage.server import make_server_engine, server_failure, sqlstate
from dom_desk.storage.server_address import (
    NATIONAL_SCHEMA,
    REGION_PREFIX,
    ServerAddress,
    region_schema,
    region_slug,
)
from dom_desk.storage.server_catalog import catalog, region_table
from dom_desk.storage.sqlite_file import inspect_file, sqlite_uri
from dom_desk.storage.transfer import copy_rows

T = TypeVar("T")


def _quoted(connection: Connection, name: str) -> str:
    return connection.dialect.identifier_preparer.quote(name)


def _admin_failure(exc: DBAPIError, address: ServerAddress, doing: str) -> DomDeskError | None:
    """A server's refusal of an administrator's command, in words."""
    state = sqlstate(exc)
    user = address.url.username or "this login"
    if state == "42501":
        return WorkbookError(
            f"'{user}' may not {doing} on {address.host}/{address.database}: run dom-desk "
            "server commands as the database's owner, with the right to create roles "
            "(CREATEROLE), or as a superuser."
        )
    if state == "55P03":
        return WorkbookError(
            f"Someone is saving a change on {address.host}/{address.database} at this "
            f"moment, so the server could not {doing}; nothing was changed. Try again in a "
            "minute (dom-desk server status shows who is connected)."
        )
    return server_failure(exc, address)


def _raise_in_words(exc: DBAPIError, address: ServerAddress, doing: str) -> NoReturn:
    """Raises the server's refusal in words, or ``exc`` itself when it is a fault."""
    failure = _admin_failure(exc, address, doing)
    if failure is None:
        raise exc
    raise failure from exc


def _run(address: ServerAddress, doing: str, job: Callable[[Connection], T]) -> T:
    """Runs ``job`` in one transaction on the database at ``address``."""
    engine = make_server_engine(address.with_region(None))
    try:
        with engine.begin() as connection:
            return job(connection)
    except DBAPIError as exc:
        _raise_in_words(exc, address, doing)
    finally:
        engine.dispose()


def _require_server(connection: Connection, address: ServerAddress) -> None:
    if not inspect(connection).has_table(region_table.name, schema=NATIONAL_SCHEMA):
        raise WorkbookError(
            f"The database '{address.database}' on {address.host} is not a DOM Desk server "
            "yet: run dom-desk server init on it first."
        )


def _catalog_rows(connection: Connection) -> list:
    return connection.execute(select(region_table).order_by(region_table.c.region_name)).all()


# --- init --------------------------------------------------------------------------------


@dataclass(frozen=True)
class InitOutcome:
    """What ``init_server`` found and did."""

    changed: bool
    national_role: str
    editor_roles: tuple[str, ...]


def init_server(address: ServerAddress) -> InitOutcome:
    """Makes the database a DOM Desk server: the ``national`` schema and its catalog of
    regions, the read-only role and each listed region's editor role with their grants.
    Idempotent: on a server already set up it changes nothing, and ``changed`` says so."""

    def job(connection: Connection) -> InitOutcome:
        before = _privileges_if_any(connection, address)
        connection.exec_driver_sql(
            f"CREATE SCHEMA IF NOT EXISTS {_quoted(connection, NATIONAL_SCHEMA)}"
        )
        catalog.create_all(connection)
        _grant_all(connection, address)  # and the national views
        after = server_roles.privileges(connection, address)
        editors = tuple(
            server_roles.editor_role(address, row.schema_name) for row in _catalog_rows(connection)
        )
        return InitOutcome(before != after, server_roles.national_role(address), editors)

    return _run(address, "set the server up", job)


def _privileges_if_any(connection: Connection, address: ServerAddress):  # noqa: ANN202
    if not inspect(connection).has_table(region_table.name, schema=NATIONAL_SCHEMA):
        return None
    return server_roles.privileges(connection, address)


def _grant_all(connection: Connection, address: ServerAddress) -> None:
    """Every role and grant, and the national views over every region (made again, so
    a region published or upgraded since is in them)."""
    national = server_roles.national_role(address)
    server_roles.ensure_role(connection, national)
    server_roles.grant_national(connection, address)
    for row in _catalog_rows(connection):
        if inspect(connection).has_schema(row.schema_name):
            server_roles.grant_region(connection, address, row.schema_name)
    refresh_views(connection, national)


# --- publish ------------------------------------------------------------------------------


def _read_only_connection(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(sqlite_uri(path, read_only=True), uri=True)


def _reading_engine(path: Path) -> Engine:
    return create_engine("sqlite://", creator=lambda: _read_only_connection(path))


def region_name_of(path: Path) -> str:
    """The name of the region a workbook file holds; refused in words if none."""
    reading = _reading_engine(path)
    try:
        with reading.connect() as connection:
            name = connection.execute(text("SELECT name FROM region")).scalar()
    finally:
        reading.dispose()
    if not name:
        raise WorkbookError(f"'{path.name}' has no region to publish.")
    return name


def check_current(path: Path) -> None:
    """Refuses a workbook at an older schema revision (or not a workbook), in words."""
    revision = inspect_file(path)
    if revision != schema.head_revision():
        raise WorkbookError(
            f"'{path.name}' is at schema {revision}; open it once in this version of DOM Desk "
            "(which upgrades it) before publishing it."
        )


def publish(path: Path, address: ServerAddress, replace: bool = False) -> str:
    """Uploads the workbook at ``path`` into its region's schema on the server; returns
    the region's name. Refused if the server already holds that region, unless
    ``replace``; the workbook must be at the current schema revision (open it once in
    this version to upgrade it). One transaction: all of it or none of it."""
    path = Path(path)
    check_current(path)
    region = region_name_of(path)
    schema_name = region_schema(region)
    target = address.with_region(region_slug(region))
    reading = _reading_engine(path)
    engine = make_server_engine(target.with_region(None))
    try:
        with reading.connect() as source, engine.begin() as connection:
            _require_server(connection, target)
            replaced = _make_room(connection, target, region, schema_name, replace)
            quoted = _quoted(connection, schema_name)
            connection.exec_driver_sql(f"CREATE SCHEMA {quoted}")
            # Only for this transaction: the tables Alembic makes and the rows copied go
            # into the new schema; the catalog is named with its own schema.
            connection.exec_driver_sql(f"SET LOCAL search_path TO {quoted}")
            schema.create_in(connection)
            copy_rows(source, connection)
            if replaced is not None:
                _keep_ids_past(connection, schema_name, replaced)
                _record_replacement(connection, path)
            connection.execute(
                insert(region_table).values(
                    schema_name=schema_name,
                    region_name=region,
                    published_at=audit.now(),
                    published_by=connection.execute(text("SELECT current_user")).scalar(),
                )
            )
            national = server_roles.national_role(target)
            server_roles.ensure_role(connection, national)
            server_roles.grant_region(connection, target, schema_name)
            refresh_views(connection, national)  # the national views now read it too
    except DBAPIError as exc:
        if sqlstate(exc) in ("23505", "42P06"):  # another publish of it committed first
            raise _already_held(target, region) from exc
        _raise_in_words(exc, target, f"publish {region}")
    finally:
        engine.dispose()
        reading.dispose()
    return region


def _already_held(address: ServerAddress, region: str) -> WorkbookError:
    return WorkbookError(
        f"The server {address.host}/{address.database} already holds {region}, so nothing "
        "was published; publish with --replace to overwrite it (take a backup first: "
        "dom-desk backups --db URL)."
    )


def _make_room(
    connection: Connection, address: ServerAddress, region: str, schema_name: str, replace: bool
) -> dict[str, int] | None:
    """Drops the region being replaced (refused without ``replace``); returns the next
    id each of its sequences would have handed out, or None when there was none."""
    held = connection.execute(
        select(region_table.c.region_name).where(region_table.c.schema_name == schema_name)
    ).scalar()
    exists = inspect(connection).has_schema(schema_name)
    if (held or exists) and not replace:
        raise _already_held(address, held or region)
    replaced = _next_ids(connection, schema_name) if exists else None
    connection.execute(delete(region_table).where(region_table.c.schema_name == schema_name))
    connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {_quoted(connection, schema_name)} CASCADE")
    return replaced


def _next_ids(connection: Connection, schema_name: str) -> dict[str, int]:
    """The next id of each sequence in the schema."""
    q = _quoted(connection, schema_name)
    names = connection.execute(
        text(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = :s AND c.relkind = 'S'"
        ),
        {"s": schema_name},
    ).scalars()
    found = {}
    for name in list(names):
        last, called = connection.exec_driver_sql(
            f"SELECT last_value, is_called FROM {q}.{_quoted(connection, name)}"
        ).one()
        found[name] = last + 1 if called else last
    return found


def _keep_ids_past(connection: Connection, schema_name: str, replaced: dict[str, int]) -> None:
    """Never hands out again an id the replaced region used: records made there since the
    backup (and laptops checked out from it) keep ids nobody else will be given."""
    q = _quoted(connection, schema_name)
    now = _next_ids(connection, schema_name)
    for name, next_id in replaced.items():
        if name in now and next_id > now[name]:
            connection.execute(
                text("SELECT setval(CAST(:seq AS regclass), :n, false)"),
                {"seq": f"{q}.{_quoted(connection, name)}", "n": next_id},
            )


def _record_replacement(connection: Connection, path: Path) -> None:
    """An audit entry past every one the replaced region had: windows open on the region
    see a change and show the new figures, and the trail says what happened."""
    from dom_desk.models import AuditEntry

    region_id = connection.execute(text("SELECT min(id) FROM region")).scalar()
    connection.execute(
        insert(AuditEntry.__table__).values(
            at=audit.now(),
            user=audit.current_user(),
            machine=audit.current_machine(),
            action="replaced",
            entity="region",
            entity_id=region_id,
            field="",
            note=f"The region was replaced on the server from '{path.name}'.",
        )
    )


# --- status -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegionStatus:
    name: str
    schema_name: str
    editor_role: str
    revision: str | None
    published_at: datetime
    published_by: str
    #: The newest audit entry: when (UTC), who and from which machine; None if none.
    changed_at: datetime | None
    changed_by: str
    changed_on: str
    #: Rows in the region's tables other than its audit trail.
    records: int
    audit_entries: int


@dataclass(frozen=True)
class Connected:
    """Someone with DOM Desk connected to the database (one line per user and machine)."""

    user: str
    machine: str
    #: When their oldest connection started (UTC); None when the server does not show
    #: other users' sessions to this login (grant it pg_read_all_stats).
    since: datetime | None
    connections: int


@dataclass(frozen=True)
class ServerStatus:
    where: str
    national_role: str
    head_revision: str
    regions: tuple[RegionStatus, ...]
    connected: tuple[Connected, ...]
    #: Region-like schemas the catalog does not list (a publish made some other way or
    #: interrupted by an older version): not opened by anyone.
    strays: tuple[str, ...]


def server_status(address: ServerAddress) -> ServerStatus:
    """The server's regions, who is connected, and any schema that is not a region."""

    def job(connection: Connection) -> ServerStatus:
        _require_server(connection, address)
        rows = _catalog_rows(connection)
        schemas = set(inspect(connection).get_schema_names())
        regions = tuple(_region_status(connection, address, row, schemas) for row in rows)
        listed = {row.schema_name for row in rows}
        strays = tuple(
            sorted(s for s in schemas if s.startswith(REGION_PREFIX) and s not in listed)
        )
        return ServerStatus(
            f"{address.host}/{address.database}",
            server_roles.national_role(address),
            schema.head_revision(),
            regions,
            _connected(connection),
            strays,
        )

    return _run(address, "read its status", job)


def _region_status(
    connection: Connection, address: ServerAddress, row, schemas: set[str]
) -> RegionStatus:
    name = row.schema_name
    revision, changed, records, entries = None, None, 0, 0
    if name in schemas:
        q = _quoted(connection, name)
        present = set(inspect(connection).get_table_names(schema=name))
        if "alembic_version" in present:
            revision = connection.exec_driver_sql(
                f"SELECT version_num FROM {q}.alembic_version"
            ).scalar()
        counted = [
            t.name
            for t in Base.metadata.sorted_tables
            if t.name in present and t.name != "audit_entry"
        ]
        if counted:
            records = connection.exec_driver_sql(
                "SELECT "
                + " + ".join(
                    f"(SELECT count(*) FROM {q}.{_quoted(connection, t)})" for t in counted
                )
            ).scalar_one()
        if "audit_entry" in present:
            columns = {
                c["name"] for c in inspect(connection).get_columns("audit_entry", schema=name)
            }
            machine = "machine" if "machine" in columns else "''"
            changed = connection.exec_driver_sql(
                f'SELECT at, "user", {machine} FROM {q}.audit_entry ORDER BY id DESC LIMIT 1'
            ).first()
            entries = connection.exec_driver_sql(
                f"SELECT count(*) FROM {q}.audit_entry"
            ).scalar_one()
    return RegionStatus(
        row.region_name,
        name,
        server_roles.editor_role(address, name),
        revision,
        row.published_at,
        row.published_by,
        changed[0] if changed else None,
        changed[1] if changed else "",
        changed[2] if changed else "",
        records,
        entries,
    )


_MACHINE = re.compile(r"^DOM Desk \((.*)\)$")


def _connected(connection: Connection) -> tuple[Connected, ...]:
    rows = connection.execute(
        text(
            "SELECT usename, application_name, backend_start FROM pg_stat_activity "
            "WHERE datname = current_database() AND application_name LIKE 'DOM Desk%' "
            "AND pid <> pg_backend_pid()"
        )
    ).all()
    people: dict[tuple[str, str], list] = {}
    for user, application, since in rows:
        match = _MACHINE.match(application or "")
        machine = match.group(1) if match else ""
        people.setdefault((user or "", machine), []).append(since)
    found = []
    for (user, machine), starts in sorted(people.items()):
        known = [s for s in starts if s is not None]
        first = min(known).astimezone().replace(tzinfo=None) if known else None
        found.append(Connected(user, machine, first, len(starts)))
    return tuple(found)


# --- upgrade and grants -------------------------------------------------------------------


def upgrade_regions(address: ServerAddress) -> list[tuple[str, str | None, str]]:
    """Brings every region to this version's schema (each under its advisory lock, as
    opening one does) and grants again what a migration's new tables need. Returns
    (region, revision before, revision now) for each region."""
    rows = _run(
        address, "read its regions", lambda c: (_require_server(c, address), _catalog_rows(c))[1]
    )
    # The national views name the regions' columns, and PostgreSQL refuses to alter a
    # column a view uses: they are set aside while the regions migrate, then made again
    # over the new tables (with their grants) whatever happened.
    _run(address, "set the national views aside", drop_views)
    done = []
    try:
        for row in rows:
            done.append(_upgrade_region(address, row.region_name, row.schema_name))
    finally:
        _run(address, "grant the regions' roles", lambda c: _grant_all(c, address))
    return done


def _upgrade_region(
    address: ServerAddress, region: str, schema_name: str
) -> tuple[str, str | None, str]:
    from dom_desk.storage.server import check_revision, schema_revision

    target = address.with_region(region_slug(region))
    engine = make_server_engine(target, schema_name)
    try:
        before = schema_revision(engine)
        check_revision(engine, target, read_only=False)
        return region, before, schema_revision(engine) or ""
    except DBAPIError as exc:
        _raise_in_words(exc, target, f"upgrade {region}")
    finally:
        engine.dispose()


def group_role(connection: Connection, address: ServerAddress, region: str | None) -> str:
    """The group role for ``region`` (a name or slug on the server) or, with None, the
    read-only national role; refuses a region the server does not hold."""
    if region is None:
        return server_roles.national_role(address)
    wanted = region_schema(region)
    rows = _catalog_rows(connection)
    if wanted not in {row.schema_name for row in rows}:
        names = ", ".join(row.region_name for row in rows) or "none yet"
        raise WorkbookError(
            f"There is no region '{region}' on {address.host}/{address.database} "
            f"(regions there: {names})."
        )
    return server_roles.editor_role(address, wanted)


def grant(
    address: ServerAddress, user: str, region: str | None, revoke: bool = False
) -> tuple[str, bool]:
    """Puts the login ``user`` into the editors of ``region`` (or, with None, the national
    readers), or with ``revoke`` takes them out. Returns the role and whether anything
    changed."""

    def job(connection: Connection) -> tuple[str, bool]:
        _require_server(connection, address)
        role = group_role(connection, address, region)
        server_roles.ensure_role(connection, role)
        return role, server_roles.grant_membership(connection, role, user, not revoke)

    return _run(address, "grant roles", job)
