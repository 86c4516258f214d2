"""The competitions timetable, the risk register, the glossary and the contacts."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import Flowable, Table, TableStyle

from dom_desk.domain.periods import format_date
from dom_desk.models import Stage
from dom_desk.plan import style
from dom_desk.plan.build import BuildContext, gap, keep
from dom_desk.plan.glossary import used_terms
from dom_desk.plan.graphics import HeatMapChart, TimelineChart, legend_items
from dom_desk.plan.tables import Col, TableSpec
from dom_desk.plan.template import SectionChoice

#: Timeline rows per drawing: one drawing never outgrows a page.
TIMELINE_ROWS = 24
#: Stages the timetable table prints (the drawing shows them all).
TABLE_STAGES = (Stage.CALL, Stage.ITT, Stage.AWARD, Stage.SERVICE_START)


def _legend() -> Table:
    items = legend_items()
    f = style.fonts()
    cells, swatches = [], []
    for colour, words in items:
        cells += ["", words]
        swatches.append(colour)
    per_row = 4
    rows = [cells[i : i + 2 * per_row] for i in range(0, len(cells), 2 * per_row)]
    rows[-1] += [""] * (2 * per_row - len(rows[-1]))
    width = style.FRAME_WIDTH / per_row
    commands = [
        ("FONT", (0, 0), (-1, -1), f.regular, 7),
        ("TEXTCOLOR", (0, 0), (-1, -1), style.MUTED),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]
    for i, colour in enumerate(swatches):
        r, c = divmod(i, per_row)
        commands.append(("BACKGROUND", (2 * c, r), (2 * c, r), colors.HexColor(colour)))
    return Table(
        rows, colWidths=[9, width - 9] * per_row, hAlign="LEFT", style=TableStyle(commands)
    )


def competitions(ctx: BuildContext, section: SectionChoice) -> list[Flowable]:
    d = ctx.data
    made: list[Flowable] = [ctx.section_heading(section)]
    made += ctx.text(section.body)
    if not d.timetable:
        made.append(ctx.para("No competitions are planned."))
        return made
    made.append(
        ctx.para(
            "The call for competition comes twelve months before the current SLA or contract "
            "expires. Dates still approximate are printed as written (\u201cSummer 2009\u201d) "
            "and drawn with a dashed outline at their best estimate; \u201cTbc\u201d dates are "
            "not drawn."
        )
    )
    model = d.timeline
    rows = list(model.rows)
    made.extend(ctx.subheading(section, "Timeline"))
    ctx.seen.extend(r.label for r in rows)
    for start in range(0, len(rows), TIMELINE_ROWS):
        made += [TimelineChart(model, rows[start : start + TIMELINE_ROWS]), gap(4)]
    ctx.seen.extend(words for _colour, words in legend_items())
    made += [
        _legend(),
        ctx.caption(
            f"Figure: competitions from {format_date(model.start)} to {format_date(model.end)}; "
            f"the dashed red line is today ({format_date(model.today)})."
        ),
    ]
    spec = TableSpec(
        [
            Col("Subject", weight=1.3),
            Col("Type", weight=1.1),
            Col("Current agreement expires", weight=0.8),
        ]
        + [Col(s.label, weight=0.8) for s in TABLE_STAGES]
    )
    for row in d.timetable:
        stages = []
        for which in TABLE_STAGES:
            _stage, words, best, _fuzzy, done = row.stage(which)
            # A stage reached prints the day it was reached, not the day planned.
            stages.append(f"{format_date(best)} (done)" if done and best else words)
        spec.add(row.subject, row.kind, row.expiry, *stages)
    made += [*ctx.subheading(section, "Timetable"), ctx.table(spec)]
    return made


def risks(ctx: BuildContext, section: SectionChoice) -> list[Flowable]:
    d = ctx.data
    made: list[Flowable] = [ctx.section_heading(section)]
    made += ctx.text(section.body)
    if not d.risks:
        made.append(ctx.para("The register holds no open risks."))
        return made
    made.append(
        ctx.para(
            f"The {len(d.risks):,} open risks, scored from the region's risk matrix "
            "(likelihood by impact, each rated low, medium, high or very high), highest first. "
            "In the register, <b>L / I</b> is likelihood / impact: L low, M medium, H high, "
            "VH very high."
        )
    )
    made += [
        *ctx.subheading(section, "Heat map"),
        keep(
            HeatMapChart(d.heat),
            ctx.caption(
                "Figure: open risks by likelihood and impact; each cell gives its score, "
                "its band and the references of the risks in it."
            ),
        ),
    ]
    spec = TableSpec(
        [
            Col("Ref", "fit"),
            Col("Risk", weight=2.2),
            Col("L / I", "fit"),
            Col("Score", "num"),
            Col("Owner", weight=0.9),
            Col("Mitigations", weight=2.0),
            Col("Review", "fit"),
        ]
    )
    for r in d.risks:
        risk = r.description + (f"\nThreatens: {r.priority}" if r.priority else "")
        spec.add(
            r.reference,
            risk,
            f"{r.likelihood.label} / {r.impact.label}",
            "" if r.score is None else str(r.score),
            r.owner,
            r.mitigations,
            format_date(r.review),
        )
    made += [*ctx.subheading(section, "Register"), ctx.table(spec)]
    return made


def glossary(ctx: BuildContext, section: SectionChoice) -> list[Flowable]:
    made: list[Flowable] = [ctx.section_heading(section)]
    terms = used_terms(ctx.seen)
    if not terms:
        return made + [ctx.para("This plan uses no abbreviations.")]
    spec = TableSpec([Col("Abbreviation", "fit"), Col("Meaning", weight=1)])
    for term, meaning in terms:
        spec.add(term, meaning)
    return made + [ctx.para("Abbreviations used in this plan."), gap(2), ctx.table(spec)]


def contacts(ctx: BuildContext, section: SectionChoice) -> list[Flowable]:
    d = ctx.data
    made: list[Flowable] = [ctx.section_heading(section)]
    made += ctx.text(section.body)
    roles = [c for c in d.contacts if not c.contact]
    providers = [c for c in d.contacts if c.contact]
    spec = TableSpec([Col("Role", weight=1), Col("Responsible for", weight=2)])
    for c in roles:
        spec.add(c.role, c.who)
    made += [*ctx.subheading(section, "Regional roles"), ctx.table(spec)]
    if providers:
        spec = TableSpec(
            [Col("Provider", weight=1.2), Col("Kind", weight=1), Col("Contact", weight=1.4)]
        )
        for c in providers:
            spec.add(c.who, c.role, c.contact)
        made += [*ctx.subheading(section, "Providers"), ctx.table(spec)]
    return made
