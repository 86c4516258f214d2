"""The timeline (Gantt) as plain data: one model, drawn by the window and by the PDF plan.

``timeline(wb, start, end)`` returns a :class:`Timeline` (``timeline_in(session, ...)``
is the same inside a transaction already open, for the plan):

- ``rows``: one :class:`TimelineRow` per competition, contract and milestone, grouped
  (``group``: "Competitions", "Contracts", "Milestones") and ordered by first date. A row
  names the record it draws (``area``, ``record_id``) so a click can open it.
- ``bars``: spans of time. A competition's stages are consecutive bars (each stage runs
  from its date to the next stage's); a contract's term is one bar from start to its
  current end. ``kind`` says what a bar is (``"stage"``, ``"term"``, ``"extension"``).
- ``points``: single dates: milestones, expiries, notice deadlines, options and breaks,
  a competition's service start.
- ``today``: where the today line goes; ``start`` / ``end``: the window drawn.

Fuzzy dates ("Summer 2009") draw at their best-estimate date with ``fuzzy=True``, and a
row whose date is unknown ("Tbc") carries it in ``note``. Dates are ``date``; a renderer
maps them to x with :meth:`Timeline.fraction` and labels the axis with
:meth:`Timeline.ticks` (by quarter or year, financial years April to March).
:data:`KIND_COLOURS` gives both renderers the same colours; every bar and point also
carries a text label, so nothing relies on colour alone.

No Qt here, and nothing but the standard library and the ORM.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from dom_desk.domain import contracts
from dom_desk.domain.fuzzy_dates import is_fuzzy
from dom_desk.domain.periods import add_months, year_label
from dom_desk.domain.region import today as working_today
from dom_desk.models import (
    Agreement,
    AgreementKind,
    Competition,
    ContractOption,
    Milestone,
    OptionKind,
    Stage,
)
from dom_desk.storage.workbook import Workbook

#: Stage order as the enumeration lists it: call for competition first, service start last.
STAGE_ORDER: tuple[Stage, ...] = tuple(Stage)
#: Short labels that fit inside a bar.
STAGE_SHORT: dict[Stage, str] = {
    Stage.CALL: "Call",
    Stage.PREQUALIFICATION: "PQQ",
    Stage.ITT: "ITT",
    Stage.BIDS_DUE: "Bids",
    Stage.EVALUATION: "Eval",
    Stage.AWARD: "Award",
    Stage.MOBILISATION: "Mob",
    Stage.SERVICE_START: "Start",
}
#: Fill colours (hex RGB) by bar or point kind; stage bars by stage name. Chosen to stay
#: apart for colour-blind readers and to carry dark text.
KIND_COLOURS: dict[str, str] = {
    "term": "#9ecae1",
    "extension": "#deebf7",
    Stage.CALL.name: "#fdae6b",
    Stage.PREQUALIFICATION.name: "#fdd0a2",
    Stage.ITT.name: "#c7e9c0",
    Stage.BIDS_DUE.name: "#a1d99b",
    Stage.EVALUATION.name: "#dadaeb",
    Stage.AWARD.name: "#bcbddc",
    Stage.MOBILISATION.name: "#fcbba1",
    Stage.SERVICE_START.name: "#74c476",
    "milestone": "#6a51a3",
    "expiry": "#cb181d",
    "notice": "#e6550d",
    "option": "#3182bd",
    "break": "#e7298a",
}
GROUPS = ("Competitions", "Contracts", "Milestones")


class Zoom(enum.Enum):
    """The axis unit: a column per financial quarter, or per financial year."""

    QUARTER = "Quarter"
    YEAR = "Year"


@dataclass(frozen=True)
class Bar:
    start: date
    end: date
    label: str
    kind: str
    fuzzy: bool = False
    done: bool = False
    #: A label short enough to print inside the bar ("ITT").
    short: str = ""
    #: The colour key in KIND_COLOURS (a stage name for stage bars).
    colour: str = ""


@dataclass(frozen=True)
class Point:
    when: date
    label: str
    kind: str = "milestone"
    fuzzy: bool = False
    done: bool = False
    #: The colour key in KIND_COLOURS when not the kind's own (a stage's name).
    colour: str = ""
    #: A label short enough to print beside the point ("Call").
    short: str = ""


@dataclass(frozen=True)
class TimelineRow:
    label: str
    area: str
    record_id: int
    group: str
    bars: tuple[Bar, ...] = ()
    points: tuple[Point, ...] = ()
    #: Text for what cannot be drawn ("Call for competition: Tbc").
    note: str = ""

    @property
    def first(self) -> date | None:
        dates = [b.start for b in self.bars] + [p.when for p in self.points]
        return min(dates) if dates else None

    def overlaps(self, start: date, end: date) -> bool:
        return any(b.start <= end and b.end >= start for b in self.bars) or any(
            start <= p.when <= end for p in self.points
        )


@dataclass(frozen=True)
class Tick:
    when: date
    label: str
    #: True at the start of a financial year (a heavier grid line).
    major: bool


@dataclass(frozen=True)
class Timeline:
    start: date
    end: date
    today: date
    rows: tuple[TimelineRow, ...] = field(default_factory=tuple)

    @property
    def days(self) -> int:
        return max(1, (self.end - self.start).days)

    def fraction(self, day: date) -> float:
        """Where ``day`` falls across the window, 0.0 at ``start`` to 1.0 at ``end``
        (outside the window it is below 0 or above 1: clip when drawing)."""
        return (day - self.start).days / self.days

    def ticks(self, zoom: Zoom) -> list[Tick]:
        """Axis ticks at each financial quarter (``Q1``..) or year (``2009-10``) start."""
        step = 3 if zoom is Zoom.QUARTER else 12
        first = _fy_start(self.start)
        found: list[Tick] = []
        cursor = first
        while cursor <= self.end:
            major = cursor.month == 4
            fy = year_label(cursor.year if cursor.month >= 4 else cursor.year - 1)
            if zoom is Zoom.YEAR:
                label = fy
            else:
                quarter = ((cursor.month - 4) % 12) // 3 + 1
                label = f"Q{quarter} {fy}" if major or not found else f"Q{quarter}"
            if cursor >= self.start:
                found.append(Tick(cursor, label, major))
            cursor = add_months(cursor, step)
        return found

    def groups(self) -> list[tuple[str, list[TimelineRow]]]:
        """Rows by group, in GROUPS order, skipping empty groups."""
        return [
            (g, [r for r in self.rows if r.group == g])
            for g in GROUPS
            if any(r.group == g for r in self.rows)
        ]


def _fy_start(day: date) -> date:
    return date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def default_window(today: date) -> tuple[date, date]:
    """From the start of last financial year to the end of the one four years on."""
    start = add_months(_fy_start(today), -12)
    return start, date(start.year + 5, 3, 31)


def competition_row(competition: Competition) -> TimelineRow:
    """A competition as consecutive stage bars, its expiry and service start as points."""
    stages = sorted(competition.stages, key=lambda s: STAGE_ORDER.index(s.stage))
    dated = [(s, s.actual or s.planned) for s in stages]
    dated = [(s, d) for s, d in dated if d is not None]
    bars: list[Bar] = []
    points: list[Point] = []
    for index, (stage, when) in enumerate(dated):
        fuzzy = stage.actual is None and is_fuzzy(stage.planned_text)
        label = stage.stage.label + (
            f" ({stage.planned_text})" if stage.planned_text and stage.actual is None else ""
        )
        following = dated[index + 1][1] if index + 1 < len(dated) else None
        if stage.stage is Stage.SERVICE_START or following is None or following <= when:
            points.append(
                Point(
                    when,
                    label,
                    "stage",
                    fuzzy,
                    stage.actual is not None,
                    stage.stage.name,
                    STAGE_SHORT[stage.stage],
                )
            )
            continue
        bars.append(
            Bar(
                when,
                following,
                label,
                "stage",
                fuzzy,
                stage.actual is not None,
                STAGE_SHORT[stage.stage],
                stage.stage.name,
            )
        )
    if competition.expiry is not None:
        points.append(
            Point(
                competition.expiry,
                f"Current agreement expires ({competition.expiry_text})"
                if competition.expiry_text
                else "Current agreement expires",
                "expiry",
                is_fuzzy(competition.expiry_text),
            )
        )
    undated = [s for s in stages if s.actual is None and s.planned is None]
    wording = {s.planned_text or "no date" for s in undated}
    if undated and len(wording) == 1:
        note = f"{'Timetable' if len(undated) == len(stages) else 'Later stages'}: {wording.pop()}"
    else:
        note = "; ".join(f"{s.stage.label}: {s.planned_text or 'no date'}" for s in undated)
    return TimelineRow(
        competition.subject,
        "competitions",
        competition.id,
        "Competitions",
        tuple(bars),
        tuple(points),
        note,
    )


def contract_row(agreement: Agreement, options: Iterable[ContractOption] = ()) -> TimelineRow:
    """A contract's term (start to current end), notice deadline, options and breaks."""
    end = contracts.current_end(agreement)
    bars: list[Bar] = []
    points: list[Point] = []
    if agreement.start and end:
        bars.append(
            Bar(
                agreement.start, end, f"Term to {end:%d/%m/%Y}", "term", short="Term", colour="term"
            )
        )
    notice = contracts.notice_date(agreement)
    if notice:
        points.append(Point(notice, "Last day for notice", "notice"))
    for option in options:
        if option.kind is OptionKind.EXTENSION and option.months:
            bars.append(
                Bar(
                    option.falls_on,
                    add_months(option.falls_on, option.months),
                    f"Extension option, {option.months} months",
                    "extension",
                    done=option.decided is not None,
                    short="Option",
                    colour="extension",
                )
            )
        points.append(
            Point(
                option.decide_by or option.falls_on,
                f"{option.kind.label}: decide by" if option.decide_by else option.kind.label,
                "option" if option.kind is OptionKind.EXTENSION else "break",
                done=option.decided is not None,
            )
        )
    label = agreement.provider.name if agreement.provider else agreement.title
    if agreement.reference:
        label = f"{label} ({agreement.reference})"
    return TimelineRow(label, "contracts", agreement.id, "Contracts", tuple(bars), tuple(points))


