"""File ▸ Take Offline and File ▸ Bring Back Online: working without the team server.

Take Offline (a server region open) writes the region as an ordinary workbook file with
the base it came from (``domain.offline.checkout``) and opens that file: the whole app
works on it with no network. Bring Back Online (that file open) plans the check-in
(``plan_checkin``), shows any conflicts side by side for the user to choose Yours or
Theirs (``offline_conflicts_dialog``), then checks in (``checkin``): one server
transaction, all or nothing. A mixin of ``MainWindow``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dom_desk import paths
from dom_desk.errors import DomDeskError
from dom_desk.ui.messages import messages, run_modal


def _offline() -> Any:
    """``domain.offline``, or None while this version has none."""
    try:
        from dom_desk.domain import offline
    except ImportError:
        return None
    return offline


def _counted(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def describe_result(result: Any) -> str:
    """What a check-in did, in one sentence, from whatever counts the result carries."""
    summary = getattr(result, "summary", None)
    if callable(summary):
        summary = summary()
    if isinstance(summary, str) and summary:
        return summary
    parts = []
    for attribute, noun in (
        ("applied", "change"),
        ("created", "new record"),
        ("deleted", "deletion"),
        ("resolved", "conflict resolved"),
    ):
        value = getattr(result, attribute, None)
        if isinstance(value, int) and value:
            parts.append(_counted(value, noun))
        elif isinstance(value, list | tuple) and value:
            parts.append(_counted(len(value), noun))
    if not parts:
        return "Checked in: the server already had every change."
    return "Checked in: " + ", ".join(parts) + "."


class OfflineCommands:
    """Take Offline and Bring Back Online."""

    def is_offline_copy(self) -> bool:
        """Whether the workbook open is a region checked out from the server."""
        workspace = self.workspace
        offline = _offline()
        if workspace is None or offline is None or workspace.wb.is_server:
            return False
        try:
            return offline.offline_copy_of(workspace.wb) is not None
        except DomDeskError:
            return False

    def take_offline(self) -> bool:
        """File ▸ Take Offline…: checks the server region out to a file and opens it."""
        workspace = self.workspace
        offline = _offline()
        if workspace is None or not workspace.wb.is_server:
            return False
        if offline is None:
            messages.error(self, self.tr("This version of DOM Desk cannot work offline yet."))
            return False
        wb = workspace.wb
        suggested = Path.home() / f"{wb.name} offline{paths.WORKBOOK_SUFFIX}"
        target = messages.save_path(
            self, self.tr("Take {0} offline: where to keep it").format(wb.name), suggested
        )
        if target is None:
            return False
        if target.suffix != paths.WORKBOOK_SUFFIX:
            target = target.with_name(target.name + paths.WORKBOOK_SUFFIX)
        try:
            offline.checkout(wb.address, target)
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return False
        if not self.open_file(target):
            return False
        self.statusBar().showMessage(
            self.tr(
                "{0} is offline in {1}: work on as usual, then File ▸ Bring Back Online."
            ).format(wb.name, target),
            15000,
        )
        return True

    def bring_back_online(self) -> bool:
        """File ▸ Bring Back Online…: the check-in planned, conflicts chosen, merged."""
        workspace = self.workspace
        offline = _offline()
        if workspace is None or offline is None or not self.is_offline_copy():
            return False
        path = Path(workspace.path)
        try:
            plan = offline.plan_checkin(path)
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return False
        conflicts = list(getattr(plan, "conflicts", ()) or ())
        choices: dict[Any, str] = {}
        if conflicts:
            from dom_desk.ui.offline_conflicts_dialog import ConflictsDialog

            dialog = self.conflicts_dialog(conflicts, plan)
            if run_modal(dialog) != ConflictsDialog.DialogCode.Accepted:
                return False
            choices = dialog.choices()
        elif not messages.confirm(
            self,
            self.tr("{0}\n\nBring these changes back to the server now?").format(
                describe_plan(plan)
            ),
            self.tr("Bring back online"),
        ):
            return False
        try:
            result = offline.checkin(path, choices)
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return False
        self.reload()
        messages.info(self, describe_result(result), self.tr("Back online"))
        return True

    def conflicts_dialog(self, conflicts: list[Any], plan: Any = None) -> Any:
        """The dialog asking Yours or Theirs for each conflict, not yet shown."""
        from dom_desk.ui.offline_conflicts_dialog import ConflictsDialog

        return ConflictsDialog(conflicts, describe_plan(plan) if plan is not None else "", self)


def describe_plan(plan: Any) -> str:
    """What a planned check-in would do, from whatever the plan says of itself."""
    summary = getattr(plan, "summary", None)
    if callable(summary):
        summary = summary()
    if isinstance(summary, str) and summary:
        return summary
    changes = getattr(plan, "changes", None)
    if isinstance(changes, list | tuple):
        return f"{_counted(len(changes), 'change')} made offline will be merged."
    return "The changes made offline will be merged."
