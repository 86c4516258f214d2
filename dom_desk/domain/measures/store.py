"""Measures in the workbook: a year's listed, created, edited, retired, and the years
a measure applies to and the parts of a multi-part target set; each write is one
transaction, in the audit trail through the session's hooks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, selectinload

from dom_desk.domain.applicability import code_order, in_year_clause
from dom_desk.domain.measures.checks import (
    PartView,
    check_together,
    clean_parts,
    clean_value,
    refuse,
)
from dom_desk.domain.region import year_by_label
from dom_desk.errors import ConflictError, ValidationError
from dom_desk.models import (
    Aggregation,
    Direction,
    FinancialYear,
    Guidance,
    Measure,
    MeasureUnit,
    Period,
    Result,
    ScenarioChange,
    Scope,
    Target,
)
from dom_desk.models.performance import MeasurePart, MeasureYear
from dom_desk.readers.returns_format import code_key
from dom_desk.storage.workbook import Workbook


@dataclass(frozen=True)
class MeasureView:
    """A measure with the years it applies to (empty: every year) and its parts."""

    id: int
    code: str
    title: str
    area: str
    unit: MeasureUnit
    direction: Direction
    scope: Scope
    guidance: Guidance
    aggregation: Aggregation
    national_value: Decimal | None
    floor: Decimal | None
    weighting: int | None
    reported_by_providers: bool
    tolerance: Decimal
    source: str
    notes: str
    outcome: str
    driver: str
    years: tuple[str, ...]
    parts: tuple[PartView, ...]
    row_version: int

    @property
    def every_year(self) -> bool:
        return not self.years


@dataclass(frozen=True)
class Retired:
    """What retiring a measure did: deleted (never used) or kept for the years it was."""

    code: str
    deleted: bool
    years: tuple[str, ...]


def view(measure: Measure) -> MeasureView:
    """The measure as a frozen value (its years in date order, parts in printed order)."""
    years = sorted((link.year for link in measure.years), key=lambda y: y.start)
    values = {f.name: getattr(measure, f.name) for f in fields(MeasureView)}
    values["years"] = tuple(y.label for y in years)
    values["parts"] = tuple(part_view(p) for p in measure.parts)
    return MeasureView(**values)


def part_view(part: MeasurePart) -> PartView:
    return PartView(
        label=part.label,
        wording=part.wording,
        unit=part.unit,
        direction=part.direction,
        national_value=part.national_value,
        weighting=part.weighting,
        notes=part.notes,
    )


def _loaded() -> Any:
    return select(Measure).options(
        selectinload(Measure.years).selectinload(MeasureYear.year),
        selectinload(Measure.parts),
    )


def find_measure(session: Session, code: str) -> Measure:
    """The measure coded ``code`` (spaces and case ignored); refused if there is none."""
    found = session.scalars(_loaded().where(Measure.code_key == code_key(code))).first()
    if found is None:
        raise ValidationError(f"There is no measure coded '{code}' in the workbook.", "code")
    return found


def check_code_free(session: Session, code: str, measure_id: int | None) -> None:
    other = session.scalars(select(Measure).where(Measure.code_key == code_key(code))).first()
    if other is not None and other.id != measure_id:
        raise refuse("code", f"'{code}' is already used by '{other.code}'")


def measures_of_year(wb: Workbook, year_label: str) -> tuple[MeasureView, ...]:
    """The measures that apply in ``year_label``, in code order."""
    with wb.session() as session:
        year = year_by_label(session, year_label)
        found = session.scalars(_loaded().where(in_year_clause(year))).all()
        return tuple(view(m) for m in sorted(found, key=lambda m: code_order(m.code)))


def all_measures(wb: Workbook) -> tuple[MeasureView, ...]:
    """Every measure in the workbook, whatever its years, in code order."""
    with wb.session() as session:
        found = session.scalars(_loaded()).all()
        return tuple(view(m) for m in sorted(found, key=lambda m: code_order(m.code)))


def measure_with_parts(wb: Workbook, code: str) -> MeasureView:
    """One measure, with its parts and years."""
    with wb.session() as session:
        return view(find_measure(session, code))


def replace_parts(measure: Measure, parts: Sequence[PartView]) -> None:
    """Stores ``parts`` (already checked) as the measure's, in their order."""
    measure.parts.clear()
    for position, part in enumerate(parts):
        measure.parts.append(
            MeasurePart(
                position=position,
                label=part.label,
                wording=part.wording,
                unit=part.unit,
                direction=part.direction,
                national_value=part.national_value,
                weighting=part.weighting,
                notes=part.notes,
            )
        )


def link_years(session: Session, measure: Measure, years: Iterable[FinancialYear]) -> None:
    """Makes ``years`` exactly the measure's years (none: every year)."""
    wanted = {y.id: y for y in years}
    for link in list(measure.years):
        if link.year_id not in wanted:
            measure.years.remove(link)
    held = {link.year_id for link in measure.years}
    for year_id, year in wanted.items():
        if year_id not in held:
            measure.years.append(MeasureYear(year=year))
    session.flush()


