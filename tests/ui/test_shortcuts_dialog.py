"""Help ▸ Keyboard Shortcuts: each command once, grouped, keys a user can press, on screen;
and the toolbar's Undo and Redo keep short labels whatever they undo."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication
from ui_helpers import type_into_cell, unlocked_allocation

from dom_desk.ui.shortcuts_dialog import (
    TABLE_GROUP,
    ShortcutsDialog,
    command_lines,
    command_name,
    readable_keys,
)

#: Key names of keys beyond an ordinary keyboard, or of a platform key left unresolved.
UNPRESSABLE = re.compile(r"\bF(1[3-9]|2\d|3[0-5])\b|\b(Save|Copy|Paste|Undo|Redo|Help|Open)\b")


def _dialog(qtbot: Any, window: Any) -> ShortcutsDialog:
    dialog = ShortcutsDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_every_window_command_with_a_key_is_listed_once(qtbot: Any, window: Any) -> None:
    lines = command_lines(window)
    window_lines = [line for line in lines if line.group != TABLE_GROUP]
    with_keys = [a for a in window.actions() if readable_keys(a.shortcuts())]
    assert len(with_keys) > 20
    names = [line.command for line in window_lines]
    for action in with_keys:
        assert names.count(command_name(action)) == 1, command_name(action)
    assert len(window_lines) == len(with_keys)  # nothing else, nothing twice
    # The tables' own Copy, Paste and Fill Down (one set per table) are not repeated.
    assert [line.command for line in lines].count("Copy") == 1


def test_keys_are_real_keys_one_line_per_command(qtbot: Any, window: Any) -> None:
    by_name = {line.command: line for line in command_lines(window)}
    for line in by_name.values():
        assert line.keys and not UNPRESSABLE.search(line.keys), line
        assert "\n" not in line.keys
    assert by_name["Save a Copy"].keys.startswith("Ctrl+Shift+S")  # never "Shift+Save"
    assert by_name["Import Provider Returns"].keys == "Ctrl+I"
    assert by_name["Milestones"].keys == "Ctrl+0"
    assert "Ctrl+Z" in by_name["Undo"].keys
    assert "Ctrl+Shift+Z" in by_name["Redo"].keys  # beside any other key for redo
    assert by_name["Fill down from the top selected cell"].keys == "Ctrl+D"
    assert by_name["Keyboard Shortcuts"].keys == "F1"


def test_a_key_for_a_key_nobody_has_is_left_out() -> None:
    sequences = [QKeySequence("Ctrl+Z"), QKeySequence("F14"), QKeySequence("Ctrl+Z")]
    sequences += QKeySequence.keyBindings(QKeySequence.StandardKey.SaveAs)
    shown = readable_keys(sequences)
    assert "F14" not in shown and shown.count("Ctrl+Z") == 1
    assert not any("Save" in text for text in shown)


def test_grouped_by_menu_then_the_tables(qtbot: Any, window: Any) -> None:
    dialog = _dialog(qtbot, window)
    groups = [dialog.tree.topLevelItem(i).text(0) for i in range(dialog.tree.topLevelItemCount())]
    assert groups[:3] == ["File", "Edit", "View"]  # the menus' order
    assert "Help" in groups and groups[-1] == TABLE_GROUP
    assert len(groups) == len(set(groups))  # each group once
    view = dialog.groups["View"]
    assert [view.child(i).text(0) for i in range(3)] == ["Overview", "Providers", "Agreements"]


def test_fits_a_laptop_screen_with_ok_on_it(qtbot: Any, window: Any) -> None:
    dialog = _dialog(qtbot, window)
    available = dialog.screen().availableGeometry()
    assert dialog.frameGeometry().height() <= available.height()
    assert dialog.height() <= 700 and dialog.sizeHint().height() <= 700
    ok = dialog.ok_button
    assert ok.isVisible()
    assert dialog.rect().contains(ok.geometry().translated(ok.parentWidget().pos()))
    # More lines than fit are scrolled to, not stretched to.
    assert dialog.tree.verticalScrollBar().maximum() > 0 or dialog.tree.sizeHint().height() < 560


def test_filter_finds_a_command_by_name_or_key(qtbot: Any, window: Any) -> None:
    dialog = _dialog(qtbot, window)
    qtbot.keyClicks(dialog.filter, "ctrl+shift+p")
    assert [line.command for line in dialog.visible_commands()] == ["Commissioning Plan"]
    dialog.filter.setText("fill down")
    assert [line.group for line in dialog.visible_commands()] == [TABLE_GROUP]
    dialog.filter.clear()
    assert len(dialog.visible_commands()) == len(dialog.lines)


def test_help_menu_opens_the_dialog(qtbot: Any, window: Any) -> None:
    seen: list[tuple[str, int]] = []

    def look_and_close() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ShortcutsDialog):
            QTimer.singleShot(50, look_and_close)
            return
        seen.append((dialog.windowTitle(), len(dialog.lines)))
        dialog.accept()

    QTimer.singleShot(50, look_and_close)
    window.shortcuts_action.trigger()
    assert seen and seen[0][0] == "Keyboard Shortcuts" and seen[0][1] > 20


def test_toolbar_undo_stays_short_after_an_edit(
    qtbot: Any, window: Any, demo: Any, answers: Any
) -> None:
    allocations = window.view.pages["allocations"]
    window.show_area("allocations")
    type_into_cell(qtbot, allocations, unlocked_allocation(demo), "provisional", "£2,500,000")
    assert answers.errors == []
    step = window.workspace.undo_stack.undoText()
    assert step.startswith("edit Provisional of ") and len(step) > 40  # a long description

    undo: QAction = window.undo_action
    button = window.year_toolbar.widgetForAction(undo)
    assert button.text() == "Undo"
    assert undo.toolTip() == f"Undo {step}" and undo.statusTip() == f"Undo {step}"
    menu_text = undo.text().replace("&", "")
    assert menu_text.startswith("Undo edit Provisional") and len(menu_text) <= 46

    undo.trigger()
    redo_button = window.year_toolbar.widgetForAction(window.redo_action)
    assert button.text() == "Undo" and redo_button.text() == "Redo"
    assert window.redo_action.toolTip() == f"Redo {step}"
    assert not undo.isEnabled() and undo.toolTip() == "Undo"  # nothing left to undo


def test_undo_descriptions_are_cut_at_a_word() -> None:
    from dom_desk.ui.window_actions import elided

    assert elided("edit Capacity of HMP Liverpool") == "edit Capacity of HMP Liverpool"
    cut = elided("edit Provisional of Cumbria Probation Area, Community Payback 2009-10")
    assert cut == "edit Provisional of Cumbria Probation…" and len(cut) <= 40
