"""The North West items of the 2009-10 competitions timetable (seed 000, para 65), with
their stages, planned dates and the dates not yet known.

Re-competitions print only their expiry and call for competition; their other stages
are the app's one default timetable (``domain.competitions.default_timetable``), the
same a competition entered in the window gets. The new-build clusters and the Best
Value review print no timetable beyond what is written here: the rest is "Tbc".
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from dom_desk.models import CompetitionKind, Stage


class StageRow(NamedTuple):
    stage: Stage
    planned: date | None
    planned_text: str = ""
    actual: date | None = None


class CompetitionRow(NamedTuple):
    subject: str
    kind: CompetitionKind
    #: The provider and its 2009-10 SLA, where the competition is about one.
    provider: str | None
    expiry: date | None
    expiry_text: str
    notes: str
    #: Stages written out; recompetes leave this empty: the default timetable from expiry.
    stages: tuple[StageRow, ...] = ()
    #: Fuzzy wording of the call as printed ("June 2009").
    call_text: str = ""
    #: Dates on which stages were actually reached (recompetes).
    actuals: tuple[tuple[Stage, date], ...] = ()


TBC = "Tbc"


def _all_tbc(*known: StageRow) -> tuple[StageRow, ...]:
    """Every stage in order: those given, and "Tbc" for the rest."""
    given = {row.stage: row for row in known}
    return tuple(given.get(stage, StageRow(stage, None, TBC)) for stage in Stage)


COMPETITIONS_2009: tuple[CompetitionRow, ...] = (
    CompetitionRow(
        "HMP Buckley Hall",
        CompetitionKind.RECOMPETE,
        "HMP Buckley Hall",
        date(2010, 6, 30),
        "June 2010",
        "Re-compete manage only; current SLA (2000 market test) expires June "
        "2010. Open market: public, private and third sectors.",
        call_text="June 2009",
        actuals=((Stage.CALL, date(2009, 6, 30)), (Stage.PREQUALIFICATION, date(2009, 9, 11))),
    ),
    CompetitionRow(
        "HMP Manchester",
        CompetitionKind.RECOMPETE,
        "HMP Manchester",
        date(2011, 10, 31),
        "Oct 2011",
        "Re-compete manage only; current SLA (2001 market test) expires October 2011.",
        call_text="Oct 2010",
    ),
    CompetitionRow(
        "New build Cluster 1",
        CompetitionKind.NEW_BUILD,
        None,
        None,
        "n/a",
        "National competition run by NOMS; the region feeds demand and site information. "
        "Call slipped: NOMS to confirm.",
        _all_tbc(StageRow(Stage.CALL, date(2009, 7, 1), "Summer 2009")),
    ),
    CompetitionRow(
        "New build Cluster 2",
        CompetitionKind.NEW_BUILD,
        None,
        None,
        "n/a",
        "National competition; procurement strategy to follow Cluster 1.",
        _all_tbc(),
    ),
    CompetitionRow(
        "New build Cluster 3",
        CompetitionKind.NEW_BUILD,
        None,
        None,
        "n/a",
        "National competition; timing depends on the capacity programme.",
        _all_tbc(),
    ),
    CompetitionRow(
        "Unpaid work (Community Payback): Best Value review",
        CompetitionKind.BEST_VALUE,
        "Greater Manchester Probation Trust",
        None,
        "n/a",
        "Best Value review against the specification; services below the minimum criteria "
        "go to competition. First reviews completed by March 2010.",
        _all_tbc(
            StageRow(Stage.CALL, date(2009, 7, 1), "July 2009", date(2009, 7, 13)),
            StageRow(Stage.EVALUATION, date(2010, 3, 31), "March 2010"),
        ),
    ),
)
