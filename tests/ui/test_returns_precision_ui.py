"""The import preview shows each Actual at its unit's precision, the stored value in the
tooltip, and a flagged Actual tinted as a note (issue 14, item 6)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt

from dom_desk.domain.returns_rows import CellIssue, PreviewRow, RowStatus
from dom_desk.models import MeasureUnit
from dom_desk.ui.returns_models import ErrorRole, RowPreviewModel

DISPLAY, TIP = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole


def _row(number: int, unit: MeasureUnit, actual: str, *issues: CellIssue, **parts: Any):
    return PreviewRow(
        number,
        "PT 2",
        1,
        "PT 2",
        "A measure",
        Decimal(actual),
        parts.get("numerator"),
        parts.get("denominator"),
        "",
        RowStatus.NOTE if issues else RowStatus.READY,
        issues,
        unit,
    )


def test_actual_cells_read_at_the_units_precision(qapp: Any) -> None:
    flag = CellIssue("Actual", "E4", "the return gives 12% but ... give 11.97%", False)
    model = RowPreviewModel()
    model.rows = [
        _row(
            3, MeasureUnit.PERCENT, "26.578073", numerator=Decimal(800), denominator=Decimal(3010)
        ),
        _row(4, MeasureUnit.PERCENT, "12", flag),
        _row(5, MeasureUnit.COUNT, "12401"),
        _row(6, MeasureUnit.DAYS, "9.492308"),
        _row(7, MeasureUnit.ONE_IN_X, "2034.5"),
    ]
    actual = RowPreviewModel.ACTUAL
    shown = [model.data(model.index(r, actual), DISPLAY) for r in range(5)]
    assert shown == ["26.58%", "12.00%", "12,401", "9.5 days", "1 in 2,035"]
    # The parts are shown as typed, and the rounded Actual says what is stored.
    assert model.data(model.index(0, actual + 1), DISPLAY) == "800"
    assert model.data(model.index(0, actual + 2), DISPLAY) == "3,010"
    assert model.data(model.index(0, actual), TIP) == "Stored as 26.578073"
    # The flagged Actual is a note, not an error, and its tooltip says why.
    assert model.data(model.index(1, actual), TIP) == (
        "Note in E4: the return gives 12% but ... give 11.97%"
    )
    assert model.data(model.index(1, actual), ErrorRole) is False
    assert model.data(model.index(1, actual), Qt.ItemDataRole.BackgroundRole) is not None
