"""Asks for the region and first financial year of a new workbook."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from dom_desk.domain.periods import parse_year
from dom_desk.domain.region import REGIONS
from dom_desk.errors import ValidationError


class NewRegionDialog(QDialog):
    def __init__(self, default_year: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New region workbook"))
        form = QFormLayout(self)
        # One of the ten regions, chosen not typed: a slip ("North EastW") would name
        # the workbook, its plan and every return template.
        self.region = QComboBox()
        self.region.addItems(REGIONS)
        self.region.setAccessibleName(self.tr("Region"))
        form.addRow(self.tr("&Region:"), self.region)
        self.year = QLineEdit(default_year)
        self.year.setAccessibleName(self.tr("First financial year"))
        self.year.setPlaceholderText(self.tr("for example 2009-10"))
        form.addRow(self.tr("First financial &year:"), self.year)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        form.addRow(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def answer(self) -> tuple[str, str]:
        return self.region.currentText().strip(), self.year.text().strip()

    def accept(self) -> None:
        name, year = self.answer()
        if not name:
            self.problem.setText(self.tr("Problem: the region needs a name."))
            self.region.setFocus()
            return
        try:
            parse_year(year)
        except ValidationError as exc:
            self.problem.setText(self.tr("Problem: {0}.").format(exc))
            self.year.setFocus()
            return
        super().accept()
