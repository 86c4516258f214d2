"""The Performance page's matrix tab, what a user does with its cells: select, open
the results behind one, trends, a measure's near tolerance, copy (see :class:`MatrixTab`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QMenu,
    QWidget,
)

from dom_desk.domain import matrix as matrix_api
from dom_desk.domain import performance_workbook, trends
from dom_desk.errors import DomDeskError
from dom_desk.ui import undo as negotiation_undo
from dom_desk.ui.messages import messages
from dom_desk.ui.performance_jobs import trend_job
from dom_desk.ui.performance_models import (
    ActionRole,
    KeyRole,
    MatrixModel,
)


class MatrixTab:
    """Mixed into :class:`~dom_desk.ui.performance_page.PerformancePage`."""

    def select_cell(self, provider_id: int, measure_id: int) -> bool:
        """Makes the cell current (for tests and links from elsewhere)."""
        for row in range(self.proxy.rowCount()):
            for column in range(1, self.proxy.columnCount()):
                index = self.proxy.index(row, column)
                if index.data(KeyRole) == (provider_id, measure_id):
                    self.table.setCurrentIndex(index)
                    self.table.scrollTo(index)
                    return True
        return False

    def _current_key(self) -> tuple[int | None, int | None]:
        index = self.table.currentIndex()
        if not index.isValid():
            return None, None
        return index.data(KeyRole) or (None, None)

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid() and index.column() > MatrixModel.ISSUES:
            self.open_current()

    def open_current(self) -> QWidget | None:
        """The drill-down of the selected cell."""
        provider_id, measure_id = self._current_key()
        if self.matrix is None or self.wb is None or provider_id is None or measure_id is None:
            messages.info(self, self.tr("Select a cell of the matrix first."))
            return None
        from dom_desk.ui.performance_dialogs import CellDialog

        try:
            detail = matrix_api.open_cell(self.wb, self.matrix, provider_id, measure_id)
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return None
        dialog = CellDialog(detail, self)
        dialog.trendRequested.connect(self.show_trend)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def trend_current(self) -> None:
        provider_id, measure_id = self._current_key()
        if measure_id is None:
            messages.info(self, self.tr("Select a measure's cell (or its column) first."))
            return
        self.show_trend(measure_id, provider_id)

    def show_trend(self, measure_id: int, provider_id: int | None) -> None:
        """Draws the trend on the pool, then shows it (matplotlib loads on first use)."""
        if self.wb is None:
            return
        self.progress.setVisible(True)
        self.runner.start(
            trend_job,
            self.wb,
            measure_id,
            provider_id,
            self._year(),
            done=self._trend_ready,
            failed=self._failed,
        )

    def _trend_ready(self, outcome: tuple[Any, trends.TrendData]) -> None:
        from dom_desk.ui.chart_dialog import ChartDialog

        self.progress.setVisible(self.runner.busy)
        figure, data = outcome
        name = data.title.split(":")[0].replace(" ", "") + "-trend.png"
        dialog = ChartDialog(figure, data.title, name, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(
            lambda *_: self._charts.remove(dialog) if dialog in self._charts else None
        )
        self._charts.append(dialog)
        dialog.show()

    def _header_trend(self, section: int) -> None:
        if self.view is None or section == MatrixModel.ISSUES:
            return
        self.show_trend(self.view.matrix.measures[self.view.cols[section - 1]].id, None)

    def _header_menu(self, position: Any) -> None:
        header = self.table.horizontalHeader()
        section = header.logicalIndexAt(position)
        if self.view is None or section <= MatrixModel.ISSUES:
            return
        measure = self.view.matrix.measures[self.view.cols[section - 1]]
        menu = QMenu(self)
        menu.addAction(
            self.tr("Trend across providers…"), lambda: self.show_trend(measure.id, None)
        )
        menu.addAction(self.tr("Near tolerance…"), lambda: self.edit_tolerance(measure.id))
        menu.exec(header.mapToGlobal(position))

    def edit_tolerance(self, measure_id: int) -> QWidget | None:
        """Asks how close to target counts as near for the measure, then writes it and
        works the figures out again."""
        if self.matrix is None or self.wb is None:
            return None
        if self.wb.read_only:
            messages.error(
                self, self.tr("The workbook is open read-only: the tolerance cannot be changed.")
            )
            return None
        from dom_desk.ui.performance_dialogs import ToleranceDialog

        measure = next(m for m in self.matrix.measures if m.id == measure_id)
        dialog = ToleranceDialog(measure, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.set_tolerance(measure_id, dialog.value()))
        dialog.open()
        return dialog

    def set_tolerance(self, measure_id: int, percent: Decimal) -> bool:
        """Writes a measure's tolerance (one transaction, audited); the matrix and the
        results' statuses are worked out again. False when refused (and explained)."""
        wb = self.wb
        if wb is None:
            return False

        def write(value: Decimal) -> Decimal:
            return performance_workbook.change_tolerance(wb, measure_id, value)

        if self.workspace is None:  # a page on its own (tests, benchmarks): no undo
            try:
                write(percent)
            except DomDeskError as exc:
                messages.error(self, str(exc))
                return False
            self._tolerance_changed()
            return True
        code = (
            next((m.code for m in self.matrix.measures if m.id == measure_id), "")
            if self.matrix is not None
            else ""
        )
        command = negotiation_undo.push(
            self.workspace.undo_stack,
            self.tr("set the near tolerance of {0}").format(code),
            lambda _first: write(percent),
            write,
            self._tolerance_changed,
            self,
        )
        return not command.failed

    def _tolerance_changed(self) -> None:
        self.stale = True  # the Results tab's statuses too
        self.mark_stale()
        self.changed.emit()

    def _context_menu(self, position: Any) -> None:
        index = self.table.indexAt(position)
        if not index.isValid() or index.column() == MatrixModel.ISSUES:
            return
        provider_id, measure_id = index.data(KeyRole)
        menu = QMenu(self)
        menu.addAction(self.tr("Open results…"), self.open_current)
        menu.addAction(
            self.tr("Trend for this provider…"), lambda: self.show_trend(measure_id, provider_id)
        )
        menu.addAction(
            self.tr("Trend across providers…"), lambda: self.show_trend(measure_id, None)
        )
        if getattr(self, "actions_tab", None) is not None:
            menu.addSeparator()
            action = index.data(ActionRole)
            if action is not None:
                menu.addAction(
                    self.tr("Open Action ({0})…").format(action.stage.label),
                    lambda: self.show_action(action.id),
                )
            menu.addAction(
                self.tr("New Action…"), lambda: self.new_action_for(provider_id, measure_id)
            )
        menu.exec(self.table.viewport().mapToGlobal(position))

    # -- copy and export ----------------------------------------------------------------

    def selection_text(self) -> str:
        """The selected cells as tab-separated text, with the provider name first."""
        indexes = self.table.selectionModel().selectedIndexes() or (
            [self.table.currentIndex()] if self.table.currentIndex().isValid() else []
        )
        rows = sorted({i.row() for i in indexes})
        columns = sorted({i.column() for i in indexes})
        chosen = {(i.row(), i.column()) for i in indexes}
        lines = []
        for r in rows:
            name = self.proxy.headerData(r, Qt.Orientation.Vertical) or ""
            cells = [
                self.proxy.index(r, c).data(Qt.ItemDataRole.EditRole) or ""
                if (r, c) in chosen
                else ""
                for c in columns
            ]
            lines.append("\t".join([str(name), *map(str, cells)]))
        return "\n".join(lines)

    def copy(self) -> None:
        if self._results_shown():
            self.results.copy()  # type: ignore[union-attr]
            return
        text = self.selection_text()
        if text:
            QGuiApplication.clipboard().setText(text)
