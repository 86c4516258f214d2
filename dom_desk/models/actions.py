"""Acting on performance: the actions a DOM takes when a provider misses its targets,
their dated notes, suggestions the DOM dismissed, and decisions to move money from one
allocation to another (disinvestment and reinvestment)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dom_desk.models.agreements import Allocation
from dom_desk.models.base import Base, Labelled, Pence, Versioned
from dom_desk.models.performance import Measure
from dom_desk.models.planning import Competition
from dom_desk.models.providers import Provider
from dom_desk.models.region import Period
from dom_desk.models.scenarios import Scenario


class ActionStage(Labelled):
    """How far an action has gone, in the order a DOM escalates (seed 003: review
    delivery, then re-allocate or re-compete)."""

    CONCERN = "Concern raised"
    IMPROVEMENT_PLAN = "Improvement plan agreed"
    REVIEW = "Review meeting"
    PERFORMANCE_TEST = "Escalated to performance testing"
    COMPETITION = "Referred to competition"
    CLOSED = "Closed"


class PerformanceAction(Versioned, Base):
    __tablename__ = "performance_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id", ondelete="CASCADE"))
    #: The measure whose results prompted it; none for a provider-wide concern.
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("measure.id", ondelete="SET NULL"))
    #: The period whose results prompted it.
    period_id: Mapped[int | None] = mapped_column(ForeignKey("period.id", ondelete="SET NULL"))
    stage: Mapped[ActionStage] = mapped_column(default=ActionStage.CONCERN)
    title: Mapped[str] = mapped_column(String(200))
    owner: Mapped[str] = mapped_column(String(120), default="")
    opened: Mapped[date]
    #: When the current stage's next step is due (an improvement plan's date, a review).
    due: Mapped[date | None]
    closed: Mapped[date | None]
    competition_id: Mapped[int | None] = mapped_column(
        ForeignKey("competition.id", ondelete="SET NULL")
    )

    provider: Mapped[Provider] = relationship()
    measure: Mapped[Measure | None] = relationship()
    period: Mapped[Period | None] = relationship()
    competition: Mapped[Competition | None] = relationship()
    notes: Mapped[list[ActionNote]] = relationship(
        back_populates="action", cascade="all, delete-orphan", order_by="ActionNote.id"
    )


class ActionNote(Base):
    """A dated note on an action; a change of stage writes one too."""

    __tablename__ = "action_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("performance_action.id", ondelete="CASCADE"))
    written: Mapped[date]
    text: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(80))

    action: Mapped[PerformanceAction] = relationship(back_populates="notes")


class SuggestionDismissal(Base):
    """A suggested action the DOM dismissed, so it is not suggested again for the same
    provider, measure and period."""

    __tablename__ = "suggestion_dismissal"
    __table_args__ = (UniqueConstraint("provider_id", "measure_id", "period_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id", ondelete="CASCADE"))
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id", ondelete="CASCADE"))
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(80))


class ResourceDecision(Versioned, Base):
    """A dated decision to move money from one allocation to another, with its reason
    and what lies behind it; applied through a scenario the DOM accepts."""

    __tablename__ = "resource_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    decided: Mapped[date]
    #: The allocations money moves between; emptied if one is later deleted, when
    #: ``summary`` still says what was decided.
    from_allocation_id: Mapped[int | None] = mapped_column(
        ForeignKey("allocation.id", ondelete="SET NULL")
    )
    to_allocation_id: Mapped[int | None] = mapped_column(
        ForeignKey("allocation.id", ondelete="SET NULL")
    )
    amount: Mapped[int] = mapped_column(Pence)
    reason: Mapped[str] = mapped_column(Text)
    #: "£250,000 from HMP Liverpool SLA (custody places) to …", written when decided.
    summary: Mapped[str] = mapped_column(Text, default="")
    action_id: Mapped[int | None] = mapped_column(
        ForeignKey("performance_action.id", ondelete="SET NULL")
    )
    competition_id: Mapped[int | None] = mapped_column(
        ForeignKey("competition.id", ondelete="SET NULL")
    )
    #: The scenario that carries the move; the decision is applied when it is accepted.
    scenario_id: Mapped[int | None] = mapped_column(ForeignKey("scenario.id", ondelete="SET NULL"))

    from_allocation: Mapped[Allocation | None] = relationship(foreign_keys=[from_allocation_id])
    to_allocation: Mapped[Allocation | None] = relationship(foreign_keys=[to_allocation_id])
    action: Mapped[PerformanceAction | None] = relationship()
    competition: Mapped[Competition | None] = relationship()
    scenario: Mapped[Scenario | None] = relationship()
