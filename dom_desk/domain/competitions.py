"""Competitions and their timetables: a default worked back from expiry, every date
editable, fuzzy wording ("Summer 2009", "Tbc") kept beside a best-estimate date.

The default follows the 2009-10 plan, where the call for competition always comes 12
months before the current SLA or contract expires; the later stages are spaced so that
the new provider has three months to mobilise before the service starts the day after
expiry. It is the one default: a competition entered in the window
(:func:`create_competition`) and the demo's re-competitions both take it.

In-transaction layer: every function here takes the ``Session`` of a transaction the
caller has open (a Workbook-taking function, or a window undo step run by
``tables.run_action``). The window and the command line read through
:mod:`dom_desk.domain.planning_views`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from dom_desk.domain.fuzzy_dates import FuzzyDate, Precision, fuzzy_from, month_text, parse_fuzzy
from dom_desk.domain.periods import add_months, format_date, parse_date
from dom_desk.errors import ValidationError
from dom_desk.models import (
    Competition,
    CompetitionKind,
    CompetitionStage,
    Stage,
)

#: Months before expiry each stage is planned (service start is the day after expiry).
STAGE_OFFSETS: dict[Stage, int] = {
    Stage.CALL: -12,
    Stage.PREQUALIFICATION: -10,
    Stage.ITT: -8,
    Stage.BIDS_DUE: -6,
    Stage.EVALUATION: -5,
    Stage.AWARD: -4,
    Stage.MOBILISATION: -3,
}
STAGES: tuple[Stage, ...] = tuple(Stage)
UNKNOWN = "Tbc"


def default_timetable(expiry: date) -> dict[Stage, date]:
    """Every stage's date worked back from the expiry of the current agreement."""
    planned = {stage: add_months(expiry, months) for stage, months in STAGE_OFFSETS.items()}
    planned[Stage.SERVICE_START] = expiry + timedelta(days=1)
    return planned


def _stage_text(day: date, source: FuzzyDate) -> str:
    """Wording for a worked-out date, as exact as the date it was worked from."""
    if source.precision is Precision.DAY:
        return ""
    if source.precision is Precision.MONTH:
        return month_text(day)
    return f"c. {month_text(day)}"


def read_when(text: str, where: str = "") -> tuple[date | None, str]:
    """A typed date: exact (``31/03/2010``) gives (date, ""); anything else keeps its
    wording beside the best estimate ("Summer 2009" -> 31/08/2009); empty gives None."""
    raw = " ".join(text.split())
    if not raw:
        return None, ""
    try:
        exact = parse_date(raw, where)
    except ValidationError:
        exact = None
    if exact is not None:
        return exact, ""
    fuzzy = parse_fuzzy(raw)
    if fuzzy.best is None and not _no_date_words(raw):
        raise ValidationError(
            f"'{raw}' is not a date (write 31/03/2010, June 2010, Summer 2009 or Tbc)", where
        )
    return fuzzy.best, raw


def _no_date_words(text: str) -> bool:
    words = text.casefold().replace(".", "").split()
    return bool(words) and words[0] in {
        "tbc",
        "tba",
        "tbd",
        "n/a",
        "na",
        "ongoing",
        "unknown",
        "none",
    }


def stage_display(stage: CompetitionStage) -> str:
    """What the timetable prints for the plan: the wording, else the date, else "Tbc"
    (when the stage really happened is ``actual``, shown beside it)."""
    return stage.planned_text or format_date(stage.planned) or UNKNOWN


def stage_fuzzy(stage: CompetitionStage) -> bool:
    return stage.actual is None and (
        stage.planned is None or fuzzy_from(stage.planned, stage.planned_text).fuzzy
    )


def create_competition(
    session: Session,
    subject: str,
    kind: CompetitionKind,
    expiry: str = "",
    call: str = "",
    provider_id: int | None = None,
    agreement_id: int | None = None,
    notes: str = "",
) -> Competition:
    """A competition with every stage. Given an expiry, the stages are worked back from
    it; given only a call for competition ("Summer 2009"), forward from that; given
    neither, every stage is "Tbc". A call given with an expiry overrides the default."""
    if not subject.strip():
        raise ValidationError(
            "The competition needs a subject (a prison, a service or a cluster)", "Subject"
        )
    expiry_day, expiry_text = read_when(expiry, "Expiry")
    call_day, call_text = read_when(call, "Call for competition")
    competition = Competition(
        subject=subject.strip(),
        kind=kind,
        provider_id=provider_id,
        agreement_id=agreement_id,
        expiry=expiry_day,
        expiry_text=expiry_text,
        notes=notes,
    )
    session.add(competition)
    plan: dict[Stage, tuple[date | None, str]] = dict.fromkeys(STAGES, (None, UNKNOWN))
    if expiry_day is not None:
        source = fuzzy_from(expiry_day, expiry_text)
        plan = {s: (d, _stage_text(d, source)) for s, d in default_timetable(expiry_day).items()}
    elif call_day is not None:
        source = fuzzy_from(call_day, call_text)
        worked = default_timetable(add_months(call_day, -STAGE_OFFSETS[Stage.CALL]))
        plan = {s: (d, _stage_text(d, source)) for s, d in worked.items()}
    if call:
        plan[Stage.CALL] = (call_day, call_text)
    for stage in STAGES:
        planned, text = plan[stage]
        competition.stages.append(CompetitionStage(stage=stage, planned=planned, planned_text=text))
    session.flush()
    return competition


def get_competition(session: Session, competition_id: int) -> Competition:
    found = session.get(Competition, competition_id)
    if found is None:
        raise ValidationError("That competition no longer exists")
    return found


