"""Disinvestment and reinvestment (issue 15 item 3): a dated decision to move money from
one allocation to another, with its reason and the action or competition behind it.

A decision never changes the book by itself. It is carried by a draft scenario holding
the move, made in the same transaction; the money moves when the DOM accepts that
scenario (``domain.scenarios.accept``, with its checks for stale and locked figures),
and a discarded scenario withdraws it. So the scenarios machinery stays the one way
figures change in bulk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from dom_desk.domain.money import format_pounds
from dom_desk.domain.names import one_named
from dom_desk.domain.region import current_year, today, year_by_label
from dom_desk.domain.scenarios.drafts import create_scenario_in, move_money_in
from dom_desk.errors import ValidationError
from dom_desk.models import (
    Allocation,
    Competition,
    FinancialYear,
    PerformanceAction,
    ResourceDecision,
    Scenario,
    ScenarioStatus,
)
from dom_desk.storage import audit
from dom_desk.storage.workbook import Workbook

#: What a decision's state reads as, by its scenario's status.
AWAITING = "Awaiting acceptance"
APPLIED = "Applied"
WITHDRAWN = "Withdrawn"


@dataclass(frozen=True)
class AllocationChoice:
    """An allocation as a user picks it: "HMP Liverpool: HMP Liverpool SLA 2009-10
    (Custody places (adult men))", with the money it commits."""

    id: int
    label: str
    committed: int


@dataclass(frozen=True)
class DecisionInfo:
    id: int
    decided: date
    amount: int
    summary: str
    reason: str
    #: "Action #1: HMP Liverpool, KPI 6" or "Competition: HMP Buckley Hall"; "" if none.
    behind: str
    #: AWAITING, APPLIED or WITHDRAWN.
    state: str
    scenario_id: int | None
    scenario: str
    year: str


def _label(a: Allocation) -> str:
    item = a.service_line.service.name if a.service_line else ""
    return f"{a.agreement.provider.name}: {a.agreement.title}" + (f" ({item})" if item else "")


def _committed(a: Allocation) -> int:
    for figure in (a.agreed, a.provisional):
        if figure is not None:
            return figure
    return a.baseline


def _allocations(session: Session, year: FinancialYear) -> list[Allocation]:
    return list(
        session.scalars(
            select(Allocation)
            .where(Allocation.year_id == year.id)
            .options(selectinload(Allocation.agreement), selectinload(Allocation.service_line))
            .order_by(Allocation.id)
        )
    )


def _year(session: Session, label: str | None) -> FinancialYear:
    return year_by_label(session, label) if label else current_year(session)


def allocation_choices(wb: Workbook, year: str | None = None) -> list[AllocationChoice]:
    """The year's allocations money can move between, by provider and agreement."""
    with wb.session() as session:
        rows = _allocations(session, _year(session, year))
        choices = [AllocationChoice(a.id, _label(a), _committed(a)) for a in rows]
    return sorted(choices, key=lambda c: c.label.casefold())


def find_allocation(wb: Workbook, words: str, year: str | None = None) -> int:
    """The allocation whose provider, agreement and service contain every word."""
    return one_named(allocation_choices(wb, year), words, lambda c: c.label, "allocation").id


