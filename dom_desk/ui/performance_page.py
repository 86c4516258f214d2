"""The Performance area: which providers are missing which targets, at a glance.

A matrix of providers (down) by measures (across) for a period or the year to date,
each cell coloured and labelled with its status; filters by provider kind, measure scope
and guidance; a cell opens the results behind it; trends and the weighted scorecard.

The matrix is built on the thread pool (a national workbook takes about a second) and
arrives as plain data; filtering it afterwards is done here, in milliseconds.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QProgressBar,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dom_desk.domain import matrix as matrix_api
from dom_desk.domain import performance, performance_workbook, scorecard, trends
from dom_desk.domain.applicability import PRISON_KINDS, PROBATION_KINDS
from dom_desk.domain.matrix import Matrix, MatrixFilter, MatrixView
from dom_desk.domain.status import Status
from dom_desk.domain.tables import AREAS
from dom_desk.errors import DomDeskError
from dom_desk.models import Guidance, ProviderKind, Scope
from dom_desk.storage.workbook import Workbook
from dom_desk.ui import undo as negotiation_undo
from dom_desk.ui.area_page import AreaPage
from dom_desk.ui.background import Failure, Runner
from dom_desk.ui.messages import messages
from dom_desk.ui.performance_models import (
    STATUS_COLOURS,
    KeyRole,
    KeySortProxy,
    MatrixModel,
    MatrixProxy,
    ScorecardModel,
)

#: Rows looked at to size the matrix's columns: a column's labels differ little in length,
#: and formatting more of them costs the window a visible pause on a national matrix.
SIZE_SAMPLE = 60
#: Widest a scorecard column may grow (in characters): "What moved" can list a dozen
#: measures, shown whole in its tooltip.
SCORE_COLUMN_CHARS = 44
SCORECARD_TAB = 1
#: Kind filter choices: (label, kinds); None is every kind.
KIND_CHOICES: list[tuple[str, frozenset[ProviderKind] | None]] = [
    ("All providers", None),
    ("All prisons", frozenset(PRISON_KINDS)),
    ("All probation", frozenset(PROBATION_KINDS)),
    *[(kind.label, frozenset({kind})) for kind in ProviderKind],
]


def _matrix_job(wb: Workbook, period: str | None, year: str | None) -> Matrix:
    """Runs on the pool: the matrix for the window chosen."""
    return matrix_api.build_matrix(wb, period, year)


def _previous_job(wb: Workbook, window: performance.Window) -> Matrix | None:
    """Runs on the pool: the matrix one step earlier, for the scorecard's movement."""
    return matrix_api.build_previous(wb, window)


def _trend_job(
    wb: Workbook, measure_id: int, provider_id: int | None, year: str | None
) -> tuple[Any, trends.TrendData]:
    """Runs on the pool: the trend's figures and its figure (matplotlib loads here, the
    first time, off the GUI thread)."""
    from dom_desk import charts

    data = trends.trend(wb, measure_id, provider_id, year)
    return charts.trend_figure(data), data


def _export_job(
    path: Path, view: MatrixView, previous: Matrix | None, spec: MatrixFilter, region_name: str
) -> Path:
    """Runs on the pool: the matrix as shown and its scorecard, to xlsx."""
    from dom_desk.exports.performance_export import export_matrix

    card = scorecard.scorecard_from(view.matrix, previous, spec)
    return export_matrix(path, view, card, region_name)


