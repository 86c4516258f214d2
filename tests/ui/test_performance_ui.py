"""The Performance page: matrix cells coloured and labelled, filters, drill-down, trends,
scorecard and export, driven as a user would."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from performance_data import build_region
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from sqlalchemy import select

from dom_desk.domain.matrix import build_matrix
from dom_desk.domain.scorecard import build_scorecard
from dom_desk.domain.status import Status
from dom_desk.models import ProviderKind, Result, Submission
from dom_desk.ui.performance_models import STATUS_COLOURS, CellRole, KeyRole, MatrixModel
from dom_desk.ui.performance_page import PerformancePage
from dom_desk.ui.performance_scorecard_model import ScorecardModel


def open_page(qtbot: Any, wb: Any) -> PerformancePage:
    page = PerformancePage()
    qtbot.addWidget(page)
    page.resize(1400, 700)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=20000):
        page.set_workbook(wb)
    qtbot.waitUntil(lambda: not page.loading, timeout=20000)
    return page


def row_of(page: PerformancePage, name: str) -> int:
    for row in range(page.proxy.rowCount()):
        if page.proxy.headerData(row, Qt.Orientation.Vertical) == name:
            return row
    raise AssertionError(f"{name} is not shown")


def column_of(page: PerformancePage, code: str) -> int:
    for column in range(page.proxy.columnCount()):
        header = page.proxy.headerData(column, Qt.Orientation.Horizontal) or ""
        if header.split("\n")[-1] == code:  # the short name over the code
            return column
    raise AssertionError(f"{code} is not shown")


def shown_names(page: PerformancePage) -> list[str]:
    return [page.proxy.headerData(r, Qt.Orientation.Vertical) for r in range(page.proxy.rowCount())]


def choose(combo: Any, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, text
    combo.setCurrentIndex(index)


def test_models_pass_the_model_tester(qtmodeltester: Any, workbook: Any) -> None:
    build_region(workbook)
    model = MatrixModel()
    model.set_view(build_matrix(workbook).view())
    qtmodeltester.check(model)
    scores = ScorecardModel()
    scores.set_scorecard(build_scorecard(workbook))
    qtmodeltester.check(scores)


def test_cells_are_coloured_and_say_their_status(qtbot: Any, demo: Any, answers: Any) -> None:
    page = open_page(qtbot, demo)
    assert page.matrix is not None
    assert page.proxy.rowCount() == len(page.view.rows) > 20
    index = page.proxy.index(row_of(page, "HMP Liverpool"), column_of(page, "KPI 6"))
    assert "Missed" in index.data(Qt.ItemDataRole.DisplayRole)
    brush = index.data(Qt.ItemDataRole.BackgroundRole)
    assert brush.color() == QColor(STATUS_COLOURS[Status.MISSED])
    spoken = index.data(Qt.ItemDataRole.AccessibleTextRole)
    assert spoken.startswith("HMP Liverpool, KPI 6") and "Missed" in spoken
    # The header says which year-to-date rule the measure follows.
    header = page.proxy.headerData(column_of(page, "KPI 6"), Qt.Orientation.Horizontal)
    assert header == "Drug misuse\nKPI 6"  # the short name over the code
    assert "Missed" in page.status_counts.text() and not answers.errors


def test_filters_change_what_is_shown(qtbot: Any, demo: Any) -> None:
    page = open_page(qtbot, demo)
    everyone = page.proxy.rowCount()
    choose(page.kind, "All prisons")
    assert 0 < page.proxy.rowCount() < everyone
    assert all(name.startswith("HM") for name in shown_names(page))
    choose(page.kind, "All providers")
    choose(page.scope, "Probation only")
    assert all(
        "Probation" in name or name in ("Addaction", "A4e", "Shelter") for name in shown_names(page)
    )
    choose(page.scope, "All scopes")
    choose(page.guidance, "Regional Minimum")
    codes = {
        page.proxy.headerData(c, Qt.Orientation.Horizontal).split("\n")[-1]
        for c in range(1, page.proxy.columnCount())
    }
    assert codes == {"KPI 5", "KPI 13"}
    choose(page.guidance, "All guidance")
    qtbot.keyClicks(page.filter, "liverpool")
    assert shown_names(page) == ["HMP Liverpool"]
    page.filter.clear()
    page.problems.setChecked(True)
    shown = set(shown_names(page))
    assert {"HMP Liverpool", "HMP Preston", "Merseyside Probation Trust"} <= shown
    assert "HMP Risley" not in shown


def test_choosing_a_month_shows_the_missing_return(qtbot: Any, demo: Any) -> None:
    page = open_page(qtbot, demo)
    with qtbot.waitSignal(page.loaded, timeout=20000):
        choose(page.period, "Sep 2009")
    index = page.proxy.index(row_of(page, "Cumbria Probation Area"), column_of(page, "PT 1"))
    assert "Missing (late)" in index.data(Qt.ItemDataRole.DisplayRole)
    # Sorting a column puts the worst first.
    page.table.sortByColumn(column_of(page, "PT 1"), Qt.SortOrder.AscendingOrder)
    top = page.proxy.index(0, column_of(page, "PT 1")).data(CellRole)
    assert top.status is Status.MISSING


@pytest.fixture
def corrected(workbook: Any) -> Any:
    """The small region, with HMP Beta's June return corrected by a second file."""
    ids = build_region(workbook)
    with workbook.session() as session:
        first = Submission(
            provider_id=ids.providers["HMP Beta"],
            period_id=ids.periods["2009-06"],
            file_name="beta-june.xlsx",
            received_at=datetime(2009, 7, 6),
            received_by="test",
        )
        session.add(first)
        session.flush()
        old = session.scalars(
            select(Result).where(
                Result.provider_id == ids.providers["HMP Beta"],
                Result.measure_id == ids.measures["PT 1"],
                Result.period_id == ids.periods["2009-06"],
            )
        ).one()
        old.superseded, old.submission_id = True, first.id
        session.flush()
        session.add(
            Result(
                provider_id=old.provider_id,
                measure_id=old.measure_id,
                period_id=old.period_id,
                actual=84,
                numerator=84,
                denominator=100,
                source="beta-june-v2.xlsx",
                source_row=7,
                entered_at=datetime(2009, 7, 9),
                entered_by="test",
            )
        )
    return ids


