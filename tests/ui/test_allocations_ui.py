"""Allocations and SLAs on screen: typed and pasted like a spreadsheet, one undo per action,
and the negotiation rehearsed through the window on the demo."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from negotiation_data import figures
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit

from dom_desk.domain import allocations as al
from dom_desk.domain import scenarios as sc
from dom_desk.domain import sla
from dom_desk.ui.allocations_page import AllocationsPage
from dom_desk.ui.grid import MARK, SpreadsheetView
from dom_desk.ui.workspace import Workspace

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def page(qtbot: Any, demo: Any, answers: Any) -> AllocationsPage:
    workspace = Workspace(demo)
    shown = AllocationsPage(workspace)
    qtbot.addWidget(shown)
    shown.resize(1300, 850)
    shown.show()
    shown.ensure_loaded()
    return shown


def find(view: SpreadsheetView, row_id: int, key: str) -> QModelIndex:
    column = [c.key for c in view.grid.columns].index(key)
    position = view.grid.position_of(row_id)
    assert position is not None
    index = view.proxy.mapFromSource(view.grid.index(position, column))
    assert index.isValid()
    return index


def select(view: SpreadsheetView, row_id: int, key: str) -> QModelIndex:
    index = find(view, row_id, key)
    view.setFocus()
    view.setCurrentIndex(index)
    return index


def type_into(qtbot: Any, view: SpreadsheetView, row_id: int, key: str, text: str) -> None:
    index = select(view, row_id, key)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = view.indexWidget(index)
    assert isinstance(editor, QLineEdit), "the cell is not editable"
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.indexWidget(index) is None, timeout=2000)


def line_of(pos: al.Position, provider: str, service: str = "") -> al.AllocationLine:
    return next(x for x in pos.lines if x.provider == provider and x.service.startswith(service))


def paste(qtbot: Any, view: SpreadsheetView, text: str) -> None:
    QGuiApplication.clipboard().setText(text)
    qtbot.keyClick(view, Qt.Key.Key_V, CTRL)


# -- spreadsheet behaviour ----------------------------------------------------------------


def test_grid_model_passes_the_model_tester(qtmodeltester: Any, page: AllocationsPage) -> None:
    qtmodeltester.check(page.allocations.model)


def test_a_paste_from_excel_is_written_at_once_and_undone_in_one_step(
    qtbot: Any, page: AllocationsPage, demo: Any
) -> None:
    view = page.allocations.table
    kennet = line_of(al.position(demo), "HMP Kennet")
    before = figures(demo)
    stack = page.workspace.undo_stack
    select(view, kennet.id, "provisional")
    paste(qtbot, view, "£7,400,000.00\t7390000\r\n")
    now = line_of(al.position(demo), "HMP Kennet")
    assert (now.provisional, now.agreed) == (740_000_000, 739_000_000)
    assert find(view, kennet.id, "agreed").data() == "£7,390,000"
    assert stack.count() == 1
    stack.undo()
    assert figures(demo) == before
    stack.redo()
    assert line_of(al.position(demo), "HMP Kennet").agreed == 739_000_000


@pytest.mark.parametrize(
    ("provider", "text", "message"),
    [
        (
            "HMP Kennet",
            "seven million",
            r"Row \d+ \(HMP Kennet, HMP Kennet SLA 2009-10, Custody "
            r"places \(adult men\)\), Provisional: 'seven million' is "
            r"not an amount of money",
        ),
        ("HMP Kennet", "-1", "Provisional cannot be negative"),
        ("HMP Manchester", "1", "the agreement is signed and locked against edits"),
    ],
)
def test_bad_pastes_are_refused_by_cell_with_nothing_changed(
    qtbot: Any,
    page: AllocationsPage,
    demo: Any,
    answers: Any,
    provider: str,
    text: str,
    message: str,
) -> None:
    import re

    view = page.allocations.table
    target = line_of(al.position(demo), provider)
    before = figures(demo)
    select(view, target.id, "provisional")
    paste(qtbot, view, text)
    assert figures(demo) == before
    assert page.workspace.undo_stack.count() == 0
    assert any(re.search(message, e) for e in answers.errors), answers.errors


def test_a_paste_larger_than_the_table_is_refused(
    qtbot: Any, page: AllocationsPage, demo: Any, answers: Any
) -> None:
    view = page.allocations.table
    page.allocations.filter.setText("HMP Kennet")
    kennet = line_of(al.position(demo), "HMP Kennet")
    before = figures(demo)
    select(view, kennet.id, "provisional")
    paste(qtbot, view, "1\r\n2\r\n3\r\n")
    assert figures(demo) == before
    assert "larger than the table" in answers.errors[-1]


def test_typing_text_into_a_money_cell_is_refused_by_name(
    qtbot: Any, page: AllocationsPage, demo: Any, answers: Any
) -> None:
    view = page.allocations.table
    kennet = line_of(al.position(demo), "HMP Kennet")
    before = figures(demo)
    type_into(qtbot, view, kennet.id, "agreed", "lots")
    assert figures(demo) == before
    assert "HMP Kennet SLA 2009-10" in answers.errors[-1] and "'lots'" in answers.errors[-1]


def test_ctrl_c_copies_plain_figures_and_ctrl_d_fills_down(
    qtbot: Any, page: AllocationsPage, demo: Any
) -> None:
    view = page.allocations.table
    page.allocations.filter.setText("In negotiation")
    rows = view.view_rows()
    assert len(rows) >= 2
    provisional = [c.key for c in al.COLUMNS].index("provisional")
    top = view.proxy.index(0, provisional)
    below = view.proxy.index(1, provisional)
    view.setFocus()
    view.selectionModel().select(top, view.selectionModel().SelectionFlag.ClearAndSelect)
    view.selectionModel().select(below, view.selectionModel().SelectionFlag.Select)
    qtbot.keyClick(view, Qt.Key.Key_C, CTRL)
    first, second = rows[0].values[provisional], rows[1].values[provisional]
    assert QGuiApplication.clipboard().text() == f"{first // 100}\r\n{second // 100}\r\n"
    qtbot.keyClick(view, Qt.Key.Key_D, CTRL)
    filled = {x.id: x.provisional for x in al.position(demo).lines}
    assert filled[rows[1].id] == first
    page.workspace.undo_stack.undo()
    assert {x.id: x.provisional for x in al.position(demo).lines}[rows[1].id] == second


def test_sorting_uses_the_figures_not_the_text(page: AllocationsPage) -> None:
    view = page.allocations.table
    column = [c.key for c in al.COLUMNS].index("committed")
    view.sortByColumn(column, Qt.SortOrder.DescendingOrder)
    shown = [r.values[column] for r in view.view_rows()]
    assert shown == sorted(shown, reverse=True)


def test_the_summary_totals_and_warnings_are_the_domains(page: AllocationsPage, demo: Any) -> None:
    pos = al.position(demo)
    assert page.bar.figures.text() == (
        f"2009-10 envelope £{pos.envelope // 100:,}  ·  committed £{pos.committed // 100:,}"
        f"  ·  headroom £{pos.headroom // 100:,}"
    )
    by_sector = page.allocations.totals["sector"]
    total = by_sector.rows[-1].values
    assert total[0] == "Total" and total[5] == pos.committed
    assert sum(r.values[5] for r in by_sector.rows[:-1]) == pos.committed


def test_an_over_envelope_position_is_said_in_words(
    qtbot: Any, page: AllocationsPage, demo: Any
) -> None:
    pos = al.position(demo)
    kennet = line_of(pos, "HMP Kennet")
    type_into(
        qtbot,
        page.allocations.table,
        kennet.id,
        "provisional",
        str((kennet.committed + pos.headroom + 100) // 100),
    )
    assert page.bar.verdict.text() == "Warning: over the envelope by £1"
    warnings = page.allocations.warnings
    assert warnings.item(0).text().startswith("Allocations of £")


def test_roll_forward_from_the_window_is_one_undo_step(
    page: AllocationsPage, demo: Any, answers: Any
) -> None:
    # The demo already holds 2010-11 (the Buckley Hall contract awarded from July 2010),
    # with no allocations yet: the roll forward fills it, and undo empties it again.
    years = tuple(page.workspace.years)
    assert al.position(demo, "2010-11").lines == ()
    done = page.allocations.roll_forward(Decimal("2.5"))
    assert done is not None and done.to_year == "2010-11"
    assert al.position(demo, "2010-11").baseline == done.baseline > 0
    page.workspace.undo_stack.undo()
    assert tuple(page.workspace.years) == years
    assert al.position(demo, "2010-11").lines == ()
    assert answers.of("info")


# -- the SLA workspace --------------------------------------------------------------------


def test_sla_workspace_locks_agreed_slas_and_audits_the_unlock(
    qtbot: Any, page: AllocationsPage, demo: Any, answers: Any
) -> None:
    page.tabs.setCurrentWidget(page.sla)
    assert page.sla.show_provider("HMP Garth")  # agreed
    assert page.sla.lock_banner.text().startswith("Locked: 'HMP Garth SLA 2009-10' is agreed")
    line = page.sla.lines.rows[0]
    before = figures(demo)
    select(page.sla.lines_view, line.id, "volume")
    paste(qtbot, page.sla.lines_view, "900")
    assert figures(demo) == before
    assert "HMP Garth SLA 2009-10' is agreed and locked" in answers.errors[-1]

    answers.queue("confirm", True)
    page.sla.unlock_button.click()
    assert page.sla.status.text() == "Status: In negotiation"
    paste(qtbot, page.sla.lines_view, "900")
    assert sla.workspace(demo, "HMP Garth").lines[0].volume == 900
    page.workspace.undo_stack.undo()  # the volume
    page.workspace.undo_stack.undo()  # the unlock: locked again
    assert sla.workspace(demo, "HMP Garth").status.label == "Agreed"


def test_a_national_target_cannot_be_edited_and_a_floor_is_enforced(
    qtbot: Any, page: AllocationsPage, demo: Any, answers: Any
) -> None:
    page.tabs.setCurrentWidget(page.sla)
    assert page.sla.show_provider("HMP Liverpool")
    ws = page.sla.ws
    national = next(t for t in ws.targets if not t.editable)
    regional = next(t for t in ws.targets if t.floor is not None)
    view = page.sla.targets_view
    assert not find(view, national.measure_id, "value").flags() & Qt.ItemFlag.ItemIsEditable
    before = figures(demo)
    below = regional.floor - 1
    type_into(qtbot, view, regional.measure_id, "value", str(below))
    assert figures(demo) == before
    assert f"below the Regional Minimum floor of {regional.floor.normalize()}" in answers.errors[-1]


# -- the rehearsal ------------------------------------------------------------------------


def test_rehearsal_through_the_window(
    qtbot: Any, page: AllocationsPage, demo: Any, answers: Any, tmp_path: Path
) -> None:
    start = al.position(demo)
    liverpool = line_of(start, "HMP Liverpool", "Custody")
    sova = line_of(start, "Sova")
    view = page.scenarios
    page.tabs.setCurrentWidget(view)
    sid = view.new_scenario("Liverpool custody to Sova")
    assert sid is not None
    assert view.move_money(liverpool.id, sova.id, 25_000_000)

    # Two targets typed straight into the scenario's Targets table.
    view.tabs.setCurrentWidget(view.views[sc.TARGET])
    targets = view.views[sc.TARGET]
    rows = {(r.values[0], r.values[1]): r.id for r in view.grids[sc.TARGET].rows}
    type_into(qtbot, targets, rows[("HMP Liverpool", "KPI 13")], "value_new", "6.5")
    type_into(qtbot, targets, rows[("HMP Liverpool", "KPI 9")], "value_new", "82")
    cell = find(targets, rows[("HMP Liverpool", "KPI 9")], "value_new")
    assert cell.data().startswith(MARK) and "now 80" in cell.data(Qt.ItemDataRole.ToolTipRole)

    # Watch the envelope: unchanged; sector totals move by exactly £250,000.
    assert "Envelope £" in view.effect.text() and "(unchanged)" in view.effect.text()
    assert "4 figures changed" in view.effect.text()
    sectors = {r.values[0]: r.values[3] for r in view.effects.rows}
    assert sectors == {"Public": -25_000_000, "Private": 0, "Third": 25_000_000, "Total": 0}
    assert al.position(demo) == start  # nothing real has moved yet

    # Sova's contract is agreed, so locked: accepting is refused until it is unlocked.
    assert any("Through-the-gate mentoring" in w for w in view.tables.comparison.warnings)
    answers.queue("confirm", True)
    view.accept_button.click()
    assert "was not accepted" in answers.errors[-1]
    assert al.position(demo) == start
    page.tabs.setCurrentWidget(page.sla)
    page.sla.show_provider("Sova")
    answers.queue("confirm", True)
    page.sla.unlock_button.click()
    unlocked = figures(demo)

    page.tabs.setCurrentWidget(view)
    answers.queue("confirm", True)
    view.accept_button.click()
    accepted = figures(demo)
    pos = al.position(demo)
    assert pos.committed == start.committed and pos.envelope == start.envelope
    assert page.bar.figures.text().endswith(f"headroom £{start.headroom // 100:,}")
    was = {g.name: g.committed for g in start.by_sector}
    now = {g.name: g.committed for g in pos.by_sector}
    assert now["Third"] - was["Third"] == 25_000_000

    stack = page.workspace.undo_stack
    assert stack.undoText() == "accept scenario 'Liverpool custody to Sova'"
    stack.undo()
    assert figures(demo) == unlocked
    stack.redo()
    assert figures(demo) == accepted

    path = tmp_path / "allocations.xlsx"
    page.allocations.export_to(path)
    qtbot.waitUntil(lambda: bool(answers.of("info")), timeout=10000)
    from openpyxl import load_workbook

    sheet = load_workbook(path)["Allocations 2009-10"]
    headers = [c.value for c in sheet[1]]
    total = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "Total")
    assert int(Decimal(str(total[headers.index("Committed")])) * 100) == pos.committed
    assert int(Decimal(str(total[headers.index("Provisional")])) * 100) == pos.provisional
    # Every totals sheet of the window's export agrees to the penny, money as £ numbers.
    from dom_desk.exports.xlsx_tables import MONEY_FORMAT

    book = load_workbook(path)
    for title in ("By provider", "By provider kind", "By sector", "By pathway"):
        row = next(r for r in book[title].iter_rows(min_row=2) if r[0].value == "Total")
        assert all(c.number_format == MONEY_FORMAT for c in row[2:])
        assert [int(Decimal(str(c.value)) * 100) for c in row[2:]] == [
            pos.baseline,
            pos.provisional,
            pos.agreed,
            pos.committed,
        ]
    headroom = next(r for r in book["Envelope"].iter_rows(min_row=2) if r[0].value == "Headroom")[1]
    assert headroom.number_format == MONEY_FORMAT
    assert int(Decimal(str(headroom.value)) * 100) == pos.headroom == start.headroom


def test_in_the_main_window_ctrl_z_undoes_an_accepted_scenario_and_ctrl_shift_z_redoes(
    qtbot: Any, window: Any, demo: Any, answers: Any
) -> None:
    qtbot.keyClick(window, Qt.Key.Key_4, CTRL)
    shown = window.view.current_page()
    assert isinstance(shown, AllocationsPage)
    start = al.position(demo)
    kennet = line_of(start, "HMP Kennet")
    liverpool = line_of(start, "HMP Liverpool", "Custody")
    shown.tabs.setCurrentWidget(shown.scenarios)
    shown.scenarios.new_scenario("Kennet from Liverpool")
    shown.scenarios.move_money(liverpool.id, kennet.id, 10_000_000)
    before = figures(demo)
    answers.queue("confirm", True)
    shown.scenarios.accept_button.click()
    assert line_of(al.position(demo), "HMP Kennet").committed == kennet.committed + 10_000_000
    after = figures(demo)

    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert figures(demo) == before
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert figures(demo) == after
    assert window.workspace.undo_stack.undoText() == "accept scenario 'Kennet from Liverpool'"


def test_copy_takes_only_the_chosen_cells_as_excel_does(
    qtbot: Any, page: AllocationsPage, demo: Any
) -> None:
    view = page.allocations.table
    first, second = view.view_rows()[0], view.view_rows()[1]
    keys = [c.key for c in al.COLUMNS]
    choose = view.selectionModel()
    choose.select(find(view, first.id, "baseline"), choose.SelectionFlag.ClearAndSelect)
    choose.select(find(view, second.id, "agreed"), choose.SelectionFlag.Select)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_C, CTRL)
    baseline = first.values[keys.index("baseline")]
    agreed = second.values[keys.index("agreed")]
    # Provisional, between the two, is not chosen: left out, not copied blank.
    assert QGuiApplication.clipboard().text() == (
        f"{baseline // 100}\t\r\n\t{'' if agreed is None else agreed // 100}\r\n"
    )
