"""The planning screens' undoable steps and Workbook-taking reads, without the window:
a step done, undone and redone through one transaction each leaves the figures the user
saw at every point."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dom_desk.domain import contract_views, planning_steps, planning_views
from dom_desk.domain.region import working_day
from dom_desk.domain.tables import run_action
from dom_desk.errors import ValidationError
from dom_desk.models import CompetitionKind, VariationKind


def _a_contract(demo) -> contract_views.ContractDetail:
    from dom_desk.domain.tables import load_rows

    row = next(r for r in load_rows(demo, "contracts", None))
    return contract_views.contract_detail(demo, row.id)


def test_a_variation_step_undoes_and_redoes_the_contracts_value(demo) -> None:
    before = _a_contract(demo)
    assert before.value is not None
    step = planning_steps.record_variation(
        before.id, VariationKind.VALUE, before.today, "Extra places", value_change=50_000_00
    )
    run_action(demo, step.do)
    assert contract_views.contract_detail(demo, before.id).value == before.value + 50_000_00
    run_action(demo, step.undo)
    undone = contract_views.contract_detail(demo, before.id)
    assert undone.value == before.value and len(undone.steps) == len(before.steps)
    run_action(demo, step.do)
    assert contract_views.contract_detail(demo, before.id).value == before.value + 50_000_00


def test_a_new_competition_step_gives_its_id_and_undo_removes_it(workbook) -> None:
    step = planning_steps.create_competition("Doncaster", CompetitionKind.RECOMPETE, "Aug 2010")
    competition_id = run_action(workbook, step.do)
    assert step.result == competition_id
    detail = planning_views.competition_detail(workbook, competition_id)
    assert detail.subject == "Doncaster" and detail.expiry == "Aug 2010"
    moved = planning_steps.set_stage_planned(detail.stages[0].id, "Summer 2009")
    run_action(workbook, moved.do)
    assert planning_views.competition_detail(workbook, competition_id).stages[0].written == (
        "Summer 2009"
    )
    run_action(workbook, moved.undo)
    assert (
        planning_views.competition_detail(workbook, competition_id).stages[0] == (detail.stages[0])
    )
    run_action(workbook, step.undo)
    with pytest.raises(ValidationError, match="no longer exists"):
        planning_views.competition_detail(workbook, competition_id)


def test_a_contract_is_found_by_reference_or_title_and_refused_when_unknown(demo) -> None:
    detail = _a_contract(demo)
    assert contract_views.find_contract(demo, detail.title) == detail.id
    with pytest.raises(ValidationError, match="No contract"):
        contract_views.find_contract(demo, "No such contract anywhere")


def test_key_dates_open_buckets_are_as_at_the_workbooks_day(demo) -> None:
    on, grouped = planning_views.open_buckets(demo, 90)
    assert on == working_day(demo)
    shown = [k for keys in grouped.values() for k in keys]
    assert shown and all(not k.done and k.when <= on + timedelta(days=90) for k in shown)
