"""Which function adds a record for each area's "New…" form (``FORMS``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from dom_desk.domain.records.creating import (
    create_agreement,
    create_contract,
    create_envelope_line,
    create_milestone,
    create_priority,
    create_provider,
    create_risk,
)
from dom_desk.domain.records.forms import FORMS
from dom_desk.domain.records.reference_records import create_measure_record, create_service
from dom_desk.errors import ValidationError
from dom_desk.storage.workbook import Workbook


def create(
    wb: Workbook, area_key: str, values: Mapping[str, Any], year_label: str | None = None
) -> int:
    """A new record of an area from a form's answers (``FORMS``); returns its id."""
    makers: dict[str, Callable[..., int]] = {
        "providers": create_provider,
        "milestones": create_milestone,
        "risks": create_risk,
        "agreements": lambda wb, **v: create_agreement(wb, year_label=year_label, **v),
        "contracts": lambda wb, **v: create_contract(wb, year_label=year_label, **v),
        "envelope": lambda wb, **v: create_envelope_line(wb, year_label=year_label, **v),
        "priorities": lambda wb, **v: create_priority(wb, year_label=year_label, **v),
        "measures": lambda wb, **v: create_measure_record(wb, year_label=year_label, **v),
        "services": create_service,
    }
    if area_key not in makers:
        raise ValidationError(f"New records cannot be added to {area_key}")
    known = {f.key for f in FORMS[area_key]}
    return makers[area_key](wb, **{k: v for k, v in values.items() if k in known})
