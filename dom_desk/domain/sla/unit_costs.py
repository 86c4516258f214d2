"""A service line's unit price against its service's target unit cost (the costed
specification in the Directory of Services), exact in pence."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from dom_desk.domain.money import format_pounds

NO_TARGET = "no target cost"
AT_TARGET = "at target"


def cost_difference(unit_price: int, target_unit_cost: int | None) -> int | None:
    """Pence the unit price is above (positive) or below (negative) the target; None
    when the service has no target unit cost."""
    if target_unit_cost is None:
        return None
    return unit_price - target_unit_cost


def against_target(unit_price: int, target_unit_cost: int | None) -> str:
    """``+£120 (8.0%) above``, ``at target``, ``-£50 (2.1%) below`` or ``no target cost``.

    The amount is exact to the penny; the share of the target is rounded half up to one
    decimal place (left out when the target is £0, where no share can be worked out).
    """
    difference = cost_difference(unit_price, target_unit_cost)
    if difference is None or target_unit_cost is None:
        return NO_TARGET
    if difference == 0:
        return AT_TARGET
    amount = format_pounds(difference)
    if difference > 0:
        amount = "+" + amount
    word = "above" if difference > 0 else "below"
    if target_unit_cost == 0:
        return f"{amount} {word}"
    share = (Decimal(abs(difference)) * 100 / Decimal(target_unit_cost)).quantize(
        Decimal("0.1"), ROUND_HALF_UP
    )
    return f"{amount} ({share}%) {word}"
