"""A chart in a window, with Export to PNG.

Imported only when a chart is first shown: it pulls in matplotlib's Qt canvas. The
figure itself is drawn by ``dom_desk.charts`` (on a worker thread), so the same figure
can be saved for the PDF plan.
"""

from __future__ import annotations

from pathlib import Path

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from dom_desk import charts
from dom_desk.errors import DomDeskError
from dom_desk.ui.messages import messages

PNG_FILTER = "PNG images (*.png);;SVG drawings (*.svg);;All files (*)"


class ChartDialog(QDialog):
    def __init__(
        self, figure: Figure, title: str, suggested_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.figure = figure
        self.suggested_name = suggested_name
        self.setWindowTitle(title)
        self.canvas = FigureCanvasQTAgg(figure)
        self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.canvas.setAccessibleName(title)
        self.canvas.setAccessibleDescription(figure.get_label() or title)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.export_button = QPushButton(self.tr("Export PNG…"))
        self.export_button.setAccessibleName(self.tr("Export the chart to a PNG file"))
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.clicked.connect(lambda: self.export())
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(buttons)
        width, height = figure.get_size_inches()
        dpi = self.logicalDpiX() or 96
        self.resize(int(width * dpi) + 24, int(height * dpi) + 64)

    def export(self, path: Path | None = None) -> Path | None:
        """Saves the chart (PNG unless the name says .svg); asks where when not told."""
        if path is None:
            path = messages.save_path(
                self, self.tr("Export chart"), Path(self.suggested_name), file_filter=PNG_FILTER
            )
            if path is None:
                return None
        if path.suffix.lower() not in charts.FORMATS:
            path = path.with_suffix(".png")
        try:
            return charts.save_figure(self.figure, path)
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return None
