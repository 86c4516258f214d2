"""Drawing the timeline: row bands, quarter grid, bars and points, today's line, the
year axis and the row labels. ``TimelineView`` (``timeline_view``) holds the geometry,
scrolling and keys; this mixin only paints with what it says.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPolygonF,
)

from dom_desk.domain.periods import format_date
from dom_desk.domain.timeline import KIND_COLOURS, Point, TimelineRow, Zoom

TODAY_COLOUR = QColor("#c00000")
POINT_LABEL_KINDS = {"milestone", "expiry"}


def _colour(key: str) -> QColor:
    return QColor(KIND_COLOURS.get(key, "#bdbdbd"))


class TimelinePainting:
    """The painting half of :class:`TimelineView`: reads its lines, geometry and palette."""

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        size = self.viewport().size()
        painter.fillRect(QRect(0, 0, size.width(), size.height()), palette.base())
        if self.timeline is None or not self.lines:
            painter.setPen(palette.color(QPalette.ColorRole.Text))
            painter.drawText(
                self.viewport().rect(),
                Qt.AlignmentFlag.AlignCenter,
                self.tr("Nothing to show in these years."),
            )
            return
        label_w, header_h = self.label_width(), self.header_height()
        chart = QRect(label_w, header_h, size.width() - label_w, size.height() - header_h)
        self._paint_rows_background(painter, size.width())
        painter.save()
        painter.setClipRect(chart)
        self._paint_grid(painter, chart)
        for number, line in enumerate(self.lines):
            if line.row is not None:
                self._paint_row(painter, number, line.row)
        self._paint_today(painter, chart)
        painter.restore()
        self._paint_header(painter, label_w, header_h, size.width())
        self._paint_labels(painter, label_w, header_h, size.height())
        painter.end()

    def _visible_lines(self) -> range:
        first = max(0, self.verticalScrollBar().value() // self.row_height())
        count = self.viewport().height() // self.row_height() + 2
        return range(first, min(len(self.lines), first + count))

    def _paint_rows_background(self, painter: QPainter, width: int) -> None:
        palette = self.palette()
        row_h = self.row_height()
        for number in self._visible_lines():
            line = self.lines[number]
            y = self.y_of(number)
            if line.row is None:
                painter.fillRect(
                    QRect(0, y, width, row_h), palette.alternateBase().color().darker(108)
                )
            elif line.row is self.current_row():
                highlight = QColor(palette.color(QPalette.ColorRole.Highlight))
                highlight.setAlpha(60)
                painter.fillRect(QRect(0, y, width, row_h), highlight)
            elif number % 2:
                painter.fillRect(QRect(0, y, width, row_h), palette.alternateBase())

    def _paint_grid(self, painter: QPainter, chart: QRect) -> None:
        assert self.timeline is not None
        mid = QColor(self.palette().color(QPalette.ColorRole.Mid))
        for tick in self.timeline.ticks(Zoom.QUARTER):
            x = self.x_of(tick.when)
            colour = QColor(mid)
            colour.setAlpha(200 if tick.major else 70)
            painter.setPen(QPen(colour, 1.4 if tick.major else 1))
            painter.drawLine(QPointF(x, chart.top()), QPointF(x, chart.bottom()))

    def _paint_row(self, painter: QPainter, number: int, row: TimelineRow) -> None:
        if number not in self._visible_lines():
            return
        text = self.palette().color(QPalette.ColorRole.Text)
        fm = self._fm()
        for bar in row.bars:
            rect = self._bar_rect(number, bar)
            fill = _colour(bar.colour or bar.kind)
            painter.setBrush(fill)
            outline = QPen(fill.darker(170), 1.2)
            if bar.fuzzy:
                outline.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(outline)
            painter.drawRoundedRect(rect, 3, 3)
            if bar.fuzzy:
                painter.setBrush(QBrush(fill.darker(150), Qt.BrushStyle.BDiagPattern))
                painter.setPen(Qt.PenStyle.NoPen)
                painter.drawRoundedRect(rect, 3, 3)
            label = ("✓ " if bar.done else "") + (bar.short or bar.label)
            if fm.horizontalAdvance(label) + 6 <= rect.width():
                painter.setPen(QColor("#000000"))
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, label)
        for point in row.points:
            self._paint_point(painter, number, row, point, text)
        self._paint_off_screen(painter, number, row)
        if row.note and (row.bars or row.points):
            ends = [(b.end, "") for b in row.bars] + [
                (p.when, self._point_label(row, p)) for p in row.points
            ]
            last, label = max(ends, key=lambda e: e[0])
            x = (
                self.x_of(last)
                + self.row_height() * 0.3
                + fm.averageCharWidth() * 2
                + (fm.horizontalAdvance(label) if label else 0)
            )
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            font = QFont(painter.font())
            font.setItalic(True)
            painter.setFont(font)
            painter.drawText(
                QRectF(x, self.y_of(number), fm.horizontalAdvance(row.note) + 8, self.row_height()),
                Qt.AlignmentFlag.AlignVCenter,
                row.note,
            )
            painter.setFont(self.font())
        if row.note and not row.bars and not row.points:
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            font = QFont(painter.font())
            font.setItalic(True)
            painter.setFont(font)
            x = (
                max(
                    self.label_width() + fm.averageCharWidth(),
                    self.x_of(self.timeline.today) + fm.averageCharWidth(),
                )
                if self.timeline
                else self.label_width()
            )
            painter.drawText(
                QRectF(x, self.y_of(number), fm.horizontalAdvance(row.note) + 4, self.row_height()),
                Qt.AlignmentFlag.AlignVCenter,
                row.note,
            )
            painter.setFont(self.font())

    def _paint_off_screen(self, painter: QPainter, number: int, row: TimelineRow) -> None:
        """When everything on a row lies outside the view, say where it is."""
        dates = (
            [b.start for b in row.bars] + [b.end for b in row.bars] + [p.when for p in row.points]
        )
        if not dates:
            return
        left, right = self.label_width(), self.viewport().width()
        first, last = min(dates), max(dates)
        fm = self._fm()
        rect = QRectF(
            left + fm.averageCharWidth(),
            self.y_of(number),
            right - left - 2 * fm.averageCharWidth(),
            self.row_height(),
        )
        painter.setPen(self.palette().color(QPalette.ColorRole.Text))
        if self.x_of(first) > right:
            painter.drawText(
                rect,
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                self.tr("from {0} →").format(format_date(first)),
            )
        elif self.x_of(last) < left:
            painter.drawText(
                rect,
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                self.tr("← until {0}").format(format_date(last)),
            )

    def _paint_point(
        self, painter: QPainter, number: int, row: TimelineRow, point: Point, text: QColor
    ) -> None:
        centre = self._point_centre(number, point)
        radius = self.row_height() * 0.26
        diamond = QPolygonF(
            [
                centre + QPointF(0, -radius),
                centre + QPointF(radius, 0),
                centre + QPointF(0, radius),
                centre + QPointF(-radius, 0),
            ]
        )
        colour = _colour(point.colour or point.kind)
        pen = QPen(colour.darker(160), 1.5)
        if point.fuzzy:
            pen.setStyle(Qt.PenStyle.DashLine)
            painter.setBrush(self.palette().base())
        else:
            painter.setBrush(colour)
        painter.setPen(pen)
        painter.drawPolygon(diamond)
        if point.done:
            painter.setPen(QPen(QColor("#000000"), 1.5))
            painter.drawText(
                QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius),
                Qt.AlignmentFlag.AlignCenter,
                "✓",
            )
        label = self._point_label(row, point)
        if label:
            fm = self._fm()
            painter.setPen(text)
            painter.drawText(
                QRectF(
                    centre.x() + radius + 3,
                    centre.y() - fm.height() / 2,
                    fm.horizontalAdvance(label) + 4,
                    fm.height(),
                ),
                Qt.AlignmentFlag.AlignVCenter,
                label,
            )

    def _point_label(self, row: TimelineRow, point: Point) -> str:
        """The words printed beside a point: milestones, expiries, a lone stage."""
        lone = len(row.points) == 1 and not row.bars
        if point.kind not in POINT_LABEL_KINDS and not lone:
            return ""
        label = self.tr("Expires") if point.kind == "expiry" else point.label
        if point.fuzzy and point.kind == "milestone":
            label = f"≈ {label}"
        fm = self._fm()
        return fm.elidedText(label, Qt.TextElideMode.ElideRight, fm.averageCharWidth() * 28)

    def _paint_today(self, painter: QPainter, chart: QRect) -> None:
        assert self.timeline is not None
        x = self.x_of(self.timeline.today)
        painter.setPen(QPen(TODAY_COLOUR, 2))
        painter.drawLine(QPointF(x, chart.top()), QPointF(x, chart.bottom()))

    def _paint_header(self, painter: QPainter, label_w: int, header_h: int, width: int) -> None:
        assert self.timeline is not None
        palette = self.palette()
        fm = self._fm()
        painter.fillRect(QRect(0, 0, width, header_h), palette.button())
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.drawLine(0, header_h - 1, width, header_h - 1)
        painter.save()
        painter.setClipRect(QRect(label_w, 0, width - label_w, header_h))
        top_h = header_h // 2
        years = self.timeline.ticks(Zoom.YEAR)
        bold = QFont(self.font())
        bold.setBold(True)
        for index, tick in enumerate(years):
            x1 = self.x_of(tick.when)
            x2 = (
                self.x_of(years[index + 1].when)
                if index + 1 < len(years)
                else self.x_of(self.timeline.end)
            )
            painter.setPen(palette.color(QPalette.ColorRole.Mid))
            painter.drawLine(QPointF(x1, 0), QPointF(x1, header_h))
            painter.setFont(bold)
            painter.setPen(palette.color(QPalette.ColorRole.ButtonText))
            painter.drawText(
                QRectF(x1, 0, x2 - x1, top_h), Qt.AlignmentFlag.AlignCenter, tick.label
            )
        painter.setFont(self.font())
        if self.zoom is Zoom.QUARTER:
            quarters = self.timeline.ticks(Zoom.QUARTER)
            step = self.pixels_per_day() * 91.3
            for tick in quarters:
                x = self.x_of(tick.when)
                painter.setPen(palette.color(QPalette.ColorRole.ButtonText))
                painter.drawText(
                    QRectF(x, top_h, step, header_h - top_h),
                    Qt.AlignmentFlag.AlignCenter,
                    tick.label.split()[0],
                )
        x = self.x_of(self.timeline.today)
        today = self.tr("Today {0}").format(format_date(self.timeline.today))
        box = QRectF(
            x - fm.horizontalAdvance(today) / 2 - 4,
            top_h + 1,
            fm.horizontalAdvance(today) + 8,
            header_h - top_h - 3,
        )
        painter.setBrush(TODAY_COLOUR)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawRoundedRect(box, 3, 3)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, today)
        painter.restore()
        painter.fillRect(QRect(0, 0, label_w, header_h), palette.button())
        painter.setPen(palette.color(QPalette.ColorRole.ButtonText))
        painter.drawText(
            QRect(fm.averageCharWidth(), 0, label_w, header_h),
            Qt.AlignmentFlag.AlignVCenter,
            self.tr("Financial year") if self.zoom is Zoom.YEAR else self.tr("Year and quarter"),
        )

    def _paint_labels(self, painter: QPainter, label_w: int, header_h: int, height: int) -> None:
        palette = self.palette()
        fm = self._fm()
        pad = fm.averageCharWidth()
        painter.save()
        painter.setClipRect(QRect(0, header_h, label_w, height - header_h))
        painter.fillRect(QRect(0, header_h, label_w, height - header_h), palette.window())
        self._paint_rows_background(painter, label_w)
        bold = QFont(self.font())
        bold.setBold(True)
        for number in self._visible_lines():
            line = self.lines[number]
            rect = QRect(pad, self.y_of(number), label_w - 2 * pad, self.row_height())
            painter.setPen(palette.color(QPalette.ColorRole.WindowText))
            if line.row is None:
                painter.setFont(bold)
                painter.drawText(rect, Qt.AlignmentFlag.AlignVCenter, line.group)
                painter.setFont(self.font())
                continue
            painter.drawText(
                rect.adjusted(pad, 0, 0, 0),
                Qt.AlignmentFlag.AlignVCenter,
                fm.elidedText(line.row.label, Qt.TextElideMode.ElideRight, rect.width() - pad),
            )
            if line.row is self.current_row() and self.hasFocus():
                painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 2))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(
                    QRect(1, self.y_of(number) + 1, label_w - 3, self.row_height() - 2)
                )
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.drawLine(label_w - 1, header_h, label_w - 1, height)
        painter.restore()
