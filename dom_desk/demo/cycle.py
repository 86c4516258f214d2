"""The demo's commissioning cycle (issue 15): need and demand figures, actions on missed
targets, the HMP Buckley Hall competition evaluated and awarded, and payment-by-results
and bonus rules. Every figure is illustrative.

Written through the domain's own functions (so the demo obeys their rules: weights that
add to 100, scores within their scale, an award that makes its contract) inside
``build_demo``'s one transaction: ``_InSession`` hands them the demo's session.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from dom_desk.demo.data import providers as provider_data
from dom_desk.demo.data.services import DRR, ETE, pounds
from dom_desk.demo.plan import roles
from dom_desk.domain import contracts, payments, performance_actions, resource_decisions, tenders
from dom_desk.domain.demand import set_figure_in
from dom_desk.domain.region import current_year
from dom_desk.models import (
    ActionStage,
    Agreement,
    AgreementKind,
    Competition,
    CompetitionStage,
    CriterionKind,
    DemandKind,
    FinancialYear,
    PaymentRuleKind,
    PerformanceAction,
    Provider,
    ResourceDecision,
    Service,
    ServiceLine,
    Stage,
)
from dom_desk.storage.workbook import Workbook

#: The years the demand figures cover: two before the workbook's first, for a trend.
DEMAND_YEARS = ("2007-08", "2008-09", "2009-10")
SOURCE = "Illustrative figures for the demo region"


class _InSession:
    """A stand-in for the workbook whose ``session()`` is the demo's open transaction,
    so that the domain's functions write into it rather than committing on their own."""

    def __init__(self, session: Session) -> None:
        self._session = session

    @contextmanager
    def session(self) -> Iterator[Session]:
        yield self._session
        self._session.flush()


def add_cycle(session: Session) -> None:
    here: Workbook = _InSession(session)  # type: ignore[assignment]
    ids = {p.name: p.id for p in session.scalars(select(Provider))}
    services = {s.name: s.id for s in session.scalars(select(Service))}
    _add_demand(session, ids, services)
    _add_actions(here, ids)
    _add_competition(session, here, ids)
    _add_next_year_lines(session)
    _add_payments(session, here)


# -- need and demand --------------------------------------------------------------------

#: A prison's population as a share of its operational capacity, year by year: most run
#: just under full; a few above it (the pressure the forecast should show).
_FULL = (Decimal("0.962"), Decimal("0.978"), Decimal("0.991"))
_OVER = {
    "HMP Liverpool": (Decimal("0.985"), Decimal("1.004"), Decimal("1.021")),
    "HMP Preston": (Decimal("0.990"), Decimal("1.010"), Decimal("1.028")),
    "HMP Manchester": (Decimal("0.970"), Decimal("0.984"), Decimal("0.998")),
}
#: Each probation area's caseload two years and one year before 2009-10, as a share of
#: its 2009-10 caseload, and its proven reoffending rate (%) each year.
_CASELOAD_TREND = (Decimal("0.93"), Decimal("0.97"), Decimal("1"))
_REOFFENDING = {
    "Greater Manchester Probation Trust": ("39.8", "39.1", "38.4"),
    "Merseyside Probation Trust": ("40.6", "39.9", "39.5"),
    "Lancashire Probation Area": ("37.2", "36.8", "36.9"),
    "Cheshire Probation Area": ("35.1", "34.6", "34.0"),
    "Cumbria Probation Area": ("36.4", "36.9", "37.3"),
}
#: Shares of a caseload by order type, and by OGRS band (seed 002 Annex A's targeting).
_ORDERS = (
    (DemandKind.CASELOAD_COMMUNITY, Decimal("0.52")),
    (DemandKind.CASELOAD_SUSPENDED, Decimal("0.21")),
    (DemandKind.CASELOAD_LICENCE, Decimal("0.27")),
)
_OGRS = (
    (DemandKind.OGRS_LOW, Decimal("0.31")),
    (DemandKind.OGRS_MEDIUM, Decimal("0.29")),
    (DemandKind.OGRS_HIGH, Decimal("0.24")),
    (DemandKind.OGRS_VERY_HIGH, Decimal("0.12")),
    (DemandKind.OGRS_EXTREME, Decimal("0.04")),
)
#: Demand for a commissioned service (referrals a year), rising faster than the volume
#: bought: the "where demand outruns what we buy" answer.
_SERVICE_DEMAND = (
    ("Addaction", DRR, (392, 441, 506)),
    ("A4e", ETE, (2410, 2655, 2930)),
)


