"""A small region with known returns, for the performance tests (no demo needed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from dom_desk.domain.region import ensure_year, set_setting
from dom_desk.models import (
    Aggregation,
    Direction,
    Guidance,
    Measure,
    MeasureUnit,
    Period,
    Provider,
    ProviderKind,
    Result,
    Scope,
    Sector,
    Submission,
    Target,
)

AS_OF = "2009-11-20"  # April to October 2009 returns are due; November's is not


@dataclass
class Ids:
    providers: dict[str, int] = field(default_factory=dict)
    measures: dict[str, int] = field(default_factory=dict)
    periods: dict[str, int] = field(default_factory=dict)


def measure(
    code: str,
    unit: MeasureUnit,
    aggregation: Aggregation,
    direction: Direction = Direction.HIGHER,
    scope: Scope = Scope.INTEGRATED,
    guidance: Guidance = Guidance.NATIONAL,
    weighting: int | None = None,
    tolerance: str = "5",
) -> Measure:
    return Measure(
        code=code,
        code_key=code.replace(" ", "").upper(),
        title=f"Measure {code}",
        unit=unit,
        aggregation=aggregation,
        direction=direction,
        scope=scope,
        guidance=guidance,
        weighting=weighting,
        tolerance=Decimal(tolerance),
    )


def add_result(
    session,
    ids: Ids,
    provider: str,
    code: str,
    period: str,
    actual: str | None,
    numerator: str | None = None,
    denominator: str | None = None,
    source: str = "keyed in",
    submission: Submission | None = None,
    superseded: bool = False,
) -> Result:
    result = Result(
        provider_id=ids.providers[provider],
        measure_id=ids.measures[code],
        period_id=ids.periods[period],
        submission=submission,
        actual=None if actual is None else Decimal(actual),
        numerator=None if numerator is None else Decimal(numerator),
        denominator=None if denominator is None else Decimal(denominator),
        source=source,
        entered_at=datetime(2009, 11, 1, 9, 0),
        entered_by="test",
        superseded=superseded,
    )
    session.add(result)
    return result


def build_region(wb) -> Ids:
    """Three providers, five measures, targets for 2009-10 and returns for Apr to Oct."""
    ids = Ids()
    with wb.session() as session:
        set_setting(session, "as_of", AS_OF)
        ensure_year(session, "2008-09")
        providers = [
            Provider(name="HMP Alpha", kind=ProviderKind.PUBLIC_PRISON, sector=Sector.PUBLIC),
            Provider(name="HMP Beta", kind=ProviderKind.CONTRACTED_PRISON, sector=Sector.PRIVATE),
            Provider(
                name="Gamma Probation Trust",
                kind=ProviderKind.PROBATION_TRUST,
                sector=Sector.PUBLIC,
            ),
        ]
        measures = [
            measure("PT 1", MeasureUnit.PERCENT, Aggregation.RATIO, weighting=60),
            measure(
                "DRUG",
                MeasureUnit.PERCENT,
                Aggregation.RATIO,
                Direction.LOWER,
                Scope.PRISON,
                Guidance.REGIONAL_MINIMUM,
            ),
            measure(
                "UPW",
                MeasureUnit.COUNT,
                Aggregation.SUM,
                scope=Scope.PROBATION,
                guidance=Guidance.LOCALLY_SET,
                weighting=40,
            ),
            measure("POP", MeasureUnit.COUNT, Aggregation.LATEST, scope=Scope.PRISON),
            measure("ESC", MeasureUnit.COUNT, Aggregation.SUM, Direction.LOWER, Scope.PRISON),
        ]
        session.add_all(providers + measures)
        session.flush()
        ids.providers = {p.name: p.id for p in providers}
        ids.measures = {m.code: m.id for m in measures}
        ids.periods = {p.code: p.id for p in session.scalars(select(Period))}
        year_id = session.scalar(select(Period.year_id).where(Period.code == "2009-10"))
        targets = {
            ("HMP Alpha", "PT 1"): "90",
            ("HMP Alpha", "DRUG"): "9.3",
            ("HMP Alpha", "POP"): "500",
            ("HMP Alpha", "ESC"): "0",
            ("HMP Beta", "PT 1"): "90",
            ("HMP Beta", "DRUG"): "9.3",
            ("HMP Beta", "POP"): None,
            ("HMP Beta", "ESC"): "0",
            ("Gamma Probation Trust", "PT 1"): "90",
            ("Gamma Probation Trust", "UPW"): "1200",
        }
        for (provider, code), value in targets.items():
            session.add(
                Target(
                    measure_id=ids.measures[code],
                    provider_id=ids.providers[provider],
                    year_id=year_id,
                    value=None if value is None else Decimal(value),
                )
            )
        months = ["2009-04", "2009-05", "2009-06", "2009-07", "2009-08", "2009-09", "2009-10-M"]
        for i, month in enumerate(months):
            # Alpha: PT 1 from parts; the parts vary so an average of percentages differs.
            num, den = ("9", "10") if i % 2 == 0 else ("90", "100")
            actual = str(Decimal(num) / Decimal(den) * 100)
            add_result(session, ids, "HMP Alpha", "PT 1", month, actual, num, den)
            add_result(session, ids, "HMP Alpha", "DRUG", month, "8.5", "17", "200")
            add_result(session, ids, "HMP Alpha", "POP", month, str(480 + i))
            add_result(session, ids, "HMP Alpha", "ESC", month, "0")
            add_result(session, ids, "Gamma Probation Trust", "UPW", month, "100")
            add_result(session, ids, "Gamma Probation Trust", "PT 1", month, "91", "91", "100")
            if month != "2009-10-M":  # Beta has not sent October's return
                add_result(session, ids, "HMP Beta", "PT 1", month, "80", "80", "100")
                add_result(session, ids, "HMP Beta", "DRUG", month, "9.6", "48", "500")
                add_result(session, ids, "HMP Beta", "ESC", month, "1" if i == 2 else "0")
    return ids
