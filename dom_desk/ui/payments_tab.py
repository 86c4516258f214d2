"""Allocations ▸ Payment by Results: each agreement with a payment-by-results or bonus
rule, its fixed, variable and at-risk money, what its results earn so far in the year
and what is still at risk, with a bar a contract showing earned against still at risk.
Set Rule… and Remove Rule… change a rule as one undo step (``dom-desk payments`` does the
same); every figure is ``domain.payments``'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from dom_desk.domain.allocations import position
from dom_desk.domain.money import format_pounds
from dom_desk.domain.payments import (
    Payment,
    RuleHeld,
    committed_sentence,
    parse_bands,
    payments,
    remove_rule,
    rule_choices,
    rule_held,
    set_rule,
)
from dom_desk.errors import DomDeskError
from dom_desk.ui.attention_charts import BLUE, INK, VERMILION
from dom_desk.ui.messages import messages
from dom_desk.ui.rows_table import RowsModel, fit_columns, rows_table
from dom_desk.ui.undo import push


def _share(p: Payment) -> str:
    return "" if p.paid_share is None else f"{p.paid_share.normalize():f}%"


COLUMNS = (
    ("Provider", lambda p: p.provider, False),
    ("Agreement", lambda p: p.agreement, False),
    ("Rule", lambda p: p.kind.label, False),
    ("At risk", lambda p: format_pounds(p.at_risk), True),
    ("Earned to date", lambda p: format_pounds(p.earned_to_date), True),
    ("Still at risk", lambda p: format_pounds(p.still_at_risk), True),
    ("Paying", _share, True),
    ("Results", lambda p: p.basis, False),
    ("Fixed", lambda p: format_pounds(p.fixed), True),
    ("Variable", lambda p: format_pounds(p.variable), True),
)


def chart_text(found: list[Payment]) -> str:
    if not found:
        return "No agreement has a payment-by-results or bonus rule."
    parts = [
        f"{p.provider}: {format_pounds(p.earned_to_date)} earned, "
        f"{format_pounds(p.still_at_risk)} still at risk"
        for p in found
    ]
    return "Money at risk by agreement: " + "; ".join(parts) + "."


class EarnedChart(QWidget):
    """A bar an agreement: its money at risk split into earned to date (solid) and
    still at risk (hatched), to one scale, each labelled in words."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("payments_chart")
        self.found: list[Payment] = []
        self.setAccessibleName(self.tr("Money at risk: earned and still at risk"))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_payments(self, found: list[Payment]) -> None:
        self.found = found
        text = chart_text(found)
        self.setAccessibleDescription(text)
        self.setToolTip(escape(text))
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        line = self.fontMetrics().height() + 10
        return QSize(480, line * (len(self.found) + 2))

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        metrics = self.fontMetrics()
        line = metrics.height() + 10
        painter.setPen(INK)
        painter.drawText(
            QRectF(4, 0, self.width() - 8, line),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            self.tr("Money at risk this year: earned to date (solid), still at risk (hatched)"),
        )
        if not self.found:
            return
        label_width = min(
            max(metrics.horizontalAdvance(p.provider) for p in self.found) + 12, self.width() // 3
        )
        tail = metrics.horizontalAdvance("£000,000 earned, £0,000,000 at risk") + 12
        room = max(self.width() - label_width - tail, 40)
        largest = max(p.at_risk for p in self.found) or 1
        for n, p in enumerate(self.found):
            y = line * (n + 1)
            painter.setPen(INK)
            name = metrics.elidedText(p.provider, Qt.TextElideMode.ElideRight, label_width - 8)
            painter.drawText(
                QRectF(0, y, label_width - 8, line),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                name,
            )
            earned = room * p.earned_to_date / largest
            left = room * p.still_at_risk / largest
            painter.fillRect(QRectF(label_width, y + 4, earned, line - 8), BLUE)
            rest = QRectF(label_width + earned, y + 4, left, line - 8)
            painter.fillRect(rest, VERMILION)
            painter.fillRect(rest, QBrush(INK, Qt.BrushStyle.BDiagPattern))
            painter.drawText(
                QRectF(label_width + earned + left + 6, y, tail, line),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                f"{format_pounds(p.earned_to_date)} earned, "
                f"{format_pounds(p.still_at_risk)} at risk",
            )


