"""Competitions and their stages, milestones, and the risk register."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dom_desk.models.agreements import Agreement
from dom_desk.models.base import Base, CompetitionKind, Level, RiskStatus, Stage, Versioned
from dom_desk.models.providers import Provider
from dom_desk.models.region import Priority


class Competition(Versioned, Base):
    __tablename__ = "competition"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: What is competed: a prison, a service or a cluster.
    subject: Mapped[str] = mapped_column(String(160))
    kind: Mapped[CompetitionKind]
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("provider.id", ondelete="SET NULL"))
    agreement_id: Mapped[int | None] = mapped_column(
        ForeignKey("agreement.id", ondelete="SET NULL")
    )
    #: Expiry of the current SLA or contract (best date and the text as written).
    expiry: Mapped[date | None]
    expiry_text: Mapped[str] = mapped_column(String(60), default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    provider: Mapped[Provider | None] = relationship()
    agreement: Mapped[Agreement | None] = relationship()
    stages: Mapped[list[CompetitionStage]] = relationship(
        back_populates="competition", cascade="all, delete-orphan", order_by="CompetitionStage.id"
    )


class CompetitionStage(Versioned, Base):
    __tablename__ = "competition_stage"
    __table_args__ = (UniqueConstraint("competition_id", "stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"))
    stage: Mapped[Stage]
    #: Best-estimate planned date; ``planned_text`` keeps fuzzy wording ("Summer 2009").
    planned: Mapped[date | None]
    planned_text: Mapped[str] = mapped_column(String(60), default="")
    actual: Mapped[date | None]

    competition: Mapped[Competition] = relationship(back_populates="stages")


class Milestone(Versioned, Base):
    __tablename__ = "milestone"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(30), default="")
    title: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(120), default="")
    due: Mapped[date | None]
    #: The delivery date as the plan words it, which may be a sentence; ``due`` is its
    #: best date.
    due_text: Mapped[str] = mapped_column(Text, default="")
    done: Mapped[date | None]
    priority_id: Mapped[int | None] = mapped_column(ForeignKey("priority.id", ondelete="SET NULL"))
    notes: Mapped[str] = mapped_column(Text, default="")

    priority: Mapped[Priority | None] = relationship()


class RiskScore(Base):
    """The configurable risk matrix: the score of each likelihood and impact pair."""

    __tablename__ = "risk_score"

    likelihood: Mapped[Level] = mapped_column(primary_key=True)
    impact: Mapped[Level] = mapped_column(primary_key=True)
    score: Mapped[int]


class Risk(Versioned, Base):
    __tablename__ = "risk"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(Text)
    priority_id: Mapped[int | None] = mapped_column(ForeignKey("priority.id", ondelete="SET NULL"))
    likelihood: Mapped[Level]
    impact: Mapped[Level]
    owner: Mapped[str] = mapped_column(String(120), default="")
    mitigations: Mapped[str] = mapped_column(Text, default="")
    review: Mapped[date | None]
    status: Mapped[RiskStatus] = mapped_column(default=RiskStatus.OPEN)

    priority: Mapped[Priority | None] = relationship()
