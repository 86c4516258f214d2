"""What a user does to a scenario: draft a change (typed, pasted or a move of money),
start one, accept it or discard it; each one undo step through domain functions."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog

from dom_desk.domain import scenarios as sc
from dom_desk.domain.money import format_pounds
from dom_desk.domain.tables import FieldEdit
from dom_desk.domain.values import Kind, counted, parse_value
from dom_desk.errors import DomDeskError
from dom_desk.ui.messages import messages
from dom_desk.ui.scenario_dialogs import MoveMoneyDialog, NameDialog
from dom_desk.ui.undo import push


class ScenarioActions:
    """Mixed into :class:`~dom_desk.ui.scenario_view.ScenarioView`: drafting, accepting
    and discarding a scenario, each one undo step. The view provides ``workspace``,
    ``scenario_id``, ``info``, ``reload``, ``refresh`` and its widgets."""

    workspace: Any

    # -- drafting -----------------------------------------------------------------------

    def _apply(self, table: str, edits: list[FieldEdit], text: str) -> bool:
        if self.tables is None or self.scenario_id is None:
            return False
        wb, sid, tables = self.workspace.wb, self.scenario_id, self.tables
        drafts = tables.drafts(table, edits)
        keys = [c.key for c in sc.TABLE_COLUMNS[table]]
        rows = {r.id: r for r in tables.rows[table]}
        before = tables.drafts(
            table,
            [FieldEdit(e.row_id, e.key, rows[e.row_id].values[keys.index(e.key)]) for e in edits],
        )
        command = push(
            self.workspace.undo_stack,
            self.tr("draft in scenario: {0}").format(text),
            lambda _first: sc.draft(wb, sid, drafts),
            lambda _result: sc.draft(wb, sid, list(reversed(before))),
            self.reload,
            self,
        )
        return not command.failed

    def ask_new(self) -> None:
        dialog = NameDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.new_scenario(dialog.name.text())

    def new_scenario(self, name: str) -> int | None:
        """A new empty scenario for the year (one undo step), shown at once."""
        wb, year = self.workspace.wb, self.workspace.year
        command = push(
            self.workspace.undo_stack,
            self.tr("new scenario '{0}'").format(name.strip()),
            lambda _first: sc.create_scenario(wb, name, year),
            lambda sid: sc.delete_scenario(wb, sid),
            self.reload,
            self,
        )
        if command.failed:
            return None
        self.reload(select=command.result)
        return command.result

    def ask_move(self) -> None:
        if self.tables is None:
            return
        choices = [(line.id, line.label) for line in self.tables.comparison.current.lines]
        dialog = MoveMoneyDialog(choices, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            amount = parse_value(Kind.MONEY, dialog.amount.text(), self.tr("Amount"), required=True)
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return
        self.move_money(dialog.source.currentData(), dialog.target.currentData(), amount)

    def move_money(self, source: int, target: int, amount: int) -> bool:
        """Drafts a move of ``amount`` pence between two allocations (one undo step)."""
        if self.scenario_id is None or self.tables is None:
            return False
        wb, sid = self.workspace.wb, self.scenario_id
        proposed = {(c.subject, c.field): c.proposed for c in self.tables.comparison.cells}
        lines = {line.id: line for line in self.tables.comparison.current.lines}
        before = [
            sc.Draft(
                sc.Subject.allocation(i),
                field,
                proposed.get((sc.Subject.allocation(i), field), getattr(lines[i], field)),
            )
            for i in (source, target)
            for field in ("provisional", "agreed")
        ]
        command = push(
            self.workspace.undo_stack,
            self.tr("move {0} in scenario").format(format_pounds(amount)),
            lambda _first: sc.move_money(wb, sid, source, target, amount),
            lambda _result: sc.draft(wb, sid, before),
            self.reload,
            self,
        )
        return not command.failed

    # -- decisions to move money --------------------------------------------------------

    def ask_decision(self) -> None:
        from dom_desk.domain import performance_actions, resource_decisions
        from dom_desk.domain.periods import parse_date
        from dom_desk.domain.region import working_day
        from dom_desk.ui.decision_dialog import DecisionDialog

        wb, year = self.workspace.wb, self.workspace.year
        try:
            choices = resource_decisions.allocation_choices(wb, year)
            actions = [
                (a.id, f"#{a.id} {a.provider}: {a.title}")
                for a in performance_actions.actions(wb, open_only=True)
            ]
            today = working_day(wb)
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return
        dialog = DecisionDialog(choices, actions, today, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            amount = parse_value(Kind.MONEY, dialog.amount.text(), self.tr("Amount"), required=True)
            decided = parse_date(dialog.decided.text(), self.tr("Decided on"))
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return
        self.record_decision(
            dialog.source.currentData(),
            dialog.target.currentData(),
            amount,
            dialog.reason.toPlainText(),
            decided,
            dialog.behind.currentData(),
        )

    def record_decision(
        self,
        source: int,
        target: int,
        amount: int,
        reason: str,
        decided: Any = None,
        action_id: int | None = None,
    ) -> int | None:
        """Records a decision with the draft scenario carrying it (one undo step) and
        shows that scenario; returns the decision's id."""
        from dom_desk.domain import resource_decisions as rd

        wb = self.workspace.wb
        command = push(
            self.workspace.undo_stack,
            self.tr("record decision to move {0}").format(format_pounds(amount)),
            lambda _first: rd.decide(wb, source, target, amount, reason, decided, action_id),
            lambda decision: rd.remove(wb, decision),
            self.reload,
            self,
        )
        if command.failed:
            return None
        made = next(d for d in rd.decisions(wb) if d.id == command.result)
        self.reload(select=made.scenario_id)
        return command.result

    # -- accepting and discarding -------------------------------------------------------

    def ask_accept(self) -> None:
        info = self.info
        if info is None:
            return
        if messages.confirm(
            self,
            self.tr(
                "Accept scenario '{0}'? Its {1} will be written to the workbook as one step, "
                "which Undo reverses."
            ).format(info.name, counted(info.changes, "change")),
            self.tr("Accept scenario"),
        ):
            self.accept()

    def accept(self) -> bool:
        """Applies the scenario as one undo step (undo puts every figure back)."""
        sid = self.scenario_id
        if sid is None:
            return False
        wb = self.workspace.wb

        def done() -> None:
            self.reload(select=sid)
            self.changed.emit()

        command = push(
            self.workspace.undo_stack,
            self.tr("accept scenario '{0}'").format(self.info.name if self.info else ""),
            lambda _first: sc.accept(wb, sid),
            lambda record: sc.undo_accept(wb, record),
            done,
            self,
        )
        return not command.failed

    def discard(self) -> bool:
        sid = self.scenario_id
        if sid is None:
            return False
        wb = self.workspace.wb
        command = push(
            self.workspace.undo_stack,
            self.tr("discard scenario '{0}'").format(self.info.name if self.info else ""),
            lambda _first: sc.discard(wb, sid),
            lambda _old: sc.reopen(wb, sid),
            lambda: self.reload(select=sid),
            self,
        )
        return not command.failed
