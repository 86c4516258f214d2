"""The one spreadsheet grid of the window: model, roles, sorting, column fitting,
keyboard, copy/paste/fill down and export, for every table that shows typed rows."""

from dom_desk.ui.elide import WordElideDelegate, word_elided
from dom_desk.ui.grid.area_model import AreaTableModel
from dom_desk.ui.grid.cells import editing_view, return_to_cell, two_lines
from dom_desk.ui.grid.delegate import ChoiceDelegate
from dom_desk.ui.grid.fitting import MAX_COLUMN_CHARS, MIN_COLUMN_CHARS, ColumnFitter
from dom_desk.ui.grid.keyboard import KeyboardTableView, compact, shown_columns, shown_selection
from dom_desk.ui.grid.model import Apply, GridModel, Mark
from dom_desk.ui.grid.proxy import GridSortProxy
from dom_desk.ui.grid.roles import LEFT, MARK, RIGHT, IdRole, KeyRole, SortRole
from dom_desk.ui.grid.view import SpreadsheetView, export_rows

__all__ = [
    "LEFT",
    "MARK",
    "MAX_COLUMN_CHARS",
    "MIN_COLUMN_CHARS",
    "RIGHT",
    "Apply",
    "AreaTableModel",
    "ChoiceDelegate",
    "ColumnFitter",
    "GridModel",
    "GridSortProxy",
    "IdRole",
    "KeyRole",
    "KeyboardTableView",
    "Mark",
    "SortRole",
    "SpreadsheetView",
    "WordElideDelegate",
    "compact",
    "editing_view",
    "export_rows",
    "return_to_cell",
    "shown_columns",
    "shown_selection",
    "two_lines",
    "word_elided",
]
