"""The Timeline page: zoom, which groups to show, a legend, and key dates out to a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from dom_desk.domain import timeline as timeline_api
from dom_desk.domain.kinds import Stage
from dom_desk.domain.timeline import GROUPS, KIND_COLOURS, STAGE_SHORT, Zoom
from dom_desk.errors import DomDeskError
from dom_desk.ui.messages import messages
from dom_desk.ui.timeline_view import TimelineView

#: What the legend explains: (colour key, text, shape).
LEGEND: tuple[tuple[str, str, str], ...] = (
    *(
        (stage.name, f"{STAGE_SHORT[stage]}: {stage.label}", "bar")
        for stage in Stage
        if stage is not Stage.SERVICE_START
    ),
    ("term", "Contract term", "bar"),
    ("extension", "Extension option", "bar"),
    ("SERVICE_START", "Service start", "point"),
    ("expiry", "Current agreement expires", "point"),
    ("notice", "Last day for notice", "point"),
    ("option", "Option: decide by", "point"),
    ("break", "Break clause", "point"),
    ("milestone", "Milestone", "point"),
)


class Legend(QWidget):
    """Swatches with words: hatched and dashed means a fuzzy date, ✓ means done."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Timeline legend"))
        self.setAccessibleDescription(
            "; ".join(text for _k, text, _s in LEGEND)
            + self.tr(
                "; hatched with a dashed edge: date is a best estimate; tick: done; red line: today"
            )
        )
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def _items(self) -> list[tuple[str, str, str]]:
        return [
            *LEGEND,
            ("fuzzy", self.tr("Best estimate (fuzzy date)"), "fuzzy"),
            ("done", self.tr("✓ Done"), "text"),
            ("today", self.tr("Today"), "line"),
        ]

    def _layout(self, width: int) -> list[tuple[float, float, tuple[str, str, str]]]:
        fm = self.fontMetrics()
        swatch = fm.height() * 1.6
        x = y = 0.0
        placed = []
        for item in self._items():
            need = swatch + fm.horizontalAdvance(item[1]) + fm.averageCharWidth() * 3
            if x + need > width and x > 0:
                x, y = 0.0, y + fm.height() * 1.5
            placed.append((x, y, item))
            x += need
        return placed

    def sizeHint(self) -> QSize:
        width = max(self.width(), self.fontMetrics().averageCharWidth() * 120)
        rows = self._layout(width)
        return QSize(width, int((rows[-1][1] if rows else 0) + self.fontMetrics().height() * 1.5))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        rows = self._layout(width)
        return int((rows[-1][1] if rows else 0) + self.fontMetrics().height() * 1.5)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self.setFixedHeight(self.heightForWidth(self.width()))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = self.fontMetrics()
        h = fm.height()
        swatch = h * 1.6
        text = self.palette().color(QPalette.ColorRole.WindowText)
        for x, y, (key, label, shape) in self._layout(self.width()):
            box = QRectF(x, y + h * 0.2, swatch - 4, h * 0.8)
            colour = QColor(KIND_COLOURS.get(key, "#bdbdbd"))
            if shape == "bar":
                painter.setPen(QPen(colour.darker(170), 1))
                painter.setBrush(colour)
                painter.drawRoundedRect(box, 2, 2)
            elif shape == "point":
                c = box.center()
                r = h * 0.4
                painter.setPen(QPen(colour.darker(160), 1.5))
                painter.setBrush(colour)
                painter.drawPolygon(
                    QPolygonF(
                        [
                            c + type(c)(0, -r),
                            c + type(c)(r, 0),
                            c + type(c)(0, r),
                            c + type(c)(-r, 0),
                        ]
                    )
                )
            elif shape == "fuzzy":
                pen = QPen(QColor("#555555"), 1.2)
                pen.setStyle(Qt.PenStyle.DashLine)
                painter.setPen(pen)
                painter.setBrush(Qt.BrushStyle.BDiagPattern)
                painter.drawRoundedRect(box, 2, 2)
            elif shape == "line":
                painter.setPen(QPen(QColor("#c00000"), 2))
                painter.drawLine(box.center().x(), box.top(), box.center().x(), box.bottom())
            painter.setPen(text)
            start = x + (swatch if shape != "text" else 0)
            painter.drawText(
                QRectF(start, y, fm.horizontalAdvance(label) + 4, h * 1.2),
                Qt.AlignmentFlag.AlignVCenter,
                label,
            )
        painter.end()


