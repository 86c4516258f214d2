"""The commissioning cycle in the plan (issue 15): need and demand, value for money,
acting on performance, competitions to award, and payment by results.

Each builder prints its part of ``PlanData.cycle`` (``data_cycle``). A part with nothing
to say returns no flowables and its section is left out of the plan and its contents,
rather than printed as a page of "none"; need and demand, which carries the DOM's own
summary, says so in a sentence instead.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph

from dom_desk.domain.vfm import NO_PATHWAY
from dom_desk.plan.build import BuildContext, gap
from dom_desk.plan.data_cycle import (
    FORECAST_MARK,
    ActingData,
    CompetitionResult,
    NeedDemand,
    PaymentData,
    ValueData,
)
from dom_desk.plan.markup import plain
from dom_desk.plan.sections_money import money
from dom_desk.plan.tables import Cell, Col, TableSpec
from dom_desk.plan.template import SectionChoice

#: Pressures the need and demand section lists before it counts the rest.
MOST_PRESSURES = 12


def _pence(*amounts: int | None) -> bool:
    """Whether a table's money needs pence: only when some figure has them."""
    return any(a % 100 for a in amounts if a is not None)


def _bullets(ctx: BuildContext, lines: list[str]) -> list[Flowable]:
    from dom_desk.plan import style

    ctx.seen.extend(lines)
    return [Paragraph(plain(line), style.styles()["bullet"], bulletText="\u2022") for line in lines]


# -- need and demand ----------------------------------------------------------------------


def need_demand(ctx: BuildContext, section: SectionChoice) -> list[Flowable]:
    found = ctx.data.cycle.need_demand
    made: list[Flowable] = [ctx.section_heading(section)]
    made += ctx.text(section.body)
    year = plain(ctx.data.year)
    if found is None or found.empty:
        made.append(ctx.para(f"No demand figures have been recorded or forecast for {year}."))
        return made
    made.append(ctx.para(_demand_intro(found)))
    made += ctx.subheading(section, "Where demand outruns what is commissioned")
    if found.pressures:
        shown = list(found.pressures[:MOST_PRESSURES])
        made += _bullets(ctx, shown)
        rest = len(found.pressures) - len(shown)
        if rest:
            made.append(ctx.para(f"And {rest:,} smaller shortfalls.", "small"))
    else:
        made.append(
            ctx.para(
                f"For {year}, no provider's demand for a service exceeds the volume "
                "commissioned, and no prison's population its operational capacity."
            )
        )
    if found.services:
        spec = TableSpec(
            [
                Col("Provider", weight=1.2),
                Col("Service", weight=1.4),
                Col(f"Demand {ctx.data.year}", "num"),
                Col("Commissioned", "num"),
                Col("Beyond commissioned", "num"),
            ]
        )
        for s in found.services:
            unit = f"; unit: {s.unit}" if s.unit else ""
            spec.add(
                s.provider,
                s.service + unit,
                s.demand,
                f"{s.commissioned:,}",
                Cell(s.short, bold=True) if s.short else "",
            )
        made += [*ctx.subheading(section, "Demand for services against volumes commissioned")]
        made.append(ctx.table(spec))
    for grid in found.grids:
        spec = TableSpec([Col("Provider", weight=1.5)] + [Col(c, "num") for c in grid.columns])
        for provider, cells in grid.rows:
            spec.add(provider, *cells)
        made += [*ctx.subheading(section, grid.title), ctx.table(spec)]
    return made


def _demand_intro(found: NeedDemand) -> str:
    year = plain(found.year)
    if not found.forecasts:
        return f"The figures for {year} by provider, as entered for the year."
    words = (
        f"The figures for {year} by provider, as entered for the year or, marked "
        f"{FORECAST_MARK}, forecast from earlier years where none was entered: "
        + "; ".join(plain(f) for f in found.forecasts)
        + "."
    )
    if found.growth:
        words += (
            f" Counts grow by {plain(found.growth)} a year, as the region has set; a "
            "reoffending rate follows its trend."
        )
    return words


