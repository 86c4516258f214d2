"""Need and demand: the figures a region plans from, per provider (a prison, a probation
area) and financial year: caseloads, prison population and capacity, offenders by OGRS
band (seed 002's targeting bands), reoffending rates, and demand for a service in the
service's own unit, which is set against the volume commissioned."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dom_desk.models.base import Base, Labelled, Versioned
from dom_desk.models.providers import Provider, Service


class DemandKind(Labelled):
    CASELOAD_COMMUNITY = "Caseload: community orders"
    CASELOAD_SUSPENDED = "Caseload: suspended sentence orders"
    CASELOAD_LICENCE = "Caseload: licence and pre-release"
    PRISON_POPULATION = "Prison population"
    CAPACITY = "Operational capacity"
    OGRS_LOW = "OGRS 0-24% (low)"
    OGRS_MEDIUM = "OGRS 25-49% (medium)"
    OGRS_HIGH = "OGRS 50-74% (high)"
    OGRS_VERY_HIGH = "OGRS 75-89% (very high)"
    OGRS_EXTREME = "OGRS 90-100% (extremely high)"
    REOFFENDING_RATE = "Proven reoffending rate (%)"
    #: Demand for one service, in its unit (places, completions), set against the
    #: volume the provider is commissioned for.
    SERVICE = "Demand for a service"


class DemandFigure(Versioned, Base):
    """One figure; a provider has at most one of each kind (and service) a year, which
    the domain enforces (a unique index would let NULL services repeat)."""

    __tablename__ = "demand_figure"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id", ondelete="CASCADE"))
    #: The financial year, "2009-10": a label rather than a link, so figures from years
    #: before the workbook's first (the trend a forecast needs) add no years to it.
    year: Mapped[str] = mapped_column(String(7))
    kind: Mapped[DemandKind]
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id", ondelete="RESTRICT"))
    value: Mapped[Decimal]
    #: Where the figure came from ("OMSQ bulletin, March 2009"; a file and cell).
    source: Mapped[str] = mapped_column(Text, default="")

    provider: Mapped[Provider] = relationship()
    service: Mapped[Service | None] = relationship()
