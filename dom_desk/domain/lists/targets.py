"""Targets from a spreadsheet: one row per provider and measure (and year), the value
agreed, as the SLA workspace would take it typed in.

The provider is found by its name or a recorded alias (``provider_match``; a close
spelling is refused with the registered name, never guessed), the measure by its code
("pt 1" finds "PT 1"). The year is the row's Year, else the year the Target header
names ("Target 2009-10"), else the year asked for, else the current year. Values are
read as the measure's unit: a percentage as 90, "90%" or a cell formatted as a
percentage (0.9 shown as 90%); a count as a whole number. "[x]" (the documents' mark
for a target still to negotiate) or an empty cell is not yet set.

The rules are the workspace's (``sla.floor_problem``, ``sla.primary_agreement_in``),
met by a value that changes what is held (as a typed one is): a value worse than a
Regional Minimum floor is refused, a Nationally set measure takes only its national
value (which is what it shows; nothing is stored for it), a provider whose agreement
for the year is agreed or signed is locked, and a measure linked to other years does
not take a target for this one. A target already held is updated only in the fields
that differ; a column the sheet leaves out changes nothing.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dom_desk.domain.applicability import scopes_for
from dom_desk.domain.lists.common import (
    Duplicates,
    FieldSpec,
    FoundSheet,
    ImportSummary,
    ListKind,
    ListPreview,
    RowStatus,
    SheetRow,
    add_new,
    open_sheet,
    record_import,
    refuse_errors,
    titles,
)
from dom_desk.domain.periods import parse_year, year_label
from dom_desk.domain.provider_match import best_match
from dom_desk.domain.region import current_year, year_by_label
from dom_desk.domain.sla.editing import primary_agreement_in
from dom_desk.domain.sla.grid import _locked_error, floor_problem
from dom_desk.domain.values import format_decimal
from dom_desk.errors import ValidationError
from dom_desk.models import (
    Agreement,
    FinancialYear,
    Guidance,
    Measure,
    MeasureUnit,
    Provider,
    Target,
)
from dom_desk.models.performance import MeasureYear
from dom_desk.readers.containers import DEFAULT_LIMITS
from dom_desk.readers.list_sheets import cell_text, normal
from dom_desk.readers.returns_format import code_key
from dom_desk.readers.spreadsheets import open_spreadsheet

#: "Target 2009-10", "Target 2009/10": a Target header naming the year its values are for.
_YEARS = range(2000, 2041)
_TARGET_FOR_YEAR = tuple(
    f"target {y}{sep}{(y + 1) % 100:02d}" for y in _YEARS for sep in ("-", "/")
)
#: The documents' mark for a value still to negotiate: "[x]", "[x]%", "[ y ]".
_NOT_YET_SET = re.compile(r"^\[\s*[a-z]\s*\]\s*%?$", re.IGNORECASE)

FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "provider",
        "Provider",
        ("provider", "provider name", "name", "establishment", "prison", "area"),
        True,
        "The provider's name as registered, or one of its recorded aliases (HMP Leeds).",
    ),
    FieldSpec(
        "code",
        "Measure code",
        ("measure code", "code", "kpi", "kpt", "kpi code", "target code", "ref"),
        True,
        "The measure's code as the Measures area shows it (PT 1, KPI 3); case and spaces "
        "do not matter.",
    ),
    FieldSpec(
        "year",
        "Year",
        ("year", "financial year", "fy"),
        help="The financial year (2009-10); empty: the year being imported.",
    ),
    FieldSpec(
        "value",
        "Target",
        ("target", "value", "target value", "agreed target", "level", *_TARGET_FOR_YEAR),
        help="The value agreed, in the measure's unit (90 or 90% for a percentage); "
        "empty or [x]: not yet set.",
        value_type="decimal",
    ),
    FieldSpec(
        "minimum",
        "Minimum",
        ("minimum", "minimum level", "min", "minimum target", "lowest acceptable"),
        help="The lowest level the provider must deliver, where it differs from the target.",
        value_type="decimal",
    ),
    FieldSpec(
        "notes",
        "Notes",
        ("notes", "comments", "comment", "basis"),
        help="Anything worth keeping with the target.",
    ),
)

#: The target's fields a sheet may set.
_TARGET_KEYS = ("value", "minimum", "notes")


# -- providers, measures and years, looked up once ----------------------------------------


class ProviderNames:
    """The workbook's providers, matched by name or alias as ``provider_match`` does;
    anything but an exact match is refused naming the cell, with the nearest name."""

    def __init__(self, session: Session) -> None:
        self.session = session
        rows = session.execute(select(Provider.id, Provider.name, Provider.aliases)).all()
        self.candidates = [(r.id, r.name, r.aliases or "") for r in rows]

    def find(self, row: SheetRow, key: str, required: bool = True) -> Provider | None:
        """The provider the cell names; None (with an error) for no exact match, and None
        for an empty cell (an error only when ``required``)."""
        written = row.text(key) if required else cell_text(row.raw(key))
        if not written:
            return None
        match = best_match(written, self.candidates)
        if match.exact:
            return self.session.get(Provider, match.provider_id)
        hint = (
            "; write the registered name, or record this spelling as one of its aliases"
            if match.found or match.rivals
            else ""
        )
        row.error(key, f"{match.describe()}{hint}")
        return None


class _Measures:
    def __init__(self, session: Session) -> None:
        held = session.scalars(select(Measure)).all()
        self.by_key = {m.code_key: m for m in held}
        self.codes = [m.code for m in held]
        self.years: dict[int, set[int]] = {}
        for link in session.scalars(select(MeasureYear)):
            self.years.setdefault(link.measure_id, set()).add(link.year_id)

    def find(self, row: SheetRow) -> Measure | None:
        written = row.text("code")
        if not written:
            return None
        found = self.by_key.get(code_key(written))
        if found is None:
            near = difflib.get_close_matches(written.upper(), self.codes, n=1, cutoff=0.6)
            nearest = f" (the nearest is '{near[0]}')" if near else ""
            row.error("code", f"there is no measure coded '{written}' in the workbook{nearest}")
        return found


def _year_in_header(found: FoundSheet) -> str | None:
    """The year a "Target 2009-10" header names, if the Target header names one."""
    index = found.sheet.columns.get("value")
    if index is None:
        return None
    for header in found.sheet.header_rows:
        text = normal(header[index]) if index < len(header) else ""
        if text in _TARGET_FOR_YEAR:
            return year_label(parse_year(text.removeprefix("target ").replace("/", "-")))
    return None


def _header_row(found: FoundSheet) -> int:
    """The header's (last) row number, as Excel shows it."""
    return len(found.sheet.above) + len(found.sheet.header_rows)


