"""The open workbook as the window sees it: the chosen year, the undo stack, row versions.

Pages read rows through the workspace and edits are pushed onto its undo stack; each
write goes through the domain's ``update_field`` with the row version last shown, so a
record changed elsewhere is refused rather than overwritten.

The areas' tables (``domain.tables``) are imported when a row is first read or written:
the Overview, shown at start-up, needs none of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from dom_desk.domain import region as region_api
from dom_desk.domain.overview import Overview, overview
from dom_desk.storage.workbook import Workbook
from dom_desk.ui.undo import edit_field

if TYPE_CHECKING:
    from dom_desk.domain.tables import Change, Row


class Workspace(QObject):
    #: A record was written: the area it was edited in and its fresh row.
    rowChanged = Signal(str, object)
    #: The financial year shown changed.
    yearChanged = Signal(str)

    def __init__(self, wb: Workbook, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.wb = wb
        self.undo_stack = QUndoStack(self)
        self._versions: dict[tuple[str, int], int] = {}
        info = region_api.workbook_info(wb)
        self.region_name = info.region_name
        self.years = list(info.years)
        self.year = info.current_year

    @property
    def read_only(self) -> bool:
        return self.wb.read_only

    @property
    def path(self) -> Any:
        return self.wb.path

    # -- reading ------------------------------------------------------------------------

    def _remember(self, area_key: str, row: Row) -> None:
        from dom_desk.domain.tables import AREAS

        self._versions[(AREAS[area_key].table, row.id)] = row.version

    def rows(self, area_key: str) -> list[Row]:
        from dom_desk.domain import tables

        found = tables.load_rows(self.wb, area_key, self.year)
        for row in found:
            self._remember(area_key, row)
        return found

    def row(self, area_key: str, row_id: int) -> Row:
        from dom_desk.domain import tables

        found = tables.load_row(self.wb, area_key, row_id, self.year)
        self._remember(area_key, found)
        return found

    def overview(self) -> Overview:
        return overview(self.wb, self.year)

    # -- the year -----------------------------------------------------------------------

    def set_year(self, label: str) -> None:
        if label == self.year:
            return
        if label not in self.years:
            raise ValueError(label)
        self.year = label
        if not self.read_only:
            region_api.choose_year(self.wb, label)
        self.yearChanged.emit(label)

    # -- writing ------------------------------------------------------------------------

    def edit(
        self, area_key: str, row_id: int, key: str, old: Any, new: Any, label: str = ""
    ) -> bool:
        """Pushes an undoable edit; False when the write was refused (and explained)."""
        from dom_desk.domain.tables import AREAS

        column = AREAS[area_key].column(key)
        text = (
            self.tr("edit {0} of {1}").format(column.title, label)
            if label
            else self.tr("edit {0}").format(column.title)
        )
        command = edit_field(self, area_key, row_id, key, old, new, text)
        self.undo_stack.push(command)
        return not command.failed

    def write(self, area_key: str, row_id: int, key: str, value: Any) -> Change:
        """One field written to the file (called by the undo commands)."""
        from dom_desk.domain import tables

        expected = self._versions.get((tables.AREAS[area_key].table, row_id))
        change = tables.update_field(
            self.wb, area_key, row_id, key, value, expected_version=expected
        )
        self.rowChanged.emit(area_key, self.row(area_key, row_id))
        return change

    def close(self) -> None:
        self.undo_stack.clear()
        self.wb.close()
