"""The generic area table model: sound under Qt's model tester, UK display, raw sorting."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt

from dom_desk.domain.tables import AREAS, load_rows
from dom_desk.domain.values import Kind, sort_key
from dom_desk.ui.grid import AreaTableModel, GridSortProxy, IdRole, SortRole


@pytest.mark.parametrize("area_key", list(AREAS))
def test_every_area_model_passes_the_model_tester(qtmodeltester, demo, area_key):
    model = AreaTableModel(AREAS[area_key])
    model.set_rows(load_rows(demo, area_key))
    qtmodeltester.check(model, force_py=True)
    proxy = GridSortProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy, force_py=True)


def test_money_is_shown_the_uk_way_and_right_aligned(demo):
    model = AreaTableModel(AREAS["allocations"])
    model.set_rows(load_rows(demo, "allocations"))
    column = [c.key for c in model.columns].index("baseline")
    index = model.index(0, column)
    assert re.fullmatch(r"£\d{1,3}(,\d{3})*(\.\d\d)?", index.data())
    assert index.data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    # The editor gets plain, parseable text; sorting gets the raw pence.
    assert "," not in index.data(Qt.ItemDataRole.EditRole)
    assert isinstance(index.data(SortRole), int)
    assert index.data(IdRole) == model.rows[0].id


def test_sorting_uses_raw_values_not_display_text(demo):
    model = AreaTableModel(AREAS["allocations"])
    model.set_rows(load_rows(demo, "allocations"))
    proxy = GridSortProxy()
    proxy.setSourceModel(model)
    column = [c.key for c in model.columns].index("baseline")
    proxy.sort(column, Qt.SortOrder.DescendingOrder)
    values = [proxy.index(r, column).data(SortRole) for r in range(proxy.rowCount())]
    assert [sort_key(v) for v in values] == sorted((sort_key(v) for v in values), reverse=True)
    assert len(values) > 2


def test_read_only_model_allows_no_edits(demo):
    model = AreaTableModel(AREAS["providers"])  # no workspace: nothing can be written
    model.set_rows(load_rows(demo, "providers"))
    assert all(
        not model.flags(model.index(0, c)) & Qt.ItemFlag.ItemIsEditable
        for c in range(model.columnCount())
    )
    assert not model.setData(model.index(0, 0), "Renamed")


def test_numeric_columns_are_right_aligned_in_the_header(demo):
    model = AreaTableModel(AREAS["providers"])
    for section, column in enumerate(model.columns):
        alignment = model.headerData(
            section, Qt.Orientation.Horizontal, Qt.ItemDataRole.TextAlignmentRole
        )
        assert bool(alignment & Qt.AlignmentFlag.AlignRight) == (
            column.kind is not Kind.TEXT and column.kind.numeric
        )


# -- the one grid and the one undo command ------------------------------------------------


def test_an_area_model_and_a_grid_model_answer_the_same_roles(demo):
    from dom_desk.domain import allocations as al
    from dom_desk.ui.grid import GridModel

    area = AreaTableModel(AREAS["allocations"])
    area.set_rows(load_rows(demo, "allocations"))
    grid = GridModel(al.COLUMNS)
    grid.set_rows(al.table_rows(al.position(demo)))
    for model in (area, grid):
        index = model.index(0, [c.key for c in model.columns].index("baseline"))
        assert index.data(IdRole) == model.rows[0].id
        assert isinstance(index.data(SortRole), int)  # pence, not the text shown
        assert index.data(Qt.ItemDataRole.DisplayRole).startswith("£")


def test_a_refused_action_is_explained_and_leaves_no_undo_step(answers):
    from PySide6.QtGui import QUndoStack

    from dom_desk.errors import ValidationError
    from dom_desk.ui.undo import push

    stack = QUndoStack()
    changed = []

    def refuse(_first):
        raise ValidationError("Capacity must be a whole number", "Capacity")

    command = push(stack, "edit capacity", refuse, lambda _r: None, lambda: changed.append(1))
    assert command.failed and stack.count() == 0 and not changed
    assert any("Capacity" in text for text in answers.errors)


def test_an_action_is_undone_and_redone_with_what_it_returned(answers):
    from PySide6.QtGui import QUndoStack

    from dom_desk.ui.undo import push

    stack = QUndoStack()
    log = []

    def do(first):
        log.append(("do", first))
        return len(log)

    command = push(stack, "add provider", do, lambda made: log.append(("undo", made)))
    assert not command.failed and stack.undoText() == "add provider"
    stack.undo()
    stack.redo()
    assert log == [("do", True), ("undo", 1), ("do", False)]
    assert answers.errors == []


def test_an_edit_that_changes_nothing_leaves_no_undo_step(answers):
    from PySide6.QtGui import QUndoStack

    from dom_desk.domain.tables import Change
    from dom_desk.ui.undo import edit_field

    class Target:
        def write(self, area_key, row_id, key, value):
            return Change(area_key, row_id, key, 440, value)

    stack = QUndoStack()
    stack.push(edit_field(Target(), "providers", 1, "capacity", 440, 440, "edit Capacity"))
    assert stack.count() == 0
    stack.push(edit_field(Target(), "providers", 1, "capacity", 440, 500, "edit Capacity"))
    assert stack.count() == 1 and stack.undoText() == "edit Capacity"