# -- value for money -----------------------------------------------------------------------


def value_for_money(ctx: BuildContext, section: SectionChoice) -> list[Flowable]:
    found = ctx.data.cycle.value
    if found is None or found.empty:
        return []
    made: list[Flowable] = [ctx.section_heading(section)]
    made += ctx.text(section.body)
    year = plain(found.year)
    made += ctx.subheading(section, "Furthest above target unit cost")
    if found.rows:
        listed = len(found.rows)
        which = (
            "all are listed"
            if listed == found.above_count
            else f"the {listed:,} furthest above, by share of the target, are listed"
        )
        made.append(
            ctx.para(
                f"{found.above_count:,} of the {found.line_count:,} service lines for {year} "
                f"cost more a unit than their target unit cost; {which}, by service, furthest "
                "above first. <b>Median</b> and <b>rank</b> (1 = lowest price) are among the "
                "providers of the service."
            )
        )
        pence = _pence(
            *(v for r in found.rows for v in (r.unit_price, r.target_unit_cost, r.above, r.median))
        )
        excess_pence = _pence(*(r.excess for r in found.rows))
        spec = TableSpec(
            [
                Col("Provider", weight=1.0),
                Col("Volume", "num"),
                Col("Unit price", "num"),
                Col("Target unit cost", "num"),
                Col("Above target", "num"),
                Col("Cost beyond target", "num"),
                Col("Median", "num"),
                Col("Rank", "fit"),
            ]
        )
        by_service: dict[str, list] = {}
        for r in found.rows:
            by_service.setdefault(r.service, []).append(r)
        for service, rows in by_service.items():
            unit = f", per {rows[0].unit}" if rows[0].unit else ""
            spec.group(service + unit)
            for r in rows:
                spec.add(
                    r.provider,
                    f"{r.volume:,}",
                    money(r.unit_price, pence),
                    money(r.target_unit_cost, pence),
                    r.above_percent,
                    money(r.excess, excess_pence),
                    money(r.median, pence),
                    r.rank,
                )
        made.append(ctx.table(spec))
    else:
        made.append(
            ctx.para(
                f"None of the {found.line_count:,} service lines for {year} costs more a "
                "unit than its service's target unit cost."
            )
        )
    left = []
    if found.no_volume:
        left.append(f"{found.no_volume:,} with no volume this year (no unit price to compare)")
    if found.no_target:
        left.append(f"{found.no_target:,} whose service has no target unit cost")
    if left:
        made.append(ctx.para("<b>Not compared:</b> " + "; ".join(left) + ".", "small"))
    made += _pathway_table(ctx, section, found)
    return made


def _pathway_table(ctx: BuildContext, section: SectionChoice, found: ValueData) -> list[Flowable]:
    if not found.pathways:
        return []
    rows = [p for p in found.pathways if p.pathway != NO_PATHWAY]
    unassigned = [p for p in found.pathways if p.pathway == NO_PATHWAY]
    if not rows:
        return []
    pence = _pence(
        *(v for p in rows for v in (p.value, p.value_of_costed, p.value_at_target, p.excess))
    )
    spec = TableSpec(
        [
            Col("Pathway", weight=1.6),
            Col("Lines", "num"),
            Col("Value", "num"),
            Col("Costed lines", "num"),
            Col("Value of costed lines", "num"),
            Col("At target prices", "num"),
            Col("Beyond target", "num"),
        ]
    )
    for p in rows:
        spec.add(
            p.pathway,
            f"{p.lines:,}",
            money(p.value, pence),
            f"{p.costed_lines:,}",
            money(p.value_of_costed, pence),
            money(p.value_at_target, pence),
            money(p.excess, pence),
        )
    spec.add(
        "Total",
        f"{sum(p.lines for p in rows):,}",
        money(sum(p.value for p in rows), pence),
        f"{sum(p.costed_lines for p in rows):,}",
        money(sum(p.value_of_costed for p in rows), pence),
        money(sum(p.value_at_target for p in rows), pence),
        money(sum(p.excess for p in rows), pence),
        kind="total",
    )
    words = (
        "<b>Costed lines</b> have a volume and a target unit cost; <b>beyond target</b> is "
        "what they cost above their target prices (a minus sign: below)."
    )
    for p in unassigned:  # most of the money: a row of it would dwarf the pathways
        direction = "above" if p.excess >= 0 else "below"
        overall = "above" if found.total_excess >= 0 else "below"
        words += (
            f" A further {p.lines:,} lines worth {money(p.value, pence)} are not assigned to "
            f"a pathway; their {p.costed_lines:,} costed lines cost "
            f"{money(abs(p.excess), pence)} {direction} their target prices, and all the "
            f"year's costed lines {money(abs(found.total_excess), pence)} {overall}."
        )
    return [*ctx.subheading(section, "By pathway"), ctx.table(spec), ctx.para(words, "small")]


