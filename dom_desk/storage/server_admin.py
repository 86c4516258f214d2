"""Setting up a team server and putting regions on it (``dom-desk server …``).

``init_server`` makes a database a DOM Desk server: the ``national`` schema with its
catalog of regions. ``publish`` uploads a region's workbook file into a schema of its
own, with the current schema revision, in one transaction: a publish that fails leaves
no half region behind.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, create_engine, delete, insert, inspect, select, text
from sqlalchemy.exc import DBAPIError

from dom_desk.errors import DomDeskError, WorkbookError
from dom_desk.storage import audit, schema
from dom_desk.storage.national_views import refresh_views
from dom_desk.storage.server import make_server_engine, server_failure
from dom_desk.storage.server_address import (
    NATIONAL_SCHEMA,
    ServerAddress,
    region_schema,
    region_slug,
)
from dom_desk.storage.server_catalog import catalog, region_table
from dom_desk.storage.sqlite_file import inspect_file, sqlite_uri
from dom_desk.storage.transfer import copy_rows


def _quoted(connection: Connection, name: str) -> str:
    return connection.dialect.identifier_preparer.quote(name)


def _translated(exc: DBAPIError, address: ServerAddress) -> DomDeskError | DBAPIError:
    return server_failure(exc, address) or exc


def init_server(address: ServerAddress) -> None:
    """Makes the database a DOM Desk server (idempotent): the ``national`` schema and its
    catalog of regions."""
    engine = make_server_engine(address)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql(
                f"CREATE SCHEMA IF NOT EXISTS {_quoted(connection, NATIONAL_SCHEMA)}"
            )
            catalog.create_all(connection)
            refresh_views(connection)
    except DBAPIError as exc:
        raise _translated(exc, address) from exc
    finally:
        engine.dispose()


def _region_name_of(path: Path) -> str:
    reading = create_engine("sqlite://", creator=lambda: _read_only_connection(path))
    try:
        with reading.connect() as connection:
            name = connection.execute(text("SELECT name FROM region")).scalar()
    finally:
        reading.dispose()
    if not name:
        raise WorkbookError(f"'{path.name}' has no region to publish.")
    return name


def _read_only_connection(path: Path):  # noqa: ANN202 - a sqlite3 connection
    import sqlite3

    return sqlite3.connect(sqlite_uri(path, read_only=True), uri=True)


def publish(path: Path, address: ServerAddress, replace: bool = False) -> str:
    """Uploads the workbook at ``path`` into its region's schema on the server; returns
    the region's name. Refused if the server already holds that region, unless
    ``replace``; the workbook must be at the current schema revision (open it once in
    this version to upgrade it)."""
    path = Path(path)
    revision = inspect_file(path)
    if revision != schema.head_revision():
        raise WorkbookError(
            f"'{path.name}' is at schema {revision}; open it once in this version of DOM Desk "
            "(which upgrades it) before publishing it."
        )
    region = _region_name_of(path)
    schema_name = region_schema(region)
    target = address.with_region(region_slug(region))
    admin = make_server_engine(target)
    try:
        with admin.begin() as connection:
            _make_room(connection, target, schema_name, replace)
        engine = make_server_engine(target, schema_name)
        try:
            schema.initialise(engine)
            reading = create_engine("sqlite://", creator=lambda: _read_only_connection(path))
            try:
                with reading.connect() as source, engine.begin() as writing:
                    copy_rows(source, writing)
                    writing.execute(
                        insert(region_table).values(
                            schema_name=schema_name,
                            region_name=region,
                            published_at=audit.now(),
                            published_by=audit.current_user(),
                        )
                    )
                    refresh_views(writing)
            finally:
                reading.dispose()
        except BaseException:
            with admin.begin() as connection:
                connection.exec_driver_sql(
                    f"DROP SCHEMA IF EXISTS {_quoted(connection, schema_name)} CASCADE"
                )
            raise
        finally:
            engine.dispose()
    except DBAPIError as exc:
        raise _translated(exc, target) from exc
    finally:
        admin.dispose()
    return region


def _make_room(
    connection: Connection, address: ServerAddress, schema_name: str, replace: bool
) -> None:
    if not inspect(connection).has_table(region_table.name, schema=NATIONAL_SCHEMA):
        raise WorkbookError(
            f"The database '{address.database}' on {address.host} is not a DOM Desk server "
            "yet: run dom-desk server init on it first."
        )
    held = connection.execute(
        select(region_table.c.region_name).where(region_table.c.schema_name == schema_name)
    ).scalar()
    exists = inspect(connection).has_schema(schema_name)
    if (held or exists) and not replace:
        raise WorkbookError(
            f"The server already holds {held or address.region}; publish with --replace to "
            "overwrite it (take a backup first: dom-desk backups)."
        )
    connection.execute(delete(region_table).where(region_table.c.schema_name == schema_name))
    connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {_quoted(connection, schema_name)} CASCADE")
    connection.exec_driver_sql(f"CREATE SCHEMA {_quoted(connection, schema_name)}")
