"""The generic area table model: sound under Qt's model tester, UK display, raw sorting."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt

from dom_desk.domain.tables import AREAS, load_rows
from dom_desk.domain.values import Kind, sort_key
from dom_desk.ui.grid import AreaSortProxy, AreaTableModel, IdRole, SortRole


@pytest.mark.parametrize("area_key", list(AREAS))
def test_every_area_model_passes_the_model_tester(qtmodeltester, demo, area_key):
    model = AreaTableModel(AREAS[area_key])
    model.set_rows(load_rows(demo, area_key))
    qtmodeltester.check(model, force_py=True)
    proxy = AreaSortProxy()
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
    proxy = AreaSortProxy()
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
