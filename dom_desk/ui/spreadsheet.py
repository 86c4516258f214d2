"""Tables that work like a spreadsheet: keyboard editing, copy and paste with Excel, fill
down, sort and filter, export to xlsx, every edit one undo step.

Thin Qt glue over ``dom_desk.domain.paste``: the view gathers the rows in the order shown
and the selected rectangle, the domain parses, lays out and checks the whole paste, and
only a paste with no problem becomes one batch of edits handed to the page's ``apply``
(which pushes one undo command). Any page can use a :class:`SpreadsheetView` over a
:class:`GridModel` of ``tables.Column`` and ``tables.Row``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QFont,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHeaderView,
    QTableView,
    QWidget,
)

from dom_desk.domain import paste
from dom_desk.domain.paste import CellCheck, PasteError, RowLabel, Selection
from dom_desk.domain.tables import Column, FieldEdit, Row
from dom_desk.domain.values import edit_text, format_value, sort_key
from dom_desk.errors import ValidationError
from dom_desk.ui.background import Failure, Runner
from dom_desk.ui.messages import messages
from dom_desk.ui.table_model import editing_view, return_to_cell, two_lines

SortRole = Qt.ItemDataRole.UserRole + 11
IdRole = Qt.ItemDataRole.UserRole + 12

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
#: Put before a marked cell's text, so a change shows without relying on colour.
MARK = "* "
#: Widest a column is made when fitted to its contents, in average character widths.
MAX_COLUMN_CHARS = 30
#: Narrowest a text column is squeezed to make room for the figures.
MIN_COLUMN_CHARS = 10

Index = QModelIndex | QPersistentModelIndex
#: Writes a batch of edits as one undo step; returns False if it was refused.
Apply = Callable[[list[FieldEdit], str], bool]
#: A note for a cell that should be marked (changed in a scenario), or None.
Mark = Callable[[Row, Column], str | None]


def _first_text(row: Row) -> str:
    return str(row.values[0]) if row.values else ""


class GridModel(QAbstractTableModel):
    """Rows of typed values under typed columns; edits go to ``apply``, never to a file."""

    #: A typed cell was refused (and the user told why).
    refused = Signal()

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        label: RowLabel = _first_text,
        check: CellCheck | None = None,
        apply: Apply | None = None,
        cell_editable: Callable[[Row, Column], bool] | None = None,
        mark: Mark | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self.rows: list[Row] = []
        self._row_of_id: dict[int, int] = {}
        self.label = label
        self.check = check
        self.apply = apply
        self.cell_editable = cell_editable
        self.mark = mark
        self._bold = QFont()
        self._bold.setBold(True)

    def set_rows(self, rows: Sequence[Row]) -> None:
        """Shows ``rows``. The same records in the same order (figures re-read after an
        edit) are updated in place: a reset would close the cell editor that is still
        saving, and with it the table's keyboard focus."""
        rows = list(rows)
        if [r.id for r in rows] == [r.id for r in self.rows]:
            self.rows = rows
            if rows:
                self.dataChanged.emit(
                    self.index(0, 0), self.index(len(rows) - 1, len(self.columns) - 1)
                )
            return
        self.beginResetModel()
        self.rows = rows
        self._row_of_id = {row.id: i for i, row in enumerate(self.rows)}
        self.endResetModel()

    def position_of(self, row_id: int) -> int | None:
        return self._row_of_id.get(row_id)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def value(self, index: Index) -> Any:
        return self.rows[index.row()].values[index.column()]

    def _note(self, index: Index) -> str | None:
        if self.mark is None:
            return None
        return self.mark(self.rows[index.row()], self.columns[index.column()])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return None
        column = self.columns[index.column()]
        value = self.value(index)
        if role == Qt.ItemDataRole.DisplayRole:
            text = format_value(column.kind, value)
            return MARK + text if self._note(index) else text
        if role == Qt.ItemDataRole.EditRole:
            return edit_text(column.kind, value)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleDescriptionRole):
            note = self._note(index)
            if note:
                return note
            if not self._editable(index) and column.editable and self.apply is not None:
                return self.tr("Not editable here")
            if not column.kind.numeric and role == Qt.ItemDataRole.ToolTipRole:
                return format_value(column.kind, value) or None  # the whole of a cut text
            return None
        if role == Qt.ItemDataRole.FontRole and self._note(index):
            return self._bold
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column.kind.numeric else _LEFT
        if role == SortRole:
            return value
        if role == IdRole:
            return self.rows[index.row()].id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            column = self.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                # Figures are narrower than titles like "Provisional in scenario": wrapped,
                # so the names beside them keep the width.
                return two_lines(column.title) if column.kind.numeric else column.title
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return _RIGHT if column.kind.numeric else _LEFT
            if role == Qt.ItemDataRole.ToolTipRole:
                return column.title
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def _editable(self, index: Index) -> bool:
        column = self.columns[index.column()]
        if self.apply is None or not column.editable:
            return False
        return self.cell_editable is None or self.cell_editable(self.rows[index.row()], column)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._editable(index):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """A typed cell: checked like a one-cell paste, written as one undo step."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.apply is None:
            return False
        text = "" if value is None else str(value)
        view = editing_view(self)
        try:
            edits = paste.plan_cells(
                self.columns,
                self.rows,
                {(index.row(), index.column()): text},
                label=self.label,
                check=self.check,
            )
        except PasteError as exc:
            messages.error(view, exc.problems[0] if len(exc.problems) == 1 else str(exc))
            return self._refuse(view, index)
        if not edits:
            return True
        column = self.columns[index.column()]
        if self.apply(
            edits,
            self.tr("edit {0} of {1}").format(column.title, self.label(self.rows[index.row()])),
        ):
            return True
        return self._refuse(view, index)  # the write was refused (and explained)

    def _refuse(self, view: QAbstractItemView | None, index: Index) -> bool:
        self.refused.emit()
        return_to_cell(view, self, index)
        return False


class GridSortProxy(QSortFilterProxyModel):
    """Sorts on raw values (empty last, not on display text); filters every column."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SortRole)
        self.setFilterKeyColumn(-1)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        self._row_filter: Callable[[Row], bool] | None = None

    def set_row_filter(self, keep: Callable[[Row], bool] | None) -> None:
        """Shows only the rows ``keep`` accepts (on raw values, beside the text filter)."""
        self._row_filter = keep
        self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        source = self.sourceModel()
        if (
            self._row_filter is not None
            and isinstance(source, GridModel)
            and not self._row_filter(source.rows[source_row])
        ):
            return False
        return super().filterAcceptsRow(source_row, source_parent)

    def lessThan(self, left: Index, right: Index) -> bool:
        a = sort_key(left.data(SortRole))
        b = sort_key(right.data(SortRole))
        try:
            return a < b
        except TypeError:
            return str(a) < str(b)


