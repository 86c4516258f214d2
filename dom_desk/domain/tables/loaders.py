"""Which records each area lists for a year, in its order, with what its columns read."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from dom_desk.domain.tables.spec import LoadContext
from dom_desk.models import (
    Agreement,
    AgreementKind,
    Allocation,
    Competition,
    Milestone,
    Provider,
    Result,
    Risk,
)


def providers(ctx: LoadContext) -> Sequence[Provider]:
    return ctx.session.scalars(select(Provider).order_by(Provider.name)).all()


def agreements(ctx: LoadContext) -> Sequence[Agreement]:
    """The year's SLAs and every contract whose term touches the year."""
    query = (
        select(Agreement)
        .options(
            selectinload(Agreement.provider),
            selectinload(Agreement.lines),
            selectinload(Agreement.variations),
        )
        .where(or_(Agreement.year_id == ctx.year.id, Agreement.kind == AgreementKind.CONTRACT))
        .order_by(Agreement.kind, Agreement.title)
    )
    return ctx.session.scalars(query).all()


def contracts(ctx: LoadContext) -> Sequence[Agreement]:
    return [a for a in agreements(ctx) if a.kind is AgreementKind.CONTRACT]


def allocations(ctx: LoadContext) -> Sequence[Allocation]:
    query = (
        select(Allocation)
        .options(
            selectinload(Allocation.agreement).selectinload(Agreement.provider),
            selectinload(Allocation.service_line),
            selectinload(Allocation.funding_source),
        )
        .where(Allocation.year_id == ctx.year.id)
        .order_by(Allocation.id)
    )
    return ctx.session.scalars(query).all()


def competitions(ctx: LoadContext) -> Sequence[Competition]:
    query = (
        select(Competition)
        .options(selectinload(Competition.stages))
        .order_by(Competition.expiry.is_(None), Competition.expiry, Competition.subject)
    )
    return ctx.session.scalars(query).all()


def results(ctx: LoadContext) -> Sequence[Result]:
    from dom_desk.models import Period

    query = (
        select(Result)
        .join(Period, Result.period_id == Period.id)
        .options(
            selectinload(Result.provider), selectinload(Result.measure), selectinload(Result.period)
        )
        .where(Period.year_id == ctx.year.id, Result.superseded.is_(False))
        .order_by(Period.start, Result.provider_id, Result.measure_id)
    )
    return ctx.session.scalars(query).all()


def risks(ctx: LoadContext) -> Sequence[Risk]:
    return ctx.session.scalars(select(Risk).order_by(Risk.reference)).all()


def milestones(ctx: LoadContext) -> Sequence[Milestone]:
    return ctx.session.scalars(
        select(Milestone).order_by(
            Milestone.due.is_(None), Milestone.due, Milestone.reference, Milestone.id
        )
    ).all()
