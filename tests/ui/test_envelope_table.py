"""Allocations ▸ Envelope: the envelope as its budget table prints it, edited in place,
each write one undo step (issue 13 item 7)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from dom_desk.domain import allocations as al
from dom_desk.domain.allocations import RowKind
from dom_desk.ui.envelope_table import AMOUNT, NAME, PRINTED

MILLION = 1_000_000_00


def _envelope(window: Any) -> Any:
    window.show_area("allocations")
    page = window.view.pages["allocations"]
    page.ensure_loaded()
    tab = page.allocations
    tab.details.setCurrentWidget(tab.envelope_table)
    return tab.envelope_table


def _region(make_window: Any, tmp_path: Path, answers: Any) -> Any:
    from dom_desk.domain.region import create_region_workbook

    path = tmp_path / "wales.domdesk"
    create_region_workbook(path, "Wales", "2009-10").close()
    window = make_window()
    assert window.open_file(path), answers.errors
    return window


def _ok(qtbot: Any, dialog: Any) -> None:
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )


def test_the_demo_envelope_shows_groups_in_bold_with_their_subtotals(window: Any) -> None:
    view = _envelope(window)
    table = al.envelope_table(window.workspace.wb, window.workspace.year)
    noms = view.item_for(RowKind.GROUP, table.groups[0].id)
    assert noms.text(NAME) == "NOMS funding" and noms.font(NAME).bold()
    assert noms.childCount() == 1  # its line; its total shows collapsed too, beside it
    total = view.tree.topLevelItem(view.tree.indexOfTopLevelItem(noms) + 1)
    assert total.text(NAME) == "Total NOMS funding" and total.font(AMOUNT).bold()
    assert total.text(AMOUNT) == "£459,400,000" == total.text(PRINTED)
    last = view.tree.topLevelItem(view.tree.topLevelItemCount() - 1)
    assert last.text(NAME) == "Envelope" and last.text(AMOUNT) == "£472,800,000"
    assert view.note.text() == "Every printed total matches its rows (2 checked)."


def test_a_negative_line_in_a_new_group_with_undo(
    qtbot: Any, make_window: Any, tmp_path: Path, answers: Any
) -> None:
    window = _region(make_window, tmp_path, answers)
    view = _envelope(window)
    wb = window.workspace.wb
    dialog = view.new_group()
    dialog.set_text("name", "HMPPS")
    dialog.set_text("printed_total", "£154,000,000")
    dialog.set_text("tolerance", "£1,000,000")
    _ok(qtbot, dialog)
    group = al.envelope_table(wb).groups[0].id
    assert not answers.errors
    for source, name, amount in (
        ("NOMS allocation", "HMPPS Wales", "£199,000,000"),
        ("NOMS allocation", "Centrally Managed", "(£45,000,000)"),
    ):
        view.tree.setCurrentItem(view.item_for(RowKind.GROUP, group))
        dialog = view.new_line()
        for key, text in (("funding_source", source), ("name", name), ("amount", amount)):
            dialog.set_text(key, text)
        _ok(qtbot, dialog)
    assert not answers.errors
    table = al.envelope_table(wb)
    assert [line.amount for line in table.lines] == [199 * MILLION, -45 * MILLION]
    assert all(line.group_id == group for line in table.lines)
    assert al.position(wb).envelope == 154 * MILLION
    assert view.item_for(RowKind.TOTAL, group).text(AMOUNT) == "£154,000,000"
    window.undo_action.trigger()
    assert al.position(wb).envelope == 199 * MILLION
    window.redo_action.trigger()
    assert al.position(wb).envelope == 154 * MILLION
    assert view.item_for(RowKind.LINE, table.lines[1].id).text(AMOUNT) == "-£45,000,000"


def test_an_amount_typed_in_place_and_the_rounding_note(
    make_window: Any, tmp_path: Path, answers: Any
) -> None:
    window = _region(make_window, tmp_path, answers)
    wb = window.workspace.wb
    group = al.create_group(
        wb, "Fiscal", printed_total=3_819 * MILLION, tolerance=MILLION, total_label="Total DEL"
    )
    line = al.create_line(wb, "HMPPS", 3_819 * MILLION, name="Directorates", group_id=group)
    view = _envelope(window)
    view.item_for(RowKind.LINE, line).setText(AMOUNT, "£3,820,000,000")
    assert not answers.errors
    assert al.position(wb).envelope == 3_820 * MILLION
    assert view.note.text() == (
        "Total DEL: printed £3,819m; rows add to £3,820m, a difference of £1m within the "
        "rounding tolerance."
    )
    view.item_for(RowKind.TOTAL, group).setText(PRINTED, "£3,800,000,000")
    assert view.note.text().startswith("Warning: Total DEL: printed £3,800m")
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert al.position(wb).envelope == 3_819 * MILLION
    assert view.note.text() == "Every printed total matches its rows (1 checked)."
    # Text in the amount is refused by sentence and nothing is written.
    view.item_for(RowKind.LINE, line).setText(AMOUNT, "about four billion")
    assert answers.errors and "Envelope, Amount" in answers.errors[-1]
    assert al.position(wb).envelope == 3_819 * MILLION
    assert view.item_for(RowKind.LINE, line).text(AMOUNT) == "£3,819,000,000"


def test_a_group_moved_under_its_own_group_is_refused(
    make_window: Any, tmp_path: Path, answers: Any
) -> None:
    window = _region(make_window, tmp_path, answers)
    wb = window.workspace.wb
    top = al.create_group(wb, "Probation Boards")
    below = al.create_group(wb, "Approved premises", parent_id=top)
    view = _envelope(window)
    before = al.envelope_table(wb)
    assert not view.move(RowKind.GROUP, top, below)
    assert "groups cannot loop" in answers.errors[-1]
    assert al.envelope_table(wb) == before


def test_deleting_a_group_keeps_its_lines_and_undo_puts_it_back(
    make_window: Any, tmp_path: Path, answers: Any
) -> None:
    window = _region(make_window, tmp_path, answers)
    wb = window.workspace.wb
    group = al.create_group(wb, "Boards")
    line = al.create_line(wb, "NOMS", MILLION, name="Main", group_id=group)
    view = _envelope(window)
    view.select(RowKind.GROUP, group)
    answers.queue("confirm", True)
    assert view.delete_selected()
    assert "Its lines and groups stay" in answers.of("confirm")[0].text
    table = al.envelope_table(wb)
    assert table.groups == () and table.line(line).group_id is None
    window.undo_action.trigger()
    assert al.envelope_table(wb).line(line).group_id == group
    assert view.item_for(RowKind.GROUP, group) is not None


def test_a_read_only_envelope_cannot_be_edited(make_window: Any, demo: Any, answers: Any):
    window = make_window()
    assert window.open_location(demo.location, read_only=True)
    view = _envelope(window)
    assert not any(b.isEnabled() for b in view.buttons.values())
    assert view.new_line() is None


SEED_004_TEXT = (
    "Directorate\t2018-19 £m\n"
    "Public Sector Prisons\t1,635\nCustodial Contracts\t819\nYouth Custody Services\t138\n"
    "Security, Order and Counter-Terrorism\t27\nPrison Estate Transformation\t17\n"
    "National Probation Service\t454\nCommunity Interventions\t373\nHMPPS Wales*\t199\n"
    "Electronic Monitoring\t87\nRehabilitation and Assurance\t32\nHuman Resources\t82\n"
    "Chief Executive Office\t2\nCentrally Managed\t(45)\n"
    "<b>Total Fiscal Resource Departmental Expenditure Limit</b>\t<b>3,819</b>\n\n"
    "\\*In addition to HMPPS Wales budget, funding is also received from Welsh Government.\n"
)


def test_a_budget_table_pasted_as_printed_with_undo(
    make_window: Any, tmp_path: Path, answers: Any
) -> None:
    """Seed 004's Annex A as its text prints it, pasted into the Envelope tab."""
    window = _region(make_window, tmp_path, answers)
    wb = window.workspace.wb
    al.create_line(wb, "NOMS", MILLION, name="Typed in earlier")
    view = _envelope(window)
    answers.queue("confirm", True)
    assert view.paste(SEED_004_TEXT), answers.errors
    asked = answers.of("confirm")[0].text
    assert "14 new rows" in asked and "Typed in earlier (£1,000,000) is not in" in asked
    assert al.position(wb).envelope == 3_820 * MILLION
    assert view.note.text().endswith("a difference of £1m within the rounding tolerance.")
    top = view.tree.topLevelItem(0)
    assert top.text(NAME) == "Fiscal Resource Departmental Expenditure Limit"
    assert top.font(NAME).bold() and top.childCount() == 13
    window.undo_action.trigger()
    assert [line.name for line in al.envelope_table(wb).lines] == ["Typed in earlier"]
    # A wrong cell: refused by sentence naming it, nothing written.
    assert not view.paste("Directorate\t2009-10 £m\nPrisons\tabout 12\n")
    assert answers.errors[-1].startswith("The pasted table, cell B2: 'about 12'")
    assert al.position(wb).envelope == MILLION