def test_enter_on_a_cell_opens_its_results_with_source_and_history(
    qtbot: Any, workbook: Any, corrected: Any, answers: Any
) -> None:
    page = open_page(qtbot, workbook)
    index = page.proxy.index(row_of(page, "HMP Beta"), column_of(page, "PT 1"))
    page.table.setFocus()
    page.table.setCurrentIndex(index)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    from dom_desk.ui.performance_dialogs import CellDialog

    dialog = page.findChild(CellDialog)
    assert dialog is not None and dialog.isVisible(), answers.errors
    lines = dialog.lines
    texts = [
        [lines.index(r, c).data() for c in range(lines.columnCount())]
        for r in range(lines.rowCount())
    ]
    june = [t for t in texts if t[0] == "Jun 2009"]
    assert [t[4] for t in june] == ["Current", "Superseded"]
    assert [t[5] for t in june] == ["beta-june-v2.xlsx", "beta-june.xlsx"]
    assert "1 superseded" in dialog.history_label.text()
    assert "Oct 2009 (due" in dialog.missing_label.text()  # October, as people read it
    assert "Missed" in dialog.status_label.text()
    dialog.close()


def test_trend_opens_on_a_worker_and_exports_png(
    qtbot: Any, workbook: Any, tmp_path: Path, answers: Any
) -> None:
    ids = build_region(workbook)
    page = open_page(qtbot, workbook)
    page.show_trend(ids.measures["PT 1"], ids.providers["HMP Beta"])
    qtbot.waitUntil(lambda: bool(page._charts), timeout=30000)
    dialog = page._charts[-1]
    assert "PT 1" in dialog.windowTitle()
    saved = dialog.export(tmp_path / "trend.png")
    assert saved is not None and saved.read_bytes()[:4] == b"\x89PNG"
    assert not answers.errors