def _whole(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1))


def _add_demand(session: Session, ids: dict[str, int], services: dict[str, int]) -> None:
    for row in provider_data.PROVIDERS:
        if row.capacity:
            shares = _OVER.get(row.name, _FULL)
            for year, share in zip(DEMAND_YEARS, shares, strict=True):
                pid = ids[row.name]
                set_figure_in(session, pid, year, DemandKind.CAPACITY, row.capacity, None, SOURCE)
                population = _whole(row.capacity * share)
                set_figure_in(
                    session, pid, year, DemandKind.PRISON_POPULATION, population, None, SOURCE
                )
        if row.caseload:
            pid = ids[row.name]
            for n, year in enumerate(DEMAND_YEARS):
                caseload = row.caseload * _CASELOAD_TREND[n]
                for kind, share in _ORDERS:
                    set_figure_in(session, pid, year, kind, _whole(caseload * share), None, SOURCE)
                rate = _REOFFENDING[row.name][n]
                set_figure_in(session, pid, year, DemandKind.REOFFENDING_RATE, rate, None, SOURCE)
            for kind, share in _OGRS:
                figure = _whole(row.caseload * share)
                set_figure_in(session, pid, DEMAND_YEARS[-1], kind, figure, None, SOURCE)
    for provider, service, figures in _SERVICE_DEMAND:
        for year, figure in zip(DEMAND_YEARS, figures, strict=True):
            set_figure_in(
                session,
                ids[provider],
                year,
                DemandKind.SERVICE,
                figure,
                services[service],
                SOURCE,
            )


# -- acting on performance -----------------------------------------------------------


def _measure(here: Workbook, code: str) -> int:
    return performance_actions.find_measure(here, code)


def _add_actions(here: Workbook, ids: dict[str, int]) -> None:
    """HMP Liverpool's missed drug-testing target taken up to an improvement plan, with
    money reinvested in drug treatment behind it (a decision awaiting acceptance), a
    Lancashire concern raised, and one suggestion dismissed with its reason."""
    liverpool = performance_actions.open_action(
        here,
        ids["HMP Liverpool"],
        "Positive mandatory drug tests above target two months running",
        measure_id=_measure(here, "KPI 6"),
        period_code="2009-09",
        owner=roles.PERFORMANCE,
        due=date(2009, 10, 16),
        note="Taken up with the Governor at the monthly performance meeting: September's "
        "positive rate is above the 9.3% target for the second month running.",
    )
    performance_actions.add_note(
        here,
        liverpool,
        "Governor reports a supply route through visits; searching of visitors stepped up "
        "and the drug strategy co-ordinator post filled from 01/10/2009.",
    )
    performance_actions.advance(
        here,
        liverpool,
        ActionStage.IMPROVEMENT_PLAN,
        due=date(2009, 11, 30),
        note="Improvement plan agreed: suspicion testing doubled, visits hall CCTV, "
        "a target of 9.3% or below in the November return.",
    )
    performance_actions.open_action(
        here,
        ids["Lancashire Probation Area"],
        "Orders and licences successfully completed below target",
        measure_id=_measure(here, "KPI 5"),
        period_code="2009-09",
        owner=roles.PERFORMANCE,
        due=date(2009, 11, 20),
        note="Concern raised with the Chief Officer; breakdown by team requested for the "
        "review on 20/11/2009.",
    )
    _backdate(here, liverpool, date(2009, 10, 15), (date(2009, 10, 22), date(2009, 10, 29)))
    decision = resource_decisions.decide(
        here,
        resource_decisions.find_allocation(here, "HMP Liverpool SLA 2009-10 custody places"),
        resource_decisions.find_allocation(here, "HMP Liverpool SLA 2009-10 CARAT"),
        pounds(120_000),
        "Reinvest in drug treatment behind the improvement plan: more IDTS places for the "
        "second half of the year, funded from the custody line's forecast underspend.",
        decided=date(2009, 10, 29),
        action_id=liverpool,
    )
    with here.session() as session:
        # Drafted on the day it was decided, between the two negotiation options.
        scenario = session.get(ResourceDecision, decision).scenario
        scenario.created_at = datetime(2009, 10, 29, 16, 0)
        scenario.created_by = "demo"
    for suggestion in performance_actions.suggestions(here):
        if suggestion.provider == "HMP Preston" and suggestion.measure == "KPI 10":
            performance_actions.dismiss_suggestion(
                here,
                suggestion,
                "September's figure was a recording error, corrected in the October return.",
            )


