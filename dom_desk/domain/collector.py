"""Python's cyclic garbage collector kept out of a bulk read.

A bulk read (a national matrix, a workbook's 50,000 measures) makes tens of thousands of
long-lived tuples with no cycles among them; the collector would otherwise walk the
growing heap every few hundred of them (a fifth to a third of the read's time).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pauses the collector for the block and resumes it after, only if it was running
    (the window runs it from the GUI thread itself: see ``ui/collector.py``)."""
    was_running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_running:
            gc.enable()
