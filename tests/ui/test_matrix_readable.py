"""The matrix read at 1366x768: headings in words over codes, provider column frozen
while the measures scroll, a remembered density, scorecard and results in plain words."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt

from dom_desk import preferences
from dom_desk.ui.performance_models import MatrixModel
from dom_desk.ui.performance_page import PerformancePage


def open_page(qtbot: Any, wb: Any, height: int = 700) -> PerformancePage:
    page = PerformancePage()
    qtbot.addWidget(page)
    page.resize(1366, height)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=20000):
        page.set_workbook(wb)
    qtbot.waitUntil(lambda: not page.loading, timeout=20000)
    return page


def headings(page: PerformancePage) -> list[str]:
    return [
        page.proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(page.proxy.columnCount())
    ]


def names(view: Any) -> list[str]:
    model = view.model()
    return [model.headerData(r, Qt.Orientation.Vertical) for r in range(model.rowCount())]


def fitting(page: PerformancePage) -> int:
    """Measure columns wholly on screen beside the frozen columns."""
    width = page.table.viewport().width()
    return sum(
        1
        for c in range(1, page.proxy.columnCount())
        if page.table.columnViewportPosition(c) + page.table.columnWidth(c) <= width
    )


def test_headings_are_short_names_over_codes_with_the_wording_in_the_tooltip(
    qtbot: Any, demo: Any
) -> None:
    page = open_page(qtbot, demo)
    shown = headings(page)
    assert "Drug misuse\nKPI 6" in shown and "Category A escapes\nKPI 2" in shown
    assert not [h for h in shown if "rate of totals" in h or "latest" in h]
    column = shown.index("Drug misuse\nKPI 6")
    tip = page.proxy.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    # The full wording and how the figure is worked out, in words.
    assert "The rate of drug misuse in prisons is less than" in tip
    assert "summed numerators over summed denominators" in tip


def test_the_provider_column_stays_in_view_and_in_step(qtbot: Any, demo: Any) -> None:
    page = open_page(qtbot, demo, height=400)  # short enough to scroll down as well
    frozen = page.frozen.view
    assert frozen.isVisible() and names(frozen) == names(page.table)
    assert [c for c in range(page.proxy.columnCount()) if not frozen.isColumnHidden(c)] == [
        MatrixModel.ISSUES
    ]
    left = frozen.geometry().left()
    bar = page.table.horizontalScrollBar()
    assert bar.maximum() > 0  # the measures do not all fit
    bar.setValue(bar.maximum())
    assert frozen.geometry().left() == left and frozen.isVisible()
    # Scrolled down together, rows of the same height.
    down = page.table.verticalScrollBar()
    assert down.maximum() > 0
    down.setValue(down.maximum())
    assert frozen.verticalScrollBar().value() == down.value()
    assert frozen.rowHeight(0) == page.table.rowHeight(0)
    assert frozen.rowAt(0) == page.table.rowAt(0)
    # A click on the frozen Issues heading sorts the matrix: most issues first, both views.
    frozen.horizontalHeader().sectionClicked.emit(MatrixModel.ISSUES)
    issues = [
        int(page.proxy.index(r, MatrixModel.ISSUES).data()) for r in range(page.proxy.rowCount())
    ]
    assert issues == sorted(issues, reverse=True) and issues[0] > 0
    assert names(frozen) == names(page.table)
    # One selection: a row picked in the matrix is the row picked in the frozen part.
    assert frozen.selectionModel() is page.table.selectionModel()


def test_compact_density_fits_more_measures_and_is_remembered(qtbot: Any, demo: Any) -> None:
    page = open_page(qtbot, demo)
    assert page.density.currentData() == "comfortable"
    comfortable, row = fitting(page), page.table.rowHeight(0)
    page.density.setCurrentIndex(page.density.findData("compact"))
    assert preferences.get("matrix_density") == "compact"
    assert page.table.rowHeight(0) < row
    assert fitting(page) >= comfortable * 1.6, (comfortable, fitting(page))
    assert page.frozen.view.rowHeight(0) == page.table.rowHeight(0)
    # The compact cell shows symbol and figure; the words stay in the tooltip.
    texts = {page.proxy.index(r, c).data() for r in range(5) for c in range(1, 8)}
    assert "✓ 81.3%" in texts
    again = open_page(qtbot, demo)  # a new window opens as the user left it
    assert again.density.currentData() == "compact" and again.model.compact


def test_scorecard_and_results_speak_plainly(qtbot: Any, window: Any) -> None:
    window.show_area("performance")
    page = window.view.pages["performance"]
    qtbot.waitUntil(lambda: page.matrix is not None and not page.loading, timeout=20000)
    page.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: page.card is not None, timeout=20000)
    assert "22 providers not scored" in page.score_note.text()
    assert page.score_proxy.index(0, 0).data() == "=1"
    page.tabs.setCurrentWidget(page.results)
    results = page.results
    qtbot.waitUntil(lambda: results.proxy.rowCount() > 0, timeout=10000)
    at = [c.key for c in results.area.columns].index("period")
    periods = {r.values[at] for r in results.model.rows}
    assert "Sep 2009" in periods
    assert not [p for p in periods if re.fullmatch(r"\d{4}-\d{2}(-M|-Q\d)?", p)]
