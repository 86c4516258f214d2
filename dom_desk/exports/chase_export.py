"""The returns chase list to xlsx: who to chase for which month's return, due when and
how late, with dates as real Excel dates (for the window and ``dom-desk returns chase``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from dom_desk.domain.periods import format_date
from dom_desk.domain.returns_schedule import ReturnDue
from dom_desk.domain.values import Kind
from dom_desk.exports.xlsx_tables import Sheet, write_sheets

COLUMNS = (
    ("Provider", Kind.TEXT),
    ("Month", Kind.TEXT),
    ("Month ends", Kind.DATE),
    ("Due", Kind.DATE),
    ("State", Kind.TEXT),
    ("Working days late", Kind.INTEGER),
)


def chase_sheet(rows: Sequence[ReturnDue], on: date) -> Sheet:
    """One sheet, in the chase list's order (overdue, most late first, then due soonest)."""
    body = [
        [r.provider_name, r.period_label, r.period_end, r.due, str(r.state), r.days_late]
        for r in rows
    ]
    # "/" is not allowed in a sheet's name: the date reads 02-11-2009 there.
    title = f"Chase list {format_date(on).replace('/', '-')}"
    return Sheet(title, [h for h, _ in COLUMNS], [k for _, k in COLUMNS], body)


def export_chase(rows: Sequence[ReturnDue], on: date, path: Path) -> Path:
    """Writes the chase list to ``path`` (atomically) and returns it."""
    return write_sheets(path, [chase_sheet(rows, on)])