# -- acting on performance -----------------------------------------------------------------


def acting_on_performance(ctx: BuildContext, section: SectionChoice) -> list[Flowable]:
    found = ctx.data.cycle.acting
    if found is None or found.empty:
        return []
    made: list[Flowable] = [ctx.section_heading(section)]
    made += ctx.text(section.body)
    made += ctx.subheading(section, "Open actions")
    made.append(ctx.para(_actions_summary(ctx, found)))
    if found.actions:
        spec = TableSpec(
            [
                Col("Provider", weight=1.1),
                Col("Action", weight=1.8),
                Col("Measure", "fit"),
                Col("Period", "fit"),
                Col("Stage", weight=1.0),
                Col("Owner", weight=0.9),
                Col("Due", "fit"),
            ]
        )
        for a in found.actions:
            due = Cell(f"{a.due}\noverdue", bold=True) if a.overdue else a.due
            spec.add(a.provider, a.title, a.measure, a.period, a.stage, a.owner, due)
        made.append(ctx.table(spec))
    made += ctx.subheading(section, "Disinvestment and reinvestment")
    year = plain(ctx.data.year)
    if not found.decisions:
        made.append(
            ctx.para(f"No decision to move money between allocations is recorded for {year}.")
        )
        return made
    made.append(
        ctx.para(
            f"Decisions moving money from one allocation to another in {year}; each is "
            "applied when the scenario carrying it is accepted."
        )
    )
    pence = _pence(*(d.amount for d in found.decisions))
    spec = TableSpec(
        [
            Col("Decided", "fit"),
            Col("From", weight=1.3),
            Col("To", weight=1.3),
            Col("Amount", "num"),
            Col("Reason", weight=1.6),
            Col("State", weight=0.6),
        ]
    )
    for d in found.decisions:
        reason = d.reason + (f"\n{d.behind}" if d.behind else "")
        spec.add(d.decided, d.source, d.destination, money(d.amount, pence), reason, d.state)
    made.append(ctx.table(spec))
    return made


def _actions_summary(ctx: BuildContext, found: ActingData) -> str:
    open_count = len(found.actions)
    overdue = sum(1 for a in found.actions if a.overdue)
    closed = f"; {found.closed:,} closed" if found.closed else ""
    if not open_count:
        return f"No performance action is open{closed}."
    late = f", {overdue:,} of them overdue" if overdue else ""
    plural = "s" if open_count > 1 else ""
    return (
        f"{open_count:,} performance action{plural} open{late}{closed}, as on "
        f"{ctx.data.today:%d/%m/%Y}, soonest due first."
    )


# -- competitions: evaluation and award ---------------------------------------------------


def tender_awards(ctx: BuildContext, section: SectionChoice) -> list[Flowable]:
    found = ctx.data.cycle.competitions
    if not found:
        return []
    made: list[Flowable] = [ctx.section_heading(section)]
    made += ctx.text(section.body)
    for result in found:
        made += ctx.subheading(section, result.subject)
        made += _competition(ctx, result)
    return made


