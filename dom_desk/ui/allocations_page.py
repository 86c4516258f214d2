"""Allocations and SLAs: the page a DOM takes to the negotiating table.

The envelope bar stays in view above three tabs: the year's allocations (with totals by
provider, kind, sector and pathway, the envelope's funding sources and the warnings), the
SLA workspace of one provider, the negotiation scenarios, value for money (unit prices
against target cost and other providers) and payment by results (money at risk, earned
and still at risk); a line under the bar says what of the money committed is paid on
results. Every figure comes from the
domain API and every edit is one undo step on the window's undo stack.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QTabWidget, QVBoxLayout, QWidget

from dom_desk.domain import allocations as al
from dom_desk.domain.payments import at_risk_sentence
from dom_desk.errors import DomDeskError
from dom_desk.ui.allocations_tab import AllocationsTab
from dom_desk.ui.envelope_bar import EnvelopeBar
from dom_desk.ui.grid import GridModel, SpreadsheetView
from dom_desk.ui.messages import messages


class AllocationsPage(QWidget):
    """The Allocations area: envelope bar, then Allocations, SLA workspace and Scenarios.

    Offers the window's page interface (``stale``, ``ensure_loaded``, ``summary``,
    ``copy``, ``focus_filter``, ``select_id``, ``save_view``, ``table``).
    """

    #: Figures were written here: other pages showing them should reload.
    changed = Signal()
    countChanged = Signal(str)

    def __init__(self, workspace: Any, parent: QWidget | None = None) -> None:
        from dom_desk.ui.payments_tab import PaymentsTab
        from dom_desk.ui.scenario_view import ScenarioView
        from dom_desk.ui.sla_workspace import SlaWorkspace
        from dom_desk.ui.vfm_tab import VfmTab

        super().__init__(parent)
        self.setObjectName("allocations_page")
        self.workspace = workspace
        self.stale = True
        self.bar = EnvelopeBar()
        self.allocations = AllocationsTab(workspace)
        self.sla = SlaWorkspace(workspace)
        self.scenarios = ScenarioView(workspace)
        self.vfm = VfmTab(workspace)
        self.payments = PaymentsTab(workspace)
        #: What of the committed money is paid on results, under the bar on every tab.
        self.at_risk = QLabel()
        self.at_risk.setObjectName("allocations_at_risk")
        self.at_risk.setWordWrap(True)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("allocations_tabs")
        self.tabs.addTab(self.allocations, self.tr("&Allocations"))
        self.tabs.addTab(self.sla, self.tr("&SLA Workspace"))
        self.tabs.addTab(self.scenarios, self.tr("S&cenarios"))
        self.tabs.addTab(self.vfm, self.tr("&Value for Money"))
        self.tabs.addTab(self.payments, self.tr("Payment by &Results"))
        self.tabs.currentChanged.connect(lambda _i: self._refresh_current())
        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addWidget(self.at_risk)
        layout.addWidget(self.tabs, 1)
        for part in (self.allocations, self.sla, self.scenarios, self.payments):
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
        self.vfm.stale = True
        self.payments.stale = True

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
        self.at_risk.setText(at_risk_sentence(self.workspace.wb, pos.committed))
        self.at_risk.setVisible(bool(self.at_risk.text()))
        self.allocations.show_position(pos)
        self.sla.stale = self.scenarios.stale = self.vfm.stale = self.payments.stale = True
        self._refresh_current()
        self.countChanged.emit(self.summary())

    def _refresh_current(self) -> None:
        current = self.tabs.currentWidget()
        if current in (self.sla, self.scenarios, self.vfm, self.payments):
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
