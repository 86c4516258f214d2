"""File ▸ Take Offline and File ▸ Bring Back Online: working without the team server.

Take Offline (a server region open) writes the region as an ordinary workbook file with
the base it came from (``domain.offline.checkout``) and opens that file: the whole app
works on it with no network. Bring Back Online (that file open) plans the check-in
(``plan_checkin``), shows any conflicts side by side for the user to choose Yours or
Theirs (``offline_conflicts_dialog``), then checks in (``checkin``): one server
transaction, all or nothing. The check-in rewrites the file with the server's latest
figures, so the window lets go of the file for it and opens it again after, whatever
happened. A mixin of ``MainWindow``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from dom_desk import paths
from dom_desk.errors import DomDeskError
from dom_desk.ui.messages import messages, run_modal

if TYPE_CHECKING:
    from types import ModuleType

    from dom_desk.domain.offline import CheckinPlan, CheckinResult, Conflict
    from dom_desk.ui.offline_conflicts_dialog import ConflictsDialog

T = TypeVar("T")


def _offline() -> ModuleType:
    """``domain.offline``, imported when first used: the window paints before the domain
    and the database layer load (tests/ui/test_documents.py)."""
    from dom_desk.domain import offline

    return offline


class OfflineCommands:
    """Take Offline and Bring Back Online."""

    def is_offline_copy(self) -> bool:
        """Whether the workbook open is a region checked out from the server."""
        workspace = self.workspace
        if workspace is None or workspace.wb.is_server:
            return False
        try:
            return _offline().offline_copy_of(workspace.wb) is not None
        except DomDeskError:
            return False

    def take_offline(self) -> bool:
        """File ▸ Take Offline…: checks the server region out to a file and opens it."""
        workspace = self.workspace
        if workspace is None or not workspace.wb.is_server:
            return False
        wb = workspace.wb
        suggested = Path.home() / f"{wb.name} offline{paths.WORKBOOK_SUFFIX}"
        target = messages.save_path(
            self,
            self.tr("Take {0} offline: where to keep it").format(wb.name),
            suggested,
            ask_to_replace=False,
        )
        if target is None:
            return False
        if target.suffix != paths.WORKBOOK_SUFFIX:
            target = target.with_name(target.name + paths.WORKBOOK_SUFFIX)
        # The password this window logged in with (if one was typed) serves the check-out
        # too; it stays in memory only, as for the window's own connection.
        url, password = wb.address.for_recent(), wb.address.url.password
        try:
            _offline().checkout(url, target, password)
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
        """File ▸ Bring Back Online…: the check-in planned, conflicts chosen, merged. True
        once the server has every change made offline."""
        workspace = self.workspace
        if workspace is None or not self.is_offline_copy():
            return False
        path = Path(workspace.path)
        password: list[str | None] = [None]
        choices: dict[str, str] = {}
        while True:
            plan = self._asking_password(
                lambda: _offline().plan_checkin(path, password[0], choices), password
            )
            if plan is None:
                return False
            if not self._agreed(plan, choices):
                return False
            result = self._checked_in(path, choices, password[0])
            if result is None:
                return False
            if result.checked_in or result.already_checked_in:
                messages.info(self, result.message, self.tr("Back online"))
                return True
            # The server changed again while the user chose: the conflicts as they are
            # now are shown again, the choices still fitting kept.
            messages.info(self, result.message, self.tr("Bring back online"))

    def _agreed(self, plan: CheckinPlan, choices: dict[str, str]) -> bool:
        """The user's go-ahead: each conflict chosen (added to ``choices``), or, with
        none, a yes to the summary."""
        if plan.already_checked_in:
            return True
        if plan.conflicts:
            dialog = self.conflicts_dialog(plan.conflicts, plan)
            if run_modal(dialog) != dialog.DialogCode.Accepted:
                return False
            choices.update(dialog.choices())
            return True
        return messages.confirm(
            self,
            self.tr("{0}\n\nBring these changes back to the server now?").format(plan.summary()),
            self.tr("Bring back online"),
        )

    def _checked_in(
        self, path: Path, choices: dict[str, str], password: str | None
    ) -> CheckinResult | None:
        """Checks ``path`` in with the window's hold on the file let go, then opens it
        again (refreshed, or as it was if the check-in wrote nothing)."""
        self._drop_workspace()
        try:
            return _offline().checkin(path, choices, password)
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return None
        finally:
            self.open_file(path)

    def _asking_password(self, call: Callable[[], T], password: list[str | None]) -> T | None:
        """``call()``, asking for the server's password while the server refuses the
        login (kept in ``password[0]`` for this check-in only); None after saying why."""
        from dom_desk.storage.server import ServerLoginError

        while True:
            try:
                return call()
            except ServerLoginError as exc:
                typed = messages.password(
                    self,
                    self.tr("{0}\n\nPassword for the server:").format(exc),
                    self.tr("Server password"),
                )
                if not typed:
                    return None
                password[0] = typed
            except DomDeskError as exc:
                messages.error(self, str(exc))
                return None

    def conflicts_dialog(
        self, conflicts: list[Conflict], plan: CheckinPlan | None = None
    ) -> ConflictsDialog:
        """The dialog asking Yours or Theirs for each conflict, not yet shown."""
        from dom_desk.ui.offline_conflicts_dialog import ConflictsDialog

        return ConflictsDialog(conflicts, plan.summary() if plan is not None else "", self)
