"""Allocations ▸ Payment by Results: each agreement with a payment-by-results or bonus
rule, its fixed, variable and at-risk money, what its results earn so far in the year
and what is still at risk, with a bar a contract showing earned against still at risk.
Read-only: rules are set with ``dom-desk payments``; every figure is ``domain.payments``'s.
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QSplitter, QVBoxLayout, QWidget

from dom_desk.domain.allocations import position
from dom_desk.domain.money import format_pounds
from dom_desk.domain.payments import Payment, committed_sentence, payments
from dom_desk.errors import DomDeskError
from dom_desk.ui.attention_charts import BLUE, INK, VERMILION
from dom_desk.ui.messages import messages
from dom_desk.ui.rows_table import RowsModel, fit_columns, rows_table


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
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
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
