"""Performance actions in the key dates and the Overview's attention list (issue 15 item
3): an open action's next step is a key date; due within 14 days or overdue, it needs
attention; a closed action or one with no due date is in neither. And an action on a
measure retired before the action's year is refused with nothing stored."""

from __future__ import annotations

from datetime import date

import pytest

from dom_desk.cli import main
from dom_desk.domain import keydates, measures
from dom_desk.domain import performance_actions as pa
from dom_desk.domain.attention import ACTIONS_DAYS, Severity, Source, attention
from dom_desk.domain.kinds import ActionStage
from dom_desk.errors import ValidationError

#: The demo's working day.
TODAY = date(2009, 11, 2)


def _open(demo, title: str, due: date | None, measure: str = "KPI 11") -> int:
    return pa.open_action(
        demo,
        pa.find_provider(demo, "HMP Manchester"),
        title,
        pa.find_measure(demo, measure),
        "2009-09",
        "DOM",
        due,
    )


def _key_dates(demo) -> dict[int, keydates.KeyDate]:
    with demo.session() as session:
        return {k.record_id: k for k in keydates.key_dates(session) if k.kind == "action"}


def _attention(demo) -> dict[int, object]:
    return {i.record_id: i for i in attention(demo).items if i.source is Source.ACTIONS}


def test_open_actions_due_are_key_dates_and_the_near_ones_need_attention(demo) -> None:
    soon = _open(demo, "Overcrowding review with the governor", date(2009, 11, 10))
    late = _open(demo, "Population plan not received", date(2009, 10, 30), "KPI 6")
    later = _open(demo, "Re-roling of two wings", date(2009, 11, 20))
    edge = _open(demo, "Night-state check", date(2009, 11, 16))  # exactly 14 days on
    undated = _open(demo, "Watch the trend", None)
    closed = _open(demo, "Closed already", date(2009, 11, 5))
    pa.advance(demo, closed, ActionStage.CLOSED)

    dates = _key_dates(demo)
    assert {soon, late, later, edge} <= set(dates)
    assert undated not in dates and closed not in dates
    assert dates[soon].when == date(2009, 11, 10)
    assert dates[soon].what == (
        "Action due: HMP Manchester, KPI 11 Overcrowding (Concern raised): "
        "Overcrowding review with the governor"
    )
    assert dates[soon].area == "performance"

    needs = _attention(demo)
    assert {soon, late, edge} <= set(needs)
    assert later not in needs and undated not in needs and closed not in needs
    assert (needs[soon].severity, needs[soon].when_words) == (Severity.DUE, "in 8 days")
    assert (needs[late].severity, needs[late].when_words) == (Severity.OVERDUE, "3 days overdue")
    assert needs[edge].when_words == f"in {ACTIONS_DAYS} days"
    assert (needs[soon].area, needs[soon].tab) == ("performance", "Actions")
    # Most urgent first: the overdue action comes before the one due soon.
    order = [i.record_id for i in attention(demo).items if i.source is Source.ACTIONS]
    assert order.index(late) < order.index(soon)

    # Moved on to a later due date, it leaves the attention list but stays a key date.
    pa.advance(demo, soon, ActionStage.REVIEW, due=date(2010, 1, 15))
    assert soon not in _attention(demo)
    assert _key_dates(demo)[soon].what.endswith(
        "(Review meeting): Overcrowding review with the governor"
    )


def test_the_command_line_attention_list_names_the_action(demo, capsys) -> None:
    _open(demo, "Overcrowding review with the governor", date(2009, 11, 10))
    demo.close()
    assert main(["attention", "--db", demo.location]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if "Overcrowding review with the governor" in x)
    assert line.split()[:5] == ["Due", "soon", "10/11/2009", "in", "8"]


def test_an_action_on_a_retired_measure_is_refused_and_nothing_stored(demo) -> None:
    measures.retire_from(demo, "KPI 4", "2009-10")  # now in 2008-09's measure set only
    before = pa.actions(demo)
    with pytest.raises(ValidationError) as refused:
        _open(demo, "Escort escapes", None, "KPI 4")
    assert str(refused.value) == (
        "Measure: KPI 4 is retired: it is not in the 2009-10 measure set, so no action can be "
        "opened on it"
    )
    with pytest.raises(ValidationError, match="retired"):
        pa.open_action(
            demo,
            pa.find_provider(demo, "HMP Liverpool"),
            "No period",
            pa.find_measure(demo, "KPI 4"),
        )
    assert pa.actions(demo) == before
    # In a period of a year it still applied in, the action is allowed.
    allowed = pa.open_action(
        demo,
        pa.find_provider(demo, "HMP Liverpool"),
        "Escort escapes last year",
        pa.find_measure(demo, "KPI 4"),
        "2009-03",
    )
    assert [a.period for a in pa.actions(demo) if a.id == allowed] == ["Mar 2009"]


def test_a_missed_target_with_an_action_open_says_what_is_being_done(demo) -> None:
    haverigg = pa.find_provider(demo, "HMP Haverigg")

    def line() -> str:
        (found,) = [
            i.text
            for i in attention(demo).items
            if i.source is Source.PERFORMANCE and i.provider_id == haverigg
        ]
        return found

    assert line() == (
        "HMP Haverigg missed KPI 13 Minority ethnic staff in Aug 2009 and Sep 2009 "
        "(two months running)"
    )
    action_id = pa.open_action(
        demo, haverigg, "Recruitment plan", pa.find_measure(demo, "KPI 13"), "2009-09"
    )
    assert line().endswith("(two months running; action on KPI 13: Concern raised)")
    pa.advance(demo, action_id, ActionStage.REVIEW)
    assert line().endswith("(two months running; action on KPI 13: Review meeting)")
    pa.advance(demo, action_id, ActionStage.CLOSED)
    assert line().endswith("(two months running)")


def test_undoing_puts_an_action_back_and_keeps_one_money_is_moved_for(demo) -> None:
    action_id = _open(demo, "Overcrowding review", date(2009, 11, 10))
    before = pa.action_state(demo, action_id)
    pa.advance(demo, action_id, ActionStage.REVIEW, "Booked", date(2009, 12, 7))
    pa.add_note(demo, action_id, "Agenda sent")
    pa.restore_state(demo, action_id, before)
    (back,) = [a for a in pa.actions(demo) if a.id == action_id]
    assert (back.stage, back.due, [n.text for n in back.notes]) == (
        ActionStage.CONCERN,
        date(2009, 11, 10),
        ["Concern raised."],
    )
    pa.withdraw_action(demo, action_id)
    assert action_id not in {a.id for a in pa.actions(demo)}
    # Opened again under its id (the window's Redo); an id in use is refused.
    assert _open_again(demo, action_id) == action_id
    with pytest.raises(ValidationError, match="already in the workbook"):
        _open_again(demo, action_id)
    # The demo's HMP Liverpool action has money moved behind it: it cannot be withdrawn.
    (liverpool,) = [a for a in pa.actions(demo) if a.provider == "HMP Liverpool"]
    with pytest.raises(ValidationError, match="decision to move money names this action"):
        pa.withdraw_action(demo, liverpool.id)
    assert liverpool.id in {a.id for a in pa.actions(demo)}


def _open_again(demo, action_id: int) -> int:
    return pa.open_action(
        demo, pa.find_provider(demo, "HMP Manchester"), "Overcrowding review", action_id=action_id
    )
