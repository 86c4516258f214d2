"""Import a list from a spreadsheet: choose the file, see every row and every problem,
then import the lot in one transaction (or nothing).

The Timeline and Risks pages import their own kind; File ▸ Import List… first asks which
of the nine kinds (:class:`ChooseListDialog`), and offers its empty template too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dom_desk.domain.lists_import import ListKind, ListPreview, PreviewRow, RowStatus
from dom_desk.domain.money import format_pounds
from dom_desk.domain.periods import format_date
from dom_desk.errors import DomDeskError
from dom_desk.ui.messages import messages

Index = QModelIndex | QPersistentModelIndex
XLSX_FILTER = "Spreadsheets (*.xlsx);;All files (*)"


#: What each kind's rows are called in the chooser, in the order it lists them.
KIND_TITLES = {
    ListKind.PROVIDERS: "Providers",
    ListKind.SERVICES: "Services",
    ListKind.MEASURES: "Measures (a framework)",
    ListKind.PRIORITIES: "Priorities for the year",
    ListKind.TARGETS: "Targets for the year",
    ListKind.ENVELOPE: "The year's envelope",
    ListKind.AGREEMENTS: "Agreements, with service lines",
    ListKind.DEMAND: "Need and demand figures",
    ListKind.MILESTONES: "Milestones",
    ListKind.RISKS: "Risks",
}


def _what(row: PreviewRow) -> str:
    if row.status is RowStatus.HEADING:
        return row.heading
    if row.status is RowStatus.HEADER:
        return "(header row repeated)"
    if row.what:
        return row.what
    values = row.values
    name = values.get("title") or values.get("description") or ""
    reference = values.get("reference") or ""
    return f"{reference} {name}".strip()


def _shown(value: Any, value_type: str) -> str:
    if value is None or value == "" or value == ():
        return ""
    if isinstance(value, tuple):
        return ", ".join(map(str, value))
    if value_type == "money" and isinstance(value, int):
        return format_pounds(value)
    if hasattr(value, "label"):
        return str(value.label)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return " ".join(str(value).split())


def _details(row: PreviewRow, types: dict[str, str]) -> str:
    """What an update changes; for a new row its other values, as they will be kept."""
    if row.changed:
        return "changes " + ", ".join(row.changed)
    if row.status is RowStatus.UNCHANGED:
        return "as the workbook has it"
    if "due" in row.values or "likelihood" in row.values:
        return _when(row)
    shown = [_shown(v, types.get(k, "text")) for k, v in row.values.items()]
    return " · ".join(t for t in shown if t and t != row.what)[:200]


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
    HEADERS = ("Row", "Will be", "What", "Details", "Problems and notes")

    def __init__(self, preview: ListPreview, parent: Any = None) -> None:
        from dom_desk.domain.lists_import import fields_of

        super().__init__(parent)
        self.preview = preview
        self.rows = preview.rows
        self.types = {s.key: s.value_type for s in fields_of(preview.kind)}

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            # The file and sheet are the dialog's; the cell stays, so it can be found.
            head = f"{self.preview.path.name}, sheet '{self.preview.sheet}', "
            notes = "; ".join(
                [f"Error: {e.removeprefix(head)}" for e in row.errors]
                + [f"Note: {w.removeprefix(head)}" for w in row.warnings]
            )
            columns = (
                str(row.number),
                row.status.value,
                _what(row),
                _details(row, self.types),
                notes,
            )
            return columns[index.column()]
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
                "The workbook already holds everything in this file as it stands: "
                "there is nothing to import."
            )
            if not preview.records
            else self.tr(
                "Rows already in the workbook (by reference, name, code or number) are "
                "updated where the file differs; the rest are added. The import is one "
                "step: all or nothing."
            )
        )
        hint.setWordWrap(True)
        self.hint = hint
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.resize(chars * 130, self.fontMetrics().height() * 30)


def read_preview(
    workspace: Any, path: Path, kind: ListKind, year: str | None = None
) -> ListPreview:
    from dom_desk.domain.lists_import import preview_list

    return preview_list(workspace.wb, path, kind, year_label=year)


def apply_file(workspace: Any, path: Path, kind: ListKind, year: str | None = None) -> str:
    """Reads the file again and writes it in one transaction; returns the summary."""
    from dom_desk.domain.lists_import import import_list

    preview, summary = import_list(workspace.wb, path, kind, year_label=year)
    assert summary is not None
    if not summary.added and not summary.updated:
        return f"{preview.path.name}: nothing changed; the workbook already has it all."
    return f"{preview.path.name}: {summary.added} {kind.value} added, {summary.updated} updated."


def _year_of(workspace: Any, kind: ListKind) -> str | None:
    """The window's year, for the kinds kept per year."""
    if kind in (ListKind.MILESTONES, ListKind.RISKS, ListKind.PROVIDERS, ListKind.SERVICES):
        return None
    return getattr(workspace, "year", None) or None


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
    year = _year_of(workspace, kind)
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        preview = read_preview(workspace, path, kind, year)
    except DomDeskError as exc:
        QGuiApplication.restoreOverrideCursor()
        messages.error(parent, str(exc))
        return False
    QGuiApplication.restoreOverrideCursor()
    dialog = ListImportDialog(preview, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
    finally:
        dialog.deleteLater()
    try:
        text = apply_file(workspace, path, kind, year)
    except DomDeskError as exc:
        messages.error(parent, str(exc))
        return False
    messages.info(QApplication.activeWindow() or parent, text)
    return True


def save_template(parent: QWidget, kind: ListKind, folder: Path) -> Path | None:
    """Asks where, and writes the kind's empty template there; the path, or None."""
    from dom_desk.exports.list_templates import write_list_template

    path = messages.save_xlsx_path(
        parent, parent.tr("Save the {0} template").format(kind.value), folder / f"{kind.value}.xlsx"
    )
    if path is None:
        return None
    try:
        written = write_list_template(kind, path)
    except (DomDeskError, OSError) as exc:
        from dom_desk.files import describe_os_error

        text = describe_os_error(exc, path) if isinstance(exc, OSError) else str(exc)
        messages.error(parent, text)
        return None
    messages.info(parent, parent.tr("Wrote the {0} template {1}.").format(kind.value, written))
    return written


class ChooseListDialog(QDialog):
    """File ▸ Import List…: which list, then its file (or its empty template)."""

    def __init__(self, workspace: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.imported = False
        self.setWindowTitle(self.tr("Import a List"))
        self.kind_combo = QComboBox()
        self.kind_combo.setAccessibleName(self.tr("Kind of list"))
        for kind, title in KIND_TITLES.items():
            self.kind_combo.addItem(self.tr(title), kind)
        intro = QLabel(
            self.tr(
                "Choose what the spreadsheet lists, then the file. Every row is checked "
                "and shown before anything is stored; nothing is stored unless the whole "
                "file is good. Save Template writes an empty sheet with the columns the "
                "import reads. Lists kept per year go into {0}."
            ).format(getattr(workspace, "year", ""))
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("&List:"), self.kind_combo)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.choose_button = QPushButton(self.tr("Choose &File…"))
        self.template_button = QPushButton(self.tr("Save &Template…"))
        buttons.addButton(self.choose_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.template_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.choose_button.clicked.connect(self.choose_file)
        self.template_button.clicked.connect(self.save_template)
        self.choose_button.setEnabled(not getattr(workspace, "read_only", False))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 70)
        self.adjustSize()

    def kind(self) -> ListKind:
        return self.kind_combo.currentData()

    def choose_file(self, path: Path | None = None) -> bool:
        if import_list_interactively(self, self.workspace, self.kind(), path or None):
            self.imported = True
            self.accept()
            return True
        return False

    def save_template(self) -> Path | None:
        return save_template(self, self.kind(), Path(self.workspace.path).parent)


def import_list_from_menu(window: Any) -> bool:
    """File ▸ Import List…: the chooser over the window's workbook; the window reloads
    after an import. True when something was imported."""
    from dom_desk.ui.messages import run_modal

    workspace = window.workspace
    if workspace is None:
        messages.error(window, window.tr("Open a region workbook first, then import into it."))
        return False
    dialog = ChooseListDialog(workspace, window)
    run_modal(dialog)
    if dialog.imported:
        window.reload()
    return dialog.imported
