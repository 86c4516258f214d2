"""The audit trail in a window: who changed what, when, from what. Read-only.

Tools ▸ Audit Trail… shows the whole workbook's; History… one record's. The filter is the
domain's (``audit_trail.read_entries``), so it finds what the table shows ("£1,250",
a provider's name) and its limit counts matches, not rows scanned.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dom_desk.domain.audit_trail import (
    HEADINGS,
    AuditLine,
    entity_words,
    read_entries,
    record_name,
)
from dom_desk.domain.values import Kind, counted
from dom_desk.errors import DomDeskError
from dom_desk.storage.workbook import Workbook
from dom_desk.ui.background import Failure, Runner
from dom_desk.ui.elide import WordElideDelegate
from dom_desk.ui.messages import messages

#: The newest entries the window lists; a filter reaches older ones.
SHOWN = 2000
#: Typing pauses this long (ms) before the filter reads the trail again.
FILTER_DELAY = 250
#: Columns whose text can be long (a note, a paragraph changed): full text in the tooltip.
_LONG_COLUMNS = {HEADINGS.index(h) for h in ("Record", "Old value", "New value", "Note")}

Index = QModelIndex | QPersistentModelIndex


class AuditModel(QAbstractTableModel):
    """Audit lines as a read-only table, newest first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lines: list[AuditLine] = []

    def set_lines(self, lines: Sequence[AuditLine]) -> None:
        self.beginResetModel()
        self.lines = list(lines)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(HEADINGS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        text = self.lines[index.row()].texts()[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return text
        if role == Qt.ItemDataRole.ToolTipRole and index.column() in _LONG_COLUMNS and text:
            return text
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(HEADINGS)
        ):
            return HEADINGS[section]
        return None


class AuditDialog(QDialog):
    """The audit trail of ``wb``, or of one record (``entity``: a table name
    or area key, with ``entity_id``), newest first, with a filter and an Excel export."""

    def __init__(
        self,
        wb: Workbook,
        parent: QWidget | None = None,
        entity: Any = None,
        entity_id: int | None = None,
        title: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.wb = wb
        self.entity = entity
        self.entity_id = entity_id
        self.title = title or self._default_title()
        self.setWindowTitle(self.title)
        self.runner = Runner(self)
        self.model = AuditModel(self)

        self.filter = QLineEdit()
        self.filter.setClearButtonEnabled(True)
        self.filter.setPlaceholderText(
            self.tr("Filter: a name, a field, a user, a date or a figure (£1,250)")
        )
        self.filter.setAccessibleName(self.tr("Filter the audit trail"))
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY)
        self._filter_timer.timeout.connect(self.refresh)
        self.filter.textChanged.connect(lambda _text: self._filter_timer.start())

        self.table = QTableView()
        self.table.setAccessibleName(self.tr("Changes, newest first"))
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.setItemDelegate(WordElideDelegate(self.table))  # cut at a word, tip whole
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setResizeContentsPrecision(200)  # measure a sample, not thousands of rows
        header.setStretchLastSection(True)
        self.count = QLabel()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.export_button = buttons.addButton(
            self.tr("&Export to Excel…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.export_button.clicked.connect(self.export)

        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        layout.addWidget(buttons)
        chars = self.fontMetrics().averageCharWidth()
        self.resize(chars * 140, self.fontMetrics().height() * 30)
        self.refresh()

    def _default_title(self) -> str:
        if self.entity is None:
            return self.tr("Audit Trail")
        words = entity_words(self.entity)
        if self.entity_id is None:
            return self.tr("Audit Trail: {0}").format(words)
        return self.tr("History of {0} '{1}'").format(
            words, record_name(self.wb, self.entity, self.entity_id)
        )

    def refresh(self) -> None:
        """Reads the trail again with the filter as typed."""
        self._filter_timer.stop()
        try:
            lines = read_entries(self.wb, self.entity, self.entity_id, self.filter.text(), SHOWN)
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return
        self.model.set_lines(lines)
        self._fit_columns()
        self.count.setText(self._count_text(len(lines)))
        self.export_button.setEnabled(bool(lines))

    def _fit_columns(self) -> None:
        header = self.table.horizontalHeader()
        limit = self.fontMetrics().averageCharWidth() * 40
        for column in range(self.model.columnCount() - 1):
            self.table.resizeColumnToContents(column)
            header.resizeSection(column, min(header.sectionSize(column), limit))

    def _count_text(self, shown: int) -> str:
        filtered = bool(self.filter.text().strip())
        if shown >= SHOWN:
            return self.tr("The newest {0}; filter to find older ones.").format(
                counted(shown, "change")
            )
        if not shown:
            return (
                self.tr("No change matches the filter.")
                if filtered
                else self.tr("No changes recorded.")
            )
        if not filtered:
            return counted(shown, "change")
        verb = self.tr("matches") if shown == 1 else self.tr("match")
        return self.tr("{0} {1} the filter").format(counted(shown, "change"), verb)

    # -- export -------------------------------------------------------------------------

    def export(self) -> None:
        """Asks where, then writes the changes listed to an xlsx file."""
        # A title may name a record: keep the characters no file name may hold out.
        name = re.sub(r'[\\/:*?"<>|]', "-", self.title)
        path = messages.save_xlsx_path(
            self, self.tr("Export the audit trail to Excel"), Path(f"{name}.xlsx")
        )
        if path is not None:
            self.export_to(path)

    def export_to(self, path: Path) -> None:
        self.export_button.setEnabled(False)
        self.runner.start(
            export_lines,
            path,
            list(self.model.lines),
            done=self._exported,
            failed=self._export_failed,
        )

    def _exported(self, path: Path) -> None:
        self.export_button.setEnabled(True)
        messages.info(
            self,
            self.tr("Exported {0} to {1}.").format(counted(len(self.model.lines), "change"), path),
        )

    def _export_failed(self, failure: Failure) -> None:
        self.export_button.setEnabled(True)
        messages.failure(self, failure.error, failure.details)

    def done(self, result: int) -> None:
        self.runner.wait()  # an export on its way finishes before the dialog goes
        super().done(result)


#: The sheet's columns: the date as a real date (so Excel sorts and filters it), then text.
SHEET_HEADINGS = ("Date", "Time", *HEADINGS[1:])


def export_lines(path: Path, lines: Sequence[AuditLine]) -> Path:
    """Writes audit lines to xlsx (runs on a worker thread: plain data only)."""
    from dom_desk.exports.xlsx_tables import Sheet, write_sheets

    kinds = (Kind.DATE, *[Kind.TEXT] * (len(SHEET_HEADINGS) - 1))
    rows = [(line.at.date(), f"{line.at:%H:%M:%S}", *line.texts()[1:]) for line in lines]
    # Sheet names refuse ':' and more, and a record's name may hold them: a fixed name.
    return write_sheets(path, [Sheet("Audit trail", SHEET_HEADINGS, kinds, rows)])
