"""The main window driven as a user would: keys, typing, menus; checked on screen and on file."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from ui_helpers import (
    cell,
    shown,
    stored,
    type_into_cell,
    unlocked_allocation,
    visible_ids,
)

from dom_desk.domain.money import format_pounds
from dom_desk.domain.overview import overview
from dom_desk.domain.tables import AREAS, load_rows
from dom_desk.ui.allocations_page import AllocationsPage
from dom_desk.ui.area_page import AreaPage
from dom_desk.ui.workspace_view import AREA_ORDER

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def page(window, key: str) -> AreaPage:
    found = window.view.pages[key]
    assert isinstance(found, AreaPage | AllocationsPage)
    return found


def first_id(window, key: str) -> int:
    return page(window, key).model.rows[0].id


def test_every_area_is_reachable_by_keyboard_and_shows_rows(qtbot, window, demo):
    for number, key in enumerate(AREA_ORDER, start=1):
        if number <= 10:  # Ctrl+1..Ctrl+9, Ctrl+0
            qtbot.keyClick(window, Qt.Key(Qt.Key.Key_0 + number % 10), CTRL)
        else:  # the rest from the View menu (Alt+V and the arrows)
            assert window.area_actions[key].shortcuts() == []
            window.area_actions[key].trigger()
        assert window.view.current_key() == key
        assert window.view.stack.currentWidget() is window.view.pages[key]
        if not isinstance(window.view.pages[key], AreaPage):  # overview, timeline...
            continue
        shown_page = page(window, key)
        expected = load_rows(demo, key)
        if key == "measures":  # the year's set ("Every year's measures" shows the rest)
            in_year = [c.key for c in AREAS[key].columns].index("in_year")
            expected = [r for r in expected if r.values[in_year]]
        assert shown_page.proxy.rowCount() == len(expected) > 0, key
        if isinstance(shown_page, AllocationsPage):
            continue  # no detail pane: totals and the SLA workspace instead
        # The detail pane shows the selected row rather than nothing.
        assert shown_page.detail.row_id is not None
        assert shown_page.count.text().startswith(f"{shown_page.proxy.rowCount():,} ")


def test_status_bar_and_title_name_the_file_and_year(window, demo):
    if demo.is_server:  # the region, and that it is shared
        where = f"{demo.address.host}/{demo.address.database}"
        assert window.windowTitle() == f"DOM Desk — {demo.name} — server {where}"
        assert window.file_label.text() == f"On server {where}"
    else:
        assert window.windowTitle() == f"DOM Desk — {demo.path.name}"
        assert demo.path.name in window.file_label.text()
    assert window.year_label.text() == f"Financial year {window.workspace.year}"
    assert window.year_label.isVisible()
    assert not window.mode_label.isVisible()  # not read-only


def test_overview_shows_envelope_key_dates_and_missed_targets(window, demo):
    figures = overview(demo)
    ov = window.view.overview
    assert re.fullmatch(r"£\d{1,3}(,\d{3})+", ov.envelope.text())
    assert ov.envelope.text() == format_pounds(figures.envelope)
    assert ov.committed.text() == format_pounds(figures.committed)
    if figures.over_envelope:
        assert "Warning" in ov.money_note.text()
    else:
        assert ov.headroom.text() == format_pounds(figures.headroom)
    assert ov.dates_model.rowCount() == len(figures.key_dates) > 0
    statuses = [ov.dates_model.index(r, 4).data() for r in range(ov.dates_model.rowCount())]
    overdue = sum(1 for k in figures.key_dates if k.overdue(figures.today))
    assert sum(s.startswith("Overdue") for s in statuses) == overdue
    assert ov.missed.text().startswith("Targets missed in ")
    assert re.search(r": \d+ of \d+$", ov.missed.text())
    assert "Met:" in ov.status_counts.text() and "Missed:" in ov.status_counts.text()


def test_key_date_opens_its_record(qtbot, window):
    ov = window.view.overview
    rows = [
        r
        for r, k in enumerate(ov.dates_model.dates)
        if k.area in window.view.pages and k.area != "overview"
    ]
    assert rows, "the demo has no key date of an area: it must have one"
    row = rows[0]
    key = ov.dates_model.dates[row]
    ov.dates_table.setCurrentIndex(ov.dates_model.index(row, 0))
    ov.dates_table.activated.emit(ov.dates_model.index(row, 0))
    assert window.view.current_key() == key.area
    assert page(window, key.area).current_id() == key.record_id


def test_edit_a_cell_then_undo_and_redo(qtbot, window, demo, answers):
    providers = page(window, "providers")
    window.show_area("providers")
    row_id = first_id(window, "providers")
    before = stored(demo, "providers", row_id, "capacity")

    with qtbot.assertNotEmitted(providers.model.modelReset):  # only the row is re-read
        type_into_cell(qtbot, providers, row_id, "capacity", "1234")
    assert answers.errors == []
    assert stored(demo, "providers", row_id, "capacity") == 1234
    assert shown(providers, row_id, "capacity") == "1,234"
    assert providers.detail.fields["capacity"].text() == "1,234"  # read the UK way
    assert window.undo_action.isEnabled()

    providers.table.setFocus()
    qtbot.keyClick(providers.table, Qt.Key.Key_Z, CTRL)
    assert stored(demo, "providers", row_id, "capacity") == before
    assert shown(providers, row_id, "capacity") == ("" if before is None else f"{before:,}")
    assert "Undone" in window.statusBar().currentMessage()

    qtbot.keyClick(providers.table, Qt.Key.Key_Z, CTRL_SHIFT)
    assert stored(demo, "providers", row_id, "capacity") == 1234
    assert shown(providers, row_id, "capacity") == "1,234"


def test_edit_an_allocation_and_the_overview_follows(qtbot, window, demo, answers):
    allocations = page(window, "allocations")
    window.show_area("allocations")
    row_id = unlocked_allocation(demo)
    window.show_area("overview")  # seen once before the edit
    window.show_area("allocations")

    type_into_cell(qtbot, allocations, row_id, "provisional", "£2,500,000")
    assert answers.errors == []
    assert stored(demo, "allocations", row_id, "provisional") == 250_000_000
    assert shown(allocations, row_id, "provisional") == "£2,500,000"

    window.show_area("overview")
    figures = overview(demo)
    assert window.view.overview.provisional.text() == format_pounds(figures.provisional)
    assert window.view.overview.committed.text() == format_pounds(figures.committed)


def test_text_in_a_money_cell_is_refused_with_a_message(qtbot, window, demo, answers):
    allocations = page(window, "allocations")
    window.show_area("allocations")
    row_id = unlocked_allocation(demo)
    before = stored(demo, "allocations", row_id, "provisional")
    shown_before = shown(allocations, row_id, "provisional")
    depth = window.workspace.undo_stack.count()

    type_into_cell(qtbot, allocations, row_id, "provisional", "lots of money")
    assert len(answers.errors) == 1
    assert "not an amount of money" in answers.errors[0]
    assert "Provisional" in answers.errors[0]
    assert stored(demo, "allocations", row_id, "provisional") == before
    assert shown(allocations, row_id, "provisional") == shown_before
    assert window.workspace.undo_stack.count() == depth


def test_a_locked_agreement_refuses_the_edit_and_the_stack_stays_clean(
    qtbot, window, demo, answers
):
    agreements = page(window, "agreements")
    window.show_area("agreements")
    status_at = [c.key for c in agreements.area.columns].index("status")
    locked = [r for r in agreements.model.rows if r.values[status_at].locked]
    assert locked, "the demo has no agreed or signed agreement: it must have one"
    row_id = locked[0].id
    title = stored(demo, "agreements", row_id, "title")
    type_into_cell(qtbot, agreements, row_id, "title", "Renamed agreement")
    assert answers.errors and "locked" in answers.errors[0]
    assert stored(demo, "agreements", row_id, "title") == title
    assert shown(agreements, row_id, "title") == title
    assert window.workspace.undo_stack.count() == 0


def test_edit_in_the_detail_pane_is_stored_and_undoable(qtbot, window, demo, answers):
    providers = page(window, "providers")
    window.show_area("providers")
    row_id = first_id(window, "providers")
    providers.select_id(row_id)
    field = providers.detail.fields["operator"]
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "Acme Justice Ltd")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert answers.errors == []
    assert stored(demo, "providers", row_id, "operator") == "Acme Justice Ltd"
    assert shown(providers, row_id, "operator") == "Acme Justice Ltd"
    window.undo_action.trigger()
    assert stored(demo, "providers", row_id, "operator") != "Acme Justice Ltd"
    assert field.text() != "Acme Justice Ltd"


def test_undo_after_edits_to_one_record_from_two_areas(qtbot, window, demo, answers):
    """Contracts and Agreements show the same records: undo must not see a conflict."""
    contracts = page(window, "contracts")
    window.show_area("contracts")
    row_id = contracts.model.rows[0].id
    status_before = stored(demo, "contracts", row_id, "status")
    contracts.select_id(row_id)
    # Pick "In negotiation" in the detail pane's Status list (which unlocks the contract).
    combo = contracts.detail.fields["status"]
    combo.setCurrentIndex(combo.findText("In negotiation"))
    combo.activated.emit(combo.currentIndex())
    assert answers.errors == []
    assert stored(demo, "contracts", row_id, "status").label == "In negotiation"

    window.show_area("agreements")
    agreements = page(window, "agreements")
    assert agreements.model.position_of(row_id) is not None, (
        "the demo's first contract must be listed under agreements for this year"
    )
    title = stored(demo, "agreements", row_id, "title")
    type_into_cell(qtbot, agreements, row_id, "title", "Renamed contract")
    assert answers.errors == []
    assert stored(demo, "contracts", row_id, "title") == "Renamed contract"
    window.show_area("contracts")
    assert shown(contracts, row_id, "title") == "Renamed contract"

    window.undo_action.trigger()
    window.undo_action.trigger()
    assert answers.errors == []
    assert stored(demo, "agreements", row_id, "title") == title
    assert stored(demo, "contracts", row_id, "status") == status_before
    assert shown(contracts, row_id, "title") == title
    assert contracts.detail.fields["status"].currentText() == status_before.label


def test_filter_narrows_the_rows(qtbot, window):
    window.show_area("providers")
    providers = page(window, "providers")
    total = providers.proxy.rowCount()
    name = shown(providers, first_id(window, "providers"), "name")
    word = name.split()[-1].lower()
    qtbot.keyClick(window, Qt.Key.Key_F, CTRL)
    assert QApplication.focusWidget() is providers.filter
    qtbot.keyClicks(providers.filter, word)
    assert 0 < providers.proxy.rowCount() < total
    for row_id in visible_ids(providers):
        texts = [cell(providers, row_id, c.key).data() or "" for c in providers.model.columns]
        assert any(word in t.lower() for t in texts)
    assert providers.count.text().startswith(f"{providers.proxy.rowCount()} of {total} ")
    qtbot.keyClick(providers.filter, Qt.Key.Key_Return)  # Enter: on to the rows found
    assert QApplication.focusWidget() is providers.table
    providers.focus_filter()
    qtbot.keyClick(providers.filter, Qt.Key.Key_Escape)  # Escape: filter cleared
    assert providers.filter.text() == ""
    assert providers.proxy.rowCount() == total


def test_sorting_by_clicking_a_header_keeps_the_selection(qtbot, window):
    window.show_area("providers")
    providers = page(window, "providers")
    row_id = providers.model.rows[-1].id
    providers.select_id(row_id)
    column = [c.key for c in providers.model.columns].index("capacity")
    providers.table.sortByColumn(column, Qt.SortOrder.DescendingOrder)
    assert providers.current_id() == row_id
    capacities = [
        providers.proxy.index(r, column).data(Qt.ItemDataRole.EditRole)
        for r in range(providers.proxy.rowCount())
    ]
    numbers = [int(c) for c in capacities if c]
    assert numbers == sorted(numbers, reverse=True)


def test_copy_gives_tab_separated_cells(qtbot, window):
    window.show_area("providers")
    providers = page(window, "providers")
    first, second = providers.model.rows[0].id, providers.model.rows[1].id
    selection = providers.table.selectionModel()
    providers.table.setFocus()
    providers.table.setCurrentIndex(cell(providers, first, "name"))
    for row_id in (first, second):
        for key in ("name", "capacity"):
            selection.select(cell(providers, row_id, key), selection.SelectionFlag.Select)
    qtbot.keyClick(providers.table, Qt.Key.Key_C, CTRL)
    edit = Qt.ItemDataRole.EditRole
    expected = "".join(  # as Excel puts cells on the clipboard
        f"{shown(providers, r, 'name')}\t{cell(providers, r, 'capacity').data(edit)}\r\n"
        for r in (first, second)
    )
    assert QApplication.clipboard().text() == expected


def test_edit_survives_closing_and_reopening(qtbot, make_window, window, demo, answers):
    window.show_area("providers")
    providers = page(window, "providers")
    row_id = first_id(window, "providers")
    type_into_cell(qtbot, providers, row_id, "capacity", "987")
    location = demo.location
    window.close_action.trigger()
    assert window.view is None
    assert window.windowTitle() == "DOM Desk"
    assert window.central.currentWidget() is window.start

    assert window.open_location(location)
    window.show_area("providers")
    assert shown(page(window, "providers"), row_id, "capacity") == "987"
    assert not window.undo_action.isEnabled()  # a fresh file has nothing to undo


def test_year_choice_reloads_and_is_remembered(qtbot, window, demo):
    years = window.workspace.years
    assert len(years) >= 2, "the demo must hold more than one financial year"
    other = next(y for y in years if y != window.workspace.year)
    window.year_combo.setCurrentText(other)
    assert window.workspace.year == other
    assert window.year_label.text() == f"Financial year {other}"
    assert other in window.view.overview.heading.text()
    from dom_desk.domain.region import current_year

    with demo.session() as session:
        assert current_year(session).label == other


def test_overview_warns_in_words_when_allocations_exceed_the_envelope(qtbot, window, demo):
    window.show_area("allocations")
    allocations = page(window, "allocations")
    row_id = unlocked_allocation(demo)
    envelope = overview(demo).envelope
    type_into_cell(qtbot, allocations, row_id, "provisional", str(envelope // 100))
    window.show_area("overview")
    figures = overview(demo)
    assert figures.over_envelope
    ov = window.view.overview
    assert ov.headroom.text() == f"Over by {format_pounds(-figures.headroom)}"
    assert ov.money_note.text().startswith("Warning: allocations exceed the envelope by ")
    assert "% of the envelope committed" in ov.used.text()


def test_a_choice_cell_is_edited_with_a_list(qtbot, window, demo, answers):
    window.show_area("risks")
    risks = page(window, "risks")
    row_id = risks.model.rows[0].id
    index = cell(risks, row_id, "likelihood")
    risks.table.setFocus()
    risks.table.setCurrentIndex(index)
    qtbot.keyClick(risks.table, Qt.Key.Key_F2)
    combo = risks.table.indexWidget(index)
    assert [combo.itemText(i) for i in range(combo.count())] == ["L", "M", "H", "VH"]
    choice = "VH" if combo.currentText() != "VH" else "L"
    combo.setCurrentIndex(combo.findText(choice))
    combo.activated.emit(combo.currentIndex())
    qtbot.waitUntil(lambda: risks.table.indexWidget(index) is None, timeout=2000)
    assert answers.errors == []
    assert stored(demo, "risks", row_id, "likelihood").label == choice
    assert shown(risks, row_id, "likelihood") == choice
    # The score is worked out again for the edited row.
    assert shown(risks, row_id, "score") == str(stored(demo, "risks", row_id, "score"))


def test_columns_fit_the_table_and_figures_are_never_cut_short(qtbot, window):
    window.show_area("allocations")
    # The size the fixture asked for, again now the page exists: the offscreen screen is
    # narrower, and before the page was built the window's minimum did not count it.
    window.resize(1200, 800)
    allocations = page(window, "allocations")
    table, header = allocations.table, allocations.table.horizontalHeader()
    qtbot.waitUntil(lambda: header.length() <= table.viewport().width())
    metrics = table.fontMetrics()
    for key in ("baseline", "provisional", "agreed"):
        column = [c.key for c in allocations.model.columns].index(key)
        widest = max(
            metrics.horizontalAdvance(allocations.proxy.index(r, column).data())
            for r in range(allocations.proxy.rowCount())
        )
        assert header.sectionSize(column) > widest, key


def test_figures_in_the_detail_pane_read_the_uk_way(qtbot, window, demo, answers):
    contracts = page(window, "contracts")
    window.show_area("contracts")
    row_id = contracts.model.rows[0].id
    contracts.select_id(row_id)
    value = stored(demo, "contracts", row_id, "annual_value")
    assert contracts.detail.fields["annual_value"].text() == f"£{value // 100:,}"

    providers = page(window, "providers")
    window.show_area("providers")
    at = [c.key for c in providers.area.columns].index("capacity")
    row_id = next(r.id for r in providers.model.rows if r.values[at])  # a prison
    providers.select_id(row_id)
    field = providers.detail.fields["capacity"]
    capacity = stored(demo, "providers", row_id, "capacity")
    assert field.text() == f"{capacity:,}"
    # Leaving the field as shown writes nothing: no undo step.
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert not window.undo_action.isEnabled() and not answers.errors
    # Typed the UK way, it is stored.
    field.selectAll()
    qtbot.keyClicks(field, "1,300")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert stored(demo, "providers", row_id, "capacity") == 1300 and not answers.errors


def test_tab_moves_from_a_table_to_its_detail_pane(qtbot, window, answers):
    providers = page(window, "providers")
    window.show_area("providers")
    providers.table.setFocus()
    qtbot.keyClick(providers.table, Qt.Key.Key_Tab)
    focused = QApplication.focusWidget()
    assert focused is not None and providers.detail.isAncestorOf(focused)
    # The first field itself, not the pane around it.
    first = next(iter(providers.detail.fields.values()))
    assert focused is first


def test_ctrl_with_an_arrow_moves_the_highlight_and_the_detail_pane_together(
    qtbot, window, answers
):
    providers = page(window, "providers")
    window.show_area("providers")
    qtbot.waitUntil(window.isActiveWindow)
    table = providers.table
    table.setFocus()
    table.setCurrentIndex(providers.proxy.index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_Down, CTRL)
    current = table.currentIndex()
    assert current.row() == 1
    assert table.selectionModel().isSelected(current)
    assert [i.row() for i in table.selectionModel().selectedIndexes()] == [current.row()]
    assert providers.detail.row_id == providers.current_id()


def test_page_titles_are_the_areas_titles():
    """The list of areas is written out so it paints before the domain loads: it must
    say what the domain's areas are called."""
    from dom_desk.domain.tables import AREAS
    from dom_desk.ui.workspace_view import PAGE_TITLES

    assert list(PAGE_TITLES) == list(AREA_ORDER)
    assert {k: PAGE_TITLES[k] for k in AREAS} == {k: a.title for k, a in AREAS.items()}


