"""Small form dialogs: every field named for screen readers, OK runs the dialog's check."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit

from dom_desk.ui.competitions_page import NewCompetitionDialog
from dom_desk.ui.contract_dialogs import OptionDialog
from dom_desk.ui.form_dialog import lay_out_form


def _ok(dialog: QDialog) -> None:
    box = dialog.findChild(QDialogButtonBox)
    box.button(QDialogButtonBox.StandardButton.Ok).click()


def test_fields_are_named_by_their_labels_and_ok_runs_the_check(qtbot: Any) -> None:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    name, amount = QLineEdit(), QLineEdit()
    checked: list[str] = []
    form = lay_out_form(
        dialog,
        (("&Name:", name), ("Amount (&£):", amount)),
        lambda: checked.append(name.text()),
        heading=QLabel("heading"),
    )
    assert isinstance(form, QFormLayout) and form.rowCount() == 3
    assert (name.accessibleName(), amount.accessibleName()) == ("Name", "Amount (£)")
    name.setText("Nacro")
    _ok(dialog)
    assert checked == ["Nacro"]


def test_cancel_closes_without_the_check(qtbot: Any) -> None:
    dialog = OptionDialog("DRR treatment")
    qtbot.addWidget(dialog)
    dialog.show()
    box = dialog.findChild(QDialogButtonBox)
    box.button(QDialogButtonBox.StandardButton.Cancel).click()
    assert dialog.result() == QDialog.DialogCode.Rejected and dialog.result_input is None


def test_the_new_competition_dialog_names_its_fields(qtbot: Any) -> None:
    dialog = NewCompetitionDialog()
    qtbot.addWidget(dialog)
    names = [dialog.subject.accessibleName(), dialog.kind.accessibleName()]
    assert names == ["Subject", "Type"]
    assert dialog.call.accessibleName() == "Call for competition"
