"""A year's strategic priorities and commissioning intentions: listed, reordered, and
rolled forward (with the year's plan text) to the next year.

Priorities are numbered 1 to n within their year, and the plan prints them in that
order. A move renumbers the year's priorities 1..n with no gap; because (year, number)
is unique, the priorities whose number changes are first parked on free (negative)
numbers by a plain UPDATE, inside the same transaction, so the audit trail records each
one's move as one change (3 -> 2), never the parking place.

Functions taking a ``Workbook`` run one transaction each (the window and the command
line call these); those ending in ``_in`` take the caller's open session (the window's
undo steps in ``planning_steps`` run them through ``tables.run_action``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from dom_desk.domain.periods import parse_year, year_label
from dom_desk.domain.region import (
    current_year,
    ensure_year,
    get_setting,
    set_setting,
    year_by_label,
)
from dom_desk.errors import ValidationError
from dom_desk.models import FinancialYear, Milestone, PlanSection, Priority, Risk, RiskStatus
from dom_desk.storage import audit
from dom_desk.storage.workbook import Workbook

WHERE = "Priorities"


@dataclass(frozen=True)
class PriorityView:
    """One priority as the window and the command line show it."""

    id: int
    year: str
    number: int
    title: str
    rationale: str
    provider_response: str
    version: int


# -- reading ------------------------------------------------------------------------------


def _year(session: Session, label: str | None) -> FinancialYear:
    return year_by_label(session, label) if label else current_year(session)


def _ordered(session: Session, year_id: int) -> list[Priority]:
    return list(
        session.scalars(
            select(Priority).where(Priority.year_id == year_id).order_by(Priority.number)
        )
    )


def priorities_in(session: Session, year: FinancialYear) -> list[PriorityView]:
    return [
        PriorityView(
            p.id, year.label, p.number, p.title, p.rationale, p.provider_response, p.row_version
        )
        for p in _ordered(session, year.id)
    ]


def priorities(wb: Workbook, year: str | None = None) -> list[PriorityView]:
    """The year's priorities in number order (the current year when none is named)."""
    with wb.session() as session:
        return priorities_in(session, _year(session, year))


# -- reordering ---------------------------------------------------------------------------


def _renumber(session: Session, ordered: list[Priority]) -> None:
    """Numbers ``ordered`` 1..n. Those that change are parked below every number held
    first (a plain UPDATE the ORM does not see, so each one's audited change is old number
    -> new number, and its row version moves on once)."""
    moving = [p for rank, p in enumerate(ordered, start=1) if p.number != rank]
    if not moving:
        return
    session.flush()
    table = Priority.__table__
    below = min(0, *(p.number for p in ordered))  # parking places no priority holds
    for park, p in enumerate(moving, start=1):
        session.execute(update(table).where(table.c.id == p.id).values(number=below - park))
    for rank, p in enumerate(ordered, start=1):
        if p.number != rank:
            p.number = rank
    session.flush()


def _get(session: Session, priority_id: int) -> Priority:
    found = session.get(Priority, priority_id)
    if found is None:
        raise ValidationError("the priority is no longer in the workbook", WHERE)
    return found


def move_in(session: Session, priority_id: int, number: int) -> int:
    """Moves a priority to ``number`` (1 is first), renumbering the rest of its year
    1..n; returns the place it had, so the move can be undone by moving it back."""
    chosen = _get(session, priority_id)
    ordered = _ordered(session, chosen.year_id)
    if not 1 <= number <= len(ordered):
        label = session.get(FinancialYear, chosen.year_id).label  # type: ignore[union-attr]
        raise ValidationError(
            f"{label} has {len(ordered)} priorities: choose a number from 1 to {len(ordered)}",
            f"{WHERE}, priority '{chosen.title}'",
        )
    was = ordered.index(chosen) + 1
    ordered.remove(chosen)
    ordered.insert(number - 1, chosen)
    _renumber(session, ordered)
    return was


