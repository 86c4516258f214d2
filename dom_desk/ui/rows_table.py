"""Read-only tables of frozen domain rows: each column a title, a function giving the
cell's text, and whether it holds a figure (right-aligned). The window's summary tabs
(value for money, need and demand) show the domain's plain values through these."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from dom_desk.ui.elide import WordElideDelegate
from dom_desk.ui.grid.fitting import (
    MIN_COLUMN_CHARS,
    cut_widths,
    first_word_width,
    holds_words,
)

Index = QModelIndex | QPersistentModelIndex
Column = tuple[str, Callable[[Any], str], bool]
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class RowsModel(QAbstractTableModel):
    """The rows, one per line; ``shade(row)`` may give a background for a row that needs
    a look (its text must say why too: colour only helps)."""

    def __init__(
        self, columns: Sequence[Column], shade: Callable[[Any], QBrush | None] | None = None
    ) -> None:
        super().__init__()
        self.columns = tuple(columns)
        self.shade = shade
        self.rows: tuple[Any, ...] = ()

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = tuple(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section][0]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        _title, text, figure = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and figure:
            return _RIGHT
        if role == Qt.ItemDataRole.BackgroundRole and self.shade is not None:
            return self.shade(row)
        return None


def rows_table(model: QAbstractTableModel, name: str) -> QTableView:
    """A read-only, row-selecting, one-line-per-row table over ``model``."""
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setItemDelegate(WordElideDelegate(view))  # cut at a word, the whole as a tip
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    return view


def fit_columns(view: QTableView, widest: int = 220) -> None:
    """Columns fitted to their contents, none wider than ``widest`` pixels; on screen,
    columns of words too wide for the table together are cut as the grid's are (the
    longest first, never below a column's first word), so the last ones stay in view."""
    view.resizeColumnsToContents()
    model = view.model()
    count = model.columnCount()
    widths = [min(view.columnWidth(c), widest) for c in range(count)]
    excess = sum(widths) - view.viewport().width()
    if view.isVisible() and excess > 0:
        columns = model.columns if isinstance(model, RowsModel) else None
        words = [
            c for c in range(count) if not (columns and columns[c][2]) and holds_words(view, c)
        ]
        floor = view.fontMetrics().averageCharWidth() * MIN_COLUMN_CHARS
        cut = cut_widths(
            [widths[c] for c in words],
            [1] * len(words),
            excess,
            [max(floor, first_word_width(view, c)) for c in words],
        )
        for c, width in zip(words, cut, strict=True):
            widths[c] = width
    for column, width in enumerate(widths):
        view.setColumnWidth(column, width)
