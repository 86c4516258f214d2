"""Who may do what on a team server: PostgreSQL's own roles and privileges.

DOM Desk makes group roles (NOLOGIN) and grants them what they need; the people are
login roles the administrator makes and puts in a group::

    CREATE ROLE alice LOGIN PASSWORD '...' IN ROLE domdesk_edit_north_west;

- ``<db>_edit_<region>`` edits one region: USAGE on its schema, SELECT, INSERT, UPDATE
  and DELETE on its tables, USAGE, SELECT and UPDATE on its sequences (new ids), SELECT
  on the server's catalog of regions; never CREATE, so the schema's shape is the
  administrator's (``dom-desk server upgrade``) and its schema revision cannot be written.
- ``<db>_national`` reads everything: USAGE on ``national`` and every region's schema and
  SELECT on their tables. It can write nothing, and the database itself refuses it.

Default privileges cover the tables a later migration adds; ``dom-desk server init`` (and
``upgrade``) grant everything again, which changes nothing when all is in place.

Roles belong to the whole PostgreSQL cluster, not to one database, so their names start
with the database's: a cluster often holds a training or trial copy beside the live
database (``domdesk`` and ``domdesk_training``), and an editor of the copy's North West
must not thereby edit the live one. With a database named ``dom_desk`` the roles are
``dom_desk_national`` and ``dom_desk_edit_north_west``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from sqlalchemy import Connection, text

from dom_desk.errors import WorkbookError
from dom_desk.storage.server_address import NATIONAL_SCHEMA, REGION_PREFIX, ServerAddress

#: Longest role name PostgreSQL keeps (NAMEDATALEN - 1).
_MAX_NAME = 63
#: Longest database part of a role name: the longest region ("yorkshire_and_the_humber")
#: with "_edit_" still fits.
_MAX_PREFIX = 32


def role_prefix(database: str) -> str:
    """The start of every role name for ``database``: its name in lower case letters,
    digits and underscores, cut (with a hash to keep it apart) when very long."""
    plain = re.sub(r"[^a-z0-9]+", "_", database.casefold()).strip("_") or "dom_desk"
    if len(plain) > _MAX_PREFIX:
        tag = hashlib.sha256(database.encode()).hexdigest()[:8]
        plain = f"{plain[: _MAX_PREFIX - 9].rstrip('_')}_{tag}"
    return plain


def national_role(address: ServerAddress) -> str:
    """The read-only group role of the database at ``address``."""
    return f"{role_prefix(address.database)}_national"


def editor_role(address: ServerAddress, schema_name: str) -> str:
    """The group role that edits the region kept in ``schema_name``."""
    region = schema_name.removeprefix(REGION_PREFIX)
    return f"{role_prefix(address.database)}_edit_{region}"[:_MAX_NAME]


def _q(connection: Connection, name: str) -> str:
    return connection.dialect.identifier_preparer.quote_identifier(name)


def _role_exists(connection: Connection, role: str) -> bool:
    found = connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role})
    return found.scalar() is not None


def ensure_role(connection: Connection, role: str) -> bool:
    """Creates the group role ``role`` (NOLOGIN) unless it exists; True when created."""
    if _role_exists(connection, role):
        return False
    connection.exec_driver_sql(f"CREATE ROLE {_q(connection, role)} NOLOGIN")
    return True


def grant_national(connection: Connection, address: ServerAddress) -> None:
    """The read-only role on the ``national`` schema (its catalog and views)."""
    reader = _q(connection, national_role(address))
    national = _q(connection, NATIONAL_SCHEMA)
    database = _q(connection, address.database)
    for sql in (
        f"GRANT CONNECT ON DATABASE {database} TO {reader}",
        f"GRANT USAGE ON SCHEMA {national} TO {reader}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA {national} TO {reader}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {national} GRANT SELECT ON TABLES TO {reader}",
    ):
        connection.exec_driver_sql(sql)


def grant_region(connection: Connection, address: ServerAddress, schema_name: str) -> None:
    """The region's editor role (made if missing) and the read-only role on its schema."""
    ensure_role(connection, editor_role(address, schema_name))
    editor = _q(connection, editor_role(address, schema_name))
    reader = _q(connection, national_role(address))
    region = _q(connection, schema_name)
    national = _q(connection, NATIONAL_SCHEMA)
    database = _q(connection, address.database)
    writes = "SELECT, INSERT, UPDATE, DELETE"
    ids = "USAGE, SELECT, UPDATE"
    for sql in (
        f"GRANT CONNECT ON DATABASE {database} TO {editor}",
        # Opening a region reads the catalog to find it; the national views are not theirs.
        f"GRANT USAGE ON SCHEMA {national} TO {editor}",
        f"GRANT SELECT ON {national}.region TO {editor}",
        f"GRANT USAGE ON SCHEMA {region} TO {editor}, {reader}",
        f"GRANT {writes} ON ALL TABLES IN SCHEMA {region} TO {editor}",
        f"GRANT {ids} ON ALL SEQUENCES IN SCHEMA {region} TO {editor}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA {region} TO {reader}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {region} GRANT {writes} ON TABLES TO {editor}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {region} GRANT {ids} ON SEQUENCES TO {editor}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {region} GRANT SELECT ON TABLES TO {reader}",
    ):
        connection.exec_driver_sql(sql)
    versions = connection.execute(
        text("SELECT to_regclass(:t)"), {"t": f"{region}.alembic_version"}
    ).scalar()
    if versions is not None:  # the schema revision is the administrator's to move
        connection.exec_driver_sql(
            f"REVOKE INSERT, UPDATE, DELETE ON {region}.alembic_version FROM {editor}"
        )


