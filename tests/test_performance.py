"""Status against target, and year-to-date figures right for each unit."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from performance_data import add_result, build_region
from sqlalchemy import select

from dom_desk.domain.matrix import build_matrix
from dom_desk.domain.performance import (
    Figure,
    combine,
    format_measure_value,
    period_status,
    rule_text,
    window_target,
)
from dom_desk.domain.region import today
from dom_desk.domain.status import Status, compare
from dom_desk.models import (
    Aggregation,
    Direction,
    Measure,
    MeasureUnit,
    Period,
    PeriodKind,
    Provider,
    Result,
    Target,
)

# -- status -------------------------------------------------------------------------------


def test_lower_is_better_measure_under_its_target_is_met() -> None:
    # Positive drug tests: 8.5% against a ceiling of 9.3% meets the target.
    assert compare(Direction.LOWER, Decimal(5), Decimal("8.5"), Decimal("9.3")) is Status.MET
    assert compare(Direction.LOWER, Decimal(5), Decimal("9.6"), Decimal("9.3")) is Status.NEAR
    assert compare(Direction.LOWER, Decimal(5), Decimal("9.9"), Decimal("9.3")) is Status.MISSED
    assert compare(Direction.HIGHER, Decimal(5), Decimal("8.5"), Decimal("9.3")) is Status.MISSED


def test_no_target_and_no_figure() -> None:
    assert compare(Direction.HIGHER, Decimal(5), Decimal(1), None) is Status.NO_TARGET
    assert compare(Direction.HIGHER, Decimal(5), None, Decimal(1)) is Status.MISSING


@given(
    actual=st.decimals(min_value=0, max_value=1000, places=2),
    target=st.decimals(min_value=Decimal("0.01"), max_value=1000, places=2),
    tolerance=st.decimals(min_value=0, max_value=20, places=1),
    lower=st.booleans(),
)
def test_status_follows_direction_and_tolerance(
    actual: Decimal, target: Decimal, tolerance: Decimal, lower: bool
) -> None:
    direction = Direction.LOWER if lower else Direction.HIGHER
    shortfall = actual - target if lower else target - actual
    if shortfall <= 0:
        expected = Status.MET
    elif shortfall * 100 <= target * tolerance:
        expected = Status.NEAR
    else:
        expected = Status.MISSED
    assert compare(direction, tolerance, actual, target) is expected


def test_a_month_count_is_held_to_a_twelfth_of_the_year() -> None:
    measure = Measure(
        code="PT 8",
        code_key="PT8",
        title="Unpaid work completions",
        unit=MeasureUnit.COUNT,
        aggregation=Aggregation.SUM,
        direction=Direction.HIGHER,
        tolerance=Decimal(5),
    )
    assert window_target(Aggregation.SUM, Decimal(1200), 1) == 100
    assert period_status(measure, Decimal(101), Decimal(1200), PeriodKind.MONTH) is Status.MET
    assert period_status(measure, Decimal(80), Decimal(1200), PeriodKind.MONTH) is Status.MISSED
    # Rates and snapshots are levels: the target stands whatever the window.
    assert window_target(Aggregation.RATIO, Decimal(90), 3) == 90
    assert window_target(Aggregation.LATEST, Decimal(500), 1) == 500


# -- combining periods ----------------------------------------------------------------------


def test_rate_combines_numerators_and_denominators_not_percentages() -> None:
    figures = [
        Figure(date(2009, 4, 1), Decimal(10), Decimal(1), Decimal(10)),
        Figure(date(2009, 5, 1), Decimal(99), Decimal(99), Decimal(100)),
    ]
    combined = combine(Aggregation.RATIO, MeasureUnit.PERCENT, figures)
    assert combined.value == Decimal(100) / Decimal(110) * 100
    assert combined.value != (Decimal(10) + Decimal(99)) / 2
    assert "100 / 110 x 100" in combined.working


def test_counts_add_up_and_snapshots_take_the_latest_period() -> None:
    figures = [
        Figure(date(2009, 6, 1), Decimal(7)),
        Figure(date(2009, 4, 1), Decimal(5)),
        Figure(date(2009, 5, 1), Decimal(6)),
    ]
    assert combine(Aggregation.SUM, MeasureUnit.COUNT, figures).value == 18
    assert combine(Aggregation.LATEST, MeasureUnit.COUNT, figures).value == 7


def test_one_in_x_inverts_the_parts() -> None:
    figures = [
        Figure(date(2009, 4, 1), None, Decimal(1), Decimal(15000)),
        Figure(date(2009, 5, 1), None, Decimal(1), Decimal(25000)),
    ]
    assert combine(Aggregation.RATIO, MeasureUnit.ONE_IN_X, figures).value == 20000
    assert format_measure_value(MeasureUnit.ONE_IN_X, Decimal(20000)) == "1 in 20,000"


def test_every_rule_is_explained() -> None:
    texts = {rule_text(a, MeasureUnit.PERCENT) for a in Aggregation}
    assert len(texts) == len(Aggregation)
    assert "never an average" in rule_text(Aggregation.RATIO, MeasureUnit.PERCENT)


# -- the matrix on a small region ---------------------------------------------------------


@pytest.fixture
def region_ids(workbook):
    return build_region(workbook)


def test_ytd_rate_is_summed_numerators_over_summed_denominators(workbook, region_ids) -> None:
    """HMP Alpha's PT 1 alternates 9/10 and 90/100: make the months differ more."""
    ids = region_ids
    with workbook.session() as session:
        # Replace Alpha's April and May: 1/10 (10%) and 99/100 (99%).
        for code, (num, den) in (("2009-04", ("1", "10")), ("2009-05", ("99", "100"))):
            result = session.scalars(
                select(Result).where(
                    Result.provider_id == ids.providers["HMP Alpha"],
                    Result.measure_id == ids.measures["PT 1"],
                    Result.period_id == ids.periods[code],
                )
            ).one()
            result.numerator, result.denominator = Decimal(num), Decimal(den)
            result.actual = Decimal(num) / Decimal(den) * 100
        rows = session.execute(
            select(Result.actual, Result.numerator, Result.denominator).where(
                Result.provider_id == ids.providers["HMP Alpha"],
                Result.measure_id == ids.measures["PT 1"],
            )
        ).all()
    assert len(rows) == 7
    expected = sum(r.numerator for r in rows) / sum(r.denominator for r in rows) * 100
    average = sum(r.actual for r in rows) / len(rows)
    assert abs(expected - average) > 1  # the case tells the two apart

    matrix = build_matrix(workbook)
    cell = matrix.cell(ids.providers["HMP Alpha"], ids.measures["PT 1"])
    assert cell is not None
    assert cell.value == expected
    assert cell.status is (Status.MET if expected >= 90 else Status.MISSED)
    # The month view shows May's own figure.
    may = build_matrix(workbook, "2009-05").cell(ids.providers["HMP Alpha"], ids.measures["PT 1"])
    assert may is not None and may.value == 99


