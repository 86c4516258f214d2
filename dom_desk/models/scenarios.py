"""Negotiation scenarios: named sets of draft changes, kept apart from the real figures."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dom_desk.models.agreements import Allocation, ServiceLine
from dom_desk.models.base import Base, Labelled, Versioned
from dom_desk.models.performance import Measure
from dom_desk.models.providers import Provider
from dom_desk.models.region import FinancialYear


class ScenarioStatus(Labelled):
    DRAFT = "Draft"
    ACCEPTED = "Accepted"
    DISCARDED = "Discarded"


class Scenario(Versioned, Base):
    """A "what if" for one year, drafted at the negotiating table."""

    __tablename__ = "scenario"
    __table_args__ = (UniqueConstraint("year_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year_id: Mapped[int] = mapped_column(ForeignKey("financial_year.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    status: Mapped[ScenarioStatus] = mapped_column(default=ScenarioStatus.DRAFT)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(80))

    year: Mapped[FinancialYear] = relationship()
    changes: Mapped[list[ScenarioChange]] = relationship(
        back_populates="scenario", cascade="all, delete-orphan", order_by="ScenarioChange.id"
    )


class ScenarioChange(Base):
    """One drafted figure: an allocation, a service line or a target field.

    ``base_value`` is the figure as it stood when the change was drafted, so accepting
    can refuse when the real figure has moved since. Values are stored as exact text
    (pence as whole numbers, targets as decimals); empty means "no figure".
    """

    __tablename__ = "scenario_change"
    __table_args__ = (
        CheckConstraint(
            # CASE, not (x IS NOT NULL) + ...: PostgreSQL cannot add booleans.
            "CASE WHEN allocation_id IS NOT NULL THEN 1 ELSE 0 END"
            " + CASE WHEN service_line_id IS NOT NULL THEN 1 ELSE 0 END"
            " + CASE WHEN measure_id IS NOT NULL THEN 1 ELSE 0 END = 1",
            name="one_subject",
        ),
        CheckConstraint(
            "measure_id IS NULL OR provider_id IS NOT NULL", name="target_names_provider"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(
        ForeignKey("scenario.id", ondelete="CASCADE"), index=True
    )
    allocation_id: Mapped[int | None] = mapped_column(
        ForeignKey("allocation.id", ondelete="CASCADE")
    )
    service_line_id: Mapped[int | None] = mapped_column(
        ForeignKey("service_line.id", ondelete="CASCADE")
    )
    #: A target is named by measure and provider (the year is the scenario's).
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("measure.id", ondelete="CASCADE"))
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("provider.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(30))
    base_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)

    scenario: Mapped[Scenario] = relationship(back_populates="changes")
    allocation: Mapped[Allocation | None] = relationship()
    service_line: Mapped[ServiceLine | None] = relationship()
    measure: Mapped[Measure | None] = relationship()
    provider: Mapped[Provider | None] = relationship()