def _competition(ctx: BuildContext, result: CompetitionResult) -> list[Flowable]:
    made: list[Flowable] = []
    if result.criteria:
        made.append(
            ctx.para(
                f"<b>Criteria and weights:</b> {plain(result.criteria)} "
                f"({result.weights_total}% in all). Points and totals are out of 100."
            )
        )
    pence = _pence(*(b.price for b in result.bids))
    spec = TableSpec(
        [
            Col("Rank", "fit"),
            Col("Bidder", weight=1.6),
            Col("Status", weight=0.7),
            Col("Annual price", "num"),
            Col("Quality points", "num"),
            Col("Price points", "num"),
            Col("Total", "num"),
        ]
    )
    for b in result.bids:
        price = money(b.price, pence) if b.price else "not priced"
        total = Cell(b.total, bold=True) if b.rank == "1" else b.total
        spec.add(b.rank, b.bidder, b.status, price, b.quality, b.price_points, total)
    made.append(ctx.table(spec))
    if result.problems:
        made.append(
            ctx.para(
                "<b>No result yet:</b> " + "; ".join(plain(p) for p in result.problems) + ".",
                "small",
            )
        )
    made.append(gap(4))
    award = result.award
    if award is None:
        made.append(ctx.para("Not yet awarded."))
        return made
    words = f"<b>Awarded</b> to {plain(award.winner)} on {award.decided}. "
    if award.in_book:
        value = (
            f", {money(award.annual_value, _pence(award.annual_value))} a year"
            if award.annual_value is not None
            else ""
        )
        words += (
            f"The contract it created, {plain(award.contract)}{value}, runs from "
            f"{award.start or 'a start not recorded'} to {award.end or 'an end not recorded'} "
            + (
                "and is in the SLA and contract schedule."
                if award.in_year
                else f"and is in the book (outside {plain(ctx.data.year)}, so not in this "
                "plan's schedule)."
            )
        )
    else:
        words += f"The contract it created ({plain(award.contract)}) is no longer in the book."
    made.append(ctx.para(words))
    if award.reason:
        made.append(ctx.para(f"<b>Reason:</b> {plain(award.reason)}", "small"))
    return made


# -- payment by results ---------------------------------------------------------------------


def payments(ctx: BuildContext, section: SectionChoice) -> list[Flowable]:
    found = ctx.data.cycle.payments
    if found is None or found.empty:
        return []
    made: list[Flowable] = [ctx.section_heading(section)]
    made += ctx.text(section.body)
    made.append(ctx.para(_payments_intro(found)))
    pence = _pence(*(v for r in found.rows for v in (r.at_risk, r.earned_to_date, r.still_at_risk)))
    spec = TableSpec(
        [
            Col("Provider", weight=1.1),
            Col("Agreement", weight=1.4),
            Col("Rule", weight=1.0),
            Col("Results so far", weight=1.2),
            Col("At risk", "num"),
            Col("Earned to date", "num"),
            Col("Still at risk", "num"),
        ]
    )
    for r in found.rows:
        spec.add(
            r.provider,
            r.agreement,
            r.rule,
            r.basis[:1].upper() + r.basis[1:] + (f": pays {r.pays}" if r.pays else ""),
            money(r.at_risk, pence),
            money(r.earned_to_date, pence),
            money(r.still_at_risk, pence),
        )
    spec.add(
        "Total",
        "",
        "",
        "",
        money(found.at_risk, pence),
        money(found.earned_to_date, pence),
        money(found.still_at_risk, pence),
        kind="total",
    )
    made.append(ctx.table(spec))
    return made


def _payments_intro(found: PaymentData) -> str:
    if not found.months:
        return (
            f"Worked from the results for {plain(found.window)}: no month has ended, so "
            "nothing is earned yet and all the money at risk is still at risk."
        )
    months = f"{found.months} month{'s' if found.months != 1 else ''}"
    return (
        f"Worked from the results for {plain(found.window)}. <b>Earned to date</b> is what "
        f"the results pay of the money at risk for the {months} ended; <b>still at risk</b> "
        "is the rest of the year's money at risk, not yet earned."
    )
