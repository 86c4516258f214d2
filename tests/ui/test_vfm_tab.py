"""Allocations ▸ Value for Money on the demo: the lines furthest above their target unit
cost first, each against the other providers of its service, and the Excel export."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from openpyxl import load_workbook
from PySide6.QtCore import Qt

from dom_desk.ui.allocations_page import AllocationsPage


def _tab(window: Any) -> Any:
    window.show_area("allocations")
    page = window.view.current_page()
    assert isinstance(page, AllocationsPage)
    page.tabs.setCurrentWidget(page.vfm)
    return page.vfm


def _row(model: Any, row: int) -> dict[str, str]:
    return {
        model.headerData(c, Qt.Orientation.Horizontal): model.index(row, c).data()
        for c in range(model.columnCount())
    }


def test_the_tab_opens_on_the_line_furthest_above_target(window: Any, answers: Any) -> None:
    tab = _tab(window)
    assert not tab.stale  # loaded when the tab was shown
    first = _row(tab.lines, 0)
    assert first["Provider"] == "HMP Garth"
    assert first["Service"] == "Custody places (adult men)"
    assert first["Against target"] == "+£5,000 (20.0%) above"
    assert first["Rank (1 = lowest)"] == "13 of 13"
    assert first["Median paid"] == "£22,000"
    assert "11 of 52 service lines cost more than their service's target" in (
        tab.summary_label.text()
    )
    pathways = [_row(tab.pathways, r)["Pathway"] for r in range(tab.pathways.rowCount())]
    assert pathways[-1] == "Not assigned to a pathway"
    assert answers.errors == []


def test_an_edited_price_shows_when_the_tab_is_next_seen(window: Any) -> None:
    tab = _tab(window)
    page = window.view.current_page()
    page.tabs.setCurrentWidget(page.allocations)
    page.mark_stale()  # what an edit elsewhere does
    assert tab.stale
    page.tabs.setCurrentWidget(page.vfm)
    assert not tab.stale


def test_export_writes_the_lines_as_shown(window: Any, tmp_path: Any) -> None:
    tab = _tab(window)
    path = tab.export_xlsx(tmp_path / "vfm.xlsx")
    assert path is not None
    sheet = load_workbook(path).worksheets[0]
    header = [c.value for c in sheet[1]]
    first = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert (first["Provider"], first["Unit price"]) == ("HMP Garth", Decimal("30000"))
    assert sheet.max_row - 1 == tab.lines.rowCount()
