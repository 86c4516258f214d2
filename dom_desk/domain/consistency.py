"""Figures that must agree with each other, checked and reported in a DOM's words.

In-transaction layer: :func:`check_figures` runs inside the transaction of
``domain.check``, which opens the file.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from dom_desk.domain.contracts import value_in_period
from dom_desk.domain.money import format_pounds
from dom_desk.domain.overview import allocation_totals_in, envelope_total_in
from dom_desk.domain.periods import period_label
from dom_desk.domain.region import years
from dom_desk.models import (
    Aggregation,
    Agreement,
    AgreementKind,
    Allocation,
    Guidance,
    MeasureUnit,
    Result,
    ServiceLine,
    Submission,
    Target,
)

#: How far a stored rate may sit from numerator / denominator before it is reported.
RATE_SLACK = Decimal("0.05")


def _envelopes(session: Session) -> list[str]:
    problems = []
    for year in years(session):
        envelope = envelope_total_in(session, year.id)
        committed = allocation_totals_in(session, year.id)[3]
        if envelope and committed > envelope:
            problems.append(
                f"{year.label}: allocations ({format_pounds(committed)}) exceed the envelope "
                f"({format_pounds(envelope)}) by {format_pounds(committed - envelope)}."
            )
    return problems


def _allocations(session: Session) -> list[str]:
    problems = []
    query = select(Allocation).options(
        selectinload(Allocation.agreement),
        selectinload(Allocation.service_line),
        selectinload(Allocation.year),
    )
    for allocation in session.scalars(query):
        title = allocation.agreement.title
        line = allocation.service_line
        if line is not None and line.agreement_id != allocation.agreement_id:
            problems.append(
                f"An allocation for '{title}' points at a service line of a different agreement."
            )
        elif line is not None and line.year_id != allocation.year_id:
            problems.append(
                f"The {allocation.year.label} allocation for '{title}' points at a service "
                "line of a different year."
            )
        for stage in ("baseline", "provisional", "agreed"):
            amount = getattr(allocation, stage)
            if amount is not None and amount < 0:
                problems.append(
                    f"{allocation.year.label}, '{title}': the {stage} allocation is "
                    f"{format_pounds(amount)}, but an allocation cannot be negative."
                )
    return problems


def _negative_amounts(session: Session) -> list[str]:
    """Service-line volumes and prices, contract values are never below 0 (an envelope
    line may be: budget tables print central adjustments such as "Centrally Managed (45)")."""
    problems = []
    for service_line in session.scalars(
        select(ServiceLine).options(
            selectinload(ServiceLine.agreement), selectinload(ServiceLine.service)
        )
    ):
        if service_line.volume < 0 or service_line.unit_price < 0:
            problems.append(
                f"'{service_line.agreement.title}', {service_line.service.name}: the volume "
                f"({service_line.volume:,}) or unit price "
                f"({format_pounds(service_line.unit_price)}) is negative."
            )
    for agreement in session.scalars(select(Agreement).where(Agreement.annual_value < 0)):
        problems.append(
            f"'{agreement.title}': the annual value is "
            f"{format_pounds(agreement.annual_value)}, but a value cannot be negative."
        )
    return problems


def _sla_values(session: Session) -> list[str]:
    """An agreed SLA's agreed allocation should equal the value of its service lines."""
    problems = []
    query = select(Agreement).options(selectinload(Agreement.lines))
    for agreement in session.scalars(query.where(Agreement.kind == AgreementKind.SLA)):
        if not agreement.status.locked or agreement.year_id is None:
            continue
        lines = sum(line.value for line in agreement.lines if line.year_id == agreement.year_id)
        agreed = session.scalars(
            select(Allocation.agreed).where(
                Allocation.agreement_id == agreement.id, Allocation.year_id == agreement.year_id
            )
        ).all()
        if lines and agreed and all(a is not None for a in agreed) and sum(agreed) != lines:
            problems.append(
                f"'{agreement.title}' is {agreement.status.label.lower()} at "
                f"{format_pounds(sum(agreed))} but its service lines add up to "
                f"{format_pounds(lines)}."
            )
    return problems


def _targets(session: Session) -> list[str]:
    problems = []
    query = select(Target).options(
        selectinload(Target.measure), selectinload(Target.provider), selectinload(Target.year)
    )
    for target in session.scalars(query):
        measure = target.measure
        if (
            measure.guidance is Guidance.REGIONAL_MINIMUM
            and measure.floor is not None
            and target.value is not None
            and target.value < measure.floor
        ):
            problems.append(
                f"{target.provider.name}, {measure.code} {target.year.label}: target "
                f"{target.value} is below the regional minimum of {measure.floor}."
            )
    return problems


