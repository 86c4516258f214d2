"""The window's File commands: opening a workbook (in use elsewhere, damaged, last
time's), New, Open Recent, the demo, Save a Copy, and files dropped on the window.

A mixin of ``MainWindow``: it reads and sets the window's workspace through
``_show_workspace``. The domain and storage are imported on first use, so the window
is painted before them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QDragEnterEvent, QDropEvent

from dom_desk import paths
from dom_desk.errors import DamagedWorkbookError, DomDeskError
from dom_desk.ui import state
from dom_desk.ui.drops import dropped_paths
from dom_desk.ui.messages import messages

if TYPE_CHECKING:
    from dom_desk.storage.locking import WorkbookInUse
    from dom_desk.ui.workspace import Workspace


class FileCommands:
    """File ▸ New, Open, Open Read-Only, Open Recent, the demo, Save a Copy; dropped files."""

    @staticmethod
    def _load(path: Path, read_only: bool = False) -> Workspace:
        """The workbook at ``path`` ready to show; DomDeskError, in words, if it cannot be."""
        from dom_desk.storage.workbook import open_document
        from dom_desk.ui.workspace import Workspace

        wb = open_document(path, read_only=read_only)
        try:
            return Workspace(wb)
        except DomDeskError as exc:
            wb.close()
            raise DomDeskError(f"Could not open '{path.name}': {exc}") from exc

    def open_file(self, path: Path, read_only: bool = False) -> bool:
        """Opens a workbook in place of the one open; False (after saying why) if it fails."""
        from dom_desk.storage.locking import WorkbookInUse

        path = Path(path)
        try:
            workspace = self._load(path, read_only)
        except WorkbookInUse as exc:
            return self._open_in_use(path, exc)
        except DamagedWorkbookError as exc:
            return self._offer_restore(path, exc)
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return False
        self._show_workspace(workspace)
        state.add_recent(path)
        return True

    def _open_in_use(self, path: Path, exc: WorkbookInUse) -> bool:
        """Someone else has the workbook: a read-only view, or, when the lock is another
        computer's that may have crashed, taking over editing after a warning."""
        from dom_desk.storage import locking

        choices = [self.tr("Open Read-Only")]
        if locking.held_elsewhere(exc.owner):
            choices.append(self.tr("Take Over Editing…"))
        choice = messages.choose(self, str(exc), choices, self.tr("Workbook in use"))
        if choice == 0:
            return self.open_file(path, read_only=True)
        if choice != 1 or not messages.confirm(
            self,
            self.tr(
                "Take over editing only if {0} no longer has '{1}' open, for example "
                "because that computer crashed or was switched off.\n\nIf they are still "
                "working, nothing is lost, but changes made on both computers to the same "
                "records will be refused. Take over?"
            ).format(exc.owner.describe(), path.name),
            self.tr("Take over editing"),
        ):
            return False
        try:
            locking.take_over(path)
        except DomDeskError as error:
            messages.error(self, str(error))
            return False
        return self.open_file(path)

    def reopen_last(self) -> bool:
        """Reopens the workbook open when DOM Desk last closed; a quiet notice if it fails."""
        last = state.last_location()
        if last is None:
            return False
        if isinstance(last, str):  # a server region: opened as from Open Recent
            return self.open_location(last)
        if not last.is_file():
            state.forget_last_file()
            self.start.show_notice(
                self.tr("The workbook you had open last time, '{0}', is no longer there.").format(
                    last
                )
            )
            return False
        try:
            workspace = self._load(last)
        except DomDeskError as exc:
            self.start.show_notice(str(exc))
            return False
        self._show_workspace(workspace)
        state.add_recent(last)
        return True

    # -- file commands ------------------------------------------------------------------

    def _folder(self) -> Path:
        current = self.workspace
        if current is not None and not current.wb.is_server:
            return current.path.parent
        recent = state.recent_files()
        return recent[0].parent if recent else Path.home()

    def choose_and_open(self, read_only: bool = False) -> None:
        title = self.tr("Open a workbook read-only") if read_only else self.tr("Open a workbook")
        path = messages.open_path(self, title, self._folder())
        if path is not None:
            self.open_file(path, read_only=read_only)

    def open_demo(self) -> None:
        path = paths.demo_workbook_path()
        if not path.exists():
            from dom_desk.demo import write_demo  # only when the demo is wanted

            try:
                write_demo(path)
            except DomDeskError as exc:
                messages.error(self, str(exc))
                return
        self.open_file(path)

    def new_file(self) -> None:
        path = messages.save_path(
            self,
            self.tr("New workbook"),
            self._folder() / f"Region{paths.WORKBOOK_SUFFIX}",
            ask_to_replace=False,
        )
        if path is None:
            return
        if path.suffix != paths.WORKBOOK_SUFFIX:
            path = path.with_name(path.name + paths.WORKBOOK_SUFFIX)
        if path.exists():  # before asking anything more: a workbook is never replaced
            messages.error(
                self,
                self.tr(
                    "'{0}' already exists, and DOM Desk never replaces a file with a new "
                    "workbook. Choose another name."
                ).format(path.name),
            )
            return
        from dom_desk.domain import region as region_api
        from dom_desk.domain.periods import year_of
        from dom_desk.ui.workspace import Workspace

        answer = messages.new_region(self, year_of(date.today()))
        if answer is None:
            return
        name, first_year = answer
        try:
            workspace = Workspace(region_api.create_region_workbook(path, name, first_year))
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return
        self._show_workspace(workspace)
        state.add_recent(path)

    def save_copy(self) -> None:
        workspace = self.workspace
        if workspace is None:
            return
        suggested = self._folder() / f"{workspace.path.stem} copy{paths.WORKBOOK_SUFFIX}"
        target = messages.save_path(self, self.tr("Save a copy of the workbook"), suggested)
        if target is None:
            return
        if target.suffix != paths.WORKBOOK_SUFFIX:
            target = target.with_name(target.name + paths.WORKBOOK_SUFFIX)
        try:
            workspace.wb.save_copy(target)
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return
        self.statusBar().showMessage(self.tr("Saved a copy to {0}").format(target), 8000)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = state.recent_locations()
        for number, path in enumerate(files, start=1):
            # The folder too: two regions' files are often both called "workbook". A
            # server region is listed by its URL (never with a password).
            shown = path if isinstance(path, str) else f"{path.name}  —  {path.parent}"
            action = self.recent_menu.addAction(f"&{number % 10} {shown}")
            action.setToolTip(str(path))
            action.setStatusTip(str(path))
            action.triggered.connect(lambda _=False, p=path: self.open_location(p))
        if not files:
            empty = self.recent_menu.addAction(self.tr("No recent workbooks"))
            empty.setEnabled(False)
            return
        self.recent_menu.addSeparator()
        clear = self.recent_menu.addAction(self.tr("Clear Menu"))
        clear.triggered.connect(self._clear_recent)

    def _clear_recent(self) -> None:
        state.clear_recent()
        self.start.refresh()

    # -- dropping files on the window ---------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_paths(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = dropped_paths(event)
        if not files:
            return
        event.acceptProposedAction()
        self.open_dropped(files)

    def open_dropped(self, files: Sequence[Path]) -> None:
        """A dropped workbook is opened; dropped spreadsheets or folders are imported as
        provider returns."""
        workbooks = [f for f in files if f.suffix.lower() == paths.WORKBOOK_SUFFIX]
        others = [f for f in files if f not in workbooks]
        if workbooks:
            self.open_file(workbooks[0])
        if others:
            self.import_returns(others)
