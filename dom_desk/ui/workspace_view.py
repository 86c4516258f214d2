"""An open workbook on screen: the list of areas beside the page of the chosen one.

Only the page shown is built: every other page is a placeholder until it is first
visited (or asked for through ``pages``), and its module is imported then, so opening
a workbook costs one page, not ten. This module itself imports no domain code, so the
list of areas can be painted (``AreaList``) before the workbook is even open.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from importlib import import_module
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from dom_desk.ui.workspace import Workspace

#: The areas in the order of the navigation list and of Ctrl+1..Ctrl+9, Ctrl+0. The
#: year's reference lists (measures, services, priorities), set up in the planning round
#: and then mostly read, come after the ten areas of every day's work, so those keep the
#: keys they always had; the View menu and the list reach the last three.
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
    "measures",
    "services",
    "priorities",
    # Last, so the areas before it keep their Ctrl+1 to Ctrl+0 keys.
    "demand",
)
#: The title of each page in the list and the View menu. The areas' titles are the
#: domain's ``AREAS[key].title`` (a test keeps them equal); written out here so the list
#: is painted before the domain (and SQLAlchemy) is imported.
PAGE_TITLES = {
    "overview": "Overview",
    "providers": "Providers",
    "agreements": "Agreements",
    "allocations": "Allocations",
    "contracts": "Contracts",
    "competitions": "Competitions",
    "performance": "Performance",
    "risks": "Risks",
    "timeline": "Timeline",
    "milestones": "Milestones",
    "measures": "Measures",
    "services": "Services",
    "priorities": "Priorities",
    "demand": "Demand",
}

#: Where each page's class lives (module, class), imported when the page is first built.
#: Areas not listed are plain tables (``AreaPage``).
PAGE_CLASSES = {
    "overview": ("dom_desk.ui.overview_page", "OverviewPage"),
    "allocations": ("dom_desk.ui.allocations_page", "AllocationsPage"),
    "contracts": ("dom_desk.ui.contracts_page", "ContractsPage"),
    "competitions": ("dom_desk.ui.competitions_page", "CompetitionsPage"),
    "performance": ("dom_desk.ui.performance_page", "PerformancePage"),
    "demand": ("dom_desk.ui.demand_page", "DemandPage"),
    "risks": ("dom_desk.ui.risks_page", "RisksPage"),
    "timeline": ("dom_desk.ui.timeline_page", "TimelinePage"),
    "measures": ("dom_desk.ui.measures_page", "MeasuresPage"),
    "priorities": ("dom_desk.ui.priorities_page", "PrioritiesPage"),
}


def area_title(key: str) -> str:
    """The navigation and menu title of a page."""
    return QCoreApplication.translate("WorkspaceView", PAGE_TITLES[key])


class AreaList(QListWidget):
    """The list of areas, wide enough for the longest title."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Areas"))
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Expanding)
        self.setSpacing(max(self.fontMetrics().lineSpacing() // 5, 1))
        for key in AREA_ORDER:
            self.addItem(area_title(key))
        # Wide enough for the longest title in the list's own font, with its item spacing
        # on both sides (the size hint before the list is shown can be too small).
        metrics = self.fontMetrics()
        widest = max(metrics.horizontalAdvance(area_title(key)) for key in AREA_ORDER)
        self.setFixedWidth(
            widest + self.spacing() * 2 + self.frameWidth() * 2 + metrics.averageCharWidth() * 4
        )


def _placeholder(text: str) -> QWidget:
    """A page not built yet: its note, centred by stretches (Qt's alignment flags would
    load the whole Qt namespace, which start-up has no other need for)."""
    page = QWidget()
    label = QLabel(text)
    label.setEnabled(False)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(label)
    row.addStretch(1)
    column = QVBoxLayout(page)
    column.addStretch(1)
    column.addLayout(row)
    column.addStretch(1)
    page.label = label  # type: ignore[attr-defined]
    return page


class OpeningView(QWidget):
    """What the window shows while a workbook is being opened: the list of areas and a
    note, painted at once; the workbook's own view replaces it."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.nav = AreaList()
        self.nav.setCurrentRow(0)
        self.note = _placeholder(self.tr("Opening {0}…").format(name))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.nav)
        layout.addWidget(self.note, 1)


class Pages:
    """The view's pages by key, each built the first time it is asked for."""

    def __init__(self, build: Callable[[str], Any]) -> None:
        self._build = build
        self._built: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        page = self._built.get(key)
        if page is None:
            if key not in AREA_ORDER:
                raise KeyError(key)
            page = self._built[key] = self._build(key)
        return page

    def __contains__(self, key: object) -> bool:
        return key in AREA_ORDER

    def is_built(self, key: str) -> bool:
        return key in self._built

    def built(self) -> Iterator[Any]:
        """The pages built so far (the others have nothing to save or mark stale)."""
        return iter(list(self._built.values()))


class WorkspaceView(QWidget):
    #: The area shown changed (its key).
    areaChanged = Signal(str)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        workspace.setParent(self)
        self.pages = Pages(self._build_page)

        self.nav = AreaList()
        self.stack = QStackedWidget()
        for key in AREA_ORDER:
            self.stack.addWidget(_placeholder(self.tr("Loading {0}…").format(area_title(key))))
        self.nav.currentRowChanged.connect(self._nav_changed)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)

        workspace.yearChanged.connect(self._year_changed)

    @property
    def overview(self) -> Any:
        return self.pages["overview"]

    def _build_page(self, key: str) -> Any:
        """Imports the page's module, builds it and puts it in place of its placeholder."""
        if key in PAGE_CLASSES:
            module, name = PAGE_CLASSES[key]
            page = getattr(import_module(module), name)(self.workspace)
        else:
            from dom_desk.domain.tables import AREAS
            from dom_desk.ui.area_page import AreaPage

            page = AreaPage(AREAS[key], self.workspace)
        if key in ("overview", "timeline", "competitions"):
            page.openRecord.connect(self.open_record)
        if key == "overview":
            page.setupStep.connect(self._setup_step)
        if key in ("allocations", "performance", "demand"):
            page.changed.connect(self._figures_changed)
        index = AREA_ORDER.index(key)
        placeholder = self.stack.widget(index)
        current = self.stack.currentIndex()
        self.stack.insertWidget(index, page)
        # At the stack's size before it is first shown, so a table's first fit of its
        # columns is to its real width (pages built at start were laid out before).
        page.resize(self.stack.size())
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        self.stack.setCurrentIndex(current)
        return page

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

    def _setup_step(self, key: str, how: str) -> None:
        from dom_desk.ui.setup_actions import do_setup_step  # on first use

        do_setup_step(self, key, how)

    def open_record(self, area_key: str, record_id: int) -> None:
        """Shows an area with one record selected (from the Overview's key dates, the
        Timeline, Find in Workbook): the filter is cleared, and the Measures page shows
        every year's measures, if that is what hid it."""
        from dom_desk.ui.area_page import AreaPage

        self.show_area(area_key)
        page = self.pages[area_key]
        if isinstance(page, AreaPage):
            if not page.select_id(record_id) and page.filter.text():
                page.filter.clear()
            every_year = getattr(page, "every_year", None)  # the Measures page's box
            if not page.select_id(record_id) and every_year and not every_year.isChecked():
                every_year.setChecked(True)
                page.select_id(record_id)
            page.table.setFocus()

    # -- reloading ----------------------------------------------------------------------

    def mark_all_stale(self) -> None:
        for page in self.pages.built():
            page.stale = True

    def _figures_changed(self) -> None:
        """Allocations or a tolerance were written: every other page reads its figures
        again when it is next shown."""
        sender = self.sender()
        for page in self.pages.built():
            if page is not sender:
                page.stale = True

    def reload(self) -> None:
        """Reads everything again from the file (View ▸ Reload, a change of year)."""
        self.mark_all_stale()
        self.current_page().ensure_loaded()

    def _year_changed(self, _label: str) -> None:
        self.reload()

    def save_views(self) -> None:
        """Column widths and sorting of the table pages built (Overview, Allocations and
        the Timeline keep none)."""
        for key in AREA_ORDER:
            if key not in ("overview", "allocations", "timeline") and self.pages.is_built(key):
                self.pages[key].save_view()

    def focus_current(self) -> None:
        from PySide6.QtCore import Qt

        key = self.current_key()
        page = self.pages[key]
        if key == "timeline":
            page.view.setFocus(Qt.FocusReason.OtherFocusReason)
        elif key == "overview":
            page.dates_table.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            page.table.setFocus(Qt.FocusReason.OtherFocusReason)
