"""New measures and services from the window's "New…" forms, each one transaction.

A measure is made by ``domain.measures.create_measure`` (the command line's path too),
for the year shown: a measure set is per year. Its refusals, which name the measure's
field, are told as the form's ("New measure, Code").
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from dom_desk.domain import measures
from dom_desk.domain.records.creating import _inserted, _text, _where
from dom_desk.domain.region import current_year, year_by_label
from dom_desk.errors import ValidationError
from dom_desk.models import Direction, Guidance, MeasureUnit, Pathway, Service
from dom_desk.storage.workbook import Workbook

#: The form's title of each measure field a refusal may name.
_MEASURE_TITLES = {
    "code": "Code",
    "title": "Wording",
    "unit": "Unit",
    "direction": "Direction",
    "guidance": "Guidance",
}


def create_measure_record(
    wb: Workbook,
    code: str,
    title: str,
    unit: MeasureUnit | str | None,
    direction: Direction | str | None = None,
    guidance: Guidance | str | None = None,
    year_label: str | None = None,
) -> int:
    """A measure of the year's set (the shown year when not given); returns its id."""
    area = "measures"
    code = _text(code, area, "Code", required=True)
    title = _text(title, area, "Wording", required=True)
    if unit in (None, ""):
        raise ValidationError("choose the unit", _where(area, "Unit"))
    values: dict[str, Any] = {}
    if direction not in (None, ""):
        values["direction"] = direction
    if guidance not in (None, ""):
        values["guidance"] = guidance
    with wb.session() as session:
        year = (year_by_label(session, year_label) if year_label else current_year(session)).label
    try:
        return measures.create_measure(wb, code, title, unit, years=[year], **values).id
    except ValidationError as exc:
        field = _MEASURE_TITLES.get(exc.where, "Code")
        raise ValidationError(exc.reason, _where(area, field)) from None


def create_service(
    wb: Workbook,
    name: str,
    pathway: Pathway | str | None = None,
    unit: str = "",
    target_unit_cost: int | None = None,
) -> int:
    """A service of the Directory; its name must not be taken (whatever the case)."""
    area = "services"
    name = _text(name, area, "Service", required=True)
    if len(name) > 160:
        raise ValidationError("is longer than 160 characters", _where(area, "Service"))
    unit = _text(unit, area, "Unit")
    if len(unit) > 40:
        raise ValidationError("is longer than 40 characters", _where(area, "Unit"))
    if pathway not in (None, "") and not isinstance(pathway, Pathway):
        try:
            pathway = Pathway.from_label(str(pathway))
        except ValueError as exc:
            raise ValidationError(str(exc), _where(area, "Pathway")) from None
    if target_unit_cost is not None and (
        isinstance(target_unit_cost, bool)
        or not isinstance(target_unit_cost, int)
        or target_unit_cost < 0
    ):
        raise ValidationError(
            "a unit cost is £0 or more, in pence", _where(area, "Target unit cost")
        )
    with wb.session() as session:
        taken = session.scalar(
            select(Service.name).where(func.lower(Service.name) == name.casefold())
        )
        if taken is not None:
            raise ValidationError(f"there is already a service '{taken}'", _where(area, "Service"))
        return _inserted(
            session,
            Service(
                name=name,
                pathway=pathway or None,
                unit=unit,
                target_unit_cost=target_unit_cost,
            ),
            _where(area, "Service"),
        )
