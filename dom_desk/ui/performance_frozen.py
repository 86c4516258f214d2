"""The matrix's frozen first columns: provider names and their issue counts stay in view
while the measures scroll sideways.

Qt's frozen-column technique: a second table view over the same model and selection
model, laid over the left edge of the matrix and showing only the provider (its
vertical header) and the Issues column. It follows the matrix's vertical scrolling, row
heights, column width and font; a click on its Issues heading sorts the matrix (one
model, so both views show the same order), and a selection in either is one selection.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QFrame, QHeaderView, QTableView

from dom_desk.ui.performance_models import MatrixModel


class FrozenColumns(QObject):
    """Keeps ``self.view`` (the frozen part) over ``table``'s left edge and in step."""

    def __init__(self, table: QTableView) -> None:
        super().__init__(table)
        self.table = table
        view = self.view = QTableView(table)
        view.setObjectName("performance_matrix_frozen")
        view.setAccessibleName(table.tr("Providers (kept in view)"))
        view.setModel(table.model())
        view.setSelectionModel(table.selectionModel())
        view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        view.setSelectionMode(table.selectionMode())
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.setVerticalScrollMode(table.verticalScrollMode())
        view.setWordWrap(False)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        # No style sheet: one would stop the compact density's font reaching the headers.
        view.setFrameShape(QFrame.Shape.NoFrame)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        view.horizontalHeader().setDefaultAlignment(table.horizontalHeader().defaultAlignment())
        view.horizontalHeader().setHighlightSections(False)
        view.horizontalHeader().setSortIndicatorShown(True)
        view.horizontalHeader().sectionClicked.connect(self._sort)
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        view.doubleClicked.connect(table.doubleClicked)
        # Scrolled together, either way round.
        view.verticalScrollBar().valueChanged.connect(table.verticalScrollBar().setValue)
        table.verticalScrollBar().valueChanged.connect(view.verticalScrollBar().setValue)
        table.horizontalHeader().sectionResized.connect(self._section_resized)
        table.horizontalHeader().sortIndicatorChanged.connect(self._sorted)
        model = table.model()
        model.modelReset.connect(self.update)
        model.layoutChanged.connect(self.update)
        table.installEventFilter(self)
        table.viewport().installEventFilter(self)
        header = table.horizontalHeader()
        self._sorted(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self.update()
        view.show()
        view.raise_()

    def update(self, *_args: Any) -> None:
        """Shows only the frozen column, sized and placed as the matrix's."""
        view, table = self.view, self.table
        for column in range(table.model().columnCount()):
            view.setColumnHidden(column, column != MatrixModel.ISSUES)
        view.setFont(table.font())
        view.horizontalHeader().setFont(table.horizontalHeader().font())
        view.verticalHeader().setFont(table.verticalHeader().font())
        view.verticalHeader().setDefaultSectionSize(table.verticalHeader().defaultSectionSize())
        view.verticalHeader().setFixedWidth(table.verticalHeader().width())
        view.setColumnWidth(MatrixModel.ISSUES, table.columnWidth(MatrixModel.ISSUES))
        view.horizontalHeader().setFixedHeight(table.horizontalHeader().height())
        self._place()
        view.verticalScrollBar().setValue(table.verticalScrollBar().value())

    def _place(self) -> None:
        table, frame = self.table, self.table.frameWidth()
        width = table.verticalHeader().width() + table.columnWidth(MatrixModel.ISSUES)
        height = table.viewport().height() + table.horizontalHeader().height()
        self.view.setGeometry(frame, frame, width, height)

    def _section_resized(self, section: int, _old: int, _new: int) -> None:
        if section == MatrixModel.ISSUES:
            self.update()

    def _sort(self, section: int) -> None:
        """A click on the frozen Issues heading sorts the matrix as a click on its own."""
        header = self.table.horizontalHeader()
        ascending = Qt.SortOrder.AscendingOrder
        order = (
            Qt.SortOrder.DescendingOrder
            if header.sortIndicatorSection() == section and header.sortIndicatorOrder() == ascending
            else ascending
        )
        self.table.sortByColumn(section, order)

    def _sorted(self, section: int, order: Qt.SortOrder) -> None:
        self.view.horizontalHeader().setSortIndicator(section, order)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.FontChange):
            self.update()
        return False
