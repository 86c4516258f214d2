"""Performance ▸ Actions: what the DOM is doing about missed targets.

Above, the suggestions: targets missed in the last two periods with no action open
(Accept… asks the owner and due date and opens a 'Concern raised' action; Dismiss…
keeps it from being suggested again for its period). Below, the actions, open ones first
by due date, with their stage in words, owner, due date and last note; beside them the
selected action's dated notes. New Action…, Advance Stage… and Add Note… write through
``domain.performance_actions``, each one audited transaction and one step of the
window's undo stack. The suggestions are worked out on the thread pool (they build two
matrices for each cadence).

A matrix cell with an action open on its provider and measure carries a small mark in
its top right corner (:class:`ActionMarkDelegate`) and the action in its tooltip.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QPolygonF
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from dom_desk.domain import performance_actions as pa
from dom_desk.domain.periods import format_date, period_label
from dom_desk.domain.region import working_day
from dom_desk.errors import DomDeskError
from dom_desk.storage.workbook import Workbook
from dom_desk.ui.actions_dialogs import (
    AcceptDialog,
    AcceptInput,
    ActionDialog,
    ActionInput,
    DismissDialog,
    NoteDialog,
    StageDialog,
    StageInput,
    describe,
)
from dom_desk.ui.background import Failure, Runner
from dom_desk.ui.messages import messages, run_modal
from dom_desk.ui.rows_table import RowsModel, fit_columns, rows_table
from dom_desk.ui.undo import UndoCommand

Index = QModelIndex | QPersistentModelIndex
#: Pale red behind an overdue action (its Due column says "overdue" too).
_OVERDUE = QBrush(QColor("#fbe3e1"))
#: Grey behind a closed one (its Stage column reads "Closed").
_CLOSED = QBrush(QColor("#eeeeee"))
#: The matrix's corner mark: dark blue, a shape rather than a colour to be seen.
MARK_COLOUR = QColor("#1f3a93")


def measure_words(code: str, name: str) -> str:
    """ "KPI 6 Drug misuse"; the code alone where the short name is the code."""
    return code if not name or name == code else f"{code} {name}"


def suggestion_text(s: pa.Suggestion) -> str:
    return (
        f"{s.provider} missed {measure_words(s.measure, s.measure_name)} in "
        f"{period_label(s.previous_code)} and {period_label(s.period_code)}"
    )


def last_note(action: pa.ActionInfo) -> str:
    if not action.notes:
        return ""
    note = action.notes[-1]
    return f"{format_date(note.written)} {note.text}"


def due_text(action: pa.ActionInfo, on: date) -> str:
    if action.due is None:
        return ""
    text = format_date(action.due)
    return text + " (overdue)" if action.overdue(on) else text


def action_line(action: pa.ActionInfo) -> str:
    """The tooltip line of a matrix cell with an action open: stage, due date, owner."""
    text = f"Action: {action.stage.label}"
    if action.due is not None:
        text += f", due {format_date(action.due)}"
    if action.owner:
        text += f"; owner {action.owner}"
    return f"{text} ({action.title})"


def open_marks(actions: list[pa.ActionInfo]) -> dict[tuple[int, int], pa.ActionInfo]:
    """The open action on each (provider, measure) for the matrix's marks: the soonest
    due where several are open (``actions`` in the domain's order, open first by due)."""
    marks: dict[tuple[int, int], pa.ActionInfo] = {}
    for action in actions:
        if action.is_open and action.measure_id is not None:
            marks.setdefault((action.provider_id, action.measure_id), action)
    return marks


class ActionsTab(QWidget):
    """The Actions tab of the Performance page, for one workspace."""

    #: Actions were written: the matrix's marks, the Overview and key dates change.
    changed = Signal()
    #: The suggestions have arrived (after every reload; for tests).
    loaded = Signal()

    def __init__(self, workspace: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("actions_tab")
        self.workspace = workspace
        self.stale = True
        self.today = date.today()
        self.all_actions: list[pa.ActionInfo] = []
        self._wanted = 0
        self.runner = Runner(self)

        self.suggestions = RowsModel(
            (("Suggested: target missed two periods running", suggestion_text, False),)
        )
        self.suggestion_table = rows_table(self.suggestions, "action_suggestions")
        self.suggestion_table.setAccessibleName(self.tr("Suggested actions"))
        self.suggestion_table.doubleClicked.connect(lambda _i: self.ask_accept())
        self.suggestion_note = QLabel(self.tr("Working out the suggestions…"))
        self.suggestion_note.setWordWrap(True)
        self.accept_button = QPushButton(self.tr("A&ccept…"))
        self.accept_button.setToolTip(
            self.tr(
                "Open a 'Concern raised' action for the suggestion, with its owner and due date"
            )
        )
        self.accept_button.clicked.connect(self.ask_accept)
        self.dismiss_button = QPushButton(self.tr("D&ismiss…"))
        self.dismiss_button.setToolTip(
            self.tr("No action needed: not suggested again for the same period")
        )
        self.dismiss_button.clicked.connect(self.ask_dismiss)

        columns: tuple[tuple[str, Callable[[pa.ActionInfo], str], bool], ...] = (
            ("Provider", lambda a: a.provider, False),
            ("Measure", lambda a: measure_words(a.measure, a.measure_name), False),
            ("Period", lambda a: a.period, False),
            ("Stage", lambda a: a.stage.label, False),
            ("Due", lambda a: due_text(a, self.today), True),
            ("Owner", lambda a: a.owner, False),
            ("Action", lambda a: a.title, False),
            ("Last note", last_note, False),
        )
        self.actions = RowsModel(columns, self._shade)
        self.action_table = rows_table(self.actions, "actions_table")
        self.action_table.setAccessibleName(self.tr("Performance actions, open ones first"))
        self.action_table.selectionModel().currentRowChanged.connect(self._show_notes)
        self.action_table.doubleClicked.connect(lambda _i: self.ask_advance())
        self.filter = QLineEdit()
        self.filter.setClearButtonEnabled(True)
        self.filter.setPlaceholderText(self.tr("Filter by provider, measure or owner"))
        self.filter.setAccessibleName(self.tr("Filter actions"))
        self.filter.textChanged.connect(lambda _t: self._show_actions())
        self.show_closed = QCheckBox(self.tr("Show c&losed"))
        self.show_closed.toggled.connect(lambda _on: self._show_actions())
        self.new_button = QPushButton(self.tr("&New Action…"))
        self.new_button.clicked.connect(lambda: self.ask_new())
        self.advance_button = QPushButton(self.tr("A&dvance Stage…"))
        self.advance_button.setToolTip(
            self.tr("Move the selected action to a stage (or close it), with a note")
        )
        self.advance_button.clicked.connect(self.ask_advance)
        self.note_button = QPushButton(self.tr("Add N&ote…"))
        self.note_button.clicked.connect(self.ask_note)
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)

        self.notes_heading = QLabel(self.tr("Notes"))
        self.notes_heading.setWordWrap(True)
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("action_notes")
        self.notes.setReadOnly(True)
        self.notes.setAccessibleName(self.tr("Notes on the selected action, oldest first"))
        self.notes.setPlaceholderText(self.tr("Select an action to read its notes."))

        self._lay_out()

    def _lay_out(self) -> None:
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_bar = QHBoxLayout()
        top_bar.addWidget(self.suggestion_note, 1)
        top_bar.addWidget(self.accept_button)
        top_bar.addWidget(self.dismiss_button)
        top_layout.addLayout(top_bar)
        top_layout.addWidget(self.suggestion_table, 1)

        notes = QWidget()
        notes_layout = QVBoxLayout(notes)
        notes_layout.setContentsMargins(0, 0, 0, 0)
        notes_layout.addWidget(self.notes_heading)
        notes_layout.addWidget(self.notes, 1)
        # The notes under the actions, so the table has the page's width for its words.
        side = QSplitter(Qt.Orientation.Vertical)
        side.addWidget(self.action_table)
        side.addWidget(notes)
        side.setStretchFactor(0, 2)
        side.setStretchFactor(1, 1)

        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(self.filter, 1)
        bar.addWidget(self.show_closed)
        for button in (self.new_button, self.advance_button, self.note_button):
            bar.addWidget(button)
        bottom_layout.addWidget(self.summary_label)
        bottom_layout.addLayout(bar)
        bottom_layout.addWidget(side, 1)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        # Arrow keys move within a table; Tab moves on (no keyboard trap).
        for table in (self.suggestion_table, self.action_table):
            table.setTabKeyNavigation(False)
        self.notes.setTabChangesFocus(True)
        # Tab follows the screen: suggestions and their buttons, then the actions.
        order = [
            self.suggestion_table,
            self.accept_button,
            self.dismiss_button,
            self.filter,
            self.show_closed,
            self.new_button,
            self.advance_button,
            self.note_button,
            self.action_table,
            self.notes,
        ]
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)

    # -- reading ------------------------------------------------------------------------

    @property
    def wb(self) -> Workbook:
        return self.workspace.wb

    def ensure_loaded(self) -> None:
        if self.stale:
            self.reload()

    def reload(self, select: int | None = None) -> None:
        """The actions now (a quick read), the suggestions on the pool."""
        self.stale = False
        chosen = select if select is not None else self._current_id()
        try:
            self.today = working_day(self.wb)
            self.all_actions = pa.actions(self.wb)
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return
        self._show_actions(chosen)
        self._wanted += 1
        wanted = self._wanted
        self.runner.start(
            pa.suggestions,
            self.wb,
            done=lambda found: self._suggestions_ready(wanted, found),
            failed=self._failed,
        )
        self._enable()

    def _suggestions_ready(self, wanted: int, found: list[pa.Suggestion]) -> None:
        if wanted != self._wanted:
            return
        self.suggestions.set_rows(found)
        if found:
            self.suggestion_table.setCurrentIndex(self.suggestions.index(0, 0))
            self.suggestion_note.setText(
                self.tr(
                    "{0} suggested: targets missed in the last two periods with no action open. "
                    "Accept one to open an action, or dismiss it."
                ).format(len(found))
            )
        else:
            self.suggestion_note.setText(
                self.tr("No suggestions: no target missed two periods running without an action.")
            )
        self.suggestion_table.setVisible(bool(found))
        self._enable()
        self.loaded.emit()

    def _failed(self, failure: Failure) -> None:
        self.suggestion_note.setText(self.tr("The suggestions could not be worked out."))
        messages.failure(self, failure.error, failure.details)
        self.loaded.emit()

    def _show_actions(self, select: int | None = None) -> None:
        chosen = select if select is not None else self._current_id()
        words = self.filter.text().strip().casefold()
        shown = [
            a
            for a in self.all_actions
            if (a.is_open or self.show_closed.isChecked())
            and (
                not words
                or words
                in f"{a.provider} {a.measure} {a.measure_name} {a.owner} {a.title}".casefold()
            )
        ]
        self.actions.set_rows(shown)
        fit_columns(self.action_table, widest=180)
        open_ = [a for a in self.all_actions if a.is_open]
        overdue = sum(1 for a in open_ if a.overdue(self.today))
        text = self.tr("{0} open, {1} overdue on {2}").format(
            len(open_), overdue, format_date(self.today)
        )
        closed = len(self.all_actions) - len(open_)
        if closed and not self.show_closed.isChecked():
            text += self.tr("; {0} closed not shown").format(closed)
        self.summary_label.setText(text + self.tr(". ◥ in a matrix cell: an action is open on it."))
        if not self._select_shown(chosen):
            if shown:
                self.action_table.setCurrentIndex(self.actions.index(0, 0))
            self._show_notes()

    def _shade(self, action: pa.ActionInfo) -> QBrush | None:
        if not action.is_open:
            return _CLOSED
        return _OVERDUE if action.overdue(self.today) else None

    def _enable(self) -> None:
        writable = not self.workspace.read_only
        self.new_button.setEnabled(writable)
        chosen = self.current_action() is not None
        self.advance_button.setEnabled(writable and chosen)
        self.note_button.setEnabled(writable and chosen)
        suggested = self.current_suggestion() is not None
        self.accept_button.setEnabled(writable and suggested)
        self.dismiss_button.setEnabled(writable and suggested)

    # -- the selection ------------------------------------------------------------------

    def current_action(self) -> pa.ActionInfo | None:
        index = self.action_table.currentIndex()
        if not index.isValid() or index.row() >= len(self.actions.rows):
            return None
        return self.actions.rows[index.row()]

    def _current_id(self) -> int | None:
        action = self.current_action()
        return action.id if action is not None else None

    def current_suggestion(self) -> pa.Suggestion | None:
        index = self.suggestion_table.currentIndex()
        if not index.isValid() or index.row() >= len(self.suggestions.rows):
            return None
        return self.suggestions.rows[index.row()]

    def select_action(self, action_id: int | None) -> bool:
        """Makes the action current, clearing the filter and showing closed actions if
        they hid it; False when there is no such action."""
        if self._select_shown(action_id):
            return True
        known = next((a for a in self.all_actions if a.id == action_id), None)
        if known is None:
            return False
        self.filter.blockSignals(True)
        self.filter.clear()
        self.filter.blockSignals(False)
        if not known.is_open:
            self.show_closed.blockSignals(True)
            self.show_closed.setChecked(True)
            self.show_closed.blockSignals(False)
        self._show_actions(action_id)
        return self._select_shown(action_id)

    def _select_shown(self, action_id: int | None) -> bool:
        for row, action in enumerate(self.actions.rows):
            if action.id == action_id:
                index = self.actions.index(row, 0)
                self.action_table.setCurrentIndex(index)
                self.action_table.scrollTo(index)
                self._show_notes()
                return True
        return False

    def _show_notes(self, *_args: Any) -> None:
        action = self.current_action()
        if action is None:
            self.notes_heading.setText(self.tr("Notes"))
            self.notes.setPlainText("")
        else:
            self.notes_heading.setText(
                self.tr("<b>Notes</b>: {0}, opened {1}").format(
                    describe(action), format_date(action.opened)
                )
            )
            self.notes.setPlainText(
                "\n\n".join(
                    f"{format_date(n.written)}  {n.text}" + (f"  ({n.by})" if n.by else "")
                    for n in action.notes
                )
            )
        self._enable()

    # -- writing ------------------------------------------------------------------------

    def _read_only(self) -> bool:
        """True, and said, when the workbook is open read-only."""
        if self.workspace.read_only:
            messages.error(
                self, self.tr("The workbook is open read-only: actions cannot be changed.")
            )
            return True
        return False

    def _step(
        self,
        text: str,
        do: Callable[[], Any],
        undo: Callable[[Any], Any],
        select: Callable[[Any], int | None] = lambda _r: None,
    ) -> UndoCommand:
        """Runs a write as one step of the window's undo stack (Edit ▸ Undo reverses it);
        the tab, the matrix's marks and the Overview follow each way."""
        held: dict[str, UndoCommand] = {}

        def changed() -> None:
            command = held.get("command")
            self._done(select(command.result) if command is not None else None)

        command = UndoCommand(text, lambda _first: do(), undo, changed, self)
        held["command"] = command
        self.workspace.undo_stack.push(command)
        return command

    def _done(self, action_id: int | None) -> None:
        self.reload(select=action_id)
        self.changed.emit()

    def ask_accept(self) -> None:
        suggestion = self.current_suggestion()
        if suggestion is None:
            messages.info(self, self.tr("Choose a suggestion in the list first."))
            return
        dialog = AcceptDialog(suggestion_text(suggestion), self)
        if run_modal(dialog) == QDialog.DialogCode.Accepted and dialog.result_input:
            self.accept_suggestion(suggestion, dialog.result_input)  # type: ignore[arg-type]

    def accept_suggestion(self, suggestion: pa.Suggestion, answer: AcceptInput) -> int | None:
        """Opens the suggestion's action (one undo step); its id, or None when refused
        (and said)."""
        if self._read_only():
            return None
        wb = self.wb
        held: dict[str, int] = {}  # Redo opens it again under the same id

        def do() -> int:
            held["id"] = pa.accept_suggestion(
                wb, suggestion, answer.owner, answer.due, held.get("id")
            )
            return held["id"]

        command = self._step(
            self.tr("accept suggestion: {0}").format(suggestion_text(suggestion)),
            do,
            lambda action_id: pa.withdraw_action(wb, action_id),
            lambda action_id: action_id,
        )
        return None if command.failed else command.result

    def ask_dismiss(self) -> None:
        suggestion = self.current_suggestion()
        if suggestion is None:
            messages.info(self, self.tr("Choose a suggestion in the list first."))
            return
        dialog = DismissDialog(
            suggestion_text(suggestion), period_label(suggestion.period_code), self
        )
        if run_modal(dialog) == QDialog.DialogCode.Accepted:
            self.dismiss_suggestion(suggestion, str(dialog.result_input or ""))

    def dismiss_suggestion(self, suggestion: pa.Suggestion, reason: str = "") -> bool:
        if self._read_only():
            return False
        wb = self.wb
        command = self._step(
            self.tr("dismiss suggestion: {0}").format(suggestion_text(suggestion)),
            lambda: pa.dismiss_suggestion(wb, suggestion, reason),
            lambda _result: pa.undismiss_suggestion(wb, suggestion),
        )
        return not command.failed

    def ask_new(
        self, provider_id: int | None = None, measure_id: int | None = None, period_code: str = ""
    ) -> None:
        if self._read_only():
            return
        try:
            choices = pa.choices(self.wb, self.workspace.year)
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return
        dialog = ActionDialog(choices, provider_id, measure_id, period_code, self)
        if run_modal(dialog) == QDialog.DialogCode.Accepted and dialog.result_input:
            self.new_action(dialog.result_input)  # type: ignore[arg-type]

    def new_action(self, answer: ActionInput) -> int | None:
        """Opens an action (one undo step); its id, or None when refused (a retired
        measure, an unknown period, no words): the sentence is shown, nothing stored."""
        if self._read_only():
            return None
        wb = self.wb
        held: dict[str, int] = {}  # Redo opens it again under the same id

        def do() -> int:
            held["id"] = pa.open_action(
                wb,
                answer.provider_id,
                answer.title,
                answer.measure_id,
                answer.period_code,
                answer.owner,
                answer.due,
                answer.note,
                answer.stage,
                held.get("id"),
            )
            return held["id"]

        command = self._step(
            self.tr("new action: {0}").format(" ".join(answer.title.split())),
            do,
            lambda action_id: pa.withdraw_action(wb, action_id),
            lambda action_id: action_id,
        )
        return None if command.failed else command.result

    def ask_advance(self) -> None:
        action = self.current_action()
        if action is None:
            messages.info(self, self.tr("Choose an action in the list first."))
            return
        dialog = StageDialog(action, self)
        if run_modal(dialog) == QDialog.DialogCode.Accepted and dialog.result_input:
            self.advance(action.id, dialog.result_input)  # type: ignore[arg-type]

    def advance(self, action_id: int, answer: StageInput) -> bool:
        """Moves the action to a stage (one undo step: Undo puts back its stage, dates and
        notes as they were)."""
        if self._read_only():
            return False
        wb = self.wb

        def do() -> pa.ActionState:
            before = pa.action_state(wb, action_id)
            pa.advance(wb, action_id, answer.stage, answer.note, answer.due)
            return before

        command = self._step(
            self.tr("move action to '{0}'").format(answer.stage.label),
            do,
            lambda before: pa.restore_state(wb, action_id, before),
            lambda _before: action_id,
        )
        return not command.failed

    def ask_note(self) -> None:
        action = self.current_action()
        if action is None:
            messages.info(self, self.tr("Choose an action in the list first."))
            return
        dialog = NoteDialog(action, self)
        if run_modal(dialog) == QDialog.DialogCode.Accepted and dialog.result_input:
            self.add_note(action.id, str(dialog.result_input))

    def add_note(self, action_id: int, text: str) -> bool:
        if self._read_only():
            return False
        wb = self.wb

        def do() -> pa.ActionState:
            before = pa.action_state(wb, action_id)
            pa.add_note(wb, action_id, text)
            return before

        command = self._step(
            self.tr("add note to action"),
            do,
            lambda before: pa.restore_state(wb, action_id, before),
            lambda _before: action_id,
        )
        return not command.failed

    def closeEvent(self, event: Any) -> None:
        self.runner.wait()
        super().closeEvent(event)


class ActionMarkDelegate(QStyledItemDelegate):
    """Paints a matrix cell as usual, then a small triangle in its top right corner when
    an action is open on it (``role`` gives the action; its tooltip says it in words)."""

    def __init__(self, role: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.role = role

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        super().paint(painter, option, index)
        if index.data(self.role) is None:
            return
        rect = option.rect  # type: ignore[attr-defined]
        size = max(7.0, rect.height() * 0.45)
        right, top = float(rect.right()), float(rect.top())
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(MARK_COLOUR)
        painter.drawPolygon(
            QPolygonF(
                [
                    QPointF(right - size, top),
                    QPointF(right + 1, top),
                    QPointF(right + 1, top + size),
                ]
            )
        )
        painter.restore()
