"""Allocations ▸ Scenarios ▸ Record Decision…: a decision to move money from one
allocation to another (disinvestment and reinvestment), with its reason, the day it was
taken and the performance action behind it. The domain records it with the draft
scenario that carries it (``domain.resource_decisions``); accepting that scenario in the
same tab moves the money."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from dom_desk.domain.money import format_pounds
from dom_desk.domain.resource_decisions import AllocationChoice


class DecisionDialog(QDialog):
    """From which allocation, to which, how much, when and why."""

    def __init__(
        self,
        choices: list[AllocationChoice],
        actions: list[tuple[int, str]],
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Record a decision to move money"))
        self.setMinimumWidth(640)
        intro = QLabel(
            self.tr(
                "The decision is kept with a draft scenario holding the move; the money "
                "moves when you accept that scenario."
            )
        )
        intro.setWordWrap(True)
        self.source = QComboBox()
        self.source.setAccessibleName(self.tr("Move from"))
        self.target = QComboBox()
        self.target.setAccessibleName(self.tr("Move to"))
        for combo in (self.source, self.target):
            combo.setMinimumContentsLength(40)
            for choice in choices:
                combo.addItem(f"{choice.label} ({format_pounds(choice.committed)})", choice.id)
        self.amount = QLineEdit()
        self.amount.setAccessibleName(self.tr("Amount in pounds"))
        self.amount.setPlaceholderText("£120,000")
        self.decided = QLineEdit(f"{today:%d/%m/%Y}")
        self.decided.setAccessibleName(self.tr("Date decided"))
        self.behind = QComboBox()
        self.behind.setAccessibleName(self.tr("The action behind it"))
        self.behind.addItem(self.tr("None"), None)
        for action_id, text in actions:
            self.behind.addItem(text, action_id)
        self.reason = QPlainTextEdit()
        self.reason.setAccessibleName(self.tr("Reason"))
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        form = QFormLayout(self)
        form.addRow(intro)
        form.addRow(self.tr("&From:"), self.source)
        form.addRow(self.tr("&To:"), self.target)
        form.addRow(self.tr("&Amount (£):"), self.amount)
        form.addRow(self.tr("&Decided on:"), self.decided)
        form.addRow(self.tr("&Behind it:"), self.behind)
        form.addRow(self.tr("&Reason:"), self.reason)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
