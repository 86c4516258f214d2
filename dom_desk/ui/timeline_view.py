"""The timeline (Gantt) widget: shows :class:`dom_desk.domain.timeline.Timeline`.

Row labels stay at the left and the financial-year axis at the top while the chart
scrolls. Up and Down move between rows, Left and Right scroll, Enter (or a click) opens
the row's record through ``openRecord``; Ctrl++ and Ctrl+- zoom between quarters and
years. Bars carry their stage name, fuzzy dates are hatched with a dashed outline, done
stages carry a tick: nothing is told by colour alone. This module holds the geometry,
scrolling, hit testing and keys; ``timeline_paint`` draws.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPalette,
    QResizeEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QToolTip, QWidget

from dom_desk.domain.periods import format_date
from dom_desk.domain.timeline import Bar, Point, Timeline, TimelineRow, Zoom
from dom_desk.ui.timeline_paint import TODAY_COLOUR, TimelinePainting

__all__ = ["TODAY_COLOUR", "TimelineView", "describe_bar", "describe_point", "describe_row"]

#: Axis width of one quarter / one year, in average character widths.
ZOOM_CHARS = {Zoom.QUARTER: 19, Zoom.YEAR: 26}
#: Widest the label column gets, in average character widths.
LABEL_CHARS = 34


@dataclass(frozen=True)
class _Line:
    """One line of the chart: a group heading or a row."""

    group: str
    row: TimelineRow | None = None


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


class TimelineView(TimelinePainting, QAbstractScrollArea):
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

    def _bar_rect(self, number: int, bar: Bar) -> QRectF:
        row_h = self.row_height()
        x1, x2 = self.x_of(bar.start), self.x_of(bar.end)
        return QRectF(x1, self.y_of(number) + row_h * 0.2, max(2.0, x2 - x1), row_h * 0.6)

    def _point_centre(self, number: int, point: Point) -> QPointF:
        return QPointF(self.x_of(point.when), self.y_of(number) + self.row_height() / 2)

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
