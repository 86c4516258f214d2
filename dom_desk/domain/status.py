"""A result's status against its target, honouring the measure's direction.

``compare`` works on plain values so the matrix can rate tens of thousands of cells
without loading a Measure object for each; ``status`` is the same rule for one result.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from dom_desk.models import Direction, Measure
from dom_desk.models.base import Labelled


class Status(Labelled):
    MET = "Met"
    NEAR = "Near"
    MISSED = "Missed"
    NO_TARGET = "No target"
    #: No return although its due date has passed: always late.
    MISSING = "Missing"
    #: No return yet, and none is due yet.
    NOT_DUE = "Not yet due"
    #: A target is set, but the provider does not send this measure in its returns.
    NO_FIGURES = "No figures"

    @property
    def severity(self) -> int:
        """Sort order, worst first: what a DOM must look at before anything else."""
        return _SEVERITY[self]

    @property
    def symbol(self) -> str:
        """A glyph shown beside the word, so the status reads without colour."""
        return _SYMBOLS[self]


_SEVERITY = {
    Status.MISSING: 0,
    Status.MISSED: 1,
    Status.NEAR: 2,
    Status.NO_TARGET: 3,
    Status.NO_FIGURES: 4,
    Status.NOT_DUE: 5,
    Status.MET: 6,
}
_SYMBOLS = {
    Status.MISSING: "!",
    Status.MISSED: "✗",
    Status.NEAR: "~",
    Status.NO_TARGET: "?",
    Status.NO_FIGURES: "·",
    Status.NOT_DUE: "…",
    Status.MET: "✓",
}


def compare(
    direction: Direction, tolerance: Decimal | None, actual: Decimal | None, target: Decimal | None
) -> Status:
    """Met, near (within ``tolerance`` per cent of the target) or missed.

    For lower-is-better measures (escapes, positive drug tests, sickness) being at or under
    the target is meeting it, and "near" means no more than the tolerance above it.
    """
    if target is None:
        return Status.NO_TARGET
    if actual is None:
        return Status.MISSING
    lower = direction is Direction.LOWER
    if (actual <= target) if lower else (actual >= target):
        return Status.MET
    slack = abs(target) * (tolerance or Decimal(0)) / 100
    shortfall = (actual - target) if lower else (target - actual)
    return Status.NEAR if shortfall <= slack else Status.MISSED


def status(measure: Measure, actual: Decimal | None, target: Decimal | None) -> Status:
    """The status of one result against its target (see :func:`compare`)."""
    return compare(measure.direction, measure.tolerance, actual, target)


def is_overdue(due: date, today: date) -> bool:
    """A return is late once its due date has passed (on the due date it is still on time)."""
    return today > due


def return_status(
    direction: Direction,
    tolerance: Decimal | None,
    actual: Decimal | None,
    target: Decimal | None,
    *,
    returned: bool,
    due: date,
    today: date,
) -> Status:
    """The status of a figure that may not have been returned yet.

    No return: "missing" once the due date has passed (late), else "not yet due". A missing
    return outranks "no target": the DOM chases the return whether or not a target is set.
    """
    if not returned or actual is None:
        return Status.MISSING if is_overdue(due, today) else Status.NOT_DUE
    return compare(direction, tolerance, actual, target)
