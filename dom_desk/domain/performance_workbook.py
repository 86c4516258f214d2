"""The performance area's reads and writes on a whole workbook: what the window and the
command line both call, each one transaction, each returning plain values."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from dom_desk.domain.applicability import code_order
from dom_desk.domain.matrix import Matrix, build
from dom_desk.domain.performance import (
    Window,
    previous_window,
    resolve_window,
    set_tolerance,
    window_choices,
)
from dom_desk.domain.region import region
from dom_desk.errors import ValidationError
from dom_desk.models import Measure, Provider
from dom_desk.storage.workbook import Workbook


@dataclass(frozen=True)
class PeriodChoices:
    """What a matrix can be read for, (code, label) with "" the year to date, and the
    region's name for titles and exports."""

    choices: list[tuple[str, str]]
    region_name: str


def period_choices(wb: Workbook, year: str | None = None) -> PeriodChoices:
    with wb.session() as session:
        return PeriodChoices(window_choices(session, year), region(session).name)


@dataclass(frozen=True)
class MatrixPair:
    """The matrix for a window and the one a step before it (None when there is none),
    read in one transaction, with the region's name."""

    window: Window
    matrix: Matrix
    previous: Matrix | None
    region_name: str


def matrix_with_previous(
    wb: Workbook, period: str | None = None, year: str | None = None
) -> MatrixPair:
    with wb.session() as session:
        window = resolve_window(session, period, year)
        earlier = previous_window(session, window)
        return MatrixPair(
            window,
            build(session, window),
            build(session, earlier) if earlier else None,
            region(session).name,
        )


def measure_tolerances(wb: Workbook) -> list[tuple[str, Decimal]]:
    """(code, near-within per cent) of every measure, in code order."""
    with wb.session() as session:
        rows = session.execute(select(Measure.code, Measure.tolerance)).all()
    return sorted(((code, percent) for code, percent in rows), key=lambda r: code_order(r[0]))


def change_tolerance(wb: Workbook, measure_id: int, percent: Decimal) -> Decimal:
    """Sets a measure's "near" tolerance (one audited transaction); returns the old one."""
    with wb.session() as session:
        return set_tolerance(session, measure_id, percent)


def measure_id_of(wb: Workbook, code: str, where: str = "--measure") -> int:
    """The id of the measure with ``code`` ("PT 1", any spacing or case)."""
    key = code.replace(" ", "").upper()
    with wb.session() as session:
        measure_id = session.scalar(select(Measure.id).where(Measure.code_key == key))
    if measure_id is None:
        raise ValidationError(f"no measure '{code}'", where)
    return measure_id


def measure_code(wb: Workbook, measure_id: int) -> str:
    with wb.session() as session:
        code = session.scalar(select(Measure.code).where(Measure.id == measure_id))
    if code is None:
        raise ValidationError("that measure no longer exists", "Measure")
    return code


def provider_id_of(wb: Workbook, name: str, where: str = "--provider") -> int:
    """The id of the provider named exactly ``name``."""
    with wb.session() as session:
        provider_id = session.scalar(select(Provider.id).where(Provider.name == name))
    if provider_id is None:
        raise ValidationError(f"no provider '{name}'", where)
    return provider_id
