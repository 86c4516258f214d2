"""The year's envelope as its budget table prints it: group headings in bold, their lines
indented under them, each group closed by its subtotal (and the total the table prints),
and the printed-total note or warning underneath.

Every cell that can change is edited in place (a line's name, funding source, amount and
notes; a group's name and its printed total); New line…, New group…, Move to group… and
Delete… do the rest, and Paste Table (Ctrl+V) makes the year's envelope a budget table
copied as it is printed. Each write is one undo step through ``domain.allocations``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dom_desk.domain import allocations as al
from dom_desk.domain.allocations import EnvelopeTable, RowKind, TableRow, TotalStatus
from dom_desk.domain.lists import envelope as lists_envelope
from dom_desk.domain.lists_import import RowStatus
from dom_desk.domain.money import format_pounds
from dom_desk.domain.records.forms import Field
from dom_desk.domain.values import Kind, parse_value
from dom_desk.errors import DomDeskError, ValidationError
from dom_desk.ui.messages import messages
from dom_desk.ui.new_record_dialog import NewRecordDialog
from dom_desk.ui.undo import push

#: The tree's columns, and what editing each changes on a line / a group's rows.
NAME, SOURCE, AMOUNT, PRINTED, NOTES = range(5)
TITLES = ("Line", "Funding source", "Amount", "Printed total", "Notes")
#: (kind, column) -> the field edited.
EDITABLE: dict[tuple[RowKind, int], str] = {
    (RowKind.LINE, NAME): "name",
    (RowKind.LINE, SOURCE): "funding_source",
    (RowKind.LINE, AMOUNT): "amount",
    (RowKind.LINE, NOTES): "notes",
    (RowKind.GROUP, NAME): "name",
    (RowKind.GROUP, NOTES): "notes",
    (RowKind.TOTAL, NAME): "total_label",
    (RowKind.TOTAL, PRINTED): "printed_total",
}
RowRole = Qt.ItemDataRole.UserRole + 1
TOP = "(top of the table)"

LINE_FIELDS = (
    Field("name", "Line", hint="Main Resource Allocation"),
    Field("funding_source", "Funding source", required=True, hint="NOMS allocation"),
    Field("amount", "Amount", Kind.MONEY, required=True, hint="£4,123,000 or -£45,000"),
    Field("group_id", "Group", pick="envelope_groups"),
    Field("notes", "Notes"),
)
GROUP_FIELDS = (
    Field("name", "Group", required=True, hint="Probation Boards"),
    Field("parent_id", "Under", pick="envelope_groups"),
    Field("printed_total", "Printed total", Kind.MONEY, hint="as the table prints it"),
    Field("tolerance", "Rounding tolerance", Kind.MONEY, hint="£100,000"),
)


class EnvelopeDialog(NewRecordDialog):
    """A New line / New group form: amounts may be negative (a central adjustment)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Wide enough for a line's name as budget tables print them.
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)
        for widget in self.widgets.values():
            if hasattr(widget, "setItemText"):
                widget.setItemText(0, self.tr(TOP))

    def answers(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for field in self.fields:
            widget = self.widgets[field.key]
            if hasattr(widget, "currentData"):
                found[field.key] = widget.currentData()
            else:
                found[field.key] = parse_value(
                    field.kind, widget.text(), field.title, required=field.required
                )
        tolerance = found.get("tolerance")
        if tolerance is not None and tolerance < 0:
            raise ValidationError(self.tr("cannot be negative"), "Rounding tolerance")
        return found

    def choose(self, key: str, data: Any) -> None:
        """Chooses the entry whose data is ``data`` (tests, scripts)."""
        widget: Any = self.widgets[key]
        widget.setCurrentIndex(max(widget.findData(data), 0))


def _money(pence: int | None) -> str:
    return format_pounds(pence) if pence is not None else ""


class EnvelopeTableView(QWidget):
    """The envelope as a printed table, editable; ``changed`` after every write."""

    changed = Signal()

    def __init__(self, workspace: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.table: EnvelopeTable | None = None
        self.dialog: EnvelopeDialog | None = None
        self._loading = False
        editable = not workspace.read_only
        self.tree = QTreeWidget()
        self.tree.setObjectName("envelope_tree")
        self.tree.setAccessibleName(self.tr("The envelope as its budget table prints it"))
        self.tree.setColumnCount(len(TITLES))
        self.tree.setHeaderLabels([self.tr(t) for t in TITLES])
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        # The figures stay in view; the notes take what width is left.
        for column in (NAME, SOURCE, AMOUNT, PRINTED):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        if editable:
            self.tree.setEditTriggers(
                QTreeWidget.EditTrigger.DoubleClicked
                | QTreeWidget.EditTrigger.EditKeyPressed
                | QTreeWidget.EditTrigger.AnyKeyPressed
            )
        else:
            self.tree.setEditTriggers(QTreeWidget.EditTrigger.NoEditTriggers)
        self.tree.itemChanged.connect(self._item_changed)
        self.note = QLabel()
        self.note.setObjectName("envelope_note")
        self.note.setAccessibleName(self.tr("Printed totals checked"))
        self.note.setWordWrap(True)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for key, text, slot, tip in (
            ("line", self.tr("New &line…"), self.new_line, self.tr("Add a line (Insert)")),
            ("group", self.tr("New &group…"), self.new_group, self.tr("Add a heading")),
            (
                "move",
                self.tr("&Move to group…"),
                self.ask_move,
                self.tr("Put the row under another group"),
            ),
            (
                "paste",
                self.tr("&Paste Table"),
                self.paste_clipboard,
                self.tr(
                    "Replace the year's envelope with a budget table copied as it is printed "
                    "(Ctrl+V in the table): headings become groups, 'Total …' rows printed totals"
                ),
            ),
            (
                "delete",
                self.tr("&Delete…"),
                self.delete_selected,
                self.tr("Delete the selected line or group (Delete)"),
            ),
        ):
            button = QPushButton(text)
            button.setObjectName(f"envelope_{key}_button")
            button.setToolTip(tip)
            button.setEnabled(editable)
            button.clicked.connect(slot)
            self.buttons[key] = button
            row.addWidget(button)
        row.addStretch(1)
        for text, slot, key in (
            (self.tr("New line…"), self.new_line, QKeySequence(Qt.Key.Key_Insert)),
            (
                self.tr("Delete…"),
                self.delete_selected,
                QKeySequence(QKeySequence.StandardKey.Delete),
            ),
            (
                self.tr("Paste Table"),
                self.paste_clipboard,
                QKeySequence(QKeySequence.StandardKey.Paste),
            ),
        ):
            action = QAction(text, self.tree)
            action.setShortcut(key)
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.setEnabled(editable)
            action.triggered.connect(slot)
            self.tree.addAction(action)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.note)
        layout.addLayout(row)

    # -- showing ------------------------------------------------------------------------

    def show_table(self, table: EnvelopeTable | None) -> None:
        selected = self.selected()
        self.table = table
        self._loading = True
        try:
            self.tree.clear()
            if table is None:
                return
            parents: list[QTreeWidgetItem] = []
            bold = QFont(self.tree.font())
            bold.setBold(True)
            for row in table.rows:
                item = self._item(row, bold)
                if row.kind is RowKind.GROUP:
                    self._add(item, parents)
                    parents.append(item)
                elif row.kind is RowKind.TOTAL:
                    parents.pop()
                    self._add(item, parents)
                else:
                    self._add(item, parents)
            self.tree.expandAll()
            total = QTreeWidgetItem(["Envelope", "", format_pounds(table.total), "", ""])
            for column in range(len(TITLES)):
                total.setFont(column, bold)
            total.setTextAlignment(
                AMOUNT, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            )
            total.setData(NAME, RowRole, None)
            self.tree.addTopLevelItem(total)
        finally:
            self._loading = False
        self._show_note(table)
        if selected is not None:
            self.select(*selected)

    def _add(self, item: QTreeWidgetItem, parents: list[QTreeWidgetItem]) -> None:
        if parents:
            parents[-1].addChild(item)
        else:
            self.tree.addTopLevelItem(item)

    def _item(self, row: TableRow, bold: QFont) -> QTreeWidgetItem:
        printed = ""
        if row.kind is RowKind.TOTAL and row.printed is not None:
            printed = _money(row.printed.printed)
        item = QTreeWidgetItem(
            [
                row.label,
                row.funding_source,
                _money(row.amount),
                printed,
                row.notes.replace("\n", " "),
            ]
        )
        item.setData(NAME, RowRole, (row.kind, row.id))
        for column in (AMOUNT, PRINTED):
            item.setTextAlignment(
                column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            )
        if row.kind is not RowKind.LINE:
            for column in range(len(TITLES)):
                item.setFont(column, bold)
        if row.printed is not None and row.printed.status is TotalStatus.BEYOND:
            item.setToolTip(PRINTED, row.printed.sentence)
            item.setText(PRINTED, f"{printed} ⚠")
        elif row.printed is not None and row.printed.status is TotalStatus.WITHIN:
            item.setToolTip(PRINTED, row.printed.sentence)
        if row.kind is RowKind.LINE and row.illustrative:
            item.setToolTip(NAME, self.tr("Illustrative figure"))
        if not self.workspace.read_only:
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        return item

    def _show_note(self, table: EnvelopeTable | None) -> None:
        if table is None or not table.rows:
            self.note.setText(
                self.tr("No envelope lines yet: New line… adds one, New group… a heading.")
            )
            self.note.setStyleSheet("")
            return
        found = [*table.warnings, *table.notes]
        if not found:
            checked = len(table.printed_totals)
            self.note.setText(
                self.tr("Every printed total matches its rows ({0} checked).").format(checked)
                if checked
                else self.tr("No printed totals to check: each group's subtotal is worked out.")
            )
            self.note.setStyleSheet("")
            return
        self.note.setText("\n".join(found))
        self.note.setStyleSheet("font-weight: bold; color: #a00000;" if table.warnings else "")

    # -- selection ----------------------------------------------------------------------

    def selected(self) -> tuple[RowKind, int] | None:
        item = self.tree.currentItem()
        data = item.data(NAME, RowRole) if item is not None else None
        return data if data else None

    def _items(self) -> list[QTreeWidgetItem]:
        found: list[QTreeWidgetItem] = []

        def walk(item: QTreeWidgetItem) -> None:
            found.append(item)
            for i in range(item.childCount()):
                walk(item.child(i))

        for i in range(self.tree.topLevelItemCount()):
            walk(self.tree.topLevelItem(i))
        return found

    def item_for(self, kind: RowKind, row_id: int) -> QTreeWidgetItem | None:
        return next((i for i in self._items() if i.data(NAME, RowRole) == (kind, row_id)), None)

    def select(self, kind: RowKind, row_id: int) -> bool:
        item = self.item_for(kind, row_id)
        if item is None:
            return False
        self.tree.setCurrentItem(item)
        self.tree.scrollToItem(item)
        return True

    def _selected_group(self) -> int | None:
        chosen = self.selected()
        if chosen is None or self.table is None:
            return None
        kind, row_id = chosen
        if kind is RowKind.LINE:
            return self.table.line(row_id).group_id
        return row_id

    # -- writing --------------------------------------------------------------------------

    def _push(self, text: str, do: Callable[[bool], Any], undo: Callable[[Any], Any]) -> bool:
        command = push(self.workspace.undo_stack, text, do, undo, self.changed.emit, self)
        if command.failed:
            self.show_table(self.table)  # the cell shows what is stored again
        return not command.failed

    def _item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if self._loading or self.workspace.read_only:
            return
        data = item.data(NAME, RowRole)
        if not data:
            return
        kind, row_id = data
        key = EDITABLE.get((kind, column))
        if key is None:
            self.show_table(self.table)  # a worked-out figure: not typed over
            return
        text = item.text(column).removesuffix(" ⚠").strip()
        try:
            value: Any = text
            if key in ("amount", "printed_total"):
                value = parse_value(
                    Kind.MONEY, text, f"Envelope, {TITLES[column]}", required=key == "amount"
                )
        except DomDeskError as exc:
            messages.error(self, str(exc))
            self.show_table(self.table)
            return
        self.edit(kind, row_id, key, value)

    def edit(self, kind: RowKind, row_id: int, key: str, value: Any) -> bool:
        """Changes one field of a line or a group (one undo step)."""
        wb = self.workspace.wb
        if kind is RowKind.LINE:
            write: Callable[..., dict[str, Any]] = al.edit_line
        else:
            write = al.edit_group
        title = TITLES[[c for (k, c), f in EDITABLE.items() if k is kind and f == key][0]]
        return self._push(
            self.tr("edit envelope {0}").format(title.lower()),
            lambda _first: write(wb, row_id, **{key: value}),
            lambda old: write(wb, row_id, **old),
        )

    def _groups(self, _pick: str, skip: int | None = None) -> list[tuple[int, str]]:
        if self.table is None:
            return []
        return [(g.id, "    " * g.depth + g.name) for g in self.table.groups if g.id != skip]

    def new_line(self) -> EnvelopeDialog | None:
        """Asks for a new line's name, funding source, amount (negative allowed) and group."""
        if self.workspace.read_only:
            return None
        self.dialog = EnvelopeDialog(
            self.tr("New {0} envelope line").format(self.workspace.year),
            LINE_FIELDS,
            self.create_line,
            self._groups,
            self,
        )
        self.dialog.choose("group_id", self._selected_group())
        self.dialog.open()
        return self.dialog

    def create_line(self, values: dict[str, Any]) -> bool:
        wb, year = self.workspace.wb, self.workspace.year
        state: dict[str, Any] = {}

        def do(first: bool) -> int:
            if first:
                state["id"] = al.create_line(wb, year_label=year, **values)
            else:
                state["id"] = al.restore_line(wb, state["deleted"])
            return state["id"]

        def undo(line_id: int) -> None:
            state["deleted"] = al.delete_line(wb, line_id)

        done = self._push(
            self.tr("add envelope line {0}").format(values.get("name") or values["funding_source"]),
            do,
            undo,
        )
        if done:
            self.select(RowKind.LINE, state["id"])
        return done

    def new_group(self) -> EnvelopeDialog | None:
        if self.workspace.read_only:
            return None
        self.dialog = EnvelopeDialog(
            self.tr("New {0} envelope group").format(self.workspace.year),
            GROUP_FIELDS,
            self.create_group,
            self._groups,
            self,
        )
        self.dialog.choose("parent_id", self._selected_group())
        self.dialog.open()
        return self.dialog

    def create_group(self, values: dict[str, Any]) -> bool:
        wb, year = self.workspace.wb, self.workspace.year
        state: dict[str, Any] = {}

        def do(first: bool) -> int:
            if first:
                state["id"] = al.create_group(wb, year_label=year, **values)
            else:
                state["id"] = al.restore_group(wb, state["deleted"])
            return state["id"]

        def undo(group_id: int) -> None:
            state["deleted"] = al.delete_group(wb, group_id)

        done = self._push(self.tr("add envelope group {0}").format(values["name"]), do, undo)
        if done:
            self.select(RowKind.GROUP, state["id"])
        return done

    def ask_move(self) -> bool:
        chosen = self.selected()
        if chosen is None or self.table is None:
            messages.info(self, self.tr("Choose the line or group to move first."))
            return False
        kind, row_id = chosen
        skip = row_id if kind is not RowKind.LINE else None
        groups = [(None, self.tr(TOP)), *self._groups("", skip)]
        names = [name for _id, name in groups]
        text, ok = QInputDialog.getItem(
            self, self.tr("Move to group"), self.tr("Put it under:"), names, 0, False
        )
        if not ok:
            return False
        return self.move(kind, row_id, groups[names.index(text)][0])

    def move(self, kind: RowKind, row_id: int, group_id: int | None) -> bool:
        """Puts a line or a group under another group (a loop is refused by sentence)."""
        wb = self.workspace.wb
        if kind is RowKind.LINE:
            return self._push(
                self.tr("move envelope line"),
                lambda _first: al.move_line(wb, row_id, group_id),
                lambda old: al.edit_line(wb, row_id, **old),
            )
        return self._push(
            self.tr("move envelope group"),
            lambda _first: al.move_group(wb, row_id, group_id),
            lambda old: al.edit_group(wb, row_id, **old),
        )

    def paste_clipboard(self) -> bool:
        from PySide6.QtWidgets import QApplication

        return self.paste(QApplication.clipboard().text())

    def paste(self, text: str) -> bool:
        """Replaces the year's envelope with a pasted budget table, after showing what
        changes (one undo step; a wrong cell is refused by sentence, nothing written)."""
        if self.workspace.read_only:
            return False
        wb, year = self.workspace.wb, self.workspace.year
        try:
            preview = lists_envelope.paste_preview(wb, text, year)
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return False
        if preview.errors:
            more = len(preview.errors) - 1
            messages.error(
                self,
                preview.errors[0]
                + (self.tr(" (and {0} more problem(s))").format(more) if more else "")
                + self.tr("; nothing was pasted."),
            )
            return False
        if not preview.records:
            messages.info(self, self.tr("The {0} envelope already is that table.").format(year))
            return False
        counts = preview.counts()
        lines = [
            self.tr("Make the {0} envelope the pasted table?").format(year),
            self.tr("{0} new rows, {1} changed, {2} unchanged.").format(
                counts.get(RowStatus.NEW, 0),
                counts.get(RowStatus.UPDATE, 0),
                counts.get(RowStatus.UNCHANGED, 0),
            ),
            *preview.warnings,
            self.tr("Edit ▸ Undo puts the envelope back as it was."),
        ]
        if not messages.confirm(self, "\n".join(lines), self.tr("Paste budget table")):
            return False

        def do(_first: bool) -> dict[str, Any]:
            before = al.table_snapshot(wb, year)
            lists_envelope.paste_table(wb, text, year)
            return before

        return self._push(
            self.tr("paste the {0} envelope table").format(year),
            do,
            lambda before: al.restore_snapshot(wb, before),
        )

    def delete_selected(self) -> bool:
        """Deletes the selected line, or group (its rows move up a level), after asking."""
        chosen = self.selected()
        if self.workspace.read_only:
            return False
        if chosen is None or self.table is None:
            messages.info(self, self.tr("Choose the line or group to delete first."))
            return False
        kind, row_id = chosen
        wb = self.workspace.wb
        if kind is RowKind.LINE:
            line = self.table.line(row_id)
            question = self.tr("Delete {0} ({1}) from the {2} envelope?").format(
                line.label, format_pounds(line.amount), self.workspace.year
            )
            delete, restore = al.delete_line, al.restore_line
            name = line.label
        else:
            group = self.table.group(row_id)
            question = self.tr(
                "Delete the group {0}? Its lines and groups stay, one level up."
            ).format(group.name)
            delete, restore = al.delete_group, al.restore_group
            name = group.name
        if not messages.confirm(
            self, question + self.tr(" Edit ▸ Undo puts it back."), self.tr("Delete")
        ):
            return False
        return self._push(
            self.tr("delete envelope {0}").format(name),
            lambda _first: delete(wb, row_id),
            lambda kept: restore(wb, kept),
        )
