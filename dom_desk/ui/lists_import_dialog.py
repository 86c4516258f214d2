"""Import milestones or risks from a spreadsheet: choose the file, see every row and
every problem, then import the lot in one transaction (or nothing)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dom_desk.domain.lists_import import ListKind, ListPreview, PreviewRow, RowStatus
from dom_desk.domain.periods import format_date
from dom_desk.errors import DomDeskError
from dom_desk.ui.messages import messages

Index = QModelIndex | QPersistentModelIndex
XLSX_FILTER = "Spreadsheets (*.xlsx);;All files (*)"


def _what(row: PreviewRow) -> str:
    if row.status is RowStatus.HEADING:
        return row.heading
    if row.status is RowStatus.HEADER:
        return "(header row repeated)"
    values = row.values
    name = values.get("title") or values.get("description") or ""
    reference = values.get("reference") or ""
    return f"{reference} {name}".strip()


def _when(row: PreviewRow) -> str:
    values = row.values
    if "due" in values:
        # The best estimate first, so the date the milestone will carry is in sight.
        due, text = format_date(values.get("due")), values.get("due_text") or ""
        return f"{due} ({text})" if due and text else due or text
    likelihood, impact = values.get("likelihood"), values.get("impact")
    if likelihood is not None and impact is not None:
        return f"{likelihood.label}/{impact.label}"
    return ""


class PreviewModel(QAbstractTableModel):
    HEADERS = ("Row", "Will be", "What", "Date or rating", "Problems and notes")

    def __init__(self, preview: ListPreview, parent: Any = None) -> None:
        super().__init__(parent)
        self.preview = preview
        self.rows = preview.rows

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            notes = "; ".join(
                [f"Error: {e.split(': ', 1)[-1]}" for e in row.errors]
                + [f"Note: {w.split(': ', 1)[-1]}" for w in row.warnings]
            )
            return (str(row.number), row.status.value, _what(row), _when(row), notes)[
                index.column()
            ]
        if role == Qt.ItemDataRole.FontRole and (row.errors or row.status is RowStatus.HEADING):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None


class ListImportDialog(QDialog):
    """The preview: Import is only offered when no row has an error."""

    def __init__(self, preview: ListPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        self.setWindowTitle(
            self.tr("Import {0} from {1}").format(preview.kind.value, preview.path.name)
        )
        summary = QLabel(preview.summary() + ".")
        summary.setWordWrap(True)
        summary.setAccessibleName(self.tr("Import summary"))
        self.table = QTableView()
        self.table.setAccessibleName(self.tr("Rows of the spreadsheet"))
        self.table.setModel(PreviewModel(preview, self))
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.resizeColumnsToContents()
        chars = self.fontMetrics().averageCharWidth()
        # Long wordings ("An initial 11 sites ... by September 2019") would push the
        # problems out of sight: capped, the whole text is in the tooltip.
        header.resizeSection(2, min(header.sectionSize(2), chars * 60))
        header.resizeSection(3, min(header.sectionSize(3), chars * 28))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.addButton(
            self.tr("&Import"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setEnabled(not preview.errors and bool(preview.records))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        hint = QLabel(
            self.tr(
                "Fix the rows marked Error in the spreadsheet and import it "
                "again; nothing is imported while any row has an error."
            )
            if preview.errors
            else self.tr(
                "Rows whose reference is already in the workbook are updated; "
                "the rest are added. The import is one step: all or nothing."
            )
        )
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.resize(chars * 130, self.fontMetrics().height() * 30)


def read_preview(workspace: Any, path: Path, kind: ListKind) -> ListPreview:
    from dom_desk.domain.lists_import import preview_list

    return preview_list(workspace.wb, path, kind)


def apply_file(workspace: Any, path: Path, kind: ListKind) -> str:
    """Reads the file again and writes it in one transaction; returns the summary."""
    from dom_desk.domain.lists_import import import_list

    preview, summary = import_list(workspace.wb, path, kind)
    assert summary is not None
    return f"{preview.path.name}: {summary.added} {kind.value} added, {summary.updated} updated."


def import_list_interactively(
    parent: QWidget, workspace: Any, kind: ListKind, path: Path | None = None
) -> bool:
    """File prompt, preview, import; True when something was imported."""
    if path is None:
        path = messages.open_path(
            parent,
            parent.tr("Import {0} from a spreadsheet").format(kind.value),
            Path(workspace.path).parent,
            file_filter=XLSX_FILTER,
        )
        if path is None:
            return False
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        preview = read_preview(workspace, path, kind)
    except DomDeskError as exc:
        QGuiApplication.restoreOverrideCursor()
        messages.error(parent, str(exc))
        return False
    QGuiApplication.restoreOverrideCursor()
    dialog = ListImportDialog(preview, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    try:
        text = apply_file(workspace, path, kind)
    except DomDeskError as exc:
        messages.error(parent, str(exc))
        return False
    messages.info(QApplication.activeWindow() or parent, text)
    return True
