"""Undoable actions of the contracts, competitions and risks screens.

An :class:`ActionCommand` runs one domain action in one transaction (``redo``) and its
inverse in another (``undo``). A refused action tells the user why and marks itself
obsolete, so the undo stack never holds a step that did not happen, as with field edits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QApplication

from dom_desk.errors import DomDeskError
from dom_desk.ui.messages import messages

#: A domain action: given an open session, does its writes.
Action = Callable[[Any], Any]


class ActionCommand(QUndoCommand):
    def __init__(
        self, workspace: Any, text: str, do: Action, undo: Action, changed: Callable[[], None]
    ) -> None:
        super().__init__(text)
        self.workspace = workspace
        self._do = do
        self._undo = undo
        self._changed = changed
        #: True once the action was refused (the stack then drops the command).
        self.failed = False
        #: What the action returned the first time (a new record, an old value).
        self.result: Any = None
        self._done_once = False

    def _run(self, action: Action) -> Any:
        try:
            with self.workspace.wb.session() as session:
                result = action(session)
        except DomDeskError as exc:
            self.failed = True
            self.setObsolete(True)
            messages.error(QApplication.activeWindow(), str(exc))
            return None
        self._changed()
        return result

    def redo(self) -> None:
        result = self._run(self._do)
        if not self._done_once:
            self._done_once = True
            self.result = result

    def undo(self) -> None:
        self._run(self._undo)


def push(
    workspace: Any, text: str, do: Action, undo: Action, changed: Callable[[], None]
) -> ActionCommand:
    """Runs the action through the workspace's undo stack; check ``failed`` after."""
    command = ActionCommand(workspace, text, do, undo, changed)
    workspace.undo_stack.push(command)
    return command
