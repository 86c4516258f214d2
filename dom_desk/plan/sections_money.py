"""Priorities, need and demand, the service and provider mix (with the envelope as its
budget table prints it), the SLA and contract schedule."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from reportlab.platypus import Flowable

from dom_desk.domain.allocations import GroupTotal, Position, RowKind, TotalStatus
from dom_desk.domain.allocations.position import NO_PATHWAY
from dom_desk.domain.money import format_pounds
from dom_desk.models import AgreementKind, ProviderKind
from dom_desk.plan.build import BuildContext, gap, keep
from dom_desk.plan.data import PlanData
from dom_desk.plan.graphics import BarChart
from dom_desk.plan.markup import plain
from dom_desk.plan.table_spec import Markup
from dom_desk.plan.tables import Cell, Col, TableSpec
from dom_desk.plan.template import SectionChoice


def priorities(ctx: BuildContext, section: SectionChoice) -> list[Flowable]:
    d = ctx.data
    made: list[Flowable] = [ctx.section_heading(section)]
    made += ctx.text(section.body)
    if not d.priorities:
        made.append(ctx.para(f"No priorities have been recorded for {plain(d.year)}."))
    for p in d.priorities:
        made.extend(ctx.subheading(section, f"{p.number}. {p.title}"))
        made += ctx.text(p.rationale) or [ctx.para("No rationale has been recorded.", "small")]
        if p.response.strip():
            made.append(ctx.para("<b>Response expected from providers</b>"))
            made += ctx.text(p.response)
    return made


def text_section(ctx: BuildContext, section: SectionChoice) -> list[Flowable]:
    made: list[Flowable] = [ctx.section_heading(section)]
    return made + (ctx.text(section.body) or [ctx.para("This section has no text yet.")])


def money(pence: int | None, with_pence: bool) -> str:
    return format_pounds(pence, always_pence=with_pence) if pence is not None else ""


def share(part: int, whole: int) -> str:
    if whole <= 0:
        return ""
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return f"{value}%"


def _group_table(first: str, groups: Sequence[GroupTotal], total: GroupTotal) -> TableSpec:
    """Totals by a grouping, with the exact grand total (the window's) underneath."""
    pence = any(
        v % 100
        for g in (*groups, total)
        for v in (g.baseline, g.provisional, g.agreed, g.committed)
    )
    spec = TableSpec(
        [
            Col(first, weight=1),
            Col("Allocations", "num"),
            Col("Baseline", "num"),
            Col("Provisional", "num"),
            Col("Agreed", "num"),
            Col("Committed", "num"),
            Col("Share", "num"),
        ]
    )
    for g in groups:
        spec.add(
            g.name,
            f"{g.count:,}",
            money(g.baseline, pence),
            money(g.provisional, pence),
            money(g.agreed, pence),
            money(g.committed, pence),
            share(g.committed, total.committed),
        )
    spec.add(
        "Total",
        f"{total.count:,}",
        money(total.baseline, pence),
        money(total.provisional, pence),
        money(total.agreed, pence),
        money(total.committed, pence),
        "100.0%" if total.committed else "",
        kind="total",
    )
    return spec


#: How far each level of the envelope's budget table is indented (markup spaces).
INDENT = "&nbsp;" * 4


def envelope_table(year: str, pos: Position, pence: bool) -> TableSpec:
    """The envelope as its budget table prints it: groups in bold, their lines indented,
    each group closed by its subtotal (and the total the table prints, if it differs),
    negative lines with a minus sign; then the envelope, the exact sum of the lines."""
    spec = TableSpec(
        [Col(f"The {year} envelope", weight=2), Col("Amount", "num"), Col("Printed", "num")]
    )
    rows = pos.table.rows if pos.table is not None else ()
    for row in rows:
        indent = INDENT * row.depth
        if row.kind is RowKind.GROUP:
            if row.depth == 0:
                spec.group(row.label)
            else:
                spec.add(Markup(f"{indent}<b>{plain(row.label)}</b>"), "", "")
        elif row.kind is RowKind.TOTAL:
            printed = row.printed
            shown = ""
            if printed is not None and printed.status is not TotalStatus.MATCHES:
                shown = money(printed.printed, pence)
            spec.add(
                Markup(f"{indent}<b>{plain(row.label)}</b>"),
                Cell(money(row.amount, pence), bold=True),
                shown,
            )
        else:
            label = row.label + (" (illustrative)" if row.illustrative else "")
            spec.add(Markup(f"{indent}{plain(label)}"), money(row.amount, pence), "")
    if not rows:
        for item in pos.envelope_lines:
            label = item.label + (" (illustrative)" if item.illustrative else "")
            spec.add(label, money(item.amount, pence), "")
    return spec


def service_mix(ctx: BuildContext, section: SectionChoice) -> list[Flowable]:
    pos = ctx.data.position
    year = plain(ctx.data.year)
    made: list[Flowable] = [ctx.section_heading(section)]
    made += ctx.text(section.body)
    made.append(
        ctx.para(
            "<b>Committed</b> is what the region is committed to: the agreed figure where one "
            "has been agreed, otherwise the provisional allocation, otherwise the baseline."
        )
    )
    if not pos.lines:
        made.append(ctx.para(f"No allocations have been recorded for {year}."))
        return made
    pence = any(v % 100 for v in (pos.envelope, pos.committed))
    summary = envelope_table(ctx.data.year, pos, pence)
    summary.add("Envelope", money(pos.envelope, pence), "", kind="total")
    summary.add("Committed to providers", money(pos.committed, pence), "")
    if pos.over_envelope:
        summary.add(
            Cell("Over the envelope by", bold=True),
            Cell(money(pos.committed - pos.envelope, pence), bold=True),
            "",
        )
    else:
        summary.add("Headroom", money(pos.headroom, pence), "")
    made += [*ctx.subheading(section, "Envelope and commitments"), ctx.table(summary)]
    if pos.table is not None:
        for note in (*pos.table.notes, *pos.table.warnings):
            made.append(ctx.para(f"<b>Note.</b> {plain(note)}", "small"))
    for warning in [w for w in pos.warnings if pos.table is None or w not in pos.table.warnings][
        :1
    ]:
        made.append(ctx.para(f"<b>Note.</b> {plain(warning)}", "small"))
    made += [
        *ctx.subheading(section, "Allocations by provider kind"),
        ctx.table(_group_table("Provider kind", pos.by_kind, pos.total)),
        gap(10),
        keep(
            ctx.para(f"<b>Committed {year} by provider kind</b>", "small"),
            BarChart([(g.name, g.committed) for g in pos.by_kind]),
        ),
        ctx.caption(
            "Figure: committed allocations by provider kind; the table above gives "
            "the exact figures."
        ),
        *ctx.subheading(section, "Allocations by sector"),
        ctx.table(_group_table("Sector", pos.by_sector, pos.total)),
        *ctx.subheading(section, "Allocations by pathway"),
        *_pathways(ctx, pos),
    ]
    return made


def _sum(name: str, groups: Sequence[GroupTotal]) -> GroupTotal:
    return GroupTotal(
        name,
        sum(g.count for g in groups),
        sum(g.baseline for g in groups),
        sum(g.provisional for g in groups),
        sum(g.agreed for g in groups),
        sum(g.committed for g in groups),
    )


def _pathways(ctx: BuildContext, pos: Position) -> list[Flowable]:
    """The pathway table over the allocations assigned to a pathway (shares of those),
    and under it, in words, how much is not assigned to one: a row of most of the
    money would dwarf the pathways it is about."""
    assigned = [g for g in pos.by_pathway if g.name != NO_PATHWAY]
    unassigned = _sum(NO_PATHWAY, [g for g in pos.by_pathway if g.name == NO_PATHWAY])
    pence = any(v % 100 for v in (pos.committed, unassigned.committed))
    made: list[Flowable] = []
    if assigned:
        made.append(ctx.table(_group_table("Pathway", assigned, _sum("Total", assigned))))
    if not unassigned.count:
        return made
    if not assigned:
        return [ctx.para(f"No allocation for {plain(ctx.data.year)} is assigned to a pathway.")]
    made.append(
        ctx.para(
            f"<b>Note.</b> Shares are of the {money(_sum('', assigned).committed, pence)} "
            f"assigned to a pathway. A further {money(unassigned.committed, pence)} "
            f"({share(unassigned.committed, pos.total.committed)} of the "
            f"{money(pos.total.committed, pence)} committed; {unassigned.count:,} of "
            f"{pos.total.count:,} allocations) is not assigned to a pathway.",
            "small",
        )
    )
    return made


#: Reasons a note under the schedule names before it counts the rest.
MOST_REASONS = 5


def schedule_difference(d: PlanData, pence: bool) -> str:
    """Why the schedule's annual value total and its committed total differ, in words
    (plan markup), or "" when they agree."""
    annual = sum(s.annual_value or 0 for s in d.schedule)
    gap_pence = annual - d.position.committed
    if not gap_pence:
        return ""
    reasons: list[str] = []
    for line in d.schedule:
        diff = (line.annual_value or 0) - line.committed
        if not diff:
            continue
        what = f"{plain(line.provider)}: {plain(line.title)}"
        if line.annual_value is None:
            reasons.append(
                f"{what} has no annual value recorded ({money(line.committed, pence)} committed)"
            )
        elif not line.committed:
            reasons.append(
                f"{what} ({money(line.annual_value, pence)} a year) has no allocation this year"
            )
        elif line.part_year:
            reasons.append(
                f"{what} {plain(line.part_year)}, so {money(line.committed, pence)} of its "
                f"{money(line.annual_value, pence)} a year is committed to {plain(d.year)}"
            )
        else:
            reasons.append(
                f"{what} has {money(line.committed, pence)} committed against an annual value "
                f"of {money(line.annual_value, pence)}"
            )
    outside = d.position.committed - sum(s.committed for s in d.schedule)
    if outside:
        reasons.append(f"{money(outside, pence)} is allocated to agreements outside this schedule")
    if len(reasons) > MOST_REASONS:
        rest = len(reasons) - MOST_REASONS + 1
        reasons = [*reasons[: MOST_REASONS - 1], f"{rest:,} other agreements differ likewise"]
    more = "more" if gap_pence > 0 else "less"
    return (
        f"<b>Note.</b> The annual value total is {money(abs(gap_pence), pence)} {more} than "
        f"the committed total: " + "; ".join(reasons) + "."
    )


def agreements(ctx: BuildContext, section: SectionChoice) -> list[Flowable]:
    d = ctx.data
    made: list[Flowable] = [ctx.section_heading(section)]
    made += ctx.text(section.body)
    made.append(
        ctx.para(
            f"Every SLA for {plain(d.year)} and every contract whose term runs into the year. "
            "The annual value is the contract's current value after any variations; "
            f"<b>Committed {plain(d.year)}</b> is the allocation for the year."
        )
    )
    if not d.schedule:
        made.append(ctx.para("No SLAs or contracts have been recorded for the year."))
        return made
    pence = any((s.annual_value or 0) % 100 or s.committed % 100 for s in d.schedule) or bool(
        d.position.committed % 100
    )
    spec = TableSpec(
        [
            Col("Provider", weight=1.0),
            Col("Agreement", weight=1.7),
            Col("Type", "fit"),
            Col("Annual value", "num"),
            Col("Term", "fit"),
            Col("Status", weight=0.6),
            Col(f"Committed {d.year}", "num"),
        ]
    )
    kind: ProviderKind | None = None
    for line in d.schedule:
        if line.provider_kind is not kind:
            kind = line.provider_kind
            spec.group(kind.label)
        title = line.title + (f" ({line.reference})" if line.reference else "")
        spec.add(
            line.provider,
            title,
            "SLA" if line.kind is AgreementKind.SLA else "Contract",
            money(line.annual_value, pence),
            line.term,
            line.status,
            money(line.committed, pence),
        )
    listed = sum(s.committed for s in d.schedule)
    outside = d.position.committed - listed
    if outside:
        spec.add(
            "Allocations to agreements outside this schedule",
            "",
            "",
            "",
            "",
            "",
            money(outside, pence),
        )
    spec.add(
        "Total",
        "",
        "",
        money(sum(s.annual_value or 0 for s in d.schedule), pence),
        "",
        "",
        money(d.position.committed, pence),
        kind="total",
    )
    made.append(ctx.table(spec))
    difference = schedule_difference(d, pence)
    if difference:
        made.append(ctx.para(difference, "small"))
    return made
