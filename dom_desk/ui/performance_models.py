"""Table models of the Performance area: the status matrix (the weighted scorecard's is in
:mod:`dom_desk.ui.performance_scorecard_model`).

Both read plain dataclasses the domain built on a worker thread; nothing here touches
the file. Every coloured cell also carries its status in words and a symbol, so nothing
is told by colour alone, and a screen reader hears the whole sentence.
"""

from __future__ import annotations

import textwrap
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QIdentityProxyModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from dom_desk.domain.matrix import Cell, MatrixView
from dom_desk.domain.status import Status
from dom_desk.ui.actions_tab import action_line

Index = QModelIndex | QPersistentModelIndex
#: A Python value the sort proxy orders by (tuples, Decimals): never compared as text.
SortKeyRole = Qt.ItemDataRole.UserRole + 11
#: (provider id, measure id) of a matrix cell; the provider id of a row.
KeyRole = Qt.ItemDataRole.UserRole + 12
#: The cell's domain object (Cell or None), for the page and tests.
CellRole = Qt.ItemDataRole.UserRole + 13
#: The performance action open on the cell's provider and measure (ActionInfo or None).
ActionRole = Qt.ItemDataRole.UserRole + 14

#: Light tints so black text stays above 4.5:1 contrast (WCAG 2.1 AA) on every one.
STATUS_COLOURS: dict[Status, str] = {
    Status.MET: "#cdeccd",
    Status.NEAR: "#fde4a5",
    Status.MISSED: "#f6b9b3",
    Status.MISSING: "#dcc6ec",
    Status.NO_TARGET: "#ececec",
    Status.NO_FIGURES: "#f5f5f5",
    Status.NOT_DUE: "#ffffff",
}
TEXT_COLOUR = "#111111"
NOT_APPLICABLE = "–"
#: Characters on a line of a compact heading (its short name wraps on whole words).
COMPACT_CHARS = 12

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_CENTRE = Qt.AlignmentFlag.AlignCenter
_BRUSHES = {status: QBrush(QColor(colour)) for status, colour in STATUS_COLOURS.items()}
_TEXT = QBrush(QColor(TEXT_COLOUR))
_MUTED = QBrush(QColor("#6b6b6b"))


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


