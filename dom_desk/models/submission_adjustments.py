"""What the DOM decided about a return in the import preview: a refused cell corrected,
or a row left out. Kept with the submission it was imported as (its provenance), never
changed afterwards."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dom_desk.models.base import Base, Labelled
from dom_desk.models.performance import Submission


class AdjustmentKind(Labelled):
    CORRECTED = "Corrected"
    LEFT_OUT = "Left out"


class SubmissionAdjustment(Base):
    """One correction (cell, what it held, what was stored) or one row left out (and why)."""

    __tablename__ = "submission_adjustment"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submission.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[AdjustmentKind]
    #: The sheet and cell (for a row left out, the row's first cell), ``Return`` and ``E7``.
    sheet: Mapped[str] = mapped_column(String(31))
    cell: Mapped[str] = mapped_column(String(12))
    source_row: Mapped[int]
    #: The return's column corrected (``Actual``), or "" for a row left out.
    return_column: Mapped[str] = mapped_column(String(40), default="")
    #: What the cell held in the file, as text.
    old_text: Mapped[str] = mapped_column(Text, default="")
    #: What the DOM typed in its place.
    new_text: Mapped[str] = mapped_column(Text, default="")
    #: The value stored from it, as text ("" when the cell was emptied).
    stored: Mapped[str] = mapped_column(String(60), default="")
    #: In words: what was wrong before the correction, or why the row was left out.
    reason: Mapped[str] = mapped_column(Text, default="")

    submission: Mapped[Submission] = relationship()
