"""Agreements and their service lines from a spreadsheet: one row per service line.

Rows with the same Agreement title make one agreement with several lines; a row with no
Service is an agreement with no line. The agreement's own columns (Provider, Type,
Reference, Start, End, Annual value) need only be on one of its rows: an empty cell
states nothing, and a row stating a different value from an earlier one of the same
agreement is refused. Without a Type, a title the workbook holds keeps its type, and a
new agreement is an SLA for a public-sector provider and a contract otherwise. An SLA
is for the year imported; a contract runs from its start to its end.

An agreement already held (an SLA with the same title in the year, a contract with the
same title) is updated where the sheet differs, and its lines for the year by service;
a new agreement is created as the New Agreement form creates one, with its allocation
row for the year at a baseline of £0. An agreement agreed or signed is locked: a row
changing it is refused, as the SLA workspace refuses an edit. The service must be in
the Directory (by name); volumes are whole numbers, unit prices money in the unit the
header states ("Unit price (£k)").
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from dom_desk.domain.lists.common import (
    Duplicates,
    FieldSpec,
    ImportSummary,
    ListKind,
    ListPreview,
    RowStatus,
    SheetRow,
    add_new,
    choice_labels,
    open_sheet,
    record_import,
    refuse_errors,
    titles,
)
from dom_desk.domain.lists.targets import ProviderNames
from dom_desk.domain.money import format_pounds
from dom_desk.domain.region import current_year, year_by_label
from dom_desk.domain.sla.grid import _locked_error
from dom_desk.models import (
    Agreement,
    AgreementKind,
    Allocation,
    FinancialYear,
    Provider,
    Sector,
    Service,
    ServiceLine,
)
from dom_desk.readers.list_sheets import cell_text

FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "title",
        "Agreement",
        ("agreement", "title", "agreement title", "sla", "name"),
        True,
        "The agreement's title (HMP Leeds SLA 2009-10); rows with the same title are one "
        "agreement, each row one of its service lines.",
    ),
    FieldSpec(
        "provider",
        "Provider",
        ("provider", "provider name", "establishment", "supplier"),
        True,
        "The provider as registered, or one of its aliases; needed on one of the agreement's rows.",
    ),
    FieldSpec(
        "kind",
        "Type",
        ("type", "kind", "agreement type"),
        help="SLA or Contract; empty: SLA for a public-sector provider, else Contract.",
        value_type="choice",
        choices=choice_labels(AgreementKind),
    ),
    FieldSpec(
        "reference",
        "Reference",
        ("reference", "ref", "contract reference", "ref no"),
        help="The contract's or SLA's reference.",
    ),
    FieldSpec(
        "start",
        "Start",
        ("start", "start date", "from", "commencement"),
        help="When it starts (31/03/2010).",
        value_type="date",
    ),
    FieldSpec(
        "end",
        "End",
        ("end", "end date", "to", "expiry", "expires", "original end"),
        help="When it ends as signed (later changes are variations).",
        value_type="date",
    ),
    FieldSpec(
        "annual_value",
        "Annual value (£)",
        ("annual value", "value", "contract value", "annual contract value"),
        help="Its value a year as signed, in pounds; write the unit in the header to give "
        "it in thousands or millions (Annual value (£m)).",
        value_type="money",
    ),
    FieldSpec(
        "service",
        "Service",
        ("service", "service name", "service line"),
        help="A service of the Directory, by name; empty: a row for the agreement alone.",
    ),
    FieldSpec(
        "volume",
        "Volume",
        ("volume", "places", "units", "quantity"),
        help="How many units of the service, a whole number (0 or more).",
        value_type="number",
    ),
    FieldSpec(
        "unit_price",
        "Unit price (£)",
        ("unit price", "price", "price per unit", "unit cost"),
        help="What one unit costs, in pounds (Unit price (£k) for thousands).",
        value_type="money",
    ),
    *(
        FieldSpec(
            key,
            f"{title} (£)",
            (key, f"{key} allocation"),
            help=f"The agreement's {title.lower()} allocation for the year, in pounds; {note} "
            "(on any one of its rows; empty: left as it is).",
            value_type="money",
        )
        for key, title, note in (
            ("baseline", "Baseline", "from national planning"),
            ("provisional", "Provisional", "the DOM's offer"),
            ("agreed", "Agreed", "the outcome of negotiation"),
        )
    ),
)

#: The agreement's own columns, stated on any one of its rows.
_AGREEMENT_KEYS = ("reference", "start", "end", "annual_value")
#: The agreement's allocation for the year (the row without a service line), stated the
#: same way: a region starting from its spreadsheets has its baselines there too.
_ALLOCATION_KEYS = ("baseline", "provisional", "agreed")
_LINE_KEYS = ("volume", "unit_price")


@dataclass
class _Planned:
    """One agreement as the sheet states it so far, and the one held, if any."""

    title: str
    first_row: int
    provider: Provider
    kind: AgreementKind
    held: Agreement | None
    #: Agreement fields as stated, with the row that stated each.
    stated: dict[str, tuple[Any, int]] = field(default_factory=dict)

    def describe(self, year: FinancialYear) -> str:
        if self.kind is AgreementKind.SLA:
            return f"the SLA '{self.title}' for {year.label}"
        return f"the contract '{self.title}'"


def _year(session: Session, label: str | None) -> FinancialYear:
    return year_by_label(session, label) if label else current_year(session)


def _held_agreement(
    session: Session, kind: AgreementKind, title: str, year: FinancialYear
) -> Agreement | None:
    """The agreement the title names: an SLA of the year, or a contract (case ignored)."""
    query = select(Agreement).where(Agreement.kind == kind)
    if kind is AgreementKind.SLA:
        query = query.where(Agreement.year_id == year.id)
    wanted = title.casefold()
    return next((a for a in session.scalars(query) if a.title.casefold() == wanted), None)


def _held_line(
    agreement: Agreement | None, service_id: int, year: FinancialYear
) -> ServiceLine | None:
    """The agreement's line for the service in the year, if it has one."""
    if agreement is None:
        return None
    return next(
        (
            line
            for line in agreement.lines
            if line.service_id == service_id and line.year_id == year.id
        ),
        None,
    )


