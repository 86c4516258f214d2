"""The commissioning cycle's sections of the plan (issue 15), read into plain data.

Five parts, each from the domain function the window and the command line use, in the
export's one transaction: need and demand (``demand.demand_position_in``), value for
money (``vfm.value_for_money_in``), acting on performance (``performance_actions.
actions_in`` and ``resource_decisions.decisions_in``), competitions through to
award (``tenders.evaluation_in``) and payment by results (``payments.payments_in``).

What is kept is what the plan prints: text, and money as integer pence, so the PDF and
the HTML plan lay out the very same figures (``PlanData.cycle``). A part with nothing
to say is ``empty``; its section is then left out of the plan.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from dom_desk.domain import contracts
from dom_desk.domain.demand import DemandRow, demand_position_in, shown
from dom_desk.domain.payments import payments_in, totals
from dom_desk.domain.performance import resolve_window
from dom_desk.domain.performance_actions import actions_in
from dom_desk.domain.periods import format_date
from dom_desk.domain.region import today
from dom_desk.domain.resource_decisions import decisions_in
from dom_desk.domain.tenders import evaluation_in
from dom_desk.domain.vfm import value_for_money_in
from dom_desk.models import (
    Agreement,
    Allocation,
    Bidder,
    Competition,
    CriterionKind,
    DemandKind,
    FinancialYear,
    ResourceDecision,
)

#: Value for money: how many of the lines furthest above target the plan lists.
VFM_LINES = 15
#: Marks a figure forecast rather than entered for the year.
FORECAST_MARK = "*"
_CENTS = Decimal("0.01")

# -- need and demand ----------------------------------------------------------------------

#: Column headings for each kind of figure, in the grids the plan prints.
SHORT_LABELS: dict[DemandKind, str] = {
    DemandKind.CASELOAD_COMMUNITY: "Community orders",
    DemandKind.CASELOAD_SUSPENDED: "Suspended sentence orders",
    DemandKind.CASELOAD_LICENCE: "Licence and pre-release",
    DemandKind.PRISON_POPULATION: "Prison population",
    DemandKind.CAPACITY: "Operational capacity",
    DemandKind.REOFFENDING_RATE: "Reoffending rate",
    DemandKind.OGRS_LOW: "Low (0-24%)",
    DemandKind.OGRS_MEDIUM: "Medium (25-49%)",
    DemandKind.OGRS_HIGH: "High (50-74%)",
    DemandKind.OGRS_VERY_HIGH: "Very high (75-89%)",
    DemandKind.OGRS_EXTREME: "Extremely high (90-100%)",
}
#: The grids: a title, the kinds of figure that put a provider in it, and whether a
#: provider's reoffending rate is a column of it (the first such grid it is in).
GRIDS: tuple[tuple[str, tuple[DemandKind, ...], bool], ...] = (
    (
        "Caseloads",
        (
            DemandKind.CASELOAD_COMMUNITY,
            DemandKind.CASELOAD_SUSPENDED,
            DemandKind.CASELOAD_LICENCE,
        ),
        True,
    ),
    ("Prison population and capacity", (DemandKind.PRISON_POPULATION, DemandKind.CAPACITY), True),
    ("Reoffending", (), True),
    (
        "Offenders by OGRS band",
        (
            DemandKind.OGRS_LOW,
            DemandKind.OGRS_MEDIUM,
            DemandKind.OGRS_HIGH,
            DemandKind.OGRS_VERY_HIGH,
            DemandKind.OGRS_EXTREME,
        ),
        False,
    ),
)
_RATE = DemandKind.REOFFENDING_RATE


@dataclass(frozen=True)
class FigureGrid:
    """Providers by kinds of figure; a cell is the figure as shown, marked when forecast,
    or empty."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class ServiceDemand:
    provider: str
    service: str
    unit: str
    #: The demand as shown ("1,250"), marked when forecast.
    demand: str
    commissioned: int
    #: Demand beyond what is bought, as shown ("250"), or "" where it is within.
    short: str


@dataclass(frozen=True)
class NeedDemand:
    year: str
    #: "" or the growth rate a year the DOM set for forecasts ("+2%").
    growth: str
    grids: tuple[FigureGrid, ...]
    services: tuple[ServiceDemand, ...]
    pressures: tuple[str, ...]
    #: How the forecast figures were made, with how many ("4 figures from the trend of
    #: 2006-07 to 2008-09").
    forecasts: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return not self.grids and not self.services


