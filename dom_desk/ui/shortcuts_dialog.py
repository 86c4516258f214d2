"""Help ▸ Keyboard Shortcuts: each of the window's commands with a key, once, grouped by
the menu it is in, then the keys every table understands.

Keys are shown as this platform writes them (``NativeText``: Ctrl+Shift+S here, ⇧⌘S on
a Mac). A platform-standard key can bind keys few keyboards have (Sun's F14 Undo and F16
Copy, the media keyboards' Save or Copy keys): those still work but are not listed, so
each line names keys a user can press.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

KeySpec = str | QKeySequence.StandardKey

#: The keys every table understands (their actions belong to each table, not the window).
TABLE_KEYS: tuple[tuple[str, tuple[KeySpec, ...]], ...] = (
    ("Edit the cell (or just type); Enter saves, Esc cancels", ("F2",)),
    ("Copy the selected cells, to paste into Excel", (QKeySequence.StandardKey.Copy,)),
    ("Paste cells copied from Excel", (QKeySequence.StandardKey.Paste,)),
    ("Fill down from the top selected cell", ("Ctrl+D",)),
    ("Add a record (or a line)", ("Ins",)),
    ("Delete the selected record (after asking)", (QKeySequence.StandardKey.Delete,)),
    ("To the detail pane (allocation grids: the next cell)", ("Tab",)),
    ("Move the selected priority up / down", ("Alt+Up", "Alt+Down")),
    ("In a filter box: clear it", ("Esc",)),
)

#: The group heading of the table keys, and of window keys in no menu.
TABLE_GROUP = "In a table"
OTHER_GROUP = "Other"


@dataclass(frozen=True)
class ShortcutLine:
    """One command: the group it is listed under, its name and all its keys."""

    group: str
    command: str
    keys: str


def _pressable(sequence: QKeySequence) -> bool:
    """False for keys beyond an ordinary keyboard: F13 to F35, and the special keys
    (Help, Copy, Save, Undo, media keys) Qt numbers after the Super and Menu keys."""
    if sequence.isEmpty():
        return False
    for i in range(sequence.count()):
        key = sequence[i].key().value
        if Qt.Key.Key_F13.value <= key <= Qt.Key.Key_F35.value:
            return False
        if Qt.Key.Key_Super_L.value <= key <= Qt.Key.Key_unknown.value:
            return False
    return True


def readable_keys(sequences: Iterable[QKeySequence]) -> list[str]:
    """The keys a user can press, in this platform's words, each once, in order."""
    shown: list[str] = []
    for sequence in sequences:
        if not _pressable(sequence):
            continue
        text = sequence.toString(QKeySequence.SequenceFormat.NativeText)
        if text and text not in shown:
            shown.append(text)
    return shown


def _sequences(spec: KeySpec) -> list[QKeySequence]:
    if isinstance(spec, QKeySequence.StandardKey):
        return list(QKeySequence.keyBindings(spec))
    return [QKeySequence(spec)]


def command_name(action: QAction) -> str:
    """The action's short name: its icon text (Undo and Redo keep theirs short), without
    the mnemonic or the trailing ellipsis."""
    name = action.iconText() or action.text()
    return name.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("….").strip()


def _menu_actions(menu: QMenu) -> list[QAction]:
    found: list[QAction] = []
    for action in menu.actions():
        if action.menu() is not None:
            found.extend(_menu_actions(action.menu()))
        elif not action.isSeparator():
            found.append(action)
    return found


def command_lines(window: QMainWindow) -> list[ShortcutLine]:
    """Every command of the window with a key a user can press, once, under the menu it
    is in (in the menus' order), then those in no menu, then the keys of the tables."""
    lines: list[ShortcutLine] = []
    seen: set[QAction] = set()

    def add(group: str, action: QAction) -> None:
        if action in seen:
            return
        keys = readable_keys(action.shortcuts())
        if keys and command_name(action):
            seen.add(action)
            lines.append(ShortcutLine(group, command_name(action), ", ".join(keys)))

    for entry in window.menuBar().actions():
        menu = entry.menu()
        if menu is None:
            continue
        group = entry.text().replace("&", "")
        for action in _menu_actions(menu):
            add(group, action)
    for action in window.actions():
        add(OTHER_GROUP, action)
    for what, specs in TABLE_KEYS:
        keys = readable_keys(s for spec in specs for s in _sequences(spec))
        if keys:
            lines.append(ShortcutLine(TABLE_GROUP, what, ", ".join(keys)))
    return lines


class ShortcutsDialog(QDialog):
    """The list of keys, grouped, filterable, no taller than the screen it is on."""

    def __init__(self, window: QMainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.setObjectName("shortcuts_dialog")
        self.setWindowTitle(self.tr("Keyboard Shortcuts"))
        self.lines = command_lines(window)

        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("Type to find a command or a key"))
        self.filter.setClearButtonEnabled(True)
        self.filter.setAccessibleName(self.tr("Find a shortcut"))
        self.filter.textChanged.connect(self.apply_filter)
        label = QLabel(self.tr("&Find:"))
        label.setBuddy(self.filter)

        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([self.tr("Command"), self.tr("Keys")])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setAccessibleName(self.tr("Keyboard shortcuts"))
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.groups: dict[str, QTreeWidgetItem] = {}
        for line in self.lines:
            group = self.groups.get(line.group)
            if group is None:
                group = QTreeWidgetItem(self.tree, [line.group])
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                group.setFirstColumnSpanned(True)
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.groups[line.group] = group
            item = QTreeWidgetItem(group, [line.command, line.keys])
            item.setToolTip(0, line.command)
        self.tree.expandAll()
        self.tree.setItemsExpandable(False)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)

        layout = QVBoxLayout(self)
        find_row = QHBoxLayout()
        find_row.addWidget(label)
        find_row.addWidget(self.filter)
        layout.addLayout(find_row)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        self._fit_screen(window)
        self.filter.setFocus()

    def _fit_screen(self, window: QWidget) -> None:
        """About 660 by 560 pixels, never more than 85% of the available screen: the
        list scrolls and the OK button stays on screen."""
        screen = window.screen() or QGuiApplication.primaryScreen()
        area = screen.availableGeometry()
        width = min(660, int(area.width() * 0.85))
        height = min(560, int(area.height() * 0.85))
        self.setMaximumHeight(area.height() - 40)  # room for the title bar
        self.resize(width, height)

    def visible_commands(self) -> list[ShortcutLine]:
        """The lines the filter leaves shown, in order."""
        shown: list[ShortcutLine] = []
        index = 0
        for g in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(g)
            for c in range(group.childCount()):
                if not group.isHidden() and not group.child(c).isHidden():
                    shown.append(self.lines[index])
                index += 1
        return shown

    def apply_filter(self, text: str) -> None:
        """Shows the commands whose name, keys or group hold every word typed."""
        words = text.casefold().split()
        for g in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(g)
            any_shown = False
            for c in range(group.childCount()):
                item = group.child(c)
                haystack = " ".join((group.text(0), item.text(0), item.text(1))).casefold()
                hide = not all(w in haystack for w in words)
                item.setHidden(hide)
                any_shown = any_shown or not hide
            group.setHidden(not any_shown)