def step_in(session: Session, priority_id: int, by: int) -> int:
    """Moves a priority up (``by`` -1) or down (+1) one place; returns its old place."""
    chosen = _get(session, priority_id)
    ordered = _ordered(session, chosen.year_id)
    place = ordered.index(chosen) + 1 + by
    if not 1 <= place <= len(ordered):
        end = "first" if by < 0 else "last"
        raise ValidationError(
            f"it is already {end}", f"{WHERE}, priority {chosen.number} '{chosen.title}'"
        )
    return move_in(session, priority_id, place)


def move(wb: Workbook, priority_id: int, number: int) -> int:
    """Moves a priority to ``number`` in one transaction; returns the place it had."""
    with wb.session() as session:
        return move_in(session, priority_id, number)


def close_gaps_in(session: Session, year: FinancialYear) -> None:
    """Numbers the year's priorities 1..n in their order (after one was deleted)."""
    _renumber(session, _ordered(session, year.id))


# -- rolling forward ----------------------------------------------------------------------

_LABEL = re.compile(r"(?<!\d)((?:19|20)\d\d)([-/])(\d\d)(?!\d)")


def move_year_labels(text: str, years: int = 1) -> str:
    """Every financial year written in ``text`` ("2009-10", "2009/10") moved on by
    ``years``: rolled-forward text keeps saying what it said of its own year."""

    def moved(match: re.Match[str]) -> str:
        start, separator, end = int(match.group(1)), match.group(2), int(match.group(3))
        if (start + 1) % 100 != end:
            return match.group(0)  # not a financial year (a range of pages, a code)
        return year_label(start + years).replace("-", separator)

    return _LABEL.sub(moved, text)


@dataclass(frozen=True)
class PriorityRollForward:
    """What a roll forward made and changed, so that undo removes exactly that."""

    from_year: str
    to_year: str
    year_created: bool
    priority_ids: tuple[int, ...]
    #: The next year's plan text rows copied from this year's (none when this year has
    #: no text of its own, or the next year already had its own).
    section_ids: tuple[int, ...]
    #: The next year already had plan text of its own: it was left as it was.
    text_kept: bool
    #: (risk id, the priority it pointed at) for each open risk moved to the copy.
    risks: tuple[tuple[int, int], ...]
    #: (milestone id, the priority it pointed at) for each open milestone moved.
    milestones: tuple[tuple[int, int], ...]

    @property
    def text_copied(self) -> bool:
        return bool(self.section_ids)


def next_year_label(label: str) -> str:
    return year_label(parse_year(label) + 1)


def _count(session: Session, model: type, year_id: int) -> int:
    return session.scalar(
        select(func.count()).select_from(model).where(model.year_id == year_id)  # type: ignore[attr-defined]
    )


