"""The national window: every region on the team server side by side, read-only.

Opened by ``dom-desk national --db postgresql://HOST/DATABASE`` (or ``national window``).
Four tabs show ``domain.national``'s picture: Summary (envelope, committed, headroom,
targets and key dates by region, and all regions together), Targets (met / near /
missed / missing by region), Key dates and Competitions, each a table of domain rows
(``rows_table``). The picture is read off the GUI thread, each region opened read-only
by its own functions; Refresh reads it again. Nothing here can change a figure.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dom_desk.domain.money import format_pounds
from dom_desk.domain.national import (
    TARGET_STATUSES,
    NationalPicture,
    RegionCompetition,
    RegionKeyDate,
    SummaryRow,
    national_picture,
    server_address,
    stage_when,
    summary_rows,
)
from dom_desk.domain.periods import format_date
from dom_desk.domain.status import Status
from dom_desk.errors import DomDeskError
from dom_desk.ui.background import Failure, Runner
from dom_desk.ui.messages import messages
from dom_desk.ui.rows_table import Column, RowsModel, fit_columns, rows_table

#: Pale red behind a region over its envelope and an overdue key date (words say so too).
_OVER = QBrush(QColor("#F4D3D0"))
_TOTAL = QBrush(QColor("#E6ECF2"))

Loader = Callable[[str, str | None], NationalPicture]


def _money(pence: int) -> str:
    return format_pounds(pence) or "£0"


def _headroom(row: SummaryRow) -> str:
    return _money(row.headroom) + (" over" if row.over_envelope else "")


def _count(status: Status) -> Callable[[SummaryRow], str]:
    return lambda row: f"{row.count(status):,}"


SUMMARY: tuple[Column, ...] = (
    ("Region", lambda r: r.region, False),
    ("Envelope", lambda r: _money(r.envelope), True),
    ("Committed", lambda r: _money(r.committed), True),
    ("Headroom", _headroom, True),
    ("Share committed", lambda r: r.committed_share, True),
    ("Targets met", lambda r: r.met_share, True),
    ("Missed", _count(Status.MISSED), True),
    ("Key dates overdue", lambda r: f"{r.overdue:,}", True),
    ("Competitions", lambda r: f"{r.competitions:,}", True),
)

TARGETS: tuple[Column, ...] = (
    ("Region", lambda r: r.region, False),
    *((s.label, _count(s), True) for s in TARGET_STATUSES),
    ("No target", _count(Status.NO_TARGET), True),
    ("Share met", lambda r: r.met_share, True),
)

KEY_DATES: tuple[Column, ...] = (
    ("Date", lambda d: format_date(d.key.when), False),
    ("", lambda d: "Overdue" if d.overdue else "", False),
    ("Region", lambda d: d.region, False),
    ("What", lambda d: d.key.what + (f" ({d.key.text})" if d.key.text else ""), False),
)


def _next(c: RegionCompetition, part: int) -> str:
    found = c.next_stage
    if found is None:
        return "All done" if part == 0 else ""
    return found[0].label if part == 0 else stage_when(found[1], found[2])


COMPETITIONS: tuple[Column, ...] = (
    ("Region", lambda c: c.region, False),
    ("Subject", lambda c: c.row.subject, False),
    ("Type", lambda c: c.row.kind, False),
    ("Expires", lambda c: c.row.expiry, False),
    ("Next stage", lambda c: _next(c, 0), False),
    ("When", lambda c: _next(c, 1), False),
    ("Service start", lambda c: c.service_start, False),
)


def _summary_shade(row: SummaryRow) -> QBrush | None:
    if row.over_envelope:
        return _OVER
    return _TOTAL if row.total else None


def _target_shade(row: SummaryRow) -> QBrush | None:
    return _TOTAL if row.total else None


def _date_shade(row: RegionKeyDate) -> QBrush | None:
    return _OVER if row.overdue else None


class NationalWindow(QMainWindow):
    """The regions side by side, read-only; ``load(url, year)`` gives the picture."""

    def __init__(self, url: str, year: str | None = None, load: Loader | None = None) -> None:
        super().__init__()
        self.url = url
        self.year = year
        self.load: Loader = load or (lambda u, y: national_picture(u, y))
        self.picture: NationalPicture | None = None
        self.runner = Runner(self)
        try:
            address = server_address(url)
            where = f"{address.host}/{address.database}"
        except DomDeskError:
            where = "the server"
        self.setWindowTitle(f"National view - {where} (read-only) - DOM Desk")
        self.setObjectName("national_window")

        self.heading = QLabel(self.tr("Reading the regions on %s…") % where)
        self.heading.setObjectName("national_heading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.heading.setFont(font)
        self.note = QLabel("")
        self.note.setObjectName("national_note")
        self.note.setWordWrap(True)
        self.refresh_button = QPushButton(self.tr("&Refresh"))
        self.refresh_button.setObjectName("national_refresh")
        self.refresh_button.setToolTip(self.tr("Read every region's figures again (F5)"))
        self.refresh_button.clicked.connect(self.refresh)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.refresh)

        self.summary = RowsModel(SUMMARY, _summary_shade)
        self.targets = RowsModel(TARGETS, _target_shade)
        self.key_dates = RowsModel(KEY_DATES, _date_shade)
        self.competitions = RowsModel(COMPETITIONS)
        self.tables = {
            "summary": rows_table(self.summary, "national_summary"),
            "targets": rows_table(self.targets, "national_targets"),
            "keydates": rows_table(self.key_dates, "national_keydates"),
            "competitions": rows_table(self.competitions, "national_competitions"),
        }
        self.captions = {key: QLabel("") for key in self.tables}
        self.tabs = QTabWidget()
        self.tabs.setObjectName("national_tabs")
        titles = {
            "summary": self.tr("&Summary"),
            "targets": self.tr("&Targets"),
            "keydates": self.tr("&Key dates"),
            "competitions": self.tr("&Competitions"),
        }
        for key in ("summary", "targets"):  # figures to the last: no column stretched
            self.tables[key].horizontalHeader().setStretchLastSection(False)
        for key, table in self.tables.items():
            table.setAccessibleName(titles[key].replace("&", ""))
            page = QWidget()
            layout = QVBoxLayout(page)
            caption = self.captions[key]
            caption.setWordWrap(True)
            caption.setObjectName(f"national_{key}_caption")
            layout.addWidget(caption)
            layout.addWidget(table)
            self.tabs.addTab(page, titles[key])
        self.tabs.currentChanged.connect(lambda _i: self._fit())

        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.refresh_button)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addLayout(top)
        layout.addWidget(self.note)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(body)
        self.statusBar().showMessage(self.tr("Read-only: national figures cannot be changed here."))

    # -- loading ----------------------------------------------------------------------

    def refresh(self) -> None:
        if self.runner.busy:
            return
        self.refresh_button.setEnabled(False)
        self.statusBar().showMessage(self.tr("Reading every region's figures…"))
        self.runner.start(
            self.load, self.url, self.year, done=self.show_picture, failed=self._failed
        )

    def show_picture(self, picture: NationalPicture) -> None:
        self.picture = picture
        self.year = picture.year
        rows = summary_rows(picture)
        self.summary.set_rows(rows)
        self.targets.set_rows(rows)
        self.key_dates.set_rows(picture.key_dates)
        self.competitions.set_rows(picture.competitions)
        count = len(picture.with_figures)
        self.heading.setText(
            self.tr("%s, %s: %s") % (picture.server, picture.year, _regions(count))
        )
        self.note.setText(
            "" if not picture.problems else self.tr("Not shown: ") + " ".join(picture.problems)
        )
        over = [r.region for r in rows if r.over_envelope and not r.total]
        self.captions["summary"].setText(
            self.tr(
                "Each region's envelope against what its allocations commit (agreed, else "
                "provisional, else baseline), from the region's own figures. "
            )
            + (
                self.tr("Over its envelope: ") + ", ".join(over) + "."
                if over
                else self.tr("No region has committed more than its envelope.")
            )
        )
        windows = "; ".join(f"{r.region} {r.window}" for r in picture.with_figures)
        self.captions["targets"].setText(
            self.tr("Each region's performance matrix, year to date (%s).") % windows
        )
        overdue = sum(1 for d in picture.key_dates if d.overdue)
        self.captions["keydates"].setText(
            self.tr("%d key dates overdue or due within 90 days of each region's date; %d overdue.")
            % (len(picture.key_dates), overdue)
        )
        self.captions["competitions"].setText(
            self.tr("%d competitions, by the expiry of the agreement each replaces.")
            % len(picture.competitions)
        )
        self.refresh_button.setEnabled(True)
        self.statusBar().showMessage(self.tr("Read-only: national figures cannot be changed here."))
        self._fit()

    def _failed(self, failure: Failure) -> None:
        self.refresh_button.setEnabled(True)
        self.statusBar().showMessage(self.tr("Could not read the regions."))
        if self.picture is None:
            self.heading.setText(self.tr("Could not read the regions"))
        if isinstance(failure.error, DomDeskError):
            self.note.setText(str(failure.error))
            messages.error(self, str(failure.error))
        else:
            messages.exception(
                self, f"{type(failure.error).__name__}: {failure.error}", failure.details
            )

    def _fit(self) -> None:
        key = list(self.tables)[self.tabs.currentIndex()]
        fit_columns(self.tables[key], widest=420)

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self.picture is None and not self.runner.busy:
            self.refresh()


def _regions(count: int) -> str:
    return f"{count} region{'s' if count != 1 else ''}"


def run_national(url: str, year: str | None = None) -> int:
    """Runs the national window until it is closed; returns the exit code."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("DOM Desk")
    window = NationalWindow(url, year)
    window.resize(1200, 720)
    window.show()
    return app.exec()
