"""Every area table works like a spreadsheet: paste a block from Excel, fill down, export
to xlsx; a paste is one undo step, all cells or none."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication
from ui_helpers import cell, stored


def _page(window: Any, key: str) -> Any:
    window.show_area(key)
    page = window.view.pages[key]
    page.ensure_loaded()
    return page


def _ids(page: Any, names: list[str]) -> list[int]:
    at = [c.key for c in page.area.columns].index(page.area.label_key)
    by_name = {r.values[at]: r.id for r in page.model.rows}
    return [by_name[n] for n in names]


def _select(page: Any, row_ids: list[int], key: str) -> None:
    """As a click on the first cell and shift-clicks on the others would."""
    page.table.setFocus()
    selection = page.table.selectionModel()
    selection.setCurrentIndex(
        cell(page, row_ids[0], key), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )
    for row_id in row_ids[1:]:
        selection.select(cell(page, row_id, key), QItemSelectionModel.SelectionFlag.Select)


def _sorted_by_name(page: Any) -> None:
    page.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)


def test_a_block_pasted_from_excel_is_one_undo_step(qtbot: Any, window: Any, answers: Any) -> None:
    page = _page(window, "providers")
    _sorted_by_name(page)
    ids = _ids(page, ["HMP Garth", "HMP Haverigg"])  # next to each other once sorted
    wb = window.workspace.wb
    before = [stored(wb, "providers", i, "capacity") for i in ids]
    _select(page, ids, "capacity")
    QGuiApplication.clipboard().setText("1,001\r\n1002\r\n")  # as Excel copies it
    qtbot.keyClick(page.table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert not answers.errors
    assert [stored(wb, "providers", i, "capacity") for i in ids] == [1001, 1002]
    assert (
        page.table.model()
        .index(cell(page, ids[0], "capacity").row(), cell(page, ids[0], "capacity").column())
        .data()
        == "1,001"
    )

    window.undo_action.trigger()
    assert [stored(wb, "providers", i, "capacity") for i in ids] == before
    window.redo_action.trigger()
    assert [stored(wb, "providers", i, "capacity") for i in ids] == [1001, 1002]


def test_a_bad_cell_refuses_the_whole_paste_naming_it(
    qtbot: Any, window: Any, answers: Any
) -> None:
    page = _page(window, "providers")
    _sorted_by_name(page)
    ids = _ids(page, ["HMP Garth", "HMP Haverigg"])
    wb = window.workspace.wb
    before = [stored(wb, "providers", i, "capacity") for i in ids]
    _select(page, ids, "capacity")
    QGuiApplication.clipboard().setText("900\nlots\n")
    assert not page.paste()
    (error,) = answers.errors
    assert "HMP Haverigg" in error and "Capacity (places)" in error
    assert [stored(wb, "providers", i, "capacity") for i in ids] == before
    assert not window.undo_action.isEnabled()


def test_a_paste_larger_than_the_table_is_refused(qtbot: Any, window: Any, answers: Any) -> None:
    page = _page(window, "providers")
    _select(page, [page.model.rows[-1].id], "contact")
    QGuiApplication.clipboard().setText("a\tb\tc\nd\te\tf\n")
    assert not page.paste()
    (error,) = answers.errors
    assert "larger than the table" in error


def test_fill_down_copies_the_top_cell(qtbot: Any, window: Any, answers: Any) -> None:
    page = _page(window, "providers")
    _sorted_by_name(page)
    ids = _ids(page, ["HMP Garth", "HMP Haverigg", "HMP Kennet"])
    _select(page, ids, "operator")
    top = stored(window.workspace.wb, "providers", ids[0], "operator")
    qtbot.keyClick(page.table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert not answers.errors
    assert [stored(window.workspace.wb, "providers", i, "operator") for i in ids] == [top] * 3


def test_an_area_exports_what_is_shown_with_money_as_numbers(
    qtbot: Any, window: Any, answers: Any, tmp_path: Path
) -> None:
    page = _page(window, "agreements")
    page.filter.setText("HMP")
    out = tmp_path / "agreements.xlsx"
    with qtbot.waitSignal(page.exported, timeout=20000):
        page.export_to(out)
    sheet = load_workbook(out).active
    titles = [c.value for c in sheet[1]]
    assert "Service lines value" in titles
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    shown = page.proxy.rowCount()
    body = rows[:shown]
    (total,) = [r for r in rows[shown:] if r[0] == "Total"]
    assert all("HMP" in str(r[titles.index("Agreement")]) for r in body)
    money = titles.index("Service lines value")
    assert all(isinstance(r[money], int | float) for r in body)
    assert "£" in sheet.cell(2, money + 1).number_format
    # The totals row adds the figures exactly (in pence, as the workbook holds them).
    assert round(total[money] * 100) == sum(round(r[money] * 100) for r in body)
