"""The Priorities area: reordering from the keyboard and the buttons, rolling a year's
priorities forward, each one step on Edit ▸ Undo."""

from __future__ import annotations

from PySide6.QtCore import Qt

from dom_desk.domain.priorities import priorities
from dom_desk.domain.region import workbook_info


def _page(window):
    window.show_area("priorities")
    page = window.view.pages["priorities"]
    page.ensure_loaded()
    return page


def _titles(wb, year: str = "2009-10") -> list[str]:
    return [p.title for p in priorities(wb, year)]


def _select(page, title: str) -> int:
    row_id = next(p.id for p in priorities(page.workspace.wb, "2009-10") if p.title == title)
    assert page.select_id(row_id)
    return row_id


def test_alt_arrows_and_the_buttons_move_a_priority_undoably(qtbot, window, answers) -> None:
    page = _page(window)
    wb = window.workspace.wb
    before = _titles(wb)
    moved = _select(page, "Women offenders")  # number 5 of 6

    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    after = _titles(wb)
    assert after.index("Women offenders") == 3
    assert [p.number for p in priorities(wb, "2009-10")] == [1, 2, 3, 4, 5, 6]
    assert page.current_id() == moved  # the moved priority stays selected
    shown = page.model.row_by_id(moved).values[0]
    assert shown == 4  # the table shows its new number

    qtbot.mouseClick(page.down_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.down_button, Qt.MouseButton.LeftButton)
    assert _titles(wb).index("Women offenders") == 5
    assert not page.down_button.isEnabled()  # last: cannot go further down
    assert page.up_button.isEnabled()

    stack = window.workspace.undo_stack
    for _ in range(3):
        stack.undo()
    assert _titles(wb) == before
    stack.redo()
    assert _titles(wb) == after
    assert answers.errors == []


def test_the_first_priority_cannot_move_up(qtbot, window, answers) -> None:
    page = _page(window)
    _select(page, "Protect the public")
    assert not page.up_button.isEnabled() and page.down_button.isEnabled()
    before = _titles(window.workspace.wb)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert _titles(window.workspace.wb) == before
    assert any("already first" in e for e in answers.errors)


def test_roll_forward_makes_the_next_year_and_undo_takes_it_away(qtbot, window, answers) -> None:
    page = _page(window)
    wb = window.workspace.wb
    # The demo holds 2010-11 already (for the contract awarded from July 2010), with no
    # priorities: the roll forward fills it and undo empties it again.
    years = workbook_info(wb).years
    assert _titles(wb, "2010-11") == []
    assert page.roll_button.text().replace("&", "") == "Roll forward to 2010-11…"

    answers.queue("confirm", True)
    qtbot.mouseClick(page.roll_button, Qt.MouseButton.LeftButton)
    assert "2010-11" in answers.of("confirm")[-1].text
    assert _titles(wb, "2010-11") == _titles(wb, "2009-10")
    assert "2010-11" in window.workspace.years
    assert [window.year_combo.itemText(i) for i in range(window.year_combo.count())][-1] == (
        "2010-11"
    )
    assert "plan text" in answers.of("info")[-1].text

    # A second roll forward into a year that has priorities is refused, by sentence.
    answers.queue("confirm", True)
    qtbot.mouseClick(page.roll_button, Qt.MouseButton.LeftButton)
    assert any("2010-11 already has 6 priorities" in e for e in answers.errors)

    window.workspace.undo_stack.undo()
    assert workbook_info(wb).years == years
    assert _titles(wb, "2010-11") == []
    assert window.year_combo.count() == len(years)


def test_a_read_only_workbook_moves_nothing(qtbot, make_window, demo_file, answers) -> None:
    window = make_window()
    assert window.open_file(demo_file, read_only=True), answers.errors
    page = _page(window)
    page.select_id(page.model.rows[2].id)
    assert not page.up_button.isEnabled() and not page.down_button.isEnabled()
    assert not page.roll_button.isEnabled()
    assert not page.move_current(-1)
