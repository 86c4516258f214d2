"""Negotiation scenarios side by side with the current position.

Each figure a scenario can change (allocations, service lines, targets) is shown now and
in the scenario, next to each other; a changed cell is marked with "*", bold type and a
"Changed" column, never by colour alone. Typing or pasting in an "in scenario" column
drafts the change (one undo step) and the effect on the envelope and on the totals is
worked out again at once. Accepting applies the whole scenario as one undo step.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dom_desk.domain import scenarios as sc
from dom_desk.domain.kinds import ScenarioStatus
from dom_desk.domain.money import format_pounds
from dom_desk.domain.tables import Column, Row
from dom_desk.domain.values import Kind, counted, format_value
from dom_desk.errors import DomDeskError
from dom_desk.ui.grid import GridModel, SpreadsheetView
from dom_desk.ui.messages import messages
from dom_desk.ui.scenario_actions import ScenarioActions

EFFECT_COLUMNS = (
    Column("name", "Name"),
    Column("now", "Committed now", Kind.MONEY),
    Column("proposed", "Committed in scenario", Kind.MONEY),
    Column("change", "Change", Kind.MONEY),
    Column("changed", "Changed"),
)
PAIR_COLUMNS = (
    Column("where", "Figure"),
    Column("now", "Now"),
    Column("first", "This scenario"),
    Column("second", "Other scenario"),
    Column("differs", "Differs"),
)
TABLES = (
    (sc.ALLOCATION, "Allocations"),
    (sc.SERVICE_LINE, "Service lines"),
    (sc.TARGET, "Targets"),
)
DIMENSIONS = (
    ("sector", "By sector"),
    ("kind", "By provider kind"),
    ("provider", "By provider"),
    ("pathway", "By pathway"),
)


def _signed(pence: int) -> str:
    return ("+" if pence > 0 else "") + format_pounds(pence)


class ScenarioView(ScenarioActions, QWidget):
    #: Real figures were written (a scenario accepted or its acceptance undone).
    changed = Signal()

    def __init__(self, workspace: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scenario_view")
        self.workspace = workspace
        self.stale = True
        self.tables: sc.ScenarioTables | None = None
        self.infos: list[sc.ScenarioInfo] = []
        editable = not workspace.read_only

        self.chooser = QComboBox()
        self.chooser.setObjectName("scenario_chooser")
        self.chooser.setAccessibleName(self.tr("Scenario"))
        self.chooser.currentIndexChanged.connect(lambda _i: self.refresh())
        chooser_label = QLabel(self.tr("Sce&nario:"))
        chooser_label.setBuddy(self.chooser)
        self.new_button = QPushButton(self.tr("&New…"))
        self.new_button.clicked.connect(self.ask_new)
        self.move_button = QPushButton(self.tr("&Move Money…"))
        self.move_button.clicked.connect(self.ask_move)
        self.decision_button = QPushButton(self.tr("Record Dec&ision…"))
        self.decision_button.setToolTip(
            self.tr(
                "Record a decision to move money from one allocation to another, with its "
                "reason: kept with a new draft scenario that moves the money when accepted"
            )
        )
        self.decision_button.clicked.connect(self.ask_decision)
        self.accept_button = QPushButton(self.tr("Acce&pt"))
        self.accept_button.clicked.connect(self.ask_accept)
        self.discard_button = QPushButton(self.tr("&Discard"))
        self.discard_button.clicked.connect(self.discard)
        for button in (
            self.new_button,
            self.move_button,
            self.decision_button,
            self.accept_button,
            self.discard_button,
        ):
            button.setEnabled(editable)
        self.effect = QLabel()
        self.effect.setObjectName("scenario_effect")
        self.effect.setAccessibleName(self.tr("Effect on the envelope"))
        self.effect.setWordWrap(True)

        self.filter = QLineEdit()
        self.filter.setClearButtonEnabled(True)
        self.filter.setPlaceholderText(
            self.tr("Filter figures (provider, agreement, service, measure)")
        )
        self.filter.setAccessibleName(self.tr("Filter scenario figures"))
        self.filter.textChanged.connect(lambda _t: self._filter())
        self.only_changed = QCheckBox(self.tr("&Only changed figures"))
        self.only_changed.toggled.connect(lambda _on: self._filter())

        self.grids: dict[str, GridModel] = {}
        self.views: dict[str, SpreadsheetView] = {}
        self.tabs = QTabWidget()
        self.tabs.setObjectName("scenario_tabs")
        for key, title in TABLES:
            model = GridModel(
                sc.TABLE_COLUMNS[key],
                apply=(lambda e, t, k=key: self._apply(k, e, t)) if editable else None,
                cell_editable=lambda row, col, k=key: self._editable(k, row),
                mark=lambda row, col, k=key: self._mark(k, row, col),
                parent=self,
            )
            view = SpreadsheetView(model, f"scenario_{key}", self.tr(title))
            self.grids[key], self.views[key] = model, view
            self.tabs.addTab(view, self.tr(title))

        self.dimension = QComboBox()
        self.dimension.setAccessibleName(self.tr("Totals by"))
        for key, title in DIMENSIONS:
            self.dimension.addItem(self.tr(title), key)
        self.dimension.currentIndexChanged.connect(lambda _i: self._show_effect())
        self.effects = GridModel(EFFECT_COLUMNS, mark=self._mark_total, parent=self)
        effects_view = SpreadsheetView(
            self.effects, "scenario_totals", self.tr("Totals in scenario"), sortable=False
        )
        totals = QWidget()
        totals_layout = QVBoxLayout(totals)
        totals_layout.addWidget(self.dimension)
        totals_layout.addWidget(effects_view, 1)
        self.tabs.addTab(totals, self.tr("&Totals"))

        self.other = QComboBox()
        self.other.setAccessibleName(self.tr("Compare with"))
        self.other.currentIndexChanged.connect(lambda _i: self._show_pair())
        self.pair = GridModel(PAIR_COLUMNS, mark=self._mark_pair, parent=self)
        self.pair_summary = QLabel()
        self.pair_summary.setAccessibleName(self.tr("Comparison of the two scenarios"))
        self.pair_summary.setWordWrap(True)
        compare = QWidget()
        compare_layout = QVBoxLayout(compare)
        compare_row = QHBoxLayout()
        other_label = QLabel(self.tr("Compare &with:"))
        other_label.setBuddy(self.other)
        compare_row.addWidget(other_label)
        compare_row.addWidget(self.other, 1)
        compare_layout.addLayout(compare_row)
        compare_layout.addWidget(self.pair_summary)
        compare_layout.addWidget(
            SpreadsheetView(self.pair, "scenario_pair", self.tr("Two scenarios")), 1
        )
        self.tabs.addTab(compare, self.tr("Compare"))
        self.warnings = QListWidget()
        self.warnings.setObjectName("scenario_warnings")
        self.warnings.setAccessibleName(self.tr("Scenario warnings"))
        self.warnings.setWordWrap(True)
        self.tabs.addTab(self.warnings, self.tr("Warnings"))

        top = QHBoxLayout()
        top.addWidget(chooser_label)
        top.addWidget(self.chooser, 1)
        for button in (
            self.new_button,
            self.move_button,
            self.decision_button,
            self.accept_button,
            self.discard_button,
        ):
            top.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.effect)
        filters = QHBoxLayout()
        filters.addWidget(self.filter, 1)
        filters.addWidget(self.only_changed)
        layout.addLayout(filters)
        layout.addWidget(self.tabs, 1)

    # -- loading ------------------------------------------------------------------------

    @property
    def scenario_id(self) -> int | None:
        return self.chooser.currentData()

    @property
    def info(self) -> sc.ScenarioInfo | None:
        return next((i for i in self.infos if i.id == self.scenario_id), None)

    def ensure_loaded(self) -> None:
        if self.stale:
            self.reload()

    def reload(self, select: int | None = None) -> None:
        """Refills the list of the year's scenarios and shows the chosen one."""
        self.stale = False
        keep = select if select is not None else self.scenario_id
        try:
            self.infos = sc.scenarios(self.workspace.wb, self.workspace.year)
        except DomDeskError as exc:
            messages.error(self, str(exc))
            self.infos = []
        self.chooser.blockSignals(True)
        self.chooser.clear()
        for info in self.infos:
            self.chooser.addItem(
                self.tr("{0} ({1}, {2} changes)").format(
                    info.name, info.status.label.lower(), info.changes
                ),
                info.id,
            )
        found = self.chooser.findData(keep) if keep is not None else -1
        if found < 0:
            drafts = [i for i, info in enumerate(self.infos) if info.status is ScenarioStatus.DRAFT]
            found = drafts[-1] if drafts else len(self.infos) - 1
        self.chooser.setCurrentIndex(found)
        self.chooser.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        """Works the chosen scenario's figures and effect out again from the file."""
        sid = self.scenario_id
        self.tables = None
        if sid is not None:
            try:
                self.tables = sc.tables_of(self.workspace.wb, sid)
            except DomDeskError as exc:
                messages.error(self, str(exc))
        for key, model in self.grids.items():
            model.set_rows(self.tables.rows[key] if self.tables else [])
        draft = self.info is not None and self.info.status is ScenarioStatus.DRAFT
        editable = not self.workspace.read_only
        self.move_button.setEnabled(editable and draft)
        self.accept_button.setEnabled(editable and draft)
        self.discard_button.setEnabled(editable and draft)
        self._show_effect()
        self._fill_others()

    def _show_effect(self) -> None:
        self.warnings.clear()
        if self.tables is None:
            self.effect.setText(self.tr("No scenario yet: choose New to draft one."))
            self.effects.set_rows([])
            return
        comparison = self.tables.comparison
        now, then = comparison.current, comparison.proposed
        envelope = (
            self.tr("unchanged") if then.envelope == now.envelope else format_pounds(then.envelope)
        )
        self.effect.setText(
            self.tr(
                "{0}: {1} changed. Envelope {2} ({3})  ·  committed now {4}, in "
                "scenario {5} ({6})  ·  headroom now {7}, in scenario {8}{9}"
            ).format(
                comparison.scenario.name,
                counted(len(comparison.cells), "figure"),
                format_pounds(now.envelope),
                envelope,
                format_pounds(now.committed),
                format_pounds(then.committed),
                _signed(comparison.envelope_change),
                format_pounds(now.headroom),
                format_pounds(then.headroom),
                self.tr(". Warning: over the envelope") if then.over_envelope else "",
            )
        )
        dimension = self.dimension.currentData()
        self.effects.set_rows(
            [
                Row(i, 0, (t.name, t.current, t.proposed, t.change, "Changed" if t.change else ""))
                for i, t in enumerate(comparison.totals(dimension), start=1)
            ]
            + [
                Row(
                    0,
                    0,
                    (
                        "Total",
                        now.committed,
                        then.committed,
                        then.committed - now.committed,
                        "Changed" if then.committed != now.committed else "",
                    ),
                )
            ]
        )
        found = comparison.warnings
        self.warnings.addItems(found or [self.tr("No warnings.")])
        self.tabs.setTabText(
            self.tabs.indexOf(self.warnings), self.tr("Warnings ({0})").format(len(found))
        )

    def _fill_others(self) -> None:
        keep = self.other.currentData()
        self.other.blockSignals(True)
        self.other.clear()
        self.other.addItem(self.tr("(choose a scenario)"), None)
        for info in self.infos:
            if info.id != self.scenario_id:
                self.other.addItem(info.name, info.id)
        self.other.setCurrentIndex(max(self.other.findData(keep), 0))
        self.other.blockSignals(False)
        self._show_pair()

    def _show_pair(self) -> None:
        other = self.other.currentData()
        if other is None or self.scenario_id is None:
            self.pair.set_rows([])
            self.pair_summary.setText(
                self.tr("Choose another scenario of the year to see the two side by side.")
            )
            return
        try:
            pair = sc.compare_pair(self.workspace.wb, self.scenario_id, other)
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return
        self.pair.set_rows(
            [
                Row(
                    i,
                    0,
                    (
                        c.where,
                        format_value(c.kind, c.current),
                        format_value(c.kind, c.first),
                        format_value(c.kind, c.second),
                        "Differs" if c.differs else "",
                    ),
                )
                for i, c in enumerate(pair.cells, start=1)
            ]
        )
        sectors = "; ".join(
            self.tr("{0}: {1} / {2}").format(name, _signed(a - now), _signed(b - now))
            for name, now, a, b in pair.totals("sector")
        )
        self.pair_summary.setText(
            self.tr("Committed change by sector, this scenario / {0}: {1}").format(
                pair.second.scenario.name, sectors
            )
        )

    def _filter(self) -> None:
        """Rows matching the filter text; with "only changed", rows the scenario changes."""
        words = self.filter.text().casefold()
        for key, view in self.views.items():
            changed_at = [c.key for c in sc.TABLE_COLUMNS[key]].index("changed")
            view.proxy.set_row_filter(
                lambda row, at=changed_at: (
                    (not self.only_changed.isChecked() or bool(row.values[at]))
                    and (
                        not words
                        or any(words in str(v).casefold() for v in row.values if isinstance(v, str))
                    )
                )
            )

    # -- marks --------------------------------------------------------------------------

    def _mark(self, table: str, row: Row, column: Column) -> str | None:
        """A note for an "in scenario" cell that differs from the figure now."""
        if not column.key.endswith("_new"):
            return None
        keys = [c.key for c in sc.TABLE_COLUMNS[table]]
        now = row.values[keys.index(column.key.removesuffix("_new"))]
        new = row.values[keys.index(column.key)]
        if now == new:
            return None
        return self.tr("Changed in the scenario: now {0}, in the scenario {1}").format(
            format_value(column.kind, now) or self.tr("empty"),
            format_value(column.kind, new) or self.tr("empty"),
        )

    @staticmethod
    def _mark_total(row: Row, column: Column) -> str | None:
        if column.key == "proposed" and row.values[3]:
            return f"Changed by {_signed(row.values[3])}"
        return None

    @staticmethod
    def _mark_pair(row: Row, column: Column) -> str | None:
        if column.key in ("first", "second") and row.values[4]:
            return "The two scenarios differ here"
        return None

    def _editable(self, table: str, row: Row) -> bool:
        if self.info is None or self.info.status is not ScenarioStatus.DRAFT:
            return False
        return not (
            table == sc.TARGET and self.tables is not None and row.id in self.tables.national
        )
