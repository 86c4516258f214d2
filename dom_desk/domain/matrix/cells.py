"""What the matrix is made of: a provider row, a measure column and one cell's standing,
all plain frozen values, with the rule that rates a cell's figure against its target."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from dom_desk.domain.matrix.names import short_name
from dom_desk.domain.performance import (
    MONTHS_IN,
    RULE_TAGS,
    Combined,
    format_measure_value,
    rule_text,
    window_target,
)
from dom_desk.domain.status import Status, compare
from dom_desk.models import (
    Aggregation,
    Direction,
    Guidance,
    MeasureUnit,
    PeriodKind,
    ProviderKind,
    Scope,
    Sector,
)


def figure_text(unit: MeasureUnit, value: Decimal | None) -> str:
    """A figure at its unit's precision (small rates to 0.01%), but a nought reads "0" or
    "0%", never "0.00%": a count shows no percent, and no escapes shows no decimals."""
    if value is not None and value == 0:
        return format_measure_value(unit, Decimal(0)).replace("0.00", "0").replace("0.0", "0")
    return format_measure_value(unit, value)


@dataclass(frozen=True, slots=True)
class MeasureInfo:
    id: int
    code: str
    title: str
    unit: MeasureUnit
    direction: Direction
    scope: Scope
    guidance: Guidance
    aggregation: Aggregation
    tolerance: Decimal
    weighting: int | None

    @property
    def short_name(self) -> str:
        """A few words a heading can hold ("Escapes from prison"); see :mod:`.names`."""
        return short_name(self.code, self.title)

    @property
    def heading(self) -> str:
        """The column heading: the short name over the code."""
        return f"{self.short_name}\n{self.code}"

    @property
    def rule_tag(self) -> str:
        return RULE_TAGS[self.aggregation]

    @property
    def rule(self) -> str:
        return rule_text(self.aggregation, self.unit)

    def describe(self) -> str:
        """Everything needed to read the column: wording, unit, direction, rule."""
        return (
            f"{self.code}: {self.title}\nUnit: {self.unit.label}. "
            f"{self.direction.label}. Near within {self.tolerance.normalize():f}% of "
            f"target.\n{self.scope.label}; {self.guidance.label} target.\n{self.rule}"
        )


@dataclass(frozen=True, slots=True)
class ProviderInfo:
    id: int
    name: str
    kind: ProviderKind
    sector: Sector


class Cell(NamedTuple):
    """One provider's standing on one measure for the window.

    A named tuple rather than a frozen dataclass: a national matrix makes 40,000 of them
    and a tuple is built in C, a frozen dataclass field by field in Python. The texts are
    properties, worked out when shown: the screen shows a few hundred cells at a time.
    """

    status: Status
    value: Decimal | None
    #: The target the window is held to (a count target's share of the year).
    target: Decimal | None
    annual_target: Decimal | None
    #: Periods returned, and returns past their due date that never came.
    returned: int
    late: int
    unit: MeasureUnit
    #: Some periods lacked the numerator and denominator a rate needs.
    partial: bool = False

    @property
    def value_text(self) -> str:
        return figure_text(self.unit, self.value)

    @property
    def target_text(self) -> str:
        return figure_text(self.unit, self.target)

    @property
    def label(self) -> str:
        """The status in words, with lateness: "Missing (late)", "Met (1 late)"."""
        if self.status is Status.MISSING:
            return "Missing (late)"
        if self.late:
            return f"{self.status.label} ({self.late} late)"
        return self.status.label

    @property
    def text(self) -> str:
        """What the grid shows: symbol, words and figure ("✗ Missed 84.0%")."""
        shown = f"{self.status.symbol} {self.label}"
        return f"{shown} {self.value_text}" if self.value_text else shown

    @property
    def short_text(self) -> str:
        """The compact grid's text: the symbol and the figure ("✓ 81.3%"), or the status
        in words where there is no figure ("? Missing (late)"); the words in the tooltip."""
        return f"{self.status.symbol} {self.value_text}" if self.value_text else self.text

    @property
    def sentence(self) -> str:
        """The cell read aloud or in a tooltip."""
        parts = [self.label + "."]
        if self.value_text:
            parts.append(f"Actual {self.value_text}.")
        if self.target_text:
            parts.append(f"Target {self.target_text}.")
        if self.partial:
            parts.append("Some returns lack a numerator or denominator.")
        return " ".join(parts)


def rated(
    measure: MeasureInfo,
    annual: Decimal | None,
    combined: Combined,
    returned: int,
    kind: PeriodKind,
    late: int,
) -> Cell:
    """A cell with a figure: rated against the share of the target its periods make."""
    target = window_target(measure.aggregation, annual, MONTHS_IN[kind] * returned)
    status = compare(measure.direction, measure.tolerance, combined.value, target)
    if combined.value is None and status is Status.NO_TARGET:
        status = Status.MISSING
    return Cell(
        status, combined.value, target, annual, returned, late, measure.unit, combined.partial
    )


def without_figures(
    measure: MeasureInfo,
    annual: Decimal | None,
    kind: PeriodKind,
    expected: int,
    overdue: int,
    reported: bool,
) -> Cell:
    """A cell no return in the window has filled: missing once a return the provider
    sends is overdue, not yet due before then, "no figures" for a measure it never sends."""
    target = window_target(measure.aggregation, annual, MONTHS_IN[kind] * expected)
    if not reported:
        return Cell(Status.NO_FIGURES, None, target, annual, 0, 0, measure.unit)
    status = Status.MISSING if overdue else Status.NOT_DUE
    return Cell(status, None, target, annual, 0, overdue, measure.unit)
