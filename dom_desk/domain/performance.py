"""How a measure's figures combine over several periods, and the window they are read for.

Each measure follows one aggregation rule (``Measure.aggregation``):

* **Sum of counts**: completions, starts, escapes: the figures are added up.
* **Summed numerators over summed denominators**: rates and percentages. Three months of
  9/10, 1/10 and 90/100 are 100/120 = 83.3%, never the average of 90%, 10% and 90%.
* **Latest value (snapshot)**: a position at a date (population, caseload): the figure of
  the latest period, never a sum.

Targets are agreed for a year. A count target is a year's volume, so a shorter window
is compared with its share of it (a month with a twelfth); rates and snapshots are
levels and compare with the target as it stands.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import false, func, select
from sqlalchemy.orm import Session

from dom_desk.domain.periods import add_months, month_end, parse_period, period_label, spec_label
from dom_desk.domain.region import current_year, today, year_by_label
from dom_desk.domain.status import Status, compare
from dom_desk.domain.values import counted, format_decimal
from dom_desk.errors import ValidationError
from dom_desk.models import (
    Aggregation,
    FinancialYear,
    Measure,
    MeasureUnit,
    Period,
    PeriodKind,
    Result,
)

#: Current (not superseded) results. Written ``= 0``, not ``IS 0``, so SQLite can use the
#: partial unique index on current results; with ``IS`` it scans and sorts the table.
CURRENT = Result.superseded == false()

#: What one numerator over one denominator is multiplied by for each unit. "1 in x" is
#: the inverse (denominator over numerator) and is handled apart.
UNIT_SCALE: dict[MeasureUnit, Decimal] = {
    MeasureUnit.PERCENT: Decimal(100),
    MeasureUnit.RATE_PER_1000: Decimal(1000),
    MeasureUnit.RATE_PER_100000: Decimal(100000),
    MeasureUnit.DAYS: Decimal(1),
    MeasureUnit.COUNT: Decimal(1),
}

#: Short names of the rules, for column headers.
RULE_TAGS: dict[Aggregation, str] = {
    Aggregation.SUM: "sum",
    Aggregation.RATIO: "rate of totals",
    Aggregation.LATEST: "latest",
}

MONTHS_IN = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}
#: Finest first: when a provider returns both months and quarters, the months are used.
CADENCE_ORDER = (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR)
_TWELVE = Decimal(12)


def ratio(
    unit: MeasureUnit, numerator: Decimal | None, denominator: Decimal | None
) -> Decimal | None:
    """The figure a numerator and denominator make in ``unit``; None when undefined."""
    if numerator is None or denominator is None:
        return None
    if unit is MeasureUnit.ONE_IN_X:
        return None if numerator == 0 else denominator / numerator
    if denominator == 0:
        return None
    return numerator / denominator * UNIT_SCALE[unit]


def rule_text(aggregation: Aggregation, unit: MeasureUnit) -> str:
    """One sentence saying how the year to date is worked out, for tooltips and exports."""
    if aggregation is Aggregation.SUM:
        return "Year to date: the sum of the period counts."
    if aggregation is Aggregation.LATEST:
        return "Year to date: the latest period's figure (a snapshot, never summed)."
    if unit is MeasureUnit.ONE_IN_X:
        return (
            "Year to date: summed denominators over summed numerators (1 in x), "
            "never an average of the period figures."
        )
    scale = UNIT_SCALE.get(unit, Decimal(1))
    times = f" x {format_decimal(scale)}" if scale != 1 else ""
    return (
        "Year to date: summed numerators over summed denominators"
        f"{times}, never an average of the period figures."
    )


def window_target(aggregation: Aggregation, annual: Decimal | None, months: int) -> Decimal | None:
    """The target a window of ``months`` is held to: a share of a year's volume for
    counts, the agreed level for rates and snapshots."""
    if annual is None:
        return None
    if aggregation is Aggregation.SUM and months != 12:
        return annual * months / _TWELVE
    return annual


@dataclass(frozen=True)
class Combined:
    """A window's figure and how it was reached."""

    value: Decimal | None
    #: Some periods lacked the numerator and denominator a rate needs.
    partial: bool = False
    #: e.g. "412 / 480 x 100 = 85.8%", for the drill-down.
    working: str = ""