def _backdate(here: Workbook, action_id: int, opened: date, later: tuple[date, ...]) -> None:
    """The demo is written on its working day; its story began a few weeks before."""
    with here.session() as session:
        action = session.get(PerformanceAction, action_id)
        action.opened = opened
        for note, day in zip(action.notes, (opened, *later), strict=False):
            note.written = day


# -- the HMP Buckley Hall competition, through to award ---------------------------------

#: Quality and price criteria as seed 000 describes them; the weights add to 100.
_CRITERIA = (
    ("Regime, resettlement and reducing re-offending", 30, CriterionKind.QUALITY),
    ("Safety, security and decency", 20, CriterionKind.QUALITY),
    ("Mobilisation and workforce", 10, CriterionKind.QUALITY),
    ("Price", 40, CriterionKind.PRICE),
)
#: The bids: the public sector's in-house bid and two private bids, each unit price as a
#: share of the current SLA's, and the evaluation panel's quality scores out of 10.
_BIDS = (
    ("HMP Buckley Hall (public sector bid)", Decimal("0.98"), (8, 8, 7)),
    ("Bidder A (private sector)", Decimal("0.95"), (6, 7, 6)),
    ("Bidder B (private sector)", Decimal("1.01"), (7, 6, 7)),
)
_STAGES_DONE = (
    (Stage.ITT, date(2009, 9, 25)),
    (Stage.BIDS_DUE, date(2009, 10, 9)),
    (Stage.EVALUATION, date(2009, 10, 23)),
)
AWARD_DECIDED = date(2009, 10, 30)
CONTRACT_START = date(2010, 7, 1)
CONTRACT_END = date(2020, 6, 30)


def _add_competition(session: Session, here: Workbook, ids: dict[str, int]) -> None:
    competition = session.scalar(
        select(Competition).where(Competition.subject == "HMP Buckley Hall")
    )
    for name, weight, kind in _CRITERIA:
        tenders.add_criterion(here, competition.id, name, weight, kind)
    criteria = [c.id for c in tenders.evaluation_in(session, competition.id).criteria]
    current = session.scalars(
        select(ServiceLine)
        .where(ServiceLine.agreement_id == competition.agreement_id)
        .where(ServiceLine.year_id == current_year(session).id)
    ).all()
    bidders = []
    for name, share, scores in _BIDS:
        provider = ids["HMP Buckley Hall"] if name.startswith("HMP Buckley Hall") else None
        bidder = tenders.add_bidder(here, competition.id, name, provider_id=provider)
        bidders.append(bidder)
        for line in current:
            price = int((line.unit_price * share).quantize(Decimal(1)))
            tenders.set_bid_line(here, bidder, line.service_id, line.volume, price)
        for criterion, score in zip(criteria, scores, strict=False):
            tenders.set_score(here, bidder, criterion, score)
    for row in session.scalars(
        select(CompetitionStage).where(CompetitionStage.competition_id == competition.id)
    ):
        for stage, day in _STAGES_DONE:
            if row.stage is stage:
                row.actual = day
    made = tenders.award(
        here,
        competition.id,
        bidders[0],
        decided=AWARD_DECIDED,
        start=CONTRACT_START,
        end=CONTRACT_END,
        title="HMP Buckley Hall operating agreement 2010-2020",
        reference="NOMS/MT/BH/2010",
    )
    contract = session.get(Agreement, made.agreement_id)
    contract.notice_months = 6
    contract.contract_manager = roles.CONTRACTS


