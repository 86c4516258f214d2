"""File ▸ Print and Print Preview: the table shown, on A4 landscape, read back from the PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
    QKeySequence,
    QPageLayout,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewWidget
from PySide6.QtWidgets import QDialog, QTableView

from dom_desk.domain.tables import AREAS, load_rows
from dom_desk.ui import printing

pytestmark = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdfinfo")),
    reason="poppler-utils (pdftotext, pdfinfo) is not installed",
)

TODAY = date.today().strftime("%d/%m/%Y")


def _pdf_pages(path: Path) -> list[str]:
    """Each page's text as ``pdftotext -layout`` reads it."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def _pdf_info(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in out.splitlines())}


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _footer_ok(pages: list[str], region: str, year: str) -> None:
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        footer = f"{region} · {year} · printed {TODAY} · Page {number} of {total}"
        assert footer in _words(page), (number, page[-300:])


def _allocation_providers(wb: Any, year: str) -> set[str]:
    area = AREAS["allocations"]
    at = [c.key for c in area.columns].index("provider")
    return {str(row.values[at]) for row in load_rows(wb, "allocations", year)}


def test_the_allocations_print_on_a4_landscape_with_headings_and_footer_on_every_page(
    qtbot, window, answers, tmp_path: Path
) -> None:
    window.show_area("allocations")
    page = window.view.current_page()
    workspace = window.view.workspace
    table = printing.current_table(window)
    assert table is not None and table.title == "Allocations"
    target = tmp_path / "allocations.pdf"
    count = printing.print_to_pdf(table, target)

    info = _pdf_info(target)
    assert info["Page size"].startswith("841.89 x 595.276") or info["Page size"].startswith(
        "842 x 595"
    ), info["Page size"]
    pages = _pdf_pages(target)
    assert int(info["Pages"]) == count == len(pages) > 1
    # The header row on every page, in the order the screen shows the columns.
    header = page.model.headerData
    shown = [
        str(header(c, Qt.Orientation.Horizontal)).replace("\n", " ")
        for c in range(page.model.columnCount())
        if not page.table.isColumnHidden(c)
    ]
    assert "Provider" in shown and "Committed" in shown
    for text in pages:
        line = _words(text.splitlines()[1])  # under the title
        at = [line.find(title.split()[0]) for title in shown]
        assert -1 not in at and at == sorted(at), (shown, line)
    _footer_ok(pages, workspace.region_name, workspace.year)
    assert workspace.region_name == "North West"
    # Every provider with an allocation is printed, each on a line of its own page.
    everything = _words("\n".join(pages))
    providers = _allocation_providers(workspace.wb, workspace.year)
    assert len(providers) > 10
    for name in providers:
        assert name in everything, name
    # Each figure as the grid shows it, whole (a figure is never broken over two lines).
    committed = [c.key for c in page.model.columns].index("committed")
    figures = [page.proxy.index(r, committed).data() for r in range(page.proxy.rowCount())]
    assert re.fullmatch(r"£[\d,]+", figures[0])
    lines = "\n".join(pages).splitlines()
    for figure in filter(None, figures):
        assert any(re.search(rf"(^|\s){re.escape(figure)}(\s|$)", line) for line in lines), figure
    assert answers.errors == []


def test_a_filtered_table_prints_its_rows_only_and_says_so(
    qtbot, window, answers, tmp_path: Path
) -> None:
    window.show_area("allocations")
    page = window.view.current_page()
    page.filter.setText("HMP")
    table = printing.current_table(window)
    assert table.title == 'Allocations, filtered by "HMP"'
    target = tmp_path / "hmp.pdf"
    printing.print_to_pdf(table, target)
    text = _words("\n".join(_pdf_pages(target)))
    assert 'Allocations, filtered by "HMP"' in text
    assert "HMP Altcourse" in text
    assert "Addaction" not in text and "Cheshire Probation Area" not in text
    assert len(table.rows) == page.proxy.rowCount() < page.model.rowCount()


