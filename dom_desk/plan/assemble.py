"""The plan's story: each chosen section built, in the chosen order, each on a new page.

Sections are built first and the glossary and contents last (the glossary lists what
the other sections printed; the contents list their headings), then put in order.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.platypus import Flowable, NextPageTemplate, PageBreak

from dom_desk.plan import (
    sections_cycle,
    sections_front,
    sections_money,
    sections_other,
    sections_performance,
)
from dom_desk.plan.build import BuildContext, Builder
from dom_desk.plan.data import PlanData
from dom_desk.plan.document import TocEntry
from dom_desk.plan.template import SectionChoice, included

BUILDERS: dict[str, Builder] = {
    "cover": sections_front.cover,
    "version_control": sections_front.version_control,
    "foreword": sections_front.foreword,
    "priorities": sections_money.priorities,
    "need_demand": sections_cycle.need_demand,
    "service_mix": sections_money.service_mix,
    "value_for_money": sections_cycle.value_for_money,
    "agreements": sections_money.agreements,
    "payments": sections_cycle.payments,
    "targets": sections_performance.targets,
    "competitions": sections_other.competitions,
    "tender_awards": sections_cycle.tender_awards,
    "performance": sections_performance.performance,
    "acting_on_performance": sections_cycle.acting_on_performance,
    "risks": sections_other.risks,
    "contacts": sections_other.contacts,
}
#: Built after everything else, because they describe it.
LAST = ("glossary", "contents")


@dataclass
class Assembled:
    story: list[Flowable]
    #: Keys of the headings the contents list (their page numbers are filled in late).
    toc_keys: list[str]
    cover_first: bool
    #: The tables laid out (the benchmark lays the same ones out with reportlab alone).
    tables: list[object]


def build_sections(
    data: PlanData,
) -> tuple[list[SectionChoice], dict[str, list[Flowable]], BuildContext, list[TocEntry]]:
    ctx = BuildContext(data)
    chosen = included(data.sections)
    built: dict[str, list[Flowable]] = {}
    for section in chosen:
        if section.key not in LAST:
            built[section.key] = BUILDERS[section.key](ctx, section)
    # A section with nothing to say (the commissioning cycle's, where the workbook has
    # none of its records) is left out, rather than printed as a page of "none".
    chosen = [s for s in chosen if s.key in LAST or built[s.key]]
    for section in chosen:
        if section.key == "glossary":
            built[section.key] = sections_other.glossary(ctx, section)
    keys = [s.key for s in chosen]
    entries: list[TocEntry] = []
    for section in chosen:
        if section.key == "contents":
            after = keys[keys.index("contents") + 1 :]
            entries = [e for key in after for e in ctx.toc.get(key, [])]
            built[section.key] = sections_front.contents(ctx, section, entries)
    return chosen, built, ctx, entries


def assemble(data: PlanData) -> Assembled:
    """The story with each section on a new page, in the template's order."""
    chosen, built, ctx, entries = build_sections(data)
    story: list[Flowable] = []
    for index, section in enumerate(chosen):
        if index:
            story += [NextPageTemplate("cover" if section.key == "cover" else "body"), PageBreak()]
        story += built[section.key]
    cover_first = bool(chosen) and chosen[0].key == "cover"
    return Assembled(story, [e.key for e in entries], cover_first, ctx.tables)
