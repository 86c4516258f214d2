"""A result's status against its target, honouring the measure's direction."""

from __future__ import annotations

from decimal import Decimal

from dom_desk.models import Direction, Measure
from dom_desk.models.base import Labelled


class Status(Labelled):
    MET = "Met"
    NEAR = "Near"
    MISSED = "Missed"
    NO_TARGET = "No target"
    MISSING = "Missing"


def status(measure: Measure, actual: Decimal | None, target: Decimal | None) -> Status:
    """Met, near (within the measure's tolerance, in % of the target) or missed.

    For lower-is-better measures (escapes, positive drug tests, sickness) being under the
    target is meeting it.
    """
    if target is None:
        return Status.NO_TARGET
    if actual is None:
        return Status.MISSING
    lower = measure.direction is Direction.LOWER
    if (actual <= target) if lower else (actual >= target):
        return Status.MET
    slack = abs(target) * (measure.tolerance or Decimal(0)) / 100
    shortfall = (actual - target) if lower else (target - actual)
    return Status.NEAR if shortfall <= slack else Status.MISSED
