"""A year's priorities: reordered 1..n, rolled forward to the next year with the plan
text, refused by sentence, audited; and ``dom-desk priorities``."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from dom_desk.cli import main
from dom_desk.domain import planning_steps as steps
from dom_desk.domain import priorities as pr
from dom_desk.domain.region import ensure_year, workbook_info, year_by_label
from dom_desk.errors import ValidationError
from dom_desk.models import AuditEntry, Level, Milestone, Priority, Risk, RiskStatus
from dom_desk.plan.template import load_template, load_year_text, save_template

TITLES = ("Protect the public", "Reduce re-offending", "Women offenders", "Value for money")


@pytest.fixture
def region(workbook):
    """2009-10 with four priorities numbered with gaps (1, 2, 4, 7: two were deleted),
    an open and a closed risk, and an open milestone, on priority 2."""
    with workbook.session() as session:
        year = year_by_label(session, "2009-10")
        made = [
            Priority(
                year_id=year.id,
                number=number,
                title=title,
                rationale=f"Why {title.lower()}; efficiency plans for 2010-11.",
                provider_response="What providers do in 2009/10.",
            )
            for number, title in zip((1, 2, 4, 7), TITLES, strict=True)
        ]
        session.add_all(made)
        session.flush()
        session.add_all(
            [
                Risk(
                    reference="R1",
                    description="Open",
                    likelihood=Level.M,
                    impact=Level.H,
                    priority_id=made[1].id,
                ),
                Risk(
                    reference="R2",
                    description="Closed",
                    likelihood=Level.L,
                    impact=Level.L,
                    priority_id=made[1].id,
                    status=RiskStatus.CLOSED,
                ),
                Milestone(title="Open milestone", priority_id=made[1].id),
                Milestone(title="Done", priority_id=made[1].id, done=date(2009, 6, 1)),
            ]
        )
    return workbook


def _order(wb, year: str = "2009-10") -> list[tuple[int, str]]:
    return [(p.number, p.title) for p in pr.priorities(wb, year)]


def _id(wb, title: str, year: str = "2009-10") -> int:
    return next(p.id for p in pr.priorities(wb, year) if p.title == title)


# -- reordering ---------------------------------------------------------------------------


def test_a_move_renumbers_the_year_one_to_n_with_no_gap(region) -> None:
    assert [n for n, _ in _order(region)] == [1, 2, 4, 7]
    assert pr.move(region, _id(region, "Value for money"), 1) == 4  # it was fourth
    assert _order(region) == [
        (1, "Value for money"),
        (2, "Protect the public"),
        (3, "Reduce re-offending"),
        (4, "Women offenders"),
    ]
    pr.move(region, _id(region, "Value for money"), 4)
    assert _order(region) == [(n, t) for n, t in enumerate(TITLES, start=1)]


def test_up_and_down_are_undone_by_their_steps(region) -> None:
    from dom_desk.domain.tables import run_action

    chosen = _id(region, "Women offenders")
    step = steps.move_priority(chosen, -1)
    run_action(region, step.do)
    assert [t for _, t in _order(region)] == [TITLES[0], TITLES[2], TITLES[1], TITLES[3]]
    run_action(region, step.undo)
    assert [t for _, t in _order(region)] == list(TITLES)
    run_action(region, step.do)  # redo
    assert _order(region)[1] == (2, "Women offenders")


def test_moves_past_either_end_are_refused_and_change_nothing(region) -> None:
    before = _order(region)
    first, last = _id(region, TITLES[0]), _id(region, TITLES[-1])
    with region.session() as session:
        with pytest.raises(ValidationError, match="already first"):
            pr.step_in(session, first, -1)
        with pytest.raises(ValidationError, match="already last"):
            pr.step_in(session, last, 1)
    with pytest.raises(ValidationError, match="2009-10 has 4 priorities: choose a number from 1"):
        pr.move(region, first, 5)
    assert _order(region) == before


def test_a_move_is_audited_as_one_change_per_priority_renumbered(region) -> None:
    with region.session() as session:
        seen = session.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1))
    moved = _id(region, "Women offenders")
    pr.move(region, moved, 1)
    with region.session() as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.id > seen, AuditEntry.entity == "priority")
        ).all()
        changes = {(e.entity_id, e.old, e.new) for e in entries}
    ids = {t: _id(region, t) for t in TITLES}
    # Women offenders 4 -> 1; the two above it each move down; Value for money 7 -> 4.
    assert changes == {
        (ids["Women offenders"], "4", "1"),
        (ids["Protect the public"], "1", "2"),
        (ids["Reduce re-offending"], "2", "3"),
        (ids["Value for money"], "7", "4"),
    }
    assert all(e.field == "number" and e.action == "update" for e in entries)


# -- rolling forward ----------------------------------------------------------------------


def test_roll_forward_copies_the_priorities_and_the_years_own_text(region) -> None:
    pr.move(region, _id(region, "Value for money"), 4)  # numbers 1..4
    sections = load_template(region, "2009-10")
    foreword = "Our plan for 2009-10, building on 2008-09."
    save_template(
        region,
        [replace(s, body=foreword) if s.key == "foreword" else s for s in sections],
        "2009-10",
    )
    done = pr.roll_forward(region, "2009-10")

    assert (done.to_year, done.year_created, done.text_copied) == ("2010-11", True, True)
    assert "2010-11" in workbook_info(region).years
    copies = pr.priorities(region, "2010-11")
    assert [(p.number, p.title) for p in copies] == _order(region)
    assert copies[0].rationale == "Why protect the public; efficiency plans for 2011-12."
    assert copies[0].provider_response == "What providers do in 2010/11."
    text = load_year_text(region, "2010-11")
    assert text.own
    assert next(s.body for s in text.sections if s.key == "foreword") == (
        "Our plan for 2010-11, building on 2009-10."
    )
    # 2009-10 is unchanged.
    assert next(s.body for s in load_template(region, "2009-10") if s.key == "foreword") == (
        foreword
    )


def test_roll_forward_moves_open_risks_and_milestones_to_the_copies(region) -> None:
    old = _id(region, "Reduce re-offending")
    done = pr.roll_forward(region, "2009-10")
    new = _id(region, "Reduce re-offending", "2010-11")
    with region.session() as session:
        risks = {r.reference: r.priority_id for r in session.scalars(select(Risk))}
        milestones = {m.title: m.priority_id for m in session.scalars(select(Milestone))}
    assert risks == {"R1": new, "R2": old}  # the closed risk keeps the priority of its time
    assert milestones == {"Open milestone": new, "Done": old}
    assert len(done.risks) == 1 and len(done.milestones) == 1

    with region.session() as session:
        pr.undo_roll_forward_in(session, done)
    with region.session() as session:
        assert {r.priority_id for r in session.scalars(select(Risk))} == {old}
        assert {m.priority_id for m in session.scalars(select(Milestone))} == {old}
    assert "2010-11" not in workbook_info(region).years  # made by the roll, so taken away
    assert _order(region) == [(1, TITLES[0]), (2, TITLES[1]), (4, TITLES[2]), (7, TITLES[3])]


def test_roll_forward_into_a_year_with_priorities_is_refused_and_writes_nothing(region) -> None:
    with region.session() as session:
        year = ensure_year(session, "2010-11")
        session.add(Priority(year_id=year.id, number=1, title="Already planned"))
    with region.session() as session:
        before = session.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1))
    with pytest.raises(ValidationError, match="2010-11 already has 1 priority; roll forward"):
        pr.roll_forward(region, "2009-10")
    assert _order(region, "2010-11") == [(1, "Already planned")]
    with region.session() as session:
        after = session.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1))
        assert session.scalar(select(Risk.priority_id).where(Risk.reference == "R1")) == _id(
            region, "Reduce re-offending"
        )
    assert after == before


def test_roll_forward_keeps_the_next_years_own_text(region) -> None:
    save_template(region, load_template(region), "2009-10")
    with region.session() as session:
        ensure_year(session, "2010-11")
    mine = [
        replace(s, body="Written for 2010-11 already.") if s.key == "foreword" else s
        for s in load_template(region)
    ]
    save_template(region, mine, "2010-11")
    done = pr.roll_forward(region, "2009-10")
    assert (done.text_copied, done.text_kept, done.year_created) == (False, True, False)
    assert load_template(region, "2010-11") == mine
    with region.session() as session:
        pr.undo_roll_forward_in(session, done)
    assert "2010-11" in workbook_info(region).years  # it was there before: it stays
    assert load_template(region, "2010-11") == mine


def test_a_year_with_nothing_of_its_own_is_not_rolled_forward(workbook) -> None:
    with pytest.raises(ValidationError, match="2009-10 has no priorities and no plan text"):
        pr.roll_forward(workbook, "2009-10")
    assert workbook_info(workbook).years == ("2009-10",)


def test_year_labels_move_on_only_where_they_are_financial_years() -> None:
    assert pr.move_year_labels("In 2009-10 and 2010/11; pages 2010-12; code 12009-10") == (
        "In 2010-11 and 2011/12; pages 2010-12; code 12009-10"
    )
    assert pr.move_year_labels("1999-00") == "2000-01"


# -- the command line ---------------------------------------------------------------------


def test_the_command_lists_and_rolls_forward(region, capsys) -> None:
    db = str(region.location)
    region.close()  # the command opens the file itself
    assert main(["priorities", "--db", db]) == 0
    out = capsys.readouterr().out
    assert out.startswith("North West: 4 priorities for 2009-10")
    assert "\n7. Value for money\n" in out
    assert "   Response expected from providers: What providers do in 2009/10." in out

    assert main(["priorities", "--db", db, "--roll-forward", "2009-10"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "Rolled 4 priorities forward from 2009-10 to 2010-11, a year new to the workbook."
    )
    assert "1 open risk and 1 open milestone now name the 2010-11 priorities." in out

    assert main(["priorities", "--db", db, "--roll-forward", "2009-10"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "2010-11 already has 4 priorities" in err
    assert main(["priorities", "--db", db, "--year", "2011-12"]) == 1
    assert "no financial year 2011-12" in capsys.readouterr().err
    assert main(["priorities", "--db", db, "--year", "2010-1"]) == 1
    assert "not a financial year" in capsys.readouterr().err
