"""The Qt binding the app runs on keeps Python's books: PySide6 6.12.0 took a reference
from None at every call that returns nothing, and on Python 3.11 some thousands of calls
(a long session, one printed table) aborted the app. pyproject.toml keeps it below 6.12;
this says why, and fails on any binding with the same fault."""

from __future__ import annotations

import sys


def test_calls_returning_nothing_leave_none_its_references(qapp) -> None:
    from PySide6.QtWidgets import QLabel

    label = QLabel()
    before = sys.getrefcount(None)
    for n in range(2000):
        label.setText(str(n))
    # Other code may take or drop a few references meanwhile; the fault took 2,000.
    assert abs(sys.getrefcount(None) - before) < 200
