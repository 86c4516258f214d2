"""The SLA workspace: one provider's agreement for the year, across the table from them.

Service lines (volume and unit price typed or pasted, value worked out, the unit price
set against the service's target unit cost) and targets (a National value shown but not
editable, a Regional Minimum never below its floor, an empty one shown as not yet set,
each with its basis: offered, agreed, in negotiation), with the status moved on by
buttons. Fill targets… fills the year's missing targets by guidance, for the provider
shown or every provider, as one undo step. An agreed or signed SLA is locked: the banner says so in
words, edits are refused by name, and Unlock asks first and is recorded in the audit
trail. Every change is one undo step.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from dom_desk.domain import planning_steps as steps
from dom_desk.domain import sla
from dom_desk.domain.kinds import AgreementKind, AgreementStatus
from dom_desk.domain.money import format_pounds
from dom_desk.domain.paste import undo_edits
from dom_desk.domain.periods import parse_year, year_label
from dom_desk.domain.tables import Column, FieldEdit, Row, run_action
from dom_desk.errors import DomDeskError
from dom_desk.ui.grid import GridModel, SpreadsheetView
from dom_desk.ui.grid.roles import Index
from dom_desk.ui.messages import messages
from dom_desk.ui.undo import UndoCommand, push

#: What an empty target cell says: the documents print "[x]" until it is negotiated.
NOT_YET_SET = sla.NOT_YET_SET

#: The status buttons: the status each sets, and its label.
STATUS_STEPS = (
    (AgreementStatus.IN_NEGOTIATION, "Start &Negotiation"),
    (AgreementStatus.AGREED, "Mark A&greed"),
    (AgreementStatus.SIGNED, "Mark Si&gned"),
)


class TargetsModel(GridModel):
    """The targets grid: an empty target reads "not yet set" (its edit text stays empty,
    and copying gives an empty cell)."""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole)
            and index.isValid()
            and self.columns[index.column()].key == "value"
            and self.value(index) is None
        ):
            if role == Qt.ItemDataRole.DisplayRole:
                return NOT_YET_SET
            return QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        return super().data(index, role)


class SlaWorkspace(QWidget):
    #: Something was written: the allocations and totals must reload.
    changed = Signal()

    def __init__(self, workspace: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sla_workspace")
        self.workspace = workspace
        self.stale = True
        self.ws: sla.Workspace | None = None
        editable = not workspace.read_only

        self.provider = QComboBox()
        self.provider.setObjectName("sla_provider")
        self.provider.setAccessibleName(self.tr("Provider"))
        self.provider.currentIndexChanged.connect(lambda _i: self.load())
        self.agreement = QComboBox()
        self.agreement.setObjectName("sla_agreement")
        self.agreement.setAccessibleName(self.tr("Agreement"))
        self.agreement.currentIndexChanged.connect(lambda _i: self.load(keep_agreement=True))
        provider_label = QLabel(self.tr("&Provider:"))
        provider_label.setBuddy(self.provider)
        agreement_label = QLabel(self.tr("A&greement:"))
        agreement_label.setBuddy(self.agreement)

        self.status = QLabel()
        self.status.setObjectName("sla_status")
        self.status.setAccessibleName(self.tr("Status"))
        self.lock_banner = QLabel()
        self.lock_banner.setObjectName("sla_lock")
        self.lock_banner.setAccessibleName(self.tr("Lock"))
        self.lock_banner.setWordWrap(True)
        self.figures = QLabel()
        self.figures.setObjectName("sla_figures")
        self.figures.setAccessibleName(self.tr("Service lines value and allocation"))
        self.status_buttons: dict[AgreementStatus, QPushButton] = {}
        buttons = QHBoxLayout()
        for status, text in STATUS_STEPS:
            button = QPushButton(self.tr(text))
            button.clicked.connect(lambda _=False, s=status: self.set_status(s))
            self.status_buttons[status] = button
            buttons.addWidget(button)
        self.unlock_button = QPushButton(self.tr("&Unlock…"))
        self.unlock_button.clicked.connect(self.ask_unlock)
        buttons.addWidget(self.unlock_button)
        buttons.addStretch(1)
        self.fill_button = QPushButton(self.tr("F&ill targets…"))
        self.fill_button.setObjectName("sla_fill_targets")
        self.fill_button.setToolTip(
            self.tr(
                "Fill the year's targets that are not yet set: National ones from the "
                "national value, Regional Minimum ones offered at the floor, Locally Set "
                "ones left not yet set (or copied from last year)"
            )
        )
        self.fill_button.clicked.connect(self.ask_fill_targets)
        self.copy_last_year = QCheckBox()
        self.copy_last_year.setObjectName("sla_copy_last_year")
        self.copy_last_year.setChecked(True)
        buttons.addWidget(self.copy_last_year)
        buttons.addWidget(self.fill_button)
        self._editable = editable

        self.lines = GridModel(
            sla.LINE_COLUMNS,
            label=sla.line_label,
            apply=self._apply_lines if editable else None,
            parent=self,
        )
        self.targets = TargetsModel(
            sla.TARGET_COLUMNS,
            label=sla.target_label,
            apply=self._apply_targets if editable else None,
            cell_editable=self._target_editable,
            parent=self,
        )
        self.lines_view = SpreadsheetView(self.lines, "sla_lines", self.tr("Service lines"))
        self.targets_view = SpreadsheetView(self.targets, "sla_targets", self.tr("Targets"))

        chooser = QHBoxLayout()
        chooser.addWidget(provider_label)
        chooser.addWidget(self.provider, 1)
        chooser.addWidget(agreement_label)
        chooser.addWidget(self.agreement, 2)
        chooser.addWidget(self.status)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        for title, view in (
            (self.tr("Service lines"), self.lines_view),
            (self.tr("Targets"), self.targets_view),
        ):
            box = QWidget()
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(0, 0, 0, 0)
            heading = QLabel(f"<b>{title}</b>")
            heading.setBuddy(view)
            box_layout.addWidget(heading)
            box_layout.addWidget(view, 1)
            splitter.addWidget(box)
        # An agreement has a few service lines and a dozen or more targets.
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(chooser)
        layout.addWidget(self.lock_banner)
        layout.addLayout(buttons)
        layout.addWidget(self.figures)
        layout.addWidget(splitter, 1)

    # -- loading ------------------------------------------------------------------------

    def ensure_loaded(self) -> None:
        if self.stale:
            self.reload()

    def reload(self) -> None:
        """Refills the provider list (the year may have changed) and reloads the SLA."""
        self.stale = False
        current = self.provider.currentData()
        self.provider.blockSignals(True)
        self.provider.clear()
        try:
            for provider_id, name in sla.providers_with_agreements(
                self.workspace.wb, self.workspace.year
            ):
                self.provider.addItem(name, provider_id)
        except DomDeskError as exc:
            messages.error(self, str(exc))
        found = self.provider.findData(current) if current is not None else 0
        self.provider.setCurrentIndex(max(found, 0))
        self.provider.blockSignals(False)
        self.load(keep_agreement=True)

    def show_provider(self, name: str) -> bool:
        self.ensure_loaded()
        index = self.provider.findText(name)
        if index < 0:
            return False
        self.provider.setCurrentIndex(index)
        return True

    def load(self, keep_agreement: bool = False) -> None:
        provider_id = self.provider.currentData()
        if provider_id is None:
            self.ws = None
            self._show()
            return
        agreement_id = self.agreement.currentData() if keep_agreement else None
        try:
            self.ws = sla.workspace(
                self.workspace.wb, provider_id, self.workspace.year, agreement_id
            )
        except DomDeskError:
            self.ws = sla.workspace(self.workspace.wb, provider_id, self.workspace.year)
        self._show()

    def _show(self) -> None:
        ws = self.ws
        self.agreement.blockSignals(True)
        self.agreement.clear()
        if ws is not None:
            for agreement_id, title in ws.agreements:
                self.agreement.addItem(title, agreement_id)
            self.agreement.setCurrentIndex(max(self.agreement.findData(ws.agreement_id), 0))
        self.agreement.blockSignals(False)
        self.lines.set_rows(sla.line_rows(ws) if ws else [])
        self.targets.set_rows(sla.target_rows(ws) if ws else [])
        self.lines.check = sla.line_check(ws) if ws else None
        self.targets.check = sla.target_check(self.workspace.wb, ws) if ws else None
        status = ws.status if ws else None
        self.status.setText(self.tr("Status: {0}").format(status.label) if status else "")
        if ws is not None and ws.locked:
            self.lock_banner.setText(
                self.tr(
                    "Locked: '{0}' is {1}, so its lines and targets cannot be edited. Unlock it "
                    "to reopen negotiation (the unlock is recorded in the audit trail)."
                ).format(ws.agreement, status.label.lower())
            )
            self.lock_banner.setStyleSheet("font-weight: bold;")
        else:
            self.lock_banner.setText(
                self.tr(
                    "Open for negotiation: edits are saved as you "
                    "make them, and each can be undone."
                )
                if ws and ws.agreement_id
                else ""
            )
            self.lock_banner.setStyleSheet("")
        for step, button in self.status_buttons.items():
            button.setEnabled(
                self._editable
                and status is not None
                and list(AgreementStatus).index(step) > list(AgreementStatus).index(status)
            )
        self.unlock_button.setEnabled(self._editable and ws is not None and ws.locked)
        last = self.last_year()
        self.copy_last_year.setVisible(last is not None)
        self.copy_last_year.setText(self.tr("Cop&y {0}'s agreed targets").format(last or ""))
        self.fill_button.setEnabled(self._editable and self.provider.count() > 0)
        if ws is None:
            self.figures.setText("")
            return
        difference = ws.value - ws.allocated
        self.figures.setText(
            self.tr(
                "Service lines value {0}  ·  allocated (committed) {1}  ·  difference {2}"
            ).format(
                format_pounds(ws.value), format_pounds(ws.allocated), format_pounds(difference)
            )
        )

    def _target_editable(self, row: Row, _column: Column) -> bool:
        item = (
            next((t for t in self.ws.targets if t.measure_id == row.id), None) if self.ws else None
        )
        return item is not None and item.editable

    # -- edits --------------------------------------------------------------------------

    def _after_write(self) -> None:
        self.load(keep_agreement=True)
        self.changed.emit()

    def _apply_lines(self, edits: list[FieldEdit], text: str) -> bool:
        wb = self.workspace.wb
        plain = [FieldEdit(e.row_id, e.key, e.value) for e in edits]
        command = push(
            self.workspace.undo_stack,
            text,
            lambda first: sla.update_lines(wb, edits if first else plain),
            lambda changes: sla.update_lines(wb, undo_edits(changes)),
            self._after_write,
            self,
        )
        return not command.failed

    def _apply_targets(self, edits: list[FieldEdit], text: str) -> bool:
        assert self.ws is not None
        wb, provider, year = self.workspace.wb, self.ws.provider_id, self.workspace.year
        plain = [FieldEdit(e.row_id, e.key, e.value) for e in edits]
        command = push(
            self.workspace.undo_stack,
            text,
            lambda first: sla.update_targets(wb, provider, edits if first else plain, year),
            lambda changes: sla.update_targets(wb, provider, undo_edits(changes), year),
            self._after_write,
            self,
        )
        return not command.failed

    def set_status(self, status: AgreementStatus) -> bool:
        """Moves the agreement's status on (one undo step; undoing an agree unlocks)."""
        if self.ws is None or self.ws.agreement_id is None:
            return False
        wb, agreement_id, title = self.workspace.wb, self.ws.agreement_id, self.ws.agreement
        command = push(
            self.workspace.undo_stack,
            self.tr("mark '{0}' {1}").format(title, status.label.lower()),
            lambda _first: sla.set_status(wb, agreement_id, status),
            lambda old: sla.set_status(
                wb, agreement_id, old, unlock_note=f"Undo of marking {status.label.lower()}"
            ),
            self._after_write,
            self,
        )
        return not command.failed

    def ask_unlock(self) -> None:
        if self.ws is None or not self.ws.locked:
            return
        if messages.confirm(
            self,
            self.tr(
                "Unlock '{0}'? It is {1}. Unlocking reopens it for negotiation and is "
                "recorded in the audit trail."
            ).format(self.ws.agreement, self.ws.status.label.lower()),
            self.tr("Unlock contract")
            if self.ws.agreement_kind is AgreementKind.CONTRACT
            else self.tr("Unlock SLA"),
        ):
            self.unlock(self.tr("Unlocked in the SLA workspace"))

    def unlock(self, note: str) -> bool:
        """Reopens a locked agreement, recorded as an "unlock" (undo locks it again)."""
        if self.ws is None or self.ws.agreement_id is None:
            return False
        wb, agreement_id, title = self.workspace.wb, self.ws.agreement_id, self.ws.agreement
        command = push(
            self.workspace.undo_stack,
            self.tr("unlock '{0}'").format(title),
            lambda _first: sla.unlock(wb, agreement_id, note),
            lambda old: sla.set_status(wb, agreement_id, old),
            self._after_write,
            self,
        )
        return not command.failed

    # -- filling targets in bulk --------------------------------------------------------

    def last_year(self) -> str | None:
        """The year before the one shown, when the workbook holds it (targets to copy)."""
        year = self.workspace.year
        if not year:
            return None
        before = year_label(parse_year(year) - 1)
        return before if before in self.workspace.years else None

    def ask_fill_targets(self) -> None:
        """Asks whose targets to fill (the provider shown, or every provider) and fills."""
        year = self.workspace.year
        last = self.last_year() if self.copy_last_year.isChecked() else None
        copying = last is not None
        copy_words = (
            self.tr(
                " {0}'s agreed targets are copied where they exist and are not below a floor."
            ).format(last)
            if last
            else ""
        )
        text = self.tr(
            "Fill the {0} targets that are not yet set: National ones from the national "
            "value, Regional Minimum ones offered at the floor, Locally Set ones left not "
            "yet set until negotiated.{1} A target that has a value is never changed, and "
            "an agreed or signed agreement is left alone. Undo takes the whole fill back."
        ).format(year, copy_words)
        choices = [self.tr("Every provider")]
        name = self.ws.provider if self.ws is not None else None
        if name:
            choices.insert(0, self.tr("Only {0}").format(name))
        chosen = messages.choose(self, text, choices, self.tr("Fill targets"))
        if chosen is None:
            return
        everyone = chosen == len(choices) - 1
        self.fill_targets(None if everyone else name, copy_last_year=copying)

    def fill_targets(self, provider: str | None, copy_last_year: bool = True) -> Any:
        """Fills the year's missing targets for ``provider`` (None: every provider) as one
        undo step, and says what was done; returns the FillResult, or None if refused."""
        wb, year = self.workspace.wb, self.workspace.year
        step = steps.fill_targets(year, provider, copy_last_year)
        text = (
            self.tr("fill {0}'s {1} targets").format(provider, year)
            if provider
            else self.tr("fill every provider's {0} targets").format(year)
        )
        command = UndoCommand(
            text,
            lambda _first: run_action(wb, step.do),
            lambda _result: run_action(wb, step.undo),
            self._after_write,
            self,
            unchanged=lambda result: not result.changed,
        )
        self.workspace.undo_stack.push(command)
        if command.failed:
            return None
        done = step.result
        messages.info(self, self.fill_report(done), self.tr("Targets filled"))
        return done

    def fill_report(self, done: Any) -> str:
        """What a fill did, short enough for a message box with a region's providers:
        what was written or left not yet set, provider by provider; the locked ones named
        in one sentence."""
        lines = [f"{done.year}: {done.summary()}."]
        if not done.changed:
            lines.append(self.tr("Nothing changed: every target that can be filled already is."))
        lines += done.by_provider(kept=False)
        if done.locked:
            lines.append(
                self.tr("Left alone, as their agreements are agreed or signed: {0}.").format(
                    ", ".join(x.provider for x in done.locked)
                )
            )
        lines += done.not_copied
        not_set = {f.why for f in done.not_set}
        if not_set:
            lines.append(
                self.tr("Left not yet set because: {0}.").format("; ".join(sorted(not_set)))
            )
        return "\n".join(lines)
