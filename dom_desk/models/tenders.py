"""A competition's tender: its bidders and their priced schedules, the evaluation
criteria and their weights, each bidder's scores, and the award that becomes a contract.

Seed 000: services are specified, costed and "tested by competition", bids judged on
quality and price. Weights are whole per cents that must add to 100 before a result is
worked out; that rule is the domain's (``domain/tenders.py``), not a CHECK, because a
DOM types the weights one at a time.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dom_desk.models.agreements import Agreement
from dom_desk.models.base import Base, Labelled, Pence, Versioned
from dom_desk.models.planning import Competition
from dom_desk.models.providers import Provider, Service


class BidderStatus(Labelled):
    BIDDING = "Bidding"
    WITHDRAWN = "Withdrawn"
    EXCLUDED = "Excluded"


class CriterionKind(Labelled):
    #: Scored by the evaluation panel, 0 to the criterion's maximum.
    QUALITY = "Quality"
    #: Worked out from the bids' prices: the lowest price scores full marks, others in
    #: proportion (lowest / price), as public-sector tenders commonly score price.
    PRICE = "Price"


class Bidder(Versioned, Base):
    __tablename__ = "bidder"
    __table_args__ = (UniqueConstraint("competition_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(160))
    #: The provider the bidder already is, if any (an incumbent, a known charity).
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("provider.id", ondelete="SET NULL"))
    status: Mapped[BidderStatus] = mapped_column(default=BidderStatus.BIDDING)
    notes: Mapped[str] = mapped_column(Text, default="")

    competition: Mapped[Competition] = relationship()
    provider: Mapped[Provider | None] = relationship()
    lines: Mapped[list[BidLine]] = relationship(
        back_populates="bidder", cascade="all, delete-orphan", order_by="BidLine.id"
    )


class BidLine(Versioned, Base):
    """One priced line of a bid: a service, the volume bid for and its unit price."""

    __tablename__ = "bid_line"
    __table_args__ = (UniqueConstraint("bidder_id", "service_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bidder_id: Mapped[int] = mapped_column(ForeignKey("bidder.id", ondelete="CASCADE"))
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id", ondelete="RESTRICT"))
    volume: Mapped[int] = mapped_column(default=0)
    unit_price: Mapped[int] = mapped_column(Pence, default=0)

    bidder: Mapped[Bidder] = relationship(back_populates="lines")
    service: Mapped[Service] = relationship()


class EvaluationCriterion(Versioned, Base):
    __tablename__ = "evaluation_criterion"
    __table_args__ = (UniqueConstraint("competition_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[CriterionKind] = mapped_column(default=CriterionKind.QUALITY)
    #: Whole per cent of the result; a competition's weights add to 100.
    weight: Mapped[int] = mapped_column(default=0)
    #: The highest score a quality criterion can be given (commonly 5 or 10).
    max_score: Mapped[int] = mapped_column(default=10)
    position: Mapped[int] = mapped_column(default=0)


class BidScore(Versioned, Base):
    __tablename__ = "bid_score"
    __table_args__ = (UniqueConstraint("bidder_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bidder_id: Mapped[int] = mapped_column(ForeignKey("bidder.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("evaluation_criterion.id", ondelete="CASCADE")
    )
    score: Mapped[Decimal]
    note: Mapped[str] = mapped_column(Text, default="")


class CompetitionAward(Versioned, Base):
    """The award decision, and the contract it made."""

    __tablename__ = "competition_award"

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        ForeignKey("competition.id", ondelete="CASCADE"), unique=True
    )
    bidder_id: Mapped[int] = mapped_column(ForeignKey("bidder.id", ondelete="RESTRICT"))
    decided: Mapped[date]
    #: The contract created from the award; empty if that contract is later deleted.
    agreement_id: Mapped[int | None] = mapped_column(
        ForeignKey("agreement.id", ondelete="SET NULL")
    )
    reason: Mapped[str] = mapped_column(Text, default="")

    bidder: Mapped[Bidder] = relationship()
    agreement: Mapped[Agreement | None] = relationship()
