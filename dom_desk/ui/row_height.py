"""The height of a table's rows: one line of text with a little air, whatever the font.

Its own module so the Overview (the first page shown) need not import the grid, the
detail pane and the record dialogs of ``area_page`` for five lines.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QTableView


def compact_rows(table: QTableView) -> None:
    """Rows one line of text high with a little air, whatever the font."""
    height = int(table.fontMetrics().lineSpacing() * 1.5)
    header = table.verticalHeader()
    header.setMinimumSectionSize(height)
    header.setDefaultSectionSize(height)
