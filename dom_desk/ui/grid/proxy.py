"""Sorting and filtering of every grid: raw values, empty last; text in any column."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt

from dom_desk.domain.tables import Row
from dom_desk.domain.values import sort_key
from dom_desk.ui.grid.model import GridModel
from dom_desk.ui.grid.roles import Index, SortRole


class GridSortProxy(QSortFilterProxyModel):
    """Sorts on raw values (empty last, not on display text) and filters on every
    column, ignoring case; pages may also keep only the rows a test accepts."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SortRole)
        self.setFilterKeyColumn(-1)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
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
