"""The one undo command of the window: every edit a user makes is one of these.

``do(first)`` runs the action through domain functions that take the Workbook (each its
own transaction) and returns what undoing needs (the changes a paste made, a scenario's
accept record, what a roll forward created); ``undo(result)`` reverses it. Redo runs
``do(False)`` again: an action may then skip the row-version checks it made the first
time, as its own undo moved those versions on. A refused action tells the user why and
marks itself obsolete, so ``QUndoStack`` drops it: the stack never holds a step that did
not happen. An action that turns out to change nothing is dropped the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QApplication, QWidget

from dom_desk.errors import DomDeskError
from dom_desk.ui.messages import messages

if TYPE_CHECKING:  # the areas' tables are imported on the first edit, not at start-up
    from dom_desk.domain.tables import Change


def _nothing() -> None:
    return None


class UndoCommand(QUndoCommand):
    """One user action: a description, what it does and how it is undone."""

    def __init__(
        self,
        text: str,
        do: Callable[[bool], Any],
        undo: Callable[[Any], Any],
        changed: Callable[[], Any] = _nothing,
        parent_widget: QWidget | None = None,
        unchanged: Callable[[Any], bool] | None = None,
    ) -> None:
        super().__init__(text)
        self._do = do
        self._undo = undo
        self._changed = changed
        self._parent = parent_widget
        self._unchanged = unchanged
        self._first = True
        #: True once the action was refused (the stack then drops the command).
        self.failed = False
        #: What ``do`` returned last (a new record's id, the changes to put back).
        self.result: Any = None

    def _report(self, exc: DomDeskError) -> None:
        self.failed = True
        self.setObsolete(True)
        messages.error(self._parent or QApplication.activeWindow(), str(exc))

    def redo(self) -> None:
        first, self._first = self._first, False
        try:
            self.result = self._do(first)
        except DomDeskError as exc:
            self._report(exc)
            return
        if first and self._unchanged is not None and self._unchanged(self.result):
            self.setObsolete(True)  # nothing changed: nothing to undo
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
    changed: Callable[[], Any] = _nothing,
    parent: QWidget | None = None,
) -> UndoCommand:
    """Runs the action through the undo stack; check ``failed`` on the command after."""
    command = UndoCommand(text, do, undo, changed, parent)
    stack.push(command)
    return command


class EditTarget(Protocol):
    def write(self, area_key: str, row_id: int, key: str, value: Any) -> Change: ...


def edit_field(
    target: EditTarget, area_key: str, row_id: int, key: str, old: Any, new: Any, text: str
) -> UndoCommand:
    """Sets one field of one record through ``target`` (the workspace, which checks the
    row version last shown); undo writes back the value the store really held."""
    held = {"old": old}

    def do(first: bool) -> Change:
        change = target.write(area_key, row_id, key, new)
        if first:
            held["old"] = change.old
        return change

    return UndoCommand(
        text,
        do,
        lambda _change: target.write(area_key, row_id, key, held["old"]),
        unchanged=lambda change: change.old == change.new,
    )


def push_action(
    workspace: Any,
    text: str,
    do: Callable[[Any], Any],
    undo: Callable[[Any], Any],
    changed: Callable[[], Any],
) -> UndoCommand:
    """The planning screens' form: ``do`` and ``undo`` are each handed one unit of work
    of the workbook (``tables.run_action``); ``result`` is what ``do`` first returned."""
    from dom_desk.domain.tables import run_action

    wb = workspace.wb
    first_result: dict[str, Any] = {}

    def run(first: bool) -> Any:
        result = run_action(wb, do)
        if first:
            first_result["value"] = result
        return first_result.get("value")

    command = UndoCommand(text, run, lambda _r: run_action(wb, undo), changed)
    workspace.undo_stack.push(command)
    return command