def _allocation(agreement: Agreement, year: FinancialYear) -> Allocation | None:
    """The agreement's own allocation row for the year (not a service line's)."""
    session = object_session(agreement)
    if session is None or agreement.id is None:
        return None
    return session.scalars(
        select(Allocation).where(
            Allocation.agreement_id == agreement.id,
            Allocation.year_id == year.id,
            Allocation.service_line_id.is_(None),
        )
    ).first()


def _shown(value: Any, key: str) -> str:
    if value is None:
        return "nothing"
    if key in ("annual_value", "unit_price"):
        return format_pounds(value)
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


class _Reader:
    def __init__(self, session: Session, year: FinancialYear) -> None:
        self.session = session
        self.year = year
        self.providers = ProviderNames(session)
        self.services = {s.name.casefold(): s for s in session.scalars(select(Service))}
        self.planned: dict[str, _Planned] = {}
        self.same_line = Duplicates("service", "the service line")
        #: Row number -> (the agreement's title as compared, the line's service id).
        self.rows: dict[int, tuple[str, int | None]] = {}

    def held_for(self, kind: AgreementKind | None, title: str) -> Agreement | None:
        """The held agreement a title names; without a Type, the year's SLA or else a
        contract of that title."""
        kinds = [kind] if kind is not None else [AgreementKind.SLA, AgreementKind.CONTRACT]
        for each in kinds:
            held = _held_agreement(self.session, each, title, self.year)
            if held is not None:
                return held
        return None

    def agreement(self, row: SheetRow, title: str) -> _Planned | None:
        """The agreement the row belongs to: the one an earlier row began, else the one
        held by its title, else a new one (its provider and type from this row)."""
        provider = self.providers.find(row, "provider", required=False)
        kind = row.choice("kind", AgreementKind) if row.has("kind") else None
        planned = self.planned.get(title.casefold())
        if planned is None:
            held = self.held_for(kind, title)
            if provider is None and held is not None and not cell_text(row.raw("provider")):
                provider = held.provider
            if provider is None:
                if not row.result.errors:
                    row.error("provider", "Provider is empty: name it on the agreement's first row")
                return None
            kind = held.kind if held is not None else kind
            if kind is None:
                public = provider.sector is Sector.PUBLIC
                kind = AgreementKind.SLA if public else AgreementKind.CONTRACT
            planned = _Planned(title, row.number, provider, kind, held)
            self.planned[title.casefold()] = planned
            if held is not None and held.provider_id != provider.id:
                row.error(
                    "provider",
                    f"{planned.describe(self.year)} is with {held.provider.name}, not "
                    f"{provider.name}",
                )
            return planned
        if provider is not None and provider.id != planned.provider.id:
            row.error(
                "provider",
                f"'{title}' is with {planned.provider.name} on row {planned.first_row}, "
                f"not {provider.name}",
            )
        if kind is not None and kind is not planned.kind:
            article = "an" if planned.kind is AgreementKind.SLA else "a"
            row.error(
                "kind", f"'{title}' is {article} {planned.kind.label} on row {planned.first_row}"
            )
        return planned

    def agreement_fields(self, row: SheetRow, planned: _Planned) -> dict[str, Any]:
        """The agreement's fields this row states first (a different restatement is an
        error); empty cells state nothing."""
        first: dict[str, Any] = {}
        read = {
            "reference": lambda: row.text("reference", limit=60) or None,
            "start": lambda: row.date("start"),
            "end": lambda: row.date("end"),
            "annual_value": lambda: row.money("annual_value"),
            **{key: (lambda key=key: row.money(key)) for key in _ALLOCATION_KEYS},
        }
        for key in (*_AGREEMENT_KEYS, *_ALLOCATION_KEYS):
            value = read[key]() if row.has(key) else None
            if value is None:
                continue
            if key not in planned.stated:
                planned.stated[key] = (value, row.number)
                first[key] = value
            elif planned.stated[key][0] != value:
                held, on = planned.stated[key]
                named = titles(FIELDS, (key,))[0]
                row.error(key, f"'{planned.title}' has {named} {_shown(held, key)} on row {on}")
        start = planned.stated.get("start", (None, 0))[0] or (
            planned.held.start if planned.held else None
        )
        end = planned.stated.get("end", (None, 0))[0] or (
            planned.held.end if planned.held else None
        )
        if ("start" in first or "end" in first) and start and end and end < start:
            row.error(
                "end" if "end" in first else "start", "the agreement cannot end before it starts"
            )
        return first

    def line(self, row: SheetRow, planned: _Planned) -> dict[str, Any] | None:
        written = row.text("service", limit=160)
        if not written:
            for key in _LINE_KEYS:
                if cell_text(row.raw(key)):
                    row.error(key, "a volume or unit price needs a Service on its row")
            return None
        service = self.services.get(written.casefold())
        if service is None:
            near = difflib.get_close_matches(
                written, [s.name for s in self.services.values()], n=1, cutoff=0.6
            )
            nearest = f" (the nearest is '{near[0]}')" if near else ""
            row.error("service", f"'{written}' is not a service in the Directory{nearest}")
            return None
        self.same_line.check(row, f"{planned.title}, {service.name}")
        values: dict[str, Any] = {"service_id": service.id, "service": service.name}
        if row.has("volume"):
            values["volume"] = row.integer("volume", minimum=0)
        if row.has("unit_price"):
            values["unit_price"] = row.money("unit_price")
        return values

    def read(self, row: SheetRow) -> None:
        title = row.text("title", limit=200)
        planned = self.agreement(row, title) if title else None
        if planned is None:
            row.done(RowStatus.ERROR, what=title)
            return
        first = self.agreement_fields(row, planned)
        line = self.line(row, planned)
        held = planned.held
        # Fields of what is held that change (a new agreement or line: none, as for any kind).
        allocation = _allocation(held, self.year) if held is not None else None
        changed = [
            k
            for k, v in first.items()
            if held is not None
            and (
                getattr(allocation, k, None) != v
                if k in _ALLOCATION_KEYS
                else getattr(held, k) != v
            )
        ]
        line_changed: list[str] = []
        held_line = _held_line(held, line["service_id"], self.year) if line else None
        if line is not None and held_line is not None:
            stated = {k: line[k] for k in _LINE_KEYS if line.get(k) is not None}
            line_changed = [k for k, v in stated.items() if getattr(held_line, k) != v]
        new = (held is None and row.number == planned.first_row) or (
            line is not None and held_line is None
        )
        if held is not None and held.status.locked and (new or changed or line_changed):
            row.error(None, _locked_error(held, planned.title).reason)
        status = RowStatus.NEW if new else RowStatus.UPDATE
        if not (new or changed or line_changed):
            status = RowStatus.UNCHANGED
        what = f"{planned.title}, {line['service']}" if line else planned.title
        # The values as the preview shows them; which agreement and service is kept aside.
        self.rows[row.number] = (title.casefold(), line["service_id"] if line else None)
        values: dict[str, Any] = {}
        if held is None and row.number == planned.first_row:
            values.update(provider=planned.provider.name, kind=planned.kind)
        values.update(first)
        if line is not None:
            values.update({k: v for k, v in line.items() if k in _LINE_KEYS})
        row.done(status, values, what, titles(FIELDS, (*changed, *line_changed)))


