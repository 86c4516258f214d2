"""The returns dialogs driven as a user would: preview, errors marked, import, templates."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from returns_support import current_results, fill, populate, row_of, table_digest

from dom_desk.exports.template_files import make_template
from dom_desk.readers import returns_format as fmt
from dom_desk.ui.returns_import_dialog import ReturnsImportDialog
from dom_desk.ui.returns_models import ErrorRole
from dom_desk.ui.returns_template_dialog import ReturnsTemplateDialog


@pytest.fixture
def region_wb(workbook):
    populate(workbook)
    return workbook


@pytest.fixture
def returns_in(region_wb, tmp_path) -> dict[str, Path]:
    template = make_template(region_wb, "HMP Manchester", "2009-10-Q1", tmp_path / "t.xlsx")

    def good(book):
        sheet = book[fmt.RETURN_SHEET]
        sheet.cell(row_of(sheet, "PT 2"), 5).value = 7.5
        sheet.cell(row_of(sheet, "PT 3"), 5).value = "81%"

    def bad(book):
        sheet = book[fmt.RETURN_SHEET]
        sheet.cell(row_of(sheet, "PT 2"), 5).value = "seven"
        book[fmt.COVER_SHEET]["B4"] = "HMP Kirkham"

    kirkham = make_template(region_wb, "HMP Kirkham", "2009-10-Q1", tmp_path / "k.xlsx")

    def close_name(book):
        book[fmt.COVER_SHEET]["B4"] = "Kirkam"
        sheet = book[fmt.RETURN_SHEET]
        sheet.cell(row_of(sheet, "PT 2"), 5).value = 3

    return {
        "good": fill(template, tmp_path / "good.xlsx", good),
        "bad": fill(template, tmp_path / "bad.xlsx", bad),
        "close": fill(kirkham, tmp_path / "close.xlsx", close_name),
    }


def _dialog(qtbot, wb, paths) -> ReturnsImportDialog:
    dialog = ReturnsImportDialog(wb, paths)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.runner.busy and bool(dialog.previews), timeout=20000)
    return dialog


def test_preview_marks_errors_by_row_and_cell(
    qtbot, qtmodeltester, answers, region_wb, returns_in, tmp_path
) -> None:
    dialog = _dialog(qtbot, region_wb, [returns_in["good"], returns_in["bad"]])
    qtmodeltester.check(dialog.file_model)
    states = {f.name: f.state.label for f in dialog.file_model.files}
    assert states == {"good.xlsx": "Ready to import", "bad.xlsx": "Refused"}
    assert "Nothing has been written yet" in dialog.status_label.text()

    bad_row = next(i for i, f in enumerate(dialog.file_model.files) if f.name == "bad.xlsx")
    dialog.file_view.selectRow(
        dialog.file_view.model().mapFromSource(dialog.file_model.index(bad_row, 0)).row()
    )
    model = dialog.row_model
    qtmodeltester.check(model)
    (row,) = [r for r in range(model.rowCount()) if model.index(r, 1).data() == "PT 2"]
    actual = model.index(row, 4)
    assert actual.data() == "seven"  # shown as typed
    assert actual.data(ErrorRole) is True
    assert "'seven' is not a number" in actual.data(Qt.ItemDataRole.ToolTipRole)
    assert actual.data(Qt.ItemDataRole.ToolTipRole).startswith(f"Error in E{model.rows[row].row}")
    assert model.index(row, 3).data() == "Error"  # said in words, not only by colour
    assert "'seven' is not a number" in model.index(row, 8).data()
    assert "bad.xlsx', Return!E" in dialog.details.toPlainText()
    dialog.grab().save(str(tmp_path / "import-dialog.png"))


def test_import_stores_the_good_file_and_reports(qtbot, answers, region_wb, returns_in) -> None:
    dialog = _dialog(qtbot, region_wb, [returns_in["good"], returns_in["bad"]])
    assert dialog.import_button.isEnabled()
    with qtbot.waitSignal(dialog.imported, timeout=20000) as signal:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert signal.args[0].count(dialog.file_model.files[0].state) >= 1
    assert {k: v[0] for k, v in current_results(region_wb, "HMP Manchester").items()} == {
        "PT 2": 7.5,
        "PT 3": 81,
    }
    (info,) = answers.of("info")
    assert "1 imported (2 figures)" in info.text and "1 refused" in info.text
    assert not dialog.import_button.isEnabled()


def test_a_close_name_is_asked_about_before_importing(
    qtbot, answers, region_wb, returns_in
) -> None:
    dialog = _dialog(qtbot, region_wb, [returns_in["close"]])
    assert dialog.file_model.files[0].state.label == "Provider name to confirm"
    answers.queue("confirm", True)
    with qtbot.waitSignal(dialog.imported, timeout=20000):
        dialog.import_now()
    (question,) = answers.of("confirm")
    assert "'Kirkam'" in question.text and "HMP Kirkham" in question.text
    assert current_results(region_wb, "HMP Kirkham")["PT 2"][0] == 3


def test_a_close_name_refused_by_the_user_is_not_imported(
    qtbot, answers, region_wb, returns_in
) -> None:
    dialog = _dialog(qtbot, region_wb, [returns_in["close"]])
    before = table_digest(region_wb)
    answers.queue("confirm", False)
    dialog.import_now()
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=20000)
    assert answers.of("confirm") and table_digest(region_wb) == before
    assert "1 to confirm" in answers.of("info")[0].text


def test_files_dropped_on_the_dialog_are_added(qtbot, answers, region_wb, returns_in) -> None:
    dialog = _dialog(qtbot, region_wb, [returns_in["good"]])
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(returns_in["bad"]))])
    event = QDropEvent(
        QPointF(QPoint(10, 10)),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    dialog.dropEvent(event)
    qtbot.waitUntil(lambda: not dialog.runner.busy and len(dialog.previews) == 2, timeout=20000)
    assert {f.name for f in dialog.previews} == {"good.xlsx", "bad.xlsx"}


def test_template_dialog_writes_one_file_per_ticked_provider(
    qtbot, answers, region_wb, tmp_path
) -> None:
    out = tmp_path / "templates"
    out.mkdir()
    dialog = ReturnsTemplateDialog(region_wb, "2009-10", out)
    qtbot.addWidget(dialog)
    # The workbook's date is today's, long after 2009-10: its last quarter is suggested.
    assert dialog.period_box.currentText() == "Q4 2009-10"
    dialog.period_box.setCurrentText("Q2 2009-10")
    for row in range(dialog.provider_model.rowCount()):
        item = dialog.provider_model.item(row)
        if item.text() != "HMP Manchester" and item.text() != "Shelter North West":
            item.setCheckState(Qt.CheckState.Unchecked)
    dialog.make()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=20000)
    assert sorted(p.name for p in out.iterdir()) == [
        "Q2 2009-10 HMP Manchester.xlsx",
        "Q2 2009-10 Shelter North West.xlsx",
    ]
    assert "Wrote 2 templates" in answers.of("info")[0].text


def test_files_and_folders_are_added_from_the_buttons(
    qtbot, answers, region_wb, returns_in, tmp_path
) -> None:
    dialog = ReturnsImportDialog(region_wb, [])
    qtbot.addWidget(dialog)
    dialog.show()
    answers.queue("open_paths", [returns_in["good"]])
    qtbot.mouseClick(dialog.add_files_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.runner.busy and len(dialog.previews) == 1, timeout=20000)
    folder = tmp_path / "more"
    folder.mkdir()
    returns_in["bad"].rename(folder / "bad.xlsx")
    answers.queue("choose_folder", folder)
    qtbot.mouseClick(dialog.add_folder_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.runner.busy and len(dialog.previews) == 2, timeout=20000)
    assert {f.name for f in dialog.previews} == {"good.xlsx", "bad.xlsx"}
    assert [p.kind for p in answers.prompts][:2] == ["open_paths", "choose_folder"]
    assert not [p for p in answers.prompts if p.kind == "exception"]


def test_the_template_folder_is_chosen_from_its_button(qtbot, answers, region_wb, tmp_path) -> None:
    dialog = ReturnsTemplateDialog(region_wb, "2009-10", tmp_path)
    qtbot.addWidget(dialog)
    answers.queue("choose_folder", tmp_path / "elsewhere")
    qtbot.mouseClick(dialog.browse_button, Qt.MouseButton.LeftButton)
    assert dialog.folder_edit.text() == str(tmp_path / "elsewhere")
    assert not answers.errors


def test_files_dropped_while_others_are_read_are_read_too(
    qtbot, answers, region_wb, returns_in
) -> None:
    dialog = ReturnsImportDialog(region_wb, [returns_in["good"]])
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.runner.busy
    dialog.add_paths([returns_in["bad"]])  # arrives before the first file is read
    qtbot.waitUntil(lambda: not dialog.runner.busy and len(dialog.previews) == 2, timeout=20000)
    assert {f.name for f in dialog.previews} == {"good.xlsx", "bad.xlsx"}


def test_the_template_dialog_suggests_the_quarter_last_ended(qtbot, answers, demo) -> None:
    """The demo's working date is in November 2009: July to September is the quarter whose
    returns are due."""
    dialog = ReturnsTemplateDialog(demo, "2009-10")
    qtbot.addWidget(dialog)
    assert dialog.period_box.currentText() == "Q2 2009-10"
    assert dialog.period_box.currentData() == "2009-10-Q2"  # the code the batch is given
