"""Return templates for providers: one file per provider and period, or a batch for all."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from dom_desk.domain.applicability import measures_for
from dom_desk.domain.provider_match import match_provider
from dom_desk.domain.region import period_by_code, region, today, year_by_label
from dom_desk.errors import ValidationError
from dom_desk.models import MeasureUnit, Period, PeriodKind, Provider, Target
from dom_desk.readers.returns_format import TemplateLine, TemplateSpec
from dom_desk.storage import audit
from dom_desk.storage.workbook import Workbook


def period_text(period: Period) -> str:
    """What a period covers in words: "April to June 2009", "April 2009", "April 2009 to
    March 2010"."""
    if period.kind is PeriodKind.MONTH:
        return f"{period.start:%B %Y}"
    first = (
        f"{period.start:%B}" if period.start.year == period.end.year else f"{period.start:%B %Y}"
    )
    return f"{first} to {period.end:%B %Y}"


def value_kind(unit: MeasureUnit) -> str:
    if unit is MeasureUnit.PERCENT:
        return "percent"
    if unit is MeasureUnit.COUNT:
        return "count"
    return "number"


def find_provider(session: Session, name: str) -> Provider:
    """The provider called ``name`` (or one of its aliases); suggests the nearest if none."""
    found = match_provider(session, name)
    if not found.exact:
        hint = f" Did you mean '{found.name}'?" if found.name else ""
        raise ValidationError(f"There is no provider called '{name}'.{hint}", "Provider")
    provider = session.get(Provider, found.provider_id)
    assert provider is not None
    return provider


def template_spec(session: Session, provider: Provider, period: Period) -> TemplateSpec:
    """Everything a template for ``provider`` and ``period`` shows, read from the workbook."""
    home = region(session)
    year = period.year
    targets = dict(
        session.execute(
            select(Target.measure_id, Target.value).where(
                Target.provider_id == provider.id, Target.year_id == year.id
            )
        ).all()
    )
    lines = [
        TemplateLine(
            code=m.code,
            title=m.title,
            unit=m.unit.label,
            target=targets.get(m.id),
            value_kind=value_kind(m.unit),
        )
        for m in measures_for(session, provider, year)
    ]
    return TemplateSpec(
        region=home.name,
        workbook_uuid=home.workbook_uuid,
        dom_title=home.dom_title,
        provider=provider.name,
        provider_id=provider.id,
        contact=provider.contact or "",
        period_code=period.code,
        period_text=period_text(period),
        due=period.due,
        lines=lines,
        generated_at=audit.now(),
        generated_by=audit.current_user(),
    )


def provider_spec(wb: Workbook, provider_name: str, period_code: str) -> TemplateSpec:
    """What one provider's return for a period asks for, read in one transaction."""
    with wb.session() as session:
        provider = find_provider(session, provider_name)
        period = period_by_code(session, period_code)
        return template_spec(session, provider, period)


def period_specs(
    wb: Workbook, period_code: str, provider_names: Sequence[str] | None = None
) -> list[TemplateSpec]:
    """What each provider's return for a period asks for (every provider unless named),
    read in one transaction so the templates of one batch agree with each other."""
    with wb.session() as session:
        period = period_by_code(session, period_code)
        if provider_names is None:
            providers = list(session.scalars(select(Provider).order_by(Provider.name)))
        else:
            providers = [find_provider(session, name) for name in provider_names]
        return [template_spec(session, p, period) for p in providers]


def template_choices(wb: Workbook, year_label: str) -> tuple[list[str], list[str]]:
    """Provider names and period codes of a year, for a dialog's lists."""
    with wb.session() as session:
        year = year_by_label(session, year_label)
        providers = list(session.scalars(select(Provider.name).order_by(Provider.name)))
        periods = [p.code for p in year.periods]
    return providers, periods


def suggested_period(wb: Workbook, year_label: str) -> str | None:
    """The period templates are most likely wanted for: the year's latest quarter to
    have ended by the workbook's date (returns are asked for once a quarter is over),
    else its first quarter."""
    with wb.session() as session:
        year = year_by_label(session, year_label)
        on = today(session)
        quarters = [p for p in year.periods if p.kind is PeriodKind.QUARTER]
        ended = [p for p in quarters if p.end <= on]
        chosen = ended[-1] if ended else (quarters[0] if quarters else None)
        return chosen.code if chosen is not None else None
