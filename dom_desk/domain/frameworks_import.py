"""A published framework (``dom_desk.readers.frameworks``) added to a workbook for a year.

One transaction: each measure of the framework is added, or, if the workbook already
has one with its code, updated only in the fields where the framework differs (and the
report names them). Nothing is duplicated, and a second import of the same framework
changes nothing. The aggregation (derived from the unit) is set on a new measure only,
and the source's notes fill a held measure's notes only where it has none. A field the
framework leaves out (a direction its source does not make clear, a national value not
printed) never overwrites what the workbook holds; a new measure takes the model's
default there. A measure already applying to every year is
left so (it applies in the year anyway); any other is linked to the year as well.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dom_desk.domain.measures import (
    PartView,
    clean_parts,
    clean_value,
    find_measure,
    part_view,
    replace_parts,
)
from dom_desk.domain.periods import parse_year, year_label
from dom_desk.domain.region import ensure_year
from dom_desk.errors import ValidationError
from dom_desk.models import (
    Aggregation,
    Direction,
    FinancialYear,
    Guidance,
    Measure,
    MeasureUnit,
    Scope,
)
from dom_desk.models.performance import MeasureYear
from dom_desk.readers.frameworks import Framework, FrameworkMeasure
from dom_desk.readers.returns_format import code_key
from dom_desk.storage import audit
from dom_desk.storage.workbook import Workbook

#: How a unit's figures combine over periods: rates and shares are ratios, counts add
#: up, and averages (days, "1 in x") are read as they stand.
AGGREGATION_OF = {
    MeasureUnit.PERCENT: Aggregation.RATIO,
    MeasureUnit.RATE_PER_1000: Aggregation.RATIO,
    MeasureUnit.RATE_PER_100000: Aggregation.RATIO,
    MeasureUnit.COUNT: Aggregation.SUM,
    MeasureUnit.DAYS: Aggregation.LATEST,
    MeasureUnit.ONE_IN_X: Aggregation.LATEST,
}


@dataclass(frozen=True)
class MeasureChange:
    """One measure of the framework: added, updated (with the fields) or unchanged."""

    code: str
    added: bool
    fields: tuple[str, ...]
    linked_year: bool

    @property
    def changed(self) -> bool:
        return self.added or bool(self.fields) or self.linked_year


@dataclass(frozen=True)
class FrameworkImport:
    """What importing a framework into a year did."""

    framework: str
    framework_year: str
    year: str
    year_added: bool
    measures: tuple[MeasureChange, ...]

    @property
    def added(self) -> tuple[MeasureChange, ...]:
        return tuple(m for m in self.measures if m.added)

    @property
    def updated(self) -> tuple[MeasureChange, ...]:
        return tuple(m for m in self.measures if m.changed and not m.added)

    @property
    def changed_nothing(self) -> bool:
        return not self.year_added and not any(m.changed for m in self.measures)

    @property
    def other_year(self) -> bool:
        """The framework was published for another year than the one imported into."""
        return self.framework_year != self.year


def measure_values(framework: Framework, measure: FrameworkMeasure) -> dict[str, Any]:
    """The measure's fields as the framework states them; left out where it says nothing."""
    unit = MeasureUnit.from_label(measure.unit)
    values: dict[str, Any] = {
        "code": measure.code,
        "title": measure.wording,
        "unit": unit,
        "aggregation": AGGREGATION_OF[unit],
        "notes": _notes(measure),
        "outcome": measure.outcome or "",
        "driver": measure.driver or "",
    }
    # A region's spreadsheet may name no source: then the workbook's is kept.
    source = measure.source or framework.source
    if source:
        values["source"] = source
    area = measure.area or measure.section
    if area:
        values["area"] = area
    optional = {
        "direction": measure.direction and Direction.from_label(measure.direction),
        "scope": measure.scope and Scope.from_label(measure.scope),
        "guidance": measure.guidance and Guidance.from_label(measure.guidance),
        "national_value": measure.national_value,
        "floor": measure.floor,
        "weighting": measure.weight,
        "reported_by_providers": measure.reported_by_providers,
        "tolerance": measure.tolerance,
    }
    values.update({k: v for k, v in optional.items() if v is not None})
    return {name: clean_value(name, value) for name, value in values.items()}


def _notes(measure: FrameworkMeasure) -> str:
    """The source's own notes, with its guidance words where they say more than the
    guidance field can (``10% reduction``, ``National <26%``)."""
    printed = measure.guidance_printed
    if not printed or printed == measure.guidance:
        return measure.notes
    return " ".join(filter(None, (measure.notes, f"Guidance as printed: {printed}.")))


def _prepared(framework: Framework) -> list[tuple[dict[str, Any], tuple[PartView, ...]]]:
    """Every measure's values and parts checked before the workbook is touched; a
    refusal names the file and the measure."""
    prepared = []
    for number, measure in enumerate(framework.measures, start=1):
        try:
            prepared.append((measure_values(framework, measure), measure_parts(measure)))
        except ValidationError as exc:
            where = f"{framework.path.name}, measure {number} ({measure.code})"
            raise ValidationError(exc.reason, where) from None
    return prepared


