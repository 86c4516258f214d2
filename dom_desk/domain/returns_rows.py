"""Checking the rows of a return: which measure, what figure, and what is wrong with it.

Forgiving where people are untidy (codes "pt 1", percentages as 90, 0.9 or "90%", blank
rows, notes below the table) and strict where it matters (an unknown code with a figure,
a measure the provider does not report, text where a number belongs, a count with a
fraction, a negative figure, a measure given twice). The figure rules are in
``returns_figures``, the row types in ``returns_row_types`` (re-exported here).
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable
from decimal import Decimal

from dom_desk.domain.returns_figures import FigureChecks
from dom_desk.domain.returns_row_types import CellIssue, MeasureInfo, PreviewRow, RowStatus
from dom_desk.readers import returns_format as fmt
from dom_desk.readers.returns_reader import Header, RawRow, text_of

__all__ = ["CellIssue", "MeasureInfo", "PreviewRow", "RowChecker", "RowStatus"]

_MAX_COMMENTARY = 4000
#: What a measure code looks like once spaces are gone: "PT1", "OM004", "CU006", "TARGET9".
_CODE_LIKE = re.compile(r"^[A-Z]{1,8}\d{1,4}[A-Z]?$")


class RowChecker(FigureChecks):
    """Checks rows of one file against the workbook's measures for one provider."""

    def __init__(
        self,
        header: Header,
        measures: dict[str, MeasureInfo],
        code_for_title: Callable[[str], str | None],
        applicable: set[int],
        targets: dict[int, Decimal | None],
        provider_name: str,
        max_measure_id: int,
    ) -> None:
        self.header = header
        self.measures = measures
        self.code_for_title = code_for_title
        self.applicable = applicable
        self.targets = targets
        self.provider_name = provider_name
        self.letters = {name: header.letter(name) for name in header.columns}
        #: The row each measure was first seen on, by measure id: sized by the workbook's
        #: measures, so it stays the same size however long the file.
        self.seen = array("I", bytes(4 * (max_measure_id + 1)))

    def cell(self, column: str, row: int) -> str:
        letter = self.letters.get(column) or self.letters.get(fmt.CODE) or self.letters[fmt.MEASURE]
        return f"{letter}{row}"

    def check(self, raw: RawRow) -> PreviewRow | None:
        """The checked row; None for a row with nothing in it at all."""
        code = raw.code
        code = code.strip() if type(code) is str else text_of(code)
        info = self.measures.get(fmt.code_key(code)) if code else None
        # The title is read only when the code does not say which measure the row is.
        title = "" if info is not None else text_of(raw.measure)
        commentary = raw.commentary
        commentary = "" if commentary is None else text_of(commentary)
        has_figures = not (_blank(raw.actual) and _blank(raw.numerator) and _blank(raw.denominator))
        if not (code or title or commentary or has_figures):
            return None
        issues: list[CellIssue] = []
        if info is None and title:
            key = self.code_for_title(title)
            info = None if key is None else self.measures[key]
        if info is None:
            return self._not_a_measure(raw.row, code, title, commentary, has_figures)
        if info.id not in self.applicable:
            issues.append(
                CellIssue(
                    fmt.CODE,
                    self.cell(fmt.CODE, raw.row),
                    f"{info.code} is not one of {self.provider_name}'s measures",
                    True,
                )
            )
        earlier = self.seen[info.id]
        if earlier:
            issues.append(
                CellIssue(
                    fmt.CODE,
                    self.cell(fmt.CODE, raw.row),
                    f"{info.code} is given twice (also on row {earlier})",
                    True,
                )
            )
        else:
            self.seen[info.id] = raw.row
        actual = numerator = denominator = None
        if has_figures:
            actual, numerator, denominator = self._figures(raw, info, issues)
        if len(commentary) > _MAX_COMMENTARY:
            commentary = commentary[:_MAX_COMMENTARY]
            issues.append(
                CellIssue(
                    fmt.COMMENTARY,
                    self.cell(fmt.COMMENTARY, raw.row),
                    f"commentary cut to {_MAX_COMMENTARY:,} characters",
                    False,
                )
            )
        if issues and any(i.error for i in issues):
            status = RowStatus.ERROR
        elif actual is None and numerator is None and not commentary:
            status = RowStatus.BLANK
        else:
            status = RowStatus.NOTE if issues else RowStatus.READY
        return PreviewRow(
            raw.row,
            code,
            info.id,
            info.code,
            info.title,
            actual,
            numerator,
            denominator,
            commentary,
            status,
            tuple(issues),
            info.unit,
        )

    def _not_a_measure(
        self, row: int, code: str, title: str, commentary: str, has_figures: bool
    ) -> PreviewRow:
        if has_figures and code and _CODE_LIKE.match(fmt.code_key(code)):
            issue = CellIssue(
                fmt.CODE,
                self.cell(fmt.CODE, row),
                f"'{code}' is not a measure in this workbook",
                True,
            )
            status = RowStatus.ERROR
        else:
            issue = CellIssue(
                "",
                self.cell(fmt.CODE, row),
                "no measure code: treated as a note and not imported",
                False,
            )
            status = RowStatus.IGNORED
        return PreviewRow(
            row, code, None, "", title, None, None, None, commentary, status, (issue,)
        )


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
