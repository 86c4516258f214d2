"""The Performance page's scorecard tab, worked out when shown, and the xlsx export of
the matrix as shown with its scorecard (see :class:`ScorecardTab`)."""

from __future__ import annotations

import html
from pathlib import Path

from dom_desk.domain import scorecard
from dom_desk.domain.matrix import MatrixFilter
from dom_desk.domain.periods import period_label
from dom_desk.ui.messages import messages
from dom_desk.ui.performance_jobs import export_job

#: Widest a scorecard column may grow (in characters): "What moved" can list a dozen
#: measures, shown whole in its tooltip.
SCORE_COLUMN_CHARS = 44
SCORECARD_TAB = 1


class ScorecardTab:
    """Mixed into :class:`~dom_desk.ui.performance_page.PerformancePage`."""

    def _scorecard_filter(self) -> MatrixFilter:
        """The scorecard ranks providers of the kind and name chosen, on every weighted
        measure (scope and guidance filters hide columns, not weights)."""
        return MatrixFilter(kinds=self.kind.currentData(), text=self.filter.text())

    def _update_scorecard(self) -> None:
        """Worked out when the Scorecard tab is shown (and kept up to date while it is)."""
        if self.matrix is None or self.tabs.currentIndex() != SCORECARD_TAB:
            self.card = None
            return
        self.card = scorecard.scorecard_from(self.matrix, self.previous, self._scorecard_filter())
        self.score_model.set_scorecard(self.card)
        self._size_score_columns()
        note = self.tr(
            "Score out of 100: each weighted measure earns its weight times the "
            "share of its target achieved (capped at the target; a missing "
            "return earns nothing); measures without a target are left out."
        )
        if self.card.previous is not None:
            note += " " + self.tr("Movement since {0}.").format(self.card.previous.label)
        if self.card.warning:
            note = f"<b>{self.card.warning}</b> {note}"
        if self.card.not_scored:
            note += "<br>" + " ".join(html.escape(line) for line in self.card.not_scored)
        self.score_note.setText(note)

    def _size_score_columns(self) -> None:
        """Fits the columns to their contents when the card first shows (or its measures
        change), each within SCORE_COLUMN_CHARS."""
        assert self.card is not None
        shape = tuple(m.code for m in self.card.measures)
        if shape == self._score_shape or not self.card.scores:
            return
        self._score_shape = shape
        self.score_table.resizeColumnsToContents()
        header = self.score_table.horizontalHeader()
        widest = self.fontMetrics().averageCharWidth() * SCORE_COLUMN_CHARS
        for column in range(header.count()):
            if header.sectionSize(column) > widest:
                header.resizeSection(column, widest)

    def export_xlsx(self, path: Path | None = None) -> None:
        """The matrix as shown (filters applied) and the scorecard, to an xlsx file."""
        if self.view is None:
            messages.info(self, self.tr("The matrix has not been worked out yet."))
            return
        if path is None:
            window = self.view.matrix.window  # "Performance Q1 2009-10.xlsx"
            shown = (
                period_label(window.period_code)
                if window.period_code
                else f"{window.year_label} to date"
            )
            path = messages.save_xlsx_path(
                self, self.tr("Export the matrix"), Path(f"Performance {shown}.xlsx")
            )
            if path is None:
                return
        self.progress.setVisible(True)
        self.runner.start(
            export_job,
            path,
            self.view,
            self.previous,
            self._scorecard_filter(),
            self.region_name,
            done=self._exported,
            failed=self._failed,
        )

    def _exported(self, path: Path) -> None:
        self.progress.setVisible(self.runner.busy)
        messages.info(self, self.tr("Exported the matrix to {0}.").format(path))
