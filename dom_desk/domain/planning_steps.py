"""The planning screens' undoable changes as domain steps: each :class:`Step` says what to
do and how to undo it, both run inside a transaction the caller opens
(``tables.run_action``, which the window's undo stack calls), so the window builds a step
and pushes it without ever holding a session or reading a record.

A step remembers what it needs to undo (the value it replaced, the record it made) the
first time it is done; its :attr:`Step.result` is what that first run returned.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from dom_desk.domain import (
    competitions,
    contract_options,
    contracts,
    keydates,
    priorities,
    risks,
)
from dom_desk.models import CompetitionKind, Level, OptionKind, VariationKind


class Step:
    """One undoable change: ``do`` and ``undo`` are handed the open session."""

    def __init__(self, do: Callable[[Session, dict[str, Any]], Any], undo: Callable) -> None:
        self._do, self._undo = do, undo
        #: What ``do`` noted for ``undo`` (an old value, a new record's id).
        self.memo: dict[str, Any] = {}
        self.result: Any = None
        self._done = False

    def do(self, session: Session) -> Any:
        result = self._do(session, self.memo)
        if not self._done:
            self._done, self.result = True, result
        return result

    def undo(self, session: Session) -> None:
        self._undo(session, self.memo)


# -- competitions -------------------------------------------------------------------------


def set_stage_planned(stage_id: int, text: str) -> Step:
    def do(session: Session, memo: dict[str, Any]) -> None:
        memo["old"] = competitions.set_stage_planned(session, stage_id, text)

    def undo(session: Session, memo: dict[str, Any]) -> None:
        competitions.set_stage_planned(session, stage_id, memo["old"])

    return Step(do, undo)


def set_stage_actual(stage_id: int, actual: date | None) -> Step:
    def do(session: Session, memo: dict[str, Any]) -> None:
        memo["old"] = competitions.set_stage_actual(session, stage_id, actual)

    def undo(session: Session, memo: dict[str, Any]) -> None:
        competitions.set_stage_actual(session, stage_id, memo["old"])

    return Step(do, undo)


def create_competition(
    subject: str, kind: CompetitionKind, expiry: str = "", call: str = ""
) -> Step:
    """Adds a competition with its default timetable; ``result`` is its id."""

    def do(session: Session, memo: dict[str, Any]) -> int:
        memo["id"] = competitions.create_competition(
            session, subject, kind, expiry=expiry, call=call
        ).id
        return memo["id"]

    def undo(session: Session, memo: dict[str, Any]) -> None:
        competitions.delete_competition(session, memo["id"])

    return Step(do, undo)


def replan(competition_id: int) -> Step:
    def do(session: Session, memo: dict[str, Any]) -> None:
        memo["before"] = competitions.stage_plan(session, competition_id)
        competitions.replan(session, competition_id)

    def undo(session: Session, memo: dict[str, Any]) -> None:
        competitions.restore_plan(session, competition_id, memo["before"])

    return Step(do, undo)


# -- contracts ----------------------------------------------------------------------------


def record_variation(
    contract_id: int,
    kind: VariationKind,
    effective: date,
    description: str = "",
    value_change: int | None = None,
    new_end: date | None = None,
) -> Step:
    def do(session: Session, memo: dict[str, Any]) -> None:
        memo["id"] = contracts.record_variation(
            session, contract_id, kind, effective, description, value_change, new_end
        ).id

    def undo(session: Session, memo: dict[str, Any]) -> None:
        contracts.withdraw_variation(session, memo["id"], "Undone in DOM Desk")

    return Step(do, undo)


def add_option(
    contract_id: int,
    kind: OptionKind,
    falls_on: date,
    decide_by: date | None = None,
    months: int | None = None,
    description: str = "",
) -> Step:
    def do(session: Session, memo: dict[str, Any]) -> None:
        memo["id"] = contract_options.add_option(
            session, contract_id, kind, falls_on, decide_by, months, description
        ).id

    def undo(session: Session, memo: dict[str, Any]) -> None:
        contract_options.remove_option(session, memo["id"])

    return Step(do, undo)


def decide_option(option_id: int, exercise: bool, on: date) -> Step:
    """Exercises (a variation follows) or waives an option on ``on``."""

    def do(session: Session, memo: dict[str, Any]) -> None:
        if exercise:
            memo["variation"] = contract_options.exercise(session, option_id, on).id
        else:
            contract_options.waive(session, option_id, on)

    def undo(session: Session, memo: dict[str, Any]) -> None:
        contract_options.undecide(session, option_id, memo.pop("variation", None))

    return Step(do, undo)


# -- risks and key dates ------------------------------------------------------------------


def record_review(
    risk_id: int,
    reviewed_on: date,
    next_review: date | None,
    likelihood: Level | None = None,
    impact: Level | None = None,
    note: str = "",
) -> Step:
    def do(session: Session, memo: dict[str, Any]) -> None:
        memo["before"] = risks.review_state(session, risk_id)
        risks.record_review(session, risk_id, reviewed_on, next_review, likelihood, impact, note)

    def undo(session: Session, memo: dict[str, Any]) -> None:
        risks.restore_review_state(session, risk_id, memo["before"])

    return Step(do, undo)


def mark_key_date_done(key: str, on: date) -> Step:
    def do(session: Session, _memo: dict[str, Any]) -> None:
        keydates.mark_done(session, key, on)

    def undo(session: Session, _memo: dict[str, Any]) -> None:
        keydates.reopen(session, key)

    return Step(do, undo)


# -- priorities ---------------------------------------------------------------------------


def move_priority(priority_id: int, by: int) -> Step:
    """Moves a priority up (``by`` -1) or down (+1) a place; undo moves it back."""

    def do(session: Session, memo: dict[str, Any]) -> None:
        memo["was"] = priorities.step_in(session, priority_id, by)

    def undo(session: Session, memo: dict[str, Any]) -> None:
        priorities.move_in(session, priority_id, memo["was"])

    return Step(do, undo)


def roll_priorities_forward(from_year: str) -> Step:
    """The year's priorities and plan text copied to the next year; ``result`` is the
    :class:`~dom_desk.domain.priorities.PriorityRollForward` of the first run."""

    def do(session: Session, memo: dict[str, Any]) -> Any:
        memo["done"] = priorities.roll_forward_in(session, from_year)
        return memo["done"]

    def undo(session: Session, memo: dict[str, Any]) -> None:
        priorities.undo_roll_forward_in(session, memo["done"])

    return Step(do, undo)


# -- targets ------------------------------------------------------------------------------


def fill_targets(year: str, provider: int | str | None = None, copy_last_year: bool = True) -> Step:
    """A year's missing targets filled by guidance (``domain.targets_bulk``); ``result``
    is the first run's :class:`~dom_desk.domain.targets_bulk.FillResult`; undo deletes
    the targets it made and puts back the ones it filled."""
    from dom_desk.domain import targets_bulk  # the SLA rules load with the first fill

    def do(session: Session, memo: dict[str, Any]) -> Any:
        memo["done"] = targets_bulk.fill_targets_in(session, year, provider, copy_last_year)
        return memo["done"]

    def undo(session: Session, memo: dict[str, Any]) -> None:
        targets_bulk.unfill_in(session, memo["done"])

    return Step(do, undo)