def compact(table: QTableView) -> None:
    height = int(table.fontMetrics().lineSpacing() * 1.5)
    header = table.verticalHeader()
    header.setMinimumSectionSize(height)
    header.setDefaultSectionSize(height)


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


class KeyboardTableView(QTableView):
    """A table whose highlight always follows the current cell.

    With several cells selectable, Qt moves only the current cell on Ctrl+arrow (and
    Ctrl+Tab, Ctrl+Home, Ctrl+PageDown...), leaving the highlight behind: a detail pane
    or a copy would then act on another record than the one highlighted. Here those keys
    select as they do without Ctrl (Ctrl+Shift extends the selection, as Shift does).
    """

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


class SpreadsheetView(KeyboardTableView):
    """A sortable, filterable table with Ctrl+C, Ctrl+V and Ctrl+D that round-trip with
    Excel as tab-separated text, and Export to Excel in its context menu."""

    #: An export finished: the path written.
    exported = Signal(str)

    FILL_DOWN = QKeySequence("Ctrl+D")

    def __init__(
        self,
        model: GridModel,
        name: str,
        title: str,
        sortable: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.grid = model
        self.title = title
        self.setObjectName(name)
        self.setAccessibleName(title)
        self.proxy = GridSortProxy(self)
        self.proxy.setSourceModel(model)
        self.setModel(self.proxy)
        self.setSortingEnabled(sortable)
        if sortable:
            self.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.horizontalHeader().setHighlightSections(False)
        self.horizontalHeader().setStretchLastSection(False)
        compact(self)
        self.runner = Runner(self)
        self._fitted = False
        self._fit_pending = False
        self._fitting = False
        self._user_sized = False
        self.horizontalHeader().sectionResized.connect(self._section_resized)
        self._kept: tuple[int, int] | None = None
        self._refused = False
        model.modelAboutToBeReset.connect(self._remember_current)
        model.modelReset.connect(self._fit_once)
        model.modelReset.connect(self._restore_current)
        model.dataChanged.connect(self._fit_once)  # new figures in place
        model.refused.connect(self._note_refused)
        self._add_menu()
        self._add_header_menu()

    def _add_menu(self) -> None:
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for text, slot, keys in (
            (self.tr("Copy"), self.copy, QKeySequence(QKeySequence.StandardKey.Copy)),
            (self.tr("Paste"), self.paste, QKeySequence(QKeySequence.StandardKey.Paste)),
            (self.tr("Fill Down"), self.fill_down, self.FILL_DOWN),
            (self.tr("Export to Excel…"), self.export, None),
        ):
            action = QAction(text, self)
            if keys is not None:
                # Shown in the menu; the keys themselves are handled in keyPressEvent so
                # they never clash with the window's own Copy.
                action.setShortcut(keys)
                action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
                action.setEnabled(True)
            action.triggered.connect(slot)
            self.addAction(action)

    def _remember_current(self) -> None:
        index = self.currentIndex()
        self._kept = (index.data(IdRole), index.column()) if index.isValid() else None

    def _restore_current(self) -> None:
        """After new figures, the same record and column stay current (a reload after each
        edit must not lose the user's place)."""
        if self._kept is None:
            return
        row_id, column = self._kept
        position = self.grid.position_of(row_id)
        if position is not None:
            index = self.proxy.mapFromSource(self.grid.index(position, column))
            if index.isValid():
                self.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                )

    def _fit_once(self) -> None:
        # Fitting measures every shown cell: done when the table is on screen, not before.
        self._fit_pending = True
        if self.isVisible():
            self._fit_now()

    def _fit_now(self) -> None:
        if not self._fit_pending or not self.grid.rows:
            return
        self._fit_pending = False
        if not self._fitted:
            self._fitted = True
            self.fit_columns()
        else:
            self._widen_columns()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_now()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # Until the user sizes a column, the fit follows the table's width (the first
        # fit may come before the page is laid out at its real size).
        if (
            self._fitted
            and not self._user_sized
            and event.size().width() != event.oldSize().width()
        ):
            self.fit_columns()

    def _section_resized(self) -> None:
        # A drag on a column edge (a mouse button held), not a fit or a hidden column.
        if not self._fitting and QGuiApplication.mouseButtons() != Qt.MouseButton.NoButton:
            self._user_sized = True

    def fit_columns(self) -> None:
        """Columns sized to their contents, none wider than MAX_COLUMN_CHARS; when that is
        wider than the view, text columns give up width (figures never do) down to
        MIN_COLUMN_CHARS, so the figures stay in sight."""
        self._fitting = True
        try:
            self._fit_columns()
        finally:
            self._fitting = False

    def _fit_columns(self) -> None:
        self.resizeColumnsToContents()
        char = self.fontMetrics().averageCharWidth()
        header = self.horizontalHeader()
        wanted = [
            0 if header.isSectionHidden(s) else header.sectionSize(s) for s in range(header.count())
        ]
        widths = [min(w, char * MAX_COLUMN_CHARS) for w in wanted]
        floor = char * MIN_COLUMN_CHARS
        text = [
            s
            for s, c in enumerate(self.grid.columns)
            if not c.kind.numeric and widths[s] > floor and not header.isSectionHidden(s)
        ]
        for s in range(header.count()):
            if header.isSectionHidden(s):
                widths[s] = 0
        # Leave room for a vertical scroll bar that may appear once rows are shown.
        bar = (
            0
            if self.verticalScrollBar().isVisible()
            else self.verticalScrollBar().sizeHint().width()
        )
        room = max(self.viewport().width() - bar, char * 100)
        excess = sum(widths) - room
        spare = sum(widths[s] - floor for s in text)
        short = sum(w - c for w, c in zip(wanted, widths, strict=True))
        if excess < 0 and short > 0:  # room to spare: first to the columns the cap cut short
            share = min(1.0, -excess / short)
            widths = [c + int((w - c) * share) for w, c in zip(wanted, widths, strict=True)]
        elif excess > 0 and spare > 0:
            cut = min(1.0, excess / spare)
            for s in text:
                widths[s] -= math.ceil((widths[s] - floor) * cut)  # round to fit, not over
        for section, width in enumerate(widths):
            if not header.isSectionHidden(section):
                header.resizeSection(section, width)

    def _widen_columns(self) -> None:
        """After new figures: widen any column they no longer fit (never narrow one)."""
        widest = self.fontMetrics().averageCharWidth() * MAX_COLUMN_CHARS
        header = self.horizontalHeader()
        self._fitting = True
        try:
            for section in range(header.count()):
                if header.isSectionHidden(section):
                    continue
                wanted = min(
                    max(self.sizeHintForColumn(section), header.sectionSizeHint(section)), widest
                )
                if header.sectionSize(section) < wanted:
                    header.resizeSection(section, wanted)
        finally:
            self._fitting = False

    # -- rows and selection in the order shown ------------------------------------------

    def view_rows(self) -> list[Row]:
        return [
            self.grid.rows[self.proxy.mapToSource(self.proxy.index(r, 0)).row()]
            for r in range(self.proxy.rowCount())
        ]

    def view_columns(self) -> list[int]:
        """The model's columns as shown: in header order, hidden ones left out."""
        return shown_columns(self)

    def shown_grid(self) -> tuple[list[Column], list[Row]]:
        """What the user sees, as columns and rows: what copy, paste and export work on."""
        columns = self.view_columns()
        return (
            [self.grid.columns[c] for c in columns],
            [Row(r.id, r.version, tuple(r.values[c] for c in columns)) for r in self.view_rows()],
        )

    def selection(self) -> Selection | None:
        """The selected rectangle in what is shown (view rows, shown columns)."""
        return shown_selection(self)

    def hide_columns(self, keys: set[str]) -> None:
        for index, column in enumerate(self.grid.columns):
            self.setColumnHidden(index, column.key in keys)

    def _add_header_menu(self) -> None:
        """Right-click a column title to show or hide columns."""
        header = self.horizontalHeader()
        header.setSectionsMovable(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for index, column in enumerate(self.grid.columns):
            action = QAction(column.title, header)
            action.setCheckable(True)
            action.setChecked(True)
            action.toggled.connect(lambda on, i=index: self.setColumnHidden(i, not on))
            header.addAction(action)

    def setColumnHidden(self, column: int, hide: bool) -> None:
        super().setColumnHidden(column, hide)
        actions = self.horizontalHeader().actions()
        if column < len(actions) and actions[column].isChecked() == hide:
            actions[column].blockSignals(True)
            actions[column].setChecked(not hide)
            actions[column].blockSignals(False)

    # -- typing, row after row ----------------------------------------------------------

    def _note_refused(self) -> None:
        self._refused = True

    def commitData(self, editor: QWidget) -> None:
        self._refused = False
        super().commitData(editor)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        """Enter saves the cell and moves down a row, as in Excel, so figures can be
        typed one after another; a refused cell stays current to be put right."""
        refused, self._refused = self._refused, False
        super().closeEditor(editor, hint)
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache and not refused:
            current = self.currentIndex()
            below = current.siblingAtRow(current.row() + 1)
            if below.isValid():
                self.selectionModel().setCurrentIndex(
                    below, QItemSelectionModel.SelectionFlag.ClearAndSelect
                )
                self.scrollTo(below)

    # -- keys ---------------------------------------------------------------------------

    def _handled(self, event: QKeyEvent) -> Callable[[], Any] | None:
        if event.matches(QKeySequence.StandardKey.Copy):
            return self.copy
        if event.matches(QKeySequence.StandardKey.Paste):
            return self.paste
        if QKeySequence(event.keyCombination()) == self.FILL_DOWN:
            return self.fill_down
        return None

    def event(self, event: QEvent) -> bool:
        # Claim our keys before window-wide shortcuts (the main window's Copy) see them.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and self.state() != QAbstractItemView.State.EditingState
            and self._handled(event)
        ):  # type: ignore[arg-type]
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        handler = (
            self._handled(event) if self.state() != QAbstractItemView.State.EditingState else None
        )
        if handler is not None:
            handler()
            event.accept()
            return
        super().keyPressEvent(event)

    # -- copy, paste, fill down ---------------------------------------------------------

    def copy(self) -> None:
        selection = self.selection()
        if selection is not None:
            columns, rows = self.shown_grid()
            QGuiApplication.clipboard().setText(paste.copy_text(columns, rows, selection))

    def paste(self) -> bool:
        return self._apply_planned(
            lambda columns, rows, selection, label, check: paste.plan_paste(
                columns,
                rows,
                selection,
                QGuiApplication.clipboard().text(),
                label=label,
                check=check,
            ),
            self.tr("paste into {0}"),
        )

    def fill_down(self) -> bool:
        return self._apply_planned(
            lambda columns, rows, selection, label, check: paste.plan_fill_down(
                columns, rows, selection, label=label, check=check
            ),
            self.tr("fill down in {0}"),
        )

    def _apply_planned(self, plan: Callable[..., list[FieldEdit]], text: str) -> bool:
        if self.grid.apply is None:
            messages.error(self, self.tr("{0} cannot be edited here.").format(self.title))
            return False
        selection = self.selection()
        if selection is None:
            messages.error(self, self.tr("Select the cell to paste into first."))
            return False
        columns, rows = self.shown_grid()
        # The page's label and checks read whole rows: hand them the rows as stored.
        whole = {r.id: r for r in self.grid.rows}
        grid = self.grid
        check = (
            None
            if grid.check is None
            else (lambda row, column, value, where: grid.check(whole[row.id], column, value, where))
        )
        try:
            edits = plan(columns, rows, selection, lambda row: grid.label(whole[row.id]), check)
        except ValidationError as exc:
            messages.error(self, str(exc))
            return False
        if not edits:
            return True
        return grid.apply(edits, text.format(self.title.lower()))

    # -- export -------------------------------------------------------------------------

    def export(self) -> None:
        """Asks where, then writes the rows shown, in the order shown, to an xlsx file."""
        path = messages.save_xlsx_path(
            self, self.tr("Export {0} to Excel").format(self.title), Path(f"{self.title}.xlsx")
        )
        if path is not None:
            self.export_to(path)

    def export_to(self, path: Path) -> None:
        """Writes the xlsx on a worker thread; ``exported`` or an error message follows."""
        self.setCursor(Qt.CursorShape.BusyCursor)
        columns, rows = self.shown_grid()
        self.runner.start(
            export_rows,
            path,
            self.title,
            columns,
            rows,
            done=self._exported,
            failed=self._export_failed,
        )

    def _exported(self, path: Path) -> None:
        self.unsetCursor()
        self.exported.emit(str(path))

    def _export_failed(self, failure: Failure) -> None:
        self.unsetCursor()
        messages.failure(self, failure.error, failure.details)


def export_rows(path: Path, title: str, columns: Sequence[Column], rows: Sequence[Row]) -> Path:
    """Writes rows to xlsx (runs on a worker thread: plain data only, no widgets)."""
    from dom_desk.exports.table_sheets import export_table

    return export_table(path, title, columns, rows)
