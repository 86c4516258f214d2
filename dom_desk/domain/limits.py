"""The largest figures DOM Desk accepts, checked where a figure enters (typed, pasted,
imported, given on the command line) so the database never sees one it cannot hold.

Why these bounds: SQLite keeps whole numbers in 64 bits (about 9.2e18), and totals add
up hundreds of thousands of figures (480,000 at this bound still fit). No region's budget
reaches a hundred billion pounds, and no count of people, places or days a DOM records
reaches a billion; anything larger is a typing slip, and refusing it by sentence beats an
overflow deep in a query.
"""

from __future__ import annotations

from dom_desk.errors import ValidationError
from dom_desk.models.base import string_length, too_long

#: A hundred billion pounds, in pence: more than any region could hold, and 480,000 of
#: them still sum within SQLite's 64-bit integers.
MAX_PENCE = 100_000_000_000 * 100
#: A billion: more than any count a DOM records (places, referrals, days).
MAX_COUNT = 1_000_000_000


def check_pence(pence: int, where: str = "", typed: object = None) -> int:
    """``pence`` back, or ValidationError naming ``where`` if no region could hold it."""
    if abs(pence) > MAX_PENCE:
        shown = f"'{typed}'" if typed is not None and len(str(typed)) <= 40 else "The amount"
        raise ValidationError(
            f"{shown} is more than £100,000,000,000, which no region could hold", where
        )
    return pence


def check_count(count: int, where: str = "", typed: object = None) -> int:
    """``count`` back, or ValidationError naming ``where`` if it is beyond any real count."""
    if abs(count) > MAX_COUNT:
        shown = f"'{typed}'" if typed is not None and len(str(typed)) <= 40 else "The number"
        raise ValidationError(f"{shown} is more than 1,000,000,000, too large to be real", where)
    return count


def whole_number(digits: str, where: str = "", typed: object = None) -> int:
    """The whole number ``digits`` (an optional minus, then digits) within ``MAX_COUNT``;
    its length is checked first, so thousands of digits never reach ``int()``."""
    if len(digits.lstrip("-")) > len(str(MAX_COUNT)):
        check_count(MAX_COUNT + 1, where, typed if typed is not None else digits)
    return check_count(int(digits), where, typed)


def check_length(entity: type, key: str, value: object, title: str, where: str = "") -> None:
    """Refuses a text longer than the column ``entity.key`` holds, naming the field:
    "Delivery date as written is at most 60 characters (61 given)". PostgreSQL enforces
    a column's length and SQLite does not, so the check is made before either sees it."""
    length = string_length(entity, key)
    if length is not None and isinstance(value, str) and (reason := too_long(length, value)):
        raise ValidationError(f"{title} {reason}", where or title)
