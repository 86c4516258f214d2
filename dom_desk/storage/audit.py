"""Writes an audit entry for every insert, update and delete a session flushes."""

from __future__ import annotations

import enum
import functools
import getpass
import itertools
import socket
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import event, func, insert, inspect, select
from sqlalchemy.orm import Session, UOWTransaction

from dom_desk.models import AuditEntry, Base

_SKIPPED_FIELDS = {"row_version"}
#: The action an import records; the workbook is backed up before such a commit.
IMPORT = "import"


@functools.cache
def current_user() -> str:
    """The operating-system user, which is who the audit trail names."""
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers): still record something
        return "unknown"


@functools.cache
def current_machine() -> str:
    """This computer's name, which the audit trail records beside the user."""
    try:
        return socket.gethostname()[:100]
    except OSError:
        return ""


def now() -> datetime:
    """UTC, without tzinfo, as SQLite stores it."""
    return datetime.now(UTC).replace(tzinfo=None)


def audit_text(value: Any) -> str | None:
    """How a stored value is written in the audit trail."""
    if value is None:
        return None
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def record(
    session: Session,
    action: str,
    entity: str,
    entity_id: int | None,
    field: str = "",
    old: Any = None,
    new: Any = None,
    note: str = "",
) -> None:
    """Adds a named action (an unlock, an import) to the audit trail of this transaction.

    The action is also noted in ``session.info["actions"]``, so the commit can act on it
    (an import is backed up first).
    """
    session.info.setdefault("actions", set()).add(action)
    session.execute(insert(AuditEntry), [_row(action, entity, entity_id, field, old, new, note)])


def fresh_id(session: Session, model: type[Base]) -> int:
    """An id the table has never used: above every id it holds and every id its audit
    trail names. SQLite would otherwise hand a deleted record's id to the next one, which
    would then inherit the old record's history (and its undo steps)."""
    table = model.__tablename__
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        # The table's own sequence: it never hands an id out twice, even to writers
        # working at once or after a delete, and the next ordinary insert takes the one
        # after. (A workbook brought onto the server starts it past every id it named.)
        quoted = bind.dialect.identifier_preparer.quote(table)
        return session.scalar(select(func.nextval(func.pg_get_serial_sequence(quoted, "id"))))
    held = session.scalar(select(func.max(model.id))) or 0  # type: ignore[attr-defined]
    named = (
        session.scalar(select(func.max(AuditEntry.entity_id)).where(AuditEntry.entity == table))
        or 0
    )
    return max(held, named) + 1


def new_ids(session: Session, model: type[Base]) -> Iterator[int]:
    """Ids the table has never used, one per record made in one go (a roll forward, a
    pasted block of targets), as ``fresh_id`` gives them: on SQLite counted on from the
    first, on PostgreSQL each taken from the sequence so it stays past them all."""
    if session.get_bind().dialect.name == "postgresql":
        while True:
            yield fresh_id(session, model)
    yield from itertools.count(fresh_id(session, model))


def _row(
    action: str,
    entity: str,
    entity_id: int | None,
    field: str = "",
    old: Any = None,
    new: Any = None,
    note: str = "",
) -> dict[str, Any]:
    return {
        "at": now(),
        "user": current_user(),
        "machine": current_machine(),
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "field": field,
        "old": audit_text(old),
        "new": audit_text(new),
        "note": note,
    }


def _primary_id(obj: Base) -> int | None:
    value = getattr(obj, "id", None)
    return value if isinstance(value, int) else None


def _changes(session: Session) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for obj in session.new:
        if not isinstance(obj, AuditEntry):
            rows.append(_row("insert", obj.__tablename__, _primary_id(obj)))
    for obj in session.dirty:
        if isinstance(obj, AuditEntry) or not session.is_modified(obj):
            continue
        state = inspect(obj)
        for attr in state.mapper.column_attrs:
            if attr.key in _SKIPPED_FIELDS:
                continue
            history = state.attrs[attr.key].history
            if history.has_changes():
                old = history.deleted[0] if history.deleted else None
                new = history.added[0] if history.added else None
                if old != new:
                    rows.append(
                        _row("update", obj.__tablename__, _primary_id(obj), attr.key, old, new)
                    )
    for obj in session.deleted:
        rows.append(_row("delete", obj.__tablename__, _primary_id(obj)))
    return rows


def install(session_class: type[Session]) -> None:
    """Audits every flush of sessions of this class, in the same transaction."""

    @event.listens_for(session_class, "before_flush")
    def _note_touched(session: Session, _flush: UOWTransaction, _instances: object) -> None:
        # What this transaction is about to change, so a refusal can name it ("provider 1").
        touched = session.info.setdefault("touched", [])
        for obj in (*session.dirty, *session.deleted, *session.new):
            if len(touched) < 20 and not isinstance(obj, AuditEntry):
                touched.append((obj.__tablename__, _primary_id(obj)))

    @event.listens_for(session_class, "after_flush")
    def _after_flush(session: Session, _flush: UOWTransaction) -> None:
        rows = _changes(session)
        if rows:
            session.connection().execute(insert(AuditEntry), rows)
