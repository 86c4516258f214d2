"""The rules for a row's figures: numbers read forgivingly, percentages as 90, 0.9 or
"90%", values worked out from numerator and denominator, counts whole, nothing negative.
A mixin of ``RowChecker`` (``returns_rows``), which gives it the cell names and targets.
"""

from __future__ import annotations

from decimal import Decimal

from dom_desk.domain.figures import beyond_rounding, shown_figure, typed_figure
from dom_desk.domain.returns_row_types import CellIssue, MeasureInfo
from dom_desk.domain.values import format_decimal
from dom_desk.models import MeasureUnit
from dom_desk.readers import returns_format as fmt
from dom_desk.readers.returns_reader import RawRow, ValueProblem, text_of, to_decimal

#: Stored values keep six decimal places (the columns' scale).
_PLACES = Decimal("0.000001")
_HUNDRED = Decimal(100)
#: Per-unit multiplier turning numerator / denominator into the measure's value.
_SCALE = {
    MeasureUnit.PERCENT: Decimal(100),
    MeasureUnit.RATE_PER_1000: Decimal(1000),
    MeasureUnit.RATE_PER_100000: Decimal(100000),
    MeasureUnit.DAYS: Decimal(1),
}


def _quantize(value: Decimal) -> Decimal:
    return value.quantize(_PLACES).normalize() if value.adjusted() < 12 else value


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


class FigureChecks:
    """Checks of a row's Actual, Numerator and Denominator for one measure."""

    targets: dict[int, Decimal | None]

    def cell(self, column: str, row: int) -> str:
        raise NotImplementedError

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
        # Most cells of a return are empty: those cost no call.
        actual = numerator = denominator = worked = None
        percent_sign = False
        actual_typed = True  # False once the Actual is worked out from its parts
        if raw.actual is not None:
            actual, percent_sign = self._number(raw, fmt.ACTUAL, raw.actual, info, issues)
        if raw.numerator is not None:
            numerator, _ = self._number(raw, fmt.NUMERATOR, raw.numerator, info, issues)
        if raw.denominator is not None:
            denominator, _ = self._number(raw, fmt.DENOMINATOR, raw.denominator, info, issues)
        if issues and any(i.error for i in issues):
            return actual, numerator, denominator
        if numerator is not None:
            worked = self._from_parts(raw.row, info, numerator, denominator, issues)
        if actual is not None and info.unit is MeasureUnit.PERCENT:
            actual = self._percent(raw, info, actual, percent_sign, worked, issues)
        parts_given = numerator is not None or denominator is not None
        if (
            actual is None
            and worked is None
            and parts_given
            and not (issues and any(i.error for i in issues))
        ):
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
            actual_typed = False
            issues.append(
                CellIssue(
                    fmt.ACTUAL,
                    self.cell(fmt.ACTUAL, raw.row),
                    f"worked out from {_parts_words(numerator, denominator)}: "
                    f"{shown_figure(actual, info.unit)}",
                    False,
                )
            )
        elif (
            actual is not None and worked is not None and beyond_rounding(actual, worked, info.unit)
        ):
            # A warning, not a refusal: the provider's Actual is their published figure
            # (it is kept), and one refused cell would refuse the whole return.
            issues.append(
                CellIssue(
                    fmt.ACTUAL,
                    self.cell(fmt.ACTUAL, raw.row),
                    f"the return gives {typed_figure(actual, info.unit)} but its "
                    f"{_parts_words(numerator, denominator)} give"
                    f"{'' if denominator is not None else 's'} "
                    f"{shown_figure(worked, info.unit)}; "
                    f"{typed_figure(actual, info.unit)} is stored",
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
            over = shown_figure(actual, info.unit) if not actual_typed else _plain(actual) + "%"
            issues.append(
                CellIssue(
                    fmt.ACTUAL,
                    self.cell(fmt.ACTUAL, raw.row),
                    f"{over} is over 100%: check it",
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


def _parts_words(numerator: Decimal | None, denominator: Decimal | None) -> str:
    """``numerator and denominator (1,197 / 10,000)``, or ``numerator (1,197)`` alone."""
    if numerator is None:
        return "numerator and denominator"
    if denominator is None:
        return f"numerator ({format_decimal(numerator)})"
    return (
        f"numerator and denominator ({format_decimal(numerator)} / {format_decimal(denominator)})"
    )


def _unit_words(unit: MeasureUnit, column: str) -> str:
    if column != fmt.ACTUAL:
        return "a count or total"
    return {
        MeasureUnit.COUNT: "a count",
        MeasureUnit.DAYS: "in days",
        MeasureUnit.ONE_IN_X: "a ratio (1 in x)",
    }.get(unit, f"a {unit.label}")
