"""Values an area shows that are worked out, not stored: a variance, a status, a score.

Each takes the record and the load's context (which caches what several rows share).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from dom_desk.domain.competitions import stage_fuzzy
from dom_desk.domain.matrix.names import short_name
from dom_desk.domain.money import variance_percent
from dom_desk.domain.performance import period_status
from dom_desk.domain.periods import format_date, period_label
from dom_desk.domain.region import risk_matrix
from dom_desk.domain.tables.spec import LoadContext
from dom_desk.models import (
    ActionStage,
    Agreement,
    Allocation,
    Competition,
    PerformanceAction,
    Provider,
    Result,
    Risk,
    Target,
)


def provider_name(obj: Any, _ctx: LoadContext) -> str:
    return obj.provider.name if obj.provider else ""


def agreement_value(agreement: Agreement, ctx: LoadContext) -> int:
    return sum(line.value for line in agreement.lines if line.year_id == ctx.year.id)


def alloc_variance(allocation: Allocation, _ctx: LoadContext) -> int | None:
    reference = allocation.provisional
    latest = allocation.agreed
    return None if latest is None or reference is None else latest - reference


def alloc_variance_pct(allocation: Allocation, _ctx: LoadContext) -> Decimal | None:
    return variance_percent(allocation.agreed, allocation.provisional)


def _targets(ctx: LoadContext) -> dict[tuple[int, int], Decimal | None]:
    if "targets" not in ctx.cache:
        rows = ctx.session.execute(
            select(Target.measure_id, Target.provider_id, Target.value).where(
                Target.year_id == ctx.year.id
            )
        )
        ctx.cache["targets"] = {(m, p): v for m, p, v in rows}
    return ctx.cache["targets"]


def result_target(result: Result, ctx: LoadContext) -> Decimal | None:
    return _targets(ctx).get((result.measure_id, result.provider_id))


def result_status(result: Result, ctx: LoadContext) -> str:
    # A month's count is held to a twelfth of the year's target, a rate to the rate.
    return period_status(
        result.measure, result.actual, result_target(result, ctx), result.period.kind
    ).label


def risk_score(risk: Risk, ctx: LoadContext) -> int | None:
    if "matrix" not in ctx.cache:
        ctx.cache["matrix"] = risk_matrix(ctx.session)
    return ctx.cache["matrix"].get((risk.likelihood, risk.impact))


def stage_summary(competition: Competition, _ctx: LoadContext) -> str:
    upcoming = [s for s in competition.stages if s.actual is None]
    if not upcoming:
        return "Complete"
    nxt = upcoming[0]
    # A fuzzy date ("Summer 2009") shows its wording, so the date beside it reads as the
    # best estimate it is.
    if nxt.planned_text and stage_fuzzy(nxt):
        return f"{nxt.stage.label} ({nxt.planned_text})"
    return nxt.stage.label


def next_stage_date(competition: Competition, _ctx: LoadContext) -> Any:
    upcoming = [s for s in competition.stages if s.actual is None]
    return upcoming[0].planned if upcoming else None


def provider_actions(provider: Provider, ctx: LoadContext) -> str:
    """The provider's open performance actions, a line each: "KPI 6 Drug misuse (Sep
    2009): Improvement plan agreed, due 30/11/2009; owner …" (the Actions tab of the
    Performance page holds them and their notes)."""
    if "actions" not in ctx.cache:
        found: dict[int, list[str]] = {}
        query = (
            select(PerformanceAction)
            .where(PerformanceAction.stage != ActionStage.CLOSED)
            .options(
                selectinload(PerformanceAction.measure), selectinload(PerformanceAction.period)
            )
            .order_by(PerformanceAction.due.is_(None), PerformanceAction.due, PerformanceAction.id)
        )
        for action in ctx.session.scalars(query):
            found.setdefault(action.provider_id, []).append(_action_line(action))
        ctx.cache["actions"] = found
    return "\n".join(ctx.cache["actions"].get(provider.id, ()))


def _action_line(action: PerformanceAction) -> str:
    subject = action.title
    if action.measure is not None:
        name = short_name(action.measure.code, action.measure.title)
        subject = (
            action.measure.code if name == action.measure.code else f"{action.measure.code} {name}"
        )
    if action.period is not None:
        subject += f" ({period_label(action.period.code)})"
    line = f"{subject}: {action.stage.label}"
    if action.due is not None:
        line += f", due {format_date(action.due)}"
    return line + (f"; owner {action.owner}" if action.owner else "")