def test_the_table_with_the_keyboard_is_the_one_printed(qtbot, window, answers) -> None:
    window.show_area("allocations")
    page = window.view.current_page()
    page.filter.setText("HMP")  # the allocations' filter: not the totals'
    totals = page.allocations.findChild(QTableView, "totals_provider")
    totals.setFocus()
    qtbot.waitUntil(lambda: page.focusWidget() is totals)
    table = printing.current_table(window)
    assert table.title == "Allocations — By provider"
    names = [row[0].text for row in table.rows]
    shown = [totals.model().index(r, 0).data() for r in range(totals.model().rowCount())]
    assert names == shown and names[-1] == "Total"
    page.table.setFocus()
    qtbot.waitUntil(lambda: page.focusWidget() is page.table)
    assert printing.current_table(window).title == 'Allocations, filtered by "HMP"'


def _matrix_ready(qtbot, window) -> Any:
    window.show_area("performance")
    page = window.view.current_page()
    qtbot.waitUntil(lambda: page.matrix is not None and not page.loading, timeout=30000)
    return page


def test_the_performance_matrix_prints_every_provider_and_measure_in_bands(
    qtbot, window, answers, tmp_path: Path
) -> None:
    page = _matrix_ready(qtbot, window)
    workspace = window.view.workspace
    table = printing.current_table(window)
    assert table.title.startswith("Performance — Matrix, ")
    assert page.period.currentText() in table.title
    assert table.headers[0] == "Provider"  # the vertical header's names, headed
    target = tmp_path / "matrix.pdf"
    count = printing.print_to_pdf(table, target)
    info = _pdf_info(target)
    assert "595" in info["Page size"] and info["Page size"].startswith("84")
    pages = _pdf_pages(target)
    assert len(pages) == count == int(info["Pages"])
    _footer_ok(pages, workspace.region_name, workspace.year)
    everything = _words("\n".join(pages))
    view = page.view
    names = [view.matrix.providers[r].name for r in view.rows]
    codes = [view.matrix.measures[c].code for c in view.cols]
    assert len(names) > 10 and len(codes) > 10
    for name in names:
        assert name in everything, name
    for code in codes:
        assert code in everything, code
    if count > 1:  # the measures across sheets: the providers again on each
        for text in pages:
            assert "Provider" in text and names[0] in text
            assert "(columns " in text
    # A cell as the matrix shows it.
    cell = page.proxy.index(0, 1).data()
    assert cell and cell.split()[0] in everything


def test_the_scorecard_prints_its_rank_and_provider_on_every_sheet(
    qtbot, window, answers, tmp_path: Path
) -> None:
    page = _matrix_ready(qtbot, window)
    page.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: page.score_proxy.rowCount() > 0, timeout=30000)
    table = printing.current_table(window)
    assert table.title.startswith("Performance — Scorecard, ")
    assert table.headers[:2] == ("Rank", "Provider") and table.repeated == 2
    target = tmp_path / "scorecard.pdf"
    count = printing.print_to_pdf(table, target)
    pages = _pdf_pages(target)
    assert count == len(pages)
    provider = [c.text for c in table.rows[0]][1]
    for text in pages:
        assert "Rank" in text and "Provider" in text and provider in text
    everything = _words("\n".join(pages))
    for header in table.headers:
        assert header.split()[0] in everything


def _model(rows: list[tuple[str, ...]], bold_last: bool = False) -> QStandardItemModel:
    model = QStandardItemModel(len(rows), len(rows[0]))
    model.setHorizontalHeaderLabels(["Name", "Kind", "Amount"])
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            item = QStandardItem(value)
            if bold_last and r == len(rows) - 1:
                font = QFont()
                font.setBold(True)
                item.setFont(font)
            if c == 2:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            model.setItem(r, c, item)
    return model


