"""The Overview's first-run guide (issue 13, item 9); the framework dialog is in
test_framework_dialog.py."""

from __future__ import annotations

from pathlib import Path

from dom_desk.cli import main
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


def test_the_guide_goes_once_the_last_step_is_done_in_the_window(
    make_window, answers, tmp_path
) -> None:
    from dom_desk.domain.records import create_envelope_line, create_service
    from dom_desk.storage.workbook import open_workbook
    from tests.wales_targets import build_wales

    wales = build_wales(tmp_path)  # providers, the 2009-10 measures, agreements, targets
    wb = open_workbook(wales.path)
    try:
        create_service(wb, "Accommodation advice", "Accommodation", "referral")
        create_envelope_line(wb, "NOMS", 100_000_000, "2009-10", name="Prisons")
    finally:
        wb.close()
    window = make_window()
    assert window.open_file(wales.path), answers.errors
    guide = window.view.overview.guide
    assert guide.isVisibleTo(window)
    assert [key for key, _how in guide.buttons] == ["priorities", "priorities"]
    guide.buttons["priorities", "add"].click()
    page = window.view.pages["priorities"]
    assert window.view.current_key() == "priorities"
    page.new_dialog.close()
    assert page.create_record({"title": "Reduce re-offending by young adults"})
    window.view.show_area("overview")
    assert not guide.isVisibleTo(window)


def test_a_guides_import_button_asks_for_that_steps_list(make_window, answers, tmp_path) -> None:
    window = _open_new_wales(make_window, answers, tmp_path)
    guide = window.view.overview.guide
    for key in ("providers", "services", "agreements", "targets", "priorities"):
        guide.buttons[key, "import"].click()  # the file prompt; nobody chooses a file
    titles = [p.title for p in answers.of("open_path")]
    assert titles == [
        f"Import {kind} from a spreadsheet"
        for kind in ("providers", "services", "agreements", "targets", "priorities")
    ]
    assert answers.errors == []
    assert guide.intro.text().startswith("0 of 7 steps done")


def test_the_guide_is_worked_by_keyboard(make_window, answers, tmp_path, qtbot) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    window = _open_new_wales(make_window, answers, tmp_path)
    guide = window.view.overview.guide
    window.show_area("overview")
    # Tab goes down the guide's buttons in order.
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    first = guide.buttons["providers", "add"]
    first.setFocus(Qt.FocusReason.TabFocusReason)
    assert QApplication.focusWidget() is first
    reached = [first.objectName()]
    for _ in range(3):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget().objectName())
    assert reached == [
        "setup_providers_add",
        "setup_providers_import",
        "setup_measures_add",
        "setup_measures_import",
    ]
    # Enter presses the focused button, as Space does.
    button = guide.buttons["services", "import"]
    button.setFocus(Qt.FocusReason.TabFocusReason)
    assert QApplication.focusWidget() is button
    qtbot.keyClick(button, Qt.Key.Key_Return)
    qtbot.keyClick(button, Qt.Key.Key_Space)
    assert [p.title for p in answers.of("open_path")] == ["Import services from a spreadsheet"] * 2
