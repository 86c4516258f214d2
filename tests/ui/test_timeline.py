"""The timeline drawn: rows reachable by keyboard, click and Enter open the record,
zoom by quarter or year, a today line, fuzzy dates distinguishable."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor

from dom_desk.domain import timeline
from dom_desk.domain.timeline import Zoom
from dom_desk.ui.timeline_page import TimelinePage
from dom_desk.ui.timeline_view import TODAY_COLOUR, TimelineView, describe_row
from dom_desk.ui.workspace import Workspace


def _view(qtbot, demo) -> TimelineView:
    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(1200, 700)
    with demo.session() as session:
        view.set_timeline(timeline.timeline_in(session))
    view.show()
    qtbot.waitExposed(view)
    return view


def test_arrow_keys_move_between_rows_and_enter_opens_the_record(qtbot, demo) -> None:
    view = _view(qtbot, demo)
    view.setFocus()
    assert view.current == 0
    qtbot.keyClick(view, Qt.Key.Key_Down)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    row = view.current_row()
    assert view.current == 2 and row is not None
    assert view.accessibleDescription() == describe_row(row)
    with qtbot.waitSignal(view.openRecord) as opened:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert opened.args == [row.area, row.record_id]
    qtbot.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert view.current == len(view.rows) - 1
    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert view.current == len(view.rows) - 2


def test_a_click_on_a_row_opens_its_record(qtbot, demo) -> None:
    view = _view(qtbot, demo)
    contracts_line = next(
        i
        for i, line in enumerate(view.lines)
        if line.row is not None and line.row.group == "Contracts"
    )
    y = view.y_of(contracts_line) + view.row_height() // 2
    with qtbot.waitSignal(view.openRecord) as opened:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(20, y))
    assert opened.args[0] == "contracts"
    assert view.current_row().group == "Contracts"


def test_zoom_by_quarter_widens_the_chart_and_keeps_today_in_view(qtbot, demo) -> None:
    view = _view(qtbot, demo)
    year_width = view.chart_width()
    view.show_today()
    view.set_zoom(Zoom.QUARTER)
    assert view.chart_width() > 2 * year_width
    x = view.x_of(view.timeline.today)
    assert view.label_width() < x < view.viewport().width()


def test_the_today_line_is_drawn_where_today_falls(qtbot, demo, tmp_path: Path) -> None:
    view = _view(qtbot, demo)
    view.show_today()
    image = view.viewport().grab().toImage()
    x = round(view.x_of(view.timeline.today))
    y = view.viewport().height() - 5
    colours = {QColor(image.pixel(x + dx, y)).name() for dx in (-1, 0, 1)}
    assert TODAY_COLOUR.name() in colours
    view.grab().save(str(tmp_path / "timeline.png"))


def test_tooltips_say_what_a_bar_is_and_when_fuzzy(qtbot, workbook) -> None:
    from dom_desk.domain import competitions
    from dom_desk.models import CompetitionKind

    with workbook.session() as session:
        competitions.create_competition(
            session, "Cluster 1", CompetitionKind.NEW_BUILD, call="Summer 2009"
        )
        model = timeline.timeline_in(session, date(2009, 4, 1), date(2011, 3, 31))
    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(1200, 400)
    view.set_timeline(model)
    row = view.rows[0]
    bar = row.bars[0]
    middle = bar.start.toordinal() + (bar.end - bar.start).days // 2
    x = view.x_of(date.fromordinal(middle))
    y = view.y_of(1) + view.row_height() / 2
    text = view.describe_at(x, y)
    assert "Call for competition (Summer 2009)" in text and "best estimate" in text


def test_the_page_reloads_after_an_edit_and_filters_groups(qtbot, demo) -> None:
    workspace = Workspace(demo)
    page = TimelinePage(workspace)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    qtbot.waitExposed(page)
    groups = {r.group for r in page.view.rows}
    assert groups == {"Competitions", "Contracts", "Milestones"}
    page.group_boxes["Milestones"].setChecked(False)
    assert {r.group for r in page.view.rows} == {"Competitions", "Contracts"}
    page.zoom.setCurrentIndex(1)
    assert page.view.zoom is Zoom.QUARTER
