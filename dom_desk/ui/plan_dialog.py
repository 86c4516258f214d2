"""The commissioning plan: choose and order its sections, write its text, export the PDF.

The sections (which, in what order, their titles and text) are the chosen year's: a
year with no text of its own shows the region's template, and its first save makes the
year's own copy, so editing the 2009-10 foreword leaves 2008-09's alone. Saving is one
undoable step on the main window's stack when one is given; changing the year offers to
save what was typed for the year being left.
The export runs on the thread pool with a progress bar and a Cancel button; the window
stays responsive, and a cancelled or failed export leaves no file behind.

One module over 400 lines: it is one dialog whose editing (per year) and export halves
share its year, section list, buttons and busy state; the export half could move to a
mixin of its own if it grows.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QKeyEvent, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dom_desk.domain.region import IssuedBy, issued_by, set_issued_by
from dom_desk.errors import DomDeskError
from dom_desk.plan import (
    SectionChoice,
    next_plan_version,
    plan_years,
    save_template,
)
from dom_desk.plan.template import SPECS, YearText, load_year_text, restore_year_text
from dom_desk.storage.workbook import Workbook
from dom_desk.ui.background import Failure, Runner
from dom_desk.ui.messages import messages
from dom_desk.ui.undo import UndoCommand

PDF_FILTER = "PDF documents (*.pdf);;All files (*)"
HTML_FILTER = "Web pages (*.html);;All files (*)"
_KEY = Qt.ItemDataRole.UserRole


def issuer_command(wb: Workbook, old: IssuedBy, name: str, role: str) -> UndoCommand:
    """Sets who issues the plan (its cover, version table and sign-off); undo puts back
    the name and role it had."""
    return UndoCommand(
        "set who issues the plan",
        lambda _first: set_issued_by(wb, name, role),
        lambda _r: set_issued_by(wb, old.name, old.role),
    )


def save_text_command(
    wb: Workbook, old: YearText, new: Sequence[SectionChoice], text: str
) -> UndoCommand:
    """Saves ``new`` as the year's own plan text; undo puts back what the year had (its
    own text, or none, so that it follows the region's template again)."""
    new = list(new)
    return UndoCommand(
        text,
        lambda _first: save_template(wb, new, old.year),
        lambda _r: restore_year_text(wb, old),
    )


class _Progress(QObject):
    """Lives in the GUI thread; the worker emits, the bar listens (queued)."""

    moved = Signal(float, str)


