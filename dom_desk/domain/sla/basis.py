"""Where a target's value stands in the negotiation, in the words the workspace shows.

Filling targets in bulk (``domain.targets_bulk``) writes a value that is only an offer:
the Regional Minimum floor, or last year's agreed figure. It says so in the target's
notes, and the workspace reads the note back as the target's basis while the value is
still the one offered; a value typed over it, or an agreement agreed or signed, is no
longer an offer.
"""

from __future__ import annotations

from decimal import Decimal

from dom_desk.models import Guidance, Measure, Target

#: How a target filled at the floor begins its notes.
OFFERED = "Offered at the Regional Minimum floor"
#: How a target copied from last year begins its notes ("Copied from 2008-09 ...").
COPIED = "Copied from "

#: What an empty target reads (the documents print "[x]" until it is negotiated).
NOT_YET_SET = "not yet set"

NATIONAL = "national"
NO_NATIONAL_VALUE = "no national value"
TO_NEGOTIATE = "to negotiate"
AGREED = "agreed"
OFFERED_FLOOR = "offered (floor)"
NEGOTIATING = "in negotiation"


def offered_note(floor: Decimal) -> str:
    return f"{OFFERED} ({format(floor.normalize(), 'f')}); an offer, not yet agreed"


def copied_note(last_year: str) -> str:
    return f"{COPIED}{last_year}'s agreed target; an offer, not yet agreed"


def basis(
    measure: Measure,
    target: Target | None,
    locked: bool,
    last_year: str = "",
    last_value: Decimal | None = None,
) -> str:
    """The target's basis: national; for an empty one, to negotiate (or no national
    value, for a National measure that has none recorded); offered (the floor, or last
    year's value, as filled); agreed; or in negotiation (a value typed in an agreement
    still open)."""
    if measure.guidance is Guidance.NATIONAL and measure.national_value is not None:
        return NATIONAL
    value = target.value if target is not None else None
    if value is None:
        return NO_NATIONAL_VALUE if measure.guidance is Guidance.NATIONAL else TO_NEGOTIATE
    if locked:
        return AGREED
    notes = target.notes if target is not None else ""
    if OFFERED in notes and value == measure.floor:
        return OFFERED_FLOOR
    if last_year and f"{COPIED}{last_year}" in notes and value == last_value:
        return f"offered ({last_year})"
    return NEGOTIATING
