"""Providers from a spreadsheet: one row each, known by name (case ignored).

A provider already in the workbook is updated in the columns the sheet has, where they
differ; a column the sheet leaves out changes nothing. Aliases (other spellings seen in
returns) may be separated by semicolons or put on lines of their own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dom_desk.domain.lists.common import (
    Duplicates,
    FieldSpec,
    ImportSummary,
    ListKind,
    ListPreview,
    apply_keyed,
    changes,
    choice_labels,
    open_sheet,
    status_of,
    titles,
)
from dom_desk.models import Provider, ProviderKind, Sector

FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "name",
        "Name",
        ("name", "provider", "provider name", "establishment", "organisation"),
        True,
        "The provider's name as the region writes it (HMP Leeds); a name already in the "
        "workbook updates that provider.",
    ),
    FieldSpec(
        "kind",
        "Kind",
        ("kind", "type", "provider type", "provider kind"),
        True,
        "What kind of provider it is: one of the listed words.",
        "choice",
        choice_labels(ProviderKind),
    ),
    FieldSpec(
        "sector",
        "Sector",
        ("sector",),
        True,
        "Public, Private or Third.",
        "choice",
        choice_labels(Sector),
    ),
    FieldSpec(
        "operator",
        "Operator",
        ("operator", "run by", "contractor", "operated by"),
        help="Who runs it, for a contracted prison or a company (Serco).",
    ),
    FieldSpec(
        "capacity",
        "Capacity (places)",
        ("capacity", "places", "capacity places", "operational capacity"),
        help="For a prison, its places: a whole number; leave empty otherwise.",
        value_type="number",
    ),
    FieldSpec(
        "contact",
        "Contact",
        ("contact", "contact details", "email", "contact name"),
        help="Who to contact and how.",
    ),
    FieldSpec(
        "aliases",
        "Aliases",
        ("aliases", "other names", "also known as", "alias"),
        help="Other spellings seen in returns, separated by semicolons (Kirklevington).",
    ),
    FieldSpec("notes", "Notes", ("notes", "comments"), help="Anything else worth keeping."),
)


def _aliases(text: str) -> str:
    parts = [" ".join(p.split()) for p in text.replace(";", "\n").splitlines()]
    return "\n".join(p for p in parts if p)


def _held(session: Session) -> dict[str, Provider]:
    return {p.name.casefold(): p for p in session.scalars(select(Provider))}


def read(
    session: Session, path: Path, sheet: str | None = None, year_label: str | None = None
) -> ListPreview:
    """The preview of a providers list, read against the workbook; writes nothing."""
    found = open_sheet(path, ListKind.PROVIDERS, FIELDS, sheet)
    held = _held(session)
    same = Duplicates("name", "provider")
    for row in found.rows():
        name = row.text("name")
        same.check(row, name)
        values: dict[str, Any] = {"name": name}
        values["kind"] = row.choice("kind", ProviderKind)
        values["sector"] = row.choice("sector", Sector)
        for key in ("operator", "contact", "notes"):
            if row.has(key):
                values[key] = row.text(key) if key != "notes" else row.lines(key)
        if row.has("capacity"):
            values["capacity"] = row.integer("capacity")
        if row.has("aliases"):
            values["aliases"] = _aliases(row.lines("aliases"))
        record = held.get(name.casefold())
        changed = changes(record, {k: v for k, v in values.items() if k != "name"})
        row.done(status_of(record, changed), values, name, titles(FIELDS, changed))
    return found.preview


def apply(session: Session, preview: ListPreview) -> ImportSummary:
    """Adds the new providers and updates the changed ones in the caller's transaction."""
    return apply_keyed(
        session, preview, _held(session), "name", lambda v: Provider(**v), str.casefold
    )
