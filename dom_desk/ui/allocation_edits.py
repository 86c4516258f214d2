"""The writes of the allocations tab: cells, envelope lines, the variance threshold and
the roll forward into the next year, each one undo step through domain functions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QDialog, QLineEdit

from dom_desk.domain import allocations as al
from dom_desk.domain import records
from dom_desk.domain.allocations import Position
from dom_desk.domain.money import format_pounds
from dom_desk.domain.paste import undo_edits
from dom_desk.domain.tables import FieldEdit
from dom_desk.domain.values import Kind, format_decimal, parse_value
from dom_desk.errors import DomDeskError
from dom_desk.ui.grid import GridModel, IdRole, SpreadsheetView
from dom_desk.ui.messages import messages
from dom_desk.ui.new_record_dialog import NewRecordDialog
from dom_desk.ui.roll_forward_dialog import RollForwardDialog
from dom_desk.ui.undo import push


class AllocationEdits:
    """Mixed into :class:`~dom_desk.ui.allocations_tab.AllocationsTab`: every write of the
    allocations tab, each one undo step. The tab provides ``workspace``, ``position``,
    ``model``, ``table``, ``envelope``, ``envelope_view``, ``threshold``, ``changed`` and
    ``show_position``."""

    workspace: Any
    position: Position | None
    model: GridModel
    table: SpreadsheetView
    envelope: GridModel
    envelope_view: SpreadsheetView
    envelope_dialog: NewRecordDialog | None
    threshold: QLineEdit
    changed: Any

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
        from dom_desk.domain.region import workbook_info

        held = list(workbook_info(self.workspace.wb).years)
        if held != list(self.workspace.years):
            self.workspace.years[:] = held
            # The window refreshes its year chooser when the year signal fires.
            self.workspace.yearChanged.emit(self.workspace.year)
        self.changed.emit()
