"""The Demand area: need and demand for the working year (issue 15 item 1). Each
provider's figures, entered or forecast, with the volume bought beside demand for a
service; a chart of where demand outruns what is bought; the pressures in words; the
forecast's growth rate; and the import of figures from a spreadsheet. Every figure and
sentence is ``domain.demand``'s."""

from __future__ import annotations

from decimal import Decimal
from html import escape
from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from dom_desk.domain.demand import (
    DemandPosition,
    DemandRow,
    PressureBar,
    demand_position,
    outruns,
    pressure_bars,
    set_growth,
    shown,
)
from dom_desk.errors import DomDeskError
from dom_desk.ui.attention_charts import GRID, INK, VERMILION
from dom_desk.ui.messages import messages
from dom_desk.ui.rows_table import RowsModel, fit_columns, rows_table
from dom_desk.ui.state import restore_view, save_view

#: A pale red behind a row whose demand outruns what is bought: the words say it too.
_OVER = QBrush(QColor("#fbe3e1"))
#: Bars the chart shows before it says how many more there are.
MOST_BARS = 8


def _how(row: DemandRow) -> str:
    return "Entered" if row.figure.entered else f"Forecast: {row.figure.method}"


def _bought(row: DemandRow) -> str:
    return "" if row.commissioned is None else f"{row.commissioned:,}"


def _beyond(row: DemandRow) -> str:
    short = row.shortfall
    if short is None:
        return ""
    if short > 0:
        return f"{shown(row.kind, short)} short"
    return "Covered"


def _figure(row: DemandRow) -> str:
    return f"Demand: {row.service}" if row.service else row.kind.label


COLUMNS = (
    ("Provider", lambda r: r.provider, False),
    ("Figure", _figure, False),
    ("Value", lambda r: shown(r.kind, r.figure.value), True),
    ("How", _how, False),
    ("Commissioned", _bought, True),
    ("Against demand", _beyond, False),
)


def chart_text(bars: list[PressureBar]) -> str:
    """What the chart shows, in words: its accessible description."""
    if not bars:
        return "Demand is within what is bought everywhere this year."
    parts = [f"{b.label} {b.percent - 100:f}% beyond" for b in bars[:MOST_BARS]]
    more = len(bars) - MOST_BARS
    tail = f"; and {more} more" if more > 0 else ""
    return "How far demand outruns what is bought, furthest first: " + "; ".join(parts) + tail + "."


