"""The plan template: which sections the region's plan has, in what order, with what text.

The catalogue below is every section DOM Desk can write. A region's template (rows of
``plan_section``) chooses and orders them and holds the DOM's own text; a workbook that
has never saved a template gets the default one.

Callers above the domain use ``load_template`` / ``save_template`` (a workbook, one
transaction each). ``read_template`` / ``write_template`` take a session for the two
callers that already hold one: the export reading the whole plan in one transaction, and
the demo builder writing a whole region in one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from dom_desk.errors import ValidationError
from dom_desk.models import PlanSection
from dom_desk.storage.workbook import Workbook


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: str
    #: What the section is, for the template editor.
    description: str
    #: Whether the DOM writes text for it: all of a text section, or its introduction.
    has_body: bool = True
    #: True for sections that are only the DOM's text (no figures from the workbook).
    text_only: bool = False
    default_body: str = ""


CATALOGUE: tuple[SectionSpec, ...] = (
    SectionSpec("cover", "Cover", "Region, year, version and date", has_body=False),
    SectionSpec(
        "version_control",
        "Document version control",
        "Every version of this year's plan that was exported",
        has_body=False,
    ),
    SectionSpec(
        "foreword",
        "Foreword",
        "The DOM's foreword",
        text_only=True,
        default_body=(
            "This plan sets out what the region will commission in the coming year: our "
            "priorities, what we require of providers, the service and provider mix with "
            "its allocations, the targets agreed with each provider and the timetable of "
            "competitions.\n\n"
            "It provides the basis for negotiations with providers of offender services and "
            "for aligning our priorities with our partners."
        ),
    ),
    SectionSpec("contents", "Contents", "Sections and their page numbers", has_body=False),
    SectionSpec(
        "priorities",
        "Strategic priorities and commissioning intentions",
        "Numbered priorities with their rationale and the response expected from providers",
        default_body=(
            "A commissioning intention is clear about the outcome it relates to, the "
            "rationale for it and the response expected from providers."
        ),
    ),
    SectionSpec(
        "need_demand",
        "Need and demand",
        "The DOM's summary of need and demand",
        text_only=True,
        default_body="Summarise here the assessed need and the forecast demand for services.",
    ),
    SectionSpec(
        "service_mix",
        "Service and provider mix",
        "Allocations by provider kind and by sector, against the region's envelope",
        default_body=(
            "The tables below show the allocations for the year by kind of provider and by "
            "sector. Limited variance to provisional allocations is expected."
        ),
    ),
    SectionSpec(
        "agreements",
        "SLA and contract schedule",
        "Every SLA and contract: provider, type, value, term and status",
    ),
    SectionSpec(
        "targets",
        "Targets by provider",
        "Each provider's targets, grouped by measure area, with their guidance",
        default_body=(
            "Targets marked National are set nationally; Regional Minimum targets may not be "
            "set below the regional floor; Locally Set targets are negotiated with each "
            "provider. A target shown as [x] is still to be agreed."
        ),
    ),
    SectionSpec(
        "competitions", "Competitions timetable", "The timetable of competitions, drawn and tabled"
    ),
    SectionSpec(
        "performance",
        "Performance in the previous year",
        "The previous year's results against targets, and trends",
    ),
    SectionSpec("risks", "Risk register", "Open risks, scored, with the heat map"),
    SectionSpec("glossary", "Glossary", "The abbreviations this plan uses", has_body=False),
    SectionSpec(
        "contacts",
        "Contacts",
        "Who to contact, by role",
        default_body="Comments about this plan should be sent to the regional commissioning team.",
    ),
)

SPECS: dict[str, SectionSpec] = {spec.key: spec for spec in CATALOGUE}


@dataclass(frozen=True)
class SectionChoice:
    """One section as the region's template has it."""

    key: str
    included: bool
    title: str
    body: str

    @property
    def spec(self) -> SectionSpec:
        return SPECS[self.key]


def default_template() -> list[SectionChoice]:
    return [SectionChoice(s.key, True, s.title, s.default_body) for s in CATALOGUE]


def _from_rows(rows: Sequence[PlanSection]) -> list[SectionChoice]:
    """The saved sections in order, then any section added to DOM Desk since, excluded."""
    known = {row.key for row in rows}
    chosen = [SectionChoice(r.key, r.included, r.title, r.body) for r in rows if r.key in SPECS]
    chosen += [
        SectionChoice(s.key, False, s.title, s.default_body)
        for s in CATALOGUE
        if s.key not in known
    ]
    return chosen


def read_template(session: Session) -> list[SectionChoice]:
    rows = session.scalars(select(PlanSection).order_by(PlanSection.position)).all()
    return _from_rows(rows) if rows else default_template()


def load_template(wb: Workbook) -> list[SectionChoice]:
    """The region's plan template (the default one if none was saved)."""
    with wb.session() as session:
        return read_template(session)


def check_template(sections: Sequence[SectionChoice]) -> None:
    keys = [s.key for s in sections]
    unknown = [k for k in keys if k not in SPECS]
    if unknown:
        raise ValidationError(f"'{unknown[0]}' is not a section of the plan", "Plan template")
    if len(set(keys)) != len(keys):
        raise ValidationError("a section appears twice", "Plan template")
    if not any(s.included for s in sections):
        raise ValidationError("choose at least one section", "Plan template")
    for section in sections:
        if not section.title.strip():
            raise ValidationError(
                "a section needs a title", f"Plan template, section '{SPECS[section.key].title}'"
            )
        if len(section.title) > 160:
            raise ValidationError(
                "the title is longer than 160 characters",
                f"Plan template, section '{section.title[:40]}'",
            )


def write_template(session: Session, sections: Sequence[SectionChoice]) -> None:
    """Writes the sections, in this order, as the region's plan template."""
    check_template(sections)
    cleaned = [replace(s, title=s.title.strip()) for s in sections]
    rows = {row.key: row for row in session.scalars(select(PlanSection))}
    for position, section in enumerate(cleaned):
        row = rows.pop(section.key, None)
        if row is None:
            row = PlanSection(key=section.key)
            session.add(row)
        row.position, row.included = position, section.included
        row.title, row.body = section.title, section.body
    for leftover in rows.values():
        session.delete(leftover)


def save_template(wb: Workbook, sections: Sequence[SectionChoice]) -> None:
    """Saves the sections, in this order, as the region's plan template (one transaction)."""
    with wb.session() as session:
        write_template(session, sections)


def included(sections: Sequence[SectionChoice]) -> list[SectionChoice]:
    return [s for s in sections if s.included]
