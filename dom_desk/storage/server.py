"""A region on the team's PostgreSQL server, opened like a workbook file.

The server holds one schema per region; a ``ServerWorkbook`` works in one of them
through an engine whose connections have that schema first on their search path. There
is no editing lock: many people edit at once, each edit one SERIALIZABLE transaction, so
PostgreSQL itself refuses an edit that raced another (``SerializationConflict``, which
``storage.retry`` tries again a bounded number of times) and the rows' versions refuse a
write based on figures someone else has changed since they were read.

Opening checks the server as opening a file checks the file: that it is a DOM Desk
server (``server_catalog``), that the region is on it, and that the region's schema
revision is one this version knows; an older one is upgraded under an advisory lock so
two people opening it at once do not both migrate it.
"""

from __future__ import annotations

import logging
import re
import socket
from pathlib import Path

from sqlalchemy import Engine, create_engine, inspect, select, text
from sqlalchemy.exc import DBAPIError

from dom_desk.errors import (
    ConflictError,
    DomDeskError,
    SerializationConflict,
    StorageError,
    WorkbookError,
)
from dom_desk.storage import schema
from dom_desk.storage.server_address import NATIONAL_SCHEMA, ServerAddress, region_slug
from dom_desk.storage.server_catalog import region_table
from dom_desk.storage.sqlite_file import error_chain

log = logging.getLogger(__name__)

#: How long to wait for the server to answer a connection, in seconds.
CONNECT_TIMEOUT_S = 10
#: How long an edit waits for a row someone else is writing, in milliseconds.
LOCK_TIMEOUT_MS = 10_000


class ServerLoginError(WorkbookError):
    """The server wants a password (or refused the one given): ask for one and retry."""


class ServerUnavailable(StorageError):
    """The server could not be reached, or went away during a change."""


def make_server_engine(
    address: ServerAddress, schema_name: str | None = None, read_only: bool = False
) -> Engine:
    """The one factory for server engines: SERIALIZABLE transactions in ``schema_name``."""
    options = [f"-c lock_timeout={LOCK_TIMEOUT_MS}"]
    if schema_name:
        options.append(f"-c search_path={schema_name}")
    if read_only:
        options.append("-c default_transaction_read_only=on")
    return create_engine(
        address.sqlalchemy_url(),
        isolation_level="SERIALIZABLE",
        pool_pre_ping=True,
        pool_size=2,
        connect_args={
            "options": " ".join(options),
            "connect_timeout": CONNECT_TIMEOUT_S,
            "application_name": f"DOM Desk ({socket.gethostname()[:40]})",
        },
    )


#: A refused connection carries no SQLSTATE (libpq reports it as text), so the server's
#: FATAL line, or libpq's own, is read for the state the server would have given.
_CONNECTION_REFUSALS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r'database "[^"]*" does not exist'), "3D000"),
    (re.compile(r'role "[^"]*" does not exist'), "28000"),
    (re.compile(r"password authentication failed|no password supplied"), "28P01"),
    (re.compile(r"permission denied for database|not permitted to log in"), "42501"),
    (re.compile(r"no pg_hba\.conf entry"), "28000"),
)


def sqlstate(exc: BaseException) -> str | None:
    """PostgreSQL's SQLSTATE carried by ``exc`` or what caused it, if any."""
    for item in error_chain(exc):
        state = getattr(item, "sqlstate", None)
        if isinstance(state, str):
            return state
    for item in error_chain(exc):
        for pattern, state in _CONNECTION_REFUSALS:
            if pattern.search(str(item)):
                return state
    return None


def _is_connection_failure(exc: BaseException) -> bool:
    import psycopg

    return any(
        isinstance(item, psycopg.OperationalError) and getattr(item, "sqlstate", None) is None
        for item in error_chain(exc)
    ) or (isinstance(exc, DBAPIError) and exc.connection_invalidated)