@dataclass(frozen=True)
class Privileges:
    """Everything ``init`` and ``publish`` grant, as the server's catalogs hold it: two
    equal snapshots mean nothing was changed in between."""

    roles: tuple[str, ...]
    database: str
    schemas: tuple[tuple[str, str], ...]
    tables: tuple[tuple[str, str, str], ...]
    defaults: tuple[tuple[str, str, str], ...]


def privileges(connection: Connection, address: ServerAddress) -> Privileges:
    """A snapshot of DOM Desk's roles and of every grant on its schemas."""
    prefix = role_prefix(address.database).replace("_", r"\_") + r"\_%"
    ours = "(n.nspname = :national OR n.nspname LIKE :regions)"
    where = {"national": NATIONAL_SCHEMA, "regions": REGION_PREFIX.replace("_", r"\_") + "%"}
    roles = connection.execute(
        text("SELECT rolname FROM pg_roles WHERE rolname LIKE :p ORDER BY 1"), {"p": prefix}
    ).scalars()
    database = connection.execute(
        text(
            "SELECT coalesce(datacl::text, '') FROM pg_database WHERE datname = current_database()"
        )
    ).scalar_one()
    schemas = connection.execute(
        text(
            "SELECT nspname, coalesce(nspacl::text, '') FROM pg_namespace n "
            f"WHERE {ours} ORDER BY 1"
        ),
        where,
    ).all()
    tables = connection.execute(
        text(
            "SELECT n.nspname, c.relname, coalesce(c.relacl::text, '') FROM pg_class c "
            f"JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {ours} ORDER BY 1, 2"
        ),
        where,
    ).all()
    defaults = connection.execute(
        text(
            "SELECT n.nspname, d.defaclobjtype::text, d.defaclacl::text FROM pg_default_acl d "
            f"JOIN pg_namespace n ON n.oid = d.defaclnamespace WHERE {ours} ORDER BY 1, 2"
        ),
        where,
    ).all()
    return Privileges(
        tuple(roles),
        database,
        tuple(tuple(row) for row in schemas),
        tuple(tuple(row) for row in tables),
        tuple(tuple(row) for row in defaults),
    )


def login_exists(connection: Connection, user: str) -> bool:
    """Whether ``user`` is a role that can log in."""
    found = connection.execute(
        text("SELECT rolcanlogin FROM pg_roles WHERE rolname = :r"), {"r": user}
    ).scalar()
    return bool(found)


def member_of(connection: Connection, user: str) -> list[str]:
    """The group roles ``user`` is directly a member of."""
    return list(
        connection.execute(
            text(
                "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
                "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = :u ORDER BY 1"
            ),
            {"u": user},
        ).scalars()
    )


def grant_membership(connection: Connection, role: str, user: str, grant: bool) -> bool:
    """Puts ``user`` into (or takes them out of) the group ``role``; True when that
    changed anything. Refuses, in words, a user who is not a login on the server."""
    if not login_exists(connection, user):
        raise WorkbookError(
            f"There is no login '{user}' on the server: make it first (CREATE ROLE "
            f"{user} LOGIN PASSWORD '...'; see docs/TEAM_SERVER.md), then grant it."
        )
    held = role in member_of(connection, user)
    if held == grant:
        return False
    verb = "GRANT {role} TO {user}" if grant else "REVOKE {role} FROM {user}"
    connection.exec_driver_sql(verb.format(role=_q(connection, role), user=_q(connection, user)))
    return True
