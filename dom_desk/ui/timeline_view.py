"""The timeline (Gantt): paints :class:`dom_desk.domain.timeline.Timeline` with QPainter.

Row labels stay at the left and the financial-year axis at the top while the chart
scrolls. Up and Down move between rows, Left and Right scroll, Enter (or a click) opens
the row's record through ``openRecord``; Ctrl++ and Ctrl+- zoom between quarters and
years. Bars carry their stage name, fuzzy dates are hatched with a dashed outline, done
stages carry a tick: nothing is told by colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPolygonF,
    QResizeEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QToolTip, QWidget

from dom_desk.domain.periods import format_date
from dom_desk.domain.timeline import KIND_COLOURS, Bar, Point, Timeline, TimelineRow, Zoom

#: Axis width of one quarter / one year, in average character widths.
ZOOM_CHARS = {Zoom.QUARTER: 19, Zoom.YEAR: 26}
#: Widest the label column gets, in average character widths.
LABEL_CHARS = 34
TODAY_COLOUR = QColor("#c00000")
POINT_LABEL_KINDS = {"milestone", "expiry"}


@dataclass(frozen=True)
class _Line:
    """One line of the chart: a group heading or a row."""

    group: str
    row: TimelineRow | None = None


def _colour(key: str) -> QColor:
    return QColor(KIND_COLOURS.get(key, "#bdbdbd"))


def describe_bar(row: TimelineRow, bar: Bar) -> str:
    state = " (done)" if bar.done else " (date is a best estimate)" if bar.fuzzy else ""
    return f"{row.label}: {bar.label}, {format_date(bar.start)} to {format_date(bar.end)}{state}"


def describe_point(row: TimelineRow, point: Point) -> str:
    state = " (done)" if point.done else " (date is a best estimate)" if point.fuzzy else ""
    return f"{row.label}: {point.label}, {format_date(point.when)}{state}"


def describe_row(row: TimelineRow) -> str:
    """The row in words, for screen readers and tooltips."""
    parts = [describe_bar(row, b).split(": ", 1)[1] for b in row.bars]
    parts += [describe_point(row, p).split(": ", 1)[1] for p in row.points]
    if row.note:
        parts.append(row.note)
    return f"{row.group[:-1]} {row.label}. " + "; ".join(parts)


class TimelineView(QAbstractScrollArea):
    #: Open a record: (area key, record id).
    openRecord = Signal(str, int)
    #: The current row changed (index into ``rows``, -1 for none).
    currentChanged = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.timeline: Timeline | None = None
        self.zoom = Zoom.YEAR
        self.lines: list[_Line] = []
        self.rows: list[TimelineRow] = []
        self.current = -1
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(self.tr("Timeline of competitions, contracts and milestones"))
        self.viewport().setMouseTracking(True)
        self.viewport().setBackgroundRole(QPalette.ColorRole.Base)
        self.horizontalScrollBar().setAccessibleName(self.tr("Scroll through time"))
        self.verticalScrollBar().setAccessibleName(self.tr("Scroll through rows"))

    # -- the model ----------------------------------------------------------------------

    def set_timeline(self, timeline: Timeline) -> None:
        """Shows a timeline, keeping the current record current where it still appears."""
        keep = self.current_row()
        self.timeline = timeline
        self.lines = []
        for group, rows in timeline.groups():
            self.lines.append(_Line(group))
            self.lines += [_Line(group, r) for r in rows]
        self.rows = [line.row for line in self.lines if line.row is not None]
        self.current = -1
        if keep is not None:
            for index, row in enumerate(self.rows):
                if (row.area, row.record_id) == (keep.area, keep.record_id):
                    self.current = index
        if self.current < 0 and self.rows:
            self.current = 0
        self._update_scrollbars()
        self._announce()
        self.viewport().update()

    def set_zoom(self, zoom: Zoom) -> None:
        if zoom is self.zoom:
            return
        anchor = self._date_at_centre()
        today_shown = (
            self.timeline is not None
            and self.label_width() <= self.x_of(self.timeline.today) <= self.viewport().width()
        )
        self.zoom = zoom
        self._update_scrollbars()
        if today_shown:
            self.show_today()  # what is coming stays in view
        elif anchor is not None:
            self.centre_on(anchor)
        self.viewport().update()

    def current_row(self) -> TimelineRow | None:
        return self.rows[self.current] if 0 <= self.current < len(self.rows) else None

    def set_current(self, index: int) -> None:
        if not self.rows:
            return
        index = max(0, min(index, len(self.rows) - 1))
        if index == self.current:
            return
        self.current = index
        self._ensure_visible(index)
        self._announce()
        self.currentChanged.emit(index)
        self.viewport().update()

    def open_current(self) -> None:
        row = self.current_row()
        if row is not None:
            self.openRecord.emit(row.area, row.record_id)

    # -- geometry -----------------------------------------------------------------------

    def _fm(self) -> QFontMetrics:
        return self.fontMetrics()

    def row_height(self) -> int:
        return int(self._fm().height() * 1.9)

    def header_height(self) -> int:
        return int(self._fm().height() * 2.6)

    def label_width(self) -> int:
        fm = self._fm()
        widest = max([fm.horizontalAdvance(r.label) for r in self.rows] + [0])
        return min(widest + fm.averageCharWidth() * 3, fm.averageCharWidth() * LABEL_CHARS)

    def pixels_per_day(self) -> float:
        span_days = 91.3125 if self.zoom is Zoom.QUARTER else 365.25
        return self._fm().averageCharWidth() * ZOOM_CHARS[self.zoom] / span_days

    def chart_width(self) -> int:
        return int(self.timeline.days * self.pixels_per_day()) + 1 if self.timeline else 0

    def content_height(self) -> int:
        return len(self.lines) * self.row_height()

    def x_of(self, day: date) -> float:
        """Viewport x of a date (scrolled)."""
        assert self.timeline is not None
        return (
            self.label_width()
            + (day - self.timeline.start).days * self.pixels_per_day()
            - self.horizontalScrollBar().value()
        )

    def y_of(self, line: int) -> int:
        return self.header_height() + line * self.row_height() - self.verticalScrollBar().value()

    def _update_scrollbars(self) -> None:
        width = self.viewport().width() - self.label_width()
        height = self.viewport().height() - self.header_height()
        horizontal, vertical = self.horizontalScrollBar(), self.verticalScrollBar()
        horizontal.setRange(0, max(0, self.chart_width() - width))
        horizontal.setPageStep(max(1, width))
        horizontal.setSingleStep(max(1, int(self.pixels_per_day() * 30)))
        vertical.setRange(0, max(0, self.content_height() - height))
        vertical.setPageStep(max(1, height))
        vertical.setSingleStep(self.row_height())

    def _date_at_centre(self) -> date | None:
        if self.timeline is None:
            return None
        centre = (self.viewport().width() + self.label_width()) / 2
        days = (
            centre - self.label_width() + self.horizontalScrollBar().value()
        ) / self.pixels_per_day()
        return date.fromordinal(self.timeline.start.toordinal() + max(0, int(days)))

    def centre_on(self, day: date) -> None:
        """Scrolls so ``day`` sits in the middle of the chart area."""
        if self.timeline is None:
            return
        width = self.viewport().width() - self.label_width()
        offset = (day - self.timeline.start).days * self.pixels_per_day() - width / 2
        self.horizontalScrollBar().setValue(int(offset))

    def show_today(self) -> None:
        """Puts today a quarter of the way across, so what is coming fills the view."""
        if self.timeline is None:
            return
        width = self.viewport().width() - self.label_width()
        offset = (
            self.timeline.today - self.timeline.start
        ).days * self.pixels_per_day() - width / 4
        self.horizontalScrollBar().setValue(int(offset))

    def _line_of(self, index: int) -> int:
        row = self.rows[index]
        return next(i for i, line in enumerate(self.lines) if line.row is row)

    def _ensure_visible(self, index: int) -> None:
        line = self._line_of(index)
        top = line * self.row_height()
        visible = self.viewport().height() - self.header_height()
        bar = self.verticalScrollBar()
        if top - self.row_height() < bar.value():
            bar.setValue(max(0, top - self.row_height()))  # keep the group heading in view
        elif top + self.row_height() > bar.value() + visible:
            bar.setValue(top + self.row_height() - visible)

    def sizeHint(self) -> QSize:
        fm = self._fm()
        return QSize(fm.averageCharWidth() * 120, fm.height() * 30)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_scrollbars()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self.viewport().update()

    # -- painting -----------------------------------------------------------------------

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

    def _bar_rect(self, number: int, bar: Bar) -> QRectF:
        row_h = self.row_height()
        x1, x2 = self.x_of(bar.start), self.x_of(bar.end)
        return QRectF(x1, self.y_of(number) + row_h * 0.2, max(2.0, x2 - x1), row_h * 0.6)

    def _point_centre(self, number: int, point: Point) -> QPointF:
        return QPointF(self.x_of(point.when), self.y_of(number) + self.row_height() / 2)

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

    # -- hit testing and input ----------------------------------------------------------

    def line_at(self, y: float) -> int | None:
        if y < self.header_height():
            return None
        number = int(
            (y - self.header_height() + self.verticalScrollBar().value()) // self.row_height()
        )
        return number if 0 <= number < len(self.lines) else None

    def describe_at(self, x: float, y: float) -> str:
        """What is under a point of the viewport, in words (the tooltip)."""
        number = self.line_at(y)
        if number is None or self.lines[number].row is None:
            return ""
        row = self.lines[number].row
        assert row is not None
        if x >= self.label_width():
            radius = self.row_height() * 0.3
            for point in row.points:
                if abs(self._point_centre(number, point).x() - x) <= radius:
                    return describe_point(row, point)
            for bar in row.bars:
                if self._bar_rect(number, bar).adjusted(-2, 0, 2, 0).contains(QPointF(x, y)):
                    return describe_bar(row, bar)
        return describe_row(row)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            pos = self.viewport().mapFromGlobal(event.globalPos())  # type: ignore[attr-defined]
            text = self.describe_at(pos.x(), pos.y())
            if text:
                QToolTip.showText(event.globalPos(), text, self)  # type: ignore[attr-defined]
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            return self.event(event)
        return super().viewportEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        number = self.line_at(event.position().y())
        if number is not None and self.lines[number].row is not None:
            self.set_current(self.rows.index(self.lines[number].row))  # type: ignore[arg-type]
            self.setFocus(Qt.FocusReason.MouseFocusReason)
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        number = self.line_at(event.position().y())
        if (
            event.button() == Qt.MouseButton.LeftButton
            and number is not None
            and self.lines[number].row is self.current_row()
        ):
            self.open_current()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        control = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        page = max(1, (self.viewport().height() - self.header_height()) // self.row_height())
        if key == Qt.Key.Key_Down:
            self.set_current(self.current + 1)
        elif key == Qt.Key.Key_Up:
            self.set_current(max(0, self.current - 1))
        elif key == Qt.Key.Key_PageDown:
            self.set_current(self.current + page)
        elif key == Qt.Key.Key_PageUp:
            self.set_current(self.current - page)
        elif key == Qt.Key.Key_Home and control:
            self.set_current(0)
        elif key == Qt.Key.Key_End and control:
            self.set_current(len(self.rows) - 1)
        elif key == Qt.Key.Key_Home:
            self.show_today()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            bar = self.horizontalScrollBar()
            step = bar.pageStep() if control else bar.singleStep()
            bar.setValue(bar.value() + (step if key == Qt.Key.Key_Right else -step))
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_current()
        elif control and key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.set_zoom(Zoom.QUARTER)
        elif control and key == Qt.Key.Key_Minus:
            self.set_zoom(Zoom.YEAR)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def focusInEvent(self, event: object) -> None:
        super().focusInEvent(event)  # type: ignore[arg-type]
        self.viewport().update()

    def focusOutEvent(self, event: object) -> None:
        super().focusOutEvent(event)  # type: ignore[arg-type]
        self.viewport().update()

    def _announce(self) -> None:
        row = self.current_row()
        self.setAccessibleDescription(describe_row(row) if row else "")