def _shown(row: DemandRow) -> str:
    return shown(row.kind, row.figure.value) + ("" if row.figure.entered else FORECAST_MARK)


def need_demand(session: Session, year: FinancialYear) -> NeedDemand:
    found = demand_position_in(session, year)
    figures: dict[str, dict[DemandKind, str]] = {}
    services: list[ServiceDemand] = []
    methods: Counter[str] = Counter()
    for row in found.rows:
        if not row.figure.entered:
            methods[row.figure.method] += 1
        if row.kind is DemandKind.SERVICE:
            short = row.shortfall
            services.append(
                ServiceDemand(
                    row.provider,
                    row.service,
                    row.unit,
                    _shown(row),
                    row.commissioned or 0,
                    shown(row.kind, short) if short is not None and short > 0 else "",
                )
            )
        else:
            figures.setdefault(row.provider, {})[row.kind] = _shown(row)
    return NeedDemand(
        found.year,
        _growth(found.growth_percent),
        _grids(figures),
        tuple(services),
        found.pressures,
        tuple(_method_words(method, count) for method, count in sorted(methods.items())),
    )


def _method_words(method: str, count: int) -> str:
    """ "3 figures from the trend of 2006-07 to 2008-09", "1 figure as 2008-09, the only
    earlier year", "2 figures grown +2% a year from 2008-09"."""
    figures = f"{count:,} figure{'s' if count > 1 else ''}"
    if method.startswith("trend of"):
        return f"{figures} from the {method}"
    if method.startswith("as "):
        return f"{figures} {method}, the only earlier year"
    return f"{figures} grown {method}"


def _grids(figures: dict[str, dict[DemandKind, str]]) -> tuple[FigureGrid, ...]:
    """Providers by kinds of figure, a grid for each family of figures; a provider's
    reoffending rate is printed once, in its first grid that takes one (a grid of its
    own where the provider has no caseload or population)."""
    grids = []
    rated: set[str] = set()
    for title, kinds, takes_rate in GRIDS:
        if kinds:
            members = [p for p, held in figures.items() if any(k in held for k in kinds)]
        else:
            members = [p for p, held in figures.items() if _RATE in held and p not in rated]
        rates = (
            {p for p in members if _RATE in figures[p] and p not in rated} if takes_rate else set()
        )
        used = [k for k in kinds if any(k in figures[p] for p in members)]
        used += [_RATE] if rates else []
        if not members or not used:
            continue
        rows = tuple(
            (p, tuple(figures[p].get(k, "") if k is not _RATE or p in rates else "" for k in used))
            for p in members
        )
        rated |= rates
        grids.append(FigureGrid(title, tuple(SHORT_LABELS[k] for k in used), rows))
    return tuple(grids)


def _growth(percent: Decimal | None) -> str:
    if percent is None:
        return ""
    return f"{'+' if percent >= 0 else ''}{percent.normalize():f}%"


# -- value for money -----------------------------------------------------------------------


@dataclass(frozen=True)
class VfmRow:
    service: str
    provider: str
    unit: str
    volume: int
    unit_price: int
    target_unit_cost: int
    #: Pence a unit above the target, and the same as a share of it ("12.5%").
    above: int
    above_percent: str
    #: What the year's volume costs beyond the target price.
    excess: int
    #: The median unit price of the service, rounded half up to the penny.
    median: int
    rank: str


@dataclass(frozen=True)
class PathwayRow:
    pathway: str
    lines: int
    value: int
    costed_lines: int
    value_of_costed: int
    value_at_target: int
    excess: int


@dataclass(frozen=True)
class ValueData:
    year: str
    #: The lines furthest above their target unit cost (at most ``VFM_LINES``).
    rows: tuple[VfmRow, ...]
    #: How many lines are above target in all, and how many lines the year has.
    above_count: int
    line_count: int
    no_volume: int
    no_target: int
    pathways: tuple[PathwayRow, ...]
    total_excess: int

    @property
    def empty(self) -> bool:
        return not self.line_count


