"""What each area's "New…" form asks, and what its pick lists offer."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from dom_desk.domain.values import Kind
from dom_desk.models import (
    AgreementKind,
    Direction,
    Guidance,
    Level,
    MeasureUnit,
    Pathway,
    Provider,
    ProviderKind,
    Sector,
)
from dom_desk.models.base import Labelled
from dom_desk.storage.workbook import Workbook


@dataclass(frozen=True)
class Field:
    """One question of a "New…" form."""

    key: str
    title: str
    kind: Kind = Kind.TEXT
    required: bool = False
    choices: type[Labelled] | None = None
    #: Chosen from the workbook's records of this area (``options`` lists them).
    pick: str = ""
    #: Shown in an empty box: an example of what to type.
    hint: str = ""


#: What each area's "New…" asks, required fields first. Keys are ``create``'s arguments.
FORMS: dict[str, tuple[Field, ...]] = {
    "providers": (
        Field("name", "Name", required=True, hint="HMP Manchester"),
        Field("kind", "Kind", Kind.CHOICE, required=True, choices=ProviderKind),
        Field("sector", "Sector", Kind.CHOICE, required=True, choices=Sector),
        Field("operator", "Operator", hint="e.g. G4S, Serco"),
        Field("capacity", "Capacity (places)", Kind.INTEGER),
    ),
    "agreements": (
        Field("provider_id", "Provider", required=True, pick="providers"),
        Field("title", "Agreement", required=True, hint="HMP Manchester SLA 2009-10"),
        Field("kind", "Type", Kind.CHOICE, required=True, choices=AgreementKind),
        Field("reference", "Reference"),
    ),
    "contracts": (
        Field("provider_id", "Provider", required=True, pick="providers"),
        Field("title", "Contract", required=True),
        Field("reference", "Reference"),
        Field("start", "Start", Kind.DATE, hint="01/04/2009"),
        Field("end", "Original end", Kind.DATE, hint="31/03/2014"),
    ),
    "milestones": (
        Field("title", "Milestone", required=True),
        Field("reference", "Ref"),
        Field("owner", "Owner"),
        Field("due_text", "Delivery date as written", hint="March 2010, Summer 2009"),
    ),
    "risks": (
        Field("reference", "Ref", required=True, hint="R1"),
        Field("description", "Risk", required=True),
        Field("likelihood", "Likelihood", Kind.CHOICE, required=True, choices=Level),
        Field("impact", "Impact", Kind.CHOICE, required=True, choices=Level),
        Field("owner", "Owner"),
    ),
    "measures": (
        Field("code", "Code", required=True, hint="KPI 12, PT 9, Target 20"),
        Field("title", "Wording", required=True),
        Field("unit", "Unit", Kind.CHOICE, required=True, choices=MeasureUnit),
        Field("direction", "Direction", Kind.CHOICE, required=True, choices=Direction),
        Field("guidance", "Guidance", Kind.CHOICE, required=True, choices=Guidance),
    ),
    "services": (
        Field("name", "Service", required=True, hint="Approved premises"),
        Field("pathway", "Pathway", Kind.CHOICE, choices=Pathway),
        Field("unit", "Unit", hint="place, completion, hour"),
        Field("target_unit_cost", "Target unit cost", Kind.MONEY, hint="£2,900"),
    ),
    "priorities": (
        Field("title", "Priority", required=True, hint="Reduce re-offending"),
        Field("number", "No.", Kind.INTEGER, hint="the next free number"),
        Field("rationale", "Rationale"),
    ),
    "envelope": (
        Field("funding_source", "Funding source", required=True, hint="NOMS allocation"),
        Field("amount", "Amount", Kind.MONEY, required=True, hint="£4,123,000"),
        Field("notes", "Notes"),
    ),
}

#: How one record of an area is called in messages and on buttons.
NOUNS = {
    "providers": "provider",
    "agreements": "agreement",
    "contracts": "contract",
    "milestones": "milestone",
    "risks": "risk",
    "measures": "measure",
    "services": "service",
    "priorities": "priority",
    "envelope": "envelope line",
}


def can_create(area_key: str) -> bool:
    return area_key in FORMS


def options(wb: Workbook, pick: str) -> list[tuple[int, str]]:
    """The records a ``pick`` field chooses from, as (id, name), by name."""
    if pick != "providers":
        raise ValueError(pick)
    with wb.session() as session:
        return [
            (i, n)
            for i, n in session.execute(
                select(Provider.id, Provider.name).order_by(func.lower(Provider.name))
            )
        ]
