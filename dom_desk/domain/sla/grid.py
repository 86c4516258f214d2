"""The workspace's two tables as grid rows, and the checks a typed or pasted cell meets
before it is written (locks, national targets, regional floors)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from dom_desk.domain.paste import CellCheck
from dom_desk.domain.sla.reading import Workspace
from dom_desk.domain.tables import Column, Row
from dom_desk.domain.values import Kind, format_decimal
from dom_desk.errors import LockedError, ValidationError
from dom_desk.models import (
    Agreement,
    Direction,
    Guidance,
    Measure,
    MeasureUnit,
)
from dom_desk.storage.workbook import Workbook

# -- the two tables -----------------------------------------------------------------------

LINE_COLUMNS: tuple[Column, ...] = (
    Column("service", "Service"),
    Column("pathway", "Pathway"),
    Column("unit", "Unit"),
    Column("volume", "Volume", Kind.INTEGER, editable=True, required=True, minimum=0),
    Column("unit_price", "Unit price", Kind.MONEY, editable=True, required=True, minimum=0),
    Column("value", "Value", Kind.MONEY),
    Column("target_unit_cost", "Target unit cost", Kind.MONEY),
    Column("against_target", "Unit price against target"),
)

TARGET_COLUMNS: tuple[Column, ...] = (
    Column("code", "Code"),
    Column("title", "Measure"),
    Column("unit", "Unit", Kind.CHOICE, choices=MeasureUnit),
    Column("guidance", "Guidance", Kind.CHOICE, choices=Guidance),
    Column("value", "Target", Kind.DECIMAL, editable=True),
    Column("minimum", "Minimum level", Kind.DECIMAL, editable=True),
    Column("floor", "Floor", Kind.DECIMAL),
    Column("direction", "Direction", Kind.CHOICE, choices=Direction),
    Column("basis", "Basis"),
)


def line_rows(ws: Workspace) -> list[Row]:
    return [
        Row(item.id, item.version, tuple(getattr(item, c.key) for c in LINE_COLUMNS))
        for item in ws.lines
    ]


def target_rows(ws: Workspace) -> list[Row]:
    """Target rows are keyed by measure id: a target may not exist until it is set."""
    return [
        Row(item.measure_id, item.version, tuple(getattr(item, c.key) for c in TARGET_COLUMNS))
        for item in ws.targets
    ]


def line_label(row: Row) -> str:
    return str(row.values[0])


def target_label(row: Row) -> str:
    return str(row.values[0])


def _locked_error(agreement: Agreement, where: str) -> LockedError:
    return LockedError(
        f"'{agreement.title}' is {agreement.status.label.lower()} and locked "
        "against edits; unlock it first",
        where,
    )


def floor_problem(measure: Measure, field: str, value: Decimal | None) -> str | None:
    """Why ``value`` breaks the measure's guidance, or None."""
    if field == "value" and measure.guidance is Guidance.NATIONAL:
        return "the target is set nationally and cannot be changed here"
    if value is None or measure.guidance is not Guidance.REGIONAL_MINIMUM or measure.floor is None:
        return None
    floor = format_decimal(measure.floor)
    if measure.direction is Direction.LOWER and value > measure.floor:
        return (
            f"{format_decimal(value)} is worse than the Regional Minimum of {floor} "
            "(lower is better)"
        )
    if measure.direction is Direction.HIGHER and value < measure.floor:
        return f"{format_decimal(value)} is below the Regional Minimum floor of {floor}"
    return None


def line_check(ws: Workspace) -> CellCheck:
    """The cell check a paste into the service lines runs before writing anything."""

    def check(_row: Row, _column: Column, _value: Any, where: str) -> None:
        if ws.locked:
            raise LockedError(
                f"'{ws.agreement}' is {ws.status.label.lower()} and locked "
                "against edits; unlock it first",
                where,
            )

    return check


def target_check(wb: Workbook, ws: Workspace) -> CellCheck:
    """The cell check a paste into the targets runs: lock, national value, floor."""
    with wb.session() as session:
        measures = {m.id: m for m in session.scalars(select(Measure))}
        for m in measures.values():
            session.expunge(m)

    def check(row: Row, column: Column, value: Any, where: str) -> None:
        if ws.locked:
            raise LockedError(
                f"'{ws.agreement}' is {ws.status.label.lower()} and locked "
                "against edits; unlock it first",
                where,
            )
        problem = floor_problem(measures[row.id], column.key, value)
        if problem:
            raise ValidationError(problem, where)

    return check
