"""Table models for the import dialog: the files being imported, and one file's rows.

Problems are marked three ways, never by colour alone: the row's status says "Error",
the faulty cell is tinted and carries the message as its tooltip, and the last column
spells every problem and note out with the cell it is in.

A row's figures (Actual, Numerator, Denominator) can be corrected in place: the text
typed is handed to the dialog (``correction_typed``), which has the file checked again
with it. A corrected cell says so (its row's status reads "Corrected", its tooltip what
the file held); a row left out reads "Left out", greyed and in italics.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from dom_desk.domain.figures import shown_figure
from dom_desk.domain.kinds import MeasureUnit
from dom_desk.domain.periods import period_label
from dom_desk.domain.returns import FilePreview, FileState
from dom_desk.domain.returns_row_types import Adjustment
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
_LEFT_OUT_BRUSH = QBrush(QColor("#6C757D"))
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


def _italic() -> QFont:
    font = QFont()
    font.setItalic(True)
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

    #: A figure typed over a cell: (cell such as ``E7``, the text typed).
    correction_typed = Signal(str, str)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[PreviewRow] = []
        #: The file's column letters (``Actual`` -> ``E``); empty: nothing can be edited.
        self.letters: dict[str, str] = {}
        #: Each corrected cell's decision, by cell.
        self.corrected: dict[str, Adjustment] = {}
        self.editable = False

    def set_preview(self, preview: FilePreview | None, editable: bool = False) -> None:
        self.beginResetModel()
        self.rows = list(preview.rows) if preview is not None else []
        self.letters = dict(preview.letters) if preview is not None else {}
        self.corrected = (
            {a.cell: a for a in preview.adjustments if not a.left_out} if preview else {}
        )
        self.editable = editable and preview is not None
        self.endResetModel()

    def cell_of(self, row: PreviewRow, column: int) -> str:
        """The file's cell under a column of this table (``E7``), or "" for none."""
        letter = self.letters.get(self.COLUMNS[column][1])
        return f"{letter}{row.row}" if letter else ""

    def can_leave_out(self, row: PreviewRow) -> bool:
        return self.editable and row.status not in (RowStatus.BLANK, RowStatus.IGNORED)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if not index.isValid():
            return flags
        row = self.rows[index.row()]
        if (
            self.editable
            and index.column() in self.NUMBERS
            and row.measure_id is not None
            and row.status is not RowStatus.LEFT_OUT
            and self.cell_of(row, index.column())
        ):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def _edit_text(self, row: PreviewRow, column: int, issue: CellIssue | None) -> str:
        """What the editor starts with: the correction typed, else the cell as typed
        when it could not be read, else the value in full (a percentage with its sign, so
        it reads back as the same figure)."""
        decided = self.corrected.get(self.cell_of(row, column))
        if decided is not None:
            return decided.new_text
        value = self._raw(row, column)
        if value is None:
            return issue.typed if issue is not None else ""
        text = format_decimal(value).replace(",", "")
        if column == self.ACTUAL and row.unit is MeasureUnit.PERCENT:
            text += "%"
        return text

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        row = self.rows[index.row()]
        column = index.column()
        text = str(value).strip()
        if text == self._edit_text(row, column, self._issue(row, column)):
            return False  # opened and closed unchanged: no decision
        self.correction_typed.emit(self.cell_of(row, column), text)
        return True

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
            "; ".join(
                [f"{i.cell}: {i.message}" for i in row.issues]
                + [
                    self.tr("{0}: corrected from {1}").format(
                        d.cell, f"'{d.old_text}'" if d.old_text else self.tr("empty")
                    )
                    for c in self.NUMBERS
                    if (d := self.corrected.get(self.cell_of(row, c))) is not None
                ]
            )
            if column == self.NOTES
            else "",
        )[column]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        issue = self._issue(row, column)
        decided = self.corrected.get(self.cell_of(row, column)) if column in self.NUMBERS else None
        if role == Qt.ItemDataRole.EditRole and column in self.NUMBERS:
            return self._edit_text(row, column, issue)
        if role == Qt.ItemDataRole.DisplayRole:
            raw = self._raw(row, column)
            if column == self.STATUS:
                return self._status_text(row)
            if column in self.NUMBERS:
                if decided is not None and decided.still:
                    return decided.new_text  # a correction still refused, as typed
                # A value that could not be read is shown as it was typed.
                if raw is None and issue is not None:
                    return issue.typed
                return _number(raw, row, column)
            return str(raw)
        if role == SortRole:
            raw = self._raw(row, column)
            return float(raw) if isinstance(raw, Decimal) else raw
        if role == Qt.ItemDataRole.ToolTipRole:
            if decided is not None:
                return self._corrected_tip(decided)
            if column == self.STATUS and row.status is RowStatus.LEFT_OUT:
                return self.tr("Left out: not imported; recorded with the import")
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
        if row.status is RowStatus.LEFT_OUT:
            if role == Qt.ItemDataRole.ForegroundRole:
                return _LEFT_OUT_BRUSH
            if role == Qt.ItemDataRole.FontRole:
                return _italic()
            if role == ErrorRole:
                return False
            if role == Qt.ItemDataRole.BackgroundRole:
                return None
        if role == Qt.ItemDataRole.FontRole and decided is not None:
            return _italic()
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

    def _status_text(self, row: PreviewRow) -> str:
        text = row.status.label
        if row.status.stored and any(self.cell_of(row, c) in self.corrected for c in self.NUMBERS):
            text = (
                self.tr("Corrected, with a note")
                if row.status is RowStatus.NOTE
                else self.tr("Corrected")
            )
        return text

    def _corrected_tip(self, decided: Adjustment) -> str:
        was = f"'{decided.old_text}'" if decided.old_text else self.tr("empty")
        lines = [self.tr("Corrected in {0}: the file has {1}").format(decided.cell, was)]
        if decided.still:
            lines.append(self.tr("Still refused: {0}").format(decided.still))
        elif decided.stored:
            lines.append(self.tr("Stored as {0}").format(decided.stored))
        return "\n".join(lines)


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
