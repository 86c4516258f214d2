"""One table model for every area: rows from ``load_rows``, columns from the area.

Display text comes from ``format_value`` (UK money and dates), editor text from
``edit_text``; sorting uses the raw values (``SortRole``) and the row's id rides along
(``IdRole``) so a selection survives sorting and reloading. ``setData`` parses what was
typed and hands the typed value to the workspace as an undoable edit: the model never
writes to the file itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractProxyModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget

from dom_desk.domain.tables import Area, Column, Row
from dom_desk.domain.values import Kind, edit_text, format_value, parse_value, sort_key
from dom_desk.errors import ValidationError
from dom_desk.ui.messages import messages

SortRole = Qt.ItemDataRole.UserRole + 1
IdRole = Qt.ItemDataRole.UserRole + 2
#: The column's key (``capacity``), for the delegate and the detail pane.
KeyRole = Qt.ItemDataRole.UserRole + 3

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter

Index = QModelIndex | QPersistentModelIndex


def two_lines(title: str) -> str:
    """``Notice (months)`` -> ``Notice\\n(months)``: split at the most even word break."""
    words = title.split(" ")
    if len(words) < 2 or len(title) <= 10:
        return title
    best = min(
        range(1, len(words)), key=lambda i: max(len(" ".join(words[:i])), len(" ".join(words[i:])))
    )
    return " ".join(words[:best]) + "\n" + " ".join(words[best:])


def _proxies(
    view: QAbstractItemView, model: QAbstractItemModel
) -> list[QAbstractProxyModel] | None:
    """The proxies between ``view`` and ``model``, outermost first; None if the view does
    not show the model."""
    proxies = []
    shown = view.model()
    while isinstance(shown, QAbstractProxyModel) and shown is not model:
        proxies.append(shown)
        shown = shown.sourceModel()
    return proxies if shown is model else None


def editing_view(model: QAbstractItemModel) -> QAbstractItemView | None:
    """The item view whose cell editor is handing ``model`` a value, if any.

    A model is not told which view edits it; the editor is found by focus (Enter) or,
    when the user left the cell by clicking elsewhere, among the views of the model's
    owner that are still editing.
    """
    views: list[QAbstractItemView] = []
    widget = QApplication.focusWidget()
    while widget is not None and not isinstance(widget, QAbstractItemView):
        widget = widget.parentWidget()
    if widget is not None:
        views.append(widget)
    owner = model.parent()
    if isinstance(owner, QWidget):
        views.extend(owner.findChildren(QAbstractItemView))
    return next(
        (
            v
            for v in views
            if v.state() == QAbstractItemView.State.EditingState and _proxies(v, model) is not None
        ),
        None,
    )


def _view_index(view: QAbstractItemView, model: QAbstractItemModel, index: Index) -> QModelIndex:
    """``model``'s index as ``view`` shows it (through any proxies in between)."""
    place = model.index(index.row(), index.column())
    for proxy in reversed(_proxies(view, model) or []):
        place = proxy.mapFromSource(place)
    return place


def return_to_cell(view: QAbstractItemView | None, model: QAbstractItemModel, index: Index) -> None:
    """After a refused cell: the keyboard goes back to that cell once its editor has
    closed, not to whatever widget Qt picks when the message box goes (such as the
    window's year chooser, where the next arrow key would change the year)."""
    if view is None:
        return
    target = QPersistentModelIndex(_view_index(view, model, index))

    def back() -> None:
        if target.isValid():
            view.setCurrentIndex(QModelIndex(target))
            view.scrollTo(QModelIndex(target))
        view.setFocus(Qt.FocusReason.OtherFocusReason)

    # Queued: the view's closeEditor, which follows this commit, moves the focus itself.
    QTimer.singleShot(0, view, back)


