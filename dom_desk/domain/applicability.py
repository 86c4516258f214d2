"""Which measures a provider reports on: one rule, used by templates, imports and views.

Prisons report prison-only and integrated measures; probation providers (Boards, Trusts,
CRCs, NPS divisions) report probation-only and integrated ones. Voluntary-sector and
private providers report only what they were set a target for in the year. A measure
with a target agreed for the provider that year always applies, whatever its scope: a
locally set target is a commitment to report on it. A measure linked to particular
years applies by scope only in those years; one linked to none applies in every year.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, exists, or_, select
from sqlalchemy.orm import Session

from dom_desk.domain.values import natural_key
from dom_desk.models import FinancialYear, Measure, Provider, ProviderKind, Scope, Target
from dom_desk.models.performance import MeasureYear

PRISON_KINDS = frozenset(
    {
        ProviderKind.PUBLIC_PRISON,
        ProviderKind.CONTRACTED_PRISON,
        ProviderKind.PRISON_CLUSTER,
    }
)
PROBATION_KINDS = frozenset(
    {
        ProviderKind.PROBATION_BOARD,
        ProviderKind.PROBATION_TRUST,
        ProviderKind.CRC,
        ProviderKind.NPS_DIVISION,
    }
)


def scopes_for(kind: ProviderKind) -> frozenset[Scope]:
    """The measure scopes that apply to a kind of provider by scope alone."""
    if kind in PRISON_KINDS:
        return frozenset({Scope.PRISON, Scope.INTEGRATED})
    if kind in PROBATION_KINDS:
        return frozenset({Scope.PROBATION, Scope.INTEGRATED})
    return frozenset()


def code_order(code: str) -> tuple:
    """Sorts codes as people read them: ``PT 2`` before ``PT 10``."""
    return natural_key(code)


def in_year_clause(year: FinancialYear) -> ColumnElement[bool]:
    """True for the measures that apply in ``year``: linked to it, or to no year."""
    linked = exists().where(MeasureYear.measure_id == Measure.id)
    this_year = exists().where(MeasureYear.measure_id == Measure.id, MeasureYear.year_id == year.id)
    return ~linked | this_year


def _applies_clause(provider: Provider, year: FinancialYear) -> ColumnElement[bool]:
    targeted = select(Target.measure_id).where(
        Target.provider_id == provider.id, Target.year_id == year.id
    )
    clause = Measure.id.in_(targeted)
    scopes = scopes_for(provider.kind)
    if scopes:
        by_scope = Measure.scope.in_(scopes) & Measure.reported_by_providers.is_(True)
        clause = or_(clause, by_scope & in_year_clause(year))
    return clause


def measure_ids_for(session: Session, provider: Provider, year: FinancialYear) -> set[int]:
    """Ids of the measures that apply to ``provider`` in ``year`` (see module docstring)."""
    return set(session.scalars(select(Measure.id).where(_applies_clause(provider, year))))


def measures_for(session: Session, provider: Provider, year: FinancialYear) -> list[Measure]:
    """The measures that apply to ``provider`` in ``year``, in code order."""
    found = session.scalars(select(Measure).where(_applies_clause(provider, year))).all()
    return sorted(found, key=lambda m: code_order(m.code))


def applies(measure: Measure, provider: Provider, has_target: bool) -> bool:
    """The same rule for one measure, when the caller already knows about the target."""
    return has_target or measure.scope in scopes_for(provider.kind)