def combine_totals(
    aggregation: Aggregation,
    unit: MeasureUnit,
    *,
    count: int,
    sum_actual: Decimal | None,
    sum_num: Decimal | None,
    sum_den: Decimal | None,
    ratio_count: int,
    latest_actual: Decimal | None,
    latest_num: Decimal | None,
    latest_den: Decimal | None,
    explain: bool = False,
) -> Combined:
    """The rule applied to totals a query has already added up (see :func:`combine`).

    ``explain`` also writes out the working of a rate (for the drill-down; the matrix
    does not spend time formatting 40,000 sentences nobody reads).
    """
    if count == 0:
        return Combined(None)
    if aggregation is Aggregation.SUM:
        if sum_actual is None:
            return Combined(None, working="no figures returned")
        return Combined(sum_actual, working=f"sum of {counted(count, 'period figure')}")
    if aggregation is Aggregation.LATEST:
        value = latest_actual if latest_actual is not None else ratio(unit, latest_num, latest_den)
        return Combined(value, working="latest period's figure")
    # Ratio: one period's own figure stands; several are recombined from their parts.
    if count == 1 and latest_actual is not None:
        return Combined(latest_actual, working="the period's figure")
    value = ratio(unit, sum_num, sum_den) if ratio_count else None
    if value is None and count == 1:
        value = ratio(unit, latest_num, latest_den)
    working = ""
    if explain and ratio_count and sum_num is not None and sum_den is not None:
        working = ratio_working(unit, sum_num, sum_den, value)
    return Combined(value, partial=ratio_count < count, working=working)


def ratio_working(unit: MeasureUnit, num: Decimal, den: Decimal, value: Decimal | None) -> str:
    shown = format_measure_value(unit, value) if value is not None else "undefined"
    if unit is MeasureUnit.ONE_IN_X:
        return f"{format_decimal(den)} / {format_decimal(num)} = {shown}"
    scale = UNIT_SCALE.get(unit, Decimal(1))
    times = f" x {format_decimal(scale)}" if scale != 1 else ""
    return f"{format_decimal(num)} / {format_decimal(den)}{times} = {shown}"


@dataclass(frozen=True)
class Figure:
    """One period's return for one measure."""

    start: date
    actual: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None


def combine(aggregation: Aggregation, unit: MeasureUnit, figures: Sequence[Figure]) -> Combined:
    """The figure for several periods under the measure's rule (the reference version of
    what the matrix computes from SQL totals)."""
    with_parts = [f for f in figures if f.numerator is not None and f.denominator is not None]
    actuals = [f.actual for f in figures if f.actual is not None]
    latest = max(figures, key=lambda f: f.start) if figures else None
    return combine_totals(
        aggregation,
        unit,
        count=len(figures),
        sum_actual=sum(actuals, Decimal(0)) if actuals else None,
        sum_num=sum((f.numerator for f in with_parts), Decimal(0)) if with_parts else None,
        sum_den=sum((f.denominator for f in with_parts), Decimal(0)) if with_parts else None,
        ratio_count=len(with_parts),
        latest_actual=latest.actual if latest else None,
        latest_num=latest.numerator if latest else None,
        latest_den=latest.denominator if latest else None,
        explain=True,
    )


# -- formatting ---------------------------------------------------------------------------

_PLACES = {
    MeasureUnit.PERCENT: Decimal("0.1"),
    MeasureUnit.COUNT: Decimal("1"),
    MeasureUnit.RATE_PER_1000: Decimal("0.01"),
    MeasureUnit.RATE_PER_100000: Decimal("0.1"),
    MeasureUnit.DAYS: Decimal("0.1"),
    MeasureUnit.ONE_IN_X: Decimal("1"),
}


def format_measure_value(unit: MeasureUnit, value: Decimal | None) -> str:
    """A figure as a DOM reads it: ``85.8%``, ``1,204``, ``1 in 2,000``, ``8.4 days``."""
    if value is None:
        return ""
    places = _PLACES[unit]
    if unit is MeasureUnit.COUNT and value != value.to_integral_value():
        places = Decimal("0.1")  # a share of a year's count target, e.g. 2,397 / 12
    elif unit is MeasureUnit.PERCENT and abs(value) < 1:
        places = Decimal("0.01")  # escape rates of 0.05% must not read as 0.1%
    shown = value.quantize(places, rounding=ROUND_HALF_UP)
    text = f"{shown:,f}"
    match unit:
        case MeasureUnit.PERCENT:
            return f"{text}%"
        case MeasureUnit.ONE_IN_X:
            return f"1 in {text}"
        case MeasureUnit.DAYS:
            return f"{text} days"
    return text


# -- windows ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """The stretch of a financial year a matrix or scorecard is read for."""

    year_id: int
    year_label: str
    start: date
    #: Last day covered; before ``start`` when nothing of the year has ended yet.
    end: date
    #: "2009-10-Q2", "2009-10 to date (Apr to Oct 2009)".
    label: str
    #: The period code chosen, or "" for the year to date.
    period_code: str
    today: date

    @property
    def year_to_date(self) -> bool:
        return not self.period_code

    @property
    def empty(self) -> bool:
        return self.end < self.start


YEAR_TO_DATE = ""


def ytd_end(session: Session, year: FinancialYear, now: date) -> date:
    """The end of the last month of ``year`` whose returns were due by ``now`` (the day
    before the year starts when none was).

    The year to date stops at the latest month the DOM can expect every return for, so a
    month still open for returns neither counts as missing nor dilutes the figures.
    """
    last = session.scalar(
        select(func.max(Period.end)).where(
            Period.year_id == year.id, Period.kind == PeriodKind.MONTH, Period.due < now
        )
    )
    return last if last is not None else date.fromordinal(year.start.toordinal() - 1)


