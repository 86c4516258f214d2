"""Acting on performance (issue 15, item 3): suggestions where a target was missed two
periods running, accepted as actions or dismissed for good, and actions escalated
through their stages with dated notes."""

from __future__ import annotations

from datetime import date

import pytest

from dom_desk.cli import main
from dom_desk.domain import performance_actions as pa
from dom_desk.domain.kinds import ActionStage
from dom_desk.errors import ValidationError


def _texts(suggestions) -> list[str]:
    return [s.text for s in suggestions]


def _action(wb, action_id: int):
    """One action (the demo holds two of its own: HMP Liverpool's and Lancashire's)."""
    (found,) = [a for a in pa.actions(wb) if a.id == action_id]
    return found


def _ids(wb) -> list[int]:
    return [a.id for a in pa.actions(wb)]


def test_the_demo_has_taken_up_liverpools_drug_testing_target(demo) -> None:
    liverpool = next(a for a in pa.actions(demo) if a.provider == "HMP Liverpool")
    assert (liverpool.measure, liverpool.period, liverpool.stage) == (
        "KPI 6",
        "Sep 2009",
        ActionStage.IMPROVEMENT_PLAN,
    )
    assert [n.written for n in liverpool.notes] == [
        date(2009, 10, 15),
        date(2009, 10, 22),
        date(2009, 10, 29),
    ]
    # Taken up, so no longer suggested; HMP Preston's dismissed with its reason.
    found = _texts(pa.suggestions(demo))
    assert not any(t.startswith("HMP Liverpool missed KPI 6") for t in found)
    assert not any(t.startswith("HMP Preston missed KPI 10") for t in found)


def test_the_demo_suggests_targets_missed_in_august_and_september(demo) -> None:
    # The demo's working day is 02/11/2009: September's returns were due on 10/10/2009,
    # October's not until 10/11/2009, so the last two periods due are Aug and Sep.
    found = _texts(pa.suggestions(demo))
    assert "HMP Liverpool missed KPI 11 in Aug 2009 and Sep 2009" in found
    assert "Merseyside Probation Trust missed PM 2 in Aug 2009 and Sep 2009" in found
    assert all(text.endswith("in Aug 2009 and Sep 2009") for text in found)
    assert found == sorted(found)


def test_accepting_opens_an_action_and_the_suggestion_goes(demo) -> None:
    liverpool = next(
        s for s in pa.suggestions(demo) if s.text.startswith("HMP Liverpool missed KPI 11")
    )
    action_id = pa.accept_suggestion(demo, liverpool, owner="Regional performance manager")
    assert liverpool.text not in _texts(pa.suggestions(demo))
    action = _action(demo, action_id)
    assert (action.id, action.stage, action.owner, action.measure, action.period) == (
        action_id,
        ActionStage.CONCERN,
        "Regional performance manager",
        "KPI 11",
        "Sep 2009",
    )
    assert action.opened == date(2009, 11, 2)  # the workbook's day, not the machine's
    assert action.notes[0].text == "Concern raised. Suggested: missed two periods running."


def test_a_dismissed_suggestion_is_not_made_again(demo) -> None:
    first = pa.suggestions(demo)[0]
    before = _ids(demo)
    pa.dismiss_suggestion(demo, first, "New governor in post; reviewed in December")
    assert first.text not in _texts(pa.suggestions(demo))
    pa.dismiss_suggestion(demo, first)  # a second dismissal changes nothing
    assert _ids(demo) == before


def test_an_action_escalates_with_dated_notes_and_closes(demo) -> None:
    provider = pa.find_provider(demo, "liverpool")
    action_id = pa.open_action(demo, provider, "Regime hours below the SLA", owner="DOM")
    assert pa.advance(demo, action_id, ActionStage.IMPROVEMENT_PLAN, due=date(2010, 1, 31)) is (
        ActionStage.CONCERN
    )
    pa.add_note(demo, action_id, "Plan received from the governor")
    action = _action(demo, action_id)
    assert action.overdue(date(2010, 2, 1)) and not action.overdue(date(2010, 1, 31))
    assert [n.text for n in action.notes] == [
        "Concern raised.",
        "Concern raised → Improvement plan agreed. Next step due 31/01/2010.",
        "Plan received from the governor",
    ]
    pa.advance(demo, action_id, ActionStage.CLOSED, "Hours restored")
    closed = _action(demo, action_id)
    assert (closed.is_open, closed.closed) == (False, date(2009, 11, 2))
    assert not closed.overdue(date(2011, 1, 1))
    assert action_id not in [a.id for a in pa.actions(demo, open_only=True)]


def test_bad_input_is_refused_and_nothing_is_written(demo) -> None:
    provider = pa.find_provider(demo, "HMP Liverpool")
    before = _ids(demo)
    with pytest.raises(ValidationError, match="needs some words"):
        pa.open_action(demo, provider, "   ")
    with pytest.raises(ValidationError, match="no period"):
        pa.open_action(demo, provider, "Late returns", period_code="2012-05")
    with pytest.raises(ValidationError, match="fits several"):
        pa.find_provider(demo, "probation")
    with pytest.raises(ValidationError, match="empty"):
        pa.add_note(demo, 999, " ")
    assert _ids(demo) == before


def test_the_command_line_suggests_accepts_and_lists(demo, capsys) -> None:
    new = str(max(_ids(demo)) + 1)
    demo.close()
    db = ["--db", demo.location]
    assert main(["actions", "suggest", *db]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("1. ") and first.endswith("in Aug 2009 and Sep 2009")
    assert main(["actions", "accept", *db, "1", "--owner", "Head of Commissioning"]) == 0
    assert main(["actions", "stage", *db, new, "review meeting", "--due", "15/12/2009"]) == 0
    assert main(["actions", "stage", *db, new, "sacked"]) == 1
    assert "'sacked' is not a stage" in capsys.readouterr().err
    assert main(["actions", "list", *db, "--open"]) == 0
    out = capsys.readouterr().out
    assert "Review meeting, due 15/12/2009; owner Head of Commissioning" in out
    assert "02/11/2009 Concern raised → Review meeting. Next step due 15/12/2009." in out
