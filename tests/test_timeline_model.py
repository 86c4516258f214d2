"""The timeline as plain data: rows, bars per stage or term, points, today, axis ticks."""

from __future__ import annotations

from datetime import date

from dom_desk.domain import competitions, timeline
from dom_desk.domain.region import today
from dom_desk.domain.timeline import Zoom
from dom_desk.models import CompetitionKind, Stage


def test_the_demo_timeline_has_every_group_and_todays_date(demo) -> None:
    with demo.session() as session:
        model = timeline.timeline_in(session)
        now = today(session)
    assert model.today == now and model.start <= now <= model.end
    assert [g for g, _rows in model.groups()] == ["Competitions", "Contracts", "Milestones"]
    buckley = next(r for r in model.rows if "Buckley Hall" in r.label)
    starts = [b.start for b in buckley.bars]
    assert starts == sorted(starts) and len(buckley.bars) >= 6
    assert buckley.bars[0].short == "Call" and buckley.bars[0].done
    assert all(b.end == n.start for b, n in zip(buckley.bars, buckley.bars[1:], strict=False))
    assert any(p.kind == "expiry" and p.when == date(2010, 6, 30) for p in buckley.points)
    contract = next(r for r in model.rows if r.group == "Contracts")
    assert [b.kind for b in contract.bars][0] == "term"


def test_fuzzy_stages_are_marked_and_unknown_ones_become_a_note(workbook) -> None:
    with workbook.session() as session:
        competitions.create_competition(
            session, "Cluster 1", CompetitionKind.NEW_BUILD, call="Summer 2009"
        )
        competitions.create_competition(session, "Cluster 2", CompetitionKind.NEW_BUILD, call="Tbc")
        model = timeline.timeline_in(session, date(2009, 4, 1), date(2012, 3, 31))
    one, two = model.rows
    assert all(b.fuzzy for b in one.bars) and one.bars[0].label.endswith("(Summer 2009)")
    assert two.bars == () and two.note == "Timetable: Tbc"


def test_ticks_follow_financial_years_and_quarters(workbook) -> None:
    with workbook.session() as session:
        model = timeline.timeline_in(session, date(2009, 4, 1), date(2011, 3, 31))
    years = model.ticks(Zoom.YEAR)
    assert [(t.when, t.label) for t in years] == [
        (date(2009, 4, 1), "2009-10"),
        (date(2010, 4, 1), "2010-11"),
    ]
    quarters = model.ticks(Zoom.QUARTER)
    assert [t.label for t in quarters[:5]] == ["Q1 2009-10", "Q2", "Q3", "Q4", "Q1 2010-11"]
    assert model.fraction(date(2009, 4, 1)) == 0 and model.fraction(date(2011, 3, 31)) == 1


def test_stages_reached_draw_at_their_actual_dates(workbook) -> None:
    with workbook.session() as session:
        competition = competitions.create_competition(
            session, "Doncaster", CompetitionKind.RECOMPETE, expiry="Aug 2010"
        )
        competitions.set_stage_actual(session, competition.stages[0].id, date(2009, 9, 10))
        row = timeline.competition_row(competition)
    assert row.bars[0].start == date(2009, 9, 10) and row.bars[0].done
    assert row.points[0].kind == "stage" and row.points[0].label.startswith(
        Stage.SERVICE_START.label
    )
