"""The Priorities area: the shown year's commissioning priorities (number, title,
rationale, the providers' response) as a table like any other area, with their order
changed by Move up / Move down (Alt+Up / Alt+Down in the table) and the year's
priorities and plan text rolled forward to the next year. Each is one undo step."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from dom_desk.domain import planning_steps as steps
from dom_desk.domain.priorities import PriorityRollForward, next_year_label
from dom_desk.domain.region import workbook_info
from dom_desk.domain.tables import AREAS
from dom_desk.domain.values import counted
from dom_desk.errors import DomDeskError
from dom_desk.ui.area_page import AreaPage
from dom_desk.ui.messages import messages
from dom_desk.ui.undo import push_action


class PrioritiesPage(AreaPage):
    """The priorities table, in number order, with reordering and roll forward."""

    def __init__(self, workspace: Any, parent: QWidget | None = None) -> None:
        super().__init__(AREAS["priorities"], workspace, parent)
        self.up_button = QPushButton(self.tr("Move &up"))
        self.up_button.setObjectName("priority_up")
        self.up_button.setToolTip(self.tr("Move the selected priority up one place (Alt+Up)"))
        self.down_button = QPushButton(self.tr("Move &down"))
        self.down_button.setObjectName("priority_down")
        self.down_button.setToolTip(self.tr("Move the selected priority down one place (Alt+Down)"))
        self.roll_button = QPushButton()
        self.roll_button.setObjectName("priority_roll_forward")
        self.roll_button.setToolTip(
            self.tr(
                "Copy this year's priorities, and its plan text, to the next year as its "
                "starting point"
            )
        )
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        self.roll_button.clicked.connect(self.ask_roll_forward)
        for key, by in ((Qt.Key.Key_Up, -1), (Qt.Key.Key_Down, 1)):
            action = QAction(self.table)
            action.setShortcut(QKeySequence(Qt.KeyboardModifier.AltModifier | key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(lambda _checked=False, by=by: self.move_current(by))
            self.table.addAction(action)
        self.order_note = QLabel(self.tr("The plan prints the priorities in number order."))
        self.order_note.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(self.up_button)
        bar.addWidget(self.down_button)
        bar.addWidget(self.order_note, 1)
        bar.addWidget(self.roll_button)
        layout = self.layout()
        layout.insertLayout(1, bar)  # type: ignore[union-attr]
        self._show_year()

    # -- state --------------------------------------------------------------------------

    def _show_year(self) -> None:
        self.roll_button.setText(
            self.tr("&Roll forward to {0}…").format(next_year_label(self.workspace.year))
        )

    def reload(self) -> None:
        super().reload()
        self._show_year()
        self._enable_moves()

    def _current_changed(self, current: Any, previous: Any) -> None:
        super()._current_changed(current, previous)
        self._enable_moves()

    def _enable_moves(self) -> None:
        if not hasattr(self, "roll_button"):
            return  # a selection while the page is still being built
        writable = not self.workspace.read_only
        row_id = self.current_id()
        place = self._place(row_id) if row_id is not None else None
        count = self.model.rowCount()
        self.up_button.setEnabled(writable and place is not None and place > 0)
        self.down_button.setEnabled(writable and place is not None and place < count - 1)
        self.roll_button.setEnabled(writable and count > 0)

    def _place(self, row_id: int) -> int | None:
        """Where the priority stands in number order (the model holds them so)."""
        return self.model.position_of(row_id)

    # -- moving -------------------------------------------------------------------------

    def move_current(self, by: int) -> bool:
        """Moves the selected priority up (-1) or down (+1) one place, as one undo step."""
        row_id = self.current_id()
        if row_id is None or self.workspace.read_only:
            return False
        step = steps.move_priority(row_id, by)
        command = push_action(
            self.workspace,
            self.tr("move priority up") if by < 0 else self.tr("move priority down"),
            step.do,
            step.undo,
            lambda: self._reload_keeping(row_id),
        )
        return not command.failed

    def _reload_keeping(self, row_id: int) -> None:
        self.reload()  # several numbers changed: every row is read again
        self.select_id(row_id)
        self._enable_moves()

    # -- rolling forward ----------------------------------------------------------------

    def ask_roll_forward(self) -> PriorityRollForward | None:
        year = self.workspace.year
        following = next_year_label(year)
        if not messages.confirm(
            self,
            self.tr(
                "Copy the {0} of {1} to {2}, with {1}'s plan text if it has its own? {2} "
                "must have no priorities yet; open risks and milestones will name the {2} "
                "copies. Edit ▸ Undo takes it back."
            ).format(counted(self.model.rowCount(), "priority", "priorities"), year, following),
            self.tr("Roll forward to {0}").format(following),
        ):
            return None
        return self.roll_forward()

    def roll_forward(self) -> PriorityRollForward | None:
        """The shown year's priorities and plan text copied to the next, as one undo step."""
        if self.workspace.read_only:
            return None
        year = self.workspace.year
        step = steps.roll_priorities_forward(year)
        command = push_action(
            self.workspace,
            self.tr("roll the {0} priorities forward").format(year),
            step.do,
            step.undo,
            self._years_changed,
        )
        if command.failed:
            return None
        done: PriorityRollForward = command.result
        text = self.tr("{0} made for {1}").format(
            counted(len(done.priority_ids), "priority", "priorities"), done.to_year
        )
        if done.text_copied:
            text += self.tr(", with {0}'s plan text").format(done.from_year)
        elif done.text_kept:
            text += self.tr("; {0} keeps the plan text it had").format(done.to_year)
        messages.info(
            self, text + self.tr(". Choose {0} in the year box to see them.").format(done.to_year)
        )
        return done

    def _years_changed(self) -> None:
        """A roll forward may add the next year (and its undo take it away again)."""
        try:
            info = workbook_info(self.workspace.wb)
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return
        held = list(info.years)
        if held != list(self.workspace.years):
            self.workspace.years[:] = held
            if self.workspace.year not in held:  # the year shown was the one undone
                self.workspace.year = info.current_year
            # The window refreshes its year chooser (and every page) on the year signal.
            self.workspace.yearChanged.emit(self.workspace.year)
        self.reload()
