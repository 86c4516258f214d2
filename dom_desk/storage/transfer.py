"""Copying a whole region between databases: a file onto the server and back.

Publishing a workbook to the team server, checking a region out to a laptop and backing
a server region up to a ``.domdesk`` file are the same job: every table's rows, parents
before children (``Base.metadata.sorted_tables``), read and written with Core so each
value goes through its column's own type on both sides (text decimals on SQLite, NUMERIC
on PostgreSQL). The caller owns both transactions, so a copy is all or nothing.
"""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from dom_desk.models import AuditEntry, Base

#: Rows inserted per statement: large enough to be quick, small enough for any driver.
_CHUNK = 2000


def copy_rows(reading: Connection, writing: Connection) -> dict[str, int]:
    """Copies every model table's rows from ``reading`` into the empty tables of
    ``writing``; returns the number of rows copied per table. On PostgreSQL each id
    sequence is then set past every id used (``reset_sequences``)."""
    copied: dict[str, int] = {}
    for table in Base.metadata.sorted_tables:
        order = list(table.primary_key.columns) or list(table.columns)
        result = reading.execute(table.select().order_by(*order)).mappings()
        count = 0
        while chunk := result.fetchmany(_CHUNK):
            writing.execute(table.insert(), [dict(row) for row in chunk])
            count += len(chunk)
        copied[table.name] = count
    if writing.dialect.name == "postgresql":
        reset_sequences(writing)
    return copied


def reset_sequences(connection: Connection) -> None:
    """Sets each table's id sequence one past its largest id and every id its audit trail
    names, as ``audit.fresh_id`` counts on SQLite: a deleted record's id is never handed
    out again (it would inherit the old record's history)."""
    named = dict(
        connection.execute(
            select(AuditEntry.entity, func.max(AuditEntry.entity_id)).group_by(AuditEntry.entity)
        ).all()
    )
    for table in Base.metadata.sorted_tables:
        if "id" not in table.c or not table.c.id.primary_key:
            continue
        quoted = connection.dialect.identifier_preparer.quote(table.name)
        sequence = connection.execute(
            select(func.pg_get_serial_sequence(quoted, "id"))
        ).scalar_one()
        if sequence is None:  # an id the database does not number
            continue
        held = connection.execute(select(func.max(table.c.id))).scalar_one() or 0
        highest = max(held, named.get(table.name) or 0)
        connection.execute(select(func.setval(sequence, highest + 1, False)))