class PlanDialog(QDialog):
    """Plan template editor and export."""

    def __init__(
        self,
        wb: Workbook,
        undo_stack: QUndoStack | None = None,
        parent: QWidget | None = None,
        year: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.wb = wb
        self.undo_stack = undo_stack
        self._year = year
        self.setWindowTitle(self.tr("Commissioning plan"))
        self.setAccessibleName(self.tr("Commissioning plan"))
        self._texts: dict[str, tuple[str, str]] = {}
        self._current: str | None = None
        self._cancel = threading.Event()
        self._runner = Runner(self)
        self._progress = _Progress(self)
        self._progress.moved.connect(self._on_progress)
        self._build()
        self._load(self.year.currentText())
        self.last_result = None

    # -- layout -----------------------------------------------------------------------

    def _build(self) -> None:
        self.sections = QListWidget()
        self.sections.setAccessibleName(self.tr("Sections of the plan, in order"))
        self.sections.setDragDropMode(QListWidget.DragDropMode.InternalMove)
        self.sections.currentItemChanged.connect(self._select)
        up = QPushButton(self.tr("Move &up"))
        down = QPushButton(self.tr("Move &down"))
        up.clicked.connect(lambda: self._move(-1))
        down.clicked.connect(lambda: self._move(1))
        self.sections.installEventFilter(self)  # Alt+Up / Alt+Down move the section
        moves = QHBoxLayout()
        moves.addWidget(up)
        moves.addWidget(down)
        left = QVBoxLayout()
        left.addWidget(
            QLabel(
                self.tr(
                    "Tick the sections to include; drag or use Alt+Up / Alt+Down to order them."
                )
            )
        )
        left.addWidget(self.sections)
        left.addLayout(moves)

        self.title = QLineEdit()
        self.title.setAccessibleName(self.tr("Section title"))
        self.title.setMaxLength(160)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.body = QPlainTextEdit()
        self.body.setAccessibleName(self.tr("Section text"))
        hint = QLabel(
            self.tr(
                "A blank line starts a new paragraph; a line starting "
                "\u201c- \u201d is a bullet; **bold**, *italic*."
            )
        )
        hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("&Title"), self.title)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(self.description)
        right.addWidget(QLabel(self.tr("Te&xt")))
        right.addWidget(self.body, 1)
        right.addWidget(hint)
        right.itemAt(2).widget().setBuddy(self.body)  # type: ignore[union-attr]

        top = QHBoxLayout()
        top.addLayout(left, 2)
        top.addLayout(right, 3)

        self.year = QComboBox()
        self.year.setAccessibleName(self.tr("Financial year of the plan"))
        labels, current = plan_years(self.wb)
        self.year.addItems(labels)
        self.year.setCurrentText(self._year if self._year in labels else current)
        self.year.currentTextChanged.connect(self._year_changed)
        self.source = QLabel()
        self.source.setWordWrap(True)
        self.source.setAccessibleName(self.tr("Whose text this is"))
        year_label = QLabel(self.tr("Plan for &year"))
        year_label.setBuddy(self.year)
        year_row = QHBoxLayout()
        year_row.addWidget(year_label)
        year_row.addWidget(self.year)
        year_row.addWidget(self.source, 1)
        self.final = QCheckBox(self.tr("Mark this version &final (no DRAFT watermark)"))
        self.reason = QLineEdit()
        self.reason.setAccessibleName(self.tr("Reason for issue"))
        self.reason.setPlaceholderText(self.tr("e.g. Draft for comment by providers"))
        self.version = QLabel()
        self.year.currentTextChanged.connect(self._show_version)
        self.final.toggled.connect(self._show_version)
        export_box = QGroupBox(self.tr("Export"))
        export_form = QFormLayout(export_box)
        export_form.addRow("", self.final)
        export_form.addRow(self.tr("&Reason for issue"), self.reason)
        export_form.addRow(self.tr("Version"), self.version)
        # Who issues the plan: printed on the cover, in the version table and under the
        # foreword (never the computer's login); kept in the workbook for every export.
        self._issuer = issued_by(self.wb)
        self.issuer_name = QLineEdit(self._issuer.name)
        self.issuer_name.setObjectName("issuer_name")
        self.issuer_name.setAccessibleName(self.tr("Issued by (name)"))
        self.issuer_name.setPlaceholderText(self.tr("e.g. Jane Hart"))
        self.issuer_name.setMaxLength(120)
        self.issuer_role = QLineEdit(self._issuer.role)
        self.issuer_role.setObjectName("issuer_role")
        self.issuer_role.setAccessibleName(self.tr("Role"))
        self.issuer_role.setMaxLength(120)
        export_form.addRow(self.tr("Issued by (&name)"), self.issuer_name)
        export_form.addRow(self.tr("R&ole"), self.issuer_role)

        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setAccessibleName(self.tr("Export progress"))
        self.bar.setVisible(False)
        self.step = QLabel()
        self.save_button = QPushButton(self.tr("&Save plan text"))
        self.export_button = QPushButton(self.tr("&Export PDF\u2026"))
        self.html_button = QPushButton(self.tr("Export &web page\u2026"))
        self.html_button.setToolTip(
            self.tr("The same plan as one accessible HTML file, to publish on a website")
        )
        self.cancel_button = QPushButton(self.tr("&Cancel export"))
        self.close_button = QPushButton(self.tr("Close"))
        self.cancel_button.setVisible(False)
        self.save_button.clicked.connect(self.save)
        self.export_button.clicked.connect(lambda: self.ask_and_export())
        self.html_button.clicked.connect(lambda: self.ask_and_export(html=True))
        self.cancel_button.clicked.connect(self._cancel.set)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.bar, 1)
        buttons.addWidget(self.step)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.html_button)
        buttons.addWidget(self.close_button)

        if self.wb.read_only:
            # Nothing can be saved: drafts export with the saved text, unrecorded.
            self.save_button.setEnabled(False)
            self.final.setEnabled(False)
            self.sections.setEnabled(False)
            self.title.setReadOnly(True)
            self.body.setReadOnly(True)
            self.issuer_name.setReadOnly(True)
            self.issuer_role.setReadOnly(True)
            export_form.addRow(
                "",
                QLabel(
                    self.tr(
                        "The workbook is open read-only: the plan text cannot be changed, and "
                        "a draft exported now is not recorded."
                    )
                ),
            )
        layout = QVBoxLayout(self)
        layout.addLayout(year_row)
        layout.addLayout(top, 1)
        layout.addWidget(export_box)
        layout.addLayout(buttons)
        self.resize(960, 640)
        self._show_version()

    def _load(self, year: str) -> None:
        """Shows ``year``'s plan text (the template's while it has none of its own)."""
        self._saved = load_year_text(self.wb, year)
        self._current = None  # what the editors hold belongs to the year being left
        self._texts = {s.key: (s.title, s.body) for s in self._saved.sections}
        self._fill(self._saved.sections)
        self._show_source()

    def _show_source(self) -> None:
        own = self.tr("The {0} plan has text of its own: what you save here is {0}'s alone.")
        template = self.tr(
            "{0} has no plan text of its own yet: this is the region's template, and saving "
            "makes a copy for {0} alone. (Rolling the priorities forward also copies a "
            "year's text to the next.)"
        )
        self.source.setText((own if self._saved.own else template).format(self._saved.year))

    @Slot(str)
    def _year_changed(self, year: str) -> None:
        left = self._saved.year
        if year == left:
            return
        if (
            not self.wb.read_only
            and self.choices() != list(self._saved.sections)
            and messages.confirm(self, self.tr("Save the changes to the {0} plan?").format(left))
            and not self.save()
        ):
            self.year.blockSignals(True)  # refused: stay on the year whose text it is
            self.year.setCurrentText(left)
            self.year.blockSignals(False)
            return
        self._load(year)

    def _fill(self, sections: Sequence[SectionChoice]) -> None:
        self._current = None
        self.sections.clear()
        for section in sections:
            item = QListWidgetItem(self._texts[section.key][0])
            item.setData(_KEY, section.key)
            item.setFlags(
                item.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsDragEnabled
            )
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsDropEnabled)
            item.setCheckState(
                Qt.CheckState.Checked if section.included else Qt.CheckState.Unchecked
            )
            item.setToolTip(SPECS[section.key].description)
            self.sections.addItem(item)
        self.sections.setCurrentRow(0)

    # -- editing ----------------------------------------------------------------------

    def _keep_edits(self) -> None:
        """Holds what was typed for the section being left."""
        if self._current is None:
            return
        title = self.title.text()
        self._texts[self._current] = (title, self.body.toPlainText())
        for row in range(self.sections.count()):
            item = self.sections.item(row)
            if item.data(_KEY) == self._current and title.strip():
                item.setText(title)

    @Slot(QListWidgetItem, QListWidgetItem)
    def _select(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        self._keep_edits()
        if item is None:
            self._current = None
            return
        key = item.data(_KEY)
        self._current = key
        spec = SPECS[key]
        title, body = self._texts[key]
        self.title.setText(title)
        self.description.setText(spec.description)
        self.body.setPlainText(body)
        self.body.setEnabled(spec.has_body)
        self.body.setPlaceholderText(
            "" if spec.has_body else self.tr("This section is drawn from the workbook.")
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.sections
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.modifiers() == Qt.KeyboardModifier.AltModifier
            and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down)
        ):
            self._move(-1 if event.key() == Qt.Key.Key_Up else 1)
            return True
        return super().eventFilter(watched, event)

    def _move(self, step: int) -> None:
        row = self.sections.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.sections.count():
            return
        item = self.sections.takeItem(row)
        self.sections.insertItem(target, item)
        self.sections.setCurrentRow(target)

    def choices(self) -> list[SectionChoice]:
        """The year's plan text as the dialog shows it now."""
        self._keep_edits()
        made = []
        for row in range(self.sections.count()):
            item = self.sections.item(row)
            key = item.data(_KEY)
            title, body = self._texts[key]
            made.append(SectionChoice(key, item.checkState() == Qt.CheckState.Checked, title, body))
        return made

    def save(self) -> bool:
        """Saves the shown year's plan text and who issues the plan (each one undoable
        step); False when refused."""
        return self._save_text() and self._save_issuer()

    def _issuer_fields(self) -> tuple[str, str]:
        return (
            " ".join(self.issuer_name.text().split()),
            " ".join(self.issuer_role.text().split()),
        )

    def _issuer_changed(self) -> bool:
        return self._issuer_fields() != (self._issuer.name, self._issuer.role)

    def _save_issuer(self) -> bool:
        name, role = self._issuer_fields()
        old = self._issuer
        if self.wb.read_only or not self._issuer_changed():
            return True
        try:
            if self.undo_stack is not None:
                command = issuer_command(self.wb, old, name, role)
                self.undo_stack.push(command)
                if command.failed:
                    return False
            else:
                set_issued_by(self.wb, name, role)
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return False
        self._issuer = issued_by(self.wb)
        self.issuer_role.setText(self._issuer.role)  # an emptied role shows the default
        return True

    def _save_text(self) -> bool:
        new = self.choices()
        if new == list(self._saved.sections):
            return True
        year = self._saved.year
        try:
            if self.undo_stack is not None:
                command = save_text_command(
                    self.wb, self._saved, new, self.tr("edit the {0} plan text").format(year)
                )
                self.undo_stack.push(command)
                if command.failed:
                    return False
            else:
                save_template(self.wb, new, year)
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return False
        self._saved = YearText(year, True, tuple(new))
        self._show_source()
        return True

    def _show_version(self) -> None:
        try:
            version = next_plan_version(self.wb, self.year.currentText(), self.final.isChecked())
        except DomDeskError:
            version = ""
        kind = self.tr("final") if self.final.isChecked() else self.tr("draft")
        self.version.setText(f"{version} ({kind})" if version else "")

    # -- export -----------------------------------------------------------------------

    def ask_and_export(self, html: bool = False) -> None:
        """Asks where, then exports the PDF (or, with ``html``, the accessible web page)."""
        year = self.year.currentText()
        suffix = ".html" if html else ".pdf"
        suggested = Path(f"Commissioning plan {year}{suffix}")
        path = messages.save_path(
            self,
            self.tr("Export the commissioning plan"),
            suggested,
            file_filter=HTML_FILTER if html else PDF_FILTER,
        )
        if path is None:
            return
        if path.suffix.lower() not in ((".html", ".htm") if html else (".pdf",)):
            path = path.with_suffix(suffix)
        if self.final.isChecked() and not messages.confirm(
            self,
            self.tr(
                "Mark version {0} of the {1} plan final? It will be recorded "
                "in the workbook and printed without the DRAFT watermark."
            ).format(next_plan_version(self.wb, year, True), year),
        ):
            return
        self.export_to(path)

    def export_to(self, path: Path) -> None:
        """Saves the year's plan text, then exports off the GUI thread."""
        if self._runner.busy or (not self.wb.read_only and not self.save()):
            return
        from dom_desk.plan.html_export import export_plan_file

        self._cancel.clear()
        self._busy(True)
        # Everything the worker needs is read here, on the GUI thread; the worker only
        # emits progress (queued to the bar) and checks the cancel flag.
        year, final, reason = self.year.currentText(), self.final.isChecked(), self.reason.text()
        relay, cancel = self._progress, self._cancel

        def work() -> object:
            return export_plan_file(
                self.wb,
                year,
                path,
                final=final,
                reason=reason,
                progress=relay.moved.emit,
                cancelled=cancel.is_set,
            )

        self._runner.start(work, done=self._exported, failed=self._failed)

    def _busy(self, busy: bool) -> None:
        self.bar.setVisible(busy)
        self.bar.setValue(0)
        self.step.setText("")
        self.cancel_button.setVisible(busy)
        for widget in (self.export_button, self.html_button, self.close_button, self.year):
            widget.setEnabled(not busy)
        for widget in (self.save_button, self.sections, self.final):
            widget.setEnabled(not busy and not self.wb.read_only)

    @Slot(float, str)
    def _on_progress(self, fraction: float, message: str) -> None:
        self.bar.setValue(int(fraction * 1000))
        self.step.setText(message)

    def _exported(self, result: object) -> None:
        self._busy(False)
        self.last_result = result
        self._show_version()
        kind = self.tr("final") if result.final else self.tr("draft")  # type: ignore[attr-defined]
        if result.pages:  # type: ignore[attr-defined]
            text = self.tr("Wrote version {0} ({1}) of the plan: {2} pages, to {3}.").format(
                result.version, kind, result.pages, result.path
            )  # type: ignore[attr-defined]
        else:  # the web page has no pages
            text = self.tr("Wrote version {0} ({1}) of the plan as a web page, to {2}.").format(
                result.version, kind, result.path
            )  # type: ignore[attr-defined]
        notes = "\n".join(result.notes)  # type: ignore[attr-defined]
        if messages.confirm(
            self,
            f"{text}\n{notes}\n\n" + self.tr("Open it now?")
            if notes
            else f"{text}\n\n" + self.tr("Open it now?"),
        ):
            path = result.path  # type: ignore[attr-defined]
            if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
                messages.error(
                    self,
                    self.tr(
                        "No program to show PDF files could be started. The plan is at {0}."
                    ).format(path),
                )

    def _failed(self, failure: Failure) -> None:
        from dom_desk.plan.document import Cancelled

        self._busy(False)
        if isinstance(failure.error, Cancelled | DomDeskError):
            messages.error(self, str(failure.error))
        else:
            messages.exception(self, self.tr("The plan could not be exported."), failure.details)

    def reject(self) -> None:
        if self._runner.busy:
            self._cancel.set()
            self._runner.wait()
        if (
            not self.wb.read_only
            and (self.choices() != list(self._saved.sections) or self._issuer_changed())
            and messages.confirm(
                self, self.tr("Save the changes to the {0} plan?").format(self._saved.year)
            )
        ):
            self.save()
        super().reject()
