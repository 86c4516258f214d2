"""The Performance area: which providers are missing which targets, at a glance.

A matrix of providers (down) by measures (across) for a period or the year to date,
each cell coloured and labelled with its status; filters by provider kind, measure scope
and guidance; a cell opens the results behind it; trends and the weighted scorecard.

The matrix is built on the thread pool (a national workbook takes about a second) and
arrives as plain data; filtering it afterwards is done here, in milliseconds.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QWidget,
)

from dom_desk import preferences
from dom_desk.domain import performance_actions, performance_workbook, scorecard
from dom_desk.domain.matrix import Matrix, MatrixFilter, MatrixView
from dom_desk.domain.status import Status
from dom_desk.domain.tables import AREAS
from dom_desk.errors import DomDeskError
from dom_desk.storage.workbook import Workbook
from dom_desk.ui.actions_tab import ActionMarkDelegate, ActionsTab, open_marks
from dom_desk.ui.area_page import AreaPage
from dom_desk.ui.background import Failure, Runner
from dom_desk.ui.messages import messages
from dom_desk.ui.performance_jobs import matrix_job, previous_job
from dom_desk.ui.performance_layout import PageLayout
from dom_desk.ui.performance_matrix_tab import MatrixTab
from dom_desk.ui.performance_models import (
    STATUS_COLOURS,
    ActionRole,
)
from dom_desk.ui.performance_scorecard_tab import ScorecardTab


class PerformancePage(PageLayout, MatrixTab, ScorecardTab, QWidget):
    """The matrix and the scorecard for one workbook (``set_workbook``) or workspace."""

    #: The "40 providers x 12 measures" text, after a load or a change of filter.
    countChanged = Signal(str)
    #: The matrix for the chosen window has arrived (for tests and the bench).
    loaded = Signal()
    #: Figures other pages show were changed here (a measure's tolerance).
    changed = Signal()

    def __init__(self, workspace: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.wb: Workbook | None = workspace.wb if workspace is not None else None
        self._stale = True
        #: The results themselves, editable with undo (the generic area table), when the
        #: page shows a workspace.
        self.results = AreaPage(AREAS["performance"], workspace) if workspace else None
        self.matrix: Matrix | None = None
        self.previous: Matrix | None = None
        self.view: MatrixView | None = None
        self.card: scorecard.Scorecard | None = None
        self.region_name = ""
        self._wanted = 0
        self._charts: list[QWidget] = []
        self.runner = Runner(self)

        self._make_controls()
        self._make_tables()
        self._lay_out()
        self._add_actions_tab(workspace)
        self.set_density(preferences.get("matrix_density"), remember=False)
        if workspace is not None:
            # A change of year reaches every page through WorkspaceView.reload.
            workspace.rowChanged.connect(self._row_changed)
            from dom_desk.ui.returns_due_tab import ReturnsDueTab

            #: Performance ▸ Returns schedule, the last tab (ui/returns_due_tab.py).
            self.returns_tab = ReturnsDueTab.attach(self)

    @property
    def stale(self) -> bool:
        return self._stale

    @stale.setter
    def stale(self, value: bool) -> None:
        self._stale = value
        if value and self.results is not None:
            self.results.stale = True
        if value and self.actions_tab is not None:
            self.actions_tab.stale = True

    @property
    def loading(self) -> bool:
        return self.runner.busy

    def set_workbook(self, wb: Workbook) -> None:
        """Shows a workbook without a workspace (the bench, scripts)."""
        self.wb = wb
        self.mark_stale()
        self.ensure_loaded()

    def mark_stale(self) -> None:
        """The figures changed: work the matrix out again now if it is on screen, else
        when it next is."""
        self._stale = True
        if self.actions_tab is not None:
            self.actions_tab.stale = True  # its suggestions follow the results
        if self.isVisible() and not self._results_shown():
            self.reload()
        if self.isVisible() and self._actions_shown():
            self.actions_tab.ensure_loaded()  # type: ignore[union-attr]

    def ensure_loaded(self) -> None:
        if self._stale:
            self.reload()
        if self._results_shown():
            self.results.ensure_loaded()  # type: ignore[union-attr]
        if self._actions_shown():
            self.actions_tab.ensure_loaded()  # type: ignore[union-attr]

    def _results_shown(self) -> bool:
        return self.results is not None and self.tabs.currentWidget() is self.results

    def _actions_shown(self) -> bool:
        return self.actions_tab is not None and self.tabs.currentWidget() is self.actions_tab

    def _tab_changed(self, _index: int) -> None:
        self.matrix_controls.setVisible(not self._results_shown() and not self._actions_shown())
        if self._results_shown():
            self.results.ensure_loaded()  # type: ignore[union-attr]
        elif self._actions_shown():
            self.actions_tab.ensure_loaded()  # type: ignore[union-attr]
        elif self._stale:
            self.reload()
        else:
            self._update_scorecard()

    def save_view(self) -> None:
        if self.results is not None:
            self.results.save_view()

    def _year(self) -> str | None:
        return self.workspace.year if self.workspace is not None else None

    def reload(self) -> None:
        """Reads the periods again and starts building the chosen window's matrix."""
        if self.wb is None:
            return
        self._stale = False
        chosen = self.period.currentData()
        try:
            found = performance_workbook.period_choices(self.wb, self._year())
            choices, self.region_name = found.choices, found.region_name
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return
        self.period.blockSignals(True)
        self.period.clear()
        for code, label in choices:
            self.period.addItem(label, code)
        at = self.period.findData(chosen) if chosen is not None else 0
        self.period.setCurrentIndex(max(at, 0))
        self.period.blockSignals(False)
        self._start_load()

    def _period_chosen(self, _index: int) -> None:
        self._start_load()

    def _start_load(self) -> None:
        if self.wb is None:
            return
        code = self.period.currentData() or None
        self._wanted += 1
        wanted = self._wanted
        self.progress.setVisible(True)
        self.status_counts.setText(self.tr("Working out the figures…"))
        self.runner.start(
            matrix_job,
            self.wb,
            code,
            self._year(),
            done=lambda m: self._matrix_ready(wanted, m),
            failed=self._failed,
        )

    def _matrix_ready(self, wanted: int, matrix: Matrix) -> None:
        if wanted != self._wanted:
            return  # a later choice of period superseded this one
        self.matrix = matrix
        self.previous = None
        self._mark_actions()
        self.apply_filter()
        self.progress.setVisible(False)
        self.runner.start(
            previous_job,
            self.wb,
            matrix.window,
            done=lambda m: self._previous_ready(wanted, m),
            failed=self._failed,
        )
        self.loaded.emit()

    def _previous_ready(self, wanted: int, previous: Matrix | None) -> None:
        if wanted != self._wanted:
            return
        self.previous = previous
        self._update_scorecard()

    def _failed(self, failure: Failure) -> None:
        self.progress.setVisible(False)
        messages.failure(self, failure.error, failure.details)

    def _row_changed(self, area_key: str, _row: object) -> None:
        if area_key in ("performance", "providers"):
            self.mark_stale()

    # -- filtering ----------------------------------------------------------------------

    def current_filter(self) -> MatrixFilter:
        return MatrixFilter(
            kinds=self.kind.currentData(),
            scopes=self.scope.currentData(),
            guidance=self.guidance.currentData(),
            text=self.filter.text(),
            problems_only=self.problems.isChecked(),
        )

    def apply_filter(self, *_args: object) -> None:
        if self.matrix is None:
            return
        self.view = self.matrix.view(self.current_filter())
        self.model.set_view(self.view)
        # The sort follows its measure to wherever the filter put its column.
        header = self.table.horizontalHeader()
        column = self.model.sorted_column()
        if header.isSortIndicatorShown() and column != header.sortIndicatorSection():
            header.blockSignals(True)
            header.setSortIndicator(column, self.model.sort_order)
            header.blockSignals(False)
        self._size_columns()
        self._update_counts()
        self._update_scorecard()

    def _update_counts(self) -> None:
        assert self.view is not None
        counts = self.view.counts()
        parts = []
        for status in (
            Status.MISSING,
            Status.MISSED,
            Status.NEAR,
            Status.MET,
            Status.NO_TARGET,
            Status.NO_FIGURES,
            Status.NOT_DUE,
        ):
            if counts.get(status):
                # Non-breaking spaces: a count wraps as a whole, never inside itself.
                chip = f"{status.symbol} {status.label} {counts[status]:,}".replace(" ", "&nbsp;")
                parts.append(
                    f"<span style='background:{STATUS_COLOURS[status]};color:#111'>"
                    f"&nbsp;{chip}&nbsp;</span>"
                )
        marked = self._marked_cells()
        if marked:  # the cells with the corner mark, said in words
            parts.append(f"◥&nbsp;{self.tr('Action open')}&nbsp;{marked:,}".replace(" ", "&nbsp;"))
        # "Q2 2009-10" kept on one line, as the chips are.
        window = self.view.matrix.window.label.replace(" ", "&nbsp;")
        self.status_counts.setText(f"<b>{window}</b>&nbsp;&nbsp;" + " ".join(parts))
        text = self.tr("{0} of {1} providers x {2} measures").format(
            len(self.view.rows), len(self.view.matrix.providers), len(self.view.cols)
        )
        self.count.setText(text)
        self.countChanged.emit(text)

    def _show_figures(self, shown: bool) -> None:
        self.model.set_show_figures(shown)
        self._size_columns()

    def focus_filter(self) -> None:
        if self._results_shown():
            self.results.focus_filter()  # type: ignore[union-attr]
            return
        self.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter.selectAll()

    def print_title(self) -> str:
        """What File ▸ Print heads the pages with: the tab, and for the matrix and the
        scorecard the period and every filter chosen."""
        current = self.tabs.currentWidget()
        tab = self.tabs.tabText(self.tabs.currentIndex()).replace("&", "")
        title = self.tr("Performance — {0}").format(tab)
        if current is self.table or current is self.score_table.parentWidget():
            parts = [title, self.period.currentText()]
            chosen = (self.kind, self.scope, self.guidance)
            parts += [c.currentText() for c in chosen if c.currentIndex() > 0]
            if self.problems.isChecked():
                parts.append(self.tr("problems only"))
            title = ", ".join(p for p in parts if p)
            box = self.filter
        else:  # the Results tab and the others: their own filter, if any
            box = getattr(current, "filter", None)
        wording = box.text().strip() if box is not None else ""
        return f'{title}, filtered by "{wording}"' if wording else title

    # -- cells --------------------------------------------------------------------------

    def summary(self) -> str:
        """What the status bar says about this page."""
        return self.count.text()

    # -- actions ------------------------------------------------------------------------

    def _add_actions_tab(self, workspace: Any) -> None:
        """The Actions tab (with a workspace), and the mark on a cell with one open."""
        self.actions_tab = ActionsTab(workspace, self) if workspace is not None else None
        self.table.setItemDelegate(ActionMarkDelegate(ActionRole, self.table))
        if self.actions_tab is not None:
            self.tabs.addTab(self.actions_tab, self.tr("&Actions"))
            self.actions_tab.changed.connect(self._actions_changed)

    def _mark_actions(self) -> None:
        if self.wb is None or self.actions_tab is None:
            return
        try:
            self.model.set_actions(open_marks(performance_actions.actions(self.wb, open_only=True)))
        except DomDeskError as exc:
            messages.error(self, str(exc))

    def _marked_cells(self) -> int:
        """How many cells shown carry an action's mark."""
        if self.view is None or not self.model.actions:
            return 0
        matrix = self.view.matrix
        providers = {matrix.providers[r].id for r in self.view.rows}
        measures = {matrix.measures[c].id for c in self.view.cols}
        return sum(1 for p, m in self.model.actions if p in providers and m in measures)

    def _actions_changed(self) -> None:
        self._mark_actions()
        if self.view is not None:
            self._update_counts()
        self.changed.emit()  # the Overview's list and key dates

    def show_action(self, action_id: int) -> bool:
        """The Actions tab with the action selected."""
        if self.actions_tab is None:
            return False
        self.tabs.setCurrentWidget(self.actions_tab)
        self.actions_tab.ensure_loaded()
        return self.actions_tab.select_action(action_id)

    def new_action_for(self, provider_id: int, measure_id: int) -> None:
        """New Action… for a matrix cell: its provider, measure and period chosen."""
        if self.actions_tab is None:
            return
        code = self.matrix.window.period_code if self.matrix is not None else ""
        self.actions_tab.ask_new(provider_id, measure_id, code or "")

    def closeEvent(self, event: Any) -> None:
        self.runner.wait()
        if self.actions_tab is not None:
            self.actions_tab.runner.wait()
        super().closeEvent(event)
