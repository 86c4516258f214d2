"""Asks for the uprating of a roll forward into the next year."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from dom_desk.domain.values import Kind, parse_value


class RollForwardDialog(QDialog):
    """Asks by how much next year's baselines are uprated."""

    def __init__(self, from_year: str, to_year: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Roll {0} forward").format(from_year))
        self.percent = QLineEdit("0")
        self.percent.setAccessibleName(self.tr("Uprating in per cent"))
        form = QFormLayout(self)
        form.addRow(
            QLabel(
                self.tr(
                    "{0} baselines will be made from the {1} agreed figures (provisional where not "
                    "yet agreed), uprated by:"
                ).format(to_year, from_year)
            )
        )
        form.addRow(self.tr("&Uprating (%):"), self.percent)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def value(self) -> Decimal:
        return parse_value(Kind.PERCENT, self.percent.text() or "0", self.tr("Uprating"))
