"""New and deleted records of an area page: New… (Insert) and Delete… (Delete), each
one undo step, for the areas whose records can be added."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QPushButton

from dom_desk.domain import records
from dom_desk.domain.tables import Row
from dom_desk.errors import DomDeskError
from dom_desk.ui.messages import messages
from dom_desk.ui.new_record_dialog import NewRecordDialog
from dom_desk.ui.undo import push


class RecordActions:
    """Mixed into :class:`~dom_desk.ui.area_page.AreaPage`: it provides ``area``,
    ``workspace``, ``table``, ``filter``, ``stale``, ``reload``, ``ensure_loaded``,
    ``select_id`` and ``current_id``."""

    area: Any
    workspace: Any
    table: Any
    filter: Any
    stale: bool

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
        command = push(
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
        command = push(
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
