"""Workbooks used like documents: New, Open, Save a Copy, recent files, last one reopened."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from dom_desk.domain.region import region
from dom_desk.domain.tables import load_rows
from dom_desk.storage.workbook import open_workbook
from dom_desk.ui import state
from dom_desk.ui.app import make_excepthook


def test_start_page_when_nothing_was_open(make_window):
    window = make_window()
    assert window.reopen_last() is False
    assert window.central.currentWidget() is window.start
    assert window.file_label.text() == "No workbook open"
    assert not window.save_copy_action.isEnabled()


def test_new_workbook_asks_for_a_file_region_and_year(make_window, answers, tmp_path):
    window = make_window()
    target = tmp_path / "wales"
    answers.queue("save_path", target)
    answers.queue("new_region", ("Wales", "2010-11"))
    window.new_action.trigger()
    assert answers.errors == []
    created = tmp_path / "wales.domdesk"
    assert created.is_file()
    assert window.windowTitle() == "DOM Desk — wales.domdesk"
    assert window.year_label.text() == "Financial year 2010-11"
    assert window.view.overview.heading.text().startswith("Wales")
    wb = open_workbook(created, read_only=True)
    try:
        with wb.session() as session:
            assert region(session).name == "Wales"
    finally:
        wb.close()


def test_new_refuses_an_existing_file(make_window, answers, demo):
    window = make_window()
    answers.queue("save_path", demo.path)
    answers.queue("new_region", ("North West", "2009-10"))
    window.new_action.trigger()
    assert any("already exists" in e for e in answers.errors)
    assert window.view is None
    # Refused before the region is asked for: no questions answered in vain.
    assert not answers.of("new_region")


def test_open_reports_a_file_that_is_not_a_workbook(make_window, answers, tmp_path):
    window = make_window()
    junk = tmp_path / "notes.domdesk"
    junk.write_text("not a database")
    answers.queue("open_path", junk)
    window.open_action.trigger()
    assert answers.errors == [
        "'notes.domdesk' is not a DOM Desk workbook (it is not a SQLite database)."
    ]
    assert window.view is None


def test_save_a_copy(window, answers, tmp_path, demo):
    answers.queue("save_path", tmp_path / "copy")
    window.save_copy_action.trigger()
    copy = tmp_path / "copy.domdesk"
    assert answers.errors == []
    wb = open_workbook(copy, read_only=True)
    try:
        assert len(load_rows(wb, "providers")) == len(load_rows(demo, "providers"))
    finally:
        wb.close()


@pytest.mark.file_only  # recent files by path; server regions: tests/ui/test_server_window.py
def test_recent_files_and_the_last_one_reopened(make_window, window, demo, workbook):
    assert window.open_location(workbook.location)
    assert state.recent_files()[:2] == [workbook.path.resolve(), demo.path.resolve()]
    window.recent_menu.aboutToShow.emit()
    titles = [a.text() for a in window.recent_menu.actions()]
    assert titles[:2] == [
        f"&1 {workbook.path.name}  —  {workbook.path.resolve().parent}",
        f"&2 {demo.path.name}  —  {demo.path.resolve().parent}",
    ]
    window.close()

    again = make_window()
    assert again.reopen_last()
    assert again.workspace.path.resolve() == workbook.path.resolve()


def test_read_only_workbook_says_so_and_refuses_edits(make_window, demo, answers):
    window = make_window()
    assert window.open_location(demo.location, read_only=True)
    assert window.mode_label.text() == "Read-only"
    assert window.windowTitle().endswith("(read-only)")
    window.show_area("providers")
    page = window.view.pages["providers"]
    index = page.proxy.index(0, 0)
    assert not page.proxy.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert page.detail.fields["name"].__class__.__name__ == "QLabel"


def test_window_and_column_state_are_remembered(qtbot, make_window, window):
    window.show_area("providers")
    header = window.view.pages["providers"].table.horizontalHeader()
    # Drag the right edge of the first column 40 pixels to the right, as a user would.
    edge = QPoint(
        header.sectionViewportPosition(0) + header.sectionSize(0) - 1, header.height() // 2
    )
    before = header.sectionSize(0)
    qtbot.mousePress(header.viewport(), Qt.MouseButton.LeftButton, pos=edge)
    qtbot.mouseMove(header.viewport(), edge + QPoint(40, 0))
    qtbot.mouseRelease(header.viewport(), Qt.MouseButton.LeftButton, pos=edge + QPoint(40, 0))
    width = header.sectionSize(0)
    assert width > before
    window.resize(1000, 700)  # the user's width stays: no more automatic fitting
    assert header.sectionSize(0) == width
    window.close()

    again = make_window()
    assert again.reopen_last()
    again.show_area("providers")
    assert again.view.pages["providers"].table.horizontalHeader().sectionSize(0) == width


def test_unexpected_errors_are_logged_and_shown_with_the_traceback(answers):
    hook = make_excepthook()
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        hook(RuntimeError, exc, exc.__traceback__)
    [prompt] = answers.of("exception")
    assert prompt.text == "RuntimeError: boom"
    assert "Traceback" in prompt.details and "boom" in prompt.details


def test_start_up_imports_no_report_or_chart_libraries(demo_file, tmp_path):
    """The window opens a workbook without loading openpyxl, reportlab or matplotlib."""
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        DOM_DESK_HOME=str(tmp_path),
        DOM_DESK_EXIT_WHEN_SHOWN="1",
    )
    copy = tmp_path / "demo.domdesk"
    copy.write_bytes(demo_file.read_bytes())
    code = (
        "import sys; from pathlib import Path; from dom_desk.ui.app import run; "
        "code = run(['dom-desk'], open_path=Path(sys.argv[1])); "
        "heavy = sorted({m.split('.')[0] for m in sys.modules} "
        "& {'openpyxl', 'reportlab', 'matplotlib'}); "
        "print('heavy:', heavy); sys.exit(code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(copy)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr
    assert "shown: DOM Desk — demo.domdesk" in done.stdout
    assert "heavy: []" in done.stdout


def test_the_window_is_painted_before_the_database_layer_is_imported(demo_file, tmp_path):
    """The first paint (title and the list of areas) comes before SQLAlchemy, the models
    and the domain are imported: they load after it, with the workbook."""
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        DOM_DESK_HOME=str(tmp_path),
        DOM_DESK_EXIT_WHEN_SHOWN="painted",
    )
    copy = tmp_path / "demo.domdesk"
    copy.write_bytes(demo_file.read_bytes())
    code = (
        "import sys; from pathlib import Path; from dom_desk.ui.app import run; "
        "code = run(['dom-desk'], open_path=Path(sys.argv[1])); "
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'sqlalchemy' "
        "or m.startswith(('dom_desk.models', 'dom_desk.domain', 'dom_desk.storage'))); "
        "print('loaded:', loaded[:5]); sys.exit(code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(copy)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr
    from dom_desk.ui.workspace_view import AREA_ORDER

    assert f"painted: DOM Desk — demo.domdesk | {len(AREA_ORDER)} areas" in done.stdout
    assert "loaded: []" in done.stdout


def test_a_window_saved_off_screen_comes_back_on_screen(make_window):
    window = make_window()
    screen = window.screen().availableGeometry()
    window.move(screen.right() + 500, screen.bottom() + 500)
    window.resize(screen.width() * 2, screen.height() * 2)
    state.save_window(window)
    window.close()

    again = make_window()  # restores the saved geometry, then keeps it on screen
    state.restore_window(again)
    frame = again.frameGeometry()
    assert screen.contains(frame.topLeft())
    assert frame.width() <= screen.width() and frame.height() <= screen.height()


def test_the_new_region_dialog_offers_the_ten_regions_only(qtbot) -> None:
    from dom_desk.ui.new_region_dialog import REGIONS, NewRegionDialog

    dialog = NewRegionDialog("2009-10")
    qtbot.addWidget(dialog)
    assert not dialog.region.isEditable()
    assert [dialog.region.itemText(i) for i in range(dialog.region.count())] == list(REGIONS)
    assert len(REGIONS) == 10 and "Wales" in REGIONS
    dialog.region.setCurrentText("Wales")
    dialog.year.setText("2010-11")
    dialog.accept()
    assert dialog.answer() == ("Wales", "2010-11")
    assert dialog.result() == dialog.DialogCode.Accepted