def test_scorecard_tab_and_export(qtbot: Any, demo: Any, tmp_path: Path, answers: Any) -> None:
    page = open_page(qtbot, demo)
    page.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: page.card is not None and page.card.previous is not None, timeout=20000)
    assert page.score_proxy.rowCount() == 5  # the probation areas
    first = page.score_proxy.index(0, 0).data()
    assert first == "=1"  # three probation areas tie at 100.0
    choose(page.kind, ProviderKind.PROBATION_TRUST.label)
    assert page.score_proxy.rowCount() == 2
    out = tmp_path / "matrix.xlsx"
    page.export_xlsx(out)
    qtbot.waitUntil(lambda: not page.loading, timeout=20000)
    assert out.exists()
    assert any("Exported" in p.text for p in answers.of("info")), answers.errors


def test_main_window_performance_area_and_its_results_tab(
    qtbot: Any, window: Any, answers: Any
) -> None:
    """The Performance area shows the matrix; a figure corrected on its Results tab is
    undoable, and the matrix follows the correction and its undo."""
    from ui_helpers import type_into_cell

    window.show_area("performance")
    page = window.view.pages["performance"]
    assert isinstance(page, PerformancePage)
    qtbot.waitUntil(lambda: page.matrix is not None and not page.loading, timeout=20000)
    assert "providers" in window.status_line()
    with qtbot.waitSignal(page.loaded, timeout=20000):
        choose(page.period, "Sep 2009")

    def liverpool_kpi6() -> Status:
        index = page.proxy.index(row_of(page, "HMP Liverpool"), column_of(page, "KPI 6"))
        return index.data(CellRole).status

    assert liverpool_kpi6() is Status.MISSED  # 14% positive tests against 9.5%

    page.tabs.setCurrentWidget(page.results)
    results = page.results
    # One filter on screen: the Results table's own, not the matrix's as well.
    assert not page.filter.isVisible() and results.filter.isVisible()
    qtbot.waitUntil(lambda: results.proxy.rowCount() > 0, timeout=10000)
    at = {c.key: i for i, c in enumerate(results.area.columns)}
    row = next(
        r
        for r in results.model.rows
        if (r.values[at["provider"]], r.values[at["code"]], r.values[at["period"]])
        == ("HMP Liverpool", "KPI 6", "Sep 2009")
    )
    type_into_cell(qtbot, results, row.id, "actual", "8")
    assert not answers.errors
    with qtbot.waitSignal(page.loaded, timeout=20000):
        page.tabs.setCurrentIndex(0)
    assert liverpool_kpi6() is Status.MET  # under the ceiling: met

    with qtbot.waitSignal(page.loaded, timeout=20000):
        window.undo_action.trigger()
    assert liverpool_kpi6() is Status.MISSED
    assert not answers.errors


def test_a_measures_tolerance_is_set_from_its_column(qtbot: Any, demo: Any, answers: Any) -> None:
    """Near tolerance… on a column: a wider band turns Liverpool's miss into near."""
    page = open_page(qtbot, demo)
    with qtbot.waitSignal(page.loaded, timeout=20000):
        choose(page.period, "Sep 2009")

    def liverpool(code: str) -> Status:
        index = page.proxy.index(row_of(page, "HMP Liverpool"), column_of(page, code))
        return index.data(CellRole).status

    assert liverpool("KPI 6") is Status.MISSED
    kpi6 = page.proxy.index(0, column_of(page, "KPI 6")).data(KeyRole)[1]
    dialog = page.edit_tolerance(kpi6)
    assert dialog is not None and dialog.percent.value() == 5
    dialog.percent.setValue(60)
    with qtbot.waitSignal(page.loaded, timeout=20000):
        dialog.accept()
    assert liverpool("KPI 6") is Status.NEAR
    assert liverpool("KPI 11") is Status.MISSED  # its own tolerance, still 5%
    assert "Near within 60%" in page.proxy.headerData(
        column_of(page, "KPI 6"), Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
    )
    # A value out of range is refused with the measure named, and the matrix stays.
    assert not page.set_tolerance(kpi6, Decimal(200))
    assert any("KPI 6" in error for error in answers.errors)
    assert liverpool("KPI 6") is Status.NEAR


