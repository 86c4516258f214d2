"""The Overview's two small charts, painted with QPainter: committed against the envelope
by provider kind, and targets met / near / missed by month.

QPainter rather than matplotlib: the Overview is the first screen, and matplotlib's
import (about half a second) would sit on the start-up path. The figures and the words
are the domain's (``overview.kind_bars``, ``month_bars`` and their ``*_chart_text``):
each chart's accessible description is that text, its tooltip the table of figures,
and every bar is labelled in words, so nothing is read from colour alone. The colours
are from the Okabe-Ito set, distinct for the common colour-vision deficiencies, and the
missed and near segments are also patterned.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from dom_desk.domain.money import format_pounds
from dom_desk.domain.overview import (
    KindBar,
    MonthBar,
    MonthsOfYear,
    Overview,
    kind_bars,
    kind_chart_text,
    month_bars,
    month_chart_text,
)

#: Okabe-Ito colours (distinct for deuteranopia, protanopia and tritanopia).
BLUE = QColor("#0072B2")
SKY = QColor("#56B4E9")
YELLOW = QColor("#F0E442")
VERMILION = QColor("#D55E00")
INK = QColor("#1a1a1a")
GRID = QColor("#9a9a9a")

MET_COLOUR, NEAR_COLOUR, MISSED_COLOUR = BLUE, YELLOW, VERMILION


def short_pounds(pence: int) -> str:
    """A chart label's money: £275.2m, £850k, £900 (the tooltip has it exact)."""
    pounds = pence / 100
    sign = "-" if pounds < 0 else ""
    pounds = abs(pounds)
    if pounds >= 1_000_000:
        return f"{sign}£{pounds / 1_000_000:,.1f}m"
    if pounds >= 10_000:
        return f"{sign}£{pounds / 1_000:,.0f}k"
    return f"{sign}£{pounds:,.0f}"


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], caption: str) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    return f"<p><b>{escape(caption)}</b></p><table cellpadding='2'><tr>{head}</tr>{body}</table>"