def server_failure(
    exc: BaseException,
    address: ServerAddress,
    read_only: bool = False,
    what: str = "",
    name: str = "",
) -> DomDeskError | None:
    """A server's refusal in one sentence the user can act on; None for a fault.

    ``what`` names the records the transaction had changed ("risk 12"), for a conflict;
    ``name`` is the region's name as the server lists it.
    """
    where = f"the server {address.host}"
    region = name or address.region or address.database
    state = sqlstate(exc)
    if state in ("40001", "40P01"):
        about = f" ({what})" if what else ""
        return SerializationConflict(
            f"Someone else changed the same records{about} in {region} at the same moment, "
            "so this change was not saved. Reload to see their figures, then try again."
        )
    if state == "55P03":
        return ConflictError(
            f"Someone else is saving a change to the same record in {region} right now, "
            "so this change was not saved. Try again in a moment."
        )
    user = address.url.username or "you"
    if state == "28000":
        return WorkbookError(
            f"{where.capitalize()} has no login for '{user}' from this computer: ask whoever "
            "runs it to add you (dom-desk server grant)."
        )
    if state == "28P01":
        if address.has_password:
            return ServerLoginError(f"{where.capitalize()} refused the password for '{user}'.")
        return ServerLoginError(f"{where.capitalize()} needs a password for '{user}'.")
    if state == "3D000":
        return WorkbookError(f"There is no database '{address.database}' on {where}.")
    if state == "42501":
        if read_only:
            return WorkbookError(f"You may not read {region} on {where}.")
        return WorkbookError(
            f"You may read {region} on {where} but not change it, so nothing was saved."
        )
    if state == "25006":
        return WorkbookError(f"{region} is open read-only, so the change was not saved.")
    if state == "53100":
        return StorageError(
            f"Could not save to {region}: the disk of {where} is full. Nothing from this "
            "change was written; your earlier work is safe. Tell whoever runs the server."
        )
    if state in ("53300", "57P03"):
        return ServerUnavailable(
            f"{where.capitalize()} is not accepting connections just now (it is starting "
            "up or has too many). Nothing was written; try again in a minute."
        )
    if state in ("57P01", "57P02") or (state or "").startswith("08") or _is_connection_failure(exc):
        return ServerUnavailable(
            f"Could not reach {where}, or the connection was lost: nothing from this change "
            "was saved there. Check the network and that the server is running, then try "
            "again (Take Offline keeps you working without it)."
        )
    if state == "57014":
        return ServerUnavailable(
            f"{where.capitalize()} took too long to answer, so the change was not saved."
        )
    return None


def check_catalog(engine: Engine, address: ServerAddress) -> str:
    """The region's name as the server lists it; refuses, in words, a database that is
    not a DOM Desk server or does not hold the region."""
    with engine.connect() as connection:
        if not inspect(connection).has_table(region_table.name, schema=NATIONAL_SCHEMA):
            raise WorkbookError(
                f"The database '{address.database}' on {address.host} is not a DOM Desk "
                "server (run dom-desk server init on it first)."
            )
        rows = connection.execute(
            select(region_table.c.schema_name, region_table.c.region_name)
        ).all()
        # A region whose schema this login may not even look into (an editor of another
        # region) would otherwise read as one with no schema revision, "newer".
        allowed = connection.execute(
            text("SELECT has_schema_privilege(oid, 'USAGE') FROM pg_namespace WHERE nspname = :s"),
            {"s": address.schema},
        ).scalar()
    schemas = {row.schema_name: row.region_name for row in rows}
    if address.schema not in schemas:
        names = ", ".join(sorted(region_slug(name) for name in schemas.values())) or "none yet"
        raise WorkbookError(
            f"There is no region '{address.region}' on {address.host}/{address.database} "
            f"(regions there: {names})."
        )
    if allowed is False:
        raise WorkbookError(
            f"You may not read {schemas[address.schema]} on the server {address.host}: ask "
            "whoever runs it to add your login to the region's role (dom-desk server grant)."
        )
    return schemas[address.schema]


def schema_revision(engine: Engine) -> str | None:
    """The Alembic revision of the schema ``engine`` works in, or None if it has none."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def check_revision(engine: Engine, address: ServerAddress, read_only: bool) -> None:
    """A region written by a newer DOM Desk is refused; an older one is upgraded (under
    the schema's advisory lock), or refused when opened read-only."""
    revision = schema_revision(engine)
    if revision == schema.head_revision():
        return
    name = address.region
    if revision is None or revision not in schema.known_revisions():
        raise WorkbookError(
            f"{name} on {address.host} was written by a newer version of DOM Desk "
            f"(schema {revision}). Install the latest DOM Desk to open it."
        )
    if read_only:
        raise WorkbookError(f"{name} on {address.host} needs upgrading before it can be read.")
    try:
        schema.upgrade(engine)
    except DBAPIError as exc:
        if sqlstate(exc) != "42501":
            raise
        # Editors may not change a schema's shape: the administrator upgrades.
        raise WorkbookError(
            f"{name} on {address.host} needs upgrading to this version of DOM Desk, which "
            "only whoever runs the server may do (dom-desk server upgrade)."
        ) from exc


def save_snapshot(engine: Engine, target: Path) -> None:
    """Writes a consistent snapshot of the region ``engine`` works in to a new workbook
    file at ``target`` (a backup, Save a copy, a check-out): one REPEATABLE READ read,
    written under a temporary name and renamed into place, so a half-written snapshot is
    never left where a workbook is expected."""
    from dom_desk.storage.sqlite_file import make_engine
    from dom_desk.storage.transfer import copy_rows

    target = Path(target)
    partial = target.with_name(target.name + ".partial")
    _remove_with_sidecars(partial)
    copy = make_engine(partial)
    try:
        schema.initialise(copy)
        reading_engine = engine.execution_options(isolation_level="REPEATABLE READ")
        with reading_engine.connect() as reading, copy.begin() as writing:
            copy_rows(reading, writing)
        with copy.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    except BaseException:
        copy.dispose()
        _remove_with_sidecars(partial)
        raise
    copy.dispose()
    partial.replace(target)


def _remove_with_sidecars(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
