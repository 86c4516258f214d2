"""Performance ▸ Returns schedule on the demo (working date 02/11/2009): the schedule as
the domain works it out, Chase only, the due rule set with undo, the chase list exported,
and the tab read again when the window reloads."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from openpyxl import load_workbook
from PySide6.QtCore import Qt
from sqlalchemy import select

from dom_desk.domain import returns_schedule as rs
from dom_desk.models import Period, Provider, Submission
from dom_desk.ui.performance_page import PerformancePage


def _tab(window: Any) -> Any:
    window.view.show_area("performance")
    page = window.view.current_page()
    assert isinstance(page, PerformancePage)
    page.tabs.setCurrentWidget(page.returns_tab)
    return page.returns_tab


def _shown(tab: Any) -> list[dict[str, str]]:
    model = tab.model
    heads = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    return [
        {h: model.index(r, c).data() for c, h in enumerate(heads)} for r in range(model.rowCount())
    ]


def _row(rows: list[dict[str, str]], provider: str, month: str) -> dict[str, str]:
    return next(r for r in rows if r["Provider"] == provider and r["Month"] == month)


def test_the_tab_shows_the_schedule_as_the_domain_works_it_out(
    window: Any, answers: Any, qtbot: Any
) -> None:
    tab = _tab(window)
    page = window.view.current_page()
    assert page.tabs.tabText(page.tabs.currentIndex()).replace("&", "") == "Returns schedule"
    assert not page.matrix_controls.isVisible()  # the matrix's filters are not this tab's
    expected = rs.returns_schedule(window.workspace.wb)
    rows = _shown(tab)
    assert [(r["Provider"], r["Month"]) for r in rows] == [
        (e.provider_name, e.period_label) for e in expected
    ]
    cumbria = _row(rows, "Cumbria Probation Area", "Sep 2009")
    assert cumbria == {
        "Provider": "Cumbria Probation Area",
        "Month": "Sep 2009",
        "Due": "14/10/2009",
        "Received": "",
        "Working days late": "13",
        "State": "! Overdue",
    }
    assert _row(rows, "HMP Preston", "Sep 2009")["State"] == "✓ Received late"
    assert _row(rows, "HMP Garth", "Oct 2009")["State"] == "● Due"
    at = rows.index(cumbria)
    assert tab.model.index(at, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert tab.model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is None  # received
    # Opened at September, the month of the earliest return still outstanding.
    first_september = next(i for i, r in enumerate(rows) if r["Month"] == "Sep 2009")
    qtbot.waitUntil(lambda: tab.table.rowAt(0) == first_september, timeout=5000)
    text = tab.summary_label.text()
    assert "as at 02/11/2009: 22 providers owe monthly returns" in text
    assert "1 return overdue, 22 due within 14 days" in text
    assert answers.errors == []


def test_chase_only_shows_the_chase_list(window: Any, qtbot: Any) -> None:
    tab = _tab(window)
    qtbot.mouseClick(tab.chase_only, Qt.MouseButton.LeftButton)
    assert tab.chase_only.isChecked()
    chase = rs.chase_list(window.workspace.wb)
    rows = _shown(tab)
    assert [(r["Provider"], r["Month"]) for r in rows] == [
        (c.provider_name, c.period_label) for c in chase
    ]
    assert rows[0]["State"] == "! Overdue" and rows[0]["Provider"] == "Cumbria Probation Area"
    assert "Showing the 23 returns to chase." in tab.summary_label.text()
    qtbot.mouseClick(tab.chase_only, Qt.MouseButton.LeftButton)
    assert tab.model.rowCount() == len(rs.returns_schedule(window.workspace.wb))


def test_the_due_rule_is_saved_moves_the_dates_and_undoes(window: Any, qtbot: Any) -> None:
    tab = _tab(window)
    wb = window.workspace.wb
    assert tab.rule.value() == 10 and not tab.apply_rule.isEnabled()
    assert (tab.rule.minimum(), tab.rule.maximum()) == (1, 60)
    tab.rule.setValue(12)
    assert tab.apply_rule.isEnabled()
    qtbot.mouseClick(tab.apply_rule, Qt.MouseButton.LeftButton)
    assert rs.due_rule(wb) == 12
    assert _row(_shown(tab), "HMP Garth", "Oct 2009")["Due"] == "17/11/2009"
    assert "due 12 working days after the month ends" in tab.summary_label.text()
    assert not tab.apply_rule.isEnabled()
    stack = window.workspace.undo_stack
    assert "12 working days" in stack.undoText()
    stack.undo()
    assert rs.due_rule(wb) == 10 and tab.rule.value() == 10
    assert _row(_shown(tab), "HMP Garth", "Oct 2009")["Due"] == "13/11/2009"


def test_export_writes_the_chase_list(window: Any, answers: Any, qtbot: Any, tmp_path) -> None:
    tab = _tab(window)
    answers.queue("save_path", tmp_path / "to chase")  # .xlsx added
    qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)
    assert answers.errors == []
    sheet = load_workbook(tmp_path / "to chase.xlsx").worksheets[0]
    chase = rs.chase_list(window.workspace.wb)
    got = [(row[0].value, row[1].value, row[3].value) for row in sheet.iter_rows(min_row=2)]
    assert got == [
        (c.provider_name, c.period_label, datetime.combine(c.due, datetime.min.time()))
        for c in chase
    ]
    assert sheet["D2"].number_format == "dd/mm/yyyy" and sheet.freeze_panes == "A2"


def test_the_tab_is_read_again_when_the_window_reloads(window: Any, qtbot: Any) -> None:
    tab = _tab(window)
    page = window.view.current_page()
    with window.workspace.wb.session() as session:  # Cumbria's September return arrives
        cumbria = session.scalars(select(Provider).where(Provider.name.like("Cumbria%"))).one()
        period = session.scalars(select(Period).where(Period.code == "2009-09")).one()
        session.add(
            Submission(
                provider_id=cumbria.id,
                period_id=period.id,
                received_at=datetime(2009, 11, 2, 10, 0),
                received_by="test",
                declared=True,
            )
        )
    with qtbot.waitSignal(page.loaded, timeout=20000):
        window.reload()
    row = _row(_shown(tab), "Cumbria Probation Area", "Sep 2009")
    assert (row["State"], row["Received"], row["Working days late"]) == (
        "✓ Received late",
        "02/11/2009",
        "13",
    )
    assert "0 returns overdue" in tab.summary_label.text()


def test_a_returns_line_of_needs_attention_opens_the_tab(window: Any) -> None:
    from dom_desk.domain.attention import Source, attention
    from dom_desk.ui.attention_open import open_item

    window.view.show_area("overview")
    found = attention(window.workspace.wb, window.workspace.year)
    line = next(i for i in found.items if i.source is Source.RETURNS and i.tab)
    open_item(window.view, line)
    page = window.view.current_page()
    assert isinstance(page, PerformancePage)
    assert page.tabs.currentWidget() is page.returns_tab


def test_enter_on_a_row_opens_its_provider(window: Any, qtbot: Any) -> None:
    tab = _tab(window)
    qtbot.mouseClick(tab.chase_only, Qt.MouseButton.LeftButton)
    first = tab.model.rows[0]
    assert first.provider_name == "Cumbria Probation Area"
    tab.table.setFocus()
    tab.table.setCurrentIndex(tab.model.index(0, 0))
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    assert window.view.current_key() == "providers"
    assert window.view.current_page().current_id() == first.provider_id


def test_a_read_only_workbook_shows_the_rule_but_cannot_change_it(
    make_window: Any, demo: Any, answers: Any
) -> None:
    win = make_window()
    assert win.open_location(demo.location, read_only=True), answers.errors
    tab = _tab(win)
    assert tab.rule.value() == 10
    assert not tab.rule.isEnabled() and not tab.apply_rule.isEnabled()
    assert tab.export_button.isEnabled()  # exporting writes no workbook


def test_a_returns_key_date_on_the_overview_opens_the_tab(window: Any, qtbot: Any) -> None:
    window.view.show_area("overview")
    overview = window.view.current_page()
    overview.ensure_loaded()
    dates = overview.dates_model.dates
    at = next(i for i, k in enumerate(dates) if k.what.startswith("October 2009 returns due"))
    overview.dates_table.setFocus()
    overview.dates_table.setCurrentIndex(overview.dates_model.index(at, 0))
    qtbot.keyClick(overview.dates_table, Qt.Key.Key_Return)
    page = window.view.current_page()
    assert isinstance(page, PerformancePage)
    assert page.tabs.currentWidget() is page.returns_tab
