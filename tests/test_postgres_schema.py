"""The workbook's schema on PostgreSQL 15+ (psycopg 3), on a server this session starts.

Groundwork of issue 16's "one schema, two backends": the models and the migrations
build on PostgreSQL exactly as on SQLite. The domain's queries are not run here yet.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.orm import Session

from dom_desk.models import Base
from dom_desk.models.base import (
    Aggregation,
    Direction,
    MeasureUnit,
    PeriodKind,
    ProviderKind,
    Sector,
)
from dom_desk.models.performance import Measure, Result
from dom_desk.models.providers import Provider
from dom_desk.models.region import FinancialYear, Period
from dom_desk.models.scenarios import Scenario, ScenarioChange
from dom_desk.storage import schema


def test_the_migrations_build_on_postgresql_the_schema_the_models_describe(pg_engine):
    schema.upgrade(pg_engine)
    with pg_engine.connect() as connection:
        revision = connection.execute(sa.text("SELECT version_num FROM alembic_version"))
        assert revision.scalar_one() == schema.head_revision()
        context = MigrationContext.configure(connection)
        assert compare_metadata(context, Base.metadata) == []
        # Enumerations are plain text, no per-schema PostgreSQL types.
        natives = connection.execute(sa.text("SELECT typname FROM pg_type WHERE typtype = 'e'"))
        assert natives.all() == []


def test_create_all_builds_every_table_with_partial_index_and_checks(pg_engine):
    Base.metadata.create_all(pg_engine)
    inspector = sa.inspect(pg_engine)
    assert set(inspector.get_table_names()) == set(Base.metadata.tables)
    with pg_engine.connect() as connection:
        index = connection.execute(
            sa.text("SELECT indexdef FROM pg_indexes WHERE indexname = 'uq_result_current'")
        ).scalar_one()
    assert "UNIQUE" in index and "WHERE (NOT superseded)" in index


def _measure_provider_period(session: Session) -> tuple[Measure, Provider, Period]:
    year = FinancialYear(label="2009-10", start=date(2009, 4, 1), end=date(2010, 3, 31))
    period = Period(
        code="2009-10 Q1",
        kind=PeriodKind.QUARTER,
        year=year,
        start=date(2009, 4, 1),
        end=date(2009, 6, 30),
        due=date(2009, 7, 15),
    )
    provider = Provider(
        name="HMP Manchester", kind=ProviderKind.PUBLIC_PRISON, sector=Sector.PUBLIC
    )
    measure = Measure(
        code="PT 1",
        code_key="PT1",
        title="Drug treatment completions",
        unit=MeasureUnit.RATE_PER_1000,
        direction=Direction.LOWER,
        aggregation=Aggregation.RATIO,
    )
    session.add_all([year, period, provider, measure])
    session.flush()
    return measure, provider, period


def _result(measure, provider, period, actual: str, *, superseded: bool = False) -> Result:
    return Result(
        measure=measure,
        provider=provider,
        period=period,
        actual=Decimal(actual),
        entered_at=datetime(2009, 7, 20, 9, 30),
        entered_by="analyst",
        superseded=superseded,
    )


def test_a_superseded_result_is_kept_beside_the_current_one_but_two_current_collide(
    pg_engine,
):
    schema.upgrade(pg_engine)
    with Session(pg_engine) as session:
        measure, provider, period = _measure_provider_period(session)
        session.add(_result(measure, provider, period, "12.5", superseded=True))
        session.add(_result(measure, provider, period, "11.25"))
        session.commit()

        rows = session.execute(
            sa.select(Result.actual, Result.superseded).order_by(Result.superseded)
        ).all()
        assert rows == [(Decimal("11.25"), False), (Decimal("12.5"), True)]

        session.add(_result(measure, provider, period, "10"))
        with pytest.raises(sa.exc.IntegrityError, match="uq_result_current"):
            session.commit()


def test_enumerations_round_trip_by_name(pg_engine):
    schema.upgrade(pg_engine)
    with Session(pg_engine) as session:
        measure, provider, period = _measure_provider_period(session)
        session.commit()
    with Session(pg_engine) as session:
        provider = session.scalars(sa.select(Provider)).one()
        measure = session.scalars(sa.select(Measure)).one()
        period = session.scalars(sa.select(Period)).one()
        assert (provider.kind, provider.sector) == (ProviderKind.PUBLIC_PRISON, Sector.PUBLIC)
        assert (measure.unit, measure.direction, measure.aggregation) == (
            MeasureUnit.RATE_PER_1000,
            Direction.LOWER,
            Aggregation.RATIO,
        )
        assert period.kind is PeriodKind.QUARTER
        stored = session.execute(sa.text("SELECT kind, sector FROM provider")).one()
        assert tuple(stored) == ("PUBLIC_PRISON", "PUBLIC")


def test_a_scenario_change_names_exactly_one_subject(pg_engine):
    """The portable CHECK (no adding of booleans) refuses a change naming no subject and
    accepts one naming a target."""
    schema.upgrade(pg_engine)
    with Session(pg_engine) as session:
        measure, provider, period = _measure_provider_period(session)
        scenario = Scenario(
            year=period.year, name="Draft", created_at=datetime(2009, 8, 1), created_by="dom"
        )
        session.add(scenario)
        session.flush()
        session.add(ScenarioChange(scenario=scenario, field="target"))
        with pytest.raises(sa.exc.IntegrityError, match="one_subject"):
            session.flush()
        session.rollback()

        measure, provider, period = _measure_provider_period(session)
        scenario = Scenario(
            year=period.year, name="Draft", created_at=datetime(2009, 8, 1), created_by="dom"
        )
        change = ScenarioChange(
            scenario=scenario, field="target", measure_id=measure.id, provider_id=provider.id
        )
        session.add_all([scenario, change])
        session.commit()
        assert session.scalars(sa.select(ScenarioChange.field)).all() == ["target"]


def test_measured_values_are_numeric_on_postgresql_and_kept_exactly(pg_engine):
    """A value column is NUMERIC (so the server can add it up), and what is typed comes
    back digit for digit: no binary rounding, no scale lost or added."""
    schema.upgrade(pg_engine)
    with pg_engine.connect() as connection:
        kinds = dict(
            connection.execute(
                sa.text(
                    "SELECT column_name, data_type FROM information_schema.columns "
                    "WHERE table_schema = current_schema() AND table_name = 'result'"
                )
            ).all()
        )
    assert kinds["actual"] == kinds["numerator"] == kinds["denominator"] == "numeric"
    assert kinds["commentary"] == "text"

    with Session(pg_engine) as session:
        measure, provider, period = _measure_provider_period(session)
        result = _result(measure, provider, period, "12.3456789")
        result.numerator = Decimal("0.10")
        result.denominator = 3
        session.add(result)
        session.commit()
    with Session(pg_engine) as session:
        stored = session.scalars(sa.select(Result)).one()
        assert str(stored.actual) == "12.3456789"
        assert str(stored.numerator) == "0.10"
        assert stored.denominator == Decimal(3)
        # The server sums the numbers exactly, as NUMERIC, not as text or floats.
        total = session.execute(
            sa.text("SELECT actual + numerator + denominator FROM result")
        ).scalar_one()
        assert total == Decimal("15.4456789")
        stored.actual = 12.5  # a float never reaches the database
        with pytest.raises(sa.exc.StatementError, match="never float"):
            session.flush()


def test_texts_fit_their_columns_on_postgresql_or_are_refused_by_sentence(pg_engine):
    """A milestone's delivery date worded as a sentence is kept (unlimited text since
    0010); a reference longer than its VARCHAR(30) is refused by DOM Desk's sentence
    before the server sees it, and nothing is written."""
    from dom_desk.errors import ValidationError
    from dom_desk.models import Milestone

    schema.upgrade(pg_engine)
    wording = "Executive Directors to be in place from late 2017-18, with most PGDs in place " * 2
    with Session(pg_engine) as session:
        session.add(Milestone(title="Prison groups", reference="M1", due_text=wording))
        session.commit()
        session.add(Milestone(title="Hostel", reference="M" * 31))
        with pytest.raises(ValidationError, match=r"at most 30 characters \(31 given\)"):
            session.flush()
        session.rollback()
        assert session.execute(sa.select(Milestone.reference, Milestone.due_text)).all() == [
            ("M1", wording)
        ]
