"""The main window's Tools and returns commands: check, backups and restore, importing
returns from the menu or by dropping files on the window."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from sqlalchemy import text
from ui_helpers import stored, type_into_cell

from dom_desk.exports.template_files import make_template
from dom_desk.storage import backups
from dom_desk.storage.locking import WorkbookInUse
from dom_desk.ui.returns_import_dialog import ReturnsImportDialog


def _provider_row(window: Any, name: str) -> int:
    page = window.view.pages["providers"]
    page.ensure_loaded()
    at = [c.key for c in page.area.columns].index("name")
    return next(r.id for r in page.model.rows if r.values[at] == name)


def _checked(qtbot: Any, window: Any, answers: Any) -> None:
    """Runs Check Workbook and waits for its answer (it works off the GUI thread)."""
    window.check_action.trigger()
    assert not window.check_action.isEnabled()  # while it runs
    qtbot.waitUntil(lambda: bool(answers.of("info") or answers.errors), timeout=20000)
    assert window.check_action.isEnabled()


def test_check_workbook_says_the_demo_is_sound(qtbot: Any, window: Any, answers: Any) -> None:
    _checked(qtbot, window, answers)
    (info,) = answers.of("info")
    assert "is sound" in info.text and not answers.errors


def test_check_workbook_names_a_figure_that_does_not_agree(
    qtbot: Any, window: Any, answers: Any, demo: Any
) -> None:
    # Another program changes a service line's value behind DOM Desk's back.
    with demo.engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE service_line SET volume = volume + 1 WHERE agreement_id = (SELECT min(id) "
                "FROM agreement WHERE kind = 'SLA' AND status = 'SIGNED') AND unit_price > 0"
            )
        )
    _checked(qtbot, window, answers)
    (error,) = answers.errors
    shown = demo.name if demo.is_server else demo.path.name
    assert f"problem found in '{shown}'" in error
    assert "service lines add up to" in error


@pytest.mark.file_only  # the window's backups: files in the backups folder by the workbook
def test_restore_brings_back_the_backup_and_keeps_the_file_it_replaced(
    qtbot: Any, window: Any, answers: Any, demo: Any
) -> None:
    # Opening the demo took the day's backup; the dialog lists it.
    dialog = window.backups_dialog()
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 1
    assert dialog.model.item(0, 1).text() == "Daily, on opening"

    window.show_area("providers")
    page = window.view.pages["providers"]
    row_id = _provider_row(window, "HMP Kirkham")
    type_into_cell(qtbot, page, row_id, "capacity", "1234")
    assert stored(window.workspace.wb, "providers", row_id, "capacity") == 1234

    demo.close()  # the fixture's own connection: only the window may have it open
    answers.queue("confirm", True)
    dialog.table.selectRow(0)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert not answers.errors
    assert "Restore 'demo.domdesk' to the backup of" in answers.of("confirm")[0].text
    assert stored(window.workspace.wb, "providers", row_id, "capacity") != 1234
    kept = backups.list_backups(demo.path)
    assert [b.reason for b in kept][:2] == ["before-restore", "daily"]

    # The file it replaced can itself be restored: the edit comes back.
    answers.queue("confirm", True)
    assert window.restore_backup(kept[0])
    assert stored(window.workspace.wb, "providers", row_id, "capacity") == 1234


@pytest.mark.file_only  # the window's backups: files in the backups folder by the workbook
def test_restore_asks_first_and_changes_nothing_when_refused(
    qtbot: Any, window: Any, answers: Any, demo: Any
) -> None:
    (daily,) = backups.list_backups(demo.path)
    answers.queue("confirm", False)
    assert not window.restore_backup(daily)
    assert window.workspace is not None and len(backups.list_backups(demo.path)) == 1


@pytest.mark.file_only  # the window's backups: files in the backups folder by the workbook
def test_back_up_now_adds_a_backup(qtbot: Any, window: Any, demo: Any) -> None:
    dialog = window.backups_dialog()
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)
    assert dialog.model.rowCount() == 2
    assert dialog.model.item(0, 1).text() == "Made by hand"


def _drop(window: Any, files: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f)) for f in files])
    event = QDropEvent(
        QPointF(QPoint(20, 20)),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)


def test_returns_dropped_on_the_window_open_the_import_preview(
    qtbot: Any, window: Any, answers: Any, demo: Any, tmp_path: Path
) -> None:
    template = make_template(demo, "HMP Kirkham", "2009-10-Q3", tmp_path / "kirkham.xlsx")
    _drop(window, [template])
    dialog = window.findChild(ReturnsImportDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: not dialog.runner.busy and bool(dialog.previews), timeout=20000)
    assert [p.name for p in dialog.previews] == ["kirkham.xlsx"]
    dialog.reject()


def test_a_workbook_dropped_on_the_window_is_opened(
    qtbot: Any, window: Any, answers: Any, tmp_path: Path
) -> None:
    from dom_desk.domain.region import create_region_workbook

    other = tmp_path / "Wales.domdesk"
    create_region_workbook(other, "Wales", "2009-10").close()
    _drop(window, [other])
    assert window.workspace.path == other and not answers.errors


def test_returns_cannot_be_imported_into_a_read_only_workbook(
    make_window: Any, demo: Any, answers: Any
) -> None:
    win = make_window()
    assert win.open_location(demo.location, read_only=True)
    assert not win.import_returns_action.isEnabled()
    win.import_returns()
    (error,) = answers.errors
    assert "read-only" in error


@pytest.mark.file_only  # a file moved while open
def test_a_workbook_moved_while_open_is_rescued_by_a_copy_elsewhere(
    qtbot: Any, window: Any, answers: Any, demo: Any, tmp_path: Path
) -> None:
    from dom_desk.storage.workbook import open_workbook

    window.show_area("providers")
    page = window.view.pages["providers"]
    row_id = _provider_row(window, "HMP Kirkham")
    type_into_cell(qtbot, page, row_id, "capacity", "1234")
    # The drive goes away (here: the file is moved) with the workbook open.
    demo.path.rename(tmp_path / "moved.domdesk")
    answers.queue("confirm", True)
    rescued = tmp_path / "rescued.domdesk"
    answers.queue("save_path", rescued)
    type_into_cell(qtbot, page, row_id, "capacity", "999")
    (error,) = answers.errors
    assert "was moved, deleted or its drive is no longer available" in error
    qtbot.waitUntil(lambda: rescued.exists(), timeout=5000)
    (offer,) = answers.of("confirm")
    assert "Save a copy of the workbook somewhere else now" in offer.text
    copy = open_workbook(rescued, read_only=True)
    try:
        assert stored(copy, "providers", row_id, "capacity") == 1234
    finally:
        copy.close()
    assert window.workspace is not None  # the window stays usable


@pytest.fixture
def locked_elsewhere(workbook: Any) -> Path:
    """A closed workbook whose lock says another computer has it open for editing."""
    from dom_desk.storage.locking import lock_path

    workbook.close()
    lock_path(workbook.path).write_text(
        '{"user": "deputy.dom", "host": "laptop-7", "pid": 1, "since": "2009-11-02T09:30:00"}'
    )
    return workbook.path


@pytest.mark.file_only  # the editing lock beside the file
def test_a_workbook_locked_on_another_computer_opens_read_only(
    make_window: Any, locked_elsewhere: Path, answers: Any
) -> None:
    path = locked_elsewhere
    win = make_window()
    answers.queue("choose", 0)
    assert win.open_file(path)
    (question,) = answers.of("choose")
    assert "deputy.dom on laptop-7" in question.text
    assert question.extra["choices"] == ["Open Read-Only", "Take Over Editing…"]
    assert win.workspace.read_only


@pytest.mark.file_only  # the editing lock beside the file
def test_editing_is_taken_over_from_a_computer_that_crashed(
    make_window: Any, locked_elsewhere: Path, answers: Any
) -> None:
    import os

    from dom_desk.storage.locking import owner

    path = locked_elsewhere
    win = make_window()
    answers.queue("choose", 1)
    answers.queue("confirm", True)
    assert win.open_file(path)
    assert "no longer has 'region.domdesk' open" in answers.of("confirm")[0].text
    assert not win.workspace.read_only
    assert owner(path).pid == os.getpid()


@pytest.mark.file_only  # the editing lock beside the file
def test_taking_over_is_not_done_without_the_second_yes(
    make_window: Any, locked_elsewhere: Path, answers: Any
) -> None:
    from dom_desk.storage.locking import owner

    path = locked_elsewhere
    win = make_window()
    answers.queue("choose", 1)
    answers.queue("confirm", False)
    assert not win.open_file(path)
    assert owner(path).host == "laptop-7" and win.workspace is None


@pytest.mark.file_only  # the editing lock beside the file
def test_a_lock_held_on_this_computer_cannot_be_taken_over(
    make_window: Any, workbook: Any, answers: Any
) -> None:
    import subprocess
    import sys

    from dom_desk.storage.locking import take_over

    path = workbook.path
    workbook.close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; "
            "from dom_desk.storage.workbook import open_document; "
            "wb = open_document(Path(sys.argv[1]));"
            " print('open', flush=True); time.sleep(60)",
            str(path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        win = make_window()
        answers.queue("choose", 0)
        assert win.open_file(path) and win.workspace.read_only
        assert answers.of("choose")[0].extra["choices"] == ["Open Read-Only"]
        with pytest.raises(WorkbookInUse):
            take_over(path)
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.file_only  # a damaged file
def test_a_damaged_workbook_is_offered_its_newest_backup(
    make_window: Any, workbook: Any, answers: Any
) -> None:
    from dom_desk.domain.tables import load_rows

    path = workbook.path
    with workbook.session() as session:
        from dom_desk.models import Provider, ProviderKind, Sector

        session.add(Provider(name="Nacro", kind=ProviderKind.VCS, sector=Sector.THIRD))
    workbook.close()
    backups.make_backup(path, "manual")
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])  # cut short

    win = make_window()
    answers.queue("confirm", True)
    assert win.open_file(path)
    (offer,) = answers.of("confirm")
    assert "is damaged" in offer.text and "Restore its newest backup" in offer.text
    assert offer.text.count("newest backup") == 1  # the window's offer, not the CLI's advice too
    assert [r.values[0] for r in load_rows(win.workspace.wb, "providers")] == ["Nacro"]
    assert not answers.errors


@pytest.mark.file_only  # a damaged file
def test_a_damaged_workbook_without_backups_is_refused_in_words(
    make_window: Any, workbook: Any, answers: Any
) -> None:
    path = workbook.path
    workbook.close()
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    win = make_window()
    assert not win.open_file(path)
    (error,) = answers.errors
    assert "is damaged" in error and "no backup" in error


def test_edit_menu_new_and_delete_record_follow_the_area(
    qtbot: Any, window: Any, answers: Any
) -> None:
    window.show_area("overview")
    window._enable_record_actions()
    assert not window.new_record_action.isEnabled()  # nothing to add on the Overview
    window.show_area("providers")
    assert window.new_record_action.isEnabled() and window.delete_record_action.isEnabled()
    window.new_record_action.trigger()
    page = window.view.pages["providers"]
    assert page.new_dialog is not None and page.new_dialog.isVisible()
    page.new_dialog.reject()


def test_no_records_are_added_to_a_read_only_workbook_from_the_menu(
    make_window: Any, demo: Any, answers: Any
) -> None:
    win = make_window()
    assert win.open_location(demo.location, read_only=True)
    win.show_area("providers")
    assert not win.new_record_action.isEnabled()
    assert not win.delete_record_action.isEnabled()


def test_help_lists_the_keyboard_shortcuts(qtbot: Any, window: Any, answers: Any) -> None:
    from dom_desk.ui.shortcuts_dialog import ShortcutsDialog

    dialog = ShortcutsDialog(window)  # what Help ▸ Keyboard Shortcuts shows
    qtbot.addWidget(dialog)
    keys = {line.command: line.keys for line in dialog.lines}
    assert keys["Import Provider Returns"] == "Ctrl+I"
    assert keys["Milestones"] == "Ctrl+0"
    assert "Ctrl+Shift+Z" in keys["Redo"]  # redo, beside any other key for it
    assert keys["Fill down from the top selected cell"] == "Ctrl+D"


def _shown_modal(qtbot: Any, trigger: Any) -> Any:
    """Triggers an action that opens a modal dialog; returns the dialog seen, closed."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    seen: list[Any] = []

    def look_and_close() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(50, look_and_close)
            return
        seen.append((dialog.windowTitle(), dialog.model.rowCount()))
        dialog.reject()

    QTimer.singleShot(50, look_and_close)
    trigger()
    assert seen, "no dialog was shown"
    return seen[0]