@pytest.mark.parametrize("places", ["0.1", "0.00000001"])
def test_ytd_rate_is_exact_whatever_the_decimal_places(workbook, region_ids, places: str) -> None:
    """Stored figures are exact decimal text; SQLite adds them as floats (0.1 + 0.2 is
    0.30000000000000004), so the matrix must give back the exact decimal sum."""
    ids = region_ids
    step = Decimal(places)
    with workbook.session() as session:
        results = session.scalars(
            select(Result).where(
                Result.provider_id == ids.providers["HMP Alpha"],
                Result.measure_id == ids.measures["DRUG"],
            )
        ).all()
        for i, result in enumerate(results):
            # 1.1 + 1.2 + ... + 1.7 adds up to 9.799999999999999 in floats.
            result.numerator = 1 + step * (i + 1)
            result.denominator = Decimal(20) + step * i
        expected = sum(r.numerator for r in results) / sum(r.denominator for r in results) * 100
    cell = build_matrix(workbook).cell(ids.providers["HMP Alpha"], ids.measures["DRUG"])
    assert cell is not None and cell.value == expected


def test_ytd_counts_sum_and_are_held_to_the_share_of_the_year(workbook, region_ids) -> None:
    ids = region_ids
    cell = build_matrix(workbook).cell(ids.providers["Gamma Probation Trust"], ids.measures["UPW"])
    assert cell is not None
    assert (cell.value, cell.target, cell.annual_target) == (700, 700, 1200)
    assert cell.status is Status.MET


def test_ytd_snapshot_is_the_latest_month(workbook, region_ids) -> None:
    ids = region_ids
    cell = build_matrix(workbook).cell(ids.providers["HMP Alpha"], ids.measures["POP"])
    assert cell is not None and cell.value == 486  # October's population, not a sum
    assert cell.status is Status.NEAR  # 486 against 500 is within 5%


def test_no_return_by_the_due_date_is_missing_and_late(workbook, region_ids) -> None:
    ids = region_ids
    beta, pt1 = ids.providers["HMP Beta"], ids.measures["PT 1"]
    october = build_matrix(workbook, "2009-10-M").cell(beta, pt1)
    assert october is not None
    assert october.status is Status.MISSING and october.late == 1
    assert october.label == "Missing (late)"
    # The year to date still rates the months returned, and flags the late one.
    ytd = build_matrix(workbook).cell(beta, pt1)
    assert ytd is not None and ytd.status is Status.MISSED and ytd.late == 1
    assert "1 late" in ytd.label
    # November's return is not due until 10 December.
    november = build_matrix(workbook, "2009-11").cell(beta, pt1)
    assert november is not None and november.status is Status.NOT_DUE


