"""Contracts, competitions and risks screens: variations with history, stage dates typed
as dates or wording, the heat map beside the register; every action undoable."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook as Xlsx
from PySide6.QtCore import Qt

from dom_desk.domain import contracts
from dom_desk.domain.lists_import import ListKind
from dom_desk.models import Level, VariationKind
from dom_desk.ui.competitions_page import PLANNED, CompetitionsPage
from dom_desk.ui.contracts_page import ContractsPage, VariationInput
from dom_desk.ui.lists_import_dialog import ListImportDialog, read_preview
from dom_desk.ui.risks_page import RisksPage
from dom_desk.ui.workspace import Workspace


def _page(qtbot, cls, demo):
    workspace = Workspace(demo)
    page = cls(workspace)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    page.reload()
    qtbot.waitExposed(page)
    return page


def _column(page, key: str) -> int:
    return [c.key for c in page.model.columns].index(key)


def test_a_variation_shows_in_the_history_and_the_register_and_undoes(qtbot, demo, answers) -> None:
    page = _page(qtbot, ContractsPage, demo)
    contract_id = page.current_id()
    steps = page.history_model.rowCount()
    value_column = _column(page, "current_value")
    before = page.model.row_by_id(contract_id).values[
        page.area.columns.index(page.area.column("current_value"))
    ]
    assert page.record_variation(
        contract_id,
        VariationInput(
            VariationKind.VALUE, date(2009, 11, 2), "40 more places", value_change=1_000_000_00
        ),
    )
    assert page.history_model.rowCount() == steps + 1
    last = page.history_model.rows[-1]
    assert last[1] == "Change of value" and last[2] == "+£1,000,000"
    assert last[3] != page.history_model.rows[-2][3]  # both values shown, old and new
    shown = page.proxy.index(0, value_column).data(Qt.ItemDataRole.DisplayRole)
    with demo.session() as session:
        agreement = contracts.get_contract(session, contract_id)
        assert contracts.current_value(agreement) == before + 1_000_000_00
    assert shown.startswith("£")
    page.workspace.undo_stack.undo()
    assert page.history_model.rowCount() == steps
    with demo.session() as session:
        assert contracts.current_value(contracts.get_contract(session, contract_id)) == before
    assert answers.errors == []


def test_a_refused_variation_is_explained_and_leaves_nothing_to_undo(qtbot, demo, answers) -> None:
    page = _page(qtbot, ContractsPage, demo)
    ok = page.record_variation(
        page.current_id(), VariationInput(VariationKind.DURATION, date(2009, 11, 2), "No end given")
    )
    assert not ok and "new end date" in answers.errors[0]
    assert page.workspace.undo_stack.count() == 0


def test_stage_dates_are_typed_as_dates_or_wording_and_fuzzy_ones_show_it(
    qtbot, demo, answers
) -> None:
    page = _page(qtbot, CompetitionsPage, demo)
    model = page.stages_model
    last = model.rowCount() - 1  # service start: not yet reached
    index = model.index(last, PLANNED)
    assert model.setData(index, "Autumn 2010")
    assert model.index(last, PLANNED).data() == "≈ Autumn 2010"
    assert model.index(last, PLANNED).data(Qt.ItemDataRole.FontRole).italic()
    assert model.setData(model.index(last, PLANNED), "15/01/2010")
    assert model.index(last, PLANNED).data() == "15/01/2010"
    assert not model.setData(model.index(last, PLANNED), "whenever")
    assert "not a date" in answers.errors[-1]
    page.workspace.undo_stack.undo()
    assert model.index(last, PLANNED).data() == "≈ Autumn 2010"


def test_a_new_competition_gets_the_default_timetable(qtbot, demo, answers) -> None:
    from dom_desk.models import CompetitionKind
    from dom_desk.ui.competitions_page import CompetitionInput

    page = _page(qtbot, CompetitionsPage, demo)
    created = page.create(CompetitionInput("HMP Wolds", CompetitionKind.RECOMPETE, "Jan 2013", ""))
    assert created is not None and page.current_id() == created
    assert page.stages_model.stages[0].written == "January 2012"
    page.workspace.undo_stack.undo()
    assert page.model.position_of(created) is None


def test_the_heat_map_counts_the_register_and_selects_a_cells_risks(qtbot, demo) -> None:
    page = _page(qtbot, RisksPage, demo)
    heat = page.heat_map.heat
    status = _column(page, "status")
    open_risks = [
        r for r in range(page.proxy.rowCount()) if page.proxy.index(r, status).data() == "Open"
    ]
    assert heat is not None and heat.total == len(open_risks) > 0
    busiest = max(heat.cells.values(), key=lambda c: c.count)
    page.heat_map.setFocus()
    page.heat_map.current = (
        list(Level).index(busiest.likelihood),
        list(Level).index(busiest.impact),
    )
    with qtbot.waitSignal(page.heat_map.cellChosen):
        qtbot.keyClick(page.heat_map, Qt.Key.Key_Return)
    selected = {i.row() for i in page.table.selectionModel().selectedIndexes()}
    references = {page.proxy.index(r, _column(page, "reference")).data() for r in selected}
    assert set(busiest.references) <= references
    assert str(busiest.count) in page.cell_note.text()
    qtbot.keyClick(page.heat_map, Qt.Key.Key_Up)
    assert "Likelihood" in page.heat_map.accessibleDescription()


def test_recording_a_review_moves_the_review_date_and_undoes(qtbot, demo, answers) -> None:
    from dom_desk.ui.risks_page import ReviewInput

    page = _page(qtbot, RisksPage, demo)
    risk_id = page.current_id()
    review_column = page.area.columns.index(page.area.column("review"))
    before = page.model.row_by_id(risk_id).values[review_column]
    assert page.record_review(
        risk_id, ReviewInput(date(2009, 11, 2), date(2010, 2, 2), Level.L, Level.L, "Reduced")
    )
    assert page.model.row_by_id(risk_id).values[review_column] == date(2010, 2, 2)
    assert page.heat_map.heat.cell(Level.L, Level.L).count >= 1
    page.workspace.undo_stack.undo()
    assert page.model.row_by_id(risk_id).values[review_column] == before


@pytest.mark.parametrize(("second", "importable"), [("H", True), ("Severe", False)])
def test_the_import_preview_offers_import_only_without_errors(
    qtbot, demo, tmp_path: Path, second, importable
) -> None:
    book = Xlsx()
    sheet = book.active
    for row in (
        ["Ref", "Risk Descriptions", "Likelihood", "Impact"],
        ["X1", "Imported risk", "M", "M"],
        ["X2", "Another", second, "L"],
    ):
        sheet.append(row)
    book.save(tmp_path / "risks.xlsx")
    workspace = Workspace(demo)
    preview = read_preview(workspace, tmp_path / "risks.xlsx", ListKind.RISKS)
    dialog = ListImportDialog(preview)
    qtbot.addWidget(dialog)
    assert dialog.import_button.isEnabled() is importable
    problems = dialog.table.model().index(1, 4).data()
    assert ("Error" in problems) is not importable
