"""The team server's own tables, in its ``national`` schema: which regions it holds.

``dom-desk server init`` creates them; opening a region checks them, as opening a file
checks its application id: a database without them is not a DOM Desk server, and a
schema not listed is not a region of it.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, MetaData, String, Table

from dom_desk.storage.server_address import NATIONAL_SCHEMA

catalog = MetaData(schema=NATIONAL_SCHEMA)

#: One row per region published on the server.
region_table = Table(
    "region",
    catalog,
    Column("schema_name", String(63), primary_key=True),
    Column("region_name", String(80), nullable=False, unique=True),
    Column("published_at", DateTime, nullable=False),
    Column("published_by", String(80), nullable=False),
)
