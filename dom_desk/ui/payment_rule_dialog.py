"""Allocations ▸ Payment by Results ▸ Set Rule…: an agreement's price split into fixed,
variable and at-risk money and the rule its results are paid by. The domain checks it
(``payments.set_rule``: the parts add to the annual value, bands in order)."""

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

from dom_desk.domain.kinds import PaymentRuleKind
from dom_desk.domain.money import format_pounds
from dom_desk.domain.payments import RuleChoice, RuleHeld


def _pounds(pence: int) -> str:
    return format_pounds(pence) if pence else ""


class PaymentRuleDialog(QDialog):
    """Which agreement, which rule, the three parts of its price and the bands."""

    def __init__(
        self,
        choices: list[RuleChoice],
        held: dict[int, RuleHeld],
        chosen: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Payment by results rule"))
        self.setMinimumWidth(620)
        self.held = held
        self.agreement = QComboBox()
        self.agreement.setAccessibleName(self.tr("Agreement"))
        self.agreement.setMinimumContentsLength(40)
        for choice in choices:
            self.agreement.addItem(choice.label, choice.agreement_id)
        self.kind = QComboBox()
        self.kind.setAccessibleName(self.tr("Rule"))
        for kind in PaymentRuleKind:
            self.kind.addItem(kind.label, kind)
        self.fixed = QLineEdit()
        self.variable = QLineEdit()
        self.at_risk = QLineEdit()
        for field, name in (
            (self.fixed, self.tr("Fixed (£)")),
            (self.variable, self.tr("Variable (£)")),
            (self.at_risk, self.tr("At risk (£)")),
        ):
            field.setAccessibleName(name)
            field.setPlaceholderText("£0")
        self.bands = QLineEdit()
        self.bands.setAccessibleName(self.tr("Bands"))
        self.bands.setPlaceholderText("50:25, 70:60, 85:100")
        hint = QLabel(
            self.tr(
                "Fixed, variable and at-risk money add up to the agreement's annual value; "
                "a scorecard bonus is paid on top. Bands: from THRESHOLD% of targets met "
                "(or of the score) pay PAID% of the money at risk; none for a "
                "proportional rule."
            )
        )
        hint.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(self.tr("&Agreement:"), self.agreement)
        form.addRow(self.tr("&Rule:"), self.kind)
        form.addRow(self.tr("&Fixed (£):"), self.fixed)
        form.addRow(self.tr("&Variable (£):"), self.variable)
        form.addRow(self.tr("At r&isk (£):"), self.at_risk)
        form.addRow(self.tr("&Bands:"), self.bands)
        form.addRow(hint)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.agreement.currentIndexChanged.connect(lambda _i: self._show_held())
        if chosen is not None and self.agreement.findData(chosen) >= 0:
            self.agreement.setCurrentIndex(self.agreement.findData(chosen))
        self._show_held()

    def _show_held(self) -> None:
        """The chosen agreement's rule as it stands, to change."""
        rule = self.held.get(self.agreement.currentData())
        if rule is None:
            for field in (self.fixed, self.variable, self.at_risk, self.bands):
                field.clear()
            return
        self.kind.setCurrentIndex(self.kind.findData(rule.kind))
        self.fixed.setText(_pounds(rule.fixed))
        self.variable.setText(_pounds(rule.variable))
        self.at_risk.setText(_pounds(rule.at_risk))
        self.bands.setText(", ".join(f"{t.normalize():f}:{p.normalize():f}" for t, p in rule.bands))
