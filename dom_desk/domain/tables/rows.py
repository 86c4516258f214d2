"""Reading an area's rows for a year: plain values, one tuple per record."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from dom_desk.domain.region import current_year, year_by_label
from dom_desk.domain.tables.areas import area
from dom_desk.domain.tables.spec import Column, LoadContext, Row
from dom_desk.errors import ValidationError
from dom_desk.models import (
    FinancialYear,
)
from dom_desk.storage.workbook import Workbook


def _value(column: Column, record: Any, ctx: LoadContext) -> Any:
    return column.get(record, ctx) if column.get else getattr(record, column.key)


def _year(session: Session, year_label: str | None) -> FinancialYear:
    return year_by_label(session, year_label) if year_label else current_year(session)


def load_rows(wb: Workbook, area_key: str, year_label: str | None = None) -> list[Row]:
    """Every row of an area for a year (the current year when not given)."""
    spec = area(area_key)
    with wb.session() as session:
        ctx = LoadContext(session, _year(session, year_label))
        return [
            Row(
                record.id,
                getattr(record, "row_version", 0),
                tuple(_value(c, record, ctx) for c in spec.columns),
            )
            for record in spec.load(ctx)
        ]


def load_row(wb: Workbook, area_key: str, row_id: int, year_label: str | None = None) -> Row:
    """One row, fresh from the file (after an edit or undo)."""
    spec = area(area_key)
    with wb.session() as session:
        ctx = LoadContext(session, _year(session, year_label))
        record = session.get(spec.entity, row_id)
        if record is None:
            raise ValidationError(f"That {spec.title.lower()} record no longer exists")
        return Row(
            record.id,
            getattr(record, "row_version", 0),
            tuple(_value(c, record, ctx) for c in spec.columns),
        )
