"""Acting on performance (issue 15, item 3): an action against a provider, the measure
and period behind it, its stage as the DOM escalates, owner, due date and dated notes;
and suggestions where a target was missed two periods running, which the DOM accepts
(an action is opened) or dismisses (it is not suggested again for that period).

Seed 003's cycle: review delivery, then improve, re-allocate or re-compete. Each write
is one audited transaction; reads return frozen values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from dom_desk.domain.matrix.build import build
from dom_desk.domain.matrix.names import short_name
from dom_desk.domain.names import one_named
from dom_desk.domain.performance import Window
from dom_desk.domain.periods import format_date, period_label
from dom_desk.domain.region import current_year, today, year_by_label
from dom_desk.domain.status import Status
from dom_desk.errors import ValidationError
from dom_desk.models import (
    ActionNote,
    ActionStage,
    Measure,
    PerformanceAction,
    Period,
    PeriodKind,
    Provider,
    SuggestionDismissal,
)
from dom_desk.storage import audit
from dom_desk.storage.workbook import Workbook

#: The stages in the order they escalate; an action may move to any of them.
STAGES = tuple(ActionStage)


@dataclass(frozen=True)
class NoteInfo:
    written: date
    text: str
    by: str


@dataclass(frozen=True)
class ActionInfo:
    id: int
    provider_id: int
    provider: str
    measure_id: int | None
    measure: str
    period_code: str
    period: str
    stage: ActionStage
    title: str
    owner: str
    opened: date
    due: date | None
    closed: date | None
    notes: tuple[NoteInfo, ...]
    #: The measure's short name ("Drug misuse"), for the window; empty without a measure.
    measure_name: str = ""

    @property
    def is_open(self) -> bool:
        return self.stage is not ActionStage.CLOSED

    def overdue(self, on: date) -> bool:
        return self.is_open and self.due is not None and self.due < on


@dataclass(frozen=True)
class Suggestion:
    """A target missed in the latest period and the one before, with no action open."""

    provider_id: int
    provider: str
    measure_id: int
    measure: str
    period_code: str
    previous_code: str
    #: The measure's short name ("Drug misuse"), for the window.
    measure_name: str = ""

    @property
    def text(self) -> str:
        return (
            f"{self.provider} missed {self.measure} in {period_label(self.previous_code)} "
            f"and {period_label(self.period_code)}"
        )


# -- actions --------------------------------------------------------------------------------


def open_action(
    wb: Workbook,
    provider_id: int,
    title: str,
    measure_id: int | None = None,
    period_code: str = "",
    owner: str = "",
    due: date | None = None,
    note: str = "",
    stage: ActionStage = ActionStage.CONCERN,
    action_id: int | None = None,
) -> int:
    """Opens an action on the workbook's working day. ``action_id`` opens it again under
    the id it had (the window's Redo after Undo withdrew it)."""
    title = _line(title, "Action", 200, required=True)
    owner = _line(owner, "Owner", 120)
    with wb.session() as session:
        return _open_in(
            session, provider_id, title, measure_id, period_code, owner, due, note, stage, action_id
        )


def _open_in(
    session: Session,
    provider_id: int,
    title: str,
    measure_id: int | None,
    period_code: str,
    owner: str,
    due: date | None,
    note: str,
    stage: ActionStage,
    action_id: int | None = None,
) -> int:
    if action_id is not None and session.get(PerformanceAction, action_id) is not None:
        raise ValidationError("That action is already in the workbook")
    if session.get(Provider, provider_id) is None:
        raise ValidationError("That provider no longer exists", "Provider")
    period_id = _period_id(session, period_code) if period_code else None
    if measure_id is not None:
        measure = session.get(Measure, measure_id)
        if measure is None:
            raise ValidationError("That measure no longer exists", "Measure")
        period = session.get(Period, period_id) if period_id is not None else None
        _refuse_retired(session, measure, period)
    on = today(session)
    action = PerformanceAction(
        id=action_id if action_id is not None else audit.fresh_id(session, PerformanceAction),
        provider_id=provider_id,
        measure_id=measure_id,
        period_id=period_id,
        stage=stage,
        title=title,
        owner=owner,
        opened=on,
        due=due,
    )
    session.add(action)
    session.flush()
    _note(session, action, on, f"{stage.label}." + (f" {note.strip()}" if note.strip() else ""))
    return action.id


def _refuse_retired(session: Session, measure: Measure, period: Period | None) -> None:
    """A measure retired before the action's year (the period's, else the working year)
    is refused: it is no longer in that year's measure set."""
    year = period.year if period is not None else current_year(session)
    linked = {link.year_id for link in measure.years}
    if linked and year.id not in linked:
        raise ValidationError(
            f"{measure.code} is retired: it is not in the {year.label} measure set, so no "
            "action can be opened on it",
            "Measure",
        )


def advance(
    wb: Workbook,
    action_id: int,
    stage: ActionStage,
    note: str = "",
    due: date | None = None,
    competition_id: int | None = None,
) -> ActionStage:
    """Moves an action to a stage (closing it, or reopening a closed one), with a dated
    note saying from what to what; returns the stage it was at."""
    with wb.session() as session:
        action = _action(session, action_id)
        before = action.stage
        if before is stage and due is None:
            raise ValidationError(f"The action is already at '{stage.label}'", "Stage")
        if stage is ActionStage.COMPETITION and competition_id is not None:
            action.competition_id = competition_id
        on = today(session)
        action.stage = stage
        action.closed = on if stage is ActionStage.CLOSED else None
        if due is not None:
            action.due = due
        words = f"{before.label} → {stage.label}." if before is not stage else f"{stage.label}."
        if due is not None:
            words += f" Next step due {format_date(due)}."
        _note(session, action, on, words + (f" {note.strip()}" if note.strip() else ""))
        return before


def add_note(wb: Workbook, action_id: int, text: str) -> None:
    text = text.strip()
    if not text:
        raise ValidationError("The note is empty", "Note")
    with wb.session() as session:
        action = _action(session, action_id)
        _note(session, action, today(session), text)


def actions(
    wb: Workbook, provider_id: int | None = None, open_only: bool = False
) -> list[ActionInfo]:
    """Actions, open ones first, then by due date (none last) and provider."""
    with wb.session() as session:
        return actions_in(session, provider_id, open_only)


def actions_in(
    session: Session, provider_id: int | None = None, open_only: bool = False
) -> list[ActionInfo]:
    """The same in the caller's transaction (the plan reads every section in one)."""
    query = select(PerformanceAction).options(
        selectinload(PerformanceAction.notes),
        selectinload(PerformanceAction.provider),
        selectinload(PerformanceAction.measure),
        selectinload(PerformanceAction.period),
    )
    if provider_id is not None:
        query = query.where(PerformanceAction.provider_id == provider_id)
    if open_only:
        query = query.where(PerformanceAction.stage != ActionStage.CLOSED)
    found = [_info(a) for a in session.scalars(query)]
    return sorted(
        found, key=lambda a: (not a.is_open, a.due is None, a.due or date.max, a.provider, a.id)
    )


def _info(action: PerformanceAction) -> ActionInfo:
    return ActionInfo(
        id=action.id,
        provider_id=action.provider_id,
        provider=action.provider.name,
        measure_id=action.measure_id,
        measure=action.measure.code if action.measure else "",
        period_code=action.period.code if action.period else "",
        period=period_label(action.period.code) if action.period else "",
        stage=action.stage,
        title=action.title,
        owner=action.owner,
        opened=action.opened,
        due=action.due,
        closed=action.closed,
        notes=tuple(NoteInfo(n.written, n.text, n.recorded_by) for n in action.notes),
        measure_name=short_name(action.measure.code, action.measure.title)
        if action.measure
        else "",
    )


# -- undoing (the window's Undo) ------------------------------------------------------------


@dataclass(frozen=True)
class ActionState:
    """What a stage change or a note alters, kept so the window's Undo can put it back."""

    stage: ActionStage
    due: date | None
    closed: date | None
    competition_id: int | None
    notes: int


def action_state(wb: Workbook, action_id: int) -> ActionState:
    with wb.session() as session:
        action = _action(session, action_id)
        return ActionState(
            action.stage, action.due, action.closed, action.competition_id, len(action.notes)
        )


def restore_state(wb: Workbook, action_id: int, state: ActionState) -> None:
    """Puts an action back as ``state`` found it: its stage, due and closed dates, and
    only the notes it had then (those written since are removed). One transaction."""
    with wb.session() as session:
        action = _action(session, action_id)
        action.stage = state.stage
        action.due = state.due
        action.closed = state.closed
        action.competition_id = state.competition_id
        for note in list(action.notes[state.notes :]):
            action.notes.remove(note)


def withdraw_action(wb: Workbook, action_id: int) -> None:
    """Removes an action opened by mistake, with its notes (the window's Undo of New
    Action or Accept); refused while a money decision names it."""
    from dom_desk.models import ResourceDecision

    with wb.session() as session:
        action = _action(session, action_id)
        behind = session.scalar(
            select(ResourceDecision.id).where(ResourceDecision.action_id == action_id).limit(1)
        )
        if behind is not None:
            raise ValidationError(
                "A decision to move money names this action, so it stays: close it instead"
            )
        session.delete(action)


def undismiss_suggestion(wb: Workbook, suggestion: Suggestion) -> None:
    """Forgets a dismissal (the window's Undo of Dismiss): suggested again."""
    with wb.session() as session:
        period_id = _period_id(session, suggestion.period_code)
        found = session.scalar(
            select(SuggestionDismissal).where(
                SuggestionDismissal.provider_id == suggestion.provider_id,
                SuggestionDismissal.measure_id == suggestion.measure_id,
                SuggestionDismissal.period_id == period_id,
            )
        )
        if found is not None:
            session.delete(found)


# -- suggestions ----------------------------------------------------------------------------


def suggestions(wb: Workbook) -> list[Suggestion]:
    """Targets missed in the latest period whose returns are due and the one before, at each
    measure's own cadence (monthly measures by month, quarterly by quarter), leaving out
    provider and measure pairs with an action open and suggestions already dismissed."""
    with wb.session() as session:
        return _suggestions_in(session)


def _suggestions_in(session: Session) -> list[Suggestion]:
    on = today(session)
    open_pairs = {
        (a.provider_id, a.measure_id)
        for a in session.scalars(
            select(PerformanceAction).where(PerformanceAction.stage != ActionStage.CLOSED)
        )
    }
    dismissed = {
        (d.provider_id, d.measure_id, d.period_id)
        for d in session.scalars(select(SuggestionDismissal))
    }
    found: list[Suggestion] = []
    for kind in (PeriodKind.MONTH, PeriodKind.QUARTER):
        pair = _last_two(session, kind, on)
        if pair is None:
            continue
        latest, previous = pair
        now = build(session, _window(latest, on))
        before = build(session, _window(previous, on))
        for r, provider in enumerate(now.providers):
            for c, measure in enumerate(now.measures):
                if now.cadences.get(measure.id, PeriodKind.MONTH) is not kind:
                    continue
                cell = now.cells[r][c]
                if cell is None or cell.status is not Status.MISSED:
                    continue
                earlier = before.cell(provider.id, measure.id)
                if earlier is None or earlier.status is not Status.MISSED:
                    continue
                if (provider.id, measure.id) in open_pairs:
                    continue
                if (provider.id, measure.id, latest.id) in dismissed:
                    continue
                found.append(
                    Suggestion(
                        provider.id,
                        provider.name,
                        measure.id,
                        measure.code,
                        latest.code,
                        previous.code,
                        measure.short_name,
                    )
                )
    return sorted(found, key=lambda s: (s.provider, s.measure))


def accept_suggestion(
    wb: Workbook,
    suggestion: Suggestion,
    owner: str = "",
    due: date | None = None,
    action_id: int | None = None,
) -> int:
    """Opens a 'Concern raised' action for the suggestion (under ``action_id`` when
    given: the window's Redo)."""
    with wb.session() as session:
        return _open_in(
            session,
            suggestion.provider_id,
            suggestion.text[:200],
            suggestion.measure_id,
            suggestion.period_code,
            _line(owner, "Owner", 120),
            due,
            "Suggested: missed two periods running.",
            ActionStage.CONCERN,
            action_id,
        )


def dismiss_suggestion(wb: Workbook, suggestion: Suggestion, reason: str = "") -> None:
    """Records that the DOM chose not to act; the same periods are not suggested again."""
    with wb.session() as session:
        period_id = _period_id(session, suggestion.period_code)
        taken = session.scalar(
            select(SuggestionDismissal).where(
                SuggestionDismissal.provider_id == suggestion.provider_id,
                SuggestionDismissal.measure_id == suggestion.measure_id,
                SuggestionDismissal.period_id == period_id,
            )
        )
        if taken is not None:
            return
        session.add(
            SuggestionDismissal(
                provider_id=suggestion.provider_id,
                measure_id=suggestion.measure_id,
                period_id=period_id,
                reason=reason.strip(),
                recorded_at=audit.now(),
                recorded_by=audit.current_user(),
            )
        )


def _last_two(session: Session, kind: PeriodKind, on: date) -> tuple[Period, Period] | None:
    ended = session.scalars(
        select(Period)
        .where(Period.kind == kind, Period.due <= on)
        .order_by(Period.end.desc())
        .limit(2)
    ).all()
    return (ended[0], ended[1]) if len(ended) == 2 else None


def _window(period: Period, on: date) -> Window:
    year = period.year
    return Window(
        year.id, year.label, period.start, period.end, period_label(period.code), period.code, on
    )


# -- what a new action may name (the window) ------------------------------------------------


@dataclass(frozen=True)
class ActionChoices:
    """What the window's New Action dialog offers: providers by name, the measures of the
    year's measure set (retired ones are not offered) and the year's months and quarters."""

    #: (id, name)
    providers: tuple[tuple[int, str], ...]
    #: (id, "KPI 6 Drug misuse")
    measures: tuple[tuple[int, str], ...]
    #: (code, "Oct 2009"), months then quarters
    periods: tuple[tuple[str, str], ...]


def choices(wb: Workbook, year_label: str | None = None) -> ActionChoices:
    from dom_desk.domain.applicability import code_order, in_year_clause

    with wb.session() as session:
        year = year_by_label(session, year_label) if year_label else current_year(session)
        providers = sorted(
            ((p.id, p.name) for p in session.scalars(select(Provider))),
            key=lambda p: p[1].casefold(),
        )
        measures = sorted(
            session.scalars(select(Measure).where(in_year_clause(year))),
            key=lambda m: code_order(m.code),
        )
        periods = sorted(
            session.scalars(
                select(Period).where(
                    Period.year_id == year.id,
                    Period.kind.in_([PeriodKind.MONTH, PeriodKind.QUARTER]),
                )
            ),
            key=lambda p: (p.kind is not PeriodKind.MONTH, p.start),
        )
        return ActionChoices(
            tuple(providers),
            tuple((m.id, _measure_words(m)) for m in measures),
            tuple((p.code, period_label(p.code)) for p in periods),
        )


def _measure_words(measure: Measure) -> str:
    name = short_name(measure.code, measure.title)
    return measure.code if name == measure.code else f"{measure.code} {name}"


# -- finding by name (the command line) ----------------------------------------------------


def find_provider(wb: Workbook, words: str) -> int:
    with wb.session() as session:
        providers = session.scalars(select(Provider)).all()
        return one_named(providers, words, lambda p: p.name, "provider").id


def find_measure(wb: Workbook, code: str) -> int:
    from dom_desk.domain.measures.store import find_measure as measure_by_code

    with wb.session() as session:
        return measure_by_code(session, code).id


# -- helpers --------------------------------------------------------------------------------


def _note(session: Session, action: PerformanceAction, on: date, text: str) -> None:
    action.notes.append(
        ActionNote(written=on, text=text, recorded_at=audit.now(), recorded_by=audit.current_user())
    )


def _action(session: Session, action_id: int) -> PerformanceAction:
    found = session.get(PerformanceAction, action_id)
    if found is None:
        raise ValidationError("That action no longer exists")
    return found


def _period_id(session: Session, code: str) -> int:
    found = session.scalar(select(Period.id).where(Period.code == code))
    if found is None:
        raise ValidationError(f"The workbook has no period {period_label(code)}", "Period")
    return found


def _line(text: str, field: str, limit: int, required: bool = False) -> str:
    text = " ".join(text.split())
    if required and not text:
        raise ValidationError(f"The {field.lower()} needs some words", field)
    if len(text) > limit:
        raise ValidationError(f"{field}: at most {limit} characters (this has {len(text)})", field)
    return text
