"""The Overview, the first screen: what needs attention now (the desk list, at the top),
the year's envelope against allocations, missed targets, two small charts and the next
key dates.

The figures are read when the page is shown; the attention list (returns, targets, key
dates, agreements, imports: a tenth of a second and more on a large region) is read just
after, once the figures are painted, so the first screen is never held up by it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dom_desk.domain.allocations.position import (
    DEFAULT_WARNING,
    EnvelopeState,
    envelope_state,
    envelope_warning,
    envelope_words,
)
from dom_desk.domain.keydates import KeyDate
from dom_desk.domain.money import format_pounds
from dom_desk.domain.overview import MissedTarget, Overview
from dom_desk.domain.periods import format_date, period_label
from dom_desk.domain.status import Status
from dom_desk.domain.values import counted, format_decimal
from dom_desk.errors import DomDeskError
from dom_desk.ui.attention_charts import KindChart, MonthChart
from dom_desk.ui.attention_list import AttentionPanel
from dom_desk.ui.envelope_bar import show_envelope_share
from dom_desk.ui.keydates_panel import KeyDatesControls
from dom_desk.ui.messages import messages
from dom_desk.ui.row_height import compact_rows
from dom_desk.ui.setup_guide import SetupGuide
from dom_desk.ui.workspace_view import PAGE_TITLES, area_title

Index = QModelIndex | QPersistentModelIndex
#: The roles the key-dates table answers.
_ANSWERED = frozenset(
    (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ToolTipRole)
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("OverviewPage", text)


def due_text(key: KeyDate, today: date) -> str:
    """Overdue, due today or due in so many days: in words, never colour alone."""
    if key.overdue(today):
        days = (today - key.when).days
        return _tr("Overdue by {0} days").format(days) if days != 1 else _tr("Overdue by 1 day")
    days = (key.when - today).days
    if days == 0:
        return _tr("Due today")
    return _tr("Due in {0} days").format(days) if days != 1 else _tr("Due tomorrow")


class KeyDatesModel(QAbstractTableModel):
    """The next key dates: when, what, where it comes from and whether it is overdue."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.headers = (
            self.tr("Date"),
            self.tr("As written"),
            self.tr("What"),
            self.tr("Area"),
            self.tr("Status"),
        )
        self.dates: list[KeyDate] = []
        self.today = date.today()
        # What each row shows, worked out once: the view asks for every cell many times
        # (each column is sized to its contents).
        self._cells: list[tuple[str, ...]] = []
        self._overdue: list[bool] = []
        self._bold: QFont | None = None

    def set_dates(self, dates: list[KeyDate], today: date) -> None:
        self.beginResetModel()
        self.dates = list(dates)
        self.today = today
        self._cells = [self._cells_of(key, today) for key in self.dates]
        self._overdue = [key.overdue(today) for key in self.dates]
        self.endResetModel()

    @staticmethod
    def _cells_of(key: KeyDate, today: date) -> tuple[str, ...]:
        area = area_title(key.area) if key.area in PAGE_TITLES else key.area.capitalize()
        return (format_date(key.when), key.text, key.what, area, due_text(key, today))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.dates)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # The view asks for a dozen roles per cell; three are answered, the rest at once.
        if role not in _ANSWERED or not index.isValid():
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < len(self._cells) and 0 <= column < len(self.headers)):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells[row][column]
        if role == Qt.ItemDataRole.FontRole:
            return self._bold_font() if column == 4 and self._overdue[row] else None
        return self._cells[row][2] if column == 2 else None  # the tooltip: what, in full

    def _bold_font(self) -> QFont:
        if self._bold is None:
            self._bold = QFont()
            self._bold.setBold(True)
        return self._bold

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.headers)
        ):
            return self.headers[section]
        return None


def _big(label: QLabel, scale: float = 1.5) -> QLabel:
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    return label


def _chart_title(text: str) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setBold(True)
    label.setFont(font)
    return label


def _value_label() -> QLabel:
    label = QLabel()
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return label


