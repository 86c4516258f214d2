"""The detail pane by keyboard: Escape cancels the typing in a field, and Ctrl+Z and
Ctrl+Shift+Z there are the window's Undo and Redo, as the pane's hint says."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from ui_helpers import stored

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def providers_page(window: Any) -> Any:
    window.show_area("providers")
    page = window.view.pages["providers"]
    page.select_id(page.model.rows[0].id)
    return page


def field_text(field: Any) -> str:
    return field.text() if isinstance(field, QLineEdit) else field.toPlainText()


def type_in(qtbot: Any, field: Any, text: str) -> None:
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, text)
    assert field_text(field) == text


@pytest.mark.parametrize("key", ["operator", "notes"])  # a line and a long text
def test_escape_puts_the_field_back_and_leaving_it_writes_nothing(
    qtbot: Any, window: Any, demo: Any, answers: Any, key: str
) -> None:
    page = providers_page(window)
    row_id = page.detail.row_id
    before = stored(demo, "providers", row_id, key)
    field = page.detail.fields[key]
    shown = field_text(field)
    type_in(qtbot, field, "Typed by mistake")
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert field_text(field) == shown
    # Then leaving the field (a click in the table) saves nothing.
    qtbot.mouseClick(
        page.table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=page.table.visualRect(page.table.currentIndex()).center(),
    )
    assert not field.hasFocus()
    assert stored(demo, "providers", row_id, key) == before
    assert window.workspace.undo_stack.count() == 0
    assert answers.errors == []


def test_ctrl_z_in_a_field_undoes_the_last_change_and_ctrl_shift_z_redoes_it(
    qtbot: Any, window: Any, demo: Any, answers: Any
) -> None:
    page = providers_page(window)
    row_id = page.detail.row_id
    before = stored(demo, "providers", row_id, "operator")
    field = page.detail.fields["operator"]
    type_in(qtbot, field, "Acme Justice Ltd")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert stored(demo, "providers", row_id, "operator") == "Acme Justice Ltd"
    assert field.hasFocus()

    qtbot.keyClick(field, Qt.Key.Key_Z, CTRL)
    assert stored(demo, "providers", row_id, "operator") == before
    assert field.text() == (before or "")
    qtbot.keyClick(field, Qt.Key.Key_Z, CTRL_SHIFT)
    assert stored(demo, "providers", row_id, "operator") == "Acme Justice Ltd"
    assert field.text() == "Acme Justice Ltd"
    assert answers.errors == []


def test_ctrl_z_while_typing_first_puts_the_field_back_then_undoes(
    qtbot: Any, window: Any, demo: Any, answers: Any
) -> None:
    page = providers_page(window)
    row_id = page.detail.row_id
    before = stored(demo, "providers", row_id, "contact")
    field = page.detail.fields["contact"]
    type_in(qtbot, field, "01234 567890")
    qtbot.keyClick(field, Qt.Key.Key_Return)  # saved: one undo step
    type_in(qtbot, field, "half typ")

    qtbot.keyClick(field, Qt.Key.Key_Z, CTRL)  # the typing goes, the saved edit stays
    assert field.text() == "01234 567890"
    assert stored(demo, "providers", row_id, "contact") == "01234 567890"
    assert window.workspace.undo_stack.index() == 1
    qtbot.keyClick(field, Qt.Key.Key_Z, CTRL)  # now the window's Undo
    assert stored(demo, "providers", row_id, "contact") == before
    assert field.text() == (before or "")
    field.clearFocus()  # leaving the field writes nothing more
    assert stored(demo, "providers", row_id, "contact") == before
    assert window.workspace.undo_stack.index() == 0
    assert answers.errors == []
