"""Screens show periods as people read them ("Oct 2009", "Q1 2009-10"), never the codes
("2009-10-M", "2009-10-Q1") the workbook stores and the command line accepts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from performance_data import build_region

from dom_desk.domain.overview import overview
from dom_desk.domain.periods import period_label
from dom_desk.domain.returns import FilePreview
from dom_desk.ui.performance_page import PerformancePage
from dom_desk.ui.returns_models import FileListModel
from dom_desk.ui.returns_template_dialog import ReturnsTemplateDialog

#: A month or quarter code that no label contains.
CODE = re.compile(r"\b\d{4}-\d{2}-(M|Q\d)\b|\b\d{4}-0[1-9]\b", re.IGNORECASE)


def test_the_template_dialog_lists_labels_and_hands_on_codes(qtbot, answers, demo) -> None:
    dialog = ReturnsTemplateDialog(demo, "2009-10")
    qtbot.addWidget(dialog)
    box = dialog.period_box
    items = [(box.itemText(i), box.itemData(i)) for i in range(box.count())]
    assert ("Q1 2009-10", "2009-10-Q1") in items
    assert all(text == period_label(code) and not CODE.search(text) for text, code in items)


def test_the_import_file_list_shows_the_label_and_sorts_by_code() -> None:
    model = FileListModel()
    model.set_files(
        [
            FilePreview(Path("oct.xlsx"), provider_name="HMP Liverpool", period_code="2009-10-M"),
            FilePreview(Path("apr.xlsx"), provider_name="HMP Liverpool", period_code="2009-04"),
        ]
    )
    assert [model.index(r, 2).data() for r in range(2)] == ["Oct 2009", "Apr 2009"]
    assert "HMP Liverpool, Oct 2009" in model.index(0, 5).data()


def test_the_overview_names_the_latest_period_by_its_label(window, demo) -> None:
    latest = overview(demo).latest_period
    text = window.view.overview.missed.text()
    assert text.startswith(f"Targets missed in {period_label(latest)}:")
    assert not CODE.search(text)


def test_the_performance_page_heads_the_matrix_with_a_label(qtbot, workbook: Any) -> None:
    build_region(workbook)
    page = PerformancePage()
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=20000):
        page.set_workbook(workbook)
    qtbot.waitUntil(lambda: not page.loading, timeout=20000)
    texts = [page.period.itemText(i) for i in range(page.period.count())]
    assert "Q3 2009-10 (Oct to Dec 2009)" in texts and "Oct 2009" in texts
    assert not [t for t in texts if CODE.search(t)]
    with qtbot.waitSignal(page.loaded, timeout=20000):
        page.period.setCurrentIndex(page.period.findData("2009-10-M"))
    qtbot.waitUntil(lambda: not page.loading, timeout=20000)
    assert "<b>Oct&nbsp;2009</b>" in page.status_counts.text()  # kept on one line
