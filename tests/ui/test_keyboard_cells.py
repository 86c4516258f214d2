"""Typing into table cells by keyboard: a refused value leaves the user on its cell, and
on the Allocations tab Enter saves and moves down so figures go in row after row."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from ui_helpers import cell, stored, unlocked_allocation

from dom_desk.domain.tables import AREAS, load_rows
from dom_desk.ui.messages import messages


class BoxCloser:
    """Closes the real message boxes that come up, noting each one's parent widget."""

    def __init__(self) -> None:
        self.parents: list[QWidget | None] = []
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._close)

    def _close(self) -> None:
        box = QApplication.activeModalWidget()
        if box is not None:
            self.parents.append(box.parentWidget())
            box.close()


@pytest.fixture
def real_boxes(answers: Any) -> Iterator[BoxCloser]:
    """Real modal message boxes (they take the focus from the window, as on a desktop)."""
    messages.hook = None
    closer = BoxCloser()
    closer.timer.start()
    yield closer
    closer.timer.stop()


def start_typing(qtbot: Any, table: Any, index: QModelIndex, text: str) -> QLineEdit:
    table.setFocus()
    table.setCurrentIndex(index)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = table.indexWidget(index)
    assert isinstance(editor, QLineEdit), "the cell is not editable"
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    return editor


def back_in_window(qtbot: Any, window: Any) -> QWidget | None:
    """The widget with the keyboard once the window is active again after a message."""
    window.activateWindow()
    qtbot.waitActive(window)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=2000)
    return QApplication.focusWidget()


@pytest.mark.parametrize(
    ("area", "key"), [("providers", "capacity"), ("allocations", "provisional")]
)
def test_a_refused_cell_is_explained_over_its_table_and_the_keyboard_stays_on_it(
    qtbot: Any, window: Any, demo: Any, real_boxes: BoxCloser, area: str, key: str
) -> None:
    page = window.view.pages[area]
    window.show_area(area)
    row_id = page.model.rows[0].id if area == "providers" else unlocked_allocation(demo)
    before = stored(demo, area, row_id, key)
    index = cell(page, row_id, key)
    editor = start_typing(qtbot, page.table, index, "lots")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: bool(real_boxes.parents) and page.table.indexWidget(index) is None, timeout=3000
    )

    assert real_boxes.parents == [page.table]
    assert stored(demo, area, row_id, key) == before
    assert back_in_window(qtbot, window) is page.table
    assert page.table.currentIndex() == index
    # The next arrow key moves in the table; it does not change the workbook's year.
    year = window.workspace.year
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    assert window.workspace.year == year
    assert page.table.currentIndex().row() == index.row() + 1


def test_a_cell_left_by_a_click_with_a_refused_value_gets_the_keyboard_back(
    qtbot: Any, window: Any, demo: Any, real_boxes: BoxCloser
) -> None:
    providers = window.view.pages["providers"]
    window.show_area("providers")
    row_id = providers.model.rows[0].id
    index = cell(providers, row_id, "capacity")
    start_typing(qtbot, providers.table, index, "many")
    qtbot.mouseClick(providers.detail.fields["name"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(real_boxes.parents), timeout=3000)
    assert real_boxes.parents == [providers.table]
    qtbot.waitUntil(lambda: window.focusWidget() is providers.table, timeout=3000)
    assert providers.table.currentIndex() == index


def open_allocations(wb: Any) -> set[int]:
    """The allocations whose agreement is still open to edits (not agreed or signed)."""
    agreements = AREAS["agreements"]
    title_at = [c.key for c in agreements.columns].index("title")
    status_at = [c.key for c in agreements.columns].index("status")
    open_titles = {
        r.values[title_at] for r in load_rows(wb, "agreements") if not r.values[status_at].locked
    }
    agreement_at = [c.key for c in AREAS["allocations"].columns].index("agreement")
    return {r.id for r in load_rows(wb, "allocations") if r.values[agreement_at] in open_titles}


def editable_run(view: Any, wb: Any, key: str, length: int) -> list[QModelIndex]:
    """``length`` cells of a column, one under another, that can all be typed into, with
    a row below them."""
    from dom_desk.ui.grid import IdRole

    open_ids = open_allocations(wb)
    column = [c.key for c in view.grid.columns].index(key)
    cells = [view.proxy.index(r, column) for r in range(view.proxy.rowCount())]
    for start in range(len(cells) - length):
        run = cells[start : start + length]
        if all(c.flags() & Qt.ItemFlag.ItemIsEditable and c.data(IdRole) in open_ids for c in run):
            return run
    raise AssertionError(f"no {length} editable {key} cells in a row")


def test_figures_are_typed_row_after_row_with_enter(
    qtbot: Any, window: Any, demo: Any, answers: Any
) -> None:
    from dom_desk.ui.grid import IdRole

    page = window.view.pages["allocations"]
    window.show_area("allocations")
    table = page.table
    run = editable_run(table, demo, "provisional", 3)
    ids = [i.data(IdRole) for i in run]
    table.setFocus()
    table.setCurrentIndex(run[0])
    for number, row_id in enumerate(ids, start=1):
        assert table.currentIndex().data(IdRole) == row_id
        qtbot.keyClick(table, Qt.Key.Key_F2)  # F2 works after each Enter
        editor = QApplication.focusWidget()
        assert isinstance(editor, QLineEdit) and table.isAncestorOf(editor)
        editor.selectAll()
        qtbot.keyClicks(editor, f"{number}000")
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: table.state() != table.State.EditingState, timeout=2000)
        assert answers.errors == []
        assert QApplication.focusWidget() is table
    assert [stored(demo, "allocations", i, "provisional") for i in ids] == [
        100000,
        200000,
        300000,
    ]  # pence
    # Enter after the last one moved down once more: on the record below the run.
    below = table.proxy.index(run[-1].row() + 1, run[-1].column())
    assert table.currentIndex() == below
    # Three edits, three undo steps.
    assert window.workspace.undo_stack.count() == 3
