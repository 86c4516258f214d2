"""The plan dialog's second format: the accessible web page, exported off the GUI thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from dom_desk.plan import plan_history
from dom_desk.ui.plan_dialog import PlanDialog


def test_export_web_page_writes_the_plan_as_html_and_records_it(
    qtbot, demo, answers, tmp_path: Path
) -> None:
    dialog = PlanDialog(demo, year="2009-10")
    qtbot.addWidget(dialog)
    for row in range(dialog.sections.count()):
        key = dialog.sections.item(row).data(Qt.ItemDataRole.UserRole)
        dialog.sections.item(row).setCheckState(
            Qt.CheckState.Checked if key in ("cover", "risks") else Qt.CheckState.Unchecked
        )
    answers.queue("save_path", tmp_path / "plan")  # the .html is added
    answers.queue("confirm", False)  # "Open it now?"
    qtbot.mouseClick(dialog.html_button, Qt.MouseButton.LeftButton)
    assert not dialog.html_button.isEnabled() and not dialog.export_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.last_result is not None, timeout=60000)
    target = tmp_path / "plan.html"
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en-GB">' in page
    assert '<h2 id="s-risks">Risk register</h2>' in page and "s-contacts" not in page
    assert dialog.last_result.version == "0.1" and dialog.last_result.path == target
    assert [(r.version, r.file_name) for r in plan_history(demo, "2009-10")][-1] == (
        "0.1",
        "plan.html",
    )
    assert "as a web page" in answers.prompts[-1].text
    assert dialog.html_button.isEnabled() and answers.errors == []
