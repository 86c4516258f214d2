"""The ``national`` schema's views: every region's figures in one table, with a region column.

A team server holds one schema per region (``region_north_west``). National HQ reads
them side by side through views in the ``national`` schema, each the UNION ALL of one
SELECT per region listed in ``national.region``, its first column the region's name::

    SELECT region, sum(committed) FROM national.allocations WHERE year = '2009-10'
    GROUP BY region;

``refresh_views`` (re)creates them; ``server init`` and ``server publish`` call it, since
a view names the schemas it reads and a region published later is not in the old ones.
Money is integer pence (``bigint``), measured values ``numeric``, enumerations their stored
names. The views only read: the server's read-only national role (``server_roles``) is
granted SELECT on them and nothing else, so a national session cannot write, by the
database's own permissions. ``drop_views`` lets a region's schema change underneath them
(PostgreSQL refuses a migration that alters a column a view reads); refresh them after.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, inspect, literal, select, text

from dom_desk.storage.server_address import NATIONAL_SCHEMA
from dom_desk.storage.server_catalog import region_table


@dataclass(frozen=True)
class ViewColumn:
    name: str
    #: The column's PostgreSQL type: every region's SELECT casts to it, and an empty
    #: view (no region yet) still has typed columns.
    type: str
    #: Its expression over the aliases of ``View.source``.
    expr: str


@dataclass(frozen=True)
class View:
    name: str
    about: str
    columns: tuple[ViewColumn, ...]
    #: FROM ... (WHERE ...) with ``{s}`` for the region's quoted schema.
    source: str


def _c(name: str, type_: str, expr: str | None = None) -> ViewColumn:
    return ViewColumn(name, type_, expr or name)


VIEWS: tuple[View, ...] = (
    View(
        "allocations",
        "Every region's allocations: committed is agreed, else provisional, else baseline (pence).",
        (
            _c("year", "text", "y.label"),
            _c("provider", "text", "p.name"),
            _c("provider_kind", "text", "p.kind"),
            _c("agreement", "text", "g.title"),
            _c("agreement_kind", "text", "g.kind"),
            _c("service", "text", "v.name"),
            _c("baseline", "bigint", "a.baseline"),
            _c("provisional", "bigint", "a.provisional"),
            _c("agreed", "bigint", "a.agreed"),
            _c("committed", "bigint", "COALESCE(a.agreed, a.provisional, a.baseline)"),
            _c("illustrative", "boolean", "a.illustrative"),
        ),
        "FROM {s}.allocation a"
        " JOIN {s}.financial_year y ON y.id = a.year_id"
        " JOIN {s}.agreement g ON g.id = a.agreement_id"
        " JOIN {s}.provider p ON p.id = g.provider_id"
        " LEFT JOIN {s}.service_line l ON l.id = a.service_line_id"
        " LEFT JOIN {s}.service v ON v.id = l.service_id",
    ),
    View(
        "envelope",
        "Every region's envelope lines by year and funding source (pence).",
        (
            _c("year", "text", "y.label"),
            _c("funding_source", "text", "f.name"),
            _c("envelope_group", "text", "eg.name"),
            _c("line", "text", "e.name"),
            _c("amount", "bigint", "e.amount"),
            _c("illustrative", "boolean", "e.illustrative"),
        ),
        "FROM {s}.envelope_line e"
        " JOIN {s}.financial_year y ON y.id = e.year_id"
        " JOIN {s}.funding_source f ON f.id = e.funding_source_id"
        " LEFT JOIN {s}.envelope_group eg ON eg.id = e.group_id",
    ),
    View(
        "targets",
        "Every region's targets: a measure's value agreed for one provider and year.",
        (
            _c("year", "text", "y.label"),
            _c("provider", "text", "p.name"),
            _c("measure", "text", "m.code"),
            _c("measure_title", "text", "m.title"),
            _c("unit", "text", "m.unit"),
            _c("direction", "text", "m.direction"),
            _c("value", "numeric", "t.value"),
            _c("minimum", "numeric", "t.minimum"),
        ),
        "FROM {s}.target t"
        " JOIN {s}.financial_year y ON y.id = t.year_id"
        " JOIN {s}.measure m ON m.id = t.measure_id"
        " JOIN {s}.provider p ON p.id = t.provider_id",
    ),
    View(
        "results",
        "Every region's current results (superseded ones left out), by period.",
        (
            _c("year", "text", "y.label"),
            _c("period", "text", "pe.code"),
            _c("period_kind", "text", "pe.kind"),
            _c("period_start", "date", "pe.start"),
            _c("provider", "text", "p.name"),
            _c("measure", "text", "m.code"),
            _c("actual", "numeric", "r.actual"),
            _c("numerator", "numeric", "r.numerator"),
            _c("denominator", "numeric", "r.denominator"),
        ),
        "FROM {s}.result r"
        " JOIN {s}.period pe ON pe.id = r.period_id"
        " JOIN {s}.financial_year y ON y.id = pe.year_id"
        " JOIN {s}.measure m ON m.id = r.measure_id"
        " JOIN {s}.provider p ON p.id = r.provider_id"
        " WHERE NOT r.superseded",
    ),
    View(
        "agreements",
        "Every region's SLAs and contracts with their status, dates and annual value (pence).",
        (
            _c("year", "text", "y.label"),
            _c("provider", "text", "p.name"),
            _c("kind", "text", "g.kind"),
            _c("title", "text", "g.title"),
            _c("reference", "text", "g.reference"),
            _c("status", "text", "g.status"),
            _c("starts", "date", "g.start"),
            _c("ends", "date", 'g."end"'),
            _c("annual_value", "bigint", "g.annual_value"),
        ),
        "FROM {s}.agreement g"
        " JOIN {s}.provider p ON p.id = g.provider_id"
        " LEFT JOIN {s}.financial_year y ON y.id = g.year_id",
    ),
    View(
        "milestones",
        "Every region's milestones: the best date, the wording as written, done when done.",
        (
            _c("reference", "text", "ms.reference"),
            _c("title", "text", "ms.title"),
            _c("owner", "text", "ms.owner"),
            _c("due", "date", "ms.due"),
            _c("due_text", "text", "ms.due_text"),
            _c("done", "date", "ms.done"),
        ),
        "FROM {s}.milestone ms",
    ),
    View(
        "competitions",
        "Every region's competitions with each stage's planned and actual date.",
        (
            _c("subject", "text", "c.subject"),
            _c("kind", "text", "c.kind"),
            _c("expiry", "date", "c.expiry"),
            _c("expiry_text", "text", "c.expiry_text"),
            _c("stage", "text", "cs.stage"),
            _c("planned", "date", "cs.planned"),
            _c("planned_text", "text", "cs.planned_text"),
            _c("actual", "date", "cs.actual"),
        ),
        "FROM {s}.competition c LEFT JOIN {s}.competition_stage cs ON cs.competition_id = c.id",
    ),
)


def view_names() -> tuple[str, ...]:
    return tuple(view.name for view in VIEWS)


def _quote(connection: Connection, name: str) -> str:
    return connection.dialect.identifier_preparer.quote(name)


def _text_literal(connection: Connection, value: str) -> str:
    return str(
        literal(value).compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True})
    )


def region_select(connection: Connection, view: View, schema: str, region: str) -> str:
    """One region's part of ``view``: its rows with the region's name first."""
    columns = [f"CAST({_text_literal(connection, region)} AS text) AS region"] + [
        f"CAST({c.expr} AS {c.type}) AS {_quote(connection, c.name)}" for c in view.columns
    ]
    return f"SELECT {', '.join(columns)} " + view.source.format(s=_quote(connection, schema))


def view_sql(connection: Connection, view: View, regions: list[tuple[str, str]]) -> str:
    """The view's SELECT over ``regions`` ((schema, name) pairs): one per region joined by
    UNION ALL, or no rows of the same columns when there is none."""
    if not regions:
        columns = ["CAST(NULL AS text) AS region"] + [
            f"CAST(NULL AS {c.type}) AS {_quote(connection, c.name)}" for c in view.columns
        ]
        return f"SELECT {', '.join(columns)} WHERE false"
    return "\nUNION ALL\n".join(
        region_select(connection, view, schema, name) for schema, name in regions
    )


def published_regions(connection: Connection) -> list[tuple[str, str]]:
    """The regions the catalog lists whose schema is there, as (schema, name) by name."""
    rows = connection.execute(
        select(region_table.c.schema_name, region_table.c.region_name).order_by(
            region_table.c.region_name
        )
    ).all()
    present = set(inspect(connection).get_schema_names())
    return [(row.schema_name, row.region_name) for row in rows if row.schema_name in present]


def _role_exists(connection: Connection, role: str) -> bool:
    found = connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role})
    return found.first() is not None


def drop_views(connection: Connection) -> None:
    """Drops the national views (before a region's schema is changed underneath them)."""
    national = _quote(connection, NATIONAL_SCHEMA)
    for view in VIEWS:
        connection.exec_driver_sql(
            f"DROP VIEW IF EXISTS {national}.{_quote(connection, view.name)}"
        )


def refresh_views(connection: Connection, national_role: str | None = None) -> list[str]:
    """(Re)creates every national view over every region the catalog lists, in the
    caller's transaction, and grants ``national_role`` (when given and the server has
    it) SELECT on them: a view made again has lost its grants. Returns the views' names."""
    national = _quote(connection, NATIONAL_SCHEMA)
    regions = published_regions(connection)
    drop_views(connection)
    for view in VIEWS:
        name = f"{national}.{_quote(connection, view.name)}"
        connection.exec_driver_sql(f"CREATE VIEW {name} AS\n{view_sql(connection, view, regions)}")
        connection.exec_driver_sql(
            f"COMMENT ON VIEW {name} IS {_text_literal(connection, view.about)}"
        )
    if national_role and _role_exists(connection, national_role):
        role = _quote(connection, national_role)
        names = ", ".join(f"{national}.{_quote(connection, v.name)}" for v in VIEWS)
        connection.exec_driver_sql(f"GRANT SELECT ON {names} TO {role}")
    return list(view_names())
