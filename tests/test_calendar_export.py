"""Key dates out to a calendar (.ics) and a spreadsheet: the same dates come back."""

from __future__ import annotations

from datetime import date

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from dom_desk.domain import competitions, keydates
from dom_desk.errors import ValidationError
from dom_desk.exports import calendar_export
from dom_desk.models import CompetitionKind, Level, Milestone, Risk


def _fill(session) -> None:
    competitions.create_competition(
        session, "Buckley Hall", CompetitionKind.RECOMPETE, expiry="June 2010"
    )
    competitions.create_competition(
        session, "Cluster 1", CompetitionKind.NEW_BUILD, call="Summer 2009"
    )
    session.add(Milestone(title="Publish the plan", due=date(2010, 2, 28)))
    session.add(
        Risk(
            reference="7",
            description="Slippage",
            likelihood=Level.M,
            impact=Level.H,
            review=date(2009, 12, 1),
        )
    )


def _events(path):
    calendar = Calendar.from_ical(path.read_bytes())
    return [e for e in calendar.walk("VEVENT")]


def test_the_ics_file_holds_the_same_dates_as_all_day_events(workbook, tmp_path) -> None:
    with workbook.session() as session:
        _fill(session)
        expected = sorted(
            (k.when, calendar_export._summary(k)) for k in keydates.key_dates(session)
        )
    calendar_export.export_key_dates(workbook, tmp_path / "dates.ics")
    events = _events(tmp_path / "dates.ics")
    found = sorted((e.decoded("dtstart"), str(e.get("summary"))) for e in events)
    assert found == expected
    for event in events:
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert type(start) is date and (end - start).days == 1  # all day
    fuzzy = [str(e.get("summary")) for e in events if "Summer 2009" in str(e.get("summary"))]
    assert fuzzy == ["Cluster 1: Call for competition (Summer 2009, best estimate)"]
    assert not list(tmp_path.glob(".*partial"))


def test_uids_are_stable_when_a_date_moves_and_done_dates_leave(workbook, tmp_path) -> None:
    with workbook.session() as session:
        _fill(session)
    calendar_export.export_ics(workbook, tmp_path / "before.ics")
    with workbook.session() as session:
        milestone = session.query(Milestone).one()
        milestone.due = date(2010, 3, 31)
        risk_key = next(k for k in keydates.key_dates(session) if k.kind == "review")
        keydates.mark_done(session, risk_key.key, date(2009, 12, 1))
    calendar_export.export_ics(workbook, tmp_path / "after.ics")
    before = {str(e.get("uid")): e for e in _events(tmp_path / "before.ics")}
    after = {str(e.get("uid")): e for e in _events(tmp_path / "after.ics")}
    assert len(before) == len(_events(tmp_path / "before.ics"))  # unique
    assert set(after) == set(before) - {calendar_export.uid(risk_key, _uuid(workbook))}
    moved = next(u for u in after if u.startswith("milestones-"))
    assert before[moved].decoded("dtstart") == date(2010, 2, 28)
    assert after[moved].decoded("dtstart") == date(2010, 3, 31)


def _uuid(workbook) -> str:
    from dom_desk.domain.region import region

    with workbook.session() as session:
        return region(session).workbook_uuid


def test_the_xlsx_has_the_timetable_and_the_key_dates(workbook, tmp_path) -> None:
    with workbook.session() as session:
        _fill(session)
        count = len(keydates.key_dates(session))
    calendar_export.export_key_dates(workbook, tmp_path / "dates.xlsx")
    book = load_workbook(tmp_path / "dates.xlsx")
    timetable = list(book["Competitions timetable"].iter_rows(values_only=True))
    assert timetable[0][:4] == (
        "Subject",
        "Type of competition",
        "Current contract/SLA expires",
        "Call for competition",
    )
    assert timetable[1][:4] == ("Buckley Hall", "Re-compete manage only", "June 2010", "June 2009")
    assert timetable[2][2:4] == ("n/a", "Summer 2009")
    dates = list(book["Key dates"].iter_rows(values_only=True))
    assert len(dates) == count + 1
    assert dates[1][0].date() == date(2009, 6, 30) and dates[1][1] == "June 2009"
    assert book["Key dates"]["A2"].number_format == "dd/mm/yyyy"


def test_other_file_types_are_refused(workbook, tmp_path) -> None:
    with pytest.raises(ValidationError, match=r"\.xlsx or \.ics"):
        calendar_export.export_key_dates(workbook, tmp_path / "dates.pdf")


def test_the_demos_key_dates_reach_a_calendar_unchanged(demo, tmp_path) -> None:
    with demo.session() as session:
        expected = sorted(
            (k.when, calendar_export._summary(k)) for k in keydates.key_dates(session) if not k.done
        )
    calendar_export.export_ics(demo, tmp_path / "demo.ics")
    found = sorted(
        (e.decoded("dtstart"), str(e.get("summary"))) for e in _events(tmp_path / "demo.ics")
    )
    assert found == expected and len(found) > 20


def test_exact_stage_dates_in_the_timetable_are_real_dates(demo, tmp_path) -> None:
    calendar_export.export_key_dates(demo, tmp_path / "dates.xlsx")
    sheet = load_workbook(tmp_path / "dates.xlsx")["Competitions timetable"]
    headers = [c.value for c in sheet[1]]
    buckley = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "HMP Buckley Hall")
    call, itt = (
        buckley[headers.index("Call for competition")],
        buckley[headers.index("Invitation to tender")],
    )
    assert call.value == "June 2009"  # wording kept as the plan prints it
    assert itt.value.date() == date(2009, 10, 30) and itt.number_format == "dd/mm/yyyy"
