"""The North West demo region: the figures a DOM would check first add up and hang together."""

from __future__ import annotations

import sqlite3
from collections import Counter
from contextlib import closing
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from sqlalchemy import BigInteger, func, select
from sqlalchemy.orm import selectinload

from dom_desk.demo import data, plan, write_demo
from dom_desk.domain import competitions, contracts
from dom_desk.domain.periods import add_months
from dom_desk.domain.region import get_setting, risk_matrix, today, year_by_label
from dom_desk.errors import WorkbookError
from dom_desk.models import (
    Aggregation,
    Agreement,
    AgreementKind,
    Allocation,
    Base,
    Competition,
    Direction,
    EnvelopeLine,
    FinancialYear,
    Guidance,
    Measure,
    Period,
    PeriodKind,
    Provider,
    ProviderKind,
    Result,
    Risk,
    ServiceLine,
    Stage,
    Submission,
    Target,
    VariationKind,
)


def committed(allocation: Allocation) -> int:
    """What the region is committed to: agreed where agreed, else the provisional offer."""
    return allocation.agreed if allocation.agreed is not None else allocation.provisional


def expected_committed(label: str) -> int:
    """The year's committed total worked out from the data tables, independently of the build."""
    contract_lines = [line for row in data.CONTRACTS for line in row.lines.get(label, ())]
    if label == data.CURRENT_YEAR:
        sla_lines = [line for row in data.SLAS for line in row.lines]
        return sum(v * p for _, v, p in sla_lines + contract_lines)
    previous = sum(
        v * (p * data.PREVIOUS_PRICE_PERCENT // 100) for row in data.SLAS for _, v, p in row.lines
    )
    return previous + sum(v * p for _, v, p in contract_lines)


@pytest.mark.parametrize("label", [data.CURRENT_YEAR, data.PREVIOUS_YEAR])
def test_allocations_add_up_exactly_and_stay_just_inside_the_envelope(demo, label) -> None:
    with demo.session() as session:
        year = year_by_label(session, label)
        allocations = session.scalars(select(Allocation).where(Allocation.year_id == year.id)).all()
        envelope = session.scalar(
            select(func.sum(EnvelopeLine.amount)).where(EnvelopeLine.year_id == year.id)
        )
        total = sum(committed(a) for a in allocations)
        assert all(a.illustrative for a in allocations)
    assert total == expected_committed(label)
    assert total <= envelope
    assert total * 100 >= envelope * 97, "allocations should use 97-99% of the envelope"


def test_each_funding_source_covers_what_is_allocated_from_it(demo) -> None:
    with demo.session() as session:
        for line in session.scalars(select(EnvelopeLine)):
            allocated = sum(
                committed(a)
                for a in session.scalars(
                    select(Allocation).where(
                        Allocation.year_id == line.year_id,
                        Allocation.funding_source_id == line.funding_source_id,
                    )
                )
            )
            assert 0 < allocated <= line.amount, line.funding_source.name
            assert line.illustrative


def test_provisional_offers_differ_from_agreed_values_only_where_negotiated(demo) -> None:
    with demo.session() as session:
        year = year_by_label(session, data.CURRENT_YEAR)
        allocations = session.scalars(
            select(Allocation)
            .options(selectinload(Allocation.agreement))
            .where(Allocation.year_id == year.id)
        ).all()
        for allocation in allocations:
            # Agreed values exist exactly for agreed or signed agreements.
            assert (allocation.agreed is not None) == allocation.agreement.status.locked
        provisional = sum(a.provisional for a in allocations)
    negotiated = sum(row.negotiated for row in data.SLAS if row.status.locked)
    assert negotiated != 0
    assert provisional == expected_committed(data.CURRENT_YEAR) - negotiated


def test_both_years_are_held_with_their_periods_and_2009_10_is_current(demo) -> None:
    with demo.session() as session:
        years = session.scalars(select(FinancialYear).order_by(FinancialYear.start)).all()
        # 2010-11 holds the contract awarded from the Buckley Hall competition (July 2010).
        assert [y.label for y in years] == ["2008-09", "2009-10", "2010-11"]
        for year in years:
            kinds = Counter(
                p.kind for p in session.scalars(select(Period).where(Period.year_id == year.id))
            )
            assert kinds == {PeriodKind.YEAR: 1, PeriodKind.QUARTER: 4, PeriodKind.MONTH: 12}
        assert get_setting(session, "current_year") == "2009-10"
        assert today(session) == date(2009, 11, 2)


def test_each_public_provider_has_an_sla_in_both_years(demo) -> None:
    with demo.session() as session:
        slas = session.scalars(
            select(Agreement)
            .options(selectinload(Agreement.year))
            .where(Agreement.kind == AgreementKind.SLA)
        ).all()
        held = Counter((a.provider_id, a.year.label) for a in slas)
        public = session.scalars(
            select(Provider).where(
                Provider.kind.in_(
                    (
                        ProviderKind.PUBLIC_PRISON,
                        ProviderKind.PROBATION_BOARD,
                        ProviderKind.PROBATION_TRUST,
                    )
                )
            )
        ).all()
        for provider in public:
            assert held[provider.id, "2008-09"] == 1, provider.name
            assert held[provider.id, "2009-10"] == 1, provider.name
        statuses = Counter(a.status for a in slas if a.year.label == "2009-10")
        assert len(statuses) == 4, "2009-10 SLAs should show every stage of negotiation"
        assert {a.status.locked for a in slas if a.year.label == "2008-09"} == {True}


@pytest.mark.parametrize(
    ("subject", "expiry", "call"),
    [
        ("HMP Buckley Hall", date(2010, 6, 30), date(2009, 6, 30)),
        ("HMP Manchester", date(2011, 10, 31), date(2010, 10, 31)),
    ],
)
def test_recompetitions_are_called_twelve_months_before_expiry(demo, subject, expiry, call) -> None:
    with demo.session() as session:
        competition = session.scalars(
            select(Competition).where(Competition.subject == subject)
        ).one()
        stages = competition.stages
        assert competition.expiry == expiry
        assert [s.stage for s in stages] == list(Stage)
        planned = {s.stage: s.planned for s in stages}
        assert planned[Stage.CALL] == call == add_months(expiry, -12)
        # The app's one default timetable: the new provider starts the day after expiry.
        assert planned == competitions.default_timetable(expiry)
        assert planned[Stage.SERVICE_START] == expiry + timedelta(days=1)
        dates = [s.planned for s in stages]
        assert dates == sorted(dates)
        # Linked to the prison and its current SLA.
        assert competition.provider.name == subject
        assert competition.agreement.provider_id == competition.provider_id
        assert competition.agreement.year.label == "2009-10"
        # Stages already reached carry an actual date, none in the future.
        as_of = today(session)
        assert all(s.actual <= as_of for s in stages if s.actual is not None)


def test_fuzzy_competition_dates_keep_their_wording(demo) -> None:
    with demo.session() as session:
        calls = {
            c.subject: next(s for s in c.stages if s.stage is Stage.CALL)
            for c in session.scalars(select(Competition))
        }
    assert (calls["New build Cluster 1"].planned_text, calls["New build Cluster 1"].planned) == (
        "Summer 2009",
        date(2009, 7, 1),
    )
    for cluster in ("New build Cluster 2", "New build Cluster 3"):  # seed 000: "Tbc"
        assert (calls[cluster].planned_text, calls[cluster].planned) == ("Tbc", None)


def worse_than_target(measure: Measure, actual: Decimal, target: Decimal) -> Decimal:
    """How far the actual falls short of the target, as a fraction of it (0 when met)."""
    if target == 0:
        return Decimal(0) if actual <= 0 else Decimal(1)
    gap = (actual - target) if measure.direction is Direction.LOWER else (target - actual)
    return max(Decimal(0), gap / target)


def test_most_results_meet_their_targets_and_some_clearly_miss(demo) -> None:
    with demo.session() as session:
        targets = {
            (t.measure_id, t.provider_id, t.year_id): t.value
            for t in session.scalars(select(Target))
        }
        results = session.scalars(
            select(Result).options(
                selectinload(Result.measure),
                selectinload(Result.period),
                selectinload(Result.provider),
            )
        ).all()
        met = judged = 0
        clear_misses: set[tuple[str, str]] = set()
        for result in results:
            target = targets[result.measure_id, result.provider_id, result.period.year_id]
            if target is None:
                continue
            if result.measure.aggregation is Aggregation.SUM:
                target = target / 12  # annual counts against a month's return
            shortfall = worse_than_target(result.measure, result.actual, target)
            judged += 1
            met += shortfall == 0
            if shortfall >= Decimal("0.10"):
                clear_misses.add((result.provider.name, result.measure.code))
    assert met / judged > 0.8
    assert ("HMP Liverpool", "KPI 6") in clear_misses  # positive drug tests above target
    assert ("Lancashire Probation Area", "KPI 5") in clear_misses  # completions below
    assert 5 <= len(clear_misses) <= 20


def test_ratio_results_are_their_numerator_over_denominator(demo) -> None:
    with demo.session() as session:
        results = session.scalars(
            select(Result)
            .options(selectinload(Result.measure))
            .where(Result.denominator.is_not(None))
        ).all()
        assert results
        for r in results:
            expected = (r.numerator * 100 / r.denominator).quantize(Decimal("0.01"), ROUND_HALF_UP)
            assert r.actual == expected, (r.measure.code, r.numerator, r.denominator)
            assert r.source == "demo (illustrative)"


def test_weighted_nps_measures_sum_to_100(demo) -> None:
    with demo.session() as session:
        weighted = {
            m.code: m.weighting
            for m in session.scalars(select(Measure).where(Measure.weighting.is_not(None)))
        }
        codes = set(session.scalars(select(Measure.code)))
    assert sum(weighted.values()) == 100
    assert set(weighted) == {
        "PT 1",
        "PT 3",
        "PT 5",
        "PT 6",
        "PT 7",
        "PT 8",
        "PT 9b",
        "PT 11",
        "PT 12",
        "PT 14",
        "PM 1",
        "PM 2",
    }
    assert {"PT 9a", "PT 9b"} <= codes and "PT 9" not in codes
    assert {f"KPI {n}" for n in range(1, 14)} <= codes


def test_targets_respect_national_values_and_regional_floors(demo) -> None:
    with demo.session() as session:
        targets = session.scalars(select(Target).options(selectinload(Target.measure))).all()
        for t in (t for t in targets if t.value is not None):
            if t.measure.guidance is Guidance.NATIONAL and t.measure.national_value is not None:
                assert t.value == t.measure.national_value, t.measure.code
            if t.measure.floor is not None:
                assert t.value >= t.measure.floor, t.measure.code
        # A few 2009-10 targets are still to be agreed; 2008-09's are all set.
        unset = [t for t in targets if t.value is None]
        assert 0 < len(unset) < 10
        assert {t.year.label for t in unset} == {"2009-10"}


def test_one_provider_has_not_sent_its_latest_return(demo) -> None:
    with demo.session() as session:
        latest = session.scalars(select(Period).where(Period.code == "2009-09")).one()
        sent = set(
            session.scalars(select(Submission.provider_id).where(Submission.period_id == latest.id))
        )
        reporting = set(session.scalars(select(Submission.provider_id)))
        missing = {session.get(Provider, p).name for p in reporting - sent}
        late = [
            s
            for s in session.scalars(select(Submission).where(Submission.period_id == latest.id))
            if s.received_at.date() > latest.due
        ]
    assert missing == {"Cumbria Probation Area"}
    assert late, "a late return shows the due-date check"


def test_contracts_include_the_dates_and_variations_users_test_against(demo) -> None:
    with demo.session() as session:
        found = session.scalars(
            select(Agreement)
            .options(
                selectinload(Agreement.variations),
                selectinload(Agreement.lines).selectinload(ServiceLine.year),
            )
            .where(Agreement.kind == AgreementKind.CONTRACT)
        ).all()
        ends = {a.end for a in found}
        assert {date(2012, 2, 29), date(2011, 8, 31)} <= ends
        kinds = {v.kind for a in found for v in a.variations}
        assert {VariationKind.VALUE, VariationKind.DURATION} <= kinds
        assert {v.recorded_by for a in found for v in a.variations} == {"demo"}
        assert sum(a.pbr_share is not None for a in found) == 1
        assert {a.notice_months for a in found} <= {3, 6}
        whole_year = [
            a
            for a in found
            if a.start <= date(2009, 4, 1) and contracts.current_end(a) >= date(2010, 3, 31)
        ]
        assert len(whole_year) >= 5
        for agreement in whole_year:
            # A full year's lines cost exactly the contract's value after its variations.
            bought = sum(line.value for line in agreement.lines if line.year.label == "2009-10")
            assert bought == contracts.current_value(agreement), agreement.title


def test_risk_register_scores_as_printed(demo) -> None:
    printed = {r.reference: r.printed_score for r in plan.RISKS}
    with demo.session() as session:
        matrix = risk_matrix(session)
        risks = session.scalars(select(Risk)).all()
        as_of = today(session)
        assert len(risks) == 23 == len(printed)
        for risk in risks:
            assert matrix[risk.likelihood, risk.impact] == printed[risk.reference]
        assert any(r.review < as_of for r in risks), "some reviews should be overdue"
        assert all(r.owner for r in risks)


def money_columns() -> list[tuple[str, str]]:
    return [
        (table.name, column.name)
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, BigInteger)
    ]


