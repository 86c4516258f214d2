"""The Overview's "Needs attention now": the domain's attention list, most urgent first,
a line each with its severity in words, what it is, its date and how far off that is;
Enter or a double-click opens the line's record (``itemOpened``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dom_desk.domain.attention import Attention, AttentionItem, Severity, chase_summary
from dom_desk.domain.periods import format_date
from dom_desk.ui.elide import WordElideDelegate
from dom_desk.ui.row_height import compact_rows

Index = QModelIndex | QPersistentModelIndex
#: The item behind a row (for tests and the window).
ItemRole = Qt.ItemDataRole.UserRole + 1
#: Rows shown before the list scrolls on its own (the page scrolls too).
ROWS_SHOWN = 9
#: A tint behind the severity word (the word says it; the tint helps the eye find it).
_TINTS = {
    Severity.OVERDUE: QColor("#f9d9d6"),
    Severity.OVER: QColor("#f9d9d6"),
    Severity.MISSED_TWICE: QColor("#f9d9d6"),
    Severity.DUE: QColor("#fdf0c7"),
    Severity.MISSED: QColor("#fdf0c7"),
    Severity.NEARLY: QColor("#fdf0c7"),
}
_INK = QColor("#1a1a1a")


class AttentionModel(QAbstractTableModel):
    """One row per attention item: severity, what, date, how far off."""

    SEVERITY, WHAT, DATE, WHEN = range(4)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.headers = (self.tr("Severity"), self.tr("What needs attention"), self.tr("Date"), "")
        self.items: tuple[AttentionItem, ...] = ()
        self._bold: QFont | None = None

    def set_attention(self, found: Attention) -> None:
        self.beginResetModel()
        self.items = found.items
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def cell_text(self, item: AttentionItem, column: int) -> str:
        if column == self.SEVERITY:
            return item.severity.value
        if column == self.WHAT:
            return item.text
        if column == self.DATE:
            return format_date(item.when)
        return item.when_words if item.when else ""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(item, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = item.text
            if item.detail:
                tip = f"{tip}\n\n{item.detail}"
            return f"{tip}\n\nEnter or double-click opens it."
        if role == Qt.ItemDataRole.FontRole and column == self.SEVERITY and item.severity.urgent:
            return self._bold_font()
        if role == Qt.ItemDataRole.BackgroundRole and column == self.SEVERITY:
            return _TINTS.get(item.severity)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.SEVERITY:
            return _INK if item.severity in _TINTS else None
        if role == ItemRole:
            return item
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return ", ".join(
                t for t in (self.cell_text(item, c) for c in range(len(self.headers))) if t
            )
        return None

    def _bold_font(self) -> QFont:
        if self._bold is None:
            self._bold = QFont()
            self._bold.setBold(True)
        return self._bold

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.headers)
        ):
            return self.headers[section] or self.tr("When")
        return None


class AttentionPanel(QGroupBox):
    """The list in a box at the top of the Overview."""

    #: A line was opened (Enter or double-click).
    itemOpened = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Needs attention now"), parent)
        self.setObjectName("attention_panel")
        self.summary = QLabel(self.tr("Working out what needs attention…"))
        self.summary.setObjectName("attention_summary")
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(self.tr("What needs attention"))
        font = QFont(self.summary.font())
        font.setBold(True)
        self.summary.setFont(font)
        self.model = AttentionModel(self)
        self.table = QTableView()
        self.table.setObjectName("attention_table")
        self.table.setAccessibleName(self.tr("Needs attention now, most urgent first"))
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setItemDelegate(WordElideDelegate(self.table))  # cut at a word, tip whole
        self.table.setAlternatingRowColors(True)
        compact_rows(self.table)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(AttentionModel.WHAT, QHeaderView.ResizeMode.Stretch)
        # Enter, and a double-click (the style's activation): never both for one click.
        self.table.activated.connect(self._activated)
        hint = QLabel(
            self.tr(
                "Most urgent first: overdue, over budget and targets missed twice running, "
                "then by date. Enter or double-click opens a line."
            )
        )
        hint.setWordWrap(True)
        hint.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        layout.addWidget(hint)
        self._fit_height(0)

    def show_attention(self, found: Attention) -> None:
        self.model.set_attention(found)
        self.summary.setText(chase_summary(found))
        self.table.setVisible(bool(found.items))
        self._fit_height(len(found.items))
        if found.items:
            self.table.setCurrentIndex(self.model.index(0, AttentionModel.WHAT))

    def show_failure(self, text: str) -> None:
        self.summary.setText(self.tr("What needs attention could not be read: {0}").format(text))

    def _fit_height(self, rows: int) -> None:
        """Tall enough for the rows up to ROWS_SHOWN; more scroll within the list."""
        row = self.table.verticalHeader().defaultSectionSize()
        shown = max(1, min(rows, ROWS_SHOWN))
        frame = 2 * self.table.frameWidth()
        self.table.setFixedHeight(
            self.table.horizontalHeader().sizeHint().height() + row * shown + frame
        )

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.itemOpened.emit(self.model.items[index.row()])

    def open_current(self) -> None:
        self._activated(self.table.currentIndex())
