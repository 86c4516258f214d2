"""The window's tools over the open workbook: the plan, importing returns and making
their templates, Check Workbook, the audit trail and a record's history.

A mixin of ``MainWindow``; each dialog's module is imported when it is first opened.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from dom_desk.ui.background import Failure
from dom_desk.ui.messages import messages, run_modal


class ToolCommands:
    """File ▸ Plan, Import, Templates; Tools ▸ Check, Audit Trail, History."""

    def open_plan(self) -> None:
        """The commissioning plan: its sections and text, and the PDF export."""
        from dom_desk.ui.plan_dialog import PlanDialog

        workspace = self.workspace
        if workspace is not None:
            run_modal(PlanDialog(workspace.wb, workspace.undo_stack, self, year=workspace.year))

    def import_returns(self, files: Sequence[Path] = ()) -> None:
        """The import dialog, with ``files`` (dropped or given) already read in."""
        from PySide6.QtCore import Qt

        from dom_desk.ui.returns_import_dialog import ReturnsImportDialog

        workspace = self.workspace
        if workspace is None:
            messages.error(
                self, self.tr("Open a region workbook first, then import the returns into it.")
            )
            return
        if workspace.read_only:
            messages.error(
                self,
                self.tr("'{0}' is open read-only: returns cannot be imported into it.").format(
                    workspace.path.name
                ),
            )
            return
        dialog = ReturnsImportDialog(workspace.wb, list(files), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.imported.connect(lambda _summary: self.reload())
        # Window-modal but not blocking, so reading the files can show its progress.
        dialog.open()

    def make_templates(self) -> None:
        from dom_desk.ui.returns_template_dialog import ReturnsTemplateDialog

        workspace = self.workspace
        if workspace is not None:
            run_modal(
                ReturnsTemplateDialog(workspace.wb, workspace.year, workspace.path.parent, self)
            )

    def check_workbook(self) -> None:
        """Tools ▸ Check Workbook: the file's soundness and the figures that must agree,
        worked out on a worker thread (a national workbook takes seconds)."""
        from dom_desk.domain.check import check_workbook

        workspace = self.workspace
        if workspace is None or self.runner.busy:
            return
        self.check_action.setEnabled(False)
        wb = workspace.wb
        name = wb.name if wb.is_server else workspace.path.name
        self.statusBar().showMessage(self.tr("Checking {0}…").format(name))
        self.runner.start(
            check_workbook,
            wb,
            done=lambda problems: self._checked(name, problems, wb.is_server),
            failed=self._check_failed,
        )

    def _checked(self, name: str, problems: list[str], on_server: bool = False) -> None:
        from dom_desk.domain.values import counted

        self.check_action.setEnabled(self.workspace is not None)
        self.statusBar().clearMessage()
        if not problems:
            sound = (
                self.tr("{0} on the team server is sound: its figures agree.")
                if on_server
                else self.tr("'{0}' is sound: the file is undamaged and its figures agree.")
            )
            messages.info(self, sound.format(name), self.tr("Check workbook"))
            return
        listed = "\n".join(f"• {p}" for p in problems[:30])
        more = len(problems) - 30
        if more > 0:
            listed += "\n" + self.tr("… and {0} more (run 'dom-desk check').").format(more)
        messages.error(
            self,
            self.tr("{0} found in '{1}':\n\n{2}").format(
                counted(len(problems), "problem"), name, listed
            ),
            self.tr("Check workbook"),
        )

    def _check_failed(self, failure: Failure) -> None:
        self.check_action.setEnabled(self.workspace is not None)
        self.statusBar().clearMessage()
        messages.failure(self, failure.error, failure.details)

    def show_audit_trail(self) -> None:
        """Tools ▸ Audit Trail: every change to the workbook, who made it and when."""
        from dom_desk.ui.audit_dialog import AuditDialog

        if self.workspace is not None:
            run_modal(AuditDialog(self.workspace.wb, self))

    def _history_target(self) -> tuple[str, int] | None:
        """The current area page's selected record, when it has one."""
        from dom_desk.ui.area_page import AreaPage

        page = self.view.current_page() if self.view is not None else None
        if isinstance(page, AreaPage) and page.current_id() is not None:
            return page.area.key, page.current_id()  # type: ignore[return-value]
        return None

    def show_history(self) -> None:
        """Tools ▸ History of This Record: the audit trail of the selected record."""
        from dom_desk.ui.audit_dialog import AuditDialog

        target = self._history_target()
        if self.workspace is None:
            return
        if target is None:
            self.statusBar().showMessage(
                self.tr("Select a record in one of the tables to see its history."), 6000
            )
            return
        entity, entity_id = target
        run_modal(AuditDialog(self.workspace.wb, self, entity=entity, entity_id=entity_id))
