"""The one spreadsheet view: keyboard editing, copy and paste with Excel, fill down,
sort and filter, export to xlsx, every edit one undo step.

Thin Qt glue over ``dom_desk.domain.paste``: the view gathers the rows in the order shown
and the selected rectangle, the domain parses, lays out and checks the whole paste, and
only a paste with no problem becomes one batch of edits handed to the model's ``apply``
(which pushes one undo command).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import QAbstractItemDelegate, QAbstractItemView, QHeaderView, QWidget

from dom_desk.domain import paste
from dom_desk.domain.paste import Selection
from dom_desk.domain.tables import Column, FieldEdit, Row
from dom_desk.domain.values import edit_text
from dom_desk.errors import DomDeskError
from dom_desk.ui.background import Failure, Runner
from dom_desk.ui.grid.delegate import ChoiceDelegate
from dom_desk.ui.grid.fitting import ColumnFitter
from dom_desk.ui.grid.keyboard import KeyboardTableView, compact, shown_columns, shown_selection
from dom_desk.ui.grid.model import GridModel
from dom_desk.ui.grid.proxy import GridSortProxy
from dom_desk.ui.grid.roles import IdRole
from dom_desk.ui.messages import messages


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
        *,
        enter_moves_down: bool = True,
    ) -> None:
        super().__init__(parent)
        self.grid = model
        #: Enter moves down a row after saving a cell; off where a detail pane beside the
        #: grid should go on showing the record just edited.
        self.enter_moves_down = enter_moves_down
        self.title = title
        self.setObjectName(name)
        self.setAccessibleName(title)
        self.proxy = GridSortProxy(self)
        self.proxy.setSourceModel(model)
        self.setModel(self.proxy)
        self.setItemDelegate(ChoiceDelegate(model, self))
        self.setSortingEnabled(sortable)
        if sortable:
            self.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the file's own order
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.horizontalHeader().setHighlightSections(False)
        self.horizontalHeader().setStretchLastSection(True)
        compact(self)
        self.runner = Runner(self)
        self.fitter = ColumnFitter(self)
        self._kept: tuple[int, int] | None = None
        self._refused = False
        model.modelAboutToBeReset.connect(self._remember_current)
        model.modelReset.connect(self.fitter.rows_replaced)
        model.modelReset.connect(self._restore_current)
        model.dataChanged.connect(self.fitter.figures_changed)  # new figures in place
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
            action.triggered.connect(slot)
            self.addAction(action)

    def _remember_current(self) -> None:
        index = self.currentIndex()
        self._kept = (index.data(IdRole), index.column()) if index.isValid() else None

    def _restore_current(self) -> None:
        """After new rows, the same record and column stay current (a reload after each
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

    # -- column widths --------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.fitter.shown()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # The first fit may come before the page is laid out at its real size.
        if event.size().width() != event.oldSize().width():
            self.fitter.width_changed()

    def fit_columns(self) -> None:
        """Columns fitted to their contents and the table's width, now."""
        self.fitter.fit()

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
            [self.grid.table_row(r, columns) for r in self.view_rows()],
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
        if (
            self.enter_moves_down
            and hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache
            and not refused
        ):
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
            and self._handled(event)  # type: ignore[arg-type]
        ):
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

    def copy_text(self) -> str:
        """The selected cells (or the current one) as Excel's clipboard text: the rows and
        columns that hold a selected cell, in the order shown, figures plain; a cell of
        those that is not selected is left blank."""
        indexes = self.selectionModel().selectedIndexes()
        if not indexes and self.currentIndex().isValid():
            indexes = [self.currentIndex()]
        place = {c: i for i, c in enumerate(self.view_columns())}
        chosen = {(i.row(), place[i.column()]) for i in indexes if i.column() in place}
        if not chosen:
            return ""
        columns, rows = self.shown_grid()
        across = sorted({c for _r, c in chosen})
        block = [
            [
                edit_text(columns[c].kind, rows[r].values[c]) if (r, c) in chosen else ""
                for c in across
            ]
            for r in sorted({r for r, _c in chosen})
        ]
        return paste.to_tsv(block)

    def copy(self) -> None:
        text = self.copy_text()
        if text:
            QGuiApplication.clipboard().setText(text)

    def paste(self) -> bool:
        """Pastes tab-separated text (from Excel) at the selection: all cells or none."""
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
        """Copies the top selected row into the selected rows below it (Ctrl+D)."""
        return self._apply_planned(
            lambda columns, rows, selection, label, check: paste.plan_fill_down(
                columns, rows, selection, label=label, check=check
            ),
            self.tr("fill down in {0}"),
        )

    def _apply_planned(self, plan: Callable[..., list[FieldEdit]], text: str) -> bool:
        grid = self.grid
        if grid.apply is None or not grid.editable:
            messages.error(self, grid.not_editable_text(self.title))
            return False
        selection = self.selection()
        if selection is None:
            messages.error(self, self.tr("Select the cell to paste into first."))
            return False
        columns, rows = self.shown_grid()
        # The page's label and checks read whole rows: hand them the rows as stored.
        whole = {r.id: r for r in grid.rows}
        check = grid.check
        try:
            edits = plan(
                columns,
                rows,
                selection,
                lambda row: grid.label(whole[row.id]),
                None
                if check is None
                else (lambda row, column, value, where: check(whole[row.id], column, value, where)),
            )
        except DomDeskError as exc:
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
