"""The storage side of working offline: writing a checked-out workbook, keeping its base
inside it, reading each side's rows for the merge, and writing a merge to the server.

The base (the region as it was checked out) is kept *inside* the checked-out file, in
``offline_copy.base``, as the whole snapshot compressed, rather than as a second file
beside it: a laptop user copies, mails or backs up one ``.domdesk`` file, and a base
left behind (or an older one put beside a newer copy) would make the three-way merge
compare against the wrong figures. A backup of the file holds its own base, so a
restored backup still checks in correctly.
"""

from __future__ import annotations

import sqlite3
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Table,
    bindparam,
    create_engine,
    delete,
    func,
    insert,
    select,
    text,
    update,
)

from dom_desk.models import OFFLINE_TABLES, AuditEntry, Base, OfflineCheckin, OfflineCopy
from dom_desk.storage import schema
from dom_desk.storage.merge import VERSION_COLUMN, MergePlan, Rows
from dom_desk.storage.server import save_snapshot
from dom_desk.storage.sqlite_file import inspect_file

#: Rows written per statement.
_CHUNK = 1000


def merged_tables() -> list[Table]:
    """The region's tables a check-in merges, parents first: all but the audit trail
    (appended, not merged) and the bookkeeping of working offline."""
    return [
        t
        for t in Base.metadata.sorted_tables
        if t.name != AuditEntry.__tablename__ and t.name not in OFFLINE_TABLES
    ]


def read_rows(connection: Connection) -> Rows:
    """Every merged table's rows: ``{table: {primary key: {column: value}}}``."""
    rows: Rows = {}
    for table in merged_tables():
        result = connection.execute(select(table))
        names = list(result.keys())
        pk = [names.index(c.name) for c in table.primary_key.columns]
        found: dict[Any, dict[str, Any]] = {}
        for row in result.all():
            key = row[pk[0]] if len(pk) == 1 else tuple(row[i] for i in pk)
            found[key] = dict(zip(names, row, strict=True))
        rows[table.name] = found
    return rows


def audit_after(connection: Connection, mark: int) -> list[dict[str, Any]]:
    """The audit entries after ``mark`` (those made offline), oldest first."""
    table = AuditEntry.__table__
    query = select(table).where(table.c.id > mark).order_by(table.c.id)
    return [dict(row) for row in connection.execute(query).mappings()]


def newest_audit(connection: Connection) -> int:
    return connection.execute(select(func.max(AuditEntry.id))).scalar() or 0


# -- the checked-out file -------------------------------------------------------------------


def write_checkout(server_engine: Engine, target: Path, record: dict[str, Any]) -> int:
    """Writes the region ``server_engine`` works in to a new workbook at ``target``: one
    consistent snapshot, its base kept inside it, and ``record`` (server, region,
    token, who and when) in ``offline_copy``. Written under a temporary name and renamed
    into place, so no half check-out is left where a workbook is expected. Returns the
    base's newest audit entry."""
    target = Path(target)
    work = target.with_name(f".{target.name}.checkout")
    _remove_with_sidecars(work)
    try:
        save_snapshot(server_engine, work)
        return _mark_as_copy(work, record, target)
    except BaseException:
        _remove_with_sidecars(work)
        raise


def _mark_as_copy(work: Path, record: dict[str, Any], target: Path) -> int:
    blob = zlib.compress(work.read_bytes(), 6)
    engine = create_engine(f"sqlite:///{work}")
    try:
        with engine.begin() as connection:
            mark = newest_audit(connection)
            connection.execute(delete(OfflineCheckin.__table__))
            connection.execute(delete(OfflineCopy.__table__))
            connection.execute(
                insert(OfflineCopy.__table__).values(**record, base_mark=mark, base=blob)
            )
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
        Path(f"{work}{suffix}").unlink(missing_ok=True)
    work.replace(target)
    return mark


def offline_record(connection: Connection) -> dict[str, Any] | None:
    """The file's ``offline_copy`` row (without its base), or None if it is not one."""
    table = OfflineCopy.__table__
    columns = [c for c in table.columns if c.name != "base"]
    row = connection.execute(select(*columns).order_by(table.c.id.desc()).limit(1)).mappings()
    found = row.first()
    return dict(found) if found is not None else None


def base_blob(connection: Connection) -> bytes | None:
    table = OfflineCopy.__table__
    return connection.execute(select(table.c.base).order_by(table.c.id.desc()).limit(1)).scalar()


