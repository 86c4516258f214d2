"""The Overview's first-run guide (issue 13, item 9) and Import Measure Framework."""

from __future__ import annotations

from pathlib import Path

from dom_desk.cli import main
from dom_desk.ui.framework_dialog import FrameworkDialog
from dom_desk.ui.setup_guide import BUTTONS

STEPS = ["providers", "measures", "services", "agreements", "envelope", "targets", "priorities"]


def _open_new_wales(make_window, answers, tmp_path: Path):
    path = tmp_path / "wales.domdesk"
    assert main(["new", "--region", "Wales", "--year", "2009-10", str(path)]) == 0
    window = make_window()
    assert window.open_file(path), answers.errors
    return window


def test_a_new_regions_overview_lists_what_is_missing_each_with_its_buttons(
    make_window, answers, tmp_path
) -> None:
    window = _open_new_wales(make_window, answers, tmp_path)
    guide = window.view.overview.guide
    assert guide.isVisibleTo(window)
    assert guide.heading.text() == "Setting up Wales for 2009-10"
    assert guide.intro.text().startswith("0 of 7 steps done")
    assert sorted(guide.buttons) == sorted((k, how) for k in STEPS for how, _t in BUTTONS[k])
    # The first missing step's button is the one Enter presses.
    assert guide.buttons["providers", "add"].isDefault()


def test_a_guide_button_opens_the_place_the_step_is_done(make_window, answers, tmp_path) -> None:
    window = _open_new_wales(make_window, answers, tmp_path)
    guide = window.view.overview.guide
    guide.buttons["providers", "add"].click()
    assert window.view.current_key() == "providers"
    dialog = window.view.pages["providers"].new_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.close()

    window.view.show_area("overview")
    guide.buttons["envelope", "add"].click()
    allocations = window.view.pages["allocations"]
    assert window.view.current_key() == "allocations"
    assert allocations.allocations.details.currentWidget() is allocations.allocations.envelope_table

    window.view.show_area("overview")
    guide.buttons["targets", "add"].click()  # asks whose targets; nobody answers
    assert allocations.tabs.currentWidget() is allocations.sla
    assert [p.title for p in answers.of("choose")] == ["Fill targets"]


def test_a_step_is_ticked_when_done_and_the_guide_goes_with_the_last(
    make_window, answers, tmp_path
) -> None:
    window = _open_new_wales(make_window, answers, tmp_path)
    page = window.view.pages["providers"]
    window.view.show_area("providers")
    assert page.create_record({"name": "HMP Cardiff", "kind": "Public prison", "sector": "Public"})
    window.view.show_area("overview")
    guide = window.view.overview.guide
    assert guide.intro.text().startswith("1 of 7 steps done")
    assert ("providers", "add") not in guide.buttons
    assert guide.buttons["measures", "add"].isDefault()


def test_the_demo_overview_shows_no_guide(window) -> None:
    window.view.show_area("overview")
    assert not window.view.overview.guide.isVisibleTo(window)


def test_a_published_framework_is_imported_from_the_window_and_again_changes_nothing(
    make_window, answers, tmp_path
) -> None:
    window = _open_new_wales(make_window, answers, tmp_path)
    dialog = FrameworkDialog(window.workspace, window)
    names = [f.path.stem for f in dialog.frameworks]
    assert names[:1] == ["nps-targets-2005-06"] and "noms-kpis-2009-10" in names
    # The framework published for the year shown is chosen, and the year is the shown one.
    chosen = {i.row() for i in dialog.table.selectedItems()}
    assert chosen == {names.index("noms-kpis-2009-10")}
    assert dialog.year.currentText() == "2009-10" and dialog.import_button.isEnabled()
    dialog._import_chosen()
    assert dialog.done_text.startswith("NOMS Agency Key Performance Indicators 2009-10 into")
    assert "13 measures added" in dialog.done_text
    window.reload()
    measures = window.view.pages["measures"]
    window.view.show_area("measures")
    assert measures.model.rowCount() == 13

    again = FrameworkDialog(window.workspace, window)
    assert again.import_named("NOMS 2009-10")
    assert again.done_text.startswith("Nothing changed")


def test_a_framework_file_with_problems_is_refused_by_sentence(
    make_window, answers, tmp_path
) -> None:
    window = _open_new_wales(make_window, answers, tmp_path)
    dialog = FrameworkDialog(window.workspace, window)
    bad = tmp_path / "not-a-framework.xlsx"
    bad.write_text("this is not a spreadsheet")
    assert not dialog.import_named(str(bad))
    assert answers.errors and "not-a-framework.xlsx" in answers.errors[-1]
    assert dialog.done_text == ""
