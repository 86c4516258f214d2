"""Disinvestment and reinvestment (issue 15 item 3): a decision moving money between
allocations is carried by a draft scenario; the book changes only when it is applied."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from dom_desk.cli import main
from dom_desk.domain import resource_decisions as rd
from dom_desk.domain.allocations import position
from dom_desk.domain.scenarios import discard
from dom_desk.errors import ValidationError
from dom_desk.models import Allocation, ResourceDecision, Scenario, ScenarioChange

CUSTODY = "HMP Liverpool SLA 2009-10 custody places"
DRUGS = "HMP Liverpool SLA 2009-10 CARAT"


def _committed(wb, allocation_id: int) -> int:
    with wb.session() as session:
        a = session.get(Allocation, allocation_id)
        return next(f for f in (a.agreed, a.provisional, a.baseline) if f is not None)


def _counts(wb) -> tuple[int, int, int]:
    with wb.session() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(t))
            for t in (ResourceDecision, Scenario, ScenarioChange)
        )


def test_the_demo_holds_a_decision_behind_liverpools_action(demo) -> None:
    (found,) = rd.decisions(demo, "2009-10")
    assert found.amount == 120_000_00
    assert found.state == rd.AWAITING
    assert found.behind == "Action #1: HMP Liverpool, KPI 6"
    assert found.summary.startswith("£120,000 from HMP Liverpool: HMP Liverpool SLA 2009-10")


def test_a_decision_moves_nothing_until_applied_then_exactly_its_amount(demo) -> None:
    source, target = rd.find_allocation(demo, CUSTODY), rd.find_allocation(demo, DRUGS)
    before = (_committed(demo, source), _committed(demo, target))
    total = position(demo, "2009-10").committed
    decision = rd.decide(
        demo, source, target, 55_000_50, "Second tranche", decided=date(2009, 11, 2)
    )
    assert (_committed(demo, source), _committed(demo, target)) == before
    made = next(d for d in rd.decisions(demo) if d.id == decision)
    assert made.state == rd.AWAITING and made.scenario == "Resource decision of 02/11/2009"

    rd.apply(demo, decision)
    assert _committed(demo, source) == before[0] - 55_000_50
    assert _committed(demo, target) == before[1] + 55_000_50
    assert position(demo, "2009-10").committed == total  # moved, not added
    assert next(d for d in rd.decisions(demo) if d.id == decision).state == rd.APPLIED
    with pytest.raises(ValidationError, match="is applied"):
        rd.apply(demo, decision)


def test_a_discarded_scenario_withdraws_its_decision(demo) -> None:
    (found,) = rd.decisions(demo)
    discard(demo, found.scenario_id)
    assert rd.decisions(demo)[0].state == rd.WITHDRAWN
    with pytest.raises(ValidationError, match="is withdrawn"):
        rd.apply(demo, found.id)


@pytest.mark.parametrize(
    ("amount", "reason", "field", "words"),
    [
        (1_000_00, "  ", "Reason", "Say why"),
        (0, "Because", "Move money", "more than £0"),
        (10**12, "Because", "Amount", "is more than the"),
    ],
)
def test_bad_decisions_are_refused_by_field_and_store_nothing(
    demo, amount: int, reason: str, field: str, words: str
) -> None:
    source, target = rd.find_allocation(demo, CUSTODY), rd.find_allocation(demo, DRUGS)
    before = _counts(demo)
    with pytest.raises(ValidationError, match=words) as caught:
        rd.decide(demo, source, target, amount, reason)
    assert caught.value.where == field
    assert _counts(demo) == before


def test_money_moves_within_one_year_only(demo) -> None:
    custody_now = rd.find_allocation(demo, CUSTODY)
    earlier = rd.allocation_choices(demo, "2008-09")[0].id
    before = _counts(demo)
    with pytest.raises(ValidationError, match="within one year"):
        rd.decide(demo, earlier, custody_now, 100, "Because")
    assert _counts(demo) == before


def test_the_command_line_records_lists_and_applies_a_decision(demo, capsys) -> None:
    path = demo.location
    demo.close()
    argv = ["decisions", "--db", path, "--from", CUSTODY, "--to", DRUGS]
    assert main([*argv, "--amount", "£10,000.25", "--reason", "Tranche two"]) == 0
    assert "Recorded: £10,000.25 from HMP Liverpool" in capsys.readouterr().out
    assert main(["decisions", "--db", path]) == 0
    listed = capsys.readouterr().out
    assert listed.count("Awaiting acceptance") == 2
    assert main(["decisions", "--db", path, "--accept", "2"]) == 0
    assert "Applied: £10,000.25" in capsys.readouterr().out
    assert main(["decisions", "--db", path, "--from", CUSTODY, "--to", DRUGS]) != 0
    assert "--amount" in capsys.readouterr().err