def test_pages_are_built_when_first_visited(qtbot, window):
    view = window.view
    assert [k for k in AREA_ORDER if view.pages.is_built(k)] == ["overview"]
    assert view.stack.currentWidget() is view.pages["overview"]
    placeholder = view.stack.widget(AREA_ORDER.index("risks"))
    window.show_area("risks")
    assert view.pages.is_built("risks")
    risks = view.pages["risks"]
    assert view.stack.currentWidget() is risks is not placeholder
    assert view.stack.count() == len(AREA_ORDER)
    assert risks.proxy.rowCount() > 0
    window.show_area("overview")  # the page built stays, with its rows
    assert view.pages["risks"] is risks


def test_the_window_is_painted_with_the_title_and_areas_before_the_workbook_opens(
    make_window, demo, answers
):
    win = make_window()
    win.show_opening(demo.path)
    assert win.windowTitle() == f"DOM Desk — {demo.path.name}"
    assert win.central.currentWidget() is win.opening
    assert [win.opening.nav.item(r).text() for r in range(win.opening.nav.count())] == [
        win.area_actions[k].text() for k in AREA_ORDER
    ]
    assert win.open_location(demo.location), answers.errors
    assert win.opening is None
    assert win.central.currentWidget() is win.view


def test_a_workbook_that_fails_to_open_leaves_the_start_page(make_window, answers, tmp_path):
    bad = tmp_path / "not a workbook.domdesk"
    bad.write_text("hello")
    win = make_window()
    win.show_opening(bad)
    assert not win.open_file(bad)
    win.end_opening()
    assert answers.errors
    assert win.central.currentWidget() is win.start
    assert win.windowTitle() == "DOM Desk"
