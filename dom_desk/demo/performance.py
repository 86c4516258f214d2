"""The demo's measures, targets and monthly returns.

Returns are generated, not stored: a seeded ``random.Random`` varies each month's figures
around the provider's target, so the demo is the same every time. Most results meet
their targets; the providers in ``measures.MISSES`` clearly miss theirs. All arithmetic is
``Decimal``.

Takes the session of ``build_demo``'s one transaction (see ``builder``).
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from sqlalchemy.orm import Session

from dom_desk.demo import measures as m
from dom_desk.demo.data import (
    CONTRACTS,
    CURRENT_YEAR,
    PREVIOUS_YEAR,
    PROVIDERS,
    RECORDED_BY,
    ProviderRow,
)
from dom_desk.models import (
    Direction,
    FinancialYear,
    Guidance,
    Measure,
    MeasureUnit,
    Period,
    PeriodKind,
    Provider,
    Result,
    Scope,
    Sector,
    Submission,
    Target,
)
from dom_desk.models.performance import MeasureYear

RESULT_SOURCE = "demo (illustrative)"
UNSET_NOTE = "Not yet agreed: the SLA is still being negotiated."
MEASURE_ROWS: dict[str, m.MeasureRow] = {row.code: row for row in m.MEASURES}
_HUNDREDTH, _TENTH = Decimal("0.01"), Decimal("0.1")

#: Target key: provider name, measure code, year label.
TargetKey = tuple[str, str, str]


def code_key(code: str) -> str:
    """How Measure.code_key is written: upper case, no spaces ("PT 9a" -> "PT9A")."""
    return code.upper().replace(" ", "")


def add_performance(
    session: Session,
    years: dict[str, FinancialYear],
    providers: dict[str, Provider],
    volumes: dict[tuple[str, str], int],
) -> None:
    """Measures (linked to their years), both years' targets, and the monthly returns
    received so far, each only in the years its measure applies to."""
    measures = _add_measures(session, years)
    targets = _add_targets(session, years, providers, measures, volumes)
    _add_returns(session, years, providers, measures, targets)


def _add_measures(session: Session, years: dict[str, FinancialYear]) -> dict[str, Measure]:
    measures = {
        row.code: Measure(
            code=row.code,
            code_key=code_key(row.code),
            title=row.title,
            area=row.area,
            unit=row.unit,
            direction=row.direction,
            scope=row.scope,
            guidance=row.guidance,
            aggregation=row.aggregation,
            national_value=_decimal(row.national_value),
            floor=_decimal(row.floor),
            weighting=row.weighting,
            source=row.source,
            notes=row.notes,
            reported_by_providers=row.code not in m.SYSTEM_ONLY,
            years=[MeasureYear(year=years[label]) for label in m.YEARS_OF.get(row.code, ())],
        )
        for row in m.MEASURES
    }
    session.add_all(measures.values())
    return measures


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


# -- targets ------------------------------------------------------------------------------


def applies(measure: m.MeasureRow, provider: ProviderRow) -> bool:
    """Whether the provider has a target for the measure (by scope, sector, contract)."""
    if measure.code in m.SYSTEM_ONLY:
        return False
    if provider.group == "vcs":
        return (provider.name, measure.code) in m.PROVIDER_TARGETS
    if measure.code in m.PUBLIC_SECTOR_ONLY and provider.sector is not Sector.PUBLIC:
        return False
    wanted = Scope.PROBATION if provider.group == "probation" else Scope.PRISON
    return measure.scope in (wanted, Scope.INTEGRATED)


def _years_held(provider: ProviderRow) -> tuple[str, ...]:
    """Voluntary and private providers have targets only in years their contract runs."""
    if provider.group != "vcs":
        return (PREVIOUS_YEAR, CURRENT_YEAR)
    return tuple(label for c in CONTRACTS if c.provider == provider.name for label in c.lines)


def target_value(
    measure: m.MeasureRow, provider: ProviderRow, label: str, volumes: dict[tuple[str, str], int]
) -> Decimal | None:
    """The provider's target for the year, or None where it is not yet agreed."""
    if label == CURRENT_YEAR and (provider.name, measure.code) in m.UNSET_TARGETS:
        return None
    if measure.guidance is Guidance.NATIONAL and measure.national_value is not None:
        return Decimal(measure.national_value)
    previous = label == PREVIOUS_YEAR
    earlier = m.PREVIOUS_GROUP_TARGETS.get(measure.code, {}) if previous else {}
    if provider.group in earlier:
        return Decimal(earlier[provider.group])
    if (provider.name, measure.code) in m.PROVIDER_TARGETS:
        return Decimal(m.PROVIDER_TARGETS[provider.name, measure.code])
    if measure.unit is MeasureUnit.COUNT:
        count = _count_target(measure.code, provider, volumes)
        return Decimal(count * m.PREVIOUS_COUNT_PERCENT // 100 if previous else count)
    return Decimal(m.GROUP_TARGETS[measure.code][provider.group])


def _count_target(code: str, provider: ProviderRow, volumes: dict[tuple[str, str], int]) -> int:
    """The volume the SLA buys where it buys one, else a share of the caseload."""
    service = m.COUNT_FROM_LINE.get(code)
    if service is not None and (provider.name, service) in volumes:
        return volumes[provider.name, service]
    assert provider.caseload is not None, provider.name
    share = Decimal(provider.caseload) * Decimal(m.COUNT_PER_CASELOAD[code])
    return int(share.to_integral_value(ROUND_HALF_UP))


def _add_targets(
    session: Session,
    years: dict[str, FinancialYear],
    providers: dict[str, Provider],
    measures: dict[str, Measure],
    volumes: dict[tuple[str, str], int],
) -> dict[TargetKey, Decimal | None]:
    values: dict[TargetKey, Decimal | None] = {}
    for provider in PROVIDERS:
        for row in m.MEASURES:
            if not applies(row, provider):
                continue
            for label in _years_held(provider):
                if not m.applies_in(row.code, label):
                    continue
                value = target_value(row, provider, label, volumes)
                values[provider.name, row.code, label] = value
                session.add(
                    Target(
                        measure=measures[row.code],
                        provider=providers[provider.name],
                        year=years[label],
                        value=value,
                        minimum=_minimum(row, value),
                        notes=UNSET_NOTE
                        if value is None
                        else m.target_note(row.code, provider.group, label, value),
                    )
                )
    return values


def _minimum(measure: m.MeasureRow, value: Decimal | None) -> Decimal | None:
    """A Regional Minimum target above the floor keeps the floor as its minimum."""
    floor = _decimal(measure.floor)
    return floor if floor is not None and value is not None and value > floor else None


# -- monthly returns ----------------------------------------------------------------------


def returned_codes(provider: ProviderRow) -> tuple[str, ...]:
    """Measures the provider reports monthly (voluntary providers report otherwise)."""
    if provider.group == "vcs":
        return ()
    codes = m.PROBATION_RETURNS if provider.group == "probation" else m.PRISON_RETURNS
    return tuple(code for code in codes if applies(MEASURE_ROWS[code], provider))


def _months(years: dict[str, FinancialYear]) -> dict[tuple[int, int], Period]:
    return {
        (p.start.year, p.start.month): p
        for year in years.values()
        for p in year.periods
        if p.kind is PeriodKind.MONTH
    }


def _add_returns(
    session: Session,
    years: dict[str, FinancialYear],
    providers: dict[str, Provider],
    measures: dict[str, Measure],
    targets: dict[TargetKey, Decimal | None],
) -> None:
    rng = random.Random(m.SEED)
    submissions = _submissions(rng, providers, _months(years))
    session.add_all(submission for _, _, submission in submissions)
    # Results then carry plain ids: thousands of relationship assignments cost seconds.
    session.flush()
    misses = {(miss.provider, miss.code): miss for miss in m.MISSES}
    for provider, month, submission in submissions:
        label = submission.period.year.label
        for code in returned_codes(provider):
            if not m.applies_in(code, label):
                continue
            level = _level(targets, provider.name, code, label)
            miss = misses.get((provider.name, code))
            actual, numerator, denominator = _figure(
                rng,
                MEASURE_ROWS[code],
                provider,
                level,
                Decimal(miss.severity) if miss else None,
                m.ESCAPES.get((provider.name, month), 0),
            )
            session.add(
                Result(
                    provider_id=submission.provider_id,
                    measure_id=measures[code].id,
                    period_id=submission.period_id,
                    submission_id=submission.id,
                    actual=actual,
                    numerator=numerator,
                    denominator=denominator,
                    commentary=miss.commentary if miss else "",
                    source=RESULT_SOURCE,
                    entered_at=submission.received_at,
                    entered_by=RECORDED_BY,
                )
            )


def _submissions(
    rng: random.Random, providers: dict[str, Provider], months: dict[tuple[int, int], Period]
) -> list[tuple[ProviderRow, tuple[int, int], Submission]]:
    """One return a month from every prison and probation area, bar the one missing."""
    made = []
    for provider in PROVIDERS:
        for month in m.RETURN_MONTHS if returned_codes(provider) else ():
            if (provider.name, month) == m.MISSING_RETURN:
                continue
            period = months[month]
            received = _received(rng, period, m.LATE_RETURNS.get((provider.name, month)))
            made.append(
                (
                    provider,
                    month,
                    Submission(
                        provider=providers[provider.name],
                        period=period,
                        received_at=received,
                        received_by=RECORDED_BY,
                    ),
                )
            )
    return made


def _level(
    targets: dict[TargetKey, Decimal | None], provider: str, code: str, label: str
) -> Decimal:
    """What the provider performs around: its target, or the other year's if not set."""
    value = targets[provider, code, label]
    if value is None:
        other = PREVIOUS_YEAR if label == CURRENT_YEAR else CURRENT_YEAR
        value = targets[provider, code, other]
    assert value is not None, (provider, code)
    return value


def _received(rng: random.Random, period: Period, days_late: int | None) -> datetime:
    if days_late is not None:
        return datetime.combine(period.due + timedelta(days=days_late), time(14, 30))
    day = period.due - timedelta(days=rng.randint(0, 6))
    return datetime.combine(day, time(rng.randint(8, 16), rng.choice((0, 15, 30, 45))))


def _factor(rng: random.Random, low: int, high: int) -> Decimal:
    """A random factor between ``low`` and ``high`` basis points (10000 = 1), exact."""
    return Decimal(rng.randint(low, high)) / 10000


def _figure(
    rng: random.Random,
    measure: m.MeasureRow,
    provider: ProviderRow,
    level: Decimal,
    miss: Decimal | None,
    escapes: int,
) -> tuple[Decimal, Decimal | None, Decimal | None]:
    """A month's actual, numerator and denominator for one measure."""
    near = rng.randrange(m.NEAR_ONE_IN) == 0 and miss is None
    if measure.unit is MeasureUnit.COUNT:
        return _monthly_count(rng, level, miss), None, None
    aim = _aim(rng, level, measure.direction, miss, near)
    if measure.unit is MeasureUnit.DAYS:
        return aim.quantize(_TENTH, ROUND_HALF_UP), None, None
    denominator = _denominator(rng, measure.code, provider)
    if measure.code == "KPI 3":
        numerator = Decimal(escapes)
    else:
        numerator = _numerator(denominator, aim, measure.direction, miss)
    actual = (numerator * 100 / denominator).quantize(_HUNDREDTH, ROUND_HALF_UP)
    return actual, numerator, denominator


def _monthly_count(rng: random.Random, annual: Decimal, miss: Decimal | None) -> Decimal:
    """A twelfth of the annual target, a little over it, or well under when missing."""
    factor = 1 - miss if miss is not None else _factor(rng, 9800, 11500)
    return (annual * factor / 12).quantize(Decimal(1), ROUND_HALF_UP)


def _aim(
    rng: random.Random, level: Decimal, direction: Direction, miss: Decimal | None, near: bool
) -> Decimal:
    """The rate the provider achieves this month, on the right or wrong side of target."""
    higher = direction is Direction.HIGHER
    if miss is not None:
        return level * (1 - miss) if higher else level * (1 + miss)
    if near:
        gap = level * _factor(rng, 50, 400)
        return level - gap if higher else level + gap
    if higher:
        return min(Decimal(100), level * (1 + _factor(rng, 100, 1500)))
    return level * _factor(rng, 7000, 9700)


def _denominator(rng: random.Random, code: str, provider: ProviderRow) -> Decimal:
    """Cases in the month: tests, reports, completions, staff, or prisoner-years."""
    if provider.group == "probation":
        assert provider.caseload is not None
        base = provider.caseload * Decimal(m.PROBATION_CASES[code])
    else:
        assert provider.capacity is not None
        if code in m.PRISONER_YEAR_MEASURES:
            population = provider.capacity * _factor(rng, 9400, 10000)
            return (population / 12).quantize(_HUNDREDTH, ROUND_HALF_UP)
        per_place = (
            m.DISCHARGES_PER_PLACE[provider.group]
            if code in ("KPI 8", "KPI 9")
            else m.PRISON_CASES[code]
        )
        base = provider.capacity * Decimal(per_place)
    return max(Decimal(1), (base * _factor(rng, 9000, 11000)).quantize(Decimal(1), ROUND_HALF_UP))


def _numerator(
    denominator: Decimal, aim: Decimal, direction: Direction, miss: Decimal | None
) -> Decimal:
    """Whole cases at the aimed rate, rounded towards the target unless the month misses it
    (small prisons' few cases would otherwise tip a near month into a miss)."""
    favourable = (direction is Direction.HIGHER) == (miss is None)
    exact = denominator * aim / 100
    whole = exact.to_integral_value(ROUND_CEILING if favourable else ROUND_FLOOR)
    return min(max(whole, Decimal(0)), denominator.to_integral_value(ROUND_FLOOR))
