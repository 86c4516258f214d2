"""Driving an area page the way a user does: find a cell, type into it, read it back."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from dom_desk.domain.tables import AREAS, load_rows
from dom_desk.ui.grid import IdRole


def column_of(page: Any, key: str) -> int:
    return [c.key for c in page.model.columns].index(key)


def cell(page: Any, row_id: int, key: str) -> QModelIndex:
    """The on-screen (proxy) index of a record's field."""
    position = page.model.position_of(row_id)
    assert position is not None, f"record {row_id} is not in {page.area.key}"
    source = page.model.index(position, column_of(page, key))
    index = page.proxy.mapFromSource(source)
    assert index.isValid()
    return index


def shown(page: Any, row_id: int, key: str) -> str:
    """What the table shows for a record's field."""
    return cell(page, row_id, key).data(Qt.ItemDataRole.DisplayRole)


def type_into_cell(qtbot: Any, page: Any, row_id: int, key: str, text: str) -> None:
    """Selects the cell, presses F2, replaces the text and presses Enter."""
    index = cell(page, row_id, key)
    page.table.setFocus()
    page.table.setCurrentIndex(index)
    qtbot.keyClick(page.table, Qt.Key.Key_F2)
    editor = page.table.indexWidget(index)
    assert isinstance(editor, QLineEdit), editor
    assert QApplication.focusWidget() is editor
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The delegate commits the editor's text on a queued call.
    qtbot.waitUntil(lambda: page.table.indexWidget(index) is None, timeout=2000)


def stored(wb: Any, area_key: str, row_id: int, key: str) -> Any:
    """The value in the file, read through the domain API."""
    area = AREAS[area_key]
    position = [c.key for c in area.columns].index(key)
    for row in load_rows(wb, area_key):
        if row.id == row_id:
            return row.values[position]
    raise AssertionError(f"no {area_key} record {row_id}")


def visible_ids(page: Any) -> list[int]:
    return [page.proxy.index(r, 0).data(IdRole) for r in range(page.proxy.rowCount())]


def unlocked_allocation(wb: Any) -> int:
    """An allocation whose agreement is still open to edits (not agreed or signed)."""
    agreements = AREAS["agreements"]
    title_at = [c.key for c in agreements.columns].index("title")
    status_at = [c.key for c in agreements.columns].index("status")
    open_titles = {
        r.values[title_at] for r in load_rows(wb, "agreements") if not r.values[status_at].locked
    }
    allocations = AREAS["allocations"]
    agreement_at = [c.key for c in allocations.columns].index("agreement")
    for row in load_rows(wb, "allocations"):
        if row.values[agreement_at] in open_titles:
            return row.id
    raise AssertionError("the demo has no allocation open to edits")