def test_a_target_without_returns_is_no_figures_not_missing(workbook, region_ids) -> None:
    ids = region_ids
    with workbook.session() as session:
        year_id = session.scalar(select(Period.year_id).where(Period.code == "2009-10"))
        session.add(
            Target(
                measure_id=ids.measures["UPW"],
                year_id=year_id,
                provider_id=ids.providers["HMP Alpha"],
                value=Decimal(10),
            )
        )
    cell = build_matrix(workbook, "2009-09").cell(ids.providers["HMP Alpha"], ids.measures["UPW"])
    assert cell is not None and cell.status is Status.NO_FIGURES


def test_lower_is_better_count_over_target_is_missed(workbook, region_ids) -> None:
    ids = region_ids
    june = build_matrix(workbook, "2009-06")
    assert june.cell(ids.providers["HMP Beta"], ids.measures["ESC"]).status is Status.MISSED
    assert june.cell(ids.providers["HMP Alpha"], ids.measures["ESC"]).status is Status.MET


def test_quarterly_returns_are_rated_by_their_own_cadence(workbook, region_ids) -> None:
    ids = region_ids
    with workbook.session() as session:
        add_result(session, ids, "Gamma Probation Trust", "POP", "2009-10-Q1", "50")
    cell = build_matrix(workbook).cell(ids.providers["Gamma Probation Trust"], ids.measures["POP"])
    assert cell is not None and cell.returned == 1 and cell.value == 50
    assert cell.late == 1  # Q2 (to September) was due on 10 October


# -- on the demo ----------------------------------------------------------------------------


def _independent_statuses(demo, months: list[str]) -> dict[tuple[str, str], str]:
    """Statuses worked out here from the stored figures alone, for the given months:
    counts add up against the year's target x months / 12; rates are summed numerators
    over summed denominators (x 100 for per cent); snapshots take the latest month."""
    with demo.session() as session:
        period_ids = {
            pid: code
            for pid, code in session.execute(
                select(Period.id, Period.code).where(Period.code.in_(months))
            )
        }
        year_id = session.scalar(select(Period.year_id).where(Period.code == months[0]))
        targets = {
            (p, m): v
            for p, m, v in session.execute(
                select(Target.provider_id, Target.measure_id, Target.value).where(
                    Target.year_id == year_id
                )
            )
        }
        measures = {m.id: m for m in session.scalars(select(Measure))}
        names = dict(session.execute(select(Provider.id, Provider.name)).all())
        rows = session.execute(
            select(
                Result.provider_id,
                Result.measure_id,
                Result.period_id,
                Result.actual,
                Result.numerator,
                Result.denominator,
            ).where(Result.superseded.is_(False), Result.period_id.in_(period_ids))
        ).all()
    grouped = defaultdict(list)
    for row in rows:
        grouped[(row.provider_id, row.measure_id)].append(row)
    found = {}
    for (provider_id, measure_id), results in grouped.items():
        measure = measures[measure_id]
        annual = targets.get((provider_id, measure_id))
        if annual is None:
            continue
        if measure.aggregation is Aggregation.SUM:
            actual = sum(r.actual for r in results)
            target = annual * len(results) / 12
        elif measure.aggregation is Aggregation.LATEST or len(results) == 1:
            actual = max(results, key=lambda r: months.index(period_ids[r.period_id])).actual
            target = annual
        else:
            assert measure.unit is MeasureUnit.PERCENT
            actual = sum(r.numerator for r in results) / sum(r.denominator for r in results)
            actual *= 100
            target = annual
        lower = measure.direction is Direction.LOWER
        slack = target * measure.tolerance / 100
        if (actual <= target) if lower else (actual >= target):
            status = "Met"
        elif (actual - target if lower else target - actual) <= slack:
            status = "Near"
        else:
            status = "Missed"
        found[(names[provider_id], measure.code)] = status
    return found


def _shown(matrix, status: Status) -> set[tuple[str, str]]:
    return {(p.name, m.code) for p, m, c in matrix.view().iter_cells() if c.status is status}


def test_demo_month_missed_targets_are_exactly_those_the_numbers_miss(demo) -> None:
    independent = _independent_statuses(demo, ["2009-09"])
    matrix = build_matrix(demo, "2009-09")
    missed = {key for key, status in independent.items() if status == "Missed"}
    assert missed and _shown(matrix, Status.MISSED) == missed
    assert _shown(matrix, Status.MET) == {k for k, s in independent.items() if s == "Met"}
    assert ("HMP Liverpool", "KPI 6") in missed