class PressureChart(QWidget):
    """Horizontal bars of how far demand goes beyond what is bought (or population
    beyond operational capacity), in per cent of it; each bar labelled in words and
    figures, the exact numbers in the tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("demand_chart")
        self.bars: list[PressureBar] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAccessibleName(self.tr("Demand against what is bought"))

    def set_bars(self, bars: list[PressureBar]) -> None:
        self.bars = bars
        text = chart_text(bars)
        self.setAccessibleDescription(text)
        rows = "".join(
            f"<tr><td>{escape(b.label)}</td><td align=right>{b.demand:,f}</td>"
            f"<td align=right>{b.bought:,f}</td><td align=right>{b.percent:f}%</td></tr>"
            for b in bars
        )
        self.setToolTip(
            f"<p>{escape(text)}</p><table><tr><th>Where</th><th>Demand</th><th>Bought</th>"
            f"<th>Share</th></tr>{rows}</table>"
            if bars
            else text
        )
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        line = self.fontMetrics().height() + 10
        return QSize(480, line * (min(len(self.bars), MOST_BARS) + 2) + 8)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        line = metrics.height() + 10
        painter.setPen(INK)
        title = self.tr("How far demand outruns what is bought (% beyond it)")
        painter.drawText(QRectF(4, 2, self.width() - 8, line), Qt.AlignmentFlag.AlignLeft, title)
        shown_bars = self.bars[:MOST_BARS]
        if not shown_bars:
            painter.drawText(
                QRectF(4, line, self.width() - 8, line),
                Qt.AlignmentFlag.AlignLeft,
                chart_text([]),
            )
            return
        label_width = min(
            max(metrics.horizontalAdvance(b.label) for b in shown_bars) + 12, self.width() // 2
        )
        left = label_width
        right = self.width() - metrics.horizontalAdvance("+000.0%") - 12
        top = line
        widest = max(max(b.percent for b in shown_bars) - 100, Decimal(1))
        scale = (right - left) / float(widest)
        for n, bar in enumerate(shown_bars):
            y = top + n * line
            label = metrics.elidedText(bar.label, Qt.TextElideMode.ElideMiddle, label_width - 8)
            painter.setPen(INK)
            painter.drawText(
                QRectF(0, y, label_width - 8, line),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                label,
            )
            # Only the part beyond what is bought: a whole bar would hide a few per cent.
            beyond = QRectF(left, y + 4, max(float(bar.percent - 100) * scale, 2), line - 8)
            painter.fillRect(beyond, VERMILION)
            painter.fillRect(beyond, QBrush(INK, Qt.BrushStyle.BDiagPattern))
            painter.drawText(
                QRectF(beyond.right() + 4, y, 90, line),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                f"+{bar.percent - 100:f}%",
            )
        painter.setPen(QPen(GRID, 1))
        painter.drawLine(int(left), top, int(left), top + len(shown_bars) * line)
        more = len(self.bars) - len(shown_bars)
        if more > 0:
            painter.setPen(INK)
            painter.drawText(
                QRectF(left, top + len(shown_bars) * line, self.width() - left, line),
                Qt.AlignmentFlag.AlignLeft,
                self.tr("and {0} more in the list below").format(more),
            )


class DemandPage(QWidget):
    """The Demand area."""

    changed = Signal()

    def __init__(self, workspace: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("demand_page")
        self.workspace = workspace
        self.stale = True
        self.position: DemandPosition | None = None
        self.heading = QLabel()
        self.heading.setObjectName("demand_heading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.model = RowsModel(COLUMNS, self._shade)
        self.table = rows_table(self.model, "demand_table")
        self.table.setAccessibleName(self.tr("Need and demand figures"))
        self.only_pressures = QCheckBox(self.tr("Only where demand outruns what is bought"))
        self.only_pressures.setObjectName("demand_only_pressures")
        self.only_pressures.toggled.connect(lambda _on: self._show_rows())
        self.trend = QRadioButton(self.tr("Forecast from the trend of earlier years"))
        self.trend.setObjectName("demand_trend")
        self.grow = QRadioButton(self.tr("Grow the latest figures by"))
        self.grow.setObjectName("demand_grow")
        self.rate = QDoubleSpinBox()
        self.rate.setObjectName("demand_rate")
        self.rate.setRange(-50, 100)
        self.rate.setDecimals(1)
        self.rate.setSuffix(self.tr("% a year"))
        self.rate.setAccessibleName(self.tr("Growth rate a year"))
        apply = QPushButton(self.tr("Apply"))
        apply.setObjectName("demand_apply")
        apply.clicked.connect(lambda: self.apply_forecast())
        self.import_button = QPushButton(self.tr("Import Figures…"))
        self.import_button.setObjectName("demand_import")
        self.import_button.clicked.connect(lambda: self.import_figures())
        self.chart = PressureChart()
        self.pressures = QListWidget()
        self.pressures.setObjectName("demand_pressures")
        self.pressures.setAccessibleName(self.tr("Where demand outruns what is bought"))
        self.pressures.setWordWrap(True)

        controls = QHBoxLayout()
        controls.addWidget(self.trend)
        controls.addSpacing(12)
        controls.addWidget(self.grow)
        controls.addWidget(self.rate)
        controls.addWidget(apply)
        controls.addStretch(1)
        controls.addWidget(self.import_button)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.chart)
        pressures_label = QLabel(self.tr("Where demand outruns what is bought"))
        pressures_label.setBuddy(self.pressures)
        side_layout.addWidget(pressures_label)
        side_layout.addWidget(self.pressures, 1)
        tables = QWidget()
        table_layout = QVBoxLayout(tables)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addWidget(self.only_pressures)
        table_layout.addWidget(self.table, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(tables)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        self.split = split
        split.setSizes([620, 380])
        self._columns_saved = restore_view("demand", split, self.table.horizontalHeader())
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(controls)
        layout.addWidget(split, 1)
        self.import_button.setEnabled(not workspace.read_only)
        apply.setEnabled(not workspace.read_only)

    def _shade(self, row: DemandRow) -> QBrush | None:
        """Pale red behind a row in one of the year's pressures (its words say so too)."""
        return _OVER if self.position is not None and outruns(self.position, row) else None

    # -- loading ------------------------------------------------------------------------

    def ensure_loaded(self) -> None:
        if self.stale:
            self.reload()

    def reload(self) -> None:
        try:
            position = demand_position(self.workspace.wb, self.workspace.year)
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return
        self.stale = False
        self.position = position
        rate = position.growth_percent
        self.trend.setChecked(rate is None)
        self.grow.setChecked(rate is not None)
        self.rate.setValue(float(rate) if rate is not None else 0.0)
        how = (
            self.tr("forecasts follow the trend of earlier years")
            if rate is None
            else self.tr("forecasts grow {0}% a year").format(f"{rate.normalize():f}")
        )
        self.heading.setText(self.tr("Need and demand {0}: {1}").format(position.year, how))
        self._show_rows()
        self.chart.set_bars(pressure_bars(position))
        self.pressures.clear()
        self.pressures.addItems(list(position.pressures) or [self.tr("None this year.")])
        if not self._columns_saved:
            fit_columns(self.table, 260)

    def save_view(self) -> None:
        """The splitter and the columns as the user left them."""
        save_view("demand", self.split, self.table.horizontalHeader())

    def _show_rows(self) -> None:
        if self.position is None:
            return
        rows = self.position.rows
        if self.only_pressures.isChecked():
            rows = tuple(r for r in rows if outruns(self.position, r))
        self.model.set_rows(rows)

    def summary(self) -> str:
        if self.position is None:
            return ""
        providers = len({r.provider_id for r in self.position.rows})
        return self.tr("{0} figures for {1} providers; {2} pressures").format(
            len(self.position.rows), providers, len(self.position.pressures)
        )

    # -- actions ------------------------------------------------------------------------

    def apply_forecast(self) -> bool:
        """Saves the forecast method the controls show; True when saved."""
        percent = None if self.trend.isChecked() else Decimal(f"{self.rate.value():.1f}")
        try:
            set_growth(self.workspace.wb, percent)
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return False
        self.reload()
        self.changed.emit()
        return True

    def import_figures(self) -> bool:
        from dom_desk.domain.lists_import import ListKind
        from dom_desk.ui.lists_import_dialog import import_list_interactively

        if not import_list_interactively(self, self.workspace, ListKind.DEMAND):
            return False
        self.reload()
        self.changed.emit()
        return True