class MatrixModel(QAbstractTableModel):
    """Providers down (the vertical header), an "Issues" column, then one column per
    measure; each cell its status in colour, symbol and words, with the figure."""

    ISSUES = 0

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.view: MatrixView | None = None
        self.show_figures = True
        #: The compact density: a cell shows its symbol and figure, its words in the tooltip.
        self.compact = False
        self._issues: list[int] = []
        #: Missed targets and missing returns of each matrix row shown.
        self._issues_of: dict[int, int] = {}
        #: (measure id, or None for the issues column; order) the rows are sorted by,
        #: kept across changes of filter.
        self._sort: tuple[int | None, Qt.SortOrder] | None = None
        self._bold = _bold()
        #: Open actions by (provider id, measure id): a mark and a tooltip line.
        self.actions: dict[tuple[int, int], Any] = {}

    def set_actions(self, actions: dict[tuple[int, int], Any]) -> None:
        self.actions = dict(actions)
        if self.rowCount() and self.columnCount() > 1:
            self.dataChanged.emit(
                self.index(0, 1), self.index(self.rowCount() - 1, self.columnCount() - 1)
            )

    def set_view(self, view: MatrixView | None) -> None:
        self.beginResetModel()
        self._issues_of = {}
        if view is not None:
            problems = (Status.MISSED, Status.MISSING)
            for r in view.rows:
                line = view.matrix.cells[r]
                self._issues_of[r] = sum(
                    1
                    for c in view.cols
                    if (cell := line[c]) is not None and cell.status in problems
                )
        self.view = self._sorted(view)
        self.endResetModel()

    # -- sorting ------------------------------------------------------------------------
    # The model sorts itself with one Python sort on precomputed keys. A sort proxy would
    # call lessThan (two data() calls) some 13,000 times for 1,000 providers, and rebuild
    # its mapping on every change of filter: a visible pause on a national matrix.

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = None
        if self.view is not None and column == self.ISSUES:
            self._sort = (None, order)
        elif self.view is not None and 0 < column <= len(self.view.cols):
            self._sort = (self.view.matrix.measures[self.view.cols[column - 1]].id, order)
        if self.view is None:
            return
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        keys = [(self.view.rows[i.row()], i.column()) for i in before]
        self.view = self._sorted(self.view)
        at = {r: position for position, r in enumerate(self.view.rows)}
        self.changePersistentIndexList(before, [self.index(at[r], c) for r, c in keys])
        self.layoutChanged.emit()

    def _sorted(self, view: MatrixView | None) -> MatrixView | None:
        """The view's rows in the chosen order (worst status first when ascending), ties
        in provider order; the issues column follows its rows."""
        if view is not None and self._sort is not None:
            order = self._sort[1]
            key = self._row_key(view, self.sorted_column(view))
            if key is not None:
                rows = sorted(view.rows, key=key, reverse=order == Qt.SortOrder.DescendingOrder)
                view = MatrixView(view.matrix, rows, view.cols)
        self._issues = [self._issues_of[r] for r in view.rows] if view is not None else []
        return view

    def sorted_column(self, view: MatrixView | None = None) -> int:
        """The column the rows are sorted by in ``view`` (the one shown by default): the
        sort follows its measure when a filter moves or hides columns; -1 for none."""
        view = view or self.view
        if self._sort is None or view is None:
            return -1
        measure_id = self._sort[0]
        if measure_id is None:
            return self.ISSUES
        for position, c in enumerate(view.cols, start=1):
            if view.matrix.measures[c].id == measure_id:
                return position
        return -1

    @property
    def sort_order(self) -> Qt.SortOrder:
        return self._sort[1] if self._sort else Qt.SortOrder.AscendingOrder

    def _row_key(self, view: MatrixView, column: int) -> Any:
        if column == self.ISSUES:
            return lambda r: -self._issues_of[r]
        if not 0 < column <= len(view.cols):
            return None
        c = view.cols[column - 1]
        cells = view.matrix.cells
        nothing = Decimal(0)

        def key(r: int) -> tuple[int, Decimal]:
            cell = cells[r][c]
            if cell is None:
                return (9, nothing)
            return (cell.status.severity, cell.value if cell.value is not None else nothing)

        return key

    def set_show_figures(self, shown: bool) -> None:
        self.show_figures = shown
        if self.rowCount() and self.columnCount() > 1:
            self.dataChanged.emit(
                self.index(0, 1),
                self.index(self.rowCount() - 1, self.columnCount() - 1),
                [Qt.ItemDataRole.DisplayRole],
            )

    # -- shape --------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.view is None else len(self.view.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.view is None else len(self.view.cols) + 1

    def cell_at(self, row: int, column: int) -> Cell | None:
        assert self.view is not None
        return self.view.cell(row, column - 1) if column > self.ISSUES else None

    # -- data ---------------------------------------------------------------------------

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.view is None or not index.isValid():
            return None
        row, column = index.row(), index.column()
        if column == self.ISSUES:
            return self._issues_data(row, role)
        cell = self.cell_at(row, column)
        if role == Qt.ItemDataRole.DisplayRole:
            if cell is None:
                return NOT_APPLICABLE
            return self.cell_text(cell)
        if role == Qt.ItemDataRole.BackgroundRole:
            return _BRUSHES[cell.status] if cell is not None else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return _TEXT if cell is not None else _MUTED
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if cell is not None and cell.status is Status.MISSING else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _LEFT if cell is not None else _CENTRE
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._sentence(row, column, cell)
        if role == Qt.ItemDataRole.EditRole:  # what Ctrl+C copies
            return cell.text if cell is not None else ""
        if role == SortKeyRole:
            if cell is None:
                return (9, Decimal(0))
            return (cell.status.severity, cell.value if cell.value is not None else Decimal(0))
        if role == KeyRole:
            return (
                self.view.matrix.providers[self.view.rows[row]].id,
                self.view.matrix.measures[self.view.cols[column - 1]].id,
            )
        if role == CellRole:
            return cell
        if role == ActionRole:
            return self.actions.get(self._key(row, column))
        return None

    def _key(self, row: int, column: int) -> tuple[int, int]:
        assert self.view is not None
        return (
            self.view.matrix.providers[self.view.rows[row]].id,
            self.view.matrix.measures[self.view.cols[column - 1]].id,
        )

    def cell_text(self, cell: Cell) -> str:
        """What a cell shows with the figures and density chosen."""
        if not self.show_figures:
            return f"{cell.status.symbol} {cell.label}"
        return cell.short_text if self.compact else cell.text

    def set_compact(self, compact: bool) -> None:
        self.compact = compact
        self.set_show_figures(self.show_figures)

    def _issues_data(self, row: int, role: int) -> Any:
        count = self._issues[row]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return str(count) if count else "0"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT
        if role == SortKeyRole:
            return (-count, 0)
        if role == Qt.ItemDataRole.FontRole and count:
            return self._bold
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            assert self.view is not None
            name = self.view.matrix.providers[self.view.rows[row]].name
            return self.tr("{0}: {1} targets missed or returns missing").format(name, count)
        if role == KeyRole:
            assert self.view is not None
            return (self.view.matrix.providers[self.view.rows[row]].id, None)
        return None

    def _sentence(self, row: int, column: int, cell: Cell | None) -> str:
        assert self.view is not None
        provider = self.view.matrix.providers[self.view.rows[row]]
        measure = self.view.matrix.measures[self.view.cols[column - 1]]
        head = f"{provider.name}, {measure.code} ({measure.title})"
        action = self.actions.get((provider.id, measure.id))
        line = f"\n{action_line(action)}" if action is not None else ""
        if cell is None:
            return self.tr("{0}: does not apply.").format(head) + line
        return f"{head}: {cell.sentence}{line}"

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if self.view is None:
            return None
        if orientation == Qt.Orientation.Vertical:
            if not 0 <= section < len(self.view.rows):
                return None
            provider = self.view.matrix.providers[self.view.rows[section]]
            if role == Qt.ItemDataRole.DisplayRole:
                return provider.name
            if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
                return f"{provider.name}: {provider.kind.label}"
            return None
        if section == self.ISSUES:
            if role == Qt.ItemDataRole.DisplayRole:
                return self.tr("Issues")
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.tr("Targets missed and returns missing among the measures shown")
            return None
        if not 0 < section <= len(self.view.cols):
            return None
        measure = self.view.matrix.measures[self.view.cols[section - 1]]
        if role == Qt.ItemDataRole.DisplayRole:
            if self.compact:  # the short name on narrow lines, whole words, over the code
                return "\n".join(
                    [
                        *textwrap.wrap(measure.short_name, COMPACT_CHARS, break_long_words=False),
                        measure.code,
                    ]
                )
            return measure.heading
        if role == Qt.ItemDataRole.ToolTipRole:
            return measure.describe()
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{measure.short_name}, {measure.code}. {measure.describe()}"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class MatrixProxy(QIdentityProxyModel):
    """The matrix as the view sees it: sorting is passed to the model, which sorts its
    rows itself (see MatrixModel.sort); no mapping is rebuilt on a change of filter."""


class KeySortProxy(QSortFilterProxyModel):
    """Sorts on the Python keys of ``SortKeyRole`` (worst status first), never on text."""

    def lessThan(self, left: Index, right: Index) -> bool:
        a = self.sourceModel().data(left, SortKeyRole)
        b = self.sourceModel().data(right, SortKeyRole)
        if a is None or b is None:
            return super().lessThan(left, right)
        return bool(a < b)
