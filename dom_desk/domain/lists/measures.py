"""A region's own measure framework from a spreadsheet: one row per measure, and a row
per part of a multi-part target (its Part column filled, its Code the measure's or empty
under it).

The sheet is read into the same :class:`~dom_desk.readers.frameworks.Framework` a
published framework file gives, and written by the same function
(``frameworks_import.apply_framework_in``): a measure already in the workbook by code is
updated only where the sheet differs (the preview names the fields), a column the sheet
leaves out changes nothing, nothing is duplicated, and each measure is linked to the
year imported into (and the other years its Years column names). So
``dom-desk import-framework --year Y FILE.xlsx`` and ``dom-desk import-list measures``
agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dom_desk.domain.frameworks_import import (
    measure_parts,
    measure_values,
    measure_years,
    planned_change,
)
from dom_desk.domain.lists.common import (
    Duplicates,
    FieldSpec,
    ImportSummary,
    ListKind,
    ListPreview,
    PreviewRow,
    RowStatus,
    SheetRow,
    choice_labels,
    open_sheet,
    refuse_errors,
)
from dom_desk.domain.measures import FIELD_NAMES
from dom_desk.domain.periods import parse_year
from dom_desk.domain.periods import year_label as year_label_of
from dom_desk.domain.region import current_year
from dom_desk.errors import ValidationError
from dom_desk.models import Direction, FinancialYear, Guidance, Measure, MeasureUnit, Scope
from dom_desk.readers.frameworks import MAX_CODE, Framework, FrameworkMeasure, MeasurePart
from dom_desk.readers.list_sheets import cell_text
from dom_desk.readers.returns_format import code_key

FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "code",
        "Code",
        ("code", "ref", "reference", "kpi", "kpi code", "target no", "measure code"),
        True,
        "The measure's code as the documents print it (PT 1, OM 004); a code already in "
        "the workbook updates that measure where the sheet differs.",
    ),
    FieldSpec(
        "part",
        "Part",
        ("part", "part label", "sub", "suffix"),
        help="Only on a row for one part of a multi-part target: the part's label ((a), "
        "(b)); the row's Code is its measure's, or empty under the measure's row.",
    ),
    FieldSpec(
        "wording",
        "Wording",
        ("wording", "title", "measure", "description", "kpi wording", "target wording"),
        True,
        "The measure's (or the part's) wording as published.",
    ),
    FieldSpec(
        "area",
        "Area",
        ("area", "section", "group", "theme", "grouping"),
        help="The heading it is grouped under in the plan (Public protection).",
    ),
    FieldSpec(
        "unit",
        "Unit",
        ("unit", "units", "measured as"),
        True,
        "How it is measured: one of the listed units (a part may leave it empty to take "
        "its measure's).",
        "choice",
        choice_labels(MeasureUnit),
    ),
    FieldSpec(
        "direction",
        "Direction",
        ("direction", "polarity", "better is"),
        help="Higher is better or Lower is better; empty keeps what the workbook has.",
        value_type="choice",
        choices=choice_labels(Direction),
    ),
    FieldSpec(
        "scope",
        "Scope",
        ("scope", "applies to"),
        help="Prison only, Probation only or Integrated.",
        value_type="choice",
        choices=choice_labels(Scope),
    ),
    FieldSpec(
        "guidance",
        "Guidance",
        ("guidance", "target setting", "how set", "setting"),
        help="National, Regional Minimum or Locally Set.",
        value_type="choice",
        choices=choice_labels(Guidance),
    ),
    FieldSpec(
        "national_value",
        "National value",
        ("national value", "national target", "national", "national level"),
        help="The nationally set value, as a number (85 for 85%).",
        value_type="decimal",
    ),
    FieldSpec(
        "floor",
        "Floor",
        ("floor", "regional minimum", "minimum"),
        help="For a Regional Minimum measure, the level a target may not go below.",
        value_type="decimal",
    ),
    FieldSpec(
        "weight",
        "Weighting",
        ("weighting", "weight", "scorecard weight"),
        help="Its share of the weighted scorecard: a whole number from 1 to 100.",
        value_type="number",
    ),
    FieldSpec(
        "reported_by_providers",
        "Reported by providers",
        ("reported by providers", "provider reported", "in returns"),
        help="Yes if providers report it in their returns; No for a measure reported "
        "nationally (re-offending).",
        value_type="yes/no",
        choices=("Yes", "No"),
    ),
    FieldSpec(
        "tolerance",
        "Tolerance (%)",
        ("tolerance", "tolerance %", "tolerance (%)", "near target within"),
        help="How close to target counts as near, in per cent of the target (5).",
        value_type="decimal",
    ),
    FieldSpec("outcome", "Outcome", ("outcome",), help="The outcome it serves."),
    FieldSpec("driver", "Driver", ("driver",), help="The driver it serves."),
    FieldSpec(
        "source",
        "Source",
        ("source", "document", "published in"),
        help="The document it comes from; empty keeps what the workbook has.",
    ),
    FieldSpec("notes", "Notes", ("notes", "comments", "note"), help="Anything else."),
    FieldSpec(
        "years",
        "Years",
        ("years", "applies in", "financial years", "also in"),
        help="Other financial years it applies in, besides the one imported into, "
        "separated by commas (2010-11, 2011-12).",
    ),
)

#: Measure field -> the column that gives it, to name the cell of a refused value.
_COLUMN_OF = {"title": "wording", "weighting": "weight"}


@dataclass
class _Read:
    """A measure row as read, its parts gathered from the rows after it."""

    row: SheetRow
    preview_row: PreviewRow
    values: dict[str, Any]
    parts: list[tuple[SheetRow, MeasurePart]] = field(default_factory=list)


def _label(value: Any) -> str | None:
    return None if value is None else value.label


def _measure_row(row: SheetRow, session: Session) -> dict[str, Any]:
    code = row.text("code", limit=MAX_CODE)
    values: dict[str, Any] = {"code": code, "wording": row.lines("wording")}
    values["unit"] = _label(row.choice("unit", MeasureUnit))
    values["direction"] = _label(row.choice("direction", Direction))
    values["scope"] = _label(row.choice("scope", Scope))
    values["guidance"] = _label(row.choice("guidance", Guidance))
    values["national_value"] = row.decimal("national_value")
    values["floor"] = row.decimal("floor")
    values["weight"] = row.integer("weight", minimum=1)
    if values["weight"] is not None and values["weight"] > 100:
        row.error("weight", "a weighting is a whole number from 1 to 100")
    values["reported_by_providers"] = row.yes_no("reported_by_providers")
    values["tolerance"] = row.decimal("tolerance")
    if values["tolerance"] is not None and values["tolerance"] < 0:
        row.error("tolerance", "a tolerance is a number of per cent, zero or more")
    for key in ("area", "outcome", "driver", "source", "notes"):
        values[key] = row.lines(key) if key == "notes" else row.text(key)
    years = []
    for text in row.text("years").replace(";", ",").split(","):
        if text.strip():
            try:
                label = year_label_of(parse_year(text))
            except ValidationError as exc:
                row.error("years", exc.reason)
                continue
            if session.scalars(select(FinancialYear).where(FinancialYear.label == label)).first():
                years.append(label)
            else:
                row.error("years", f"the workbook holds no financial year {label}")
    values["years"] = tuple(years)
    _check_floor(row, session, values)
    return values


def _check_floor(row: SheetRow, session: Session, values: dict[str, Any]) -> None:
    """A floor is only for a Regional Minimum measure (as the measure's own edit checks)."""
    if values["floor"] is None:
        return
    guidance = values["guidance"]
    if guidance is None:
        held = session.scalars(
            select(Measure).where(Measure.code_key == code_key(values["code"] or "-"))
        ).first()
        guidance = held.guidance.label if held is not None else Guidance.LOCALLY_SET.label
    if guidance != Guidance.REGIONAL_MINIMUM.label:
        row.error("floor", "a floor is only for a Regional Minimum measure")


def _given(row: SheetRow, key: str, enum: Any) -> str | None:
    """A part's own choice, or None when it leaves the cell empty (it takes its
    measure's)."""
    return _label(row.choice(key, enum)) if cell_of(row, key) else None


def _part(row: SheetRow, owner: dict[str, Any]) -> MeasurePart:
    unit = _given(row, "unit", MeasureUnit) or owner["unit"]
    direction = _given(row, "direction", Direction) or owner["direction"]
    value = row.decimal("national_value")
    weight = row.integer("weight", minimum=1)
    if weight is not None and weight > 100:
        row.error("weight", "a weighting is a whole number from 1 to 100")
    label = row.text("part")
    if len(label) > MAX_CODE:
        row.error("part", f"a part's label is at most {MAX_CODE} characters")
    return MeasurePart(
        suffix=label,
        suffix_printed=True,
        wording=row.lines("wording"),
        unit=unit or "",
        direction=direction,
        national_value=owner["national_value"] if value is None else value,
        weight=weight,
        notes=row.lines("notes"),
    )


def _framework_measure(item: _Read) -> FrameworkMeasure:
    values = item.values
    return FrameworkMeasure(
        code=values["code"],
        code_printed=True,
        wording=values["wording"],
        section="",
        area=values["area"],
        unit=values["unit"],
        direction=values["direction"],
        scope=values["scope"],
        guidance=values["guidance"],
        guidance_printed=None,
        national_value=values["national_value"],
        floor=values["floor"],
        weight=values["weight"],
        outcome=values["outcome"] or None,
        driver=values["driver"] or None,
        parts=tuple(part for _row, part in item.parts),
        other_wording=(),
        inferred=frozenset(),
        notes=values["notes"],
        remark="",
        reported_by_providers=values["reported_by_providers"],
        tolerance=values["tolerance"],
        source=values["source"],
        years=values["years"],
    )


def _read_rows(session: Session, found: Any) -> list[_Read]:
    measures: list[_Read] = []
    by_code: dict[str, _Read] = {}
    same = Duplicates("code", "measure code")
    for row in found.rows():
        if cell_of(row, "part"):
            code = cell_of(row, "code")
            owner = by_code.get(code_key(code)) if code else (measures[-1] if measures else None)
            if owner is None:
                row.error(
                    "code" if code else "part",
                    f"part {cell_of(row, 'part')} follows no row for its measure"
                    + (f" '{code}'" if code else ""),
                )
                row.done(RowStatus.PART, what=cell_of(row, "part"))
                continue
            part = _part(row, owner.values)
            labels = {p.suffix.casefold(): r.number for r, p in owner.parts}
            if part.suffix.casefold() in labels:
                row.error(
                    "part",
                    f"part {part.suffix} of {owner.values['code']} is also on row "
                    f"{labels[part.suffix.casefold()]}",
                )
            if not part.unit:
                row.error("unit", "the part's unit is empty and its measure has none")
            owner.parts.append((row, part))
            row.done(RowStatus.PART, what=f"{owner.values['code']} {part.suffix}")
            continue
        values = _measure_row(row, session)
        same.check(row, values["code"])
        preview_row = row.done(RowStatus.NEW, values, values["code"])
        item = _Read(row, preview_row, values)
        measures.append(item)
        if values["code"]:
            by_code.setdefault(code_key(values["code"]), item)
    for item in measures:
        if len(item.parts) == 1:
            item.parts[0][0].error("part", "a multi-part target needs at least two parts")
            item.parts[0][0].result.status = RowStatus.ERROR
    return measures


def cell_of(row: SheetRow, key: str) -> str:
    """A cell's text without the required-field check (part rows leave the code out)."""
    return cell_text(row.raw(key))


def read(
    session: Session, path: Path, sheet: str | None = None, year_label: str | None = None
) -> ListPreview:
    """The preview of a measure framework sheet against the workbook; writes nothing."""
    # A year the workbook does not hold yet is added on import, as a framework's is.
    label = year_label_of(parse_year(year_label)) if year_label else current_year(session).label
    found = open_sheet(path, ListKind.MEASURES, FIELDS, sheet)
    found.preview.year = label
    measures = _read_rows(session, found)
    preview = found.preview
    if not measures and not preview.errors:
        raise ValidationError(
            "the sheet lists no measures", f"{path.name}, sheet '{found.sheet.name}'"
        )
    framework = Framework(
        name=path.stem,
        year=label,
        source="",
        notes="",
        remark="",
        measures=tuple(_framework_measure(m) for m in measures),
        path=path,
    )
    held_year = session.scalars(select(FinancialYear).where(FinancialYear.label == label)).first()
    # A year not held yet is compared as a year no measure is linked to (never stored).
    held_year = held_year or FinancialYear(label=label)
    for item, measure in zip(measures, framework.measures, strict=True):
        if item.row.result.errors or any(r.result.errors for r, _part in item.parts):
            continue
        # The values the measure will be stored with, checked as every measure is.
        try:
            values, parts = measure_values(framework, measure), measure_parts(measure)
        except ValidationError as exc:
            name = _COLUMN_OF.get(exc.where, exc.where)
            item.row.error(name if item.row.has(name) else None, exc.reason)
            item.preview_row.status = RowStatus.ERROR
            continue
        years = measure_years(session, held_year, measure)
        change = planned_change(session, years, values, parts)
        words = tuple(FIELD_NAMES.get(f, f) for f in change.fields)
        if change.linked_year and not change.added:
            words += ("years",)
        item.preview_row.changed = words
        item.preview_row.status = (
            RowStatus.NEW if change.added else RowStatus.UPDATE if words else RowStatus.UNCHANGED
        )
    preview.extra = None if preview.errors else framework
    return preview


def framework_from_sheet(
    session: Session, path: Path, year_label: str, sheet: str | None = None
) -> Framework:
    """The framework a region's spreadsheet holds, for ``import-framework``; refused by
    sentence (the first problem, naming its cell, and how many) when any row is bad."""
    preview = read(session, path, sheet, year_label)
    refuse_errors(preview)
    return preview.extra


def apply(session: Session, preview: ListPreview) -> ImportSummary:
    """Writes the framework the preview read, in the caller's transaction."""
    from dom_desk.domain.frameworks_import import apply_framework_in

    refuse_errors(preview)
    # apply_framework_in writes the import's line in the audit trail itself.
    done = apply_framework_in(session, preview.extra, preview.year)
    return ImportSummary(len(done.added), len(done.updated))


__all__ = ["FIELDS", "apply", "framework_from_sheet", "read"]
