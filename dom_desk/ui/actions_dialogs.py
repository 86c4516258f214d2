"""The Actions tab's dialogs: accept a suggestion (owner and due date), open an action,
move one to a stage, add a note, dismiss a suggestion. Each checks what was typed and
keeps a plain answer for the tab to record through ``domain.performance_actions``; a
refusal is said in a sentence naming the field and the dialog stays open."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from dom_desk.domain.kinds import ActionStage
from dom_desk.domain.performance_actions import ActionChoices, ActionInfo
from dom_desk.domain.periods import parse_date
from dom_desk.errors import ValidationError
from dom_desk.ui.form_dialog import CheckedDialog, lay_out_form

DATE_HINT = "dd/mm/yyyy, e.g. 30/11/2009"
STAGES = tuple(ActionStage)


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def _due_field(text: str = "") -> QLineEdit:
    field = QLineEdit(text)
    field.setPlaceholderText(DATE_HINT)
    return field


def _note_field() -> QPlainTextEdit:
    field = QPlainTextEdit()
    field.setTabChangesFocus(True)
    field.setMinimumHeight(field.fontMetrics().lineSpacing() * 4)
    return field


# -- accepting and dismissing a suggestion ---------------------------------------------------


@dataclass(frozen=True)
class AcceptInput:
    owner: str
    due: date | None


class AcceptDialog(CheckedDialog):
    """Accept a suggestion: who owns the action and when its next step is due."""

    def __init__(self, suggestion: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Accept suggestion"))
        self.owner = QLineEdit()
        self.owner.setPlaceholderText(self.tr("e.g. Regional performance manager"))
        self.due = _due_field()
        heading = _heading(
            self.tr("{0}.\nA 'Concern raised' action will be opened.").format(suggestion)
        )
        rows = ((self.tr("&Owner:"), self.owner), (self.tr("&Due by:"), self.due))
        lay_out_form(self, rows, self._accept, heading=heading)
        self.resize(self.fontMetrics().averageCharWidth() * 70, self.sizeHint().height())

    def answer(self) -> AcceptInput:
        return AcceptInput(self.owner.text(), parse_date(self.due.text(), self.tr("Due by")))


class DismissDialog(CheckedDialog):
    """Dismiss a suggestion, with the reason kept beside it."""

    def __init__(self, suggestion: str, period: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Dismiss suggestion"))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("why no action is needed (optional)"))
        heading = _heading(
            self.tr("{0}.\nIt will not be suggested again for {1}.").format(suggestion, period)
        )
        lay_out_form(self, ((self.tr("&Reason:"), self.reason),), self._accept, heading=heading)
        self.resize(self.fontMetrics().averageCharWidth() * 70, self.sizeHint().height())

    def answer(self) -> str:
        return self.reason.text()


# -- a new action --------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionInput:
    provider_id: int
    title: str
    measure_id: int | None = None
    period_code: str = ""
    owner: str = ""
    due: date | None = None
    note: str = ""
    stage: ActionStage = ActionStage.CONCERN


class ActionDialog(CheckedDialog):
    """New action: the provider, the measure and period behind it, what it is, its stage,
    owner, due date and a first note. ``provider_id``, ``measure_id`` and
    ``period_code`` preselect (a matrix cell's)."""

    def __init__(
        self,
        choices: ActionChoices,
        provider_id: int | None = None,
        measure_id: int | None = None,
        period_code: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New action"))
        self.provider = QComboBox()
        for pid, name in choices.providers:
            self.provider.addItem(name, pid)
        self.measure = QComboBox()
        self.measure.addItem(self.tr("(none: a concern about the provider)"), None)
        for mid, words in choices.measures:
            self.measure.addItem(words, mid)
        self.period = QComboBox()
        self.period.addItem(self.tr("(none)"), "")
        for code, label in choices.periods:
            self.period.addItem(label, code)
        for combo, value in (
            (self.provider, provider_id),
            (self.measure, measure_id),
            (self.period, period_code),
        ):
            at = combo.findData(value) if value not in (None, "") else -1
            if at >= 0:
                combo.setCurrentIndex(at)
        self.title = QLineEdit()
        self.title.setPlaceholderText(self.tr("e.g. Drug testing below target since August"))
        self.title.setMaxLength(200)
        self.stage = QComboBox()
        for stage in STAGES:
            if stage is not ActionStage.CLOSED:
                self.stage.addItem(stage.label, stage.name)
        self.owner = QLineEdit()
        self.due = _due_field()
        self.note = _note_field()
        rows = (
            (self.tr("&Provider:"), self.provider),
            (self.tr("&Measure:"), self.measure),
            (self.tr("P&eriod:"), self.period),
            (self.tr("&Action:"), self.title),
            (self.tr("&Stage:"), self.stage),
            (self.tr("&Owner:"), self.owner),
            (self.tr("&Due by:"), self.due),
            (self.tr("&Note:"), self.note),
        )
        lay_out_form(self, rows, self._accept)
        self.resize(self.fontMetrics().averageCharWidth() * 80, self.sizeHint().height())

    def answer(self) -> ActionInput:
        provider_id = self.provider.currentData()
        if provider_id is None:
            raise ValidationError(self.tr("choose the provider"), self.tr("Provider"))
        if not self.title.text().strip():
            raise ValidationError(
                self.tr("say in a few words what the action is about"), self.tr("Action")
            )
        return ActionInput(
            provider_id,
            self.title.text(),
            self.measure.currentData(),
            self.period.currentData() or "",
            self.owner.text(),
            parse_date(self.due.text(), self.tr("Due by")),
            self.note.toPlainText(),
            ActionStage[self.stage.currentData()],
        )


# -- a stage, a note -----------------------------------------------------------------------


@dataclass(frozen=True)
class StageInput:
    stage: ActionStage
    due: date | None
    note: str


def describe(action: ActionInfo) -> str:
    """ "HMP Liverpool, KPI 6 Drug misuse (Sep 2009)": the action's subject in a line."""
    text = action.provider
    if action.measure:
        text += f", {action.measure}"
        if action.measure_name and action.measure_name != action.measure:
            text += f" {action.measure_name}"
    if action.period:
        text += f" ({action.period})"
    return text


class StageDialog(CheckedDialog):
    """Move an action on (or back, or close it): the stage, the next step's due date, a
    note. The next stage up is offered first."""

    def __init__(self, action: ActionInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Advance stage"))
        self.stage = QComboBox()
        for stage in STAGES:
            self.stage.addItem(stage.label, stage.name)
        at = STAGES.index(action.stage)
        self.stage.setCurrentIndex(min(at + 1, len(STAGES) - 1))
        self.due = _due_field()
        self.due.setToolTip(self.tr("When the new stage's next step is due; empty keeps it"))
        self.note = _note_field()
        heading = _heading(
            self.tr("{0}\n{1}\nNow: {2}").format(describe(action), action.title, action.stage.label)
        )
        rows = (
            (self.tr("&Stage:"), self.stage),
            (self.tr("Next step &due by:"), self.due),
            (self.tr("&Note:"), self.note),
        )
        lay_out_form(self, rows, self._accept, heading=heading)
        self.resize(self.fontMetrics().averageCharWidth() * 70, self.sizeHint().height())

    def answer(self) -> StageInput:
        return StageInput(
            ActionStage[self.stage.currentData()],
            parse_date(self.due.text(), self.tr("Next step due by")),
            self.note.toPlainText(),
        )


class NoteDialog(CheckedDialog):
    """A dated note on an action (dated the workbook's working day)."""

    def __init__(self, action: ActionInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add note"))
        self.note = _note_field()
        heading = _heading(f"{describe(action)}\n{action.title}")
        lay_out_form(self, ((self.tr("&Note:"), self.note),), self._accept, heading=heading)
        self.resize(self.fontMetrics().averageCharWidth() * 70, self.sizeHint().height())

    def answer(self) -> str:
        text = self.note.toPlainText().strip()
        if not text:
            raise ValidationError(self.tr("the note is empty"), self.tr("Note"))
        return text
