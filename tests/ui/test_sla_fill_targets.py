"""Fill targets… in the SLA workspace: for the provider shown or every provider, one undo
step that says what it did; empty targets read "not yet set"; a locked SLA refused by name.
And the service lines' unit price against the target unit cost, on the demo."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from wales_targets import build_wales, targets_of

from dom_desk.domain import sla
from dom_desk.storage.workbook import open_workbook
from dom_desk.ui.allocations_page import AllocationsPage
from dom_desk.ui.sla_workspace import SlaWorkspace
from dom_desk.ui.workspace import Workspace


@pytest.fixture
def wales_wb(tmp_path: Path):
    wb = open_workbook(build_wales(tmp_path).path)
    yield wb
    wb.close()


def _page(qtbot: Any, wb: Any) -> AllocationsPage:
    page = AllocationsPage(Workspace(wb))
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    page.ensure_loaded()
    page.tabs.setCurrentWidget(page.sla)
    return page


def _cell(workspace: SlaWorkspace, code: str, key: str, role=Qt.ItemDataRole.DisplayRole) -> Any:
    grid = workspace.targets
    row = next(i for i, r in enumerate(grid.rows) if r.values[0] == code)
    column = [c.key for c in grid.columns].index(key)
    return grid.data(grid.index(row, column), role)


def test_fill_for_the_provider_shown_is_one_undo_step(qtbot: Any, wales_wb, answers) -> None:
    page = _page(qtbot, wales_wb)
    workspace = page.sla
    assert workspace.show_provider("HMP Cardiff")
    assert workspace.copy_last_year.isVisible()
    assert workspace.copy_last_year.text().replace("&", "") == "Copy 2008-09's agreed targets"
    # An empty target reads "not yet set"; its edit text is empty, for typing over.
    assert _cell(workspace, "KPI 6", "value") == "not yet set"
    assert _cell(workspace, "KPI 6", "value", Qt.ItemDataRole.EditRole) == ""
    assert _cell(workspace, "KPI 2", "value") == "0"  # the national value, shown already
    before = targets_of(wales_wb)

    answers.queue("choose", 0)  # "Only HMP Cardiff"
    workspace.fill_button.click()
    choose = answers.of("choose")[-1]
    assert choose.extra["choices"] == ["Only HMP Cardiff", "Every provider"]
    assert "2008-09's agreed targets are copied" in choose.text
    report = answers.of("info")[-1].text
    assert report.startswith("2009-10: 2 targets created, 2 copied from 2008-09")
    assert "HMP Cardiff: KPI 2, KPI 11 created; KPI 6, KPI 13 copied from 2008-09" in report
    assert _cell(workspace, "KPI 6", "value") == "9.5"
    assert _cell(workspace, "KPI 13", "basis") == "offered (2008-09)"
    assert {key[0] for key in targets_of(wales_wb)} == {"HMP Cardiff"}  # nobody else

    stack = page.workspace.undo_stack
    assert stack.undoText() == "fill HMP Cardiff's 2009-10 targets"
    filled = targets_of(wales_wb)
    stack.undo()
    assert targets_of(wales_wb) == before
    assert _cell(workspace, "KPI 6", "value") == "not yet set"
    stack.redo()
    assert {k: v[:3] for k, v in targets_of(wales_wb).items()} == {
        k: v[:3] for k, v in filled.items()
    }


def test_fill_for_every_provider_names_the_locked_one(qtbot: Any, wales_wb, answers) -> None:
    page = _page(qtbot, wales_wb)
    workspace = page.sla
    workspace.show_provider("Wales Probation Trust")
    workspace.copy_last_year.setChecked(False)  # no copying: the floor is offered
    answers.queue("choose", 1)  # "Every provider"
    workspace.ask_fill_targets()
    report = answers.of("info")[-1].text
    assert "copied from" not in report.splitlines()[0]
    assert "Left alone, as their agreements are agreed or signed: HMP Swansea." in report
    assert _cell(workspace, "KPI 5", "value") == "70"
    assert _cell(workspace, "KPI 5", "basis") == "offered (floor)"
    held = targets_of(wales_wb)
    assert held[("HMP Cardiff", "KPI 13")][0] == Decimal("3.5")  # the floor, not last year's
    assert not [k for k in held if k[0] == "HMP Swansea"]
    assert page.workspace.undo_stack.undoText() == "fill every provider's 2009-10 targets"


def test_a_locked_sla_is_refused_and_a_fill_that_changes_nothing_is_no_step(
    qtbot: Any, wales_wb, answers
) -> None:
    page = _page(qtbot, wales_wb)
    workspace = page.sla
    stack = page.workspace.undo_stack
    workspace.show_provider("HMP Swansea")
    assert workspace.fill_targets("HMP Swansea") is None
    assert "'HMP Swansea SLA 2009-10' is signed and locked" in answers.errors[-1]
    assert stack.count() == 0
    workspace.show_provider("HMP Parc")
    assert workspace.fill_targets("HMP Parc").changed
    assert stack.count() == 1
    again = workspace.fill_targets("HMP Parc")
    assert again is not None and not again.changed
    assert "Nothing changed" in answers.of("info")[-1].text
    assert stack.count() == 1  # nothing to undo was added


def test_cancelling_the_question_fills_nothing(qtbot: Any, wales_wb, answers) -> None:
    page = _page(qtbot, wales_wb)
    before = targets_of(wales_wb)
    page.sla.show_provider("HMP Cardiff")
    page.sla.ask_fill_targets()  # the box closed: no answer
    assert targets_of(wales_wb) == before and page.workspace.undo_stack.count() == 0


def test_service_lines_show_the_price_against_the_target_unit_cost(
    qtbot: Any, demo: Any, answers
) -> None:
    page = _page(qtbot, demo)
    workspace = page.sla
    assert workspace.show_provider("HMP Liverpool")
    keys = [c.key for c in workspace.lines.columns]
    assert keys[-2:] == ["target_unit_cost", "against_target"]
    ws = sla.workspace(demo, "HMP Liverpool")
    for position, line in enumerate(ws.lines):
        shown = workspace.lines.data(workspace.lines.index(position, keys.index("against_target")))
        assert shown == line.against_target
    custody = next(line for line in ws.lines if line.service.startswith("Custody"))
    assert custody.cost_difference == custody.unit_price - custody.target_unit_cost
    # Every column's title is shown in full at 1366 wide.
    view = workspace.lines_view
    header = view.horizontalHeader()
    assert sum(header.sectionSize(i) for i in range(header.count())) <= view.viewport().width()
