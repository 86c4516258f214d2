"""Contracts, competitions, risks and the timeline in the main window."""

from __future__ import annotations

from PySide6.QtCore import Qt

from dom_desk.ui.competitions_page import CompetitionsPage
from dom_desk.ui.contracts_page import ContractsPage
from dom_desk.ui.risks_page import RisksPage
from dom_desk.ui.timeline_page import TimelinePage


def test_the_planning_pages_are_in_the_window(qtbot, window) -> None:
    pages = window.view.pages
    assert isinstance(pages["contracts"], ContractsPage)
    assert isinstance(pages["competitions"], CompetitionsPage)
    assert isinstance(pages["risks"], RisksPage)
    assert isinstance(pages["timeline"], TimelinePage)
    qtbot.keyClick(window, Qt.Key.Key_9, Qt.KeyboardModifier.ControlModifier)
    assert window.view.current_key() == "timeline"
    assert pages["timeline"].view.rows


def test_enter_on_a_timeline_row_opens_the_record_in_its_page(qtbot, window) -> None:
    window.view.show_area("timeline")
    view = window.view.pages["timeline"].view
    for group in ("Competitions", "Contracts", "Milestones"):
        index = next(i for i, r in enumerate(view.rows) if r.group == group)
        row = view.rows[index]
        window.view.show_area("timeline")
        view.set_current(index)
        view.setFocus()
        qtbot.keyClick(view, Qt.Key.Key_Return)
        assert window.view.current_key() == row.area
        assert window.view.pages[row.area].current_id() == row.record_id
