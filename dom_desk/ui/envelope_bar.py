"""The envelope bar: the year's envelope against what is allocated, in view above the
allocations, the SLA workspace and the scenarios."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from dom_desk.domain.allocations import Position
from dom_desk.domain.money import format_pounds


class EnvelopeBar(QFrame):
    """The envelope against what is committed, always in view, in words not colour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.figures = QLabel()
        self.figures.setObjectName("envelope_figures")
        self.figures.setAccessibleName(self.tr("Envelope and committed allocations"))
        self.figures.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.verdict = QLabel()
        self.verdict.setObjectName("envelope_verdict")
        self.verdict.setAccessibleName(self.tr("Envelope check"))
        layout = QHBoxLayout(self)
        layout.addWidget(self.figures, 1)
        layout.addWidget(self.verdict)

    def show_position(self, pos: Position) -> None:
        # The envelope is every line once (negative adjustments included); the totals a
        # budget table prints are checked on the Envelope tab, never added in.
        self.figures.setText(
            self.tr("{0} envelope {1}  ·  committed {2}  ·  headroom {3}").format(
                pos.year,
                format_pounds(pos.envelope),
                format_pounds(pos.committed),
                format_pounds(pos.headroom),
            )
        )
        if not pos.envelope_lines:
            text = self.tr("No envelope entered: add its lines on the Envelope tab")
            self.verdict.setStyleSheet("font-weight: bold;")
        elif pos.over_envelope:
            text = self.tr("Warning: over the envelope by {0}").format(format_pounds(-pos.headroom))
            self.verdict.setStyleSheet("font-weight: bold; color: #a00000;")
        else:
            text = self.tr("Within the envelope")
            self.verdict.setStyleSheet("")
        self.verdict.setText(text)
