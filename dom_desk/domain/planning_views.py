"""What the competitions, risks and key-dates screens and the command line read, each
call one transaction of a ``Workbook``, returned as plain frozen dataclasses.

:mod:`competitions`, :mod:`risks` and :mod:`keydates` are the in-transaction layer
these compose (and that the window's undo steps run inside ``tables.run_action``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dom_desk.domain.competitions import (
    STAGES,
    get_competition,
    order_problems,
    stage_display,
    stage_fuzzy,
    type_text,
)
from dom_desk.domain.keydates import Bucket, KeyDate, buckets
from dom_desk.domain.periods import format_date
from dom_desk.domain.region import today
from dom_desk.domain.risks import HeatMap
from dom_desk.domain.risks import heat_map as _heat_map
from dom_desk.storage.workbook import Workbook


@dataclass(frozen=True)
class StageView:
    """One stage of a competition as its timetable pane shows it."""

    id: int
    stage: str
    written: str
    best: date | None
    fuzzy: bool
    actual: date | None


@dataclass(frozen=True)
class CompetitionDetail:
    """A competition's timetable pane: its stages in order and what to warn about."""

    subject: str
    kind: str
    expiry: str
    stages: tuple[StageView, ...]
    problems: tuple[str, ...]
    today: date


def competition_detail(wb: Workbook, competition_id: int) -> CompetitionDetail:
    """The timetable of one competition, read in one transaction."""
    with wb.session() as session:
        competition = get_competition(session, competition_id)
        stages = tuple(
            StageView(s.id, s.stage.label, stage_display(s), s.planned, stage_fuzzy(s), s.actual)
            for s in sorted(competition.stages, key=lambda s: STAGES.index(s.stage))
        )
        return CompetitionDetail(
            competition.subject,
            type_text(competition),
            competition.expiry_text or format_date(competition.expiry) or "n/a",
            stages,
            tuple(order_problems(competition)),
            today(session),
        )


def risk_heat_map(wb: Workbook, include_closed: bool = False) -> HeatMap:
    """The risks heat map (see :func:`risks.heat_map`), read in one transaction."""
    with wb.session() as session:
        return _heat_map(session, include_closed)


def open_buckets(wb: Workbook, days: int = 180) -> tuple[date, dict[Bucket, list[KeyDate]]]:
    """The working date of ``wb`` and its :func:`buckets` as at that date."""
    with wb.session() as session:
        on = today(session)
        return on, buckets(session, on, days)
