"""The main window: one workbook at a time, the page shown, and the edit and view commands.

A workbook is used like a document (New, Open, Open Recent, Save a Copy, Close); every
edit is written to the file at once, so there is no Save and nothing to lose on Quit.
The window's jobs live beside it: its actions and menus (``window_actions``), the File
commands (``window_files``), the tools (``window_tools``) and backups and restore
(``window_restore``). Nothing here imports the domain at start: ``show_opening`` paints
the title and the list of areas before the workbook (and SQLAlchemy) is loaded.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QThreadPool, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QPaintEvent, QUndoGroup
from PySide6.QtWidgets import QApplication, QMainWindow, QStackedWidget, QWidget

from dom_desk import __version__
from dom_desk.errors import DomDeskError
from dom_desk.ui import state, window_actions
from dom_desk.ui.background import Runner
from dom_desk.ui.messages import messages
from dom_desk.ui.offline_window import OfflineCommands
from dom_desk.ui.server_window import ServerCommands, shown_name
from dom_desk.ui.start_page import StartPage
from dom_desk.ui.window_files import FileCommands
from dom_desk.ui.window_restore import RestoreCommands
from dom_desk.ui.window_tools import ToolCommands
from dom_desk.ui.workspace_view import OpeningView, WorkspaceView

if TYPE_CHECKING:
    from dom_desk.ui.workspace import Workspace

#: How long closing a workbook waits for background jobs still reading it.
JOB_WAIT_MS = 60_000


class MainWindow(
    FileCommands, ServerCommands, OfflineCommands, ToolCommands, RestoreCommands, QMainWindow
):
    #: A workbook was opened and its first page shown (or closed: None).
    workbookChanged = Signal(object)
    #: The window was painted (after the paint, not inside it).
    painted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("main_window")
        self.setAcceptDrops(True)
        self._copy_offer_pending = False
        #: Work the window itself starts off the GUI thread (Check Workbook).
        self.runner = Runner(self)
        self.view: WorkspaceView | None = None
        #: The Find in Workbook dialog last opened (Ctrl+K), if any.
        self.search_dialog: Any = None
        self.opening: OpeningView | None = None
        self.undo_group = QUndoGroup(self)

        self.start = StartPage()
        self.start.newRequested.connect(self.new_file)
        self.start.openRequested.connect(self.choose_and_open)
        self.start.demoRequested.connect(self.open_demo)
        self.start.recentRequested.connect(self.open_location)
        self.central = QStackedWidget()
        self.central.addWidget(self.start)
        self.setCentralWidget(self.central)

        window_actions.make_actions(self)
        window_actions.make_menus(self)
        window_actions.make_toolbar(self)
        window_actions.make_status_bar(self)
        self._update_for_workbook()
        saved = state.restore_window(self)
        if saved is not None:
            self.restoreState(saved)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        QTimer.singleShot(0, self.painted.emit)

    # -- the open workbook --------------------------------------------------------------

    @property
    def workspace(self) -> Workspace | None:
        return self.view.workspace if self.view else None

    def _update_for_workbook(self) -> None:
        workspace = self.workspace
        has = workspace is not None
        for action in (
            self.save_copy_action,
            self.plan_action,
            self.print_action,
            self.print_preview_action,
            self.close_action,
            self.copy_action,
            self.templates_action,
            self.check_action,
            self.backups_action,
            self.audit_action,
            self.history_action,
            self.filter_action,
            self.find_action,
            self.reload_action,
            *self.area_actions.values(),
        ):
            action.setEnabled(has)
        for action in (self.import_returns_action, self.import_framework_action):
            action.setEnabled(has and not workspace.read_only)
        # A server region: its figures are checked, but there is no file to back up here
        # (``dom-desk backups --db URL``); it can be taken offline, and an offline copy
        # brought back.
        on_server = has and workspace.wb.is_server
        self.check_action.setEnabled(has)
        self.backups_action.setEnabled(has and not on_server)
        self.take_offline_action.setEnabled(on_server and not workspace.read_only)
        self.bring_online_action.setEnabled(has and not on_server and self.is_offline_copy())
        self._enable_record_actions()
        self.year_toolbar.setEnabled(has)
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        if workspace is not None:
            self.year_combo.addItems(workspace.years)
            self.year_combo.setCurrentText(workspace.year)
        self.year_combo.blockSignals(False)
        if workspace is None:
            self.setWindowTitle(self.tr("DOM Desk"))
            self.file_label.setText(self.tr("No workbook open"))
            self.year_label.setText("")
            self.mode_label.setText("")
            self.year_label.hide()
            self.mode_label.hide()
            return
        name = shown_name(workspace.wb)
        self.setWindowTitle(
            self.tr("DOM Desk — {0} (read-only)").format(name)
            if workspace.read_only
            else self.tr("DOM Desk — {0}").format(name)
        )
        if on_server:
            address = workspace.wb.address
            self.file_label.setText(
                self.tr("On server {0}/{1}").format(address.host, address.database)
            )
        else:
            self.file_label.setText(self.tr("File: {0}").format(name))
        self.file_label.setToolTip(workspace.wb.location)
        self.year_label.setText(self.tr("Financial year {0}").format(workspace.year))
        self.year_label.show()
        self.mode_label.setText(self.tr("Read-only") if workspace.read_only else "")
        self.mode_label.setVisible(workspace.read_only)

    def status_line(self) -> str:
        """What the status bar and the current page say, as one line of text."""
        parts = [self.file_label.text(), self.year_label.text(), self.mode_label.text()]
        if self.view is not None:
            page = self.view.current_page()
            parts.append(page.summary())
        return " | ".join(p for p in parts if p)

    def show_opening(self, path: Path | str) -> None:
        """Until ``path`` is open: its name in the title and the list of areas, so the
        window can be painted at once; opening it (or failing to) replaces them. A
        string is a name already (a server region's)."""
        self.end_opening()
        name = path if isinstance(path, str) else Path(path).name
        self.opening = OpeningView(name)
        self.central.addWidget(self.opening)
        self.central.setCurrentWidget(self.opening)
        self.setWindowTitle(self.tr("DOM Desk — {0}").format(name))
        self.file_label.setText(self.tr("Opening {0}…").format(name))

    def end_opening(self) -> None:
        """Takes the opening view away (the workbook is shown, or could not be opened)."""
        if self.opening is None:
            return
        self.central.removeWidget(self.opening)
        self.opening.deleteLater()
        self.opening = None
        if self.view is None:
            self.central.setCurrentWidget(self.start)
            self._update_for_workbook()

    def _show_workspace(self, workspace: Workspace) -> None:
        self._drop_workspace()
        self.view = WorkspaceView(workspace)
        self.view.areaChanged.connect(self._area_changed)
        self.central.addWidget(self.view)
        self.central.setCurrentWidget(self.view)
        self.end_opening()  # after: the start page is not shown in between
        self.undo_group.addStack(workspace.undo_stack)
        self.undo_group.setActiveStack(workspace.undo_stack)
        workspace.wb.storage_failed.append(self._storage_failed)
        self._watch_server(workspace)
        workspace.yearChanged.connect(lambda _y: self._update_for_workbook())
        self._update_for_workbook()
        self.view.show_area("overview")
        self.view.nav.setFocus()
        self.workbookChanged.emit(workspace.path)

    def _drop_workspace(self) -> None:
        if self.view is None:
            return
        self._stop_watching()
        self.view.save_views()
        self.undo_group.removeStack(self.view.workspace.undo_stack)
        # Jobs still reading the file (a matrix, an export) finish first: none may hold
        # a connection to it once it is closed, restored over or replaced.
        QThreadPool.globalInstance().waitForDone(JOB_WAIT_MS)
        self.view.workspace.close()
        self.central.removeWidget(self.view)
        self.view.deleteLater()
        self.view = None

    def close_file(self) -> None:
        if self.view is None:
            return
        self._drop_workspace()
        state.forget_last_file()
        self.start.refresh()
        self.central.setCurrentWidget(self.start)
        self._update_for_workbook()
        self.workbookChanged.emit(None)

    # -- edit and view commands ---------------------------------------------------------

    def _current_area_page(self) -> Any:
        if self.view is None:
            return None
        page = self.view.current_page()
        # Pages with their own tables (Allocations) offer the same copy and filter.
        return page if hasattr(page, "copy") and hasattr(page, "focus_filter") else None

    def copy(self) -> None:
        page = self._current_area_page()
        if page is not None:
            page.copy()

    def focus_filter(self) -> None:
        page = self._current_area_page()
        if page is not None:
            page.focus_filter()

    def find_in_workbook(self) -> None:
        """Edit ▸ Find in Workbook: a search box over every area; Enter opens a record."""
        if self.view is None:
            return
        from dom_desk.ui.search_dialog import SearchDialog  # on first use

        if self.search_dialog is not None:
            self.search_dialog.deleteLater()  # the last one, closed
        self.search_dialog = SearchDialog(self.view.workspace, self.view.open_record, self)
        self.search_dialog.open()

    def _record_page(self) -> Any:
        """The current page if it can add and delete records, else None."""
        page = self.view.current_page() if self.view is not None else None
        return page if getattr(page, "new_button", None) is not None else None

    def _enable_record_actions(self) -> None:
        page = self._record_page()
        writable = page is not None and not page.workspace.read_only
        self.new_record_action.setEnabled(writable)
        self.delete_record_action.setEnabled(writable and page.current_id() is not None)

    def new_record(self) -> None:
        page = self._record_page()
        if page is not None:
            page.new_record()

    def delete_record(self) -> None:
        page = self._record_page()
        if page is not None:
            page.delete_record()

    def show_area(self, key: str) -> None:
        if self.view is not None:
            self.view.show_area(key)
            self.view.focus_current()

    def reload(self) -> None:
        if self.view is not None:
            self.view.reload()

    def _year_chosen(self, label: str) -> None:
        workspace = self.workspace
        if workspace is None or not label or label == workspace.year:
            return
        try:
            workspace.set_year(label)
        except DomDeskError as exc:
            messages.error(self, str(exc))

    def _area_changed(self, key: str) -> None:
        self.area_actions[key].setChecked(True)
        self._enable_record_actions()

    def _after_undo_redo(self, undone: bool) -> None:
        stack = self.undo_group.activeStack()
        if stack is None:
            return
        if undone and stack.redoText():
            self.statusBar().showMessage(self.tr("Undone: {0}").format(stack.redoText()), 5000)
        elif not undone and stack.undoText():
            self.statusBar().showMessage(self.tr("Redone: {0}").format(stack.undoText()), 5000)

    def about(self) -> None:
        messages.info(
            self,
            self.tr(
                "DOM Desk {0}\n\nThe commissioning workbook of a regional Director of Offender "
                "Management: allocations, agreements, contracts, competitions, performance and "
                "risks for one region, kept in one file."
            ).format(__version__),
            self.tr("About DOM Desk"),
        )

    # -- closing ------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        focused = QApplication.focusWidget()
        if focused is not None:
            focused.clearFocus()  # commits a field being edited in the detail pane
        state.save_window(self, self.saveState())
        self._drop_workspace()
        event.accept()