# -- contracts running on into 2010-11 -----------------------------------------------


def _months_within(start: date, end: date, first: date, last: date) -> int:
    """Whole months of [start, end] inside [first, last] (terms start on a 1st)."""
    begin, finish = max(start, first), min(end, last)
    if finish < begin:
        return 0
    return (finish.year - begin.year) * 12 + finish.month - begin.month + 1


def _add_next_year_lines(session: Session) -> None:
    """The volumes each contract running into 2010-11 buys that year (its 2009-10 lines
    at the same monthly rate for the months it runs), so that next year's demand is set
    against what is already bought. The year exists from the Buckley Hall award."""
    now = current_year(session)
    following = session.scalars(
        select(FinancialYear).where(FinancialYear.start > now.end).order_by(FinancialYear.start)
    ).first()
    for agreement in session.scalars(
        select(Agreement).where(Agreement.kind == AgreementKind.CONTRACT)
    ):
        end = contracts.current_end(agreement)
        if agreement.start is None or end is None or end <= now.end:
            continue
        held = _months_within(agreement.start, end, now.start, now.end)
        ahead = _months_within(agreement.start, end, following.start, following.end)
        if not held or not ahead:
            continue
        for line in [x for x in agreement.lines if x.year_id == now.id]:
            session.add(
                ServiceLine(
                    agreement_id=agreement.id,
                    service_id=line.service_id,
                    year_id=following.id,
                    volume=line.volume * ahead // held,
                    unit_price=line.unit_price,
                )
            )
    session.flush()


# -- payment by results and bonuses -------------------------------------------------


def _agreement(session: Session, title: str) -> Agreement:
    return session.scalars(select(Agreement).where(Agreement.title == title)).one()


def _add_payments(session: Session, here: Workbook) -> None:
    """A4e's ESF programme with a quarter of its price paid in proportion to outcomes
    (seed 004's payment by results), Forest Bank's operating contract with fixed and
    variable parts and 2% at risk in bands, and Cumbria's performance bonus from the
    weighted scorecard (seed 001)."""
    esf = _agreement(session, "ESF co-financed employment, training and education programme")
    payments.set_rule(
        here, esf.id, PaymentRuleKind.PROPORTIONAL, pounds(2_362_500), 0, pounds(787_500)
    )
    forest = _agreement(session, "HMP Forest Bank operating contract")
    at_risk = forest.annual_value * 2 // 100
    fixed = pounds(22_000_000)
    payments.set_rule(
        here,
        forest.id,
        PaymentRuleKind.BANDED,
        fixed,
        forest.annual_value - fixed - at_risk,
        at_risk,
        [(90, 100), (75, 50)],
    )
    cumbria = _agreement(session, "Cumbria Probation Area SLA 2009-10")
    payments.set_rule(
        here,
        cumbria.id,
        PaymentRuleKind.SCORECARD_BONUS,
        0,
        cumbria.annual_value or sum(line.value for line in cumbria.lines),
        pounds(100_000),
        [(50, 25), (70, 60), (85, 100)],
    )
