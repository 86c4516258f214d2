"""The Performance page's work on the thread pool: building the matrices, a trend and
its chart, the xlsx export. Plain functions of a workbook, run off the GUI thread."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dom_desk.domain import matrix as matrix_api
from dom_desk.domain import performance, scorecard, trends
from dom_desk.domain.matrix import Matrix, MatrixFilter, MatrixView
from dom_desk.storage.workbook import Workbook


def matrix_job(wb: Workbook, period: str | None, year: str | None) -> Matrix:
    """Runs on the pool: the matrix for the window chosen."""
    return matrix_api.build_matrix(wb, period, year)


def previous_job(wb: Workbook, window: performance.Window) -> Matrix | None:
    """Runs on the pool: the matrix one step earlier, for the scorecard's movement."""
    return matrix_api.build_previous(wb, window)


def trend_job(
    wb: Workbook, measure_id: int, provider_id: int | None, year: str | None
) -> tuple[Any, trends.TrendData]:
    """Runs on the pool: the trend's figures and its figure (matplotlib loads here, the
    first time, off the GUI thread)."""
    from dom_desk import charts

    data = trends.trend(wb, measure_id, provider_id, year)
    return charts.trend_figure(data), data


def export_job(
    path: Path, view: MatrixView, previous: Matrix | None, spec: MatrixFilter, region_name: str
) -> Path:
    """Runs on the pool: the matrix as shown and its scorecard, to xlsx."""
    from dom_desk.exports.performance_export import export_matrix

    card = scorecard.scorecard_from(view.matrix, previous, spec)
    return export_matrix(path, view, card, region_name)
