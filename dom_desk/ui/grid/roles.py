"""The item-data roles and alignments every grid of the window uses.

One set for every table model: a page, a delegate or a test asks any grid for a row's
id or a cell's raw value the same way.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

#: The raw value (pence, a date), for sorting: never the display text.
SortRole = Qt.ItemDataRole.UserRole + 1
#: The id of the record a row shows, so a selection survives sorting and reloading.
IdRole = Qt.ItemDataRole.UserRole + 2
#: The column's key (``capacity``), for the delegate and the detail pane.
KeyRole = Qt.ItemDataRole.UserRole + 3

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter

#: Put before a marked cell's text, so a change shows without relying on colour.
MARK = "* "

Index = QModelIndex | QPersistentModelIndex
