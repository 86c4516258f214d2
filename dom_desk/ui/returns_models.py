"""Table models for the import dialog: the files being imported, and one file's rows.

Problems are marked three ways, never by colour alone: the row's status says "Error",
the faulty cell is tinted and carries the message as its tooltip, and the last column
spells every problem and note out with the cell it is in.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from dom_desk.domain.figures import shown_figure
from dom_desk.domain.periods import period_label
from dom_desk.domain.returns import FilePreview, FileState
from dom_desk.domain.returns_rows import CellIssue, PreviewRow, RowStatus
from dom_desk.domain.values import format_decimal
from dom_desk.readers import returns_format as fmt

Index = QModelIndex | QPersistentModelIndex
#: The raw value of a cell, for sorting (numbers as numbers).
SortRole = Qt.ItemDataRole.UserRole + 1
#: True when the cell holds an error (tests and delegates read it).
ErrorRole = Qt.ItemDataRole.UserRole + 2

_ERROR_BRUSH = QBrush(QColor("#F8D7DA"))
_NOTE_BRUSH = QBrush(QColor("#FFF3CD"))
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


def _number(value: Decimal | None, row: PreviewRow, column: int) -> str:
    """The Actual at its unit's precision (26.58%, 1,197, 8.4 days); numerator and
    denominator as typed."""
    if value is None:
        return ""
    if column == RowPreviewModel.ACTUAL and row.unit is not None:
        return shown_figure(value, row.unit)
    return format_decimal(value)


class RowPreviewModel(QAbstractTableModel):
    """Every non-empty row of one return, as it will be stored or why it will not be."""

    #: (title, the return's column the cell comes from, or "" for derived columns)
    COLUMNS = (
        ("Row", ""),
        ("Code", fmt.CODE),
        ("Measure", fmt.MEASURE),
        ("Status", ""),
        ("Actual", fmt.ACTUAL),
        ("Numerator", fmt.NUMERATOR),
        ("Denominator", fmt.DENOMINATOR),
        ("Commentary", fmt.COMMENTARY),
        ("Problems and notes", ""),
    )
    STATUS, MEASURE, ACTUAL, COMMENTARY, NOTES = 3, 2, 4, 7, 8
    NUMBERS = (4, 5, 6)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[PreviewRow] = []

    def set_preview(self, preview: FilePreview | None) -> None:
        self.beginResetModel()
        self.rows = list(preview.rows) if preview is not None else []
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.COLUMNS[section][0])
        return None

    def _issue(self, row: PreviewRow, column: int) -> CellIssue | None:
        source = self.COLUMNS[column][1]
        if source:
            return row.issue_in(source)
        if column == 0:  # a row-wide issue (a note row) shows on the row number
            return row.issue_in("")
        return None

    def _raw(self, row: PreviewRow, column: int) -> Any:
        return (
            row.row,
            row.measure_code or row.code,
            row.title,
            row.status.label,
            row.actual,
            row.numerator,
            row.denominator,
            row.commentary,
            "; ".join(f"{i.cell}: {i.message}" for i in row.issues),
        )[column]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        issue = self._issue(row, column)
        if role == Qt.ItemDataRole.DisplayRole:
            raw = self._raw(row, column)
            if column in self.NUMBERS:
                # A value that could not be read is shown as it was typed.
                if raw is None and issue is not None:
                    return issue.typed
                return _number(raw, row, column)
            return str(raw)
        if role == SortRole:
            raw = self._raw(row, column)
            return float(raw) if isinstance(raw, Decimal) else raw
        if role == Qt.ItemDataRole.ToolTipRole:
            if issue is not None:
                kind = self.tr("Error") if issue.error else self.tr("Note")
                return f"{kind} in {issue.cell}: {issue.message}"
            if column == self.ACTUAL and row.actual is not None:  # the shown text is rounded
                return self.tr("Stored as {0}").format(format_decimal(row.actual))
            return (
                self._raw(row, column)
                if column in (self.MEASURE, self.COMMENTARY, self.NOTES)
                else None
            )
        if role == Qt.ItemDataRole.BackgroundRole and issue is not None:
            return _ERROR_BRUSH if issue.error else _NOTE_BRUSH
        if role == ErrorRole:
            return bool(issue and issue.error) or (
                column == self.STATUS and row.status is RowStatus.ERROR
            )
        if (
            role == Qt.ItemDataRole.FontRole
            and column == self.STATUS
            and row.status is RowStatus.ERROR
        ):
            return _bold()
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (0, *self.NUMBERS):
            return _RIGHT
        return None


class FileListModel(QAbstractTableModel):
    """The files in the import, with what each holds and what will happen to it."""

    HEADERS = ("File", "Provider", "Period", "Figures", "State", "Message")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.files: list[FilePreview] = []
        self.dry_run = True

    def set_files(self, files: list[FilePreview], dry_run: bool = True) -> None:
        self.beginResetModel()
        self.files = list(files)
        self.dry_run = dry_run
        self.endResetModel()

    def refresh(self) -> None:
        if self.files:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self.files) - 1, len(self.HEADERS) - 1)
            )

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.files)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.HEADERS[section])
        return None

    def _figures(self, preview: FilePreview) -> int:
        if preview.state is FileState.IMPORTED:
            return preview.figures
        return preview.ready_figures

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        preview = self.files[index.row()]
        column = index.column()
        values = (
            preview.name,
            preview.provider_name or preview.provider_written,
            period_label(preview.period_code) if preview.period_code else "",
            self._figures(preview),
            preview.state.label,
            preview.summary(dry_run=self.dry_run),
        )
        if role == Qt.ItemDataRole.DisplayRole:
            value = values[column]
            return f"{value:,}" if isinstance(value, int) else value
        if role == SortRole:  # periods sort by code, which runs in date order
            return preview.period_code if column == 2 else values[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join([*preview.all_problems(), *preview.notes]) or values[5]
        if role == Qt.ItemDataRole.BackgroundRole and column == 4:
            if preview.state is FileState.REFUSED:
                return _ERROR_BRUSH
            if preview.state is FileState.CONFIRM:
                return _NOTE_BRUSH
        if role == ErrorRole:
            return preview.state is FileState.REFUSED
        if (
            role == Qt.ItemDataRole.FontRole
            and column == 4
            and preview.state in (FileState.REFUSED, FileState.CONFIRM)
        ):
            return _bold()
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 3:
            return _RIGHT
        return None