def decide(
    wb: Workbook,
    from_allocation: int,
    to_allocation: int,
    amount: int,
    reason: str,
    decided: date | None = None,
    action_id: int | None = None,
    competition_id: int | None = None,
) -> int:
    """Records the decision and drafts its scenario (named for it, in the allocations'
    year), in one transaction; returns the decision's id. The amount cannot be more
    than the allocation it comes from commits (the scenario's own rule: no negatives)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError("Say why the money moves", "Reason")
    with wb.session() as session:
        source = session.get(Allocation, from_allocation)
        target = session.get(Allocation, to_allocation)
        if source is None or target is None:
            raise ValidationError("That allocation no longer exists", "Allocation")
        if source.year_id != target.year_id:
            raise ValidationError(
                f"Money moves within one year: {source.year.label} and {target.year.label} differ",
                "Allocation",
            )
        if amount > _committed(source):
            raise ValidationError(
                f"{format_pounds(amount)} is more than the {format_pounds(_committed(source))} "
                f"{_label(source)} commits",
                "Amount",
            )
        _check_behind(session, action_id, competition_id)
        on = decided or today(session)
        summary = f"{format_pounds(amount)} from {_label(source)} to {_label(target)}"
        scenario = create_scenario_in(
            session,
            _scenario_name(session, source.year, on),
            source.year,
            notes=f"Carries the decision of {on:%d/%m/%Y}: {summary}. {reason}",
        )
        move_money_in(session, scenario, source.id, target.id, amount)
        decision = ResourceDecision(
            id=audit.fresh_id(session, ResourceDecision),
            decided=on,
            from_allocation_id=source.id,
            to_allocation_id=target.id,
            amount=amount,
            reason=reason,
            summary=summary,
            action_id=action_id,
            competition_id=competition_id,
            scenario_id=scenario.id,
        )
        session.add(decision)
        session.flush()
        return decision.id


def _check_behind(session: Session, action_id: int | None, competition_id: int | None) -> None:
    if action_id is not None and session.get(PerformanceAction, action_id) is None:
        raise ValidationError(f"There is no action #{action_id}", "Action")
    if competition_id is not None and session.get(Competition, competition_id) is None:
        raise ValidationError("That competition no longer exists", "Competition")


def _scenario_name(session: Session, year: FinancialYear, on: date) -> str:
    taken = set(session.scalars(select(Scenario.name).where(Scenario.year_id == year.id)))
    base = f"Resource decision of {on:%d/%m/%Y}"
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base} ({n})"
    return name


def _behind(d: ResourceDecision) -> str:
    if d.action is not None:
        measure = f", {d.action.measure.code}" if d.action.measure else ""
        return f"Action #{d.action.id}: {d.action.provider.name}{measure}"
    if d.competition is not None:
        return f"Competition: {d.competition.subject}"
    return ""


def _state(d: ResourceDecision) -> str:
    if d.scenario is None or d.scenario.status is ScenarioStatus.DISCARDED:
        return WITHDRAWN
    return APPLIED if d.scenario.status is ScenarioStatus.ACCEPTED else AWAITING


def decisions_in(session: Session, year: str | None = None) -> list[DecisionInfo]:
    query = select(ResourceDecision).order_by(ResourceDecision.decided, ResourceDecision.id)
    found = []
    for d in session.scalars(query):
        allocation = d.from_allocation or d.to_allocation
        label = allocation.year.label if allocation else ""
        if year and label and label != year:
            continue
        found.append(
            DecisionInfo(
                d.id,
                d.decided,
                d.amount,
                d.summary,
                d.reason,
                _behind(d),
                _state(d),
                d.scenario_id,
                d.scenario.name if d.scenario else "",
                label,
            )
        )
    return found


def decisions(wb: Workbook, year: str | None = None) -> list[DecisionInfo]:
    """Every decision (of a year, if given), oldest first, with its state."""
    with wb.session() as session:
        return decisions_in(session, year)


def apply(wb: Workbook, decision_id: int) -> DecisionInfo:
    """Accepts the decision's scenario (the money moves), refused by sentence if it was
    withdrawn or already applied, or if its figures have changed since."""
    from dom_desk.domain.scenarios.accepting import accept

    with wb.session() as session:
        found = {d.id: d for d in decisions_in(session)}
    decision = found.get(decision_id)
    if decision is None:
        raise ValidationError(f"There is no decision #{decision_id}", "Decision")
    if decision.state != AWAITING or decision.scenario_id is None:
        raise ValidationError(f"Decision #{decision_id} is {decision.state.lower()}", "Decision")
    accept(wb, decision.scenario_id)
    return decision


def remove(wb: Workbook, decision_id: int) -> None:
    """Takes back a decision not yet applied, with the draft scenario carrying it (the
    window's undo of recording one); an applied decision stays, as history."""
    with wb.session() as session:
        decision = session.get(ResourceDecision, decision_id)
        if decision is None:
            return
        scenario = decision.scenario
        if scenario is not None and scenario.status is ScenarioStatus.ACCEPTED:
            raise ValidationError(
                f"Decision #{decision_id} is applied: undo the scenario's acceptance first",
                "Decision",
            )
        session.delete(decision)
        if scenario is not None:
            session.delete(scenario)