def test_demo_year_to_date_missed_targets_are_exactly_those_the_numbers_miss(demo) -> None:
    with demo.session() as session:
        now = today(session)
        months = [
            code
            for code, due in session.execute(
                select(Period.code, Period.due)
                .join(Period.year)
                .where(
                    Period.kind == PeriodKind.MONTH,
                    Period.due < now,
                    Period.year.has(label="2009-10"),
                )
                .order_by(Period.start)
            )
        ]
    assert months[-1] == "2009-09"  # as of November, September's returns were due
    independent = _independent_statuses(demo, months)
    matrix = build_matrix(demo)
    missed = {key for key, status in independent.items() if status == "Missed"}
    assert missed and _shown(matrix, Status.MISSED) == missed
    assert _shown(matrix, Status.NEAR) == {k for k, s in independent.items() if s == "Near"}


def test_demo_lower_is_better_under_target_shows_met(demo) -> None:
    matrix = build_matrix(demo, "2009-09")
    lower = [
        (p, m, c)
        for p, m, c in matrix.view().iter_cells()
        if m.direction is Direction.LOWER
        and c.value is not None
        and c.target is not None
        and c.value < c.target
    ]
    assert lower
    assert all(c.status is Status.MET for _p, _m, c in lower)


def test_demo_missing_return_is_flagged_late(demo) -> None:
    matrix = build_matrix(demo, "2009-09")
    missing = {p.name for p, _m, c in matrix.view().iter_cells() if c.status is Status.MISSING}
    assert missing == {"Cumbria Probation Area"}
    assert all(c.late for _p, _m, c in matrix.view().iter_cells() if c.status is Status.MISSING)


# -- tolerance per measure ----------------------------------------------------------------


def _status_of(wb, provider: str, code: str, period: str = "2009-09") -> Status:
    matrix = build_matrix(wb, period)
    return next(
        c.status for p, m, c in matrix.view().iter_cells() if p.name == provider and m.code == code
    )


def _measure_id(wb, code: str) -> int:
    with wb.session() as session:
        return session.scalar(select(Measure.id).where(Measure.code == code))


def test_a_wider_tolerance_turns_that_measures_miss_into_near(demo) -> None:
    from dom_desk.domain.performance import set_tolerance

    # Liverpool's positive drug tests, 14.3% against a ceiling of 9.5%: half as much again.
    assert _status_of(demo, "HMP Liverpool", "KPI 6") is Status.MISSED
    assert _status_of(demo, "HMP Liverpool", "KPI 11") is Status.MISSED
    with demo.session() as session:
        old = set_tolerance(session, _measure_id(demo, "KPI 6"), Decimal(60))
    assert old == Decimal(5)
    assert _status_of(demo, "HMP Liverpool", "KPI 6") is Status.NEAR
    # The tolerance belongs to the measure: another measure keeps its own.
    assert _status_of(demo, "HMP Liverpool", "KPI 11") is Status.MISSED
    with demo.session() as session:
        set_tolerance(session, _measure_id(demo, "KPI 6"), Decimal(0))
    assert _status_of(demo, "HMP Liverpool", "KPI 6") is Status.MISSED


def test_a_tolerance_out_of_range_is_refused_and_nothing_changes(demo) -> None:
    from dom_desk.domain.performance import set_tolerance
    from dom_desk.errors import ValidationError

    measure_id = _measure_id(demo, "KPI 6")
    for wrong in (Decimal(-1), Decimal(101), Decimal("NaN")):
        with pytest.raises(ValidationError, match="KPI 6"), demo.session() as session:
            set_tolerance(session, measure_id, wrong)
    with demo.session() as session:
        assert session.get(Measure, measure_id).tolerance == Decimal(5)


def test_tolerance_command_lists_and_sets_with_an_audit_entry(demo, capsys) -> None:
    from dom_desk.cli import main
    from dom_desk.models import AuditEntry

    path = demo.location
    demo.close()
    assert main(["tolerance", "--db", str(path), "--measure", "kpi 6", "--percent", "12.5"]) == 0
    assert "KPI 6: near within 12.5% of target (was 5%)" in capsys.readouterr().out
    assert main(["tolerance", "--db", str(path)]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed[0] == "code,near_within_percent"
    assert "KPI 6,12.5" in listed and "KPI 5,5" in listed
    assert main(["tolerance", "--db", str(path), "--measure", "KPI 6", "--percent", "150"]) == 1
    assert "KPI 6" in capsys.readouterr().err
    from dom_desk.storage.workbook import open_workbook

    wb = open_workbook(path, read_only=True)
    try:
        with wb.session() as session:
            measure = session.scalar(select(Measure).where(Measure.code == "KPI 6"))
            assert measure.tolerance == Decimal("12.5")
            audit = session.scalars(
                select(AuditEntry).where(
                    AuditEntry.entity == "measure", AuditEntry.field == "tolerance"
                )
            ).all()
            assert [(a.old, a.new) for a in audit] == [("5", "12.5")]
    finally:
        wb.close()
