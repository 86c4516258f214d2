"""Text columns at 1366 px: a cell too narrow for its text is cut after a whole word with
"…" (never mid-word) and its tooltip gives the whole text, only when it was cut; a
double-click on a column edge fits the column to its contents; the fitted columns of the
demo's areas cut no cell mid-word and never cut a reference."""

from __future__ import annotations

import re
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QFontMetrics, QHelpEvent
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem, QTableView, QToolTip

from dom_desk.ui.grid import WordElideDelegate, word_elided
from dom_desk.ui.rows_table import RowsModel, fit_columns, rows_table

MENTORING = "Through-the-gate mentoring and family support"


def _metrics() -> QFontMetrics:
    return QFontMetrics(QApplication.font())


def _word_cut(text: str, shown: str) -> bool:
    """Whether ``shown`` is ``text`` whole, or a run of its whole words and "…"."""
    if shown == text:
        return True
    if not shown.endswith("…"):
        return False
    head = shown[:-1]
    rest = text[len(head) :]
    return text.startswith(head) and (rest[:1].isspace() or rest[:1] in ",;:/")


def test_a_long_text_is_cut_after_the_last_whole_word_that_fits(qapp: Any) -> None:
    metrics = _metrics()
    # As wide as Qt's own cut, "Through-the-gate mentori…": a word boundary instead (a
    # hyphenated word is one word).
    width = metrics.horizontalAdvance("Through-the-gate mentori…")
    shown = word_elided(MENTORING, metrics, width)
    assert shown == "Through-the-gate…"
    assert word_elided(MENTORING, metrics, metrics.horizontalAdvance("Through-the-ga…")) != (
        "Through-the…"
    )
    assert metrics.horizontalAdvance(shown) <= width
    # The longest run: the next whole word would not have fitted.
    assert metrics.horizontalAdvance("Through-the-gate mentoring…") > width
    wider = metrics.horizontalAdvance("Through-the-gate mentoring and…")
    assert word_elided(MENTORING, metrics, wider) == "Through-the-gate mentoring and…"


def test_text_that_fits_is_left_whole_and_a_lone_long_word_is_still_cut(qapp: Any) -> None:
    metrics = _metrics()
    assert word_elided("HMP Garth", metrics, metrics.horizontalAdvance("HMP Garth")) == "HMP Garth"
    one_word = "Responsibilities"
    shown = word_elided(one_word, metrics, metrics.horizontalAdvance("Respons…"))
    assert shown.endswith("…") and one_word.startswith(shown[:-1]) and shown[:-1]
    # A comma is not left dangling before the ellipsis.
    text = "Cheshire, Cumbria and Lancashire become Probation Trusts"
    shown = word_elided(text, metrics, metrics.horizontalAdvance("Cheshire, Cumbri…"))
    assert shown == "Cheshire…"


@pytest.fixture
def table(qtbot: Any) -> QTableView:
    model = RowsModel(
        [("Service", lambda r: r[0], False), ("Value", lambda r: r[1], True)],
    )
    model.set_rows([(MENTORING, "£150,000"), ("Housing", "£702,000")])
    view = rows_table(model, "services")
    view._model = model  # keep it alive with the view
    qtbot.addWidget(view)
    view.resize(600, 200)
    view.show()
    qtbot.waitExposed(view)
    width = _metrics().horizontalAdvance("Through-the-gate mentori…") + 12
    view.horizontalHeader().setStretchLastSection(False)
    view.setColumnWidth(0, width)
    return view


def _option(view: QTableView, row: int, column: int) -> QStyleOptionViewItem:
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    option.rect = view.visualRect(view.model().index(row, column))
    return option


def test_rows_tables_paint_a_word_cut_and_tip_the_whole_text_only_when_cut(
    table: QTableView,
) -> None:
    delegate = table.itemDelegate()
    assert isinstance(delegate, WordElideDelegate)
    long_cell, short_cell = table.model().index(0, 0), table.model().index(1, 0)
    shown, whole = delegate.shown_text(_option(table, 0, 0), long_cell)
    assert whole == MENTORING and shown != whole and _word_cut(whole, shown)
    assert delegate.tooltip(_option(table, 0, 0), long_cell) == MENTORING
    # "Housing" fits: the model's tip only repeats it, so no tip at all.
    assert short_cell.data(Qt.ItemDataRole.ToolTipRole) == "Housing"
    assert delegate.tooltip(_option(table, 1, 0), short_cell) == ""
    # Widened to fit, the long one needs no tip either.
    table.resizeColumnToContents(0)
    assert delegate.tooltip(_option(table, 0, 0), long_cell) == ""


def test_hovering_a_cut_cell_shows_the_whole_text(table: QTableView, qtbot: Any) -> None:
    viewport = table.viewport()

    def hover(row: int) -> bool:
        QToolTip.hideText()
        centre = table.visualRect(table.model().index(row, 0)).center()
        event = QHelpEvent(QEvent.Type.ToolTip, centre, viewport.mapToGlobal(centre))
        QApplication.sendEvent(viewport, event)
        return event.isAccepted()

    assert hover(0)
    qtbot.waitUntil(lambda: QToolTip.text() == MENTORING, timeout=2000)
    assert not hover(1)
    assert not QToolTip.isVisible() or QToolTip.text() != "Housing"


def _page(window: Any, key: str) -> Any:
    window.resize(1366, 768)
    window.show_area(key)
    page = window.view.pages[key]
    page.ensure_loaded()
    QApplication.processEvents()
    page.fit_columns()
    return page


