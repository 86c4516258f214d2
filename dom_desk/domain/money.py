"""Money as integer pence: parsing what people type, formatting the UK way, exact sums.

Never a float: every function takes or returns ``int`` pence or ``Decimal`` pounds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from dom_desk.domain.limits import MAX_PENCE, check_pence
from dom_desk.errors import ValidationError

_STRIP = re.compile(r"[£,\s]")


def parse_pounds(text: str | int | Decimal, where: str = "") -> int:
    """Pence from what a user typed or pasted: ``£1,234.50``, ``1234.5``, ``(200)``, ``-200``.

    Refuses text that is not an amount, amounts with fractions of a penny, and amounts no
    region could hold (``limits.MAX_PENCE``), before any arithmetic on a huge exponent.
    """
    if isinstance(text, int):
        return check_pence(text * 100, where, text)
    if isinstance(text, Decimal):
        amount = text
    else:
        raw = str(text).strip()
        negative = raw.startswith("(") and raw.endswith(")")
        cleaned = _STRIP.sub("", raw.strip("()"))
        if cleaned.lower().endswith("m"):
            scale, cleaned = Decimal(1_000_000), cleaned[:-1]
        elif cleaned.lower().endswith("k"):
            scale, cleaned = Decimal(1000), cleaned[:-1]
        else:
            scale = Decimal(1)
        try:
            amount = Decimal(cleaned)
        except InvalidOperation:
            raise ValidationError(f"'{raw}' is not an amount of money", where) from None
        if not amount.is_finite():
            raise ValidationError(f"'{raw}' is not an amount of money", where)
        _check_size(amount, where, raw)  # before scaling: 1e999999m must not overflow
        amount *= scale
        if negative:
            amount = -amount
    _check_size(amount, where, text)
    pence = amount * 100
    if pence != pence.to_integral_value():
        raise ValidationError(f"'{text}' has a fraction of a penny", where)
    return int(pence)


def _check_size(amount: Decimal, where: str, typed: object) -> None:
    # The exponent first: 1e999999 must not be expanded into a million digits to compare.
    if amount and amount.adjusted() > 15:
        check_pence(MAX_PENCE + 1, where, typed)
    if abs(amount) * 100 > MAX_PENCE:
        check_pence(MAX_PENCE + 1, where, typed)


def to_pounds(pence: int) -> Decimal:
    return Decimal(pence) / 100


def format_pounds(pence: int | None, *, always_pence: bool = False) -> str:
    """``£1,234,567`` (pence shown only when there are some), ``-£2,500.50``; empty for None."""
    if pence is None:
        return ""
    sign = "-" if pence < 0 else ""
    pounds, rest = divmod(abs(pence), 100)
    if rest or always_pence:
        return f"{sign}£{pounds:,}.{rest:02d}"
    return f"{sign}£{pounds:,}"


def format_millions(pence: int) -> str:
    """``£4,123.0m``, as budget tables print large sums."""
    millions = (Decimal(pence) / 100_000_000).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return f"£{millions:,}m"


def total(values: Iterable[int | None]) -> int:
    """Exact sum of pence, ignoring empty figures."""
    return sum(v for v in values if v is not None)


def uprate(pence: int, percent: Decimal) -> int:
    """``pence`` increased by ``percent``, rounded half up to the penny."""
    raised = Decimal(pence) * (Decimal(100) + percent) / Decimal(100)
    return int(raised.quantize(Decimal(1), ROUND_HALF_UP))


def split(pence: int, weights: Sequence[int | Decimal]) -> list[int]:
    """Divides ``pence`` in proportion to ``weights``; the parts always sum to ``pence``.

    Largest-remainder rounding: each part gets its floor, then the pennies left over go
    to the parts with the largest remainders (earliest first on ties).
    """
    if not weights:
        raise ValueError("nothing to split between")
    weight_total = sum(Decimal(w) for w in weights)
    if weight_total <= 0 or any(Decimal(w) < 0 for w in weights):
        raise ValueError("weights must be non-negative and not all zero")
    exact = [Decimal(pence) * Decimal(w) / weight_total for w in weights]
    parts = [int(e.to_integral_value(rounding="ROUND_FLOOR")) for e in exact]
    left = pence - sum(parts)
    order = sorted(range(len(parts)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += 1
    return parts


def variance_percent(actual: int | None, reference: int | None) -> Decimal | None:
    """Percentage change from ``reference`` to ``actual``; None when not computable."""
    if actual is None or reference in (None, 0):
        return None
    change = Decimal(actual - reference) * 100 / Decimal(reference)
    return change.quantize(Decimal("0.1"), ROUND_HALF_UP)