class PaymentsTab(QWidget):
    """The Payment by Results tab of the Allocations area."""

    #: A rule was set or removed: the allocations' line about it reads again.
    changed = Signal()

    def __init__(self, workspace: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("payments_tab")
        self.workspace = workspace
        self.stale = True
        self.found: list[Payment] = []
        self.summary_label = QLabel()
        self.summary_label.setObjectName("payments_summary")
        self.summary_label.setWordWrap(True)
        self.model = RowsModel(COLUMNS)
        self.table = rows_table(self.model, "payments_table")
        self.table.setAccessibleName(self.tr("Payment by results and bonuses"))
        self.chart = EarnedChart()
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.chart)
        self.set_button = QPushButton(self.tr("Set &Rule…"))
        self.set_button.setObjectName("payments_set_rule")
        self.set_button.clicked.connect(lambda: self.ask_rule())
        self.remove_button = QPushButton(self.tr("Remo&ve Rule…"))
        self.remove_button.setObjectName("payments_remove_rule")
        self.remove_button.clicked.connect(lambda: self.ask_remove())
        for button in (self.set_button, self.remove_button):
            button.setEnabled(not workspace.read_only)
        top = QHBoxLayout()
        top.addWidget(self.summary_label, 1)
        top.addWidget(self.set_button)
        top.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)

    def ensure_loaded(self) -> None:
        if self.stale:
            self.reload()

    def reload(self) -> None:
        wb, year = self.workspace.wb, self.workspace.year
        try:
            found = payments(wb, year)
            committed = position(wb, year).committed
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return
        self.stale = False
        self.found = found
        self.model.set_rows(found)
        self.chart.set_payments(found)
        self.summary_label.setText(
            committed_sentence(found, committed)
            or self.tr(
                "No agreement has a payment-by-results or bonus rule yet: set one with "
                "dom-desk payments --agreement WORDS --rule …"
            )
        )
        fit_columns(self.table, 260)

    # -- setting and removing rules (each one undo step) --------------------------------

    def _selected(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= len(self.found):
            return None
        return self.found[index.row()].agreement_id

    def ask_rule(self) -> None:
        from dom_desk.domain.values import Kind, parse_value
        from dom_desk.ui.payment_rule_dialog import PaymentRuleDialog

        wb = self.workspace.wb
        try:
            choices = rule_choices(wb, self.workspace.year)
            held = {p.agreement_id: rule_held(wb, p.agreement_id) for p in self.found}
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return
        dialog = PaymentRuleDialog(choices, held, self._selected(), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            amounts = [
                parse_value(Kind.MONEY, field.text(), name) or 0
                for field, name in (
                    (dialog.fixed, self.tr("Fixed")),
                    (dialog.variable, self.tr("Variable")),
                    (dialog.at_risk, self.tr("At risk")),
                )
            ]
            bands = parse_bands(dialog.bands.text())
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return
        self.set_rule(dialog.agreement.currentData(), dialog.kind.currentData(), *amounts, bands)

    def set_rule(
        self,
        agreement_id: int,
        kind: Any,
        fixed: int,
        variable: int,
        at_risk: int,
        bands: Sequence[tuple[Any, Any]] = (),
    ) -> bool:
        """Sets the agreement's rule as one undo step (undo puts the old one back)."""
        wb = self.workspace.wb
        before = rule_held(wb, agreement_id)
        command = push(
            self.workspace.undo_stack,
            self.tr("set payment rule ({0})").format(kind.label.lower()),
            lambda _first: set_rule(wb, agreement_id, kind, fixed, variable, at_risk, bands),
            lambda _result: _put_back(wb, agreement_id, before),
            self._written,
            self,
        )
        return not command.failed

    def ask_remove(self) -> None:
        agreement_id = self._selected()
        if agreement_id is None:
            messages.info(self, self.tr("Select the rule to remove in the table first."))
            return
        name = next(p.agreement for p in self.found if p.agreement_id == agreement_id)
        if messages.confirm(
            self,
            self.tr("Remove the payment-by-results rule of {0}? Undo puts it back.").format(name),
            self.tr("Remove rule"),
        ):
            self.remove_rule(agreement_id)

    def remove_rule(self, agreement_id: int) -> bool:
        wb = self.workspace.wb
        before = rule_held(wb, agreement_id)
        command = push(
            self.workspace.undo_stack,
            self.tr("remove payment rule"),
            lambda _first: remove_rule(wb, agreement_id),
            lambda _result: _put_back(wb, agreement_id, before),
            self._written,
            self,
        )
        return not command.failed

    def _written(self) -> None:
        self.reload()
        self.changed.emit()


def _put_back(wb: Any, agreement_id: int, held: RuleHeld | None) -> None:
    """An agreement's rule as it was (none, or the one held)."""
    if held is None:
        remove_rule(wb, agreement_id)
    else:
        set_rule(wb, agreement_id, held.kind, held.fixed, held.variable, held.at_risk, held.bands)
