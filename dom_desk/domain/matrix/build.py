"""Building the matrix: the SQL totals turned into one rated cell per provider and
measure, in one transaction.

Which cells exist: a cell is shown where the provider has a target row for the measure
in the year (even one not yet agreed) or has returned figures for it. Other cells are
blank ("does not apply"), so a prison-only measure never shows a probation trust.

Which returns are expected: a provider is expected to return a measure each period when
it has returned that measure this year or last (it is in its returns). Then a period
past its due date with no figure makes the cell "Missing (late)". A measure with a
target that the provider has never returned shows "No figures" rather than "Missing",
so measures reported outside the monthly returns are not chased as late.

The loop over the totals is written flat, one measure's settings looked up once per
column: it runs 40,000 times for a national matrix, and each cell's figure is turned
into a Decimal only in the form its measure's rule reads it.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from operator import itemgetter
from typing import NamedTuple

from sqlalchemy.orm import Session

from dom_desk.domain.collector import collector_paused
from dom_desk.domain.matrix import latest as latest_figures
from dom_desk.domain.matrix import totals as sql
from dom_desk.domain.matrix.cells import Cell, MeasureInfo, rated, without_figures
from dom_desk.domain.matrix.view import Matrix
from dom_desk.domain.performance import (
    MONTHS_IN,
    UNIT_SCALE,
    Window,
    combine_totals,
    previous_window,
    ratio,
    resolve_window,
)
from dom_desk.domain.status import Status
from dom_desk.models import Aggregation, Direction, MeasureUnit, PeriodKind
from dom_desk.storage.workbook import Workbook

_SUM, _LATEST = Aggregation.SUM, Aggregation.LATEST
_MISSING, _NO_TARGET, _MET, _NEAR, _MISSED = (
    Status.MISSING,
    Status.NO_TARGET,
    Status.MET,
    Status.NEAR,
    Status.MISSED,
)
_ZERO, _TWELVE = Decimal(0), Decimal(12)
#: A Cell made straight from its tuple of fields (a named tuple's __new__ is Python).
_new = tuple.__new__


class _Rule(NamedTuple):
    """One measure's settings, looked up once per group by measure id."""

    column: int
    aggregation: Aggregation
    unit: MeasureUnit
    lower: bool
    tolerance: Decimal
    #: What a numerator over a denominator is multiplied by; None for "1 in x".
    scale: Decimal | None
    snapshot: bool


def _rules(measures: list[MeasureInfo]) -> dict[int, _Rule]:
    return {
        m.id: _Rule(
            column,
            m.aggregation,
            m.unit,
            m.direction is Direction.LOWER,
            m.tolerance or _ZERO,
            None if m.unit is MeasureUnit.ONE_IN_X else UNIT_SCALE[m.unit],
            m.aggregation is _LATEST,
        )
        for column, m in enumerate(measures)
    }


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def build(session: Session, window: Window) -> Matrix:
    """The matrix for ``window``, read in the caller's transaction (internal: the plan
    composes it with its other figures; the window and the CLI call :func:`build_matrix`)."""
    with collector_paused():
        return _build(session, window)


