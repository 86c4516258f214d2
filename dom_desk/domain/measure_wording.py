"""A measure's wording with its target written in place of the template's placeholder.

The frameworks word measures with a blank for the figure, as the national documents do:
"less than x.x% of the prison population", "[x]% of prisoners ...", "Fewer than 1 in x
escapes", "at least X". Once a provider's target is set, the plan prints the wording
with the target in the blank ("less than 2.8% of the prison population"); while it is
not set, the blank stays, so a reader sees what is still to be agreed.
"""

from __future__ import annotations

import re
from decimal import Decimal

from dom_desk.domain.performance import format_measure_value
from dom_desk.models import MeasureUnit

# One blank, longest forms first: "[x.x%]", "[x%]", "[x] %", "[x]", "x.x %", "x%", "x.x",
# and a lone "x" or "X" as a word ("1 in x", "at least X"). "[y]", "[z]" and "[4]" are
# not blanks for the measure's one target.
_BLANK = re.compile(
    r"\[x(?:\.x)?\s?%\]|\[x(?:\.x)?\](?:\s?%)?|(?<![\w.])x(?:\.x)?(?:\s?%)?(?![\w.])",
    re.IGNORECASE,
)


def placeholders(wording: str) -> int:
    """How many blanks for the target the wording has."""
    return len(_BLANK.findall(wording))


def _number(unit: MeasureUnit, target: Decimal) -> str:
    """The target's figure without its unit word: "2.8", "20,000", "9.5"."""
    text = format_measure_value(unit, target)
    match unit:
        case MeasureUnit.PERCENT:
            return text.removesuffix("%")
        case MeasureUnit.ONE_IN_X:
            return text.removeprefix("1 in ")
        case MeasureUnit.DAYS:
            return text.removesuffix(" days")
    return text


def worded(wording: str, target: Decimal | None, unit: MeasureUnit) -> str:
    """``wording`` with ``target`` (formatted in ``unit``) in its blank.

    Left as it is when the target is not set, when the wording has no blank, or when it
    has more than one (a compound wording, "[x] ... and [x] ...": which blank the one
    target fills cannot be told).
    """
    if target is None:
        return wording
    found = list(_BLANK.finditer(wording))
    if len(found) != 1:
        return wording
    blank = found[0]
    before, after = wording[: blank.start()], wording[blank.end() :]
    number = _number(unit, target)
    if "%" in blank.group():
        figure = f"{number}%"  # the wording's own sign stays, whatever the unit
    elif unit is MeasureUnit.ONE_IN_X and not re.search(r"\b1 in\s*$", before):
        figure = f"1 in {number}"
    elif unit is MeasureUnit.DAYS and not re.match(r"\s*days?\b", after, re.IGNORECASE):
        figure = f"{number} days"
    elif unit is MeasureUnit.PERCENT:
        figure = f"{number}%"
    else:
        figure = number
    return f"{before}{figure}{after}"
