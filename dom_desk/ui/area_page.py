"""One area of the workbook: a filter, a sortable table and the selected row's details."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dom_desk.domain import paste, records
from dom_desk.domain.tables import AREAS, Area, Column, FieldEdit, Row, update_fields
from dom_desk.domain.values import Kind
from dom_desk.errors import DomDeskError
from dom_desk.ui import negotiation_undo, state
from dom_desk.ui.background import Failure, Runner
from dom_desk.ui.detail_pane import DetailPane
from dom_desk.ui.messages import messages
from dom_desk.ui.new_record_dialog import NewRecordDialog
from dom_desk.ui.spreadsheet import (
    KeyboardTableView,
    export_rows,
    shown_columns,
    shown_selection,
)
from dom_desk.ui.table_model import AreaSortProxy, AreaTableModel, IdRole

#: Widest a column is made when sized to its contents, in average character widths.
MAX_COLUMN_CHARS = 34
#: Narrowest a text column is squeezed to make room for the others.
MIN_COLUMN_CHARS = 12
#: What one row of an area is called in "12 of 40 providers".
ROW_NOUNS = {"performance": "results"}
#: The detail pane's share of the page's width when no layout was saved.
DETAIL_SHARE = 0.26


def compact_rows(table: QTableView) -> None:
    """Rows one line of text high with a little air, whatever the font."""
    height = int(table.fontMetrics().lineSpacing() * 1.5)
    header = table.verticalHeader()
    header.setMinimumSectionSize(height)
    header.setDefaultSectionSize(height)


class AreaDelegate(QStyledItemDelegate):
    """Edits choice columns with a list of their values; everything else as text."""

    def __init__(self, model: AreaTableModel, parent: Any = None) -> None:
        super().__init__(parent)
        self.model = model

    def _column(self, index: QModelIndex) -> Any:
        return self.model.columns[index.column()]

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex
    ) -> QWidget:
        column = self._column(index)
        if column.kind is Kind.CHOICE and column.choices is not None:
            combo = QComboBox(parent)
            if not column.required:
                combo.addItem("")
            combo.addItems([member.label for member in column.choices])
            combo.setAccessibleName(column.title)
            combo.activated.connect(lambda _i, c=combo: self._commit_and_close(c))
            return combo
        editor = super().createEditor(parent, option, index)
        editor.setAccessibleName(column.title)
        return editor

    def _commit_and_close(self, editor: QWidget) -> None:
        """A choice picked from the list is the whole edit: write it straight away."""
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        if isinstance(editor, QComboBox):
            text = index.data(Qt.ItemDataRole.DisplayRole) or ""
            editor.setCurrentIndex(max(editor.findText(text), 0))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: Any, index: QModelIndex) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)


class AreaPage(QWidget):
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
        #: Columns are fitted to the table until the user sizes one.
        self._auto_fit = False
        self._split_pending = False
        self._fitting = False
        self._wanted: list[int] | None = None

        self.model = AreaTableModel(area, workspace, self)
        self.proxy = AreaSortProxy(self)
        self.proxy.setSourceModel(self.model)

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

        self.table = KeyboardTableView()
        self.table.setObjectName(f"{area.key}_table")
        self.table.setAccessibleName(self.tr("{0} table").format(area.title))
        self.table.setModel(self.proxy)
        self.table.setItemDelegate(AreaDelegate(self.model, self.table))
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the file's own order
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setWordWrap(False)
        # Tab leaves the table for the detail pane (arrow keys move between cells), so
        # keyboard users are never trapped in a table.
        self.table.setTabKeyNavigation(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        compact_rows(self.table)
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        header.sectionResized.connect(self._column_resized)
        header.sectionHandleDoubleClicked.connect(lambda _s: self.stop_fitting())
        self._add_record_actions()
        self._add_table_menu()
        self.runner = Runner(self)

        self.detail = DetailPane(self.model)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName(f"{area.key}_splitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)

        top = QHBoxLayout()
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
            rows = self.workspace.rows(self.area.key)
        except DomDeskError as exc:
            messages.error(self, str(exc))
            rows = []
        self.stale = False
        self.model.set_rows(rows)
        self._update_count()
        if not self._view_restored:
            self._restore_view()
        elif self._auto_fit:
            self._wanted = None  # new rows: measure them again
            self._fit_when_laid_out()
        if not (selected is not None and self.select_id(selected)):
            self._select_first()
        self.detail.refresh()
        self._enable_record_actions()

    def _restore_view(self) -> None:
        """The saved splitter and columns; without them, columns that fit the table."""
        self._view_restored = True
        if not state.restore_view(self.area.key, self.splitter, self.table.horizontalHeader()):
            self._auto_fit = True
            self._split_pending = True
            self._fit_when_laid_out()

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

    def _column_resized(self, *_args: object) -> None:
        # A column dragged by the user (the stretched last column also resizes itself
        # with the table, which does not count): leave their layout alone from now on.
        if not self._fitting and QGuiApplication.mouseButtons() != Qt.MouseButton.NoButton:
            self.stop_fitting()

    def stop_fitting(self) -> None:
        """Keeps the columns as they are now (the user has sized one)."""
        self._auto_fit = False

    def fit_columns(self) -> None:
        """Sizes columns to their contents, none wider than MAX_COLUMN_CHARS characters.

        Room to spare goes to the columns the cap cut short. When the columns are wider
        than the table, the text columns give up width (figures and dates never do) down
        to MIN_COLUMN_CHARS, so the figures stay in view. Until the user sizes a column
        this is redone whenever the table changes size.
        """
        self._fitting = True
        try:
            self._fit_columns()
        finally:
            self._fitting = False

    def _fit_columns(self) -> None:
        header = self.table.horizontalHeader()
        if self._wanted is None:
            self.table.resizeColumnsToContents()
            self._wanted = [header.sectionSize(s) for s in range(header.count())]
        wanted = self._wanted
        char = self.table.fontMetrics().averageCharWidth()
        widths = [min(w, char * MAX_COLUMN_CHARS) for w in wanted]
        available = self.table.viewport().width()
        spare_room = available - sum(widths)
        short = sum(w - c for w, c in zip(wanted, widths, strict=True))
        if spare_room > 0 and short > 0:
            share = min(1.0, spare_room / short)
            widths = [c + int((w - c) * share) for w, c in zip(wanted, widths, strict=True)]
        floor = char * MIN_COLUMN_CHARS
        text = [
            s
            for s, c in enumerate(self.model.columns)
            if c.kind in (Kind.TEXT, Kind.LONG_TEXT) and widths[s] > floor
        ]
        excess = sum(widths) - available
        spare = sum(widths[s] - floor for s in text)
        if excess > 0 and spare > 0:
            cut = min(1.0, excess / spare)
            for s in text:
                widths[s] -= math.ceil((widths[s] - floor) * cut)
        room = available - sum(widths)
        if room > 0:  # whatever is left goes to the last column on screen
            widths[header.logicalIndex(header.count() - 1)] += room
        for section, width in enumerate(widths):
            header.resizeSection(section, width)

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

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        noun = ROW_NOUNS.get(self.area.key, self.area.title.lower())
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
        elif self.area.entity is AREAS[area_key].entity and not self.stale:
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

    # -- copy ---------------------------------------------------------------------------

    def selection_text(self) -> str:
        """The selected cells as tab-separated text, as a spreadsheet would copy them."""
        indexes = self.table.selectionModel().selectedIndexes()
        if not indexes:
            current = self.table.currentIndex()
            indexes = [current] if current.isValid() else []
        if not indexes:
            return ""
        header = self.table.horizontalHeader()
        rows = sorted({i.row() for i in indexes})
        columns = sorted({i.column() for i in indexes}, key=header.visualIndex)
        chosen = {(i.row(), i.column()) for i in indexes}
        lines = []
        for r in rows:
            cells = []
            for c in columns:
                text = (
                    self.proxy.index(r, c).data(Qt.ItemDataRole.EditRole) or ""
                    if (r, c) in chosen
                    else ""
                )
                cells.append(str(text).replace("\t", " ").replace("\n", " "))
            lines.append("\t".join(cells))
        return "\n".join(lines)

    def copy(self) -> None:
        text = self.selection_text()
        if text:
            QGuiApplication.clipboard().setText(text)

    # -- new and deleted records --------------------------------------------------------

    def _add_record_actions(self) -> None:
        """New… (Insert) and Delete… (Delete) for the areas whose records can be added."""
        self.new_button: QPushButton | None = None
        self.delete_button: QPushButton | None = None
        self.new_action: QAction | None = None
        self.delete_action: QAction | None = None
        #: The open "New…" dialog, if any.
        self.new_dialog: NewRecordDialog | None = None
        key = self.area.key
        if not (records.can_create(key) and records.can_delete(key)):
            return
        noun = records.NOUNS[key]
        self.new_button = QPushButton(self.tr("New {0}…").format(noun))
        self.new_button.setObjectName(f"new_{key}")
        self.new_button.setToolTip(self.tr("Add a {0} (Insert in the table)").format(noun))
        self.new_button.clicked.connect(self.new_record)
        self.delete_button = QPushButton(self.tr("Delete {0}…").format(noun))
        self.delete_button.setObjectName(f"delete_{key}")
        self.delete_button.setToolTip(
            self.tr("Delete the selected {0} (Delete in the table)").format(noun)
        )
        self.delete_button.clicked.connect(self.delete_record)
        self.new_action = QAction(self.tr("New {0}…").format(noun), self.table)
        self.new_action.setShortcut(QKeySequence(Qt.Key.Key_Insert))
        self.new_action.triggered.connect(self.new_record)
        self.delete_action = QAction(self.tr("Delete {0}…").format(noun), self.table)
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.delete_action.triggered.connect(self.delete_record)
        for action in (self.new_action, self.delete_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            self.table.addAction(action)
        self._enable_record_actions()

    def _enable_record_actions(self) -> None:
        writable = not self.workspace.read_only
        chosen = writable and self.current_id() is not None
        for widget, on in (
            (self.new_button, writable),
            (self.new_action, writable),
            (self.delete_button, chosen),
            (self.delete_action, chosen),
        ):
            if widget is not None:
                widget.setEnabled(on)

    def new_record(self) -> NewRecordDialog | None:
        """Opens the dialog asking for a new record's required fields."""
        key = self.area.key
        if self.workspace.read_only or not records.can_create(key):
            return None
        wb = self.workspace.wb
        if self.new_dialog is not None:
            self.new_dialog.deleteLater()  # the last one, closed: not kept for ever
        self.new_dialog = NewRecordDialog(
            self.tr("New {0}").format(records.NOUNS[key]),
            records.FORMS[key],
            self.create_record,
            lambda pick: records.options(wb, pick),
            self,
        )
        self.new_dialog.open()
        return self.new_dialog

    def create_record(self, values: dict[str, Any]) -> bool:
        """Adds a record as one undo step and selects it; False if it was refused."""
        wb, key, year = self.workspace.wb, self.area.key, self.workspace.year
        state: dict[str, Any] = {}

        def do(first: bool) -> int:
            # Redo puts back the very record undo removed (same id), so later steps that
            # name it still find it.
            state["id"] = (
                records.create(wb, key, values, year)
                if first
                else records.restore(wb, state["deleted"])
            )
            return state["id"]

        def undo(new_id: int) -> None:
            state["deleted"] = records.delete(wb, key, new_id)

        label = values.get(self.area.label_key) or values.get("name") or ""
        command = negotiation_undo.push(
            self.workspace.undo_stack,
            self.tr("add {0} {1}").format(records.NOUNS[key], label).strip(),
            do,
            undo,
            lambda: self.changed_records(state.get("id")),
            self,
        )
        return not command.failed

    def delete_record(self) -> bool:
        """Deletes the selected record after asking; refused if others depend on it."""
        row_id = self.current_id()
        if row_id is None or self.workspace.read_only or not records.can_delete(self.area.key):
            return False
        return self.delete_id(row_id)

    def delete_id(self, row_id: int) -> bool:
        wb, key = self.workspace.wb, self.area.key
        noun = records.NOUNS[key]
        try:
            label = records.check_delete(wb, key, row_id)
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return False
        if not messages.confirm(
            self,
            self.tr("Delete the {0} '{1}'? Edit ▸ Undo puts it back.").format(noun, label),
            self.tr("Delete {0}").format(noun),
        ):
            return False
        command = negotiation_undo.push(
            self.workspace.undo_stack,
            self.tr("delete {0} {1}").format(noun, label),
            lambda _first: records.delete(wb, key, row_id),
            lambda deleted: records.restore(wb, deleted),
            lambda: self.changed_records(row_id),
            self,
        )
        return not command.failed

    def changed_records(self, row_id: int | None) -> None:
        """A record was added, deleted or put back: every page showing it reads again,
        and one that is there now is selected."""
        if row_id is None:
            self.stale = True
            self.reload()
            return
        try:
            row = self.workspace.row(self.area.key, row_id)
        except DomDeskError:
            row = Row(row_id, 0, ())  # gone: no values
        self.workspace.rowChanged.emit(self.area.key, row)
        self.ensure_loaded()
        if row.values:
            if not self.select_id(row_id) and self.filter.text():
                self.filter.clear()
                self.select_id(row_id)
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- paste, fill down, export -------------------------------------------------------

    def _add_table_menu(self) -> None:
        """Right-click menu of the table. Paste and Fill Down keys belong to the table (the
        window's Copy already serves Ctrl+C), so they work only where the user is."""
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for text, slot, keys in (
            (self.tr("Copy"), self.copy, None),
            (self.tr("Paste"), self.paste, QKeySequence(QKeySequence.StandardKey.Paste)),
            (self.tr("Fill Down"), self.fill_down, QKeySequence("Ctrl+D")),
            (self.tr("Export to Excel…"), self.export, None),
        ):
            action = QAction(text, self.table)
            if keys is not None:
                action.setShortcut(keys)
                action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(slot)
            self.table.addAction(action)

    def shown_grid(self) -> tuple[list[Column], list[Row]]:
        """The columns and rows as the user sees them (order, filter, hidden columns)."""
        columns = shown_columns(self.table)
        rows = [
            self.model.table_row(
                self.model.rows[self.proxy.mapToSource(self.proxy.index(r, 0)).row()], columns
            )
            for r in range(self.proxy.rowCount())
        ]
        return [self.model.columns[c] for c in columns], rows

    def paste(self) -> bool:
        """Pastes tab-separated text (from Excel) at the selection: all cells or none."""
        return self._apply_planned(
            lambda columns, rows, selection, label: paste.plan_paste(
                columns, rows, selection, QGuiApplication.clipboard().text(), label=label
            ),
            self.tr("paste into {0}"),
        )

    def fill_down(self) -> bool:
        """Copies the top selected row into the selected rows below it (Ctrl+D)."""
        return self._apply_planned(
            lambda columns, rows, selection, label: paste.plan_fill_down(
                columns, rows, selection, label=label
            ),
            self.tr("fill down in {0}"),
        )

    def _apply_planned(self, plan: Any, text: str) -> bool:
        if not self.model.editable:
            messages.error(
                self,
                self.tr("The workbook is open read-only: nothing can be pasted into {0}.").format(
                    self.area.title.lower()
                ),
            )
            return False
        selection = shown_selection(self.table)
        if selection is None:
            messages.error(self, self.tr("Select the cell to paste into first."))
            return False
        columns, rows = self.shown_grid()
        whole = {r.id: r for r in self.model.rows}
        try:
            edits = plan(columns, rows, selection, lambda row: self.model.label_of(whole[row.id]))
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return False
        return not edits or self.apply_edits(edits, text.format(self.area.title.lower()))

    def apply_edits(self, edits: list[FieldEdit], text: str) -> bool:
        """Writes a batch of cells as one transaction and one undo step."""
        wb, key = self.workspace.wb, self.area.key
        plain = [FieldEdit(e.row_id, e.key, e.value) for e in edits]
        touched = sorted({e.row_id for e in edits})
        command = negotiation_undo.push(
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
        path = messages.save_xlsx_path(
            self,
            self.tr("Export {0} to Excel").format(self.area.title.lower()),
            Path(f"{self.area.title}.xlsx"),
        )
        if path is not None:
            self.export_to(path)

    def export_to(self, path: Path) -> None:
        """Writes the xlsx on a worker thread; the user is told when it is written."""
        columns, rows = self.shown_grid()
        self.runner.start(
            export_rows,
            path,
            self.area.title,
            columns,
            rows,
            done=self._exported,
            failed=self._export_failed,
        )

    def _exported(self, path: Path) -> None:
        self.exported.emit(str(path))
        messages.info(
            self,
            self.tr("Exported {0} rows of {1} to {2}.").format(
                self.proxy.rowCount(), self.area.title.lower(), path
            ),
        )

    def _export_failed(self, failure: Failure) -> None:
        messages.failure(self, failure.error, failure.details)
