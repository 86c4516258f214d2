"""The Performance page's controls, tables and layout, and how its matrix columns are
sized: built once, when the page is made (see :class:`PageLayout`)."""

from __future__ import annotations

import contextlib
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFont, QFontMetrics, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dom_desk import preferences
from dom_desk.domain.applicability import PRISON_KINDS, PROBATION_KINDS
from dom_desk.domain.kinds import Guidance, ProviderKind, Scope
from dom_desk.ui.performance_frozen import FrozenColumns
from dom_desk.ui.performance_models import KeySortProxy, MatrixModel, MatrixProxy
from dom_desk.ui.performance_scorecard_model import ScorecardModel

#: Rows looked at to size the matrix's columns: a column's labels differ little in length,
#: and formatting more of them costs the window a visible pause on a national matrix.
SIZE_SAMPLE = 60
#: Kind filter choices: (label, kinds); None is every kind.
#: The matrix's densities (key stored in the preferences, label shown).
DENSITIES = {"comfortable": "Comfortable", "compact": "Compact"}
#: Widest a measure column may grow, in average characters, in each density.
WIDEST = {"comfortable": 30, "compact": 17}
#: Row height in lines of text, in each density.
ROW_LINES = {"comfortable": 1.5, "compact": 1.2}
#: Points taken off the table's font in the compact density.
COMPACT_SMALLER = 1.5
KIND_CHOICES: list[tuple[str, frozenset[ProviderKind] | None]] = [
    ("All providers", None),
    ("All prisons", frozenset(PRISON_KINDS)),
    ("All probation", frozenset(PROBATION_KINDS)),
    *[(kind.label, frozenset({kind})) for kind in ProviderKind],
]


class PageLayout:
    """Mixed into :class:`~dom_desk.ui.performance_page.PerformancePage`: makes its
    widgets."""

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
        self.density = QComboBox()
        self.density.setAccessibleName(self.tr("Density"))
        self.density.setToolTip(
            self.tr(
                "Compact fits more measures on the screen: smaller rows and text, cells "
                "with the symbol and figure (the status in words in their tooltip)"
            )
        )
        for key, label in DENSITIES.items():
            self.density.addItem(self.tr(label), key)
        self.density.currentIndexChanged.connect(
            lambda _i: self.set_density(self.density.currentData())
        )
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
        self.table.verticalHeader().setAccessibleName(self.tr("Provider"))
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
        # The provider names and issue counts stay in view while the measures scroll.
        self.frozen = FrozenColumns(self.table)

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
        density = QLabel(self.tr("&Density:"))
        density.setBuddy(self.density)
        actions.addWidget(density)
        actions.addWidget(self.density)
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
        density = self.density.currentData() or "comfortable"
        char = self.table.fontMetrics().averageCharWidth()
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(char * 5)
        self.table.verticalHeader().setMaximumWidth(char * 36)
        if self.view is None or self.model.columnCount() == 0:
            return
        header_metrics = header.fontMetrics()
        issues = str(self.model.headerData(MatrixModel.ISSUES, Qt.Orientation.Horizontal))
        header.resizeSection(
            MatrixModel.ISSUES, header_metrics.horizontalAdvance(issues) + char * 3
        )
        cells = self.view.matrix.cells
        step = max(1, len(self.view.rows) // SIZE_SAMPLE)
        sample = self.view.rows[::step]
        metrics = self.table.fontMetrics()
        for position, c in enumerate(self.view.cols, start=1):
            texts = [
                self.model.cell_text(cell) for r in sample if (cell := cells[r][c]) is not None
            ]
            heading = str(self.model.headerData(position, Qt.Orientation.Horizontal) or "")
            # A heading needs room for its margins and the sort arrow beside its text.
            widest = max(
                [metrics.horizontalAdvance(text) + char * 2 for text in texts]
                + [
                    header_metrics.horizontalAdvance(line) + char * 4
                    for line in heading.split("\n")
                ]
            )
            header.resizeSection(position, min(widest, char * WIDEST[density]))
        self.frozen.update()

    def set_density(self, density: str, remember: bool = True) -> None:
        """Comfortable or compact rows, text and columns; remembered in the preferences."""
        if density not in DENSITIES:
            density = "comfortable"
        if self.density.currentData() != density:
            self.density.blockSignals(True)
            self.density.setCurrentIndex(self.density.findData(density))
            self.density.blockSignals(False)
        compact = density == "compact"
        font = QFont(self.font())
        if compact:
            font.setPointSizeF(max(7.0, font.pointSizeF() - COMPACT_SMALLER))
        for table in (self.table, self.score_table):
            table.setFont(font)
            table.horizontalHeader().setFont(font)
            table.verticalHeader().setFont(font)
            line = QFontMetrics(font).lineSpacing()
            table.verticalHeader().setDefaultSectionSize(int(line * ROW_LINES[density]))
        self.model.set_compact(compact)
        self._size_columns()
        self._score_shape = None  # the scorecard's columns sized again in the new font
        if self.matrix is not None:
            self._update_scorecard()
        if remember:
            # A read-only data folder: the choice lasts this session only.
            with contextlib.suppress(OSError):
                preferences.set_value("matrix_density", density)

    # -- loading ------------------------------------------------------------------------
