"""The envelope bar: the year's envelope against what is allocated, in view above the
allocations, the SLA workspace and the scenarios; and how any progress bar of the
envelope shows its state (``show_envelope_state``, the Overview's too)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QWidget

from dom_desk.domain.allocations import Position
from dom_desk.domain.allocations.position import EnvelopeState
from dom_desk.domain.money import format_pounds

#: The bar of an envelope over (red) or nearly used (amber). The colours and the text on
#: them are set together, not taken from the palette, so the words read the same on a
#: light or a dark palette; within the envelope the bar keeps the style's own colours.
_STATE_STYLES = {
    EnvelopeState.OVER: (
        "QProgressBar { border: 1px solid #7f1d1d; border-radius: 3px; text-align: center;"
        " background-color: #fde8e8; color: #ffffff; font-weight: bold; }"
        " QProgressBar::chunk { background-color: #b3261e; }"
    ),
    EnvelopeState.NEARLY: (
        "QProgressBar { border: 1px solid #8a5a00; border-radius: 3px; text-align: center;"
        " background-color: #fff4d6; color: #1a1a1a; font-weight: bold; }"
        " QProgressBar::chunk { background-color: #f2b01e; }"
    ),
}


def show_envelope_state(bar: QProgressBar, state: EnvelopeState, words: str) -> None:
    """Colours ``bar`` by ``state`` and writes ``words`` on it (never colour alone); its
    ``envelopeState`` property is the state's value ("over", "nearly", ...)."""
    bar.setProperty("envelopeState", state.value)
    bar.setStyleSheet(_STATE_STYLES.get(state, ""))
    bar.setFormat(words)  # no "%p", "%v" or "%m" in the words: nothing is replaced
    bar.setToolTip(words)
    bar.setAccessibleDescription(words)


def show_envelope_share(
    bar: QProgressBar, committed: int, envelope: int, state: EnvelopeState, words: str
) -> None:
    """The share of the envelope committed on ``bar`` (full once over), with its state."""
    if envelope <= 0:
        bar.setRange(0, 1)
        bar.setValue(0)
    else:
        bar.setRange(0, 1000)
        bar.setValue(min(1000, max(0, committed * 1000 // envelope)))
    show_envelope_state(bar, state, words)


class EnvelopeBar(QFrame):
    """The envelope against what is committed, always in view, in words not colour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.figures = QLabel()
        self.figures.setObjectName("envelope_figures")
        self.figures.setAccessibleName(self.tr("Envelope and committed allocations"))
        self.figures.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.used = QProgressBar()
        self.used.setObjectName("envelope_used")
        self.used.setAccessibleName(self.tr("Share of the envelope committed"))
        self.used.setTextVisible(True)
        self.used.setMinimumWidth(self.fontMetrics().averageCharWidth() * 30)
        self.verdict = QLabel()
        self.verdict.setObjectName("envelope_verdict")
        self.verdict.setAccessibleName(self.tr("Envelope check"))
        layout = QHBoxLayout(self)
        layout.addWidget(self.figures)
        layout.addWidget(self.used, 1)
        layout.addWidget(self.verdict, 1)

    @property
    def state(self) -> str:
        """The envelope's state as shown: "none", "within", "nearly" or "over"."""
        return str(self.used.property("envelopeState") or "")

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
        state = pos.envelope_state
        show_envelope_share(self.used, pos.committed, pos.envelope, state, pos.envelope_words)
        # The bar says the verdict in words where there is an envelope to measure; the
        # verdict label stands in for it where there is none (it keeps its text).
        self.used.setVisible(state is not EnvelopeState.NONE)
        self.verdict.setVisible(state is EnvelopeState.NONE)
        if not pos.envelope_lines:
            text = self.tr("No envelope entered: add its lines on the Envelope tab")
            self.verdict.setStyleSheet("font-weight: bold;")
        elif pos.over_envelope:
            text = self.tr("Warning: over the envelope by {0}").format(format_pounds(-pos.headroom))
            self.verdict.setStyleSheet("font-weight: bold;")
        elif state is EnvelopeState.NEARLY:
            text = self.tr("Nearly used: {0} left").format(format_pounds(pos.headroom) or "£0")
            self.verdict.setStyleSheet("font-weight: bold;")
        else:
            text = self.tr("Within the envelope")
            self.verdict.setStyleSheet("")
        self.verdict.setText(text)
