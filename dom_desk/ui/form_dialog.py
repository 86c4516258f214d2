"""The layout every small form dialog shares: labelled fields, then OK and Cancel.

Each field is named for screen readers by its label (without the Alt-letter mark), so a
dialog is usable without seeing it; the OK button runs the dialog's own check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QVBoxLayout, QWidget

from dom_desk.errors import ValidationError
from dom_desk.ui.messages import messages


class CheckedDialog(QDialog):
    """A form whose OK parses the fields (``answer()``): a refused value is explained and
    the dialog stays open; an accepted one leaves its parsed input in ``result_input``.
    Lay it out with ``lay_out_form(self, rows, self._accept)``."""

    result_input: Any = None

    def answer(self) -> Any:
        raise NotImplementedError

    def _accept(self) -> None:
        try:
            self.result_input = self.answer()
        except ValidationError as exc:
            messages.error(self, str(exc))
            return
        self.accept()


def lay_out_form(
    dialog: QDialog,
    rows: Iterable[tuple[str, QWidget]],
    accept: Callable[[], object],
    heading: QWidget | None = None,
    note: QWidget | None = None,
) -> QFormLayout:
    """Lays out ``dialog``: an optional ``heading`` row, the labelled ``rows``, an
    optional ``note`` under the form, then OK (``accept``) and Cancel."""
    form = QFormLayout()
    if heading is not None:
        form.addRow(heading)
    for label, widget in rows:
        widget.setAccessibleName(label.replace("&", "").rstrip(":"))
        form.addRow(label, widget)
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addLayout(form)
    if note is not None:
        layout.addWidget(note)
    layout.addWidget(buttons)
    return form
