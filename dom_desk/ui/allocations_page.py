"""Allocations and SLAs: the page a DOM takes to the negotiating table.

The envelope bar stays in view above three tabs: the year's allocations (with totals by
provider, kind, sector and pathway, the envelope's funding sources and the warnings), the
SLA workspace of one provider, and the negotiation scenarios. Every figure comes from the
domain API and every edit is one undo step on the window's undo stack.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
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
from dom_desk.domain import records
from dom_desk.domain.allocations import GroupTotal, Position
from dom_desk.domain.money import format_pounds
from dom_desk.domain.paste import undo_edits
from dom_desk.domain.tables import Column, FieldEdit, Row
from dom_desk.domain.values import Kind, format_decimal, parse_value
from dom_desk.errors import DomDeskError
from dom_desk.ui.background import Failure, Runner
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


class EnvelopeBar(QFrame):
    """The envelope against what is committed, always in view, in words not colour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.figures = QLabel()
        self.figures.setObjectName("envelope_figures")
        self.figures.setAccessibleName(self.tr("Envelope and committed allocations"))
        self.figures.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.verdict = QLabel()
        self.verdict.setObjectName("envelope_verdict")
        self.verdict.setAccessibleName(self.tr("Envelope check"))
        layout = QHBoxLayout(self)
        layout.addWidget(self.figures, 1)
        layout.addWidget(self.verdict)

    def show_position(self, pos: Position) -> None:
        self.figures.setText(
            self.tr("{0} envelope {1}  ·  committed {2}  ·  headroom {3}").format(
                pos.year,
                format_pounds(pos.envelope),
                format_pounds(pos.committed),
                format_pounds(pos.headroom),
            )
        )
        if pos.envelope <= 0:
            text = self.tr("No envelope entered: add its lines on the Envelope tab")
            self.verdict.setStyleSheet("font-weight: bold;")
        elif pos.over_envelope:
            text = self.tr("Warning: over the envelope by {0}").format(format_pounds(-pos.headroom))
            self.verdict.setStyleSheet("font-weight: bold; color: #a00000;")
        else:
            text = self.tr("Within the envelope")
            self.verdict.setStyleSheet("")
        self.verdict.setText(text)


