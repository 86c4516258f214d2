"""Editing an area's fields: one field, or a batch all or nothing, each one transaction."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from sqlalchemy.orm import Session

from dom_desk.domain.tables.in_transaction import set_field_in
from dom_desk.domain.tables.spec import Change
from dom_desk.storage.retry import retried
from dom_desk.storage.workbook import Workbook


@retried
def update_field(
    wb: Workbook,
    area_key: str,
    row_id: int,
    key: str,
    value: Any,
    expected_version: int | None = None,
) -> Change:
    """Sets one field of one record, in one transaction, with its audit entry.

    ``expected_version`` is the row version the user saw: if the record has changed since
    (another window, another user), the write is refused rather than overwriting theirs.
    """
    with wb.session() as session:
        return set_field_in(session, area_key, row_id, key, value, expected_version)


class FieldEdit(NamedTuple):
    """One cell of a batch: the record, the field, the new value, the version seen."""

    row_id: int
    key: str
    value: Any
    expected_version: int | None = None


@retried
def update_fields(wb: Workbook, area_key: str, edits: Sequence[FieldEdit]) -> list[Change]:
    """Sets many fields (a paste, a fill down) all or nothing, in one transaction.

    Any refused value rolls the whole batch back. A record's version is checked at its
    first edit only, as the batch's own earlier edits move it on.
    """
    changes: list[Change] = []
    seen: set[int] = set()
    with wb.session() as session:
        for edit in edits:
            version = None if edit.row_id in seen else edit.expected_version
            seen.add(edit.row_id)
            changes.append(
                set_field_in(session, area_key, edit.row_id, edit.key, edit.value, version)
            )
    return changes


@retried
def run_action(wb: Workbook, action: Callable[[Session], Any]) -> Any:
    """Runs one domain action in one transaction of ``wb`` (all or nothing) and returns
    what it returned: the window's undo steps call this, never ``wb.session()``."""
    with wb.session() as session:
        return action(session)
