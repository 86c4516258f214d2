"""The rows of a return as the import describes them: status, issues, the stored figures,
and what a measure is (shared by the row checks, the preview and the window)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from dom_desk.models import MeasureUnit
from dom_desk.models.base import Labelled


class RowStatus(Labelled):
    READY = "Ready"
    NOTE = "Ready, with a note"
    ERROR = "Error"
    BLANK = "No figure"
    IGNORED = "Not a measure: ignored"

    @property
    def stored(self) -> bool:
        return self in (RowStatus.READY, RowStatus.NOTE)


@dataclass(frozen=True, slots=True)
class CellIssue:
    #: The column the issue is in (``Actual``...), or "" for the row as a whole.
    column: str
    #: The cell, ``E7`` (or the row's first cell for a row-wide issue).
    cell: str
    message: str
    error: bool
    #: What the cell held, as text, when it could not be read as a value.
    typed: str = ""


@dataclass(slots=True)
class PreviewRow:
    """One row of a return as it will be stored (or why it will not be)."""

    row: int
    code: str
    measure_id: int | None
    measure_code: str
    title: str
    actual: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    commentary: str
    status: RowStatus
    issues: tuple[CellIssue, ...] = ()
    #: The measure's unit, which the preview shows the Actual in (None: not a measure).
    unit: MeasureUnit | None = None

    def issue_in(self, column: str) -> CellIssue | None:
        return next((i for i in self.issues if i.column == column), None)


class MeasureInfo(NamedTuple):
    id: int
    code: str
    title: str
    unit: MeasureUnit
    #: What a typical value is (the provider's target, else the national value or floor):
    #: tells whether a bare 0.9 means 0.9% or 90%.
    reference: Decimal | None