def measure_parts(measure: FrameworkMeasure) -> tuple[PartView, ...]:
    """The parts, each keeping only what differs from its measure (else None)."""
    return clean_parts(
        [
            PartView(
                label=part.suffix,
                wording=part.wording,
                unit=None if part.unit == measure.unit else MeasureUnit.from_label(part.unit),
                direction=None
                if part.direction in (None, measure.direction)
                else Direction.from_label(part.direction),
                national_value=None
                if part.national_value == measure.national_value
                else part.national_value,
                weighting=part.weight,
                notes=part.notes,
            )
            for part in measure.parts
        ]
    )


def _may_update(measure: Measure, name: str) -> bool:
    """Whether the framework may overwrite this field of a measure the workbook holds:
    not an aggregation it only derives from the unit, nor notes the DOM has written."""
    if name == "aggregation":
        return False
    return name != "notes" or not measure.notes


def changed_fields(
    measure: Measure, values: dict[str, Any], parts: tuple[PartView, ...]
) -> list[str]:
    """The fields (and "parts") in which the framework differs from a held measure."""
    changed = [
        name
        for name, value in values.items()
        if getattr(measure, name) != value and _may_update(measure, name)
    ]
    if tuple(part_view(p) for p in measure.parts) != parts:
        changed.append("parts")
    return changed


def _years_to_link(measure: Measure | None, years: list[FinancialYear]) -> list[FinancialYear]:
    """The years a measure is to be linked to that it is not yet; a held measure that
    applies to every year (no links) is left so."""
    if measure is None:
        return years
    if not measure.years:
        return []
    held = {link.year_id for link in measure.years}
    return [y for y in years if y.id not in held]


def planned_change(
    session: Session,
    years: list[FinancialYear],
    values: dict[str, Any],
    parts: tuple[PartView, ...],
) -> MeasureChange:
    """What importing one measure would do, without writing anything."""
    key = code_key(values["code"])
    existing = session.scalars(select(Measure).where(Measure.code_key == key)).first()
    if existing is None:
        return MeasureChange(values["code"], True, (), True)
    measure = find_measure(session, values["code"])
    fields = tuple(changed_fields(measure, values, parts))
    return MeasureChange(measure.code, False, fields, bool(_years_to_link(measure, years)))


def _apply(
    session: Session,
    years: list[FinancialYear],
    values: dict[str, Any],
    parts: tuple[PartView, ...],
) -> MeasureChange:
    key = code_key(values["code"])
    existing = session.scalars(select(Measure).where(Measure.code_key == key)).first()
    if existing is None:
        measure = Measure(code_key=key, **values)
        session.add(measure)
        replace_parts(measure, parts)
        for year in years:
            measure.years.append(MeasureYear(year=year))
        return MeasureChange(values["code"], True, (), True)
    measure = find_measure(session, values["code"])
    changed = changed_fields(measure, values, parts)
    for name in changed:
        if name != "parts":
            setattr(measure, name, values[name])
    if "parts" in changed:
        replace_parts(measure, parts)
    linking = _years_to_link(measure, years)
    for year in linking:
        measure.years.append(MeasureYear(year=year))
    return MeasureChange(measure.code, False, tuple(changed), bool(linking))


def measure_years(
    session: Session, target: FinancialYear, measure: FrameworkMeasure
) -> list[FinancialYear]:
    """The year imported into, and the other years the measure names (held ones)."""
    found = [target]
    for label in measure.years:
        year = session.scalars(select(FinancialYear).where(FinancialYear.label == label)).first()
        if year is not None and year not in found:
            found.append(year)
    return found


def apply_framework_in(session: Session, framework: Framework, year: str) -> FrameworkImport:
    """Adds ``framework``'s measures to ``year`` in the caller's transaction (the year
    added if the workbook does not hold it); refuses a bad measure naming it."""
    label = year_label(parse_year(year))
    prepared = _prepared(framework)
    held = select(FinancialYear).where(FinancialYear.label == label)
    found = session.scalars(held).first()
    year_added = found is None
    target = found or ensure_year(session, label)
    changes = []
    for measure, (values, parts) in zip(framework.measures, prepared, strict=True):
        changes.append(_apply(session, measure_years(session, target, measure), values, parts))
        session.flush()
    result = FrameworkImport(framework.name, framework.year, label, year_added, tuple(changes))
    if not result.changed_nothing:
        audit.record(
            session,
            audit.IMPORT,
            "measure",
            None,
            note=f"{framework.path.name} into {label}: {len(result.added)} added, "
            f"{len(result.updated)} updated",
        )
    return result


def import_framework(wb: Workbook, framework: Framework, year: str) -> FrameworkImport:
    """Adds ``framework``'s measures to the financial year ``year`` in one transaction;
    the year is added to the workbook if it does not hold it yet."""
    _prepared(framework)  # refused before the workbook is opened for writing
    with wb.session() as session:
        return apply_framework_in(session, framework, year)
