"""Locked allocations on screen: a signed agreement's rows say so in words and with a
lock in Status, offer no editor, and a paste into them is refused naming the row; open
rows are edited as before."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QAbstractItemView

from dom_desk.domain import allocations as al
from dom_desk.models import AgreementStatus
from dom_desk.ui.allocations_page import AllocationsPage
from dom_desk.ui.grid import GridModel, SpreadsheetView
from dom_desk.ui.workspace import Workspace

LOCK_TIP = "Signed: unlock the SLA in the SLA workspace to change it"


@pytest.fixture
def page(qtbot: Any, demo: Any, answers: Any) -> AllocationsPage:
    shown = AllocationsPage(Workspace(demo))
    qtbot.addWidget(shown)
    shown.resize(1366, 768)
    shown.show()
    shown.ensure_loaded()
    return shown


def cell(view: SpreadsheetView, row_id: int, key: str) -> QModelIndex:
    grid: GridModel = view.grid
    position = grid.position_of(row_id)
    assert position is not None
    column = [c.key for c in grid.columns].index(key)
    return view.proxy.mapFromSource(grid.index(position, column))


def lines(demo: Any) -> tuple[al.AllocationLine, al.AllocationLine]:
    pos = al.position(demo)
    signed = next(x for x in pos.lines if x.status is AgreementStatus.SIGNED)
    open_line = next(x for x in pos.lines if not x.locked)
    return signed, open_line


def test_a_signed_row_shows_a_lock_and_says_locked(page: AllocationsPage, demo: Any) -> None:
    view = page.allocations.table
    signed, open_line = lines(demo)
    status = cell(view, signed.id, "status")
    icon = status.data(Qt.ItemDataRole.DecorationRole)
    assert isinstance(icon, QIcon) and not icon.isNull()
    assert status.data(Qt.ItemDataRole.ToolTipRole) == LOCK_TIP
    assert cell(view, signed.id, "flag").data().startswith("Locked")
    assert cell(view, signed.id, "agreed").data(Qt.ItemDataRole.ToolTipRole) == LOCK_TIP
    assert cell(view, open_line.id, "status").data(Qt.ItemDataRole.DecorationRole) is None
    assert not cell(view, open_line.id, "flag").data().startswith("Locked")


def test_a_signed_rows_money_cells_offer_no_editor(
    qtbot: Any, page: AllocationsPage, demo: Any
) -> None:
    view = page.allocations.table
    signed, open_line = lines(demo)
    editable = Qt.ItemFlag.ItemIsEditable
    for key in ("baseline", "provisional", "agreed"):
        assert not cell(view, signed.id, key).flags() & editable
        assert cell(view, open_line.id, key).flags() & editable
    index = cell(view, signed.id, "provisional")
    view.setFocus()
    view.setCurrentIndex(index)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    assert view.state() != QAbstractItemView.State.EditingState
    assert view.indexWidget(index) is None
    # The open row's cell still opens its editor.
    index = cell(view, open_line.id, "provisional")
    view.setCurrentIndex(index)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    assert view.state() == QAbstractItemView.State.EditingState


def test_a_paste_into_a_signed_row_is_refused_naming_the_row(
    qtbot: Any, page: AllocationsPage, demo: Any, answers: Any
) -> None:
    view = page.allocations.table
    signed, _open = lines(demo)
    before = al.position(demo).committed
    view.setFocus()
    view.setCurrentIndex(cell(view, signed.id, "provisional"))
    QGuiApplication.clipboard().setText("1\r\n")
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert al.position(demo).committed == before
    assert page.workspace.undo_stack.count() == 0
    assert any(signed.label in e and "locked" in e for e in answers.errors), answers.errors


def test_an_open_row_is_still_pasted_into(qtbot: Any, page: AllocationsPage, demo: Any) -> None:
    view = page.allocations.table
    _signed, open_line = lines(demo)
    view.setFocus()
    view.setCurrentIndex(cell(view, open_line.id, "provisional"))
    QGuiApplication.clipboard().setText("1234\r\n")
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    now = next(x for x in al.position(demo).lines if x.id == open_line.id)
    assert now.provisional == 1234 * 100
