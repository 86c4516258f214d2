"""Services of the Directory from a spreadsheet: one row each, known by name.

A service already in the workbook is updated in the columns the sheet has, where they
differ. The target unit cost is money: its header may state the unit ("Target unit
cost (£k)"), and it is stored exactly in pence.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dom_desk.domain.lists.common import (
    Duplicates,
    FieldSpec,
    ImportSummary,
    ListKind,
    ListPreview,
    apply_keyed,
    changes,
    choice_labels,
    open_sheet,
    status_of,
    titles,
)
from dom_desk.models import Pathway, Service

FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "name",
        "Service",
        ("service", "name", "service name"),
        True,
        "The service's name in the Directory of Services; a name already in the workbook "
        "updates that service.",
    ),
    FieldSpec(
        "pathway",
        "Pathway",
        ("pathway", "reducing re-offending pathway"),
        help="The reducing re-offending pathway it serves, or empty.",
        value_type="choice",
        choices=choice_labels(Pathway),
    ),
    FieldSpec(
        "unit",
        "Unit",
        ("unit", "unit of volume", "volume unit"),
        help="What one unit of volume is: place, completion, hour.",
    ),
    FieldSpec(
        "target_unit_cost",
        "Target unit cost (£)",
        ("target unit cost", "unit cost", "target cost", "cost per unit"),
        help="What one unit should cost, in pounds; write the unit in the header to give "
        "it in thousands or millions (Target unit cost (£k)).",
        value_type="money",
    ),
    FieldSpec(
        "minimum_quality",
        "Minimum quality",
        ("minimum quality", "quality", "quality standard", "minimum standard"),
        help="The quality the specification requires.",
    ),
    FieldSpec(
        "outputs",
        "Outputs",
        ("outputs", "output", "deliverables"),
        help="What the service delivers.",
    ),
)


def _held(session: Session) -> dict[str, Service]:
    return {s.name.casefold(): s for s in session.scalars(select(Service))}


def read(
    session: Session, path: Path, sheet: str | None = None, year_label: str | None = None
) -> ListPreview:
    """The preview of a services list, read against the workbook; writes nothing."""
    found = open_sheet(path, ListKind.SERVICES, FIELDS, sheet)
    held = _held(session)
    same = Duplicates("name", "service")
    for row in found.rows():
        name = row.text("name", limit=160)
        same.check(row, name)
        values: dict[str, Any] = {"name": name}
        if row.has("pathway"):
            values["pathway"] = row.choice("pathway", Pathway)
        if row.has("unit"):
            values["unit"] = row.text("unit", limit=40)
        if row.has("target_unit_cost"):
            values["target_unit_cost"] = row.money("target_unit_cost")
        for key in ("minimum_quality", "outputs"):
            if row.has(key):
                values[key] = row.lines(key)
        record = held.get(name.casefold())
        changed = changes(record, {k: v for k, v in values.items() if k != "name"})
        row.done(status_of(record, changed), values, name, titles(FIELDS, changed))
    return found.preview


def apply(session: Session, preview: ListPreview) -> ImportSummary:
    """Adds the new services and updates the changed ones in the caller's transaction."""
    return apply_keyed(
        session, preview, _held(session), "name", lambda v: Service(**v), str.casefold
    )