def _default_year(session: Session, found: FoundSheet, year_label_: str | None) -> FinancialYear:
    named = _year_in_header(found)
    if named and year_label_ and named != year_label_:
        raise ValidationError(
            f"the Target header names {named}, but the list is being imported for "
            f"{year_label_}; import it for {named} or change the header",
            found.where(_header_row(found), "value"),
        )
    label = named or year_label_
    return year_by_label(session, label) if label else current_year(session)


# -- values -------------------------------------------------------------------------------


def percent_cells(path: Path, sheet: str, cells: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Which of ``cells`` (row as Excel numbers it, 0-based column) are formatted as a
    percentage, where Excel keeps "90%" as 0.9: the list reader gives values only, so the
    file is opened again, through the same checks, when a number might be one."""
    if not cells:
        return set()
    with open_spreadsheet(path, DEFAULT_LIMITS, "a list") as book:
        sheet_ = book.sheet(sheet)
        if not sheet_.has_number_formats:
            return set()
        first, last = min(r for r, _ in cells), max(r for r, _ in cells)
        found: set[tuple[int, int]] = set()
        for number, _ in sheet_.raw_rows(first, last, max(c for _, c in cells) + 1):
            found.update((r, c) for r, c in cells if r == number and sheet_.is_percent(r, c))
        return found


def _numbers(found: FoundSheet) -> set[tuple[int, int]]:
    """The Target and Minimum cells holding a number (which a percent format may show)."""
    columns = [found.sheet.columns[k] for k in ("value", "minimum") if k in found.sheet.columns]
    return {
        (number, c)
        for number, values in found.sheet.rows
        for c in columns
        if c < len(values) and type(values[c]) in (int, float)
    }


def _value(
    row: SheetRow, key: str, measure: Measure, percent: set[tuple[int, int]]
) -> Decimal | None:
    """A target value in the measure's unit; None for empty or "[x]"."""
    raw = row.raw(key)
    if isinstance(raw, str) and _NOT_YET_SET.match(raw.strip()):
        return None
    value = row.decimal(key)
    if value is None:
        return None
    if value < 0:
        row.error(key, f"'{format_decimal(value)}' is below 0")
        return None
    column = row.sheet.sheet.columns[key]
    if measure.unit is MeasureUnit.PERCENT and (row.number, column) in percent:
        value = (value * 100).normalize()  # the cell shows 0.9 as 90%
    if measure.unit is MeasureUnit.COUNT and value != value.to_integral_value():
        row.error(key, f"'{format_decimal(value)}' is not a whole number ({measure.code} counts)")
        return None
    return value


def _national_problem(measure: Measure, value: Decimal | None, held: Decimal | None) -> str | None:
    """A National measure takes only its national value (what the workspace shows), or
    the value it already holds (an import changing nothing is not refused)."""
    if value is None or value in (measure.national_value, held):
        return None
    national = (
        f"its national value is {format_decimal(measure.national_value)}"
        if measure.national_value is not None
        else "no national value is recorded for it yet: enter it on the measure, in the "
        "Measures area, and the targets follow it"
    )
    return f"{floor_problem(measure, 'value', value)} ({measure.code}: {national})"


def _warn_scope(row: SheetRow, provider: Provider, measure: Measure) -> None:
    """A target outside the provider's scope is kept (``applicability``: a target is a
    commitment to report), but said, in case the row names the wrong measure."""
    scopes = scopes_for(provider.kind)
    if scopes and measure.scope not in scopes:
        row.warn(
            "code",
            f"{measure.code} is {measure.scope.label.lower()} and {provider.name} is a "
            f"{provider.kind.label.lower()}: the target is kept, and {provider.name} will "
            f"report on {measure.code}",
        )


@dataclass(frozen=True)
class _Key:
    provider_id: int
    measure_id: int
    year_id: int


def _held(session: Session) -> dict[_Key, Target]:
    return {
        _Key(t.provider_id, t.measure_id, t.year_id): t for t in session.scalars(select(Target))
    }


def _wanted(values: dict[str, Any], measure: Measure) -> dict[str, Any]:
    """The target fields the row sets (a National measure's value is never stored)."""
    wanted = {k: values[k] for k in _TARGET_KEYS if k in values}
    if measure.guidance is Guidance.NATIONAL:
        wanted.pop("value", None)
    return wanted


def _changes(target: Target | None, wanted: dict[str, Any]) -> tuple[str, ...]:
    """The fields that differ from what is held (no target holds nothing, notes "")."""
    empty = {"value": None, "minimum": None, "notes": ""}
    return tuple(k for k, v in wanted.items() if (getattr(target, k) if target else empty[k]) != v)


# -- reading ------------------------------------------------------------------------------


class _Reader:
    def __init__(self, session: Session, found: FoundSheet, year_label_: str | None) -> None:
        self.session = session
        self.found = found
        self.default_year = _default_year(session, found, year_label_)
        self.years = {y.label: y for y in session.scalars(select(FinancialYear))}
        self.providers = ProviderNames(session)
        self.measures = _Measures(session)
        self.held = _held(session)
        self.locks: dict[tuple[int, int], Agreement | None] = {}
        self.same = Duplicates("code", "the target for")
        #: Row number -> the provider, measure and year the row sets a target for.
        self.keys: dict[int, _Key] = {}
        self.percent = percent_cells(found.path, found.sheet.name, _numbers(found))

    def year(self, row: SheetRow) -> FinancialYear | None:
        """The row's year (None, with an error, for one the workbook does not hold)."""
        if not cell_text(row.raw("year")):
            return self.default_year
        label = row.year("year")
        if label is None:
            return None
        year = self.years.get(label)
        if year is None:
            held = ", ".join(sorted(self.years))
            row.error("year", f"the workbook holds no financial year {label} (it has: {held})")
        return year

    def locked(self, provider: Provider, year: FinancialYear) -> Agreement | None:
        """The provider's agreement for the year when it is agreed or signed."""
        key = (provider.id, year.id)
        if key not in self.locks:
            agreement = primary_agreement_in(self.session, provider.id, year)
            self.locks[key] = agreement if agreement and agreement.status.locked else None
        return self.locks[key]

    def read(self, row: SheetRow) -> None:
        provider = self.providers.find(row, "provider")
        measure = self.measures.find(row)
        year = self.year(row)
        if provider is None or measure is None or year is None:
            row.done(RowStatus.ERROR, what=cell_text(row.raw("provider")))
            return
        what = f"{provider.name}, {measure.code}, {year.label}"
        self.same.check(row, what)
        # The values as the preview shows them; what they are for is kept aside for apply.
        self.keys[row.number] = _Key(provider.id, measure.id, year.id)
        values: dict[str, Any] = {}
        for key in ("value", "minimum"):
            if row.has(key):
                values[key] = _value(row, key, measure, self.percent)
        if row.has("notes"):
            values["notes"] = row.lines("notes")
        target = self.held.get(_Key(provider.id, measure.id, year.id))
        self.check(row, measure, year, values, target)
        changed = _changes(target, _wanted(values, measure))
        if changed and not row.result.errors:
            agreement = self.locked(provider, year)
            if agreement is not None:
                row.error(None, _locked_error(agreement, what).reason)
        if target is None:
            if changed:
                _warn_scope(row, provider, measure)
            # A new target: the preview shows its values, not what "changes".
            row.done(RowStatus.NEW if changed else RowStatus.UNCHANGED, values, what)
            return
        status = RowStatus.UPDATE if changed else RowStatus.UNCHANGED
        row.done(status, values, what, titles(FIELDS, changed))

    def check(
        self,
        row: SheetRow,
        measure: Measure,
        year: FinancialYear,
        values: dict[str, Any],
        target: Target | None,
    ) -> None:
        """The workspace's rules: years, providers reporting, national values, floors."""
        linked = self.measures.years.get(measure.id)
        if linked and year.id not in linked:
            named = sorted(label for label, y in self.years.items() if y.id in linked)
            row.error(
                "code",
                f"{measure.code} does not apply in {year.label} (it applies in "
                f"{', '.join(named)}); link the year to it in Measures first",
            )
        if not measure.reported_by_providers:
            row.error(
                "code",
                f"{measure.code} is reported nationally, not by providers, so it takes no "
                "provider targets",
            )
        for key in ("value", "minimum"):
            # As in the workspace, a value is checked when it changes what is held.
            held = getattr(target, key) if target is not None else None
            if key not in values or values[key] == held:
                continue
            if measure.guidance is Guidance.NATIONAL and key == "value":
                problem = _national_problem(measure, values[key], held)
            else:
                problem = floor_problem(measure, key, values[key])
            if problem:
                row.error(key, problem)


def read(
    session: Session, path: Path, sheet: str | None = None, year_label: str | None = None
) -> ListPreview:
    """The preview of a targets list, read against the workbook; writes nothing."""
    found = open_sheet(path, ListKind.TARGETS, FIELDS, sheet)
    if "value" not in found.sheet.columns and "minimum" not in found.sheet.columns:
        raise ValidationError(
            "the header names no Target or Minimum column, so the list sets nothing",
            found.where(_header_row(found)),
        )
    reader = _Reader(session, found, year_label)
    found.preview.year = reader.default_year.label
    for row in found.rows():
        reader.read(row)
    found.preview.extra = reader.keys
    return found.preview


# -- writing ------------------------------------------------------------------------------


def apply(session: Session, preview: ListPreview) -> ImportSummary:
    """Writes the new and changed targets in the caller's transaction."""
    refuse_errors(preview)
    held = _held(session)
    added = updated = 0
    for row in preview.records:
        key: _Key = preview.extra[row.number]
        measure = session.get(Measure, key.measure_id)
        if measure is None:
            raise ValidationError(f"the measure of row {row.number} is no longer in the workbook")
        target = held.get(key)
        wanted = _wanted(row.values, measure)
        changed = _changes(target, wanted)
        if not changed:
            continue
        if target is None:
            target = Target(
                provider_id=key.provider_id, measure_id=key.measure_id, year_id=key.year_id
            )
            for field in changed:
                setattr(target, field, wanted[field])
            held[key] = add_new(session, target)  # type: ignore[assignment]
            added += 1
            continue
        for field in changed:
            setattr(target, field, wanted[field])
        # An empty target is the same as none (as the workspace keeps it).
        if target.value is None and target.minimum is None and not target.notes:
            session.delete(target)
            del held[key]
        updated += 1
    session.flush()
    return record_import(session, preview, added, updated)