def _stage(session: Session, stage_id: int) -> CompetitionStage:
    found = session.get(CompetitionStage, stage_id)
    if found is None:
        raise ValidationError("That competition stage no longer exists")
    return found


def set_stage_planned(session: Session, stage_id: int, text: str) -> str:
    """Sets a stage's planned date from what was typed; returns the text it replaced
    (for undo). Empty text means unknown ("Tbc")."""
    stage = _stage(session, stage_id)
    where = f"{stage.competition.subject}, {stage.stage.label}"
    old = stage.planned_text or format_date(stage.planned)
    planned, wording = read_when(text, where)
    stage.planned, stage.planned_text = planned, (wording if planned or wording else UNKNOWN)
    return old


def set_stage_actual(session: Session, stage_id: int, actual: date | None) -> date | None:
    """Records when a stage really happened (its key date is then done); returns the old."""
    stage = _stage(session, stage_id)
    old = stage.actual
    stage.actual = actual
    return old


def set_expiry(session: Session, competition_id: int, text: str) -> str:
    """Changes the expiry of the current agreement; returns the old wording or date."""
    competition = get_competition(session, competition_id)
    old = competition.expiry_text or format_date(competition.expiry)
    competition.expiry, competition.expiry_text = read_when(text, "Expiry")
    return old


def stage_plan(session: Session, competition_id: int) -> dict[int, tuple[date | None, str]]:
    """Every stage's plan as it is (stage id -> (date, wording)): what
    :func:`restore_plan` puts back to undo a :func:`replan`."""
    return {
        s.id: (s.planned, s.planned_text) for s in get_competition(session, competition_id).stages
    }


def replan(session: Session, competition_id: int) -> int:
    """Works the stages not yet done back from the expiry again; returns how many moved."""
    competition = get_competition(session, competition_id)
    if competition.expiry is None:
        raise ValidationError(f"'{competition.subject}' has no expiry date to plan from", "Expiry")
    source = fuzzy_from(competition.expiry, competition.expiry_text)
    planned = default_timetable(competition.expiry)
    moved = 0
    for stage in competition.stages:
        if stage.actual is None and stage.planned != planned[stage.stage]:
            stage.planned = planned[stage.stage]
            stage.planned_text = _stage_text(stage.planned, source)
            moved += 1
    return moved


def delete_competition(session: Session, competition_id: int) -> None:
    """Removes a competition and its stages (the audit trail keeps that it existed)."""
    session.delete(get_competition(session, competition_id))


def restore_plan(
    session: Session, competition_id: int, plan: dict[int, tuple[date | None, str]]
) -> None:
    """Puts planned dates back as they were (stage id -> (date, wording)): undo of replan."""
    for stage in get_competition(session, competition_id).stages:
        if stage.id in plan:
            stage.planned, stage.planned_text = plan[stage.id]


def order_problems(competition: Competition) -> list[str]:
    """Stages dated before the stage they follow: worth a warning, not a refusal."""
    problems: list[str] = []
    previous: CompetitionStage | None = None
    for stage in sorted(competition.stages, key=lambda s: STAGES.index(s.stage)):
        when = stage.actual or stage.planned
        if when is None:
            continue
        if previous is not None and when < (previous.actual or previous.planned):  # type: ignore[operator]
            problems.append(
                f"{stage.stage.label} ({stage_display(stage)}) comes before "
                f"{previous.stage.label} ({stage_display(previous)})"
            )
        previous = stage
    return problems


@dataclass(frozen=True)
class TimetableRow:
    """One competition as the plan's timetable prints it."""

    competition_id: int
    subject: str
    kind: str
    expiry: str
    expiry_date: date | None
    #: Per stage, in order: (stage, wording or date, best date, fuzzy, done).
    stages: tuple[tuple[Stage, str, date | None, bool, bool], ...]

    def stage(self, which: Stage) -> tuple[Stage, str, date | None, bool, bool]:
        return next(s for s in self.stages if s[0] is which)


def type_text(competition: Competition) -> str:
    """ "Re-compete manage only SLA", as the 2009-10 plan writes the type (seed 000, para
    65). Only a re-competition is named for the agreement it replaces: a Best Value review
    tests a Trust's service against its specification (para 64) and a new build has none,
    so neither is labelled an SLA or a contract, even when linked to the one it reviews."""
    if competition.kind is CompetitionKind.RECOMPETE and competition.agreement is not None:
        kind = competition.agreement.kind.label
        return f"{competition.kind.label} {kind if kind == 'SLA' else kind.lower()}"
    return competition.kind.label


def timetable(session: Session) -> list[TimetableRow]:
    """Every competition, in the plan's order: by expiry, then those with none."""
    rows: list[TimetableRow] = []
    query = select(Competition).options(
        selectinload(Competition.stages), selectinload(Competition.agreement)
    )
    for c in session.scalars(query):
        by_stage = {s.stage: s for s in c.stages}
        stages = tuple(
            (stage, stage_display(s), s.actual or s.planned, stage_fuzzy(s), s.actual is not None)
            if (s := by_stage.get(stage)) is not None
            else (stage, UNKNOWN, None, True, False)
            for stage in STAGES
        )
        rows.append(
            TimetableRow(
                c.id,
                c.subject,
                type_text(c),
                c.expiry_text or format_date(c.expiry) or "n/a",
                c.expiry,
                stages,
            )
        )
    call = {r.competition_id: r.stage(Stage.CALL)[2] for r in rows}
    rows.sort(
        key=lambda r: (
            r.expiry_date is None,
            r.expiry_date or date.max,
            call[r.competition_id] or date.max,
            r.subject,
        )
    )
    return rows