class _Chart(QWidget):
    """A small chart: named for assistive technology, described in words, with its
    figures in the tooltip."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # reachable, so its text is read
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.text = ""

    def _describe(self, text: str, table: str) -> None:
        self.text = text
        self.setAccessibleDescription(text)
        self.setToolTip(table)
        self.update()


class KindChart(_Chart):
    """Committed against the envelope by provider kind: a bar per kind, the total below
    it, and the envelope as a dashed line across them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Committed against the envelope by provider kind", parent)
        self.setObjectName("kind_chart")
        self.bars: tuple[KindBar, ...] = ()
        self.envelope = 0

    def show_figures(self, figures: Overview) -> None:
        self.bars = kind_bars(figures)
        self.envelope = figures.envelope
        rows = [
            (b.label, format_pounds(b.committed) or "£0", f"{b.share}%" if b.share else "")
            for b in self.bars
        ]
        if figures.envelope > 0:
            rows.append(("Envelope", format_pounds(figures.envelope), "100.0%"))
        self._describe(
            kind_chart_text(figures),
            _table(
                ("Provider kind", "Committed", "Share of envelope"),
                rows,
                f"Committed in {figures.year} by provider kind",
            ),
        )
        self.setFixedHeight(self._row_height() * (len(self.bars) + 1) + 8)

    def _row_height(self) -> int:
        return self.fontMetrics().height() + 6

    def sizeHint(self) -> QSize:
        return QSize(420, self._row_height() * (max(len(self.bars), 3) + 1) + 8)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        row = self._row_height()
        if not self.bars:
            painter.setPen(self.palette().text().color())
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.text)
            return
        label_width = min(
            max(metrics.horizontalAdvance(b.label) for b in self.bars) + 8, self.width() // 3
        )
        values = [self._value_text(b) for b in self.bars]
        value_width = max(metrics.horizontalAdvance(v) for v in values) + 8
        left, right = label_width, self.width() - value_width
        scale = max([self.envelope, *(b.committed for b in self.bars), 1])
        span = max(right - left, 10)
        text_colour = self.palette().text().color()
        top = row  # the first row holds the envelope's label
        for index, bar in enumerate(self.bars):
            y = top + index * row
            total = index == len(self.bars) - 1
            painter.setPen(text_colour)
            font = painter.font()
            font.setBold(total)
            painter.setFont(font)
            label = metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, label_width - 8)
            painter.drawText(
                QRectF(0, y, label_width - 6, row),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                label,
            )
            width = span * max(bar.committed, 0) / scale
            colour = self._total_colour() if total else SKY
            painter.setPen(QPen(INK, 0.8))
            painter.setBrush(QBrush(colour))
            painter.drawRect(QRectF(left, y + 3, width, row - 6))
            if total and self.envelope and bar.committed > self.envelope:
                painter.setBrush(QBrush(INK, Qt.BrushStyle.BDiagPattern))
                over = span * (bar.committed - self.envelope) / scale
                painter.drawRect(QRectF(left + width - over, y + 3, over, row - 6))
            painter.setPen(text_colour)
            painter.drawText(
                QRectF(left + width + 4, y, value_width + span - width, row),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                values[index],
            )
            font.setBold(False)
            painter.setFont(font)
        if self.envelope > 0:
            x = left + span * self.envelope / scale
            painter.setPen(QPen(INK, 1.5, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(x, top - 2), QPointF(x, top + len(self.bars) * row))
            painter.setPen(text_colour)
            words = f"Envelope {short_pounds(self.envelope)}"
            text_width = metrics.horizontalAdvance(words)
            painter.drawText(
                QRectF(max(left, x - text_width), 0, text_width + 2, row),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                words,
            )

    def _value_text(self, bar: KindBar) -> str:
        share = f" · {bar.share}%" if bar.share is not None else ""
        return f"{short_pounds(bar.committed)}{share}"

    def _total_colour(self) -> QColor:
        total = self.bars[-1].committed
        if self.envelope and total > self.envelope:
            return VERMILION
        return BLUE


class MonthChart(_Chart):
    """Targets met, near and missed by month: a stacked bar per month (missed at the
    foot, where it is read first), the missed count written over each bar."""

    SEGMENTS = (
        ("Missed", MISSED_COLOUR, Qt.BrushStyle.BDiagPattern),
        ("Near", NEAR_COLOUR, Qt.BrushStyle.Dense6Pattern),
        ("Met", MET_COLOUR, None),
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Targets met, near and missed by month", parent)
        self.setObjectName("month_chart")
        self.bars: tuple[MonthBar, ...] = ()
        self.setFixedHeight(self.fontMetrics().height() * 12)

    def show_months(self, months: MonthsOfYear) -> None:
        self.bars = month_bars(months)
        rows = [(b.label, str(b.met), str(b.near), str(b.missed)) for b in self.bars]
        self._describe(
            month_chart_text(months),
            _table(("Month", "Met", "Near", "Missed"), rows, "Targets by month"),
        )

    def sizeHint(self) -> QSize:
        return QSize(420, self.fontMetrics().height() * 12)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        line = metrics.height()
        text_colour = self.palette().text().color()
        if not self.bars:
            painter.setPen(text_colour)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.text)
            return
        # The legend on the first line: a swatch and the word for each segment.
        x = 0.0
        for word, colour, pattern in reversed(self.SEGMENTS):
            self._swatch(painter, QRectF(x, 3, line - 4, line - 4), colour, pattern)
            x += line
            painter.setPen(text_colour)
            painter.drawText(QPointF(x, line - 2), word)
            x += metrics.horizontalAdvance(word) + line
        top, bottom = 3.2 * line, self.height() - 1.3 * line
        scale = max(max(b.total for b in self.bars), 1)
        slot = self.width() / len(self.bars)
        width = min(slot * 0.6, 4 * line)
        for index, bar in enumerate(self.bars):
            left = index * slot + (slot - width) / 2
            y = bottom
            for (_word, colour, pattern), count in zip(
                self.SEGMENTS, (bar.missed, bar.near, bar.met), strict=True
            ):
                if count <= 0:
                    continue
                height = (bottom - top) * count / scale
                self._swatch(painter, QRectF(left, y - height, width, height), colour, pattern)
                y -= height
            # The counts in words: missed and near over the bar, met inside it.
            wide = slot > metrics.horizontalAdvance("999 missed") + 4
            painter.setPen(text_colour)
            for offset, words in (
                (2, f"{bar.near} near" if wide else str(bar.near)),
                (1, f"{bar.missed} missed" if wide else str(bar.missed)),
            ):
                painter.drawText(
                    QRectF(index * slot, y - offset * line - 1, slot, line),
                    Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                    words,
                )
            met_height = (bottom - top) * bar.met / scale
            met_words = f"{bar.met} met"
            if met_height > line and width > metrics.horizontalAdvance(met_words) + 2:
                painter.setPen(QColor("#ffffff"))
                painter.drawText(
                    QRectF(left, y, width, line + 2),
                    Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter,
                    met_words,
                )
            label = bar.label if slot > metrics.horizontalAdvance(bar.label) + 4 else bar.label[:3]
            painter.setPen(text_colour)
            painter.drawText(
                QRectF(index * slot, bottom + 2, slot, line),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                label,
            )
        painter.setPen(QPen(GRID, 1))
        painter.drawLine(QPointF(0, bottom), QPointF(self.width(), bottom))

    @staticmethod
    def _swatch(
        painter: QPainter, rect: QRectF, colour: QColor, pattern: Qt.BrushStyle | None
    ) -> None:
        painter.setPen(QPen(INK, 0.8))
        painter.setBrush(QBrush(colour))
        painter.drawRect(rect)
        if pattern is not None:
            painter.setBrush(QBrush(INK, pattern))
            painter.drawRect(rect)