def value_data(session: Session, year: FinancialYear) -> ValueData:
    found = value_for_money_in(session, year)
    above = [
        line
        for line in found.lines
        if line.above_target is not None and line.above_target > 0 and line.benchmark
    ]
    rows = tuple(
        VfmRow(
            line.service,
            line.provider,
            line.unit,
            line.volume,
            line.unit_price,
            line.target_unit_cost or 0,
            line.above_target or 0,
            f"{line.above_target_percent}%" if line.above_target_percent is not None else "",
            line.excess or 0,
            line.benchmark.median_pence if line.benchmark else 0,
            line.rank_text,
        )
        for line in above[:VFM_LINES]
    )
    return ValueData(
        found.year,
        rows,
        len(above),
        len(found.lines),
        sum(1 for line in found.lines if not line.has_volume),
        sum(1 for line in found.lines if line.has_volume and line.target_unit_cost is None),
        tuple(
            PathwayRow(
                p.pathway,
                p.lines,
                p.value,
                p.costed_lines,
                p.value_of_costed,
                p.value_at_target,
                p.excess,
            )
            for p in found.pathways
        ),
        found.total_excess,
    )


# -- acting on performance -----------------------------------------------------------------


@dataclass(frozen=True)
class ActionRow:
    provider: str
    title: str
    #: The measure's code ("KPI 3"), or "" for a provider-wide concern.
    measure: str
    period: str
    stage: str
    owner: str
    due: str
    overdue: bool


@dataclass(frozen=True)
class DecisionRow:
    decided: str
    source: str
    destination: str
    amount: int
    reason: str
    #: "Applied", "Awaiting acceptance" or "Withdrawn", as the decisions' list says.
    state: str
    #: The action or competition behind it ("Action #3: HMP Liverpool, KPI 6"), or "".
    behind: str = ""


@dataclass(frozen=True)
class ActingData:
    actions: tuple[ActionRow, ...]
    decisions: tuple[DecisionRow, ...]
    #: Actions closed so far (listed in the window, counted here).
    closed: int

    @property
    def empty(self) -> bool:
        return not self.actions and not self.decisions


def _allocation_words(allocation: Allocation | None) -> str:
    """ "HMP Liverpool SLA 2009-10 (Custody places)": the provider is named first only
    when the agreement's title does not start with it."""
    if allocation is None:
        return ""
    agreement = allocation.agreement
    provider, title = agreement.provider.name, agreement.title
    words = title if title.casefold().startswith(provider.casefold()) else f"{provider}: {title}"
    line = allocation.service_line
    return words + (f" ({line.service.name})" if line is not None else "")


def acting_data(session: Session, year: FinancialYear) -> ActingData:
    on = today(session)
    found = actions_in(session)
    rows = tuple(
        ActionRow(
            a.provider,
            a.title,
            a.measure,
            a.period,
            a.stage.label,
            a.owner,
            format_date(a.due),
            a.overdue(on),
        )
        for a in found
        if a.is_open
    )
    decisions = []
    # The decisions' own list (state and what lies behind each, in its words), with the
    # allocations money moves between named as the plan's columns need them.
    for info in decisions_in(session, year.label):
        held = session.get(ResourceDecision, info.id)
        source = _allocation_words(held.from_allocation) if held else ""
        destination = _allocation_words(held.to_allocation) if held else ""
        if not source and not destination:
            source = info.summary or "Allocations since deleted"
        decisions.append(
            DecisionRow(
                format_date(info.decided),
                source,
                destination,
                info.amount,
                info.reason.strip(),
                info.state,
                info.behind,
            )
        )
    return ActingData(rows, tuple(decisions), sum(1 for a in found if not a.is_open))


# -- competitions: evaluation and award ---------------------------------------------------


@dataclass(frozen=True)
class BidRow:
    rank: str
    bidder: str
    status: str
    price: int
    quality: str
    price_points: str
    total: str


@dataclass(frozen=True)
class AwardText:
    winner: str
    decided: str
    contract: str
    #: Whether the contract the award created is still in the book, and whether its
    #: term runs into the plan's year (so the plan's schedule lists it).
    in_book: bool
    in_year: bool
    annual_value: int | None
    start: str
    end: str
    reason: str


@dataclass(frozen=True)
class CompetitionResult:
    subject: str
    #: "Delivery model 30%, Quality 30%, Price 40%".
    criteria: str
    weights_total: int
    bids: tuple[BidRow, ...]
    #: Why there is no result yet (the evaluation's own sentences).
    problems: tuple[str, ...]
    award: AwardText | None


def _points(value: Decimal | None) -> str:
    return "" if value is None else f"{value.quantize(_CENTS, ROUND_HALF_UP)}"


