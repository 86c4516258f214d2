"""The Priorities area: the shown year's commissioning priorities (number, title,
rationale, the providers' response) as a table like any other area."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from dom_desk.domain.tables import AREAS
from dom_desk.ui.area_page import AreaPage


class PrioritiesPage(AreaPage):
    """The priorities table (reordering and roll-forward are added here)."""

    def __init__(self, workspace: Any, parent: QWidget | None = None) -> None:
        super().__init__(AREAS["priorities"], workspace, parent)
