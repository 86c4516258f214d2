"""Performance ▸ Actions, driven as a DOM would: accept a suggestion with an owner and due
date, move the action on and note it, dismiss a suggestion, be refused an action on a
retired measure; and the matrix cell that names the action and carries its mark."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor

from dom_desk.domain import measures
from dom_desk.domain import performance_actions as pa
from dom_desk.domain.kinds import ActionStage
from dom_desk.ui.actions_dialogs import (
    AcceptDialog,
    ActionDialog,
    ActionInput,
    DismissDialog,
    NoteDialog,
    StageDialog,
    StageInput,
)
from dom_desk.ui.actions_tab import MARK_COLOUR, ActionsTab, measure_words
from dom_desk.ui.performance_models import ActionRole, KeyRole

#: The demo's working day is 02/11/2009: the last two periods due are Aug and Sep 2009.
MISSED_IN = "in Aug 2009 and Sep 2009"


def actions_tab(qtbot: Any, window: Any) -> ActionsTab:
    window.show_area("performance")
    page = window.view.pages["performance"]
    qtbot.waitUntil(lambda: page.matrix is not None and not page.loading, timeout=20000)
    tab = page.actions_tab
    with qtbot.waitSignal(tab.loaded, timeout=20000):
        page.tabs.setCurrentWidget(tab)
    return tab


def shown(tab: ActionsTab) -> list[dict[str, str]]:
    """The actions table as the user reads it: one dict of column title to text a row."""
    model = tab.actions
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    return [
        {titles[c]: model.index(r, c).data() for c in range(model.columnCount())}
        for r in range(model.rowCount())
    ]


def suggested(tab: ActionsTab) -> list[str]:
    return [tab.suggestions.index(r, 0).data() for r in range(tab.suggestions.rowCount())]


def choose_suggestion(tab: ActionsTab, text: str) -> None:
    row = suggested(tab).index(text)
    tab.suggestion_table.setCurrentIndex(tab.suggestions.index(row, 0))


def a_suggestion(tab: ActionsTab) -> tuple[pa.Suggestion, str]:
    """A suggestion the domain makes for a provider with no action yet, and the words the
    list should give it (worked out here from the measure's code and short name)."""
    busy = {a.provider_id for a in pa.actions(tab.wb)}
    found = next(s for s in pa.suggestions(tab.wb) if s.provider_id not in busy)
    page = tab.window().view.pages["performance"]
    name = next(m.short_name for m in page.matrix.measures if m.id == found.measure_id)
    return found, f"{found.provider} missed {found.measure} {name} {MISSED_IN}"


def by_id(tab: ActionsTab) -> dict[int, pa.ActionInfo]:
    return {a.id: a for a in pa.actions(tab.wb)}


def answer_with(monkeypatch: Any, dialog_class: type, fill: Any) -> list[Any]:
    """Replaces the dialog's exec: ``fill`` types into it, then OK is pressed; the dialogs
    seen are returned so a test can look at them."""
    seen: list[Any] = []

    def run(dialog: Any) -> int:
        seen.append(dialog)
        fill(dialog)
        dialog._accept()
        return dialog.result()

    monkeypatch.setattr(dialog_class, "exec", run)
    return seen


def test_accepting_a_suggestion_lists_the_action_with_owner_and_due_date(
    qtbot: Any, window: Any, answers: Any, monkeypatch: Any
) -> None:
    tab = actions_tab(qtbot, window)
    suggestion, words = a_suggestion(tab)
    assert words in suggested(tab)
    assert all(text.endswith(MISSED_IN) for text in suggested(tab))
    before = by_id(tab)
    choose_suggestion(tab, words)

    def fill(dialog: AcceptDialog) -> None:
        dialog.owner.setText("Regional performance manager")
        dialog.due.setText("30/11/2009")

    seen = answer_with(monkeypatch, AcceptDialog, fill)
    with qtbot.waitSignal(tab.loaded, timeout=20000):
        tab.ask_accept()
    assert len(seen) == 1 and answers.errors == []
    (new_id,) = set(by_id(tab)) - set(before)
    assert tab.current_action().id == new_id  # the new action is selected
    row = shown(tab)[tab.action_table.currentIndex().row()]
    assert {k: row[k] for k in ("Provider", "Measure", "Period", "Stage", "Owner", "Due")} == {
        "Provider": suggestion.provider,
        "Measure": words.split(" missed ")[1].removesuffix(f" {MISSED_IN}"),
        "Period": "Sep 2009",
        "Stage": "Concern raised",
        "Owner": "Regional performance manager",
        "Due": "30/11/2009",
    }
    assert row["Last note"] == "02/11/2009 Concern raised. Suggested: missed two periods running."
    # Stored as shown, and no longer suggested.
    stored = by_id(tab)[new_id]
    assert (stored.owner, stored.due, stored.stage, stored.measure_id) == (
        "Regional performance manager",
        date(2009, 11, 30),
        ActionStage.CONCERN,
        suggestion.measure_id,
    )
    assert words not in suggested(tab)
    open_ = [a for a in by_id(tab).values() if a.is_open]
    overdue = sum(1 for a in open_ if a.due is not None and a.due < date(2009, 11, 2))
    assert f"{len(open_)} open, {overdue} overdue on 02/11/2009" in tab.summary_label.text()


def test_a_due_date_that_is_no_date_is_refused_and_nothing_is_stored(
    qtbot: Any, window: Any, answers: Any, monkeypatch: Any
) -> None:
    tab = actions_tab(qtbot, window)
    _suggestion, words = a_suggestion(tab)
    before, rows = by_id(tab), shown(tab)
    choose_suggestion(tab, words)
    seen = answer_with(monkeypatch, AcceptDialog, lambda d: d.due.setText("31/11/2009"))
    tab.ask_accept()
    assert answers.errors == ["Due by: '31/11/2009' is not a date (write it like 31/03/2010)"]
    assert seen[0].result_input is None
    assert by_id(tab) == before and shown(tab) == rows
    assert words in suggested(tab)


def test_an_action_moves_on_with_dated_notes_shown_beside_it(
    qtbot: Any, window: Any, answers: Any, monkeypatch: Any
) -> None:
    tab = actions_tab(qtbot, window)
    wb = tab.wb
    manchester = pa.find_provider(wb, "HMP Manchester")
    overcrowding = pa.find_measure(wb, "KPI 11")

    def fill_new(dialog: ActionDialog) -> None:
        dialog.title.setText("Overcrowding above target since August")
        dialog.owner.setText("DOM")
        dialog.due.setText("13/11/2009")

    # New Action… from a matrix cell: its provider, measure and period chosen already.
    seen = answer_with(monkeypatch, ActionDialog, fill_new)
    before = by_id(tab)
    tab.ask_new(manchester, overcrowding, "2009-09")
    dialog = seen[0]
    assert (dialog.provider.currentText(), dialog.measure.currentText()) == (
        "HMP Manchester",
        "KPI 11 Overcrowding",
    )
    assert dialog.period.currentText() == "Sep 2009"
    (action_id,) = set(by_id(tab)) - set(before)
    assert tab.current_action().id == action_id
    assert shown(tab)[tab.action_table.currentIndex().row()]["Action"] == (
        "Overcrowding above target since August"
    )

    def fill_stage(dialog: StageDialog) -> None:
        assert dialog.stage.currentText() == "Improvement plan agreed"  # the next one up
        dialog.due.setText("31/12/2009")
        dialog.note.setPlainText("Governor's plan: two wings re-roled by December")

    answer_with(monkeypatch, StageDialog, fill_stage)
    tab.ask_advance()
    answer_with(monkeypatch, NoteDialog, lambda d: d.note.setPlainText("Plan received"))
    tab.ask_note()
    assert answers.errors == []
    assert tab.current_action().id == action_id
    row = shown(tab)[tab.action_table.currentIndex().row()]
    assert (row["Stage"], row["Due"], row["Last note"]) == (
        "Improvement plan agreed",
        "31/12/2009",
        "02/11/2009 Plan received",
    )
    notes = tab.notes.toPlainText().split("\n\n")
    assert [n.split("  (")[0] for n in notes] == [
        "02/11/2009  Concern raised.",
        "02/11/2009  Concern raised → Improvement plan agreed. Next step due 31/12/2009. "
        "Governor's plan: two wings re-roled by December",
        "02/11/2009  Plan received",
    ]
    assert "HMP Manchester, KPI 11 Overcrowding (Sep 2009)" in tab.notes_heading.text()
    # Closed, it leaves the list unless closed actions are asked for.
    tab.advance(action_id, StageInput(ActionStage.CLOSED, None, "Back under target"))
    assert action_id not in {r.id for r in tab.actions.rows}
    tab.show_closed.setChecked(True)
    closed = [r for r in tab.actions.rows if r.id == action_id]
    assert [a.stage.label for a in closed] == ["Closed"]


def test_a_dismissed_suggestion_goes_and_stays_gone(
    qtbot: Any, window: Any, answers: Any, monkeypatch: Any
) -> None:
    tab = actions_tab(qtbot, window)
    suggestion, words = a_suggestion(tab)
    before = by_id(tab)
    choose_suggestion(tab, words)
    answer_with(monkeypatch, DismissDialog, lambda d: d.reason.setText("New governor in post"))
    with qtbot.waitSignal(tab.loaded, timeout=20000):
        tab.ask_dismiss()
    assert words not in suggested(tab)
    assert by_id(tab) == before
    key = (suggestion.provider_id, suggestion.measure_id)
    assert key not in {(s.provider_id, s.measure_id) for s in pa.suggestions(tab.wb)}


def test_an_action_on_a_retired_measure_is_refused_and_nothing_stored(
    qtbot: Any, window: Any, answers: Any
) -> None:
    tab = actions_tab(qtbot, window)
    wb = tab.wb
    measures.retire_from(wb, "KPI 4", "2009-10")  # escort escapes: 2008-09 only now
    escorts = pa.find_measure(wb, "KPI 4")
    liverpool = pa.find_provider(wb, "HMP Liverpool")
    before, rows = by_id(tab), shown(tab)
    found = tab.new_action(ActionInput(liverpool, "Escort escapes", escorts, "2009-09"))
    assert found is None
    assert answers.errors == [
        "Measure: KPI 4 is retired: it is not in the 2009-10 measure set, so no action can "
        "be opened on it"
    ]
    assert by_id(tab) == before and shown(tab) == rows
    # The New Action dialog does not offer it for the year.
    offered = ActionDialog(pa.choices(wb, "2009-10"))
    texts = [offered.measure.itemText(i) for i in range(offered.measure.count())]
    assert "KPI 6 Drug misuse" in texts and not [t for t in texts if t.startswith("KPI 4")]
    offered.deleteLater()


def _cell(page: Any, provider_id: int, measure_id: int) -> Any:
    assert page.select_cell(provider_id, measure_id)
    return page.table.currentIndex()


def test_the_matrix_cell_names_the_action_and_carries_its_mark(
    qtbot: Any, window: Any, answers: Any
) -> None:
    window.show_area("performance")
    page = window.view.pages["performance"]
    qtbot.waitUntil(lambda: page.matrix is not None and not page.loading, timeout=20000)
    wb = page.wb
    manchester = pa.find_provider(wb, "HMP Manchester")
    overcrowding, drugs = pa.find_measure(wb, "KPI 11"), pa.find_measure(wb, "KPI 6")
    action_id = pa.open_action(
        wb,
        manchester,
        "Overcrowding above target",
        overcrowding,
        "2009-09",
        "DOM",
        date(2009, 11, 30),
    )
    pa.advance(wb, action_id, ActionStage.IMPROVEMENT_PLAN)
    page.actions_tab.changed.emit()  # as the tab does after a write
    # The count line says in words how many cells carry the mark.
    shown_ids = {m.id for m in page.matrix.measures}
    pairs = {
        (a.provider_id, a.measure_id)
        for a in pa.actions(wb, open_only=True)
        if a.measure_id in shown_ids
    }
    assert (manchester, overcrowding) in pairs
    assert f"Action&nbsp;open&nbsp;{len(pairs)}" in page.status_counts.text()
    cell = _cell(page, manchester, overcrowding)
    tip = cell.data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("HMP Manchester, KPI 11 (")
    assert tip.splitlines()[-1] == (
        "Action: Improvement plan agreed, due 30/11/2009; owner DOM (Overcrowding above target)"
    )
    assert cell.data(Qt.ItemDataRole.AccessibleTextRole) == tip
    other = _cell(page, manchester, drugs)
    assert other.data(ActionRole) is None
    assert "Action:" not in other.data(Qt.ItemDataRole.ToolTipRole)

    # The mark: the top right corner of the cell in the mark's colour, not the other's.
    page.table.scrollTo(cell)

    def corner(index: Any) -> QColor:
        image = page.table.viewport().grab().toImage()
        rect = page.table.visualRect(index)
        return image.pixelColor(rect.topRight() + QPoint(-1, 1))

    # Painted once the scroll has settled: on a loaded machine that takes more than a
    # fixed pause (a grab taken too soon was all black), so wait for the paint.
    qtbot.waitUntil(lambda: corner(cell).name() == MARK_COLOUR.name(), timeout=5000)
    assert corner(other).name() != MARK_COLOUR.name()

    # Open Action… from the cell shows it on the Actions tab.
    assert cell.data(KeyRole) == (manchester, overcrowding)
    assert page.show_action(action_id)
    assert page.tabs.currentWidget() is page.actions_tab
    assert page.actions_tab.current_action().id == action_id


def test_the_overview_line_of_an_action_due_opens_it_with_its_notes(
    qtbot: Any, window: Any, answers: Any
) -> None:
    from dom_desk.domain.attention import Source, attention
    from dom_desk.ui.attention_open import open_item

    wb = window.workspace.wb
    action_id = pa.open_action(
        wb,
        pa.find_provider(wb, "HMP Manchester"),
        "Overcrowding review with the governor",
        pa.find_measure(wb, "KPI 11"),
        "2009-09",
        "DOM",
        date(2009, 11, 10),
        "Meeting booked",
    )
    window.view.show_area("overview")
    overview = window.view.overview
    with qtbot.waitSignal(overview.attentionShown, timeout=20000):
        overview.reload()
    listed = [i for i in overview.attention.model.items if i.source is Source.ACTIONS]
    line = next(i for i in listed if i.record_id == action_id)
    assert line == next(
        i
        for i in attention(wb, window.workspace.year).items
        if i.source is Source.ACTIONS and i.record_id == action_id
    )
    assert (line.text, line.when_words) == (
        "Action due: HMP Manchester, KPI 11 Overcrowding (Concern raised): "
        "Overcrowding review with the governor",
        "in 8 days",
    )
    open_item(window.view, line)
    page = window.view.current_page()
    qtbot.waitUntil(lambda: page.tabs.currentWidget() is page.actions_tab, timeout=10000)
    assert page.actions_tab.current_action().id == action_id
    assert page.actions_tab.notes.toPlainText().startswith(
        "02/11/2009  Concern raised. Meeting booked"
    )


def test_the_actions_tab_in_reading_order_both_ways(qtbot: Any, window: Any) -> None:
    from test_keyboard_tab_order import check_round_trip

    tab = actions_tab(qtbot, window)
    page = window.view.pages["performance"]
    order = check_round_trip(qtbot, page, page.tabs.tabBar())
    assert page.period not in order and page.filter not in order  # the matrix's, hidden
    at = order.index
    assert (
        at(page.tabs.tabBar())
        < at(tab.suggestion_table)
        < at(tab.accept_button)
        < at(tab.dismiss_button)
        < at(tab.filter)
        < at(tab.show_closed)
        < at(tab.new_button)
        < at(tab.advance_button)
        < at(tab.note_button)
        < at(tab.action_table)
        < at(tab.notes)
    )


def test_a_read_only_workbook_shows_actions_but_changes_none(
    qtbot: Any, make_window: Any, demo: Any, answers: Any
) -> None:
    expected = pa.actions(demo)
    window = make_window()
    assert window.open_location(demo.location, read_only=True)
    tab = actions_tab(qtbot, window)
    assert [a.id for a in tab.all_actions] == [a.id for a in expected]
    buttons = (tab.accept_button, tab.dismiss_button, tab.new_button)
    assert not any(b.isEnabled() for b in (*buttons, tab.advance_button, tab.note_button))
    liverpool = pa.find_provider(demo, "HMP Liverpool")
    assert tab.new_action(ActionInput(liverpool, "Anything")) is None
    assert answers.errors == ["The workbook is open read-only: actions cannot be changed."]
    assert pa.actions(demo) == expected


def test_a_cell_s_menu_opens_its_action_or_starts_one(
    qtbot: Any, window: Any, answers: Any, monkeypatch: Any
) -> None:
    from PySide6.QtWidgets import QMenu

    window.show_area("performance")
    page = window.view.pages["performance"]
    qtbot.waitUntil(lambda: page.matrix is not None and not page.loading, timeout=20000)
    wb = page.wb
    manchester = pa.find_provider(wb, "HMP Manchester")
    overcrowding, drugs = pa.find_measure(wb, "KPI 11"), pa.find_measure(wb, "KPI 6")
    action_id = pa.open_action(wb, manchester, "Overcrowding", overcrowding, "2009-09")
    page.actions_tab.changed.emit()
    menus: list[dict[str, Any]] = []

    class Recorded(QMenu):
        """The cell's menu, its entries kept rather than shown."""

        def exec(self, *_args: Any) -> None:  # type: ignore[override]
            menus.append({a.text(): a for a in self.actions()})

    monkeypatch.setattr("dom_desk.ui.performance_matrix_tab.QMenu", Recorded)

    def menu_of(measure_id: int) -> dict[str, Any]:
        index = _cell(page, manchester, measure_id)
        page._context_menu(page.table.visualRect(index).center())
        return menus[-1]

    without = menu_of(drugs)
    assert "New Action…" in without
    assert not [t for t in without if t.startswith("Open Action")]
    with_one = menu_of(overcrowding)
    with_one["Open Action (Concern raised)…"].trigger()
    assert page.tabs.currentWidget() is page.actions_tab
    assert page.actions_tab.current_action().id == action_id

    seen = answer_with(monkeypatch, ActionDialog, lambda d: d.title.setText("Drug testing"))
    page.tabs.setCurrentWidget(page.table)
    without = menu_of(drugs)
    without["New Action…"].trigger()
    dialog = seen[0]
    assert (dialog.provider.currentData(), dialog.measure.currentData()) == (manchester, drugs)
    # The matrix's period when it is a month or quarter, else none (the year to date).
    shown_code = page.matrix.window.period_code
    codes = [dialog.period.itemData(i) for i in range(dialog.period.count())]
    assert dialog.period.currentData() == (shown_code if shown_code in codes else "")
    (new,) = [a for a in pa.actions(wb) if a.title == "Drug testing"]
    assert (new.provider_id, new.measure_id) == (manchester, drugs)


def test_undo_takes_back_each_step_and_redo_does_it_again(
    qtbot: Any, window: Any, answers: Any
) -> None:
    from dom_desk.ui.actions_dialogs import AcceptInput

    tab = actions_tab(qtbot, window)
    stack = window.workspace.undo_stack
    suggestion, words = a_suggestion(tab)
    before = by_id(tab)
    action_id = tab.accept_suggestion(suggestion, AcceptInput("DOM", date(2009, 11, 30)))
    assert action_id in by_id(tab) and stack.undoText().startswith("accept suggestion: ")
    tab.advance(action_id, StageInput(ActionStage.REVIEW, date(2009, 12, 7), "Booked"))
    tab.add_note(action_id, "Agenda sent")
    after = by_id(tab)[action_id]
    assert (after.stage, after.due, len(after.notes)) == (
        ActionStage.REVIEW,
        date(2009, 12, 7),
        3,
    )

    stack.undo()  # the note
    assert [n.text for n in by_id(tab)[action_id].notes][-1].startswith("Concern raised →")
    stack.undo()  # the stage, its due date and its note
    back = by_id(tab)[action_id]
    assert (back.stage, back.due, len(back.notes)) == (
        ActionStage.CONCERN,
        date(2009, 11, 30),
        1,
    )
    with qtbot.waitSignal(tab.loaded, timeout=20000):
        stack.undo()  # the acceptance: the action goes, the suggestion comes back
    assert by_id(tab) == before and words in suggested(tab)

    with qtbot.waitSignal(tab.loaded, timeout=20000):
        stack.redo()
    # Opened again under its own id, so the steps after it redo on it.
    assert set(by_id(tab)) - set(before) == {action_id}
    assert words not in suggested(tab) and tab.current_action().id == action_id
    stack.redo()
    stack.redo()
    redone = by_id(tab)[action_id]
    assert (redone.stage, redone.due, [n.text for n in redone.notes][-1]) == (
        ActionStage.REVIEW,
        date(2009, 12, 7),
        "Agenda sent",
    )
    assert answers.errors == []


def test_the_provider_s_record_lists_its_open_actions(
    qtbot: Any, window: Any, answers: Any
) -> None:
    from dom_desk.ui.actions_dialogs import AcceptInput

    tab = actions_tab(qtbot, window)
    suggestion, _words = a_suggestion(tab)
    assert pa.actions(tab.wb, suggestion.provider_id, open_only=True) == []
    tab.accept_suggestion(suggestion, AcceptInput("DOM", date(2009, 11, 30)))
    window.view.open_record("providers", suggestion.provider_id)
    page = window.view.pages["providers"]
    field = page.detail.fields["actions"]
    qtbot.waitUntil(lambda: bool(field.text()), timeout=10000)
    (action,) = pa.actions(tab.wb, suggestion.provider_id, open_only=True)
    assert field.text() == (
        f"{measure_words(action.measure, action.measure_name)} (Sep 2009): Concern raised, "
        "due 30/11/2009; owner DOM"
    )
    # Closed, it leaves the record.
    tab.advance(action.id, StageInput(ActionStage.CLOSED, None, ""))
    window.view.open_record("providers", suggestion.provider_id)
    qtbot.waitUntil(lambda: field.text() == "", timeout=10000)


def test_an_actions_key_date_on_the_overview_opens_the_action(window: Any, qtbot: Any) -> None:
    from dom_desk.ui.performance_page import PerformancePage

    window.view.show_area("overview")
    overview = window.view.current_page()
    overview.ensure_loaded()
    dates = overview.dates_model.dates
    at = next(i for i, k in enumerate(dates) if k.what.startswith("Action due: HMP Liverpool"))
    overview.dates_table.setFocus()
    overview.dates_table.setCurrentIndex(overview.dates_model.index(at, 0))
    qtbot.keyClick(overview.dates_table, Qt.Key.Key_Return)
    page = window.view.current_page()
    assert isinstance(page, PerformancePage)
    action = page.actions_tab.current_action()
    assert action is not None and (action.provider, action.measure) == ("HMP Liverpool", "KPI 6")
