"""One area of the workbook: a filter, the area's grid and the selected row's details.

The grid is the window's one spreadsheet view (``ui.grid``): its columns fit themselves
until the user sizes one, and copy, paste, fill down and export work as on every grid.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from dom_desk.domain import paste
from dom_desk.domain.tables import AREAS, Area, Column, FieldEdit, Row, update_fields
from dom_desk.errors import DomDeskError
from dom_desk.ui import state
from dom_desk.ui.area_records import RecordActions
from dom_desk.ui.detail_pane import DetailPane
from dom_desk.ui.grid import AreaTableModel, IdRole, SpreadsheetView
from dom_desk.ui.messages import messages
from dom_desk.ui.undo import push

#: What one row of an area is called in "12 of 40 providers".
ROW_NOUNS = {"performance": "results"}
#: The detail pane's share of the page's width when no layout was saved.
DETAIL_SHARE = 0.26


class AreaPage(RecordActions, QWidget):
    """An area's rows. Loaded when first shown; reloaded when marked stale."""

    #: The "12 of 40 providers" text, after a load or a change of filter.
    countChanged = Signal(str)
    #: An export to Excel was written: its path.
    exported = Signal(str)

    def __init__(self, area: Area, workspace: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.area = area
        self.workspace = workspace
        self.stale = True
        self._view_restored = False
        self._split_pending = False

        self.model = AreaTableModel(area, workspace, self)
        self.model.apply = self.apply_edits

        self.filter = QLineEdit()
        self.filter.setClearButtonEnabled(True)
        self.filter.setPlaceholderText(self.tr("Filter {0} (Ctrl+F)").format(area.title.lower()))
        self.filter.setAccessibleName(self.tr("Filter {0}").format(area.title.lower()))
        self.filter.textChanged.connect(self._filter_changed)
        # Enter goes to the rows found; Escape clears the filter.
        self.filter.returnPressed.connect(
            lambda: self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        )
        clear = QAction(self.tr("Clear filter"), self.filter)
        clear.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        clear.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        clear.triggered.connect(self.filter.clear)
        self.filter.addAction(clear)
        self.count = QLabel()
        self.count.setAccessibleName(self.tr("Rows shown"))

        # The detail pane goes on showing the record just typed into: Enter stays put.
        self.table = SpreadsheetView(
            self.model, f"{area.key}_table", area.title, enter_moves_down=False
        )
        self.table.setAccessibleName(self.tr("{0} table").format(area.title))
        self.table.exported.connect(self._exported)
        self.proxy = self.table.proxy
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self._add_record_actions()

        self.detail = DetailPane(self.model)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName(f"{area.key}_splitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)

        #: The bar above the table: filter, count, New… and Delete… (pages add to it).
        self.top = top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.count)
        for button in (self.new_button, self.delete_button):
            if button is not None:
                top.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)

        workspace.rowChanged.connect(self._row_changed)
        self.model.dataChanged.connect(self._data_changed)

    # -- loading ------------------------------------------------------------------------

    def ensure_loaded(self) -> None:
        if self.stale:
            self.reload()

    def reload(self) -> None:
        """Reads every row of the area again, keeping the selected record selected."""
        selected = self.current_id()
        try:
            rows = self.fetch_rows()
        except DomDeskError as exc:
            messages.error(self, str(exc))
            rows = []
        self.stale = False
        self.model.set_rows(rows)
        self._update_count()
        if not self._view_restored:
            self._restore_view()
        if not (selected is not None and self.select_id(selected)):
            self._select_first()
        self.detail.refresh()
        self._enable_record_actions()

    def fetch_rows(self) -> list[Row]:
        """The area's rows for the year shown (a page may show fewer: the year's)."""
        return list(self.workspace.rows(self.area.key))

    def _restore_view(self) -> None:
        """The saved splitter and columns; without them, columns that fit the table."""
        self._view_restored = True
        if state.restore_view(self.area.key, self.splitter, self.table.horizontalHeader()):
            self.stop_fitting()
        else:
            self._split_pending = True
            self._fit_when_laid_out()

    @property
    def _auto_fit(self) -> bool:
        """Whether the columns are still fitted to the table (no one has sized one)."""
        return self.table.fitter.active

    def _fit_when_laid_out(self) -> None:
        # Widths are only known once the page has been laid out on screen.
        if not self._auto_fit or not self.isVisible() or self.splitter.width() <= 0:
            return
        if self._split_pending and self.width() >= self.window().width() // 2:
            self._split_pending = False
            width = self.splitter.width()
            self.splitter.setSizes([round(width * (1 - DETAIL_SHARE)), round(width * DETAIL_SHARE)])
        self.fit_columns()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_when_laid_out()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Laid out only after the show event: fit once the event loop has done that.
        QTimer.singleShot(0, self._fit_when_laid_out)

    def stop_fitting(self) -> None:
        """Keeps the columns as they are now (the user has sized one)."""
        self.table.fitter.stop()

    def fit_columns(self) -> None:
        """Sizes the columns by the grid's one rule (``ui.grid.fitting``)."""
        self.table.fit_columns()

    def save_view(self) -> None:
        """Remembers the splitter, and the columns once the user has sized them."""
        if self._view_restored:
            state.save_view(
                self.area.key,
                self.splitter,
                None if self._auto_fit else self.table.horizontalHeader(),
            )

    # -- selection ----------------------------------------------------------------------

    def current_id(self) -> int | None:
        index = self.table.currentIndex()
        return index.data(IdRole) if index.isValid() else None

    def select_id(self, row_id: int) -> bool:
        position = self.model.position_of(row_id)
        if position is None:
            return False
        proxy_index = self.proxy.mapFromSource(self.model.index(position, 0))
        if not proxy_index.isValid():
            return False
        column = max(self.table.currentIndex().column(), 0)
        proxy_index = proxy_index.siblingAtColumn(column)
        self.table.selectionModel().setCurrentIndex(
            proxy_index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.table.scrollTo(proxy_index)
        return True

    def _select_first(self) -> None:
        if self.proxy.rowCount() > 0:
            self.table.selectionModel().setCurrentIndex(
                self.proxy.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        else:
            self.detail.show_row(None)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row_id = current.data(IdRole) if current.isValid() else None
        self.detail.show_row(None if row_id is None else self.model.row_by_id(row_id))
        self._enable_record_actions()

    # -- filtering ----------------------------------------------------------------------

    def focus_filter(self) -> None:
        self.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter.selectAll()

    def summary(self) -> str:
        return self.count.text()

    def _filter_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        self._update_count()
        if not self.table.currentIndex().isValid():
            self._select_first()

    def row_noun(self) -> str:
        """What the rows are called in "12 of 40 providers"."""
        return ROW_NOUNS.get(self.area.key, self.area.title.lower())

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        noun = self.row_noun()
        text = (
            self.tr("{0:,} {1}").format(total, noun)
            if shown == total
            else self.tr("{0:,} of {1:,} {2}").format(shown, total, noun)
        )
        self.count.setText(text)
        self.countChanged.emit(text)

    # -- changes ------------------------------------------------------------------------

    def _row_changed(self, area_key: str, row: Row) -> None:
        """After a write: refresh that one row here, or mark this area stale.

        A row not shown here may be a new record, and a row without values is one just
        deleted (``changed_records``): either way the area is read again.
        """
        if area_key == self.area.key:
            if not row.values or not self.model.replace_row(row):
                self.stale = True
        elif self.area.table == AREAS[area_key].table and not self.stale:
            if self.model.position_of(row.id) is None:
                self.stale = True
            else:
                try:
                    self.model.replace_row(self.workspace.row(self.area.key, row.id))
                except DomDeskError:
                    self.stale = True
        else:
            self.stale = True
        if self.isVisible() and self.stale:
            self.reload()

    def _data_changed(self, top_left: QModelIndex, _bottom_right: QModelIndex) -> None:
        if (
            self.detail.row_id is not None
            and self.model.rows[top_left.row()].id == self.detail.row_id
        ):
            self.detail.refresh()

    # -- copy, paste, fill down, export: the grid's own ------------------------------------

    def copy(self) -> None:
        self.table.copy()

    def shown_grid(self) -> tuple[list[Column], list[Row]]:
        """The columns and rows as the user sees them (order, filter, hidden columns)."""
        return self.table.shown_grid()

    def paste(self) -> bool:
        """Pastes tab-separated text (from Excel) at the selection: all cells or none."""
        return self.table.paste()

    def fill_down(self) -> bool:
        """Copies the top selected row into the selected rows below it (Ctrl+D)."""
        return self.table.fill_down()

    def apply_edits(self, edits: list[FieldEdit], text: str) -> bool:
        """Writes a batch of cells as one transaction and one undo step."""
        wb, key = self.workspace.wb, self.area.key
        plain = [FieldEdit(e.row_id, e.key, e.value) for e in edits]
        touched = sorted({e.row_id for e in edits})
        command = push(
            self.workspace.undo_stack,
            text,
            # Redo (not the first time) skips the version check: its own undo moved them.
            lambda first: update_fields(wb, key, edits if first else plain),
            lambda changes: update_fields(wb, key, paste.undo_edits(changes)),
            lambda: self._reread(touched),
            self,
        )
        return not command.failed

    def _reread(self, row_ids: list[int]) -> None:
        for row_id in row_ids:
            try:
                self.workspace.rowChanged.emit(
                    self.area.key, self.workspace.row(self.area.key, row_id)
                )
            except DomDeskError:
                self.stale = True
        if self.stale:
            self.reload()

    def export(self) -> None:
        """Asks where, then writes the rows shown, as shown, to an xlsx file."""
        self.table.export()

    def export_to(self, path: Path) -> None:
        """Writes the xlsx on a worker thread; the user is told when it is written."""
        self.table.export_to(path)

    def _exported(self, path: str) -> None:
        self.exported.emit(path)
        messages.info(
            self,
            self.tr("Exported {0} rows of {1} to {2}.").format(
                self.proxy.rowCount(), self.area.title.lower(), path
            ),
        )
