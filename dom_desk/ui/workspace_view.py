"""An open workbook on screen: the list of areas beside the page of the chosen one."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QSizePolicy,
    QStackedWidget,
    QWidget,
)

from dom_desk.domain.tables import AREAS
from dom_desk.ui.allocations_page import AllocationsPage
from dom_desk.ui.area_page import AreaPage
from dom_desk.ui.competitions_page import CompetitionsPage
from dom_desk.ui.contracts_page import ContractsPage
from dom_desk.ui.overview_page import OverviewPage
from dom_desk.ui.performance_page import PerformancePage
from dom_desk.ui.risks_page import RisksPage
from dom_desk.ui.timeline_page import TimelinePage
from dom_desk.ui.workspace import Workspace

#: The areas in the order of the navigation list and of Ctrl+1..Ctrl+9.
AREA_ORDER = (
    "overview",
    "providers",
    "agreements",
    "allocations",
    "contracts",
    "competitions",
    "performance",
    "risks",
    "timeline",
    "milestones",
)
#: Titles of pages that are not areas of ``AREAS``.
PAGE_TITLES = {"overview": "Overview", "timeline": "Timeline"}

#: Pages of their own for contracts, competitions, risks and the timeline.
PLANNING_PAGES: dict[str, Any] = {
    "contracts": ContractsPage,
    "competitions": CompetitionsPage,
    "risks": RisksPage,
    "timeline": TimelinePage,
}


def area_title(key: str) -> str:
    """The navigation and menu title of a page."""
    return (
        QCoreApplication.translate("WorkspaceView", PAGE_TITLES[key])
        if key in PAGE_TITLES
        else AREAS[key].title
    )


class WorkspaceView(QWidget):
    #: The area shown changed (its key).
    areaChanged = Signal(str)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        workspace.setParent(self)

        self.overview = OverviewPage(workspace)
        self.overview.openRecord.connect(self.open_record)
        self.pages: dict[str, Any] = {"overview": self.overview}
        for key in AREA_ORDER[1:]:
            if key in AREAS and key not in PLANNING_PAGES:
                self.pages[key] = AreaPage(AREAS[key], workspace)
        # Contracts, competitions, risks and the timeline have pages of their own.
        for key, page_class in PLANNING_PAGES.items():
            self.pages[key] = page_class(workspace)
        self.pages["timeline"].openRecord.connect(self.open_record)
        # Allocations: the envelope, the SLA workspace and negotiation scenarios.
        self.pages["allocations"] = AllocationsPage(workspace)
        self.pages["allocations"].changed.connect(self._figures_changed)
        # Performance: the status matrix, scorecard and trends, with the results table.
        self.pages["performance"] = PerformancePage(workspace)
        self.pages["performance"].changed.connect(self._figures_changed)

        self.nav = QListWidget()
        self.nav.setAccessibleName(self.tr("Areas"))
        self.nav.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Expanding)
        self.nav.setSpacing(max(self.fontMetrics().lineSpacing() // 5, 1))
        self.stack = QStackedWidget()
        for key in AREA_ORDER:
            self.nav.addItem(area_title(key))
            self.stack.addWidget(self.pages[key])
        # Wide enough for the longest title in the list's own font, with its item spacing
        # on both sides (the size hint before the list is shown can be too small).
        metrics = self.nav.fontMetrics()
        widest = max(metrics.horizontalAdvance(area_title(key)) for key in AREA_ORDER)
        width = (
            widest
            + self.nav.spacing() * 2
            + self.nav.frameWidth() * 2
            + metrics.averageCharWidth() * 4
        )
        self.nav.setFixedWidth(width)
        self.nav.currentRowChanged.connect(self._nav_changed)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)

        workspace.yearChanged.connect(self._year_changed)

    # -- navigation ---------------------------------------------------------------------

    def current_key(self) -> str:
        return AREA_ORDER[max(self.nav.currentRow(), 0)]

    def current_page(self) -> Any:
        return self.pages[self.current_key()]

    def show_area(self, key: str) -> None:
        row = AREA_ORDER.index(key)
        if self.nav.currentRow() == row:
            self.pages[key].ensure_loaded()
        else:
            self.nav.setCurrentRow(row)

    def _nav_changed(self, row: int) -> None:
        if row < 0:
            return
        key = AREA_ORDER[row]
        self.pages[key].ensure_loaded()
        self.stack.setCurrentIndex(row)
        self.areaChanged.emit(key)

    def open_record(self, area_key: str, record_id: int) -> None:
        """Shows an area with one record selected (from the Overview's key dates)."""
        self.show_area(area_key)
        page = self.pages[area_key]
        if isinstance(page, AreaPage):
            if not page.select_id(record_id) and page.filter.text():
                page.filter.clear()
                page.select_id(record_id)
            page.table.setFocus()

    # -- reloading ----------------------------------------------------------------------

    def mark_all_stale(self) -> None:
        for page in self.pages.values():
            page.stale = True

    def _figures_changed(self) -> None:
        """Allocations or a tolerance were written: every other page reads its figures
        again when it is next shown."""
        sender = self.sender()
        for page in self.pages.values():
            if page is not sender:
                page.stale = True

    def reload(self) -> None:
        """Reads everything again from the file (View ▸ Reload, a change of year)."""
        self.mark_all_stale()
        self.current_page().ensure_loaded()

    def _year_changed(self, _label: str) -> None:
        self.reload()

    def save_views(self) -> None:
        for page in self.pages.values():
            if isinstance(page, AreaPage | PerformancePage):
                page.save_view()

    def focus_current(self) -> None:
        page = self.current_page()
        if isinstance(page, AreaPage | AllocationsPage | PerformancePage):
            page.table.setFocus(Qt.FocusReason.OtherFocusReason)
        elif isinstance(page, TimelinePage):
            page.view.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            page.dates_table.setFocus(Qt.FocusReason.OtherFocusReason)
