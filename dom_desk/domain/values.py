"""Typed field values: how each kind of value is shown, parsed from text and checked."""

from __future__ import annotations

import enum
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from dom_desk.domain.limits import whole_number
from dom_desk.domain.money import format_pounds, parse_pounds
from dom_desk.domain.periods import format_date, parse_date
from dom_desk.errors import ValidationError
from dom_desk.models.base import Labelled


class Kind(enum.Enum):
    """What a field holds; decides formatting, parsing, alignment and sorting."""

    TEXT = "text"
    LONG_TEXT = "long text"
    MONEY = "money"  # integer pence
    DATE = "date"
    INTEGER = "integer"
    DECIMAL = "decimal"
    PERCENT = "percent"  # a Decimal already in per cent (12.5 means 12.5%)
    CHOICE = "choice"  # a Labelled enum
    FLAG = "flag"  # bool

    @property
    def numeric(self) -> bool:
        return self in (Kind.MONEY, Kind.INTEGER, Kind.DECIMAL, Kind.PERCENT)


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """ "1 figure", "2,400 figures": a count with its noun in the right number."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"


def format_decimal(value: Decimal) -> str:
    """A decimal without trailing zeros and with thousands separators: ``12,500.5``."""
    normal = value.normalize()
    if normal == normal.to_integral_value():
        return f"{int(normal):,}"
    return f"{normal:,f}"


def format_value(kind: Kind, value: Any) -> str:
    """The text a user sees for a value."""
    if value is None:
        return ""
    match kind:
        case Kind.MONEY:
            return format_pounds(value)
        case Kind.DATE:
            return format_date(value)
        case Kind.INTEGER:
            return f"{value:,}"
        case Kind.DECIMAL:
            return format_decimal(value)
        case Kind.PERCENT:
            return f"{format_decimal(value)}%"
        case Kind.CHOICE:
            return value.label if isinstance(value, Labelled) else str(value)
        case Kind.FLAG:
            return "Yes" if value else "No"
    return str(value)


def edit_text(kind: Kind, value: Any) -> str:
    """The text put in an editor or copied to the clipboard: plain, parseable again."""
    if value is None:
        return ""
    match kind:
        case Kind.MONEY:
            return _plain_pounds(value)
        case Kind.INTEGER:
            return str(value)
        case Kind.DECIMAL | Kind.PERCENT:
            return format(value.normalize(), "f")
    return format_value(kind, value)


def _plain_pounds(pence: int) -> str:
    sign = "-" if pence < 0 else ""
    pounds, rest = divmod(abs(pence), 100)
    return f"{sign}{pounds}.{rest:02d}" if rest else f"{sign}{pounds}"


def parse_value(
    kind: Kind, text: str, where: str, choices: type[Labelled] | None = None, required: bool = False
) -> Any:
    """A typed value from what a user typed or pasted; ValidationError naming ``where``."""
    raw = str(text).strip()
    if not raw:
        if required:
            raise ValidationError("a value is required", where)
        return "" if kind in (Kind.TEXT, Kind.LONG_TEXT) else None
    match kind:
        case Kind.TEXT | Kind.LONG_TEXT:
            return raw
        case Kind.MONEY:
            return parse_pounds(raw, where)
        case Kind.DATE:
            return parse_date(raw, where)
        case Kind.INTEGER:
            cleaned = raw.replace(",", "").replace(" ", "")
            if not cleaned.lstrip("-").isdigit():
                raise ValidationError(f"'{raw}' is not a whole number", where)
            return whole_number(cleaned, where, raw)
        case Kind.DECIMAL | Kind.PERCENT:
            cleaned = raw.replace(",", "").replace(" ", "").rstrip("%")
            try:
                number = Decimal(cleaned)
            except InvalidOperation:
                raise ValidationError(f"'{raw}' is not a number", where) from None
            if not number.is_finite():
                raise ValidationError(f"'{raw}' is not a number", where)
            return number
        case Kind.CHOICE:
            assert choices is not None
            try:
                return choices.from_label(raw)
            except ValueError as exc:
                raise ValidationError(str(exc), where) from None
        case Kind.FLAG:
            if raw.casefold() in ("yes", "y", "true", "1"):
                return True
            if raw.casefold() in ("no", "n", "false", "0"):
                return False
            raise ValidationError(f"'{raw}' is not Yes or No", where)
    raise AssertionError(kind)


def natural_key(text: str) -> tuple:
    """Orders text as people read it: ``KPI 2`` before ``KPI 10``, case ignored. The
    split alternates text and numbers, so two keys always compare like with like."""
    return tuple(
        int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", text)
    )


def sort_key(value: Any) -> tuple:
    """Orders raw values of one column: empty last, then by value (enums by label, text
    as people read it)."""
    if value is None or value == "":
        return (1, 0)
    if isinstance(value, Labelled):
        return (0, value.label.casefold())
    if isinstance(value, str):
        return (0, natural_key(value))
    if isinstance(value, date | int | Decimal | bool):
        return (0, value)
    return (0, str(value))
