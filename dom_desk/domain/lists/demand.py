"""Need and demand figures from a spreadsheet: one row per provider, figure (and service)
and year, e.g. "HMP Preston | Prison population | | 2009-10 | 712".

The provider is found by name or alias as the targets list finds it; the figure by its
label ("Prison population", "OGRS 50-74% (high)", "Demand for a service"); the service
is needed only for demand for a service. The year is the row's Year, else the year
imported for, else the current year.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dom_desk.domain.demand import check_value, held_figure, set_figure_in
from dom_desk.domain.lists.common import (
    Duplicates,
    FieldSpec,
    ImportSummary,
    ListKind,
    ListPreview,
    choice_labels,
    open_sheet,
    record_import,
    refuse_errors,
)
from dom_desk.domain.lists.targets import ProviderNames
from dom_desk.domain.lists_import import RowStatus
from dom_desk.domain.region import current_year, year_by_label
from dom_desk.errors import ValidationError
from dom_desk.models import DemandKind, Service

FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "provider",
        "Provider",
        ("provider", "provider name", "establishment", "prison", "probation area", "area"),
        True,
        "The prison or probation area, by its registered name or a recorded alias.",
    ),
    FieldSpec(
        "kind",
        "Figure",
        ("figure", "measure", "kind", "demand", "what"),
        True,
        "What the number counts: a caseload, the prison population or capacity, an OGRS "
        "band, the reoffending rate, or demand for a service.",
        value_type="choice",
        choices=choice_labels(DemandKind),
    ),
    FieldSpec(
        "service",
        "Service",
        ("service", "service name"),
        help="For demand for a service only: the service, as named in the Services area.",
    ),
    FieldSpec(
        "year",
        "Year",
        ("year", "financial year", "fy"),
        help="The financial year (2009-10); empty: the year being imported.",
    ),
    FieldSpec(
        "value",
        "Value",
        ("value", "number", "figure value", "count", "volume", "rate"),
        True,
        "The number: offenders, places, or the reoffending rate in per cent.",
        value_type="decimal",
    ),
    FieldSpec("source", "Source", ("source", "from", "notes"), help="Where the number came from."),
)


def read(
    session: Session, path: Path, sheet: str | None = None, year_label: str | None = None
) -> ListPreview:
    """The preview of a demand list, read against the workbook; writes nothing."""
    found = open_sheet(path, ListKind.DEMAND, FIELDS, sheet)
    default = year_by_label(session, year_label) if year_label else current_year(session)
    found.preview.year = default.label
    providers = ProviderNames(session)
    services = {s.name.casefold(): s for s in session.scalars(select(Service))}
    same = Duplicates("kind", "figure")
    for row in found.rows():
        provider = providers.find(row, "provider")
        kind = row.choice("kind", DemandKind)
        service_name = row.text("service", limit=160) if row.has("service") else ""
        service = services.get(service_name.casefold()) if service_name else None
        if service_name and service is None:
            row.error("service", f"there is no service called '{service_name}'")
        if kind is DemandKind.SERVICE and not service_name:
            row.error("service", "demand for a service needs the service")
        if kind not in (None, DemandKind.SERVICE) and service_name:
            row.error("service", f"'{kind.label}' takes no service: leave the cell empty")
        year = (row.year("year") if row.has("year") else None) or default.label
        value = row.decimal("value")
        if value is not None and kind is not None:
            try:
                value = check_value(kind, value, row.where("value"))
            except ValidationError as exc:
                row.error("value", str(exc).split(": ", 1)[-1])
        if provider is None or kind is None or value is None or row.result.errors:
            row.done()
            continue
        same.check(row, f"{provider.id}|{kind.name}|{service.id if service else ''}|{year}")
        values: dict[str, Any] = {
            "provider_id": provider.id,
            "kind": kind,
            "service_id": service.id if service else None,
            "year": year,
            "value": value,
            "source": row.text("source") if row.has("source") else "",
        }
        what = f"{provider.name}: {kind.label}{f' ({service.name})' if service else ''}, {year}"
        held = held_figure(session, provider.id, year, kind, values["service_id"])
        if held is None:
            status = RowStatus.NEW
        else:
            status = RowStatus.UNCHANGED if held.value == value else RowStatus.UPDATE
        row.done(status, values, what, ("Value",) if status is RowStatus.UPDATE else ())
    return found.preview


def apply(session: Session, preview: ListPreview) -> ImportSummary:
    """Writes the new and changed figures in the caller's transaction."""
    refuse_errors(preview)
    added = updated = 0
    for row in preview.records:
        v = row.values
        source = v["source"] or f"{preview.path.name}, sheet '{preview.sheet}', row {row.number}"
        changed = set_figure_in(
            session, v["provider_id"], v["year"], v["kind"], v["value"], v["service_id"], source
        )
        if changed:
            added += row.status is RowStatus.NEW
            updated += row.status is RowStatus.UPDATE
    session.flush()
    return record_import(session, preview, added, updated)