def test_an_area_tips_a_cut_description_but_keeps_a_locked_rows_reason(window: Any) -> None:
    page = _page(window, "risks")
    table = page.table
    delegate = table.itemDelegate()
    assert isinstance(delegate, WordElideDelegate)
    risk = [c.key for c in page.model.columns].index("description")
    index = table.model().index(0, risk)
    option = _option(table, 0, risk)
    shown, whole = delegate.shown_text(option, index)
    assert shown != whole and _word_cut(whole, shown), shown
    assert delegate.tooltip(option, index).startswith(whole)
    # A signed allocation's cell says why it is locked, cut or not.
    window.show_area("allocations")
    page = window.view.pages["allocations"]
    page.ensure_loaded()
    view = page.allocations.table
    status = next(
        view.model().index(r, c)
        for r in range(view.model().rowCount())
        for c in range(view.model().columnCount())
        if view.model().index(r, c).data(Qt.ItemDataRole.DecorationRole) is not None
    )
    tip = view.itemDelegate().tooltip(_option(view, status.row(), status.column()), status)
    assert tip == status.data(Qt.ItemDataRole.ToolTipRole) and tip.startswith("Signed"), tip


AREAS = ("providers", "agreements", "contracts", "risks", "milestones", "competitions")


def test_the_demo_areas_cut_no_cell_mid_word_and_no_reference(window: Any) -> None:
    for key in AREAS:
        _no_cell_cut_mid_word(_page(window, key))


def _no_cell_cut_mid_word(page: Any) -> None:
    table, delegate = page.table, page.table.itemDelegate()
    header = table.horizontalHeader()
    mid_word = []
    for column in range(header.count()):
        if header.isSectionHidden(column):
            continue
        for row in range(table.model().rowCount()):
            index = table.model().index(row, column)
            shown, whole = delegate.shown_text(_option(table, row, column), index)
            if not _word_cut(whole, shown):
                mid_word.append((page.model.columns[column].title, whole, shown))
            if page.model.columns[column].key in ("reference", "ref") and whole:
                assert shown == whole, (whole, shown)
    assert not mid_word, (page.area.key, mid_word)
    # The figures stay in view: no column runs off the right of the table.
    last = max(
        header.sectionViewportPosition(c) + header.sectionSize(c)
        for c in range(header.count())
        if not header.isSectionHidden(c)
    )
    assert last <= table.viewport().width() + 1


def test_a_double_click_on_a_column_edge_fits_it_to_its_contents(window: Any, qtbot: Any) -> None:
    page = _page(window, "milestones")
    table, header = page.table, page.table.horizontalHeader()
    column = [c.key for c in page.model.columns].index("title")
    header.resizeSection(column, 90)
    edge = header.sectionViewportPosition(column) + header.sectionSize(column) - 1
    qtbot.mouseDClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(edge, header.height() // 2)
    )
    # QTest leaves the button down after a double-click: let it go, as a hand does.
    qtbot.mouseRelease(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(edge, header.height() // 2)
    )
    wanted = max(table.sizeHintForColumn(column), header.sectionSizeHint(column))
    qtbot.waitUntil(lambda: header.sectionSize(column) == wanted, timeout=2000)
    # Every milestone now shows whole, and the width is the user's: a resize keeps it.
    delegate = table.itemDelegate()
    for row in range(table.model().rowCount()):
        shown, whole = delegate.shown_text(
            _option(table, row, column), table.model().index(row, column)
        )
        assert shown == whole
    assert not table.fitter.active
    window.resize(1300, 768)
    QApplication.processEvents()
    assert header.sectionSize(column) == wanted


def test_a_title_does_not_widen_a_column_for_a_sort_arrow_it_does_not_show(window: Any) -> None:
    page = _page(window, "contracts")
    table, header = page.table, page.table.horizontalHeader()
    notice = [c.key for c in page.model.columns].index("notice_months")
    title = str(page.model.headerData(notice, Qt.Orientation.Horizontal))
    text = max(header.fontMetrics().horizontalAdvance(line) for line in title.split("\n"))
    assert header.sectionSize(notice) < text + header.height()  # no room for an arrow
    assert header.sectionSize(notice) >= text
    # Sorted on, it gets the arrow's room.
    table.sortByColumn(notice, Qt.SortOrder.AscendingOrder)
    QApplication.processEvents()
    assert header.sectionSize(notice) >= header.sectionSizeHint(notice)
    assert re.sub(r"\s+", " ", title) == "Notice (months)"


def test_a_rows_table_too_narrow_cuts_its_words_to_keep_every_column_in_view(
    qtbot: Any,
) -> None:
    model = RowsModel(
        [
            ("Provider", lambda r: r[0], False),
            ("Action", lambda r: r[1], False),
            ("Owner", lambda r: r[2], False),
            ("Value", lambda r: r[3], True),
        ]
    )
    model.set_rows(
        [
            ("Lancashire Probation Area", MENTORING, "Regional performance manager", "£150,000"),
            ("HMP Liverpool", "Positive mandatory drug tests", "Head of Commissioning", "£1,000"),
        ]
    )
    view = rows_table(model, "actions")
    view._model = model
    qtbot.addWidget(view)
    view.resize(420, 200)
    view.show()
    qtbot.waitExposed(view)
    fit_columns(view, widest=260)
    header = view.horizontalHeader()
    assert header.sectionViewportPosition(3) + header.sectionSize(3) <= view.viewport().width()
    assert header.sectionSize(3) >= view.sizeHintForColumn(3)  # the figure is never cut
    delegate = view.itemDelegate()
    for row in range(2):
        for column in range(3):
            index = model.index(row, column)
            shown, whole = delegate.shown_text(_option(view, row, column), index)
            assert _word_cut(whole, shown), (whole, shown)
