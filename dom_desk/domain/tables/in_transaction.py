"""Setting a field inside a transaction another domain function has open.

For domain code only (a scenario's accept writes its fields in its own transaction): the
window and the command line call ``editing.update_field`` / ``update_fields``, which open
the transaction themselves.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from dom_desk.domain.limits import check_length
from dom_desk.domain.tables.areas import area
from dom_desk.domain.tables.spec import Area, Change, Column
from dom_desk.errors import ConflictError, LockedError, ValidationError
from dom_desk.models import (
    Agreement,
)


def _owning_agreement(record: Any) -> Agreement | None:
    if isinstance(record, Agreement):
        return record
    return getattr(record, "agreement", None)


def _check(spec: Area, column: Column, record: Any, value: Any, where: str) -> None:
    if not column.editable:
        raise ValidationError(f"{column.title} is worked out, not typed in", where)
    if column.required and value in (None, ""):
        raise ValidationError(f"{column.title} cannot be empty", where)
    if column.minimum is not None and value is not None and value < column.minimum:
        raise ValidationError(f"{column.title} cannot be negative", where)
    agreement = _owning_agreement(record)
    if agreement is not None and agreement.status.locked and column.key != "status":
        raise LockedError(
            f"'{agreement.title}' is {agreement.status.label.lower()} and locked against "
            "edits; change its status (unlock) first",
            where,
        )


def set_field_in(
    session: Session, area_key: str, row_id: int, key: str, value: Any, expected_version: int | None
) -> Change:
    """Sets one field inside an open transaction, with the lock and version checks."""
    spec = area(area_key)
    column = spec.column(key)
    record = session.get(spec.entity, row_id)
    if record is None:
        raise ValidationError(f"That {spec.title.lower()} record no longer exists")
    label = getattr(record, spec.label_key, "") if hasattr(record, spec.label_key) else ""
    if not isinstance(label, str):  # a related record (an allocation's agreement): its name
        label = getattr(label, "title", None) or getattr(label, "name", "")
    where = f"{spec.title}, '{label}', {column.title}" if label else column.title
    if expected_version is not None and record.row_version != expected_version:
        from dom_desk.domain.others_changes import last_change_in

        who = last_change_in(session, spec.entity.__tablename__, row_id)
        raise ConflictError(
            f"{where} was changed elsewhere{who} since you opened it; reload to see the "
            "latest figures before editing"
        )
    _check(spec, column, record, value, where)
    if spec.field_rule is not None:
        value = spec.field_rule(session, record, key, value, where)
    check_length(type(record), key, value, column.title, where)
    old = getattr(record, key)
    if old != value:
        setattr(record, key, value)
    return Change(area_key, row_id, key, old, value)