@contextmanager
def base_connection(blob: bytes) -> Iterator[Connection]:
    """The base, unpacked into a temporary workbook (upgraded to this version's schema
    if it was checked out by an older one), open for reading."""
    with tempfile.TemporaryDirectory(prefix="dom-desk-base-") as folder:
        path = Path(folder) / "base.domdesk"
        path.write_bytes(zlib.decompress(blob))
        engine = create_engine(f"sqlite:///{path}")
        try:
            if inspect_file(path) != schema.head_revision():
                schema.upgrade(engine)
            with engine.connect() as connection:
                yield connection
        finally:
            engine.dispose()


def _remove_with_sidecars(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", ".partial", ".partial-wal", ".partial-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def quick_sound(path: Path) -> bool:
    """Whether SQLite finds the file sound (after a check-out, before it is trusted)."""
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute("PRAGMA quick_check").fetchone()[0] == "ok"


# -- the server side ------------------------------------------------------------------------


def lock_region(connection: Connection) -> None:
    """Holds the region's advisory lock to the end of this transaction: one check-in at a
    time per region (ordinary edits go on; SERIALIZABLE keeps them apart)."""
    connection.execute(text(schema.SCHEMA_LOCK.format(function="pg_advisory_xact_lock")))


def checked_in(connection: Connection, token: str) -> dict[str, Any] | None:
    table = OfflineCheckin.__table__
    row = connection.execute(select(table).where(table.c.token == token)).mappings().first()
    return dict(row) if row is not None else None


def record_checkin(connection: Connection, values: dict[str, Any]) -> None:
    connection.execute(insert(OfflineCheckin.__table__).values(**values))


def next_ids(connection: Connection, table: str, count: int) -> list[int]:
    """``count`` ids from the table's sequence, never handed out again."""
    if count <= 0:
        return []
    quoted = connection.dialect.identifier_preparer.quote(table)
    sequence = connection.execute(select(func.pg_get_serial_sequence(quoted, "id"))).scalar_one()
    return list(
        connection.execute(
            text("SELECT nextval(:sequence) FROM generate_series(1, :count)"),
            {"sequence": sequence, "count": count},
        ).scalars()
    )


def apply_plan(connection: Connection, plan: MergePlan) -> None:
    """Writes a merge to the server, in the caller's transaction: deletions (children
    first), then changed fields (each changed record's row version bumped), then new
    records (parents first), then the keys that point at new records."""
    tables = Base.metadata.tables
    for name, keys in plan.deletes.items():
        table = tables[name]
        pk = list(table.primary_key.columns)
        if len(pk) == 1:
            for start in range(0, len(keys), _CHUNK):
                connection.execute(delete(table).where(pk[0].in_(keys[start : start + _CHUNK])))
        else:
            for key in keys:
                connection.execute(
                    delete(table).where(*(c == v for c, v in zip(pk, key, strict=True)))
                )
    _updates(connection, plan.updates)
    for name, rows in plan.inserts.items():
        for start in range(0, len(rows), _CHUNK):
            connection.execute(insert(tables[name]), rows[start : start + _CHUNK])
    _updates(connection, plan.late_updates)


def _updates(connection: Connection, updates: dict[str, list[tuple[Any, dict[str, Any]]]]) -> None:
    tables = Base.metadata.tables
    for name, changes in updates.items():
        table = tables[name]
        pk = [c.name for c in table.primary_key.columns]
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for key, values in changes.items() if isinstance(changes, dict) else changes:
            keys = key if isinstance(key, tuple) else (key,)
            params = {f"k_{c}": v for c, v in zip(pk, keys, strict=True)}
            params.update({f"v_{c}": v for c, v in values.items()})
            groups.setdefault(tuple(sorted(values)), []).append(params)
        for columns, params in groups.items():
            statement = update(table).where(*(table.c[c] == bindparam(f"k_{c}") for c in pk))
            assigned: dict[str, Any] = {c: bindparam(f"v_{c}") for c in columns}
            if VERSION_COLUMN in table.c:
                assigned[VERSION_COLUMN] = table.c[VERSION_COLUMN] + 1
            connection.execute(statement.values(assigned), params)


def append_audit(connection: Connection, entries: list[dict[str, Any]]) -> None:
    """Appends entries (ids given) to the server's audit trail."""
    table = AuditEntry.__table__
    for start in range(0, len(entries), _CHUNK):
        connection.execute(insert(table), entries[start : start + _CHUNK])
