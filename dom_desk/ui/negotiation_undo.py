"""One undo command per user action, over any domain call that can be undone.

``do(first)`` runs the action in its own transaction and returns what undoing needs (the
changes a paste made, a scenario's accept record, what a roll forward created);
``undo(result)`` reverses it. Redo runs ``do(False)`` again: an action may then skip the
row-version checks it made the first time, as its own undo moved those versions on. A
refused action tells the user why and marks itself obsolete, so the stack never holds a
step that did not happen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QApplication, QWidget

from dom_desk.errors import DomDeskError
from dom_desk.ui.messages import messages


class DomainCommand(QUndoCommand):
    def __init__(
        self,
        text: str,
        do: Callable[[bool], Any],
        undo: Callable[[Any], Any],
        changed: Callable[[], None],
        parent_widget: QWidget | None = None,
    ) -> None:
        super().__init__(text)
        self._do = do
        self._undo = undo
        self._changed = changed
        self._parent = parent_widget
        self._first = True
        #: True once the action was refused (the stack then drops the command).
        self.failed = False
        self.result: Any = None

    def _report(self, exc: DomDeskError) -> None:
        self.failed = True
        self.setObsolete(True)
        messages.error(self._parent or QApplication.activeWindow(), str(exc))

    def redo(self) -> None:
        try:
            self.result = self._do(self._first)
        except DomDeskError as exc:
            self._report(exc)
            return
        finally:
            self._first = False
        self._changed()

    def undo(self) -> None:
        try:
            self._undo(self.result)
        except DomDeskError as exc:
            self._report(exc)
            return
        self._changed()


def push(
    stack: QUndoStack,
    text: str,
    do: Callable[[bool], Any],
    undo: Callable[[Any], Any],
    changed: Callable[[], None],
    parent: QWidget | None = None,
) -> DomainCommand:
    """Runs the action through the undo stack; check ``failed`` on the command after."""
    command = DomainCommand(text, do, undo, changed, parent)
    stack.push(command)
    return command
