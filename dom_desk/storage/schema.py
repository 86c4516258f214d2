"""What makes a file a DOM Desk workbook: its application id, the schema revisions this
version knows, and Alembic to create or upgrade one.

Kept apart from opening files so that inspecting a workbook (``sqlite_file``) can say
"written by a newer version" without importing Alembic, which is slow to import.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Connection, Engine

#: ``PRAGMA application_id`` of every DOM Desk workbook ("DOMD").
APPLICATION_ID = 0x444F4D44
#: The advisory lock of the schema a server connection works in (migrations, check-ins).
SCHEMA_LOCK = "SELECT {function}(hashtext('dom-desk:' || current_schema()))"
MIGRATIONS = Path(__file__).parent.parent / "migrations"


def _alembic_config() -> Config:
    from alembic.config import Config  # alembic is slow to import: only when migrating

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def known_revisions() -> list[str]:
    """Schema revisions this version knows, oldest first.

    Read from the migration file names (``0002_commissioning_workspace.py`` is revision
    ``0002``; the history is linear), so opening a current file never imports Alembic.
    """
    return sorted(p.name.split("_", 1)[0] for p in (MIGRATIONS / "versions").glob("[0-9]*_*.py"))


def head_revision() -> str:
    """The schema revision this version of DOM Desk writes."""
    return known_revisions()[-1]


def initialise(engine: Engine) -> None:
    """Marks a new file as a DOM Desk workbook and creates the current schema in it."""
    with engine.begin() as connection:
        if connection.dialect.name == "sqlite":  # a server schema is identified by its catalog
            connection.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
        create_in(connection)


def create_in(connection: Connection) -> None:
    """Creates the current schema on ``connection`` inside the caller's transaction, which
    Alembic then leaves to the caller: a publish to the team server commits the region's
    schema, its rows and its catalog entry together, or none of them."""
    from alembic import command

    config = _alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def upgrade(engine: Engine) -> None:
    """Applies every pending migration (the caller has backed the file up first).

    On PostgreSQL the schema's advisory lock is held throughout, so two people opening an
    older region at once do not both migrate it: the second waits, then finds it done.
    """
    from alembic import command

    with engine.connect() as connection:
        server = connection.dialect.name == "postgresql"
        if server:
            connection.exec_driver_sql(SCHEMA_LOCK.format(function="pg_advisory_lock"))
            connection.commit()
        try:
            config = _alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            connection.commit()
        finally:
            if server:
                connection.rollback()
                connection.exec_driver_sql(SCHEMA_LOCK.format(function="pg_advisory_unlock"))
                connection.commit()