def test_a_view_is_read_as_shown_hidden_columns_and_rows_out_bold_totals_bold(qtbot) -> None:
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(
        _model(
            [("Alpha", "Prison", "£10"), ("Beta", "Probation", "£20"), ("Total", "", "£30")], True
        )
    )
    view.verticalHeader().hide()
    view.setColumnHidden(1, True)
    view.setRowHidden(1, True)
    view.horizontalHeader().moveSection(2, 0)  # Amount first on screen
    table = printing.table_of_view(view, "Test", "Region · 2009-10")
    assert table.headers == ("Amount", "Name")
    assert [[c.text for c in row] for row in table.rows] == [["£10", "Alpha"], ["£30", "Total"]]
    assert [c.bold for c in table.rows[1]] == [True, True]
    assert not any(c.bold for c in table.rows[0])
    assert table.rows[0][0].align == Qt.AlignmentFlag.AlignRight


def test_cell_text_wraps_on_words_and_is_cut_at_a_word_with_an_ellipsis(qapp) -> None:
    metrics = QFontMetricsF(QFont())
    width = metrics.horizontalAdvance("Offender management")
    lines = printing.cell_lines("Offender management in the community", metrics, width, 4)
    assert lines == ["Offender management", "in the community"]
    text = "one two three four five six seven eight nine ten eleven twelve"
    cut = printing.cell_lines(text, metrics, metrics.horizontalAdvance("one two three"), 2)
    assert len(cut) == 2 and cut[0] == "one two three" and cut[1].endswith("…")
    words = cut[1][:-1].split()
    assert words == text.split()[3 : 3 + len(words)]  # whole words, in order
    # A figure wider than its cell is broken, never lost.
    narrow = printing.cell_lines("£10,400,000", metrics, metrics.horizontalAdvance("£10,4"), 4)
    assert "".join(narrow) == "£10,400,000"


def test_a_long_table_repeats_its_header_and_counts_its_pages(qapp, tmp_path: Path) -> None:
    rows = tuple(
        (printing.PrintCell(f"Provider {i}"), printing.PrintCell(f"£{i:,}")) for i in range(1, 201)
    )
    table = printing.PrintTable(
        "Long", "Somewhere · 2009-10 · printed 01/04/2009", ("Name", "Amount"), (100, 80), rows
    )
    target = tmp_path / "long.pdf"
    count = printing.print_to_pdf(table, target)
    pages = _pdf_pages(target)
    assert count == len(pages) > 2
    for number, text in enumerate(pages, start=1):
        assert "Name" in text and "Amount" in text
        assert f"Page {number} of {count}" in text
    everything = _words("\n".join(pages))
    assert all(f"Provider {i} " in everything + " " for i in range(1, 201))


