"""Opening an attention line's record in the window.

A line naming a record (a provider, an agreement, a contract, a competition, a
milestone) opens it as Find in Workbook does (``WorkspaceView.open_record``: the area
shown, the record selected, a filter that hid it cleared). A performance line opens the
matrix for its month with the provider's missed measure selected, once the matrix has
been worked out; a grouped returns line opens the Performance page's returns schedule
tab where the page has one, else the Performance page; a performance action's line
opens the Actions tab with the action selected.
"""

from __future__ import annotations

from typing import Any

from dom_desk.domain.attention import AttentionItem, Source


def _tab_named(tabs: Any, name: str) -> int:
    for index in range(tabs.count()):
        if tabs.tabText(index).replace("&", "").startswith(name):
            return index
    return -1


def open_item(view: Any, item: AttentionItem) -> None:
    """Shows ``item``'s record in ``view`` (a ``WorkspaceView``)."""
    if item.area != "performance":
        if item.record_id:
            view.open_record(item.area, item.record_id)
        else:
            view.show_area(item.area)
        return
    view.show_area("performance")
    page = view.pages["performance"]
    tabs = getattr(page, "tabs", None)
    if item.source is Source.ACTIONS and hasattr(page, "show_action"):
        page.show_action(item.record_id)  # the Actions tab, the action and its notes
        return
    if item.tab and tabs is not None:
        at = _tab_named(tabs, item.tab)
        if at >= 0:
            tabs.setCurrentIndex(at)
            return
    if item.provider_id is None or not hasattr(page, "select_cell"):
        return
    if tabs is not None and hasattr(page, "table"):
        tabs.setCurrentWidget(page.table)
    select_after_load(page, item)


def select_after_load(page: Any, item: AttentionItem) -> None:
    """Chooses the item's month on the page and selects its cell when the matrix for it
    has arrived (now, if it already has)."""
    at = page.period.findData(item.period_code) if item.period_code else -1
    if at >= 0 and at != page.period.currentIndex():
        page.period.setCurrentIndex(at)  # starts working the month's matrix out
    else:
        matrix = page.matrix
        shown = page.period.currentData() or ""
        if matrix is not None and matrix.window.period_code == shown:
            _select(page, item)
            return

    def loaded() -> None:
        page.loaded.disconnect(loaded)
        _select(page, item)

    page.loaded.connect(loaded)


def _select(page: Any, item: AttentionItem) -> None:
    if item.provider_id is None:
        return
    if item.measure_id is not None and page.select_cell(item.provider_id, item.measure_id):
        page.table.setFocus()
        return
    # No measure (or its cell is filtered out): the provider's first cell shown.
    for measure in getattr(page.matrix, "measures", ()):
        if page.select_cell(item.provider_id, measure.id):
            break
    page.table.setFocus()
