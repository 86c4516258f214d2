"""The drill-down of a matrix cell: the results behind it, their source files and history."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dom_desk.domain.matrix import CellDetail, MeasureInfo, ResultLine
from dom_desk.domain.performance import MAX_TOLERANCE, format_measure_value
from dom_desk.domain.periods import format_date, period_label
from dom_desk.domain.values import counted, format_decimal

Index = QModelIndex | QPersistentModelIndex


def _when(value: Any) -> str:
    return value.strftime("%d/%m/%Y %H:%M") if value else ""


class ResultLinesModel(QAbstractTableModel):
    """Every figure behind the cell, current ones first within each period."""

    HEADERS = (
        "Period",
        "Actual",
        "Numerator",
        "Denominator",
        "Standing",
        "Source file",
        "Row",
        "Received",
        "Entered by",
        "Commentary",
    )

    def __init__(self, detail: CellDetail, parent: Any = None) -> None:
        super().__init__(parent)
        self.lines: list[ResultLine] = detail.lines
        self._italic = QFont()
        self._italic.setItalic(True)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def _text(self, line: ResultLine, column: int) -> str:
        match column:
            case 0:
                return period_label(line.period)
            case 1:
                return line.actual_text
            case 2:
                return "" if line.numerator is None else format_decimal(line.numerator)
            case 3:
                return "" if line.denominator is None else format_decimal(line.denominator)
            case 4:
                standing = "Superseded" if line.superseded else "Current"
                return f"{standing}, received late" if line.received_late else standing
            case 5:
                return line.file_name or line.source
            case 6:
                return "" if line.source_row is None else str(line.source_row)
            case 7:
                return _when(line.received_at or line.entered_at)
            case 8:
                return line.entered_by
            case 9:
                return line.commentary
        return ""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        line = self.lines[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(line, index.column())
        if role == Qt.ItemDataRole.ToolTipRole and index.column() in (5, 9):
            return self._text(line, index.column())
        if role == Qt.ItemDataRole.FontRole and line.superseded:
            return self._italic
        if role == Qt.ItemDataRole.ForegroundRole and line.superseded:
            return QBrush(QColor("#555555"))
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (1, 2, 3, 6):
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.tr(self.HEADERS[section])
        return None


def summary_text(detail: CellDetail) -> str:
    """The cell's standing in one sentence, with the numbers that decide it."""
    cell = detail.cell
    if cell is None:
        return "This measure does not apply to this provider for the period chosen."
    facts = []
    if cell.value is not None:
        facts.append(f"actual {cell.value_text}")
    if cell.target is not None:
        target = f"target {cell.target_text}"
        if cell.annual_target is not None and cell.annual_target != cell.target:
            year = format_measure_value(detail.measure.unit, cell.annual_target)
            target += f" (a share of the year's {year})"
        facts.append(target)
    elif cell.value is not None:
        facts.append("no target set")
    head = f"{cell.status.symbol} {cell.label}."
    if not facts:
        return head
    said = ", ".join(facts)
    return f"{head} {said[0].upper()}{said[1:]}."