def test_tolerance_cannot_be_changed_in_a_read_only_workbook(
    qtbot: Any, demo: Any, answers: Any
) -> None:
    from dom_desk.storage.workbook import open_workbook

    path = demo.location
    demo.close()
    wb = open_workbook(path, read_only=True)
    try:
        page = open_page(qtbot, wb)
        measure_id = page.matrix.measures[0].id
        assert page.edit_tolerance(measure_id) is None
        assert any("read-only" in error for error in answers.errors)
    finally:
        page.close()
        wb.close()


def test_sorting_keeps_the_selected_cell_and_survives_a_filter(qtbot: Any, demo: Any) -> None:
    page = open_page(qtbot, demo)
    with qtbot.waitSignal(page.loaded, timeout=20000):
        choose(page.period, "Sep 2009")
    column = column_of(page, "KPI 6")
    page.table.setCurrentIndex(page.proxy.index(row_of(page, "HMP Liverpool"), column))
    page.table.sortByColumn(column, Qt.SortOrder.AscendingOrder)
    current = page.table.currentIndex()
    assert page.proxy.headerData(current.row(), Qt.Orientation.Vertical) == "HMP Liverpool"
    assert current.data(KeyRole) == page.proxy.index(row_of(page, "HMP Liverpool"), column).data(
        KeyRole
    )
    statuses = [page.proxy.index(r, column).data(CellRole) for r in range(page.proxy.rowCount())]
    severities = [9 if c is None else c.status.severity for c in statuses]
    assert severities == sorted(severities) and statuses[0].status is Status.MISSED
    # The order holds when the filter changes; descending puts the met cells first.
    choose(page.kind, "All prisons")
    assert column_of(page, "KPI 6") != column  # probation-only columns went
    assert page.table.horizontalHeader().sortIndicatorSection() == column_of(page, "KPI 6")
    assert page.proxy.index(0, column_of(page, "KPI 6")).data(CellRole).status is Status.MISSED
    page.table.sortByColumn(column_of(page, "KPI 6"), Qt.SortOrder.DescendingOrder)
    last = page.proxy.index(page.proxy.rowCount() - 1, column_of(page, "KPI 6"))
    assert last.data(CellRole).status is Status.MISSED
    # Issues column: most issues first.
    page.table.sortByColumn(MatrixModel.ISSUES, Qt.SortOrder.AscendingOrder)
    issues = [int(page.proxy.index(r, 0).data()) for r in range(page.proxy.rowCount())]
    assert issues == sorted(issues, reverse=True) and issues[0] > 0


def test_a_tolerance_change_is_undoable_and_reaches_the_overview(
    qtbot: Any, window: Any, answers: Any
) -> None:
    window.show_area("performance")
    page = window.view.pages["performance"]
    qtbot.waitUntil(lambda: page.matrix is not None and not page.loading, timeout=20000)
    with qtbot.waitSignal(page.loaded, timeout=20000):
        choose(page.period, "Sep 2009")

    def liverpool_kpi6() -> Status:
        index = page.proxy.index(row_of(page, "HMP Liverpool"), column_of(page, "KPI 6"))
        return index.data(CellRole).status

    kpi6 = page.proxy.index(0, column_of(page, "KPI 6")).data(KeyRole)[1]
    with qtbot.waitSignal(page.loaded, timeout=20000):
        assert page.set_tolerance(kpi6, Decimal(60))
    assert liverpool_kpi6() is Status.NEAR
    assert window.view.pages["overview"].stale  # its count of missed targets moved
    assert "tolerance of KPI 6" in window.undo_action.text()

    with qtbot.waitSignal(page.loaded, timeout=20000):
        window.undo_action.trigger()
    assert liverpool_kpi6() is Status.MISSED
    with qtbot.waitSignal(page.loaded, timeout=20000):
        window.redo_action.trigger()
    assert liverpool_kpi6() is Status.NEAR and not answers.errors