def roll_forward_in(session: Session, from_label: str) -> PriorityRollForward:
    """Copies ``from_label``'s priorities (same numbers and words, year labels moved on
    by one) and its plan text to the next year, made if the workbook lacks it.

    Refused if the next year already has priorities (roll forward starts a year, it never
    merges into one). Plan text is copied only when this year has its own and the next
    has none. Open risks and milestones that threaten one of this year's priorities are
    moved to its copy: the registers are live and follow the newest year; closed risks
    and done milestones keep the priority of their time.
    """
    source = year_by_label(session, from_label)
    to_label = next_year_label(source.label)
    existed = session.scalar(select(FinancialYear.id).where(FinancialYear.label == to_label))
    mine = _ordered(session, source.id)
    own_text = list(
        session.scalars(
            select(PlanSection)
            .where(PlanSection.year_id == source.id)
            .order_by(PlanSection.position)
        )
    )
    if not mine and not own_text:
        raise ValidationError(
            f"{source.label} has no priorities and no plan text of its own to roll forward",
            WHERE,
        )
    target = ensure_year(session, to_label)
    held = _count(session, Priority, target.id)
    if held:
        raise ValidationError(
            f"{to_label} already has {held} priorit{'y' if held == 1 else 'ies'}; roll "
            "forward only fills a year that has none (edit them there instead)",
            WHERE,
        )
    # Ids no record has had: an undone roll forward's ids carry their audit history.
    ids = audit.new_ids(session, Priority)
    copies: dict[int, Priority] = {}
    for p in mine:
        copies[p.id] = Priority(
            id=next(ids),
            year_id=target.id,
            number=p.number,
            title=move_year_labels(p.title)[:200],
            rationale=move_year_labels(p.rationale),
            provider_response=move_year_labels(p.provider_response),
        )
    session.add_all(copies.values())
    text_kept = bool(own_text) and _count(session, PlanSection, target.id) > 0
    if text_kept and not mine:
        raise ValidationError(
            f"{to_label} already has plan text of its own and {source.label} has no "
            "priorities: there is nothing to roll forward",
            WHERE,
        )
    sections: list[PlanSection] = []
    if own_text and not text_kept:
        section_ids = audit.new_ids(session, PlanSection)
        sections = [
            PlanSection(
                id=next(section_ids),
                key=s.key,
                year_id=target.id,
                position=s.position,
                included=s.included,
                title=move_year_labels(s.title)[:160],
                body=move_year_labels(s.body),
            )
            for s in own_text
        ]
        session.add_all(sections)
    session.flush()
    risks = _relink(session, Risk, copies, Risk.status == RiskStatus.OPEN)
    milestones = _relink(session, Milestone, copies, Milestone.done.is_(None))
    session.flush()
    audit.record(
        session,
        "roll forward",
        "financial_year",
        target.id,
        "priorities",
        None,
        len(copies),
        f"Priorities{' and plan text' if sections else ''} from {source.label}",
    )
    return PriorityRollForward(
        from_year=source.label,
        to_year=to_label,
        year_created=existed is None,
        priority_ids=tuple(c.id for c in copies.values()),
        section_ids=tuple(s.id for s in sections),
        text_kept=text_kept,
        risks=risks,
        milestones=milestones,
    )


def _relink(
    session: Session, model: type, copies: dict[int, Priority], still_open: object
) -> tuple[tuple[int, int], ...]:
    if not copies:
        return ()
    moved = []
    query = select(model).where(model.priority_id.in_(list(copies)), still_open)  # type: ignore[attr-defined]
    for record in session.scalars(query.order_by(model.id)):  # type: ignore[attr-defined]
        moved.append((record.id, record.priority_id))
        record.priority_id = copies[record.priority_id].id
    return tuple(moved)


def roll_forward(wb: Workbook, from_label: str) -> PriorityRollForward:
    """Rolls a year's priorities and plan text forward to the next year (one transaction)."""
    with wb.session() as session:
        return roll_forward_in(session, from_label)


def undo_roll_forward_in(session: Session, done: PriorityRollForward) -> None:
    """Puts back what ``roll_forward_in`` changed and removes what it made (the year
    too, if it made it and nothing else has been put in it since)."""
    for model, moved in ((Risk, done.risks), (Milestone, done.milestones)):
        for record_id, priority_id in moved:
            record = session.get(model, record_id)
            if record is not None and session.get(Priority, priority_id) is not None:
                record.priority_id = priority_id
    session.flush()
    for model, ids in ((Priority, done.priority_ids), (PlanSection, done.section_ids)):
        for record in (session.get(model, i) for i in ids):
            if record is not None:
                session.delete(record)
    session.flush()
    target = session.scalars(
        select(FinancialYear).where(FinancialYear.label == done.to_year)
    ).first()
    if target is None:
        return
    audit.record(
        session,
        "undo roll forward",
        "financial_year",
        target.id,
        "priorities",
        len(done.priority_ids),
        None,
        f"From {done.from_year}",
    )
    if done.year_created:
        _remove_if_unused(session, target, done.from_year)


def _remove_if_unused(session: Session, year: FinancialYear, fall_back_to: str) -> None:
    # The allocations' roll forward removes a year it made by the same rule.
    from dom_desk.domain.allocations.roll_forward import _year_in_use

    if _year_in_use(session, year):
        return
    if get_setting(session, "current_year") == year.label:
        set_setting(session, "current_year", fall_back_to)
    for period in list(year.periods):
        session.delete(period)
    session.flush()
    session.delete(year)
