"""Import provider returns: add files (or drop them), see every row and every problem,
then import the good files in one transaction.

Reading and importing run on the thread pool with a progress bar and a Cancel button;
nothing touches the workbook until Import is pressed, and a cancelled import writes
nothing. Close provider names are asked about, one by one, before the import starts.

A refused row can be finished here: a figure typed over its cell (double-click, or F2)
or the row left out ("Leave this row out") is a decision about that file, and the files
are read and checked again with every decision made, so what is imported is exactly what
the preview shows. The decisions are stored with the import.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dom_desk.domain import returns
from dom_desk.domain.returns import (
    Decisions,
    FilePreview,
    FileState,
    ImportCancelled,
    ImportSummary,
)
from dom_desk.domain.returns_row_types import RowStatus, decisions_words
from dom_desk.files import describe_os_error
from dom_desk.storage.workbook import Workbook
from dom_desk.ui.background import Failure, Runner
from dom_desk.ui.drops import dropped_paths
from dom_desk.ui.messages import messages
from dom_desk.ui.returns_models import FileListModel, RowPreviewModel, SortRole

SPREADSHEET_FILTER = "Excel workbooks (*.xlsx *.xlsm);;All files (*)"
#: Widest the Measure, Commentary and Problems columns start, in pixels, so Status stays in
#: view (the last column then stretches to the edge; its tooltip has the whole text).
MAX_TEXT_WIDTH = 260
#: The narrowest the measure column is made to keep the figures in view.
MIN_MEASURE_WIDTH = 160


class _Progress(QObject):
    """Carries progress from the worker to the GUI thread (signals are queued)."""

    moved = Signal(int, int, int)


def _sorted_view(model: Any, name: str, parent: QWidget) -> QTableView:
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SortRole)
    view = QTableView(parent)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.horizontalHeader().setStretchLastSection(True)
    view.verticalHeader().setVisible(False)
    view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    view.setAccessibleName(name)
    return view


class ReturnsImportDialog(QDialog):
    """The import dialog; ``imported`` is emitted with the summary after an import."""

    imported = Signal(object)

    def __init__(
        self, wb: Workbook, paths: Sequence[Path] = (), parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.wb = wb
        self.paths: list[Path] = []
        self.previews: list[FilePreview] = []
        self.summary: ImportSummary | None = None
        #: What the user decided about each file's rows, by the file's path.
        self.decisions: dict[Path, Decisions] = {}
        self._job_decisions: dict[Path, Decisions] = {}
        #: The decisions the previews shown were read with.
        self._shown_decisions: dict[Path, Decisions] = {}
        #: The file and row (and column) to show again once the files are read again.
        self._keep: tuple[Path, int, int] | None = None
        #: The files the running job goes through, by number, for its progress.
        self._job_names: list[str] = []
        self._job_paths: list[Path] = []
        self.runner = Runner(self)
        self._cancel = threading.Event()
        self._progress = _Progress(self)
        self._progress.moved.connect(self._show_progress)
        self.setWindowTitle(self.tr("Import provider returns"))
        self.setAcceptDrops(True)
        self._build()
        self.resize(1100, 700)
        if paths:
            self.add_paths(paths)

    # -- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Add the returns providers sent (or drop them here). Each is checked before "
                "anything is stored: rows with errors are marked, and a file with any error is "
                "not imported until each refused figure is corrected (double-click it) or its "
                "row is left out. What you decide is recorded with the import."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        buttons = QHBoxLayout()
        self.add_files_button = QPushButton(self.tr("Add &files..."), self)
        self.add_files_button.clicked.connect(self.choose_files)
        self.add_folder_button = QPushButton(self.tr("Add a f&older..."), self)
        self.add_folder_button.clicked.connect(self.choose_folder)
        self.clear_button = QPushButton(self.tr("C&lear list"), self)
        self.clear_button.clicked.connect(self.clear)
        for button in (self.add_files_button, self.add_folder_button, self.clear_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        self.file_model = FileListModel(self)
        self.file_view = _sorted_view(self.file_model, self.tr("Files to import"), self)
        self.file_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.file_view.selectionModel().currentRowChanged.connect(self._file_chosen)
        self.row_model = RowPreviewModel(self)
        self.row_view = _sorted_view(self.row_model, self.tr("Rows of the chosen file"), self)
        self.row_view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.row_view.selectionModel().currentRowChanged.connect(self._row_chosen)
        self.row_model.correction_typed.connect(self.correct)
        self.leave_out_box = QCheckBox(self.tr("&Leave this row out"), self)
        self.leave_out_box.setToolTip(
            self.tr("The row is not imported; the import records that it was left out, and why")
        )
        self.leave_out_box.setEnabled(False)
        self.leave_out_box.toggled.connect(self.leave_out)
        self.decisions_label = QLabel(self)
        self.decisions_label.setWordWrap(True)
        rows_box = QWidget(self)
        rows_layout = QVBoxLayout(rows_box)
        rows_layout.setContentsMargins(0, 0, 0, 0)
        rows_layout.addWidget(self.row_view, 1)
        choices = QHBoxLayout()
        choices.addWidget(self.leave_out_box)
        choices.addWidget(self.decisions_label, 1)
        rows_layout.addLayout(choices)
        self.details = QPlainTextEdit(self)
        self.details.setReadOnly(True)
        self.details.setAccessibleName(self.tr("Problems and notes of the chosen file"))
        self.details.setPlaceholderText(self.tr("Problems and notes of the chosen file"))

        lower = QSplitter(Qt.Orientation.Horizontal, self)
        lower.addWidget(rows_box)
        lower.addWidget(self.details)
        lower.setStretchFactor(0, 3)
        lower.setStretchFactor(1, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.file_view)
        splitter.addWidget(lower)
        splitter.setStretchFactor(1, 3)
        layout.addWidget(splitter, 1)

        status = QHBoxLayout()
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.progress.setVisible(False)
        self.progress.setAccessibleName(self.tr("Progress"))
        self.cancel_button = QPushButton(self.tr("&Cancel"), self)
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel)
        status.addWidget(self.status_label, 1)
        status.addWidget(self.progress)
        status.addWidget(self.cancel_button)
        layout.addLayout(status)

        self.button_box = QDialogButtonBox(self)
        self.import_button = self.button_box.addButton(
            self.tr("&Import"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setEnabled(False)
        self.close_button = self.button_box.addButton(QDialogButtonBox.StandardButton.Close)
        self.import_button.clicked.connect(self.import_now)
        self.close_button.clicked.connect(self.reject)
        layout.addWidget(self.button_box)
        self._update_status()

    # -- choosing files ---------------------------------------------------------------------

    def choose_files(self) -> None:
        chosen = messages.open_paths(self, self.tr("Add returns"), SPREADSHEET_FILTER)
        if chosen:
            self.add_paths(chosen)

    def choose_folder(self) -> None:
        folder = messages.choose_folder(self, self.tr("Add every return in a folder"))
        if folder is not None:
            self.add_paths([folder])

    def add_paths(self, paths: Iterable[Path]) -> None:
        """Adds files (or folders) and checks the whole list again: whether two files
        are for the same provider and period depends on all of them."""
        known = set(self.paths)
        self.paths += [Path(p) for p in paths if Path(p) not in known]
        self._start_preview()

    def clear(self) -> None:
        if self.runner.busy:
            return
        self.paths, self.previews, self.summary = [], [], None
        self.decisions, self._shown_decisions, self._keep = {}, {}, None
        self.file_model.set_files([])
        self.row_model.set_preview(None)
        self.details.clear()
        self._update_status()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_paths(event) and not self.runner.busy:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = dropped_paths(event)
        if paths and not self.runner.busy:
            event.acceptProposedAction()
            self.add_paths(paths)

    # -- work on the pool ---------------------------------------------------------------------

    def _begin(self, text: str) -> None:
        self._cancel.clear()
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)
        self.cancel_button.setEnabled(True)
        for widget in (
            self.import_button,
            self.add_files_button,
            self.add_folder_button,
            self.clear_button,
        ):
            widget.setEnabled(False)
        self.status_label.setText(text)

    def _end(self) -> None:
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        for widget in (self.add_files_button, self.add_folder_button, self.clear_button):
            widget.setEnabled(True)
        self._update_status()

    def _show_progress(self, number: int, count: int, rows: int) -> None:
        self.progress.setRange(0, count)
        self.progress.setValue(number - 1)
        name = self._job_names[number - 1] if number <= len(self._job_names) else ""
        rows_text = self.tr(", row {0:,}").format(rows) if rows else ""
        self.status_label.setText(
            self.tr("Reading {0} ({1} of {2}{3})...").format(name, number, count, rows_text)
        )

    def _start_preview(self) -> None:
        if not self.paths or self.runner.busy:
            return
        paths = list(self.paths)
        try:
            names = [p.name for p in returns.collect_files(paths)]
        except OSError as exc:  # a folder that cannot be read: back to the list before
            self.paths = list(self._job_paths)
            messages.error(self, describe_os_error(exc, Path(exc.filename or paths[-1])))
            return
        self._begin(self.tr("Reading the returns..."))
        self._job_paths = paths
        self._job_names = names
        self._job_decisions = dict(self.decisions)
        # The job gets only the signal and the flag, never the dialog: a task the pool
        # deletes on its thread must not hold the last reference to a widget.
        self.runner.start(
            _preview_job,
            self.wb,
            paths,
            self._progress.moved.emit,
            self._cancel.is_set,
            self._job_decisions,
            done=self._previewed,
            failed=self._failed,
        )

    def _previewed(self, previews: list[FilePreview]) -> None:
        self.previews = previews
        self._shown_decisions = dict(self._job_decisions)
        self.summary = None
        self.file_model.set_files(previews)
        self.file_view.resizeColumnsToContents()
        self._end()
        if previews and not self._show_kept():
            self.file_view.selectRow(0)
        if self.paths != self._job_paths or self.decisions != self._job_decisions:
            # Files dropped, or decisions made, while these were read: read them all.
            self._start_preview()

    # -- decisions about rows -------------------------------------------------------------

    def _current_row(self) -> tuple[FilePreview, Any, int] | None:
        """The chosen file, the chosen row of it and the column, if any."""
        preview = self.selected_file()
        index = self.row_view.currentIndex()
        if preview is None or not index.isValid():
            return None
        source = self.row_view.model().mapToSource(index)  # type: ignore[attr-defined]
        return preview, self.row_model.rows[source.row()], source.column()

    def correct(self, cell: str, text: str) -> None:
        """A figure typed over ``cell`` of the chosen file: the files are checked again."""
        chosen = self._current_row()
        if chosen is None or self.summary is not None:
            return
        preview, row, column = chosen
        earlier = self.decisions.get(preview.path, Decisions())
        corrections = dict(earlier.corrections)
        key = (preview.sheet, cell)
        undone = self.row_model.corrected.get(cell)
        if undone is not None and text == undone.old_text:
            corrections.pop(key, None)  # typed back as the file has it: no correction
        else:
            corrections[key] = text
        self._decide(preview, Decisions(corrections, earlier.left_out), row.row, column)

    def leave_out(self, checked: bool) -> None:
        """Ticks (or unticks) "Leave this row out" for the chosen row."""
        chosen = self._current_row()
        if chosen is None or self.summary is not None:
            return
        preview, row, column = chosen
        earlier = self.decisions.get(preview.path, Decisions())
        key = (preview.sheet, row.row)
        left_out = earlier.left_out | {key} if checked else earlier.left_out - {key}
        self._decide(preview, Decisions(earlier.corrections, left_out), row.row, column)

    def _decide(self, preview: FilePreview, decided: Decisions, row: int, column: int) -> None:
        if decided:
            self.decisions[preview.path] = decided
        else:
            self.decisions.pop(preview.path, None)
        self._keep = (preview.path, row, column)
        self._start_preview()

    def _show_kept(self) -> bool:
        """Chooses again the file and row a decision was made on; False if it is gone."""
        if self._keep is None:
            return False
        path, row_number, column = self._keep
        self._keep = None
        number = next((i for i, f in enumerate(self.file_model.files) if f.path == path), None)
        if number is None:
            return False
        files = self.file_view.model()
        self.file_view.selectRow(files.mapFromSource(self.file_model.index(number, 0)).row())  # type: ignore[attr-defined]
        found = next((i for i, r in enumerate(self.row_model.rows) if r.row == row_number), None)
        if found is not None:
            rows = self.row_view.model()
            index = rows.mapFromSource(self.row_model.index(found, column))  # type: ignore[attr-defined]
            self.row_view.setCurrentIndex(index)
            self.row_view.scrollTo(index)
        self.row_view.setFocus()
        return True

    def _row_chosen(self, *_args: Any) -> None:
        chosen = self._current_row()
        can = chosen is not None and self.row_model.can_leave_out(chosen[1])
        self.leave_out_box.blockSignals(True)
        self.leave_out_box.setChecked(chosen is not None and chosen[1].status is RowStatus.LEFT_OUT)
        self.leave_out_box.blockSignals(False)
        self.leave_out_box.setEnabled(can and not self.runner.busy)

    def import_now(self) -> None:
        """Imports every file that is ready, asking first about close provider names."""
        if self.runner.busy or not self._importable():
            return
        confirmed = {
            p.path
            for p in self.previews
            if p.state is FileState.CONFIRM
            and messages.confirm(
                self,
                self.tr("{0}: {1}. Is this return from {2}?").format(
                    p.name, p.match.describe() if p.match else "", p.provider_name
                ),
            )
        }
        self._begin(self.tr("Importing..."))
        self._job_names = [p.name for p in self.previews]
        self.leave_out_box.setEnabled(False)
        self.runner.start(
            _commit_job,
            self.wb,
            self.previews,
            confirmed,
            self._progress.moved.emit,
            self._cancel.is_set,
            done=self._committed,
            failed=self._failed,
        )

    def _committed(self, summary: ImportSummary) -> None:
        chosen = self.selected_file()
        self.summary = summary
        self.file_model.set_files(summary.files, dry_run=False)
        self._end()
        if chosen is not None:  # the same file stays chosen, now as imported
            self._keep = (chosen.path, 0, 0)
            self._show_kept()
        self._file_chosen(self.file_view.currentIndex())
        self.import_button.setEnabled(False)
        messages.info(self, summary.headline(), self.tr("Import provider returns"))
        if summary.count(FileState.IMPORTED):
            self.imported.emit(summary)

    def _failed(self, failure: Failure) -> None:
        # A decision whose reading was stopped (or failed) is not kept: what is shown,
        # and would be imported, is what was read.
        self.decisions = dict(self._shown_decisions)
        self._keep = None
        self._end()
        if isinstance(failure.error, ImportCancelled):
            self.status_label.setText(str(failure.error))
        else:
            messages.failure(self, failure.error, failure.details)

    def cancel(self) -> None:
        self._cancel.set()
        self.cancel_button.setEnabled(False)
        self.status_label.setText(self.tr("Stopping..."))

    def reject(self) -> None:
        if self.runner.busy:
            self.cancel()
            self.runner.wait()
        super().reject()

    # -- showing ---------------------------------------------------------------------------

    def _importable(self) -> bool:
        return self.summary is None and any(
            p.state in (FileState.READY, FileState.CONFIRM) for p in self.previews
        )

    def _update_status(self) -> None:
        self.import_button.setEnabled(not self.runner.busy and self._importable())
        self._row_chosen()
        if self.summary is not None:
            self.status_label.setText(self.summary.headline())
            return
        if not self.previews:
            self.status_label.setText(self.tr("No files yet."))
            return
        ready = sum(p.state is FileState.READY for p in self.previews)
        confirm = sum(p.state is FileState.CONFIRM for p in self.previews)
        refused = sum(p.state is FileState.REFUSED for p in self.previews)
        already = sum(p.state is FileState.DUPLICATE for p in self.previews)
        decided = decisions_words(
            sum(p.corrections for p in self.previews), sum(p.rows_left_out for p in self.previews)
        )
        self.status_label.setText(
            self.tr(
                "{0} file(s): {1} ready, {2} to confirm, {3} already imported, {4} refused{5}. "
                "Nothing has been written yet."
            ).format(
                len(self.previews),
                ready,
                confirm,
                already,
                refused,
                self.tr("; {0}").format(decided) if decided else "",
            )
            + self._finishable_words()
        )

    def _finishable_words(self) -> str:
        """Said while a refused file could still be finished, before Import takes only
        the ready ones."""
        finishable = [
            p
            for p in self.previews
            if p.state is FileState.REFUSED and any(r.status is RowStatus.ERROR for r in p.rows)
        ]
        if not finishable:
            return ""
        return " " + self.tr(
            "Import takes the ready files only: to import {0} too, correct its refused "
            "figures or leave those rows out first."
        ).format(finishable[0].name if len(finishable) == 1 else self.tr("the refused files"))

    def _file_chosen(self, current: QModelIndex, _previous: Any = None) -> None:
        preview = self.selected_file(current)
        self.row_model.set_preview(
            preview,
            editable=self.summary is None
            and preview is not None
            and preview.state in (FileState.READY, FileState.CONFIRM, FileState.REFUSED),
        )
        self._row_chosen()
        self._say_decisions(preview)
        self.row_view.resizeColumnsToContents()
        view = self.row_view
        for column in (RowPreviewModel.MEASURE, RowPreviewModel.COMMENTARY, RowPreviewModel.NOTES):
            view.setColumnWidth(column, min(view.columnWidth(column), MAX_TEXT_WIDTH))
        # The problems column, last, stretches over what the others leave; the measure
        # gives way (to MIN_MEASURE_WIDTH) so that is at least the problems heading, and
        # the figures and status stay in view without scrolling sideways. Tooltips, and
        # the details beside the rows, have the whole text.
        notes = RowPreviewModel.NOTES
        title = self.row_model.headerData(notes, Qt.Orientation.Horizontal)
        wanted = view.horizontalHeader().fontMetrics().horizontalAdvance(title) + 28
        over = sum(map(view.columnWidth, range(notes))) + wanted - view.viewport().width()
        measure = view.columnWidth(RowPreviewModel.MEASURE)
        if over > 0:
            view.setColumnWidth(RowPreviewModel.MEASURE, max(measure - over, MIN_MEASURE_WIDTH))
        if preview is None:
            self.details.clear()
            return
        lines = (
            []
            if preview.state is FileState.REFUSED
            else [preview.summary(dry_run=self.summary is None), ""]
        )
        lines += preview.all_problems() + preview.notes + preview.row_notes
        if preview.adjustments:
            lines += ["", self.tr("Decided in this preview ({0}):").format(preview.decided())]
            lines += [a.describe() for a in preview.adjustments]
        self.details.setPlainText("\n".join(lines).strip())

    def _say_decisions(self, preview: FilePreview | None) -> None:
        if preview is None or not preview.rows:
            self.decisions_label.clear()
        elif preview.adjustments:
            self.decisions_label.setText(self.tr("This file: {0}.").format(preview.decided()))
        elif any(r.status is RowStatus.ERROR for r in preview.rows):
            self.decisions_label.setText(
                self.tr("Double-click a refused figure to correct it, or leave its row out.")
            )
        else:
            self.decisions_label.clear()

    def selected_file(self, current: QModelIndex | None = None) -> FilePreview | None:
        index = current if current is not None else self.file_view.currentIndex()
        if not index.isValid():
            return None
        source = self.file_view.model().mapToSource(index)  # type: ignore[attr-defined]
        return self.file_model.files[source.row()]


def _preview_job(
    wb: Workbook,
    paths: list[Path],
    progress: Any,
    cancelled: Any,
    decisions: dict[Path, Decisions],
) -> list[FilePreview]:
    return returns.preview_files(
        wb, paths, progress=progress, cancelled=cancelled, decisions=decisions
    )


def _commit_job(
    wb: Workbook, previews: list[FilePreview], confirmed: set[Path], progress: Any, cancelled: Any
) -> ImportSummary:
    return returns.commit(
        wb, previews, confirm=lambda p: p.path in confirmed, progress=progress, cancelled=cancelled
    )
