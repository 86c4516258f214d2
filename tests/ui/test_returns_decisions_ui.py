"""Finishing a refused return in the import preview, as a user would: a refused figure
corrected by double-clicking it (a bad correction stays refused), a row left out with
"Leave this row out", the preview saying so, then the import storing it and saying so."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from returns_support import current_results, fill, populate, row_of, table_digest

from dom_desk.domain.returns_decisions import adjustments_of
from dom_desk.exports.template_files import make_template
from dom_desk.readers import returns_format as fmt
from dom_desk.ui.returns_import_dialog import ReturnsImportDialog
from dom_desk.ui.returns_models import ErrorRole, RowPreviewModel

TIP = Qt.ItemDataRole.ToolTipRole


@pytest.fixture
def region_wb(workbook):
    populate(workbook)
    return workbook


@pytest.fixture
def bad_return(region_wb, tmp_path) -> Path:
    template = make_template(region_wb, "HMP Manchester", "2009-10-Q1", tmp_path / "t.xlsx")

    def edit(book):
        sheet = book[fmt.RETURN_SHEET]
        sheet.cell(row_of(sheet, "PT 2"), 5).value = "seven"
        sheet.cell(row_of(sheet, "PT 3"), 5).value = "81%"
        sheet.cell(row_of(sheet, "PT 6"), 5).value = -3

    return fill(template, tmp_path / "mcr.xlsx", edit)


def _settled(qtbot, dialog) -> None:
    qtbot.waitUntil(lambda: not dialog.runner.busy and bool(dialog.previews), timeout=20000)


def _index(dialog, code: str, column: int):
    """The view's index of a row's cell, found by the row's code."""
    model = dialog.row_model
    (row,) = [r for r in range(model.rowCount()) if model.index(r, 1).data() == code]
    return dialog.row_view.model().mapFromSource(model.index(row, column))


def _type_over(qtbot, dialog, code: str, text: str) -> None:
    """Double-clicks the row's Actual, types ``text`` and presses Enter."""
    view = dialog.row_view
    index = _index(dialog, code, RowPreviewModel.ACTUAL)
    view.scrollTo(index)
    centre = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    editor = view.viewport().findChild(QLineEdit)
    assert editor is not None and editor.isVisible()
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    _read_again(qtbot, dialog, lambda: qtbot.keyClick(editor, Qt.Key.Key_Return))


def _read_again(qtbot, dialog, action) -> None:
    """Does ``action`` and waits until the files have been read again with it."""
    shown = dialog.previews
    action()
    qtbot.waitUntil(lambda: dialog.previews is not shown and not dialog.runner.busy, timeout=20000)


def _cell(dialog, code: str, column: int):
    return dialog.row_view.model().mapToSource(_index(dialog, code, column))


def test_a_refused_return_is_corrected_part_left_out_and_imported(
    qtbot, qtmodeltester, answers, region_wb, bad_return, tmp_path
) -> None:
    dialog = ReturnsImportDialog(region_wb, [bad_return])
    qtbot.addWidget(dialog)
    dialog.resize(1366, 700)
    dialog.show()
    _settled(qtbot, dialog)
    (preview,) = dialog.previews
    assert preview.state.label == "Refused" and not dialog.import_button.isEnabled()
    assert "Double-click a refused figure" in dialog.decisions_label.text()
    assert "to import mcr.xlsx too, correct its refused figures" in dialog.status_label.text()
    before = table_digest(region_wb)

    # A correction that is still not a number stays refused, with its sentence.
    _type_over(qtbot, dialog, "PT 2", "sevn")
    actual = _cell(dialog, "PT 2", RowPreviewModel.ACTUAL)
    assert actual.data() == "sevn" and actual.data(ErrorRole) is True
    assert "Still refused: 'sevn' is not a number" in actual.data(TIP)
    assert dialog.previews[0].state.label == "Refused"
    assert not dialog.import_button.isEnabled()

    # Corrected again, to a figure: the row is ready, and says it was corrected.
    _type_over(qtbot, dialog, "PT 2", "7.5")
    actual = _cell(dialog, "PT 2", RowPreviewModel.ACTUAL)
    assert actual.data() == "7.50%" and actual.data(ErrorRole) is False
    assert "the file has 'seven'" in actual.data(TIP)
    assert _cell(dialog, "PT 2", RowPreviewModel.STATUS).data() == "Corrected"
    assert dialog.previews[0].state.label == "Refused"  # PT 6 is still negative

    # PT 6 left out: the file can be imported now.
    view = dialog.row_view
    view.setCurrentIndex(_index(dialog, "PT 6", RowPreviewModel.STATUS))
    assert dialog.leave_out_box.isEnabled() and not dialog.leave_out_box.isChecked()
    _read_again(
        qtbot, dialog, lambda: qtbot.mouseClick(dialog.leave_out_box, Qt.MouseButton.LeftButton)
    )
    assert _cell(dialog, "PT 6", RowPreviewModel.STATUS).data() == "Left out"
    assert dialog.leave_out_box.isChecked()  # the same row is chosen again
    assert dialog.previews[0].state.label == "Ready to import"
    assert dialog.import_button.isEnabled()
    assert "1 ready" in dialog.status_label.text()
    assert "1 correction, 1 row left out" in dialog.status_label.text()
    assert "Import takes the ready files only" not in dialog.status_label.text()
    assert dialog.decisions_label.text() == "This file: 1 correction, 1 row left out."
    details = dialog.details.toPlainText()
    assert "Actual 'seven' corrected to '7.5'" in details
    assert "left out in the preview; it was refused: PT 6 Actual cannot be negative" in details
    qtmodeltester.check(dialog.row_model)
    dialog.grab().save(str(tmp_path / "decisions.png"))
    assert table_digest(region_wb) == before  # nothing written yet

    with qtbot.waitSignal(dialog.imported, timeout=20000) as signal:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    (info,) = answers.of("info")
    assert "1 imported (2 figures); 1 correction, 1 row left out." in info.text
    assert {k: v[0] for k, v in current_results(region_wb, "HMP Manchester").items()} == {
        "PT 2": Decimal("7.5"),
        "PT 3": Decimal("81"),
    }
    (done,) = signal.args[0].files
    kinds = [(a.cell[0], a.left_out) for a in adjustments_of(region_wb, done.submission_id)]
    assert kinds == [("E", False), ("A", True)]
    assert not dialog.leave_out_box.isEnabled()
    assert not (
        dialog.row_model.flags(_cell(dialog, "PT 3", RowPreviewModel.ACTUAL))
        & Qt.ItemFlag.ItemIsEditable
    )


def test_unticking_a_row_left_out_takes_it_back(qtbot, answers, region_wb, bad_return) -> None:
    dialog = ReturnsImportDialog(region_wb, [bad_return])
    qtbot.addWidget(dialog)
    dialog.show()
    _settled(qtbot, dialog)
    dialog.row_view.setCurrentIndex(_index(dialog, "PT 3", RowPreviewModel.STATUS))
    _read_again(qtbot, dialog, dialog.leave_out_box.click)
    assert dialog.previews[0].rows_left_out == 1
    assert _cell(dialog, "PT 3", RowPreviewModel.STATUS).data() == "Left out"
    _read_again(qtbot, dialog, dialog.leave_out_box.click)
    assert dialog.previews[0].rows_left_out == 0 and not dialog.decisions
    assert _cell(dialog, "PT 3", RowPreviewModel.STATUS).data() == "Ready"
