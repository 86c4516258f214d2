"""The questions the scenarios tab asks: a new scenario's name, and a move of money
between two allocations."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QWidget


class NameDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New scenario"))
        self.name = QLineEdit()
        self.name.setAccessibleName(self.tr("Scenario name"))
        form = QFormLayout(self)
        form.addRow(self.tr("&Name:"), self.name)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class MoveMoneyDialog(QDialog):
    """From which allocation, to which, and how much."""

    def __init__(self, choices: list[tuple[int, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Move money"))
        self.source = QComboBox()
        self.source.setAccessibleName(self.tr("Move from"))
        self.target = QComboBox()
        self.target.setAccessibleName(self.tr("Move to"))
        for combo in (self.source, self.target):
            for allocation_id, label in choices:
                combo.addItem(label, allocation_id)
        self.amount = QLineEdit()
        self.amount.setAccessibleName(self.tr("Amount in pounds"))
        form = QFormLayout(self)
        form.addRow(self.tr("&From:"), self.source)
        form.addRow(self.tr("&To:"), self.target)
        form.addRow(self.tr("&Amount (£):"), self.amount)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
