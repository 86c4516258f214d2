"""The plan dialog: choose and order sections, edit their text, export off the GUI thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from dom_desk.plan import load_template
from dom_desk.ui.plan_dialog import PlanDialog


def _row_of(dialog: PlanDialog, key: str) -> int:
    return next(
        r
        for r in range(dialog.sections.count())
        if dialog.sections.item(r).data(Qt.ItemDataRole.UserRole) == key
    )


def test_sections_are_chosen_ordered_edited_and_saved_undoably(qtbot, demo, answers) -> None:
    stack = QUndoStack()
    dialog = PlanDialog(demo, stack, year="2009-10")
    qtbot.addWidget(dialog)
    before = load_template(demo, "2009-10")
    template = load_template(demo)

    dialog.sections.setCurrentRow(_row_of(dialog, "risks"))
    qtbot.keyClick(dialog.sections, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    dialog.sections.item(_row_of(dialog, "glossary")).setCheckState(Qt.CheckState.Unchecked)
    dialog.sections.setCurrentRow(_row_of(dialog, "foreword"))
    dialog.body.setPlainText("Our **first** plan & <more>.")
    dialog.title.setText("A word from the Director")
    dialog.sections.setCurrentRow(0)  # leaving the section keeps what was typed
    assert dialog.save()

    saved = load_template(demo, "2009-10")
    keys = [s.key for s in saved]
    assert keys.index("risks") == [s.key for s in before].index("risks") - 1
    foreword = next(s for s in saved if s.key == "foreword")
    assert (foreword.title, foreword.body) == (
        "A word from the Director",
        "Our **first** plan & <more>.",
    )
    assert not next(s for s in saved if s.key == "glossary").included
    # The year's own text changed; the region's template did not.
    assert load_template(demo) == template

    stack.undo()
    assert load_template(demo, "2009-10") == before
    stack.redo()
    assert load_template(demo, "2009-10") == saved
    assert answers.errors == []


def _foreword(wb, year: str) -> str:
    return next(s.body for s in load_template(wb, year) if s.key == "foreword")


def test_each_year_shows_and_saves_its_own_text(qtbot, demo, answers) -> None:
    """Changing the year shows that year's text; leaving a year with unsaved edits asks,
    and saves them for the year they were typed in."""
    from dom_desk.domain.region import choose_year

    stack = QUndoStack()
    dialog = PlanDialog(demo, stack, year="2008-09")
    qtbot.addWidget(dialog)
    dialog.sections.setCurrentRow(_row_of(dialog, "foreword"))
    assert "in 2008-09" in dialog.body.toPlainText()
    assert "2008-09" in dialog.source.text() and "of its own" in dialog.source.text()
    later = _foreword(demo, "2009-10")

    dialog.body.setPlainText("The 2008-09 foreword, rewritten.")
    answers.queue("confirm", True)  # "Save the changes to the 2008-09 plan?"
    dialog.year.setCurrentText("2009-10")
    assert "2008-09" in answers.of("confirm")[-1].text
    assert _foreword(demo, "2008-09") == "The 2008-09 foreword, rewritten."
    assert _foreword(demo, "2009-10") == later  # the other year's text is left alone
    dialog.sections.setCurrentRow(_row_of(dialog, "foreword"))
    assert dialog.body.toPlainText() == later

    # A year with no text of its own shows the template; its first save copies it.
    from dom_desk.domain.region import ensure_year

    with demo.session() as session:
        ensure_year(session, "2010-11")
    choose_year(demo, "2010-11")
    fresh = PlanDialog(demo, stack)
    qtbot.addWidget(fresh)
    assert fresh.year.currentText() == "2010-11" and "no plan text" in fresh.source.text()
    fresh.sections.setCurrentRow(_row_of(fresh, "contacts"))
    fresh.body.setPlainText("Write to the 2010-11 team.")
    assert fresh.save()
    texts = {s.key: s.body for s in load_template(demo, "2010-11")}
    assert texts["contacts"] == "Write to the 2010-11 team."
    assert texts["need_demand"] == {s.key: s.body for s in load_template(demo)}["need_demand"]
    stack.undo()  # back to following the template
    assert load_template(demo, "2010-11") == load_template(demo)
    assert answers.errors == []


def test_export_runs_off_the_gui_thread_with_progress(
    qtbot, demo, answers, tmp_path: Path, monkeypatch
) -> None:
    import threading

    import dom_desk.plan as plan

    threads: list[threading.Thread] = []
    real = plan.export_plan

    def export_noting_the_thread(*args, **kwargs):
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(plan, "export_plan", export_noting_the_thread)
    dialog = PlanDialog(demo)
    qtbot.addWidget(dialog)
    for row in range(dialog.sections.count()):
        key = dialog.sections.item(row).data(Qt.ItemDataRole.UserRole)
        dialog.sections.item(row).setCheckState(
            Qt.CheckState.Checked
            if key in ("cover", "contents", "risks")
            else Qt.CheckState.Unchecked
        )
    seen: list[int] = []
    dialog.bar.valueChanged.connect(seen.append)
    target = tmp_path / "plan"  # the .pdf is added
    answers.queue("save_path", target)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    target = tmp_path / "plan.pdf"
    assert not dialog.bar.isHidden() and not dialog.export_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.last_result is not None, timeout=60000)
    assert target.exists() and dialog.last_result.version == "0.1"
    assert threads and threads[0] is not threading.main_thread()
    assert seen and max(seen) == 1000
    assert dialog.export_button.isEnabled() and dialog.bar.isHidden()
    assert "0.2 (draft)" in dialog.version.text()
    assert answers.errors == []


def test_a_cancelled_export_writes_nothing(qtbot, demo, answers, tmp_path: Path) -> None:
    dialog = PlanDialog(demo)
    qtbot.addWidget(dialog)
    target = tmp_path / "plan.pdf"
    dialog._cancel.set()  # as if Cancel were pressed before the first step
    dialog._cancel.clear = lambda: None  # keep it pressed when the export starts
    dialog.export_to(target)
    qtbot.waitUntil(lambda: dialog.export_button.isEnabled(), timeout=60000)
    assert not target.exists()
    assert any("cancelled" in e for e in answers.errors)


def test_read_only_workbook_offers_drafts_only(qtbot, demo_file, answers, tmp_path: Path) -> None:
    from dom_desk.storage.workbook import open_workbook

    wb = open_workbook(demo_file, read_only=True)
    try:
        dialog = PlanDialog(wb, year="2009-10")
        qtbot.addWidget(dialog)
        assert not dialog.save_button.isEnabled() and not dialog.final.isEnabled()
        assert dialog.year.currentText() == "2009-10"
        dialog.close()
    finally:
        wb.close()


def test_the_window_opens_the_plan_from_the_file_menu(qtbot, window, answers) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    assert window.plan_action.isEnabled()
    seen: list[PlanDialog] = []

    def look_and_close() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, PlanDialog):
            seen.append(dialog)
            dialog.reject()

    QTimer.singleShot(200, look_and_close)
    window.plan_action.trigger()  # modal: returns once the dialog is closed
    assert seen and seen[0].year.currentText() == window.workspace.year
    assert answers.errors == []