def test_tools_show_the_audit_trail_and_a_records_history(
    qtbot: Any, window: Any, answers: Any
) -> None:
    window.show_area("providers")
    page = window.view.pages["providers"]
    row_id = _provider_row(window, "HMP Kirkham")
    type_into_cell(qtbot, page, row_id, "capacity", "1234")
    page.select_id(row_id)

    title, rows = _shown_modal(qtbot, window.history_action.trigger)
    assert "HMP Kirkham" in title and rows >= 1
    _title, everything = _shown_modal(qtbot, window.audit_action.trigger)
    assert everything > rows and not answers.errors


def test_history_asks_for_a_record_on_a_page_without_one(window: Any, answers: Any) -> None:
    window.show_area("overview")
    window.history_action.trigger()
    assert "Select a record" in window.statusBar().currentMessage()


@pytest.mark.file_only  # restoring a file over itself
def test_a_workbook_open_in_this_process_is_not_restored_under_it(workbook: Any) -> None:
    """Its engine would go on writing to the replaced file: the restore is refused."""
    from dom_desk.errors import WorkbookError
    from dom_desk.storage.workbook import open_document

    path = workbook.path
    workbook.close()
    backup = backups.make_backup(path, "manual")
    wb = open_document(path)  # as the window opens it: for editing
    try:
        with pytest.raises(WorkbookError, match="Close 'region.domdesk' in DOM Desk"):
            backups.restore(path, backup)
    finally:
        wb.close()
    backups.restore(path, backup)  # once closed, it is restored