class AreaTableModel(QAbstractTableModel):
    """The table columns of one area over a list of rows."""

    def __init__(self, area: Area, workspace: Any = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.area = area
        self.workspace = workspace
        self.columns: tuple[Column, ...] = area.table_columns
        # Where each table column sits in Row.values (which holds every column).
        self._positions = [area.columns.index(c) for c in self.columns]
        self._label_position = next(
            (i for i, c in enumerate(area.columns) if c.key == area.label_key), 0
        )
        self.rows: list[Row] = []
        self._row_of_id: dict[int, int] = {}

    # -- loading ------------------------------------------------------------------------

    def set_rows(self, rows: list[Row]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
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
        value = row.values[self._label_position]
        return str(value) if value not in (None, "") else ""

    def value(self, index: Index) -> Any:
        return self.rows[index.row()].values[self._positions[index.column()]]

    def table_row(self, row: Row, columns: Sequence[int]) -> Row:
        """``row`` narrowed to the given table columns, in that order (what is shown)."""
        return Row(row.id, row.version, tuple(row.values[self._positions[c]] for c in columns))

    @property
    def editable(self) -> bool:
        return self.workspace is not None and not self.workspace.read_only

    # -- the model interface ------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            text = format_value(column.kind, self.value(index))
            if column.kind is Kind.LONG_TEXT:
                return text.split("\n", 1)[0]
            return text
        if role == Qt.ItemDataRole.EditRole:
            return edit_text(column.kind, self.value(index))
        if role == Qt.ItemDataRole.ToolTipRole and column.kind in (Kind.TEXT, Kind.LONG_TEXT):
            return format_value(column.kind, self.value(index)) or None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column.kind.numeric else _LEFT
        if role == SortRole:
            return self.value(index)
        if role == IdRole:
            return self.rows[index.row()].id
        if role == KeyRole:
            return column.key
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            column = self.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                # Figures and dates are narrower than their titles: title on two lines.
                return (
                    column.title
                    if column.kind in (Kind.TEXT, Kind.LONG_TEXT)
                    else two_lines(column.title)
                )
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return _RIGHT if column.kind.numeric else _LEFT
            if role == Qt.ItemDataRole.ToolTipRole:
                return (
                    self.tr("{0} (editable: double-click, F2 or start typing)").format(column.title)
                    if column.editable
                    else column.title
                )
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.editable and self.columns[index.column()].editable:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        if not self.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return False
        column = self.columns[index.column()]
        row = self.rows[index.row()]
        text = str(value if value is not None else "")
        view = editing_view(self)
        if self.submit_text(row.id, column, text, parent=view):
            return True
        return_to_cell(view, self, index)
        return False

    # -- edits, from the table or the detail pane ----------------------------------------

    def submit_text(self, row_id: int, column: Column, text: str, parent: Any = None) -> bool:
        """Parses ``text`` for ``column`` and pushes the edit; False if refused (and
        explained in a message over ``parent``).

        Text that parses to the value already held changes nothing and pushes nothing.
        """
        row = self.row_by_id(row_id)
        if row is None or self.workspace is None:
            return False
        label = self.label_of(row)
        where = f"{label}, {column.title}" if label else column.title
        try:
            new = parse_value(column.kind, text, where, column.choices, column.required)
        except ValidationError as exc:
            messages.error(parent, str(exc))
            return False
        old = row.values[self.area.columns.index(column)]
        if new == old or (old is None and new == ""):
            return True
        return bool(self.workspace.edit(self.area.key, row_id, column.key, old, new, label))


class AreaSortProxy(QSortFilterProxyModel):
    """Sorts on raw values (empty last) and filters on every column, ignoring case."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SortRole)
        self.setFilterKeyColumn(-1)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def lessThan(self, left: Index, right: Index) -> bool:
        source = self.sourceModel()
        if isinstance(source, AreaTableModel):
            a, b = sort_key(source.value(left)), sort_key(source.value(right))
            try:
                return a < b
            except TypeError:
                return str(a) < str(b)
        return super().lessThan(left, right)
