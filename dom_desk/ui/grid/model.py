"""The one table model of the window: typed rows under typed columns.

Display text comes from ``format_value`` (UK money and dates), editor text from
``edit_text``; sorting uses the raw values (``SortRole``) and the row's id rides along
(``IdRole``). A typed cell is checked like a one-cell paste (``domain.paste``) and handed
to ``apply`` as one batch of edits (one undo step): the model never writes to a file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication, QIcon, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QAbstractItemView

from dom_desk.domain import paste
from dom_desk.domain.paste import CellCheck, PasteError, RowLabel
from dom_desk.domain.tables import Column, FieldEdit, Row
from dom_desk.domain.values import Kind, edit_text, format_value
from dom_desk.ui.grid.cells import editing_view, return_to_cell, two_lines
from dom_desk.ui.grid.roles import LEFT, MARK, RIGHT, IdRole, Index, KeyRole, SortRole
from dom_desk.ui.messages import messages

#: Writes a batch of edits as one undo step; returns False if it was refused.
Apply = Callable[[list[FieldEdit], str], bool]
#: A note for a cell that should be marked (changed in a scenario), or None.
Mark = Callable[[Row, Column], str | None]
#: Why a whole row is read only (a signed agreement's), or None while it can be edited.
RowLock = Callable[[Row], str | None]

_TEXT = (Kind.TEXT, Kind.LONG_TEXT)


def lock_icon() -> QIcon:
    """A small padlock in the palette's text colour (no icon theme has one everywhere,
    and the emoji is missing from many fonts), so it reads in light and dark palettes."""
    colour = QGuiApplication.palette().color(QPalette.ColorRole.Text)
    found = _LOCK_ICONS.get(colour.name())
    if found is None:
        pixmap = QPixmap(16, 16)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(colour, 1.6))
        painter.drawArc(QRectF(4.5, 1.5, 7, 8), 0, 180 * 16)  # the shackle
        painter.drawLine(QPointF(4.5, 5.5), QPointF(4.5, 7.5))
        painter.drawLine(QPointF(11.5, 5.5), QPointF(11.5, 7.5))
        painter.fillRect(QRectF(2.5, 7.5, 11, 7.5), colour)  # the body
        painter.end()
        found = _LOCK_ICONS[colour.name()] = QIcon(pixmap)
    return found


_LOCK_ICONS: dict[str, QIcon] = {}


def _first_text(row: Row) -> str:
    return str(row.values[0]) if row.values else ""


class GridModel(QAbstractTableModel):
    """Rows of typed values under typed columns; edits go to ``apply``, never to a file.

    ``positions`` says where each column's value sits in ``Row.values`` when rows carry
    more values than are shown (an area's rows hold every column of the area).
    """

    #: A typed cell was refused (and the user told why).
    refused = Signal()

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        label: RowLabel = _first_text,
        check: CellCheck | None = None,
        apply: Apply | None = None,
        cell_editable: Callable[[Row, Column], bool] | None = None,
        mark: Mark | None = None,
        row_lock: RowLock | None = None,
        lock_column: str | None = None,
        positions: Sequence[int] | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.columns: tuple[Column, ...] = tuple(columns)
        self._positions = list(positions) if positions is not None else list(range(len(columns)))
        self.rows: list[Row] = []
        self._row_of_id: dict[int, int] = {}
        self.label = label
        self.check = check
        self.apply = apply
        self.cell_editable = cell_editable
        self.mark = mark
        # A locked row shows a lock icon (in ``lock_column``, else the first column) and
        # its reason as the tooltip; none of its cells offers an editor.
        self.row_lock = row_lock
        self.lock_column = lock_column
        self._bold = QFont()
        self._bold.setBold(True)

    # -- rows -----------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[Row]) -> None:
        """Shows ``rows``. The same records in the same order (figures re-read after an
        edit) are updated in place: a reset would close the cell editor that is still
        saving, and with it the table's keyboard focus."""
        rows = list(rows)
        if rows and [r.id for r in rows] == [r.id for r in self.rows]:
            self.rows = rows
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(rows) - 1, len(self.columns) - 1)
            )
            return
        self.beginResetModel()
        self.rows = rows
        self._row_of_id = {row.id: i for i, row in enumerate(self.rows)}
        self.endResetModel()

    def replace_row(self, row: Row) -> bool:
        """Puts a freshly read row in place of the one with its id; False if not shown."""
        position = self._row_of_id.get(row.id)
        if position is None:
            return False
        self.rows[position] = row
        self.dataChanged.emit(self.index(position, 0), self.index(position, len(self.columns) - 1))
        return True

    def row_by_id(self, row_id: int) -> Row | None:
        position = self._row_of_id.get(row_id)
        return None if position is None else self.rows[position]

    def position_of(self, row_id: int) -> int | None:
        return self._row_of_id.get(row_id)

    def label_of(self, row: Row) -> str:
        return self.label(row)

    def value(self, index: Index) -> Any:
        return self.rows[index.row()].values[self._positions[index.column()]]

    def table_row(self, row: Row, columns: Sequence[int]) -> Row:
        """``row`` narrowed to the given columns, in that order (what is shown)."""
        return Row(row.id, row.version, tuple(row.values[self._positions[c]] for c in columns))

    # -- editing --------------------------------------------------------------------------

    @property
    def editable(self) -> bool:
        """Whether anything here can be written at all."""
        return self.apply is not None

    def not_editable_text(self, title: str) -> str:
        """Why a paste into this grid is refused when nothing here can be written."""
        return self.tr("{0} cannot be edited here.").format(title)

    def lock_reason(self, row: Row) -> str | None:
        """Why ``row`` is read only, or None."""
        return None if self.row_lock is None else self.row_lock(row)

    def _lock_shown_at(self, index: Index) -> bool:
        key = self.lock_column
        if key is None:
            return index.column() == 0
        return self.columns[index.column()].key == key

    def _editable(self, index: Index) -> bool:
        column = self.columns[index.column()]
        if not self.editable or not column.editable:
            return False
        if self.lock_reason(self.rows[index.row()]):
            return False
        return self.cell_editable is None or self.cell_editable(self.rows[index.row()], column)

    # -- the model interface --------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def _note(self, index: Index) -> str | None:
        if self.mark is None:
            return None
        return self.mark(self.rows[index.row()], self.columns[index.column()])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return None
        column = self.columns[index.column()]
        value = self.value(index)
        if role == Qt.ItemDataRole.DisplayRole:
            text = format_value(column.kind, value)
            if column.kind is Kind.LONG_TEXT:
                text = text.split("\n", 1)[0]
            return MARK + text if self._note(index) else text
        if role == Qt.ItemDataRole.EditRole:
            return edit_text(column.kind, value)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleDescriptionRole):
            return self._tip(index, column, value, role)
        if role == Qt.ItemDataRole.FontRole and self._note(index):
            return self._bold
        if (
            role == Qt.ItemDataRole.DecorationRole
            and self._lock_shown_at(index)
            and self.lock_reason(self.rows[index.row()])
        ):
            return lock_icon()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if column.kind.numeric else LEFT
        if role == SortRole:
            return value
        if role == IdRole:
            return self.rows[index.row()].id
        if role == KeyRole:
            return column.key
        return None

    def _tip(self, index: Index, column: Column, value: Any, role: int) -> str | None:
        note = self._note(index)
        if note:
            return note
        locked = self.lock_reason(self.rows[index.row()])
        if locked and (self._lock_shown_at(index) or (column.editable and self.editable)):
            return locked
        if not self._editable(index) and column.editable and self.editable:
            return self.tr("Not editable here")
        if column.kind in _TEXT and role == Qt.ItemDataRole.ToolTipRole:
            return format_value(column.kind, value) or None  # the whole of a cut text
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            column = self.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                # Titles on two lines at their most even break: a title ("Delivery date
                # as written") is then seldom what makes a column wide, so the names
                # beside it keep the width.
                return two_lines(column.title)
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return RIGHT if column.kind.numeric else LEFT
            if role == Qt.ItemDataRole.ToolTipRole:
                return (
                    self.tr("{0} (editable: double-click, F2 or start typing)").format(column.title)
                    if column.editable and self.editable
                    else column.title
                )
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._editable(index):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        if not self.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return False
        view = editing_view(self)
        if self.commit_text(index, "" if value is None else str(value), view):
            return True
        self.refused.emit()
        return_to_cell(view, self, index)
        return False

    def commit_text(self, index: Index, text: str, view: QAbstractItemView | None) -> bool:
        """A typed cell: checked like a one-cell paste, written as one undo step; False if
        refused (and explained in a message over ``view``)."""
        assert self.apply is not None  # only editable cells get here
        shown = (
            self.rows
            if self._positions == list(range(len(self.columns)))
            else [self.table_row(r, range(len(self.columns))) for r in self.rows]
        )
        whole = self.rows[index.row()]
        check = self.check
        try:
            edits = paste.plan_cells(
                self.columns,
                shown,
                {(index.row(), index.column()): text},
                label=lambda _row: self.label(whole),
                check=None if check is None else (lambda _r, c, v, w: check(whole, c, v, w)),
            )
        except PasteError as exc:
            messages.error(view, exc.problems[0] if len(exc.problems) == 1 else str(exc))
            return False
        if not edits:
            return True
        column = self.columns[index.column()]
        return self.apply(edits, self.tr("edit {0} of {1}").format(column.title, self.label(whole)))