class CellDialog(QDialog):
    """Opened from a matrix cell (Enter or double-click)."""

    #: (measure id, provider id or None for every provider)
    trendRequested = Signal(int, object)

    def __init__(self, detail: CellDetail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail = detail
        measure, provider = detail.measure, detail.provider
        self.setWindowTitle(self.tr("{0}, {1}: results").format(provider.name, measure.code))

        heading = QLabel(
            f"<b>{provider.name}</b> · {measure.code}: {measure.title}<br>{detail.window.label}"
        )
        heading.setWordWrap(True)
        heading.setTextFormat(Qt.TextFormat.RichText)
        self.status_label = QLabel(summary_text(detail))
        self.status_label.setWordWrap(True)
        self.status_label.setAccessibleName(self.tr("Status"))
        font = self.status_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.status_label.setFont(font)

        rule = measure.describe().split("\n", 1)[1]
        if detail.working:
            rule += f"\nWorking: {detail.working}"
        if detail.cell is not None and detail.cell.partial:
            rule += "\nSome returns gave no numerator or denominator and are left out."
        self.rule_label = QLabel(rule)
        self.rule_label.setWordWrap(True)

        missing = [
            f"{period_label(code)} (due {format_date(due)}, "
            f"{(detail.window.today - due).days} days late)"
            for code, due in detail.missing
        ]
        self.missing_label = QLabel(
            self.tr("Returns missing: {0}").format("; ".join(missing))
            if missing
            else self.tr("No return is missing.")
        )
        self.missing_label.setWordWrap(True)

        self.lines = ResultLinesModel(detail, self)
        self.table = QTableView()
        self.table.setModel(self.lines)
        self.table.setAccessibleName(self.tr("Results behind this figure"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        # One line a figure, so a year of returns shows without scrolling; the whole
        # commentary is in the cell's tooltip.
        self.table.setWordWrap(False)
        line = self.fontMetrics().lineSpacing()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(int(line * 1.4))
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)

        history = len(detail.history)
        self.history_label = QLabel(
            self.tr("{0} kept below the current ones (in italics).").format(
                counted(history, "superseded figure")
            )
            if history
            else self.tr("No figure has been superseded.")
        )
        self.edits_label = QLabel(
            "\n".join(
                f"{period_label(e.period)}: {e.field} changed from {e.old or 'blank'} "
                f"to {e.new or 'blank'} by {e.user} on {_when(e.at)}"
                for e in detail.edits
            )
        )
        self.edits_label.setVisible(bool(detail.edits))
        self.edits_label.setWordWrap(True)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.trend_provider = QPushButton(self.tr("Trend for {0}…").format(provider.name))
        self.trend_all = QPushButton(self.tr("Trend across providers…"))
        buttons.addButton(self.trend_provider, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.trend_all, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.trend_provider.clicked.connect(
            lambda: self.trendRequested.emit(measure.id, provider.id)
        )
        self.trend_all.clicked.connect(lambda: self.trendRequested.emit(measure.id, None))

        layout = QVBoxLayout(self)
        for widget in (heading, self.status_label, self.rule_label, self.missing_label):
            layout.addWidget(widget)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.history_label)
        layout.addWidget(self.edits_label)
        layout.addWidget(buttons)
        char = self.fontMetrics().averageCharWidth()
        # Tall enough for twelve monthly figures below the explanation.
        self.resize(char * 130, line * 38)


class ToleranceDialog(QDialog):
    """How close to its target a measure's figure counts as "near" (amber, not missed)."""

    def __init__(self, measure: MeasureInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.measure = measure
        self.setWindowTitle(self.tr("{0}: near tolerance").format(measure.code))
        about = QLabel(
            self.tr(
                "{0}: {1}\n{2}. A figure that misses its target by no more than this share "
                "of the target shows as Near instead of Missed; 0 makes every shortfall a "
                "miss."
            ).format(measure.code, measure.title, measure.direction.label)
        )
        about.setWordWrap(True)
        self.percent = QDoubleSpinBox()
        self.percent.setRange(0, float(MAX_TOLERANCE))
        self.percent.setDecimals(1)
        self.percent.setSingleStep(0.5)
        self.percent.setSuffix(self.tr("% of target"))
        self.percent.setValue(float(measure.tolerance))
        self.percent.setAccessibleName(self.tr("Near within, per cent of the target"))
        form = QFormLayout()
        form.addRow(self.tr("&Near within:"), self.percent)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 70, self.sizeHint().height())

    def value(self) -> Decimal:
        """The tolerance chosen, as the exact decimal the spin box shows."""
        # Rounded to the spin box's own places, not read back from its text, which is in
        # the user's locale ("2,5" in much of Europe).
        return Decimal(str(round(self.percent.value(), self.percent.decimals())))
