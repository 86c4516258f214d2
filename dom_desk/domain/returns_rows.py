"""Checking the rows of a return: which measure, what figure, and what is wrong with it.

Forgiving where people are untidy (codes "pt 1", percentages as 90, 0.9 or "90%", blank
rows, notes below the table) and strict where it matters (an unknown code with a figure,
a measure the provider does not report, text where a number belongs, a count with a
fraction, a negative figure, a measure given twice).
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from dom_desk.models import MeasureUnit
from dom_desk.models.base import Labelled
from dom_desk.readers import returns_format as fmt
from dom_desk.readers.returns_reader import Header, RawRow, ValueProblem, text_of, to_decimal

#: Stored values keep six decimal places (the columns' scale).
_PLACES = Decimal("0.000001")
_HUNDRED = Decimal(100)
_MAX_COMMENTARY = 4000
#: What a measure code looks like once spaces are gone: "PT1", "OM004", "CU006", "TARGET9".
_CODE_LIKE = re.compile(r"^[A-Z]{1,8}\d{1,4}[A-Z]?$")
#: Per-unit multiplier turning numerator / denominator into the measure's value.
_SCALE = {
    MeasureUnit.PERCENT: Decimal(100),
    MeasureUnit.RATE_PER_1000: Decimal(1000),
    MeasureUnit.RATE_PER_100000: Decimal(100000),
    MeasureUnit.DAYS: Decimal(1),
}


class RowStatus(Labelled):
    READY = "Ready"
    NOTE = "Ready, with a note"
    ERROR = "Error"
    BLANK = "No figure"
    IGNORED = "Not a measure: ignored"

    @property
    def stored(self) -> bool:
        return self in (RowStatus.READY, RowStatus.NOTE)


@dataclass(frozen=True, slots=True)
class CellIssue:
    #: The column the issue is in (``Actual``...), or "" for the row as a whole.
    column: str
    #: The cell, ``E7`` (or the row's first cell for a row-wide issue).
    cell: str
    message: str
    error: bool
    #: What the cell held, as text, when it could not be read as a value.
    typed: str = ""


@dataclass(slots=True)
class PreviewRow:
    """One row of a return as it will be stored (or why it will not be)."""

    row: int
    code: str
    measure_id: int | None
    measure_code: str
    title: str
    actual: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    commentary: str
    status: RowStatus
    issues: tuple[CellIssue, ...] = ()

    def issue_in(self, column: str) -> CellIssue | None:
        return next((i for i in self.issues if i.column == column), None)


class MeasureInfo(NamedTuple):
    id: int
    code: str
    title: str
    unit: MeasureUnit
    #: What a typical value is (the provider's target, else the national value or floor):
    #: tells whether a bare 0.9 means 0.9% or 90%.
    reference: Decimal | None


def _quantize(value: Decimal) -> Decimal:
    return value.quantize(_PLACES).normalize() if value.adjusted() < 12 else value


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


class RowChecker:
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
        code = text_of(raw.code)
        info = self.measures.get(fmt.code_key(code)) if code else None
        # The title is read only when the code does not say which measure the row is.
        title = "" if info is not None else text_of(raw.measure)
        commentary = text_of(raw.commentary)
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

    def _number(
        self, raw: RawRow, column: str, value: object, info: MeasureInfo, issues: list[CellIssue]
    ) -> tuple[Decimal | None, bool]:
        if value is None:  # most cells of a return: no call, no checks
            return None, False
        try:
            number, percent = to_decimal(value)
        except ValueProblem as exc:
            issues.append(
                CellIssue(
                    column,
                    self.cell(column, raw.row),
                    f"{exc} ({info.code} {column})",
                    True,
                    text_of(value),
                )
            )
            return None, False
        if number is not None and number < 0:
            issues.append(
                CellIssue(
                    column,
                    self.cell(column, raw.row),
                    f"{info.code} {column} cannot be negative ({_plain(number)})",
                    True,
                    text_of(value),
                )
            )
            return None, False
        if percent and (column != fmt.ACTUAL or info.unit is not MeasureUnit.PERCENT):
            issues.append(
                CellIssue(
                    column,
                    self.cell(column, raw.row),
                    f"'{text_of(value)}' is a percentage, but {info.code} "
                    f"{column} is {_unit_words(info.unit, column)}",
                    True,
                    text_of(value),
                )
            )
            return None, False
        return number, percent

    def _figures(
        self, raw: RawRow, info: MeasureInfo, issues: list[CellIssue]
    ) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
        actual, percent_sign = self._number(raw, fmt.ACTUAL, raw.actual, info, issues)
        numerator, _ = self._number(raw, fmt.NUMERATOR, raw.numerator, info, issues)
        denominator, _ = self._number(raw, fmt.DENOMINATOR, raw.denominator, info, issues)
        if any(i.error for i in issues):
            return actual, numerator, denominator
        worked = self._from_parts(raw.row, info, numerator, denominator, issues)
        if actual is not None and info.unit is MeasureUnit.PERCENT:
            actual = self._percent(raw, info, actual, percent_sign, worked, issues)
        parts_given = numerator is not None or denominator is not None
        if actual is None and worked is None and parts_given and not any(i.error for i in issues):
            issues.append(
                CellIssue(
                    fmt.ACTUAL,
                    self.cell(fmt.ACTUAL, raw.row),
                    f"{info.code} needs an Actual, or both a Numerator and a Denominator",
                    True,
                )
            )
        elif actual is None and worked is not None:
            actual = worked
            issues.append(
                CellIssue(
                    fmt.ACTUAL,
                    self.cell(fmt.ACTUAL, raw.row),
                    f"worked out from numerator and denominator: {_plain(actual)}",
                    False,
                )
            )
        elif actual is not None and worked is not None and not _close(actual, worked):
            issues.append(
                CellIssue(
                    fmt.ACTUAL,
                    self.cell(fmt.ACTUAL, raw.row),
                    f"Actual {_plain(actual)} differs from numerator / "
                    f"denominator ({_plain(worked)}); Actual kept",
                    False,
                )
            )
        if (
            actual is not None
            and info.unit is MeasureUnit.COUNT
            and actual != actual.to_integral_value()
        ):
            issues.append(
                CellIssue(
                    fmt.ACTUAL,
                    self.cell(fmt.ACTUAL, raw.row),
                    f"{info.code} is a count, so '{_plain(actual)}' must be a whole number",
                    True,
                )
            )
        if actual is not None and info.unit is MeasureUnit.PERCENT and actual > _HUNDRED:
            issues.append(
                CellIssue(
                    fmt.ACTUAL,
                    self.cell(fmt.ACTUAL, raw.row),
                    f"{_plain(actual)}% is over 100%: check it",
                    False,
                )
            )
        return (
            None if actual is None else _quantize(actual),
            None if numerator is None else _quantize(numerator),
            None if denominator is None else _quantize(denominator),
        )

    def _from_parts(
        self,
        row: int,
        info: MeasureInfo,
        numerator: Decimal | None,
        denominator: Decimal | None,
        issues: list[CellIssue],
    ) -> Decimal | None:
        """The value numerator and denominator give, by the measure's unit."""
        if numerator is None:
            return None
        if info.unit is MeasureUnit.COUNT:
            return numerator if denominator is None else None
        if denominator is None:
            return None
        if info.unit is MeasureUnit.ONE_IN_X:
            return denominator / numerator if numerator else None
        if denominator == 0:
            issues.append(
                CellIssue(
                    fmt.DENOMINATOR,
                    self.cell(fmt.DENOMINATOR, row),
                    f"{info.code} Denominator is 0",
                    True,
                )
            )
            return None
        return numerator / denominator * _SCALE[info.unit]

    def _percent(
        self,
        raw: RawRow,
        info: MeasureInfo,
        value: Decimal,
        percent_sign: bool,
        worked: Decimal | None,
        issues: list[CellIssue],
    ) -> Decimal:
        """90, "90%" and 0.9 in a percent-formatted cell are 90%; a bare 0.9 is 90% unless
        the measure's typical values are themselves under 1% (escapes: 0.05%)."""
        if percent_sign:
            return value
        if raw.actual_percent:
            return value * _HUNDRED
        if not (0 < value <= 1):
            return value
        if worked is not None:
            as_fraction = abs(worked - value * _HUNDRED) < abs(worked - value)
        else:
            reference = self.targets.get(info.id) or info.reference
            as_fraction = reference is None or reference > 1
        if not as_fraction:
            return value
        scaled = value * _HUNDRED
        issues.append(
            CellIssue(
                fmt.ACTUAL,
                self.cell(fmt.ACTUAL, raw.row),
                f"{_plain(value)} read as {_plain(scaled)}%",
                False,
            )
        )
        return scaled


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _close(a: Decimal, b: Decimal) -> bool:
    """Equal allowing for rounding to a whole number or to 1% of the value."""
    return abs(a - b) <= max(Decimal("0.5"), abs(b) / 100)


def _unit_words(unit: MeasureUnit, column: str) -> str:
    if column != fmt.ACTUAL:
        return "a count or total"
    return {
        MeasureUnit.COUNT: "a count",
        MeasureUnit.DAYS: "in days",
        MeasureUnit.ONE_IN_X: "a ratio (1 in x)",
    }.get(unit, f"a {unit.label}")
