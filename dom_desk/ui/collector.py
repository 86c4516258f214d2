"""Python's cyclic garbage collector, run on the GUI thread only.

Work runs on worker threads (plan export, imports, the matrix). Left automatic, the
collector runs in whichever thread happens to allocate when a threshold is crossed, and
may then finalise Qt wrappers there, off the thread that owns them: PySide6 crashes
the process when that happens (seen as a segmentation fault "Garbage-collecting" in a
worker). So the automatic collector is switched off while the window runs, and a timer
on the GUI thread collects instead, whenever the counts say a collection is due.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

#: How often the GUI thread looks at the collector's counts, in milliseconds.
INTERVAL_MS = 500


class MainThreadCollector(QObject):
    """Collects garbage on the thread it was made on (the GUI thread)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self._timer.start(INTERVAL_MS)

    def check(self) -> int:
        """Collects the oldest generation whose count passed its threshold; returns the
        generation collected, or -1 when none was due."""
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self._thresholds[generation]:
                gc.collect(generation)
                return generation
        return -1

    def stop(self) -> None:
        """Gives collection back to Python (when the window closes)."""
        self._timer.stop()
        gc.enable()
