"""Accepting a scenario: every change written in one transaction, refused if any figure
has moved since it was drafted, with a record from which it is undone and redone."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from dom_desk.domain.scenarios.comparison import _cells
from dom_desk.domain.scenarios.drafts import _draft_scenario, _scenario
from dom_desk.domain.scenarios.subjects import ALLOCATION, SERVICE_LINE, Subject, _describe, _where
from dom_desk.domain.sla import (
    find_provider_in,
    set_line_in,
)
from dom_desk.domain.sla import set_target_in as _set_target_in
from dom_desk.domain.tables import FieldEdit, set_field_in
from dom_desk.domain.values import counted, format_value
from dom_desk.errors import ConflictError, LockedError, ValidationError
from dom_desk.models import (
    FinancialYear,
    Measure,
    ScenarioStatus,
)
from dom_desk.storage import audit
from dom_desk.storage.retry import retried
from dom_desk.storage.workbook import Workbook


@dataclass(frozen=True)
class Applied:
    subject: Subject
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class AcceptRecord:
    """What an acceptance wrote: enough to undo it exactly, and to redo it."""

    scenario_id: int
    name: str
    applied: tuple[Applied, ...]


def _write(session: Session, year: FinancialYear, subject: Subject, field: str, value: Any) -> None:
    if subject.kind == ALLOCATION:
        set_field_in(session, "allocations", subject.id, field, value, None)
    elif subject.kind == SERVICE_LINE:
        set_line_in(session, FieldEdit(subject.id, field, value))
    else:
        provider = find_provider_in(session, subject.provider_id)
        _set_target_in(session, provider, year, session.get(Measure, subject.id), field, value)


def _refuse(action: str, stale: Sequence[str], locked: Sequence[str]) -> None:
    """Refuses the whole action, naming every figure that stops it (at most five)."""
    problems = list(dict.fromkeys([*stale, *locked]))
    if not problems:
        return
    shown = " ".join(problems[:5])
    more = f" ({len(problems) - 5} more not shown.)" if len(problems) > 5 else ""
    error = ConflictError if stale else LockedError
    raise error(f"{action}: nothing was changed. {shown}{more}")


@retried
def accept(wb: Workbook, scenario_id: int) -> AcceptRecord:
    """Applies every change of a draft scenario in one transaction, with its audit trail.

    Refused, with nothing changed, if any figure has moved since it was drafted or belongs
    to a locked agreement; the message names each one.
    """
    with wb.session() as session:
        scenario = _draft_scenario(session, scenario_id)
        cells = _cells(session, scenario)
        if not cells:
            raise ValidationError(f"Scenario '{scenario.name}' has no changes to accept")
        stale = [
            f"{c.where} has changed since the scenario was drafted (was "
            f"{format_value(c.kind, c.base) or 'empty'}, now "
            f"{format_value(c.kind, c.current) or 'empty'})."
            for c in cells
            if c.stale
        ]
        locked = [
            f"{c.where} belongs to '{c.agreement}', which is locked; unlock it first."
            for c in cells
            if c.locked and not c.stale
        ]
        _refuse(f"Scenario '{scenario.name}' was not accepted", stale, locked)
        for cell in cells:
            _write(session, scenario.year, cell.subject, cell.field, cell.proposed)
        scenario.status = ScenarioStatus.ACCEPTED
        audit.record(
            session,
            "accept scenario",
            "scenario",
            scenario.id,
            note=f"{scenario.name}: {counted(len(cells), 'figure')} changed",
        )
        return AcceptRecord(
            scenario.id,
            scenario.name,
            tuple(Applied(c.subject, c.field, c.current, c.proposed) for c in cells),
        )


@retried
def undo_accept(wb: Workbook, record: AcceptRecord) -> None:
    """Puts back every figure an acceptance changed and returns the scenario to draft.

    Refused, with nothing changed, if any of those figures was edited after accepting.
    """
    with wb.session() as session:
        scenario = _scenario(session, record.scenario_id)
        if scenario.status is not ScenarioStatus.ACCEPTED:
            raise ConflictError(f"Scenario '{record.name}' is no longer accepted")
        stale, locked = [], []
        for item in record.applied:
            described = _describe(session, scenario.year, item.subject, item.field)
            if described.current != item.after:
                stale.append(
                    f"{_where(described, item.subject, item.field)} was changed "
                    "after the scenario was accepted."
                )
            elif described.locked:
                locked.append(f"'{described.agreement}' has been locked since; unlock it first.")
        _refuse(f"Accepting '{record.name}' cannot be undone", stale, locked)
        for item in reversed(record.applied):
            _write(session, scenario.year, item.subject, item.field, item.before)
        scenario.status = ScenarioStatus.DRAFT
        audit.record(session, "undo accept", "scenario", scenario.id, note=record.name)


def redo_accept(wb: Workbook, record: AcceptRecord) -> AcceptRecord:
    """Accepts the scenario again after an undo (its drafted figures are current again)."""
    return accept(wb, record.scenario_id)
