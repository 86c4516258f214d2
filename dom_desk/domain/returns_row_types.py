"""The rows of a return as the import describes them: status, issues, the stored figures,
and what a measure is (shared by the row checks, the preview and the window)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from dom_desk.domain.values import counted
from dom_desk.models import AdjustmentKind, MeasureUnit
from dom_desk.models.base import Labelled


class RowStatus(Labelled):
    READY = "Ready"
    NOTE = "Ready, with a note"
    ERROR = "Error"
    BLANK = "No figure"
    IGNORED = "Not a measure: ignored"
    #: Left out in the preview by the DOM (recorded with the import, not stored).
    LEFT_OUT = "Left out"

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


@dataclass(frozen=True, slots=True)
class Adjustment:
    """One decision applied to a return: a cell corrected, or a row left out."""

    kind: AdjustmentKind
    sheet: str
    #: The cell corrected, ``E7`` (for a row left out, its Code cell).
    cell: str
    row: int
    #: The return's column corrected (``Actual``), "" for a row left out.
    column: str
    #: What the cell held in the file (for a row left out, its code).
    old_text: str
    #: What was typed in its place.
    new_text: str
    #: The value that will be (or was) stored from it, "" for none.
    stored: str
    #: Why, in words: what was wrong before, or why the row was left out.
    reason: str
    #: For a correction still refused, its sentence (never stored).
    still: str = ""

    @property
    def left_out(self) -> bool:
        return self.kind is AdjustmentKind.LEFT_OUT

    def describe(self) -> str:
        """``Return!E7: Actual 'seven' corrected to '7' (it was refused: ...)``."""
        place = f"{self.sheet}!{self.cell}"
        if self.left_out:
            what = f" ({self.old_text})" if self.old_text else ""
            return f"{place}: row {self.row}{what} {self.reason}"
        old = f"'{self.old_text}'" if self.old_text else "an empty cell"
        new = f"'{self.new_text}'" if self.new_text else "nothing"
        text = f"{place}: {self.column} {old} corrected to {new}"
        if self.stored and self.stored != self.new_text:
            text += f", stored as {self.stored}"
        if self.reason:
            text += f" (it {self.reason})"
        if self.still:
            text += f"; still refused: {self.still}"
        return text


def decisions_words(corrections: int, left_out: int) -> str:
    """``2 corrections, 1 row left out`` (empty when there are none)."""
    parts = []
    if corrections:
        parts.append(counted(corrections, "correction"))
    if left_out:
        parts.append(f"{counted(left_out, 'row')} left out")
    return ", ".join(parts)
