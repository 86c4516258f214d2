"""The risk heat map: likelihood (up) by impact (across), each cell with its score, band
and how many risks sit in it, in words as well as colour.

Arrow keys move between cells; Enter, Space or a click chooses one (``cellChosen``).
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from dom_desk.domain.kinds import Level
from dom_desk.domain.risks import LEVEL_NAMES, LEVELS, HeatMap

#: Band fills, light enough for black text, distinct in lightness as well as hue.
BAND_COLOURS = {"Low": "#c7e9c0", "Medium": "#ffeda0", "High": "#fdae6b", "Very high": "#f4777f"}


def cell_text(heat: HeatMap, likelihood: Level, impact: Level) -> str:
    """The cell in words, for screen readers and tooltips."""
    cell = heat.cell(likelihood, impact)
    refs = ", ".join(cell.references)
    risks = (
        "no risks"
        if not cell.count
        else f"{cell.count} risk{'s' if cell.count != 1 else ''}: {refs}"
    )
    return (
        f"Likelihood {LEVEL_NAMES[likelihood]}, impact {LEVEL_NAMES[impact]}: score "
        f"{cell.score}, {cell.band.lower()}; {risks}"
    )


class RiskHeatMap(QWidget):
    #: A cell was chosen: (likelihood, impact) as their labels ("M", "VH").
    cellChosen = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heat: HeatMap | None = None
        self.current = (LEVELS.index(Level.M), LEVELS.index(Level.M))  # (likelihood, impact)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(self.tr("Risk heat map"))
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setMouseTracking(True)

    def set_heat_map(self, heat: HeatMap) -> None:
        self.heat = heat
        self._announce()
        self.update()

    def current_cell(self) -> tuple[Level, Level]:
        return LEVELS[self.current[0]], LEVELS[self.current[1]]

    # -- geometry -----------------------------------------------------------------------

    def _margins(self) -> tuple[float, float]:
        fm = self.fontMetrics()
        left = (
            fm.height() * 1.6 + fm.horizontalAdvance("Very high (VH)") + fm.averageCharWidth() * 2
        )
        bottom = fm.height() * 3.2
        return left, bottom

    def _cell_rect(self, row: int, column: int) -> QRectF:
        """Row 0 is the top (very high likelihood)."""
        left, bottom = self._margins()
        top = self.fontMetrics().height() * 0.5
        width = (self.width() - left - 4) / 4
        height = (self.height() - bottom - top) / 4
        return QRectF(left + column * width, top + row * height, width, height)

    def sizeHint(self) -> QSize:
        fm = self.fontMetrics()
        return QSize(
            int(self._margins()[0] + fm.averageCharWidth() * 56),
            int(self._margins()[1] + fm.height() * 18),
        )

    def minimumSizeHint(self) -> QSize:
        fm = self.fontMetrics()
        return QSize(
            int(self._margins()[0] + fm.averageCharWidth() * 36),
            int(self._margins()[1] + fm.height() * 12),
        )

    # -- painting -----------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        fm = self.fontMetrics()
        text = palette.color(QPalette.ColorRole.WindowText)
        bold = QFont(self.font())
        bold.setBold(True)
        big = QFont(bold)
        big.setPointSizeF(bold.pointSizeF() * 1.5)
        cell_width = self._cell_rect(0, 0).width() - 12
        bands_beside = self.heat is None or all(
            fm.horizontalAdvance(f"{c.score}  {c.band}") <= cell_width
            for c in (self.heat.cell(li, im) for li in LEVELS for im in LEVELS)
            if c
        )
        for row in range(4):
            likelihood = LEVELS[3 - row]
            for column, impact in enumerate(LEVELS):
                rect = self._cell_rect(row, column)
                cell = self.heat.cell(likelihood, impact) if self.heat else None
                colour = QColor(BAND_COLOURS.get(cell.band if cell else "", "#eeeeee"))
                if cell is not None and cell.count == 0:
                    colour = colour.lighter(112)
                painter.setPen(QPen(QColor("#ffffff"), 2))
                painter.setBrush(colour)
                painter.drawRect(rect)
                if cell is None:
                    continue
                painter.setPen(QColor("#000000"))
                inner = rect.adjusted(6, 4, -6, -4)
                painter.setFont(self.font())
                painter.drawText(
                    inner, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft, f"{cell.score}"
                )
                # The band in words beside the score, or under it in every cell when the
                # cells are too narrow (never colour alone, never overlapping the score).
                if bands_beside:
                    painter.drawText(
                        inner, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight, cell.band
                    )
                else:
                    painter.drawText(
                        inner.adjusted(0, fm.lineSpacing(), 0, 0),
                        Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft,
                        cell.band,
                    )
                if cell.count:
                    painter.setFont(big)
                    painter.drawText(inner, Qt.AlignmentFlag.AlignCenter, str(cell.count))
                    painter.setFont(self.font())
                    refs = fm.elidedText(
                        ", ".join(cell.references), Qt.TextElideMode.ElideRight, int(inner.width())
                    )
                    painter.drawText(
                        inner, Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignHCenter, refs
                    )
                else:
                    painter.setPen(QColor("#555555"))
                    painter.drawText(inner, Qt.AlignmentFlag.AlignCenter, "–")
        self._paint_current(painter)
        self._paint_axes(painter, text, bold)
        painter.end()

    def _paint_current(self, painter: QPainter) -> None:
        row = 3 - self.current[0]
        rect = self._cell_rect(row, self.current[1]).adjusted(2, 2, -2, -2)
        pen = QPen(
            self.palette().color(QPalette.ColorRole.Highlight)
            if self.hasFocus()
            else QColor("#555555"),
            3 if self.hasFocus() else 1.5,
        )
        if not self.hasFocus():
            pen.setStyle(Qt.PenStyle.DotLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect)

    def _paint_axes(self, painter: QPainter, text: QColor, bold: QFont) -> None:
        fm = self.fontMetrics()
        painter.setPen(text)
        painter.setFont(self.font())
        left, _bottom = self._margins()
        for row in range(4):
            rect = self._cell_rect(row, 0)
            label = f"{LEVEL_NAMES[LEVELS[3 - row]]} ({LEVELS[3 - row].label})"
            painter.drawText(
                QRectF(fm.height() * 1.6, rect.top(), left - fm.height() * 1.6 - 4, rect.height()),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                fm.elidedText(
                    label, Qt.TextElideMode.ElideRight, int(left - fm.height() * 1.6 - 6)
                ),
            )
        last = self._cell_rect(3, 0)
        # "VH" for every column when "Very high (VH)" would not fit under its cell.
        short = any(
            fm.horizontalAdvance(f"{LEVEL_NAMES[i]} ({i.label})") > last.width() for i in LEVELS
        )
        for column, impact in enumerate(LEVELS):
            rect = self._cell_rect(3, column)
            label = impact.label if short else f"{LEVEL_NAMES[impact]} ({impact.label})"
            painter.drawText(
                QRectF(rect.left(), rect.bottom() + 2, rect.width(), fm.height() * 1.3),
                Qt.AlignmentFlag.AlignCenter,
                label,
            )
        painter.setFont(bold)
        grid_left = self._cell_rect(0, 0).left()
        grid_right = self._cell_rect(0, 3).right()
        painter.drawText(
            QRectF(
                grid_left,
                last.bottom() + fm.height() * 1.4,
                grid_right - grid_left,
                fm.height() * 1.5,
            ),
            Qt.AlignmentFlag.AlignCenter,
            self.tr("Impact"),
        )
        top, bottom = self._cell_rect(0, 0).top(), last.bottom()
        painter.save()
        painter.translate(fm.height() * 0.2, (top + bottom) / 2)
        painter.rotate(-90)
        painter.drawText(
            QRectF(-(bottom - top) / 2, 0, bottom - top, fm.height() * 1.3),
            Qt.AlignmentFlag.AlignCenter,
            self.tr("Likelihood"),
        )
        painter.restore()

    # -- input --------------------------------------------------------------------------

    def _cell_at(self, x: float, y: float) -> tuple[int, int] | None:
        for row in range(4):
            for column in range(4):
                if self._cell_rect(row, column).contains(x, y):
                    return 3 - row, column
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        found = self._cell_at(event.position().x(), event.position().y())
        if found is not None:
            self.current = found
            self._announce()
            self.update()
            self.choose()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        found = self._cell_at(event.position().x(), event.position().y())
        if found is not None and self.heat is not None:
            self.setToolTip(cell_text(self.heat, LEVELS[found[0]], LEVELS[found[1]]))
        super().mouseMoveEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        likelihood, impact = self.current
        key = event.key()
        if key == Qt.Key.Key_Up:
            likelihood = min(3, likelihood + 1)
        elif key == Qt.Key.Key_Down:
            likelihood = max(0, likelihood - 1)
        elif key == Qt.Key.Key_Right:
            impact = min(3, impact + 1)
        elif key == Qt.Key.Key_Left:
            impact = max(0, impact - 1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.choose()
            event.accept()
            return
        else:
            super().keyPressEvent(event)
            return
        self.current = (likelihood, impact)
        self._announce()
        self.update()
        event.accept()

    def choose(self) -> None:
        likelihood, impact = self.current_cell()
        self.cellChosen.emit(likelihood.label, impact.label)

    def focusInEvent(self, event: object) -> None:
        super().focusInEvent(event)  # type: ignore[arg-type]
        self.update()

    def focusOutEvent(self, event: object) -> None:
        super().focusOutEvent(event)  # type: ignore[arg-type]
        self.update()

    def _announce(self) -> None:
        if self.heat is None:
            return
        likelihood, impact = self.current_cell()
        self.setAccessibleDescription(cell_text(self.heat, likelihood, impact))
