"""The plan template: which sections the region's plan has, in what order, with what text.

The catalogue below is every section DOM Desk can write. Rows of ``plan_section`` choose
and order them and hold the DOM's own text, at two levels: a year's own rows are that
year's plan (its foreword speaks of that year); rows with no year are the region's
template, which a year without rows of its own uses. A workbook that has saved neither
gets the default template.

Callers above the domain use ``load_template`` / ``save_template`` (a workbook, one
transaction each; with ``year`` they read the plan text that year's plan prints and
write that year's own rows, without it the region's template), ``load_year_text``,
``set_section_text`` and ``forget_year_text``. ``read_template`` / ``write_template``
take a session for the callers that already hold one: the export reading the whole plan
in one transaction, and the demo builder writing a whole region in one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from dom_desk.domain.region import year_by_label
from dom_desk.errors import ValidationError
from dom_desk.models import FinancialYear, PlanSection
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
        "The DOM's summary of need and demand, then the year's demand figures by provider "
        "(entered or forecast) against the volumes commissioned, and where demand outruns them",
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
        "value_for_money",
        "Value for money",
        "The service lines furthest above their target unit cost, against the other "
        "providers of the same service, and the same by pathway",
        default_body=(
            "Each service line's unit price (its value divided by its volume) is compared "
            "with the service's target unit cost and with what other providers of the same "
            "service are paid. Lines well above target are tested in negotiation or by "
            "competition."
        ),
    ),
    SectionSpec(
        "agreements",
        "SLA and contract schedule",
        "Every SLA and contract: provider, type, value, term and status",
    ),
    SectionSpec(
        "payments",
        "Payment by results",
        "Each contract's money at risk on results, what its results have earned so far "
        "and what is still at risk, with the totals",
        default_body=(
            "Part of the price of some agreements is paid only as results are achieved: in "
            "proportion to the targets met, in bands of targets met, or as a bonus from the "
            "weighted scorecard."
        ),
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
        "tender_awards",
        "Competitions: evaluation and award",
        "For each competition with bids: the criteria, the bidders' weighted ranking and "
        "the award with the contract it created",
        default_body=(
            "Bids are evaluated on quality and price against published criteria and "
            "weights; the lowest price earns the price criterion's full weight."
        ),
    ),
    SectionSpec(
        "performance",
        "Performance in the previous year",
        "The previous year's results against targets, and trends",
    ),
    SectionSpec(
        "acting_on_performance",
        "Acting on performance",
        "Open performance actions with their stage, owner and due date, and the decisions "
        "to move money from one allocation to another",
        default_body=(
            "Where a provider misses its targets we raise a concern, agree an improvement "
            "plan and review it; continued failure is escalated to performance testing or "
            "competition, and money may be moved to where it achieves more."
        ),
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
    """The saved sections in order, with any section added to DOM Desk since, excluded
    (the DOM chooses it), placed after the section the catalogue has before it."""
    chosen = [SectionChoice(r.key, r.included, r.title, r.body) for r in rows if r.key in SPECS]
    known = {c.key for c in chosen}
    for index, spec in enumerate(CATALOGUE):
        if spec.key in known:
            continue
        earlier = [s.key for s in CATALOGUE[:index] if s.key in known]
        at = 1 + [c.key for c in chosen].index(earlier[-1]) if earlier else 0
        chosen.insert(at, SectionChoice(spec.key, False, spec.title, spec.default_body))
        known.add(spec.key)
    return chosen


def _rows(session: Session, year_id: int | None) -> list[PlanSection]:
    scope = PlanSection.year_id.is_(None) if year_id is None else PlanSection.year_id == year_id
    return list(
        session.scalars(
            select(PlanSection).where(scope).order_by(PlanSection.position, PlanSection.id)
        )
    )


def _year(session: Session, label: str) -> FinancialYear:
    return year_by_label(session, label)


def read_template(session: Session, year: FinancialYear | None = None) -> list[SectionChoice]:
    """With a year: the sections that year's plan prints (its own, else the region's
    template). Without: the region's template. The default when neither was saved."""
    if year is not None:
        own = _rows(session, year.id)
        if own:
            return _from_rows(own)
    rows = _rows(session, None)
    return _from_rows(rows) if rows else default_template()


def load_template(wb: Workbook, year: str | None = None) -> list[SectionChoice]:
    """The plan text of ``year``'s plan, or the region's template (the default if none)."""
    with wb.session() as session:
        return read_template(session, _year(session, year) if year else None)


@dataclass(frozen=True)
class YearText:
    """A year's plan text as the plan dialog shows it."""

    year: str
    #: Whether the year has text of its own; if not, ``sections`` are the template's.
    own: bool
    sections: tuple[SectionChoice, ...]


def read_year_text(session: Session, year: FinancialYear) -> YearText:
    own = bool(_rows(session, year.id))
    return YearText(year.label, own, tuple(read_template(session, year)))


def load_year_text(wb: Workbook, year: str) -> YearText:
    with wb.session() as session:
        return read_year_text(session, _year(session, year))


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


def write_template(
    session: Session, sections: Sequence[SectionChoice], year_id: int | None = None
) -> None:
    """Writes the sections, in this order, as ``year_id``'s own plan text (the region's
    template when None). A year's first write makes all its rows: the template's copied,
    with these choices and words."""
    check_template(sections)
    cleaned = [replace(s, title=s.title.strip()) for s in sections]
    rows = {row.key: row for row in _rows(session, year_id)}
    for position, section in enumerate(cleaned):
        row = rows.pop(section.key, None)
        if row is None:
            row = PlanSection(key=section.key, year_id=year_id)
            session.add(row)
        row.position, row.included = position, section.included
        row.title, row.body = section.title, section.body
    for leftover in rows.values():
        session.delete(leftover)


def save_template(wb: Workbook, sections: Sequence[SectionChoice], year: str | None = None) -> None:
    """Saves the sections, in this order, as ``year``'s own plan text, or the region's
    template without a year (one transaction)."""
    with wb.session() as session:
        write_template(session, sections, _year(session, year).id if year else None)


def set_section_text(
    wb: Workbook, year: str, key: str, body: str, title: str | None = None
) -> None:
    """Sets one section's text (and title) in ``year``'s plan; a year still on the
    template gets the template's sections as its own first, in the same transaction."""
    if key not in SPECS:
        raise ValidationError(f"'{key}' is not a section of the plan", "Plan template")
    with wb.session() as session:
        target = _year(session, year)
        sections = [
            replace(s, body=body, title=s.title if title is None else title) if s.key == key else s
            for s in read_template(session, target)
        ]
        write_template(session, sections, target.id)


def forget_year_text(wb: Workbook, year: str) -> None:
    """``year``'s plan goes back to the region's template: its own rows are deleted."""
    with wb.session() as session:
        for row in _rows(session, _year(session, year).id):
            session.delete(row)


def restore_year_text(wb: Workbook, text: YearText) -> None:
    """Puts a year's plan text back as ``text`` was read (undo of a save)."""
    if text.own:
        save_template(wb, text.sections, text.year)
    else:
        forget_year_text(wb, text.year)


def included(sections: Sequence[SectionChoice]) -> list[SectionChoice]:
    return [s for s in sections if s.included]
