"""The keyboard behaviour of every grid: the highlight follows the current cell, and the
selection as the user sees it (header order, hidden columns left out)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QTableView, QWidget

from dom_desk.domain.paste import Selection
from dom_desk.ui.grid.roles import Index
from dom_desk.ui.row_height import compact_rows

#: Keys that move the current cell of a table.
_MOVES = frozenset(
    {
        Qt.Key.Key_Up,
        Qt.Key.Key_Down,
        Qt.Key.Key_Left,
        Qt.Key.Key_Right,
        Qt.Key.Key_Home,
        Qt.Key.Key_End,
        Qt.Key.Key_PageUp,
        Qt.Key.Key_PageDown,
        Qt.Key.Key_Tab,
        Qt.Key.Key_Backtab,
    }
)


#: Rows one line of text high with a little air (defined where the Overview can reach it).
compact = compact_rows


def shown_columns(table: QTableView) -> list[int]:
    """A table's model columns as shown: in header order, hidden ones left out."""
    header = table.horizontalHeader()
    logical = [header.logicalIndex(v) for v in range(header.count())]
    return [c for c in logical if not header.isSectionHidden(c)]


def shown_selection(table: QTableView) -> Selection | None:
    """The selected rectangle of a table in what is shown (view rows, shown columns), or
    the current cell when nothing is selected."""
    indexes = table.selectionModel().selectedIndexes()
    if not indexes and table.currentIndex().isValid():
        indexes = [table.currentIndex()]
    place = {c: i for i, c in enumerate(shown_columns(table))}
    cells = [(i.row(), place[i.column()]) for i in indexes if i.column() in place]
    return Selection.around(cells) if cells else None


class KeyboardTableView(QTableView):
    """A table whose highlight always follows the current cell.

    With several cells selectable, Qt moves only the current cell on Ctrl+arrow (and
    Ctrl+Tab, Ctrl+Home, Ctrl+PageDown...), leaving the highlight behind: a detail pane
    or a copy would then act on another record than the one highlighted. Here those keys
    select as they do without Ctrl (Ctrl+Shift extends the selection, as Shift does).

    Tab leaves the table, so keyboard users are never trapped in it; Ctrl+Tab (and
    Ctrl+Shift+Tab) moves to the next (previous) cell instead.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabKeyNavigation(False)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if (
            event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
            and not self.tabKeyNavigation()
        ):
            # Qt moves between cells on Tab only with tab navigation on: on for this key.
            self.setTabKeyNavigation(True)
            try:
                super().keyPressEvent(event)
            finally:
                self.setTabKeyNavigation(False)
            return
        super().keyPressEvent(event)

    def selectionCommand(
        self, index: Index, event: QEvent | None = None
    ) -> QItemSelectionModel.SelectionFlag:
        if (
            isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in _MOVES
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            event = QKeyEvent(
                event.type(),
                event.key(),
                event.modifiers() & ~Qt.KeyboardModifier.ControlModifier,
                event.text(),
            )
        return super().selectionCommand(index, event)