class PerformancePage(QWidget):
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
        if workspace is not None:
            # A change of year reaches every page through WorkspaceView.reload.
            workspace.rowChanged.connect(self._row_changed)

    @property
    def stale(self) -> bool:
        return self._stale

    @stale.setter
    def stale(self, value: bool) -> None:
        self._stale = value
        if value and self.results is not None:
            self.results.stale = True

    # -- building the page --------------------------------------------------------------

    def _combo(self, name: str, items: list[tuple[str, Any]]) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        combo.setToolTip(name)
        # Sized to a few words, not the longest choice, so the filters fit a laptop screen.
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(12)
        for label, value in items:
            combo.addItem(self.tr(label), value)
        combo.currentIndexChanged.connect(self.apply_filter)
        return combo

    def _make_controls(self) -> None:
        self.period = QComboBox()
        self.period.setAccessibleName(self.tr("Period shown"))
        self.period.setToolTip(self.tr("A month, a quarter, the year, or the year to date"))
        self.period.currentIndexChanged.connect(self._period_chosen)
        self.kind = self._combo(self.tr("Provider kind"), KIND_CHOICES)
        self.scope = self._combo(
            self.tr("Measure scope"),
            [("All scopes", None)] + [(s.label, frozenset({s})) for s in Scope],
        )
        self.guidance = self._combo(
            self.tr("Target guidance"),
            [("All guidance", None)] + [(g.label, frozenset({g})) for g in Guidance],
        )
        self.filter = QLineEdit()
        self.filter.setClearButtonEnabled(True)
        self.filter.setPlaceholderText(self.tr("Filter providers (Ctrl+F)"))
        self.filter.setAccessibleName(self.tr("Filter providers by name"))
        self.filter.textChanged.connect(self.apply_filter)
        self.problems = QCheckBox(self.tr("&Problems only"))
        self.problems.setToolTip(
            self.tr(
                "Only providers with a missed target or a missing return among the measures shown"
            )
        )
        self.problems.toggled.connect(self.apply_filter)
        self.figures = QCheckBox(self.tr("Show &figures"))
        self.figures.setChecked(True)
        self.figures.toggled.connect(self._show_figures)
        self.open_button = QPushButton(self.tr("&Open results…"))
        self.open_button.setToolTip(self.tr("The results behind the selected cell (Enter)"))
        self.open_button.clicked.connect(self.open_current)
        self.trend_button = QPushButton(self.tr("&Trend…"))
        self.trend_button.setToolTip(
            self.tr(
                "The selected provider's trend on the selected "
                "measure, or the measure across providers"
            )
        )
        self.trend_button.clicked.connect(self.trend_current)
        self.export_button = QPushButton(self.tr("&Export to Excel…"))
        self.export_button.clicked.connect(lambda: self.export_xlsx())
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(self.fontMetrics().averageCharWidth() * 16)
        self.progress.setAccessibleName(self.tr("Loading"))
        self.progress.setVisible(False)
        self.count = QLabel()
        self.count.setAccessibleName(self.tr("Shown"))
        self.status_counts = QLabel()
        self.status_counts.setAccessibleName(self.tr("Status counts"))
        self.status_counts.setTextFormat(Qt.TextFormat.RichText)
        # Both wrap on a narrow window rather than widening it past the screen.
        self.status_counts.setWordWrap(True)
        self.count.setWordWrap(True)

    def _make_tables(self) -> None:
        self.model = MatrixModel(self)
        self.proxy = MatrixProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("performance_matrix")
        self.table.setAccessibleName(self.tr("Performance matrix"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Tab goes on to the next control, not the next cell (arrow keys do that): the
        # tables are no keyboard trap.
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.doubleClicked.connect(self._activated)
        self.table.activated.connect(self._activated)
        line = self.fontMetrics().lineSpacing()
        vertical = self.table.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(int(line * 1.5))
        horizontal = self.table.horizontalHeader()
        horizontal.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        horizontal.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        horizontal.setHighlightSections(False)
        horizontal.setToolTip(self.tr("Double-click a measure for its trend across providers"))
        horizontal.sectionDoubleClicked.connect(self._header_trend)
        horizontal.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        horizontal.customContextMenuRequested.connect(self._header_menu)
        copy = QAction(self.tr("Copy"), self.table)
        copy.setShortcut(QKeySequence.StandardKey.Copy)
        copy.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        copy.triggered.connect(self.copy)
        self.table.addAction(copy)

        self.score_model = ScorecardModel(self)
        self.score_proxy = KeySortProxy(self)
        self.score_proxy.setSourceModel(self.score_model)
        self.score_table = QTableView()
        self.score_table.setObjectName("performance_scorecard")
        self.score_table.setAccessibleName(self.tr("Weighted scorecard"))
        self.score_table.setModel(self.score_proxy)
        self.score_table.setSortingEnabled(True)
        self.score_table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.score_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.score_table.setTabKeyNavigation(False)
        self.score_table.verticalHeader().setVisible(False)
        self.score_table.verticalHeader().setDefaultSectionSize(int(line * 1.5))
        self.score_table.horizontalHeader().setStretchLastSection(False)
        # Size columns from the first rows only: measuring 1,000 rows stalls the window.
        self.score_table.horizontalHeader().setResizeContentsPrecision(50)
        #: The scorecard's columns when they were last sized: sized again only when
        #: they change, not on every change of filter.
        self._score_shape: tuple[str, ...] | None = None
        self.score_note = QLabel()
        self.score_note.setWordWrap(True)

    def _lay_out(self) -> None:
        filters = QHBoxLayout()
        for label, widget in (
            (self.tr("&Period:"), self.period),
            (self.tr("&Kind:"), self.kind),
            (self.tr("S&cope:"), self.scope),
            (self.tr("&Guidance:"), self.guidance),
        ):
            caption = QLabel(label)
            caption.setBuddy(widget)
            filters.addWidget(caption)
            filters.addWidget(widget)
        filters.addWidget(self.filter, 1)
        filters.addWidget(self.problems)
        actions = QHBoxLayout()
        actions.addWidget(self.status_counts, 1)
        actions.addWidget(self.count)
        actions.addWidget(self.progress)
        actions.addWidget(self.figures)
        for button in (self.open_button, self.trend_button, self.export_button):
            actions.addWidget(button)

        score_page = QWidget()
        score_layout = QVBoxLayout(score_page)
        score_layout.setContentsMargins(0, 0, 0, 0)
        score_layout.addWidget(self.score_note)
        score_layout.addWidget(self.score_table, 1)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Performance views"))
        self.tabs.addTab(self.table, self.tr("&Matrix"))
        self.tabs.addTab(score_page, self.tr("&Scorecard"))
        if self.results is not None:
            self.tabs.addTab(self.results, self.tr("&Results"))
        self.tabs.currentChanged.connect(self._tab_changed)

        layout = QVBoxLayout(self)
        # The matrix's own filters and buttons; the Results tab has its own filter, so
        # these are hidden there rather than shown twice.
        self.matrix_controls = QWidget()
        controls = QVBoxLayout(self.matrix_controls)
        controls.setContentsMargins(0, 0, 0, 0)
        controls.addLayout(filters)
        controls.addLayout(actions)
        layout.addWidget(self.matrix_controls)
        layout.addWidget(self.tabs, 1)

    def _size_columns(self) -> None:
        """Each measure column as wide as its longest label (within limits), judged from
        a sample of rows: measuring 40,000 cells would stall the window."""
        char = self.fontMetrics().averageCharWidth()
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(char * 6)
        self.table.verticalHeader().setMaximumWidth(char * 36)
        if self.view is None or self.model.columnCount() == 0:
            return
        header.resizeSection(MatrixModel.ISSUES, char * 8)
        cells = self.view.matrix.cells
        step = max(1, len(self.view.rows) // SIZE_SAMPLE)
        sample = self.view.rows[::step]
        metrics = self.table.fontMetrics()
        for position, c in enumerate(self.view.cols, start=1):
            measure = self.view.matrix.measures[c]
            texts = [
                cell.text if self.model.show_figures else f"{cell.status.symbol} {cell.label}"
                for r in sample
                if (cell := cells[r][c]) is not None
            ]
            longest = max([*texts, measure.code, measure.rule_tag], key=len)
            width = metrics.horizontalAdvance(longest) + char * 3
            header.resizeSection(position, min(width, char * 34))

    # -- loading ------------------------------------------------------------------------

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
        if self.isVisible() and not self._results_shown():
            self.reload()

    def ensure_loaded(self) -> None:
        if self._stale:
            self.reload()
        if self._results_shown():
            self.results.ensure_loaded()  # type: ignore[union-attr]

    def _results_shown(self) -> bool:
        return self.results is not None and self.tabs.currentWidget() is self.results

    def _tab_changed(self, _index: int) -> None:
        self.matrix_controls.setVisible(not self._results_shown())
        if self._results_shown():
            self.results.ensure_loaded()  # type: ignore[union-attr]
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
            _matrix_job,
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
        self.apply_filter()
        self.progress.setVisible(False)
        self.runner.start(
            _previous_job,
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
        window = self.view.matrix.window.label
        self.status_counts.setText(f"<b>{window}</b>&nbsp;&nbsp;" + " ".join(parts))
        text = self.tr("{0} of {1} providers x {2} measures").format(
            len(self.view.rows), len(self.view.matrix.providers), len(self.view.cols)
        )
        self.count.setText(text)
        self.countChanged.emit(text)

    def _scorecard_filter(self) -> MatrixFilter:
        """The scorecard ranks providers of the kind and name chosen, on every weighted
        measure (scope and guidance filters hide columns, not weights)."""
        return MatrixFilter(kinds=self.kind.currentData(), text=self.filter.text())

    def _update_scorecard(self) -> None:
        """Worked out when the Scorecard tab is shown (and kept up to date while it is)."""
        if self.matrix is None or self.tabs.currentIndex() != SCORECARD_TAB:
            self.card = None
            return
        self.card = scorecard.scorecard_from(self.matrix, self.previous, self._scorecard_filter())
        self.score_model.set_scorecard(self.card)
        self._size_score_columns()
        note = self.tr(
            "Score out of 100: each weighted measure earns its weight times the "
            "share of its target achieved (capped at the target; a missing "
            "return earns nothing); measures without a target are left out."
        )
        if self.card.previous is not None:
            note += " " + self.tr("Movement since {0}.").format(self.card.previous.label)
        if self.card.warning:
            note = f"<b>{self.card.warning}</b> {note}"
        self.score_note.setText(note)

    def _size_score_columns(self) -> None:
        """Fits the columns to their contents when the card first shows (or its measures
        change), each within SCORE_COLUMN_CHARS."""
        assert self.card is not None
        shape = tuple(m.code for m in self.card.measures)
        if shape == self._score_shape or not self.card.scores:
            return
        self._score_shape = shape
        self.score_table.resizeColumnsToContents()
        header = self.score_table.horizontalHeader()
        widest = self.fontMetrics().averageCharWidth() * SCORE_COLUMN_CHARS
        for column in range(header.count()):
            if header.sectionSize(column) > widest:
                header.resizeSection(column, widest)

    def _show_figures(self, shown: bool) -> None:
        self.model.set_show_figures(shown)
        self._size_columns()

    def focus_filter(self) -> None:
        if self._results_shown():
            self.results.focus_filter()  # type: ignore[union-attr]
            return
        self.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter.selectAll()

    # -- cells --------------------------------------------------------------------------

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
            _trend_job,
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

    def export_xlsx(self, path: Path | None = None) -> None:
        """The matrix as shown (filters applied) and the scorecard, to an xlsx file."""
        if self.view is None:
            messages.info(self, self.tr("The matrix has not been worked out yet."))
            return
        if path is None:
            code = (
                self.view.matrix.window.period_code
                or f"{self.view.matrix.window.year_label}-to-date"
            )
            path = messages.save_xlsx_path(
                self, self.tr("Export the matrix"), Path(f"performance-{code}.xlsx")
            )
            if path is None:
                return
        self.progress.setVisible(True)
        self.runner.start(
            _export_job,
            path,
            self.view,
            self.previous,
            self._scorecard_filter(),
            self.region_name,
            done=self._exported,
            failed=self._failed,
        )

    def _exported(self, path: Path) -> None:
        self.progress.setVisible(self.runner.busy)
        messages.info(self, self.tr("Exported the matrix to {0}.").format(path))

    def summary(self) -> str:
        """What the status bar says about this page."""
        return self.count.text()

    def closeEvent(self, event: Any) -> None:
        self.runner.wait()
        super().closeEvent(event)
