"""Edit ▸ Find in Workbook (Ctrl+K): typing lists the records, Enter opens the chosen one."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

CTRL = Qt.KeyboardModifier.ControlModifier


def _open_search(window: Any, qtbot: Any) -> Any:
    window.activateWindow()  # offscreen, a closed dialog gives the window no focus back
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_K, CTRL)
    dialog = window.search_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    qtbot.waitUntil(dialog.query.hasFocus)  # typing goes straight into the box
    return dialog


def _type(dialog: Any, qtbot: Any, text: str) -> None:
    dialog.query.clear()
    qtbot.keyClicks(dialog.query, text)
    # The list follows the typing once the typing pauses.
    qtbot.waitUntil(lambda: not dialog._timer.isActive(), timeout=2000)


def _lines(dialog: Any) -> list[str]:
    return [dialog.results.item(i).text() for i in range(dialog.results.count())]


def test_ctrl_k_finds_a_contract_and_enter_opens_it_selected(window, qtbot):
    assert window.find_action.text().replace("&", "") == "Find in Workbook…"
    assert window.find_action.isEnabled()
    dialog = _open_search(window, qtbot)
    assert dialog.query.accessibleName() == "Find in workbook"
    assert dialog.results.accessibleName() == "Records found"

    _type(dialog, qtbot, "buckley")
    lines = _lines(dialog)
    assert "HMP Buckley Hall SLA 2009-10\n    SLA 2009-10 · HMP Buckley Hall" in lines
    assert "HMP Buckley Hall\n    Competition · Re-compete manage only" in lines

    # Asked for its contract: the one awarded from the competition comes first.
    _type(dialog, qtbot, "Buckley Hall's contract")
    assert _lines(dialog)[0] == (
        "HMP Buckley Hall operating agreement 2010-2020\n    Contract · HMP Buckley Hall"
    )

    _type(dialog, qtbot, "forest bank contract")
    assert dialog.status.text() == "2 records found."
    assert _lines(dialog)[0] == "HMP Forest Bank operating contract\n    Contract · HMP Forest Bank"
    area, record_id = dialog.hits[0].area, dialog.hits[0].record_id
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)

    assert not dialog.isVisible()
    assert window.view.current_key() == "contracts"
    page = window.view.pages["contracts"]
    assert area == "contracts"
    assert page.current_id() == record_id


def test_arrow_keys_choose_and_escape_closes(window, qtbot):
    dialog = _open_search(window, qtbot)
    _type(dialog, qtbot, "Bukley")  # misspelt
    assert dialog.results.count() >= 3
    assert dialog.results.currentRow() == 0
    qtbot.keyClick(dialog.query, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.query, Qt.Key.Key_Down)
    assert dialog.results.currentRow() == 2
    assert dialog.query.hasFocus()  # typing goes on in the box
    chosen = dialog.hits[2]
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    assert window.view.current_key() == chosen.area
    assert window.view.pages[chosen.area].current_id() == chosen.record_id

    dialog = _open_search(window, qtbot)
    _type(dialog, qtbot, "zzqqxx")
    assert dialog.results.count() == 0
    assert dialog.status.text() == "Nothing found for “zzqqxx”."
    qtbot.keyClick(dialog.query, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_a_measure_of_another_year_is_shown_when_opened(window, qtbot):
    measures = window.view.pages["measures"]
    window.view.show_area("measures")
    measures.filter.setText("zzz")  # a filter hiding everything is cleared too
    dialog = _open_search(window, qtbot)
    _type(dialog, qtbot, "pt4")  # PT 4 is a 2008-09 measure: 2009-10 is shown
    hit = dialog.hits[0]
    assert (hit.area, hit.what) == ("measures", "Measure · PT 4")
    assert not measures.every_year.isChecked()
    dialog.open_current()
    assert window.view.current_key() == "measures"
    assert measures.filter.text() == ""
    assert measures.every_year.isChecked()
    assert measures.current_id() == hit.record_id