def competition_results(session: Session, year: FinancialYear) -> tuple[CompetitionResult, ...]:
    """Every competition with a bidder, in order of subject."""
    ids = session.scalars(
        select(Competition.id)
        .where(Competition.id.in_(select(Bidder.competition_id)))
        .order_by(Competition.subject, Competition.id)
    ).all()
    results = []
    for competition_id in ids:
        ev = evaluation_in(session, competition_id)
        kinds = {c.id: c.kind for c in ev.criteria}
        bids = []
        for b in ev.bidders:
            quality = [p for cid, p in b.points.items() if kinds[cid] is CriterionKind.QUALITY]
            price = [p for cid, p in b.points.items() if kinds[cid] is CriterionKind.PRICE]
            bids.append(
                BidRow(
                    b.rank_text,
                    b.name,
                    b.status.label,
                    b.price,
                    _points(sum(quality, Decimal(0))) if quality and None not in quality else "",
                    _points(price[0]) if price else "",
                    _points(b.total),
                )
            )
        award = None
        if ev.award is not None:
            contract = (
                session.get(Agreement, ev.award.agreement_id)
                if ev.award.agreement_id is not None
                else None
            )
            end = contracts.current_end(contract) if contract else None
            in_year = (
                contract is not None
                and (contract.start is None or contract.start <= year.end)
                and (end is None or end >= year.start)
            )
            award = AwardText(
                ev.award.bidder,
                format_date(ev.award.decided),
                contract.title if contract else ev.award.agreement_title,
                contract is not None,
                in_year,
                contracts.current_value(contract) if contract else None,
                format_date(contract.start) if contract else "",
                format_date(end),
                ev.award.reason.strip(),
            )
        results.append(
            CompetitionResult(
                ev.subject,
                ", ".join(f"{c.name} {c.weight}%" for c in ev.criteria),
                ev.weights_total,
                tuple(bids),
                ev.problems,
                award,
            )
        )
    return tuple(results)


# -- payment by results ---------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentRow:
    provider: str
    agreement: str
    rule: str
    #: What results so far achieve ("7 of 9 judged targets met (77.8%)").
    basis: str
    #: The share of the money at risk those results pay ("60%"); "" until judged.
    pays: str
    fixed: int
    variable: int
    at_risk: int
    earned_to_date: int
    still_at_risk: int


@dataclass(frozen=True)
class PaymentData:
    #: The results the payments are worked from ("2009-10 to date (Apr to Oct 2009)").
    window: str
    months: int
    rows: tuple[PaymentRow, ...]
    at_risk: int
    earned_to_date: int
    still_at_risk: int

    @property
    def empty(self) -> bool:
        return not self.rows


def payment_data(session: Session, year: FinancialYear) -> PaymentData:
    found = payments_in(session, year.label)
    window = resolve_window(session, None, year.label).label if found else ""
    total = totals(found)
    return PaymentData(
        window,
        found[0].months if found else 0,
        tuple(
            PaymentRow(
                p.provider,
                p.agreement,
                p.kind.label,
                p.basis,
                "" if p.paid_share is None else f"{p.paid_share.normalize():f}%",
                p.fixed,
                p.variable,
                p.at_risk,
                p.earned_to_date,
                p.still_at_risk,
            )
            for p in found
        ),
        total.at_risk,
        total.earned_to_date,
        total.still_at_risk,
    )


# -- all five -------------------------------------------------------------------------------

#: The plan section each part is printed in.
KEYS = ("need_demand", "value_for_money", "acting_on_performance", "tender_awards", "payments")


@dataclass(frozen=True)
class CycleData:
    """The five parts; a part not chosen for the plan is None (never read)."""

    need_demand: NeedDemand | None = None
    value: ValueData | None = None
    acting: ActingData | None = None
    competitions: tuple[CompetitionResult, ...] | None = None
    payments: PaymentData | None = None


def gather_cycle(session: Session, year: FinancialYear, wanted: set[str]) -> CycleData:
    """The parts of the cycle the plan's chosen sections print, in the caller's session."""
    return CycleData(
        need_demand=need_demand(session, year) if "need_demand" in wanted else None,
        value=value_data(session, year) if "value_for_money" in wanted else None,
        acting=acting_data(session, year) if "acting_on_performance" in wanted else None,
        competitions=competition_results(session, year) if "tender_awards" in wanted else None,
        payments=payment_data(session, year) if "payments" in wanted else None,
    )
