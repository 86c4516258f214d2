"""Moving about a table with Ctrl held: the highlight goes with the current cell, so what
is highlighted is what copy and the details act on."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt

from dom_desk.ui.grid import shown_columns

CTRL = Qt.KeyboardModifier.ControlModifier


def highlighted(table: Any) -> set[tuple[int, int]]:
    return {(i.row(), i.column()) for i in table.selectionModel().selectedIndexes()}


@pytest.fixture
def grid(window: Any) -> Any:
    window.show_area("allocations")
    table = window.view.pages["allocations"].table
    table.setFocus()
    start = table.proxy.index(5, shown_columns(table)[1])
    table.selectionModel().setCurrentIndex(start, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    return table


@pytest.mark.parametrize(
    "key",
    [
        Qt.Key.Key_Down,
        Qt.Key.Key_Up,
        Qt.Key.Key_Right,
        Qt.Key.Key_End,
        Qt.Key.Key_Home,
        Qt.Key.Key_PageDown,
        Qt.Key.Key_Tab,
    ],
)
def test_ctrl_and_a_move_key_highlight_the_new_current_cell(
    qtbot: Any, grid: Any, key: Qt.Key
) -> None:
    before = grid.currentIndex()
    qtbot.keyClick(grid, key, CTRL)
    current = grid.currentIndex()
    assert current != before  # the key moved the current cell...
    assert highlighted(grid) == {(current.row(), current.column())}  # ...and the highlight


def test_ctrl_shift_and_a_move_key_extend_the_highlight(qtbot: Any, grid: Any) -> None:
    before = grid.currentIndex()
    qtbot.keyClick(grid, Qt.Key.Key_Down, CTRL | Qt.KeyboardModifier.ShiftModifier)
    current = grid.currentIndex()
    assert current.row() > before.row()
    assert {(before.row(), before.column()), (current.row(), current.column())} <= highlighted(grid)
