"""A year's priorities from a spreadsheet (seed 001's Annex B, seed 003's list): one row
each, known by its number within the year.

The year is the one asked for, else the workbook's current year. A priority whose number
the year already has is updated where the sheet differs; the numbers are the file's, so
a list numbered 1..n replaces the titles of the year's 1..n and adds the rest.
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
    open_sheet,
    status_of,
    titles,
)
from dom_desk.domain.region import current_year, year_by_label
from dom_desk.models import FinancialYear, Priority

FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "number",
        "No.",
        ("no", "no.", "number", "priority no", "priority number", "ref", "#"),
        True,
        "The priority's number in the year, 1 or more; a number the year already has "
        "updates that priority.",
        "number",
    ),
    FieldSpec(
        "title",
        "Priority",
        ("priority", "title", "priorities", "strategic priority", "commissioning intention"),
        True,
        "The priority as the plan prints it (up to 200 characters).",
    ),
    FieldSpec(
        "rationale",
        "Rationale",
        ("rationale", "why", "reason", "context"),
        help="Why it is a priority.",
    ),
    FieldSpec(
        "provider_response",
        "Provider response",
        ("provider response", "response", "what providers will do", "providers"),
        help="What providers are asked to do about it.",
    ),
)


def _year(session: Session, year_label: str | None) -> FinancialYear:
    return year_by_label(session, year_label) if year_label else current_year(session)


def _held(session: Session, year: FinancialYear) -> dict[int, Priority]:
    query = select(Priority).where(Priority.year_id == year.id)
    return {p.number: p for p in session.scalars(query)}


def read(
    session: Session, path: Path, sheet: str | None = None, year_label: str | None = None
) -> ListPreview:
    """The preview of a year's priorities, read against the workbook; writes nothing."""
    year = _year(session, year_label)
    found = open_sheet(path, ListKind.PRIORITIES, FIELDS, sheet)
    found.preview.year = year.label
    held = _held(session, year)
    same = Duplicates("number", "priority")
    for row in found.rows():
        number = row.integer("number", minimum=1)
        same.check(row, number)
        title = row.lines("title")
        if len(title) > 200:
            row.error("title", "the priority is longer than 200 characters")
        values: dict[str, Any] = {"number": number, "title": title}
        for key in ("rationale", "provider_response"):
            if row.has(key):
                values[key] = row.lines(key)
        record = held.get(number) if number is not None else None
        changed = changes(record, {k: v for k, v in values.items() if k != "number"})
        what = f"{number}. {title}" if number is not None else title
        row.done(status_of(record, changed), values, what, titles(FIELDS, changed))
    return found.preview


def apply(session: Session, preview: ListPreview) -> ImportSummary:
    """Adds and updates the year's priorities in the caller's transaction."""
    year = _year(session, preview.year or None)
    return apply_keyed(
        session,
        preview,
        _held(session, year),
        "number",
        lambda v: Priority(year_id=year.id, **v),
    )
