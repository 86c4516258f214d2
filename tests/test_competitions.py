"""Competitions: the default timetable, editable dates, fuzzy wording kept."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from dom_desk.domain import competitions
from dom_desk.errors import ValidationError
from dom_desk.models import Competition, CompetitionKind, CompetitionStage, Stage

RECOMPETE = CompetitionKind.RECOMPETE


def test_the_call_comes_12_months_before_expiry_and_stages_follow_in_order(workbook) -> None:
    with workbook.session() as session:
        competition = competitions.create_competition(
            session, "Buckley Hall", RECOMPETE, expiry="June 2010"
        )
        stages = {s.stage: s for s in competition.stages}
        assert competition.expiry == date(2010, 6, 30)
        assert stages[Stage.CALL].planned_text == "June 2009"
        assert stages[Stage.CALL].planned == date(2009, 6, 30)
        assert stages[Stage.SERVICE_START].planned == date(2010, 7, 1)
        planned = [s.planned for s in competition.stages]
        assert [s.stage for s in competition.stages] == list(Stage)
        assert planned == sorted(planned) and len(set(planned)) == len(planned)
        assert competitions.order_problems(competition) == []


def test_an_exact_expiry_gives_exact_dates_across_month_ends(workbook) -> None:
    with workbook.session() as session:
        competition = competitions.create_competition(
            session, "Wolds", RECOMPETE, expiry="31/08/2012"
        )
        stages = {s.stage: s for s in competition.stages}
        assert stages[Stage.CALL].planned == date(2011, 8, 31)
        assert stages[Stage.BIDS_DUE].planned == date(2012, 2, 29)  # leap year clamp
        assert stages[Stage.CALL].planned_text == ""


def test_fuzzy_and_unknown_dates_keep_their_wording(workbook) -> None:
    with workbook.session() as session:
        one = competitions.create_competition(
            session, "Cluster 1", CompetitionKind.NEW_BUILD, call="Summer 2009"
        )
        two = competitions.create_competition(
            session, "Cluster 2", CompetitionKind.NEW_BUILD, call="Tbc"
        )
        call = {s.stage: s for s in one.stages}[Stage.CALL]
        assert (call.planned_text, call.planned) == ("Summer 2009", date(2009, 8, 31))
        assert competitions.stage_fuzzy(call)
        assert all(competitions.stage_fuzzy(s) for s in one.stages)
        assert all(s.planned is None and competitions.stage_display(s) == "Tbc" for s in two.stages)


def test_every_stage_date_can_be_edited_and_refuses_nonsense(workbook) -> None:
    with workbook.session() as session:
        stage_id = (
            competitions.create_competition(session, "Manchester", RECOMPETE, expiry="Oct 2011")
            .stages[2]
            .id
        )
    with workbook.session() as session:
        old = competitions.set_stage_planned(session, stage_id, "15/05/2011")
        assert old == "February 2011"
    with pytest.raises(ValidationError, match="not a date"), workbook.session() as session:
        competitions.set_stage_planned(session, stage_id, "next Tuesday-ish")
    with workbook.session() as session:
        stage = session.get(CompetitionStage, stage_id)
        assert (stage.planned, stage.planned_text) == (date(2011, 5, 15), "")
        competition = stage.competition
        assert competitions.order_problems(competition)  # ITT now after bids due
        competitions.set_stage_planned(session, stage_id, "Autumn 2010")
        assert competitions.stage_display(stage) == "Autumn 2010"
        assert competitions.stage_fuzzy(stage)


def test_replanning_keeps_stages_already_done(workbook) -> None:
    with workbook.session() as session:
        competition = competitions.create_competition(
            session, "Doncaster", RECOMPETE, expiry="Aug 2010"
        )
        call = competition.stages[0]
        competitions.set_stage_actual(session, call.id, date(2009, 8, 20))
        competitions.set_expiry(session, competition.id, "Oct 2010")
        moved = competitions.replan(session, competition.id)
        assert moved == len(Stage) - 1
        assert call.planned == date(2009, 8, 31) and call.actual == date(2009, 8, 20)
        assert competition.stages[-1].planned == date(2010, 11, 1)


def test_the_timetable_lists_by_expiry_then_those_with_none(workbook) -> None:
    with workbook.session() as session:
        for subject, expiry, call in (
            ("Wolds", "Jan 2013", ""),
            ("Cluster 2", "", "Tbc"),
            ("Buckley Hall", "June 2010", ""),
            ("Cluster 1", "", "Summer 2009"),
        ):
            competitions.create_competition(session, subject, RECOMPETE, expiry=expiry, call=call)
        rows = competitions.timetable(session)
        assert [r.subject for r in rows] == ["Buckley Hall", "Wolds", "Cluster 1", "Cluster 2"]
        assert rows[0].stage(Stage.CALL)[1] == "June 2009"
        assert rows[2].expiry == "n/a"
        assert len(session.scalars(select(Competition)).all()) == 4


def test_a_competition_needs_a_subject(workbook) -> None:
    with pytest.raises(ValidationError, match="subject"), workbook.session() as session:
        competitions.create_competition(session, "  ", RECOMPETE, expiry="June 2010")
    with workbook.session() as session:
        assert session.scalars(select(Competition)).all() == []


def test_the_demo_shows_the_2009_10_timetable_as_the_plan_prints_it(demo) -> None:
    with demo.session() as session:
        rows = {r.subject: r for r in competitions.timetable(session)}
    buckley = next(r for s, r in rows.items() if "Buckley Hall" in s)
    manchester = next(r for s, r in rows.items() if "Manchester" in s)
    assert (buckley.expiry, buckley.stage(Stage.CALL)[1]) == ("June 2010", "June 2009")
    assert (manchester.expiry, manchester.stage(Stage.CALL)[1]) == ("Oct 2011", "Oct 2010")
    for row in (buckley, manchester):  # the call comes 12 months before expiry
        call = row.stage(Stage.CALL)[2]
        assert (row.expiry_date.year - call.year) * 12 + row.expiry_date.month - call.month == 12
    cluster = next(r for s, r in rows.items() if "Cluster 1" in s)
    assert cluster.stage(Stage.CALL)[1] == "Summer 2009" and cluster.stage(Stage.CALL)[3]
    assert buckley.stage(Stage.CALL)[4]  # the call went out: done
    order = list(rows)
    assert (
        order.index(buckley.subject)
        < order.index(manchester.subject)
        < order.index(cluster.subject)
    )


def test_the_competitions_list_says_when_the_next_stage_date_is_only_an_estimate(demo) -> None:
    from dom_desk.domain.tables import AREAS, load_rows

    keys = [c.key for c in AREAS["competitions"].table_columns]
    rows = {r.values[keys.index("subject")]: r for r in load_rows(demo, "competitions")}

    def next_stage(subject: str) -> tuple:
        row = rows[subject]
        return row.values[keys.index("next_stage")], row.values[keys.index("next_date")]

    assert next_stage("New build Cluster 1") == (
        "Call for competition (Summer 2009)",
        date(2009, 7, 1),
    )
    # Awarded on 30/10/2009 (the demo's tender): mobilisation is next, on its planned date.
    assert next_stage("HMP Buckley Hall") == ("Mobilisation", date(2010, 3, 30))


def test_the_demo_and_a_competition_entered_in_the_app_share_one_timetable(demo, workbook) -> None:
    with demo.session() as session:
        shown = {
            c.subject: {s.stage: s.planned for s in c.stages}
            for c in session.scalars(select(Competition))
        }
    with workbook.session() as session:
        entered = competitions.create_competition(
            session, "HMP Manchester", RECOMPETE, expiry="31/10/2011"
        )
        typed = {s.stage: s.planned for s in entered.stages}
    assert shown["HMP Manchester"] == typed == competitions.default_timetable(date(2011, 10, 31))
    assert typed[Stage.SERVICE_START] == date(2011, 11, 1)


def test_a_best_value_review_is_not_labelled_an_sla(demo) -> None:
    with demo.session() as session:
        rows = {r.subject: r for r in competitions.timetable(session)}
        review = session.scalars(
            select(Competition).where(Competition.kind == CompetitionKind.BEST_VALUE)
        ).one()
        # Linked to the Trust's SLA whose service it reviews, yet typed as a review.
        assert review.agreement is not None
    assert rows[review.subject].kind == "Best Value review"
    assert rows["HMP Buckley Hall"].kind == "Re-compete manage only SLA"
    assert rows["New build Cluster 1"].kind == "New build cluster"
