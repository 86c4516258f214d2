"""The window's commands: its actions with their keys, the menus, the year toolbar
and the status bar (Help ▸ Keyboard Shortcuts lists their keys: ``shortcuts_dialog``).

Every action is an attribute of the window (``window.open_action``, ...) with an object
name, so tests and the window's own code reach them by name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QComboBox, QFrame, QLabel, QMenu, QToolBar

from dom_desk.ui.workspace_view import AREA_ORDER, area_title

if TYPE_CHECKING:
    from dom_desk.ui.main_window import MainWindow

#: Keys for the standard commands a platform gives none (Quit on Linux and Windows,
#: Save As on Windows); Qt's standard keys stay first where the platform has them.
FALLBACK_KEYS = {
    QKeySequence.StandardKey.SaveAs: "Ctrl+Shift+S",
    QKeySequence.StandardKey.Quit: "Ctrl+Q",
}

#: The longest undo or redo description the Edit menu shows (the tooltip has it all).
UNDO_MENU_CHARS = 40


def _action(
    window: MainWindow, text: str, slot: object, shortcut: object = None, name: str = ""
) -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        if isinstance(shortcut, QKeySequence.StandardKey):
            keys = QKeySequence.keyBindings(shortcut)
            if not keys and shortcut in FALLBACK_KEYS:
                keys = [QKeySequence(FALLBACK_KEYS[shortcut])]
            action.setShortcuts(keys)
        else:
            # The list form: setShortcut's overloads load Qt's whole namespace to choose.
            action.setShortcuts([QKeySequence(shortcut)])
    action.triggered.connect(slot)
    if name:
        action.setObjectName(name)
    return action


def _import_list(window: MainWindow) -> None:
    from dom_desk.ui.lists_import_dialog import import_list_from_menu  # on first use

    import_list_from_menu(window)


def _show_shortcuts(window: MainWindow) -> None:
    from dom_desk.ui.messages import run_modal
    from dom_desk.ui.shortcuts_dialog import ShortcutsDialog  # on first use

    run_modal(ShortcutsDialog(window))


def elided(text: str, limit: int = UNDO_MENU_CHARS) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "…"


def _undo_action(window: MainWindow, undone: bool) -> QAction:
    """Edit ▸ Undo (or Redo): "Undo" on the toolbar, what it undoes (cut short) in the
    menu, and the whole description in the tooltip and the status tip."""
    group = window.undo_group
    short = window.tr("Undo") if undone else window.tr("Redo")
    action = QAction(window.tr("&Undo") if undone else window.tr("&Redo"), window)
    action.setIconText(short)  # what the toolbar button shows, whatever the step

    def describe(step: str) -> None:
        if step:
            action.setText(f"&{short} {elided(step)}")
            action.setToolTip(f"{short} {step}")
            action.setStatusTip(f"{short} {step}")
        else:
            action.setText(f"&{short}")
            action.setToolTip(short)
            action.setStatusTip("")

    if undone:
        group.undoTextChanged.connect(describe)
        group.canUndoChanged.connect(action.setEnabled)
        action.triggered.connect(group.undo)
        describe(group.undoText())
        action.setEnabled(group.canUndo())
    else:
        group.redoTextChanged.connect(describe)
        group.canRedoChanged.connect(action.setEnabled)
        action.triggered.connect(group.redo)
        describe(group.redoText())
        action.setEnabled(group.canRedo())
    return action


def _print(window: MainWindow, preview: bool) -> None:
    from dom_desk.ui import printing  # on first use: Qt's print support stays off start-up

    if preview:
        printing.preview_page(window)
    else:
        printing.print_page(window)


def _import_framework(window: MainWindow) -> None:
    from dom_desk.ui.framework_dialog import import_framework_interactively  # on first use

    import_framework_interactively(window)


def make_actions(window: MainWindow) -> None:
    key = QKeySequence.StandardKey
    window.new_action = _action(window, window.tr("&New…"), window.new_file, key.New, "new")
    window.open_action = _action(
        window, window.tr("&Open…"), window.choose_and_open, key.Open, "open"
    )
    window.open_read_only_action = _action(
        window, window.tr("Open Read-&Only…"), lambda: window.choose_and_open(True)
    )
    window.open_demo_action = _action(window, window.tr("Open the &Demo Region"), window.open_demo)
    window.open_server_action = _action(
        window,
        window.tr("Open &Server Workbook…"),
        window.choose_and_open_server,
        None,
        "open_server",
    )
    window.open_server_action.setStatusTip(
        window.tr("Open a region on your team's DOM Desk server, shared with the team")
    )
    window.take_offline_action = _action(
        window, window.tr("Take O&ffline…"), window.take_offline, None, "take_offline"
    )
    window.take_offline_action.setStatusTip(
        window.tr("Keep a copy of the server region on this computer, to work without the network")
    )
    window.bring_online_action = _action(
        window,
        window.tr("Bring &Back Online…"),
        window.bring_back_online,
        None,
        "bring_online",
    )
    window.bring_online_action.setStatusTip(
        window.tr("Merge the changes made offline into the server region")
    )
    window.save_copy_action = _action(
        window, window.tr("Save a &Copy…"), window.save_copy, key.SaveAs, "save_copy"
    )
    window.plan_action = _action(
        window, window.tr("Commissioning &Plan…"), window.open_plan, "Ctrl+Shift+P", "plan"
    )
    window.print_action = _action(
        window, window.tr("P&rint…"), lambda: _print(window, False), key.Print, "print"
    )
    window.print_action.setStatusTip(window.tr("Print the table shown, on A4 landscape"))
    window.print_preview_action = _action(
        window,
        window.tr("Print Pre&view…"),
        lambda: _print(window, True),
        None,
        "print_preview",
    )
    window.print_preview_action.setStatusTip(
        window.tr("See the table shown as it will print, page by page")
    )
    window.import_returns_action = _action(
        window,
        window.tr("&Import Provider Returns…"),
        lambda: window.import_returns(),
        "Ctrl+I",
        "import_returns",
    )
    window.import_list_action = _action(
        window, window.tr("Import &List…"), lambda: _import_list(window), None, "import_list"
    )
    window.import_framework_action = _action(
        window,
        window.tr("Import Measure &Framework…"),
        lambda: _import_framework(window),
        None,
        "import_framework",
    )
    window.templates_action = _action(
        window,
        window.tr("Make Return &Templates…"),
        window.make_templates,
        "Ctrl+Shift+T",
        "templates",
    )
    window.check_action = _action(
        window, window.tr("&Check Workbook"), window.check_workbook, None, "check"
    )
    window.backups_action = _action(
        window, window.tr("&Backups and Restore…"), window.show_backups, None, "backups"
    )
    window.audit_action = _action(
        window, window.tr("&Audit Trail…"), window.show_audit_trail, None, "audit_trail"
    )
    window.history_action = _action(
        window, window.tr("&History of This Record…"), window.show_history, "Ctrl+H", "history"
    )
    window.close_action = _action(
        window, window.tr("&Close"), window.close_file, key.Close, "close"
    )
    window.quit_action = _action(window, window.tr("&Quit"), window.close, key.Quit, "quit")
    window.quit_action.setMenuRole(QAction.MenuRole.QuitRole)

    window.undo_action = _undo_action(window, undone=True)
    window.undo_action.setShortcuts(key.Undo)
    window.undo_action.setObjectName("undo")
    window.redo_action = _undo_action(window, undone=False)
    redo_keys = QKeySequence.keyBindings(key.Redo)
    if QKeySequence("Ctrl+Shift+Z") not in redo_keys:
        redo_keys.insert(0, QKeySequence("Ctrl+Shift+Z"))
    window.redo_action.setShortcuts(redo_keys)
    window.redo_action.setObjectName("redo")
    window.undo_action.triggered.connect(lambda: window._after_undo_redo(undone=True))
    window.redo_action.triggered.connect(lambda: window._after_undo_redo(undone=False))
    window.copy_action = _action(window, window.tr("&Copy"), window.copy, key.Copy, "copy")
    # Insert and Delete in a table do the same; these reach them from the menu.
    window.new_record_action = _action(
        window, window.tr("&New Record…"), window.new_record, None, "new_record"
    )
    window.delete_record_action = _action(
        window, window.tr("&Delete Record…"), window.delete_record, None, "delete_record"
    )
    window.filter_action = _action(
        window, window.tr("&Filter…"), window.focus_filter, key.Find, "filter"
    )
    window.find_action = _action(
        window,
        window.tr("Find in &Workbook…"),
        window.find_in_workbook,
        "Ctrl+K",
        "find_in_workbook",
    )
    window.find_action.setStatusTip(
        window.tr("Find any record of the workbook by its name, code or reference")
    )

    window.area_actions: dict[str, QAction] = {}
    window.area_group = QActionGroup(window)
    for number, area_key in enumerate(AREA_ORDER, start=1):
        action = _action(
            window,
            area_title(area_key),
            lambda _=False, k=area_key: window.show_area(k),
            f"Ctrl+{number % 10}" if number <= 10 else None,
            f"show_{area_key}",
        )
        action.setCheckable(True)
        window.area_group.addAction(action)
        window.area_actions[area_key] = action
    window.reload_action = _action(
        window, window.tr("Re&load from File"), window.reload, key.Refresh, "reload"
    )
    window.shortcuts_action = _action(
        window,
        window.tr("&Keyboard Shortcuts"),
        lambda: _show_shortcuts(window),
        key.HelpContents,
        "shortcuts",
    )
    window.about_action = _action(window, window.tr("&About DOM Desk"), window.about)
    window.about_action.setMenuRole(QAction.MenuRole.AboutRole)
    for action in window.findChildren(QAction):
        window.addAction(action)  # shortcuts work even with the menu bar hidden


def make_menus(window: MainWindow) -> None:
    bar = window.menuBar()
    file_menu = bar.addMenu(window.tr("&File"))
    file_menu.addAction(window.new_action)
    file_menu.addAction(window.open_action)
    file_menu.addAction(window.open_read_only_action)
    window.recent_menu = QMenu(window.tr("Open &Recent"), window)
    window.recent_menu.aboutToShow.connect(window._fill_recent_menu)
    file_menu.addMenu(window.recent_menu)
    file_menu.addAction(window.open_demo_action)
    file_menu.addAction(window.open_server_action)
    file_menu.addSeparator()
    file_menu.addAction(window.take_offline_action)
    file_menu.addAction(window.bring_online_action)
    file_menu.addSeparator()
    file_menu.addAction(window.save_copy_action)
    file_menu.addAction(window.plan_action)
    file_menu.addSeparator()
    file_menu.addAction(window.print_preview_action)
    file_menu.addAction(window.print_action)
    file_menu.addSeparator()
    file_menu.addAction(window.import_returns_action)
    file_menu.addAction(window.import_list_action)
    file_menu.addAction(window.import_framework_action)
    file_menu.addAction(window.templates_action)
    file_menu.addSeparator()
    file_menu.addAction(window.close_action)
    file_menu.addAction(window.quit_action)

    edit_menu = bar.addMenu(window.tr("&Edit"))
    edit_menu.addAction(window.undo_action)
    edit_menu.addAction(window.redo_action)
    edit_menu.addSeparator()
    edit_menu.addAction(window.copy_action)
    edit_menu.addAction(window.filter_action)
    edit_menu.addAction(window.find_action)
    edit_menu.addSeparator()
    edit_menu.addAction(window.new_record_action)
    edit_menu.addAction(window.delete_record_action)
    edit_menu.aboutToShow.connect(window._enable_record_actions)

    view_menu = bar.addMenu(window.tr("&View"))
    for action in window.area_actions.values():
        view_menu.addAction(action)
    view_menu.addSeparator()
    view_menu.addAction(window.reload_action)

    tools_menu = bar.addMenu(window.tr("&Tools"))
    tools_menu.addAction(window.check_action)
    tools_menu.addAction(window.backups_action)
    tools_menu.addSeparator()
    tools_menu.addAction(window.audit_action)
    tools_menu.addAction(window.history_action)

    help_menu = bar.addMenu(window.tr("&Help"))
    help_menu.addAction(window.shortcuts_action)
    help_menu.addAction(window.about_action)


def make_toolbar(window: MainWindow) -> None:
    toolbar = QToolBar(window.tr("Financial year"))
    toolbar.setObjectName("year_toolbar")
    toolbar.setMovable(False)
    label = QLabel(window.tr("Financial &year:"))
    window.year_combo = QComboBox()
    window.year_combo.setAccessibleName(window.tr("Financial year"))
    window.year_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    label.setBuddy(window.year_combo)
    window.year_combo.currentTextChanged.connect(window._year_chosen)
    toolbar.addWidget(label)
    toolbar.addWidget(window.year_combo)
    toolbar.addSeparator()
    toolbar.addAction(window.undo_action)
    toolbar.addAction(window.redo_action)
    window.addToolBar(toolbar)  # at the top
    window.year_toolbar = toolbar


def make_status_bar(window: MainWindow) -> None:
    bar = window.statusBar()
    window.file_label = QLabel()
    window.file_label.setAccessibleName(window.tr("Workbook file"))
    window.year_label = QLabel()
    window.year_label.setAccessibleName(window.tr("Financial year shown"))
    window.mode_label = QLabel()
    window.mode_label.setAccessibleName(window.tr("Editing mode"))
    for label in (window.file_label, window.year_label, window.mode_label):
        label.setFrameShape(QFrame.Shape.StyledPanel)
        label.setFrameShadow(QFrame.Shadow.Sunken)
        bar.addPermanentWidget(label)