LONG_PRINT = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication([])
from dom_desk.ui import printing
rows = tuple(
    (printing.PrintCell(f"Provider {i}"), printing.PrintCell(f"£{i:,}")) for i in range(1500)
)
table = printing.PrintTable("Long", "Here", ("Name", "Amount"), (100, 80), rows)
print(printing.print_to_pdf(table, Path(sys.argv[1])))
"""


def test_a_long_print_finishes_and_the_program_goes_on(tmp_path: Path) -> None:
    """Thousands of painter calls in a process of its own: PySide6 6.12 on Python 3.11
    took a reference from None at each and aborted ("none_dealloc"); pyproject.toml
    keeps it below 6.12."""
    import os
    import sys

    target = tmp_path / "long.pdf"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", LONG_PRINT, str(target)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout.split()[-1]) == len(_pdf_pages(target)) > 20


def test_print_and_print_preview_are_in_the_file_menu_with_ctrl_p(make_window, window) -> None:
    file_menu = window.menuBar().actions()[0].menu()
    actions = file_menu.actions()
    assert window.print_action in actions and window.print_preview_action in actions
    assert QKeySequence("Ctrl+P") in window.print_action.shortcuts()
    assert window.print_action.isEnabled() and window.print_preview_action.isEnabled()
    empty = make_window()
    assert not empty.print_action.isEnabled() and not empty.print_preview_action.isEnabled()


def test_print_preview_shows_the_pages_that_print(
    qtbot, window, answers, monkeypatch, tmp_path: Path
) -> None:
    window.show_area("allocations")
    shown: list[int] = []

    def preview(dialog: QDialog) -> int:
        dialog.show()
        widget = dialog.findChild(QPrintPreviewWidget)
        qtbot.waitUntil(lambda: widget.pageCount() > 0, timeout=10000)
        shown.append(widget.pageCount())
        shown.append(int(dialog.printer().pageLayout().orientation().value))
        dialog.close()
        dialog.deleteLater()
        return 0

    monkeypatch.setattr(printing, "show_dialog", preview)
    assert printing.preview_page(window)
    expected = printing.print_to_pdf(printing.current_table(window), tmp_path / "same.pdf")
    assert shown[0] == expected > 1
    assert shown[1] == QPageLayout.Orientation.Landscape.value
    assert answers.errors == []


def test_print_prints_to_the_printer_chosen(
    qtbot, window, answers, monkeypatch, tmp_path: Path
) -> None:
    window.show_area("providers")
    target = tmp_path / "printed.pdf"

    def choose_a_file(dialog: QDialog) -> int:
        assert isinstance(dialog, QPrintDialog)
        dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        dialog.printer().setOutputFileName(str(target))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(printing, "show_dialog", choose_a_file)
    window.print_action.trigger()
    pages = _pdf_pages(target)
    assert pages and "Providers" in pages[0]
    assert "HMP Altcourse" in _words("\n".join(pages))
    _footer_ok(pages, "North West", window.view.workspace.year)
    # Pages 2 to 2 of the allocations: that page alone, numbered as in the whole.
    window.show_area("allocations")
    target.unlink()
    total = printing.print_to_pdf(printing.current_table(window), tmp_path / "all.pdf")

    def choose_page_two(dialog: QDialog) -> int:
        assert (dialog.minPage(), dialog.maxPage()) == (1, total)
        dialog.printer().setFromTo(2, 2)
        return choose_a_file(dialog)

    monkeypatch.setattr(printing, "show_dialog", choose_page_two)
    window.print_action.trigger()
    pages = _pdf_pages(target)
    assert len(pages) == 1 and f"Page 2 of {total}" in _words(pages[0])
    # Cancelled: nothing printed.
    target.unlink()
    monkeypatch.setattr(printing, "show_dialog", lambda d: QDialog.DialogCode.Rejected)
    window.print_action.trigger()
    assert not target.exists()
    assert answers.errors == []


def test_a_page_without_a_table_says_so(qtbot, window, answers) -> None:
    window.show_area("timeline")
    assert printing.current_table(window) is None
    assert "no table to print" in answers.of("info")[-1].text


def test_the_exported_plan_is_opened_in_the_systems_viewer(
    qtbot, demo, answers, monkeypatch, tmp_path: Path
) -> None:
    from dom_desk.ui import plan_dialog
    from dom_desk.ui.plan_dialog import PlanDialog

    opened: list[QUrl] = []

    class Viewer:
        @staticmethod
        def openUrl(url: QUrl) -> bool:  # noqa: N802 - Qt's name
            opened.append(url)
            return True

    monkeypatch.setattr(plan_dialog, "QDesktopServices", Viewer)
    dialog = PlanDialog(demo)
    qtbot.addWidget(dialog)
    for row in range(dialog.sections.count()):
        item = dialog.sections.item(row)
        keep = item.data(Qt.ItemDataRole.UserRole) == "cover"
        item.setCheckState(Qt.CheckState.Checked if keep else Qt.CheckState.Unchecked)
    answers.queue("confirm", True)  # "Open it now?"
    dialog.export_to(tmp_path / "plan.pdf")
    qtbot.waitUntil(lambda: dialog.last_result is not None, timeout=60000)
    assert "Open it now?" in answers.of("confirm")[-1].text
    assert opened == [QUrl.fromLocalFile(str(tmp_path / "plan.pdf"))]
    assert (tmp_path / "plan.pdf").exists()
