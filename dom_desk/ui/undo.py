"""Undoable edits: one ``QUndoCommand`` per field a user changes.

A command writes through its target (the :class:`~dom_desk.ui.workspace.Workspace`), which
calls the domain's ``update_field``. When a write is refused (validation, a locked
agreement, a conflict) the user is told why and the command marks itself obsolete, so
``QUndoStack`` drops it: the stack never holds a step that did not happen.
"""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QApplication

from dom_desk.domain.tables import Change
from dom_desk.errors import DomDeskError
from dom_desk.ui.messages import messages


class EditTarget(Protocol):
    def write(self, area_key: str, row_id: int, key: str, value: Any) -> Change: ...


class EditFieldCommand(QUndoCommand):
    """Sets one field of one record; undo writes the value it replaced back."""

    def __init__(
        self,
        target: EditTarget,
        area_key: str,
        row_id: int,
        key: str,
        old: Any,
        new: Any,
        text: str,
    ) -> None:
        super().__init__(text)
        self.target = target
        self.area_key = area_key
        self.row_id = row_id
        self.key = key
        self.old = old
        self.new = new
        self._done_once = False
        #: True once a write was refused (the stack then drops the command).
        self.failed = False

    def redo(self) -> None:
        change = self._write(self.new)
        if change is None:
            return
        if not self._done_once:
            self._done_once = True
            # The value the store really held is the one undo must put back.
            self.old = change.old
            if change.old == change.new:
                self.setObsolete(True)  # nothing changed: nothing to undo

    def undo(self) -> None:
        self._write(self.old)

    def _write(self, value: Any) -> Change | None:
        try:
            return self.target.write(self.area_key, self.row_id, self.key, value)
        except DomDeskError as exc:
            self.failed = True
            self.setObsolete(True)
            messages.error(QApplication.activeWindow(), str(exc))
            return None