def resolve_window(session: Session, period: str | None = None, year: str | None = None) -> Window:
    """The window for a period code (a month, quarter or year) or, with none, the year
    to date of ``year`` (the current year when not given)."""
    now = today(session)
    if period:
        spec = parse_period(period)
        found = session.scalars(select(Period).where(Period.code == spec.code)).first()
        if found is None:
            raise ValidationError(f"The workbook has no period {spec_label(spec)}", "Period")
        fy = found.year
        label = period_label(found.code)
        return Window(fy.id, fy.label, found.start, found.end, label, found.code, now)
    fy = year_by_label(session, year) if year else current_year(session)
    end = ytd_end(session, fy, now)
    if end < fy.start:
        label = f"{fy.label} to date (nothing has ended yet)"
    elif end == fy.end:
        label = f"{fy.label}, whole year"
    else:
        label = f"{fy.label} to date (Apr to {end:%b %Y})"
    return Window(fy.id, fy.label, fy.start, end, label, YEAR_TO_DATE, now)


def previous_window(session: Session, window: Window) -> Window | None:
    """The window one step earlier: the period before, or the year to date a month ago."""
    if window.year_to_date:
        end = add_months(window.end.replace(day=1), -1)
        end = month_end(end.year, end.month)
        if end < window.start:
            return None
        label = f"{window.year_label} to date (Apr to {end:%b %Y})"
        return Window(
            window.year_id, window.year_label, window.start, end, label, YEAR_TO_DATE, window.today
        )
    current = session.scalars(select(Period).where(Period.code == window.period_code)).one()
    earlier = session.scalars(
        select(Period)
        .where(Period.kind == current.kind, Period.end < current.start)
        .order_by(Period.start.desc())
        .limit(1)
    ).first()
    if earlier is None:
        return None
    return Window(
        earlier.year_id,
        earlier.year.label,
        earlier.start,
        earlier.end,
        period_label(earlier.code),
        earlier.code,
        window.today,
    )


def window_choices(session: Session, year: str | None = None) -> list[tuple[str, str]]:
    """(code, label) of what a matrix can be read for: the year to date, then the year,
    its quarters and its months. The code of the year to date is ""."""
    fy = year_by_label(session, year) if year else current_year(session)
    choices = [(YEAR_TO_DATE, f"{fy.label} year to date")]
    order = {PeriodKind.YEAR: 0, PeriodKind.QUARTER: 1, PeriodKind.MONTH: 2}
    periods = sorted(fy.periods, key=lambda p: (order[p.kind], p.start))
    for p in periods:
        if p.kind is PeriodKind.YEAR:
            choices.append((p.code, f"{period_label(p.code)} whole year"))
        elif p.kind is PeriodKind.QUARTER:
            choices.append((p.code, f"{period_label(p.code)} ({p.start:%b} to {p.end:%b %Y})"))
        else:
            choices.append((p.code, f"{p.start:%b %Y}"))
    return choices


def period_status(
    measure: Measure, actual: Decimal | None, annual_target: Decimal | None, kind: PeriodKind
) -> Status:
    """One period's figure against the target that period is held to: a month's count
    against a twelfth of the year's, a rate against the rate itself."""
    target = window_target(measure.aggregation, annual_target, MONTHS_IN[kind])
    return compare(measure.direction, measure.tolerance, actual, target)


# -- tolerance ----------------------------------------------------------------------------

#: The widest "near" band a DOM may set: a figure short of its target by more than the
#: target itself cannot sensibly count as near.
MAX_TOLERANCE = Decimal(100)


def _shown_percent(percent: Decimal) -> str:
    """A refused tolerance as the user can read it: a figure of hundreds of digits (as
    ``1e309`` typed on the command line gives) is shown in short scientific form."""
    return format_decimal(percent) if abs(percent) < 10**9 else f"{percent:.3G}"


def set_tolerance(session: Session, measure_id: int, percent: Decimal) -> Decimal:
    """Sets how close to its target a figure of the measure counts as "near" (in per cent
    of the target; 0 makes every shortfall a miss) and returns the tolerance it replaces.

    Written inside the caller's transaction, so the audit trail records the change.
    """
    measure = session.get(Measure, measure_id)
    if measure is None:
        raise ValidationError("that measure no longer exists", "Tolerance")
    where = f"Measure {measure.code}, tolerance"
    if not isinstance(percent, Decimal) or not percent.is_finite():
        raise ValidationError("give the tolerance as a number of per cent", where)
    if not Decimal(0) <= percent <= MAX_TOLERANCE:
        raise ValidationError(
            f"the tolerance must be from 0% to {MAX_TOLERANCE}% of the target, "
            f"not {_shown_percent(percent)}%",
            where,
        )
    old = measure.tolerance
    if old != percent:
        measure.tolerance = percent
    return old
