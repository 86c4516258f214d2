"""Importing a published measure framework from the window (issue 13, item 3): File ▸
Import Measure Framework… and the first-run guide's Import a framework… button."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from dom_desk.cli import main
from dom_desk.readers.frameworks import find_framework
from dom_desk.ui.framework_dialog import FrameworkDialog

NOMS = "noms-kpis-2009-10"


def _open_new_wales(make_window: Any, answers: Any, tmp_path: Path, read_only: bool = False):
    path = tmp_path / "wales.domdesk"
    assert main(["new", "--region", "Wales", "--year", "2009-10", str(path)]) == 0
    window = make_window()
    assert window.open_file(path, read_only=read_only), answers.errors
    return window


def _choosing(monkeypatch: Any, stem: str, year: str | None = None) -> list[FrameworkDialog]:
    """The dialog, when it is run, chooses the framework ``stem`` (and ``year``) and
    presses Import, as a user would; the dialogs shown are returned for inspection."""
    shown: list[FrameworkDialog] = []

    def run(dialog: FrameworkDialog) -> int:
        shown.append(dialog)
        dialog.table.selectRow([f.path.stem for f in dialog.frameworks].index(stem))
        if year is not None:
            dialog.year.setCurrentText(year)
        dialog.import_button.click()
        return dialog.result()

    monkeypatch.setattr(FrameworkDialog, "exec", run)
    return shown


def _measure_codes(window: Any) -> list[str]:
    window.view.show_area("measures")
    model = window.view.pages["measures"].model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    column = headers.index("Code")
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_the_dialog_lists_the_shipped_frameworks_and_picks_the_shown_years(
    make_window, answers, tmp_path
) -> None:
    window = _open_new_wales(make_window, answers, tmp_path)
    dialog = FrameworkDialog(window.workspace, window)
    rows = [
        [dialog.table.item(r, c).text() for c in range(4)] for r in range(dialog.table.rowCount())
    ]
    noms = find_framework("NOMS 2009-10")
    assert [noms.name, "2009-10", str(len(noms.measures)), noms.source] in rows
    # The year shown is 2009-10, so its framework is chosen and Import is ready for Enter.
    chosen = {i.row() for i in dialog.table.selectedItems()}
    assert [dialog.frameworks[r].path.stem for r in chosen] == [NOMS]
    assert dialog.year.currentText() == "2009-10"
    assert dialog.import_button.isEnabled() and dialog.file_button.isEnabled()


def test_the_guides_button_imports_noms_2009_10_and_the_measures_appear(
    make_window, answers, tmp_path, monkeypatch
) -> None:
    window = _open_new_wales(make_window, answers, tmp_path)
    guide = window.view.overview.guide
    shown = _choosing(monkeypatch, NOMS)
    guide.buttons["measures", "add"].click()
    assert len(shown) == 1
    said = [p.text for p in answers.of("info")]
    assert said == [
        "NOMS Agency Key Performance Indicators 2009-10 into 2009-10: 13 measures added, "
        "0 updated, 0 unchanged."
    ]
    # The Overview's guide ticks the step, and the Measures area shows the framework.
    window.view.show_area("overview")
    assert guide.intro.text().startswith("1 of 7 steps done")
    assert ("measures", "add") not in guide.buttons
    codes = _measure_codes(window)
    assert len(codes) == 13 and "KPI 1" in codes and "KPI 10" in codes


def test_importing_the_same_framework_again_from_the_menu_changes_nothing(
    make_window, answers, tmp_path, monkeypatch
) -> None:
    window = _open_new_wales(make_window, answers, tmp_path)
    _choosing(monkeypatch, NOMS)
    assert window.import_framework_action.isEnabled()
    window.import_framework_action.trigger()
    window.import_framework_action.trigger()
    said = [p.text for p in answers.of("info")]
    assert len(said) == 2 and said[1] == (
        "Nothing changed: the workbook already holds NOMS Agency Key Performance "
        "Indicators 2009-10 for 2009-10 as published."
    )
    assert len(_measure_codes(window)) == 13


def test_a_framework_goes_into_the_year_chosen_adding_a_year_the_workbook_lacks(
    make_window, answers, tmp_path, monkeypatch
) -> None:
    window = _open_new_wales(make_window, answers, tmp_path)
    _choosing(monkeypatch, NOMS, year="2010-11")
    window.import_framework_action.trigger()
    said = answers.of("info")[-1].text
    assert said.startswith("NOMS Agency Key Performance Indicators 2009-10 into 2010-11")
    assert said.endswith("The workbook did not hold 2010-11: it was added.")
    assert "2010-11" in window.workspace.years
    assert window.year_combo.findText("2010-11") >= 0
    assert window.year_combo.currentText() == "2009-10"
    # 2009-10 still has no measures of its own: its guide still asks for a framework.
    window.view.show_area("overview")
    assert ("measures", "add") in window.view.overview.guide.buttons


def test_a_year_that_is_not_a_financial_year_is_refused_by_sentence(
    make_window, answers, tmp_path, monkeypatch
) -> None:
    window = _open_new_wales(make_window, answers, tmp_path)
    _choosing(monkeypatch, NOMS, year="next year")
    window.import_framework_action.trigger()
    assert answers.errors and "next year" in answers.errors[-1]
    assert answers.of("info") == []
    assert _measure_codes(window) == []


def test_from_a_file_imports_a_framework_the_region_keeps_as_json(
    make_window, answers, tmp_path
) -> None:
    window = _open_new_wales(make_window, answers, tmp_path)
    data = json.loads(find_framework("NOMS 2009-10").path.read_text(encoding="utf-8"))
    data["name"] = "Wales local measures"
    data["measures"] = data["measures"][:2]
    own = tmp_path / "wales-measures.json"
    own.write_text(json.dumps(data), encoding="utf-8")
    dialog = FrameworkDialog(window.workspace, window)
    answers.queue("open_path", own)
    dialog.file_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.done_text.startswith("Wales local measures into 2009-10: 2 measures added")


def test_a_framework_file_with_problems_is_refused_by_sentence(
    make_window, answers, tmp_path
) -> None:
    window = _open_new_wales(make_window, answers, tmp_path)
    dialog = FrameworkDialog(window.workspace, window)
    bad = tmp_path / "not-a-framework.xlsx"
    bad.write_text("this is not a spreadsheet")
    answers.queue("open_path", bad)
    dialog.file_button.click()
    assert answers.errors and "not-a-framework.xlsx" in answers.errors[-1]
    assert dialog.done_text == "" and dialog.result() != QDialog.DialogCode.Accepted
    assert _measure_codes(window) == []


def test_a_read_only_workbook_offers_no_import(make_window, answers, tmp_path) -> None:
    window = _open_new_wales(make_window, answers, tmp_path, read_only=True)
    assert not window.import_framework_action.isEnabled()
    dialog = FrameworkDialog(window.workspace, window)
    assert not dialog.import_button.isEnabled() and not dialog.file_button.isEnabled()