@dataclass(frozen=True)
class _Spec:
    """What a new agreement is created with."""

    title: str
    provider_id: int
    kind: AgreementKind


@dataclass(frozen=True)
class _Plan:
    """What ``apply`` needs beyond the rows' values (kept as the preview's ``extra``)."""

    specs: dict[str, _Spec]
    rows: dict[int, tuple[str, int | None]]


def read(
    session: Session, path: Path, sheet: str | None = None, year_label: str | None = None
) -> ListPreview:
    """The preview of an agreements list, read against the workbook; writes nothing."""
    year = _year(session, year_label)
    found = open_sheet(path, ListKind.AGREEMENTS, FIELDS, sheet)
    found.preview.year = year.label
    reader = _Reader(session, year)
    for row in found.rows():
        reader.read(row)
    specs = {key: _Spec(p.title, p.provider.id, p.kind) for key, p in reader.planned.items()}
    found.preview.extra = _Plan(specs, reader.rows)
    return found.preview


def _create_agreement_in(session: Session, spec: _Spec, year: FinancialYear) -> Agreement:
    """A draft agreement with its allocation row for the year at a baseline of £0, as
    ``records.creating.create_agreement`` makes one, inside the caller's transaction."""
    agreement = Agreement(
        provider_id=spec.provider_id,
        kind=spec.kind,
        title=spec.title,
        year_id=year.id if spec.kind is AgreementKind.SLA else None,
    )
    add_new(session, agreement)
    add_new(session, Allocation(year_id=year.id, agreement_id=agreement.id, baseline=0))
    return agreement


