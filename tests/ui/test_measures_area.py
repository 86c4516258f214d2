"""The Measures, Services and Priorities areas driven as a user would: reached from the
list of areas, New… through its form, a cell typed, two rows pasted from Excel, Delete…,
the years, parts and retirement of a measure; each one undo step."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialogButtonBox
from ui_helpers import cell, shown, stored, type_into_cell, visible_ids

from dom_desk.domain import measures
from dom_desk.domain.kinds import MeasureUnit
from dom_desk.domain.tables import AREAS, load_rows
from dom_desk.ui.workspace_view import AREA_ORDER

CTRL = Qt.KeyboardModifier.ControlModifier


def _page(window: Any, key: str) -> Any:
    window.show_area(key)
    page = window.view.pages[key]
    page.ensure_loaded()
    return page


def _id(wb: Any, area_key: str, label: str) -> int:
    area = AREAS[area_key]
    at = [c.key for c in area.columns].index(area.label_key)
    (found,) = [r.id for r in load_rows(wb, area_key) if r.values[at] == label]
    return found


def _labels(wb: Any, area_key: str) -> list[str]:
    area = AREAS[area_key]
    at = [c.key for c in area.columns].index(area.label_key)
    return [r.values[at] for r in load_rows(wb, area_key)]


def _ok(qtbot: Any, dialog: Any) -> None:
    button = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _new(qtbot: Any, page: Any, answers_: dict[str, str]) -> Any:
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    dialog = page.new_dialog
    assert dialog.isVisible()
    for key, text in answers_.items():
        dialog.set_text(key, text)
    _ok(qtbot, dialog)
    return dialog


def _select(page: Any, row_ids: list[int], key: str) -> None:
    page.table.setFocus()
    selection = page.table.selectionModel()
    selection.setCurrentIndex(
        cell(page, row_ids[0], key), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )
    for row_id in row_ids[1:]:
        selection.select(cell(page, row_id, key), QItemSelectionModel.SelectionFlag.Select)


def _select_one(page: Any, row_id: int) -> None:
    page.table.setFocus()
    page.table.setCurrentIndex(cell(page, row_id, page.area.label_key))


# -- measures -----------------------------------------------------------------------------


def test_the_new_areas_are_in_the_list_and_the_view_menu(qtbot: Any, window: Any) -> None:
    nav = window.view.nav
    titles = [nav.item(r).text() for r in range(nav.count())]
    assert titles[-4:] == ["Measures", "Services", "Priorities", "Demand"]
    # The ten everyday areas keep the keys they had; the newer ones come after.
    assert AREA_ORDER.index("milestones") == 9
    assert window.area_actions["milestones"].shortcuts()[0].toString() == "Ctrl+0"
    nav.setCurrentRow(AREA_ORDER.index("measures"))
    assert window.view.current_key() == "measures"
    page = window.view.pages["measures"]
    assert page.proxy.rowCount() > 0 and page.detail.row_id is not None
    window.area_actions["services"].trigger()
    assert window.view.current_key() == "services"


def test_the_years_set_is_shown_and_every_years_on_request(
    qtbot: Any, window: Any, answers: Any
) -> None:
    wb = window.workspace.wb
    other = next(y for y in window.workspace.years if y != window.workspace.year)
    measures.set_measure_years(wb, "KPI 2", [other])
    kpi2 = _id(wb, "measures", "KPI 2")
    page = _page(window, "measures")
    assert kpi2 not in visible_ids(page)
    in_year = [c.key for c in AREAS["measures"].columns].index("in_year")
    rows = load_rows(wb, "measures", window.workspace.year)
    assert sorted(visible_ids(page)) == sorted(r.id for r in rows if r.values[in_year])
    page.every_year.setChecked(True)
    assert kpi2 in visible_ids(page)
    assert page.proxy.rowCount() == len(rows)
    assert page.count.text() == f"{len(rows)} measures of every year"
    assert shown(page, kpi2, "years") == other


def test_a_new_measure_is_in_the_shown_years_set_and_one_undo_step(
    qtbot: Any, window: Any, answers: Any
) -> None:
    page = _page(window, "measures")
    wb = window.workspace.wb
    dialog = _new(
        qtbot,
        page,
        {
            "code": "KPI 99",
            "title": "Victims contacted within eight weeks",
            "unit": "%",
            "direction": "Higher is better",
            "guidance": "Locally Set",
        },
    )
    assert not answers.errors and not dialog.isVisible()
    new_id = _id(wb, "measures", "KPI 99")
    assert page.current_id() == new_id
    assert shown(page, new_id, "years") == window.workspace.year
    window.undo_action.trigger()
    assert "KPI 99" not in _labels(wb, "measures")
    assert page.model.position_of(new_id) is None
    window.redo_action.trigger()
    assert _id(wb, "measures", "KPI 99") == new_id


def test_a_code_already_used_keeps_the_form_open_naming_the_field(
    qtbot: Any, window: Any, answers: Any
) -> None:
    page = _page(window, "measures")
    dialog = _new(
        qtbot,
        page,
        {"code": "kpi 2", "title": "Again", "unit": "%", "direction": "Higher is better",
         "guidance": "National"},
    )  # fmt: skip
    (error,) = answers.errors
    assert error.startswith("New measure, Code:") and "'KPI 2'" in error
    assert dialog.isVisible()
    dialog.reject()


def test_a_typed_cell_is_written_and_undone_and_a_bad_one_refused(
    qtbot: Any, window: Any, answers: Any
) -> None:
    page = _page(window, "measures")
    wb = window.workspace.wb
    kpi1 = _id(wb, "measures", "KPI 1")
    before = stored(wb, "measures", kpi1, "national_value")
    type_into_cell(qtbot, page, kpi1, "national_value", "12.5")
    assert not answers.errors
    assert str(stored(wb, "measures", kpi1, "national_value")) == "12.5"
    assert shown(page, kpi1, "national_value") == "12.5"
    window.undo_action.trigger()
    assert stored(wb, "measures", kpi1, "national_value") == before

    type_into_cell(qtbot, page, kpi1, "floor", "5")  # KPI 1 is a National measure
    (error,) = answers.errors
    assert "KPI 1" in error and "Floor" in error and "Regional Minimum" in error
    assert stored(wb, "measures", kpi1, "floor") is None


def test_two_rows_pasted_from_excel_are_one_undo_step(
    qtbot: Any, window: Any, answers: Any
) -> None:
    page = _page(window, "measures")
    wb = window.workspace.wb
    ids = [_id(wb, "measures", "KPI 1"), _id(wb, "measures", "KPI 2")]
    before = [stored(wb, "measures", i, "weighting") for i in ids]
    _select(page, ids, "weighting")
    QGuiApplication.clipboard().setText("3\r\n4\r\n")
    qtbot.keyClick(page.table, Qt.Key.Key_V, CTRL)
    assert not answers.errors
    assert [stored(wb, "measures", i, "weighting") for i in ids] == [3, 4]
    window.undo_action.trigger()
    assert [stored(wb, "measures", i, "weighting") for i in ids] == before

    QGuiApplication.clipboard().setText("3\r\n400\r\n")  # the second is refused: neither
    _select(page, ids, "weighting")
    assert not page.paste()
    (error,) = answers.errors
    assert "KPI 2" in error and "1 to 100" in error
    assert [stored(wb, "measures", i, "weighting") for i in ids] == before


def test_an_unused_measure_is_deleted_after_asking_and_a_used_one_refused(
    qtbot: Any, window: Any, answers: Any
) -> None:
    page = _page(window, "measures")
    wb = window.workspace.wb
    new_id = measures.create_measure(wb, "KPI 98", "Unused", "count").id
    page.stale = True
    page.reload()
    _select_one(page, new_id)
    answers.queue("confirm", True)
    assert page.delete_record()
    (question,) = answers.of("confirm")
    assert "KPI 98" in question.text
    assert "KPI 98" not in _labels(wb, "measures")
    window.undo_action.trigger()
    assert _id(wb, "measures", "KPI 98") == new_id

    kpi2 = _id(wb, "measures", "KPI 2")
    _select_one(page, kpi2)
    assert not page.delete_record()
    (error,) = answers.errors
    assert "Measure 'KPI 2' cannot be deleted" in error and "target" in error
    assert len(answers.of("confirm")) == 1  # not asked about what cannot be done


def test_years_parts_and_retire_are_each_one_undo_step(
    qtbot: Any, window: Any, answers: Any
) -> None:
    page = _page(window, "measures")
    wb, year = window.workspace.wb, window.workspace.year
    kpi1 = _id(wb, "measures", "KPI 1")

    _select_one(page, kpi1)
    dialog = page.edit_years()
    assert dialog.every_year.isChecked()
    dialog.every_year.setChecked(False)
    dialog.boxes[year].setChecked(True)
    _ok(qtbot, dialog)
    assert not answers.errors
    assert measures.measure_with_parts(wb, "KPI 1").years == (year,)
    assert shown(page, kpi1, "years") == year
    window.undo_action.trigger()
    assert measures.measure_with_parts(wb, "KPI 1").every_year

    _select_one(page, kpi1)
    parts = page.edit_parts()
    parts.add_part(None)
    parts.add_part(None)
    parts.set_cell(0, "wording", "Adult offenders")
    parts.set_cell(1, "wording", "Young adults")
    parts.set_cell(1, "weighting", "3")
    parts.set_cell(1, "unit", "count")
    _ok(qtbot, parts)
    assert not answers.errors
    assert shown(page, kpi1, "parts") == "(a), (b)"
    stored_parts = measures.measure_with_parts(wb, "KPI 1").parts
    assert [(p.weighting, p.unit) for p in stored_parts] == [(None, None), (3, MeasureUnit.COUNT)]
    window.undo_action.trigger()
    assert shown(page, kpi1, "parts") == ""

    # Retired from the shown year on, it leaves the table (the year's set).
    _select_one(page, kpi1)
    answers.queue("confirm", True)
    assert page.retire()
    assert kpi1 not in visible_ids(page)
    later = [y for y in window.workspace.years if y >= year]
    assert not set(later) & set(measures.measure_with_parts(wb, "KPI 1").years)
    window.undo_action.trigger()
    assert measures.measure_with_parts(wb, "KPI 1").every_year
    assert kpi1 in visible_ids(page)

    # KPI 2 has targets this year: it stays in the year's set, and the user is told why.
    _select_one(page, _id(wb, "measures", "KPI 2"))
    asked = len(answers.of("confirm"))
    assert not page.retire()
    assert "targets or results in" in answers.errors[-1]
    assert len(answers.of("confirm")) == asked


def test_a_read_only_workbook_offers_no_measure_changes(
    make_window: Any, demo: Any, answers: Any
) -> None:
    window = make_window()
    assert window.open_location(demo.location, read_only=True)
    page = _page(window, "measures")
    assert page.current_id() is not None
    for button in (page.new_button, page.delete_button, *page.measure_buttons):
        assert not button.isEnabled(), button.text()
    assert page.edit_years() is None and page.edit_parts() is None and not page.retire()
    for key in ("services", "priorities"):
        other = _page(window, key)
        assert not other.new_button.isEnabled() and not other.delete_button.isEnabled()


def test_a_part_without_wording_keeps_the_parts_dialog_open(
    qtbot: Any, window: Any, answers: Any
) -> None:
    page = _page(window, "measures")
    _select_one(page, _id(window.workspace.wb, "measures", "KPI 1"))
    parts = page.edit_parts()
    parts.add_part(None)
    parts.add_part(None)
    parts.set_cell(0, "wording", "Adults")
    _ok(qtbot, parts)
    (error,) = answers.errors
    assert "part 2" in error and "no wording" in error
    assert parts.isVisible()
    parts.reject()


# -- services and priorities --------------------------------------------------------------


def test_a_new_service_is_pasted_into_and_deleted(qtbot: Any, window: Any, answers: Any) -> None:
    page = _page(window, "services")
    wb = window.workspace.wb
    _new(qtbot, page, {"name": "Hostels", "pathway": "Accommodation", "target_unit_cost": "£95"})
    assert not answers.errors
    hostels = _id(wb, "services", "Hostels")
    assert page.current_id() == hostels
    assert stored(wb, "services", hostels, "target_unit_cost") == 9500
    assert shown(page, hostels, "lines") == "0"

    victims = _id(wb, "services", "Victim contact")
    page.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    _select(page, [hostels], "unit")
    QGuiApplication.clipboard().setText("bed\t£100\r\n")
    qtbot.keyClick(page.table, Qt.Key.Key_V, CTRL)
    assert not answers.errors
    assert stored(wb, "services", hostels, "unit") == "bed"
    assert stored(wb, "services", hostels, "target_unit_cost") == 10000
    window.undo_action.trigger()
    assert stored(wb, "services", hostels, "unit") == ""

    _select_one(page, victims)  # the demo's SLAs buy it
    assert not page.delete_record()
    assert "Service 'Victim contact' cannot be deleted" in answers.errors[-1]
    _select_one(page, hostels)
    answers.queue("confirm", True)
    assert page.delete_record()
    assert "Hostels" not in _labels(wb, "services")
    window.undo_action.trigger()
    assert _id(wb, "services", "Hostels") == hostels


def test_a_new_priority_takes_the_next_number_of_the_year(
    qtbot: Any, window: Any, answers: Any
) -> None:
    page = _page(window, "priorities")
    wb = window.workspace.wb
    numbers = [stored(wb, "priorities", r.id, "number") for r in page.model.rows]
    _new(qtbot, page, {"title": "Women offenders in the community"})
    assert not answers.errors
    new_id = _id(wb, "priorities", "Women offenders in the community")
    assert stored(wb, "priorities", new_id, "number") == max(numbers) + 1
    assert page.current_id() == new_id
    type_into_cell(qtbot, page, new_id, "number", "1")
    (error,) = answers.errors
    assert "No." in error and "priority 1 of" in error
    window.undo_action.trigger()  # the add
    assert page.model.position_of(new_id) is None


def test_filter_sort_and_fill_down_work_as_on_every_area(
    qtbot: Any, window: Any, answers: Any
) -> None:
    page = _page(window, "measures")
    wb = window.workspace.wb
    total = page.proxy.rowCount()
    page.filter.setText("KPI 1")  # KPI 1 and KPI 10 to 13
    assert page.count.text() == f"5 of {total} measures of {window.workspace.year}"
    page.filter.clear()

    at = [c.key for c in page.model.columns].index("national_value")
    page.table.sortByColumn(at, Qt.SortOrder.AscendingOrder)
    shown_values = [page.proxy.index(r, at).data() for r in range(page.proxy.rowCount())]
    figures = [stored(wb, "measures", i, "national_value") for i in visible_ids(page)]
    present = [f for f in figures if f is not None]
    assert present == sorted(present) and present[-1] == 20000  # KPI 4's one in x
    assert shown_values[len(present) :] == [""] * (len(figures) - len(present))  # empty last

    ids = [_id(wb, "measures", code) for code in ("PT 1", "PT 2", "PT 3")]
    page.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    # Codes sort as people read them: KPI 2 before KPI 10, not after KPI 13.
    codes = [page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount())]
    kpis = [c for c in codes if c.startswith("KPI ")]
    assert kpis == sorted(kpis, key=lambda c: int(c.split()[1]))
    assert kpis.index("KPI 2") < kpis.index("KPI 10")
    update = measures.edit_measure(wb, "PT 1", {"weighting": 7})
    page.stale = True
    page.reload()
    assert update.weighting == 7
    _select(page, ids, "weighting")
    qtbot.keyClick(page.table, Qt.Key.Key_D, CTRL)
    assert not answers.errors
    assert [stored(wb, "measures", i, "weighting") for i in ids] == [7, 7, 7]
    window.undo_action.trigger()
    assert stored(wb, "measures", ids[1], "weighting") is None


def test_the_details_edit_the_fields_the_table_leaves_out(
    qtbot: Any, window: Any, answers: Any
) -> None:
    page = _page(window, "measures")
    wb = window.workspace.wb
    kpi2 = _id(wb, "measures", "KPI 2")
    _select_one(page, kpi2)
    assert page.detail.row_id == kpi2
    reported = page.detail.fields["reported_by_providers"]
    assert [reported.itemText(i) for i in range(reported.count())] == ["Yes", "No"]
    was = stored(wb, "measures", kpi2, "reported_by_providers")
    index = reported.findText("No" if was else "Yes")
    reported.setCurrentIndex(index)
    reported.activated.emit(index)
    assert not answers.errors
    assert stored(wb, "measures", kpi2, "reported_by_providers") is (not was)
    window.undo_action.trigger()
    assert stored(wb, "measures", kpi2, "reported_by_providers") is was
    assert "in_year" not in page.detail.fields  # read by the page, never shown