class RollForwardDialog(QDialog):
    """Asks by how much next year's baselines are uprated."""

    def __init__(self, from_year: str, to_year: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Roll {0} forward").format(from_year))
        self.percent = QLineEdit("0")
        self.percent.setAccessibleName(self.tr("Uprating in per cent"))
        form = QFormLayout(self)
        form.addRow(
            QLabel(
                self.tr(
                    "{0} baselines will be made from the {1} agreed figures (provisional where not "
                    "yet agreed), uprated by:"
                ).format(to_year, from_year)
            )
        )
        form.addRow(self.tr("&Uprating (%):"), self.percent)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def value(self) -> Decimal:
        return parse_value(Kind.PERCENT, self.percent.text() or "0", self.tr("Uprating"))


class AllocationsTab(QWidget):
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
        self.details.addTab(self._envelope_tab(editable), self.tr("Envelope"))
        self.warnings = QListWidget()
        self.warnings.setObjectName("allocation_warnings")
        self.warnings.setAccessibleName(self.tr("Warnings"))
        self.warnings.setWordWrap(True)
        self.details.addTab(self.warnings, self.tr("Warnings"))

        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(threshold_label)
        top.addWidget(self.threshold)
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

    # -- showing ------------------------------------------------------------------------

    def show_position(self, pos: Position) -> None:
        selected = self.current_id()
        self.position = pos
        self.model.set_rows(al.table_rows(pos))
        for key, model in self.totals.items():
            model.set_rows(total_rows(pos.totals(key), pos.total))
        self.envelope.set_rows(al.envelope_rows(pos))
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
        self._update_shown()
        if selected is not None:
            self.select_id(selected)

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

    # -- edits --------------------------------------------------------------------------

    def _apply(self, edits: list[FieldEdit], text: str) -> bool:
        wb = self.workspace.wb
        plain = [FieldEdit(e.row_id, e.key, e.value) for e in edits]
        command = push(
            self.workspace.undo_stack,
            text,
            lambda first: al.update_allocations(wb, edits if first else plain),
            lambda changes: al.update_allocations(wb, undo_edits(changes)),
            self.changed.emit,
            self,
        )
        return not command.failed

    def _apply_envelope(self, edits: list[FieldEdit], text: str) -> bool:
        wb = self.workspace.wb
        plain = [FieldEdit(e.row_id, e.key, e.value) for e in edits]
        command = push(
            self.workspace.undo_stack,
            text,
            lambda first: al.update_envelope(wb, edits if first else plain),
            lambda changes: al.update_envelope(wb, undo_edits(changes)),
            self.changed.emit,
            self,
        )
        return not command.failed

    # -- envelope lines -----------------------------------------------------------------

    def add_envelope_line(self) -> NewRecordDialog | None:
        """Asks for the funding source and amount of a new envelope line."""
        if self.workspace.read_only:
            return None
        wb = self.workspace.wb
        self.envelope_dialog = NewRecordDialog(
            self.tr("New {0} envelope line").format(self.workspace.year),
            records.FORMS["envelope"],
            self.create_envelope_line,
            lambda pick: records.options(wb, pick),
            self,
        )
        self.envelope_dialog.open()
        return self.envelope_dialog

    def create_envelope_line(self, values: dict[str, Any]) -> bool:
        """Adds the line as one undo step and selects it; False if refused."""
        wb, year = self.workspace.wb, self.workspace.year
        state: dict[str, Any] = {}

        def do(first: bool) -> int:
            # Redo puts back the very line undo removed (same id).
            state["id"] = (
                records.create(wb, "envelope", values, year)
                if first
                else records.restore(wb, state["deleted"])
            )
            return state["id"]

        def undo(line_id: int) -> None:
            state["deleted"] = records.delete(wb, "envelope", line_id)

        command = push(
            self.workspace.undo_stack,
            self.tr("add envelope line {0}").format(values.get("funding_source", "")),
            do,
            undo,
            lambda: self._envelope_changed(state.get("id")),
            self,
        )
        return not command.failed

    def remove_envelope_line(self) -> bool:
        """Removes the selected envelope line after asking (one undo step)."""
        index = self.envelope_view.currentIndex()
        line_id = index.data(IdRole) if index.isValid() else None
        if self.workspace.read_only:
            return False
        if line_id is None:
            messages.info(self, self.tr("Choose the envelope line to remove first."))
            return False
        wb = self.workspace.wb
        try:
            label = records.check_delete(wb, "envelope", line_id)
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return False
        if not messages.confirm(
            self,
            self.tr("Remove {0} from the {1} envelope? Edit ▸ Undo puts it back.").format(
                label, self.workspace.year
            ),
            self.tr("Remove envelope line"),
        ):
            return False
        command = push(
            self.workspace.undo_stack,
            self.tr("remove envelope line {0}").format(label),
            lambda _first: records.delete(wb, "envelope", line_id),
            lambda deleted: records.restore(wb, deleted),
            lambda: self._envelope_changed(line_id),
            self,
        )
        return not command.failed

    def _envelope_changed(self, line_id: int | None) -> None:
        self.changed.emit()  # the page reads the position again
        if line_id is None:
            return
        for r in range(self.envelope_view.proxy.rowCount()):
            index = self.envelope_view.proxy.index(r, 0)
            if index.data(IdRole) == line_id:
                self.envelope_view.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                )
                self.envelope_view.scrollTo(index)

    def _threshold_edited(self) -> None:
        if self.position is None or self.workspace.read_only:
            return
        try:
            value = parse_value(
                Kind.PERCENT, self.threshold.text(), self.tr("Variance threshold"), required=True
            )
        except DomDeskError as exc:
            messages.error(self, str(exc))
            self.threshold.setText(format_decimal(self.position.threshold))
            return
        self.set_threshold(value)

    def set_threshold(self, value: Decimal) -> bool:
        """Sets the DOM's variance threshold (one undo step)."""
        assert self.position is not None
        old = self.position.threshold
        if value == old:
            return True
        wb = self.workspace.wb
        command = push(
            self.workspace.undo_stack,
            self.tr("set variance threshold to {0}%").format(format_decimal(value)),
            lambda _first: al.set_variance_threshold(wb, value),
            lambda _result: al.set_variance_threshold(wb, old),
            self.changed.emit,
            self,
        )
        return not command.failed

    # -- roll forward -------------------------------------------------------------------

    def ask_roll_forward(self) -> None:
        year = self.workspace.year
        dialog = RollForwardDialog(year, al.next_label(year), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            percent = dialog.value()
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return
        self.roll_forward(percent)

    def roll_forward(self, percent: Decimal) -> al.RollForward | None:
        """Next year's baselines from this year's figures, as one undoable step."""
        wb, year = self.workspace.wb, self.workspace.year
        command = push(
            self.workspace.undo_stack,
            self.tr("roll {0} forward (uprated {1}%)").format(year, format_decimal(percent)),
            lambda _first: al.roll_forward(wb, year, percent),
            lambda done: al.undo_roll_forward(wb, done),
            self._years_changed,
            self,
        )
        if command.failed:
            return None
        done: al.RollForward = command.result
        note = ""
        if done.skipped:
            note = self.tr(" Not rolled forward (ended): {0}.").format(", ".join(done.skipped))
        messages.info(
            self,
            self.tr(
                "{0} allocations made for {1} with baselines of {2} in all. Choose {1} in the "
                "year box to see them.{3}"
            ).format(len(done.allocation_ids), done.to_year, format_pounds(done.baseline), note),
        )
        return done

    def _years_changed(self) -> None:
        from dom_desk.domain.region import years

        with self.workspace.wb.session() as session:
            held = [y.label for y in years(session)]
        if held != list(self.workspace.years):
            self.workspace.years[:] = held
            # The window refreshes its year chooser when the year signal fires.
            self.workspace.yearChanged.emit(self.workspace.year)
        self.changed.emit()

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


class AllocationsPage(QWidget):
    """The Allocations area: envelope bar, then Allocations, SLA workspace and Scenarios.

    Offers the window's page interface (``stale``, ``ensure_loaded``, ``summary``,
    ``copy``, ``focus_filter``, ``select_id``, ``save_view``, ``table``).
    """

    #: Figures were written here: other pages showing them should reload.
    changed = Signal()
    countChanged = Signal(str)

    def __init__(self, workspace: Any, parent: QWidget | None = None) -> None:
        from dom_desk.ui.scenario_view import ScenarioView
        from dom_desk.ui.sla_workspace import SlaWorkspace

        super().__init__(parent)
        self.setObjectName("allocations_page")
        self.workspace = workspace
        self.stale = True
        self.bar = EnvelopeBar()
        self.allocations = AllocationsTab(workspace)
        self.sla = SlaWorkspace(workspace)
        self.scenarios = ScenarioView(workspace)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("allocations_tabs")
        self.tabs.addTab(self.allocations, self.tr("&Allocations"))
        self.tabs.addTab(self.sla, self.tr("&SLA Workspace"))
        self.tabs.addTab(self.scenarios, self.tr("S&cenarios"))
        self.tabs.currentChanged.connect(lambda _i: self._refresh_current())
        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addWidget(self.tabs, 1)
        for part in (self.allocations, self.sla, self.scenarios):
            part.changed.connect(self._written)
        workspace.rowChanged.connect(self._elsewhere)
        workspace.yearChanged.connect(lambda _y: self.mark_stale())

    @property
    def table(self) -> SpreadsheetView:
        return self.allocations.table

    # The allocations table as the window's generic area pages expose theirs.
    @property
    def model(self) -> GridModel:
        return self.allocations.model

    @property
    def proxy(self) -> Any:
        return self.allocations.table.proxy

    @property
    def area(self) -> Any:
        from dom_desk.domain.tables import AREAS

        return AREAS["allocations"]

    @property
    def filter(self) -> QLineEdit:
        return self.allocations.filter

    # -- loading ------------------------------------------------------------------------

    def mark_stale(self) -> None:
        self.stale = True
        self.sla.stale = True
        self.scenarios.stale = True

    def ensure_loaded(self) -> None:
        if self.stale:
            self.reload()

    def reload(self) -> None:
        try:
            pos = al.position(self.workspace.wb, self.workspace.year)
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return
        self.stale = False
        self.bar.show_position(pos)
        self.allocations.show_position(pos)
        self.sla.stale = self.scenarios.stale = True
        self._refresh_current()
        self.countChanged.emit(self.summary())

    def _refresh_current(self) -> None:
        current = self.tabs.currentWidget()
        if current in (self.sla, self.scenarios):
            current.ensure_loaded()

    def _written(self) -> None:
        self.mark_stale()
        self.reload()
        self.changed.emit()

    def _elsewhere(self, _area: str, _row: Any) -> None:
        """A field was edited on another page (an agreement's status): reload when seen."""
        self.mark_stale()
        if self.isVisible():
            self.reload()

    # -- the window's page interface ----------------------------------------------------

    def summary(self) -> str:
        return self.allocations.summary()

    def copy(self) -> None:
        focused = self.focusWidget()
        if isinstance(focused, SpreadsheetView):
            focused.copy()
        else:
            self.allocations.table.copy()

    def focus_filter(self) -> None:
        self.tabs.setCurrentWidget(self.allocations)
        self.allocations.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.allocations.filter.selectAll()

    def select_id(self, row_id: int) -> bool:
        self.ensure_loaded()
        self.tabs.setCurrentWidget(self.allocations)
        return self.allocations.select_id(row_id)

    def save_view(self) -> None:
        """Nothing saved yet: the layout is fitted each time."""
