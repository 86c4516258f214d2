"""A measure's figure as the returns import shows it: at the precision of its unit.

Percentages and rates to 2 decimal places (fine enough to check a provider's arithmetic:
a typed 12% against 11.97% worked out), days to 1, counts and "1 in x" whole. Only the
text is rounded: stored values keep the precision they were read with.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from dom_desk.models import MeasureUnit

#: The last place each unit is shown to.
PLACES: dict[MeasureUnit, Decimal] = {
    MeasureUnit.PERCENT: Decimal("0.01"),
    MeasureUnit.RATE_PER_1000: Decimal("0.01"),
    MeasureUnit.RATE_PER_100000: Decimal("0.01"),
    MeasureUnit.DAYS: Decimal("0.1"),
    MeasureUnit.COUNT: Decimal("1"),
    MeasureUnit.ONE_IN_X: Decimal("1"),
}


def shown_figure(value: Decimal, unit: MeasureUnit) -> str:
    """``26.58%``, ``12.35 per 1,000``, ``8.4 days``, ``1,197``, ``1 in 2,035``."""
    text = f"{value.quantize(PLACES[unit], rounding=ROUND_HALF_UP):,f}"
    return _with_unit(text, unit)


def typed_figure(value: Decimal, unit: MeasureUnit) -> str:
    """A figure as the provider typed it, with its unit: ``12%``, ``11.9%``, ``1 in 2,000``."""
    normal = value.normalize()
    text = f"{int(normal):,}" if normal == normal.to_integral_value() else f"{normal:,f}"
    return _with_unit(text, unit)


def _with_unit(text: str, unit: MeasureUnit) -> str:
    match unit:
        case MeasureUnit.PERCENT:
            return f"{text}%"
        case MeasureUnit.RATE_PER_1000:
            return f"{text} per 1,000"
        case MeasureUnit.RATE_PER_100000:
            return f"{text} per 100,000"
        case MeasureUnit.DAYS:
            return f"{text} days"
        case MeasureUnit.ONE_IN_X:
            return f"1 in {text}"
    return text


def beyond_rounding(typed: Decimal, worked: Decimal, unit: MeasureUnit) -> bool:
    """True when a typed figure and the one worked out differ by more than half of the
    last place the unit is shown to (so the two would not read the same)."""
    return abs(typed - worked) > PLACES[unit] / 2