def _build(session: Session, window: Window) -> Matrix:
    providers = sql.load_providers(session)
    measures = sql.load_measures(session)
    targets = sql.load_targets(session, window.year_id)
    periods = [] if window.empty else sql.window_periods(session, window)
    row_of = {p.id: i for i, p in enumerate(providers)}
    col_of = {m.id: i for i, m in enumerate(measures)}
    counts = sql.period_counts(periods, window.today)
    cells: list[list[Cell | None]] = [[None] * len(measures) for _ in providers]
    kinds: dict[tuple[int, int], PeriodKind] = {}
    again: set[tuple[int, int]] = set()
    if periods:
        today = window.today
        # Read once: whether every (or no) period is overdue when SQL left that to us.
        due_all = sql.group_due(periods, today, 1, None)
        kind_of = {p.id: p.kind for p in periods}
        # Per period id and per kind: (kind, months in one, how many are overdue), so the
        # loop looks up ints, not Enum members (whose hash runs in Python).
        shape = {k: (k, MONTHS_IN[k], overdue) for k, (_n, overdue) in counts.items()}
        shape_of = {p.id: shape[p.kind] for p in periods}
        numbered = sql.numbered(periods)
        # Where a kind has several periods in the window, groups of one period are rare:
        # their figure is looked up with the snapshots' rather than read for every group.
        several = len(periods) > len(counts)
        looked_up = numbered and several
        groups = sql.driver_rows(session, sql.totals_query(periods, today, with_one=not looked_up))
        snapshots = {m.id for m in measures if m.aggregation is _LATEST}
        rules = _rules(measures)
        if numbered:
            latest = latest_figures.load_latest(
                session,
                [
                    (g[0], g[1], g[12])
                    for g in groups
                    if g[1] in snapshots or (looked_up and g[2] == 1)
                ],
            )
        else:
            latest = latest_figures.latest_by_start(session, periods, snapshots)
        row_id, line = None, cells[0] if cells else []
        for (
            provider_id,
            measure_id,
            count,
            months,
            quarters,
            due,
            sum_actual,
            sum_num,
            sum_den,
            ratio_count,
            one_actual,
            first_period,
            last_period,
        ) in groups:
            key = (provider_id, measure_id)
            if months is None:  # banded periods: the lowest and highest ids tell the kind
                found = shape_of[first_period]
                if shape_of[last_period] is not found:
                    again.add(key)
                    continue
            else:
                kind = sql.group_kind(kind_of, count, months, quarters, first_period, last_period)
                if kind is None:
                    again.add(key)
                    continue
                found = shape[kind]
            kind, months_in, overdue = found
            if looked_up and count == 1:
                one_actual = latest[(provider_id, measure_id, last_period)][0]
            column, aggregation, unit, lower, tolerance, scale, snapshot = rules[measure_id]
            # The figure, by the rule of combine_totals; a sum SQL left inexact (a float)
            # sends the group to be totalled again.
            partial = False
            if snapshot:
                actual, num, den = (
                    latest.get((provider_id, measure_id, last_period))
                    if numbered
                    else latest.get((provider_id, kind, measure_id))
                ) or (None, None, None)
                value = (
                    Decimal(actual)
                    if actual is not None
                    else ratio(unit, _decimal(num), _decimal(den))
                )
            elif count == 1 and one_actual is not None:  # one period's own figure stands
                value = Decimal(one_actual)
            elif aggregation is _SUM:
                # SQLite sums whole numbers as an int: the commonest case, tested first.
                value = Decimal(sum_actual) if type(sum_actual) is int else sql.exact(sum_actual)
                if value is False:
                    again.add(key)
                    continue
            elif ratio_count:
                # The sums span every row: the rate's only where every row gave both.
                if ratio_count < count:
                    again.add(key)
                    continue
                if scale is not None and type(sum_num) is int and type(sum_den) is int:
                    # ratio() written out for whole sums (a Decimal over an int is exact).
                    value = Decimal(sum_num) / sum_den * scale if sum_den else None
                else:
                    num, den = sql.exact(sum_num), sql.exact(sum_den)
                    if num is False or den is False:
                        again.add(key)
                        continue
                    value = ratio(unit, num, den)
            else:
                value, partial = None, count > 0
            annual = targets.get(key)
            # window_target and compare written out, as above.
            if annual is None:
                target = None
            elif aggregation is _SUM and months_in * count != 12:
                target = annual * (months_in * count) / _TWELVE
            else:
                target = annual
            if value is None:
                status = _MISSING
            elif target is None:
                status = _NO_TARGET
            elif (value <= target) if lower else (value >= target):
                status = _MET
            else:
                slack = abs(target) * tolerance / 100
                shortfall = (value - target) if lower else (target - value)
                status = _NEAR if shortfall <= slack else _MISSED
            late = overdue - (due if due is not None else count * due_all)
            kinds[key] = kind
            if provider_id != row_id:  # groups come provider by provider
                row_id, line = provider_id, cells[row_of[provider_id]]
            line[column] = _new(
                Cell, (status, value, target, annual, count, late if late > 0 else 0, unit, partial)
            )
        for key, found in sql.exact_totals(session, window, again).items():
            kinds[key] = found.kind
            column = col_of[key[1]]
            measure = measures[column]
            combined = combine_totals(
                measure.aggregation,
                measure.unit,
                count=found.count,
                sum_actual=found.sum_actual,
                sum_num=found.sum_num,
                sum_den=found.sum_den,
                ratio_count=found.ratio_count,
                latest_actual=found.latest_actual,
                latest_num=found.latest_num,
                latest_den=found.latest_den,
            )
            late = max(0, counts.get(found.kind, (0, 0))[1] - found.count_due)
            cells[row_of[key[0]]][column] = rated(
                measure, targets.get(key), combined, found.count, found.kind, late
            )
    cadences = _cadences(kinds)
    unfilled = targets.keys() - kinds.keys()
    reported = sql.load_reported(session, window) if unfilled else set()
    for key in unfilled:
        provider_id, measure_id = key
        kind = cadences.get(measure_id, PeriodKind.MONTH)
        expected, overdue = counts.get(kind, (0, 0))
        if expected:
            column = col_of[measure_id]
            cells[row_of[provider_id]][column] = without_figures(
                measures[column], targets[key], kind, expected, overdue, key in reported
            )
    return Matrix(window, providers, measures, cells, cadences)


def _cadences(kinds: dict[tuple[int, int], PeriodKind]) -> dict[int, PeriodKind]:
    """How often each measure is returned: the commonest cadence among its providers (the
    first seen on a tie). Counted by the members' ids: an Enum member's hash runs in
    Python, and there is one pair per cell."""
    member = {id(kind): kind for kind in PeriodKind}
    seen = Counter(zip(map(itemgetter(1), kinds), map(id, kinds.values()), strict=True))
    best: dict[int, tuple[int, int]] = {}
    for (measure_id, kind), n in seen.items():
        if measure_id not in best or n > best[measure_id][1]:
            best[measure_id] = (kind, n)
    return {m: member[kind] for m, (kind, _n) in best.items()}


def build_matrix(wb: Workbook, period: str | None = None, year: str | None = None) -> Matrix:
    """The matrix for a period (a month, quarter or year code) or, with none, for the year
    to date of ``year`` (the current year when not given)."""
    with wb.session() as session:
        return build(session, resolve_window(session, period, year))


def build_previous(wb: Workbook, window: Window) -> Matrix | None:
    """The matrix one step before ``window`` (the period before, or the year to date a
    month earlier); None when there is none."""
    with wb.session() as session:
        earlier = previous_window(session, window)
        return build(session, earlier) if earlier else None