def _result_source(where: str, result: Result, submission: Submission) -> list[str]:
    """A figure must belong to the return it says it came from."""
    problems = []
    if submission.superseded_by_id is not None:
        problems.append(f"{where}: the figure in use comes from a superseded return.")
    if (submission.provider_id, submission.period_id) != (result.provider_id, result.period_id):
        named = f"'{submission.file_name}', " if submission.file_name else ""
        problems.append(
            f"{where}: the figure is recorded as coming from {named}"
            f"{submission.provider.name}'s return for {period_label(submission.period.code)}, "
            "a return for a different provider or period."
        )
    return problems


def _duplicate_results(session: Session) -> list[str]:
    """Only one figure per provider, measure and period may be in use."""
    query = (
        select(Result.provider_id, Result.measure_id, Result.period_id, func.count())
        .where(Result.superseded.is_(False))
        .group_by(Result.provider_id, Result.measure_id, Result.period_id)
        .having(func.count() > 1)
    )
    problems = []
    for provider_id, measure_id, period_id, count in session.execute(query):
        result = session.scalars(
            select(Result)
            .where(
                Result.provider_id == provider_id,
                Result.measure_id == measure_id,
                Result.period_id == period_id,
            )
            .limit(1)
        ).one()
        problems.append(
            f"{result.provider.name}, {result.measure.code}, "
            f"{period_label(result.period.code)}: {count} figures are in use for the same "
            "period; only the latest return's should be."
        )
    return problems


def _superseded_returns(session: Session) -> list[str]:
    problems = []
    query = (
        select(Submission)
        .where(Submission.superseded_by_id.is_not(None))
        .options(selectinload(Submission.provider), selectinload(Submission.period))
    )
    for old in session.scalars(query):
        new = session.get(Submission, old.superseded_by_id)
        if new is not None and (new.provider_id, new.period_id) != (old.provider_id, old.period_id):
            problems.append(
                f"{old.provider.name}'s return for {period_label(old.period.code)} "
                f"('{old.file_name}') is "
                f"marked as replaced by '{new.file_name}', a return for "
                f"{new.provider.name}, {period_label(new.period.code)}."
            )
    return problems


def _results(session: Session) -> list[str]:
    problems = []
    query = select(Result).options(
        selectinload(Result.measure),
        selectinload(Result.provider),
        selectinload(Result.period),
        selectinload(Result.submission),
    )
    for result in session.scalars(query.where(Result.superseded.is_(False))):
        where = f"{result.provider.name}, {result.measure.code}, {period_label(result.period.code)}"
        submission: Submission | None = result.submission
        if submission is not None:
            problems += _result_source(where, result, submission)
        if (
            result.measure.aggregation is Aggregation.RATIO
            and result.actual is not None
            and result.numerator is not None
            and result.denominator
        ):
            ratio = result.numerator / result.denominator
            if result.measure.unit is MeasureUnit.PERCENT:
                ratio *= 100
            if abs(ratio - result.actual) > RATE_SLACK * max(Decimal(1), abs(result.actual)):
                problems.append(
                    f"{where}: the actual ({result.actual}) does not match numerator over "
                    f"denominator ({result.numerator} / {result.denominator})."
                )
    return problems


def _contract_values(session: Session) -> list[str]:
    """A contract's agreed allocation for a year should be what its terms and dated
    variations make it pay in that year (a variation does not move the allocation)."""
    problems = []
    contracts_by_year: dict[tuple[int, int], list[Allocation]] = {}
    query = (
        select(Allocation)
        .join(Allocation.agreement)
        .where(Agreement.kind == AgreementKind.CONTRACT)
        .options(selectinload(Allocation.agreement).selectinload(Agreement.variations))
    )
    for allocation in session.scalars(query):
        contracts_by_year.setdefault((allocation.agreement_id, allocation.year_id), []).append(
            allocation
        )
    labels = {y.id: y for y in years(session)}
    for (_agreement_id, year_id), rows in contracts_by_year.items():
        if any(a.agreed is None for a in rows):
            continue  # not agreed yet: nothing to hold it to
        agreement, year = rows[0].agreement, labels[year_id]
        due = value_in_period(agreement, year.start, year.end)
        agreed = sum(a.agreed or 0 for a in rows)
        if due is not None and due != agreed:
            problems.append(
                f"'{agreement.title}' is worth {format_pounds(due)} in {year.label} under "
                f"its terms and variations, but its agreed allocation is "
                f"{format_pounds(agreed)}: update the allocation, or record the variation."
            )
    return problems


def check_figures(session: Session) -> list[str]:
    """Every disagreement found between figures that must agree."""
    return (
        _envelopes(session)
        + _allocations(session)
        + _negative_amounts(session)
        + _sla_values(session)
        + _contract_values(session)
        + _targets(session)
        + _results(session)
        + _duplicate_results(session)
        + _superseded_returns(session)
    )
