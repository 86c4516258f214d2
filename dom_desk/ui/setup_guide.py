"""The Overview's first-run guide: what a new region still lacks, each with its button.

Shown above the Overview's figures while any step of ``domain.setup_steps`` is missing,
and hidden once the region has them all (the demo never shows it). A button asks the
window to do the step (``stepChosen``): open the area and its New… form, or the import.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

#: Each step's buttons: (how, text). ``how`` is "add" (the area and its form, or the
#: step's own tool) or "import" (a list or framework file).
BUTTONS: dict[str, tuple[tuple[str, str], ...]] = {
    "providers": (("add", "Add a provider…"), ("import", "Import a list…")),
    "measures": (("add", "Import a framework…"), ("import", "Import a list…")),
    "services": (("add", "Add a service…"), ("import", "Import a list…")),
    "agreements": (("add", "New agreement…"), ("import", "Import a list…")),
    "envelope": (("add", "Enter the envelope…"), ("import", "Import a budget table…")),
    "targets": (("add", "Fill targets…"), ("import", "Import a list…")),
    "priorities": (("add", "Add a priority…"), ("import", "Import a list…")),
}


class SetupGuide(QFrame):
    """The steps in order: done ones ticked, missing ones with what to do and buttons."""

    #: A step's button was pressed: (step key, "add" or "import").
    stepChosen = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("setup_guide")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(self.tr("Setting up the region"))
        self.heading = QLabel()
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.heading.setFont(font)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.grid = QGridLayout()
        self.grid.setColumnStretch(1, 1)
        self.grid.setHorizontalSpacing(12)
        self.grid.setVerticalSpacing(2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addLayout(self.grid)
        self.buttons: dict[tuple[str, str], QPushButton] = {}

    def show_steps(self, region: str, year: str, steps: Sequence[Any]) -> None:
        """Fills the guide, and hides it when every step is done."""
        missing = [s for s in steps if not s.done]
        self.setVisible(bool(missing))
        if not missing:
            return
        self.heading.setText(self.tr("Setting up {0} for {1}").format(region, year))
        done = len(steps) - len(missing)
        self.intro.setText(
            self.tr(
                "{0} of {1} steps done. Work down the list: each button opens the place "
                "where the step is done. This guide goes once every step is done."
            ).format(done, len(steps))
        )
        self._clear()
        self.buttons.clear()
        first_missing = missing[0].key
        for row, step in enumerate(steps):
            mark = QLabel("✓" if step.done else f"{row + 1}.")
            mark.setAccessibleName(self.tr("done") if step.done else self.tr("to do"))
            # One line a step, so the guide leaves the Overview's figures their room.
            title = QLabel(
                self.tr("{0}: {1}").format(step.title, step.count)
                if step.done
                else f"<b>{step.title}</b> · {step.missing}"
            )
            title.setToolTip(step.missing)
            title.setEnabled(not step.done)
            self.grid.addWidget(mark, row, 0)
            self.grid.addWidget(title, row, 1)
            if step.done:
                continue
            # Each button in its own column, so the buttons line up down the guide.
            for column, (how, text) in enumerate(BUTTONS.get(step.key, ()), start=2):
                button = QPushButton(self.tr(text))
                button.setObjectName(f"setup_{step.key}_{how}")
                # Enter presses the focused button, as Space does (outside a dialog a
                # button only answers Enter when it is auto-default).
                button.setAutoDefault(True)
                button.clicked.connect(
                    lambda _c=False, k=step.key, h=how: self.stepChosen.emit(k, h)
                )
                if step.key == first_missing and how == "add":
                    button.setDefault(True)
                self.buttons[step.key, how] = button
                self.grid.addWidget(button, row, column)

    def _clear(self) -> None:
        # Hidden and unparented at once: deleteLater only runs when the event loop comes
        # round, and until then the old rows would paint under the new ones.
        while self.grid.count():
            widget = self.grid.takeAt(0).widget()
            if widget is not None:
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
