"""The grid model of one area: its table columns over rows that hold every column.

A typed cell (or a field of the detail pane) is parsed here and handed to the workspace
as one undoable field edit, checked against the row version last shown.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QAbstractItemView

from dom_desk.domain.tables import Area, Column, Row
from dom_desk.domain.values import parse_value
from dom_desk.errors import ValidationError
from dom_desk.ui.grid.model import GridModel
from dom_desk.ui.grid.roles import Index
from dom_desk.ui.messages import messages


class AreaTableModel(GridModel):
    """The table columns of one area over a list of rows."""

    def __init__(self, area: Area, workspace: Any = None, parent: Any = None) -> None:
        label_position = next((i for i, c in enumerate(area.columns) if c.key == area.label_key), 0)

        def label(row: Row) -> str:
            value = row.values[label_position] if row.values else None
            return str(value) if value not in (None, "") else ""

        super().__init__(
            area.table_columns,
            label=label,
            positions=[area.columns.index(c) for c in area.table_columns],
            parent=parent,
        )
        self.area = area
        self.workspace = workspace

    @property
    def editable(self) -> bool:
        return self.workspace is not None and not self.workspace.read_only

    def not_editable_text(self, title: str) -> str:
        return self.tr("The workbook is open read-only: nothing can be pasted into {0}.").format(
            self.area.title.lower()
        )

    def commit_text(self, index: Index, text: str, view: QAbstractItemView | None) -> bool:
        row = self.rows[index.row()]
        return self.submit_text(row.id, self.columns[index.column()], text, parent=view)

    def submit_text(self, row_id: int, column: Column, text: str, parent: Any = None) -> bool:
        """Parses ``text`` for ``column`` and pushes the edit; False if refused (and
        explained in a message over ``parent``).

        Text that parses to the value already held changes nothing and pushes nothing.
        """
        row = self.row_by_id(row_id)
        if row is None or self.workspace is None:
            return False
        label = self.label_of(row)
        where = f"{label}, {column.title}" if label else column.title
        try:
            new = parse_value(column.kind, text, where, column.choices, column.required)
        except ValidationError as exc:
            messages.error(parent, str(exc))
            return False
        old = row.values[self.area.columns.index(column)]
        if new == old or (old is None and new == ""):
            return True
        return bool(self.workspace.edit(self.area.key, row_id, column.key, old, new, label))