class TimelinePage(QWidget):
    """Loaded when shown; reloaded after any edit (marked stale)."""

    #: Open a record: (area key, record id).
    openRecord = Signal(str, int)

    def __init__(self, workspace: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.stale = True
        self._first_show = True

        self.view = TimelineView()
        self.view.setObjectName("timeline_view")
        self.view.openRecord.connect(self.openRecord)

        self.zoom = QComboBox()
        self.zoom.setAccessibleName(self.tr("Zoom"))
        for zoom in (Zoom.YEAR, Zoom.QUARTER):
            # Plain strings as item data: PySide6 mishandles Python enums kept in Qt.
            self.zoom.addItem(
                self.tr("By year") if zoom is Zoom.YEAR else self.tr("By quarter"), zoom.value
            )
        self.zoom.currentIndexChanged.connect(self._zoom_chosen)
        zoom_label = QLabel(self.tr("&Zoom:"))
        zoom_label.setBuddy(self.zoom)

        self.group_boxes: dict[str, QCheckBox] = {}
        for group in GROUPS:
            box = QCheckBox(self.tr(group))
            box.setChecked(True)
            box.toggled.connect(lambda _on: self.reload())
            self.group_boxes[group] = box

        self.today_button = QPushButton(self.tr("&Today"))
        self.today_button.setToolTip(self.tr("Scroll to today (Home)"))
        self.today_button.clicked.connect(self.view.show_today)
        self.export_button = QPushButton(self.tr("&Export key dates…"))
        self.export_button.setToolTip(
            self.tr(
                "The competitions timetable and key dates to "
                "a spreadsheet (.xlsx) or a calendar (.ics)"
            )
        )
        self.export_button.clicked.connect(self.export_key_dates)
        self.import_button = QPushButton(self.tr("&Import milestones…"))
        self.import_button.setToolTip(
            self.tr(
                "Read milestones from a spreadsheet (a header row with Milestone and Delivery date)"
            )
        )
        self.import_button.clicked.connect(self.import_milestones)

        bar = QHBoxLayout()
        bar.addWidget(zoom_label)
        bar.addWidget(self.zoom)
        bar.addSpacing(self.fontMetrics().averageCharWidth() * 2)
        for box in self.group_boxes.values():
            bar.addWidget(box)
        bar.addStretch(1)
        bar.addWidget(self.today_button)
        bar.addWidget(self.import_button)
        bar.addWidget(self.export_button)

        self.hint = QLabel(
            self.tr(
                "Up and Down choose a row, Enter or a click opens it; "
                "Left and Right move through time; Ctrl++ and Ctrl+- zoom."
            )
        )
        self.hint.setWordWrap(True)
        self.legend = Legend()
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.legend)
        layout.addWidget(self.hint)

        workspace.rowChanged.connect(self._row_changed)

    def _zoom_chosen(self, _index: int) -> None:
        self.view.set_zoom(Zoom(self.zoom.currentData()))

    def ensure_loaded(self) -> None:
        if self.stale:
            self.reload()

    def reload(self) -> None:
        groups = [g for g, box in self.group_boxes.items() if box.isChecked()]
        try:
            model = timeline_api.timeline(self.workspace.wb, groups=groups)
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return
        self.stale = False
        self.import_button.setEnabled(not self.workspace.read_only)
        self.view.set_timeline(model)
        if self._first_show:
            self._first_show = False
            self.view.show_today()

    def _row_changed(self, _area: str, _row: Any) -> None:
        self.stale = True
        if self.isVisible():
            self.reload()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.ensure_loaded()

    def export_key_dates(self) -> None:
        from dom_desk.exports.calendar_export import export_key_dates

        suggested = Path(self.workspace.path).with_name(
            f"{Path(self.workspace.path).stem} key dates.ics"
        )
        path = messages.save_path(
            self,
            self.tr("Export key dates"),
            suggested,
            file_filter=self.tr("Calendar (*.ics);;Spreadsheet (*.xlsx)"),
        )
        if path is None:
            return
        if path.suffix.lower() not in (".ics", ".xlsx"):
            path = path.with_suffix(".ics")
        try:
            written = export_key_dates(self.workspace.wb, path)
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return
        messages.info(self, self.tr("Key dates written to {0}.").format(written))

    def import_milestones(self) -> None:
        from dom_desk.domain.lists_import import ListKind
        from dom_desk.ui.lists_import_dialog import import_list_interactively

        if import_list_interactively(self, self.workspace, ListKind.MILESTONES):
            self.reload()
