"""The Overview's key-date controls: show the next 30, 90 or 180 days (overdue dates are
always shown until marked done), the count in each bucket, and "Mark done".

They work on the Overview's own key-dates table and model (``KeyDatesModel``): the
horizon chooses which of the Overview's bucketed dates the model shows; marking done is
one undoable step (a stage's actual date, a milestone's done date or a done mark).
"""

from __future__ import annotations

import contextlib
from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QTableView, QWidget

from dom_desk.domain.keydates import Bucket, KeyDate
from dom_desk.domain.periods import format_date
from dom_desk.errors import DomDeskError
from dom_desk.ui.messages import messages
from dom_desk.ui.undo import push_action as push

#: The horizons offered, and the buckets each shows besides the overdue.
HORIZONS: tuple[tuple[Bucket, str], ...] = (
    (Bucket.DAYS_30, "Next 30 days"),
    (Bucket.DAYS_90, "Next 90 days"),
    (Bucket.DAYS_180, "Next 180 days"),
)


def dates_within(buckets: dict[Bucket, list[KeyDate]], upto: Bucket) -> list[KeyDate]:
    """Overdue dates and those of every bucket up to ``upto``, earliest first."""
    order = list(Bucket)
    chosen = [k for b, keys in buckets.items() if order.index(b) <= order.index(upto) for k in keys]
    return sorted(chosen, key=lambda k: (k.when, k.what))


def bucket_summary(buckets: dict[Bucket, list[KeyDate]], on: date) -> str:
    counts = {b: len(buckets.get(b, [])) for b in Bucket}
    return (
        f"As at {format_date(on)}: {counts[Bucket.OVERDUE]} overdue, "
        f"{counts[Bucket.DAYS_30]} due within 30 days, {counts[Bucket.DAYS_90]} in 31 to "
        f"90 days, {counts[Bucket.DAYS_180]} in 91 to 180 days. Overdue dates stay "
        "until marked done."
    )


class KeyDatesControls(QWidget):
    """Horizon, bucket counts and Mark done, above the Overview's key-dates table."""

    #: The horizon changed: the dates now shown and the horizon's words.
    horizonChanged = Signal(object, str)
    #: A key date was marked done or reopened: the Overview reads its figures again.
    changed = Signal()

    def __init__(
        self, workspace: Any, table: QTableView, model: Any, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.table = table
        self.model = model
        self.buckets: dict[Bucket, list[KeyDate]] = {}
        self.today = date.today()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(self.tr("Key dates by how soon they fall due"))
        self.horizon = QComboBox()
        self.horizon.setAccessibleName(self.tr("Show key dates due within"))
        for bucket, text in HORIZONS:
            self.horizon.addItem(self.tr(text), bucket.name)
        self.horizon.setCurrentIndex(1)
        self.horizon.currentIndexChanged.connect(lambda _i: self._show())
        self.done_button = QPushButton(self.tr("&Mark done"))
        self.done_button.setToolTip(self.tr("The selected key date has been dealt with"))
        self.done_button.clicked.connect(self.mark_selected_done)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary, 1)
        layout.addWidget(self.horizon)
        layout.addWidget(self.done_button)

    @property
    def upto(self) -> Bucket:
        return Bucket[self.horizon.currentData()]

    def show_buckets(self, buckets: dict[Bucket, list[KeyDate]], on: date) -> None:
        self.buckets, self.today = buckets, on
        self.summary.setText(bucket_summary(buckets, on))
        self._show()

    def _show(self) -> None:
        shown = dates_within(self.buckets, self.upto)
        self.model.set_dates(shown, self.today)
        self.done_button.setEnabled(not self.workspace.read_only and bool(shown))
        self.horizonChanged.emit(shown, self.horizon.currentText().lower())

    def selected(self) -> KeyDate | None:
        index = self.table.currentIndex()
        return self.model.dates[index.row()] if index.isValid() else None

    def mark_selected_done(self) -> None:
        key = self.selected()
        if key is None:
            messages.info(self, self.tr("Choose a key date in the list first."))
            return
        self.mark_done(key)

    def mark_done(self, key: KeyDate) -> bool:
        """Marks a key date done on the workbook's today, as one undoable step."""
        # Imported on first use: start-up shows the key dates, it marks none done.
        from dom_desk.domain import planning_steps as steps

        step = steps.mark_key_date_done(key.key, self.today)

        def changed() -> None:
            # The record's page shows the change too (a stage's actual date), and the
            # Overview, listening for changes, reads its figures again.
            with contextlib.suppress(DomDeskError, KeyError):
                self.workspace.rowChanged.emit(
                    key.area, self.workspace.row(key.area, key.record_id)
                )
            self.changed.emit()

        command = push(self.workspace, self.tr("mark key date done"), step.do, step.undo, changed)
        return not command.failed
