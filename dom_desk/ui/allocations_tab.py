"""The year's allocations as a spreadsheet, with totals by provider, kind, sector and
pathway, the envelope as its budget table prints it (and its lines as a flat list) and
the warnings."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dom_desk.domain import allocations as al
from dom_desk.domain.allocations import GroupTotal, Position
from dom_desk.domain.allocations.grid import locked_reason
from dom_desk.domain.allocations.position import set_envelope_warning
from dom_desk.domain.money import format_pounds
from dom_desk.domain.tables import Column, Row
from dom_desk.domain.values import Kind, format_decimal, parse_value
from dom_desk.errors import DomDeskError
from dom_desk.ui.allocation_edits import AllocationEdits
from dom_desk.ui.background import Failure, Runner
from dom_desk.ui.envelope_table import EnvelopeDialog, EnvelopeTableView
from dom_desk.ui.grid import GridModel, IdRole, SpreadsheetView
from dom_desk.ui.messages import messages
from dom_desk.ui.new_record_dialog import NewRecordDialog
from dom_desk.ui.undo import push

MONEY = Kind.MONEY
TOTAL_COLUMNS = (
    Column("name", "Name"),
    Column("count", "Allocations", Kind.INTEGER),
    Column("baseline", "Baseline", MONEY),
    Column("provisional", "Provisional", MONEY),
    Column("agreed", "Agreed", MONEY),
    Column("committed", "Committed", MONEY),
)
#: Allocation columns hidden until asked for (their totals are in the tabs below).
HIDDEN_AT_FIRST = {"provider_kind", "sector", "pathway", "funding_source"}
DIMENSIONS = (
    ("provider", "By provider"),
    ("kind", "By provider kind"),
    ("sector", "By sector"),
    ("pathway", "By pathway"),
)


def total_rows(groups: tuple[GroupTotal, ...], total: GroupTotal) -> list[Row]:
    """Group totals and, last, the grand total (the exact sum of the groups)."""
    rows = [
        Row(i, 0, (g.name, g.count, g.baseline, g.provisional, g.agreed, g.committed))
        for i, g in enumerate(groups, start=1)
    ]
    rows.append(
        Row(
            0,
            0,
            (
                "Total",
                total.count,
                total.baseline,
                total.provisional,
                total.agreed,
                total.committed,
            ),
        )
    )
    return rows


class AllocationsTab(AllocationEdits, QWidget):
    """The year's allocations as a spreadsheet, with totals, envelope lines and warnings."""

    #: Something was written: pages showing the same figures must reload.
    changed = Signal()

    def __init__(self, workspace: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.position: Position | None = None
        editable = not workspace.read_only
        self.model = GridModel(
            al.COLUMNS,
            label=al.row_label,
            check=al.check_cell,
            apply=self._apply if editable else None,
            # A signed or agreed agreement's rows: a lock in Status, no editor offered.
            row_lock=locked_reason,
            lock_column="status",
            parent=self,
        )
        self.table = SpreadsheetView(self.model, "allocations_grid", self.tr("Allocations"))
        # The grouping columns are in the totals below; right-click a title to show them.
        self.table.hide_columns(HIDDEN_AT_FIRST)
        self.filter = QLineEdit()
        self.filter.setClearButtonEnabled(True)
        self.filter.setPlaceholderText(self.tr("Filter allocations (Ctrl+F)"))
        self.filter.setAccessibleName(self.tr("Filter allocations"))
        self.filter.textChanged.connect(self._filter_changed)
        self.shown = QLabel()
        self.shown.setObjectName("allocations_shown")
        self.shown.setAccessibleName(self.tr("Totals of the rows shown"))

        self.threshold = QLineEdit()
        self.threshold.setAccessibleName(self.tr("Variance threshold in per cent"))
        self.threshold.setMaximumWidth(self.fontMetrics().averageCharWidth() * 8)
        self.threshold.editingFinished.connect(self._threshold_edited)
        self.threshold.setReadOnly(not editable)
        threshold_label = QLabel(self.tr("Variance &threshold (%):"))
        threshold_label.setBuddy(self.threshold)
        self.warning = QLineEdit()
        self.warning.setObjectName("envelope_warning")
        self.warning.setAccessibleName(self.tr("Envelope warning in per cent"))
        self.warning.setToolTip(
            self.tr(
                "The envelope bars turn amber when this share of the envelope is committed, "
                "and red over 100%"
            )
        )
        self.warning.setMaximumWidth(self.fontMetrics().averageCharWidth() * 8)
        self.warning.editingFinished.connect(self._warning_edited)
        self.warning.setReadOnly(not editable)
        warning_label = QLabel(self.tr("Envelope &warning (%):"))
        warning_label.setBuddy(self.warning)
        self.export_button = QPushButton(self.tr("&Export Allocations…"))
        self.export_button.clicked.connect(self.export_workbook)
        self.roll_button = QPushButton(self.tr("&Roll Forward…"))
        self.roll_button.clicked.connect(self.ask_roll_forward)
        self.roll_button.setEnabled(editable)
        self.runner = Runner(self)

        self.totals: dict[str, GridModel] = {}
        self.details = QTabWidget()
        self.details.setObjectName("allocation_totals")
        for key, title in DIMENSIONS:
            model = GridModel(TOTAL_COLUMNS, parent=self)
            view = SpreadsheetView(model, f"totals_{key}", title, sortable=False)
            self.totals[key] = model
            self.details.addTab(view, title)
        self.envelope = GridModel(
            al.ENVELOPE_COLUMNS, apply=self._apply_envelope if editable else None, parent=self
        )
        self.envelope_view = SpreadsheetView(self.envelope, "envelope_grid", self.tr("Envelope"))
        # The envelope as its budget table prints it; then its lines as a flat list.
        self.envelope_table = EnvelopeTableView(workspace)
        self.envelope_table.changed.connect(self.changed.emit)
        self.details.addTab(self.envelope_table, self.tr("&Envelope"))
        self.details.addTab(self._envelope_tab(editable), self.tr("Envelope lines"))
        self.warnings = QListWidget()
        self.warnings.setObjectName("allocation_warnings")
        self.warnings.setAccessibleName(self.tr("Warnings"))
        self.warnings.setWordWrap(True)
        self.details.addTab(self.warnings, self.tr("Warnings"))

        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(threshold_label)
        top.addWidget(self.threshold)
        top.addWidget(warning_label)
        top.addWidget(self.warning)
        top.addWidget(self.roll_button)
        top.addWidget(self.export_button)
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addLayout(top)
        upper_layout.addWidget(self.table, 1)
        upper_layout.addWidget(self.shown)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("allocations_splitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(upper)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

    def _envelope_tab(self, editable: bool) -> QWidget:
        """The envelope's lines with Add line (Insert) and Remove line (Delete)."""
        self.envelope_dialog: NewRecordDialog | None = None
        self.add_line_button = QPushButton(self.tr("Add line…"))
        self.add_line_button.setObjectName("add_envelope_line")
        self.add_line_button.setToolTip(
            self.tr("Add a funding source to the envelope (Insert in the table)")
        )
        self.add_line_button.clicked.connect(self.add_envelope_line)
        self.remove_line_button = QPushButton(self.tr("Remove line…"))
        self.remove_line_button.setObjectName("remove_envelope_line")
        self.remove_line_button.setToolTip(
            self.tr("Remove the selected line (Delete in the table)")
        )
        self.remove_line_button.clicked.connect(self.remove_envelope_line)
        for text, slot, key in (
            (self.tr("Add line…"), self.add_envelope_line, QKeySequence(Qt.Key.Key_Insert)),
            (
                self.tr("Remove line…"),
                self.remove_envelope_line,
                QKeySequence(QKeySequence.StandardKey.Delete),
            ),
        ):
            action = QAction(text, self.envelope_view)
            action.setShortcut(key)
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.setEnabled(editable)
            action.triggered.connect(slot)
            self.envelope_view.addAction(action)
        self.add_line_button.setEnabled(editable)
        self.remove_line_button.setEnabled(editable)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.envelope_view, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_line_button)
        buttons.addWidget(self.remove_line_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        return tab

    def add_envelope_line(self) -> EnvelopeDialog | None:
        """The New envelope line form (a negative amount and a source already used are
        allowed: budget tables print both), as the envelope table asks it."""
        self.envelope_dialog = self.envelope_table.new_line()
        return self.envelope_dialog

    # -- showing ------------------------------------------------------------------------

    def show_position(self, pos: Position) -> None:
        selected = self.current_id()
        self.position = pos
        self.model.set_rows(al.table_rows(pos))
        for key, model in self.totals.items():
            model.set_rows(total_rows(pos.totals(key), pos.total))
        self.envelope.set_rows(al.envelope_rows(pos))
        self.envelope_table.show_table(pos.table)
        self.warnings.clear()
        found = pos.warnings
        self.warnings.addItems(
            found
            or [
                self.tr(
                    "No warnings: allocations are within the "
                    "envelope and every variance within the "
                    "threshold."
                )
            ]
        )
        self.details.setTabText(
            self.details.indexOf(self.warnings), self.tr("Warnings ({0})").format(len(found))
        )
        if not self.threshold.hasFocus():
            self.threshold.setText(format_decimal(pos.threshold))
        if not self.warning.hasFocus():
            self.warning.setText(format_decimal(pos.warning))
        self._update_shown()
        if selected is not None:
            self.select_id(selected)

    # -- the envelope warning -----------------------------------------------------------

    def _warning_edited(self) -> None:
        if self.position is None or self.workspace.read_only:
            return
        try:
            value = parse_value(
                Kind.PERCENT, self.warning.text(), self.tr("Envelope warning"), required=True
            )
        except DomDeskError as exc:
            messages.error(self, str(exc))
            self.warning.setText(format_decimal(self.position.warning))
            return
        if not self.set_warning(value):
            self.warning.setText(format_decimal(self.position.warning))

    def set_warning(self, value: Decimal) -> bool:
        """Sets the share of the envelope at which its bars turn amber (one undo step)."""
        assert self.position is not None
        old = self.position.warning
        if value == old:
            return True
        wb = self.workspace.wb
        command = push(
            self.workspace.undo_stack,
            self.tr("set envelope warning to {0}%").format(format_decimal(value)),
            lambda _first: set_envelope_warning(wb, value),
            lambda _result: set_envelope_warning(wb, old),
            self.changed.emit,
            self,
        )
        return not command.failed

    def current_id(self) -> int | None:
        index = self.table.currentIndex()
        return index.data(IdRole) if index.isValid() else None

    def select_id(self, row_id: int) -> bool:
        for r in range(self.table.proxy.rowCount()):
            index = self.table.proxy.index(r, max(self.table.currentIndex().column(), 0))
            if index.data(IdRole) == row_id:
                self.table.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                )
                self.table.scrollTo(index)
                return True
        return False

    def _filter_changed(self, text: str) -> None:
        self.table.proxy.setFilterFixedString(text)
        self._update_shown()

    def _update_shown(self) -> None:
        rows = self.table.view_rows()
        keys = [c.key for c in al.COLUMNS]

        def column_sum(key: str) -> int:
            return sum(r.values[keys.index(key)] or 0 for r in rows)

        self.shown.setText(
            self.tr(
                "{0:,} of {1:,} allocations shown: baseline {2}, provisional {3}, agreed {4}, "
                "committed {5}"
            ).format(
                len(rows),
                self.model.rowCount(),
                format_pounds(column_sum("baseline")),
                format_pounds(column_sum("provisional")),
                format_pounds(column_sum("agreed")),
                format_pounds(column_sum("committed")),
            )
        )

    def summary(self) -> str:
        return self.shown.text()

    # -- export -------------------------------------------------------------------------

    def export_workbook(self) -> None:
        """The allocations, envelope and every total to one xlsx file, off the GUI thread."""
        path = messages.save_xlsx_path(
            self,
            self.tr("Export allocations to Excel"),
            Path(f"Allocations {self.workspace.year}.xlsx"),
        )
        if path is not None:
            self.export_to(path)

    def export_to(self, path: Path) -> None:
        if self.position is None:
            return
        from dom_desk.exports.allocation_sheets import allocation_sheets
        from dom_desk.exports.xlsx_tables import write_sheets

        self.export_button.setEnabled(False)
        self.export_button.setText(self.tr("Exporting…"))
        self.runner.start(
            write_sheets,
            path,
            allocation_sheets(self.position),
            done=self._exported,
            failed=self._export_failed,
        )

    def _export_finished(self) -> None:
        self.export_button.setEnabled(True)
        self.export_button.setText(self.tr("&Export Allocations…"))

    def _exported(self, path: Path) -> None:
        self._export_finished()
        messages.info(
            self, self.tr("Exported the {0} allocations to {1}.").format(self.workspace.year, path)
        )

    def _export_failed(self, failure: Failure) -> None:
        self._export_finished()
        messages.failure(self, failure.error, failure.details)