def milestone_row(milestone: Milestone) -> TimelineRow:
    title = milestone.title if len(milestone.title) <= 60 else milestone.title[:57] + "..."
    label = f"{milestone.reference} {title}".strip()
    points: tuple[Point, ...] = ()
    when = milestone.done or milestone.due
    if when is not None:
        points = (
            Point(
                when,
                milestone.due_text or title,
                "milestone",
                milestone.done is None and is_fuzzy(milestone.due_text),
                milestone.done is not None,
            ),
        )
    note = "" if when else (milestone.due_text or "no date")
    return TimelineRow(label, "milestones", milestone.id, "Milestones", (), points, note)


def _rows(session: Session) -> list[TimelineRow]:
    rows = [
        competition_row(c)
        for c in session.scalars(select(Competition).options(selectinload(Competition.stages)))
    ]
    options: dict[int, list[ContractOption]] = {}
    for option in session.scalars(select(ContractOption).order_by(ContractOption.falls_on)):
        options.setdefault(option.agreement_id, []).append(option)
    rows += [
        contract_row(a, options.get(a.id, ()))
        for a in session.scalars(
            select(Agreement)
            .where(Agreement.kind == AgreementKind.CONTRACT)
            .options(selectinload(Agreement.variations), selectinload(Agreement.provider))
        )
    ]
    rows += [milestone_row(m) for m in session.scalars(select(Milestone))]
    return rows


def timeline(
    wb: Workbook,
    start: date | None = None,
    end: date | None = None,
    groups: Iterable[str] = GROUPS,
) -> Timeline:
    """The timeline between ``start`` and ``end``, read in one transaction of ``wb``."""
    with wb.session() as session:
        return timeline_in(session, start, end, groups)


def timeline_in(
    session: Session,
    start: date | None = None,
    end: date | None = None,
    groups: Iterable[str] = GROUPS,
) -> Timeline:
    """The timeline between ``start`` and ``end`` (default: last year to four years on).

    Rows with nothing in the window are left out, except competitions whose dates are
    all unknown ("Tbc"), which stay so the plan still shows them.
    """
    now = working_today(session)
    default_start, default_end = default_window(now)
    start, end = start or default_start, end or default_end
    wanted = set(groups)
    rows = [
        r
        for r in _rows(session)
        if r.group in wanted
        and (r.overlaps(start, end) or (r.note and r.first is None and r.group == "Competitions"))
    ]
    rows.sort(key=lambda r: (GROUPS.index(r.group), r.first or date.max, r.label))
    return Timeline(start, end, now, tuple(rows))