def create_measure(
    wb: Workbook,
    code: str,
    title: str,
    unit: MeasureUnit | str,
    *,
    years: Iterable[str] = (),
    parts: Sequence[PartView] = (),
    **values: Any,
) -> MeasureView:
    """A new measure; ``values`` are any other fields of FIELD_NAMES."""
    cleaned = {
        name: clean_value(name, value)
        for name, value in {"code": code, "title": title, "unit": unit, **values}.items()
    }
    check_together(cleaned)
    checked_parts = clean_parts(parts)
    with wb.session() as session:
        check_code_free(session, cleaned["code"], None)
        measure = Measure(code_key=code_key(cleaned["code"]), **cleaned)
        session.add(measure)
        replace_parts(measure, checked_parts)
        link_years(session, measure, [year_by_label(session, y) for y in years])
        return view(measure)


def edit_measure(
    wb: Workbook, code: str, changes: Mapping[str, Any], row_version: int | None = None
) -> MeasureView:
    """Changes the named fields of the measure coded ``code``; a stale ``row_version``
    (someone else saved it since it was read) is refused."""
    cleaned = {name: clean_value(name, value) for name, value in changes.items()}
    with wb.session() as session:
        measure = find_measure(session, code)
        if row_version is not None and measure.row_version != row_version:
            raise ConflictError(f"Measure {measure.code} was changed since it was read.")
        if {"floor", "guidance"} & cleaned.keys():
            held = {"floor": measure.floor, "guidance": measure.guidance}
            check_together({**held, **cleaned}, "floor" if "floor" in cleaned else "guidance")
        if "code" in cleaned:
            check_code_free(session, cleaned["code"], measure.id)
            measure.code_key = code_key(cleaned["code"])
        for name, value in cleaned.items():
            if getattr(measure, name) != value:
                setattr(measure, name, value)
        session.flush()
        return view(measure)


def set_measure_parts(wb: Workbook, code: str, parts: Sequence[PartView]) -> MeasureView:
    """Makes ``parts`` the measure's parts (none: a single measure again)."""
    checked = clean_parts(parts)
    with wb.session() as session:
        measure = find_measure(session, code)
        replace_parts(measure, checked)
        session.flush()
        return view(measure)


def set_measure_years(wb: Workbook, code: str, years: Iterable[str]) -> MeasureView:
    """Makes the measure apply in ``years`` only (none: in every year)."""
    with wb.session() as session:
        measure = find_measure(session, code)
        link_years(session, measure, [year_by_label(session, y) for y in years])
        return view(measure)


def _years_used(session: Session, measure: Measure) -> list[FinancialYear]:
    by_target = select(Target.year_id).where(Target.measure_id == measure.id)
    by_result = (
        select(Period.year_id)
        .join(Result, Result.period_id == Period.id)
        .where(Result.measure_id == measure.id)
    )
    ids = set(session.scalars(by_target)) | set(session.scalars(by_result))
    return list(session.scalars(select(FinancialYear).where(FinancialYear.id.in_(ids))))


def retire_measure(wb: Workbook, code: str) -> Retired:
    """Deletes a measure nothing uses; one with targets, results or negotiation changes
    is kept and made to apply only in the years that hold its targets or results."""
    with wb.session() as session:
        measure = find_measure(session, code)
        in_scenario = session.scalar(
            select(exists().where(ScenarioChange.measure_id == measure.id))
        )
        used = _years_used(session, measure)
        if not used and not in_scenario:
            session.delete(measure)
            session.flush()
            return Retired(measure.code, True, ())
        link_years(session, measure, used)
        return Retired(measure.code, False, view(measure).years)


def _years_kept(session: Session, measure: Measure, year_label: str) -> list[FinancialYear]:
    """The years a measure retired from ``year_label`` on goes on applying in: those
    before it that it applied in, and any from it on that hold its targets or results."""
    year = year_by_label(session, year_label)
    applied = [link.year for link in measure.years] or list(session.scalars(select(FinancialYear)))
    used = _years_used(session, measure)
    if any(y.id == year.id for y in used):
        raise ValidationError(
            f"Measure {measure.code} has targets or results in {year.label}, so it stays in "
            "that year's measure set: retire it from a later year on."
        )
    kept = {y.id: y for y in applied if y.start < year.start}
    kept.update({y.id: y for y in used if y.start > year.start})
    if not kept:
        raise ValidationError(
            f"Measure {measure.code} applies in no year before {year.label} and has no "
            "targets or results, so retiring it would leave it nowhere: delete it instead."
        )
    return sorted(kept.values(), key=lambda y: y.start)


def years_after_retiring(wb: Workbook, code: str, year_label: str) -> tuple[str, ...]:
    """The years the measure would apply in if retired from ``year_label`` on (refused
    as :func:`retire_from` would be), so the window can say so before it does it."""
    with wb.session() as session:
        return tuple(y.label for y in _years_kept(session, find_measure(session, code), year_label))


def retire_from(wb: Workbook, code: str, year_label: str) -> MeasureView:
    """Takes the measure out of the measure sets of ``year_label`` and later years: it
    applies from then on only where its targets or results already are."""
    with wb.session() as session:
        measure = find_measure(session, code)
        link_years(session, measure, _years_kept(session, measure, year_label))
        return view(measure)
