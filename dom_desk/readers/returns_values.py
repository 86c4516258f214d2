"""Reading the figures in a return's cells forgivingly: "1,234", " 90 % ", "n/a".

A number comes as an int or a float from the reader (calamine gives every number as a
float): a float is read through its shortest repr, the digits Excel shows, so 0.1 is
Decimal("0.1") exactly and no penny is lost; 12.0 is 12.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from math import isfinite
from typing import Any

from dom_desk.readers import returns_format as fmt

_BLANK_WORDS = frozenset({"n/a", "na", "-", "--", "\u2013", "\u2014", "not applicable"})
#: Digits before the decimal point a figure may have: Excel keeps 15 significant digits.
MAX_DIGITS = 15
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


class ValueProblem(ValueError):
    """A cell's value is of the wrong kind; the message says what was found."""


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def to_decimal(value: Any) -> tuple[Decimal | None, bool]:
    """A number from a cell, and whether it was written with a ``%`` sign.

    Accepts numbers, and text with thousands separators, stray spaces or a trailing
    ``%``; blank, "n/a" and "-" mean no figure. Raises ValueProblem for anything else.
    """
    if value is None:
        return None, False
    kind = type(value)
    if kind is float:  # what calamine gives for every number: checked first
        if not isfinite(value):
            raise ValueProblem("the cell holds an error, not a number")
        number = Decimal(repr(value))
        # Between 1e-15 and 1e15, as nearly every figure is, _bounded has nothing to do.
        if 1e-15 <= abs(value) < 1e15:
            return number, False
        return _bounded(number, value), False
    if kind is int:
        return _bounded(Decimal(value), value), False
    if isinstance(value, bool):
        raise ValueProblem(f"'{value}' is not a number")
    if isinstance(value, int):
        return _bounded(Decimal(value), value), False
    if isinstance(value, float):
        if not isfinite(value):
            raise ValueProblem("the cell holds an error, not a number")
        return _bounded(Decimal(repr(value)), value), False
    if isinstance(value, Decimal):
        return _bounded(value, value), False
    if isinstance(value, datetime | date | time | timedelta):
        raise ValueProblem(f"'{_shown(value)}' is a date, not a number")
    text = str(value).translate(fmt.SPACES)
    if not text or text.casefold() in _BLANK_WORDS:
        return None, False
    if text.startswith("#"):
        raise ValueProblem(f"the cell shows the error {_shown(text)}, not a number")
    percent = text.endswith("%")
    digits = text.rstrip("%")
    if "," in digits:
        if not _GROUPED.match(digits):
            raise ValueProblem(f"'{_shown(value)}' is not a number (use a full stop for decimals)")
        digits = digits.replace(",", "")
    try:
        number = Decimal(digits)
    except InvalidOperation:
        raise ValueProblem(f"'{_shown(value)}' is not a number") from None
    if not number.is_finite():
        raise ValueProblem(f"'{_shown(value)}' is not a number")
    return _bounded(number, value), percent


def _bounded(number: Decimal, value: Any) -> Decimal:
    """Refuses what no return could mean, before anything prints it in full: "1e999999999"
    written out would take a gigabyte."""
    if not number:
        return number
    if number.adjusted() >= MAX_DIGITS:
        raise ValueProblem(f"'{_shown(value)}' is too large to be a figure")
    if number.adjusted() < -MAX_DIGITS:
        return Decimal(0)  # stored to six places it is 0 anyway ("1e-999999999")
    return number


def text_of(value: Any) -> str:
    """A cell as text, for codes, names and commentary."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()