class OverviewPage(QWidget):
    """Loaded when shown; marked stale by any edit and reloaded on the next show."""

    #: Open a record in its area: (area key, record id).
    openRecord = Signal(str, int)
    #: A first-run guide's button: (step key, "add" or "import"); see ui/setup_guide.py.
    setupStep = Signal(str, str)
    #: The attention list has been read and shown (for tests and the bench).
    attentionShown = Signal()

    #: Providers the Performance panel names before "and N more".
    MISSED_SHOWN = 6

    def __init__(self, workspace: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.stale = True
        self.figures: Overview | None = None

        self.heading = _big(QLabel(), 1.6)
        self.heading.setAccessibleName(self.tr("Region and year"))

        # Money: the envelope against what is committed.
        money = QGroupBox(self.tr("Money"))
        money_layout = QVBoxLayout(money)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.envelope = _big(_value_label())
        self.baseline = _value_label()
        self.provisional = _value_label()
        self.agreed = _value_label()
        self.committed = _big(_value_label())
        self.headroom = _big(_value_label())
        for title, label in (
            (self.tr("Envelope for the year:"), self.envelope),
            (self.tr("Baseline funding:"), self.baseline),
            (self.tr("Provisional allocations:"), self.provisional),
            (self.tr("Agreed values:"), self.agreed),
            (self.tr("Committed:"), self.committed),
            (self.tr("Headroom:"), self.headroom),
        ):
            label.setAccessibleName(title.rstrip(":"))
            form.addRow(title, label)
        money_layout.addLayout(form)
        self.used = QProgressBar()
        self.used.setAccessibleName(self.tr("Share of the envelope committed"))
        self.used.setTextVisible(True)
        money_layout.addWidget(self.used)
        self.money_note = QLabel()
        self.money_note.setWordWrap(True)
        self.money_note.setAccessibleName(self.tr("Envelope check"))
        money_layout.addWidget(self.money_note)
        money_layout.addWidget(_chart_title(self.tr("Committed by provider kind")))
        self.kind_chart = KindChart()
        money_layout.addWidget(self.kind_chart)
        money_layout.addStretch(1)

        # Performance: the latest month's returns against target.
        performance = QGroupBox(self.tr("Performance"))
        performance_layout = QVBoxLayout(performance)
        self.missed = _big(QLabel())
        self.missed.setWordWrap(True)
        self.missed.setAccessibleName(self.tr("Targets missed"))
        self.status_counts = QLabel()
        self.status_counts.setWordWrap(True)
        self.status_counts.setAccessibleName(self.tr("Results by status"))
        self.missed_list = QLabel()
        self.missed_list.setObjectName("missed_list")
        self.missed_list.setWordWrap(True)
        self.missed_list.setAccessibleName(self.tr("Targets missed, by provider"))
        self.missed_list.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        performance_layout.addWidget(self.missed)
        performance_layout.addWidget(self.status_counts)
        performance_layout.addWidget(self.missed_list)
        performance_layout.addWidget(_chart_title(self.tr("Targets met, near and missed by month")))
        self.month_chart = MonthChart()
        performance_layout.addWidget(self.month_chart)
        performance_layout.addStretch(1)

        # What needs attention now, most urgent first (read after the figures are shown).
        self.attention = AttentionPanel()
        self.attention.itemOpened.connect(self.open_item)
        self._attention_timer = QTimer(self)
        self._attention_timer.setSingleShot(True)
        self._attention_timer.setInterval(0)
        self._attention_timer.timeout.connect(self.load_attention)

        # Key dates.
        dates = QGroupBox(self.tr("Next key dates"))
        dates_layout = QVBoxLayout(dates)
        self.dates_note = QLabel()
        self.dates_note.setWordWrap(True)
        dates_layout.addWidget(self.dates_note)
        self.dates_model = KeyDatesModel(self)
        self.dates_table = QTableView()
        self.dates_table.setAccessibleName(self.tr("Next key dates"))
        self.dates_table.setModel(self.dates_model)
        self.dates_table.verticalHeader().setVisible(False)
        self.dates_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.dates_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.dates_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.dates_table.setWordWrap(False)
        self.dates_table.setAlternatingRowColors(True)
        compact_rows(self.dates_table)
        header = self.dates_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.dates_table.activated.connect(self._open_date)
        # Next 30, 90 or 180 days, the count in each, and Mark done (keydates_panel).
        self.key_controls = KeyDatesControls(workspace, self.dates_table, self.dates_model)
        self.key_controls.horizonChanged.connect(self._horizon_changed)
        self.key_controls.changed.connect(self.reload)
        dates_layout.addWidget(self.key_controls)
        dates_layout.addWidget(self.dates_table)

        cards = QHBoxLayout()
        cards.addWidget(money, 1)
        cards.addWidget(performance, 1)
        # What a new region still lacks (hidden once it has everything).
        self.guide = SetupGuide()
        self.guide.setVisible(False)
        self.guide.stepChosen.connect(self.setupStep)

        # In a scroll area: with the first-run guide on a small screen the page scrolls
        # rather than squeezing the figures until they overlap.
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(self.heading)
        layout.addWidget(self.guide)
        layout.addWidget(self.attention)
        layout.addLayout(cards)
        layout.addWidget(dates, 1)
        scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        workspace.rowChanged.connect(self._row_changed)

    def ensure_loaded(self) -> None:
        if self.stale:
            self.reload()

    def reload(self) -> None:
        try:
            figures = self.workspace.overview()
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return
        self.stale = False
        self.show_figures(figures)
        self._attention_timer.start()  # after this paint, not before it

    def load_attention(self) -> None:
        """Reads the attention list and shows it (the timer calls this after a reload)."""
        from dom_desk.domain.attention import attention  # off the start-up path

        self._attention_timer.stop()
        try:
            found = attention(self.workspace.wb, self.workspace.year)
        except DomDeskError as exc:
            self.attention.show_failure(str(exc))
            return
        self.attention.show_attention(found)
        self.attentionShown.emit()

    def open_item(self, item: Any) -> None:
        """Opens an attention line's record (ui/attention_open.py)."""
        from dom_desk.ui.attention_open import open_item

        view = self.workspace.parent()  # the WorkspaceView that owns the workspace
        if hasattr(view, "pages") and hasattr(view, "open_record"):
            open_item(view, item)
        elif item.record_id:
            self.openRecord.emit(item.area, item.record_id)

    def summary(self) -> str:
        if self.figures is None:
            return self.tr("Overview not loaded")
        return self.tr("{0}; {1} needing attention; envelope {2}; {3} key dates").format(
            self.heading.text(),
            self.attention.model.rowCount(),
            self.envelope.text(),
            self.dates_model.rowCount(),
        )

    def _row_changed(self, _area: str, _row: Any) -> None:
        self.stale = True
        if self.isVisible():
            self.reload()

    def show_figures(self, figures: Overview) -> None:
        self.figures = figures
        self.heading.setText(self.tr("{0}: overview of {1}").format(figures.region, figures.year))
        self.guide.show_steps(figures.region, figures.year, figures.setup)
        self.envelope.setText(format_pounds(figures.envelope) or "£0")
        self.baseline.setText(format_pounds(figures.baseline))
        self.provisional.setText(format_pounds(figures.provisional))
        self.agreed.setText(format_pounds(figures.agreed))
        self.committed.setText(format_pounds(figures.committed))
        self._show_headroom(figures)
        self._show_performance(figures)
        self.kind_chart.show_figures(figures)
        self.month_chart.show_months(figures.months)
        self.dates_model.set_dates(figures.key_dates, figures.today)
        if not figures.key_dates:
            self.dates_note.setText(self.tr("Nothing falls due in the next 90 days."))
        else:
            self.dates_note.setText(self._shown_note(len(figures.key_dates), "90 days"))
        if figures.key_date_buckets:
            self.key_controls.show_buckets(figures.key_date_buckets, figures.today)

    def _horizon_changed(self, shown: list[KeyDate], words: str) -> None:
        if self.figures is None:
            return
        self.dates_note.setText(self._shown_note(len(shown), words.removeprefix("next ")))

    def _shown_note(self, count: int, horizon: str) -> str:
        # The counts by bucket and the date are in the line below: this one says what
        # the table holds and how to use it.
        return self.tr(
            "Showing {0}: the overdue and those due in the next {1}. Press Enter "
            "or double-click a row to open it."
        ).format(counted(count, "date"), horizon)

    def _show_headroom(self, figures: Overview) -> None:
        if figures.envelope <= 0:
            self.headroom.setText(self.tr("No envelope entered"))
            show_envelope_share(
                self.used,
                0,
                0,
                EnvelopeState.NONE,
                self.tr("No envelope entered for {0}").format(figures.year),
            )
            self.money_note.setText(
                self.tr(
                    "Enter the region's envelope for {0} (Allocations, Envelope tab: Add line) "
                    "to check allocations against it."
                ).format(figures.year)
            )
            return
        # Red over the envelope, amber at the DOM's warning share (Allocations tab), and
        # the same in words on the bar.
        try:
            warning = envelope_warning(self.workspace.wb)
        except DomDeskError:
            warning = DEFAULT_WARNING
        state = envelope_state(figures.committed, figures.envelope, warning)
        show_envelope_share(
            self.used,
            figures.committed,
            figures.envelope,
            state,
            envelope_words(figures.committed, figures.envelope, warning),
        )
        if figures.over_envelope:
            over = format_pounds(-figures.headroom)
            self.headroom.setText(self.tr("Over by {0}").format(over))
            self.money_note.setText(
                self.tr(
                    "Warning: allocations exceed the envelope by {0}. Reduce allocations or "
                    "secure more funding before agreeing them."
                ).format(over)
            )
        elif state is EnvelopeState.NEARLY:
            self.headroom.setText(format_pounds(figures.headroom) or "£0")
            self.money_note.setText(
                self.tr(
                    "Nearly used: only {0} not yet committed, at or above the {1}% warning "
                    "(set on the Allocations tab)."
                ).format(format_pounds(figures.headroom) or "£0", format_decimal(warning))
            )
        else:
            self.headroom.setText(format_pounds(figures.headroom) or "£0")
            self.money_note.setText(
                self.tr("Within the envelope: {0} not yet committed.").format(
                    format_pounds(figures.headroom) or "£0"
                )
            )

    def _show_performance(self, figures: Overview) -> None:
        counts = figures.status_counts
        if not figures.latest_period:
            self.missed.setText(self.tr("No performance returns for {0} yet.").format(figures.year))
            self.status_counts.setText("")
            self.missed_list.setText("")
            return
        total = sum(counts.values())
        with_target = total - counts.get(Status.NO_TARGET, 0)
        self.missed.setText(
            self.tr("Targets missed in {0}: {1} of {2}").format(
                period_label(figures.latest_period), counts.get(Status.MISSED, 0), with_target
            )
        )
        main = (Status.MET, Status.NEAR, Status.MISSED)
        parts = [f"{s.label}: {counts.get(s, 0)}" for s in main]
        parts += [f"{s.label}: {counts[s]}" for s in Status if s not in main and counts.get(s)]
        self.status_counts.setText(
            self.tr("Results: {0}. Near means within the measure's tolerance.").format(
                " · ".join(parts)
            )
        )
        self._show_missed(figures)

    def _show_missed(self, figures: Overview) -> None:
        """A line per provider that missed a target in the latest month, with the measures
        missed the month before too said so."""
        months = figures.months
        if not months.missed_latest:
            self.missed_list.setText(self.tr("No target was missed."))
            self.missed_list.setToolTip("")
            return
        before = {(m.provider_id, m.measure_id) for m in months.missed_previous}
        previous = period_label(months.previous.period_code) if months.previous else ""
        by_provider: dict[str, list[MissedTarget]] = {}
        for missed in months.missed_latest:
            by_provider.setdefault(missed.provider, []).append(missed)
        lines = []
        for provider, missed in by_provider.items():
            codes = ", ".join(m.code for m in missed)
            again = [m for m in missed if (m.provider_id, m.measure_id) in before]
            if again and len(again) == len(missed):
                codes += self.tr(" (also missed in {0})").format(previous)
            elif again:
                codes += self.tr(" ({0} also in {1})").format(
                    ", ".join(m.code for m in again), previous
                )
            lines.append(f"{provider}: {codes}")
        shown = lines[: self.MISSED_SHOWN]
        if len(lines) > len(shown):
            shown.append(
                self.tr("and {0} more: each is a line of Needs attention above.").format(
                    counted(len(lines) - len(shown), "provider")
                )
            )
        heading = self.tr("Missed in {0}, by provider:").format(
            period_label(months.missed_latest[0].period_code)
        )
        self.missed_list.setText("\n".join([heading, *shown]))
        self.missed_list.setToolTip(
            "\n".join(f"{m.provider}: {m.code} {m.title}" for m in months.missed_latest)
        )

    def _open_date(self, index: QModelIndex) -> None:
        key = self.dates_model.dates[index.row()]
        view = self.workspace.parent()  # the WorkspaceView that owns the workspace
        if key.kind == "returns" and hasattr(view, "pages"):
            # A month's returns: the Performance page's returns schedule, not a record.
            view.show_area("performance")
            page = view.pages["performance"]
            page.tabs.setCurrentWidget(page.returns_tab)
            return
        if key.kind == "action" and hasattr(view, "pages"):
            # An action's next step: the Actions tab with the action and its notes.
            view.show_area("performance")
            view.pages["performance"].show_action(key.record_id)
            return
        if key.area in PAGE_TITLES:
            self.openRecord.emit(key.area, key.record_id)
