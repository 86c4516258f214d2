"""Tools ▸ Import Framework…: a published measure framework (or a region's own file)
added to a year, as ``dom-desk import-framework`` does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dom_desk.errors import DomDeskError
from dom_desk.ui.messages import messages, run_modal

FRAMEWORK_FILTER = "Measure frameworks (*.xlsx *.xlsm *.json)"


class FrameworkDialog(QDialog):
    """The shipped frameworks (name, year, measures, source) and the year to import into."""

    def __init__(self, workspace: Any, parent: QWidget | None = None) -> None:
        from dom_desk.readers.frameworks import shipped_frameworks

        super().__init__(parent)
        self.setWindowTitle(self.tr("Import a measure framework"))
        self.workspace = workspace
        self.frameworks = shipped_frameworks()
        #: What was imported, as one sentence (empty until something is).
        self.done_text = ""
        #: The import added the year to the workbook (the year chooser must learn it).
        self.year_added = False

        intro = QLabel(
            self.tr(
                "The measure frameworks published nationally, shipped with DOM Desk. Choose "
                "one and the year its measures apply to; a measure the workbook already has "
                "(by code) is updated only where it differs, and nothing is duplicated."
            )
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(len(self.frameworks), 4)
        self.table.setObjectName("frameworks")
        self.table.setAccessibleName(self.tr("Published frameworks"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Framework"), self.tr("Year"), self.tr("Measures"), self.tr("Source")]
        )
        for row, framework in enumerate(self.frameworks):
            for column, text in enumerate(
                (framework.name, framework.year, str(len(framework.measures)), framework.source)
            ):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)

        self.year = QComboBox()
        self.year.setAccessibleName(self.tr("Year the measures apply to"))
        self.year.setEditable(True)
        self.year.addItems(list(workspace.years))
        self.year.setCurrentText(workspace.year)
        form = QFormLayout()
        form.addRow(self.tr("Apply to &year:"), self.year)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.addButton(
            self.tr("&Import"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setEnabled(False)
        self.file_button = buttons.addButton(
            self.tr("From a &file…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.file_button.setEnabled(not workspace.read_only)
        buttons.accepted.connect(self._import_chosen)
        buttons.rejected.connect(self.reject)
        self.file_button.clicked.connect(self._import_file)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 120, self.sizeHint().height())
        # The framework published for the year shown, when there is one.
        matching = [i for i, f in enumerate(self.frameworks) if f.year == workspace.year]
        if matching:
            self.table.selectRow(matching[0])

    def _selection_changed(self) -> None:
        self.import_button.setEnabled(
            bool(self.table.selectedItems()) and not self.workspace.read_only
        )
        rows = {i.row() for i in self.table.selectedItems()}
        if rows:
            framework = self.frameworks[min(rows)]
            if framework.year in self.workspace.years:
                self.year.setCurrentText(framework.year)

    def _import_chosen(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedItems()})
        if rows:
            self.import_named(self.frameworks[rows[0]].path.stem)

    def _import_file(self) -> None:
        path = messages.open_path(
            self,
            self.tr("Import a measure framework from a file"),
            Path(self.workspace.path).parent,
            file_filter=FRAMEWORK_FILTER,
        )
        if path is not None:
            self.import_named(str(path))

    def import_named(self, name_or_path: str) -> bool:
        """Imports the framework ``name_or_path`` names into the chosen year; says what
        happened. True (and the dialog accepted) when the import ran."""
        from dom_desk.domain.framework_files import framework_named, summary
        from dom_desk.domain.frameworks_import import import_framework

        year = self.year.currentText().strip()
        wb = self.workspace.wb
        try:
            framework = framework_named(wb, name_or_path, year)
            done = import_framework(wb, framework, year)
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return False
        self.done_text = summary(framework, done)
        self.year_added = done.year_added
        if done.year_added:
            self.done_text += " " + self.tr("The workbook did not hold {0}: it was added.").format(
                done.year
            )
        self.accept()
        return True


def import_framework_interactively(window: Any) -> bool:
    """The dialog over the window's workbook; the window reloads after an import."""
    workspace = window.workspace
    if workspace is None:
        messages.error(window, window.tr("Open a region workbook first, then import into it."))
        return False
    dialog = FrameworkDialog(workspace, window)
    run_modal(dialog)
    if dialog.year_added:
        _years_changed(workspace)
    if dialog.done_text:
        window.reload()
        messages.info(window, dialog.done_text)
    return bool(dialog.done_text)


def _years_changed(workspace: Any) -> None:
    """A year the import added joins the window's year chooser (as a roll forward's does)."""
    from dom_desk.domain.region import workbook_info

    try:
        held = list(workbook_info(workspace.wb).years)
    except DomDeskError as exc:
        messages.error(None, str(exc))
        return
    if held != list(workspace.years):
        workspace.years[:] = held
        # The window refreshes its year chooser (and every page) on the year signal.
        workspace.yearChanged.emit(workspace.year)
