"""An open workbook on screen: the list of areas beside the page of the chosen one."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QSizePolicy,
    QStackedWidget,
    QWidget,
)

from dom_desk.domain.tables import AREAS
from dom_desk.ui.area_page import AreaPage
from dom_desk.ui.overview_page import OverviewPage
from dom_desk.ui.workspace import Workspace

#: The areas in the order of the navigation list and of Ctrl+1..Ctrl+8.
AREA_ORDER = ("overview", "providers", "agreements", "allocations", "contracts",
              "competitions", "performance", "risks")


class WorkspaceView(QWidget):
    #: The area shown changed (its key).
    areaChanged = Signal(str)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        workspace.setParent(self)

        self.overview = OverviewPage(workspace)
        self.overview.openRecord.connect(self.open_record)
        self.pages: dict[str, OverviewPage | AreaPage] = {"overview": self.overview}
        for key in AREA_ORDER[1:]:
            self.pages[key] = AreaPage(AREAS[key], workspace)

        self.nav = QListWidget()
        self.nav.setAccessibleName(self.tr("Areas"))
        self.nav.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Expanding)
        self.nav.setSpacing(max(self.fontMetrics().lineSpacing() // 5, 1))
        self.stack = QStackedWidget()
        for key in AREA_ORDER:
            title = self.tr("Overview") if key == "overview" else AREAS[key].title
            self.nav.addItem(title)
            self.stack.addWidget(self.pages[key])
        width = max(self.nav.sizeHintForColumn(0), 0) + self.nav.frameWidth() * 2 \
            + self.fontMetrics().averageCharWidth() * 4
        self.nav.setMaximumWidth(width)
        self.nav.currentRowChanged.connect(self._nav_changed)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)

        workspace.yearChanged.connect(self._year_changed)

    # -- navigation ---------------------------------------------------------------------

    def current_key(self) -> str:
        return AREA_ORDER[max(self.nav.currentRow(), 0)]

    def current_page(self) -> OverviewPage | AreaPage:
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

    def reload(self) -> None:
        """Reads everything again from the file (View ▸ Reload, a change of year)."""
        self.mark_all_stale()
        self.current_page().ensure_loaded()

    def _year_changed(self, _label: str) -> None:
        self.reload()

    def save_views(self) -> None:
        for page in self.pages.values():
            if isinstance(page, AreaPage):
                page.save_view()

    def focus_current(self) -> None:
        page = self.current_page()
        if isinstance(page, AreaPage):
            page.table.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            page.dates_table.setFocus(Qt.FocusReason.OtherFocusReason)
