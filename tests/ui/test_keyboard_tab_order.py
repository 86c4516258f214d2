"""Tab and Shift+Tab reach every control of a page, in reading order, with no table that
keeps the focus (arrow keys move between cells; Tab moves on)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

#: More presses than any page has controls: a chain this long has a trap in it.
MOST_PRESSES = 80


def tab_chain(qtbot: Any, page: QWidget, start: QWidget, backwards: bool) -> list[QWidget]:
    """The page's widgets in the order Tab (or Shift+Tab) visits them from ``start``,
    going round the window once; fails at a widget that keeps the focus."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    assert QApplication.focusWidget() is start
    key = Qt.Key.Key_Backtab if backwards else Qt.Key.Key_Tab
    modifier = Qt.KeyboardModifier.ShiftModifier if backwards else Qt.KeyboardModifier.NoModifier
    visited = [start]
    for _ in range(MOST_PRESSES):
        here = QApplication.focusWidget()
        qtbot.keyClick(here, key, modifier)
        there = QApplication.focusWidget()
        assert there is not here, f"{here.accessibleName() or here} keeps the focus"
        if there is start:
            return visited
        if page.isAncestorOf(there):
            visited.append(there)
    raise AssertionError("Tab never came back round")


def controls(page: QWidget) -> set[QWidget]:
    """The page's widgets a keyboard user should be able to reach with Tab."""
    return {
        w
        for w in page.findChildren(QWidget)
        if w.isVisibleTo(page)
        and w.isEnabled()
        and w.focusProxy() is None
        and w.focusPolicy() & Qt.FocusPolicy.TabFocus == Qt.FocusPolicy.TabFocus
    }


def check_round_trip(qtbot: Any, page: QWidget, start: QWidget) -> list[QWidget]:
    forward = tab_chain(qtbot, page, start, backwards=False)
    backward = tab_chain(qtbot, page, start, backwards=True)
    assert backward == [start, *reversed(forward[1:])]  # Shift+Tab retraces Tab
    missed = controls(page) - set(forward)
    assert not missed, [w.accessibleName() or type(w).__name__ for w in missed]
    return forward


def test_competitions_page_in_reading_order_both_ways(qtbot: Any, window: Any) -> None:
    window.show_area("competitions")
    page = window.view.pages["competitions"]
    assert page.current_id() is not None  # buttons and fields enabled
    order = check_round_trip(qtbot, page, page.filter)
    fields = [w for w in order if page.detail.isAncestorOf(w)]
    assert fields, "the detail pane is not reached"
    at = order.index
    assert (
        at(page.filter)
        < at(page.table)
        < at(fields[0])
        < at(fields[-1])
        < at(page.stages)
        < at(page.new_button)
        < at(page.replan_button)
    )


@pytest.mark.parametrize("tab", [0, 1])  # matrix, scorecard
def test_performance_page_in_reading_order_both_ways(qtbot: Any, window: Any, tab: int) -> None:
    window.show_area("performance")
    page = window.view.pages["performance"]
    qtbot.waitUntil(lambda: page.matrix is not None and not page.loading, timeout=10000)
    page.tabs.setCurrentIndex(tab)
    order = check_round_trip(qtbot, page, page.period)
    shown = page.tabs.currentWidget()
    inside = [w for w in order if w is shown or shown.isAncestorOf(w)]
    assert inside, "the tab's own table is not reached"
    at = order.index
    assert (
        at(page.period)
        < at(page.kind)
        < at(page.scope)
        < at(page.guidance)
        < at(page.filter)
        < at(page.problems)
        < at(page.figures)
        < at(page.open_button)
        < at(page.trend_button)
        < at(page.export_button)
        < at(page.tabs.tabBar())
        < at(inside[0])
    )


def test_performance_results_tab_in_reading_order_both_ways(qtbot: Any, window: Any) -> None:
    """The Results tab has its own filter: the matrix's controls are hidden, not
    visited."""
    window.show_area("performance")
    page = window.view.pages["performance"]
    qtbot.waitUntil(lambda: page.matrix is not None and not page.loading, timeout=10000)
    page.tabs.setCurrentWidget(page.results)
    order = check_round_trip(qtbot, page, page.tabs.tabBar())
    assert page.period not in order and page.filter not in order
    at = order.index
    assert at(page.tabs.tabBar()) < at(page.results.filter) < at(page.results.table)


@pytest.mark.parametrize("key", ["providers", "allocations"])
def test_tab_leaves_every_grid_and_ctrl_tab_moves_within_it(
    qtbot: Any, window: Any, key: str
) -> None:
    window.show_area(key)
    table = window.view.pages[key].table
    table.setFocus(Qt.FocusReason.TabFocusReason)
    table.setCurrentIndex(table.model().index(0, 0))
    before = table.currentIndex()
    qtbot.keyClick(table, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is table and table.currentIndex() != before
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not table  # the keyboard is never trapped
