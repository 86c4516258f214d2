"""Figures that must agree with each other, checked and reported in a DOM's words."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from dom_desk.domain.money import format_pounds
from dom_desk.domain.overview import allocation_totals, envelope_total
from dom_desk.domain.region import years
from dom_desk.models import (
    Aggregation,
    Agreement,
    AgreementKind,
    Allocation,
    Guidance,
    MeasureUnit,
    Result,
    Submission,
    Target,
)

#: How far a stored rate may sit from numerator / denominator before it is reported.
RATE_SLACK = Decimal("0.05")


def _envelopes(session: Session) -> list[str]:
    problems = []
    for year in years(session):
        envelope = envelope_total(session, year.id)
        committed = allocation_totals(session, year.id)[3]
        if envelope and committed > envelope:
            problems.append(
                f"{year.label}: allocations ({format_pounds(committed)}) exceed the envelope "
                f"({format_pounds(envelope)}) by {format_pounds(committed - envelope)}.")
    return problems


def _allocations(session: Session) -> list[str]:
    problems = []
    query = select(Allocation).options(selectinload(Allocation.agreement),
                                       selectinload(Allocation.service_line))
    for allocation in session.scalars(query):
        line = allocation.service_line
        if line is not None and line.agreement_id != allocation.agreement_id:
            problems.append(
                f"An allocation for '{allocation.agreement.title}' points at a service line "
                "of a different agreement.")
    return problems


def _sla_values(session: Session) -> list[str]:
    """An agreed SLA's agreed allocation should equal the value of its service lines."""
    problems = []
    query = select(Agreement).options(selectinload(Agreement.lines))
    for agreement in session.scalars(query.where(Agreement.kind == AgreementKind.SLA)):
        if not agreement.status.locked or agreement.year_id is None:
            continue
        lines = sum(line.value for line in agreement.lines if line.year_id == agreement.year_id)
        agreed = session.scalars(select(Allocation.agreed).where(
            Allocation.agreement_id == agreement.id,
            Allocation.year_id == agreement.year_id)).all()
        if lines and agreed and all(a is not None for a in agreed) and sum(agreed) != lines:
            problems.append(
                f"'{agreement.title}' is {agreement.status.label.lower()} at "
                f"{format_pounds(sum(agreed))} but its service lines add up to "
                f"{format_pounds(lines)}.")
    return problems


def _targets(session: Session) -> list[str]:
    problems = []
    query = select(Target).options(selectinload(Target.measure), selectinload(Target.provider),
                                   selectinload(Target.year))
    for target in session.scalars(query):
        measure = target.measure
        if (measure.guidance is Guidance.REGIONAL_MINIMUM and measure.floor is not None
                and target.value is not None and target.value < measure.floor):
            problems.append(
                f"{target.provider.name}, {measure.code} {target.year.label}: target "
                f"{target.value} is below the regional minimum of {measure.floor}.")
    return problems


def _results(session: Session) -> list[str]:
    problems = []
    query = select(Result).options(selectinload(Result.measure), selectinload(Result.provider),
                                   selectinload(Result.period), selectinload(Result.submission))
    for result in session.scalars(query.where(Result.superseded.is_(False))):
        where = f"{result.provider.name}, {result.measure.code}, {result.period.code}"
        submission: Submission | None = result.submission
        if submission is not None and submission.superseded_by_id is not None:
            problems.append(f"{where}: the figure in use comes from a superseded return.")
        if (result.measure.aggregation is Aggregation.RATIO and result.actual is not None
                and result.numerator is not None and result.denominator):
            ratio = result.numerator / result.denominator
            if result.measure.unit is MeasureUnit.PERCENT:
                ratio *= 100
            if abs(ratio - result.actual) > RATE_SLACK * max(Decimal(1), abs(result.actual)):
                problems.append(
                    f"{where}: the actual ({result.actual}) does not match numerator over "
                    f"denominator ({result.numerator} / {result.denominator}).")
    return problems


def check_figures(session: Session) -> list[str]:
    """Every disagreement found between figures that must agree."""
    return (_envelopes(session) + _allocations(session) + _sla_values(session)
            + _targets(session) + _results(session))
