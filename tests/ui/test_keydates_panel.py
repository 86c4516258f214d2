"""The Overview's key dates: the next 30, 90 or 180 days, overdue until marked done."""

from __future__ import annotations

from dom_desk.domain.keydates import Bucket
from dom_desk.ui.overview_page import OverviewPage
from dom_desk.ui.workspace import Workspace


def _overview(qtbot, demo) -> OverviewPage:
    page = OverviewPage(Workspace(demo))
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    page.reload()
    return page


def test_the_horizon_shows_30_90_or_180_days_and_always_the_overdue(qtbot, demo) -> None:
    page = _overview(qtbot, demo)
    controls = page.key_controls
    buckets = {b: len(keys) for b, keys in page.figures.key_date_buckets.items()}
    shown = {}
    for index in range(3):
        controls.horizon.setCurrentIndex(index)
        shown[index] = page.dates_model.rowCount()
    assert shown[0] == buckets[Bucket.OVERDUE] + buckets[Bucket.DAYS_30]
    assert shown[1] == shown[0] + buckets[Bucket.DAYS_90] == len(page.figures.key_dates)
    assert shown[2] == shown[1] + buckets[Bucket.DAYS_180]
    assert f"{buckets[Bucket.OVERDUE]} overdue" in controls.summary.text()
    assert "180 days" in page.dates_note.text()


def test_marking_done_removes_an_overdue_date_and_undo_brings_it_back(qtbot, demo, answers) -> None:
    page = _overview(qtbot, demo)
    overdue = [k for k in page.dates_model.dates if k.overdue(page.figures.today)]
    assert overdue
    page.dates_table.setCurrentIndex(
        page.dates_model.index(page.dates_model.dates.index(overdue[0]), 0)
    )
    page.key_controls.mark_selected_done()
    assert overdue[0].key not in {k.key for k in page.dates_model.dates}
    page.workspace.undo_stack.undo()
    assert overdue[0].key in {k.key for k in page.dates_model.dates}
    assert answers.errors == []
