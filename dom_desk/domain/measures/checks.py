"""A measure's values checked: each refusal is one sentence naming the field."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from dom_desk.errors import ValidationError
from dom_desk.models import Aggregation, Direction, Guidance, MeasureUnit, Scope
from dom_desk.models.base import Labelled


@dataclass(frozen=True)
class PartView:
    """One part of a multi-part target; None where it takes the measure's own."""

    label: str
    wording: str
    unit: MeasureUnit | None = None
    direction: Direction | None = None
    national_value: Decimal | None = None
    weighting: int | None = None
    notes: str = ""


FIELD_NAMES: dict[str, str] = {
    "code": "code",
    "title": "wording",
    "area": "area",
    "unit": "unit",
    "direction": "direction",
    "scope": "scope",
    "guidance": "guidance",
    "aggregation": "aggregation",
    "national_value": "national value",
    "floor": "floor",
    "weighting": "weighting",
    "reported_by_providers": "reported by providers",
    "tolerance": "tolerance",
    "source": "source",
    "notes": "notes",
    "outcome": "outcome",
    "driver": "driver",
}
_ENUMS: dict[str, type[Labelled]] = {
    "unit": MeasureUnit,
    "direction": Direction,
    "scope": Scope,
    "guidance": Guidance,
    "aggregation": Aggregation,
}
_LIMITS = {"code": 20, "area": 120, "source": 200}
_REQUIRED_TEXT = frozenset({"code", "title"})
_DECIMALS = frozenset({"national_value", "floor", "tolerance"})


def refuse(field: str, reason: str) -> ValidationError:
    return ValidationError(f"The measure's {FIELD_NAMES.get(field, field)} {reason}.", field)


def enum_value(enum: type[Labelled], value: Any, field: str) -> Any:
    """``value`` as a member of ``enum``: a member already, or its label or name."""
    if isinstance(value, enum):
        return value
    try:
        return enum.from_label(str(value))
    except ValueError:
        choices = ", ".join(m.value for m in enum)
        raise refuse(field, f"'{value}' is not one of {choices}") from None


def decimal_value(value: Any, field: str) -> Decimal | None:
    """An exact number, or None for an empty value; floats are refused (never binary)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool | float):
        raise refuse(field, "must be a whole or decimal number written exactly")
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise refuse(field, f"'{value}' is not a number") from None
    if not number.is_finite():
        raise refuse(field, f"'{value}' is not a number")
    return number


def weight_value(value: Any, field: str = "weighting") -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= 100:
        raise refuse(field, "must be a whole number from 1 to 100")
    return value


def clean_value(field: str, value: Any) -> Any:
    """``value`` checked and normalised for ``field``; refused in one sentence."""
    if field not in FIELD_NAMES:
        raise ValidationError(f"A measure has no field '{field}'.", field)
    if field in _ENUMS:
        return enum_value(_ENUMS[field], value, field)
    if field in _DECIMALS:
        number = decimal_value(value, field)
        if field == "tolerance" and (number is None or number < 0):
            raise refuse(field, "must be a number of per cent, zero or more")
        return number
    if field == "weighting":
        return weight_value(value)
    if field == "reported_by_providers":
        if not isinstance(value, bool):
            raise refuse(field, "must be yes or no")
        return value
    if not isinstance(value, str):
        raise refuse(field, "must be text")
    text = value.strip()
    if field in _REQUIRED_TEXT and not text:
        raise refuse(field, "is empty")
    limit = _LIMITS.get(field)
    if limit is not None and len(text) > limit:
        raise refuse(field, f"is longer than {limit} characters")
    return text


def check_together(values: Mapping[str, Any], changed: str = "floor") -> None:
    """The rules between fields, on a measure's values as they would be after a write.

    A floor is the level a Regional Minimum target may not be set worse than, so only a
    Regional Minimum measure has one; ``changed`` is the field being written, which the
    refusal names (typing a floor, or changing the guidance of a measure with one).
    """
    floor = values.get("floor")
    guidance = values.get("guidance", Guidance.LOCALLY_SET)
    if floor is None or guidance is Guidance.REGIONAL_MINIMUM:
        return
    if changed == "guidance":
        raise ValidationError(
            f"The measure has a floor of {floor.normalize():f}, which only a Regional Minimum "
            "measure has: empty the floor first.",
            changed,
        )
    raise ValidationError(
        "The measure's floor is only for a Regional Minimum measure: set its guidance to "
        "Regional Minimum first, or leave the floor empty.",
        "floor",
    )


def clean_part(part: PartView, number: int) -> PartView:
    """A part checked; refusals name the part by its place and label."""
    where = f"part {number} ({part.label})" if part.label else f"part {number}"
    label = part.label.strip() if isinstance(part.label, str) else ""
    if not label or len(label) > 20:
        raise ValidationError(f"The measure's {where} needs a label of 1 to 20 characters.")
    wording = part.wording.strip() if isinstance(part.wording, str) else ""
    if not wording:
        raise ValidationError(f"The measure's {where} has no wording.")
    return PartView(
        label=label,
        wording=wording,
        unit=None if part.unit is None else enum_value(MeasureUnit, part.unit, "unit"),
        direction=None
        if part.direction is None
        else enum_value(Direction, part.direction, "direction"),
        national_value=decimal_value(part.national_value, "national_value"),
        weighting=weight_value(part.weighting, f"{where} weighting"),
        notes=part.notes.strip(),
    )


def clean_parts(parts: Sequence[PartView]) -> tuple[PartView, ...]:
    cleaned = tuple(clean_part(p, n) for n, p in enumerate(parts, start=1))
    labels = [p.label.casefold() for p in cleaned]
    for number, label in enumerate(labels, start=1):
        if labels.index(label) != number - 1:
            raise ValidationError(
                f"The measure's part {number} uses the label '{cleaned[number - 1].label}' "
                "of an earlier part."
            )
    if len(cleaned) == 1:
        raise ValidationError("A multi-part measure needs at least two parts.")
    return cleaned
