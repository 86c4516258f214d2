"""Scenarios and their drafts: creating, listing, drafting changes, moving money,
discarding, reopening and deleting (each call one transaction of the workbook)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from dom_desk.domain.region import current_year, year_by_label
from dom_desk.domain.scenarios.subjects import (
    ALLOCATION,
    FIELDS,
    SERVICE_LINE,
    TARGET,
    Draft,
    Subject,
    _check_value,
    _decode,
    _describe,
    _encode,
    _kind,
    _subject_of,
    _where,
)
from dom_desk.domain.values import Kind
from dom_desk.errors import ValidationError
from dom_desk.models import (
    Allocation,
    FinancialYear,
    Scenario,
    ScenarioChange,
    ScenarioStatus,
)
from dom_desk.storage import audit
from dom_desk.storage.workbook import Workbook


@dataclass(frozen=True)
class ScenarioInfo:
    id: int
    name: str
    year: str
    status: ScenarioStatus
    notes: str
    created_at: datetime
    created_by: str
    changes: int


def _info(scenario: Scenario) -> ScenarioInfo:
    return ScenarioInfo(
        scenario.id,
        scenario.name,
        scenario.year.label,
        scenario.status,
        scenario.notes,
        scenario.created_at,
        scenario.created_by,
        len(scenario.changes),
    )


def _year(session: Session, label: str | None) -> FinancialYear:
    return year_by_label(session, label) if label else current_year(session)


def _scenario(session: Session, scenario_id: int) -> Scenario:
    found = session.get(Scenario, scenario_id)
    if found is None:
        raise ValidationError("That scenario no longer exists")
    return found


def _draft_scenario(session: Session, scenario_id: int) -> Scenario:
    found = _scenario(session, scenario_id)
    if found.status is not ScenarioStatus.DRAFT:
        raise ValidationError(
            f"Scenario '{found.name}' is {found.status.label.lower()}; "
            "only a draft scenario can be changed"
        )
    return found


def create_scenario(wb: Workbook, name: str, year_label: str | None = None, notes: str = "") -> int:
    """A new, empty draft scenario; the name must be new for the year."""
    name = name.strip()
    if not name:
        raise ValidationError("The scenario needs a name", "Scenario name")
    with wb.session() as session:
        return create_scenario_in(session, name, _year(session, year_label), notes).id


def create_scenario_in(
    session: Session, name: str, year: FinancialYear, notes: str = ""
) -> Scenario:
    """``create_scenario`` inside a transaction the caller holds."""
    name = name.strip()
    if not name:
        raise ValidationError("The scenario needs a name", "Scenario name")
    if session.scalars(
        select(Scenario).where(Scenario.year_id == year.id, Scenario.name == name)
    ).first():
        raise ValidationError(
            f"There is already a scenario called '{name}' for {year.label}", "Scenario name"
        )
    scenario = Scenario(
        year_id=year.id,
        name=name,
        notes=notes,
        created_at=audit.now(),
        created_by=audit.current_user(),
    )
    session.add(scenario)
    session.flush()
    return scenario


def scenarios(
    wb: Workbook, year_label: str | None = None, include_closed: bool = True
) -> list[ScenarioInfo]:
    with wb.session() as session:
        year = _year(session, year_label)
        found = session.scalars(
            select(Scenario)
            .options(selectinload(Scenario.changes), selectinload(Scenario.year))
            .where(Scenario.year_id == year.id)
            .order_by(Scenario.created_at, Scenario.id)
        )
        return [_info(s) for s in found if include_closed or s.status is ScenarioStatus.DRAFT]


def _find_change(scenario: Scenario, subject: Subject, field: str) -> ScenarioChange | None:
    for change in scenario.changes:
        if _subject_of(change) == subject and change.field == field:
            return change
    return None


def _draft_in(session: Session, scenario: Scenario, draft: Draft) -> None:
    subject, field = draft.subject, draft.field
    if field not in FIELDS.get(subject.kind, {}):
        raise ValidationError(
            f"A scenario cannot change '{field}' of a {subject.kind.replace('_', ' ')}"
        )
    described = _describe(session, scenario.year, subject, field)
    where = _where(described, subject, field)
    _check_value(session, subject, field, draft.value, where)
    change = _find_change(scenario, subject, field)
    if change is None:
        if draft.value == described.current:
            return
        change = ScenarioChange(
            allocation_id=subject.id if subject.kind == ALLOCATION else None,
            service_line_id=subject.id if subject.kind == SERVICE_LINE else None,
            measure_id=subject.id if subject.kind == TARGET else None,
            provider_id=subject.provider_id if subject.kind == TARGET else None,
            field=field,
            base_value=_encode(described.current),
        )
        scenario.changes.append(change)
    elif draft.value == _decode(_kind(subject, field), change.base_value):
        scenario.changes.remove(change)  # drafted back to where it started: no change
        return
    change.new_value = _encode(draft.value)


def draft(wb: Workbook, scenario_id: int, drafts: Sequence[Draft]) -> None:
    """Drafts figures into a scenario, all or nothing; drafting a figure back removes it."""
    with wb.session() as session:
        scenario = _draft_scenario(session, scenario_id)
        for item in drafts:
            _draft_in(session, scenario, item)


def remove_change(wb: Workbook, scenario_id: int, subject: Subject, field: str) -> None:
    with wb.session() as session:
        scenario = _draft_scenario(session, scenario_id)
        change = _find_change(scenario, subject, field)
        if change is not None:
            scenario.changes.remove(change)


def move_money(
    wb: Workbook, scenario_id: int, from_allocation: int, to_allocation: int, amount: int
) -> None:
    """Drafts a move of ``amount`` pence from one allocation to another.

    The move is made on the figure each allocation commits (agreed where agreed, else
    provisional), so the total committed, and so the envelope, is unchanged.
    """
    with wb.session() as session:
        move_money_in(
            session, _draft_scenario(session, scenario_id), from_allocation, to_allocation, amount
        )


def move_money_in(
    session: Session, scenario: Scenario, from_allocation: int, to_allocation: int, amount: int
) -> None:
    """``move_money`` inside a transaction the caller holds (a resource decision makes
    its scenario and the move in one)."""
    if amount <= 0:
        raise ValidationError("The amount to move must be more than £0", "Move money")
    if from_allocation == to_allocation:
        raise ValidationError("Choose two different allocations", "Move money")
    drafts = []
    for allocation_id, sign in ((from_allocation, -1), (to_allocation, 1)):
        a = session.get(Allocation, allocation_id)
        if a is None:
            raise ValidationError("That allocation no longer exists", "Move money")
        subject = Subject.allocation(a.id)
        figures = {"provisional": a.provisional, "agreed": a.agreed}
        for name in figures:
            change = _find_change(scenario, subject, name)
            if change is not None:
                figures[name] = _decode(Kind.MONEY, change.new_value)
        field = "agreed" if figures["agreed"] is not None else "provisional"
        start = figures[field] if figures[field] is not None else a.baseline
        drafts.append(Draft(subject, field, start + sign * amount))
    for item in drafts:
        _draft_in(session, scenario, item)


def discard(wb: Workbook, scenario_id: int) -> ScenarioStatus:
    """Sets a draft scenario aside; returns its old status (``reopen`` undoes it)."""
    with wb.session() as session:
        scenario = _draft_scenario(session, scenario_id)
        old = scenario.status
        scenario.status = ScenarioStatus.DISCARDED
        audit.record(session, "discard scenario", "scenario", scenario.id, note=scenario.name)
        return old


def reopen(wb: Workbook, scenario_id: int) -> None:
    """Brings a discarded scenario back as a draft."""
    with wb.session() as session:
        scenario = _scenario(session, scenario_id)
        if scenario.status is not ScenarioStatus.DISCARDED:
            raise ValidationError(f"Scenario '{scenario.name}' is not discarded")
        scenario.status = ScenarioStatus.DRAFT


def delete_scenario(wb: Workbook, scenario_id: int) -> None:
    with wb.session() as session:
        session.delete(_scenario(session, scenario_id))


# -- comparing ----------------------------------------------------------------------------
