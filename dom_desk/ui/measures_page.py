"""The Measures area: the year's measure set (or every year's), every field editable in
the table or the details, and the years a measure applies to, its parts and its
retirement from a year on, each one undo step through ``domain.measures``."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QPushButton, QWidget

from dom_desk.domain import measures
from dom_desk.domain.measures import PartView
from dom_desk.domain.tables import AREAS, Row
from dom_desk.errors import DomDeskError
from dom_desk.ui.area_page import AreaPage
from dom_desk.ui.measure_dialogs import PartsDialog, YearsDialog
from dom_desk.ui.messages import messages
from dom_desk.ui.undo import push

_AREA = AREAS["measures"]
_IN_YEAR = [c.key for c in _AREA.columns].index("in_year")
_CODE = [c.key for c in _AREA.columns].index("code")


class MeasuresPage(AreaPage):
    """The measures table, with the year's set shown unless "Every year's" is ticked."""

    def __init__(self, workspace: Any, parent: QWidget | None = None) -> None:
        super().__init__(_AREA, workspace, parent)
        self.every_year = QCheckBox(self.tr("Every &year's measures"))
        self.every_year.setObjectName("every_years_measures")
        self.every_year.setToolTip(
            self.tr(
                "Show the measures of every year, retired ones too, not only the shown "
                "year's measure set"
            )
        )
        self.every_year.toggled.connect(self._every_year_toggled)
        self.years_button = QPushButton(self.tr("Yea&rs…"))
        self.years_button.setObjectName("measure_years")
        self.years_button.setToolTip(self.tr("The years the selected measure applies to"))
        self.years_button.clicked.connect(self.edit_years)
        self.parts_button = QPushButton(self.tr("&Parts…"))
        self.parts_button.setObjectName("measure_parts")
        self.parts_button.setToolTip(self.tr("The parts of a multi-part target: (a), (b)…"))
        self.parts_button.clicked.connect(self.edit_parts)
        # Alt+I: Alt+T opens the Tools menu.
        self.retire_button = QPushButton(self.tr("Ret&ire…"))
        self.retire_button.setObjectName("retire_measure")
        self.retire_button.setToolTip(
            self.tr("Take the selected measure out of this year's set and later years'")
        )
        self.retire_button.clicked.connect(self.retire)
        self.measure_buttons = [self.years_button, self.parts_button, self.retire_button]
        at = self.top.indexOf(self.count) + 1
        for offset, widget in enumerate([self.every_year, *self.measure_buttons]):
            self.top.insertWidget(at + offset, widget)
        #: The open Years… or Parts… dialog, if any.
        self.dialog: YearsDialog | PartsDialog | None = None
        self._enable_record_actions()

    # -- which measures -----------------------------------------------------------------

    def _shows(self, row: Row) -> bool:
        every = getattr(self, "every_year", None)  # None while the page is being built
        return bool(row.values[_IN_YEAR]) or (every is not None and every.isChecked())

    def fetch_rows(self) -> list[Row]:
        return [row for row in super().fetch_rows() if self._shows(row)]

    def _row_changed(self, area_key: str, row: Row) -> None:
        # A measure retired or moved out of the year: read again, so it leaves the table.
        if area_key == self.area.key and row.values and not self._shows(row):
            self.stale = True
        super()._row_changed(area_key, row)

    def row_noun(self) -> str:
        every = getattr(self, "every_year", None)
        if every is not None and every.isChecked():
            return self.tr("measures of every year")
        return self.tr("measures of {0}").format(self.workspace.year)

    def _every_year_toggled(self, _on: bool) -> None:
        self.stale = True
        self.reload()

    def _enable_record_actions(self) -> None:
        super()._enable_record_actions()
        chosen = not self.workspace.read_only and self.current_id() is not None
        for button in getattr(self, "measure_buttons", ()):
            button.setEnabled(chosen)

    def _chosen(self) -> tuple[int, measures.MeasureView] | None:
        row_id = self.current_id()
        row = None if row_id is None else self.model.row_by_id(row_id)
        if row is None or self.workspace.read_only:
            return None
        try:
            return row.id, measures.measure_with_parts(self.workspace.wb, row.values[_CODE])
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return None

    def _open(self, dialog: YearsDialog | PartsDialog) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()  # the last one, closed
        self.dialog = dialog
        dialog.open()

    # -- years, parts, retiring -----------------------------------------------------------

    def edit_years(self) -> YearsDialog | None:
        """Asks which years the selected measure applies to."""
        chosen = self._chosen()
        if chosen is None:
            return None
        row_id, measure = chosen
        wb, code, before = self.workspace.wb, measure.code, list(measure.years)

        def submit(years: list[str]) -> bool:
            if years == before:
                return True
            shown = ", ".join(years) or self.tr("every year")
            return self._push(
                self.tr("set the years of {0} to {1}").format(code, shown),
                lambda: measures.set_measure_years(wb, code, years),
                lambda: measures.set_measure_years(wb, code, before),
                row_id,
            )

        dialog = YearsDialog(code, self.workspace.years, before, submit, self)
        self._open(dialog)
        return dialog

    def edit_parts(self) -> PartsDialog | None:
        """Asks for the parts of the selected measure."""
        chosen = self._chosen()
        if chosen is None:
            return None
        row_id, measure = chosen
        wb, code, before = self.workspace.wb, measure.code, list(measure.parts)

        def submit(parts: list[PartView]) -> bool:
            return self._push(
                self.tr("set the parts of {0}").format(code),
                lambda: measures.set_measure_parts(wb, code, parts),
                lambda: measures.set_measure_parts(wb, code, before),
                row_id,
            )

        dialog = PartsDialog(code, before, submit, self)
        self._open(dialog)
        return dialog

    def retire(self) -> bool:
        """Takes the selected measure out of the shown year's set and later years', after
        saying where it will still apply."""
        chosen = self._chosen()
        if chosen is None:
            return False
        row_id, measure = chosen
        wb, code, year, before = self.workspace.wb, measure.code, self.workspace.year, measure.years
        try:
            kept = measures.years_after_retiring(wb, code, year)
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return False
        if not messages.confirm(
            self,
            self.tr(
                "Retire {0} from {1} on? It will apply in {2} only, and leave the measure "
                "sets of {1} and later years (a later year holding its targets or results keeps "
                "it). Edit ▸ Undo puts it back."
            ).format(code, year, ", ".join(kept)),
            self.tr("Retire measure"),
        ):
            return False
        return self._push(
            self.tr("retire {0} from {1}").format(code, year),
            lambda: measures.retire_from(wb, code, year),
            lambda: measures.set_measure_years(wb, code, before),
            row_id,
        )

    def _push(self, text: str, do: Any, undo: Any, row_id: int) -> bool:
        command = push(
            self.workspace.undo_stack,
            text,
            lambda _first: do(),
            lambda _result: undo(),
            lambda: self.changed_records(row_id),
            self,
        )
        return not command.failed
