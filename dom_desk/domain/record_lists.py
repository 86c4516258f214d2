"""Providers, measures or periods as plain rows, for ``dom-desk list`` to print."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from dom_desk.domain.periods import period_label
from dom_desk.models import Measure, Period, Provider
from dom_desk.storage.workbook import Workbook

_LISTS: dict[str, tuple[Any, Any, tuple[str, ...]]] = {
    "providers": (Provider, Provider.name, ("name", "kind", "sector", "operator", "capacity")),
    "measures": (
        Measure,
        Measure.code_key,
        ("code", "title", "unit", "direction", "scope", "guidance", "weighting"),
    ),
    "periods": (Period, Period.start, ("code", "label", "kind", "start", "end", "due")),
}
#: Fields worked out rather than stored: a period's label as people read it ("Oct 2009"
#: beside the code ``2009-10-M`` that --period options take).
_WORKED_OUT: dict[tuple[str, str], Any] = {
    ("periods", "label"): lambda period: period_label(period.code),
}
#: What can be listed.
LISTS: tuple[str, ...] = tuple(_LISTS)


def list_records(wb: Workbook, what: str) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
    """The field names and, in order, each record's values (text, numbers, dates, enums)."""
    model, order, fields = _LISTS[what]
    with wb.session() as session:
        records = session.scalars(select(model).order_by(order, model.id)).all()
        return fields, [
            tuple(
                _WORKED_OUT[what, f](r) if (what, f) in _WORKED_OUT else getattr(r, f)
                for f in fields
            )
            for r in records
        ]