def apply(session: Session, preview: ListPreview) -> ImportSummary:
    """Creates and updates the agreements and their lines in the caller's transaction."""
    refuse_errors(preview)
    year = _year(session, preview.year or None)
    plan: _Plan = preview.extra
    made: dict[str, Agreement] = {}
    added = updated = 0
    for row in preview.records:
        key, service_id = plan.rows[row.number]
        agreement = made.get(key)
        if agreement is None:
            spec = plan.specs[key]
            agreement = _held_agreement(session, spec.kind, spec.title, year)
            if agreement is None:
                agreement = _create_agreement_in(session, spec, year)
            made[key] = agreement
        for name in _AGREEMENT_KEYS:
            value = row.values.get(name)
            if value is not None and getattr(agreement, name) != value:
                setattr(agreement, name, value)
        stated = {k: row.values[k] for k in _ALLOCATION_KEYS if row.values.get(k) is not None}
        if stated:
            session.flush()
            allocation = _allocation(agreement, year)
            if allocation is None:
                allocation = Allocation(year_id=year.id, agreement_id=agreement.id, baseline=0)
                add_new(session, allocation)
            for name, value in stated.items():
                if getattr(allocation, name) != value:
                    setattr(allocation, name, value)
        if service_id is not None:
            held = _held_line(agreement, service_id, year)
            if held is None:
                held = ServiceLine(
                    agreement_id=agreement.id,
                    service_id=service_id,
                    year_id=year.id,
                    volume=0,
                    unit_price=0,
                )
                add_new(session, held)
                agreement.lines.append(held)
            for name in _LINE_KEYS:
                value = row.values.get(name)
                if value is not None and getattr(held, name) != value:
                    setattr(held, name, value)
        added += row.status is RowStatus.NEW
        updated += row.status is RowStatus.UPDATE
    session.flush()
    return record_import(session, preview, added, updated)
