"""The areas of what the year's commissioning is measured and bought by: Measures (every
year's set, with the years each applies to and its parts), Services (the Directory of
Services with its costed specifications) and Priorities (the shown year's).

Each area's field rule checks a typed value the way the domain's own functions do (a
measure's values by ``domain.measures.checks``, a name or number already taken), so a
cell, a paste and the command line are refused by the same sentences.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from dom_desk.domain.applicability import code_order
from dom_desk.domain.measures.checks import check_together, clean_value
from dom_desk.domain.measures.store import check_code_free
from dom_desk.domain.tables.spec import Area, Column, LoadContext
from dom_desk.domain.values import Kind, counted
from dom_desk.errors import ValidationError
from dom_desk.models import (
    Aggregation,
    Direction,
    Guidance,
    Measure,
    MeasureUnit,
    Pathway,
    Priority,
    Result,
    Scope,
    Service,
    ServiceLine,
    Target,
)
from dom_desk.models.performance import MeasureYear
from dom_desk.readers.returns_format import code_key

#: What "Years" says of a measure linked to no year.
EVERY_YEAR = "Every year"

# -- measures ------------------------------------------------------------------------------


def measures(ctx: LoadContext) -> Sequence[Measure]:
    """Every measure of the workbook, whatever its years, in code order (the window
    shows the year's by default: see the hidden ``in_year`` column)."""
    found = ctx.session.scalars(
        select(Measure).options(
            selectinload(Measure.years).selectinload(MeasureYear.year),
            selectinload(Measure.parts),
        )
    ).all()
    return sorted(found, key=lambda m: code_order(m.code))


def measure_years(measure: Measure, _ctx: LoadContext) -> str:
    years = sorted((link.year for link in measure.years), key=lambda y: y.start)
    return ", ".join(y.label for y in years) if years else EVERY_YEAR


def measure_in_year(measure: Measure, ctx: LoadContext) -> bool:
    return not measure.years or any(link.year_id == ctx.year.id for link in measure.years)


def measure_parts(measure: Measure, _ctx: LoadContext) -> str:
    return ", ".join(part.label for part in measure.parts)


def part_wordings(measure: Measure, _ctx: LoadContext) -> str:
    return "\n".join(f"{part.label} {part.wording}" for part in measure.parts)


def _uses(ctx: LoadContext) -> dict[int, tuple[int, int]]:
    """Each measure's targets and current results, in every year."""
    if "measure_uses" not in ctx.cache:
        targets = dict(
            ctx.session.execute(
                select(Target.measure_id, func.count()).group_by(Target.measure_id)
            ).all()
        )
        results = dict(
            ctx.session.execute(
                select(Result.measure_id, func.count())
                .where(Result.superseded.is_(False))
                .group_by(Result.measure_id)
            ).all()
        )
        ctx.cache["measure_uses"] = {
            m: (targets.get(m, 0), results.get(m, 0)) for m in targets.keys() | results.keys()
        }
    return ctx.cache["measure_uses"]


def measure_uses(measure: Measure, ctx: LoadContext) -> str:
    targets, results = _uses(ctx).get(measure.id, (0, 0))
    if not (targets or results):
        return "Nothing yet"
    return f"{counted(targets, 'target')} and {counted(results, 'result')}"


def measure_rule(session: Session, measure: Measure, key: str, value: Any, where: str) -> Any:
    """A measure's field checked as ``edit_measure`` checks it; the code's key kept in
    step with its code, so "pt 1" still finds it."""
    try:
        value = clean_value(key, value)
        if key in ("floor", "guidance"):
            check_together({"floor": measure.floor, "guidance": measure.guidance, key: value}, key)
        if key == "code":
            check_code_free(session, value, measure.id)
            measure.code_key = code_key(value)
    except ValidationError as exc:
        raise ValidationError(exc.reason, where) from None
    return value


MEASURES = Area(
    "measures",
    "Measures",
    Measure,
    (
        Column("code", "Code", editable=True, required=True),
        Column("title", "Wording", Kind.LONG_TEXT, editable=True, required=True),
        Column("unit", "Unit", Kind.CHOICE, editable=True, choices=MeasureUnit, required=True),
        Column(
            "direction", "Direction", Kind.CHOICE, editable=True, choices=Direction, required=True
        ),
        Column("guidance", "Guidance", Kind.CHOICE, editable=True, choices=Guidance, required=True),
        Column("national_value", "National value", Kind.DECIMAL, editable=True),
        Column("floor", "Floor", Kind.DECIMAL, editable=True),
        Column("weighting", "Weight", Kind.INTEGER, editable=True),
        Column("years", "Years", get=measure_years),
        Column("parts", "Parts", get=measure_parts),
        Column("area", "Area", editable=True, detail_only=True),
        Column(
            "scope",
            "Scope",
            Kind.CHOICE,
            editable=True,
            choices=Scope,
            required=True,
            detail_only=True,
        ),
        Column(
            "tolerance",
            "Tolerance (near target)",
            Kind.PERCENT,
            editable=True,
            required=True,
            minimum=Decimal(0),
            detail_only=True,
        ),
        Column(
            "reported_by_providers",
            "Reported by providers",
            Kind.FLAG,
            editable=True,
            required=True,
            detail_only=True,
        ),
        Column(
            "aggregation",
            "Year to date",
            Kind.CHOICE,
            editable=True,
            choices=Aggregation,
            required=True,
            detail_only=True,
        ),
        Column(
            "part_wordings", "Parts' wording", Kind.LONG_TEXT, get=part_wordings, detail_only=True
        ),
        Column("uses", "Targets and results", get=measure_uses, detail_only=True),
        Column("outcome", "Outcome", Kind.LONG_TEXT, editable=True, detail_only=True),
        Column("driver", "Driver", Kind.LONG_TEXT, editable=True, detail_only=True),
        Column("source", "Source", editable=True, detail_only=True),
        Column("notes", "Notes", Kind.LONG_TEXT, editable=True, detail_only=True),
        Column("in_year", "Applies in the year", Kind.FLAG, get=measure_in_year, hidden=True),
    ),
    measures,
    label_key="code",
    field_rule=measure_rule,
)

# -- services ------------------------------------------------------------------------------


def services(ctx: LoadContext) -> Sequence[Service]:
    return ctx.session.scalars(select(Service).order_by(func.lower(Service.name))).all()


def _lines(ctx: LoadContext) -> dict[int, tuple[int, int, int]]:
    """Each service's lines in the year: how many, the lowest and highest unit price."""
    if "service_lines" not in ctx.cache:
        rows = ctx.session.execute(
            select(
                ServiceLine.service_id,
                func.count(),
                func.min(ServiceLine.unit_price),
                func.max(ServiceLine.unit_price),
            )
            .where(ServiceLine.year_id == ctx.year.id)
            .group_by(ServiceLine.service_id)
        )
        ctx.cache["service_lines"] = {s: (n, low, high) for s, n, low, high in rows}
    return ctx.cache["service_lines"]


def service_line_count(service: Service, ctx: LoadContext) -> int:
    return _lines(ctx).get(service.id, (0, None, None))[0]


def lowest_price(service: Service, ctx: LoadContext) -> int | None:
    return _lines(ctx).get(service.id, (0, None, None))[1]


def highest_price(service: Service, ctx: LoadContext) -> int | None:
    return _lines(ctx).get(service.id, (0, None, None))[2]


def service_rule(session: Session, service: Service, key: str, value: Any, where: str) -> Any:
    """A service's name is its own (whatever the case) and fits the file's columns."""
    limits = {"name": 160, "unit": 40}
    if key in limits and len(value) > limits[key]:
        raise ValidationError(f"is longer than {limits[key]} characters", where)
    if key == "name":
        taken = session.scalar(
            select(Service.name).where(
                func.lower(Service.name) == value.casefold(), Service.id != service.id
            )
        )
        if taken is not None:
            raise ValidationError(f"there is already a service '{taken}'", where)
    return value


SERVICES = Area(
    "services",
    "Services",
    Service,
    (
        Column("name", "Service", editable=True, required=True),
        Column("pathway", "Pathway", Kind.CHOICE, editable=True, choices=Pathway),
        Column("unit", "Unit", editable=True),
        Column("target_unit_cost", "Target unit cost", Kind.MONEY, editable=True, minimum=0),
        Column("lines", "Lines this year", Kind.INTEGER, get=service_line_count),
        Column("lowest", "Lowest price paid", Kind.MONEY, get=lowest_price),
        Column("highest", "Highest price paid", Kind.MONEY, get=highest_price),
        Column(
            "minimum_quality", "Minimum quality", Kind.LONG_TEXT, editable=True, detail_only=True
        ),
        Column("outputs", "Outputs", Kind.LONG_TEXT, editable=True, detail_only=True),
    ),
    services,
    field_rule=service_rule,
)

# -- priorities ----------------------------------------------------------------------------


def priorities(ctx: LoadContext) -> Sequence[Priority]:
    return ctx.session.scalars(
        select(Priority).where(Priority.year_id == ctx.year.id).order_by(Priority.number)
    ).all()


def priority_rule(session: Session, priority: Priority, key: str, value: Any, where: str) -> Any:
    """A priority's number is 1 or more and no other priority's of its year."""
    if key == "title" and len(value) > 200:
        raise ValidationError("is longer than 200 characters", where)
    if key == "number":
        if value < 1:
            raise ValidationError("a priority's number is 1 or more", where)
        taken = session.scalar(
            select(Priority.title).where(
                Priority.year_id == priority.year_id,
                Priority.number == value,
                Priority.id != priority.id,
            )
        )
        if taken is not None:
            raise ValidationError(
                f"priority {value} of {priority.year.label} is already '{taken}'", where
            )
    return value


PRIORITIES = Area(
    "priorities",
    "Priorities",
    Priority,
    (
        Column("number", "No.", Kind.INTEGER, editable=True, required=True),
        Column("title", "Priority", editable=True, required=True),
        Column("rationale", "Rationale", Kind.LONG_TEXT, editable=True),
        Column("provider_response", "Providers' response", Kind.LONG_TEXT, editable=True),
    ),
    priorities,
    label_key="title",
    field_rule=priority_rule,
)