@pytest.mark.file_only
def test_money_is_stored_as_integer_pence(demo) -> None:
    """SQLite keeps any value in any column, so each stored value's typeof is checked; on
    PostgreSQL (file_only) the BIGINT column itself holds nothing else."""
    columns = money_columns()
    assert ("allocation", "provisional") in columns
    with demo.engine.connect() as connection:
        for table, column in columns:
            kinds = set(
                connection.exec_driver_sql(
                    f'SELECT DISTINCT typeof("{column}") FROM "{table}"'
                ).scalars()
            )
            assert kinds <= {"integer", "null"}, (table, column, kinds)
            assert "integer" in kinds, f"{table}.{column} holds no money in the demo"


def test_write_demo_writes_one_complete_file(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    path = write_demo(folder / "North West demo.domdesk")
    # No write-ahead log or temporary file left beside it: the one file is the workbook.
    assert [p.name for p in folder.iterdir()] == [path.name]
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as con:
        assert con.execute("SELECT count(*) FROM provider").fetchone()[0] == len(data.PROVIDERS)
        assert con.execute("SELECT count(*) FROM risk_score").fetchone()[0] == 16


def test_write_demo_refuses_an_existing_file(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    path = folder / "North West.domdesk"
    path.write_text("someone's workbook")
    with pytest.raises(WorkbookError, match="already exists"):
        write_demo(path)
    assert path.read_text() == "someone's workbook"
    assert [p.name for p in folder.iterdir()] == [path.name]


def test_a_failed_build_leaves_no_file_behind(tmp_path: Path, monkeypatch) -> None:
    def broken(_session) -> None:
        raise RuntimeError("disk full")

    folder = tmp_path / "out"
    folder.mkdir()
    monkeypatch.setattr("dom_desk.demo.build_demo", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        write_demo(folder / "demo.domdesk")
    assert list(folder.iterdir()) == []
